//! The readers of a list send: `readers.csv` with a header row -> readers, and the rows skipped.
//!
//! `email` is required; `name` and `language` are optional; every column (these three too) is
//! available to the subject and unsubscribe templates by its header name. Header names are
//! compared without case, spaces and hyphens counting as underscores (as template names are).
//! Rows with an invalid address, a duplicate address (compared without case) or nothing in
//! them are skipped, each with a warning naming the file and line; the caller reports how many.

use super::template::normalise;
use crate::diag::Diagnostic;
use std::collections::HashMap;

/// One reader of the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reader {
    /// The address as written (trimmed).
    pub email: String,
    /// The display name, when the list gives one.
    pub name: Option<String>,
    /// The reader's language (BCP 47), when the list gives one.
    pub language: Option<String>,
    /// Every column by normalised header name, in column order.
    pub fields: Vec<(String, String)>,
    /// The 1-based line of the row in the file.
    pub line: u32,
}

impl Reader {
    /// The value of a column (normalised name), if the list has it.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The list as read: the readers to mail, the column names, and one warning per skipped row.
#[derive(Debug, Clone, Default)]
pub struct Readers {
    /// Readers to mail, in file order.
    pub readers: Vec<Reader>,
    /// Normalised header names, in column order.
    pub columns: Vec<String>,
    /// One warning per row left out (empty, bad address, duplicate), with its line.
    pub skipped: Vec<Diagnostic>,
}

/// Read a CSV list. `name` names the file in diagnostics. Errors (no header, no `email`
/// column, a row the CSV reader cannot read) stop the run before anything is sent.
pub fn parse_readers(name: &str, text: &str) -> Result<Readers, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = rdr
        .headers()
        .map_err(|e| csv_error(name, &e))?
        .iter()
        .map(normalise)
        .collect::<Vec<_>>();
    let email_col = headers.iter().position(|h| h == "email").ok_or_else(|| {
        Diagnostic::error(name, 1, 0, "the header row has no `email` column")
            .with_hint("the first row names the columns, e.g. email,name,language")
    })?;
    if let Some(dup) = first_duplicate(&headers) {
        return Err(Diagnostic::error(
            name,
            1,
            0,
            format!("the header row names the column `{dup}` twice"),
        ));
    }
    let mut out = Readers {
        columns: headers.clone(),
        ..Readers::default()
    };
    let mut seen: HashMap<String, u32> = HashMap::new();
    let mut lines = LineCounter::default();
    for record in rdr.records() {
        let record = record.map_err(|e| csv_error(name, &e))?;
        let line = record
            .position()
            .map_or(0, |p| lines.line_at(text, p.byte() as usize));
        if record.iter().all(str::is_empty) {
            out.skipped
                .push(Diagnostic::warning(name, line, 0, "empty row, skipped"));
            continue;
        }
        let email = record.get(email_col).unwrap_or("").to_string();
        if let Err(why) = check_address(&email) {
            out.skipped.push(Diagnostic::warning(
                name,
                line,
                0,
                format!("{why}, skipped"),
            ));
            continue;
        }
        let key = email.to_lowercase();
        if let Some(first) = seen.get(&key) {
            out.skipped.push(Diagnostic::warning(
                name,
                line,
                0,
                format!("{email} is already on line {first}, skipped"),
            ));
            continue;
        }
        seen.insert(key, line);
        let fields: Vec<(String, String)> = headers
            .iter()
            .enumerate()
            .map(|(i, h)| (h.clone(), record.get(i).unwrap_or("").to_string()))
            .collect();
        let pick = |k: &str| {
            fields
                .iter()
                .find(|(h, v)| h == k && !v.is_empty())
                .map(|(_, v)| v.clone())
        };
        out.readers.push(Reader {
            // A quoted field may hold line breaks, which no `To:` display name can carry
            // (lettre fails to format the header): white space runs become one space.
            name: pick("name").map(|n| n.split_whitespace().collect::<Vec<_>>().join(" ")),
            language: pick("language"),
            email,
            fields,
            line,
        });
    }
    Ok(out)
}

/// Whether `email` is an address a message can go to; the reason when not.
pub fn check_address(email: &str) -> Result<(), String> {
    if email.is_empty() {
        return Err("no address in the `email` column".to_string());
    }
    if email.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(format!(
            "`{}` is not an e-mail address",
            email.escape_debug()
        ));
    }
    // A quoted local part (`"j.doe"@example.org`) is valid RFC 5322 but read back wrongly by
    // common mail readers when it stands without a name (found by fuzzing: mail-parser reads
    // `@example.org`); no provider hands such addresses out, so a list holding one has a typo.
    if email.contains('"') {
        return Err(format!(
            "`{email}` has a quoted part: quire mails plain addresses (name@example.org)"
        ));
    }
    email
        .parse::<lettre::Address>()
        .map(|_| ())
        .map_err(|_| format!("`{email}` is not an e-mail address"))
}

/// The 1-based line of a record from its byte offset: the CSV reader puts a record after a
/// blank line at the blank line, so the line breaks before its first character are skipped.
/// Counts incrementally (records come in order), so a long list costs one pass.
#[derive(Default)]
struct LineCounter {
    offset: usize,
    newlines: u32,
}

impl LineCounter {
    fn line_at(&mut self, text: &str, byte: usize) -> u32 {
        let bytes = text.as_bytes();
        let mut start = byte.min(bytes.len());
        while start < bytes.len() && (bytes[start] == b'\n' || bytes[start] == b'\r') {
            start += 1;
        }
        if start >= self.offset {
            self.newlines += bytes[self.offset..start]
                .iter()
                .filter(|&&b| b == b'\n')
                .count() as u32;
            self.offset = start;
        }
        self.newlines + 1
    }
}

fn first_duplicate(names: &[String]) -> Option<&str> {
    names
        .iter()
        .enumerate()
        .find(|(i, n)| !n.is_empty() && names[..*i].contains(n))
        .map(|(_, n)| n.as_str())
}

fn csv_error(name: &str, e: &csv::Error) -> Diagnostic {
    let line = e.position().map_or(0, |p| p.line() as u32);
    let what = match e.kind() {
        csv::ErrorKind::Utf8 { .. } => "is not UTF-8 text".to_string(),
        _ => format!("cannot be read as CSV: {e}"),
    };
    Diagnostic::error(name, line, 0, what)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIST: &str = "\u{feff}Email,Name,Language,Unsubscribe Token\n\
        li@example.org,Li Wei,zh-Hans,t1\n\
        \n\
        ann@example.org,\"Smith, Ann\",,t2\n\
        not-an-address,Bad,en,t3\n\
        LI@example.org,Li again,zh-Hans,t4\n\
        ,,,\n";

    #[test]
    fn list_reads_readers_with_columns() {
        let r = parse_readers("readers.csv", LIST).unwrap();
        assert_eq!(r.readers.len(), 2);
        assert_eq!(
            r.columns,
            ["email", "name", "language", "unsubscribe_token"]
        );
        let ann = &r.readers[1];
        assert_eq!(ann.name.as_deref(), Some("Smith, Ann"));
        assert_eq!(ann.language, None);
        assert_eq!(ann.field("unsubscribe_token"), Some("t2"));
        assert_eq!(ann.line, 4);
    }

    #[test]
    fn list_refuses_quoted_addresses() {
        // Found by fuzzing: without a name, readers take `"x"@example.org` for `@example.org`.
        let e = check_address("\"x\"@example.org").unwrap_err();
        assert!(e.contains("quoted part"), "{e}");
        assert!(check_address("x@example.org").is_ok());
    }

    #[test]
    fn list_skips_bad_duplicate_and_empty_rows_with_lines() {
        let r = parse_readers("readers.csv", LIST).unwrap();
        let lines: Vec<u32> = r.skipped.iter().map(|d| d.line).collect();
        assert_eq!(lines, [5, 6, 7], "{:?}", r.skipped);
        assert!(r.skipped[1].message.contains("already on line 2"));
        assert!(r.skipped.iter().all(|d| !d.is_error()));
    }

    #[test]
    fn list_without_email_column_is_an_error() {
        let e = parse_readers("r.csv", "name,language\nAnn,en\n").unwrap_err();
        assert!(e.message.contains("`email`"), "{e}");
        assert!(parse_readers("r.csv", "email,Email\na@b.org,a@b.org\n").is_err());
    }

    #[test]
    fn list_address_checks() {
        assert!(check_address("a@example.org").is_ok());
        assert!(check_address("a@@example.org").is_err());
        assert!(check_address("a@example.org\r\nBcc: x@y.org").is_err());
        assert!(check_address("").is_err());
    }
}
