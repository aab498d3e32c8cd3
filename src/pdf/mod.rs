//! The PDF writer: a laid-out `Document` in, the bytes of a print-ready PDF out (printpdf).
//!
//! The steps, one module each:
//!
//! ```text
//! embed   : every face the document draws, subset to its glyphs (subsetter), hinting removed
//!           (hinting), parsed for printpdf
//! content : page items -> content streams (Tm/TJ text, ActualText spans, rules, one-path
//!           rects), deflated as each page is written, and link rectangles
//! printpdf: PdfDocument -> lopdf document (fonts with /W and ToUnicode, pages, link
//!           annotations); each page's stream then replaced by ours
//! finish  : nested /XYZ outline, /Lang, XMP, Info tidy-up, /ID placeholder (lopdf)
//! tags    : the structure tree (tagged PDF): elements, marked-content references, link
//!           object references, the parent tree, /MarkInfo
//! archive : PDF/A-2b/3b when asked (pdfaid XMP, sRGB output intent, printable annotations,
//!           3b: the source files attached)
//! press   : the print editions when asked (`crate::print`): a print shop's boxes and marks,
//!           PDF/X-4; after saving, the booklet's sheets from the same compressed objects
//! save    : compress the other streams, write, stamp /ID with the hash of the file
//! ```
//!
//! Output is byte-reproducible: resource names come from the face order, subset tags from a
//! hash of each glyph set, dates from `DocMeta::timestamp`, and the /ID from the content; no
//! id is drawn from printpdf's process-wide counter or random source.

mod archive;
mod content;
mod embed;
mod finish;
mod hinting;
mod press;
mod tags;

use printpdf::{
    FontId, LinkAnnotation, Op, PdfConformance, PdfDocument, PdfDocumentInfo, PdfFont,
    PdfFontHandle, PdfMetadata, PdfPage, PdfParseErrorSeverity, PdfSaveOptions, Pt, TextItem,
};

pub use archive::{Archive, Attachment, PdfA};

use crate::fonts::FontBook;
use crate::layout::{self, Document, GlyphRun, Item, Mark, OutlineEntry};
use crate::print::{PrintSetup, Side};

/// What the Info dictionary and XMP name as the producing software.
pub const PRODUCER: &str = concat!("quire ", env!("CARGO_PKG_VERSION"), " (printpdf 0.12)");
/// The creating application, as written to Info /Creator and XMP CreatorTool.
pub const CREATOR: &str = "quire";

/// Why a document could not be written.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum PdfError {
    /// The document has no pages; a PDF needs at least one.
    #[error("the document has no pages")]
    NoPages,
    /// A page size or item coordinate is not a finite number (or a page size is not positive).
    #[error("page {page}: {what} is not a finite, usable number")]
    BadGeometry {
        /// The page, 0-based (0 also for a bad outline position).
        page: usize,
        /// What is bad: "the page size", "an item coordinate", "an outline position".
        what: &'static str,
    },
    /// A run names a face the font book does not have.
    #[error("face {face} is not in the font book")]
    UnknownFace {
        /// The run's `FaceId`, an index into the font book.
        face: u16,
    },
    /// A run draws a glyph id the face does not have.
    #[error("{face}: glyph {glyph} does not exist (the face has {glyph_count} glyphs)")]
    GlyphOutOfRange {
        /// The face's PostScript name.
        face: String,
        /// The first glyph id (in the original font) at or past `glyph_count`.
        glyph: u16,
        /// How many glyphs the face has: valid ids are below it.
        glyph_count: u16,
    },
    /// The face's file, or printpdf's reading of its subset, could not be parsed as a font.
    #[error("{face}: cannot read the font: {message}")]
    FontParse {
        /// The face's PostScript name.
        face: String,
        /// What ttf-parser or printpdf said.
        message: String,
    },
    /// The subsetter refused the face.
    #[error("{face}: cannot subset the font: {message}")]
    Subset {
        /// The face's PostScript name.
        face: String,
        /// The subsetter's error, debug-formatted.
        message: String,
    },
    /// An outline entry points at a page the document does not have.
    #[error("outline entry {title:?} points at page {page}, but the document has {pages} pages")]
    OutlinePage {
        /// The entry's title.
        title: String,
        /// The page it points at, 0-based.
        page: usize,
        /// How many pages the document has.
        pages: usize,
    },
    /// `DocMeta::timestamp` is outside the dates a PDF can hold.
    #[error("timestamp {0} is out of range")]
    Timestamp(i64),
    /// PDF/A was asked for, but a glyph is `.notdef` (a character no face covers), which
    /// ISO 19005-2 §6.2.11.8 forbids showing.
    #[error("page {page}: {text:?} has no glyph in any face; PDF/A forbids showing .notdef")]
    NotdefInPdfA {
        /// The page, 1-based.
        page: usize,
        /// The text the glyph stands for.
        text: String,
    },
    /// printpdf or lopdf failed while building or writing the file.
    #[error("cannot write the PDF: {0}")]
    Serialize(String),
}

/// Writes `doc` as PDF bytes, drawing glyphs from `book`'s faces.
///
/// Every face used is embedded as a subset with a ToUnicode CMap; the outline is nested with
/// /XYZ destinations; links open their URI with no border; Info and XMP carry the metadata;
/// streams are compressed; the same `doc` always gives the same bytes.
pub fn write_pdf(doc: &Document, book: &FontBook) -> Result<Vec<u8>, PdfError> {
    write_pdf_as(doc, book, None)
}

/// [`write_pdf`], as PDF/A when `archive` says so (see [`Archive`]); `None` writes the same
/// bytes as [`write_pdf`].
pub fn write_pdf_as(
    doc: &Document,
    book: &FontBook,
    archive: Option<&Archive>,
) -> Result<Vec<u8>, PdfError> {
    if archive.is_some() {
        archive::check(doc)?;
    }
    let (pdf, fonts) = prepare(doc, book)?;
    let structure = (!doc.structure.elems.is_empty()).then_some(&doc.structure);
    let mut z = Deflater::reused();
    let contents = write_contents(doc.pages.iter().collect(), &fonts, structure, false, &mut z);
    let built = assemble(pdf, &fonts, &doc.pages, contents, z);
    Ok(serialize(built, doc, archive, &PrintSetup::default(), None)?.pdf)
}

/// [`write_pdf`] for a document the caller no longer needs: each page's items are freed as
/// soon as its content stream is written (and compressed), so a long issue's glyphs and its
/// content streams are never all in memory at once. Same bytes.
pub fn write_pdf_owned(doc: Document, book: &FontBook) -> Result<Vec<u8>, PdfError> {
    write_pdf_owned_as(doc, book, None)
}

/// [`write_pdf_owned`], as PDF/A when `archive` says so; `None` writes the same bytes.
pub fn write_pdf_owned_as(
    doc: Document,
    book: &FontBook,
    archive: Option<&Archive>,
) -> Result<Vec<u8>, PdfError> {
    Ok(write_print(doc, book, archive, &PrintSetup::default())?.pdf)
}

/// A PDF and, for a booklet, its imposed sheets.
#[derive(Debug, Clone, PartialEq)]
pub struct Written {
    /// The reader's PDF (pages in order; a print shop's boxes and marks, PDF/X, greys when
    /// asked).
    pub pdf: Vec<u8>,
    /// The SHA-256 of `pdf` (worked out with its /ID, at little more cost).
    pub pdf_sha256: [u8; 32],
    /// The booklet: the same pages two-up on sheets in saddle-stitch order, when asked.
    pub booklet: Option<Vec<u8>>,
}

/// [`write_pdf_owned_as`] with the print edition `print` asks for (see `crate::print`):
/// greys, bleed and marks, PDF/X, and a booklet imposed from the same objects (the pages are
/// written and compressed once for both files). A plain `print` writes the same bytes as
/// [`write_pdf_owned_as`].
pub fn write_print(
    mut doc: Document,
    book: &FontBook,
    archive: Option<&Archive>,
    print: &PrintSetup,
) -> Result<Written, PdfError> {
    if archive.is_some() {
        archive::check(&doc)?;
    }
    if print.grey {
        crate::print::to_grey(&mut doc);
    }
    if let Some(shop) = &print.shop {
        crate::print::extend_into_bleed(&mut doc, shop.bleed);
    }
    let sides = print.booklet.map(|b| {
        let stands_alone = crate::print::last_page_stands_alone(&doc);
        let slots = crate::print::pad(doc.pages.len(), stands_alone);
        crate::print::impose(&slots, b.signature, b.creep)
    });
    let (pdf, fonts) = prepare(&doc, book)?;
    let Document {
        pages, structure, ..
    } = &mut doc;
    let structure = (!structure.elems.is_empty()).then_some(&*structure);
    let mut z = Deflater::reused();
    let contents = write_contents(
        pages.iter_mut().collect(),
        &fonts,
        structure,
        print.k_black,
        &mut z,
    );
    let built = assemble(pdf, &fonts, &doc.pages, contents, z);
    let written = serialize(built, &doc, archive, print, sides.as_deref());
    let long = doc.pages.len() >= PARALLEL_PAGES;
    drop_aside((doc, fonts), long);
    written
}

/// Drops `value` on another core when it is a long document's (its pages, glyph runs and
/// objects are freed while the bytes are written: ~15 ms a structure of a 794-page issue),
/// else here. Short documents, an export's usual issue, drop in place: a pool job would cost
/// more than the free, and would keep the memory past the next issue.
fn drop_aside<T: Send + 'static>(value: T, long: bool) {
    if long {
        rayon::spawn(move || drop(value));
    } else {
        drop(value);
    }
}

/// A document ready to save: printpdf's document (fonts, metadata, pages with their link
/// annotations) and each page's content stream, written by `content`.
struct Built {
    pdf: PdfDocument,
    streams: Vec<PageStream>,
    /// Per page: the structure element of each marked-content id and of each link.
    marks: Vec<tags::PageMarks>,
    /// The compressor that wrote a short document's streams, for its other streams.
    deflater: Deflater,
}

/// One page's content stream as it goes into the file: deflated when that pays (the rule and
/// level of [`compress`], applied as soon as the page is written).
struct PageStream {
    bytes: Vec<u8>,
    deflated: bool,
}

/// validate, embed: printpdf's document with its metadata and fonts, and the embedded faces.
fn prepare(doc: &Document, book: &FontBook) -> Result<(PdfDocument, embed::Embedded), PdfError> {
    // validate: no NaN or empty page reaches printpdf
    validate(doc)?;
    // embed: subset every used face to its glyphs, once per document
    let fonts = embed::embed_fonts(doc, book)?;

    let mut pdf = PdfDocument::new(&doc.meta.title);
    pdf.metadata = metadata(doc)?;
    for face in fonts.faces.values() {
        pdf.resources.fonts.map.insert(
            FontId(face.resource.clone()),
            PdfFont::new(face.parsed.clone()),
        );
    }
    Ok((pdf, fonts))
}

/// A page the content writer reads: borrowed, or owned by the writer, which then frees the
/// page's items once its stream is written.
trait PageRef: Send {
    fn page(&self) -> &crate::layout::Page;
    /// The page's stream is written: its items are no longer needed.
    fn written(&mut self) {}
}

impl PageRef for &crate::layout::Page {
    fn page(&self) -> &crate::layout::Page {
        self
    }
}

impl PageRef for &mut crate::layout::Page {
    fn page(&self) -> &crate::layout::Page {
        self
    }

    fn written(&mut self) {
        self.items = Vec::new();
    }
}

/// content: every page's items to its content stream, deflated at once (pages in parallel in
/// a long document, each thread with its own compressor; else with `z`), and its links and
/// marks.
fn write_contents<P: PageRef>(
    pages: Vec<P>,
    fonts: &embed::Embedded,
    structure: Option<&layout::Structure>,
    k_black: bool,
    z: &mut Deflater,
) -> Vec<(PageStream, content::PageContent)> {
    let write = |z: &mut Deflater, mut page: P| {
        let mut content = content::PageWriter::new(fonts, page.page(), structure)
            .k_black(k_black)
            .write(page.page());
        page.written();
        let raw = std::mem::take(&mut content.stream);
        let stream = match z.deflate(&raw) {
            Some(bytes) => PageStream {
                bytes,
                deflated: true,
            },
            None => PageStream {
                bytes: raw,
                deflated: false,
            },
        };
        (stream, content)
    };
    if pages.len() >= PARALLEL_PAGES {
        use rayon::prelude::*;
        pages
            .into_par_iter()
            .map_init(Deflater::new, write)
            .collect()
    } else {
        pages.into_iter().map(|p| write(z, p)).collect()
    }
}

/// printpdf's pages (sizes, link annotations, the glyph inventory) beside our streams.
fn assemble(
    mut pdf: PdfDocument,
    fonts: &embed::Embedded,
    pages: &[crate::layout::Page],
    contents: Vec<(PageStream, content::PageContent)>,
    deflater: Deflater,
) -> Built {
    let mut streams = Vec::with_capacity(contents.len());
    let mut marks = Vec::with_capacity(contents.len());
    pdf.pages = Vec::with_capacity(contents.len());
    for (page, (stream, content)) in pages.iter().zip(contents) {
        let size = printpdf::Rect::from_wh(Pt(page.width), Pt(page.height));
        let ops = content
            .links
            .iter()
            .map(|l| Op::LinkAnnotation {
                link: link_annotation(l),
            })
            .collect();
        pdf.pages.push(PdfPage {
            media_box: size.clone(),
            trim_box: size.clone(),
            crop_box: size,
            ops,
        });
        streams.push(stream);
        marks.push(tags::PageMarks {
            mcids: content.mcids,
            links: content.links.iter().map(|l| l.elem).collect(),
        });
    }
    // printpdf writes each font's /W widths and ToUnicode CMap from the glyphs its pages'
    // operations show. The pages it is given show nothing (their streams are ours and
    // replace printpdf's in `serialize`), so the first page carries the list of every glyph
    // drawn, one text object per face; its stream is replaced like every other.
    let inventory = fonts.faces.values().flat_map(|face| {
        [
            Op::StartTextSection,
            Op::SetFont {
                font: PdfFontHandle::External(FontId(face.resource.clone())),
                size: Pt(1.0),
            },
            Op::ShowText {
                items: vec![TextItem::GlyphIds(face.inventory())],
            },
            Op::EndTextSection,
        ]
    });
    if let Some(first) = pdf.pages.first_mut() {
        first.ops.splice(0..0, inventory);
    }
    Built {
        pdf,
        streams,
        marks,
        deflater,
    }
}

/// printpdf → lopdf, our content streams, finish, print edition, compress, save: the bytes
/// (and the booklet's, imposed as `sides` say). Uses only the pages' sizes, the outline and
/// the metadata of `doc`.
fn serialize(
    built: Built,
    doc: &Document,
    archive: Option<&Archive>,
    print: &PrintSetup,
    sides: Option<&[Side]>,
) -> Result<Written, PdfError> {
    let Built {
        pdf,
        streams,
        marks,
        mut deflater,
    } = built;
    // printpdf: fonts, pages, annotations into a lopdf document.
    let opts = PdfSaveOptions {
        optimize: true,
        subset_fonts: false,
        secure: true,
        image_optimization: None,
    };
    let mut warnings = Vec::new();
    let mut lo = pdf.to_lopdf_document(&opts, &mut warnings);
    let long = doc.pages.len() >= PARALLEL_PAGES;
    drop_aside(pdf, long);
    if let Some(w) = warnings
        .iter()
        .find(|w| w.severity == PdfParseErrorSeverity::Error)
    {
        return Err(PdfError::Serialize(w.msg.clone()));
    }
    set_contents(&mut lo, streams)?;
    // finish: outline, /Lang, XMP, /ID placeholder
    finish::finish(&mut lo, doc)?;
    // tags: the structure tree, when the document has one
    tags::write_structure(&mut lo, &doc.structure, &marks)?;
    // archive: PDF/A-2b/3b, only when asked (plain PDFs keep their bytes)
    if let Some(archive) = archive {
        archive::apply(&mut lo, doc, archive)?;
    }
    // press: a print shop's boxes and marks, PDF/X (only when asked)
    if let Some(shop) = &print.shop {
        press::shop(&mut lo, shop)?;
    }
    if let Some(level) = print.pdfx {
        press::pdfx(&mut lo, doc, level)?;
    }
    // save: compressed streams, then the /ID from the hash of the bytes
    compress(&mut lo, long, &mut deflater);
    deflater.recycle();
    let (pdf, pdf_sha256) = save(&mut lo)?;
    // impose: the booklet from the same compressed objects
    let booklet = match sides {
        Some(sides) => {
            press::impose(&mut lo, sides)?;
            Some(save(&mut lo)?.0)
        }
        None => None,
    };
    drop_aside(lo, long);
    Ok(Written {
        pdf,
        pdf_sha256,
        booklet,
    })
}

/// The bytes of `lo`, its /ID the hash of the file, and their SHA-256.
fn save(lo: &mut lopdf::Document) -> Result<(Vec<u8>, [u8; 32]), PdfError> {
    let mut out = Vec::new();
    lo.save_to(&mut out)
        .map_err(|e| PdfError::Serialize(e.to_string()))?;
    let sha256 = finish::stamp_id(&mut out)?;
    Ok((out, sha256))
}

/// Puts each page's own content stream in place of the one printpdf wrote for it.
fn set_contents(lo: &mut lopdf::Document, streams: Vec<PageStream>) -> Result<(), PdfError> {
    let pages: Vec<lopdf::ObjectId> = lo.get_pages().values().copied().collect();
    if pages.len() != streams.len() {
        return Err(PdfError::Serialize(format!(
            "printpdf wrote {} pages for {}",
            pages.len(),
            streams.len()
        )));
    }
    for (page, stream) in pages.into_iter().zip(streams) {
        let contents = lo
            .get_dictionary(page)
            .and_then(|d| d.get(b"Contents"))
            .and_then(lopdf::Object::as_reference)
            .map_err(|e| PdfError::Serialize(format!("page without contents: {e}")))?;
        // The dictionary as `compress` leaves it: /Length, then /Filter.
        let mut s = lopdf::Stream::new(lopdf::Dictionary::new(), stream.bytes);
        if stream.deflated {
            s.dict.set("Filter", "FlateDecode");
        } else {
            // Deflate did not pay: `compress` would find the same.
            s.allows_compression = false;
        }
        lo.objects.insert(contents, lopdf::Object::Stream(s));
    }
    Ok(())
}

fn link_annotation(l: &content::LinkRect) -> LinkAnnotation {
    LinkAnnotation::new(
        printpdf::Rect {
            x: Pt(l.x),
            y: Pt(l.y),
            width: Pt(l.w),
            height: Pt(l.h),
            mode: None,
            winding_order: None,
        },
        printpdf::Actions::Uri(l.uri.clone()),
        Some(printpdf::BorderArray::Solid([0.0, 0.0, 0.0])),
        Some(printpdf::ColorArray::Transparent),
        None,
    )
}

/// Deflate level (libdeflate's scale, 1–12) for every stream: its fastest, one compressor for
/// all of a document's streams.
///
/// Font programs: a subset program is dense (outlines, charstrings) and the fastest level finds
/// about as much in it as the slower ones. On 40 issues' 200 programs (1.50 MB raw): zlib-rs
/// level 2 (used before libdeflate) 733.7 KB in 17–20 ms, libdeflate level 1 730.8 KB in 8–9
/// ms, level 6 719.5 KB in 15–16 ms.
///
/// Page contents, ToUnicode maps and metadata: on the same 40 issues' 389 such streams (1.62 MB
/// raw), zlib-rs level 3 made 637.4 KB in 25–32 ms; libdeflate level 1 663.6 KB in 12–15 ms,
/// level 3 633.8 KB in 23–27 ms, level 6 606.2 KB in 33–37 ms. These streams were at level 3
/// (a second compressor) until round seven measured level 1 whole: the 240-issue export's PDFs
/// 1.6 % larger (12.56 → 12.76 MB), the sample's 154 bytes (35,973 → 36,127); the 24-issue
/// export 2.7 % fewer instructions; a one-page render 62 fewer page faults (the greedy
/// matchfinder's 256 KB of tables never touched), the sample 0.962 of its time and the
/// 240-issue export 0.953 (alternated).
/// (Before libdeflate, zlib level 6 → 3 had taken deflate from 40 % of a long render.)
const ZLIB_LEVEL: i32 = 1;

/// Documents with at least this many pages build page content and compress streams on all
/// cores; below it the thread pool's start-up (~1 ms) costs more than it saves.
pub(crate) const PARALLEL_PAGES: usize = 16;

/// Flate-compress every stream that allows it and has no filter yet, on all cores when
/// `parallel`, else with `z`. One compressor per thread serves all its streams: setting one up
/// allocates its tables (~300 KB with miniz_oxide, which was 11 % of a one-page render when
/// done per stream). The bytes do not depend on the thread count.
fn compress(lo: &mut lopdf::Document, parallel: bool, z: &mut Deflater) {
    let streams: Vec<&mut lopdf::Stream> = lo
        .objects
        .values_mut()
        .filter_map(|o| match o {
            lopdf::Object::Stream(s) if s.allows_compression && s.dict.get(b"Filter").is_err() => {
                Some(s)
            }
            _ => None,
        })
        .collect();
    if parallel {
        use rayon::prelude::*;
        streams
            .into_par_iter()
            .for_each_init(Deflater::new, compress_stream);
    } else {
        streams.into_iter().for_each(|s| compress_stream(z, s));
    }
}

fn compress_stream(z: &mut Deflater, stream: &mut lopdf::Stream) {
    if let Some(packed) = z.deflate(&stream.content) {
        stream.dict.set("Filter", "FlateDecode");
        stream.set_content(packed);
    }
}

/// A zlib compressor (libdeflate, at [`ZLIB_LEVEL`]) and a scratch buffer, reused stream after
/// stream. libdeflate compresses a whole buffer in one call and keeps no state between calls:
/// the same stream gives the same bytes whatever was compressed before.
struct Deflater {
    /// Made when the first stream is deflated.
    compressor: Option<libdeflater::Compressor>,
    /// Room for the largest stream's worst case so far; each result is copied out of it at
    /// its exact size (a page's stream deflates to about a third: keeping the worst-case
    /// room in every stream held 22 MB for 7.5 MB of a 794-page issue's streams).
    buf: Vec<u8>,
}

thread_local! {
    /// The compressor the thread's last document used: an export's next issue on this thread
    /// takes it rather than allocating another.
    static SPARE_DEFLATER: std::cell::Cell<Option<Deflater>> = const { std::cell::Cell::new(None) };
}

impl Deflater {
    /// The thread's spare compressor (see [`Deflater::recycle`]), else a new one.
    fn reused() -> Deflater {
        SPARE_DEFLATER
            .try_with(std::cell::Cell::take)
            .ok()
            .flatten()
            .unwrap_or_else(Deflater::new)
    }

    /// Keeps this compressor for the thread's next document.
    fn recycle(self) {
        let _ = SPARE_DEFLATER.try_with(|spare| spare.set(Some(self)));
    }

    fn new() -> Deflater {
        Deflater {
            compressor: None,
            buf: Vec::new(),
        }
    }

    /// `data` deflated (zlib), when that makes it smaller: `None` when deflate fails or does
    /// not pay (a tiny stream can grow under deflate). The same `data` always gives the same
    /// bytes, whatever was deflated before.
    fn deflate(&mut self, data: &[u8]) -> Option<Vec<u8>> {
        let z = match &mut self.compressor {
            Some(z) => z,
            None => {
                deflate_memory::route_to_rust();
                let level = libdeflater::CompressionLvl::new(ZLIB_LEVEL).ok()?;
                self.compressor.insert(libdeflater::Compressor::new(level))
            }
        };
        let bound = z.zlib_compress_bound(data.len());
        // Zeroed once per size reached, not per stream: the buffer only grows.
        if self.buf.len() < bound {
            self.buf.resize(bound, 0);
        }
        let n = z.zlib_compress(data, &mut self.buf).ok()?;
        // Only when it pays: a tiny stream can grow under deflate.
        (n + 19 < data.len()).then(|| self.buf.get(..n).map(<[u8]>::to_vec))?
    }
}

/// libdeflate's memory from the process's allocator rather than C's `malloc`.
///
/// glibc's `malloc` serves a compressor (its hash tables and block buffers) with a fresh
/// `mmap` of its own: a short render paid ~30 page faults of fresh memory for it (341 -> 311
/// on the sample), while the render's allocator (the arena's huge page, or mimalloc's pages
/// in an export) had room already faulted in.
mod deflate_memory {
    use std::alloc::Layout;
    use std::ffi::c_void;

    /// Bytes before each block: its total size, for `free` (which is given only the pointer),
    /// keeping the block 16-aligned as `malloc`'s are.
    const HEADER: usize = 16;

    /// Tells libdeflate to allocate through Rust's global allocator; once per process, before
    /// the first compressor (later calls do nothing).
    pub(super) fn route_to_rust() {
        static ONCE: std::sync::Once = std::sync::Once::new();
        // SAFETY: libdeflate keeps the two function pointers in globals, read when a
        // compressor is made; `Once` sets them before quire makes one, and they stay valid
        // forever. Each compressor keeps the free function it was made with (libdeflate
        // 1.19 on), so one made before the hook (a test's) is still freed by C's `free`.
        ONCE.call_once(|| unsafe { libdeflate_sys::libdeflate_set_memory_allocator(alloc, free) });
    }

    fn layout(total: usize) -> Option<Layout> {
        Layout::from_size_align(total, HEADER).ok()
    }

    /// `malloc` for libdeflate: null when the size cannot be served.
    unsafe extern "C" fn alloc(size: usize) -> *mut c_void {
        let Some(total) = size.checked_add(HEADER) else {
            return std::ptr::null_mut();
        };
        let Some(layout) = layout(total) else {
            return std::ptr::null_mut();
        };
        // SAFETY: a layout of non-zero size.
        let base = unsafe { std::alloc::alloc(layout) };
        if base.is_null() {
            return std::ptr::null_mut();
        }
        // SAFETY: the block is at least HEADER bytes, 16-aligned; the size goes in its head.
        unsafe {
            base.cast::<usize>().write(total);
            base.add(HEADER).cast()
        }
    }

    /// `free` for libdeflate, of a block `alloc` made (or null).
    unsafe extern "C" fn free(ptr: *mut c_void) {
        if ptr.is_null() {
            return;
        }
        // SAFETY: `ptr` came from `alloc`, HEADER bytes into a block whose head holds its
        // total size, allocated with this very layout.
        unsafe {
            let base = ptr.cast::<u8>().sub(HEADER);
            let total = base.cast::<usize>().read();
            if let Some(layout) = layout(total) {
                std::alloc::dealloc(base, layout);
            }
        }
    }

    #[cfg(test)]
    mod tests {
        #[test]
        fn deflate_memory_blocks_round_trip_aligned() {
            for size in [0usize, 1, 15, 16, 17, 4096, 150_000] {
                // SAFETY: a block from `alloc`, written within its size, then freed once.
                unsafe {
                    let p = super::alloc(size).cast::<u8>();
                    assert!(!p.is_null());
                    assert_eq!(p as usize % 16, 0);
                    p.write_bytes(0xAB, size);
                    super::free(p.cast());
                }
            }
            // SAFETY: null is accepted as by C's free; an impossible size gives null.
            unsafe {
                super::free(std::ptr::null_mut());
                assert!(super::alloc(usize::MAX).is_null());
            }
        }
    }
}

fn metadata(doc: &Document) -> Result<PdfMetadata, PdfError> {
    let m = &doc.meta;
    let date = printpdf::OffsetDateTime::from_unix_timestamp(m.timestamp)
        .map_err(|_| PdfError::Timestamp(m.timestamp))?;
    Ok(PdfMetadata {
        info: PdfDocumentInfo {
            creation_date: date,
            modification_date: date,
            metadata_date: date,
            // Custom conformance with no ICC profile and no PDF/X XMP: XMP is written by
            // `finish` instead, with no random instance id.
            conformance: PdfConformance::default(),
            document_title: m.title.clone(),
            author: m.author.clone(),
            creator: CREATOR.to_string(),
            producer: PRODUCER.to_string(),
            // One entry: printpdf joins entries with "," and readers expect ", ".
            keywords: if m.keywords.is_empty() {
                Vec::new()
            } else {
                vec![m.keywords.join(", ")]
            },
            subject: m.subject.clone(),
            ..PdfDocumentInfo::default()
        },
        xmp: None,
    })
}

fn validate(doc: &Document) -> Result<(), PdfError> {
    if doc.pages.is_empty() {
        return Err(PdfError::NoPages);
    }
    for (n, page) in doc.pages.iter().enumerate() {
        let bad = |what| PdfError::BadGeometry { page: n, what };
        if !(page.width.is_finite() && page.height.is_finite())
            || page.width <= 0.0
            || page.height <= 0.0
        {
            return Err(bad("the page size"));
        }
        for item in &page.items {
            let ok = match item {
                Item::Text { x, y, run, .. } => {
                    x.is_finite() && y.is_finite() && run_is_finite(run)
                }
                Item::Rule {
                    x1,
                    y1,
                    x2,
                    y2,
                    width,
                    ..
                } => [*x1, *y1, *x2, *y2, *width].iter().all(|v| v.is_finite()),
                Item::Dots {
                    x1,
                    x2,
                    y,
                    pitch,
                    diameter,
                    ..
                } => {
                    [*x1, *x2, *y, *pitch, *diameter]
                        .iter()
                        .all(|v| v.is_finite())
                        && *pitch > 0.0
                }
                Item::Rect { x, y, w, h, .. } | Item::Link { x, y, w, h, .. } => {
                    [*x, *y, *w, *h].iter().all(|v| v.is_finite())
                }
                // A mark must name an element the structure has.
                Item::Begin(Mark::Elem(e)) => *e < doc.structure.elems.len(),
                Item::Begin(Mark::Artifact(_)) | Item::End => true,
            };
            if !ok {
                return Err(bad("an item coordinate"));
            }
        }
    }
    fn outline_ok(entries: &[OutlineEntry]) -> bool {
        entries
            .iter()
            .all(|e| e.y.is_finite() && outline_ok(&e.children))
    }
    if !outline_ok(&doc.outline) {
        return Err(PdfError::BadGeometry {
            page: 0,
            what: "an outline position",
        });
    }
    Ok(())
}

fn run_is_finite(run: &GlyphRun) -> bool {
    run.size.is_finite()
        && run.size > 0.0
        && run
            .glyphs
            .iter()
            .all(|g| g.x.is_finite() && g.y.is_finite() && g.advance.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::{DocMeta, Page, Rgb};

    fn blank(width: f32) -> Document {
        Document {
            pages: vec![Page {
                width,
                height: 792.0,
                items: vec![Item::Rule {
                    x1: 72.0,
                    y1: 72.0,
                    x2: 540.0,
                    y2: 72.0,
                    width: 0.5,
                    color: Rgb::BLACK,
                }],
            }],
            meta: DocMeta {
                title: "Blank".to_string(),
                timestamp: 1_491_004_800,
                ..DocMeta::default()
            },
            outline: Vec::new(),
            structure: Default::default(),
        }
    }

    /// `pages` pages, page `k` with `k * 10` rules (page 0 with none: a stream too short to
    /// deflate).
    fn ruled(pages: usize) -> Document {
        let mut doc = blank(612.0);
        let page = doc.pages[0].clone();
        doc.pages = (0..pages)
            .map(|k| Page {
                items: (0..k * 10)
                    .map(|i| Item::Rule {
                        x1: 72.0,
                        y1: 72.0 + i as f32,
                        x2: 540.0,
                        y2: 72.0 + i as f32,
                        width: 0.5,
                        color: Rgb::BLACK,
                    })
                    .collect(),
                ..page.clone()
            })
            .collect();
        doc
    }

    #[test]
    fn pdf_deflater_gives_the_same_bytes_whatever_came_before() {
        let data: Vec<u8> = (0..50_000u32)
            .flat_map(|i| (i % 251).to_be_bytes())
            .collect();
        let fresh = Deflater::new().deflate(&data).expect("deflates");
        assert!(fresh.len() < data.len() / 4);
        assert_eq!(fresh.capacity(), fresh.len());
        let mut used = Deflater::new();
        assert!(used.deflate(&data[..4000]).is_some());
        assert_eq!(used.deflate(&data), Some(fresh.clone()));
        // What a fresh libdeflate compressor makes at the same level.
        let one_shot = |level: i32| {
            let mut c = libdeflater::Compressor::new(
                libdeflater::CompressionLvl::new(level).expect("level"),
            );
            let mut out = vec![0; c.zlib_compress_bound(data.len())];
            let n = c.zlib_compress(&data, &mut out).expect("compresses");
            out.truncate(n);
            out
        };
        assert_eq!(one_shot(ZLIB_LEVEL), fresh);
        // At its fastest level: larger than a slower level's output by little.
        assert!(
            fresh.len() <= one_shot(6).len() * 11 / 10,
            "{}",
            fresh.len()
        );
        // What was deflated is what comes back (flate2 reads it as any PDF reader would).
        let mut back = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::ZlibDecoder::new(&fresh[..]), &mut back)
            .expect("inflates");
        assert_eq!(back, data);
        assert_eq!(used.deflate(&data), Some(fresh.clone()));
        // Too short to pay.
        assert_eq!(used.deflate(b"q 1 0 0 1 0 0 cm Q"), None);
        assert_eq!(used.deflate(b""), None);
    }

    #[test]
    fn pdf_owned_writes_the_same_bytes_and_frees_items() {
        for pages in [3, PARALLEL_PAGES + 4] {
            let doc = ruled(pages);
            let book = FontBook::bundled();
            let borrowed = write_pdf(&doc, &book).expect("pdf");
            assert_eq!(write_pdf_owned(doc.clone(), &book).expect("pdf"), borrowed);
            // Each page's stream deflated only when that paid (page 0: no).
            let lo = lopdf::Document::load_mem(&borrowed).expect("lopdf");
            for (k, id) in lo.get_pages().values().enumerate() {
                let contents = lo
                    .get_dictionary(*id)
                    .and_then(|d| d.get(b"Contents"))
                    .and_then(lopdf::Object::as_reference)
                    .expect("contents");
                let stream = lo
                    .get_object(contents)
                    .and_then(lopdf::Object::as_stream)
                    .expect("stream");
                assert_eq!(stream.dict.get(b"Filter").is_ok(), k > 0, "page {k}");
            }
            let mut doc = doc;
            let (_, fonts) = prepare(&doc, &book).expect("prepare");
            let mut z = Deflater::new();
            let contents =
                write_contents(doc.pages.iter_mut().collect(), &fonts, None, false, &mut z);
            assert_eq!(contents.len(), pages);
            assert!(doc.pages.iter().all(|p| p.items.capacity() == 0));
        }
    }

    #[test]
    fn pdf_validate_rejects_bad_page_size() {
        assert!(matches!(
            validate(&blank(0.0)),
            Err(PdfError::BadGeometry { page: 0, .. })
        ));
        assert!(matches!(
            validate(&blank(f32::INFINITY)),
            Err(PdfError::BadGeometry { page: 0, .. })
        ));
        assert_eq!(validate(&blank(612.0)), Ok(()));
    }

    #[test]
    fn pdf_write_without_text_embeds_no_font() {
        let book = FontBook::bundled();
        let bytes = write_pdf(&blank(612.0), &book).expect("pdf");
        assert!(bytes.starts_with(b"%PDF-1.7"));
        assert!(!bytes.windows(8).any(|w| w == b"FontFile"));
    }

    #[test]
    fn pdf_metadata_joins_keywords_and_sets_dates() {
        let mut doc = blank(612.0);
        doc.meta.keywords = vec!["a".to_string(), "b".to_string()];
        let m = metadata(&doc).expect("metadata");
        assert_eq!(m.info.keywords, vec!["a, b".to_string()]);
        assert_eq!(m.info.creation_date.unix_timestamp(), 1_491_004_800);
        assert_eq!(m.info.producer, PRODUCER);
    }

    #[test]
    fn pdf_metadata_rejects_out_of_range_timestamp() {
        let mut doc = blank(612.0);
        doc.meta.timestamp = i64::MAX;
        assert_eq!(metadata(&doc).err(), Some(PdfError::Timestamp(i64::MAX)));
    }
}
