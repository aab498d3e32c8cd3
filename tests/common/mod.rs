//! Test helpers: run the real `quire` binary in a temporary directory.
#![allow(dead_code)] // each test file uses a different part of this helper

pub mod smtp;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;
use std::time::SystemTime;

/// What one run of the binary gave.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Run `quire` with `args` in `cwd`.
pub fn quire(cwd: &Path, args: &[&str]) -> Run {
    quire_with(cwd, args, |_| {})
}

/// Run `quire` with `args` in `cwd`, its command first adjusted by `setup` (environment).
pub fn quire_with(cwd: &Path, args: &[&str], setup: impl FnOnce(&mut Command)) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_quire"));
    cmd.args(args).current_dir(cwd);
    setup(&mut cmd);
    let out = cmd.output().expect("the quire binary runs");
    keep_output(cwd, args);
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

/// After a run of `quire` in `cwd` with `args`: keep the PDFs under `cwd` (see `keep_pdfs`)
/// and, when `-o`/`--output` names a path outside `cwd`, the PDFs there.
pub fn keep_output(cwd: &Path, args: &[&str]) {
    if std::env::var_os("QUIRE_KEEP_PDFS").is_none() {
        return;
    }
    keep_pdfs(cwd);
    let out = args
        .iter()
        .position(|a| *a == "-o" || *a == "--output")
        .and_then(|i| args.get(i + 1));
    if let Some(out) = out.filter(|o| **o != "-") {
        let out = cwd.join(out);
        if !out.starts_with(cwd) {
            keep_pdfs(&out);
        }
    }
}

/// When `QUIRE_KEEP_PDFS` is set (by scripts/test, for scripts/readers), copy every PDF at
/// `path` (a file, or a folder searched recursively; never the repository root) into
/// `$QUIRE_KEEP_PDFS/<test binary>/<test name>/<n>/<its path under the folder>`, `n` the first
/// number free, so nothing is overwritten. A file counts as a PDF when its name ends in `.pdf`
/// and it starts with `%PDF-` (tests also write text under `.pdf` names); symlinks, `target`
/// and `node_modules` are skipped, at most `KEEP_AT_MOST` files are taken from one folder (in
/// path order), and a file this process already kept, unchanged, is not copied again. Unset,
/// this costs one environment look-up.
pub fn keep_pdfs(path: &Path) {
    let Some(keep) = std::env::var_os("QUIRE_KEEP_PDFS") else {
        return;
    };
    let mut found = Vec::new();
    match std::fs::symlink_metadata(path) {
        // The repository itself is never searched (a test run there names its output).
        _ if path == root() => {}
        Ok(m) if m.is_dir() => find_pdfs(path, Path::new(""), 0, &mut found),
        Ok(m) if m.is_file() && is_pdf(path) => {
            found.push((path.to_path_buf(), PathBuf::from(path.file_name().unwrap())))
        }
        _ => {}
    }
    // A run that writes a whole archive (the kill test's 1000 generated issues) has its first
    // KEEP_AT_MOST read: the rest are more issues of the same generator.
    found.sort();
    found.truncate(KEEP_AT_MOST);
    // The files this process kept, with their length and modification time when kept.
    static KEPT: Mutex<Option<HashMap<PathBuf, Stamp>>> = Mutex::new(None);
    let mut kept = KEPT.lock().unwrap_or_else(|e| e.into_inner());
    let kept = kept.get_or_insert_with(HashMap::new);
    found.retain(|(abs, _)| {
        let Ok(m) = std::fs::metadata(abs) else {
            return false;
        };
        let stamp = (m.len(), m.modified().ok());
        kept.insert(abs.clone(), stamp) != Some(stamp)
    });
    if found.is_empty() {
        return;
    }
    let exe = std::env::current_exe().ok();
    let binary = exe
        .as_deref()
        .and_then(|e| e.file_stem())
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    // Test binaries are `<name>-<hash>`.
    let binary = binary.rsplit_once('-').map_or(&*binary, |(name, _)| name);
    let test = std::thread::current()
        .name()
        .unwrap_or("main")
        .replace(|c: char| !c.is_ascii_alphanumeric() && c != '_', "_");
    let base = Path::new(&keep).join(binary).join(test);
    let _ = std::fs::create_dir_all(&base);
    let dest = (0..)
        .map(|n| base.join(n.to_string()))
        .find(|d| match std::fs::create_dir(d) {
            Ok(()) => true,
            Err(e) => e.kind() != std::io::ErrorKind::AlreadyExists,
        })
        .expect("a free number");
    for (abs, rel) in found {
        let to = dest.join(rel);
        if let Some(parent) = to.parent() {
            let _ = std::fs::create_dir_all(parent);
        }
        let _ = std::fs::copy(&abs, &to);
    }
}

/// A file's length and modification time.
type Stamp = (u64, Option<SystemTime>);

/// The most PDFs `keep_pdfs` copies from one folder.
const KEEP_AT_MOST: usize = 100;

/// Whether `file` starts with `%PDF-`.
fn is_pdf(file: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 5];
    std::fs::File::open(file)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok()
        && &head == b"%PDF-"
}

/// Collect `(absolute, relative)` paths of the PDFs under `dir` (`rel` is `dir` relative to
/// the folder searched).
fn find_pdfs(dir: &Path, rel: &Path, depth: usize, out: &mut Vec<(PathBuf, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        let name = entry.file_name();
        let abs = entry.path();
        if kind.is_dir() && depth < 8 && name != "target" && name != "node_modules" {
            find_pdfs(&abs, &rel.join(&name), depth + 1, out);
        } else if kind.is_file()
            && Path::new(&name)
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("pdf"))
            && is_pdf(&abs)
        {
            out.push((abs, rel.join(&name)));
        }
    }
}

/// The PDF's objects as qpdf reads them (`qpdf --json`, version 2): "obj:N 0 R" -> the
/// object's value, or for a stream `{"stream": {"dict": …}}` (without its data).
pub fn qpdf_objects(pdf: &Path) -> std::collections::BTreeMap<String, serde_json::Value> {
    let out = Command::new("qpdf")
        .args(["--json", "--json-key=qpdf", "--json-stream-data=none"])
        .arg(pdf)
        .output()
        .expect("qpdf runs: run scripts/test, which installs it");
    assert!(
        out.status.success(),
        "qpdf: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("qpdf writes JSON");
    json["qpdf"][1]
        .as_object()
        .expect("qpdf's objects")
        .iter()
        .map(|(k, v)| {
            (
                k.clone(),
                v.get("value").cloned().unwrap_or_else(|| v.clone()),
            )
        })
        .collect()
}
