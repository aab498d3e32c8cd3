//! Diagnostics: what quire tells the user about an input, with file, line and column.

use serde::{Deserialize, Serialize};
use std::fmt;

/// How bad a diagnostic is. Errors stop a render; warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Reported; the render goes on and `quire check` still exits 0.
    Warning,
    /// Stops the render; `quire check` exits 1.
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// One message about an input. `line` and `column` are 1-based; line 0 means "the whole
/// file", column 0 "the whole line".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// The file it is about, as shown to the user: the issue, `quire.yaml`, `readers.csv` …
    pub file: String,
    /// 1-based line; 0 when the message is about the whole file.
    pub line: u32,
    /// 1-based column in characters; 0 when the message is about the whole line.
    pub column: u32,
    /// Whether it stops the render.
    pub severity: Severity,
    /// What is wrong, in a few words and with no final full stop.
    pub message: String,
    /// How to fix it, shown on its own line under the message; left out of the JSON when
    /// `None`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error at `line`:`column` of `file` (0 for the whole file or line).
    pub fn error(file: &str, line: u32, column: u32, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, file, line, column, message)
    }

    /// A warning at `line`:`column` of `file` (0 for the whole file or line).
    pub fn warning(file: &str, line: u32, column: u32, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, file, line, column, message)
    }

    fn new(
        severity: Severity,
        file: &str,
        line: u32,
        column: u32,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            file: file.to_string(),
            line,
            column,
            severity,
            message: message.into(),
            hint: None,
        }
    }

    /// The diagnostic with `hint` added: how to fix what the message says.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Whether it stops the render.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    /// `file:line:column: severity: message`, then `  hint: …` on its own line when there is one.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (0, _) => write!(f, "{}: {}: {}", self.file, self.severity, self.message)?,
            (l, 0) => write!(
                f,
                "{}:{}: {}: {}",
                self.file, l, self.severity, self.message
            )?,
            (l, c) => write!(
                f,
                "{}:{}:{}: {}: {}",
                self.file, l, c, self.severity, self.message
            )?,
        }
        if let Some(h) = &self.hint {
            write!(f, "\n  hint: {h}")?;
        }
        Ok(())
    }
}

/// True when any diagnostic is an error.
pub fn has_errors(diags: &[Diagnostic]) -> bool {
    diags.iter().any(Diagnostic::is_error)
}
