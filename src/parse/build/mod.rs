//! Units to blocks, with context: masthead, headline, deck, sections, lists, links, address,
//! closing; and the checks that need context (numeral sequences, link targets).
//!
//! Passes over the units, in order: classify each unit by its own text (`classify`), mark the
//! roles at the top (masthead, headline, deck), the address groups and the closing lines, then
//! assemble the body's blocks in reading order (`assemble`).

mod assemble;
mod sections;

use super::detect::{
    ends_like_prose, is_closing_phrase, is_contact_line, is_four_digit_postcode_town,
    is_organisation_line, is_postal_line, is_short, is_street_line, is_town_postcode, is_url_line,
    is_valediction, link_line, SHORT_LATIN,
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

/// A valediction starts the closing when at most this many short lines end the issue with it
/// (the valediction, a name, a title, an office).
const CLOSING_LINES_AFTER_VALEDICTION: usize = 4;

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
    promote_address_lines(units, &mut kinds);
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

/// Street lines ("45 Riverside Avenue"), towns with their code after them ("Wellington
/// 6011") and after a four-digit one ("1010 Wien") are address lines only beside another
/// address line — a postal or contact line, or each other: alone, they have the shape of a
/// heading ("Vision 2030", "2017 Berlin").
fn promote_address_lines(units: &[Unit], kinds: &mut [Kind]) {
    let candidate: Vec<bool> = units
        .iter()
        .zip(kinds.iter())
        .map(|(u, k)| {
            matches!(k, Kind::Plain)
                && u.lines == 1
                && (is_street_line(&u.text)
                    || is_town_postcode(&u.text)
                    || is_four_digit_postcode_town(&u.text))
        })
        .collect();
    let anchors = |k: &Kind| matches!(k, Kind::Postal | Kind::Contact);
    let promote: Vec<bool> = (0..units.len())
        .map(|i| {
            candidate[i]
                && [i.checked_sub(1), Some(i + 1)]
                    .into_iter()
                    .flatten()
                    .filter(|&j| j < units.len())
                    .any(|j| candidate[j] || anchors(&kinds[j]))
        })
        .collect();
    for (k, p) in kinds.iter_mut().zip(promote) {
        if p {
            *k = Kind::Postal;
        }
    }
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
///
/// At the end of the issue, a run of two or more contact lines under a line or two quire
/// cannot read as postal ("Embassy of the United States in Armenia" / "1 American Avenue 0082
/// Yerevan, Armenia" / "Telephone: …" / "Fax: …") anchors a group too: nothing but short
/// closing lines may follow it. Contact lines in the middle of the text (an event's
/// telephone and e-mail) stay where they are, and the issue's configured address, printed
/// when the text has none, is not displaced by them.
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
        let contact_run =
            matches!(kinds[i], Kind::Contact) && i + 1 < n && matches!(kinds[i + 1], Kind::Contact);
        if !(matches!(kinds[i], Kind::Postal) || contact_run) || roles[i] != Role::Body {
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
        let only_closing_after = || {
            units[end..].iter().zip(&kinds[end..]).all(|(u, k)| {
                matches!(k, Kind::Plain) && u.lines == 1 && is_short(&u.text, SHORT_LATIN)
            })
        };
        if matches!(kinds[i], Kind::Contact) && (first == i || !only_closing_after()) {
            i += 1;
            continue;
        }
        for r in &mut roles[first..end] {
            *r = Role::Address(first);
        }
        last_address_end = Some(end);
        i = end;
    }
    last_address_end
}

/// The end of the address whose postal (or first contact) line is unit `postal`: more postal
/// and contact lines, and the organisation's name when it is written after the address
/// ("〒106-0046 / 東京都港区… / 中華人民共和国駐日本国大使館").
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
            // A valediction among the last short lines starts the closing, with the
            // signature lines after it ("With best regards," / "The Trade Section").
            let mut j = c;
            while j > start && c - j < CLOSING_LINES_AFTER_VALEDICTION && closing_shape(j - 1) {
                j -= 1;
                if is_valediction(&units[j].text) {
                    c = j;
                }
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

    /// The lines of the issue's address and closing blocks.
    fn address_and_closing(issue: &Issue) -> (Vec<&str>, Vec<&str>) {
        let (mut address, mut closing) = (Vec::new(), Vec::new());
        for b in &issue.blocks {
            match b {
                Block::Address { lines, .. } => {
                    address.extend(lines.iter().map(|l| l.text.as_str()))
                }
                Block::Closing { lines, .. } => {
                    closing.extend(lines.iter().map(|l| l.text.as_str()))
                }
                _ => {}
            }
        }
        (address, closing)
    }

    #[test]
    fn build_street_and_town_lines_make_an_address_with_the_contact_lines() {
        let issue = built(
            "Intro text. More.\n\nTrade Section\n45 Riverside Avenue\nWellington 6011\n\
             Telephone: +64 4 555 0199\nEmail: trade@example.org\n\n\
             With best regards,\nThe Trade Section",
        );
        assert_eq!(
            address_and_closing(&issue),
            (
                vec![
                    "Trade Section",
                    "45 Riverside Avenue",
                    "Wellington 6011",
                    "Telephone: +64 4 555 0199",
                    "Email: trade@example.org"
                ],
                vec!["With best regards,", "The Trade Section"]
            )
        );
        // A street line with its floor, next to a contact line, anchors the address too.
        let issue = built(
            "Intro text. More.\n\nConsulate General\n12 Harbour Road, Second Floor\n\
             Telephone: +44 20 7946 0000\n\nWith best wishes for the season,\nThe Consular Section",
        );
        assert_eq!(
            address_and_closing(&issue),
            (
                vec![
                    "Consulate General",
                    "12 Harbour Road, Second Floor",
                    "Telephone: +44 20 7946 0000"
                ],
                vec!["With best wishes for the season,", "The Consular Section"]
            )
        );
        // A town after a four-digit postcode (Austria, Switzerland …), on the street's line
        // or under it, with one contact line.
        for street in [
            "12 Main Street, 1010 Vienna",
            "12 Main Street\n1010 Vienna",
            "Bundesplatz 3, 3003 Bern",
        ] {
            let issue = built(&format!(
                "Intro text. More.\n\nEmbassy of the Republic\n{street}\nTelephone: +43 1 234 5678"
            ));
            let mut lines = vec!["Embassy of the Republic"];
            lines.extend(street.split('\n'));
            lines.push("Telephone: +43 1 234 5678");
            assert_eq!(address_and_closing(&issue), (lines, vec![]), "{street}");
        }
        // Each on its own is a heading's shape, and stays a heading.
        for alone in ["Vision 2030", "10 Downing Street", "2017 Berlin"] {
            let issue = built(&format!("Intro text. More.\n\n{alone}\n\nMore text. Here."));
            assert_eq!(address_and_closing(&issue), (vec![], vec![]), "{alone}");
            assert!(
                issue
                    .blocks
                    .iter()
                    .any(|b| matches!(b, Block::Heading { text, .. } if text == alone)),
                "{alone}: {:?}",
                issue.blocks
            );
        }
    }

    #[test]
    fn build_contact_lines_anchor_an_address_with_no_postal_line() {
        // "1 American Avenue 0082 Yerevan, Armenia" has no postal shape quire knows; the
        // contact lines under it make the group an address all the same.
        let issue = built(
            "Intro text. More.\n\nWe thank all applicants.\n\n\
             Embassy of the United States in Armenia\n1 American Avenue 0082 Yerevan, Armenia\n\
             Telephone: (+37410) 464-700\nFax: (+37410) 464-742\nEmail: info@example.org\n\n\
             Kind regards,\nThe Consular Section",
        );
        assert_eq!(
            address_and_closing(&issue),
            (
                vec![
                    "Embassy of the United States in Armenia",
                    "1 American Avenue 0082 Yerevan, Armenia",
                    "Telephone: (+37410) 464-700",
                    "Fax: (+37410) 464-742",
                    "Email: info@example.org"
                ],
                vec!["Kind regards,", "The Consular Section"]
            )
        );
        // The paragraph above (a sentence) stays a paragraph.
        assert!(issue.blocks.iter().any(
            |b| matches!(b, Block::Paragraph { text, .. } if text == "We thank all applicants.")
        ));
        // One contact line alone in the text anchors nothing; nor do contact lines in the
        // middle of the text, nor contact lines with no line above them.
        for text in [
            "Intro text. More.\n\nTel: 123 456\n\nMore text. Here.",
            "Intro text. More.\n\nConsular Hotline\nTel: 123 456\nEmail: a@example.org\n\n\
             More text follows here, a paragraph of its own that runs on for a while longer \
             than any closing line would. Here it ends.",
            "I. First. Text.\n\nConsular Hotline\nTel: 123 456\nEmail: a@example.org\n\n\
             II. Second. More text.",
            "Intro text. More.\n\nWrite to us.\n\nTel: 123 456\nEmail: a@example.org",
        ] {
            let issue = built(text);
            assert_eq!(address_and_closing(&issue).0, Vec::<&str>::new(), "{text}");
        }
    }

    #[test]
    fn build_valediction_starts_the_closing_without_an_address() {
        let issue = built(
            "Intro text. More.\n\nThe forum ends on Friday. Thank you all.\n\n\
             Yours sincerely,\nJane Doe\nHead of the Trade Section",
        );
        assert_eq!(
            address_and_closing(&issue),
            (
                vec![],
                vec!["Yours sincerely,", "Jane Doe", "Head of the Trade Section"]
            )
        );
        // A signature too long to be the closing (more than four lines) stays in the body.
        let issue = built("Intro text. More.\n\nKind regards,\nA\nB\nC\nD\nE");
        assert!(address_and_closing(&issue).1.is_empty());
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
