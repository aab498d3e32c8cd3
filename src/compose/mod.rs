//! Page composition: the issue model and the theme -> a flow of set lines -> pages.
//!
//! Each block of the model becomes styled paragraphs, which the inline stage sets into lines;
//! the lines go into one flow with the pagination rules as break permissions (keep-with-next,
//! widows and orphans, unsplittable address), and `paginate` cuts the flow into frames. Then
//! the running footer ("Page N of M"), the outline and the metadata are added.
//!
//! One file per job: `flow` (the flow being built), `blocks` and `sections` (what the model's
//! blocks become), `plan` (the body's paragraphs set ahead, on all cores), `masthead` (the
//! first page's top), `columns` (frames, balancing, placing), `margins` (running heads and
//! footers, shared with volumes), `outline` (outline and metadata), `identity` and `strings`
//! (the words quire adds), `draw` (drawing helpers).

mod blocks;
mod columns;
mod draw;
mod flow;
mod identity;
mod margins;
mod masthead;
mod outline;
mod plan;
mod sections;
mod strings;

pub use draw::{line_baseline, line_box, line_end, place_lines};
pub use identity::{identity, Identity};
pub use margins::MarginSetter;
pub use strings::{page_label, run_in_title, section_label};

use crate::diag::Diagnostic;
use crate::fonts::FontBook;
use crate::layout::Document;
use crate::model::Issue;
use crate::theme::Theme;
use flow::Composer;

/// What the composer needs besides the model and the theme.
#[derive(Debug, Clone, Default)]
pub struct ComposeOptions {
    /// Lines of text left out of print (quire.yaml `print.omit`), compared trimmed.
    pub omit: Vec<String>,
    /// Creation/modification time for the metadata, seconds since the epoch.
    pub timestamp: i64,
    /// Keep a text dump of every set line (`quire render --dump-lines`).
    pub dump_lines: bool,
    /// Pages before this issue's first page when it is bound into a volume: the footer says
    /// "Page offset+N"; 0 for a stand-alone issue.
    pub page_offset: usize,
    /// The volume's page count for the footer's "of M"; `None` means this issue's own count.
    pub page_total: Option<usize>,
}

/// Compose the issue into pages; with `opts.dump_lines`, also the dump of its set lines.
pub fn compose(
    issue: &Issue,
    theme: &Theme,
    book: &FontBook,
    file: &str,
    opts: &ComposeOptions,
    diags: &mut Vec<Diagnostic>,
) -> (Document, Option<String>) {
    let lang = issue.meta.language.as_str();
    let ident = identity(issue);
    let mut c = Composer::new(book, theme, lang, file, diags, opts.dump_lines);
    let top = masthead::set_top(&mut c, issue, &ident);
    plan::compose_body(&mut c, issue, opts);
    let Composer {
        mut flow,
        anchors,
        mut dump,
        structure,
        ..
    } = c;
    let frames = columns::cut(&flow, theme, top.height);
    if let Some(d) = &mut dump {
        d.push_str(&columns::pagination_dump(&flow, &frames));
    }
    let headline_y = top.headline_y.map(|y| theme.margin_top + y);
    let (mut pages, places) = columns::place(&mut flow, &frames, theme, top, anchors.len());
    drop(flow);
    let mut setter = MarginSetter::new(book, theme, lang, file);
    margins::run_margins(&mut pages, &mut setter, issue, &ident, opts);
    let document = Document {
        outline: outline::outline(issue, &anchors, &places, headline_y),
        meta: outline::metadata(issue, &ident, lang, opts.timestamp),
        pages,
        structure,
    };
    (document, dump)
}

#[cfg(test)]
mod tests {
    use crate::fonts::FontBook;

    #[test]
    fn compose_pages_and_line_runs_hold_no_spare_room() {
        // A long issue holds every page's items and glyphs until its pages are written: no
        // list grown by doubling.
        let mut text = String::from("NEWSLETTER Issue 1 of 2017\n\nA Long Issue\n\n");
        for n in 1..=60 {
            text.push_str(&format!(
                "{n}. Section. The plan pairs new generation with investment in transmission, \
                 storage and *rooftop* solar panels on factories, schools and farmhouses.\n\n"
            ));
        }
        let book = FontBook::bundled();
        let composed = crate::compose_issue(
            "t.txt",
            &text,
            &crate::config::Config::default(),
            &book,
            &crate::RenderOptions::default(),
            &crate::PageNumbers::default(),
        )
        .expect("composed");
        let pages = &composed.doc.pages;
        assert!(pages.len() > 1);
        for page in pages {
            let (len, cap) = (page.items.len(), page.items.capacity());
            assert!(
                cap >= len && cap <= len + super::columns::MARGIN_ITEMS + 8,
                "{len}/{cap}"
            );
            for item in &page.items {
                if let crate::layout::Item::Text { run, .. } = item {
                    assert!(run.glyphs.capacity() <= run.glyphs.len() + 1);
                    assert!(run.text.capacity() <= run.text.len() + 1);
                }
            }
        }
    }
}
