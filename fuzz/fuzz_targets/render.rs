//! `render`: arbitrary UTF-8 issue text through the whole pipeline (parse, compose, inline,
//! paginate, pdf) with the default configuration and the bundled fonts. Front matter may ask
//! for a print edition (`print: {booklet: true}`, bleed, marks, PDF/X, grey): the booklet's
//! imposition and the print shop's boxes are fuzzed through it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use quire::config::Config;
use quire::fonts::FontBook;
use quire::RenderOptions;
use std::sync::LazyLock;

/// Loaded once per process; its parsed faces are cached across inputs.
static BOOK: LazyLock<FontBook> = LazyLock::new(FontBook::bundled);
static BASE: LazyLock<Config> = LazyLock::new(Config::default);

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let opts = RenderOptions {
        source_date_epoch: Some(0),
        ..RenderOptions::default()
    };
    let Ok(rendered) = quire::render("fuzz.txt", text, &BASE, &BOOK, &opts) else {
        return;
    };
    assert!(rendered.pages >= 1, "a rendered issue has a page");
    assert!(rendered.pdf.starts_with(b"%PDF-"), "the output is a PDF");
    if let Some(booklet) = &rendered.booklet {
        assert!(booklet.starts_with(b"%PDF-"), "the booklet is a PDF");
        assert!(rendered.print.booklet.is_some(), "a booklet only when asked");
    }
});
