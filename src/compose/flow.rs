//! The flow being built: set paragraphs become flow lines with their page-break permissions,
//! spaces and outline anchors.

use super::draw::{draw_line_tagged, line_baseline, line_box};
use super::plan::Plan;
use crate::diag::Diagnostic;
use crate::fonts::FontBook;
use crate::inline::{self, Line, Span, TextStyle};
use crate::layout::{Item, Mark, Rgb, Role, Structure};
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
    /// The logical structure built so far (tagged PDF).
    pub(super) structure: Structure,
    /// The open structure elements, innermost last; the root (0) is always open.
    pub(super) open: Vec<usize>,
    /// The CJK convention of the language, read once (`None` for other languages).
    pub(super) locale: Option<crate::cjk::Locale>,
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

    /// Running text in one style whose URLs and e-mail addresses (`parse::links`) are live
    /// links: each is a span of its own with its target, printed as written. A text with none
    /// is [`Para::of`] (one span, so its lines are as they always were).
    ///
    /// An inline link looks like the text around it: same face, size and colour. The theme
    /// has no colour for links inside sentences (`link_url`, the accent, styles the URL set
    /// apart under a link line, in its own face), and the accent is the user's choice for
    /// display type: a red or orange one would spot justified text with colour, and on paper
    /// a URL reads as a URL without it. Viewers show the link by the pointer over it.
    pub(super) fn linked(text: &str, style: &Style, line: u32) -> Self {
        let found = crate::parse::links::find_links(text);
        if found.is_empty() {
            return Para::of(text, style, line);
        }
        let mut p = Para::new();
        p.push_linked(text, style, line, &found);
        p
    }

    /// Append `text` in `style`, the links `found` in it as spans of their own.
    pub(super) fn push_linked(
        &mut self,
        text: &str,
        style: &Style,
        line: u32,
        found: &[crate::parse::links::InlineLink],
    ) {
        if found.is_empty() {
            self.push(text, style, line, None);
            return;
        }
        let mut at = 0;
        for l in found {
            if l.range.start > at {
                self.push(&text[at..l.range.start], style, line, None);
            }
            self.push(&text[l.range.clone()], style, line, Some(&l.target));
            at = l.range.end;
        }
        if at < text.len() {
            self.push(&text[at..], style, line, None);
        }
    }
}

/// A line that ends at a word space gets that space back as a real space glyph after its
/// last glyph (invisible, past the line's end): readers that join a paragraph's lines from
/// the structure tree (screen readers, poppler, PDFium) then read "Office of", not
/// "Officeof" — the "fake space" LaTeX's tagpdf inserts for the same reason. Not between CJK
/// characters (the joiner's rule), not after a hyphen, not in right-to-left lines.
fn add_line_end_space(
    book: &FontBook,
    line: &mut Line,
    next: Option<char>,
    locale: Option<crate::cjk::Locale>,
) {
    let (Some(last), Some(next)) = (line.text.chars().last(), next) else {
        return;
    };
    if line.break_kind != inline::BreakKind::Normal
        || last.is_whitespace()
        || crate::cjk::join_wrapped_lines(last, next, locale) != " "
        || inline::starts_right_to_left(&line.text)
    {
        return;
    }
    // The run that ends the line, in visual order.
    let Some(run) = line.runs.iter_mut().max_by(|a, b| {
        let end = |r: &inline::LineRun| r.x + r.run.glyphs.last().map_or(0.0, |g| g.x + g.advance);
        end(a).total_cmp(&end(b))
    }) else {
        return;
    };
    let Some(face) = book.shaper(run.run.face) else {
        return;
    };
    let Some(gid) = face.glyph_index(' ') else {
        return;
    };
    let units = f32::from(face.units_per_em().max(1) as u16);
    let advance = face
        .glyph_hor_advance(gid)
        .map_or(0.0, |a| f32::from(a) * run.run.size / units);
    // A run full of text (tens of thousands of marks) gets no space.
    if !run.run.has_room() {
        return;
    }
    let x = run.run.glyphs.last().map_or(0.0, |g| g.x + g.advance);
    run.run.push(gid.0, x, 0.0, advance, " ");
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
            structure: Structure::new(lang),
            open: vec![0],
            locale: crate::lang::Lang::new(lang).locale(),
        }
    }

    /// The structure element content goes into now.
    pub(super) fn current(&self) -> usize {
        self.open.last().copied().unwrap_or(0)
    }

    /// Open a structure element under the current one; content goes into it until
    /// [`Composer::close`].
    pub(super) fn open(&mut self, role: Role) -> usize {
        let e = self.structure.add(role, self.current());
        self.open.push(e);
        e
    }

    /// In an issue of a language with no CJK convention, runs set in a CJK face (a Chinese
    /// name in an English sentence) become `Span`s carrying their own `/Lang` (the face's
    /// region: zh-Hans, zh-Hant, ja, ko), so a screen reader switches voice for them.
    fn mark_foreign_runs(&mut self, items: &mut Vec<Item>) {
        if self.locale.is_some() {
            return;
        }
        let region = |item: &Item| match item {
            Item::Text { run, .. } => self.book.face(run.face).key.and_then(|k| k.cjk),
            _ => None,
        };
        if !items.iter().any(|i| region(i).is_some()) {
            return;
        }
        let parent = self.current();
        let mut out = Vec::with_capacity(items.len() + 4);
        let mut open: Option<crate::fonts::Region> = None;
        for item in items.drain(..) {
            // A mark (an inline link's) closes the span first: marks nest.
            if matches!(item, Item::Begin(_) | Item::End) && open.is_some() {
                out.push(Item::End);
                open = None;
            }
            let r = region(&item);
            if matches!(item, Item::Text { .. }) && r != open {
                if open.is_some() {
                    out.push(Item::End);
                }
                if let Some(r) = r {
                    let span = self.structure.add(Role::Span, parent);
                    self.structure.elems[span].lang = Some(r.locale().tag().to_string());
                    out.push(Item::Begin(Mark::Elem(span)));
                }
                open = r;
            }
            out.push(item);
        }
        if open.is_some() {
            out.push(Item::End);
        }
        *items = out;
    }

    /// Close the innermost open structure element (never the root).
    pub(super) fn close(&mut self) {
        if self.open.len() > 1 {
            self.open.pop();
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
        let mut next_first: Vec<Option<char>> = lines
            .iter()
            .skip(1)
            .map(|l| l.text.chars().next())
            .chain([None])
            .collect();
        // A line broken inside a link (a URL has no space) gets no space at its end: the
        // link reads "https://example.org/path", not "…org/ path".
        if para.links.iter().any(Option::is_some) {
            for (i, pair) in lines.windows(2).enumerate() {
                let last = pair[0]
                    .runs
                    .iter()
                    .max_by(|a, b| a.x.total_cmp(&b.x))
                    .map(|r| r.span);
                let first = pair[1]
                    .runs
                    .iter()
                    .min_by(|a, b| a.x.total_cmp(&b.x))
                    .map(|r| r.span);
                if last.is_some()
                    && last == first
                    && last.is_some_and(|s| matches!(para.links.get(s), Some(Some(_))))
                {
                    next_first[i] = None;
                }
            }
        }
        let links = self.link_elems(para);
        for (i, mut line) in lines.into_iter().enumerate() {
            add_line_end_space(self.book, &mut line, next_first[i], self.locale);
            // The line's mark, its runs and the mark's end (a link or a foreign run adds more).
            let mut items = Vec::with_capacity(line.runs.len() + 2);
            let height = line_box(style, &line);
            let baseline = line_baseline(style, &line, 0.0);
            let kind = line.break_kind;
            items.push(Item::Begin(Mark::Elem(self.current())));
            draw_line_tagged(&mut items, line, para, x, baseline, &links);
            self.mark_foreign_runs(&mut items);
            items.push(Item::End);
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

    /// A `Link` structure element under the current element for each span of `para` that
    /// has a target (one per link, whatever the lines it is broken across), indexed by span;
    /// empty when there is none, or when the content already goes into a `Link` (the URL
    /// printed under a link line).
    fn link_elems(&mut self, para: &Para) -> Vec<Option<usize>> {
        let current = self.current();
        if para.links.iter().all(Option::is_none)
            || self.structure.elems.get(current).map(|e| e.role) == Some(Role::Link)
        {
            return Vec::new();
        }
        para.links
            .iter()
            .map(|l| l.as_ref().map(|_| self.structure.add(Role::Link, current)))
            .collect()
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
