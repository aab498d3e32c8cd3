//! Per-character font choice, regional CJK faces, URLs, uncovered characters, alignment.

use quire::fonts::{Family, FontBook};
use quire::inline::{
    dump_lines, dump_runs, layout_paragraph, measure, Align, BreakKind, Line, ParagraphSpec, Span,
    TextStyle,
};

fn span(text: &str, family: Family, size: f32) -> Span {
    Span {
        text: text.to_string(),
        style: TextStyle {
            family,
            bold: false,
            italic: false,
            size,
        },
        line: 1,
        column: 1,
    }
}

fn set(text: &str, lang: &str, width: f32, align: Align) -> (FontBook, Vec<Line>, Vec<String>) {
    let book = FontBook::bundled();
    let spans = [span(text, Family::Serif, 10.0)];
    let spec = ParagraphSpec {
        spans: &spans,
        lang,
        width,
        align,
        hyphenate: true,
        protrusion: false,
    };
    let mut diags = Vec::new();
    let lines = layout_paragraph(&book, &spec, "t.txt", &mut diags);
    let diags = diags.iter().map(ToString::to_string).collect();
    (book, lines, diags)
}

/// (glyph text, face PostScript name) for every glyph of every line.
fn glyph_faces(book: &FontBook, lines: &[Line]) -> Vec<(String, String)> {
    lines
        .iter()
        .flat_map(|l| l.runs.iter())
        .flat_map(|r| {
            let name = book.face(r.run.face).postscript_name.clone();
            r.run
                .texts()
                .map(move |(_, t)| (t.to_string(), name.clone()))
        })
        .collect()
}

fn face_of(faces: &[(String, String)], text: &str) -> String {
    faces
        .iter()
        .find(|(t, _)| t == text)
        .map(|(_, f)| f.clone())
        .unwrap_or_else(|| panic!("no glyph for {text:?} in {faces:?}"))
}

#[test]
fn typeset_mixed_line_takes_each_character_from_its_face() {
    let text = "the Belt and Road Initiative (一带一路) — China’s “plan”";
    let (book, lines, diags) = set(text, "en", 468.0, Align::Left);
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(lines.len(), 1);
    let faces = glyph_faces(&book, &lines);
    assert_eq!(face_of(&faces, "一"), "NotoSerifCJKsc-Regular");
    assert_eq!(face_of(&faces, "路"), "NotoSerifCJKsc-Regular");
    for latin in ["’", "“", "”", "—", "(", ")", "B"] {
        assert_eq!(face_of(&faces, latin), "NotoSerif-Regular", "{latin}");
    }
}

#[test]
fn typeset_chinese_quotes_take_the_cjk_face() {
    let (book, lines, _) = set(
        "他说：“中文引号”和「引号」。",
        "zh-Hans",
        468.0,
        Align::Justify,
    );
    let faces = glyph_faces(&book, &lines);
    assert_eq!(face_of(&faces, "“"), "NotoSerifCJKsc-Regular");
    assert_eq!(face_of(&faces, "”"), "NotoSerifCJKsc-Regular");
    assert_eq!(face_of(&faces, "「"), "NotoSerifCJKsc-Regular");
}

#[test]
fn typeset_regional_face_follows_the_language() {
    for (lang, text, want) in [
        ("zh-Hans", "中国外交部", "NotoSerifCJKsc-Regular"),
        ("zh-Hant", "中國外交部", "NotoSerifCJKtc-Regular"),
        ("ja", "外務省の発表", "NotoSerifCJKjp-Regular"),
        ("ko", "외교부 발표", "NotoSerifCJKkr-Regular"),
        ("", "外務省のニュース", "NotoSerifCJKjp-Regular"),
        ("", "한국어", "NotoSerifCJKkr-Regular"),
    ] {
        let (book, lines, _) = set(text, lang, 468.0, Align::Justify);
        let faces = glyph_faces(&book, &lines);
        assert!(faces.iter().all(|(_, f)| f == want), "{lang}: {faces:?}");
    }
}

#[test]
fn typeset_regional_glyph_forms_differ() {
    // 直 has distinct SC and JP forms: the same character gets a different glyph.
    let (_, sc, _) = set("直", "zh-Hans", 100.0, Align::Left);
    let (_, jp, _) = set("直", "ja", 100.0, Align::Left);
    let id = |l: &[Line]| l[0].runs[0].run.glyphs[0].id;
    let face = |l: &[Line]| l[0].runs[0].run.face;
    assert_ne!(face(&sc), face(&jp));
    // The collections share glyph tables: a different id means a different outline.
    assert_ne!(id(&sc), id(&jp));
}

#[test]
fn typeset_long_url_breaks_inside_the_measure() {
    let url = format!(
        "https://www.fmprc.gov.cn/mfa_eng/wjdt_665385/{}/t1442390.shtml?from=newsletter&issue=4",
        "wjbxw_665396/cyberspace-strategy/international-cooperation/".repeat(3)
    );
    assert!(url.chars().count() >= 200, "{}", url.len());
    let text = format!("Read it at {url} today.");
    let (_, lines, diags) = set(&text, "en", 240.0, Align::Justify);
    assert!(diags.is_empty());
    assert!(lines.len() > 2, "{}", dump_lines(&lines));
    for l in &lines {
        assert!(l.width <= 240.01, "{}", dump_lines(&lines));
        assert_ne!(
            l.break_kind,
            BreakKind::Hyphen,
            "URLs break without hyphens"
        );
        assert_ne!(
            l.break_kind,
            BreakKind::Emergency,
            "URLs break at their own breaks"
        );
    }
    eprintln!("{}", dump_lines(&lines));
    let joined: String = lines
        .iter()
        .map(|l| l.text.trim_end())
        .collect::<Vec<_>>()
        .join("");
    assert!(joined.contains(&url), "URL read back whole");
}

#[test]
fn typeset_word_wider_than_the_line_breaks_as_emergency() {
    let (_, lines, _) = set(
        "Pneumonoultramicroscopicsilicovolcanoconiosis",
        "en",
        40.0,
        Align::Left,
    );
    assert!(lines.len() > 1);
    assert!(
        lines.iter().all(|l| l.width <= 40.01),
        "{}",
        dump_lines(&lines)
    );
}

#[test]
fn typeset_uncovered_character_is_reported_with_position() {
    let book = FontBook::bundled();
    let spans = [Span {
        line: 12,
        column: 4,
        ..span("Hieroglyph \u{13000} here", Family::Serif, 10.0)
    }];
    let spec = ParagraphSpec {
        spans: &spans,
        lang: "en",
        width: 300.0,
        align: Align::Left,
        hyphenate: false,
        protrusion: false,
    };
    let mut diags = Vec::new();
    layout_paragraph(&book, &spec, "issue.txt", &mut diags);
    assert_eq!(diags.len(), 1);
    assert!(
        diags[0].to_string().starts_with("issue.txt:12:15: "),
        "{}",
        diags[0]
    );
    assert!(diags[0].message.contains("U+13000"));
}

#[test]
fn typeset_roman_numeral_in_latin_drawn_as_letters_keeping_its_text() {
    let (book, lines, diags) = set("NEWSLETTER Issue Ⅳ of 2017", "en", 468.0, Align::Center);
    assert!(diags.is_empty(), "{diags:?}");
    let faces = glyph_faces(&book, &lines);
    let i = faces
        .iter()
        .position(|(t, _)| t == "Ⅳ")
        .expect("Ⅳ kept as text");
    assert_eq!(faces[i].1, "NotoSerif-Regular");
    assert_eq!(faces[i + 1].0, "", "second glyph (V) stands for nothing");
    assert_eq!(lines[0].text, "NEWSLETTER Issue Ⅳ of 2017");
}

#[test]
fn typeset_alignment_centre_and_right_shift_the_line() {
    let (_, c, _) = set("Embassy of China", "en", 300.0, Align::Center);
    let (_, r, _) = set("Embassy of China", "en", 300.0, Align::Right);
    let w = c[0].width;
    assert!((c[0].runs[0].x - (300.0 - w) / 2.0).abs() < 0.01);
    assert!((r[0].runs[0].x - (300.0 - w)).abs() < 0.01);
}

#[test]
fn typeset_forced_break_at_newline() {
    let (_, lines, _) = set(
        "3505, International Place, NW\nWashington DC, 20008",
        "en",
        400.0,
        Align::Left,
    );
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0].break_kind, BreakKind::Forced);
    assert_eq!(lines[0].text, "3505, International Place, NW");
    assert_eq!(lines[1].break_kind, BreakKind::Last);
}

#[test]
fn typeset_measure_matches_the_single_line_width() {
    let book = FontBook::bundled();
    let spans = [span("Your comments are welcome.", Family::Sans, 12.0)];
    let m = measure(&book, &spans, "en");
    let spec = ParagraphSpec {
        spans: &spans,
        lang: "en",
        width: 1000.0,
        align: Align::Left,
        hyphenate: false,
        protrusion: false,
    };
    let lines = layout_paragraph(&book, &spec, "t", &mut Vec::new());
    assert!((lines[0].natural_width - m).abs() < 0.01);
    assert!(m > 100.0 && m < 200.0, "{m}");
}

#[test]
fn typeset_chinese_paragraph_is_justified_between_characters() {
    let text = "外交部和国家互联网信息办公室共同发布《网络空间国际合作战略》，这是中国就网络问题首次发布国际战略。".repeat(3);
    let (_, lines, _) = set(&text, "zh-Hans", 205.0, Align::Justify);
    assert!(lines.len() > 2);
    eprintln!("{}", dump_lines(&lines));
    for l in &lines[..lines.len() - 1] {
        assert!((l.width - 205.0).abs() < 0.01, "{}", dump_lines(&lines));
    }
    let back: String = lines.iter().map(|l| l.text.as_str()).collect();
    assert_eq!(back, text);
}

#[test]
fn typeset_long_paragraph_is_linear() {
    // ~200 KB of English in one paragraph: must finish quickly even in a debug build.
    let sentence = "The international community should promote greater openness and cooperation in cyberspace. ";
    let text = sentence.repeat(200_000 / sentence.len());
    let t = std::time::Instant::now();
    let (_, lines, _) = set(&text, "en", 468.0, Align::Justify);
    assert!(lines.len() > 2000);
    assert!(t.elapsed().as_secs() < 60, "{:?}", t.elapsed());
}

#[test]
fn typeset_japanese_kinsoku_holds_at_every_width() {
    use quire::cjk::{may_end_line, may_start_line, Locale};
    let not_starting = |c| !may_start_line(c, Locale::Ja);
    let not_ending = |c| !may_end_line(c, Locale::Ja);
    // JLREQ §3.1.7/§3.1.8: prohibited characters at line starts/ends, checked at many measures.
    let text = "「大使館ニュースレター」は、毎月発行されます。ちょっと待ってください――コーヒーを飲みながら、「ニュース」を読みましょう。";
    for width in (60..=200).step_by(7) {
        let (_, lines, _) = set(text, "ja", width as f32, Align::Justify);
        let back: String = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(back, text);
        for l in &lines {
            let first = l.text.chars().next().unwrap_or(' ');
            let last = l.text.chars().last().unwrap_or(' ');
            assert!(
                !not_starting(first),
                "{width}: line starts with {first:?}\n{}",
                dump_lines(&lines)
            );
            if l.break_kind != BreakKind::Last {
                assert!(
                    !not_ending(last),
                    "{width}: line ends with {last:?}\n{}",
                    dump_lines(&lines)
                );
            }
        }
    }
}

#[test]
fn typeset_ragged_right_keeps_natural_spaces() {
    let text = "Embassy of the People's Republic of China, 3505 International Place NW, Washington DC 20008. Your comments are welcome; write to us at any time.";
    let (_, lines, _) = set(text, "en", 200.0, Align::Left);
    assert!(lines.len() > 2);
    for l in &lines {
        assert!(
            (l.width - l.natural_width).abs() < 0.01,
            "spaces not stretched: {}",
            l.text
        );
        assert!(l.width <= 200.01);
    }
    // Ragged, not all the same width.
    assert!(
        lines.iter().any(|l| l.width < 190.0),
        "{}",
        dump_lines(&lines)
    );
}

#[test]
fn typeset_cjk_dump_snapshot() {
    let mut dump = String::new();
    for (lang, text, width) in [
        ("zh-Hans", "3月1日，外交部和国家互联网信息办公室共同发布《网络空间国际合作战略》。这是中国就网络问题首次发布国际战略，全面宣示了中国在网络空间相关国际问题上的政策立场——“构建网络空间命运共同体”。", 240.0),
        ("zh-Hant", "3月1日，外交部和國家互聯網信息辦公室共同發佈《網絡空間國際合作戰略》。這是中國就網絡問題首次發佈國際戰略……", 240.0),
        ("ja", "〒100-0013 東京都千代田区。「大使館ニュースレター」は、毎月発行されます。ちょっと待ってください。コーヒーを飲みながら読みましょう。", 240.0),
        ("ko", "대사관 뉴스레터는 매달 발행됩니다. 여러분의 의견을 환영합니다. 언제든지 연락해 주십시오.", 200.0),
    ] {
        let (_, lines, diags) = set(text, lang, width, Align::Justify);
        assert!(diags.is_empty(), "{diags:?}");
        for l in &lines {
            assert!(l.width <= width + 0.01, "{lang}: {}", dump_lines(&lines));
        }
        dump.push_str(&format!("# {lang} on {width} pt\n"));
        dump.push_str(&dump_lines(&lines));
    }
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/snapshots/typeset_cjk.txt"
    );
    if std::env::var_os("QUIRE_BLESS").is_some() {
        std::fs::write(path, &dump).expect("write snapshot");
    }
    let want = std::fs::read_to_string(path).expect("snapshot exists (QUIRE_BLESS=1 to create)");
    assert_eq!(dump, want);
}

#[test]
fn typeset_odd_inputs_never_panic_and_keep_their_text() {
    let long = "x".repeat(500);
    let texts = [
        "",
        " ",
        "\n\n",
        "a\u{200B}b\u{AD}c",
        "e\u{301}te\u{301} cafe\u{301}",
        "emoji 😀 and flags 🇨🇳",
        "مرحبا بالعالم",
        long.as_str(),
        "中文English混排123，测试。",
        "—— …… 「」《》",
        "\u{13000}\u{13001}",
    ];
    for text in texts {
        for width in [-5.0, 0.0, 1.0, 30.0, 468.0] {
            for align in [Align::Justify, Align::Left, Align::Center] {
                let (_, lines, _) = set(text, "", width, align);
                // Glyphs are in visual order (right-to-left words reversed), the lines' text in
                // reading order: the same characters, and the text reads as the source.
                for l in &lines {
                    let mut drawn: Vec<char> =
                        l.runs.iter().flat_map(|r| r.run.text.chars()).collect();
                    let mut read: Vec<char> = l.text.chars().collect();
                    drawn.sort_unstable();
                    read.sort_unstable();
                    assert_eq!(drawn, read, "width {width} {align:?}: {text:?}");
                }
                let mut back: String = lines.iter().map(|l| l.text.as_str()).collect();
                if !text.contains('-') {
                    // Hyphens added at line breaks.
                    back = back.replace('-', "");
                }
                let strip =
                    |s: &str| -> String { s.chars().filter(|c| !c.is_whitespace()).collect() };
                // Default-ignorable characters (ZWSP, soft hyphen) may be dropped by the shaper.
                let want: String = strip(text)
                    .chars()
                    .filter(|c| !matches!(c, '\u{200B}' | '\u{AD}'))
                    .collect();
                let got: String = strip(&back)
                    .chars()
                    .filter(|c| !matches!(c, '\u{200B}' | '\u{AD}'))
                    .collect();
                assert_eq!(got, want, "width {width} {align:?}: {text:?}");
            }
        }
    }
}

#[test]
fn typeset_mixed_line_runs_snapshot() {
    let text = "the Belt and Road Initiative (一带一路) — China’s “plan” in Issue Ⅳ";
    let (book, lines, _) = set(text, "en", 468.0, Align::Left);
    let dump = dump_runs(&book, &lines);
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/snapshots/typeset_mixed_runs.txt"
    );
    if std::env::var_os("QUIRE_BLESS").is_some() {
        std::fs::write(path, &dump).expect("write snapshot");
    }
    let want = std::fs::read_to_string(path).expect("snapshot exists (QUIRE_BLESS=1 to create)");
    assert_eq!(dump, want);
}

/// (glyph text, x where it is drawn on the line, advance, face) for every glyph of a line.
fn placed(book: &FontBook, line: &Line) -> Vec<(String, f32, f32, String)> {
    line.runs
        .iter()
        .flat_map(|r| {
            let name = book.face(r.run.face).postscript_name.clone();
            r.run
                .texts()
                .map(move |(g, t)| (t.to_string(), r.x + g.x, g.advance, name.clone()))
        })
        .collect()
}

fn x_of(glyphs: &[(String, f32, f32, String)], text: &str) -> f32 {
    glyphs
        .iter()
        .find(|g| g.0 == text)
        .map(|g| g.1)
        .unwrap_or_else(|| panic!("no glyph for {text:?}"))
}

#[test]
fn typeset_right_to_left_words_in_english_read_right_to_left() {
    let text = "The word שלום and مرحبا next.";
    let (book, lines, diags) = set(text, "en", 400.0, Align::Left);
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0].text, text, "the line reads in logical order");
    let g = placed(&book, &lines[0]);
    // Hebrew from the Hebrew face, Arabic from the Arabic face.
    assert!(
        g.iter()
            .any(|x| x.0 == "ש" && x.3 == "NotoSerifHebrew-Regular"),
        "{g:?}"
    );
    assert!(
        g.iter()
            .any(|x| x.0 == "م" && x.3 == "NotoNaskhArabic-Regular"),
        "{g:?}"
    );
    // Each word's first letter is drawn rightmost, and the words stay between their
    // English neighbours.
    let hebrew: Vec<f32> = ["ש", "ל", "ו", "ם"].iter().map(|c| x_of(&g, c)).collect();
    assert!(hebrew.windows(2).all(|w| w[0] > w[1]), "{hebrew:?}");
    let arabic: Vec<f32> = ["م", "ر", "ح", "ب", "ا"]
        .iter()
        .map(|c| x_of(&g, c))
        .collect();
    assert!(arabic.windows(2).all(|w| w[0] > w[1]), "{arabic:?}");
    // "word" before the Hebrew, "and" between, "next" after the Arabic.
    let (d, a, x) = (x_of(&g, "d"), x_of(&g, "a"), x_of(&g, "x"));
    assert!(d < hebrew[3] && hebrew[0] < a, "{d} {hebrew:?} {a}");
    assert!(a < arabic[4] && arabic[0] < x, "{a} {arabic:?} {x}");
    // No glyph overlaps the next: the reordered line keeps every glyph's room.
    let mut xs: Vec<(f32, f32)> = g.iter().filter(|x| x.2 > 0.0).map(|x| (x.1, x.2)).collect();
    xs.sort_by(|p, q| p.0.total_cmp(&q.0));
    assert!(
        xs.windows(2).all(|w| w[0].0 + w[0].1 <= w[1].0 + 0.01),
        "{xs:?}"
    );
}

#[test]
fn typeset_right_to_left_paragraph_is_justified_and_ends_at_the_right() {
    let text = "تعقد السفارة ندوة حول التعاون الاقتصادي والثقافي بين البلدين في الأول من مارس، \
                وتدعو جميع المهتمين إلى المشاركة في هذا الحدث المهم الذي يجمع ممثلين عن الحكومة \
                والقطاع الخاص والجامعات.";
    let width = 250.0;
    let (book, lines, diags) = set(text, "ar", width, Align::Justify);
    assert!(diags.is_empty(), "{diags:?}");
    assert!(lines.len() >= 3, "{}", lines.len());
    for (k, line) in lines.iter().enumerate() {
        let g = placed(&book, line);
        let left = g.iter().map(|x| x.1).fold(f32::INFINITY, f32::min);
        let right = g.iter().map(|x| x.1 + x.2).fold(0.0f32, f32::max);
        // Every line ends at the right margin; all but the last also start at the left one.
        assert!((right - width).abs() < 0.6, "line {k} ends at {right}");
        if k + 1 < lines.len() {
            assert!(left.abs() < 0.6, "line {k} starts at {left}");
        } else {
            assert!(left > 1.0, "the last line is ragged on the left: {left}");
        }
        // The line's first word in reading order is its rightmost.
        let first = line.text.split_whitespace().next().expect("a word");
        let first_char = first.chars().next().expect("a letter").to_string();
        let fx = g
            .iter()
            .filter(|x| x.0 == first_char)
            .map(|x| x.1)
            .fold(0.0f32, f32::max);
        assert!(fx > width * 0.8, "line {k}: {first} at {fx}");
    }
}

#[test]
fn typeset_right_to_left_fallback_follows_family_and_weight() {
    let book = FontBook::bundled();
    let spans = [Span {
        text: "عنوان عريض".to_string(),
        style: TextStyle {
            family: Family::Sans,
            bold: true,
            italic: false,
            size: 14.0,
        },
        line: 1,
        column: 1,
    }];
    let spec = ParagraphSpec {
        spans: &spans,
        lang: "ar",
        width: 300.0,
        align: Align::Left,
        hyphenate: false,
        protrusion: false,
    };
    let mut diags = Vec::new();
    let lines = layout_paragraph(&book, &spec, "t.txt", &mut diags);
    let faces = glyph_faces(&book, &lines);
    assert!(
        faces
            .iter()
            .all(|(t, f)| t == " " || f == "NotoSansArabic-Bold"),
        "{faces:?}"
    );
}

#[test]
fn typeset_right_to_left_brackets_are_mirrored() {
    let text = "زار الوفد القاهرة (مصر) اليوم";
    let (book, lines, diags) = set(text, "ar", 400.0, Align::Left);
    assert!(diags.is_empty(), "{diags:?}");
    let line = &lines[0];
    let mut found = 0;
    for r in &line.runs {
        let face = ttf_parser::Face::parse(book.face(r.run.face).data.bytes(), 0).expect("face");
        for (g, text) in r.run.texts() {
            let mirror = match text {
                "(" => ')',
                ")" => '(',
                _ => continue,
            };
            // Drawn with the mirror's glyph: "(" opens on the right in right-to-left text.
            assert_eq!(Some(g.id), face.glyph_index(mirror).map(|i| i.0), "{text}");
            found += 1;
        }
    }
    assert_eq!(found, 2);
    let g = placed(&book, line);
    // "(مصر)": the brackets enclose the word, "(" on its right.
    let (open, close, s) = (x_of(&g, "("), x_of(&g, ")"), x_of(&g, "ص"));
    assert!(close < s && s < open, "{close} {s} {open}");
}

#[test]
fn typeset_right_to_left_marks_follow_their_own_letter() {
    // Vowelled Arabic and pointed Hebrew: a letter and its marks are one cluster whose text
    // the letter's glyph carries; after reordering, each mark glyph must come right after
    // that letter (the PDF writer groups a text-less glyph with the one before it).
    let text = "كَتَبَ الوَلَدُ بْنُ and בְּרֵאשִׁית בָּרָא";
    let (_, lines, diags) = set(text, "", 400.0, Align::Left);
    assert!(diags.is_empty(), "{diags:?}");
    let mut marks = 0;
    for r in lines.iter().flat_map(|l| l.runs.iter()) {
        for k in 0..r.run.glyphs.len() {
            if r.run.glyph_text(k).is_empty() {
                marks += 1;
                let carrier = (0..k)
                    .rev()
                    .map(|j| r.run.glyph_text(j))
                    .find(|t| !t.is_empty())
                    .unwrap_or_else(|| panic!("a mark opens a run: {:?}", r.run));
                assert!(
                    carrier.chars().count() >= 2,
                    "mark after {carrier:?}, which has no mark of its own"
                );
            }
        }
    }
    assert!(marks >= 10, "{marks} mark glyphs");
}
