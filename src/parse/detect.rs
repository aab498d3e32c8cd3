//! Line-level detectors: masthead, section numerals, list markers, link lines, addresses.
//!
//! Each function looks at one trimmed line and says what it is, without context; the
//! assembly in `parse::build` decides with context (runs, neighbours, position).

use super::numeral::{
    is_decimal_digit, is_kanji_numeral_char, is_unicode_roman, parse_decimal, parse_kanji,
    parse_roman, parse_unicode_roman,
};
use crate::model::NumeralStyle;
use crate::script::is_east_asian as is_cjk;

/// Latin prose lines longer than this are paragraphs, not headlines, headings or address lines.
pub const SHORT_LATIN: usize = 100;
/// A CJK character is about two Latin ones wide, so CJK limits are half the Latin ones.
pub const SHORT_CJK: usize = 50;

/// True when the text is mostly CJK (counting letters only).
pub fn mostly_cjk(s: &str) -> bool {
    let (mut cjk, mut other) = (0usize, 0usize);
    for c in s.chars().filter(|c| c.is_alphanumeric() || is_cjk(*c)) {
        if is_cjk(c) {
            cjk += 1;
        } else {
            other += 1;
        }
    }
    cjk > 0 && cjk * 2 >= other
}

/// True when the line is short enough to be a title, heading, address or closing line.
pub fn is_short(s: &str, latin_limit: usize) -> bool {
    let limit = if mostly_cjk(s) {
        latin_limit / 2
    } else {
        latin_limit
    };
    s.chars().count() <= limit
}

/// True when the line ends a sentence or a clause (so it is prose, not a title).
pub fn ends_like_prose(s: &str) -> bool {
    s.ends_with(['.', ',', ';', ':', '。', '，', '；', '：', '、'])
}

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
const NAME_WORDS: [&str; 12] = [
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
];
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
    let words: Vec<&str> = name.split_whitespace().collect();
    let last = words
        .last()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .unwrap_or_default();
    let named = (words.len() <= 6 && NAME_WORDS.contains(&last.as_str()))
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
        let is_sep = matches!(k.as_str(), "" | "-" | "–" | "—" | "|" | "·" | "/");
        if let Some(y) = year_of(&k).filter(|_| year.is_none()) {
            year = Some(y);
            dated = true;
        } else if MONTHS.contains(&k.as_str()) {
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

fn latin_masthead(line: &str) -> Option<MastheadParts> {
    // Tokens with their char offsets.
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
    let key = |t: &str| t.trim_end_matches(['.', ',', ':']).to_lowercase();
    let is_no_word = |t: &str| {
        matches!(
            key(t).as_str(),
            "issue" | "no" | "number" | "nr" | "nº" | "№"
        )
    };
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
    let (col, raw, mut rest) = {
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
    let mut year = None;
    while let Some((_, t)) = tokens.get(rest) {
        let k = key(t);
        let k = k.trim_start_matches('(').trim_end_matches(')');
        if let Some(y) = year_of(k) {
            year = Some(y);
        } else if !(k == "of"
            || k == "-"
            || k == "–"
            || k == "—"
            || k.is_empty()
            || MONTHS.contains(&k)
            || parse_decimal(k).is_some_and(|d| (1..=31).contains(&d)))
        {
            return None;
        }
        rest += 1;
    }
    Some(MastheadParts {
        name,
        numeral: Some(numeral.to_string()),
        number: Some(number),
        year,
        numeral_col: Some(col),
    })
}

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

/// A section numeral at the start of a line.
#[derive(Debug, Clone, PartialEq)]
pub struct SectionMarker<'a> {
    /// As written, without the delimiter ("IV", "Ⅳ", "一", "（一）", "第一章").
    pub numeral: String,
    pub number: u32,
    pub style: NumeralStyle,
    /// The text after the marker and delimiter, trimmed.
    pub rest: &'a str,
    /// A single letter other than I (V., X., L., C., D., M.) may be an initial or a letter
    /// list marker: it counts only when it continues a run.
    pub ambiguous: bool,
}

fn split_at_char(s: &str, n: usize) -> (&str, &str) {
    let b = s.char_indices().nth(n).map_or(s.len(), |(b, _)| b);
    s.split_at(b)
}

/// Recognise a section numeral at the start of `line`.
pub fn section_marker(line: &str) -> Option<SectionMarker<'_>> {
    let chars: Vec<char> = line.chars().take(24).collect();
    let first = *chars.first()?;
    // 第一章 / 第一节 / 第一部分 / 第一、 / 第一
    if first == '第' {
        let n = chars[1..]
            .iter()
            .take_while(|c| is_kanji_numeral_char(**c))
            .count();
        if n > 0 {
            let value = parse_kanji(&chars[1..=n].iter().collect::<String>())?;
            let after: String = chars[1 + n..].iter().take(2).collect();
            let unit_len = [
                "部分", "章", "节", "節", "条", "條", "部", "篇", "回", "课", "課",
            ]
            .iter()
            .find(|u| after.starts_with(*u))
            .map_or(0, |u| u.chars().count());
            let next = chars.get(1 + n + unit_len).copied();
            let delim_ok = matches!(
                next,
                None | Some('、' | '：' | ':' | ' ' | '\u{3000}' | '，' | '.' | '．')
            );
            if unit_len > 0 || (delim_ok && next.is_some()) {
                let (numeral, rest) = split_at_char(line, 1 + n + unit_len);
                return Some(SectionMarker {
                    numeral: numeral.to_string(),
                    number: value,
                    style: NumeralStyle::ChineseOrdinal,
                    rest: rest
                        .trim_start_matches(['、', '：', ':', '，', '.', '．'])
                        .trim(),
                    ambiguous: false,
                });
            }
        }
        return None;
    }
    // （一） (一)
    if first == '（' || first == '(' {
        let n = chars[1..]
            .iter()
            .take_while(|c| is_kanji_numeral_char(**c))
            .count();
        let close = chars.get(1 + n).copied();
        if n > 0 && matches!(close, Some('）' | ')')) {
            let value = parse_kanji(&chars[1..=n].iter().collect::<String>())?;
            let (numeral, rest) = split_at_char(line, n + 2);
            return Some(SectionMarker {
                numeral: numeral.to_string(),
                number: value,
                style: NumeralStyle::ChineseParen,
                rest: rest.trim(),
                ambiguous: false,
            });
        }
        return None;
    }
    // 一、 十二．
    if is_kanji_numeral_char(first) {
        let n = chars
            .iter()
            .take_while(|c| is_kanji_numeral_char(**c))
            .count();
        if matches!(chars.get(n), Some('、' | '．')) {
            let value = parse_kanji(&chars[..n].iter().collect::<String>())?;
            let (numeral, rest) = split_at_char(line, n);
            return Some(SectionMarker {
                numeral: numeral.to_string(),
                number: value,
                style: NumeralStyle::Chinese,
                rest: rest.trim_start_matches(['、', '．']).trim(),
                ambiguous: false,
            });
        }
        return None;
    }
    // Ⅰ． Ⅻ、 Ⅳ. Ⅱ Peace
    if is_unicode_roman(first) {
        let n = chars.iter().take_while(|c| is_unicode_roman(**c)).count();
        let next = chars.get(n).copied();
        if matches!(
            next,
            Some('.' | '．' | '、' | ')' | '）' | ' ' | '\u{3000}' | ':' | '：')
        ) {
            let numeral: String = chars[..n].iter().collect();
            let value = parse_unicode_roman(&numeral)?;
            let (_, rest) = split_at_char(line, n + 1);
            return Some(SectionMarker {
                numeral,
                number: value,
                style: NumeralStyle::UnicodeRoman,
                rest: rest.trim(),
                ambiguous: false,
            });
        }
        return None;
    }
    // I. II) xii.
    if first.is_ascii_alphabetic() {
        let n = chars.iter().take_while(|c| c.is_ascii_alphabetic()).count();
        let delim = chars.get(n).copied();
        let after = chars.get(n + 1).copied();
        if matches!(delim, Some('.' | ')')) && after.is_none_or(char::is_whitespace) {
            let numeral: String = chars[..n].iter().collect();
            let value = parse_roman(&numeral)?;
            let (_, rest) = split_at_char(line, n + 1);
            return Some(SectionMarker {
                ambiguous: n == 1 && !numeral.eq_ignore_ascii_case("i"),
                numeral,
                number: value,
                style: NumeralStyle::Roman,
                rest: rest.trim(),
            });
        }
    }
    None
}

/// A list marker at the start of a line: bullets or "1." style numbers.
#[derive(Debug, Clone, PartialEq)]
pub struct ListMarker<'a> {
    pub marker: String,
    pub numbered: bool,
    pub rest: &'a str,
}

/// Bullet characters that need no space after them (they cannot start a word).
const BULLETS: [char; 9] = ['•', '·', '・', '●', '○', '■', '□', '▪', '◦'];

/// Recognise a list marker at the start of `line`.
pub fn list_marker(line: &str) -> Option<ListMarker<'_>> {
    let mut it = line.chars();
    let first = it.next()?;
    if BULLETS.contains(&first) || matches!(first, '-' | '*' | '–' | '‣') {
        let rest = &line[first.len_utf8()..];
        let spaced = rest.starts_with(char::is_whitespace);
        if (spaced || BULLETS.contains(&first)) && !rest.trim().is_empty() {
            return Some(ListMarker {
                marker: first.to_string(),
                numbered: false,
                rest: rest.trim(),
            });
        }
        return None;
    }
    let (open, body) = match first {
        '(' | '（' => (true, &line[first.len_utf8()..]),
        _ => (false, line),
    };
    let digits: String = body.chars().take_while(|c| is_decimal_digit(*c)).collect();
    if digits.is_empty() || digits.chars().count() > 3 {
        return None;
    }
    let after = &body[digits.len()..];
    let delim = after.chars().next()?;
    let ok = if open {
        matches!(delim, ')' | '）')
    } else {
        matches!(delim, '.' | ')' | '．' | '、' | '）')
    };
    if !ok {
        return None;
    }
    let rest = &after[delim.len_utf8()..];
    let next = rest.chars().next();
    // "1.5 million" and "3505, International" are not markers: a space or CJK must follow.
    if !next.is_some_and(|c| c.is_whitespace() || is_cjk(c)) || rest.trim().is_empty() {
        return None;
    }
    let marker_len = line.len() - rest.len();
    Some(ListMarker {
        marker: line[..marker_len].to_string(),
        numbered: true,
        rest: rest.trim(),
    })
}

/// True for a bare URL on its own line.
pub fn is_url(s: &str) -> bool {
    let t = s.trim();
    (t.starts_with("http://") || t.starts_with("https://") || t.starts_with("www."))
        && !t.contains(char::is_whitespace)
}

/// A link line: "… here:", "… below:", "全文链接：", "こちら：" … with an optional URL that
/// follows on the same line. Returns (text without the URL, URL).
pub fn link_line(line: &str) -> Option<(String, Option<String>)> {
    let (text, url) = match line.find("http://").or_else(|| line.find("https://")) {
        Some(i) if !line[i..].contains(char::is_whitespace) && i > 0 => {
            (line[..i].trim_end(), Some(line[i..].to_string()))
        }
        _ => (line, None),
    };
    let lower = text.to_lowercase();
    let stem = lower.trim_end_matches([':', '：']).trim_end();
    if stem.len() == lower.len() {
        return None; // no colon at the end
    }
    let latin = ["here", "below", "link", "at", "online"];
    let cjk = [
        "链接",
        "鏈接",
        "全文",
        "点击",
        "點擊",
        "这里",
        "這裡",
        "此处",
        "此處",
        "网址",
        "網址",
        "こちら",
        "リンク",
        "여기",
        "링크",
    ];
    let hit = latin.iter().any(|w| {
        stem.ends_with(w)
            && stem[..stem.len() - w.len()]
                .chars()
                .last()
                .is_none_or(|c| !c.is_alphanumeric())
    }) || cjk.iter().any(|w| stem.contains(w));
    hit.then(|| (text.to_string(), url))
}

/// True for a line that carries a postal code or the shape of a postal address in the US,
/// UK, Chinese, Japanese (〒) or Korean conventions.
pub fn is_postal_line(line: &str) -> bool {
    let t = line.trim();
    if t.is_empty() || !is_short(t, SHORT_LATIN) {
        return false;
    }
    if t.contains('〒')
        || t.starts_with("地址")
        || t.contains("邮编")
        || t.contains("郵編")
        || t.contains("郵遞區號")
        || t.contains("우편번호")
        || t.contains("(우)")
    {
        return true;
    }
    let tokens: Vec<&str> = t
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|s| !s.is_empty())
        .collect();
    let last = tokens.last().copied().unwrap_or("");
    // US: "… DC 20008", "Washington, DC 20008-1234"
    let zip = |s: &str| {
        let (a, b) = s.split_once('-').unwrap_or((s, ""));
        a.len() == 5
            && a.chars().all(|c| c.is_ascii_digit())
            && (b.is_empty() || (b.len() == 4 && b.chars().all(|c| c.is_ascii_digit())))
    };
    if zip(last) && tokens.len() >= 3 {
        let state = tokens[tokens.len() - 2];
        let has_state = state.len() == 2 && state.chars().all(|c| c.is_ascii_uppercase());
        // The state code must precede the ZIP: a number at the end of prose is not a ZIP.
        if has_state {
            return true;
        }
    }
    // UK: "London SW1A 2AA"
    if tokens.len() >= 3 {
        let out = tokens[tokens.len() - 2];
        let inw = last;
        let out_ok = (2..=4).contains(&out.len())
            && out.chars().next().is_some_and(|c| c.is_ascii_uppercase())
            && out
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
            && out.chars().any(|c| c.is_ascii_digit());
        let b = inw.as_bytes();
        let in_ok = b.len() == 3
            && b[0].is_ascii_digit()
            && b[1].is_ascii_uppercase()
            && b[2].is_ascii_uppercase();
        if out_ok && in_ok {
            return true;
        }
    }
    let has = |set: &[&str]| set.iter().any(|w| t.contains(w));
    let has_digit = t.chars().any(is_decimal_digit);
    // Chinese: 北京市朝阳区三里屯路3号; 臺北市信義區…號
    if has(&["省", "市"])
        && has(&["区", "區", "路", "街", "道", "县", "縣"])
        && (t.ends_with(['号', '號', '楼', '樓', '室', '層', '层'])
            || has_digit && has(&["号", "號"]))
    {
        return true;
    }
    // Japanese: 東京都港区赤坂1-2-3
    if has(&["都", "道", "府", "県"])
        && has(&["区", "市", "町", "村"])
        && has_digit
        && t.contains(['-', '－', '丁'])
    {
        return true;
    }
    // Korean: 서울특별시 중구 세종대로 110
    if has(&["특별시", "광역시", "도 "]) && has(&["로 ", "길 ", "구 "]) && has_digit {
        return true;
    }
    false
}

/// True for the contact lines that continue an address (telephone, fax, e-mail, web).
pub fn is_contact_line(line: &str) -> bool {
    let lower = line.trim().to_lowercase();
    [
        "tel", "phone", "fax", "e-mail", "email", "web", "电话", "電話", "传真", "傳真", "邮箱",
        "網址", "网址", "전화", "팩스",
    ]
    .iter()
    .any(|p| {
        lower.starts_with(p)
            && lower[p.len()..]
                .chars()
                .next()
                .is_some_and(|c| matches!(c, ':' | '：' | '.' | ' '))
    })
}

/// Words naming a diplomatic or government office: a line with one, next to an address, is
/// the address's organisation line ("Embassy of …", "中華人民共和国駐日本国大使館", "주한 중국대사관").
const ORGANISATION_WORDS: [&str; 26] = [
    "embassy",
    "consulate",
    "high commission",
    "permanent mission",
    "delegation of",
    "office of",
    "ambassade",
    "botschaft",
    "大使馆",
    "大使館",
    "领事馆",
    "領事館",
    "使馆",
    "使館",
    "代表处",
    "代表處",
    "办事处",
    "辦事處",
    "代表部",
    "대사관",
    "영사관",
    "대표부",
    "대표처",
    "사무소",
    "consulado",
    "embajada",
];

/// True for a short line that names an organisation such as an embassy or consulate.
pub fn is_organisation_line(line: &str) -> bool {
    let t = line.trim();
    if t.is_empty() || !is_short(t, SHORT_LATIN) || ends_like_prose(t) {
        return false;
    }
    let lower = t.to_lowercase();
    ORGANISATION_WORDS.iter().any(|w| lower.contains(w))
}

/// Phrases that mark closing lines of a newsletter when there is no address to anchor them.
const CLOSING_PHRASES: [&str; 22] = [
    "welcome",
    "unsubscribe",
    "subscribe",
    "suggest to a friend",
    "forward",
    "follow us",
    "contact us",
    "thank you",
    "feedback",
    "欢迎",
    "歡迎",
    "订阅",
    "訂閱",
    "退订",
    "转发",
    "轉發",
    "ご意見",
    "配信",
    "購読",
    "구독",
    "의견",
    "感想",
];

/// True when the line reads like a closing line ("Your comments are welcome.").
pub fn is_closing_phrase(line: &str) -> bool {
    let lower = line.to_lowercase();
    CLOSING_PHRASES.iter().any(|p| lower.contains(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detect_name_masthead_forms() {
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
    fn detect_masthead_forms() {
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
        assert_eq!(
            masthead("The issue of trade is discussed here at length"),
            None
        );
    }

    #[test]
    fn detect_section_markers() {
        let m = section_marker("IV. Shared Benefits. The international").unwrap();
        assert_eq!(
            (m.number, m.style, m.rest),
            (4, NumeralStyle::Roman, "Shared Benefits. The international")
        );
        assert!(!m.ambiguous);
        assert!(section_marker("V. Shared Governance.").unwrap().ambiguous);
        assert_eq!(
            section_marker("Ⅰ．総論").unwrap().style,
            NumeralStyle::UnicodeRoman
        );
        let m = section_marker("十二、加强合作").unwrap();
        assert_eq!((m.number, m.rest), (12, "加强合作"));
        let m = section_marker("（三）共享").unwrap();
        assert_eq!(
            (m.number, m.style, m.numeral.as_str()),
            (3, NumeralStyle::ChineseParen, "（三）")
        );
        let m = section_marker("第二章 原则").unwrap();
        assert_eq!(
            (m.number, m.numeral.as_str(), m.rest),
            (2, "第二章", "原则")
        );
        for no in [
            "In the beginning",
            "Ix. nothing",
            "一些国家",
            "ID. card",
            "I.e. this",
        ] {
            assert_eq!(section_marker(no), None, "{no}");
        }
    }

    #[test]
    fn detect_list_markers() {
        assert_eq!(list_marker("- item").unwrap().rest, "item");
        assert_eq!(list_marker("•item").unwrap().marker, "•");
        let m = list_marker("12. twelve").unwrap();
        assert!(m.numbered);
        assert_eq!(m.marker, "12.");
        assert!(list_marker("（１）内容").is_some());
        for no in [
            "-5 degrees",
            "1.5 million",
            "3505, International Place",
            "2017. was",
        ] {
            assert_eq!(list_marker(no), None, "{no}");
        }
    }

    #[test]
    fn detect_link_lines() {
        assert!(link_line("You can read the full text of the Strategy here:").is_some());
        let (text, url) = link_line("Read it here: https://example.org/a").unwrap();
        assert_eq!(
            (text.as_str(), url.as_deref()),
            ("Read it here:", Some("https://example.org/a"))
        );
        assert!(link_line("全文链接：").is_some());
        assert!(link_line("The basic principles and approaches of the Strategy are:").is_none());
        assert!(link_line("We were there:").is_none());
    }

    #[test]
    fn detect_organisation_lines() {
        for yes in [
            "Embassy of the People's Republic of China",
            "Consulate General of China in New York",
            "中華人民共和国駐日本国大使館",
            "中华人民共和国驻美利坚合众国大使馆",
            "中国驻大阪总领事馆",
            "주한 중국대사관",
            "주부산 중국총영사관",
        ] {
            assert!(is_organisation_line(yes), "{yes}");
        }
        for no in [
            "The embassy held a reception for two hundred guests last Friday.",
            "大使館では毎月セミナーを開催しています。",
            "Your comments are welcome.",
            "3505, International Place, NW Washington DC, 20008",
        ] {
            assert!(!is_organisation_line(no), "{no}");
        }
    }

    #[test]
    fn detect_postal_lines() {
        for yes in [
            "3505, International Place, NW Washington DC, 20008",
            "Washington, DC 20008-1234",
            "49-51 Portland Place, London W1B 1JL",
            "北京市朝阳区三里屯路3号",
            "〒106-0046 東京都港区元麻布3-4-33",
            "서울특별시 중구 명동2길 27",
            "邮编：100600",
        ] {
            assert!(is_postal_line(yes), "{yes}");
        }
        for no in [
            "Embassy of the People's Republic of China",
            "In 2017 over 20008 people came",
            "In March, attendance reached 10500",
            "Your comments are welcome.",
        ] {
            assert!(!is_postal_line(no), "{no}");
        }
    }
}
