//! Issue 14: the command line's defects, each reproduced through the real binary.

mod common;

use common::{quire, quire_with};
use std::fs;
use std::path::Path;
use std::process::Command;

const ISSUE: &str = "NEWSLETTER Issue 1 of 2017\n\n\nA Title\n\nSome text.\n";

/// A temporary folder holding `v.txt` (a small issue).
fn issue_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("v.txt"), ISSUE).unwrap();
    dir
}

/// The stderr's non-empty lines.
fn lines(stderr: &str) -> Vec<&str> {
    stderr.lines().filter(|l| !l.trim().is_empty()).collect()
}

fn pdf_text(pdf: &Path) -> String {
    let o = Command::new("pdftotext")
        .arg("-layout")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    assert!(o.status.success());
    String::from_utf8_lossy(&o.stdout).into_owned()
}

// 1. Output onto the input.

#[test]
fn render_refuses_output_that_is_the_input() {
    let dir = issue_dir();
    let d = dir.path();
    std::os::unix::fs::symlink(d.join("v.txt"), d.join("link.pdf")).unwrap();
    fs::hard_link(d.join("v.txt"), d.join("hard.pdf")).unwrap();
    fs::create_dir(d.join("sub")).unwrap();
    for out in ["v.txt", "./v.txt", "sub/../v.txt", "link.pdf", "hard.pdf"] {
        let run = quire(d, &["render", "v.txt", "-o", out]);
        assert_eq!(run.code, 1, "-o {out}: {}", run.stderr);
        assert_eq!(lines(&run.stderr).len(), 1, "-o {out}: {}", run.stderr);
        assert!(run.stderr.contains(out), "-o {out}: {}", run.stderr);
        assert!(
            run.stderr.starts_with("v.txt: error: is also the output"),
            "-o {out}: {}",
            run.stderr
        );
        assert_eq!(
            fs::read_to_string(d.join("v.txt")).unwrap(),
            ISSUE,
            "-o {out}"
        );
    }
    // An issue named .pdf would be replaced by its own default output.
    fs::write(d.join("w.pdf"), ISSUE).unwrap();
    let run = quire(d, &["render", "w.pdf"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(fs::read_to_string(d.join("w.pdf")).unwrap(), ISSUE);
    // Nothing else was written.
    assert_eq!(
        common::listing(d),
        vec!["hard.pdf", "link.pdf", "sub", "v.txt", "w.pdf"]
    );
}

#[test]
fn export_refuses_outdir_that_is_or_lies_inside_dir() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("issues");
    fs::create_dir(&dir).unwrap();
    fs::write(dir.join("v.txt"), ISSUE).unwrap();
    for out in [
        "issues",
        "issues/.",
        "issues/pdf",
        "issues/pdf/2017",
        "./issues/../issues/x",
    ] {
        let run = quire(tmp.path(), &["export", "issues", "-o", out]);
        assert_eq!(run.code, 2, "-o {out}: {}{}", run.stdout, run.stderr);
        assert_eq!(lines(&run.stderr).len(), 1, "-o {out}: {}", run.stderr);
        assert!(run.stderr.contains(out), "-o {out}: {}", run.stderr);
        assert!(
            run.stderr.contains("outside it"),
            "-o {out}: {}",
            run.stderr
        );
        // Nothing written: no lock, no manifest, no PDF, no folder made.
        assert_eq!(common::listing(&dir), vec!["v.txt"], "-o {out}");
    }
    // A symlink leading into DIR is inside it too.
    std::os::unix::fs::symlink(&dir, tmp.path().join("alias")).unwrap();
    let run = quire(tmp.path(), &["export", "issues", "-o", "alias/out"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(common::listing(&dir), vec!["v.txt"]);
    // A sibling folder is fine.
    let run = quire(tmp.path(), &["export", "issues", "-o", "pdf", "-q"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(tmp.path().join("pdf/v.pdf").is_file());
}

#[test]
fn render_refuses_to_write_a_pdf_to_a_terminal() {
    let dir = issue_dir();
    let cmd = format!("{} render v.txt -o -", env!("CARGO_BIN_EXE_quire"));
    // `script` gives the child a pseudo-terminal as stdout (util-linux).
    let o = Command::new("script")
        .args(["-qec", &cmd, "/dev/null"])
        .current_dir(dir.path())
        .output();
    let Ok(o) = o else {
        eprintln!("no `script` here: the PTY test is skipped");
        return;
    };
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(2), "{out}");
    assert!(
        out.contains("stdout is a terminal; redirect it or use -o FILE"),
        "{out}"
    );
    assert!(!out.contains("%PDF"), "{out}");
    // Not a terminal (a pipe): the PDF goes out.
    let run = Command::new(env!("CARGO_BIN_EXE_quire"))
        .args(["render", "v.txt", "-o", "-"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(0));
    assert!(run.stdout.starts_with(b"%PDF-"));
}

// 2. The masthead's separator.

#[test]
fn render_masthead_dash_separator_gives_a_clean_footer() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("c.txt"),
        "Consular Update — April 2017\n\n\nNew Visa Rules\n\nSome text about the rules for visas.\n",
    )
    .unwrap();
    let run = quire(dir.path(), &["render", "c.txt"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = pdf_text(&dir.path().join("c.pdf"));
    assert!(text.contains("Consular Update · April 2017"), "{text}");
    assert!(!text.contains("· —"), "{text}");
}

// 4. Values accepted that should be errors.

#[test]
fn render_bad_lang_is_a_usage_error() {
    let dir = issue_dir();
    let run = quire(dir.path(), &["render", "v.txt", "--lang", "xx-!!"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(lines(&run.stderr).len(), 1, "{}", run.stderr);
    assert!(run.stderr.contains("--lang"), "{}", run.stderr);
    assert!(run.stderr.contains("xx-!!"), "{}", run.stderr);
    assert_eq!(common::listing(dir.path()), vec!["v.txt"]);
}

#[test]
fn config_style_size_or_leading_of_zero_is_an_error() {
    for (yaml, line) in [
        ("theme:\n  body:\n    size: 0pt\n", 3),
        ("language: en\ntheme:\n  heading: {size: 0}\n", 3),
        ("theme:\n  footer:\n    font: sans\n    leading: 0mm\n", 4),
    ] {
        let dir = issue_dir();
        fs::write(dir.path().join("quire.yaml"), yaml).unwrap();
        let run = quire(dir.path(), &["render", "v.txt"]);
        assert_eq!(run.code, 1, "{yaml}: {}", run.stderr);
        assert!(
            run.stderr.starts_with(&format!("quire.yaml:{line}:")),
            "{yaml}: {}",
            run.stderr
        );
        assert!(
            run.stderr.contains("more than zero"),
            "{yaml}: {}",
            run.stderr
        );
        assert_eq!(common::listing(dir.path()), vec!["quire.yaml", "v.txt"]);
        let check = quire(dir.path(), &["check", "v.txt"]);
        assert_eq!(check.code, 1, "{yaml}: {}", check.stderr);
    }
    // A zero margin is a choice (a full-bleed page), not a mistake.
    let dir = issue_dir();
    fs::write(dir.path().join("quire.yaml"), "margins: 0\n").unwrap();
    let run = quire(dir.path(), &["render", "v.txt"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn config_unquoted_colour_warns() {
    let dir = issue_dir();
    fs::write(
        dir.path().join("quire.yaml"),
        "theme:\n  accent: #ff0000\n  body:\n    color: #333333\n",
    )
    .unwrap();
    let run = quire(dir.path(), &["render", "v.txt"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "quire.yaml:2:3: warning: `accent` is empty: quote colours, `#` starts a YAML comment"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("quire.yaml:4:5: warning: `color` is empty"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stderr.matches("is empty").count(), 2, "{}", run.stderr);
    assert!(dir.path().join("v.pdf").is_file());
    let check = quire(dir.path(), &["check", "v.txt"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(
        check.stderr.contains("`accent` is empty"),
        "{}",
        check.stderr
    );
    // Quoted, or left out: no warning.
    fs::write(
        dir.path().join("quire.yaml"),
        "theme:\n  accent: \"#ff0000\"\n",
    )
    .unwrap();
    let run = quire(dir.path(), &["render", "v.txt"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("empty"), "{}", run.stderr);
}

#[test]
fn config_flag_naming_a_folder_is_an_error() {
    let dir = issue_dir();
    fs::create_dir(dir.path().join("conf")).unwrap();
    for cmd in ["render", "check"] {
        let run = quire(dir.path(), &[cmd, "v.txt", "--config", "conf"]);
        assert_eq!(run.code, 1, "{cmd}: {}", run.stderr);
        assert!(
            run.stderr.starts_with("conf: error: is a folder"),
            "{cmd}: {}",
            run.stderr
        );
    }
    assert_eq!(common::listing(dir.path()), vec!["conf", "v.txt"]);
}

#[test]
fn config_flag_naming_an_issue_quotes_one_line_at_most() {
    let dir = issue_dir();
    fs::write(dir.path().join("w.txt"), ISSUE).unwrap();
    let run = quire(dir.path(), &["render", "v.txt", "--config", "w.txt"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.starts_with("w.txt:1:1: error:"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("Some text"), "{}", run.stderr);
    assert!(!run.stderr.contains("\\n"), "{}", run.stderr);
    // The message, its hint, and the snippet of the one line it is about (`1 | …`).
    let quoted = run
        .stderr
        .lines()
        .filter(|l| {
            l.split_once(" | ")
                .is_some_and(|(n, _)| n.trim().parse::<u32>().is_ok())
        })
        .count();
    assert!(quoted <= 1, "{}", run.stderr);
    assert!(run.stderr.lines().count() <= 6, "{}", run.stderr);
    assert_eq!(common::listing(dir.path()), vec!["v.txt", "w.txt"]);
}

// 5. --dump-lines with -o.

#[test]
fn render_dump_lines_with_output_writes_the_pdf_too() {
    let dir = issue_dir();
    let run = quire(
        dir.path(),
        &["render", "v.txt", "--dump-lines", "-o", "x.pdf"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("Some text."), "{}", run.stdout);
    let pdf = fs::read(dir.path().join("x.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    // Without -o: the dump only, as before.
    let run = quire(dir.path(), &["render", "v.txt", "--dump-lines"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("Some text."), "{}", run.stdout);
    assert_eq!(common::listing(dir.path()), vec!["v.txt", "x.pdf"]);
    // The help says so.
    let help = quire(dir.path(), &["render", "--help"]).stdout;
    let help = help.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        help.contains("without -o that is all, with -o, write the PDF too"),
        "{help}"
    );
}

// 6. Exit codes: a bad flag value is a usage error (2).

#[test]
fn bad_flag_values_exit_2() {
    let dir = issue_dir();
    for args in [
        &["render", "v.txt", "--paper", "tabloid"][..],
        &["render", "v.txt", "--encoding", "latin9000"],
        &["render", "v.txt", "--columns", "3"],
        &["render", "v.txt", "--lang", "english!"],
        &["check", "v.txt", "--encoding", "latin9000"],
        &["check", "v.txt", "--json", "--encoding", "latin9000"],
    ] {
        let run = quire(dir.path(), args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stdout.is_empty(), "{args:?}: {}", run.stdout);
        let flag = args[args.len() - 2];
        assert!(run.stderr.contains(flag), "{args:?}: {}", run.stderr);
        if flag != "--columns" {
            assert_eq!(lines(&run.stderr).len(), 1, "{args:?}: {}", run.stderr);
        }
    }
    assert_eq!(common::listing(dir.path()), vec!["v.txt"]);
    // Bad input stays 1.
    fs::write(dir.path().join("empty.txt"), "").unwrap();
    assert_eq!(quire(dir.path(), &["render", "empty.txt"]).code, 1);
}

#[test]
fn export_says_one_page_and_error_once() {
    let dir = tempfile::tempdir().unwrap();
    let issues = dir.path().join("issues");
    std::fs::create_dir(&issues).unwrap();
    std::fs::write(
        issues.join("short.txt"),
        "NEWSLETTER Issue 1 of 2017\n\nA Short Issue\n\nOne paragraph of text.\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let r = common::quire(
        dir.path(),
        &[
            "export",
            issues.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("(1 page)"), "{}", r.stdout);
    std::fs::write(issues.join("quire.yaml"), "paper: napkin\n").unwrap();
    let r = common::quire(
        dir.path(),
        &[
            "export",
            issues.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ],
    );
    assert_ne!(r.code, 0);
    assert_eq!(r.stderr.matches("error").count(), 1, "{}", r.stderr);
}

// 4 (front matter). An unquoted colour in front matter is a YAML comment: warned as in
// quire.yaml, on the issue's own line.

#[test]
fn front_matter_unquoted_colour_warns() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("v.txt"),
        format!("---\ntheme:\n  accent: #ff0000\n---\n{ISSUE}"),
    )
    .unwrap();
    let run = quire(dir.path(), &["check", "v.txt"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("v.txt:3:3: warning: `accent` is empty: quote colours"),
        "{}",
        run.stderr
    );
}

// 3. `--encoding` for export, and `encoding:` in quire.yaml for every command.

/// "Café, naïve" in Windows-1252: not UTF-8.
fn latin1_issue() -> Vec<u8> {
    let mut b = b"NEWSLETTER Issue 1 of 2017\n\nA Caf\xe9 Opens\n\nThe na\xefve text.\n".to_vec();
    b.extend_from_slice(b"\nMore text.\n");
    b
}

#[test]
fn export_takes_the_encoding_it_hints_at() {
    let dir = tempfile::tempdir().unwrap();
    let issues = dir.path().join("issues");
    fs::create_dir(&issues).unwrap();
    fs::write(issues.join("cafe.txt"), latin1_issue()).unwrap();
    let export = |extra: &[&str]| {
        let mut args = vec!["export", "issues", "-o", "out"];
        args.extend_from_slice(extra);
        quire(dir.path(), &args)
    };
    let run = export(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("use --encoding windows-1252"),
        "{}",
        run.stderr
    );
    let run = export(&["--encoding", "windows-1252"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(pdf_text(&dir.path().join("out/cafe.pdf")).contains("A Café Opens"));
    // A bad label is a usage error.
    assert_eq!(export(&["--encoding", "latin9000"]).code, 2);
    // quire.yaml's `encoding:` does the same, for export and render.
    fs::write(issues.join("quire.yaml"), "encoding: windows-1252\n").unwrap();
    let run = export(&["--force"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = quire(&issues, &["render", "cafe.txt"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(pdf_text(&issues.join("cafe.pdf")).contains("The naïve text."));
    let run = quire(&issues, &["check", "cafe.txt"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // A bad label in quire.yaml names the key.
    fs::write(issues.join("quire.yaml"), "encoding: latin9000\n").unwrap();
    let run = quire(&issues, &["render", "cafe.txt"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("quire.yaml:1:11: error: encoding: unknown encoding `latin9000`"),
        "{}",
        run.stderr
    );
    // Front matter cannot name the encoding of the file it is in.
    fs::remove_file(issues.join("quire.yaml")).unwrap();
    fs::write(
        issues.join("fm.txt"),
        format!("---\ntitle: T\nencoding: gb18030\n---\n{ISSUE}"),
    )
    .unwrap();
    let run = quire(&issues, &["check", "fm.txt"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("fm.txt:3:1: error: `encoding` cannot be set in front matter"),
        "{}",
        run.stderr
    );
}

// 7. Export: stale outputs removed (only the export's own), nothing found is an error,
// cached issues replay their warnings.

/// An issue whose link line has no target: a warning, not an error.
const WARNED: &str = "NEWSLETTER Issue 2 of 2017\n\nA Warned Issue\n\nSome text.\n\nRead the full text here:\n\nMore text.\n";

fn export_in(dir: &Path, extra: &[&str]) -> common::Run {
    let mut args = vec!["export", "issues", "-o", "out"];
    args.extend_from_slice(extra);
    quire(dir, &args)
}

#[test]
fn export_removes_the_outputs_it_no_longer_produces() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let issues = d.join("issues");
    fs::create_dir_all(issues.join("old")).unwrap();
    fs::write(issues.join("a.txt"), ISSUE).unwrap();
    fs::write(issues.join("b.txt"), ISSUE.replace("Issue 1", "Issue 2")).unwrap();
    fs::write(
        issues.join("old/c.txt"),
        ISSUE.replace("Issue 1", "Issue 3"),
    )
    .unwrap();
    let run = export_in(d, &["--volumes"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = d.join("out");
    for f in ["a.pdf", "b.pdf", "old/c.pdf"] {
        assert!(out.join(f).is_file(), "{f}");
    }
    let volume = fs::read_dir(&out)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .find(|n| n.starts_with("volume"))
        .expect("a volume was bound");
    // A file of the user's in OUTDIR, and a PDF the user changed since.
    fs::write(out.join("notes.pdf"), b"mine").unwrap();
    fs::write(out.join("b.pdf"), b"edited by hand").unwrap();

    fs::remove_file(issues.join("old/c.txt")).unwrap();
    fs::remove_file(issues.join("b.txt")).unwrap();
    let run = export_in(d, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!out.join("old/c.pdf").exists());
    assert!(!out.join("old").exists(), "the emptied folder goes too");
    assert!(
        !out.join(&volume).exists(),
        "no --volumes: the volume is stale"
    );
    assert_eq!(fs::read(out.join("notes.pdf")).unwrap(), b"mine");
    assert_eq!(fs::read(out.join("b.pdf")).unwrap(), b"edited by hand");
    assert!(out.join("a.pdf").is_file());
    assert!(
        run.stdout
            .contains(&format!("removed 2 stale outputs (old/c.pdf, {volume})")),
        "{}",
        run.stdout
    );
    assert!(
        run.stderr
            .contains("b.pdf: warning: no longer produced, but kept"),
        "{}",
        run.stderr
    );
    let manifest: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["issues"].as_array().unwrap().len(), 1);
    assert!(manifest["volumes"].as_array().unwrap().is_empty());
    // A third run has nothing to remove and says nothing about it.
    let run = export_in(d, &[]);
    assert!(!run.stdout.contains("removed"), "{}", run.stdout);
}

#[test]
fn export_finding_no_issue_is_an_error_and_touches_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::create_dir(d.join("issues")).unwrap();
    fs::write(d.join("issues/a.txt"), ISSUE).unwrap();
    assert_eq!(export_in(d, &[]).code, 0);
    fs::remove_file(d.join("issues/a.txt")).unwrap();
    let run = export_in(d, &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("issues: error: no issue files found"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("*.txt"), "{}", run.stderr);
    // The earlier PDF stays: an empty folder is more likely a mistake than a wish.
    assert!(d.join("out/a.pdf").is_file());
}

#[test]
fn export_replays_the_warnings_of_cached_issues_and_records_objects() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::create_dir(d.join("issues")).unwrap();
    fs::write(d.join("issues/w.txt"), WARNED).unwrap();
    fs::write(d.join("issues/bad.txt"), "").unwrap();
    let first = export_in(d, &[]);
    assert_eq!(first.code, 1, "{}", first.stderr);
    assert!(
        first.stderr.contains("warning: link line"),
        "{}",
        first.stderr
    );
    let second = export_in(d, &[]);
    assert!(second.stdout.contains("1 up to date"), "{}", second.stdout);
    assert!(
        second.stderr.contains("w.txt:7:1: warning: link line"),
        "{}",
        second.stderr
    );
    // --quiet keeps warnings out, replayed or not.
    let quiet = export_in(d, &["--quiet"]);
    assert!(!quiet.stderr.contains("warning"), "{}", quiet.stderr);

    let manifest: serde_json::Value =
        serde_json::from_slice(&fs::read(d.join("out/manifest.json")).unwrap()).unwrap();
    let entry = |source: &str| {
        manifest["issues"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["source"] == source)
            .unwrap()
            .clone()
    };
    let bad = entry("bad.txt");
    assert_eq!(bad["status"], "failed");
    assert_eq!(bad["sha256"], serde_json::Value::Null);
    assert_eq!(bad["diagnostics"][0]["severity"], "error");
    assert_eq!(bad["diagnostics"][0]["file"], "bad.txt");
    let w = entry("w.txt");
    assert_eq!(w["sha256"].as_str().unwrap().len(), 64);
    // The same objects as `quire check --json` gives.
    let (_, check) = common::check_json(&d.join("issues"), "w.txt");
    assert_eq!(w["diagnostics"], check["diagnostics"]);
}

// 8. Wording.

#[test]
fn render_missing_file_hint_is_about_render() {
    let dir = tempfile::tempdir().unwrap();
    let run = quire(dir.path(), &["render", "missing.txt"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.starts_with("missing.txt: error: no such file"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("quire check"), "{}", run.stderr);
}

#[test]
fn config_errors_name_their_key_once() {
    let dir = issue_dir();
    for (yaml, want) in [
        (
            "paper: napkin\n",
            "error: paper: `napkin` is not a paper size",
        ),
        ("columns: 3\n", "error: columns: must be 1 or 2, not 3"),
        (
            "language: 'xx-!!'\n",
            "error: language: `xx-!!` is not a BCP 47",
        ),
        (
            "date: 2017-02-30\n",
            "error: date: `2017-02-30` has no day 30",
        ),
        ("issue: 0\n", "error: issue: 0 is impossible"),
        (
            "mail:\n  rate: fast\n",
            "error: mail.rate: `fast` is not a rate",
        ),
    ] {
        fs::write(dir.path().join("quire.yaml"), yaml).unwrap();
        let run = quire(dir.path(), &["check", "v.txt"]);
        assert_eq!(run.code, 1, "{yaml}");
        assert!(run.stderr.contains(want), "{yaml}: {}", run.stderr);
    }
}

// `--color` governs clap's own help and usage errors too (they are printed while parsing).

#[test]
fn color_flag_reaches_help_and_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let esc = |s: &str| s.contains("\x1b[");
    // Piped: plain unless asked.
    let plain = quire(dir.path(), &["render", "--help"]);
    assert!(!esc(&plain.stdout), "{}", plain.stdout);
    let always = quire(dir.path(), &["--color", "always", "render", "--help"]);
    assert_eq!(always.code, 0);
    assert!(esc(&always.stdout), "{}", always.stdout);
    let usage = quire(dir.path(), &["--color=always", "render"]);
    assert_eq!(usage.code, 2);
    assert!(esc(&usage.stderr), "{}", usage.stderr);
    let never = quire_with(dir.path(), &["--color", "never", "render"], |c| {
        c.env("CLICOLOR_FORCE", "1");
    });
    assert_eq!(never.code, 2);
    assert!(!esc(&never.stderr), "{}", never.stderr);
}
