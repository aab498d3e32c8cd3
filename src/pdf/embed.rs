//! Font subsets: the glyphs each face draws, cut down with `subsetter` and parsed for printpdf.
//!
//! printpdf subsets only with its heavy `text_layout` feature; without it, it embeds whatever
//! bytes its `ParsedFont` was made from. So every face the document uses is subset here, once
//! per document, to exactly the glyphs its runs draw, and printpdf is handed that small program
//! (parsing it costs microseconds, against 20–30 ms for a whole CJK face). Faces a document
//! does not use are never read.

use std::collections::{BTreeMap, BTreeSet};
use unicode_normalization::UnicodeNormalization;

use printpdf::ParsedFont;
use rustc_hash::FxHashMap;
use sha2::{Digest, Sha256};

use super::PdfError;
use crate::fonts::{FaceId, FontBook};
use crate::layout::{Document, Item};

/// One face as embedded in the PDF: its subset program and how to address its glyphs.
#[derive(Debug)]
pub(crate) struct EmbeddedFace {
    /// Resource name in the page's /Font dictionary (`F0`, `F1`, … in order of `FaceId`).
    pub resource: String,
    /// Original glyph id -> everything the content writer needs to show it, looked up once per
    /// drawn glyph (a hash lookup in place of four tree searches: a fifth of a long issue's
    /// content writing).
    drawn: FxHashMap<u16, Drawn>,
    /// The subset, parsed by printpdf (widths, metrics, program bytes).
    pub parsed: ParsedFont,
}

/// How one original glyph is shown.
#[derive(Debug)]
pub(crate) struct Drawn {
    /// The glyph id in the subset, whose /W width the viewer advances by.
    pub gid: u16,
    /// The character code that shows it (Identity-H): the subset glyph id, or its CID in a
    /// CID-keyed CFF subset whose charset does not number CIDs as glyph ids.
    pub code: u16,
    /// The advance a PDF viewer applies after it, in 1/1000 em ([`pdf_advance`]).
    pub advance: f64,
    /// The text its ToUnicode entry maps it to ("" = no entry).
    text: Box<str>,
}

impl EmbeddedFace {
    /// How original glyph `old` is shown (`None`: the document does not draw it).
    pub fn drawn(&self, old: u16) -> Option<&Drawn> {
        self.drawn.get(&old)
    }

    /// Every glyph the document draws in this face, as printpdf's glyph list: subset glyph id
    /// and ToUnicode text. printpdf writes /W and the ToUnicode CMap from exactly this list.
    pub fn inventory(&self) -> Vec<printpdf::Codepoint> {
        let mut drawn: Vec<(&u16, &Drawn)> = self.drawn.iter().collect();
        drawn.sort_unstable_by_key(|(&old, _)| old);
        drawn
            .into_iter()
            .map(|(_, d)| printpdf::Codepoint {
                gid: d.gid,
                offset: 0.0,
                cid: (!d.text.is_empty()).then(|| d.text.to_string()),
            })
            .collect()
    }

    /// The text the ToUnicode CMap gives an original glyph id.
    pub fn canonical_text(&self, old: u16) -> &str {
        self.drawn.get(&old).map_or("", |d| &d.text)
    }

    /// [`pdf_advance`] of subset glyph `new_gid` (the tests check kerns against it).
    #[cfg(test)]
    pub fn pdf_advance(&self, new_gid: u16) -> f64 {
        pdf_advance(&self.parsed, new_gid)
    }
}

/// The advance a PDF viewer applies after showing subset glyph `new_gid`, in 1/1000 em:
/// printpdf writes /W from the same widths with the same truncation, so text positioned
/// against this value lands exactly where the layout put it.
fn pdf_advance(parsed: &ParsedFont, new_gid: u16) -> f64 {
    let upm = f32::from(parsed.pdf_font_metrics.units_per_em);
    let width = parsed.get_glyph_width(new_gid).unwrap_or(0);
    (f32::from(width) * 1000.0 / upm) as i64 as f64
}

/// All faces one document uses.
#[derive(Debug, Default)]
pub(crate) struct Embedded {
    pub faces: BTreeMap<FaceId, EmbeddedFace>,
}

/// What the document's runs draw in one face: glyph id -> how often it stands for each text
/// (almost always one text, so a short list rather than a map).
type Usage<'a> = FxHashMap<u16, Vec<(&'a str, usize)>>;

/// Per face: the characters of the clusters each glyph of a several-glyph cluster helps to
/// draw (their compatibility decomposition: "Ⅳ" gives I and V), where its own character is
/// looked for first (`own_text_for_continuations`).
type Hints = BTreeMap<FaceId, BTreeMap<u16, BTreeSet<char>>>;

/// Collects every glyph of every text run, per face, in one pass over the pages; a long
/// document's pages in runs on all cores, merged after (a tenth of a 794-page render was this
/// pass on one core). The counts, and so every choice made from them, do not depend on how the
/// pages were split.
fn collect_usage(doc: &Document) -> (BTreeMap<FaceId, Usage<'_>>, Hints) {
    if doc.pages.len() < super::PARALLEL_PAGES {
        return collect_usage_of(&doc.pages);
    }
    use rayon::prelude::*;
    doc.pages
        .par_chunks(super::PARALLEL_PAGES)
        .map(collect_usage_of)
        .reduce(
            || (BTreeMap::new(), BTreeMap::new()),
            |(mut usage, mut hints), (more_usage, more_hints)| {
                for (face, glyphs) in more_usage {
                    let into = usage.entry(face).or_default();
                    for (glyph, texts) in glyphs {
                        let counts = into.entry(glyph).or_default();
                        for (text, n) in texts {
                            count_text(counts, text, n);
                        }
                    }
                }
                for (face, glyphs) in more_hints {
                    let into = hints.entry(face).or_default();
                    for (glyph, chars) in glyphs {
                        into.entry(glyph).or_default().extend(chars);
                    }
                }
                (usage, hints)
            },
        )
}

/// Counts `n` more uses of a glyph for `text` in its list of (text, uses).
fn count_text<'a>(texts: &mut Vec<(&'a str, usize)>, text: &'a str, n: usize) {
    match texts.iter_mut().find(|(t, _)| *t == text) {
        Some((_, m)) => *m += n,
        None => texts.push((text, n)),
    }
}

/// [`collect_usage`] of some of the pages.
fn collect_usage_of(pages: &[crate::layout::Page]) -> (BTreeMap<FaceId, Usage<'_>>, Hints) {
    let mut usage: BTreeMap<FaceId, Usage<'_>> = BTreeMap::new();
    let mut hints: Hints = BTreeMap::new();
    for page in pages {
        for item in &page.items {
            if let Item::Text { run, .. } = item {
                if run.glyphs.is_empty() {
                    continue;
                }
                let face = usage.entry(run.face).or_default();
                let glyphs = &run.glyphs;
                let text_of = |j: usize| run.glyph_text(j);
                // The cluster's text is the nearest non-empty one on either side (right-to-left
                // runs may put a cluster's head after its marks): the nearest at or before a
                // glyph is tracked going forward, the nearest at or after it computed once per
                // run that needs it. Each glyph collects those glyphs' indices; their texts are
                // decomposed once after the run (linear in a cluster of thousands of marks).
                let mut before = None;
                let mut after: Vec<Option<usize>> = Vec::new();
                let mut heads: BTreeMap<u16, BTreeSet<usize>> = BTreeMap::new();
                // Whether the glyphs before, at and after `k` stand for "" (continue a cluster).
                let mut prev_empty = false;
                let mut own = text_of(0);
                for (k, glyph) in glyphs.iter().enumerate() {
                    let next = if k + 1 < glyphs.len() {
                        Some(text_of(k + 1))
                    } else {
                        None
                    };
                    let next_empty = next.is_some_and(str::is_empty);
                    if !own.is_empty() {
                        before = Some(k);
                    }
                    // A glyph next to a continuing one heads a cluster drawn with several
                    // (Ⅶ as V, I, I): the cluster's text is not its own, so it does not count
                    // for its ToUnicode entry (the cluster gets /ActualText either way).
                    let heads_many = (k > 0 && prev_empty) || next_empty;
                    let text = if heads_many { "" } else { own };
                    if text.is_empty() {
                        if after.is_empty() {
                            let mut next = None;
                            after = vec![None; glyphs.len()];
                            for j in (0..glyphs.len()).rev() {
                                if !text_of(j).is_empty() {
                                    next = Some(j);
                                }
                                after[j] = next;
                            }
                        }
                        let set = heads.entry(glyph.id).or_default();
                        set.extend(before.into_iter().chain(after[k]));
                    }
                    count_text(face.entry(glyph.id).or_default(), text, 1);
                    prev_empty = own.is_empty();
                    own = next.unwrap_or("");
                }
                for (id, at) in heads {
                    let chars = hints.entry(run.face).or_default().entry(id).or_default();
                    for j in at {
                        chars.extend(text_of(j).nfkd());
                    }
                }
            }
        }
    }
    (usage, hints)
}

/// The text a glyph's ToUnicode entry gives: the non-empty text it stands for most often
/// (ties go to the smallest string, so the choice is deterministic). Occurrences that stand
/// for something else are written with /ActualText by the content writer. A glyph that only
/// ever continues a cluster (an Arabic vowel mark, a Hebrew point) gets U+FFFD, which is what
/// printpdf writes for a glyph without text: its clusters then carry /ActualText too.
fn canonical_text(texts: &[(&str, usize)]) -> String {
    let mut best: Option<(&str, usize)> = None;
    for &(text, count) in texts {
        if text.is_empty() {
            continue;
        }
        if best.is_none_or(|(t, c)| count > c || (count == c && text < t)) {
            best = Some((text, count));
        }
    }
    best.map_or_else(|| NO_TEXT.to_string(), |(t, _)| t.to_string())
}

/// A glyph that only ever continues or heads a cluster drawn with several glyphs (the I and V
/// of "Ⅳ", a Hebrew point) maps to the character the face's cmap gives it, when it has one,
/// rather than U+FFFD or the whole cluster's text: its clusters carry /ActualText all the
/// same, but readers that ignore /ActualText (pdf.js, MuPDF) then read "IV" (NFKC of "Ⅳ")
/// and the point, not "I\u{FFFD}" or "ⅦII".
///
/// The character is looked for first among `hints`, the characters of the glyph's clusters
/// (the smallest that the cmap maps to the glyph); only a glyph none of them maps to sends
/// the search through the face's whole cmap (the smallest character mapped to it), which
/// costs a few hundred microseconds for a Latin face and more for a CJK one.
fn own_text_for_continuations(
    face: &ttf_parser::Face,
    canonical: &mut BTreeMap<u16, String>,
    hints: Option<&BTreeMap<u16, BTreeSet<char>>>,
) {
    if !canonical.values().any(|t| t == NO_TEXT) {
        return;
    }
    if let Some(hints) = hints {
        for (&g, chars) in hints {
            let Some(text) = canonical.get_mut(&g).filter(|t| *t == NO_TEXT) else {
                continue;
            };
            if let Some(c) = chars
                .iter()
                .find(|&&c| face.glyph_index(c).is_some_and(|id| id.0 == g))
            {
                *text = c.to_string();
            }
        }
        if !canonical.values().any(|t| t == NO_TEXT) {
            return;
        }
    }
    let Some(cmap) = face.tables().cmap else {
        return;
    };
    let mut own: BTreeMap<u16, char> = BTreeMap::new();
    for sub in cmap.subtables.into_iter().filter(|s| s.is_unicode()) {
        sub.codepoints(|cp| {
            let (Some(c), Some(g)) = (char::from_u32(cp), sub.glyph_index(cp)) else {
                return;
            };
            if canonical.get(&g.0).is_some_and(|t| t == NO_TEXT) {
                // The smallest character, so the choice does not depend on table order.
                own.entry(g.0).and_modify(|o| *o = (*o).min(c)).or_insert(c);
            }
        });
    }
    for (g, c) in own {
        canonical.insert(g, c.to_string());
    }
}

/// The ToUnicode text of a glyph that never carries text of its own.
pub(crate) const NO_TEXT: &str = "\u{FFFD}";

/// The six-letter subset tag (ISO 32000-1 §9.6.4): a hash of the face name and glyph set, so
/// the same glyphs give the same tag in every run and different sets differ.
pub(crate) fn subset_tag(postscript_name: &str, glyphs: &[u16]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(postscript_name.as_bytes());
    for g in glyphs {
        hasher.update(g.to_be_bytes());
    }
    let digest = hasher.finalize();
    digest
        .iter()
        .take(6)
        .map(|b| char::from(b'A' + b % 26))
        .collect()
}

/// Subsets and parses every face the document draws with.
pub(crate) fn embed_fonts(doc: &Document, book: &FontBook) -> Result<Embedded, PdfError> {
    let mut embedded = Embedded::default();
    let (usage, hints) = collect_usage(doc);
    for (index, (face_id, usage)) in usage.into_iter().enumerate() {
        let entry = book
            .faces()
            .nth(usize::from(face_id.0))
            .map(|(_, e)| e)
            .ok_or(PdfError::UnknownFace { face: face_id.0 })?;
        let name = entry.postscript_name.clone();
        let data = entry.data.bytes();

        let face = ttf_parser::Face::parse(data, entry.index).map_err(|e| PdfError::FontParse {
            face: name.clone(),
            message: e.to_string(),
        })?;
        let glyph_count = face.number_of_glyphs();
        let mut glyphs: Vec<u16> = usage.keys().copied().collect();
        glyphs.sort_unstable();
        if let Some(&bad) = glyphs.iter().find(|&&g| g >= glyph_count) {
            return Err(PdfError::GlyphOutOfRange {
                face: name,
                glyph: bad,
                glyph_count,
            });
        }

        let remapper = subsetter::GlyphRemapper::new_from_glyphs_sorted(&glyphs);
        let program =
            subsetter::subset(data, entry.index, &remapper).map_err(|e| PdfError::Subset {
                face: name.clone(),
                message: format!("{e:?}"),
            })?;
        // Hinting is screen-only and a third of a Latin subset (see `hinting`).
        let program = super::hinting::strip_hinting(&program).unwrap_or(program);
        let mut warnings = Vec::new();
        let mut parsed = ParsedFont::from_bytes(&program, 0, &mut warnings).ok_or_else(|| {
            PdfError::FontParse {
                face: name.clone(),
                message: "printpdf could not parse the subset".to_string(),
            }
        })?;
        // `ABCDEF+PostScriptName`: printpdf writes `font_name` as /BaseFont and /FontName
        // and adds no tag of its own to a program it did not subset itself.
        parsed.font_name = Some(format!("{}+{}", subset_tag(&name, &glyphs), name));

        let remap = glyphs
            .iter()
            .filter_map(|&g| remapper.get(g).map(|n| (g, n)));
        let mut canonical: BTreeMap<u16, String> = usage
            .iter()
            .map(|(&g, texts)| (g, canonical_text(texts)))
            .collect();
        own_text_for_continuations(&face, &mut canonical, hints.get(&face_id));
        // printpdf writes /W and ToUnicode by these codes, from the same function.
        let codes = printpdf::cff_charset_gid_to_cid_map(&program, 0);
        let drawn = remap
            .map(|(old, gid)| {
                let code = match &codes {
                    Some(map) => map.get(&gid).copied().unwrap_or(0),
                    None => gid,
                };
                let text = canonical.remove(&old).unwrap_or_default().into_boxed_str();
                let advance = pdf_advance(&parsed, gid);
                (
                    old,
                    Drawn {
                        gid,
                        code,
                        advance,
                        text,
                    },
                )
            })
            .collect();
        embedded.faces.insert(
            face_id,
            EmbeddedFace {
                resource: format!("F{index}"),
                drawn,
                parsed,
            },
        );
    }
    Ok(embedded)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fonts::{Family, Region};
    use crate::layout::{GlyphRun, Page, Rgb};

    /// A page with one run per face, each drawing `n` ideographs from U+4E00 on.
    fn ideographs_in(book: &FontBook, faces: &[FaceId], n: u32) -> Document {
        let items = faces
            .iter()
            .enumerate()
            .map(|(k, &id)| {
                let entry = book.face(id);
                let face = ttf_parser::Face::parse(entry.data.bytes(), entry.index).expect("face");
                let mut run = GlyphRun::new(id, 10.0, n as usize);
                for (i, c) in (0x4E00..0x4E00 + n).filter_map(char::from_u32).enumerate() {
                    let gid = face.glyph_index(c).map_or(0, |g| g.0);
                    run.push(gid, i as f32 * 10.0, 0.0, 10.0, c.encode_utf8(&mut [0; 4]));
                }
                Item::Text {
                    x: 72.0,
                    y: 100.0 + 20.0 * k as f32,
                    run,
                    color: Rgb::BLACK,
                }
            })
            .collect();
        Document {
            pages: vec![Page {
                width: 612.0,
                height: 792.0,
                items,
            }],
            ..Document::default()
        }
    }

    #[test]
    fn embed_glyph_usage_does_not_depend_on_how_pages_are_split() {
        let book = FontBook::bundled();
        let serif = book.cjk(Family::Serif, false, Region::Sc).expect("serif");
        let sans = book.cjk(Family::Sans, true, Region::Sc).expect("sans bold");
        let one = ideographs_in(&book, &[serif, sans], 40);
        // 40 pages of the same runs, counted in parallel runs of pages (the long-document
        // path), against one page's counts: every count forty times, nothing else.
        let many = Document {
            pages: vec![one.pages[0].clone(); 40],
            ..Document::default()
        };
        assert!(many.pages.len() >= crate::pdf::PARALLEL_PAGES);
        let (single, _) = collect_usage(&one);
        let (all, _) = collect_usage(&many);
        assert_eq!(single.len(), 2);
        assert_eq!(single.len(), all.len());
        for (face, glyphs) in &single {
            assert_eq!(glyphs.len(), all[face].len());
            for (g, texts) in glyphs {
                let counts = &all[face][g];
                assert_eq!(counts.len(), texts.len());
                for (t, n) in texts {
                    let m = counts.iter().find(|(u, _)| u == t).map(|(_, m)| *m);
                    assert_eq!(m, Some(n * 40), "{t}");
                }
            }
        }
        // And the embedded subsets are the same glyphs with the same texts.
        let (a, b) = (
            embed_fonts(&one, &book).expect("embeds"),
            embed_fonts(&many, &book).expect("embeds"),
        );
        for (id, face) in &a.faces {
            let other = &b.faces[id];
            assert_eq!(face.resource, other.resource);
            assert_eq!(face.parsed.font_name, other.parsed.font_name);
            for (&old, d) in &face.drawn {
                assert_eq!(other.canonical_text(old), &*d.text);
            }
        }
    }

    /// Every bundled CJK face (CID-keyed CFF: subroutines global and per font dictionary,
    /// desubroutinized by `subsetter`), cut to glyphs spread over the whole face — kana,
    /// hangul, ideographs, Latin and punctuation sit in different font dictionaries — draws
    /// each glyph of the subset exactly as the face does, with the same advance.
    #[test]
    fn embed_cjk_subsets_draw_every_glyph_as_the_face_does() {
        let book = FontBook::bundled();
        let mut checked = 0;
        for region in [Region::Sc, Region::Tc, Region::Jp, Region::Kr] {
            for family in [Family::Serif, Family::Sans] {
                for bold in [false, true] {
                    let id = book.cjk(family, bold, region).expect("bundled CJK face");
                    let entry = book.face(id);
                    let face =
                        ttf_parser::Face::parse(entry.data.bytes(), entry.index).expect("face");
                    let n = face.number_of_glyphs();
                    let mut glyphs: Vec<u16> = (1..n).step_by(701).collect();
                    glyphs.extend(
                        "あア한글漢字國，。「」ＡＢａ1Qé—"
                            .chars()
                            .filter_map(|c| face.glyph_index(c).map(|g| g.0)),
                    );
                    glyphs.push(n - 1);
                    glyphs.sort_unstable();
                    glyphs.dedup();
                    let remapper = subsetter::GlyphRemapper::new_from_glyphs_sorted(&glyphs);
                    let program = subsetter::subset(entry.data.bytes(), entry.index, &remapper)
                        .expect("subsets");
                    let subset = ttf_parser::Face::parse(&program, 0).expect("subset parses");
                    assert!(
                        subset.tables().cff.is_some(),
                        "{region:?} {family:?} {bold}"
                    );
                    for &old in &glyphs {
                        let new = remapper.get(old).expect("kept");
                        let (b0, p0) = super::super::hinting::outline_text(&face, old);
                        let (b1, p1) = super::super::hinting::outline_text(&subset, new);
                        assert_eq!(b0, b1, "bbox of glyph {old} in {region:?} {family:?}");
                        assert_eq!(p0, p1, "outline of glyph {old} in {region:?} {family:?}");
                        assert!(!p0.is_empty() || b0.is_none());
                        assert_eq!(
                            face.glyph_hor_advance(ttf_parser::GlyphId(old)),
                            subset.glyph_hor_advance(ttf_parser::GlyphId(new))
                        );
                        checked += 1;
                    }
                }
            }
        }
        // 16 faces of ~65,000 glyphs each: ~100 glyphs apiece.
        assert!(checked > 1500, "{checked}");
    }

    /// The patched subsetter reads a TrueType face's `post` glyph names only up to the last
    /// one the subset needs: each kept glyph keeps its name, for glyph sets whose last custom
    /// name is early, late, the very last, or absent (standard Macintosh names only).
    #[test]
    fn embed_truetype_subsets_keep_every_glyph_name() {
        let book = FontBook::bundled();
        let id = book.latin(Family::Serif, false, false).expect("serif");
        let entry = book.face(id);
        let face = ttf_parser::Face::parse(entry.data.bytes(), entry.index).expect("face");
        let n = face.number_of_glyphs();
        let name =
            |f: &ttf_parser::Face, g: u16| f.glyph_name(ttf_parser::GlyphId(g)).map(str::to_owned);
        let by_char = |s: &str| -> Vec<u16> {
            s.chars()
                .filter_map(|c| face.glyph_index(c).map(|g| g.0))
                .collect()
        };
        let sets: [Vec<u16>; 5] = [
            by_char("Peace and Cooperation"),
            by_char("Peace ‘and’ – Ⅳ ﬁ €"),
            (0..n).step_by(37).collect(),
            vec![0, 3, n - 1],
            (0..n).collect(),
        ];
        let mut custom = 0;
        for mut glyphs in sets {
            glyphs.push(0);
            glyphs.sort_unstable();
            glyphs.dedup();
            let remapper = subsetter::GlyphRemapper::new_from_glyphs_sorted(&glyphs);
            let program =
                subsetter::subset(entry.data.bytes(), entry.index, &remapper).expect("subsets");
            let subset = ttf_parser::Face::parse(&program, 0).expect("subset parses");
            for &old in &glyphs {
                let new = remapper.get(old).expect("kept");
                let want = name(&face, old);
                assert!(want.is_some(), "glyph {old} has a name");
                assert_eq!(want, name(&subset, new), "glyph {old}");
                custom += usize::from(
                    want.as_deref()
                        .is_some_and(|w| w.starts_with("uni") || w.contains('_')),
                );
            }
        }
        assert!(custom > 100, "custom names checked: {custom}");
    }

    #[test]
    fn embed_canonical_text_prefers_most_frequent_non_empty() {
        let texts = [("Ⅳ", 1), ("I", 5), ("", 9)];
        assert_eq!(canonical_text(&texts), "I");
    }

    #[test]
    fn embed_canonical_text_ties_go_to_smallest_string() {
        let texts = [("b", 2), ("a", 2)];
        assert_eq!(canonical_text(&texts), "a");
        let texts = [("a", 2), ("b", 2)];
        assert_eq!(canonical_text(&texts), "a");
    }

    #[test]
    fn embed_canonical_text_of_only_empty_is_the_replacement_character() {
        let texts = [("", 3)];
        assert_eq!(canonical_text(&texts), "\u{FFFD}");
    }

    #[test]
    fn embed_subset_tag_is_six_capitals_and_depends_on_glyphs() {
        let a = subset_tag("NotoSerif-Regular", &[1, 2, 3]);
        let b = subset_tag("NotoSerif-Regular", &[1, 2, 4]);
        assert_eq!(a.len(), 6);
        assert!(a.chars().all(|c| c.is_ascii_uppercase()));
        assert_ne!(a, b);
        assert_eq!(a, subset_tag("NotoSerif-Regular", &[1, 2, 3]));
    }
}
