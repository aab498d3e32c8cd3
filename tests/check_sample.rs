//! `quire check` on the sample issue: the structure issue 2 lists, item by item.

mod common;

use common::{check_json, quire, temp_with};
use serde_json::Value;

const SAMPLE: &str = "embassy-newsletter-2017-04.txt";

fn sample_dir() -> tempfile::TempDir {
    temp_with(&[&format!("issues/{SAMPLE}"), "issues/quire.yaml"])
}

fn blocks(v: &Value) -> &Vec<Value> {
    v["issue"]["blocks"].as_array().expect("blocks array")
}

fn of_type<'a>(v: &'a Value, t: &str) -> Vec<&'a Value> {
    blocks(v).iter().filter(|b| b["type"] == t).collect()
}

#[test]
fn sample_copy_is_byte_identical_to_shared() {
    let ours = std::fs::read(common::root().join("issues").join(SAMPLE)).unwrap();
    assert!(!ours.ends_with(b"\n"), "no final newline");
    assert!(String::from_utf8_lossy(&ours).contains("Affairs(MFA)"));
    let shared = common::root().join("../shared/samples").join(SAMPLE);
    if let Ok(theirs) = std::fs::read(shared) {
        assert_eq!(ours, theirs);
    }
}

#[test]
fn sample_check_prints_two_link_warnings_and_exits_0() {
    let dir = sample_dir();
    let run = quire(dir.path(), &["check", SAMPLE]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let warnings: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains(": warning: "))
        .collect();
    assert_eq!(warnings.len(), 2, "{}", run.stderr);
    assert!(
        warnings[0].starts_with(&format!("{SAMPLE}:34:1: warning: link line")),
        "{}",
        warnings[0]
    );
    assert!(
        warnings[1].starts_with(&format!("{SAMPLE}:37:1: warning: link line")),
        "{}",
        warnings[1]
    );
    assert!(run.stderr.contains("hint: add its URL"), "{}", run.stderr);
    assert!(!run.stderr.contains("error"), "{}", run.stderr);
}

#[test]
fn sample_masthead_newsletter_issue_4_of_2017() {
    let (code, v) = check_json(sample_dir().path(), SAMPLE);
    assert_eq!(code, 0);
    let m = &v["issue"]["masthead"];
    assert_eq!(m["name"], "NEWSLETTER");
    assert_eq!(m["number"], 4);
    assert_eq!(m["numeral"], "\u{2163}");
    assert_eq!(m["year"], 2017);
    assert_eq!(m["numeral_column"], 18);
    assert_eq!(v["issue"]["meta"]["issue"], 4);
    assert_eq!(v["issue"]["meta"]["year"], 2017);
}

#[test]
fn sample_headline_and_deck() {
    let (_, v) = check_json(sample_dir().path(), SAMPLE);
    assert_eq!(
        v["issue"]["headline"]["text"],
        "China Releases First Strategy"
    );
    assert_eq!(v["issue"]["deck"]["text"], "On Cyberspace Cooperation");
}

#[test]
fn sample_two_opening_paragraphs_second_introduces_sections() {
    let (_, v) = check_json(sample_dir().path(), SAMPLE);
    let b = blocks(&v);
    assert_eq!(b[0]["type"], "paragraph");
    assert!(b[0]["text"]
        .as_str()
        .unwrap()
        .starts_with("On March 1, the Ministry of Foreign Affairs(MFA)"));
    assert_eq!(b[1]["type"], "paragraph");
    assert!(b[1]["text"]
        .as_str()
        .unwrap()
        .ends_with("approaches of the Strategy are:"));
    assert_eq!(b[2]["type"], "sections");
}

#[test]
fn sample_five_roman_sections_with_run_in_titles() {
    let (_, v) = check_json(sample_dir().path(), SAMPLE);
    let secs = of_type(&v, "sections");
    assert_eq!(secs.len(), 1);
    let s = secs[0]["sections"].as_array().unwrap();
    let got: Vec<(&str, u64, &str, bool)> = s
        .iter()
        .map(|x| {
            (
                x["numeral"].as_str().unwrap(),
                x["number"].as_u64().unwrap(),
                x["title"].as_str().unwrap(),
                x["run_in"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("I", 1, "Peace", true),
            ("II", 2, "Cooperation", true),
            ("III", 3, "Sovereignty", true),
            ("IV", 4, "Shared Benefits", true),
            ("V", 5, "Shared Governance", true),
        ]
    );
    for x in s {
        assert_eq!(x["style"], "roman");
        let body = x["body"].as_array().unwrap();
        assert_eq!(body.len(), 1);
        assert!(body[0].as_str().unwrap().len() > 100);
    }
    assert!(s[0]["body"][0]
        .as_str()
        .unwrap()
        .starts_with("The international community should observe"));
}

#[test]
fn sample_lead_in_and_five_action_items() {
    let (_, v) = check_json(sample_dir().path(), SAMPLE);
    let b = blocks(&v);
    let lists = of_type(&v, "list");
    assert_eq!(lists.len(), 1);
    let pos = b.iter().position(|x| x["type"] == "list").unwrap();
    let lead = b[pos - 1]["text"].as_str().unwrap();
    assert!(
        lead.starts_with("Based on these principles") && lead.ends_with("including:"),
        "{lead}"
    );
    assert_eq!(lists[0]["kind"], "implicit");
    let items: Vec<&str> = lists[0]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["text"].as_str().unwrap())
        .collect();
    assert_eq!(items.len(), 5);
    let starts = [
        "Promoting the building",
        "Supporting Internet-based",
        "Supporting the formulation",
        "Working with other",
        "Carrying out practical",
    ];
    for (item, start) in items.iter().zip(starts) {
        assert!(item.starts_with(start), "{item}");
    }
}

#[test]
fn sample_two_link_lines_without_targets() {
    let (_, v) = check_json(sample_dir().path(), SAMPLE);
    let links = of_type(&v, "link");
    assert_eq!(links.len(), 2);
    assert_eq!(
        links[0]["text"],
        "You can read the full text of the Strategy here:"
    );
    assert_eq!(
        links[1]["text"],
        "You can view the report to the joint conference of the MFA and SIIO here:"
    );
    assert!(links.iter().all(|l| l["target"].is_null()));
    let diags = v["diagnostics"].as_array().unwrap();
    assert_eq!(diags.len(), 2);
    assert!(diags.iter().all(|d| d["severity"] == "warning"));
}

#[test]
fn sample_address_block() {
    let (_, v) = check_json(sample_dir().path(), SAMPLE);
    let addr = of_type(&v, "address");
    assert_eq!(addr.len(), 1);
    let lines: Vec<&str> = addr[0]["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["text"].as_str().unwrap())
        .collect();
    assert_eq!(
        lines,
        [
            "Embassy of the People's Republic of China",
            "3505, International Place, NW Washington DC, 20008"
        ]
    );
}

#[test]
fn sample_closing_lines_last() {
    let (_, v) = check_json(sample_dir().path(), SAMPLE);
    let b = blocks(&v);
    let last = b.last().unwrap();
    assert_eq!(last["type"], "closing");
    let lines: Vec<&str> = last["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["text"].as_str().unwrap())
        .collect();
    assert_eq!(
        lines,
        ["Your comments are welcome.", "Suggest to a Friend:"]
    );
    let types: Vec<&str> = b.iter().map(|x| x["type"].as_str().unwrap()).collect();
    assert_eq!(
        types,
        [
            "paragraph",
            "paragraph",
            "sections",
            "paragraph",
            "list",
            "link",
            "link",
            "address",
            "closing"
        ]
    );
}

#[test]
fn sample_config_from_quire_yaml() {
    let (_, v) = check_json(sample_dir().path(), SAMPLE);
    let c = &v["config"];
    assert_eq!(c["paper"]["width"], 612.0);
    assert_eq!(c["paper"]["height"], 792.0);
    assert_eq!(c["margins"], 72.0);
    assert_eq!(c["theme"]["body"]["font"], "serif");
    assert_eq!(c["theme"]["body"]["size"], 10.5);
    assert_eq!(c["language"], "en");
    // The sample's quire.yaml keeps every line in print (no `print.omit`).
    assert_eq!(c["print"], Value::Null);
    assert_eq!(
        v["issue"]["meta"]["publisher"],
        "Embassy of the People's Republic of China in the United States of America"
    );
    assert_eq!(v["schema"], 1);
}
