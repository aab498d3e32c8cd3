//! The laid-out document: pages of positioned glyph runs, rules, boxes and links.
//!
//! This is what pagination produces and what `pdf` writes. All lengths are in PostScript
//! points (1/72 in); coordinates have their origin at the page's top-left corner and grow
//! right and down (the PDF writer flips y).

use crate::fonts::FaceId;

/// A whole document ready to be written.
#[derive(Debug, Clone, Default)]
pub struct Document {
    pub pages: Vec<Page>,
    pub meta: DocMeta,
    /// Top-level outline entries, in reading order.
    pub outline: Vec<OutlineEntry>,
}

/// Document information written to the PDF's Info dictionary and catalog.
#[derive(Debug, Clone, Default)]
pub struct DocMeta {
    pub title: String,
    pub author: String,
    pub subject: String,
    pub keywords: Vec<String>,
    /// BCP 47 tag for the catalog's /Lang.
    pub lang: String,
    /// Creation and modification time, seconds since the Unix epoch (UTC).
    pub timestamp: i64,
}

/// A bookmark: jumps to `y` on page `page` (0-based).
#[derive(Debug, Clone)]
pub struct OutlineEntry {
    pub title: String,
    pub page: usize,
    /// Distance from the page top of the place to show, in pt.
    pub y: f32,
    pub children: Vec<OutlineEntry>,
}

/// One page.
#[derive(Debug, Clone)]
pub struct Page {
    pub width: f32,
    pub height: f32,
    pub items: Vec<Item>,
}

/// An RGB colour, each channel 0.0–1.0.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rgb(pub f32, pub f32, pub f32);

impl Rgb {
    pub const BLACK: Rgb = Rgb(0.0, 0.0, 0.0);
}

/// Something drawn on a page.
#[derive(Debug, Clone)]
pub enum Item {
    /// Glyphs set in one face at one size, starting at the baseline point (x, y).
    Text {
        x: f32,
        y: f32,
        run: GlyphRun,
        color: Rgb,
    },
    /// A straight line.
    Rule {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width: f32,
        color: Rgb,
    },
    /// A row of round dots centred on the line y, from x1 to x2, one every `pitch` pt: a
    /// leader between a title and its page number. Drawn, not set, so text extraction reads
    /// the title and the number and no run of periods.
    Dots {
        x1: f32,
        x2: f32,
        y: f32,
        pitch: f32,
        diameter: f32,
        color: Rgb,
    },
    /// A filled rectangle (x, y is its top-left corner), e.g. a QR module.
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        color: Rgb,
    },
    /// A clickable area (x, y is its top-left corner) opening `uri`; drawn without a border.
    Link {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        uri: String,
    },
}

/// Shaped glyphs of one face at one size.
#[derive(Debug, Clone, PartialEq)]
pub struct GlyphRun {
    pub face: FaceId,
    /// Font size in pt.
    pub size: f32,
    pub glyphs: Vec<PlacedGlyph>,
}

/// One glyph, placed relative to its run's origin.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedGlyph {
    /// Glyph id in the face (the original font's ids; the PDF writer remaps after subsetting).
    pub id: u16,
    /// Pen position of this glyph relative to the run origin, in pt (x grows right, y grows down).
    pub x: f32,
    pub y: f32,
    /// The advance the glyph has in the font at this size, in pt.
    pub advance: f32,
    /// The text this glyph stands for (a ligature stands for several characters; the second
    /// and later glyphs of a cluster stand for ""). Used for ToUnicode / ActualText.
    /// Stored inline up to 24 bytes (every glyph's text in practice): no allocation per glyph.
    pub text: compact_str::CompactString,
}
