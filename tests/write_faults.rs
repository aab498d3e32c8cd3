//! Faults while writing, through the real binary: a full disk (a small tmpfs, filled) and a
//! read-only output folder (a tmpfs remounted read-only: root ignores permission bits, so
//! chmod would prove nothing) during `render` and `export` give a clear error and leave no
//! temporary file, no partial PDF, and a manifest that still parses.
//!
//! Mounting needs root (tests run as root here and in CI); where it is not permitted each
//! test says why on stderr and returns without failing.

mod common;

use common::quire;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A tmpfs mounted on a folder, unmounted when dropped (declare it after the folder's
/// TempDir, so it is dropped first).
struct Mount(PathBuf);

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

impl Mount {
    /// Mounts a tmpfs of `size` (e.g. "64k") on `dir`; `None`, with the reason printed, when
    /// this machine does not allow it.
    fn tmpfs(dir: &Path, size: &str) -> Option<Mount> {
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir)
            .output();
        match out {
            Ok(o) if o.status.success() => Some(Mount(dir.to_path_buf())),
            Ok(o) => {
                eprintln!(
                    "skipped: cannot mount a tmpfs on {}: {}",
                    dir.display(),
                    String::from_utf8_lossy(&o.stderr).trim()
                );
                None
            }
            Err(e) => {
                eprintln!("skipped: cannot run mount: {e}");
                None
            }
        }
    }

    /// Remounts it read-only.
    fn read_only(&self) {
        let ok = Command::new("mount")
            .args(["-o", "remount,ro"])
            .arg(&self.0)
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "remount {} read-only", self.0.display());
    }

    /// Fills it: a file of zeros until the disk is full.
    fn fill(&self) {
        let mut f = fs::File::create(self.0.join("filler")).unwrap();
        let block = [0u8; 4096];
        while f.write_all(&block).is_ok() {}
        let _ = f.flush();
    }
}

const SAMPLE: &str = "issues/embassy-newsletter-2017-04.txt";

/// Every file under `dir`, relative, sorted (temporary files included).
fn all_files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap().map(Result::unwrap) {
            if e.file_type().unwrap().is_dir() {
                stack.push(e.path());
            } else {
                let rel = e.path().strip_prefix(dir).unwrap().display().to_string();
                out.push(rel);
            }
        }
    }
    out.sort();
    out
}

fn no_temp(dir: &Path) {
    let files = all_files(dir);
    assert!(
        !files.iter().any(|f| f.contains(".quire-tmp-")),
        "a temporary file was left: {files:?}"
    );
}

#[test]
fn write_faults_render_to_a_full_disk() {
    let src = common::temp_with(&[SAMPLE, "issues/quire.yaml"]);
    let out = tempfile::tempdir().unwrap();
    let Some(mount) = Mount::tmpfs(out.path(), "64k") else {
        return;
    };
    // An earlier PDF stays whole when the new one cannot be written.
    fs::write(out.path().join("issue.pdf"), b"old").unwrap();
    mount.fill();
    let target = out.path().join("issue.pdf");
    let run = quire(
        src.path(),
        &[
            "render",
            "embassy-newsletter-2017-04.txt",
            "-o",
            target.to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("issue.pdf: error: cannot write: No space left on device"),
        "{}",
        run.stderr
    );
    assert_eq!(fs::read(&target).unwrap(), b"old");
    assert_eq!(all_files(out.path()), ["filler", "issue.pdf"]);
}

#[test]
fn write_faults_render_to_a_read_only_folder() {
    let src = common::temp_with(&[SAMPLE, "issues/quire.yaml"]);
    let out = tempfile::tempdir().unwrap();
    let Some(mount) = Mount::tmpfs(out.path(), "1m") else {
        return;
    };
    mount.read_only();
    let target = out.path().join("issue.pdf");
    let run = quire(
        src.path(),
        &[
            "render",
            "embassy-newsletter-2017-04.txt",
            "-o",
            target.to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("issue.pdf: error: cannot write: Read-only file system"),
        "{}",
        run.stderr
    );
    assert!(all_files(out.path()).is_empty());
}

/// A folder of two issues, the second changed after the first export.
fn export_source() -> tempfile::TempDir {
    let src = tempfile::tempdir().unwrap();
    let sample = fs::read_to_string(common::root().join(SAMPLE)).unwrap();
    fs::write(src.path().join("a.txt"), &sample).unwrap();
    fs::write(src.path().join("b.txt"), &sample).unwrap();
    src
}

fn manifest_parses(outdir: &Path) -> serde_json::Value {
    let bytes = fs::read(outdir.join("manifest.json")).expect("manifest.json is there");
    serde_json::from_slice(&bytes).expect("manifest.json still parses")
}

#[test]
fn write_faults_export_to_a_full_disk() {
    let src = export_source();
    let out = tempfile::tempdir().unwrap();
    let Some(mount) = Mount::tmpfs(out.path(), "1m") else {
        return;
    };
    let o = out.path().to_str().unwrap();
    let first = quire(src.path(), &["export", ".", "-o", o, "-q", "-j", "1"]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let before = manifest_parses(out.path());
    let b_pdf = fs::read(out.path().join("b.pdf")).unwrap();
    // b.txt changes: its PDF must be written again, onto a full disk.
    let changed = fs::read_to_string(src.path().join("b.txt")).unwrap() + "\nOne more line.\n";
    fs::write(src.path().join("b.txt"), changed).unwrap();
    mount.fill();
    let run = quire(src.path(), &["export", ".", "-o", o, "-q", "-j", "1"]);
    assert_ne!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("No space left on device"),
        "{}",
        run.stderr
    );
    no_temp(out.path());
    // The old PDF is whole, the manifest parses (the old one, or a new one naming b failed).
    assert_eq!(fs::read(out.path().join("b.pdf")).unwrap(), b_pdf);
    let after = manifest_parses(out.path());
    assert_eq!(after["issues"].as_array().unwrap().len(), 2);
    assert_eq!(before["issues"][0], after["issues"][0]);
}

#[test]
fn write_faults_export_to_a_read_only_folder() {
    let src = export_source();
    let out = tempfile::tempdir().unwrap();
    let Some(mount) = Mount::tmpfs(out.path(), "1m") else {
        return;
    };
    let o = out.path().to_str().unwrap();
    let first = quire(src.path(), &["export", ".", "-o", o, "-q", "-j", "1"]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let before = all_files(out.path());
    let manifest = fs::read(out.path().join("manifest.json")).unwrap();
    fs::write(
        src.path().join("b.txt"),
        "NEWSLETTER Issue 2 of 2017\n\n\nNew\n\nText.\n",
    )
    .unwrap();
    mount.read_only();
    let run = quire(src.path(), &["export", ".", "-o", o, "-q", "-j", "1"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("Read-only file system"),
        "{}",
        run.stderr
    );
    assert_eq!(all_files(out.path()), before);
    assert_eq!(
        fs::read(out.path().join("manifest.json")).unwrap(),
        manifest
    );
    manifest_parses(out.path());
}
