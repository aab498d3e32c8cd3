//! The words quire prints onto a page, in the issue's language: the masthead's long date, the
//! issue line ("Issue Ⅳ of 2017"), the running footer's "Page N of M", and a volume's title
//! page ("3 issues") and contents page ("Contents", "Issue Ⅳ"). One table, [`TABLE`], one
//! row a language; every stage asks an [`L10n`] instead of writing English.
//!
//! Languages: `en`, `fr`, `de`, `es`, `pt`, `it`, `ru`, `ar`, `he`, `zh-Hans`, `zh-Hant`,
//! `ja`, `ko`. A tag is read by its primary subtag (`fr-CA` is `fr`; ISO 639-2 codes such as
//! `fra`, `deu` and the old `iw` for Hebrew too); Chinese, Japanese and Korean by
//! [`Lang`](crate::lang::Lang), so `zh-TW`, `zh-HK` and `yue` are Traditional Chinese as
//! everywhere else. Any other language falls back to English.
//!
//! Sources:
//!
//! - Dates: CLDR's Gregorian `dateFormatLength type="long"` pattern and its wide month names
//!   in the *format* context (CLDR 45/46, `common/main/<lang>.xml`): en `MMMM d, y`; fr
//!   `d MMMM y`; de `d. MMMM y`; es and pt `d 'de' MMMM 'de' y`; it `d MMMM y`; ru
//!   `d MMMM y 'г'.` (the format-context months are the genitive, "сентября"); ar `d MMMM y`;
//!   he `d בMMMM y`; zh and ja `y年M月d日`; ko `y년 M월 d일`. One departure: French writes
//!   the first of a month as the ordinal "1er" ("1er septembre 2017", Lexique des règles
//!   typographiques en usage à l'Imprimerie nationale), which CLDR's pattern cannot say.
//! - Digits: CLDR's default numbering system. Since CLDR 46 (ticket CLDR-17553) `ar` itself
//!   defaults to Western digits (`latn`), while the Arabic locales that inherited `arab`
//!   before keep Arabic-Indic digits explicitly (the Mashriq and the Gulf: `ar-EG`,
//!   `ar-SA`, `ar-IQ`, …, [`ARAB_DIGIT_REGIONS`]); `ar-AE` and the Maghreb stay `latn`.
//!   The tag's Unicode extension wins over both: `ar-u-nu-arab` asks for ٠١٢٣…, any
//!   `-u-nu-latn` for 0123….
//! - Page labels, issue lines, "Contents" and issue counts: what publishers print, not CLDR
//!   (CLDR has no such strings): fr "Page 2 sur 5", de "Seite 2 von 5", es and pt "Página 2
//!   de 5", it "Pagina 2 di 5", ru "Страница 2 из 5", ar "الصفحة 2 من 5", he "עמוד 2 מתוך 5";
//!   the contents page "Sommaire" (French periodicals), "Inhalt", "Índice", "Sumário"
//!   (Brazil, ABNT NBR 6027; Portugal "Índice"), "Indice", "Содержание", "المحتويات",
//!   "תוכן העניינים", "目录"/"目錄", "目次", "목차". An issue is a "numéro", an "Ausgabe",
//!   a "número", a "numero", a "выпуск", an "عدد", a "גיליון", 期 in Chinese, 号 in
//!   Japanese ("第Ⅸ号"), 호 in Korean ("제4호").
//! - Plurals ("1 issue", "3 issues"): CLDR's plural rules (`plurals.xml`): French `one` for
//!   0 and 1; Russian `one`/`few`/`many` ("1 выпуск", "3 выпуска", "5 выпусков"); Arabic
//!   `zero`/`one`/`two`/`few`/`many`/`other` ("عدد واحد", "عددان", "3 أعداد", "11 عددًا",
//!   "100 عدد"); Hebrew `one`/`two`/`other` (CLDR 42 and later).
//!
//! Regional differences implemented: `de-AT` writes January "Jänner" (CLDR `de_AT`);
//! `pt-PT` heads the contents "Índice". Not implemented, with the base language's words
//! used instead: Brazilian usage writes the first of a month "1º de setembro" (CLDR `pt`
//! writes "1"), as Italian often writes "1º settembre"; Peruvian and some other Latin
//! American Spanish write "setiembre" (CLDR `es_PE`); Quebec usage also accepts "page 2 de
//! 5"; Swiss German and French use the same words as their base languages here.
//!
//! Right-to-left labels (ar, he) are logical-order strings; the paragraph layout's bidi
//! pass orders them on the line like any other text.

use crate::cjk::Locale;
use crate::date::IsoDate;
use crate::lang::Lang;

/// One language's words. Templates name their values in braces: `{n}` a number or numeral,
/// `{total}` a page count, `{d}` the day, `{m}` the month's number, `{month}` its name,
/// `{y}` the year.
#[derive(Debug)]
pub struct Words {
    /// The row's language tag.
    pub tag: &'static str,
    /// "Page {n} of {total}".
    pub page: &'static str,
    /// The long date: "{month} {d}, {y}".
    pub date: &'static str,
    /// The months' wide names in the format context (genitive in Russian); empty where the
    /// date is written with the month's number.
    pub months: [&'static str; 12],
    /// The first day of a month when the language writes it otherwise than "1" ("1er").
    pub first_day: Option<&'static str>,
    /// The issue line with a number and a year: "Issue {n} of {y}".
    pub issue_of_year: &'static str,
    /// An issue's number alone: "Issue {n}" (also the contents page's label).
    pub issue: &'static str,
    /// The year alone in an issue line: "{y}" ("{y}年").
    pub year: &'static str,
    /// The contents page's heading.
    pub contents: &'static str,
    /// How the language counts: which plural form a number takes.
    pub plural: PluralRule,
    /// "{n} issues" in each plural form: zero, one, two, few, many, other; an empty form
    /// uses `other`.
    pub issues: [&'static str; 6],
}

/// CLDR's plural rules for cardinal integers, as far as the table's languages need them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PluralRule {
    /// `one` for 1, `other` else (en, de, es, it, pt).
    OneOther,
    /// `one` for 0 and 1 (fr).
    French,
    /// `one` n%10=1 but not n%100=11; `few` n%10=2..4 but not n%100=12..14; `many` else (ru).
    Russian,
    /// `zero` 0, `one` 1, `two` 2, `few` n%100=3..10, `many` n%100=11..99, `other` (ar).
    Arabic,
    /// `one` 1, `two` 2, `other` (he, CLDR 42 and later).
    Hebrew,
    /// `other` always (zh, ja, ko).
    None,
}

impl PluralRule {
    /// The plural form of `n`: 0 zero, 1 one, 2 two, 3 few, 4 many, 5 other.
    fn form(self, n: usize) -> usize {
        let (m10, m100) = (n % 10, n % 100);
        match self {
            PluralRule::OneOther if n == 1 => 1,
            PluralRule::French if n <= 1 => 1,
            PluralRule::Russian if m10 == 1 && m100 != 11 => 1,
            PluralRule::Russian if (2..=4).contains(&m10) && !(12..=14).contains(&m100) => 3,
            PluralRule::Russian => 4,
            PluralRule::Arabic => match n {
                0 => 0,
                1 => 1,
                2 => 2,
                _ if (3..=10).contains(&m100) => 3,
                _ if (11..=99).contains(&m100) => 4,
                _ => 5,
            },
            PluralRule::Hebrew if n == 1 => 1,
            PluralRule::Hebrew if n == 2 => 2,
            _ => 5,
        }
    }
}

/// No month names: the date is written with the month's number.
const NUMERIC: [&str; 12] = [""; 12];

/// The table: one row a language, English first (the fallback).
pub static TABLE: [Words; 13] = [
    Words {
        tag: "en",
        page: "Page {n} of {total}",
        date: "{month} {d}, {y}",
        months: [
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
        ],
        first_day: None,
        issue_of_year: "Issue {n} of {y}",
        issue: "Issue {n}",
        year: "{y}",
        contents: "Contents",
        plural: PluralRule::OneOther,
        issues: ["", "1 issue", "", "", "", "{n} issues"],
    },
    Words {
        tag: "fr",
        page: "Page {n} sur {total}",
        date: "{d} {month} {y}",
        months: [
            "janvier",
            "février",
            "mars",
            "avril",
            "mai",
            "juin",
            "juillet",
            "août",
            "septembre",
            "octobre",
            "novembre",
            "décembre",
        ],
        first_day: Some("1er"),
        issue_of_year: "Numéro {n}, {y}",
        issue: "Numéro {n}",
        year: "{y}",
        contents: "Sommaire",
        plural: PluralRule::French,
        issues: ["", "{n} numéro", "", "", "", "{n} numéros"],
    },
    Words {
        tag: "de",
        page: "Seite {n} von {total}",
        date: "{d}. {month} {y}",
        months: [
            "Januar",
            "Februar",
            "März",
            "April",
            "Mai",
            "Juni",
            "Juli",
            "August",
            "September",
            "Oktober",
            "November",
            "Dezember",
        ],
        first_day: None,
        issue_of_year: "Ausgabe {n}/{y}",
        issue: "Ausgabe {n}",
        year: "{y}",
        contents: "Inhalt",
        plural: PluralRule::OneOther,
        issues: ["", "{n} Ausgabe", "", "", "", "{n} Ausgaben"],
    },
    Words {
        tag: "es",
        page: "Página {n} de {total}",
        date: "{d} de {month} de {y}",
        months: [
            "enero",
            "febrero",
            "marzo",
            "abril",
            "mayo",
            "junio",
            "julio",
            "agosto",
            "septiembre",
            "octubre",
            "noviembre",
            "diciembre",
        ],
        first_day: None,
        issue_of_year: "Número {n} de {y}",
        issue: "Número {n}",
        year: "{y}",
        contents: "Índice",
        plural: PluralRule::OneOther,
        issues: ["", "{n} número", "", "", "", "{n} números"],
    },
    Words {
        tag: "pt",
        page: "Página {n} de {total}",
        date: "{d} de {month} de {y}",
        months: [
            "janeiro",
            "fevereiro",
            "março",
            "abril",
            "maio",
            "junho",
            "julho",
            "agosto",
            "setembro",
            "outubro",
            "novembro",
            "dezembro",
        ],
        first_day: None,
        issue_of_year: "Número {n} de {y}",
        issue: "Número {n}",
        year: "{y}",
        contents: "Sumário",
        plural: PluralRule::OneOther,
        issues: ["", "{n} número", "", "", "", "{n} números"],
    },
    Words {
        tag: "it",
        page: "Pagina {n} di {total}",
        date: "{d} {month} {y}",
        months: [
            "gennaio",
            "febbraio",
            "marzo",
            "aprile",
            "maggio",
            "giugno",
            "luglio",
            "agosto",
            "settembre",
            "ottobre",
            "novembre",
            "dicembre",
        ],
        first_day: None,
        issue_of_year: "Numero {n} del {y}",
        issue: "Numero {n}",
        year: "{y}",
        contents: "Indice",
        plural: PluralRule::OneOther,
        issues: ["", "{n} numero", "", "", "", "{n} numeri"],
    },
    Words {
        tag: "ru",
        page: "Страница {n} из {total}",
        date: "{d} {month} {y} г.",
        months: [
            "января",
            "февраля",
            "марта",
            "апреля",
            "мая",
            "июня",
            "июля",
            "августа",
            "сентября",
            "октября",
            "ноября",
            "декабря",
        ],
        first_day: None,
        issue_of_year: "Выпуск {n} за {y} год",
        issue: "Выпуск {n}",
        year: "{y}",
        contents: "Содержание",
        plural: PluralRule::Russian,
        issues: [
            "",
            "{n} выпуск",
            "",
            "{n} выпуска",
            "{n} выпусков",
            "{n} выпуска",
        ],
    },
    Words {
        tag: "ar",
        page: "الصفحة {n} من {total}",
        date: "{d} {month} {y}",
        months: [
            "يناير",
            "فبراير",
            "مارس",
            "أبريل",
            "مايو",
            "يونيو",
            "يوليو",
            "أغسطس",
            "سبتمبر",
            "أكتوبر",
            "نوفمبر",
            "ديسمبر",
        ],
        first_day: None,
        issue_of_year: "العدد {n} لعام {y}",
        issue: "العدد {n}",
        year: "{y}",
        contents: "المحتويات",
        plural: PluralRule::Arabic,
        issues: ["", "عدد واحد", "عددان", "{n} أعداد", "{n} عددًا", "{n} عدد"],
    },
    Words {
        tag: "he",
        page: "עמוד {n} מתוך {total}",
        date: "{d} ב{month} {y}",
        months: [
            "ינואר",
            "פברואר",
            "מרץ",
            "אפריל",
            "מאי",
            "יוני",
            "יולי",
            "אוגוסט",
            "ספטמבר",
            "אוקטובר",
            "נובמבר",
            "דצמבר",
        ],
        first_day: None,
        issue_of_year: "גיליון {n}, {y}",
        issue: "גיליון {n}",
        year: "{y}",
        contents: "תוכן העניינים",
        plural: PluralRule::Hebrew,
        issues: ["", "גיליון אחד", "", "", "", "{n} גיליונות"],
    },
    Words {
        tag: "zh-Hans",
        page: "第 {n} 页，共 {total} 页",
        date: "{y}年{m}月{d}日",
        months: NUMERIC,
        first_day: None,
        issue_of_year: "{y}年 第{n}期",
        issue: "第{n}期",
        year: "{y}年",
        contents: "目录",
        plural: PluralRule::None,
        issues: ["", "", "", "", "", "共 {n} 期"],
    },
    Words {
        tag: "zh-Hant",
        page: "第 {n} 頁，共 {total} 頁",
        date: "{y}年{m}月{d}日",
        months: NUMERIC,
        first_day: None,
        issue_of_year: "{y}年 第{n}期",
        issue: "第{n}期",
        year: "{y}年",
        contents: "目錄",
        plural: PluralRule::None,
        issues: ["", "", "", "", "", "共 {n} 期"],
    },
    Words {
        tag: "ja",
        page: "{n} / {total} ページ",
        date: "{y}年{m}月{d}日",
        months: NUMERIC,
        first_day: None,
        issue_of_year: "{y}年 第{n}号",
        issue: "第{n}号",
        year: "{y}年",
        contents: "目次",
        plural: PluralRule::None,
        issues: ["", "", "", "", "", "全 {n} 号"],
    },
    Words {
        tag: "ko",
        page: "{n} / {total} 쪽",
        date: "{y}년 {m}월 {d}일",
        months: NUMERIC,
        first_day: None,
        issue_of_year: "{y}년 제{n}호",
        issue: "제{n}호",
        year: "{y}년",
        contents: "목차",
        plural: PluralRule::None,
        issues: ["", "", "", "", "", "총 {n}호"],
    },
];

/// Austrian German's months (CLDR `de_AT`): January is "Jänner".
const DE_AT_MONTHS: [&str; 12] = [
    "Jänner",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
];

/// The regions whose Arabic locale CLDR 46 gives Arabic-Indic digits (`arab`) by default;
/// `ar` alone and the others (`ar-AE`, `ar-MA`, `ar-DZ`, `ar-TN`, `ar-LY`, `ar-EH`, …)
/// write Western digits.
pub const ARAB_DIGIT_REGIONS: [&str; 13] = [
    "bh", "eg", "iq", "jo", "kw", "lb", "om", "ps", "qa", "sa", "sd", "sy", "ye",
];

/// Which digits numbers are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Digits {
    /// 0123456789.
    Western,
    /// ٠١٢٣٤٥٦٧٨٩ (U+0660–U+0669).
    ArabicIndic,
}

/// A language tag read into its row of [`TABLE`], its regional words and its digits.
#[derive(Debug, Clone, Copy)]
pub struct L10n {
    words: &'static Words,
    months: &'static [&'static str; 12],
    contents: &'static str,
    digits: Digits,
}

/// The parts of a tag the table cares about, lower case.
struct Subtags {
    primary: String,
    region: Option<String>,
    /// `-u-nu-…`.
    numbers: Option<String>,
}

fn subtags(tag: &str) -> Subtags {
    let lower = tag.trim().to_ascii_lowercase();
    let mut parts = lower.split(['-', '_']).filter(|p| !p.is_empty());
    let primary = parts.next().unwrap_or("").to_string();
    let (mut region, mut numbers) = (None, None);
    let mut in_u = false;
    let mut after_nu = false;
    let mut extension = false;
    for p in parts {
        if p.len() == 1 {
            extension = true;
            in_u = p == "u";
            after_nu = false;
            continue;
        }
        if extension {
            if in_u && after_nu {
                numbers = Some(p.to_string());
            }
            after_nu = in_u && p == "nu";
            continue;
        }
        let is_region = (p.len() == 2 && p.bytes().all(|b| b.is_ascii_alphabetic()))
            || (p.len() == 3 && p.bytes().all(|b| b.is_ascii_digit()));
        if is_region && region.is_none() {
            region = Some(p.to_string());
        }
    }
    Subtags {
        primary,
        region,
        numbers,
    }
}

impl L10n {
    /// Read a tag; never fails (an unknown language is English).
    pub fn new(tag: &str) -> L10n {
        let s = subtags(tag);
        let key = match Lang::new(tag).locale() {
            Some(Locale::ZhHans) => "zh-Hans",
            Some(Locale::ZhHant) => "zh-Hant",
            Some(Locale::Ja) => "ja",
            Some(Locale::Ko) => "ko",
            None => match s.primary.as_str() {
                "fr" | "fra" | "fre" => "fr",
                "de" | "deu" | "ger" => "de",
                "es" | "spa" => "es",
                "pt" | "por" => "pt",
                "it" | "ita" => "it",
                "ru" | "rus" => "ru",
                "ar" | "ara" => "ar",
                "he" | "heb" | "iw" => "he",
                _ => "en",
            },
        };
        let words = TABLE.iter().find(|w| w.tag == key).unwrap_or(&TABLE[0]);
        let region = s.region.as_deref();
        let months = match (key, region) {
            ("de", Some("at")) => &DE_AT_MONTHS,
            _ => &words.months,
        };
        let contents = match (key, region) {
            ("pt", Some("pt")) => "Índice",
            _ => words.contents,
        };
        let digits = match (s.numbers.as_deref(), key) {
            (Some("arab"), _) => Digits::ArabicIndic,
            (Some("latn"), _) => Digits::Western,
            (_, "ar") if region.is_some_and(|r| ARAB_DIGIT_REGIONS.contains(&r)) => {
                Digits::ArabicIndic
            }
            _ => Digits::Western,
        };
        L10n {
            words,
            months,
            contents,
            digits,
        }
    }

    /// The table row's tag (`en` for a language the table lacks).
    pub fn tag(&self) -> &'static str {
        self.words.tag
    }

    /// Whether the language is written right to left (ar, he): its page furniture is
    /// mirrored, the page label standing at the left of the footer.
    pub fn is_right_to_left(&self) -> bool {
        matches!(self.words.tag, "ar" | "he")
    }

    /// Which digits the language writes numbers in.
    pub fn digits(&self) -> Digits {
        self.digits
    }

    /// `n` in the language's digits.
    pub fn number(&self, n: impl std::fmt::Display) -> String {
        self.digits_of(&n.to_string())
    }

    /// `s` with its ASCII digits in the language's digits (a Roman numeral is left as is).
    pub fn digits_of(&self, s: &str) -> String {
        match self.digits {
            Digits::Western => s.to_string(),
            Digits::ArabicIndic => s
                .chars()
                .map(|c| match c.to_digit(10) {
                    Some(d) if c.is_ascii_digit() => char::from_u32(0x0660 + d).unwrap_or(c),
                    _ => c,
                })
                .collect(),
        }
    }

    /// "Page 2 of 5", "Page 2 sur 5", "第 2 页，共 5 页".
    pub fn page_label(&self, n: usize, total: usize) -> String {
        fill(
            self.words.page,
            &[("n", &self.number(n)), ("total", &self.number(total))],
        )
    }

    /// The long date: "September 15, 2017", "1er septembre 2017", "15. September 2017",
    /// "15 сентября 2017 г.", "2017年9月15日".
    pub fn long_date(&self, date: IsoDate) -> String {
        let (y, m, d) = (date.year(), date.month(), date.day());
        let day = match (d, self.words.first_day) {
            (1, Some(first)) => self.digits_of(first),
            _ => self.number(d),
        };
        let month = self.months[usize::from(m.clamp(1, 12) - 1)];
        fill(
            self.words.date,
            &[
                ("d", &day),
                ("m", &self.number(m)),
                ("month", month),
                ("y", &self.number(y)),
            ],
        )
    }

    /// The issue line from a numeral and a year, either alone: "Issue Ⅳ of 2017",
    /// "Numéro 4, 2017", "2017年 第Ⅸ号"; empty without either.
    pub fn issue_line(&self, numeral: Option<&str>, year: Option<i32>) -> String {
        let n = numeral.map(|n| self.digits_of(n));
        let y = year.map(|y| self.number(y));
        match (n, y) {
            (Some(n), Some(y)) => fill(self.words.issue_of_year, &[("n", &n), ("y", &y)]),
            (Some(n), None) => fill(self.words.issue, &[("n", &n)]),
            (None, Some(y)) => fill(self.words.year, &[("y", &y)]),
            (None, None) => String::new(),
        }
    }

    /// An issue's label in a contents list: "Issue Ⅳ", "Ausgabe 4", "第四期".
    pub fn issue_label(&self, numeral: &str) -> String {
        fill(self.words.issue, &[("n", &self.digits_of(numeral))])
    }

    /// How many issues a volume binds: "3 issues", "1 numéro", "5 выпусков", "共 3 期".
    pub fn issue_count(&self, n: usize) -> String {
        let form = self.words.plural.form(n);
        let t = match self.words.issues[form] {
            "" => self.words.issues[5],
            t => t,
        };
        fill(t, &[("n", &self.number(n))])
    }

    /// The contents page's heading: "Contents", "Sommaire", "目录".
    pub fn contents(&self) -> &'static str {
        self.contents
    }
}

/// `template` with each `{key}` replaced by its value.
fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}').map(|close| (&after[..close], close)) {
            Some((key, close)) if values.iter().any(|(k, _)| *k == key) => {
                if let Some((_, v)) = values.iter().find(|(k, _)| *k == key) {
                    out.push_str(v);
                }
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> IsoDate {
        IsoDate::parse(s).unwrap()
    }

    /// Every language: (tag, 15 September 2017, 1 April 2017, page 2 of 5).
    const EXPECTED: [(&str, &str, &str, &str); 13] = [
        ("en", "September 15, 2017", "April 1, 2017", "Page 2 of 5"),
        ("fr", "15 septembre 2017", "1er avril 2017", "Page 2 sur 5"),
        ("de", "15. September 2017", "1. April 2017", "Seite 2 von 5"),
        (
            "es",
            "15 de septiembre de 2017",
            "1 de abril de 2017",
            "Página 2 de 5",
        ),
        (
            "pt",
            "15 de setembro de 2017",
            "1 de abril de 2017",
            "Página 2 de 5",
        ),
        ("it", "15 settembre 2017", "1 aprile 2017", "Pagina 2 di 5"),
        (
            "ru",
            "15 сентября 2017 г.",
            "1 апреля 2017 г.",
            "Страница 2 из 5",
        ),
        ("ar", "15 سبتمبر 2017", "1 أبريل 2017", "الصفحة 2 من 5"),
        ("he", "15 בספטמבר 2017", "1 באפריל 2017", "עמוד 2 מתוך 5"),
        (
            "zh-Hans",
            "2017年9月15日",
            "2017年4月1日",
            "第 2 页，共 5 页",
        ),
        (
            "zh-Hant",
            "2017年9月15日",
            "2017年4月1日",
            "第 2 頁，共 5 頁",
        ),
        ("ja", "2017年9月15日", "2017年4月1日", "2 / 5 ページ"),
        ("ko", "2017년 9월 15일", "2017년 4월 1일", "2 / 5 쪽"),
    ];

    #[test]
    fn l10n_dates_and_page_labels_per_language() {
        for (tag, mid, first, page) in EXPECTED {
            let l = L10n::new(tag);
            assert_eq!(l.tag(), tag);
            assert_eq!(l.long_date(date("2017-09-15")), mid, "{tag}");
            assert_eq!(l.long_date(date("2017-04-01")), first, "{tag}");
            assert_eq!(l.page_label(2, 5), page, "{tag}");
        }
        // Every row of the table is tested.
        assert_eq!(TABLE.len(), EXPECTED.len());
    }

    #[test]
    fn l10n_every_month_has_a_name() {
        for w in TABLE.iter().filter(|w| w.date.contains("{month}")) {
            assert!(w.months.iter().all(|m| !m.is_empty()), "{}", w.tag);
        }
        let fr = L10n::new("fr");
        assert_eq!(fr.long_date(date("2017-08-01")), "1er août 2017");
        assert_eq!(fr.long_date(date("2017-12-31")), "31 décembre 2017");
        assert_eq!(
            L10n::new("de").long_date(date("2017-03-02")),
            "2. März 2017"
        );
        assert_eq!(
            L10n::new("ru").long_date(date("2017-05-09")),
            "9 мая 2017 г."
        );
    }

    #[test]
    fn l10n_unknown_tags_fall_back_to_english() {
        for tag in ["", "und", "nl", "sv-SE", "x-private", "qq", "e"] {
            let l = L10n::new(tag);
            assert_eq!(l.tag(), "en", "{tag}");
            assert_eq!(l.page_label(1, 2), "Page 1 of 2");
            assert_eq!(l.contents(), "Contents");
        }
    }

    #[test]
    fn l10n_region_and_script_subtags() {
        for (tag, row) in [
            ("fr-CA", "fr"),
            ("FR_ch", "fr"),
            ("de-AT", "de"),
            ("de-CH", "de"),
            ("pt-BR", "pt"),
            ("pt-PT", "pt"),
            ("es-419", "es"),
            ("es-MX", "es"),
            ("en-GB", "en"),
            ("ru-RU", "ru"),
            ("ar-EG", "ar"),
            ("he-IL", "he"),
            ("iw", "he"),
            ("zh", "zh-Hans"),
            ("zh-CN", "zh-Hans"),
            ("zh-TW", "zh-Hant"),
            ("zh-HK", "zh-Hant"),
            ("ja-JP", "ja"),
            ("ko-KR", "ko"),
            ("fra", "fr"),
            ("deu", "de"),
        ] {
            assert_eq!(L10n::new(tag).tag(), row, "{tag}");
        }
        // Austrian January; the rest of the year as in Germany.
        let at = L10n::new("de-AT");
        assert_eq!(at.long_date(date("2017-01-01")), "1. Jänner 2017");
        assert_eq!(at.long_date(date("2017-03-15")), "15. März 2017");
        assert_eq!(
            L10n::new("de-DE").long_date(date("2017-01-01")),
            "1. Januar 2017"
        );
        // Brazil and Portugal: the same dates, the contents headed differently.
        for tag in ["pt", "pt-BR", "pt-PT"] {
            assert_eq!(
                L10n::new(tag).long_date(date("2017-09-15")),
                "15 de setembro de 2017"
            );
        }
        assert_eq!(L10n::new("pt-BR").contents(), "Sumário");
        assert_eq!(L10n::new("pt-PT").contents(), "Índice");
        // Quebec French dates as in France.
        assert_eq!(
            L10n::new("fr-CA").long_date(date("2017-09-01")),
            "1er septembre 2017"
        );
    }

    #[test]
    fn l10n_arabic_digits_follow_cldr_and_the_tag() {
        assert_eq!(L10n::new("ar").digits(), Digits::Western);
        assert!(L10n::new("ar-EG").is_right_to_left() && L10n::new("he").is_right_to_left());
        assert!(!L10n::new("fr").is_right_to_left() && !L10n::new("").is_right_to_left());
        assert_eq!(L10n::new("ar-AE").digits(), Digits::Western);
        assert_eq!(L10n::new("ar-MA").digits(), Digits::Western);
        let eg = L10n::new("ar-EG");
        assert_eq!(eg.digits(), Digits::ArabicIndic);
        assert_eq!(eg.long_date(date("2017-09-15")), "١٥ سبتمبر ٢٠١٧");
        assert_eq!(eg.page_label(2, 5), "الصفحة ٢ من ٥");
        assert_eq!(
            L10n::new("ar-u-nu-arab").page_label(12, 30),
            "الصفحة ١٢ من ٣٠"
        );
        assert_eq!(L10n::new("ar-EG-u-nu-latn").digits(), Digits::Western);
        // A Roman numeral stays as written.
        assert_eq!(eg.issue_label("Ⅳ"), "العدد Ⅳ");
        assert_eq!(eg.issue_label("4"), "العدد ٤");
    }

    #[test]
    fn l10n_issue_lines_labels_and_headings() {
        let cases = [
            ("en", "Issue Ⅳ of 2017", "Issue 4", "Contents"),
            ("fr", "Numéro Ⅳ, 2017", "Numéro 4", "Sommaire"),
            ("de", "Ausgabe Ⅳ/2017", "Ausgabe 4", "Inhalt"),
            ("es", "Número Ⅳ de 2017", "Número 4", "Índice"),
            ("pt", "Número Ⅳ de 2017", "Número 4", "Sumário"),
            ("it", "Numero Ⅳ del 2017", "Numero 4", "Indice"),
            ("ru", "Выпуск Ⅳ за 2017 год", "Выпуск 4", "Содержание"),
            ("ar", "العدد Ⅳ لعام 2017", "العدد 4", "المحتويات"),
            ("he", "גיליון Ⅳ, 2017", "גיליון 4", "תוכן העניינים"),
            ("zh-Hans", "2017年 第Ⅳ期", "第4期", "目录"),
            ("zh-Hant", "2017年 第Ⅳ期", "第4期", "目錄"),
            ("ja", "2017年 第Ⅳ号", "第4号", "目次"),
            ("ko", "2017년 제Ⅳ호", "제4호", "목차"),
        ];
        for (tag, line, label, contents) in cases {
            let l = L10n::new(tag);
            assert_eq!(l.issue_line(Some("Ⅳ"), Some(2017)), line, "{tag}");
            assert_eq!(l.issue_label("4"), label, "{tag}");
            assert_eq!(l.contents(), contents, "{tag}");
            assert_eq!(l.issue_line(None, None), "");
        }
        let en = L10n::new("en");
        assert_eq!(en.issue_line(Some("4"), None), "Issue 4");
        assert_eq!(en.issue_line(None, Some(2017)), "2017");
        assert_eq!(L10n::new("ja").issue_line(None, Some(2017)), "2017年");
        assert_eq!(L10n::new("ko").issue_line(Some("4"), None), "제4호");
    }

    #[test]
    fn l10n_issue_counts_take_the_plural_forms() {
        let count = |tag: &str, n| L10n::new(tag).issue_count(n);
        assert_eq!(count("en", 1), "1 issue");
        assert_eq!(count("en", 3), "3 issues");
        assert_eq!(count("fr", 1), "1 numéro");
        assert_eq!(count("fr", 2), "2 numéros");
        assert_eq!(count("de", 12), "12 Ausgaben");
        assert_eq!(count("it", 2), "2 numeri");
        for (n, s) in [
            (1, "1 выпуск"),
            (3, "3 выпуска"),
            (5, "5 выпусков"),
            (11, "11 выпусков"),
            (12, "12 выпусков"),
            (21, "21 выпуск"),
            (22, "22 выпуска"),
        ] {
            assert_eq!(count("ru", n), s);
        }
        for (n, s) in [
            (1, "عدد واحد"),
            (2, "عددان"),
            (3, "3 أعداد"),
            (10, "10 أعداد"),
            (11, "11 عددًا"),
            (12, "12 عددًا"),
            (100, "100 عدد"),
        ] {
            assert_eq!(count("ar", n), s);
        }
        assert_eq!(count("he", 1), "גיליון אחד");
        assert_eq!(count("he", 4), "4 גיליונות");
        assert_eq!(count("zh-Hans", 3), "共 3 期");
        assert_eq!(count("ja", 3), "全 3 号");
        assert_eq!(count("ko", 3), "총 3호");
    }

    #[test]
    fn l10n_fill_leaves_unknown_braces() {
        assert_eq!(fill("{a} {b} {", &[("a", "x")]), "x {b} {");
    }
}
