//! `render`: arbitrary UTF-8 issue text through the whole pipeline (parse, compose, inline,
//! paginate, pdf) with the default configuration and the bundled fonts.
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
});
