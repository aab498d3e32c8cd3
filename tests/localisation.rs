//! The words quire prints on a page follow the issue's language (`quire::l10n`): the real
//! binary renders short French, German, Russian, Arabic and Hebrew issues and binds two
//! French issues into a volume; poppler's pdftotext reads the PDFs back.

mod common;

use common::root;
use std::path::Path;
use std::process::Command;

/// 2017-04-01T00:00:00Z: fixed time for reproducible output.
const EPOCH: &str = "1491004800";

/// Run `quire` in `cwd` with SOURCE_DATE_EPOCH set; panics unless it succeeds.
fn run(cwd: &Path, args: &[&str]) {
    let out = Command::new(env!("CARGO_BIN_EXE_quire"))
        .args(args)
        .current_dir(cwd)
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .output()
        .expect("the quire binary runs");
    common::keep_output(cwd, args);
    assert!(
        out.status.success(),
        "quire {args:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn tool(cmd: &str, args: &[&str]) -> String {
    let out = Command::new(cmd)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{cmd} missing ({e}): run scripts/test, which installs it"));
    assert!(out.status.success(), "{cmd} {args:?} failed");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The text of page `page` of `pdf` (all pages for 0), in reading order.
fn page_text(pdf: &Path, page: usize) -> String {
    let p = page.to_string();
    let mut args = vec!["-enc", "UTF-8"];
    if page > 0 {
        args.extend(["-f", &p, "-l", &p]);
    }
    let pdf = pdf.to_str().expect("a UTF-8 path");
    args.extend([pdf, "-"]);
    tool("pdftotext", &args)
}

fn page_count(pdf: &Path) -> usize {
    tool("pdfinfo", &[pdf.to_str().expect("a UTF-8 path")])
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|v| v.trim().parse().ok())
        .expect("pdfinfo Pages")
}

/// Render `tests/fixtures/l10n/<name>` into a temp dir; returns (guard, PDF path, pages).
fn render(name: &str) -> (tempfile::TempDir, std::path::PathBuf, usize) {
    let dir = tempfile::tempdir().expect("a temp dir");
    let out = dir.path().join("out.pdf");
    let src = format!("tests/fixtures/l10n/{name}");
    run(&root(), &["render", &src, "-o", out.to_str().unwrap()]);
    let pages = page_count(&out);
    (dir, out, pages)
}

/// Lines of text, their runs of spaces made one (pdftotext keeps columns apart with spaces).
fn squeeze(s: &str) -> String {
    s.lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn localisation_french_issue_masthead_and_footer() {
    let (_dir, pdf, pages) = render("fr-2017-04.txt");
    assert!(
        pages >= 2,
        "the French fixture runs to two pages, has {pages}"
    );
    let first = squeeze(&page_text(&pdf, 1));
    // The issue line from the table (front matter: issue 4 of 2017) and the 1st as "1er".
    assert!(
        first.contains("Numéro 4, 2017 · 1er avril 2017"),
        "masthead: {first}"
    );
    for n in 1..=pages {
        let text = squeeze(&page_text(&pdf, n));
        assert!(
            text.contains(&format!("Page {n} sur {pages}")),
            "footer of page {n}: {text}"
        );
        assert!(!text.contains(" of "), "no English on page {n}: {text}");
    }
    // The footer's left: name · issue line.
    assert!(first.contains("La Lettre de l'Ambassade · Numéro 4, 2017"));
}

#[test]
fn localisation_german_issue_masthead_and_footer() {
    let (_dir, pdf, pages) = render("de-2017-03.txt");
    let text = squeeze(&page_text(&pdf, 1));
    // The masthead's own words ("Nr. 3, 2017") and the German long date.
    assert!(
        text.contains("Nr. 3, 2017 · 15. März 2017"),
        "masthead: {text}"
    );
    assert!(
        text.contains(&format!("Seite 1 von {pages}")),
        "footer: {text}"
    );
}

#[test]
fn localisation_russian_arabic_hebrew_issues() {
    let (_dir, pdf, pages) = render("ru-2017-09.txt");
    let text = squeeze(&page_text(&pdf, 1));
    assert!(
        text.contains("Выпуск 9 за 2017 год · 15 сентября 2017 г."),
        "masthead: {text}"
    );
    assert!(text.contains(&format!("Страница 1 из {pages}")), "{text}");
    // Right-to-left pages: the words are there (pdftotext's order of RTL runs is its own).
    let (_dir, pdf, _) = render("ar-2017-09.txt");
    let text = page_text(&pdf, 1);
    for w in ["الصفحة", "سبتمبر", "العدد"] {
        assert!(text.contains(w), "{w} in: {text}");
    }
    let (_dir, pdf, _) = render("he-2017-09.txt");
    let text = page_text(&pdf, 1);
    for w in ["עמוד", "מתוך", "בספטמבר", "גיליון"] {
        assert!(text.contains(w), "{w} in: {text}");
    }
}

#[test]
fn localisation_french_volume_title_and_contents() {
    let tmp = tempfile::tempdir().expect("a temp dir");
    let archive = tmp.path().join("archive");
    let out = tmp.path().join("out");
    std::fs::create_dir_all(&archive).unwrap();
    for f in ["fr-2017-04.txt", "fr-2017-09.txt"] {
        std::fs::copy(root().join("tests/fixtures/l10n").join(f), archive.join(f)).unwrap();
    }
    run(tmp.path(), &["export", "archive", "-o", "out", "--volumes"]);
    let vol = out.join("volume-2017.pdf");
    assert!(
        vol.exists(),
        "no volume-2017.pdf in {:?}",
        common::listing(&out)
    );
    let total = page_count(&vol);
    let title = squeeze(&page_text(&vol, 1));
    assert!(title.contains("La Lettre de l'Ambassade"), "{title}");
    assert!(title.contains("2 numéros"), "title page: {title}");
    assert!(!title.contains("issues"), "title page: {title}");
    let contents = squeeze(&page_text(&vol, 2));
    assert!(contents.contains("Sommaire"), "contents: {contents}");
    assert!(contents.contains("Numéro 4"), "contents: {contents}");
    assert!(contents.contains("Numéro 9"), "contents: {contents}");
    assert!(
        contents.contains(&format!("Page 2 sur {total}")),
        "contents footer: {contents}"
    );
    assert!(!contents.contains("Contents") && !contents.contains("Issue"));
    // The issues keep their French mastheads, numbered in the volume.
    let third = squeeze(&page_text(&vol, 3));
    assert!(third.contains("1er avril 2017"), "{third}");
    assert!(third.contains(&format!("Page 3 sur {total}")), "{third}");
    let september = (3..=total)
        .map(|n| squeeze(&page_text(&vol, n)))
        .find(|t| t.contains("Numéro 9, 2017 · 1er septembre 2017"));
    assert!(september.is_some(), "the September issue's masthead");
}
