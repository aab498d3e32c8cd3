//! The print editions end to end: `--booklet` (imposition read back per half sheet with
//! pdftotext), `--print-shop` and `--pdfx 4` (boxes read back with qpdf and poppler, marks
//! found by pixel in MuPDF's rendering, the output intent and XMP with lopdf), `--grey` and
//! `print.rich_black: false` (the content streams' colour operators, parsed by lopdf).

mod common;

use common::{quire_with, root, Run};
use lopdf::{Document, Object};
use std::fs;
use std::path::Path;
use std::process::Command;

/// 2017-04-01T00:00:00Z: fixed time for reproducible output.
const EPOCH: &str = "1491004800";
const SAMPLE: &str = "issues/embassy-newsletter-2017-04.txt";
const MM: f32 = 72.0 / 25.4;

fn run(cwd: &Path, args: &[&str]) -> Run {
    quire_with(cwd, args, |c| {
        c.env("SOURCE_DATE_EPOCH", EPOCH);
    })
}

fn tool(program: &str, args: &[&str]) -> String {
    let out = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program} runs (scripts/test installs it): {e}"));
    assert!(
        out.status.success(),
        "{program} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn pages(pdf: &Path) -> usize {
    let info = tool("pdfinfo", &[pdf.to_str().unwrap()]);
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("pdfinfo prints the page count")
}

/// Page `page`'s size in pt as poppler reports it.
fn page_size(pdf: &Path, page: usize) -> (f32, f32) {
    let p = page.to_string();
    let info = tool("pdfinfo", &["-f", &p, "-l", &p, pdf.to_str().unwrap()]);
    let line = info
        .lines()
        .find(|l| l.starts_with(&format!("Page {:>4} size:", page)) || l.starts_with("Page size:"))
        .expect("a page size line");
    let v: Vec<f32> = line
        .split(':')
        .nth(1)
        .unwrap()
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    (v[0], v[1])
}

/// The text pdftotext reads in the area (x, y, w, h) of page `page` (1-based).
fn text_in(pdf: &Path, page: usize, (x, y, w, h): (f32, f32, f32, f32)) -> String {
    let s = page.to_string();
    let args = [
        "-f",
        &s,
        "-l",
        &s,
        "-x",
        &format!("{}", x as i32),
        "-y",
        &format!("{}", y as i32),
        "-W",
        &format!("{}", w as i32),
        "-H",
        &format!("{}", h as i32),
        pdf.to_str().unwrap(),
        "-",
    ];
    tool("pdftotext", &args)
}

/// The running footer's page number ("Page k of n") printed in the area (x, y, w, h) of
/// sheet side `side` (1-based), `None` when the area holds no text (a blank page).
fn page_in(pdf: &Path, side: usize, area: (f32, f32, f32, f32)) -> Option<usize> {
    let text = text_in(pdf, side, area);
    let x = area.0;
    if text.trim().is_empty() {
        return None;
    }
    let at = text
        .find("Page ")
        .unwrap_or_else(|| panic!("side {side} at x {x}: no footer in {text:?}"));
    let n: String = text[at + 5..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    Some(n.parse().expect("a page number"))
}

/// The saddle-stitch order, written out independently of quire's: for m pages (a multiple of
/// 4), sheet s's front holds m-2s | 2s+1 and its back 2s+2 | m-2s-1 (1-based positions).
fn saddle(m: usize) -> Vec<(usize, usize)> {
    (0..m / 4)
        .flat_map(|s| [(m - 2 * s, 2 * s + 1), (2 * s + 2, m - 2 * s - 1)])
        .collect()
}

/// Positions 1..=padded holding the issue's pages, blanks (None) where they go.
fn positions(n: usize, blanks_before_cover: bool) -> Vec<Option<usize>> {
    let padded = n.div_ceil(4) * 4;
    let mut v: Vec<Option<usize>> = (1..=n).map(Some).collect();
    let blanks = padded - n;
    if blanks_before_cover {
        for _ in 0..blanks {
            v.insert(n - 1, None);
        }
    } else {
        v.extend(std::iter::repeat_n(None, blanks));
    }
    v
}

#[test]
fn booklets_on_a4_and_letter_read_in_order_when_folded() {
    // (fixture, paper, pages of the issue at the booklet's page size, whether its last page
    // starts a new block: then blanks go before it, else after it)
    let cases = [
        ("a4-4", "a4", 4, true),
        ("a4-6", "a4", 6, false),
        ("a4-8", "a4", 8, true),
        ("a4-12", "a4", 12, true),
        ("letter-4", "letter", 4, true),
        ("letter-6", "letter", 6, true),
        ("letter-8", "letter", 8, true),
        ("letter-12", "letter", 12, true),
    ];
    let dir = tempfile::tempdir().unwrap();
    for (name, paper, n, cover) in cases {
        let src = root().join(format!("tests/fixtures/print/{name}.txt"));
        let out = dir.path().join(format!("{name}.pdf"));
        let r = run(
            dir.path(),
            &[
                "render",
                src.to_str().unwrap(),
                "--paper",
                paper,
                "--booklet",
                "-o",
                out.to_str().unwrap(),
            ],
        );
        assert_eq!(r.code, 0, "{name}: {}", r.stderr);
        let booklet = dir.path().join(format!("{name}.booklet.pdf"));
        // The reader's copy: pages in order at half the sheet.
        assert_eq!(
            pages(&out),
            n,
            "{name}: the fixture no longer sets on {n} pages; regenerate it"
        );
        let (sheet_w, sheet_h) = if paper == "a4" {
            (841.89, 595.28)
        } else {
            (792.0, 612.0)
        };
        let (w, h) = page_size(&out, 1);
        assert!(
            (w - sheet_w / 2.0).abs() < 0.1 && (h - sheet_h).abs() < 0.1,
            "{name}: {w}x{h}"
        );
        // The booklet: landscape sheets, two sides each, pages where saddle stitching wants them.
        let padded = n.div_ceil(4) * 4;
        assert_eq!(pages(&booklet), padded / 2, "{name}");
        let (bw, bh) = page_size(&booklet, 1);
        assert!(
            (bw - sheet_w).abs() < 0.1 && (bh - sheet_h).abs() < 0.1,
            "{name}: {bw}x{bh}"
        );
        let at = positions(n, cover);
        for (i, (left, right)) in saddle(padded).into_iter().enumerate() {
            let side = i + 1;
            let got = (
                page_in(&booklet, side, (0.0, 0.0, w - 1.0, h)),
                page_in(&booklet, side, (w + 1.0, 0.0, w - 1.0, h)),
            );
            assert_eq!(
                got,
                (at[left - 1], at[right - 1]),
                "{name}: side {side} (sheet {}, {})",
                i / 2 + 1,
                if i % 2 == 0 { "front" } else { "back" }
            );
        }
        let check = tool("qpdf", &["--check", booklet.to_str().unwrap()]);
        assert!(
            check.contains("No syntax or stream encoding errors"),
            "{check}"
        );
        // The reader's copy stays tagged; the booklet is a print artefact, set to print at
        // full size, duplex on the short edge.
        let reader = Document::load(&out).unwrap();
        assert!(reader.catalog().unwrap().get(b"StructTreeRoot").is_ok());
        let imposed = Document::load(&booklet).unwrap();
        let catalog = imposed.catalog().unwrap();
        assert!(catalog.get(b"StructTreeRoot").is_err());
        let prefs = catalog
            .get(b"ViewerPreferences")
            .and_then(Object::as_dict)
            .unwrap();
        assert_eq!(
            prefs.get(b"Duplex").unwrap().as_name().unwrap(),
            b"DuplexFlipShortEdge"
        );
        assert_eq!(
            prefs.get(b"PrintScaling").unwrap().as_name().unwrap(),
            b"None"
        );
    }
}

#[test]
fn booklet_outline_and_links_follow_their_pages() {
    let dir = tempfile::tempdir().unwrap();
    let src = root().join("tests/fixtures/render/long-12-sections.txt");
    let r = run(
        dir.path(),
        &[
            "render",
            src.to_str().unwrap(),
            "--booklet",
            "-o",
            "long.pdf",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let booklet = Document::load(dir.path().join("long.booklet.pdf")).unwrap();
    let sheets: Vec<lopdf::ObjectId> = booklet.get_pages().values().copied().collect();
    // Every outline destination and every link's page is one of the sheets.
    let mut dests = 0;
    let mut links = 0;
    for (_, o) in booklet.objects.iter() {
        let Object::Dictionary(d) = o else { continue };
        if let Ok(dest) = d.get(b"Dest").and_then(Object::as_array) {
            let page = dest[0].as_reference().unwrap();
            assert!(sheets.contains(&page), "a destination points at {page:?}");
            dests += 1;
        }
        if d.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Link") {
            let page = d.get(b"P").and_then(Object::as_reference).unwrap();
            assert!(sheets.contains(&page));
            links += 1;
        }
    }
    assert!(dests >= 12, "{dests} outline destinations");
    assert!(links >= 2, "{links} links");
    // A link's rectangle moved with its page: the one opening the press conference covers
    // the first line of its printed URL on the same sheet.
    // (The URL and its QR code are both links: the rectangles of the sheet that has them.)
    let (sheet_no, rects) = booklet
        .get_pages()
        .into_iter()
        .find_map(|(no, id)| {
            let annots = booklet
                .get_dictionary(id)
                .ok()?
                .get(b"Annots")
                .ok()?
                .as_array()
                .ok()?;
            let rects: Vec<Vec<f32>> = annots
                .iter()
                .filter_map(|a| {
                    let d = booklet.get_dictionary(a.as_reference().ok()?).ok()?;
                    let action = booklet
                        .dereference(d.get(b"A").ok()?)
                        .ok()?
                        .1
                        .as_dict()
                        .ok()?;
                    let uri = action.get(b"URI").ok()?.as_str().ok()?;
                    uri.ends_with(b"press-conference").then(|| {
                        d.get(b"Rect")
                            .unwrap()
                            .as_array()
                            .unwrap()
                            .iter()
                            .map(|v| v.as_float().unwrap())
                            .collect()
                    })
                })
                .collect();
            (!rects.is_empty()).then_some((no, rects))
        })
        .expect("the press conference's link is on a sheet");
    let n = sheet_no.to_string();
    let path = dir.path().join("long.booklet.pdf");
    let words = tool(
        "pdftotext",
        &["-bbox", "-f", &n, "-l", &n, path.to_str().unwrap(), "-"],
    );
    let (_, sheet_h) = page_size(&path, sheet_no as usize);
    let word = words
        .lines()
        .find(|l| l.contains(">https://www.example.org/newsletter/2017/09/press"))
        .expect("the URL is printed on the link's sheet");
    let attr = |k: &str| -> f32 {
        word.split(&format!("{k}=\""))
            .nth(1)
            .and_then(|s| s.split('"').next())
            .and_then(|s| s.parse().ok())
            .unwrap()
    };
    let (cx, cy) = (
        (attr("xMin") + attr("xMax")) / 2.0,
        sheet_h - (attr("yMin") + attr("yMax")) / 2.0,
    );
    assert!(
        rects
            .iter()
            .any(|r| r[0] <= cx && cx <= r[2] && r[1] <= cy && cy <= r[3]),
        "no link of {rects:?} covers its URL at ({cx}, {cy})"
    );
}

#[test]
fn booklet_creep_moves_inner_sheets_toward_the_fold() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("quire.yaml"), "print:\n  creep: 1mm\n").unwrap();
    fs::copy(
        root().join("tests/fixtures/print/a4-12.txt"),
        dir.path().join("issue.txt"),
    )
    .unwrap();
    let r = run(
        dir.path(),
        &["render", "issue.txt", "--paper", "a4", "--booklet"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    // The footer's "Page" on the right half of each sheet's front: 12 pages are three
    // sheets, the innermost moved 2 mm toward the fold (left), the middle 1 mm.
    let booklet = dir.path().join("issue.booklet.pdf");
    let x = |side: usize| -> f32 {
        let s = side.to_string();
        let words = tool(
            "pdftotext",
            &["-bbox", "-f", &s, "-l", &s, booklet.to_str().unwrap(), "-"],
        );
        words
            .lines()
            .filter(|l| l.ends_with(">Page</word>"))
            .filter_map(|l| {
                let v = l.split("xMin=\"").nth(1)?.split('"').next()?;
                v.parse::<f32>().ok()
            })
            .filter(|&x| x > 421.0)
            .fold(f32::NAN, f32::min)
    };
    let (outer, middle, inner) = (x(1), x(3), x(5));
    assert!((outer - middle - 1.0 * MM).abs() < 0.2, "{outer} {middle}");
    assert!((outer - inner - 2.0 * MM).abs() < 0.2, "{outer} {inner}");
}

#[test]
fn booklet_is_reproducible_and_leaves_plain_renders_alone() {
    let dir = tempfile::tempdir().unwrap();
    let src = root().join(SAMPLE);
    let s = src.to_str().unwrap();
    for out in ["a.pdf", "b.pdf"] {
        let r = run(dir.path(), &["render", s, "--booklet", "-o", out]);
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    let read = |f: &str| fs::read(dir.path().join(f)).unwrap();
    assert_eq!(read("a.booklet.pdf"), read("b.booklet.pdf"));
    assert_eq!(read("a.pdf"), read("b.pdf"));
    // Without a print option the PDF is the usual one (the booklet's reader copy is not).
    let r = run(dir.path(), &["render", s, "-o", "plain.pdf"]);
    assert_eq!(r.code, 0);
    assert!(!dir.path().join("plain.booklet.pdf").exists());
    assert_ne!(read("plain.pdf"), read("a.pdf"));
}

#[test]
fn booklet_to_standard_output_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let src = root().join(SAMPLE);
    let r = run(
        dir.path(),
        &["render", src.to_str().unwrap(), "--booklet", "-o", "-"],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("--booklet"), "{}", r.stderr);
    assert!(r.stdout.is_empty());
}

/// The PDF's boxes of page 1 as qpdf reads them: name -> [x1, y1, x2, y2].
fn boxes(pdf: &Path) -> std::collections::BTreeMap<String, Vec<f32>> {
    let objects = common::qpdf_objects(pdf);
    let page = objects
        .values()
        .find(|v| v["/Type"] == "/Page")
        .expect("a page object");
    ["/MediaBox", "/BleedBox", "/TrimBox", "/CropBox"]
        .iter()
        .filter_map(|k| {
            let v = page.get(*k)?.as_array()?;
            Some((
                k.to_string(),
                v.iter().map(|n| n.as_f64().unwrap() as f32).collect(),
            ))
        })
        .collect()
}

/// A grey-level image rendered by MuPDF: width, height, pixels (0 black … 255 white).
fn render_gray(pdf: &Path, dpi: u32, dir: &Path) -> (usize, usize, Vec<u8>) {
    let out = dir.join("page.pgm");
    tool(
        "mutool",
        &[
            "draw",
            "-q",
            "-r",
            &dpi.to_string(),
            "-c",
            "gray",
            "-o",
            out.to_str().unwrap(),
            pdf.to_str().unwrap(),
            "1",
        ],
    );
    let bytes = fs::read(&out).unwrap();
    // P5 <w> <h> <max>\n<pixels>
    let mut fields = Vec::new();
    let mut i = 0;
    while fields.len() < 4 {
        while bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let start = i;
        while !bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        fields.push(String::from_utf8_lossy(&bytes[start..i]).into_owned());
    }
    assert_eq!(fields[0], "P5");
    let (w, h): (usize, usize) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    let pixels = bytes[i + 1..].to_vec();
    assert_eq!(pixels.len(), w * h);
    (w, h, pixels)
}

#[test]
fn print_shop_boxes_bleed_marks_and_pdfx_4() {
    let dir = tempfile::tempdir().unwrap();
    let src = root().join(SAMPLE);
    let args = [
        "render",
        src.to_str().unwrap(),
        "--print-shop",
        "--pdfx",
        "4",
        "-o",
        "shop.pdf",
    ];
    let r = run(dir.path(), &args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let pdf = dir.path().join("shop.pdf");
    // Reproducible: the same bytes again (the XMP's document id is a hash, not random).
    let first = fs::read(&pdf).unwrap();
    assert_eq!(run(dir.path(), &args).code, 0);
    assert_eq!(
        fs::read(&pdf).unwrap(),
        first,
        "PDF/X output is reproducible"
    );
    let check = tool("qpdf", &["--check", pdf.to_str().unwrap()]);
    assert!(
        check.contains("No syntax or stream encoding errors"),
        "{check}"
    );

    // Boxes (qpdf): the trim is the Letter page at the origin, the bleed 3 mm around it, the
    // media a slug for the marks further out; no CropBox (it would default to the media).
    let b = boxes(&pdf);
    let bleed = 3.0 * MM;
    let close = |a: &[f32], e: [f32; 4]| a.iter().zip(e).all(|(x, y)| (x - y).abs() < 0.02);
    assert!(close(&b["/TrimBox"], [0.0, 0.0, 612.0, 792.0]), "{b:?}");
    assert!(
        close(
            &b["/BleedBox"],
            [-bleed, -bleed, 612.0 + bleed, 792.0 + bleed]
        ),
        "{b:?}"
    );
    let m = -b["/MediaBox"][0];
    assert!(m > bleed + 15.0 && m < bleed + 30.0, "slug {m}");
    assert!(
        close(&b["/MediaBox"], [-m, -m, 612.0 + m, 792.0 + m]),
        "{b:?}"
    );
    assert!(!b.contains_key("/CropBox"));
    // poppler agrees.
    let info = tool("pdfinfo", &["-box", pdf.to_str().unwrap()]);
    assert!(
        info.contains("TrimBox:             0.00     0.00   612.00   792.00"),
        "{info}"
    );

    // Text stays inside the trim, within the side margins (1 in, the sample's quire.yaml);
    // pdftotext's coordinates run from the media box's top-left corner.
    let words = tool("pdftotext", &["-bbox", pdf.to_str().unwrap(), "-"]);
    let mut n = 0;
    for line in words
        .lines()
        .filter(|l| l.trim_start().starts_with("<word"))
    {
        let attr = |k: &str| -> f32 {
            line.split(&format!("{k}=\""))
                .nth(1)
                .and_then(|s| s.split('"').next())
                .and_then(|s| s.parse().ok())
                .unwrap()
        };
        let (x1, y1, x2, y2) = (
            attr("xMin") - m,
            attr("yMin") - m,
            attr("xMax") - m,
            attr("yMax") - m,
        );
        // Within the margins, but for hanging punctuation (optical margin alignment lets a
        // comma or a hyphen protrude into the margin by a fraction of an em).
        assert!(x1 >= 72.0 - 6.0 && x2 <= 612.0 - 72.0 + 6.0, "{line}");
        assert!(y1 >= 0.0 && y2 <= 792.0, "{line}");
        n += 1;
    }
    assert!(n > 300, "{n} words");

    // The marks, by pixel in MuPDF's rendering of the whole sheet (the media box) at 288 dpi:
    // dark on the crop marks' lines and the registration marks' centres, white inside the
    // bleed next to them.
    let dpi = 288.0;
    let (w, h, px) = render_gray(&pdf, dpi as u32, dir.path());
    let s = dpi / 72.0;
    let at = |x: f32, y: f32| -> u8 {
        // PDF (x, y up from the trim's corner) -> pixel (from the media box's top-left).
        let (col, row) = (((x + m) * s) as usize, ((792.0 + m - y) * s) as usize);
        assert!(col < w && row < h);
        // The darkest of the 3x3 pixels around: a 0.25 pt hairline is one pixel at 288 dpi.
        let mut v = 255;
        for r in row.saturating_sub(1)..=row + 1 {
            for c in col.saturating_sub(1)..=col + 1 {
                v = v.min(px[r * w + c]);
            }
        }
        v
    };
    let mark = bleed + 2.0 + 7.0; // halfway along a crop mark, outside the bleed
    for (x, y) in [
        (-mark, 0.0),
        (0.0, -mark),
        (612.0 + mark, 792.0),
        (612.0, 792.0 + mark),
    ] {
        assert!(at(x, y) < 128, "no crop mark at ({x}, {y}): {}", at(x, y));
    }
    for (x, y) in [
        (306.0, -mark),
        (306.0, 792.0 + mark),
        (-mark, 396.0),
        (612.0 + mark, 396.0),
    ] {
        assert!(at(x, y) < 128, "no registration mark at ({x}, {y})");
    }
    for (x, y) in [
        (-bleed / 2.0, -bleed / 2.0),
        (612.0 + bleed / 2.0, 792.0 + bleed / 2.0),
    ] {
        assert!(at(x, y) > 250, "ink inside the bleed at ({x}, {y})");
    }

    // PDF/X-4 (lopdf): version, the CMYK output intent, DeviceRGB made ICC-based, XMP.
    let doc = Document::load(&pdf).unwrap();
    assert_eq!(doc.version, "1.6");
    let catalog = doc.catalog().unwrap();
    let intents = catalog
        .get(b"OutputIntents")
        .and_then(Object::as_array)
        .unwrap();
    assert_eq!(intents.len(), 1);
    let intent = doc.dereference(&intents[0]).unwrap().1.as_dict().unwrap();
    assert_eq!(intent.get(b"S").unwrap().as_name().unwrap(), b"GTS_PDFX");
    assert_eq!(
        intent
            .get(b"OutputConditionIdentifier")
            .unwrap()
            .as_str()
            .unwrap(),
        b"FOGRA39"
    );
    let profile = doc
        .get_object(
            intent
                .get(b"DestOutputProfile")
                .unwrap()
                .as_reference()
                .unwrap(),
        )
        .unwrap()
        .as_stream()
        .unwrap();
    assert_eq!(profile.dict.get(b"N").unwrap().as_i64().unwrap(), 4);
    // Embedded as stored, deflated once at level 9, not at every render (the fuzzer's render
    // target timed out on a PDF/X issue when it was deflated each time: 5x a plain render).
    assert_eq!(profile.content.len(), 779_459);
    let icc = profile.decompressed_content().unwrap();
    assert_eq!(&icc[12..20], b"prtrCMYK", "an output profile of CMYK");
    for (_, page) in doc.get_pages() {
        let res = doc.get_dictionary(page).unwrap().get(b"Resources").unwrap();
        let res = doc.dereference(res).unwrap().1.as_dict().unwrap();
        let spaces = res.get(b"ColorSpace").and_then(Object::as_dict).unwrap();
        assert!(
            spaces.get(b"DefaultRGB").is_ok(),
            "DeviceRGB is ICC-based sRGB"
        );
    }
    let xmp_id = catalog.get(b"Metadata").unwrap().as_reference().unwrap();
    let xmp = doc.get_object(xmp_id).unwrap().as_stream().unwrap();
    let xmp = String::from_utf8(xmp.decompressed_content().unwrap_or(xmp.content.clone())).unwrap();
    let xml = roxmltree::Document::parse(&xmp).expect("the XMP is well-formed XML");
    let value = |ns: &str, name: &str| {
        xml.descendants()
            .find(|n| n.tag_name().namespace() == Some(ns) && n.tag_name().name() == name)
            .and_then(|n| n.text())
            .map(str::to_string)
    };
    let pdfxid = "http://www.npes.org/pdfx/ns/id/";
    let mm = "http://ns.adobe.com/xap/1.0/mm/";
    assert_eq!(value(pdfxid, "GTS_PDFXVersion").as_deref(), Some("PDF/X-4"));
    assert_eq!(
        value("http://ns.adobe.com/pdf/1.3/", "Trapped").as_deref(),
        Some("False")
    );
    assert!(value(mm, "DocumentID").unwrap().starts_with("uuid:"));
    assert_eq!(value(mm, "RenditionClass").as_deref(), Some("default"));
    let info = doc.trailer.get(b"Info").unwrap().as_reference().unwrap();
    let info = doc.get_dictionary(info).unwrap();
    assert_eq!(
        info.get(b"GTS_PDFXVersion").unwrap().as_str().unwrap(),
        b"PDF/X-4"
    );
    assert_eq!(info.get(b"Trapped").unwrap().as_name().unwrap(), b"False");
}

/// Every colour operator of every page's content, with its operands.
fn colour_ops(pdf: &Path) -> Vec<(String, Vec<f32>)> {
    let doc = Document::load(pdf).unwrap();
    let mut ops = Vec::new();
    for (_, page) in doc.get_pages() {
        let content = doc.get_page_content(page);
        for op in lopdf::content::Content::decode(&content)
            .unwrap()
            .operations
        {
            if ["rg", "RG", "k", "K", "g", "G", "sc", "scn", "SC", "SCN"]
                .contains(&op.operator.as_str())
            {
                let v = op
                    .operands
                    .iter()
                    .filter_map(|o| o.as_float().ok())
                    .collect();
                ops.push((op.operator, v));
            }
        }
    }
    ops
}

#[test]
fn grey_proofs_have_no_colour_left() {
    let dir = tempfile::tempdir().unwrap();
    let src = root().join(SAMPLE);
    let s = src.to_str().unwrap();
    assert_eq!(run(dir.path(), &["render", s, "-o", "colour.pdf"]).code, 0);
    assert_eq!(
        run(dir.path(), &["render", s, "--grey", "-o", "grey.pdf"]).code,
        0
    );
    let coloured = colour_ops(&dir.path().join("colour.pdf"));
    assert!(
        coloured
            .iter()
            .any(|(_, v)| v.len() == 3 && (v[0] != v[1] || v[1] != v[2])),
        "the plain render has the accent colour"
    );
    let grey = colour_ops(&dir.path().join("grey.pdf"));
    assert!(!grey.is_empty());
    for (op, v) in &grey {
        assert!(v.iter().all(|c| *c == v[0]), "{op} {v:?} is not a grey");
    }
    // The navy accent (0.11 0.23 0.42) becomes a dark grey of its luminance, not black.
    assert!(
        grey.iter().any(|(_, v)| (0.2..0.3).contains(&v[0])),
        "{grey:?}"
    );
    // The same words either way.
    let text = |f: &str| tool("pdftotext", &[dir.path().join(f).to_str().unwrap(), "-"]);
    assert_eq!(text("colour.pdf"), text("grey.pdf"));
}

#[test]
fn rich_black_false_prints_text_in_black_ink_only() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("quire.yaml"),
        "print:\n  rich_black: false\n",
    )
    .unwrap();
    fs::copy(root().join(SAMPLE), dir.path().join("issue.txt")).unwrap();
    let r = run(dir.path(), &["render", "issue.txt", "--pdfx", "4"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let ops = colour_ops(&dir.path().join("issue.pdf"));
    assert!(ops
        .iter()
        .any(|(op, v)| op == "k" && v == &[0.0, 0.0, 0.0, 1.0]));
    assert!(
        !ops.iter()
            .any(|(op, v)| (op == "rg" || op == "RG") && v.iter().all(|c| *c == 0.0)),
        "no RGB black left: {ops:?}"
    );
}

#[test]
fn print_options_that_cannot_go_together_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(root().join(SAMPLE), dir.path().join("issue.txt")).unwrap();
    for (args, says) in [
        (
            vec!["--booklet", "--print-shop"],
            "imposes the pages itself",
        ),
        (vec!["--pdfx", "4", "--pdfa", "2b"], "different files"),
    ] {
        let mut all = vec!["render", "issue.txt"];
        all.extend(args.iter());
        let r = run(dir.path(), &all);
        assert_eq!(r.code, 1, "{args:?}: {}", r.stderr);
        assert!(
            r.stderr.contains("issue.txt") && r.stderr.contains(says),
            "{}",
            r.stderr
        );
        assert!(
            !dir.path().join("issue.pdf").exists(),
            "no output for {args:?}"
        );
    }
    let r = run(dir.path(), &["render", "issue.txt", "--pdfx", "1a"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("use 4"), "{}", r.stderr);
    // A signature that is not a multiple of 4, named with its file and line.
    fs::write(
        dir.path().join("quire.yaml"),
        "language: en\nprint:\n  signature: 10\n",
    )
    .unwrap();
    let r = run(dir.path(), &["render", "issue.txt", "--booklet"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("quire.yaml:3"), "{}", r.stderr);
    assert!(r.stderr.contains("multiple of 4"), "{}", r.stderr);
    assert!(!dir.path().join("issue.pdf").exists());
}

/// A page's words without the spaces and line breaks between them.
fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn export_writes_booklets_and_binds_a_volume_in_signatures() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    fs::create_dir(&input).unwrap();
    for (fixture, name) in [
        ("a4-4", "2017-04"),
        ("a4-8", "2017-08"),
        ("a4-12", "2017-12"),
    ] {
        fs::copy(
            root().join(format!("tests/fixtures/print/{fixture}.txt")),
            input.join(format!("{name}.txt")),
        )
        .unwrap();
    }
    fs::write(
        input.join("quire.yaml"),
        "paper: a4\nprint:\n  signature: 8\n",
    )
    .unwrap();
    let args = ["export", "in", "-o", "out", "--volumes", "--booklet", "-q"];
    let r = run(dir.path(), &args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let out = dir.path().join("out");
    for name in ["2017-04", "2017-08", "2017-12", "volume-2017"] {
        assert!(out.join(format!("{name}.booklet.pdf")).is_file(), "{name}");
    }
    let manifest: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["volumes"][0]["booklet"], "volume-2017.booklet.pdf");
    assert_eq!(
        manifest["issues"][0]["booklet_sha256"]
            .as_str()
            .unwrap()
            .len(),
        64
    );

    // The volume's booklet: signatures of 8 pages, each folded on its own; every half sheet
    // holds the page of the reader's copy with the same words.
    let reader = out.join("volume-2017.pdf");
    let booklet = out.join("volume-2017.booklet.pdf");
    let n = pages(&reader);
    let page_text: Vec<String> = (1..=n)
        .map(|k| {
            let k = k.to_string();
            squeeze(&tool(
                "pdftotext",
                &["-f", &k, "-l", &k, reader.to_str().unwrap(), "-"],
            ))
        })
        .collect();
    let (w, h) = page_size(&reader, 1);
    let half = |side: usize, x: f32| -> Option<usize> {
        let text = squeeze(&text_in(&booklet, side, (x, 0.0, w - 1.0, h)));
        if text.is_empty() {
            return None;
        }
        let k = page_text.iter().position(|p| *p == text);
        Some(k.unwrap_or_else(|| panic!("side {side} x {x}: no page reads {text:?}")) + 1)
    };
    let padded = n.div_ceil(4) * 4;
    let sides = pages(&booklet);
    assert_eq!(sides, padded / 2);
    let got: Vec<(Option<usize>, Option<usize>)> = (1..=sides)
        .map(|s| (half(s, 0.0), half(s, w + 1.0)))
        .collect();
    // 4 + 8 + 12 pages and the title and contents pages: 26, padded to 28 (two blanks before
    // the back cover: the last issue ends with its address block on a page of its own), in
    // signatures of 8, 8, 8 and 4 pages, each in saddle order.
    assert_eq!(n, 26);
    let at = positions(n, true);
    let mut want = Vec::new();
    for (first, chunk) in (0..padded).step_by(8).map(|f| (f, (padded - f).min(8))) {
        for (l, r) in saddle(chunk) {
            want.push((at[first + l - 1], at[first + r - 1]));
        }
    }
    assert_eq!(got, want, "{n} pages in signatures of 8");

    // Up to date when run again; without --booklet the booklets go as stale outputs.
    let r = run(dir.path(), &args);
    assert!(r.stderr.is_empty(), "{}", r.stderr);
    assert!(
        r.stdout.contains("0 rendered, 3 up to date"),
        "{}",
        r.stdout
    );
    let r = run(dir.path(), &["export", "in", "-o", "out", "--volumes"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("removed 4 stale outputs"), "{}", r.stdout);
    assert!(!out.join("2017-04.booklet.pdf").exists());
    assert!(out.join("2017-04.pdf").is_file());
}

#[test]
fn booklet_of_one_page_has_a_blank_back_and_inside() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("one.txt"),
        "NEWSLETTER Issue 1 of 2017\n\nShort\n\nOne paragraph only.\n",
    )
    .unwrap();
    let r = run(
        dir.path(),
        &["render", "one.txt", "--paper", "a4", "--booklet"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let booklet = dir.path().join("one.booklet.pdf");
    assert_eq!(pages(&booklet), 2);
    let (w, h) = (420.9, 595.3);
    assert_eq!(page_in(&booklet, 1, (0.0, 0.0, w - 1.0, h)), None);
    assert_eq!(page_in(&booklet, 1, (w + 1.0, 0.0, w - 1.0, h)), Some(1));
    assert!(text_in(&booklet, 2, (0.0, 0.0, 2.0 * w, h))
        .trim()
        .is_empty());
    let check = tool("qpdf", &["--check", booklet.to_str().unwrap()]);
    assert!(
        check.contains("No syntax or stream encoding errors"),
        "{check}"
    );
}

#[test]
fn check_reports_print_options_that_cannot_go_together() {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(root().join(SAMPLE), dir.path().join("issue.txt")).unwrap();
    fs::write(
        dir.path().join("quire.yaml"),
        "print:\n  booklet: true\n  bleed: 3mm\n",
    )
    .unwrap();
    let r = run(dir.path(), &["check", "issue.txt"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("issue.txt") && r.stderr.contains("one or the other"),
        "{}",
        r.stderr
    );
    fs::write(dir.path().join("quire.yaml"), "print:\n  booklet: true\n").unwrap();
    let r = run(dir.path(), &["check", "issue.txt"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}
