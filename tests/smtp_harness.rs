//! The SMTP test server itself (`tests/smtp/server.py` through `common::smtp`), spoken to with
//! plain SMTP over a `TcpStream`, without quire: what the `quire mail` tests rely on.

#[path = "common/smtp.rs"]
mod smtp;

use smtp::{start, Options, Server};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// A bare SMTP client: one command, one (possibly multi-line) reply.
struct Client {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
}

impl Client {
    /// Connect and read the 220 greeting.
    fn connect(server: &Server) -> Client {
        let stream = TcpStream::connect(server.addr()).expect("connect to the server");
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        let mut client = Client {
            reader: BufReader::new(stream.try_clone().unwrap()),
            writer: stream,
        };
        assert_eq!(client.reply().expect("a greeting").0, 220);
        client
    }

    /// The next reply: its code and its lines' text joined by newlines; None if the server hung
    /// up (a read timeout panics: silence is not a hang-up).
    fn reply(&mut self) -> Option<(u16, String)> {
        let mut text = Vec::new();
        loop {
            let mut line = String::new();
            match self.reader.read_line(&mut line) {
                Ok(0) => return None,
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return None,
                Err(e) => panic!("no reply from the server: {e}"),
            }
            let line = line.trim_end();
            text.push(line.get(4..).unwrap_or("").to_string());
            if line.as_bytes().get(3) != Some(&b'-') {
                let code = line[..3].parse().expect("a reply code");
                return Some((code, text.join("\n")));
            }
        }
    }

    /// Send one command line and read its reply.
    fn cmd(&mut self, line: &str) -> (u16, String) {
        self.send_raw(format!("{line}\r\n").as_bytes());
        self.reply()
            .unwrap_or_else(|| panic!("no reply to {line:?}"))
    }

    fn send_raw(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).expect("write to the server");
    }

    /// MAIL, RCPT and DATA up to the 354: the message can follow.
    fn envelope(&mut self, from: &str, to: &str) {
        assert_eq!(self.cmd(&format!("MAIL FROM:<{from}>")).0, 250);
        assert_eq!(self.cmd(&format!("RCPT TO:<{to}>")).0, 250);
        assert_eq!(self.cmd("DATA").0, 354);
    }

    /// A whole transaction for `body` (already dot-stuffed, CRLF line ends); the final reply.
    fn send(&mut self, from: &str, to: &str, body: &str) -> (u16, String) {
        self.envelope(from, to);
        self.cmd(&format!("{body}."))
    }
}

const BODY: &str =
    "From: a@example.org\r\nTo: b@example.org\r\nSubject: hi\r\n\r\n..dot\r\nbody\r\n";

#[test]
fn a_message_lands_in_the_maildir_as_sent() {
    let server = start(&Options::default());
    let mut c = Client::connect(&server);
    assert_eq!(c.cmd("EHLO client.test").0, 250);
    assert_eq!(c.send("a@example.org", "b@example.org", BODY).0, 250);
    assert_eq!(c.cmd("QUIT").0, 221);

    assert_eq!(server.count(), 1);
    // Dot-stuffing undone, CRLF kept, no header added.
    let expected = BODY.replace("\r\n..dot", "\r\n.dot");
    assert_eq!(server.messages(), vec![expected.clone().into_bytes()]);
    let log = server.log();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0]["mail_from"], "a@example.org");
    assert_eq!(log[0]["rcpt_tos"], serde_json::json!(["b@example.org"]));
    assert_eq!(log[0]["size"], expected.len());
    assert_eq!(log[0]["tls"], false);
    assert_eq!(log[0]["auth_user"], serde_json::Value::Null);
}

#[test]
fn fail_rcpt_refuses_that_address_with_550() {
    let server = start(&Options {
        fail_rcpt: vec!["gone@example.org".into()],
        ..Options::default()
    });
    let mut c = Client::connect(&server);
    c.cmd("EHLO client.test");
    assert_eq!(c.cmd("MAIL FROM:<a@example.org>").0, 250);
    let (code, text) = c.cmd("RCPT TO:<gone@example.org>");
    assert_eq!((code, text.as_str()), (550, "5.1.1 mailbox unavailable"));
    assert_eq!(c.cmd("RCPT TO:<b@example.org>").0, 250);
}

#[test]
fn tempfail_data_refuses_the_first_message_with_451_and_stores_only_the_retry() {
    let server = start(&Options {
        tempfail_data: 1,
        ..Options::default()
    });
    let mut c = Client::connect(&server);
    c.cmd("EHLO client.test");
    assert_eq!(c.send("a@example.org", "b@example.org", BODY).0, 451);
    assert_eq!(server.count(), 0);
    assert_eq!(c.send("a@example.org", "b@example.org", BODY).0, 250);
    assert_eq!(server.count(), 1);
}

#[test]
fn tempfail_mail_answers_421_and_closes_the_connection() {
    let server = start(&Options {
        tempfail_mail: 1,
        ..Options::default()
    });
    let mut c = Client::connect(&server);
    c.cmd("EHLO client.test");
    assert_eq!(c.cmd("MAIL FROM:<a@example.org>").0, 421);
    assert_eq!(c.reply(), None, "the server hung up");
    // The next connection is served.
    let mut c = Client::connect(&server);
    c.cmd("EHLO client.test");
    assert_eq!(c.send("a@example.org", "b@example.org", BODY).0, 250);
}

#[test]
fn max_per_connection_answers_421_to_the_next_mail() {
    let server = start(&Options {
        max_per_connection: 1,
        ..Options::default()
    });
    let mut c = Client::connect(&server);
    c.cmd("EHLO client.test");
    assert_eq!(c.send("a@example.org", "b@example.org", BODY).0, 250);
    assert_eq!(c.cmd("MAIL FROM:<a@example.org>").0, 421);
    assert_eq!(c.reply(), None, "the server hung up");
}

#[test]
fn drop_after_data_hangs_up_without_a_reply_and_stores_nothing() {
    let server = start(&Options {
        drop_after_data: 1,
        ..Options::default()
    });
    let mut c = Client::connect(&server);
    c.cmd("EHLO client.test");
    c.envelope("a@example.org", "b@example.org");
    c.send_raw(format!("{BODY}.\r\n").as_bytes());
    assert_eq!(c.reply(), None);
    assert_eq!(server.count(), 0);
}

#[test]
fn drop_after_data_with_drop_stores_hangs_up_after_storing() {
    let server = start(&Options {
        drop_after_data: 1,
        drop_stores: true,
        ..Options::default()
    });
    let mut c = Client::connect(&server);
    c.cmd("EHLO client.test");
    c.envelope("a@example.org", "b@example.org");
    c.send_raw(format!("{BODY}.\r\n").as_bytes());
    assert_eq!(c.reply(), None);
    assert_eq!(server.count(), 1);
    assert_eq!(server.log()[0]["dropped"], true);
}

#[test]
fn delay_ms_stores_the_message_before_the_250() {
    let server = start(&Options {
        delay_ms: 3000,
        ..Options::default()
    });
    let mut c = Client::connect(&server);
    c.cmd("EHLO client.test");
    c.envelope("a@example.org", "b@example.org");
    c.send_raw(format!("{BODY}.\r\n").as_bytes());
    // The message shows up while the reply is still held back.
    let deadline = Instant::now() + Duration::from_secs(2);
    while server.count() == 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(server.count(), 1);
    c.writer.set_nonblocking(true).unwrap();
    let mut byte = [0u8; 1];
    assert!(
        std::io::Read::read(&mut c.writer, &mut byte).is_err(),
        "no reply yet"
    );
    c.writer.set_nonblocking(false).unwrap();
    assert_eq!(c.reply().expect("the reply").0, 250);
}

#[test]
fn auth_is_required_and_wrong_credentials_get_535() {
    let server = start(&Options {
        auth: Some(("reader".into(), "s3cret".into())),
        ..Options::default()
    });
    let mut c = Client::connect(&server);
    let (_, ehlo) = c.cmd("EHLO client.test");
    assert!(ehlo.lines().any(|l| l == "AUTH LOGIN PLAIN"), "{ehlo}");
    assert_eq!(c.cmd("MAIL FROM:<a@example.org>").0, 530);
    // AUTH PLAIN with base64("\0reader\0wrong") and base64("\0reader\0s3cret").
    assert_eq!(c.cmd("AUTH PLAIN AHJlYWRlcgB3cm9uZw==").0, 535);
    assert_eq!(c.cmd("AUTH PLAIN AHJlYWRlcgBzM2NyZXQ=").0, 235);
    assert_eq!(c.send("a@example.org", "b@example.org", BODY).0, 250);
    assert_eq!(server.log()[0]["auth_user"], "reader");
    assert!(!server.stderr().contains("s3cret"));
}

#[test]
fn starttls_is_offered_with_a_certificate_and_required_before_mail() {
    let server = start(&Options {
        starttls: true,
        ..Options::default()
    });
    let cert = std::fs::read_to_string(server.cert.as_ref().expect("a certificate")).unwrap();
    assert!(cert.starts_with("-----BEGIN CERTIFICATE-----"));
    let mut c = Client::connect(&server);
    let (_, ehlo) = c.cmd("EHLO client.test");
    assert!(ehlo.lines().any(|l| l == "STARTTLS"), "{ehlo}");
    assert_eq!(c.cmd("MAIL FROM:<a@example.org>").0, 530);
}

#[test]
fn dropping_the_server_stops_it() {
    let server = start(&Options::default());
    let addr = server.addr();
    drop(server);
    assert!(TcpStream::connect(addr).is_err());
}
