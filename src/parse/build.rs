//! Units to blocks, with context: masthead, headline, deck, sections, lists, links, address,
//! closing; and the checks that need context (numeral sequences, link targets).

use super::detect::{
    ends_like_prose, is_closing_phrase, is_contact_line, is_organisation_line, is_postal_line,
    is_short, is_url, link_line, list_marker, masthead, mostly_cjk, name_masthead, section_marker,
    SectionMarker, SHORT_LATIN,
};
use super::numeral::to_roman;
use super::units::Unit;
use crate::config::Config;
use crate::diag::Diagnostic;
use crate::model::{Block, Issue, ListItem, ListKind, Masthead, NumeralStyle, Section, TextLine};

/// A deck may run a little longer than a headline; beyond this it is a paragraph.
const DECK_LATIN: usize = 140;
/// Headings are short: a line of up to this many characters with no closing punctuation.
const HEADING_LATIN: usize = 80;
/// Address lines above the postal line: name, organisation, street (UK/US forms have at most 3).
const ADDRESS_LINES_ABOVE: usize = 3;
/// Below an address, an organisation's name takes a line or two (the embassy, then its
/// consulate or office); more such lines are closing lines.
const ORGANISATION_LINES_BELOW: usize = 2;
/// A run-in section title is a few words ("Shared Governance"), not a sentence.
const RUN_IN_TITLE_WORDS: usize = 8;
/// Run-in titles in CJK text are short phrases ("坚持和平原则").
const RUN_IN_TITLE_CJK: usize = 20;
/// Korean separates words with spaces: a run-in title is a phrase of a few of them.
const RUN_IN_TITLE_CJK_WORDS: usize = 6;
/// An implicit list item is one or two sentences; a longer paragraph ends the list.
const ITEM_MAX_SENTENCES: usize = 2;
/// Implicit list items are of a size: a paragraph more than this many times the longest item
/// so far (and with more sentences) is not one of them.
const ITEM_LENGTH_RATIO: usize = 2;

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

fn classify(text: &str) -> Kind<'_> {
    if is_url(text) {
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
    let n = units.len();
    let mut kinds: Vec<Kind> = units.iter().map(|u| classify(&u.text)).collect();
    resolve_ambiguous_numerals(&mut kinds);
    let mut roles = vec![Role::Body; n];
    let mut issue = Issue::default();

    // Masthead, headline, deck at the top.
    let mut start = 0;
    if let (Some(u), Some(Kind::Plain | Kind::Section(_) | Kind::Link { .. })) =
        (units.first(), kinds.first())
    {
        // A name with no number ("EMBASSY NEWSLETTER") only when a headline follows.
        let headline_next = n > 2
            && matches!(kinds.get(1), Some(Kind::Plain))
            && title_shaped(&units[1], SHORT_LATIN);
        if u.lines == 1 {
            let found = masthead(&u.text).or_else(|| {
                headline_next
                    .then(|| name_masthead(&u.text, config.newsletter.as_deref()))
                    .flatten()
            });
            if let Some(m) = found {
                issue.masthead = Some(Masthead {
                    text: u.text.clone(),
                    name: m.name,
                    number: m.number,
                    numeral: m.numeral,
                    year: m.year,
                    line: u.line,
                    numeral_column: m
                        .numeral_col
                        .map(|c| u32::try_from(c + 1).unwrap_or(u32::MAX)),
                });
                roles[0] = Role::Masthead;
                start = 1;
            }
        }
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

    // Address groups: a postal line, the short lines above it, contact lines below.
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
            && is_plain(&kinds[first - 1])
            && title_shaped(&units[first - 1], HEADING_LATIN)
        {
            first -= 1;
        }
        // Below: more postal and contact lines, and the organisation's name when it is
        // written after the address ("〒106-0046 / 東京都港区… / 中華人民共和国駐日本国大使館").
        let mut end = i + 1;
        let mut orgs_below = 0;
        while end < n {
            let org = is_plain(&kinds[end])
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
        for r in &mut roles[first..end] {
            *r = Role::Address(first);
        }
        last_address_end = Some(end);
        i = end;
    }

    // Closing: the short lines after the last address, or closing phrases at the very end.
    let closing_shape = |j: usize| {
        roles[j] == Role::Body
            && is_plain(&kinds[j])
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

    // The body, in reading order.
    let links = config.links.as_deref().unwrap_or(&[]);
    let mut next_link = 0usize;
    let mut link_lines = 0usize;
    let mut i = start;
    while i < n {
        let u = &units[i];
        match roles[i] {
            Role::Address(first) => {
                let mut lines = Vec::new();
                while i < n && roles[i] == Role::Address(first) {
                    lines.push(text_line(&units[i]));
                    i += 1;
                }
                issue.blocks.push(Block::Address {
                    lines,
                    line: units[first].line,
                });
                continue;
            }
            Role::Closing => {
                if !issue
                    .blocks
                    .iter()
                    .any(|b| matches!(b, Block::Address { .. }))
                {
                    push_config_address(&mut issue, config);
                }
                let lines = units[i..].iter().map(text_line).collect();
                issue.blocks.push(Block::Closing {
                    lines,
                    line: u.line,
                });
                break;
            }
            Role::Masthead | Role::Headline | Role::Deck => {
                i += 1;
                continue;
            }
            Role::Body => {}
        }
        match &kinds[i] {
            Kind::Section(_) => {
                i = sections(name, units, &kinds, &roles, i, &mut issue.blocks, diags);
            }
            Kind::Item { numbered, .. } => {
                let numbered = *numbered;
                let mut items = Vec::new();
                while i < n && roles[i] == Role::Body {
                    match &kinds[i] {
                        Kind::Item {
                            marker,
                            numbered: nb,
                            text,
                        } if *nb == numbered => {
                            items.push(ListItem {
                                marker: Some(marker.clone()),
                                text: text.clone(),
                                line: units[i].line,
                            });
                            i += 1;
                        }
                        _ => break,
                    }
                }
                let kind = if numbered {
                    ListKind::Numbered
                } else {
                    ListKind::Bullet
                };
                issue.blocks.push(Block::List {
                    kind,
                    items,
                    line: u.line,
                });
            }
            Kind::Link { text, target } => {
                link_lines += 1;
                let mut target = target.clone();
                if target.is_none()
                    && i + 1 < n
                    && matches!(kinds[i + 1], Kind::Url)
                    && roles[i + 1] == Role::Body
                {
                    target = Some(units[i + 1].text.clone());
                    i += 1;
                }
                if target.is_none() {
                    target = links.get(next_link).map(|l| l.0.clone());
                    next_link += 1;
                }
                if target.is_none() {
                    diags.push(
                        Diagnostic::warning(name, u.line, u.column, format!("link line \"{}\" has no target", text))
                            .with_hint(format!(
                                "add its URL as item {} of `links:` in the front matter or quire.yaml (one URL per \"here:\" line, in order), or put the URL on the next line",
                                next_link
                            )),
                    );
                }
                issue.blocks.push(Block::Link {
                    text: text.clone(),
                    target,
                    line: u.line,
                });
                i += 1;
            }
            Kind::Plain | Kind::Url | Kind::Postal | Kind::Contact => {
                i = plain(units, &kinds, &roles, i, &mut issue.blocks);
            }
        }
    }
    if !issue
        .blocks
        .iter()
        .any(|b| matches!(b, Block::Address { .. }))
    {
        push_config_address(&mut issue, config);
    }
    if links.len() > next_link {
        diags.push(
            Diagnostic::warning(
                name,
                0,
                0,
                format!(
                    "{} link(s) given in `links:` but the text has {} link line(s) that need one",
                    links.len(),
                    next_link
                ),
            )
            .with_hint(format!(
                "{link_lines} \"here:\" line(s) found; remove the extra links or check the text"
            )),
        );
    }
    issue
}

/// The address from quire.yaml or front matter, when the text has none (line 0: not in text).
fn push_config_address(issue: &mut Issue, config: &Config) {
    if let Some(lines) = config.address.as_ref().filter(|l| !l.is_empty()) {
        let lines = lines
            .iter()
            .map(|t| TextLine {
                text: t.clone(),
                line: 0,
            })
            .collect();
        issue.blocks.push(Block::Address { lines, line: 0 });
    }
}

fn text_line(u: &Unit) -> TextLine {
    TextLine {
        text: u.text.clone(),
        line: u.line,
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

/// Split a section line's text into (title, run-in, body).
fn split_title(rest: &str) -> (Option<String>, bool, Option<String>) {
    let rest = rest.trim();
    if rest.is_empty() {
        return (None, false, None);
    }
    if mostly_cjk(rest) {
        // The first stop: 。 ． ： anywhere, or a Latin '.'/':' before a space (Korean
        // "경제 협력. 중국은 …"; "2.5" is not a stop).
        let stop = rest.char_indices().find(|&(p, c)| {
            matches!(c, '。' | '．' | '：')
                || (matches!(c, '.' | ':') && rest[p + 1..].starts_with(char::is_whitespace))
        });
        if let Some((p, c)) = stop {
            let title = rest[..p].trim_end();
            let body = rest[p + c.len_utf8()..].trim();
            let phrase = !title.contains(['，', ',', '；', ';'])
                && title.chars().count() <= RUN_IN_TITLE_CJK
                && title.split_whitespace().count() <= RUN_IN_TITLE_CJK_WORDS;
            if !body.is_empty() && !title.is_empty() && phrase {
                return (Some(title.to_string()), true, Some(body.to_string()));
            }
        }
        if is_short(rest, SHORT_LATIN) {
            return (
                Some(rest.trim_end_matches(['。', '：', ':']).to_string()),
                false,
                None,
            );
        }
        return (None, false, Some(rest.to_string()));
    }
    for (p, _) in rest.match_indices(['.', ':']) {
        let after = &rest[p + 1..];
        if !after.starts_with(' ') {
            continue;
        }
        let title = &rest[..p];
        let last_word = title.rsplit(' ').next().unwrap_or("");
        let initial = last_word.chars().count() == 1 && !matches!(last_word, "I" | "V" | "X");
        if last_word.contains('.') || initial {
            continue; // "U.S. Relations", "John F. Kennedy": an abbreviation, not the title's end
        }
        let words = title.split_whitespace().count();
        if words == 0 || words > RUN_IN_TITLE_WORDS || after.trim().is_empty() {
            break;
        }
        return (
            Some(title.to_string()),
            true,
            Some(after.trim().to_string()),
        );
    }
    if is_short(rest, HEADING_LATIN)
        && rest.split_whitespace().count() <= RUN_IN_TITLE_WORDS * 2
        && !rest.ends_with(',')
    {
        return (
            Some(rest.trim_end_matches(['.', ':']).to_string()),
            false,
            None,
        );
    }
    (None, false, Some(rest.to_string()))
}

/// Read a run of numbered sections from `i`; returns the index after it.
fn sections(
    name: &str,
    units: &[Unit],
    kinds: &[Kind],
    roles: &[Role],
    mut i: usize,
    blocks: &mut Vec<Block>,
    diags: &mut Vec<Diagnostic>,
) -> usize {
    let n = units.len();
    let first_line = units[i].line;
    let mut out: Vec<Section> = Vec::new();
    let mut style = None;
    // True while every section so far has a title on its own line with its body written
    // right under it, no blank line inside ("Ⅰ．青少年交流" / "未来を担う…").
    let mut glued = true;
    while i < n && roles[i] == Role::Body {
        let Kind::Section(m) = &kinds[i] else { break };
        if style.is_some_and(|s| s != m.style) || (m.number == 1 && !out.is_empty()) {
            break; // another style, or a new numbering from 1: a new run
        }
        style = Some(m.style);
        if let Some(prev) = out.last() {
            check_sequence(name, prev, m, &units[i], diags);
        }
        let (title, run_in, body) = split_title(m.rest);
        let own_line_title = title.is_some() && !run_in;
        let mut section = Section {
            numeral: m.numeral.clone(),
            number: m.number,
            style: m.style,
            title,
            run_in,
            body: body.into_iter().collect(),
            line: units[i].line,
        };
        i += 1;
        let mut j = i;
        while j < n && roles[j] == Role::Body && matches!(kinds[j], Kind::Plain) {
            j += 1;
        }
        let continues = j < n
            && roles[j] == Role::Body
            && matches!(&kinds[j], Kind::Section(next) if Some(next.style) == style && next.number != 1);
        // In a run whose sections all hold their body right under the title, the paragraphs
        // after a blank line that follow the last section are the issue's text again.
        if own_line_title && !continues && glued && !out.is_empty() {
            j = (i..j).find(|&k| units[k].blank_before > 0).unwrap_or(j);
        }
        if own_line_title || continues {
            glued =
                glued && own_line_title && i < j && units[i..j].iter().all(|u| u.blank_before == 0);
            section
                .body
                .extend(units[i..j].iter().map(|u| u.text.clone()));
            i = j;
        } else {
            glued = false;
        }
        out.push(section);
    }
    blocks.push(Block::Sections {
        sections: out,
        line: first_line,
    });
    i
}

fn check_sequence(
    name: &str,
    prev: &Section,
    m: &SectionMarker,
    u: &Unit,
    diags: &mut Vec<Diagnostic>,
) {
    let expected = prev.number.saturating_add(1);
    if m.number == expected {
        return;
    }
    let spell = |v: u32| match m.style {
        NumeralStyle::Roman | NumeralStyle::UnicodeRoman => {
            to_roman(v).unwrap_or_else(|| v.to_string())
        }
        _ => v.to_string(),
    };
    let what = match m.style {
        NumeralStyle::Roman | NumeralStyle::UnicodeRoman => "Roman numeral",
        _ => "section number",
    };
    let message = if m.number == prev.number {
        format!(
            "{what} {} repeats the previous section's number (line {})",
            m.numeral, prev.line
        )
    } else {
        format!(
            "{what} sequence skips: {} (line {}) is followed by {}, expected {}",
            prev.numeral,
            prev.line,
            m.numeral,
            spell(expected)
        )
    };
    diags.push(
        Diagnostic::warning(name, u.line, u.column, message)
            .with_hint("renumber the sections, or add the missing one"),
    );
}

/// Count sentence ends (". ", "! ", "? ", "。" …) in a paragraph.
fn sentences(text: &str) -> usize {
    let chars: Vec<char> = text.chars().collect();
    let mut count = 0;
    for (k, c) in chars.iter().enumerate() {
        let next = chars.get(k + 1);
        let end = match c {
            '。' | '！' | '？' => true,
            '.' | '!' | '?' => next.is_none_or(|n| n.is_whitespace()),
            _ => false,
        };
        if end {
            count += 1;
        }
    }
    count.max(1)
}

/// A plain unit: a paragraph, a heading, or a lead-in with the implicit list after it.
fn plain(
    units: &[Unit],
    kinds: &[Kind],
    roles: &[Role],
    i: usize,
    blocks: &mut Vec<Block>,
) -> usize {
    let n = units.len();
    let u = &units[i];
    let is_plain_body = |j: usize| roles[j] == Role::Body && matches!(kinds[j], Kind::Plain);
    if u.text.ends_with([':', '：']) {
        let mut j = i + 1;
        // The longest item so far, in characters and in sentences.
        let (mut most_chars, mut most_sentences) = (0usize, 0usize);
        while j < n
            && is_plain_body(j)
            && !units[j].text.ends_with([':', '：'])
            && sentences(&units[j].text) <= ITEM_MAX_SENTENCES
        {
            let chars = units[j].text.chars().count();
            let count = sentences(&units[j].text);
            // Items of a list are alike: after two, a paragraph with more sentences than any
            // of them and far longer than all of them is the text going on.
            if j - i > 2
                && count > most_sentences
                && chars > most_chars.saturating_mul(ITEM_LENGTH_RATIO)
            {
                break;
            }
            most_chars = most_chars.max(chars);
            most_sentences = most_sentences.max(count);
            j += 1;
        }
        // One item is not a list; the lead-in then stays a paragraph before a paragraph.
        if j - i > 2 {
            blocks.push(Block::Paragraph {
                text: u.text.clone(),
                line: u.line,
            });
            let items = units[i + 1..j]
                .iter()
                .map(|v| ListItem {
                    marker: None,
                    text: v.text.clone(),
                    line: v.line,
                })
                .collect();
            blocks.push(Block::List {
                kind: ListKind::Implicit,
                items,
                line: units[i + 1].line,
            });
            return j;
        }
    }
    let next_is_text = i + 1 < n
        && roles[i + 1] == Role::Body
        && matches!(
            kinds[i + 1],
            Kind::Plain | Kind::Section(_) | Kind::Item { .. }
        );
    if matches!(kinds[i], Kind::Plain)
        && title_shaped(u, HEADING_LATIN)
        && next_is_text
        && !u.text.ends_with(['?', '!', '？', '！'])
    {
        blocks.push(Block::Heading {
            text: u.text.clone(),
            line: u.line,
        });
    } else {
        blocks.push(Block::Paragraph {
            text: u.text.clone(),
            line: u.line,
        });
    }
    i + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn build_split_title_run_in_and_own_line() {
        assert_eq!(
            split_title("Peace. The international community should observe."),
            (
                Some("Peace".into()),
                true,
                Some("The international community should observe.".into())
            )
        );
        assert_eq!(
            split_title("U.S. Relations. Body text here."),
            (
                Some("U.S. Relations".into()),
                true,
                Some("Body text here.".into())
            )
        );
        assert_eq!(
            split_title("Point V. Body."),
            (Some("Point V".into()), true, Some("Body.".into()))
        );
        assert_eq!(
            split_title("John F. Kennedy Visit. Body."),
            (
                Some("John F. Kennedy Visit".into()),
                true,
                Some("Body.".into())
            )
        );
        assert_eq!(
            split_title("Shared Governance"),
            (Some("Shared Governance".into()), false, None)
        );
        assert_eq!(
            split_title("坚持和平原则。国际社会应当遵守联合国宪章。"),
            (
                Some("坚持和平原则".into()),
                true,
                Some("国际社会应当遵守联合国宪章。".into())
            )
        );
        assert_eq!(
            split_title("경제 협력. 중국은 한국의 최대 교역 상대국입니다."),
            (
                Some("경제 협력".into()),
                true,
                Some("중국은 한국의 최대 교역 상대국입니다.".into())
            )
        );
        assert_eq!(
            split_title("開放協力．国際社会は協力すべきです。"),
            (
                Some("開放協力".into()),
                true,
                Some("国際社会は協力すべきです。".into())
            )
        );
        // A clause (comma) or a long sentence before the stop is body text, not a title.
        let clause = "올해는 한국과 중국이 외교 관계를 수립한 지, 25주년이 되는 해입니다. 양국은 여러 분야에서 발전을 이루어 왔습니다.";
        assert_eq!(split_title(clause), (None, false, Some(clause.into())));
        let sentence = "한국과 중국은 경제 문화 교육 등 여러 분야에서 협력해 왔습니다. 앞으로도 양국은 협력을 계속 넓혀 갈 것입니다.";
        assert_eq!(split_title(sentence), (None, false, Some(sentence.into())));
        assert_eq!(
            split_title("성장률 2.5 퍼센트 달성"),
            (Some("성장률 2.5 퍼센트 달성".into()), false, None)
        );
        let long = "The international community should promote greater openness and cooperation in cyberspace, in order to ensure that people across the world can share";
        assert_eq!(split_title(long), (None, false, Some(long.into())));
    }

    fn built(text: &str) -> Issue {
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
    fn build_glued_sections_end_at_the_blank_line() {
        let issue = built(
            "Intro text.\n\nI. Peace\nBody one.\n\nII. Trade\nBody two.\n\nThe closing paragraph of the issue text.",
        );
        let Some(Block::Sections { sections, .. }) = issue.blocks.get(1) else {
            panic!("sections: {:?}", issue.blocks);
        };
        assert_eq!(sections[1].body, ["Body two."]);
        assert!(matches!(
            issue.blocks.get(2),
            Some(Block::Paragraph { text, .. }) if text == "The closing paragraph of the issue text."
        ));
        // A single section is no layout to judge by: its paragraphs stay its body.
        let issue = built("Intro text.\n\nI. Peace\nBody one.\n\nMore of section one.");
        let Some(Block::Sections { sections, .. }) = issue.blocks.get(1) else {
            panic!("sections: {:?}", issue.blocks);
        };
        assert_eq!(sections[0].body, ["Body one.", "More of section one."]);
    }

    #[test]
    fn build_implicit_list_ends_at_a_paragraph_unlike_its_items() {
        let issue = built(
            "Intro text.\n\nThe embassy offers:\n\nBriefings for journalists.\n\nLectures at universities.\n\nVisa help for delegations.\n\nThe plan was presented on Monday by officials of the commission and several ministries. It will be reviewed every year.",
        );
        let items = issue.blocks.iter().find_map(|b| match b {
            Block::List { items, .. } => Some(items.len()),
            _ => None,
        });
        assert_eq!(items, Some(3));
        assert!(matches!(
            issue.blocks.last(),
            Some(Block::Paragraph { text, .. }) if text.starts_with("The plan was presented")
        ));
        // Items of one or two sentences and similar length all stay in the list.
        let issue = built(
            "Intro text.\n\nWe offer:\n\nBriefings.\n\nLectures at universities in three cities.\n\nVisa help. Also for groups.",
        );
        let items = issue.blocks.iter().find_map(|b| match b {
            Block::List { items, .. } => Some(items.len()),
            _ => None,
        });
        assert_eq!(items, Some(3));
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

    #[test]
    fn build_sentences_counts_ends() {
        assert_eq!(sentences("One. Two! Three?"), 3);
        assert_eq!(sentences("No end"), 1);
        assert_eq!(sentences("第一句。第二句。"), 2);
    }
}
