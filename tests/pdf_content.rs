//! What a quire PDF may contain (README, "What a PDF may contain"), read back with
//! `qpdf --json`, not with quire's code: no JavaScript, no action but /URI and /GoTo (no
//! Launch, SubmitForm, ImportData, GoToR), no additional actions, no forms, no external
//! streams, no embedded files but a PDF/A-3b's declared attachments, and link URIs that are
//! http, https or mailto, of RFC 3986 characters only. `links:` targets of other schemes
//! (`javascript:`, `file:`, `data:`) are printed as text with a warning, never linked nor put
//! in a QR code. tests/readers/check.py checks the same rules over every PDF of the suite.

mod common;

use common::{qpdf_objects as objects, quire};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

/// An issue whose `links:` are hostile: two link lines take the first two, the rest are
/// printed in the "Links" block.
const HOSTILE: &str = r#"---
date: 2017-05-01
links:
  - javascript:alert(document.cookie)
  - "https://例え.jp/パス/Open_(event)\\x?q=\"a\"&r=<b>%zz\u0007"
  - file:///etc/passwd
  - data:text/html,<script>alert(1)</script>
  - HTTPS://EXAMPLE.ORG/Upper
  - mailto:press@embassy.example
---
Embassy Newsletter — May 2017

Annual Report Published

The embassy has published its annual report, with figures on visas, cultural events and trade missions for the past year.

You can read the full report here:

The annex with the tables is here:

Your comments are welcome.
"#;

/// The second `links:` entry as it must appear in its /URI: UTF-8 bytes, the backslash,
/// quotes, angle brackets, parentheses, a bad escape and the control character encoded.
const ENCODED: &str = "https://%E4%BE%8B%E3%81%88.jp/%E3%83%91%E3%82%B9/Open_%28event%29%5Cx?q=%22a%22&r=%3Cb%3E%25zz%07";

/// A qpdf JSON string's bytes: "u:…" (text) or "b:…" (hex).
fn bytes(v: &Value) -> Vec<u8> {
    let s = v.as_str().unwrap_or_default();
    if let Some(hex) = s.strip_prefix("b:") {
        (0..hex.len() / 2)
            .filter_map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok())
            .collect()
    } else {
        s.strip_prefix("u:").unwrap_or(s).as_bytes().to_vec()
    }
}

/// Whether `uri` is an http, https or mailto URI of RFC 3986 characters with no parenthesis
/// (everything else percent-encoded).
fn uri_ok(uri: &[u8]) -> bool {
    let text = String::from_utf8_lossy(uri).to_ascii_lowercase();
    let scheme = ["http:", "https:", "mailto:"]
        .iter()
        .any(|s| text.starts_with(s));
    let chars = uri.iter().enumerate().all(|(i, &b)| {
        b.is_ascii_alphanumeric()
            || b"-._~:/?#[]@!$&'*+,;=".contains(&b)
            || (b == b'%'
                && uri.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && uri.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
    });
    scheme && chars
}

/// Everything the PDF holds that a quire PDF may not, one line each.
fn violations(objs: &BTreeMap<String, Value>) -> Vec<String> {
    let mut bad = Vec::new();
    let resolve = |v: &Value| -> Value {
        match v.as_str().and_then(|r| objs.get(&format!("obj:{r}"))) {
            Some(o) => o.clone(),
            None => v.clone(),
        }
    };
    let check_action = |a: &Value, at: &str, bad: &mut Vec<String>| {
        let a = resolve(a);
        if !a.is_object() {
            return; // a destination array
        }
        match a["/S"].as_str() {
            Some("/GoTo") => {}
            Some("/URI") if uri_ok(&bytes(&a["/URI"])) => {}
            Some("/URI") => bad.push(format!(
                "{at}: URI {:?}",
                String::from_utf8_lossy(&bytes(&a["/URI"]))
            )),
            other => bad.push(format!("{at}: action {other:?}")),
        }
    };
    fn walk(v: &Value, at: &str, visit: &mut dyn FnMut(&str, &Value, &str)) {
        match v {
            Value::Object(m) => {
                for (k, x) in m {
                    visit(k, x, at);
                    walk(x, at, visit);
                }
            }
            Value::Array(a) => a.iter().for_each(|x| walk(x, at, visit)),
            _ => {}
        }
    }
    let mut catalog = Value::Null;
    let mut filespecs = Vec::new();
    for (key, obj) in objs {
        let dict = obj
            .get("stream")
            .map(|s| s["dict"].clone())
            .unwrap_or_else(|| obj.clone());
        if obj.get("stream").is_some() {
            for k in ["/F", "/FFilter", "/FDecodeParms"] {
                if dict.get(k).is_some() {
                    bad.push(format!("{key}: external stream {k}"));
                }
            }
        }
        if dict["/Type"] == "/Catalog" {
            catalog = dict.clone();
        }
        if dict.get("/EF").is_some() {
            filespecs.push(key.trim_start_matches("obj:").to_string());
        }
        if dict["/Type"] == "/Annot" && dict["/Subtype"] != "/Link" {
            bad.push(format!("{key}: annotation {}", dict["/Subtype"]));
        }
        walk(&dict, key, &mut |k, x, at| match k {
            "/JS" | "/JavaScript" | "/AA" | "/AcroForm" | "/XFA" => bad.push(format!("{at}: {k}")),
            "/A" | "/OpenAction" => check_action(x, &format!("{at} {k}"), &mut bad),
            _ => {}
        });
    }
    // Embedded files: only a PDF/A-3's associated files (catalog /AF, /AFRelationship).
    let declared: Vec<String> = catalog["/AF"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r.as_str())
        .filter(|r| objs[&format!("obj:{r}")].get("/AFRelationship").is_some())
        .map(str::to_string)
        .collect();
    for f in filespecs {
        if !declared.contains(&f) {
            bad.push(format!("{f}: embedded file not declared in /AF"));
        }
    }
    bad
}

/// The /URI of every link annotation, as bytes.
fn uris(objs: &BTreeMap<String, Value>) -> Vec<String> {
    objs.values()
        .filter(|v| v["/Subtype"] == "/Link")
        .map(|v| String::from_utf8_lossy(&bytes(&v["/A"]["/URI"])).into_owned())
        .collect()
}

fn pdftotext(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    String::from_utf8_lossy(&out.stdout).replace('\n', "")
}

#[test]
fn pdf_content_hostile_links_are_text_and_uris_are_encoded() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("hostile.txt"), HOSTILE).unwrap();
    let run = quire(dir.path(), &["render", "hostile.txt", "-o", "out.pdf"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for (k, url) in [
        (1, "javascript:alert(document.cookie)"),
        (3, "file:///etc/passwd"),
        (4, "data:text/html,<script>alert(1)</script>"),
    ] {
        let warned = run.stderr.lines().any(|l| {
            l.contains("warning")
                && l.contains(url)
                && l.contains(&format!("item {k} of `links:`"))
                && l.contains("printed as text")
        });
        assert!(warned, "no warning for {url}: {}", run.stderr);
    }
    assert!(!run.stderr.contains("HTTPS://EXAMPLE.ORG/Upper` (item"));

    let pdf = dir.path().join("out.pdf");
    let objs = objects(&pdf);
    assert_eq!(violations(&objs), Vec::<String>::new());
    let uris = uris(&objs);
    // The second link line's URL, encoded: its printed lines (one annotation each) and its
    // QR code; the unused entries that may be links; nothing else.
    assert!(
        uris.iter().filter(|u| *u == ENCODED).count() >= 2,
        "{uris:?}"
    );
    let distinct: std::collections::BTreeSet<&str> = uris.iter().map(String::as_str).collect();
    assert_eq!(
        distinct,
        [
            ENCODED,
            "HTTPS://EXAMPLE.ORG/Upper",
            "mailto:press@embassy.example"
        ]
        .into_iter()
        .collect(),
    );
    // No QR code stands for a hostile target (the tagged figures' alternate texts).
    let alts: Vec<String> = objs
        .values()
        .filter_map(|v| v.get("/Alt"))
        .map(|a| String::from_utf8_lossy(&bytes(a)).into_owned())
        .collect();
    assert_eq!(alts.len(), 1, "one QR code: {alts:?}");
    assert!(alts[0].contains("例え.jp"), "{alts:?}");
    // The hostile targets are still printed, for the reader to see.
    let text = pdftotext(&pdf);
    for shown in [
        "javascript:alert(document.cookie)",
        "file:///etc/passwd",
        "data:text/html",
    ] {
        assert!(text.contains(shown), "{shown} printed: {text}");
    }
}

#[test]
fn pdf_content_rules_hold_for_plain_tagged_pdfa_and_volume() {
    let root = common::root();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for f in ["embassy-newsletter-2017-04.txt", "quire.yaml"] {
        std::fs::copy(root.join("issues").join(f), d.join(f)).unwrap();
    }
    let sample = "embassy-newsletter-2017-04.txt";
    let mut outputs = Vec::new();
    for (out, extra) in [
        ("plain.pdf", &[][..]),
        ("a2b.pdf", &["--pdfa", "2b"][..]),
        ("a3b.pdf", &["--pdfa", "3b"][..]),
        ("two.pdf", &["--columns", "2"][..]),
    ] {
        let mut args = vec!["render", sample, "-o", out];
        args.extend_from_slice(extra);
        let run = quire(d, &args);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        outputs.push(d.join(out));
    }
    std::fs::create_dir(d.join("archive")).unwrap();
    for (i, f) in ["fr-2017-04.txt", "fr-2017-09.txt"].iter().enumerate() {
        std::fs::copy(
            root.join("tests/fixtures/l10n").join(f),
            d.join("archive").join(format!("{i}-{f}")),
        )
        .unwrap();
    }
    let run = quire(d, &["export", "archive", "-o", "out", "--volumes", "-q"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    outputs.push(d.join("out/volume-2017.pdf"));
    for pdf in &outputs {
        let objs = objects(pdf);
        assert_eq!(violations(&objs), Vec::<String>::new(), "{}", pdf.display());
        let embedded = objs.values().any(|v| v.get("/EF").is_some());
        let name = pdf.file_name().unwrap().to_string_lossy();
        assert_eq!(embedded, name == "a3b.pdf", "{name}: embedded files");
        assert!(uris(&objs).iter().all(|u| uri_ok(u.as_bytes())));
    }
}
