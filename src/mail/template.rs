//! `{placeholder}` templates: the subject line and the unsubscribe link of `quire mail`.
//!
//! A template is parsed once and checked against the names that will be known (the issue's
//! and the reader list's columns) before the first message, so a typo stops the run instead
//! of mailing a thousand readers a subject with a hole in it. Names are compared without case,
//! and spaces or hyphens count as underscores: `{issue line}` = `{Issue_Line}`. `{{` and `}}`
//! write a literal brace.

use std::borrow::Cow;
use thiserror::Error;

/// A parsed template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    /// A normalised placeholder name.
    Field(String),
}

/// What is wrong with a template.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TemplateError {
    /// A `{` with no `}` before the next `{` or the end; at this 1-based byte offset.
    #[error("`{{` at character {0} is not closed by `}}` (write `{{{{` for a brace)")]
    Unclosed(usize),
    /// A single `}` outside any placeholder; at this 1-based byte offset.
    #[error("`}}` at character {0} closes nothing (write `}}}}` for a brace)")]
    Unopened(usize),
    /// `{}`, or a placeholder of only spaces.
    #[error("empty placeholder `{{}}`")]
    Empty,
    /// A placeholder that neither the issue nor the reader list has a value for.
    #[error("unknown placeholder `{{{name}}}`; known: {known}")]
    Unknown {
        /// The placeholder, normalised.
        name: String,
        /// Every known name in braces, comma-separated, for the message.
        known: String,
    },
}

/// `Issue Line` / `issue-line` -> `issue_line`.
pub fn normalise(name: &str) -> String {
    name.trim()
        .chars()
        .map(|c| match c {
            ' ' | '-' => '_',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

impl Template {
    /// Parse `s`; braces must pair up.
    pub fn parse(s: &str) -> Result<Template, TemplateError> {
        let mut parts = Vec::new();
        let mut text = String::new();
        let mut chars = s.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            match c {
                '{' if chars.peek().map(|p| p.1) == Some('{') => {
                    chars.next();
                    text.push('{');
                }
                '}' if chars.peek().map(|p| p.1) == Some('}') => {
                    chars.next();
                    text.push('}');
                }
                '{' => {
                    let rest = &s[i + 1..];
                    let end = rest
                        .find('}')
                        .ok_or_else(|| TemplateError::Unclosed(char_at(s, i)))?;
                    let name = normalise(&rest[..end]);
                    if name.is_empty() {
                        return Err(TemplateError::Empty);
                    }
                    if name.contains('{') {
                        return Err(TemplateError::Unclosed(char_at(s, i)));
                    }
                    if !text.is_empty() {
                        parts.push(Part::Text(std::mem::take(&mut text)));
                    }
                    parts.push(Part::Field(name));
                    // Skip the name and its closing brace.
                    while let Some((j, _)) = chars.peek() {
                        if *j > i + 1 + end {
                            break;
                        }
                        chars.next();
                    }
                }
                '}' => return Err(TemplateError::Unopened(char_at(s, i))),
                c => text.push(c),
            }
        }
        if !text.is_empty() {
            parts.push(Part::Text(text));
        }
        Ok(Template { parts })
    }

    /// The placeholders used, normalised, in order of first use.
    pub fn fields(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for p in &self.parts {
            if let Part::Field(f) = p {
                if !out.contains(&f.as_str()) {
                    out.push(f);
                }
            }
        }
        out
    }

    /// An error for the first placeholder `known` does not hold (`known` is normalised).
    pub fn check(&self, known: &[String]) -> Result<(), TemplateError> {
        match self
            .fields()
            .into_iter()
            .find(|f| !known.iter().any(|k| k == f))
        {
            None => Ok(()),
            Some(name) => Err(TemplateError::Unknown {
                name: name.to_string(),
                known: known
                    .iter()
                    .map(|k| format!("{{{k}}}"))
                    .collect::<Vec<_>>()
                    .join(", "),
            }),
        }
    }

    /// The text with each placeholder replaced by `escape(value)`; a name `value` does not
    /// know becomes empty (call `check` first).
    pub fn fill<'a>(
        &self,
        value: impl Fn(&str) -> Option<Cow<'a, str>>,
        escape: fn(&str) -> Cow<'_, str>,
    ) -> String {
        let mut out = String::new();
        for p in &self.parts {
            match p {
                Part::Text(t) => out.push_str(t),
                Part::Field(f) => {
                    if let Some(v) = value(f) {
                        out.push_str(&escape(&v));
                    }
                }
            }
        }
        out
    }
}

/// The 1-based character position of byte offset `byte` in `s` (for error messages).
fn char_at(s: &str, byte: usize) -> usize {
    s[..byte].chars().count() + 1
}

/// Percent-encodes a value for a URL's path or query (RFC 3986 unreserved characters stay).
pub fn url_escape(v: &str) -> Cow<'_, str> {
    if v.bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b))
    {
        return Cow::Borrowed(v);
    }
    let mut out = String::with_capacity(v.len() * 3);
    for b in v.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fill(t: &Template, pairs: &[(&str, &str)]) -> String {
        t.fill(
            |k| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| Cow::Owned(v.to_string()))
            },
            |v| Cow::Borrowed(v),
        )
    }

    #[test]
    fn template_fills_names_with_spaces_and_case() {
        let t = Template::parse("{newsletter} {Issue Line}: {title}").unwrap();
        assert_eq!(t.fields(), ["newsletter", "issue_line", "title"]);
        let s = fill(
            &t,
            &[
                ("newsletter", "NEWSLETTER"),
                ("issue_line", "Issue Ⅳ of 2017"),
                ("title", "China Releases First Strategy"),
            ],
        );
        assert_eq!(
            s,
            "NEWSLETTER Issue Ⅳ of 2017: China Releases First Strategy"
        );
    }

    #[test]
    fn template_doubled_braces_are_literal() {
        let t = Template::parse("{{not}} {x}}}").unwrap();
        assert_eq!(fill(&t, &[("x", "1")]), "{not} 1}");
    }

    #[test]
    fn template_errors() {
        assert_eq!(Template::parse("a {b"), Err(TemplateError::Unclosed(3)));
        assert_eq!(Template::parse("a } b"), Err(TemplateError::Unopened(3)));
        assert_eq!(Template::parse("{ }"), Err(TemplateError::Empty));
        assert_eq!(Template::parse("简讯 {b"), Err(TemplateError::Unclosed(4)));
        let t = Template::parse("{titel}").unwrap();
        let e = t.check(&["title".to_string()]).unwrap_err();
        assert!(e.to_string().contains("{titel}") && e.to_string().contains("{title}"));
    }

    #[test]
    fn template_url_escape() {
        assert_eq!(url_escape("a.b-c_d~"), "a.b-c_d~");
        assert_eq!(url_escape("a+b@x.org"), "a%2Bb%40x.org");
        assert_eq!(url_escape("李"), "%E6%9D%8E");
    }
}
