//! The document's outline (the headline, with the sections under it) and its metadata.

use super::columns::AnchorPlaces;
use super::flow::Anchor;
use super::identity::Identity;
use crate::layout::{DocMeta, OutlineEntry};
use crate::model::{Block, Issue};

/// The outline: the headline at `headline_y` on page 1 (when the issue has one), then every
/// anchor that was placed.
pub(super) fn outline(
    issue: &Issue,
    anchors: &[Anchor],
    places: &AnchorPlaces,
    headline_y: Option<f32>,
) -> Vec<OutlineEntry> {
    let mut outline = Vec::new();
    if let (Some(h), Some(y)) = (&issue.headline, headline_y) {
        outline.push(OutlineEntry {
            title: h.text.clone(),
            page: 0,
            y,
            children: Vec::new(),
        });
    }
    for (a, pos) in anchors.iter().zip(places) {
        if let Some((page, y)) = pos {
            outline.push(OutlineEntry {
                title: a.title.clone(),
                page: *page,
                y: *y,
                children: Vec::new(),
            });
        }
    }
    outline
}

/// The document's metadata: title, author, subject, keywords and language.
pub(super) fn metadata(issue: &Issue, ident: &Identity, lang: &str, timestamp: i64) -> DocMeta {
    DocMeta {
        title: issue
            .meta
            .title
            .clone()
            .or_else(|| issue.headline.as_ref().map(|h| h.text.clone()))
            .unwrap_or_default(),
        author: issue.meta.publisher.clone().unwrap_or_default(),
        subject: issue
            .masthead
            .as_ref()
            .map(|m| m.text.clone())
            .unwrap_or_else(|| {
                format!("{} {}", ident.name, ident.issue_line)
                    .trim()
                    .to_string()
            }),
        keywords: keywords(issue, ident),
        lang: if lang.is_empty() {
            "en".to_string()
        } else {
            lang.to_string()
        },
        timestamp,
    }
}

/// The configured keywords, or else the newsletter's name and the section titles.
fn keywords(issue: &Issue, ident: &Identity) -> Vec<String> {
    if !issue.meta.keywords.is_empty() {
        return issue.meta.keywords.clone();
    }
    let mut k: Vec<String> = Vec::new();
    if !ident.name.is_empty() {
        k.push(ident.name.clone());
    }
    for b in &issue.blocks {
        if let Block::Sections { sections, .. } = b {
            k.extend(sections.iter().filter_map(|s| s.title.clone()));
        }
    }
    k
}
