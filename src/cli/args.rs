//! Command-line arguments (clap derive): one struct per subcommand.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// quire: the plain text of a newsletter issue in, a print-ready paginated PDF out.
#[derive(Debug, Parser)]
#[command(name = "quire", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read issue files and report their structure problems (exit 1 on any error).
    Check(CheckArgs),
    /// Typeset an issue into a PDF.
    Render(RenderArgs),
    /// Render every issue under a folder into PDFs, in parallel, skipping those up to date.
    Export(ExportArgs),
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
}

#[derive(Debug, Args)]
pub struct RenderArgs {
    /// The issue text file.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Where to write the PDF (default: the name with .pdf).
    #[arg(short = 'o', long = "output", value_name = "OUT")]
    pub output: Option<PathBuf>,
    /// Paper size: letter, legal, a4, a5, or "8.5in x 11in" (overrides quire.yaml).
    #[arg(long, value_name = "P")]
    pub paper: Option<String>,
    /// Number of text columns.
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..=2))]
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
    /// Print the broken lines as text instead of (or before) writing the PDF.
    #[arg(long)]
    pub dump_lines: bool,
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
}
