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
    pub masthead: Option<Masthead>,
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
    pub year: Option<i32>,
    /// The issue's date (written `YYYY-MM-DD` in JSON).
    pub date: Option<IsoDate>,
    /// BCP 47 language tag: `en`, `zh-Hans`, `zh-Hant`, `ja`, `ko` …
    pub language: String,
    pub publisher: Option<String>,
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
    pub year: Option<i32>,
    pub line: u32,
    /// 1-based column (in characters) of the numeral in the line, when there is one.
    pub numeral_column: Option<u32>,
}

/// A single line of text with its source line.
#[derive(Debug, Clone, Serialize)]
pub struct TextLine {
    pub text: String,
    pub line: u32,
}

/// One block of the body.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Block {
    /// Running text. Hard line breaks inside a paragraph are already joined.
    Paragraph { text: String, line: u32 },
    /// A heading on its own line, not numbered.
    Heading { text: String, line: u32 },
    /// A run of numbered sections ("I. Peace. …", "一、…").
    Sections { sections: Vec<Section>, line: u32 },
    /// A list: explicit markers (-, •, ·, 1.) or the implicit list after a lead-in ending in ':'.
    List {
        kind: ListKind,
        items: Vec<ListItem>,
        line: u32,
    },
    /// A "… here:" line; `target` is the URL when front matter or quire.yaml gives it.
    Link {
        text: String,
        target: Option<String>,
        line: u32,
    },
    /// A postal address, kept as its lines.
    Address { lines: Vec<TextLine>, line: u32 },
    /// Closing lines ("Your comments are welcome.").
    Closing { lines: Vec<TextLine>, line: u32 },
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
            | Block::Address { line, .. }
            | Block::Closing { line, .. } => *line,
        }
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
    pub line: u32,
}

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

#[derive(Debug, Clone, Serialize)]
pub struct ListItem {
    /// The marker as written, if any.
    pub marker: Option<String>,
    pub text: String,
    pub line: u32,
}
