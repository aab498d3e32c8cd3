//! The assembly pass: the body's blocks in reading order, from the units and their roles —
//! addresses, closing, sections, lists, link lines with their targets, headings, paragraphs.

use super::sections::sections;
use super::{text_line, title_shaped, Kind, Marked, Role, HEADING_LATIN};
use crate::config::{Config, Url};
use crate::diag::Diagnostic;
use crate::model::{Block, ListItem, ListKind, TextLine};
use crate::parse::units::Unit;

/// An implicit list item is one or two sentences; a longer paragraph ends the list.
const ITEM_MAX_SENTENCES: usize = 2;
/// Implicit list items are of a size: a paragraph more than this many times the longest item
/// so far (and with more sentences) is not one of them.
const ITEM_LENGTH_RATIO: usize = 2;
/// Implicit list items start alike: once this many items open with the same word or the same
/// word ending ("Promoting …", "Supporting …", "Working …"), a paragraph that does not is the
/// text going on ("The full text is online.").
const ITEMS_ALIKE: usize = 3;

/// The targets in `links:` (front matter or quire.yaml), handed out in order to the link
/// lines that have none in the text.
struct LinkTargets<'a> {
    given: &'a [Url],
    /// The next one to hand out.
    next: usize,
    /// Link lines seen.
    lines: usize,
}

/// The body's blocks from unit `start` on, with the address from `config` when the text has
/// none.
pub(super) fn assemble(
    name: &str,
    marked: Marked,
    start: usize,
    config: &Config,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Block> {
    let Marked { units, roles, .. } = marked;
    let n = units.len();
    let mut blocks = Vec::new();
    let mut links = LinkTargets {
        given: config.links.as_deref().unwrap_or(&[]),
        next: 0,
        lines: 0,
    };
    let mut i = start;
    while i < n {
        match roles[i] {
            Role::Address(first) => {
                i = address(units, roles, i, first, &mut blocks);
                continue;
            }
            Role::Closing => {
                if !has_address(&blocks) {
                    push_config_address(&mut blocks, config);
                }
                let lines = units[i..].iter().map(text_line).collect();
                blocks.push(Block::Closing {
                    lines,
                    line: units[i].line,
                });
                break;
            }
            Role::Masthead | Role::Headline | Role::Deck => {
                i += 1;
                continue;
            }
            Role::Body => {}
        }
        i = match &marked.kinds[i] {
            Kind::Section(_) => sections(name, marked, i, &mut blocks, diags),
            Kind::Item { numbered, .. } => list(marked, i, *numbered, &mut blocks),
            Kind::Link { text, target } if !leads_a_list(marked, i, target.is_some(), &links) => {
                let (block, next) =
                    link(name, marked, i, text, target.as_deref(), &mut links, diags);
                blocks.push(block);
                next
            }
            Kind::Plain | Kind::Url | Kind::Postal | Kind::Contact | Kind::Link { .. } => {
                plain(marked, i, &mut blocks)
            }
        };
    }
    if !has_address(&blocks) {
        push_config_address(&mut blocks, config);
    }
    check_links_used(name, &links, diags);
    for (k, url) in links.given.iter().enumerate().skip(links.next) {
        if !url.is_linkable() {
            diags.push(unlinkable(name, 0, 0, url, k));
        }
    }
    push_unused_links(&mut blocks, &links);
    blocks
}

/// Item `k` (0-based) of `links:` is not an http, https or mailto URL: it is printed as text.
fn unlinkable(name: &str, line: u32, column: u32, url: &Url, k: usize) -> Diagnostic {
    Diagnostic::warning(
        name,
        line,
        column,
        format!(
            "link `{}` (item {} of `links:`) is not an http, https or mailto URL: printed as text, not linked",
            url.0,
            k + 1
        ),
    )
    .with_hint("a quire PDF only links web pages and e-mail addresses")
}

/// The `links:` entries no link line took, as a `Links` block after the last text block:
/// before the address and the closing lines, which sign the issue off.
fn push_unused_links(blocks: &mut Vec<Block>, links: &LinkTargets) {
    let urls: Vec<String> = links
        .given
        .get(links.next..)
        .unwrap_or(&[])
        .iter()
        .map(|u| u.0.clone())
        .collect();
    if urls.is_empty() {
        return;
    }
    let at = blocks
        .iter()
        .rposition(|b| !matches!(b, Block::Address { .. } | Block::Closing { .. }))
        .map_or(0, |i| i + 1);
    blocks.insert(at, Block::Links { urls, line: 0 });
}

/// True once the blocks hold an address.
fn has_address(blocks: &[Block]) -> bool {
    blocks.iter().any(|b| matches!(b, Block::Address { .. }))
}

/// The address group that starts at unit `first`, from unit `i`; returns the index after it.
fn address(
    units: &[Unit],
    roles: &[Role],
    mut i: usize,
    first: usize,
    blocks: &mut Vec<Block>,
) -> usize {
    let n = units.len();
    let mut lines = Vec::new();
    while i < n && roles[i] == Role::Address(first) {
        lines.push(text_line(&units[i]));
        i += 1;
    }
    blocks.push(Block::Address {
        lines,
        line: units[first].line,
    });
    i
}

/// The address from quire.yaml or front matter, when the text has none (line 0: not in text).
fn push_config_address(blocks: &mut Vec<Block>, config: &Config) {
    if let Some(lines) = config.address.as_ref().filter(|l| !l.is_empty()) {
        let lines = lines
            .iter()
            .map(|t| TextLine {
                text: t.clone(),
                line: 0,
            })
            .collect();
        blocks.push(Block::Address { lines, line: 0 });
    }
}

/// A run of list items of one kind (numbered or bulleted) from unit `i`; returns the index
/// after it.
fn list(marked: Marked, mut i: usize, numbered: bool, blocks: &mut Vec<Block>) -> usize {
    let Marked {
        units,
        kinds,
        roles,
    } = marked;
    let n = units.len();
    let line = units[i].line;
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
    blocks.push(Block::List { kind, items, line });
    i
}

/// The link line at unit `i` with its target: on the line, on the next line, or the next of
/// `links:`; warns when it has none. Returns the block and the index after it (and after its
/// URL line).
fn link(
    name: &str,
    marked: Marked,
    mut i: usize,
    text: &str,
    target: Option<&str>,
    links: &mut LinkTargets,
    diags: &mut Vec<Diagnostic>,
) -> (Block, usize) {
    let Marked {
        units,
        kinds,
        roles,
    } = marked;
    let n = units.len();
    let u = &units[i];
    links.lines += 1;
    let mut target = target.map(str::to_string);
    if target.is_none()
        && i + 1 < n
        && matches!(kinds[i + 1], Kind::Url)
        && roles[i + 1] == Role::Body
    {
        // A bare `www.` address opens over https, as one inside a sentence does.
        let url = units[i + 1].text.trim();
        target = Some(if url.starts_with("www.") {
            format!("https://{url}")
        } else {
            url.to_string()
        });
        i += 1;
    }
    if target.is_none() {
        let given = links.given.get(links.next);
        if let Some(url) = given.filter(|u| !u.is_linkable()) {
            diags.push(unlinkable(name, u.line, u.column, url, links.next));
        }
        target = given.map(|l| l.0.clone());
        links.next += 1;
    }
    if target.is_none() {
        diags.push(
            Diagnostic::warning(name, u.line, u.column, format!("link line \"{}\" has no target", text))
                .with_hint(format!(
                    "add its URL as item {} of `links:` in the front matter or quire.yaml (one URL per \"here:\" line, in order), or put the URL on the next line",
                    links.next
                )),
        );
    }
    let block = Block::Link {
        text: text.to_string(),
        target,
        line: u.line,
    };
    (block, i + 1)
}

/// True when the link-shaped line at unit `i` ("Das erwartet Sie hier:", "Voici ce que nous
/// proposons ici :") is the lead-in of a list, not a link line: it has no URL of its own, the
/// next unit is no URL, and list items follow — marked ones, or (when `links:` has no target
/// left for it) the short paragraphs of an implicit list. The line is then a paragraph and
/// takes no target from `links:`.
fn leads_a_list(marked: Marked, i: usize, has_url: bool, links: &LinkTargets) -> bool {
    let next = i + 1;
    if has_url || next >= marked.units.len() || marked.roles[next] != Role::Body {
        return false;
    }
    match marked.kinds[next] {
        Kind::Item { .. } => true,
        Kind::Plain => links.next >= links.given.len() && implicit_items_end(marked, i) - i > 2,
        _ => false,
    }
}

/// Warn when `links:` gives more targets than the text's link lines took.
fn check_links_used(name: &str, links: &LinkTargets, diags: &mut Vec<Diagnostic>) {
    if links.given.len() > links.next {
        diags.push(
            Diagnostic::warning(
                name,
                0,
                0,
                format!(
                    "{} link(s) given in `links:` but the text has {} link line(s) that need one",
                    links.given.len(),
                    links.next
                ),
            )
            .with_hint(format!(
                "{} \"here:\" line(s) found; the extra links are printed at the end of the issue under \"Links\": remove them or check the text",
                links.lines
            )),
        );
    }
}

/// A plain unit: a paragraph, a heading, or a lead-in with the implicit list after it.
fn plain(marked: Marked, i: usize, blocks: &mut Vec<Block>) -> usize {
    let Marked {
        units,
        kinds,
        roles,
    } = marked;
    let n = units.len();
    let u = &units[i];
    if u.text.ends_with([':', '：']) {
        let j = implicit_items_end(marked, i);
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

/// The end of the paragraphs after the lead-in at unit `i` that can be its list's items.
fn implicit_items_end(marked: Marked, i: usize) -> usize {
    let Marked {
        units,
        kinds,
        roles,
    } = marked;
    let n = units.len();
    let is_plain_body = |j: usize| roles[j] == Role::Body && matches!(kinds[j], Kind::Plain);
    let mut j = i + 1;
    // The longest item so far, in characters and in sentences.
    let (mut most_chars, mut most_sentences) = (0usize, 0usize);
    // How the items so far start: the same first word, or first words with the same ending.
    let mut start: Option<Start> = None;
    // Whether every item so far opens with a number and none ends a sentence (a schedule:
    // "4. Dezember, 19:30: Klavierabend …").
    let mut schedule = true;
    let opens_with_number = |t: &str| t.starts_with(|c: char| c.is_ascii_digit());
    let ends_sentence = |t: &str| {
        t.trim_end_matches(['"', '”', '“', '’', ')'])
            .ends_with(['.', '!', '?'])
    };
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
        // After a schedule, a sentence that opens with no number is the text going on ("Bitte
        // melden Sie sich bis drei Tage vorher an."), not another entry.
        let text = &units[j].text;
        if j - i > 2 && schedule && !opens_with_number(text) && ends_sentence(text) {
            break;
        }
        schedule = schedule && opens_with_number(text) && !ends_sentence(text);
        let word = first_word(&units[j].text);
        if j - i > ITEMS_ALIKE && start.as_ref().is_some_and(|s| !s.fits(word.as_deref())) {
            break;
        }
        start = if j == i + 1 {
            word.map(Start::Word)
        } else {
            start.and_then(|s| s.with(word.as_deref()))
        };
        most_chars = most_chars.max(chars);
        most_sentences = most_sentences.max(count);
        j += 1;
    }
    j
}

/// What the first words of a list's items have in common.
#[derive(Debug, Clone, PartialEq)]
enum Start {
    /// All the same word (lowercased): "des", "to".
    Word(String),
    /// All end in these three letters ("ing"), each at least five letters long.
    Ending(String),
}

impl Start {
    /// Whether a paragraph opening with `word` starts as the items do.
    fn fits(&self, word: Option<&str>) -> bool {
        match (self, word) {
            (Start::Word(w), Some(v)) => w == v,
            (Start::Ending(e), Some(v)) => ending(v).is_some_and(|x| x == *e),
            (_, None) => false,
        }
    }

    /// What the items share once one opening with `word` is added; `None`: nothing.
    fn with(self, word: Option<&str>) -> Option<Start> {
        let word = word?;
        match self {
            Start::Word(w) if w == word => Some(Start::Word(w)),
            Start::Word(w) => ending(&w)
                .filter(|e| ending(word).as_ref() == Some(e))
                .map(Start::Ending),
            Start::Ending(e) => (ending(word).as_ref() == Some(&e)).then_some(Start::Ending(e)),
        }
    }
}

/// A paragraph's first word, lowercased, when it is a word of Latin letters (none for other
/// scripts, numbers or symbols: no likeness is judged there).
fn first_word(text: &str) -> Option<String> {
    let word: String = text
        .split_whitespace()
        .next()?
        .trim_end_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase();
    let latin = !word.is_empty()
        && word
            .chars()
            .all(|c| unicode_script::UnicodeScript::script(&c) == unicode_script::Script::Latin);
    latin.then_some(word)
}

/// The last three letters of a word of five letters or more.
fn ending(word: &str) -> Option<String> {
    let chars: Vec<char> = word.chars().collect();
    (chars.len() >= 5).then(|| chars[chars.len() - 3..].iter().collect())
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

#[cfg(test)]
mod tests {
    use super::super::tests::built;
    use super::*;

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
    fn build_implicit_list_ends_at_a_paragraph_that_starts_unlike_its_items() {
        let items = |text: &str| -> Vec<String> {
            built(text)
                .blocks
                .iter()
                .find_map(|b| match b {
                    Block::List { items, .. } => {
                        Some(items.iter().map(|i| i.text.clone()).collect())
                    }
                    _ => None,
                })
                .unwrap_or_default()
        };
        // The sample's list with its link line rewritten as a sentence: not a fifth item.
        let got = items(
            "Intro text.\n\nThe plan includes:\n\nPromoting the rule of law online.\n\nSupporting innovation and entrepreneurship.\n\nWorking with other countries on infrastructure.\n\nCarrying out practical cooperation.\n\nThe full text of the plan is available on the website.",
        );
        assert_eq!(got.len(), 4, "{got:?}");
        // The same first word: "To …" items, then the text goes on.
        let got = items(
            "Intro.\n\nThe goals are:\n\nTo build trust.\n\nTo share data.\n\nTo train staff.\n\nOfficials will report in May.",
        );
        assert_eq!(got.len(), 3, "{got:?}");
        // Items that start in no common way keep every one of them.
        let got = items(
            "Intro.\n\nWe offer:\n\nBriefings for journalists.\n\nLectures at universities.\n\nVisa help for delegations.\n\nA library open to all.",
        );
        assert_eq!(got.len(), 4, "{got:?}");
        // Two alike items are too few to judge the third by.
        let got = items(
            "Intro.\n\nWe offer:\n\nPromoting trade.\n\nSupporting students.\n\nA library open to all.",
        );
        assert_eq!(got.len(), 3, "{got:?}");
        // A schedule (entries opening with a number, no stop), then a sentence: not an entry.
        let got = items(
            "Intro.\n\nDas Programm:\n\n4. Dezember, 19:30: Klavierabend\n\n\
             11. Dezember, 18:00: Lesung\n\n18. Dezember, 19:00: Filmabend\n\n\
             Bitte melden Sie sich an. Die Plätze sind begrenzt.",
        );
        assert_eq!(got.len(), 3, "{got:?}");
        // An entry without a number that is no sentence stays one ("Lunch"), and so does a
        // sentence after entries that end with stops themselves.
        let got = items(
            "Intro.\n\nThe day:\n\n10:00 Opening\n\n11:00 Panel on trade\n\nLunch in the garden",
        );
        assert_eq!(got.len(), 3, "{got:?}");
        let got = items(
            "Intro.\n\nThe day:\n\n10:00 Opening by the ambassador.\n\n11:00 Panel on trade.\n\n\
             Lunch is served in the garden.",
        );
        assert_eq!(got.len(), 3, "{got:?}");
        assert_eq!(first_word("“Quoted” start"), None);
        assert_eq!(first_word("Promoting, then"), Some("promoting".into()));
        assert_eq!(first_word("促进合作"), None);
    }

    #[test]
    fn build_link_phrase_before_a_list_is_a_lead_in() {
        // A marked list after "hier:": the line is a paragraph, the items a list.
        let issue =
            built("Intro text.\n\nDas erwartet Sie hier:\n\n- Vorträge\n- Konzerte\n\nEnde.");
        assert!(!issue.blocks.iter().any(|b| matches!(b, Block::Link { .. })));
        assert!(issue.blocks.iter().any(
            |b| matches!(b, Block::List { kind: ListKind::Bullet, items, .. } if items.len() == 2)
        ));
        // An implicit list after "ici :", with no `links:` target left for it.
        let issue = built(
            "Intro text.\n\nVoici ce que nous proposons ici :\n\nDes conférences.\n\nDes concerts.\n\nDes ateliers.",
        );
        assert!(!issue.blocks.iter().any(|b| matches!(b, Block::Link { .. })));
        // A link line with its URL on the next line stays one.
        let issue = built(
            "Intro text.\n\nDen Bericht finden Sie hier:\nhttps://example.de/bericht\n\nEnde.",
        );
        assert!(issue.blocks.iter().any(|b| matches!(
            b,
            Block::Link { target: Some(t), .. } if t == "https://example.de/bericht"
        )));
    }

    #[test]
    fn build_unused_links_are_a_links_block_before_the_address() {
        let config = Config {
            links: Some(vec![
                Url("https://example.org/one".to_string()),
                Url("https://example.org/two".to_string()),
            ]),
            ..Config::default()
        };
        let text = "Intro text.\n\nRead it here:\n\nMore text.\n\nEmbassy of Example\n10117 Berlin\n\nYour comments are welcome.";
        let units = crate::parse::units::split(text, 1, None);
        let mut diags = Vec::new();
        let issue = super::super::build("t.txt", &units, &config, &mut diags);
        let kinds: Vec<&str> = issue
            .blocks
            .iter()
            .map(|b| match b {
                Block::Paragraph { .. } => "p",
                Block::Link { .. } => "link",
                Block::Links { .. } => "links",
                Block::Address { .. } => "address",
                Block::Closing { .. } => "closing",
                _ => "other",
            })
            .collect();
        assert_eq!(kinds, ["p", "link", "p", "links", "address", "closing"]);
        assert!(issue.blocks.iter().any(
            |b| matches!(b, Block::Links { urls, .. } if urls == &["https://example.org/two"])
        ));
        assert!(diags.iter().any(|d| d.message.contains("2 link(s) given")));
    }

    #[test]
    fn build_sentences_counts_ends() {
        assert_eq!(sentences("One. Two! Three?"), 3);
        assert_eq!(sentences("No end"), 1);
        assert_eq!(sentences("第一句。第二句。"), 2);
    }
}
