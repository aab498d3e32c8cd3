//! The page design: every measure of the newsletter layout in one place, overridable from
//! quire.yaml (`paper`, `margins`, `columns`, `theme`).

use crate::fonts::Family;
use crate::layout::Rgb;

/// A text style of the theme.
#[derive(Debug, Clone, PartialEq)]
pub struct Style {
    /// Serif (Noto Serif) or sans (Noto Sans); a user face from `fonts:` stands in for
    /// the bundled face of this family, weight and slant.
    pub family: Family,
    /// Bold weight; regular when false.
    pub bold: bool,
    /// Italic; upright when false.
    pub italic: bool,
    /// Font size in pt.
    pub size: f32,
    /// Baseline-to-baseline distance as a multiple of the size.
    pub leading: f32,
    /// Text colour; `INK` unless the role or quire.yaml gives another.
    pub color: Rgb,
}

impl Style {
    fn new(family: Family, bold: bool, italic: bool, size: f32, leading: f32) -> Self {
        Style {
            family,
            bold,
            italic,
            size,
            leading,
            color: INK,
        }
    }

    /// Baseline-to-baseline distance in pt.
    pub fn line_height(&self) -> f32 {
        self.size * self.leading
    }
}

/// Text colour: pure black, which every printer sets as one crisp ink.
pub const INK: Rgb = Rgb(0.0, 0.0, 0.0);
/// Secondary text (masthead line, footer): mid grey, legible at 8 pt.
pub const MUTED: Rgb = Rgb(0.33, 0.33, 0.33);
/// Default accent: a deep navy for rules and the newsletter name.
pub const ACCENT: Rgb = Rgb(0.11, 0.23, 0.42);

/// The resolved theme.
#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    /// Paper width and height in pt.
    pub paper: (f32, f32),
    /// Paper's top edge to the text area, pt (56.7: 20 mm by default).
    pub margin_top: f32,
    /// Text area to the paper's bottom edge, pt; the footer sits in it.
    pub margin_bottom: f32,
    /// Paper's left edge to the text area, pt.
    pub margin_left: f32,
    /// Text area to the paper's right edge, pt.
    pub margin_right: f32,
    /// Text columns, 1 or 2 (other values are clamped when set).
    pub columns: u8,
    /// Optical margin alignment of justified text (`theme.protrusion`).
    pub protrusion: bool,
    /// Space between two columns: 1.5 body lines, the usual gutter for a 10–11 pt text.
    pub column_gap: f32,
    /// Running text; its line height is the unit of the flow's spaces (see `measure`).
    pub body: Style,
    /// The newsletter's name atop page 1 and on a volume's title page; accent colour unless
    /// given its own.
    pub masthead: Style,
    /// The line under the masthead name: issue numeral, year, date.
    pub masthead_line: Style,
    /// The issue's headline; a volume's year on its title page.
    pub headline: Style,
    /// The sub-headline; a volume's issue count on its title page. Italic, except in Chinese
    /// and Japanese.
    pub deck: Style,
    /// Section heads on their own line.
    pub heading: Style,
    /// Run-in section titles ("I. Peace.").
    pub run_in: Style,
    /// List items and their markers.
    pub list: Style,
    /// The URL printed under a "… here:" line, clickable; accent colour unless given its own.
    pub link_url: Style,
    /// The sender's postal address block.
    pub address: Style,
    /// Closing lines ("Sincerely, …"); italic, except in Chinese and Japanese.
    pub closing: Style,
    /// The running head and the footer; its colour is also their hairlines'.
    pub footer: Style,
    /// Colour of the masthead's rules and the email's HTML accent; quire.yaml's
    /// `theme.accent` also gives it to the masthead's name and the printed URLs.
    pub accent: Rgb,
}

/// The measures of the composition, besides the styles. Spaces in the flow are in body lines
/// unless said otherwise. A space's "give" is the part that may go to fit a page, written as
/// a divisor (3.0: a third): `h / 3.0` and `h * (1.0 / 3.0)` can differ in the last bit, and
/// the PDFs must come out as they always have.
pub mod measure {
    /// Minimum lines of a paragraph kept together at a page break, at its start (orphans) and
    /// at its end (widows): two, the rule of every style manual.
    pub const KEEP_LINES: usize = 2;
    /// Between paragraphs: half a body line.
    pub const PARAGRAPH_GAP: f32 = 0.5;
    /// Before a heading or an address: a whole body line, so it reads as a new part.
    pub const HEADING_GAP: f32 = 1.0;
    /// A third of the space before a paragraph, heading or address may go to fit a page.
    pub const GAP_GIVE: f32 = 3.0;
    /// Under a heading: a quarter of a body line, fixed, so the head stays with its text.
    pub const UNDER_HEADING: f32 = 0.25;
    /// Before a section head on its own line: less than a heading's line, as sections follow
    /// one another closely.
    pub const SECTION_HEAD_GAP: f32 = 0.8;
    /// Of the space before a section head, a quarter of a body line may go.
    pub const SECTION_HEAD_GIVE: f32 = 4.0;
    /// Before the closing lines: a body line, half of which may go (they end the text, and a
    /// tight last page may need the room).
    pub const CLOSING_GAP: f32 = 1.0;
    /// Half of the space before the closing may go to fit a page.
    pub const CLOSING_GIVE: f32 = 2.0;
    /// Between list items, in the list's lines, fixed (no give: items must stay visibly apart
    /// on a tight page). Less than a paragraph space, more than a third of a line: items read
    /// as separate and one-line items as complete (not as justified text).
    pub const LIST_ITEM_GAP: f32 = 0.45;
    /// Gap between a hanging marker (bullet, numeral) and its text, in em: about a loose word
    /// space, within the 0.5 em a justified space may reach, so marker and text read as one.
    pub const MARKER_GAP: f32 = 0.45;
    /// A link's QR code is four body lines tall (at least three lines of text beside it)...
    pub const QR_LINES: f32 = 4.0;
    /// ...and never larger than 72 pt (1 in), which a phone reads from reading distance.
    pub const QR_MAX: f32 = 72.0;
    /// Between a link's text and its QR code: one em of the body.
    pub const QR_GAP_EM: f32 = 1.0;
    /// A link's clickable box rises one em above the baseline and is this many em tall, so it
    /// takes in the descenders.
    pub const LINK_BOX_EM: f32 = 1.3;
    /// Between the masthead's name and its issue line, pt.
    pub const MASTHEAD_LINE_GAP: f32 = 2.0;
    /// Between the issue line and the masthead's heavy rule, pt.
    pub const MASTHEAD_RULE_GAP: f32 = 4.0;
    /// The masthead closes with a heavy and a hairline rule, the classic newspaper masthead
    /// close: the heavy rule's width, pt...
    pub const MASTHEAD_RULE: f32 = 2.0;
    /// ...the distance between the two rules, pt...
    pub const MASTHEAD_RULES_APART: f32 = 3.0;
    /// ...and the hairline's width, pt.
    pub const MASTHEAD_HAIRLINE: f32 = 0.5;
    /// Under the masthead, before the headline: a body line and a half.
    pub const UNDER_MASTHEAD: f32 = 1.5;
    /// Between headline and deck, a third of the deck's size (a divisor): they read as a pair.
    pub const DECK_GAP: f32 = 3.0;
    /// Under the headline and deck, before the body: half a body line.
    pub const UNDER_TOP: f32 = 0.5;
    /// The first page keeps at least this share of the text height for the body, however
    /// tall its top.
    pub const FIRST_FRAME_MIN: f32 = 0.25;
    /// The running head's and footer's rules sit 40 % of the margin out from the text area:
    /// this share of the margin from the paper's edge.
    pub const MARGIN_RULE_AT: f32 = 0.6;
    /// The footer's baseline, in em of the footer's size below its rule.
    pub const FOOTER_DROP: f32 = 1.4;
    /// The running head's baseline, in em of the footer's size above its rule.
    pub const HEAD_RISE: f32 = 0.6;
    /// The running head's and footer's hairline, pt.
    pub const MARGIN_RULE: f32 = 0.4;
    /// A volume's title page: the name starts a third down the text area, the classic optical
    /// centre.
    pub const TITLE_DROP: f32 = 1.0 / 3.0;
    /// On the title page, a body line between name, year and issue count...
    pub const TITLE_GAP: f32 = 1.0;
    /// ...and two before the publisher, who stands apart from the volume's own words.
    pub const PUBLISHER_GAP: f32 = 2.0;
    /// Space above and below the contents heading, in body lines: one line, the usual gap
    /// between a heading and what it heads.
    pub const CONTENTS_HEAD_GAP: f32 = 1.0;
    /// Extra space between contents entries, as a share of a body line: a quarter keeps the
    /// entries apart without spreading a year over two pages.
    pub const CONTENTS_ENTRY_GAP: f32 = 0.25;
    /// The gap between a contents entry's label, title and page columns, pt: one em of 12 pt.
    pub const CONTENTS_COLUMN_GAP: f32 = 12.0;
    /// A contents title keeps at least this share of the text width, however wide the labels.
    pub const CONTENTS_TITLE_MIN: f32 = 0.3;
    /// The width reserved for a contents page number: five digits of the body.
    pub const CONTENTS_NUMBER: &str = "00000";
    /// Leader dots: their spacing and size as shares of the body size (4.7 pt and 1 pt dots
    /// at 10.5 pt, the spacing of a book's contents page).
    pub const LEADER_PITCH_EM: f32 = 0.45;
    /// The leader dots' diameter, in em of the body (see `LEADER_PITCH_EM`).
    pub const LEADER_DOT_EM: f32 = 0.095;
}

/// Letter, the US office paper.
pub const LETTER: (f32, f32) = (612.0, 792.0);
/// A4, the built-in default (ISO paper is what most of the world prints on): 210 × 297 mm.
pub const A4: (f32, f32) = (595.2756, 841.8898);
/// A5, 148 × 210 mm: half of A4.
pub const A5: (f32, f32) = (419.5276, 595.2756);
/// A3, 297 × 420 mm: twice A4.
pub const A3: (f32, f32) = (841.8898, 1190.5512);
/// US Legal, 8.5 × 14 in.
pub const LEGAL: (f32, f32) = (612.0, 1008.0);

impl Theme {
    /// The built-in design for a language: A4, 2 cm margins, Noto Serif body at 10.5 pt;
    /// Chinese and Japanese text gets a looser leading (1.6), since Han characters fill the
    /// em-square and need more air between lines than Latin lowercase does.
    pub fn default_for(lang: &str) -> Theme {
        let cjk = crate::lang::Lang::new(lang).is_chinese_or_japanese();
        let body_leading = if cjk { 1.6 } else { 1.38 };
        let serif = Family::Serif;
        let sans = Family::Sans;
        let mut theme = Theme {
            paper: A4,
            // 20 mm: the common newsletter margin, room for hole punching and printer grip.
            margin_top: 56.7,
            margin_bottom: 56.7,
            margin_left: 56.7,
            margin_right: 56.7,
            columns: 1,
            protrusion: true,
            column_gap: 16.0,
            body: Style::new(serif, false, false, 10.5, body_leading),
            masthead: Style::new(serif, true, false, 30.0, 1.1),
            masthead_line: Style::new(sans, false, false, 9.0, 1.3),
            headline: Style::new(sans, true, false, 20.0, 1.2),
            deck: Style::new(serif, false, !cjk, 13.0, 1.3),
            heading: Style::new(sans, true, false, 11.5, 1.3),
            run_in: Style::new(serif, true, false, 10.5, body_leading),
            list: Style::new(serif, false, false, 10.5, body_leading),
            link_url: Style::new(sans, false, false, 9.0, 1.35),
            address: Style::new(sans, false, false, 9.5, 1.4),
            closing: Style::new(serif, false, !cjk, 10.5, body_leading),
            footer: Style::new(sans, false, false, 8.0, 1.2),
            accent: ACCENT,
        };
        theme.masthead.color = ACCENT;
        theme.masthead_line.color = MUTED;
        theme.footer.color = MUTED;
        theme.link_url.color = ACCENT;
        theme
    }

    /// Width of the text area in pt.
    pub fn text_width(&self) -> f32 {
        self.paper.0 - self.margin_left - self.margin_right
    }

    /// Height of the text area in pt.
    pub fn text_height(&self) -> f32 {
        self.paper.1 - self.margin_top - self.margin_bottom
    }

    /// Width of one column in pt.
    pub fn column_width(&self) -> f32 {
        let n = self.columns.max(1) as f32;
        (self.text_width() - self.column_gap * (n - 1.0)) / n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn theme_column_width_splits_text_area() {
        let mut t = Theme::default_for("en");
        t.paper = LETTER;
        t.margin_left = 72.0;
        t.margin_right = 72.0;
        assert_eq!(t.text_width(), 468.0);
        t.columns = 2;
        assert_eq!(t.column_width(), (468.0 - 16.0) / 2.0);
    }

    #[test]
    fn theme_issue_line_follows_only_a_named_masthead_font() {
        let theme = |yaml: &str| {
            let cfg = crate::config::Config::from_yaml("q.yaml", yaml).unwrap();
            Theme::from_config(&cfg, "en", &[]).unwrap()
        };
        let default = Theme::default_for("en").masthead_line.family;
        // Any other theme key leaves the issue line in its own face.
        let t = theme("theme:\n  accent: \"#112233\"\n  body:\n    font: sans\n");
        assert_eq!(t.masthead_line.family, default);
        let t = theme("theme:\n  masthead:\n    size: 24pt\n");
        assert_eq!(t.masthead_line.family, default);
        // A masthead font carries it along.
        let t = theme("theme:\n  masthead:\n    font: serif\n");
        assert_ne!(t.masthead_line.family, default);
        assert_eq!(t.masthead_line.family, t.masthead.family);
    }
}

/// The user faces the theme names, each with the bundled face it replaces: the role's family,
/// weight and style (after the theme is resolved). A user face named for the body replaces
/// Noto Serif Regular wherever that face would be used.
pub fn user_font_keys(
    cfg: &crate::config::Config,
    theme: &Theme,
) -> Vec<(String, crate::fonts::FaceKey)> {
    let Some(th) = &cfg.theme else {
        return Vec::new();
    };
    let roles = [
        (&th.body, &theme.body),
        (&th.masthead, &theme.masthead),
        (&th.headline, &theme.headline),
        (&th.deck, &theme.deck),
        (&th.heading, &theme.heading),
        (&th.list, &theme.list),
        (&th.address, &theme.address),
        (&th.footer, &theme.footer),
    ];
    let mut out = Vec::new();
    for (cfg_style, style) in roles {
        let Some(font) = cfg_style.as_ref().and_then(|c| c.font.as_ref()) else {
            continue;
        };
        if matches!(
            font.to_ascii_lowercase().as_str(),
            "serif" | "noto serif" | "sans" | "sans-serif" | "noto sans"
        ) {
            continue;
        }
        let key = crate::fonts::FaceKey {
            family: style.family,
            bold: style.bold,
            italic: style.italic,
            cjk: None,
        };
        out.push((font.clone(), key));
    }
    out
}

/// Why a theme could not be built from the configuration.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ThemeError {
    /// A style's `font` is neither serif, sans nor a face loaded from `fonts:`.
    #[error("theme.{role}.font: \"{font}\" is not a font quire has (use serif, sans, or the PostScript name of a face listed under fonts:)")]
    UnknownFont {
        /// The theme key that names it: `body`, `masthead`, `headline` …
        role: &'static str,
        /// The font as written.
        font: String,
    },
    /// The margins leave less than an inch of text width or height.
    #[error("the margins leave no room for text on a {w:.0} x {h:.0} pt page")]
    NoRoom {
        /// Paper width, pt.
        w: f32,
        /// Paper height, pt.
        h: f32,
    },
}

impl Theme {
    /// The built-in design for `lang` with the configuration's paper, margins, columns and
    /// theme laid over it. Sizes and leadings are lengths; a leading is the baseline distance.
    /// `user_faces` are the PostScript names of the faces loaded from `fonts:`; a style whose
    /// `font` names one keeps its family here, and `user_font_keys` says which bundled face
    /// the user's face then replaces.
    pub fn from_config(
        cfg: &crate::config::Config,
        lang: &str,
        user_faces: &[String],
    ) -> Result<Theme, ThemeError> {
        let mut t = Theme::default_for(lang);
        if let Some(p) = &cfg.paper {
            t.paper = (p.width, p.height);
        }
        if let Some(m) = &cfg.margins {
            let (top, bottom, left, right) = m.resolve(t.margin_top);
            t.margin_top = top;
            t.margin_bottom = bottom;
            t.margin_left = left;
            t.margin_right = right;
        }
        if let Some(c) = cfg.columns {
            t.columns = c.0.clamp(1, 2);
        }
        if let Some(th) = &cfg.theme {
            if let Some(p) = th.protrusion {
                t.protrusion = p;
            }
            if let Some(a) = &th.accent {
                let (r, g, b) = a.rgb();
                t.accent = Rgb(r, g, b);
                t.masthead.color = t.accent;
                t.link_url.color = t.accent;
            }
            let body = th.body.as_ref();
            apply_style(&mut t.body, body, "body", user_faces)?;
            // Run-in heads, lists and closing lines follow the body's face and size.
            for (style, role) in [
                (&mut t.run_in, "body"),
                (&mut t.list, "body"),
                (&mut t.closing, "body"),
            ] {
                if let Some(b) = body {
                    let (bold, italic) = (style.bold, style.italic);
                    apply_style(style, Some(b), role, user_faces)?;
                    style.bold = bold;
                    style.italic = italic;
                }
            }
            apply_style(
                &mut t.masthead,
                th.masthead.as_ref(),
                "masthead",
                user_faces,
            )?;
            // The issue line follows a masthead font the user names, not any theme key.
            if th.masthead.as_ref().is_some_and(|m| m.font.is_some()) {
                t.masthead_line.family = t.masthead.family;
            }
            apply_style(
                &mut t.headline,
                th.headline.as_ref(),
                "headline",
                user_faces,
            )?;
            apply_style(&mut t.deck, th.deck.as_ref(), "deck", user_faces)?;
            apply_style(&mut t.heading, th.heading.as_ref(), "heading", user_faces)?;
            apply_style(&mut t.list, th.list.as_ref(), "list", user_faces)?;
            apply_style(&mut t.address, th.address.as_ref(), "address", user_faces)?;
            apply_style(&mut t.footer, th.footer.as_ref(), "footer", user_faces)?;
        }
        // At least an inch of text each way, or nothing sensible can be set.
        if t.text_width() < 72.0 || t.text_height() < 72.0 {
            return Err(ThemeError::NoRoom {
                w: t.paper.0,
                h: t.paper.1,
            });
        }
        Ok(t)
    }
}

fn apply_style(
    s: &mut Style,
    c: Option<&crate::config::Style>,
    role: &'static str,
    user_faces: &[String],
) -> Result<(), ThemeError> {
    let Some(c) = c else { return Ok(()) };
    if let Some(f) = &c.font {
        s.family = match f.to_ascii_lowercase().as_str() {
            "serif" | "noto serif" => Family::Serif,
            "sans" | "sans-serif" | "noto sans" => Family::Sans,
            _ if user_faces.iter().any(|u| u.eq_ignore_ascii_case(f)) => s.family,
            _ => {
                return Err(ThemeError::UnknownFont {
                    role,
                    font: f.clone(),
                })
            }
        };
    }
    // Keep the leading ratio when only the size changes; an explicit leading is a distance.
    if let Some(size) = c.size {
        if size.0 > 0.0 {
            s.size = size.0;
        }
    }
    if let Some(l) = c.leading {
        if l.0 > 0.0 && s.size > 0.0 {
            s.leading = l.0 / s.size;
        }
    }
    if let Some(col) = &c.color {
        let (r, g, b) = col.rgb();
        s.color = Rgb(r, g, b);
    }
    if let Some(b) = c.bold {
        s.bold = b;
    }
    if let Some(i) = c.italic {
        s.italic = i;
    }
    Ok(())
}
