//! `quire.yaml` and front matter: one schema, validated when loaded, merged field by field.
//!
//! Every field is optional; a front matter block and a `quire.yaml` are both a `Config`, and
//! `merged_over` lays one over the other (front matter wins). Lengths, colours, dates, paper
//! sizes and issue numbers are checked while deserializing, so a bad value is reported with the
//! file, line and column serde_yaml gives.

use crate::date::IsoDate;
use crate::diag::Diagnostic;
use crate::pdf::PdfA;
use crate::print::PdfX;
use serde::{de, Deserialize, Deserializer, Serialize};

/// Settings for an issue: metadata the text cannot say, page set-up, theme, print and export.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Title of the issue: in front matter it wins over the headline, in quire.yaml
    /// the headline wins over it.
    pub title: Option<String>,
    /// The newsletter's name: in front matter it wins over the masthead's name, in
    /// quire.yaml the masthead wins.
    pub newsletter: Option<String>,
    /// Issue number, 1 or more.
    pub issue: Option<IssueNumber>,
    /// Year of the issue: front matter over the masthead over quire.yaml over the date's year.
    pub year: Option<i32>,
    /// ISO date `YYYY-MM-DD`.
    pub date: Option<Date>,
    /// BCP 47 language tag (`en`, `zh-Hans`, `ja`, `ko` …).
    pub language: Option<Language>,
    /// Who publishes the newsletter: the PDF's /Author, and a volume's title page.
    pub publisher: Option<String>,
    /// Postal address lines, used when the text has no address block.
    pub address: Option<Vec<String>>,
    /// PDF keywords; when not given, the newsletter's name and the section titles.
    pub keywords: Option<Vec<String>>,
    /// Targets of the "… here:" lines, in order.
    pub links: Option<Vec<Url>>,
    /// Paper size; A4 when not given.
    pub paper: Option<Paper>,
    /// Page margins; 20 mm on every side when not given.
    pub margins: Option<Margins>,
    /// 1 or 2.
    pub columns: Option<Columns>,
    /// User font files, relative to the folder of the file that names them.
    pub fonts: Option<Vec<String>>,
    /// Text styles and accent colour laid over the built-in design.
    pub theme: Option<Theme>,
    /// Choices for the printed PDF only (`print.omit`).
    pub print: Option<Print>,
    /// Which files `quire export` renders.
    pub export: Option<Export>,
    /// `quire mail`: sender, server, subject, list headers, pace and limits.
    pub mail: Option<Mail>,
    /// Write PDF/A: `2b` or `3b` (3b attaches the source text and this file); `--pdfa` wins.
    /// Left out of the serialized form when unset, so configurations without it keep the
    /// hash `quire export` keys its outputs by.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pdfa: Option<PdfA>,
    /// The issues' encoding when they are not UTF-8 (a WHATWG label: `windows-1252`,
    /// `gb18030`, `shift_jis` …); `--encoding` wins. quire.yaml only: front matter is read
    /// after the file is decoded. Left out of the serialized form when unset (export keys).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoding: Option<EncodingLabel>,
}

/// Text styles per role, and the accent colour.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Theme {
    /// Running text; run-in section titles, lists and closing lines take its font, size,
    /// leading and colour (not its weight or slant).
    pub body: Option<Style>,
    /// The newsletter's name atop page 1; the issue line under it takes its font.
    pub masthead: Option<Style>,
    /// The issue's headline (and a volume's year on its title page).
    pub headline: Option<Style>,
    /// The sub-headline under the headline.
    pub deck: Option<Style>,
    /// Section heads on their own line; run-in titles follow `body` instead.
    pub heading: Option<Style>,
    /// List items, laid over what they take from `body`.
    pub list: Option<Style>,
    /// The sender's postal address block.
    pub address: Option<Style>,
    /// The running head and the footer ("Page N of M").
    pub footer: Option<Style>,
    /// `#rrggbb` for the masthead's name and rules, the printed link URLs and the e-mail's
    /// HTML; deep navy when not given.
    pub accent: Option<Color>,
    /// Optical margin alignment (hanging punctuation) of justified text; on when not given.
    /// Left out of the serialized form when unset (export keys).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protrusion: Option<bool>,
}

/// The style of one role.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Style {
    /// `serif`, `sans`, or the PostScript name of a user font.
    pub font: Option<String>,
    /// Font size as a length (`10.5pt`, `4mm`), more than zero.
    #[serde(default, deserialize_with = "positive_length")]
    pub size: Option<Length>,
    /// Baseline-to-baseline distance as a length (more than zero), not a ratio; without it
    /// the role keeps its ratio at the new size.
    #[serde(default, deserialize_with = "positive_length")]
    pub leading: Option<Length>,
    /// Text colour, `#rrggbb`.
    pub color: Option<Color>,
    /// Bold (true) or regular (false); unset keeps the role's own weight.
    pub bold: Option<bool>,
    /// Italic (true) or upright (false); unset keeps the role's own slant.
    pub italic: Option<bool>,
}

/// Print-only choices.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Print {
    /// Lines of the text (compared after trimming) left out of the printed PDF.
    pub omit: Option<Vec<String>>,
    /// Also write the issue as a folded booklet (`NAME.booklet.pdf`): set at half the paper
    /// (A5 on A4), two pages a side in saddle-stitch order; `--booklet` turns it on too.
    /// (Unset keys here and below are left out of the serialized form: export keys.)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub booklet: Option<bool>,
    /// Creep compensation of a booklet: how far each sheet's pages move toward the fold per
    /// sheet from the outermost (`0.2mm`, about the paper's thickness); none when not given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creep: Option<Length>,
    /// Pages per signature of an imposed booklet or volume (a multiple of 4, e.g. 16): the
    /// pages are folded in several stacked booklets instead of one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<Signature>,
    /// Bleed for a print shop (`3mm`): the page grows by it on every side, with TrimBox and
    /// BleedBox; `--print-shop` gives 3mm when this is not set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bleed: Option<Length>,
    /// Crop and registration marks outside the bleed (true with `--print-shop`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub marks: Option<bool>,
    /// Write PDF/X: `4` (PDF/X-4 with the FOGRA39 CMYK output intent); `--pdfx` wins.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pdfx: Option<PdfX>,
    /// `false`: black text and rules as K-only black (one ink) rather than RGB black, which a
    /// press prints as a four-colour "rich" black. True when not given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rich_black: Option<bool>,
    /// Colours as greys of the same luminance, for black-and-white printers (`--grey`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grey: Option<bool>,
}

/// Pages per signature: a multiple of 4, at least 4.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Signature(pub u32);

/// Which files `quire export` picks up.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Export {
    /// Shell-style patterns (`*`, `**`, `?`) for the issue files; one without '/' matches
    /// the file name, one with '/' the path under DIR. `*.txt` when not given.
    pub patterns: Option<Vec<String>>,
}

/// `quire mail` settings; the command line wins over each of them.
///
/// Credentials are never a key here: they come from `QUIRE_SMTP_USER` / `QUIRE_SMTP_PASSWORD`
/// or from the file `credentials` names (kept out of the newsletter's folder and its history).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mail {
    /// The sender, `Name <addr@domain>` or `addr@domain`.
    pub from: Option<String>,
    /// The `Reply-To` address, `Name <addr@domain>` or `addr@domain`; `--reply-to` wins.
    pub reply_to: Option<String>,
    /// `smtp://host:587` (STARTTLS), `smtps://host:465`, `smtp://host:25?tls=none`.
    pub smtp: Option<String>,
    /// The subject template, e.g. `"{newsletter} {issue line}: {title}"`.
    pub subject: Option<String>,
    /// The reader's unsubscribe link template, e.g. `https://example.org/u?e={email}`.
    pub unsubscribe: Option<String>,
    /// The `List-Id` header, e.g. `Embassy Newsletter <newsletter.example.org>`.
    pub list_id: Option<String>,
    /// Messages per second or minute: `5/s`, `120/min`.
    pub rate: Option<Rate>,
    /// Messages per SMTP connection before it is reopened.
    pub batch: Option<Batch>,
    /// The largest encoded message allowed, e.g. `25MB`.
    pub max_size: Option<ByteSize>,
    /// A file holding `user:` and `password:` for SMTP AUTH (relative to this file's folder).
    pub credentials: Option<String>,
    /// A PEM file of extra trusted root certificates for the SMTP server (a private relay's CA).
    pub ca_file: Option<String>,
}

/// A sending pace in messages per second, written `N/s`, `N/min` or `N/h`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(transparent)]
pub struct Rate(pub f64);

/// A message count per connection, 1 or more.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Batch(pub u32);

/// A size in bytes, written `25MB`, `10 MiB`, `500kB` or a bare number of bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct ByteSize(pub u64);

/// `5/s`, `120/min`, `1000/h` -> messages per second.
pub fn parse_rate(s: &str) -> Result<f64, String> {
    let bad = || format!("`{s}` is not a rate: write N/s, N/min or N/h (e.g. 5/s, 120/min)");
    let (n, unit) = s.trim().split_once('/').ok_or_else(bad)?;
    let n: f64 = n.trim().parse().map_err(|_| bad())?;
    let per = match unit.trim() {
        "s" | "sec" | "second" => 1.0,
        "min" | "m" | "minute" => 60.0,
        "h" | "hour" => 3600.0,
        _ => return Err(bad()),
    };
    if !(n.is_finite() && n > 0.0) {
        return Err(format!("`{s}` must be more than zero messages"));
    }
    Ok(n / per)
}

/// `25MB`, `10 MiB`, `500kB`, `1048576` -> bytes (decimal units are 1000s, binary 1024s).
pub fn parse_byte_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (n, unit) = t.split_at(split);
    let n: f64 = n
        .parse()
        .map_err(|_| format!("size `{s}` is not a number with a unit such as 25MB"))?;
    let mult = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "kb" | "k" => 1e3,
        "mb" | "m" => 1e6,
        "gb" | "g" => 1e9,
        "kib" => 1024.0,
        "mib" => 1024.0 * 1024.0,
        "gib" => 1024.0 * 1024.0 * 1024.0,
        u => {
            return Err(format!(
                "size `{s}`: unknown unit `{u}` (use B, kB, MB, GB, KiB, MiB)"
            ))
        }
    };
    let bytes = n * mult;
    if !(bytes.is_finite() && (1.0..1e15).contains(&bytes)) {
        return Err(format!("size `{s}` is out of range"));
    }
    Ok(bytes as u64)
}

/// Page margins: one length for all four sides, or each side (missing sides default later).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Margins {
    /// One length for all four sides: `margins: 2cm`.
    All(Length),
    /// Each side on its own: `margins: {top: 1in, left: 2cm}`.
    Sides(Sides),
}

/// The four margins as a map; a side left out takes the built-in 20 mm.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sides {
    /// Distance from the paper's top edge to the text area.
    pub top: Option<Length>,
    /// Distance from the paper's bottom edge to the text area.
    pub bottom: Option<Length>,
    /// Distance from the paper's left edge to the text area.
    pub left: Option<Length>,
    /// Distance from the paper's right edge to the text area.
    pub right: Option<Length>,
}

impl<'de> Deserialize<'de> for Margins {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(MarginsVisitor)
    }
}

/// Reads a scalar as one length and a map as sides, keeping serde_yaml's error locations.
struct MarginsVisitor;

impl<'de> de::Visitor<'de> for MarginsVisitor {
    type Value = Margins;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a length such as 1in, or a map of top, bottom, left, right")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Margins, E> {
        parse_length(v)
            .map(|pt| Margins::All(Length(pt)))
            .map_err(E::custom)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Margins, E> {
        self.visit_str(&v.to_string())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Margins, E> {
        self.visit_str(&v.to_string())
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Margins, E> {
        self.visit_str(&v.to_string())
    }
    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Margins, A::Error> {
        Sides::deserialize(de::value::MapAccessDeserializer::new(map)).map(Margins::Sides)
    }
}

impl Margins {
    /// `(top, bottom, left, right)` in points; sides not given take `default`.
    pub fn resolve(&self, default: f32) -> (f32, f32, f32, f32) {
        match self {
            Margins::All(l) => (l.0, l.0, l.0, l.0),
            Margins::Sides(s) => {
                let pick = |v: &Option<Length>| v.as_ref().map_or(default, |l| l.0);
                (pick(&s.top), pick(&s.bottom), pick(&s.left), pick(&s.right))
            }
        }
    }
}

/// A length in PostScript points, written `1in`, `25mm`, `2.5cm`, `72pt` or a bare number (pt).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(transparent)]
pub struct Length(pub f32);

/// A paper size in points, from a name or `W x H` with units.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Paper {
    /// As written.
    pub name: String,
    /// Width in pt, one inch (72) or more.
    pub width: f32,
    /// Height in pt, one inch (72) or more.
    pub height: f32,
}

/// An sRGB colour written `#rrggbb`; stored lower-case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Color(pub String);

impl Color {
    /// The colour as three channels in 0..=1.
    pub fn rgb(&self) -> (f32, f32, f32) {
        let ch = |i: usize| {
            self.0
                .get(i..i + 2)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .map_or(0.0, |v| f32::from(v) / 255.0)
        };
        (ch(1), ch(3), ch(5))
    }
}

/// A calendar date `YYYY-MM-DD` that exists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Date(pub IsoDate);

/// An issue number, 1 or more.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct IssueNumber(pub u32);

/// Number of text columns, 1 or 2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Columns(pub u8);

/// A BCP 47 language tag, checked for shape (letters, digits and hyphens).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Language(pub String);

/// An absolute URL (`http:`, `https:`, `mailto:` …). Any scheme is read, but only
/// `is_linkable` ones become links: the others are printed as text, with a warning.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Url(pub String);

impl Url {
    /// Whether quire makes this URL a link (see `is_linkable`).
    pub fn is_linkable(&self) -> bool {
        is_linkable(&self.0)
    }
}

/// The schemes a link in a quire PDF may open: `http:`, `https:` and `mailto:` (any case).
/// Everything else — `javascript:`, `file:`, `data:`, `ftp:` … — runs code, reads the
/// reader's disk or hides its content, so such a target is printed as text, never linked
/// nor put in a QR code (README, "What a PDF may contain").
pub fn is_linkable(url: &str) -> bool {
    url.split_once(':').is_some_and(|(scheme, rest)| {
        !rest.is_empty()
            && ["http", "https", "mailto"]
                .iter()
                .any(|s| scheme.eq_ignore_ascii_case(s))
    })
}

/// Reads a YAML scalar (string or number) and validates it inside the visitor, so serde_yaml
/// reports a bad value at the value's own line and column.
struct Check<T> {
    what: &'static str,
    check: fn(&str) -> Result<T, String>,
}

impl<T> de::Visitor<'_> for Check<T> {
    type Value = T;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(self.what)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        (self.check)(v).map_err(E::custom)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        self.visit_str(&v.to_string())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        self.visit_str(&v.to_string())
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
        self.visit_str(&v.to_string())
    }
}

fn checked<'de, D: Deserializer<'de>, T>(
    d: D,
    what: &'static str,
    check: fn(&str) -> Result<T, String>,
) -> Result<T, D::Error> {
    d.deserialize_any(Check { what, check })
}

impl<'de> Deserialize<'de> for Length {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        checked(d, "a length such as 1in, 25mm, 2.5cm, 72pt or 10.5", |s| {
            parse_length(s).map(Length)
        })
    }
}

/// A length that must be more than zero: a text size or leading (a margin may be zero).
struct PositiveLength(Length);

impl<'de> Deserialize<'de> for PositiveLength {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        checked(d, "a length more than zero such as 10.5pt", |s| {
            let not_positive = || {
                format!(
                    "length `{s}` must be more than zero for a text size or leading \
                     (leave the key out to keep the built-in one; only margins may be 0)"
                )
            };
            match parse_length(s) {
                Ok(pt) if pt > 0.0 => Ok(PositiveLength(Length(pt))),
                Ok(_) => Err(not_positive()),
                Err(e) if e.ends_with("must be zero or more") => Err(not_positive()),
                Err(e) => Err(e),
            }
        })
    }
}

/// `size:` and `leading:` of a style: unset, null, or a length more than zero.
fn positive_length<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Length>, D::Error> {
    Option::<PositiveLength>::deserialize(d).map(|o| o.map(|p| p.0))
}

impl<'de> Deserialize<'de> for Paper {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        checked(
            d,
            "a paper name or size such as letter or \"210x297mm\"",
            |s| {
                let (width, height) = parse_paper(s)?;
                Ok(Paper {
                    name: s.to_string(),
                    width,
                    height,
                })
            },
        )
    }
}

impl<'de> Deserialize<'de> for Color {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        checked(d, "a colour \"#rrggbb\"", |s| {
            let ok = s.len() == 7
                && s.starts_with('#')
                && s.chars().skip(1).all(|c| c.is_ascii_hexdigit());
            if ok {
                Ok(Color(s.to_ascii_lowercase()))
            } else {
                Err(format!("colour `{s}` is not of the form \"#rrggbb\""))
            }
        })
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        checked(d, "a date written YYYY-MM-DD", |s| {
            IsoDate::parse(s).map(Date)
        })
    }
}

impl<'de> Deserialize<'de> for IssueNumber {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        checked(d, "an issue number (1 or more)", |s| {
            match s.parse::<i64>() {
                Ok(n) if n >= 1 && n <= i64::from(u32::MAX) => Ok(IssueNumber(n as u32)),
                Ok(n) => Err(format!("{n} is impossible: issues are numbered from 1")),
                Err(_) => Err(format!("`{s}` is not a whole number")),
            }
        })
    }
}

impl<'de> Deserialize<'de> for Rate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        checked(d, "a rate such as 5/s or 120/min", |s| {
            parse_rate(s).map(Rate)
        })
    }
}

impl<'de> Deserialize<'de> for Batch {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        checked(d, "a number of messages (1 or more)", |s| {
            match s.trim().parse::<u32>() {
                Ok(n) if n >= 1 => Ok(Batch(n)),
                _ => Err(format!(
                    "batch `{s}` must be a whole number of messages, 1 or more"
                )),
            }
        })
    }
}

impl<'de> Deserialize<'de> for ByteSize {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        checked(d, "a size such as 25MB", |s| {
            parse_byte_size(s).map(ByteSize)
        })
    }
}

impl<'de> Deserialize<'de> for PdfA {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        checked(d, "a PDF/A level: 2b or 3b", PdfA::parse)
    }
}

impl<'de> Deserialize<'de> for PdfX {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        checked(d, "a PDF/X level: 4", PdfX::parse)
    }
}

impl Serialize for PdfX {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for Signature {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        checked(
            d,
            "a number of pages, a multiple of 4 (8, 12, 16 …)",
            |s| match s.trim().parse::<u32>() {
                Ok(n) if n >= 4 && n % 4 == 0 && n <= 256 => Ok(Signature(n)),
                _ => Err(format!(
                    "signature `{s}` must be a multiple of 4 pages from 4 to 256 \
                     (a sheet folded once carries 4 pages)"
                )),
            },
        )
    }
}

impl Serialize for PdfA {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Columns {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        checked(d, "1 or 2", |s| match s {
            "1" => Ok(Columns(1)),
            "2" => Ok(Columns(2)),
            _ => Err(format!("must be 1 or 2, not {s}")),
        })
    }
}

impl<'de> Deserialize<'de> for Language {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        checked(d, "a language tag such as en or zh-Hans", |s| {
            check_language(s).map(|()| Language(s.to_string()))
        })
    }
}

/// A text encoding's WHATWG label, as written (`windows-1252`, `gb18030`, `shift_jis` …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct EncodingLabel(pub String);

impl<'de> Deserialize<'de> for EncodingLabel {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        checked(d, "an encoding such as windows-1252 or gb18030", |s| {
            check_encoding(s).map(|()| EncodingLabel(s.trim().to_string()))
        })
    }
}

/// Whether `label` names an encoding (a WHATWG label encoding_rs knows).
pub fn check_encoding(label: &str) -> Result<(), String> {
    match encoding_rs::Encoding::for_label(label.trim().as_bytes()) {
        Some(_) => Ok(()),
        None => Err(format!(
            "unknown encoding `{label}`: use a WHATWG label such as utf-8, utf-16le, gb18030, \
             big5, shift_jis, euc-kr or windows-1252"
        )),
    }
}

/// Whether `s` has the shape of a BCP 47 tag (`en`, `zh-Hans`, `pt-BR`): a 2–3 letter primary
/// subtag, then subtags of 1–8 letters or digits.
pub fn check_language(s: &str) -> Result<(), String> {
    let mut parts = s.split('-');
    let primary = parts.next().unwrap_or("");
    let ok = (2..=3).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_alphabetic())
        && parts
            .all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "`{s}` is not a BCP 47 language tag such as en, fr, de, zh-Hans, zh-Hant, ja or ko"
        ))
    }
}

impl<'de> Deserialize<'de> for Url {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        checked(d, "an absolute URL", |s| {
            let scheme_end = s.find(':').unwrap_or(0);
            let scheme_ok = scheme_end > 0
                && s[..scheme_end]
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
            if scheme_ok && !s.contains(char::is_whitespace) && s.len() > scheme_end + 1 {
                Ok(Url(s.to_string()))
            } else {
                Err(format!(
                    "link `{s}` is not an absolute URL such as https://example.org/page"
                ))
            }
        })
    }
}

/// A length in points: `1in`, `25mm`, `2.5cm`, `72pt`, or a bare number meaning points.
pub fn parse_length(s: &str) -> Result<f32, String> {
    let t = s.trim();
    let split = t.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let value: f32 = num
        .trim()
        .parse()
        .map_err(|_| format!("length `{s}` is not a number with a unit (in, mm, cm, pt)"))?;
    let factor = match unit.trim() {
        "" | "pt" => 1.0,
        "in" => 72.0,
        "mm" => 72.0 / 25.4,
        "cm" => 72.0 / 2.54,
        other => {
            return Err(format!(
                "length `{s}` has unknown unit `{other}`: use in, mm, cm or pt"
            ))
        }
    };
    let pt = value * factor;
    if !pt.is_finite() || pt < 0.0 {
        return Err(format!("length `{s}` must be zero or more"));
    }
    // A side of 200 in is larger than any sheet a printer takes: surely a typo.
    if pt > 200.0 * 72.0 {
        return Err(format!("length `{s}` is larger than any paper"));
    }
    Ok(pt)
}

/// A paper size in points `(width, height)`: `letter`, `legal`, `a4`, `a5`, `8.5in x 11in`,
/// or `210x297mm` (a unit after the second number applies to both).
pub fn parse_paper(s: &str) -> Result<(f32, f32), String> {
    let t = s.trim().to_ascii_lowercase();
    let named = match t.as_str() {
        // One table of paper sizes: the theme's (the built-in default A4 is the same value).
        "letter" | "us-letter" => Some(crate::theme::LETTER),
        "legal" | "us-legal" => Some(crate::theme::LEGAL),
        "a4" => Some(crate::theme::A4),
        "a5" => Some(crate::theme::A5),
        "a3" => Some(crate::theme::A3),
        _ => None,
    };
    if let Some(size) = named {
        return Ok(size);
    }
    let bad = || {
        format!("`{s}` is not a paper size: use letter, legal, a3, a4, a5, or a size like \"8.5in x 11in\" or \"210x297mm\"")
    };
    let (w, h) = t.split_once(['x', '×']).ok_or_else(bad)?;
    let (w, h) = (w.trim(), h.trim());
    let unit_of = |v: &str| {
        v.find(|c: char| c.is_ascii_alphabetic())
            .map(|i| v[i..].to_string())
    };
    let w = match (unit_of(w), unit_of(h)) {
        (None, Some(u)) => format!("{w}{u}"),
        _ => w.to_string(),
    };
    let width = parse_length(&w).map_err(|_| bad())?;
    let height = parse_length(h).map_err(|_| bad())?;
    // Below one inch a page holds no newsletter; it is a typo or a unit mix-up.
    if width < 72.0 || height < 72.0 {
        return Err(format!("`{s}` is smaller than one inch on a side"));
    }
    Ok((width, height))
}

impl Config {
    /// Parse and validate a `quire.yaml` or a front matter block. `name` is the file name used
    /// in the diagnostic; its line and column are those of the YAML text given.
    pub fn from_yaml(name: &str, yaml: &str) -> Result<Config, Diagnostic> {
        if yaml.trim().is_empty() {
            return Ok(Config::default());
        }
        check_flow_depth(name, yaml)?;
        serde_yaml::from_str::<Option<Config>>(yaml)
            .map(Option::unwrap_or_default)
            .map_err(|e| yaml_error(name, yaml, &e))
    }

    /// Warnings for colour keys (`theme.accent`, a style's `color`) given with no value: an
    /// unquoted `#rrggbb` starts a YAML comment, so `accent: #ff0000` reads as `accent:` (null)
    /// and the colour is silently the built-in one. Each names the key's line and column.
    pub fn empty_colour_warnings(name: &str, yaml: &str) -> Vec<Diagnostic> {
        use serde_yaml::Value;
        // No colour key can be in a text without its name (or an escape that could spell it):
        // the usual quire.yaml is then not parsed a second time.
        if !(yaml.contains("accent") || yaml.contains("color") || yaml.contains('\\')) {
            return Vec::new();
        }
        let Ok(Value::Mapping(root)) = serde_yaml::from_str::<Value>(yaml) else {
            return Vec::new();
        };
        let Some(Value::Mapping(theme)) = root.get("theme") else {
            return Vec::new();
        };
        // The null colour keys, in the document's order.
        let mut keys = Vec::new();
        for (k, v) in theme {
            match (k.as_str(), v) {
                (Some("accent"), Value::Null) => keys.push("accent"),
                (Some(_), Value::Mapping(style)) if style.get("color") == Some(&Value::Null) => {
                    keys.push("color")
                }
                _ => {}
            }
        }
        let lines: Vec<&str> = yaml.lines().collect();
        let mut from = 0;
        keys.into_iter()
            .map(|key| {
                // The line `KEY:` with nothing after it but a comment.
                let found = lines.iter().enumerate().skip(from).find_map(|(i, l)| {
                    let body = l.trim_start();
                    let rest = body.strip_prefix(key)?.strip_prefix(':')?.trim_start();
                    (rest.is_empty() || rest.starts_with('#'))
                        .then(|| (i, l.chars().count() - body.chars().count()))
                });
                let (line, column) = match found {
                    Some((i, indent)) => {
                        from = i + 1;
                        (
                            u32::try_from(i + 1).unwrap_or(u32::MAX),
                            u32::try_from(indent + 1).unwrap_or(u32::MAX),
                        )
                    }
                    None => (0, 0),
                };
                Diagnostic::warning(
                    name,
                    line,
                    column,
                    format!("`{key}` is empty: quote colours, `#` starts a YAML comment"),
                )
                .with_hint(format!("write {key}: \"#rrggbb\" with the quotes"))
            })
            .collect()
    }

    /// `self` laid over `base`: every field `self` sets wins; theme styles merge per key.
    pub fn merged_over(self, base: &Config) -> Config {
        let b = base.clone();
        Config {
            title: self.title.or(b.title),
            newsletter: self.newsletter.or(b.newsletter),
            issue: self.issue.or(b.issue),
            year: self.year.or(b.year),
            date: self.date.or(b.date),
            language: self.language.or(b.language),
            publisher: self.publisher.or(b.publisher),
            address: self.address.or(b.address),
            keywords: self.keywords.or(b.keywords),
            links: self.links.or(b.links),
            paper: self.paper.or(b.paper),
            margins: self.margins.or(b.margins),
            columns: self.columns.or(b.columns),
            fonts: self.fonts.or(b.fonts),
            theme: merge_with(self.theme, b.theme, Theme::merged_over),
            print: merge_with(self.print, b.print, |s, b| Print {
                omit: s.omit.or(b.omit),
                booklet: s.booklet.or(b.booklet),
                creep: s.creep.or(b.creep),
                signature: s.signature.or(b.signature),
                bleed: s.bleed.or(b.bleed),
                marks: s.marks.or(b.marks),
                pdfx: s.pdfx.or(b.pdfx),
                rich_black: s.rich_black.or(b.rich_black),
                grey: s.grey.or(b.grey),
            }),
            export: merge_with(self.export, b.export, |s, b| Export {
                patterns: s.patterns.or(b.patterns),
            }),
            mail: merge_with(self.mail, b.mail, Mail::merged_over),
            pdfa: self.pdfa.or(b.pdfa),
            encoding: self.encoding.or(b.encoding),
        }
    }
}

impl Theme {
    fn merged_over(self, b: Theme) -> Theme {
        Theme {
            body: merge_with(self.body, b.body, Style::merged_over),
            masthead: merge_with(self.masthead, b.masthead, Style::merged_over),
            headline: merge_with(self.headline, b.headline, Style::merged_over),
            deck: merge_with(self.deck, b.deck, Style::merged_over),
            heading: merge_with(self.heading, b.heading, Style::merged_over),
            list: merge_with(self.list, b.list, Style::merged_over),
            address: merge_with(self.address, b.address, Style::merged_over),
            footer: merge_with(self.footer, b.footer, Style::merged_over),
            accent: self.accent.or(b.accent),
            protrusion: self.protrusion.or(b.protrusion),
        }
    }
}

impl Mail {
    fn merged_over(self, b: Mail) -> Mail {
        Mail {
            from: self.from.or(b.from),
            reply_to: self.reply_to.or(b.reply_to),
            smtp: self.smtp.or(b.smtp),
            subject: self.subject.or(b.subject),
            unsubscribe: self.unsubscribe.or(b.unsubscribe),
            list_id: self.list_id.or(b.list_id),
            rate: self.rate.or(b.rate),
            batch: self.batch.or(b.batch),
            max_size: self.max_size.or(b.max_size),
            credentials: self.credentials.or(b.credentials),
            ca_file: self.ca_file.or(b.ca_file),
        }
    }
}

impl Style {
    fn merged_over(self, b: Style) -> Style {
        Style {
            font: self.font.or(b.font),
            size: self.size.or(b.size),
            leading: self.leading.or(b.leading),
            color: self.color.or(b.color),
            bold: self.bold.or(b.bold),
            italic: self.italic.or(b.italic),
        }
    }
}

fn merge_with<T>(top: Option<T>, base: Option<T>, f: impl FnOnce(T, T) -> T) -> Option<T> {
    match (top, base) {
        (Some(t), Some(b)) => Some(f(t, b)),
        (t, b) => t.or(b),
    }
}

/// `[` and `{` nested deeper than this are refused before the YAML is parsed: libyaml's
/// scanner takes time quadratic in that depth (100,000 levels took 50 s), and serde_yaml would
/// stop at 128 levels anyway. No quire.yaml nests more than three.
pub const MAX_YAML_DEPTH: usize = 128;

/// Refuses flow collections (`[`, `{`) nested deeper than `MAX_YAML_DEPTH`, naming where.
/// A lexical count, in linear time: quoted scalars and comments are skipped; a bracket inside
/// a plain scalar counts too, which only matters past a hundred of them.
fn check_flow_depth(name: &str, yaml: &str) -> Result<(), Diagnostic> {
    let (mut depth, mut line, mut col) = (0usize, 1u32, 0u32);
    let mut quote: Option<char> = None;
    let mut comment = false;
    let mut prev = '\n';
    for c in yaml.chars() {
        col += 1;
        if c == '\n' {
            (line, col, comment) = (line + 1, 0, false);
        } else if comment {
            // To the end of the line.
        } else if let Some(q) = quote {
            if c == q && prev != '\\' {
                quote = None;
            }
        } else {
            match c {
                '#' if prev.is_whitespace() => comment = true,
                '\'' | '"' if prev.is_whitespace() || "[{,:".contains(prev) => quote = Some(c),
                '[' | '{' => {
                    depth += 1;
                    if depth > MAX_YAML_DEPTH {
                        return Err(Diagnostic::error(
                            name,
                            line,
                            col,
                            format!(
                                "nested more than {MAX_YAML_DEPTH} levels deep \
                                 (a quire.yaml needs two or three)"
                            ),
                        ));
                    }
                }
                ']' | '}' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        prev = c;
    }
    Ok(())
}

/// A serde_yaml error as a diagnostic: location, message without serde_yaml's " at line …",
/// and a "did you mean" hint for an unknown key.
fn yaml_error(name: &str, yaml: &str, e: &serde_yaml::Error) -> Diagnostic {
    let (line, column) = e
        .location()
        .map_or((0, 0), |l| line_and_column(yaml, l.index()));
    let message = shorten_quoted(&strip_positions(&e.to_string()));
    let hint = unknown_key_hint(&message).or_else(|| {
        message.contains("expected struct Config").then(|| {
            "a configuration is a map of keys such as `paper: letter`: is this an issue file?"
                .to_string()
        })
    });
    // The hint names the key meant, or lists the known keys: serde's own list ("…, expected
    // one of `title`, `newsletter`, …") would say it twice.
    let message = match (&hint, message.find("unknown field `")) {
        (Some(_), Some(at)) => match message[at..].find(", expected") {
            Some(cut) => message[..at + cut].to_string(),
            None => message,
        },
        _ => message,
    };
    let diag = Diagnostic::error(name, line, column, message);
    match hint {
        Some(h) => diag.with_hint(h),
        None => diag,
    }
}

/// The 1-based line and column (in characters) of byte `index` of `text`, with lines split at
/// `\n` as everywhere else in quire. libyaml's own line numbers also break at U+0085, U+2028,
/// U+2029 and a lone `\r`, so a front matter holding one was reported below the end of the
/// file (fuzzing found it); its byte index is counted here instead.
fn line_and_column(text: &str, index: usize) -> (u32, u32) {
    let mut at = index.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (
        u32::try_from(line).unwrap_or(u32::MAX),
        u32::try_from(column).unwrap_or(u32::MAX),
    )
}

/// serde_yaml's messages carry " at line N column M" counted within the YAML text (not the
/// file, for front matter); the diagnostic's own line and column replace them.
fn strip_positions(message: &str) -> String {
    let mut out = String::new();
    let mut rest = message;
    while let Some(i) = rest.find(" at line ") {
        out.push_str(&rest[..i]);
        let tail = &rest[i + " at line ".len()..];
        let digits = tail.chars().take_while(char::is_ascii_digit).count();
        let tail2 = &tail[digits..];
        match tail2.strip_prefix(" column ") {
            Some(c) if digits > 0 => {
                let cd = c.chars().take_while(char::is_ascii_digit).count();
                rest = &c[cd..];
            }
            _ => {
                out.push_str(" at line ");
                rest = tail;
            }
        }
    }
    out.push_str(rest);
    out
}

/// serde_yaml quotes a wrong value whole (`invalid type: string "…"`), even a whole issue
/// given as `--config`: keep each quoted string to its first line, at most 60 characters.
fn shorten_quoted(message: &str) -> String {
    const MAX: usize = 60;
    let mut out = String::new();
    let mut rest = message;
    while let Some(i) = rest.find("string \"") {
        let start = i + "string \"".len();
        out.push_str(&rest[..start]);
        let body = &rest[start..];
        // The closing quote: the first `"` not escaped by a backslash.
        let mut end = body.len();
        let mut escaped = false;
        for (j, c) in body.char_indices() {
            match c {
                '\\' if !escaped => escaped = true,
                '"' if !escaped => {
                    end = j;
                    break;
                }
                _ => escaped = false,
            }
        }
        let quoted = &body[..end];
        let first_line = quoted.split("\\n").next().unwrap_or("");
        let kept: String = first_line.chars().take(MAX).collect();
        out.push_str(&kept);
        if kept.len() < quoted.len() {
            out.push('…');
        }
        rest = &body[end..];
    }
    out.push_str(rest);
    out
}

/// From "unknown field `titel`, expected one of `title`, …" make "did you mean `title`?".
fn unknown_key_hint(message: &str) -> Option<String> {
    let rest = &message[message.find("unknown field `")? + "unknown field `".len()..];
    let key = &rest[..rest.find('`')?];
    let expected: Vec<&str> = rest
        .split('`')
        .skip(2)
        .step_by(2)
        .filter(|s| !s.is_empty())
        .collect();
    // A key cut short ("lang" for "language", "pub" for "publisher") is the one it starts.
    let mut starting = expected
        .iter()
        .filter(|c| key.len() >= 3 && c.starts_with(key));
    if let (Some(only), None) = (starting.next(), starting.next()) {
        return Some(format!("did you mean `{only}`?"));
    }
    let best = expected
        .iter()
        .map(|cand| (edit_distance(key, cand), *cand))
        .min()?;
    // Two edits catch the usual typos ("titel", "langauge", "margin") without wild guesses.
    if best.0 <= 2.max(key.chars().count() / 3) {
        Some(format!("did you mean `{}`?", best.1))
    } else {
        Some(format!("known keys here: {}", expected.join(", ")))
    }
}

/// Levenshtein distance counting an adjacent transposition as one edit.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = v;
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_yaml_error_lines_are_counted_at_newlines_only() {
        // U+2028 and U+2029 are line breaks to libyaml, not to quire.
        assert_eq!(line_and_column("a: 1\nb: \"x\u{2029}y", 13), (2, 7));
        assert_eq!(line_and_column("abc", 99), (1, 4), "past the end: the end");
        assert_eq!(
            line_and_column("é", 1),
            (1, 1),
            "inside a character: its start"
        );
        let e = Config::from_yaml("q.yaml", "title: \"\u{2028}\u{2029}\n").unwrap_err();
        assert_eq!((e.line, e.column), (2, 1), "{e:?}");
    }

    #[test]
    fn config_deep_flow_nesting_refused_before_parsing() {
        let deep = format!("language: {}{}\n", "[".repeat(200), "]".repeat(200));
        let e = Config::from_yaml("q.yaml", &deep).unwrap_err();
        assert_eq!((e.line, e.column), (1, 139));
        assert!(e.message.starts_with("nested more than 128 levels deep"));
        // Brackets in quoted scalars and comments are text, not nesting.
        let quoted = format!(
            "title: \"{}\"\npublisher: '{}' # {}\n",
            "[".repeat(200),
            "{".repeat(200),
            "[".repeat(200)
        );
        assert!(Config::from_yaml("q.yaml", &quoted).is_ok());
    }

    #[test]
    fn config_length_units() {
        assert_eq!(parse_length("1in"), Ok(72.0));
        assert_eq!(parse_length("72pt"), Ok(72.0));
        assert_eq!(parse_length("10.5"), Ok(10.5));
        assert!((parse_length("25.4mm").unwrap() - 72.0).abs() < 1e-3);
        assert!((parse_length("2.54cm").unwrap() - 72.0).abs() < 1e-3);
        assert!(parse_length("3 furlongs").is_err());
        assert!(parse_length("-1in").is_err());
        assert!(parse_length("in").is_err());
    }

    #[test]
    fn config_paper_names_and_sizes() {
        assert_eq!(parse_paper("Letter"), Ok((612.0, 792.0)));
        assert_eq!(parse_paper("8.5in x 11in"), Ok((612.0, 792.0)));
        let (w, h) = parse_paper("210x297mm").unwrap();
        assert!((w - 595.276).abs() < 0.01 && (h - 841.89).abs() < 0.01);
        assert_eq!(parse_paper("a4"), Ok(crate::theme::A4));
        assert!(parse_paper("napkin").is_err());
        assert!(parse_paper("1mm x 1mm").is_err());
    }

    #[test]
    fn config_full_schema_loads() {
        let yaml = "title: T\nissue: 4\nyear: 2017\ndate: 2017-04-01\nlanguage: zh-Hans\n\
            links: [https://a.example/x]\npaper: a4\nmargins: {top: 1in, left: 20mm}\ncolumns: 2\n\
            theme:\n  body: {font: serif, size: 10.5, leading: 14pt, color: \"#1A1A1A\", bold: false}\n  accent: \"#aa0000\"\n\
            print: {omit: [\"Suggest to a Friend:\"]}\nexport: {patterns: [\"*.txt\"]}\n";
        let c = Config::from_yaml("q.yaml", yaml).unwrap();
        assert_eq!(c.issue, Some(IssueNumber(4)));
        assert!((c.margins.as_ref().unwrap().resolve(72.0).2 - 20.0 * 72.0 / 25.4).abs() < 1e-3);
        let body = c.theme.unwrap().body.unwrap();
        assert_eq!(body.color, Some(Color("#1a1a1a".into())));
        assert_eq!(body.size, Some(Length(10.5)));
    }

    #[test]
    fn config_unknown_key_cut_short_suggests_the_key_it_starts() {
        let e = Config::from_yaml("q.yaml", "lang: ja\n").unwrap_err();
        assert_eq!(e.hint.as_deref(), Some("did you mean `language`?"), "{e:?}");
        // Nothing like a key: the list of keys.
        let e = Config::from_yaml("q.yaml", "xyzzy: 1\n").unwrap_err();
        assert!(
            e.hint
                .as_deref()
                .unwrap_or("")
                .starts_with("known keys here"),
            "{e:?}"
        );
    }

    #[test]
    fn config_unknown_key_has_location_and_hint() {
        let e = Config::from_yaml("q.yaml", "title: x\ntitel: y\n").unwrap_err();
        assert_eq!((e.line, e.column), (2, 1));
        assert!(e.message.contains("unknown field `titel`"), "{}", e.message);
        assert!(
            !e.message.contains("expected"),
            "the hint alone names the keys: {}",
            e.message
        );
        assert_eq!(e.hint.as_deref(), Some("did you mean `title`?"));
    }

    #[test]
    fn config_impossible_values_are_errors() {
        for (yaml, needle) in [
            ("issue: 0", "numbered from 1"),
            ("date: 2017-13-40", "no month 13"),
            ("date: 2017-02-29", "no day 29"),
            ("columns: 3", "1 or 2"),
            ("theme: {accent: red}", "#rrggbb"),
            ("margins: 1 parsec", "unit"),
            ("links: [not a url]", "absolute URL"),
            ("language: english!", "BCP 47"),
        ] {
            let e = Config::from_yaml("q.yaml", yaml).unwrap_err();
            assert!(e.message.contains(needle), "{yaml}: {}", e.message);
            assert_eq!(e.line, 1, "{yaml}");
        }
    }

    #[test]
    fn config_pdfa_reads_merges_and_is_checked() {
        let base = Config::from_yaml("quire.yaml", "pdfa: 2b\n").unwrap();
        assert_eq!(base.pdfa, Some(PdfA::B2));
        let front = Config::from_yaml("x.txt", "pdfa: 3B\n").unwrap();
        assert_eq!(front.merged_over(&base).pdfa, Some(PdfA::B3));
        assert_eq!(Config::default().merged_over(&base).pdfa, Some(PdfA::B2));
        let e = Config::from_yaml("quire.yaml", "title: t\npdfa: 1a\n").unwrap_err();
        assert_eq!(e.line, 2, "{e}");
        assert!(e.message.contains("not 2b or 3b"), "{e}");
        // Unset, it is not serialized: export's configuration hashes stay as they were.
        let json = serde_json::to_string(&Config::default()).unwrap();
        assert!(!json.contains("pdfa"), "{json}");
        assert!(serde_json::to_string(&base)
            .unwrap()
            .contains("\"pdfa\":\"2b\""));
    }

    #[test]
    fn config_syntax_error_has_line_and_column() {
        let e = Config::from_yaml("q.yaml", "title: a\npaper: [letter\n").unwrap_err();
        assert!(e.line >= 2, "{e}");
        assert!(e.column >= 1, "{e}");
    }

    #[test]
    fn config_merge_front_matter_wins() {
        let base = Config::from_yaml(
            "b",
            "title: base\npaper: letter\ntheme: {body: {size: 10, font: serif}}",
        )
        .unwrap();
        let top = Config::from_yaml("t", "title: top\ntheme: {body: {size: 12}}").unwrap();
        let m = top.merged_over(&base);
        assert_eq!(m.title.as_deref(), Some("top"));
        assert_eq!(m.paper.map(|p| p.width), Some(612.0));
        let body = m.theme.unwrap().body.unwrap();
        assert_eq!(
            (body.size, body.font.as_deref()),
            (Some(Length(12.0)), Some("serif"))
        );
    }

    #[test]
    fn config_strip_positions_removes_inner_marks() {
        assert_eq!(
            strip_positions("found unexpected end of stream at line 3 column 1, while scanning a quoted scalar at line 1 column 8"),
            "found unexpected end of stream, while scanning a quoted scalar"
        );
        assert_eq!(
            strip_positions("look at line breaks"),
            "look at line breaks"
        );
    }

    #[test]
    fn config_sizes_and_leadings_are_more_than_zero() {
        for yaml in [
            "theme: {body: {size: 0pt}}",
            "theme: {list: {leading: 0}}",
            "theme: {deck: {size: -2pt}}",
        ] {
            let e = Config::from_yaml("q.yaml", yaml).unwrap_err();
            assert!(e.message.contains("more than zero"), "{yaml}: {e}");
            assert_eq!(e.line, 1, "{yaml}");
        }
        let c = Config::from_yaml(
            "q.yaml",
            "margins: 0\ntheme: {body: {size: 9pt, leading: null}}",
        )
        .unwrap();
        let body = c.theme.unwrap().body.unwrap();
        assert_eq!((body.size, body.leading), (Some(Length(9.0)), None));
    }

    #[test]
    fn config_empty_colours_warn_at_their_line() {
        let yaml = "theme:\n  body:\n    color: #333333\n  accent:   # red\n";
        let w = Config::empty_colour_warnings("q.yaml", yaml);
        let shown: Vec<String> = w
            .iter()
            .map(|d| format!("{}:{}", d.line, d.column))
            .collect();
        assert_eq!(shown, ["3:5", "4:3"]);
        assert!(!w[0].is_error());
        assert!(Config::empty_colour_warnings("q.yaml", "theme: {accent: \"#ff0000\"}").is_empty());
        assert!(Config::empty_colour_warnings("q.yaml", "title: x").is_empty());
    }

    #[test]
    fn config_error_quotes_one_line_of_a_wrong_value() {
        let e = Config::from_yaml("w.txt", "NEWSLETTER Issue 1\n\n\nA Title\n\nSome text.\n")
            .unwrap_err();
        assert!(e.message.contains("\"NEWSLETTER Issue 1…\""), "{e}");
        assert!(!e.message.contains("Some text"), "{e}");
        assert_eq!(
            shorten_quoted("string \"ab\\\"c\", x"),
            "string \"ab\\\"c\", x"
        );
    }

    #[test]
    fn config_edit_distance_counts_transpositions() {
        assert_eq!(edit_distance("titel", "title"), 1);
        assert_eq!(edit_distance("margin", "margins"), 1);
        assert_eq!(edit_distance("abc", "xyz"), 3);
    }

    #[test]
    fn config_mail_rates_and_sizes() {
        assert_eq!(parse_rate("5/s"), Ok(5.0));
        assert_eq!(parse_rate("120/min"), Ok(2.0));
        assert_eq!(parse_rate("3600/h"), Ok(1.0));
        assert!(parse_rate("0/s").is_err());
        assert!(parse_rate("fast").is_err());
        assert!(parse_rate("5/fortnight").is_err());
        assert_eq!(parse_byte_size("25MB"), Ok(25_000_000));
        assert_eq!(parse_byte_size("10 MiB"), Ok(10 * 1024 * 1024));
        assert_eq!(parse_byte_size("1024"), Ok(1024));
        assert!(parse_byte_size("25 parsecs").is_err());
        assert!(parse_byte_size("0").is_err());
    }

    #[test]
    fn config_mail_section_reads_and_merges() {
        let yaml = "mail:\n  from: News <news@example.org>\n  rate: 120/min\n  batch: 50\n";
        let base = Config::from_yaml("quire.yaml", yaml).unwrap();
        let front = Config::from_yaml("x.txt", "mail:\n  subject: \"{title}\"\n").unwrap();
        let m = front.merged_over(&base).mail.unwrap();
        assert_eq!(m.from.as_deref(), Some("News <news@example.org>"));
        assert_eq!(m.subject.as_deref(), Some("{title}"));
        assert_eq!(m.rate, Some(Rate(2.0)));
        assert_eq!(m.batch, Some(Batch(50)));
        let bad = Config::from_yaml("quire.yaml", "mail:\n  rate: lots\n").unwrap_err();
        assert_eq!(bad.line, 2, "{bad}");
        assert!(Config::from_yaml("quire.yaml", "mail:\n  password: x\n").is_err());
    }
}
