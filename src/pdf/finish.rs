//! What printpdf's API cannot say, added to its lopdf document before saving: the nested
//! outline with /XYZ destinations, /Lang, XMP metadata, a clean Info dictionary, and a
//! trailer /ID that is a hash of the file's content.
//!
//! printpdf 0.12.8's `add_bookmark` takes a title and a page only, and its writer sorts the
//! bookmarks by (page, title) into one flat list whose destinations have no position; its
//! XMP packet carries a random instance id and is written only for PDF/X conformance; its
//! trailer /ID is random. `PdfDocument::to_lopdf_document` hands over the document before
//! it is saved, so these parts are written here with lopdf, which printpdf itself uses.

use lopdf::{Dictionary, Object, Stream, StringFormat};
use sha2::{Digest, Sha256};

use super::PdfError;
use crate::layout::{Document, OutlineEntry};

/// The trailer /ID placeholder: 16 zero bytes, replaced after saving by the first 16 bytes of
/// the SHA-256 of the whole file (written with the placeholder), as ISO 32000-1 §14.4 allows.
pub(crate) const ID_PLACEHOLDER: [u8; 16] = [0; 16];

/// A PDF text string: PDFDocEncoding-compatible ASCII as is, anything else as UTF-16BE + BOM.
pub(crate) fn text_string(text: &str) -> Object {
    if text.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        Object::String(text.as_bytes().to_vec(), StringFormat::Literal)
    } else {
        let mut data = vec![0xFE, 0xFF];
        for unit in text.encode_utf16() {
            data.extend_from_slice(&unit.to_be_bytes());
        }
        Object::String(data, StringFormat::Hexadecimal)
    }
}

/// Adds the outline, /Lang, XMP and the /ID placeholder; tidies the Info dictionary.
pub(crate) fn finish(lo: &mut lopdf::Document, doc: &Document) -> Result<(), PdfError> {
    // /FontFile3 /OpenType (how printpdf embeds a CFF subset) is PDF 1.6.
    lo.version = "1.7".to_string();
    let page_ids: Vec<lopdf::ObjectId> = lo.get_pages().values().copied().collect();
    for &page_id in &page_ids {
        indirect_annotations(lo, page_id)?;
    }

    let outline_root = if doc.outline.is_empty() {
        None
    } else {
        let root = lo.new_object_id();
        let (first, last, count) = add_outline_level(lo, &doc.outline, root, &page_ids, doc)?;
        let mut dict = Dictionary::new();
        dict.set("Type", Object::Name(b"Outlines".to_vec()));
        dict.set("First", Object::Reference(first));
        dict.set("Last", Object::Reference(last));
        dict.set("Count", Object::Integer(count));
        lo.objects.insert(root, Object::Dictionary(dict));
        Some(root)
    };

    let xmp = Stream::new(
        Dictionary::from_iter(vec![
            ("Type", Object::Name(b"Metadata".to_vec())),
            ("Subtype", Object::Name(b"XML".to_vec())),
        ]),
        xmp_packet(doc, "").into_bytes(),
    )
    // Left uncompressed: tools that do not parse PDF find XMP by scanning for the xpacket.
    .with_compression(false);
    let xmp_id = lo.add_object(xmp);

    let catalog = lo
        .catalog_mut()
        .map_err(|e| PdfError::Serialize(format!("no catalog: {e}")))?;
    if !doc.meta.lang.is_empty() {
        catalog.set("Lang", text_string(&doc.meta.lang));
    }
    catalog.set("Metadata", Object::Reference(xmp_id));
    if let Some(root) = outline_root {
        catalog.set("Outlines", Object::Reference(root));
        catalog.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
    }

    // printpdf writes PDF/X keys (GTS_PDFXVersion, an empty Identifier) that would claim a
    // conformance this file does not have.
    if let Ok(info_ref) = lo.trailer.get(b"Info").and_then(Object::as_reference) {
        if let Ok(info) = lo.get_dictionary_mut(info_ref) {
            info.remove(b"GTS_PDFXVersion");
            info.remove(b"Identifier");
        }
    }

    let placeholder = Object::String(ID_PLACEHOLDER.to_vec(), StringFormat::Hexadecimal);
    lo.trailer
        .set("ID", Object::Array(vec![placeholder.clone(), placeholder]));
    Ok(())
}

/// printpdf writes link annotations inline in /Annots (and an empty /Annots on pages with
/// none); ISO 32000-1 §7.7.3.3 wants indirect references there, as lopdf and others expect.
fn indirect_annotations(
    lo: &mut lopdf::Document,
    page_id: lopdf::ObjectId,
) -> Result<(), PdfError> {
    let page = lo
        .get_dictionary_mut(page_id)
        .map_err(|e| PdfError::Serialize(format!("page object: {e}")))?;
    let annots = match page.remove(b"Annots") {
        Some(Object::Array(annots)) => annots,
        Some(other) => {
            page.set("Annots", other);
            return Ok(());
        }
        None => return Ok(()),
    };
    if annots.is_empty() {
        return Ok(());
    }
    let mut refs = Vec::with_capacity(annots.len());
    for annot in annots {
        refs.push(match annot {
            Object::Dictionary(mut dict) => {
                dict.set("P", Object::Reference(page_id));
                Object::Reference(lo.add_object(dict))
            }
            other => other,
        });
    }
    lo.get_dictionary_mut(page_id)
        .map_err(|e| PdfError::Serialize(format!("page object: {e}")))?
        .set("Annots", Object::Array(refs));
    Ok(())
}

/// Writes one level of the outline; returns (first, last, visible descendants).
fn add_outline_level(
    lo: &mut lopdf::Document,
    entries: &[OutlineEntry],
    parent: lopdf::ObjectId,
    page_ids: &[lopdf::ObjectId],
    doc: &Document,
) -> Result<(lopdf::ObjectId, lopdf::ObjectId, i64), PdfError> {
    let ids: Vec<lopdf::ObjectId> = entries.iter().map(|_| lo.new_object_id()).collect();
    let mut count = 0i64;
    for (i, entry) in entries.iter().enumerate() {
        let (Some(&page_id), Some(page)) = (page_ids.get(entry.page), doc.pages.get(entry.page))
        else {
            return Err(PdfError::OutlinePage {
                title: entry.title.clone(),
                page: entry.page,
                pages: doc.pages.len(),
            });
        };
        let top = super::content::round_pt(page.height - entry.y);
        let mut dict = Dictionary::new();
        dict.set("Title", text_string(&entry.title));
        dict.set("Parent", Object::Reference(parent));
        dict.set(
            "Dest",
            Object::Array(vec![
                Object::Reference(page_id),
                Object::Name(b"XYZ".to_vec()),
                Object::Null,
                Object::Real(top),
                Object::Null,
            ]),
        );
        if i > 0 {
            dict.set("Prev", Object::Reference(ids[i - 1]));
        }
        if let Some(&next) = ids.get(i + 1) {
            dict.set("Next", Object::Reference(next));
        }
        count += 1;
        if !entry.children.is_empty() {
            let (first, last, sub) = add_outline_level(lo, &entry.children, ids[i], page_ids, doc)?;
            dict.set("First", Object::Reference(first));
            dict.set("Last", Object::Reference(last));
            // Positive: the entry is open, its children are shown.
            dict.set("Count", Object::Integer(sub));
            count += sub;
        }
        lo.objects.insert(ids[i], Object::Dictionary(dict));
    }
    match (ids.first(), ids.last()) {
        (Some(&first), Some(&last)) => Ok((first, last, count)),
        _ => Err(PdfError::Serialize("empty outline level".to_string())),
    }
}

/// Replaces the /ID placeholder in the saved file's trailer with the hash of the file, and
/// returns the SHA-256 of the file as stamped. The placeholder is in the trailer, at the end:
/// the bytes before it are hashed once and that state serves both hashes (an export records
/// every file's SHA-256 in its manifest, which was a second pass over the whole file).
pub(crate) fn stamp_id(bytes: &mut [u8]) -> Result<[u8; 32], PdfError> {
    let start = find_last(bytes, b"trailer")
        .ok_or_else(|| PdfError::Serialize("no trailer".to_string()))?;
    let mut before = Sha256::new();
    before.update(&bytes[..start]);
    let mut with_placeholder = before.clone();
    with_placeholder.update(&bytes[start..]);
    let digest = with_placeholder.finalize();
    let hex = |b: &[u8]| -> Vec<u8> {
        b.iter()
            .flat_map(|x| format!("{x:02X}").into_bytes())
            .collect()
    };
    let needle: Vec<u8> = [b"<".as_slice(), &hex(&ID_PLACEHOLDER), b">"].concat();
    let upper = [b"<".as_slice(), &hex(&digest[..16]), b">"].concat();
    let lower = upper.to_ascii_lowercase();
    let mut found = 0;
    let mut pos = start;
    while let Some(off) = find_first(&bytes[pos..], &needle)
        .or_else(|| find_first(&bytes[pos..], &needle.to_ascii_lowercase()))
    {
        let at = pos + off;
        // lopdf writes hex strings in one case; keep whichever it used.
        let replacement = if bytes[at + 1].is_ascii_lowercase() {
            &lower
        } else {
            &upper
        };
        bytes[at..at + needle.len()].copy_from_slice(replacement);
        pos = at + needle.len();
        found += 1;
    }
    if found == 2 {
        before.update(&bytes[start..]);
        Ok(before.finalize().into())
    } else {
        Err(PdfError::Serialize(format!(
            "trailer /ID placeholder found {found} times, expected 2"
        )))
    }
}

fn find_first(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn find_last(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c if (c as u32) < 0x20 && c != '\t' && c != '\n' => {}
            c => out.push(c),
        }
    }
    out
}

/// Days since 1970-01-01 -> (year, month, day) in the proleptic Gregorian calendar
/// (H. Hinnant's `civil_from_days`).
pub(crate) fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// An XMP date (ISO 8601, UTC) for seconds since the Unix epoch.
pub(crate) fn xmp_date(timestamp: i64) -> String {
    let days = timestamp.div_euclid(86_400);
    let secs = timestamp.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// The XMP packet: Dublin Core, PDF and XMP basic properties from `doc.meta`, then `extra`
/// (further `rdf:Description`s, e.g. PDF/A identification from `archive`) before `</rdf:RDF>`.
pub(crate) fn xmp_packet(doc: &Document, extra: &str) -> String {
    let m = &doc.meta;
    let date = xmp_date(m.timestamp);
    let lang = if m.lang.is_empty() {
        "x-default".to_string()
    } else {
        xml_escape(&m.lang)
    };
    format!(
        concat!(
            "<?xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n",
            "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n",
            "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n",
            "<rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" ",
            "xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\">\n",
            "<dc:format>application/pdf</dc:format>\n",
            "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">{title}</rdf:li></rdf:Alt></dc:title>\n",
            "<dc:creator><rdf:Seq><rdf:li>{author}</rdf:li></rdf:Seq></dc:creator>\n",
            "<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">{subject}</rdf:li></rdf:Alt></dc:description>\n",
            "<dc:language><rdf:Bag><rdf:li>{lang}</rdf:li></rdf:Bag></dc:language>\n",
            "<pdf:Keywords>{keywords}</pdf:Keywords>\n",
            "<pdf:Producer>{producer}</pdf:Producer>\n",
            "<xmp:CreatorTool>{creator}</xmp:CreatorTool>\n",
            "<xmp:CreateDate>{date}</xmp:CreateDate>\n",
            "<xmp:ModifyDate>{date}</xmp:ModifyDate>\n",
            "<xmp:MetadataDate>{date}</xmp:MetadataDate>\n",
            "</rdf:Description>\n{extra}</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"r\"?>"
        ),
        title = xml_escape(&m.title),
        author = xml_escape(&m.author),
        subject = xml_escape(&m.subject),
        lang = lang,
        keywords = xml_escape(&m.keywords.join(", ")),
        producer = xml_escape(super::PRODUCER),
        creator = xml_escape(super::CREATOR),
        date = date,
        extra = extra,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finish_civil_from_days_known_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(17_257), (2017, 4, 1));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
    }

    #[test]
    fn finish_xmp_date_formats_utc() {
        assert_eq!(xmp_date(1_491_004_800 + 3_723), "2017-04-01T01:02:03Z");
    }

    #[test]
    fn finish_text_string_ascii_literal_else_utf16() {
        assert_eq!(
            text_string("I. Peace"),
            Object::String(b"I. Peace".to_vec(), StringFormat::Literal)
        );
        assert_eq!(
            text_string("Ⅳ"),
            Object::String(vec![0xFE, 0xFF, 0x21, 0x63], StringFormat::Hexadecimal)
        );
    }

    #[test]
    fn finish_xml_escape_escapes_markup() {
        assert_eq!(xml_escape("a<b & \"c\">"), "a&lt;b &amp; &quot;c&quot;&gt;");
    }

    #[test]
    fn finish_stamp_id_replaces_both_placeholders() {
        let mut bytes = b"%PDF-1.7\ntrailer\n<</ID [<00000000000000000000000000000000> <00000000000000000000000000000000>]>>".to_vec();
        let unstamped = Sha256::digest(&bytes);
        let sha = stamp_id(&mut bytes).expect("stamped");
        // The returned hash is the stamped file's; the /ID is the unstamped file's.
        assert_eq!(sha, <[u8; 32]>::from(Sha256::digest(&bytes)));
        let id: String = unstamped[..16].iter().map(|b| format!("{b:02X}")).collect();
        let text = String::from_utf8(bytes).expect("ascii");
        assert!(!text.contains("<00000000000000000000000000000000>"));
        assert_eq!(text.matches(&format!("<{id}>")).count(), 2, "{text}");
    }
}
