//! Benchmarks of the pipeline's stages (issue 7) on the sample issue and on the long
//! 12-section issue: parse, compose (itemize + shape + break + paginate), write (PDF with font
//! subsetting), and the whole render. Run: `cargo bench --bench pipeline`.

use quire::compose::{compose, ComposeOptions};
use quire::config::Config;
use quire::fonts::FontBook;
use quire::parse::parse_issue;
use quire::theme::Theme;
use quire::RenderOptions;

const SAMPLE: &str = include_str!("../issues/embassy-newsletter-2017-04.txt");
const SAMPLE_CONFIG: &str = include_str!("../issues/quire.yaml");
const LONG: &str = include_str!("../tests/fixtures/render/long-12-sections.txt");
const ZH: &str = include_str!("../tests/fixtures/render/zh-hans.txt");

fn main() {
    divan::main();
}

fn config() -> Config {
    Config::from_yaml("quire.yaml", SAMPLE_CONFIG).expect("sample quire.yaml")
}

/// The issues by name (divan prints the argument, so the names stand in for the texts).
const ISSUES: [&str; 3] = ["sample", "long", "zh-hans"];

fn text(name: &str) -> &'static str {
    match name {
        "sample" => SAMPLE,
        "long" => LONG,
        _ => ZH,
    }
}

/// The font book, the parsed issue and its theme: what compose and write start from.
fn setup(name: &str) -> (FontBook, quire::parse::Parsed, Theme) {
    let parsed = parse_issue(name, text(name), &config());
    let theme =
        Theme::from_config(&parsed.config, &parsed.issue.meta.language, &[]).expect("theme");
    (FontBook::bundled(), parsed, theme)
}

#[divan::bench(args = ISSUES)]
fn parse(bencher: divan::Bencher, name: &str) {
    let issue = (name, text(name));
    let base = config();
    bencher.bench(|| parse_issue(issue.0, divan::black_box(issue.1), &base));
}

#[divan::bench(args = ISSUES)]
fn compose_pages(bencher: divan::Bencher, name: &str) {
    let issue = (name, text(name));
    let (book, parsed, theme) = setup(name);
    let opts = ComposeOptions::default();
    bencher.bench(|| {
        let mut diags = Vec::new();
        compose(&parsed.issue, &theme, &book, issue.0, &opts, &mut diags)
    });
}

#[divan::bench(args = ISSUES)]
fn write_pdf(bencher: divan::Bencher, name: &str) {
    let issue = (name, text(name));
    let (book, parsed, theme) = setup(name);
    let mut diags = Vec::new();
    let (doc, _) = compose(
        &parsed.issue,
        &theme,
        &book,
        issue.0,
        &ComposeOptions::default(),
        &mut diags,
    );
    bencher.bench(|| quire::pdf::write_pdf(&doc, &book).expect("pdf"));
}

#[divan::bench(args = ISSUES)]
fn render(bencher: divan::Bencher, name: &str) {
    let issue = (name, text(name));
    let base = config();
    let book = FontBook::bundled();
    let opts = RenderOptions {
        source_date_epoch: Some(1_491_004_800),
        ..Default::default()
    };
    bencher.bench(|| quire::render(issue.0, issue.1, &base, &book, &opts).expect("render"));
}
