//! Annual volumes: several issues of one newsletter bound into one document, with a title
//! page, a table of contents, continuous page numbers and a nested outline (year -> issue ->
//! sections).
//!
//! Each issue is laid out twice: once to learn its page count, and once more with its place
//! in the volume, so the running footer of every page says the volume's page number. The
//! issues are set exactly as `render` sets them; the volume only adds its front pages.
//!
//! `binding` binds the issues, `title` sets the title page, `contents` the contents pages.

mod binding;
mod contents;
#[cfg(test)]
mod tests;
mod title;

pub use binding::build_volume;

use crate::config::Config;
use crate::diag::Diagnostic;
use crate::layout::{Document, Page};
use crate::theme::Theme;

/// One issue to bind: its file name (for diagnostics), decoded text and quire.yaml.
#[derive(Debug, Clone, Copy)]
pub struct VolumeIssue<'a> {
    pub name: &'a str,
    pub text: &'a str,
    pub base: &'a Config,
}

/// A line of the table of contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentsEntry {
    /// "Issue Ⅳ" (or "第四期"); empty when the issue has no number.
    pub label: String,
    /// The issue's title (its headline when it has no `title`).
    pub title: String,
    /// The volume page (1-based) the issue starts on, as its footer says.
    pub page: usize,
}

/// A laid-out volume.
#[derive(Debug, Clone)]
pub struct Volume {
    pub doc: Document,
    pub contents: Vec<ContentsEntry>,
    /// Warnings of the bound issues.
    pub diagnostics: Vec<Diagnostic>,
}

/// Why a volume could not be built.
#[derive(Debug, thiserror::Error)]
pub enum VolumeError {
    #[error("a volume needs at least one issue")]
    Empty,
    #[error("{name} cannot be bound: it has errors")]
    Issue {
        name: String,
        diagnostics: Vec<Diagnostic>,
    },
    #[error("{name} came out with {second} pages after {first} when numbered for the volume")]
    Unstable {
        name: String,
        first: usize,
        second: usize,
    },
}

/// "NEWSLETTER 2017", or the year alone for a newsletter without a name.
fn volume_title(newsletter: &str, year: i32) -> String {
    if newsletter.is_empty() {
        year.to_string()
    } else {
        format!("{newsletter} {year}")
    }
}

/// An empty page of the theme's paper.
fn blank(theme: &Theme) -> Page {
    Page {
        width: theme.paper.0,
        height: theme.paper.1,
        items: Vec::new(),
    }
}
