//! The masthead line recognised: a newsletter's name with its issue number and year
//! ("NEWSLETTER Issue Ⅳ of 2017", "简讯 2017年第四期"), or its name alone ("EMBASSY NEWSLETTER").

use super::detect::{ends_like_prose, is_short, mostly_cjk, SHORT_LATIN};
use super::numeral::{
    is_decimal_digit, is_kanji_numeral_char, is_unicode_roman, parse_decimal, parse_kanji,
    parse_roman, parse_unicode_roman,
};
use crate::model::NumeralStyle;

/// The masthead read from a line: "NEWSLETTER Issue Ⅳ of 2017", "Bulletin No. 12, 2017",
/// "简讯 2017年第四期", "ニュースレター 2017年第4号", "뉴스레터 2017년 제4호".
#[derive(Debug, Clone, PartialEq)]
pub struct MastheadParts {
    pub name: String,
    pub numeral: Option<String>,
    pub number: Option<u32>,
    pub year: Option<i32>,
    /// 0-based char index of the numeral in the line.
    pub numeral_col: Option<usize>,
}

/// Read a numeral of any kind: decimal, ASCII Roman, Unicode Roman, kanji.
pub fn any_numeral(s: &str) -> Option<(u32, NumeralStyle)> {
    if let Some(v) = parse_decimal(s) {
        return Some((v, NumeralStyle::Arabic));
    }
    if let Some(v) = parse_roman(s) {
        return Some((v, NumeralStyle::Roman));
    }
    if let Some(v) = parse_unicode_roman(s) {
        return Some((v, NumeralStyle::UnicodeRoman));
    }
    parse_kanji(s).map(|v| (v, NumeralStyle::Chinese))
}

fn year_of(s: &str) -> Option<i32> {
    let v = parse_decimal(s).or_else(|| parse_kanji(s))?;
    // Newsletters are dated in living memory; other four-digit numbers are not years.
    (1800..=2200).contains(&v).then_some(v as i32)
}

const MONTHS: [&str; 24] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
];

/// Parse a masthead line, or `None` when the line is not one.
pub fn masthead(line: &str) -> Option<MastheadParts> {
    latin_masthead(line).or_else(|| cjk_masthead(line))
}

/// Words a newsletter's name ends with ("Embassy Newsletter", "Consular Update", "简讯"). A
/// first line with no issue number is read as a masthead only when its name ends with one of
/// these (or is the configured `newsletter` name) — see `name_masthead`.
const NAME_WORDS: [&str; 29] = [
    "newsletter",
    "newsletters",
    "bulletin",
    "news",
    "newsflash",
    "digest",
    "briefing",
    "update",
    "updates",
    "gazette",
    "magazine",
    "dispatch",
    // French, German, Spanish, Portuguese, Italian, Russian: "Lettre d'information",
    // "La Lettre de l'Ambassade", "Rundbrief", "Boletín", "Notiziario", "Вестник".
    "lettre",
    "infolettre",
    "d'information",
    "rundbrief",
    "rundschreiben",
    "mitteilungen",
    "nachrichten",
    "boletín",
    "boletin",
    "boletim",
    "informativo",
    "notiziario",
    "notizie",
    "новости",
    "вестник",
    "бюллетень",
    "информационный",
];

/// Words a masthead puts between the name and the number: "Issue", "No.", "Nr.",
/// "Numéro", "Número", "№", "Выпуск".
const NUMBER_WORDS: [&str; 16] = [
    "issue",
    "no",
    "number",
    "nr",
    "nº",
    "№",
    "n°",
    "numéro",
    "numero",
    "número",
    "núm",
    "num",
    "nummer",
    "ausgabe",
    "выпуск",
    "номер",
];

/// Words between an issue's number and its year: "of" 2017, "de" 2017, "von" 2017.
const YEAR_JOINERS: [&str; 7] = ["of", "de", "del", "di", "du", "von", "г"];

/// Whether `s` is a date and nothing else ("April 2017", "15. März 2017", "avril 2017"):
/// days, month names, years and the separators between them.
pub(crate) fn is_date_only(s: &str) -> bool {
    let mut any = false;
    for t in s.split_whitespace() {
        let k = t
            .trim_matches(|c: char| matches!(c, ',' | '.' | '(' | ')'))
            .to_lowercase();
        let ok = matches!(k.as_str(), "" | "-" | "–" | "—" | "|" | "·" | "/")
            || YEAR_JOINERS.contains(&k.as_str())
            || is_month(&k)
            || year_of(&k).is_some()
            || parse_decimal(&k).is_some_and(|d| (1..=31).contains(&d));
        if !ok {
            return false;
        }
        any = true;
    }
    any
}

/// A month's name in any language of the localisation table (and the English short forms):
/// "April", "avril", "März", "Jänner", "сентября".
pub(super) fn is_month(k: &str) -> bool {
    MONTHS.contains(&k)
        || k == "jänner"
        || crate::l10n::TABLE
            .iter()
            .flat_map(|w| w.months)
            .any(|m| !m.is_empty() && m.to_lowercase() == k)
}
const CJK_NAME_WORDS: [&str; 16] = [
    "通讯",
    "通訊",
    "简讯",
    "簡訊",
    "快讯",
    "快訊",
    "简报",
    "簡報",
    "周报",
    "週報",
    "月报",
    "月報",
    "ニュース",
    "ニュースレター",
    "だより",
    "소식",
];
const KOREAN_NAME_WORDS: [&str; 3] = ["소식지", "뉴스레터", "뉴스"];

/// A masthead with a name and at most a date, no issue number: "EMBASSY NEWSLETTER",
/// "Consular Update — April 2017", "简讯 2017年4月". The name must end with a word that
/// names a newsletter (`NAME_WORDS`), or be `known` (the configured `newsletter` name, any
/// case). The caller also requires a headline to follow, so a lone title is never taken.
pub fn name_masthead(line: &str, known: Option<&str>) -> Option<MastheadParts> {
    let line = line.trim();
    if line.is_empty() || ends_like_prose(line) || line.ends_with(['!', '?', '！', '？']) {
        return None;
    }
    let (name, year) = if mostly_cjk(line) {
        strip_cjk_date(line)
    } else {
        strip_latin_date(line)
    };
    let name = name.trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, ',' | ':' | '-' | '–' | '—' | '|' | '·' | '/')
    });
    if name.is_empty() || !is_short(name, SHORT_LATIN / 2) {
        return None;
    }
    let is_known = known.is_some_and(|k| {
        let k = k.trim();
        let same = |a: &str, b: &str| a.to_lowercase() == b.to_lowercase();
        !k.is_empty() && (same(k, name) || same(k, line))
    });
    let mut words: Vec<&str> = name.split_whitespace().collect();
    // A leading article does not count: "La Lettre de l'Ambassade", "Die Botschaftsnachrichten".
    let articles = [
        "the", "la", "le", "les", "l'", "der", "die", "das", "el", "il", "lo", "o", "a",
    ];
    if words.len() > 1 && articles.contains(&words[0].to_lowercase().as_str()) {
        words.remove(0);
    }
    let word = |w: &&str| {
        w.trim_matches(|c: char| !(c.is_alphanumeric() || c == '\''))
            .to_lowercase()
    };
    let (first, last) = (
        words.first().map(word).unwrap_or_default(),
        words.last().map(word).unwrap_or_default(),
    );
    // The name word ends the name in English ("Embassy Newsletter") and often starts it in
    // the Romance languages and German ("Lettre de l'Ambassade", "Newsletter der Botschaft").
    let of_word = words.get(1).is_some_and(|w| {
        [
            "of", "de", "des", "du", "der", "des", "del", "della", "da", "do", "für",
        ]
        .contains(w)
            || ["d'", "d’", "dell'", "dell’"]
                .iter()
                .any(|p| w.starts_with(p))
    });
    let named = (words.len() <= 6
        && (NAME_WORDS.contains(&last.as_str())
            || (NAME_WORDS.contains(&first.as_str()) && of_word)))
        || CJK_NAME_WORDS.iter().any(|w| name.ends_with(w))
        || KOREAN_NAME_WORDS.iter().any(|w| name.ends_with(w));
    if !(is_known || named) {
        return None;
    }
    Some(MastheadParts {
        name: name.to_string(),
        numeral: None,
        number: None,
        year,
        numeral_col: None,
    })
}

/// "Name — April 2017" → ("Name ", Some(2017)): a trailing date (year, month, day, and the
/// separators before and between them) taken off; the line unchanged when there is none.
fn strip_latin_date(line: &str) -> (&str, Option<i32>) {
    let mut end = line.len();
    let mut year = None;
    let mut dated = false;
    for (start, token) in tokens_rev(line) {
        let k = token
            .trim_matches(|c: char| matches!(c, ',' | '.' | '(' | ')'))
            .to_lowercase();
        let is_sep = matches!(k.as_str(), "" | "-" | "–" | "—" | "|" | "·" | "/")
            || (dated && YEAR_JOINERS.contains(&k.as_str()));
        if let Some(y) = year_of(&k).filter(|_| year.is_none()) {
            year = Some(y);
            dated = true;
        } else if is_month(&k) {
            dated = true;
        } else if !(is_sep || parse_decimal(&k).is_some_and(|d| (1..=31).contains(&d))) {
            break;
        }
        end = start;
    }
    if dated {
        (&line[..end], year)
    } else {
        (line, None)
    }
}

/// Whitespace-separated tokens of `s` from the last, each with its byte offset.
fn tokens_rev(s: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut end = s.len();
    std::iter::from_fn(move || {
        let head = s[..end].trim_end();
        if head.is_empty() {
            return None;
        }
        let start = head
            .char_indices()
            .rev()
            .find(|(_, c)| c.is_whitespace())
            .map(|(i, c)| i + c.len_utf8())
            .unwrap_or(0);
        end = start;
        Some((start, &head[start..]))
    })
}

/// "简讯 2017年4月" → ("简讯", Some(2017)); Korean "2017년 4월" likewise. A month needs its
/// year; without a dated ending the line is returned whole.
fn strip_cjk_date(line: &str) -> (&str, Option<i32>) {
    let digit = |c: char| is_decimal_digit(c) || is_kanji_numeral_char(c);
    let mut rest = line.trim_end();
    if let Some(r) = rest.strip_suffix(['月', '월']) {
        let digits_start = r.trim_end_matches(digit).len();
        if digits_start < r.len() {
            rest = r[..digits_start].trim_end();
        }
    }
    if let Some(r) = rest.strip_suffix(['年', '년']) {
        let y_start = r.trim_end_matches(digit).len();
        if let Some(y) = year_of(&r[y_start..]) {
            return (r[..y_start].trim_end(), Some(y));
        }
    }
    (line, None)
}

/// "NEWSLETTER Issue Ⅳ of 2017", "Embassy Bulletin No. 12, 2017", "Review Vol. 3, No. 7 (2019)".
fn latin_masthead(line: &str) -> Option<MastheadParts> {
    let tokens = tokens_with_columns(line);
    let is_no_word = |t: &str| NUMBER_WORDS.contains(&key(t).as_str());
    let pos = tokens.iter().position(|(_, t)| {
        is_no_word(t)
            || (t.starts_with('#') && t.len() > 1)
            || (t.starts_with('№') && t.chars().count() > 1)
    })?;
    if pos == 0 {
        return None;
    }
    // The name ends before an optional "Vol. 3," part.
    let mut name_end = pos;
    if name_end >= 2 && matches!(key(tokens[name_end - 2].1).as_str(), "vol" | "volume") {
        name_end -= 2;
    }
    let name: Vec<&str> = tokens[..name_end].iter().map(|(_, t)| *t).collect();
    let name = name.join(" ");
    if name.is_empty() || name.chars().count() > SHORT_LATIN / 2 {
        return None;
    }
    // The numeral follows the keyword, or is glued to '#'/'№'.
    let (col, raw, rest) = {
        let (c, t) = tokens[pos];
        if let Some(stripped) = t
            .strip_prefix('#')
            .or_else(|| t.strip_prefix('№'))
            .filter(|s| !s.is_empty())
        {
            (c + 1, stripped, pos + 1)
        } else {
            let (c2, t2) = *tokens.get(pos + 1)?;
            (c2, t2, pos + 2)
        }
    };
    let numeral = raw.trim_end_matches([',', '.', ':']);
    let (number, _) = any_numeral(numeral)?;
    let year = trailing_year(&tokens[rest..])?;
    Some(MastheadParts {
        name,
        numeral: Some(numeral.to_string()),
        number: Some(number),
        year,
        numeral_col: Some(col),
    })
}

/// Whitespace-separated tokens of `line`, each with its char offset.
fn tokens_with_columns(line: &str) -> Vec<(usize, &str)> {
    let mut tokens: Vec<(usize, &str)> = Vec::new();
    let mut start: Option<(usize, usize)> = None; // (byte, char)
    for (char_idx, (b, c)) in line.char_indices().enumerate() {
        if c.is_whitespace() {
            if let Some((sb, sc)) = start.take() {
                tokens.push((sc, &line[sb..b]));
            }
        } else if start.is_none() {
            start = Some((b, char_idx));
        }
    }
    if let Some((sb, sc)) = start {
        tokens.push((sc, &line[sb..]));
    }
    tokens
}

/// A masthead token compared as a word: lower case, without the punctuation after it.
fn key(t: &str) -> String {
    t.trim_end_matches(['.', ',', ':']).to_lowercase()
}

/// The year among the tokens after the issue numeral ("of 2017", "March 2019", "(2019)"):
/// `Some(None)` when they hold none, `None` when one of them is no part of a date (the line
/// is then not a masthead).
fn trailing_year(tokens: &[(usize, &str)]) -> Option<Option<i32>> {
    let mut year = None;
    for (_, t) in tokens {
        let k = key(t);
        let k = k.trim_start_matches('(').trim_end_matches(')');
        if let Some(y) = year_of(k) {
            year = Some(y);
        } else if !(YEAR_JOINERS.contains(&k)
            || k == "-"
            || k == "–"
            || k == "—"
            || k.is_empty()
            || is_month(k)
            || parse_decimal(k).is_some_and(|d| (1..=31).contains(&d)))
        {
            return None;
        }
    }
    Some(year)
}

/// "简讯 2017年第四期", "ニュースレター 2018年第3号", "대사관 소식 2020년 제5호".
fn cjk_masthead(line: &str) -> Option<MastheadParts> {
    let chars: Vec<char> = line.chars().collect();
    // "第…期/号/號" or Korean "제…호".
    let ord = chars.iter().position(|&c| c == '第' || c == '제')?;
    let num_start = ord + 1;
    let mut num_end = num_start;
    // Kanji, Arabic (ASCII or full-width) or Unicode Roman ("第Ⅸ号"), one kind at a time.
    let roman = chars.get(num_start).is_some_and(|c| is_unicode_roman(*c));
    while num_end < chars.len()
        && if roman {
            is_unicode_roman(chars[num_end])
        } else {
            is_kanji_numeral_char(chars[num_end]) || is_decimal_digit(chars[num_end])
        }
    {
        num_end += 1;
    }
    let suffix = *chars.get(num_end)?;
    if !matches!(suffix, '期' | '号' | '號' | '호') || num_end == num_start {
        return None;
    }
    let numeral: String = chars[num_start..num_end].iter().collect();
    let number = if roman {
        parse_unicode_roman(&numeral)?
    } else {
        parse_decimal(&numeral).or_else(|| parse_kanji(&numeral))?
    };
    // A year: digits followed by 年/년, before the ordinal.
    let mut year = None;
    let mut name_end = ord;
    if let Some(y_end) = chars[..ord].iter().rposition(|&c| c == '年' || c == '년') {
        let mut y_start = y_end;
        while y_start > 0
            && (is_decimal_digit(chars[y_start - 1]) || is_kanji_numeral_char(chars[y_start - 1]))
        {
            y_start -= 1;
        }
        let y: String = chars[y_start..y_end].iter().collect();
        year = year_of(&y);
        if year.is_some() {
            name_end = y_start;
        }
    }
    let name: String = chars[..name_end]
        .iter()
        .collect::<String>()
        .trim()
        .to_string();
    let tail: String = chars[num_end + 1..].iter().collect();
    if name.is_empty() || !is_short(&name, SHORT_LATIN / 2) || tail.trim().chars().count() > 12 {
        return None;
    }
    Some(MastheadParts {
        name,
        numeral: Some(numeral),
        number: Some(number),
        year,
        numeral_col: Some(num_start),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masthead_date_only_text() {
        for yes in [
            "April 2017",
            "avril 2017",
            "15. März 2017",
            "septiembre de 2017",
            "2017",
        ] {
            assert!(is_date_only(yes), "{yes}");
        }
        for no in ["Issue 4 of 2017", "Spring 2017", "", "Numéro 4, 2017"] {
            assert!(!is_date_only(no), "{no}");
        }
    }

    #[test]
    fn masthead_name_only_forms() {
        let parts = |l: &str| name_masthead(l, None).map(|m| (m.name, m.year, m.number));
        let some = |n: &str, y: Option<i32>| Some((n.to_string(), y, None));
        assert_eq!(
            parts("EMBASSY NEWSLETTER"),
            some("EMBASSY NEWSLETTER", None)
        );
        assert_eq!(
            parts("Consular Update — April 2017"),
            some("Consular Update", Some(2017))
        );
        assert_eq!(
            parts("Embassy News, 12 March 2019"),
            some("Embassy News", Some(2019))
        );
        assert_eq!(
            parts("Weekly Digest (2020)"),
            some("Weekly Digest", Some(2020))
        );
        assert_eq!(parts("简讯 2017年4月"), some("简讯", Some(2017)));
        assert_eq!(parts("大使館だより"), some("大使館だより", None));
        assert_eq!(
            parts("대사관 소식지 2020년 5월"),
            some("대사관 소식지", Some(2020))
        );
        // French, German, Spanish, Italian: the name word may start the name, before "de".
        assert_eq!(
            parts("Lettre d'information — avril 2017"),
            some("Lettre d'information", Some(2017))
        );
        assert_eq!(
            parts("La Lettre de l'Ambassade, mars 2017"),
            some("La Lettre de l'Ambassade", Some(2017))
        );
        assert_eq!(parts("Die Nachrichten"), some("Die Nachrichten", None));
        assert_eq!(
            parts("Lettre de l'Ambassade — 15 mars 2017"),
            some("Lettre de l'Ambassade", Some(2017))
        );
        assert_eq!(
            parts("Newsletter der Botschaft — März 2017"),
            some("Newsletter der Botschaft", Some(2017))
        );
        assert_eq!(
            parts("Boletín de la Embajada - septiembre de 2017"),
            some("Boletín de la Embajada", Some(2017))
        );
        assert_eq!(parts("News Flash Special"), None);
        // Not a newsletter's name: the word must end the name; no sentence; not too long.
        assert_eq!(parts("Good News for Farmers"), None);
        assert_eq!(parts("The Review"), None);
        assert_eq!(parts("We publish the newsletter."), None);
        assert_eq!(parts("Is this the news?"), None);
        assert_eq!(parts("one two three four five six seven news"), None);
        assert_eq!(parts("April 2017"), None);
        // The configured name, any case.
        assert_eq!(
            name_masthead("the embassy letter", Some("The Embassy Letter")).map(|m| m.name),
            Some("the embassy letter".to_string())
        );
    }

    #[test]
    fn masthead_numbered_forms() {
        let m = masthead("NEWSLETTER Issue Ⅳ of 2017").unwrap();
        assert_eq!(
            (m.name.as_str(), m.number, m.year),
            ("NEWSLETTER", Some(4), Some(2017))
        );
        assert_eq!(m.numeral.as_deref(), Some("Ⅳ"));
        assert_eq!(m.numeral_col, Some(17));
        let m = masthead("Embassy Bulletin No. 12, 2017").unwrap();
        assert_eq!(
            (m.name.as_str(), m.number, m.year),
            ("Embassy Bulletin", Some(12), Some(2017))
        );
        let m = masthead("Review Vol. 3, No. 7 (2019)").unwrap();
        assert_eq!(
            (m.name.as_str(), m.number, m.year),
            ("Review", Some(7), Some(2019))
        );
        let m = masthead("简讯 2017年第四期").unwrap();
        assert_eq!(
            (m.name.as_str(), m.number, m.year),
            ("简讯", Some(4), Some(2017))
        );
        let m = masthead("ニュースレター 2018年第3号").unwrap();
        assert_eq!(
            (m.name.as_str(), m.number, m.year),
            ("ニュースレター", Some(3), Some(2018))
        );
        let m = masthead("대사관 소식 2020년 제5호").unwrap();
        assert_eq!(
            (m.name.as_str(), m.number, m.year),
            ("대사관 소식", Some(5), Some(2020))
        );
        // Issue 5's form: U+3000 after the name, a space before 第, a Unicode Roman numeral.
        let m = masthead("大使館ニュースレター\u{3000}2017年 第Ⅸ号").unwrap();
        assert_eq!(
            (m.name.as_str(), m.number, m.year),
            ("大使館ニュースレター", Some(9), Some(2017))
        );
        assert_eq!((m.numeral.as_deref(), m.numeral_col), (Some("Ⅸ"), Some(18)));
        let m = masthead("简讯　2019年第ⅩⅡ期").unwrap();
        assert_eq!((m.name.as_str(), m.number), ("简讯", Some(12)));
        assert_eq!(masthead("简讯 2017年第ⅨⅨ期"), None);
        assert_eq!(masthead("China Releases First Strategy"), None);
        for (line, name, n, y) in [
            (
                "Lettre d'information n° 4 — avril 2017",
                "Lettre d'information",
                4,
                Some(2017),
            ),
            (
                "Newsletter der Botschaft Nr. 3, 2017",
                "Newsletter der Botschaft",
                3,
                Some(2017),
            ),
            ("Boletín Número 7 de 2017", "Boletín", 7, Some(2017)),
            ("Notiziario numero 2 di 2018", "Notiziario", 2, Some(2018)),
            ("Вестник № 5 2017", "Вестник", 5, Some(2017)),
            (
                "Rundbrief Ausgabe 12, Dezember 2019",
                "Rundbrief",
                12,
                Some(2019),
            ),
        ] {
            let m = masthead(line).unwrap_or_else(|| panic!("{line}"));
            assert_eq!(
                (m.name.as_str(), m.number, m.year),
                (name, Some(n), y),
                "{line}"
            );
        }
        assert_eq!(
            masthead("The issue of trade is discussed here at length"),
            None
        );
    }
}
