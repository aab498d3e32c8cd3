//! The text/plain body of the e-mail edition: the issue as a plain-text reader expects it,
//! in the PDF's order and structure.
//!
//! ```text
//! NEWSLETTER  Issue Ⅳ of 2017         masthead: name and issue line (`compose::identity`),
//! ===========================         underlined with '=' (the PDF's accent rules)
//!
//! China Releases First Strategy       headline, the deck on the next line
//! On Cyberspace Cooperation
//!
//! On March 1, the Ministry of …       paragraphs; one blank line between blocks
//!
//! Visa Services                       a heading: its own line, underlined with '-' (case
//! -------------                       kept: upper-casing would change CJK and proper names)
//!
//!   I. Peace. The international       sections: the numeral right-aligned in a gutter (as
//!      community should observe …     in the PDF, numerals align on their dot), the run-in
//!                                     title, continuation lines hang under the text
//!  II. Appointments                   a title on its own line: numeral and title, then the
//!      Appointments are now …         body paragraphs under the gutter
//!
//! • Promoting the building of …       list items: marker in a gutter, hanging indent, no
//!   rule-based order …                blank line between items ("•", or "1." as written)
//!
//! You can read the full text here:   a link line, then its URL whole on its own line
//! https://example.org/strategy
//! ```
//!
//! Lines are wrapped at UAX #14 opportunities (Latin at spaces, Chinese and Japanese between
//! characters) that the PDF's CJK rules also allow (`crate::cjk`: no closing mark at a line
//! start, no opening mark at a line end, Korean only between words) to at most [`TEXT_WIDTH`]
//! display columns: East Asian wide characters count two, and in Chinese, Japanese and Korean
//! text the ambiguous ones (“ ” • Ⅳ) count two as well, since CJK fonts draw them full width.
//! URLs and e-mail addresses are never broken: one longer than the line stands alone on it.

use crate::lang::Lang;
use std::ops::Range;

use unicode_linebreak::linebreaks;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::TEXT_WIDTH;
use crate::cjk::Locale;
use crate::compose::{identity, run_in_title, section_label};
use crate::model::{Block, Issue, ListItem, ListKind, Section};
use crate::script::{classify, ScriptClass};

/// The issue as plain text, lines of at most [`super::TEXT_WIDTH`] display columns.
///
/// `"\n"` line ends, exactly one at the end; no trailing spaces, no control characters.
pub fn plain_text(issue: &Issue) -> String {
    let mut w = Writer::new(&issue.meta.language);
    w.head(issue);
    for block in &issue.blocks {
        w.block(block);
    }
    w.finish()
}

/// The unsubscribe note appended to the plain-text body of a list send: a blank line, the
/// signature separator `"-- "` (mail clients fold or strip what follows it), then the
/// localized "To unsubscribe:" and the URL (on the next line when both do not fit).
pub fn text_footer(unsubscribe: &str, lang: &str) -> String {
    let w = Writer::new(lang);
    let label = unsubscribe_label(lang);
    let url = clean(unsubscribe);
    let url = url.trim();
    let one = format!("{label}{}{url}", label_gap(label));
    let note = if w.width(&one) <= TEXT_WIDTH {
        one
    } else {
        format!("{label}\n{url}")
    };
    format!("\n-- \n{note}\n")
}

/// The localized label before the unsubscribe URL, for both bodies; English when the
/// language has none here.
pub(super) fn unsubscribe_label(lang: &str) -> &'static str {
    match lang_key(lang) {
        "fr" => "Pour vous désabonner\u{a0}:",
        "de" => "Abmelden:",
        "es" => "Para darse de baja:",
        "it" => "Per annullare l’iscrizione:",
        "pt" => "Para cancelar a inscrição:",
        "nl" => "Afmelden:",
        "ru" => "Отписаться от рассылки:",
        "zh-Hans" => "取消订阅：",
        "zh-Hant" => "取消訂閱：",
        "ja" => "配信停止：",
        "ko" => "수신 거부:",
        "ar" => "لإلغاء الاشتراك:",
        "he" => "להסרה מרשימת התפוצה:",
        _ => "To unsubscribe:",
    }
}

/// What goes between a label and the URL after it: nothing after a full-width colon
/// ("取消订阅：https://…"), which carries its own space, else one space.
pub(super) fn label_gap(label: &str) -> &'static str {
    if label.ends_with('：') {
        ""
    } else {
        " "
    }
}

/// What goes between a run-in title and its text: nothing after a full-width stop
/// ("开放合作。"), which carries its own space (as in the PDF), else one space.
pub(super) fn run_in_gap(title: &str) -> &'static str {
    if title.ends_with(['。', '．', '：', '！', '？']) {
        ""
    } else {
        " "
    }
}

/// The language a BCP 47 tag selects for labels and fonts: Chinese by script ("zh-Hans",
/// "zh-Hant", as [`Lang`] reads the tag), "ja", "ko", else the primary subtag in lower case
/// ("fr-CA" -> "fr", "iw" -> "he") when there are labels for it, "other" when not.
pub(super) fn lang_key(lang: &str) -> &'static str {
    let lang = Lang::new(lang);
    if let Some(locale) = lang.locale() {
        return locale.tag();
    }
    match lang.primary() {
        "iw" => "he",
        "" => "en",
        p => KNOWN_LANGS
            .iter()
            .find(|k| **k == p)
            .copied()
            .unwrap_or("other"),
    }
}

/// Primary language subtags with labels or fonts of their own here.
const KNOWN_LANGS: [&str; 14] = [
    "en", "fr", "de", "es", "it", "pt", "nl", "ru", "ja", "ko", "ar", "fa", "ur", "he",
];

/// True for Chinese, Japanese and Korean, whose fonts draw East Asian ambiguous characters
/// full width.
pub(super) fn is_east_asian(lang: &str) -> bool {
    Lang::new(lang).locale().is_some()
}

/// The text with every control character gone: tabs and line separators become spaces
/// (paragraphs are already joined), the others (NUL, ESC, DEL, C1) are dropped.
pub(super) fn clean(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            '\t' | '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}' => {
                Some(' ')
            }
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}

/// The body being written: its lines, and how the language measures them.
struct Writer {
    lines: Vec<String>,
    lang: String,
    /// Count East Asian ambiguous characters as two columns (Chinese, Japanese, Korean).
    wide_ambiguous: bool,
}

impl Writer {
    fn new(lang: &str) -> Self {
        Writer {
            lines: Vec::new(),
            lang: lang.to_string(),
            wide_ambiguous: is_east_asian(lang),
        }
    }

    /// Display columns of `s`.
    fn width(&self, s: &str) -> usize {
        if self.wide_ambiguous {
            s.width_cjk()
        } else {
            s.width()
        }
    }

    fn char_width(&self, c: char) -> usize {
        let w = if self.wide_ambiguous {
            c.width_cjk()
        } else {
            c.width()
        };
        w.unwrap_or(0)
    }

    /// One blank line before the next block (none at the top, never two).
    fn blank(&mut self) {
        if self.lines.last().is_some_and(|l| !l.is_empty()) {
            self.lines.push(String::new());
        }
    }

    /// Push a line as is, without trailing spaces.
    fn push(&mut self, line: &str) {
        self.lines.push(line.trim_end().to_string());
    }

    /// Masthead (name and issue line, then a rule), headline and deck.
    fn head(&mut self, issue: &Issue) {
        let ident = identity(issue);
        let sep = if Lang::new(&self.lang).is_chinese_or_japanese() {
            "\u{3000}"
        } else {
            "  "
        };
        let masthead = [ident.name.trim(), ident.issue_line.trim()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(sep);
        if !masthead.is_empty() {
            self.underlined(&masthead, '=');
        }
        self.blank();
        for line in [&issue.headline, &issue.deck].into_iter().flatten() {
            self.wrap(&line.text, "", "");
        }
    }

    /// `text` wrapped, then a rule of `mark` as wide as its widest line.
    fn underlined(&mut self, text: &str, mark: char) {
        let first = self.lines.len();
        self.wrap(text, "", "");
        let widest = self.lines[first..]
            .iter()
            .map(|l| self.width(l))
            .max()
            .unwrap_or(0);
        if widest > 0 {
            self.push(&mark.to_string().repeat(widest.min(TEXT_WIDTH)));
        }
    }

    fn block(&mut self, block: &Block) {
        self.blank();
        match block {
            Block::Paragraph { text, .. } => self.wrap(text, "", ""),
            Block::Heading { text, .. } => self.underlined(text, '-'),
            Block::Sections { sections, .. } => self.sections(sections),
            Block::List { kind, items, .. } => self.list(*kind, items),
            Block::Link { text, target, .. } => {
                self.wrap(text, "", "");
                if let Some(url) = target {
                    // The URL whole on its own line, however long: a broken URL is a dead link.
                    self.push(clean(url).trim());
                }
            }
            Block::Links { urls, .. } => {
                self.underlined(crate::model::links_heading(&self.lang), '-');
                for url in urls {
                    // Each URL whole on its own line, as after a link line.
                    self.push(clean(url).trim());
                }
            }
            Block::Address { lines, .. } | Block::Closing { lines, .. } => {
                for l in lines {
                    self.wrap(&l.text, "", "");
                }
            }
        }
    }

    /// Numbered sections: numeral in a gutter, run-in title, hanging indent.
    fn sections(&mut self, sections: &[Section]) {
        let markers: Vec<String> = sections
            .iter()
            .map(|s| section_label(s, &self.lang))
            .collect();
        let (firsts, indent) = self.hang(&markers);
        for (k, (s, first)) in sections.iter().zip(&firsts).enumerate() {
            if k > 0 {
                self.blank();
            }
            let body = s.body.first().map(String::as_str).unwrap_or("");
            let own_line = !s.run_in && s.title.is_some();
            let lead = match &s.title {
                Some(t) if own_line => t.clone(),
                Some(t) => {
                    let t = run_in_title(t.trim(), &self.lang);
                    let gap = if body.is_empty() { "" } else { run_in_gap(&t) };
                    format!("{t}{gap}{body}")
                }
                None => body.to_string(),
            };
            self.wrap(&lead, first, &indent);
            let more = if own_line {
                &s.body[..]
            } else {
                s.body.get(1..).unwrap_or(&[])
            };
            for (i, para) in more.iter().enumerate() {
                // An own-line title keeps its first paragraph right under it.
                if !(own_line && i == 0) {
                    self.blank();
                }
                self.wrap(para, &indent, &indent);
            }
        }
    }

    /// A list: each item's marker in a gutter, continuation lines under the text.
    fn list(&mut self, kind: ListKind, items: &[ListItem]) {
        let markers: Vec<String> = items
            .iter()
            .enumerate()
            .map(|(i, it)| match (kind, &it.marker) {
                (ListKind::Numbered, Some(m)) => clean(m).trim().to_string(),
                (ListKind::Numbered, None) => format!("{}.", i + 1),
                _ => "•".to_string(),
            })
            .collect();
        let (firsts, indent) = self.hang(&markers);
        for (item, first) in items.iter().zip(&firsts) {
            self.wrap(&item.text, first, &indent);
        }
    }

    /// First-line prefixes (each marker right-aligned in the gutter, then the gap) and the
    /// indent of the lines after. The gap is one space, none when every marker ends in a
    /// full-width mark ("一、", "Ⅰ．"), which carries its own space.
    fn hang(&self, markers: &[String]) -> (Vec<String>, String) {
        let widest = markers.iter().map(|m| self.width(m)).max().unwrap_or(0);
        let narrow_end = markers
            .iter()
            .any(|m| m.chars().last().is_none_or(|c| self.char_width(c) < 2));
        let gap = usize::from(narrow_end);
        let firsts = markers
            .iter()
            .map(|m| {
                let pad = " ".repeat(widest - self.width(m));
                format!("{pad}{m}{}", " ".repeat(gap))
            })
            .collect();
        (firsts, " ".repeat(widest + gap))
    }

    /// Wrap `text` after `first` (its first line) and `rest` (the others) to [`TEXT_WIDTH`].
    /// Greedy, at UAX #14 opportunities outside URLs and e-mail addresses; a piece wider than
    /// the line stands alone on its line.
    fn wrap(&mut self, text: &str, first: &str, rest: &str) {
        let text = clean(text);
        let text = text.trim();
        if text.is_empty() {
            if !first.trim().is_empty() {
                self.push(first);
            }
            return;
        }
        let keep = unbreakable(text);
        let locale = Lang::new(&self.lang).locale_or_infer(text);
        let mut prefix = first;
        let (mut line, mut line_w, mut start) = (String::new(), 0, 0);
        for (pos, _) in linebreaks(text) {
            if keep.iter().any(|r| r.start < pos && pos < r.end) || !cjk_allows(text, pos, locale) {
                continue;
            }
            let piece = &text[start..pos];
            start = pos;
            let avail = TEXT_WIDTH.saturating_sub(self.width(prefix)).max(1);
            if !line.trim().is_empty() && line_w + self.width(piece.trim_end()) > avail {
                self.push(&format!("{prefix}{line}"));
                prefix = rest;
                line.clear();
                line_w = 0;
            }
            line.push_str(piece);
            line_w += self.width(piece);
        }
        self.push(&format!("{prefix}{line}"));
    }

    /// The lines joined with "\n", ending with exactly one.
    fn finish(mut self) -> String {
        while self.lines.last().is_some_and(|l| l.is_empty()) {
            self.lines.pop();
        }
        let mut out = self.lines.join("\n");
        out.push('\n');
        out
    }
}

/// Whether the CJK rules the PDF follows (`crate::cjk`: kinsoku, and Korean breaking only
/// between words) allow the UAX #14 break at `pos`; always true outside CJK text.
fn cjk_allows(text: &str, pos: usize, locale: Option<Locale>) -> bool {
    let Some(locale) = locale else { return true };
    let (Some(a), Some(b)) = (text[..pos].chars().next_back(), text[pos..].chars().next()) else {
        return true;
    };
    let governed = |c: char| classify(c) == ScriptClass::Cjk || matches!(c, '—' | '―' | '…' | '‥');
    if a.is_whitespace() {
        // A word space: nothing prohibited ("。", "」") may start the next line.
        return !governed(b) || crate::cjk::may_start_line(b, locale);
    }
    if b.is_whitespace() || !(governed(a) || governed(b)) {
        return true;
    }
    crate::cjk::break_allowed(a, b, locale)
}

/// Byte ranges of `text` that no line break may enter: its URLs and e-mail addresses.
fn unbreakable(text: &str) -> Vec<Range<usize>> {
    let mut keep = super::html::url_spans(text);
    keep.extend(email_spans(text));
    keep
}

/// Byte ranges of the e-mail addresses in `text` ("press@example.org").
fn email_spans(text: &str) -> Vec<Range<usize>> {
    let local = |c: char| c.is_ascii_alphanumeric() || "._%+-".contains(c);
    let domain = |c: char| c.is_ascii_alphanumeric() || ".-".contains(c);
    let mut spans = Vec::new();
    for (at, _) in text.match_indices('@') {
        let start = text[..at]
            .char_indices()
            .rev()
            .take_while(|&(_, c)| local(c))
            .last()
            .map_or(at, |(i, _)| i);
        let end = at
            + 1
            + text[at + 1..]
                .find(|c: char| !domain(c))
                .unwrap_or(text.len() - at - 1);
        let host = text[at + 1..end].trim_end_matches(['.', '-']);
        if start < at && host.contains('.') {
            spans.push(start..at + 1 + host.len());
        }
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::model::{Meta, TextLine};

    const SAMPLE: &str = include_str!("../../issues/embassy-newsletter-2017-04.txt");
    const ZH: &str = include_str!("../../tests/fixtures/render/zh-hans.txt");
    const JA: &str = include_str!("../../tests/fixtures/render/ja.txt");
    const KO: &str = include_str!("../../tests/fixtures/render/ko.txt");
    const LONG: &str = include_str!("../../tests/fixtures/render/long-12-sections.txt");
    const LINKS: &str = include_str!("../../tests/fixtures/parse/front-matter-links.txt");
    const BULLETS: &str = include_str!("../../tests/fixtures/parse/bullets.txt");
    const OWN_LINE: &str =
        include_str!("../../tests/fixtures/parse/own-line-titles-blank-bodies.txt");

    fn text_of(src: &str) -> String {
        plain_text(&crate::parse::parse_issue("t.txt", src, &Config::default()).issue)
    }

    /// True for a line that is one token (no space inside): a URL may stand over the width.
    fn single_token(line: &str) -> bool {
        !line.trim().contains(char::is_whitespace)
    }

    fn assert_fits(out: &str) {
        for line in out.lines() {
            assert!(
                line.width() <= TEXT_WIDTH || single_token(line),
                "{} columns: {line:?}",
                line.width()
            );
        }
    }

    #[test]
    fn mail_text_sample_lines_fit_width() {
        assert_fits(&text_of(SAMPLE));
    }

    #[test]
    fn mail_text_cjk_lines_fit_width() {
        for src in [ZH, JA] {
            let out = text_of(src);
            assert_fits(&out);
            // Counted the CJK way too (ambiguous characters full width).
            assert!(out.lines().all(|l| l.width_cjk() <= TEXT_WIDTH), "{out}");
        }
    }

    #[test]
    fn mail_text_cjk_wraps_between_characters() {
        // Chinese has no spaces: lines are filled to within a character of the width.
        let out = text_of(ZH);
        let full = out.lines().filter(|l| l.width_cjk() >= TEXT_WIDTH - 2);
        assert!(full.count() >= 5, "{out}");
    }

    #[test]
    fn mail_text_cjk_line_never_starts_with_closing_punctuation() {
        for src in [ZH, JA] {
            let out = text_of(src);
            for l in out.lines() {
                let closing = ['，', '。', '、', '”', '》', '）', '：', '」', 'ー', 'ゃ'];
                assert!(!l.trim_start().starts_with(closing), "{l:?}");
            }
        }
    }

    #[test]
    fn mail_text_korean_breaks_only_between_words() {
        let out = text_of(KO);
        for word in KO.split_whitespace() {
            assert!(out.contains(word), "{word} split:\n{out}");
        }
    }

    #[test]
    fn mail_text_long_url_stands_whole_on_its_line() {
        let url = "https://www.example.org/a/very/long/path/that/needs/breaking?with=query&and=more-parameters-2017";
        let out = text_of(LONG);
        assert!(out.lines().any(|l| l.trim() == url), "{out}");
    }

    #[test]
    fn mail_text_url_is_never_split() {
        let mut w = Writer::new("en");
        let url =
            "https://example.org/a-b/c-d/e-f/g-h/i-j/k-l/m-n/o-p/q-r/s-t/u-v/w-x/y-z/0-1/2-3/4";
        w.wrap(&format!("See the page at {url}, which is long."), "", "");
        assert!(w.lines.iter().any(|l| l.contains(url)), "{:?}", w.lines);
    }

    #[test]
    fn mail_text_email_is_never_split() {
        let mut w = Writer::new("en");
        let text = format!(
            "{} write to first-last.name@press-office.example.org",
            "x ".repeat(30)
        );
        w.wrap(&text, "", "");
        assert!(w
            .lines
            .iter()
            .any(|l| l.contains("first-last.name@press-office.example.org")));
    }

    #[test]
    fn mail_text_masthead_comes_first_with_rule() {
        let out = text_of(SAMPLE);
        let mut lines = out.lines();
        assert_eq!(lines.next(), Some("NEWSLETTER  Issue Ⅳ of 2017"));
        assert!(lines.next().is_some_and(|l| l.chars().all(|c| c == '=')));
    }

    #[test]
    fn mail_text_headline_and_deck_follow_masthead() {
        let out = text_of(SAMPLE);
        assert!(out.contains("\n\nChina Releases First Strategy\nOn Cyberspace Cooperation\n\n"));
    }

    #[test]
    fn mail_text_section_numerals_and_run_in_titles() {
        let out = text_of(SAMPLE);
        for head in [
            "  I. Peace. The international",
            " II. Cooperation. China",
            "III. Sovereignty. Countries",
            " IV. Shared Benefits. The",
            "  V. Shared Governance. International",
        ] {
            assert!(out.lines().any(|l| l.starts_with(head)), "{head}\n{out}");
        }
    }

    #[test]
    fn mail_text_section_continuation_hangs_under_text() {
        let out = text_of(SAMPLE);
        let lines: Vec<&str> = out.lines().collect();
        let i = lines
            .iter()
            .position(|l| l.starts_with("  I. Peace."))
            .unwrap();
        assert!(lines[i + 1].starts_with("     ") && !lines[i + 1].starts_with("      "));
    }

    #[test]
    fn mail_text_cjk_section_label_without_gap() {
        let out = text_of(ZH);
        assert!(
            out.lines().any(|l| l.starts_with("一、开放合作。坚持")),
            "{out}"
        );
        assert!(
            out.lines().any(|l| l.starts_with("    ")),
            "hanging indent of 4"
        );
    }

    #[test]
    fn mail_text_own_line_title_then_body() {
        let out = text_of(OWN_LINE);
        assert!(
            out.contains(
                " I. Appointments\n    Appointments are now booked online only.\n\n    Walk-in"
            ),
            "{out}"
        );
        assert!(out.contains("II. Fees"), "{out}");
    }

    #[test]
    fn mail_text_list_markers_hang() {
        let out = text_of(BULLETS);
        assert!(
            out.contains("• Passports must be valid for six months.\n• Photos"),
            "{out}"
        );
        assert!(
            out.contains("1. Fill in the online form.\n2. Book an appointment."),
            "{out}"
        );
    }

    #[test]
    fn mail_text_implicit_list_gets_bullets() {
        let out = text_of(SAMPLE);
        assert!(
            out.lines()
                .any(|l| l.starts_with("• Promoting the building")),
            "{out}"
        );
    }

    #[test]
    fn mail_text_links_block_prints_its_heading_and_urls() {
        let issue = Issue {
            meta: Meta {
                language: "de".to_string(),
                ..Default::default()
            },
            blocks: vec![Block::Links {
                urls: vec!["https://example.de/anhang".to_string()],
                line: 0,
            }],
            ..Default::default()
        };
        let out = plain_text(&issue);
        assert!(
            out.contains("Links\n-----\nhttps://example.de/anhang\n"),
            "{out}"
        );
    }

    #[test]
    fn mail_text_link_url_after_link_line() {
        let out = text_of(LINKS);
        assert!(out.contains(
            "You can read the full text of the Strategy here:\nhttps://example.org/strategy-full-text\n"
        ), "{out}");
    }

    #[test]
    fn mail_text_link_without_target_is_just_text() {
        let out = text_of(SAMPLE);
        assert!(
            out.contains("You can read the full text of the Strategy here:\n\n"),
            "{out}"
        );
    }

    #[test]
    fn mail_text_address_lines_one_per_line() {
        let out = text_of(SAMPLE);
        assert!(out.contains(
            "Embassy of the People's Republic of China\n3505, International Place, NW Washington DC, 20008\n"
        ), "{out}");
    }

    #[test]
    fn mail_text_closing_present() {
        let out = text_of(SAMPLE);
        assert!(out.contains("\nYour comments are welcome.\n"), "{out}");
        assert!(out.ends_with("Suggest to a Friend:\n"), "{out}");
    }

    #[test]
    fn mail_text_heading_underlined() {
        let issue = Issue {
            meta: Meta {
                language: "en".into(),
                ..Meta::default()
            },
            blocks: vec![Block::Heading {
                text: "Visa Services".into(),
                line: 1,
            }],
            ..Issue::default()
        };
        assert_eq!(plain_text(&issue), "Visa Services\n-------------\n");
    }

    #[test]
    fn mail_text_ends_with_one_newline_no_trailing_spaces() {
        for src in [SAMPLE, ZH, JA, LONG, BULLETS, OWN_LINE] {
            let out = text_of(src);
            assert!(out.ends_with('\n') && !out.ends_with("\n\n"));
            assert!(out.lines().all(|l| l == l.trim_end()), "{out}");
        }
    }

    #[test]
    fn mail_text_no_control_characters() {
        let issue = Issue {
            headline: Some(TextLine {
                text: "Bell\u{7}\tand\u{1b}[31m escape".into(),
                line: 1,
            }),
            ..Issue::default()
        };
        let out = plain_text(&issue);
        assert!(!out.chars().any(|c| c.is_control() && c != '\n'), "{out:?}");
        assert_eq!(out, "Bell and[31m escape\n");
    }

    #[test]
    fn mail_text_footer_has_signature_separator() {
        let f = text_footer("https://example.org/u?t=1", "en");
        assert_eq!(f, "\n-- \nTo unsubscribe: https://example.org/u?t=1\n");
    }

    #[test]
    fn mail_text_footer_localized() {
        let u = "https://example.org/u";
        assert!(text_footer(u, "fr").contains("Pour vous désabonner\u{a0}: https://"));
        assert!(text_footer(u, "de-AT").contains("Abmelden: https://"));
        assert!(text_footer(u, "es").contains("Para darse de baja: https://"));
        assert!(text_footer(u, "zh-Hans").contains("取消订阅：https://"));
        assert!(text_footer(u, "zh-TW").contains("取消訂閱：https://"));
        assert!(text_footer(u, "ja").contains("配信停止：https://"));
        assert!(text_footer(u, "ko").contains("수신 거부: https://"));
        assert!(text_footer(u, "sw").contains("To unsubscribe: https://"));
    }

    #[test]
    fn mail_text_footer_long_url_on_its_own_line() {
        let u = format!("https://example.org/unsubscribe?token={}", "a".repeat(60));
        assert_eq!(
            text_footer(&u, "en"),
            format!("\n-- \nTo unsubscribe:\n{u}\n")
        );
    }
}
