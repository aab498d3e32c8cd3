//! Bidi: right-to-left text (Arabic, Hebrew) put in visual order line by line, by the Unicode
//! bidirectional algorithm (UAX #9, `unicode-bidi` for the levels).
//!
//! The paragraph is shaped, broken and justified in logical order (a right-to-left word's
//! glyphs reversed by the shaper back to logical order); each line's glyphs are then reordered
//! by rule L2 — from the highest level down to the lowest odd one, every run at that level or
//! higher reversed — and laid out again left to right with the room each glyph had (its
//! advance plus the justification after it), so a line keeps its width and its stretch.

use unicode_bidi::{BidiInfo, Level};

use super::shape::Glyph;
use crate::fonts::FontBook;

/// Embedding levels of a paragraph's bytes, and the base level of each bidi paragraph (a
/// newline starts a new one), or `None` when the text has nothing right to left.
pub struct Levels {
    levels: Vec<Level>,
    /// (first byte, base level) of each bidi paragraph, in order.
    bases: Vec<(usize, Level)>,
}

/// True for characters that make a paragraph need the algorithm: right-to-left letters and
/// the explicit right-to-left marks, embeddings, overrides and isolates.
/// Whether `text` holds anything that may set it right to left (a strong RTL letter or an
/// RTL control): without one, every level is 0 and the bidi algorithm need not run.
pub(crate) fn has_rtl(text: &str) -> bool {
    // Every trigger is U+0590 or above, whose UTF-8 starts with a byte of 0xD6 or more, and
    // such a byte always starts a character: only those are decoded (a scan of bytes is a
    // fraction of decoding every character, and it runs once per line of a long issue).
    text.bytes()
        .enumerate()
        .filter(|&(_, b)| b >= 0xD6)
        .any(|(i, _)| {
            text.get(i..)
                .and_then(|rest| rest.chars().next())
                .is_some_and(is_rtl_trigger)
        })
}

fn is_rtl_trigger(c: char) -> bool {
    matches!(c,
        '\u{0590}'..='\u{08FF}'
        | '\u{FB1D}'..='\u{FDFF}'
        | '\u{FE70}'..='\u{FEFC}'
        | '\u{10800}'..='\u{10FFF}'
        | '\u{1E800}'..='\u{1EFFF}'
        | '\u{200F}' | '\u{202B}' | '\u{202E}' | '\u{2067}')
}

/// True when `text` begins as right-to-left text (its first strong character is Arabic,
/// Hebrew …): its lines then run from the right margin and a hanging marker stands on the
/// right.
pub fn starts_right_to_left(text: &str) -> bool {
    Levels::of(text).is_some_and(|l| l.base_at(0).is_rtl())
}

impl Levels {
    /// The levels of `text`; `None` for text with no right-to-left character (most text: then
    /// lines are not touched at all).
    pub fn of(text: &str) -> Option<Levels> {
        if !has_rtl(text) {
            return None;
        }
        let info = BidiInfo::new(text, None);
        let bases = info
            .paragraphs
            .iter()
            .map(|p| (p.range.start, p.level))
            .collect();
        Some(Levels {
            levels: info.levels,
            bases,
        })
    }

    /// The base level of the bidi paragraph holding byte `pos`.
    pub fn base_at(&self, pos: usize) -> Level {
        let i = self.bases.partition_point(|&(start, _)| start <= pos);
        self.bases
            .get(i.saturating_sub(1))
            .map_or(Level::ltr(), |&(_, l)| l)
    }

    fn at(&self, pos: usize) -> Level {
        self.levels.get(pos).copied().unwrap_or(Level::ltr())
    }

    /// Rule L4: a paired character at a right-to-left level ("(", "[", "«") is drawn with the
    /// glyph of its mirror (")", "]", "»") from the same face. Returns the replacement glyphs
    /// by index into `placed` (logical order), for the caller to substitute.
    pub fn mirrored(
        &self,
        book: &FontBook,
        text: &str,
        placed: &[(&Glyph, f32)],
    ) -> Vec<(usize, Glyph)> {
        let mut out = Vec::new();
        for (k, (g, _)) in placed.iter().enumerate() {
            if g.hyphen || !self.at(g.cluster).is_rtl() {
                continue;
            }
            let mut chars = text.get(g.text.clone()).unwrap_or("").chars();
            let (Some(c), None) = (chars.next(), chars.next()) else {
                continue;
            };
            let Some(m) = unicode_bidi_mirroring::get_mirrored(c) else {
                continue;
            };
            let Some(face) = book.shaper(g.face) else {
                continue;
            };
            if let Some(id) = face.glyph_index(m) {
                out.push((
                    k,
                    Glyph {
                        id: id.0,
                        ..(*g).clone()
                    },
                ));
            }
        }
        out
    }

    /// Reorders one line's glyphs (logical order, each with its x) into visual order with new
    /// x positions; `text` is the paragraph's text, `end` where the line's content ends.
    /// Trailing spaces take the base level (rule L1), so they stay at the line's end.
    pub fn reorder(&self, text: &str, placed: &mut [(&Glyph, f32)], end: f32) {
        let n = placed.len();
        if n == 0 {
            return;
        }
        let base = self.base_at(placed[0].0.cluster).number();
        let mut levels: Vec<u8> = Vec::with_capacity(n);
        for (k, (g, _)) in placed.iter().enumerate() {
            // An added hyphen belongs with the glyph before it.
            let level = match k.checked_sub(1) {
                Some(prev) if g.hyphen => levels[prev],
                _ => self.at(g.cluster).number(),
            };
            levels.push(level);
        }
        // L1: trailing whitespace at the paragraph's level.
        for k in (0..n).rev() {
            let g = placed[k].0;
            let space = !g.hyphen
                && text
                    .get(g.text.clone())
                    .is_some_and(|t| !t.is_empty() && t.chars().all(char::is_whitespace));
            if !space {
                break;
            }
            levels[k] = base;
        }
        if levels.iter().all(|l| l % 2 == 0) {
            return;
        }
        // The room of each glyph: up to the next glyph's x (justification included).
        let room: Vec<f32> = (0..n)
            .map(|k| {
                let next = if k + 1 < n { placed[k + 1].1 } else { end };
                next - placed[k].1
            })
            .collect();
        let order = visual_order(&levels);
        let mut x = placed.iter().map(|p| p.1).fold(f32::INFINITY, f32::min);
        let mut visual: Vec<(usize, &Glyph, f32)> = Vec::with_capacity(n);
        for &k in &order {
            visual.push((k, placed[k].0, x));
            x += room[k];
        }
        // Each cluster's glyphs keep their positions but go back to logical order (the glyph
        // that carries the text first, its marks after), so the PDF writer groups a mark with
        // its own letter and not with the next.
        let mut start = 0;
        while start < n {
            let mut end = start + 1;
            while end < n && visual[end].1.cluster == visual[start].1.cluster {
                end += 1;
            }
            visual[start..end].sort_by_key(|v| v.0);
            start = end;
        }
        for (slot, (_, g, x)) in placed.iter_mut().zip(visual) {
            *slot = (g, x);
        }
    }
}

/// Rule L2: the logical indices in visual order, for these levels.
fn visual_order(levels: &[u8]) -> Vec<usize> {
    let n = levels.len();
    let mut order: Vec<usize> = (0..n).collect();
    let max = levels.iter().copied().max().unwrap_or(0);
    let Some(min_odd) = levels.iter().copied().filter(|l| l % 2 == 1).min() else {
        return order;
    };
    let mut level = max;
    while level >= min_odd {
        let mut k = 0;
        while k < n {
            if levels[order[k]] >= level {
                let start = k;
                while k < n && levels[order[k]] >= level {
                    k += 1;
                }
                order[start..k].reverse();
            } else {
                k += 1;
            }
        }
        level -= 1;
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bidi_visual_order_reverses_runs_from_the_highest_level() {
        // "abc DEF ghi" with DEF right to left (level 1) in a left-to-right paragraph.
        assert_eq!(visual_order(&[0, 0, 1, 1, 1, 0]), vec![0, 1, 4, 3, 2, 5]);
        // A right-to-left paragraph (level 1) with a number (level 2) inside.
        assert_eq!(visual_order(&[1, 1, 2, 2, 1]), vec![4, 2, 3, 1, 0]);
        assert_eq!(visual_order(&[0, 0, 0]), vec![0, 1, 2]);
    }

    #[test]
    fn bidi_has_rtl_agrees_with_a_scan_of_every_character() {
        let samples = [
            "",
            "plain ASCII",
            "“quoted” — dashed … 中文 日本語 한국어 Ελληνικά Кириллица",
            "\u{058F}\u{0590}",
            "a\u{05D0}",
            "ﭐ presentation form",
            "mark \u{200F} here",
            "\u{202B}embedding",
            "\u{202E}override",
            "\u{2067}isolate",
            "\u{2066}LRI only",
            "𐠀 Cypriot",
            "𞤀 Adlam",
            "emoji 😀 and U+FEFD \u{FEFD}",
        ];
        for text in samples {
            assert_eq!(has_rtl(text), text.chars().any(is_rtl_trigger), "{text:?}");
        }
        for c in [
            '\u{0590}',
            '\u{08FF}',
            '\u{FB1D}',
            '\u{FEFC}',
            '\u{10800}',
            '\u{1EFFF}',
        ] {
            assert!(has_rtl(&format!("x{c}y")), "{c:?}");
        }
    }

    #[test]
    fn bidi_levels_only_for_text_with_right_to_left() {
        assert!(Levels::of("plain English, 中文").is_none());
        let l = Levels::of("The word שלום here").expect("levels");
        assert_eq!(l.base_at(0).number(), 0);
        assert_eq!(l.at(9).number(), 1);
        let l = Levels::of("שלום world").expect("levels");
        assert_eq!(l.base_at(0).number(), 1);
    }
}
