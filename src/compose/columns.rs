//! Columns and pages: the flow cut into frames (the last page's columns balanced), and the
//! frames' lines placed on the pages.

use super::draw::offset;
use super::masthead::Top;
use crate::layout::Page;
use crate::paginate::{self, Flow, FrameFill};
use crate::theme::{measure, Theme};

/// The flow cut into frames: `cols` frames a page, in reading order.
pub(super) struct Frames {
    pub(super) fills: Vec<FrameFill>,
    pub(super) cols: usize,
    pub(super) pages: usize,
}

/// Where each outline anchor landed: its page and y, if its line was placed.
pub(super) type AnchorPlaces = Vec<Option<(usize, f32)>>;

/// Cut the flow into the frames of the pages; the first page's frames start below its top,
/// `head_height` down.
pub(super) fn cut(flow: &[Flow], theme: &Theme, head_height: f32) -> Frames {
    let cols = theme.columns.max(1) as usize;
    let text_h = theme.text_height();
    let first_h = (text_h - head_height).max(text_h * measure::FIRST_FRAME_MIN);
    let frame_h = |k: usize| if k < cols { first_h } else { text_h };
    let mut fills = paginate::paginate(flow, frame_h);
    if cols > 1 && !fills.is_empty() {
        let last_page_first = (fills.len() - 1) / cols * cols;
        balance_last_page(
            flow,
            &mut fills,
            cols,
            last_page_first,
            frame_h(last_page_first),
        );
    }
    let pages = fills.len().div_ceil(cols).max(1);
    Frames { fills, cols, pages }
}

/// Refill the last page's columns (from frame `last_page_first` on, `h` tall) to one height,
/// so they end level.
fn balance_last_page(
    flow: &[Flow],
    fills: &mut Vec<FrameFill>,
    cols: usize,
    last_page_first: usize,
    h: f32,
) {
    let start = fills[last_page_first]
        .lines
        .first()
        .map(|p| p.index)
        .unwrap_or(0);
    let bh = paginate::balanced_height(flow, start, cols, h);
    let mut s = start;
    fills.truncate(last_page_first);
    for _ in 0..cols {
        let f = paginate::fill_frame(flow, s, bh);
        s = f.end;
        let empty = f.lines.is_empty();
        fills.push(f);
        if empty || s >= flow.len() {
            break;
        }
    }
}

/// Room for the items the margins add to a page: a running head and a footer, each two
/// texts of a run or two in their marks and a rule.
pub(super) const MARGIN_ITEMS: usize = 24;

/// Empty pages, the first with its top, and every frame's lines placed on them; returns the
/// pages and where each of `anchors` outline anchors landed.
pub(super) fn place(
    flow: &mut [Flow],
    frames: &Frames,
    theme: &Theme,
    top: Top,
    anchors: usize,
) -> (Vec<Page>, AnchorPlaces) {
    let mut pages: Vec<Page> = (0..frames.pages)
        .map(|_| Page {
            width: theme.paper.0,
            height: theme.paper.1,
            items: Vec::new(),
        })
        .collect();
    let ox = theme.margin_left;
    let oy = theme.margin_top;
    pages[0].items.reserve(top.items.len());
    for it in top.items {
        pages[0].items.push(offset(it, ox, oy));
    }
    let width = theme.column_width();
    let mut anchor_pos: AnchorPlaces = vec![None; anchors];
    for (k, frame) in frames.fills.iter().enumerate() {
        let page = k / frames.cols;
        let col = k % frames.cols;
        let fx = ox + col as f32 * (width + theme.column_gap);
        let fy = oy + if page == 0 { top.height } else { 0.0 };
        if col == 0 {
            // The page's items at their final count (give or take the margins' few) rather
            // than grown by doubling: a long issue holds them all until its pages are
            // written. Reserved page by page, as the lines' own lists are freed.
            let count = frames.fills[k..]
                .iter()
                .take(frames.cols)
                .flat_map(|f| &f.lines)
                .filter_map(|p| match flow.get(p.index) {
                    Some(Flow::Line(l)) => Some(l.items.len()),
                    _ => None,
                })
                .sum::<usize>();
            pages[page].items.reserve(count + MARGIN_ITEMS);
        }
        for placed in &frame.lines {
            // Each line is placed once: its items move onto the page (a long issue's glyphs
            // are never in memory twice).
            if let Flow::Line(l) = &mut flow[placed.index] {
                for it in std::mem::take(&mut l.items) {
                    pages[page].items.push(offset(it, fx, fy + placed.y));
                }
                for &a in &l.anchors {
                    anchor_pos[a] = Some((page, fy + placed.y));
                }
            }
        }
    }
    (pages, anchor_pos)
}

/// The pagination as text: each frame (page and column) with the paragraph lines it holds.
/// Lines read `para P line I/N ROLE` (I 1-based), so breaks can be checked from outside.
pub(super) fn pagination_dump(flow: &[Flow], frames: &Frames) -> String {
    let cols = frames.cols;
    let mut out = String::from("# pagination\n");
    for (k, f) in frames.fills.iter().enumerate() {
        out.push_str(&format!("page {} column {}\n", k / cols + 1, k % cols + 1));
        for p in &f.lines {
            if let Flow::Line(l) = &flow[p.index] {
                if l.tag.para > 0 {
                    let t = l.tag;
                    out.push_str(&format!(
                        "  para {} line {}/{} {}\n",
                        t.para,
                        t.index + 1,
                        t.count,
                        t.role
                    ));
                }
            }
        }
    }
    out
}
