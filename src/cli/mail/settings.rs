//! `quire mail`'s settings: quire.yaml's `mail:` (with the issue's front matter over it), the
//! command line over both, where the messages go, and the SMTP credentials (from the
//! environment or a file, never an argument).

use super::{flag, mailbox, plain, transport};
use crate::cli::args::MailArgs;
use crate::cli::io;
use lettre::transport::smtp::authentication::Credentials;
use quire::diag::Diagnostic;
use quire::mail::{Settings, Template};
use std::path::{Path, PathBuf};

/// Where the messages go.
pub(super) enum Via {
    DryRun,
    Out(PathBuf),
    Sendmail,
    Smtp(transport::Server),
}

/// Messages per SMTP connection when `mail.batch` is not set (Gmail and Microsoft 365 cap a
/// connection at about 100).
const DEFAULT_BATCH: u32 = 100;

/// The subject when neither `--subject` nor `mail.subject` gives one.
const DEFAULT_SUBJECT: &str = "{newsletter} {issue line}: {title}";

/// quire.yaml's `mail:` with the issue's own front matter `mail:` laid over it (its file
/// paths relative to the issue's folder).
pub(super) fn mail_settings(
    args: &MailArgs,
    base: &quire::config::Config,
) -> Result<quire::config::Mail, Vec<Diagnostic>> {
    let base_mail = base.mail.clone().unwrap_or_default();
    let name = args.file.display().to_string();
    let bytes = io::read_issue(&args.file).map_err(|d| vec![d])?;
    let encoding = args
        .encoding
        .as_deref()
        .or(base.encoding.as_ref().map(|e| e.0.as_str()));
    let text = quire::parse::decode::decode(&name, &bytes, encoding).map_err(|d| vec![d])?;
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
pub(super) fn settings(
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
    let date = crate::cli::env::get()?.date();
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
pub(super) fn via(
    args: &MailArgs,
    cfg: &quire::config::Mail,
    yaml: &str,
) -> Result<Via, Vec<Diagnostic>> {
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
