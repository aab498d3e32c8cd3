//! One issue exported: read, keyed, found up to date or rendered and written, and described
//! in its manifest entry.

use super::cache::{hex, up_to_date, Entry, IssueInput, Status};
use super::outdir::write_output;
use super::plan::{slash, with_fonts, Job};
use super::{Outcome, Setup};
use crate::cli::attach;
use quire::{RenderOptions, Rendered};

/// Render one issue (or find it up to date); never fails: a failure is an entry.
pub fn export_issue(setup: &Setup, job: &Job) -> Outcome {
    let mut entry = Entry {
        source: job.source.clone(),
        output: slash(&job.out_rel),
        status: Status::Failed,
        ..Entry::default()
    };
    if let Some(c) = &job.clash {
        return entry.fail_with(&job.source, c.clone());
    }
    let Some(cfg) = setup.configs.get(job.config) else {
        return entry.fail(Vec::new());
    };
    let (base, config_hash) = match &cfg.config {
        Ok((c, h)) => (c, h),
        Err(d) => return entry.fail(vec![d.clone()]),
    };
    let book = match &cfg.book {
        Ok(b) => b,
        Err(d) => return entry.fail(vec![d.clone()]),
    };
    let bytes = match crate::cli::io::read_limited(&job.found.path) {
        Ok(b) => b,
        Err(e) => return entry.fail_with(&job.source, e),
    };
    let input = IssueInput::read(job, base, config_hash, &bytes, setup);
    entry.input = input.key;
    if let Some(prev) = up_to_date(setup, &entry) {
        // Replay its warnings, as cargo does for a crate it does not rebuild.
        let diags = prev.diagnostics.clone();
        return (prev, diags);
    }
    let text = match input
        .text
        .and_then(|t| crate::cli::io::check_paragraphs(&job.source, &t).map(|()| t))
    {
        Ok(t) => t,
        Err(d) => return entry.fail(vec![d]),
    };
    let book = match with_fonts(book, &input.front_fonts, &job.source) {
        Ok(b) => b,
        Err(d) => return entry.fail(vec![d]),
    };
    // What a PDF/A-3b attaches, as `quire render` attaches it: the file as read, its yaml.
    let name = attach::file_name(&job.found.path, "issue.txt");
    let mut attachments = vec![attach::source(&name, bytes, None, &setup.opts)];
    attachments.extend(cfg.yaml.as_ref().map(|(_, a)| a.clone()));
    let opts = RenderOptions {
        attachments,
        ..setup.opts.clone()
    };
    let rendered = match quire::render(&job.source, &text, base, &book, &opts) {
        Ok(r) => r,
        Err(diags) => return entry.fail(diags),
    };
    describe(&mut entry, &rendered);
    // The booklet first: a PDF whose booklet could not be written is not up to date.
    if let Some(booklet) = &rendered.booklet {
        let rel = crate::cli::render::booklet_path(&job.out_rel);
        if let Err(e) = write_output(&setup.outdir, &rel, booklet, Some(&setup.reaper)) {
            return entry.fail_with(&slash(&rel), format!("cannot write the booklet: {e}"));
        }
        entry.record_booklet(&rel, booklet);
    }
    if let Err(e) = write_output(
        &setup.outdir,
        &job.out_rel,
        &rendered.pdf,
        Some(&setup.reaper),
    ) {
        let output = entry.output.clone();
        return entry.fail_with(&output, format!("cannot write the PDF: {e}"));
    }
    entry.bytes = rendered.pdf.len() as u64;
    entry.sha256 = Some(hex(&rendered.pdf_sha256));
    entry.status = Status::Rendered;
    entry.diagnostics = rendered.diagnostics.clone();
    (entry, rendered.diagnostics)
}

/// What the manifest says about a rendered issue: its title, newsletter, number, year, date,
/// language and page count.
fn describe(entry: &mut Entry, rendered: &Rendered) {
    let issue = &rendered.issue;
    let meta = &issue.meta;
    entry.title = issue.title().map(str::to_string);
    entry.newsletter = issue.newsletter().map(str::to_string);
    entry.issue = issue.number();
    entry.year = issue.year();
    entry.date = meta.date.map(|d| d.to_string());
    entry.language = Some(meta.language.clone()).filter(|l| !l.is_empty());
    entry.pages = rendered.pages;
    entry.pdfa = rendered.pdfa.map(|l| l.to_string());
}
