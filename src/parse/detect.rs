//! Line-level detectors for the shape of a line (short, prose, mostly CJK) and for link
//! lines, bare URLs, addresses, contact, organisation and closing lines.
//!
//! Each function looks at one trimmed line and says what it is, without context; the
//! assembly in `parse::build` decides with context (runs, neighbours, position). The masthead
//! and the marker lines have their own recognisers (`masthead`, `markers`).

use super::numeral::is_decimal_digit;
use crate::script::is_east_asian as is_cjk;

/// Latin prose lines longer than this are paragraphs, not headlines, headings or address lines.
pub const SHORT_LATIN: usize = 100;

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
    // A CJK character is about two Latin ones wide, so CJK limits are half the Latin ones.
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

/// True for a bare URL on its own line.
pub fn is_url_line(s: &str) -> bool {
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
    has_postal_label(t) || ends_with_postcode(t) || is_east_asian_address(t)
}

/// A postal mark or label: "〒", "地址", "邮编", "우편번호", "(우)".
fn has_postal_label(t: &str) -> bool {
    t.contains('〒')
        || t.starts_with("地址")
        || t.contains("邮编")
        || t.contains("郵編")
        || t.contains("郵遞區號")
        || t.contains("우편번호")
        || t.contains("(우)")
}

/// A US state and ZIP code ("… DC 20008", "Washington, DC 20008-1234") or a UK postcode
/// ("London SW1A 2AA") at the end of the line.
fn ends_with_postcode(t: &str) -> bool {
    let tokens: Vec<&str> = t
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|s| !s.is_empty())
        .collect();
    if tokens.len() < 3 {
        return false;
    }
    let (before, last) = (tokens[tokens.len() - 2], tokens[tokens.len() - 1]);
    // The state code must precede the ZIP: a number at the end of prose is not a ZIP.
    let us = is_us_zip(last) && before.len() == 2 && before.chars().all(|c| c.is_ascii_uppercase());
    us || is_uk_postcode(before, last)
}

/// "20008" or "20008-1234".
fn is_us_zip(s: &str) -> bool {
    let (a, b) = s.split_once('-').unwrap_or((s, ""));
    a.len() == 5
        && a.chars().all(|c| c.is_ascii_digit())
        && (b.is_empty() || (b.len() == 4 && b.chars().all(|c| c.is_ascii_digit())))
}

/// The outward and inward codes of a UK postcode: "SW1A" "2AA".
fn is_uk_postcode(out: &str, inw: &str) -> bool {
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
    out_ok && in_ok
}

/// The shape of a Chinese (北京市朝阳区三里屯路3号; 臺北市信義區…號), Japanese (東京都港区赤坂1-2-3)
/// or Korean (서울특별시 중구 세종대로 110) address.
fn is_east_asian_address(t: &str) -> bool {
    let has = |set: &[&str]| set.iter().any(|w| t.contains(w));
    let has_digit = t.chars().any(is_decimal_digit);
    let chinese = has(&["省", "市"])
        && has(&["区", "區", "路", "街", "道", "县", "縣"])
        && (t.ends_with(['号', '號', '楼', '樓', '室', '層', '层'])
            || has_digit && has(&["号", "號"]));
    let japanese = has(&["都", "道", "府", "県"])
        && has(&["区", "市", "町", "村"])
        && has_digit
        && t.contains(['-', '－', '丁']);
    let korean = has(&["특별시", "광역시", "도 "]) && has(&["로 ", "길 ", "구 "]) && has_digit;
    chinese || japanese || korean
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
