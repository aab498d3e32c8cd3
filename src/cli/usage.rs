//! Usage errors: a flag's value that cannot be right whatever the input, reported in one line
//! naming the flag, with exit code 2 (bad input is 1). Checked before any file is read.

use quire::diag::Diagnostic;
use std::path::Path;

/// The exit code of a usage error (a bad flag or flag value), as clap's own.
pub const EXIT: i32 = 2;

/// A usage error: `FLAG: error: MESSAGE`, on one line.
pub fn error(flag: &str, message: impl Into<String>) -> Diagnostic {
    Diagnostic::error(flag, 0, 0, message)
}

/// `--paper`: a name or a size, in points.
pub fn paper(value: Option<&str>) -> Result<Option<(f32, f32)>, Diagnostic> {
    value
        .map(|p| quire::config::parse_paper(p).map_err(|e| error("--paper", e)))
        .transpose()
}

/// `--max-input SIZE` (as quire.yaml's `mail.max_size`: `64MB`, `100MiB`, `5000000`): the
/// largest issue the run reads, set for the whole run (`io::set_max_input`); none keeps the
/// default, 64 MB.
pub fn max_input(value: Option<&str>) -> Result<(), Diagnostic> {
    if let Some(v) = value {
        let bytes = quire::config::parse_byte_size(v).map_err(|e| error("--max-input", e))?;
        super::io::set_max_input(bytes);
    }
    Ok(())
}

/// `--encoding`: a WHATWG label encoding_rs knows.
pub fn encoding(value: Option<&str>) -> Result<(), Diagnostic> {
    match value {
        Some(label) => quire::config::check_encoding(label).map_err(|e| error("--encoding", e)),
        None => Ok(()),
    }
}

/// `--lang`: the shape of a BCP 47 tag, as front matter's `language` is checked.
pub fn lang(value: Option<&str>) -> Result<(), Diagnostic> {
    match value {
        Some(tag) => quire::config::check_language(tag).map_err(|e| error("--lang", e)),
        None => Ok(()),
    }
}

/// Whether a PDF may go to standard output: not when it is a terminal (binary on a screen).
pub fn stdout_for_pdf(stdout_is_terminal: bool) -> Result<(), Diagnostic> {
    if stdout_is_terminal {
        Err(error(
            "-o -",
            "stdout is a terminal; redirect it or use -o FILE",
        ))
    } else {
        Ok(())
    }
}

/// `--dump-lines` prints to stdout: with `-o -` the dump and the PDF would share it.
pub fn dump_lines_output(dump_lines: bool, output: Option<&Path>) -> Result<(), Diagnostic> {
    if dump_lines && output.is_some_and(|o| o.as_os_str() == "-") {
        Err(error(
            "--dump-lines",
            "the dump goes to stdout, so the PDF cannot: use -o FILE",
        ))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usage_pdf_never_goes_to_a_terminal() {
        let e = stdout_for_pdf(true).unwrap_err();
        assert_eq!(
            e.to_string(),
            "-o -: error: stdout is a terminal; redirect it or use -o FILE"
        );
        assert!(stdout_for_pdf(false).is_ok());
    }

    #[test]
    fn usage_flag_values_checked() {
        assert!(paper(Some("tabloid")).is_err());
        assert_eq!(paper(Some("letter")).unwrap(), Some((612.0, 792.0)));
        assert_eq!(paper(None).unwrap(), None);
        assert!(encoding(Some("latin9000")).is_err());
        assert!(encoding(Some("gb18030")).is_ok());
        assert!(lang(Some("xx-!!")).is_err());
        assert!(lang(Some("zh-Hans")).is_ok());
        assert!(dump_lines_output(true, Some(Path::new("-"))).is_err());
        assert!(dump_lines_output(true, Some(Path::new("x.pdf"))).is_ok());
        assert!(dump_lines_output(false, Some(Path::new("-"))).is_ok());
    }
}
