//! What the user sees while and after exporting: a progress bar on a terminal, a line per
//! item otherwise (nothing with --quiet), and the summary line.

use super::cache::{Entry, Status};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};
use std::io::{IsTerminal, Write};

/// How many failures the summary line names before "…": the rest are in the diagnostics above.
const SUMMARY_FAILURES: usize = 3;

/// Progress: a bar on a terminal, a plain line per item otherwise, nothing with --quiet.
pub enum Progress {
    Quiet,
    Lines,
    Bar(ProgressBar),
}

impl Progress {
    pub fn new(len: u64, quiet: bool, what: &str) -> Progress {
        if quiet || len == 0 {
            return Progress::Quiet;
        }
        if !std::io::stderr().is_terminal() {
            return Progress::Lines;
        }
        let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
        let style = ProgressStyle::with_template(&format!(
            "{{bar:30}} {{pos}}/{{len}} {what}  {{rate}}  ETA {{eta}}  {{wide_msg}}"
        ))
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .with_key("rate", |s: &ProgressState, w: &mut dyn std::fmt::Write| {
            let _ = write!(w, "{:.0}/s", s.per_sec());
        });
        bar.set_style(style);
        Progress::Bar(bar)
    }

    pub fn done(&self, e: &Entry) {
        match self {
            Progress::Quiet => {}
            Progress::Lines => {
                let mut out = std::io::stdout().lock();
                let _ = match e.status {
                    Status::Rendered => writeln!(
                        out,
                        "rendered {} -> {} ({} page{})",
                        e.source,
                        e.output,
                        e.pages,
                        if e.pages == 1 { "" } else { "s" }
                    ),
                    Status::Failed => writeln!(out, "failed {}", e.source),
                    Status::UpToDate => writeln!(out, "{} {}", e.status, e.source),
                };
            }
            Progress::Bar(b) => {
                b.set_message(e.source.clone());
                b.inc(1);
            }
        }
    }

    pub fn finish(&self) {
        if let Progress::Bar(b) = self {
            b.finish_and_clear();
        }
    }
}

/// "238 rendered, 1 up to date, 1 failed (2017-04.txt:12: …)".
pub fn summary(entries: &[Entry]) -> String {
    let count = |s: Status| entries.iter().filter(|e| e.status == s).count();
    let mut line = format!(
        "{} rendered, {} up to date, {} failed",
        count(Status::Rendered),
        count(Status::UpToDate),
        count(Status::Failed)
    );
    let failed: Vec<String> = entries
        .iter()
        .filter(|e| e.status == Status::Failed)
        .map(|e| {
            e.diagnostics
                .iter()
                .find(|d| d.is_error())
                .map(|d| {
                    let first = d.to_string();
                    first
                        .lines()
                        .next()
                        .unwrap_or("")
                        .replacen(": error", "", 1)
                })
                .unwrap_or_else(|| e.source.clone())
        })
        .collect();
    if !failed.is_empty() {
        let mut shown: Vec<String> = failed.iter().take(SUMMARY_FAILURES).cloned().collect();
        if failed.len() > SUMMARY_FAILURES {
            shown.push("…".to_string());
        }
        line.push_str(&format!(" ({})", shown.join("; ")));
    }
    line
}

/// "removed 2 stale outputs (old.pdf, volume-2016.pdf)": what the export deleted.
pub fn removed(files: &[String]) -> String {
    let mut shown: Vec<&str> = files
        .iter()
        .take(SUMMARY_FAILURES)
        .map(String::as_str)
        .collect();
    if files.len() > SUMMARY_FAILURES {
        shown.push("…");
    }
    let noun = if files.len() == 1 {
        "output"
    } else {
        "outputs"
    };
    format!(
        "removed {} stale {noun} ({})",
        files.len(),
        shown.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(source: &str, status: Status, diag: Option<(u32, &str)>) -> Entry {
        Entry {
            source: source.into(),
            status,
            diagnostics: diag
                .into_iter()
                .map(|(line, m)| quire::diag::Diagnostic::error(source, line, 0, m))
                .collect(),
            ..Entry::default()
        }
    }

    #[test]
    fn export_summary_counts_and_names_failures() {
        let es = [
            entry("a.txt", Status::Rendered, None),
            entry("b.txt", Status::UpToDate, None),
            entry(
                "2017-04.txt",
                Status::Failed,
                Some((12, "the front matter is never closed")),
            ),
        ];
        assert_eq!(
            summary(&es),
            "1 rendered, 1 up to date, 1 failed (2017-04.txt:12: the front matter is never closed)"
        );
    }

    #[test]
    fn export_summary_names_removed_outputs() {
        assert_eq!(removed(&["a.pdf".into()]), "removed 1 stale output (a.pdf)");
        let many: Vec<String> = (0..5).map(|i| format!("{i}.pdf")).collect();
        assert_eq!(
            removed(&many),
            "removed 5 stale outputs (0.pdf, 1.pdf, 2.pdf, …)"
        );
    }

    #[test]
    fn export_summary_shortens_many_failures() {
        let es: Vec<Entry> = (0..5)
            .map(|i| entry(&format!("{i}.txt"), Status::Failed, None))
            .collect();
        assert!(summary(&es).ends_with("(0.txt; 1.txt; 2.txt; …)"));
    }
}
