//! Issue 14: the command line's defects, each reproduced through the real binary.

mod common;

use common::quire;
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
    assert!(run.stderr.lines().count() <= 2, "{}", run.stderr);
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
