//! The text/html body of the e-mail edition: e-mail-safe HTML from the same document model,
//! styled like the PDF.
//!
//! What every mail client renders alike: a complete document (`<!DOCTYPE html>`, `lang`,
//! `dir="rtl"` for right-to-left languages, UTF-8), one centred 600 px column built from
//! `role="presentation"` tables, inline `style` attributes only (Gmail and Outlook drop or
//! ignore `<style>` blocks and classes in places), no scripts, no images, no web fonts:
//! system font stacks chosen by language.
//!
//! ```text
//! NEWSLETTER                 name: serif, bold, accent colour
//! Issue Ⅳ of 2017            issue line: sans, muted
//! ════════════════════       heavy and hairline rule in the accent colour
//! <h1> headline              sans bold; the deck under it in serif italic (upright in CJK)
//! <p> paragraphs             serif 16 px, line height 26 px (1.6), ragged right
//! <h2> headings              sans bold
//!   I. Peace. The …          sections: a table row each, the numeral right-aligned in a
//!                            hanging gutter, the run-in title bold (own-line titles: <h2>
//!                            or <h3> when the issue has headings of its own)
//! <ul>/<ol> lists            numbered lists keep their written markers
//! link line + <a href>       the URL shown in full, live
//! address (<br> lines), closing paragraphs, then the reader's unsubscribe note
//! ```
//!
//! Every text is HTML-escaped; URLs in running text (`http://`, `https://`, `www.`) become
//! live links, trailing punctuation left out. Text is never justified: a 600 px column (or a
//! phone) has too few words a line for even spacing, and CJK justification would space
//! letters apart.

use std::fmt::Write as _;
use std::ops::Range;

use unicode_width::UnicodeWidthChar;

use super::text::{clean, is_east_asian, label_gap, lang_key, run_in_gap, unsubscribe_label};
use crate::compose::{identity, run_in_title, section_label};
use crate::model::{Block, Issue, ListItem, ListKind, Section};

/// Width of the column in px: 600 is the e-mail norm, what preview panes show whole.
const COLUMN_PX: u32 = 600;
/// Body text size in px: 16 px reads on a phone without zooming (iOS enlarges smaller text).
const BODY_PX: u32 = 16;
/// Body line height in px: 1.6 × 16, air enough for Han characters, which fill the em square.
const LEADING_PX: u32 = 26;
/// Space after each paragraph and block, in px: one text line's worth less the leading.
const BLOCK_GAP_PX: u32 = 16;
/// Space between a hanging marker and its text, in em: the PDF's `MARKER_GAP`.
const MARKER_GAP_EM: f32 = 0.45;
/// Accent when the theme's colour is not `#rrggbb`: the PDF's default navy (0.11, 0.23, 0.42).
const DEFAULT_ACCENT: &str = "#1c3b6b";
/// Secondary text (issue line, unsubscribe note): the PDF's MUTED grey (0.33).
const MUTED: &str = "#545454";
/// Running text: near black, which screens show without the glare of pure black.
const INK: &str = "#1a1a1a";

/// The HTML document around the place where a reader's unsubscribe note goes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HtmlBody {
    head: String,
    tail: String,
    note: Note,
}

/// How the unsubscribe note is written: its localized label and styles.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Note {
    label: String,
    style: String,
    link_style: String,
}

impl HtmlBody {
    /// The whole document, with the unsubscribe note at its foot when `unsubscribe` (the
    /// reader's unsubscribe URL) is given: the localized label and the URL as a live link.
    pub fn render(&self, unsubscribe: Option<&str>) -> String {
        let mut s = String::with_capacity(self.head.len() + self.tail.len() + 512);
        s.push_str(&self.head);
        if let Some(url) = unsubscribe {
            let n = &self.note;
            let _ = write!(
                s,
                "<p style=\"{}\">{}{}{}</p>",
                n.style,
                escape(&n.label),
                label_gap(&n.label),
                anchor(url, &n.link_style)
            );
        }
        s.push_str(&self.tail);
        s
    }
}

/// The issue as e-mail-safe HTML; `accent` is the theme's accent colour (`#rrggbb`; anything
/// else falls back to the PDF's default navy).
pub fn html_body(issue: &Issue, accent: &str) -> HtmlBody {
    let css = Css::new(&issue.meta.language, accent);
    let mut h = String::with_capacity(16 * 1024);
    open_document(&mut h, issue, &css);
    head(&mut h, issue, &css);
    let title_tag = if issue
        .blocks
        .iter()
        .any(|b| matches!(b, Block::Heading { .. }))
    {
        "h3"
    } else {
        "h2"
    };
    for block in &issue.blocks {
        block_html(&mut h, block, &css, title_tag);
    }
    let note = Note {
        label: unsubscribe_label(&issue.meta.language).to_string(),
        style: format!(
            "margin:32px 0 0;padding:12px 0 0;border-top:1px solid #dddddd;{}",
            font(css.sans, 13, 20, MUTED)
        ),
        link_style: format!("color:{MUTED};text-decoration:underline;word-break:break-all;"),
    };
    HtmlBody {
        head: h,
        tail: "</td></tr></table>\n</td></tr></table>\n</body>\n</html>\n".to_string(),
        note,
    }
}

/// The inline styles of the document, decided once from its language and accent.
struct Css {
    lang: String,
    rtl: bool,
    cjk: bool,
    serif: &'static str,
    sans: &'static str,
    accent: String,
    /// `left`, or `right` in a right-to-left document: where lines start.
    start: &'static str,
    end: &'static str,
    /// Running text (font, size, leading, colour, alignment), without margins.
    text: String,
    /// A paragraph: `text` and the space after it.
    para: String,
    /// A link in running text.
    link: String,
}

impl Css {
    fn new(lang: &str, accent: &str) -> Self {
        let (serif, sans) = font_stacks(lang);
        let rtl = is_rtl(lang);
        let cjk = is_east_asian(lang);
        let accent = if is_hex_colour(accent) {
            accent.to_ascii_lowercase()
        } else {
            DEFAULT_ACCENT.to_string()
        };
        let (start, end) = if rtl {
            ("right", "left")
        } else {
            ("left", "right")
        };
        // CJK: strict line-start rules (no 」。 at a line start), words never broken apart.
        let breaks = if cjk {
            "line-break:strict;word-break:normal;"
        } else {
            ""
        };
        let text = format!(
            "{}text-align:{start};{breaks}",
            font(serif, BODY_PX, LEADING_PX, INK)
        );
        let para = format!("margin:0 0 {BLOCK_GAP_PX}px;{text}");
        let link = format!("color:{accent};text-decoration:underline;word-break:break-all;");
        let tag = clean(lang);
        let tag = tag.trim();
        let valid = !tag.is_empty() && tag.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
        Css {
            lang: if valid { tag.to_string() } else { "en".into() },
            rtl,
            cjk,
            serif,
            sans,
            accent,
            start,
            end,
            text,
            para,
            link,
        }
    }
}

/// `font-family`, size and line height in px, and colour, as inline CSS.
fn font(family: &str, size: u32, leading: u32, color: &str) -> String {
    format!(
        "font-family:{family};font-size:{size}px;line-height:{leading}px;\
         mso-line-height-rule:exactly;color:{color};"
    )
}

/// Serif and sans-serif stacks for the language: fonts installed with Windows, macOS, iOS,
/// Android and Linux, the script's own first (CJK punctuation must come from a CJK face).
fn font_stacks(lang: &str) -> (&'static str, &'static str) {
    match lang_key(lang) {
        "zh-Hans" => (
            "'Noto Serif CJK SC','Source Han Serif SC','Songti SC','STSong','SimSun',serif",
            "'Noto Sans CJK SC','PingFang SC','Microsoft YaHei',sans-serif",
        ),
        "zh-Hant" => (
            "'Noto Serif CJK TC','Source Han Serif TC','Songti TC','PMingLiU','MingLiU',serif",
            "'Noto Sans CJK TC','PingFang TC','Microsoft JhengHei',sans-serif",
        ),
        "ja" => (
            "'Noto Serif CJK JP','Hiragino Mincho ProN','Yu Mincho','YuMincho','MS PMincho',serif",
            "'Noto Sans CJK JP','Hiragino Sans','Hiragino Kaku Gothic ProN','Yu Gothic',Meiryo,sans-serif",
        ),
        "ko" => (
            "'Noto Serif CJK KR','Nanum Myeongjo','AppleMyungjo','Batang',serif",
            "'Noto Sans CJK KR','Apple SD Gothic Neo','Malgun Gothic',sans-serif",
        ),
        "ar" | "fa" | "ur" => (
            "'Noto Naskh Arabic','Geeza Pro','Traditional Arabic','Times New Roman',serif",
            "'Noto Sans Arabic','Geeza Pro',Tahoma,Arial,sans-serif",
        ),
        "he" => (
            "'Noto Serif Hebrew','Times New Roman',serif",
            "'Noto Sans Hebrew',Arial,sans-serif",
        ),
        _ => (
            "Georgia,'Times New Roman',serif",
            "Helvetica,Arial,sans-serif",
        ),
    }
}

/// True for languages written right to left: Arabic, Hebrew, Persian, Urdu and the other
/// Arabic- and Hebrew-script languages, or any tag with the script subtag Arab or Hebr.
fn is_rtl(lang: &str) -> bool {
    let l = lang.trim().to_ascii_lowercase();
    let mut parts = l.split(['-', '_']);
    let primary = parts.next().unwrap_or("");
    const RTL: [&str; 12] = [
        "ar", "he", "iw", "fa", "ur", "ps", "sd", "yi", "ug", "dv", "ckb", "syr",
    ];
    RTL.contains(&primary) || parts.any(|p| matches!(p, "arab" | "hebr" | "syrc" | "thaa"))
}

/// True for `#rrggbb` (or `#rgb`): the only colour text let into a style attribute.
fn is_hex_colour(s: &str) -> bool {
    s.strip_prefix('#')
        .is_some_and(|h| (h.len() == 6 || h.len() == 3) && h.chars().all(|c| c.is_ascii_hexdigit()))
}

/// Doctype, `<head>`, and the body's outer tables up to the column's content cell.
fn open_document(h: &mut String, issue: &Issue, css: &Css) {
    let dir = if css.rtl { " dir=\"rtl\"" } else { "" };
    let title = issue
        .meta
        .title
        .as_deref()
        .or(issue.headline.as_ref().map(|l| l.text.as_str()))
        .unwrap_or_else(|| issue.meta.newsletter.as_deref().unwrap_or(""));
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{lang}\"{dir}>\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"color-scheme\" content=\"light\">\n<title>{title}</title>\n</head>\n\
         <body style=\"margin:0;padding:0;background-color:#f3f3f1;\">\n\
         <table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" \
         border=\"0\" style=\"border-collapse:collapse;background-color:#f3f3f1;\">\
         <tr><td align=\"center\" style=\"padding:24px 8px;\">\n\
         <table role=\"presentation\" width=\"{COLUMN_PX}\" cellpadding=\"0\" cellspacing=\"0\" \
         border=\"0\" style=\"border-collapse:collapse;width:100%;max-width:{COLUMN_PX}px;\
         background-color:#ffffff;\"><tr><td style=\"padding:32px 36px;text-align:{start};\">\n",
        lang = escape(&css.lang),
        title = escape(title),
        start = css.start,
    );
}

/// Masthead (name, issue line, the accent rules), headline and deck.
fn head(h: &mut String, issue: &Issue, css: &Css) {
    let ident = identity(issue);
    if !ident.name.trim().is_empty() {
        let _ = writeln!(
            h,
            "<p style=\"margin:0;{}font-weight:bold;letter-spacing:0.02em;\">{}</p>",
            font(css.serif, 30, 36, &css.accent),
            escape(ident.name.trim())
        );
        if !ident.issue_line.trim().is_empty() {
            let _ = writeln!(
                h,
                "<p style=\"margin:4px 0 0;{}\">{}</p>",
                font(css.sans, 13, 18, MUTED),
                escape(ident.issue_line.trim())
            );
        }
        // A heavy and a hairline rule, the classic newspaper masthead close (as in the PDF).
        let _ = writeln!(
            h,
            "<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" \
             border=\"0\" style=\"border-collapse:collapse;margin:12px 0 28px;\"><tr>\
             <td style=\"height:2px;border-top:3px solid {a};border-bottom:1px solid {a};\
             font-size:0;line-height:0;\">&#8203;</td></tr></table>",
            a = css.accent
        );
    }
    let deck = issue.deck.as_ref().map(|d| d.text.trim());
    if let Some(hl) = &issue.headline {
        let after = if deck.is_some() { 8 } else { 24 };
        let _ = writeln!(
            h,
            "<h1 style=\"margin:0 0 {after}px;{}font-weight:bold;\">{}</h1>",
            font(css.sans, 26, 32, "#111111"),
            inline(&hl.text, &css.link)
        );
    }
    if let Some(d) = deck {
        let italic = if css.cjk { "normal" } else { "italic" };
        let _ = writeln!(
            h,
            "<p style=\"margin:0 0 24px;{}font-style:{italic};\">{}</p>",
            font(css.serif, 19, 27, "#333333"),
            inline(d, &css.link)
        );
    }
}

/// One body block.
fn block_html(h: &mut String, block: &Block, css: &Css, title_tag: &str) {
    match block {
        Block::Paragraph { text, .. } => para(h, &css.para, text, css),
        Block::Heading { text, .. } => {
            let _ = writeln!(
                h,
                "<h2 style=\"margin:28px 0 8px;{}font-weight:bold;\">{}</h2>",
                font(css.sans, 19, 25, "#111111"),
                inline(text, &css.link)
            );
        }
        Block::Sections { sections, .. } => sections_html(h, sections, css, title_tag),
        Block::List { kind, items, .. } => list_html(h, *kind, items, css),
        Block::Link { text, target, .. } => match target {
            Some(url) => {
                para(h, &format!("margin:0 0 4px;{}", css.text), text, css);
                let url_style = format!(
                    "margin:0 0 {BLOCK_GAP_PX}px;{}",
                    font(css.sans, 14, 21, INK)
                );
                let _ = writeln!(h, "<p style=\"{url_style}\">{}</p>", anchor(url, &css.link));
            }
            None => para(h, &css.para, text, css),
        },
        Block::Links { urls, .. } => {
            let _ = writeln!(
                h,
                "<h2 style=\"margin:28px 0 8px;{}font-weight:bold;\">{}</h2>",
                font(css.sans, 17, 23, "#111111"),
                escape(crate::model::links_heading(&css.lang))
            );
            let url_style = format!("margin:0 0 4px;{}", font(css.sans, 14, 21, INK));
            for url in urls {
                let _ = writeln!(h, "<p style=\"{url_style}\">{}</p>", anchor(url, &css.link));
            }
        }
        Block::Address { lines, .. } => {
            // Chinese and Japanese set the sender's address flush right (落款), as the PDF does.
            let align = if crate::lang::Lang::new(&css.lang).is_chinese_or_japanese() {
                css.end
            } else {
                css.start
            };
            let body: Vec<String> = lines.iter().map(|l| inline(&l.text, &css.link)).collect();
            let _ = writeln!(
                h,
                "<p style=\"margin:24px 0 {BLOCK_GAP_PX}px;{}text-align:{align};\">{}</p>",
                font(css.sans, 15, 22, INK),
                body.join("<br>")
            );
        }
        Block::Closing { lines, .. } => {
            let italic = if css.cjk { "normal" } else { "italic" };
            let style = format!("{}font-style:{italic};", css.para);
            for l in lines {
                para(h, &style, &l.text, css);
            }
        }
    }
}

/// `<p style>` with the text escaped and its URLs linked.
fn para(h: &mut String, style: &str, text: &str, css: &Css) {
    let _ = writeln!(h, "<p style=\"{style}\">{}</p>", inline(text, &css.link));
}

/// Numbered sections: one table row each, the numeral right-aligned in a hanging gutter.
fn sections_html(h: &mut String, sections: &[Section], css: &Css, title_tag: &str) {
    let markers: Vec<String> = sections
        .iter()
        .map(|s| section_label(s, &css.lang))
        .collect();
    let gutter = gutter_px(&markers);
    let gap = (MARKER_GAP_EM * BODY_PX as f32).round() as u32;
    let cell = format!(
        "width:{gutter}px;vertical-align:top;text-align:{end};padding-{end}:{gap}px;",
        end = css.end
    );
    let run_in_numeral = format!(
        "{cell}{}font-weight:bold;",
        font(css.serif, BODY_PX, LEADING_PX, INK)
    );
    let title_font = font(css.sans, 17, 24, "#111111");
    let title_numeral = format!("{cell}{title_font}font-weight:bold;");
    let title_style = format!("margin:0 0 6px;{title_font}font-weight:bold;");
    h.push_str(
        "<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" \
         border=\"0\" style=\"border-collapse:collapse;\">\n",
    );
    for (s, marker) in sections.iter().zip(&markers) {
        let own_line = !s.run_in && s.title.is_some();
        let numeral = if own_line {
            &title_numeral
        } else {
            &run_in_numeral
        };
        let _ = write!(
            h,
            "<tr><td width=\"{gutter}\" align=\"{end}\" valign=\"top\" style=\"{numeral}\">{}</td>\
             <td valign=\"top\" style=\"vertical-align:top;\">",
            escape(marker),
            end = css.end
        );
        section_text(h, s, css, (title_tag, &title_style));
        h.push_str("</td></tr>\n");
    }
    h.push_str("</table>\n");
}

/// A section's text cell: its title (run-in and bold, or a heading `title` = (tag, style) on
/// its own line), then its paragraphs.
fn section_text(h: &mut String, s: &Section, css: &Css, title: (&str, &str)) {
    let body = s.body.first().map(String::as_str).unwrap_or("");
    let more = match &s.title {
        Some(t) if !s.run_in => {
            let (tag, style) = title;
            let _ = write!(
                h,
                "<{tag} style=\"{style}\">{}</{tag}>",
                inline(t, &css.link)
            );
            &s.body[..]
        }
        Some(t) => {
            let t = run_in_title(t.trim(), &css.lang);
            let _ = write!(
                h,
                "<p style=\"{}\"><strong>{}</strong>{}{}</p>",
                css.para,
                inline(&t, &css.link),
                run_in_gap(&t),
                inline(body, &css.link)
            );
            s.body.get(1..).unwrap_or(&[])
        }
        None => {
            para(h, &css.para, body, css);
            s.body.get(1..).unwrap_or(&[])
        }
    };
    for p in more {
        para(h, &css.para, p, css);
    }
}

/// The gutter for hanging markers, in px: the widest marker (estimated from typical serif
/// advances, full width for CJK) plus the marker gap.
fn gutter_px(markers: &[String]) -> u32 {
    let em = |c: char| -> f32 {
        match c {
            'I' | 'i' | 'l' | 'j' | '.' | ',' | ':' | ';' | '(' | ')' | ' ' | '、' => 0.4,
            'M' | 'W' | 'm' | 'w' => 0.95,
            c if c.is_ascii_digit() => 0.6,
            c if c.is_ascii_uppercase() => 0.75,
            c if c.is_ascii() => 0.55,
            _ => 1.0,
        }
    };
    let widest = markers
        .iter()
        .map(|m| m.chars().map(em).sum::<f32>())
        .fold(0.0f32, f32::max);
    ((widest + MARKER_GAP_EM) * BODY_PX as f32).ceil() as u32
}

/// A list: bullets in `<ul>`; numbered items in `<ol>`, with the browser's numbers when the
/// written markers are "1.", "2.", … in order, else with the markers as written, hanging.
fn list_html(h: &mut String, kind: ListKind, items: &[ListItem], css: &Css) {
    let li = format!("margin:0 0 6px;{}", css.text);
    let pad = format!("padding-{}", css.start);
    if kind != ListKind::Numbered {
        let _ = writeln!(
            h,
            "<ul style=\"margin:0 0 {BLOCK_GAP_PX}px;padding:0;{pad}:24px;\">"
        );
        for it in items {
            let _ = writeln!(h, "<li style=\"{li}\">{}</li>", inline(&it.text, &css.link));
        }
        h.push_str("</ul>\n");
        return;
    }
    let markers: Vec<String> = items
        .iter()
        .enumerate()
        .map(|(i, it)| {
            it.marker
                .as_deref()
                .map_or(format!("{}.", i + 1), |m| clean(m).trim().to_string())
        })
        .collect();
    let numbers: Vec<Option<u32>> = markers
        .iter()
        .map(|m| m.strip_suffix('.').and_then(|n| n.parse().ok()))
        .collect();
    let first = numbers.first().copied().flatten().unwrap_or(1);
    let counted = numbers
        .iter()
        .enumerate()
        .all(|(i, n)| *n == Some(first + i as u32));
    if counted {
        let _ = writeln!(
            h,
            "<ol start=\"{first}\" style=\"margin:0 0 {BLOCK_GAP_PX}px;padding:0;{pad}:28px;\">"
        );
        for it in items {
            let _ = writeln!(h, "<li style=\"{li}\">{}</li>", inline(&it.text, &css.link));
        }
    } else {
        let g = gutter_px(&markers);
        let _ = writeln!(
            h,
            "<ol style=\"list-style:none;margin:0 0 {BLOCK_GAP_PX}px;padding:0;\">"
        );
        for (it, m) in items.iter().zip(&markers) {
            let _ = writeln!(
                h,
                "<li style=\"{li}{pad}:{g}px;text-indent:-{g}px;\"><span style=\"display:inline-block;\
                 width:{g}px;text-indent:0;\">{}&#160;</span>{}</li>",
                escape(m),
                inline(&it.text, &css.link)
            );
        }
    }
    h.push_str("</ol>\n");
}

/// Text as HTML: escaped, control characters dropped, its URLs live links.
fn inline(text: &str, link_style: &str) -> String {
    let text = clean(text);
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut at = 0;
    for (r, mailto) in link_spans(&text) {
        out.push_str(&escape(&text[at..r.start]));
        let shown = &text[r.clone()];
        if mailto {
            // A bare e-mail address: shown as written, opening `mailto:` (as in the PDF).
            match href(&format!("mailto:{shown}")) {
                Some(h) => {
                    let _ = write!(
                        out,
                        "<a href=\"{h}\" style=\"{link_style}\">{}</a>",
                        escape(shown)
                    );
                }
                None => out.push_str(&escape(shown)),
            }
        } else {
            out.push_str(&anchor(shown, link_style));
        }
        at = r.end;
    }
    out.push_str(&escape(&text[at..]));
    out
}

/// The URLs of `url_spans` and the bare e-mail addresses `parse::links` finds outside them
/// (flagged true), in order.
fn link_spans(text: &str) -> Vec<(Range<usize>, bool)> {
    let mut spans: Vec<(Range<usize>, bool)> =
        url_spans(text).into_iter().map(|r| (r, false)).collect();
    if !text.contains('@') {
        return spans;
    }
    let emails: Vec<Range<usize>> = crate::parse::links::find_links(text)
        .into_iter()
        .filter(|l| !text[l.range.clone()].contains(':') && l.target.starts_with("mailto:"))
        .map(|l| l.range)
        .filter(|e| {
            !spans
                .iter()
                .any(|(u, _)| u.start < e.end && e.start < u.end)
        })
        .collect();
    spans.extend(emails.into_iter().map(|r| (r, true)));
    spans.sort_by_key(|(r, _)| r.start);
    spans
}

/// `<a href>` showing the URL in full; just the escaped text when it is no web or mail
/// address (no `javascript:` and the like).
fn anchor(url: &str, style: &str) -> String {
    let url = clean(url);
    let url = url.trim();
    match href(url) {
        Some(h) => format!("<a href=\"{h}\" style=\"{style}\">{}</a>", escape(url)),
        None => escape(url),
    }
}

/// The `href` value for a URL as written: `www.` gets `https://` (as in the PDF: see
/// `parse::links`); only http, https, mailto
/// and ftp are linked. Characters not allowed in a URI are percent-encoded (UTF-8), then
/// `&` and `'` escaped for the attribute.
fn href(url: &str) -> Option<String> {
    let lower = url.to_ascii_lowercase();
    let full = if lower.starts_with("www.") {
        format!("https://{url}")
    } else if ["http://", "https://", "mailto:", "ftp://"]
        .iter()
        .any(|s| lower.starts_with(s))
    {
        url.to_string()
    } else {
        return None;
    };
    let mut out = String::with_capacity(full.len() + 8);
    for c in full.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_ascii_graphic() && !"\"<>\\^`{|}".contains(c) => out.push(c),
            c => {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    let _ = write!(out, "%{b:02X}");
                }
            }
        }
    }
    Some(out)
}

/// `s` with `& < > " '` escaped, for text and attribute values alike.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Byte ranges of the URLs written in running text: from `http://`, `https://` or `www.` (not
/// inside a word) to the first space, quote, angle bracket or full-width character; trailing
/// punctuation (`.` `,` `;` `:` `!` `?` quotes, and closing brackets without an opening one
/// inside) belongs to the sentence, not the URL.
pub(super) fn url_spans(text: &str) -> Vec<Range<usize>> {
    // ASCII lower-casing keeps every byte offset.
    let lower = text.to_ascii_lowercase();
    let mut spans = Vec::new();
    let mut from = 0;
    while from < text.len() {
        let next = ["https://", "http://", "www."]
            .iter()
            .filter_map(|p| lower[from..].find(p).map(|i| (from + i, p.len())))
            .min();
        let Some((start, prefix)) = next else { break };
        let in_word = text[..start]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_alphanumeric() || "@.-_/".contains(c));
        let end = text[start..]
            .find(|c: char| !is_url_char(c))
            .map_or(text.len(), |i| start + i);
        let end = trim_url_end(&text[..end], start);
        // Nothing after the prefix ("www." then a space): no URL.
        if end <= start + prefix {
            from = start + prefix;
            continue;
        }
        let rest = &text[start + prefix..end];
        let host_ok = if prefix == 4 {
            rest.split('/')
                .next()
                .is_some_and(|h| h.contains('.') && !h.starts_with('.'))
        } else {
            rest.starts_with(|c: char| c.is_alphanumeric() || c == '[')
        };
        if !in_word && host_ok {
            spans.push(start..end);
            from = end;
        } else {
            from = start + prefix;
        }
    }
    spans
}

/// A character a written URL can hold: not a space, control, quote or angle bracket, and not
/// full width (a URL in CJK text ends where the CJK text resumes).
fn is_url_char(c: char) -> bool {
    !(c.is_whitespace()
        || c.is_control()
        || "<>\"“”‘’«»「」『』".contains(c)
        || c.width().is_some_and(|w| w >= 2))
}

/// The end of the URL starting at `start` in `text`, trailing punctuation dropped.
fn trim_url_end(text: &str, start: usize) -> usize {
    let mut end = text.len();
    while let Some(c) = text[start..end].chars().next_back() {
        let url = &text[start..end];
        let unbalanced = |open: char, close: char| {
            c == close && url.matches(open).count() < url.matches(close).count()
        };
        if ".,;:!?'*_~…".contains(c)
            || unbalanced('(', ')')
            || unbalanced('[', ']')
            || unbalanced('{', '}')
        {
            end -= c.len_utf8();
        } else {
            break;
        }
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::model::{Meta, TextLine};

    const SAMPLE: &str = include_str!("../../issues/embassy-newsletter-2017-04.txt");
    const ZH: &str = include_str!("../../tests/fixtures/render/zh-hans.txt");
    const LINKS: &str = include_str!("../../tests/fixtures/parse/front-matter-links.txt");
    const BULLETS: &str = include_str!("../../tests/fixtures/parse/bullets.txt");

    fn issue_of(src: &str) -> Issue {
        crate::parse::parse_issue("t.txt", src, &Config::default()).issue
    }

    fn html_of(src: &str) -> String {
        html_body(&issue_of(src), "#aa0000").render(None)
    }

    fn one_paragraph(lang: &str, text: &str) -> Issue {
        Issue {
            meta: Meta {
                language: lang.into(),
                ..Meta::default()
            },
            blocks: vec![Block::Paragraph {
                text: text.into(),
                line: 1,
            }],
            ..Issue::default()
        }
    }

    #[test]
    fn mail_html_is_a_complete_document() {
        let h = html_of(SAMPLE);
        assert!(h.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"), "{h}");
        assert!(h.contains("<meta charset=\"utf-8\">"));
        assert!(h.contains("<title>China Releases First Strategy</title>"));
        assert!(h.ends_with("</html>\n"));
    }

    #[test]
    fn mail_html_lang_attribute() {
        let h = html_of(ZH);
        assert!(h.contains("<html lang=\"zh-Hans\">"), "{}", &h[..200]);
    }

    #[test]
    fn mail_html_rtl_dir_for_arabic_and_hebrew() {
        for lang in ["ar", "he", "fa-IR", "ur", "pa-Arab"] {
            let h = html_body(&one_paragraph(lang, "x"), "#000000").render(None);
            assert!(
                h.contains(&format!("<html lang=\"{lang}\" dir=\"rtl\">")),
                "{lang}"
            );
        }
        let h = html_body(&one_paragraph("en", "x"), "#000000").render(None);
        assert!(!h.contains("dir=\"rtl\""));
    }

    #[test]
    fn mail_html_escapes_script_in_text() {
        let h = html_body(
            &one_paragraph("en", "<script>alert(\"x\") & 'y'</script>"),
            "#000000",
        )
        .render(None);
        assert!(h.contains("&lt;script&gt;alert(&quot;x&quot;) &amp; &#39;y&#39;&lt;/script&gt;"));
        assert!(!h.contains("<script"));
    }

    #[test]
    fn mail_html_has_no_script_and_no_external_images() {
        for src in [SAMPLE, ZH, LINKS, BULLETS] {
            let h = html_of(src).to_ascii_lowercase();
            assert!(!h.contains("<script"));
            assert!(!h.contains("src="));
            assert!(!h.contains("<img"));
            assert!(!h.contains("<style"));
            assert!(!h.contains("<link"));
        }
    }

    #[test]
    fn mail_html_inline_url_linked_trailing_period_excluded() {
        let h = html_body(
            &one_paragraph("en", "Read it at https://example.org/a?b=1&c=2. Thanks."),
            "#000000",
        )
        .render(None);
        assert!(h.contains(
            "<a href=\"https://example.org/a?b=1&amp;c=2\" style=\"color:#000000;text-decoration:underline;word-break:break-all;\">https://example.org/a?b=1&amp;c=2</a>. Thanks."
        ), "{h}");
    }

    #[test]
    fn mail_html_www_url_gets_scheme() {
        let h = html_body(
            &one_paragraph("en", "See (www.example.org), too."),
            "#000000",
        )
        .render(None);
        assert!(h.contains("(<a href=\"https://www.example.org\""), "{h}");
        assert!(h.contains(">www.example.org</a>), too."), "{h}");
    }

    #[test]
    fn mail_html_email_address_linked_as_mailto() {
        let h = html_body(
            &one_paragraph(
                "en",
                "Write to press@embassy.example. Or see https://a.example/x@y.",
            ),
            "#000000",
        )
        .render(None);
        assert!(
            h.contains("<a href=\"mailto:press@embassy.example\" style=\"color:#000000;text-decoration:underline;word-break:break-all;\">press@embassy.example</a>. Or"),
            "{h}"
        );
        assert!(!h.contains("mailto:y"), "{h}");
    }

    #[test]
    fn mail_html_links_block_heading_and_urls() {
        let mut issue = one_paragraph("fr", "Texte.");
        issue.blocks.push(Block::Links {
            urls: vec!["https://example.fr/annexe".to_string()],
            line: 0,
        });
        let h = html_body(&issue, "#000000").render(None);
        assert!(h.contains(">Liens</h2>"), "{h}");
        assert!(h.contains("<a href=\"https://example.fr/annexe\""), "{h}");
    }

    #[test]
    fn mail_html_url_spans_trim_punctuation_and_keep_balanced_parens() {
        let t = "a https://en.wikipedia.org/wiki/Foo_(bar)). b";
        let s = url_spans(t);
        assert_eq!(&t[s[0].clone()], "https://en.wikipedia.org/wiki/Foo_(bar)");
        let t = "访问https://example.org/x，了解详情。wwwx www. nothttp://a.b";
        let s: Vec<&str> = url_spans(t).into_iter().map(|r| &t[r]).collect();
        assert_eq!(s, ["https://example.org/x"]);
    }

    #[test]
    fn mail_html_url_spans_never_panic() {
        for t in [
            "www.",
            "www. ",
            "http://",
            "https://.",
            "x www.(",
            "(https://)",
            "www.a.",
            "https://é",
            "www.例子.中国",
            "http://a)",
            "…https://a.b/c…",
            "www..",
            "http://http://a.b",
        ] {
            for r in url_spans(t) {
                assert!(
                    r.start < r.end && t.is_char_boundary(r.start) && t.is_char_boundary(r.end)
                );
            }
        }
    }

    #[test]
    fn mail_html_sample_under_100kb() {
        let h = html_body(&issue_of(SAMPLE), "#1c3b6b").render(Some("https://example.org/u"));
        assert!(h.len() < 100 * 1024, "{} bytes", h.len());
    }

    #[test]
    fn mail_html_every_section_title_present() {
        let h = html_of(SAMPLE);
        for (numeral, title) in [
            ("I.", "Peace."),
            ("II.", "Cooperation."),
            ("III.", "Sovereignty."),
            ("IV.", "Shared Benefits."),
            ("V.", "Shared Governance."),
        ] {
            assert!(h.contains(&format!("\">{numeral}</td>")), "{numeral}");
            assert!(h.contains(&format!("<strong>{title}</strong> ")), "{title}");
        }
    }

    #[test]
    fn mail_html_accent_colour_used() {
        let h = html_of(SAMPLE);
        assert!(h.contains("color:#aa0000;"), "name in the accent colour");
        assert!(h.contains("solid #aa0000"), "rule in the accent colour");
    }

    #[test]
    fn mail_html_bad_accent_falls_back() {
        let h = html_body(&issue_of(SAMPLE), "red;\"><script>").render(None);
        assert!(h.contains(DEFAULT_ACCENT) && !h.contains("<script"));
    }

    #[test]
    fn mail_html_link_block_shows_live_url() {
        let h = html_of(LINKS);
        assert!(
            h.contains(">You can read the full text of the Strategy here:</p>\n<p"),
            "{h}"
        );
        assert!(h.contains("<a href=\"https://example.org/strategy-full-text\""));
        assert!(h.contains(">https://example.org/strategy-full-text</a>"));
    }

    #[test]
    fn mail_html_unsafe_link_target_not_linked() {
        assert_eq!(anchor("javascript:alert(1)", ""), "javascript:alert(1)");
        assert_eq!(
            href("https://a.cn/新 x\"").unwrap(),
            "https://a.cn/%E6%96%B0%20x%22"
        );
    }

    #[test]
    fn mail_html_address_and_closing_present() {
        let h = html_of(SAMPLE);
        assert!(h.contains(
            ">Embassy of the People&#39;s Republic of China<br>3505, International Place, NW Washington DC, 20008</p>"
        ), "{h}");
        assert!(h.contains(">Your comments are welcome.</p>"));
    }

    #[test]
    fn mail_html_headline_and_deck() {
        let h = html_of(SAMPLE);
        assert!(h.contains(">China Releases First Strategy</h1>"));
        assert!(h.contains(">On Cyberspace Cooperation</p>"));
    }

    #[test]
    fn mail_html_lists() {
        let h = html_of(BULLETS);
        assert!(
            h.contains(">Passports must be valid for six months.</li>"),
            "{h}"
        );
        assert!(h.contains("<ol start=\"1\""), "{h}");
        let issue = Issue {
            blocks: vec![Block::List {
                kind: ListKind::Numbered,
                items: vec![ListItem {
                    marker: Some("1)".into()),
                    text: "One".into(),
                    line: 1,
                }],
                line: 1,
            }],
            ..Issue::default()
        };
        let h = html_body(&issue, "#000000").render(None);
        assert!(
            h.contains(">1)&#160;</span>One</li>"),
            "written marker kept: {h}"
        );
    }

    #[test]
    fn mail_html_cjk_font_stack_and_no_justify() {
        let h = html_of(ZH);
        assert!(h.contains("font-family:'Noto Serif CJK SC','Source Han Serif SC'"));
        assert!(!h.contains("justify") && !h.contains("letter-spacing:0.1"));
        let ja = html_body(&one_paragraph("ja", "本文"), "#000000").render(None);
        assert!(ja.contains("'Hiragino Mincho ProN'"));
        let ko = html_body(&one_paragraph("ko", "본문"), "#000000").render(None);
        assert!(ko.contains("'Nanum Myeongjo'"));
        let tw = html_body(&one_paragraph("zh-Hant", "本文"), "#000000").render(None);
        assert!(tw.contains("'PMingLiU'"));
    }

    #[test]
    fn mail_html_latin_font_stack() {
        let h = html_of(SAMPLE);
        assert!(h.contains(
            "font-family:Georgia,'Times New Roman',serif;font-size:16px;line-height:26px;"
        ));
    }

    #[test]
    fn mail_html_unsubscribe_note_at_foot() {
        let body = html_body(&issue_of(SAMPLE), "#000000");
        let h = body.render(Some("https://example.org/u?id=1&t=2"));
        let at = h
            .find("To unsubscribe: <a href=\"https://example.org/u?id=1&amp;t=2\"")
            .unwrap();
        assert!(at > h.find("Suggest to a Friend:").unwrap());
        assert!(h[at..].starts_with("To unsubscribe: <a"));
        assert!(!body.render(None).contains("To unsubscribe"));
    }

    #[test]
    fn mail_html_unsubscribe_note_localized() {
        let mut issue = issue_of(ZH);
        let h = html_body(&issue, "#000000").render(Some("https://e.cn/u"));
        assert!(h.contains("取消订阅：<a href=\"https://e.cn/u\""), "{h}");
        issue.meta.language = "fr".into();
        let h = html_body(&issue, "#000000").render(Some("https://e.fr/u"));
        assert!(h.contains("Pour vous désabonner\u{a0}: <a href"));
    }

    #[test]
    fn mail_html_title_escaped() {
        let issue = Issue {
            headline: Some(TextLine {
                text: "A <b> & C".into(),
                line: 1,
            }),
            ..Issue::default()
        };
        let h = html_body(&issue, "#000000").render(None);
        assert!(h.contains("<title>A &lt;b&gt; &amp; C</title>"), "{h}");
        assert!(h.contains("<html lang=\"en\">"));
    }
}
