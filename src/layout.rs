//! The laid-out document: pages of positioned glyph runs, rules, boxes and links.
//!
//! This is what pagination produces and what `pdf` writes. All lengths are in PostScript
//! points (1/72 in); coordinates have their origin at the page's top-left corner and grow
//! right and down (the PDF writer flips y).

use crate::fonts::FaceId;

/// A whole document ready to be written.
#[derive(Debug, Clone, Default)]
pub struct Document {
    /// Pages in reading order; page 0 is the first.
    pub pages: Vec<Page>,
    /// Title, author and the rest, for the Info dictionary and the catalog.
    pub meta: DocMeta,
    /// Top-level outline entries, in reading order.
    pub outline: Vec<OutlineEntry>,
    /// The logical structure (tagged PDF); empty for a document built without one, which is
    /// then written untagged.
    pub structure: Structure,
}

/// The logical structure of a document: elements whose content the pages' `Item::Begin` /
/// `Item::End` marks bracket. Element 0 is the root (`Document`); every other element names
/// its parent, and its children are read in the order their content first appears.
#[derive(Debug, Clone, Default)]
pub struct Structure {
    /// The elements; `elems[0]` is the root when there is any.
    pub elems: Vec<Elem>,
}

impl Structure {
    /// A structure holding only the root `Document` element, in language `lang`.
    pub fn new(lang: &str) -> Structure {
        Structure {
            elems: vec![Elem {
                role: Role::Document,
                parent: 0,
                lang: Some(lang.to_string()).filter(|l| !l.is_empty()),
                alt: None,
            }],
        }
    }

    /// Add an element under `parent`; its index.
    pub fn add(&mut self, role: Role, parent: usize) -> usize {
        self.elems.push(Elem {
            role,
            parent,
            lang: None,
            alt: None,
        });
        self.elems.len() - 1
    }
}

/// One structure element.
#[derive(Debug, Clone)]
pub struct Elem {
    /// What the element is (its standard structure type).
    pub role: Role,
    /// Index of the parent element (the root's is 0, itself).
    pub parent: usize,
    /// Its language, when it differs from its parent's (BCP 47).
    pub lang: Option<String>,
    /// Alternate text (a figure's description).
    pub alt: Option<String>,
}

/// Standard structure types of PDF 1.7 (ISO 32000-1 §14.8.4) that quire writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The whole document.
    Document,
    /// A part of a larger document: one issue in a volume.
    Part,
    /// A grouping element (the address block, the masthead).
    Div,
    /// The first-level heading: the headline.
    H1,
    /// A second-level heading: a heading line, a section title on its own line.
    H2,
    /// A paragraph.
    P,
    /// A list (of items or of numbered sections).
    L,
    /// A list item.
    LI,
    /// A list item's label: its bullet or numeral.
    Lbl,
    /// A list item's body.
    LBody,
    /// An inline span (a run-in title).
    Span,
    /// A link: its text and, as an object reference, its annotation.
    Link,
    /// A figure (a QR code), with alternate text.
    Figure,
    /// A table of contents (a volume's contents page).
    TOC,
    /// One entry of a table of contents.
    TOCI,
}

impl Role {
    /// The structure type's name as written in the PDF (`/S /P`).
    pub fn name(self) -> &'static str {
        match self {
            Role::Document => "Document",
            Role::Part => "Part",
            Role::Div => "Div",
            Role::H1 => "H1",
            Role::H2 => "H2",
            Role::P => "P",
            Role::L => "L",
            Role::LI => "LI",
            Role::Lbl => "Lbl",
            Role::LBody => "LBody",
            Role::Span => "Span",
            Role::Link => "Link",
            Role::Figure => "Figure",
            Role::TOC => "TOC",
            Role::TOCI => "TOCI",
        }
    }
}

/// What a stretch of page content is, for tagged PDF.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// Content of structure element `n` (an index into `Structure::elems`).
    Elem(usize),
    /// Page furniture, not read aloud: running heads and footers (`/Pagination`), rules and
    /// leaders (`/Layout`).
    Artifact(ArtifactKind),
}

/// The kind of an artifact (ISO 32000-1 §14.8.2.2.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArtifactKind {
    /// Running heads, footers, page numbers.
    Pagination,
    /// Rules, leaders and other layout marks.
    Layout,
}

/// Document information written to the PDF's Info dictionary and catalog.
#[derive(Debug, Clone, Default)]
pub struct DocMeta {
    /// The configured title, else the headline (a volume's own title); "" when neither.
    pub title: String,
    /// The publisher, written as /Author; "" when none is configured.
    pub author: String,
    /// The masthead line, else the newsletter's name and issue line; for a volume,
    /// how many issues of which year it binds.
    pub subject: String,
    /// The configured keywords, else the newsletter's name and the section titles;
    /// written joined by ", ".
    pub keywords: Vec<String>,
    /// BCP 47 tag for the catalog's /Lang.
    pub lang: String,
    /// Creation and modification time, seconds since the Unix epoch (UTC).
    pub timestamp: i64,
}

/// A bookmark: jumps to `y` on page `page` (0-based).
#[derive(Debug, Clone)]
pub struct OutlineEntry {
    /// Text shown in the viewer's bookmarks panel.
    pub title: String,
    /// Page the entry jumps to, 0-based.
    pub page: usize,
    /// Distance from the page top of the place to show, in pt.
    pub y: f32,
    /// Entries nested under this one (a volume's issues, an issue's sections).
    pub children: Vec<OutlineEntry>,
}

/// One page.
#[derive(Debug, Clone)]
pub struct Page {
    /// Page width in pt (595.28 for A4, the default paper).
    pub width: f32,
    /// Page height in pt; the PDF writer flips y against it.
    pub height: f32,
    /// What is drawn, in painting order (later items paint over earlier ones).
    pub items: Vec<Item>,
}

/// An RGB colour, each channel 0.0–1.0.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rgb(pub f32, pub f32, pub f32);

impl Rgb {
    /// Black, the colour of text that has none of its own.
    pub const BLACK: Rgb = Rgb(0.0, 0.0, 0.0);
}

/// Something drawn on a page.
#[derive(Debug, Clone)]
pub enum Item {
    /// Glyphs set in one face at one size, starting at the baseline point (x, y).
    Text {
        /// Run origin, pt from the page's left edge.
        x: f32,
        /// Baseline, pt from the page's top.
        y: f32,
        /// The glyphs, placed relative to (x, y).
        run: GlyphRun,
        /// Fill colour of the glyphs.
        color: Rgb,
    },
    /// A straight line.
    Rule {
        /// Start point, pt from the page's left edge.
        x1: f32,
        /// Start point, pt from the page's top.
        y1: f32,
        /// End point, pt from the page's left edge.
        x2: f32,
        /// End point, pt from the page's top.
        y2: f32,
        /// Stroke width in pt.
        width: f32,
        /// Stroke colour.
        color: Rgb,
    },
    /// A row of round dots centred on the line y, from x1 to x2, one every `pitch` pt: a
    /// leader between a title and its page number. Drawn, not set, so text extraction reads
    /// the title and the number and no run of periods.
    Dots {
        /// Centre of the first dot, pt from the page's left edge.
        x1: f32,
        /// Where the dots end, pt from the page's left edge; the last dot sits at or before it.
        x2: f32,
        /// Line the dots are centred on, pt from the page's top.
        y: f32,
        /// Distance from one dot's centre to the next, pt; must be above 0.
        pitch: f32,
        /// Diameter of each dot, pt.
        diameter: f32,
        /// Colour of the dots.
        color: Rgb,
    },
    /// A filled rectangle (x, y is its top-left corner), e.g. a QR module.
    Rect {
        /// Left edge, pt from the page's left edge.
        x: f32,
        /// Top edge, pt from the page's top.
        y: f32,
        /// Width in pt.
        w: f32,
        /// Height in pt (it extends down from y).
        h: f32,
        /// Fill colour.
        color: Rgb,
    },
    /// A clickable area (x, y is its top-left corner) opening `uri`; drawn without a border.
    Link {
        /// Left edge, pt from the page's left edge.
        x: f32,
        /// Top edge, pt from the page's top.
        y: f32,
        /// Width in pt.
        w: f32,
        /// Height in pt (it extends down from y).
        h: f32,
        /// Target URI; the PDF writer percent-encodes anything but printable ASCII.
        uri: String,
    },
    /// The items up to the matching `End` are content of this structure element, or an
    /// artifact (tagged PDF). Marks nest; the innermost one holds.
    Begin(Mark),
    /// Closes the innermost `Begin`.
    End,
}

/// Shaped glyphs of one face at one size.
///
/// The text each glyph stands for lives in the run's `text`, glyph after glyph, and a glyph
/// records only where its text starts, in 16 bits: a laid-out glyph is 16 bytes (a long issue
/// holds millions of them until its pages are written). Build a run with [`GlyphRun::push`]
/// (while [`GlyphRun::has_room`]) and read a glyph's text with [`GlyphRun::glyph_text`].
#[derive(Debug, Clone, PartialEq)]
pub struct GlyphRun {
    /// Face in the `FontBook` the glyphs come from.
    pub face: FaceId,
    /// Font size in pt.
    pub size: f32,
    /// The glyphs in visual order, left to right.
    pub glyphs: Vec<PlacedGlyph>,
    /// The glyphs' texts, in the glyphs' order: glyph `i` stands for
    /// `text[glyphs[i].text_start..glyphs[i + 1].text_start]` (the last one for the rest).
    pub text: String,
}

impl GlyphRun {
    /// An empty run of `face` at `size` pt, with room for `glyphs` glyphs.
    pub fn new(face: FaceId, size: f32, glyphs: usize) -> GlyphRun {
        GlyphRun {
            face,
            size,
            glyphs: Vec::with_capacity(glyphs),
            text: String::new(),
        }
    }

    /// Whether a glyph pushed now gets its own text: the run's text so far is shorter than
    /// [`GlyphRun::MAX_TEXT_START`] + 1 bytes. A line's worth of text is far shorter; only a
    /// line of thousands of zero-width marks comes near, and the line breaker then starts a
    /// new run.
    pub fn has_room(&self) -> bool {
        self.text.len() <= usize::from(Self::MAX_TEXT_START)
    }

    /// The furthest a glyph's text can start in its run's text, in bytes.
    pub const MAX_TEXT_START: u16 = u16::MAX - 1;

    /// Appends glyph `id` at (`x`, `y`) with `advance`, standing for `text` ("" for a glyph
    /// that continues its cluster). Pushed when the run has no room left (see
    /// [`GlyphRun::has_room`]), the glyph stands for "" and its text joins the last glyph's
    /// that has its own: the run's text stays whole.
    pub fn push(&mut self, id: u16, x: f32, y: f32, advance: f32, text: &str) {
        let text_start = Self::text_start(self.text.len());
        self.text.push_str(text);
        self.glyphs.push(PlacedGlyph {
            id,
            x,
            y,
            advance,
            text_start,
        });
    }

    /// [`PlacedGlyph::text_start`] of a glyph whose text starts `at` bytes into its run's text:
    /// `at`, or [`NO_ROOM`] past [`GlyphRun::MAX_TEXT_START`] (see [`GlyphRun::push`]). For a
    /// builder that appends the glyphs' texts to `text` in larger pieces than one glyph's.
    pub fn text_start(at: usize) -> u16 {
        u16::try_from(at)
            .ok()
            .filter(|&s| s <= Self::MAX_TEXT_START)
            .unwrap_or(NO_ROOM)
    }

    /// The text glyph `i` stands for ("" past the end).
    pub fn glyph_text(&self, i: usize) -> &str {
        self.range_text(i, i + 1)
    }

    /// The text glyphs `start..end` stand for, together.
    pub fn range_text(&self, start: usize, end: usize) -> &str {
        let at = |k: usize| match self.glyphs.get(k) {
            Some(g) if g.text_start != NO_ROOM => usize::from(g.text_start),
            _ => self.text.len(),
        };
        if start >= end || start >= self.glyphs.len() {
            return "";
        }
        self.text.get(at(start)..at(end)).unwrap_or("")
    }

    /// Each glyph with its text.
    pub fn texts(&self) -> impl Iterator<Item = (&PlacedGlyph, &str)> {
        (0..self.glyphs.len()).map(|i| (&self.glyphs[i], self.glyph_text(i)))
    }
}

/// `PlacedGlyph::text_start` of a glyph pushed into a full run: its text is "".
const NO_ROOM: u16 = u16::MAX;

/// One glyph, placed relative to its run's origin.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedGlyph {
    /// Glyph id in the face (the original font's ids; the PDF writer remaps after subsetting).
    pub id: u16,
    /// Where the text this glyph stands for starts in its run's `text` (a ligature stands for
    /// several characters; the second and later glyphs of a cluster stand for ""), or
    /// `u16::MAX` for a glyph pushed into a full run. Used for ToUnicode / ActualText.
    pub text_start: u16,
    /// Where the glyph is drawn right of the run origin, pt: its pen position plus the shaper's
    /// offset, and any justification or letter-spacing.
    pub x: f32,
    /// Where the glyph is drawn below the run's baseline, pt: the shaper's offset, negated
    /// (0 for most glyphs; a raised mark is negative).
    pub y: f32,
    /// The advance the glyph has in the font at this size, in pt.
    pub advance: f32,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// "Ⅳ" drawn as two glyphs, then "fi" as one ligature, then "x".
    fn run() -> GlyphRun {
        let mut r = GlyphRun::new(FaceId(0), 10.0, 0);
        r.push(1, 0.0, 0.0, 3.0, "Ⅳ");
        r.push(2, 3.0, 0.0, 3.0, "");
        r.push(3, 6.0, 0.0, 5.0, "fi");
        r.push(4, 11.0, 0.0, 5.0, "x");
        r
    }

    #[test]
    fn layout_glyph_texts_are_slices_of_the_run_text() {
        let r = run();
        assert_eq!(r.text, "Ⅳfix");
        let texts: Vec<&str> = r.texts().map(|(_, t)| t).collect();
        assert_eq!(texts, ["Ⅳ", "", "fi", "x"]);
        assert_eq!(r.range_text(0, 2), "Ⅳ");
        assert_eq!(r.range_text(1, 4), "fix");
        assert_eq!(
            r.range_text(0, 9),
            "Ⅳfix",
            "an end past the glyphs is the run's end"
        );
    }

    #[test]
    fn layout_glyph_text_out_of_range_is_empty() {
        let r = run();
        assert_eq!(r.glyph_text(4), "");
        assert_eq!(r.range_text(3, 3), "");
        assert_eq!(r.range_text(3, 1), "");
        assert_eq!(GlyphRun::new(FaceId(0), 1.0, 4).glyph_text(0), "");
    }

    #[test]
    fn layout_placed_glyph_is_sixteen_bytes() {
        // A long issue holds millions of them until its pages are written.
        assert_eq!(std::mem::size_of::<PlacedGlyph>(), 16);
    }

    #[test]
    fn layout_a_full_run_keeps_its_text_whole() {
        let mut r = GlyphRun::new(FaceId(0), 10.0, 0);
        let big = "\u{301}".repeat(usize::from(GlyphRun::MAX_TEXT_START) / 2);
        r.push(1, 0.0, 0.0, 3.0, "a");
        r.push(2, 3.0, 0.0, 0.0, &big);
        assert!(!r.has_room());
        r.push(3, 3.0, 0.0, 3.0, "b");
        r.push(4, 6.0, 0.0, 3.0, "c");
        let texts: Vec<&str> = r.texts().map(|(_, t)| t).collect();
        assert_eq!(texts, ["a", format!("{big}bc").as_str(), "", ""]);
        assert_eq!(r.range_text(0, 4), r.text);
        assert_eq!(r.range_text(2, 4), "");
        // Exactly at the limit a glyph still gets its own text.
        let mut r = GlyphRun::new(FaceId(0), 10.0, 0);
        r.push(
            1,
            0.0,
            0.0,
            3.0,
            &"a".repeat(usize::from(GlyphRun::MAX_TEXT_START)),
        );
        assert!(r.has_room());
        r.push(2, 3.0, 0.0, 3.0, "b");
        assert!(!r.has_room());
        assert_eq!(r.glyph_text(1), "b");
    }
}
