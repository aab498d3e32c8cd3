//! The bundled faces and the user's own: one `FontBook` per process, shared by all stages.
//!
//! Bundled font files are compiled into the binary with `include_bytes!`, so a fresh clone and
//! a `cargo install`ed binary render with no system fonts and no set-up; the OS maps those
//! bytes lazily, so an English issue never pages in the CJK collections' glyph data.

use std::fmt;
use std::sync::{Arc, OnceLock};

/// Why a face could not be added.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum FontError {
    /// The bytes are not an OpenType/TrueType font, or the collection has no face `index`.
    #[error("not a usable font (face {index}): {reason}")]
    Parse {
        /// The face index asked for within the file.
        index: u32,
        /// What the font parser said.
        reason: String,
    },
    /// A `FontBook` holds at most `u16::MAX` faces (ids are 16-bit).
    #[error("too many faces in the font book")]
    TooMany,
    /// The file is larger than `MAX_FONT_BYTES`.
    #[error("the font file is {} MB, larger than the {} MB quire reads", .bytes / 1_000_000, MAX_FONT_BYTES / 1_000_000)]
    TooLarge {
        /// The file's size.
        bytes: u64,
    },
    /// The face has no glyphs (not even `.notdef`, which every font must have).
    #[error("not a usable font (face {index}): it has no glyphs")]
    NoGlyphs {
        /// The face index asked for within the file.
        index: u32,
    },
}

/// A font collection (`ttcf`) lists its faces' offsets after a 12-byte header; a header that
/// promises more faces than the file can hold is not a collection. ttf-parser 0.25 reads the
/// offsets as one array and, in builds with debug assertions, stops the process when that
/// array would reach past 4 GiB (fuzzing found it); its release build returns "malformed".
/// Checked here so every build gives the same error.
fn check_collection_header(data: &[u8], index: u32) -> Result<(), FontError> {
    if !data.starts_with(b"ttcf") {
        return Ok(());
    }
    let count = data
        .get(8..12)
        .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]));
    match count {
        Some(n) if 12 + u64::from(n) * 4 <= data.len() as u64 => Ok(()),
        Some(n) => Err(FontError::Parse {
            index,
            reason: format!("the collection's header lists {n} faces, more than the file holds"),
        }),
        None => Err(FontError::Parse {
            index,
            reason: "the collection's header is cut short".to_string(),
        }),
    }
}

/// The largest font file quire reads: 64 MB, three times the largest CJK collections (Noto
/// Sans CJK's .ttc is about 20 MB). The glyph count needs no limit of its own: `numGlyphs` is
/// 16-bit, and 65,535 glyphs (Source Han Sans, Noto Sans CJK) is a legal, common maximum; a
/// collection's face is found by its index without reading the others.
pub const MAX_FONT_BYTES: u64 = 64_000_000;

/// Vertical metrics of a face, in font units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FaceMetrics {
    /// Height above the baseline the face reserves for its tallest glyphs.
    pub ascender: i16,
    /// Negative below the baseline, as in the font's `hhea`/`OS/2` table.
    pub descender: i16,
    /// Extra space the face asks for between lines.
    pub line_gap: i16,
    /// Font units per em: the scale of every other number here.
    pub units_per_em: u16,
}

impl FaceMetrics {
    /// Ascender in pt at `size`.
    pub fn ascent(&self, size: f32) -> f32 {
        f32::from(self.ascender) * size / f32::from(self.units_per_em.max(1))
    }
    /// Descender as a positive depth below the baseline in pt at `size`.
    pub fn descent(&self, size: f32) -> f32 {
        -f32::from(self.descender) * size / f32::from(self.units_per_em.max(1))
    }
}

/// A parsed face, shared by every stage (and every clone of the book): parsed at most once.
type ParsedSlot = Arc<OnceLock<ParsedFace>>;

/// A parsed face and the bytes it reads from. A bundled face borrows the binary's own data; a
/// user's face borrows its file's bytes, which the slot keeps alive exactly as long as the
/// parsed face (and no longer: a book dropped, e.g. by `quire watch` reloading a font, frees
/// them).
struct ParsedFace {
    /// `None` when the data does not parse. Declared before `_data`, so it is dropped first.
    face: Option<rustybuzz::Face<'static>>,
    /// The user's bytes `face` borrows (`None` for a bundled face, whose data is `'static`).
    _data: Option<Arc<[u8]>>,
}

impl ParsedFace {
    fn parse(data: &FontData, index: u32) -> ParsedFace {
        match data {
            FontData::Static(bytes) => ParsedFace {
                face: rustybuzz::Face::from_slice(bytes, index),
                _data: None,
            },
            FontData::Owned(arc) => {
                // SAFETY: the slice lies in the `Arc`'s heap allocation, which does not move
                // and is not freed while `_data` holds its clone of the `Arc`. `face` is the
                // only holder of the `'static` slice; it is dropped before `_data` (field
                // order) and only lent out for borrows of this `ParsedFace` (`face` below),
                // so nothing reads the bytes after they are freed.
                let bytes: &'static [u8] = unsafe { &*std::ptr::from_ref::<[u8]>(arc) };
                ParsedFace {
                    face: rustybuzz::Face::from_slice(bytes, index),
                    _data: Some(arc.clone()),
                }
            }
        }
    }

    /// The parsed face, for as long as this is borrowed.
    fn face(&self) -> Option<&rustybuzz::Face<'_>> {
        self.face.as_ref()
    }
}

/// Index of a face in the `FontBook`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FaceId(pub u16);

/// Which design a face belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Family {
    /// Noto Serif (and Noto Serif CJK): body text.
    Serif,
    /// Noto Sans (and Noto Sans CJK): headlines, footers, labels.
    Sans,
}

/// A CJK region: selects the face in the `.ttc` collection with that region's glyph forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Region {
    /// Simplified Chinese (zh-Hans)
    Sc,
    /// Traditional Chinese (zh-Hant)
    Tc,
    /// Japanese
    Jp,
    /// Korean
    Kr,
}

/// How a face is described when picking one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FaceKey {
    /// Serif or sans.
    pub family: Family,
    /// The bold weight (else regular).
    pub bold: bool,
    /// The italic style (else upright).
    pub italic: bool,
    /// `None` for the Latin faces, `Some(region)` for the CJK ones.
    pub cjk: Option<Region>,
}

/// Font file bytes: compiled in, or loaded by the CLI from the user's files.
#[derive(Debug, Clone)]
pub enum FontData {
    /// A bundled face, compiled into the binary.
    Static(&'static [u8]),
    /// A file the CLI read, shared between the books that use it.
    Owned(Arc<[u8]>),
}

impl FontData {
    /// The font file's bytes, wherever they live.
    pub fn bytes(&self) -> &[u8] {
        match self {
            FontData::Static(b) => b,
            FontData::Owned(b) => b,
        }
    }
}

/// One face: the file's bytes, its index in a collection, its PostScript name.
#[derive(Debug, Clone)]
pub struct FaceEntry {
    /// The font file's bytes.
    pub data: FontData,
    /// Index of the face within a `.ttc` collection (0 for a single `.ttf`/`.otf`).
    pub index: u32,
    /// The face's PostScript name (`NotoSerif-Regular`), by which the theme names user faces.
    pub postscript_name: String,
    /// What the face is, when it is one of the bundled ones.
    pub key: Option<FaceKey>,
    /// For a bundled face of a script the main faces lack (Arabic, Hebrew): the family and
    /// weight it stands in for, so a bold sans heading falls back to a bold sans face.
    pub fallback: Option<(Family, bool)>,
    /// True for a face the user added (`FontBook::add_face`), false for a bundled one.
    pub user: bool,
}

macro_rules! font_file {
    ($name:literal) => {
        include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/fonts/", $name))
    };
}

static SERIF_REGULAR: &[u8] = font_file!("NotoSerif-Regular.ttf");
static SERIF_BOLD: &[u8] = font_file!("NotoSerif-Bold.ttf");
static SERIF_ITALIC: &[u8] = font_file!("NotoSerif-Italic.ttf");
static SERIF_BOLD_ITALIC: &[u8] = font_file!("NotoSerif-BoldItalic.ttf");
static SANS_REGULAR: &[u8] = font_file!("NotoSans-Regular.ttf");
static SANS_BOLD: &[u8] = font_file!("NotoSans-Bold.ttf");
static SANS_ITALIC: &[u8] = font_file!("NotoSans-Italic.ttf");
static SANS_BOLD_ITALIC: &[u8] = font_file!("NotoSans-BoldItalic.ttf");
/// Faces for scripts neither the Latin nor the CJK faces cover, set right to left:
/// (file bytes, PostScript name, family, bold).
static SCRIPT_FALLBACKS: [(&[u8], &str, Family, bool); 8] = [
    (
        font_file!("NotoNaskhArabic-Regular.ttf"),
        "NotoNaskhArabic-Regular",
        Family::Serif,
        false,
    ),
    (
        font_file!("NotoNaskhArabic-Bold.ttf"),
        "NotoNaskhArabic-Bold",
        Family::Serif,
        true,
    ),
    (
        font_file!("NotoSansArabic-Regular.ttf"),
        "NotoSansArabic-Regular",
        Family::Sans,
        false,
    ),
    (
        font_file!("NotoSansArabic-Bold.ttf"),
        "NotoSansArabic-Bold",
        Family::Sans,
        true,
    ),
    (
        font_file!("NotoSerifHebrew-Regular.ttf"),
        "NotoSerifHebrew-Regular",
        Family::Serif,
        false,
    ),
    (
        font_file!("NotoSerifHebrew-Bold.ttf"),
        "NotoSerifHebrew-Bold",
        Family::Serif,
        true,
    ),
    (
        font_file!("NotoSansHebrew-Regular.ttf"),
        "NotoSansHebrew-Regular",
        Family::Sans,
        false,
    ),
    (
        font_file!("NotoSansHebrew-Bold.ttf"),
        "NotoSansHebrew-Bold",
        Family::Sans,
        true,
    ),
];
static SERIF_CJK_REGULAR: &[u8] = font_file!("NotoSerifCJK-Regular.ttc");
static SERIF_CJK_BOLD: &[u8] = font_file!("NotoSerifCJK-Bold.ttc");
static SANS_CJK_REGULAR: &[u8] = font_file!("NotoSansCJK-Regular.ttc");
static SANS_CJK_BOLD: &[u8] = font_file!("NotoSansCJK-Bold.ttc");

/// Face order inside the Noto CJK collections (checked with ttf-parser: jp, kr, sc, tc, hk).
fn ttc_index(region: Region) -> u32 {
    match region {
        Region::Jp => 0,
        Region::Kr => 1,
        Region::Sc => 2,
        Region::Tc => 3,
    }
}

fn region_suffix(region: Region) -> &'static str {
    match region {
        Region::Sc => "sc",
        Region::Tc => "tc",
        Region::Jp => "jp",
        Region::Kr => "kr",
    }
}

/// All faces quire can set text in.
#[derive(Clone)]
pub struct FontBook {
    faces: Vec<FaceEntry>,
    parsed: Vec<ParsedSlot>,
    /// Which ASCII characters each face covers, as a bitmap computed on first use: most
    /// coverage questions are about ASCII, and a bit test beats a cmap search.
    ascii: Vec<Arc<OnceLock<u128>>>,
    /// Which faces these are: a number no other book's faces have had, kept by a clone
    /// (identical faces) and renewed by every change to a face or its role. What a face
    /// shapes to can be remembered under it across documents (`inline::shape`).
    generation: u64,
}

/// Non-ASCII coverage answers of one book's faces ([`FontBook::covers`]), by face id and
/// character; `generation` says which book's.
#[derive(Default)]
struct Covered {
    generation: u64,
    map: rustc_hash::FxHashMap<(u16, char), bool>,
}

thread_local! {
    static COVERED: std::cell::RefCell<Covered> = std::cell::RefCell::default();
}

/// Answers kept per thread before they are dropped and asked again (~0.5 MB; an archive of
/// Chinese and Japanese issues asks about a few thousand characters per face).
const COVERED_CAP: usize = 32_768;

/// The next [`FontBook::generation`].
fn next_generation() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

impl fmt::Debug for FontBook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FontBook")
            .field("faces", &self.faces)
            .finish_non_exhaustive()
    }
}

impl FontBook {
    /// The bundled faces: 8 Latin (Noto Serif/Sans × regular/bold/italic/bold italic),
    /// 16 CJK (Noto Serif/Sans CJK × regular/bold × SC/TC/JP/KR) and 8 fallbacks for Arabic
    /// and Hebrew (Noto Naskh Arabic, Sans Arabic, Serif Hebrew, Sans Hebrew × regular/bold).
    /// Costs no parsing.
    pub fn bundled() -> FontBook {
        let mut faces = Vec::new();
        let latin: [(Family, bool, bool, &'static [u8], &str); 8] = [
            (
                Family::Serif,
                false,
                false,
                SERIF_REGULAR,
                "NotoSerif-Regular",
            ),
            (Family::Serif, true, false, SERIF_BOLD, "NotoSerif-Bold"),
            (Family::Serif, false, true, SERIF_ITALIC, "NotoSerif-Italic"),
            (
                Family::Serif,
                true,
                true,
                SERIF_BOLD_ITALIC,
                "NotoSerif-BoldItalic",
            ),
            (Family::Sans, false, false, SANS_REGULAR, "NotoSans-Regular"),
            (Family::Sans, true, false, SANS_BOLD, "NotoSans-Bold"),
            (Family::Sans, false, true, SANS_ITALIC, "NotoSans-Italic"),
            (
                Family::Sans,
                true,
                true,
                SANS_BOLD_ITALIC,
                "NotoSans-BoldItalic",
            ),
        ];
        for (family, bold, italic, data, name) in latin {
            faces.push(FaceEntry {
                data: FontData::Static(data),
                index: 0,
                postscript_name: name.to_string(),
                key: Some(FaceKey {
                    family,
                    bold,
                    italic,
                    cjk: None,
                }),
                fallback: None,
                user: false,
            });
        }
        let cjk: [(Family, bool, &'static [u8], &str, &str); 4] = [
            (
                Family::Serif,
                false,
                SERIF_CJK_REGULAR,
                "NotoSerifCJK",
                "Regular",
            ),
            (Family::Serif, true, SERIF_CJK_BOLD, "NotoSerifCJK", "Bold"),
            (
                Family::Sans,
                false,
                SANS_CJK_REGULAR,
                "NotoSansCJK",
                "Regular",
            ),
            (Family::Sans, true, SANS_CJK_BOLD, "NotoSansCJK", "Bold"),
        ];
        for (family, bold, data, stem, weight) in cjk {
            for region in [Region::Sc, Region::Tc, Region::Jp, Region::Kr] {
                faces.push(FaceEntry {
                    data: FontData::Static(data),
                    index: ttc_index(region),
                    postscript_name: format!("{stem}{}-{weight}", region_suffix(region)),
                    key: Some(FaceKey {
                        family,
                        bold,
                        italic: false,
                        cjk: Some(region),
                    }),
                    fallback: None,
                    user: false,
                });
            }
        }
        for (data, name, family, bold) in SCRIPT_FALLBACKS {
            faces.push(FaceEntry {
                data: FontData::Static(data),
                index: 0,
                postscript_name: name.to_string(),
                key: None,
                fallback: Some((family, bold)),
                user: false,
            });
        }
        let parsed = faces.iter().map(|_| ParsedSlot::default()).collect();
        let ascii = faces.iter().map(|_| Arc::default()).collect();
        FontBook {
            faces,
            parsed,
            ascii,
            generation: next_generation(),
        }
    }

    /// Which faces the book holds: equal for two books only when every face id stands for the
    /// same face in the same role in both.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Adds a user's face (a `.ttf`/`.otf`, or face `index` of a `.ttc`) and returns its id.
    /// The face is parsed here to check it; its bytes live as long as the book (and its
    /// clones) that hold it.
    pub fn add_face(&mut self, data: Arc<[u8]>, index: u32) -> Result<FaceId, FontError> {
        let id = u16::try_from(self.faces.len()).map_err(|_| FontError::TooMany)?;
        if data.len() as u64 > MAX_FONT_BYTES {
            return Err(FontError::TooLarge {
                bytes: data.len() as u64,
            });
        }
        check_collection_header(&data, index)?;
        let face = ttf_parser::Face::parse(&data, index).map_err(|e| FontError::Parse {
            index,
            reason: e.to_string(),
        })?;
        if face.number_of_glyphs() == 0 {
            return Err(FontError::NoGlyphs { index });
        }
        let postscript_name = face
            .names()
            .into_iter()
            .find(|n| n.name_id == ttf_parser::name_id::POST_SCRIPT_NAME && n.is_unicode())
            .and_then(|n| n.to_string())
            .unwrap_or_else(|| format!("UserFace{id}"));
        let data = FontData::Owned(data);
        let slot = ParsedSlot::default();
        let _ = slot.set(ParsedFace::parse(&data, index));
        self.faces.push(FaceEntry {
            data,
            index,
            postscript_name,
            key: None,
            fallback: None,
            user: true,
        });
        self.parsed.push(slot);
        self.ascii.push(Arc::default());
        self.generation = next_generation();
        Ok(FaceId(id))
    }

    /// Makes face `id` the one `find(key)` returns (a user's face replacing a bundled one for a
    /// style, e.g. from quire.yaml). Returns false when `id` is not in the book.
    pub fn assign(&mut self, id: FaceId, key: FaceKey) -> bool {
        match self.faces.get_mut(usize::from(id.0)) {
            Some(f) => {
                f.key = Some(key);
                self.generation = next_generation();
                true
            }
            None => false,
        }
    }

    /// The parsed face for shaping and measuring (`None` when the id is unknown or the data
    /// does not parse). Parsed on first use and cached: never re-parsed per word or call.
    pub fn shaper(&self, id: FaceId) -> Option<&rustybuzz::Face<'_>> {
        let i = usize::from(id.0);
        let entry = self.faces.get(i)?;
        self.parsed
            .get(i)?
            .get_or_init(|| ParsedFace::parse(&entry.data, entry.index))
            .face()
    }

    /// True when face `id` has a glyph for `c`.
    pub fn covers(&self, id: FaceId, c: char) -> bool {
        if c.is_ascii() {
            let Some(slot) = self.ascii.get(usize::from(id.0)) else {
                return false;
            };
            let bits = slot.get_or_init(|| self.shaper(id).map_or(0, |f| ascii_coverage(f)));
            return bits & (1u128 << (c as u32)) != 0;
        }
        // Beyond ASCII every question is a cmap search (a Chinese issue asks one per
        // character, 1.5 % of an export): answers are remembered per thread for this book's
        // faces, as the shaper remembers words.
        COVERED.with(|cell| {
            let mut covered = cell.borrow_mut();
            if covered.generation != self.generation || covered.map.len() >= COVERED_CAP {
                covered.generation = self.generation;
                covered.map.clear();
            }
            *covered
                .map
                .entry((id.0, c))
                .or_insert_with(|| self.covers_uncached(id, c))
        })
    }

    /// Whether face `id` has a glyph for `c`, from its cmap (`Face::glyph_index`: the first
    /// Unicode subtable that maps `c` decides; glyph 0, `.notdef`, is no glyph).
    fn covers_uncached(&self, id: FaceId, c: char) -> bool {
        self.shaper(id)
            .and_then(|f| f.glyph_index(c))
            .is_some_and(|g| g.0 != 0)
    }

    /// Units per em of face `id` (the `head` table's, read when the face was parsed): what
    /// shaping scales every advance by, asked once per word shaped.
    pub fn units_per_em(&self, id: FaceId) -> Option<u16> {
        let f: &ttf_parser::Face = self.shaper(id)?;
        Some(f.units_per_em())
    }

    /// Vertical metrics of face `id` (typographic ascender/descender from `hhea`).
    pub fn metrics(&self, id: FaceId) -> Option<FaceMetrics> {
        let f: &ttf_parser::Face = self.shaper(id)?;
        Some(FaceMetrics {
            ascender: f.ascender(),
            descender: f.descender(),
            line_gap: f.line_gap(),
            units_per_em: f.units_per_em(),
        })
    }

    /// Number of faces in the book.
    pub fn len(&self) -> usize {
        self.faces.len()
    }

    /// True when the book has no faces (never for `bundled()`).
    pub fn is_empty(&self) -> bool {
        self.faces.is_empty()
    }

    /// The Latin face for a style: the exact bundled face, else the same family upright, else
    /// Serif regular.
    pub fn latin(&self, family: Family, bold: bool, italic: bool) -> Option<FaceId> {
        let key = |family, bold, italic| FaceKey {
            family,
            bold,
            italic,
            cjk: None,
        };
        self.find(key(family, bold, italic))
            .or_else(|| self.find(key(family, bold, false)))
            .or_else(|| self.find(key(Family::Serif, false, false)))
    }

    /// The CJK face of `region` for a style (CJK faces have no italic).
    pub fn cjk(&self, family: Family, bold: bool, region: Region) -> Option<FaceId> {
        self.find(FaceKey {
            family,
            bold,
            italic: false,
            cjk: Some(region),
        })
    }

    /// The face with this id.
    ///
    /// # Panics
    /// When `id` did not come from this book.
    pub fn face(&self, id: FaceId) -> &FaceEntry {
        &self.faces[id.0 as usize]
    }

    /// All faces with their ids.
    pub fn faces(&self) -> impl Iterator<Item = (FaceId, &FaceEntry)> {
        self.faces
            .iter()
            .enumerate()
            .map(|(i, f)| (FaceId(i as u16), f))
    }

    /// The face that matches `key` exactly, if any: the bundled one, or a user's face
    /// `assign`ed to that key (the latest assignment wins). CJK faces have no italic: an
    /// italic CJK key finds the upright face.
    pub fn find(&self, key: FaceKey) -> Option<FaceId> {
        let key = if key.cjk.is_some() {
            FaceKey {
                italic: false,
                ..key
            }
        } else {
            key
        };
        let found = self.faces.iter().rposition(|f| f.key == Some(key))?;
        u16::try_from(found).ok().map(FaceId)
    }
}

/// The ASCII characters `face` has a glyph for, bit `c` for character `c`: what
/// [`FontBook::covers_uncached`] answers for each (the first Unicode subtable that maps a
/// character decides), with the Unicode subtables found once rather than for every character
/// (each search through them parses every subtable's header again: 0.6 % of the instructions
/// of a render of the sample).
fn ascii_coverage(face: &ttf_parser::Face) -> u128 {
    let Some(cmap) = face.tables().cmap else {
        return 0;
    };
    let unicode: Vec<ttf_parser::cmap::Subtable> = cmap
        .subtables
        .into_iter()
        .filter(|s| s.is_unicode())
        .collect();
    (0u8..128).fold(0u128, |acc, b| {
        let glyph = unicode.iter().find_map(|s| s.glyph_index(u32::from(b)));
        if glyph.is_some_and(|g| g.0 != 0) {
            acc | (1u128 << b)
        } else {
            acc
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fonts_bundled_faces_parse_and_cover_their_scripts() {
        let book = FontBook::bundled();
        assert_eq!(book.len(), 32);
        let serif = book.latin(Family::Serif, false, false).expect("serif");
        // The script fallbacks parse, cover their script, and name the style they stand in for.
        for (id, f) in book.faces().filter(|(_, f)| f.fallback.is_some()) {
            let probe = if f.postscript_name.contains("Arabic") {
                'م'
            } else {
                'ש'
            };
            assert!(book.covers(id, probe), "{}", f.postscript_name);
            assert!(f.key.is_none(), "a fallback is never a style's own face");
        }
        assert!(book.covers(serif, 'A'));
        assert!(!book.covers(serif, '中'));
        assert!(
            !book.covers(serif, '\u{2163}'),
            "Noto Serif has no Roman numeral IV"
        );
        let sc = book.cjk(Family::Serif, false, Region::Sc).expect("sc");
        assert!(book.covers(sc, '中'));
        assert_eq!(book.face(sc).postscript_name, "NotoSerifCJKsc-Regular");
    }

    #[test]
    fn fonts_ascii_coverage_is_each_characters_cmap_answer() {
        let book = FontBook::bundled();
        let mut partial = 0;
        for (id, f) in book.faces() {
            let bits = ascii_coverage(book.shaper(id).expect("parses"));
            for b in 0u8..128 {
                let c = char::from(b);
                assert_eq!(
                    bits & (1u128 << b) != 0,
                    book.covers_uncached(id, c),
                    "{} {c:?}",
                    f.postscript_name
                );
                assert_eq!(book.covers(id, c), book.covers_uncached(id, c));
            }
            partial += usize::from(bits != 0 && bits.count_ones() < 95);
        }
        // Faces that lack some printable ASCII (the Arabic and Hebrew fallbacks) are among
        // them, so the bits are not all alike.
        assert!(partial > 0);
    }

    #[test]
    fn fonts_metrics_are_from_the_face() {
        let book = FontBook::bundled();
        let serif = book.latin(Family::Serif, false, false).expect("serif");
        let m = book.metrics(serif).expect("metrics");
        assert_eq!(m.units_per_em, 1000);
        assert!(m.ascender > 0 && m.descender < 0);
        assert!((m.ascent(10.0) - f32::from(m.ascender) / 100.0).abs() < 1e-4);
    }

    #[test]
    fn fonts_add_face_accepts_a_font_and_rejects_garbage() {
        let mut book = FontBook::bundled();
        let data: Arc<[u8]> = Arc::from(SANS_REGULAR);
        let id = book.add_face(data, 0).expect("a real font");
        assert_eq!(id, FaceId(32));
        assert_eq!(book.face(id).postscript_name, "NotoSans-Regular");
        assert!(book.covers(id, 'x'));
        let key = FaceKey {
            family: Family::Serif,
            bold: false,
            italic: false,
            cjk: None,
        };
        assert!(book.assign(id, key));
        assert_eq!(
            book.find(key),
            Some(id),
            "the assigned face replaces the bundled one"
        );
        let err = book.add_face(Arc::from(&b"not a font"[..]), 0);
        assert!(matches!(err, Err(FontError::Parse { .. })));
    }

    #[test]
    fn fonts_user_face_bytes_are_freed_with_the_last_book() {
        // They were leaked for the rest of the process: the font fuzz target ran out of
        // memory, and `quire watch` grew with every reload of a font.
        let data: Arc<[u8]> = Arc::from(SANS_REGULAR);
        let mut book = FontBook::bundled();
        let id = book.add_face(data.clone(), 0).expect("a real font");
        assert!(book.shaper(id).is_some());
        let clone = book.clone();
        drop(book);
        let shaped = clone.shaper(id).expect("a clone keeps the face");
        assert_eq!(shaped.units_per_em(), 1000);
        drop(clone);
        assert_eq!(
            Arc::strong_count(&data),
            1,
            "no book holds the bytes any more"
        );
    }

    #[test]
    fn fonts_collection_header_must_fit_its_face_count() {
        let mut book = FontBook::bundled();
        // A collection header promising 0xd09dd0be faces in 16 bytes (fuzzing found it).
        let mut huge = b"ttcf\x00\x01\x00\x00\xd0\x9d\xd0\xbe".to_vec();
        huge.extend_from_slice(&[0; 4]);
        let err = book.add_face(Arc::from(huge), 0).unwrap_err();
        assert!(err.to_string().contains("lists 3500003518 faces"), "{err}");
        let err = book
            .add_face(Arc::from(&b"ttcf\x00\x01"[..]), 0)
            .unwrap_err();
        assert!(err.to_string().contains("cut short"), "{err}");
        // A real collection passes the check.
        let sc = book.cjk(Family::Serif, false, Region::Sc).expect("sc");
        let ttc = book.face(sc).data.bytes();
        assert!(ttc.starts_with(b"ttcf"), "Noto Serif CJK is a collection");
        assert!(check_collection_header(ttc, 0).is_ok());
    }
}
