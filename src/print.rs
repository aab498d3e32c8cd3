//! The print editions: what an office printer folding a booklet and a print shop need beyond
//! the reader's PDF. Decisions only; the PDF writer (`pdf::press`) carries them out.
//!
//! ```text
//! booklet : the issue set at half the sheet (A5 on A4, 5.5 x 8.5 in on Letter), padded with
//!           blank pages to a multiple of four, then placed two-up on the sheet's sides in
//!           saddle-stitch order (8 pages: 8-1, 2-7, 6-3, 4-5), one signature or several
//!           (`print.signature`), creep compensated (`print.creep` per sheet)
//! shop    : bleed (items touching the page's edge extended into it), crop and registration
//!           marks outside the bleed, PDF/X-4
//! grey    : every colour mapped to the grey of the same luminance
//! ```
//!
//! Blank pages go before the back cover (the issue's last page) when that page is back matter
//! — it starts with the address block — so the text never runs across a blank; otherwise
//! (the last page continues a paragraph, or holds the list a lead-in on the page before
//! announces) they go after it, and the back cover is blank.

use crate::layout::{Document, Item, Mark, Page, Rgb, Role};

/// The options of a print edition, resolved from quire.yaml's `print:` and the command line.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PrintSetup {
    /// Impose the pages as a folded booklet (`--booklet`, `print.booklet`).
    pub booklet: Option<Booklet>,
    /// Bleed, marks and boxes for a print shop (`--print-shop`, `print.bleed`, `print.marks`).
    pub shop: Option<Shop>,
    /// Claim PDF/X-4 (`--pdfx 4`, `print.pdfx`).
    pub pdfx: Option<PdfX>,
    /// Black text and rules as K-only black (DeviceCMYK 0 0 0 1) instead of RGB black
    /// (`print.rich_black: false`); RGB black becomes a four-colour black on a press.
    pub k_black: bool,
    /// Colours as greys of the same luminance (`--grey`, `print.grey`).
    pub grey: bool,
}

/// A booklet's imposition choices.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Booklet {
    /// How far each sheet's pages move toward the fold, per sheet from the outermost, pt
    /// (the paper's thickness pushes inner sheets out at the fore-edge).
    pub creep: f32,
    /// Pages per signature (a multiple of 4); `None`: one signature for the whole issue.
    pub signature: Option<usize>,
}

/// A print shop's page boxes and marks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shop {
    /// How far the design runs past the trim on every side, pt (3 mm is usual).
    pub bleed: f32,
    /// Crop and registration marks in the slug outside the bleed.
    pub marks: bool,
}

/// The command line's print options, laid over quire.yaml's `print:`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PrintFlags {
    /// `--booklet`.
    pub booklet: bool,
    /// `--print-shop`: bleed (3 mm unless `print.bleed` says otherwise) and marks.
    pub print_shop: bool,
    /// `--pdfx`.
    pub pdfx: Option<PdfX>,
    /// `--grey`.
    pub grey: bool,
    /// The reader's PDF only, whatever `print:` says (`quire mail`'s attachment).
    pub reader_only: bool,
}

/// The print edition `flags` and `config` (quire.yaml's and front matter's `print:`) ask for,
/// or why they cannot go together.
pub fn resolve(
    config: Option<&crate::config::Print>,
    flags: &PrintFlags,
    pdfa: bool,
) -> Result<PrintSetup, String> {
    if flags.reader_only {
        return Ok(PrintSetup::default());
    }
    let dflt = crate::config::Print::default();
    let c = config.unwrap_or(&dflt);
    let pdfx = flags.pdfx.or(c.pdfx);
    let booklet = (flags.booklet || c.booklet == Some(true)).then(|| Booklet {
        creep: c.creep.map_or(0.0, |l| l.0),
        signature: c.signature.map(|s| s.0 as usize),
    });
    let marks = c.marks.unwrap_or(flags.print_shop);
    let shop = (flags.print_shop || c.bleed.is_some() || marks || pdfx.is_some()).then(|| Shop {
        bleed: c
            .bleed
            .map_or(if flags.print_shop { DEFAULT_BLEED } else { 0.0 }, |l| l.0),
        marks,
    });
    if booklet.is_some() && shop.is_some() {
        return Err(
            "a booklet (--booklet, print.booklet) is imposed for an office printer; \
                    bleed, marks and PDF/X (--print-shop, --pdfx, print.bleed/marks/pdfx) are for \
                    a print shop, which imposes the pages itself: ask for one or the other"
                .into(),
        );
    }
    if pdfa && pdfx.is_some() {
        return Err(
            "PDF/A (the archive's copy) and PDF/X (the print shop's) are different \
                    files: ask for one of --pdfa and --pdfx at a time"
                .into(),
        );
    }
    let k_black = c.rich_black == Some(false);
    if pdfa && (k_black || shop.is_some_and(|s| s.marks)) {
        return Err(
            "PDF/A (the archive's copy) cannot carry crop marks or K-only black (device \
                    CMYK under its sRGB intent): ask for --print-shop, print.marks or \
                    print.rich_black: false without --pdfa"
                .into(),
        );
    }
    if let Some(b) = &shop {
        if b.bleed > MAX_BLEED {
            return Err(format!(
                "print.bleed of {:.1} mm is more than a print shop trims (at most {:.0} mm)",
                b.bleed * 25.4 / 72.0,
                MAX_BLEED * 25.4 / 72.0
            ));
        }
    }
    if let Some(b) = &booklet {
        if b.creep > MAX_CREEP {
            return Err(format!(
                "print.creep of {:.2} mm per sheet is more than paper is thick (at most {:.0} mm)",
                b.creep * 25.4 / 72.0,
                MAX_CREEP * 25.4 / 72.0
            ));
        }
    }
    Ok(PrintSetup {
        booklet,
        shop,
        pdfx,
        k_black,
        grey: flags.grey || c.grey == Some(true),
    })
}

/// The largest bleed accepted: 20 mm (3–5 mm is usual).
const MAX_BLEED: f32 = 20.0 * 72.0 / 25.4;
/// The largest creep per sheet accepted: 1 mm (paper is 0.05–0.3 mm thick).
const MAX_CREEP: f32 = 72.0 / 25.4;

/// The bleed `--print-shop` gives when quire.yaml says none: 3 mm.
pub const DEFAULT_BLEED: f32 = 3.0 * 72.0 / 25.4;

/// A PDF/X conformance level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PdfX {
    /// PDF/X-4 (ISO 15930-7:2010): CMYK output intent, ICC-based colour, XMP identification.
    X4,
}

impl PdfX {
    /// `4`, `x-4`, `PDF/X-4` (any case) -> the level.
    pub fn parse(s: &str) -> Result<PdfX, String> {
        let t = s.trim().to_ascii_lowercase();
        let t = t.strip_prefix("pdf/").unwrap_or(&t);
        match t.strip_prefix("x-").or(t.strip_prefix('x')).unwrap_or(t) {
            "4" => Ok(PdfX::X4),
            _ => Err(format!(
                "PDF/X level `{s}` is not supported: use 4 (PDF/X-4)"
            )),
        }
    }

    /// The version string of the XMP `pdfxid:GTS_PDFXVersion` and Info `/GTS_PDFXVersion`.
    pub fn version(self) -> &'static str {
        match self {
            PdfX::X4 => "PDF/X-4",
        }
    }
}

impl std::fmt::Display for PdfX {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            PdfX::X4 => "4",
        })
    }
}

impl std::str::FromStr for PdfX {
    type Err = String;
    fn from_str(s: &str) -> Result<PdfX, String> {
        PdfX::parse(s)
    }
}

/// The page of a booklet printed on `sheet` (width, height in pt, either orientation): half
/// the sheet, upright. A4 gives A5 (420.9 x 595.3 pt), Letter 5.5 x 8.5 in.
pub fn booklet_page(sheet: (f32, f32)) -> (f32, f32) {
    let (short, long) = if sheet.0 <= sheet.1 {
        (sheet.0, sheet.1)
    } else {
        (sheet.1, sheet.0)
    };
    (long / 2.0, short)
}

/// A place on a booklet's sheet: one of the issue's pages (0-based), or a blank page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    /// The issue's page with this index.
    Page(usize),
    /// A blank page added to make the page count a multiple of four.
    Blank,
}

/// The issue's `pages` in reading order, padded with blanks to a multiple of four. The blanks
/// go before the last page (the back cover) when `cover_stands_alone` (that page starts a new
/// block), else after it.
pub fn pad(pages: usize, cover_stands_alone: bool) -> Vec<Slot> {
    let total = pages.div_ceil(4).max(1) * 4;
    let blanks = total - pages;
    let mut slots: Vec<Slot> = (0..pages).map(Slot::Page).collect();
    if blanks > 0 && cover_stands_alone && pages >= 2 {
        slots.splice(
            pages - 1..pages - 1,
            std::iter::repeat_n(Slot::Blank, blanks),
        );
    } else {
        slots.extend(std::iter::repeat_n(Slot::Blank, blanks));
    }
    slots
}

/// One side of a sheet: the page on its left half and on its right half, and how far both
/// move toward the fold (creep compensation), pt.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Side {
    /// The left half's page.
    pub left: Slot,
    /// The right half's page.
    pub right: Slot,
    /// Distance both pages move toward the sheet's centre line, pt.
    pub shift: f32,
}

/// The sides of every sheet in printing order (sheet 1 front, sheet 1 back, sheet 2 front …)
/// for `slots` (a multiple of four), saddle-stitched in signatures of `signature` pages (the
/// last one shorter when the count does not divide; `None`: one signature). In a signature
/// of m pages, sheet s (0 the outermost) carries m-2s and 2s+1 on its front, 2s+2 and
/// m-2s-1 on its back (1-based), its pages moved `creep` x s toward the fold.
pub fn impose(slots: &[Slot], signature: Option<usize>, creep: f32) -> Vec<Side> {
    let size = signature.unwrap_or(slots.len()).max(4);
    let mut sides = Vec::with_capacity(slots.len() / 2);
    for sig in slots.chunks(size) {
        let m = sig.len();
        for s in 0..m / 4 {
            let shift = creep * s as f32;
            sides.push(Side {
                left: sig[m - 1 - 2 * s],
                right: sig[2 * s],
                shift,
            });
            sides.push(Side {
                left: sig[2 * s + 1],
                right: sig[m - 2 - 2 * s],
                shift,
            });
        }
    }
    sides
}

/// Whether `doc`'s last page is back matter that can stand alone as the back cover: its first
/// text opens the address block (a `Div` under the document or an issue's part) that the
/// page before does not already hold. Any other page — the rest of a paragraph, or a list
/// whose lead-in ends the page before — continues the text; so does an untagged document.
pub fn last_page_stands_alone(doc: &Document) -> bool {
    let n = doc.pages.len();
    if n < 2 || doc.structure.elems.is_empty() {
        return false;
    }
    // A list or paragraph is one block however many items it has: compare the outermost
    // elements under the document (or an issue's part of a volume).
    let block = |mut e: usize| {
        let elems = &doc.structure.elems;
        while let Some(el) = elems.get(e) {
            let parent = el.parent;
            if parent == e
                || elems
                    .get(parent)
                    .is_none_or(|p| matches!(p.role, Role::Document | Role::Part))
            {
                break;
            }
            e = parent;
        }
        e
    };
    let first = text_elems(&doc.pages[n - 1]).next().map(block);
    let last = text_elems(&doc.pages[n - 2]).last().map(block);
    let is_div = |e: usize| {
        doc.structure
            .elems
            .get(e)
            .is_some_and(|el| el.role == Role::Div)
    };
    match (first, last) {
        (Some(a), Some(b)) => a != b && is_div(a),
        (Some(a), None) => is_div(a),
        (None, _) => false,
    }
}

/// The structure element of each text item on `page` that is content (not an artifact).
fn text_elems(page: &Page) -> impl Iterator<Item = usize> + '_ {
    let mut stack: Vec<Mark> = Vec::new();
    page.items.iter().filter_map(move |item| {
        match item {
            Item::Begin(m) => stack.push(*m),
            Item::End => {
                stack.pop();
            }
            Item::Text { .. } => {
                if let Some(Mark::Elem(e)) = stack.last() {
                    return Some(*e);
                }
            }
            _ => {}
        }
        None
    })
}

/// The grey of the same relative luminance as `c` (sRGB, ITU-R BT.709 weights on linear
/// light), so a colour printed on a black-and-white printer keeps its weight on the page.
pub fn grey_of(c: Rgb) -> Rgb {
    fn linear(v: f32) -> f32 {
        let v = v.clamp(0.0, 1.0);
        if v <= 0.04045 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    }
    fn encode(v: f32) -> f32 {
        if v <= 0.003_130_8 {
            v * 12.92
        } else {
            1.055 * v.powf(1.0 / 2.4) - 0.055
        }
    }
    let y = 0.2126 * linear(c.0) + 0.7152 * linear(c.1) + 0.0722 * linear(c.2);
    // Rounded to 1/1000, as the content stream writes colours: greys stay exactly neutral.
    let g = (encode(y) * 1000.0).round() / 1000.0;
    Rgb(g, g, g)
}

/// Maps every colour drawn in `doc` to its grey ([`grey_of`]): text, rules, leaders, boxes.
/// Black stays black and white stays white, so QR codes keep their contrast.
pub fn to_grey(doc: &mut Document) {
    for page in &mut doc.pages {
        for item in &mut page.items {
            match item {
                Item::Text { color, .. }
                | Item::Rule { color, .. }
                | Item::Dots { color, .. }
                | Item::Rect { color, .. } => *color = grey_of(*color),
                Item::Link { .. } | Item::Begin(_) | Item::End => {}
            }
        }
    }
}

/// How close to a page's edge an item must come to count as touching it, pt.
const EDGE: f32 = 0.5;

/// Extends what touches a page's edge (filled boxes, rules running to the edge) by `bleed`
/// past it, so that trimming a little off never leaves a white sliver.
pub fn extend_into_bleed(doc: &mut Document, bleed: f32) {
    for page in &mut doc.pages {
        let (pw, ph) = (page.width, page.height);
        for item in &mut page.items {
            match item {
                Item::Rect { x, y, w, h, .. } => {
                    if *x <= EDGE {
                        *w += *x + bleed;
                        *x = -bleed;
                    }
                    if *y <= EDGE {
                        *h += *y + bleed;
                        *y = -bleed;
                    }
                    if *x + *w >= pw - EDGE {
                        *w = pw + bleed - *x;
                    }
                    if *y + *h >= ph - EDGE {
                        *h = ph + bleed - *y;
                    }
                }
                Item::Rule { x1, y1, x2, y2, .. } => {
                    // Only rules along an axis: a slanted rule's end moved would change its angle.
                    if (*y1 - *y2).abs() < 0.01 {
                        extend_end(x1, x2, pw, bleed);
                    } else if (*x1 - *x2).abs() < 0.01 {
                        extend_end(y1, y2, ph, bleed);
                    }
                }
                _ => {}
            }
        }
    }
}

/// Moves whichever end of the segment a..b lies at the edge 0 or `edge` out by `bleed`.
fn extend_end(a: &mut f32, b: &mut f32, edge: f32, bleed: f32) {
    for v in [a, b] {
        if *v <= EDGE {
            *v = -bleed;
        } else if *v >= edge - EDGE {
            *v = edge + bleed;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Slot::{Blank, Page as P};

    fn pages(sides: &[Side]) -> Vec<(Option<usize>, Option<usize>)> {
        let n = |s: Slot| match s {
            P(i) => Some(i + 1),
            Blank => None,
        };
        sides.iter().map(|s| (n(s.left), n(s.right))).collect()
    }

    #[test]
    fn print_eight_pages_impose_in_saddle_order() {
        let sides = impose(&pad(8, true), None, 0.0);
        assert_eq!(
            pages(&sides),
            vec![
                (Some(8), Some(1)),
                (Some(2), Some(7)),
                (Some(6), Some(3)),
                (Some(4), Some(5))
            ]
        );
    }

    #[test]
    fn print_blanks_go_before_a_back_cover_that_stands_alone() {
        assert_eq!(
            pad(6, true),
            vec![P(0), P(1), P(2), P(3), P(4), Blank, Blank, P(5)]
        );
        assert_eq!(
            pad(6, false),
            vec![P(0), P(1), P(2), P(3), P(4), P(5), Blank, Blank]
        );
        assert_eq!(pad(1, true), vec![P(0), Blank, Blank, Blank]);
        assert_eq!(pad(4, true), vec![P(0), P(1), P(2), P(3)]);
        assert_eq!(pad(0, true), vec![Blank; 4]);
        // Six pages: the outer sheet carries the back cover (6) beside the front (1).
        let sides = impose(&pad(6, true), None, 0.0);
        assert_eq!(
            pages(&sides),
            vec![
                (Some(6), Some(1)),
                (Some(2), None),
                (None, Some(3)),
                (Some(4), Some(5))
            ]
        );
    }

    /// Two pages whose texts belong to blocks of these roles (under the document root).
    fn two_pages(first: Role, second: Role) -> Document {
        let mut structure = crate::layout::Structure::new("en");
        let a = structure.add(first, 0);
        let b = structure.add(second, 0);
        let text = |elem: usize| {
            vec![
                Item::Begin(Mark::Elem(elem)),
                Item::Text {
                    x: 0.0,
                    y: 0.0,
                    run: crate::layout::GlyphRun::new(crate::fonts::FaceId(0), 10.0, 0),
                    color: Rgb::BLACK,
                },
                Item::End,
            ]
        };
        let page = |items| Page {
            width: 100.0,
            height: 100.0,
            items,
        };
        Document {
            pages: vec![page(text(a)), page(text(b))],
            structure,
            ..Document::default()
        }
    }

    #[test]
    fn print_only_back_matter_stands_alone_as_the_back_cover() {
        // The address block on a page of its own: the back cover.
        assert!(last_page_stands_alone(&two_pages(Role::P, Role::Div)));
        // A list after the lead-in that ends page 1, or a new paragraph: the text goes on.
        assert!(!last_page_stands_alone(&two_pages(Role::P, Role::L)));
        assert!(!last_page_stands_alone(&two_pages(Role::P, Role::P)));
        // One block across both pages.
        let mut doc = two_pages(Role::Div, Role::Div);
        doc.pages[1] = doc.pages[0].clone();
        assert!(!last_page_stands_alone(&doc));
    }

    #[test]
    fn print_signatures_each_fold_on_their_own() {
        // 20 pages in signatures of 8: 8 + 8 + 4.
        let sides = impose(&pad(20, true), Some(8), 0.0);
        let p = pages(&sides);
        assert_eq!(p.len(), 10);
        assert_eq!(p[0], (Some(8), Some(1)));
        assert_eq!(p[4], (Some(16), Some(9)));
        assert_eq!(p[5], (Some(10), Some(15)));
        assert_eq!(p[8], (Some(20), Some(17)));
        assert_eq!(p[9], (Some(18), Some(19)));
        // Every page exactly once.
        let mut all: Vec<usize> = p
            .iter()
            .flat_map(|(a, b)| [a.unwrap(), b.unwrap()])
            .collect();
        all.sort_unstable();
        assert_eq!(all, (1..=20).collect::<Vec<_>>());
    }

    #[test]
    fn print_creep_grows_toward_the_centre_sheet() {
        let sides = impose(&pad(12, true), None, 0.5);
        let shifts: Vec<f32> = sides.iter().map(|s| s.shift).collect();
        assert_eq!(shifts, vec![0.0, 0.0, 0.5, 0.5, 1.0, 1.0]);
    }

    #[test]
    fn print_booklet_page_is_half_the_sheet() {
        let (w, h) = booklet_page(crate::theme::A4);
        assert!((w - 420.945).abs() < 0.01 && (h - 595.28).abs() < 0.01);
        assert_eq!(booklet_page((612.0, 792.0)), (396.0, 612.0));
        assert_eq!(booklet_page((792.0, 612.0)), (396.0, 612.0));
    }

    #[test]
    fn print_pdfx_levels_parse() {
        for s in ["4", "x-4", "X4", "PDF/X-4", " pdf/x-4 "] {
            assert_eq!(PdfX::parse(s), Ok(PdfX::X4), "{s}");
        }
        assert!(PdfX::parse("1a").unwrap_err().contains("use 4"));
        assert_eq!(PdfX::X4.to_string(), "4");
    }

    #[test]
    fn print_greys_keep_luminance_and_the_ends() {
        assert_eq!(grey_of(Rgb::BLACK), Rgb::BLACK);
        assert_eq!(grey_of(Rgb(1.0, 1.0, 1.0)), Rgb(1.0, 1.0, 1.0));
        // The default navy accent is a dark grey; pure green is lighter than pure blue.
        let navy = grey_of(crate::theme::ACCENT);
        assert!((0.2..0.3).contains(&navy.0), "{navy:?}");
        assert_eq!(navy.0, navy.1);
        assert!(grey_of(Rgb(0.0, 1.0, 0.0)).0 > grey_of(Rgb(0.0, 0.0, 1.0)).0);
        // A grey stays the same grey.
        assert_eq!(grey_of(Rgb(0.5, 0.5, 0.5)), Rgb(0.5, 0.5, 0.5));
    }

    fn cfg(yaml: &str) -> crate::config::Print {
        crate::config::Config::from_yaml("q.yaml", yaml)
            .unwrap()
            .print
            .unwrap()
    }

    #[test]
    fn print_resolve_lays_the_flags_over_the_configuration() {
        let none = PrintFlags::default();
        // Nothing asked: the plain reader's PDF.
        assert!(resolve(None, &none, false).unwrap() == PrintSetup::default());
        // --print-shop gives 3 mm and marks; print.bleed wins over the 3 mm.
        let shop = PrintFlags {
            print_shop: true,
            ..none
        };
        let s = resolve(None, &shop, false).unwrap();
        assert_eq!(
            s.shop,
            Some(Shop {
                bleed: DEFAULT_BLEED,
                marks: true
            })
        );
        let c = cfg("print:\n  bleed: 5mm\n  marks: false\n");
        let s = resolve(Some(&c), &shop, false).unwrap().shop.unwrap();
        assert!((s.bleed - 5.0 * 72.0 / 25.4).abs() < 1e-3 && !s.marks);
        // PDF/X alone: the boxes without bleed or marks.
        let c = cfg("print:\n  pdfx: 4\n  rich_black: false\n");
        let s = resolve(Some(&c), &none, false).unwrap();
        assert_eq!(s.pdfx, Some(PdfX::X4));
        assert_eq!(
            s.shop,
            Some(Shop {
                bleed: 0.0,
                marks: false
            })
        );
        assert!(s.k_black);
        // A booklet's creep and signature.
        let c = cfg("print:\n  booklet: true\n  creep: 0.2mm\n  signature: 16\n");
        let b = resolve(Some(&c), &none, false).unwrap().booklet.unwrap();
        assert_eq!(b.signature, Some(16));
        assert!((b.creep - 0.2 * 72.0 / 25.4).abs() < 1e-4);
        // quire mail's attachment ignores all of it.
        let mail = PrintFlags {
            reader_only: true,
            ..none
        };
        assert!(resolve(Some(&c), &mail, false).unwrap() == PrintSetup::default());
    }

    #[test]
    fn print_resolve_refuses_what_cannot_go_together() {
        let none = PrintFlags::default();
        let c = cfg("print:\n  booklet: true\n  bleed: 3mm\n");
        assert!(resolve(Some(&c), &none, false)
            .unwrap_err()
            .contains("one or the other"));
        let x = PrintFlags {
            pdfx: Some(PdfX::X4),
            ..none
        };
        assert!(resolve(None, &x, true)
            .unwrap_err()
            .contains("different files"));
        // PDF/A with marks or K-only black (device CMYK under an sRGB intent) is refused,
        // PDF/A with a bare bleed (boxes only) is not.
        let c = cfg("print:\n  marks: true\n");
        assert!(resolve(Some(&c), &none, true)
            .unwrap_err()
            .contains("PDF/A"));
        let c = cfg("print:\n  rich_black: false\n");
        assert!(resolve(Some(&c), &none, true)
            .unwrap_err()
            .contains("PDF/A"));
        let c = cfg("print:\n  bleed: 3mm\n");
        assert!(resolve(Some(&c), &none, true).is_ok());
        let c = cfg("print:\n  bleed: 25mm\n");
        assert!(resolve(Some(&c), &none, false)
            .unwrap_err()
            .contains("at most 20 mm"));
        let c = cfg("print:\n  booklet: true\n  creep: 2mm\n");
        assert!(resolve(Some(&c), &none, false)
            .unwrap_err()
            .contains("at most 1 mm"));
    }

    #[test]
    fn print_bleed_extends_what_touches_the_edge_only() {
        let black = Rgb::BLACK;
        let mut doc = Document {
            pages: vec![Page {
                width: 100.0,
                height: 200.0,
                items: vec![
                    Item::Rect {
                        x: 0.0,
                        y: 0.0,
                        w: 100.0,
                        h: 20.0,
                        color: black,
                    },
                    Item::Rect {
                        x: 10.0,
                        y: 50.0,
                        w: 5.0,
                        h: 5.0,
                        color: black,
                    },
                    Item::Rule {
                        x1: 0.0,
                        y1: 30.0,
                        x2: 100.0,
                        y2: 30.0,
                        width: 1.0,
                        color: black,
                    },
                    Item::Rule {
                        x1: 10.0,
                        y1: 40.0,
                        x2: 90.0,
                        y2: 40.0,
                        width: 1.0,
                        color: black,
                    },
                ],
            }],
            ..Document::default()
        };
        extend_into_bleed(&mut doc, 8.0);
        let items = &doc.pages[0].items;
        assert!(matches!(items[0], Item::Rect { x, y, w, h, .. }
            if x == -8.0 && y == -8.0 && w == 116.0 && h == 28.0));
        assert!(matches!(items[1], Item::Rect { x, y, w, h, .. }
            if x == 10.0 && y == 50.0 && w == 5.0 && h == 5.0));
        assert!(matches!(items[2], Item::Rule { x1, x2, .. } if x1 == -8.0 && x2 == 108.0));
        assert!(matches!(items[3], Item::Rule { x1, x2, .. } if x1 == 10.0 && x2 == 90.0));
    }
}
