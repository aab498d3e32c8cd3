//! The full-width top of the first page: the masthead (name, issue line and date, rules),
//! the headline and the deck, set before the body and placed above its columns.

use super::draw::{draw_line, line_baseline, line_box, offset};
use super::flow::{Composer, Para};
use super::identity::Identity;
use super::strings::long_date;
use crate::inline::Align;
use crate::layout::{Item, Mark, Rgb, Role};
use crate::model::Issue;
use crate::theme::{measure, Style};

/// The first page's top, relative to the text area's top left corner.
pub(super) struct Top {
    pub(super) items: Vec<Item>,
    /// How far down the top reaches: the body's first frames start there.
    pub(super) height: f32,
    /// Where the headline starts, for the outline.
    pub(super) headline_y: Option<f32>,
}

/// Set the masthead, headline and deck.
pub(super) fn set_top(c: &mut Composer, issue: &Issue, ident: &Identity) -> Top {
    let theme = c.theme;
    let mut items = Vec::new();
    let mut y = 0.0f32;
    // Tagged: the masthead a group of two paragraphs (name, issue line), the headline H1,
    // the deck a paragraph; the masthead's rules are layout artifacts.
    if !ident.name.is_empty() {
        c.open(Role::Div);
        y = masthead(c, &mut items, issue, ident, y);
        c.close();
    }
    let mut headline_y = None;
    if let Some(h) = &issue.headline {
        headline_y = Some(y);
        c.open(Role::H1);
        y = set_full_width(c, &mut items, &h.text, &theme.headline, h.line, y);
        c.close();
    }
    if let Some(d) = &issue.deck {
        y += theme.deck.size / measure::DECK_GAP;
        c.open(Role::P);
        y = set_full_width(c, &mut items, &d.text, &theme.deck, d.line, y);
        c.close();
    }
    if issue.headline.is_some() || issue.deck.is_some() {
        y += theme.body.line_height() * measure::UNDER_TOP;
    }
    Top {
        items,
        height: y,
        headline_y,
    }
}

/// The newsletter's name, its issue line and date, and the closing rules at `y`; returns the
/// y where the headline starts.
fn masthead(
    c: &mut Composer,
    items: &mut Vec<Item>,
    issue: &Issue,
    ident: &Identity,
    y: f32,
) -> f32 {
    let theme = c.theme;
    let line = issue.masthead.as_ref().map(|m| m.line).unwrap_or(0);
    c.open(Role::P);
    let mut y = set_full_width(c, items, &ident.name, &theme.masthead, line, y);
    c.close();
    let sub = issue_line_and_date(issue, ident, c.lang);
    y += measure::MASTHEAD_LINE_GAP;
    if !sub.is_empty() {
        c.open(Role::P);
        y = set_full_width(c, items, &sub, &theme.masthead_line, line, y);
        c.close();
    }
    y += measure::MASTHEAD_RULE_GAP;
    items.push(full_rule(c, y, measure::MASTHEAD_RULE, theme.accent));
    y += measure::MASTHEAD_RULES_APART;
    items.push(full_rule(c, y, measure::MASTHEAD_HAIRLINE, theme.accent));
    y + theme.body.line_height() * measure::UNDER_MASTHEAD
}

/// "Issue Ⅳ of 2017  ·  April 1, 2017": the issue line and the long date, either alone.
/// A masthead dated by month ("Lettre d'information — avril 2017") and a front matter
/// `date:` would say the month twice: then the long date alone.
fn issue_line_and_date(issue: &Issue, ident: &Identity, lang: &str) -> String {
    let mut sub = ident.issue_line.clone();
    if let Some(d) = issue.meta.date {
        if crate::parse::is_date_only(&sub) {
            sub.clear();
        }
        if !sub.is_empty() {
            sub.push_str("  ·  ");
        }
        sub.push_str(&long_date(d, lang));
    }
    sub
}

/// A rule across the text width at `y`.
fn full_rule(c: &Composer, y: f32, width: f32, color: Rgb) -> Item {
    Item::Rule {
        x1: 0.0,
        y1: y,
        x2: c.theme.text_width(),
        y2: y,
        width,
        color,
    }
}

/// Set a short full-width text (masthead, headline, deck) flush left at `y`; returns the y
/// below it.
fn set_full_width(
    c: &mut Composer,
    items: &mut Vec<Item>,
    text: &str,
    style: &Style,
    line: u32,
    mut y: f32,
) -> f32 {
    let p = Para::of(text, style, line);
    let lines = c.set(&p, c.theme.text_width(), Align::Left, false);
    items.push(Item::Begin(Mark::Elem(c.current())));
    for l in lines {
        let height = line_box(style, &l);
        let baseline = line_baseline(style, &l, 0.0);
        let mut its = Vec::new();
        draw_line(&mut its, l, &p, 0.0, baseline);
        items.extend(its.into_iter().map(|i| offset(i, 0.0, y)));
        y += height;
    }
    items.push(Item::End);
    y
}
