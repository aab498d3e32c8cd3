//! Drawing helpers: set lines and QR codes become page items, and items move into place.

use super::flow::Para;
use crate::inline::Line;
use crate::layout::{GlyphRun, Item, Mark, Page, Rgb};
use crate::theme::{measure, Style};

/// The height a set line takes in `style`: the style's line height, or the line's own ascent
/// and descent when they need more (a face with tall marks).
pub fn line_box(style: &Style, line: &Line) -> f32 {
    style.line_height().max(line.ascent + line.descent)
}

/// The baseline of a set line whose box (`line_box`) has its top at `top`: the font's
/// ascent+descent centred in the line height.
pub fn line_baseline(style: &Style, line: &Line, top: f32) -> f32 {
    let height = line_box(style, line);
    top + (height - (line.ascent + line.descent)) / 2.0 + line.ascent
}

/// Put set lines on `page` in one colour with their top at `y`; returns the y below them.
pub fn place_lines(page: &mut Page, lines: &[Line], style: &Style, x: f32, mut y: f32) -> f32 {
    for l in lines {
        let baseline = line_baseline(style, l, y);
        push_text(&mut page.items, l, x, baseline, style.color);
        y += line_box(style, l);
    }
    y
}

/// The right end of a set line's glyphs, from the line's start.
pub fn line_end(line: &Line) -> f32 {
    line.runs
        .iter()
        .map(|r| r.x + run_width(&r.run))
        .fold(0.0, f32::max)
}

/// Draw a set line's runs at (x, baseline), and link areas for spans with targets.
/// Moves the runs into the items: a line is drawn once, so its glyphs are never copied.
pub(super) fn draw_line(items: &mut Vec<Item>, line: Line, para: &Para, x: f32, baseline: f32) {
    draw_line_tagged(items, line, para, x, baseline, &[]);
}

/// [`draw_line`], the runs of a span with an element in `links` (indexed by span) marked as
/// that element's content: an inline link's text and its annotation, in its `Link` element.
pub(super) fn draw_line_tagged(
    items: &mut Vec<Item>,
    line: Line,
    para: &Para,
    x: f32,
    baseline: f32,
    links: &[Option<usize>],
) {
    for r in line.runs {
        let color = para.colors.get(r.span).copied().unwrap_or(Rgb::BLACK);
        let elem = links.get(r.span).copied().flatten();
        if let Some(e) = elem {
            items.push(Item::Begin(Mark::Elem(e)));
        }
        if let Some(Some(uri)) = para.links.get(r.span) {
            let size = r.run.size;
            items.push(Item::Link {
                x: x + r.x,
                y: baseline - size,
                w: run_width(&r.run),
                h: size * measure::LINK_BOX_EM,
                uri: uri.clone(),
            });
        }
        items.push(Item::Text {
            x: x + r.x,
            y: baseline,
            run: r.run,
            color,
        });
        if elem.is_some() {
            items.push(Item::End);
        }
    }
}

/// How far a run's glyphs reach from its origin: the largest glyph end, not the last glyph's
/// (a trailing mark has no advance; after right-to-left reordering the last glyph stands left).
fn run_width(run: &GlyphRun) -> f32 {
    run.glyphs
        .iter()
        .map(|g| g.x + g.advance)
        .fold(0.0, f32::max)
}

/// One set line's runs as text items in one colour, the line starting at `x` on `baseline`.
pub(super) fn push_text(items: &mut Vec<Item>, line: &Line, x: f32, baseline: f32, color: Rgb) {
    for r in &line.runs {
        items.push(Item::Text {
            x: x + r.x,
            y: baseline,
            run: r.run.clone(),
            color,
        });
    }
}

/// A QR code as filled rectangles, one per horizontal run of dark modules.
pub(super) fn draw_qr(
    items: &mut Vec<Item>,
    code: &qrcode::QrCode,
    x0: f32,
    y0: f32,
    size: f32,
    color: Rgb,
) {
    let n = code.width();
    let colors = code.to_colors();
    let m = size / n as f32;
    for row in 0..n {
        let mut col = 0;
        while col < n {
            if colors[row * n + col] == qrcode::Color::Dark {
                let start = col;
                while col < n && colors[row * n + col] == qrcode::Color::Dark {
                    col += 1;
                }
                items.push(Item::Rect {
                    x: x0 + start as f32 * m,
                    y: y0 + row as f32 * m,
                    w: (col - start) as f32 * m,
                    h: m,
                    color,
                });
            } else {
                col += 1;
            }
        }
    }
}

/// Move an item by (dx, dy).
pub(super) fn offset(item: Item, dx: f32, dy: f32) -> Item {
    match item {
        Item::Text { x, y, run, color } => Item::Text {
            x: x + dx,
            y: y + dy,
            run,
            color,
        },
        Item::Rule {
            x1,
            y1,
            x2,
            y2,
            width,
            color,
        } => Item::Rule {
            x1: x1 + dx,
            y1: y1 + dy,
            x2: x2 + dx,
            y2: y2 + dy,
            width,
            color,
        },
        Item::Dots {
            x1,
            x2,
            y,
            pitch,
            diameter,
            color,
        } => Item::Dots {
            x1: x1 + dx,
            x2: x2 + dx,
            y: y + dy,
            pitch,
            diameter,
            color,
        },
        Item::Rect { x, y, w, h, color } => Item::Rect {
            x: x + dx,
            y: y + dy,
            w,
            h,
            color,
        },
        Item::Link { x, y, w, h, uri } => Item::Link {
            x: x + dx,
            y: y + dy,
            w,
            h,
            uri,
        },
        mark @ (Item::Begin(_) | Item::End) => mark,
    }
}
