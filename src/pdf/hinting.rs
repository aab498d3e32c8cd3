//! Removes TrueType hinting from a subset font program: a print PDF does not need it.
//!
//! Hinting (the `fpgm`/`prep`/`cvt ` programs and per-glyph instructions) grid-fits outlines
//! for low-resolution screens; at printer resolution it changes nothing, and PDF viewers
//! mostly ignore it. In a Noto Serif subset it is about a third of the compressed program
//! (measured: `fpgm` 1.8 KB + instructions of every glyph, per face), so removing it keeps
//! a newsletter with three or four faces well under 40 KB. The `name` table goes too (PDF
//! names the font itself in /BaseFont). Outlines are copied byte for byte.

/// Tables dropped from the program: hinting programs and data, device metrics computed by
/// hinting, and the names the PDF already carries.
const DROPPED: [&[u8; 4]; 7] = [
    b"fpgm", b"prep", b"cvt ", b"hdmx", b"LTSH", b"VDMX", b"name",
];

fn u16_at(d: &[u8], at: usize) -> Option<u16> {
    d.get(at..at + 2).map(|b| u16::from_be_bytes([b[0], b[1]]))
}

fn u32_at(d: &[u8], at: usize) -> Option<u32> {
    d.get(at..at + 4)
        .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
}

/// Where a simple glyph's data ends (its padding excluded): walks the flags, whose bits say
/// how many bytes each x and y coordinate takes. `at` is where the flags start.
fn simple_glyph_end(glyph: &[u8], contours: usize, at: usize) -> Option<usize> {
    const X_SHORT: u8 = 0x02;
    const Y_SHORT: u8 = 0x04;
    const REPEAT: u8 = 0x08;
    const X_SAME_OR_POSITIVE: u8 = 0x10;
    const Y_SAME_OR_POSITIVE: u8 = 0x20;
    let points = if contours == 0 {
        0
    } else {
        usize::from(u16_at(glyph, 10 + 2 * (contours - 1))?) + 1
    };
    let mut at = at;
    let (mut seen, mut x_bytes, mut y_bytes) = (0usize, 0usize, 0usize);
    while seen < points {
        let flag = *glyph.get(at)?;
        at += 1;
        let mut count = 1;
        if flag & REPEAT != 0 {
            count += usize::from(*glyph.get(at)?);
            at += 1;
        }
        let x = if flag & X_SHORT != 0 {
            1
        } else if flag & X_SAME_OR_POSITIVE == 0 {
            2
        } else {
            0
        };
        let y = if flag & Y_SHORT != 0 {
            1
        } else if flag & Y_SAME_OR_POSITIVE == 0 {
            2
        } else {
            0
        };
        x_bytes += x * count;
        y_bytes += y * count;
        seen += count;
    }
    let end = at + x_bytes + y_bytes;
    (end <= glyph.len()).then_some(end)
}

/// One glyph's description without instructions (simple and composite glyphs).
fn strip_glyph(glyph: &[u8]) -> Option<Vec<u8>> {
    if glyph.is_empty() {
        return Some(Vec::new());
    }
    let contours = u16_at(glyph, 0)? as i16;
    if contours >= 0 {
        let n = contours as usize;
        let ins_len_at = 10 + 2 * n;
        let ins_len = usize::from(u16_at(glyph, ins_len_at)?);
        let rest = ins_len_at + 2 + ins_len;
        let end = simple_glyph_end(glyph, n, rest)?;
        let mut out = Vec::with_capacity(end - ins_len);
        out.extend_from_slice(&glyph[..ins_len_at]);
        out.extend_from_slice(&[0, 0]);
        out.extend_from_slice(glyph.get(rest..end)?);
        Some(out)
    } else {
        // Composite: components, then instructions if WE_HAVE_INSTRUCTIONS is set.
        const ARG_1_AND_2_ARE_WORDS: u16 = 0x0001;
        const WE_HAVE_A_SCALE: u16 = 0x0008;
        const MORE_COMPONENTS: u16 = 0x0020;
        const WE_HAVE_AN_X_AND_Y_SCALE: u16 = 0x0040;
        const WE_HAVE_A_TWO_BY_TWO: u16 = 0x0080;
        const WE_HAVE_INSTRUCTIONS: u16 = 0x0100;
        let mut out = glyph.get(..10)?.to_vec();
        let mut at = 10;
        loop {
            let flags = u16_at(glyph, at)?;
            let mut len = 4 + if flags & ARG_1_AND_2_ARE_WORDS != 0 {
                4
            } else {
                2
            };
            if flags & WE_HAVE_A_SCALE != 0 {
                len += 2;
            } else if flags & WE_HAVE_AN_X_AND_Y_SCALE != 0 {
                len += 4;
            } else if flags & WE_HAVE_A_TWO_BY_TWO != 0 {
                len += 8;
            }
            let component = glyph.get(at..at + len)?;
            out.extend_from_slice(&(flags & !WE_HAVE_INSTRUCTIONS).to_be_bytes());
            out.extend_from_slice(&component[2..]);
            at += len;
            if flags & MORE_COMPONENTS == 0 {
                break;
            }
        }
        Some(out)
    }
}

/// The sfnt checksum of a table (big-endian u32 words, zero-padded).
fn checksum(data: &[u8]) -> u32 {
    // Whole words, then the rest padded with zeros (a copy of variable length per word
    // would be a `memcpy` call each).
    let words = data.chunks_exact(4);
    let rest = words.remainder();
    let sum = words.fold(0u32, |sum, w| {
        sum.wrapping_add(u32::from_be_bytes([w[0], w[1], w[2], w[3]]))
    });
    let mut last = [0u8; 4];
    last[..rest.len()].copy_from_slice(rest);
    sum.wrapping_add(u32::from_be_bytes(last))
}

/// The program without hinting, or `None` when it is not a TrueType (`glyf`) font or does
/// not parse as one (the caller keeps the program as it was).
pub(crate) fn strip_hinting(font: &[u8]) -> Option<Vec<u8>> {
    if u32_at(font, 0)? != 0x0001_0000 {
        return None;
    }
    let num_tables = usize::from(u16_at(font, 4)?);
    let mut tables: Vec<([u8; 4], &[u8])> = Vec::with_capacity(num_tables);
    for i in 0..num_tables {
        let rec = 12 + 16 * i;
        let tag: [u8; 4] = font.get(rec..rec + 4)?.try_into().ok()?;
        let offset = u32_at(font, rec + 8)? as usize;
        let length = u32_at(font, rec + 12)? as usize;
        tables.push((tag, font.get(offset..offset.checked_add(length)?)?));
    }
    let find = |tag: &[u8; 4]| tables.iter().find(|(t, _)| t == tag).map(|(_, d)| *d);
    let head = find(b"head")?;
    let maxp = find(b"maxp")?;
    let loca = find(b"loca")?;
    let glyf = find(b"glyf")?;
    let num_glyphs = usize::from(u16_at(maxp, 4)?);
    let long_loca = u16_at(head, 50)? == 1;
    let offset_of = |i: usize| -> Option<usize> {
        if long_loca {
            u32_at(loca, 4 * i).map(|o| o as usize)
        } else {
            u16_at(loca, 2 * i).map(|o| 2 * usize::from(o))
        }
    };

    let mut new_glyf = Vec::with_capacity(glyf.len());
    let mut new_loca = Vec::with_capacity(4 * (num_glyphs + 1));
    for i in 0..num_glyphs {
        let (start, end) = (offset_of(i)?, offset_of(i + 1)?);
        let glyph = glyf.get(start..end)?;
        new_loca.extend_from_slice(&(new_glyf.len() as u32).to_be_bytes());
        new_glyf.extend_from_slice(&strip_glyph(glyph)?);
        // Glyph offsets stay 4-byte aligned, as the long loca format recommends.
        while new_glyf.len() % 4 != 0 {
            new_glyf.push(0);
        }
    }
    new_loca.extend_from_slice(&(new_glyf.len() as u32).to_be_bytes());

    let mut new_head = head.to_vec();
    // indexToLocFormat = 1 (long offsets); checkSumAdjustment is recomputed below.
    new_head
        .get_mut(50..52)?
        .copy_from_slice(&1u16.to_be_bytes());
    new_head.get_mut(8..12)?.copy_from_slice(&[0; 4]);
    let mut new_maxp = maxp.to_vec();
    if new_maxp.len() >= 28 {
        // maxSizeOfInstructions: there are none left.
        new_maxp[26..28].copy_from_slice(&[0, 0]);
    }

    let mut out_tables: Vec<([u8; 4], Vec<u8>)> = tables
        .iter()
        .filter(|(tag, _)| !DROPPED.contains(&tag))
        .map(|(tag, data)| {
            let data = match tag {
                b"glyf" => new_glyf.clone(),
                b"loca" => new_loca.clone(),
                b"head" => new_head.clone(),
                b"maxp" => new_maxp.clone(),
                _ => data.to_vec(),
            };
            (*tag, data)
        })
        .collect();
    out_tables.sort_by_key(|t| t.0);

    let n = out_tables.len() as u16;
    let entry_selector = 15 - n.leading_zeros() as u16;
    let search_range = (1u16 << entry_selector) * 16;
    let mut out = Vec::with_capacity(font.len());
    out.extend_from_slice(&0x0001_0000u32.to_be_bytes());
    out.extend_from_slice(&n.to_be_bytes());
    out.extend_from_slice(&search_range.to_be_bytes());
    out.extend_from_slice(&entry_selector.to_be_bytes());
    out.extend_from_slice(&(n * 16 - search_range).to_be_bytes());
    let mut offset = 12 + 16 * out_tables.len();
    for (tag, data) in &out_tables {
        out.extend_from_slice(tag);
        out.extend_from_slice(&checksum(data).to_be_bytes());
        out.extend_from_slice(&(offset as u32).to_be_bytes());
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        offset += data.len().div_ceil(4) * 4;
    }
    let mut head_at = None;
    for (tag, data) in &out_tables {
        if tag == b"head" {
            head_at = Some(out.len());
        }
        out.extend_from_slice(data);
        while out.len() % 4 != 0 {
            out.push(0);
        }
    }
    let adjustment = 0xB1B0_AFBAu32.wrapping_sub(checksum(&out));
    out.get_mut(head_at? + 8..head_at? + 12)?
        .copy_from_slice(&adjustment.to_be_bytes());
    Some(out)
}

/// A glyph's outline as text (its drawing commands) and its bounding box, to compare a glyph
/// of a subset with the same glyph of the face it was cut from.
#[cfg(test)]
pub(crate) fn outline_text(
    face: &ttf_parser::Face,
    glyph: u16,
) -> (Option<ttf_parser::Rect>, String) {
    #[derive(Default)]
    struct Pen(String);

    impl ttf_parser::OutlineBuilder for Pen {
        fn move_to(&mut self, x: f32, y: f32) {
            self.0 += &format!("M{x},{y}");
        }
        fn line_to(&mut self, x: f32, y: f32) {
            self.0 += &format!("L{x},{y}");
        }
        fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
            self.0 += &format!("Q{x1},{y1},{x},{y}");
        }
        fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
            self.0 += &format!("C{x1},{y1},{x2},{y2},{x},{y}");
        }
        fn close(&mut self) {
            self.0 += "Z";
        }
    }

    let mut pen = Pen::default();
    let bbox = face.outline_glyph(ttf_parser::GlyphId(glyph), &mut pen);
    (bbox, pen.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fonts::{FaceKey, Family, FontBook};

    fn serif_subset() -> Vec<u8> {
        let book = FontBook::bundled();
        let id = book
            .find(FaceKey {
                family: Family::Serif,
                bold: false,
                italic: false,
                cjk: None,
            })
            .expect("serif");
        let entry = book.face(id);
        let face = ttf_parser::Face::parse(entry.data.bytes(), 0).expect("face");
        // Letters, an accented (composite) letter and the space.
        let glyphs: Vec<u16> = "Strategy é, ÉÅ"
            .chars()
            .filter_map(|c| face.glyph_index(c).map(|g| g.0))
            .collect();
        let remapper = subsetter::GlyphRemapper::new_from_glyphs_sorted(&glyphs);
        subsetter::subset(entry.data.bytes(), 0, &remapper).expect("subset")
    }

    #[test]
    fn hinting_strip_keeps_every_outline_and_shrinks() {
        let subset = serif_subset();
        let stripped = strip_hinting(&subset).expect("strips");
        assert!(stripped.len() < subset.len());
        let a = ttf_parser::Face::parse(&subset, 0).expect("subset parses");
        let b = ttf_parser::Face::parse(&stripped, 0).expect("stripped parses");
        assert_eq!(a.number_of_glyphs(), b.number_of_glyphs());
        for g in 0..a.number_of_glyphs() {
            let (ba, pa) = outline_text(&a, g);
            let (bb, pb) = outline_text(&b, g);
            assert_eq!(ba, bb, "bbox of glyph {g}");
            assert_eq!(pa, pb, "outline of glyph {g}");
            assert_eq!(
                a.glyph_hor_advance(ttf_parser::GlyphId(g)),
                b.glyph_hor_advance(ttf_parser::GlyphId(g))
            );
        }
    }

    #[test]
    fn hinting_strip_drops_hinting_tables_and_sets_checksum() {
        let stripped = strip_hinting(&serif_subset()).expect("strips");
        let face = ttf_parser::RawFace::parse(&stripped, 0).expect("raw");
        for tag in DROPPED {
            assert!(face.table(ttf_parser::Tag::from_bytes(tag)).is_none());
        }
        assert_eq!(checksum(&stripped), 0xB1B0_AFBA);
    }

    #[test]
    fn hinting_checksum_pads_the_last_word_with_zeros() {
        for len in 0..=9u8 {
            let data: Vec<u8> = (0..len).map(|i| 0xF0 ^ i.wrapping_mul(37)).collect();
            let mut padded = data.clone();
            padded.resize(data.len().div_ceil(4) * 4, 0);
            let want = padded.chunks(4).fold(0u32, |s, w| {
                s.wrapping_add(u32::from_be_bytes(w.try_into().expect("a word")))
            });
            assert_eq!(checksum(&data), want, "{len} bytes");
        }
        assert_eq!(checksum(&[0xFF; 8]), 0xFFFF_FFFEu32);
    }

    #[test]
    fn hinting_strip_leaves_non_truetype_alone() {
        assert_eq!(strip_hinting(b"OTTO\0\0\0\0"), None);
        assert_eq!(strip_hinting(&[]), None);
    }
}
