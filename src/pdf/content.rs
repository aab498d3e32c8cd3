//! Page content: layout items turned into printpdf operations (text, rules, filled boxes).
//!
//! Text is written per run as `Tm` + `TJ` with integer kerns (1/1000 em) that put every glyph
//! where the layout placed it, measured against the widths printpdf writes into /W. A cluster
//! whose glyphs' ToUnicode texts do not spell the cluster's text (the Latin "I" "V" drawing
//! "Ⅳ") is wrapped in `/Span <</ActualText …>> BDC … EMC`. Consecutive rectangles of one
//! colour become one path of `re` operators and one `f`.

use std::collections::BTreeMap;

use printpdf::{
    Codepoint, Color, DictItem, FontId, Line, LinePoint, LinkAnnotation, Op, PdfFontHandle, Point,
    Pt, TextItem, TextMatrix,
};

use super::embed::{Embedded, EmbeddedFace};
use crate::layout::{GlyphRun, Item, Page, PlacedGlyph, Rgb};

/// Coordinates are written rounded to 1/100 pt: far below what print resolves (1/2400 in at
/// 2400 dpi is 0.03 pt) and it keeps numbers short in the content stream.
pub(crate) fn round_pt(v: f32) -> f32 {
    // `+ 0.0` turns -0.0 into 0.0, which writes as "0" rather than "-0".
    (v * 100.0).round() / 100.0 + 0.0
}

/// Colour channels are written rounded to 1/1000: finer than 8-bit colour.
fn round_channel(v: f32) -> f32 {
    (v.clamp(0.0, 1.0) * 1000.0).round() / 1000.0
}

fn pdf_color(c: Rgb) -> Color {
    Color::Rgb(printpdf::Rgb::new(
        round_channel(c.0),
        round_channel(c.1),
        round_channel(c.2),
        None,
    ))
}

/// Marked-content properties `<< /ActualText (text) >>`, the text as UTF-16BE with a BOM.
fn actual_text_props(text: &str) -> DictItem {
    let mut data = vec![0xFE, 0xFF];
    for unit in text.encode_utf16() {
        data.extend_from_slice(&unit.to_be_bytes());
    }
    let mut map = BTreeMap::new();
    map.insert(
        "ActualText".to_string(),
        DictItem::String {
            data,
            literal: false,
        },
    );
    DictItem::Dict { map }
}

/// A cluster: a glyph that carries text and the glyphs after it that carry "", as the
/// index range `start..end` into the run's glyphs.
struct Cluster {
    start: usize,
    end: usize,
    /// Whether ToUnicode alone would extract something other than the cluster's text.
    needs_actual_text: bool,
}

fn clusters(glyphs: &[PlacedGlyph], face: &EmbeddedFace) -> Vec<Cluster> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < glyphs.len() {
        let mut end = start + 1;
        while end < glyphs.len() && glyphs[end].text.is_empty() {
            end += 1;
        }
        let slice = &glyphs[start..end];
        let actual: String = slice.iter().map(|g| g.text.as_str()).collect();
        let natural: String = slice.iter().map(|g| face.canonical_text(g.id)).collect();
        out.push(Cluster {
            start,
            end,
            needs_actual_text: actual != natural,
        });
        start = end;
    }
    out
}

/// Writes one page's items as printpdf operations.
pub(crate) struct PageWriter<'a> {
    fonts: &'a Embedded,
    height: f32,
    ops: Vec<Op>,
    in_text: bool,
    font: Option<(String, f32)>,
    fill: Option<Rgb>,
    /// The character spacing (`Tc`, pt) in force.
    tc: f32,
    /// Rectangles waiting to be filled as one path, and their colour.
    pending_rects: Vec<[f32; 4]>,
    pending_rect_color: Option<Rgb>,
}

impl<'a> PageWriter<'a> {
    pub fn new(fonts: &'a Embedded, page: &Page) -> Self {
        PageWriter {
            fonts,
            height: page.height,
            ops: Vec::new(),
            in_text: false,
            font: None,
            fill: None,
            tc: 0.0,
            pending_rects: Vec::new(),
            pending_rect_color: None,
        }
    }

    /// All operations of the page, in item order.
    pub fn write(mut self, page: &Page) -> Vec<Op> {
        for item in &page.items {
            match item {
                Item::Text { x, y, run, color } => {
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
                    self.flush_rects();
                    self.end_text();
                    self.rule(*x1, *y1, *x2, *y2, *width, *color);
                }
                Item::Rect { x, y, w, h, color } => {
                    self.end_text();
                    if self.pending_rect_color != Some(*color) {
                        self.flush_rects();
                        self.pending_rect_color = Some(*color);
                    }
                    self.pending_rects.push([
                        round_pt(*x),
                        round_pt(self.height - *y - *h),
                        round_pt(*w),
                        round_pt(*h),
                    ]);
                }
                Item::Link { x, y, w, h, uri } => {
                    self.ops.push(Op::LinkAnnotation {
                        link: link_annotation(*x, self.height - *y - *h, *w, *h, uri),
                    });
                }
            }
        }
        self.flush_rects();
        self.end_text();
        self.ops
    }

    fn end_text(&mut self) {
        if self.in_text {
            self.ops.push(Op::EndTextSection);
            self.in_text = false;
            // Tf is text state that outlives ET, but a fresh BT after graphics is cheap
            // to re-establish and keeps each text object self-contained.
            self.font = None;
        }
    }

    fn set_fill(&mut self, color: Rgb) {
        if self.fill != Some(color) {
            self.ops.push(Op::SetFillColor {
                col: pdf_color(color),
            });
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
        // printpdf's Rect paints each rectangle on its own; raw `re` operators (passed
        // through as Op::Unknown, written when `secure` is off) make one path for all.
        for [x, y, w, h] in self.pending_rects.drain(..) {
            self.ops.push(Op::Unknown {
                key: "re".to_string(),
                value: vec![
                    DictItem::Real(x),
                    DictItem::Real(y),
                    DictItem::Real(w),
                    DictItem::Real(h),
                ],
            });
        }
        self.ops.push(Op::Unknown {
            key: "f".to_string(),
            value: Vec::new(),
        });
    }

    fn rule(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, width: f32, color: Rgb) {
        let point = |x: f32, y: f32| LinePoint {
            p: Point {
                x: Pt(round_pt(x)),
                y: Pt(round_pt(self.height - y)),
            },
            bezier: false,
        };
        self.ops.push(Op::SaveGraphicsState);
        self.ops.push(Op::SetOutlineColor {
            col: pdf_color(color),
        });
        self.ops.push(Op::SetOutlineThickness {
            pt: Pt(round_pt(width)),
        });
        self.ops.push(Op::DrawLine {
            line: Line {
                points: vec![point(x1, y1), point(x2, y2)],
                is_closed: false,
            },
        });
        self.ops.push(Op::RestoreGraphicsState);
    }

    fn text(&mut self, x: f32, y: f32, run: &GlyphRun, color: Rgb) {
        let Some(face) = self.fonts.faces.get(&run.face) else {
            return;
        };
        if run.glyphs.is_empty() {
            return;
        }
        if !self.in_text {
            self.ops.push(Op::StartTextSection);
            self.in_text = true;
        }
        let font = (face.resource.clone(), run.size);
        if self.font.as_ref() != Some(&font) {
            self.ops.push(Op::SetFont {
                font: PdfFontHandle::External(FontId(face.resource.clone())),
                size: Pt(run.size),
            });
            self.font = Some(font);
        }
        self.set_fill(color);

        let clusters = clusters(&run.glyphs, face);
        let mut i = 0;
        while i < clusters.len() {
            let start = clusters[i].start;
            if clusters[i].needs_actual_text {
                let glyphs = &run.glyphs[start..clusters[i].end];
                let text: String = glyphs.iter().map(|g| g.text.as_str()).collect();
                self.ops.push(Op::BeginMarkedContentWithProperties {
                    tag: "Span".to_string(),
                    properties: actual_text_props(&text),
                });
                self.glyphs(x, y, run.size, face, glyphs);
                self.ops.push(Op::EndMarkedContentWithProperties);
                i += 1;
            } else {
                // A stretch of clusters ToUnicode extracts correctly: one slice of glyphs.
                let mut end = clusters[i].end;
                i += 1;
                while i < clusters.len() && !clusters[i].needs_actual_text {
                    end = clusters[i].end;
                    i += 1;
                }
                self.glyphs(x, y, run.size, face, &run.glyphs[start..end]);
            }
        }
    }

    /// Shows glyphs (all in one face and size) at their layout positions: one `Tm` per
    /// baseline, then glyph codes with integer kerns.
    fn glyphs(&mut self, x: f32, y: f32, size: f32, face: &EmbeddedFace, glyphs: &[PlacedGlyph]) {
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
            let tc = letter_spacing(segment);
            if tc != self.tc {
                self.ops.push(Op::SetCharacterSpacing { multiplier: tc });
                self.tc = tc;
            }
            self.ops.push(Op::SetTextMatrix {
                matrix: TextMatrix::Translate(Pt(origin_x), Pt(origin_y)),
            });
            let tc_units = f64::from(tc) * 1000.0 / f64::from(size);
            let items = kerned_codepoints(origin_x, x, size, tc_units, face, segment);
            self.ops.push(Op::ShowText {
                items: vec![TextItem::GlyphIds(items)],
            });
            start = end;
        }
    }
}

/// The glyph codes of one baseline segment with the kern after each glyph that moves the pen
/// to the next glyph's layout position. Kerns are whole thousandths of an em (0.01 pt at
/// 10 pt); the rounding error is carried, never accumulated.
fn kerned_codepoints(
    origin_x: f32,
    run_x: f32,
    size: f32,
    tc_units: f64,
    face: &EmbeddedFace,
    segment: &[PlacedGlyph],
) -> Vec<Codepoint> {
    let mut out: Vec<Codepoint> = Vec::with_capacity(segment.len());
    // Pen position relative to origin_x, in 1/1000 em.
    let mut pen = 0.0f64;
    let em = f64::from(size) / 1000.0;
    for glyph in segment {
        let target = f64::from(run_x + glyph.x - origin_x) / em;
        if let Some(prev) = out.last_mut() {
            // TJ numbers move the pen by -n/1000 em.
            let kern = (pen - target).round();
            if kern != 0.0 {
                prev.offset = kern as f32;
                pen -= kern;
            }
        }
        let gid = face.new_gid(glyph.id);
        let text = face.canonical_text(glyph.id);
        out.push(Codepoint {
            gid,
            offset: 0.0,
            cid: (!text.is_empty()).then(|| text.to_string()),
        });
        pen += face.pdf_advance(gid) + tc_units;
    }
    out
}

/// The letter-spacing of a baseline segment in pt, to 0.001 pt: the median gap between the
/// glyphs of its words (layout position minus the previous glyph's end). 0 when the segment
/// has fewer than four such gaps or they do not agree on a spacing.
fn letter_spacing(segment: &[PlacedGlyph]) -> f32 {
    let mut gaps: Vec<f32> = segment
        .windows(2)
        .filter(|w| w[0].text != " " && w[1].text != " " && !w[1].text.is_empty())
        .map(|w| w[1].x - w[0].x - w[0].advance)
        .collect();
    if gaps.len() < 4 {
        return 0.0;
    }
    gaps.sort_by(f32::total_cmp);
    let median = gaps[gaps.len() / 2];
    let tc = (median * 1000.0).round() / 1000.0;
    if tc.abs() < 0.001 {
        0.0
    } else {
        tc
    }
}

/// A URI action's string is 7-bit ASCII (ISO 32000-1 §12.6.4.7): other bytes of the UTF-8
/// form, and spaces and control characters, are percent-encoded.
fn uri_ascii(uri: &str) -> String {
    let mut out = String::with_capacity(uri.len());
    for b in uri.bytes() {
        if b.is_ascii_graphic() {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn link_annotation(x: f32, y: f32, w: f32, h: f32, uri: &str) -> LinkAnnotation {
    LinkAnnotation::new(
        printpdf::Rect {
            x: Pt(round_pt(x)),
            y: Pt(round_pt(y)),
            width: Pt(round_pt(w)),
            height: Pt(round_pt(h)),
            mode: None,
            winding_order: None,
        },
        printpdf::Actions::Uri(uri_ascii(uri)),
        Some(printpdf::BorderArray::Solid([0.0, 0.0, 0.0])),
        Some(printpdf::ColorArray::Transparent),
        None,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
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
        let glyphs = text
            .chars()
            .zip(xs)
            .map(|(c, &x)| PlacedGlyph {
                id: face.glyph_index(c).map(|g| g.0).unwrap_or(0),
                x,
                y: 0.0,
                advance: 5.0,
                text: c.to_string().into(),
            })
            .collect();
        Document {
            pages: vec![Page {
                width: 612.0,
                height: 792.0,
                items: vec![Item::Text {
                    x: 72.0,
                    y: 100.0,
                    run: GlyphRun {
                        face: id,
                        size,
                        glyphs,
                    },
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
        let tc = letter_spacing(&run.glyphs);
        assert!((tc - 0.05).abs() < 0.0011, "tc {tc}");
        let fonts = super::super::embed::embed_fonts(&doc, &book).expect("embed");
        let face = fonts.faces.get(&run.face).expect("embedded");
        let origin = round_pt(x + run.glyphs[0].x);
        let tc_units = f64::from(tc) * 1000.0 / f64::from(size);
        let cps = kerned_codepoints(origin, *x, size, tc_units, face, &run.glyphs);
        // With Tc carrying the spacing, no glyph needs a TJ number of its own.
        assert!(
            cps.iter().filter(|c| c.offset != 0.0).count() <= 1,
            "{cps:?}"
        );
        // Replay with Tc: advance by /W + Tc, then by -kern/1000 em.
        let mut pen = 0.0f64;
        for (cp, glyph) in cps.iter().zip(&run.glyphs) {
            let want = f64::from(x + glyph.x - origin);
            let got = pen * f64::from(size) / 1000.0;
            assert!((got - want).abs() < 0.006, "glyph at {want} drawn at {got}");
            pen += face.pdf_advance(cp.gid) + tc_units - f64::from(cp.offset);
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
        let cps = kerned_codepoints(origin, *x, size, 0.0, face, &run.glyphs);
        // Replay what a viewer does with TJ: advance by /W, then by -kern/1000 em.
        let mut pen = 0.0f64;
        for (cp, glyph) in cps.iter().zip(&run.glyphs) {
            let want = f64::from(x + glyph.x - origin);
            let got = pen * f64::from(size) / 1000.0;
            assert!((got - want).abs() < 0.006, "glyph at {want} drawn at {got}");
            pen += face.pdf_advance(cp.gid) - f64::from(cp.offset);
        }
    }

    #[test]
    fn content_clusters_flag_text_that_tounicode_cannot_give() {
        let book = FontBook::bundled();
        let mut doc = run_doc(&book, "IVI", &[0.0, 5.0, 10.0], 10.0);
        if let Item::Text { run, .. } = &mut doc.pages[0].items[0] {
            run.glyphs[0].text = "Ⅳ".into();
            run.glyphs[1].text = Default::default();
        }
        // A second run where "I" and "V" stand for themselves, so they are canonical.
        let mut plain = doc.pages[0].items[0].clone();
        if let Item::Text { run, .. } = &mut plain {
            run.glyphs[0].text = "I".into();
            run.glyphs[1].text = "V".into();
        }
        doc.pages[0].items.push(plain);
        let fonts = super::super::embed::embed_fonts(&doc, &book).expect("embed");
        let Item::Text { run, .. } = &doc.pages[0].items[0] else {
            panic!("text item");
        };
        let face = fonts.faces.get(&run.face).expect("embedded");
        let cl = clusters(&run.glyphs, face);
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
            "https://example.org/?a=1&b=(2)"
        );
    }

    #[test]
    fn content_round_pt_keeps_two_decimals() {
        assert_eq!(round_pt(72.3456), 72.35);
        assert_eq!(round_pt(-0.004), 0.0);
    }

    #[test]
    fn content_actual_text_is_utf16be_with_bom() {
        let DictItem::Dict { map } = actual_text_props("Ⅳ") else {
            panic!("not a dict");
        };
        let Some(DictItem::String { data, .. }) = map.get("ActualText") else {
            panic!("no ActualText");
        };
        assert_eq!(data, &vec![0xFE, 0xFF, 0x21, 0x63]);
    }
}
