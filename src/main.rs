//! The `quire` command line: clap arguments -> one function per subcommand -> exit code.

mod cli;

/// The allocator: mimalloc (v3, without transparent huge pages) for an export, a long issue,
/// mail and watch; glibc's for a short render or check (see `alloc`). mimalloc: quire
/// allocates many small glyph runs and strings, and glibc's malloc/free were ~20 % of a long
/// render (a 545-page issue 2.25 s → 1.78 s). Huge pages are off (`no_thp`): mimalloc asked
/// the kernel for them on its 1 GiB arena, and a one-page render then spent ~15 % of its time
/// zeroing 2 MiB pages it barely used and peaked at 22 MiB.
#[global_allocator]
static GLOBAL: alloc::Dispatch = alloc::Dispatch;

mod alloc;

use clap::{CommandFactory, FromArgMatches};
use cli::args::{Cli, Command};

fn main() {
    // `--color` also colours clap's own help and usage errors, which are printed while the
    // arguments are parsed, before the parsed value could be read.
    let cli = match cli::args::plain_render(std::env::args_os().skip(1)) {
        Some(cli) => cli,
        None => {
            let color = cli::report::ColorWhen::from_args(std::env::args_os());
            Cli::command()
                .color(color.for_clap())
                .try_get_matches()
                .and_then(|m| Cli::from_arg_matches(&m))
                .unwrap_or_else(|e| e.exit())
        }
    };
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
    exit_now(code)
}

/// Ends the process with `code` at once, without the C runtime's exit handlers: they include
/// mimalloc's, which hands every page it holds back to the kernel one `madvise` at a time
/// (~10 MiB after a one-page render) just before the kernel frees the whole address space
/// anyway. Everything quire writes is written, closed and renamed before its subcommand
/// returns; standard output and error are flushed here.
fn exit_now(code: i32) -> ! {
    use std::io::Write;
    let _ = std::io::stdout().flush();
    let _ = std::io::stderr().flush();
    // A build that collects a profile for profile-guided optimisation (`scripts/pgo`) writes
    // it here: `_exit` skips the exit handler that would.
    #[cfg(quire_pgo_train)]
    {
        extern "C" {
            fn __llvm_profile_write_file() -> i32;
        }
        // SAFETY: the profiling runtime linked by `-Cprofile-generate` defines it; it writes
        // the counters to the file named when the build was made.
        unsafe {
            __llvm_profile_write_file();
        }
    }
    // SAFETY: `_exit` takes no pointers and does not return; no other thread holds a file
    // that still needs writing (rayon's workers are idle once a subcommand has returned).
    unsafe { libc::_exit(code) }
}
