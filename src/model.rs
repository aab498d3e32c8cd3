//! The document model: what the plain text of an issue says, after parsing and configuration.
//!
//! Every node records the 1-based source `line` it came from, so later stages can point
//! diagnostics at the text. The JSON form of these types (`quire check --json`) is a stable
//! interface documented in the README: add fields, never rename or remove them.

use crate::date::IsoDate;
use crate::lang::Lang;
use serde::Serialize;

/// A parsed issue: masthead, headline, deck, then the body blocks in reading order.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Issue {
    /// The effective metadata: front matter over text over quire.yaml.
    pub meta: Meta,
    /// The masthead line, when the text opens with one.
    pub masthead: Option<Masthead>,
    /// The headline: a short title-shaped line after the masthead (or first), set large;
    /// the default title.
    pub headline: Option<TextLine>,
    /// The sub-headline under the headline.
    pub deck: Option<TextLine>,
    /// Body blocks in reading order (paragraphs, sections, lists, links, address, closing).
    pub blocks: Vec<Block>,
}

impl Issue {
    /// The newsletter's name: front matter `newsletter:` over the masthead's name over
    /// quire.yaml (the parser resolves `meta.newsletter` in that order); `None` when nothing
    /// names it.
    pub fn newsletter(&self) -> Option<&str> {
        self.meta
            .newsletter
            .as_deref()
            .filter(|n| !n.trim().is_empty())
    }

    /// The title: front matter `title:` over the headline over quire.yaml.
    pub fn title(&self) -> Option<&str> {
        self.meta.title.as_deref().filter(|t| !t.trim().is_empty())
    }

    /// The year: front matter over the masthead over quire.yaml over the date's year.
    pub fn year(&self) -> Option<i32> {
        self.meta.year
    }

    /// The issue number: front matter over the masthead's numeral over quire.yaml.
    pub fn number(&self) -> Option<u32> {
        self.meta.issue
    }

    /// The issue's language, read once into a [`Lang`].
    pub fn lang(&self) -> Lang {
        Lang::new(&self.meta.language)
    }
}

/// Metadata that the text, the front matter or quire.yaml say about the issue.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Meta {
    /// Title of the issue (defaults to the headline).
    pub title: Option<String>,
    /// Newsletter name (defaults to the masthead's name).
    pub newsletter: Option<String>,
    /// Issue number within its year or series.
    pub issue: Option<u32>,
    /// Year of the issue: front matter over the masthead over quire.yaml over the date's year.
    pub year: Option<i32>,
    /// The issue's date (written `YYYY-MM-DD` in JSON).
    pub date: Option<IsoDate>,
    /// BCP 47 language tag: `en`, `zh-Hans`, `zh-Hant`, `ja`, `ko` …
    pub language: String,
    /// Who publishes the newsletter (front matter or quire.yaml); the PDF's /Author.
    pub publisher: Option<String>,
    /// PDF keywords from front matter or quire.yaml; empty when neither gives any.
    pub keywords: Vec<String>,
}

/// The masthead line, e.g. "NEWSLETTER Issue Ⅳ of 2017".
#[derive(Debug, Clone, Serialize)]
pub struct Masthead {
    /// The line as written.
    pub text: String,
    /// The newsletter's name ("NEWSLETTER", "简讯").
    pub name: String,
    /// The issue number's value.
    pub number: Option<u32>,
    /// The issue number as written ("Ⅳ", "12", "四").
    pub numeral: Option<String>,
    /// The year the line names ("2017"), when it names one.
    pub year: Option<i32>,
    /// 1-based source line.
    pub line: u32,
    /// 1-based column (in characters) of the numeral in the line, when there is one.
    pub numeral_column: Option<u32>,
}

/// A single line of text with its source line.
#[derive(Debug, Clone, Serialize)]
pub struct TextLine {
    /// The line as written.
    pub text: String,
    /// 1-based source line; 0 for a line from quire.yaml or front matter.
    pub line: u32,
}

/// One block of the body.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Block {
    /// Running text. Hard line breaks inside a paragraph are already joined.
    Paragraph {
        /// The paragraph as one line of text.
        text: String,
        /// 1-based source line of its first line.
        line: u32,
    },
    /// A heading on its own line, not numbered.
    Heading {
        /// The heading as written.
        text: String,
        /// 1-based source line.
        line: u32,
    },
    /// A run of numbered sections ("I. Peace. …", "一、…").
    Sections {
        /// The sections in order, at least one.
        sections: Vec<Section>,
        /// 1-based source line of the first section's numeral.
        line: u32,
    },
    /// A list: explicit markers (-, •, ·, 1.) or the implicit list after a lead-in ending in ':'.
    List {
        /// How the items are marked; one list never mixes kinds.
        kind: ListKind,
        /// The items in order.
        items: Vec<ListItem>,
        /// 1-based source line of the first item.
        line: u32,
    },
    /// A "… here:" line; `target` is its URL: on the line, on the next line, or the next of
    /// `links:` in front matter or quire.yaml.
    Link {
        /// The line without its URL, ending in the colon ("Read the full text here:").
        text: String,
        /// The URL; `None` (with a warning) when nothing gives one.
        target: Option<String>,
        /// 1-based source line.
        line: u32,
    },
    /// The URLs of `links:` (front matter or quire.yaml) that no link line took, printed
    /// after the issue's last text block (before its address and closing lines) under a small
    /// heading, "Links" in the issue's language ([`links_heading`]), each a live link: a
    /// given URL is never lost. `quire check` still warns about them.
    Links {
        /// The URLs, in the order `links:` gives them.
        urls: Vec<String>,
        /// Always 0: the URLs come from front matter or quire.yaml, not the text.
        line: u32,
    },
    /// A postal address, kept as its lines.
    Address {
        /// The address lines in order.
        lines: Vec<TextLine>,
        /// 1-based source line of the first; 0 for the address from quire.yaml or front
        /// matter, used when the text has none.
        line: u32,
    },
    /// Closing lines ("Your comments are welcome.").
    Closing {
        /// Every line from the first closing line to the end of the text.
        lines: Vec<TextLine>,
        /// 1-based source line of the first.
        line: u32,
    },
}

impl Block {
    /// The first source line of the block.
    pub fn line(&self) -> u32 {
        match self {
            Block::Paragraph { line, .. }
            | Block::Heading { line, .. }
            | Block::Sections { line, .. }
            | Block::List { line, .. }
            | Block::Link { line, .. }
            | Block::Links { line, .. }
            | Block::Address { line, .. }
            | Block::Closing { line, .. } => *line,
        }
    }
}

/// The heading of the [`Block::Links`] block in language `lang` (a BCP 47 tag): the one place
/// its words are kept, for the PDF and both mail bodies; English for other languages.
pub fn links_heading(lang: &str) -> &'static str {
    use crate::cjk::Locale;
    let lang = Lang::new(lang);
    match lang.locale() {
        Some(Locale::ZhHans) => return "链接",
        Some(Locale::ZhHant) => return "連結",
        Some(Locale::Ja) => return "リンク",
        Some(Locale::Ko) => return "링크",
        None => {}
    }
    match lang.primary() {
        "fr" => "Liens",
        "de" => "Links",
        "es" => "Enlaces",
        "pt" => "Links",
        "it" => "Link",
        "ru" => "Ссылки",
        "ar" => "روابط",
        _ => "Links",
    }
}

/// A numbered section: "IV. Shared Benefits. The international community …".
#[derive(Debug, Clone, Serialize)]
pub struct Section {
    /// The numeral as written ("IV", "Ⅳ", "四", "（一）", "第一章").
    pub numeral: String,
    /// Its value.
    pub number: u32,
    /// Numbering style of the numeral.
    pub style: NumeralStyle,
    /// The title: run-in ("Peace") or on its own line.
    pub title: Option<String>,
    /// True when the title runs into the body on the same line.
    pub run_in: bool,
    /// Body paragraphs of the section.
    pub body: Vec<String>,
    /// 1-based source line of the numeral.
    pub line: u32,
}

/// How a section's numeral is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NumeralStyle {
    /// I, II, … (ASCII letters)
    Roman,
    /// Ⅰ, Ⅱ, … (U+2160–U+2188)
    UnicodeRoman,
    /// 一、 二、 …
    Chinese,
    /// （一） …
    ChineseParen,
    /// 第一, 第一章 …
    ChineseOrdinal,
    /// 1., 2. …
    Arabic,
}

/// How a list's items are marked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ListKind {
    /// -, •, · markers
    Bullet,
    /// 1. 2. 3. markers
    Numbered,
    /// No markers: the short paragraphs that follow a lead-in ending in ':'.
    Implicit,
}

/// One item of a list.
#[derive(Debug, Clone, Serialize)]
pub struct ListItem {
    /// The marker as written, if any.
    pub marker: Option<String>,
    /// The item's text, without its marker.
    pub text: String,
    /// 1-based source line.
    pub line: u32,
}
