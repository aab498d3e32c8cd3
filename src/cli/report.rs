//! Printing diagnostics on stderr: the `file:line:col: severity: message` line editors jump to,
//! then the source line with a caret under the column and the hint, as rustc, Typst and ruff
//! show them; coloured on a terminal, plain when piped.
//!
//! ```text
//! 2017-04.txt:34:1: warning: link line "You can read … here:" has no target
//!    |
//! 34 | You can read the full text of the Strategy here:
//!    | ^
//!    |
//!    = hint: add its URL as item 1 of `links:` in the front matter or quire.yaml …
//! ```
//!
//! The body under the first line is annotate-snippets' (the crate rustc and cargo use), with its
//! title left out so the first line stays ours. Choices:
//! - line 0 (the whole file): the first line and `  hint: …`, no snippet, as before;
//! - column 0 (the whole line): the line's text is underlined, from its first non-blank
//!   character to its last;
//! - a column past the end of the line: the caret just after its last character;
//! - a line past the end of the file (or a file that cannot be read again): no snippet;
//! - a wide character (CJK) gets a two-column caret, a tab is shown as four spaces with the
//!   caret moved to match; a line wider than 140 columns is cut around the caret (`...`).
//!
//! The source lines come from a cache keyed by the diagnostic's file name, filled by the code
//! that read and decoded the file (`add_source`), so an issue decoded from UTF-16 or GB18030 or
//! read from stdin shows the text quire parsed. A file not handed over is read again and
//! decoded as quire reads quire.yaml (BOM, else UTF-8, `\r\n` to `\n`), and read once more
//! when its size or time changes (`quire watch`). The line of a file that does not decode
//! shows the bytes that do not as `\xNN` (never as U+FFFD).
//!
//! Colour (`--color`, the global flag): `always` and `never` say it; `auto` colours when stderr
//! is a terminal, unless `NO_COLOR` is set and non-empty (<https://no-color.org>) or `TERM` is
//! `dumb`; `CLICOLOR_FORCE` set to anything but `0` colours even when piped (NO_COLOR wins
//! over it; `--color always` wins over both).
//!
//! The reporter is global and thread-safe: `emit` renders a diagnostic, then writes it to
//! stderr in one write under the stderr lock, so diagnostics from parallel workers never
//! interleave.

use annotate_snippets::renderer::{AnsiColor, Effects, Style};
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use quire::diag::{Diagnostic, Severity};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::{IsTerminal, Write as _};
use std::sync::{Arc, Mutex, OnceLock};

/// When to colour diagnostics (`--color`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ColorWhen {
    /// Colour when stderr is a terminal and NO_COLOR is not set.
    #[default]
    Auto,
    /// Always colour, even when piped or with NO_COLOR set.
    Always,
    /// Never colour.
    Never,
}

impl ColorWhen {
    /// The last `--color WHEN` / `--color=WHEN` among `args` (before a `--`); `Auto` when
    /// there is none or its value is not one of the three (clap then reports it).
    pub fn from_args(args: impl IntoIterator<Item = std::ffi::OsString>) -> ColorWhen {
        let mut found = ColorWhen::Auto;
        let mut args = args.into_iter().skip(1);
        while let Some(a) = args.next() {
            let a = a.to_string_lossy().into_owned();
            let value = match a.as_str() {
                "--" => break,
                "--color" => args.next().map(|v| v.to_string_lossy().into_owned()),
                _ => a.strip_prefix("--color=").map(str::to_string),
            };
            match value.as_deref() {
                Some("always") => found = ColorWhen::Always,
                Some("never") => found = ColorWhen::Never,
                Some("auto") => found = ColorWhen::Auto,
                _ => {}
            }
        }
        found
    }

    /// The same choice for clap's help and errors (its `auto` heeds NO_COLOR and the
    /// terminal as ours does).
    pub fn for_clap(self) -> clap::ColorChoice {
        match self {
            ColorWhen::Auto => clap::ColorChoice::Auto,
            ColorWhen::Always => clap::ColorChoice::Always,
            ColorWhen::Never => clap::ColorChoice::Never,
        }
    }
}

/// The widest a snippet line is shown; a longer one is cut around the caret.
const WIDTH: usize = 140;

/// The largest file read again to show a line of it (a bigger one shows no snippet).
const MAX_SOURCE: u64 = 256 << 20;

/// Whether to colour, from `--color`, whether stderr is a terminal, and the environment
/// (`env` looks a variable up: `std::env::var` in the program, a table in tests).
pub fn use_color(
    when: ColorWhen,
    stderr_is_terminal: bool,
    env: impl Fn(&str) -> Option<String>,
) -> bool {
    let set = |name: &str| env(name).is_some_and(|v| !v.is_empty());
    match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto if set("NO_COLOR") => false,
        ColorWhen::Auto
            if set("CLICOLOR_FORCE") && env("CLICOLOR_FORCE").as_deref() != Some("0") =>
        {
            true
        }
        ColorWhen::Auto => stderr_is_terminal && env("TERM").as_deref() != Some("dumb"),
    }
}

/// Prints diagnostics with their source lines; one per run (`init`, `global`).
pub struct Reporter {
    color: bool,
    /// Decoded text by file name, as the diagnostics name the file.
    sources: Mutex<HashMap<String, Cached>>,
}

/// A file's text, and for one read again from disk its size and time when read (`None` for
/// text handed over by `add_source`, which stays until replaced).
struct Cached {
    text: Arc<str>,
    stamp: Option<Stamp>,
}

/// A file's size and modification time: a changed file (`quire watch`) is read again.
type Stamp = (u64, Option<std::time::SystemTime>);

fn stamp(meta: &std::fs::Metadata) -> Stamp {
    (meta.len(), meta.modified().ok())
}

impl Reporter {
    /// A reporter that colours or not.
    pub fn new(color: bool) -> Self {
        Reporter {
            color,
            sources: Mutex::new(HashMap::new()),
        }
    }

    /// Remember the decoded text of `name` (replacing what was there).
    pub fn add_source(&self, name: &str, text: &str) {
        let text = Arc::from(text);
        self.lock()
            .insert(name.to_string(), Cached { text, stamp: None });
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Cached>> {
        self.sources.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The text of `name`: as handed over, else read again from disk (once per version of the
    /// file); `None` when it cannot be read (`<stdin>`, a flag name, a missing or huge file).
    fn source(&self, name: &str) -> Option<Arc<str>> {
        let on_disk = || std::fs::metadata(name).ok().filter(|m| m.is_file());
        if let Some(c) = self.lock().get(name) {
            match c.stamp {
                None => return Some(Arc::clone(&c.text)),
                Some(s) if on_disk().is_some_and(|m| stamp(&m) == s) => {
                    return Some(Arc::clone(&c.text))
                }
                Some(_) => {}
            }
        }
        // Read outside the lock: workers printing about other files do not wait for it.
        let meta = on_disk()?;
        if meta.len() > MAX_SOURCE {
            return None;
        }
        let bytes = std::fs::read(name).ok()?;
        let text: Arc<str> = Arc::from(
            quire::parse::decode::decode(name, &bytes, None)
                .unwrap_or_else(|_| lossy(&bytes, None)),
        );
        let cached = Cached {
            text: Arc::clone(&text),
            stamp: Some(stamp(&meta)),
        };
        let mut sources = self.lock();
        // Text handed over meanwhile (the file as quire decoded it) wins over the disk's.
        match sources.get(name) {
            Some(c) if c.stamp.is_none() => Some(Arc::clone(&c.text)),
            _ => {
                sources.insert(name.to_string(), cached);
                Some(text)
            }
        }
    }

    /// The diagnostic as it is printed, ending with a newline.
    pub fn render(&self, d: &Diagnostic) -> String {
        let source = if d.line > 0 {
            self.source(&d.file)
        } else {
            None
        };
        render(d, source.as_deref(), self.color)
    }

    /// Print the diagnostic on stderr in one write.
    pub fn emit(&self, d: &Diagnostic) {
        let text = self.render(d);
        let mut err = std::io::stderr().lock();
        let _ = err.write_all(text.as_bytes());
        let _ = err.flush();
    }
}

static GLOBAL: OnceLock<Reporter> = OnceLock::new();

/// Set up the run's reporter from `--color` (stderr's terminal and the environment decide
/// `auto`). Call once, first thing; later calls change nothing.
pub fn init(when: ColorWhen) {
    let color = use_color(when, std::io::stderr().is_terminal(), |k| {
        std::env::var(k).ok()
    });
    let _ = GLOBAL.set(Reporter::new(color));
}

/// The run's reporter (`--color auto` when `init` was not called).
pub fn global() -> &'static Reporter {
    GLOBAL.get_or_init(|| {
        let color = use_color(ColorWhen::Auto, std::io::stderr().is_terminal(), |k| {
            std::env::var(k).ok()
        });
        Reporter::new(color)
    })
}

/// Print one diagnostic on stderr (source line, caret, hint), in one write: callable from any
/// thread.
pub fn emit(d: &Diagnostic) {
    global().emit(d);
}

/// Print each diagnostic, in order.
pub fn emit_all<'a>(diags: impl IntoIterator<Item = &'a Diagnostic>) {
    for d in diags {
        emit(d);
    }
}

/// Remember the decoded text of the file the diagnostics call `name`, so their lines show the
/// text as quire read it (an encoding given with `--encoding`, stdin).
pub fn add_source(name: &str, text: &str) {
    global().add_source(name, text);
}

/// Remember a file whose bytes did not decode, so a decoding error shows its line: its text
/// (in `encoding` as `--encoding` names it, else BOM or UTF-8) with `\xNN` for the bytes that
/// do not decode.
pub fn add_undecodable(name: &str, bytes: &[u8], encoding: Option<&str>) {
    global().add_source(name, &lossy(bytes, encoding));
}

/// `bytes` decoded for display: what does not decode is shown as `\xNN` escapes (never a
/// replacement character, which would hide which bytes they were); newlines made `\n`.
fn lossy(bytes: &[u8], encoding: Option<&str>) -> String {
    use encoding_rs::DecoderResult;
    let enc = encoding
        .and_then(|l| encoding_rs::Encoding::for_label(l.trim().as_bytes()))
        .unwrap_or(encoding_rs::UTF_8);
    let (enc, bytes) = match encoding_rs::Encoding::for_bom(bytes) {
        Some((bom, len)) => (bom, &bytes[len..]),
        None => (enc, bytes),
    };
    let mut decoder = enc.new_decoder_without_bom_handling();
    let mut out = String::with_capacity(bytes.len() + 16);
    let mut src = bytes;
    loop {
        // Room for the rest; a malformed sequence loops back here for more.
        out.reserve(src.len() * 3 + 16);
        let (result, read) = decoder.decode_to_string_without_replacement(src, &mut out, true);
        match result {
            DecoderResult::InputEmpty => break,
            DecoderResult::OutputFull => {}
            DecoderResult::Malformed(bad, extra) => {
                let end = read.saturating_sub(usize::from(extra));
                let start = end.saturating_sub(usize::from(bad));
                for b in &src[start..end] {
                    let _ = write!(out, "\\x{b:02X}");
                }
            }
        }
        src = &src[read..];
    }
    out.replace("\r\n", "\n").replace('\r', "\n")
}

/// `d` with the line `source` has at `d.line` (when there is one), coloured or not; ends with a
/// newline.
pub fn render(d: &Diagnostic, source: Option<&str>, color: bool) -> String {
    let paint = |style: Style, text: &str| {
        if color {
            format!("{}{text}{}", style.render(), style.render_reset())
        } else {
            text.to_string()
        }
    };
    let (level, level_style) = match d.severity {
        Severity::Error => (
            Level::ERROR,
            annotate_snippets::renderer::DEFAULT_ERROR_STYLE,
        ),
        Severity::Warning => (
            Level::WARNING,
            annotate_snippets::renderer::DEFAULT_WARNING_STYLE,
        ),
    };
    // The first line: the location plain (so it starts the line even in colour), then
    // `severity:` and the message as rustc colours them.
    let mut out = match (d.line, d.column) {
        (0, _) => format!("{}: ", d.file),
        (l, 0) => format!("{}:{l}: ", d.file),
        (l, c) => format!("{}:{l}:{c}: ", d.file),
    };
    out.push_str(&paint(level_style, &format!("{}:", d.severity)));
    out.push(' ');
    out.push_str(&paint(Style::new().effects(Effects::BOLD), &d.message));
    out.push('\n');

    let line = source.and_then(|s| source_line(s, d.line));
    let Some(line) = line else {
        if let Some(h) = &d.hint {
            let hint_style = AnsiColor::BrightCyan.on_default().effects(Effects::BOLD);
            let _ = writeln!(out, "  {} {h}", paint(hint_style, "hint:"));
        }
        return out;
    };
    let mut snippet = Snippet::source(line)
        .line_start(d.line as usize)
        .fold(false);
    if let Some(span) = span(line, d.column) {
        snippet = snippet.annotation(AnnotationKind::Primary.span(span));
    }
    let mut group = Group::with_level(level).element(snippet);
    if let Some(h) = &d.hint {
        group = group.element(Level::HELP.with_name("hint").message(h.as_str()));
    }
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    }
    .term_width(WIDTH);
    out.push_str(&renderer.render(&[group]));
    out.push('\n');
    out
}

/// Line `line` (1-based) of `text`, without its newline; `None` past the end.
fn source_line(text: &str, line: u32) -> Option<&str> {
    let n = usize::try_from(line).ok()?.checked_sub(1)?;
    let l = text.split('\n').nth(n)?;
    Some(l.strip_suffix('\r').unwrap_or(l))
}

/// The byte range the caret marks: the character at `column` (1-based, in characters), the
/// end of the line past its last character, the line's non-blank text for column 0 (`None`
/// for a blank line).
fn span(line: &str, column: u32) -> Option<std::ops::Range<usize>> {
    if column == 0 {
        let start = line.len() - line.trim_start().len();
        let end = line.trim_end().len();
        return (start < end).then_some(start..end);
    }
    let n = usize::try_from(column - 1).unwrap_or(usize::MAX);
    match line.char_indices().nth(n) {
        Some((i, c)) => Some(i..i + c.len_utf8()),
        None => Some(line.len()..line.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_color_flag_is_found_before_clap_parses() {
        let args = |v: &[&str]| v.iter().map(std::ffi::OsString::from).collect::<Vec<_>>();
        let w = |v: &[&str]| ColorWhen::from_args(args(v));
        assert_eq!(w(&["quire", "--help"]), ColorWhen::Auto);
        assert_eq!(
            w(&["quire", "--color", "always", "--help"]),
            ColorWhen::Always
        );
        assert_eq!(
            w(&["quire", "render", "--color=never", "x"]),
            ColorWhen::Never
        );
        // The last one wins, as clap's would; after `--` it is a file name.
        assert_eq!(
            w(&["quire", "--color=never", "--color", "always"]),
            ColorWhen::Always
        );
        assert_eq!(
            w(&["quire", "render", "--", "--color=never"]),
            ColorWhen::Auto
        );
        assert_eq!(w(&["quire", "--color", "purple"]), ColorWhen::Auto);
    }

    fn plain(d: &Diagnostic, source: &str) -> String {
        render(d, Some(source), false)
    }

    /// The display column (0-based) of the first `^` on the caret line, and how many there are.
    fn caret(out: &str) -> (usize, usize) {
        let line = out
            .lines()
            .find(|l| l.contains('^'))
            .unwrap_or_else(|| panic!("a caret line in:\n{out}"));
        let bar = line.find('|').expect("a gutter");
        let after = &line[bar + 2..];
        let start = after.find('^').expect("a caret");
        let len = after[start..].chars().take_while(|&c| c == '^').count();
        (start, len)
    }

    /// The shown source line, after the gutter.
    fn shown(out: &str, line: u32) -> String {
        let prefix = format!("{line} | ");
        out.lines()
            .find_map(|l| l.strip_prefix(&prefix))
            .unwrap_or_else(|| panic!("line {line} in:\n{out}"))
            .to_string()
    }

    #[test]
    fn report_first_line_is_the_location() {
        let d = Diagnostic::error("issue.txt", 2, 5, "bad thing").with_hint("fix it");
        let out = plain(&d, "one\ntwo three\n");
        assert_eq!(out.lines().next(), Some("issue.txt:2:5: error: bad thing"));
        assert!(out.ends_with("= hint: fix it\n"), "{out}");
        let w = Diagnostic::warning("quire.yaml", 1, 0, "odd");
        let out = plain(&w, "a: b\n");
        assert_eq!(out.lines().next(), Some("quire.yaml:1: warning: odd"));
    }

    #[test]
    fn report_caret_ascii() {
        let d = Diagnostic::error("a.txt", 2, 5, "here");
        let out = plain(&d, "one\ntwo three\n");
        assert_eq!(shown(&out, 2), "two three");
        assert_eq!(caret(&out), (4, 1), "{out}");
    }

    #[test]
    fn report_caret_cjk_is_two_columns() {
        // 标题：你好 — the caret under 你 (column 4), after three double-width characters.
        let d = Diagnostic::error("a.txt", 1, 4, "here");
        let out = plain(&d, "标题：你好 x");
        assert_eq!(caret(&out), (6, 2), "{out}");
        // An ASCII character after CJK ones: one column, after 2 × 5 + 1.
        let d = Diagnostic::error("a.txt", 1, 7, "here");
        assert_eq!(caret(&plain(&d, "标题：你好 x")), (11, 1));
    }

    #[test]
    fn report_caret_after_tab() {
        // The tab is shown as four spaces; the caret stays under `b`.
        let d = Diagnostic::error("a.txt", 1, 3, "here");
        let out = plain(&d, "a\tb");
        let text = shown(&out, 1);
        let (col, len) = caret(&out);
        assert_eq!(len, 1);
        assert_eq!(text.chars().nth(col), Some('b'), "{out}");
        assert!(!out.contains('\t'));
    }

    #[test]
    fn report_caret_past_the_end_and_whole_line() {
        let d = Diagnostic::error("a.txt", 1, 40, "here");
        let out = plain(&d, "short");
        assert_eq!(caret(&out), (5, 1), "{out}");
        let d = Diagnostic::error("a.txt", 1, 0, "here");
        assert_eq!(caret(&plain(&d, "  two words  ")), (2, 9));
        // A blank line: shown, no caret.
        let out = plain(&d, "   ");
        assert!(!out.contains('^'), "{out}");
    }

    #[test]
    fn report_line_zero_and_missing_line_print_as_before() {
        let d = Diagnostic::error("a.txt", 0, 0, "no such file").with_hint("check the path");
        assert_eq!(plain(&d, "x"), format!("{d}\n"));
        let d = Diagnostic::error("a.txt", 9, 1, "past the end").with_hint("h");
        assert_eq!(plain(&d, "x\ny"), format!("{d}\n"));
        assert_eq!(render(&d, None, false), format!("{d}\n"));
    }

    #[test]
    fn report_long_line_is_cut_around_the_caret() {
        let line = format!("{}needle{}", "a".repeat(2000), "b".repeat(2000));
        let d = Diagnostic::error("a.txt", 1, 2001, "here");
        let out = plain(&d, &line);
        assert!(out.lines().all(|l| l.chars().count() < 200), "{out}");
        let text = shown(&out, 1);
        let (col, len) = caret(&out);
        assert_eq!(len, 1);
        assert_eq!(text.get(col..col + 6), Some("needle"), "{out}");
    }

    #[test]
    fn report_colour_off_has_no_escapes_and_on_has_them() {
        let d = Diagnostic::warning("a.txt", 1, 1, "here").with_hint("h");
        assert!(!plain(&d, "abc").contains('\x1b'));
        assert!(!render(&d, None, false).contains('\x1b'));
        let coloured = render(&d, Some("abc"), true);
        assert!(coloured.contains("\x1b["), "{coloured}");
        assert!(coloured.starts_with("a.txt:1:1: "), "{coloured}");
    }

    #[test]
    fn report_use_color_rules() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert!(use_color(ColorWhen::Auto, true, env(&[])));
        assert!(!use_color(ColorWhen::Auto, false, env(&[])));
        assert!(!use_color(ColorWhen::Auto, true, env(&[("NO_COLOR", "1")])));
        assert!(use_color(ColorWhen::Auto, true, env(&[("NO_COLOR", "")])));
        assert!(use_color(
            ColorWhen::Always,
            false,
            env(&[("NO_COLOR", "1")])
        ));
        assert!(!use_color(ColorWhen::Never, true, env(&[])));
        assert!(use_color(
            ColorWhen::Auto,
            false,
            env(&[("CLICOLOR_FORCE", "1")])
        ));
        assert!(!use_color(
            ColorWhen::Auto,
            false,
            env(&[("CLICOLOR_FORCE", "0")])
        ));
        assert!(!use_color(
            ColorWhen::Auto,
            true,
            env(&[("NO_COLOR", "1"), ("CLICOLOR_FORCE", "1")])
        ));
        assert!(!use_color(ColorWhen::Auto, true, env(&[("TERM", "dumb")])));
    }

    #[test]
    fn report_lossy_and_cache() {
        assert_eq!(lossy(b"a\r\nb\xffc\rd", None), "a\nb\\xFFc\nd");
        assert_eq!(lossy(b"\xef\xbb\xbfok \xbc\xf2", None), "ok \\xBC\\xF2");
        assert_eq!(lossy(&[0xc4, 0xe3, b'\n'], Some("gb18030")), "你\n");
        let r = Reporter::new(false);
        r.add_source("<stdin>", "first\nsecond line\n");
        let out = r.render(&Diagnostic::error("<stdin>", 2, 8, "here"));
        assert!(out.contains("2 | second line"), "{out}");
        // A file read from disk is read again once it changes (`quire watch`).
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("quire.yaml");
        let name = path.display().to_string();
        std::fs::write(&path, "paper: napkin\n").unwrap();
        let d = Diagnostic::error(&name, 1, 8, "here");
        assert!(r.render(&d).contains("1 | paper: napkin"));
        std::fs::write(&path, "paper: tablecloth\n").unwrap();
        assert!(r.render(&d).contains("1 | paper: tablecloth"));
    }
}
