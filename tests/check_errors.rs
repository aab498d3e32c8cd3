//! `quire check` on bad inputs: a clear error line, a non-zero exit, nothing written.

mod common;

use common::{listing, quire};
use std::fs;

/// Write `files` into a fresh temp dir, run `quire args` there, and check that the run wrote
/// nothing. Returns the run.
fn run_in(files: &[(&str, &[u8])], args: &[&str]) -> common::Run {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in files {
        fs::write(dir.path().join(name), bytes).unwrap();
    }
    let before = listing(dir.path());
    let run = quire(dir.path(), args);
    assert_eq!(listing(dir.path()), before, "quire check wrote nothing");
    run
}

fn first_error(run: &common::Run) -> &str {
    run.stderr
        .lines()
        .find(|l| l.contains(": error: "))
        .unwrap_or_else(|| panic!("an error line in: {}", run.stderr))
}

#[test]
fn errors_empty_file() {
    let run = run_in(&[("empty.txt", b"")], &["check", "empty.txt"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        first_error(&run),
        "empty.txt: error: the file is empty: there is no issue text"
    );
}

#[test]
fn errors_whitespace_only_file_is_empty() {
    let run = run_in(&[("blank.txt", b" \r\n\r\n\t\n")], &["check", "blank.txt"]);
    assert_eq!(run.code, 1);
    assert!(first_error(&run).contains("the file is empty"));
}

#[test]
fn errors_only_front_matter() {
    let run = run_in(
        &[("only.txt", b"---\ntitle: Spring\nissue: 3\n---\n\n")],
        &["check", "only.txt"],
    );
    assert_eq!(run.code, 1);
    assert_eq!(
        first_error(&run),
        "only.txt:4:1: error: the file holds only front matter: there is no issue text after the closing ---"
    );
}

#[test]
fn errors_unclosed_front_matter() {
    let run = run_in(
        &[("open.txt", b"---\ntitle: Spring\nBody\n")],
        &["check", "open.txt"],
    );
    assert_eq!(run.code, 1);
    assert!(first_error(&run).starts_with(
        "open.txt:1:1: error: the front matter opened by --- on line 1 is never closed"
    ));
}

#[test]
fn errors_yaml_syntax_in_front_matter_has_line_and_column() {
    let run = run_in(
        &[(
            "syn.txt",
            b"---\ntitle: Spring\npublisher: Embassy: Press Office\n---\nHello\n\nBody.\n",
        )],
        &["check", "syn.txt"],
    );
    assert_eq!(run.code, 1);
    assert_eq!(
        first_error(&run),
        "syn.txt:3:19: error: mapping values are not allowed in this context"
    );
}

#[test]
fn errors_yaml_syntax_in_quire_yaml_has_line_and_column() {
    let run = run_in(
        &[
            ("quire.yaml", b"paper: letter\ntitle: a: b\n"),
            ("a.txt", b"Hello\n\nBody.\n"),
        ],
        &["check", "a.txt"],
    );
    assert_eq!(run.code, 1);
    assert_eq!(
        first_error(&run),
        "quire.yaml:2:9: error: mapping values are not allowed in this context"
    );
}

#[test]
fn errors_unknown_key_with_did_you_mean() {
    let run = run_in(
        &[(
            "unk.txt",
            b"---\ntitle: x\nlangauge: en\n---\nHello\n\nBody.\n",
        )],
        &["check", "unk.txt"],
    );
    assert_eq!(run.code, 1);
    assert!(
        first_error(&run).starts_with("unk.txt:3:1: error: unknown field `langauge`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("\n  = hint: did you mean `language`?"),
        "{}",
        run.stderr
    );
}

#[test]
fn errors_unknown_nested_key_in_quire_yaml() {
    let run = run_in(
        &[
            ("quire.yaml", b"theme:\n  body:\n    szie: 11\n"),
            ("a.txt", b"Hello\n\nBody.\n"),
        ],
        &["check", "a.txt"],
    );
    assert_eq!(run.code, 1);
    assert!(
        first_error(&run).starts_with("quire.yaml:3:5: error: theme.body: unknown field `szie`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("did you mean `size`?"),
        "{}",
        run.stderr
    );
}

#[test]
fn errors_impossible_values() {
    for (yaml, want) in [
        ("issue: 0", "a.txt:2:8: error: issue: 0 is impossible"),
        (
            "date: 2017-13-40",
            "a.txt:2:7: error: date: `2017-13-40` has no month 13",
        ),
        (
            "paper: napkin",
            "a.txt:2:8: error: paper: `napkin` is not a paper size: use letter",
        ),
        (
            "title: T\ncolumns: 3",
            "a.txt:3:10: error: columns: must be 1 or 2, not 3",
        ),
    ] {
        let text = format!("---\n{yaml}\n---\nHello\n\nBody.\n");
        let run = run_in(&[("a.txt", text.as_bytes())], &["check", "a.txt"]);
        assert_eq!(run.code, 1, "{yaml}");
        assert!(
            first_error(&run).starts_with(want),
            "{yaml}: {}",
            run.stderr
        );
    }
}

#[test]
fn errors_invalid_utf8_names_offset_and_encoding() {
    let mut bytes = b"NEWSLETTER Issue 4 of 2017\n\n".to_vec();
    bytes.extend_from_slice(&[0xBC, 0xF2, 0xD1, 0xB6]); // "简讯" in GB18030
    let run = run_in(&[("gb.txt", &bytes)], &["check", "gb.txt"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        first_error(&run),
        "gb.txt:3:1: error: invalid UTF-8 at byte offset 28"
    );
    assert!(
        run.stderr
            .contains("hint: the file decodes cleanly as gb18030"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--encoding gb18030"), "{}", run.stderr);
    assert!(
        !run.stderr.contains('\u{FFFD}'),
        "never a replacement character"
    );
    let ok = run_in(
        &[("gb.txt", &bytes)],
        &["check", "--encoding", "gb18030", "gb.txt"],
    );
    assert_eq!(ok.code, 0, "{}", ok.stderr);
}

#[test]
fn errors_directory_given_as_file() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("issues")).unwrap();
    let run = quire(dir.path(), &["check", "issues"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        first_error(&run),
        "issues: error: is a directory, not an issue file"
    );
    assert_eq!(listing(dir.path()), ["issues"]);
}

#[test]
fn errors_missing_file() {
    let run = run_in(&[], &["check", "nope.txt"]);
    assert_eq!(run.code, 1);
    assert_eq!(first_error(&run), "nope.txt: error: no such file");
}

#[test]
fn errors_one_bad_file_among_good_ones_fails_the_run() {
    let run = run_in(
        &[("good.txt", b"Hello\n\nBody.\n"), ("empty.txt", b"")],
        &["check", "good.txt", "empty.txt"],
    );
    assert_eq!(run.code, 1);
}

#[test]
fn errors_json_reports_error_diagnostics() {
    let run = run_in(&[("empty.txt", b"")], &["check", "--json", "empty.txt"]);
    assert_eq!(run.code, 1);
    let v: serde_json::Value = serde_json::from_str(run.stdout.trim()).unwrap();
    assert_eq!(v["diagnostics"][0]["severity"], "error");
    assert_eq!(v["diagnostics"][0]["line"], 0);
}

#[test]
fn errors_usage_exits_2() {
    let run = run_in(&[], &["check"]);
    assert_eq!(run.code, 2);
    let run = run_in(&[], &["frobnicate"]);
    assert_eq!(run.code, 2);
    let run = run_in(&[("a.txt", b"x")], &["render", "a.txt", "--columns", "3"]);
    assert_eq!(run.code, 2);
}
