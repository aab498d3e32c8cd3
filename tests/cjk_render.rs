//! CJK editions end to end (issue 5): each fixture rendered by the real binary, the PDF read
//! back with poppler (`pdftotext -bbox-layout`, `pdffonts`) and checked for its text, the
//! line-breaking rules (kinsoku), flush justification and the regional faces.

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, OnceLock};

use quire::cjk::{self, Locale};

/// 2017-04-01T00:00:00Z: fixed time for reproducible output.
const EPOCH: &str = "1491004800";
/// How far a justified line's right edge may sit from the measure, pt (the figure).
const FLUSH_TOLERANCE_PT: f32 = 0.5;
/// Poppler line boxes whose tops differ by less than this are one visual line, pt (a CJK
/// glyph and a Latin digit on one baseline have tops a point or so apart).
const BASELINE_SLOP_PT: f32 = 2.0;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn tool(cmd: &str, args: &[&str]) -> String {
    let out = Command::new(cmd)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{cmd} missing ({e}): install poppler-utils"));
    assert!(
        out.status.success(),
        "{cmd} {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// One text line as poppler sees it.
#[derive(Debug, Clone)]
struct PdfLine {
    x_max: f32,
    y_min: f32,
    text: String,
}

/// A rendered fixture: its source, its PDF, and the PDF's lines page by page.
struct Rendered {
    source: String,
    pdf: PathBuf,
    pages: Vec<Vec<PdfLine>>,
    /// Keeps the output directory alive while the tests run.
    _dir: tempfile::TempDir,
}

/// Renders `name` once per test run (the four tests of a fixture share it).
fn rendered(name: &str) -> &'static Rendered {
    static CACHE: OnceLock<Mutex<HashMap<String, &'static Rendered>>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    let mut map = cache.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(r) = map.get(name) {
        return r;
    }
    let src = root().join(format!("tests/fixtures/render/{name}.txt"));
    let dir = tempfile::tempdir().expect("temp dir");
    let pdf = dir.path().join("out.pdf");
    let out = Command::new(env!("CARGO_BIN_EXE_quire"))
        .args(["render", src.to_str().unwrap(), "-o", pdf.to_str().unwrap()])
        .current_dir(dir.path())
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .output()
        .expect("run quire");
    common::keep_pdfs(&pdf);
    assert!(
        out.status.success(),
        "render {name}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let source = std::fs::read_to_string(&src).expect("fixture");
    let pages = bbox_lines(&pdf);
    let r: &'static Rendered = Box::leak(Box::new(Rendered {
        source,
        pdf,
        pages,
        _dir: dir,
    }));
    map.insert(name.to_string(), r);
    r
}

fn attr(tag: &str, name: &str) -> f32 {
    let key = format!("{name}=\"");
    tag.find(&key)
        .and_then(|i| {
            let rest = &tag[i + key.len()..];
            rest[..rest.find('"')?].parse().ok()
        })
        .unwrap_or(0.0)
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// Lines of `pdftotext -bbox-layout`, per page, in poppler's reading order.
fn bbox_lines(pdf: &Path) -> Vec<Vec<PdfLine>> {
    let xml = tool("pdftotext", &["-bbox-layout", pdf.to_str().unwrap(), "-"]);
    let mut pages = Vec::new();
    for page in xml.split("<page ").skip(1) {
        let mut lines: Vec<PdfLine> = Vec::new();
        for line in page.split("<line ").skip(1) {
            let tag = &line[..line.find('>').unwrap_or(0)];
            let words: Vec<String> = line
                .split("<word ")
                .skip(1)
                .filter_map(|w| {
                    let start = w.find('>')? + 1;
                    let end = w.find("</word>")?;
                    Some(unescape(&w[start..end]))
                })
                .collect();
            let l = PdfLine {
                x_max: attr(tag, "xMax"),
                y_min: attr(tag, "yMin"),
                text: words.join(" "),
            };
            // Poppler starts a new line where a glyph overlaps the one before (a compressed
            // mark's blank half, JLREQ §3.1.4): one baseline is one visual line.
            match lines.last_mut() {
                Some(prev) if (prev.y_min - l.y_min).abs() < BASELINE_SLOP_PT => {
                    prev.x_max = prev.x_max.max(l.x_max);
                    prev.text.push_str(&l.text);
                }
                _ => lines.push(l),
            }
        }
        pages.push(lines);
    }
    pages
}

/// Text without whitespace, and without the list bullets the composer adds.
fn squeeze(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '•')
        .collect()
}

fn is_cjk_char(c: char) -> bool {
    cjk::is_cjk_solid(c) || quire::script::is_hangul(c)
}

/// The body lines in reading order, masthead and running footers left out, each with the
/// squeezed source offset where it ends; and whether it ends a source line (a paragraph,
/// heading or address line), i.e. is a line justification leaves ragged.
struct Body {
    lines: Vec<(PdfLine, bool)>,
    text: String,
    want: String,
    /// Per line: the squeezed offset where it ends.
    ends: Vec<usize>,
    /// Per squeezed source character: a space or line end follows it in the source.
    spaced: Vec<bool>,
}

fn body(r: &Rendered) -> Body {
    // The source after its masthead line (the composer sets its own masthead and footers).
    let src_lines: Vec<&str> = r
        .source
        .lines()
        .skip_while(|l| l.trim().is_empty())
        .skip(1)
        .collect();
    let mut want = String::new();
    let mut ends = std::collections::HashSet::new();
    let mut spaced = Vec::new();
    for l in src_lines {
        want.push_str(&squeeze(l));
        ends.insert(want.chars().count());
        let chars: Vec<char> = l.chars().collect();
        for (i, c) in chars.iter().enumerate() {
            if !c.is_whitespace() && *c != '•' {
                spaced.push(chars.get(i + 1).is_none_or(|n| n.is_whitespace()));
            }
        }
    }
    // Footers: the bottom row of every page; running heads: the top row of pages after the
    // first (page 1 has the masthead instead).
    let mut lines: Vec<PdfLine> = Vec::new();
    for (k, page) in r.pages.iter().enumerate() {
        let bottom = page.iter().map(|l| l.y_min).fold(0.0f32, f32::max);
        let top = page.iter().map(|l| l.y_min).fold(f32::INFINITY, f32::min);
        lines.extend(
            page.iter()
                .filter(|l| l.y_min < bottom - 1.0 && (k == 0 || l.y_min > top + 1.0))
                .cloned(),
        );
    }
    // The masthead: the lines before the body's first words.
    let all: String = lines.iter().map(|l| squeeze(&l.text)).collect();
    let head: String = want.chars().take(10).collect();
    let skip_bytes = all.find(&head).unwrap_or(0);
    let skip = all[..skip_bytes].chars().count();
    let mut out = Vec::new();
    let mut line_ends = Vec::new();
    let mut text = String::new();
    let mut pos = 0;
    for l in lines {
        let n = squeeze(&l.text).chars().count();
        pos += n;
        if pos <= skip {
            continue;
        }
        text.push_str(&squeeze(&l.text));
        let end = pos - skip;
        out.push((l, ends.contains(&end)));
        line_ends.push(end);
    }
    Body {
        lines: out,
        text,
        want,
        ends: line_ends,
        spaced,
    }
}

fn locale_of(name: &str) -> Locale {
    match name {
        "zh-hans" => Locale::ZhHans,
        "zh-hant" => Locale::ZhHant,
        "ja" => Locale::Ja,
        _ => Locale::Ko,
    }
}

fn check_text(name: &str) {
    let b = body(rendered(name));
    assert!(b.want.chars().count() > 300, "{name}: fixture too short");
    if b.text != b.want {
        let same = b
            .text
            .chars()
            .zip(b.want.chars())
            .take_while(|(a, w)| a == w)
            .count();
        let near =
            |s: &str| -> String { s.chars().skip(same.saturating_sub(10)).take(30).collect() };
        panic!(
            "{name}: PDF text differs from the source after {same} characters:\n pdf: {}\n src: {}",
            near(&b.text),
            near(&b.want)
        );
    }
}

fn check_kinsoku(name: &str) {
    // JLREQ §3.1.7–§3.1.8, CLREQ §6.1.1, KLREQ §7.1.2–§7.1.3.
    let locale = locale_of(name);
    let b = body(rendered(name));
    let mut n = 0;
    for (l, _) in &b.lines {
        if l.text.chars().filter(|&c| is_cjk_char(c)).count() < 3 {
            continue;
        }
        n += 1;
        let first = l.text.chars().next().unwrap_or(' ');
        let last = l.text.chars().next_back().unwrap_or(' ');
        assert!(
            cjk::may_start_line(first, locale),
            "{name}: line starts with {first:?}: {}",
            l.text
        );
        assert!(
            cjk::may_end_line(last, locale),
            "{name}: line ends with {last:?}: {}",
            l.text
        );
    }
    assert!(n > 10, "{name}: only {n} CJK lines");
}

fn check_flush(name: &str) {
    // Justified CJK lines are flush at both edges (CLREQ §6.2, JLREQ §3.8, KLREQ §7.2).
    let b = body(rendered(name));
    let inner: Vec<&PdfLine> = b
        .lines
        .iter()
        .filter(|(l, ends)| !ends && l.text.chars().filter(|&c| is_cjk_char(c)).count() > 10)
        .map(|(l, _)| l)
        .collect();
    assert!(inner.len() >= 5, "{name}: {} non-final lines", inner.len());
    let mut rights: Vec<f32> = inner.iter().map(|l| l.x_max).collect();
    rights.sort_by(f32::total_cmp);
    let measure = rights[rights.len() / 2];
    let off: Vec<String> = inner
        .iter()
        .filter(|l| (l.x_max - measure).abs() > FLUSH_TOLERANCE_PT)
        .map(|l| format!("{:+.2} pt {}", l.x_max - measure, l.text))
        .collect();
    assert!(
        off.is_empty(),
        "{name}: lines not flush:\n{}",
        off.join("\n")
    );
}

fn check_faces(name: &str) {
    let r = rendered(name);
    let fonts = tool("pdffonts", &[r.pdf.to_str().unwrap()]);
    let region = match locale_of(name) {
        Locale::ZhHans => "CJKsc",
        Locale::ZhHant => "CJKtc",
        Locale::Ja => "CJKjp",
        Locale::Ko => "CJKkr",
    };
    assert!(fonts.contains(region), "{name}: no {region} face:\n{fonts}");
    for other in ["CJKsc", "CJKtc", "CJKjp", "CJKkr"] {
        if other != region {
            assert!(
                !fonts.contains(other),
                "{name}: {other} face embedded:\n{fonts}"
            );
        }
    }
    // Digits and Latin letters of the body come from the Latin face, not from the CJK one.
    let body_latin = r
        .source
        .lines()
        .skip(1)
        .any(|l| l.chars().any(|c| c.is_ascii_alphanumeric()));
    if body_latin {
        assert!(
            fonts.contains("+NotoSerif-Regular"),
            "{name}: no Latin face for the Latin bits:\n{fonts}"
        );
    }
}

#[test]
fn cjk_render_korean_breaks_only_at_spaces() {
    // KLREQ §7.1.1: Korean breaks between words (at spaces), never inside one.
    let b = body(rendered("ko"));
    let mut checked = 0;
    for ((l, _), &end) in b.lines.iter().zip(&b.ends) {
        if end == 0 || end >= b.spaced.len() {
            continue;
        }
        checked += 1;
        assert!(
            b.spaced[end - 1],
            "line breaks inside a word: {} | {}",
            l.text,
            b.want.chars().skip(end).take(10).collect::<String>()
        );
    }
    assert!(checked > 10, "{checked} line ends checked");
}

macro_rules! fixture_tests {
    ($($name:literal => $text:ident, $kinsoku:ident, $flush:ident, $faces:ident;)*) => {$(
        #[test]
        fn $text() {
            check_text($name);
        }
        #[test]
        fn $kinsoku() {
            check_kinsoku($name);
        }
        #[test]
        fn $flush() {
            check_flush($name);
        }
        #[test]
        fn $faces() {
            check_faces($name);
        }
    )*};
}

fixture_tests! {
    "zh-hans" => cjk_render_text_zh_hans, cjk_render_kinsoku_zh_hans, cjk_render_flush_zh_hans,
        cjk_render_faces_zh_hans;
    "zh-hant" => cjk_render_text_zh_hant, cjk_render_kinsoku_zh_hant, cjk_render_flush_zh_hant,
        cjk_render_faces_zh_hant;
    "ja" => cjk_render_text_ja, cjk_render_kinsoku_ja, cjk_render_flush_ja, cjk_render_faces_ja;
    "ko" => cjk_render_text_ko, cjk_render_kinsoku_ko, cjk_render_flush_ko, cjk_render_faces_ko;
}
