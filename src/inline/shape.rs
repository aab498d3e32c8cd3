//! Shape: text of one face into glyphs with advances (rustybuzz; kerning and standard
//! ligatures on, the language set for `locl`), cached per face and word. The cache outlives
//! the document: when a shaper is dropped its words and shape plans are kept for the thread's
//! next shaper of the same book ([`FontBook::generation`]), so an export worker shapes a word
//! once for all the issues it sets rather than once per issue (up to [`KEPT_WORDS`] words per
//! thread, then the words start again).

use std::cell::RefCell;
use std::ops::Range;
use std::rc::Rc;
use std::str::FromStr;

use rustc_hash::FxHashMap as HashMap;

use crate::fonts::{FaceId, FontBook};

/// One shaped glyph, size-independent (font units), cluster relative to the shaped text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RawGlyph {
    pub id: u16,
    pub advance: i32,
    pub x_offset: i32,
    pub y_offset: i32,
    pub cluster: u32,
}

/// One glyph placed in a paragraph: pt at its size, with the paragraph bytes it stands for.
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    pub id: u16,
    pub face: FaceId,
    pub size: f32,
    pub span: usize,
    pub advance: f32,
    pub x_offset: f32,
    /// Up is positive, as in the font.
    pub y_offset: f32,
    /// Paragraph byte where the glyph's cluster starts.
    pub cluster: usize,
    /// The paragraph bytes this glyph stands for (empty for 2nd+ glyphs of a cluster).
    pub text: Range<usize>,
    /// A hyphen added at a line break: stands for "-" rather than paragraph text.
    pub hyphen: bool,
}

/// Shaped words of one face and language, by text (Fx hashing: a word is looked up for
/// every word of a document, and SipHash was 2.5 % of an export).
type WordCache = HashMap<String, Rc<[RawGlyph]>>;

/// Shapes text, remembering every (face, language, text) it has shaped. One per paragraph
/// by default; keep one for a whole document (`layout_paragraph_with`) and words repeated
/// across paragraphs are shaped once. What it remembers is handed on to the thread's next
/// shaper of the same book when it is dropped.
pub struct Shaper<'b> {
    book: &'b FontBook,
    memory: Memory,
    lang: usize,
    buffer: Option<rustybuzz::UnicodeBuffer>,
}

/// What a shaper remembers, valid for one font book generation.
#[derive(Default)]
struct Memory {
    generation: u64,
    /// Languages seen, as (BCP 47 tag, rustybuzz language); the caches are keyed by index.
    langs: Vec<(String, Option<rustybuzz::Language>)>,
    cache: HashMap<(FaceId, usize), WordCache>,
    /// Words in `cache`, all faces and languages.
    words: usize,
    /// Compiled shape plans per (face, script tag, language): compiling one costs more than
    /// shaping a word, so it is done once per face, script and language.
    plans: HashMap<(FaceId, u32, usize), rustybuzz::ShapePlan>,
}

/// Words a thread keeps between documents (all faces and languages; ~200 bytes each): past
/// it, the words are forgotten (the plans are kept), so an export's memory stays flat.
pub const KEPT_WORDS: usize = 20_000;

thread_local! {
    /// The memory of the thread's last shaper, for its next one.
    static KEPT: RefCell<Option<Memory>> = const { RefCell::new(None) };
}

impl Drop for Shaper<'_> {
    fn drop(&mut self) {
        let mut memory = std::mem::take(&mut self.memory);
        if memory.words > KEPT_WORDS {
            memory.cache.clear();
            memory.words = 0;
        }
        // With several shapers alive at once (a document's body and its margins), the one
        // that remembers most is kept.
        let _ = KEPT.try_with(|kept| {
            let mut kept = kept.borrow_mut();
            let better = kept
                .as_ref()
                .is_none_or(|k| k.generation != memory.generation || k.words <= memory.words);
            if better {
                *kept = Some(memory);
            }
        });
    }
}

impl<'b> Shaper<'b> {
    /// A shaper for text in language `lang` (BCP 47; "" leaves it to the script), starting
    /// from what the thread's last shaper of the same book remembered.
    pub fn new(book: &'b FontBook, lang: &str) -> Shaper<'b> {
        let generation = book.generation();
        let memory = KEPT
            .try_with(|kept| {
                let mut kept = kept.borrow_mut();
                match kept.take() {
                    Some(m) if m.generation == generation => Some(m),
                    other => {
                        *kept = other;
                        None
                    }
                }
            })
            .ok()
            .flatten()
            .unwrap_or_else(|| Memory {
                generation,
                ..Memory::default()
            });
        let mut s = Shaper {
            book,
            memory,
            lang: 0,
            buffer: Some(rustybuzz::UnicodeBuffer::new()),
        };
        s.set_language(lang);
        s
    }

    /// Shapes what follows as language `lang` (BCP 47; "" leaves it to the script).
    pub fn set_language(&mut self, lang: &str) {
        let langs = &mut self.memory.langs;
        self.lang = match langs.iter().position(|(t, _)| t == lang) {
            Some(i) => i,
            None => {
                let parsed = if lang.is_empty() {
                    None
                } else {
                    rustybuzz::Language::from_str(lang).ok()
                };
                langs.push((lang.to_string(), parsed));
                langs.len() - 1
            }
        };
    }

    /// The book this shaper sets from.
    pub fn book(&self) -> &'b FontBook {
        self.book
    }

    /// Glyphs of `text` in `face`, in font units; empty when the face does not parse.
    pub fn raw(&mut self, face: FaceId, text: &str) -> Rc<[RawGlyph]> {
        let lang = self.lang;
        if let Some(hit) = self
            .memory
            .cache
            .get(&(face, lang))
            .and_then(|m| m.get(text))
        {
            return hit.clone();
        }
        let glyphs: Rc<[RawGlyph]> = match self.book.shaper(face) {
            Some(f) => {
                let mut buf = self.buffer.take().unwrap_or_default();
                buf.push_str(text);
                let language = self.memory.langs.get(lang).and_then(|(_, l)| l.as_ref());
                if let Some(l) = language {
                    buf.set_language(l.clone());
                }
                buf.guess_segment_properties();
                let mut script = buf.script();
                if [
                    rustybuzz::script::UNKNOWN,
                    rustybuzz::script::COMMON,
                    rustybuzz::script::INHERITED,
                ]
                .contains(&script)
                {
                    // Digits and punctuation alone: shape them as the Latin script.
                    script = rustybuzz::script::LATIN;
                    buf.set_script(script);
                }
                // Arabic and Hebrew are shaped right to left (joining, mark placement); every
                // other script left to right.
                let direction = if buf.direction() == rustybuzz::Direction::RightToLeft {
                    rustybuzz::Direction::RightToLeft
                } else {
                    rustybuzz::Direction::LeftToRight
                };
                buf.set_direction(direction);
                let dashes = fwid_dashes(text);
                let cjk_face = self.book.face(face).key.is_some_and(|k| k.cjk.is_some());
                let out = if cjk_face && !dashes.is_empty() {
                    // A one-off plan: its features depend on where the dashes are.
                    rustybuzz::shape(f, &dashes, buf)
                } else {
                    let plan = self
                        .memory
                        .plans
                        .entry((face, script.tag().0, lang))
                        .or_insert_with(|| {
                            rustybuzz::ShapePlan::new(f, direction, Some(script), language, &[])
                        });
                    rustybuzz::shape_with_plan(f, plan, buf)
                };
                let mut glyphs: Vec<RawGlyph> = out
                    .glyph_infos()
                    .iter()
                    .zip(out.glyph_positions())
                    .map(|(i, p)| RawGlyph {
                        id: u16::try_from(i.glyph_id).unwrap_or(0),
                        advance: p.x_advance,
                        x_offset: p.x_offset,
                        y_offset: p.y_offset,
                        cluster: i.cluster,
                    })
                    .collect();
                // Right-to-left output comes in visual order; the paragraph works in logical
                // order (clusters ascending) and the line builder puts it back (`bidi`).
                if direction == rustybuzz::Direction::RightToLeft {
                    glyphs.reverse();
                }
                let glyphs: Rc<[RawGlyph]> = Rc::from(glyphs);
                self.buffer = Some(out.clear());
                glyphs
            }
            None => Rc::from(Vec::new()),
        };
        self.memory
            .cache
            .entry((face, lang))
            .or_default()
            .insert(text.to_string(), glyphs.clone());
        self.memory.words += 1;
        glyphs
    }

    /// Shapes `text` (paragraph bytes `base..base + text.len()`) and appends its glyphs to
    /// `out`. With `subst`, the substitute text is shaped and every glyph belongs to the
    /// original: the first stands for all of `text`, the rest for "".
    // The hot path of shaping: plain arguments, no per-call struct to build.
    #[allow(clippy::too_many_arguments)]
    pub fn shape_into(
        &mut self,
        face: FaceId,
        size: f32,
        span: usize,
        text: &str,
        base: usize,
        subst: Option<&str>,
        out: &mut Vec<Glyph>,
    ) {
        let upem = self
            .book
            .units_per_em(face)
            .map_or(1000.0, |u| f32::from(u.max(1)));
        let scale = size / upem;
        let raw = self.raw(face, subst.unwrap_or(text));
        let end = base + text.len();
        let first = out.len();
        for (k, g) in raw.iter().enumerate() {
            let cluster = if subst.is_some() {
                base
            } else {
                base + g.cluster as usize
            };
            let continues = k > 0 && (subst.is_some() || raw[k - 1].cluster == g.cluster);
            let text_end = if subst.is_some() {
                end
            } else {
                raw[k + 1..]
                    .iter()
                    .find(|n| n.cluster != g.cluster)
                    .map_or(end, |n| base + n.cluster as usize)
            };
            out.push(Glyph {
                id: g.id,
                face,
                size,
                span,
                advance: g.advance as f32 * scale,
                x_offset: g.x_offset as f32 * scale,
                y_offset: g.y_offset as f32 * scale,
                cluster,
                text: if continues {
                    cluster..cluster
                } else {
                    cluster..text_end.max(cluster)
                },
                hyphen: false,
            });
        }
        debug_assert!(out[first..].iter().all(|g| g.cluster >= base));
    }
}

/// `fwid` on every em dash and horizontal bar of `text` (byte ranges): in a CJK face "——"
/// otherwise shapes to one 1.69 em glyph, off the em grid; with `fwid` each dash is 1 em and
/// the pair 2 em (CLREQ §6.1.2 dash 破折号 "takes up two character spaces"; JLREQ §3.1.10).
fn fwid_dashes(text: &str) -> Vec<rustybuzz::Feature> {
    let tag = rustybuzz::ttf_parser::Tag::from_bytes(b"fwid");
    text.char_indices()
        .filter(|&(_, c)| matches!(c, '—' | '―'))
        .map(|(i, c)| rustybuzz::Feature::new(tag, 1, i..i + c.len_utf8()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fonts::{Family, Region};

    fn serif(book: &FontBook) -> FaceId {
        book.latin(Family::Serif, false, false).expect("serif")
    }

    fn width(sh: &mut Shaper, face: FaceId, text: &str) -> i32 {
        sh.raw(face, text).iter().map(|g| g.advance).sum()
    }

    #[test]
    fn shape_kerning_applied_to_av_and_to() {
        let book = FontBook::bundled();
        let f = serif(&book);
        let mut sh = Shaper::new(&book, "en");
        for pair in ["AV", "To"] {
            let together = width(&mut sh, f, pair);
            let (a, b) = pair.split_at(1);
            let apart = width(&mut sh, f, a) + width(&mut sh, f, b);
            assert!(together < apart, "{pair}: {together} !< {apart}");
        }
    }

    #[test]
    fn shape_ligature_fi_is_one_glyph_standing_for_two_chars() {
        let book = FontBook::bundled();
        let f = serif(&book);
        let mut sh = Shaper::new(&book, "en");
        let mut out = Vec::new();
        sh.shape_into(f, 10.0, 0, "office", 0, None, &mut out);
        assert_eq!(out.len(), 4, "o + ffi + c + e: {out:?}");
        assert_eq!(out[1].text, 1..4);
    }

    #[test]
    fn shape_substitute_glyphs_stand_for_the_original_character() {
        let book = FontBook::bundled();
        let f = serif(&book);
        let mut sh = Shaper::new(&book, "en");
        let mut out = Vec::new();
        sh.shape_into(f, 10.0, 0, "Ⅳ", 6, Some("IV"), &mut out);
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].text, 6..9);
        assert!(out[1].text.is_empty());
    }

    #[test]
    fn shape_cjk_double_dash_is_two_ems_with_fwid() {
        // CLREQ §6.1.2, JLREQ §3.1.10: —— is two full-width cells in CJK text.
        let book = FontBook::bundled();
        for region in [Region::Sc, Region::Jp] {
            let f = book.cjk(Family::Serif, false, region).expect("cjk face");
            let mut sh = Shaper::new(&book, "zh");
            let mut out = Vec::new();
            sh.shape_into(f, 10.0, 0, "——", 0, None, &mut out);
            let w: f32 = out.iter().map(|g| g.advance).sum();
            assert!((w - 20.0).abs() < 0.01, "{region:?}: {w} {out:?}");
        }
    }

    #[test]
    fn shape_cache_returns_the_same_glyphs() {
        let book = FontBook::bundled();
        let f = serif(&book);
        let mut sh = Shaper::new(&book, "en");
        let a = sh.raw(f, "word");
        let b = sh.raw(f, "word");
        assert!(Rc::ptr_eq(&a, &b));
    }

    #[test]
    fn shape_memory_passes_to_the_next_shaper_of_the_same_book_only() {
        let book = FontBook::bundled();
        let f = serif(&book);
        let first = {
            let mut sh = Shaper::new(&book, "en");
            sh.raw(f, "remembered")
        };
        // The same book (or a clone of it): the word comes back from the kept memory.
        let clone = book.clone();
        let again = Shaper::new(&clone, "en").raw(f, "remembered");
        assert!(Rc::ptr_eq(&first, &again));
        // Another book, even with the same faces, starts afresh; so does this one once a
        // face's role has changed.
        let other = FontBook::bundled();
        let fresh = Shaper::new(&other, "en").raw(f, "remembered");
        assert!(!Rc::ptr_eq(&first, &fresh));
        assert_eq!(&first[..], &fresh[..]);
        let mut changed = book.clone();
        let key = changed
            .face(f)
            .key
            .expect("a bundled Latin face has a role");
        assert!(changed.assign(f, key));
        let after = Shaper::new(&changed, "en").raw(f, "remembered");
        assert!(!Rc::ptr_eq(&first, &after));
    }

    #[test]
    fn shape_memory_forgets_words_past_the_limit() {
        let book = FontBook::bundled();
        let f = serif(&book);
        {
            let mut sh = Shaper::new(&book, "en");
            for i in 0..=KEPT_WORDS {
                sh.raw(f, &i.to_string());
            }
        }
        let sh = Shaper::new(&book, "en");
        assert_eq!(sh.memory.words, 0);
        assert!(!sh.memory.plans.is_empty(), "plans are kept");
    }
}
