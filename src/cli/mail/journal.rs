//! The delivery journal: one JSON line per step of each reader's delivery, flushed to disk
//! before the next step, so a rerun after any interruption knows who has the issue.
//!
//! For each reader and issue the journal holds, in order:
//! - `start`  before the SMTP transaction (MAIL FROM) or the sendmail pipe opens;
//! - `data`   just before the message's end is sent: from here on the server may deliver it;
//! - `sent`   after the server's 250 (or sendmail's exit 0), with the reply;
//! - `failed` after a permanent refusal (5xx), with the reply.
//!
//! A reader whose last line is `data` is **uncertain**: the process stopped (crash, kill -9,
//! lost connection) between handing over the message and hearing the answer. A rerun does not
//! mail them again unless told to (`--resend-uncertain`). A reader whose last line is `start`
//! was never handed the message's end and is mailed again; `failed` readers are tried again.
//! The journal never holds credentials. It is locked (an OS file lock) while a run uses it, so
//! two runs cannot mail the same list at once.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fs::{self, File};
use std::io::{self, BufRead, Write};
use std::path::{Path, PathBuf};

/// The last recorded step of a reader's delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Step {
    Start,
    Data,
    Sent,
    Failed,
}

#[derive(Debug, Serialize, Deserialize)]
struct Line {
    time: i64,
    issue: String,
    email: String,
    step: Step,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    message_id: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    reply: String,
}

/// An open, locked journal.
pub struct Journal {
    file: File,
    path: PathBuf,
    issue: String,
    /// The last step per (issue, lower-case address).
    last: HashMap<(String, String), Step>,
}

impl Journal {
    /// Open (or create) the journal at `path` for `issue` and lock it for this run.
    pub fn open(path: &Path, issue: &str) -> Result<Journal, String> {
        let shown = path.display();
        let mut file = fs::OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(path)
            .map_err(|e| format!("{shown}: cannot open the journal: {e}"))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => {
                return Err(format!(
                "{shown}: another quire mail is sending with this journal; wait for it to finish"
            ))
            }
            Err(fs::TryLockError::Error(e)) => {
                return Err(format!("{shown}: cannot lock the journal: {e}"))
            }
        }
        let last = read_steps(&mut file).map_err(|e| format!("{shown}: {e}"))?;
        Ok(Journal {
            file,
            path: path.to_path_buf(),
            issue: issue.to_string(),
            last,
        })
    }

    /// Where the journal is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The last step recorded for `email` in this issue.
    pub fn last(&self, email: &str) -> Option<Step> {
        self.last
            .get(&(self.issue.clone(), email.to_lowercase()))
            .copied()
    }

    /// Append one step and flush it to disk (fsync) before returning.
    pub fn record(
        &mut self,
        email: &str,
        step: Step,
        message_id: &str,
        reply: &str,
    ) -> io::Result<()> {
        let line = Line {
            time: now(),
            issue: self.issue.clone(),
            email: email.to_string(),
            step,
            message_id: message_id.to_string(),
            reply: reply.to_string(),
        };
        let mut bytes = serde_json::to_vec(&line).map_err(io::Error::other)?;
        bytes.push(b'\n');
        self.file.write_all(&bytes)?;
        self.file.sync_data()?;
        self.last
            .insert((self.issue.clone(), email.to_lowercase()), step);
        Ok(())
    }
}

/// The last step per reader and issue. A line that does not parse is skipped: only the last
/// line can be torn (a kill while writing it), and a torn `sent` or `data` line leaves the
/// reader at the step before, which errs toward "uncertain", never toward "sent".
fn read_steps(file: &mut File) -> io::Result<HashMap<(String, String), Step>> {
    let mut last = HashMap::new();
    let reader = io::BufReader::new(&mut *file);
    for line in reader.lines() {
        let line = match line {
            Ok(l) => l,
            Err(e) if e.kind() == io::ErrorKind::InvalidData => continue,
            Err(e) => return Err(e),
        };
        if let Ok(l) = serde_json::from_str::<Line>(&line) {
            last.insert((l.issue, l.email.to_lowercase()), l.step);
        }
    }
    // A torn last line has no newline: end it so the next record starts on its own line.
    let len = file.metadata()?.len();
    if len > 0 {
        use std::io::{Read, Seek, SeekFrom};
        let mut f = &*file;
        f.seek(SeekFrom::Start(len - 1))?;
        let mut b = [0u8; 1];
        f.read_exact(&mut b)?;
        if b[0] != b'\n' {
            (&*file).write_all(b"\n")?;
        }
    }
    Ok(last)
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn journal_records_and_reads_back_steps() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("r.csv.sent.jsonl");
        {
            let mut j = Journal::open(&p, "2017-04").unwrap();
            j.record("A@x.org", Step::Start, "<1@x>", "").unwrap();
            j.record("a@x.org", Step::Data, "<1@x>", "").unwrap();
            j.record("b@x.org", Step::Start, "<2@x>", "").unwrap();
            j.record("b@x.org", Step::Data, "<2@x>", "").unwrap();
            j.record("b@x.org", Step::Sent, "<2@x>", "250 ok").unwrap();
        }
        let j = Journal::open(&p, "2017-04").unwrap();
        assert_eq!(j.last("a@X.org"), Some(Step::Data));
        assert_eq!(j.last("b@x.org"), Some(Step::Sent));
        assert_eq!(j.last("c@x.org"), None);
        drop(j);
        let other = Journal::open(&p, "2017-05").unwrap();
        assert_eq!(other.last("b@x.org"), None, "steps are per issue");
    }

    #[test]
    fn journal_torn_last_line_is_ignored_and_ended() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("j.jsonl");
        fs::write(
            &p,
            "{\"time\":1,\"issue\":\"i\",\"email\":\"a@x.org\",\"step\":\"data\"}\n{\"time\":1,\"iss",
        )
        .unwrap();
        let mut j = Journal::open(&p, "i").unwrap();
        assert_eq!(j.last("a@x.org"), Some(Step::Data));
        j.record("b@x.org", Step::Start, "", "").unwrap();
        drop(j);
        let j = Journal::open(&p, "i").unwrap();
        assert_eq!(j.last("b@x.org"), Some(Step::Start));
    }

    #[test]
    fn journal_is_locked_while_open() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("j.jsonl");
        let _first = Journal::open(&p, "i").unwrap();
        let e = Journal::open(&p, "i").err().unwrap();
        assert!(e.contains("another quire mail"), "{e}");
    }
}
