//! Inline layout: the styled spans of one paragraph in, lines of positioned glyphs out.
//!
//! One stage per file, called in this order by [`layout_paragraph`]:
//!
//! ```text
//! itemize   : runs of one span and one face (per-character font choice)
//! breaks    : break opportunities with penalties (UAX #14, hyphenation, URLs)
//! shape     : glyphs with advances (rustybuzz), cached per face and word
//! prepare   : boxes, glue and penalties for the line breaker
//! linebreak : Knuth–Plass total fit, greedy as the fallback
//! line      : lines of glyph runs, justified and aligned
//! ```

mod bidi;
mod breaks;
mod itemize;
mod line;
mod linebreak;
mod prepare;
mod shape;

pub use bidi::starts_right_to_left;
pub use shape::Shaper;

use std::fmt::Write as _;

use crate::diag::Diagnostic;
pub use crate::fonts::Family;
use crate::fonts::FontBook;
use crate::layout::GlyphRun;

/// Largest adjustment ratio of the first Knuth–Plass pass: word spaces at most `MAX_SPACE_EM`.
pub const JUSTIFY_TOLERANCE: f32 = 1.0;
/// The ragged margin's stretch per line in em (TeX's `\rightskip 0pt plus 3em` idea): lines
/// may end up to about this much short before the breaker calls them bad.
pub const RAGGED_STRETCH_EM: f32 = 3.0;
/// Emergency stretch of the last-resort pass in em (TeX's `\emergencystretch`): enough to
/// rank short URL pieces by their gap; such lines may have spaces wider than `MAX_SPACE_EM`.
pub const EMERGENCY_STRETCH_EM: f32 = 3.0;

/// Paragraphs of more items (boxes, glue, penalties) than this are broken first fit, as
/// `linebreak::greedy` does, instead of by Knuth–Plass: about 40,000 words of Latin text, or
/// 200,000 characters without a space (each a possible emergency break), some fifty times a
/// long real paragraph. Knuth–Plass is linear too, but its work per breakpoint is the number
/// of breakpoints that fit in a line (up to ~100 in a word without spaces, each in four fitness
/// classes) and it keeps a node per feasible break until the end: over a 10 MB paragraph that
/// was 4 s and 500 MB per MB of text. First fit keeps only the breaks.
pub const OPTIMAL_FIT_MAX_ITEMS: usize = 200_000;

/// Badness factor of a Chinese or Japanese line that shrinks to keep a mark that may not start
/// the next line: JIS X 4051's push-in priority (JLREQ §3.1.8, §3.8). Compressing the line's
/// punctuation by its whole capacity then costs what stretching its inter-character glue by a
/// fifth costs, so the mark is pulled in whenever the line's marks can make room, and the last
/// character pushed out only when they cannot. Other lines shrink at full cost.
pub const PUSH_IN_WEIGHT: f32 = 0.008;

/// How a span's text looks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TextStyle {
    /// Serif or sans: with `bold` and `italic` it picks the face (bundled or the user's).
    pub family: Family,
    /// Bold weight; regular when false.
    pub bold: bool,
    /// Italic; upright when false.
    pub italic: bool,
    /// Font size in pt.
    pub size: f32,
}

/// A piece of paragraph text in one style.
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    /// The span's text; a newline in it forces a line break.
    pub text: String,
    /// Face choice and size for the whole span.
    pub style: TextStyle,
    /// Source position of the span's first character (1-based), for diagnostics.
    pub line: u32,
    /// Column of that character, in characters (1-based); 0 with line 0 when the text is
    /// not from the source (a marker, a footer).
    pub column: u32,
}

/// How lines sit on the measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Flush at both edges, the last line ragged.
    Justify,
    /// Flush left, ragged right.
    Left,
    /// Centred on the measure (a volume's title page).
    Center,
    /// Flush right, ragged left (page numbers; a Chinese or Japanese sender's address).
    Right,
}

/// One paragraph to set.
#[derive(Debug, Clone, Copy)]
pub struct ParagraphSpec<'a> {
    /// The paragraph's text, span by span in reading order.
    pub spans: &'a [Span],
    /// BCP 47: en, zh-Hans, zh-Hant, ja, ko; "" infers CJK regions from the text.
    pub lang: &'a str,
    /// The measure in pt.
    pub width: f32,
    /// How the lines sit on the measure.
    pub align: Align,
    /// Whether words may break at hyphenation points; URLs break at their own points
    /// whether or not.
    pub hyphenate: bool,
    /// Optical margin alignment of justified lines: end punctuation and hyphens hang into the
    /// right margin, opening quotes and brackets into the left (`prepare::PROTRUSION`).
    pub protrusion: bool,
}

/// Why a line ends where it does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BreakKind {
    /// At a space or another break UAX #14 allows.
    Normal,
    /// At a hyphenation point; the line ends with an added hyphen.
    Hyphen,
    /// At a newline in the text.
    Forced,
    /// Inside a word too wide for the measure.
    Emergency,
    /// The paragraph's last line.
    Last,
}

/// One set line.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// Glyph runs in visual order; a new run starts where the span, face or size changes.
    pub runs: Vec<LineRun>,
    /// Width the line's content occupies after justification, pt.
    pub width: f32,
    /// Width at natural spacing, pt.
    pub natural_width: f32,
    /// Largest ascent of the faces used, pt above the baseline.
    pub ascent: f32,
    /// Largest descent of the faces used, pt, positive below the baseline.
    pub descent: f32,
    /// Adjustment ratio: 0 natural, 1 spaces at `MAX_SPACE_EM`, -1 at `MIN_SPACE_EM`
    /// (infinite for a line without any stretch that had to be short).
    pub ratio: f32,
    /// Why the line ends where it does.
    pub break_kind: BreakKind,
    /// What the line reads (with an added hyphen at a hyphenation break).
    pub text: String,
}

/// A glyph run placed on a line.
#[derive(Debug, Clone, PartialEq)]
pub struct LineRun {
    /// Run origin from the line start, pt.
    pub x: f32,
    /// Index into the paragraph's spans.
    pub span: usize,
    /// The glyphs, placed relative to `x` on the line's baseline.
    pub run: GlyphRun,
}

/// Sets one paragraph into lines no wider than `spec.width` (unless one cluster is wider).
/// Characters no face covers are reported in `diags` against `file`.
pub fn layout_paragraph(
    book: &FontBook,
    spec: &ParagraphSpec,
    file: &str,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Line> {
    let mut shaper = shape::Shaper::new(book, spec.lang);
    layout_paragraph_with(&mut shaper, spec, file, diags)
}

/// [`layout_paragraph`] with a shaper kept across paragraphs (make one per document with
/// `Shaper::new(book, lang)`): words and shape plans are then shaped and compiled once per
/// document instead of once per paragraph.
pub fn layout_paragraph_with(
    shaper: &mut shape::Shaper,
    spec: &ParagraphSpec,
    file: &str,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Line> {
    let book = shaper.book();
    shaper.set_language(spec.lang);
    // collect: the spans' text as one string
    let para = itemize::Paragraph::collect(spec.spans);
    if para.text.is_empty() {
        return Vec::new();
    }
    // itemize: a face per character, runs per span and face
    let region = itemize::infer_region(spec.lang, &para.text);
    let runs = itemize::itemize(book, &para, region, spec.lang, file, diags);
    // breaks: where lines may end and what each costs
    let mut opps = breaks::opportunities(&para.text, spec.lang, spec.hyphenate);
    let locale = region.locale();
    breaks::apply_cjk_rules(&para.text, &mut opps, locale);
    // shape + prepare: glyphs, then boxes, glue and penalties
    let justify = spec.align == Align::Justify;
    let lead = lead_trim(&para.text, locale);
    let mut prep = prepare::prepare(shaper, &para, &runs, &opps, spec.width, justify, lead);
    prep.cjk_gaps_last =
        !spec.lang.is_empty() && crate::lang::Lang::new(spec.lang).locale().is_none();
    // Right-to-left text keeps its edges (its marks hang on the other side).
    // Chinese, Japanese and Korean lines stay flush at both edges (no burasage; Korean sets
    // its Western stops inside the measure too).
    if justify && spec.protrusion && prep.cjk_gaps_last && !bidi::has_rtl(&para.text) {
        prepare::protrusions(&mut prep, &para.text);
    }
    // linebreak: total fit, looser if needed, greedy as the last resort
    let em = spec.spans.first().map_or(10.0, |s| s.style.size);
    let ragged_stretch = if justify { 0.0 } else { RAGGED_STRETCH_EM * em };
    let params = linebreak::Params {
        protrude: &prep.protrude,
        width: spec.width,
        tolerance: JUSTIFY_TOLERANCE,
        ragged_stretch,
        emergency_stretch: 0.0,
        shrink_weight: if locale != crate::cjk::Locale::Ko
            && !para.text.is_ascii()
            && para.text.chars().any(crate::cjk::is_cjk_solid)
        {
            PUSH_IN_WEIGHT
        } else {
            1.0
        },
    };
    let loose = linebreak::Params {
        tolerance: f32::INFINITY,
        emergency_stretch: EMERGENCY_STRETCH_EM * em,
        ..params
    };
    let breaks = if prep.items.len() > OPTIMAL_FIT_MAX_ITEMS {
        // Far beyond any real paragraph: first fit, linear and without the breaker's nodes.
        linebreak::greedy(&prep.items, &params)
    } else {
        linebreak::knuth_plass_push_in(&prep.items, &params, &prep.push_in)
            .or_else(|| linebreak::knuth_plass_push_in(&prep.items, &loose, &prep.push_in))
            .unwrap_or_else(|| linebreak::greedy(&prep.items, &params))
    };
    // line: glyph runs, justified and aligned
    line::build(book, &para, &prep, &breaks, spec.width, spec.align)
}

/// The blank (em) a paragraph's first character drops at the head of the first line: an
/// opening bracket's half em (JLREQ §3.1.5, CLREQ §6.3.2.3), after an indent too (typst#2348).
fn lead_trim(text: &str, locale: crate::cjk::Locale) -> f32 {
    let mut chars = text.chars();
    let (Some(c), next) = (chars.next(), chars.next()) else {
        return 0.0;
    };
    let fullwidth = crate::script::classify(c) == crate::script::ScriptClass::Cjk
        || crate::cjk::quote_is_fullwidth(None, c, next, locale);
    if fullwidth {
        crate::cjk::line_start_trim(c, locale)
    } else {
        0.0
    }
}

/// Natural width of `spans` set on one unbroken line, pt.
pub fn measure(book: &FontBook, spans: &[Span], lang: &str) -> f32 {
    measure_with(&mut shape::Shaper::new(book, lang), spans, lang)
}

/// [`measure`] with a shaper kept across calls (a document's running heads, a list's
/// markers): its shape plans are compiled once, not once per measured text.
pub fn measure_with(shaper: &mut shape::Shaper, spans: &[Span], lang: &str) -> f32 {
    let book = shaper.book();
    shaper.set_language(lang);
    let para = itemize::Paragraph::collect(spans);
    if para.text.is_empty() {
        return 0.0;
    }
    let region = itemize::infer_region(lang, &para.text);
    let mut sink = Vec::new();
    let runs = itemize::itemize(book, &para, region, lang, "", &mut sink);
    let mut opps = breaks::opportunities(&para.text, lang, false);
    let locale = region.locale();
    breaks::apply_cjk_rules(&para.text, &mut opps, locale);
    let lead = lead_trim(&para.text, locale);
    let prep = prepare::prepare(shaper, &para, &runs, &opps, f32::INFINITY, false, lead);
    // Trailing glue would sit at the line end: the last box ends the line.
    let last_box = prep
        .items
        .iter()
        .rposition(|i| matches!(i, linebreak::Item::Box { .. }));
    prep.items[..last_box.map_or(0, |i| i + 1)]
        .iter()
        .map(|i| match *i {
            linebreak::Item::Box { width } | linebreak::Item::Glue { width, .. } => width,
            linebreak::Item::Penalty { .. } => 0.0,
        })
        .sum()
}

/// One text line per `Line`: number, break kind, set and natural width, ratio, text.
pub fn dump_lines(lines: &[Line]) -> String {
    let mut out = String::new();
    for (i, l) in lines.iter().enumerate() {
        let kind = match l.break_kind {
            BreakKind::Normal => "normal",
            BreakKind::Hyphen => "hyphen",
            BreakKind::Forced => "forced",
            BreakKind::Emergency => "emergency",
            BreakKind::Last => "last",
        };
        let _ = writeln!(
            out,
            "{:>3} {:<9} w={:7.2} nat={:7.2} r={:+.3} |{}|",
            i + 1,
            kind,
            l.width,
            l.natural_width,
            // `+ 0.0` prints a negative zero as +0.000.
            l.ratio + 0.0,
            l.text
        );
    }
    out
}

/// The glyph runs of each line: face, size, x, and the text each run stands for, one run a
/// line (for snapshots of which face set what, and where).
pub fn dump_runs(book: &FontBook, lines: &[Line]) -> String {
    let mut out = String::new();
    for (i, l) in lines.iter().enumerate() {
        let _ = writeln!(out, "line {}: {:?}", i + 1, l.text);
        for r in &l.runs {
            let name = book
                .faces()
                .nth(usize::from(r.run.face.0))
                .map_or("?", |(_, f)| f.postscript_name.as_str());
            let text = &r.run.text;
            let _ = writeln!(
                out,
                "  x={:7.2} {} {}pt {} glyphs {:?}",
                r.x,
                name,
                r.run.size,
                r.run.glyphs.len(),
                text
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Plain Noto Serif text at `size` pt.
    fn serif(text: &str, size: f32) -> Span {
        Span {
            text: text.to_string(),
            style: TextStyle {
                family: Family::Serif,
                bold: false,
                italic: false,
                size,
            },
            line: 1,
            column: 1,
        }
    }

    /// One justified paragraph of serif text.
    fn justified(text: &str, lang: &str, size: f32, width: f32, hyphenate: bool) -> Vec<Line> {
        let book = FontBook::bundled();
        let spans = [serif(text, size)];
        let spec = ParagraphSpec {
            spans: &spans,
            lang,
            width,
            align: Align::Justify,
            hyphenate,
            protrusion: false,
        };
        layout_paragraph(&book, &spec, "t", &mut Vec::new())
    }

    fn set(text: &str, lang: &str, width: f32) -> Vec<Line> {
        justified(text, lang, 10.0, width, false)
    }

    #[test]
    fn inline_line_and_glyph_texts_agree() {
        // Line texts are copied a stretch of the paragraph at a time: each glyph's text (a
        // ligature's, a cluster's continuation, a hyphen) still reads back from its run, the
        // runs make the line's text, and the lines make the paragraph's words.
        let cases = [
            (
                "Efficient offices affirm the fluffy, difficult afflictions of official \
                 staff; the Commissioner's office of affluent suffixes finds Ⅳ and Ⅶ.",
                "en",
            ),
            ("Ведомство опубликовало информационный бюллетень.", "ru"),
            (
                "外交部发言人表示，中方愿同各方一道，推动构建人类命运共同体。",
                "zh-Hans",
            ),
            ("وزارة الخارجية تنشر النشرة الإخبارية الشهرية للسفارة.", "ar"),
        ];
        let mut hyphens = 0;
        for (text, lang) in cases {
            for width in [60.0, 90.0, 140.0] {
                let lines = justified(text, lang, 10.0, width, true);
                hyphens += lines
                    .iter()
                    .filter(|l| l.break_kind == BreakKind::Hyphen)
                    .count();
                let mut words = String::new();
                for line in &lines {
                    // (Runs and their glyphs are in visual order: right-to-left text reads
                    // backwards in them.)
                    let runs: String = line.runs.iter().map(|r| r.run.text.as_str()).collect();
                    if lang != "ar" {
                        assert_eq!(runs, line.text, "{}", dump_lines(&lines));
                    }
                    for r in &line.runs {
                        let glyphs: String = (0..r.run.glyphs.len())
                            .map(|i| r.run.glyph_text(i))
                            .collect();
                        assert_eq!(glyphs, r.run.text, "{}", dump_lines(&lines));
                    }
                    let t = if line.break_kind == BreakKind::Hyphen {
                        line.text.strip_suffix('-').expect("a hyphen ends the line")
                    } else {
                        line.text.as_str()
                    };
                    words.push_str(t);
                }
                let squeeze =
                    |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
                if lang != "ar" {
                    assert_eq!(squeeze(&words), squeeze(text), "{}", dump_lines(&lines));
                }
                assert!(lines.len() > 1, "{lang} at {width}: {}", dump_lines(&lines));
            }
        }
        assert!(hyphens >= 3, "{hyphens} hyphenated lines");
    }

    #[test]
    fn inline_runs_keep_room_for_the_line_end_space() {
        // compose pushes a space glyph after a line's last run; a full run would double its
        // capacity for it (every laid-out glyph of a long issue stays until its pages are
        // written).
        let mut spans = vec![serif("Office of the Commissioner for ", 10.0)];
        let mut bold = serif("Foreign Affairs", 10.0);
        bold.style.bold = true;
        spans.push(bold);
        spans.push(serif(
            " in the city of Hong Kong, ".repeat(6).as_str(),
            10.0,
        ));
        let book = FontBook::bundled();
        let spec = ParagraphSpec {
            spans: &spans,
            lang: "en",
            width: 200.0,
            align: Align::Justify,
            hyphenate: false,
            protrusion: false,
        };
        let lines = layout_paragraph(&book, &spec, "t", &mut Vec::new());
        assert!(lines.len() > 2 && lines.iter().any(|l| l.runs.len() > 1));
        for line in &lines {
            assert_eq!(line.runs.capacity(), line.runs.len());
            assert_eq!(line.text.capacity(), line.text.len());
        }
        for run in lines.iter().flat_map(|l| &l.runs) {
            assert_eq!(run.run.glyphs.capacity(), run.run.glyphs.len() + 1);
            assert_eq!(run.run.text.capacity(), run.run.text.len() + 1);
        }
    }

    #[test]
    fn inline_cjk_push_in_before_push_out() {
        // JLREQ §3.1.8, §3.8 (JIS X 4051 push-in priority): 。 may not start a line; the two
        // commas' blank halves (JLREQ Appendix D) make room for it on a 10 em line, so it is
        // pulled in rather than "く" pushed out.
        let lines = set("あいう、えお、かきく。けこさしすせそ", "ja", 100.0);
        assert_eq!(
            lines[0].text,
            "あいう、えお、かきく。",
            "{}",
            dump_lines(&lines)
        );
        assert!(lines[0].ratio < 0.0 && lines[0].ratio >= -1.0);
    }

    #[test]
    fn inline_cjk_paragraph_opening_bracket_starts_with_its_ink() {
        // JLREQ §3.1.5: the first line's 「 drops its leading half em too.
        let lines = set("「大使館」ニュース", "ja", 100.0);
        assert!(
            (lines[0].runs[0].x + 5.0).abs() < 0.01,
            "x = {}",
            lines[0].runs[0].x
        );
        let lines = set("“构建”共同体", "zh-Hans", 100.0);
        assert!(
            (lines[0].runs[0].x + 5.0).abs() < 0.01,
            "x = {}",
            lines[0].runs[0].x
        );
    }

    #[test]
    fn inline_cjk_push_out_when_push_in_cannot_make_room() {
        // JLREQ §3.1.8: no mark to compress, so the last character goes with 。 to the next line.
        let lines = set("あいうえおかきくけこ。さしすせそ", "ja", 100.0);
        assert_eq!(
            lines[0].text,
            "あいうえおかきくけ",
            "{}",
            dump_lines(&lines)
        );
        assert!(lines[1].text.starts_with("こ。"));
        assert!(
            (lines[0].width - 100.0).abs() < 0.01,
            "flush: {}",
            lines[0].width
        );
    }

    #[test]
    fn inline_cjk_adjacent_marks_set_in_one_and_a_half_em() {
        // JLREQ §3.1.4, CLREQ §6.3.2: 。「 at natural width is 1.5 em, not 2.
        let book = FontBook::bundled();
        let span = |t: &str| serif(t, 10.0);
        let pair = measure(&book, &[span("文。「文")], "ja");
        assert!((pair - 35.0).abs() < 0.01, "{pair}");
        let hans = measure(&book, &[span("文”）文")], "zh-Hans");
        assert!((hans - 35.0).abs() < 0.01, "{hans}");
    }

    #[test]
    fn inline_cjk_autospace_quarter_em_around_digits() {
        // JLREQ §3.2, CLREQ §6.3.3: 年9月 gains a quarter em on each side of the digit.
        let book = FontBook::bundled();
        let span = |t: &str| serif(t, 10.0);
        let spaced = measure(&book, &[span("年9月")], "zh-Hans");
        let digit = measure(&book, &[span("9")], "zh-Hans");
        assert!(
            (spaced - (20.0 + digit + 5.0)).abs() < 0.01,
            "{spaced} {digit}"
        );
    }

    #[test]
    fn inline_cjk_opening_bracket_at_line_start_is_pulled_into_the_margin() {
        // JLREQ §3.1.5: a line-head 「 drops its leading half em, so its ink meets the edge.
        let lines = set("あいうえおかきくけこ「さしすせそ」", "ja", 100.0);
        let second = &lines[1];
        assert!(second.text.starts_with('「'), "{}", dump_lines(&lines));
        assert!(
            (second.runs[0].x + 5.0).abs() < 0.01,
            "x = {}",
            second.runs[0].x
        );
    }

    fn set_en(text: &str, width: f32) -> Vec<Line> {
        justified(text, "en", 10.5, width, true)
    }

    #[test]
    fn inline_letter_space_keeps_word_spaces_within_half_an_em() {
        // The sample's bullet set at ratio 1.025 (spaces 0.506 em) with word spaces alone;
        // ±1.5 % letter-space makes every measure feasible at ratio <= 1.
        let text = "Supporting the formulation of cyberspace trade rules and effective policy \
                    coordination, promoting the cooperation of digital economy among countries.";
        let mut widths_checked = 0;
        for width in (240..=460).step_by(5) {
            let lines = set_en(text, width as f32);
            for l in &lines[..lines.len() - 1] {
                assert!(l.ratio <= 1.0, "{width}: {}", dump_lines(&lines));
            }
            widths_checked += 1;
        }
        assert!(widths_checked > 40);
    }

    #[test]
    fn inline_letter_space_stays_within_one_and_a_half_percent() {
        let lines = set_en(
            "Supporting the formulation of cyberspace trade rules and effective policy \
             coordination, promoting the cooperation of digital economy among countries.",
            300.0,
        );
        for l in &lines {
            for r in &l.runs {
                let glyphs: Vec<_> = r.run.texts().collect();
                for w in glyphs.windows(2) {
                    let ((a, ta), (b, tb)) = (w[0], w[1]);
                    if ta == " " || tb == " " {
                        continue;
                    }
                    let track = b.x - a.x - a.advance;
                    assert!(
                        track.abs() <= prepare::LETTER_SPACE_EM * 10.5 + 1e-3,
                        "{track} in {}",
                        l.text
                    );
                }
            }
        }
    }

    #[test]
    fn inline_letter_space_not_used_in_chinese_paragraphs() {
        // CLREQ §6.2.2: Chinese justifies between characters; its Latin words keep their tracking.
        let lines = set(
            "在UN框架下推动落实《2030年可持续发展议程》，携手应对人类面临的共同挑战。",
            "zh-Hans",
            150.0,
        );
        for l in &lines {
            for r in &l.runs {
                let glyphs: Vec<_> = r.run.texts().collect();
                for w in glyphs.windows(2) {
                    let ((a, ta), (b, tb)) = (w[0], w[1]);
                    if ta.is_ascii() && tb.is_ascii() {
                        let track = b.x - a.x - a.advance;
                        assert!(track.abs() < 1e-3, "{track} in {}", l.text);
                    }
                }
            }
        }
    }
}
