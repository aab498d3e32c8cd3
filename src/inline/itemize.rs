//! Itemize: split a paragraph's text into runs of one span and one face, choosing the face
//! per character (Latin face for Latin/Greek/Cyrillic, the regional CJK face for Han, kana,
//! Hangul, bopomofo and CJK punctuation; shared characters follow their neighbours).
//!
//! Roman numerals Ⅰ–ↈ (U+2160–U+2188), which Noto Serif/Sans lack, are drawn in Latin context
//! as their NFKC letters from the Latin face ("Ⅳ" as "IV"; the first glyph still stands for
//! "Ⅳ", so copy/paste keeps it). The alternative, taking them from the CJK face, would embed
//! a CJK face in every English issue, and subsetting one (2–10 ms measured) would be the
//! largest single cost of rendering it; in CJK context they come from the CJK face.

use std::ops::Range;

use unicode_normalization::UnicodeNormalization;

use super::Span;
use crate::diag::Diagnostic;
use crate::fonts::{FaceId, Family, FontBook, Region};
use crate::script::{classify, ScriptClass};

/// The text of one paragraph: all spans concatenated, with where each span starts.
#[derive(Debug, Clone)]
pub struct Paragraph<'a> {
    pub text: String,
    /// Byte offset of each span's first character in `text`.
    pub starts: Vec<usize>,
    pub spans: &'a [Span],
}

impl<'a> Paragraph<'a> {
    /// Concatenates the spans' texts.
    pub fn collect(spans: &'a [Span]) -> Paragraph<'a> {
        let mut text = String::new();
        let mut starts = Vec::with_capacity(spans.len());
        for s in spans {
            starts.push(text.len());
            // A tab is a word space here (fonts have no glyph for it); same length in bytes,
            // so positions stay those of the source.
            text.extend(s.text.chars().map(|c| if c == '\t' { ' ' } else { c }));
        }
        Paragraph {
            text,
            starts,
            spans,
        }
    }

    /// Index of the span that holds byte `pos` (the last span for `pos == text.len()`).
    pub fn span_at(&self, pos: usize) -> usize {
        // The last span whose start is <= pos and that is not empty at pos.
        let i = self.starts.partition_point(|&s| s <= pos);
        let mut i = i.saturating_sub(1);
        // Skip empty spans that start at the same offset as a later one.
        while i + 1 < self.starts.len() && self.starts[i + 1] == pos {
            i += 1;
        }
        i
    }

    /// Source line and column (1-based) of byte `pos`, from its span's recorded position.
    pub fn position(&self, pos: usize) -> (u32, u32) {
        let i = self.span_at(pos);
        let Some(span) = self.spans.get(i) else {
            return (0, 0);
        };
        let start = self.starts.get(i).copied().unwrap_or(0);
        let within = pos.saturating_sub(start).min(span.text.len());
        let (mut line, mut column) = (span.line, span.column);
        for c in span.text.get(..within).unwrap_or("").chars() {
            if c == '\n' {
                line += 1;
                column = 1;
            } else {
                column += 1;
            }
        }
        (line, column)
    }
}

/// True for characters that take the following strong character's class when they have a
/// choice (opening quotes).
fn is_opening(c: char) -> bool {
    matches!(
        c,
        '\u{2018}' | '\u{201A}' | '\u{201B}' | '\u{201C}' | '\u{201E}' | '\u{201F}'
    )
}

/// The CJK region for a paragraph: the language's, else inferred from the text (kana means
/// Japanese, Hangul Korean, otherwise Simplified Chinese) — also in a paragraph of another
/// language, whose quoted CJK words still need a face.
pub fn infer_region(lang: &str, text: &str) -> Region {
    crate::lang::Lang::new(lang)
        .region()
        .or_else(|| crate::lang::infer_locale(text).map(|l| l.region()))
        .unwrap_or(Region::Sc)
}

/// A run of text in one span and one face.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    /// Byte range in the paragraph text.
    pub range: Range<usize>,
    /// Index of the span the run belongs to.
    pub span: usize,
    pub face: FaceId,
    pub size: f32,
    /// True when the run was classed as CJK text (it may still be set from a Latin face).
    pub cjk: bool,
    /// Set the run as this text instead (its NFKC form: Roman numerals Ⅰ–ↈ in Latin context);
    /// the first glyph still stands for the original character.
    pub subst: Option<String>,
}

/// True for characters that draw nothing (format controls, variation selectors, newlines).
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\u{85}' | '\u{AD}' | '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}'
    )
}

/// Splits the paragraph into runs and picks each character's face. Characters no face covers
/// are reported (warning with file:line:column, once per character and paragraph) and set in
/// the primary face, whose `.notdef` box then marks the spot visibly.
pub fn itemize(
    book: &FontBook,
    para: &Paragraph,
    region: Region,
    lang: &str,
    file: &str,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Run> {
    let text = &para.text;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    // The document's side, for a mark with spaces on both sides; "" (unknown) keeps the
    // neighbours' rule.
    let doc = match lang {
        "" => None,
        l if crate::lang::Lang::new(l).locale().is_some() => Some(ScriptClass::Cjk),
        _ => Some(ScriptClass::Latin),
    };
    // Each character's class, its neutrals resolved; `None` when every one is Latin: with no
    // CJK character and a document not in a CJK language, every neutral resolves to Latin
    // (`resolve_neutrals_without_cjk_is_all_latin`), and most paragraphs skip the work.
    let resolved = if doc != Some(ScriptClass::Cjk)
        && (text.is_ascii() || !chars.iter().any(|&(_, c)| classify(c) == ScriptClass::Cjk))
    {
        None
    } else {
        let classes: Vec<ScriptClass> = chars.iter().map(|&(_, c)| classify(c)).collect();
        Some(resolve_neutrals(&chars, &classes, doc))
    };

    // The Latin and CJK face of each span's style, looked up once.
    let span_faces: Vec<(Option<FaceId>, Option<FaceId>)> = para
        .spans
        .iter()
        .map(|s| {
            let st = s.style;
            (
                book.latin(st.family, st.bold, st.italic),
                book.cjk(st.family, st.bold, region),
            )
        })
        .collect();
    let mut runs: Vec<Run> = Vec::new();
    // Each uncovered character is reported once per paragraph, at its first position.
    let mut reported: std::collections::HashSet<char> = std::collections::HashSet::new();
    // Fallback faces found, by character and style: the search asks every face of the book,
    // and a paragraph in Arabic would otherwise ask it again for every letter.
    let mut fallbacks: std::collections::HashMap<(char, Family, bool), Option<FaceId>> =
        std::collections::HashMap::new();
    let mut span_idx = 0;
    for (k, &(pos, c)) in chars.iter().enumerate() {
        while span_idx + 1 < para.starts.len() && para.starts[span_idx + 1] <= pos {
            span_idx += 1;
        }
        let (Some(span), Some(&(latin, cjk_face))) =
            (para.spans.get(span_idx), span_faces.get(span_idx))
        else {
            continue;
        };
        let st = span.style;
        let cjk = resolved
            .as_ref()
            .is_some_and(|r| r.get(k) == Some(&ScriptClass::Cjk));
        let (primary, secondary) = if cjk {
            (cjk_face, latin)
        } else {
            (latin, cjk_face)
        };
        let Some(primary) = primary else {
            continue;
        };
        let mut subst = None;
        let face = if is_invisible(c) || book.covers(primary, c) {
            primary
        } else if let Some(nfkc) = compat_form(c, primary, book) {
            subst = Some(nfkc);
            primary
        } else if let Some(f) = secondary.filter(|&f| book.covers(f, c)) {
            f
        } else if let Some(f) = *fallbacks
            .entry((c, st.family, st.bold))
            .or_insert_with(|| fallback_face(book, c, st.family, st.bold))
        {
            f
        } else if !reported.insert(c) {
            primary
        } else {
            let (line, column) = para.position(pos);
            diags.push(
                Diagnostic::warning(
                    file,
                    line,
                    column,
                    format!("no font has a glyph for U+{:04X} {:?}", c as u32, c),
                )
                .with_hint("add a face that covers it in quire.yaml, or replace the character"),
            );
            primary
        };
        let end = pos + c.len_utf8();
        let joins = subst.is_none()
            && runs.last().is_some_and(|r| {
                r.span == span_idx && r.face == face && r.cjk == cjk && r.subst.is_none()
            });
        match runs.last_mut() {
            Some(r) if joins => r.range.end = end,
            _ => runs.push(Run {
                range: pos..end,
                span: span_idx,
                face,
                size: st.size,
                cjk,
                subst,
            }),
        }
    }
    runs
}

/// A face for a character the style's own faces lack: a script fallback of the style's family
/// and weight (Noto Sans Arabic Bold for a bold sans heading), else of its weight, else any
/// face that covers it, in book order.
fn fallback_face(book: &FontBook, c: char, family: Family, bold: bool) -> Option<FaceId> {
    let covering = || book.faces().filter(move |&(id, _)| book.covers(id, c));
    covering()
        .find(|(_, f)| f.fallback == Some((family, bold)))
        .or_else(|| covering().find(|(_, f)| f.fallback.is_some_and(|(_, b)| b == bold)))
        .or_else(|| covering().next())
        .map(|(id, _)| id)
}

/// The NFKC form of a compatibility character (Roman numerals Ⅳ → "IV") when `face` covers
/// all of it; `None` otherwise.
fn compat_form(c: char, face: FaceId, book: &FontBook) -> Option<String> {
    let nfkc: String = std::iter::once(c).nfkc().collect();
    let differs = nfkc.chars().ne(std::iter::once(c));
    (differs && !nfkc.is_empty() && nfkc.chars().all(|n| book.covers(face, n))).then_some(nfkc)
}

/// Gives each neutral character a strong class from its neighbours. Spaces are CJK only
/// between CJK on both sides. A mark (a run of neutral characters: a dash, "……", quotes) is
/// set by the language of its sentence, as its spacing shows:
///
/// | the mark stands                         | it follows                | e.g. (in an English issue)   |
/// |-----------------------------------------|---------------------------|------------------------------|
/// | between a space and a CJK character     | the CJK side              | `and “和平”`: “ is CJK        |
/// | between a CJK character and a space     | the CJK side              | `“和平” and`: ” is CJK        |
/// | between a space and a Latin letter      | the Latin side            | `和平 ‘peace’`: ‘ is Latin    |
/// | between a Latin letter and a space      | the Latin side            | `peace… 和平`: … is Latin     |
/// | with spaces (or the text's ends) both sides | the document's language | `” — ‘`: — is Latin in English, CJK in Chinese |
/// | touching characters on both sides       | opening marks look forward, the rest back | `和平——合作`, `it’s` |
///
/// Dashes, ellipses, middle dots and quotes all follow the table (they are the neutral
/// characters of `script::classify`).
fn resolve_neutrals(
    chars: &[(usize, char)],
    classes: &[ScriptClass],
    doc: Option<ScriptClass>,
) -> Vec<ScriptClass> {
    let n = classes.len();
    let mut prev = vec![None; n];
    let mut last = None;
    for i in 0..n {
        prev[i] = last;
        if classes[i] != ScriptClass::Neutral {
            last = Some(classes[i]);
        }
    }
    let mut next = vec![None; n];
    let mut last = None;
    for i in (0..n).rev() {
        next[i] = last;
        if classes[i] != ScriptClass::Neutral {
            last = Some(classes[i]);
        }
    }
    let is_space = |c: char| c == ' ' || c == '\t' || c == '\u{A0}';
    // The class a mark's spacing gives it, for the mark run at `i` (None: touching both).
    // Each mark run's bounds, found in one pass each way (a run of 60,000 dashes stays
    // linear): `run_start[i]` its first index, `run_end[i]` one past its last.
    let is_mark = |k: usize| classes[k] == ScriptClass::Neutral && !is_space(chars[k].1);
    let mut run_start: Vec<usize> = (0..n).collect();
    for k in 1..n {
        if is_mark(k) && is_mark(k - 1) {
            run_start[k] = run_start[k - 1];
        }
    }
    let mut run_end: Vec<usize> = (1..=n).collect();
    for k in (0..n.saturating_sub(1)).rev() {
        if is_mark(k) && is_mark(k + 1) {
            run_end[k] = run_end[k + 1];
        }
    }
    let by_spacing = |i: usize| -> Option<ScriptClass> {
        let (a, b) = (run_start[i], run_end[i]);
        let left_space = a == 0 || is_space(chars[a - 1].1);
        let right_space = b == n || is_space(chars[b].1);
        let strong = |k: usize| Some(classes[k]).filter(|c| *c != ScriptClass::Neutral);
        match (left_space, right_space) {
            (true, true) => doc,
            (true, false) => strong(b),
            (false, true) => strong(a - 1),
            (false, false) => None,
        }
    };
    (0..n)
        .map(|i| {
            if classes[i] != ScriptClass::Neutral {
                return classes[i];
            }
            let c = chars[i].1;
            if !is_space(c) {
                if let Some(class) = by_spacing(i) {
                    return class;
                }
            }
            let choice = if is_space(c) {
                if prev[i] == Some(ScriptClass::Cjk) && next[i] == Some(ScriptClass::Cjk) {
                    Some(ScriptClass::Cjk)
                } else {
                    Some(ScriptClass::Latin)
                }
            } else if is_opening(c) {
                next[i].or(prev[i])
            } else {
                prev[i].or(next[i])
            };
            choice.unwrap_or(ScriptClass::Latin)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fonts::Family;
    use crate::inline::TextStyle;

    fn span(text: &str) -> Span {
        Span {
            text: text.to_string(),
            style: TextStyle {
                family: Family::Serif,
                bold: false,
                italic: false,
                size: 10.0,
            },
            line: 3,
            column: 5,
        }
    }

    fn faces_of(text: &str, lang: &str) -> Vec<(String, String)> {
        let book = FontBook::bundled();
        let spans = [span(text)];
        let para = Paragraph::collect(&spans);
        let region = infer_region(lang, &para.text);
        let mut diags = Vec::new();
        itemize(&book, &para, region, lang, "t", &mut diags)
            .into_iter()
            .map(|r| {
                (
                    para.text[r.range].to_string(),
                    book.face(r.face).postscript_name.clone(),
                )
            })
            .collect()
    }

    /// The class each character of `text` resolves to, as a string of L (Latin) and C (CJK).
    fn sides(text: &str, lang: &str) -> String {
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let classes: Vec<ScriptClass> = chars.iter().map(|&(_, c)| classify(c)).collect();
        let doc = match lang {
            "en" => Some(ScriptClass::Latin),
            _ => Some(ScriptClass::Cjk),
        };
        resolve_neutrals(&chars, &classes, doc)
            .iter()
            .map(|c| if *c == ScriptClass::Cjk { 'C' } else { 'L' })
            .collect()
    }

    /// The class of the first occurrence of `mark` in `text`.
    fn side_of(text: &str, mark: char, lang: &str) -> char {
        let i = text.chars().position(|c| c == mark).expect("the mark");
        sides(text, lang).chars().nth(i).unwrap()
    }

    proptest::proptest! {
        /// What `itemize` relies on to skip `resolve_neutrals`: with no CJK character and a
        /// document not in a CJK language (Latin or unknown), every character resolves to
        /// Latin, whatever the marks, spaces and letters around it.
        #[test]
        fn resolve_neutrals_without_cjk_is_all_latin(
            text in "[a-zA-Zé0-9 \t\u{A0}'\"·‐-―‘-‟‥-‧Ⅰ-ↈ.,;()αβЖ]{0,40}",
            latin_doc in proptest::bool::ANY,
        ) {
            let chars: Vec<(usize, char)> = text.char_indices().collect();
            let classes: Vec<ScriptClass> = chars.iter().map(|&(_, c)| classify(c)).collect();
            proptest::prop_assume!(!classes.contains(&ScriptClass::Cjk));
            let doc = latin_doc.then_some(ScriptClass::Latin);
            let resolved = resolve_neutrals(&chars, &classes, doc);
            proptest::prop_assert!(resolved.iter().all(|c| *c == ScriptClass::Latin));
        }
    }

    #[test]
    fn itemize_marks_follow_their_sentence() {
        // The spaced dash between a Chinese quotation and English words: the document's.
        let t = "“和平合作、开放包容” — ‘peace and cooperation’";
        assert_eq!(side_of(t, '—', "en"), 'L');
        assert_eq!(side_of(t, '—', "zh-Hans"), 'C');
        // The quotes: by the side they touch.
        assert_eq!(side_of(t, '“', "en"), 'C');
        assert_eq!(side_of(t, '”', "en"), 'C');
        assert_eq!(side_of(t, '‘', "en"), 'L');
        assert_eq!(side_of(t, '’', "en"), 'L');
        // Between a space and a CJK character: CJK; a space and a Latin letter: Latin.
        assert_eq!(side_of("and “和平” now", '“', "en"), 'C');
        assert_eq!(side_of("和平 ‘peace’", '‘', "zh-Hans"), 'L');
        // Ellipsis and middle dot, with spaces on both sides or touching one side.
        assert_eq!(side_of("peace … 和平", '…', "en"), 'L');
        assert_eq!(side_of("peace … 和平", '…', "zh-Hans"), 'C');
        assert_eq!(side_of("和平… and", '…', "en"), 'C');
        assert_eq!(side_of("Xi · Jinping", '·', "en"), 'L');
        // Touching on both sides: the neighbours' rule, as before.
        assert_eq!(side_of("和平——合作", '—', "en"), 'C');
        assert_eq!(side_of("it’s", '’', "zh-Hans"), 'L');
        assert_eq!(side_of("“和平”", '“', "en"), 'C');
    }

    #[test]
    fn itemize_spaced_dash_takes_the_latin_face_in_english() {
        let faces = faces_of("“和平合作” — ‘peace’", "en");
        let dash = faces.iter().find(|(t, _)| t.contains('—')).unwrap();
        assert!(!dash.1.contains("CJK"), "{faces:?}");
        let quote = faces.iter().find(|(t, _)| t.contains('“')).unwrap();
        assert!(quote.1.contains("CJK"), "{faces:?}");
    }

    #[test]
    fn itemize_apostrophe_in_latin_stays_latin() {
        let runs = faces_of("China’s “plan”", "en");
        assert_eq!(runs.len(), 1);
        assert_eq!(runs[0].1, "NotoSerif-Regular");
    }

    #[test]
    fn itemize_quotes_in_chinese_take_the_cjk_face() {
        let runs = faces_of("他说“中文引号”和「引号」。", "zh-Hans");
        assert_eq!(runs.len(), 1, "{runs:?}");
        assert_eq!(runs[0].1, "NotoSerifCJKsc-Regular");
    }

    #[test]
    fn itemize_region_inferred_from_kana_and_hangul() {
        assert_eq!(infer_region("", "日本語のテキスト"), Region::Jp);
        assert_eq!(infer_region("", "한국어 텍스트"), Region::Kr);
        assert_eq!(infer_region("", "中文"), Region::Sc);
        assert_eq!(infer_region("zh-Hant", "中文"), Region::Tc);
    }

    #[test]
    fn itemize_roman_numeral_in_latin_is_substituted() {
        let book = FontBook::bundled();
        let spans = [span("Issue Ⅳ of")];
        let para = Paragraph::collect(&spans);
        let mut diags = Vec::new();
        let runs = itemize(&book, &para, Region::Sc, "", "t", &mut diags);
        let r = runs
            .iter()
            .find(|r| r.subst.is_some())
            .expect("a substituted run");
        assert_eq!(r.subst.as_deref(), Some("IV"));
        assert_eq!(book.face(r.face).postscript_name, "NotoSerif-Regular");
        assert!(diags.is_empty());
    }

    #[test]
    fn itemize_tab_is_a_space_not_an_uncovered_character() {
        let book = FontBook::bundled();
        let spans = [span("a\tb")];
        let para = Paragraph::collect(&spans);
        assert_eq!(para.text, "a b");
        let mut diags = Vec::new();
        itemize(&book, &para, Region::Sc, "", "t", &mut diags);
        assert!(diags.is_empty(), "{diags:?}");
    }

    #[test]
    fn itemize_uncovered_character_is_reported_with_position() {
        let book = FontBook::bundled();
        let spans = [span("ab\u{13000}c\u{13000}")];
        let para = Paragraph::collect(&spans);
        let mut diags = Vec::new();
        itemize(&book, &para, Region::Sc, "", "issue.txt", &mut diags);
        assert_eq!(diags.len(), 1);
        assert_eq!((diags[0].line, diags[0].column), (3, 7));
        assert!(diags[0].message.contains("U+13000"), "{}", diags[0].message);
    }
}
