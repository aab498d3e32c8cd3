//! Tests of volume binding: page numbers, contents leaders, the nested outline, errors.

use super::*;
use crate::config::Config;
use crate::fonts::FontBook;
use crate::layout::Item;
use crate::RenderOptions;

const ISSUE_A: &str = "NEWSLETTER Issue 1 of 2017\n\n\nSpring Opens\n\nFirst paragraph of the spring issue.\n\nI. Trade. Trade grew.\n\nII. Culture. Culture met.\n";
const ISSUE_B: &str = "NEWSLETTER Issue 2 of 2017\n\n\nSummer Follows\n\nThe summer issue.\n\nI. Science. Labs opened.\n\nII. Travel. Visas eased.\n\nIII. Sport. Teams played.\n";

fn opts() -> RenderOptions {
    RenderOptions {
        source_date_epoch: Some(0),
        ..RenderOptions::default()
    }
}

fn two() -> Volume {
    let base = Config::default();
    let book = FontBook::bundled();
    let issues = [
        VolumeIssue {
            name: "a.txt",
            text: ISSUE_A,
            base: &base,
        },
        VolumeIssue {
            name: "b.txt",
            text: ISSUE_B,
            base: &base,
        },
    ];
    build_volume(2017, &issues, &book, &opts()).expect("a volume")
}

#[test]
fn volume_contents_pages_follow_the_front_pages() {
    let v = two();
    // Title page + one contents page, then each one-page issue.
    assert_eq!(v.doc.pages.len(), 4);
    let pages: Vec<usize> = v.contents.iter().map(|e| e.page).collect();
    assert_eq!(pages, vec![3, 4]);
    assert_eq!(v.contents[0].label, "Issue 1");
    assert_eq!(v.contents[1].title, "Summer Follows");
}

#[test]
fn volume_contents_leaders_run_from_title_to_number_on_one_grid() {
    let v = two();
    let page = &v.doc.pages[1];
    let text_right = |y: f32, after: f32| {
        page.items.iter().filter_map(move |i| match i {
            Item::Text { x, y: by, run, .. } if (by - y).abs() < 3.0 && *x >= after => Some(*x),
            _ => None,
        })
    };
    let dots: Vec<(f32, f32, f32, f32)> = page
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Dots {
                x1, x2, y, pitch, ..
            } => Some((*x1, *x2, *y, *pitch)),
            _ => None,
        })
        .collect();
    assert_eq!(dots.len(), v.contents.len(), "one leader per entry");
    let origin = dots[0].0;
    for &(x1, x2, y, pitch) in &dots {
        assert!(x2 - x1 >= 2.0 * pitch);
        // On one grid, so leaders line up down the page.
        for x in [x1, x2] {
            let k = (x - origin) / pitch;
            assert!((k - k.round()).abs() < 1e-3, "{x} off the grid");
        }
        // The page number stands after the last dot, clear of it.
        let number = text_right(y, x2)
            .next()
            .expect("a page number after the dots");
        assert!(number >= x2 + pitch * 0.9, "{number} vs {x2}");
    }
}

#[test]
fn volume_outline_nests_year_issue_sections() {
    let v = two();
    assert_eq!(v.doc.outline.len(), 1);
    let year = &v.doc.outline[0];
    assert_eq!(year.title, "NEWSLETTER 2017");
    let issues: Vec<&str> = year.children.iter().map(|c| c.title.as_str()).collect();
    assert_eq!(
        issues,
        vec!["Issue 1: Spring Opens", "Issue 2: Summer Follows"]
    );
    assert_eq!(year.children[1].page, 3);
    let sections: Vec<usize> = year.children.iter().map(|c| c.children.len()).collect();
    assert_eq!(sections, vec![2, 3]);
    assert!(year.children[1].children.iter().all(|s| s.page == 3));
}

#[test]
fn volume_empty_is_an_error() {
    let book = FontBook::bundled();
    assert!(matches!(
        build_volume(2017, &[], &book, &opts()),
        Err(VolumeError::Empty)
    ));
}

#[test]
fn volume_broken_issue_is_named() {
    let base = Config::default();
    let book = FontBook::bundled();
    let issues = [VolumeIssue {
        name: "empty.txt",
        text: "",
        base: &base,
    }];
    match build_volume(2017, &issues, &book, &opts()) {
        Err(VolumeError::Issue { name, diagnostics }) => {
            assert_eq!(name, "empty.txt");
            assert!(!diagnostics.is_empty());
        }
        other => panic!("expected an issue error, got {other:?}"),
    }
}

#[test]
fn volume_issue_year_from_date() {
    let text = "---\ndate: 2019-03-01\n---\nThe Letter\n\nA Title\n\nSome text here.\n";
    let i = crate::parse::parse_issue("x.txt", text, &crate::config::Config::default()).issue;
    assert_eq!(i.year(), Some(2019));
}

#[test]
fn volume_front_pages_speak_the_issues_language() {
    let base = Config::default();
    let book = FontBook::bundled();
    // The masthead's numbers ("Issue 1 of 2017") under a French front matter.
    let fr = |text: &str| format!("---\nlanguage: fr\n---\n{text}");
    let (a, b) = (fr(ISSUE_A), fr(ISSUE_B));
    let issues = [
        VolumeIssue {
            name: "a.txt",
            text: &a,
            base: &base,
        },
        VolumeIssue {
            name: "b.txt",
            text: &b,
            base: &base,
        },
    ];
    let v = build_volume(2017, &issues, &book, &opts()).expect("a volume");
    assert_eq!(v.contents[0].label, "Numéro 1");
    assert_eq!(v.contents[1].label, "Numéro 2");
    let year = &v.doc.outline[0];
    assert_eq!(year.children[0].title, "Numéro 1: Spring Opens");
    // The PDF's subject too, as the title page counts them.
    assert_eq!(v.doc.meta.subject, "2 numéros · 2017");
}

#[test]
fn volume_contents_mirror_in_a_right_to_left_language() {
    let base = Config::default();
    let book = FontBook::bundled();
    let he = |text: &str| format!("---\nlanguage: he\n---\n{text}");
    let (a, b) = (he(ISSUE_A), he(ISSUE_B));
    let issues = [
        VolumeIssue {
            name: "a.txt",
            text: &a,
            base: &base,
        },
        VolumeIssue {
            name: "b.txt",
            text: &b,
            base: &base,
        },
    ];
    let v = build_volume(2017, &issues, &book, &opts()).expect("a volume");
    assert_eq!(v.contents[0].label, "גיליון 1");
    let page = &v.doc.pages[1];
    let left = page
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Text { x, .. } => Some(*x),
            _ => None,
        })
        .fold(f32::INFINITY, f32::min);
    let dots: Vec<(f32, f32)> = page
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Dots { x1, x2, .. } => Some((*x1, *x2)),
            _ => None,
        })
        .collect();
    assert_eq!(dots.len(), 2, "one leader per entry");
    // The page numbers stand at the left margin, the leaders run right from them.
    for (x1, x2) in dots {
        assert!(x1 > left && x1 - left < 30.0, "{x1} vs {left}");
        assert!(x2 > x1);
    }
}
