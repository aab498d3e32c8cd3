//! The `quire` command line: clap arguments -> one function per subcommand -> exit code.

mod cli;

use clap::Parser;
use cli::args::{Cli, Command};

fn main() {
    let cli = Cli::parse();
    let code = match &cli.command {
        Command::Check(args) => cli::check::run(args),
        Command::Render(args) => cli::render::run(args),
        Command::Export(args) => cli::export::run(args),
    };
    std::process::exit(code);
}
