//! The commands a user reaches for besides render: `quire init`, `quire watch`,
//! `quire completions`, `quire man`, and `quire render --open`, each run as the real binary.

mod common;

use common::{quire, quire_with, temp_with};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Poll `done` every 50 ms until it holds or `limit` passes; whether it held.
fn wait_until(limit: Duration, mut done: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < limit {
        if done() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    done()
}

/// The text of a PDF, by poppler's `pdftotext` (empty when it cannot be read).
fn pdf_text(pdf: &Path) -> String {
    Command::new("pdftotext")
        .arg(pdf)
        .arg("-")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default()
}

/// `quire init DIR` in `cwd`, asserting it worked.
fn init(cwd: &Path, dir: &str) {
    let run = quire(cwd, &["init", dir]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
}

/// The files `quire init` makes, with their bytes.
fn init_files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    ["quire.yaml", "2027-01.txt", ".gitignore"]
        .iter()
        .map(|n| {
            let bytes = std::fs::read(dir.join(n)).unwrap_or_else(|e| panic!("{n}: {e}"));
            (n.to_string(), bytes)
        })
        .collect()
}

#[test]
fn init_makes_a_folder_that_renders_and_checks_cleanly() {
    let tmp = tempfile::tempdir().unwrap();
    // DIR is made when missing, parents and all.
    let run = quire(tmp.path(), &["init", "news/letter"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let dir = tmp.path().join("news/letter");
    let files = init_files(&dir);
    let gitignore = String::from_utf8_lossy(&files[2].1).into_owned();
    assert!(gitignore.lines().any(|l| l == "*.pdf"), "{gitignore}");
    // It says what it made and what to run next.
    for made in ["quire.yaml", "2027-01.txt", ".gitignore"] {
        assert!(run.stdout.contains(made), "{}", run.stdout);
    }
    assert!(
        run.stdout.contains("quire render news/letter/2027-01.txt"),
        "{}",
        run.stdout
    );

    // quire render works in it at once, and check finds nothing to say.
    let render = quire(&dir, &["render", "2027-01.txt"]);
    assert_eq!(render.code, 0, "{}", render.stderr);
    assert_eq!(render.stderr, "", "render says nothing on a clean issue");
    let text = pdf_text(&dir.join("2027-01.pdf"));
    assert!(text.contains("A New Year on the River"), "{text}");
    let check = quire(&dir, &["check", "2027-01.txt"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert_eq!(check.stderr, "", "no errors and no warnings");
}

#[test]
fn init_into_the_current_folder_by_default() {
    let tmp = tempfile::tempdir().unwrap();
    let run = quire(tmp.path(), &["init"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    init_files(tmp.path());
    assert!(
        run.stdout.contains("quire render 2027-01.txt"),
        "{}",
        run.stdout
    );
}

#[test]
fn init_never_replaces_a_file() {
    let tmp = tempfile::tempdir().unwrap();
    init(tmp.path(), "news");
    let dir = tmp.path().join("news");
    // An edited issue must survive a second init.
    std::fs::write(dir.join("2027-01.txt"), "my own issue\n").unwrap();
    let before = init_files(&dir);
    let again = quire(tmp.path(), &["init", "news"]);
    assert_eq!(again.code, 1, "{}", again.stderr);
    for name in ["quire.yaml", "2027-01.txt", ".gitignore"] {
        assert!(again.stderr.contains(name), "{}", again.stderr);
    }
    assert_eq!(init_files(&dir), before, "nothing changed");

    // One file in the way is enough: nothing else is written either.
    let other = tmp.path().join("other");
    std::fs::create_dir(&other).unwrap();
    std::fs::write(other.join(".gitignore"), "target/\n").unwrap();
    let run = quire(tmp.path(), &["init", "other"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains(".gitignore"), "{}", run.stderr);
    assert!(!other.join("quire.yaml").exists());
    assert!(!other.join("2027-01.txt").exists());
    assert_eq!(std::fs::read_dir(&other).unwrap().count(), 1);
}

/// A running `quire watch`: its stderr collected line by line; killed when dropped.
struct Watch {
    child: Child,
    lines: Arc<Mutex<Vec<String>>>,
}

impl Watch {
    fn start(dir: &Path, args: &[&str]) -> Watch {
        let mut child = Command::new(env!("CARGO_BIN_EXE_quire"))
            .arg("watch")
            .args(args)
            .current_dir(dir)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("quire watch starts");
        let lines = Arc::new(Mutex::new(Vec::new()));
        let stderr = child.stderr.take().expect("piped stderr");
        let sink = Arc::clone(&lines);
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                sink.lock().unwrap().push(line);
            }
        });
        Watch { child, lines }
    }

    fn lines(&self) -> Vec<String> {
        self.lines.lock().unwrap().clone()
    }

    /// How many render lines (`[HH:MM:SS] OUT: …`) it has printed.
    fn renders(&self) -> usize {
        self.lines().iter().filter(|l| l.starts_with('[')).count()
    }

    fn shown(&self) -> String {
        self.lines().join("\n")
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Replace a file the way vim and VS Code save: write a new file beside it, rename it over.
fn save_by_rename(path: &Path, text: &str) {
    let tmp: PathBuf = path.with_extension("txt.swp-new");
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, path).unwrap();
}

#[test]
fn watch_renders_again_on_every_save_and_keeps_the_last_good_pdf() {
    let tmp = tempfile::tempdir().unwrap();
    init(tmp.path(), "news");
    let dir = tmp.path().join("news");
    let issue = dir.join("2027-01.txt");
    let pdf = dir.join("2027-01.pdf");
    let limit = Duration::from_secs(20);
    let mut watch = Watch::start(&dir, &["2027-01.txt"]);

    // The first render, at once.
    assert!(
        wait_until(limit, || pdf.exists() && watch.renders() >= 1),
        "no first render: {}",
        watch.shown()
    );
    assert!(watch.shown().contains("1 page"), "{}", watch.shown());

    // An edit saved by rename is seen: the PDF gets the new headline.
    let text = std::fs::read_to_string(&issue).unwrap();
    let edited = text.replace("A New Year on the River", "Ice on the Mill Pond");
    assert_ne!(edited, text);
    save_by_rename(&issue, &edited);
    assert!(
        wait_until(limit, || pdf_text(&pdf).contains("Ice on the Mill Pond")),
        "the PDF never showed the new headline: {}",
        watch.shown()
    );
    let good = std::fs::read(&pdf).unwrap();

    // A broken quire.yaml: an error line, the watch goes on, the PDF stays the last good one.
    let renders = watch.renders();
    std::fs::write(dir.join("quire.yaml"), "paper: [letter\n").unwrap();
    assert!(
        wait_until(limit, || watch
            .lines()
            .iter()
            .any(|l| l.starts_with("quire.yaml:") && l.contains("error"))),
        "no error line for the broken quire.yaml: {}",
        watch.shown()
    );
    assert!(watch.renders() > renders, "{}", watch.shown());
    let failed = watch.lines().into_iter().rev().find(|l| l.starts_with('['));
    assert!(
        failed.as_deref().is_some_and(|l| l.contains("not written")),
        "{}",
        watch.shown()
    );
    assert_eq!(
        std::fs::read(&pdf).unwrap(),
        good,
        "the last good PDF stays"
    );
    assert!(
        watch.child.try_wait().unwrap().is_none(),
        "quire watch ended after bad input: {}",
        watch.shown()
    );

    // Mended, it renders again with the new settings.
    std::fs::write(dir.join("quire.yaml"), "paper: a5\n").unwrap();
    assert!(
        wait_until(limit, || std::fs::read(&pdf).unwrap() != good),
        "no render after the fix: {}",
        watch.shown()
    );
}

#[test]
fn watch_sees_a_new_quire_yaml_and_the_fonts_it_names() {
    let tmp = tempfile::tempdir().unwrap();
    init(tmp.path(), "news");
    let dir = tmp.path().join("news");
    std::fs::remove_file(dir.join("quire.yaml")).unwrap();
    // The font lives in another folder, which is watched once quire.yaml names it.
    let fonts = tmp.path().join("shared-fonts");
    std::fs::create_dir(&fonts).unwrap();
    let face = common::root().join("fonts/NotoSans-Regular.ttf");
    std::fs::copy(&face, fonts.join("Face.ttf")).unwrap();
    let limit = Duration::from_secs(20);
    let watch = Watch::start(&dir, &["2027-01.txt"]);
    assert!(
        wait_until(limit, || watch.renders() >= 1),
        "{}",
        watch.shown()
    );

    std::fs::write(
        dir.join("quire.yaml"),
        "fonts: [../shared-fonts/Face.ttf]\npaper: a5\n",
    )
    .unwrap();
    assert!(
        wait_until(limit, || watch.renders() >= 2),
        "the new quire.yaml was not seen: {}",
        watch.shown()
    );
    let last_render = |w: &Watch| w.lines().into_iter().rev().find(|l| l.starts_with('['));
    assert!(
        last_render(&watch).is_some_and(|l| !l.contains("not written")),
        "{}",
        watch.shown()
    );

    // The font file broken, then mended: each is a render.
    std::fs::write(fonts.join("Face.ttf"), "not a font").unwrap();
    assert!(
        wait_until(limit, || watch.renders() >= 3
            && watch
                .lines()
                .iter()
                .any(|l| l.contains("Face.ttf") && l.contains("error"))),
        "the font's change was not seen: {}",
        watch.shown()
    );
    std::fs::copy(&face, fonts.join("Face.ttf")).unwrap();
    assert!(
        wait_until(limit, || watch.renders() >= 4
            && last_render(&watch).is_some_and(|l| !l.contains("not written"))),
        "{}",
        watch.shown()
    );
}

#[test]
fn watch_stops_cleanly_on_ctrl_c() {
    let tmp = tempfile::tempdir().unwrap();
    init(tmp.path(), "news");
    let dir = tmp.path().join("news");
    let mut watch = Watch::start(&dir, &["2027-01.txt", "-o", "out.pdf"]);
    assert!(
        wait_until(Duration::from_secs(20), || watch.renders() >= 1),
        "{}",
        watch.shown()
    );
    assert!(dir.join("out.pdf").exists());
    let sent = Command::new("kill")
        .args(["-INT", &watch.child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let mut status = None;
    assert!(
        wait_until(Duration::from_secs(10), || {
            status = watch.child.try_wait().unwrap();
            status.is_some()
        }),
        "still running after Ctrl-C"
    );
    assert_eq!(status.and_then(|s| s.code()), Some(0), "{}", watch.shown());
}

#[test]
fn watch_refuses_stdin_and_stdout() {
    let tmp = tempfile::tempdir().unwrap();
    let run = quire(tmp.path(), &["watch", "-"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let run = quire(tmp.path(), &["watch", "a.txt", "-o", "-"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let run = quire(tmp.path(), &["watch", "a.txt", "--paper", "tabloid"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.starts_with("--paper"), "{}", run.stderr);
}

#[test]
fn completions_for_every_shell() {
    let tmp = tempfile::tempdir().unwrap();
    let bash = quire(tmp.path(), &["completions", "bash"]);
    assert_eq!(bash.code, 0, "{}", bash.stderr);
    for word in ["quire", "render", "export", "watch", "--paper"] {
        assert!(bash.stdout.contains(word), "bash script lacks {word}");
    }
    for shell in ["zsh", "fish", "powershell", "elvish"] {
        let run = quire(tmp.path(), &["completions", shell]);
        assert_eq!(run.code, 0, "{shell}: {}", run.stderr);
        assert!(run.stdout.contains("render"), "{shell}");
    }
    assert_eq!(quire(tmp.path(), &["completions", "tcsh"]).code, 2);
}

#[test]
fn man_page_in_roff() {
    let tmp = tempfile::tempdir().unwrap();
    let run = quire(tmp.path(), &["man"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with(".TH"), "{}", &run.stdout[..80]);
    for command in ["render", "export", "watch", "init", "completions"] {
        assert!(run.stdout.contains(command), "the page lists {command}");
    }
    // --dir: one page per command.
    let run = quire(tmp.path(), &["man", "--dir", "man1"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for page in ["quire.1", "quire-render.1", "quire-watch.1", "quire-init.1"] {
        let roff = std::fs::read_to_string(tmp.path().join("man1").join(page))
            .unwrap_or_else(|e| panic!("{page}: {e}"));
        assert!(roff.starts_with(".TH"), "{page}");
    }
}

#[test]
fn render_help_names_stdin_papers_and_columns() {
    let tmp = tempfile::tempdir().unwrap();
    let run = quire(tmp.path(), &["render", "--help"]);
    assert_eq!(run.code, 0);
    let help = run.stdout;
    assert!(
        help.contains("or - to read it from standard input"),
        "{help}"
    );
    assert!(help.contains("letter, legal, a3, a4, a5"), "{help}");
    assert!(help.contains("1 or 2"), "{help}");
    assert!(help.contains("--open"), "{help}");
}

/// A folder holding a fake `xdg-open` that writes its argument to `opened` (in that folder).
#[cfg(target_os = "linux")]
fn fake_viewer(dir: &Path) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let bin = dir.join("bin");
    std::fs::create_dir(&bin).unwrap();
    let script = bin.join("xdg-open");
    let record = bin.join("opened");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nprintf '%s' \"$1\" > '{}.tmp' && mv '{0}.tmp' '{0}'\n",
            record.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    bin
}

#[cfg(target_os = "linux")]
#[test]
fn render_open_hands_the_pdf_to_the_viewer() {
    let tmp = tempfile::tempdir().unwrap();
    init(tmp.path(), "news");
    let bin = fake_viewer(tmp.path());
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = Command::new(env!("CARGO_BIN_EXE_quire"))
        .args(["render", "news/2027-01.txt", "-o", "issue.pdf", "--open"])
        .current_dir(tmp.path())
        .env("PATH", path)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!(stderr, "");
    let record = bin.join("opened");
    assert!(
        wait_until(Duration::from_secs(10), || record.exists()),
        "the viewer was not started"
    );
    assert_eq!(std::fs::read_to_string(&record).unwrap(), "issue.pdf");
    assert!(tmp.path().join("issue.pdf").exists());
}

#[cfg(target_os = "linux")]
#[test]
fn render_open_without_a_viewer_warns_and_succeeds() {
    let tmp = tempfile::tempdir().unwrap();
    init(tmp.path(), "news");
    let empty = tmp.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_quire"))
        .args(["render", "news/2027-01.txt", "--open"])
        .current_dir(tmp.path())
        .env("PATH", &empty)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("warning") && stderr.contains("no PDF viewer"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(tmp.path().join("news/2027-01.pdf").exists());
}

#[test]
fn render_open_needs_a_pdf_file() {
    let tmp = tempfile::tempdir().unwrap();
    init(tmp.path(), "news");
    for args in [
        &["render", "news/2027-01.txt", "-o", "-", "--open"][..],
        &["render", "news/2027-01.txt", "--dump-lines", "--open"][..],
    ] {
        let run = quire(tmp.path(), args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.starts_with("--open"), "{}", run.stderr);
        assert_eq!(run.stdout, "", "nothing rendered");
    }
}

/// `quire render --repeat N` (hidden, for scripts/bench): N renders in one process, one line of
/// times on stderr, and the PDF each render writes, byte for byte the one a single render writes.
#[test]
fn render_repeat_times_the_render_and_writes_the_same_pdf() {
    let tmp = temp_with(&["issues/embassy-newsletter-2017-04.txt", "issues/quire.yaml"]);
    let epoch = |cmd: &mut Command| {
        cmd.env("SOURCE_DATE_EPOCH", "1500000000");
    };
    let once = quire_with(
        tmp.path(),
        &["render", "embassy-newsletter-2017-04.txt", "-o", "once.pdf"],
        epoch,
    );
    assert_eq!(once.code, 0, "{}", once.stderr);
    let run = quire_with(
        tmp.path(),
        &[
            "render",
            "embassy-newsletter-2017-04.txt",
            "-o",
            "again.pdf",
            "--repeat=3",
        ],
        epoch,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "");
    let line = run.stderr.lines().next().unwrap_or_default();
    let rest = line
        .strip_prefix("quire render --repeat 3: first ")
        .unwrap_or_else(|| panic!("{}", run.stderr));
    let numbers: Vec<u64> = rest
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().unwrap())
        .collect();
    // first, median, min, max, the number of warm rounds
    assert_eq!(numbers.len(), 5, "{line}");
    assert!(numbers[0] > 0 && numbers[2] > 0, "{line}");
    assert!(
        numbers[2] <= numbers[1] && numbers[1] <= numbers[3],
        "{line}"
    );
    assert_eq!(numbers[4], 2, "{line}");
    assert!(rest.contains(" us; warm median "), "{line}");
    assert_eq!(
        std::fs::read(tmp.path().join("once.pdf")).unwrap(),
        std::fs::read(tmp.path().join("again.pdf")).unwrap()
    );
    // a PDF on stdout, --open or --dump-lines would repeat what a user sees, and standard
    // input can be read only once: refused
    let issue = "embassy-newsletter-2017-04.txt";
    for args in [
        [issue, "-o", "-"],
        [issue, "--open", "--output=open.pdf"],
        [issue, "--dump-lines", "--output=dump.pdf"],
        ["-", "-o", "stdin.pdf"],
    ] {
        let args = [&["render", "--repeat=2"][..], &args].concat();
        let run = quire(tmp.path(), &args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert_eq!(run.stdout, "", "{args:?}");
        assert!(
            run.stderr.starts_with("--repeat: error: "),
            "{}",
            run.stderr
        );
        assert_eq!(run.stderr.lines().count(), 1, "{args:?}: {}", run.stderr);
    }
    for refused in ["open.pdf", "dump.pdf", "stdin.pdf"] {
        assert!(!tmp.path().join(refused).exists(), "{refused} written");
    }
    // no round at all is a bad value (clap's own message)
    let run = quire(
        tmp.path(),
        &["render", "embassy-newsletter-2017-04.txt", "--repeat=0"],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("--repeat"), "{}", run.stderr);
    // not in the help a user reads
    let help = quire(tmp.path(), &["render", "--help"]);
    assert!(!help.stdout.contains("repeat"), "{}", help.stdout);
}
