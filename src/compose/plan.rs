//! Setting the body's paragraphs ahead of composing it, on all cores for a long issue.
//!
//! The order of `set` calls does not depend on their results, so one pass can record every
//! paragraph to set (`Record`), the paragraphs can then be set together, and a second pass
//! takes the lines in the same order (`Replay`). The lines are the same either way.

use super::flow::{Composer, Para};
use super::ComposeOptions;
use crate::diag::Diagnostic;
use crate::inline::{self, Align, Line, ParagraphSpec, Span};
use crate::model::Issue;

/// How `Composer::set` gets its lines.
pub(super) enum Plan {
    /// Set each paragraph when asked.
    Direct,
    /// Note each paragraph and answer with no lines.
    Record(Vec<Job>),
    /// Answer with the lines set ahead, in the recorded order.
    Replay(std::vec::IntoIter<Vec<Line>>),
}

/// One paragraph to set, as recorded.
pub(super) struct Job {
    spans: Vec<Span>,
    width: f32,
    align: Align,
    hyphenate: bool,
}

/// Issues with at least this many paragraphs set them on all cores: below it, starting the
/// thread pool (~1 ms) costs more than it saves.
const PARALLEL_PARAGRAPHS: usize = 200;

impl Composer<'_> {
    /// Set a paragraph into lines of `width`, as the plan says.
    pub(super) fn set(
        &mut self,
        para: &Para,
        width: f32,
        align: Align,
        hyphenate: bool,
    ) -> Vec<Line> {
        let lines = match &mut self.plan {
            Plan::Record(jobs) => {
                jobs.push(Job {
                    spans: para.spans.clone(),
                    width,
                    align,
                    hyphenate,
                });
                return Vec::new();
            }
            Plan::Replay(ready) => ready.next().unwrap_or_default(),
            Plan::Direct => {
                let spec = ParagraphSpec {
                    spans: &para.spans,
                    lang: self.lang,
                    width,
                    align,
                    hyphenate,
                    protrusion: self.theme.protrusion,
                };
                inline::layout_paragraph_with(&mut self.shaper, &spec, self.file, self.diags)
            }
        };
        if let Some(d) = &mut self.dump {
            let line = para.spans.first().map(|s| s.line).unwrap_or(0);
            d.push_str(&format!(
                "# paragraph at line {line}, width {width:.2} pt, {align:?}\n"
            ));
            d.push_str(&inline::dump_lines(&lines));
        }
        lines
    }
}

/// Compose the issue's blocks into `c`'s flow: record the paragraphs, set them, replay.
pub(super) fn compose_body(c: &mut Composer, issue: &Issue, opts: &ComposeOptions) {
    let jobs = record(c, issue, opts);
    let ready = set_all(c, jobs);
    c.plan = Plan::Replay(ready.into_iter());
    for block in &issue.blocks {
        c.block(block, c.theme.column_width(), opts);
    }
}

/// Which paragraphs the body sets, in order (a pass over the blocks that sets nothing).
fn record(c: &Composer, issue: &Issue, opts: &ComposeOptions) -> Vec<Job> {
    let mut none = Vec::new();
    let mut rec = Composer::new(c.book, c.theme, c.lang, c.file, &mut none, false);
    rec.plan = Plan::Record(Vec::new());
    for block in &issue.blocks {
        rec.block(block, c.theme.column_width(), opts);
    }
    // The recording pass never changes its plan; any other plan recorded nothing.
    match rec.plan {
        Plan::Record(jobs) => jobs,
        Plan::Direct | Plan::Replay(_) => Vec::new(),
    }
}

/// Set every recorded paragraph, on all cores for a long issue; the diagnostics go to `c` in
/// the paragraphs' order. Each job's copy of its spans is freed once it is set (they would
/// otherwise stay beside the whole issue's lines).
fn set_all(c: &mut Composer, jobs: Vec<Job>) -> Vec<Vec<Line>> {
    let (book, lang, file, protrusion) = (c.book, c.lang, c.file, c.theme.protrusion);
    let set_job = |shaper: &mut inline::Shaper, job: Job| {
        let spec = ParagraphSpec {
            spans: &job.spans,
            lang,
            width: job.width,
            align: job.align,
            hyphenate: job.hyphenate,
            protrusion,
        };
        let mut d = Vec::new();
        let lines = inline::layout_paragraph_with(shaper, &spec, file, &mut d);
        (lines, d)
    };
    let done: Vec<(Vec<Line>, Vec<Diagnostic>)> = if jobs.len() >= PARALLEL_PARAGRAPHS {
        use rayon::prelude::*;
        jobs.into_par_iter()
            .map_init(|| inline::Shaper::new(book, lang), set_job)
            .collect()
    } else {
        jobs.into_iter()
            .map(|j| set_job(&mut c.shaper, j))
            .collect()
    };
    let mut ready = Vec::with_capacity(done.len());
    for (lines, d) in done {
        c.diags.extend(d);
        ready.push(lines);
    }
    ready
}
