//! Break opportunities: UAX #14 as the base, hyphenation points (hypher), URL and e-mail
//! breaks after `/ . - ? & = @`, each with the penalty the line breaker charges for it.

use unicode_linebreak::{linebreaks, BreakOpportunity};

use super::itemize::{classify, ScriptClass};

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
    /// How much that inter-character glue may shrink, in em: the blank half of a full-width
    /// mark beside it (push-in, JLREQ §3.8 / CLREQ §6.2); 0 elsewhere.
    pub cjk_shrink: f32,
}

impl Opportunity {
    fn new(pos: usize, kind: OppKind) -> Opportunity {
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
        }
    }
}

/// True for a whitespace-delimited token that is a URL or e-mail address.
pub fn is_url(token: &str) -> bool {
    let lower = token.to_ascii_lowercase();
    if lower.contains("://") || lower.starts_with("www.") || lower.starts_with("mailto:") {
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
    let mut out: Vec<Opportunity> = linebreaks(text)
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
        })
        .collect();
    let hlang = if lang.is_empty() {
        Some(hypher::Lang::English)
    } else {
        hyphen_lang(lang)
    };

    let mut extra = Vec::new();
    let mut urls: Vec<(usize, usize)> = Vec::new();
    for (start, token) in tokens(text) {
        let end = start + token.len();
        if is_url(token) {
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

/// Characters not starting a line: JLREQ §3.1.7 (classes cl-02 closing brackets, cl-03
/// hyphens, cl-04 dividing punctuation, cl-05 middle dots, cl-06 full stops, cl-07 commas,
/// cl-09 iteration marks, cl-10 prolonged sound mark, cl-11 small kana) and CLREQ §6.1.1.
pub fn not_starting(c: char) -> bool {
    matches!(
        c,
        // cl-02 closing brackets
        '’' | '”' | ')' | '〕' | ']' | '}' | '〉' | '》' | '」' | '』' | '】' | '〙' | '〗' | '〟'
            | '｠' | '»' | '）' | '］' | '｝' | '｣'
            // cl-03 hyphens
            | '‐' | '〜' | '゠' | '–'
            // cl-04 dividing punctuation
            | '!' | '?' | '！' | '？' | '‼' | '⁇' | '⁈' | '⁉'
            // cl-05 middle dots
            | '・' | ':' | ';' | '：' | '；' | '·'
            // cl-06 full stops, cl-07 commas
            | '。' | '.' | '．' | '、' | ',' | '，'
            // cl-09 iteration marks, cl-10 prolonged sound mark
            | 'ヽ' | 'ヾ' | 'ゝ' | 'ゞ' | '々' | '〻' | 'ー'
            // cl-11 small kana
            | 'ぁ' | 'ぃ' | 'ぅ' | 'ぇ' | 'ぉ' | 'っ' | 'ゃ' | 'ゅ' | 'ょ' | 'ゎ' | 'ゕ' | 'ゖ'
            | 'ァ' | 'ィ' | 'ゥ' | 'ェ' | 'ォ' | 'ッ' | 'ャ' | 'ュ' | 'ョ' | 'ヮ' | 'ヵ' | 'ヶ'
            | '\u{31F0}'..='\u{31FF}'
    )
}

/// Characters not ending a line: opening brackets, JLREQ §3.1.8 (cl-01), CLREQ §6.1.1.
pub fn not_ending(c: char) -> bool {
    matches!(
        c,
        '‘' | '“'
            | '('
            | '〔'
            | '['
            | '{'
            | '〈'
            | '《'
            | '「'
            | '『'
            | '【'
            | '〘'
            | '〖'
            | '〝'
            | '｟'
            | '«'
            | '（'
            | '［'
            | '｛'
            | '｢'
    )
}

/// The blank half of a full-width punctuation mark, in em: what push-in may take away.
pub const PUNCT_SHRINK_EM: f32 = 0.5;

/// Full-width closing marks whose right half is blank (GB/JIS positions; centred in
/// Traditional Chinese, where the right half is blank too).
fn blank_after(c: char) -> bool {
    matches!(
        c,
        '、' | '。'
            | '，'
            | '．'
            | '」'
            | '』'
            | '）'
            | '》'
            | '〉'
            | '】'
            | '〕'
            | '〗'
            | '〙'
            | '｝'
            | '］'
    )
}

/// Full-width opening brackets whose left half is blank.
fn blank_before(c: char) -> bool {
    matches!(
        c,
        '「' | '『' | '（' | '《' | '〈' | '【' | '〔' | '〖' | '〘' | '｛' | '［'
    )
}

/// Pairs never split: "——", "……", "‥‥" (JLREQ §3.1.10, CLREQ §6.1.2).
fn unbreakable(a: char, b: char) -> bool {
    a == b && matches!(a, '—' | '―' | '\u{2E3A}' | '…' | '‥')
}

fn is_hangul(c: char) -> bool {
    matches!(c, '\u{1100}'..='\u{11FF}' | '\u{3130}'..='\u{318F}' | '\u{A960}'..='\u{A97F}'
        | '\u{AC00}'..='\u{D7FF}')
}

/// CJK line-breaking rules (kinsoku) as penalties, not after-the-fact fixes: every boundary
/// touching a CJK character where a line must not break gets a forbidding penalty, and every
/// boundary between two CJK characters is marked for inter-character stretch. With `korean`,
/// Hangul breaks only at spaces and justifies only at spaces (KLREQ: lines break between
/// words, 어절, in running text).
pub fn apply_cjk_rules(text: &str, opps: &mut Vec<Opportunity>, korean: bool) {
    if text.is_ascii() {
        // No CJK character: nothing to do (the common case for English issues).
        return;
    }
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut added = Vec::new();
    let mut j = 0;
    for k in 1..chars.len() {
        let (pos, c) = chars[k];
        let prev = chars[k - 1].1;
        let (pc, cc) = (classify(prev), classify(c));
        if pc != ScriptClass::Cjk && cc != ScriptClass::Cjk {
            continue;
        }
        let forbid = not_starting(c)
            || not_ending(prev)
            || unbreakable(prev, c)
            || (korean && is_hangul(prev) && is_hangul(c));
        let glue = pc == ScriptClass::Cjk
            && cc == ScriptClass::Cjk
            && !(korean && (is_hangul(prev) || is_hangul(c)));
        let shrink = if glue {
            PUNCT_SHRINK_EM
                * (f32::from(u8::from(blank_after(prev))) + f32::from(u8::from(blank_before(c))))
        } else {
            0.0
        };
        while j < opps.len() && opps[j].pos < pos {
            j += 1;
        }
        match opps.get_mut(j).filter(|o| o.pos == pos) {
            Some(o) if o.kind == OppKind::Mandatory => {}
            Some(o) => {
                if forbid {
                    o.penalty = NEVER;
                }
                o.cjk_glue = glue;
                o.cjk_shrink = shrink;
            }
            None if glue => {
                let mut o = Opportunity::new(pos, OppKind::Allowed);
                o.penalty = NEVER;
                o.cjk_glue = true;
                o.cjk_shrink = shrink;
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

/// Joins the lines of hard-wrapped source text into one paragraph: a line break between two
/// Chinese or Japanese characters (Han, kana, CJK punctuation) disappears, any other becomes
/// one space; spaces around the break go with it. This is CSS Text 3 §4.1.2 (segment break
/// transformation), and what CLREQ/JLREQ text needs: Chinese and Japanese do not space words.
/// Hangul counts as non-CJK here, since Korean spaces its words.
pub fn join_wrapped_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut lines = text.split('\n').map(|l| l.trim_end_matches('\r'));
    let joins = |c: char| classify(c) == ScriptClass::Cjk && !is_hangul(c);
    if let Some(first) = lines.next() {
        out.push_str(first.trim_end());
    }
    for line in lines {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let before = out.chars().next_back();
        let after = line.chars().next();
        match (before, after) {
            (Some(b), Some(a)) if joins(b) && joins(a) => {}
            (Some(_), _) => out.push(' '),
            (None, _) => {}
        }
        out.push_str(line);
    }
    out
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
    let hyphen = before.next().is_some_and(|c| matches!(c, '-' | '\u{2010}'));
    let letter_before = before.next().is_some_and(char::is_alphanumeric);
    let letter_after = text[pos..]
        .chars()
        .next()
        .is_some_and(char::is_alphanumeric);
    hyphen && letter_before && letter_after
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
        let mut off = ws;
        let syllables: Vec<&str> = hypher::hyphenate(word, lang).collect();
        for s in syllables.iter().take(syllables.len().saturating_sub(1)) {
            off += s.len();
            out.push(Opportunity::new(start + off, OppKind::Hyphen));
        }
    };
    for (i, c) in token.char_indices() {
        let letter = c.is_alphabetic() && classify(c) == ScriptClass::Latin;
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
        assert!(is_url("press@china-embassy.org"));
        assert!(!is_url("@home"));
        assert!(!is_url("word."));
    }

    fn allowed_after(text: &str, korean: bool) -> Vec<String> {
        let mut o = opportunities(text, "", false);
        apply_cjk_rules(text, &mut o, korean);
        o.iter()
            .filter(|o| o.penalty < NEVER)
            .map(|o| text[..o.pos].to_string())
            .collect()
    }

    #[test]
    fn breaks_kinsoku_closing_marks_never_start_a_line() {
        // JLREQ §3.1.7, CLREQ §6.1.1: no break before 。」、ー or small kana.
        let text = "「ちょっと待って」とコーヒーを飲んだ。";
        for s in allowed_after(text, false) {
            let next = text[s.len()..].chars().next().unwrap_or(' ');
            assert!(!not_starting(next), "break before {next:?} after {s:?}");
        }
    }

    #[test]
    fn breaks_kinsoku_opening_brackets_never_end_a_line() {
        // JLREQ §3.1.8, CLREQ §6.1.1: no break after 「《（.
        let text = "他说「你好」，《人民日报》（海外版）报道";
        for s in allowed_after(text, false) {
            let last = s.chars().last().unwrap_or(' ');
            assert!(!not_ending(last), "break after {last:?}");
        }
    }

    #[test]
    fn breaks_kinsoku_dashes_and_ellipses_never_split() {
        // JLREQ §3.1.10, CLREQ §6.1.2.
        let text = "中文——中文……中文";
        let allowed = allowed_after(text, false);
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
        let allowed = allowed_after(text, true);
        assert_eq!(allowed, vec!["대사관 ", "대사관 뉴스레터를 "]);
        let mut o = opportunities(text, "ko", false);
        apply_cjk_rules(text, &mut o, true);
        assert!(
            o.iter().all(|o| !o.cjk_glue),
            "Korean justifies at spaces only"
        );
    }

    #[test]
    fn breaks_cjk_boundaries_get_inter_character_glue() {
        let text = "中文字";
        let mut o = opportunities(text, "zh", false);
        apply_cjk_rules(text, &mut o, false);
        assert_eq!(o.iter().filter(|o| o.cjk_glue).count(), 2);
    }

    #[test]
    fn breaks_join_wrapped_lines_cjk_without_space_latin_with() {
        // CSS Text 3 §4.1.2: no space between Chinese/Japanese lines, a space elsewhere.
        assert_eq!(
            join_wrapped_lines("中华人民共和国\n驻美国大使馆"),
            "中华人民共和国驻美国大使馆"
        );
        assert_eq!(
            join_wrapped_lines("大使館の\r\nニュース"),
            "大使館のニュース"
        );
        assert_eq!(
            join_wrapped_lines("Embassy of the\nPeople's Republic"),
            "Embassy of the People's Republic"
        );
        assert_eq!(join_wrapped_lines("中文\nEnglish"), "中文 English");
        assert_eq!(join_wrapped_lines("대사관\n뉴스"), "대사관 뉴스");
    }

    #[test]
    fn breaks_cjk_punctuation_may_be_pushed_in() {
        // JLREQ §3.8 / CLREQ §6.2: the blank half of 。 and of 「 may be pushed in during line
        // adjustment, so between 。 and 「 up to a whole em. (The fixed 1.5 em setting of such a
        // pair, JLREQ §3.1.4, is punctuation compression: issue 5 item 2, not done here.)
        let text = "文。「文」文";
        let mut o = opportunities(text, "ja", false);
        apply_cjk_rules(text, &mut o, false);
        let at = |s: &str| {
            o.iter()
                .find(|o| o.pos == s.len())
                .map_or(0.0, |o| o.cjk_shrink)
        };
        assert_eq!(at("文"), 0.0);
        assert_eq!(at("文。"), 1.0);
        assert_eq!(at("文。「文"), 0.0);
        assert_eq!(at("文。「文」"), 0.5);
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
