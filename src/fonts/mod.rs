//! The bundled faces and the user's own: one `FontBook` per process, shared by all stages.
//!
//! Bundled font files are compiled into the binary with `include_bytes!`, so a fresh clone and
//! a `cargo install`ed binary render with no system fonts and no set-up; the OS maps those
//! bytes lazily, so an English issue never pages in the CJK collections' glyph data.

use std::sync::Arc;

/// Index of a face in the `FontBook`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FaceId(pub u16);

/// Which design a face belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Family {
    Serif,
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
    pub family: Family,
    pub bold: bool,
    pub italic: bool,
    /// `None` for the Latin faces, `Some(region)` for the CJK ones.
    pub cjk: Option<Region>,
}

/// Font file bytes: compiled in, or loaded by the CLI from the user's files.
#[derive(Debug, Clone)]
pub enum FontData {
    Static(&'static [u8]),
    Owned(Arc<[u8]>),
}

impl FontData {
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
    pub data: FontData,
    /// Index of the face within a `.ttc` collection (0 for a single `.ttf`/`.otf`).
    pub index: u32,
    pub postscript_name: String,
    /// What the face is, when it is one of the bundled ones.
    pub key: Option<FaceKey>,
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
#[derive(Debug, Clone)]
pub struct FontBook {
    faces: Vec<FaceEntry>,
}

impl FontBook {
    /// The bundled faces: 8 Latin (Noto Serif/Sans × regular/bold/italic/bold italic) and
    /// 16 CJK (Noto Serif/Sans CJK × regular/bold × SC/TC/JP/KR). Costs no parsing.
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
                });
            }
        }
        FontBook { faces }
    }

    /// The face with this id.
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

    /// The bundled face that matches `key` exactly, if any. CJK faces have no italic: an
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
        self.faces()
            .find(|(_, f)| f.key == Some(key))
            .map(|(id, _)| id)
    }
}
