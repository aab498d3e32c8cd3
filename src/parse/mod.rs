//! Plain text to the document model: front matter, structure detection, checks. Never panics.
//!
//! The stages, in order: split off the front matter (`front`), cut the body into units
//! (`units`: paragraphs, one per marker line), classify units line by line (`detect`,
//! `markers`, `masthead`), then assemble blocks with context (`build`: masthead, headline,
//! deck, sections, lists, links, address, closing) and check them (numeral sequences, link
//! targets, masthead vs front matter).

mod build;
pub mod decode;
mod detect;
pub mod front;
pub mod links;
mod markers;
mod masthead;
pub(crate) use masthead::is_date_only;
mod numeral;
mod units;

use crate::config::Config;
use crate::diag::Diagnostic;
use crate::model::{Issue, Meta};
use crate::script;

/// The result of parsing one issue: the model, the effective configuration and diagnostics.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// The document model; its `meta` filled from front matter, text and quire.yaml.
    pub issue: Issue,
    /// The effective configuration: front matter over quire.yaml.
    pub config: Config,
    /// Errors and warnings, in reading order (whole-file ones first).
    pub diagnostics: Vec<Diagnostic>,
}

/// Parse an issue's text (already decoded) under `base` (the quire.yaml, or the default).
/// `name` is the file name used in diagnostics. Never panics; problems become diagnostics.
pub fn parse_issue(name: &str, text: &str, base: &Config) -> Parsed {
    let mut diagnostics = Vec::new();
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    if text.trim().is_empty() {
        diagnostics.push(
            Diagnostic::error(name, 0, 0, "the file is empty: there is no issue text")
                .with_hint("an issue file holds the newsletter's plain text, optionally after a front matter block between --- lines"),
        );
        return finish(
            name,
            Issue::default(),
            None,
            base.clone(),
            None,
            base,
            diagnostics,
        );
    }
    let split = front::split(name, text);
    let front_config = match split.front {
        Some(Ok(c)) => Some(c),
        Some(Err(d)) => {
            diagnostics.push(d);
            None
        }
        None => None,
    };
    diagnostics.extend(split.diagnostics);
    let config = match &front_config {
        Some(f) => f.clone().merged_over(base),
        None => base.clone(),
    };
    if split.body.trim().is_empty() {
        if split.front_end_line > 0 {
            diagnostics.push(
                Diagnostic::error(
                    name,
                    split.front_end_line,
                    1,
                    "the file holds only front matter: there is no issue text after the closing ---",
                )
                .with_hint("put the newsletter's text after the front matter block"),
            );
        }
        return finish(
            name,
            Issue::default(),
            None,
            config,
            front_config.as_ref(),
            base,
            diagnostics,
        );
    }
    let language = guess_language(split.body);
    // Wrapped lines join by the rule of the issue's language, decided as `finish` will.
    let lang = crate::lang::Lang::new(&resolve_language(front_config.as_ref(), language, base));
    let units = units::split(split.body, split.body_first_line, lang.locale());
    let issue = build::build(name, &units, &config, &mut diagnostics);
    finish(
        name,
        issue,
        language,
        config,
        front_config.as_ref(),
        base,
        diagnostics,
    )
}

/// Fill `issue.meta` (front matter over text over quire.yaml) and check the masthead against
/// the front matter.
fn finish(
    name: &str,
    mut issue: Issue,
    text_lang: Option<&'static str>,
    config: Config,
    front: Option<&Config>,
    base: &Config,
    mut diagnostics: Vec<Diagnostic>,
) -> Parsed {
    let empty = Config::default();
    let fm = front.unwrap_or(&empty);
    let m = issue.masthead.as_ref();
    issue.meta = Meta {
        title: fm
            .title
            .clone()
            .or_else(|| issue.headline.as_ref().map(|h| h.text.clone()))
            .or_else(|| base.title.clone()),
        newsletter: fm
            .newsletter
            .clone()
            .or_else(|| m.map(|m| m.name.clone()))
            .or_else(|| base.newsletter.clone()),
        issue: fm
            .issue
            .map(|n| n.0)
            .or_else(|| m.and_then(|m| m.number))
            .or_else(|| base.issue.map(|n| n.0)),
        year: fm
            .year
            .or_else(|| m.and_then(|m| m.year))
            .or(base.year)
            .or_else(|| config.date.as_ref().map(|d| d.0.year())),
        date: config.date.as_ref().map(|d| d.0),
        language: resolve_language(front, text_lang, base),
        publisher: config.publisher.clone(),
        keywords: config.keywords.clone().unwrap_or_default(),
    };
    check_masthead(name, &issue, fm, &mut diagnostics);
    // Reading order: whole-file diagnostics first, then by line and column.
    diagnostics.sort_by_key(|d| (d.line, d.column));
    Parsed {
        issue,
        config,
        diagnostics,
    }
}

/// Warn when the masthead's issue number or year differs from the front matter's.
fn check_masthead(name: &str, issue: &Issue, fm: &Config, diagnostics: &mut Vec<Diagnostic>) {
    let Some(m) = &issue.masthead else {
        return;
    };
    let column = m.numeral_column.unwrap_or(1);
    if let (Some(want), Some(got)) = (fm.issue, m.number) {
        if want.0 != got {
            diagnostics.push(
                Diagnostic::warning(
                    name,
                    m.line,
                    column,
                    format!(
                        "the masthead says issue {} ({got}) but the front matter says issue {}",
                        m.numeral.as_deref().unwrap_or("?"),
                        want.0
                    ),
                )
                .with_hint("the front matter wins; correct whichever is wrong"),
            );
        }
    }
    if let (Some(want), Some(got)) = (fm.year, m.year) {
        if want != got {
            diagnostics.push(
                Diagnostic::warning(
                    name,
                    m.line,
                    1,
                    format!("the masthead says {got} but the front matter says year {want}"),
                )
                .with_hint("the front matter wins; correct whichever is wrong"),
            );
        }
    }
}

/// The issue's language: front matter over the text's scripts over quire.yaml, else English.
fn resolve_language(front: Option<&Config>, text_lang: Option<&str>, base: &Config) -> String {
    front
        .and_then(|f| f.language.as_ref())
        .map(|l| l.0.clone())
        .or_else(|| text_lang.map(str::to_string))
        .or_else(|| base.language.as_ref().map(|l| l.0.clone()))
        .unwrap_or_else(|| "en".to_string())
}

/// The language the text is written in, from its scripts: kana means Japanese, Hangul
/// Korean, Han Chinese (simplified or traditional by a few telltale characters); `None` for
/// text with no CJK, or with so little that it is quoted in another language (the language
/// then comes from quire.yaml, or is English): CJK characters must number at least a quarter
/// of the other letters — a CJK character carries about what a Latin word of four or five
/// letters does, so an English issue quoting "贸易畅通" stays English.
fn guess_language(text: &str) -> Option<&'static str> {
    let (mut han, mut kana, mut hangul, mut simp, mut trad) =
        (0usize, 0usize, 0usize, 0usize, 0usize);
    let mut other_letters = 0usize;
    for c in text.chars() {
        if c.is_ascii() {
            other_letters += usize::from(c.is_ascii_alphabetic());
        } else if script::is_kana(c) {
            kana += 1;
        } else if script::is_hangul(c) {
            hangul += 1;
        } else if script::is_han(c) {
            han += 1;
            // Telltales are all Han: other characters (most of a Latin text) skip the two
            // searches.
            // A match, not a search in a string: that set up a substring search per Han
            // character (2 % of parsing a Chinese issue).
            if matches!(
                c,
                '这' | '们'
                    | '国'
                    | '会'
                    | '为'
                    | '说'
                    | '时'
                    | '发'
                    | '对'
                    | '经'
                    | '来'
                    | '与'
                    | '门'
                    | '关'
                    | '开'
                    | '让'
                    | '应'
                    | '该'
                    | '动'
                    | '长'
                    | '东'
            ) {
                simp += 1;
            } else if matches!(
                c,
                '這' | '們'
                    | '國'
                    | '會'
                    | '為'
                    | '說'
                    | '時'
                    | '發'
                    | '對'
                    | '經'
                    | '來'
                    | '與'
                    | '門'
                    | '關'
                    | '開'
                    | '讓'
                    | '應'
                    | '該'
                    | '動'
                    | '長'
                    | '東'
            ) {
                trad += 1;
            }
        } else if c.is_alphabetic() {
            other_letters += 1;
        }
    }
    if (han + kana + hangul) * 4 < other_letters {
        return None;
    }
    if kana > 0 && kana * 10 >= han {
        Some("ja")
    } else if hangul > 0 && hangul >= han {
        Some("ko")
    } else if han > 0 {
        Some(if trad > simp { "zh-Hant" } else { "zh-Hans" })
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Block;

    const SAMPLE: &str = include_str!("../../issues/embassy-newsletter-2017-04.txt");

    #[test]
    fn parse_never_panics_on_any_prefix_or_suffix_of_real_texts() {
        let base = Config::default();
        for text in [
            SAMPLE,
            include_str!("../../tests/fixtures/parse/zh-sections.txt"),
            include_str!("../../tests/fixtures/parse/ja-sections.txt"),
            include_str!("../../tests/fixtures/parse/bullets.txt"),
            include_str!("../../tests/fixtures/parse/front-matter-links.txt"),
        ] {
            for (b, _) in text.char_indices() {
                let _ = parse_issue("p", &text[..b], &base);
                let _ = parse_issue("p", &text[b..], &base);
            }
        }
    }

    #[test]
    fn parse_never_panics_on_odd_inputs() {
        let base = Config::default();
        for text in [
            "---",
            "---\n",
            "---\n---",
            "\u{FEFF}",
            "Ⅳ",
            "I.",
            "一、",
            "（一）",
            "第",
            "- ",
            "here:",
            "〒",
            "\n\n\n",
            "NEWSLETTER Issue",
            "X Issue 99999999999999999999 of 2017",
            "V. x\n\nI. y\n\nV. z",
            "a:\n\nb\n\nc",
        ] {
            let p = parse_issue("p", text, &base);
            assert!(p.issue.blocks.len() <= text.len(), "{text:?}");
        }
    }

    #[test]
    fn parse_lines_with_no_rule_are_paragraphs() {
        let p = parse_issue(
            "p",
            "Title\n\nsome text; more.\n\n§ odd line",
            &Config::default(),
        );
        let texts: Vec<&str> = p
            .issue
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Paragraph { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(texts, ["some text; more.", "§ odd line"]);
    }

    #[test]
    fn parse_meta_precedence_front_matter_text_yaml() {
        let base = Config::from_yaml("q", "title: From Yaml\nlanguage: fr\nissue: 9").unwrap();
        let p = parse_issue(
            "p",
            "NEWSLETTER Issue 4 of 2017\n\nHeadline\n\nBody.",
            &base,
        );
        assert_eq!(
            p.issue.meta.title.as_deref(),
            Some("Headline"),
            "text over yaml"
        );
        assert_eq!(p.issue.meta.issue, Some(4), "text over yaml");
        assert_eq!(
            p.issue.meta.language, "fr",
            "yaml when the text says nothing"
        );
        let p = parse_issue(
            "p",
            "---\nissue: 4\ntitle: Front\n---\nNEWSLETTER Issue 4 of 2017\n\nHeadline\n\nBody.",
            &base,
        );
        assert_eq!(
            p.issue.meta.title.as_deref(),
            Some("Front"),
            "front matter over text"
        );
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    }

    #[test]
    fn parse_language_guess_by_script() {
        assert_eq!(guess_language("这是中国的新闻"), Some("zh-Hans"));
        assert_eq!(guess_language("這是中國的新聞，們"), Some("zh-Hant"));
        assert_eq!(guess_language("これは日本のニュースです"), Some("ja"));
        assert_eq!(guess_language("대사관 소식입니다"), Some("ko"));
        assert_eq!(guess_language("plain English"), None);
        // A few CJK characters quoted in an English text do not make it Chinese.
        assert_eq!(
            guess_language("The five goals (五通), among them Unimpeded Trade (贸易畅通)."),
            None
        );
        assert_eq!(
            guess_language("一带一路 Belt and Road 倡议是中国提出的合作倡议"),
            Some("zh-Hans")
        );
    }

    #[test]
    fn parse_url_on_next_line_is_the_target() {
        let p = parse_issue(
            "p",
            "Read it here:\nhttps://example.org/x\n\nEnd of text.",
            &Config::default(),
        );
        assert!(
            matches!(&p.issue.blocks[0], Block::Link { target: Some(t), .. } if t == "https://example.org/x")
        );
        assert!(p.diagnostics.is_empty());
    }
}
