//! Break opportunities: UAX #14 as the base, hyphenation points (hypher), URL and e-mail
//! breaks after `/ . - ? & = @`, each with the penalty the line breaker charges for it.

use unicode_linebreak::{linebreaks, BreakOpportunity};

use crate::cjk::{self, Locale};
use crate::script::{classify, ScriptClass};

/// Penalty for breaking after a dash (a compound's hyphen is no break): TeX's `\exhyphenpenalty`.
pub const EXPLICIT_HYPHEN_PENALTY: f32 = 50.0;
/// Penalty for a hyphenation point: TeX's `\hyphenpenalty`, enough to prefer whole words.
pub const HYPHEN_PENALTY: f32 = 50.0;
/// Penalty for a break inside a URL: a bit dearer than a space so URLs stay whole when they can.
pub const URL_PENALTY: f32 = 30.0;
/// Penalty for breaking a word that is wider than the line anywhere: last resort only.
pub const EMERGENCY_PENALTY: f32 = 5000.0;
/// Shortest word (in characters) worth hyphenating: shorter ones leave 2-letter fragments.
const MIN_HYPHENATE_CHARS: usize = 5;

/// What kind of break an opportunity is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OppKind {
    /// A UAX #14 break (after spaces, between ideographs, after a dash).
    Allowed,
    /// A line must end here (after a newline).
    Mandatory,
    /// A hyphenation point: breaking adds a hyphen.
    Hyphen,
    /// Inside a URL or e-mail address: no hyphen is added.
    Url,
    /// Inside a word wider than the line.
    Emergency,
}

impl OppKind {
    /// True for breaks inside a shaped word (the word is shaped whole and cut at the break).
    pub fn is_inner(self) -> bool {
        matches!(self, OppKind::Hyphen | OppKind::Url | OppKind::Emergency)
    }
}

/// A place where a line may end: the line ends before byte `pos`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Opportunity {
    pub pos: usize,
    pub kind: OppKind,
    /// What breaking here costs (Knuth–Plass penalty; negative encourages, never forces).
    pub penalty: f32,
    /// A hyphenated or dashed break: two in a row cost extra demerits.
    pub flagged: bool,
    /// Between two CJK characters: the line breaker puts inter-character stretch here
    /// (CLREQ §6.2, JLREQ §3.8), whether or not a break is allowed.
    pub cjk_glue: bool,
    /// How much that inter-character glue may shrink, in em: the blank halves of full-width
    /// marks beside it (push-in, JLREQ §3.8 and Appendix D, CLREQ §6.2); 0 elsewhere.
    pub cjk_shrink: f32,
    /// Change to the natural space here, in em: the Han–Latin auto-space (+0.25, JLREQ §3.2)
    /// less the compression of adjacent marks (JLREQ §3.1.4); dropped when the line breaks here.
    pub cjk_adjust: f32,
    /// Blank (em) the next character drops when a line starts with it after a break here: an
    /// opening bracket's leading half em (JLREQ §3.1.5, CLREQ §6.3.2.3).
    pub cjk_start_trim: f32,
    /// A break after a mark that may not start a line (。，」…): a line ending here holds a
    /// character pulled in from the next one, so its shrink is push-in (JLREQ §3.1.8).
    pub push_in: bool,
}

impl Opportunity {
    /// An opportunity of `kind` at `pos` with that kind's penalty and no CJK spacing.
    pub fn new(pos: usize, kind: OppKind) -> Opportunity {
        let (penalty, flagged) = match kind {
            OppKind::Allowed | OppKind::Mandatory => (0.0, false),
            OppKind::Hyphen => (HYPHEN_PENALTY, true),
            OppKind::Url => (URL_PENALTY, false),
            OppKind::Emergency => (EMERGENCY_PENALTY, false),
        };
        Opportunity {
            pos,
            kind,
            penalty,
            flagged,
            cjk_glue: false,
            cjk_shrink: 0.0,
            cjk_adjust: 0.0,
            cjk_start_trim: 0.0,
            push_in: false,
        }
    }
}

/// True for a whitespace-delimited token that is a URL or e-mail address.
pub fn is_url_or_email(token: &str) -> bool {
    // Asked of every token of every paragraph: compared in place, not on a lowered copy.
    let starts = |prefix: &str| {
        token
            .as_bytes()
            .get(..prefix.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(prefix.as_bytes()))
    };
    // A colon first (one byte search): most tokens have none, and the substring search has a
    // set-up cost of its own.
    if (token.as_bytes().contains(&b':') && token.contains("://"))
        || starts("www.")
        || starts("mailto:")
    {
        return true;
    }
    match token.find('@') {
        Some(at) => {
            let (user, host) = token.split_at(at);
            !user.is_empty() && host[1..].contains('.') && !host.ends_with('.')
        }
        None => false,
    }
}

/// The hypher language for a BCP 47 tag ("en-GB" → English); `None` when unsupported.
fn hyphen_lang(lang: &str) -> Option<hypher::Lang> {
    let primary = lang.split(['-', '_']).next().unwrap_or("");
    let code: [u8; 2] = primary.to_ascii_lowercase().as_bytes().try_into().ok()?;
    hypher::Lang::from_iso(code)
}

/// All break opportunities of `text`, sorted by position, at most one per position; the end
/// of the text is not listed. `lang` "" hyphenates as English.
pub fn opportunities(text: &str, lang: &str, hyphenate: bool) -> Vec<Opportunity> {
    // At most one opportunity per CJK character (three bytes), about one per word (six or
    // seven bytes) of Latin text with its hyphenation points: not regrown as it fills.
    let mut out: Vec<Opportunity> = Vec::with_capacity(text.len() / 3 + 8);
    out.extend(
        linebreaks(text)
            .filter(|&(pos, _)| pos < text.len() && !inside_hyphenated_compound(text, pos))
            .map(|(pos, b)| {
                let mut o = Opportunity::new(
                    pos,
                    match b {
                        BreakOpportunity::Mandatory => OppKind::Mandatory,
                        BreakOpportunity::Allowed => OppKind::Allowed,
                    },
                );
                if o.kind == OppKind::Allowed && text[..pos].ends_with('\u{AD}') {
                    // A soft hyphen: a hyphenation point the author chose; breaking shows a hyphen.
                    return Opportunity::new(pos, OppKind::Hyphen);
                }
                if o.kind == OppKind::Allowed
                    && text[..pos]
                        .chars()
                        .next_back()
                        .is_some_and(|c| matches!(c, '-' | '\u{2010}' | '\u{2013}' | '\u{2014}'))
                {
                    o.penalty = EXPLICIT_HYPHEN_PENALTY;
                    o.flagged = true;
                }
                o
            }),
    );
    let hlang = if lang.is_empty() {
        Some(hypher::Lang::English)
    } else {
        hyphen_lang(lang)
    };

    let mut extra = Vec::new();
    let mut urls: Vec<(usize, usize)> = Vec::new();
    for (start, token) in tokens(text) {
        let end = start + token.len();
        if is_url_or_email(token) {
            urls.push((start, end));
            let chars: Vec<(usize, char)> = token.char_indices().collect();
            for (k, &(i, c)) in chars.iter().enumerate() {
                let next = chars.get(k + 1).map(|&(_, n)| n);
                let after = matches!(c, '/' | '.' | '?' | '&' | '=' | '@');
                let next_after =
                    next.is_some_and(|n| matches!(n, '/' | '.' | '-' | '?' | '&' | '='));
                if after && !next_after && next.is_some() {
                    extra.push(Opportunity::new(start + i + c.len_utf8(), OppKind::Url));
                }
                // A URL's hyphen goes to the start of the next line (Chicago 6.76): a line
                // ending in "-" reads as a hyphenated word, and pdftotext would drop it.
                if c == '-'
                    && k > 0
                    && !matches!(chars[k - 1].1, '/' | '.' | '-' | '?' | '&' | '=' | '@')
                {
                    extra.push(Opportunity::new(start + i, OppKind::Url));
                }
            }
        } else if hyphenate {
            if let Some(hl) = hlang {
                hyphenation_points(token, start, hl, &mut extra);
            }
        }
    }
    // Inside URLs only the URL breaks count.
    if !urls.is_empty() {
        out.retain(|o| {
            !urls
                .iter()
                .any(|&(s, e)| o.pos > s && o.pos < e && o.kind != OppKind::Mandatory)
        });
    }
    out.extend(extra);
    out.sort_by_key(|o| o.pos);
    // One opportunity per position: UAX #14's (listed first by the stable sort) wins.
    out.dedup_by_key(|o| o.pos);
    out
}

/// Penalty that forbids a break: at or above `linebreak::INFINITE_PENALTY`.
const NEVER: f32 = super::linebreak::INFINITE_PENALTY;

/// True for characters the CJK rules govern at a boundary: CJK text and punctuation (by the
/// face choice of itemize) and the dashes and ellipses that CJK text sets on its grid.
fn governed(c: char) -> bool {
    classify(c) == ScriptClass::Cjk || matches!(c, '—' | '―' | '…' | '‥')
}

/// CJK line-breaking and spacing rules from [`crate::cjk`] as penalties and glue, not as
/// after-the-fact fixes. At every boundary between two non-space characters of which one is
/// CJK:
///
/// * kinsoku: a break where a closing mark would start a line, an opening mark end one, or an
///   inseparable pair (——, ……) split gets a forbidding penalty (JLREQ §3.1.7, §3.1.8, §3.1.10;
///   CLREQ §6.1.1–§6.1.2); Korean breaks only at spaces (KLREQ §7.1.1);
/// * spacing: the natural change of the space there (quarter-em auto-space between Han/kana and
///   Latin letters or digits, JLREQ §3.2, CLREQ §6.3.3; minus the compression of two adjacent
///   marks to 1.5 em, JLREQ §3.1.4, CLREQ §6.3.2), the inter-character stretch of justification
///   (JLREQ §3.8, CLREQ §6.2.2) and the shrink push-in may take (JLREQ Appendix D, §3.1.8);
/// * line start: the half em an opening bracket drops when it starts a line (JLREQ §3.1.5,
///   CLREQ §6.3.2.3).
pub fn apply_cjk_rules(text: &str, opps: &mut Vec<Opportunity>, locale: Locale) {
    if text.is_ascii() {
        // No CJK character: nothing to do (the common case for English issues).
        return;
    }
    let korean = locale == Locale::Ko;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut added = Vec::new();
    let mut j = 0;
    for k in 1..chars.len() {
        let (pos, c) = chars[k];
        let prev = chars[k - 1].1;
        while j < opps.len() && opps[j].pos < pos {
            j += 1;
        }
        let existing = opps.get_mut(j).filter(|o| o.pos == pos);
        if prev.is_whitespace() || c.is_whitespace() {
            // A word space: UAX #14 decides, but nothing prohibited starts the next line.
            if let Some(o) = existing {
                let prohibited =
                    !c.is_whitespace() && governed(c) && !cjk::may_start_line(c, locale);
                if prohibited && o.kind != OppKind::Mandatory {
                    o.penalty = NEVER;
                }
            }
            continue;
        }
        if !governed(prev) && !governed(c) {
            continue;
        }
        let rules = cjk::pair_rules(prev, c, locale);
        let forbid = !cjk::may_end_line(prev, locale)
            || !cjk::may_start_line(c, locale)
            || cjk::inseparable(prev, c)
            || (korean && !cjk::korean_break_ok(prev, c));
        let start_trim = if forbid {
            0.0
        } else {
            cjk::line_start_trim(c, locale)
        };
        let glue = !korean && rules.stretch_ok;
        let needed = glue || rules.adjust_em != 0.0 || rules.shrink_em > 0.0 || start_trim > 0.0;
        let apply = |o: &mut Opportunity| {
            if forbid {
                o.penalty = NEVER;
            }
            o.cjk_glue = glue;
            o.cjk_shrink = if korean { 0.0 } else { rules.shrink_em };
            o.cjk_adjust = rules.adjust_em;
            o.cjk_start_trim = if o.penalty < NEVER { start_trim } else { 0.0 };
            o.push_in = o.penalty < NEVER && !cjk::may_start_line(prev, locale);
        };
        match existing {
            Some(o) if o.kind == OppKind::Mandatory => {}
            Some(o) => apply(o),
            None if needed => {
                let mut o = Opportunity::new(pos, OppKind::Allowed);
                o.penalty = NEVER;
                apply(&mut o);
                added.push(o);
            }
            None => {}
        }
    }
    if !added.is_empty() {
        opps.extend(added);
        opps.sort_by_key(|o| o.pos);
    }
}

/// Whitespace-delimited tokens with their byte offsets.
fn tokens(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_whitespace(), start) {
            (false, None) => start = Some(i),
            (true, Some(s)) => {
                out.push((s, &text[s..i]));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, &text[s..]));
    }
    out
}

/// True after the hyphen of a compound word ("long-|distance"). Such breaks are not offered:
/// text extractors (poppler's pdftotext, and search in most viewers) join a line ending in "-"
/// with the next one and drop the hyphen, so "long-distance" would copy as "longdistance".
/// The parts of the compound still hyphenate, and dashes (– —) still break.
fn inside_hyphenated_compound(text: &str, pos: usize) -> bool {
    let mut before = text[..pos].chars().rev();
    if !before.next().is_some_and(|c| matches!(c, '-' | '\u{2010}')) {
        // Asked at every break opportunity (every character boundary of CJK text): the
        // letters around are only looked at after a hyphen.
        return false;
    }
    let letter_before = before.next().is_some_and(char::is_alphanumeric);
    let letter_after = text[pos..]
        .chars()
        .next()
        .is_some_and(char::is_alphanumeric);
    letter_before && letter_after
}

/// Hyphenation points of the Latin words in one token. Skipped: tokens with digits
/// (numbers, dates), words in capitals (acronyms), short words.
fn hyphenation_points(token: &str, start: usize, lang: hypher::Lang, out: &mut Vec<Opportunity>) {
    if token.chars().any(|c| c.is_ascii_digit()) {
        return;
    }
    let mut word_start: Option<usize> = None;
    let flush = |ws: usize, we: usize, out: &mut Vec<Opportunity>| {
        let word = &token[ws..we];
        let letters = word.chars().count();
        let capitals = word.chars().filter(|c| c.is_uppercase()).count();
        if letters < MIN_HYPHENATE_CHARS || capitals == letters {
            return;
        }
        syllable_ends(word, lang, |end| {
            out.push(Opportunity::new(start + ws + end, OppKind::Hyphen));
        });
    };
    for (i, c) in token.char_indices() {
        // The script first: `is_alphabetic` is a table search outside ASCII.
        let letter = classify(c) == ScriptClass::Latin && c.is_alphabetic();
        match (letter, word_start) {
            (true, None) => word_start = Some(i),
            (false, Some(ws)) => {
                flush(ws, i, out);
                word_start = None;
            }
            _ => {}
        }
    }
    if let Some(ws) = word_start {
        flush(ws, token.len(), out);
    }
}

/// Calls `f` with the byte offset in `word` where each of its syllables but the last ends:
/// `hypher::hyphenate`'s points, remembered per thread for words of up to
/// [`MAX_CACHED_WORD`] bytes. A text's words recur (an issue sets "government" dozens of
/// times, an export thousands), and looking one up costs a fraction of running hypher's
/// patterns over it again.
fn syllable_ends(word: &str, lang: hypher::Lang, mut f: impl FnMut(usize)) {
    use rustc_hash::FxHashMap as HashMap;
    use std::cell::RefCell;
    // Fx hashing, as the shaper's word cache: a word is looked up for every Latin word of a
    // document, and SipHash was a fifth of this function (callgrind).
    type Cache = Vec<(hypher::Lang, HashMap<Box<str>, Box<[u8]>>)>;
    thread_local! {
        static CACHE: RefCell<Cache> = const { RefCell::new(Vec::new()) };
    }
    let mut emit = |ends: &[u8]| ends.iter().for_each(|&e| f(usize::from(e)));
    let done = word.len() <= MAX_CACHED_WORD
        && CACHE.with(|cache| {
            let Ok(mut cache) = cache.try_borrow_mut() else {
                return false;
            };
            let i = match cache.iter().position(|(l, _)| *l == lang) {
                Some(i) => i,
                None => {
                    cache.push((lang, HashMap::default()));
                    cache.len() - 1
                }
            };
            let Some((_, words)) = cache.get_mut(i) else {
                return false;
            };
            if let Some(ends) = words.get(word) {
                emit(ends);
                return true;
            }
            let ends: Box<[u8]> = hypher_ends(word, lang)
                .into_iter()
                .filter_map(|e| u8::try_from(e).ok())
                .collect();
            emit(&ends);
            // Bounded: a long export's vocabulary starts over rather than grow on.
            if words.len() >= MAX_CACHED_WORDS {
                words.clear();
            }
            words.insert(word.into(), ends);
            true
        });
    if !done {
        hypher_ends(word, lang).into_iter().for_each(f);
    }
}

/// Where `word`'s syllables but the last end, straight from hypher (no cache).
fn hypher_ends(word: &str, lang: hypher::Lang) -> Vec<usize> {
    let mut off = 0;
    let mut ends: Vec<usize> = hypher::hyphenate(word, lang)
        .map(|s| {
            off += s.len();
            off
        })
        .collect();
    // The last syllable ends the word: no break there.
    ends.pop();
    ends
}

/// How many words [`syllable_ends`] remembers per language and thread (~100 bytes each).
const MAX_CACHED_WORDS: usize = 50_000;

/// The longest word, in bytes, [`syllable_ends`] remembers (its offsets fit in a byte).
const MAX_CACHED_WORD: usize = 64;

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str, hyph: bool) -> Vec<(String, OppKind)> {
        opportunities(text, "en", hyph)
            .into_iter()
            .map(|o| (text[..o.pos].to_string(), o.kind))
            .collect()
    }

    #[test]
    fn breaks_remembered_syllables_are_hyphers() {
        let long = "Donaudampfschifffahrtsgesellschaftskapitänswitwenrentenversicherungsanstalt";
        assert!(long.len() > MAX_CACHED_WORD);
        for _ in 0..2 {
            for (word, lang) in [
                ("international", hypher::Lang::English),
                ("Übergangsbestimmungen", hypher::Lang::German),
                ("international", hypher::Lang::German),
                ("cooperation", hypher::Lang::English),
                (long, hypher::Lang::German),
            ] {
                let mut got = Vec::new();
                syllable_ends(word, lang, |e| got.push(e));
                assert_eq!(got, hypher_ends(word, lang), "{word}");
                assert!(!got.is_empty(), "{word}");
            }
        }
    }

    #[test]
    fn breaks_spaces_are_allowed_breaks() {
        let k = kinds("one two three", false);
        assert_eq!(
            k,
            vec![
                ("one ".to_string(), OppKind::Allowed),
                ("one two ".to_string(), OppKind::Allowed)
            ]
        );
    }

    #[test]
    fn breaks_hyphenation_points_in_long_words() {
        let k = kinds("international", true);
        assert!(k.iter().all(|(_, kind)| *kind == OppKind::Hyphen));
        assert!(k.iter().any(|(s, _)| s == "inter"), "{k:?}");
    }

    #[test]
    fn breaks_no_hyphenation_of_capitals_or_numbers() {
        assert!(kinds("INTERNATIONAL", true).is_empty());
        assert!(kinds("international2017", true).is_empty());
    }

    #[test]
    fn breaks_url_breaks_after_slashes_and_dots_only() {
        let url = "https://www.example.com/path-to/page?x=1&y=2";
        let k = kinds(url, true);
        assert!(k.iter().all(|(_, kind)| *kind == OppKind::Url), "{k:?}");
        let ends: Vec<char> = k.iter().filter_map(|(s, _)| s.chars().last()).collect();
        assert!(ends.iter().all(|c| "/.?&=@h".contains(*c)), "{ends:?}");
        assert!(k.iter().any(|(s, _)| s == "https://"), "{k:?}");
        // Before a hyphen, never after it: "path|-to", so no line ends in "-".
        assert!(k.iter().any(|(s, _)| s.ends_with("path")), "{k:?}");
        assert!(!ends.contains(&'-'), "{ends:?}");
    }

    #[test]
    fn breaks_email_is_a_url() {
        assert!(is_url_or_email("press@china-embassy.org"));
        assert!(is_url_or_email("WWW.example.org"));
        assert!(is_url_or_email("MailTo:press@example.org"));
        assert!(is_url_or_email("HTTPS://example.org"));
        assert!(!is_url_or_email("ww"));
        assert!(!is_url_or_email("wwwexample"));
        assert!(!is_url_or_email("中文www."));
        assert!(!is_url_or_email("@home"));
        assert!(!is_url_or_email("word."));
    }

    fn allowed_after(text: &str, locale: Locale) -> Vec<String> {
        let mut o = opportunities(text, "", false);
        apply_cjk_rules(text, &mut o, locale);
        o.iter()
            .filter(|o| o.penalty < NEVER)
            .map(|o| text[..o.pos].to_string())
            .collect()
    }

    #[test]
    fn breaks_kinsoku_closing_marks_never_start_a_line() {
        // JLREQ §3.1.7, CLREQ §6.1.1: no break before 。」、ー or small kana.
        let text = "「ちょっと待って」とコーヒーを飲んだ。";
        for s in allowed_after(text, Locale::Ja) {
            let next = text[s.len()..].chars().next().unwrap_or(' ');
            assert!(
                cjk::may_start_line(next, Locale::Ja),
                "break before {next:?} after {s:?}"
            );
        }
    }

    #[test]
    fn breaks_kinsoku_opening_brackets_never_end_a_line() {
        // JLREQ §3.1.8, CLREQ §6.1.1: no break after 「《（.
        let text = "他说「你好」，《人民日报》（海外版）报道";
        for s in allowed_after(text, Locale::Ja) {
            let last = s.chars().last().unwrap_or(' ');
            assert!(cjk::may_end_line(last, Locale::Ja), "break after {last:?}");
        }
    }

    #[test]
    fn breaks_kinsoku_dashes_and_ellipses_never_split() {
        // JLREQ §3.1.10, CLREQ §6.1.2.
        let text = "中文——中文……中文";
        let allowed = allowed_after(text, Locale::Ja);
        assert!(!allowed
            .iter()
            .any(|s| s.ends_with("中文—") || s.ends_with("中文…")));
        assert!(
            allowed.iter().any(|s| s == "中"),
            "ordinary Han still breaks"
        );
    }

    #[test]
    fn breaks_korean_breaks_only_at_spaces() {
        let text = "대사관 뉴스레터를 읽으십시오";
        let allowed = allowed_after(text, Locale::Ko);
        assert_eq!(allowed, vec!["대사관 ", "대사관 뉴스레터를 "]);
        let mut o = opportunities(text, "ko", false);
        apply_cjk_rules(text, &mut o, Locale::Ko);
        assert!(
            o.iter().all(|o| !o.cjk_glue),
            "Korean justifies at spaces only"
        );
    }

    #[test]
    fn breaks_cjk_boundaries_get_inter_character_glue() {
        let text = "中文字";
        let mut o = opportunities(text, "zh", false);
        apply_cjk_rules(text, &mut o, Locale::Ja);
        assert_eq!(o.iter().filter(|o| o.cjk_glue).count(), 2);
    }

    fn rules_at(text: &str, lang: &str, locale: Locale) -> Vec<(String, f32, f32, f32)> {
        let mut o = opportunities(text, lang, false);
        apply_cjk_rules(text, &mut o, locale);
        o.iter()
            .map(|o| {
                (
                    text[..o.pos].to_string(),
                    o.cjk_adjust,
                    o.cjk_shrink,
                    o.cjk_start_trim,
                )
            })
            .collect()
    }

    fn at(rules: &[(String, f32, f32, f32)], before: &str) -> (f32, f32, f32) {
        rules
            .iter()
            .find(|r| r.0 == before)
            .map_or((0.0, 0.0, 0.0), |r| (r.1, r.2, r.3))
    }

    #[test]
    fn breaks_cjk_adjacent_marks_compress_to_one_and_a_half_em() {
        // JLREQ §3.1.4, CLREQ §6.3.2: 。「 and ”） set in 1.5 em, not 2: the boundary's natural
        // space is -0.5 em. The JIS full stop keeps its half em mid-line (JLREQ Appendix D), so
        // 。「 has nothing left to push in (a line may start at 「, dropping its half em, JLREQ
        // §3.1.5); 」 before Han may lose its half em (push-in).
        let r = rules_at("文。「文」文", "ja", Locale::Ja);
        assert_eq!(at(&r, "文。"), (-0.5, 0.0, 0.5));
        assert_eq!(at(&r, "文。「文」"), (0.0, 0.5, 0.0));
        let r = rules_at("他说“你好”）。", "zh-Hans", Locale::ZhHans);
        assert_eq!(at(&r, "他说“你好”").0, -0.5);
    }

    #[test]
    fn breaks_cjk_traditional_centred_marks_compress_by_a_quarter() {
        // CLREQ §6.3.2: Taiwan centres 。，, so only the quarter em on the meeting side goes.
        let r = rules_at("文，「文", "zh-Hant", Locale::ZhHant);
        assert_eq!(at(&r, "文，").0, -0.5);
        let r = rules_at("文，）文", "zh-Hant", Locale::ZhHant);
        assert_eq!(at(&r, "文，").0, -0.25);
    }

    #[test]
    fn breaks_cjk_autospace_between_han_and_latin() {
        // JLREQ §3.2, CLREQ §6.3.3: a quarter em between Han/kana and Latin letters or digits,
        // none where punctuation or a space already separates them.
        let r = rules_at("在UN框架，2017年", "zh-Hans", Locale::ZhHans);
        assert_eq!(at(&r, "在").0, 0.25);
        assert_eq!(at(&r, "在UN").0, 0.25);
        assert_eq!(at(&r, "在UN框架，2017").0, 0.25);
        assert_eq!(at(&r, "在UN框架，").0, 0.0);
        assert_eq!(
            at(&rules_at("中文 UN", "zh", Locale::ZhHans), "中文").0,
            0.0
        );
    }

    #[test]
    fn breaks_cjk_opening_bracket_at_line_start_drops_its_half_em() {
        // JLREQ §3.1.5, CLREQ §6.3.2.3: only where a break is allowed before the bracket.
        let r = rules_at("文文「文」", "ja", Locale::Ja);
        assert_eq!(at(&r, "文文").2, 0.5);
        assert_eq!(at(&r, "文文「").2, 0.0);
    }

    #[test]
    fn breaks_soft_hyphen_is_a_hyphenation_point() {
        let k = kinds("news\u{AD}letter", false);
        assert_eq!(k, vec![("news\u{AD}".to_string(), OppKind::Hyphen)]);
    }

    #[test]
    fn breaks_newline_is_mandatory() {
        let k = kinds("a\nb", false);
        assert_eq!(k, vec![("a\n".to_string(), OppKind::Mandatory)]);
    }

    #[test]
    fn breaks_none_after_the_hyphen_of_a_compound() {
        let text = "long-distance haulage – and more";
        let opps = opportunities(text, "en", false);
        assert!(opps.iter().all(|o| o.pos != 5), "{opps:?}");
        // The dash still breaks.
        let dash = text.find('–').unwrap() + '–'.len_utf8();
        assert!(
            opps.iter().any(|o| o.pos == dash + 1 || o.pos == dash),
            "{opps:?}"
        );
    }
}
