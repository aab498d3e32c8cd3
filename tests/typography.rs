//! Typography of mixed text read back from the PDF (poppler's `pdftotext -bbox`): where the
//! stretch of a justified line goes.

mod common;

use std::process::Command;

/// `(text, width)` of every word `pdftotext -bbox` finds in `pdf`.
fn words(pdf: &std::path::Path) -> Vec<(String, f32)> {
    bbox(pdf, &[])
        .into_iter()
        .map(|(text, x_min, x_max, _)| (text, x_max - x_min))
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

/// `(text, xMin, xMax, yMin)` of every word `pdftotext -bbox` finds on page 1 of `pdf`.
fn boxes(pdf: &std::path::Path) -> Vec<(String, f32, f32, f32)> {
    bbox(pdf, &["-f", "1", "-l", "1"])
}

/// `(text, xMin, xMax, yMin)` of every word `pdftotext -bbox ARGS` finds in `pdf`.
fn bbox(pdf: &std::path::Path, args: &[&str]) -> Vec<(String, f32, f32, f32)> {
    let out = Command::new("pdftotext")
        .arg("-bbox")
        .args(args)
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    assert!(out.status.success());
    let html = String::from_utf8_lossy(&out.stdout).into_owned();
    let attr = |line: &str, name: &str| -> f32 {
        let start = line.find(&format!("{name}=\"")).expect("attribute") + name.len() + 2;
        line[start..].split('"').next().unwrap().parse().unwrap()
    };
    html.lines()
        .filter(|l| l.trim_start().starts_with("<word "))
        .map(|l| {
            let text = l[l.find('>').unwrap() + 1..l.rfind("</word>").unwrap()].to_string();
            (text, attr(l, "xMin"), attr(l, "xMax"), attr(l, "yMin"))
        })
        .collect()
}

#[test]
fn typography_end_punctuation_hangs_into_the_right_margin() {
    // The sample: letter-size, 1 in margins, so the measure ends at 612 − 72 = 540 pt.
    let render = |yaml: &str| {
        let dir = common::temp_with(&["issues/embassy-newsletter-2017-04.txt"]);
        std::fs::write(
            dir.path().join("quire.yaml"),
            format!("paper: letter\nmargins: 1in\n{yaml}"),
        )
        .unwrap();
        let run = common::quire(dir.path(), &["render", "embassy-newsletter-2017-04.txt"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let words = boxes(&dir.path().join("embassy-newsletter-2017-04.pdf"));
        // The last word of each line that reaches the right half (justified lines reach the
        // measure; last lines of paragraphs fall short and are left out below).
        let mut ends: std::collections::BTreeMap<i32, (String, f32)> = Default::default();
        for (text, _, x_max, y) in words {
            let e = ends
                .entry(y.round() as i32)
                .or_insert((text.clone(), x_max));
            if x_max > e.1 {
                *e = (text, x_max);
            }
        }
        ends.into_values()
            .filter(|(_, x)| *x > 530.0)
            .collect::<Vec<_>>()
    };
    let hung = render("");
    let mut letters = 0;
    let mut marks = 0;
    for (word, x) in &hung {
        let last = word.chars().last().unwrap();
        if last.is_alphanumeric() {
            // Lines ending in a letter end at the measure.
            assert!((x - 540.0).abs() < 0.05, "{word} ends at {x}");
            letters += 1;
        } else if matches!(last, ',' | '.' | '-') {
            // A comma, full stop or hyphen hangs 0.7 of its width (about 1.5 pt at 10.5 pt).
            assert!(*x > 540.8 && *x < 542.5, "{word} ends at {x}");
            marks += 1;
        }
    }
    assert!(letters >= 10 && marks >= 3, "{hung:?}");
    // `theme.protrusion: false`: every justified line ends at the measure.
    for (word, x) in render("theme:\n  protrusion: false\n") {
        assert!((x - 540.0).abs() < 0.05, "{word} ends at {x}");
    }
}

#[test]
fn typography_opening_quote_hangs_into_the_left_margin() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("quire.yaml"),
        "paper: letter\nmargins: 1in\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("q.txt"),
        "NEWSLETTER Issue 1 of 2017\n\nA Title\n\nSome text that opens the issue and runs on for a while.\n\n“Peace and cooperation,” the minister said, “are the two words that sum up the strategy, and every partner country shares them.”\n",
    )
    .unwrap();
    let run = common::quire(dir.path(), &["render", "q.txt"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let words = boxes(&dir.path().join("q.pdf"));
    let (_, x_min, ..) = words
        .iter()
        .find(|(w, ..)| w.starts_with('“'))
        .expect("the quote");
    let (_, text_min, ..) = words.iter().find(|(w, ..)| w == "Some").unwrap();
    assert!((text_min - 72.0).abs() < 0.05, "{text_min}");
    // Half the opening quote's width (about 2 pt at 10.5 pt) hangs left of the text edge.
    assert!(*x_min < 71.0 && *x_min > 68.5, "{x_min}");
}
