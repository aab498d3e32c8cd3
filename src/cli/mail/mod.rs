//! `quire mail`: the issue as an e-mail with its PDF attached, to a few addresses or to every
//! reader of a list, never twice.
//!
//! The steps: load the settings (command line over quire.yaml's `mail:`; credentials only from
//! the environment or a file), render each edition once (`editions`), read the list, check
//! the templates and the size of each edition's message before the first one goes, then build
//! and deliver the messages one by one (`transport`), recording every delivery in the journal
//! (`journal`) so a rerun skips readers already mailed and reports the uncertain ones.

mod editions;
mod journal;
mod transport;

use super::args::MailArgs;
use super::io;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};
use journal::{Journal, Step};
use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use quire::diag::Diagnostic;
use quire::mail::{build_message, check_address, Built, Reader, Recipients, Settings, Template};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use transport::{Outcome, SmtpClient};

/// The subject when neither `--subject` nor `mail.subject` gives one.
const DEFAULT_SUBJECT: &str = "{newsletter} {issue line}: {title}";
/// The common provider limit on a whole encoded message (Gmail, Outlook: 25 MB).
const DEFAULT_MAX_SIZE: u64 = 25_000_000;
/// Above this a message still goes, with a warning: many corporate servers stop at 10 MB.
const WARN_SIZE: u64 = 10_000_000;
/// Messages per SMTP connection when `mail.batch` is not set (Gmail and Microsoft 365 cap a
/// connection at about 100).
const DEFAULT_BATCH: u32 = 100;

/// Send; returns the exit code: 0 all sent, 1 some reader failed or is uncertain (or the run
/// was stopped), 2 nothing could be sent (bad input, settings, server, authentication, TLS).
pub fn run(args: &MailArgs) -> i32 {
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
            for d in diags {
                eprintln!("{d}");
            }
            2
        }
    }
}

/// Where the messages go.
enum Via {
    DryRun,
    Out(PathBuf),
    Sendmail,
    Smtp(transport::Server),
}

/// One message to deliver.
struct Job {
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
    let settings = settings(args, &cfg, &yaml)?;
    let via = via(args, &cfg, &yaml)?;
    let rate = match &args.rate {
        Some(r) => Some(quire::config::parse_rate(r).map_err(|e| vec![flag("--rate", e)])?),
        None => cfg.rate.map(|r| r.0),
    };

    let editions = editions::load(&args.file, args.encoding.as_deref(), args.config.as_deref())?;
    for e in &editions {
        for w in &e.warnings {
            eprintln!("{w}");
        }
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

/// quire.yaml's `mail:` with the issue's own front matter `mail:` laid over it (its file
/// paths relative to the issue's folder).
fn mail_settings(
    args: &MailArgs,
    base: &quire::config::Config,
) -> Result<quire::config::Mail, Vec<Diagnostic>> {
    let base_mail = base.mail.clone().unwrap_or_default();
    let name = args.file.display().to_string();
    let bytes = io::read_issue(&args.file).map_err(|d| vec![d])?;
    let text = quire::parse::decode::decode(&name, &bytes, args.encoding.as_deref())
        .map_err(|d| vec![d])?;
    let front = match quire::parse::front::split(&name, &text).front {
        Some(Ok(f)) => f,
        Some(Err(d)) => return Err(vec![d]),
        None => return Ok(base_mail),
    };
    let Some(mut own) = front.mail else {
        return Ok(base_mail);
    };
    let dir = args.file.parent().unwrap_or(Path::new(""));
    for f in [own.credentials.as_mut(), own.ca_file.as_mut()]
        .into_iter()
        .flatten()
    {
        if Path::new(f.as_str()).is_relative() {
            *f = dir.join(f.as_str()).display().to_string();
        }
    }
    let merged = quire::config::Config {
        mail: Some(own),
        ..Default::default()
    }
    .merged_over(&quire::config::Config {
        mail: Some(base_mail),
        ..Default::default()
    });
    Ok(merged.mail.unwrap_or_default())
}

/// The settings every message shares: sender, reply-to, templates, list id, date.
fn settings(
    args: &MailArgs,
    cfg: &quire::config::Mail,
    yaml: &str,
) -> Result<Settings, Vec<Diagnostic>> {
    let from_text = args
        .from
        .clone()
        .or_else(|| cfg.from.clone())
        .ok_or_else(|| {
            vec![plain(
                "no sender: give --from ADDR or mail.from in quire.yaml",
            )]
        })?;
    let from_src = if args.from.is_some() { "--from" } else { yaml };
    let from = mailbox(&from_text).map_err(|e| vec![flag(from_src, e)])?;
    let reply_to = match args.reply_to.as_ref().or(cfg.reply_to.as_ref()) {
        Some(r) => Some(mailbox(r).map_err(|e| vec![flag("reply-to", e)])?),
        None => None,
    };
    let subject_text = args
        .subject
        .clone()
        .or_else(|| cfg.subject.clone())
        .unwrap_or_else(|| DEFAULT_SUBJECT.to_string());
    let subject = Template::parse(&subject_text).map_err(|e| {
        vec![flag(
            if args.subject.is_some() {
                "--subject"
            } else {
                yaml
            },
            format!("subject: {e}"),
        )]
    })?;
    let unsubscribe = match &cfg.unsubscribe {
        Some(u) => Some(
            Template::parse(u).map_err(|e| vec![flag(yaml, format!("mail.unsubscribe: {e}"))])?,
        ),
        None => None,
    };
    let date = super::env::get()?.date();
    Ok(Settings {
        from,
        reply_to,
        subject,
        unsubscribe,
        list_id: cfg.list_id.clone(),
        date,
        salt: String::new(),
    })
}

/// Where the messages go: --dry-run, --out, --sendmail, --smtp or mail.smtp.
fn via(args: &MailArgs, cfg: &quire::config::Mail, yaml: &str) -> Result<Via, Vec<Diagnostic>> {
    if args.dry_run {
        return Ok(Via::DryRun);
    }
    if let Some(dir) = &args.out {
        std::fs::create_dir_all(dir).map_err(|e| {
            vec![plain(&format!(
                "{}: cannot create the folder: {e}",
                dir.display()
            ))]
        })?;
        return Ok(Via::Out(dir.clone()));
    }
    if args.sendmail {
        return Ok(Via::Sendmail);
    }
    let (url, src) = match (&args.smtp, &cfg.smtp) {
        (Some(u), _) => (u.clone(), "--smtp"),
        (None, Some(u)) => (u.clone(), yaml),
        (None, None) => {
            return Err(vec![plain(
                "say where the mail goes: --smtp URL, --sendmail or --out DIR (or mail.smtp in \
                 quire.yaml); --dry-run shows what would go",
            )])
        }
    };
    let (host, port, security) = transport::parse_url(&url).map_err(|e| vec![flag(src, e)])?;
    let ca_pem = match &cfg.ca_file {
        Some(f) => Some(
            std::fs::read(f)
                .map_err(|e| vec![flag(yaml, format!("mail.ca_file {f}: cannot read: {e}"))])?,
        ),
        None => None,
    };
    Ok(Via::Smtp(transport::Server {
        host,
        port,
        security,
        credentials: credentials(cfg, yaml)?,
        ca_pem,
        batch: cfg.batch.map_or(DEFAULT_BATCH, |b| b.0),
    }))
}

/// SMTP credentials: `QUIRE_SMTP_USER` and `QUIRE_SMTP_PASSWORD`, else the file
/// `mail.credentials` names (`user:` and `password:`). No error quotes either value.
fn credentials(
    cfg: &quire::config::Mail,
    yaml: &str,
) -> Result<Option<Credentials>, Vec<Diagnostic>> {
    let user = std::env::var("QUIRE_SMTP_USER")
        .ok()
        .filter(|v| !v.is_empty());
    let pass = std::env::var("QUIRE_SMTP_PASSWORD")
        .ok()
        .filter(|v| !v.is_empty());
    match (user, pass) {
        (Some(u), Some(p)) => return Ok(Some(Credentials::new(u, p))),
        (Some(_), None) | (None, Some(_)) => {
            return Err(vec![plain(
                "QUIRE_SMTP_USER and QUIRE_SMTP_PASSWORD go together: set both or neither",
            )])
        }
        (None, None) => {}
    }
    let Some(file) = &cfg.credentials else {
        return Ok(None);
    };
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct File {
        user: String,
        password: String,
    }
    let text = std::fs::read_to_string(file).map_err(|e| {
        vec![flag(
            yaml,
            format!("mail.credentials {file}: cannot read: {e}"),
        )]
    })?;
    let f: File = serde_yaml::from_str(&text).map_err(|_| {
        vec![plain(&format!(
            "{file}: error: not a credentials file (it holds `user:` and `password:`, nothing else)"
        ))]
    })?;
    Ok(Some(Credentials::new(f.user, f.password)))
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
    let text = quire::parse::decode::decode(&name, &bytes, None).map_err(|d| vec![d])?;
    let readers = quire::mail::parse_readers(&name, &text).map_err(|d| vec![d])?;
    for d in &readers.skipped {
        eprintln!("{d}");
    }
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
            eprintln!(
                "{}",
                Diagnostic::warning(
                    &shown,
                    0,
                    0,
                    format!(
                        "the message is {}: many servers refuse over 10 MB",
                        human(size)
                    )
                )
            );
        }
    }
    Ok(())
}

fn build(s: &Settings, editions: &[editions::Loaded], job: &Job) -> Result<Built, Vec<Diagnostic>> {
    build_message(s, &editions[job.edition].edition, &job.to)
        .map_err(|e| vec![plain(&format!("{}: {e}", job.label))])
}

/// `--dry-run`: every message built, one line each; nothing sent, nothing written.
fn dry_run(
    s: &Settings,
    editions: &[editions::Loaded],
    jobs: &[Job],
) -> Result<i32, Vec<Diagnostic>> {
    let mut out = std::io::stdout().lock();
    for job in jobs {
        let b = build(s, editions, job)?;
        let _ = writeln!(
            out,
            "{}\t{}\t{}\t{}",
            job.label,
            editions[job.edition].tag,
            human(b.bytes.len() as u64),
            b.subject
        );
    }
    let _ = writeln!(
        out,
        "dry run: {} messages, {} editions; nothing sent",
        jobs.len(),
        editions.len()
    );
    Ok(0)
}

/// `--test-to ADDR`: one copy of each edition in use, to ADDR only, as its first reader would
/// get it; no journal.
fn test_to(
    addr: &str,
    s: &Settings,
    editions: &[editions::Loaded],
    jobs: &[Job],
    via: &Via,
    quiet: bool,
) -> Result<i32, Vec<Diagnostic>> {
    let mbox = mailbox(addr).map_err(|e| vec![flag("--test-to", e)])?;
    let mut s = s.clone();
    // Two test sends of one issue get distinct ids: mailbox providers hide a repeated id.
    s.salt = format!("test {}", now_nanos());
    let mut failures = 0;
    let mut sink = Sink::open(via)?;
    for (i, e) in editions.iter().enumerate() {
        let Some(job) = jobs.iter().find(|j| j.edition == i) else {
            continue;
        };
        let mut to = job.to.clone();
        to.to = vec![mbox.clone()];
        to.cc.clear();
        to.bcc.clear();
        if let Some(r) = to.reader.as_mut() {
            r.email = mbox.email.to_string();
        }
        let test = Job {
            edition: i,
            label: mbox.email.to_string(),
            eml: format!("test-{}-{}.eml", e.tag, safe_file_name(mbox.email.as_ref())),
            to,
        };
        let built = build(&s, editions, &test)?;
        let outcome = sink.deliver(&test, &built, &mut || Ok(()));
        match &outcome {
            Outcome::Sent(r) if !quiet => println!("test {} edition -> {}: {r}", e.tag, test.label),
            Outcome::Sent(_) => {}
            Outcome::Fatal(why) => return Err(vec![plain(why)]),
            Outcome::Failed(why) | Outcome::Uncertain(why) => {
                failures += 1;
                eprintln!("test {} edition -> {}: {why}", e.tag, test.label);
            }
        }
    }
    Ok(i32::from(failures > 0))
}

/// An open destination.
enum Sink {
    Out(PathBuf),
    Sendmail,
    Smtp(Box<SmtpClient>),
}

impl Sink {
    fn open(via: &Via) -> Result<Sink, Vec<Diagnostic>> {
        Ok(match via {
            Via::DryRun => unreachable!("a dry run opens nothing"),
            Via::Out(d) => Sink::Out(d.clone()),
            Via::Sendmail => Sink::Sendmail,
            Via::Smtp(server) => {
                let mut c = SmtpClient::new(server.clone()).map_err(|e| vec![plain(&e)])?;
                if let Err(Outcome::Fatal(why) | Outcome::Failed(why) | Outcome::Uncertain(why)) =
                    c.open()
                {
                    return Err(vec![plain(&why)]);
                }
                Sink::Smtp(Box::new(c))
            }
        })
    }

    fn deliver(
        &mut self,
        job: &Job,
        built: &Built,
        on_data: &mut dyn FnMut() -> std::io::Result<()>,
    ) -> Outcome {
        match self {
            Sink::Out(dir) => transport::write_eml(dir, &job.eml, built),
            Sink::Sendmail => transport::sendmail(built, on_data),
            Sink::Smtp(c) => c.send(built, on_data),
        }
    }
}

/// One delivery run over the jobs.
struct Run<'a> {
    settings: &'a Settings,
    editions: &'a [editions::Loaded],
    rate: Option<f64>,
    resend_uncertain: bool,
    quiet: bool,
    stop: &'a AtomicBool,
    /// "sent", or "written" for --out.
    verb: &'static str,
}

/// What happened to each reader.
#[derive(Default)]
struct Tally {
    sent: usize,
    already: usize,
    failed: Vec<(String, String)>,
    uncertain: Vec<(String, String)>,
    not_attempted: usize,
    fatal: Option<String>,
    stopped: bool,
}

impl Run<'_> {
    fn deliver(
        &self,
        jobs: &[Job],
        via: &Via,
        mut journal: Option<&mut Journal>,
    ) -> Result<i32, Vec<Diagnostic>> {
        let mut sink = Sink::open(via)?;
        let progress = Progress::new(jobs.len() as u64, self.quiet);
        let mut t = Tally::default();
        let interval = self.rate.map(|r| Duration::from_secs_f64(1.0 / r));
        let mut last_start: Option<Instant> = None;
        for (i, job) in jobs.iter().enumerate() {
            if self.stop.load(Ordering::SeqCst) {
                t.stopped = true;
                t.not_attempted = jobs.len() - i;
                break;
            }
            if let Some(j) = journal.as_deref() {
                match j.last(&job.label) {
                    Some(Step::Sent) => {
                        t.already += 1;
                        progress.step(job, "already sent", "");
                        continue;
                    }
                    Some(Step::Data) if !self.resend_uncertain => {
                        t.uncertain
                            .push((job.label.clone(), "from an earlier run".into()));
                        progress.step(job, "uncertain", "from an earlier run, not sent again");
                        continue;
                    }
                    _ => {}
                }
            }
            if let (Some(iv), Some(at)) = (interval, last_start) {
                let next = at + iv;
                let now = Instant::now();
                if next > now {
                    std::thread::sleep(next - now);
                }
            }
            last_start = Some(Instant::now());
            let built = match build(self.settings, self.editions, job) {
                Ok(b) => b,
                Err(d) => {
                    t.failed.push((job.label.clone(), d[0].message.clone()));
                    continue;
                }
            };
            let outcome = self.send_one(&mut sink, job, &built, journal.as_deref_mut());
            match outcome {
                Outcome::Sent(reply) => {
                    t.sent += 1;
                    progress.step(job, self.verb, &reply);
                }
                Outcome::Failed(reply) => {
                    progress.step(job, "failed", &reply);
                    t.failed.push((job.label.clone(), reply));
                }
                Outcome::Uncertain(why) => {
                    progress.step(job, "uncertain", &why);
                    t.uncertain.push((job.label.clone(), why));
                }
                Outcome::Fatal(why) => {
                    t.fatal = Some(why);
                    t.not_attempted = jobs.len() - i;
                    break;
                }
            }
        }
        progress.finish();
        if let Sink::Smtp(c) = &mut sink {
            c.close();
        }
        Ok(self.summary(&t, jobs.len(), journal.as_deref()))
    }

    /// Deliver one message, with the journal's steps around it.
    fn send_one(
        &self,
        sink: &mut Sink,
        job: &Job,
        built: &Built,
        mut journal: Option<&mut Journal>,
    ) -> Outcome {
        let id = built.message_id.as_str();
        if let Some(j) = journal.as_deref_mut() {
            if let Err(e) = j.record(&job.label, Step::Start, id, "") {
                return Outcome::Fatal(format!("{}: cannot write: {e}", j.path().display()));
            }
        }
        let outcome = {
            let mut on_data = || match journal.as_deref_mut() {
                Some(j) => j.record(&job.label, Step::Data, id, ""),
                None => Ok(()),
            };
            sink.deliver(job, built, &mut on_data)
        };
        if let Some(j) = journal {
            let step = match &outcome {
                Outcome::Sent(r) => Some((Step::Sent, r)),
                Outcome::Failed(r) => Some((Step::Failed, r)),
                _ => None,
            };
            if let Some((step, reply)) = step {
                if let Err(e) = j.record(&job.label, step, id, reply) {
                    return Outcome::Fatal(format!("{}: cannot write: {e}", j.path().display()));
                }
            }
        }
        outcome
    }

    /// Print what happened and how to go on; the exit code.
    fn summary(&self, t: &Tally, total: usize, journal: Option<&Journal>) -> i32 {
        let mut err = std::io::stderr().lock();
        let _ = writeln!(
            err,
            "quire mail: {} {}, {} already sent, {} failed, {} uncertain{}",
            t.sent,
            self.verb,
            t.already,
            t.failed.len(),
            t.uncertain.len(),
            if t.not_attempted > 0 {
                format!(", {} not attempted", t.not_attempted)
            } else {
                String::new()
            }
        );
        for (who, why) in &t.failed {
            let _ = writeln!(err, "  failed: {who}: {why}");
        }
        for (who, why) in &t.uncertain {
            let _ = writeln!(err, "  uncertain: {who}: {why}");
        }
        if !t.uncertain.is_empty() {
            let _ = writeln!(
                err,
                "  hint: an uncertain message may have arrived; check the server's log or a \
                 reader, then rerun with --resend-uncertain to send those again"
            );
        }
        if let Some(why) = &t.fatal {
            let _ = writeln!(err, "quire mail: stopped: {why}");
        }
        if t.stopped {
            let _ = writeln!(
                err,
                "quire mail: stopped on request after {} of {total}",
                total - t.not_attempted
            );
        }
        if (t.stopped || t.fatal.is_some()) && journal.is_some() {
            let _ = writeln!(
                err,
                "  hint: run the same command again to go on; readers already sent are skipped"
            );
        }
        if t.fatal.is_some() && t.sent == 0 && t.already == 0 && t.failed.is_empty() {
            2
        } else {
            i32::from(
                !(t.failed.is_empty() && t.uncertain.is_empty() && t.fatal.is_none() && !t.stopped),
            )
        }
    }
}

/// Progress: a bar on a terminal (failures printed above it), a line per message otherwise,
/// nothing with --quiet (the summary still lists every failed and uncertain reader).
enum Progress {
    Quiet,
    Lines,
    Bar(ProgressBar),
}

impl Progress {
    fn new(len: u64, quiet: bool) -> Progress {
        if quiet {
            return Progress::Quiet;
        }
        if !std::io::stderr().is_terminal() {
            return Progress::Lines;
        }
        let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
        let style = ProgressStyle::with_template(
            "{bar:30} {pos}/{len} messages  {rate}  ETA {eta}  {wide_msg}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .with_key("rate", |s: &ProgressState, w: &mut dyn std::fmt::Write| {
            let _ = write!(w, "{:.1}/s", s.per_sec());
        });
        bar.set_style(style);
        Progress::Bar(bar)
    }

    fn step(&self, job: &Job, what: &str, detail: &str) {
        let problem = what == "failed" || what == "uncertain";
        match self {
            Progress::Lines => println!("{what}\t{}\t{detail}", job.label),
            Progress::Bar(b) => {
                if problem {
                    b.suspend(|| eprintln!("{what}: {}: {detail}", job.label));
                }
                b.set_message(job.label.clone());
                b.inc(1);
            }
            // The summary lists every failed and uncertain reader.
            Progress::Quiet => {}
        }
    }

    fn finish(&self) {
        if let Progress::Bar(b) = self {
            b.finish_and_clear();
        }
    }
}

/// `Name <addr@domain>` or `addr@domain`, checked.
fn mailbox(s: &str) -> Result<Mailbox, String> {
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
fn safe_file_name(s: &str) -> String {
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

fn human(bytes: u64) -> String {
    if bytes >= 1_000_000 {
        format!("{:.1} MB", bytes as f64 / 1e6)
    } else {
        format!("{:.1} kB", bytes as f64 / 1e3)
    }
}

fn plain(message: &str) -> Diagnostic {
    Diagnostic::error("quire mail", 0, 0, message)
}

fn flag(what: &str, message: impl Into<String>) -> Diagnostic {
    Diagnostic::error(what, 0, 0, message)
}

fn now_nanos() -> u128 {
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
