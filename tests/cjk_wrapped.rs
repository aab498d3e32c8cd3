//! Hard-wrapped Chinese, Japanese and Korean paragraphs (as e-mail clients and word processors
//! wrap them at 40–80 columns) give the same model as the same text one paragraph per line.

use quire::config::Config;
use quire::parse::parse_issue;
use unicode_width::UnicodeWidthChar;

/// `line` cut into lines of at most `width` display columns (a CJK character is two): at any
/// character for Chinese and Japanese, at spaces for Korean (which spaces its words).
fn wrap_line(line: &str, width: usize, at_spaces: bool) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut cols = 0;
    if at_spaces {
        for word in line.split(' ') {
            let w: usize = word.chars().map(|c| c.width().unwrap_or(0)).sum();
            if !cur.is_empty() && cols + 1 + w > width {
                out.push(std::mem::take(&mut cur));
                cols = 0;
            }
            if !cur.is_empty() {
                cur.push(' ');
                cols += 1;
            }
            cur.push_str(word);
            cols += w;
        }
    } else {
        // Between any two characters, except inside a run of Latin letters, digits and their
        // punctuation ("2,700", "5G"): a wrapper follows UAX #14 there.
        let mut tokens: Vec<String> = Vec::new();
        for c in line.chars() {
            let latin = c.is_ascii_graphic();
            match tokens.last_mut() {
                Some(t) if latin && t.chars().last().is_some_and(|p| p.is_ascii_graphic()) => {
                    t.push(c)
                }
                _ => tokens.push(c.to_string()),
            }
        }
        for t in tokens {
            let w: usize = t.chars().map(|c| c.width().unwrap_or(0)).sum();
            if !cur.is_empty() && cols + w > width {
                out.push(std::mem::take(&mut cur));
                cols = 0;
            }
            cur.push_str(&t);
            cols += w;
        }
    }
    // An empty line stays: blank lines separate paragraphs.
    if !cur.is_empty() || out.is_empty() {
        out.push(cur);
    }
    out
}

fn wrap(text: &str, width: usize, at_spaces: bool) -> String {
    text.lines()
        .flat_map(|l| wrap_line(l, width, at_spaces))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The model as JSON without source positions (wrapping moves lines, not content).
fn model(text: &str) -> serde_json::Value {
    let parsed = parse_issue("t.txt", text, &Config::default());
    let mut v = serde_json::to_value(&parsed.issue).unwrap();
    strip_positions(&mut v);
    v
}

fn strip_positions(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(m) => {
            for k in ["line", "lines", "column", "numeral_column"] {
                m.remove(k);
            }
            m.values_mut().for_each(strip_positions);
        }
        serde_json::Value::Array(a) => a.iter_mut().for_each(strip_positions),
        _ => {}
    }
}

fn check(fixture: &str, at_spaces: bool) {
    let text = std::fs::read_to_string(fixture).unwrap();
    let whole = model(&text);
    for width in [40, 60, 76] {
        let wrapped = wrap(&text, width, at_spaces);
        assert!(
            width > 40 || wrapped.lines().count() > text.lines().count(),
            "{fixture} at {width}: nothing wrapped"
        );
        // The text as written (one paragraph per line) is not taken for a wrapped one.
        assert_eq!(
            model(&wrapped),
            whole,
            "{fixture} wrapped at {width} columns:\n{wrapped}"
        );
    }
}

#[test]
fn cjk_wrapped_chinese_paragraphs_join() {
    check("tests/fixtures/render/zh-hans.txt", false);
    check("tests/fixtures/render/zh-hant.txt", false);
}

#[test]
fn cjk_wrapped_chinese_without_blank_lines_join() {
    // One paragraph per line and no blank lines: only the long paragraph wraps.
    check("tests/fixtures/parse/zh-no-blank-lines.txt", false);
}

#[test]
fn cjk_wrapped_japanese_paragraphs_join() {
    check("tests/fixtures/render/ja.txt", false);
}

#[test]
fn cjk_wrapped_korean_paragraphs_join_with_a_space() {
    check("tests/fixtures/render/ko.txt", true);
}
