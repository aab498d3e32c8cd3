//! PDF/A-2b and PDF/A-3b (ISO 19005-2:2011 and ISO 19005-3:2012, conformance level B): what a
//! quire PDF lacks to claim them, added to the lopdf document after `finish` (and `tags`).
//!
//! A plain quire PDF already meets most of level B: every font is embedded (subset, with /W
//! widths from the font program, ToUnicode, Identity /CIDToGIDMap, no CIDSet), XMP metadata
//! agrees with the Info dictionary, the header has its binary comment, the trailer an /ID;
//! nothing is encrypted, there is no JavaScript, no transparency, no external content, and
//! links are URI actions. This module adds the rest:
//!
//! - the `pdfaid` XMP schema (part 2 or 3, conformance B), in its own `rdf:Description`
//!   (§6.6.4);
//! - an sRGB output intent (`/S /GTS_PDFA1`) whose `/DestOutputProfile` is the bundled ICC
//!   profile `icc/sRGB.icc` (§6.2.3), which makes the content's DeviceRGB colours
//!   device-independent (§6.2.4.3);
//! - the print flag (`/F 4`) on every annotation (§6.3.2);
//! - no `/Trapped` in Info: the XMP has no `pdf:Trapped` to agree with it (§6.6.3);
//! - for 3b only: each [`Attachment`] (the source text, the quire.yaml in force) as an
//!   embedded file with `/AFRelationship /Source`, listed in the catalog's `/AF` array and
//!   `/EmbeddedFiles` name tree (ISO 19005-3 §6.8); its `/Params /ModDate` is the document's
//!   own timestamp, so the bytes stay reproducible.
//!
//! PDF/A-2 forbids embedded files that are not themselves PDF/A (§6.8), so 2b attaches nothing.

use lopdf::{Dictionary, Object, ObjectId, Stream, StringFormat};
use std::fmt;
use std::str::FromStr;

use super::finish::{civil_from_days, text_string};
use super::PdfError;
use crate::layout::{Document, Item};

/// The sRGB profile of the output intent: Debian's icc-profiles-free `sRGB.icc` (zlib licence;
/// see `icc/PROVENANCE.md`).
pub(crate) const SRGB_ICC: &[u8] = include_bytes!("icc/sRGB.icc");

/// The output condition the profile characterises, as registered with the ICC.
const SRGB_CONDITION: &str = "sRGB IEC61966-2.1";

/// A PDF/A conformance level quire writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PdfA {
    /// PDF/A-2b (ISO 19005-2, level B): archival, visual appearance preserved.
    B2,
    /// PDF/A-3b (ISO 19005-3, level B): as 2b, with the source files attached.
    B3,
}

impl PdfA {
    /// `2b` or `3b` (any case; `PDF/A-2b` too) -> the level.
    pub fn parse(s: &str) -> Result<PdfA, String> {
        let t = s.trim().to_ascii_lowercase();
        match t.strip_prefix("pdf/a-").unwrap_or(&t) {
            "2b" => Ok(PdfA::B2),
            "3b" => Ok(PdfA::B3),
            _ => Err(format!("PDF/A level `{s}` is not 2b or 3b")),
        }
    }

    /// The level as written on the command line and in quire.yaml: `2b` or `3b`.
    pub fn as_str(self) -> &'static str {
        match self {
            PdfA::B2 => "2b",
            PdfA::B3 => "3b",
        }
    }

    /// The part of ISO 19005: 2 or 3 (XMP `pdfaid:part`).
    pub fn part(self) -> u8 {
        match self {
            PdfA::B2 => 2,
            PdfA::B3 => 3,
        }
    }

    /// Whether the level carries the source files as attachments (3b).
    pub fn attaches_sources(self) -> bool {
        self == PdfA::B3
    }
}

impl fmt::Display for PdfA {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for PdfA {
    type Err = String;
    fn from_str(s: &str) -> Result<PdfA, String> {
        PdfA::parse(s)
    }
}

/// A file a PDF/A-3 file carries as its source (`/AFRelationship /Source`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// The file's name: a relative path with `/` between folders (`issue.txt`,
    /// `2017/2017-04.txt`); `quire extract` writes it under this name.
    pub name: String,
    /// Its MIME type (`text/plain`, `application/yaml`), the embedded file's `/Subtype`.
    pub mime: String,
    /// What it is, for a viewer's attachment list (`/Desc`).
    pub description: String,
    /// Its bytes, exactly as read.
    pub bytes: Vec<u8>,
}

/// What makes a PDF a PDF/A: the level, and for 3b the files to attach.
#[derive(Debug, Clone, Copy)]
pub struct Archive<'a> {
    /// The conformance claimed.
    pub level: PdfA,
    /// The source files; attached under 3b, ignored under 2b. Names must be distinct.
    pub attachments: &'a [Attachment],
}

/// The XMP `rdf:Description` that claims the level (inserted into `finish`'s packet).
pub(crate) fn xmp_identification(level: PdfA) -> String {
    format!(
        concat!(
            "<rdf:Description rdf:about=\"\" xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">\n",
            "<pdfaid:part>{}</pdfaid:part>\n",
            "<pdfaid:conformance>B</pdfaid:conformance>\n",
            "</rdf:Description>\n"
        ),
        level.part()
    )
}

/// What PDF/A forbids in the laid-out pages themselves: a `.notdef` glyph (id 0), which quire
/// draws for a character no face covers (after warning about it).
pub(crate) fn check(doc: &Document) -> Result<(), PdfError> {
    for (n, page) in doc.pages.iter().enumerate() {
        for item in &page.items {
            if let Item::Text { run, .. } = item {
                if let Some(i) = run.glyphs.iter().position(|g| g.id == 0) {
                    return Err(PdfError::NotdefInPdfA {
                        page: n + 1,
                        text: run.glyph_text(i).to_string(),
                    });
                }
            }
        }
    }
    Ok(())
}

/// Makes the finished document PDF/A `archive.level`: identification in XMP, the output
/// intent, printable annotations, Info without /Trapped, and (3b) the attachments.
pub(crate) fn apply(
    lo: &mut lopdf::Document,
    doc: &Document,
    archive: &Archive,
) -> Result<(), PdfError> {
    rewrite_xmp(lo, doc, archive.level)?;
    tidy_info(lo);
    let intent = output_intent(lo);
    catalog(lo)?.set("OutputIntents", Object::Array(vec![intent]));
    print_annotations(lo);
    if archive.level.attaches_sources() && !archive.attachments.is_empty() {
        attach(lo, doc.meta.timestamp, archive.attachments)?;
    }
    Ok(())
}

fn catalog(lo: &mut lopdf::Document) -> Result<&mut Dictionary, PdfError> {
    lo.catalog_mut()
        .map_err(|e| PdfError::Serialize(format!("no catalog: {e}")))
}

/// Replaces the XMP packet `finish` wrote with the same packet plus the `pdfaid` schema.
fn rewrite_xmp(lo: &mut lopdf::Document, doc: &Document, level: PdfA) -> Result<(), PdfError> {
    let id = catalog(lo)?
        .get(b"Metadata")
        .and_then(Object::as_reference)
        .map_err(|e| PdfError::Serialize(format!("no XMP metadata: {e}")))?;
    let packet = super::finish::xmp_packet(doc, &xmp_identification(level));
    match lo.objects.get_mut(&id) {
        Some(Object::Stream(s)) => {
            s.set_content(packet.into_bytes());
            Ok(())
        }
        _ => Err(PdfError::Serialize(
            "the XMP metadata is not a stream".into(),
        )),
    }
}

/// Info keeps only entries XMP agrees with: /Trapped (printpdf's `/False`) has no XMP twin.
fn tidy_info(lo: &mut lopdf::Document) {
    if let Ok(info_ref) = lo.trailer.get(b"Info").and_then(Object::as_reference) {
        if let Ok(info) = lo.get_dictionary_mut(info_ref) {
            info.remove(b"Trapped");
        }
    }
}

/// The sRGB output intent, its ICC profile stream added to the document.
fn output_intent(lo: &mut lopdf::Document) -> Object {
    // Compressed with the other streams when saved.
    let icc = Stream::new(
        Dictionary::from_iter(vec![
            ("N", Object::Integer(3)),
            ("Alternate", Object::Name(b"DeviceRGB".to_vec())),
        ]),
        SRGB_ICC.to_vec(),
    );
    let icc_id = lo.add_object(icc);
    let literal = |s: &str| Object::String(s.as_bytes().to_vec(), StringFormat::Literal);
    Object::Dictionary(Dictionary::from_iter(vec![
        ("Type", Object::Name(b"OutputIntent".to_vec())),
        ("S", Object::Name(b"GTS_PDFA1".to_vec())),
        ("OutputConditionIdentifier", literal(SRGB_CONDITION)),
        ("RegistryName", literal("http://www.color.org")),
        ("Info", literal(SRGB_CONDITION)),
        ("DestOutputProfile", Object::Reference(icc_id)),
    ]))
}

/// The annotation flags ISO 19005-2 §6.3.2 asks for: Print set; Hidden, Invisible, NoView and
/// ToggleNoView clear.
const PRINT_FLAG: i64 = 4;

/// Sets /F 4 on every annotation, indirect (as `finish` leaves them) or inline in /Annots.
fn print_annotations(lo: &mut lopdf::Document) {
    let is_annot = |d: &Dictionary| {
        d.get(b"Type")
            .and_then(Object::as_name)
            .is_ok_and(|n| n == b"Annot")
            || d.get(b"Subtype")
                .and_then(Object::as_name)
                .is_ok_and(|n| n == b"Link")
    };
    for object in lo.objects.values_mut() {
        let Object::Dictionary(dict) = object else {
            continue;
        };
        if is_annot(dict) {
            dict.set("F", Object::Integer(PRINT_FLAG));
        } else if let Ok(Object::Array(annots)) = dict.get_mut(b"Annots") {
            for a in annots.iter_mut() {
                if let Object::Dictionary(d) = a {
                    d.set("F", Object::Integer(PRINT_FLAG));
                }
            }
        }
    }
}

/// A PDF date (`D:YYYYMMDDHHmmSS+00'00'`, UTC) for seconds since the Unix epoch, written as
/// printpdf writes Info's dates.
fn pdf_date(timestamp: i64) -> String {
    let (y, m, d) = civil_from_days(timestamp.div_euclid(86_400));
    let secs = timestamp.rem_euclid(86_400);
    format!(
        "D:{y:04}{m:02}{d:02}{:02}{:02}{:02}+00'00'",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// The name as a byte string for /F: printable ASCII as is, any other character as `_`
/// (/UF carries the real name).
fn ascii_name(name: &str) -> Object {
    let bytes = name
        .chars()
        .map(|c| {
            if (' '..='~').contains(&c) {
                c as u8
            } else {
                b'_'
            }
        })
        .collect();
    Object::String(bytes, StringFormat::Literal)
}

/// Adds each attachment as an embedded file related to the document as its source: the file
/// specifications in the catalog's /AF and in its /EmbeddedFiles name tree (sorted by name).
fn attach(
    lo: &mut lopdf::Document,
    timestamp: i64,
    attachments: &[Attachment],
) -> Result<(), PdfError> {
    let mut sorted: Vec<&Attachment> = attachments.iter().collect();
    // The name tree's keys are /UF's text strings; byte order of those is the tree's order.
    let key = |a: &Attachment| match text_string(&a.name) {
        Object::String(b, _) => b,
        _ => Vec::new(),
    };
    sorted.sort_by_key(|a| key(a));
    if let Some(w) = sorted.windows(2).find(|w| w[0].name == w[1].name) {
        return Err(PdfError::Serialize(format!(
            "two attachments are named {:?}",
            w[0].name
        )));
    }
    let date = Object::String(pdf_date(timestamp).into_bytes(), StringFormat::Literal);
    let mut names = Vec::with_capacity(sorted.len() * 2);
    let mut specs: Vec<Object> = Vec::with_capacity(sorted.len());
    for a in sorted {
        let file = Stream::new(
            Dictionary::from_iter(vec![
                ("Type", Object::Name(b"EmbeddedFile".to_vec())),
                ("Subtype", Object::Name(a.mime.as_bytes().to_vec())),
                (
                    "Params",
                    Object::Dictionary(Dictionary::from_iter(vec![
                        ("ModDate", date.clone()),
                        ("Size", Object::Integer(a.bytes.len() as i64)),
                    ])),
                ),
            ]),
            a.bytes.clone(),
        );
        let file_id = lo.add_object(file);
        let mut spec = Dictionary::from_iter(vec![
            ("Type", Object::Name(b"Filespec".to_vec())),
            ("F", ascii_name(&a.name)),
            ("UF", text_string(&a.name)),
            ("AFRelationship", Object::Name(b"Source".to_vec())),
            (
                "EF",
                Object::Dictionary(Dictionary::from_iter(vec![
                    ("F", Object::Reference(file_id)),
                    ("UF", Object::Reference(file_id)),
                ])),
            ),
        ]);
        if !a.description.is_empty() {
            spec.set("Desc", text_string(&a.description));
        }
        let spec_id = lo.add_object(spec);
        names.push(text_string(&a.name));
        names.push(Object::Reference(spec_id));
        specs.push(Object::Reference(spec_id));
    }
    let tree = Object::Dictionary(Dictionary::from_iter(vec![("Names", Object::Array(names))]));
    let names_dict = names_dictionary(lo)?;
    match names_dict {
        Some(id) => lo
            .get_dictionary_mut(id)
            .map_err(|e| PdfError::Serialize(format!("catalog /Names: {e}")))?
            .set("EmbeddedFiles", tree),
        None => {
            let cat = catalog(lo)?;
            match cat.get_mut(b"Names") {
                Ok(Object::Dictionary(d)) => d.set("EmbeddedFiles", tree),
                _ => cat.set(
                    "Names",
                    Object::Dictionary(Dictionary::from_iter(vec![("EmbeddedFiles", tree)])),
                ),
            }
        }
    }
    catalog(lo)?.set("AF", Object::Array(specs));
    Ok(())
}

/// The catalog's /Names dictionary when it is an indirect object.
fn names_dictionary(lo: &mut lopdf::Document) -> Result<Option<ObjectId>, PdfError> {
    Ok(catalog(lo)?
        .get(b"Names")
        .and_then(Object::as_reference)
        .ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn archive_pdfa_parses_levels() {
        assert_eq!(PdfA::parse("2b"), Ok(PdfA::B2));
        assert_eq!(PdfA::parse(" 3B "), Ok(PdfA::B3));
        assert_eq!(PdfA::parse("PDF/A-2b"), Ok(PdfA::B2));
        assert_eq!("3b".parse::<PdfA>(), Ok(PdfA::B3));
        assert!(PdfA::parse("1b").unwrap_err().contains("not 2b or 3b"));
        assert!(PdfA::parse("2a").is_err());
        assert_eq!(PdfA::B3.to_string(), "3b");
        assert_eq!((PdfA::B2.part(), PdfA::B3.part()), (2, 3));
        assert!(PdfA::B3.attaches_sources() && !PdfA::B2.attaches_sources());
    }

    #[test]
    fn archive_pdf_date_matches_info_dates() {
        assert_eq!(pdf_date(1_491_004_800), "D:20170401000000+00'00'");
        assert_eq!(pdf_date(1_491_004_800 + 3_723), "D:20170401010203+00'00'");
    }

    #[test]
    fn archive_ascii_name_replaces_other_characters() {
        assert_eq!(
            ascii_name("é.txt"),
            Object::String(b"_.txt".to_vec(), StringFormat::Literal)
        );
    }

    #[test]
    fn archive_identification_names_part_and_conformance() {
        let x = xmp_identification(PdfA::B3);
        assert!(x.contains("<pdfaid:part>3</pdfaid:part>"));
        assert!(x.contains("<pdfaid:conformance>B</pdfaid:conformance>"));
    }

    #[test]
    fn archive_icc_profile_is_an_rgb_display_profile() {
        // Header: size, CMM, version, class, colour space (ICC.1 §7.2).
        let size = u32::from_be_bytes([SRGB_ICC[0], SRGB_ICC[1], SRGB_ICC[2], SRGB_ICC[3]]);
        assert_eq!(size as usize, SRGB_ICC.len());
        assert_eq!(&SRGB_ICC[12..16], b"mntr");
        assert_eq!(&SRGB_ICC[16..20], b"RGB ");
        assert_eq!(&SRGB_ICC[36..40], b"acsp");
    }
}
