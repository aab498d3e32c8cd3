//! Annual volumes: several issues of one newsletter bound into one document, with a title
//! page, a table of contents, continuous page numbers and a nested outline (year -> issue ->
//! sections).
//!
//! Each issue is laid out twice: once to learn its page count, and once more with its place
//! in the volume, so the running footer of every page says the volume's page number. The
//! issues are set exactly as `render` sets them; the volume only adds its front pages.

use crate::compose;
use crate::config::Config;
use crate::diag::Diagnostic;
use crate::fonts::FontBook;
use crate::inline::{self, Align, Line, ParagraphSpec, Span, TextStyle};
use crate::layout::{DocMeta, Document, Item, OutlineEntry, Page};
use crate::model::Issue;
use crate::theme::{self, Style, Theme};
use crate::{compose_issue, PageNumbers, RenderOptions};

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

/// Space above and below the contents heading, in body lines: one line, the usual gap
/// between a heading and what it heads.
const CONTENTS_HEAD_GAP: f32 = 1.0;
/// Extra space between contents entries, as a share of a body line: a quarter keeps the
/// entries apart without spreading a year over two pages.
const CONTENTS_ENTRY_GAP: f32 = 0.25;
/// The gap between a contents entry's label, title and page columns, pt: one em of 12 pt.
const COLUMN_GAP: f32 = 12.0;
/// The title page's name starts a third down the text area, the classic optical centre.
const TITLE_DROP: f32 = 1.0 / 3.0;

/// Bind `issues` (in reading order) into the volume for `year`.
///
/// The front pages are set in the first issue's theme. Fails when an issue has errors.
pub fn build_volume(
    year: i32,
    issues: &[VolumeIssue],
    book: &FontBook,
    opts: &RenderOptions,
) -> Result<Volume, VolumeError> {
    let first = issues.first().ok_or(VolumeError::Empty)?;
    // First pass: every issue on its own, for its page count and metadata.
    let mut counts = Vec::with_capacity(issues.len());
    let mut metas: Vec<Issue> = Vec::with_capacity(issues.len());
    let mut theme: Option<Theme> = None;
    for it in issues {
        let c = compose_issue(
            it.name,
            it.text,
            it.base,
            book,
            opts,
            &PageNumbers::default(),
        )
        .map_err(|diagnostics| VolumeError::Issue {
            name: it.name.to_string(),
            diagnostics,
        })?;
        counts.push(c.doc.pages.len());
        if theme.is_none() {
            theme = Some(c.theme.clone());
        }
        metas.push(c.issue);
    }
    let theme = theme.unwrap_or_else(|| Theme::default_for("en"));
    let lang = metas
        .first()
        .map(|m| m.meta.language.clone())
        .filter(|l| !l.is_empty())
        .unwrap_or_else(|| "en".to_string());
    let cjk = theme::is_cjk_lang(&lang);
    let newsletter = metas.iter().find_map(newsletter_name).unwrap_or_default();

    let mut fs = FrontSetter {
        book,
        theme: &theme,
        lang: &lang,
        file: first.name,
        diags: Vec::new(),
    };
    // The contents, set with a reserved page-number column so the page count of the
    // contents does not depend on the numbers.
    let mut entries: Vec<ContentsEntry> = metas
        .iter()
        .map(|m| ContentsEntry {
            label: issue_label(m, cjk),
            title: issue_title(m),
            page: 0,
        })
        .collect();
    let number_w = fs.measure("00000", &theme.body);
    let label_w = entries
        .iter()
        .map(|e| fs.measure(&e.label, &theme.body))
        .fold(0.0f32, f32::max);
    let text_w = theme.text_width();
    let title_x = if label_w > 0.0 {
        label_w + COLUMN_GAP
    } else {
        0.0
    };
    let title_w = (text_w - title_x - number_w - COLUMN_GAP).max(text_w * 0.3);
    let title_lines: Vec<Vec<Line>> = entries
        .iter()
        .map(|e| fs.set(&e.title, &theme.body, title_w, Align::Left))
        .collect();
    let line_h = theme.body.line_height();
    let entry_h: Vec<f32> = title_lines
        .iter()
        .map(|ls| ls.len().max(1) as f32 * line_h + line_h * CONTENTS_ENTRY_GAP)
        .collect();
    let head_lines = fs.set(contents_heading(cjk), &theme.heading, text_w, Align::Left);
    let head_h = block_height(&head_lines, &theme.heading) + line_h * CONTENTS_HEAD_GAP;
    // Which entries go on which contents page.
    let text_h = theme.text_height();
    let mut toc_pages: Vec<Vec<usize>> = vec![Vec::new()];
    let mut used = head_h;
    for (i, h) in entry_h.iter().enumerate() {
        let page_has_entries = toc_pages.last().is_some_and(|p| !p.is_empty());
        if used + h > text_h && page_has_entries {
            toc_pages.push(Vec::new());
            used = 0.0;
        }
        used += h;
        if let Some(p) = toc_pages.last_mut() {
            p.push(i);
        }
    }
    let front = 1 + toc_pages.len();
    let total = front + counts.iter().sum::<usize>();
    let mut offsets = Vec::with_capacity(counts.len());
    let mut at = front;
    for (e, n) in entries.iter_mut().zip(&counts) {
        offsets.push(at);
        e.page = at + 1;
        at += n;
    }

    // The front pages.
    let mut pages = vec![title_page(&mut fs, &newsletter, year, &metas, cjk)];
    for (k, idx) in toc_pages.iter().enumerate() {
        let mut page = blank(&theme);
        let mut y = theme.margin_top;
        if k == 0 {
            y = place(&mut page, &head_lines, &theme.heading, theme.margin_left, y);
            y += line_h * CONTENTS_HEAD_GAP;
        }
        for &i in idx {
            let (Some(e), Some(lines)) = (entries.get(i), title_lines.get(i)) else {
                continue;
            };
            let label = fs.set(&e.label, &theme.body, label_w.max(1.0), Align::Left);
            place(&mut page, &label, &theme.body, theme.margin_left, y);
            let number = fs.set(&e.page.to_string(), &theme.body, number_w, Align::Right);
            // The page number stands on the entry's last line, where a reader's eye ends.
            let last_y = y + lines.len().saturating_sub(1) as f32 * line_h;
            place(
                &mut page,
                &number,
                &theme.body,
                theme.margin_left + text_w - number_w,
                last_y,
            );
            if let (Some(last), Some(num)) = (lines.last(), number.first()) {
                // Where the title's ink ends (a right-to-left title stands flush right).
                let title_end = theme.margin_left + title_x + line_end(last);
                let number_start = theme.margin_left + text_w - num.width;
                if let Some(dots) = leader(title_end, number_start, last_y, last, &theme) {
                    page.items.push(dots);
                }
            }
            y = place(
                &mut page,
                lines,
                &theme.body,
                theme.margin_left + title_x,
                y,
            );
            y += line_h * CONTENTS_ENTRY_GAP;
        }
        fs.footer(&mut page, &newsletter, year, pages.len() + 1, total);
        pages.push(page);
    }

    // Second pass: every issue numbered as part of the volume.
    let mut diagnostics = Vec::new();
    let mut issue_outline = Vec::with_capacity(issues.len());
    for (((it, &offset), &count), e) in issues.iter().zip(&offsets).zip(&counts).zip(&entries) {
        let numbers = PageNumbers {
            offset,
            total: Some(total),
        };
        let c = compose_issue(it.name, it.text, it.base, book, opts, &numbers).map_err(
            |diagnostics| VolumeError::Issue {
                name: it.name.to_string(),
                diagnostics,
            },
        )?;
        if c.doc.pages.len() != count {
            return Err(VolumeError::Unstable {
                name: it.name.to_string(),
                first: count,
                second: c.doc.pages.len(),
            });
        }
        diagnostics.extend(c.diagnostics);
        issue_outline.push(issue_entry(
            e,
            c.issue.headline.as_ref(),
            c.doc.outline,
            offset,
        ));
        pages.extend(c.doc.pages);
    }

    let outline = vec![OutlineEntry {
        title: volume_title(&newsletter, year),
        page: 0,
        y: 0.0,
        children: issue_outline,
    }];
    let timestamp = opts
        .source_date_epoch
        .or_else(|| {
            metas
                .iter()
                .filter_map(|m| m.meta.date.as_deref().and_then(crate::date_to_epoch))
                .max()
        })
        .unwrap_or(opts.now);
    let meta = DocMeta {
        title: volume_title(&newsletter, year),
        author: metas
            .iter()
            .find_map(|m| m.meta.publisher.clone())
            .unwrap_or_default(),
        subject: format!("{} issues of {year}", metas.len()),
        keywords: if newsletter.is_empty() {
            vec![year.to_string()]
        } else {
            vec![newsletter.clone(), year.to_string()]
        },
        lang,
        timestamp,
    };
    Ok(Volume {
        doc: Document {
            pages,
            meta,
            outline,
        },
        contents: entries,
        diagnostics,
    })
}

/// The year the issue belongs to: its `year`, the masthead's, or its date's.
pub fn issue_year(issue: &Issue) -> Option<i32> {
    issue
        .meta
        .year
        .or_else(|| issue.masthead.as_ref().and_then(|m| m.year))
        .or_else(|| {
            issue
                .meta
                .date
                .as_deref()
                .and_then(|d| d.get(..4))
                .and_then(|y| y.parse().ok())
        })
}

/// The newsletter's name: `newsletter` from the configuration, else the masthead's.
pub fn newsletter_name(issue: &Issue) -> Option<String> {
    issue
        .meta
        .newsletter
        .clone()
        .or_else(|| issue.masthead.as_ref().map(|m| m.name.clone()))
        .filter(|n| !n.trim().is_empty())
}

/// "Issue Ⅳ" / "第四期": the number as written in the masthead, else the configured one.
fn issue_label(issue: &Issue, cjk: bool) -> String {
    let numeral = issue
        .masthead
        .as_ref()
        .and_then(|m| m.numeral.clone())
        .or_else(|| issue.meta.issue.map(|n| n.to_string()));
    match (numeral, cjk) {
        (Some(n), false) => format!("Issue {n}"),
        (Some(n), true) => format!("第{n}期"),
        (None, _) => String::new(),
    }
}

/// The issue's title: `title`, else its headline, else its date.
fn issue_title(issue: &Issue) -> String {
    issue
        .meta
        .title
        .clone()
        .or_else(|| issue.headline.as_ref().map(|h| h.text.clone()))
        .or_else(|| issue.meta.date.clone())
        .unwrap_or_default()
}

fn contents_heading(cjk: bool) -> &'static str {
    if cjk {
        "目录"
    } else {
        "Contents"
    }
}

fn volume_title(newsletter: &str, year: i32) -> String {
    if newsletter.is_empty() {
        year.to_string()
    } else {
        format!("{newsletter} {year}")
    }
}

/// The outline entry of one issue: at its headline (or its first page), with its sections
/// under it; the issue's own outline has the headline first, then the sections.
fn issue_entry(
    e: &ContentsEntry,
    headline: Option<&crate::model::TextLine>,
    mut own: Vec<OutlineEntry>,
    offset: usize,
) -> OutlineEntry {
    fn shift(entries: &mut [OutlineEntry], by: usize) {
        for o in entries {
            o.page += by;
            shift(&mut o.children, by);
        }
    }
    shift(&mut own, offset);
    let mut y = 0.0;
    if let (Some(h), Some(top)) = (headline, own.first()) {
        if top.title == h.text && top.page == offset {
            y = top.y;
            own.remove(0);
        }
    }
    let title = match (e.label.is_empty(), e.title.is_empty()) {
        (false, false) => format!("{}: {}", e.label, e.title),
        (false, true) => e.label.clone(),
        _ => e.title.clone(),
    };
    OutlineEntry {
        title,
        page: offset,
        y,
        children: own,
    }
}

/// Leader dots: their spacing and size as shares of the body size (4.7 pt and 1 pt dots at
/// 10.5 pt, the spacing of a book's contents page).
const LEADER_PITCH_EM: f32 = 0.45;
const LEADER_DOT_EM: f32 = 0.095;

/// The dots from a contents title's end to its page number, on the baseline of the title's
/// last line (set with its top at `top`). The dots stand on a grid from the left margin, so
/// they line up in columns down the page; at least one dot's space is kept clear on each
/// side, and an entry with room for fewer than three dots gets none.
fn leader(title_end: f32, number_start: f32, top: f32, line: &Line, theme: &Theme) -> Option<Item> {
    let style = &theme.body;
    // To 1/100 pt, as the content stream writes the dash: dots and grid never drift apart.
    let pitch = (style.size * LEADER_PITCH_EM * 100.0).round() / 100.0;
    let diameter = style.size * LEADER_DOT_EM;
    let grid = |x: f32| (x - theme.margin_left) / pitch;
    let x1 = theme.margin_left + (grid(title_end + pitch).ceil()) * pitch;
    let x2 = theme.margin_left + (grid(number_start - pitch).floor()) * pitch;
    if x2 - x1 < 2.0 * pitch {
        return None;
    }
    let height = style.line_height().max(line.ascent + line.descent);
    let baseline = top + (height - (line.ascent + line.descent)) / 2.0 + line.ascent;
    Some(Item::Dots {
        x1,
        x2,
        y: baseline - diameter / 2.0,
        pitch,
        diameter,
        color: style.color,
    })
}

/// The right end of a set line's glyphs, from the line's start.
fn line_end(line: &Line) -> f32 {
    line.runs
        .iter()
        .map(|r| r.x + compose::run_width(&r.run))
        .fold(0.0, f32::max)
}

fn blank(theme: &Theme) -> Page {
    Page {
        width: theme.paper.0,
        height: theme.paper.1,
        items: Vec::new(),
    }
}

/// The height of set lines in `style`.
fn block_height(lines: &[Line], style: &Style) -> f32 {
    lines
        .iter()
        .map(|l| style.line_height().max(l.ascent + l.descent))
        .sum()
}

/// Put set lines on `page` with their top at `y`; returns the y below them.
fn place(page: &mut Page, lines: &[Line], style: &Style, x: f32, mut y: f32) -> f32 {
    for l in lines {
        let height = style.line_height().max(l.ascent + l.descent);
        let baseline = y + (height - (l.ascent + l.descent)) / 2.0 + l.ascent;
        compose::push_text(&mut page.items, l, x, baseline, style.color);
        y += height;
    }
    y
}

/// Sets the front pages' text; its diagnostics are dropped (the text is quire's own or
/// repeats the issues' already checked titles).
struct FrontSetter<'a> {
    book: &'a FontBook,
    theme: &'a Theme,
    lang: &'a str,
    file: &'a str,
    diags: Vec<Diagnostic>,
}

impl FrontSetter<'_> {
    fn spans(text: &str, style: &Style) -> [Span; 1] {
        [Span {
            text: text.to_string(),
            style: TextStyle {
                family: style.family,
                bold: style.bold,
                italic: style.italic,
                size: style.size,
            },
            line: 0,
            column: 0,
        }]
    }

    fn set(&mut self, text: &str, style: &Style, width: f32, align: Align) -> Vec<Line> {
        let spans = Self::spans(text, style);
        let spec = ParagraphSpec {
            spans: &spans,
            lang: self.lang,
            width,
            align,
            hyphenate: false,
        };
        inline::layout_paragraph(self.book, &spec, self.file, &mut self.diags)
    }

    fn measure(&self, text: &str, style: &Style) -> f32 {
        if text.is_empty() {
            return 0.0;
        }
        inline::measure(self.book, &Self::spans(text, style), self.lang)
    }

    /// The contents pages' footer: the volume's name left, the page number right, on the
    /// rule the issues' footers use.
    fn footer(&mut self, page: &mut Page, newsletter: &str, year: i32, n: usize, total: usize) {
        let theme = self.theme;
        let style = &theme.footer;
        let width = theme.text_width();
        let x = theme.margin_left;
        // The same rule and place as the issues' footer.
        let rule_y = compose::footer_rule_y(theme);
        compose::margin_rule(page, theme, rule_y);
        let top = rule_y + style.size * 1.4 - style.size;
        let right = compose::page_label(self.lang, n, total);
        for (text, align) in [
            (volume_title(newsletter, year), Align::Left),
            (right, Align::Right),
        ] {
            let lines = self.set(&text, style, width, align);
            if let Some(l) = lines.first() {
                compose::push_text(&mut page.items, l, x, top + style.size, style.color);
            }
        }
    }
}

/// The title page: the newsletter's name, the year, and which issues the volume holds.
fn title_page(
    fs: &mut FrontSetter,
    newsletter: &str,
    year: i32,
    metas: &[Issue],
    cjk: bool,
) -> Page {
    let theme = fs.theme;
    let mut page = blank(theme);
    let w = theme.text_width();
    let x = theme.margin_left;
    let mut y = theme.margin_top + theme.text_height() * TITLE_DROP;
    if !newsletter.is_empty() {
        let l = fs.set(newsletter, &theme.masthead, w, Align::Center);
        y = place(&mut page, &l, &theme.masthead, x, y);
    }
    let l = fs.set(&year.to_string(), &theme.headline, w, Align::Center);
    y = place(
        &mut page,
        &l,
        &theme.headline,
        x,
        y + theme.body.line_height(),
    );
    let count = if cjk {
        format!("共 {} 期", metas.len())
    } else if metas.len() == 1 {
        "1 issue".to_string()
    } else {
        format!("{} issues", metas.len())
    };
    let l = fs.set(&count, &theme.deck, w, Align::Center);
    y = place(&mut page, &l, &theme.deck, x, y + theme.body.line_height());
    if let Some(p) = metas.iter().find_map(|m| m.meta.publisher.clone()) {
        let l = fs.set(&p, &theme.body, w, Align::Center);
        place(
            &mut page,
            &l,
            &theme.body,
            x,
            y + theme.body.line_height() * 2.0,
        );
    }
    page
}

#[cfg(test)]
mod tests {
    use super::*;

    const ISSUE_A: &str = "NEWSLETTER Issue 1 of 2017\n\n\nSpring Opens\n\nFirst paragraph of the spring issue.\n\nI. Trade. Trade grew.\n\nII. Culture. Culture met.\n";
    const ISSUE_B: &str = "NEWSLETTER Issue 2 of 2017\n\n\nSummer Follows\n\nThe summer issue.\n\nI. Science. Labs opened.\n\nII. Travel. Visas eased.\n\nIII. Sport. Teams played.\n";

    fn opts() -> RenderOptions {
        RenderOptions {
            source_date_epoch: Some(0),
            ..RenderOptions::default()
        }
    }

    fn two() -> Volume {
        let base = Config::default();
        let book = FontBook::bundled();
        let issues = [
            VolumeIssue {
                name: "a.txt",
                text: ISSUE_A,
                base: &base,
            },
            VolumeIssue {
                name: "b.txt",
                text: ISSUE_B,
                base: &base,
            },
        ];
        build_volume(2017, &issues, &book, &opts()).expect("a volume")
    }

    #[test]
    fn volume_contents_pages_follow_the_front_pages() {
        let v = two();
        // Title page + one contents page, then each one-page issue.
        assert_eq!(v.doc.pages.len(), 4);
        let pages: Vec<usize> = v.contents.iter().map(|e| e.page).collect();
        assert_eq!(pages, vec![3, 4]);
        assert_eq!(v.contents[0].label, "Issue 1");
        assert_eq!(v.contents[1].title, "Summer Follows");
    }

    #[test]
    fn volume_contents_leaders_run_from_title_to_number_on_one_grid() {
        let v = two();
        let page = &v.doc.pages[1];
        let text_right = |y: f32, after: f32| {
            page.items.iter().filter_map(move |i| match i {
                Item::Text { x, y: by, run, .. } if (by - y).abs() < 3.0 && *x >= after => Some(*x),
                _ => None,
            })
        };
        let dots: Vec<(f32, f32, f32, f32)> = page
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Dots {
                    x1, x2, y, pitch, ..
                } => Some((*x1, *x2, *y, *pitch)),
                _ => None,
            })
            .collect();
        assert_eq!(dots.len(), v.contents.len(), "one leader per entry");
        let origin = dots[0].0;
        for &(x1, x2, y, pitch) in &dots {
            assert!(x2 - x1 >= 2.0 * pitch);
            // On one grid, so leaders line up down the page.
            for x in [x1, x2] {
                let k = (x - origin) / pitch;
                assert!((k - k.round()).abs() < 1e-3, "{x} off the grid");
            }
            // The page number stands after the last dot, clear of it.
            let number = text_right(y, x2)
                .next()
                .expect("a page number after the dots");
            assert!(number >= x2 + pitch * 0.9, "{number} vs {x2}");
        }
    }

    #[test]
    fn volume_outline_nests_year_issue_sections() {
        let v = two();
        assert_eq!(v.doc.outline.len(), 1);
        let year = &v.doc.outline[0];
        assert_eq!(year.title, "NEWSLETTER 2017");
        let issues: Vec<&str> = year.children.iter().map(|c| c.title.as_str()).collect();
        assert_eq!(
            issues,
            vec!["Issue 1: Spring Opens", "Issue 2: Summer Follows"]
        );
        assert_eq!(year.children[1].page, 3);
        let sections: Vec<usize> = year.children.iter().map(|c| c.children.len()).collect();
        assert_eq!(sections, vec![2, 3]);
        assert!(year.children[1].children.iter().all(|s| s.page == 3));
    }

    #[test]
    fn volume_empty_is_an_error() {
        let book = FontBook::bundled();
        assert!(matches!(
            build_volume(2017, &[], &book, &opts()),
            Err(VolumeError::Empty)
        ));
    }

    #[test]
    fn volume_broken_issue_is_named() {
        let base = Config::default();
        let book = FontBook::bundled();
        let issues = [VolumeIssue {
            name: "empty.txt",
            text: "",
            base: &base,
        }];
        match build_volume(2017, &issues, &book, &opts()) {
            Err(VolumeError::Issue { name, diagnostics }) => {
                assert_eq!(name, "empty.txt");
                assert!(!diagnostics.is_empty());
            }
            other => panic!("expected an issue error, got {other:?}"),
        }
    }

    #[test]
    fn volume_issue_year_from_date() {
        let mut i = Issue::default();
        i.meta.date = Some("2019-03-01".to_string());
        assert_eq!(issue_year(&i), Some(2019));
    }
}
