//! `quire render` end to end: the real binary on real issue texts, the PDF checked with
//! independent readers (poppler's pdftotext/pdffonts/pdfinfo, qpdf).

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const SAMPLE: &str = "issues/embassy-newsletter-2017-04.txt";
const LONG: &str = "tests/fixtures/render/long-12-sections.txt";
/// 2017-04-01T00:00:00Z: fixed time for reproducible output.
const EPOCH: &str = "1491004800";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn quire(args: &[&str]) -> Output {
    let o = Command::new(env!("CARGO_BIN_EXE_quire"))
        .args(args)
        .current_dir(root())
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .output()
        .expect("run quire");
    common::keep_output(&root(), args);
    o
}

fn tool(cmd: &str, args: &[&str]) -> String {
    let out = Command::new(cmd)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{cmd} missing ({e}): run scripts/test, which installs it"));
    assert!(
        out.status.success() || cmd == "qpdf",
        "{cmd} {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
}

/// Render `src` into a fresh temp dir with extra args; returns (dir guard, pdf path).
fn render(src: &str, extra: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.pdf");
    let mut args = vec!["render", src, "-o", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    let o = quire(&args);
    assert!(
        o.status.success(),
        "render {src} {extra:?} failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    (dir, out)
}

fn text_of(pdf: &Path) -> String {
    tool("pdftotext", &["-enc", "UTF-8", pdf.to_str().unwrap(), "-"])
}

fn page_text(pdf: &Path, page: usize) -> String {
    let p = page.to_string();
    tool(
        "pdftotext",
        &[
            "-enc",
            "UTF-8",
            "-f",
            &p,
            "-l",
            &p,
            pdf.to_str().unwrap(),
            "-",
        ],
    )
}

fn page_count(pdf: &Path) -> usize {
    let info = tool("pdfinfo", &[pdf.to_str().unwrap()]);
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|v| v.trim().parse().ok())
        .expect("pdfinfo Pages")
}

/// Words of a text for an in-order comparison: NFKC-ish folding of quotes, and words
/// hyphenated across lines joined again.
fn words(text: &str) -> Vec<String> {
    let joined = text.replace("-\n", "").replace("\u{2010}\n", "");
    joined
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.replace('Ⅳ', "IV").replace('Ⅸ', "IX"))
        .collect()
}

fn source_body(path: &str) -> String {
    let text = std::fs::read_to_string(root().join(path)).unwrap();
    match text.strip_prefix("---\n") {
        Some(rest) => rest
            .split_once("\n---\n")
            .map(|(_, b)| b.to_string())
            .unwrap_or(text),
        None => text,
    }
}

/// Every word of `want` appears in `got`, in order; returns the first missing one.
fn missing_in_order(want: &[String], got: &[String]) -> Option<String> {
    let mut i = 0;
    for g in got {
        if i < want.len() && *g == want[i] {
            i += 1;
        }
    }
    want.get(i)
        .map(|w| format!("word {} of {}: {w:?}", i + 1, want.len()))
}

fn assert_qpdf_clean(pdf: &Path) {
    let out = tool("qpdf", &["--check", pdf.to_str().unwrap()]);
    assert!(
        out.contains("No syntax or stream encoding errors found"),
        "qpdf: {out}"
    );
    assert!(
        !out.to_lowercase().contains("warning"),
        "qpdf warnings: {out}"
    );
}

fn assert_fonts_embedded_subset_unicode(pdf: &Path) {
    let out = tool("pdffonts", &[pdf.to_str().unwrap()]);
    let rows: Vec<&str> = out.lines().skip(2).collect();
    assert!(!rows.is_empty(), "no fonts: {out}");
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        // name type [encoding...] emb sub uni object ID: the three yes/no flags sit before "obj id".
        let n = cols.len();
        assert!(n >= 6, "{row}");
        assert_eq!(
            &cols[n - 5..n - 2],
            &["yes", "yes", "yes"],
            "font not emb/sub/uni: {row}"
        );
        assert!(
            cols[0].len() > 7 && cols[0].as_bytes()[6] == b'+',
            "no subset tag: {row}"
        );
    }
}

#[test]
fn render_sample_passes_qpdf_and_poppler() {
    let (_d, pdf) = render(SAMPLE, &[]);
    assert_qpdf_clean(&pdf);
    assert_fonts_embedded_subset_unicode(&pdf);
    let bytes = std::fs::metadata(&pdf).unwrap().len();
    assert!(bytes < 40_000, "sample PDF is {bytes} bytes, over 40 KB");
}

#[test]
fn render_right_to_left_text_embeds_its_faces_and_reads_back() {
    let src = "tests/fixtures/render/rtl.txt";
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("rtl.pdf");
    let o = quire(&["render", src, "-o", pdf.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        o.stderr.is_empty(),
        "no warning: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_qpdf_clean(&pdf);
    assert_fonts_embedded_subset_unicode(&pdf);
    let fonts = tool("pdffonts", &[pdf.to_str().unwrap()]);
    for face in ["+NotoNaskhArabic-Regular", "+NotoSerifHebrew-Regular"] {
        assert!(fonts.contains(face), "{fonts}");
    }
    // poppler puts right-to-left runs back in reading order: every Arabic and Hebrew word of
    // the source is found whole (its direction marks aside).
    let text: String = text_of(&pdf)
        .chars()
        .filter(|c| !matches!(c, '\u{202A}'..='\u{202E}' | '\u{200E}' | '\u{200F}'))
        .collect();
    let source = std::fs::read_to_string(root().join(src)).unwrap();
    let rtl_words: Vec<&str> = source
        .split(|c: char| c.is_whitespace() || "().,،".contains(c))
        .filter(|w| w.chars().any(|c| ('\u{0590}'..='\u{06FF}').contains(&c)))
        // Words mixing digits with letters ("ב־15") come back split by poppler's own reordering.
        .filter(|w| !w.chars().any(|c| c.is_ascii_digit()))
        .collect();
    assert!(rtl_words.len() > 40, "{}", rtl_words.len());
    for w in rtl_words {
        assert!(text.contains(w), "{w:?} not in the text");
    }

    // Vowel marks and points: every character comes back (through /ActualText), none as
    // U+FFFD.
    let vowelled = "A Title Here\n\nكَتَبَ الوَلَدُ بْنُ سَعِيدٍ.\n\nבְּרֵאשִׁית בָּרָא אֱלֹהִים.\n";
    let src = dir.path().join("marks.txt");
    std::fs::write(&src, vowelled).unwrap();
    let pdf = dir.path().join("marks.pdf");
    let o = quire(&["render", src.to_str().unwrap(), "-o", pdf.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let got = text_of(&pdf);
    assert!(!got.contains('\u{FFFD}'), "{got}");
    let count = |s: &str| {
        let mut v: Vec<char> = s
            .chars()
            .filter(|c| ('\u{0590}'..='\u{06FF}').contains(c))
            .collect();
        v.sort_unstable();
        v
    };
    assert_eq!(count(&got), count(vowelled));
}

/// Words of page 1 with their boxes, from `pdftotext -bbox`: (text, xMin, yMin, xMax).
fn word_boxes(pdf: &Path) -> Vec<(String, f32, f32, f32)> {
    let html = tool(
        "pdftotext",
        &["-bbox", "-f", "1", "-l", "1", pdf.to_str().unwrap(), "-"],
    );
    html.lines()
        .filter_map(|l| {
            let l = l.trim();
            let rest = l.strip_prefix("<word ")?;
            let attr = |name: &str| -> Option<f32> {
                let at = rest.find(&format!("{name}=\""))? + name.len() + 2;
                rest[at..].split('"').next()?.parse().ok()
            };
            let text = rest.split('>').nth(1)?.split('<').next()?.to_string();
            Some((text, attr("xMin")?, attr("yMin")?, attr("xMax")?))
        })
        .collect()
}

#[test]
fn render_right_to_left_items_hang_their_marker_on_the_right() {
    let (_d, pdf) = render("tests/fixtures/render/rtl-sections.txt", &[]);
    let words = word_boxes(&pdf);
    let on_line = |y: f32| {
        words
            .iter()
            .filter(move |w| (w.2 - y).abs() < 2.0)
            .collect::<Vec<_>>()
    };
    let marker = |m: &str| {
        words
            .iter()
            .find(|w| w.0 == m)
            .unwrap_or_else(|| panic!("no {m} in {words:?}"))
            .clone()
    };
    // Arabic sections: the numeral right of every word of its first line.
    for m in ["I.", "II."] {
        let (_, x0, y, _) = marker(m);
        let others: Vec<_> = on_line(y).into_iter().filter(|w| w.0 != m).collect();
        assert!(!others.is_empty());
        assert!(
            others.iter().all(|w| w.3 <= x0 + 0.5),
            "{m} at {x0}: {others:?}"
        );
    }
    // The English section keeps its numeral on the left.
    let (_, _, y, x1) = marker("III.");
    let others: Vec<_> = on_line(y).into_iter().filter(|w| w.0 != "III.").collect();
    assert!(
        others.iter().all(|w| w.1 >= x1 - 0.5),
        "III. ends at {x1}: {others:?}"
    );
    // Bullets of an Arabic list stand right of their item.
    let bullets: Vec<_> = words.iter().filter(|w| w.0 == "•").collect();
    assert_eq!(bullets.len(), 2, "{words:?}");
    for b in bullets {
        let item: Vec<_> = on_line(b.2).into_iter().filter(|w| w.0 != "•").collect();
        assert!(item.iter().all(|w| w.3 <= b.1 + 0.5), "{b:?}: {item:?}");
    }
}

#[test]
fn render_sample_text_reads_back_in_order() {
    let (_d, pdf) = render(SAMPLE, &[]);
    let want = words(&source_body(SAMPLE));
    let got = words(&text_of(&pdf));
    assert_eq!(missing_in_order(&want, &got), None);
    assert!(text_of(&pdf).contains("Ⅳ"), "the numeral Ⅳ must copy as Ⅳ");
}

#[test]
fn render_sample_metadata() {
    let (_d, pdf) = render(SAMPLE, &[]);
    let info = tool("pdfinfo", &[pdf.to_str().unwrap()]);
    let field = |k: &str| {
        info.lines()
            .find_map(|l| l.strip_prefix(&format!("{k}:")))
            .map(|v| v.trim().to_string())
            .unwrap_or_default()
    };
    assert_eq!(field("Title"), "China Releases First Strategy");
    assert_eq!(field("Subject"), "NEWSLETTER Issue Ⅳ of 2017");
    assert!(field("Author").contains("Embassy"), "{info}");
    assert!(!field("Keywords").is_empty(), "{info}");
    assert!(field("CreationDate").contains("2017"), "{info}");
    assert_eq!(field("Page size"), "612 x 792 pts (letter)");
}

#[test]
fn render_sample_outline_points_at_headings() {
    let (_d, pdf) = render(SAMPLE, &[]);
    let json = tool(
        "qpdf",
        &["--json", "--json-key=outlines", pdf.to_str().unwrap()],
    );
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let outlines = v["outlines"].as_array().unwrap();
    let titles: Vec<&str> = outlines
        .iter()
        .map(|o| o["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        [
            "China Releases First Strategy",
            "I. Peace",
            "II. Cooperation",
            "III. Sovereignty",
            "IV. Shared Benefits",
            "V. Shared Governance"
        ]
    );
    for o in outlines {
        let dest = o["dest"].as_array().expect("explicit destination");
        assert_eq!(dest[1].as_str(), Some("/XYZ"), "{o}");
        let page = o["destpageposfrom1"].as_u64().unwrap() as usize;
        let title = o["title"].as_str().unwrap();
        let head = title.split_once(". ").map(|(_, t)| t).unwrap_or(title);
        assert!(
            page_text(&pdf, page).contains(head),
            "{title} not on page {page}"
        );
    }
}

#[test]
fn render_is_byte_reproducible() {
    let (_a, one) = render(SAMPLE, &[]);
    let (_b, two) = render(SAMPLE, &[]);
    assert_eq!(std::fs::read(one).unwrap(), std::fs::read(two).unwrap());
}

#[test]
fn render_long_issue_paginates() {
    let (_d, pdf) = render(LONG, &[]);
    assert_qpdf_clean(&pdf);
    let n = page_count(&pdf);
    assert!((4..=6).contains(&n), "{n} pages");
    for p in 1..=n {
        assert!(
            page_text(&pdf, p).contains(&format!("Page {p} of {n}")),
            "footer of page {p}"
        );
    }
    let want = words(&source_body(LONG));
    let got = words(&text_of(&pdf));
    assert_eq!(missing_in_order(&want, &got), None);
    // The address block stays whole on one page.
    let last = (1..=n)
        .find(|&p| page_text(&pdf, p).contains("Embassy of the People"))
        .unwrap();
    assert!(page_text(&pdf, last).contains("Washington DC"));
}

#[test]
fn render_long_issue_in_two_columns_and_other_papers() {
    for extra in [
        &["--columns", "2"][..],
        &["--paper", "a4"],
        &["--paper", "a5"],
    ] {
        let (_d, pdf) = render(LONG, extra);
        assert_qpdf_clean(&pdf);
        let want = words(&source_body(LONG));
        let got = words(&text_of(&pdf));
        assert_eq!(missing_in_order(&want, &got), None, "{extra:?}");
        let info = tool("pdfinfo", &[pdf.to_str().unwrap()]);
        if extra[1] == "a5" {
            assert!(info.contains("419.528 x 595.276"), "{info}");
        }
    }
}

#[test]
fn render_bad_input_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, "").unwrap();
    let out = dir.path().join("out.pdf");
    for src in [
        empty.to_str().unwrap(),
        "no/such/file.txt",
        dir.path().to_str().unwrap(),
    ] {
        let o = quire(&["render", src, "-o", out.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1), "{src}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(
            err.trim().lines().filter(|l| l.contains("error")).count(),
            1,
            "{err}"
        );
        assert!(!out.exists(), "partial output for {src}");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "stray files"
        );
    }
}

#[test]
fn render_omits_email_only_lines_from_print() {
    let dir = tempfile::tempdir().unwrap();
    let src = std::fs::read(root().join(SAMPLE)).unwrap();
    std::fs::write(dir.path().join("issue.txt"), src).unwrap();
    std::fs::write(
        dir.path().join("quire.yaml"),
        "paper: letter\nprint:\n  omit:\n    - \"Suggest to a Friend:\"\n",
    )
    .unwrap();
    let src = dir.path().join("issue.txt");
    let o = quire(&["render", src.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = text_of(&dir.path().join("issue.pdf"));
    assert!(text.contains("Your comments are welcome."));
    assert!(
        !text.contains("Suggest to a Friend"),
        "omitted line printed"
    );
}

#[test]
fn render_links_print_url_annotate_without_border() {
    let (_d, pdf) = render(LONG, &[]);
    let text = text_of(&pdf);
    assert!(text.contains("https://www.example.org/newsletter/2017/09/green-development-plan"));
    let json = tool(
        "qpdf",
        &["--json=1", "--json-key=objects", pdf.to_str().unwrap()],
    );
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let objects = v["objects"].as_object().unwrap();
    let links: Vec<&serde_json::Value> = objects
        .values()
        .filter(|o| o["/Subtype"] == "/Link")
        .collect();
    // Each of the two URLs: the printed URL and its QR code are both clickable; so is the
    // URL inside section VIII's sentence (one rectangle per line it is broken across).
    assert!(links.len() >= 4, "{} link annotations", links.len());
    let inline = "https://www.example.org/a/very/long/path/that/needs/breaking?with=query&and=more-parameters-2017";
    for l in links {
        assert_eq!(l["/Border"], serde_json::json!([0, 0, 0]), "{l}");
        let uri = l["/A"]["/URI"].as_str().unwrap_or_default();
        assert!(
            uri.contains("example.org/newsletter/2017/09/") || uri == inline,
            "{l}"
        );
    }
}

#[test]
fn render_reads_stdin_and_writes_stdout() {
    let src = std::fs::read(root().join(SAMPLE)).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_quire"))
        .args(["render", "-", "--paper", "letter"])
        .current_dir(root().join("issues"))
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), &src).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.starts_with(b"%PDF-"));
    // Same bytes as rendering the file (the quire.yaml in issues/ applies to both).
    let (_d, pdf) = render(SAMPLE, &[]);
    assert_eq!(out.stdout, std::fs::read(pdf).unwrap());
}

#[test]
fn render_dump_lines_prints_every_line() {
    let o = quire(&["render", SAMPLE, "--dump-lines"]);
    assert!(o.status.success());
    let dump = String::from_utf8_lossy(&o.stdout);
    assert!(dump.contains("China Releases First Strategy"));
    assert!(dump.lines().any(|l| l.contains("Peace.")), "{dump}");
    assert!(!dump.contains("%PDF"), "the dump replaces the PDF");
}

#[test]
fn render_user_font_from_quire_yaml_replaces_the_body_face() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(root().join(SAMPLE), dir.path().join("issue.txt")).unwrap();
    std::fs::create_dir(dir.path().join("faces")).unwrap();
    // Any real font file stands in for the user's own face.
    std::fs::copy(
        root().join("fonts/NotoSans-Italic.ttf"),
        dir.path().join("faces/house.ttf"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("quire.yaml"),
        "fonts:\n  - faces/house.ttf\ntheme:\n  body:\n    font: NotoSans-Italic\n",
    )
    .unwrap();
    let src = dir.path().join("issue.txt");
    let o = quire(&["render", src.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let fonts = tool(
        "pdffonts",
        &[dir.path().join("issue.pdf").to_str().unwrap()],
    );
    assert!(fonts.contains("+NotoSans-Italic"), "{fonts}");
    assert!(!fonts.contains("+NotoSerif-Regular"), "{fonts}");

    // A theme font that no loaded face has is an error, and nothing is written.
    std::fs::remove_file(dir.path().join("issue.pdf")).unwrap();
    std::fs::write(
        dir.path().join("quire.yaml"),
        "theme:\n  body:\n    font: Garamond\n",
    )
    .unwrap();
    let o = quire(&["render", src.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("Garamond"));
    assert!(!dir.path().join("issue.pdf").exists());

    // A font file that is missing is an error naming it.
    std::fs::write(
        dir.path().join("quire.yaml"),
        "fonts:\n  - faces/none.ttf\n",
    )
    .unwrap();
    let o = quire(&["render", src.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("none.ttf"));
}

#[test]
fn render_user_font_from_front_matter_is_loaded_and_checked() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("faces")).unwrap();
    std::fs::copy(
        root().join("fonts/NotoSans-Italic.ttf"),
        dir.path().join("faces/house.ttf"),
    )
    .unwrap();
    let body = std::fs::read_to_string(root().join(SAMPLE)).unwrap();
    let src = dir.path().join("issue.txt");
    let pdf = dir.path().join("issue.pdf");
    let with_front =
        |front: &str| std::fs::write(&src, format!("---\n{front}---\n{body}")).unwrap();

    // Relative to the issue's folder, whatever the working directory.
    with_front("fonts: [faces/house.ttf]\ntheme:\n  body:\n    font: NotoSans-Italic\n");
    let o = quire(&["render", src.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let fonts = tool("pdffonts", &[pdf.to_str().unwrap()]);
    assert!(fonts.contains("+NotoSans-Italic"), "{fonts}");
    assert!(!fonts.contains("+NotoSerif-Regular"), "{fonts}");
    assert!(quire(&["check", src.to_str().unwrap()]).status.success());
    // Even from a working directory that has a file of the same relative name.
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::create_dir(elsewhere.path().join("faces")).unwrap();
    std::fs::write(elsewhere.path().join("faces/house.ttf"), "not a font").unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_quire"))
        .args(["render", src.to_str().unwrap()])
        .current_dir(elsewhere.path())
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .output()
        .expect("run quire");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));

    // Missing or not a font: one error naming the issue and the file; nothing written;
    // `quire check` says the same.
    std::fs::remove_file(&pdf).unwrap();
    std::fs::write(dir.path().join("faces/bad.ttf"), "not a font").unwrap();
    for (font, why) in [
        ("faces/none.ttf", "cannot read font"),
        ("faces/bad.ttf", "unknown magic"),
    ] {
        with_front(&format!("fonts: [{font}]\n"));
        for cmd in ["render", "check"] {
            let o = quire(&[cmd, src.to_str().unwrap()]);
            assert_eq!(o.status.code(), Some(1), "{cmd} {font}");
            let err = String::from_utf8_lossy(&o.stderr);
            let line = err
                .lines()
                .find(|l| l.contains(": error: "))
                .unwrap_or_else(|| panic!("{cmd} {font}: {err}"));
            assert!(
                line.contains("issue.txt") && line.contains(font) && line.contains(why),
                "{line}"
            );
        }
        assert!(!pdf.exists());
    }
}

/// One line of the pagination dump: (frame number, para, line index 1-based, count, role).
type Placed = (usize, usize, usize, usize, String);

fn pagination(src: &str, extra: &[&str]) -> Vec<Placed> {
    let mut args = vec!["render", src, "--dump-lines"];
    args.extend_from_slice(extra);
    let o = quire(&args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let dump = String::from_utf8_lossy(&o.stdout).into_owned();
    let section = dump
        .split("# pagination\n")
        .nth(1)
        .expect("pagination dump");
    let mut frame = 0;
    let mut out = Vec::new();
    for line in section.lines() {
        if line.starts_with("page ") {
            frame += 1;
            continue;
        }
        let w: Vec<&str> = line.split_whitespace().collect();
        let (i, n) = w[3].split_once('/').unwrap();
        out.push((
            frame,
            w[1].parse().unwrap(),
            i.parse().unwrap(),
            n.parse().unwrap(),
            w[4].to_string(),
        ));
    }
    out
}

/// The long issue with each section's title on a line of its own ("IV. Green Finance" then
/// the body), so the sections are set with headings.
fn long_with_heading_lines(dir: &Path) -> PathBuf {
    let text = std::fs::read_to_string(root().join(LONG)).unwrap();
    let mut out = String::new();
    for line in text.split_inclusive('\n') {
        let numeral = line.split_once(". ").map(|(n, _)| n).unwrap_or("");
        let is_section = !numeral.is_empty() && numeral.chars().all(|c| "IVX".contains(c));
        match line
            .split_once(". ")
            .and_then(|(n, rest)| rest.split_once(". ").map(|(t, b)| (n, t, b)))
        {
            Some((n, title, body)) if is_section && title.split(' ').count() <= 6 => {
                out.push_str(&format!("{n}. {title}\n{body}"));
            }
            _ => out.push_str(line),
        }
    }
    let path = dir.join("long-headings.txt");
    std::fs::write(&path, out).unwrap();
    path
}

#[test]
fn render_long_issue_pagination_rules_hold_in_every_layout() {
    let dir = tempfile::tempdir().unwrap();
    let headed = long_with_heading_lines(dir.path());
    let headed = headed.to_str().unwrap();
    let layouts = [
        &[][..],
        &["--columns", "2"],
        &["--paper", "a4"],
        &["--paper", "a5"],
    ];
    for (src, extra) in layouts.iter().flat_map(|e| [(LONG, *e), (headed, *e)]) {
        let lines = pagination(src, extra);
        if src == headed {
            let heads = lines.iter().filter(|l| l.4 == "heading").count();
            assert!(heads >= 12, "{extra:?}: {heads} heading lines");
        }
        let frames = lines.last().unwrap().0;
        assert!(frames >= 4, "{extra:?}: {frames} frames");
        for pair in lines.windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            if a.0 == b.0 {
                continue;
            }
            // a ends a frame, b starts the next one.
            assert_ne!(a.4, "heading", "{extra:?}: heading at a frame foot: {a:?}");
            if a.1 == b.1 {
                assert!(
                    a.2 >= 2,
                    "{extra:?}: orphan (one line before the break): {a:?}"
                );
                assert!(
                    b.3 - b.2 + 1 >= 2,
                    "{extra:?}: widow (one line after the break): {b:?}"
                );
                assert_ne!(a.4, "address", "{extra:?}: address block split: {a:?}");
            }
            // A section's or list item's first two lines stay together (covered by the orphan
            // rule); the address block is never split across frames.
            assert!(
                !(a.4 == "address" && b.4 == "address"),
                "{extra:?}: address split: {a:?} | {b:?}"
            );
        }
        // A heading keeps with the next two lines.
        for (k, l) in lines.iter().enumerate() {
            if l.4 == "heading" && l.2 == l.3 {
                let next: Vec<&Placed> = lines[k + 1..].iter().take(2).collect();
                assert!(
                    next.iter().all(|n| n.0 == l.0),
                    "{extra:?}: heading {l:?} parted from {next:?}"
                );
            }
        }
    }
}

#[test]
fn render_front_matter_newsletter_names_the_masthead_and_footer() {
    // Front matter over the text over quire.yaml (README): `newsletter:` renames the
    // newsletter even though the masthead line says "NEWSLETTER".
    let dir = tempfile::tempdir().unwrap();
    let text =
        std::fs::read_to_string(root().join("tests/fixtures/embassy-newsletter-2017-04.txt"))
            .unwrap();
    let src = dir.path().join("renamed.txt");
    std::fs::write(
        &src,
        format!("---\nnewsletter: Embassy Bulletin\n---\n{text}"),
    )
    .unwrap();
    let pdf = dir.path().join("renamed.pdf");
    let out = quire(&["render", src.to_str().unwrap(), "-o", pdf.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let first = page_text(&pdf, 1);
    assert!(first.contains("Embassy Bulletin"), "masthead: {first}");
    assert!(
        first.contains("Embassy Bulletin · Issue"),
        "the footer names it too: {first}"
    );
}
