//! The optional front matter: a YAML block between `---` lines at the very top of an issue.

use crate::config::Config;
use crate::diag::Diagnostic;

/// An issue's text cut into front matter and body.
#[derive(Debug)]
pub struct Split<'a> {
    /// The front matter's configuration, or its error; `None` when there is no front matter.
    pub front: Option<Result<Config, Diagnostic>>,
    /// Other problems with the block (no closing line).
    pub diagnostics: Vec<Diagnostic>,
    /// The text after the front matter (the whole text when there is none).
    pub body: &'a str,
    /// The 1-based line number of the body's first line.
    pub body_first_line: u32,
    /// The line of the closing `---` (0 without front matter).
    pub front_end_line: u32,
}

fn is_fence(line: &str) -> bool {
    line.trim_end() == "---"
}

/// Split `text` (with `\n` line ends) into front matter and body. The front matter opens
/// with a `---` line as the first line and closes with the next `---` or `...` line.
pub fn split<'a>(name: &str, text: &'a str) -> Split<'a> {
    let first_end = text.find('\n').unwrap_or(text.len());
    if !is_fence(&text[..first_end]) {
        return Split {
            front: None,
            diagnostics: Vec::new(),
            body: text,
            body_first_line: 1,
            front_end_line: 0,
        };
    }
    let yaml_start = (first_end + 1).min(text.len());
    let mut offset = yaml_start;
    let mut line_no: u32 = 2;
    while offset < text.len() {
        let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
        let line = &text[offset..end];
        if is_fence(line) || line.trim_end() == "..." {
            let yaml = &text[yaml_start..offset];
            let front = Config::from_yaml(name, yaml)
                .map_err(|mut d| {
                    if d.line > 0 {
                        d.line += 1; // the YAML starts on line 2, after the opening ---
                    }
                    d
                })
                .and_then(|c| match c.encoding {
                    Some(_) => Err(encoding_in_front_matter(name, yaml)),
                    None => Ok(c),
                });
            let body_start = (end + 1).min(text.len());
            // `accent: #ff0000` is a YAML comment, not a colour: say so, as for quire.yaml.
            let diagnostics = Config::empty_colour_warnings(name, yaml)
                .into_iter()
                .map(|mut d| {
                    if d.line > 0 {
                        d.line += 1;
                    }
                    d
                })
                .collect();
            return Split {
                front: Some(front),
                diagnostics,
                body: &text[body_start..],
                body_first_line: line_no + 1,
                front_end_line: line_no,
            };
        }
        offset = end + 1;
        line_no += 1;
    }
    Split {
        front: None,
        diagnostics: vec![Diagnostic::error(
            name,
            1,
            1,
            "the front matter opened by --- on line 1 is never closed",
        )
        .with_hint("end the front matter with a line holding only ---")],
        body: "",
        body_first_line: line_no,
        front_end_line: 0,
    }
}

/// `encoding:` in front matter cannot work: the front matter is text of the file, read after
/// the file is decoded. Its line is that of the key.
fn encoding_in_front_matter(name: &str, yaml: &str) -> Diagnostic {
    let line = yaml
        .lines()
        .position(|l| l.starts_with("encoding:"))
        .map_or(0, |i| i as u32 + 2);
    Diagnostic::error(
        name,
        line,
        u32::from(line > 0),
        "`encoding` cannot be set in front matter: the file is decoded before it is read",
    )
    .with_hint("put `encoding:` in quire.yaml, or give --encoding NAME")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_split_reads_yaml_and_body_line() {
        let s = split("a", "---\ntitle: T\nissue: 3\n---\nBody\n");
        let c = s.front.unwrap().unwrap();
        assert_eq!(c.title.as_deref(), Some("T"));
        assert_eq!(
            (s.body, s.body_first_line, s.front_end_line),
            ("Body\n", 5, 4)
        );
    }

    #[test]
    fn front_error_lines_count_from_file_top() {
        let s = split("a", "---\ntitle: T\ntitel: U\n---\nBody");
        let e = s.front.unwrap().unwrap_err();
        assert_eq!((e.line, e.column), (3, 1));
    }

    #[test]
    fn front_unclosed_is_error() {
        let s = split("a", "---\ntitle: T\n");
        assert!(s.diagnostics[0].message.contains("never closed"));
    }

    #[test]
    fn front_absent_keeps_whole_text() {
        let s = split("a", "NEWSLETTER\n---\n");
        assert!(s.front.is_none());
        assert_eq!(s.body_first_line, 1);
    }
}
