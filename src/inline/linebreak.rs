//! Line breaking: Knuth–Plass total fit over boxes, glue and penalties (Knuth & Plass 1981,
//! "Breaking paragraphs into lines"), with greedy first fit only when no feasible set exists.
//!
//! Work per breakpoint is proportional to the number of active nodes, which stays bounded by
//! the breakpoints that fit in one line (a node is dropped once a line from it overflows), so
//! a paragraph of any length is linear.

/// Penalties at or above this never break; at or below its negative always break.
pub const INFINITE_PENALTY: f32 = 10_000.0;
/// Added to every line's badness before squaring (TeX's `\linepenalty`): favours fewer lines.
pub const LINE_PENALTY: f32 = 10.0;
/// Two hyphenated lines in a row (TeX's `\doublehyphendemerits`).
pub const CONSECUTIVE_HYPHEN_DEMERITS: f32 = 10_000.0;
/// A hyphen on the second-to-last line leaves a fragment alone (TeX's `\finalhyphendemerits`).
pub const FINAL_HYPHEN_DEMERITS: f32 = 5_000.0;
/// Adjacent lines whose fitness classes differ by more than one (TeX's `\adjdemerits`).
pub const FITNESS_DEMERITS: f32 = 10_000.0;
/// Badness reported for a line that cannot stretch at all (TeX's "awful bad").
const AWFUL_BADNESS: f32 = 10_000.0;

/// One element of the paragraph, in Knuth and Plass's terms.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Item {
    /// Material of fixed width.
    Box { width: f32 },
    /// Space that may stretch and shrink, and a break opportunity after a box.
    Glue {
        width: f32,
        stretch: f32,
        shrink: f32,
    },
    /// A break opportunity costing `penalty`, adding `width` (a hyphen) when taken.
    Penalty {
        width: f32,
        penalty: f32,
        flagged: bool,
    },
}

impl Item {
    fn is_forced(&self) -> bool {
        matches!(self, Item::Penalty { penalty, .. } if *penalty <= -INFINITE_PENALTY)
    }
}

/// How to break.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    /// The measure, pt.
    pub width: f32,
    /// Largest adjustment ratio a line may have (1.0: glue stretched to its stated maximum).
    pub tolerance: f32,
    /// Stretch every line has besides its glue (ragged-right setting: the right margin
    /// absorbs it, word spaces keep their width). 0 for justified text.
    pub ragged_stretch: f32,
    /// Stretch assumed when judging a line but not given to its glue (TeX's
    /// `\emergencystretch`): lets a last-resort pass rank lines that cannot stretch (URL
    /// pieces) by how short they are instead of calling them all equally bad.
    pub emergency_stretch: f32,
    /// Factor on the badness of a line that shrinks to end at a push-in break (see
    /// [`knuth_plass_push_in`]; 1.0: as bad as stretching as far). Below 1 the breaker pushes
    /// in (compresses a line's punctuation to keep a mark that may not start the next line)
    /// before it pushes out, as JLREQ §3.1.8 and §3.8 ask of CJK text.
    pub shrink_weight: f32,
}

/// A chosen break: the line ends at item `item` (exclusive for glue, inclusive for a
/// penalty's width), with the adjustment ratio its glue gets.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Break {
    pub item: usize,
    pub ratio: f32,
    /// The line is set at natural width: it ends at a forced break (the last line).
    pub ragged: bool,
}

#[derive(Clone, Copy)]
struct Sums {
    width: f32,
    stretch: f32,
    shrink: f32,
}

#[derive(Clone, Copy)]
struct Node {
    /// Item index of the break (usize::MAX for the paragraph start).
    item: usize,
    /// First item of the next line (after discarded glue and penalties).
    start: usize,
    line: usize,
    fitness: u8,
    demerits: f32,
    flagged: bool,
    prev: Option<usize>,
    ratio: f32,
}

/// Prefix sums of width, stretch, shrink before each item.
fn prefix_sums(items: &[Item]) -> Vec<Sums> {
    let mut sums = Vec::with_capacity(items.len() + 1);
    let mut s = Sums {
        width: 0.0,
        stretch: 0.0,
        shrink: 0.0,
    };
    sums.push(s);
    for it in items {
        match *it {
            Item::Box { width } => s.width += width,
            Item::Glue {
                width,
                stretch,
                shrink,
            } => {
                s.width += width;
                s.stretch += stretch;
                s.shrink += shrink;
            }
            Item::Penalty { .. } => {}
        }
        sums.push(s);
    }
    sums
}

/// The first item a line starts with after a break at `b`: glue and unforced penalties
/// after a break are discarded.
fn line_start(items: &[Item], b: usize) -> usize {
    let mut t = b + 1;
    while t < items.len() {
        match items[t] {
            Item::Box { .. } => break,
            Item::Penalty { .. } if items[t].is_forced() => break,
            _ => t += 1,
        }
    }
    t
}

/// True when item `i` is a legal breakpoint.
fn is_breakpoint(items: &[Item], i: usize) -> bool {
    match items[i] {
        Item::Penalty { penalty, .. } => penalty < INFINITE_PENALTY,
        Item::Glue { .. } => i > 0 && matches!(items[i - 1], Item::Box { .. }),
        Item::Box { .. } => false,
    }
}

/// Natural width, stretch and shrink of the line from `start` to a break at `b`.
fn line_measure(items: &[Item], sums: &[Sums], start: usize, b: usize) -> (f32, f32, f32) {
    let s0 = sums[start.min(b)];
    let s1 = sums[b];
    let pw = match items[b] {
        Item::Penalty { width, .. } => width,
        _ => 0.0,
    };
    (
        s1.width - s0.width + pw,
        s1.stretch - s0.stretch,
        s1.shrink - s0.shrink,
    )
}

/// Adjustment ratio of a line of natural width `w` with `stretch`/`shrink` on measure `target`.
pub fn adjustment_ratio(w: f32, stretch: f32, shrink: f32, target: f32) -> f32 {
    if w < target {
        if stretch > 0.0 {
            (target - w) / stretch
        } else {
            f32::INFINITY
        }
    } else if w > target {
        if shrink > 0.0 {
            (target - w) / shrink
        } else {
            f32::NEG_INFINITY
        }
    } else {
        0.0
    }
}

fn fitness(r: f32) -> u8 {
    if r < -0.5 {
        0
    } else if r <= 0.5 {
        1
    } else if r <= 1.0 {
        2
    } else {
        3
    }
}

/// Knuth–Plass optimum breaks; `None` when no set of breaks keeps every line's ratio within
/// [-1, tolerance]. `items` must end with a forced penalty. A line that ends at item `b` with `push_in[b]` true and has to
/// shrink costs `p.shrink_weight` times its usual badness: such a line keeps a mark that may
/// not start the next line by compressing its punctuation (push-in, JLREQ §3.1.8).
pub fn knuth_plass_push_in(items: &[Item], p: &Params, push_in: &[bool]) -> Option<Vec<Break>> {
    if items.is_empty() {
        return Some(Vec::new());
    }
    let sums = prefix_sums(items);
    let mut nodes: Vec<Node> = vec![Node {
        item: usize::MAX,
        start: line_start_from_beginning(items),
        line: 0,
        fitness: 1,
        demerits: 0.0,
        flagged: false,
        prev: None,
        ratio: 0.0,
    }];
    let mut active: Vec<usize> = vec![0];

    for b in 0..items.len() {
        if !is_breakpoint(items, b) {
            continue;
        }
        let (penalty, flagged) = match items[b] {
            Item::Penalty {
                penalty, flagged, ..
            } => (penalty, flagged),
            _ => (0.0, false),
        };
        let forced = items[b].is_forced();
        // Best candidate per fitness class: (demerits, node, ratio).
        let mut best: [Option<(f32, usize, f32)>; 4] = [None; 4];
        let mut k = 0;
        while k < active.len() {
            let ai = active[k];
            let a = nodes[ai];
            if a.start > b {
                k += 1;
                continue;
            }
            let (w, y, z) = line_measure(items, &sums, a.start, b);
            // A line ending at a forced break is ragged (TeX's \parfillskip): no stretch needed.
            let r = if forced && w <= p.width {
                0.0
            } else {
                adjustment_ratio(w, y + p.ragged_stretch + p.emergency_stretch, z, p.width)
            };
            // The ratio the glue gets: without the emergency stretch, which no glue has.
            let r_set = if forced && w <= p.width {
                0.0
            } else if p.ragged_stretch > 0.0 {
                adjustment_ratio(w, y + p.ragged_stretch, z, p.width)
            } else {
                adjustment_ratio(w, y, z, p.width)
            };
            if r < -1.0 || forced {
                active.swap_remove(k);
            } else {
                k += 1;
            }
            if r >= -1.0 && r <= p.tolerance {
                let cheap = push_in.get(b).copied().unwrap_or(false);
                let weight = if r < 0.0 && cheap {
                    p.shrink_weight
                } else {
                    1.0
                };
                let badness = if r.is_finite() {
                    (100.0 * r.abs().powi(3) * weight).min(AWFUL_BADNESS)
                } else {
                    AWFUL_BADNESS
                };
                let mut d = (LINE_PENALTY + badness).powi(2);
                if penalty >= 0.0 {
                    d += penalty * penalty;
                } else if penalty > -INFINITE_PENALTY {
                    d -= penalty * penalty;
                }
                if flagged && a.flagged {
                    d += CONSECUTIVE_HYPHEN_DEMERITS;
                }
                if forced && a.flagged {
                    d += FINAL_HYPHEN_DEMERITS;
                }
                let f = fitness(r);
                if (i32::from(f) - i32::from(a.fitness)).abs() > 1 {
                    d += FITNESS_DEMERITS;
                }
                let total = a.demerits + d;
                let slot = &mut best[usize::from(f)];
                if slot.is_none_or(|(bd, _, _)| total < bd) {
                    *slot = Some((total, ai, r_set));
                }
            }
        }
        let min = best
            .iter()
            .flatten()
            .map(|(d, _, _)| *d)
            .fold(f32::INFINITY, f32::min);
        let start = line_start(items, b);
        for (f, slot) in best.iter().enumerate() {
            if let Some((d, from, r)) = *slot {
                if d <= min + FITNESS_DEMERITS {
                    nodes.push(Node {
                        item: b,
                        start,
                        line: nodes[from].line + 1,
                        fitness: f as u8,
                        demerits: d,
                        flagged,
                        prev: Some(from),
                        ratio: r,
                    });
                    active.push(nodes.len() - 1);
                }
            }
        }
        if active.is_empty() {
            return None;
        }
    }
    // The last item is a forced break: the best node ending there.
    let last = items.len() - 1;
    let end = nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| n.item == last)
        .min_by(|(_, x), (_, y)| x.demerits.total_cmp(&y.demerits))
        .map(|(i, _)| i)?;
    let mut out = Vec::new();
    let mut cur = Some(end);
    while let Some(i) = cur {
        let n = nodes[i];
        if n.item == usize::MAX {
            break;
        }
        out.push(Break {
            item: n.item,
            ratio: n.ratio,
            ragged: items[n.item].is_forced(),
        });
        cur = n.prev;
    }
    out.reverse();
    Some(out)
}

fn line_start_from_beginning(items: &[Item]) -> usize {
    let mut t = 0;
    while t < items.len() && !matches!(items[t], Item::Box { .. }) && !items[t].is_forced() {
        t += 1;
    }
    t
}

/// First-fit breaks: each line takes as much as fits (overflowing only when one box is wider
/// than the measure). The fallback when `knuth_plass` finds nothing feasible.
pub fn greedy(items: &[Item], p: &Params) -> Vec<Break> {
    let sums = prefix_sums(items);
    let mut out = Vec::new();
    let mut start = line_start_from_beginning(items);
    let mut last_fit: Option<usize> = None;
    let mut b = 0;
    while b < items.len() {
        if !is_breakpoint(items, b) || b < start {
            b += 1;
            continue;
        }
        let (w, _, z) = line_measure(items, &sums, start, b);
        let forced = items[b].is_forced();
        let fits = w - z <= p.width;
        if forced && fits {
            out.push(Break {
                item: b,
                ratio: 0.0,
                ragged: true,
            });
            start = line_start(items, b);
            last_fit = None;
            b += 1;
            continue;
        }
        if !fits {
            let at = last_fit.unwrap_or(b);
            let (w, y2, z2) = line_measure(items, &sums, start, at);
            let ragged = items[at].is_forced();
            let r = if ragged {
                0.0
            } else {
                adjustment_ratio(w, y2 + p.ragged_stretch, z2, p.width).clamp(-1.0, 1.0)
            };
            out.push(Break {
                item: at,
                ratio: r,
                ragged,
            });
            start = line_start(items, at);
            last_fit = None;
            b = start.max(at + 1);
            continue;
        }
        last_fit = Some(b);
        b += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(n: usize, w: f32) -> Vec<Item> {
        let mut v = Vec::new();
        for i in 0..n {
            if i > 0 {
                v.push(Item::Glue {
                    width: 3.0,
                    stretch: 3.0,
                    shrink: 1.0,
                });
            }
            v.push(Item::Box { width: w });
        }
        v.push(Item::Penalty {
            width: 0.0,
            penalty: -INFINITE_PENALTY,
            flagged: false,
        });
        v
    }

    #[test]
    fn linebreak_knuth_plass_fits_every_line() {
        let items = words(40, 20.0);
        // Four words and three spaces: 89 pt natural, 98 pt at full stretch.
        let p = Params {
            width: 95.0,
            tolerance: 1.0,
            ragged_stretch: 0.0,
            emergency_stretch: 0.0,
            shrink_weight: 1.0,
        };
        let breaks = knuth_plass_push_in(&items, &p, &[]).expect("feasible");
        assert!(breaks.len() > 5);
        for b in &breaks[..breaks.len() - 1] {
            assert!(b.ratio >= -1.0 && b.ratio <= 1.0, "{b:?}");
        }
        assert!(breaks.last().is_some_and(|b| b.ragged));
    }

    #[test]
    fn linebreak_infeasible_returns_none_and_greedy_still_breaks() {
        let items = words(3, 150.0);
        let p = Params {
            width: 100.0,
            tolerance: 1.0,
            ragged_stretch: 0.0,
            emergency_stretch: 0.0,
            shrink_weight: 1.0,
        };
        assert!(knuth_plass_push_in(&items, &p, &[]).is_none());
        let g = greedy(&items, &p);
        assert_eq!(g.len(), 3);
    }

    #[test]
    fn linebreak_linear_on_a_long_paragraph() {
        let items = words(20_000, 20.0);
        let p = Params {
            width: 300.0,
            tolerance: 1.0,
            ragged_stretch: 0.0,
            emergency_stretch: 0.0,
            shrink_weight: 1.0,
        };
        let t = std::time::Instant::now();
        let breaks = knuth_plass_push_in(&items, &p, &[]).expect("feasible");
        assert!(breaks.len() > 1000);
        // Not a timing test: a quadratic breaker would take minutes here in debug builds.
        assert!(t.elapsed().as_secs() < 30);
    }
}
