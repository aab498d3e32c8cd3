//! Typesetting the sample issue's body paragraphs: measure, spacing and read-back.

use quire::fonts::{Family, FontBook};
use quire::inline::{
    dump_lines, layout_paragraph, Align, BreakKind, Line, ParagraphSpec, Span, TextStyle,
};

const SAMPLE: &str = include_str!("fixtures/embassy-newsletter-2017-04.txt");
/// Noto Serif 10.5 pt on a 6.5 in measure, as the acceptance asks.
const SIZE: f32 = 10.5;
const MEASURE: f32 = 6.5 * 72.0;

fn body_paragraphs() -> Vec<(u32, String)> {
    let mut out = Vec::new();
    let mut line_no = 0u32;
    let mut cur: Option<(u32, String)> = None;
    for l in SAMPLE.lines() {
        line_no += 1;
        if l.trim().is_empty() {
            out.extend(cur.take());
        } else if let Some((_, t)) = cur.as_mut() {
            t.push(' ');
            t.push_str(l.trim());
        } else {
            cur = Some((line_no, l.trim().to_string()));
        }
    }
    out.extend(cur);
    // Body paragraphs: the ones long enough to fill more than one line.
    out.into_iter().filter(|(_, t)| t.len() > 120).collect()
}

fn set(book: &FontBook, text: &str, line: u32) -> Vec<Line> {
    let spans = [Span {
        text: text.to_string(),
        style: TextStyle {
            family: Family::Serif,
            bold: false,
            italic: false,
            size: SIZE,
        },
        line,
        column: 1,
    }];
    let spec = ParagraphSpec {
        spans: &spans,
        lang: "en",
        width: MEASURE,
        align: Align::Justify,
        hyphenate: true,
        protrusion: false,
    };
    let mut diags = Vec::new();
    let lines = layout_paragraph(book, &spec, "sample.txt", &mut diags);
    assert!(diags.is_empty(), "{diags:?}");
    lines
}

/// Widths of the word spaces of a line, in em, from the glyph positions.
fn space_widths(line: &Line) -> Vec<f32> {
    let glyphs: Vec<(f32, &str)> = line
        .runs
        .iter()
        .flat_map(|r| r.run.texts().map(move |(g, t)| (r.x + g.x, t)))
        .collect();
    glyphs
        .windows(2)
        .filter(|w| w[0].1 == " ")
        .map(|w| (w[1].0 - w[0].0) / SIZE)
        .collect()
}

#[test]
fn typeset_sample_no_line_wider_than_the_measure() {
    let book = FontBook::bundled();
    for (n, p) in body_paragraphs() {
        for l in set(&book, &p, n) {
            assert!(
                l.width <= MEASURE + 0.01,
                "{} > {MEASURE}: {}",
                l.width,
                l.text
            );
        }
    }
}

#[test]
fn typeset_sample_justified_spaces_between_02_and_05_em() {
    let book = FontBook::bundled();
    let mut all = Vec::new();
    for (n, p) in body_paragraphs() {
        for l in set(&book, &p, n) {
            if l.break_kind == BreakKind::Last {
                continue;
            }
            assert!((l.width - MEASURE).abs() < 0.01, "not flush: {}", l.text);
            for s in space_widths(&l) {
                assert!(
                    (0.2 - 1e-3..=0.5 + 1e-3).contains(&s),
                    "{s} em in {}",
                    l.text
                );
                all.push(s);
            }
        }
    }
    all.sort_by(f32::total_cmp);
    assert!(all.len() > 100);
    let median = all[all.len() / 2];
    let p95 = all[all.len() * 95 / 100];
    eprintln!(
        "spaces: n={} median={median:.3} p95={p95:.3} max={:.3}",
        all.len(),
        all[all.len() - 1]
    );
}

#[test]
fn typeset_sample_words_read_back_in_order() {
    let book = FontBook::bundled();
    for (n, p) in body_paragraphs() {
        let lines = set(&book, &p, n);
        let mut back = String::new();
        for l in &lines {
            // Glyph texts, not `Line::text`: what a PDF reader would extract.
            let t: String = l.runs.iter().map(|r| r.run.text.as_str()).collect();
            match l.break_kind {
                BreakKind::Hyphen => back.push_str(t.strip_suffix('-').unwrap_or(&t)),
                _ => {
                    back.push_str(&t);
                    back.push(' ');
                }
            }
        }
        assert_eq!(back.trim_end(), p);
    }
}

#[test]
fn typeset_sample_dump_snapshot() {
    let book = FontBook::bundled();
    let mut dump = String::new();
    for (n, p) in body_paragraphs() {
        dump.push_str(&dump_lines(&set(&book, &p, n)));
        dump.push('\n');
    }
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/snapshots/typeset_sample.txt"
    );
    if std::env::var_os("QUIRE_BLESS").is_some() {
        std::fs::write(path, &dump).expect("write snapshot");
    }
    let want = std::fs::read_to_string(path).expect("snapshot exists (QUIRE_BLESS=1 to create)");
    assert_eq!(dump, want);
}
