//! The command line's subcommands; all file, directory and font-file I/O lives here.

pub mod args;
pub mod check;
pub mod export;
pub mod io;
pub mod render;
