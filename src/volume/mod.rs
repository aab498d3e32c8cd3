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
    /// The issue's file name, as diagnostics show it.
    pub name: &'a str,
    /// The file's text, decoded, front matter and all.
    pub text: &'a str,
    /// The quire.yaml in force for the issue; its front matter goes over it.
    pub base: &'a Config,
}

/// A line of the table of contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentsEntry {
    /// "Issue Ⅳ" ("Numéro Ⅳ", "第四期": see `crate::l10n`); empty when the issue has no number.
    pub label: String,
    /// The issue's title (its headline when it has no `title`).
    pub title: String,
    /// The volume page (1-based) the issue starts on, as its footer says.
    pub page: usize,
}

/// A laid-out volume.
#[derive(Debug, Clone)]
pub struct Volume {
    /// Title page, contents pages, then every issue, under one outline (year -> issue ->
    /// sections) and one set of metadata.
    pub doc: Document,
    /// The table of contents, one entry per issue in binding order.
    pub contents: Vec<ContentsEntry>,
    /// Warnings of the bound issues.
    pub diagnostics: Vec<Diagnostic>,
    /// The print edition, the first issue's (a booklet's signatures, a print shop's boxes).
    pub print: crate::print::PrintSetup,
}

/// Why a volume could not be built.
#[derive(Debug, thiserror::Error)]
pub enum VolumeError {
    /// No issues were given.
    #[error("a volume needs at least one issue")]
    Empty,
    /// An issue has errors; a volume binds only issues that render.
    #[error("{name} cannot be bound: it has errors")]
    Issue {
        /// The issue's file name.
        name: String,
        /// Everything its parse reported, warnings as well as errors.
        diagnostics: Vec<Diagnostic>,
    },
    /// An issue set again with its volume page numbers came out with another page count, so
    /// the contents and the numbering would be wrong.
    #[error("{name} came out with {second} pages after {first} when numbered for the volume")]
    Unstable {
        /// The issue's file name.
        name: String,
        /// Pages when set on its own.
        first: usize,
        /// Pages when set in the volume.
        second: usize,
    },
}

/// "NEWSLETTER 2017", or the year alone for a newsletter without a name; `year` is written
/// in the language's digits.
fn volume_title(newsletter: &str, year: &str) -> String {
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
