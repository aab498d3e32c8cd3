//! A real SMTP server on loopback for the `quire mail` tests: `tests/smtp/server.py` (aiosmtpd)
//! run as a child process, storing what it accepts in a Maildir in a temporary directory.
//!
//! ```ignore
//! let server = common::smtp::start(&Options { starttls: true, ..Options::default() });
//! // … run quire against 127.0.0.1:server.port, trusting server.cert …
//! assert_eq!(server.count(), 1);
//! ```
#![allow(dead_code)] // each test file uses a different part of this helper

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// How long the server may take to print its port.
const START_TIMEOUT: Duration = Duration::from_secs(20);

/// What the server offers and which faults it injects (see `tests/smtp/server.py`).
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Offer STARTTLS and refuse MAIL (530) before it.
    pub starttls: bool,
    /// TLS from the first byte (smtps, as on port 465).
    pub implicit_tls: bool,
    /// Require AUTH PLAIN or LOGIN with this user and password before MAIL.
    pub auth: Option<(String, String)>,
    /// RCPT TO these addresses gets `550 5.1.1`.
    pub fail_rcpt: Vec<String>,
    /// The first N messages (end of DATA) get `451 4.3.0` and are not stored.
    pub tempfail_data: u32,
    /// The first N MAIL commands get `421 4.7.0` and the connection is closed.
    pub tempfail_mail: u32,
    /// The next N messages after those tempfailed are answered by closing the connection
    /// without a reply, …
    pub drop_after_data: u32,
    /// … having stored them first (else they are not stored).
    pub drop_stores: bool,
    /// Wait this long after storing a message before its `250`.
    pub delay_ms: u32,
    /// After K stored messages on one connection, the next MAIL gets `421` and a close (0: no
    /// limit).
    pub max_per_connection: u32,
}

/// A running server; dropping it kills the process and removes its directory.
pub struct Server {
    pub port: u16,
    /// The Maildir: `new/` holds the messages, `log.jsonl` one line per message.
    pub maildir: PathBuf,
    child: Child,
    _dir: tempfile::TempDir,
    /// With TLS: the server's self-signed certificate (PEM, for `localhost` and 127.0.0.1),
    /// for the client to trust as a CA.
    pub cert: Option<PathBuf>,
}

/// Start a server with `opts`; panics (with the server's stderr) if it does not come up.
pub fn start(opts: &Options) -> Server {
    assert!(
        !(opts.starttls && opts.implicit_tls),
        "STARTTLS and implicit TLS exclude each other"
    );
    let dir = tempfile::tempdir().expect("a temp dir");
    let maildir = dir.path().join("maildir");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/smtp/server.py");
    // `python3`, unless scripts/test fell back to Debian's python3-aiosmtpd for another one.
    let python = std::env::var_os("QUIRE_TEST_PYTHON").unwrap_or_else(|| "python3".into());
    let mut cmd = Command::new(python);
    cmd.arg(&script).arg("--maildir").arg(&maildir);
    // The server exits when this pipe closes: it cannot outlive a test process that dies
    // without running `Drop`.
    cmd.arg("--exit-on-eof");

    let cert = (opts.starttls || opts.implicit_tls).then(|| {
        let (cert, key) = self_signed(dir.path());
        let flag = if opts.starttls {
            "--starttls"
        } else {
            "--implicit-tls"
        };
        cmd.arg(flag).arg(&cert).arg(key);
        cert
    });
    if let Some((user, password)) = &opts.auth {
        cmd.args(["--auth", user, password]);
    }
    for addr in &opts.fail_rcpt {
        cmd.args(["--fail-rcpt", addr]);
    }
    for (flag, n) in [
        ("--tempfail-data", opts.tempfail_data),
        ("--tempfail-mail", opts.tempfail_mail),
        ("--drop-after-data", opts.drop_after_data),
        ("--delay-ms", opts.delay_ms),
        ("--max-per-connection", opts.max_per_connection),
    ] {
        if n > 0 {
            cmd.arg(flag).arg(n.to_string());
        }
    }
    if opts.drop_stores {
        cmd.arg("--drop-stores");
    }

    // stderr goes to a file: a pipe nobody reads could fill up and stall the server.
    let stderr_path = dir.path().join("server.stderr");
    let stderr = File::create(&stderr_path).expect("create the server's stderr file");
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .expect("python3 runs (scripts/test installs it and aiosmtpd)");

    // Read the `PORT n` line on a thread, so that a silent server runs into the timeout; the
    // thread then drains stdout until the server exits.
    let stdout = child.stdout.take().expect("piped stdout");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut reader = BufReader::new(stdout);
        let mut line = String::new();
        let _ = reader.read_line(&mut line);
        let _ = tx.send(line);
        let _ = std::io::copy(&mut reader, &mut std::io::sink());
    });
    let line = rx.recv_timeout(START_TIMEOUT).unwrap_or_default();
    let port = line
        .strip_prefix("PORT ")
        .and_then(|p| p.trim().parse::<u16>().ok());
    let Some(port) = port else {
        let _ = child.kill();
        let _ = child.wait();
        let mut err = String::new();
        let _ = File::open(&stderr_path).and_then(|mut f| f.read_to_string(&mut err));
        panic!(
            "the SMTP test server did not start (stdout: {line:?}); is aiosmtpd installed \
             (scripts/test installs it)? Its stderr:\n{err}"
        );
    };
    Server {
        port,
        maildir,
        child,
        _dir: dir,
        cert,
    }
}

/// A self-signed certificate for `localhost` and 127.0.0.1 and its key, made by `openssl` in
/// `dir`. It is an end-entity certificate (CA:FALSE, serverAuth), which webpki (rustls)
/// accepts when the same certificate is also the trusted root.
fn self_signed(dir: &Path) -> (PathBuf, PathBuf) {
    let (cert, key) = (dir.join("cert.pem"), dir.join("key.pem"));
    let out = Command::new("openssl")
        .args([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        ])
        .args(["-subj", "/CN=localhost"])
        .args(["-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"])
        .args(["-addext", "basicConstraints=critical,CA:FALSE"])
        .args(["-addext", "extendedKeyUsage=serverAuth"])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .output()
        .expect("openssl runs (scripts/test installs it)");
    assert!(
        out.status.success(),
        "openssl could not make a certificate: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (cert, key)
}

impl Server {
    /// The address to connect to.
    pub fn addr(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// Every stored message, exactly as the client sent it (CRLF line ends), in arrival order.
    pub fn messages(&self) -> Vec<Vec<u8>> {
        self.files()
            .iter()
            .map(|f| std::fs::read(f).expect("read a stored message"))
            .collect()
    }

    /// How many messages are stored.
    pub fn count(&self) -> usize {
        self.files().len()
    }

    /// One object per stored message, in arrival order: `file`, `mail_from`, `rcpt_tos`,
    /// `size`, `tls`, `auth_user` (null without AUTH) and `dropped` (stored, then the
    /// connection closed without a reply).
    pub fn log(&self) -> Vec<serde_json::Value> {
        let text = std::fs::read_to_string(self.maildir.join("log.jsonl")).unwrap_or_default();
        text.lines()
            .map(|l| serde_json::from_str(l).expect("a JSON line in log.jsonl"))
            .collect()
    }

    /// What the server wrote to stderr so far (diagnostics; never a password).
    pub fn stderr(&self) -> String {
        std::fs::read_to_string(self._dir.path().join("server.stderr")).unwrap_or_default()
    }

    fn files(&self) -> Vec<PathBuf> {
        let Ok(entries) = std::fs::read_dir(self.maildir.join("new")) else {
            return Vec::new();
        };
        let mut files: Vec<PathBuf> = entries.map(|e| e.expect("a dir entry").path()).collect();
        files.sort();
        files
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
