//! Character classes, decided once: which characters are Han, kana, Hangul, CJK
//! punctuation, East Asian wide, and which face family a character wants. The parser, the CJK
//! rules (`cjk`) and the inline stages ask here.

use unicode_script::{Script, UnicodeScript};

/// Han ideographs: CJK Unified Ideographs and their extensions, compatibility ideographs, and 〇
/// (U+3007, set like a Han character). 々 is not included: it is an iteration mark (cl-09).
pub fn is_han(c: char) -> bool {
    matches!(c,
        '\u{3007}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2FA1F}'
        | '\u{30000}'..='\u{3134F}')
}

/// Hiragana and katakana, including small kana, ー, phonetic extensions and half-width katakana;
/// not the punctuation of the katakana block (゠ U+30A0, ・ U+30FB).
pub fn is_kana(c: char) -> bool {
    !matches!(c, '\u{30A0}' | '\u{30FB}')
        && matches!(c,
        '\u{3041}'..='\u{309F}'
        | '\u{30A0}'..='\u{30FF}'
        | '\u{31F0}'..='\u{31FF}'
        | '\u{FF66}'..='\u{FF9F}'
        | '\u{1B000}'..='\u{1B16F}')
}

/// Hangul syllables and jamo.
pub fn is_hangul(c: char) -> bool {
    matches!(c,
        '\u{1100}'..='\u{11FF}'
        | '\u{3130}'..='\u{318F}'
        | '\u{A960}'..='\u{A97F}'
        | '\u{AC00}'..='\u{D7AF}'
        | '\u{D7B0}'..='\u{D7FF}'
        | '\u{FFA0}'..='\u{FFDC}')
}

/// Full-width CJK punctuation and symbols: the CJK Symbols and Punctuation block, the full-width
/// forms block (not its half-width part), and the vertical and small forms.
pub fn is_fullwidth_punct(c: char) -> bool {
    matches!(c,
        '\u{3000}'..='\u{3006}'
        | '\u{3008}'..='\u{303F}'
        | '\u{30FB}'
        | '\u{FE10}'..='\u{FE1F}'
        | '\u{FE30}'..='\u{FE4F}'
        | '\u{FF01}'..='\u{FF0F}'
        | '\u{FF1A}'..='\u{FF20}'
        | '\u{FF3B}'..='\u{FF40}'
        | '\u{FF5B}'..='\u{FF60}'
        | '\u{FFE0}'..='\u{FFE6}')
        && !is_han(c)
}

/// Han, kana, Hangul, CJK punctuation and full-width forms: the characters about two Latin
/// letters wide. The parser's length limits and "mostly CJK" test count these (Hangul among
/// them: a Korean line is as wide as a Chinese one, though Korean spaces its words).
pub fn is_east_asian(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF | 0x2E80..=0x2FDF | 0x3000..=0x303F | 0x3040..=0x30FF | 0x3100..=0x31FF
        | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF
        | 0xFF00..=0xFFEF | 0x20000..=0x3FFFF)
}

/// Which face family a character wants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScriptClass {
    /// Latin, Greek, Cyrillic, digits, Latin punctuation and everything not CJK.
    Latin,
    /// Han, kana, Hangul, bopomofo, CJK punctuation and full-width forms.
    Cjk,
    /// Shared by both (quotes, apostrophe, dashes, ellipsis, middle dot, Roman numerals,
    /// spaces): takes the class of its neighbours.
    Neutral,
}

/// The class of one character.
pub fn classify(c: char) -> ScriptClass {
    if c.is_ascii() {
        // Fast path for the common case; ASCII is Latin apart from spaces and quotes.
        return match c {
            ' ' | '\t' | '\'' | '"' => ScriptClass::Neutral,
            _ => ScriptClass::Latin,
        };
    }
    match c {
        ' ' | '\t' | '\u{A0}' | '\'' | '"' | '\u{B7}' | '\u{2010}'..='\u{2015}' => {
            ScriptClass::Neutral
        }
        '\u{2018}'..='\u{201F}' | '\u{2025}'..='\u{2027}' | '\u{2160}'..='\u{2188}' => {
            ScriptClass::Neutral
        }
        '\u{2E80}'..='\u{2FDF}'
        | '\u{2FF0}'..='\u{303F}'
        | '\u{3200}'..='\u{33FF}'
        | '\u{FE10}'..='\u{FE1F}'
        | '\u{FE30}'..='\u{FE4F}'
        | '\u{FF00}'..='\u{FFEF}' => ScriptClass::Cjk,
        _ => match c.script() {
            Script::Han | Script::Hiragana | Script::Katakana | Script::Hangul => ScriptClass::Cjk,
            Script::Bopomofo => ScriptClass::Cjk,
            _ => ScriptClass::Latin,
        },
    }
}
