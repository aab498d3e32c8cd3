//! Binding: every issue set on its own for its page count, the front pages, then every issue
//! set again with its place in the volume, under one outline and one set of metadata.

use super::contents::Contents;
use super::title::title_page;
use super::{volume_title, ContentsEntry, Volume, VolumeError, VolumeIssue};
use crate::compose::MarginSetter;
use crate::diag::Diagnostic;
use crate::fonts::FontBook;
use crate::l10n::L10n;
use crate::layout::{DocMeta, Document, Item, Mark, OutlineEntry, Page, Role, Structure};
use crate::model::{Issue, TextLine};
use crate::theme::Theme;
use crate::{compose_issue, Composed, PageNumbers, RenderOptions};

/// The issues set on their own: their page counts, models and the first one's theme.
struct Alone {
    counts: Vec<usize>,
    metas: Vec<Issue>,
    theme: Option<Theme>,
    /// The first issue's print edition (its quire.yaml's `print:` and the command line).
    print: Option<crate::print::PrintSetup>,
}

/// The issues set in the volume: their pages, outline entries and warnings.
struct Bound {
    pages: Vec<Page>,
    outline: Vec<OutlineEntry>,
    diagnostics: Vec<Diagnostic>,
    /// The issues' structures, each a Part under the volume's root.
    structure: Structure,
}

/// Bind `issues` (in reading order) into the volume for `year`.
///
/// The front pages are set in the first issue's theme. Fails when an issue has errors.
pub fn build_volume(
    year: i32,
    issues: &[VolumeIssue],
    book: &FontBook,
    opts: &RenderOptions,
) -> Result<Volume, VolumeError> {
    let first = issues.first().ok_or(VolumeError::Empty)?;
    let Alone {
        counts,
        metas,
        theme,
        print,
    } = set_alone(issues, book, opts)?;
    let theme = theme.unwrap_or_else(|| Theme::default_for("en"));
    let lang = metas
        .first()
        .map(|m| m.meta.language.clone())
        .filter(|l| !l.is_empty())
        .unwrap_or_else(|| "en".to_string());
    // The front pages' words in the first issue's language (see `crate::l10n`).
    let words = L10n::new(&lang);
    let newsletter = metas
        .iter()
        .find_map(|m| m.newsletter())
        .unwrap_or_default()
        .to_string();
    let title = volume_title(&newsletter, &words.number(year));

    let mut setter = MarginSetter::new(book, &theme, &lang, first.name);
    let mut contents = Contents::lay_out(&mut setter, &metas, &words);
    let front = 1 + contents.page_count();
    let total = front + counts.iter().sum::<usize>();
    let offsets = contents.number(front, &counts);
    let mut structure = Structure::new(&lang);
    let mut pages = vec![title_page(
        &mut setter,
        &mut structure,
        &newsletter,
        year,
        &metas,
        &words,
    )];
    contents.draw(&mut setter, &mut structure, &mut pages, &title, total);
    // The front matter is set: its shaper goes (and hands what it shaped to the issues').
    drop(setter);

    // Each issue after `offset` pages, expected to be `count` pages long.
    let places: Vec<(usize, usize)> = offsets
        .iter()
        .copied()
        .zip(counts.iter().copied())
        .collect();
    let bound = set_bound(
        issues,
        book,
        opts,
        &places,
        &contents.entries,
        total,
        structure,
    )?;
    pages.extend(bound.pages);
    let structure = bound.structure;
    let outline = vec![OutlineEntry {
        title: title.clone(),
        page: 0,
        y: 0.0,
        children: bound.outline,
    }];
    let meta = metadata(title, &newsletter, year, &metas, lang, opts);
    Ok(Volume {
        doc: Document {
            pages,
            meta,
            outline,
            structure,
        },
        contents: contents.entries,
        diagnostics: bound.diagnostics,
        print: print.unwrap_or_default(),
    })
}

/// One issue set as `render` sets it, numbered by `numbers`.
fn set_issue(
    it: &VolumeIssue,
    book: &FontBook,
    opts: &RenderOptions,
    numbers: &PageNumbers,
) -> Result<Composed, VolumeError> {
    compose_issue(it.name, it.text, it.base, book, opts, numbers).map_err(|diagnostics| {
        VolumeError::Issue {
            name: it.name.to_string(),
            diagnostics,
        }
    })
}

/// First pass: every issue on its own, for its page count and metadata.
fn set_alone(
    issues: &[VolumeIssue],
    book: &FontBook,
    opts: &RenderOptions,
) -> Result<Alone, VolumeError> {
    let mut alone = Alone {
        counts: Vec::with_capacity(issues.len()),
        metas: Vec::with_capacity(issues.len()),
        theme: None,
        print: None,
    };
    for it in issues {
        let c = set_issue(it, book, opts, &PageNumbers::default())?;
        alone.counts.push(c.doc.pages.len());
        if alone.theme.is_none() {
            alone.theme = Some(c.theme.clone());
            alone.print = Some(c.print.clone());
        }
        alone.metas.push(c.issue);
    }
    Ok(alone)
}

/// Second pass: every issue numbered as part of the volume, after its `places` offset of
/// `total` pages; an issue whose page count changed from its expected count cannot be bound.
/// Each issue's structure is grafted into `structure` as a `Part`.
fn set_bound(
    issues: &[VolumeIssue],
    book: &FontBook,
    opts: &RenderOptions,
    places: &[(usize, usize)],
    entries: &[ContentsEntry],
    total: usize,
    structure: Structure,
) -> Result<Bound, VolumeError> {
    let mut bound = Bound {
        pages: Vec::new(),
        outline: Vec::with_capacity(issues.len()),
        diagnostics: Vec::new(),
        structure,
    };
    for ((it, &(offset, count)), e) in issues.iter().zip(places).zip(entries) {
        let numbers = PageNumbers {
            offset,
            total: Some(total),
        };
        let c = set_issue(it, book, opts, &numbers)?;
        if c.doc.pages.len() != count {
            return Err(VolumeError::Unstable {
                name: it.name.to_string(),
                first: count,
                second: c.doc.pages.len(),
            });
        }
        bound.diagnostics.extend(c.diagnostics);
        let headline = c.issue.headline.as_ref();
        bound
            .outline
            .push(issue_entry(e, headline, c.doc.outline, offset));
        let mut pages = c.doc.pages;
        graft(&mut bound.structure, c.doc.structure, &mut pages);
        bound.pages.extend(pages);
    }
    Ok(bound)
}

/// Adds an issue's structure to the volume's as a `Part` under its root (the issue's own
/// root becomes the Part, keeping its language), renumbering the marks on its pages.
fn graft(volume: &mut Structure, issue: Structure, pages: &mut [Page]) {
    let base = volume.elems.len();
    for (i, mut e) in issue.elems.into_iter().enumerate() {
        if i == 0 {
            e.role = Role::Part;
            e.parent = 0;
        } else {
            e.parent += base;
        }
        volume.elems.push(e);
    }
    for page in pages {
        for item in &mut page.items {
            if let Item::Begin(Mark::Elem(e)) = item {
                *e += base;
            }
        }
    }
}

/// The outline entry of one issue: at its headline (or its first page), with its sections
/// under it; the issue's own outline has the headline first, then the sections.
fn issue_entry(
    e: &ContentsEntry,
    headline: Option<&TextLine>,
    mut own: Vec<OutlineEntry>,
    offset: usize,
) -> OutlineEntry {
    fn shift(entries: &mut [OutlineEntry], by: usize) {
        for o in entries {
            o.page += by;
            shift(&mut o.children, by);
        }
    }
    shift(&mut own, offset);
    let mut y = 0.0;
    if let (Some(h), Some(top)) = (headline, own.first()) {
        if top.title == h.text && top.page == offset {
            y = top.y;
            own.remove(0);
        }
    }
    let title = match (e.label.is_empty(), e.title.is_empty()) {
        (false, false) => format!("{}: {}", e.label, e.title),
        (false, true) => e.label.clone(),
        _ => e.title.clone(),
    };
    OutlineEntry {
        title,
        page: offset,
        y,
        children: own,
    }
}

/// The volume's metadata; its date is the configured one, else its latest issue's.
fn metadata(
    title: String,
    newsletter: &str,
    year: i32,
    metas: &[Issue],
    lang: String,
    opts: &RenderOptions,
) -> DocMeta {
    let timestamp = opts
        .source_date_epoch
        .or_else(|| {
            metas
                .iter()
                .filter_map(|m| m.meta.date.map(crate::date::IsoDate::epoch_seconds))
                .max()
        })
        .unwrap_or(opts.now);
    DocMeta {
        title,
        author: metas
            .iter()
            .find_map(|m| m.meta.publisher.clone())
            .unwrap_or_default(),
        // "3 issues · 2017" in the volume's language (the title page's count).
        subject: {
            let words = L10n::new(&lang);
            format!(
                "{} · {}",
                words.issue_count(metas.len()),
                words.number(year)
            )
        },
        keywords: if newsletter.is_empty() {
            vec![year.to_string()]
        } else {
            vec![newsletter.to_string(), year.to_string()]
        },
        lang,
        timestamp,
    }
}
