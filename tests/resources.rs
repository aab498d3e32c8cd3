//! Resource limits, through the real binary: `--max-input` refuses a large issue (file by its
//! size, stdin after limit+1 bytes) before reading it whole, with one line and no output; a
//! paragraph beyond quire's limit is refused naming its line, one far beyond Knuth–Plass's
//! range is set first fit; YAML bombs and deep nesting are refused fast; a font file too
//! large is refused by its size. Timing is measured by benches and README, not here: the
//! only clock is a hang guard.

mod common;

use common::quire;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const HEAD: &str = "NEWSLETTER Issue 1 of 2017\n\n\nHeadline\n\n";

/// `quire ARGS` in `cwd` with `stdin` piped in; killed after `limit` (a hang is a failure).
fn quire_guarded(cwd: &Path, args: &[&str], stdin: &[u8], limit: Duration) -> common::Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_quire"))
        .args(args)
        .current_dir(cwd)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the quire binary runs");
    let mut pipe = child.stdin.take().unwrap();
    let input = stdin.to_vec();
    // quire may stop reading early (that is the point): a broken pipe is fine.
    let writer = std::thread::spawn(move || {
        let _ = pipe.write_all(&input);
    });
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > limit {
            let _ = child.kill();
            panic!("quire {args:?} still running after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = writer.join();
    let out = child.wait_with_output().unwrap();
    common::Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// An issue of about `n` bytes: a heading and paragraphs of ordinary words.
fn issue_of(n: usize) -> String {
    let mut s = HEAD.to_string();
    while s.len() < n {
        s.push_str("The quick brown fox jumps over the lazy dog again and again.\n\n");
    }
    s
}

fn one_line(stderr: &str) -> &str {
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "one line of error: {stderr}");
    lines[0]
}

#[test]
fn resources_max_input_refuses_a_file_by_its_size() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("big.txt"), issue_of(5_000)).unwrap();
    let run = quire(
        dir.path(),
        &["render", "big.txt", "-o", "big.pdf", "--max-input", "4kB"],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let line = one_line(&run.stderr);
    assert!(line.starts_with("big.txt: error: is larger"), "{line}");
    assert!(line.contains("--max-input"), "{line}");
    assert_eq!(common::listing(dir.path()), ["big.txt"], "no PDF, no temp");
    // The same file within the limit renders.
    let ok = quire(
        dir.path(),
        &["render", "big.txt", "-o", "big.pdf", "--max-input", "1MB"],
    );
    assert_eq!(ok.code, 0, "{}", ok.stderr);
    // check and export refuse it too.
    let check = quire(dir.path(), &["check", "big.txt", "--max-input", "4kB"]);
    assert_eq!(check.code, 1);
    assert!(check.stderr.contains("big.txt: error: is larger"));
    let src = tempfile::tempdir().unwrap();
    std::fs::write(src.path().join("a.txt"), issue_of(5_000)).unwrap();
    let out = dir.path().join("out");
    let export = quire(
        src.path(),
        &[
            "export",
            ".",
            "-o",
            out.to_str().unwrap(),
            "-q",
            "--max-input",
            "4kB",
        ],
    );
    assert_eq!(export.code, 1, "{}", export.stderr);
    assert!(export.stderr.contains("a.txt: error: is larger"));
    assert!(!out.join("a.pdf").exists());
}

#[test]
fn resources_max_input_refuses_stdin_past_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    // 20 MB on stdin against 1 MB: quire stops after 1 MB + 1 byte.
    let input = issue_of(20_000_000);
    let run = quire_guarded(
        dir.path(),
        &["render", "-", "-o", "out.pdf", "--max-input", "1MB"],
        input.as_bytes(),
        Duration::from_secs(60),
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let line = one_line(&run.stderr);
    assert!(line.starts_with("<stdin>: error: is larger"), "{line}");
    assert!(common::listing(dir.path()).is_empty(), "no PDF, no temp");
}

#[test]
fn resources_max_input_bad_value_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), issue_of(100)).unwrap();
    for args in [
        &["render", "a.txt", "--max-input", "lots"][..],
        &["check", "a.txt", "--max-input", "5XB"],
        &["export", ".", "-o", "out", "--max-input=-1"],
        &["watch", "a.txt", "--max-input", "0"],
        &[
            "mail",
            "a.txt",
            "--to",
            "a@example.org",
            "--dry-run",
            "--max-input",
            "x",
        ],
    ] {
        let run = quire(dir.path(), args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(
            one_line(&run.stderr).starts_with("--max-input: error:"),
            "{args:?}: {}",
            run.stderr
        );
    }
    assert_eq!(common::listing(dir.path()), ["a.txt"]);
}

#[test]
fn resources_ten_mb_paragraph_without_spaces_is_refused_naming_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = HEAD.to_string();
    text.push_str("A short paragraph first.\n\n");
    text.push_str(&"x".repeat(10_000_000));
    text.push('\n');
    std::fs::write(dir.path().join("huge.txt"), &text).unwrap();
    let run = quire_guarded(
        dir.path(),
        &["render", "huge.txt", "-o", "huge.pdf"],
        b"",
        Duration::from_secs(60),
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "huge.txt: error: paragraph at line 8 is 10 MB long: quire sets paragraphs up to 1 MB"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(common::listing(dir.path()), ["huge.txt"]);
}

#[test]
fn resources_long_paragraph_without_spaces_is_set_first_fit() {
    // 300,000 letters without a space: beyond Knuth–Plass's range (OPTIMAL_FIT_MAX_ITEMS),
    // set first fit in linear time.
    let dir = tempfile::tempdir().unwrap();
    let mut text = HEAD.to_string();
    text.push_str(&"x".repeat(300_000));
    text.push('\n');
    std::fs::write(dir.path().join("long.txt"), &text).unwrap();
    let run = quire_guarded(
        dir.path(),
        &["render", "long.txt", "-o", "long.pdf"],
        b"",
        Duration::from_secs(60),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let pdf = std::fs::read(dir.path().join("long.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
}

/// A "billion laughs": nine levels of nine aliases each (9^9 strings when expanded).
fn laughs(indent: &str) -> String {
    let mut s = format!("keywords:\n{indent}- &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    let mut prev = 'a';
    for c in "bcdefghi".chars() {
        let refs = vec![format!("*{prev}"); 9].join(", ");
        s.push_str(&format!("{indent}- &{c} [{refs}]\n"));
        prev = c;
    }
    s
}

#[test]
fn resources_yaml_bombs_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), issue_of(100)).unwrap();
    std::fs::write(dir.path().join("laughs.yaml"), laughs("  ")).unwrap();
    let deep = format!("language: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
    std::fs::write(dir.path().join("deep.yaml"), deep).unwrap();
    let run = quire_guarded(
        dir.path(),
        &["check", "a.txt", "--config", "laughs.yaml"],
        b"",
        Duration::from_secs(60),
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("laughs.yaml:2:"), "{}", run.stderr);
    // Without the depth check libyaml's scanner took 50 s over this (quadratic in depth).
    let run = quire_guarded(
        dir.path(),
        &["check", "a.txt", "--config", "deep.yaml"],
        b"",
        Duration::from_secs(60),
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("deep.yaml:1:139: error: nested more than 128 levels deep"),
        "{}",
        run.stderr
    );
    // The same in an issue's front matter.
    let front = format!("---\n{}---\n{}", laughs(""), issue_of(100));
    std::fs::write(dir.path().join("front.txt"), front).unwrap();
    let run = quire_guarded(
        dir.path(),
        &["render", "front.txt", "-o", "front.pdf"],
        b"",
        Duration::from_secs(60),
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("front.txt:3:"), "{}", run.stderr);
    let front = format!(
        "---\nlanguage: {}\n---\n{}",
        "{a: ".repeat(200),
        issue_of(100)
    );
    std::fs::write(dir.path().join("deep.txt"), front).unwrap();
    let run = quire(dir.path(), &["check", "deep.txt"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("deep.txt:2:") && run.stderr.contains("nested more than 128"),
        "{}",
        run.stderr
    );
    assert!(!dir.path().join("front.pdf").exists());
}

#[test]
fn resources_oversized_font_is_refused_by_its_size() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), issue_of(100)).unwrap();
    // 65 MB, sparse: refused by its size, never read.
    let f = std::fs::File::create(dir.path().join("huge.ttf")).unwrap();
    f.set_len(65_000_000).unwrap();
    std::fs::write(dir.path().join("quire.yaml"), "fonts: [huge.ttf]\n").unwrap();
    let run = quire(dir.path(), &["render", "a.txt", "-o", "a.pdf"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let line = one_line(&run.stderr);
    assert!(
        line.contains("huge.ttf: error: the font file is 65 MB, larger than the 64 MB"),
        "{line}"
    );
    assert!(!dir.path().join("a.pdf").exists());
}
