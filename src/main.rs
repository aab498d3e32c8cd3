//! The `quire` command line: clap arguments -> one function per subcommand -> exit code.

mod cli;

/// mimalloc (v2): quire allocates many small glyph runs and strings, and glibc's malloc/free
/// were ~20 % of a long render. Measured: a 545-page issue 2.25 s → 1.78 s, the sample
/// 8.8 → 7.5 ms, for 6 MiB more resident memory (16.5 MiB on the sample).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::Parser;
use cli::args::{Cli, Command};

fn main() {
    let cli = Cli::parse();
    cli::report::init(cli.color);
    let code = match &cli.command {
        Command::Check(args) => cli::check::run(args),
        Command::Render(args) => cli::render::run(args),
        Command::Export(args) => cli::export::run(args),
        Command::Mail(args) => cli::mail::run(args),
        Command::Extract(args) => cli::extract::run(args),
        Command::Init(args) => cli::init::run(args),
        Command::Watch(args) => cli::watch::run(args),
        Command::Completions(args) => cli::completions::completions(args),
        Command::Man(args) => cli::completions::man(args),
    };
    std::process::exit(code);
}
