//! The structure tree of a tagged PDF (ISO 32000-1 §14.7–14.8, PDF/UA-1): one structure
//! element per `layout::Elem`, whose kids are its child elements, the marked-content
//! sequences (MCIDs) the content writer opened for it, and — for `Link` elements — object
//! references to their annotations; the parent tree maps each page's MCIDs and each link
//! annotation back to its element. The catalog says `/MarkInfo << /Marked true >>`.
//!
//! Reading order is the order content appears in the pages' streams (pages in order, each
//! page in painting order), which is the order compose and paginate place lines: an
//! element's kids are sorted by where their content first appears. Elements with no content
//! at all are left out.

use super::finish::text_string;
use super::PdfError;
use crate::layout::{Role, Structure};
use lopdf::{Dictionary, Object, ObjectId};

/// What one page's content stream marked: the element of each MCID (in MCID order) and the
/// `Link` element of each link annotation (in the page's annotation order).
#[derive(Debug, Default, Clone)]
pub(crate) struct PageMarks {
    pub mcids: Vec<usize>,
    pub links: Vec<Option<usize>>,
}

/// Where a kid's content first appears: (page, order within the page).
type Pos = (usize, usize);

/// One kid of a structure element.
#[derive(Debug, Clone, Copy)]
enum Kid {
    Elem(usize),
    Mcid { page: usize, mcid: usize },
    Annot { page: usize, index: usize },
}

/// Writes the structure tree for `structure` and `marks` into `lo` (nothing for a document
/// without a structure).
pub(crate) fn write_structure(
    lo: &mut lopdf::Document,
    structure: &Structure,
    marks: &[PageMarks],
) -> Result<(), PdfError> {
    if structure.elems.is_empty() {
        return Ok(());
    }
    let pages: Vec<ObjectId> = lo.get_pages().values().copied().collect();
    let annots = page_annotations(lo, &pages);
    let kids = collect_kids(structure, marks);
    let root_id = lo.new_object_id();
    let ids: Vec<ObjectId> = (0..structure.elems.len())
        .map(|_| lo.new_object_id())
        .collect();
    let (nums, next_key) = parent_tree(lo, &pages, &annots, marks, &ids)?;
    for (e, elem) in structure.elems.iter().enumerate() {
        if e != 0 && kids[e].is_empty() {
            continue;
        }
        let mut d = Dictionary::new();
        d.set("Type", Object::Name(b"StructElem".to_vec()));
        d.set("S", Object::Name(elem.role.name().as_bytes().to_vec()));
        let parent = if e == 0 { root_id } else { ids[elem.parent] };
        d.set("P", Object::Reference(parent));
        // The element's page is that of its first marked content; MCIDs on it are written as
        // bare integers (a fifth of a long issue's size otherwise goes to MCR dictionaries).
        let pg = kids[e].iter().find_map(|k| match k {
            Kid::Mcid { page, .. } => Some(*page),
            _ => None,
        });
        if let Some(pg) = pg {
            d.set("Pg", Object::Reference(pages[pg]));
        }
        let k: Vec<Object> = kids[e]
            .iter()
            .map(|kid| kid_object(*kid, pg, &ids, &pages, &annots))
            .collect();
        d.set("K", Object::Array(k));
        if let Some(lang) = &elem.lang {
            d.set("Lang", text_string(lang));
        }
        if let Some(alt) = &elem.alt {
            d.set("Alt", text_string(alt));
        }
        lo.objects.insert(ids[e], Object::Dictionary(d));
    }
    let tree = lo.add_object(Dictionary::from_iter(vec![("Nums", Object::Array(nums))]));
    let mut root = Dictionary::new();
    root.set("Type", Object::Name(b"StructTreeRoot".to_vec()));
    root.set("K", Object::Array(vec![Object::Reference(ids[0])]));
    root.set("ParentTree", Object::Reference(tree));
    root.set("ParentTreeNextKey", Object::Integer(next_key));
    lo.objects.insert(root_id, Object::Dictionary(root));
    let catalog = lo
        .catalog_mut()
        .map_err(|e| PdfError::Serialize(format!("no catalog: {e}")))?;
    catalog.set("StructTreeRoot", Object::Reference(root_id));
    catalog.set(
        "MarkInfo",
        Object::Dictionary(Dictionary::from_iter(vec![(
            "Marked",
            Object::Boolean(true),
        )])),
    );
    catalog.set(
        "ViewerPreferences",
        Object::Dictionary(Dictionary::from_iter(vec![(
            "DisplayDocTitle",
            Object::Boolean(true),
        )])),
    );
    Ok(())
}

/// Each element's kids in reading order: its own marked content and annotations, and its
/// child elements placed where their content first appears.
fn collect_kids(structure: &Structure, marks: &[PageMarks]) -> Vec<Vec<Kid>> {
    let n = structure.elems.len();
    let mut own: Vec<Vec<(Pos, Kid)>> = vec![Vec::new(); n];
    for (page, m) in marks.iter().enumerate() {
        for (mcid, &e) in m.mcids.iter().enumerate() {
            if let Some(v) = own.get_mut(e) {
                v.push(((page, mcid), Kid::Mcid { page, mcid }));
            }
        }
        for (index, e) in m.links.iter().enumerate() {
            if let Some(v) = e.and_then(|e| own.get_mut(e)) {
                // After the link's text on the page: an annotation is not content.
                v.push((
                    (page, usize::MAX - m.links.len() + index),
                    Kid::Annot { page, index },
                ));
            }
        }
    }
    // Children are added after their parents, so a reverse pass sees every child's first
    // position before its parent needs it.
    for e in (1..n).rev() {
        let first = own[e].iter().map(|(p, _)| *p).min();
        let parent = structure.elems[e].parent;
        if let Some(first) = first {
            if parent < e {
                own[parent].push((first, Kid::Elem(e)));
            }
        }
    }
    // A list item's label reads first wherever it is drawn (a numeral in the gutter may be
    // painted after its text).
    let label_first = |k: &Kid| !matches!(k, Kid::Elem(e) if structure.elems[*e].role == Role::Lbl);
    own.into_iter()
        .map(|mut v| {
            v.sort_by_key(|(p, k)| (label_first(k), *p));
            v.into_iter().map(|(_, k)| k).collect()
        })
        .collect()
}

fn kid_object(
    kid: Kid,
    pg: Option<usize>,
    ids: &[ObjectId],
    pages: &[ObjectId],
    annots: &[Vec<ObjectId>],
) -> Object {
    match kid {
        Kid::Elem(e) => Object::Reference(ids[e]),
        Kid::Mcid { page, mcid } if Some(page) == pg => Object::Integer(mcid as i64),
        Kid::Mcid { page, mcid } => Object::Dictionary(Dictionary::from_iter(vec![
            ("Type", Object::Name(b"MCR".to_vec())),
            ("Pg", Object::Reference(pages[page])),
            ("MCID", Object::Integer(mcid as i64)),
        ])),
        Kid::Annot { page, index } => Object::Dictionary(Dictionary::from_iter(vec![
            ("Type", Object::Name(b"OBJR".to_vec())),
            ("Pg", Object::Reference(pages[page])),
            ("Obj", Object::Reference(annots[page][index])),
        ])),
    }
}

/// The parent tree's `/Nums`: key `p` for page `p` (its MCIDs' elements), then one key per
/// link annotation (its `Link` element); sets `/StructParents` and `/Tabs /S` on the pages,
/// `/StructParent` and `/Contents` on the annotations. Returns the array and the next key.
fn parent_tree(
    lo: &mut lopdf::Document,
    pages: &[ObjectId],
    annots: &[Vec<ObjectId>],
    marks: &[PageMarks],
    ids: &[ObjectId],
) -> Result<(Vec<Object>, i64), PdfError> {
    let mut nums = Vec::new();
    for (p, &page) in pages.iter().enumerate() {
        let refs = marks.get(p).map_or_else(Vec::new, |m| {
            m.mcids.iter().map(|&e| Object::Reference(ids[e])).collect()
        });
        nums.push(Object::Integer(p as i64));
        nums.push(Object::Array(refs));
        let dict = lo
            .get_dictionary_mut(page)
            .map_err(|e| PdfError::Serialize(format!("page object: {e}")))?;
        dict.set("StructParents", Object::Integer(p as i64));
        dict.set("Tabs", Object::Name(b"S".to_vec()));
    }
    let mut key = pages.len() as i64;
    for (p, m) in marks.iter().enumerate() {
        for (i, e) in m.links.iter().enumerate() {
            let (Some(e), Some(&annot)) = (e, annots.get(p).and_then(|a| a.get(i))) else {
                continue;
            };
            nums.push(Object::Integer(key));
            nums.push(Object::Reference(ids[*e]));
            if let Ok(dict) = lo.get_dictionary_mut(annot) {
                dict.set("StructParent", Object::Integer(key));
                let uri = dict
                    .get(b"A")
                    .and_then(Object::as_dict)
                    .and_then(|a| a.get(b"URI"))
                    .and_then(Object::as_str)
                    .map(|u| String::from_utf8_lossy(u).into_owned())
                    .unwrap_or_default();
                dict.set("Contents", text_string(&format!("Link: {uri}")));
            }
            key += 1;
        }
    }
    Ok((nums, key))
}

/// The indirect link annotations of each page, in order.
fn page_annotations(lo: &lopdf::Document, pages: &[ObjectId]) -> Vec<Vec<ObjectId>> {
    pages
        .iter()
        .map(|&p| {
            lo.get_dictionary(p)
                .ok()
                .and_then(|d| d.get(b"Annots").ok())
                .and_then(|a| a.as_array().ok())
                .map(|a| a.iter().filter_map(|o| o.as_reference().ok()).collect())
                .unwrap_or_default()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_kids_follow_content_order() {
        let mut s = Structure::new("en");
        let p1 = s.add(Role::P, 0);
        let l = s.add(Role::L, 0);
        let li = s.add(Role::LI, l);
        let lbl = s.add(Role::Lbl, li);
        let body = s.add(Role::LBody, li);
        let empty = s.add(Role::P, 0);
        // Page 0 draws the body before the label (as a gutter numeral is); page 1 continues
        // the body.
        let marks = vec![
            PageMarks {
                mcids: vec![p1, body, lbl],
                links: vec![],
            },
            PageMarks {
                mcids: vec![body],
                links: vec![],
            },
        ];
        let kids = collect_kids(&s, &marks);
        let elems = |v: &[Kid]| {
            v.iter()
                .filter_map(|k| match k {
                    Kid::Elem(e) => Some(*e),
                    _ => None,
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(elems(&kids[0]), [p1, l], "empty elements are left out");
        assert_eq!(
            elems(&kids[li]),
            [lbl, body],
            "a label first, wherever it is drawn"
        );
        assert_eq!(kids[body].len(), 2, "one MCID on each page");
        assert!(kids[empty].is_empty());
    }
}
