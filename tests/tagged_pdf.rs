//! Tagged PDF read back by three independent consumers of the structure tree: poppler
//! (`pdfinfo -struct-text`), PDFium (Chrome's reader, through pypdfium2:
//! `tests/tagged/pdfium_tree.py`) and pdf.js (Firefox's, `tests/tagged/pdfjs_tree.mjs`).
//! scripts/test installs pypdfium2 and pdf.js when they are missing.

mod common;

use common::root;
use std::path::{Path, PathBuf};
use std::process::Command;

const SDE: &str = "1491004800";

/// Render `src` (relative to the repository) into `dir` with extra arguments; the PDF's path.
fn render(dir: &Path, src: &str, extra: &[&str]) -> PathBuf {
    let out = dir.join("out.pdf");
    let o = Command::new(env!("CARGO_BIN_EXE_quire"))
        .arg("render")
        .arg(root().join(src))
        .arg("-o")
        .arg(&out)
        .args(extra)
        .env("SOURCE_DATE_EPOCH", SDE)
        .output()
        .unwrap();
    common::keep_pdfs(&out);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    out
}

fn run(cmd: &str, args: &[&str]) -> String {
    let o = Command::new(cmd)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{cmd} runs (scripts/test installs it): {e}"));
    assert!(
        o.status.success(),
        "{cmd} {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

/// The three readers' views of `pdf`: (name, tree as text lines `ROLE… | text`).
fn trees(pdf: &Path) -> Vec<(&'static str, String)> {
    let p = pdf.to_str().unwrap();
    let python = std::env::var("QUIRE_TEST_PYTHON").unwrap_or_else(|_| "python3".into());
    let tagged = root().join("tests/tagged");
    vec![
        ("poppler", run("pdfinfo", &["-struct-text", p])),
        (
            "pdfium",
            run(
                &python,
                &[tagged.join("pdfium_tree.py").to_str().unwrap(), p],
            ),
        ),
        (
            "pdf.js",
            run(
                "node",
                &[tagged.join("pdfjs_tree.mjs").to_str().unwrap(), p],
            ),
        ),
    ]
}

/// Every line of a tree whose role (first word) is `role`, with the text the reader gives
/// the element itself (poppler and pdf.js put text on the next lines; pdfium after `|`).
fn roles<'a>(tree: &'a str, role: &str) -> Vec<&'a str> {
    tree.lines()
        .filter(|l| l.trim_start().split([' ', '|']).next() == Some(role))
        .collect()
}

/// All the text of a tree, in order, without whitespace or hyphens (readers differ in how
/// they join lines and hyphenated words).
fn squeezed_text(tree: &str) -> String {
    tree.lines()
        .filter(|l| !l.starts_with("# page"))
        .map(|l| {
            let l = l.trim();
            match l.split_once('|') {
                Some((_, t)) => t.to_string(),
                None if l.starts_with('"') => l.trim_matches('"').to_string(),
                None => String::new(),
            }
        })
        .collect::<String>()
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control() && *c != '-' && *c != '\u{FFFD}')
        .collect()
}

/// Every word of `words` is found in `text`, in order.
fn in_order(text: &str, words: &[String]) -> Result<(), String> {
    let mut at = 0;
    for w in words {
        match text[at..].find(w.as_str()) {
            Some(i) => at += i + w.len(),
            None => return Err(format!("`{w}` not found in order after byte {at}")),
        }
    }
    Ok(())
}

/// The words of an issue's body (after the masthead line), hyphens and spaces squeezed as in
/// `squeezed_text`.
fn body_words(src: &str) -> Vec<String> {
    let text = std::fs::read_to_string(root().join(src)).unwrap();
    // Past the front matter, if any, and the masthead line.
    let text = match text.strip_prefix("---\n") {
        Some(rest) => rest
            .split_once("\n---\n")
            .map_or(rest, |(_, b)| b)
            .to_string(),
        None => text,
    };
    let body = text.trim_start().split_once('\n').map_or("", |(_, b)| b);
    body.split_whitespace()
        .map(|w| w.chars().filter(|c| *c != '-').collect::<String>())
        .filter(|w| !w.is_empty())
        .collect()
}

#[test]
fn tagged_sample_tree_in_three_readers() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = render(dir.path(), "issues/embassy-newsletter-2017-04.txt", &[]);
    let words = body_words("issues/embassy-newsletter-2017-04.txt");
    for (reader, tree) in trees(&pdf) {
        assert_eq!(roles(&tree, "H1").len(), 1, "{reader}: one H1\n{tree}");
        let text = squeezed_text(&tree);
        assert!(
            text.contains("ChinaReleasesFirstStrategy"),
            "{reader}: headline"
        );
        if let Err(e) = in_order(&text, &words) {
            panic!("{reader}: the tree's text is the issue's words in order: {e}\n{tree}");
        }
        assert!(
            !text.contains("Page1of"),
            "{reader}: the footer is an artifact"
        );
        assert_eq!(
            roles(&tree, "LI").len(),
            10,
            "{reader}: 5 sections + 5 items"
        );
        let labels = text.find("I.Peace").zip(text.find("V.SharedGovernance"));
        assert!(labels.is_some(), "{reader}: labels read before their text");
    }
}

#[test]
fn tagged_links_and_qr_figures() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = render(
        dir.path(),
        "tests/fixtures/parse/front-matter-links.txt",
        &[],
    );
    for (reader, tree) in trees(&pdf) {
        let links = roles(&tree, "Link");
        assert!(
            links.len() >= 2,
            "{reader}: a Link for the URL and one for the QR code\n{tree}"
        );
        assert!(
            !roles(&tree, "Figure").is_empty(),
            "{reader}: the QR code is a Figure"
        );
    }
    // Alternate text and the annotations under their Link (readers that show them).
    let (_, pdfium) = &trees(&pdf)[1];
    assert!(pdfium.contains("Figure alt='QR code: http"), "{pdfium}");
    let (_, pdfjs) = &trees(&pdf)[2];
    assert!(pdfjs.contains("Figure alt=\"QR code: http"), "{pdfjs}");
    assert!(
        pdfjs.contains("#object"),
        "the annotations under their Link\n{pdfjs}"
    );
}

#[test]
fn tagged_chinese_issue_has_its_language() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = render(dir.path(), "tests/fixtures/render/zh-hans.txt", &[]);
    let words = body_words("tests/fixtures/render/zh-hans.txt");
    let (_, pdfium) = &trees(&pdf)[1];
    assert!(pdfium.contains("Document lang=zh-Hans"), "{pdfium}");
    for (reader, tree) in trees(&pdf) {
        assert_eq!(roles(&tree, "H1").len(), 1, "{reader}\n{tree}");
        if let Err(e) = in_order(&squeezed_text(&tree), &words) {
            panic!("{reader}: {e}");
        }
    }
}

#[test]
fn tagged_two_columns_read_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let src = "tests/fixtures/render/long-12-sections.txt";
    let pdf = render(dir.path(), src, &["--columns", "2"]);
    let words = body_words(src);
    for (reader, tree) in trees(&pdf) {
        if let Err(e) = in_order(&squeezed_text(&tree), &words) {
            panic!("{reader}: two columns in reading order: {e}");
        }
    }
}

#[test]
fn tagged_volume_has_a_part_per_issue() {
    let dir = tempfile::tempdir().unwrap();
    let issues = dir.path().join("issues");
    std::fs::create_dir(&issues).unwrap();
    for (name, month) in [("a.txt", "03"), ("b.txt", "04")] {
        let text =
            std::fs::read_to_string(root().join("issues/embassy-newsletter-2017-04.txt")).unwrap();
        std::fs::write(
            issues.join(name),
            format!("---\ndate: 2017-{month}-01\n---\n{text}"),
        )
        .unwrap();
    }
    let out = dir.path().join("out");
    let o = Command::new(env!("CARGO_BIN_EXE_quire"))
        .args(["export", "--volumes", "-q", "-o"])
        .arg(&out)
        .arg(&issues)
        .env("SOURCE_DATE_EPOCH", SDE)
        .output()
        .unwrap();
    common::keep_pdfs(&out);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let volume = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("volume-")
        })
        .expect("a volume");
    let poppler = run("pdfinfo", &["-struct-text", volume.to_str().unwrap()]);
    assert_eq!(roles(&poppler, "Part").len(), 2, "{poppler}");
    assert_eq!(roles(&poppler, "H1").len(), 2, "{poppler}");
    assert_eq!(
        roles(&poppler, "TOC").len(),
        1,
        "the contents page\n{poppler}"
    );
    assert_eq!(
        roles(&poppler, "TOCI").len(),
        2,
        "an entry per issue\n{poppler}"
    );
    // Title page, contents, then the issues: the tree's order is the volume's.
    let (title, toc, part) = (
        poppler.find("\"2 issues\"").unwrap(),
        poppler.find("TOC").unwrap(),
        poppler.find("Part").unwrap(),
    );
    assert!(title < toc && toc < part, "{poppler}");
    // PDFium and pdf.js give the tree page by page: each names the parts and the entries.
    for (reader, tree) in trees(&volume).into_iter().skip(1) {
        for role in ["Part", "TOC", "TOCI", "H1"] {
            assert!(!roles(&tree, role).is_empty(), "{reader}: {role}\n{tree}");
        }
    }
    let qpdf = Command::new("qpdf")
        .arg("--check")
        .arg(&volume)
        .output()
        .unwrap();
    assert!(qpdf.status.success());
}

#[test]
fn tagged_chinese_words_in_an_english_issue_carry_their_language() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("mixed.txt");
    std::fs::write(
        &src,
        "---\nlanguage: en\n---\nNEWSLETTER Issue 5 of 2017\n\nA Visit\n\nThe delegation was \
         led by Ambassador 崔天凯, who quoted the motto “和平合作、开放包容” at the opening.\n",
    )
    .unwrap();
    let pdf = render(dir.path(), src.to_str().unwrap(), &[]);
    for (reader, tree) in trees(&pdf).into_iter().skip(1) {
        let spans = roles(&tree, "Span");
        assert_eq!(spans.len(), 2, "{reader}: the name and the motto\n{tree}");
        assert!(
            spans.iter().all(|l| l.contains("lang=zh-Hans")),
            "{reader}\n{tree}"
        );
        assert!(tree.contains("Document lang=en"), "{reader}\n{tree}");
    }
}

/// Renders an issue with an address block at its end and checks, in every reader's tree, that
/// the masthead and the address are the two groups (`Div`), that no line of it became a
/// heading, that the issue's `words` come in order, and `more` (the reader's name and its
/// tree); then that each of `lines` stands on a line of its own in pdftotext's layout. Returns
/// those lines.
fn check_address_issue(
    src: &str,
    words: &[String],
    more: impl Fn(&str, &str),
    lines: &[&str],
) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let pdf = render(dir.path(), src, &[]);
    for (reader, tree) in trees(&pdf) {
        assert!(
            roles(&tree, "H2").is_empty(),
            "{reader}: the address lines are no headings\n{tree}"
        );
        assert_eq!(
            roles(&tree, "Div").len(),
            2,
            "{reader}: the masthead and the address are groups\n{tree}"
        );
        if let Err(e) = in_order(&squeezed_text(&tree), words) {
            panic!("{reader}: the issue's words in order: {e}\n{tree}");
        }
        more(reader, &tree);
    }
    let text = run("pdftotext", &["-layout", pdf.to_str().unwrap(), "-"]);
    let got: Vec<String> = text.lines().map(|l| l.trim().to_string()).collect();
    for line in lines {
        assert!(
            got.iter().any(|g| g == line),
            "{line} on a line of its own:\n{text}"
        );
    }
    got
}

#[test]
fn tagged_contact_lines_make_an_address_and_sources_a_numbered_list() {
    // An address whose postal line has no shape quire knows ("1 American Avenue 0082 Yerevan,
    // Armenia"), made one by the contact lines under it; "[1]: https://…" source lines, one
    // per line with no blank line between them.
    let src = "tests/fixtures/parse/contact-address.txt";
    // "[1]:" prints as the item's label "[1]": the colon is the syntax of a link definition.
    let words: Vec<String> = body_words(src)
        .into_iter()
        .map(|w| match w.strip_suffix("]:") {
            Some(n) if n.starts_with('[') => format!("{n}]"),
            _ => w,
        })
        .collect();
    // The two sections' numerals and the two sources' numbers label the list items; the
    // sentence after the sources is no item.
    let labels_are_numbers = |reader: &str, tree: &str| {
        let tree_lines: Vec<&str> = tree.lines().map(str::trim).collect();
        // A label's text follows "Lbl |" on its line (PDFium) or stands on the next, quoted
        // (poppler, MuPDF) or as "#content | …" (pdf.js).
        let labels: Vec<&str> = tree_lines
            .windows(2)
            .filter(|w| w[0].starts_with("Lbl"))
            .map(|w| {
                let same = w[0].split_once('|').map_or("", |(_, t)| t.trim());
                if same.is_empty() {
                    let next = w[1].strip_prefix("#content |").unwrap_or(w[1]);
                    next.trim().trim_matches('"')
                } else {
                    same
                }
            })
            .collect();
        assert_eq!(labels, ["I.", "II.", "[1]", "[2]"], "{reader}\n{tree}");
    };
    check_address_issue(
        src,
        &words,
        labels_are_numbers,
        &[
            "[1] https://travel.state.gov/content/travel/en/passports.html",
            "[2] https://am.usembassy.gov/passports/",
            "Embassy of the United States in Armenia",
            "1 American Avenue 0082 Yerevan, Armenia",
            "Telephone: (+37410) 464-700",
            "Fax: (+37410) 464-742",
        ],
    );
}

#[test]
fn tagged_schedule_lines_and_a_one_line_street_address() {
    // A schedule pasted under its lead-in without blank lines, sections whose run-in titles
    // are short lines, and a street line carrying its town, postcode and country.
    let src = "tests/fixtures/parse/schedule-address.txt";
    check_address_issue(
        src,
        &body_words(src),
        |_, _| {},
        &[
            "9 January, 19:00: opening night at Amirani Cinema",
            "11 January, 17:00: documentary afternoon in Batumi",
            "14 January, 19:00: closing night with the directors",
            "38 Nino Chkheidze Street, Tbilisi 0102, Georgia",
            "Telephone: +995 32 236 41 40",
        ],
    );
}

#[test]
fn tagged_schedule_under_a_paragraph_and_a_four_digit_postcode() {
    // A schedule after a blank line under the paragraph whose last sentence leads in to it
    // ("… The programme:"), one line longer than 60 characters; an address whose town follows
    // a four-digit postcode ("12 Main Street, 1010 Vienna"), with one contact line.
    let src = "tests/fixtures/parse/vienna-address.txt";
    check_address_issue(
        src,
        &body_words(src),
        |_, _| {},
        &[
            "10 November: opening concert at the National Library",
            "11 November: film screening, \"The Road Home\", with the director",
            "12 November: calligraphy workshop for children and parents",
            "Embassy of the Republic",
            "12 Main Street, 1010 Vienna",
            "Telephone: +43 1 234 5678",
        ],
    );
}

#[test]
fn tagged_german_dates_are_schedule_entries_not_numbered_items() {
    // "4. Dezember, 19:30: …" under "Das Programm:" is a date, not an item numbered 4, and
    // the sentence after the schedule is a paragraph, not a fourth entry; a Swiss address
    // ("Brunnadernrain 31, 3006 Bern").
    let src = "tests/fixtures/parse/bern-schedule.txt";
    // The dashes before the passport list's items print as bullets.
    let words: Vec<String> = body_words(src).into_iter().filter(|w| w != "–").collect();
    let lines = check_address_issue(
        src,
        &words,
        |reader, tree| {
            // The schedule's three entries, the two sections (a list of their own) and the
            // passport list's three items.
            assert_eq!(
                roles(tree, "LI").len(),
                8,
                "{reader}: three lists of 3, 2 and 3 items\n{tree}"
            );
        },
        &[
            "• 4. Dezember, 19:30: Klavierabend mit Werken von Schubert und Liszt",
            "Bitte melden Sie sich bis jeweils drei Tage vorher an. Die Plätze sind begrenzt.",
            "Brunnadernrain 31, 3006 Bern",
            "Telefon: +41 31 359 41 11",
        ],
    );
    // No label "4." or "11.": the dates keep their day.
    assert!(
        !lines.iter().any(|l| l.starts_with("4. Dezember")),
        "{lines:?}"
    );
}

#[test]
fn tagged_street_address_and_valediction_are_not_headings() {
    // An address with no postcode quire knew before ("45 Riverside Avenue" / "Wellington 6011")
    // and a valediction with its signature on the next line.
    let src = "tests/fixtures/parse/trade-address.txt";
    let lines = check_address_issue(
        src,
        &body_words(src),
        |_, _| {},
        &[
            "45 Riverside Avenue",
            "Wellington 6011",
            "Telephone: +64 4 555 0199",
        ],
    );
    // The valediction and the signature are two lines, not one sentence.
    let at = lines
        .iter()
        .position(|l| l == "With best regards,")
        .unwrap_or_else(|| panic!("the valediction on a line of its own:\n{lines:?}"));
    assert_eq!(
        lines.get(at + 1).map(String::as_str),
        Some("The Trade Section"),
        "{lines:?}"
    );
}
