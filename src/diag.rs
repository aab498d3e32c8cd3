//! Diagnostics: what quire tells the user about an input, with file, line and column.

use serde::Serialize;
use std::fmt;

/// How bad a diagnostic is. Errors stop a render; warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
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

/// One message about an input. `line` and `column` are 1-based; 0 means "the whole file".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub severity: Severity,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(file: &str, line: u32, column: u32, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, file, line, column, message)
    }

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

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

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
