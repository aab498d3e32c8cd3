//! Command-line arguments (clap derive): one struct per subcommand.

use clap::{Args, Parser, Subcommand};
use quire::pdf::PdfA;
use std::path::PathBuf;

/// quire: the plain text of a newsletter issue in, a print-ready paginated PDF out.
#[derive(Debug, Parser)]
#[command(name = "quire", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Colour the diagnostics: auto (on a terminal, unless NO_COLOR is set), always, never.
    #[arg(long, global = true, value_name = "WHEN", default_value = "auto")]
    pub color: super::report::ColorWhen,
}

/// The command line of the plainest render, `render FILE` or `render FILE -o OUT` (`OUT` also
/// as `--output OUT`), as clap would parse it, without building clap's description of every
/// subcommand first: that description is the largest piece of code a render of a short issue
/// runs only once (~15 % of the code a cold render fetches). `None` for anything else — an
/// option, a value that starts with `-`, an empty value, a missing or extra argument — which
/// clap then parses. The arguments come without the program's name.
pub fn plain_render(args: impl IntoIterator<Item = std::ffi::OsString>) -> Option<Cli> {
    let plain = |a: &std::ffi::OsString| !a.is_empty() && !a.as_encoded_bytes().starts_with(b"-");
    let mut args = args.into_iter();
    if args.next()? != "render" {
        return None;
    }
    let file = args.next().filter(plain)?;
    let output = match args.next() {
        None => None,
        Some(flag) if flag == "-o" || flag == "--output" => Some(args.next().filter(plain)?),
        Some(_) => return None,
    };
    if args.next().is_some() {
        return None;
    }
    Some(Cli {
        command: Command::Render(RenderArgs {
            file: file.into(),
            output: output.map(PathBuf::from),
            flags: RenderFlags::default(),
            dump_lines: false,
            open: false,
            repeat: None,
        }),
        color: super::report::ColorWhen::Auto,
    })
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read issue files and report their structure problems (exit 1 on any error).
    Check(CheckArgs),
    /// Typeset an issue into a PDF.
    Render(RenderArgs),
    /// Render every issue under a folder into PDFs, in parallel, skipping those up to date.
    Export(ExportArgs),
    /// Send an issue by e-mail with its PDF attached: to addresses, or one message per reader
    /// of a CSV list, never twice (a journal records every delivery).
    Mail(Box<MailArgs>),
    /// Write the files a PDF/A-3 carries as its source (the text, its quire.yaml).
    Extract(ExtractArgs),
    /// Make a new newsletter folder: a commented quire.yaml, a sample issue, a .gitignore.
    Init(InitArgs),
    /// Render an issue, then again whenever it, its quire.yaml or a font it uses changes.
    Watch(WatchArgs),
    /// Print a shell completion script on stdout (bash, zsh, fish, powershell, elvish).
    Completions(CompletionsArgs),
    /// Print quire's manual page (roff) on stdout, or write one page per command.
    Man(ManArgs),
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Issue text files to check.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Print the model and its diagnostics as JSON (one object per file, one per line).
    #[arg(long)]
    pub json: bool,
    /// Decode the files with this encoding (gb18030, big5, shift_jis, windows-1252, utf-16le …).
    #[arg(long, value_name = "NAME")]
    pub encoding: Option<String>,
    /// Use this quire.yaml instead of the nearest one found from each file's folder upwards.
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Refuse an issue larger than SIZE (e.g. 64MB, 100MiB) before reading it (default 64MB).
    #[arg(long, value_name = "SIZE")]
    pub max_input: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct RenderArgs {
    /// The issue text file, or - to read it from standard input.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Where to write the PDF, - for standard output (default: the name with .pdf;
    /// standard output when FILE is -).
    #[arg(short = 'o', long = "output", value_name = "OUT")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub flags: RenderFlags,
    /// Print the set lines as text on stdout; without -o that is all, with -o, write the PDF
    /// too (-o - is refused: the dump has stdout).
    #[arg(long)]
    pub dump_lines: bool,
    /// Open the PDF in the system's viewer once written (xdg-open, open, start); not with a
    /// PDF on standard output.
    #[arg(long)]
    pub open: bool,
    /// Render N times in this one process, each time as a render does (read, fonts, compose,
    /// PDF, the atomic write), and print on standard error the first (cold) render's time and
    /// the median of the others: the in-process floor of the binary itself, which scripts/bench
    /// compares a whole `quire render` with. For measuring, so not in --help.
    #[arg(long, value_name = "N", hide = true,
          value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub repeat: Option<u32>,
}

/// The flags that change how an issue is set, shared by `quire render` and `quire watch`.
#[derive(Debug, Clone, Default, Args)]
pub struct RenderFlags {
    /// Paper size: letter, legal, a3, a4, a5, or a size such as "8.5in x 11in" or
    /// "210x297mm" (overrides quire.yaml; default a4).
    #[arg(long, value_name = "PAPER")]
    pub paper: Option<String>,
    /// Number of text columns: 1 or 2 (overrides quire.yaml; default 1).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(1..=2))]
    pub columns: Option<u8>,
    /// Language tag of the text (en, zh-Hans, zh-Hant, ja, ko …).
    #[arg(long, value_name = "L")]
    pub lang: Option<String>,
    /// Use this quire.yaml instead of the nearest one.
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Decode the file with this encoding.
    #[arg(long, value_name = "NAME")]
    pub encoding: Option<String>,
    /// Write PDF/A: 2b, or 3b with the text and quire.yaml attached (overrides
    /// quire.yaml's `pdfa`).
    #[arg(long, value_name = "LEVEL")]
    pub pdfa: Option<PdfA>,
    /// Refuse an issue larger than SIZE (e.g. 64MB, 100MiB) before reading it (default 64MB).
    #[arg(long, value_name = "SIZE")]
    pub max_input: Option<String>,
    #[command(flatten)]
    pub print: PrintArgs,
}

/// The print editions, shared by `quire render`, `quire watch` and `quire export`.
#[derive(Debug, Clone, Copy, Default, Args)]
pub struct PrintArgs {
    /// Also write a folded booklet, NAME.booklet.pdf: the issue set at half the paper (A5 on
    /// A4) and imposed two pages a side in saddle-stitch order, for a duplex printer
    /// (turning on the short edge); the PDF itself is then the reader's copy at that size.
    #[arg(long)]
    pub booklet: bool,
    /// For a print shop: 3 mm bleed (or quire.yaml's print.bleed), TrimBox and BleedBox,
    /// crop and registration marks.
    #[arg(long)]
    pub print_shop: bool,
    /// Write PDF/X: 4 (PDF/X-4, CMYK output intent FOGRA39); implies the print shop's boxes.
    #[arg(long, value_name = "LEVEL")]
    pub pdfx: Option<quire::print::PdfX>,
    /// Colours as greys of the same luminance, for a black-and-white printer.
    #[arg(long)]
    pub grey: bool,
}

impl PrintArgs {
    /// The flags as the library takes them.
    pub fn flags(&self) -> quire::print::PrintFlags {
        quire::print::PrintFlags {
            booklet: self.booklet,
            print_shop: self.print_shop,
            pdfx: self.pdfx,
            grey: self.grey,
            reader_only: false,
        }
    }
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder to set up (default: the current folder); made when missing. No file in it
    /// is ever replaced.
    #[arg(value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,
}

#[derive(Debug, Args)]
pub struct WatchArgs {
    /// The issue text file.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Where to write the PDF (default: the name with .pdf).
    #[arg(short = 'o', long = "output", value_name = "OUT")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub flags: RenderFlags,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write quire.1 and one page per command (quire-render.1 …) into this folder instead.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The folder of issue files (searched recursively; `*.txt` unless quire.yaml's
    /// `export.patterns` says otherwise).
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// The folder the PDFs and manifest.json go to; DIR's folders are mirrored inside it.
    #[arg(short = 'o', long = "output", value_name = "OUTDIR", required = true)]
    pub output: PathBuf,
    /// Issues rendered at once (default: the number of cores).
    #[arg(short = 'j', long = "jobs", value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
    /// Render every issue, even those the manifest says are up to date.
    #[arg(long)]
    pub force: bool,
    /// Also bind each year of each newsletter into one volume (volume-YEAR.pdf).
    #[arg(long)]
    pub volumes: bool,
    /// Print no progress, only errors and the summary.
    #[arg(short = 'q', long)]
    pub quiet: bool,
    /// Write PDF/A: 2b, or 3b with each issue's text and quire.yaml attached (overrides
    /// quire.yaml's `pdfa`; volumes too).
    #[arg(long, value_name = "LEVEL")]
    pub pdfa: Option<PdfA>,
    /// Decode the issues with this encoding (windows-1252, gb18030, shift_jis …) when they
    /// are not UTF-8 (overrides quire.yaml's `encoding`).
    #[arg(long, value_name = "NAME")]
    pub encoding: Option<String>,
    /// Refuse an issue larger than SIZE (e.g. 64MB, 100MiB) before reading it (default 64MB).
    #[arg(long, value_name = "SIZE")]
    pub max_input: Option<String>,
    #[command(flatten)]
    pub print: PrintArgs,
}

#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// A PDF written by `quire render --pdfa 3b` (or any PDF with attached files).
    #[arg(value_name = "FILE.pdf")]
    pub file: PathBuf,
    /// The folder to write the files into (default: the current folder); made when missing.
    #[arg(short = 'o', long = "output", value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Replace files that already exist (never the PDF itself).
    #[arg(long)]
    pub force: bool,
    /// Only list the attached files: name, size, MIME type, relationship, description.
    #[arg(long)]
    pub list: bool,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("recipients").required(true).args(["to", "list"])))]
#[command(group(clap::ArgGroup::new("via").args(["smtp", "sendmail", "out"])))]
pub struct MailArgs {
    /// The issue text file; editions beside it (`NAME.zh-Hans.txt`) go to readers of their
    /// language.
    #[arg(value_name = "ISSUE")]
    pub file: PathBuf,
    /// Send one message to this address (repeatable; `Name <addr>` allowed).
    #[arg(long, value_name = "ADDR", conflicts_with = "list")]
    pub to: Vec<String>,
    /// Copy the message to this address (repeatable).
    #[arg(long, value_name = "ADDR", requires = "to")]
    pub cc: Vec<String>,
    /// Blind copy to this address (repeatable).
    #[arg(long, value_name = "ADDR", requires = "to")]
    pub bcc: Vec<String>,
    /// One message per reader of this CSV list (columns: email, and optionally name,
    /// language and any column the templates use).
    #[arg(long, value_name = "CSV")]
    pub list: Option<PathBuf>,
    /// The sender (overrides quire.yaml's mail.from).
    #[arg(long, value_name = "ADDR")]
    pub from: Option<String>,
    /// The subject template (default "{newsletter} {issue line}: {title}").
    #[arg(long, value_name = "TEXT")]
    pub subject: Option<String>,
    /// Where replies go.
    #[arg(long, value_name = "ADDR")]
    pub reply_to: Option<String>,
    /// Send through this server: smtp://host:587 (STARTTLS), smtps://host:465,
    /// smtp://host:25?tls=none (in clear, only when written out).
    #[arg(long, value_name = "URL")]
    pub smtp: Option<String>,
    /// Send through the `sendmail` program on PATH (msmtp, Postfix, Exim).
    #[arg(long)]
    pub sendmail: bool,
    /// Write one .eml file per message into this folder instead of sending.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Render every message and print recipient, subject, edition and size; send nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Send one copy of each edition to this address only (no journal).
    #[arg(long, value_name = "ADDR")]
    pub test_to: Option<String>,
    /// At most this many messages: N/s or N/min (overrides mail.rate).
    #[arg(long, value_name = "RATE")]
    pub rate: Option<String>,
    /// The delivery journal (default: the list's path with .sent.jsonl).
    #[arg(long, value_name = "FILE")]
    pub journal: Option<PathBuf>,
    /// Send again to readers whose earlier delivery is uncertain (started, no answer).
    #[arg(long)]
    pub resend_uncertain: bool,
    /// Use this quire.yaml instead of the nearest one.
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Decode the issue with this encoding.
    #[arg(long, value_name = "NAME")]
    pub encoding: Option<String>,
    /// Print no progress, only problems and the summary.
    #[arg(short = 'q', long)]
    pub quiet: bool,
    /// Refuse an issue larger than SIZE (e.g. 64MB, 100MiB) before reading it (default 64MB).
    #[arg(long, value_name = "SIZE")]
    pub max_input: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsString;
    use std::os::unix::ffi::OsStringExt;

    fn os(args: &[&[u8]]) -> Vec<OsString> {
        args.iter()
            .map(|a| OsString::from_vec(a.to_vec()))
            .collect()
    }

    /// What clap makes of the same arguments.
    fn by_clap(args: &[OsString]) -> String {
        let argv = std::iter::once(OsString::from("quire")).chain(args.iter().cloned());
        format!("{:?}", Cli::try_parse_from(argv).expect("clap parses it"))
    }

    #[test]
    fn the_plain_render_is_what_clap_parses() {
        for args in [
            &[&b"render"[..], b"a.txt"][..],
            &[b"render", b"a.txt", b"-o", b"b.pdf"],
            &[b"render", b"a.txt", b"--output", b"b.pdf"],
            &[b"render", b"issues/one issue.txt", b"-o", b"out dir/x.pdf"],
            &[b"render", b"help"],
            &[b"render", b"\xff\xfe.txt", b"-o", b"\xff.pdf"],
            &[b"render", "第四期.txt".as_bytes(), b"-o", b"a-b.pdf"],
        ] {
            let args = os(args);
            let fast = plain_render(args.clone()).map(|c| format!("{c:?}"));
            assert_eq!(fast, Some(by_clap(&args)), "{args:?}");
        }
    }

    #[test]
    fn anything_else_goes_to_clap() {
        for args in [
            &[][..],
            &[&b"render"[..]],
            &[b"render", b"-"],
            &[b"render", b"a.txt", b"-o", b"-"],
            &[b"render", b"a.txt", b"-o"],
            &[b"render", b"a.txt", b"-ob.pdf"],
            &[b"render", b"a.txt", b"--output=b.pdf"],
            &[b"render", b"a.txt", b"-o", b"b.pdf", b"c"],
            &[b"render", b"a.txt", b"b.pdf"],
            &[b"render", b"", b"-o", b"b.pdf"],
            &[b"render", b"a.txt", b"-o", b""],
            &[b"render", b"--help"],
            &[b"render", b"-o", b"b.pdf", b"a.txt"],
            &[b"render", b"a.txt", b"--paper", b"a4"],
            &[b"render", b"a.txt", b"--color", b"never"],
            &[b"render", b"a.txt", b"--", b"b"],
            &[b"--color", b"never", b"render", b"a.txt"],
            &[b"check", b"a.txt"],
            &[b"watch", b"a.txt"],
            &[b"Render", b"a.txt"],
        ] {
            assert!(plain_render(os(args)).is_none(), "{args:?}");
        }
    }
}
