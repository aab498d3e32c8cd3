//! Language tags, read once: [`Lang`] answers which CJK convention ([`Locale`]), which
//! regional face ([`Region`]) and which spacing a BCP 47 tag asks for. Every stage asks a
//! `Lang` instead of testing the tag's prefix itself, so `zh-TW`, `zh-Hant` and `yue` mean the
//! same thing everywhere.

use crate::cjk::Locale;
use crate::fonts::Region;
use crate::script;

/// A language tag and what it says about typesetting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lang {
    tag: String,
    /// The primary subtag, lower case (`zh`, `en`, `ko`).
    primary: String,
    /// The CJK convention the tag names, if any.
    locale: Option<Locale>,
}

impl Lang {
    /// Read a tag. Never fails: a tag that names no language quire knows is "some other
    /// language" (Latin rules, word spaces), as an empty tag is until the text says more.
    ///
    /// `zh`, `zh-CN`, `zh-SG`, `zh-Hans` (and `cmn`, `wuu`, `hak`, `nan`) → Simplified Chinese;
    /// `zh-TW`, `zh-HK`, `zh-MO`, `zh-Hant`, and `yue` (Cantonese) → Traditional, a script
    /// subtag winning over a region (`zh-Hant-CN` is Traditional, `yue-Hans` Simplified);
    /// `ja`, `jpn` → Japanese; `ko`, `kor` → Korean.
    pub fn new(tag: &str) -> Lang {
        let lower = tag.trim().to_ascii_lowercase();
        let mut parts = lower.split(['-', '_']).filter(|p| !p.is_empty());
        let primary = parts.next().unwrap_or("").to_string();
        let rest: Vec<&str> = parts.collect();
        let has = |s: &str| rest.contains(&s);
        let locale = match primary.as_str() {
            "zh" | "cmn" | "wuu" | "hak" | "nan" => Some(
                if has("hant")
                    || (!has("hans") && rest.iter().any(|s| matches!(*s, "tw" | "hk" | "mo")))
                {
                    Locale::ZhHant
                } else {
                    Locale::ZhHans
                },
            ),
            "yue" if has("hans") => Some(Locale::ZhHans),
            "yue" => Some(Locale::ZhHant),
            "ja" | "jpn" => Some(Locale::Ja),
            "ko" | "kor" => Some(Locale::Ko),
            _ => None,
        };
        Lang {
            tag: tag.trim().to_string(),
            primary,
            locale,
        }
    }

    /// The tag as written.
    pub fn tag(&self) -> &str {
        &self.tag
    }

    /// The primary language subtag, lower case (`en`, `zh`, `fr`).
    pub fn primary(&self) -> &str {
        &self.primary
    }

    /// The CJK convention the tag names (none for other languages).
    pub fn locale(&self) -> Option<Locale> {
        self.locale
    }

    /// The tag's CJK convention, or — when the tag says nothing (empty or `und`) — the one
    /// the characters show: any kana means Japanese, else any Hangul Korean, else any Han
    /// Simplified Chinese (Han alone cannot tell Simplified from Traditional). A tag for a
    /// non-CJK language gives `None`: the declared language wins.
    pub fn locale_or_infer(&self, text: &str) -> Option<Locale> {
        match (self.locale, self.primary.as_str()) {
            (Some(l), _) => Some(l),
            (None, "" | "und") => infer_locale(text),
            (None, _) => None,
        }
    }

    /// The regional face family the tag asks for (…CJKsc/tc/jp/kr), if it names one.
    pub fn region(&self) -> Option<Region> {
        self.locale.map(Locale::region)
    }

    /// Chinese or Japanese: text set solid on the em grid, without word spaces, with
    /// full-width punctuation (a run-in title ends "。", an address stands flush right).
    /// Korean is not among them: it spaces its words (KLREQ §5.2).
    pub fn is_chinese_or_japanese(&self) -> bool {
        self.locale.is_some_and(Locale::is_chinese_or_japanese)
    }

    /// Korean.
    pub fn is_korean(&self) -> bool {
        self.locale == Some(Locale::Ko)
    }

    /// Japanese.
    pub fn is_japanese(&self) -> bool {
        self.locale == Some(Locale::Ja)
    }
}

/// The CJK convention the characters alone show (see [`Lang::locale_or_infer`]).
pub fn infer_locale(text: &str) -> Option<Locale> {
    let (mut hangul, mut han) = (false, false);
    // ASCII is none of these; kana decides at once (it wins over Hangul and Han).
    for c in text.chars().filter(|c| !c.is_ascii()) {
        if script::is_kana(c) {
            return Some(Locale::Ja);
        }
        hangul |= script::is_hangul(c);
        han |= script::is_han(c);
    }
    if hangul {
        Some(Locale::Ko)
    } else if han {
        Some(Locale::ZhHans)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lang_chinese_scripts_and_regions() {
        for t in [
            "zh",
            "zh-CN",
            "zh-SG",
            "zh-Hans",
            "ZH-hans-TW",
            "cmn",
            "yue-Hans",
        ] {
            assert_eq!(Lang::new(t).locale(), Some(Locale::ZhHans), "{t}");
        }
        for t in [
            "zh-TW",
            "zh-HK",
            "zh-MO",
            "zh-Hant",
            "zh-Hant-CN",
            "yue",
            "zh_TW",
        ] {
            assert_eq!(Lang::new(t).locale(), Some(Locale::ZhHant), "{t}");
        }
        assert_eq!(Lang::new("zh-Hant").region(), Some(Region::Tc));
    }

    #[test]
    fn lang_japanese_korean_and_others() {
        assert!(Lang::new("ja-JP").is_japanese());
        assert!(Lang::new("ko").is_korean());
        assert!(!Lang::new("ko").is_chinese_or_japanese());
        assert!(Lang::new("ja").is_chinese_or_japanese());
        assert_eq!(Lang::new("en-GB").locale(), None);
        assert_eq!(Lang::new("en-GB").primary(), "en");
        assert_eq!(Lang::new("fr").region(), None);
    }

    #[test]
    fn lang_infers_only_when_the_tag_is_silent() {
        assert_eq!(
            Lang::new("").locale_or_infer("日本語です"),
            Some(Locale::Ja)
        );
        assert_eq!(Lang::new("und").locale_or_infer("한국어"), Some(Locale::Ko));
        assert_eq!(Lang::new("").locale_or_infer("中文"), Some(Locale::ZhHans));
        assert_eq!(Lang::new("").locale_or_infer("English"), None);
        assert_eq!(Lang::new("en").locale_or_infer("中文"), None);
        assert_eq!(Lang::new("ko").locale_or_infer("中文"), Some(Locale::Ko));
    }
}
