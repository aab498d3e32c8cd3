//! Units to blocks, with context: masthead, headline, deck, sections, lists, links, address,
//! closing; and the checks that need context (numeral sequences, link targets).
//!
//! Passes over the units, in order: classify each unit by its own text (`classify`), mark the
//! roles at the top (masthead, headline, deck), the address groups and the closing lines, then
//! assemble the body's blocks in reading order (`assemble`).

mod assemble;
mod sections;

use super::detect::{
    ends_like_prose, is_closing_phrase, is_contact_line, is_organisation_line, is_postal_line,
    is_short, is_url_line, link_line, SHORT_LATIN,
};
use super::markers::{list_marker, section_marker, SectionMarker};
use super::masthead::{masthead, name_masthead};
use super::units::Unit;
use crate::config::Config;
use crate::diag::Diagnostic;
use crate::model::{Issue, Masthead, NumeralStyle, TextLine};

/// A deck may run a little longer than a headline; beyond this it is a paragraph.
const DECK_LATIN: usize = 140;
/// Headings are short: a line of up to this many characters with no closing punctuation.
const HEADING_LATIN: usize = 80;
/// Address lines above the postal line: name, organisation, street (UK/US forms have at most 3).
const ADDRESS_LINES_ABOVE: usize = 3;
/// Below an address, an organisation's name takes a line or two (the embassy, then its
/// consulate or office); more such lines are closing lines.
const ORGANISATION_LINES_BELOW: usize = 2;

/// What a unit is by its own text.
#[derive(Debug)]
enum Kind<'a> {
    Section(SectionMarker<'a>),
    Item {
        marker: String,
        numbered: bool,
        text: String,
    },
    Link {
        text: String,
        target: Option<String>,
    },
    Url,
    Postal,
    Contact,
    Plain,
}

/// What a unit is for, as the role passes decide with context.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Role {
    Body,
    Masthead,
    Headline,
    Deck,
    /// Part of the address group that starts at the given unit.
    Address(usize),
    Closing,
}

/// The units with what each is by its own text (`Kind`) and what each is for (`Role`): what
/// the assembly reads.
#[derive(Clone, Copy)]
struct Marked<'a> {
    units: &'a [Unit],
    kinds: &'a [Kind<'a>],
    roles: &'a [Role],
}

/// What a unit's text is, line-level detectors only.
fn classify(text: &str) -> Kind<'_> {
    if is_url_line(text) {
        return Kind::Url;
    }
    if let Some(m) = section_marker(text) {
        return Kind::Section(m);
    }
    if let Some(m) = list_marker(text) {
        return Kind::Item {
            marker: m.marker,
            numbered: m.numbered,
            text: m.rest.to_string(),
        };
    }
    if let Some((text, target)) = link_line(text) {
        return Kind::Link { text, target };
    }
    if is_postal_line(text) {
        return Kind::Postal;
    }
    if is_contact_line(text) {
        return Kind::Contact;
    }
    Kind::Plain
}

/// A single short line with no closing punctuation: the shape of a title or heading.
fn title_shaped(u: &Unit, limit: usize) -> bool {
    u.lines == 1 && is_short(&u.text, limit) && !ends_like_prose(&u.text)
}

/// Assemble the issue (without `meta`, which `parse_issue` fills) from the units.
pub fn build(name: &str, units: &[Unit], config: &Config, diags: &mut Vec<Diagnostic>) -> Issue {
    let mut kinds: Vec<Kind> = units.iter().map(|u| classify(&u.text)).collect();
    resolve_ambiguous_numerals(&mut kinds);
    let mut roles = vec![Role::Body; units.len()];
    let mut issue = Issue::default();
    let start = mark_top(units, &kinds, config, &mut roles, &mut issue);
    let last_address_end = mark_addresses(units, &kinds, &mut roles, start);
    mark_closing(units, &kinds, &mut roles, start, last_address_end);
    let marked = Marked {
        units,
        kinds: &kinds,
        roles: &roles,
    };
    issue.blocks = assemble::assemble(name, marked, start, config, diags);
    issue
}

/// A single-letter numeral other than I (V., X., C. …) counts only when it continues the
/// previous section's numbering; otherwise the line is plain text.
fn resolve_ambiguous_numerals(kinds: &mut [Kind]) {
    let mut prev: Option<(NumeralStyle, u32)> = None;
    for k in kinds.iter_mut() {
        if let Kind::Section(m) = k {
            if m.ambiguous && prev != Some((m.style, m.number.saturating_sub(1))) {
                *k = Kind::Plain;
                continue;
            }
            prev = Some((m.style, m.number));
        }
    }
}

/// The masthead, headline and deck at the top: their roles, and their lines in `issue`.
/// Returns the first unit after them.
fn mark_top(
    units: &[Unit],
    kinds: &[Kind],
    config: &Config,
    roles: &mut [Role],
    issue: &mut Issue,
) -> usize {
    let n = units.len();
    let mut start = 0;
    if let Some(m) = top_masthead(units, kinds, config) {
        issue.masthead = Some(m);
        roles[0] = Role::Masthead;
        start = 1;
    }
    let is_plain = |k: &Kind| matches!(k, Kind::Plain);
    if start + 1 < n && is_plain(&kinds[start]) && title_shaped(&units[start], SHORT_LATIN) {
        issue.headline = Some(text_line(&units[start]));
        roles[start] = Role::Headline;
        start += 1;
        if start + 1 < n && is_plain(&kinds[start]) && title_shaped(&units[start], DECK_LATIN) {
            issue.deck = Some(text_line(&units[start]));
            roles[start] = Role::Deck;
            start += 1;
        }
    }
    start
}

/// The masthead, when the first unit is one.
fn top_masthead(units: &[Unit], kinds: &[Kind], config: &Config) -> Option<Masthead> {
    let n = units.len();
    let (Some(u), Some(Kind::Plain | Kind::Section(_) | Kind::Link { .. })) =
        (units.first(), kinds.first())
    else {
        return None;
    };
    if u.lines != 1 {
        return None;
    }
    // A name with no number ("EMBASSY NEWSLETTER") only when a headline follows.
    let headline_next =
        n > 2 && matches!(kinds.get(1), Some(Kind::Plain)) && title_shaped(&units[1], SHORT_LATIN);
    let m = masthead(&u.text).or_else(|| {
        headline_next
            .then(|| name_masthead(&u.text, config.newsletter.as_deref()))
            .flatten()
    })?;
    Some(Masthead {
        text: u.text.clone(),
        name: m.name,
        number: m.number,
        numeral: m.numeral,
        year: m.year,
        line: u.line,
        numeral_column: m
            .numeral_col
            .map(|c| u32::try_from(c + 1).unwrap_or(u32::MAX)),
    })
}

/// Address groups: a postal line, the short lines above it, contact lines below. Marks their
/// roles from `start` on; returns the end of the last group.
fn mark_addresses(
    units: &[Unit],
    kinds: &[Kind],
    roles: &mut [Role],
    start: usize,
) -> Option<usize> {
    let n = units.len();
    let mut last_address_end = None;
    let mut i = start;
    while i < n {
        if !matches!(kinds[i], Kind::Postal) || roles[i] != Role::Body {
            i += 1;
            continue;
        }
        let mut first = i;
        while first > start
            && i - (first - 1) <= ADDRESS_LINES_ABOVE
            && roles[first - 1] == Role::Body
            && matches!(kinds[first - 1], Kind::Plain)
            && title_shaped(&units[first - 1], HEADING_LATIN)
        {
            first -= 1;
        }
        let end = address_end(units, kinds, i);
        for r in &mut roles[first..end] {
            *r = Role::Address(first);
        }
        last_address_end = Some(end);
        i = end;
    }
    last_address_end
}

/// The end of the address whose postal line is unit `postal`: more postal and contact lines,
/// and the organisation's name when it is written after the address ("〒106-0046 /
/// 東京都港区… / 中華人民共和国駐日本国大使館").
fn address_end(units: &[Unit], kinds: &[Kind], postal: usize) -> usize {
    let n = units.len();
    let mut end = postal + 1;
    let mut orgs_below = 0;
    while end < n {
        let org = matches!(kinds[end], Kind::Plain)
            && orgs_below < ORGANISATION_LINES_BELOW
            && units[end].lines == 1
            && is_organisation_line(&units[end].text)
            && !is_closing_phrase(&units[end].text);
        if !(org || matches!(kinds[end], Kind::Postal | Kind::Contact)) {
            break;
        }
        orgs_below += usize::from(org);
        end += 1;
    }
    end
}

/// Closing: the short lines after the last address, or closing phrases at the very end.
fn mark_closing(
    units: &[Unit],
    kinds: &[Kind],
    roles: &mut [Role],
    start: usize,
    last_address_end: Option<usize>,
) {
    let n = units.len();
    let closing_shape = |j: usize| {
        roles[j] == Role::Body
            && matches!(kinds[j], Kind::Plain)
            && units[j].lines == 1
            && is_short(&units[j].text, SHORT_LATIN)
    };
    let mut c = n;
    match last_address_end {
        Some(end) => {
            while c > end && closing_shape(c - 1) {
                c -= 1;
            }
        }
        None => {
            while c > start && closing_shape(c - 1) && is_closing_phrase(&units[c - 1].text) {
                c -= 1;
            }
        }
    }
    for r in &mut roles[c..n] {
        *r = Role::Closing;
    }
}

/// The unit's text with its line.
fn text_line(u: &Unit) -> TextLine {
    TextLine {
        text: u.text.clone(),
        line: u.line,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Block;

    pub(super) fn built(text: &str) -> Issue {
        let units = crate::parse::units::split(text, 1, None);
        build("t.txt", &units, &Config::default(), &mut Vec::new())
    }

    #[test]
    fn build_name_only_masthead_needs_a_headline_after_it() {
        let issue =
            built("EMBASSY NEWSLETTER\n\nChina Releases First Strategy\n\nSome text. More.");
        let m = issue.masthead.expect("masthead");
        assert_eq!(
            (m.name.as_str(), m.number, m.year),
            ("EMBASSY NEWSLETTER", None, None)
        );
        assert_eq!(
            issue.headline.map(|h| h.text).as_deref(),
            Some("China Releases First Strategy")
        );
        // With only prose after it, the line is the headline, not a masthead.
        let issue = built("EMBASSY NEWSLETTER\n\nSome text. More.");
        assert!(issue.masthead.is_none());
        assert_eq!(
            issue.headline.map(|h| h.text).as_deref(),
            Some("EMBASSY NEWSLETTER")
        );
        // A title that names no newsletter stays the headline, the next line its deck.
        let issue = built("Good News for Farmers\n\nA new fund opens in May\n\nSome text. More.");
        assert!(issue.masthead.is_none());
        assert_eq!(
            issue.deck.map(|h| h.text).as_deref(),
            Some("A new fund opens in May")
        );
        // The configured name is a masthead whatever its words.
        let config = Config {
            newsletter: Some("The Embassy Letter".to_string()),
            ..Config::default()
        };
        let units =
            crate::parse::units::split("The Embassy Letter\n\nA Title\n\nText. More.", 1, None);
        let issue = build("t.txt", &units, &config, &mut Vec::new());
        assert_eq!(
            issue.masthead.map(|m| m.name).as_deref(),
            Some("The Embassy Letter")
        );
    }

    #[test]
    fn build_organisation_line_after_the_address_joins_it() {
        let issue = built(
            "Intro text.\n\n서울특별시 중구 명동2길 27\n\n주한 중국대사관\n\n의견을 보내 주십시오.",
        );
        let lines: Vec<Vec<&str>> = issue
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Address { lines, .. } | Block::Closing { lines, .. } => {
                    Some(lines.iter().map(|l| l.text.as_str()).collect())
                }
                _ => None,
            })
            .collect();
        assert_eq!(
            lines,
            [
                vec!["서울특별시 중구 명동2길 27", "주한 중국대사관"],
                vec!["의견을 보내 주십시오."]
            ]
        );
        // A line that is no organisation's name stays a closing line.
        let issue = built("Intro text.\n\n서울특별시 중구 명동2길 27\n\n편집부 드림");
        assert!(matches!(
            issue.blocks.last(),
            Some(Block::Closing { lines, .. }) if lines[0].text == "편집부 드림"
        ));
    }
}
