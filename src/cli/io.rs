//! File I/O for the CLI: reading issues and quire.yaml, finding quire.yaml, atomic writes.

use quire::config::Config;
use quire::diag::Diagnostic;
use quire::fonts::FontBook;
use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// The file name of the per-folder configuration.
pub const CONFIG_NAME: &str = "quire.yaml";

/// Read an issue file's bytes; a missing file, a directory or an unreadable file is an error.
pub fn read_issue(path: &Path) -> Result<Vec<u8>, Diagnostic> {
    let name = path.display().to_string();
    match fs::metadata(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(Diagnostic::error(&name, 0, 0, "no such file")
                .with_hint("check the path: an issue is a plain text file"));
        }
        Err(e) => return Err(Diagnostic::error(&name, 0, 0, format!("cannot read: {e}"))),
        Ok(m) if m.is_dir() => {
            return Err(
                Diagnostic::error(&name, 0, 0, "is a directory, not an issue file").with_hint(
                    format!(
                        "give the issue files inside it, e.g. {}",
                        path.join("*.txt").display()
                    ),
                ),
            );
        }
        Ok(_) => {}
    }
    read_limited(path).map_err(|e| Diagnostic::error(&name, 0, 0, e))
}

/// `--max-input`'s default: 64 MB, a thousand times a long newsletter issue.
pub const DEFAULT_MAX_INPUT: u64 = 64_000_000;

/// The largest issue file (or standard input) quire reads, in bytes: `--max-input`, set once
/// per run before anything is read (`set_max_input`).
static MAX_INPUT: AtomicU64 = AtomicU64::new(DEFAULT_MAX_INPUT);

/// Sets the largest input this run reads (`--max-input`).
pub fn set_max_input(bytes: u64) {
    MAX_INPUT.store(bytes, Ordering::Relaxed);
}

/// The largest input this run reads, in bytes.
pub fn max_input() -> u64 {
    MAX_INPUT.load(Ordering::Relaxed)
}

/// A size as people write it: `75.5 MB`, `64 MB`, `12 kB`, `900 B` (decimal units, as
/// `--max-input` reads them).
fn human_size(bytes: u64) -> String {
    let (n, unit) = match bytes {
        b if b >= 1_000_000_000 => (b as f64 / 1e9, "GB"),
        b if b >= 1_000_000 => (b as f64 / 1e6, "MB"),
        b if b >= 1_000 => (b as f64 / 1e3, "kB"),
        b => return format!("{b} B"),
    };
    let s = format!("{n:.1}");
    format!("{} {unit}", s.strip_suffix(".0").unwrap_or(&s))
}

/// The message for an input over `--max-input`: `size` is its size, or `None` when only
/// known to be larger (standard input).
fn too_large(size: Option<u64>) -> String {
    let limit = human_size(max_input());
    let size = match size {
        // Rounded alike, the sizes would read as equal: the exact count then.
        Some(n) if human_size(n) == limit => format!(" ({n} bytes)"),
        Some(n) => format!(" ({})", human_size(n)),
        None => String::new(),
    };
    format!("is larger{size} than --max-input allows ({limit}): give --max-input SIZE to read it")
}

/// The longest paragraph quire sets: 1 MB, about 170,000 words or 400 pages of one
/// paragraph, far beyond any real one (a long one is a few kB). Paragraphs of more than
/// `quire::inline::OPTIMAL_FIT_MAX_ITEMS` items are set first fit, in linear time; this
/// bounds the memory one paragraph takes while it is set (about 300 bytes per byte of text).
pub const MAX_PARAGRAPH: usize = 1_000_000;

/// Refuses an issue with a paragraph (lines between blank lines) longer than
/// `MAX_PARAGRAPH`, naming its first line. Linear in the text.
pub fn check_paragraphs(name: &str, text: &str) -> Result<(), Diagnostic> {
    let (mut start_line, mut len, mut line_no) = (0usize, 0usize, 0usize);
    for line in text.split('\n') {
        line_no += 1;
        if line.trim().is_empty() {
            len = 0;
            continue;
        }
        if len == 0 {
            start_line = line_no;
        }
        len += line.len() + 1;
        if len > MAX_PARAGRAPH {
            // The whole paragraph's length, for the message.
            let whole: usize = text
                .split('\n')
                .skip(start_line - 1)
                .take_while(|l| !l.trim().is_empty())
                .map(|l| l.len() + 1)
                .sum();
            // Line 0: the message names the line, and no snippet of megabytes is drawn.
            return Err(Diagnostic::error(
                name,
                0,
                0,
                format!(
                    "paragraph at line {start_line} is {} long: quire sets paragraphs up to \
                     {}; split it with blank lines",
                    human_size(whole as u64),
                    human_size(MAX_PARAGRAPH as u64)
                ),
            ));
        }
    }
    Ok(())
}

/// Reads at most `--max-input` bytes from `r`; more is the `too_large` error (its size
/// unknown), and nothing beyond limit+1 bytes is read.
fn read_at_most(r: impl Read) -> Result<Vec<u8>, String> {
    let limit = max_input();
    let mut bytes = Vec::new();
    r.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read: {e}"))?;
    if bytes.len() as u64 > limit {
        return Err(too_large(None));
    }
    Ok(bytes)
}

/// An input file's bytes, refused by its metadata (before any is read) when larger than
/// `--max-input`; a file that grows while read is cut off at limit+1 bytes and refused too.
/// The error is the message, without the file's name.
pub fn read_limited(path: &Path) -> Result<Vec<u8>, String> {
    let file = fs::File::open(path).map_err(|e| format!("cannot read: {e}"))?;
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    if len > max_input() {
        return Err(too_large(Some(len)));
    }
    read_at_most(file)
}

/// Standard input's bytes, at most `--max-input` of them (limit+1 read: more is an error).
pub fn read_stdin_limited() -> Result<Vec<u8>, String> {
    read_at_most(std::io::stdin().lock())
}

/// The nearest `quire.yaml`: in the issue's folder, then its parents.
/// A path under the current directory is given relative to it, as the user would write it.
pub fn find_config(issue: &Path) -> Option<PathBuf> {
    let cwd = std::env::current_dir().ok()?;
    let abs = if issue.is_absolute() {
        issue.to_path_buf()
    } else {
        cwd.join(issue)
    };
    let mut dir = abs.parent();
    while let Some(d) = dir {
        let candidate = d.join(CONFIG_NAME);
        if candidate.is_file() {
            return Some(match candidate.strip_prefix(&cwd) {
                Ok(rel) if !issue.is_absolute() => rel.to_path_buf(),
                _ => candidate,
            });
        }
        dir = d.parent();
    }
    None
}

/// Load a quire.yaml, printing its warnings (an empty colour key) on stderr, once per file
/// per run however often it is loaded.
pub fn load_config(path: &Path) -> Result<Config, Diagnostic> {
    let (config, warnings) = load_config_warned(path)?;
    show_config_warnings(path, &warnings);
    Ok(config)
}

/// Print a quire.yaml's warnings unless this run has printed them already.
fn show_config_warnings(path: &Path, warnings: &[Diagnostic]) {
    use std::collections::HashSet;
    use std::sync::{Mutex, OnceLock};
    static SHOWN: OnceLock<Mutex<HashSet<PathBuf>>> = OnceLock::new();
    if warnings.is_empty() {
        return;
    }
    let key = fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let mut shown = SHOWN
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    if shown.insert(key) {
        super::report::emit_all(warnings);
    }
}

/// Load a quire.yaml and its warnings. Its `fonts` (and `mail.credentials`, `mail.ca_file`) are made relative to the current directory (joined to the
/// yaml's folder), so they stay right after merging with front matter.
pub fn load_config_warned(path: &Path) -> Result<(Config, Vec<Diagnostic>), Diagnostic> {
    let name = path.display().to_string();
    let bytes =
        fs::read(path).map_err(|e| Diagnostic::error(&name, 0, 0, format!("cannot read: {e}")))?;
    let text = quire::parse::decode::decode(&name, &bytes, None)?;
    let mut config = Config::from_yaml(&name, &text)?;
    let warnings = Config::empty_colour_warnings(&name, &text);
    if let (Some(fonts), Some(dir)) = (config.fonts.as_mut(), path.parent()) {
        for f in fonts.iter_mut() {
            if Path::new(f.as_str()).is_relative() {
                *f = dir.join(f.as_str()).display().to_string();
            }
        }
    }
    // The files `mail:` names are the yaml's neighbours too.
    if let (Some(mail), Some(dir)) = (config.mail.as_mut(), path.parent()) {
        for f in [mail.credentials.as_mut(), mail.ca_file.as_mut()]
            .into_iter()
            .flatten()
        {
            if Path::new(f.as_str()).is_relative() {
                *f = dir.join(f.as_str()).display().to_string();
            }
        }
    }
    Ok((config, warnings))
}

/// The configuration for an issue: `explicit` when given, else the nearest quire.yaml, else
/// the defaults. Its warnings are printed (once per file per run).
pub fn config_for(issue: &Path, explicit: Option<&Path>) -> Result<Config, Diagnostic> {
    let (config, warnings) = config_for_warned(issue, explicit)?;
    if let Some(p) = config_path(issue, explicit) {
        show_config_warnings(&p, &warnings);
    }
    Ok(config)
}

/// `config_for`, with the quire.yaml's warnings returned instead of printed.
pub fn config_for_warned(
    issue: &Path,
    explicit: Option<&Path>,
) -> Result<(Config, Vec<Diagnostic>), Diagnostic> {
    match explicit {
        Some(p) => {
            let shown = p.display().to_string();
            if p.is_dir() {
                return Err(Diagnostic::error(
                    &shown,
                    0,
                    0,
                    "is a folder, not a configuration file: give the quire.yaml inside it",
                ));
            }
            if !p.is_file() {
                return Err(Diagnostic::error(
                    &shown,
                    0,
                    0,
                    "no such configuration file",
                ));
            }
            load_config_warned(p)
        }
        None => find_config(issue).map_or_else(
            || Ok((Config::default(), Vec::new())),
            |p| load_config_warned(&p),
        ),
    }
}

/// The quire.yaml `config_for` reads for `issue`: `explicit`, else the nearest; `None` when
/// the defaults are in force.
pub fn config_path(issue: &Path, explicit: Option<&Path>) -> Option<PathBuf> {
    match explicit {
        Some(p) => Some(p.to_path_buf()),
        None => find_config(issue),
    }
}

/// The font files a quire.yaml lists, as `load_config` resolved them (joined to the yaml's
/// folder).
pub fn yaml_fonts(config: &Config) -> Vec<PathBuf> {
    config.fonts.iter().flatten().map(PathBuf::from).collect()
}

/// The font files an issue's own front matter lists under `fonts:` (relative to the issue's
/// folder, whatever the working directory), less those already in `loaded`. A front matter
/// that does not parse gives none: the parser reports it when the issue is rendered.
pub fn front_matter_fonts(
    name: &str,
    text: &str,
    issue: &Path,
    loaded: &[PathBuf],
) -> Vec<PathBuf> {
    let Some(Ok(front)) = quire::parse::front::split(name, text).front else {
        return Vec::new();
    };
    let dir = issue.parent().unwrap_or(Path::new("."));
    // The same file named two ways (relative here, absolute in quire.yaml) is loaded once.
    let same = |p: &Path| fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let loaded: Vec<PathBuf> = loaded.iter().map(|p| same(p)).collect();
    let mut out: Vec<PathBuf> = Vec::new();
    for f in front.fonts.iter().flatten() {
        let p = Path::new(f);
        let p = if p.is_absolute() {
            p.to_path_buf()
        } else {
            dir.join(p)
        };
        let key = same(&p);
        if !loaded.contains(&key) && !out.iter().any(|o| same(o) == key) {
            out.push(p);
        }
    }
    out
}

/// Adds font files to `book`. A file that cannot be read or is not a usable font is an error
/// naming the file, and — for fonts listed in an issue's front matter — the issue too.
pub fn add_fonts(
    book: &mut FontBook,
    paths: &[PathBuf],
    listed_in: Option<&str>,
) -> Result<(), Diagnostic> {
    for path in paths {
        let shown = path.display().to_string();
        let fail = |what: String| match listed_in {
            Some(issue) => Diagnostic::error(
                issue,
                0,
                0,
                format!("{shown} (under fonts: in the front matter): {what}"),
            ),
            None => Diagnostic::error(&shown, 0, 0, what),
        };
        // A file too large is refused by its size, before it is read.
        if let Ok(m) = fs::metadata(path) {
            if m.is_file() && m.len() > quire::fonts::MAX_FONT_BYTES {
                let e = quire::fonts::FontError::TooLarge { bytes: m.len() };
                return Err(fail(e.to_string()));
            }
        }
        let data = fs::read(path).map_err(|e| fail(format!("cannot read font: {e}")))?;
        book.add_face(Arc::from(data), 0)
            .map_err(|e| fail(e.to_string()))?;
    }
    Ok(())
}

/// Whether `a` and `b` are the same file: one path after resolving symlinks, or hard links to
/// one inode. `false` when either does not exist (writing to it cannot clobber the other).
pub fn same_file(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    if let (Ok(ca), Ok(cb)) = (fs::canonicalize(a), fs::canonicalize(b)) {
        if ca == cb {
            return true;
        }
    }
    match (fs::metadata(a), fs::metadata(b)) {
        (Ok(ma), Ok(mb)) => ma.dev() == mb.dev() && ma.ino() == mb.ino(),
        _ => false,
    }
}

/// Marks quire's temporary files: ".NAME.quire-tmp-PID" beside NAME, renamed to NAME once
/// whole. `quire export` removes those a killed run left in OUTDIR (`is_temp_name`).
pub const TMP_MARK: &str = ".quire-tmp-";

/// Whether a file name is one of `write_atomic`'s temporary names.
pub fn is_temp_name(name: &str) -> bool {
    name.starts_with('.') && name.contains(TMP_MARK)
}

/// Write `bytes` to `path` atomically: a temporary file in the same folder (".NAME.quire-tmp-PID",
/// created new, so never through a symlink), then a rename (which replaces a symlink at `path`
/// rather than following it). On error nothing is left behind and `path` is untouched; a
/// reader (or a run killed midway) sees the old file or the new one, never a part. The folder
/// must exist (`quire export` makes OUTDIR's subfolders first).
///
/// No fsync: a PDF is derived from its source and can be made again, and the two fsyncs
/// (file and folder) cost 1–2 ms, a fifth of a one-page render. Atomicity against a killed
/// process needs only the rename; durability across a power cut is left to the filesystem.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_atomic_reaped(path, bytes, None)
}

/// [`write_atomic`], the file it replaces handed to `reaper` to be let go of on another
/// thread (see [`Reaper`]); `None` lets go of it here, in the rename.
pub fn write_atomic_reaped(path: &Path, bytes: &[u8], reaper: Option<&Reaper>) -> io::Result<()> {
    let tmp = temp_path(path)?;
    let result = (|| {
        let mut f = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        f.write_all(bytes)?;
        drop(f);
        let old = reaper.and_then(|_| hold(path));
        fs::rename(&tmp, path)?;
        if let (Some(reaper), Some(old)) = (reaper, old) {
            reaper.reap(old);
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// A reference to the file now at `path` (not following a symlink), which keeps it alive
/// after a rename replaces it: Linux's `O_PATH`, which needs no permission on the file and
/// reads nothing. `None` when there is no file there, or on other systems.
fn hold(path: &Path) -> Option<fs::File> {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::OpenOptionsExt;
        fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_PATH | libc::O_NOFOLLOW | libc::O_CLOEXEC)
            .open(path)
            .ok()
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = path;
        None
    }
}

/// Lets go of replaced files on a thread of its own. A rename over an existing file frees the
/// old file's blocks when its last reference goes, in the renaming thread; on a filesystem
/// mounted with online discard (ext4 `-o discard`, common on virtual disks) that thread then
/// waits for the disk to discard them, 0.2–0.7 ms per file here, and an export renames over
/// every PDF of the previous run. Held by a reference ([`write_atomic_reaped`]) and let go of
/// on the reaper's thread, [`BATCH`] at a time (one wake-up per batch rather than per file),
/// the old files are freed while the workers go on. The rename itself is the same, so a
/// reader or a killed run still sees the old file or the new one; dropping the reaper lets go
/// of what it still holds and waits for its thread.
pub struct Reaper {
    held: std::sync::Mutex<Vec<fs::File>>,
    /// To the thread; `None` when it could not start (the files are then let go of here).
    sender: Option<std::sync::mpsc::Sender<Vec<fs::File>>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

/// Replaced files a [`Reaper`] holds before its thread lets go of them.
pub const BATCH: usize = 8;

impl Default for Reaper {
    fn default() -> Self {
        Reaper::new()
    }
}

impl Reaper {
    /// A reaper and its thread.
    pub fn new() -> Reaper {
        let (tx, rx) = std::sync::mpsc::channel::<Vec<fs::File>>();
        let thread = std::thread::Builder::new()
            .name("quire-reaper".into())
            .stack_size(64 * 1024)
            .spawn(move || rx.into_iter().for_each(drop))
            .ok();
        Reaper {
            held: std::sync::Mutex::new(Vec::new()),
            sender: thread.is_some().then_some(tx),
            thread,
        }
    }

    /// Hold `file` until a batch is full, then have the thread let go of the batch.
    pub fn reap(&self, file: fs::File) {
        let batch = match self.held.lock() {
            Ok(mut held) => {
                held.push(file);
                if held.len() < BATCH {
                    return;
                }
                std::mem::take(&mut *held)
            }
            Err(_) => return, // a worker panicked holding the lock: `file` is dropped here
        };
        self.send(batch);
    }

    /// Hand `batch` to the thread; without one, the batch is let go of here.
    fn send(&self, batch: Vec<fs::File>) {
        if let Some(tx) = &self.sender {
            // A send fails only when the thread is gone; the batch is then dropped here.
            let _ = tx.send(batch);
        }
    }
}

impl Drop for Reaper {
    fn drop(&mut self) {
        let rest = self.held.get_mut().map(std::mem::take).unwrap_or_default();
        if !rest.is_empty() {
            self.send(rest);
        }
        // Closing the channel ends the thread once it has let go of everything sent.
        self.sender = None;
        if let Some(handle) = self.thread.take() {
            let _ = handle.join();
        }
    }
}

/// Write several files as one: each to its temporary name first, then all renamed. When any
/// write fails, every temporary file is removed and no target is touched; the error names the
/// file. (A rename failing after others succeeded is left as it is: renames in one folder
/// do not fail short of the disk going away.)
pub fn write_all_atomic(files: &[(PathBuf, &[u8])]) -> Result<(), (PathBuf, io::Error)> {
    let mut temps: Vec<PathBuf> = Vec::with_capacity(files.len());
    let written = files.iter().try_for_each(|(path, bytes)| {
        let tmp = temp_path(path).map_err(|e| (path.clone(), e))?;
        let mut f = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .map_err(|e| (path.clone(), e))?;
        temps.push(tmp);
        f.write_all(bytes).map_err(|e| (path.clone(), e))
    });
    if let Err(e) = written {
        for t in &temps {
            let _ = fs::remove_file(t);
        }
        return Err(e);
    }
    for ((path, _), tmp) in files.iter().zip(&temps) {
        if let Err(e) = fs::rename(tmp, path) {
            for t in &temps {
                let _ = fs::remove_file(t);
            }
            return Err((path.clone(), e));
        }
    }
    Ok(())
}

/// The temporary name `write_atomic` uses for `path`: ".NAME.quire-tmp-PID" in its folder.
fn temp_path(path: &Path) -> io::Result<PathBuf> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let file_name = path.file_name().ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            "the output path has no file name",
        )
    })?;
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(file_name);
    tmp_name.push(format!("{TMP_MARK}{}", std::process::id()));
    Ok(dir.join(tmp_name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn io_write_atomic_writes_and_leaves_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("a.pdf");
        write_atomic(&out, b"one").unwrap();
        write_atomic(&out, b"two").unwrap();
        assert_eq!(fs::read(&out).unwrap(), b"two");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn io_write_atomic_reaped_replaces_files_and_lets_go_of_the_old_ones() {
        let dir = tempfile::tempdir().unwrap();
        let reaper = Reaper::new();
        // More files than a batch, each written three times: two replacements each.
        for round in 0..3 {
            for i in 0..(BATCH * 2 + 3) {
                let out = dir.path().join(format!("{i}.pdf"));
                write_atomic_reaped(&out, format!("{i}/{round}").as_bytes(), Some(&reaper))
                    .unwrap();
            }
        }
        drop(reaper);
        for i in 0..(BATCH * 2 + 3) {
            let out = dir.path().join(format!("{i}.pdf"));
            assert_eq!(fs::read_to_string(&out).unwrap(), format!("{i}/2"));
        }
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            BATCH * 2 + 3,
            "no temporary file left"
        );
    }

    #[cfg(unix)]
    #[test]
    fn io_write_atomic_reaped_replaces_a_symlink_rather_than_following_it() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("elsewhere.pdf");
        fs::write(&target, b"keep").unwrap();
        let out = dir.path().join("a.pdf");
        std::os::unix::fs::symlink(&target, &out).unwrap();
        let reaper = Reaper::new();
        write_atomic_reaped(&out, b"new", Some(&reaper)).unwrap();
        drop(reaper);
        assert_eq!(fs::read(&target).unwrap(), b"keep");
        assert!(fs::symlink_metadata(&out).unwrap().is_file());
        assert_eq!(fs::read(&out).unwrap(), b"new");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn io_hold_keeps_the_replaced_file_alive_until_dropped() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("a.pdf");
        fs::write(&out, vec![7u8; 10_000]).unwrap();
        let held = hold(&out).expect("a reference to the file there");
        write_atomic(&out, b"new").unwrap();
        // Replaced (no name left) but not freed: the reference still sees its 10,000 bytes.
        let m = held.metadata().unwrap();
        assert_eq!((m.nlink(), m.len()), (0, 10_000));
        assert!(hold(&dir.path().join("missing.pdf")).is_none());
    }

    #[test]
    fn io_write_atomic_error_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("missing").join("a.pdf");
        assert!(write_atomic(&out, b"x").is_err());
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn io_write_all_atomic_writes_all_or_none() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.txt");
        let b = dir.path().join("b.txt");
        write_all_atomic(&[
            (a.clone(), b"one".as_slice()),
            (b.clone(), b"two".as_slice()),
        ])
        .unwrap();
        assert_eq!(fs::read(&b).unwrap(), b"two");
        let missing = dir.path().join("missing").join("c.txt");
        let err = write_all_atomic(&[(a.clone(), b"new".as_slice()), (missing.clone(), b"x")])
            .unwrap_err();
        assert_eq!(err.0, missing);
        assert_eq!(fs::read(&a).unwrap(), b"one");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 2);
    }

    #[test]
    fn io_write_atomic_temp_names_are_recognised() {
        let tmp = temp_path(Path::new("2017/a.pdf")).unwrap();
        assert_eq!(tmp.parent(), Some(Path::new("2017")));
        assert!(is_temp_name(&tmp.file_name().unwrap().to_string_lossy()));
        assert_eq!(
            temp_path(Path::new("a.pdf")).unwrap().parent(),
            Some(Path::new("."))
        );
        assert!(!is_temp_name("a.pdf"));
        assert!(!is_temp_name("a.quire-tmp-1.pdf"));
    }

    #[test]
    fn io_sizes_and_paragraph_limit() {
        assert_eq!(human_size(64_000_000), "64 MB");
        assert_eq!(human_size(75_500_000), "75.5 MB");
        assert_eq!(human_size(999), "999 B");
        let long = format!(
            "a\n\n{}\n{}\n\nb\n",
            "x".repeat(600_000),
            "y".repeat(600_000)
        );
        let e = check_paragraphs("t.txt", &long).unwrap_err();
        assert_eq!(
            e.to_string(),
            "t.txt: error: paragraph at line 3 is 1.2 MB long: quire sets paragraphs up to \
             1 MB; split it with blank lines"
        );
        let split = long.replacen('\n', "\n\n", 3);
        assert!(check_paragraphs("t.txt", &split).is_ok());
    }

    #[test]
    fn io_read_issue_errors() {
        let dir = tempfile::tempdir().unwrap();
        assert!(read_issue(dir.path())
            .unwrap_err()
            .message
            .contains("directory"));
        assert!(read_issue(&dir.path().join("nope.txt"))
            .unwrap_err()
            .message
            .contains("no such file"));
    }

    #[test]
    fn io_find_config_walks_up() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("2017");
        fs::create_dir(&sub).unwrap();
        fs::write(dir.path().join(CONFIG_NAME), "paper: a4\n").unwrap();
        let found = find_config(&sub.join("x.txt")).unwrap(); // absolute in, absolute out
        assert_eq!(found, dir.path().join(CONFIG_NAME));
    }
}
