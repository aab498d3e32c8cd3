//! The words quire adds to a page, in the language: page labels and dates (from the
//! one table of [`crate::l10n`]), run-in stops and section numerals.

use crate::date::IsoDate;
use crate::l10n::L10n;
use crate::lang::Lang;
use crate::model::Section;

/// "Page N of M" in the language (see [`crate::l10n`]).
pub fn page_label(lang: &str, n: usize, total: usize) -> String {
    L10n::new(lang).page_label(n, total)
}

/// A date as readers write it: "September 15, 2017", "15 septembre 2017", "2017年9月15日"
/// (see [`crate::l10n`]).
pub(super) fn long_date(date: IsoDate, lang: &str) -> String {
    L10n::new(lang).long_date(date)
}

/// "Peace" -> "Peace.", "和平" -> "和平。": the run-in head ends with its own full stop
/// (the language's) unless it has one.
pub fn run_in_title(t: &str, lang: &str) -> String {
    if t.ends_with(['.', ':', '!', '?', '。', '：', '．', '！', '？']) {
        t.to_string()
    } else if Lang::new(lang).is_chinese_or_japanese() {
        format!("{t}。")
    } else {
        format!("{t}.")
    }
}

/// The numeral as printed in the gutter: "IV" -> "IV.", "一" -> "一、".
pub fn section_label(s: &Section, lang: &str) -> String {
    use crate::model::NumeralStyle::*;
    let n = s.numeral.trim_end_matches(['.', '．']);
    match s.style {
        // Chinese and Japanese set the numeral's stop full width: "Ⅰ．" (JIS X 4051 style).
        Roman | UnicodeRoman if Lang::new(lang).is_chinese_or_japanese() => format!("{n}．"),
        Roman | UnicodeRoman | Arabic => format!("{n}."),
        Chinese => format!("{}、", s.numeral.trim_end_matches('、')),
        ChineseParen | ChineseOrdinal => s.numeral.clone(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn compose_long_date_per_language() {
        let d = crate::date::IsoDate::parse("2017-09-15").unwrap();
        assert_eq!(super::long_date(d, "en"), "September 15, 2017");
        assert_eq!(super::long_date(d, "zh-Hans"), "2017年9月15日");
        assert_eq!(super::long_date(d, "ja"), "2017年9月15日");
        assert_eq!(super::long_date(d, "ko"), "2017년 9월 15일");
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
