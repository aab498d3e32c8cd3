//! The volume's title page: the newsletter's name, the year, how many issues ("3 issues",
//! "3 numéros", "共 3 期": `crate::l10n`), the publisher.

use super::blank;
use crate::compose::{place_lines, MarginSetter};
use crate::inline::Align;
use crate::l10n::L10n;
use crate::layout::{Item, Mark, Page, Role, Structure};
use crate::model::Issue;
use crate::theme::measure;

/// The title page, its lines centred from a third down the text area.
pub(super) fn title_page(
    setter: &mut MarginSetter,
    structure: &mut Structure,
    newsletter: &str,
    year: i32,
    metas: &[Issue],
    words: &L10n,
) -> Page {
    let theme = setter.theme();
    let mut page = blank(theme);
    // Tagged: a group of paragraphs under the volume's root.
    let group = structure.add(Role::Div, 0);
    let mut place = |page: &mut Page, l: &[crate::inline::Line], style, x, y| {
        let p = structure.add(Role::P, group);
        page.items.push(Item::Begin(Mark::Elem(p)));
        let y = place_lines(page, l, style, x, y);
        page.items.push(Item::End);
        y
    };
    let w = theme.text_width();
    let x = theme.margin_left;
    let gap = theme.body.line_height() * measure::TITLE_GAP;
    let mut y = theme.margin_top + theme.text_height() * measure::TITLE_DROP;
    if !newsletter.is_empty() {
        let l = setter.set(newsletter, &theme.masthead, w, Align::Center);
        y = place(&mut page, &l, &theme.masthead, x, y);
    }
    let l = setter.set(&words.number(year), &theme.headline, w, Align::Center);
    y = place(&mut page, &l, &theme.headline, x, y + gap);
    let l = setter.set(
        &words.issue_count(metas.len()),
        &theme.deck,
        w,
        Align::Center,
    );
    y = place(&mut page, &l, &theme.deck, x, y + gap);
    if let Some(p) = metas.iter().find_map(|m| m.meta.publisher.clone()) {
        let l = setter.set(&p, &theme.body, w, Align::Center);
        let publisher_gap = theme.body.line_height() * measure::PUBLISHER_GAP;
        place(&mut page, &l, &theme.body, x, y + publisher_gap);
    }
    page
}
