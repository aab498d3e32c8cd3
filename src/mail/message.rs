//! One e-mail message (RFC 5322 / MIME) from an edition of the issue and its recipients.
//!
//! Built with lettre's builder: `multipart/mixed` holding `multipart/alternative` (text/plain
//! and text/html, both UTF-8 quoted-printable: never 8bit, so any relay takes them) and the
//! PDF (`application/pdf`, base64, encoded once per edition). Headers: From, To (with the
//! reader's name), Cc, Reply-To, Subject (RFC 2047 when not ASCII), Date, Message-ID,
//! MIME-Version, `Auto-Submitted: auto-generated` and, for list sends, `List-Id`,
//! `List-Unsubscribe` and — when that link is https — `List-Unsubscribe-Post` (RFC 8058).
//!
//! Ids are derived, not drawn: the Message-ID is a hash of the edition, the recipients and
//! the subject, at the sender's domain, so the same message sent again (a resend of an
//! uncertain delivery) carries the same id and a mailbox provider can drop the duplicate; the
//! MIME boundaries hash the same inputs. With a fixed date (SOURCE_DATE_EPOCH) the bytes are
//! reproducible.

use super::html::HtmlBody;
use super::list::Reader;
use super::template::{url_escape, Template};
use lettre::message::header::HeaderValue;
use lettre::message::header::{self, ContentTransferEncoding, ContentType, Header, HeaderName};
use lettre::message::{Body, Mailbox, Mailboxes, MultiPart, SinglePart};
use lettre::Address;
use sha2::{Digest, Sha256};
use std::borrow::Cow;
use std::time::{Duration, SystemTime};
use thiserror::Error;

/// What can go wrong building a message.
#[derive(Debug, Error)]
pub enum MailError {
    /// lettre could not build the message or its envelope.
    #[error("the message cannot be built: {0}")]
    Build(#[from] lettre::error::Error),
    /// The filled unsubscribe link (percent-encoded) is not https: or mailto:, or holds `<`
    /// or `>`.
    #[error("the unsubscribe link `{0}` is not an https: or mailto: URL")]
    Unsubscribe(String),
    /// To, Cc and Bcc are all empty.
    #[error("no recipient")]
    NoRecipient,
}

/// One edition of the issue (a language), prepared once and shared by every reader's message.
#[derive(Debug, Clone)]
pub struct Edition {
    /// The edition's language (BCP 47).
    pub language: String,
    /// The attachment's file name, e.g. `embassy-newsletter-2017-04.pdf`.
    pub file_name: String,
    /// The PDF, base64-encoded once (lettre's 76-column lines).
    pdf: Body,
    /// The PDF's size in bytes before encoding.
    pub pdf_len: usize,
    /// The text/plain body without a reader's unsubscribe note.
    pub text: String,
    /// The text/html body; the reader's unsubscribe note is put in per message.
    pub html: HtmlBody,
    /// Values for the templates: `newsletter`, `issue_line`, `title`, `date`, `language`…
    pub values: Vec<(String, String)>,
    /// A hash of everything above: part of every message id.
    digest: [u8; 32],
}

impl Edition {
    /// Prepare an edition. `values` are the template values (normalised names).
    pub fn new(
        language: &str,
        file_name: &str,
        pdf: &[u8],
        text: String,
        html: HtmlBody,
        values: Vec<(String, String)>,
    ) -> Edition {
        let mut h = Sha256::new();
        for part in [
            language.as_bytes(),
            file_name.as_bytes(),
            pdf,
            text.as_bytes(),
        ] {
            h.update((part.len() as u64).to_le_bytes());
            h.update(part);
        }
        h.update(html.render(None).as_bytes());
        Edition {
            language: language.to_string(),
            file_name: file_name.to_string(),
            pdf: Body::new_with_encoding(pdf.to_vec(), ContentTransferEncoding::Base64)
                .unwrap_or_else(Body::new),
            pdf_len: pdf.len(),
            text,
            html,
            values,
            digest: h.finalize().into(),
        }
    }

    /// A template value of the issue (normalised name).
    pub fn value(&self, name: &str) -> Option<&str> {
        self.values
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// What is the same for every message of a run.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The sender: the From header and the envelope's MAIL FROM.
    pub from: Mailbox,
    /// The Reply-To header, when `--reply-to` or `mail.reply_to` gives one.
    pub reply_to: Option<Mailbox>,
    /// The subject template, filled per reader; whitespace runs are collapsed.
    pub subject: Template,
    /// The reader's unsubscribe link (list sends).
    pub unsubscribe: Option<Template>,
    /// `List-Id` (list sends); defaults to the newsletter's name at the sender's domain.
    pub list_id: Option<String>,
    /// The `Date` header, seconds since the epoch.
    pub date: i64,
    /// Mixed into every message id (e.g. a test send's time, so two test runs differ).
    pub salt: String,
}

/// Who one message goes to.
#[derive(Debug, Clone, Default)]
pub struct Recipients {
    /// The To header's mailboxes (a list reader with their name).
    pub to: Vec<Mailbox>,
    /// The Cc header's mailboxes.
    pub cc: Vec<Mailbox>,
    /// Blind copies: in the envelope only, never in a header.
    pub bcc: Vec<Mailbox>,
    /// The list's reader the message is for (names the `To`, fills the templates).
    pub reader: Option<Reader>,
}

impl Recipients {
    /// Every address of the envelope, To then Cc then Bcc.
    pub fn addresses(&self) -> Vec<Address> {
        self.to
            .iter()
            .chain(&self.cc)
            .chain(&self.bcc)
            .map(|m| m.email.clone())
            .collect()
    }
}

/// A built message: its bytes and what the sender and the journal need to know of it.
#[derive(Debug, Clone)]
pub struct Built {
    /// The whole message as sent: headers, CRLF line ends, MIME parts.
    pub bytes: Vec<u8>,
    /// SMTP MAIL FROM: the sender's address.
    pub envelope_from: Address,
    /// SMTP RCPT TO: every To, Cc and Bcc address.
    pub envelope_to: Vec<Address>,
    /// The Message-ID with its angle brackets, `<hash@sender-domain>`.
    pub message_id: String,
    /// The subject as filled, before RFC 2047 encoding.
    pub subject: String,
}

/// Build one message of `edition` for `to`.
pub fn build_message(
    settings: &Settings,
    edition: &Edition,
    to: &Recipients,
) -> Result<Built, MailError> {
    if to.to.is_empty() && to.cc.is_empty() && to.bcc.is_empty() {
        return Err(MailError::NoRecipient);
    }
    let value = |name: &str| template_value(edition, to.reader.as_ref(), name);
    let subject = settings
        .subject
        .fill(value, |v| Cow::Borrowed(v))
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let unsubscribe = match (&settings.unsubscribe, &to.reader) {
        (Some(t), Some(_)) => Some(unsubscribe_link(t, edition, to.reader.as_ref())?),
        _ => None,
    };
    let seed = message_seed(settings, edition, to, &subject);
    let message_id = format!("<{}@{}>", hex(&seed[..16]), settings.from.email.domain());

    let mut b = lettre::Message::builder()
        .from(settings.from.clone())
        .subject(subject.clone())
        .date(SystemTime::UNIX_EPOCH + Duration::from_secs(settings.date.max(0) as u64))
        .message_id(Some(message_id.clone()))
        .header(AutoSubmitted);
    if subject.contains("=?") {
        b = b.raw_header(encoded_subject(&subject));
    }
    if let Some(r) = &settings.reply_to {
        b = b.reply_to(r.clone());
    }
    // Bcc goes in the envelope only (set below), never in a header.
    if !to.to.is_empty() {
        b = b.mailbox(header::To::from(Mailboxes::from_iter(
            to.to.iter().cloned(),
        )));
    }
    if !to.cc.is_empty() {
        b = b.mailbox(header::Cc::from(Mailboxes::from_iter(
            to.cc.iter().cloned(),
        )));
    }
    if to.reader.is_some() {
        b = list_headers(b, settings, edition, unsubscribe.as_deref());
    }
    let body = mime_body(edition, unsubscribe.as_deref(), &seed);
    let envelope =
        lettre::address::Envelope::new(Some(settings.from.email.clone()), to.addresses())?;
    let message = b.envelope(envelope.clone()).multipart(body)?;
    Ok(Built {
        bytes: message.formatted(),
        envelope_from: settings.from.email.clone(),
        envelope_to: envelope.to().to_vec(),
        message_id,
        subject,
    })
}

/// A template value: the reader's columns (and `email`, `name`) first, then the issue's.
fn template_value<'a>(
    edition: &'a Edition,
    reader: Option<&'a Reader>,
    name: &str,
) -> Option<Cow<'a, str>> {
    if let Some(r) = reader {
        match name {
            "email" => return Some(Cow::Borrowed(&r.email)),
            "name" => return Some(Cow::Borrowed(r.name.as_deref().unwrap_or(""))),
            _ => {}
        }
        if let Some(v) = r.field(name) {
            return Some(Cow::Borrowed(v));
        }
    }
    edition.value(name).map(Cow::Borrowed)
}

/// The reader's unsubscribe link: values percent-encoded, any other non-ASCII too.
fn unsubscribe_link(
    t: &Template,
    edition: &Edition,
    reader: Option<&Reader>,
) -> Result<String, MailError> {
    let link = t.fill(|n| template_value(edition, reader, n), url_escape);
    let mut ascii = String::with_capacity(link.len());
    for c in link.chars() {
        if c.is_ascii() && !c.is_ascii_control() && c != ' ' {
            ascii.push(c);
        } else {
            ascii.push_str(&url_escape(c.encode_utf8(&mut [0; 4])));
        }
    }
    let lower = ascii.to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("mailto:"))
        || ascii.contains(['<', '>'])
    {
        return Err(MailError::Unsubscribe(ascii));
    }
    Ok(ascii)
}

/// `List-Id`, `List-Unsubscribe` and `List-Unsubscribe-Post` (RFC 2919, 2369, 8058).
fn list_headers(
    mut b: lettre::message::MessageBuilder,
    settings: &Settings,
    edition: &Edition,
    unsubscribe: Option<&str>,
) -> lettre::message::MessageBuilder {
    let list_id = settings.list_id.clone().unwrap_or_else(|| {
        let name = edition.value("newsletter").unwrap_or("newsletter");
        let label: String = name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .collect();
        let label = label.trim_matches('-');
        let label = if label.is_empty() {
            "newsletter"
        } else {
            label
        };
        format!("{name} <{label}.{}>", settings.from.email.domain())
    });
    b = b.raw_header(HeaderValue::new(
        HeaderName::new_from_ascii_str("List-Id"),
        list_id,
    ));
    if let Some(link) = unsubscribe {
        let value = format!("<{link}>");
        b = b.raw_header(HeaderValue::dangerous_new_pre_encoded(
            HeaderName::new_from_ascii_str("List-Unsubscribe"),
            value.clone(),
            value,
        ));
        if link.to_ascii_lowercase().starts_with("https://") {
            b = b.raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                "List-Unsubscribe=One-Click".to_string(),
            ));
        }
    }
    b
}

/// mixed( alternative(text, html), pdf ), with the reader's unsubscribe note in both bodies.
fn mime_body(edition: &Edition, unsubscribe: Option<&str>, seed: &[u8; 32]) -> MultiPart {
    let mut text = edition.text.clone();
    if let Some(u) = unsubscribe {
        text.push_str(&super::text::text_footer(u, &edition.language));
    }
    let html = edition.html.render(unsubscribe);
    let qp = |s: String| {
        Body::new_with_encoding(s, ContentTransferEncoding::QuotedPrintable)
            .unwrap_or_else(Body::new)
    };
    let plain = SinglePart::builder()
        .header(ContentType::TEXT_PLAIN)
        .body(qp(text));
    let html = SinglePart::builder()
        .header(ContentType::TEXT_HTML)
        .body(qp(html));
    let pdf_type = format!(
        "application/pdf; name=\"{}\"",
        encoded_word_name(&edition.file_name)
    );
    let pdf = SinglePart::builder()
        .header(
            ContentType::parse(&pdf_type)
                .or_else(|_| ContentType::parse("application/pdf"))
                .expect("application/pdf is a content type"),
        )
        .header(Disposition(content_disposition(&edition.file_name)))
        .body(edition.pdf.clone());
    MultiPart::mixed()
        .boundary(format!("=_quire_m{}", hex(&seed[16..26])))
        .multipart(
            MultiPart::alternative()
                .boundary(format!("=_quire_a{}", hex(&seed[22..32])))
                .singlepart(plain)
                .singlepart(html),
        )
        .singlepart(pdf)
}

/// The seed of the message's id and boundaries: edition, recipients, subject and salt.
fn message_seed(
    settings: &Settings,
    edition: &Edition,
    to: &Recipients,
    subject: &str,
) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(edition.digest);
    for a in to.addresses() {
        h.update(a.to_string().to_ascii_lowercase().as_bytes());
        h.update([0]);
    }
    h.update(subject.as_bytes());
    h.update([0]);
    h.update(settings.salt.as_bytes());
    h.finalize().into()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The Subject header of a subject holding `=?`: lettre writes a word of plain ASCII as it
/// is, and readers decode `=?charset?q?text?=` in it as an RFC 2047 encoded word (the subject
/// would read differently). The whole subject as Q-encoded words, at most 75 characters each
/// (RFC 2047 §2), reads back as written.
fn encoded_subject(subject: &str) -> HeaderValue {
    let mut words = Vec::new();
    let mut word = String::new();
    for c in subject.chars() {
        let mut enc = String::new();
        for b in c.encode_utf8(&mut [0; 4]).bytes() {
            match b {
                b' ' => enc.push('_'),
                b if b.is_ascii_alphanumeric() || b"!*+-/".contains(&b) => enc.push(char::from(b)),
                b => enc.push_str(&format!("={b:02X}")),
            }
        }
        // "=?utf-8?q?" and "?=" take 12 of the 75; a character is never split.
        if !word.is_empty() && word.len() + enc.len() > 75 - 12 {
            words.push(std::mem::take(&mut word));
        }
        word.push_str(&enc);
    }
    words.push(word);
    let encoded = words
        .iter()
        .map(|w| format!("=?utf-8?q?{w}?="))
        .collect::<Vec<_>>()
        .join("\r\n ");
    HeaderValue::dangerous_new_pre_encoded(
        HeaderName::new_from_ascii_str("Subject"),
        subject.to_string(),
        encoded,
    )
}

/// `Auto-Submitted: auto-generated` (RFC 3834): no vacation auto-replies to a newsletter.
#[derive(Debug, Clone)]
struct AutoSubmitted;

impl Header for AutoSubmitted {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("Auto-Submitted")
    }
    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(AutoSubmitted)
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "auto-generated".to_string())
    }
}

/// A `Content-Disposition` value written by [`content_disposition`].
#[derive(Debug, Clone)]
struct Disposition(String);

impl Header for Disposition {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("Content-Disposition")
    }
    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Disposition(s.to_string()))
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::dangerous_new_pre_encoded(Self::name(), self.0.clone(), self.0.clone())
    }
}

/// `attachment; filename="…"`; for a name that is not plain ASCII, the RFC 2231 form
/// `filename*=utf-8''…` (percent-encoded UTF-8) first and an ASCII `filename="…"` fallback
/// after it: parsers that take the first `filename` (Python's `email`, mail-parser) and those
/// that prefer `filename*` (RFC 6266 §4.3: Thunderbird, Gmail) both get the real name, and
/// clients that know neither get the fallback. One parameter, not RFC 2231 continuations:
/// several parsers join continuations onto the fallback; a very long name makes a long line,
/// which RFC 5322 allows up to 998 characters.
pub fn content_disposition(file_name: &str) -> String {
    if is_plain_name(file_name) {
        return format!("attachment; filename=\"{file_name}\"");
    }
    format!(
        "attachment;\r\n filename*=utf-8''{};\r\n filename=\"{}\"",
        url_escape(file_name),
        ascii_fallback(file_name)
    )
}

/// A name that goes in a quoted parameter as it is: printable ASCII without `"` or `\`.
fn is_plain_name(file_name: &str) -> bool {
    file_name
        .chars()
        .all(|c| c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ')
}

/// A file name as an RFC 2047 encoded word (`=?utf-8?q?…?=`) for Content-Type's `name`,
/// which Outlook reads; plain ASCII names stay as they are.
fn encoded_word_name(file_name: &str) -> String {
    if is_plain_name(file_name) {
        return file_name.to_string();
    }
    let mut out = String::from("=?utf-8?q?");
    for b in file_name.bytes() {
        if b.is_ascii_alphanumeric() || b"-.!*+/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("={b:02X}"));
        }
    }
    out.push_str("?=");
    out
}

/// The attachment's name in plain ASCII for old clients: other characters dropped, runs of
/// separators collapsed (`简讯-2017-04.pdf` -> `2017-04.pdf`); `issue.pdf` when nothing is left.
fn ascii_fallback(file_name: &str) -> String {
    let (stem, ext) = match file_name.rsplit_once('.') {
        Some((s, e)) if e.is_ascii() => (s, e),
        _ => (file_name, "pdf"),
    };
    let mut out = String::new();
    for c in stem.chars() {
        let c = if c.is_ascii_alphanumeric() || c == '.' || c == '_' {
            c
        } else {
            '-'
        };
        if !(c == '-' && (out.is_empty() || out.ends_with('-'))) {
            out.push(c);
        }
    }
    let out = out.trim_matches('-');
    if out.is_empty() {
        format!("issue.{ext}")
    } else {
        format!("{out}.{ext}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_disposition_ascii_name_is_plain() {
        assert_eq!(
            content_disposition("embassy-newsletter-2017-04.pdf"),
            "attachment; filename=\"embassy-newsletter-2017-04.pdf\""
        );
    }

    #[test]
    fn message_disposition_cjk_name_has_rfc2231_then_fallback() {
        let d = content_disposition("简讯-2017-04.pdf");
        assert_eq!(
            d,
            "attachment;\r\n filename*=utf-8''%E7%AE%80%E8%AE%AF-2017-04.pdf;\r\n \
             filename=\"2017-04.pdf\""
        );
    }

    #[test]
    fn message_content_type_name_is_an_encoded_word() {
        assert_eq!(encoded_word_name("a-1.pdf"), "a-1.pdf");
        assert_eq!(
            encoded_word_name("简 1.pdf"),
            "=?utf-8?q?=E7=AE=80=201.pdf?="
        );
    }

    #[test]
    fn message_ascii_fallback_names() {
        assert_eq!(ascii_fallback("简讯-2017-04.pdf"), "2017-04.pdf");
        assert_eq!(ascii_fallback("简讯.pdf"), "issue.pdf");
        assert_eq!(ascii_fallback("a b\"c.pdf"), "a-b-c.pdf");
    }
}
