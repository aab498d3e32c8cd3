//! `quire check`: parse issue files, print diagnostics (or the model as JSON), exit code.

use super::args::CheckArgs;
use super::{io, report, usage};
use quire::diag::{has_errors, Diagnostic};
use quire::parse::{decode::decode, parse_issue, Parsed};
use serde::Serialize;
use std::path::Path;

/// The JSON object printed per file by `quire check --json` (schema in the README).
#[derive(Serialize)]
struct Report<'a> {
    /// Schema version: bumped only on incompatible change.
    schema: u32,
    file: String,
    issue: Option<&'a quire::model::Issue>,
    config: Option<&'a quire::config::Config>,
    diagnostics: &'a [Diagnostic],
}

/// Check one file: read, decode, load quire.yaml, parse.
fn check_file(path: &Path, args: &CheckArgs) -> Result<Parsed, Vec<Diagnostic>> {
    let name = path.display().to_string();
    let bytes = io::read_issue(path).map_err(|d| vec![d])?;
    let (base, warnings) =
        io::config_for_warned(path, args.config.as_deref()).map_err(|d| vec![d])?;
    // `--encoding` wins over quire.yaml's `encoding:`.
    let encoding = args
        .encoding
        .as_deref()
        .or(base.encoding.as_ref().map(|e| e.0.as_str()));
    let text = decode(&name, &bytes, encoding).map_err(|d| {
        report::add_undecodable(&name, &bytes, encoding);
        vec![d]
    })?;
    // The diagnostics show the lines as decoded (UTF-16, GB18030 …), not the raw bytes.
    report::add_source(&name, &text);
    let mut parsed = parse_issue(&name, &text, &base);
    parsed.diagnostics.splice(0..0, warnings);
    // The font files quire.yaml and the front matter list must be there and be fonts: render
    // would stop on them.
    let yaml_fonts = io::yaml_fonts(&base);
    let front_fonts = io::front_matter_fonts(&name, &text, path, &yaml_fonts);
    let mut book = quire::fonts::FontBook::bundled();
    for (paths, listed_in) in [(&yaml_fonts, None), (&front_fonts, Some(name.as_str()))] {
        for p in paths {
            if let Err(d) = io::add_fonts(&mut book, std::slice::from_ref(p), listed_in) {
                parsed.diagnostics.push(d);
            }
        }
    }
    // Print options that cannot go together (a booklet with a bleed, PDF/X with PDF/A …):
    // render would stop on them.
    if let Err(e) = quire::print::resolve(
        parsed.config.print.as_ref(),
        &quire::print::PrintFlags::default(),
        parsed.config.pdfa.is_some(),
    ) {
        parsed.diagnostics.push(Diagnostic::error(&name, 0, 0, e));
    }
    Ok(parsed)
}

/// Run `quire check`; returns the exit code (0 clean or warnings only, 1 any error, 2 a bad
/// `--encoding`).
pub fn run(args: &CheckArgs) -> i32 {
    if let Err(d) = usage::encoding(args.encoding.as_deref())
        .and_then(|()| usage::max_input(args.max_input.as_deref()))
    {
        report::emit(&d);
        return usage::EXIT;
    }
    let mut failed = false;
    for path in &args.files {
        let result = check_file(path, args);
        let (parsed, diags) = match &result {
            Ok(p) => (Some(p), p.diagnostics.as_slice()),
            Err(d) => (None, d.as_slice()),
        };
        failed |= has_errors(diags);
        if args.json {
            let report = Report {
                schema: 1,
                file: path.display().to_string(),
                issue: parsed.map(|p| &p.issue),
                config: parsed.map(|p| &p.config),
                diagnostics: diags,
            };
            match serde_json::to_string(&report) {
                Ok(s) => println!("{s}"),
                Err(e) => {
                    eprintln!("quire: cannot write JSON: {e}");
                    failed = true;
                }
            }
        } else {
            report::emit_all(diags);
        }
    }
    i32::from(failed)
}
