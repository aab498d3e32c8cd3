//! What each block of the model becomes in the flow: paragraphs, headings, lists, links with
//! their QR codes, the address and the closing (sections are in `sections`).

use super::draw::draw_qr;
use super::flow::{Composer, Keep, Para};
use super::ComposeOptions;
use crate::cjk::Locale;
use crate::inline::Align;
use crate::layout::{Item, Mark, Role};
use crate::model::{Block, ListItem, ListKind, TextLine};
use crate::paginate::{Flow, FlowLine};
use crate::theme::measure;

impl Composer<'_> {
    /// Add one block of the model to the flow, `width` being the column's.
    pub(super) fn block(&mut self, block: &Block, width: f32, opts: &ComposeOptions) {
        self.role = match block {
            Block::Paragraph { .. } => "body",
            Block::Heading { .. } => "heading",
            Block::Sections { .. } => "section",
            Block::List { .. } => "list",
            Block::Link { .. } => "link",
            Block::Links { .. } => "links",
            Block::Address { .. } => "address",
            Block::Closing { .. } => "closing",
        };
        match block {
            Block::Paragraph { text, line } => {
                self.paragraph_space();
                self.body_paragraph(text, *line, width, 0.0);
            }
            Block::Heading { text, line } => self.heading(text, *line, width),
            Block::Sections { sections, .. } => self.sections(sections, width),
            Block::List { kind, items, .. } => self.list(*kind, items, width),
            Block::Link { text, target, line } => {
                self.paragraph_space();
                match target {
                    Some(url) => self.link_block(text, url, *line, width),
                    None => self.body_paragraph(text, *line, width, 0.0),
                }
            }
            Block::Links { urls, .. } => self.links(urls, width),
            Block::Address { lines, .. } => self.address(lines, width, opts),
            Block::Closing { lines, .. } => self.closing(lines, width, opts),
        }
    }

    /// The space before a paragraph, part of which may go to fit a page.
    pub(super) fn paragraph_space(&mut self) {
        let h = self.theme.body.line_height() * measure::PARAGRAPH_GAP;
        self.space(h, h / measure::GAP_GIVE);
    }

    /// A justified, hyphenated body paragraph, `x` from the frame's left edge.
    pub(super) fn body_paragraph(&mut self, text: &str, line: u32, width: f32, x: f32) {
        let p = Para::linked(text, &self.theme.body, line);
        let lines = self.set(&p, width, Align::Justify, true);
        let style = self.theme.body.clone();
        self.open(Role::P);
        self.push_lines(lines, &p, x, &style, Keep::Paragraph);
        self.close();
    }

    /// A heading on its own line: an outline entry, kept with the text under it.
    fn heading(&mut self, text: &str, line: u32, width: f32) {
        let h = self.theme.body.line_height() * measure::HEADING_GAP;
        self.space(h, h / measure::GAP_GIVE);
        let style = self.theme.heading.clone();
        let p = Para::linked(text, &style, line);
        let lines = self.set(&p, width, Align::Left, false);
        self.open(Role::H2);
        let first = self.push_lines(lines, &p, 0.0, &style, Keep::Whole);
        self.close();
        self.anchor(first, text.to_string());
        self.keep_next = measure::KEEP_LINES;
        self.space(h * measure::UNDER_HEADING, 0.0);
    }

    /// A bulleted or numbered list, its markers hanging in a gutter.
    fn list(&mut self, kind: ListKind, items: &[ListItem], width: f32) {
        self.paragraph_space();
        let style = self.theme.list.clone();
        let markers: Vec<String> = items
            .iter()
            .enumerate()
            .map(|(i, it)| match (kind, &it.marker) {
                (ListKind::Numbered, Some(m)) => m.clone(),
                (ListKind::Numbered, None) => format!("{}.", i + 1),
                _ => "•".to_string(),
            })
            .collect();
        let gutter = self.gutter(&markers, &style);
        self.open(Role::L);
        for (i, (item, marker)) in items.iter().zip(&markers).enumerate() {
            if i > 0 {
                self.space(style.line_height() * measure::LIST_ITEM_GAP, 0.0);
            }
            self.open(Role::LI);
            self.open(Role::LBody);
            self.marked_paragraph(
                marker, &style, &item.text, &style, None, item.line, width, gutter,
            );
            self.close();
            self.close();
        }
        self.close();
    }

    /// The `links:` entries no link line took: a small heading ("Links" in the issue's
    /// language, not in the outline) kept with the first URL, then each URL on its own,
    /// printed and clickable as the URL under a link line is (no QR code: those are for link
    /// lines only).
    fn links(&mut self, urls: &[String], width: f32) {
        let h = self.theme.body.line_height() * measure::HEADING_GAP;
        self.space(h, h / measure::GAP_GIVE);
        let style = self.theme.heading.clone();
        let p = Para::of(crate::model::links_heading(self.lang), &style, 0);
        let lines = self.set(&p, width, Align::Left, false);
        self.open(Role::H2);
        self.push_lines(lines, &p, 0.0, &style, Keep::Whole);
        self.close();
        self.keep_next = 1;
        self.space(h * measure::UNDER_HEADING, 0.0);
        let url_style = self.theme.link_url.clone();
        for url in urls {
            let mut up = Para::new();
            up.push(
                url,
                &url_style,
                0,
                Some(url.as_str()).filter(|u| crate::config::is_linkable(u)),
            );
            let lines = self.set(&up, width, Align::Left, false);
            self.open(Role::P);
            self.push_lines(lines, &up, 0.0, &url_style, Keep::Whole);
            self.close();
        }
    }

    /// The sender's address: one unbreakable unit.
    fn address(&mut self, lines: &[TextLine], width: f32, opts: &ComposeOptions) {
        let h = self.theme.body.line_height() * measure::HEADING_GAP;
        self.space(h, h / measure::GAP_GIVE);
        let style = self.theme.address.clone();
        // Chinese and Japanese set the sender's address flush right at the end of a text
        // (落款); Latin and Korean addresses stand flush left.
        let align = if self.locale.is_some_and(Locale::is_chinese_or_japanese) {
            Align::Right
        } else {
            Align::Left
        };
        let mut set = Vec::new();
        let mut paras = Vec::new();
        for l in lines.iter().filter(|l| !omitted(&l.text, opts)) {
            let p = Para::linked(&l.text, &style, l.line);
            set.push(self.set(&p, width, align, false));
            paras.push(p);
        }
        // The whole block is one unbreakable unit: no break before any line but the first.
        // Tagged as one grouping element, a paragraph per line.
        self.open(Role::Div);
        for (k, (lines, p)) in set.into_iter().zip(&paras).enumerate() {
            self.open(Role::P);
            let first = self.push_lines(lines, p, 0.0, &style, Keep::Whole);
            self.close();
            if k > 0 {
                self.no_break_before(first);
            }
        }
        self.close();
    }

    /// The closing lines ("Sincerely, …"), each its own paragraph.
    fn closing(&mut self, lines: &[TextLine], width: f32, opts: &ComposeOptions) {
        let h = self.theme.body.line_height() * measure::CLOSING_GAP;
        self.space(h, h / measure::CLOSING_GIVE);
        let style = self.theme.closing.clone();
        for l in lines.iter().filter(|l| !omitted(&l.text, opts)) {
            let p = Para::linked(&l.text, &style, l.line);
            let set = self.set(&p, width, Align::Left, false);
            self.open(Role::P);
            self.push_lines(set, &p, 0.0, &style, Keep::Paragraph);
            self.close();
        }
    }

    /// A "… here:" line whose target is known: the line, the URL printed for paper readers
    /// (clickable), and a QR code of the URL at the right, kept together as one unit.
    fn link_block(&mut self, text: &str, url: &str, line: u32, width: f32) {
        let body = self.theme.body.clone();
        let url_style = self.theme.link_url.clone();
        // A target quire does not link (`javascript:`, `file:` …) is printed, nothing more.
        let linkable = crate::config::is_linkable(url);
        let qr = qrcode::QrCode::new(url.as_bytes())
            .ok()
            .filter(|_| linkable);
        let qr_size = (body.line_height() * measure::QR_LINES).min(measure::QR_MAX);
        let text_width = if qr.is_some() {
            width - qr_size - body.size * measure::QR_GAP_EM
        } else {
            width
        };
        let p = Para::linked(text, &body, line);
        let lines = self.set(&p, text_width, Align::Left, true);
        // Tagged: a paragraph holding the line and the printed URL as a Link (its text and
        // its annotation); the QR code is a second Link holding a Figure with alternate text.
        let para = self.open(Role::P);
        let first = self.push_lines(lines, &p, 0.0, &body, Keep::Whole);
        let mut up = Para::new();
        up.push(url, &url_style, line, Some(url).filter(|_| linkable));
        let ulines = self.set(&up, text_width, Align::Left, false);
        self.open(if linkable { Role::Link } else { Role::Span });
        let url_first = self.push_lines(ulines, &up, 0.0, &url_style, Keep::Whole);
        self.close();
        self.close();
        self.no_break_before(url_first);
        if let Some(code) = qr {
            self.qr_code(&code, url, first, width - qr_size, qr_size, para);
        }
    }

    /// Draw a QR code at `x0` on the flow line `first`, and pad the lines from there down to
    /// the code's height with space that cannot break away.
    fn qr_code(
        &mut self,
        code: &qrcode::QrCode,
        url: &str,
        first: usize,
        x0: f32,
        size: f32,
        para: usize,
    ) {
        let total: f32 = self.flow[first..]
            .iter()
            .map(|f| match f {
                Flow::Line(l) => l.height,
                Flow::Space { height, .. } => *height,
            })
            .sum();
        let link = self.structure.add(Role::Link, para);
        let figure = self.structure.add(Role::Figure, link);
        self.structure.elems[figure].alt = Some(format!("QR code: {url}"));
        if let Some(Flow::Line(fl)) = self.flow.get_mut(first) {
            fl.items.push(Item::Begin(Mark::Elem(link)));
            fl.items.push(Item::Link {
                x: x0,
                y: 0.0,
                w: size,
                h: size,
                uri: url.to_string(),
            });
            fl.items.push(Item::Begin(Mark::Elem(figure)));
            draw_qr(&mut fl.items, code, x0, 0.0, size, self.theme.body.color);
            fl.items.push(Item::End);
            fl.items.push(Item::End);
        }
        if total < size {
            self.flow.push(Flow::Line(FlowLine {
                height: size - total,
                ..Default::default()
            }));
        }
    }
}

/// Whether quire.yaml's `print.omit` leaves this line out of print (compared trimmed).
fn omitted(text: &str, opts: &ComposeOptions) -> bool {
    opts.omit.iter().any(|o| o.trim() == text.trim())
}
