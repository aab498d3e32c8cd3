//! Numbered sections and other paragraphs with a hanging marker: the numeral or bullet set
//! flush right in a gutter, the text beside it.

use super::draw::{draw_line, line_baseline};
use super::flow::{text_style, Composer, Keep, Para};
use super::strings::{run_in_title, section_label};
use crate::inline::{self, Align, Span};
use crate::layout::{Item, Mark, Role};
use crate::model::Section;
use crate::paginate::Flow;
use crate::theme::{measure, Style};

impl Composer<'_> {
    /// A run of numbered sections, their numerals in one gutter.
    pub(super) fn sections(&mut self, sections: &[Section], width: f32) {
        let markers: Vec<String> = sections
            .iter()
            .map(|s| section_label(s, self.lang))
            .collect();
        let run_in = self.theme.run_in.clone();
        let gutter = self.gutter(&markers, &run_in);
        // Tagged as a list: L, an LI per section with its numeral (Lbl) and its body (LBody).
        self.open(Role::L);
        for (s, marker) in sections.iter().zip(&markers) {
            self.open(Role::LI);
            self.open(Role::LBody);
            // A section without a title of its own is set like a run-in one with no head.
            if s.run_in || s.title.is_none() {
                self.run_in_section(s, marker, width, gutter);
            } else {
                self.headed_section(s, marker, width, gutter);
            }
            self.close();
            self.close();
        }
        self.close();
    }

    /// A section whose title (if any) runs into its first paragraph: "I. Peace. The …".
    fn run_in_section(&mut self, s: &Section, marker: &str, width: f32, gutter: f32) {
        let body = self.theme.body.clone();
        let run_in = self.theme.run_in.clone();
        self.paragraph_space();
        let title = s.title.as_deref().map(|t| run_in_title(t, self.lang));
        let first_body = s.body.first().map(String::as_str).unwrap_or("");
        let first = self.marked_paragraph(
            marker,
            &run_in,
            first_body,
            &body,
            title.as_deref().map(|t| (t, &run_in)),
            s.line,
            width,
            gutter,
        );
        self.anchor(first, outline_label(s, marker));
        for more in s.body.iter().skip(1) {
            self.paragraph_space();
            self.body_paragraph(more, s.line, width - gutter, gutter);
        }
    }

    /// A section whose title stands on its own line, kept with the text under it.
    fn headed_section(&mut self, s: &Section, marker: &str, width: f32, gutter: f32) {
        let heading = self.theme.heading.clone();
        let h = self.theme.body.line_height();
        self.space(
            h * measure::SECTION_HEAD_GAP,
            h / measure::SECTION_HEAD_GIVE,
        );
        let title = s.title.clone().unwrap_or_default();
        self.role = "heading";
        let first = self.marked_paragraph(
            marker, &heading, &title, &heading, None, s.line, width, gutter,
        );
        self.role = "section";
        self.anchor(first, outline_label(s, marker));
        self.keep_next = measure::KEEP_LINES;
        for (k, more) in s.body.iter().enumerate() {
            if k > 0 {
                self.paragraph_space();
            } else {
                self.space(h * measure::UNDER_HEADING, 0.0);
            }
            self.body_paragraph(more, s.line, width - gutter, gutter);
        }
    }

    /// Width of the widest marker plus the marker gap: the hanging indent of a list.
    pub(super) fn gutter(&mut self, markers: &[String], style: &Style) -> f32 {
        let widest = markers
            .iter()
            .map(|m| {
                let span = [Span {
                    text: m.clone(),
                    style: text_style(style),
                    line: 0,
                    column: 0,
                }];
                inline::measure_with(&mut self.shaper, &span, self.lang)
            })
            .fold(0.0f32, f32::max);
        widest + style.size * measure::MARKER_GAP
    }

    /// A paragraph with a marker (bullet, numeral) hanging in a gutter: the marker is set
    /// flush right against the gutter so numerals of different widths align on their dot.
    /// Returns the flow index of the paragraph's first line.
    // A marker, its style, a text, its style, a run-in, a line, a width, a gutter: a struct
    // would only rename them.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn marked_paragraph(
        &mut self,
        marker: &str,
        marker_style: &Style,
        text: &str,
        style: &Style,
        run_in: Option<(&str, &Style)>,
        line: u32,
        width: f32,
        gutter: f32,
    ) -> usize {
        let mut p = Para::new();
        if let Some((title, title_style)) = run_in {
            p.push(title, title_style, line, None);
            // A full-width stop ("开放合作。") already carries its blank half: no space after it.
            if !title.ends_with(['。', '．', '：', '！', '？']) {
                p.push(" ", style, line, None);
            }
        }
        p.push_linked(text, style, line, &crate::parse::links::find_links(text));
        // A right-to-left item mirrors: text on the left, the marker in a gutter on the right.
        let rtl = inline::starts_right_to_left(&format!("{}{text}", run_in.map_or("", |(t, _)| t)));
        let lines = self.set(&p, width - gutter, Align::Justify, true);
        // The marker stands on the first line's baseline.
        let baseline = lines.first().map(|l| line_baseline(style, l, 0.0));
        let text_x = if rtl { 0.0 } else { gutter };
        // The text is a paragraph of the item's body; the marker, its label (Lbl), a sibling of
        // the body in the item.
        let body = self.current();
        let lbl = self
            .structure
            .add(Role::Lbl, self.structure.elems[body].parent);
        self.open(Role::P);
        let first = self.push_lines(lines, &p, text_x, style, Keep::Paragraph);
        self.close();
        let mp = Para::of(marker, marker_style, line);
        let mlines = self.set(&mp, gutter, Align::Left, false);
        if let (Some(mline), Some(baseline), Some(Flow::Line(fl))) = (
            mlines.into_iter().next(),
            baseline,
            self.flow.get_mut(first),
        ) {
            // Right-aligned in the gutter, the marker gap from the text.
            let gap = marker_style.size * measure::MARKER_GAP;
            let x = if rtl {
                width - gutter + gap
            } else {
                gutter - gap - mline.natural_width
            };
            // Drawn before the text, as it is read (the structure tree puts an item's label
            // first too): readers that take text in content order (pdf.js, MuPDF) give
            // "I. Peace.", not "Peace. … I.".
            let mut label = vec![Item::Begin(Mark::Elem(lbl))];
            draw_line(&mut label, mline, &mp, x, baseline);
            label.push(Item::End);
            fl.items.splice(0..0, label);
        }
        first
    }
}

/// The section's outline label: "I. Peace", "一、和平" (no space after a full-width mark).
fn outline_label(s: &Section, marker: &str) -> String {
    match &s.title {
        Some(t) if marker.ends_with('.') => format!("{marker} {t}"),
        Some(t) => format!("{marker}{t}"),
        None => marker.to_string(),
    }
}
