//! Page composition: the issue model and the theme -> a flow of set lines -> pages.
//!
//! Each block of the model becomes styled paragraphs, which the inline stage sets into lines;
//! the lines go into one flow with the pagination rules as break permissions (keep-with-next,
//! widows and orphans, unsplittable address), and `paginate` cuts the flow into frames. Then
//! the running footer ("Page N of M"), the outline and the metadata are added.

use crate::diag::Diagnostic;
use crate::fonts::FontBook;
use crate::inline::{self, Align, Line, ParagraphSpec, Span, TextStyle};
use crate::layout::{DocMeta, Document, GlyphRun, Item, OutlineEntry, Page, Rgb};
use crate::model::{Block, Issue, ListKind, Section};
use crate::paginate::{self, Flow, FlowLine, LineTag};
use crate::theme::{Style, Theme};

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

/// Minimum lines of a paragraph kept together at a page break, at its start (orphans) and at
/// its end (widows): two, the rule of every style manual.
const KEEP_LINES: usize = 2;

/// Gap between a hanging marker (bullet, numeral) and its text, in em: about a loose word
/// space, within the 0.5 em a justified space may reach, so marker and text read as one unit.
const MARKER_GAP: f32 = 0.45;

/// An outline anchor collected during composition.
struct Anchor {
    title: String,
}

/// The flow being built, with its outline anchors.
struct Composer<'a> {
    book: &'a FontBook,
    /// One shaper for the whole document: each word is shaped once, whatever its paragraph.
    shaper: inline::shape::Shaper<'a>,
    theme: &'a Theme,
    lang: &'a str,
    file: &'a str,
    diags: &'a mut Vec<Diagnostic>,
    flow: Vec<Flow>,
    anchors: Vec<Anchor>,
    /// The next line must not be preceded by a break (after a heading).
    keep_next: usize,
    /// The line dump, when asked for.
    dump: Option<String>,
    /// Role of the lines pushed next, and the count of paragraphs pushed so far (for tags).
    role: &'static str,
    paras: usize,
    /// How `set` gets its lines: directly, or planned ahead (see `Plan`).
    plan: Plan,
}

/// Setting the body's paragraphs ahead of composing it. The order of `set` calls does not
/// depend on their results, so one pass can record every paragraph to set (`Record`), the
/// paragraphs can then be set together — on all cores for a long issue — and a second pass
/// takes the lines in the same order (`Replay`). The lines are the same either way.
enum Plan {
    Direct,
    Record(Vec<Job>),
    Replay(std::vec::IntoIter<Vec<Line>>),
}

/// One paragraph to set, as recorded.
struct Job {
    spans: Vec<Span>,
    width: f32,
    align: Align,
    hyphenate: bool,
}

/// Issues with at least this many paragraphs set them on all cores: below it, starting the
/// thread pool (~1 ms) costs more than it saves.
const PARALLEL_PARAGRAPHS: usize = 200;

/// A paragraph to set: spans with their colours and link targets.
struct Para {
    spans: Vec<Span>,
    colors: Vec<Rgb>,
    links: Vec<Option<String>>,
}

impl Para {
    fn new() -> Self {
        Para {
            spans: Vec::new(),
            colors: Vec::new(),
            links: Vec::new(),
        }
    }

    fn push(&mut self, text: &str, style: &Style, line: u32, link: Option<&str>) {
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

fn text_style(s: &Style) -> TextStyle {
    TextStyle {
        family: s.family,
        bold: s.bold,
        italic: s.italic,
        size: s.size,
    }
}

impl<'a> Composer<'a> {
    /// Set a paragraph into lines of `width`.
    fn set(&mut self, para: &Para, width: f32, align: Align, hyphenate: bool) -> Vec<Line> {
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

    fn space(&mut self, height: f32, shrink: f32) {
        self.flow.push(Flow::Space { height, shrink });
    }

    /// Append set lines to the flow, `x` from the frame's left edge. `split` says where page
    /// breaks may fall inside: `Keep::Paragraph` applies widow/orphan control, `Keep::Whole`
    /// forbids any break inside.
    fn push_lines(
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
            let height = style.line_height().max(line.ascent + line.descent);
            // Baseline: centre the font's ascent+descent in the line height.
            let baseline = (height - (line.ascent + line.descent)) / 2.0 + line.ascent;
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

    /// Attach an outline anchor to the flow line at `index`.
    fn anchor(&mut self, index: usize, title: String) {
        let id = self.anchors.len();
        self.anchors.push(Anchor { title });
        if let Some(Flow::Line(l)) = self.flow.get_mut(index) {
            l.anchors.push(id);
        }
    }

    fn paragraph_space(&mut self) {
        // Half a body line between paragraphs; a third of it may go to fit a page.
        let h = self.theme.body.line_height() * 0.5;
        self.space(h, h / 3.0);
    }

    fn body_paragraph(&mut self, text: &str, line: u32, width: f32, x: f32) {
        let mut p = Para::new();
        p.push(text, &self.theme.body, line, None);
        let lines = self.set(&p, width, Align::Justify, true);
        let style = self.theme.body.clone();
        self.push_lines(lines, &p, x, &style, Keep::Paragraph);
    }

    fn block(&mut self, block: &Block, width: f32, opts: &ComposeOptions) {
        self.role = match block {
            Block::Paragraph { .. } => "body",
            Block::Heading { .. } => "heading",
            Block::Sections { .. } => "section",
            Block::List { .. } => "list",
            Block::Link { .. } => "link",
            Block::Address { .. } => "address",
            Block::Closing { .. } => "closing",
        };
        match block {
            Block::Paragraph { text, line } => {
                self.paragraph_space();
                self.body_paragraph(text, *line, width, 0.0);
            }
            Block::Heading { text, line } => {
                let h = self.theme.body.line_height();
                self.space(h, h / 3.0);
                let style = self.theme.heading.clone();
                let mut p = Para::new();
                p.push(text, &style, *line, None);
                let lines = self.set(&p, width, Align::Left, false);
                let first = self.push_lines(lines, &p, 0.0, &style, Keep::Whole);
                self.anchor(first, text.clone());
                self.keep_next = KEEP_LINES;
                self.space(h * 0.25, 0.0);
            }
            Block::Sections { sections, .. } => self.sections(sections, width),
            Block::List { kind, items, .. } => {
                self.paragraph_space();
                let style = self.theme.list.clone();
                let markers: Vec<String> = items
                    .iter()
                    .enumerate()
                    .map(|(i, it)| match (kind, &it.marker) {
                        (ListKind::Numbered, Some(m)) => m.clone(),
                        (ListKind::Numbered, None) => format!("{}.", i + 1),
                        _ => "•".to_string(),
                    })
                    .collect();
                let gutter = self.gutter(&markers, &style);
                for (i, (item, marker)) in items.iter().zip(&markers).enumerate() {
                    if i > 0 {
                        // Fixed (no shrink): items must stay visibly apart on a tight page.
                        // Less than a paragraph space, more than a third of a line: items read
                        // as separate and one-line items as complete (not as justified text).
                        let h = style.line_height() * 0.45;
                        self.space(h, 0.0);
                    }
                    self.marked_paragraph(
                        marker, &style, &item.text, &style, None, item.line, width, gutter,
                    );
                }
            }
            Block::Link { text, target, line } => {
                self.paragraph_space();
                match target {
                    Some(url) => self.link_block(text, url, *line, width),
                    None => self.body_paragraph(text, *line, width, 0.0),
                }
            }
            Block::Address { lines, .. } => {
                let h = self.theme.body.line_height();
                self.space(h, h / 3.0);
                let style = self.theme.address.clone();
                let mut set = Vec::new();
                let mut paras = Vec::new();
                for l in lines {
                    if omitted(&l.text, opts) {
                        continue;
                    }
                    let mut p = Para::new();
                    p.push(&l.text, &style, l.line, None);
                    // Chinese and Japanese set the sender's address flush right at the end
                    // of a text (落款); Latin and Korean addresses stand flush left.
                    let align = if crate::theme::is_cjk_lang(self.lang) {
                        Align::Right
                    } else {
                        Align::Left
                    };
                    set.push(self.set(&p, width, align, false));
                    paras.push(p);
                }
                // The whole block is one unbreakable unit: no break before any line but the first.
                for (k, (lines, p)) in set.into_iter().zip(&paras).enumerate() {
                    let first = self.push_lines(lines, p, 0.0, &style, Keep::Whole);
                    if k > 0 {
                        if let Some(Flow::Line(l)) = self.flow.get_mut(first) {
                            l.break_before = false;
                        }
                    }
                }
            }
            Block::Closing { lines, .. } => {
                let h = self.theme.body.line_height();
                self.space(h, h / 2.0);
                let style = self.theme.closing.clone();
                for l in lines {
                    if omitted(&l.text, opts) {
                        continue;
                    }
                    let mut p = Para::new();
                    p.push(&l.text, &style, l.line, None);
                    let set = self.set(&p, width, Align::Left, false);
                    self.push_lines(set, &p, 0.0, &style, Keep::Paragraph);
                }
            }
        }
    }

    /// Width of the widest marker plus `MARKER_GAP`: the hanging indent of a list.
    fn gutter(&self, markers: &[String], style: &Style) -> f32 {
        let widest = markers
            .iter()
            .map(|m| {
                let span = [Span {
                    text: m.clone(),
                    style: text_style(style),
                    line: 0,
                    column: 0,
                }];
                inline::measure(self.book, &span, self.lang)
            })
            .fold(0.0f32, f32::max);
        widest + style.size * MARKER_GAP
    }

    /// A paragraph with a marker (bullet, numeral) hanging in a gutter: the marker is set
    /// flush right against the gutter so numerals of different widths align on their dot.
    #[allow(clippy::too_many_arguments)]
    fn marked_paragraph(
        &mut self,
        marker: &str,
        marker_style: &Style,
        text: &str,
        style: &Style,
        run_in: Option<(&str, &Style)>,
        line: u32,
        width: f32,
        gutter: f32,
    ) -> usize {
        let mut p = Para::new();
        if let Some((title, title_style)) = run_in {
            p.push(title, title_style, line, None);
            // A full-width stop ("开放合作。") already carries its blank half: no space after it.
            if !title.ends_with(['。', '．', '：', '！', '？']) {
                p.push(" ", style, line, None);
            }
        }
        p.push(text, style, line, None);
        // A right-to-left item mirrors: text on the left, the marker in a gutter on the right.
        let rtl =
            inline::bidi::starts_right_to_left(&format!("{}{text}", run_in.map_or("", |(t, _)| t)));
        let lines = self.set(&p, width - gutter, Align::Justify, true);
        let metrics = lines.first().map(|l| (l.ascent, l.descent));
        let text_x = if rtl { 0.0 } else { gutter };
        let first = self.push_lines(lines, &p, text_x, style, Keep::Paragraph);
        // The marker, right-aligned in the gutter on the first line's baseline.
        let mut mp = Para::new();
        mp.push(marker, marker_style, line, None);
        let mlines = self.set(&mp, gutter, Align::Left, false);
        if let (Some(mline), Some(Flow::Line(fl))) =
            (mlines.into_iter().next(), self.flow.get_mut(first))
        {
            let gap = marker_style.size * MARKER_GAP;
            let x = if rtl {
                width - gutter + gap
            } else {
                gutter - gap - mline.natural_width
            };
            let height = fl.height;
            let baseline = match metrics {
                Some((ascent, descent)) => (height - (ascent + descent)) / 2.0 + ascent,
                None => height * 0.8,
            };
            let mut items = Vec::new();
            draw_line(&mut items, mline, &mp, x, baseline);
            fl.items.extend(items);
        }
        first
    }

    fn sections(&mut self, sections: &[Section], width: f32) {
        let body = self.theme.body.clone();
        let run_in = self.theme.run_in.clone();
        let heading = self.theme.heading.clone();
        let markers: Vec<String> = sections
            .iter()
            .map(|s| section_marker(s, self.lang))
            .collect();
        let gutter = self.gutter(&markers, &run_in);
        for (s, marker) in sections.iter().zip(&markers) {
            // Outline label: "I. Peace", "一、和平" (no space after a full-width mark).
            let label = match &s.title {
                Some(t) if marker.ends_with('.') => format!("{marker} {t}"),
                Some(t) => format!("{marker}{t}"),
                None => marker.clone(),
            };
            let first_body = s.body.first().map(String::as_str).unwrap_or("");
            // A section without a title of its own is set like a run-in one with no head.
            if s.run_in || s.title.is_none() {
                self.paragraph_space();
                let title = s.title.as_deref().map(|t| run_in_title(t, self.lang));
                let first = self.marked_paragraph(
                    marker,
                    &run_in,
                    first_body,
                    &body,
                    title.as_deref().map(|t| (t, &run_in)),
                    s.line,
                    width,
                    gutter,
                );
                self.anchor(first, label);
                for more in s.body.iter().skip(1) {
                    self.paragraph_space();
                    self.body_paragraph(more, s.line, width - gutter, gutter);
                }
            } else {
                let h = body.line_height();
                self.space(h * 0.8, h / 4.0);
                let title = s.title.clone().unwrap_or_default();
                self.role = "heading";
                let first = self.marked_paragraph(
                    marker, &heading, &title, &heading, None, s.line, width, gutter,
                );
                self.role = "section";
                self.anchor(first, label);
                self.keep_next = KEEP_LINES;
                for (k, more) in s.body.iter().enumerate() {
                    if k > 0 {
                        self.paragraph_space();
                    } else {
                        self.space(h * 0.25, 0.0);
                    }
                    self.body_paragraph(more, s.line, width - gutter, gutter);
                }
            }
        }
    }

    /// A "… here:" line whose target is known: the line, the URL printed for paper readers
    /// (clickable), and a QR code of the URL at the right, kept together as one unit.
    fn link_block(&mut self, text: &str, url: &str, line: u32, width: f32) {
        let body = self.theme.body.clone();
        let url_style = self.theme.link_url.clone();
        // QR code: three body lines tall at least, and never larger than 72 pt (1 in), which a
        // phone reads from reading distance.
        let qr = qrcode::QrCode::new(url.as_bytes()).ok();
        let qr_size = (body.line_height() * 4.0).min(72.0);
        let text_width = if qr.is_some() {
            width - qr_size - body.size
        } else {
            width
        };
        let mut p = Para::new();
        p.push(text, &body, line, None);
        let lines = self.set(&p, text_width, Align::Left, true);
        let first = self.push_lines(lines, &p, 0.0, &body, Keep::Whole);
        let mut up = Para::new();
        up.push(url, &url_style, line, Some(url));
        let ulines = self.set(&up, text_width, Align::Left, false);
        let url_first = self.push_lines(ulines, &up, 0.0, &url_style, Keep::Whole);
        if let Some(Flow::Line(l)) = self.flow.get_mut(url_first) {
            l.break_before = false;
        }
        let total: f32 = self.flow[first..]
            .iter()
            .map(|f| match f {
                Flow::Line(l) => l.height,
                Flow::Space { height, .. } => *height,
            })
            .sum();
        if let Some(code) = qr {
            let x0 = width - qr_size;
            if let Some(Flow::Line(fl)) = self.flow.get_mut(first) {
                draw_qr(
                    &mut fl.items,
                    &code,
                    x0,
                    0.0,
                    qr_size,
                    self.theme.body.color,
                );
                fl.items.push(Item::Link {
                    x: x0,
                    y: 0.0,
                    w: qr_size,
                    h: qr_size,
                    uri: url.to_string(),
                });
            }
            // Reserve the QR code's height: pad the block with space that cannot break away.
            if total < qr_size {
                let pad = qr_size - total;
                self.flow.push(Flow::Line(FlowLine {
                    height: pad,
                    ..Default::default()
                }));
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Keep {
    Paragraph,
    Whole,
}

/// "Peace" -> "Peace.", "和平" -> "和平。": the run-in head ends with its own full stop
/// (the language's) unless it has one.
pub fn run_in_title(t: &str, lang: &str) -> String {
    if t.ends_with(['.', ':', '!', '?', '。', '：', '．', '！', '？']) {
        t.to_string()
    } else if crate::theme::is_cjk_lang(lang) {
        format!("{t}。")
    } else {
        format!("{t}.")
    }
}

/// The numeral as printed in the gutter: "IV" -> "IV.", "一" -> "一、".
pub fn section_marker(s: &Section, lang: &str) -> String {
    use crate::model::NumeralStyle::*;
    let n = s.numeral.trim_end_matches(['.', '．']);
    match s.style {
        // Chinese and Japanese set the numeral's stop full width: "Ⅰ．" (JIS X 4051 style).
        Roman | UnicodeRoman if crate::theme::is_cjk_lang(lang) => format!("{n}．"),
        Roman | UnicodeRoman | Arabic => format!("{n}."),
        Chinese => format!("{}、", s.numeral.trim_end_matches('、')),
        ChineseParen | ChineseOrdinal => s.numeral.clone(),
    }
}

fn omitted(text: &str, opts: &ComposeOptions) -> bool {
    opts.omit.iter().any(|o| o.trim() == text.trim())
}

/// Draw a set line's runs at (x, baseline), and link areas for spans with targets.
/// Moves the runs into the items: a line is drawn once, so its glyphs are never copied.
fn draw_line(items: &mut Vec<Item>, line: Line, para: &Para, x: f32, baseline: f32) {
    for r in line.runs {
        let color = para.colors.get(r.span).copied().unwrap_or(Rgb::BLACK);
        if let Some(Some(uri)) = para.links.get(r.span) {
            let size = r.run.size;
            items.push(Item::Link {
                x: x + r.x,
                y: baseline - size,
                w: run_width(&r.run),
                h: size * 1.3,
                uri: uri.clone(),
            });
        }
        items.push(Item::Text {
            x: x + r.x,
            y: baseline,
            run: r.run,
            color,
        });
    }
}

/// How far a run's glyphs reach from its origin: the largest glyph end, not the last glyph's
/// (a trailing mark has no advance; after right-to-left reordering the last glyph stands left).
pub(crate) fn run_width(run: &GlyphRun) -> f32 {
    run.glyphs
        .iter()
        .map(|g| g.x + g.advance)
        .fold(0.0, f32::max)
}

/// One set line's runs as text items in one colour, the line starting at `x` on `baseline`.
pub(crate) fn push_text(items: &mut Vec<Item>, line: &Line, x: f32, baseline: f32, color: Rgb) {
    for r in &line.runs {
        items.push(Item::Text {
            x: x + r.x,
            y: baseline,
            run: r.run.clone(),
            color,
        });
    }
}

/// A QR code as filled rectangles, one per horizontal run of dark modules.
fn draw_qr(items: &mut Vec<Item>, code: &qrcode::QrCode, x0: f32, y0: f32, size: f32, color: Rgb) {
    let n = code.width();
    let colors = code.to_colors();
    let m = size / n as f32;
    for row in 0..n {
        let mut col = 0;
        while col < n {
            if colors[row * n + col] == qrcode::Color::Dark {
                let start = col;
                while col < n && colors[row * n + col] == qrcode::Color::Dark {
                    col += 1;
                }
                items.push(Item::Rect {
                    x: x0 + start as f32 * m,
                    y: y0 + row as f32 * m,
                    w: (col - start) as f32 * m,
                    h: m,
                    color,
                });
            } else {
                col += 1;
            }
        }
    }
}

/// The newsletter's name and issue line for the masthead and footer (and the e-mail's subject).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// "NEWSLETTER"
    pub name: String,
    /// "Issue Ⅳ of 2017"
    pub issue_line: String,
}

/// The newsletter's name and issue line, decided once for the PDF and the e-mail edition.
pub fn identity(issue: &Issue) -> Identity {
    let name = issue
        .masthead
        .as_ref()
        .map(|m| m.name.clone())
        .or_else(|| issue.meta.newsletter.clone())
        .unwrap_or_default();
    let numeral = issue
        .masthead
        .as_ref()
        .and_then(|m| m.numeral.clone())
        .or_else(|| issue.meta.issue.map(|n| n.to_string()));
    let year = issue
        .meta
        .year
        .or_else(|| issue.masthead.as_ref().and_then(|m| m.year));
    // The masthead's own words after the name ("Issue Ⅳ of 2017", "2017年 第Ⅸ号") when the
    // front matter does not say otherwise: the issue line reads as the office wrote it.
    if let Some(m) = &issue.masthead {
        let rest = m
            .text
            .strip_prefix(m.name.as_str())
            // The separator between name and issue line belongs to neither ("Consular Update
            // — April 2017" has the issue line "April 2017").
            .map(|r| {
                r.trim_start_matches(|c: char| c.is_whitespace() || "—–-·|:,/".contains(c))
                    .trim_end()
            });
        let agrees = issue.meta.issue.is_none() || issue.meta.issue == m.number;
        if let Some(rest) = rest.filter(|r| !r.is_empty() && agrees) {
            return Identity {
                name,
                issue_line: rest.to_string(),
            };
        }
    }
    let lang = issue.meta.language.to_ascii_lowercase();
    if lang.starts_with("ko") {
        let issue_line = match (numeral, year) {
            (Some(n), Some(y)) => format!("{y}년 제{n}호"),
            (Some(n), None) => format!("제{n}호"),
            (None, Some(y)) => format!("{y}년"),
            (None, None) => String::new(),
        };
        return Identity { name, issue_line };
    }
    let cjk = crate::theme::is_cjk_lang(&lang);
    let issue_line = match (numeral, year, cjk) {
        (Some(n), Some(y), false) => format!("Issue {n} of {y}"),
        (Some(n), None, false) => format!("Issue {n}"),
        (None, Some(y), false) => y.to_string(),
        (Some(n), Some(y), true) => format!("{y}年 第{n}期"),
        (Some(n), None, true) => format!("第{n}期"),
        (None, Some(y), true) => format!("{y}年"),
        (None, None, _) => String::new(),
    };
    Identity { name, issue_line }
}

/// Compose the issue into pages.
pub fn compose(
    issue: &Issue,
    theme: &Theme,
    book: &FontBook,
    file: &str,
    opts: &ComposeOptions,
    diags: &mut Vec<Diagnostic>,
) -> (Document, Option<String>) {
    let lang = issue.meta.language.as_str();
    let new = |diags, dump: bool| Composer {
        book,
        shaper: inline::shape::Shaper::new(book, lang),
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
    };
    let mut c = new(diags, opts.dump_lines);
    let full = theme.text_width();
    let ident = identity(issue);

    // --- Full-width top: masthead, headline, deck (its own flow, set before the body).
    let mut head_items: Vec<Item> = Vec::new();
    let mut y = 0.0f32;
    if !ident.name.is_empty() {
        let line = issue.masthead.as_ref().map(|m| m.line).unwrap_or(0);
        y = draw_block(
            &mut c,
            &mut head_items,
            &ident.name,
            &theme.masthead,
            line,
            full,
            Align::Left,
            y,
        );
        let mut sub = ident.issue_line.clone();
        if let Some(d) = issue.meta.date.as_deref().and_then(|d| long_date(d, lang)) {
            if !sub.is_empty() {
                sub.push_str("  ·  ");
            }
            sub.push_str(&d);
        }
        y += 2.0;
        if !sub.is_empty() {
            y = draw_block(
                &mut c,
                &mut head_items,
                &sub,
                &theme.masthead_line,
                line,
                full,
                Align::Left,
                y,
            );
        }
        // A heavy and a hairline rule, the classic newspaper masthead close.
        y += 4.0;
        head_items.push(Item::Rule {
            x1: 0.0,
            y1: y,
            x2: full,
            y2: y,
            width: 2.0,
            color: theme.accent,
        });
        y += 3.0;
        head_items.push(Item::Rule {
            x1: 0.0,
            y1: y,
            x2: full,
            y2: y,
            width: 0.5,
            color: theme.accent,
        });
        y += theme.body.line_height() * 1.5;
    }
    let mut headline_anchor = None;
    if let Some(h) = &issue.headline {
        headline_anchor = Some(y);
        y = draw_block(
            &mut c,
            &mut head_items,
            &h.text,
            &theme.headline,
            h.line,
            full,
            Align::Left,
            y,
        );
    }
    if let Some(d) = &issue.deck {
        // A third of the deck's size between headline and deck: they read as a pair.
        y += theme.deck.size / 3.0;
        y = draw_block(
            &mut c,
            &mut head_items,
            &d.text,
            &theme.deck,
            d.line,
            full,
            Align::Left,
            y,
        );
    }
    if issue.headline.is_some() || issue.deck.is_some() {
        y += theme.body.line_height() * 0.5;
    }
    let head_height = y;

    // --- The body flow.
    let width = theme.column_width();
    // record: which paragraphs the body sets, in order
    let mut none = Vec::new();
    let mut rec = new(&mut none, false);
    rec.plan = Plan::Record(Vec::new());
    for block in &issue.blocks {
        rec.block(block, width, opts);
    }
    // The recording pass never changes its plan; any other plan recorded nothing.
    let jobs = match rec.plan {
        Plan::Record(jobs) => jobs,
        Plan::Direct | Plan::Replay(_) => Vec::new(),
    };
    // set: every recorded paragraph, on all cores for a long issue
    let set_job = |shaper: &mut inline::shape::Shaper, job: &Job| {
        let spec = ParagraphSpec {
            spans: &job.spans,
            lang,
            width: job.width,
            align: job.align,
            hyphenate: job.hyphenate,
        };
        let mut d = Vec::new();
        let lines = inline::layout_paragraph_with(shaper, &spec, file, &mut d);
        (lines, d)
    };
    let done: Vec<(Vec<Line>, Vec<Diagnostic>)> = if jobs.len() >= PARALLEL_PARAGRAPHS {
        use rayon::prelude::*;
        jobs.par_iter()
            .map_init(|| inline::shape::Shaper::new(book, lang), set_job)
            .collect()
    } else {
        jobs.iter().map(|j| set_job(&mut c.shaper, j)).collect()
    };
    let mut ready = Vec::with_capacity(done.len());
    for (lines, d) in done {
        c.diags.extend(d);
        ready.push(lines);
    }
    // replay: compose the body with the lines set above
    c.plan = Plan::Replay(ready.into_iter());
    for block in &issue.blocks {
        c.block(block, width, opts);
    }
    let Composer {
        mut flow,
        anchors,
        mut dump,
        ..
    } = c;

    // --- Frames: columns of pages; the first page's frames start below the top.
    let cols = theme.columns.max(1) as usize;
    let text_h = theme.text_height();
    let first_h = (text_h - head_height).max(text_h * 0.25);
    let frame_h = |k: usize| if k < cols { first_h } else { text_h };
    let mut frames = paginate::paginate(&flow, frame_h);
    // Balance the columns of the last page.
    if cols > 1 && !frames.is_empty() {
        let last_page_first = (frames.len() - 1) / cols * cols;
        let start = frames[last_page_first]
            .lines
            .first()
            .map(|p| p.index)
            .unwrap_or(0);
        let h = frame_h(last_page_first);
        let bh = paginate::balanced_height(&flow, start, cols, h);
        let mut s = start;
        frames.truncate(last_page_first);
        for _ in 0..cols {
            let f = paginate::fill_frame(&flow, s, bh);
            s = f.end;
            let empty = f.lines.is_empty();
            frames.push(f);
            if empty || s >= flow.len() {
                break;
            }
        }
    }
    let page_count = frames.len().div_ceil(cols).max(1);
    if let Some(d) = &mut dump {
        d.push_str(&pagination_dump(&flow, &frames, cols));
    }

    let mut pages: Vec<Page> = (0..page_count)
        .map(|_| Page {
            width: theme.paper.0,
            height: theme.paper.1,
            items: Vec::new(),
        })
        .collect();
    let ox = theme.margin_left;
    let oy = theme.margin_top;
    for it in head_items {
        pages[0].items.push(offset(it, ox, oy));
    }
    let mut anchor_pos: Vec<Option<(usize, f32)>> = vec![None; anchors.len()];
    for (k, frame) in frames.iter().enumerate() {
        let page = k / cols;
        let col = k % cols;
        let fx = ox + col as f32 * (width + theme.column_gap);
        let fy = oy + if page == 0 { head_height } else { 0.0 };
        for placed in &frame.lines {
            // Each line is placed once: its items move onto the page (a long issue's glyphs
            // are never in memory twice).
            if let Flow::Line(l) = &mut flow[placed.index] {
                for it in std::mem::take(&mut l.items) {
                    pages[page].items.push(offset(it, fx, fy + placed.y));
                }
                for &a in &l.anchors {
                    anchor_pos[a] = Some((page, fy + placed.y));
                }
            }
        }
    }

    // --- Running footer on every page.
    let mut fc = FooterSetter {
        book,
        lang,
        file,
        diags: Vec::new(),
    };
    let head = issue
        .headline
        .as_ref()
        .map(|h| h.text.as_str())
        .unwrap_or("");
    let total = opts.page_total.unwrap_or(page_count + opts.page_offset);
    for (i, page) in pages.iter_mut().enumerate() {
        footer(
            &mut fc,
            page,
            theme,
            &ident,
            opts.page_offset + i + 1,
            total,
        );
        if i > 0 {
            running_head(&mut fc, page, theme, head);
        }
    }

    // --- Outline: the headline, with the sections under it.
    let mut outline = Vec::new();
    let mut children = Vec::new();
    for (a, pos) in anchors.iter().zip(&anchor_pos) {
        if let Some((page, y)) = pos {
            children.push(OutlineEntry {
                title: a.title.clone(),
                page: *page,
                y: *y,
                children: Vec::new(),
            });
        }
    }
    match (&issue.headline, headline_anchor) {
        (Some(h), Some(hy)) => {
            outline.push(OutlineEntry {
                title: h.text.clone(),
                page: 0,
                y: oy + hy,
                children: Vec::new(),
            });
            outline.extend(children);
        }
        _ => outline.extend(children),
    }

    let meta = DocMeta {
        title: issue
            .meta
            .title
            .clone()
            .or_else(|| issue.headline.as_ref().map(|h| h.text.clone()))
            .unwrap_or_default(),
        author: issue.meta.publisher.clone().unwrap_or_default(),
        subject: issue
            .masthead
            .as_ref()
            .map(|m| m.text.clone())
            .unwrap_or_else(|| {
                format!("{} {}", ident.name, ident.issue_line)
                    .trim()
                    .to_string()
            }),
        keywords: keywords(issue, &ident),
        lang: if lang.is_empty() {
            "en".to_string()
        } else {
            lang.to_string()
        },
        timestamp: opts.timestamp,
    };
    (
        Document {
            pages,
            meta,
            outline,
        },
        dump,
    )
}

/// `YYYY-MM-DD` as readers write it: "September 15, 2017", "2017年9月15日", "2017년 9월 15일".
fn long_date(iso: &str, lang: &str) -> Option<String> {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let mut it = iso.split('-').map(|p| p.parse::<u32>().ok());
    let (y, m, d) = (it.next()??, it.next()??, it.next()??);
    let l = lang.to_ascii_lowercase();
    if l.starts_with("zh") || l.starts_with("ja") {
        Some(format!("{y}年{m}月{d}日"))
    } else if l.starts_with("ko") {
        Some(format!("{y}년 {m}월 {d}일"))
    } else {
        Some(format!(
            "{} {d}, {y}",
            MONTHS.get(m.checked_sub(1)? as usize)?
        ))
    }
}

/// The pagination as text: each frame (page and column) with the paragraph lines it holds.
/// Lines read `para P line I/N ROLE` (I 1-based), so breaks can be checked from outside.
fn pagination_dump(flow: &[Flow], frames: &[paginate::FrameFill], cols: usize) -> String {
    let mut out = String::from("# pagination\n");
    for (k, f) in frames.iter().enumerate() {
        out.push_str(&format!("page {} column {}\n", k / cols + 1, k % cols + 1));
        for p in &f.lines {
            if let Flow::Line(l) = &flow[p.index] {
                if l.tag.para > 0 {
                    let t = l.tag;
                    out.push_str(&format!(
                        "  para {} line {}/{} {}\n",
                        t.para,
                        t.index + 1,
                        t.count,
                        t.role
                    ));
                }
            }
        }
    }
    out
}

/// The configured keywords, or else the newsletter's name and the section titles.
fn keywords(issue: &Issue, ident: &Identity) -> Vec<String> {
    if !issue.meta.keywords.is_empty() {
        return issue.meta.keywords.clone();
    }
    let mut k: Vec<String> = Vec::new();
    if !ident.name.is_empty() {
        k.push(ident.name.clone());
    }
    for b in &issue.blocks {
        if let Block::Sections { sections, .. } = b {
            k.extend(sections.iter().filter_map(|s| s.title.clone()));
        }
    }
    k
}

/// Sets footer text; its diagnostics are dropped (the footer repeats text already checked).
struct FooterSetter<'a> {
    book: &'a FontBook,
    lang: &'a str,
    file: &'a str,
    diags: Vec<Diagnostic>,
}

fn footer(
    fc: &mut FooterSetter,
    page: &mut Page,
    theme: &Theme,
    ident: &Identity,
    n: usize,
    total: usize,
) {
    let style = &theme.footer;
    let width = theme.text_width();
    let x = theme.margin_left;
    let rule_y = footer_rule_y(theme);
    margin_rule(page, theme, rule_y);
    let baseline = rule_y + style.size * 1.4;
    let left = [ident.name.as_str(), ident.issue_line.as_str()]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" · ");
    let right = page_label(fc.lang, n, total);
    margin_text(
        fc,
        page,
        style,
        [(left, Align::Left), (right, Align::Right)],
        x,
        baseline,
        width,
    );
}

/// "Page N of M" in the issue's language.
pub fn page_label(lang: &str, n: usize, total: usize) -> String {
    let l = lang.to_ascii_lowercase();
    if l.starts_with("ja") {
        format!("{n} / {total} ページ")
    } else if l.starts_with("zh-hant") || l.starts_with("zh-tw") || l.starts_with("zh-hk") {
        format!("第 {n} 頁，共 {total} 頁")
    } else if l.starts_with("zh") {
        format!("第 {n} 页，共 {total} 页")
    } else if l.starts_with("ko") {
        format!("{n} / {total} 쪽")
    } else {
        format!("Page {n} of {total}")
    }
}

/// Where the footer's rule sits: 40 % of the bottom margin below the text area.
pub fn footer_rule_y(theme: &Theme) -> f32 {
    theme.paper.1 - theme.margin_bottom * 0.6
}

/// The hairline of a running head or footer, across the text width at `y`.
pub fn margin_rule(page: &mut Page, theme: &Theme, y: f32) {
    page.items.push(Item::Rule {
        x1: theme.margin_left,
        y1: y,
        x2: theme.margin_left + theme.text_width(),
        y2: y,
        width: 0.4,
        color: theme.footer.color,
    });
}

/// The running head of pages after the first: the issue's headline over a hairline, in the
/// top margin (page 1 has the masthead instead).
fn running_head(fc: &mut FooterSetter, page: &mut Page, theme: &Theme, title: &str) {
    if title.is_empty() {
        return;
    }
    let style = &theme.footer;
    let width = theme.text_width();
    let x = theme.margin_left;
    // Mirror of the footer: the rule 40 % of the top margin above the text area.
    let rule_y = theme.margin_top * 0.6;
    margin_rule(page, theme, rule_y);
    let baseline = rule_y - style.size * 0.6;
    margin_text(
        fc,
        page,
        style,
        [
            (title.to_string(), Align::Left),
            (String::new(), Align::Right),
        ],
        x,
        baseline,
        width,
    );
}

/// Set one line of margin text at the left and one at the right on `baseline`.
fn margin_text(
    fc: &mut FooterSetter,
    page: &mut Page,
    style: &Style,
    texts: [(String, Align); 2],
    x: f32,
    baseline: f32,
    width: f32,
) {
    for (text, align) in texts {
        if text.is_empty() {
            continue;
        }
        let spans = [Span {
            text,
            style: text_style(style),
            line: 0,
            column: 0,
        }];
        let spec = ParagraphSpec {
            spans: &spans,
            lang: fc.lang,
            width,
            align,
            hyphenate: false,
        };
        let lines = inline::layout_paragraph(fc.book, &spec, fc.file, &mut fc.diags);
        if let Some(line) = lines.first() {
            push_text(&mut page.items, line, x, baseline, style.color);
        }
    }
}

/// Set a short full-width text block (masthead, headline, deck) at `y`; returns the new y.
#[allow(clippy::too_many_arguments)]
fn draw_block(
    c: &mut Composer,
    items: &mut Vec<Item>,
    text: &str,
    style: &Style,
    line: u32,
    width: f32,
    align: Align,
    mut y: f32,
) -> f32 {
    let mut p = Para::new();
    p.push(text, style, line, None);
    let lines = c.set(&p, width, align, false);
    for l in lines {
        let height = style.line_height().max(l.ascent + l.descent);
        let baseline = (height - (l.ascent + l.descent)) / 2.0 + l.ascent;
        let mut its = Vec::new();
        draw_line(&mut its, l, &p, 0.0, baseline);
        items.extend(its.into_iter().map(|i| offset(i, 0.0, y)));
        y += height;
    }
    y
}

/// Move an item by (dx, dy).
fn offset(item: Item, dx: f32, dy: f32) -> Item {
    match item {
        Item::Text { x, y, run, color } => Item::Text {
            x: x + dx,
            y: y + dy,
            run,
            color,
        },
        Item::Rule {
            x1,
            y1,
            x2,
            y2,
            width,
            color,
        } => Item::Rule {
            x1: x1 + dx,
            y1: y1 + dy,
            x2: x2 + dx,
            y2: y2 + dy,
            width,
            color,
        },
        Item::Dots {
            x1,
            x2,
            y,
            pitch,
            diameter,
            color,
        } => Item::Dots {
            x1: x1 + dx,
            x2: x2 + dx,
            y: y + dy,
            pitch,
            diameter,
            color,
        },
        Item::Rect { x, y, w, h, color } => Item::Rect {
            x: x + dx,
            y: y + dy,
            w,
            h,
            color,
        },
        Item::Link { x, y, w, h, uri } => Item::Link {
            x: x + dx,
            y: y + dy,
            w,
            h,
            uri,
        },
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn compose_long_date_per_language() {
        assert_eq!(
            super::long_date("2017-09-15", "en").as_deref(),
            Some("September 15, 2017")
        );
        assert_eq!(
            super::long_date("2017-09-15", "zh-Hans").as_deref(),
            Some("2017年9月15日")
        );
        assert_eq!(
            super::long_date("2017-09-15", "ko").as_deref(),
            Some("2017년 9월 15일")
        );
        assert_eq!(super::long_date("2017-00-15", "en"), None);
    }

    #[test]
    fn compose_page_label_per_language() {
        assert_eq!(super::page_label("en", 2, 5), "Page 2 of 5");
        assert_eq!(super::page_label("zh-Hans", 1, 2), "第 1 页，共 2 页");
        assert_eq!(super::page_label("zh-Hant", 1, 2), "第 1 頁，共 2 頁");
        assert_eq!(super::page_label("ja", 1, 2), "1 / 2 ページ");
        assert_eq!(super::page_label("ko", 1, 2), "1 / 2 쪽");
    }

    #[test]
    fn compose_run_in_title_gets_the_languages_stop() {
        assert_eq!(super::run_in_title("Peace", "en"), "Peace.");
        assert_eq!(super::run_in_title("Peace:", "en"), "Peace:");
        assert_eq!(super::run_in_title("和平", "zh-Hans"), "和平。");
        assert_eq!(super::run_in_title("和平。", "zh-Hans"), "和平。");
    }
}
