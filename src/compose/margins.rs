//! Running heads and footers, for an issue's pages and a volume's front pages alike, and the
//! setter of quire's own short texts they and the front pages use.

use super::draw::push_text;
use super::flow::text_style;
use super::identity::Identity;
use super::strings::page_label;
use super::ComposeOptions;
use crate::diag::Diagnostic;
use crate::fonts::FontBook;
use crate::inline::{self, Align, Line, ParagraphSpec, Span};
use crate::layout::{ArtifactKind, Item, Mark, Page};
use crate::model::Issue;
use crate::theme::{measure, Style, Theme};

/// Sets quire's own short texts: running heads and footers, and a volume's title and
/// contents pages. Its diagnostics are dropped (the text is quire's own or repeats text
/// already checked).
pub struct MarginSetter<'a> {
    theme: &'a Theme,
    lang: &'a str,
    file: &'a str,
    diags: Vec<Diagnostic>,
    /// One shaper for every text set: its shape plans are compiled once per setter, not
    /// once per footer.
    shaper: inline::Shaper<'a>,
}

impl<'a> MarginSetter<'a> {
    /// A setter for text in `lang` on pages of `theme`; `file` names the text's source.
    pub fn new(book: &'a FontBook, theme: &'a Theme, lang: &'a str, file: &'a str) -> Self {
        MarginSetter {
            theme,
            lang,
            file,
            diags: Vec::new(),
            shaper: inline::Shaper::new(book, lang),
        }
    }

    /// The page design the texts are set for.
    pub fn theme(&self) -> &'a Theme {
        self.theme
    }

    fn spans(text: &str, style: &Style) -> [Span; 1] {
        [Span {
            text: text.to_string(),
            style: text_style(style),
            line: 0,
            column: 0,
        }]
    }

    /// Set `text` in `style` into lines of `width`, unhyphenated.
    pub fn set(&mut self, text: &str, style: &Style, width: f32, align: Align) -> Vec<Line> {
        let spans = Self::spans(text, style);
        let spec = ParagraphSpec {
            spans: &spans,
            lang: self.lang,
            width,
            align,
            hyphenate: false,
            protrusion: false,
        };
        inline::layout_paragraph_with(&mut self.shaper, &spec, self.file, &mut self.diags)
    }

    /// The natural width of `text` in `style` (0 for no text).
    pub fn measure(&mut self, text: &str, style: &Style) -> f32 {
        if text.is_empty() {
            return 0.0;
        }
        inline::measure_with(&mut self.shaper, &Self::spans(text, style), self.lang)
    }

    /// The footer: `left` at the left, "Page N of M" at the right, under a hairline in the
    /// bottom margin; mirrored on the pages of a right-to-left language (ar, he).
    pub fn footer(&mut self, page: &mut Page, left: &str, n: usize, total: usize) {
        let theme = self.theme;
        let rule_y = theme.paper.1 - theme.margin_bottom * measure::MARGIN_RULE_AT;
        margin_rule(page, theme, rule_y);
        let baseline = rule_y + theme.footer.size * measure::FOOTER_DROP;
        let right = page_label(self.lang, n, total);
        let (start, end) = self.edges();
        self.margin_text(page, [(left, start), (&right, end)], baseline);
    }

    /// The running head: `title` at the left over a hairline in the top margin, the mirror of
    /// the footer.
    pub fn running_head(&mut self, page: &mut Page, title: &str) {
        if title.is_empty() {
            return;
        }
        let theme = self.theme;
        let rule_y = theme.margin_top * measure::MARGIN_RULE_AT;
        margin_rule(page, theme, rule_y);
        let baseline = rule_y - theme.footer.size * measure::HEAD_RISE;
        let (start, end) = self.edges();
        self.margin_text(page, [(title, start), ("", end)], baseline);
    }

    /// The margins' start and end edges: left and right, mirrored for a right-to-left
    /// language.
    fn edges(&self) -> (Align, Align) {
        if crate::l10n::L10n::new(self.lang).is_right_to_left() {
            (Align::Right, Align::Left)
        } else {
            (Align::Left, Align::Right)
        }
    }

    /// Set one line of margin text at the left and one at the right on `baseline`, each flush
    /// at its edge whatever its direction (bidi sets a right-to-left line "flush left" at the
    /// right margin, where it would overprint the other text).
    fn margin_text(&mut self, page: &mut Page, texts: [(&str, Align); 2], baseline: f32) {
        let theme = self.theme;
        let style = &theme.footer;
        // With no margin to stand in (`margins: 0`), margin text would fall off the page:
        // invisible, yet some readers extract it and others not. Leave it out.
        if !(0.0..=theme.paper.1).contains(&baseline) {
            return;
        }
        for (text, align) in texts {
            if text.is_empty() {
                continue;
            }
            let lines = self.set(text, style, theme.text_width(), align);
            if let Some(line) = lines.first() {
                let start = line.runs.iter().map(|r| r.x).fold(f32::INFINITY, f32::min);
                let dx = match align {
                    Align::Left if start.is_finite() && start > 0.0 => -start,
                    _ => 0.0,
                };
                // Running heads and footers are page furniture, not read aloud.
                page.items
                    .push(Item::Begin(Mark::Artifact(ArtifactKind::Pagination)));
                push_text(
                    &mut page.items,
                    line,
                    theme.margin_left + dx,
                    baseline,
                    style.color,
                );
                page.items.push(Item::End);
            }
        }
    }
}

/// The hairline of a running head or footer, across the text width at `y`.
fn margin_rule(page: &mut Page, theme: &Theme, y: f32) {
    page.items.push(Item::Rule {
        x1: theme.margin_left,
        y1: y,
        x2: theme.margin_left + theme.text_width(),
        y2: y,
        width: measure::MARGIN_RULE,
        color: theme.footer.color,
    });
}

/// The issue's footer on every page ("NEWSLETTER · Issue Ⅳ of 2017", "Page N of M", numbered
/// in the volume when it is bound in one) and its headline as the running head of pages
/// after the first (page 1 has the masthead instead).
pub(super) fn run_margins(
    pages: &mut [Page],
    setter: &mut MarginSetter,
    issue: &Issue,
    ident: &Identity,
    opts: &ComposeOptions,
) {
    let left = [ident.name.as_str(), ident.issue_line.as_str()]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" · ");
    let head = issue
        .headline
        .as_ref()
        .map(|h| h.text.as_str())
        .unwrap_or("");
    let total = opts.page_total.unwrap_or(pages.len() + opts.page_offset);
    for (i, page) in pages.iter_mut().enumerate() {
        setter.footer(page, &left, opts.page_offset + i + 1, total);
        if i > 0 {
            setter.running_head(page, head);
        }
    }
}
