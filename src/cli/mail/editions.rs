//! An issue's editions: the file named on the command line and its translations beside it.
//!
//! `2017-04.txt` is the default edition; `2017-04.zh-Hans.txt`, `2017-04.fr.txt` … (the same
//! name, a BCP 47 tag, the same extension) are editions in those languages, each rendered once
//! with its tag as its language. A reader gets the edition that best matches the `language`
//! column (RFC 4647 lookup: `zh-Hans-CN` -> `zh-Hans`, `zh-TW` -> `zh-Hant`, `fr-CA` -> `fr`),
//! and the default edition when none does.

use crate::cli::env::render_options;
use crate::cli::render::{render_source, Source};
use quire::diag::Diagnostic;
use quire::mail::{html_body, plain_text, Edition, HtmlBody};
use std::path::{Path, PathBuf};

/// One edition, rendered and ready to mail.
pub struct Loaded {
    /// Its language tag (the default edition's is its own `language`).
    pub tag: String,
    pub path: PathBuf,
    pub edition: Edition,
    /// Warnings from rendering it.
    pub warnings: Vec<Diagnostic>,
}

/// The editions of `file`: the default first, then the others sorted by tag.
pub fn load(
    file: &Path,
    encoding: Option<&str>,
    config: Option<&Path>,
) -> Result<Vec<Loaded>, Vec<Diagnostic>> {
    let mut out = vec![render_edition(file, None, encoding, config)?];
    for (tag, path) in siblings(file) {
        if tag.eq_ignore_ascii_case(&out[0].tag) {
            continue;
        }
        out.push(render_edition(&path, Some(tag), encoding, config)?);
    }
    Ok(out)
}

/// `NAME.TAG.EXT` beside `NAME.EXT`, with TAG a language tag.
fn siblings(file: &Path) -> Vec<(String, PathBuf)> {
    let (Some(stem), Some(dir)) = (file.file_stem().and_then(|s| s.to_str()), file.parent()) else {
        return Vec::new();
    };
    let ext = file.extension().and_then(|e| e.to_str()).unwrap_or("");
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<(String, PathBuf)> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let rest = name.strip_prefix(stem)?.strip_prefix('.')?;
            let tag = if ext.is_empty() {
                rest
            } else {
                rest.strip_suffix(ext)?.strip_suffix('.')?
            };
            quire::config::check_language(tag).ok()?;
            e.file_type().ok()?.is_file().then(|| {
                let path = file.with_file_name(&name);
                (tag.to_string(), path)
            })
        })
        .collect();
    found.sort();
    found
}

fn render_edition(
    path: &Path,
    tag: Option<String>,
    encoding: Option<&str>,
    config: Option<&Path>,
) -> Result<Loaded, Vec<Diagnostic>> {
    // The reader's PDF: a booklet, a print shop's marks or greys set under quire.yaml's
    // `print:` are for paper, not for the attachment.
    let opts = quire::RenderOptions {
        lang: tag.clone(),
        print: quire::print::PrintFlags {
            reader_only: true,
            ..Default::default()
        },
        ..render_options()?
    };
    let source = Source {
        file: path,
        encoding,
        config,
    };
    let r = render_source(&source, &opts)?;
    let issue = &r.issue;
    let id = quire::compose::identity(issue);
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("issue");
    let file_name = format!("{stem}.pdf");
    let title = issue
        .meta
        .title
        .clone()
        .or_else(|| issue.headline.as_ref().map(|h| h.text.clone()))
        .unwrap_or_default();
    let newsletter = issue
        .meta
        .newsletter
        .clone()
        .filter(|n| !n.is_empty())
        .unwrap_or(id.name);
    let lang = tag.unwrap_or_else(|| issue.meta.language.clone());
    let values = vec![
        ("newsletter".to_string(), newsletter),
        ("issue_line".to_string(), id.issue_line),
        ("title".to_string(), title),
        // The date as the edition's readers write it ("1er avril 2017", "2017年4月1日"), and
        // as ISO 8601 for templates that want it.
        (
            "date".to_string(),
            issue
                .meta
                .date
                .map(|d| quire::l10n::L10n::new(&lang).long_date(d))
                .unwrap_or_default(),
        ),
        (
            "iso_date".to_string(),
            issue.meta.date.map(|d| d.to_string()).unwrap_or_default(),
        ),
        (
            "number".to_string(),
            issue.meta.issue.map(|n| n.to_string()).unwrap_or_default(),
        ),
        (
            "year".to_string(),
            issue.meta.year.map(|n| n.to_string()).unwrap_or_default(),
        ),
        ("language".to_string(), lang.clone()),
        ("file".to_string(), file_name.clone()),
    ];
    let a = r.theme.accent;
    let to8 = |v: f32| (v.clamp(0.0, 1.0) * 255.0).round() as u8;
    let accent = format!("#{:02x}{:02x}{:02x}", to8(a.0), to8(a.1), to8(a.2));
    let html: HtmlBody = html_body(issue, &accent);
    let edition = Edition::new(&lang, &file_name, &r.pdf, plain_text(issue), html, values);
    Ok(Loaded {
        tag: lang,
        path: path.to_path_buf(),
        edition,
        warnings: r.diagnostics,
    })
}

/// The edition for a reader's language: RFC 4647 lookup over the editions' tags (with the
/// Chinese regions mapped to their scripts), else the default (index 0).
pub fn pick(tags: &[&str], reader: Option<&str>) -> usize {
    let Some(want) = reader.map(str::trim).filter(|w| !w.is_empty()) else {
        return 0;
    };
    let want = chinese_script(want).unwrap_or_else(|| want.to_string());
    let mut range = want.as_str();
    loop {
        if let Some(i) = tags.iter().position(|t| t.eq_ignore_ascii_case(range)) {
            return i;
        }
        match range.rfind('-') {
            Some(p) => range = &range[..p],
            None => break,
        }
    }
    // A bare primary tag ("zh") takes the one edition of that language, if there is one.
    let primary = |t: &str| t.split('-').next().unwrap_or("").to_ascii_lowercase();
    let p = primary(&want);
    let same: Vec<usize> = (0..tags.len()).filter(|&i| primary(tags[i]) == p).collect();
    match same.as_slice() {
        [only] => *only,
        _ if same.contains(&0) => 0,
        [first, ..] => *first,
        [] => 0,
    }
}

/// `zh-CN` -> `zh-Hans-CN`, `zh-TW` -> `zh-Hant-TW`: regions that imply a script.
fn chinese_script(tag: &str) -> Option<String> {
    let mut parts = tag.split('-');
    if !parts.next()?.eq_ignore_ascii_case("zh") {
        return None;
    }
    let second = parts.next()?;
    let script = match second.to_ascii_uppercase().as_str() {
        "CN" | "SG" | "MY" => "Hans",
        "TW" | "HK" | "MO" => "Hant",
        _ => return None,
    };
    Some(format!("zh-{script}-{second}"))
}

#[cfg(test)]
mod tests {
    use super::pick;

    #[test]
    fn editions_pick_by_language() {
        let tags = ["en", "fr", "zh-Hans", "zh-Hant"];
        assert_eq!(pick(&tags, None), 0);
        assert_eq!(pick(&tags, Some("")), 0);
        assert_eq!(pick(&tags, Some("fr-CA")), 1);
        assert_eq!(pick(&tags, Some("ZH-hans")), 2);
        assert_eq!(pick(&tags, Some("zh-CN")), 2);
        assert_eq!(pick(&tags, Some("zh-TW")), 3);
        assert_eq!(pick(&tags, Some("de")), 0);
        assert_eq!(pick(&["en", "zh-Hans"], Some("zh")), 1);
    }
}
