//! `quire completions SHELL` and `quire man`: what a shell and `man` need, generated from the
//! clap definition (so they never fall behind the flags).

use super::args::{Cli, CompletionsArgs, ManArgs};
use super::io;
use clap::CommandFactory;
use quire::diag::Diagnostic;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Print the completion script for a shell on stdout; returns the exit code.
pub fn completions(args: &CompletionsArgs) -> i32 {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "quire", &mut script);
    write_stdout(&script)
}

/// Print quire's manual page on stdout (its commands listed), or with `--dir` write
/// `quire.1` and one page per command into that folder; returns the exit code.
pub fn man(args: &ManArgs) -> i32 {
    let Some(dir) = &args.dir else {
        return match page(Cli::command()) {
            Ok(roff) => write_stdout(&roff),
            Err(e) => {
                eprintln!("{}", Diagnostic::error("quire man", 0, 0, e.to_string()));
                1
            }
        };
    };
    match write_pages(dir) {
        Ok(written) => {
            for p in written {
                println!("{}", p.display());
            }
            0
        }
        Err(d) => {
            super::report::emit(&d);
            1
        }
    }
}

/// One manual page as roff.
fn page(cmd: clap::Command) -> std::io::Result<Vec<u8>> {
    let mut roff = Vec::new();
    clap_mangen::Man::new(cmd).render(&mut roff)?;
    Ok(title_first(roff))
}

/// clap_mangen starts a page with the definition of the apostrophe string (`.ie \n(.g .ds
/// Aq …`) and then `.TH`; a page conventionally opens with `.TH` (what `file`, `mandb` and
/// `lexgrog` look for), and the string only has to be defined before its first use. So the
/// `.TH` line goes first.
fn title_first(roff: Vec<u8>) -> Vec<u8> {
    let text = match String::from_utf8(roff) {
        Ok(text) => text,
        Err(e) => return e.into_bytes(),
    };
    let mut lines: Vec<&str> = text.split_inclusive('\n').collect();
    match lines.iter().position(|l| l.starts_with(".TH ")) {
        Some(i) if i > 0 => {
            let title = lines.remove(i);
            lines.insert(0, title);
            lines.concat().into_bytes()
        }
        _ => text.into_bytes(),
    }
}

/// `quire.1`, `quire-render.1` … into `dir` (made when missing), each written atomically;
/// returns the files written.
fn write_pages(dir: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    let shown = dir.display().to_string();
    std::fs::create_dir_all(dir)
        .map_err(|e| Diagnostic::error(&shown, 0, 0, format!("cannot make the folder: {e}")))?;
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    let mut written = Vec::new();
    let mut pending = vec![cmd];
    while let Some(cmd) = pending.pop() {
        pending.extend(cmd.get_subcommands().filter(|s| !s.is_hide_set()).cloned());
        let man = clap_mangen::Man::new(cmd);
        let path = dir.join(man.get_filename());
        let fail = |e: std::io::Error| {
            Diagnostic::error(
                &path.display().to_string(),
                0,
                0,
                format!("cannot write: {e}"),
            )
        };
        let mut roff = Vec::new();
        man.render(&mut roff).map_err(fail)?;
        io::write_atomic(&path, &title_first(roff)).map_err(fail)?;
        written.push(path);
    }
    written.sort();
    Ok(written)
}

/// Write bytes on stdout; a closed pipe (`| head`) is not an error worth a message.
fn write_stdout(bytes: &[u8]) -> i32 {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => 0,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
        Err(e) => {
            eprintln!(
                "{}",
                Diagnostic::error("<stdout>", 0, 0, format!("cannot write: {e}"))
            );
            1
        }
    }
}
