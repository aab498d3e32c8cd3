//! Finding the issue files under DIR and the safe output path of each: names come from the
//! file names only, symlinks never lead out of DIR, and outputs never leave OUTDIR.

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

/// The patterns used when quire.yaml has no `export.patterns`.
pub const DEFAULT_PATTERNS: &[&str] = &["*.txt"];

/// One issue file found under DIR.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The file to read (inside DIR; a symlink is given as itself, its target is inside DIR).
    pub path: PathBuf,
    /// Its path relative to DIR, made only of plain names.
    pub rel: PathBuf,
    /// Its size in bytes (a symlink's own), as the walk saw it: how much work it is likely to
    /// be, for the order the workers take the issues in.
    pub size: u64,
}

/// A file or folder left out, with the reason (shown as a warning).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub path: PathBuf,
    pub reason: String,
}

/// What the walk found.
#[derive(Debug, Default)]
pub struct Walk {
    pub found: Vec<Found>,
    pub skipped: Vec<Skipped>,
}

/// Walk `dir` (already canonical) for files matching `patterns`, in a fixed order (sorted by
/// relative path). Hidden entries (names starting with '.') are left out (OUTDIR is never
/// inside DIR: `quire export` refuses it); symlinks are followed only to files inside DIR; symlinked
/// folders are never followed (they could loop or lead out).
pub fn walk(dir: &Path, patterns: &[String]) -> io::Result<Walk> {
    let mut out = Walk::default();
    let mut stack = vec![PathBuf::new()];
    while let Some(rel_dir) = stack.pop() {
        let abs_dir = dir.join(&rel_dir);
        let mut entries: Vec<_> = match fs::read_dir(&abs_dir) {
            Ok(rd) => rd.filter_map(Result::ok).collect(),
            Err(e) if rel_dir.as_os_str().is_empty() => return Err(e),
            Err(e) => {
                out.skipped.push(Skipped {
                    path: abs_dir,
                    reason: format!("cannot read the folder: {e}"),
                });
                continue;
            }
        };
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let name = e.file_name();
            if name.to_string_lossy().starts_with('.') {
                continue;
            }
            let rel = rel_dir.join(&name);
            let path = e.path();
            let Ok(meta) = fs::symlink_metadata(&path) else {
                continue;
            };
            if meta.is_dir() {
                stack.push(rel);
                continue;
            }
            if !matches_any(patterns, &rel) || name == super::super::io::CONFIG_NAME {
                continue;
            }
            if meta.file_type().is_symlink() {
                match fs::canonicalize(&path) {
                    Ok(target) if !target.starts_with(dir) => {
                        out.skipped.push(Skipped {
                            path,
                            reason: "is a symlink to a file outside the folder".into(),
                        });
                        continue;
                    }
                    Ok(target) if target.is_dir() => {
                        out.skipped.push(Skipped {
                            path,
                            reason: "is a symlink to a folder; folder links are not followed"
                                .into(),
                        });
                        continue;
                    }
                    Ok(_) => {}
                    Err(e) => {
                        out.skipped.push(Skipped {
                            path,
                            reason: format!("is a broken symlink: {e}"),
                        });
                        continue;
                    }
                }
            } else if !meta.is_file() {
                continue;
            }
            out.found.push(Found {
                path,
                rel,
                size: meta.len(),
            });
        }
    }
    out.found.sort_by(|a, b| a.rel.cmp(&b.rel));
    Ok(out)
}

/// The output path (relative to OUTDIR) of the issue at `rel`: the same folders, the file's
/// name with `.pdf`. `None` when `rel` holds anything but plain names.
pub fn output_rel(rel: &Path) -> Option<PathBuf> {
    if rel.as_os_str().is_empty() || !rel.components().all(|c| matches!(c, Component::Normal(_))) {
        return None;
    }
    let mut out = rel.to_path_buf();
    out.set_extension("pdf");
    Some(out)
}

/// Does any pattern match `rel`? A pattern without '/' matches the file name; one with '/'
/// matches the whole relative path (with '/' between folders).
pub fn matches_any(patterns: &[String], rel: &Path) -> bool {
    let name = rel
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let full = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/");
    patterns.iter().any(|p| {
        if p.contains('/') {
            glob(p.as_bytes(), full.as_bytes())
        } else {
            glob(p.as_bytes(), name.as_bytes())
        }
    })
}

/// Shell-style matching: `*` any run of characters but '/', `**` any run at all, `?` one
/// character but '/'; everything else literally. Iterative: it remembers the last `*` and the
/// last `**` to backtrack to (a later star covers what an earlier one of its kind could), so
/// hostile patterns cost O(pattern × text), with no recursion.
fn glob(pat: &[u8], text: &[u8]) -> bool {
    let (mut p, mut t) = (0usize, 0usize);
    // Backtrack points: (pattern index after the star, text index the star has reached).
    let mut shallow: Option<(usize, usize)> = None;
    let mut deep: Option<(usize, usize)> = None;
    while t < text.len() {
        if p + 1 < pat.len() && pat[p] == b'*' && pat[p + 1] == b'*' {
            let mut q = p + 2;
            if pat.get(q) == Some(&b'/') {
                q += 1; // "**/" also matches no folder at all
            }
            deep = Some((q, t));
            shallow = None;
            p = q;
        } else if p < pat.len() && pat[p] == b'*' {
            shallow = Some((p + 1, t));
            p += 1;
        } else if p < pat.len() && (pat[p] == text[t] || (pat[p] == b'?' && text[t] != b'/')) {
            p += 1;
            t += 1;
        } else if let Some((sp, st)) = shallow.filter(|&(_, st)| text[st] != b'/') {
            shallow = Some((sp, st + 1));
            p = sp;
            t = st + 1;
        } else if let Some((dp, dt)) = deep {
            shallow = None;
            deep = Some((dp, dt + 1));
            p = dp;
            t = dt + 1;
        } else {
            return false;
        }
    }
    while p < pat.len() && pat[p] == b'*' {
        p += 1;
    }
    p == pat.len()
}

/// Create the folders of `rel`'s parent under `root` one by one, refusing any that exists as
/// a symlink or a file, so writing `root/rel` cannot land outside `root`.
pub fn make_parent_dirs(root: &Path, rel: &Path) -> io::Result<()> {
    let mut at = root.to_path_buf();
    let Some(parent) = rel.parent() else {
        return Ok(());
    };
    for c in parent.components() {
        let Component::Normal(name) = c else {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "the output path is not a plain relative path",
            ));
        };
        at.push(name);
        match fs::symlink_metadata(&at) {
            Ok(m) if m.is_dir() => continue,
            Ok(_) => {
                return Err(io::Error::new(
                    io::ErrorKind::AlreadyExists,
                    format!(
                        "{} exists and is not a plain folder (a file or a symlink)",
                        at.display()
                    ),
                ))
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => match fs::create_dir(&at) {
                Ok(()) => {}
                // Another worker made it first; check it is a plain folder on the next pass.
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                    if !fs::symlink_metadata(&at)?.is_dir() {
                        return Err(e);
                    }
                }
                Err(e) => return Err(e),
            },
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pats(p: &[&str]) -> Vec<String> {
        p.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn walk_glob_star_stays_in_one_folder() {
        assert!(glob(b"*.txt", b"2017-04.txt"));
        assert!(!glob(b"*.txt", b"2017-04.txt.bak"));
        assert!(!glob(b"*.txt", b"a/b.txt"));
        assert!(glob(b"20??-*.txt", b"2017-04.txt"));
        assert!(!glob(b"?.txt", b"/.txt"));
    }

    #[test]
    fn walk_glob_double_star_crosses_folders() {
        assert!(glob(b"issues/**/*.txt", b"issues/2017/04.txt"));
        assert!(glob(b"issues/**/*.txt", b"issues/04.txt"));
        assert!(!glob(b"issues/**/*.txt", b"other/04.txt"));
        assert!(glob(b"**", b"a/b/c"));
        assert!(glob(b"**/x-*.txt", b"a/b/x-1.txt"));
        assert!(!glob(b"**/x-*.txt", b"a/x-/b.txt"));
    }

    #[test]
    fn walk_glob_hostile_pattern_terminates() {
        let text = "a".repeat(200);
        assert!(!glob("*a*a*a*a*a*a*a*a*b".as_bytes(), text.as_bytes()));
    }

    #[test]
    fn walk_matches_name_or_path() {
        let p = pats(&["*.txt", "2017/*.md"]);
        assert!(matches_any(&p, Path::new("2016/x.txt")));
        assert!(matches_any(&p, Path::new("2017/x.md")));
        assert!(!matches_any(&p, Path::new("2016/x.md")));
    }

    #[test]
    fn walk_output_rel_plain_names_only() {
        assert_eq!(
            output_rel(Path::new("2017/04 spring.txt")),
            Some(PathBuf::from("2017/04 spring.pdf"))
        );
        assert_eq!(
            output_rel(Path::new("noext")),
            Some(PathBuf::from("noext.pdf"))
        );
        assert_eq!(output_rel(Path::new("../x.txt")), None);
        assert_eq!(output_rel(Path::new("/etc/x.txt")), None);
        assert_eq!(output_rel(Path::new("")), None);
    }

    #[test]
    fn walk_skips_links_out_and_hidden_files() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.txt"), "x").unwrap();
        let d = tempfile::tempdir().unwrap();
        let dir = std::fs::canonicalize(d.path()).unwrap();
        std::fs::create_dir(dir.join("2017")).unwrap();
        std::fs::write(dir.join("2017/a b.txt"), "x").unwrap();
        std::fs::write(dir.join(".hidden.txt"), "x").unwrap();
        std::fs::write(dir.join("notes.md"), "x").unwrap();
        std::os::unix::fs::symlink(outside.path().join("secret.txt"), dir.join("out.txt")).unwrap();
        std::os::unix::fs::symlink(outside.path(), dir.join("outdir")).unwrap();
        std::os::unix::fs::symlink(dir.join("2017/a b.txt"), dir.join("in.txt")).unwrap();
        let w = walk(&dir, &pats(DEFAULT_PATTERNS)).unwrap();
        let rels: Vec<_> = w.found.iter().map(|f| f.rel.clone()).collect();
        assert_eq!(
            rels,
            vec![PathBuf::from("2017/a b.txt"), PathBuf::from("in.txt")]
        );
        assert_eq!(w.skipped.len(), 1, "{:?}", w.skipped);
        assert!(w.skipped[0].reason.contains("outside"));
    }

    #[test]
    fn walk_make_parent_dirs_refuses_symlinks() {
        let outside = tempfile::tempdir().unwrap();
        let root = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(outside.path(), root.path().join("2017")).unwrap();
        assert!(make_parent_dirs(root.path(), Path::new("2017/a.pdf")).is_err());
        make_parent_dirs(root.path(), Path::new("2018/x/a.pdf")).unwrap();
        assert!(root.path().join("2018/x").is_dir());
        assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 0);
    }
}
