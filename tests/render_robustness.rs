//! `quire::render` never panics, whatever the text: prefixes of real issues (cut anywhere,
//! also inside a multi-byte character's neighbourhood) and odd inputs each give a PDF or
//! diagnostics, and every PDF produced starts and ends like one.

use quire::config::Config;
use quire::fonts::FontBook;
use quire::{render, RenderOptions};

const SAMPLE: &str = include_str!("../issues/embassy-newsletter-2017-04.txt");
const ZH: &str = include_str!("fixtures/render/zh-hans.txt");
const JA: &str = include_str!("fixtures/render/ja.txt");
const RTL: &str = include_str!("fixtures/render/rtl.txt");

fn check(book: &FontBook, text: &str) {
    let opts = RenderOptions {
        source_date_epoch: Some(0),
        ..Default::default()
    };
    match render("odd.txt", text, &Config::default(), book, &opts) {
        Ok(r) => {
            assert!(r.pdf.starts_with(b"%PDF-"), "{text:?}");
            assert!(
                r.pdf.ends_with(b"%%EOF\n") || r.pdf.ends_with(b"%%EOF"),
                "{text:?}"
            );
            assert!(r.pages >= 1);
        }
        Err(diags) => assert!(!diags.is_empty(), "an error without a diagnostic: {text:?}"),
    }
}

#[test]
fn render_never_panics_on_prefixes_of_real_issues() {
    let book = FontBook::bundled();
    for text in [SAMPLE, ZH, JA, RTL] {
        let cuts: Vec<usize> = text.char_indices().map(|(i, _)| i).step_by(23).collect();
        for cut in cuts {
            check(&book, &text[..cut]);
        }
    }
}

#[test]
fn render_never_panics_on_odd_inputs() {
    let book = FontBook::bundled();
    let long_word = "x".repeat(5000);
    let url = format!("https://example.org/{}", "a/".repeat(400));
    let odd = [
        "",
        " \n\n \t\n",
        "I.",
        "I.\nII.\nIII.",
        "NEWSLETTER Issue Ⅳ of 2017",
        "NEWSLETTER Issue Ⅳ of 2017\n\nHeadline",
        "---\ntitle: x\n---\n",
        "---\ntitle: x\n---\nBody text.",
        "here:",
        "• \n• \n•",
        "Embassy\n\n3505, International Place, NW Washington DC, 20008",
        long_word.as_str(),
        url.as_str(),
        "𓀀 𓀁 𓀂 hieroglyphs and emoji 😀🇨🇳 and RTL שלום مرحبا",
        "\u{0}\u{1}\u{7}control\u{1b}[0m characters\u{feff}\u{200b}\u{200d}",
        "「」（）《》——……、。，",
        "一、\n二、\n（一）\n第一章",
        "\u{2160}\u{2161}\u{2188}\u{2180}",
        "a\u{0301}\u{0301}\u{0301} combining marks",
        // Explicit bidi controls, unbalanced and nested; marks; a long Arabic word; Hebrew
        // points; brackets left open.
        "\u{202E}override\u{202C} \u{2067}שלום\u{2069} \u{202B}\u{202A}deep\u{202E}",
        "\u{200F}\u{200E}\u{2066}\u{2068}\u{2069}\u{2069}\u{202C}",
        "ﻻ ﷽ مرحبامرحبامرحبامرحبامرحبامرحبامرحبامرحبامرحبامرحبامرحبامرحبامرحبامرحبا",
        "בְּרֵאשִׁית בָּרָא (([[« مرحبا 1,234.5 %",
        "I. السلام\n\nII. التعاون\n\nשלום (end",
    ];
    for text in odd {
        check(&book, text);
    }
}
