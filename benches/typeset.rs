//! Benchmark: time to shape and break 1,000 words of the sample issue's English body text
//! (Noto Serif 10.5 pt, 6.5 in measure, justified and hyphenated), one paragraph per call.

use quire::fonts::{Family, FontBook};
use quire::inline::Shaper;
use quire::inline::{
    layout_paragraph, layout_paragraph_with, Align, ParagraphSpec, Span, TextStyle,
};

const SAMPLE: &str = include_str!("../tests/fixtures/embassy-newsletter-2017-04.txt");

fn main() {
    divan::main();
}

/// The sample's body paragraphs, repeated until they hold 1,000 words.
fn thousand_words() -> Vec<String> {
    let paras: Vec<String> = SAMPLE
        .split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| p.len() > 120)
        .collect();
    let mut out = Vec::new();
    let mut words = 0;
    for p in paras.iter().cycle() {
        let n = p.split(' ').count();
        if words + n > 1000 {
            let rest: Vec<&str> = p.split(' ').take(1000 - words).collect();
            out.push(rest.join(" "));
            break;
        }
        words += n;
        out.push(p.clone());
    }
    out
}

fn spans(text: &str) -> [Span; 1] {
    [Span {
        text: text.to_string(),
        style: TextStyle {
            family: Family::Serif,
            bold: false,
            italic: false,
            size: 10.5,
        },
        line: 1,
        column: 1,
    }]
}

fn spec(s: &[Span]) -> ParagraphSpec<'_> {
    ParagraphSpec {
        spans: s,
        lang: "en",
        width: 468.0,
        align: Align::Justify,
        hyphenate: true,
        protrusion: false,
    }
}

/// 1,000 words shaped and broken with `layout_paragraph` (a word cache per paragraph), from a
/// fresh font book each time: face parsing is included, as in one render.
#[divan::bench]
fn per_paragraph_cache(bencher: divan::Bencher) {
    let paras: Vec<[Span; 1]> = thousand_words().iter().map(|p| spans(p)).collect();
    bencher
        .with_inputs(FontBook::bundled)
        .bench_local_values(|book| {
            let mut diags = Vec::new();
            let mut lines = 0;
            for s in &paras {
                lines += layout_paragraph(&book, &spec(s), "bench", &mut diags).len();
            }
            divan::black_box(lines)
        });
}

/// The same with one `Shaper` for the whole text (`layout_paragraph_with`): words repeated
/// across paragraphs are shaped once.
#[divan::bench]
fn per_document_cache(bencher: divan::Bencher) {
    let paras: Vec<[Span; 1]> = thousand_words().iter().map(|p| spans(p)).collect();
    bencher
        .with_inputs(FontBook::bundled)
        .bench_local_values(|book| {
            let mut diags = Vec::new();
            let mut shaper = Shaper::new(&book, "en");
            let mut lines = 0;
            for s in &paras {
                lines += layout_paragraph_with(&mut shaper, &spec(s), "bench", &mut diags).len();
            }
            divan::black_box(lines)
        });
}
