//! The newsletter's name and issue line, decided once for the PDF's masthead and footer and
//! for the e-mail edition.

use crate::model::Issue;

/// The newsletter's name and issue line for the masthead and footer (and the e-mail's subject).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// "NEWSLETTER"
    pub name: String,
    /// "Issue Ⅳ of 2017"
    pub issue_line: String,
}

/// The newsletter's name and issue line, decided once for the PDF and the e-mail edition.
pub fn identity(issue: &Issue) -> Identity {
    // Front matter over the masthead over quire.yaml, as documented ([`Issue::newsletter`]).
    let name = issue.newsletter().unwrap_or_default().to_string();
    let numeral = issue
        .masthead
        .as_ref()
        .and_then(|m| m.numeral.clone())
        .or_else(|| issue.meta.issue.map(|n| n.to_string()));
    let year = issue
        .meta
        .year
        .or_else(|| issue.masthead.as_ref().and_then(|m| m.year));
    // The masthead's own words after the name ("Issue Ⅳ of 2017", "2017年 第Ⅸ号") when the
    // front matter does not say otherwise: the issue line reads as the office wrote it.
    if let Some(m) = &issue.masthead {
        let rest = m
            .text
            .strip_prefix(m.name.as_str())
            // The separator between name and issue line belongs to neither ("Consular Update
            // — April 2017" has the issue line "April 2017").
            .map(|r| {
                r.trim_start_matches(|c: char| c.is_whitespace() || "—–-·|:,/".contains(c))
                    .trim_end()
            });
        let agrees = issue.meta.issue.is_none() || issue.meta.issue == m.number;
        if let Some(rest) = rest.filter(|r| !r.is_empty() && agrees) {
            return Identity {
                name,
                issue_line: rest.to_string(),
            };
        }
    }
    // Otherwise the issue line in the issue's language ("Issue Ⅳ of 2017", "Numéro Ⅳ, 2017",
    // "2017年 第Ⅳ期"), from the one table of words.
    let issue_line =
        crate::l10n::L10n::new(&issue.meta.language).issue_line(numeral.as_deref(), year);
    Identity { name, issue_line }
}
