//! What makes an export incremental: the manifest (OUTDIR/manifest.json, read at the start,
//! saved while issues finish and at the end) and the input keys that say an output is up to date.

use super::outdir::write_output;
use super::plan::{font_hashes, Job};
use super::{Outcome, Setup};
use crate::cli::io;
use quire::config::Config;
use quire::diag::Diagnostic;
use quire::parse::decode::decode;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The manifest's file name inside OUTDIR.
pub const MANIFEST: &str = "manifest.json";
/// The manifest is saved at most this often while issues finish: often enough that a killed
/// run loses little, rarely enough that its cost stays out of the throughput.
const SAVE_EVERY: Duration = Duration::from_millis(500);

/// What became of an issue or volume; in manifest.json as "rendered", "up to date", "failed".
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Status {
    #[serde(rename = "rendered")]
    Rendered,
    #[serde(rename = "up to date")]
    UpToDate,
    #[default]
    #[serde(rename = "failed")]
    Failed,
}

impl Status {
    /// The word used in manifest.json and in the progress lines.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Rendered => "rendered",
            Status::UpToDate => "up to date",
            Status::Failed => "failed",
        }
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One manifest entry: an issue (or, in `volumes`, a volume) and what became of it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// The issue file, relative to DIR, '/' between folders.
    pub source: String,
    /// The PDF, relative to OUTDIR.
    pub output: String,
    pub title: Option<String>,
    pub newsletter: Option<String>,
    pub issue: Option<u32>,
    pub year: Option<i32>,
    pub date: Option<String>,
    pub language: Option<String>,
    pub pages: usize,
    pub bytes: u64,
    /// SHA-256 of the PDF, hex; `null` when there is no PDF (a failed entry).
    #[serde(default)]
    pub sha256: Option<String>,
    /// The PDF/A level the PDF claims (`2b`, `3b`); left out for a plain PDF.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pdfa: Option<String>,
    /// The booklet written beside the PDF (`--booklet`), relative to OUTDIR.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub booklet: Option<String>,
    /// SHA-256 of the booklet, hex.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub booklet_sha256: Option<String>,
    pub status: Status,
    /// SHA-256 (hex) of quire's version, the effective configuration, `--pdfa`,
    /// SOURCE_DATE_EPOCH and the input bytes: the output is up to date when this and the PDF's
    /// sha256 still match.
    pub input: String,
    /// Errors and warnings, as objects of the same shape as `quire check --json`'s; an up
    /// to date entry's are shown again, so a second run does not hide them.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "diagnostics_or_none"
    )]
    pub diagnostics: Vec<Diagnostic>,
    /// Volumes only: the sources bound into it, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub issues: Vec<String>,
}

impl Entry {
    /// The files the entry vouches for: its PDF and its booklet, each with its SHA-256.
    pub fn outputs(&self) -> impl Iterator<Item = (&str, Option<&str>)> {
        std::iter::once((self.output.as_str(), self.sha256.as_deref())).chain(
            self.booklet
                .as_deref()
                .map(|b| (b, self.booklet_sha256.as_deref())),
        )
    }

    /// Records the booklet written beside the PDF: its path (relative to OUTDIR) and SHA-256.
    pub fn record_booklet(&mut self, rel: &Path, bytes: &[u8]) {
        self.booklet = Some(super::plan::slash(rel));
        self.booklet_sha256 = Some(hex(&Sha256::digest(bytes)));
    }

    /// The entry as failed, with `diags` as its diagnostics: the one way an export fails.
    pub fn fail(mut self, diags: Vec<Diagnostic>) -> Outcome {
        self.status = Status::Failed;
        self.sha256 = None;
        self.booklet_sha256 = None;
        self.diagnostics = diags.clone();
        (self, diags)
    }

    /// The entry as failed with one error about `file`.
    pub fn fail_with(self, file: &str, message: impl Into<String>) -> Outcome {
        let d = Diagnostic::error(file, 0, 0, message);
        self.fail(vec![d])
    }
}

/// OUTDIR/manifest.json.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// The quire version that wrote it.
    pub quire: String,
    pub issues: Vec<Entry>,
    #[serde(default)]
    pub volumes: Vec<Entry>,
}

impl Manifest {
    /// A manifest of this quire version.
    pub fn new(issues: Vec<Entry>, volumes: Vec<Entry>) -> Manifest {
        Manifest {
            quire: env!("CARGO_PKG_VERSION").to_string(),
            issues,
            volumes,
        }
    }

    /// Whether any issue or volume failed.
    pub fn any_failed(&self) -> bool {
        self.issues
            .iter()
            .chain(&self.volumes)
            .any(|e| e.status == Status::Failed)
    }
}

/// The previous run's entries (issues and volumes) by source; none when there is no readable
/// manifest (then everything is rendered again).
pub fn previous_entries(outdir: &Path) -> HashMap<String, Entry> {
    read_manifest(outdir)
        .map(|m| {
            m.issues
                .into_iter()
                .chain(m.volumes)
                .map(|e| (e.source.clone(), e))
                .collect()
        })
        .unwrap_or_default()
}

/// The manifest of an earlier run; `None` when there is none or it cannot be read.
fn read_manifest(outdir: &Path) -> Option<Manifest> {
    let bytes = fs::read(outdir.join(MANIFEST)).ok()?;
    match serde_json::from_slice(&bytes) {
        Ok(m) => Some(m),
        Err(e) => {
            let path = outdir.join(MANIFEST).display().to_string();
            let message = format!("unreadable manifest, rendering everything: {e}");
            crate::cli::report::emit(&Diagnostic::warning(&path, 0, 0, message));
            None
        }
    }
}

/// Write the manifest atomically, under the same temporary name scheme as the PDFs so a
/// killed run's leftover is cleaned up by the next.
pub fn write_manifest(outdir: &Path, m: &Manifest) -> std::io::Result<()> {
    let mut json = serde_json::to_vec_pretty(m).map_err(std::io::Error::other)?;
    json.push(b'\n');
    write_output(outdir, Path::new(MANIFEST), &json, None)
}

/// The previous entry for `entry.source`, marked up to date, when its input key matches and
/// its PDF is still the one it wrote (same sha256).
pub fn up_to_date(setup: &Setup, entry: &Entry) -> Option<Entry> {
    if setup.force {
        return None;
    }
    let prev = setup.previous.get(&entry.source)?;
    if prev.status == Status::Failed || prev.input != entry.input || prev.output != entry.output {
        return None;
    }
    if !prev
        .outputs()
        .all(|(output, sha)| owns(&setup.outdir, output, sha))
    {
        return None;
    }
    let mut e = prev.clone();
    e.status = Status::UpToDate;
    Some(e)
}

/// Whether `output` (relative to OUTDIR) is still the file the export wrote: it exists and
/// its SHA-256 is `sha`, the one recorded (a file replaced by hand is not the export's any
/// more).
pub fn owns(outdir: &Path, output: &str, sha: Option<&str>) -> bool {
    let Some(sha) = sha.filter(|s| !s.is_empty()) else {
        return false;
    };
    fs::read(outdir.join(output)).is_ok_and(|bytes| hex(&Sha256::digest(&bytes)) == sha)
}

/// Diagnostics as written by this version (objects), or nothing for an older manifest's
/// strings: they are not worth failing the whole manifest for.
fn diagnostics_or_none<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Vec<Diagnostic>, D::Error> {
    let values = Vec::<serde_json::Value>::deserialize(d)?;
    Ok(values
        .into_iter()
        .filter_map(|v| serde_json::from_value(v).ok())
        .collect())
}

/// The input key: quire's version, the configuration(s), SOURCE_DATE_EPOCH and the input bytes.
pub fn input_key(configs: &[&[u8]], bytes: &[u8], sde: Option<i64>) -> String {
    let mut h = Sha256::new();
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    for c in configs {
        h.update([0u8]);
        h.update(c);
    }
    h.update([0u8]);
    h.update(format!("{sde:?}").as_bytes());
    h.update([0u8]);
    h.update(bytes);
    hex(&h.finalize())
}

/// One issue file as an export input: its text, the font files its front matter adds (beyond
/// quire.yaml's) and its input key, which covers those fonts' bytes too.
pub struct IssueInput {
    pub text: Result<String, Diagnostic>,
    pub front_fonts: Vec<PathBuf>,
    pub key: String,
}

impl IssueInput {
    pub fn read(job: &Job, base: &Config, config_hash: &str, bytes: &[u8], setup: &Setup) -> Self {
        let opts = &setup.opts;
        // `--encoding` wins over quire.yaml's `encoding:` (which the configuration's hash covers).
        let encoding = setup
            .encoding
            .as_deref()
            .or(base.encoding.as_ref().map(|e| e.0.as_str()));
        let text = decode(&job.source, bytes, encoding);
        let front_fonts = match &text {
            Ok(t) => io::front_matter_fonts(&job.source, t, &job.found.path, &io::yaml_fonts(base)),
            Err(_) => Vec::new(),
        };
        // An issue without such fonts keeps the key it always had.
        let front_key = font_hashes(
            &front_fonts
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>(),
        );
        let mut parts: Vec<&[u8]> = vec![config_hash.as_bytes()];
        if !front_fonts.is_empty() {
            parts.push(front_key.as_bytes());
        }
        // `--pdfa` (quire.yaml's `pdfa:` is in the configuration's hash); none keeps the key.
        let pdfa = opts.pdfa.map(|l| format!("pdfa={l}"));
        if let Some(p) = &pdfa {
            parts.push(p.as_bytes());
        }
        // `--booklet`, `--print-shop`, `--pdfx`, `--grey` likewise (quire.yaml's `print:` is
        // in the configuration's hash).
        let print = (opts.print != quire::print::PrintFlags::default())
            .then(|| format!("print={:?}", opts.print));
        if let Some(p) = &print {
            parts.push(p.as_bytes());
        }
        // `--encoding` likewise: none keeps the key.
        let flag = setup.encoding.as_ref().map(|e| format!("encoding={e}"));
        if let Some(e) = &flag {
            parts.push(e.as_bytes());
        }
        IssueInput {
            key: input_key(&parts, bytes, opts.source_date_epoch),
            text,
            front_fonts,
        }
    }
}

/// Saves the manifest while the workers run, so a killed run keeps what it finished: the
/// previous manifest's entries, updated with every entry finished since.
pub struct Saver {
    state: Mutex<SaverState>,
}

struct SaverState {
    manifest: Manifest,
    last: Instant,
}

impl Saver {
    pub fn new(previous: &HashMap<String, Entry>) -> Saver {
        let mut issues: Vec<Entry> = Vec::new();
        let mut volumes: Vec<Entry> = Vec::new();
        for e in previous.values() {
            if e.issues.is_empty() {
                issues.push(e.clone());
            } else {
                volumes.push(e.clone());
            }
        }
        Saver {
            state: Mutex::new(SaverState {
                manifest: Manifest::new(issues, volumes),
                last: Instant::now(),
            }),
        }
    }

    pub fn record(&self, outdir: &Path, entry: &Entry, is_volume: bool) {
        let Ok(mut s) = self.state.lock() else { return };
        let list = if is_volume {
            &mut s.manifest.volumes
        } else {
            &mut s.manifest.issues
        };
        match list.iter_mut().find(|e| e.source == entry.source) {
            Some(e) => *e = entry.clone(),
            None => list.push(entry.clone()),
        }
        if s.last.elapsed() >= SAVE_EVERY {
            s.manifest.issues.sort_by(|a, b| a.source.cmp(&b.source));
            s.manifest.volumes.sort_by(|a, b| a.source.cmp(&b.source));
            let _ = write_manifest(outdir, &s.manifest);
            s.last = Instant::now();
        }
    }
}

/// Bytes as lowercase hex (the manifest's hashes and input keys).
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn export_input_key_changes_with_each_part() {
        let k = input_key(&[b"cfg"], b"text", Some(0));
        assert_eq!(k, input_key(&[b"cfg"], b"text", Some(0)));
        assert_ne!(k, input_key(&[b"cfg2"], b"text", Some(0)));
        assert_ne!(k, input_key(&[b"cfg"], b"text.", Some(0)));
        assert_ne!(k, input_key(&[b"cfg"], b"text", Some(1)));
        assert_ne!(k, input_key(&[b"cfg"], b"text", None));
    }

    #[test]
    fn export_manifest_round_trips() {
        let m = Manifest {
            quire: "0.1.0".into(),
            issues: vec![Entry {
                source: "a.txt".into(),
                status: Status::Rendered,
                ..Entry::default()
            }],
            volumes: Vec::new(),
        };
        let json = serde_json::to_string(&m).unwrap();
        assert_eq!(serde_json::from_str::<Manifest>(&json).unwrap(), m);
    }

    #[test]
    fn export_status_keeps_its_manifest_words() {
        for (s, word) in [
            (Status::Rendered, "rendered"),
            (Status::UpToDate, "up to date"),
            (Status::Failed, "failed"),
        ] {
            assert_eq!(serde_json::to_string(&s).unwrap(), format!("\"{word}\""));
            assert_eq!(
                serde_json::from_str::<Status>(&format!("\"{word}\"")).unwrap(),
                s
            );
            assert_eq!(s.to_string(), word);
        }
    }

    #[test]
    fn export_fail_records_the_diagnostics() {
        let entry = Entry {
            source: "a.txt".into(),
            status: Status::Rendered,
            ..Entry::default()
        };
        let (e, diags) = entry.fail_with("a.txt", "cannot read: gone");
        assert_eq!(e.status, Status::Failed);
        assert_eq!(e.sha256, None);
        assert_eq!(
            e.diagnostics[0].to_string(),
            "a.txt: error: cannot read: gone"
        );
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["sha256"], serde_json::Value::Null);
        assert_eq!(json["diagnostics"][0]["severity"], "error");
        assert_eq!(json["diagnostics"][0]["message"], "cannot read: gone");
        assert_eq!(diags.len(), 1);
    }
}
