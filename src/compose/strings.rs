//! The words quire adds to a page, in the language: page labels, dates, run-in stops
//! and section numerals.

use crate::model::Section;

/// "Page N of M" in the language.
pub fn page_label(lang: &str, n: usize, total: usize) -> String {
    let l = lang.to_ascii_lowercase();
    if l.starts_with("ja") {
        format!("{n} / {total} ページ")
    } else if l.starts_with("zh-hant") || l.starts_with("zh-tw") || l.starts_with("zh-hk") {
        format!("第 {n} 頁，共 {total} 頁")
    } else if l.starts_with("zh") {
        format!("第 {n} 页，共 {total} 页")
    } else if l.starts_with("ko") {
        format!("{n} / {total} 쪽")
    } else {
        format!("Page {n} of {total}")
    }
}

/// `YYYY-MM-DD` as readers write it: "September 15, 2017", "2017年9月15日", "2017년 9월 15일".
pub(super) fn long_date(iso: &str, lang: &str) -> Option<String> {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let mut it = iso.split('-').map(|p| p.parse::<u32>().ok());
    let (y, m, d) = (it.next()??, it.next()??, it.next()??);
    let l = lang.to_ascii_lowercase();
    if l.starts_with("zh") || l.starts_with("ja") {
        Some(format!("{y}年{m}月{d}日"))
    } else if l.starts_with("ko") {
        Some(format!("{y}년 {m}월 {d}일"))
    } else {
        Some(format!(
            "{} {d}, {y}",
            MONTHS.get(m.checked_sub(1)? as usize)?
        ))
    }
}

/// "Peace" -> "Peace.", "和平" -> "和平。": the run-in head ends with its own full stop
/// (the language's) unless it has one.
pub fn run_in_title(t: &str, lang: &str) -> String {
    if t.ends_with(['.', ':', '!', '?', '。', '：', '．', '！', '？']) {
        t.to_string()
    } else if crate::theme::is_cjk_lang(lang) {
        format!("{t}。")
    } else {
        format!("{t}.")
    }
}

/// The numeral as printed in the gutter: "IV" -> "IV.", "一" -> "一、".
pub fn section_marker(s: &Section, lang: &str) -> String {
    use crate::model::NumeralStyle::*;
    let n = s.numeral.trim_end_matches(['.', '．']);
    match s.style {
        // Chinese and Japanese set the numeral's stop full width: "Ⅰ．" (JIS X 4051 style).
        Roman | UnicodeRoman if crate::theme::is_cjk_lang(lang) => format!("{n}．"),
        Roman | UnicodeRoman | Arabic => format!("{n}."),
        Chinese => format!("{}、", s.numeral.trim_end_matches('、')),
        ChineseParen | ChineseOrdinal => s.numeral.clone(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn compose_long_date_per_language() {
        assert_eq!(
            super::long_date("2017-09-15", "en").as_deref(),
            Some("September 15, 2017")
        );
        assert_eq!(
            super::long_date("2017-09-15", "zh-Hans").as_deref(),
            Some("2017年9月15日")
        );
        assert_eq!(
            super::long_date("2017-09-15", "ko").as_deref(),
            Some("2017년 9월 15일")
        );
        assert_eq!(super::long_date("2017-00-15", "en"), None);
    }

    #[test]
    fn compose_page_label_per_language() {
        assert_eq!(super::page_label("en", 2, 5), "Page 2 of 5");
        assert_eq!(super::page_label("zh-Hans", 1, 2), "第 1 页，共 2 页");
        assert_eq!(super::page_label("zh-Hant", 1, 2), "第 1 頁，共 2 頁");
        assert_eq!(super::page_label("ja", 1, 2), "1 / 2 ページ");
        assert_eq!(super::page_label("ko", 1, 2), "1 / 2 쪽");
    }

    #[test]
    fn compose_run_in_title_gets_the_languages_stop() {
        assert_eq!(super::run_in_title("Peace", "en"), "Peace.");
        assert_eq!(super::run_in_title("Peace:", "en"), "Peace:");
        assert_eq!(super::run_in_title("和平", "zh-Hans"), "和平。");
        assert_eq!(super::run_in_title("和平。", "zh-Hans"), "和平。");
    }
}
