//! Links a reader can click, through the real binary: URLs and e-mail addresses inside
//! sentences become link annotations (read back with `qpdf --json`, not with quire's code),
//! link lines in French and German, French and German postal addresses, and the `links:`
//! entries no link line took printed as a "Links" block.

mod common;

use common::{check_json, qpdf_objects as objects, quire, temp_with};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

/// Render `tests/fixtures/links/<name>` in a temp dir; the dir and the PDF's path.
fn render(name: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = temp_with(&[&format!("tests/fixtures/links/{name}")]);
    let run = quire(dir.path(), &["render", name, "-o", "out.pdf"]);
    assert_eq!(run.code, 0, "render {name}: {}", run.stderr);
    let pdf = dir.path().join("out.pdf");
    (dir, pdf)
}

/// A qpdf JSON string as text: "u:…" (Unicode) or "b:…" (hex bytes) or plain.
fn text(v: &Value) -> String {
    let s = v.as_str().unwrap_or_default();
    if let Some(u) = s.strip_prefix("u:") {
        u.to_string()
    } else if let Some(hex) = s.strip_prefix("b:") {
        let bytes: Vec<u8> = (0..hex.len() / 2)
            .filter_map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok())
            .collect();
        String::from_utf8_lossy(&bytes).into_owned()
    } else {
        s.to_string()
    }
}

/// Every link annotation: object key -> (its /URI, its /Contents).
fn link_annotations(objs: &BTreeMap<String, Value>) -> BTreeMap<String, (String, String)> {
    objs.iter()
        .filter(|(_, v)| v["/Subtype"] == "/Link")
        .map(|(k, v)| (k.clone(), (text(&v["/A"]["/URI"]), text(&v["/Contents"]))))
        .collect()
}

/// The distinct targets of the link annotations.
fn targets(pdf: &Path) -> BTreeSet<String> {
    link_annotations(&objects(pdf))
        .into_values()
        .map(|(uri, _)| uri)
        .collect()
}

/// `pdftotext` of the PDF with its lines joined (a URL broken across lines reads whole).
fn joined_text(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    String::from_utf8_lossy(&out.stdout).replace('\n', "")
}

/// The blocks of `quire check --json`'s model.
fn blocks(dir: &Path, file: &str) -> (Vec<Value>, Value) {
    let (code, json) = check_json(dir, file);
    assert_eq!(code, 0, "{json}");
    let blocks = json["issue"]["blocks"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    (blocks, json)
}

const INLINE: [&str; 4] = [
    "https://embassy.example/open-days/2017",
    "http://tickets.embassy.example/tours?day=22&lang=en",
    "https://en.wikipedia.org/wiki/Open_house_(event)",
    "mailto:press@embassy.example",
];

#[test]
fn links_inline_urls_and_email_are_annotations_with_their_targets() {
    let (_dir, pdf) = render("inline.txt");
    let objs = objects(&pdf);
    let annots = link_annotations(&objs);
    let found: BTreeSet<String> = annots.values().map(|(u, _)| u.clone()).collect();
    // Parentheses are percent-encoded in a /URI (tests/pdf_content.rs), printed as written.
    let want: BTreeSet<String> = INLINE
        .iter()
        .map(|s| s.replace('(', "%28").replace(')', "%29"))
        .collect();
    assert_eq!(
        found, want,
        "exactly the four links, without the sentence's punctuation"
    );
    // Screen readers hear the target.
    for (uri, contents) in annots.values() {
        assert_eq!(contents, &format!("Link: {uri}"));
    }
    // One /Link structure element per link, whatever the lines it is broken across: its
    // OBJRs reference annotations of one target, and every annotation has one.
    let mut per_elem = Vec::new();
    for v in objs.values() {
        if v["/Type"] == "/StructElem" && v["/S"] == "/Link" {
            let refs: Vec<String> = v["/K"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|k| k["/Type"] == "/OBJR")
                .map(|k| k["/Obj"].as_str().unwrap_or_default().to_string())
                .collect();
            let uris: BTreeSet<&String> = refs
                .iter()
                .filter_map(|r| annots.get(&format!("obj:{r}")).map(|(u, _)| u))
                .collect();
            assert_eq!(uris.len(), 1, "one target per Link element: {v}");
            // It holds its printed text too (a marked-content id).
            assert!(
                v["/K"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .any(Value::is_number),
                "{v}"
            );
            per_elem.push((
                uris.into_iter().next().cloned().unwrap_or_default(),
                refs.len(),
            ));
        }
    }
    assert_eq!(per_elem.len(), 4, "{per_elem:?}");
    assert_eq!(per_elem.iter().map(|(_, n)| n).sum::<usize>(), annots.len());
    // A URL broken across two lines has a rectangle on each.
    assert!(per_elem.iter().any(|(_, n)| *n == 2), "{per_elem:?}");
}

#[test]
fn links_are_printed_as_written() {
    let (_dir, pdf) = render("inline.txt");
    let text = joined_text(&pdf);
    for shown in [
        "(see https://embassy.example/open-days/2017).",
        "http://tickets.embassy.example/tours?day=22&lang=en,",
        "https://en.wikipedia.org/wiki/Open_house_(event).",
        "press@embassy.example.",
    ] {
        assert!(text.contains(shown), "{shown} in {text}");
    }
}

#[test]
fn links_french_issue_link_line_inline_links_and_address() {
    let (dir, pdf) = render("fr.txt");
    let found = targets(&pdf);
    for t in [
        "https://consulat.example.fr/portes-ouvertes",
        "mailto:contact@consulat.example.fr",
        "https://www.consulat.example.fr/faq",
    ] {
        assert!(found.contains(t), "{t} in {found:?}");
    }
    assert_eq!(found.len(), 3, "{found:?}");
    let text = joined_text(&pdf);
    assert!(text.contains("www.consulat.example.fr/faq."), "{text}");
    let (blocks, json) = blocks(dir.path(), "fr.txt");
    let link = blocks
        .iter()
        .find(|b| b["type"] == "link")
        .expect("a link block");
    assert_eq!(
        link["text"],
        "Vous pouvez consulter le programme complet ici :"
    );
    assert_eq!(
        link["target"],
        "https://consulat.example.fr/portes-ouvertes"
    );
    let address = blocks
        .iter()
        .find(|b| b["type"] == "address")
        .expect("an address");
    let lines: Vec<&str> = address["lines"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|l| l["text"].as_str())
        .collect();
    assert_eq!(
        lines,
        [
            "Consulat général de l'Exemple à Lyon",
            "12, quai Romain Rolland",
            "69005 Lyon",
            "Tél. : 04 72 00 00 00"
        ]
    );
    assert_eq!(
        blocks.last().map(|b| b["type"].clone()),
        Some("closing".into())
    );
    // The masthead is read in French, and quire's own words are French: the date (CLDR's
    // "d MMMM y", "1er" for the first) and the footer.
    assert_eq!(json["issue"]["masthead"]["name"], "Lettre d'information");
    assert!(text.contains("1er avril 2017"), "{text}");
    assert!(text.contains("Page 1 sur 1"), "{text}");
    assert!(!text.contains("April"), "{text}");
}

#[test]
fn links_german_issue_link_line_and_address() {
    let (dir, pdf) = render("de.txt");
    let found = targets(&pdf);
    assert_eq!(
        found,
        BTreeSet::from(["https://botschaft.example.de/tag-der-offenen-tuer".to_string()])
    );
    let (blocks, _) = blocks(dir.path(), "de.txt");
    let link = blocks
        .iter()
        .find(|b| b["type"] == "link")
        .expect("a link block");
    assert_eq!(link["text"], "Das vollständige Programm finden Sie hier:");
    let address = blocks
        .iter()
        .find(|b| b["type"] == "address")
        .expect("an address");
    let lines: Vec<&str> = address["lines"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|l| l["text"].as_str())
        .collect();
    assert_eq!(
        lines,
        [
            "Botschaft von Beispielland",
            "Unter den Linden 1",
            "D-10117 Berlin",
            "Telefon: 030 000 000"
        ]
    );
    // No paragraph of prose was taken for an address line.
    assert!(blocks.iter().filter(|b| b["type"] == "paragraph").count() >= 2);
    // German words and conventions: "22. April 2017", "Seite 1 von 1".
    let text = joined_text(&pdf);
    assert!(text.contains("22. April 2017"), "{text}");
    assert!(text.contains("Seite 1 von 1"), "{text}");
}

#[test]
fn links_unmatched_links_entry_is_printed_and_warned_about() {
    let (dir, pdf) = render("unused.txt");
    let found = targets(&pdf);
    assert_eq!(
        found,
        BTreeSet::from([
            "https://embassy.example/report".to_string(),
            "https://embassy.example/annex-2017".to_string()
        ])
    );
    let text = joined_text(&pdf);
    assert!(
        text.contains("Linkshttps://embassy.example/annex-2017"),
        "{text}"
    );
    let (blocks, json) = blocks(dir.path(), "unused.txt");
    let kinds: Vec<&str> = blocks.iter().filter_map(|b| b["type"].as_str()).collect();
    assert_eq!(kinds, ["paragraph", "link", "links", "closing"]);
    assert_eq!(
        blocks[2]["urls"],
        serde_json::json!(["https://embassy.example/annex-2017"])
    );
    let warned = json["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|d| {
            d["message"]
                .as_str()
                .unwrap_or_default()
                .contains("2 link(s) given")
        });
    assert!(warned, "{}", json["diagnostics"]);
    // The warning also reaches the terminal on render.
    let run = quire(dir.path(), &["render", "unused.txt", "-o", "again.pdf"]);
    assert!(run.stderr.contains("2 link(s) given"), "{}", run.stderr);
}
