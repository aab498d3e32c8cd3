//! The body cut into units: blank-line separated paragraphs, split further at marker lines.
//!
//! Hard-wrapped lines of one paragraph are joined (with a space between Latin words, with
//! nothing between CJK characters). A unit is what `build` classifies: a paragraph, a
//! section line, a list item, a link line, an address line.

use super::detect::{
    is_contact_line, is_postal_line, is_short, is_street_line, is_town_postcode, is_url_line,
    is_valediction, mostly_cjk,
};
use super::markers::{list_marker, section_marker};
use crate::cjk::{self, Locale};

/// Lines of a chunk all shorter than this are separate lines (an address, a closing, a short
/// heading block), not a hard-wrapped paragraph: prose is wrapped at 60–80 columns.
const SHORT_LINE_LATIN: usize = 45;

/// One unit of the body.
#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    /// 1-based line of the unit's first line.
    pub line: u32,
    /// Column (1-based, in characters) of the first non-blank character of the first line.
    pub column: u32,
    /// Number of source lines joined into the unit.
    pub lines: u32,
    /// The joined text.
    pub text: String,
    /// Blank lines before this unit (0 for a unit that continues a chunk).
    pub blank_before: u32,
}

fn starts_unit(line: &str) -> bool {
    section_marker(line).is_some()
        || list_marker(line).is_some()
        || is_url_line(line)
        || is_address_line(line)
}

/// A line of an address (postal, street, town with its code, contact): a unit of its own.
fn is_address_line(line: &str) -> bool {
    is_postal_line(line) || is_contact_line(line) || is_street_line(line) || is_town_postcode(line)
}

fn ends_unit(line: &str) -> bool {
    if is_address_line(line) || is_valediction(line) {
        return true;
    }
    // CJK text is written one paragraph per line; a line goes on only after a mid-clause mark.
    if mostly_cjk(line) && !line.ends_with(['，', '、', '；', ',', '—', '…']) {
        return true;
    }
    // A short section line is a title on its own line: "一、总体目标", "IV. Shared Benefits".
    if section_marker(line).is_some()
        && is_short(line, SHORT_LINE_LATIN)
        && !line.ends_with([',', '，', '、', '-'])
        && !run_in(line)
        && !ends_on_continuing_word(line)
    {
        return true;
    }
    // A longer one is a title when it reads like one: a few words, no sentence stop inside,
    // not ending on a word that needs a continuation ("XII. Public Participation and Global
    // Partnership"; wrapped prose at 60–80 columns runs on past a function word or a comma).
    if section_marker(line).is_some() && reads_like_title(line) {
        return true;
    }
    let t = line.trim_end_matches(['」', '』', '）', ')', '"', '”']);
    t.ends_with([':', '：', '。', '！', '？'])
}

/// Longest Latin section line taken as a title standing alone (beyond `SHORT_LINE_LATIN`):
/// a title of up to `TITLE_WORDS` words fits; wrapped prose lines are 60–80 columns.
const TITLE_LINE_LATIN: usize = 64;
/// Most words in such a title, numeral included.
const TITLE_WORDS: usize = 9;

/// Words a line of wrapped prose may end on that need the next line.
const CONTINUES: [&str; 14] = [
    "a", "an", "and", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with", "from",
];

/// Whether a line ends on a word of [`CONTINUES`].
fn ends_on_continuing_word(line: &str) -> bool {
    line.split_whitespace()
        .last()
        .is_some_and(|w| CONTINUES.contains(&w.to_ascii_lowercase().as_str()))
}

fn reads_like_title(line: &str) -> bool {
    let t = line.trim_end();
    let words: Vec<&str> = t.split_whitespace().collect();
    !mostly_cjk(t)
        && t.chars().count() <= TITLE_LINE_LATIN
        && words.len() <= TITLE_WORDS
        && !t.ends_with([',', ';', '-'])
        && !run_in(t)
        && !ends_on_continuing_word(t)
}

/// A section line whose title runs in to its text: a stop after a word of the title, then
/// more words ("IV. Shared Benefits. The …", "II. Fees. Fees are payable in local currency").
fn run_in(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    // The numeral, a word of the title with its stop, a word after it: three at least.
    words.len() >= 3
        && words[1..words.len() - 1]
            .iter()
            .any(|w| w.ends_with(['.', ':', ';']))
}

/// Append the source line `next` to `text`: the separator is [`cjk::join_wrapped_lines`]'s
/// (nothing inside Chinese or Japanese text, a space between words and around Hangul: Korean
/// spaces its words, KLREQ §5.2), except that a line-end hyphen joins without a space
/// ("multi-" + "party").
fn join(text: &mut String, next: &str, locale: Option<Locale>) {
    let (Some(prev), Some(first)) = (text.chars().last(), next.chars().next()) else {
        text.push_str(next);
        return;
    };
    if !text.ends_with('-') {
        text.push_str(cjk::join_wrapped_lines(prev, first, locale));
    }
    text.push_str(next);
}

/// Cut the body (its first line numbered `first_line`) into units; wrapped lines are joined
/// by the rule of the text's CJK convention `locale` (none for other languages).
pub fn split(body: &str, first_line: u32, locale: Option<Locale>) -> Vec<Unit> {
    let mut units = Vec::new();
    let mut chunk: Vec<(u32, u32, &str)> = Vec::new();
    let mut blanks = 0u32;
    let mut pending_blanks = 0u32;
    // The last line of the chunk before (a lead-in may end it: "The programme:").
    let mut before: Option<&str> = None;
    for (i, raw) in body.split('\n').enumerate() {
        let line_no = first_line.saturating_add(u32::try_from(i).unwrap_or(u32::MAX));
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            if !chunk.is_empty() {
                flush(&mut units, &chunk, before, pending_blanks, locale);
                before = chunk.last().map(|&(_, _, l)| l);
                chunk.clear();
                blanks = 0;
            }
            blanks += 1;
            continue;
        }
        if chunk.is_empty() {
            pending_blanks = blanks;
        }
        let indent = raw.chars().take_while(|c| c.is_whitespace()).count();
        chunk.push((
            line_no,
            u32::try_from(indent + 1).unwrap_or(u32::MAX),
            trimmed,
        ));
    }
    if !chunk.is_empty() {
        flush(&mut units, &chunk, before, pending_blanks, locale);
    }
    units
}

fn flush(
    units: &mut Vec<Unit>,
    chunk: &[(u32, u32, &str)],
    before: Option<&str>,
    blank_before: u32,
    locale: Option<Locale>,
) {
    let all_short = chunk.len() > 1
        && chunk.iter().all(|(_, _, l)| is_short(l, SHORT_LINE_LATIN))
        // A line ending mid-clause, or one going on in lower case, is a wrapped paragraph.
        && !chunk[..chunk.len() - 1].iter().any(|(_, _, l)| (l.ends_with([',', '，', '、', '-']) || ends_on_continuing_word(l)) && !is_valediction(l))
        && !chunk.iter().skip(1).any(|(_, _, l)| list_marker(l).is_none() && section_marker(l).is_none() && l.starts_with(char::is_lowercase));
    let wrap = cjk_wrap_width(chunk);
    let by_hand = wrap.is_none() && !all_short && lines_ended_by_hand(chunk, before);
    let mut current: Option<Unit> = None;
    let mut prev_line: &str = "";
    for (idx, &(line, column, text)) in chunk.iter().enumerate() {
        let ends = match wrap {
            // Hard-wrapped CJK or Korean text: a line as wide as the wrap goes on, a shorter
            // one ends its paragraph (an address or contact line ends it anyway).
            Some(w) if mostly_cjk(prev_line) => {
                !reaches_wrap(prev_line, w)
                    || !wrapped_before(prev_line, text, w)
                    || is_postal_line(prev_line)
                    || is_contact_line(prev_line)
            }
            _ => ends_unit(prev_line),
        };
        let new =
            idx == 0 || ((all_short || by_hand) && wrap.is_none()) || starts_unit(text) || ends;
        if new {
            if let Some(u) = current.take() {
                units.push(u);
            }
            current = Some(Unit {
                line,
                column,
                lines: 1,
                text: text.to_string(),
                blank_before: if idx == 0 { blank_before } else { 0 },
            });
        } else if let Some(u) = current.as_mut() {
            join(&mut u.text, text, locale);
            u.lines += 1;
        }
        prev_line = text;
    }
    if let Some(u) = current {
        units.push(u);
    }
}

/// Latin lines longer than this are wrapped prose whatever their ends (e-mail and editors
/// wrap at 60–80 columns): only shorter ones are asked whether they were ended by hand.
const BY_HAND_LATIN: usize = 60;

/// Lines of a schedule under a lead-in may be this long (a date, a time, a place and a
/// title: "11 November: film screening, \"The Road Home\", with the director"); past it, a
/// line is wrapped prose even there.
const SCHEDULE_LINE: usize = 80;

/// Whether a chunk of Latin lines was ended line by line by hand rather than wrapped: a
/// schedule under a lead-in, or three or more lines of up to [`BY_HAND_LATIN`] characters,
/// not all of them short — a programme, a list of dates or sources pasted without blank
/// lines ("12 May, 18:00: opening concert at the Town Hall" / "14 May, 19:00: film evening
/// at the Embassy Theatre" / …) — where after every line but the last, the next line's first
/// word would have fitted within the chunk's widest line. A wrapper moves a word to the next
/// line only when it does not fit, so in wrapped text at least one line (in practice nearly
/// all) is full. Lines ending mid-clause (a comma, a hyphen) or going on in lower case are
/// wrapped prose, as for short lines; so are lines ending a sentence: one sentence per line
/// is a way of writing a paragraph ("semantic line breaks"). `before` is the last line of the
/// chunk before, when there is one.
fn lines_ended_by_hand(chunk: &[(u32, u32, &str)], before: Option<&str>) -> bool {
    // A lead-in and two or more lines under it, each opening with a number (a date, a time,
    // a figure: "Programme:" / "9 January, 19:00: opening night …" / "11 January, …"): a
    // schedule, whatever the lengths say — such a list, wrapped at the width of its longest
    // line, would look full line after line. The lead-in is the chunk's first line, or ends
    // the paragraph above it ("… The programme:", a blank line, the schedule).
    let schedule = |lead: &str, rest: &[(u32, u32, &str)]| {
        let numbered = |l: &str| l.starts_with(|c: char| c.is_ascii_digit());
        lead.ends_with([':', '：'])
            && rest.len() >= 2
            && rest.iter().all(|(_, _, l)| {
                numbered(l)
                    && l.chars().count() <= SCHEDULE_LINE
                    && !l.ends_with([',', '-', ';'])
                    && !ends_on_continuing_word(l)
            })
    };
    if before.is_some_and(|lead| schedule(lead, chunk))
        || chunk
            .split_first()
            .is_some_and(|(lead, rest)| schedule(lead.2, rest))
    {
        return true;
    }
    if chunk.len() < 3 {
        return false;
    }
    let lens: Vec<usize> = chunk.iter().map(|(_, _, l)| l.chars().count()).collect();
    let widest = lens.iter().copied().max().unwrap_or(0);
    if widest > BY_HAND_LATIN || chunk.iter().any(|(_, _, l)| mostly_cjk(l)) {
        return false;
    }
    chunk.windows(2).zip(&lens).all(|(pair, &len)| {
        let (prev, next) = (pair[0].2, pair[1].2);
        let word = next.split_whitespace().next().unwrap_or("");
        !prev.ends_with([',', '-', ';', '.', '!', '?'])
            && !next.starts_with(char::is_lowercase)
            && len + 1 + word.chars().count() <= widest
    })
}

/// Display width in columns (a CJK character is two), as a wrapper counts it.
fn columns(line: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(line)
}

/// How far short of the wrap width a wrapped line may end: a character wrapper stops a
/// character or two early (kinsoku, a wide mark), a word wrapper (Korean spaces its words)
/// a word early.
fn wrap_slack(line: &str) -> usize {
    if line.contains(' ') {
        14
    } else {
        6
    }
}

fn reaches_wrap(line: &str, wrap: usize) -> bool {
    columns(line) + wrap_slack(line) >= wrap
}

/// The width a chunk of CJK or Korean text was hard-wrapped at (an e-mail client or word
/// processor wraps at 70–80 columns), or `None` when its lines are paragraphs of their own
/// (CJK text is usually written one paragraph per line). The evidence: at least half of the
/// lines before the last reach the widest line's width, and one of them ends where no
/// sentence ends (a wrapper cuts mid-sentence; a paragraph per line ends on 。 or 다.).
fn cjk_wrap_width(chunk: &[(u32, u32, &str)]) -> Option<usize> {
    if chunk.len() < 2 {
        return None;
    }
    let lines: Vec<&str> = chunk.iter().map(|&(_, _, l)| l).collect();
    let cjk_lines = lines.iter().filter(|l| mostly_cjk(l)).count();
    if cjk_lines * 2 < lines.len() {
        return None;
    }
    let wrap = lines.iter().map(|l| columns(l)).max()?;
    // Narrower than 30 columns is a list of short lines, wider than 200 no wrap at all.
    if !(30..=200).contains(&wrap) {
        return None;
    }
    let body = &lines[..lines.len() - 1];
    let full: Vec<&&str> = body.iter().filter(|l| reaches_wrap(l, wrap)).collect();
    let cut = full.iter().filter(|l| !sentence_end(l)).count();
    // A long line cut inside a word or phrase (it ends on a letter, not on any mark): no
    // paragraph of its own ends like that.
    let mid_word = full
        .iter()
        .any(|l| columns(l) >= 40 && l.chars().last().is_some_and(char::is_alphanumeric));
    // Most lines at the wrap and one cut mid-sentence, several cut mid-sentence at the same
    // width (a wrapped text without blank lines between its paragraphs), or one cut mid-word.
    ((full.len() * 2 >= body.len() && cut >= 1) || cut >= 2 || mid_word).then_some(wrap)
}

/// Whether the wrapper broke between `prev` and `next` (the two lines are one paragraph): the
/// first word of `next` — its first character in Chinese or Japanese, a run of Latin letters
/// and digits, a Korean word — would not have fitted at the end of `prev`, or is a mark a
/// wrapper may not start a line with... moved there. Where it would have fitted, `prev` ended
/// its paragraph.
fn wrapped_before(prev: &str, next: &str, wrap: usize) -> bool {
    let words = prev.contains(' ');
    let token: String = if words {
        next.split(' ').next().unwrap_or("").to_string()
    } else {
        let ascii: String = next.chars().take_while(char::is_ascii_graphic).collect();
        if ascii.is_empty() {
            next.chars().take(1).collect()
        } else {
            ascii
        }
    };
    // A closing mark or small kana a careful wrapper moved along with the character before it.
    let kinsoku = token.chars().next().is_some_and(|c| {
        "、。，．：；？！）」』】〕〉》”’ー…‥ぁぃぅぇぉっゃゅょァィゥェォッャュョ".contains(c)
    });
    let sep = usize::from(words);
    kinsoku || columns(prev) + sep + columns(&token) > wrap
}

/// A line that ends a sentence (。！？, Korean 다. 요., a colon before a list).
fn sentence_end(l: &str) -> bool {
    let t = l.trim_end_matches(['」', '』', '）', ')', '"', '”', '’']);
    t.ends_with(['。', '！', '？', '.', '!', '?', '：', ':'])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_join_wrapped_latin_lines() {
        let u = split("The Strategy aims to jointly build a community of shared\nfuture in cyberspace and illustrates China's approach.\n\nNext", 1, None);
        assert_eq!(u.len(), 2);
        assert_eq!(u[0].text, "The Strategy aims to jointly build a community of shared future in cyberspace and illustrates China's approach.");
        assert_eq!((u[1].line, u[1].blank_before), (4, 1));
    }

    #[test]
    fn units_keep_latin_lines_ended_by_hand() {
        let programme = "12 May, 18:00: opening concert at the Town Hall\n\
                         14 May, 19:00: film evening at the Embassy Theatre\n\
                         16 May, 11:00: children's workshop at the City Library";
        let u = split(programme, 1, None);
        assert_eq!(
            u.iter().map(|u| u.line).collect::<Vec<_>>(),
            [1, 2, 3],
            "{u:?}"
        );
        // Under a lead-in, lines opening with a number are a schedule even when each would
        // look full.
        assert_unit_counts(&[
            (
                "Programme:\n9 January, 19:00: opening night at Amirani Cinema\n\
                 11 January, 17:00: documentary afternoon in Batumi\n\
                 14 January, 19:00: closing night with the directors",
                4,
            ),
            // The lead-in ends the paragraph above; a line of the schedule may be long.
            (
                "The embassy holds a cultural week. The programme:\n\n\
                 10 November: opening concert at the National Library\n\
                 11 November: film screening, \"The Road Home\", with the director\n\
                 12 November: calligraphy workshop for children and parents",
                4,
            ),
            ("The programme:\n\n9 January: opening night\n11 January: closing night", 3),
            // Without a lead-in, two numbered lines are too little evidence; under one, lines
            // past 80 characters are wrapped prose.
            (
                "Dates.\n\n9 January, 19:00: opening night at the Amirani Cinema\n\
                 11 January, 17:00: documentary afternoon in Batumi",
                2,
            ),
            (
                "The programme:\n\n9 January: an opening night at the Amirani Cinema with the \
                 directors of all five films\n11 January: a closing night in Batumi",
                2,
            ),
            // A wrapped sentence under a lead-in whose lines happen to open with numbers.
            ("The figures:\n2026 exports rose by 14 per cent and imports by\n3 per cent over the year", 2),
            // Wrapped at 50 columns: every line but the last is full.
            ("The embassy invites you to a week of films, talks\nand music. All events are free of charge and open\nto the public; seats are limited for the concert.", 1),
            // One sentence per line is one paragraph.
            ("We met the minister on Tuesday at the ministry.\nThe talks went well and lasted for two hours.\nA joint statement follows later this week.", 1),
            // Two lines only: too little evidence.
            ("12 May, 18:00: opening concert at the Town Hall\n14 May, 19:00: film evening at the Theatre", 1),
        ]);
    }

    /// Each text cut into the given number of units.
    fn assert_unit_counts(cases: &[(&str, usize)]) {
        for &(text, n) in cases {
            let u = split(text, 1, None);
            assert_eq!(u.len(), n, "{text}: {u:?}");
        }
    }

    #[test]
    fn units_split_at_markers_and_cjk_sentence_ends() {
        let u = split(
            "一、总体目标\n各国应当加强合作，\n共同维护和平。\n二、基本原则",
            10,
            Some(Locale::ZhHans),
        );
        let texts: Vec<&str> = u.iter().map(|u| u.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "一、总体目标",
                "各国应当加强合作，共同维护和平。",
                "二、基本原则"
            ]
        );
        assert_eq!(u[2].line, 13);
    }

    #[test]
    fn units_long_title_line_stands_alone() {
        assert_unit_counts(&[
            ("XII. Public Participation and Global Partnership\nThe final step is perhaps the most important.", 2),
            // Wrapped prose after a numeral goes on.
            ("XII. The final step is perhaps the most important of\nall the steps.", 1),
            ("XII. Public Participation. The final step is perhaps\nthe most important.", 1),
            // A short section line goes on too when its title runs in to its text, or when it
            // ends on a word that needs the next line (a text wrapped at 45 columns).
            ("II. Fees. Fees are payable in local currency\nby card only.", 1),
            ("I. Peace. The international community should\nobserve the principles of the UN Charter.", 1),
            ("III. Trade and\nInvestment", 1),
            // A short title alone on its line still stands alone.
            ("IV. Shared Benefits\nThe community should promote openness.", 2),
            ("I. Peace.\nThe community should observe the Charter.", 2),
        ]);
    }

    #[test]
    fn units_short_line_chunk_stays_lines() {
        let u = split(
            "Embassy of Example\n3505 International Place\nWashington, DC 20008",
            1,
            None,
        );
        assert_eq!(u.len(), 3);
    }

    #[test]
    fn units_european_postcode_lines_stand_alone_prose_years_do_not() {
        let u = split(
            "Consulat général de France\n12, quai Romain Rolland\n69005 Lyon\nTél. : 04 72 00 00 00",
            1,
            None,
        );
        assert_eq!(u.len(), 4, "{u:?}");
        // A wrapped sentence under a lead-in whose lines happen to open with numbers.
        let u = split(
            "The figures:\n2026 exports rose by 14 per cent and imports by\n3 per cent over the year",
            1,
            None,
        );
        assert_eq!(u.len(), 2, "{u:?}");
        // A wrapped paragraph whose line starts with a year and a town goes on.
        let u = split(
            "The conference on the digital economy took place in the German capital in\n2017 Berlin hosted it again with more than two thousand delegates\nfrom forty countries.",
            1,
            None,
        );
        assert_eq!(u.len(), 1, "{u:?}");
    }

    #[test]
    fn units_bullets_take_continuation_lines() {
        let u = split("- first item that goes on\n  and on\n- second", 1, None);
        assert_eq!(u.len(), 2);
        assert_eq!(u[0].text, "- first item that goes on and on");
    }

    #[test]
    fn units_join_korean_wrapped_lines_with_a_space() {
        let u = split(
            "양국은 협력을 강화하기로 합의했습니다,\n구체적인 방안을 마련할 것입니다.",
            1,
            Some(Locale::Ko),
        );
        assert_eq!(
            u[0].text,
            "양국은 협력을 강화하기로 합의했습니다, 구체적인 방안을 마련할 것입니다."
        );
    }

    #[test]
    fn units_join_chinese_next_to_latin_without_a_space() {
        let u = split("在联合国框架下，\nSDG得到落实", 1, Some(Locale::ZhHans));
        assert_eq!(u[0].text, "在联合国框架下，SDG得到落实");
        let u = split("English text quoting 中国,\nand more", 1, None);
        assert_eq!(u[0].text, "English text quoting 中国, and more");
    }
}
