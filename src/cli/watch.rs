//! `quire watch ISSUE.txt`: render, then render again whenever the issue, its quire.yaml or a
//! font file it uses changes, until Ctrl-C.
//!
//! The folders holding those files are watched (not recursively) and events are matched by
//! path, so an editor that saves by writing a new file and renaming it over the old one (vim,
//! VS Code) is seen like one that writes in place. Events are debounced (a save is several
//! events), and a render runs only when a watched file's size, time or inode really changed.
//! The PDF is written atomically by `render::render`, so a viewer open on it never reads half
//! a file, and a failed render leaves the last good PDF where it was.

use super::args::{RenderArgs, WatchArgs};
use super::{io, render, usage};
use notify::event::{AccessKind, AccessMode};
use notify::{EventKind, RecursiveMode, Watcher};
use quire::diag::Diagnostic;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant, SystemTime};

/// A save is several events (write, close, rename …): wait this long after the last one.
const QUIET: Duration = Duration::from_millis(150);
/// The longest a render waits for a file that keeps being written.
const LONGEST: Duration = Duration::from_secs(1);
/// How often the stop flag (Ctrl-C) is looked at while nothing happens.
const TICK: Duration = Duration::from_millis(200);

/// Watch and render; returns the exit code: 0 when stopped by Ctrl-C (or SIGTERM), 1 when
/// the files cannot be watched, 2 on a usage error. Bad input is reported and waited out.
pub fn run(args: &WatchArgs) -> i32 {
    let (render_args, paper) = match check_usage(args) {
        Ok(checked) => checked,
        Err(d) => {
            super::report::emit(&d);
            return usage::EXIT;
        }
    };
    let stop = Arc::new(AtomicBool::new(false));
    for sig in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        // A second Ctrl-C ends the process at once, even in the middle of a long render.
        let _ = signal_hook::flag::register_conditional_shutdown(sig, 130, Arc::clone(&stop));
        let _ = signal_hook::flag::register(sig, Arc::clone(&stop));
    }
    match watch(&render_args, paper, &stop) {
        Ok(()) => 0,
        Err(d) => {
            super::report::emit(&d);
            1
        }
    }
}

/// The flags checked (as `quire render` checks them) and made into the render to repeat.
fn check_usage(args: &WatchArgs) -> Result<(RenderArgs, Option<(f32, f32)>), Diagnostic> {
    if args.file.as_os_str() == "-" {
        return Err(usage::error(
            "FILE",
            "quire watch watches a file: standard input (-) cannot change",
        ));
    }
    if args.output.as_ref().is_some_and(|o| o.as_os_str() == "-") {
        return Err(usage::error(
            "-o -",
            "quire watch writes a PDF file again and again: give -o FILE",
        ));
    }
    let paper = render::check_flags(&args.flags)?;
    let render_args = RenderArgs {
        file: args.file.clone(),
        output: Some(
            args.output
                .clone()
                .unwrap_or_else(|| args.file.with_extension("pdf")),
        ),
        flags: args.flags.clone(),
        dump_lines: false,
        open: false,
        repeat: None,
    };
    Ok((render_args, paper))
}

fn watch(
    args: &RenderArgs,
    paper: Option<(f32, f32)>,
    stop: &AtomicBool,
) -> Result<(), Diagnostic> {
    let issue_name = args.file.display().to_string();
    let fail = |what: &str, e: notify::Error| {
        Diagnostic::error(&issue_name, 0, 0, format!("cannot watch {what}: {e}"))
    };
    let (tx, rx) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(tx).map_err(|e| fail("files", e))?;
    let clock = Clock::local();
    let mut targets = Targets::of(args, &[]);
    let mut watched: BTreeSet<PathBuf> = BTreeSet::new();
    // The issue's own folder must be watchable; the others are watched when they exist.
    let issue_dir = targets
        .dirs()
        .into_iter()
        .next()
        .ok_or_else(|| Diagnostic::error(&issue_name, 0, 0, "its folder does not exist"))?;
    watcher
        .watch(&issue_dir, RecursiveMode::NonRecursive)
        .map_err(|e| fail(&issue_dir.display().to_string(), e))?;
    watched.insert(issue_dir);
    eprintln!("watching {} (Ctrl-C stops)", targets.shown().join(", "));
    loop {
        // What this render will read (the issue, its quire.yaml, the fonts that names), then
        // their folders watched, then their state taken, then the render: a change from then
        // on is an event and a new state, however early it comes (a font edited the moment
        // the quire.yaml naming it was first rendered is seen, not taken as rendered).
        targets = Targets::of(args, &targets.fonts);
        let wanted: BTreeSet<PathBuf> = targets.dirs().into_iter().collect();
        for dir in watched.difference(&wanted) {
            let _ = watcher.unwatch(dir);
        }
        watched.retain(|d| wanted.contains(d));
        for dir in wanted {
            // A folder that cannot be watched (no permission) is tried again after each render.
            if !watched.contains(&dir) && watcher.watch(&dir, RecursiveMode::NonRecursive).is_ok() {
                watched.insert(dir);
            }
        }
        let rendered = targets.fingerprint();
        render_once(args, paper, &clock);
        // Wait for a change that is real (not only an event) to a file that matters.
        loop {
            if !wait_for_change(&rx, &targets, stop) {
                return Ok(());
            }
            let now = targets.fingerprint();
            if now
                .iter()
                .any(|(path, state)| rendered.get(path) != Some(state))
            {
                break;
            }
        }
    }
}

/// Block until an event names one of the targets, then until the events stop for `QUIET`;
/// `false` when asked to stop (or the watcher is gone).
fn wait_for_change(
    rx: &mpsc::Receiver<notify::Result<notify::Event>>,
    targets: &Targets,
    stop: &AtomicBool,
) -> bool {
    loop {
        if stop.load(Ordering::Relaxed) {
            return false;
        }
        match rx.recv_timeout(TICK) {
            Ok(Ok(event)) if targets.touched_by(&event) => break,
            Ok(_) | Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => return false,
        }
    }
    // Debounce: wait out the rest of the save, until no target has been touched for QUIET.
    // Other events (a viewer reading the PDF, other files) do not put the render off, and a
    // file written without pause is rendered after LONGEST all the same.
    let start = Instant::now();
    let mut quiet_from = start;
    loop {
        let now = Instant::now();
        let deadline = (quiet_from + QUIET).min(start + LONGEST);
        if now >= deadline {
            return !stop.load(Ordering::Relaxed);
        }
        match rx.recv_timeout(deadline - now) {
            Ok(Ok(event)) if targets.touched_by(&event) => quiet_from = Instant::now(),
            Ok(_) | Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => return false,
        }
    }
}

/// Render once and say how it went on one line, its diagnostics on the lines after.
fn render_once(args: &RenderArgs, paper: Option<(f32, f32)>, clock: &Clock) {
    let start = Instant::now();
    let result = render::render(args, paper);
    let ms = start.elapsed().as_millis();
    let out = args.output.as_deref().unwrap_or(Path::new("?")).display();
    let (line, diags) = match result {
        Ok(done) => (
            format!(
                "{} page{}{}",
                done.pages,
                if done.pages == 1 { "" } else { "s" },
                count(&done.diagnostics)
            ),
            done.diagnostics,
        ),
        Err(diags) => {
            let kept = if args.output.as_deref().is_some_and(Path::exists) {
                "; the last good one stays"
            } else {
                ""
            };
            let errors = count(&diags);
            let errors = errors.trim_start_matches(", ");
            (format!("not written ({errors}){kept}"), diags)
        }
    };
    let time = clock.now();
    eprintln!("[{time}] {out}: {line} ({ms} ms)");
    for d in diags {
        super::report::emit(&d);
    }
}

/// ", 1 error, 2 warnings", or nothing when there are none.
fn count(diags: &[Diagnostic]) -> String {
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let warnings = diags.len() - errors;
    let mut s = String::new();
    for (n, what) in [(errors, "error"), (warnings, "warning")] {
        if n > 0 {
            s.push_str(&format!(", {n} {what}{}", if n == 1 { "" } else { "s" }));
        }
    }
    s
}

/// The files a render reads: the issue, its quire.yaml (the one given or found, and the one
/// a new quire.yaml beside the issue would be), and the font files they name.
struct Targets {
    issue: PathBuf,
    configs: Vec<PathBuf>,
    fonts: Vec<PathBuf>,
    /// Every target as an event names it: its folder's real path and its file name (and a
    /// symlink's target too).
    keys: BTreeSet<PathBuf>,
}

impl Targets {
    /// The targets as the files stand now; `fonts_before` are kept when the configuration
    /// cannot be read (a broken quire.yaml still names the fonts it named).
    fn of(args: &RenderArgs, fonts_before: &[PathBuf]) -> Targets {
        let issue = args.file.clone();
        let explicit = args.flags.config.as_deref();
        let mut configs: Vec<PathBuf> = io::config_path(&issue, explicit).into_iter().collect();
        if explicit.is_none() {
            let beside = issue
                .parent()
                .unwrap_or(Path::new(""))
                .join(io::CONFIG_NAME);
            if !configs
                .iter()
                .any(|c| io::same_file(c, &beside) || *c == beside)
            {
                configs.push(beside);
            }
        }
        let fonts = match io::config_for_warned(&issue, explicit) {
            Ok((config, _)) => {
                let mut fonts = io::yaml_fonts(&config);
                let name = issue.display().to_string();
                if let Ok(bytes) = io::read_limited(&issue) {
                    let text = String::from_utf8_lossy(&bytes);
                    fonts.extend(io::front_matter_fonts(&name, &text, &issue, &fonts));
                }
                fonts
            }
            Err(_) => fonts_before.to_vec(),
        };
        let mut keys = BTreeSet::new();
        for p in std::iter::once(&issue).chain(&configs).chain(&fonts) {
            keys.extend(event_key(p));
            if let Ok(real) = std::fs::canonicalize(p) {
                keys.insert(real);
            }
        }
        Targets {
            issue,
            configs,
            fonts,
            keys,
        }
    }

    fn all(&self) -> impl Iterator<Item = &PathBuf> {
        std::iter::once(&self.issue)
            .chain(&self.configs)
            .chain(&self.fonts)
    }

    /// The folders to watch: the issue's first, then those of the other files (that exist).
    fn dirs(&self) -> Vec<PathBuf> {
        let mut dirs: Vec<PathBuf> = Vec::new();
        for key in self
            .all()
            .filter_map(|p| event_key(p))
            .chain(self.keys.iter().cloned())
        {
            if let Some(dir) = key.parent() {
                if dir.is_dir() && !dirs.iter().any(|d| d == dir) {
                    dirs.push(dir.to_path_buf());
                }
            }
        }
        dirs
    }

    /// The files watched, as the user named them (those that exist).
    fn shown(&self) -> Vec<String> {
        self.all()
            .filter(|p| p == &&self.issue || p.exists())
            .map(|p| p.display().to_string())
            .collect()
    }

    /// Whether an event can change what a render reads: a write, create, remove or rename of
    /// a target (not a read: rendering opens the files too).
    fn touched_by(&self, event: &notify::Event) -> bool {
        let reads = matches!(
            event.kind,
            EventKind::Access(
                AccessKind::Open(_)
                    | AccessKind::Read
                    | AccessKind::Close(AccessMode::Read | AccessMode::Execute)
            )
        );
        !reads && event.paths.iter().any(|p| self.keys.contains(p))
    }

    /// Each target's size, modification time and inode (or its absence): what a save changes.
    fn fingerprint(&self) -> BTreeMap<PathBuf, Option<(u64, Option<SystemTime>, u64)>> {
        use std::os::unix::fs::MetadataExt;
        self.all()
            .map(|p| {
                let state = std::fs::metadata(p)
                    .ok()
                    .map(|m| (m.len(), m.modified().ok(), m.ino()));
                (p.clone(), state)
            })
            .collect()
    }
}

/// A path as the watcher reports it: its folder's real (absolute, symlink-free) path joined
/// with its file name; `None` when the folder does not exist.
fn event_key(path: &Path) -> Option<PathBuf> {
    let name = path.file_name()?;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    std::fs::canonicalize(dir).ok().map(|d| d.join(name))
}

/// The time of day for the render lines, in the local time zone.
struct Clock {
    /// Seconds east of UTC, asked once of `date +%z` (0, UTC, where that fails).
    offset: i64,
}

impl Clock {
    fn local() -> Clock {
        let offset = std::process::Command::new("date")
            .arg("+%z")
            .stderr(std::process::Stdio::null())
            .output()
            .ok()
            .and_then(|o| parse_offset(String::from_utf8_lossy(&o.stdout).trim()))
            .unwrap_or(0);
        Clock { offset }
    }

    /// `HH:MM:SS` now.
    fn now(&self) -> String {
        let secs = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        time_of_day(secs + self.offset)
    }
}

/// `+0100`, `-0530` -> seconds east of UTC.
fn parse_offset(s: &str) -> Option<i64> {
    let (sign, digits) = match s.as_bytes().first()? {
        b'+' => (1, &s[1..]),
        b'-' => (-1, &s[1..]),
        _ => return None,
    };
    if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let h: i64 = digits[..2].parse().ok()?;
    let m: i64 = digits[2..].parse().ok()?;
    Some(sign * (h * 3600 + m * 60))
}

/// Seconds since an epoch that starts a day -> `HH:MM:SS`.
fn time_of_day(secs: i64) -> String {
    let s = secs.rem_euclid(86_400);
    format!("{:02}:{:02}:{:02}", s / 3600, s % 3600 / 60, s % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn watch_clock_offsets_and_times() {
        assert_eq!(parse_offset("+0100"), Some(3600));
        assert_eq!(parse_offset("-0530"), Some(-(5 * 3600 + 30 * 60)));
        assert_eq!(parse_offset("UTC"), None);
        assert_eq!(parse_offset("+01"), None);
        assert_eq!(time_of_day(0), "00:00:00");
        assert_eq!(time_of_day(86_399), "23:59:59");
        assert_eq!(time_of_day(-1), "23:59:59");
        assert_eq!(time_of_day(13 * 3600 + 5 * 60 + 9), "13:05:09");
    }

    #[test]
    fn watch_counts_diagnostics() {
        assert_eq!(count(&[]), "");
        let e = Diagnostic::error("a", 1, 1, "x");
        let w = Diagnostic::warning("a", 1, 1, "y");
        assert_eq!(count(std::slice::from_ref(&e)), ", 1 error");
        assert_eq!(count(&[e, w.clone(), w]), ", 1 error, 2 warnings");
    }

    #[test]
    fn watch_targets_the_issue_its_config_and_a_new_config_beside_it() {
        let dir = tempfile::tempdir().unwrap();
        let issue = dir.path().join("a.txt");
        std::fs::write(&issue, "NEWSLETTER Issue 1 of 2020\n\nHead\n\nText.\n").unwrap();
        let args = RenderArgs {
            file: issue.clone(),
            output: Some(dir.path().join("a.pdf")),
            flags: Default::default(),
            dump_lines: false,
            open: false,
            repeat: None,
        };
        let t = Targets::of(&args, &[]);
        let real = std::fs::canonicalize(dir.path()).unwrap();
        assert!(t.keys.contains(&real.join("a.txt")));
        // No quire.yaml yet, but one made beside the issue is seen.
        assert!(t.keys.contains(&real.join("quire.yaml")));
        assert!(!t.keys.contains(&real.join("a.pdf")));
        assert_eq!(t.dirs().first(), Some(&real));
        let read = notify::Event::new(EventKind::Access(AccessKind::Open(AccessMode::Any)))
            .add_path(real.join("a.txt"));
        assert!(!t.touched_by(&read));
        let write = notify::Event::new(EventKind::Access(AccessKind::Close(AccessMode::Write)))
            .add_path(real.join("a.txt"));
        assert!(t.touched_by(&write));
        let other = notify::Event::new(EventKind::Any).add_path(real.join("b.txt"));
        assert!(!t.touched_by(&other));
        let before = t.fingerprint();
        std::fs::write(&issue, "NEWSLETTER Issue 1 of 2020\n\nHead\n\nMore text.\n").unwrap();
        assert_ne!(t.fingerprint(), before);
    }
}
