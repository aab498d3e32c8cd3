//! `quire mail`'s deliveries: the dry run, the test send, and the run over every message with
//! the journal's steps around each, the pace, Ctrl-C, and the summary.

use super::journal::{Journal, Step};
use super::progress::Progress;
use super::settings::Via;
use super::{
    build, editions, flag, human, mailbox, now_nanos, plain, safe_file_name, transport, Job,
};
use quire::diag::Diagnostic;
use quire::mail::{Built, Settings};
use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use transport::{Outcome, SmtpClient};

/// `--dry-run`: every message built, one line each; nothing sent, nothing written.
pub(super) fn dry_run(
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
pub(super) fn test_to(
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
pub(super) struct Run<'a> {
    pub(super) settings: &'a Settings,
    pub(super) editions: &'a [editions::Loaded],
    pub(super) rate: Option<f64>,
    pub(super) resend_uncertain: bool,
    pub(super) quiet: bool,
    pub(super) stop: &'a AtomicBool,
    /// "sent", or "written" for --out.
    pub(super) verb: &'static str,
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
    /// Deliver every job (skipping readers the journal has), then print the summary; the
    /// exit code.
    pub(super) fn deliver(
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
