//! Test helpers: run the real `quire` binary in a temporary directory.
#![allow(dead_code)] // each test file uses a different part of this helper

pub mod smtp;

use std::path::{Path, PathBuf};
use std::process::Command;

/// What one run of the binary gave.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Run `quire` with `args` in `cwd`.
pub fn quire(cwd: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_quire"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("the quire binary runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A temporary directory holding copies of `files` (paths relative to the repository root),
/// each under its file name.
pub fn temp_with(files: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temp dir");
    for f in files {
        let src = root().join(f);
        let name = src.file_name().expect("a file name");
        std::fs::copy(&src, dir.path().join(name)).expect("copy fixture");
    }
    dir
}

/// A temporary directory holding a copy of one parse fixture.
pub fn fixture_dir(name: &str) -> tempfile::TempDir {
    temp_with(&[&format!("tests/fixtures/parse/{name}")])
}

/// `quire check --json FILE` in `dir`: exit code and the parsed JSON object.
pub fn check_json(dir: &Path, file: &str) -> (i32, serde_json::Value) {
    let run = quire(dir, &["check", "--json", file]);
    let value = serde_json::from_str(run.stdout.trim()).unwrap_or_else(|e| {
        panic!(
            "stdout is one JSON object ({e}): {}\nstderr: {}",
            run.stdout, run.stderr
        )
    });
    (run.code, value)
}

/// The names of the files in `dir`, sorted.
pub fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}
