//! `quire extract FILE.pdf [-o DIR] [--force] [--list]`: the files a PDF/A-3 carries (the
//! issue's source text and quire.yaml that `--pdfa 3b` attaches) written back, byte for byte.
//!
//! The attachments are found through the catalog's `/Names /EmbeddedFiles` name tree and its
//! `/AF` array. Names come from the PDF, so they are checked: relative paths of plain parts
//! only (no `..`, no absolute path, no control character). Every check is made before anything
//! is written, then all files are written to temporary names and renamed: a bad input leaves
//! no partial output. The PDF itself is never overwritten; other existing files only with
//! `--force`.

use super::args::ExtractArgs;
use super::io;
use lopdf::{Dictionary, Document, Object};
use quire::diag::Diagnostic;
use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

/// The most an attached file may inflate to (a guard against a deflate bomb).
const MAX_FILE: usize = 1 << 30;
/// The deepest name tree read (a guard against loops).
const MAX_DEPTH: usize = 32;

/// Extract (or list) the attachments; the exit code: 0 done, 1 bad input or failed write.
pub fn run(args: &ExtractArgs) -> i32 {
    match extract(args) {
        Ok(()) => 0,
        Err(d) => {
            super::report::emit(&d);
            1
        }
    }
}

/// A file specification found in the PDF: its object id (when indirect), its dictionary,
/// and its key in the name tree (when it came from there).
type Spec = (Option<lopdf::ObjectId>, Dictionary, Option<Vec<u8>>);

/// One attached file, read.
struct Attached {
    name: String,
    mime: String,
    relationship: String,
    description: String,
    bytes: Vec<u8>,
}

fn extract(args: &ExtractArgs) -> Result<(), Diagnostic> {
    let shown = args.file.display().to_string();
    let fail = |msg: String| Diagnostic::error(&shown, 0, 0, msg);
    let data = match fs::metadata(&args.file) {
        Ok(m) if m.is_dir() => return Err(fail("is a directory, not a PDF".to_string())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(fail("no such file".to_string()))
        }
        _ => fs::read(&args.file).map_err(|e| fail(format!("cannot read: {e}")))?,
    };
    let pdf = Document::load_mem(&data).map_err(|e| fail(format!("not a readable PDF: {e}")))?;
    drop(data);
    let files = attachments(&pdf).map_err(&fail)?;
    if files.is_empty() {
        return Err(fail("has no attached files".to_string()).with_hint(
            "only PDF/A-3 files carry their source: render with `quire render --pdfa 3b`",
        ));
    }
    if args.list {
        for f in &files {
            println!(
                "{}\t{} bytes\t{}\t{}\t{}",
                f.name,
                f.bytes.len(),
                f.mime,
                f.relationship,
                f.description
            );
        }
        return Ok(());
    }
    let dir = args.output.clone().unwrap_or_else(|| PathBuf::from("."));
    let targets = targets(&args.file, &dir, &files, args.force)?;
    for (t, _) in &targets {
        if let Some(parent) = t.parent() {
            fs::create_dir_all(parent).map_err(|e| {
                Diagnostic::error(
                    &parent.display().to_string(),
                    0,
                    0,
                    format!("cannot create: {e}"),
                )
            })?;
        }
    }
    let writes: Vec<(PathBuf, &[u8])> = targets
        .iter()
        .map(|(t, f)| (t.clone(), f.bytes.as_slice()))
        .collect();
    io::write_all_atomic(&writes).map_err(|(path, e)| {
        Diagnostic::error(
            &path.display().to_string(),
            0,
            0,
            format!("cannot write: {e}"),
        )
    })?;
    for (t, f) in &targets {
        println!("{} ({} bytes)", t.display(), f.bytes.len());
    }
    Ok(())
}

/// Where each file goes under `dir`, every name and target checked before anything is written.
fn targets<'a>(
    pdf: &Path,
    dir: &Path,
    files: &'a [Attached],
    force: bool,
) -> Result<Vec<(PathBuf, &'a Attached)>, Diagnostic> {
    let shown = pdf.display().to_string();
    let pdf_real = fs::canonicalize(pdf).ok();
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(files.len());
    for f in files {
        let rel = safe_relative(&f.name).ok_or_else(|| {
            Diagnostic::error(
                &shown,
                0,
                0,
                format!(
                    "attached file name {:?} is not a plain relative path; nothing written",
                    f.name
                ),
            )
        })?;
        if !seen.insert(rel.clone()) {
            return Err(Diagnostic::error(
                &shown,
                0,
                0,
                format!("two attached files are named {:?}; nothing written", f.name),
            ));
        }
        let target = dir.join(&rel);
        let target_shown = target.display().to_string();
        // No folder on the way may be a symlink: the file stays under DIR.
        let mut p = dir.to_path_buf();
        for part in rel.parent().into_iter().flat_map(Path::components) {
            p.push(part);
            if fs::symlink_metadata(&p).is_ok_and(|m| m.file_type().is_symlink()) {
                return Err(Diagnostic::error(
                    &p.display().to_string(),
                    0,
                    0,
                    "is a symlink; nothing written",
                ));
            }
        }
        if let Ok(meta) = fs::symlink_metadata(&target) {
            let same = pdf_real.is_some() && fs::canonicalize(&target).ok() == pdf_real;
            if same {
                return Err(Diagnostic::error(
                    &target_shown,
                    0,
                    0,
                    "is the PDF being read; it is never overwritten (use -o DIR)",
                ));
            }
            if meta.is_dir() {
                return Err(Diagnostic::error(
                    &target_shown,
                    0,
                    0,
                    "is a folder; nothing written",
                ));
            }
            if !force {
                return Err(Diagnostic::error(
                    &target_shown,
                    0,
                    0,
                    "already exists; nothing written",
                )
                .with_hint("use --force to replace it, or -o DIR to write elsewhere"));
            }
        }
        out.push((target, f));
    }
    Ok(out)
}

/// `name` as a relative path of plain parts, or `None` when it could leave the folder or is
/// not a usable file name.
fn safe_relative(name: &str) -> Option<PathBuf> {
    if name.is_empty() || name.chars().any(|c| c.is_control() || c == '\\') {
        return None;
    }
    let mut p = PathBuf::new();
    for part in name.split('/') {
        if part.is_empty() || part == "." || part == ".." {
            return None;
        }
        p.push(part);
    }
    Some(p)
}

/// Every attached file: those of the /EmbeddedFiles name tree, then those of /AF not in it.
fn attachments(pdf: &Document) -> Result<Vec<Attached>, String> {
    let catalog = pdf.catalog().map_err(|e| format!("no catalog: {e}"))?;
    let mut specs: Vec<Spec> = Vec::new();
    if let Some(tree) = catalog
        .get(b"Names")
        .ok()
        .and_then(|n| resolve_dict(pdf, n))
        .and_then(|names| {
            names
                .get(b"EmbeddedFiles")
                .ok()
                .and_then(|t| resolve_dict(pdf, t))
        })
    {
        walk_tree(pdf, tree, 0, &mut specs)?;
    }
    if let Ok(Object::Array(af)) = catalog.get(b"AF").map(|o| resolve(pdf, o)) {
        for o in af {
            let id = o.as_reference().ok();
            if id.is_some() && specs.iter().any(|(s, _, _)| *s == id) {
                continue;
            }
            if let Some(d) = resolve_dict(pdf, o) {
                specs.push((id, d.clone(), None));
            }
        }
    }
    specs
        .iter()
        .map(|(_, d, key)| read_spec(pdf, d, key.as_deref()))
        .collect()
}

/// The name tree's leaves (key, file specification) in order, through /Kids.
fn walk_tree(
    pdf: &Document,
    node: &Dictionary,
    depth: usize,
    out: &mut Vec<Spec>,
) -> Result<(), String> {
    if depth > MAX_DEPTH {
        return Err("the /EmbeddedFiles name tree is too deep".to_string());
    }
    if let Ok(Object::Array(names)) = node.get(b"Names").map(|o| resolve(pdf, o)) {
        for pair in names.chunks(2) {
            let [key, value] = pair else { continue };
            let key = match resolve(pdf, key) {
                Object::String(b, _) => Some(b.clone()),
                _ => None,
            };
            if let Some(d) = resolve_dict(pdf, value) {
                out.push((value.as_reference().ok(), d.clone(), key));
            }
        }
    }
    if let Ok(Object::Array(kids)) = node.get(b"Kids").map(|o| resolve(pdf, o)) {
        for kid in kids {
            if let Some(d) = resolve_dict(pdf, kid) {
                walk_tree(pdf, d, depth + 1, out)?;
            }
        }
    }
    Ok(())
}

/// One file specification's name, type, relationship, description and bytes.
fn read_spec(pdf: &Document, spec: &Dictionary, key: Option<&[u8]>) -> Result<Attached, String> {
    let text = |k: &[u8]| match spec.get(k).map(|o| resolve(pdf, o)) {
        Ok(Object::String(b, _)) => Some(decode_text(b)),
        _ => None,
    };
    let name = text(b"UF")
        .or_else(|| text(b"F"))
        .or_else(|| key.map(decode_text))
        .unwrap_or_default();
    let ef = spec
        .get(b"EF")
        .ok()
        .and_then(|o| resolve_dict(pdf, o))
        .ok_or_else(|| format!("attached file {name:?} has no embedded stream (/EF)"))?;
    let stream = ef
        .get(b"UF")
        .or_else(|_| ef.get(b"F"))
        .ok()
        .map(|o| resolve(pdf, o))
        .and_then(|o| o.as_stream().ok())
        .ok_or_else(|| format!("attached file {name:?} has no embedded stream (/EF /F)"))?;
    let bytes = stream
        .decompressed_content_with_limit(MAX_FILE)
        .map_err(|e| format!("attached file {name:?} cannot be decoded: {e}"))?;
    let params = stream
        .dict
        .get(b"Params")
        .ok()
        .and_then(|o| resolve_dict(pdf, o));
    if let Some(Ok(size)) = params.and_then(|p| p.get(b"Size").ok()).map(Object::as_i64) {
        if size != bytes.len() as i64 {
            return Err(format!(
                "attached file {name:?} is {} bytes, but its /Params /Size says {size}",
                bytes.len()
            ));
        }
    }
    let name_of = |o: Result<&Object, lopdf::Error>| {
        o.ok()
            .and_then(|o| resolve(pdf, o).as_name().ok())
            .map(|n| String::from_utf8_lossy(n).into_owned())
            .unwrap_or_default()
    };
    Ok(Attached {
        mime: name_of(stream.dict.get(b"Subtype")),
        relationship: name_of(spec.get(b"AFRelationship")),
        description: text(b"Desc").unwrap_or_default(),
        name,
        bytes,
    })
}

/// A PDF text string: UTF-16BE after a byte-order mark, UTF-8 after its mark, else
/// PDFDocEncoding (read as Latin-1, which agrees with it on the printable range).
fn decode_text(b: &[u8]) -> String {
    if let Some(rest) = b.strip_prefix(&[0xFE, 0xFF]) {
        let units: Vec<u16> = rest
            .chunks(2)
            .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
            .collect();
        String::from_utf16_lossy(&units)
    } else if let Some(rest) = b.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        String::from_utf8_lossy(rest).into_owned()
    } else {
        b.iter().map(|&c| char::from(c)).collect()
    }
}

/// `o`, or the object it refers to (one level; a dangling reference is `Null`).
fn resolve<'a>(pdf: &'a Document, o: &'a Object) -> &'a Object {
    match o {
        Object::Reference(id) => pdf.get_object(*id).unwrap_or(&Object::Null),
        other => other,
    }
}

fn resolve_dict<'a>(pdf: &'a Document, o: &'a Object) -> Option<&'a Dictionary> {
    resolve(pdf, o).as_dict().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extract_safe_relative_refuses_escapes() {
        assert_eq!(safe_relative("a.txt"), Some(PathBuf::from("a.txt")));
        assert_eq!(
            safe_relative("2017/a.txt"),
            Some(PathBuf::from("2017").join("a.txt"))
        );
        for bad in [
            "",
            "../a.txt",
            "/etc/passwd",
            "a/../../b",
            "a//b",
            "./a",
            "a\\b",
            "a\nb",
        ] {
            assert_eq!(safe_relative(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn extract_decode_text_reads_utf16_and_latin1() {
        assert_eq!(decode_text(&[0xFE, 0xFF, 0x00, 0x61, 0x4E, 0x2D]), "a中");
        assert_eq!(decode_text(b"quire.yaml"), "quire.yaml");
    }
}
