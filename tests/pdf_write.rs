//! PDF writer checks with independent readers: poppler (pdftotext, pdffonts, pdfinfo), qpdf
//! and lopdf, on documents shaped here with rustybuzz on the bundled faces.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use quire::fonts::{FaceId, FaceKey, Family, FontBook, Region};
use quire::layout::{DocMeta, Document, GlyphRun, Item, OutlineEntry, Page, Rgb};
use quire::pdf::{write_pdf, PdfError};

/// US Letter, as the sample newsletter is printed.
const LETTER: (f32, f32) = (612.0, 792.0);
/// 1 in margins, as the sample's quire.yaml sets them.
const MARGIN: f32 = 72.0;
/// Body size of the sample (Noto Serif 10.5 pt).
const BODY: f32 = 10.5;
/// Line distance for the body: 1.3 × size, a common book leading.
const LEADING: f32 = 13.65;
/// 2017-04-01T00:00:00Z, the sample issue's date.
const ISSUE_DATE: i64 = 1_491_004_800;

/// The sample issue's body (from shared/samples/embassy-newsletter-2017-04.txt), kept here so
/// the test is hermetic.
const SAMPLE: &str = r#"NEWSLETTER Issue Ⅳ of 2017


China Releases First Strategy

On Cyberspace Cooperation

On March 1, the Ministry of Foreign Affairs(MFA) and the State Internet Information Office of China jointly released the International Strategy of Cooperation on Cyberspace, the first international strategy China has released regarding the virtual domain.

The Strategy aims to jointly build a community of shared future in cyberspace and illustrates China's approach to international cyberspace cooperation. The basic principles and approaches of the Strategy are:

I. Peace. The international community should observe the principles of the UN Charter, particularly the principles of non-use of force and peaceful settlement of disputes, in order to ensure peace and security in cyberspace.

II. Cooperation. China advocates enhancing the governance of the Internet through international cooperation and is willing to actively engage in this process.

III. Sovereignty. Countries should respect each other's right to choose their own path of cyber development, model of cyber regulation and Internet public policie, and participate in international cyberspace governance on equal footing.

IV. Shared Benefits. The international community should promote greater openness and cooperation in cyberspace, in order to ensure that people across the world can share the benefits of Internet development.

V. Shared Governance. International cyberspace governance should follow a multilateral approach and feature multi-party participation. The international community needs to work together and put in place a multilateral, democratic and transparent global governance system.

Based on these principles and approaches, the Strategy put forward China's plan of action, including:

Promoting the building of rule-based order in cyberspace, expanding partnership with other countries, boosting institutional reform in Internet governance, jointly combating cyber terrorism and crimes, and protecting individual privacy in cyberspace.

Supporting Internet-based innovation and entrepreneurship, and is committed to assisting developing countries with cyber security capacity building, it said.

Supporting the formulation of cyberspace trade rules and effective policy coordination among countries.

Working with other countries to strengthen global information infrastructure to facilitate the smooth flow of information, and facilitate cyber culture cooperation among countries.

Carrying out practical cooperation with countries along the Belt and Road, with the animation, comic and games industry as a priority area.

You can read the full text of the Strategy here:


You can view the report to the joint conference of the MFA and SIIO here:




Embassy of the People's Republic of China

3505, International Place, NW Washington DC, 20008


Your comments are welcome.




Suggest to a Friend:"#;

fn face(book: &FontBook, family: Family, bold: bool, cjk: Option<Region>) -> FaceId {
    book.find(FaceKey {
        family,
        bold,
        italic: false,
        cjk,
    })
    .expect("bundled face")
}

/// Shapes `text` in one face: glyphs with pen positions (x from 0) and their cluster texts.
fn shape(book: &FontBook, id: FaceId, size: f32, text: &str) -> GlyphRun {
    let entry = book.face(id);
    let face = rustybuzz::Face::from_slice(entry.data.bytes(), entry.index).expect("face");
    let scale = size / f32::from(face.units_per_em() as u16);
    let mut buffer = rustybuzz::UnicodeBuffer::new();
    buffer.push_str(text);
    let out = rustybuzz::shape(&face, &[], buffer);
    let infos = out.glyph_infos();
    let positions = out.glyph_positions();
    let mut run = GlyphRun::new(id, size, infos.len());
    let mut pen = 0.0;
    for (i, (info, pos)) in infos.iter().zip(positions).enumerate() {
        let start = info.cluster as usize;
        let first_of_cluster = i == 0 || infos[i - 1].cluster != info.cluster;
        let end = infos[i + 1..]
            .iter()
            .find(|g| g.cluster != info.cluster)
            .map(|g| g.cluster as usize)
            .unwrap_or(text.len());
        let advance = pos.x_advance as f32 * scale;
        run.push(
            info.glyph_id as u16,
            pen + pos.x_offset as f32 * scale,
            -(pos.y_offset as f32) * scale,
            advance,
            if first_of_cluster {
                &text[start..end]
            } else {
                ""
            },
        );
        pen += advance;
    }
    run
}

fn run_width(run: &GlyphRun) -> f32 {
    run.glyphs.iter().map(|g| g.advance).sum()
}

/// Appends `b` to `a`, shifted right by `dx`.
fn append(a: &mut GlyphRun, b: GlyphRun, dx: f32) {
    for (g, t) in b.texts() {
        a.push(g.id, g.x + dx, g.y, g.advance, t);
    }
}

/// A greedy justified paragraph: one run per line, word gaps stretched to the measure
/// (the last line set ragged). Returns the new y.
fn paragraph(
    book: &FontBook,
    face: FaceId,
    size: f32,
    text: &str,
    y: f32,
    items: &mut Vec<Item>,
) -> f32 {
    let measure = LETTER.0 - 2.0 * MARGIN;
    let space = run_width(&shape(book, face, size, " "));
    let words: Vec<GlyphRun> = text
        .split_whitespace()
        .map(|w| shape(book, face, size, w))
        .collect();
    let mut lines: Vec<Vec<GlyphRun>> = vec![Vec::new()];
    let mut width = 0.0;
    for w in words {
        let ww = run_width(&w);
        let line = lines.last_mut().expect("a line");
        if !line.is_empty() && width + space + ww > measure {
            lines.push(vec![w]);
            width = ww;
        } else {
            width += if line.is_empty() { ww } else { space + ww };
            line.push(w);
        }
    }
    let mut y = y;
    let count = lines.len();
    for (n, line) in lines.into_iter().enumerate() {
        let natural: f32 = line.iter().map(run_width).sum::<f32>();
        let gaps = line.len().saturating_sub(1) as f32;
        let gap = if n + 1 < count && gaps > 0.0 {
            (measure - natural) / gaps
        } else {
            space
        };
        let mut run = GlyphRun::new(face, size, 0);
        let mut x = 0.0;
        for (i, w) in line.into_iter().enumerate() {
            if i > 0 {
                // The space glyph stands for " " so that extraction keeps word breaks.
                let mut sp = shape(book, face, size, " ");
                for g in &mut sp.glyphs {
                    g.advance = gap;
                }
                append(&mut run, sp, x);
                x += gap;
            }
            let ww = run_width(&w);
            append(&mut run, w, x);
            x += ww;
        }
        items.push(Item::Text {
            x: MARGIN,
            y,
            run,
            color: Rgb::BLACK,
        });
        y += LEADING;
    }
    y
}

/// The sample newsletter laid out on Letter pages: masthead with "Ⅳ" drawn as the Latin
/// "IV", headline, body paragraphs, a link with a QR-like block of rects, a rule; outline
/// with the headline and the Roman-numeral sections as its children.
fn sample_document(book: &FontBook) -> Document {
    let serif = face(book, Family::Serif, false, None);
    let bold = face(book, Family::Serif, true, None);
    let mut pages = vec![Page {
        width: LETTER.0,
        height: LETTER.1,
        items: Vec::new(),
    }];
    let mut y = MARGIN + 20.0;

    // Masthead: "NEWSLETTER Issue Ⅳ of 2017", the numeral from the Latin face.
    let mut mast = shape(book, bold, 20.0, "NEWSLETTER Issue ");
    let numeral_x = run_width(&mast);
    // The glyphs of "IV" standing for "Ⅳ": the first carries the text, the second continues.
    let iv = shape(book, bold, 20.0, "IV");
    let mut numeral = GlyphRun::new(iv.face, iv.size, 2);
    for (g, text) in iv.glyphs.iter().zip(["Ⅳ", ""]) {
        numeral.push(g.id, g.x, g.y, g.advance, text);
    }
    let nw = run_width(&numeral);
    append(&mut mast, numeral, numeral_x);
    append(
        &mut mast,
        shape(book, bold, 20.0, " of 2017"),
        numeral_x + nw,
    );
    pages[0].items.push(Item::Text {
        x: MARGIN,
        y,
        run: mast,
        color: Rgb(0.1, 0.1, 0.4),
    });
    y += 10.0;
    pages[0].items.push(Item::Rule {
        x1: MARGIN,
        y1: y,
        x2: LETTER.0 - MARGIN,
        y2: y,
        width: 0.75,
        color: Rgb::BLACK,
    });
    y += 30.0;

    let mut outline = Vec::new();
    let mut children = Vec::new();
    let mut lines = SAMPLE.lines().filter(|l| !l.trim().is_empty()).skip(1);
    let headline = format!(
        "{} {}",
        lines.next().unwrap_or_default(),
        lines.next().unwrap_or_default()
    );
    let headline_y = y;
    pages[0].items.push(Item::Text {
        x: MARGIN,
        y,
        run: shape(book, bold, 16.0, &headline),
        color: Rgb::BLACK,
    });
    y += 28.0;

    for para in lines {
        if y > LETTER.1 - MARGIN - 3.0 * LEADING {
            pages.push(Page {
                width: LETTER.0,
                height: LETTER.1,
                items: Vec::new(),
            });
            y = MARGIN + BODY;
        }
        let page_index = pages.len() - 1;
        let items = &mut pages.last_mut().expect("a page").items;
        let numeral_head = ["I. ", "II. ", "III. ", "IV. ", "V. "]
            .iter()
            .find(|p| para.starts_with(**p));
        if let Some(prefix) = numeral_head {
            let title: String = para.split('.').take(2).collect::<Vec<_>>().join(".");
            children.push(OutlineEntry {
                title: title.trim().to_string(),
                page: page_index,
                y: y - BODY,
                children: Vec::new(),
            });
            let _ = prefix;
        }
        let f = if numeral_head.is_some() { bold } else { serif };
        y = paragraph(book, f, BODY, para, y, items) + 6.0;
    }

    // A link line and a block of QR-like modules.
    let last = pages.last_mut().expect("a page");
    let url = "https://www.china-embassy.org/eng/";
    let link_run = shape(book, serif, BODY, url);
    let lw = run_width(&link_run);
    last.items.push(Item::Text {
        x: MARGIN,
        y,
        run: link_run,
        color: Rgb(0.0, 0.2, 0.6),
    });
    last.items.push(Item::Link {
        x: MARGIN,
        y: y - BODY,
        w: lw,
        h: BODY * 1.3,
        uri: url.to_string(),
    });
    let qr_top = y + 10.0;
    for row in 0..21 {
        for col in 0..21 {
            if (row * 7 + col * 3) % 5 < 2 {
                last.items.push(Item::Rect {
                    x: MARGIN + col as f32 * 2.0,
                    y: qr_top + row as f32 * 2.0,
                    w: 2.0,
                    h: 2.0,
                    color: Rgb::BLACK,
                });
            }
        }
    }

    outline.push(OutlineEntry {
        title: headline.clone(),
        page: 0,
        y: headline_y - 16.0,
        children,
    });
    Document {
        pages,
        meta: DocMeta {
            title: headline,
            author: "Embassy of the People's Republic of China".to_string(),
            subject: "NEWSLETTER Issue Ⅳ of 2017".to_string(),
            keywords: vec!["cyberspace".to_string(), "strategy".to_string()],
            lang: "en-US".to_string(),
            timestamp: ISSUE_DATE,
        },
        outline,
        structure: Default::default(),
    }
}

/// A page mixing Latin body text with a Simplified Chinese line in Noto Serif CJK SC.
fn mixed_document(book: &FontBook) -> Document {
    let serif = face(book, Family::Serif, false, None);
    let cjk = face(book, Family::Serif, false, Some(Region::Sc));
    let mut items = Vec::new();
    let y = paragraph(
        book,
        serif,
        BODY,
        "The Strategy was released in Beijing on March 1.",
        MARGIN + BODY,
        &mut items,
    );
    items.push(Item::Text {
        x: MARGIN,
        y: y + 4.0,
        run: shape(book, cjk, 12.0, "网络空间国际合作战略"),
        color: Rgb::BLACK,
    });
    Document {
        pages: vec![Page {
            width: LETTER.0,
            height: LETTER.1,
            items,
        }],
        meta: DocMeta {
            title: "Mixed".to_string(),
            author: "quire tests".to_string(),
            subject: "mixed scripts".to_string(),
            keywords: Vec::new(),
            lang: "en".to_string(),
            timestamp: ISSUE_DATE,
        },
        outline: Vec::new(),
        structure: Default::default(),
    }
}

/// Writes a test PDF; with `QUIRE_TEST_KEEP=DIR` set, also keeps a copy in DIR to look at.
fn write_to(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    if let Some(keep) = std::env::var_os("QUIRE_TEST_KEEP") {
        let _ = std::fs::write(Path::new(&keep).join(name), bytes);
    }
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write pdf");
    common::keep_pdfs(&path);
    path
}

fn tool(cmd: &str, args: &[&str], file: &Path) -> String {
    let out = Command::new(cmd)
        .args(args)
        .arg(file)
        .output()
        .unwrap_or_else(|e| panic!("{cmd} not runnable: {e}"));
    let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&out.stderr));
    text
}

fn pdftotext(file: &Path) -> String {
    let out = Command::new("pdftotext")
        .arg(file)
        .arg("-")
        .output()
        .expect("pdftotext");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn sample_pdf() -> (tempfile::TempDir, PathBuf, Vec<u8>) {
    let book = FontBook::bundled();
    let bytes = write_pdf(&sample_document(&book), &book).expect("pdf");
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write_to(dir.path(), "sample.pdf", &bytes);
    (dir, path, bytes)
}

/// Words of `s`, for comparing extracted text in order.
fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

#[test]
fn pdf_fonts_all_embedded_subset_with_unicode() {
    let (_dir, path, _) = sample_pdf();
    let out = tool("pdffonts", &[], &path);
    let rows: Vec<&str> = out
        .lines()
        .skip(2)
        .filter(|l| !l.trim().is_empty())
        .collect();
    assert_eq!(rows.len(), 2, "regular and bold serif:\n{out}");
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        let n = cols.len();
        assert_eq!(&cols[n - 5..n - 2], &["yes", "yes", "yes"], "{row}");
        let name = cols[0];
        let (tag, _) = name.split_once('+').expect("subset tag");
        assert!(
            tag.len() == 6 && tag.chars().all(|c| c.is_ascii_uppercase()),
            "{name}"
        );
    }
}

#[test]
fn pdf_text_extracts_every_word_in_order() {
    let (_dir, path, _) = sample_pdf();
    let got = words(&pdftotext(&path));
    let want: Vec<String> = words(SAMPLE).into_iter().skip(4).collect();
    let mut i = 0;
    for w in &got {
        if i < want.len() && *w == want[i] {
            i += 1;
        }
    }
    assert_eq!(i, want.len(), "stopped at {:?}", want.get(i));
}

#[test]
fn pdf_text_numeral_drawn_as_latin_extracts_as_roman_numeral() {
    let (_dir, path, _) = sample_pdf();
    let text = pdftotext(&path);
    assert!(
        text.contains("Issue Ⅳ of 2017"),
        "{}",
        &text[..200.min(text.len())]
    );
}

#[test]
fn pdf_info_has_metadata() {
    let (_dir, path, _) = sample_pdf();
    let out = tool("pdfinfo", &["-isodates"], &path);
    let field = |key: &str| -> String {
        out.lines()
            .find_map(|l| l.strip_prefix(key).and_then(|r| r.strip_prefix(':')))
            .map(|v| v.trim().to_string())
            .unwrap_or_else(|| panic!("no {key} in\n{out}"))
    };
    assert_eq!(
        field("Title"),
        "China Releases First Strategy On Cyberspace Cooperation"
    );
    assert_eq!(field("Author"), "Embassy of the People's Republic of China");
    assert_eq!(field("Subject"), "NEWSLETTER Issue Ⅳ of 2017");
    assert_eq!(field("Keywords"), "cyberspace, strategy");
    assert!(
        field("CreationDate").starts_with("2017-04-01T00:00:00"),
        "{out}"
    );
    assert!(field("ModDate").starts_with("2017-04-01T00:00:00"), "{out}");
    assert_eq!(field("Metadata Stream"), "yes");
}

#[test]
fn pdf_catalog_has_lang() {
    let (_dir, _path, bytes) = sample_pdf();
    let doc = lopdf::Document::load_mem(&bytes).expect("lopdf reads it");
    let lang = doc.catalog().expect("catalog").get(b"Lang").expect("/Lang");
    assert_eq!(lang.as_str().expect("string"), b"en-US");
}

#[test]
fn pdf_qpdf_check_is_clean() {
    let (_dir, path, _) = sample_pdf();
    let out = Command::new("qpdf")
        .arg("--check")
        .arg(&path)
        .output()
        .expect("qpdf");
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(!text.to_lowercase().contains("warning"), "{text}");
    assert!(
        text.contains("No syntax or stream encoding errors found"),
        "{text}"
    );
}

#[test]
fn pdf_reproducible_two_writes_identical() {
    let book = FontBook::bundled();
    let doc = sample_document(&book);
    let a = write_pdf(&doc, &book).expect("pdf");
    let b = write_pdf(&doc, &book).expect("pdf");
    assert!(a == b, "two writes of one document differ");
}

#[test]
fn pdf_reproducible_trailer_id_is_content_hash() {
    let (_dir, _path, bytes) = sample_pdf();
    let doc = lopdf::Document::load_mem(&bytes).expect("lopdf reads it");
    let id = doc
        .trailer
        .get(b"ID")
        .and_then(|o| o.as_array())
        .expect("/ID");
    let first = id[0].as_str().expect("string");
    assert_eq!(first.len(), 16);
    assert_ne!(first, &[0u8; 16]);
    // A different document gets a different /ID.
    let book = FontBook::bundled();
    let mut other = sample_document(&book);
    other.meta.title.push('!');
    let other = lopdf::Document::load_mem(&write_pdf(&other, &book).expect("pdf")).expect("lopdf");
    let other_id = other
        .trailer
        .get(b"ID")
        .and_then(|o| o.as_array())
        .expect("/ID");
    assert_ne!(other_id[0].as_str().expect("string"), first);
}

#[test]
fn pdf_outline_nested_with_page_and_y() {
    let book = FontBook::bundled();
    let doc = sample_document(&book);
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write_to(
        dir.path(),
        "outline.pdf",
        &write_pdf(&doc, &book).expect("pdf"),
    );
    let json = tool("qpdf", &["--json", "--json-key=outlines"], &path);
    let v: serde_json::Value = serde_json::from_str(&json).expect("qpdf json");
    let outlines = v["outlines"].as_array().expect("outlines");
    assert_eq!(outlines.len(), 1, "one top entry (the headline)");
    let top = &outlines[0];
    assert_eq!(top["title"], doc.meta.title);
    let kids = top["kids"].as_array().expect("kids");
    let titles: Vec<&str> = kids.iter().filter_map(|k| k["title"].as_str()).collect();
    assert_eq!(
        titles,
        [
            "I. Peace",
            "II. Cooperation",
            "III. Sovereignty",
            "IV. Shared Benefits",
            "V. Shared Governance"
        ]
    );
    for (kid, want) in kids.iter().zip(&doc.outline[0].children) {
        assert_eq!(kid["destpageposfrom1"], want.page + 1, "{}", want.title);
        let dest = kid["dest"].as_array().expect("dest array");
        assert_eq!(dest[1], "/XYZ");
        let top = dest[3].as_f64().expect("top");
        let expected = f64::from(LETTER.1 - want.y);
        assert!(
            (top - expected).abs() < 0.01,
            "{}: {top} vs {expected}",
            want.title
        );
    }
}

#[test]
fn pdf_links_open_uri_without_border() {
    let (_dir, _path, bytes) = sample_pdf();
    let doc = lopdf::Document::load_mem(&bytes).expect("lopdf reads it");
    let mut links = 0;
    for page in doc.get_pages().values() {
        for annot in doc.get_page_annotations(*page).expect("annots") {
            links += 1;
            let border = annot
                .get(b"Border")
                .and_then(|b| b.as_array())
                .expect("border");
            let widths: Vec<f32> = border.iter().map(|o| o.as_float().expect("num")).collect();
            assert_eq!(widths, [0.0, 0.0, 0.0]);
            let action = annot.get(b"A").and_then(|a| a.as_dict()).expect("action");
            assert_eq!(
                action.get(b"S").and_then(|s| s.as_name()).expect("S"),
                b"URI"
            );
            assert_eq!(
                action.get(b"URI").and_then(|s| s.as_str()).expect("URI"),
                b"https://www.china-embassy.org/eng/"
            );
        }
    }
    assert_eq!(links, 1);
}

#[test]
fn pdf_rects_one_path_then_one_fill() {
    let (_dir, _path, bytes) = sample_pdf();
    let doc = lopdf::Document::load_mem(&bytes).expect("lopdf reads it");
    let last = *doc.get_pages().values().last().expect("page");
    let content = doc.get_and_decode_page_content(last).expect("content");
    let ops: Vec<&str> = content
        .operations
        .iter()
        .map(|o| o.operator.as_str())
        .collect();
    let re = ops.iter().filter(|o| **o == "re").count();
    assert!(re > 100, "{re} rects");
    let first_re = ops.iter().position(|o| *o == "re").expect("re");
    let fill = ops[first_re..].iter().position(|o| *o == "f").expect("f") + first_re;
    assert_eq!(fill - first_re, re, "all re, then one f");
    assert_eq!(ops.iter().filter(|o| **o == "f").count(), 1);
}

#[test]
fn pdf_sample_is_small() {
    let (_dir, _path, bytes) = sample_pdf();
    assert!(bytes.len() < 40_000, "{} bytes", bytes.len());
}

#[test]
fn pdf_cjk_mixed_document_embeds_and_extracts() {
    let book = FontBook::bundled();
    let bytes = write_pdf(&mixed_document(&book), &book).expect("pdf");
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write_to(dir.path(), "mixed.pdf", &bytes);
    let fonts = tool("pdffonts", &[], &path);
    assert!(fonts.contains("+NotoSerifCJKsc-Regular"), "{fonts}");
    for row in fonts.lines().skip(2).filter(|l| !l.trim().is_empty()) {
        let cols: Vec<&str> = row.split_whitespace().collect();
        let n = cols.len();
        assert_eq!(&cols[n - 5..n - 2], &["yes", "yes", "yes"], "{row}");
    }
    let text = pdftotext(&path);
    assert!(text.contains("网络空间国际合作战略"), "{text}");
    assert!(text.contains("released in Beijing on March 1."), "{text}");
    assert!(
        bytes.len() < 60_000,
        "a CJK subset stays small: {} bytes",
        bytes.len()
    );
    let check = tool("qpdf", &["--check"], &path);
    assert!(
        check.contains("No syntax or stream encoding errors found"),
        "{check}"
    );
    assert!(!check.to_lowercase().contains("warning"), "{check}");
}

#[test]
fn pdf_errors_no_pages() {
    let book = FontBook::bundled();
    assert_eq!(
        write_pdf(&Document::default(), &book),
        Err(PdfError::NoPages)
    );
}

#[test]
fn pdf_errors_unknown_face_and_bad_glyph() {
    let book = FontBook::bundled();
    let mut doc = mixed_document(&book);
    if let Item::Text { run, .. } = &mut doc.pages[0].items[0] {
        run.face = FaceId(999);
    }
    assert_eq!(
        write_pdf(&doc, &book),
        Err(PdfError::UnknownFace { face: 999 })
    );

    let mut doc = mixed_document(&book);
    if let Item::Text { run, .. } = &mut doc.pages[0].items[0] {
        run.glyphs[0].id = u16::MAX;
    }
    assert!(matches!(
        write_pdf(&doc, &book),
        Err(PdfError::GlyphOutOfRange {
            glyph: u16::MAX,
            ..
        })
    ));
}

#[test]
fn pdf_errors_non_finite_geometry_and_outline_page() {
    let book = FontBook::bundled();
    let mut doc = mixed_document(&book);
    doc.pages[0].items.push(Item::Rect {
        x: f32::NAN,
        y: 0.0,
        w: 1.0,
        h: 1.0,
        color: Rgb::BLACK,
    });
    assert!(matches!(
        write_pdf(&doc, &book),
        Err(PdfError::BadGeometry { page: 0, .. })
    ));

    let mut doc = mixed_document(&book);
    doc.outline.push(OutlineEntry {
        title: "Nowhere".to_string(),
        page: 3,
        y: 0.0,
        children: Vec::new(),
    });
    assert!(matches!(
        write_pdf(&doc, &book),
        Err(PdfError::OutlinePage { page: 3, .. })
    ));
}

/// Hex SHA-256 of the sample PDF written in this process.
fn sample_digest() -> String {
    use sha2::{Digest, Sha256};
    let book = FontBook::bundled();
    let bytes = write_pdf(&sample_document(&book), &book).expect("pdf");
    assert!(bytes.starts_with(b"%PDF-"));
    Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Run by `pdf_reproducible_across_processes` in a child process: prints the digest.
#[test]
fn pdf_reproducible_child_prints_digest() {
    let digest = sample_digest();
    assert_eq!(digest.len(), 64);
    if std::env::var_os("QUIRE_PRINT_DIGEST").is_some() {
        println!("DIGEST:{digest}");
    }
}

#[test]
fn pdf_reproducible_across_processes() {
    let exe = std::env::current_exe().expect("test binary");
    let out = Command::new(exe)
        .args([
            "pdf_reproducible_child_prints_digest",
            "--exact",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("QUIRE_PRINT_DIGEST", "1")
        .output()
        .expect("child test run");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let child = stdout
        .lines()
        // The harness prints "test name ... " on the same line before the test's output.
        .find_map(|l| l.split_once("DIGEST:").map(|(_, d)| d.trim()))
        .unwrap_or_else(|| panic!("no digest from the child:\n{stdout}"));
    assert_eq!(child, sample_digest());
}

#[test]
fn pdf_outline_entry_on_later_page_jumps_there() {
    let book = FontBook::bundled();
    let mut doc = sample_document(&book);
    assert!(doc.pages.len() >= 2, "the sample runs to two pages");
    doc.outline.push(OutlineEntry {
        title: "Contact".to_string(),
        page: 1,
        y: 100.0,
        children: Vec::new(),
    });
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write_to(
        dir.path(),
        "outline2.pdf",
        &write_pdf(&doc, &book).expect("pdf"),
    );
    let json = tool("qpdf", &["--json", "--json-key=outlines"], &path);
    let v: serde_json::Value = serde_json::from_str(&json).expect("qpdf json");
    let outlines = v["outlines"].as_array().expect("outlines");
    assert_eq!(outlines.len(), 2);
    assert_eq!(outlines[1]["title"], "Contact");
    assert_eq!(outlines[1]["destpageposfrom1"], 2);
    assert_eq!(
        outlines[1]["dest"][3].as_f64(),
        Some(f64::from(LETTER.1 - 100.0))
    );
}

#[test]
fn pdf_glyphs_with_vertical_offsets_keep_their_place() {
    let book = FontBook::bundled();
    let mut doc = mixed_document(&book);
    // Raise the second glyph of the first line by 3 pt, as a superscript or mark would be.
    let (run_x, run_y, g1, g2) = match &mut doc.pages[0].items[0] {
        Item::Text { x, y, run, .. } => {
            run.glyphs[1].y = -3.0;
            (*x, *y, run.glyphs[1].x, run.glyphs[2].x)
        }
        _ => panic!("first item is text"),
    };
    let bytes = write_pdf(&doc, &book).expect("pdf");
    let lo = lopdf::Document::load_mem(&bytes).expect("lopdf reads it");
    let page = *lo.get_pages().values().next().expect("page");
    let content = lo.get_and_decode_page_content(page).expect("content");
    let tms: Vec<(f32, f32)> = content
        .operations
        .iter()
        .filter(|o| o.operator == "Tm")
        .map(|o| {
            let n: Vec<f32> = o
                .operands
                .iter()
                .map(|v| v.as_float().expect("number"))
                .collect();
            (n[4], n[5])
        })
        .collect();
    let near = |a: f32, b: f32| (a - b).abs() < 0.006;
    let baseline = LETTER.1 - run_y;
    assert!(near(tms[0].1, baseline), "{tms:?}");
    assert!(
        near(tms[1].0, run_x + g1) && near(tms[1].1, baseline + 3.0),
        "raised glyph: {tms:?}"
    );
    assert!(
        near(tms[2].0, run_x + g2) && near(tms[2].1, baseline),
        "back on the baseline: {tms:?}"
    );
}
