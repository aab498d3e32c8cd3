//! Numerals as newsletters write them: ASCII and Unicode Roman, Chinese and Japanese kanji.

/// Roman numerals are written only for 1..=3999 without overlines.
pub const ROMAN_MAX: u32 = 3999;

const ROMAN_TABLE: [(u32, &str); 13] = [
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
];

/// The canonical upper-case Roman form of `n` (1..=3999), or `None` outside that range.
pub fn to_roman(n: u32) -> Option<String> {
    if n == 0 || n > ROMAN_MAX {
        return None;
    }
    let mut rest = n;
    let mut out = String::new();
    for (value, letters) in ROMAN_TABLE {
        while rest >= value {
            out.push_str(letters);
            rest -= value;
        }
    }
    Some(out)
}

/// The value of an ASCII Roman numeral written in canonical form, all upper or all lower case
/// ("XII", "xii"); mixed case ("Xii") and non-canonical forms ("IIII", "IC") are not numerals.
pub fn parse_roman(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 15 {
        return None;
    }
    let upper = s.chars().all(|c| "IVXLCDM".contains(c));
    let lower = s.chars().all(|c| "ivxlcdm".contains(c));
    if !upper && !lower {
        return None;
    }
    let s = s.to_ascii_uppercase();
    let mut total = 0u32;
    let mut prev = 0u32;
    for c in s.chars().rev() {
        let v = match c {
            'I' => 1,
            'V' => 5,
            'X' => 10,
            'L' => 50,
            'C' => 100,
            'D' => 500,
            _ => 1000,
        };
        if v < prev {
            total = total.checked_sub(v)?;
        } else {
            total += v;
            prev = v;
        }
    }
    // Only the canonical spelling round-trips, which rejects "IIII", "VX", "IC" and friends.
    (to_roman(total)? == s).then_some(total)
}

/// The numeric value of one character of the Unicode Number Forms Roman block
/// (U+2160–U+2188), or `None` for the two reversed-C letters, which are not numbers.
pub fn unicode_roman_value(c: char) -> Option<u32> {
    const VALUES: [u32; 16] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 50, 100, 500, 1000];
    let cp = c as u32;
    match cp {
        0x2160..=0x216F => VALUES.get((cp - 0x2160) as usize).copied(),
        0x2170..=0x217F => VALUES.get((cp - 0x2170) as usize).copied(),
        0x2180 => Some(1000),
        0x2181 => Some(5000),
        0x2182 => Some(10000),
        0x2185 => Some(6),
        0x2186 => Some(50),
        0x2187 => Some(50000),
        0x2188 => Some(100000),
        _ => None,
    }
}

/// True for the characters of U+2160–U+2188 that are numbers.
pub fn is_unicode_roman(c: char) -> bool {
    unicode_roman_value(c).is_some()
}

/// The value of a numeral written with Unicode Roman characters: one character ("Ⅳ", "Ⅻ",
/// "ↈ"), or several that spell a canonical Roman numeral letter by letter ("ⅩⅣ").
pub fn parse_unicode_roman(s: &str) -> Option<u32> {
    let mut chars = s.chars();
    let first = chars.next()?;
    if chars.next().is_none() {
        return unicode_roman_value(first);
    }
    let mut ascii = String::new();
    for c in s.chars() {
        let letters = match c as u32 {
            0x2160..=0x216F => ROMAN_SPELLING.get((c as u32 - 0x2160) as usize)?,
            0x2170..=0x217F => ROMAN_SPELLING.get((c as u32 - 0x2170) as usize)?,
            _ => return None,
        };
        ascii.push_str(letters);
    }
    parse_roman(&ascii)
}

/// The ASCII spelling of U+2160..U+216F (NFKC of each character).
const ROMAN_SPELLING: [&str; 16] = [
    "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "L", "C", "D", "M",
];

fn kanji_digit(c: char) -> Option<u32> {
    Some(match c {
        '〇' | '零' => 0,
        '一' | '壹' => 1,
        '二' | '貳' | '贰' | '两' | '兩' => 2,
        '三' | '參' | '叁' => 3,
        '四' | '肆' => 4,
        '五' | '伍' => 5,
        '六' | '陸' | '陆' => 6,
        '七' | '柒' => 7,
        '八' | '捌' => 8,
        '九' | '玖' => 9,
        _ => return None,
    })
}

/// True when `c` can appear in a Chinese/Japanese numeral (digits and 十 百 千 万).
pub fn is_kanji_numeral_char(c: char) -> bool {
    kanji_digit(c).is_some() || matches!(c, '十' | '拾' | '百' | '佰' | '千' | '仟' | '万' | '萬')
}

/// The value of a Chinese or Japanese numeral: "四", "十二", "二十一", "一百零五", "两千",
/// or digit by digit ("二〇一七"). Values from 1; zero is not a numeral here.
pub fn parse_kanji(s: &str) -> Option<u32> {
    if s.is_empty() || !s.chars().all(is_kanji_numeral_char) {
        return None;
    }
    let has_unit = s
        .chars()
        .any(|c| matches!(c, '十' | '拾' | '百' | '佰' | '千' | '仟' | '万' | '萬'));
    if !has_unit {
        // Positional: 二〇一七 = 2017.
        let mut v: u32 = 0;
        for c in s.chars() {
            v = v.checked_mul(10)?.checked_add(kanji_digit(c)?)?;
        }
        return (v > 0).then_some(v);
    }
    let mut total: u32 = 0; // completed 万 groups
    let mut group: u32 = 0; // within the current group of four digits
    let mut digit: Option<u32> = None;
    for c in s.chars() {
        let unit = match c {
            '十' | '拾' => 10,
            '百' | '佰' => 100,
            '千' | '仟' => 1000,
            '万' | '萬' => {
                let g = group + digit.take().unwrap_or(0);
                if g == 0 {
                    return None;
                }
                total = total.checked_add(g.checked_mul(10_000)?)?;
                group = 0;
                continue;
            }
            _ => {
                if digit.is_some_and(|d| d != 0) {
                    return None; // two digits in a row without a unit: "二三十"
                }
                digit = Some(kanji_digit(c)?);
                continue;
            }
        };
        // A bare unit means one of it: 十二 = 12.
        let d = digit.take().unwrap_or(1);
        if d == 0 {
            return None;
        }
        group = group.checked_add(d * unit)?;
    }
    let value = total.checked_add(group + digit.unwrap_or(0))?;
    (value > 0).then_some(value)
}

/// True for an ASCII or full-width decimal digit.
pub fn is_decimal_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

/// The value of a run of ASCII or full-width decimal digits.
pub fn parse_decimal(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 27 {
        return None;
    }
    let mut v: u32 = 0;
    for c in s.chars() {
        let d = match c {
            '0'..='9' => c as u32 - '0' as u32,
            '０'..='９' => c as u32 - '０' as u32,
            _ => return None,
        };
        v = v.checked_mul(10)?.checked_add(d)?;
    }
    Some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeral_roman_round_trips_1_to_3999() {
        for n in 1..=ROMAN_MAX {
            let r = to_roman(n).expect("in range");
            assert_eq!(parse_roman(&r), Some(n), "{r}");
            assert_eq!(parse_roman(&r.to_ascii_lowercase()), Some(n), "{r} lower");
        }
    }

    #[test]
    fn numeral_roman_known_values() {
        assert_eq!(to_roman(4).as_deref(), Some("IV"));
        assert_eq!(to_roman(1994).as_deref(), Some("MCMXCIV"));
        assert_eq!(to_roman(3999).as_deref(), Some("MMMCMXCIX"));
        assert_eq!(parse_roman("XII"), Some(12));
        assert_eq!(parse_roman("mmxvii"), Some(2017));
    }

    #[test]
    fn numeral_roman_rejects_out_of_range_and_noncanonical() {
        assert_eq!(to_roman(0), None);
        assert_eq!(to_roman(4000), None);
        for bad in ["", "IIII", "VX", "IC", "MMMM", "Xii", "IIV", "ABC", "I I"] {
            assert_eq!(parse_roman(bad), None, "{bad}");
        }
    }

    #[test]
    fn numeral_unicode_every_char_of_u2160_to_u2188() {
        let expected: [Option<u32>; 0x29] = [
            Some(1),
            Some(2),
            Some(3),
            Some(4),
            Some(5),
            Some(6),
            Some(7),
            Some(8),
            Some(9),
            Some(10),
            Some(11),
            Some(12),
            Some(50),
            Some(100),
            Some(500),
            Some(1000),
            Some(1),
            Some(2),
            Some(3),
            Some(4),
            Some(5),
            Some(6),
            Some(7),
            Some(8),
            Some(9),
            Some(10),
            Some(11),
            Some(12),
            Some(50),
            Some(100),
            Some(500),
            Some(1000),
            Some(1000),
            Some(5000),
            Some(10000),
            None,
            None,
            Some(6),
            Some(50),
            Some(50000),
            Some(100000),
        ];
        for (i, want) in expected.iter().enumerate() {
            let c = char::from_u32(0x2160 + i as u32).expect("valid char");
            assert_eq!(unicode_roman_value(c), *want, "U+{:04X}", c as u32);
            assert_eq!(
                parse_unicode_roman(&c.to_string()),
                *want,
                "U+{:04X}",
                c as u32
            );
            assert_eq!(is_unicode_roman(c), want.is_some());
        }
    }

    #[test]
    fn numeral_unicode_agrees_with_nfkc_letters() {
        use unicode_normalization::UnicodeNormalization;
        for cp in (0x2160..=0x216F).chain(0x2170..=0x217F) {
            let c = char::from_u32(cp).expect("valid char");
            let letters: String = c.to_string().nfkc().collect();
            assert_eq!(parse_roman(&letters), unicode_roman_value(c), "U+{cp:04X}");
        }
    }

    #[test]
    fn numeral_unicode_multi_char_spelling() {
        assert_eq!(parse_unicode_roman("ⅩⅣ"), Some(14));
        assert_eq!(parse_unicode_roman("ⅿⅿⅹⅶ"), Some(2017));
        assert_eq!(parse_unicode_roman("ⅣⅣ"), None);
        assert_eq!(parse_unicode_roman("Ⅳx"), None);
    }

    #[test]
    fn numeral_kanji_values() {
        let cases = [
            ("一", 1),
            ("四", 4),
            ("十", 10),
            ("十二", 12),
            ("二十", 20),
            ("二十一", 21),
            ("一百零五", 105),
            ("两千", 2000),
            ("二〇一七", 2017),
            ("三万五千", 35000),
            ("壹拾", 10),
        ];
        for (s, v) in cases {
            assert_eq!(parse_kanji(s), Some(v), "{s}");
        }
        for bad in ["", "二三十", "abc", "〇"] {
            assert_eq!(parse_kanji(bad), None, "{bad}");
        }
    }

    #[test]
    fn numeral_decimal_ascii_and_fullwidth() {
        assert_eq!(parse_decimal("12"), Some(12));
        assert_eq!(parse_decimal("１２"), Some(12));
        assert_eq!(parse_decimal("99999999999999"), None);
        assert_eq!(parse_decimal("1a"), None);
    }
}
