//! `quire mail`'s progress: a bar on a terminal, a line per message otherwise.

use super::Job;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};
use std::io::IsTerminal;

/// Progress: a bar on a terminal (failures printed above it), a line per message otherwise,
/// nothing with --quiet (the summary still lists every failed and uncertain reader).
pub(super) enum Progress {
    Quiet,
    Lines,
    Bar(ProgressBar),
}

impl Progress {
    pub(super) fn new(len: u64, quiet: bool) -> Progress {
        if quiet {
            return Progress::Quiet;
        }
        if !std::io::stderr().is_terminal() {
            return Progress::Lines;
        }
        let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
        let style = ProgressStyle::with_template(
            "{bar:30} {pos}/{len} messages  {rate}  ETA {eta}  {wide_msg}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .with_key("rate", |s: &ProgressState, w: &mut dyn std::fmt::Write| {
            let _ = write!(w, "{:.1}/s", s.per_sec());
        });
        bar.set_style(style);
        Progress::Bar(bar)
    }

    pub(super) fn step(&self, job: &Job, what: &str, detail: &str) {
        let problem = what == "failed" || what == "uncertain";
        match self {
            Progress::Lines => println!("{what}\t{}\t{detail}", job.label),
            Progress::Bar(b) => {
                if problem {
                    b.suspend(|| eprintln!("{what}: {}: {detail}", job.label));
                }
                b.set_message(job.label.clone());
                b.inc(1);
            }
            // The summary lists every failed and uncertain reader.
            Progress::Quiet => {}
        }
    }

    pub(super) fn finish(&self) {
        if let Progress::Bar(b) = self {
            b.finish_and_clear();
        }
    }
}
