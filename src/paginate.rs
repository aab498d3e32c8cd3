//! Pagination: a flow of lines and vertical spaces -> lines placed in frames (columns of pages).
//!
//! The flow is a list of lines (each with its height and what it draws) and discardable spaces.
//! Breaks may fall only before lines that allow one: the composer forbids breaks inside an
//! address block, after a heading (keep-with-next), and within two lines of a paragraph's start
//! or end (orphans and widows). Frames are filled greedily; when a line does not fit, the frame
//! ends at the last allowed break in it, so nothing is split where it must not be. Spaces shrink
//! (never below their minimum) before a line is pushed to the next frame, which is also what
//! keeps a few closing lines from sitting alone on a last page when they fit on the one before.

use crate::layout::Item;

/// Tolerance for floating-point comparison of heights, in pt.
const EPS: f32 = 0.01;

/// One line of the flow.
#[derive(Debug, Clone, Default)]
pub struct FlowLine {
    /// Distance from this line's top to the next line's top, in pt.
    pub height: f32,
    /// What the line draws, positioned relative to (frame left, line top).
    pub items: Vec<Item>,
    /// May a frame break come right before this line?
    pub break_before: bool,
    /// Outline anchors at this line's top (ids into the composer's outline list).
    pub anchors: Vec<usize>,
    /// Where the line comes from, for the pagination dump.
    pub tag: LineTag,
}

/// Which paragraph a flow line belongs to: lets the pagination dump (and its tests) check
/// widows, orphans and keeps from the outside.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct LineTag {
    /// Paragraph number in the flow (1-based; 0 for padding).
    pub para: usize,
    /// Line number within the paragraph, 0-based.
    pub index: usize,
    /// How many lines the paragraph has (0 for padding).
    pub count: usize,
    /// "body", "heading", "section", "list", "link", "address", "closing".
    pub role: &'static str,
}

/// An element of the flow.
#[derive(Debug, Clone)]
pub enum Flow {
    /// A line (of text, or the padding under a QR code), never split between frames.
    Line(FlowLine),
    /// Vertical space; dropped at the top and bottom of a frame. `shrink` is how much of it may
    /// be given up to fit one more line in a frame.
    Space {
        /// Natural height, pt.
        height: f32,
        /// The part of `height` that may go, pt; 0 for a fixed space.
        shrink: f32,
    },
}

/// Where the lines of one frame go.
#[derive(Debug, Clone, PartialEq)]
pub struct Placed {
    /// Index of the flow line.
    pub index: usize,
    /// Top of the line, from the frame's top, in pt.
    pub y: f32,
}

/// The result of filling one frame.
#[derive(Debug, Clone, PartialEq)]
pub struct FrameFill {
    /// The frame's lines in flow order (spaces are not listed), each with its top.
    pub lines: Vec<Placed>,
    /// Flow index where the next frame starts.
    pub end: usize,
    /// Height the placed lines take, in pt (more than the frame only when one line is taller).
    pub height: f32,
    /// The frame ends where no break is allowed (inside a keep: a widow or orphan), because
    /// nothing allowed fitted: unavoidable on a full frame, a reason to reject a balanced one.
    pub forced: bool,
}

/// Fill one frame of height `h` with the flow from `start`. Always makes progress: a frame
/// takes at least one line even when that line alone is taller than the frame.
pub fn fill_frame(flow: &[Flow], start: usize, h: f32) -> FrameFill {
    let n = flow.len();
    let mut i = start;
    // Spaces at the top of a frame are dropped.
    while i < n && matches!(flow[i], Flow::Space { .. }) {
        i += 1;
    }
    let first = i;
    let mut y = 0.0f32; // natural height so far
    let mut shrink = 0.0f32; // shrinkable space so far
    let mut pending_space = (0.0f32, 0.0f32); // spaces since the last line (dropped if a break follows)
    let mut last_legal: Option<usize> = None;
    let mut end = n;
    let mut forced = false;
    let mut j = first;
    while j < n {
        match &flow[j] {
            Flow::Space { height, shrink: s } => {
                pending_space.0 += height;
                pending_space.1 += s;
            }
            Flow::Line(line) => {
                if j > first && line.break_before {
                    last_legal = Some(j);
                }
                let ny = y + pending_space.0 + line.height;
                let ns = shrink + pending_space.1;
                if j > first && ny - ns > h + EPS {
                    end = match last_legal {
                        Some(b) if b > first => b,
                        _ => {
                            forced = true;
                            j
                        }
                    };
                    break;
                }
                y = ny;
                shrink = ns;
                pending_space = (0.0, 0.0);
            }
        }
        j += 1;
    }
    // Trailing spaces before the break do not count.
    let mut last_line = end;
    while last_line > first && matches!(flow[last_line - 1], Flow::Space { .. }) {
        last_line -= 1;
    }
    // Natural height and shrink of the chosen lines; shrink spaces only as much as needed.
    let (mut nat, mut shr) = (0.0f32, 0.0f32);
    for f in &flow[first..last_line] {
        match f {
            Flow::Space { height, shrink } => {
                nat += height;
                shr += shrink;
            }
            Flow::Line(l) => nat += l.height,
        }
    }
    let ratio = if nat > h && shr > 0.0 {
        ((nat - h) / shr).min(1.0)
    } else {
        0.0
    };
    let mut lines = Vec::new();
    let mut y = 0.0f32;
    for (k, f) in flow[first..last_line].iter().enumerate() {
        match f {
            Flow::Space { height, shrink } => y += height - shrink * ratio,
            Flow::Line(l) => {
                lines.push(Placed {
                    index: first + k,
                    y,
                });
                y += l.height;
            }
        }
    }
    FrameFill {
        lines,
        end,
        height: y,
        forced,
    }
}

/// Fill frames one after another until the flow is used up. `frame_height(k)` gives the height
/// of the k-th frame (0-based).
pub fn paginate(flow: &[Flow], frame_height: impl Fn(usize) -> f32) -> Vec<FrameFill> {
    let mut frames = Vec::new();
    let mut start = 0;
    loop {
        // Skip spaces: a flow that ends in spaces needs no further frame.
        let mut s = start;
        while s < flow.len() && matches!(flow[s], Flow::Space { .. }) {
            s += 1;
        }
        if s >= flow.len() {
            break;
        }
        let fill = fill_frame(flow, start, frame_height(frames.len()));
        start = fill.end;
        frames.push(fill);
    }
    frames
}

/// The smallest frame height (≤ `h`) at which the flow from `start` fits into `count` frames:
/// used to balance the columns of the last page. Returns `h` when nothing smaller fits.
pub fn balanced_height(flow: &[Flow], start: usize, count: usize, h: f32) -> f32 {
    let fits = |height: f32| {
        let mut s = start;
        for _ in 0..count {
            let fill = fill_frame(flow, s, height);
            // A balanced height that splits a keep (leaves a widow) is no balance.
            if fill.height > height + EPS || fill.forced {
                return false;
            }
            s = fill.end;
            if s >= flow.len() {
                return true;
            }
        }
        flow[s..].iter().all(|f| matches!(f, Flow::Space { .. }))
    };
    if !fits(h) {
        return h;
    }
    let (mut lo, mut hi) = (0.0f32, h);
    // Bisection to a tenth of a point: 12 steps from a page height.
    while hi - lo > 0.1 {
        let mid = (lo + hi) / 2.0;
        if fits(mid) {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    hi
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(h: f32, brk: bool) -> Flow {
        Flow::Line(FlowLine {
            height: h,
            break_before: brk,
            ..Default::default()
        })
    }

    /// A paragraph of `n` lines with widow/orphan control (two lines each side of a break).
    fn para(n: usize) -> Vec<Flow> {
        (0..n)
            .map(|i| line(10.0, i == 0 || (i >= 2 && n - i >= 2)))
            .collect()
    }

    #[test]
    fn paginate_fills_frames_in_order() {
        let flow = para(25);
        let frames = paginate(&flow, |_| 100.0);
        assert_eq!(frames.len(), 3);
        assert_eq!(frames[0].lines.len(), 10);
        assert_eq!(frames[1].lines.len(), 10);
        assert_eq!(frames[2].lines.len(), 5);
    }

    #[test]
    fn paginate_avoids_widows() {
        // 11 lines in frames of 10: a plain fill would leave one widow line.
        let frames = paginate(&para(11), |_| 100.0);
        assert_eq!(frames[0].lines.len(), 9);
        assert_eq!(frames[1].lines.len(), 2);
    }

    #[test]
    fn paginate_avoids_orphans() {
        let mut flow = para(9);
        flow.push(Flow::Space {
            height: 0.0,
            shrink: 0.0,
        });
        flow.extend(para(5));
        // 9 lines, then a paragraph whose first line alone would fit: it moves whole.
        let frames = paginate(&flow, |_| 100.0);
        assert_eq!(frames[0].lines.len(), 9);
        assert_eq!(frames[1].lines.len(), 5);
    }

    #[test]
    fn paginate_keeps_unsplittable_block_whole() {
        let mut flow = para(6);
        flow.extend((0..6).map(|i| line(10.0, i == 0))); // an address block
        let frames = paginate(&flow, |_| 100.0);
        assert_eq!(frames[0].lines.len(), 6);
        assert_eq!(frames[1].lines.len(), 6);
    }

    #[test]
    fn paginate_drops_spaces_at_frame_edges_and_shrinks_to_fit() {
        let mut flow = para(8);
        flow.push(Flow::Space {
            height: 12.0,
            shrink: 6.0,
        });
        flow.extend(para(2));
        // 80 + 12 + 20 = 112 > 100: shrinking the space gives 106, still too much -> break.
        let frames = paginate(&flow, |_| 100.0);
        assert_eq!(frames.len(), 2);
        assert_eq!(frames[1].lines[0].y, 0.0);
        // With a frame of 107 the space shrinks to 7 pt and everything fits.
        let frames = paginate(&flow, |_| 107.0);
        assert_eq!(frames.len(), 1);
        assert!((frames[0].lines[8].y - 87.0).abs() < 0.01);
    }

    #[test]
    fn paginate_oversized_line_still_progresses() {
        let flow = vec![line(500.0, true), line(10.0, true)];
        let frames = paginate(&flow, |_| 100.0);
        assert_eq!(frames.len(), 2);
        // No balanced height can squeeze a line taller than the frame.
        assert_eq!(balanced_height(&flow, 0, 2, 100.0), 100.0);
    }

    #[test]
    fn paginate_balances_two_columns() {
        let flow = para(20);
        let h = balanced_height(&flow, 0, 2, 300.0);
        assert!((h - 100.0).abs() < 0.2, "{h}");
    }

    #[test]
    fn paginate_balance_never_splits_a_keep() {
        // Three lines that must stay together (no break allowed inside): balancing two
        // columns used to split them 2 + 1, leaving a widow atop the second column.
        let flow = para(3);
        let h = balanced_height(&flow, 0, 2, 300.0);
        let first = fill_frame(&flow, 0, h);
        assert_eq!(first.lines.len(), 3, "balanced at {h}");
        assert!(!first.forced);
        // Four lines split 2 + 2, the only allowed break.
        let flow = para(4);
        let h = balanced_height(&flow, 0, 2, 300.0);
        assert_eq!(fill_frame(&flow, 0, h).lines.len(), 2, "balanced at {h}");
        // A full frame that cannot hold the keep still breaks it: forced, not lost.
        let fill = fill_frame(&para(3), 0, 25.0);
        assert!(fill.forced);
        assert_eq!(fill.lines.len(), 2);
    }
}
