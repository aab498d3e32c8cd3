//! `quire export DIR -o OUTDIR`: every issue under DIR to a PDF in OUTDIR, in parallel,
//! incrementally (by content hash, recorded in OUTDIR/manifest.json), atomically, and with
//! annual volumes on request.
//!
//! The order of work never shows in the results: the PDFs depend only on their inputs, and the
//! manifest is sorted by source. The workers take the largest issues first, so that they
//! finish together (`in_parallel`). Every file is written to a temporary name in its final
//! folder and renamed, so a run killed at any moment leaves whole files only; the files the
//! renames replace are let go of on a thread of their own (`io::Reaper`: freeing their blocks
//! can wait on the disk); the manifest is saved as issues finish, so the next run picks up
//! where the killed one stopped.
//!
//! This module runs the export; the parts are `walk` (finding the issues), `plan` (their
//! outputs, configurations and fonts), `cache` (the manifest and input keys), `issue` and
//! `volumes` (the work on each), `outdir` (lock, atomic writes, leftovers) and `progress`.

mod cache;
mod issue;
mod outdir;
mod plan;
mod progress;
mod volumes;
mod walk;

use super::args::ExportArgs;
use super::{env, io, report};
use anyhow::Context;
use cache::{Entry, Manifest, Saver, Status};
use plan::ConfigInUse;
use progress::Progress;
use quire::diag::Diagnostic;
use quire::RenderOptions;
use rayon::prelude::*;
use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

/// Run the export; the exit code is 0 when everything is exported, 1 when any issue or
/// volume failed, 2 when the export could not start (DIR unreadable, OUTDIR not writable).
pub fn run(args: &ExportArgs) -> i32 {
    if let Err(d) = super::usage::encoding(args.encoding.as_deref())
        .and_then(|()| super::usage::max_input(args.max_input.as_deref()))
    {
        report::emit(&d);
        return super::usage::EXIT;
    }
    match export(args) {
        Ok(failed) => i32::from(failed),
        Err(e) => {
            // A diagnostic is shown as one (with its source line), saying "error" once.
            match e.downcast_ref::<DiagnosticError>() {
                Some(DiagnosticError(d)) => report::emit(d),
                None => eprintln!("quire export: error: {e:#}"),
            }
            2
        }
    }
}

/// A diagnostic that stops the export before it starts (a broken quire.yaml at DIR's top).
#[derive(Debug)]
struct DiagnosticError(Diagnostic);

impl std::fmt::Display for DiagnosticError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for DiagnosticError {}

/// What became of one issue or volume: its manifest entry and the diagnostics to show.
type Outcome = (Entry, Vec<Diagnostic>);

/// Everything shared by the workers.
struct Setup {
    /// DIR, canonical: a volume's attached quire.yaml files are named relative to it.
    dir: PathBuf,
    outdir: PathBuf,
    configs: Vec<ConfigInUse>,
    opts: RenderOptions,
    force: bool,
    previous: HashMap<String, Entry>,
    /// `--encoding`: the issues' encoding, over quire.yaml's `encoding:`.
    encoding: Option<String>,
    /// Lets go of the previous run's outputs as they are replaced, off the workers.
    reaper: crate::cli::io::Reaper,
}

/// The export; `Ok(true)` when some issue or volume failed.
fn export(args: &ExportArgs) -> anyhow::Result<bool> {
    let (dir, outdir) = open_folders(args)?;
    let _lock = outdir::lock(&outdir, &args.output)?;
    outdir::remove_stale_temps(&outdir);
    let opts = RenderOptions {
        pdfa: args.pdfa,
        print: args.print.flags(),
        ..env::get()?.render_options()
    };
    let found = find_issues(&dir, args)?;
    if found.is_empty() {
        // Nothing to export is a mistake (a wrong folder, a pattern that matches nothing),
        // and no reason to touch OUTDIR: its PDFs stay.
        let d = Diagnostic::error(
            &args.dir.display().to_string(),
            0,
            0,
            "no issue files found",
        )
        .with_hint(format!(
            "quire export renders the files matching {} under DIR (quire.yaml's \
                 export.patterns); check the folder",
            issue_patterns(&dir)?.join(", ")
        ));
        report::emit(&d);
        return Ok(true);
    }
    let (jobs, configs) = plan::plan(&dir, found);
    let setup = Setup {
        dir: dir.clone(),
        previous: cache::previous_entries(&outdir),
        outdir,
        configs,
        opts,
        force: args.force,
        encoding: args.encoding.clone(),
        reaper: crate::cli::io::Reaper::new(),
    };

    let threads = args.jobs.map(usize::from).unwrap_or(0);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .context("cannot start the worker threads")?;
    let saver = Saver::new(&setup.previous);
    let issues = in_parallel(
        &pool,
        &jobs,
        |j| j.found.size,
        args.quiet,
        "issues",
        |job| {
            let outcome = issue::export_issue(&setup, job);
            saver.record(&setup.outdir, &outcome.0, false);
            outcome
        },
    );
    let mut volumes = Vec::new();
    if args.volumes {
        let groups = volumes::group_volumes(&issues, &jobs);
        volumes = in_parallel(
            &pool,
            &groups,
            |g| g.size(&jobs),
            args.quiet,
            "volumes",
            |g| {
                let outcome = volumes::export_volume(&setup, &jobs, g);
                saver.record(&setup.outdir, &outcome.0, true);
                outcome
            },
        );
    }
    show_diagnostics(&issues, &volumes, args.quiet);

    let entries = |outcomes: &[Outcome]| outcomes.iter().map(|(e, _)| e.clone()).collect();
    let manifest = Manifest::new(entries(&issues), entries(&volumes));
    let current = manifest
        .issues
        .iter()
        .chain(&manifest.volumes)
        .flat_map(|e| e.outputs().map(|(output, _)| output))
        .collect();
    // The manifest that no longer names them is saved first: a run killed in between leaves
    // files no manifest owns, never a manifest naming files that are gone.
    cache::write_manifest(&setup.outdir, &manifest).context("cannot write the manifest")?;
    let stale = outdir::remove_stale(&setup.outdir, &setup.previous, &current);
    for k in &stale.kept {
        report::emit(&Diagnostic::warning(
            &args.output.join(k).display().to_string(),
            0,
            0,
            "no longer produced, but kept: changed since quire wrote it",
        ));
    }
    let mut line = progress::summary(&manifest.issues);
    if args.volumes {
        line.push_str(&format!(
            "; volumes: {}",
            progress::summary(&manifest.volumes)
        ));
    }
    if !stale.removed.is_empty() {
        line.push_str(&format!("; {}", progress::removed(&stale.removed)));
    }
    println!("{line}");
    Ok(manifest.any_failed())
}

/// DIR and OUTDIR (made when missing), both canonical. OUTDIR may not be DIR or lie inside
/// it (checked before anything is made): the export would read its own PDFs and manifest as
/// issues, and could write over the sources.
fn open_folders(args: &ExportArgs) -> anyhow::Result<(PathBuf, PathBuf)> {
    let dir = fs::canonicalize(&args.dir)
        .with_context(|| format!("cannot open the folder {}", args.dir.display()))?;
    if !dir.is_dir() {
        anyhow::bail!("{} is not a folder", args.dir.display());
    }
    let out = resolved(&args.output);
    if out.starts_with(&dir) {
        let (o, d) = (args.output.display(), args.dir.display());
        if out == dir {
            anyhow::bail!(
                "-o {o} is the folder of issues itself: choose an output folder outside it"
            );
        }
        anyhow::bail!(
            "-o {o} is inside the folder of issues {d}: choose an output folder outside it"
        );
    }
    fs::create_dir_all(&args.output)
        .with_context(|| format!("cannot create {}", args.output.display()))?;
    let outdir = fs::canonicalize(&args.output)
        .with_context(|| format!("cannot open {}", args.output.display()))?;
    Ok((dir, outdir))
}

/// Where `path` is or would be, without making it: its nearest existing ancestor made
/// canonical (symlinks resolved), then the rest of the path with `.` and `..` applied.
fn resolved(path: &Path) -> PathBuf {
    use std::path::Component;
    let abs = std::env::current_dir()
        .map(|cwd| cwd.join(path))
        .unwrap_or_else(|_| path.to_path_buf());
    let mut base = abs.as_path();
    let mut rest = Vec::new();
    let mut out = loop {
        if let Ok(c) = fs::canonicalize(base) {
            break c;
        }
        match (base.parent(), base.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(Component::Normal(name));
                base = parent;
            }
            // `..` or `.` at the end of a path that does not exist: keep it lexically.
            (Some(parent), None) => {
                rest.push(base.components().next_back().unwrap_or(Component::CurDir));
                base = parent;
            }
            (None, _) => break base.to_path_buf(),
        }
    };
    for c in rest.into_iter().rev() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            c => out.push(c),
        }
    }
    out
}

/// The issue files under DIR: those matching quire.yaml's `export.patterns` for DIR (else
/// `*.txt`; OUTDIR never lies inside DIR); what was skipped is shown as warnings.
fn find_issues(dir: &Path, args: &ExportArgs) -> anyhow::Result<Vec<walk::Found>> {
    let patterns = issue_patterns(dir)?;
    let found = walk::walk(dir, &patterns)
        .with_context(|| format!("cannot read {}", args.dir.display()))?;
    for s in &found.skipped {
        let path = s.path.display().to_string();
        report::emit(&Diagnostic::warning(
            &path,
            0,
            0,
            format!("skipped: {}", s.reason),
        ));
    }
    Ok(found.found)
}

/// The patterns of issue files for DIR: quire.yaml's `export.patterns`, else `*.txt`.
fn issue_patterns(dir: &Path) -> anyhow::Result<Vec<String>> {
    let root_config = io::find_config(&dir.join(io::CONFIG_NAME))
        .map(|p| io::load_config(&p))
        .transpose()
        .map_err(DiagnosticError)?;
    Ok(root_config
        .as_ref()
        .and_then(|c| c.export.as_ref())
        .and_then(|e| e.patterns.clone())
        .unwrap_or_else(|| {
            walk::DEFAULT_PATTERNS
                .iter()
                .map(|s| s.to_string())
                .collect()
        }))
}

/// Run `work` on every item on the pool, with progress; the outcomes sorted by source. The
/// workers take the items one at a time, the largest first (`size`, in bytes of source): an
/// idle worker takes the next one, so the run ends on small items and the workers finish
/// within a small item of each other, where rayon's halving of the list in source order could
/// leave one worker a large issue (20–50 ms) after the other had finished.
fn in_parallel<T: Sync>(
    pool: &rayon::ThreadPool,
    items: &[T],
    size: impl Fn(&T) -> u64,
    quiet: bool,
    what: &str,
    work: impl Fn(&T) -> Outcome + Sync,
) -> Vec<Outcome> {
    let progress = Progress::new(items.len() as u64, quiet, what);
    let mut order: Vec<&T> = items.iter().collect();
    // Stable: items of one size keep their source order.
    order.sort_by_key(|item| std::cmp::Reverse(size(item)));
    let mut outcomes: Vec<Outcome> = pool.install(|| {
        order
            .into_iter()
            .par_bridge()
            .map(|item| {
                let outcome = work(item);
                progress.done(&outcome.0);
                outcome
            })
            .collect()
    });
    progress.finish();
    outcomes.sort_by(|a, b| a.0.source.cmp(&b.0.source));
    outcomes
}

/// The diagnostics in source order, whatever order the workers finished in; warnings only
/// without --quiet.
fn show_diagnostics(issues: &[Outcome], volumes: &[Outcome], quiet: bool) {
    for (e, diags) in issues.iter().chain(volumes) {
        for d in diags {
            if d.is_error() || !quiet {
                report::emit(d);
            }
        }
        if e.status == Status::Failed && diags.is_empty() {
            report::emit_all(&e.diagnostics);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn export_in_parallel_takes_the_largest_first_and_returns_source_order() {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        // (source, size): on one worker the items are taken strictly largest first.
        let items = [("a", 5u64), ("b", 30), ("c", 5), ("d", 12), ("e", 30)];
        let taken = std::sync::Mutex::new(Vec::new());
        let outcomes = in_parallel(
            &pool,
            &items,
            |i| i.1,
            true,
            "issues",
            |i| {
                taken.lock().unwrap().push(i.0);
                let entry = Entry {
                    source: i.0.to_string(),
                    ..Entry::default()
                };
                (entry, Vec::new())
            },
        );
        // Equal sizes keep their source order.
        assert_eq!(*taken.lock().unwrap(), ["b", "e", "d", "a", "c"]);
        let sources: Vec<&str> = outcomes.iter().map(|o| o.0.source.as_str()).collect();
        assert_eq!(sources, ["a", "b", "c", "d", "e"]);

        // On several workers every item is done once, and the outcomes come in source order.
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(4)
            .build()
            .unwrap();
        let many: Vec<(String, u64)> = (0..200).map(|i| (format!("{i:03}"), i % 17)).collect();
        let outcomes = in_parallel(
            &pool,
            &many,
            |i| i.1,
            true,
            "issues",
            |i| {
                let entry = Entry {
                    source: i.0.clone(),
                    ..Entry::default()
                };
                (entry, Vec::new())
            },
        );
        let sources: Vec<String> = outcomes.into_iter().map(|o| o.0.source).collect();
        let expected: Vec<String> = many.into_iter().map(|i| i.0).collect();
        assert_eq!(sources, expected);
    }
}
