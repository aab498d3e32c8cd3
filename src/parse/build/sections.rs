//! Runs of numbered sections: where a run ends, each section's title (run-in or on its own
//! line) and body, and the check that the numerals follow on.

use super::{Kind, Marked, Role, HEADING_LATIN};
use crate::diag::Diagnostic;
use crate::model::{Block, NumeralStyle, Section};
use crate::parse::detect::{is_short, mostly_cjk, SHORT_LATIN};
use crate::parse::markers::SectionMarker;
use crate::parse::numeral::to_roman;
use crate::parse::units::Unit;

/// A run-in section title is a few words ("Shared Governance"), not a sentence.
const RUN_IN_TITLE_WORDS: usize = 8;
/// Run-in titles in CJK text are short phrases ("坚持和平原则").
const RUN_IN_TITLE_CJK: usize = 20;
/// Korean separates words with spaces: a run-in title is a phrase of a few of them.
const RUN_IN_TITLE_CJK_WORDS: usize = 6;

/// Read a run of numbered sections from `i`; returns the index after it.
pub(super) fn sections(
    name: &str,
    marked: Marked,
    mut i: usize,
    blocks: &mut Vec<Block>,
    diags: &mut Vec<Diagnostic>,
) -> usize {
    let Marked {
        units,
        kinds,
        roles,
    } = marked;
    let n = units.len();
    let first_line = units[i].line;
    let mut out: Vec<Section> = Vec::new();
    let mut style = None;
    // True while every section so far has a title on its own line with its body written
    // right under it, no blank line inside ("Ⅰ．青少年交流" / "未来を担う…").
    let mut glued = true;
    while i < n && roles[i] == Role::Body {
        let Kind::Section(m) = &kinds[i] else { break };
        if style.is_some_and(|s| s != m.style) || (m.number == 1 && !out.is_empty()) {
            break; // another style, or a new numbering from 1: a new run
        }
        style = Some(m.style);
        if let Some(prev) = out.last() {
            check_sequence(name, prev, m, &units[i], diags);
        }
        let (title, run_in, body) = split_title(m.rest);
        let own_line_title = title.is_some() && !run_in;
        let mut section = Section {
            numeral: m.numeral.clone(),
            number: m.number,
            style: m.style,
            title,
            run_in,
            body: body.into_iter().collect(),
            line: units[i].line,
        };
        i += 1;
        let mut j = i;
        while j < n && roles[j] == Role::Body && matches!(kinds[j], Kind::Plain) {
            j += 1;
        }
        let continues = j < n
            && roles[j] == Role::Body
            && matches!(&kinds[j], Kind::Section(next) if Some(next.style) == style && next.number != 1);
        // In a run whose sections all hold their body right under the title, the paragraphs
        // after a blank line that follow the last section are the issue's text again.
        if own_line_title && !continues && glued && !out.is_empty() {
            j = (i..j).find(|&k| units[k].blank_before > 0).unwrap_or(j);
        }
        if own_line_title || continues {
            glued =
                glued && own_line_title && i < j && units[i..j].iter().all(|u| u.blank_before == 0);
            section
                .body
                .extend(units[i..j].iter().map(|u| u.text.clone()));
            i = j;
        } else {
            glued = false;
        }
        out.push(section);
    }
    blocks.push(Block::Sections {
        sections: out,
        line: first_line,
    });
    i
}

/// Warn when the section `m` at unit `u` does not follow `prev`: a skipped or repeated
/// numeral.
fn check_sequence(
    name: &str,
    prev: &Section,
    m: &SectionMarker,
    u: &Unit,
    diags: &mut Vec<Diagnostic>,
) {
    let expected = prev.number.saturating_add(1);
    if m.number == expected {
        return;
    }
    let spell = |v: u32| match m.style {
        NumeralStyle::Roman | NumeralStyle::UnicodeRoman => {
            to_roman(v).unwrap_or_else(|| v.to_string())
        }
        _ => v.to_string(),
    };
    let what = match m.style {
        NumeralStyle::Roman | NumeralStyle::UnicodeRoman => "Roman numeral",
        _ => "section number",
    };
    let message = if m.number == prev.number {
        format!(
            "{what} {} repeats the previous section's number (line {})",
            m.numeral, prev.line
        )
    } else {
        format!(
            "{what} sequence skips: {} (line {}) is followed by {}, expected {}",
            prev.numeral,
            prev.line,
            m.numeral,
            spell(expected)
        )
    };
    diags.push(
        Diagnostic::warning(name, u.line, u.column, message)
            .with_hint("renumber the sections, or add the missing one"),
    );
}

/// Split a section line's text into (title, run-in, body).
fn split_title(rest: &str) -> (Option<String>, bool, Option<String>) {
    let rest = rest.trim();
    if rest.is_empty() {
        return (None, false, None);
    }
    if mostly_cjk(rest) {
        // The first stop: 。 ． ： anywhere, or a Latin '.'/':' before a space (Korean
        // "경제 협력. 중국은 …"; "2.5" is not a stop).
        let stop = rest.char_indices().find(|&(p, c)| {
            matches!(c, '。' | '．' | '：')
                || (matches!(c, '.' | ':') && rest[p + 1..].starts_with(char::is_whitespace))
        });
        if let Some((p, c)) = stop {
            let title = rest[..p].trim_end();
            let body = rest[p + c.len_utf8()..].trim();
            let phrase = !title.contains(['，', ',', '；', ';'])
                && title.chars().count() <= RUN_IN_TITLE_CJK
                && title.split_whitespace().count() <= RUN_IN_TITLE_CJK_WORDS;
            if !body.is_empty() && !title.is_empty() && phrase {
                return (Some(title.to_string()), true, Some(body.to_string()));
            }
        }
        if is_short(rest, SHORT_LATIN) {
            return (
                Some(rest.trim_end_matches(['。', '：', ':']).to_string()),
                false,
                None,
            );
        }
        return (None, false, Some(rest.to_string()));
    }
    for (p, _) in rest.match_indices(['.', ':']) {
        let after = &rest[p + 1..];
        if !after.starts_with(' ') {
            continue;
        }
        let title = &rest[..p];
        let last_word = title.rsplit(' ').next().unwrap_or("");
        let initial = last_word.chars().count() == 1 && !matches!(last_word, "I" | "V" | "X");
        if last_word.contains('.') || initial {
            continue; // "U.S. Relations", "John F. Kennedy": an abbreviation, not the title's end
        }
        let words = title.split_whitespace().count();
        if words == 0 || words > RUN_IN_TITLE_WORDS || after.trim().is_empty() {
            break;
        }
        return (
            Some(title.to_string()),
            true,
            Some(after.trim().to_string()),
        );
    }
    if is_short(rest, HEADING_LATIN)
        && rest.split_whitespace().count() <= RUN_IN_TITLE_WORDS * 2
        && !rest.ends_with(',')
    {
        return (
            Some(rest.trim_end_matches(['.', ':']).to_string()),
            false,
            None,
        );
    }
    (None, false, Some(rest.to_string()))
}

#[cfg(test)]
mod tests {
    use super::super::tests::built;
    use super::*;

    #[test]
    fn build_split_title_run_in_and_own_line() {
        assert_eq!(
            split_title("Peace. The international community should observe."),
            (
                Some("Peace".into()),
                true,
                Some("The international community should observe.".into())
            )
        );
        assert_eq!(
            split_title("U.S. Relations. Body text here."),
            (
                Some("U.S. Relations".into()),
                true,
                Some("Body text here.".into())
            )
        );
        assert_eq!(
            split_title("Point V. Body."),
            (Some("Point V".into()), true, Some("Body.".into()))
        );
        assert_eq!(
            split_title("John F. Kennedy Visit. Body."),
            (
                Some("John F. Kennedy Visit".into()),
                true,
                Some("Body.".into())
            )
        );
        assert_eq!(
            split_title("Shared Governance"),
            (Some("Shared Governance".into()), false, None)
        );
        assert_eq!(
            split_title("坚持和平原则。国际社会应当遵守联合国宪章。"),
            (
                Some("坚持和平原则".into()),
                true,
                Some("国际社会应当遵守联合国宪章。".into())
            )
        );
        assert_eq!(
            split_title("경제 협력. 중국은 한국의 최대 교역 상대국입니다."),
            (
                Some("경제 협력".into()),
                true,
                Some("중국은 한국의 최대 교역 상대국입니다.".into())
            )
        );
        assert_eq!(
            split_title("開放協力．国際社会は協力すべきです。"),
            (
                Some("開放協力".into()),
                true,
                Some("国際社会は協力すべきです。".into())
            )
        );
        // A clause (comma) or a long sentence before the stop is body text, not a title.
        let clause = "올해는 한국과 중국이 외교 관계를 수립한 지, 25주년이 되는 해입니다. 양국은 여러 분야에서 발전을 이루어 왔습니다.";
        assert_eq!(split_title(clause), (None, false, Some(clause.into())));
        let sentence = "한국과 중국은 경제 문화 교육 등 여러 분야에서 협력해 왔습니다. 앞으로도 양국은 협력을 계속 넓혀 갈 것입니다.";
        assert_eq!(split_title(sentence), (None, false, Some(sentence.into())));
        assert_eq!(
            split_title("성장률 2.5 퍼센트 달성"),
            (Some("성장률 2.5 퍼센트 달성".into()), false, None)
        );
        let long = "The international community should promote greater openness and cooperation in cyberspace, in order to ensure that people across the world can share";
        assert_eq!(split_title(long), (None, false, Some(long.into())));
    }

    #[test]
    fn build_glued_sections_end_at_the_blank_line() {
        let issue = built(
            "Intro text.\n\nI. Peace\nBody one.\n\nII. Trade\nBody two.\n\nThe closing paragraph of the issue text.",
        );
        let Some(Block::Sections { sections, .. }) = issue.blocks.get(1) else {
            panic!("sections: {:?}", issue.blocks);
        };
        assert_eq!(sections[1].body, ["Body two."]);
        assert!(matches!(
            issue.blocks.get(2),
            Some(Block::Paragraph { text, .. }) if text == "The closing paragraph of the issue text."
        ));
        // A single section is no layout to judge by: its paragraphs stay its body.
        let issue = built("Intro text.\n\nI. Peace\nBody one.\n\nMore of section one.");
        let Some(Block::Sections { sections, .. }) = issue.blocks.get(1) else {
            panic!("sections: {:?}", issue.blocks);
        };
        assert_eq!(sections[0].body, ["Body one.", "More of section one."]);
    }
}
