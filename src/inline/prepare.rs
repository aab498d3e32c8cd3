//! Prepare: shaped words and break opportunities into Knuth–Plass boxes, glue and penalties,
//! each remembering the glyphs it stands for.
//!
//! Words are shaped whole (kerning and ligatures intact) and cut at hyphenation and URL
//! breaks that fall on a cluster boundary; a break inside a ligature is dropped. A line that
//! ends at a hyphen keeps the advance the last letter had inside the whole word (the kern
//! to the next letter, a few hundredths of an em at most) rather than re-shaping the piece.

use std::ops::Range;

use super::breaks::{OppKind, Opportunity};
use super::itemize::{Paragraph, Run};
use super::linebreak::{Item, INFINITE_PENALTY};
use super::shape::{Glyph, Shaper};
use crate::fonts::FontBook;

/// The narrowest a justified word space may get, in em: tighter spaces run words together.
pub const MIN_SPACE_EM: f32 = 0.2;
/// The widest a justified word space may get at ratio 1, in em: wider ones open rivers.
pub const MAX_SPACE_EM: f32 = 0.5;
/// Stretch between two CJK characters at a break, in em: lets lines without spaces justify
/// (issue 5 refines this with kinsoku and punctuation compression).
pub const CJK_STRETCH_EM: f32 = 0.25;
/// Letter-space a justified Latin word may gain or lose per glyph gap at ratio ±1, in em:
/// 1.5 % is below what readers notice (pdfTeX's expansion uses 2 %), and lets lines that
/// need a little more than `MAX_SPACE_EM` spaces set within it (microtypography).
pub const LETTER_SPACE_EM: f32 = 0.015;

/// The glue of a boundary inside CJK text, after its penalty (the break point): the natural
/// space change (auto-space, adjacent-mark compression) with the inter-character stretch and the
/// push-in shrink, all discarded when the line breaks here. An opening bracket that may start
/// the next line adds `glue(+trim) box(0) penalty(never) glue(-trim)`: unbroken, the two glues
/// cancel; broken, the first is discarded with the break and the second pulls the bracket's
/// blank half into the margin (JLREQ §3.1.5). Nothing is pushed for a plain boundary of ragged
/// text.
fn push_cjk_glue(p: &mut Prepared, opp: &Opportunity, em: f32, justify: bool, tight: bool) {
    let stretch = if justify && opp.cjk_glue && !tight {
        CJK_STRETCH_EM * em
    } else {
        0.0
    };
    let shrink = if justify { opp.cjk_shrink * em } else { 0.0 };
    let trim = opp.cjk_start_trim * em;
    let width = opp.cjk_adjust * em + trim;
    if width == 0.0 && stretch == 0.0 && shrink == 0.0 && trim == 0.0 {
        return;
    }
    p.push(
        Item::Glue {
            width,
            stretch,
            shrink,
        },
        0..0,
        Some(opp.kind),
    );
    if let Some(info) = p.info.last_mut() {
        info.cjk_gap = stretch > 0.0 && width <= 0.0;
    }
    if trim > 0.0 {
        push_line_start_trim(p, trim);
    }
}

/// box(0) penalty(never) glue(-trim): a line that starts here starts `trim` pt further left,
/// so an opening bracket's blank half hangs before the line (JLREQ §3.1.5); the box keeps the
/// glue from being discarded at the line start.
fn push_line_start_trim(p: &mut Prepared, trim: f32) {
    p.push(Item::Box { width: 0.0 }, 0..0, None);
    push_no_break(p);
    p.push(
        Item::Glue {
            width: -trim,
            stretch: 0.0,
            shrink: 0.0,
        },
        0..0,
        None,
    );
}

/// What an item stands for on the page.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemInfo {
    /// Glyphs of a box, the space glyphs of a glue, the hyphen of a hyphenation penalty.
    pub glyphs: Range<usize>,
    /// For penalties and glue: the opportunity they came from.
    pub kind: Option<OppKind>,
    /// Letter-space glue of the box before it: `glyphs` are that box's glyphs, which the
    /// glue's adjustment spreads between (it draws nothing itself).
    pub letters: bool,
    /// Stretch between two CJK characters (not a Latin/CJK quarter-em gap, which is spaced
    /// like a word space): in a Latin-language line with word spaces it stays unstretched.
    pub cjk_gap: bool,
}

/// The paragraph as items for the line breaker, with all glyphs.
#[derive(Debug, Clone, Default)]
pub struct Prepared {
    pub items: Vec<Item>,
    pub info: Vec<ItemInfo>,
    pub glyphs: Vec<Glyph>,
    /// The paragraph's language is not Chinese, Japanese or Korean: a line with word spaces
    /// (or Latin/CJK gaps) stretches those, and its CJK inter-character gaps only when it has
    /// none (CLREQ §3.8, JLREQ §3.8 describe inter-character stretch for CJK text).
    pub cjk_gaps_last: bool,
    /// Per item, with optical margin alignment: how far (pt) a line ending at a break here
    /// may reach past the measure, and a line starting with this box before it; empty
    /// without.
    pub protrude: Vec<(f32, f32)>,
    /// Per item: a break here ends the line with a character pulled in from the next line
    /// (push-in, JLREQ §3.1.8), see `linebreak::knuth_plass_push_in`.
    pub push_in: Vec<bool>,
}

impl Prepared {
    fn push(&mut self, item: Item, glyphs: Range<usize>, kind: Option<OppKind>) {
        self.items.push(item);
        self.info.push(ItemInfo {
            glyphs,
            kind,
            letters: false,
            cjk_gap: false,
        });
        self.push_in.push(false);
    }

    /// A box of `glyphs`; with `tracking`, a Latin box of two or more glyphs is followed by
    /// `penalty(never) glue(0, ±LETTER_SPACE_EM per gap) box(0)`: its letter-space (never a
    /// break).
    fn push_word(&mut self, book: &FontBook, glyphs: Range<usize>, tracking: bool) {
        let gs = &self.glyphs[glyphs.clone()];
        let width: f32 = gs.iter().map(|g| g.advance).sum();
        // Not CJK (set solid) nor Arabic or Hebrew from a script fallback (joined letters
        // must not be pulled apart).
        let latin = gs.iter().all(|g| {
            let f = book.face(g.face);
            f.fallback.is_none() && f.key.is_none_or(|k| k.cjk.is_none())
        });
        let gaps: f32 = gs.iter().skip(1).map(|g| LETTER_SPACE_EM * g.size).sum();
        self.push(Item::Box { width }, glyphs.clone(), None);
        if tracking && latin && gaps > 0.0 {
            push_no_break(self);
            self.items.push(Item::Glue {
                width: 0.0,
                stretch: gaps,
                shrink: gaps,
            });
            self.info.push(ItemInfo {
                glyphs,
                kind: None,
                letters: true,
                cjk_gap: false,
            });
            self.push_in.push(false);
            // An empty box, so that a word space after the word is still a breakpoint (glue
            // breaks only after a box).
            self.push(Item::Box { width: 0.0 }, 0..0, None);
        }
    }
}

/// Optical margin alignment: how much of a character's advance hangs into the margin at the
/// end (right) and at the start (left) of a justified line, after pdfTeX/microtype's default
/// protrusion set (`microtype.cfg`, thousandths of the glyph width): stops and hyphens hang
/// most, quotes a half, dashes and brackets a little. CJK marks are not in it: burasage (a
/// full-width mark hanging a whole em) is off, as Chinese typesetting leaves it (CLREQ).
pub const PROTRUSION: &[(char, f32, f32)] = &[
    // (char, left, right)
    ('.', 0.0, 0.7),
    (',', 0.0, 0.7),
    (':', 0.0, 0.5),
    (';', 0.0, 0.5),
    ('!', 0.0, 0.2),
    ('?', 0.0, 0.2),
    ('-', 0.0, 0.7),
    ('\u{2010}', 0.0, 0.7),
    ('\u{2013}', 0.2, 0.5),
    ('\u{2014}', 0.15, 0.3),
    ('\u{2018}', 0.7, 0.3),
    ('\u{2019}', 0.3, 0.7),
    ('\u{201C}', 0.5, 0.3),
    ('\u{201D}', 0.3, 0.5),
    ('\'', 0.3, 0.5),
    ('"', 0.5, 0.5),
    ('(', 0.05, 0.0),
    (')', 0.0, 0.05),
    ('[', 0.05, 0.0),
    (']', 0.0, 0.05),
    ('\u{2026}', 0.0, 0.2),
];

/// The protrusion of `c` at a line's start and end, as fractions of its advance.
fn protrusion_of(c: char) -> (f32, f32) {
    PROTRUSION
        .iter()
        .find(|(p, ..)| *p == c)
        .map_or((0.0, 0.0), |&(_, l, r)| (l, r))
}

/// Fill `prep.protrude`: for each break, what the glyph ending a line there may hang into the
/// right margin (the hyphen a hyphenation adds, else the last glyph before the break); for
/// each box, what its first glyph may hang into the left margin when a line starts with it.
pub fn protrusions(prep: &mut Prepared, text: &str) {
    let n = prep.items.len();
    let mut out = vec![(0.0f32, 0.0f32); n];
    let char_of = |g: &Glyph| {
        if g.hyphen {
            Some('-')
        } else if g.text.is_empty() {
            None
        } else {
            text.get(g.text.clone()).and_then(|t| t.chars().last())
        }
    };
    let mut last: Option<&Glyph> = None;
    for (i, (item, info)) in prep.items.iter().zip(&prep.info).enumerate() {
        let glyphs = &prep.glyphs[info.glyphs.clone()];
        match item {
            Item::Box { .. } if !glyphs.is_empty() => {
                if let Some(g) = glyphs.first() {
                    if let Some(c) = char_of(g) {
                        out[i].1 = protrusion_of(c).0 * g.advance;
                    }
                }
                last = glyphs.last();
            }
            Item::Penalty { width, .. } if *width > 0.0 => {
                if let Some(g) = glyphs.last() {
                    out[i].0 = protrusion_of('-').1 * g.advance;
                }
            }
            Item::Penalty { .. } | Item::Glue { .. } => {
                if let Some(c) = last.and_then(char_of) {
                    out[i].0 = protrusion_of(c).1 * last.map_or(0.0, |g| g.advance);
                }
            }
            Item::Box { .. } => {}
        }
    }
    prep.protrude = out;
}

/// A word space (a space or a tab).
fn is_space(c: char) -> bool {
    c == ' ' || c == '\t'
}

/// A line or paragraph separator.
fn is_newline(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// Runs that overlap `range`, as (run, piece of the range).
fn pieces(runs: &[Run], range: Range<usize>) -> impl Iterator<Item = (&Run, Range<usize>)> {
    let first = runs.partition_point(|r| r.range.end <= range.start);
    runs[first..]
        .iter()
        .take_while(move |r| r.range.start < range.end)
        .map(move |r| {
            let s = r.range.start.max(range.start);
            let e = r.range.end.min(range.end);
            (r, s..e)
        })
        .filter(|(_, p)| !p.is_empty())
}

/// Shapes `range` run by run into `out`.
fn shape_range(
    shaper: &mut Shaper,
    para: &Paragraph,
    runs: &[Run],
    range: Range<usize>,
    out: &mut Vec<Glyph>,
) {
    for (run, piece) in pieces(runs, range) {
        let text = &para.text[piece.clone()];
        let text = text.trim_end_matches(is_newline);
        if text.is_empty() {
            continue;
        }
        shaper.shape_into(
            run.face,
            run.size,
            run.span,
            text,
            piece.start,
            run.subst.as_deref(),
            out,
        );
    }
}

/// The run at or after byte `pos`.
fn run_at(runs: &[Run], pos: usize) -> Option<&Run> {
    let i = runs.partition_point(|r| r.range.end <= pos);
    runs.get(i)
}

/// Builds the items. `width` is the measure (words wider than it get emergency breaks);
/// `justify` gives word spaces their stretch and shrink; `lead_trim` (em) is the blank the
/// paragraph's first character drops at the line head (an opening bracket's half em, JLREQ
/// §3.1.5), 0 for none.
pub fn prepare(
    shaper: &mut Shaper,
    para: &Paragraph,
    runs: &[Run],
    opps: &[Opportunity],
    width: f32,
    justify: bool,
    lead_trim: f32,
) -> Prepared {
    let text = &para.text;
    // Chinese and Japanese justify between characters; their Latin bits keep their tracking.
    let tracking = justify && (text.is_ascii() || !text.chars().any(crate::cjk::is_cjk_solid));
    let mut bld = Builder {
        shaper,
        para,
        runs,
        inner: opps.iter().filter(|o| o.kind.is_inner()).copied().collect(),
        width,
        justify,
        tracking,
        out: Prepared {
            // About a glyph per character (a byte of Latin text, three of CJK) and a hyphen
            // glyph per hyphenation point (Latin text has ~10 % more glyphs than bytes), so
            // the paragraph's glyphs are rarely copied to a larger vector as they are shaped.
            glyphs: Vec::with_capacity(text.len() + text.len() / 4 + 8),
            ..Prepared::default()
        },
    };
    // Items per break opportunity: a box, the break's penalty or glue, a tracked word's
    // letter-space (penalty, glue, empty box); 4.3 on average over the benchmark archive's
    // paragraphs, at most 5.7. Sized up front, the three lists are not copied as they grow.
    let items = opps.len() * 5 + 8;
    bld.out.items.reserve(items);
    bld.out.info.reserve(items);
    bld.out.push_in.reserve(items);
    if lead_trim > 0.0 {
        // box(0) penalty(never) glue(-trim): the first line starts with the bracket's ink.
        let em = run_at(runs, 0).map_or(10.0, |r| r.size);
        push_line_start_trim(&mut bld.out, lead_trim * em);
    }
    let outer: Vec<&Opportunity> = opps.iter().filter(|o| !o.kind.is_inner()).collect();
    let mut a = 0;
    for k in 0..=outer.len() {
        let (b, opp) = match outer.get(k) {
            Some(o) => (o.pos, Some(**o)),
            None => (text.len(), None),
        };
        if b <= a && opp.is_some() {
            continue;
        }
        let (c, ws_end) = word_and_space_ends(text, a, b);
        bld.push_word_pieces(a..c);
        let Some(opp) = opp else { break };
        bld.push_break(&opp, b, c..ws_end);
        a = b;
    }
    push_forced_break(&mut bld.out);
    bld.out
}

/// Where the word of the segment `a..b` ends, and where the spaces after it end (before a
/// trailing newline).
fn word_and_space_ends(text: &str, a: usize, b: usize) -> (usize, usize) {
    let seg = &text[a..b];
    let no_nl = seg.trim_end_matches(is_newline);
    let content = no_nl.trim_end_matches(is_space);
    (a + content.len(), a + no_nl.len())
}

/// A paragraph being prepared: what its items are built from, and the items so far.
struct Builder<'a, 'b> {
    shaper: &'a mut Shaper<'b>,
    para: &'a Paragraph<'a>,
    runs: &'a [Run],
    /// The opportunities inside words (hyphenation, URL), in order.
    inner: Vec<Opportunity>,
    /// The measure, pt.
    width: f32,
    justify: bool,
    /// Latin words get letter-space glue (see `Prepared::push_word`).
    tracking: bool,
    out: Prepared,
}

impl Builder<'_, '_> {
    /// The word at `range`: shaped whole, cut at inner opportunities into boxes with a
    /// penalty between each two.
    fn push_word_pieces(&mut self, range: Range<usize>) {
        let g0 = self.out.glyphs.len();
        shape_range(
            self.shaper,
            self.para,
            self.runs,
            range.clone(),
            &mut self.out.glyphs,
        );
        let g1 = self.out.glyphs.len();
        if g1 <= g0 {
            return;
        }
        let mut from = g0;
        for cut in self.cuts(range, g0..g1) {
            // Only at a cluster boundary: never inside a ligature.
            let gs = &self.out.glyphs;
            let gi = from + gs[from..g1].partition_point(|g| g.cluster < cut.pos);
            if gi <= from || gi >= g1 || gs[gi].cluster != cut.pos {
                continue;
            }
            self.out
                .push_word(self.shaper.book(), from..gi, self.tracking);
            self.push_cut(&cut, gi);
            from = gi;
        }
        self.out
            .push_word(self.shaper.book(), from..g1, self.tracking);
    }

    /// Where the word at `range`, shaped as `glyphs`, may be cut: its inner opportunities,
    /// and between any two clusters when it is wider than the measure; in order.
    fn cuts(&self, range: Range<usize>, glyphs: Range<usize>) -> Vec<Opportunity> {
        let (a, c) = (range.start, range.end);
        let word_width: f32 = self.out.glyphs[glyphs.clone()]
            .iter()
            .map(|g| g.advance)
            .sum();
        let lo = self.inner.partition_point(|o| o.pos <= a);
        let hi = self.inner.partition_point(|o| o.pos < c);
        let mut cuts: Vec<Opportunity> = self.inner[lo..hi].to_vec();
        if word_width > self.width {
            // Too wide for any line: allow a break between any two clusters. A set of the
            // positions taken keeps this linear in the word's length (a 10 MB word of one
            // letter has ten million clusters).
            let mut taken: std::collections::HashSet<usize> = cuts.iter().map(|o| o.pos).collect();
            for g in &self.out.glyphs[glyphs.start + 1..glyphs.end] {
                if g.cluster > a && g.cluster < c && taken.insert(g.cluster) {
                    cuts.push(Opportunity::new(g.cluster, OppKind::Emergency));
                }
            }
            cuts.sort_by_key(|o| o.pos);
        }
        cuts
    }

    /// The penalty of `cut`, before glyph `gi`; at a hyphenation point it carries a hyphen
    /// shaped in the face and size of the letter before it.
    fn push_cut(&mut self, cut: &Opportunity, gi: usize) {
        let h0 = self.out.glyphs.len();
        if cut.kind == OppKind::Hyphen {
            let last = self.out.glyphs[gi - 1].clone();
            self.shaper.shape_into(
                last.face,
                last.size,
                last.span,
                "-",
                cut.pos,
                None,
                &mut self.out.glyphs,
            );
            for g in &mut self.out.glyphs[h0..] {
                g.hyphen = true;
                g.text = cut.pos..cut.pos;
            }
        }
        let h1 = self.out.glyphs.len();
        let hw: f32 = self.out.glyphs[h0..h1].iter().map(|g| g.advance).sum();
        self.out.push(
            Item::Penalty {
                width: hw,
                penalty: cut.penalty,
                flagged: cut.flagged,
            },
            h0..h1,
            Some(cut.kind),
        );
    }

    /// The outer opportunity `opp` at byte `b`, after a word followed by the spaces `spaces`:
    /// a forced break, the spaces as glue, or a penalty with its CJK glue.
    fn push_break(&mut self, opp: &Opportunity, b: usize, spaces: Range<usize>) {
        if opp.kind == OppKind::Mandatory {
            push_forced_break(&mut self.out);
        } else if spaces.end > spaces.start {
            self.push_space(opp, spaces);
        } else {
            self.push_penalty(opp, b);
        }
    }

    /// The spaces at `range` as glue; justified, it may stretch to `MAX_SPACE_EM` and shrink
    /// to `MIN_SPACE_EM` per space.
    fn push_space(&mut self, opp: &Opportunity, range: Range<usize>) {
        let s0 = self.out.glyphs.len();
        shape_range(
            self.shaper,
            self.para,
            self.runs,
            range.clone(),
            &mut self.out.glyphs,
        );
        let s1 = self.out.glyphs.len();
        let w: f32 = self.out.glyphs[s0..s1].iter().map(|g| g.advance).sum();
        let n = self.para.text[range.clone()].chars().count() as f32;
        let em = run_at(self.runs, range.start).map_or(10.0, |r| r.size);
        let (stretch, shrink) = if self.justify {
            (
                (MAX_SPACE_EM * em * n - w).max(0.0),
                (w - MIN_SPACE_EM * em * n).max(0.0),
            )
        } else {
            (0.0, 0.0)
        };
        self.out.push(
            Item::Glue {
                width: w,
                stretch,
                shrink,
            },
            s0..s1,
            Some(opp.kind),
        );
    }

    /// A break with no space (between CJK characters, after a dash): its penalty, push-in
    /// when `opp` says so, then its CJK glue.
    fn push_penalty(&mut self, opp: &Opportunity, b: usize) {
        self.out.push(
            Item::Penalty {
                width: 0.0,
                penalty: opp.penalty,
                flagged: opp.flagged,
            },
            0..0,
            Some(opp.kind),
        );
        if let Some(last) = self.out.push_in.last_mut() {
            *last = opp.push_in;
        }
        let em = run_at(self.runs, b).map_or(10.0, |r| r.size);
        // A run-in title (the bold head of a paragraph with more spans) is never spaced out:
        // "Unimpeded Trade (贸易畅通)." keeps its characters together.
        let spans = self.para.spans;
        let tight = spans.len() > 1
            && spans
                .get(self.para.span_at(b.saturating_sub(1)))
                .is_some_and(|s| s.style.bold);
        push_cjk_glue(&mut self.out, opp, em, self.justify, tight);
    }
}

/// A penalty that forbids a break here (a word's letter-space, a line-start trim).
fn push_no_break(p: &mut Prepared) {
    p.push(
        Item::Penalty {
            width: 0.0,
            penalty: INFINITE_PENALTY,
            flagged: false,
        },
        0..0,
        None,
    );
}

/// A forced break (a newline in the text, and the paragraph's end).
fn push_forced_break(p: &mut Prepared) {
    p.push(
        Item::Penalty {
            width: 0.0,
            penalty: -INFINITE_PENALTY,
            flagged: false,
        },
        0..0,
        Some(OppKind::Mandatory),
    );
}
