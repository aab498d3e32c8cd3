//! Line: chosen breaks into lines of positioned glyph runs, with justification baked into
//! the glyphs' x positions and the alignment applied.
//!
//! A run starts where its first glyph is drawn; each `PlacedGlyph.x`/`y` is where that glyph
//! is drawn relative to the run (pen position plus the shaper's offsets, y down), so the PDF
//! writer places glyphs one by one without further arithmetic. Space glyphs are kept (text
//! " ", natural advance) so extracted text has its spaces; the stretch shows as the gap to
//! the next glyph.

use super::bidi::Levels;
use super::breaks::OppKind;
use super::itemize::Paragraph;
use super::linebreak::{Break, Item};
use super::prepare::{ItemInfo, Prepared};
use super::shape::Glyph;
use super::{Align, BreakKind, Line, LineRun};
use crate::fonts::FontBook;
use crate::layout::{GlyphRun, PlacedGlyph};

/// Builds the lines for `breaks` over `prep`, on a measure of `width` pt.
pub fn build(
    book: &FontBook,
    para: &Paragraph,
    prep: &Prepared,
    breaks: &[Break],
    width: f32,
    align: Align,
) -> Vec<Line> {
    let items = &prep.items;
    // Right-to-left text, when there is any: lines are reordered for display.
    let levels = Levels::of(&para.text);
    let mut lines = Vec::with_capacity(breaks.len());
    let mut start = first_box(items, 0);
    let last_item = items.len().saturating_sub(1);
    for br in breaks {
        let end = br.item.min(last_item);
        // Justified lines get their ratio; a ragged last line still shrinks when it must.
        let justify = align == Align::Justify && (!br.ragged || br.ratio < 0.0);
        let r = if justify && br.ratio.is_finite() {
            br.ratio
        } else {
            0.0
        };
        let upto = end.max(start);
        let (r_letters, r_gaps, r) = split_ratio(
            r,
            &items[start..upto],
            &prep.info[start..upto],
            prep.cjk_gaps_last,
        );
        // Sized for the line's glyphs (its items' and the break's): grown by doubling, this
        // list was reallocated five times a line.
        let glyph_count: usize = prep
            .info
            .get(start..=end)
            .unwrap_or_default()
            .iter()
            .map(|i| i.glyphs.len())
            .sum();
        let mut placed: Vec<(&Glyph, f32)> = Vec::with_capacity(glyph_count);
        let mut x = 0.0f32;
        let mut natural = 0.0f32;
        for (item, info) in items[start..upto].iter().zip(&prep.info[start..upto]) {
            match *item {
                Item::Box { width } => {
                    for g in &prep.glyphs[info.glyphs.clone()] {
                        placed.push((g, x));
                        x += g.advance;
                    }
                    natural += width;
                }
                Item::Glue {
                    stretch, shrink, ..
                } if info.letters => {
                    // Letter-space: spread over the gaps of the box just placed.
                    let adjust = if r_letters >= 0.0 {
                        r_letters * stretch
                    } else {
                        r_letters * shrink
                    };
                    let n = info.glyphs.len();
                    if n >= 2 && placed.len() >= n {
                        let delta = adjust / (n - 1) as f32;
                        let first = placed.len() - n;
                        for (j, p) in placed[first..].iter_mut().enumerate() {
                            p.1 += j as f32 * delta;
                        }
                    }
                    x += adjust;
                }
                Item::Glue {
                    width,
                    stretch,
                    shrink,
                } => {
                    let x0 = x;
                    for g in &prep.glyphs[info.glyphs.clone()] {
                        placed.push((g, x));
                        x += g.advance;
                    }
                    let r = if info.cjk_gap { r_gaps } else { r };
                    let adjust = if r >= 0.0 { r * stretch } else { r * shrink };
                    x = x0 + width + adjust;
                    natural += width;
                }
                Item::Penalty { .. } => {}
            }
        }
        if let Some(Item::Penalty { width: pw, .. }) = items.get(end) {
            let info = &prep.info[end];
            if !info.glyphs.is_empty() {
                for g in &prep.glyphs[info.glyphs.clone()] {
                    placed.push((g, x));
                    x += g.advance;
                }
                natural += pw;
            }
        }
        // A right-to-left paragraph's ragged lines end at the right margin.
        let mut rtl = false;
        let mut logical_text = None;
        let mirrored;
        if let (Some(l), Some(first)) = (&levels, placed.first()) {
            rtl = l.base_at(first.0.cluster).is_rtl();
            logical_text = Some(line_text(para, &placed));
            mirrored = l.mirrored(book, &para.text, &placed);
            for (k, g) in &mirrored {
                placed[*k].0 = g;
            }
            l.reorder(&para.text, &mut placed, x);
        }
        let shift = match align {
            Align::Center => ((width - x) / 2.0).max(0.0),
            Align::Right => (width - x).max(0.0),
            Align::Justify | Align::Left if rtl => (width - x).max(0.0),
            // An opening quote or bracket starting the line hangs into the left margin
            // (optical margin alignment; the breaker measured the line with it).
            Align::Justify | Align::Left => -prep.protrude.get(start).map_or(0.0, |p| p.1),
        };
        let kind = if br.ragged {
            if end >= last_item {
                BreakKind::Last
            } else {
                BreakKind::Forced
            }
        } else {
            match prep.info.get(end).and_then(|i| i.kind) {
                Some(OppKind::Hyphen) => BreakKind::Hyphen,
                Some(OppKind::Emergency) => BreakKind::Emergency,
                _ => BreakKind::Normal,
            }
        };
        let mut line = assemble(book, para, &placed, shift, x, natural, br.ratio, kind);
        if let Some(text) = logical_text {
            // What the line reads stays in reading order.
            line.text = text;
        }
        lines.push(line);
        start = first_box(items, end + 1);
    }
    lines
}

/// The text of placed glyphs in their order (with an added hyphen as "-").
fn line_text(para: &Paragraph, placed: &[(&Glyph, f32)]) -> String {
    placed
        .iter()
        .map(|(g, _)| {
            if g.hyphen {
                "-"
            } else {
                para.text.get(g.text.clone()).unwrap_or("")
            }
        })
        .collect()
}

/// The first item at or after `from` that a line can start with.
/// The adjustment ratios of a line whose ratio is `r`: for its letter-spacing, its CJK
/// inter-character gaps and its other glue (word spaces, Latin/CJK gaps). Letter-spacing never
/// goes past its limit (ratio 1): on a line too loose for its glue (a narrow column, an
/// unbreakable word) the other glue takes the rest, and a line with nothing else stays short
/// rather than be spaced out letter by letter. With `gaps_last` (a Latin-language paragraph),
/// a line with word spaces keeps its CJK characters unstretched and gives their share to the
/// word spaces; the gaps stretch only on a line with no word space. Shrinking is unchanged.
fn split_ratio(r: f32, items: &[Item], info: &[ItemInfo], gaps_last: bool) -> (f32, f32, f32) {
    if r <= 0.0 {
        return (r, r, r);
    }
    let (mut letters, mut gaps, mut words) = (0.0f32, 0.0f32, 0.0f32);
    for (item, info) in items.iter().zip(info) {
        if let Item::Glue { stretch, .. } = *item {
            if info.letters {
                letters += stretch;
            } else if info.cjk_gap {
                gaps += stretch;
            } else {
                words += stretch;
            }
        }
    }
    let r_letters = r.min(1.0);
    // What the letters leave, for the gaps and the word spaces.
    let rest = r * (letters + gaps + words) - r_letters * letters;
    if gaps_last && words > 0.0 && gaps > 0.0 {
        (r_letters, 0.0, rest / words)
    } else if gaps + words > 0.0 && r > 1.0 {
        let other = rest / (gaps + words);
        (r_letters, other, other)
    } else {
        (r_letters, r, r)
    }
}

fn first_box(items: &[Item], from: usize) -> usize {
    let mut t = from;
    while t < items.len() {
        match items[t] {
            Item::Box { .. } => break,
            Item::Penalty { penalty, .. } if penalty <= -super::linebreak::INFINITE_PENALTY => {
                break
            }
            _ => t += 1,
        }
    }
    t
}

// One call per line from the breaker, with the pieces it already holds apart.
#[allow(clippy::too_many_arguments)]
fn assemble(
    book: &FontBook,
    para: &Paragraph,
    placed: &[(&Glyph, f32)],
    shift: f32,
    width: f32,
    natural: f32,
    ratio: f32,
    break_kind: BreakKind,
) -> Line {
    let gtext = |g: &Glyph| {
        if g.hyphen {
            "-"
        } else {
            para.text.get(g.text.clone()).unwrap_or("")
        }
    };
    // The runs first: a new one starts where the span, face or size changes. Each (first
    // glyph, end, text bytes) sizes its lists exactly: a long issue keeps every laid-out glyph
    // until its pages are written, and lists grown by doubling held a quarter more.
    let mut bounds: Vec<(usize, usize, usize)> = Vec::new();
    for (k, &(g, _)) in placed.iter().enumerate() {
        let same = k > 0
            && placed
                .get(k - 1)
                .is_some_and(|(p, _)| p.span == g.span && p.face == g.face && p.size == g.size);
        if !same {
            bounds.push((k, k, 0));
        }
        if let Some(b) = bounds.last_mut() {
            b.1 = k + 1;
            b.2 += gtext(g).len();
        }
    }
    let mut runs: Vec<LineRun> = Vec::with_capacity(bounds.len());
    let mut text = String::with_capacity(bounds.iter().map(|b| b.2).sum());
    let (mut ascent, mut descent) = (0.0f32, 0.0f32);
    for &(start, end, bytes) in &bounds {
        let Some(&(first, x0)) = placed.get(start) else {
            continue;
        };
        if let Some(m) = book.metrics(first.face) {
            ascent = ascent.max(m.ascent(first.size));
            descent = descent.max(m.descent(first.size));
        }
        // One slot more, glyph and byte, for the space compose may add at the line's end
        // (`add_line_end_space`): without it that push doubled a full run's room.
        let mut run = GlyphRun::new(first.face, first.size, end - start + 1);
        run.text.reserve_exact(bytes + 1);
        let rx = shift + x0;
        // The glyphs' texts are mostly one stretch of the paragraph's text (a ligature's,
        // a cluster's, a word space's follow on): copied into the run's text a stretch at a
        // time, not a glyph at a time. Each glyph's text starts where the run's text will have
        // reached (what is copied plus the stretch pending), as `GlyphRun::push` finds it.
        let mut stretch = 0..0;
        let copy = |piece: std::ops::Range<usize>, run: &mut GlyphRun| {
            run.text.push_str(para.text.get(piece).unwrap_or(""));
        };
        for &(g, x) in placed.get(start..end).unwrap_or_default() {
            run.glyphs.push(PlacedGlyph {
                id: g.id,
                x: shift + x + g.x_offset - rx,
                y: -g.y_offset,
                advance: g.advance,
                text_start: GlyphRun::text_start(run.text.len() + stretch.len()),
            });
            if gtext(g).is_empty() {
                continue;
            }
            if !g.hyphen && g.text.start == stretch.end {
                stretch.end = g.text.end;
            } else {
                copy(stretch, &mut run);
                if g.hyphen {
                    run.text.push('-');
                    stretch = 0..0;
                } else {
                    stretch = g.text.clone();
                }
            }
        }
        copy(stretch, &mut run);
        // The line's text is its runs' in order.
        text.push_str(&run.text);
        runs.push(LineRun {
            x: rx,
            span: first.span,
            run,
        });
    }
    Line {
        runs,
        width,
        natural_width: natural,
        ascent,
        descent,
        ratio,
        break_kind,
        text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glue(stretch: f32, letters: bool, cjk_gap: bool) -> (Item, ItemInfo) {
        (
            Item::Glue {
                width: 0.0,
                stretch,
                shrink: stretch,
            },
            ItemInfo {
                glyphs: 0..0,
                kind: None,
                letters,
                cjk_gap,
            },
        )
    }

    fn unzip(glues: &[(f32, bool, bool)]) -> (Vec<Item>, Vec<ItemInfo>) {
        glues.iter().map(|&(s, l, g)| glue(s, l, g)).unzip()
    }

    #[test]
    fn line_letter_spacing_never_passes_its_limit() {
        let (items, info) = unzip(&[(1.0, true, false), (3.0, false, false)]);
        // Within tolerance, one ratio for all.
        assert_eq!(split_ratio(0.5, &items, &info, false), (0.5, 0.5, 0.5));
        assert_eq!(split_ratio(-0.5, &items, &info, false), (-0.5, -0.5, -0.5));
        // Too loose: letters stop at 1, the word spaces take the whole stretch.
        let (l, _, w) = split_ratio(3.0, &items, &info, false);
        assert_eq!(l, 1.0);
        assert!((l * 1.0 + w * 3.0 - 3.0 * 4.0).abs() < 1e-4, "{w}");
        // No word space: the letters stop at 1 and the line stays short.
        let (items, info) = unzip(&[(1.0, true, false)]);
        assert_eq!(split_ratio(17.0, &items, &info, false).0, 1.0);
    }

    #[test]
    fn line_cjk_gaps_stretch_last_in_latin_lines() {
        // Letters 1, CJK gaps 2, word spaces 4: in a Latin line the gaps keep their width and
        // the word spaces take their share; the total stretch is what the line needs.
        let (items, info) = unzip(&[(1.0, true, false), (2.0, false, true), (4.0, false, false)]);
        let (l, g, w) = split_ratio(0.5, &items, &info, true);
        assert_eq!((l, g), (0.5, 0.0));
        assert!((l * 1.0 + w * 4.0 - 0.5 * 7.0).abs() < 1e-4, "{w}");
        // A Chinese paragraph's line shares the stretch as before.
        assert_eq!(split_ratio(0.5, &items, &info, false), (0.5, 0.5, 0.5));
        // A Latin paragraph's line of CJK only (no word space) stretches its gaps.
        let (items, info) = unzip(&[(2.0, false, true)]);
        assert_eq!(split_ratio(0.5, &items, &info, true), (0.5, 0.5, 0.5));
    }
}
