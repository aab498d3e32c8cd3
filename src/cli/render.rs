//! `quire render`: one issue file (or stdin) to one PDF (or stdout), written atomically.

use super::args::{RenderArgs, RenderFlags};
use super::{attach, env, io, report, usage};
use quire::diag::Diagnostic;
use quire::fonts::FontBook;
use quire::parse::decode::decode;
use quire::{RenderOptions, Rendered};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

/// Render an issue to PDF; returns the exit code (0 done, 1 bad input or failed write, 2 a
/// bad flag value).
pub fn run(args: &RenderArgs) -> i32 {
    let paper = match check_usage(args) {
        Ok(paper) => paper,
        Err(d) => {
            report::emit(&d);
            return usage::EXIT;
        }
    };
    if let Some(rounds) = args.repeat {
        return repeat(args, paper, rounds);
    }
    match render(args, paper) {
        Ok(done) => {
            report::emit_all(&done.diagnostics);
            if let (true, Some(pdf)) = (args.open, &done.written) {
                if let Err(w) = open_in_viewer(pdf) {
                    report::emit(&w);
                }
            }
            0
        }
        Err(diags) => {
            report::emit_all(&diags);
            1
        }
    }
}

/// `quire render --repeat N`: the render `rounds` times in this process (the first one cold,
/// the others warm: the code, the fonts' pages and the allocator's memory already in use), the
/// times printed on standard error as one line, then the last round's diagnostics. The binary
/// measured is the one installed, profile and layout included: a benchmark built apart (such
/// as benches/phases.rs) is another build of the same code.
fn repeat(args: &RenderArgs, paper: Option<(f32, f32)>, rounds: u32) -> i32 {
    let mut times = Vec::with_capacity(rounds as usize);
    let mut last = None;
    for _ in 0..rounds {
        let t = std::time::Instant::now();
        let result = render(args, paper);
        times.push(t.elapsed().as_micros());
        match result {
            Ok(done) => last = Some(done),
            Err(diags) => {
                report::emit_all(&diags);
                return 1;
            }
        }
    }
    let Some((cold, warm)) = times.split_first_mut() else {
        return 0;
    };
    warm.sort_unstable();
    let line = match (warm.first(), warm.last()) {
        (Some(min), Some(max)) => format!(
            "quire render --repeat {rounds}: first {cold} us; warm median {} us (min {min}, max {max}, {} rounds)",
            warm[warm.len() / 2],
            warm.len()
        ),
        _ => format!("quire render --repeat {rounds}: first {cold} us; no warm round"),
    };
    eprintln!("{line}");
    if let Some(done) = last {
        report::emit_all(&done.diagnostics);
    }
    0
}

/// The flags' values, checked before anything is read: `--paper` (parsed), `--lang`,
/// `--encoding`, and where the PDF goes (never to a terminal; not beside a dump on stdout).
fn check_usage(args: &RenderArgs) -> Result<Option<(f32, f32)>, Diagnostic> {
    let paper = check_flags(&args.flags)?;
    usage::dump_lines_output(args.dump_lines, args.output.as_deref())?;
    let stdin = args.file.as_os_str() == "-";
    if args.open && (dump_only(args) || output_path(args, stdin).is_none()) {
        return Err(usage::error(
            "--open",
            "opens the PDF file written: give -o FILE (not -o -, not a dump alone)",
        ));
    }
    if args.repeat.is_some()
        && (stdin || args.open || args.dump_lines || output_path(args, stdin).is_none())
    {
        return Err(usage::error(
            "--repeat",
            "reads the issue file and writes the PDF file again each round: give FILE (not -) \
             and -o FILE (not -o -), without --open or --dump-lines",
        ));
    }
    if args.flags.print.booklet && !dump_only(args) && output_path(args, stdin).is_none() {
        return Err(usage::error("--booklet", BOOKLET_TO_STDOUT));
    }
    if !dump_only(args) && output_path(args, stdin).is_none() {
        usage::stdout_for_pdf(std::io::stdout().is_terminal())?;
    }
    Ok(paper)
}

/// The values of the flags `quire render` and `quire watch` share: `--paper` (parsed),
/// `--max-input` (set for the run), `--lang`, `--encoding`.
pub fn check_flags(flags: &RenderFlags) -> Result<Option<(f32, f32)>, Diagnostic> {
    let paper = usage::paper(flags.paper.as_deref())?;
    usage::max_input(flags.max_input.as_deref())?;
    usage::lang(flags.lang.as_deref())?;
    usage::encoding(flags.encoding.as_deref())?;
    Ok(paper)
}

/// `--dump-lines` without `-o`: the dump is all the run gives (with `-o`, the PDF too).
fn dump_only(args: &RenderArgs) -> bool {
    args.dump_lines && args.output.is_none()
}

/// A render that went through.
#[derive(Debug)]
pub struct Done {
    /// Its warnings.
    pub diagnostics: Vec<Diagnostic>,
    /// The PDF's page count (set even when only the lines were dumped).
    pub pages: usize,
    /// The PDF file written; `None` for stdout or a dump alone.
    pub written: Option<PathBuf>,
}

/// Render an issue as `args` say, its flags checked (`check_usage`, `check_flags`; `paper`
/// parsed): the PDF written atomically to its path (or stdout), the dump printed. Shared by
/// `quire render` and `quire watch`, which print what it returns.
pub fn render(args: &RenderArgs, paper: Option<(f32, f32)>) -> Result<Done, Vec<Diagnostic>> {
    let stdin = args.file.as_os_str() == "-";
    let out = output_path(args, stdin);
    // Writing the PDF over the issue it is made from would lose the issue.
    if let Some(path) = &out {
        if !stdin && io::same_file(&args.file, path) {
            let output = match &args.output {
                Some(o) => format!("-o {}", o.display()),
                None => format!("the default output {}", path.display()),
            };
            return Err(vec![Diagnostic::error(
                &args.file.display().to_string(),
                0,
                0,
                format!(
                    "is also the output ({output}): the PDF would replace the issue; \
                     choose another -o"
                ),
            )]);
        }
    }
    let source = Source {
        file: &args.file,
        encoding: args.flags.encoding.as_deref(),
        config: args.flags.config.as_deref(),
    };
    let opts = RenderOptions {
        paper,
        columns: args.flags.columns,
        lang: args.flags.lang.clone(),
        dump_lines: args.dump_lines,
        pdfa: args.flags.pdfa,
        print: args.flags.print.flags(),
        ..env::render_options()?
    };
    let rendered = render_source(&source, &opts)?;

    if let Some(dump) = &rendered.dump {
        print!("{dump}");
        if dump_only(args) {
            return Ok(Done {
                diagnostics: rendered.diagnostics,
                pages: rendered.pages,
                written: None,
            });
        }
    }
    match &out {
        None if rendered.booklet.is_some() => {
            return Err(vec![Diagnostic::error(
                &args.file.display().to_string(),
                0,
                0,
                format!("print.booklet {BOOKLET_TO_STDOUT}"),
            )]);
        }
        None => {
            let mut so = std::io::stdout().lock();
            so.write_all(&rendered.pdf)
                .and_then(|_| so.flush())
                .map_err(|e| {
                    vec![Diagnostic::error(
                        "<stdout>",
                        0,
                        0,
                        format!("cannot write: {e}"),
                    )]
                })?;
        }
        Some(path) => {
            let mut files = vec![(path.clone(), rendered.pdf.as_slice())];
            if let Some(booklet) = &rendered.booklet {
                files.push((booklet_path(path), booklet.as_slice()));
            }
            io::write_all_atomic(&files).map_err(|(path, e)| {
                vec![Diagnostic::error(
                    &path.display().to_string(),
                    0,
                    0,
                    format!("cannot write: {e}"),
                )]
            })?;
        }
    }
    Ok(Done {
        diagnostics: rendered.diagnostics,
        pages: rendered.pages,
        written: out,
    })
}

/// Where an issue comes from: a file (or `-` for stdin), its encoding, its quire.yaml.
pub struct Source<'a> {
    pub file: &'a Path,
    pub encoding: Option<&'a str>,
    /// An explicit quire.yaml (else the nearest one).
    pub config: Option<&'a Path>,
}

/// Read, decode and render an issue with its quire.yaml and every font it names: what
/// `quire render` does before writing, shared with `quire mail`.
pub fn render_source(src: &Source, opts: &RenderOptions) -> Result<Rendered, Vec<Diagnostic>> {
    let stdin = src.file.as_os_str() == "-";
    let name = if stdin {
        "<stdin>".to_string()
    } else {
        src.file.display().to_string()
    };
    let bytes = if stdin {
        io::read_stdin_limited().map_err(|e| vec![Diagnostic::error(&name, 0, 0, e)])?
    } else {
        io::read_issue(src.file).map_err(|d| vec![d])?
    };
    let base = io::config_for(src.file, src.config).map_err(|d| vec![d])?;
    // `--encoding` wins over quire.yaml's `encoding:`.
    let encoding = src
        .encoding
        .or(base.encoding.as_ref().map(|e| e.0.as_str()));
    let text = decode(&name, &bytes, encoding).map_err(|d| {
        report::add_undecodable(&name, &bytes, encoding);
        vec![d]
    })?;
    // The diagnostics show the lines as decoded (stdin, UTF-16, GB18030 …).
    report::add_source(&name, &text);
    io::check_paragraphs(&name, &text).map_err(|d| vec![d])?;
    // What a PDF/A-3b attaches (any other PDF leaves them out): the text as read, the yaml.
    let mut attachments = Vec::with_capacity(2);
    let source_name = if stdin {
        "issue.txt".to_string()
    } else {
        attach::file_name(src.file, "issue.txt")
    };
    attachments.push(attach::source(&source_name, bytes, src.encoding, opts));
    if let Some(yaml) = io::config_path(src.file, src.config) {
        attachments.push(attach::config(&yaml, None).map_err(|d| vec![d])?);
    }
    let opts = &RenderOptions {
        attachments,
        ..opts.clone()
    };

    // Fonts: quire.yaml's, then those the issue's front matter adds.
    let mut book = FontBook::bundled();
    let yaml_fonts = io::yaml_fonts(&base);
    io::add_fonts(&mut book, &yaml_fonts, None).map_err(|d| vec![d])?;
    let front_fonts = io::front_matter_fonts(&name, &text, src.file, &yaml_fonts);
    io::add_fonts(&mut book, &front_fonts, Some(&name)).map_err(|d| vec![d])?;
    quire::render(&name, &text, &base, &book, opts)
}

/// Why a booklet cannot go to standard output (`--booklet` on the command line, or
/// `print.booklet` in quire.yaml found once the issue is read).
const BOOKLET_TO_STDOUT: &str = "writes two files (the reader's PDF and NAME.booklet.pdf beside \
                                 it): give -o FILE, not standard output";

/// Where a booklet goes: beside the reader's PDF `out`, `NAME.booklet.pdf`.
pub fn booklet_path(out: &Path) -> PathBuf {
    let stem = out.file_stem().unwrap_or(out.as_os_str()).to_os_string();
    let mut name = stem;
    name.push(".booklet.pdf");
    out.with_file_name(name)
}

/// Where the PDF goes: `-o` (with `-` for stdout), else the input's name with `.pdf`
/// (stdout when the input is stdin).
fn output_path(args: &RenderArgs, stdin: bool) -> Option<PathBuf> {
    match &args.output {
        Some(o) if o.as_os_str() == "-" => None,
        Some(o) => Some(o.clone()),
        None if stdin => None,
        None => Some(Path::new(&args.file).with_extension("pdf")),
    }
}

/// `--open`: hand the PDF to the system's viewer (`xdg-open` on Linux and the BSDs, `open` on
/// macOS, `start` on Windows), detached: quire does not wait for it. No viewer program is a
/// warning (the PDF is written all the same), returned to be printed.
pub fn open_in_viewer(pdf: &Path) -> Result<(), Diagnostic> {
    use std::process::{Command, Stdio};
    let (program, mut command) = if cfg!(target_os = "macos") {
        ("open", Command::new("open"))
    } else if cfg!(windows) {
        let mut c = Command::new("cmd");
        // `start`'s first quoted argument is the window title: an empty one, then the file.
        c.args(["/c", "start", ""]);
        ("cmd /c start", c)
    } else {
        ("xdg-open", Command::new("xdg-open"))
    };
    command
        .arg(pdf)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    match command.spawn() {
        // Not waited for: the viewer (or xdg-open's hand-off to it) outlives quire.
        Ok(_child) => Ok(()),
        Err(e) => {
            let why = if e.kind() == std::io::ErrorKind::NotFound {
                format!("no PDF viewer to open it with ({program} is not installed)")
            } else {
                format!("cannot open it with {program}: {e}")
            };
            Err(Diagnostic::warning(&pdf.display().to_string(), 0, 0, why))
        }
    }
}
