//! Marker lines recognised: a section numeral ("IV.", "一、", "（三）", "第二章") or a list
//! marker ("-", "•", "12.") at the start of a line.

use super::numeral::{
    is_decimal_digit, is_kanji_numeral_char, is_unicode_roman, parse_kanji, parse_roman,
    parse_unicode_roman,
};
use crate::model::NumeralStyle;
use crate::script::is_east_asian as is_cjk;

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
    if first == '第' {
        ordinal_marker(line, &chars)
    } else if first == '（' || first == '(' {
        paren_marker(line, &chars)
    } else if is_kanji_numeral_char(first) {
        kanji_marker(line, &chars)
    } else if is_unicode_roman(first) {
        unicode_roman_marker(line, &chars)
    } else if first.is_ascii_alphabetic() {
        roman_marker(line, &chars)
    } else {
        None
    }
}

/// 第一章 / 第一节 / 第一部分 / 第一、 / 第一
fn ordinal_marker<'a>(line: &'a str, chars: &[char]) -> Option<SectionMarker<'a>> {
    let n = chars[1..]
        .iter()
        .take_while(|c| is_kanji_numeral_char(**c))
        .count();
    if n == 0 {
        return None;
    }
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
    if unit_len == 0 && !(delim_ok && next.is_some()) {
        return None;
    }
    let (numeral, rest) = split_at_char(line, 1 + n + unit_len);
    Some(SectionMarker {
        numeral: numeral.to_string(),
        number: value,
        style: NumeralStyle::ChineseOrdinal,
        rest: rest
            .trim_start_matches(['、', '：', ':', '，', '.', '．'])
            .trim(),
        ambiguous: false,
    })
}

/// （一） (一)
fn paren_marker<'a>(line: &'a str, chars: &[char]) -> Option<SectionMarker<'a>> {
    let n = chars[1..]
        .iter()
        .take_while(|c| is_kanji_numeral_char(**c))
        .count();
    let close = chars.get(1 + n).copied();
    if n == 0 || !matches!(close, Some('）' | ')')) {
        return None;
    }
    let value = parse_kanji(&chars[1..=n].iter().collect::<String>())?;
    let (numeral, rest) = split_at_char(line, n + 2);
    Some(SectionMarker {
        numeral: numeral.to_string(),
        number: value,
        style: NumeralStyle::ChineseParen,
        rest: rest.trim(),
        ambiguous: false,
    })
}

/// 一、 十二．
fn kanji_marker<'a>(line: &'a str, chars: &[char]) -> Option<SectionMarker<'a>> {
    let n = chars
        .iter()
        .take_while(|c| is_kanji_numeral_char(**c))
        .count();
    if !matches!(chars.get(n), Some('、' | '．')) {
        return None;
    }
    let value = parse_kanji(&chars[..n].iter().collect::<String>())?;
    let (numeral, rest) = split_at_char(line, n);
    Some(SectionMarker {
        numeral: numeral.to_string(),
        number: value,
        style: NumeralStyle::Chinese,
        rest: rest.trim_start_matches(['、', '．']).trim(),
        ambiguous: false,
    })
}

/// Ⅰ． Ⅻ、 Ⅳ. Ⅱ Peace
fn unicode_roman_marker<'a>(line: &'a str, chars: &[char]) -> Option<SectionMarker<'a>> {
    let n = chars.iter().take_while(|c| is_unicode_roman(**c)).count();
    let next = chars.get(n).copied();
    if !matches!(
        next,
        Some('.' | '．' | '、' | ')' | '）' | ' ' | '\u{3000}' | ':' | '：')
    ) {
        return None;
    }
    let numeral: String = chars[..n].iter().collect();
    let value = parse_unicode_roman(&numeral)?;
    let (_, rest) = split_at_char(line, n + 1);
    Some(SectionMarker {
        numeral,
        number: value,
        style: NumeralStyle::UnicodeRoman,
        rest: rest.trim(),
        ambiguous: false,
    })
}

/// I. II) xii.
fn roman_marker<'a>(line: &'a str, chars: &[char]) -> Option<SectionMarker<'a>> {
    let n = chars.iter().take_while(|c| c.is_ascii_alphabetic()).count();
    let delim = chars.get(n).copied();
    let after = chars.get(n + 1).copied();
    if !matches!(delim, Some('.' | ')')) || !after.is_none_or(char::is_whitespace) {
        return None;
    }
    let numeral: String = chars[..n].iter().collect();
    let value = parse_roman(&numeral)?;
    let (_, rest) = split_at_char(line, n + 1);
    Some(SectionMarker {
        ambiguous: n == 1 && !numeral.eq_ignore_ascii_case("i"),
        numeral,
        number: value,
        style: NumeralStyle::Roman,
        rest: rest.trim(),
    })
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
    if first == '[' {
        return reference_marker(line);
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
    // "4. Dezember, 19:30: Klavierabend …": a day and its month, as German, the Nordic
    // languages, Czech or Polish write dates, not an item numbered 4.
    if !open && delim == '.' && day_of_month(&digits, rest) {
        return None;
    }
    let marker_len = line.len() - rest.len();
    Some(ListMarker {
        marker: line[..marker_len].to_string(),
        numbered: true,
        rest: rest.trim(),
    })
}

/// Whether `digits` and the text after its stop are a date: a day from 1 to 31, then a
/// month's name ("4. Dezember", "1. januar", "24. prosince").
fn day_of_month(digits: &str, rest: &str) -> bool {
    let day = super::numeral::parse_decimal(digits).unwrap_or(0);
    let Some(word) = rest.split_whitespace().next() else {
        return false;
    };
    let word = word.trim_end_matches([',', '.', ':', ';']).to_lowercase();
    (1..=31).contains(&day) && super::masthead::is_month(&word)
}

/// A reference number in brackets, as lists of sources number their entries: "[1] Smith, J.
/// (2020) …", and Markdown's "[1]: https://…" (the colon is the syntax of a link definition,
/// not part of the number: the marker is "[1]"). A space must follow, and text after it.
fn reference_marker(line: &str) -> Option<ListMarker<'_>> {
    let body = line.strip_prefix('[')?;
    let (digits, after) = body.split_once(']')?;
    if !(1..=3).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let rest = after.strip_prefix(':').unwrap_or(after);
    if !rest.starts_with(char::is_whitespace) || rest.trim().is_empty() {
        return None;
    }
    Some(ListMarker {
        marker: format!("[{digits}]"),
        numbered: true,
        rest: rest.trim(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_section_forms() {
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
    fn markers_list_forms() {
        assert_eq!(list_marker("- item").unwrap().rest, "item");
        assert_eq!(list_marker("•item").unwrap().marker, "•");
        let m = list_marker("12. twelve").unwrap();
        assert!(m.numbered);
        assert_eq!(m.marker, "12.");
        assert!(list_marker("（１）内容").is_some());
        let m = list_marker("[2]: https://am.usembassy.gov/passports/").unwrap();
        assert_eq!(
            (m.marker.as_str(), m.numbered, m.rest),
            ("[2]", true, "https://am.usembassy.gov/passports/")
        );
        let m = list_marker("[12] Smith, J. (2020). Annual report.").unwrap();
        assert_eq!(
            (m.marker.as_str(), m.rest),
            ("[12]", "Smith, J. (2020). Annual report.")
        );
        for no in [
            "-5 degrees",
            "1.5 million",
            "3505, International Place",
            "2017. was",
            "[1]",
            "[1]:",
            "[1]text",
            "[1234] too long",
            "[a] letters",
            "[Photo] caption",
            "[] empty",
            // A day and its month: a date ("4. Dezember, 19:30: Klavierabend").
            "4. Dezember, 19:30: Klavierabend",
            "1. januar: nyttårskonsert",
            "31. März",
        ] {
            assert_eq!(list_marker(no), None, "{no}");
        }
        // Other numbers before a month's name, or a month's name in another place, are items.
        for yes in [
            "32. Dezember",
            "3) March on",
            "(4) Dezember",
            "2. Meeting in May",
        ] {
            assert!(list_marker(yes).is_some(), "{yes}");
        }
    }
}
