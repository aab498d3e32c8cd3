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
    /// A penalty that always breaks.
    fn is_forced(&self) -> bool {
        matches!(self, Item::Penalty { penalty, .. } if *penalty <= -INFINITE_PENALTY)
    }
}

/// How to break.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params<'a> {
    /// Per item, how far a line ending at a break there may reach past the measure, and one
    /// starting with the box there before it (optical margin alignment); empty for none.
    pub protrude: &'a [(f32, f32)],
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

/// Natural width, stretch and shrink of the line from `start` to a break at `b`; the width
/// less what its edge characters hang into the margins (`protrude`).
fn line_measure(
    items: &[Item],
    sums: &[Sums],
    protrude: &[(f32, f32)],
    start: usize,
    b: usize,
) -> (f32, f32, f32) {
    LineEnd::at(items, sums, protrude, b).measure(sums, protrude, start)
}

/// What [`line_measure`] reads at a line's end: read once per breakpoint by the breaker
/// rather than once per line tried to it (every active node's).
struct LineEnd {
    /// Item index of the break.
    item: usize,
    /// The sums before it.
    sums: Sums,
    /// A penalty's width (a hyphen's), else 0.
    penalty_width: f32,
    /// What the glyph ending the line hangs into the right margin.
    hang: f32,
}

impl LineEnd {
    fn at(items: &[Item], sums: &[Sums], protrude: &[(f32, f32)], b: usize) -> LineEnd {
        LineEnd {
            item: b,
            sums: sums[b],
            penalty_width: match items[b] {
                Item::Penalty { width, .. } => width,
                _ => 0.0,
            },
            hang: protrude.get(b).map_or(0.0, |p| p.0),
        }
    }

    /// The natural width (less what the line's edge characters hang into the margins),
    /// stretch and shrink of the line from `start` to this end.
    fn measure(&self, sums: &[Sums], protrude: &[(f32, f32)], start: usize) -> (f32, f32, f32) {
        let s0 = sums[start.min(self.item)];
        let s1 = self.sums;
        let hang = self.hang + protrude.get(start).map_or(0.0, |p| p.1);
        (
            s1.width - s0.width + self.penalty_width - hang,
            s1.stretch - s0.stretch,
            s1.shrink - s0.shrink,
        )
    }
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

/// Fitness class of a line with adjustment ratio `r`: 0 tight, 1 decent, 2 loose, 3 very
/// loose (TeX's classes).
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
/// [-1, tolerance]. `items` must end with a forced penalty. A line that ends at item `b` with
/// `push_in[b]` true and has to shrink costs `p.shrink_weight` times its usual badness: such a
/// line keeps a mark that may not start the next line by compressing its punctuation
/// (push-in, JLREQ §3.1.8).
pub fn knuth_plass_push_in(items: &[Item], p: &Params<'_>, push_in: &[bool]) -> Option<Vec<Break>> {
    knuth_plass_with(items, p, push_in, true)
}

/// [`knuth_plass_push_in`], leaving lines that are surely too short untried when `skip` (the
/// same breaks either way; `false` for the tests that hold it to that).
fn knuth_plass_with(
    items: &[Item],
    p: &Params<'_>,
    push_in: &[bool],
    skip: bool,
) -> Option<Vec<Break>> {
    if items.is_empty() {
        return Some(Vec::new());
    }
    let (breaker, feasible) = run_breaker(items, p, push_in, skip);
    if !feasible {
        return None;
    }
    // The last item is a forced break: the best node ending there.
    let end = breaker.cheapest_end()?;
    Some(breaker.breaks_to(end))
}

/// The breaker after trying the breakpoints of `items` (`items` not empty), and whether it
/// reached the end: `false` when a breakpoint left no node active (no feasible set of
/// breaks), where it stopped.
fn run_breaker<'a>(
    items: &'a [Item],
    p: &'a Params<'a>,
    push_in: &[bool],
    skip: bool,
) -> (Breaker<'a>, bool) {
    let mut breaker = Breaker::new(items, p);
    if !skip {
        breaker.monotone = None;
    }
    for b in 0..items.len() {
        if !is_breakpoint(items, b) {
            continue;
        }
        let at = Breakpoint::new(items, push_in, b);
        let best = breaker.try_lines_to(&at);
        breaker.add_nodes(&at, &best);
        if breaker.active.is_empty() {
            return (breaker, false);
        }
    }
    (breaker, true)
}

/// A legal breakpoint as the breaker weighs it.
struct Breakpoint {
    /// Item index of the break.
    item: usize,
    penalty: f32,
    flagged: bool,
    forced: bool,
    /// A line ending here that has to shrink is cheaper (push-in, JLREQ §3.1.8).
    push_in: bool,
}

impl Breakpoint {
    /// Breakpoint `b` of `items`, push-in when `push_in[b]` is true.
    fn new(items: &[Item], push_in: &[bool], b: usize) -> Breakpoint {
        let (penalty, flagged) = match items[b] {
            Item::Penalty {
                penalty, flagged, ..
            } => (penalty, flagged),
            _ => (0.0, false),
        };
        Breakpoint {
            item: b,
            penalty,
            flagged,
            forced: items[b].is_forced(),
            push_in: push_in.get(b).copied().unwrap_or(false),
        }
    }
}

/// The cheapest line found to a breakpoint in one fitness class.
#[derive(Clone, Copy)]
struct Candidate {
    /// Total demerits of the paragraph up to and including the line.
    demerits: f32,
    /// The node the line starts from.
    from: usize,
    /// The adjustment ratio the line's glue gets.
    ratio: f32,
}

/// The breaker's state: every node found so far and the active ones, those a line may still
/// start from (TeX's active list).
struct Breaker<'a> {
    items: &'a [Item],
    p: &'a Params<'a>,
    sums: Vec<Sums>,
    nodes: Vec<Node>,
    /// Indices into `nodes`.
    active: Vec<usize>,
    /// When every box and glue has a width and stretch of at least 0 (a line's width and
    /// stretch then only fall as its start moves right; see [`Breaker::too_short_from`]): the
    /// least a line's first character hangs into the left margin. `None` otherwise.
    monotone: Option<f32>,
    /// Where [`Breaker::too_short_from`] found its item last.
    untried: usize,
}

impl<'a> Breaker<'a> {
    /// The paragraph start as the only node, active.
    fn new(items: &'a [Item], p: &'a Params<'a>) -> Breaker<'a> {
        let start = Node {
            item: usize::MAX,
            start: line_start_from_beginning(items),
            line: 0,
            fitness: 1,
            demerits: 0.0,
            flagged: false,
            prev: None,
            ratio: 0.0,
        };
        let sums = prefix_sums(items);
        // Widths and stretch never negative: the sums never fall (nor does a NaN creep in).
        let monotone = sums
            .windows(2)
            .all(|w| w[1].width >= w[0].width && w[1].stretch >= w[0].stretch)
            .then(|| p.protrude.iter().map(|q| q.1).fold(0.0f32, f32::min))
            .filter(|m| m.is_finite());
        Breaker {
            items,
            p,
            sums,
            nodes: vec![start],
            active: vec![0],
            monotone,
            untried: 0,
        }
    }

    /// The first item from which every line to `end` is too short to be a candidate (its
    /// ratio above the tolerance) and too short to overflow; `usize::MAX` when that cannot be
    /// told, is nowhere, or would not pay (a few active nodes). A node starting there or later
    /// is kept active untried: trying it would change nothing. Most active nodes of a CJK
    /// paragraph, where every character boundary is a breakpoint, are lines begun within the
    /// last line's width: trying each was the breaker's main cost.
    ///
    /// The bound is safe: a line starting further right has no more width (widths are not
    /// negative; the start's hang is bounded below by `monotone`) and no more stretch, so its
    /// ratio is at least the bound's; a margin covers rounding. The item found moves little
    /// from one breakpoint to the next, so it is walked to from the last one (`self.untried`).
    fn too_short_from(&mut self, end: &LineEnd, at: &Breakpoint) -> usize {
        const FEW: usize = 8;
        let p = self.p;
        if self.active.len() < FEW || at.forced || !p.tolerance.is_finite() {
            return usize::MAX;
        }
        let Some(min_hang) = self.monotone else {
            return usize::MAX;
        };
        let extra = f64::from(p.ragged_stretch) + f64::from(p.emergency_stretch);
        let sums = &self.sums;
        let too_short = |s: usize| {
            let s0 = sums[s];
            let w = f64::from(end.sums.width) - f64::from(s0.width) + f64::from(end.penalty_width)
                - f64::from(end.hang)
                - f64::from(min_hang);
            let y = f64::from(end.sums.stretch) - f64::from(s0.stretch) + extra;
            let room = f64::from(p.width) - w;
            room > 1e-3 && (y <= 0.0 || room - 1e-3 > (f64::from(p.tolerance) + 1e-3) * y)
        };
        // The predicate only turns from false to true as `s` grows.
        let last = end.item.min(sums.len() - 1);
        if !too_short(last) {
            return usize::MAX;
        }
        let mut s = self.untried.min(last);
        if too_short(s) {
            while s > 0 && too_short(s - 1) {
                s -= 1;
            }
        } else {
            while !too_short(s) {
                s += 1;
            }
        }
        self.untried = s;
        s
    }

    /// Tries a line from every active node to `at` and returns the cheapest per fitness
    /// class; deactivates the nodes whose line overflows, and all of them at a forced break.
    fn try_lines_to(&mut self, at: &Breakpoint) -> [Option<Candidate>; 4] {
        let mut best: [Option<Candidate>; 4] = [None; 4];
        let end = LineEnd::at(self.items, &self.sums, self.p.protrude, at.item);
        let untried = self.too_short_from(&end, at);
        let mut k = 0;
        while k < self.active.len() {
            let ai = self.active[k];
            let a = self.nodes[ai];
            if a.start > at.item || a.start >= untried {
                k += 1;
                continue;
            }
            let (r, line) = self.ratio(a.start, &end, at);
            if r < -1.0 || at.forced {
                self.active.swap_remove(k);
            } else {
                k += 1;
            }
            if r >= -1.0 && r <= self.p.tolerance {
                let f = fitness(r);
                let total = a.demerits + self.demerits(&a, at, r, f);
                let slot = &mut best[usize::from(f)];
                if slot.is_none_or(|c| total < c.demerits) {
                    *slot = Some(Candidate {
                        demerits: total,
                        from: ai,
                        ratio: self.set_ratio(line, at),
                    });
                }
            }
        }
        best
    }

    /// The adjustment ratio the line from item `start` to `at` (whose end is `end`) is judged
    /// by, and the line's natural width, stretch and shrink (for [`Breaker::set_ratio`]).
    fn ratio(&self, start: usize, end: &LineEnd, at: &Breakpoint) -> (f32, (f32, f32, f32)) {
        let p = self.p;
        let (w, y, z) = end.measure(&self.sums, p.protrude, start);
        // A line ending at a forced break is ragged (TeX's \parfillskip): no stretch needed.
        let r = if at.forced && w <= p.width {
            0.0
        } else {
            adjustment_ratio(w, y + p.ragged_stretch + p.emergency_stretch, z, p.width)
        };
        (r, (w, y, z))
    }

    /// The adjustment ratio the glue of a line (natural width, stretch, shrink) ending at `at`
    /// gets: without the emergency stretch, which no glue has. Worked out only for a line that
    /// becomes a candidate (most lines tried are too short or too long).
    fn set_ratio(&self, (w, y, z): (f32, f32, f32), at: &Breakpoint) -> f32 {
        let p = self.p;
        if at.forced && w <= p.width {
            0.0
        } else if p.ragged_stretch > 0.0 {
            adjustment_ratio(w, y + p.ragged_stretch, z, p.width)
        } else {
            adjustment_ratio(w, y, z, p.width)
        }
    }

    /// Demerits of a line from node `a` to `at` with ratio `r` in fitness class `f`, not
    /// counting those of the lines before it.
    fn demerits(&self, a: &Node, at: &Breakpoint, r: f32, f: u8) -> f32 {
        let weight = if r < 0.0 && at.push_in {
            self.p.shrink_weight
        } else {
            1.0
        };
        let mut d = (LINE_PENALTY + badness(r, weight)).powi(2);
        let penalty = at.penalty;
        if penalty >= 0.0 {
            d += penalty * penalty;
        } else if penalty > -INFINITE_PENALTY {
            d -= penalty * penalty;
        }
        if at.flagged && a.flagged {
            d += CONSECUTIVE_HYPHEN_DEMERITS;
        }
        if at.forced && a.flagged {
            d += FINAL_HYPHEN_DEMERITS;
        }
        if (i32::from(f) - i32::from(a.fitness)).abs() > 1 {
            d += FITNESS_DEMERITS;
        }
        d
    }

    /// Adds an active node at `at` for each fitness class whose cheapest line is within
    /// `FITNESS_DEMERITS` of the cheapest of all.
    fn add_nodes(&mut self, at: &Breakpoint, best: &[Option<Candidate>; 4]) {
        let min = best
            .iter()
            .flatten()
            .map(|c| c.demerits)
            .fold(f32::INFINITY, f32::min);
        let start = line_start(self.items, at.item);
        for (f, slot) in best.iter().enumerate() {
            if let Some(c) = *slot {
                if c.demerits <= min + FITNESS_DEMERITS {
                    self.nodes.push(Node {
                        item: at.item,
                        start,
                        line: self.nodes[c.from].line + 1,
                        fitness: f as u8,
                        demerits: c.demerits,
                        flagged: at.flagged,
                        prev: Some(c.from),
                        ratio: c.ratio,
                    });
                    self.active.push(self.nodes.len() - 1);
                }
            }
        }
    }

    /// The node of least demerits at the last item, if any line reached it.
    fn cheapest_end(&self) -> Option<usize> {
        let last = self.items.len() - 1;
        self.nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| n.item == last)
            .min_by(|(_, x), (_, y)| x.demerits.total_cmp(&y.demerits))
            .map(|(i, _)| i)
    }

    /// The breaks from the paragraph start to node `end`, in order.
    fn breaks_to(&self, end: usize) -> Vec<Break> {
        let mut out = Vec::new();
        let mut cur = Some(end);
        while let Some(i) = cur {
            let n = self.nodes[i];
            if n.item == usize::MAX {
                break;
            }
            out.push(Break {
                item: n.item,
                ratio: n.ratio,
                ragged: self.items[n.item].is_forced(),
            });
            cur = n.prev;
        }
        out.reverse();
        out
    }
}

/// Badness of a line with adjustment ratio `r`, times `weight`, capped at `AWFUL_BADNESS`.
fn badness(r: f32, weight: f32) -> f32 {
    if r.is_finite() {
        (100.0 * r.abs().powi(3) * weight).min(AWFUL_BADNESS)
    } else {
        AWFUL_BADNESS
    }
}

/// The first item of the paragraph's first line: glue and unforced penalties before the
/// first box are discarded.
fn line_start_from_beginning(items: &[Item]) -> usize {
    let mut t = 0;
    while t < items.len() && !matches!(items[t], Item::Box { .. }) && !items[t].is_forced() {
        t += 1;
    }
    t
}

/// First-fit breaks: each line takes as much as fits (overflowing only when one box is wider
/// than the measure). The fallback when `knuth_plass` finds nothing feasible.
pub fn greedy(items: &[Item], p: &Params<'_>) -> Vec<Break> {
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
        let (w, _, z) = line_measure(items, &sums, p.protrude, start, b);
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
            let (w, y2, z2) = line_measure(items, &sums, p.protrude, start, at);
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

    proptest::proptest! {
        /// Leaving surely-too-short lines untried never changes the breaks: paragraphs of
        /// CJK-like text (a breakpoint between most characters, glue that stretches a little)
        /// and Latin-like text (words, spaces, hyphens), with hanging punctuation.
        #[test]
        fn breaks_are_the_same_with_lines_left_untried(
            pieces in proptest::collection::vec((1u8..40, 0u8..6, proptest::bool::ANY), 1..400),
            width in 60.0f32..400.0,
            tolerance in proptest::sample::select(vec![1.0f32, 2.0, 3.0, 10.0]),
            ragged in proptest::bool::ANY,
            hang in proptest::bool::ANY,
        ) {
            let mut items = Vec::new();
            for (w, kind, flag) in &pieces {
                items.push(Item::Box { width: f32::from(*w) / 2.0 });
                match kind {
                    0 => items.push(Item::Glue { width: 3.0, stretch: 1.5, shrink: 1.0 }),
                    1 => items.push(Item::Glue { width: 0.0, stretch: 0.4, shrink: 0.0 }),
                    2 => items.push(Item::Penalty { width: 2.5, penalty: 50.0, flagged: true }),
                    3 if *flag => items.push(Item::Penalty {
                        width: 0.0,
                        penalty: INFINITE_PENALTY,
                        flagged: false,
                    }),
                    _ => items.push(Item::Penalty { width: 0.0, penalty: 0.0, flagged: false }),
                }
            }
            items.push(Item::Glue { width: 0.0, stretch: 1e6, shrink: 0.0 });
            items.push(Item::Penalty { width: 0.0, penalty: -INFINITE_PENALTY, flagged: false });
            let protrude: Vec<(f32, f32)> = (0..items.len())
                .map(|i| if hang && i % 7 == 0 { (1.2, 0.8) } else { (0.0, 0.0) })
                .collect();
            let push_in: Vec<bool> = (0..items.len()).map(|i| i % 5 == 0).collect();
            let p = Params {
                protrude: &protrude,
                width,
                tolerance,
                ragged_stretch: if ragged { 12.0 } else { 0.0 },
                emergency_stretch: 0.0,
                shrink_weight: 0.5,
            };
            proptest::prop_assert_eq!(
                knuth_plass_with(&items, &p, &push_in, true),
                knuth_plass_with(&items, &p, &push_in, false)
            );
            // Not only the breaks chosen: every node found, with its demerits and line.
            proptest::prop_assert_eq!(
                nodes_with(&items, &p, &push_in, true),
                nodes_with(&items, &p, &push_in, false)
            );
        }
    }

    /// Every node the breaker makes (item, line, demerits, ratio, previous), as
    /// [`knuth_plass_with`] runs it (up to where it stops when no breaks are feasible).
    fn nodes_with(
        items: &[Item],
        p: &Params<'_>,
        push_in: &[bool],
        skip: bool,
    ) -> Vec<(usize, usize, u32, u32, Option<usize>)> {
        let (breaker, _) = run_breaker(items, p, push_in, skip);
        breaker
            .nodes
            .iter()
            .map(|n| {
                (
                    n.item,
                    n.line,
                    n.demerits.to_bits(),
                    n.ratio.to_bits(),
                    n.prev,
                )
            })
            .collect()
    }

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
            protrude: &[],
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
            protrude: &[],
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
            protrude: &[],
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
