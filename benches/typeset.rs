//! Benchmark: time to shape and break 1,000 words of the sample issue's English body text
//! (Noto Serif 10.5 pt, 6.5 in measure, justified and hyphenated), one paragraph per call.

use quire::fonts::{Family, FontBook};
use quire::inline::{layout_paragraph, Align, ParagraphSpec, Span, TextStyle};

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

/// 1,000 words shaped and broken; the font book's parsed faces are warm, as in a render.
#[divan::bench]
fn shape_and_break_1000_words(bencher: divan::Bencher) {
    let book = FontBook::bundled();
    let paras: Vec<[Span; 1]> = thousand_words().iter().map(|p| spans(p)).collect();
    bencher.bench_local(|| {
        let mut diags = Vec::new();
        let mut lines = 0;
        for s in &paras {
            let spec = ParagraphSpec {
                spans: s,
                lang: "en",
                width: 468.0,
                align: Align::Justify,
                hyphenate: true,
            };
            lines += layout_paragraph(&book, &spec, "bench", &mut diags).len();
        }
        divan::black_box(lines)
    });
}
