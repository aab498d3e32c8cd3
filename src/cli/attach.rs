//! The files a PDF/A-3b carries as its source (`--pdfa 3b`, `pdfa: 3b`): the text
//! exactly as read and the quire.yaml in force, so an archived PDF keeps what made it.
//! `quire extract` writes them back.

use quire::diag::Diagnostic;
use quire::pdf::Attachment;
use quire::RenderOptions;
use std::fs;
use std::path::Path;

/// The MIME type of an issue's text (whatever its encoding: the bytes are kept as read).
const TEXT: &str = "text/plain";
/// The MIME type of quire.yaml (RFC 9512).
const YAML: &str = "application/yaml";

/// The text as an attachment named `name` (its file name), saying how it was read and
/// which command-line options changed the result.
pub fn source(
    name: &str,
    bytes: Vec<u8>,
    encoding: Option<&str>,
    opts: &RenderOptions,
) -> Attachment {
    let mut how = Vec::new();
    if let Some(e) = encoding {
        how.push(format!("--encoding {e}"));
    }
    if let Some((w, h)) = opts.paper {
        how.push(format!("--paper {w}x{h}pt"));
    }
    if let Some(c) = opts.columns {
        how.push(format!("--columns {c}"));
    }
    if let Some(l) = &opts.lang {
        how.push(format!("--lang {l}"));
    }
    let mut description = "The issue's source text, as read".to_string();
    if !how.is_empty() {
        description.push_str(&format!(" (rendered with {})", how.join(" ")));
    }
    Attachment {
        name: name.to_string(),
        mime: TEXT.to_string(),
        description,
        bytes,
    }
}

/// The quire.yaml at `path` as an attachment named by its file name (or `name` when given).
pub fn config(path: &Path, name: Option<&str>) -> Result<Attachment, Diagnostic> {
    let bytes = fs::read(path).map_err(|e| {
        Diagnostic::error(
            &path.display().to_string(),
            0,
            0,
            format!("cannot read: {e}"),
        )
    })?;
    let name = name
        .map(str::to_string)
        .unwrap_or_else(|| file_name(path, "quire.yaml"));
    Ok(Attachment {
        name,
        mime: YAML.to_string(),
        description: "The quire.yaml in force".to_string(),
        bytes,
    })
}

/// The file name of `path`, or `fallback` when it has none that is valid UTF-8.
pub fn file_name(path: &Path, fallback: &str) -> String {
    path.file_name()
        .and_then(|n| n.to_str())
        .filter(|n| !n.is_empty())
        .unwrap_or(fallback)
        .to_string()
}
