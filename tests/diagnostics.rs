//! How diagnostics look on stderr: `file:line:col: severity: message` first, then the source
//! line with a caret under the column and the hint; coloured on a terminal (`--color`,
//! NO_COLOR), plain when piped; `check --json` untouched.

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

/// An issue whose front matter has an impossible date: an error at 2:7.
const BAD: &str = "---\ndate: 2017-13-40\n---\nHello\n\nBody.\n";
const BAD_FIRST: &str = "bad.txt:2:7: error: date: `2017-13-40` has no month 13";

fn dir_with(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in files {
        fs::write(dir.path().join(name), bytes).unwrap();
    }
    dir
}

/// Run quire in `dir` with `env` set and the colour variables of the caller's environment
/// removed.
fn quire_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> common::Run {
    common::quire_with(dir, args, |cmd| {
        cmd.env_remove("NO_COLOR")
            .env_remove("CLICOLOR_FORCE")
            .envs(env.iter().copied());
    })
}

/// `text` without its ANSI escape sequences (CSI … letter, OSC … ST).
fn strip_ansi(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\x1b' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('[') => {
                for c in chars.by_ref() {
                    if c.is_ascii_alphabetic() {
                        break;
                    }
                }
            }
            Some(']') => {
                while let Some(c) = chars.next() {
                    if c == '\x07' || (c == '\x1b' && chars.next_if_eq(&'\\').is_some()) {
                        break;
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// The display column (from the gutter's `| `) of the first caret and the number of carets,
/// and the source line shown for `line`, in a plain rendering.
fn caret_under(stderr: &str, line: u32) -> (String, usize, usize) {
    let prefix = format!("{line} | ");
    let shown = stderr
        .lines()
        .find_map(|l| l.strip_prefix(&prefix))
        .unwrap_or_else(|| panic!("line {line} shown in:\n{stderr}"))
        .to_string();
    let caret = stderr
        .lines()
        .find(|l| l.contains('^'))
        .unwrap_or_else(|| panic!("a caret in:\n{stderr}"));
    let after = &caret[caret.find('|').expect("a gutter") + 2..];
    let col = after.find('^').unwrap();
    let len = after[col..].chars().take_while(|&c| c == '^').count();
    (shown, col, len)
}

/// The characters of `shown` under display columns `col..col + len` (wide characters are two).
fn under(shown: &str, col: usize, len: usize) -> String {
    use unicode_width::UnicodeWidthChar;
    let mut at = 0;
    let mut out = String::new();
    for c in shown.chars() {
        let w = c.width().unwrap_or(0);
        if at >= col && at < col + len {
            out.push(c);
        }
        at += w;
    }
    out
}

#[test]
fn diagnostics_piped_are_plain_with_the_line_and_a_caret() {
    let dir = dir_with(&[("bad.txt", BAD.as_bytes())]);
    let run = quire_env(dir.path(), &["check", "bad.txt"], &[]);
    assert_eq!(run.code, 1);
    assert!(!run.stderr.contains('\x1b'), "{}", run.stderr);
    assert_eq!(run.stderr.lines().next(), Some(BAD_FIRST), "{}", run.stderr);
    let (shown, col, len) = caret_under(&run.stderr, 2);
    assert_eq!(shown, "date: 2017-13-40");
    assert_eq!((col, len), (6, 1), "{}", run.stderr);
    // `--color never` says the same.
    let never = quire_env(dir.path(), &["--color", "never", "check", "bad.txt"], &[]);
    assert_eq!(never.stderr, run.stderr);
    // CLICOLOR_FORCE colours a pipe, NO_COLOR wins over it.
    let forced = quire_env(
        dir.path(),
        &["check", "bad.txt"],
        &[("CLICOLOR_FORCE", "1")],
    );
    assert!(forced.stderr.contains("\x1b["), "{}", forced.stderr);
    let both = quire_env(
        dir.path(),
        &["check", "bad.txt"],
        &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")],
    );
    assert_eq!(both.stderr, run.stderr);
}

#[test]
fn diagnostics_color_always_has_escapes_and_keeps_the_first_line() {
    let dir = dir_with(&[("bad.txt", BAD.as_bytes())]);
    // After the subcommand too (a global flag), and over NO_COLOR.
    for args in [
        &["--color", "always", "check", "bad.txt"][..],
        &["check", "bad.txt", "--color=always"][..],
    ] {
        let run = quire_env(dir.path(), args, &[("NO_COLOR", "1")]);
        assert_eq!(run.code, 1);
        assert!(run.stderr.contains("\x1b["), "{args:?}: {}", run.stderr);
        let first = run.stderr.lines().next().unwrap();
        // The location is not coloured: the line starts with it as editors expect.
        assert!(first.starts_with("bad.txt:2:7: "), "{first:?}");
        assert_eq!(strip_ansi(first), BAD_FIRST);
        let plain = quire_env(dir.path(), &["check", "bad.txt"], &[]);
        assert_eq!(strip_ansi(&run.stderr), plain.stderr);
    }
}

#[test]
fn diagnostics_bad_color_value_is_a_usage_error() {
    let dir = dir_with(&[("bad.txt", BAD.as_bytes())]);
    let run = quire_env(
        dir.path(),
        &["--color", "sometimes", "check", "bad.txt"],
        &[],
    );
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("sometimes"), "{}", run.stderr);
}

/// Run `quire args` in `dir` under a pseudo-terminal (util-linux `script`), with `env`; the
/// terminal's output (stdout and stderr together). `None` when `script` is not installed.
fn quire_in_pty(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Option<String> {
    let has_script = std::env::var_os("PATH")
        .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join("script").is_file()));
    if !has_script {
        eprintln!("skipped: `script` (util-linux) is not installed");
        return None;
    }
    let quote = |s: &str| format!("'{}'", s.replace('\'', r"'\''"));
    let mut cmd = quote(env!("CARGO_BIN_EXE_quire"));
    for a in args {
        cmd.push(' ');
        cmd.push_str(&quote(a));
    }
    let out = Command::new("script")
        .args(["-q", "-e", "-c", &cmd, "/dev/null"])
        .current_dir(dir)
        .stdin(std::process::Stdio::null())
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env("TERM", "xterm-256color")
        .envs(env.iter().copied())
        .output()
        .expect("script runs");
    assert_eq!(
        out.status.code(),
        Some(1),
        "quire check exits 1 under the PTY"
    );
    Some(String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n"))
}

#[test]
fn diagnostics_on_a_terminal_are_coloured_unless_no_color() {
    let dir = dir_with(&[("bad.txt", BAD.as_bytes())]);
    let Some(tty) = quire_in_pty(dir.path(), &["check", "bad.txt"], &[]) else {
        return;
    };
    assert!(tty.contains("\x1b["), "a terminal gets colour: {tty:?}");
    assert_eq!(strip_ansi(tty.lines().next().unwrap()), BAD_FIRST);

    let no_color = quire_in_pty(dir.path(), &["check", "bad.txt"], &[("NO_COLOR", "1")]).unwrap();
    assert!(!no_color.contains('\x1b'), "NO_COLOR: {no_color:?}");
    assert_eq!(no_color.lines().next(), Some(BAD_FIRST));
    assert!(no_color.contains("2 | date: 2017-13-40"), "{no_color}");
    // An empty NO_COLOR does not count; --color never does.
    let empty = quire_in_pty(dir.path(), &["check", "bad.txt"], &[("NO_COLOR", "")]).unwrap();
    assert!(empty.contains("\x1b["), "{empty:?}");
    let never = quire_in_pty(dir.path(), &["--color", "never", "check", "bad.txt"], &[]).unwrap();
    assert!(!never.contains('\x1b'), "{never:?}");
    let dumb = quire_in_pty(dir.path(), &["check", "bad.txt"], &[("TERM", "dumb")]).unwrap();
    assert!(!dumb.contains('\x1b'), "{dumb:?}");
}

#[test]
fn diagnostics_cjk_and_tab_put_the_caret_under_the_character() {
    // Front matter on one line: the date's value after four double-width characters.
    let cjk = "---\n{title: 简讯简讯, date: 2017-13-40}\n---\nHello\n\nBody.\n";
    let tab = "---\ndate:\t2017-13-40\n---\nHello\n\nBody.\n";
    let dir = dir_with(&[("cjk.txt", cjk.as_bytes()), ("tab.txt", tab.as_bytes())]);
    let run = quire_env(dir.path(), &["check", "cjk.txt"], &[]);
    assert!(
        run.stderr.starts_with("cjk.txt:2:21: error: date:"),
        "{}",
        run.stderr
    );
    let (shown, col, len) = caret_under(&run.stderr, 2);
    assert_eq!(shown, "{title: 简讯简讯, date: 2017-13-40}");
    assert_eq!((col, len), (24, 1), "{}", run.stderr);
    assert_eq!(under(&shown, col, 10), "2017-13-40");

    let run = quire_env(dir.path(), &["check", "tab.txt"], &[]);
    assert!(
        run.stderr.starts_with("tab.txt:2:7: error: date:"),
        "{}",
        run.stderr
    );
    let (shown, col, len) = caret_under(&run.stderr, 2);
    // The tab is shown as spaces, the caret still under the value's first character.
    assert!(!shown.contains('\t'));
    assert_eq!(len, 1);
    assert_eq!(under(&shown, col, 10), "2017-13-40", "{}", run.stderr);
}

#[test]
fn diagnostics_show_the_decoded_line_of_utf16_gb18030_and_stdin() {
    let text = "---\ntitle: 简讯\ndate: 2017-13-40\n---\n你好\n\n正文。\n";
    let mut utf16 = vec![0xff, 0xfe];
    utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let (gb, _, _) = encoding_rs::GB18030.encode(text);
    let dir = dir_with(&[("u16.txt", &utf16), ("gb.txt", &gb)]);

    let run = quire_env(dir.path(), &["check", "u16.txt"], &[]);
    assert!(
        run.stderr.starts_with("u16.txt:3:7: error:"),
        "{}",
        run.stderr
    );
    assert_eq!(
        caret_under(&run.stderr, 3),
        ("date: 2017-13-40".into(), 6, 1)
    );

    let run = quire_env(
        dir.path(),
        &["check", "--encoding", "gb18030", "gb.txt"],
        &[],
    );
    assert!(
        run.stderr.starts_with("gb.txt:3:7: error:"),
        "{}",
        run.stderr
    );
    assert_eq!(caret_under(&run.stderr, 3).0, "date: 2017-13-40");

    // stdin cannot be read twice: the line comes from what render decoded.
    let out = Command::new(env!("CARGO_BIN_EXE_quire"))
        .args(["render", "-", "-o", "out.pdf"])
        .current_dir(dir.path())
        .env_remove("CLICOLOR_FORCE")
        .stdin(fs::File::open(dir.path().join("gb.txt")).unwrap())
        .output()
        .unwrap();
    // Not GB18030 without --encoding: a decoding error, shown on its line.
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.starts_with("<stdin>:2:"), "{stderr}");
    assert!(stderr.contains("2 | title: "), "{stderr}");
    let out = Command::new(env!("CARGO_BIN_EXE_quire"))
        .args(["render", "--encoding", "gb18030", "-", "-o", "out.pdf"])
        .current_dir(dir.path())
        .env_remove("CLICOLOR_FORCE")
        .stdin(fs::File::open(dir.path().join("gb.txt")).unwrap())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.starts_with("<stdin>:3:7: error:"), "{stderr}");
    assert!(stderr.contains("3 | date: 2017-13-40"), "{stderr}");
}

#[test]
fn diagnostics_quire_yaml_error_shows_the_yaml_line() {
    let dir = dir_with(&[
        ("v.txt", b"Hello\n\nBody.\n"),
        ("quire.yaml", "newsletter: 简讯\npaper: napkin\n".as_bytes()),
    ]);
    for cmd in ["check", "render"] {
        let run = quire_env(dir.path(), &[cmd, "v.txt"], &[]);
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert!(
            run.stderr.starts_with("quire.yaml:2:8: error: paper:"),
            "{cmd}: {}",
            run.stderr
        );
        assert_eq!(
            caret_under(&run.stderr, 2),
            ("paper: napkin".into(), 7, 1),
            "{cmd}: {}",
            run.stderr
        );
    }
}

#[test]
fn diagnostics_warnings_show_their_line_and_hint() {
    let dir = tempfile::tempdir().unwrap();
    let sample = common::root().join("issues/embassy-newsletter-2017-04.txt");
    fs::copy(&sample, dir.path().join("2017-04.txt")).unwrap();
    let run = quire_env(dir.path(), &["check", "2017-04.txt"], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut lines = run.stderr.lines();
    let first = lines.next().unwrap();
    assert!(
        first.starts_with("2017-04.txt:34:1: warning: link line"),
        "{}",
        run.stderr
    );
    assert!(lines.next().unwrap().trim_end().ends_with('|'));
    let shown = lines.next().unwrap();
    assert!(
        shown.starts_with("34 | You can read the full text of the Strategy here:"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("= hint: add its URL"), "{}", run.stderr);
}

#[test]
fn diagnostics_readers_csv_rows_show_their_line() {
    let dir = tempfile::tempdir().unwrap();
    let root = common::root();
    fs::copy(
        root.join("issues/embassy-newsletter-2017-04.txt"),
        dir.path().join("2017-04.txt"),
    )
    .unwrap();
    fs::write(
        dir.path().join("readers.csv"),
        "email,name\nnot-an-address,Ann\nok@example.org,Bo\n",
    )
    .unwrap();
    let run = quire_env(
        dir.path(),
        &[
            "mail",
            "2017-04.txt",
            "--list",
            "readers.csv",
            "--from",
            "n@example.org",
            "--dry-run",
        ],
        &[],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let at = run
        .stderr
        .find("readers.csv:2: warning: `not-an-address`")
        .unwrap_or_else(|| panic!("{}", run.stderr));
    let rest = &run.stderr[at..];
    // Column 0: the whole row is underlined.
    assert_eq!(
        caret_under(rest, 2),
        ("not-an-address,Ann".into(), 0, 18),
        "{rest}"
    );
}

#[test]
fn diagnostics_whole_file_errors_print_as_one_line_and_hint() {
    let dir = tempfile::tempdir().unwrap();
    let run = quire_env(dir.path(), &["check", "nope.txt"], &[]);
    assert_eq!(run.code, 1);
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{}", run.stderr);
    assert_eq!(lines[0], "nope.txt: error: no such file");
    assert!(lines[1].starts_with("  hint: "), "{}", run.stderr);
}

#[test]
fn diagnostics_long_line_is_cut_around_the_caret() {
    let body = format!(
        "---\n{{title: {}, date: 2017-13-40}}\n---\nHello\n\nBody.\n",
        "x".repeat(3000)
    );
    let dir = dir_with(&[("wide.txt", body.as_bytes())]);
    let run = quire_env(dir.path(), &["check", "wide.txt"], &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.starts_with("wide.txt:2:3017: error: date:"),
        "{}",
        run.stderr
    );
    for l in run.stderr.lines().skip(1) {
        assert!(l.chars().count() <= 160, "a short line: {l}");
    }
    let (shown, col, _) = caret_under(&run.stderr, 2);
    assert_eq!(under(&shown, col, 10), "2017-13-40", "{}", run.stderr);
    assert!(shown.contains("..."));
}

#[test]
fn diagnostics_check_json_is_unchanged() {
    let dir = dir_with(&[("bad.txt", BAD.as_bytes())]);
    let plain = quire_env(dir.path(), &["check", "--json", "bad.txt"], &[]);
    let always = quire_env(
        dir.path(),
        &["--color", "always", "check", "--json", "bad.txt"],
        &[],
    );
    assert_eq!(plain.code, 1);
    assert_eq!(plain.stdout, always.stdout, "colour never reaches the JSON");
    assert_eq!(plain.stderr, "", "--json prints no snippet");
    assert_eq!(always.stderr, "");
    assert!(!plain.stdout.contains('\x1b'));
    assert_eq!(plain.stdout.lines().count(), 1);
    let v: serde_json::Value = serde_json::from_str(&plain.stdout).unwrap();
    assert_eq!(
        v["diagnostics"],
        serde_json::json!([{
            "file": "bad.txt",
            "line": 2,
            "column": 7,
            "severity": "error",
            "message": "date: `2017-13-40` has no month 13"
        }])
    );
    assert_eq!(v["schema"], 1);
    assert_eq!(v["file"], "bad.txt");
}
