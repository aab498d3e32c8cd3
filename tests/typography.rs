//! Typography of mixed text read back from the PDF (poppler's `pdftotext -bbox`): where the
//! stretch of a justified line goes.

mod common;

use std::process::Command;

/// `(text, width)` of every word `pdftotext -bbox` finds in `pdf`.
fn words(pdf: &std::path::Path) -> Vec<(String, f32)> {
    let out = Command::new("pdftotext")
        .arg("-bbox")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    assert!(out.status.success());
    let html = String::from_utf8_lossy(&out.stdout).into_owned();
    let attr = |line: &str, name: &str| -> f32 {
        let start = line.find(&format!("{name}=\"")).expect("attribute") + name.len() + 2;
        line[start..]
            .split('"')
            .next()
            .and_then(|v| v.parse().ok())
            .expect("a number")
    };
    html.lines()
        .filter(|l| l.trim_start().starts_with("<word "))
        .map(|l| {
            let text = l[l.find('>').unwrap() + 1..l.rfind("</word>").unwrap()].to_string();
            (text, attr(l, "xMax") - attr(l, "xMin"))
        })
        .collect()
}

#[test]
fn typography_no_cjk_stretch_in_run_in_titles_or_latin_lines_with_spaces() {
    let dir = common::temp_with(&["tests/fixtures/typography/cjk-in-latin.txt"]);
    let run = common::quire(dir.path(), &["render", "cjk-in-latin.txt"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let words = words(&dir.path().join("cjk-in-latin.pdf"));
    // Run-in titles: each CJK name is one word (no gap between its characters) however loose
    // its justified line is.
    for title in ["(贸易畅通).", "(政策沟通).", "(资金融通)."] {
        assert!(
            words.iter().any(|(w, _)| w == title),
            "{title} is not one word: {words:?}"
        );
    }
    // In the English paragraph's justified lines (word spaces take the stretch), the Chinese
    // names keep their natural width: four full-width characters of 10.5 pt.
    for name in ["民心相通", "设施联通"] {
        let (_, width) = words
            .iter()
            .find(|(w, _)| w == name)
            .unwrap_or_else(|| panic!("{name} is not one word: {words:?}"));
        assert!((width - 42.0).abs() < 0.2, "{name} is {width} pt wide");
    }
    // A line of Chinese only in an English issue still justifies between its characters.
    let (_, width) = words
        .iter()
        .find(|(w, _)| w.starts_with("这一段是中文"))
        .expect("the Chinese line");
    assert!(*width > 200.0, "{width}");
}
