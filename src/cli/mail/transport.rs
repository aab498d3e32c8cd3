//! Where messages go: `.eml` files, the `sendmail` program, or an SMTP server.
//!
//! SMTP is driven a command at a time over lettre's `SmtpConnection`, so each failure is known
//! by its phase: a refusal or a dropped connection *before* the message's end was sent means
//! the server did not take it (retry: reconnect with backoff, a bounded number of times), a
//! 5xx means this reader failed (the others go on), and a connection lost *after* the end was
//! sent means nobody knows (uncertain: never retried automatically). Authentication and TLS
//! failures stop the run at once. One connection carries many messages and is reopened every
//! `batch` messages (servers cap messages per connection).

use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{SmtpConnection, TlsParameters};
use lettre::transport::smtp::commands::{Data, Mail, Rcpt, Rset};
use lettre::transport::smtp::extension::{ClientId, Extension, MailParameter};
use lettre::transport::smtp::response::Response;
use lettre::transport::smtp::Error as SmtpError;
use quire::mail::Built;
use std::path::PathBuf;
use std::time::Duration;

/// How one delivery ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Accepted (the server's reply, or where the file went).
    Sent(String),
    /// Refused for good (the server's reply).
    Failed(String),
    /// Handed over with no answer: may or may not have arrived.
    Uncertain(String),
    /// Nothing more can be sent in this run (authentication, TLS, server gone).
    Fatal(String),
}

/// How the connection to the server is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// TLS from the first byte (smtps, port 465).
    Tls,
    /// STARTTLS required (smtp, port 587).
    StartTls,
    /// In clear: only when the URL says `?tls=none`.
    None,
}

/// An SMTP server as the URL and the settings name it.
#[derive(Clone)]
pub struct Server {
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub credentials: Option<Credentials>,
    /// Extra trusted roots (PEM), e.g. a private relay's CA.
    pub ca_pem: Option<Vec<u8>>,
    /// Messages per connection.
    pub batch: u32,
}

impl std::fmt::Debug for Server {
    // By hand: credentials are never printed, not even in a debug dump.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Server")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("auth", &self.credentials.is_some())
            .finish()
    }
}

/// Parse `smtp://host[:port][?tls=none]` or `smtps://host[:port]`. A user or password in the
/// URL is refused (credentials come from the environment or a file, never an argument), and
/// the error does not repeat it.
pub fn parse_url(url: &str) -> Result<(String, u16, Security), String> {
    let (scheme, rest) = url
        .split_once("://")
        .ok_or_else(|| "the SMTP URL must start with smtp:// or smtps://".to_string())?;
    let (authority, query) = match rest.split_once('?') {
        Some((a, q)) => (a.trim_end_matches('/'), Some(q)),
        None => (rest.trim_end_matches('/'), None),
    };
    if authority.contains('@') {
        return Err(
            "the SMTP URL holds a user or password: put them in QUIRE_SMTP_USER and \
             QUIRE_SMTP_PASSWORD (or the file mail.credentials names), never on the command line"
                .to_string(),
        );
    }
    let security = match (scheme.to_ascii_lowercase().as_str(), query) {
        ("smtps", None) => Security::Tls,
        ("smtp", None) | ("smtp", Some("tls=starttls")) => Security::StartTls,
        ("smtp", Some("tls=none")) => Security::None,
        ("smtp" | "smtps", Some(q)) => {
            return Err(format!(
                "unknown SMTP URL option `{q}` (only tls=none or tls=starttls)"
            ))
        }
        (s, _) => return Err(format!("unknown scheme `{s}`: use smtp:// or smtps://")),
    };
    let default_port = if security == Security::Tls { 465 } else { 587 };
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(']') || authority.starts_with('[') => {
            let port = p
                .parse::<u16>()
                .map_err(|_| format!("`{p}` is not a port number"))?;
            (h, port)
        }
        _ => (authority, default_port),
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if host.is_empty() {
        return Err("the SMTP URL names no host".to_string());
    }
    Ok((host.to_string(), port, security))
}

/// Retries of one message after a 4xx or a dropped connection before its end was sent.
const ATTEMPTS: u32 = 5;
/// The first wait before a retry; it doubles each time (0.5, 1, 2, 4 s: under 8 s in all,
/// long enough for a server's "try again" and short enough not to stall a list).
const BACKOFF: Duration = Duration::from_millis(500);
/// How long to wait for the server's answer: RFC 5321 §4.5.3.2 allows minutes after the end
/// of data; 2 minutes covers real servers under load.
const TIMEOUT: Duration = Duration::from_secs(120);

/// An SMTP client that keeps one connection open across messages.
pub struct SmtpClient {
    server: Server,
    tls: Option<TlsParameters>,
    conn: Option<SmtpConnection>,
    on_conn: u32,
    hello: ClientId,
}

impl SmtpClient {
    /// Prepare a client; `open` connects.
    pub fn new(server: Server) -> Result<SmtpClient, String> {
        let tls = match server.security {
            Security::None => None,
            _ => Some(tls_parameters(&server)?),
        };
        Ok(SmtpClient {
            server,
            tls,
            conn: None,
            on_conn: 0,
            hello: ClientId::default(),
        })
    }

    /// Connect, secure and authenticate now: a run that cannot start says so before anything.
    pub fn open(&mut self) -> Result<(), Outcome> {
        if self.conn.is_none() {
            self.conn = Some(self.connect()?);
            self.on_conn = 0;
        }
        Ok(())
    }

    fn connect(&self) -> Result<SmtpConnection, Outcome> {
        let s = &self.server;
        let at = format!("{}:{}", s.host, s.port);
        let implicit = match s.security {
            Security::Tls => self.tls.as_ref(),
            _ => None,
        };
        let mut conn = SmtpConnection::connect(
            (s.host.as_str(), s.port),
            Some(TIMEOUT),
            &self.hello,
            implicit,
            None,
        )
        .map_err(|e| classify_connect(&at, &e))?;
        if s.security == Security::StartTls {
            if !conn.can_starttls() {
                conn.abort();
                return Err(Outcome::Fatal(format!(
                    "{at} does not offer STARTTLS; use smtps:// if it speaks TLS on connect, or \
                     write ?tls=none to send in clear"
                )));
            }
            let tls = self.tls.as_ref().expect("STARTTLS has TLS parameters");
            conn.starttls(tls, &self.hello)
                .map_err(|e| Outcome::Fatal(format!("{at}: STARTTLS failed: {e}")))?;
        }
        if let Some(creds) = &s.credentials {
            conn.auth(&[Mechanism::Plain, Mechanism::Login], creds)
                .map_err(|e| {
                    Outcome::Fatal(format!("{at}: authentication failed: {}", reply_of(&e)))
                })?;
        }
        Ok(conn)
    }

    /// Send one message, retrying what may be retried. `on_data` is called just before the
    /// message's end is sent (the journal's `data` step); its error stops the run.
    pub fn send(&mut self, m: &Built, on_data: &mut dyn FnMut() -> std::io::Result<()>) -> Outcome {
        let mut wait = BACKOFF;
        let mut last = String::new();
        for attempt in 1..=ATTEMPTS {
            if attempt > 1 {
                std::thread::sleep(wait);
                wait *= 2;
            }
            if self.on_conn >= self.server.batch.max(1) {
                self.close();
            }
            if let Err(o) = self.open() {
                match o {
                    Outcome::Fatal(why) if attempt == 1 || is_auth_or_tls(&why) => {
                        return Outcome::Fatal(why)
                    }
                    Outcome::Fatal(why) | Outcome::Failed(why) | Outcome::Uncertain(why) => {
                        last = why;
                        continue;
                    }
                    Outcome::Sent(_) => unreachable!("open never sends"),
                }
            }
            match self.transaction(m, on_data) {
                Tx::Done(o) => return o,
                Tx::Retry(why) => last = why,
            }
        }
        // A server that keeps saying "later" fails this reader; one that is gone stops the run.
        if self.conn.is_none() {
            Outcome::Fatal(format!("the server stopped answering: {last}"))
        } else {
            Outcome::Failed(format!("{last} (after {ATTEMPTS} attempts)"))
        }
    }

    fn transaction(&mut self, m: &Built, on_data: &mut dyn FnMut() -> std::io::Result<()>) -> Tx {
        let conn = self.conn.as_mut().expect("open before a transaction");
        self.on_conn += 1;
        let mut params = Vec::new();
        if m.envelope_to.iter().any(|a| !a.to_string().is_ascii())
            || !m.envelope_from.to_string().is_ascii()
        {
            if !conn.server_info().supports_feature(Extension::SmtpUtfEight) {
                return Tx::Done(Outcome::Failed(
                    "the address is not ASCII and the server does not take SMTPUTF8".into(),
                ));
            }
            params.push(MailParameter::SmtpUtfEight);
        }
        if let Err(e) = conn.command(Mail::new(Some(m.envelope_from.clone()), params)) {
            return self.refused(e, "MAIL FROM");
        }
        let mut refused = Vec::new();
        for to in &m.envelope_to {
            if let Err(e) = conn.command(Rcpt::new(to.clone(), vec![])) {
                if e.is_permanent() {
                    refused.push(format!("{to}: {}", reply_of(&e)));
                } else {
                    return self.refused(e, "RCPT TO");
                }
            }
        }
        if refused.len() == m.envelope_to.len() {
            let _ = conn.command(Rset);
            return Tx::Done(Outcome::Failed(refused.join("; ")));
        }
        if let Err(e) = conn.command(Data) {
            return self.refused(e, "DATA");
        }
        if let Err(e) = on_data() {
            self.close();
            return Tx::Done(Outcome::Fatal(format!("cannot write the journal: {e}")));
        }
        match conn.message(&m.bytes) {
            Ok(r) => {
                let mut reply = response_text(&r);
                if !refused.is_empty() {
                    reply = format!("{reply}; refused {}", refused.join("; "));
                }
                Tx::Done(Outcome::Sent(reply))
            }
            Err(e) if e.is_permanent() => Tx::Done(Outcome::Failed(reply_of(&e))),
            Err(e) if e.is_transient() => {
                Tx::Retry(format!("{} (after the message)", reply_of(&e)))
            }
            Err(e) => {
                self.drop_conn();
                Tx::Done(Outcome::Uncertain(format!(
                    "no answer after the message was sent: {e}"
                )))
            }
        }
    }

    /// A refusal before the message's end: 5xx fails the reader (530: authentication needed
    /// stops the run), 4xx and dropped connections are retried.
    fn refused(&mut self, e: SmtpError, phase: &str) -> Tx {
        let reply = reply_of(&e);
        if e.is_permanent() {
            if reply.starts_with("530") {
                self.close();
                return Tx::Done(Outcome::Fatal(format!(
                    "the server asks for authentication ({reply}): set QUIRE_SMTP_USER and \
                     QUIRE_SMTP_PASSWORD"
                )));
            }
            if let Some(c) = self.conn.as_mut() {
                let _ = c.command(Rset);
            }
            return Tx::Done(Outcome::Failed(reply));
        }
        if e.is_transient() && !reply.starts_with("421") {
            if let Some(c) = self.conn.as_mut() {
                if c.command(Rset).is_ok() {
                    return Tx::Retry(format!("{reply} (at {phase})"));
                }
            }
        }
        self.drop_conn();
        Tx::Retry(format!("{reply} (at {phase})"))
    }

    fn drop_conn(&mut self) {
        if let Some(mut c) = self.conn.take() {
            c.abort();
        }
    }

    /// QUIT and close the connection (before a new batch, at the end).
    pub fn close(&mut self) {
        if let Some(mut c) = self.conn.take() {
            let _ = c.quit();
        }
    }
}

impl Drop for SmtpClient {
    fn drop(&mut self) {
        self.close();
    }
}

enum Tx {
    Done(Outcome),
    Retry(String),
}

fn tls_parameters(s: &Server) -> Result<TlsParameters, String> {
    let mut b = TlsParameters::builder(s.host.clone());
    if let Some(pem) = &s.ca_pem {
        let cert = lettre::transport::smtp::client::Certificate::from_pem(pem)
            .map_err(|e| format!("the CA file is not a PEM certificate: {e}"))?;
        b = b.add_root_certificate(cert);
    }
    b.build().map_err(|e| format!("TLS set-up failed: {e}"))
}

fn classify_connect(at: &str, e: &SmtpError) -> Outcome {
    if e.is_tls() {
        Outcome::Fatal(format!("{at}: TLS failed: {e}"))
    } else if e.is_permanent() {
        Outcome::Fatal(format!("{at} refused the connection: {}", reply_of(e)))
    } else {
        Outcome::Fatal(format!("cannot connect to {at}: {e}"))
    }
}

fn is_auth_or_tls(why: &str) -> bool {
    why.contains("authentication") || why.contains("TLS")
}

/// "550 5.1.1 mailbox unavailable": the code and the server's words.
fn reply_of(e: &SmtpError) -> String {
    match e.status() {
        Some(code) => {
            let text = e.to_string();
            let words = text.split_once("): ").map_or(text.as_str(), |(_, w)| w);
            format!("{code} {words}")
        }
        None => e.to_string(),
    }
}

fn response_text(r: &Response) -> String {
    let words: Vec<&str> = r.message().collect();
    format!("{} {}", r.code(), words.join(" "))
        .trim()
        .to_string()
}

/// The `sendmail` program on PATH (msmtp, Postfix, Exim), given the envelope on its command
/// line (`-i -f FROM -- RCPT…`) and the message on stdin.
pub fn sendmail(m: &Built, on_data: &mut dyn FnMut() -> std::io::Result<()>) -> Outcome {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut cmd = Command::new("sendmail");
    cmd.arg("-i").arg("-f").arg(&m.envelope_from).arg("--");
    for to in &m.envelope_to {
        cmd.arg(to);
    }
    let mut child = match cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(c) => c,
        Err(e) => return Outcome::Fatal(format!("cannot run sendmail: {e}")),
    };
    if let Err(e) = on_data() {
        let _ = child.kill();
        return Outcome::Fatal(format!("cannot write the journal: {e}"));
    }
    let wrote = child
        .stdin
        .take()
        .map(|mut i| i.write_all(&m.bytes))
        .unwrap_or(Ok(()));
    let out = child.wait_with_output();
    match (wrote, out) {
        (Ok(()), Ok(o)) if o.status.success() => Outcome::Sent("sendmail: accepted".into()),
        (_, Ok(o)) => {
            let err = String::from_utf8_lossy(&o.stderr);
            let first = err.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
            let why = format!("sendmail exited with {}: {first}", o.status);
            // EX_TEMPFAIL (75): the program queued nothing and says "later".
            if o.status.code() == Some(75) {
                Outcome::Failed(format!("{why} (temporary)"))
            } else {
                Outcome::Failed(why)
            }
        }
        (_, Err(e)) => Outcome::Uncertain(format!("sendmail did not finish: {e}")),
    }
}

/// Write the message as an `.eml` file (atomically).
pub fn write_eml(dir: &std::path::Path, name: &str, m: &Built) -> Outcome {
    let path: PathBuf = dir.join(name);
    match crate::cli::io::write_atomic(&path, &m.bytes) {
        Ok(()) => Outcome::Sent(path.display().to_string()),
        Err(e) => Outcome::Fatal(format!("{}: cannot write: {e}", path.display())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transport_urls() {
        assert_eq!(
            parse_url("smtp://mail.example.org"),
            Ok(("mail.example.org".into(), 587, Security::StartTls))
        );
        assert_eq!(
            parse_url("smtps://mail.example.org"),
            Ok(("mail.example.org".into(), 465, Security::Tls))
        );
        assert_eq!(
            parse_url("smtp://127.0.0.1:2525?tls=none"),
            Ok(("127.0.0.1".into(), 2525, Security::None))
        );
        assert!(parse_url("http://x").is_err());
        assert!(parse_url("smtp://x?tls=maybe").is_err());
        assert!(parse_url("smtp://x:port").is_err());
    }

    #[test]
    fn transport_url_with_password_is_refused_without_repeating_it() {
        let e = parse_url("smtp://me:hunter2@mail.example.org").unwrap_err();
        assert!(!e.contains("hunter2"), "{e}");
        assert!(e.contains("QUIRE_SMTP_PASSWORD"), "{e}");
    }
}
