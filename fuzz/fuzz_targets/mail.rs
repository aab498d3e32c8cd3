//! `mail`: arbitrary subject template, reader name, address and readers.csv -> the MIME
//! message `quire mail` sends, read back by a real MIME parser (mail-parser): the same
//! subject, name and address, and exactly the expected headers (no header injection: a CR or
//! LF in a name or a subject never starts a header of its own).
//!
//! Input: `subject \0 name \0 address \0 newsletter \0 csv` (missing parts are empty). The
//! name and address reach the message as `quire mail` reads them: a row of a readers.csv;
//! the newsletter's name (front matter `newsletter:` may hold any string) names the List-Id.
#![no_main]

use lettre::message::Mailbox;
use libfuzzer_sys::fuzz_target;
use mail_parser::MessageParser;
use quire::mail::{
    build_message, html_body, parse_readers, Edition, Reader, Recipients, Settings, Template,
};

/// The headers of a list message, each exactly once.
const EXPECTED: &[&str] = &[
    "auto-submitted",
    "content-type",
    "date",
    "from",
    "list-id",
    "list-unsubscribe",
    "list-unsubscribe-post",
    "message-id",
    "mime-version",
    "subject",
    "to",
];

fn edition(newsletter: &str) -> Edition {
    let issue = quire::model::Issue::default();
    Edition::new(
        "en",
        "fuzz-2024-01.pdf",
        b"%PDF-1.7\n%%EOF\n",
        "The issue as text.\n".to_string(),
        html_body(&issue, "#336699"),
        vec![
            ("newsletter".to_string(), newsletter.to_string()),
            ("issue_line".to_string(), "No. 3".to_string()),
            ("title".to_string(), "Fuzzing".to_string()),
        ],
    )
}

fn settings(subject: Template) -> Settings {
    Settings {
        from: "The Editor <editor@example.org>"
            .parse()
            .expect("a mailbox"),
        reply_to: None,
        subject,
        unsubscribe: Some(
            Template::parse("https://example.org/unsubscribe?e={email}&n={name}")
                .expect("a template"),
        ),
        list_id: None,
        date: 1_700_000_000,
        salt: String::new(),
    }
}

fn check(settings: &Settings, edition: &Edition, reader: Reader) {
    // As `quire mail` builds the To mailbox (src/cli/mail/mod.rs).
    let mbox = Mailbox::new(
        reader.name.clone(),
        reader
            .email
            .parse()
            .expect("the list checked every address"),
    );
    let to = Recipients {
        to: vec![mbox],
        reader: Some(reader.clone()),
        ..Recipients::default()
    };
    let built = match build_message(settings, edition, &to) {
        Ok(b) => b,
        Err(_) => return,
    };
    let msg = MessageParser::default()
        .parse(&built.bytes)
        .expect("the message parses");
    let mut names: Vec<String> = msg
        .headers()
        .iter()
        .map(|h| h.name().to_ascii_lowercase())
        .collect();
    names.sort();
    assert_eq!(
        names,
        EXPECTED,
        "the headers of\n{}",
        String::from_utf8_lossy(&built.bytes)
    );
    assert_eq!(
        msg.subject().unwrap_or(""),
        built.subject,
        "the subject of\n{}",
        String::from_utf8_lossy(&built.bytes)
    );
    let addr = msg.to().and_then(|a| a.first()).expect("a To address");
    assert_eq!(
        addr.address().map(|a| a.to_ascii_lowercase()),
        Some(reader.email.to_ascii_lowercase()),
        "the address of\n{}",
        String::from_utf8_lossy(&built.bytes)
    );
    assert_eq!(
        addr.name().unwrap_or(""),
        reader.name.as_deref().unwrap_or(""),
        "the name of\n{}",
        String::from_utf8_lossy(&built.bytes)
    );
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut parts = text.splitn(5, '\0');
    let mut next = || parts.next().unwrap_or("");
    let (subject, name, email, newsletter, csv) = (next(), next(), next(), next(), next());
    let Ok(subject) = Template::parse(subject) else {
        return;
    };
    let settings = settings(subject);
    let edition = edition(newsletter);
    // One reader from the fields, as a row of the list.
    let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    let row = format!("email,name\n{},{}\n", quote(email), quote(name));
    for list in [row.as_str(), csv] {
        if let Ok(readers) = parse_readers("readers.csv", list) {
            for reader in readers.readers.into_iter().take(4) {
                check(&settings, &edition, reader);
            }
        }
    }
});
