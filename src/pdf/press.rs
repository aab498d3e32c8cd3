//! The print editions, made from the finished lopdf document (see `crate::print` for the
//! decisions):
//!
//! - `impose`: each side of a sheet draws two pages side by side, each clipped to its half
//!   and moved toward the fold by the creep: its /Contents is an array of the pages' own
//!   content streams (compressed once, shared with nothing else) between small streams that
//!   save the state, clip and move (`q … re W n 1 0 0 1 dx 0 cm` … `Q`), and its resources
//!   are the pages' merged. (Form XObjects were tried first: pdf.js then runs the last line
//!   of one page into the first of the next when it extracts text.) Link annotations move
//!   with their page; the outline points at the sheets. The booklet is a print artefact: no
//!   structure tree (the reader's PDF, written from the same document, keeps it).
//! - `shop`: MediaBox = the trim plus bleed plus a slug for the marks, on every side, with its
//!   origin moved so the trim stays at (0, 0) and no coordinate inside the page changes;
//!   BleedBox and TrimBox; crop marks at the corners and registration marks at the middle of
//!   each side, in the slug, in the registration colour (`/Separation /All`), as artifacts.
//! - `pdfx`: PDF/X-4: the CMYK output intent (`/GTS_PDFX`, ISO Coated v2 300 %, i.e. the
//!   FOGRA39 printing condition), DeviceRGB made ICC-based sRGB (`/DefaultRGB`) on every page,
//!   the `pdfxid` XMP identification with the xmpMM ids it needs, `/Trapped /False`.

use lopdf::{Dictionary, Object, ObjectId, Stream, StringFormat};
use std::collections::HashMap;

use super::PdfError;
use crate::layout::Document;
use crate::print::{PdfX, Shop, Side, Slot};

/// The CMYK printing condition of PDF/X output: basICColor's ISO Coated v2 300 % (zlib
/// licence; see `icc/PROVENANCE.md`), the FOGRA39 characterization with a 300 % ink limit,
/// stored zlib-compressed (level 9) and written as is with `/FlateDecode`: deflating its
/// 1 MB at every render made a PDF/X render take five times a plain one.
const CMYK_ICC_ZLIB: &[u8] = include_bytes!("icc/ISOcoated_v2_300_bas.icc.zlib");
/// The registered characterization the profile is made for (ICC registry at color.org).
const CMYK_CONDITION: &str = "FOGRA39";
/// The output intent's human-readable description.
const CMYK_INFO: &str = "ISO Coated v2 300% (basICColor), offset printing on coated paper \
                         (ISO 12647-2:2004, FOGRA39)";

fn err(what: impl std::fmt::Display) -> PdfError {
    PdfError::Serialize(what.to_string())
}

fn num(v: f32) -> Object {
    Object::Real(super::content::round_pt(v))
}

fn rect(x1: f32, y1: f32, x2: f32, y2: f32) -> Object {
    Object::Array(vec![num(x1), num(y1), num(x2), num(y2)])
}

/// A page's width and height from its /MediaBox.
fn page_size(lo: &lopdf::Document, page: ObjectId) -> Result<(f32, f32), PdfError> {
    let dict = lo.get_dictionary(page).map_err(err)?;
    let boxes = dict
        .get(b"MediaBox")
        .and_then(Object::as_array)
        .map_err(|e| err(format!("page without MediaBox: {e}")))?;
    let v: Vec<f32> = boxes.iter().filter_map(|o| o.as_float().ok()).collect();
    match v.as_slice() {
        [x1, y1, x2, y2] => Ok((x2 - x1, y2 - y1)),
        _ => Err(err("a page's MediaBox is not four numbers")),
    }
}

/// The page's /Contents as one stream's object id (how `set_contents` leaves it).
fn contents_id(lo: &lopdf::Document, page: ObjectId) -> Result<ObjectId, PdfError> {
    lo.get_dictionary(page)
        .and_then(|d| d.get(b"Contents"))
        .and_then(Object::as_reference)
        .map_err(|e| err(format!("page without contents: {e}")))
}

/// Where a page's resource dictionary is: an object of its own, or inline in the page.
fn resources_id(lo: &lopdf::Document, page: ObjectId) -> Result<Option<ObjectId>, PdfError> {
    match lo.get_dictionary(page).map_err(err)?.get(b"Resources") {
        Ok(Object::Reference(id)) => Ok(Some(*id)),
        Ok(Object::Dictionary(_)) | Err(_) => Ok(None),
        Ok(_) => Err(err("a page's Resources is not a dictionary")),
    }
}

/// A page's resource dictionary (empty when it has none).
fn page_resources(lo: &lopdf::Document, page: ObjectId) -> Result<Dictionary, PdfError> {
    match resources_id(lo, page)? {
        Some(id) => Ok(lo.get_dictionary(id).map_err(err)?.clone()),
        None => Ok(lo
            .get_dictionary(page)
            .map_err(err)?
            .get(b"Resources")
            .and_then(Object::as_dict)
            .cloned()
            .unwrap_or_default()),
    }
}

/// A page's resource dictionary, to add to, where it is (made inline when the page has none).
fn resources_mut(lo: &mut lopdf::Document, page: ObjectId) -> Result<&mut Dictionary, PdfError> {
    if let Some(id) = resources_id(lo, page)? {
        return lo.get_dictionary_mut(id).map_err(err);
    }
    let dict = lo.get_dictionary_mut(page).map_err(err)?;
    if dict.get(b"Resources").is_err() {
        dict.set("Resources", Object::Dictionary(Dictionary::new()));
    }
    match dict.get_mut(b"Resources") {
        Ok(Object::Dictionary(d)) => Ok(d),
        _ => Err(err("a page's Resources is not a dictionary")),
    }
}

/// Sets `key` `name` -> `value` in the sub-dictionary `key` of `dict` (made when missing).
fn set_in(dict: &mut Dictionary, key: &[u8], name: &str, value: Object) -> Result<(), PdfError> {
    if dict.get(key).is_err() {
        dict.set(key.to_vec(), Object::Dictionary(Dictionary::new()));
    }
    match dict.get_mut(key) {
        Ok(Object::Dictionary(sub)) => {
            sub.set(name, value);
            Ok(())
        }
        _ => Err(err(format!(
            "/{} is not a dictionary",
            String::from_utf8_lossy(key)
        ))),
    }
}

/// Replaces the document's pages with sheets imposed as `sides` say (see the module docs).
pub(crate) fn impose(lo: &mut lopdf::Document, sides: &[Side]) -> Result<(), PdfError> {
    let pages: Vec<ObjectId> = lo.get_pages().values().copied().collect();
    let Some(&first) = pages.first() else {
        return Err(PdfError::NoPages);
    };
    let (w, h) = page_size(lo, first)?;
    // Each page's content stream (already compressed) and resources.
    let mut parts = Vec::with_capacity(pages.len());
    for &page in &pages {
        parts.push((contents_id(lo, page)?, page_resources(lo, page)?));
    }

    let root = lo
        .catalog()
        .and_then(|c| c.get(b"Pages"))
        .and_then(Object::as_reference)
        .map_err(|e| err(format!("no page tree: {e}")))?;
    // Where each page lands: its sheet side and how far it moved right.
    let mut placed: HashMap<ObjectId, (ObjectId, f32)> = HashMap::new();
    let mut sheets = Vec::with_capacity(sides.len());
    for side in sides {
        let sheet = lo.new_object_id();
        let mut contents = Vec::with_capacity(5);
        let mut resources = Dictionary::new();
        let mut annots = Vec::new();
        // Between the pages' own streams: the state saved, the half clipped, the page moved.
        let mut glue = Vec::with_capacity(64);
        for (half, slot) in [(0.0, side.left), (w, side.right)] {
            let Slot::Page(i) = slot else { continue };
            let (&page, (content, res)) = pages.get(i).zip(parts.get(i)).ok_or_else(|| {
                err(format!(
                    "imposition names page {} of {}",
                    i + 1,
                    pages.len()
                ))
            })?;
            // Toward the fold: the left page moves right, the right page left.
            let dx = if half == 0.0 {
                side.shift
            } else {
                w - side.shift
            };
            glue.extend_from_slice(b"q\n");
            for v in [half, 0.0, w, h] {
                super::content::write_num(&mut glue, v, 2);
                glue.push(b' ');
            }
            glue.extend_from_slice(b"re W n\n1 0 0 1 ");
            super::content::write_num(&mut glue, dx, 2);
            glue.extend_from_slice(b" 0 cm\n");
            contents.push(Object::Reference(lo.add_object(Stream::new(
                Dictionary::new(),
                std::mem::take(&mut glue),
            ))));
            contents.push(Object::Reference(*content));
            glue.extend_from_slice(b"Q\n");
            merge_resources(&mut resources, res)?;
            placed.insert(page, (sheet, dx));
            if let Ok(list) = lo
                .get_dictionary(page)
                .and_then(|d| d.get(b"Annots"))
                .and_then(Object::as_array)
            {
                annots.extend(
                    list.iter()
                        .filter_map(|a| a.as_reference().ok())
                        .map(|a| (a, dx)),
                );
            }
        }
        if !glue.is_empty() {
            contents.push(Object::Reference(
                lo.add_object(Stream::new(Dictionary::new(), glue)),
            ));
        }
        for &(a, dx) in &annots {
            if let Ok(d) = lo.get_dictionary_mut(a) {
                shift_rect(d, dx);
                d.set("P", Object::Reference(sheet));
                d.remove(b"StructParent");
            }
        }
        let mut dict = Dictionary::from_iter(vec![
            ("Type", Object::Name(b"Page".to_vec())),
            ("Parent", Object::Reference(root)),
            ("MediaBox", rect(0.0, 0.0, 2.0 * w, h)),
            ("Contents", Object::Array(contents)),
            ("Resources", Object::Dictionary(resources)),
        ]);
        if !annots.is_empty() {
            dict.set(
                "Annots",
                Object::Array(
                    annots
                        .into_iter()
                        .map(|(a, _)| Object::Reference(a))
                        .collect(),
                ),
            );
        }
        lo.objects.insert(sheet, Object::Dictionary(dict));
        sheets.push(sheet);
    }
    // Outline destinations: [page /XYZ x y zoom] -> [sheet /XYZ x+dx y zoom].
    for object in lo.objects.values_mut() {
        if let Object::Dictionary(d) = object {
            if let Ok(Object::Array(dest)) = d.get_mut(b"Dest") {
                retarget(dest, &placed);
            }
        }
    }
    for &page in &pages {
        lo.objects.remove(&page);
    }
    let count = sheets.len() as i64;
    let tree = lo.get_dictionary_mut(root).map_err(err)?;
    tree.set(
        "Kids",
        Object::Array(sheets.into_iter().map(Object::Reference).collect()),
    );
    tree.set("Count", Object::Integer(count));
    // A print artefact: untagged (its reading order is the sheets'); printed at full size,
    // duplex turning on the short edge, as a folded booklet is.
    let catalog = lo.catalog_mut().map_err(err)?;
    catalog.remove(b"StructTreeRoot");
    catalog.remove(b"MarkInfo");
    catalog.set(
        "ViewerPreferences",
        Object::Dictionary(Dictionary::from_iter(vec![
            ("Duplex", Object::Name(b"DuplexFlipShortEdge".to_vec())),
            ("PrintScaling", Object::Name(b"None".to_vec())),
        ])),
    );
    lo.prune_objects();
    Ok(())
}

/// Adds the entries of `from` (a page's resources) to `into` (its sheet's): the pages of one
/// document name their fonts alike, so a name met twice must mean the same object.
fn merge_resources(into: &mut Dictionary, from: &Dictionary) -> Result<(), PdfError> {
    for (key, value) in from.iter() {
        match (into.get_mut(key), value) {
            (Ok(Object::Dictionary(a)), Object::Dictionary(b)) => {
                for (name, v) in b.iter() {
                    match a.get(name) {
                        Ok(existing) if existing != v => {
                            return Err(err(format!(
                                "two pages name different resources /{}",
                                String::from_utf8_lossy(name)
                            )))
                        }
                        Ok(_) => {}
                        Err(_) => a.set(name.clone(), v.clone()),
                    }
                }
            }
            (Ok(existing), v) if existing != v => {
                return Err(err(format!(
                    "two pages have different /{} resources",
                    String::from_utf8_lossy(key)
                )))
            }
            (Ok(_), _) => {}
            (Err(_), v) => into.set(key.clone(), v.clone()),
        }
    }
    Ok(())
}

/// Moves an annotation's /Rect right by `dx`.
fn shift_rect(annot: &mut Dictionary, dx: f32) {
    if let Ok(Object::Array(r)) = annot.get_mut(b"Rect") {
        for (i, v) in r.iter_mut().enumerate() {
            if i % 2 == 0 {
                if let Ok(x) = v.as_float() {
                    *v = num(x + dx);
                }
            }
        }
    }
}

/// Points a destination array at the sheet its page went to, its x moved with the page.
fn retarget(dest: &mut [Object], placed: &HashMap<ObjectId, (ObjectId, f32)>) {
    let Some(Ok(page)) = dest.first().map(Object::as_reference) else {
        return;
    };
    let Some(&(sheet, dx)) = placed.get(&page) else {
        return;
    };
    dest[0] = Object::Reference(sheet);
    if dest.get(1).and_then(|n| n.as_name().ok()) == Some(&b"XYZ"[..]) {
        if let Some(x) = dest.get_mut(2) {
            if let Ok(v) = x.as_float() {
                *x = num(v + dx);
            }
        }
    }
}

/// From the trim to the start of a crop mark, beyond the bleed, pt.
const MARK_GAP: f32 = 2.0;
/// The length of a crop mark, pt (about 5 mm).
const MARK_LENGTH: f32 = 14.0;
/// The slug: the paper beyond the bleed that holds the marks, pt.
const SLUG: f32 = MARK_GAP + MARK_LENGTH + 4.0;
/// Stroke width of the marks, pt (a hairline, as print shops expect).
const MARK_WIDTH: f32 = 0.25;

/// How far the MediaBox reaches past the trim on every side for `shop`.
pub(crate) fn media_margin(shop: &Shop) -> f32 {
    shop.bleed + if shop.marks { SLUG } else { 0.0 }
}

/// Sets every page's boxes for a print shop and draws the marks (see the module docs).
pub(crate) fn shop(lo: &mut lopdf::Document, shop: &Shop) -> Result<(), PdfError> {
    let pages: Vec<ObjectId> = lo.get_pages().values().copied().collect();
    let m = media_margin(shop);
    let b = shop.bleed;
    let all = shop.marks.then(|| {
        // The registration colour: 100 % of every ink on every plate.
        let tint = lo.add_object(Dictionary::from_iter(vec![
            ("FunctionType", Object::Integer(2)),
            ("Domain", Object::Array(vec![0.into(), 1.into()])),
            (
                "C0",
                Object::Array(vec![0.into(), 0.into(), 0.into(), 0.into()]),
            ),
            (
                "C1",
                Object::Array(vec![1.into(), 1.into(), 1.into(), 1.into()]),
            ),
            ("N", Object::Integer(1)),
        ]));
        lo.add_object(Object::Array(vec![
            Object::Name(b"Separation".to_vec()),
            Object::Name(b"All".to_vec()),
            Object::Name(b"DeviceCMYK".to_vec()),
            Object::Reference(tint),
        ]))
    });
    // One stream that saves the state, and one of marks per page size, serve every page.
    let open = shop
        .marks
        .then(|| lo.add_object(Stream::new(Dictionary::new(), b"q\n".to_vec())));
    let mut marks_of: HashMap<(u32, u32), ObjectId> = HashMap::new();
    for page in pages {
        let (w, h) = page_size(lo, page)?;
        let dict = lo.get_dictionary_mut(page).map_err(err)?;
        dict.set("MediaBox", rect(-m, -m, w + m, h + m));
        dict.set("BleedBox", rect(-b, -b, w + b, h + b));
        dict.set("TrimBox", rect(0.0, 0.0, w, h));
        dict.remove(b"CropBox");
        let (Some(all), Some(open)) = (all, open) else {
            continue;
        };
        let contents = contents_id(lo, page)?;
        let close = *marks_of
            .entry((w.to_bits(), h.to_bits()))
            .or_insert_with(|| lo.add_object(Stream::new(Dictionary::new(), marks(w, h, b))));
        lo.get_dictionary_mut(page).map_err(err)?.set(
            "Contents",
            Object::Array(vec![
                Object::Reference(open),
                Object::Reference(contents),
                Object::Reference(close),
            ]),
        );
        set_in(
            resources_mut(lo, page)?,
            b"ColorSpace",
            "QuireAll",
            Object::Reference(all),
        )?;
    }
    Ok(())
}

/// The marks' content (after the page's own, its graphics state restored first): crop marks
/// at the four corners and registration marks at the middle of each side, all in the slug.
fn marks(w: f32, h: f32, bleed: f32) -> Vec<u8> {
    let mut s = Vec::with_capacity(1024);
    let line = |s: &mut Vec<u8>, x1: f32, y1: f32, x2: f32, y2: f32| {
        for (x, y, op) in [(x1, y1, &b" m\n"[..]), (x2, y2, b" l\n")] {
            super::content::write_num(s, x, 2);
            s.push(b' ');
            super::content::write_num(s, y, 2);
            s.extend_from_slice(op);
        }
    };
    s.extend_from_slice(b"Q\n/Artifact BMC\nq\n/QuireAll CS 1 SCN\n");
    super::content::write_num(&mut s, MARK_WIDTH, 2);
    s.extend_from_slice(b" w\n");
    let (near, far) = (bleed + MARK_GAP, bleed + MARK_GAP + MARK_LENGTH);
    for (x, sx) in [(0.0, -1.0), (w, 1.0)] {
        for (y, sy) in [(0.0, -1.0), (h, 1.0)] {
            // Along the trim line outward from the corner, horizontally and vertically.
            line(&mut s, x + sx * near, y, x + sx * far, y);
            line(&mut s, x, y + sy * near, x, y + sy * far);
        }
    }
    // Registration marks: a circle with a cross, centred in the slug at each side's middle.
    let r = 4.0;
    let arm = 7.0;
    let c = bleed + MARK_GAP + MARK_LENGTH / 2.0;
    for (cx, cy) in [
        (w / 2.0, -c),
        (w / 2.0, h + c),
        (-c, h / 2.0),
        (w + c, h / 2.0),
    ] {
        line(&mut s, cx - arm, cy, cx + arm, cy);
        line(&mut s, cx, cy - arm, cx, cy + arm);
        circle(&mut s, cx, cy, r);
    }
    s.extend_from_slice(b"S\nQ\nEMC\n");
    s
}

/// A circle of radius `r` as four Bézier curves (kappa 0.5523), added to the current path.
fn circle(s: &mut Vec<u8>, cx: f32, cy: f32, r: f32) {
    let k = 0.552_284_8 * r;
    let pt = |s: &mut Vec<u8>, x: f32, y: f32| {
        super::content::write_num(s, x, 2);
        s.push(b' ');
        super::content::write_num(s, y, 2);
        s.push(b' ');
    };
    pt(s, cx + r, cy);
    s.extend_from_slice(b"m\n");
    let quarters = [
        [(cx + r, cy + k), (cx + k, cy + r), (cx, cy + r)],
        [(cx - k, cy + r), (cx - r, cy + k), (cx - r, cy)],
        [(cx - r, cy - k), (cx - k, cy - r), (cx, cy - r)],
        [(cx + k, cy - r), (cx + r, cy - k), (cx + r, cy)],
    ];
    for q in quarters {
        for (x, y) in q {
            pt(s, x, y);
        }
        s.extend_from_slice(b"c\n");
    }
}

/// Makes the document PDF/X-4 (see the module docs).
pub(crate) fn pdfx(lo: &mut lopdf::Document, doc: &Document, level: PdfX) -> Result<(), PdfError> {
    lo.version = "1.6".to_string();
    let literal = |s: &str| Object::String(s.as_bytes().to_vec(), StringFormat::Literal);
    let cmyk = lo.add_object(
        Stream::new(
            Dictionary::from_iter(vec![
                ("N", Object::Integer(4)),
                ("Alternate", Object::Name(b"DeviceCMYK".to_vec())),
                ("Filter", Object::Name(b"FlateDecode".to_vec())),
            ]),
            CMYK_ICC_ZLIB.to_vec(),
        )
        .with_compression(false),
    );
    let intent = Object::Dictionary(Dictionary::from_iter(vec![
        ("Type", Object::Name(b"OutputIntent".to_vec())),
        ("S", Object::Name(b"GTS_PDFX".to_vec())),
        ("OutputConditionIdentifier", literal(CMYK_CONDITION)),
        ("OutputCondition", literal(CMYK_INFO)),
        ("RegistryName", literal("http://www.color.org")),
        ("Info", literal(CMYK_INFO)),
        ("DestOutputProfile", Object::Reference(cmyk)),
    ]));
    let srgb = lo.add_object(Stream::new(
        Dictionary::from_iter(vec![
            ("N", Object::Integer(3)),
            ("Alternate", Object::Name(b"DeviceRGB".to_vec())),
        ]),
        super::archive::SRGB_ICC.to_vec(),
    ));
    let default_rgb = lo.add_object(Object::Array(vec![
        Object::Name(b"ICCBased".to_vec()),
        Object::Reference(srgb),
    ]));
    let pages: Vec<ObjectId> = lo.get_pages().values().copied().collect();
    for page in pages {
        set_in(
            resources_mut(lo, page)?,
            b"ColorSpace",
            "DefaultRGB",
            Object::Reference(default_rgb),
        )?;
    }
    let catalog = lo.catalog_mut().map_err(err)?;
    catalog.set("OutputIntents", Object::Array(vec![intent]));
    let metadata = catalog
        .get(b"Metadata")
        .and_then(Object::as_reference)
        .map_err(|e| err(format!("no XMP metadata: {e}")))?;
    let packet = super::finish::xmp_packet(doc, &xmp_identification(doc, level));
    match lo.objects.get_mut(&metadata) {
        Some(Object::Stream(s)) => s.set_content(packet.into_bytes()),
        _ => return Err(err("the XMP metadata is not a stream")),
    }
    if let Ok(info) = lo.trailer.get(b"Info").and_then(Object::as_reference) {
        if let Ok(info) = lo.get_dictionary_mut(info) {
            info.set("GTS_PDFXVersion", literal(level.version()));
            info.set("Trapped", Object::Name(b"False".to_vec()));
        }
    }
    Ok(())
}

/// The XMP descriptions PDF/X-4 asks for: `pdfxid:GTS_PDFXVersion`, `pdf:Trapped` (agreeing
/// with Info), and xmpMM's DocumentID, VersionID and RenditionClass. The document id is a
/// UUID made from a hash of the metadata, so the same issue keeps the same id.
pub(crate) fn xmp_identification(doc: &Document, level: PdfX) -> String {
    use sha2::{Digest, Sha256};
    let m = &doc.meta;
    let hash = Sha256::digest(format!("{}\0{}\0{}", m.title, m.author, m.timestamp));
    let h = |r: std::ops::Range<usize>| -> String {
        hash[r].iter().map(|b| format!("{b:02x}")).collect()
    };
    // A name-based UUID layout (version 5 bits, RFC 9562 variant) over the hash.
    let uuid = format!(
        "{}-{}-5{}-{:x}{}-{}",
        h(0..4),
        h(4..6),
        &h(6..8)[1..],
        8 | (hash[8] & 0x3),
        &h(8..10)[1..],
        h(10..16)
    );
    format!(
        concat!(
            "<rdf:Description rdf:about=\"\" xmlns:pdfxid=\"http://www.npes.org/pdfx/ns/id/\">\n",
            "<pdfxid:GTS_PDFXVersion>{version}</pdfxid:GTS_PDFXVersion>\n",
            "</rdf:Description>\n",
            "<rdf:Description rdf:about=\"\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n",
            "<pdf:Trapped>False</pdf:Trapped>\n",
            "</rdf:Description>\n",
            "<rdf:Description rdf:about=\"\" xmlns:xmpMM=\"http://ns.adobe.com/xap/1.0/mm/\">\n",
            "<xmpMM:DocumentID>uuid:{uuid}</xmpMM:DocumentID>\n",
            "<xmpMM:InstanceID>uuid:{uuid}</xmpMM:InstanceID>\n",
            "<xmpMM:VersionID>1</xmpMM:VersionID>\n",
            "<xmpMM:RenditionClass>default</xmpMM:RenditionClass>\n",
            "</rdf:Description>\n"
        ),
        version = level.version(),
        uuid = uuid,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn press_cmyk_profile_is_a_cmyk_output_profile() {
        use sha2::{Digest, Sha256};
        use std::io::Read;
        let mut icc = Vec::new();
        flate2::read::ZlibDecoder::new(CMYK_ICC_ZLIB)
            .read_to_end(&mut icc)
            .unwrap();
        // The profile as Debian's scribus-data ships it (icc/PROVENANCE.md), byte for byte.
        let sha: String = Sha256::digest(&icc)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(
            sha,
            "b424c77f40c3423c925536f8ae08634985ccd0fe80eb253d5d229197ded7e886"
        );
        let cmyk = icc.as_slice();
        // ICC header: device class at 12, colour space at 16, connection space at 20.
        assert_eq!(&cmyk[12..16], b"prtr");
        assert_eq!(&cmyk[16..20], b"CMYK");
        assert_eq!(&cmyk[20..24], b"Lab ");
        assert_eq!(
            u32::from_be_bytes(cmyk[0..4].try_into().unwrap()) as usize,
            cmyk.len()
        );
    }

    #[test]
    fn press_marks_stay_in_the_slug() {
        let s = String::from_utf8(marks(400.0, 600.0, 8.5)).unwrap();
        // Every coordinate drawn is outside the bleed box on at least one axis.
        for line in s.lines().filter(|l| l.ends_with(" m") || l.ends_with(" l")) {
            let v: Vec<f32> = line
                .split(' ')
                .take(2)
                .map(|n| n.parse().unwrap())
                .collect();
            let inside = (-8.5..=408.5).contains(&v[0]) && (-8.5..=608.5).contains(&v[1]);
            assert!(!inside, "{line} is inside the bleed");
        }
        assert!(s.starts_with("Q\n/Artifact BMC\n"));
        assert!(s.ends_with("EMC\n"));
    }

    #[test]
    fn press_pdfx_identification_is_stable_and_well_formed() {
        let mut doc = Document::default();
        doc.meta.title = "Issue".into();
        let a = xmp_identification(&doc, PdfX::X4);
        assert_eq!(a, xmp_identification(&doc, PdfX::X4));
        assert!(a.contains("<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>"));
        let uuid = a.split("uuid:").nth(1).unwrap().split('<').next().unwrap();
        let parts: Vec<usize> = uuid.split('-').map(str::len).collect();
        assert_eq!(parts, vec![8, 4, 4, 4, 12], "{uuid}");
        assert!(uuid.chars().nth(14) == Some('5'));
    }
}
