//! PDF/A-2b and PDF/A-3b (`--pdfa`, `pdfa:`) end to end: the real binary, the files read back
//! with independent readers — qpdf (`--check`, `--show-attachment`), lopdf for the object
//! graph, roxmltree for the XMP, ttf-parser for the embedded font programs, pdftotext — and
//! `quire extract`.
//!
//! What these checks cover of ISO 19005-2/-3 and what they cannot is written down in the
//! README ("PDF/A").

mod common;

use lopdf::{Dictionary, Document, Object};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const SAMPLE: &str = "issues/embassy-newsletter-2017-04.txt";
const SAMPLE_YAML: &str = "issues/quire.yaml";
const LINKS: &str = "tests/fixtures/render/long-12-sections.txt";
const JAPANESE: &str = "tests/fixtures/render/ja.txt";
/// 2017-04-01T00:00:00Z: fixed time for reproducible output.
const EPOCH: &str = "1491004800";
/// The issue's budget for the sample as PDF/A-3b, ICC profile and sources included.
const MAX_SAMPLE_3B: usize = 50_000;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Run quire in `cwd` with SOURCE_DATE_EPOCH set.
fn quire_in(cwd: &Path, args: &[&str]) -> Output {
    let o = Command::new(env!("CARGO_BIN_EXE_quire"))
        .args(args)
        .current_dir(cwd)
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .output()
        .expect("run quire");
    common::keep_output(cwd, args);
    o
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Render `src` (relative to the repository) into a fresh temp dir; (guard, pdf path).
fn render(src: &str, extra: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.pdf");
    let mut args = vec!["render", src, "-o", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    let o = quire_in(&root(), &args);
    assert!(o.status.success(), "render {src} {extra:?}: {}", stderr(&o));
    (dir, out)
}

fn tool(cmd: &str, args: &[&str]) -> Output {
    Command::new(cmd)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{cmd} missing ({e}): run scripts/test, which installs it"))
}

fn assert_qpdf_clean(pdf: &Path) {
    let o = tool("qpdf", &["--check", pdf.to_str().unwrap()]);
    let out = String::from_utf8_lossy(&o.stdout).into_owned() + &stderr(&o);
    assert!(o.status.success(), "qpdf --check {}: {out}", pdf.display());
    assert!(out.contains("No syntax or stream encoding errors"), "{out}");
    assert!(
        !out.to_lowercase().contains("warning"),
        "qpdf warnings: {out}"
    );
}

fn load(pdf: &Path) -> Document {
    Document::load(pdf).expect("lopdf reads the PDF")
}

fn deref<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    match o {
        Object::Reference(id) => doc.get_object(*id).expect("reference resolves"),
        other => other,
    }
}

fn dict<'a>(doc: &'a Document, d: &'a Dictionary, key: &str) -> &'a Dictionary {
    deref(
        doc,
        d.get(key.as_bytes())
            .unwrap_or_else(|_| panic!("no /{key}")),
    )
    .as_dict()
    .unwrap_or_else(|_| panic!("/{key} is not a dictionary"))
}

fn name<'a>(doc: &'a Document, d: &'a Dictionary, key: &str) -> &'a [u8] {
    deref(
        doc,
        d.get(key.as_bytes())
            .unwrap_or_else(|_| panic!("no /{key}")),
    )
    .as_name()
    .unwrap_or_else(|_| panic!("/{key} is not a name"))
}

/// A PDF text string as Rust text (UTF-16BE with BOM, else ASCII/Latin-1).
fn text(o: &Object) -> String {
    let Object::String(b, _) = o else {
        panic!("not a string: {o:?}")
    };
    match b.strip_prefix(&[0xFE, 0xFF]) {
        Some(rest) => {
            let units: Vec<u16> = rest
                .chunks(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16(&units).unwrap()
        }
        None => b.iter().map(|&c| char::from(c)).collect(),
    }
}

fn info(doc: &Document) -> &Dictionary {
    let id = doc.trailer.get(b"Info").unwrap().as_reference().unwrap();
    doc.get_dictionary(id).unwrap()
}

/// The XMP packet's bytes (the catalog's /Metadata, which must not be filtered).
fn xmp_bytes(doc: &Document) -> Vec<u8> {
    let catalog = doc.catalog().unwrap();
    let stream = deref(doc, catalog.get(b"Metadata").unwrap())
        .as_stream()
        .expect("/Metadata is a stream");
    assert!(
        stream.dict.get(b"Filter").is_err(),
        "the XMP stream is left unfiltered"
    );
    assert_eq!(name(doc, &stream.dict, "Subtype"), b"XML");
    stream.content.clone()
}

const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
const DC: &str = "http://purl.org/dc/elements/1.1/";
const PDF: &str = "http://ns.adobe.com/pdf/1.3/";
const XMP: &str = "http://ns.adobe.com/xap/1.0/";
const PDFAID: &str = "http://www.aiim.org/pdfa/ns/id/";

/// XMP properties by (namespace, local name): the text of simple properties, the items of
/// rdf:Alt/Seq/Bag joined by "; ". Parsed with an XML parser, namespaces resolved.
fn xmp_properties(xmp: &[u8]) -> BTreeMap<(String, String), String> {
    let xml = std::str::from_utf8(xmp).expect("XMP is UTF-8");
    let doc = roxmltree::Document::parse(xml).expect("XMP parses as XML");
    let mut out = BTreeMap::new();
    for desc in doc
        .descendants()
        .filter(|n| n.has_tag_name((RDF, "Description")))
    {
        assert_eq!(desc.attribute((RDF, "about")), Some(""), "rdf:about=\"\"");
        for prop in desc.children().filter(|n| n.is_element()) {
            let ns = prop.tag_name().namespace().unwrap_or("").to_string();
            let local = prop.tag_name().name().to_string();
            let items: Vec<String> = prop
                .descendants()
                .filter(|n| n.has_tag_name((RDF, "li")))
                .map(|n| n.text().unwrap_or("").to_string())
                .collect();
            let value = if items.is_empty() {
                prop.text().unwrap_or("").to_string()
            } else {
                items.join("; ")
            };
            assert!(
                out.insert((ns, local.clone()), value).is_none(),
                "{local} twice"
            );
        }
    }
    out
}

/// "D:20170401000000+00'00'" -> "2017-04-01T00:00:00Z" (quire writes UTC only).
fn pdf_date_as_xmp(d: &str) -> String {
    let d = d.strip_prefix("D:").expect("a PDF date");
    assert!(d.ends_with("+00'00'") || d.ends_with('Z'), "UTC: {d}");
    format!(
        "{}-{}-{}T{}:{}:{}Z",
        &d[0..4],
        &d[4..6],
        &d[6..8],
        &d[8..10],
        &d[10..12],
        &d[12..14]
    )
}

/// The XMP identification and its agreement with Info, entry by entry (ISO 19005-2 §6.6.3,
/// §6.6.4); returns the properties.
fn assert_xmp_matches_info(doc: &Document, part: &str) -> BTreeMap<(String, String), String> {
    let props = xmp_properties(&xmp_bytes(doc));
    let get = |ns: &str, k: &str| {
        props
            .get(&(ns.to_string(), k.to_string()))
            .cloned()
            .unwrap_or_else(|| panic!("XMP has no {k}: {props:?}"))
    };
    assert_eq!(get(PDFAID, "part"), part);
    assert_eq!(get(PDFAID, "conformance"), "B");
    let info = info(doc);
    let entry = |k: &str| {
        text(
            info.get(k.as_bytes())
                .unwrap_or_else(|_| panic!("Info /{k}")),
        )
    };
    assert_eq!(get(DC, "title"), entry("Title"));
    assert_eq!(get(DC, "creator"), entry("Author"));
    assert_eq!(get(DC, "description"), entry("Subject"));
    assert_eq!(get(PDF, "Keywords"), entry("Keywords"));
    assert_eq!(get(PDF, "Producer"), entry("Producer"));
    assert_eq!(get(XMP, "CreatorTool"), entry("Creator"));
    assert_eq!(
        get(XMP, "CreateDate"),
        pdf_date_as_xmp(&entry("CreationDate"))
    );
    assert_eq!(get(XMP, "ModifyDate"), pdf_date_as_xmp(&entry("ModDate")));
    // Every Info entry has its XMP twin (nothing unmatched, e.g. no /Trapped).
    for (k, _) in info.iter() {
        assert!(
            [
                &b"Title"[..],
                b"Author",
                b"Subject",
                b"Keywords",
                b"Producer",
                b"Creator",
                b"CreationDate",
                b"ModDate"
            ]
            .contains(&k.as_slice()),
            "Info /{} has no XMP twin",
            String::from_utf8_lossy(k)
        );
    }
    props
}

/// The sRGB output intent with the bundled profile (ISO 19005-2 §6.2.3).
fn assert_srgb_output_intent(doc: &Document) {
    let catalog = doc.catalog().unwrap();
    let intents = deref(doc, catalog.get(b"OutputIntents").expect("/OutputIntents"))
        .as_array()
        .unwrap();
    assert_eq!(intents.len(), 1);
    let oi = deref(doc, &intents[0]).as_dict().unwrap();
    assert_eq!(name(doc, oi, "Type"), b"OutputIntent");
    assert_eq!(name(doc, oi, "S"), b"GTS_PDFA1");
    assert!(!text(oi.get(b"OutputConditionIdentifier").unwrap()).is_empty());
    let icc = deref(doc, oi.get(b"DestOutputProfile").unwrap())
        .as_stream()
        .expect("/DestOutputProfile is a stream");
    assert_eq!(icc.dict.get(b"N").unwrap().as_i64().unwrap(), 3);
    let profile = icc.decompressed_content().unwrap();
    assert_eq!(
        profile,
        fs::read(root().join("src/pdf/icc/sRGB.icc")).unwrap()
    );
    assert_eq!(
        &profile[16..20],
        b"RGB ",
        "an RGB profile for DeviceRGB content"
    );
    assert!(
        [&b"mntr"[..], b"prtr"].contains(&&profile[12..16]),
        "an output or display profile"
    );
}

/// Header, trailer and the things PDF/A forbids anywhere: encryption, JavaScript, launch
/// actions, additional actions, external streams.
fn assert_file_structure(pdf: &Path, doc: &Document) {
    let bytes = fs::read(pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-1.7\n%"), "header");
    let comment = &bytes[10..14];
    assert!(
        comment.iter().all(|&b| b > 127),
        "binary comment: {comment:?}"
    );
    assert!(doc.trailer.get(b"ID").is_ok(), "trailer /ID");
    assert!(doc.trailer.get(b"Encrypt").is_err(), "no encryption");
    let tail = &bytes[bytes.len() - 6..];
    assert!(tail.ends_with(b"%%EOF") || tail.ends_with(b"%%EOF\n"));
    for (id, o) in &doc.objects {
        let d = match o {
            Object::Dictionary(d) => d,
            Object::Stream(s) => &s.dict,
            _ => continue,
        };
        for forbidden in [
            &b"JS"[..],
            b"JavaScript",
            b"AA",
            b"Launch",
            b"FFilter",
            b"F",
        ] {
            // /F is allowed where it is a file name or flags, not on a stream dictionary.
            if forbidden == b"F" && !matches!(o, Object::Stream(_)) {
                continue;
            }
            assert!(
                d.get(forbidden).is_err(),
                "object {id:?} has /{}",
                String::from_utf8_lossy(forbidden)
            );
        }
        if let Ok(s) = d.get(b"S").and_then(Object::as_name) {
            assert!(
                ![&b"JavaScript"[..], b"Launch", b"ImportData", b"ResetForm"].contains(&s),
                "object {id:?} is a forbidden action"
            );
        }
    }
}

/// Every font embedded, with /W widths that match the font program, ToUnicode, and an
/// Identity /CIDToGIDMap for TrueType outlines (ISO 19005-2 §6.2.11).
fn assert_fonts_embedded_with_widths(doc: &Document) -> usize {
    let mut fonts = 0;
    for o in doc.objects.values() {
        let Object::Dictionary(d) = o else { continue };
        if d.get(b"Type").and_then(Object::as_name).ok() != Some(b"Font")
            || d.get(b"Subtype").and_then(Object::as_name).ok() != Some(b"Type0")
        {
            continue;
        }
        fonts += 1;
        assert!(d.get(b"ToUnicode").is_ok(), "ToUnicode");
        assert_eq!(name(doc, d, "Encoding"), b"Identity-H");
        let descendants = deref(doc, d.get(b"DescendantFonts").unwrap())
            .as_array()
            .unwrap();
        let cid = deref(doc, &descendants[0]).as_dict().unwrap();
        let fd = dict(doc, cid, "FontDescriptor");
        assert!(fd.get(b"CIDSet").is_err(), "no CIDSet to get wrong");
        let subtype = name(doc, cid, "Subtype");
        let program = if subtype == b"CIDFontType2" {
            assert_eq!(name(doc, cid, "CIDToGIDMap"), b"Identity");
            fd.get(b"FontFile2")
        } else {
            assert_eq!(subtype, b"CIDFontType0");
            fd.get(b"FontFile3")
        };
        let program = deref(doc, program.expect("the font program is embedded"))
            .as_stream()
            .unwrap()
            .decompressed_content()
            .unwrap();
        let w = deref(doc, cid.get(b"W").expect("/W widths"))
            .as_array()
            .unwrap();
        assert!(!w.is_empty(), "/W lists the glyphs");
        if subtype != b"CIDFontType2" {
            continue; // a CFF CID font maps CIDs through its charset; its /W is printpdf's
        }
        let face = ttf_parser::Face::parse(&program, 0).expect("FontFile2 parses");
        let upem = f64::from(face.units_per_em());
        let mut i = 0;
        while i + 1 < w.len() {
            let first = w[i].as_i64().unwrap();
            match deref(doc, &w[i + 1]) {
                Object::Array(widths) => {
                    for (k, width) in widths.iter().enumerate() {
                        let gid = ttf_parser::GlyphId((first + k as i64) as u16);
                        let want = f64::from(face.glyph_hor_advance(gid).unwrap()) * 1000.0 / upem;
                        let got = width.as_float().map(f64::from).unwrap();
                        assert!(
                            (got - want).abs() <= 1.0,
                            "glyph {gid:?}: /W {got}, font {want}"
                        );
                    }
                    i += 2;
                }
                _ => i += 3, // c_first c_last w: not written by printpdf
            }
        }
    }
    fonts
}

/// No text-showing operator draws glyph 0, `.notdef` (ISO 19005-2 §6.2.11.8): every font is
/// Identity-H, so each code is two bytes and 0 is `.notdef`. Returns the codes seen.
fn assert_no_notdef(doc: &Document) -> usize {
    let mut codes = 0;
    for (_, page) in doc.get_pages() {
        let content = lopdf::content::Content::decode(&doc.get_page_content(page))
            .expect("the content stream parses");
        for op in &content.operations {
            let strings: Vec<&[u8]> = match op.operator.as_str() {
                "Tj" | "'" => op.operands.iter().filter_map(|o| o.as_str().ok()).collect(),
                "TJ" => op
                    .operands
                    .iter()
                    .filter_map(|o| o.as_array().ok())
                    .flatten()
                    .filter_map(|o| o.as_str().ok())
                    .collect(),
                _ => continue,
            };
            for s in strings {
                for code in s.chunks(2) {
                    assert_ne!(code, [0, 0], "a .notdef glyph is shown");
                    codes += 1;
                }
            }
        }
    }
    codes
}

/// Link annotations printable, URI actions only (ISO 19005-2 §6.3.2, §6.5.1); their count.
fn assert_annotations(doc: &Document) -> usize {
    let mut links = 0;
    for (_, page) in doc.get_pages() {
        let page = doc.get_dictionary(page).unwrap();
        let Ok(annots) = page.get(b"Annots") else {
            continue;
        };
        for a in deref(doc, annots).as_array().unwrap() {
            let a = deref(doc, a).as_dict().unwrap();
            assert_eq!(a.get(b"F").unwrap().as_i64().unwrap(), 4, "print flag only");
            assert_eq!(name(doc, a, "Subtype"), b"Link");
            let action = dict(doc, a, "A");
            assert_eq!(name(doc, action, "S"), b"URI");
            links += 1;
        }
    }
    links
}

/// The catalog's attached files: /AF and the /EmbeddedFiles name tree list the same file
/// specifications, each a source with /F, /UF, a MIME type and a /ModDate; name -> bytes.
fn assert_attachments(doc: &Document) -> BTreeMap<String, Vec<u8>> {
    let catalog = doc.catalog().unwrap();
    let af = deref(doc, catalog.get(b"AF").expect("/AF"))
        .as_array()
        .unwrap();
    let tree = dict(doc, dict(doc, catalog, "Names"), "EmbeddedFiles");
    let names = deref(doc, tree.get(b"Names").unwrap()).as_array().unwrap();
    assert_eq!(names.len(), af.len() * 2, "/AF and the name tree agree");
    let created = text(info(doc).get(b"CreationDate").unwrap());
    let mut out = BTreeMap::new();
    let mut keys = Vec::new();
    for pair in names.chunks(2) {
        let key = text(&pair[0]);
        assert!(af.contains(&pair[1]), "{key} is in /AF");
        let spec = deref(doc, &pair[1]).as_dict().unwrap();
        assert_eq!(name(doc, spec, "Type"), b"Filespec");
        assert_eq!(name(doc, spec, "AFRelationship"), b"Source");
        assert_eq!(text(spec.get(b"UF").unwrap()), key);
        assert!(!text(spec.get(b"F").unwrap()).is_empty());
        let ef = dict(doc, spec, "EF");
        let stream = deref(doc, ef.get(b"F").unwrap()).as_stream().unwrap();
        assert_eq!(name(doc, &stream.dict, "Type"), b"EmbeddedFile");
        let mime = String::from_utf8(name(doc, &stream.dict, "Subtype").to_vec()).unwrap();
        assert!(mime.contains('/'), "a MIME type: {mime}");
        let params = dict(doc, &stream.dict, "Params");
        assert_eq!(text(params.get(b"ModDate").unwrap()), created);
        let bytes = stream.decompressed_content().unwrap();
        assert_eq!(
            params.get(b"Size").unwrap().as_i64().unwrap(),
            bytes.len() as i64
        );
        keys.push(key.clone());
        out.insert(key, bytes);
    }
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted, "the name tree is sorted");
    out
}

fn pdftotext(pdf: &Path) -> String {
    let o = tool("pdftotext", &["-enc", "UTF-8", pdf.to_str().unwrap(), "-"]);
    assert!(o.status.success());
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn pdfa_2b_sample_is_identified_and_in_step_with_info() {
    let (_d, pdf) = render(SAMPLE, &["--pdfa", "2b"]);
    assert_qpdf_clean(&pdf);
    let doc = load(&pdf);
    assert_file_structure(&pdf, &doc);
    let props = assert_xmp_matches_info(&doc, "2");
    assert_eq!(
        props[&(DC.to_string(), "title".to_string())],
        "China Releases First Strategy"
    );
    assert_srgb_output_intent(&doc);
    assert!(assert_fonts_embedded_with_widths(&doc) >= 2);
    assert!(assert_no_notdef(&doc) > 1000);
    // PDF/A-2 allows only PDF/A files as attachments: 2b carries none.
    let catalog = doc.catalog().unwrap();
    assert!(catalog.get(b"AF").is_err() && catalog.get(b"Names").is_err());
    let text = pdftotext(&pdf);
    assert!(text.contains("China Releases First Strategy"), "{text}");
    assert!(text.contains("Ⅳ"));
}

#[test]
fn pdfa_links_are_printable_uri_annotations() {
    let (_d, pdf) = render(LINKS, &["--pdfa", "2b"]);
    assert_qpdf_clean(&pdf);
    let doc = load(&pdf);
    assert_file_structure(&pdf, &doc);
    assert!(assert_annotations(&doc) > 0, "the fixture has links");
    assert_xmp_matches_info(&doc, "2");
}

#[test]
fn pdfa_cjk_fonts_are_embedded() {
    let (_d, pdf) = render(JAPANESE, &["--pdfa", "3b"]);
    assert_qpdf_clean(&pdf);
    let doc = load(&pdf);
    assert!(assert_fonts_embedded_with_widths(&doc) >= 2);
    assert!(assert_no_notdef(&doc) > 100);
    assert_srgb_output_intent(&doc);
    let files = assert_attachments(&doc);
    assert_eq!(files["ja.txt"], fs::read(root().join(JAPANESE)).unwrap());
}

#[test]
fn pdfa_3b_attaches_the_source_and_quire_yaml_byte_exact() {
    let (dir, pdf) = render(SAMPLE, &["--pdfa", "3b"]);
    assert_qpdf_clean(&pdf);
    let doc = load(&pdf);
    assert_file_structure(&pdf, &doc);
    assert_xmp_matches_info(&doc, "3");
    assert_srgb_output_intent(&doc);
    let source = fs::read(root().join(SAMPLE)).unwrap();
    let yaml = fs::read(root().join(SAMPLE_YAML)).unwrap();
    let files = assert_attachments(&doc);
    let names: Vec<&str> = files.keys().map(String::as_str).collect();
    assert_eq!(names, ["embassy-newsletter-2017-04.txt", "quire.yaml"]);
    assert_eq!(files["embassy-newsletter-2017-04.txt"], source);
    assert_eq!(files["quire.yaml"], yaml);

    // An independent reader: qpdf's own attachment code.
    for (key, want) in [
        ("embassy-newsletter-2017-04.txt", &source),
        ("quire.yaml", &yaml),
    ] {
        let o = tool(
            "qpdf",
            &[&format!("--show-attachment={key}"), pdf.to_str().unwrap()],
        );
        assert!(o.status.success(), "qpdf --show-attachment: {}", stderr(&o));
        assert_eq!(&o.stdout, want, "{key} via qpdf");
    }

    // quire extract, into a folder of its own.
    let out = dir.path().join("extracted");
    let o = quire_in(
        dir.path(),
        &[
            "extract",
            pdf.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "extract: {}", stderr(&o));
    assert_eq!(
        fs::read(out.join("embassy-newsletter-2017-04.txt")).unwrap(),
        source
    );
    assert_eq!(fs::read(out.join("quire.yaml")).unwrap(), yaml);
    let listed = quire_in(dir.path(), &["extract", pdf.to_str().unwrap(), "--list"]);
    let listed = String::from_utf8_lossy(&listed.stdout).into_owned();
    assert!(
        listed.contains("embassy-newsletter-2017-04.txt\t2880 bytes\ttext/plain\tSource"),
        "{listed}"
    );

    // The extracted text renders to the same PDF: the archive keeps what made it.
    fs::copy(&pdf, dir.path().join("first.pdf")).unwrap();
    let again = out.join("again.pdf");
    let o = quire_in(
        &out,
        &[
            "render",
            "embassy-newsletter-2017-04.txt",
            "-o",
            again.to_str().unwrap(),
            "--pdfa",
            "3b",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(fs::read(&again).unwrap(), fs::read(&pdf).unwrap());

    assert!(pdftotext(&pdf).contains("China Releases First Strategy"));
}

#[test]
fn pdfa_3b_sample_stays_small_and_reproducible() {
    let (_a, one) = render(SAMPLE, &["--pdfa", "3b"]);
    let (_b, two) = render(SAMPLE, &["--pdfa", "3b"]);
    let bytes = fs::read(&one).unwrap();
    assert_eq!(bytes, fs::read(&two).unwrap(), "byte-for-byte reproducible");
    assert!(
        bytes.len() <= MAX_SAMPLE_3B,
        "the sample as PDF/A-3b is {} bytes (budget {MAX_SAMPLE_3B})",
        bytes.len()
    );
    // The plain PDF is unchanged by the option's existence: no PDF/A parts in it.
    let (_c, plain) = render(SAMPLE, &[]);
    let doc = load(&plain);
    let catalog = doc.catalog().unwrap();
    assert!(catalog.get(b"OutputIntents").is_err() && catalog.get(b"AF").is_err());
    assert!(!String::from_utf8_lossy(&xmp_bytes(&doc)).contains("pdfaid"));
}

#[test]
fn pdfa_from_quire_yaml_and_the_command_line_wins() {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(root().join(SAMPLE), dir.path().join("issue.txt")).unwrap();
    let yaml = fs::read_to_string(root().join(SAMPLE_YAML)).unwrap() + "pdfa: 2b\n";
    fs::write(dir.path().join("quire.yaml"), &yaml).unwrap();
    let o = quire_in(dir.path(), &["render", "issue.txt", "-o", "a.pdf"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let doc = load(&dir.path().join("a.pdf"));
    assert_xmp_matches_info(&doc, "2");
    assert_srgb_output_intent(&doc);
    let o = quire_in(
        dir.path(),
        &["render", "issue.txt", "-o", "b.pdf", "--pdfa", "3b"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let doc = load(&dir.path().join("b.pdf"));
    assert_xmp_matches_info(&doc, "3");
    // The yaml attached is the one in force, with its `pdfa:` line.
    assert_eq!(assert_attachments(&doc)["quire.yaml"], yaml.as_bytes());
}

#[test]
fn pdfa_bad_inputs_fail_with_one_line_and_no_output() {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(root().join(SAMPLE), dir.path().join("issue.txt")).unwrap();
    // A bad level on the command line is a usage error.
    let o = quire_in(
        dir.path(),
        &["render", "issue.txt", "-o", "a.pdf", "--pdfa", "1a"],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("not 2b or 3b"), "{}", stderr(&o));
    assert!(!dir.path().join("a.pdf").exists());
    // A bad level in quire.yaml names the file and line.
    fs::write(dir.path().join("quire.yaml"), "language: en\npdfa: 4x\n").unwrap();
    let o = quire_in(dir.path(), &["render", "issue.txt", "-o", "a.pdf"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.starts_with("quire.yaml:2:"), "{err}");
    assert_eq!(
        err.lines().filter(|l| l.contains("error")).count(),
        1,
        "{err}"
    );
    assert!(!dir.path().join("a.pdf").exists());
    fs::remove_file(dir.path().join("quire.yaml")).unwrap();
    // A character no face covers would show .notdef (§6.2.11.8): an error under PDF/A (a
    // warning otherwise).
    fs::write(
        dir.path().join("emoji.txt"),
        "NEWSLETTER\n\nA Visit\n\nThe delegation arrived today \u{1F600} in Washington.\n",
    )
    .unwrap();
    let o = quire_in(
        dir.path(),
        &["render", "emoji.txt", "-o", "e.pdf", "--pdfa", "3b"],
    );
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.starts_with("emoji.txt: error: "), "{err}");
    assert!(err.contains("PDF/A forbids showing .notdef"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(!dir.path().join("e.pdf").exists());
    let o = quire_in(dir.path(), &["render", "emoji.txt", "-o", "e.pdf"]);
    assert!(o.status.success(), "{}", stderr(&o));
    fs::remove_file(dir.path().join("emoji.txt")).unwrap();
    fs::remove_file(dir.path().join("e.pdf")).unwrap();

    // extract: not a PDF, no attachments, missing file.
    for (file, needle) in [
        ("issue.txt", "not a readable PDF"),
        ("nope.pdf", "no such file"),
    ] {
        let o = quire_in(dir.path(), &["extract", file]);
        assert_eq!(o.status.code(), Some(1), "{file}");
        let err = stderr(&o);
        assert!(
            err.starts_with(&format!("{file}: error: {needle}")),
            "{err}"
        );
        assert_eq!(err.lines().count(), 1, "{err}");
    }
    let o = quire_in(dir.path(), &["render", "issue.txt", "-o", "plain.pdf"]);
    assert!(o.status.success());
    let o = quire_in(dir.path(), &["extract", "plain.pdf"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).starts_with("plain.pdf: error: has no attached files"));
    let o = quire_in(dir.path(), &["extract"]);
    assert_eq!(o.status.code(), Some(2), "usage error");
    let before = listing(dir.path());

    // Existing files are kept unless --force; nothing is half-written.
    let o = quire_in(
        dir.path(),
        &["render", "issue.txt", "-o", "a3.pdf", "--pdfa", "3b"],
    );
    assert!(o.status.success());
    fs::write(dir.path().join("issue.txt"), "edited\n").unwrap();
    let o = quire_in(dir.path(), &["extract", "a3.pdf"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("issue.txt: error: already exists"),
        "{}",
        stderr(&o)
    );
    assert_eq!(fs::read(dir.path().join("issue.txt")).unwrap(), b"edited\n");
    let o = quire_in(dir.path(), &["extract", "a3.pdf", "--force"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        fs::read(dir.path().join("issue.txt")).unwrap(),
        fs::read(root().join(SAMPLE)).unwrap()
    );
    assert_eq!(
        listing(dir.path()).len(),
        before.len() + 1,
        "only a3.pdf added"
    );
}

#[test]
fn pdfa_extract_never_overwrites_the_pdf_or_leaves_its_folder() {
    let dir = tempfile::tempdir().unwrap();
    // An issue file named like its PDF: the attachment's name is the PDF's own.
    fs::copy(root().join(SAMPLE), dir.path().join("issue.pdf")).unwrap();
    // Rendered beside it, then moved over it: render refuses to write over its own input.
    let o = quire_in(
        dir.path(),
        &["render", "issue.pdf", "-o", "out.pdf", "--pdfa", "3b"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    fs::rename(dir.path().join("out.pdf"), dir.path().join("issue.pdf")).unwrap();
    let pdf = fs::read(dir.path().join("issue.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    let o = quire_in(dir.path(), &["extract", "issue.pdf", "--force"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("is the PDF being read"),
        "{}",
        stderr(&o)
    );
    assert_eq!(fs::read(dir.path().join("issue.pdf")).unwrap(), pdf);

    // A hostile attachment name (edited in with lopdf) is refused; nothing is written.
    let mut doc = Document::load_mem(&pdf).unwrap();
    for o in doc.objects.values_mut() {
        if let Object::Dictionary(d) = o {
            if d.get(b"Type").and_then(Object::as_name).ok() == Some(b"Filespec") {
                let evil = Object::string_literal("../evil.txt");
                d.set("UF", evil.clone());
                d.set("F", evil);
            }
        }
    }
    let sub = dir.path().join("sub");
    fs::create_dir(&sub).unwrap();
    doc.save(sub.join("evil.pdf")).unwrap();
    let o = quire_in(&sub, &["extract", "evil.pdf", "--force"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("not a plain relative path"),
        "{}",
        stderr(&o)
    );
    assert!(!dir.path().join("evil.txt").exists());
    assert_eq!(listing(&sub), ["evil.pdf"]);
}

fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Every plain file under `dir`, relative, with its bytes.
fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                stack.push(e.path());
            } else {
                let rel = e.path().strip_prefix(dir).unwrap().to_path_buf();
                out.insert(rel, fs::read(e.path()).unwrap());
            }
        }
    }
    out
}

/// A small generated archive (scripts/gen-archive): 8 issues of 2010, one of them broken.
fn archive() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let st = Command::new("python3")
        .arg(root().join("scripts/gen-archive"))
        .arg(dir.path())
        .args(["--issues", "8"])
        .status()
        .expect("python3 runs scripts/gen-archive");
    assert!(st.success());
    dir
}

fn export(dir: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "export",
        dir.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "-q",
    ];
    args.extend_from_slice(extra);
    quire_in(&root(), &args)
}

fn statuses(out: &Path) -> Vec<(String, String, Option<String>)> {
    let m: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("manifest.json")).unwrap()).unwrap();
    m["issues"]
        .as_array()
        .unwrap()
        .iter()
        .chain(m["volumes"].as_array().unwrap())
        .map(|e| {
            (
                e["source"].as_str().unwrap().to_string(),
                e["status"].as_str().unwrap().to_string(),
                e["pdfa"].as_str().map(str::to_string),
            )
        })
        .collect()
}

#[test]
fn pdfa_export_same_bytes_for_j1_and_j2_and_switching_re_renders() {
    let src = archive();
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    export(src.path(), a.path(), &["--pdfa", "2b", "-j", "1"]);
    export(src.path(), b.path(), &["--pdfa", "2b", "-j", "2"]);
    let (fa, fb) = (files(a.path()), files(b.path()));
    assert!(
        fa.keys()
            .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
            .count()
            >= 6
    );
    assert_eq!(fa, fb, "-j 1 and -j 2 give the same files");
    for (p, bytes) in &fa {
        if p.extension().is_some_and(|e| e == "pdf") {
            let doc = Document::load_mem(bytes).unwrap();
            assert_xmp_matches_info(&doc, "2");
            assert_srgb_output_intent(&doc);
        }
    }
    // The manifest records the level; the same run again is up to date.
    let good: Vec<_> = statuses(a.path())
        .into_iter()
        .filter(|(_, s, _)| s != "failed")
        .collect();
    assert!(good
        .iter()
        .all(|(_, s, p)| s == "rendered" && p.as_deref() == Some("2b")));
    export(src.path(), a.path(), &["--pdfa", "2b"]);
    assert!(statuses(a.path())
        .iter()
        .all(|(_, s, _)| s == "up to date" || s == "failed"));
    // Switching the level, or dropping it, renders again.
    for (extra, want) in [(&["--pdfa", "3b"][..], Some("3b")), (&[][..], None)] {
        export(src.path(), a.path(), extra);
        for (source, status, pdfa) in statuses(a.path()) {
            if status != "failed" {
                assert_eq!(status, "rendered", "{source} with {extra:?}");
                assert_eq!(pdfa.as_deref(), want, "{source}");
            }
        }
    }
}

#[test]
fn pdfa_export_3b_issues_and_volume_carry_their_sources() {
    let src = archive();
    let out = tempfile::tempdir().unwrap();
    let o = export(src.path(), out.path(), &["--pdfa", "3b", "--volumes"]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "the broken issue fails: {}",
        stderr(&o)
    );
    let yaml = fs::read(src.path().join("quire.yaml")).unwrap();
    // An issue: its own text under its file name, and quire.yaml; the same bytes as render.
    let issue = out.path().join("2010/2010-01.pdf");
    assert_qpdf_clean(&issue);
    let doc = load(&issue);
    assert_xmp_matches_info(&doc, "3");
    let files = assert_attachments(&doc);
    assert_eq!(
        files["2010-01.txt"],
        fs::read(src.path().join("2010/2010-01.txt")).unwrap()
    );
    assert_eq!(files["quire.yaml"], yaml);
    let rendered = out.path().join("rendered.pdf");
    let o = quire_in(
        &root(),
        &[
            "render",
            src.path().join("2010/2010-01.txt").to_str().unwrap(),
            "-o",
            rendered.to_str().unwrap(),
            "--pdfa",
            "3b",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(fs::read(&rendered).unwrap(), fs::read(&issue).unwrap());
    // The volume: every member's text under its path in DIR, and the quire.yaml.
    let volume = out.path().join("volume-2010.pdf");
    assert_qpdf_clean(&volume);
    let doc = load(&volume);
    assert_xmp_matches_info(&doc, "3");
    let files = assert_attachments(&doc);
    let m: serde_json::Value =
        serde_json::from_slice(&fs::read(out.path().join("manifest.json")).unwrap()).unwrap();
    let entry = m["volumes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["source"] == "volume-2010.pdf")
        .expect("the English newsletter's volume");
    let members = entry["issues"].as_array().unwrap();
    assert!(members.len() >= 2);
    for s in members {
        let s = s.as_str().unwrap();
        assert_eq!(files[s], fs::read(src.path().join(s)).unwrap(), "{s}");
    }
    assert_eq!(files["quire.yaml"], yaml);
    assert_eq!(files.len(), members.len() + 1);
    let x = out.path().join("x");
    let o = quire_in(
        &root(),
        &[
            "extract",
            volume.to_str().unwrap(),
            "-o",
            x.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    for s in members {
        let s = s.as_str().unwrap();
        assert_eq!(
            fs::read(x.join(s)).unwrap(),
            fs::read(src.path().join(s)).unwrap()
        );
    }
}
