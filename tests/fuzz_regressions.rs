//! Regressions from the fuzzing campaign (`fuzz/`, `scripts/fuzz`, README "Fuzzing"): each
//! input the fuzzers found a crash, hang or wrong output with, minimised, under
//! `tests/fixtures/fuzz/`, run through the real binary or the library.

mod common;

use common::root;
use mail_parser::MessageParser;
use std::fs;
use std::path::Path;
use std::process::Command;

/// The bytes of a fixture under tests/fixtures/fuzz/.
fn fixture(name: &str) -> Vec<u8> {
    fs::read(root().join("tests/fixtures/fuzz").join(name)).expect("the fixture exists")
}

/// `quire ARGS` in `dir`: exit code and stderr.
fn quire(dir: &Path, args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_quire"))
        .args(args)
        .current_dir(dir)
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .output()
        .expect("quire runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `mail`: a reader's name holding a CR LF (a quoted CSV field) made lettre fail to format
/// the `To:` header, and `quire mail` panicked. The name's white space runs now read as one
/// space: the message goes out, with no header but the expected ones.
#[test]
fn fuzz_mail_reader_name_with_crlf_is_one_line() {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(
        root().join("issues/embassy-newsletter-2017-04.txt"),
        dir.path().join("issue.txt"),
    )
    .unwrap();
    fs::write(
        dir.path().join("readers.csv"),
        fixture("mail-name-crlf.csv"),
    )
    .unwrap();
    let (code, stderr) = quire(
        dir.path(),
        &[
            "mail",
            "issue.txt",
            "--list",
            "readers.csv",
            "--from",
            "news@example.org",
            "--out",
            "outbox",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let eml = fs::read(dir.path().join("outbox/eve@example.org.eml")).expect("the message");
    let msg = MessageParser::default()
        .parse(&eml)
        .expect("a MIME message");
    let to = msg.to().and_then(|a| a.first()).expect("a To address");
    assert_eq!(to.address(), Some("eve@example.org"));
    assert_eq!(to.name(), Some("Eve Bcc: x@evil.example"));
    assert!(msg.header_raw("Bcc").is_none(), "no injected header");
}

/// `mail`: a subject holding text shaped like an RFC 2047 encoded word (`=?utf-8?q?this?=`,
/// or `=?` and control characters) was written as it is, and a MIME reader decoded it: the
/// reader saw "this" where the subject said `=?utf-8?q?this?=`. Such a subject is now written
/// encoded, and reads back as filled.
#[test]
fn fuzz_mail_subject_with_encoded_word_reads_back_as_written() {
    use quire::mail::{build_message, html_body, Edition, Recipients, Settings, Template};
    let template = String::from_utf8(fixture("mail-subject-encoded-word.txt")).unwrap();
    let settings = Settings {
        from: "news@example.org".parse().unwrap(),
        reply_to: None,
        subject: Template::parse(&template).unwrap(),
        unsubscribe: None,
        list_id: None,
        date: 1_700_000_000,
        salt: String::new(),
    };
    let edition = Edition::new(
        "en",
        "issue.pdf",
        b"%PDF-1.7\n%%EOF\n",
        "Text.\n".to_string(),
        html_body(&quire::model::Issue::default(), "#336699"),
        vec![("newsletter".to_string(), "The Gazette".to_string())],
    );
    let to = Recipients {
        to: vec!["ann@example.org".parse().unwrap()],
        ..Recipients::default()
    };
    let built = build_message(&settings, &edition, &to).expect("a message");
    assert_eq!(
        built.subject,
        "Read =?utf-8?q?this?= in The Gazette =?\u{1a}\u{1a}tf-8?q?encoded?="
    );
    let msg = MessageParser::default()
        .parse(&built.bytes)
        .expect("a MIME message");
    assert_eq!(msg.subject(), Some(built.subject.as_str()));
}

/// Render a small issue set in the user's face `font` (as `fonts:` and `theme.body.font` in
/// quire.yaml): a PDF or diagnostics, never a panic.
fn render_in_font(font: &[u8]) {
    use quire::config::Config;
    use quire::fonts::FontBook;
    use std::sync::Arc;
    let mut book = FontBook::bundled();
    let Ok(id) = book.add_face(Arc::from(font), 0) else {
        return;
    };
    let name = serde_json::to_string(&book.face(id).postscript_name).unwrap();
    let yaml = format!("theme:\n  body:\n    font: {name}\n  headline:\n    font: {name}\n");
    let base = Config::from_yaml("quire.yaml", &yaml).unwrap();
    let opts = quire::RenderOptions {
        source_date_epoch: Some(0),
        ..Default::default()
    };
    // The issue of fuzz/fuzz_targets/font.rs.
    let text = "The Fuzz Gazette No. 3, 2024\n\nFonts under test\n\nI. First section\n\n\
        Hello, world: fi ffl \u{2014} \u{201C}quoted\u{201D} 12,345.67 caf\u{e9} na\u{ef}ve \
        Stra\u{df}e \u{130}stanbul \u{3b1}\u{3b2}\u{3b3} \u{43f}\u{440}\u{438}\u{432}\u{435}\u{442}.\n\n\
        - a list item with soft\u{ad}hyphen and a\u{200b}zero width space\n\
        - another item\n\nRead more here:\nhttps://example.org/a\n";
    let _ = quire::render("fuzz.txt", text, &base, &book, &opts);
}

/// `font`: a `name` table whose string offset plus length passes 65,535 overflows a u16 in
/// subsetter 0.2.6 (`src/name.rs:48`). With overflow checks the PDF writer panicked; a release
/// build wraps and reports "cannot subset the font" — now every profile does (Cargo.toml).
#[test]
fn fuzz_font_name_table_offset_overflow() {
    render_in_font(&fixture("font-subsetter-name-overflow.ttf"));
}

/// `font`: a coverage range whose end is below its start underflows in rustybuzz 0.20.1
/// (`hb/set_digest.rs:93`) while shaping. It panicked with overflow checks; a release build
/// wraps into "the set holds everything", which is harmless — now every profile does.
#[test]
fn fuzz_font_reversed_coverage_range() {
    render_in_font(&fixture("font-rustybuzz-set-digest-overflow.otf"));
}

/// `font`: a collection header (`ttcf`) listing 4,294,967,295 faces in a 12-byte file (the
/// fuzzer's 428-byte input, minimised). The offsets array would reach past 4 GiB, and
/// ttf-parser 0.25's debug assertion stopped the process (`parser.rs:770`; its release build
/// says "malformed"). `FontBook::add_face` now refuses such a header itself, in every build.
#[test]
fn fuzz_font_collection_header_with_impossible_face_count() {
    use quire::fonts::FontBook;
    use std::sync::Arc;
    let font = fixture("font-ttc-header-face-count.ttc");
    let err = FontBook::bundled()
        .add_face(Arc::from(font.clone()), 0)
        .expect_err("not a usable collection");
    assert!(
        err.to_string().contains("more than the file holds"),
        "{err}"
    );
    render_in_font(&font);
}

/// `parse`: a front matter whose quoted scalar holds U+2029 PARAGRAPH SEPARATOR and never
/// closes (the fuzzer's input minimised to 12 bytes). libyaml counts U+2029 as a line break,
/// so its error was reported on line 4 of a 3-line file; quire now counts the error's byte
/// offset in its own lines.
#[test]
fn fuzz_parse_yaml_error_after_a_paragraph_separator_stays_in_the_file() {
    let bytes = fixture("parse-front-matter-paragraph-separator.txt");
    let text = String::from_utf8(bytes).expect("UTF-8");
    let parsed = quire::parse::parse_issue("fuzz.txt", &text, &quire::config::Config::default());
    let lines = u32::try_from(text.split('\n').count()).unwrap();
    let error = parsed
        .diagnostics
        .iter()
        .find(|d| d.is_error())
        .expect("the unclosed quote is an error");
    assert!(error.message.contains("quoted scalar"), "{error:?}");
    assert_eq!((error.line, lines), (3, 3), "{error:?}");
}
