//! Draws set lines as SVG glyph outlines, so the typesetting can be looked at before the PDF
//! writer exists: `QUIRE_SVG=/tmp/quire.svg cargo test --test typeset_svg`, then convert it.

use std::fmt::Write as _;

use quire::fonts::{Family, FontBook};
use quire::inline::{layout_paragraph, Align, Line, ParagraphSpec, Span, TextStyle};

/// SVG path data from a glyph outline, in font units (y up).
struct PathData(String);

impl ttf_parser::OutlineBuilder for PathData {
    fn move_to(&mut self, x: f32, y: f32) {
        let _ = write!(self.0, "M{x} {y}");
    }
    fn line_to(&mut self, x: f32, y: f32) {
        let _ = write!(self.0, "L{x} {y}");
    }
    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        let _ = write!(self.0, "Q{x1} {y1} {x} {y}");
    }
    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        let _ = write!(self.0, "C{x1} {y1} {x2} {y2} {x} {y}");
    }
    fn close(&mut self) {
        self.0.push('Z');
    }
}

/// Appends `lines` at (x0, y) to `svg`; returns the next baseline's y and the glyphs drawn
/// without an outline that are not spaces.
fn draw(book: &FontBook, lines: &[Line], x0: f32, mut y: f32, svg: &mut String) -> (f32, usize) {
    let mut blank = 0;
    for l in lines {
        y += l.ascent;
        for r in &l.runs {
            let Some(face) = book.shaper(r.run.face) else {
                continue;
            };
            let s = r.run.size / f32::from(face.units_per_em() as u16);
            for (g, text) in r.run.texts() {
                let mut p = PathData(String::new());
                if face
                    .outline_glyph(ttf_parser::GlyphId(g.id), &mut p)
                    .is_none()
                {
                    if !text.trim().is_empty() {
                        blank += 1;
                    }
                    continue;
                }
                let _ = writeln!(
                    svg,
                    r#"<path transform="translate({} {}) scale({s} {})" d="{}"/>"#,
                    x0 + r.x + g.x,
                    y + g.y,
                    -s,
                    p.0
                );
            }
        }
        y += l.descent + 2.0;
    }
    (y, blank)
}

fn spans(text: &str, size: f32) -> Vec<Span> {
    vec![Span {
        text: text.to_string(),
        style: TextStyle {
            family: Family::Serif,
            bold: false,
            italic: false,
            size,
        },
        line: 1,
        column: 1,
    }]
}

#[test]
fn typeset_svg_every_visible_glyph_has_an_outline() {
    let book = FontBook::bundled();
    let sample = include_str!("fixtures/embassy-newsletter-2017-04.txt");
    let mut svg = String::new();
    let (x0, width) = (36.0, 468.0);
    let mut y = 36.0;
    let mut blank = 0;
    let paras: Vec<(&str, &str, f32, Align)> = vec![
        ("en", "NEWSLETTER Issue Ⅳ of 2017", 16.0, Align::Center),
        ("en", "the Belt and Road Initiative (一带一路) — China’s “plan”, AV To office", 10.5, Align::Left),
        ("zh-Hans", "3月1日，外交部和国家互联网信息办公室共同发布《网络空间国际合作战略》。这是中国就网络问题首次发布国际战略，全面宣示了中国在网络空间相关国际问题上的政策立场——“构建网络空间命运共同体”。", 10.5, Align::Justify),
        ("ja", "「大使館ニュースレター」は、毎月発行されます。ちょっと待ってください。コーヒーを飲みながら、ニュースを読みましょう。", 10.5, Align::Justify),
        ("ko", "대사관 뉴스레터는 매달 발행됩니다. 여러분의 의견을 환영합니다. 언제든지 연락해 주십시오.", 10.5, Align::Justify),
    ];
    let body: Vec<String> = sample
        .split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| p.len() > 120)
        .take(6)
        .collect();
    let mut all: Vec<(&str, String, f32, Align)> = paras
        .into_iter()
        .map(|(l, t, s, a)| (l, t.to_string(), s, a))
        .collect();
    all.extend(body.into_iter().map(|t| ("en", t, 10.5, Align::Justify)));
    for (lang, text, size, align) in &all {
        let sp = spans(text, *size);
        let spec = ParagraphSpec {
            spans: &sp,
            lang,
            width,
            align: *align,
            hyphenate: true,
            protrusion: false,
        };
        let lines = layout_paragraph(&book, &spec, "svg", &mut Vec::new());
        let (ny, b) = draw(&book, &lines, x0, y, &mut svg);
        y = ny + 8.0;
        blank += b;
    }
    assert_eq!(
        blank, 0,
        "glyphs without outlines (boxes or missing glyphs)"
    );
    if let Some(path) = std::env::var_os("QUIRE_SVG") {
        let doc = format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="540" height="{}" viewBox="0 0 540 {}"><rect width="100%" height="100%" fill="white"/><line x1="{x0}" y1="0" x2="{x0}" y2="{y}" stroke="red" stroke-width="0.3"/><line x1="{}" y1="0" x2="{}" y2="{y}" stroke="red" stroke-width="0.3"/>{svg}</svg>"#,
            y + 36.0,
            y + 36.0,
            x0 + width,
            x0 + width
        );
        std::fs::write(path, doc).expect("write svg");
    }
}
