//! `quire mail` end to end: the real binary, a real SMTP server on loopback (aiosmtpd, started
//! by the tests), and what arrived read back with a real MIME parser (`mail-parser`).

mod common;

use common::smtp::{self, Options, Server};
use common::{quire, root};
use mail_parser::{Message, MessageParser, MimeHeaders};
use std::collections::HashMap;
use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const SAMPLE: &str = "issues/embassy-newsletter-2017-04.txt";
const ZH: &str = "tests/fixtures/render/zh-hans.txt";
const SDE: &str = "1491004800";
const PASSWORD: &str = "s3cret-Pa55-for-quire";

/// A folder with the sample as `2017-04.txt`, its Chinese edition `2017-04.zh-Hans.txt`, and a
/// quire.yaml whose `mail:` section is `mail_yaml`.
fn issue_dir(mail_yaml: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(root().join(SAMPLE), dir.path().join("2017-04.txt")).unwrap();
    fs::copy(root().join(ZH), dir.path().join("2017-04.zh-Hans.txt")).unwrap();
    let yaml = fs::read_to_string(root().join("issues/quire.yaml")).unwrap();
    fs::write(
        dir.path().join("quire.yaml"),
        format!("{yaml}\nmail:\n{mail_yaml}"),
    )
    .unwrap();
    dir
}

/// `n` readers, every third one reading Chinese.
fn write_list(dir: &Path, n: usize) {
    let mut csv = String::from("email,name,language,token\n");
    for i in 0..n {
        let lang = if i.is_multiple_of(3) { "zh-Hans" } else { "en" };
        csv.push_str(&format!("reader{i}@example.org,Reader {i},{lang},t{i}\n"));
    }
    fs::write(dir.join("readers.csv"), csv).unwrap();
}

/// Run quire with extra environment variables.
fn quire_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> common::Run {
    common::quire_with(dir, args, |cmd| {
        cmd.envs(env.iter().copied());
    })
}

fn parse(bytes: &[u8]) -> Message<'_> {
    MessageParser::default()
        .parse(bytes)
        .expect("a MIME message")
}

/// The recipients of each stored message (To header), counted.
fn delivered(server: &Server) -> HashMap<String, usize> {
    let mut n = HashMap::new();
    for m in server.messages() {
        let msg = parse(&m);
        let to = msg
            .to()
            .and_then(|a| a.first())
            .and_then(|a| a.address())
            .unwrap()
            .to_string();
        *n.entry(to).or_default() += 1;
    }
    n
}

fn smtp_url(server: &Server, tls: bool) -> String {
    if tls {
        format!("smtp://localhost:{}", server.port)
    } else {
        format!("smtp://127.0.0.1:{}?tls=none", server.port)
    }
}

#[test]
fn mail_out_sample_eml_has_bodies_headers_and_the_rendered_pdf() {
    let dir = common::temp_with(&[SAMPLE, "issues/quire.yaml"]);
    let env = [("SOURCE_DATE_EPOCH", SDE)];
    let r = quire_env(
        dir.path(),
        &[
            "mail",
            "embassy-newsletter-2017-04.txt",
            "--to",
            "Ann Smith <ann@example.org>",
            "--from",
            "Embassy News <news@embassy.example.org>",
            "--out",
            "out",
        ],
        &env,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let render = quire_env(
        dir.path(),
        &["render", "embassy-newsletter-2017-04.txt", "-o", "x.pdf"],
        &env,
    );
    assert_eq!(render.code, 0, "{}", render.stderr);
    let eml = fs::read(dir.path().join("out/embassy-newsletter-2017-04.eml")).unwrap();
    let msg = parse(&eml);
    assert_eq!(
        msg.subject(),
        Some("NEWSLETTER Issue Ⅳ of 2017: China Releases First Strategy")
    );
    assert_eq!(msg.to().unwrap().first().unwrap().name(), Some("Ann Smith"));
    assert!(msg.message_id().unwrap().ends_with("@embassy.example.org"));
    assert!(msg.date().is_some());
    assert_eq!(
        msg.header_raw("Auto-Submitted").map(str::trim),
        Some("auto-generated")
    );
    assert_eq!(msg.header_raw("MIME-Version").map(str::trim), Some("1.0"));
    let pdf = msg.attachment(0).expect("the PDF is attached");
    assert_eq!(
        pdf.attachment_name(),
        Some("embassy-newsletter-2017-04.pdf")
    );
    assert_eq!(pdf.content_type().map(|c| c.ctype()), Some("application"));
    assert_eq!(
        pdf.contents(),
        fs::read(dir.path().join("x.pdf")).unwrap().as_slice()
    );
    let text = msg.body_text(0).unwrap();
    let html = msg.body_html(0).unwrap();
    for needle in [
        "Peace",
        "Cooperation",
        "Sovereignty",
        "Shared Benefits",
        "Shared Governance",
        "3505, International Place",
    ] {
        assert!(text.contains(needle), "text/plain lacks {needle}");
        assert!(html.contains(needle), "text/html lacks {needle}");
    }
    assert!(
        text.lines().all(|l| l.chars().count() <= 78),
        "a text line passes 78 characters"
    );
    assert!(
        html.len() < 100_000,
        "HTML of {} bytes would be clipped",
        html.len()
    );
    assert!(!html.contains("<script"));
    // Never 8bit: every line of the message is ASCII.
    assert!(eml.is_ascii(), "the message has 8-bit bytes");
}

#[test]
fn mail_out_is_reproducible_with_source_date_epoch() {
    let dir = issue_dir("  from: news@embassy.example.org\n  unsubscribe: https://embassy.example.org/u?e={email}&t={token}\n");
    write_list(dir.path(), 4);
    let env = [("SOURCE_DATE_EPOCH", SDE)];
    let args = ["mail", "2017-04.txt", "--list", "readers.csv", "--out"];
    let a = quire_env(dir.path(), &[&args[..], &["a"]].concat(), &env);
    let b = quire_env(dir.path(), &[&args[..], &["b"]].concat(), &env);
    assert_eq!((a.code, b.code), (0, 0), "{}", a.stderr);
    let names = common::listing(&dir.path().join("a"));
    assert_eq!(names.len(), 4);
    for n in names {
        assert_eq!(
            fs::read(dir.path().join("a").join(&n)).unwrap(),
            fs::read(dir.path().join("b").join(&n)).unwrap(),
            "{n} differs between two runs"
        );
    }
}

#[test]
fn mail_chinese_edition_file_name_and_subject_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(root().join(ZH), dir.path().join("简讯-2017-04.txt")).unwrap();
    let r = quire_env(
        dir.path(),
        &[
            "mail",
            "简讯-2017-04.txt",
            "--to",
            "李伟 <li@example.org>",
            "--from",
            "news@example.org",
            "--out",
            "out",
        ],
        &[("SOURCE_DATE_EPOCH", SDE)],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let eml = fs::read(dir.path().join("out/简讯-2017-04.eml")).unwrap();
    let msg = parse(&eml);
    // The file name through Python's `email` package (RFC 2231 `filename*` over the ASCII
    // fallback, as Thunderbird and Gmail read it) and the subject through both parsers.
    let py = Command::new(std::env::var("QUIRE_TEST_PYTHON").unwrap_or("python3".into()))
        .args(["-c", "import email,email.policy,sys\nm=email.message_from_bytes(open(sys.argv[1],'rb').read(),policy=email.policy.default)\na=[p for p in m.iter_attachments()][0]\nprint(a.get_filename());print(a.get_content_type());print(m['subject'])"])
        .arg(dir.path().join("out/简讯-2017-04.eml"))
        .output()
        .unwrap();
    let py = String::from_utf8(py.stdout).unwrap();
    assert_eq!(
        py.lines().collect::<Vec<_>>(),
        [
            "简讯-2017-04.pdf",
            "application/pdf",
            "简讯 2017年第四期: 中国发布深化科技人文交流合作新举措"
        ]
    );
    assert_eq!(
        msg.subject(),
        Some("简讯 2017年第四期: 中国发布深化科技人文交流合作新举措")
    );
    assert_eq!(msg.to().unwrap().first().unwrap().name(), Some("李伟"));
    let html = msg.body_html(0).unwrap();
    assert!(
        html.contains("lang=\"zh-Hans\""),
        "the HTML says its language"
    );
    assert!(msg.body_text(0).unwrap().contains("开放合作"));
}

#[test]
fn mail_smtp_starttls_auth_list_in_two_languages() {
    let server = smtp::start(&Options {
        starttls: true,
        auth: Some(("press".into(), PASSWORD.into())),
        ..Options::default()
    });
    let cert = server.cert.clone().unwrap();
    let dir = issue_dir(&format!(
        "  from: Embassy News <news@embassy.example.org>\n  smtp: {}\n  ca_file: {}\n  \
         unsubscribe: https://embassy.example.org/unsubscribe?e={{email}}\n  list_id: Embassy Newsletter <news.embassy.example.org>\n",
        smtp_url(&server, true),
        cert.display()
    ));
    write_list(dir.path(), 6);
    let env = [
        ("QUIRE_SMTP_USER", "press"),
        ("QUIRE_SMTP_PASSWORD", PASSWORD),
    ];
    let r = quire_env(
        dir.path(),
        &["mail", "2017-04.txt", "--list", "readers.csv"],
        &env,
    );
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert_eq!(server.count(), 6);
    assert!(server
        .log()
        .iter()
        .all(|l| l["tls"] == true && l["auth_user"] == "press"));
    for m in server.messages() {
        let msg = parse(&m);
        let to = msg
            .to()
            .unwrap()
            .first()
            .unwrap()
            .address()
            .unwrap()
            .to_string();
        let i: usize = to
            .trim_start_matches("reader")
            .split('@')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let subject = msg.subject().unwrap();
        if i.is_multiple_of(3) {
            assert!(
                subject.starts_with("简讯"),
                "{to} gets the Chinese edition: {subject}"
            );
            assert_eq!(
                msg.attachment(0).unwrap().attachment_name(),
                Some("2017-04.zh-Hans.pdf")
            );
        } else {
            assert!(subject.starts_with("NEWSLETTER Issue Ⅳ"), "{subject}");
        }
        let link = format!("https://embassy.example.org/unsubscribe?e=reader{i}%40example.org");
        assert_eq!(
            msg.header_raw("List-Unsubscribe").map(str::trim),
            Some(format!("<{link}>").as_str())
        );
        assert_eq!(
            msg.header_raw("List-Unsubscribe-Post").map(str::trim),
            Some("List-Unsubscribe=One-Click")
        );
        assert!(msg
            .header_raw("List-Id")
            .unwrap()
            .contains("<news.embassy.example.org>"));
        assert!(
            msg.body_text(0).unwrap().contains(&link),
            "the link is visible in the text"
        );
        assert!(msg
            .body_html(0)
            .unwrap()
            .contains(&link.replace('&', "&amp;")));
    }
    // The password is nowhere: not in output, journal, or messages.
    let journal = fs::read_to_string(dir.path().join("readers.csv.sent.jsonl")).unwrap();
    for (what, s) in [
        ("stdout", &r.stdout),
        ("stderr", &r.stderr),
        ("journal", &journal),
    ] {
        assert!(!s.contains(PASSWORD), "the password is in the {what}");
    }
    assert!(server
        .messages()
        .iter()
        .all(|m| !String::from_utf8_lossy(m).contains(PASSWORD)));
    // A rerun sends nothing again.
    let again = quire_env(
        dir.path(),
        &["mail", "2017-04.txt", "--list", "readers.csv"],
        &env,
    );
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(
        again.stderr.contains("0 sent, 6 already sent"),
        "{}",
        again.stderr
    );
    assert_eq!(server.count(), 6);
}

#[test]
fn mail_smtps_implicit_tls_single_message() {
    let server = smtp::start(&Options {
        implicit_tls: true,
        ..Options::default()
    });
    let dir = issue_dir(&format!(
        "  ca_file: {}\n",
        server.cert.clone().unwrap().display()
    ));
    let url = format!("smtps://localhost:{}", server.port);
    let r = quire(
        dir.path(),
        &[
            "mail",
            "2017-04.txt",
            "--to",
            "a@example.org",
            "--cc",
            "b@example.org",
            "--bcc",
            "c@example.org",
            "--from",
            "news@example.org",
            "--smtp",
            &url,
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(server.count(), 1);
    let log = &server.log()[0];
    assert_eq!(log["rcpt_tos"].as_array().unwrap().len(), 3, "{log}");
    let m = &server.messages()[0];
    let msg = parse(m);
    assert!(msg.header("Bcc").is_none(), "Bcc stays out of the headers");
    assert_eq!(
        msg.cc().unwrap().first().unwrap().address(),
        Some("b@example.org")
    );
}

#[test]
fn mail_wrong_password_stops_with_exit_2_and_never_echoes_it() {
    let server = smtp::start(&Options {
        starttls: true,
        auth: Some(("press".into(), PASSWORD.into())),
        ..Options::default()
    });
    let dir = issue_dir(&format!(
        "  from: news@example.org\n  smtp: {}\n  ca_file: {}\n",
        smtp_url(&server, true),
        server.cert.clone().unwrap().display()
    ));
    write_list(dir.path(), 3);
    let wrong = "not-the-Pa55word";
    let r = quire_env(
        dir.path(),
        &["mail", "2017-04.txt", "--list", "readers.csv"],
        &[("QUIRE_SMTP_USER", "press"), ("QUIRE_SMTP_PASSWORD", wrong)],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("authentication failed"), "{}", r.stderr);
    assert!(!r.stderr.contains(wrong) && !r.stdout.contains(wrong));
    assert_eq!(server.count(), 0);
}

#[test]
fn mail_starttls_is_required_unless_written_out() {
    let server = smtp::start(&Options::default()); // no STARTTLS offered
    let dir = issue_dir("  from: news@example.org\n");
    let url = format!("smtp://127.0.0.1:{}", server.port);
    let r = quire(
        dir.path(),
        &[
            "mail",
            "2017-04.txt",
            "--to",
            "a@example.org",
            "--smtp",
            &url,
        ],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("STARTTLS"), "{}", r.stderr);
    assert_eq!(server.count(), 0);
}

#[test]
fn mail_4xx_is_retried_and_5xx_fails_one_reader_only() {
    let server = smtp::start(&Options {
        tempfail_data: 2,
        tempfail_mail: 1,
        fail_rcpt: vec!["reader2@example.org".into()],
        ..Options::default()
    });
    let dir = issue_dir(&format!(
        "  from: news@example.org\n  smtp: {}\n",
        smtp_url(&server, false)
    ));
    write_list(dir.path(), 5);
    let r = quire(
        dir.path(),
        &["mail", "2017-04.txt", "--list", "readers.csv"],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("4 sent, 0 already sent, 1 failed"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("reader2@example.org: 550"),
        "{}",
        r.stderr
    );
    let got = delivered(&server);
    assert_eq!(got.len(), 4);
    assert!(got.values().all(|&n| n == 1), "{got:?}");
    assert!(!got.contains_key("reader2@example.org"));
}

#[test]
fn mail_connection_dropped_after_data_is_uncertain_until_resent() {
    let server = smtp::start(&Options {
        drop_after_data: 1,
        drop_stores: false,
        ..Options::default()
    });
    let dir = issue_dir(&format!(
        "  from: news@example.org\n  smtp: {}\n",
        smtp_url(&server, false)
    ));
    write_list(dir.path(), 3);
    let args = ["mail", "2017-04.txt", "--list", "readers.csv"];
    let r = quire(dir.path(), &args);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("2 sent, 0 already sent, 0 failed, 1 uncertain"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("uncertain: reader0@example.org"),
        "{}",
        r.stderr
    );
    let again = quire(dir.path(), &args);
    assert_eq!(again.code, 1);
    assert!(
        again
            .stderr
            .contains("0 sent, 2 already sent, 0 failed, 1 uncertain"),
        "{}",
        again.stderr
    );
    assert_eq!(server.count(), 2);
    let resend = quire(dir.path(), &[&args[..], &["--resend-uncertain"]].concat());
    assert_eq!(resend.code, 0, "{}", resend.stderr);
    assert_eq!(server.count(), 3);
}

#[test]
fn mail_killed_midway_then_rerun_delivers_every_reader_exactly_once() {
    let server = smtp::start(&Options {
        delay_ms: 25,
        ..Options::default()
    });
    let dir = issue_dir(&format!(
        "  from: news@example.org\n  smtp: {}\n  batch: 40\n",
        smtp_url(&server, false)
    ));
    let n = 220;
    write_list(dir.path(), n);
    let args = ["mail", "2017-04.txt", "--list", "readers.csv", "--quiet"];
    let mut child = Command::new(env!("CARGO_BIN_EXE_quire"))
        .args(args)
        .current_dir(dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let t0 = Instant::now();
    while server.count() < 60 && t0.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let before = server.count();
    assert!(
        before >= 60 && before < n,
        "killed midway: {before} delivered"
    );
    let rerun = quire(dir.path(), &args);
    let got = delivered(&server);
    let uncertain: Vec<&str> = rerun
        .stderr
        .lines()
        .filter_map(|l| l.trim().strip_prefix("uncertain: "))
        .map(|l| l.split(':').next().unwrap())
        .collect();
    assert!(rerun.stderr.contains(" sent, "), "{}", rerun.stderr);
    assert!(
        uncertain.len() <= 1,
        "one message at most was in flight: {uncertain:?}"
    );
    // The in-flight message (stored by the server before its delayed 250) arrived once.
    for who in &uncertain {
        assert_eq!(got.get(*who), Some(&1), "{who} was in flight and arrived");
    }
    assert_eq!(
        rerun.code,
        i32::from(!uncertain.is_empty()),
        "{}",
        rerun.stderr
    );
    assert_eq!(got.len(), n, "every reader got the issue");
    assert!(
        got.values().all(|&c| c == 1),
        "someone got it twice: {:?}",
        got.iter().filter(|(_, &c)| c > 1).collect::<Vec<_>>()
    );
}

#[test]
fn mail_sendmail_pipes_to_the_program_on_path() {
    let Ok(msmtp) = which("msmtp") else {
        panic!("msmtp is missing: scripts/test installs it");
    };
    let server = smtp::start(&Options::default());
    let dir = issue_dir("  from: news@example.org\n");
    let bin = dir.path().join("bin");
    fs::create_dir(&bin).unwrap();
    std::os::unix::fs::symlink(msmtp, bin.join("sendmail")).unwrap();
    let home = dir.path().join("home");
    fs::create_dir(&home).unwrap();
    let rc = home.join(".msmtprc");
    fs::write(
        &rc,
        format!(
            "account default\nhost 127.0.0.1\nport {}\nauth off\ntls off\nfrom news@example.org\n",
            server.port
        ),
    )
    .unwrap();
    let mut perm = fs::metadata(&rc).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perm, 0o600);
    fs::set_permissions(&rc, perm).unwrap();
    write_list(dir.path(), 3);
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
    let r = quire_env(
        dir.path(),
        &["mail", "2017-04.txt", "--list", "readers.csv", "--sendmail"],
        &[("PATH", &path), ("HOME", home.to_str().unwrap())],
    );
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert_eq!(server.count(), 3);
    let journal = fs::read_to_string(dir.path().join("readers.csv.sent.jsonl")).unwrap();
    assert_eq!(journal.matches("\"step\":\"sent\"").count(), 3);
}

fn which(name: &str) -> Result<std::path::PathBuf, ()> {
    std::env::var("PATH")
        .unwrap_or_default()
        .split(':')
        .map(|d| Path::new(d).join(name))
        .find(|p| p.is_file())
        .ok_or(())
}

#[test]
fn mail_dry_run_and_test_to() {
    let server = smtp::start(&Options::default());
    let dir = issue_dir(&format!(
        "  from: news@example.org\n  smtp: {}\n",
        smtp_url(&server, false)
    ));
    write_list(dir.path(), 6);
    let dry = quire(
        dir.path(),
        &["mail", "2017-04.txt", "--list", "readers.csv", "--dry-run"],
    );
    assert_eq!(dry.code, 0, "{}", dry.stderr);
    assert_eq!(
        dry.stdout
            .lines()
            .filter(|l| l.contains("@example.org\t"))
            .count(),
        6
    );
    assert!(
        dry.stdout.contains("reader0@example.org\tzh-Hans\t"),
        "{}",
        dry.stdout
    );
    assert_eq!(server.count(), 0);
    let test = quire(
        dir.path(),
        &[
            "mail",
            "2017-04.txt",
            "--list",
            "readers.csv",
            "--test-to",
            "editor@example.org",
        ],
    );
    assert_eq!(test.code, 0, "{}", test.stderr);
    let got = delivered(&server);
    assert_eq!(
        got.get("editor@example.org"),
        Some(&2),
        "one copy of each edition"
    );
    assert!(
        !dir.path().join("readers.csv.sent.jsonl").exists(),
        "a test send keeps no journal"
    );
}

#[test]
fn mail_bad_input_is_one_clear_line_and_exit_2() {
    let dir = issue_dir("  smtp: smtp://127.0.0.1:9?tls=none\n");
    fs::write(dir.path().join("nomail.csv"), "name,language\nAnn,en\n").unwrap();
    let cases: &[(&[&str], &str)] = &[
        (&["--to", "a@example.org"], "no sender"),
        (
            &["--to", "not-an-address", "--from", "n@example.org"],
            "--to",
        ),
        (
            &["--list", "nomail.csv", "--from", "n@example.org"],
            "nomail.csv:1",
        ),
        (
            &[
                "--to",
                "a@example.org",
                "--from",
                "n@example.org",
                "--subject",
                "{titel}",
            ],
            "{titel}",
        ),
        (
            &[
                "--to",
                "a@example.org",
                "--from",
                "n@example.org",
                "--smtp",
                "smtp://me:hunter2@x.org",
            ],
            "QUIRE_SMTP_PASSWORD",
        ),
    ];
    for (extra, needle) in cases {
        let args = [&["mail", "2017-04.txt"][..], extra].concat();
        let r = quire(dir.path(), &args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains(needle), "{args:?}: {}", r.stderr);
        assert!(!r.stderr.contains("hunter2"));
        assert!(!r.stderr.contains("panicked"));
    }
}

#[test]
fn mail_oversized_message_is_refused_before_the_first() {
    let dir = issue_dir("  from: news@example.org\n  max_size: 20kB\n");
    let r = quire(
        dir.path(),
        &[
            "mail",
            "2017-04.txt",
            "--to",
            "a@example.org",
            "--out",
            "out",
        ],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("over the limit"), "{}", r.stderr);
    assert_eq!(common::listing(&dir.path().join("out")).len(), 0);
}

#[test]
fn mail_front_matter_subject_wins_over_quire_yaml() {
    let dir = issue_dir("  from: news@example.org\n  subject: \"{newsletter}: {title}\"\n");
    let text = fs::read_to_string(dir.path().join("2017-04.txt")).unwrap();
    fs::write(
        dir.path().join("2017-04.txt"),
        format!("---\nmail:\n  subject: \"Special: {{title}}\"\n---\n{text}"),
    )
    .unwrap();
    let r = quire(
        dir.path(),
        &["mail", "2017-04.txt", "--to", "a@example.org", "--dry-run"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("\tSpecial: China Releases First Strategy"),
        "{}",
        r.stdout
    );
}

#[test]
fn mail_ctrl_c_stops_after_the_message_in_flight_and_a_rerun_goes_on() {
    let server = smtp::start(&Options {
        delay_ms: 30,
        ..Options::default()
    });
    let dir = issue_dir(&format!(
        "  from: news@example.org\n  smtp: {}\n",
        smtp_url(&server, false)
    ));
    write_list(dir.path(), 40);
    let args = ["mail", "2017-04.txt", "--list", "readers.csv", "--quiet"];
    let child = Command::new(env!("CARGO_BIN_EXE_quire"))
        .args(args)
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let t0 = Instant::now();
    while server.count() < 5 && t0.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(5));
    }
    let kill = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("stopped on request"), "{stderr}");
    assert!(stderr.contains("run the same command again"), "{stderr}");
    assert!(
        stderr.contains("0 uncertain"),
        "the message in flight finished: {stderr}"
    );
    let first = server.count();
    assert!(first < 40, "stopped early: {first}");
    let rerun = quire(dir.path(), &args);
    assert_eq!(rerun.code, 0, "{}", rerun.stderr);
    let got = delivered(&server);
    assert_eq!(got.len(), 40);
    assert!(got.values().all(|&n| n == 1), "{got:?}");
}

#[test]
fn mail_rate_spaces_the_messages() {
    let server = smtp::start(&Options::default());
    let dir = issue_dir(&format!(
        "  from: news@example.org\n  smtp: {}\n",
        smtp_url(&server, false)
    ));
    write_list(dir.path(), 6);
    let t0 = Instant::now();
    let r = quire(
        dir.path(),
        &[
            "mail",
            "2017-04.txt",
            "--list",
            "readers.csv",
            "--rate",
            "10/s",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    // Six messages at ten a second: five gaps of at least 100 ms (a floor, not a timing).
    assert!(
        t0.elapsed() >= Duration::from_millis(500),
        "{:?}",
        t0.elapsed()
    );
    assert_eq!(server.count(), 6);
    let bad = quire(
        dir.path(),
        &[
            "mail",
            "2017-04.txt",
            "--list",
            "readers.csv",
            "--rate",
            "fast",
        ],
    );
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("--rate"), "{}", bad.stderr);
}

#[test]
fn mail_subject_date_in_the_editions_language() {
    // The yaml's date is each edition's; `{date}` is written as its readers write dates.
    let dir = issue_dir("  from: news@example.org\n");
    let yaml = fs::read_to_string(dir.path().join("quire.yaml")).unwrap();
    fs::write(
        dir.path().join("quire.yaml"),
        format!("date: 2017-04-01\n{yaml}"),
    )
    .unwrap();
    write_list(dir.path(), 3);
    let dry = quire(
        dir.path(),
        &[
            "mail",
            "2017-04.txt",
            "--list",
            "readers.csv",
            "--subject",
            "{date} | {iso date}",
            "--dry-run",
        ],
    );
    assert_eq!(dry.code, 0, "{}", dry.stderr);
    assert!(
        dry.stdout.contains("April 1, 2017 | 2017-04-01"),
        "{}",
        dry.stdout
    );
    assert!(
        dry.stdout.contains("2017年4月1日 | 2017-04-01"),
        "{}",
        dry.stdout
    );
}
