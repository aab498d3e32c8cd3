//! `quire export DIR -o OUTDIR`: every issue under DIR to a PDF in OUTDIR, in parallel,
//! incrementally (by content hash, recorded in OUTDIR/manifest.json), atomically, and with
//! annual volumes on request.
//!
//! The order of work never shows in the results: the PDFs depend only on their inputs, and the
//! manifest is sorted by source. Every file is written to a temporary name in its final
//! folder and renamed, so a run killed at any moment leaves whole files only; the manifest is
//! saved as issues finish, so the next run picks up where the killed one stopped.

mod walk;

use super::args::ExportArgs;
use super::io;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};
use quire::config::Config;
use quire::diag::Diagnostic;
use quire::fonts::FontBook;
use quire::parse::decode::decode;
use quire::volume::{self, VolumeIssue};
use quire::RenderOptions;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The manifest's file name inside OUTDIR.
pub const MANIFEST: &str = "manifest.json";
/// Marks quire's temporary files (".NAME.quire-tmp-PID"), removed by the next run when a
/// killed one left them.
const TMP_MARK: &str = ".quire-tmp-";
/// The manifest is saved at most this often while issues finish: often enough that a killed
/// run loses little, rarely enough that its cost stays out of the throughput.
const SAVE_EVERY: Duration = Duration::from_millis(500);
/// How many failures the summary line names before "…": the rest are in the diagnostics above.
const SUMMARY_FAILURES: usize = 3;

/// Run the export; the exit code is 0 when everything is exported, 1 when any issue or
/// volume failed, 2 when the export could not start (DIR unreadable, OUTDIR not writable).
pub fn run(args: &ExportArgs) -> i32 {
    match export(args) {
        Ok(failed) => i32::from(failed),
        Err(e) => {
            eprintln!("quire export: error: {e:#}");
            2
        }
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
    /// SHA-256 of the PDF, hex.
    pub sha256: String,
    /// "rendered", "up to date" or "failed".
    pub status: String,
    /// SHA-256 (hex) of quire's version, the effective configuration, SOURCE_DATE_EPOCH and
    /// the input bytes: the output is up to date when this and the PDF's sha256 still match.
    pub input: String,
    /// Error and warning lines ("file:line:col: severity: message").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub diagnostics: Vec<String>,
    /// Volumes only: the sources bound into it, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub issues: Vec<String>,
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

const RENDERED: &str = "rendered";
const UP_TO_DATE: &str = "up to date";
const FAILED: &str = "failed";

/// One issue to export.
struct Job {
    found: walk::Found,
    /// The relative source as shown ('/' separators).
    source: String,
    out_rel: PathBuf,
    /// Index into `Setup::configs`.
    config: usize,
    /// Set when the job cannot run (two sources with one output name).
    clash: Option<String>,
}

/// A quire.yaml in force, its hash and the font book it asks for.
struct ConfigInUse {
    config: Result<(Config, String), Diagnostic>,
    book: Result<Arc<FontBook>, Diagnostic>,
}

/// Everything shared by the workers.
struct Setup {
    outdir: PathBuf,
    configs: Vec<ConfigInUse>,
    opts: RenderOptions,
    force: bool,
    previous: HashMap<String, Entry>,
}

fn export(args: &ExportArgs) -> anyhow::Result<bool> {
    use anyhow::Context;
    let dir = fs::canonicalize(&args.dir)
        .with_context(|| format!("cannot open the folder {}", args.dir.display()))?;
    if !dir.is_dir() {
        anyhow::bail!("{} is not a folder", args.dir.display());
    }
    fs::create_dir_all(&args.output)
        .with_context(|| format!("cannot create {}", args.output.display()))?;
    let outdir = fs::canonicalize(&args.output)
        .with_context(|| format!("cannot open {}", args.output.display()))?;
    let _lock = lock_outdir(&outdir, &args.output)?;
    remove_stale_temps(&outdir);
    let sde = source_date_epoch()?;
    let opts = RenderOptions {
        source_date_epoch: sde,
        now: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0),
        ..RenderOptions::default()
    };

    // Which files: quire.yaml's export.patterns for DIR, else *.txt.
    let root_config = io::find_config(&dir.join(io::CONFIG_NAME))
        .map(|p| io::load_config(&p))
        .transpose()
        .map_err(|d| anyhow::anyhow!("{d}"))?;
    let patterns: Vec<String> = root_config
        .as_ref()
        .and_then(|c| c.export.as_ref())
        .and_then(|e| e.patterns.clone())
        .unwrap_or_else(|| {
            walk::DEFAULT_PATTERNS
                .iter()
                .map(|s| s.to_string())
                .collect()
        });
    let skip = (outdir != dir && outdir.starts_with(&dir)).then_some(outdir.as_path());
    let found = walk::walk(&dir, &patterns, skip)
        .with_context(|| format!("cannot read {}", args.dir.display()))?;
    for s in &found.skipped {
        eprintln!("{}: warning: skipped: {}", s.path.display(), s.reason);
    }

    let (jobs, configs) = plan(&dir, found.found);
    let previous = read_manifest(&outdir)
        .map(|m| {
            m.issues
                .into_iter()
                .chain(m.volumes)
                .map(|e| (e.source.clone(), e))
                .collect()
        })
        .unwrap_or_default();
    let setup = Setup {
        outdir,
        configs,
        opts,
        force: args.force,
        previous,
    };

    let threads = args.jobs.map(usize::from).unwrap_or(0);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .context("cannot start the worker threads")?;
    let progress = Progress::new(jobs.len() as u64, args.quiet, "issues");
    let saver = Saver::new(&setup);
    let mut issues: Vec<(Entry, Vec<Diagnostic>)> = pool.install(|| {
        jobs.par_iter()
            .map(|job| {
                let (entry, diags) = export_issue(&setup, job);
                progress.done(&entry);
                saver.record(&setup.outdir, &entry, false);
                (entry, diags)
            })
            .collect()
    });
    progress.finish();
    issues.sort_by(|a, b| a.0.source.cmp(&b.0.source));

    let mut volumes: Vec<(Entry, Vec<Diagnostic>)> = Vec::new();
    if args.volumes {
        let groups = group_volumes(&issues, &jobs);
        let progress = Progress::new(groups.len() as u64, args.quiet, "volumes");
        volumes = pool.install(|| {
            groups
                .par_iter()
                .map(|g| {
                    let (entry, diags) = export_volume(&setup, &jobs, g);
                    progress.done(&entry);
                    saver.record(&setup.outdir, &entry, true);
                    (entry, diags)
                })
                .collect()
        });
        progress.finish();
        volumes.sort_by(|a, b| a.0.source.cmp(&b.0.source));
    }

    // Diagnostics in source order, whatever order the workers finished in.
    let mut stderr = std::io::stderr().lock();
    for (e, diags) in issues.iter().chain(&volumes) {
        for d in diags {
            if d.is_error() || !args.quiet {
                let _ = writeln!(stderr, "{d}");
            }
        }
        if e.status == FAILED && diags.is_empty() {
            for line in &e.diagnostics {
                let _ = writeln!(stderr, "{line}");
            }
        }
    }
    drop(stderr);

    let manifest = Manifest {
        quire: env!("CARGO_PKG_VERSION").to_string(),
        issues: issues.iter().map(|(e, _)| e.clone()).collect(),
        volumes: volumes.iter().map(|(e, _)| e.clone()).collect(),
    };
    write_manifest(&setup.outdir, &manifest).context("cannot write the manifest")?;

    let mut line = summary(&manifest.issues);
    if args.volumes {
        line.push_str(&format!("; volumes: {}", summary(&manifest.volumes)));
    }
    println!("{line}");
    let failed = manifest
        .issues
        .iter()
        .chain(&manifest.volumes)
        .any(|e| e.status == FAILED);
    Ok(failed)
}

/// The jobs in source order, with the configuration each uses (loaded once per folder) and
/// the font book each configuration asks for (loaded once per distinct font list).
fn plan(dir: &Path, found: Vec<walk::Found>) -> (Vec<Job>, Vec<ConfigInUse>) {
    let mut by_folder: HashMap<PathBuf, usize> = HashMap::new();
    let mut by_yaml: HashMap<Option<PathBuf>, usize> = HashMap::new();
    let mut books: HashMap<Vec<String>, Result<Arc<FontBook>, Diagnostic>> = HashMap::new();
    let bundled = Arc::new(FontBook::bundled());
    let mut configs: Vec<ConfigInUse> = Vec::new();
    let mut outputs: HashMap<PathBuf, String> = HashMap::new();
    let mut jobs = Vec::with_capacity(found.len());
    for f in found {
        let folder = dir.join(f.rel.parent().unwrap_or(Path::new("")));
        let config = match by_folder.get(&folder) {
            Some(&i) => i,
            None => {
                let yaml = io::find_config(&folder.join(io::CONFIG_NAME));
                let i = match by_yaml.get(&yaml) {
                    Some(&i) => i,
                    None => {
                        let loaded = match &yaml {
                            Some(p) => io::load_config(p),
                            None => Ok(Config::default()),
                        };
                        let book = match &loaded {
                            Ok(c) => {
                                let fonts: Vec<String> = c.fonts.clone().unwrap_or_default();
                                books
                                    .entry(fonts.clone())
                                    .or_insert_with(|| load_book(&bundled, &fonts))
                                    .clone()
                            }
                            Err(d) => Err(d.clone()),
                        };
                        let config = loaded.map(|c| {
                            let json = serde_json::to_string(&c).unwrap_or_default();
                            let fonts = match &book {
                                Ok(_) => font_hashes(c.fonts.as_deref().unwrap_or(&[])),
                                Err(_) => String::new(),
                            };
                            (c, hex(&Sha256::digest(format!("{json}\n{fonts}"))))
                        });
                        configs.push(ConfigInUse { config, book });
                        by_yaml.insert(yaml, configs.len() - 1);
                        configs.len() - 1
                    }
                };
                by_folder.insert(folder, i);
                i
            }
        };
        let source = slash(&f.rel);
        let (out_rel, clash) = match walk::output_rel(&f.rel) {
            Some(o) => {
                let clash = outputs.get(&o).map(|other| {
                    format!(
                        "its PDF would be {} like {other}'s; rename one of them",
                        slash(&o)
                    )
                });
                outputs.entry(o.clone()).or_insert_with(|| source.clone());
                (o, clash)
            }
            None => (
                PathBuf::new(),
                Some("its path is not a plain relative path".to_string()),
            ),
        };
        jobs.push(Job {
            found: f,
            source,
            out_rel,
            config,
            clash,
        });
    }
    (jobs, configs)
}

/// The bundled faces plus quire.yaml's `fonts`.
fn load_book(bundled: &Arc<FontBook>, fonts: &[String]) -> Result<Arc<FontBook>, Diagnostic> {
    if fonts.is_empty() {
        return Ok(bundled.clone());
    }
    let mut book = FontBook::clone(bundled);
    let paths: Vec<PathBuf> = fonts.iter().map(PathBuf::from).collect();
    io::add_fonts(&mut book, &paths, None)?;
    Ok(Arc::new(book))
}

/// The fonts' contents as hashes, so replacing a font file re-renders its issues.
fn font_hashes(fonts: &[String]) -> String {
    fonts
        .iter()
        .map(|f| {
            fs::read(f)
                .map(|b| hex(&Sha256::digest(b)))
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// Render one issue (or find it up to date); never fails: a failure is an entry.
fn export_issue(setup: &Setup, job: &Job) -> (Entry, Vec<Diagnostic>) {
    let mut entry = Entry {
        source: job.source.clone(),
        output: slash(&job.out_rel),
        status: FAILED.to_string(),
        ..Entry::default()
    };
    let fail = |mut entry: Entry, diags: Vec<Diagnostic>| {
        entry.status = FAILED.to_string();
        entry.diagnostics = diags.iter().map(|d| d.to_string()).collect();
        (entry, diags)
    };
    if let Some(c) = &job.clash {
        let d = Diagnostic::error(&job.source, 0, 0, c.clone());
        return fail(entry, vec![d]);
    }
    let Some(cfg) = setup.configs.get(job.config) else {
        return fail(entry, Vec::new());
    };
    let (base, config_hash) = match &cfg.config {
        Ok((c, h)) => (c, h),
        Err(d) => return fail(entry, vec![d.clone()]),
    };
    let book = match &cfg.book {
        Ok(b) => b,
        Err(d) => return fail(entry, vec![d.clone()]),
    };
    let bytes = match fs::read(&job.found.path) {
        Ok(b) => b,
        Err(e) => {
            let d = Diagnostic::error(&job.source, 0, 0, format!("cannot read: {e}"));
            return fail(entry, vec![d]);
        }
    };
    let input = IssueInput::read(job, base, config_hash, &bytes, setup.opts.source_date_epoch);
    drop(bytes);
    entry.input = input.key;
    if let Some(prev) = up_to_date(setup, &entry) {
        return (prev, Vec::new());
    }
    let text = match input.text {
        Ok(t) => t,
        Err(d) => return fail(entry, vec![d]),
    };
    let book = match with_fonts(book, &input.front_fonts, &job.source) {
        Ok(b) => b,
        Err(d) => return fail(entry, vec![d]),
    };
    let book = &book;
    let rendered = match quire::render(&job.source, &text, base, book, &setup.opts) {
        Ok(r) => r,
        Err(diags) => return fail(entry, diags),
    };
    let meta = &rendered.issue.meta;
    entry.title = meta
        .title
        .clone()
        .or_else(|| rendered.issue.headline.as_ref().map(|h| h.text.clone()));
    entry.newsletter = volume::newsletter_name(&rendered.issue);
    entry.issue = meta
        .issue
        .or_else(|| rendered.issue.masthead.as_ref().and_then(|m| m.number));
    entry.year = volume::issue_year(&rendered.issue);
    entry.date = meta.date.clone();
    entry.language = Some(meta.language.clone()).filter(|l| !l.is_empty());
    entry.pages = rendered.pages;
    if let Err(e) = write_output(&setup.outdir, &job.out_rel, &rendered.pdf) {
        let d = Diagnostic::error(&entry.output, 0, 0, format!("cannot write the PDF: {e}"));
        return fail(entry, vec![d]);
    }
    entry.bytes = rendered.pdf.len() as u64;
    entry.sha256 = hex(&Sha256::digest(&rendered.pdf));
    entry.status = RENDERED.to_string();
    entry.diagnostics = rendered.diagnostics.iter().map(|d| d.to_string()).collect();
    (entry, rendered.diagnostics)
}

/// The previous entry for `entry.source`, marked up to date, when its input key matches and
/// its PDF is still the one it wrote (same sha256).
fn up_to_date(setup: &Setup, entry: &Entry) -> Option<Entry> {
    if setup.force {
        return None;
    }
    let prev = setup.previous.get(&entry.source)?;
    if prev.status == FAILED || prev.input != entry.input || prev.output != entry.output {
        return None;
    }
    let bytes = fs::read(setup.outdir.join(&prev.output)).ok()?;
    if hex(&Sha256::digest(&bytes)) != prev.sha256 {
        return None;
    }
    let mut e = prev.clone();
    e.status = UP_TO_DATE.to_string();
    Some(e)
}

/// The input key: quire's version, the configuration(s), SOURCE_DATE_EPOCH and the input bytes.
fn input_key(configs: &[&[u8]], bytes: &[u8], sde: Option<i64>) -> String {
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
struct IssueInput {
    text: Result<String, Diagnostic>,
    front_fonts: Vec<PathBuf>,
    key: String,
}

impl IssueInput {
    fn read(job: &Job, base: &Config, config_hash: &str, bytes: &[u8], sde: Option<i64>) -> Self {
        let text = decode(&job.source, bytes, None);
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
        IssueInput {
            key: input_key(&parts, bytes, sde),
            text,
            front_fonts,
        }
    }
}

/// `book` with `fonts` added (the same book when there are none); errors name `listed_in`.
fn with_fonts(
    book: &Arc<FontBook>,
    fonts: &[PathBuf],
    listed_in: &str,
) -> Result<Arc<FontBook>, Diagnostic> {
    if fonts.is_empty() {
        return Ok(book.clone());
    }
    let mut b = FontBook::clone(book);
    io::add_fonts(&mut b, fonts, Some(listed_in))?;
    Ok(Arc::new(b))
}

/// One volume to bind: a newsletter's year, its issues' job indices in reading order.
struct Group {
    newsletter: String,
    year: i32,
    members: Vec<usize>,
    output: PathBuf,
}

/// Group the exported issues by (newsletter, year); each group is read in order of issue
/// number, then date, then file name. Volume files are named from the year only
/// (volume-2017.pdf, or volume-2017-2.pdf for a second newsletter of that year).
fn group_volumes(issues: &[(Entry, Vec<Diagnostic>)], jobs: &[Job]) -> Vec<Group> {
    let index: HashMap<&str, usize> = jobs
        .iter()
        .enumerate()
        .map(|(i, j)| (j.source.as_str(), i))
        .collect();
    let mut by: BTreeMap<(i32, String), Vec<(&Entry, usize)>> = BTreeMap::new();
    for (e, _) in issues {
        if e.status == FAILED {
            continue;
        }
        let (Some(year), Some(&i)) = (e.year, index.get(e.source.as_str())) else {
            continue;
        };
        let name = e.newsletter.clone().unwrap_or_default();
        by.entry((year, name)).or_default().push((e, i));
    }
    let mut groups = Vec::new();
    let mut last_year = None;
    let mut k = 0;
    for ((year, newsletter), mut members) in by {
        k = if last_year == Some(year) { k + 1 } else { 1 };
        last_year = Some(year);
        // Numbered issues by number (an issue without one after them), then by date.
        let order = |e: &Entry| {
            (
                e.issue.unwrap_or(u32::MAX),
                e.date.clone(),
                e.source.clone(),
            )
        };
        members.sort_by_key(|m| order(m.0));
        let output = if k == 1 {
            PathBuf::from(format!("volume-{year}.pdf"))
        } else {
            PathBuf::from(format!("volume-{year}-{k}.pdf"))
        };
        groups.push(Group {
            newsletter,
            year,
            members: members.into_iter().map(|(_, i)| i).collect(),
            output,
        });
    }
    groups
}

/// Bind one volume (or find it up to date).
fn export_volume(setup: &Setup, jobs: &[Job], g: &Group) -> (Entry, Vec<Diagnostic>) {
    let output = slash(&g.output);
    let mut entry = Entry {
        source: output.clone(),
        output: output.clone(),
        newsletter: Some(g.newsletter.clone()).filter(|n| !n.is_empty()),
        year: Some(g.year),
        status: FAILED.to_string(),
        issues: g
            .members
            .iter()
            .filter_map(|&i| jobs.get(i).map(|j| j.source.clone()))
            .collect(),
        ..Entry::default()
    };
    let fail = |mut entry: Entry, diags: Vec<Diagnostic>| {
        entry.status = FAILED.to_string();
        entry.diagnostics = diags.iter().map(|d| d.to_string()).collect();
        (entry, diags)
    };
    if jobs.iter().any(|j| j.out_rel == g.output) {
        let d = Diagnostic::error(&output, 0, 0, "an issue's PDF already has this name");
        return fail(entry, vec![d]);
    }
    // Read every member; the volume's key covers all their keys.
    let mut texts = Vec::with_capacity(g.members.len());
    let mut keys = Vec::new();
    let mut book: Option<&Arc<FontBook>> = None;
    // Fonts the members' front matter adds, each once, with the issue that lists it.
    let mut front_fonts: Vec<(PathBuf, String)> = Vec::new();
    for &i in &g.members {
        let Some(job) = jobs.get(i) else { continue };
        let Some(Ok((base, hash))) = setup.configs.get(job.config).map(|c| c.config.as_ref())
        else {
            continue;
        };
        if book.is_none() {
            book = setup
                .configs
                .get(job.config)
                .and_then(|c| c.book.as_ref().ok());
        }
        let bytes = match fs::read(&job.found.path) {
            Ok(b) => b,
            Err(e) => {
                let d = Diagnostic::error(&job.source, 0, 0, format!("cannot read: {e}"));
                return fail(entry, vec![d]);
            }
        };
        let input = IssueInput::read(job, base, hash, &bytes, setup.opts.source_date_epoch);
        keys.push(input.key);
        let text = match input.text {
            Ok(t) => t,
            Err(d) => return fail(entry, vec![d]),
        };
        for f in input.front_fonts {
            if !front_fonts.iter().any(|(p, _)| *p == f) {
                front_fonts.push((f, job.source.clone()));
            }
        }
        texts.push((job.source.clone(), text, base));
    }
    let key_refs: Vec<&[u8]> = keys.iter().map(|k| k.as_bytes()).collect();
    entry.input = input_key(&key_refs, b"volume", setup.opts.source_date_epoch);
    if let Some(prev) = up_to_date(setup, &entry) {
        return (prev, Vec::new());
    }
    let Some(mut book) = book.cloned() else {
        return fail(entry, Vec::new());
    };
    for (font, listed_in) in &front_fonts {
        book = match with_fonts(&book, std::slice::from_ref(font), listed_in) {
            Ok(b) => b,
            Err(d) => return fail(entry, vec![d]),
        };
    }
    let book = &book;
    let members: Vec<VolumeIssue> = texts
        .iter()
        .map(|(name, text, base)| VolumeIssue { name, text, base })
        .collect();
    let v = match volume::build_volume(g.year, &members, book, &setup.opts) {
        Ok(v) => v,
        Err(volume::VolumeError::Issue { diagnostics, .. }) => return fail(entry, diagnostics),
        Err(e) => {
            let d = Diagnostic::error(&output, 0, 0, e.to_string());
            return fail(entry, vec![d]);
        }
    };
    let pdf = match quire::pdf::write_pdf(&v.doc, book) {
        Ok(p) => p,
        Err(e) => {
            let d = Diagnostic::error(&output, 0, 0, format!("cannot write the PDF: {e}"));
            return fail(entry, vec![d]);
        }
    };
    if let Err(e) = write_output(&setup.outdir, &g.output, &pdf) {
        let d = Diagnostic::error(&output, 0, 0, format!("cannot write the PDF: {e}"));
        return fail(entry, vec![d]);
    }
    entry.title = Some(v.doc.meta.title.clone());
    entry.language = Some(v.doc.meta.lang.clone());
    entry.pages = v.doc.pages.len();
    entry.bytes = pdf.len() as u64;
    entry.sha256 = hex(&Sha256::digest(&pdf));
    entry.status = RENDERED.to_string();
    // The members' warnings were already shown with the issues.
    (entry, Vec::new())
}

/// Write `bytes` to OUTDIR/`rel` atomically: a temporary file in the same folder, then a
/// rename (which replaces a symlink at the destination rather than following it). No fsync:
/// atomicity against a killed process needs only the rename; durability against power loss
/// is the file system's.
fn write_output(outdir: &Path, rel: &Path, bytes: &[u8]) -> std::io::Result<()> {
    walk::make_parent_dirs(outdir, rel)?;
    let path = outdir.join(rel);
    let name = rel
        .file_name()
        .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidInput, "no file name"))?;
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(name);
    tmp_name.push(format!("{TMP_MARK}{}", std::process::id()));
    let tmp = path.with_file_name(tmp_name);
    let result = (|| {
        let mut f = fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(&tmp)?;
        f.write_all(bytes)?;
        drop(f);
        fs::rename(&tmp, &path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// The lock file in OUTDIR: an OS file lock on it (`flock` on Unix, `LockFileEx` on Windows)
/// is held for the whole run, so a second export into the same OUTDIR stops with a clear error
/// instead of deleting the first one's temporary files and interleaving their manifests. The
/// system releases the lock when the process ends, however it ends (a killed run leaves no
/// stale lock). The file stays in OUTDIR; it holds the running export's process id, for the
/// message, and is emptied when the run ends.
const LOCK: &str = ".quire-export.lock";

/// The held lock: emptied (not removed: removing it would let a later run lock a new file
/// while a waiting one locks the old) and released when the export ends.
struct OutdirLock(fs::File);

impl Drop for OutdirLock {
    fn drop(&mut self) {
        let _ = self.0.set_len(0);
        let _ = self.0.unlock();
    }
}

fn lock_outdir(outdir: &Path, shown: &Path) -> anyhow::Result<OutdirLock> {
    let path = outdir.join(LOCK);
    let mut file = fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(|e| {
            anyhow::Error::new(e).context(format!("cannot write in {}", shown.display()))
        })?;
    match file.try_lock() {
        Ok(()) => {}
        Err(fs::TryLockError::WouldBlock) => {
            let holder = fs::read_to_string(&path)
                .ok()
                .and_then(|s| s.trim().parse::<u32>().ok())
                .map(|pid| format!(" (process {pid})"))
                .unwrap_or_default();
            anyhow::bail!(
                "{}: another quire export{holder} is writing there; wait for it to finish",
                shown.display()
            );
        }
        Err(fs::TryLockError::Error(e)) => {
            return Err(anyhow::Error::new(e)
                .context(format!("cannot lock {}", shown.join(LOCK).display())));
        }
    }
    // Ours now: record who holds it (a killed run's id is simply overwritten).
    let _ = file.set_len(0);
    let _ = file.write_all(format!("{}\n", std::process::id()).as_bytes());
    Ok(OutdirLock(file))
}

/// Remove temporary files a killed run left in OUTDIR (never following symlinks).
fn remove_stale_temps(outdir: &Path) {
    let mut stack = vec![outdir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = fs::read_dir(&d) else { continue };
        for e in rd.filter_map(Result::ok) {
            let Ok(ft) = e.file_type() else { continue };
            let name = e.file_name();
            let name = name.to_string_lossy();
            if ft.is_dir() {
                stack.push(e.path());
            } else if ft.is_file() && name.starts_with('.') && name.contains(TMP_MARK) {
                let _ = fs::remove_file(e.path());
            }
        }
    }
}

/// The manifest of an earlier run; `None` when there is none or it cannot be read (then
/// everything is rendered again).
fn read_manifest(outdir: &Path) -> Option<Manifest> {
    let bytes = fs::read(outdir.join(MANIFEST)).ok()?;
    match serde_json::from_slice(&bytes) {
        Ok(m) => Some(m),
        Err(e) => {
            eprintln!(
                "{}: warning: unreadable manifest, rendering everything: {e}",
                outdir.join(MANIFEST).display()
            );
            None
        }
    }
}

/// Write the manifest atomically, under the same temporary name scheme as the PDFs so a
/// killed run's leftover is cleaned up by the next.
fn write_manifest(outdir: &Path, m: &Manifest) -> std::io::Result<()> {
    let mut json = serde_json::to_vec_pretty(m).map_err(std::io::Error::other)?;
    json.push(b'\n');
    write_output(outdir, Path::new(MANIFEST), &json)
}

/// Saves the manifest while the workers run, so a killed run keeps what it finished: the
/// previous manifest's entries, updated with every entry finished since.
struct Saver {
    state: Mutex<SaverState>,
}

struct SaverState {
    manifest: Manifest,
    last: Instant,
}

impl Saver {
    fn new(setup: &Setup) -> Saver {
        let mut issues: Vec<Entry> = Vec::new();
        let mut volumes: Vec<Entry> = Vec::new();
        for e in setup.previous.values() {
            if e.issues.is_empty() {
                issues.push(e.clone());
            } else {
                volumes.push(e.clone());
            }
        }
        Saver {
            state: Mutex::new(SaverState {
                manifest: Manifest {
                    quire: env!("CARGO_PKG_VERSION").to_string(),
                    issues,
                    volumes,
                },
                last: Instant::now(),
            }),
        }
    }

    fn record(&self, outdir: &Path, entry: &Entry, is_volume: bool) {
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

/// Progress: a bar on a terminal, a plain line per item otherwise, nothing with --quiet.
enum Progress {
    Quiet,
    Lines,
    Bar(ProgressBar),
}

impl Progress {
    fn new(len: u64, quiet: bool, what: &str) -> Progress {
        if quiet || len == 0 {
            return Progress::Quiet;
        }
        if !std::io::stderr().is_terminal() {
            return Progress::Lines;
        }
        let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
        let style = ProgressStyle::with_template(&format!(
            "{{bar:30}} {{pos}}/{{len}} {what}  {{rate}}  ETA {{eta}}  {{wide_msg}}"
        ))
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .with_key("rate", |s: &ProgressState, w: &mut dyn std::fmt::Write| {
            let _ = write!(w, "{:.0}/s", s.per_sec());
        });
        bar.set_style(style);
        Progress::Bar(bar)
    }

    fn done(&self, e: &Entry) {
        match self {
            Progress::Quiet => {}
            Progress::Lines => {
                let mut out = std::io::stdout().lock();
                let _ = match e.status.as_str() {
                    RENDERED => writeln!(
                        out,
                        "rendered {} -> {} ({} pages)",
                        e.source, e.output, e.pages
                    ),
                    FAILED => writeln!(out, "failed {}", e.source),
                    _ => writeln!(out, "{} {}", e.status, e.source),
                };
            }
            Progress::Bar(b) => {
                b.set_message(e.source.clone());
                b.inc(1);
            }
        }
    }

    fn finish(&self) {
        if let Progress::Bar(b) = self {
            b.finish_and_clear();
        }
    }
}

/// "238 rendered, 1 up to date, 1 failed (2017-04.txt:12: …)".
fn summary(entries: &[Entry]) -> String {
    let count = |s: &str| entries.iter().filter(|e| e.status == s).count();
    let mut line = format!(
        "{} rendered, {} up to date, {} failed",
        count(RENDERED),
        count(UP_TO_DATE),
        count(FAILED)
    );
    let failed: Vec<String> = entries
        .iter()
        .filter(|e| e.status == FAILED)
        .map(|e| {
            e.diagnostics
                .iter()
                .find(|d| d.contains(": error: "))
                .map(|d| d.lines().next().unwrap_or("").replacen(": error", "", 1))
                .unwrap_or_else(|| e.source.clone())
        })
        .collect();
    if !failed.is_empty() {
        let mut shown: Vec<String> = failed.iter().take(SUMMARY_FAILURES).cloned().collect();
        if failed.len() > SUMMARY_FAILURES {
            shown.push("…".to_string());
        }
        line.push_str(&format!(" ({})", shown.join("; ")));
    }
    line
}

/// A relative path with '/' between its parts, whatever the platform.
fn slash(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// SOURCE_DATE_EPOCH (reproducible builds): seconds since the epoch; invalid values are errors.
fn source_date_epoch() -> anyhow::Result<Option<i64>> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(v) if !v.trim().is_empty() => match v.trim().parse::<i64>() {
            Ok(n) => Ok(Some(n)),
            Err(_) => anyhow::bail!("SOURCE_DATE_EPOCH \"{v}\" is not a number of seconds"),
        },
        _ => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(source: &str, status: &str, diag: Option<&str>) -> Entry {
        Entry {
            source: source.into(),
            status: status.into(),
            diagnostics: diag.into_iter().map(String::from).collect(),
            ..Entry::default()
        }
    }

    #[test]
    fn export_summary_counts_and_names_failures() {
        let es = [
            entry("a.txt", RENDERED, None),
            entry("b.txt", UP_TO_DATE, None),
            entry(
                "2017-04.txt",
                FAILED,
                Some("2017-04.txt:12: error: the front matter is never closed"),
            ),
        ];
        assert_eq!(
            summary(&es),
            "1 rendered, 1 up to date, 1 failed (2017-04.txt:12: the front matter is never closed)"
        );
    }

    #[test]
    fn export_summary_shortens_many_failures() {
        let es: Vec<Entry> = (0..5)
            .map(|i| entry(&format!("{i}.txt"), FAILED, None))
            .collect();
        assert!(summary(&es).ends_with("(0.txt; 1.txt; 2.txt; …)"));
    }

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
    fn export_write_output_is_atomic_and_cleans_up() {
        let d = tempfile::tempdir().unwrap();
        write_output(d.path(), Path::new("2017/a.pdf"), b"one").unwrap();
        write_output(d.path(), Path::new("2017/a.pdf"), b"two").unwrap();
        assert_eq!(fs::read(d.path().join("2017/a.pdf")).unwrap(), b"two");
        assert_eq!(fs::read_dir(d.path().join("2017")).unwrap().count(), 1);
        fs::write(d.path().join("2017/.b.pdf.quire-tmp-1"), b"half").unwrap();
        remove_stale_temps(d.path());
        assert_eq!(fs::read_dir(d.path().join("2017")).unwrap().count(), 1);
    }

    #[test]
    fn export_manifest_round_trips() {
        let m = Manifest {
            quire: "0.1.0".into(),
            issues: vec![entry("a.txt", RENDERED, None)],
            volumes: Vec::new(),
        };
        let json = serde_json::to_string(&m).unwrap();
        assert_eq!(serde_json::from_str::<Manifest>(&json).unwrap(), m);
    }
}
