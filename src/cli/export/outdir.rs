//! OUTDIR's safety: the lock that keeps a second export out, atomic writes of the outputs
//! (folders made inside OUTDIR only), the removal of a killed run's temporary files, and of
//! the outputs an earlier run wrote that this one no longer produces.

use super::cache::{owns, Entry};
use super::walk;
use crate::cli::io;
use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

/// The lock file in OUTDIR: an OS file lock on it (`flock` on Unix, `LockFileEx` on Windows)
/// is held for the whole run, so a second export into the same OUTDIR stops with a clear error
/// instead of deleting the first one's temporary files and interleaving their manifests. The
/// system releases the lock when the process ends, however it ends (a killed run leaves no
/// stale lock). The file stays in OUTDIR; it holds the running export's process id, for the
/// message, and is emptied when the run ends.
const LOCK: &str = ".quire-export.lock";

/// The held lock: emptied (not removed: removing it would let a later run lock a new file
/// while a waiting one locks the old) and released when the export ends.
pub struct OutdirLock(fs::File);

impl Drop for OutdirLock {
    fn drop(&mut self) {
        let _ = self.0.set_len(0);
        let _ = self.0.unlock();
    }
}

/// Why OUTDIR could not be locked; the paths are as the user gave OUTDIR.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error("cannot write in {}", .0.display())]
    Open(PathBuf, #[source] std::io::Error),
    #[error(
        "{}: another quire export{} is writing there; wait for it to finish",
        .shown.display(),
        .holder.map(|pid| format!(" (process {pid})")).unwrap_or_default()
    )]
    Busy { shown: PathBuf, holder: Option<u32> },
    #[error("cannot lock {}", .0.display())]
    Lock(PathBuf, #[source] std::io::Error),
}

/// Lock OUTDIR for this run; `shown` is OUTDIR as the user wrote it, for the messages.
pub fn lock(outdir: &Path, shown: &Path) -> Result<OutdirLock, LockError> {
    let path = outdir.join(LOCK);
    let mut file = fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(|e| LockError::Open(shown.to_path_buf(), e))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(fs::TryLockError::WouldBlock) => {
            let holder = fs::read_to_string(&path)
                .ok()
                .and_then(|s| s.trim().parse::<u32>().ok());
            return Err(LockError::Busy {
                shown: shown.to_path_buf(),
                holder,
            });
        }
        Err(fs::TryLockError::Error(e)) => return Err(LockError::Lock(shown.join(LOCK), e)),
    }
    // Ours now: record who holds it (a killed run's id is simply overwritten).
    let _ = file.set_len(0);
    let _ = file.write_all(format!("{}\n", std::process::id()).as_bytes());
    Ok(OutdirLock(file))
}

/// Write `bytes` to OUTDIR/`rel` atomically (`io::write_atomic`), first making `rel`'s folders
/// inside OUTDIR, never through a symlink; the file it replaces is let go of by `reaper`
/// when one is given (`io::Reaper`).
pub fn write_output(
    outdir: &Path,
    rel: &Path,
    bytes: &[u8],
    reaper: Option<&io::Reaper>,
) -> std::io::Result<()> {
    walk::make_parent_dirs(outdir, rel)?;
    io::write_atomic_reaped(&outdir.join(rel), bytes, reaper)
}

/// What removing the stale outputs did: the files removed and those kept because they were
/// changed since the export wrote them (paths relative to OUTDIR).
#[derive(Debug, Default, PartialEq)]
pub struct Stale {
    pub removed: Vec<String>,
    pub kept: Vec<String>,
}

/// Remove the outputs the previous manifest owned that this run no longer produces: an issue
/// whose source is gone, a volume not bound this time (a run without `--volumes`), an output
/// that moved. Only files the export wrote and nobody changed since (same SHA-256) are
/// removed, then the folders that removal left empty; nothing outside the manifest is
/// touched. `current` is every output this run's manifest names.
pub fn remove_stale(
    outdir: &Path,
    previous: &std::collections::HashMap<String, Entry>,
    current: &std::collections::HashSet<&str>,
) -> Stale {
    let mut stale = Stale::default();
    // Every file a previous entry vouched for (its PDF, its booklet) that this run does not.
    let mut gone: Vec<(&str, Option<&str>)> = previous
        .values()
        .flat_map(Entry::outputs)
        .filter(|(output, _)| !output.is_empty() && !current.contains(output))
        .collect();
    gone.sort();
    gone.dedup_by(|a, b| a.0 == b.0);
    for (output, sha) in gone {
        let rel = Path::new(output);
        // A manifest is data: never follow it out of OUTDIR.
        if rel.is_absolute() || rel.components().any(|c| !matches!(c, Component::Normal(_))) {
            continue;
        }
        let path = outdir.join(rel);
        match fs::symlink_metadata(&path) {
            Ok(m) if m.is_file() => {}
            _ => continue,
        }
        // A failed entry vouches for no file (its sha256 is null): what lies there is left.
        if sha.is_none_or(str::is_empty) {
            continue;
        }
        if !owns(outdir, output, sha) {
            stale.kept.push(output.to_string());
            continue;
        }
        if fs::remove_file(&path).is_ok() {
            stale.removed.push(output.to_string());
            let mut dir = path.parent();
            while let Some(d) = dir.filter(|d| *d != outdir && d.starts_with(outdir)) {
                if fs::remove_dir(d).is_err() {
                    break;
                }
                dir = d.parent();
            }
        }
    }
    stale
}

/// Remove temporary files a killed run left in OUTDIR (never following symlinks).
pub fn remove_stale_temps(outdir: &Path) {
    let mut stack = vec![outdir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = fs::read_dir(&d) else { continue };
        for e in rd.filter_map(Result::ok) {
            let Ok(ft) = e.file_type() else { continue };
            if ft.is_dir() {
                stack.push(e.path());
            } else if ft.is_file() && io::is_temp_name(&e.file_name().to_string_lossy()) {
                let _ = fs::remove_file(e.path());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn export_write_output_is_atomic_and_cleans_up() {
        let d = tempfile::tempdir().unwrap();
        write_output(d.path(), Path::new("2017/a.pdf"), b"one", None).unwrap();
        write_output(d.path(), Path::new("2017/a.pdf"), b"two", None).unwrap();
        assert_eq!(fs::read(d.path().join("2017/a.pdf")).unwrap(), b"two");
        assert_eq!(fs::read_dir(d.path().join("2017")).unwrap().count(), 1);
        fs::write(d.path().join("2017/.b.pdf.quire-tmp-1"), b"half").unwrap();
        remove_stale_temps(d.path());
        assert_eq!(fs::read_dir(d.path().join("2017")).unwrap().count(), 1);
    }

    #[test]
    fn export_lock_keeps_a_second_run_out() {
        let d = tempfile::tempdir().unwrap();
        let held = lock(d.path(), Path::new("out")).unwrap();
        let Err(second) = lock(d.path(), Path::new("out")) else {
            panic!("a second lock on the same OUTDIR must fail");
        };
        assert_eq!(
            second.to_string(),
            format!(
                "out: another quire export (process {}) is writing there; wait for it to finish",
                std::process::id()
            )
        );
        drop(held);
        lock(d.path(), Path::new("out")).unwrap();
    }
}
