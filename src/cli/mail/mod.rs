//! `quire mail`: the issue as an e-mail with its PDF attached, to a few addresses or to every
//! reader of a list, never twice.
//!
//! The steps: load the settings (`settings`: command line over quire.yaml's `mail:`;
//! credentials only from the environment or a file), render each edition once (`editions`),
//! read the list and make one job per message (here), check the templates and the size of
//! each edition's message before the first one goes (here), then build and deliver the
//! messages one by one (`deliver`, through `transport`), recording every delivery in the
//! journal (`journal`) so a rerun skips readers already mailed and reports the uncertain ones,
//! and showing the progress (`progress`).

mod deliver;
mod editions;
mod journal;
mod progress;
mod settings;
mod transport;

use super::args::MailArgs;
use super::{io, report};
use deliver::{dry_run, test_to, Run};
use journal::Journal;
use lettre::message::Mailbox;
use quire::diag::Diagnostic;
use quire::mail::{build_message, check_address, Built, Reader, Recipients, Settings};
use settings::{mail_settings, via, Via};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

/// The common provider limit on a whole encoded message (Gmail, Outlook: 25 MB).
const DEFAULT_MAX_SIZE: u64 = 25_000_000;
/// Above this a message still goes, with a warning: many corporate servers stop at 10 MB.
const WARN_SIZE: u64 = 10_000_000;

/// Send; returns the exit code: 0 all sent, 1 some reader failed or is uncertain (or the run
/// was stopped), 2 nothing could be sent (bad input, settings, server, authentication, TLS).
pub fn run(args: &MailArgs) -> i32 {
    if let Err(d) = super::usage::max_input(args.max_input.as_deref()) {
        report::emit(&d);
        return super::usage::EXIT;
    }
    let stop = Arc::new(AtomicBool::new(false));
    for sig in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        // A second Ctrl-C ends the process at once; the first asks to stop after the message
        // in flight.
        let _ = signal_hook::flag::register_conditional_shutdown(sig, 130, Arc::clone(&stop));
        let _ = signal_hook::flag::register(sig, Arc::clone(&stop));
    }
    match mail(args, &stop) {
        Ok(code) => code,
        Err(diags) => {
            report::emit_all(&diags);
            2
        }
    }
}

/// One message to deliver.
pub(super) struct Job {
    edition: usize,
    to: Recipients,
    /// The journal's key and the progress line's name: the address(es).
    label: String,
    /// The `.eml` file name for `--out`.
    eml: String,
}

fn mail(args: &MailArgs, stop: &AtomicBool) -> Result<i32, Vec<Diagnostic>> {
    let config_path = match &args.config {
        Some(p) => Some(p.clone()),
        None => io::find_config(&args.file),
    };
    let base = io::config_for(&args.file, args.config.as_deref()).map_err(|d| vec![d])?;
    let cfg = mail_settings(args, &base)?;
    let yaml = config_path
        .as_ref()
        .map_or_else(|| "quire.yaml".to_string(), |p| p.display().to_string());
    let settings = settings::settings(args, &cfg, &yaml)?;
    let via = via(args, &cfg, &yaml)?;
    let rate = match &args.rate {
        Some(r) => Some(quire::config::parse_rate(r).map_err(|e| vec![flag("--rate", e)])?),
        None => cfg.rate.map(|r| r.0),
    };

    let editions = editions::load(&args.file, args.encoding.as_deref(), args.config.as_deref())?;
    for e in &editions {
        report::emit_all(&e.warnings);
    }
    let (jobs, columns) = jobs(args, &editions)?;
    check_templates(&settings, &editions, &columns, &yaml)?;
    check_sizes(&settings, &editions, &jobs, &cfg)?;

    if args.dry_run || matches!(via, Via::DryRun) {
        return dry_run(&settings, &editions, &jobs);
    }
    if let Some(addr) = &args.test_to {
        return test_to(addr, &settings, &editions, &jobs, &via, args.quiet);
    }
    let journal = match (&via, &args.list, &args.journal) {
        (Via::Out(_), _, _) | (Via::DryRun, _, _) => None,
        (_, _, Some(j)) => Some(j.clone()),
        (_, Some(list), None) => Some(default_journal(list)),
        (_, None, None) => None,
    };
    let issue_key = args
        .file
        .file_stem()
        .map_or_else(|| "issue".to_string(), |s| s.to_string_lossy().into_owned());
    let mut journal = match journal {
        Some(p) => Some(Journal::open(&p, &issue_key).map_err(|e| vec![plain(&e)])?),
        None => None,
    };
    let run = Run {
        settings: &settings,
        editions: &editions,
        rate,
        resend_uncertain: args.resend_uncertain,
        quiet: args.quiet,
        stop,
        verb: if matches!(via, Via::Out(_)) {
            "written"
        } else {
            "sent"
        },
    };
    run.deliver(&jobs, &via, journal.as_mut())
}

/// The messages: one for --to/--cc/--bcc, or one per reader of --list (with the list's
/// column names for the templates).
fn jobs(
    args: &MailArgs,
    editions: &[editions::Loaded],
) -> Result<(Vec<Job>, Vec<String>), Vec<Diagnostic>> {
    let stem = args
        .file
        .file_stem()
        .map_or_else(|| "issue".to_string(), |s| s.to_string_lossy().into_owned());
    let Some(list) = &args.list else {
        let parse_all = |v: &[String], what: &str| -> Result<Vec<Mailbox>, Vec<Diagnostic>> {
            v.iter()
                .map(|a| mailbox(a).map_err(|e| vec![flag(what, e)]))
                .collect()
        };
        let to = Recipients {
            to: parse_all(&args.to, "--to")?,
            cc: parse_all(&args.cc, "--cc")?,
            bcc: parse_all(&args.bcc, "--bcc")?,
            reader: None,
        };
        let label = to
            .addresses()
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(",");
        let job = Job {
            edition: 0,
            to,
            label,
            eml: format!("{stem}.eml"),
        };
        return Ok((vec![job], vec!["email".into(), "name".into()]));
    };
    let name = list.display().to_string();
    let bytes = std::fs::read(list)
        .map_err(|e| vec![Diagnostic::error(&name, 0, 0, format!("cannot read: {e}"))])?;
    let text = quire::parse::decode::decode(&name, &bytes, None).map_err(|d| {
        report::add_undecodable(&name, &bytes, None);
        vec![d]
    })?;
    // The skipped rows show their line of the list.
    report::add_source(&name, &text);
    let readers = quire::mail::parse_readers(&name, &text).map_err(|d| vec![d])?;
    report::emit_all(&readers.skipped);
    if !readers.skipped.is_empty() {
        eprintln!(
            "{name}: {} readers, {} rows skipped",
            readers.readers.len(),
            readers.skipped.len()
        );
    }
    if readers.readers.is_empty() {
        return Err(vec![Diagnostic::error(&name, 0, 0, "no readers to mail")]);
    }
    let tags: Vec<&str> = editions.iter().map(|e| e.tag.as_str()).collect();
    let jobs = readers
        .readers
        .into_iter()
        .map(|r| reader_job(r, &tags))
        .collect();
    let mut columns = readers.columns;
    columns.extend(["email".to_string(), "name".to_string()]);
    Ok((jobs, columns))
}

fn reader_job(r: Reader, tags: &[&str]) -> Job {
    let edition = editions::pick(tags, r.language.as_deref());
    let mbox = Mailbox::new(
        r.name.clone(),
        r.email.parse().expect("the list checked every address"),
    );
    let eml = format!("{}.eml", safe_file_name(&r.email));
    Job {
        edition,
        label: r.email.clone(),
        to: Recipients {
            to: vec![mbox],
            reader: Some(r),
            ..Recipients::default()
        },
        eml,
    }
}

/// Every placeholder of the subject and the unsubscribe link is known before anything goes.
fn check_templates(
    s: &Settings,
    editions: &[editions::Loaded],
    columns: &[String],
    yaml: &str,
) -> Result<(), Vec<Diagnostic>> {
    let mut known: Vec<String> = editions[0]
        .edition
        .values
        .iter()
        .map(|(k, _)| k.clone())
        .collect();
    known.extend(columns.iter().cloned());
    s.subject
        .check(&known)
        .map_err(|e| vec![flag("subject", e.to_string())])?;
    if let Some(u) = &s.unsubscribe {
        u.check(&known)
            .map_err(|e| vec![flag(yaml, format!("mail.unsubscribe: {e}"))])?;
    }
    Ok(())
}

/// The first message of each edition in use must fit `mail.max_size`; above 10 MB, a warning.
fn check_sizes(
    s: &Settings,
    editions: &[editions::Loaded],
    jobs: &[Job],
    cfg: &quire::config::Mail,
) -> Result<(), Vec<Diagnostic>> {
    let max = cfg.max_size.map_or(DEFAULT_MAX_SIZE, |m| m.0);
    for (i, e) in editions.iter().enumerate() {
        let Some(job) = jobs.iter().find(|j| j.edition == i) else {
            continue;
        };
        let built = build(s, editions, job)?;
        let size = built.bytes.len() as u64;
        let shown = e.path.display().to_string();
        if size > max {
            return Err(vec![Diagnostic::error(
                &shown,
                0,
                0,
                format!(
                    "the message would be {} (the PDF is {}, base64 adds a third), over the \
                     limit of {}",
                    human(size),
                    human(e.edition.pdf_len as u64),
                    human(max)
                ),
            )
            .with_hint(
                "make the PDF smaller, or raise mail.max_size if your provider allows it",
            )]);
        }
        if size > WARN_SIZE {
            report::emit(&Diagnostic::warning(
                &shown,
                0,
                0,
                format!(
                    "the message is {}: many servers refuse over 10 MB",
                    human(size)
                ),
            ));
        }
    }
    Ok(())
}

pub(super) fn build(
    s: &Settings,
    editions: &[editions::Loaded],
    job: &Job,
) -> Result<Built, Vec<Diagnostic>> {
    build_message(s, &editions[job.edition].edition, &job.to)
        .map_err(|e| vec![plain(&format!("{}: {e}", job.label))])
}

/// `Name <addr@domain>` or `addr@domain`, checked.
pub(super) fn mailbox(s: &str) -> Result<Mailbox, String> {
    let s = s.trim();
    if s.chars().any(char::is_control) {
        return Err(format!("`{}` holds a control character", s.escape_debug()));
    }
    if !s.contains('<') {
        check_address(s)?;
    }
    s.parse::<Mailbox>().map_err(|_| {
        format!("`{s}` is not an e-mail address (write addr@domain or Name <addr@domain>)")
    })
}

/// `readers.csv` -> `readers.csv.sent.jsonl`.
fn default_journal(list: &Path) -> PathBuf {
    let mut name = list.file_name().unwrap_or_default().to_os_string();
    name.push(".sent.jsonl");
    list.with_file_name(name)
}

/// An address as a file name: letters, digits and `@._+-` kept, the rest `_`.
pub(super) fn safe_file_name(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "@._+-".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect()
}

pub(super) fn human(bytes: u64) -> String {
    if bytes >= 1_000_000 {
        format!("{:.1} MB", bytes as f64 / 1e6)
    } else {
        format!("{:.1} kB", bytes as f64 / 1e3)
    }
}

pub(super) fn plain(message: &str) -> Diagnostic {
    Diagnostic::error("quire mail", 0, 0, message)
}

pub(super) fn flag(what: &str, message: impl Into<String>) -> Diagnostic {
    Diagnostic::error(what, 0, 0, message)
}

pub(super) fn now_nanos() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mail_default_journal_sits_beside_the_list() {
        assert_eq!(
            default_journal(Path::new("lists/readers.csv")),
            PathBuf::from("lists/readers.csv.sent.jsonl")
        );
    }

    #[test]
    fn mail_mailbox_forms() {
        assert!(mailbox("news@example.org").is_ok());
        assert_eq!(
            mailbox("Embassy News <news@example.org>")
                .unwrap()
                .name
                .as_deref(),
            Some("Embassy News")
        );
        assert!(mailbox("news@example.org\r\nBcc: x@y.org").is_err());
        assert!(mailbox("not an address").is_err());
    }

    #[test]
    fn mail_safe_file_names() {
        assert_eq!(
            safe_file_name("li.wei+news@example.org"),
            "li.wei+news@example.org"
        );
        assert_eq!(safe_file_name("a/b@x.org"), "a_b@x.org");
    }
}
