//! The flow being built: set paragraphs become flow lines with their page-break permissions,
//! spaces and outline anchors.

use super::draw::{draw_line, line_baseline, line_box};
use super::plan::Plan;
use crate::diag::Diagnostic;
use crate::fonts::FontBook;
use crate::inline::{self, Line, Span, TextStyle};
use crate::layout::Rgb;
use crate::paginate::{Flow, FlowLine, LineTag};
use crate::theme::{measure::KEEP_LINES, Style, Theme};

/// An outline anchor collected during composition.
pub(super) struct Anchor {
    pub(super) title: String,
}

/// The flow being built, with its outline anchors.
pub(super) struct Composer<'a> {
    pub(super) book: &'a FontBook,
    /// One shaper for the whole document: each word is shaped once, whatever its paragraph.
    pub(super) shaper: inline::Shaper<'a>,
    pub(super) theme: &'a Theme,
    pub(super) lang: &'a str,
    pub(super) file: &'a str,
    pub(super) diags: &'a mut Vec<Diagnostic>,
    pub(super) flow: Vec<Flow>,
    pub(super) anchors: Vec<Anchor>,
    /// The next line must not be preceded by a break (after a heading).
    pub(super) keep_next: usize,
    /// The line dump, when asked for.
    pub(super) dump: Option<String>,
    /// Role of the lines pushed next, and the count of paragraphs pushed so far (for tags).
    pub(super) role: &'static str,
    pub(super) paras: usize,
    /// How `set` gets its lines: directly, or planned ahead (see `Plan`).
    pub(super) plan: Plan,
}

/// Where page breaks may fall inside pushed lines.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Keep {
    /// Widow and orphan control: not within `KEEP_LINES` of either end.
    Paragraph,
    /// Only before the first line.
    Whole,
}

/// A paragraph to set: spans with their colours and link targets.
pub(super) struct Para {
    pub(super) spans: Vec<Span>,
    pub(super) colors: Vec<Rgb>,
    pub(super) links: Vec<Option<String>>,
}

impl Para {
    pub(super) fn new() -> Self {
        Para {
            spans: Vec::new(),
            colors: Vec::new(),
            links: Vec::new(),
        }
    }

    /// A paragraph of one text in one style.
    pub(super) fn of(text: &str, style: &Style, line: u32) -> Self {
        let mut p = Para::new();
        p.push(text, style, line, None);
        p
    }

    pub(super) fn push(&mut self, text: &str, style: &Style, line: u32, link: Option<&str>) {
        self.spans.push(Span {
            text: text.to_string(),
            style: text_style(style),
            line,
            column: 1,
        });
        self.colors.push(style.color);
        self.links.push(link.map(str::to_string));
    }
}

/// The inline stage's view of a theme style.
pub(super) fn text_style(s: &Style) -> TextStyle {
    TextStyle {
        family: s.family,
        bold: s.bold,
        italic: s.italic,
        size: s.size,
    }
}

impl<'a> Composer<'a> {
    /// An empty flow that sets its paragraphs directly.
    pub(super) fn new(
        book: &'a FontBook,
        theme: &'a Theme,
        lang: &'a str,
        file: &'a str,
        diags: &'a mut Vec<Diagnostic>,
        dump: bool,
    ) -> Self {
        Composer {
            book,
            shaper: inline::Shaper::new(book, lang),
            theme,
            lang,
            file,
            diags,
            flow: Vec::new(),
            anchors: Vec::new(),
            keep_next: 0,
            dump: dump.then(String::new),
            role: "body",
            paras: 0,
            plan: Plan::Direct,
        }
    }

    pub(super) fn space(&mut self, height: f32, shrink: f32) {
        self.flow.push(Flow::Space { height, shrink });
    }

    /// Append set lines to the flow, `x` from the frame's left edge; returns the flow index of
    /// the first. `keep` says where page breaks may fall inside.
    pub(super) fn push_lines(
        &mut self,
        lines: Vec<Line>,
        para: &Para,
        x: f32,
        style: &Style,
        keep: Keep,
    ) -> usize {
        let first = self.flow.len();
        let n = lines.len();
        self.paras += 1;
        let mut prev_kind = None;
        for (i, line) in lines.into_iter().enumerate() {
            let mut items = Vec::new();
            let height = line_box(style, &line);
            let baseline = line_baseline(style, &line, 0.0);
            let kind = line.break_kind;
            draw_line(&mut items, line, para, x, baseline);
            let break_before = match keep {
                Keep::Paragraph => i == 0 || (i >= KEEP_LINES && n - i >= KEEP_LINES),
                Keep::Whole => i == 0,
            };
            // No page break after a hyphenated line (TeX's \brokenpenalty): a word split
            // across pages reads badly and copies as two words.
            let after_hyphen = prev_kind == Some(inline::BreakKind::Hyphen);
            prev_kind = Some(kind);
            let break_before = break_before && self.keep_next == 0 && !after_hyphen;
            self.keep_next = self.keep_next.saturating_sub(1);
            self.flow.push(Flow::Line(FlowLine {
                height,
                items,
                break_before,
                anchors: Vec::new(),
                tag: LineTag {
                    para: self.paras,
                    index: i,
                    count: n,
                    role: self.role,
                },
            }));
        }
        first
    }

    /// Forbid a page break before the flow line at `index`.
    pub(super) fn no_break_before(&mut self, index: usize) {
        if let Some(Flow::Line(l)) = self.flow.get_mut(index) {
            l.break_before = false;
        }
    }

    /// Attach an outline anchor to the flow line at `index`.
    pub(super) fn anchor(&mut self, index: usize, title: String) {
        let id = self.anchors.len();
        self.anchors.push(Anchor { title });
        if let Some(Flow::Line(l)) = self.flow.get_mut(index) {
            l.anchors.push(id);
        }
    }
}
