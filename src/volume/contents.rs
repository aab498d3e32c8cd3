//! The volume's contents pages: one entry per issue (label, title, leader dots, page number),
//! set before the numbers are known and drawn once they are.

use super::{blank, ContentsEntry};
use crate::compose::{line_baseline, line_box, line_end, place_lines, MarginSetter};
use crate::inline::{Align, Line};
use crate::l10n::L10n;
use crate::layout::{ArtifactKind, Item, Mark, Page, Role, Structure};
use crate::model::Issue;
use crate::theme::{measure, Style, Theme};

/// The contents, set and divided into pages.
pub(super) struct Contents {
    pub(super) entries: Vec<ContentsEntry>,
    /// Each entry's title, set.
    title_lines: Vec<Vec<Line>>,
    head_lines: Vec<Line>,
    /// Which entries go on which contents page.
    pages: Vec<Vec<usize>>,
    label_w: f32,
    number_w: f32,
    title_x: f32,
    title_w: f32,
    /// The language's words and digits.
    words: L10n,
}

impl Contents {
    /// Set the contents of the issues `metas` with a reserved page-number column, so the page
    /// count of the contents does not depend on the numbers.
    pub(super) fn lay_out(setter: &mut MarginSetter, metas: &[Issue], words: &L10n) -> Contents {
        let theme = setter.theme();
        let entries: Vec<ContentsEntry> = metas
            .iter()
            .map(|m| ContentsEntry {
                label: issue_label(m, words),
                title: issue_title(m),
                page: 0,
            })
            .collect();
        let number_w = setter.measure(&words.digits_of(measure::CONTENTS_NUMBER), &theme.body);
        let label_w = entries
            .iter()
            .map(|e| setter.measure(&e.label, &theme.body))
            .fold(0.0f32, f32::max);
        let text_w = theme.text_width();
        let title_x = if label_w > 0.0 {
            label_w + measure::CONTENTS_COLUMN_GAP
        } else {
            0.0
        };
        let title_w = (text_w - title_x - number_w - measure::CONTENTS_COLUMN_GAP)
            .max(text_w * measure::CONTENTS_TITLE_MIN);
        let title_lines: Vec<Vec<Line>> = entries
            .iter()
            .map(|e| setter.set(&e.title, &theme.body, title_w, start(words)))
            .collect();
        let head_lines = setter.set(words.contents(), &theme.heading, text_w, start(words));
        let pages = divide(theme, &title_lines, &head_lines);
        Contents {
            entries,
            title_lines,
            head_lines,
            pages,
            label_w,
            number_w,
            title_x,
            title_w,
            words: *words,
        }
    }

    /// How many pages the contents take.
    pub(super) fn page_count(&self) -> usize {
        self.pages.len()
    }

    /// Number the entries for issues of `counts` pages after `front` pages; returns the pages
    /// before each issue.
    pub(super) fn number(&mut self, front: usize, counts: &[usize]) -> Vec<usize> {
        let mut offsets = Vec::with_capacity(counts.len());
        let mut at = front;
        for (e, n) in self.entries.iter_mut().zip(counts) {
            offsets.push(at);
            e.page = at + 1;
            at += n;
        }
        offsets
    }

    /// Add the contents pages to `pages`, each with a footer of `footer` and its number in a
    /// volume of `total` pages.
    pub(super) fn draw(
        &self,
        setter: &mut MarginSetter,
        structure: &mut Structure,
        pages: &mut Vec<Page>,
        footer: &str,
        total: usize,
    ) {
        let theme = setter.theme();
        // Tagged: the heading an H2, the contents a TOC of TOCI entries (leaders artifacts).
        let heading = structure.add(Role::H2, 0);
        let toc = structure.add(Role::TOC, 0);
        for (k, idx) in self.pages.iter().enumerate() {
            let mut page = blank(theme);
            let mut y = theme.margin_top;
            if k == 0 {
                let (style, x) = (&theme.heading, theme.margin_left);
                page.items.push(Item::Begin(Mark::Elem(heading)));
                y = place_lines(&mut page, &self.head_lines, style, x, y);
                page.items.push(Item::End);
                y += theme.body.line_height() * measure::CONTENTS_HEAD_GAP;
            }
            for &i in idx {
                let (Some(e), Some(lines)) = (self.entries.get(i), self.title_lines.get(i)) else {
                    continue;
                };
                let entry = structure.add(Role::TOCI, toc);
                page.items.push(Item::Begin(Mark::Elem(entry)));
                y = self.draw_entry(setter, &mut page, e, lines, y);
                page.items.push(Item::End);
            }
            // The same rule, place and face as the issues' footers.
            setter.footer(&mut page, footer, pages.len() + 1, total);
            pages.push(page);
        }
    }

    /// One entry with its top at `y`, its title set as `lines`; returns the next entry's top.
    fn draw_entry(
        &self,
        setter: &mut MarginSetter,
        page: &mut Page,
        e: &ContentsEntry,
        lines: &[Line],
        y: f32,
    ) -> f32 {
        let theme = setter.theme();
        let body = &theme.body;
        let (x, text_w, line_h) = (theme.margin_left, theme.text_width(), body.line_height());
        // A right-to-left language mirrors the entry: label at the right, page number at the
        // left.
        let rtl = self.words.is_right_to_left();
        let (label_x, number_x, title_x) = if rtl {
            let right = x + text_w;
            (right - self.label_w, x, right - self.title_x - self.title_w)
        } else {
            (x, x + text_w - self.number_w, x + self.title_x)
        };
        let (near, far) = if rtl {
            (Align::Right, Align::Left)
        } else {
            (Align::Left, Align::Right)
        };
        let label = setter.set(&e.label, body, self.label_w.max(1.0), near);
        place_lines(page, &label, body, label_x, y);
        let number = setter.set(&self.words.number(e.page), body, self.number_w, far);
        // The page number stands on the entry's last line, where a reader's eye ends.
        let last_y = y + lines.len().saturating_sub(1) as f32 * line_h;
        // Drawn in reading order — label, title, leader, number — for the readers that take
        // text in content order (pdf.js, MuPDF; PDFium sorts a line by position).
        let next = place_lines(page, lines, body, title_x, y);
        if let (Some(last), Some(num)) = (lines.last(), number.first()) {
            // The leader runs between the title's ink and the number's, whichever side each
            // stands on (a right-to-left title stands flush right).
            let (from, to) = if rtl {
                (number_x + line_end(num), title_x + line_start(last))
            } else {
                (title_x + line_end(last), x + text_w - num.width)
            };
            if let Some(dots) = leader(from, to, last_y, last, theme) {
                page.items
                    .push(Item::Begin(Mark::Artifact(ArtifactKind::Layout)));
                page.items.push(dots);
                page.items.push(Item::End);
            }
        }
        place_lines(page, &number, body, number_x, last_y);
        next + line_h * measure::CONTENTS_ENTRY_GAP
    }
}

/// Which entries go on which contents page: the heading and as many entries as fit, then
/// as many as fit on each further page (at least one a page).
fn divide(theme: &Theme, title_lines: &[Vec<Line>], head_lines: &[Line]) -> Vec<Vec<usize>> {
    let line_h = theme.body.line_height();
    let entry_h = title_lines
        .iter()
        .map(|ls| ls.len().max(1) as f32 * line_h + line_h * measure::CONTENTS_ENTRY_GAP);
    let head_h = block_height(head_lines, &theme.heading) + line_h * measure::CONTENTS_HEAD_GAP;
    let text_h = theme.text_height();
    let mut pages: Vec<Vec<usize>> = vec![Vec::new()];
    let mut used = head_h;
    for (i, h) in entry_h.enumerate() {
        let page_has_entries = pages.last().is_some_and(|p| !p.is_empty());
        if used + h > text_h && page_has_entries {
            pages.push(Vec::new());
            used = 0.0;
        }
        used += h;
        if let Some(p) = pages.last_mut() {
            p.push(i);
        }
    }
    pages
}

/// "Issue Ⅳ" / "Numéro Ⅳ" / "第四期": the number as written in the masthead, else the
/// configured one, in the language's words.
fn issue_label(issue: &Issue, words: &L10n) -> String {
    let numeral = issue
        .masthead
        .as_ref()
        .and_then(|m| m.numeral.clone())
        .or_else(|| issue.meta.issue.map(|n| n.to_string()));
    numeral.map(|n| words.issue_label(&n)).unwrap_or_default()
}

/// The issue's title: `title`, else its headline, else its date.
fn issue_title(issue: &Issue) -> String {
    issue
        .title()
        .map(str::to_string)
        .or_else(|| issue.meta.date.map(|d| d.to_string()))
        .unwrap_or_default()
}

/// Where a language's lines start: flush left, flush right in a right-to-left language.
fn start(words: &L10n) -> Align {
    if words.is_right_to_left() {
        Align::Right
    } else {
        Align::Left
    }
}

/// Where a set line's ink starts, from the line's origin.
fn line_start(line: &Line) -> f32 {
    line.runs
        .iter()
        .map(|r| r.x)
        .reduce(f32::min)
        .unwrap_or(0.0)
}

/// The dots between a contents title and its page number (from `title_end` to `number_start`,
/// or in a right-to-left language from the number's end to the title's start), on the
/// baseline of the title's last line (set with its top at `top`). The dots stand on a grid from the left margin, so
/// they line up in columns down the page; at least one dot's space is kept clear on each
/// side, and an entry with room for fewer than three dots gets none.
fn leader(title_end: f32, number_start: f32, top: f32, line: &Line, theme: &Theme) -> Option<Item> {
    let style = &theme.body;
    // To 1/100 pt, as the content stream writes the dash: dots and grid never drift apart.
    let pitch = (style.size * measure::LEADER_PITCH_EM * 100.0).round() / 100.0;
    let diameter = style.size * measure::LEADER_DOT_EM;
    let grid = |x: f32| (x - theme.margin_left) / pitch;
    let x1 = theme.margin_left + (grid(title_end + pitch).ceil()) * pitch;
    let x2 = theme.margin_left + (grid(number_start - pitch).floor()) * pitch;
    if x2 - x1 < 2.0 * pitch {
        return None;
    }
    let baseline = line_baseline(style, line, top);
    Some(Item::Dots {
        x1,
        x2,
        y: baseline - diameter / 2.0,
        pitch,
        diameter,
        color: style.color,
    })
}

/// The height of set lines in `style`.
fn block_height(lines: &[Line], style: &Style) -> f32 {
    lines.iter().map(|l| line_box(style, l)).sum()
}
