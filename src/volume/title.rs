//! The volume's title page: the newsletter's name, the year, how many issues, the publisher.

use super::blank;
use crate::compose::{place_lines, MarginSetter};
use crate::inline::Align;
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
    cjk: bool,
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
    let l = setter.set(&year.to_string(), &theme.headline, w, Align::Center);
    y = place(&mut page, &l, &theme.headline, x, y + gap);
    let l = setter.set(
        &issue_count(metas.len(), cjk),
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

/// "3 issues", "共 3 期".
fn issue_count(n: usize, cjk: bool) -> String {
    if cjk {
        format!("共 {n} 期")
    } else if n == 1 {
        "1 issue".to_string()
    } else {
        format!("{n} issues")
    }
}
