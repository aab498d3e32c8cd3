//! `font`: arbitrary bytes as a user's font file: loaded into the FontBook (as `fonts:` in
//! quire.yaml does), named by `theme.body.font`, then a small issue set in it (coverage,
//! shaping, line breaking) and written as PDF (subsetting, embedding).
#![no_main]

use libfuzzer_sys::fuzz_target;
use quire::config::Config;
use quire::fonts::FontBook;
use quire::RenderOptions;
use std::sync::{Arc, LazyLock};

/// The bundled faces, loaded once per process; each input adds its face to a clone (the
/// clone shares the parsed bundled faces).
static BOOK: LazyLock<FontBook> = LazyLock::new(FontBook::bundled);

const ISSUE: &str = "The Fuzz Gazette No. 3, 2024\n\n\
Fonts under test\n\n\
I. First section\n\n\
Hello, world: fi ffl \u{2014} \u{201C}quoted\u{201D} 12,345.67 caf\u{e9} na\u{ef}ve \
Stra\u{df}e \u{130}stanbul \u{3b1}\u{3b2}\u{3b3} \u{43f}\u{440}\u{438}\u{432}\u{435}\u{442}.\n\n\
- a list item with soft\u{ad}hyphen and a\u{200b}zero width space\n\
- another item\n\n\
Read more here:\nhttps://example.org/a\n";

fuzz_target!(|data: &[u8]| {
    let mut book = BOOK.clone();
    let Ok(id) = book.add_face(Arc::from(data), 0) else {
        return;
    };
    let name = book.face(id).postscript_name.clone();
    let font = serde_json::to_string(&name).expect("a string serialises");
    let yaml = format!("theme:\n  body:\n    font: {font}\n  headline:\n    font: {font}\n");
    let base = match Config::from_yaml("quire.yaml", &yaml) {
        Ok(c) => c,
        Err(_) => return,
    };
    let opts = RenderOptions {
        source_date_epoch: Some(0),
        ..RenderOptions::default()
    };
    let _ = quire::render("fuzz.txt", ISSUE, &base, &book, &opts);
});
