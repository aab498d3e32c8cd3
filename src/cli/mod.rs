//! The command line's subcommands; all file, directory, font-file and network I/O lives here.

pub mod args;
pub mod attach;
pub mod check;
pub mod completions;
pub mod env;
pub mod export;
pub mod extract;
pub mod init;
pub mod io;
pub mod mail;
pub mod render;
pub mod report;
pub mod usage;
pub mod watch;
