//! CJK typesetting rules: character classes, line-break prohibitions (kinsoku), punctuation
//! widths and compression, auto-spacing and justification opportunities for Chinese, Japanese
//! and Korean, after the W3C layout requirements (CLREQ, JLREQ, KLREQ).
//!
//! This module is pure: it answers questions about characters and character pairs and never
//! shapes, measures or breaks text itself. The line breaker (`src/inline/`) asks it where a
//! break is legal, how much each mark may shrink, and where stretch may go. All amounts are in
//! ems of the font size.
//!
//! Section numbers: JLREQ as in the W3C Note of 11 August 2020; CLREQ and KLREQ as in the
//! current Group Note Drafts (<https://www.w3.org/TR/clreq/>, <https://www.w3.org/TR/klreq/>).
//!
//! # Rule summary
//!
//! | Rule | Source | Function |
//! |---|---|---|
//! | Character classes cl-01 … cl-11 (opening and closing brackets, hyphens, dividing marks, middle dots, full stops, commas, inseparable marks, iteration marks, prolonged sound mark, small kana) | JLREQ Appendix A | [`punct_class`] |
//! | Closing brackets and quotes, hyphens, ？！, ・：；·, 。．, 、，, ‥ …, iteration marks, ー and small kana never start a line; Chinese at CLREQ's strict level (also solidi, dashes) | JLREQ §3.1.7; CLREQ §6.1.1; KLREQ §7.1.2 | [`may_start_line`], [`may_start_line_with`] |
//! | Opening brackets and quotes never end a line (Chinese GB/strict: nor a solidus) | JLREQ §3.1.8; CLREQ §6.1.1; KLREQ §7.1.3 | [`may_end_line`], [`may_end_line_with`] |
//! | —— …… ‥‥, digit runs, ￥5, 5％ are never split | JLREQ §3.1.10; CLREQ §6.1.2; KLREQ §7.1.4 | [`inseparable`] |
//! | Korean breaks between words (at spaces), not between syllables | KLREQ §7.1.1, §7.1.4 | [`korean_break_ok`] |
//! | Where the ink sits in the em box: GB (Simplified) puts 。，、：；？！ in the left half, Taiwan/Hong Kong centre them, JIS puts 。、 in the corner and centres ・：； | CLREQ §6.3.2; JLREQ §3.1.2 | [`blank_side`] |
//! | Two adjacent full-width marks (2 em) shrink to 1.5 em: ”）, 。」, ），, 」「, 、「 | JLREQ §3.1.4; CLREQ §6.3.2 | [`adjacent_compression`] |
//! | An opening bracket at line head may drop its leading half-em blank | JLREQ §3.1.5; CLREQ §6.3.2.3 | [`line_start_trim`] |
//! | Push-in before push-out: the glue between two characters may shrink by their marks' blank halves (JIS keeps the full stop's half em mid-line); a line that must keep a mark that may not start the next line prefers shrinking to pushing out | JLREQ §3.1.7, §3.8, Appendix D; CLREQ §6.1.1, §6.3.2.3 | [`boundary_shrink`] (via [`pair_rules`]); the breaker's push-in weight in `inline::linebreak::knuth_plass_push_in` |
//! | Quarter-em space between Han/kana and Latin letters or digits, none where punctuation intervenes | JLREQ §3.2 (Appendix B, cl-27 after cl-19); CLREQ §6.3.3 | [`autospace`] |
//! | Justification stretches between characters, never inside a bracketed pair's binding side or an inseparable pair; Korean stretches at word spaces | JLREQ §3.8, Appendix E; CLREQ §6.2.2; KLREQ §7.2.2 | [`inter_char_stretch_ok`] |
//! | A hard line break in the source joins Chinese/Japanese lines with nothing and Latin or Korean lines with a space | CLREQ §6.3.3 (no space inside Chinese text); KLREQ §5.2 (Korean spaces words) | [`join_wrapped_lines`], called by the parser for every wrapped line |
//! | The apostrophe in "China's" and curly quotes in Latin context are Latin punctuation, never full-width | CLREQ §6.3.3; typst-doc-cn/clreq (Typst sets them full-width) | [`quote_is_fullwidth`] |
//! | Everything the breaker asks of one boundary at once | all of the above | [`break_allowed`], [`pair_rules`] |
//!
//! Strictness: the rules implement the *strict* line-start prohibitions of JLREQ §3.1.7 (small
//! kana and ー never start a line; the looser newspaper practice is not offered) and, for
//! Chinese, CLREQ §6.1.1's strict level by default (the other levels through
//! [`ChineseKinsoku`]); CLREQ asks for one level per document.
//!
//! No hanging punctuation: most Chinese publications do not hang point marks at line end
//! (CLREQ §6.1.3), and JIS hanging (ぶら下げ組) is an option quire does not take, so
//! every mark stays inside the measure and a line's right edge is its last ink plus any blank
//! not trimmed.
//!
//! Bundled faces: the Noto CJK faces' `halt` feature removes exactly the blanks
//! [`blank_side`] reports (checked by a unit test for SC, TC, JP and KR), so a shaper may apply
//! `halt` per glyph where a blank is removed, or adjust advances by the same amounts. The faces
//! have no working `chws`. `——` shapes to one 1.69 em glyph unless `fwid` is on (then 2 em), so
//! Chinese and Japanese dashes should be shaped with `fwid` to keep the em grid.

use crate::fonts::Region;
use crate::script::{is_fullwidth_punct, is_han, is_hangul, is_kana};

/// The CJK typesetting convention a run of text follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Locale {
    /// Simplified Chinese, Mainland (GB/T 15834) conventions.
    ZhHans,
    /// Traditional Chinese, Taiwan and Hong Kong conventions (centred punctuation).
    ZhHant,
    /// Japanese, JIS X 4051 conventions as described by JLREQ.
    Ja,
    /// Korean, KLREQ conventions (words separated by spaces).
    Ko,
}

impl Locale {
    /// Every locale, in the order of [`Region`]'s variants.
    pub const ALL: [Locale; 4] = [Locale::ZhHans, Locale::ZhHant, Locale::Ja, Locale::Ko];

    /// The bundled regional face family for this locale (…CJKsc/tc/jp/kr): the one table
    /// between the two ([`Region::locale`] reads it backwards).
    pub fn region(self) -> Region {
        match self {
            Locale::ZhHans => Region::Sc,
            Locale::ZhHant => Region::Tc,
            Locale::Ja => Region::Jp,
            Locale::Ko => Region::Kr,
        }
    }

    /// Chinese or Japanese: set solid on the em grid, without word spaces (Korean spaces its
    /// words, KLREQ §5.2).
    pub fn is_chinese_or_japanese(self) -> bool {
        matches!(self, Locale::ZhHans | Locale::ZhHant | Locale::Ja)
    }

    /// The BCP 47 tag written for this locale (for `/Lang` and the like).
    pub fn tag(self) -> &'static str {
        match self {
            Locale::ZhHans => "zh-Hans",
            Locale::ZhHant => "zh-Hant",
            Locale::Ja => "ja",
            Locale::Ko => "ko",
        }
    }
}

impl Region {
    /// The CJK convention of text set in this region's faces ([`Locale::region`] backwards).
    pub fn locale(self) -> Locale {
        Locale::ALL
            .into_iter()
            .find(|l| l.region() == self)
            .expect("every region has its locale")
    }
}

/// Characters set on the CJK em grid without spaces between them: Han, kana and full-width
/// punctuation (Hangul is excluded: Korean spaces its words).
pub fn is_cjk_solid(c: char) -> bool {
    is_han(c) || is_kana(c) || is_fullwidth_punct(c) || punct_class_raw(c).is_cjk_only()
}

/// Latin (and Greek, Cyrillic) letters and European digits, half-width: the characters that get
/// a quarter-em auto-space next to Han or kana.
fn is_western_alnum(c: char) -> bool {
    // The ranges first: `is_alphabetic` is a table search outside ASCII (for every Han
    // character next to another, 1 % of setting a Chinese issue).
    c.is_ascii_alphanumeric()
        || (matches!(c, '\u{00C0}'..='\u{024F}' | '\u{0370}'..='\u{03FF}' | '\u{0400}'..='\u{04FF}' | '\u{1E00}'..='\u{1EFF}')
            && c.is_alphabetic())
}

/// JLREQ Appendix A character classes, as far as the rules here need them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PunctClass {
    /// cl-01 opening brackets: 「『（〔［｛〈《【〖〘｟“‘〝 and ( [ {.
    Opening,
    /// cl-02 closing brackets: 」』）〕］｝〉》】〗〙｠”’〟 and ) ] }.
    Closing,
    /// cl-03 hyphens: ‐ 〜 ゠ –.
    Hyphen,
    /// cl-06 full stops: 。．and the Latin full stop.
    FullStop,
    /// cl-07 commas: 、，and the Latin comma.
    Comma,
    /// cl-05 middle dots: ・：；· ‧ and the Latin colon and semicolon.
    MiddleDot,
    /// cl-04 dividing punctuation marks: ？！‼⁇⁈⁉ and ? !.
    Dividing,
    /// cl-08 inseparable characters: — ― … ‥ ⸺ ⸻ 〳 〴 〵.
    Inseparable,
    /// cl-09 iteration marks: ヽ ヾ ゝ ゞ 々 〻.
    IterationMark,
    /// cl-10 prolonged sound mark: ー (and half-width ｰ).
    ProlongedSound,
    /// cl-11 small kana: ぁぃぅぇぉっゃゅょゎゕゖ ァィゥェォッャュョヮヵヶ ㇰ…ㇿ.
    SmallKana,
    /// Any other character.
    None,
}

impl PunctClass {
    /// Classes that only occur in CJK text (kana-related marks).
    fn is_cjk_only(self) -> bool {
        matches!(
            self,
            PunctClass::IterationMark | PunctClass::ProlongedSound | PunctClass::SmallKana
        )
    }
}

/// The JLREQ Appendix A class of `c` (locale-independent part).
fn punct_class_raw(c: char) -> PunctClass {
    match c {
        // JLREQ Appendix A, cl-01 opening brackets
        '「' | '『' | '（' | '〔' | '［' | '｛' | '〈' | '《' | '【' | '〖' | '〘' | '｟' | '“'
        | '‘' | '〝' | '«' | '(' | '[' | '{' | '\u{FE59}' | '\u{FE5B}' | '\u{FE5D}' | '｢' => {
            PunctClass::Opening
        }
        // JLREQ Appendix A, cl-02 closing brackets
        '」' | '』' | '）' | '〕' | '］' | '｝' | '〉' | '》' | '】' | '〗' | '〙' | '｠' | '”'
        | '’' | '〟' | '〞' | '»' | ')' | ']' | '}' | '\u{FE5A}' | '\u{FE5C}' | '\u{FE5E}'
        | '｣' => PunctClass::Closing,
        // JLREQ Appendix A, cl-03 hyphens
        '‐' | '〜' | '゠' | '–' | '～' => PunctClass::Hyphen,
        // JLREQ Appendix A, cl-04 dividing punctuation marks
        '？' | '！' | '‼' | '⁇' | '⁈' | '⁉' | '?' | '!' => PunctClass::Dividing,
        // JLREQ Appendix A, cl-05 middle dots (plus the Chinese interpuncts · and ‧, CLREQ §5.1)
        '・' | '：' | '；' | '·' | '‧' | ':' | ';' | '･' => PunctClass::MiddleDot,
        // JLREQ Appendix A, cl-06 full stops
        '。' | '．' | '.' | '｡' => PunctClass::FullStop,
        // JLREQ Appendix A, cl-07 commas
        '、' | '，' | ',' | '､' | '\u{FE50}' | '\u{FE51}' => PunctClass::Comma,
        // JLREQ Appendix A, cl-08 inseparable characters
        '—' | '―' | '…' | '‥' | '⸺' | '⸻' | '〳' | '〴' | '〵' => {
            PunctClass::Inseparable
        }
        // JLREQ Appendix A, cl-09 iteration marks
        'ヽ' | 'ヾ' | 'ゝ' | 'ゞ' | '々' | '〻' => PunctClass::IterationMark,
        // JLREQ Appendix A, cl-10 prolonged sound mark
        'ー' | 'ｰ' => PunctClass::ProlongedSound,
        // JLREQ Appendix A, cl-11 small kana
        'ぁ' | 'ぃ' | 'ぅ' | 'ぇ' | 'ぉ' | 'っ' | 'ゃ' | 'ゅ' | 'ょ' | 'ゎ' | 'ゕ' | 'ゖ'
        | 'ァ' | 'ィ' | 'ゥ' | 'ェ' | 'ォ' | 'ッ' | 'ャ' | 'ュ' | 'ョ' | 'ヮ' | 'ヵ' | 'ヶ'
        | 'ｧ' | 'ｨ' | 'ｩ' | 'ｪ' | 'ｫ' | 'ｯ' | 'ｬ' | 'ｭ' | 'ｮ' => {
            PunctClass::SmallKana
        }
        // … and the Katakana Phonetic Extensions block
        '\u{31F0}'..='\u{31FF}' => PunctClass::SmallKana,
        _ => PunctClass::None,
    }
}

/// The JLREQ Appendix A class of `c` in `locale`.
///
/// One locale difference: in Simplified Chinese (GB style) ：and ； sit in the left half of the
/// em box like ，(CLREQ §6.3.2), so they behave as commas (cl-07), not as the centred middle dots
/// of Japanese (JLREQ §3.1.2).
pub fn punct_class(c: char, locale: Locale) -> PunctClass {
    let raw = punct_class_raw(c);
    if locale == Locale::ZhHans && matches!(c, '：' | '；') {
        return PunctClass::Comma;
    }
    raw
}

/// The four levels of line-start/line-end prohibition CLREQ §6.1.1 describes for Chinese; one
/// level holds for a whole document. (The fourth, "none", common in Taiwan and Hong Kong
/// newspapers, is not offered.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChineseKinsoku {
    /// 基本处理, "the most recommended": point marks, closing quotes and brackets, connector
    /// marks, interpuncts and solidi never start a line; opening marks never end one.
    Basic,
    /// GB法: Basic, and a solidus never ends a line either.
    Gb,
    /// 严格处理: GB, and dashes and ellipses never start a line. quire's default, because issue 5
    /// asks that …… never start a line, as JLREQ §3.1.7 has it for Japanese.
    Strict,
}

/// The solidi (分隔号) of CLREQ §6.1.1.
fn is_solidus(c: char) -> bool {
    matches!(c, '/' | '／')
}

/// Whether `c` may stand first on a line (kinsoku, 行頭禁則), with Chinese at
/// [`ChineseKinsoku::Strict`].
///
/// Never at line start: closing brackets and quotes (cl-02), hyphens (cl-03), ？！ (cl-04),
/// ・：； (cl-05), 。． (cl-06), 、， (cl-07), ‥ and … (cl-08), iteration marks (cl-09), ー (cl-10)
/// and small kana (cl-11) — JLREQ §3.1.7 (strict), KLREQ §7.1.2 for Korean, CLREQ §6.1.1 for
/// Chinese (see [`may_start_line_with`]). The dashes — ― never open a Japanese line (JLREQ §3.1.7
/// with cl-08) nor a Chinese one at the strict level, but may open a Korean one.
pub fn may_start_line(c: char, locale: Locale) -> bool {
    may_start_line_with(c, locale, ChineseKinsoku::Strict)
}

/// [`may_start_line`] with the Chinese prohibition level chosen (CLREQ §6.1.1). `level` only
/// matters for [`Locale::ZhHans`] and [`Locale::ZhHant`].
pub fn may_start_line_with(c: char, locale: Locale, level: ChineseKinsoku) -> bool {
    let chinese = matches!(locale, Locale::ZhHans | Locale::ZhHant);
    if chinese && is_solidus(c) {
        // CLREQ §6.1.1 (basic): solidi never start a line.
        return false;
    }
    match punct_class(c, locale) {
        // JLREQ §3.1.7; CLREQ §6.1.1 (basic: point marks, closing marks, connectors,
        // interpuncts); KLREQ §7.1.2.
        PunctClass::Closing
        | PunctClass::Hyphen
        | PunctClass::Dividing
        | PunctClass::MiddleDot
        | PunctClass::FullStop
        | PunctClass::Comma
        | PunctClass::IterationMark
        | PunctClass::ProlongedSound
        | PunctClass::SmallKana => false,
        PunctClass::Inseparable => match c {
            // The second half of a kunojiten never starts a line (JLREQ §3.1.10).
            '〵' => false,
            '〳' | '〴' => true,
            // CLREQ §6.1.1: dashes and ellipses are barred from line start at the strict level.
            _ if chinese => level != ChineseKinsoku::Strict,
            // JLREQ §3.1.7: cl-08 never starts a line.
            _ if locale == Locale::Ja => false,
            // Issue 5 for Korean: ‥ and … never start a line; a dash may (KLREQ §7.1.2 does not
            // list it).
            _ => !matches!(c, '…' | '‥'),
        },
        PunctClass::Opening | PunctClass::None => true,
    }
}

/// Whether `c` may stand last on a line: opening brackets and quotes never end a line
/// (JLREQ §3.1.8; CLREQ §6.1.1; KLREQ §7.1.3), nor, in Chinese at the GB and strict levels, a
/// solidus (CLREQ §6.1.1).
pub fn may_end_line(c: char, locale: Locale) -> bool {
    may_end_line_with(c, locale, ChineseKinsoku::Strict)
}

/// [`may_end_line`] with the Chinese prohibition level chosen (CLREQ §6.1.1).
pub fn may_end_line_with(c: char, locale: Locale, level: ChineseKinsoku) -> bool {
    if matches!(locale, Locale::ZhHans | Locale::ZhHant)
        && is_solidus(c)
        && level != ChineseKinsoku::Basic
    {
        return false;
    }
    punct_class(c, locale) != PunctClass::Opening
}

/// Whether the pair `a b` must never be split across lines (JLREQ §3.1.10; CLREQ §6.1.2;
/// KLREQ §7.1.4): doubled dashes and ellipses (——, ――, ……, ‥‥), the two halves of the
/// kunojiten 〳〵/〴〵, runs of European digits, a prefix currency sign and its number (￥5,
/// $5), a plus-minus or minus sign and its number (±3, −5; CLREQ §6.1.2), and a number and its
/// postfix unit (5％, 30℃, 10‰).
pub fn inseparable(a: char, b: char) -> bool {
    // JLREQ §3.1.10: doubled inseparable characters are one unit.
    if a == b && matches!(a, '—' | '―' | '…' | '‥' | '⸺' | '⸻') {
        return true;
    }
    // JLREQ §3.1.10: the kunojiten is drawn in two halves that must stay together.
    if matches!(a, '〳' | '〴') && b == '〵' {
        return true;
    }
    let digit = |c: char| c.is_ascii_digit() || ('０'..='９').contains(&c);
    // JLREQ §3.1.10: European numerals are not split, nor separated from cl-12/cl-13 signs.
    if digit(a) && digit(b) {
        return true;
    }
    let prefix = matches!(
        a,
        '￥' | '＄' | '￡' | '$' | '¥' | '£' | '€' | '＃' | '#' | '№' | '±' | '∓' | '\u{2212}'
    );
    let postfix = matches!(
        b,
        '％' | '%'
            | '‰'
            | '℃'
            | '°'
            | '′'
            | '″'
            | '¢'
            | '￠'
            | '㌫'
            | '㎝'
            | '㎏'
            | '㎞'
            | '㎡'
    );
    (prefix && digit(b)) || (digit(a) && postfix)
}

/// Where the blank part of a full-width mark's em box lies (its ink is on the other side).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BlankSide {
    /// Ink in the right half (opening brackets): the left half em is blank.
    Left,
    /// Ink in the left half or the left-bottom corner (closing brackets; GB and JIS 。、，): the
    /// right half em is blank.
    Right,
    /// Ink centred (Traditional Chinese 。，、：；？！; Japanese ・：；): a quarter em each side.
    Both,
    /// No adjustable blank: not a full-width mark, or a mark whose ink fills its box.
    None,
}

/// Whether `c` is set full-width (on the em grid) in `locale` by the bundled regional face.
///
/// The curly quotes ‘’“” are full-width in the Chinese faces (GB/T 15834 and Taiwan practice,
/// CLREQ §6.3.2) but proportional in the Japanese and Korean faces; other marks are full-width
/// when they are in the CJK punctuation or full-width forms blocks.
fn sets_fullwidth(c: char, locale: Locale) -> bool {
    match c {
        '‘' | '’' | '“' | '”' => matches!(locale, Locale::ZhHans | Locale::ZhHant),
        // CLREQ §6.1.2: the ellipsis and the dash each take 1 em in CJK text. The bundled faces
        // draw … and ‥ full-width; U+2014 is 0.89 em (and —— a 1.69 em ligature) unless shaped
        // with `fwid`, which gives 2 em for ——.
        '…' | '‥' | '—' | '―' => true,
        _ => is_fullwidth_punct(c),
    }
}

/// Which part of `c`'s em box is blank in `locale` (horizontal writing).
///
/// Opening brackets are blank on the left and closing brackets on the right in every locale.
/// The point marks differ: GB (Simplified Chinese) puts 。，、：；？！ in the left half or the
/// left-bottom corner, Taiwan and Hong Kong centre them (CLREQ §6.3.2), JIS (Japanese) puts 。、，．
/// in the corner and centres ・：； (JLREQ §3.1.2). Korean faces follow the JIS placement.
/// Fixed marks whose ink fills the box (？！ outside GB, the dashes and ellipses) report
/// [`BlankSide::None`], as does any character not set full-width. For the ambiguous curly quotes
/// this answers for their full-width use: ask [`quote_is_fullwidth`] first, since an apostrophe
/// or a quote in Latin context is Latin punctuation with no blank.
pub fn blank_side(c: char, locale: Locale) -> BlankSide {
    if !sets_fullwidth(c, locale) {
        return BlankSide::None;
    }
    match punct_class(c, locale) {
        // JLREQ §3.1.2: an opening bracket's ink sits in the half next to the text it opens.
        PunctClass::Opening => BlankSide::Left,
        // JLREQ §3.1.2: a closing bracket's ink sits in the half next to the text it closes.
        PunctClass::Closing => BlankSide::Right,
        // CLREQ §6.3.2: Taiwan/Hong Kong centre point marks; GB and JIS put them in the corner.
        PunctClass::FullStop | PunctClass::Comma => match locale {
            Locale::ZhHant => BlankSide::Both,
            Locale::ZhHans | Locale::Ja | Locale::Ko => BlankSide::Right,
        },
        // JLREQ §3.1.2: ・：； are centred with a quarter em each side; CLREQ §6.3.2 the same for
        // Traditional ：；(GB ：； were mapped to Comma above; the interpunct · is not
        // full-width in the bundled faces and never gets here).
        PunctClass::MiddleDot => BlankSide::Both,
        // CLREQ §6.3.2: GB sets ？！ in the left half; elsewhere they are centred and fixed.
        PunctClass::Dividing => match locale {
            Locale::ZhHans => BlankSide::Right,
            Locale::ZhHant | Locale::Ja | Locale::Ko => BlankSide::None,
        },
        PunctClass::Hyphen
        | PunctClass::Inseparable
        | PunctClass::IterationMark
        | PunctClass::ProlongedSound
        | PunctClass::SmallKana
        | PunctClass::None => BlankSide::None,
    }
}

/// Half an em: the blank half of a bracket or a corner-set point mark (JLREQ §3.1.2).
const HALF_EM: f32 = 0.5;
/// A quarter em: each side of a centred mark (JLREQ §3.1.2, ・：；), and the Han–Latin
/// auto-space (JLREQ §3.2, CLREQ §6.3.3).
const QUARTER_EM: f32 = 0.25;

/// The blank after `c`'s ink in its em box (em): what adjustment may take away.
fn trailing_blank(c: char, locale: Locale) -> f32 {
    match blank_side(c, locale) {
        BlankSide::Right => HALF_EM,
        BlankSide::Both => QUARTER_EM,
        BlankSide::Left | BlankSide::None => 0.0,
    }
}

/// The blank before `c`'s ink in its em box (em): what adjustment may take away.
fn leading_blank(c: char, locale: Locale) -> f32 {
    match blank_side(c, locale) {
        BlankSide::Left => HALF_EM,
        BlankSide::Both => QUARTER_EM,
        BlankSide::Right | BlankSide::None => 0.0,
    }
}

/// Whether `c` is a full-width punctuation mark whose ink stands at its leading edge (a closing
/// bracket, a corner-set point mark or a fixed ？！), so a blank before it can close up.
fn leads_with_ink(c: char, locale: Locale) -> bool {
    sets_fullwidth(c, locale)
        && matches!(
            punct_class(c, locale),
            PunctClass::Closing
                | PunctClass::FullStop
                | PunctClass::Comma
                | PunctClass::MiddleDot
                | PunctClass::Dividing
        )
}

/// How many ems to remove between two consecutive full-width marks `a b` (JLREQ §3.1.4;
/// CLREQ §6.3.2, "any two adjacent punctuation marks that together are 2 em wide should be
/// reduced to 1.5 em").
///
/// * blanks that meet (」「, 、「, ）（): keep the smaller, remove the larger — 」「 keeps half an em,
///   ・「 keeps a quarter (JLREQ §3.1.4);
/// * a blank before a mark whose ink leads (）」, 。」, ），, ”）): remove it;
/// * an opening bracket after an opening bracket (（「): remove the second one's leading blank.
///
/// Two half-em-blank marks therefore total 1.5 em. With Traditional Chinese centred marks only
/// the quarter em that exists on the meeting side can go (，」 totals 1.75 em): CLREQ §6.3.2 notes
/// many Taiwan publications do not adjust punctuation width at all. Zero for any pair in which a
/// mark is not full-width or has no blank on the meeting side.
pub fn adjacent_compression(a: char, b: char, locale: Locale) -> f32 {
    let t = trailing_blank(a, locale);
    let l = leading_blank(b, locale);
    if t > 0.0 && l > 0.0 {
        // JLREQ §3.1.4: e.g. 」「 → half em between; ・「 → quarter em between: the smaller
        // blank is kept.
        t.max(l)
    } else if t > 0.0 && leads_with_ink(b, locale) {
        // JLREQ §3.1.4: e.g. ）」, 。」, ）、 set solid.
        t
    } else if l > 0.0 && sets_fullwidth(a, locale) && punct_class(a, locale) == PunctClass::Opening
    {
        // JLREQ §3.1.4: consecutive opening brackets (（「) set solid.
        l
    } else {
        0.0
    }
}

/// The removable blank (em) before an opening bracket that starts a line (JLREQ §3.1.5: the
/// common practice sets a line-head opening bracket without its leading half em; CLREQ §6.3.2.3,
/// compression of punctuation marks at line start, does the same). Zero for anything else. It applies after a first-line indent too, so the
/// bracket's ink lines up with the indent (typst-doc-cn/clreq, typst#2348: 《新生》 after a 2 em
/// indent starts its ink at 2 em).
pub fn line_start_trim(c: char, locale: Locale) -> f32 {
    if punct_class(c, locale) == PunctClass::Opening {
        leading_blank(c, locale)
    } else {
        0.0
    }
}

/// How much the space at the boundary `a b` may shrink when a line is pushed in (em), after
/// [`adjacent_compression`] has already been taken: the push-in part of `a`'s trailing blank
/// plus `b`'s leading blank (JLREQ Appendix D; CLREQ §6.3.2), less the compression. A Japanese
/// full stop's trailing half em does not shrink mid-line (JLREQ Appendix D, JIS X 4051); at a
/// line end the blank stays (see the module doc). This is the shrink of the inter-character glue the
/// breaker puts between `a` and `b`.
pub fn boundary_shrink(a: char, b: char, locale: Locale) -> f32 {
    let after_a = if locale == Locale::Ja && punct_class(a, locale) == PunctClass::FullStop {
        0.0
    } else {
        trailing_blank(a, locale)
    };
    (after_a + leading_blank(b, locale) - adjacent_compression(a, b, locale)).max(0.0)
}

/// Auto-spacing (em) between adjacent characters `a b`: a quarter em between a Han ideograph or
/// kana and a half-width Latin letter or European digit, in either order (JLREQ §3.2 and
/// Appendix B, cl-19/cl-15 next to cl-27: 1/4 em; CLREQ §6.3.3). Zero when either side is
/// punctuation or a space — punctuation already separates them — and for Hangul, whose text
/// spaces words instead (KLREQ §7.3.2). The breaker drops this space where the pair is split by
/// a line break (it belongs to neither line; typst#6539 added it at manual breaks).
pub fn autospace(a: char, b: char) -> f32 {
    let cjk = |c: char| is_han(c) || is_kana(c);
    if (cjk(a) && is_western_alnum(b)) || (is_western_alnum(a) && cjk(b)) {
        QUARTER_EM
    } else {
        0.0
    }
}

/// Whether justification may add inter-character space between `a` and `b` (JLREQ §3.8 and
/// Appendix E; CLREQ §6.2.2; KLREQ §7.2.2).
///
/// Yes between CJK characters on the em grid and at a Han–Latin boundary (the quarter-em
/// auto-space may grow, Appendix E "1/4-1/2"). No after an opening bracket or before a closing
/// bracket, point mark or dividing mark (they stay with the text they belong to), not inside an
/// inseparable pair (——, ……), and not between two Latin characters (Latin words stretch at
/// their spaces). Korean never stretches between characters: it justifies at word spaces
/// (KLREQ §7.2.2).
pub fn inter_char_stretch_ok(a: char, b: char, locale: Locale) -> bool {
    if locale == Locale::Ko {
        return false;
    }
    if a.is_whitespace() || b.is_whitespace() || inseparable(a, b) {
        return false;
    }
    if punct_class(a, locale) == PunctClass::Opening {
        return false;
    }
    if matches!(
        punct_class(b, locale),
        PunctClass::Closing
            | PunctClass::FullStop
            | PunctClass::Comma
            | PunctClass::MiddleDot
            | PunctClass::Dividing
            | PunctClass::ProlongedSound
            | PunctClass::SmallKana
            | PunctClass::IterationMark
    ) {
        return false;
    }
    is_cjk_solid(a) || is_cjk_solid(b)
}

/// Korean line breaking without a space (KLREQ §7.1.1, §7.1.4): Korean breaks between words,
/// i.e. at spaces, so there is no break between the syllables of one word, nor between a word
/// and the punctuation or Latin letters attached to it. A break is allowed only after a dash or
/// slash joining two words (and never where [`inseparable`] or the line-head/line-end rules of
/// KLREQ §7.1.2–§7.1.3 forbid it). Breaks at spaces are the breaker's ordinary glue.
pub fn korean_break_ok(a: char, b: char) -> bool {
    let joiner = matches!(a, '—' | '―' | '–' | '/' | '／');
    joiner
        && !b.is_whitespace()
        && !inseparable(a, b)
        && may_start_line(b, Locale::Ko)
        && may_end_line(a, Locale::Ko)
}

/// Whether a line break is allowed between two adjacent non-space characters `a b` in CJK text
/// of `locale`: the single question the line breaker asks of every candidate break
/// (kinsoku — JLREQ §3.1.7, §3.1.8, §3.1.10; CLREQ §6.1.1–§6.1.2; KLREQ §7.1.1–§7.1.4).
/// Between CJK characters a break is otherwise allowed anywhere (JLREQ §3.1.7 intro: Japanese
/// text breaks between any two characters unless prohibited). A pair of Latin characters is
/// left to the Latin rules (returns `false` here; the breaker uses its hyphenation and UAX #14).
pub fn break_allowed(a: char, b: char, locale: Locale) -> bool {
    if !may_end_line(a, locale) || !may_start_line(b, locale) || inseparable(a, b) {
        return false;
    }
    if locale == Locale::Ko {
        return korean_break_ok(a, b);
    }
    // One side must be on the CJK grid (or a dash between words): Latin–Latin breaks are not ours.
    is_cjk_solid(a) || is_cjk_solid(b) || matches!(a, '—' | '―')
}

/// The separator that replaces a hard line break in the source between `prev_line_end` and
/// `next_line_start` when the two source lines are joined into one paragraph.
///
/// In a Chinese or Japanese paragraph (`locale` ZhHans, ZhHant or Ja): nothing when either side
/// is Han, kana or full-width punctuation — CJK text has no word spaces, and Han next to Latin
/// gets the auto-space, not a typed space (CLREQ §6.3.3, JLREQ §3.2) — and a space between two
/// Latin words. In a Korean paragraph, or next to Hangul: a space, since Korean spaces its words
/// (KLREQ §5.2). In a paragraph of no CJK locale (an English text quoting 中国): nothing only
/// between two CJK characters, a space otherwise, as English spaces its words.
pub fn join_wrapped_lines(
    prev_line_end: char,
    next_line_start: char,
    locale: Option<Locale>,
) -> &'static str {
    if locale == Some(Locale::Ko) || is_hangul(prev_line_end) || is_hangul(next_line_start) {
        return " ";
    }
    let (a, b) = (is_cjk_solid(prev_line_end), is_cjk_solid(next_line_start));
    let joined = match locale {
        Some(_) => a || b,
        None => a && b,
    };
    if joined {
        ""
    } else {
        " "
    }
}

/// A candidate boundary between two adjacent characters, as the line breaker sees it: the
/// answers of [`break_allowed`], [`inter_char_stretch_ok`], [`adjacent_compression`] and
/// [`autospace`] for one pair.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PairRules {
    /// A line break may fall between the two characters.
    pub break_ok: bool,
    /// Justification may add space between them.
    pub stretch_ok: bool,
    /// Change to the natural spacing between them (em): the auto-space minus the adjacent
    /// punctuation compression. Negative where marks close up, positive at a Han–Latin boundary.
    pub adjust_em: f32,
    /// How much more the boundary may shrink when the line is pushed in (em), see
    /// [`boundary_shrink`].
    pub shrink_em: f32,
}

/// All the pair rules for `a b` in `locale` at once (see [`PairRules`]).
pub fn pair_rules(a: char, b: char, locale: Locale) -> PairRules {
    // Two ideographs of the URO block (most pairs of Chinese and Japanese text): no punctuation
    // class, no blank, no auto-space, never inseparable, so a break and stretch are allowed and
    // nothing is adjusted (outside Korean, which breaks only at spaces). The rules below give
    // exactly this for every such pair (`cjk_pair_rules_ideograph_shortcut` checks all of
    // them against a representative); asking them was 5 % of setting a Chinese issue.
    let ideograph = |c: char| ('\u{4E00}'..='\u{9FFF}').contains(&c);
    if locale != Locale::Ko && ideograph(a) && ideograph(b) {
        return PairRules {
            break_ok: true,
            stretch_ok: true,
            adjust_em: 0.0,
            shrink_em: 0.0,
        };
    }
    pair_rules_asked(a, b, locale)
}

/// [`pair_rules`] by asking each rule.
fn pair_rules_asked(a: char, b: char, locale: Locale) -> PairRules {
    PairRules {
        break_ok: break_allowed(a, b, locale),
        stretch_ok: inter_char_stretch_ok(a, b, locale),
        adjust_em: autospace(a, b) - adjacent_compression(a, b, locale),
        shrink_em: boundary_shrink(a, b, locale),
    }
}

/// Whether the ambiguous quote `c` (‘ ’ “ ” or the ASCII apostrophe) is set as a full-width CJK
/// mark in `locale`, given its neighbours; if not, it is Latin punctuation and must be drawn from
/// the Latin face. The apostrophe in "China's" (’ between Latin letters or digits) is always
/// Latin — Typst, WeasyPrint and pandoc all set it full-width (measured on this project's sample; typst-doc-cn/clreq).
/// Otherwise a curly quote is full-width in Chinese text when a neighbour is Han, kana or
/// full-width punctuation (CLREQ §6.3.3: punctuation in Chinese text is Chinese punctuation),
/// and never in Japanese or Korean, whose faces set curly quotes proportionally.
pub fn quote_is_fullwidth(prev: Option<char>, c: char, next: Option<char>, locale: Locale) -> bool {
    if !matches!(c, '‘' | '’' | '“' | '”') || !matches!(locale, Locale::ZhHans | Locale::ZhHant)
    {
        return false;
    }
    let latin = |o: Option<char>| o.is_some_and(is_western_alnum);
    if c == '’' && latin(prev) && !next.is_some_and(is_cjk_solid) {
        // An apostrophe (China's) or a quote closing Latin text: Latin punctuation.
        return false;
    }
    if c == '‘' && latin(prev) && latin(next) {
        return false;
    }
    prev.is_some_and(is_cjk_solid) || next.is_some_and(is_cjk_solid)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [Locale; 4] = [Locale::ZhHans, Locale::ZhHant, Locale::Ja, Locale::Ko];

    /// Sum of two full-width marks' advances after compression (em).
    fn pair_width(a: char, b: char, locale: Locale) -> f32 {
        2.0 - adjacent_compression(a, b, locale)
    }

    // ---- locale ----

    /// Each locale names its regional face.
    #[test]
    fn cjk_locale_regions() {
        assert_eq!(Locale::ZhHans.region(), Region::Sc);
        assert_eq!(Locale::ZhHant.region(), Region::Tc);
        assert_eq!(Locale::Ja.region(), Region::Jp);
        assert_eq!(Locale::Ko.region(), Region::Kr);
        assert_eq!(Locale::ZhHant.tag(), "zh-Hant");
        for l in Locale::ALL {
            assert_eq!(l.region().locale(), l, "one table both ways");
        }
    }

    // ---- classes ----

    /// JLREQ Appendix A: representative members of each class.
    #[test]
    fn cjk_class_appendix_a_members() {
        let ja = Locale::Ja;
        assert_eq!(punct_class('「', ja), PunctClass::Opening);
        assert_eq!(punct_class('《', ja), PunctClass::Opening);
        assert_eq!(punct_class('」', ja), PunctClass::Closing);
        assert_eq!(punct_class('）', ja), PunctClass::Closing);
        assert_eq!(punct_class('〜', ja), PunctClass::Hyphen);
        assert_eq!(punct_class('？', ja), PunctClass::Dividing);
        assert_eq!(punct_class('・', ja), PunctClass::MiddleDot);
        assert_eq!(punct_class('：', ja), PunctClass::MiddleDot);
        assert_eq!(punct_class('。', ja), PunctClass::FullStop);
        assert_eq!(punct_class('．', ja), PunctClass::FullStop);
        assert_eq!(punct_class('、', ja), PunctClass::Comma);
        assert_eq!(punct_class('，', ja), PunctClass::Comma);
        assert_eq!(punct_class('…', ja), PunctClass::Inseparable);
        assert_eq!(punct_class('々', ja), PunctClass::IterationMark);
        assert_eq!(punct_class('ー', ja), PunctClass::ProlongedSound);
        assert_eq!(punct_class('ッ', ja), PunctClass::SmallKana);
        assert_eq!(punct_class('ょ', ja), PunctClass::SmallKana);
        assert_eq!(punct_class('漢', ja), PunctClass::None);
        assert_eq!(punct_class('A', ja), PunctClass::None);
    }

    /// CLREQ §6.3.2: in GB style ：； sit in the left half like ，, so they class as commas.
    #[test]
    fn cjk_class_gb_colon_is_comma_like() {
        assert_eq!(punct_class('：', Locale::ZhHans), PunctClass::Comma);
        assert_eq!(punct_class('；', Locale::ZhHans), PunctClass::Comma);
        assert_eq!(punct_class('：', Locale::ZhHant), PunctClass::MiddleDot);
    }

    // ---- kinsoku ----

    /// JLREQ §3.1.7: closing brackets and quotes never start a line.
    #[test]
    fn cjk_kinsoku_closing_never_starts() {
        for locale in ALL {
            for c in ['」', '』', '）', '》', '”', '’', '】', ')'] {
                assert!(!may_start_line(c, locale), "{c} {locale:?}");
            }
        }
    }

    /// JLREQ §3.1.7, CLREQ §6.1.1: 、。，．：；？！ never start a line.
    #[test]
    fn cjk_kinsoku_point_marks_never_start() {
        for locale in ALL {
            for c in "、。，．：；？！,.:;?!".chars() {
                assert!(!may_start_line(c, locale), "{c} {locale:?}");
            }
        }
    }

    /// JLREQ §3.1.7 (cl-09, cl-10, cl-11): iteration marks, ー and small kana never start a line.
    #[test]
    fn cjk_kinsoku_kana_marks_never_start() {
        for c in ['々', 'ゝ', 'ヽ', 'ー', 'ッ', 'っ', 'ャ', 'ぁ', 'ㇰ'] {
            assert!(!may_start_line(c, Locale::Ja), "{c}");
        }
    }

    /// JLREQ §3.1.7 (cl-08), issue 5: ‥ and … never start a line in any locale.
    #[test]
    fn cjk_kinsoku_ellipsis_never_starts() {
        for locale in ALL {
            assert!(!may_start_line('…', locale));
            assert!(!may_start_line('‥', locale));
        }
    }

    /// CLREQ §6.1.1: a dash may open a Chinese line at the basic and GB levels, not at the
    /// strict level (quire's default); JLREQ §3.1.7 bars it in Japanese; Korean allows it.
    #[test]
    fn cjk_kinsoku_dash_start_by_level() {
        assert!(may_start_line_with(
            '—',
            Locale::ZhHans,
            ChineseKinsoku::Basic
        ));
        assert!(may_start_line_with('—', Locale::ZhHant, ChineseKinsoku::Gb));
        assert!(!may_start_line_with(
            '—',
            Locale::ZhHans,
            ChineseKinsoku::Strict
        ));
        assert!(!may_start_line('—', Locale::ZhHans));
        assert!(!may_start_line('—', Locale::Ja));
        assert!(may_start_line('—', Locale::Ko));
    }

    /// CLREQ §6.1.1: an ellipsis may open a Chinese line only below the strict level.
    #[test]
    fn cjk_kinsoku_ellipsis_start_by_level() {
        assert!(may_start_line_with(
            '…',
            Locale::ZhHans,
            ChineseKinsoku::Basic
        ));
        assert!(!may_start_line_with(
            '…',
            Locale::ZhHans,
            ChineseKinsoku::Strict
        ));
    }

    /// CLREQ §6.1.1: a solidus never starts a Chinese line, and ends one only at the basic level.
    #[test]
    fn cjk_kinsoku_solidus_by_level() {
        for level in [
            ChineseKinsoku::Basic,
            ChineseKinsoku::Gb,
            ChineseKinsoku::Strict,
        ] {
            assert!(!may_start_line_with('／', Locale::ZhHans, level));
        }
        assert!(may_end_line_with(
            '／',
            Locale::ZhHans,
            ChineseKinsoku::Basic
        ));
        assert!(!may_end_line_with('／', Locale::ZhHans, ChineseKinsoku::Gb));
        assert!(!may_end_line('/', Locale::ZhHant));
        assert!(may_end_line('/', Locale::Ja));
    }

    /// CLREQ §6.1.1 (basic): connector marks (～ –) never start a Chinese line.
    #[test]
    fn cjk_kinsoku_connectors_never_start() {
        assert!(!may_start_line_with(
            '～',
            Locale::ZhHans,
            ChineseKinsoku::Basic
        ));
        assert!(!may_start_line_with(
            '–',
            Locale::ZhHant,
            ChineseKinsoku::Basic
        ));
    }

    /// JLREQ §3.1.7: ordinary characters and opening brackets may start a line.
    #[test]
    fn cjk_kinsoku_ordinary_may_start() {
        for locale in ALL {
            for c in ['漢', 'あ', 'カ', '한', 'A', '「', '（', '“'] {
                assert!(may_start_line(c, locale), "{c} {locale:?}");
            }
        }
    }

    /// JLREQ §3.1.8, CLREQ §6.1.1, KLREQ §7.1.3: opening brackets and quotes never end a line.
    #[test]
    fn cjk_kinsoku_opening_never_ends() {
        for locale in ALL {
            for c in ['「', '『', '（', '《', '“', '‘', '【', '('] {
                assert!(!may_end_line(c, locale), "{c} {locale:?}");
            }
            for c in ['」', '。', '漢', 'A'] {
                assert!(may_end_line(c, locale), "{c} {locale:?}");
            }
        }
    }

    /// JLREQ §3.1.10, CLREQ §6.1.2: —— …… ‥‥ are never split.
    #[test]
    fn cjk_kinsoku_doubled_marks_inseparable() {
        assert!(inseparable('—', '—'));
        assert!(inseparable('…', '…'));
        assert!(inseparable('‥', '‥'));
        assert!(inseparable('―', '―'));
        assert!(!inseparable('—', '…'));
        assert!(!inseparable('漢', '字'));
    }

    /// JLREQ §3.1.10: digit runs and a number with its currency sign or unit are not split.
    #[test]
    fn cjk_kinsoku_numbers_inseparable() {
        assert!(inseparable('2', '0'));
        assert!(inseparable('１', '７'));
        assert!(inseparable('￥', '5'));
        assert!(inseparable('5', '％'));
        assert!(inseparable('0', '℃'));
        assert!(!inseparable('5', '年'));
    }

    /// JLREQ §3.1.7 intro: between CJK characters a break is allowed unless prohibited.
    #[test]
    fn cjk_kinsoku_break_allowed_between_han() {
        assert!(break_allowed('漢', '字', Locale::ZhHans));
        assert!(break_allowed('。', '漢', Locale::Ja));
        assert!(!break_allowed('漢', '。', Locale::ZhHans));
        assert!(!break_allowed('「', '漢', Locale::Ja));
        assert!(!break_allowed('—', '—', Locale::ZhHans));
        assert!(!break_allowed('a', 'b', Locale::ZhHans));
    }

    // ---- Korean ----

    /// KLREQ §7.1.1: no break between Hangul syllables of one word.
    #[test]
    fn cjk_korean_no_break_inside_word() {
        assert!(!korean_break_ok('대', '사'));
        assert!(!korean_break_ok('관', '.'));
        assert!(!korean_break_ok('관', 'A'));
        assert!(!break_allowed('대', '사', Locale::Ko));
    }

    /// KLREQ §7.1.1: a slash or dash joining two words is a break opportunity.
    #[test]
    fn cjk_korean_break_after_joiner() {
        assert!(korean_break_ok('/', '부'));
        assert!(korean_break_ok('—', '그'));
        assert!(!korean_break_ok('—', '—'));
        assert!(!korean_break_ok('/', '.'));
    }

    // ---- positions ----

    /// JLREQ Appendix A: ・ is a middle dot (cl-05), not kana, so it gets no auto-space.
    #[test]
    fn cjk_class_katakana_middle_dot_is_punctuation() {
        assert!(!is_kana('・'));
        assert_eq!(autospace('・', 'A'), 0.0);
        assert!(is_kana('ー'));
        assert!(is_han('〇'));
        assert!(!is_han('々'));
    }

    /// CLREQ §6.3.2: GB sets 。，、 in the left-bottom corner (right half blank).
    #[test]
    fn cjk_position_gb_corner() {
        for c in ['。', '，', '、', '：', '；', '？', '！'] {
            assert_eq!(blank_side(c, Locale::ZhHans), BlankSide::Right, "{c}");
        }
    }

    /// CLREQ §6.3.2: Taiwan and Hong Kong centre the point marks.
    #[test]
    fn cjk_position_traditional_centred() {
        for c in ['。', '，', '、', '：', '；'] {
            assert_eq!(blank_side(c, Locale::ZhHant), BlankSide::Both, "{c}");
        }
    }

    /// JLREQ §3.1.2: JIS sets 。、 in the corner and centres ・：；.
    #[test]
    fn cjk_position_jis() {
        assert_eq!(blank_side('。', Locale::Ja), BlankSide::Right);
        assert_eq!(blank_side('、', Locale::Ja), BlankSide::Right);
        assert_eq!(blank_side('・', Locale::Ja), BlankSide::Both);
        assert_eq!(blank_side('：', Locale::Ja), BlankSide::Both);
        assert_eq!(blank_side('？', Locale::Ja), BlankSide::None);
    }

    /// JLREQ §3.1.2: brackets' blank half is away from the text they enclose, in all locales.
    #[test]
    fn cjk_position_brackets() {
        for locale in ALL {
            assert_eq!(blank_side('「', locale), BlankSide::Left);
            assert_eq!(blank_side('）', locale), BlankSide::Right);
            assert_eq!(blank_side('漢', locale), BlankSide::None);
            assert_eq!(blank_side('(', locale), BlankSide::None);
        }
    }

    /// CLREQ §6.3.2: curly quotes are full-width in Chinese faces, proportional in Japanese ones.
    #[test]
    fn cjk_position_curly_quotes_by_locale() {
        assert_eq!(blank_side('“', Locale::ZhHans), BlankSide::Left);
        assert_eq!(blank_side('”', Locale::ZhHant), BlankSide::Right);
        assert_eq!(blank_side('“', Locale::Ja), BlankSide::None);
    }

    // ---- compression ----

    /// JLREQ §3.1.4: two adjacent half-em-blank marks total 1.5 em (”）, 。」, ），).
    #[test]
    fn cjk_compression_two_marks_to_one_and_a_half_em() {
        assert_eq!(pair_width('”', '）', Locale::ZhHans), 1.5);
        assert_eq!(pair_width('。', '」', Locale::Ja), 1.5);
        assert_eq!(pair_width('）', '，', Locale::ZhHans), 1.5);
        assert_eq!(pair_width('》', '。', Locale::ZhHans), 1.5);
        assert_eq!(pair_width('、', '「', Locale::Ja), 1.5);
    }

    /// JLREQ §3.1.4: 」「 keeps half an em between the brackets (0.5 removed).
    #[test]
    fn cjk_compression_closing_then_opening() {
        assert_eq!(adjacent_compression('」', '「', Locale::Ja), 0.5);
        assert_eq!(adjacent_compression('）', '（', Locale::ZhHans), 0.5);
    }

    /// JLREQ §3.1.4: consecutive opening brackets are set solid.
    #[test]
    fn cjk_compression_opening_then_opening() {
        assert_eq!(adjacent_compression('（', '「', Locale::Ja), 0.5);
        assert_eq!(adjacent_compression('“', '《', Locale::ZhHans), 0.5);
    }

    /// JLREQ §3.1.4: a middle dot next to a bracket keeps a quarter em.
    #[test]
    fn cjk_compression_middle_dot_keeps_quarter() {
        // ・ has 0.25 after, 「 has 0.5 before: 0.75 of blank, 0.25 kept.
        assert_eq!(adjacent_compression('・', '「', Locale::Ja), 0.5);
        assert_eq!(adjacent_compression('」', '・', Locale::Ja), 0.5);
    }

    /// CLREQ §6.3.2: centred Traditional marks give up only the quarter em on the meeting side.
    #[test]
    fn cjk_compression_traditional_centred_comma() {
        assert_eq!(adjacent_compression('，', '」', Locale::ZhHant), 0.25);
        assert_eq!(adjacent_compression('」', '，', Locale::ZhHant), 0.5);
    }

    /// JLREQ §3.1.4: no compression where the marks do not meet with blanks, or against text.
    #[test]
    fn cjk_compression_zero_when_not_meeting() {
        assert_eq!(adjacent_compression('漢', '字', Locale::Ja), 0.0);
        assert_eq!(adjacent_compression('」', '漢', Locale::Ja), 0.0);
        assert_eq!(adjacent_compression('漢', '「', Locale::Ja), 0.0);
        assert_eq!(adjacent_compression('「', '漢', Locale::Ja), 0.0);
        assert_eq!(adjacent_compression(')', '.', Locale::ZhHans), 0.0);
    }

    /// CLREQ §6.3.2: the interpunct in a transliterated name never shrinks and is not
    /// compressed against a following bracket.
    #[test]
    fn cjk_compression_interpunct_fixed() {
        assert_eq!(boundary_shrink('·', '漢', Locale::ZhHans), 0.0);
        assert_eq!(adjacent_compression('·', '《', Locale::ZhHans), 0.0);
    }

    // ---- line start / push-in ----

    /// JLREQ §3.1.5: a line-head opening bracket may drop its leading half em.
    #[test]
    fn cjk_line_start_opening_trim() {
        assert_eq!(line_start_trim('「', Locale::Ja), 0.5);
        assert_eq!(line_start_trim('《', Locale::ZhHans), 0.5);
        assert_eq!(line_start_trim('漢', Locale::Ja), 0.0);
        assert_eq!(line_start_trim('」', Locale::Ja), 0.0);
    }

    /// JLREQ Appendix D: the blank left at a boundary after compression may still shrink —
    /// 」「 keeps a reducible half em, 、 and ・ give up their blanks, a JIS full stop does not.
    #[test]
    fn cjk_push_in_boundary_shrink() {
        assert_eq!(boundary_shrink('」', '「', Locale::Ja), 0.5);
        assert_eq!(boundary_shrink('、', '漢', Locale::Ja), 0.5);
        assert_eq!(boundary_shrink('・', '漢', Locale::Ja), 0.25);
        assert_eq!(boundary_shrink('漢', '「', Locale::Ja), 0.5);
        assert_eq!(boundary_shrink('。', '漢', Locale::Ja), 0.0);
        assert_eq!(boundary_shrink('。', '漢', Locale::ZhHans), 0.5);
        assert_eq!(boundary_shrink('。', '」', Locale::Ja), 0.0);
        assert_eq!(boundary_shrink('漢', '字', Locale::Ja), 0.0);
    }

    /// CLREQ §6.1.2: a plus-minus or minus sign stays with its number.
    #[test]
    fn cjk_kinsoku_sign_and_number_inseparable() {
        assert!(inseparable('±', '3'));
        assert!(inseparable('\u{2212}', '5'));
    }

    // ---- mixed text ----

    /// JLREQ §3.2, CLREQ §6.3.3: a quarter em between Han/kana and Latin letters or digits.
    #[test]
    fn cjk_autospace_han_latin_quarter() {
        assert_eq!(autospace('用', 'R'), 0.25);
        assert_eq!(autospace('t', '语'), 0.25);
        assert_eq!(autospace('7', '年'), 0.25);
        assert_eq!(autospace('は', 'A'), 0.25);
        assert_eq!(autospace('é', 'の'), 0.25);
    }

    /// JLREQ §3.2: no auto-space where punctuation separates, nor for Hangul (KLREQ §7.3.2).
    #[test]
    fn cjk_autospace_zero_cases() {
        assert_eq!(autospace('，', 'A'), 0.0);
        assert_eq!(autospace('A', '。'), 0.0);
        assert_eq!(autospace('(', '漢'), 0.0);
        assert_eq!(autospace('한', 'A'), 0.0);
        assert_eq!(autospace('漢', '字'), 0.0);
        assert_eq!(autospace('A', 'B'), 0.0);
        assert_eq!(autospace('漢', 'Ａ'), 0.0);
    }

    /// The apostrophe in "China's" is Latin punctuation, never full-width (measured: Typst, WeasyPrint and pandoc all make it so).
    #[test]
    fn cjk_mixed_apostrophe_is_latin() {
        assert!(!quote_is_fullwidth(
            Some('a'),
            '’',
            Some('s'),
            Locale::ZhHans
        ));
        assert!(!quote_is_fullwidth(
            Some('s'),
            '’',
            Some(' '),
            Locale::ZhHans
        ));
    }

    /// CLREQ §6.3.3: curly quotes inside Chinese text are Chinese (full-width) punctuation.
    #[test]
    fn cjk_mixed_quotes_in_chinese_are_fullwidth() {
        assert!(quote_is_fullwidth(
            Some('说'),
            '“',
            Some('我'),
            Locale::ZhHans
        ));
        assert!(quote_is_fullwidth(
            Some('们'),
            '”',
            Some('。'),
            Locale::ZhHans
        ));
        assert!(quote_is_fullwidth(
            Some('说'),
            '“',
            Some('H'),
            Locale::ZhHant
        ));
        assert!(!quote_is_fullwidth(Some('は'), '“', Some('A'), Locale::Ja));
        assert!(!quote_is_fullwidth(
            Some('x'),
            '“',
            Some('y'),
            Locale::ZhHans
        ));
    }

    // ---- justification ----

    /// JLREQ §3.8, CLREQ §6.2: stretch goes between CJK characters.
    #[test]
    fn cjk_justify_between_han() {
        assert!(inter_char_stretch_ok('漢', '字', Locale::ZhHans));
        assert!(inter_char_stretch_ok('か', 'な', Locale::Ja));
        assert!(inter_char_stretch_ok('。', '漢', Locale::Ja));
        assert!(inter_char_stretch_ok('用', 'R', Locale::ZhHans));
    }

    /// JLREQ Appendix E: no stretch after an opening bracket, before a closing or point mark,
    /// inside —— or between Latin letters.
    #[test]
    fn cjk_justify_forbidden_positions() {
        assert!(!inter_char_stretch_ok('「', '漢', Locale::Ja));
        assert!(!inter_char_stretch_ok('漢', '」', Locale::Ja));
        assert!(!inter_char_stretch_ok('漢', '。', Locale::ZhHans));
        assert!(!inter_char_stretch_ok('—', '—', Locale::ZhHans));
        assert!(!inter_char_stretch_ok('a', 'b', Locale::ZhHans));
        assert!(!inter_char_stretch_ok('カ', 'ー', Locale::Ja));
    }

    /// KLREQ §7.2.2: Korean justifies at word spaces, never between syllables.
    #[test]
    fn cjk_justify_korean_at_spaces_only() {
        assert!(!inter_char_stretch_ok('대', '사', Locale::Ko));
    }

    // ---- hard-wrapped source ----

    /// CLREQ §6.3.3: a source line break between Chinese characters joins with nothing.
    #[test]
    fn cjk_join_chinese_lines_without_space() {
        assert_eq!(join_wrapped_lines('的', '发', Some(Locale::ZhHans)), "");
        assert_eq!(join_wrapped_lines('，', '我', Some(Locale::ZhHans)), "");
        assert_eq!(join_wrapped_lines('す', '。', Some(Locale::Ja)), "");
        assert_eq!(join_wrapped_lines('用', 'R', Some(Locale::ZhHans)), "");
        assert_eq!(join_wrapped_lines('ー', 'ス', None), "");
    }

    /// An English paragraph quoting Chinese keeps its word spaces at a source line break.
    #[test]
    fn cjk_join_latin_paragraph_keeps_space_before_han() {
        assert_eq!(join_wrapped_lines('o', '为', None), " ");
        assert_eq!(join_wrapped_lines('务', 'i', None), " ");
        assert_eq!(join_wrapped_lines('人', '民', None), "");
    }

    /// The pair summary agrees with the single rules: 」「 closes up by half an em and may break,
    /// 用R gains a quarter em and may stretch.
    #[test]
    fn cjk_pair_rules_summary() {
        let closing_opening = pair_rules('」', '「', Locale::Ja);
        assert!(closing_opening.break_ok);
        assert_eq!(closing_opening.adjust_em, -0.5);
        let han_latin = pair_rules('用', 'R', Locale::ZhHans);
        assert_eq!(han_latin.adjust_em, 0.25);
        assert!(han_latin.stretch_ok);
        assert!(!pair_rules('漢', '。', Locale::ZhHans).break_ok);
    }

    /// The ideograph shortcut of `pair_rules` answers as the rules do: every ideograph of
    /// U+4E00..U+9FFF after and before a representative one, and a spread of pairs, in every
    /// locale (Korean takes the rules' way).
    #[test]
    fn cjk_pair_rules_ideograph_shortcut() {
        let block = || '\u{4E00}'..='\u{9FFF}';
        for locale in Locale::ALL {
            for c in block() {
                for (a, b) in [(c, '中'), ('中', c), (c, c)] {
                    assert_eq!(
                        pair_rules(a, b, locale),
                        pair_rules_asked(a, b, locale),
                        "{a}{b}"
                    );
                }
            }
            for a in block().step_by(97) {
                for b in block().step_by(89) {
                    assert_eq!(
                        pair_rules(a, b, locale),
                        pair_rules_asked(a, b, locale),
                        "{a}{b}"
                    );
                }
            }
        }
    }

    /// Half-width katakana punctuation (｡｢｣､･) is not full-width: no blank to compress.
    #[test]
    fn cjk_position_halfwidth_forms_have_no_blank() {
        for c in ['｡', '｢', '｣', '､', '･'] {
            assert_eq!(blank_side(c, Locale::Ja), BlankSide::None, "{c}");
        }
    }

    /// Latin words and Korean (KLREQ §5.2) join with a space.
    #[test]
    fn cjk_join_latin_and_korean_with_space() {
        assert_eq!(join_wrapped_lines('d', 'w', None), " ");
        assert_eq!(join_wrapped_lines('d', 'w', Some(Locale::ZhHans)), " ");
        assert_eq!(join_wrapped_lines('다', '그', Some(Locale::Ko)), " ");
        assert_eq!(join_wrapped_lines('다', '그', None), " ");
        assert_eq!(join_wrapped_lines('.', '大', Some(Locale::Ko)), " ");
    }

    /// The boundaries of `text` as `a|b break stretch adjust` lines, for snapshots.
    fn snapshot(text: &str, locale: Locale) -> String {
        let chars: Vec<char> = text.chars().collect();
        chars
            .windows(2)
            .map(|w| {
                let r = pair_rules(w[0], w[1], locale);
                format!(
                    "{}|{} {} {} {:+.2}\n",
                    w[0],
                    w[1],
                    if r.break_ok { "break" } else { "-----" },
                    if r.stretch_ok { "stretch" } else { "-------" },
                    r.adjust_em
                )
            })
            .collect()
    }

    /// JLREQ §3.1.4, §3.1.7, §3.1.8, §3.2, §3.8: every boundary of a Japanese sentence with
    /// brackets, small kana, ー, a number and consecutive marks (snapshot).
    #[test]
    fn cjk_snapshot_japanese_sentence() {
        let got = snapshot("「ニュースレター」、2017年ですっ。", Locale::Ja);
        assert!(
            got.starts_with("「|ニ -----"),
            "no break after an opening bracket"
        );
        let expected = "\
「|ニ ----- ------- +0.00
ニ|ュ ----- ------- +0.00
ュ|ー ----- ------- +0.00
ー|ス break stretch +0.00
ス|レ break stretch +0.00
レ|タ break stretch +0.00
タ|ー ----- ------- +0.00
ー|」 ----- ------- +0.00
」|、 ----- ------- -0.50
、|2 break stretch +0.00
2|0 ----- ------- +0.00
0|1 ----- ------- +0.00
1|7 ----- ------- +0.00
7|年 break stretch +0.25
年|で break stretch +0.00
で|す break stretch +0.00
す|っ ----- ------- +0.00
っ|。 ----- ------- +0.00
";
        assert_eq!(got, expected);
    }

    // ---- cases typst-doc-cn/clreq records Typst setting wrong ----

    /// CLREQ §6.1.1 (typst-doc-cn/clreq, typst#6774): the interpunct · never starts a line.
    #[test]
    fn cjk_kinsoku_interpunct_never_starts() {
        assert!(!may_start_line('·', Locale::ZhHans));
        assert!(!break_allowed('娜', '·', Locale::ZhHans));
        assert!(break_allowed('·', '罗', Locale::ZhHans));
    }

    /// CLREQ §6.2 (typst-doc-cn/clreq, typst#6062): in 第1回 the stretch may go on both sides of
    /// the digit, not only before it.
    #[test]
    fn cjk_justify_both_sides_of_latin() {
        assert!(inter_char_stretch_ok('第', '1', Locale::ZhHans));
        assert!(inter_char_stretch_ok('1', '回', Locale::ZhHans));
    }

    /// CLREQ §6.3.2 (typst-doc-cn/clreq, typst#5474): ）。 and ）． both compress by half an em.
    #[test]
    fn cjk_compression_closing_before_either_full_stop() {
        assert_eq!(adjacent_compression('）', '。', Locale::ZhHans), 0.5);
        assert_eq!(adjacent_compression('）', '．', Locale::ZhHans), 0.5);
    }

    /// CLREQ §6.3.3 (typst-doc-cn/clreq "T'Pol 是‘虚构’人物"): the quotes around Chinese words are
    /// full-width, the apostrophe of a Latin name is not.
    #[test]
    fn cjk_mixed_quotes_and_apostrophe_in_one_sentence() {
        assert!(quote_is_fullwidth(
            Some('是'),
            '‘',
            Some('虚'),
            Locale::ZhHans
        ));
        assert!(quote_is_fullwidth(
            Some('构'),
            '’',
            Some('人'),
            Locale::ZhHans
        ));
        assert!(!quote_is_fullwidth(
            Some('T'),
            '’',
            Some('P'),
            Locale::ZhHans
        ));
        assert!(!quote_is_fullwidth(
            Some('T'),
            '\'',
            Some('P'),
            Locale::ZhHans
        ));
    }

    /// CLREQ §6.3.3 (typst-doc-cn/clreq justification sample "降低11.6%；2025年"): auto-space
    /// next to the numbers, none where ％ or ； already separates.
    #[test]
    fn cjk_autospace_numbers_and_punctuation() {
        assert_eq!(autospace('低', '1'), 0.25);
        assert_eq!(autospace('%', '；'), 0.0);
        assert_eq!(autospace('；', '2'), 0.0);
        assert_eq!(autospace('5', '年'), 0.25);
    }

    // ---- the bundled faces agree ----

    /// The regular Serif and Sans CJK faces for `locale`.
    fn bundled_faces(locale: Locale) -> Vec<crate::fonts::FaceEntry> {
        let book = crate::fonts::FontBook::bundled();
        book.faces()
            .filter(|(_, f)| {
                f.key
                    .is_some_and(|k| !k.bold && k.cjk == Some(locale.region()))
            })
            .map(|(_, f)| f.clone())
            .collect()
    }

    /// Shapes `c` alone with `feature` (or none) and returns (advance, x offset) in em.
    fn shaped(face: &crate::fonts::FaceEntry, c: char, feature: Option<&str>) -> (f32, f32) {
        use std::str::FromStr;
        let Some(font) = rustybuzz::Face::from_slice(face.data.bytes(), face.index) else {
            panic!("bundled face {} does not parse", face.postscript_name);
        };
        let upem = font.units_per_em() as f32;
        let mut buf = rustybuzz::UnicodeBuffer::new();
        buf.push_str(c.encode_utf8(&mut [0; 4]));
        let features: Vec<rustybuzz::Feature> = feature
            .and_then(|f| rustybuzz::Feature::from_str(f).ok())
            .into_iter()
            .collect();
        let out = rustybuzz::shape(&font, &features, buf);
        let pos = out.glyph_positions();
        assert_eq!(pos.len(), 1, "{c} shaped to {} glyphs", pos.len());
        (
            pos[0].x_advance as f32 / upem,
            pos[0].x_offset as f32 / upem,
        )
    }

    /// CLREQ §6.3.2, JLREQ §3.1.2: the blank halves claimed by [`blank_side`] are exactly what
    /// the bundled faces' `halt` (alternate half widths) feature removes, for every region: GB
    /// corner marks lose their right half, Traditional centred marks a quarter each side, JIS
    /// ・：； a quarter each side. Marks the rules hold fixed (？！ outside GB) are not checked: the
    /// TC face offers a half-width ！ that CLREQ's Taiwan practice does not use.
    #[test]
    fn cjk_position_matches_bundled_halt() {
        for locale in ALL {
            let faces = bundled_faces(locale);
            assert_eq!(faces.len(), 2, "{locale:?}");
            for face in &faces {
                for c in "。，、．：；？！「」（）《》【】『』・".chars() {
                    let (full, _) = shaped(face, c, None);
                    assert!(
                        (full - 1.0).abs() < 0.01,
                        "{c} {} full {full}",
                        face.postscript_name
                    );
                    let (half, offset) = shaped(face, c, Some("halt"));
                    let lead = leading_blank(c, locale);
                    let trail = trailing_blank(c, locale);
                    if lead + trail == 0.0 {
                        // A fixed mark by rule (CLREQ §6.3.2: ？！ in Taiwan/Hong Kong text,
                        // JLREQ cl-04): the face may still offer a half form (TC ！); not used.
                        continue;
                    }
                    assert!(
                        (half - (1.0 - lead - trail)).abs() < 0.01 && (offset + lead).abs() < 0.01,
                        "{c} {}: halt advance {half} offset {offset}, rules say lead {lead} trail {trail}",
                        face.postscript_name
                    );
                }
            }
        }
    }

    /// CLREQ §6.3.2: curly quotes are full-width in the Chinese faces and proportional in the
    /// Japanese and Korean ones, as [`blank_side`] assumes.
    #[test]
    fn cjk_position_curly_quote_widths_match_faces() {
        for locale in ALL {
            for face in &bundled_faces(locale) {
                for c in ['“', '”', '‘', '’'] {
                    let (adv, _) = shaped(face, c, None);
                    let full = (adv - 1.0).abs() < 0.01;
                    assert_eq!(
                        full,
                        blank_side(c, locale) != BlankSide::None,
                        "{c} {} advance {adv}",
                        face.postscript_name
                    );
                }
            }
        }
    }
}
