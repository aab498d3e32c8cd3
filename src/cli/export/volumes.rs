//! Annual volumes (`--volumes`): the exported issues grouped by newsletter and year, each group
//! bound into one PDF (or found up to date).

use super::cache::{hex, input_key, up_to_date, Entry, IssueInput, Status};
use super::outdir::write_output;
use super::plan::{slash, with_fonts, Job};
use super::{Outcome, Setup};
use crate::cli::attach;
use quire::config::Config;
use quire::diag::Diagnostic;
use quire::fonts::FontBook;
use quire::pdf::{Archive, Attachment, PdfA};
use quire::volume::{self, VolumeIssue};
use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::path::PathBuf;
use std::sync::Arc;

/// One volume to bind: a newsletter's year, its issues' job indices in reading order.
pub struct Group {
    newsletter: String,
    year: i32,
    members: Vec<usize>,
    output: PathBuf,
}

impl Group {
    /// The bytes of its issues' sources: how much work binding it is likely to be.
    pub fn size(&self, jobs: &[Job]) -> u64 {
        self.members
            .iter()
            .filter_map(|&m| jobs.get(m))
            .map(|j| j.found.size)
            .sum()
    }
}

/// Group the exported issues by (newsletter, year); each group is read in order of issue
/// number, then date, then file name. Volume files are named from the year only
/// (volume-2017.pdf, or volume-2017-2.pdf for a second newsletter of that year).
pub fn group_volumes(issues: &[Outcome], jobs: &[Job]) -> Vec<Group> {
    let index: HashMap<&str, usize> = jobs
        .iter()
        .enumerate()
        .map(|(i, j)| (j.source.as_str(), i))
        .collect();
    let mut by: BTreeMap<(i32, String), Vec<(&Entry, usize)>> = BTreeMap::new();
    for (e, _) in issues {
        if e.status == Status::Failed {
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

/// Bind one volume (or find it up to date); never fails: a failure is an entry.
pub fn export_volume(setup: &Setup, jobs: &[Job], g: &Group) -> Outcome {
    let output = slash(&g.output);
    let mut entry = Entry {
        source: output.clone(),
        output: output.clone(),
        newsletter: Some(g.newsletter.clone()).filter(|n| !n.is_empty()),
        year: Some(g.year),
        status: Status::Failed,
        issues: g
            .members
            .iter()
            .filter_map(|&i| jobs.get(i).map(|j| j.source.clone()))
            .collect(),
        ..Entry::default()
    };
    if jobs.iter().any(|j| j.out_rel == g.output) {
        return entry.fail_with(&output, "an issue's PDF already has this name");
    }
    let members = match Members::read(setup, jobs, g) {
        Ok(m) => m,
        Err(diags) => return entry.fail(diags),
    };
    let key_refs: Vec<&[u8]> = members.keys.iter().map(|k| k.as_bytes()).collect();
    entry.input = input_key(&key_refs, b"volume", setup.opts.source_date_epoch);
    if let Some(prev) = up_to_date(setup, &entry) {
        return (prev, Vec::new());
    }
    let Bound {
        title,
        language,
        pages,
        bytes,
        sha256,
        booklet,
    } = match bind(setup, g, &output, &members) {
        Ok(done) => done,
        Err(diags) => return entry.fail(diags),
    };
    if let Some((rel, bytes)) = &booklet {
        entry.record_booklet(rel, bytes);
    }
    entry.title = Some(title);
    entry.language = Some(language);
    entry.pages = pages;
    entry.pdfa = members.pdfa.map(|l| l.to_string());
    entry.bytes = bytes;
    entry.sha256 = Some(hex(&sha256));
    entry.status = Status::Rendered;
    // The members' warnings were already shown with the issues.
    (entry, Vec::new())
}

/// A volume's issues, read: their texts and configurations, their input keys (the volume's
/// key covers them all), the font book and the fonts their front matter adds.
struct Members<'a> {
    /// (source, text, configuration) in reading order.
    texts: Vec<(String, String, &'a Config)>,
    keys: Vec<String>,
    /// The first member's font book.
    book: Option<&'a Arc<FontBook>>,
    /// Fonts the members' front matter adds, each once, with the issue that lists it.
    front_fonts: Vec<(PathBuf, String)>,
    /// The PDF/A level: `--pdfa`, else the first member's quire.yaml `pdfa:`.
    pdfa: Option<PdfA>,
    /// For PDF/A-3b: each member's text as read, named by its source path under DIR.
    sources: Vec<Attachment>,
    /// For PDF/A-3b: each quire.yaml the members use, once, with its path.
    yamls: Vec<(PathBuf, Attachment)>,
}

impl<'a> Members<'a> {
    /// Read every member of `g` (members whose configuration failed are left out: their
    /// issue failed, so it is not in a group).
    fn read(setup: &'a Setup, jobs: &[Job], g: &Group) -> Result<Members<'a>, Vec<Diagnostic>> {
        let mut m = Members {
            texts: Vec::with_capacity(g.members.len()),
            keys: Vec::new(),
            book: None,
            front_fonts: Vec::new(),
            pdfa: None,
            sources: Vec::new(),
            yamls: Vec::new(),
        };
        for &i in &g.members {
            let Some(job) = jobs.get(i) else { continue };
            let Some(Ok((base, hash))) = setup.configs.get(job.config).map(|c| c.config.as_ref())
            else {
                continue;
            };
            if m.book.is_none() {
                m.book = setup
                    .configs
                    .get(job.config)
                    .and_then(|c| c.book.as_ref().ok());
            }
            let bytes = fs::read(&job.found.path).map_err(|e| {
                vec![Diagnostic::error(
                    &job.source,
                    0,
                    0,
                    format!("cannot read: {e}"),
                )]
            })?;
            let input = IssueInput::read(job, base, hash, &bytes, setup);
            m.keys.push(input.key);
            let text = input.text.map_err(|d| vec![d])?;
            if m.texts.is_empty() {
                m.pdfa = setup.opts.pdfa.or(base.pdfa);
            }
            if m.pdfa.is_some_and(PdfA::attaches_sources) {
                m.sources
                    .push(attach::source(&job.source, bytes, None, &setup.opts));
                if let Some((path, yaml)) =
                    setup.configs.get(job.config).and_then(|c| c.yaml.as_ref())
                {
                    if !m.yamls.iter().any(|(p, _)| p == path) {
                        m.yamls.push((path.clone(), yaml.clone()));
                    }
                }
            }
            for f in input.front_fonts {
                if !m.front_fonts.iter().any(|(p, _)| *p == f) {
                    m.front_fonts.push((f, job.source.clone()));
                }
            }
            m.texts.push((job.source.clone(), text, base));
        }
        Ok(m)
    }
}

/// A volume bound and written: what its manifest entry says of it.
struct Bound {
    title: String,
    language: String,
    pages: usize,
    /// The PDF's size and SHA-256.
    bytes: u64,
    sha256: [u8; 32],
    /// The booklet written beside it: its path in OUTDIR and its bytes.
    booklet: Option<(PathBuf, Vec<u8>)>,
}

/// Bind the members into the volume and write its PDF (and its booklet, imposed in
/// signatures when `print.signature` says so) to OUTDIR (`output` names it in errors).
fn bind(
    setup: &Setup,
    g: &Group,
    output: &str,
    members: &Members,
) -> Result<Bound, Vec<Diagnostic>> {
    let error = |message: String| vec![Diagnostic::error(output, 0, 0, message)];
    let Some(mut book) = members.book.cloned() else {
        return Err(Vec::new());
    };
    for (font, listed_in) in &members.front_fonts {
        book = with_fonts(&book, std::slice::from_ref(font), listed_in).map_err(|d| vec![d])?;
    }
    let issues: Vec<VolumeIssue> = members
        .texts
        .iter()
        .map(|(name, text, base)| VolumeIssue { name, text, base })
        .collect();
    let v = match volume::build_volume(g.year, &issues, &book, &setup.opts) {
        Ok(v) => v,
        Err(volume::VolumeError::Issue { diagnostics, .. }) => return Err(diagnostics),
        Err(e) => return Err(error(e.to_string())),
    };
    let attachments = volume_attachments(setup, members);
    let archive = members.pdfa.map(|level| Archive {
        level,
        attachments: &attachments,
    });
    // The writer takes the pages (and frees them as it goes); the entry needs only these.
    let title = v.doc.meta.title.clone();
    let language = v.doc.meta.lang.clone();
    let pages = v.doc.pages.len();
    let written = quire::pdf::write_print(v.doc, &book, archive.as_ref(), &v.print)
        .map_err(|e| error(format!("cannot write the PDF: {e}")))?;
    let booklet = match written.booklet {
        Some(bytes) => {
            let rel = crate::cli::render::booklet_path(&g.output);
            write_output(&setup.outdir, &rel, &bytes, Some(&setup.reaper))
                .map_err(|e| error(format!("cannot write the booklet: {e}")))?;
            Some((rel, bytes))
        }
        None => None,
    };
    write_output(&setup.outdir, &g.output, &written.pdf, Some(&setup.reaper))
        .map_err(|e| error(format!("cannot write the PDF: {e}")))?;
    Ok(Bound {
        title,
        language,
        pages,
        bytes: written.pdf.len() as u64,
        sha256: written.pdf_sha256,
        booklet,
    })
}

/// What a PDF/A-3b volume attaches: every member's text under its path in DIR, and each
/// quire.yaml they use under its path in DIR (its file name when it lies above DIR), each
/// name once.
fn volume_attachments(setup: &Setup, members: &Members) -> Vec<Attachment> {
    let mut out: Vec<Attachment> = members.sources.clone();
    for (path, yaml) in &members.yamls {
        let name = match path.strip_prefix(&setup.dir) {
            Ok(rel) => slash(rel),
            Err(_) => yaml.name.clone(),
        };
        if !out.iter().any(|a| a.name == name) {
            out.push(Attachment {
                name,
                ..yaml.clone()
            });
        }
    }
    out
}
