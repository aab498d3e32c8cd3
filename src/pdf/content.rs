//! Page content: layout items written straight into a PDF content stream (text, rules,
//! filled boxes), one page at a time and on all cores for a long document.
//!
//! Text is written per run as `Tm` + `TJ` with integer kerns (1/1000 em) that put every glyph
//! where the layout placed it, measured against the widths printpdf writes into /W; glyph
//! codes between two kerns share one literal string, two bytes per code. A cluster whose
//! glyphs' ToUnicode texts do not spell the cluster's text (the Latin "I" "V" drawing "Ⅳ")
//! is wrapped in `/Span <</ActualText …>> BDC … EMC`. Consecutive rectangles of one colour become one path
//! of `re` operators and one `f`. Link rectangles are returned beside the stream: printpdf
//! writes them as annotations.
//!
//! The stream is written here rather than through printpdf's `Op`s: printpdf turns every op
//! into lopdf objects and every glyph into its own string, sequentially, which was 0.6 s of
//! a 2 s render of an 800-page issue.

use super::embed::{Embedded, EmbeddedFace};
use crate::layout::{ArtifactKind, GlyphRun, Item, Mark, Page, PlacedGlyph, Rgb, Role, Structure};

/// Coordinates are written rounded to 1/100 pt: far below what print resolves (1/2400 in at
/// 2400 dpi is 0.03 pt) and it keeps numbers short in the content stream.
pub(crate) fn round_pt(v: f32) -> f32 {
    // `+ 0.0` turns -0.0 into 0.0, which writes as "0" rather than "-0".
    round32(v * 100.0) / 100.0 + 0.0
}

/// `x.round()` (halves away from zero), bit for bit, without the call: on the x86-64
/// baseline (no SSE4.1) `f64::round` is a call into libm's `round`, once per glyph here (its
/// kern) and once per number written, which a profile showed as 1.4 % of an export (the
/// export's instruction count did not move: the same work, inline). Truncation through `i64`
/// (`cvttsd2si`) and the fraction it leaves are exact below 2^52; from there on, and for NaN
/// and the infinities, `x` is already its own rounding.
#[inline]
fn round64(x: f64) -> f64 {
    if x.is_nan() || x.abs() >= 4_503_599_627_370_496.0 {
        return x;
    }
    let t = x as i64 as f64;
    let fraction = x - t;
    let r = if fraction >= 0.5 {
        t + 1.0
    } else if fraction <= -0.5 {
        t - 1.0
    } else {
        t
    };
    // Rounding never changes the sign, and -0.3 rounds to -0.0 as in libm.
    r.copysign(x)
}

/// `x.round()` for `f32`, bit for bit: every `f32` is an `f64`, and the rounding of an `f32`
/// that has a fraction (|x| < 2^23) is a whole number small enough to be an `f32` again.
#[inline]
fn round32(x: f32) -> f32 {
    round64(f64::from(x)) as f32
}

/// Writes `v` rounded to `decimals` (at most 3) places, with no trailing zeros, no exponent
/// and no "-0": the form ISO 32000-1 §7.3.3 gives real numbers.
pub(crate) fn write_num(out: &mut Vec<u8>, v: f32, decimals: u32) {
    let scale = 10i64.pow(decimals);
    let n = round64(f64::from(v) * scale as f64);
    // Far outside any page; clamp rather than overflow (validate() rejects non-finite input).
    let n = n.clamp(-1e15, 1e15) as i64;
    if n < 0 {
        out.push(b'-');
    }
    let n = n.unsigned_abs();
    let scale = scale.unsigned_abs();
    write_uint(out, n / scale);
    let mut frac = n % scale;
    if frac != 0 {
        out.push(b'.');
        let mut div = scale / 10;
        while frac != 0 {
            out.push(b'0' + (frac / div) as u8);
            frac %= div;
            div /= 10;
        }
    }
}

fn write_uint(out: &mut Vec<u8>, mut n: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&buf[i..]);
}

fn write_int(out: &mut Vec<u8>, n: i64) {
    if n < 0 {
        out.push(b'-');
    }
    write_uint(out, n.unsigned_abs());
}

const HEX: &[u8; 16] = b"0123456789ABCDEF";

fn write_hex_u16(out: &mut Vec<u8>, v: u16) {
    for shift in [12, 8, 4, 0] {
        out.push(HEX[usize::from((v >> shift) & 0xF)]);
    }
}

/// Colour channels are written rounded to 1/1000: finer than 8-bit colour. With `k_black`,
/// black is written as K-only DeviceCMYK (`0 0 0 1 k` for `rg`, `K` for `RG`): one ink on a
/// press rather than the four-colour black RGB black converts to.
fn write_color(out: &mut Vec<u8>, c: Rgb, op: &[u8], k_black: bool) {
    if k_black && c == Rgb::BLACK {
        out.extend_from_slice(if op == b"rg" {
            b"0 0 0 1 k\n"
        } else {
            b"0 0 0 1 K\n"
        });
        return;
    }
    for v in [c.0, c.1, c.2] {
        write_num(out, v.clamp(0.0, 1.0), 3);
        out.push(b' ');
    }
    out.extend_from_slice(op);
    out.push(b'\n');
}

/// `/Span <</ActualText <FEFF…>>> BDC`: the text as UTF-16BE with a byte-order mark.
fn write_actual_text(out: &mut Vec<u8>, text: &str) {
    out.extend_from_slice(b"/Span <</ActualText <FEFF");
    for unit in text.encode_utf16() {
        write_hex_u16(out, unit);
    }
    out.extend_from_slice(b">>> BDC\n");
}

/// A cluster: a glyph that carries text and the glyphs after it that carry "", as the
/// index range `start..end` into the run's glyphs.
struct Cluster {
    start: usize,
    end: usize,
    /// Whether ToUnicode alone would extract something other than the cluster's text.
    needs_actual_text: bool,
}

/// The clusters of `run`, into `out` (a scratch vector reused run after run).
fn clusters(run: &GlyphRun, face: &EmbeddedFace, out: &mut Vec<Cluster>) {
    let glyphs = &run.glyphs;
    out.clear();
    let mut start = 0;
    while start < glyphs.len() {
        let mut end = start + 1;
        while end < glyphs.len() && run.glyph_text(end).is_empty() {
            end += 1;
        }
        // Most clusters are one glyph whose text is its canonical text: no allocation.
        let needs_actual_text = if end == start + 1 {
            run.glyph_text(start) != face.canonical_text(glyphs[start].id)
        } else {
            let natural: String = glyphs[start..end]
                .iter()
                .map(|g| face.canonical_text(g.id))
                .collect();
            run.range_text(start, end) != natural
        };
        out.push(Cluster {
            start,
            end,
            needs_actual_text,
        });
        start = end;
    }
}

/// A link area of a page, in PDF coordinates (origin bottom left).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LinkRect {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
    pub uri: String,
    /// The `Link` structure element the annotation belongs to (tagged documents).
    pub elem: Option<usize>,
}

/// One page written: its content stream, its link areas, and the structure element of each
/// marked-content id (MCID) it used, in MCID order.
#[derive(Debug, Default)]
pub(crate) struct PageContent {
    pub stream: Vec<u8>,
    pub links: Vec<LinkRect>,
    pub mcids: Vec<usize>,
}

/// Writes one page's items as a content stream.
pub(crate) struct PageWriter<'a> {
    fonts: &'a Embedded,
    height: f32,
    out: PageContent,
    in_text: bool,
    /// The font resource and size in force inside the current text object.
    font: Option<(&'a str, f32)>,
    fill: Option<Rgb>,
    /// The character spacing (`Tc`, pt) in force.
    tc: f32,
    /// Rectangles waiting to be filled as one path, and their colour.
    pending_rects: Vec<[f32; 4]>,
    pending_rect_color: Option<Rgb>,
    /// Scratch for one baseline segment's codes and kerns.
    shown: Vec<Shown>,
    /// Scratch for [`letter_spacing`]: the gaps of one baseline segment.
    gaps: Vec<f32>,
    /// Scratch for [`clusters`]: the clusters of one run.
    clusters: Vec<Cluster>,
    /// The document's structure, when it is tagged.
    structure: Option<&'a Structure>,
    /// The marks open at this point of the item list, innermost last.
    marks: Vec<Mark>,
    /// The marked-content sequence open in the stream (never nested: the innermost mark of
    /// the items drawn holds).
    open: Option<Mark>,
    /// Black as K-only DeviceCMYK (see `write_color`).
    k_black: bool,
}

impl<'a> PageWriter<'a> {
    /// Writes black as K-only DeviceCMYK (`print.rich_black: false`).
    pub fn k_black(mut self, on: bool) -> Self {
        self.k_black = on;
        self
    }

    pub fn new(fonts: &'a Embedded, page: &Page, structure: Option<&'a Structure>) -> Self {
        PageWriter {
            fonts,
            height: page.height,
            out: PageContent {
                // About 14 bytes per glyph on a page of running text.
                stream: Vec::with_capacity(page.items.len() * 256),
                links: Vec::new(),
                mcids: Vec::new(),
            },
            in_text: false,
            font: None,
            fill: None,
            k_black: false,
            tc: 0.0,
            pending_rects: Vec::new(),
            pending_rect_color: None,
            shown: Vec::new(),
            gaps: Vec::new(),
            clusters: Vec::new(),
            structure,
            marks: Vec::new(),
            open: None,
        }
    }

    /// The page's content stream and links, in item order.
    pub fn write(mut self, page: &Page) -> PageContent {
        for item in &page.items {
            match item {
                Item::Begin(m) => self.marks.push(*m),
                Item::End => {
                    self.marks.pop();
                }
                Item::Text { x, y, run, color } => {
                    self.mark();
                    self.flush_rects();
                    self.text(*x, *y, run, *color);
                }
                Item::Rule {
                    x1,
                    y1,
                    x2,
                    y2,
                    width,
                    color,
                } => {
                    self.mark();
                    self.flush_rects();
                    self.end_text();
                    self.rule(*x1, *y1, *x2, *y2, *width, *color);
                }
                Item::Dots {
                    x1,
                    x2,
                    y,
                    pitch,
                    diameter,
                    color,
                } => {
                    self.mark();
                    self.flush_rects();
                    self.end_text();
                    self.dots(*x1, *x2, *y, *pitch, *diameter, *color);
                }
                Item::Rect { x, y, w, h, color } => {
                    self.mark();
                    self.end_text();
                    if self.pending_rect_color != Some(*color) {
                        self.flush_rects();
                        self.pending_rect_color = Some(*color);
                    }
                    self.pending_rects.push([*x, self.height - *y - *h, *w, *h]);
                }
                // Only web and e-mail links (compose prints other targets as text; this is
                // the writer's own guard).
                Item::Link { uri, .. } if !crate::config::is_linkable(uri) => {}
                Item::Link { x, y, w, h, uri } => {
                    self.out.links.push(LinkRect {
                        x: round_pt(*x),
                        y: round_pt(self.height - *y - *h),
                        w: round_pt(*w),
                        h: round_pt(*h),
                        uri: uri_ascii(uri),
                        elem: self.link_elem(),
                    });
                }
            }
        }
        self.flush_rects();
        self.end_text();
        self.close_mark();
        self.out
    }

    /// Before drawing: the marked-content sequence of the innermost open mark, opened (and
    /// the previous one closed) when it is not the one open. Content outside any mark in a
    /// tagged document is page furniture (an artifact).
    fn mark(&mut self) {
        let Some(structure) = self.structure else {
            return;
        };
        let want = self
            .marks
            .last()
            .copied()
            .unwrap_or(Mark::Artifact(ArtifactKind::Layout));
        if self.open == Some(want) {
            return;
        }
        self.close_mark();
        let s = &mut self.out.stream;
        match want {
            Mark::Elem(e) => {
                let role = structure.elems.get(e).map_or("Span", |el| el.role.name());
                s.push(b'/');
                s.extend_from_slice(role.as_bytes());
                s.extend_from_slice(b" <</MCID ");
                write_uint(s, self.out.mcids.len() as u64);
                s.extend_from_slice(b">> BDC\n");
                self.out.mcids.push(e);
            }
            Mark::Artifact(kind) => {
                s.extend_from_slice(match kind {
                    ArtifactKind::Pagination => b"/Artifact <</Type /Pagination>> BDC\n",
                    ArtifactKind::Layout => b"/Artifact <</Type /Layout>> BDC\n",
                });
            }
        }
        self.open = Some(want);
    }

    /// Ends the open marked-content sequence (its text object and pending shapes first).
    fn close_mark(&mut self) {
        if self.open.take().is_some() {
            self.flush_rects();
            self.end_text();
            self.out.stream.extend_from_slice(b"EMC\n");
        }
    }

    /// The innermost open `Link` element: the structure parent of a link annotation here.
    fn link_elem(&self) -> Option<usize> {
        let structure = self.structure?;
        self.marks.iter().rev().find_map(|m| match m {
            Mark::Elem(e)
                if structure
                    .elems
                    .get(*e)
                    .is_some_and(|el| el.role == Role::Link) =>
            {
                Some(*e)
            }
            _ => None,
        })
    }

    fn end_text(&mut self) {
        if self.in_text {
            self.out.stream.extend_from_slice(b"ET\n");
            self.in_text = false;
            // Tf is text state that outlives ET, but a fresh BT after graphics is cheap
            // to re-establish and keeps each text object self-contained.
            self.font = None;
        }
    }

    fn set_fill(&mut self, color: Rgb) {
        if self.fill != Some(color) {
            write_color(&mut self.out.stream, color, b"rg", self.k_black);
            self.fill = Some(color);
        }
    }

    fn flush_rects(&mut self) {
        let Some(color) = self.pending_rect_color.take() else {
            return;
        };
        if self.pending_rects.is_empty() {
            return;
        }
        self.set_fill(color);
        let s = &mut self.out.stream;
        for [x, y, w, h] in self.pending_rects.drain(..) {
            for v in [x, y, w, h] {
                write_num(s, v, 2);
                s.push(b' ');
            }
            s.extend_from_slice(b"re\n");
        }
        s.extend_from_slice(b"f\n");
    }

    fn rule(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, width: f32, color: Rgb) {
        let k_black = self.k_black;
        let s = &mut self.out.stream;
        s.extend_from_slice(b"q\n");
        write_color(s, color, b"RG", k_black);
        write_num(s, width, 2);
        s.extend_from_slice(b" w\n");
        for (x, y, op) in [(x1, y1, b" m\n"), (x2, y2, b" l\n")] {
            write_num(s, x, 2);
            s.push(b' ');
            write_num(s, self.height - y, 2);
            s.extend_from_slice(op);
        }
        s.extend_from_slice(b"S\nQ\n");
    }

    /// Round dots as a dashed line: dashes of length 0 with round caps are dots of the line's
    /// width, one every `pitch` (ISO 32000-1 §8.4.3.6).
    fn dots(&mut self, x1: f32, x2: f32, y: f32, pitch: f32, diameter: f32, color: Rgb) {
        if x2 < x1 || pitch <= 0.0 {
            return;
        }
        // Whole dots only: the last one sits at or before x2; the path ends a quarter pitch
        // after it so every renderer draws that last zero-length dash.
        let x2 = x1 + ((x2 - x1) / pitch).floor() * pitch + pitch / 4.0;
        let k_black = self.k_black;
        let s = &mut self.out.stream;
        s.extend_from_slice(b"q\n");
        write_color(s, color, b"RG", k_black);
        write_num(s, diameter, 2);
        s.extend_from_slice(b" w\n1 J\n[0 ");
        write_num(s, pitch, 2);
        s.extend_from_slice(b"] 0 d\n");
        for (x, op) in [(x1, b" m\n"), (x2, b" l\n")] {
            write_num(s, x, 2);
            s.push(b' ');
            write_num(s, self.height - y, 2);
            s.extend_from_slice(op);
        }
        s.extend_from_slice(b"S\nQ\n");
    }

    fn text(&mut self, x: f32, y: f32, run: &GlyphRun, color: Rgb) {
        let fonts = self.fonts;
        let Some(face) = fonts.faces.get(&run.face) else {
            return;
        };
        if run.glyphs.is_empty() {
            return;
        }
        if !self.in_text {
            self.out.stream.extend_from_slice(b"BT\n");
            self.in_text = true;
        }
        let font = (face.resource.as_str(), run.size);
        if self.font != Some(font) {
            let s = &mut self.out.stream;
            s.push(b'/');
            s.extend_from_slice(face.resource.as_bytes());
            s.push(b' ');
            write_num(s, run.size, 3);
            s.extend_from_slice(b" Tf\n");
            self.font = Some(font);
        }
        self.set_fill(color);

        let mut clusters = std::mem::take(&mut self.clusters);
        self::clusters(run, face, &mut clusters);
        let mut i = 0;
        while i < clusters.len() {
            let start = clusters[i].start;
            if clusters[i].needs_actual_text {
                let end = clusters[i].end;
                write_actual_text(&mut self.out.stream, run.range_text(start, end));
                self.glyphs(x, y, face, run, start..end);
                self.out.stream.extend_from_slice(b"EMC\n");
                i += 1;
            } else {
                // A stretch of clusters ToUnicode extracts correctly: one slice of glyphs.
                let mut end = clusters[i].end;
                i += 1;
                while i < clusters.len() && !clusters[i].needs_actual_text {
                    end = clusters[i].end;
                    i += 1;
                }
                self.glyphs(x, y, face, run, start..end);
            }
        }
        self.clusters = clusters;
    }

    /// Shows glyphs (all in one face and size) at their layout positions: one `Tm` per
    /// baseline, then glyph codes with integer kerns.
    fn glyphs(
        &mut self,
        x: f32,
        y: f32,
        face: &EmbeddedFace,
        run: &GlyphRun,
        range: std::ops::Range<usize>,
    ) {
        let size = run.size;
        let glyphs = &run.glyphs[range.clone()];
        let mut start = 0;
        while start < glyphs.len() {
            let base = glyphs[start].y;
            let mut end = start + 1;
            while end < glyphs.len() && glyphs[end].y == base {
                end += 1;
            }
            let segment = &glyphs[start..end];
            let origin_x = round_pt(x + segment[0].x);
            let origin_y = round_pt(self.height - (y + base));
            // Letter-spaced text: the common gap goes into Tc, so TJ numbers remain only at
            // word spaces and kerning pairs (a third of the content stream on a long issue).
            let tc = letter_spacing(run, range.start + start..range.start + end, &mut self.gaps);
            let s = &mut self.out.stream;
            if tc != self.tc {
                write_num(s, tc, 3);
                s.extend_from_slice(b" Tc\n");
                self.tc = tc;
            }
            s.extend_from_slice(b"1 0 0 1 ");
            write_num(s, origin_x, 2);
            s.push(b' ');
            write_num(s, origin_y, 2);
            s.extend_from_slice(b" Tm\n");
            let tc_units = f64::from(tc) * 1000.0 / f64::from(size);
            kerned_codes(&mut self.shown, origin_x, x, size, tc_units, face, segment);
            write_tj(s, &self.shown);
            start = end;
        }
    }
}

/// A glyph as shown: its code in the font's encoding and the TJ number after it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Shown {
    /// The character code (Identity-H: the subset's glyph id, or its CID in a CID-keyed CFF).
    pub code: u16,
    /// The subset glyph id, whose /W width the viewer advances by.
    pub gid: u16,
    /// The TJ number written after the glyph: moves the pen by -kern/1000 em.
    pub kern: i32,
}

/// `[(codes) kern (codes) …] TJ`: codes between two kerns share one string, each code as its
/// two bytes in a literal string (half the bytes of a hex string, so half the content stream
/// for deflate to read: deflate was a fifth of an export).
fn write_tj(s: &mut Vec<u8>, shown: &[Shown]) {
    s.push(b'[');
    let mut open = false;
    for g in shown {
        if !open {
            s.push(b'(');
            open = true;
        }
        let [hi, lo] = g.code.to_be_bytes();
        push_literal_byte(s, hi);
        push_literal_byte(s, lo);
        if g.kern != 0 {
            s.extend_from_slice(b") ");
            write_int(s, i64::from(g.kern));
            open = false;
        }
    }
    if open {
        s.push(b')');
    }
    s.extend_from_slice(b"] TJ\n");
}

/// One byte of a literal string: the delimiters and the backslash escaped, and the two
/// end-of-line bytes too (a reader turns a bare CR or CR LF inside a string into LF).
fn push_literal_byte(s: &mut Vec<u8>, b: u8) {
    match b {
        b'(' | b')' | b'\\' => s.extend_from_slice(&[b'\\', b]),
        b'\r' => s.extend_from_slice(b"\\r"),
        b'\n' => s.extend_from_slice(b"\\n"),
        _ => s.push(b),
    }
}

/// The glyph codes of one baseline segment with the kern after each glyph that moves the pen
/// to the next glyph's layout position, into `out`. Kerns are whole thousandths of an em
/// (0.01 pt at 10 pt); the rounding error is carried, never accumulated.
fn kerned_codes(
    out: &mut Vec<Shown>,
    origin_x: f32,
    run_x: f32,
    size: f32,
    tc_units: f64,
    face: &EmbeddedFace,
    segment: &[PlacedGlyph],
) {
    out.clear();
    // Pen position relative to origin_x, in 1/1000 em.
    let mut pen = 0.0f64;
    let em = f64::from(size) / 1000.0;
    for glyph in segment {
        let target = f64::from(run_x + glyph.x - origin_x) / em;
        if let Some(prev) = out.last_mut() {
            // TJ numbers move the pen by -n/1000 em.
            let kern = round64(pen - target);
            if kern != 0.0 {
                prev.kern = kern.clamp(-1e9, 1e9) as i32;
                pen -= kern;
            }
        }
        let (gid, code, advance) = face
            .drawn(glyph.id)
            .map_or((0, 0, 0.0), |d| (d.gid, d.code, d.advance));
        out.push(Shown { code, gid, kern: 0 });
        pen += advance + tc_units;
    }
}

/// The letter-spacing of a baseline segment in pt, to 0.001 pt: the median gap between the
/// glyphs of its words (layout position minus the previous glyph's end), or 0 when the segment
/// has fewer than four such gaps or the median is under 0.001 pt. Gaps that differ from it
/// (kerning) stay as TJ numbers.
fn letter_spacing(run: &GlyphRun, segment: std::ops::Range<usize>, gaps: &mut Vec<f32>) -> f32 {
    gaps.clear();
    // Each glyph's text ends where the next one's begins: one pass, each text read once.
    let mut texts = segment.clone().map(|i| run.glyph_text(i));
    let Some(mut ta) = texts.next() else {
        return 0.0;
    };
    for (a, tb) in segment.zip(texts) {
        if ta != " " && tb != " " && !tb.is_empty() {
            gaps.push(run.glyphs[a + 1].x - run.glyphs[a].x - run.glyphs[a].advance);
        }
        ta = tb;
    }
    if gaps.len() < 4 {
        return 0.0;
    }
    // The middle gap in total order: the same value a full sort would put there.
    let mid = gaps.len() / 2;
    let median = *gaps.select_nth_unstable_by(mid, f32::total_cmp).1;
    let tc = round32(median * 1000.0) / 1000.0;
    if tc.abs() < 0.001 {
        0.0
    } else {
        tc
    }
}

/// A URI action's string is 7-bit ASCII (ISO 32000-1 §12.6.4.7) of the characters RFC 3986
/// allows in a URI: every other byte of the UTF-8 form (non-ASCII, spaces, control
/// characters, quotes, angle brackets, braces, `|`, `^`, the backquote), the parentheses and
/// backslash that delimit and escape a PDF string, and a `%` that starts no `%XX` escape, are
/// percent-encoded.
fn uri_ascii(uri: &str) -> String {
    let bytes = uri.as_bytes();
    let mut out = String::with_capacity(uri.len());
    for (i, &b) in bytes.iter().enumerate() {
        let escape = b == b'%'
            && bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
            && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit);
        if b.is_ascii_alphanumeric() || b"-._~:/?#[]@!$&'*+,;=".contains(&b) || escape {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same bits as `f64::round` (NaN: a NaN).
    fn same64(x: f64) {
        let (ours, libm) = (round64(x), x.round());
        assert!(
            ours.to_bits() == libm.to_bits() || (ours.is_nan() && libm.is_nan()),
            "{x:e} ({:#x}): {ours:e} against {libm:e}",
            x.to_bits()
        );
    }

    #[test]
    fn content_round64_is_f64_round_bit_for_bit() {
        let two52 = 4_503_599_627_370_496.0f64;
        for x in [
            0.0,
            -0.0,
            0.5,
            -0.5,
            1.5,
            -1.5,
            2.5,
            -2.5,
            0.499_999_999_999_999_94,
            -0.499_999_999_999_999_94,
            0.3,
            -0.3,
            two52 - 0.5,
            -(two52 - 0.5),
            two52,
            two52 + 1.0,
            -two52,
            9.2e18,
            -9.3e18,
            1e300,
            f64::MIN_POSITIVE,
            -f64::MIN_POSITIVE,
            5e-324,
            f64::MAX,
            f64::MIN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
        ] {
            same64(x);
        }
        // Every half and its neighbours, from -3000 to 3000 and around 2^52.
        for k in -3000i64..=3000 {
            for base in [k as f64 + 0.5, k as f64, two52 / 4.0 + k as f64 + 0.5] {
                same64(base);
                same64(f64::from_bits(base.to_bits() + 1));
                same64(f64::from_bits(base.to_bits().wrapping_sub(1)));
            }
        }
        // Random bit patterns over every exponent, and random values of a page's scale.
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..200_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            same64(f64::from_bits(state));
            same64((state >> 11) as f64 / (1u64 << 53) as f64 * 2e6 - 1e6);
        }
    }

    #[test]
    fn content_round32_is_f32_round_bit_for_bit() {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let check = |x: f32| {
            let (ours, libm) = (round32(x), x.round());
            assert!(
                ours.to_bits() == libm.to_bits() || (ours.is_nan() && libm.is_nan()),
                "{x:e}: {ours:e} against {libm:e}"
            );
        };
        for x in [
            0.0f32,
            -0.0,
            0.5,
            -0.5,
            2.5,
            -2.5,
            0.499_999_97,
            8_388_607.5,
            1e38,
        ] {
            check(x);
        }
        for _ in 0..200_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            check(f32::from_bits(state as u32));
            check(((state >> 40) as f32 / (1u32 << 24) as f32 - 0.5) * 2e5);
        }
    }
    use crate::fonts::{FaceKey, Family, FontBook};
    use crate::layout::{Document, GlyphRun, Item, Page};

    /// A one-run document in Noto Serif: `text` one glyph per char, at the given x positions.
    fn run_doc(book: &FontBook, text: &str, xs: &[f32], size: f32) -> Document {
        let id = book
            .find(FaceKey {
                family: Family::Serif,
                bold: false,
                italic: false,
                cjk: None,
            })
            .expect("serif");
        let entry = book.face(id);
        let face = ttf_parser::Face::parse(entry.data.bytes(), entry.index).expect("face");
        let mut run = GlyphRun::new(id, size, text.len());
        for (c, &x) in text.chars().zip(xs) {
            let gid = face.glyph_index(c).map(|g| g.0).unwrap_or(0);
            run.push(gid, x, 0.0, 5.0, c.encode_utf8(&mut [0; 4]));
        }
        Document {
            pages: vec![Page {
                width: 612.0,
                height: 792.0,
                items: vec![Item::Text {
                    x: 72.0,
                    y: 100.0,
                    run,
                    color: Rgb::BLACK,
                }],
            }],
            ..Document::default()
        }
    }

    #[test]
    fn content_letter_spacing_goes_into_tc_and_glyphs_stay_put() {
        let book = FontBook::bundled();
        let size = 10.0;
        // Natural positions of "Strategy", then each letter gap widened by 0.05 pt.
        let natural = run_doc(&book, "Strategy", &[0.0; 8], size);
        let Item::Text { run, .. } = &natural.pages[0].items[0] else {
            panic!("text item");
        };
        let face_entry = book.face(run.face);
        let face =
            ttf_parser::Face::parse(face_entry.data.bytes(), face_entry.index).expect("face");
        let upem = f32::from(face.units_per_em());
        let mut xs = Vec::new();
        let mut pen = 0.0f32;
        for c in "Strategy".chars() {
            xs.push(pen);
            let adv = face
                .glyph_index(c)
                .and_then(|g| face.glyph_hor_advance(g))
                .unwrap_or(0);
            pen += f32::from(adv) / upem * size + 0.05;
        }
        let mut doc = run_doc(&book, "Strategy", &xs, size);
        if let Item::Text { run, .. } = &mut doc.pages[0].items[0] {
            for (g, c) in run.glyphs.iter_mut().zip("Strategy".chars()) {
                let adv = face
                    .glyph_index(c)
                    .and_then(|id| face.glyph_hor_advance(id))
                    .unwrap_or(0);
                g.advance = f32::from(adv) / upem * size;
            }
        }
        let Item::Text { x, run, .. } = &doc.pages[0].items[0] else {
            panic!("text item");
        };
        let tc = letter_spacing(run, 0..run.glyphs.len(), &mut Vec::new());
        assert!((tc - 0.05).abs() < 0.0011, "tc {tc}");
        let fonts = super::super::embed::embed_fonts(&doc, &book).expect("embed");
        let face = fonts.faces.get(&run.face).expect("embedded");
        let origin = round_pt(x + run.glyphs[0].x);
        let tc_units = f64::from(tc) * 1000.0 / f64::from(size);
        let mut cps = Vec::new();
        kerned_codes(&mut cps, origin, *x, size, tc_units, face, &run.glyphs);
        // With Tc carrying the spacing, no glyph needs a TJ number of its own.
        assert!(cps.iter().filter(|c| c.kern != 0).count() <= 1, "{cps:?}");
        // Replay with Tc: advance by /W + Tc, then by -kern/1000 em.
        let mut pen = 0.0f64;
        for (cp, glyph) in cps.iter().zip(&run.glyphs) {
            let want = f64::from(x + glyph.x - origin);
            let got = pen * f64::from(size) / 1000.0;
            assert!((got - want).abs() < 0.006, "glyph at {want} drawn at {got}");
            pen += face.pdf_advance(cp.gid) + tc_units - f64::from(cp.kern);
        }
    }

    #[test]
    fn content_kerns_put_every_glyph_at_its_layout_x() {
        let book = FontBook::bundled();
        // Uneven, justified-looking positions.
        let xs = [0.0, 6.1, 13.37, 20.0, 31.5, 36.25, 50.0];
        let size = 10.5;
        let doc = run_doc(&book, "Strateg", &xs, size);
        let fonts = super::super::embed::embed_fonts(&doc, &book).expect("embed");
        let Item::Text { x, run, .. } = &doc.pages[0].items[0] else {
            panic!("text item");
        };
        let face = fonts.faces.get(&run.face).expect("embedded");
        let origin = round_pt(x + run.glyphs[0].x);
        let mut cps = Vec::new();
        kerned_codes(&mut cps, origin, *x, size, 0.0, face, &run.glyphs);
        // Replay what a viewer does with TJ: advance by /W, then by -kern/1000 em.
        let mut pen = 0.0f64;
        for (cp, glyph) in cps.iter().zip(&run.glyphs) {
            let want = f64::from(x + glyph.x - origin);
            let got = pen * f64::from(size) / 1000.0;
            assert!((got - want).abs() < 0.006, "glyph at {want} drawn at {got}");
            pen += face.pdf_advance(cp.gid) - f64::from(cp.kern);
        }
    }

    #[test]
    fn content_clusters_flag_text_that_tounicode_cannot_give() {
        let book = FontBook::bundled();
        let mut doc = run_doc(&book, "IVI", &[0.0, 5.0, 10.0], 10.0);
        // The same glyphs standing for other texts.
        let retext = |run: &GlyphRun, texts: [&str; 3]| {
            let mut out = GlyphRun::new(run.face, run.size, 3);
            for (g, t) in run.glyphs.iter().zip(texts) {
                out.push(g.id, g.x, g.y, g.advance, t);
            }
            out
        };
        // A second run where "I" and "V" stand for themselves, so they are canonical.
        let plain = doc.pages[0].items[0].clone();
        if let Item::Text { run, .. } = &mut doc.pages[0].items[0] {
            *run = retext(run, ["Ⅳ", "", "I"]);
        }
        doc.pages[0].items.push(plain);
        let fonts = super::super::embed::embed_fonts(&doc, &book).expect("embed");
        let Item::Text { run, .. } = &doc.pages[0].items[0] else {
            panic!("text item");
        };
        let face = fonts.faces.get(&run.face).expect("embedded");
        let mut cl = vec![Cluster {
            start: 9,
            end: 9,
            needs_actual_text: true,
        }];
        clusters(run, face, &mut cl);
        assert_eq!(cl.len(), 2);
        assert_eq!((cl[0].start, cl[0].end), (0, 2));
        assert!(cl[0].needs_actual_text);
        assert!(!cl[1].needs_actual_text);
    }

    #[test]
    fn content_uri_ascii_percent_encodes_non_ascii_and_spaces() {
        assert_eq!(uri_ascii("https://a.cn/新 x"), "https://a.cn/%E6%96%B0%20x");
        assert_eq!(
            uri_ascii("https://example.org/?a=1&b=(2)"),
            "https://example.org/?a=1&b=%282%29"
        );
        assert_eq!(
            uri_ascii("https://x.org/a\\b\"<c>%41%g%"),
            "https://x.org/a%5Cb%22%3Cc%3E%41%25g%25"
        );
    }

    #[test]
    fn content_round_pt_keeps_two_decimals() {
        assert_eq!(round_pt(72.3456), 72.35);
        assert_eq!(round_pt(-0.004), 0.0);
    }

    #[test]
    fn content_actual_text_is_utf16be_with_bom() {
        let mut out = Vec::new();
        write_actual_text(&mut out, "Ⅳ");
        assert_eq!(out, b"/Span <</ActualText <FEFF2163>>> BDC\n");
    }

    #[test]
    fn content_numbers_are_short_and_exact() {
        let num = |v: f32, d: u32| {
            let mut out = Vec::new();
            write_num(&mut out, v, d);
            String::from_utf8(out).expect("ascii")
        };
        assert_eq!(num(72.0, 2), "72");
        assert_eq!(num(687.934, 2), "687.93");
        assert_eq!(num(10.5, 3), "10.5");
        assert_eq!(num(0.059, 3), "0.059");
        assert_eq!(num(-0.004, 2), "0");
        assert_eq!(num(-12.05, 2), "-12.05");
        assert_eq!(num(0.1, 2), "0.1");
        assert_eq!(num(1.007, 2), "1.01");
        assert_eq!(num(0.333_33, 3), "0.333");
    }

    #[test]
    fn content_dots_are_a_round_capped_dash_of_whole_dots() {
        let page = Page {
            width: 612.0,
            height: 792.0,
            items: vec![Item::Dots {
                x1: 100.0,
                x2: 122.0,
                y: 92.0,
                pitch: 5.0,
                diameter: 1.0,
                color: Rgb::BLACK,
            }],
        };
        let fonts = Embedded::default();
        let out = PageWriter::new(&fonts, &page, None).write(&page);
        let s = String::from_utf8(out.stream).expect("ascii");
        // Dots at 100, 105, …, 120: the path ends a quarter pitch past the last.
        assert_eq!(
            s,
            "q\n0 0 0 RG\n1 w\n1 J\n[0 5] 0 d\n100 700 m\n121.25 700 l\nS\nQ\n"
        );
    }

    #[test]
    fn content_tj_shares_strings_between_kerns() {
        let g = |code, kern| Shown {
            code,
            gid: code,
            kern,
        };
        let mut out = Vec::new();
        write_tj(
            &mut out,
            &[g(9, 0), g(5, 20), g(15, 0), g(0x1AB, -7), g(1, 0)],
        );
        assert_eq!(out, b"[(\0\t\0\x05) 20(\0\x0f\x01\xab) -7(\0\x01)] TJ\n");
        out.clear();
        write_tj(&mut out, &[g(3, 12)]);
        assert_eq!(out, b"[(\0\x03) 12] TJ\n");
    }

    #[test]
    fn content_tj_escapes_delimiters_and_line_ends() {
        let g = |code| Shown {
            code,
            gid: code,
            kern: 0,
        };
        let mut out = Vec::new();
        write_tj(&mut out, &[g(0x2829), g(0x5C0D), g(0x0A41)]);
        assert_eq!(out, b"[(\\(\\)\\\\\\r\\nA)] TJ\n");
        // What a reader decodes is the codes back.
        let ops = lopdf::content::Content::decode(&out).expect("parses");
        let lopdf::Object::Array(items) = &ops.operations[0].operands[0] else {
            panic!("TJ takes an array");
        };
        assert_eq!(
            items[0].as_str().expect("a string"),
            &[0x28, 0x29, 0x5C, 0x0D, 0x0A, 0x41]
        );
    }
}
