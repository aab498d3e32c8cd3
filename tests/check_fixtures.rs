//! `quire check --json` on the parse fixtures: one structure per writing convention.

mod common;

use common::{check_json, fixture_dir, quire, temp_with};
use serde_json::Value;

fn check(name: &str) -> (i32, Value) {
    let dir = fixture_dir(name);
    check_json(dir.path(), name)
}

fn blocks<'a>(v: &'a Value, t: &str) -> Vec<&'a Value> {
    v["issue"]["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["type"] == t)
        .collect()
}

fn texts(v: &Value, key: &str) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x[key].as_str().unwrap_or("").to_string())
        .collect()
}

fn section_titles(v: &Value) -> Vec<(String, u64, String)> {
    let s = blocks(v, "sections");
    assert_eq!(s.len(), 1, "one run of sections");
    s[0]["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x["numeral"].as_str().unwrap().to_string(),
                x["number"].as_u64().unwrap(),
                x["title"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[test]
fn fixture_chinese_sections_masthead_and_address() {
    let (code, v) = check("zh-sections.txt");
    assert_eq!(code, 0);
    let m = &v["issue"]["masthead"];
    assert_eq!(
        (m["name"].as_str(), m["number"].as_u64(), m["year"].as_u64()),
        (Some("简讯"), Some(4), Some(2017))
    );
    assert_eq!(v["issue"]["meta"]["language"], "zh-Hans");
    assert_eq!(
        v["issue"]["headline"]["text"],
        "中国发布网络空间国际合作战略"
    );
    let t = section_titles(&v);
    assert_eq!(
        t,
        [
            ("一", 1, "和平原则"),
            ("二", 2, "主权原则"),
            ("三", 3, "共治原则"),
            ("四", 4, "普惠原则")
        ]
        .map(|(a, b, c)| (a.to_string(), b, c.to_string()))
    );
    assert_eq!(blocks(&v, "sections")[0]["sections"][0]["style"], "chinese");
    let addr = blocks(&v, "address");
    assert_eq!(
        texts(&addr[0]["lines"], "text"),
        [
            "中华人民共和国驻美国大使馆",
            "美国华盛顿特区国际广场3505号 邮编：20008"
        ]
    );
    assert_eq!(
        texts(&blocks(&v, "closing")[0]["lines"], "text"),
        ["欢迎提出宝贵意见。"]
    );
    assert_eq!(v["diagnostics"].as_array().unwrap().len(), 0);
}

#[test]
fn fixture_japanese_unicode_roman_headings_and_postal_mark() {
    let (code, v) = check("ja-sections.txt");
    assert_eq!(code, 0);
    assert_eq!(v["issue"]["masthead"]["number"], 3);
    assert_eq!(v["issue"]["meta"]["language"], "ja");
    let s = &blocks(&v, "sections")[0]["sections"];
    assert_eq!(texts(s, "numeral"), ["Ⅰ", "Ⅱ", "Ⅲ"]);
    assert_eq!(
        texts(s, "title"),
        ["平和の原則", "主権の原則", "共治の原則"]
    );
    assert_eq!(s[0]["style"], "unicode_roman");
    assert_eq!(s[0]["run_in"], false);
    assert_eq!(
        s[0]["body"][0],
        "国際社会は国連憲章の原則を守り、サイバー空間の平和と安全を確保すべきです。"
    );
    let addr = blocks(&v, "address");
    assert_eq!(
        texts(&addr[0]["lines"], "text"),
        [
            "中華人民共和国駐日本国大使館",
            "〒106-0046 東京都港区元麻布3-4-33"
        ]
    );
}

#[test]
fn fixture_twelve_sections_viii_ix_xii() {
    let (code, v) = check("twelve-sections.txt");
    assert_eq!(code, 0);
    let t = section_titles(&v);
    assert_eq!(t.len(), 12);
    for (k, (numeral, number, title)) in t.iter().enumerate() {
        assert_eq!(*number, k as u64 + 1);
        assert_eq!(title, &format!("Point {numeral}"));
    }
    assert_eq!(
        (t[7].0.as_str(), t[8].0.as_str(), t[11].0.as_str()),
        ("VIII", "IX", "XII")
    );
    assert_eq!(v["issue"]["masthead"]["number"], 12);
    assert_eq!(
        blocks(&v, "address")[0]["lines"][1]["text"],
        "49-51 Portland Place, London W1B 1JL"
    );
    assert_eq!(
        v["diagnostics"].as_array().unwrap().len(),
        0,
        "{}",
        v["diagnostics"]
    );
}

#[test]
fn fixture_front_matter_links_fill_targets_in_order() {
    let (code, v) = check("front-matter-links.txt");
    assert_eq!(code, 0);
    let links = blocks(&v, "link");
    assert_eq!(
        texts(
            &Value::from(links.iter().map(|l| (*l).clone()).collect::<Vec<_>>()),
            "target"
        ),
        [
            "https://example.org/strategy-full-text",
            "https://example.org/joint-conference-report"
        ]
    );
    assert_eq!(
        v["diagnostics"].as_array().unwrap().len(),
        0,
        "{}",
        v["diagnostics"]
    );
    let meta = &v["issue"]["meta"];
    assert_eq!(
        meta["title"], "Strategy Released",
        "front matter wins over the headline"
    );
    assert_eq!(meta["date"], "2017-04-15");
    assert_eq!(
        v["issue"]["masthead"]["line"], 13,
        "lines count from the top of the file"
    );
}

#[test]
fn fixture_explicit_bullets_and_numbers() {
    let (code, v) = check("bullets.txt");
    assert_eq!(code, 0);
    let lists = blocks(&v, "list");
    assert_eq!(lists.len(), 2);
    assert_eq!(lists[0]["kind"], "bullet");
    assert_eq!(
        texts(&lists[0]["items"], "marker"),
        ["-", "-", "-", "•", "•"]
    );
    assert_eq!(
        lists[0]["items"][1]["text"],
        "Friday, 9:00 to 11:00, appointments only and only for urgent cases"
    );
    assert_eq!(lists[1]["kind"], "numbered");
    assert_eq!(texts(&lists[1]["items"], "marker"), ["1.", "2.", "3."]);
    assert_eq!(v["issue"]["masthead"]["name"], "Weekly Notes");
}

#[test]
fn fixture_no_masthead_still_has_headline_and_paragraphs() {
    let (code, v) = check("no-masthead.txt");
    assert_eq!(code, 0);
    assert!(v["issue"]["masthead"].is_null());
    assert_eq!(
        v["issue"]["headline"]["text"],
        "Trade Delegation Visits Ohio"
    );
    let p = blocks(&v, "paragraph");
    assert_eq!(p.len(), 2);
    assert_eq!(p[1]["text"], "Talks focused on soybean exports and on joint research in farm machinery, which both sides called promising.");
}

#[test]
fn fixture_crlf_and_utf8_bom() {
    let (code, v) = check("crlf-bom.txt");
    assert_eq!(code, 0);
    assert_eq!(
        v["issue"]["masthead"]["text"], "NEWSLETTER Issue 2 of 2018",
        "no BOM, no CR"
    );
    assert_eq!(v["issue"]["headline"]["text"], "Windows Line Ends");
    let t = section_titles(&v);
    assert_eq!(t[1], ("II".to_string(), 2, "Second".to_string()));
}

#[test]
fn fixture_utf16_with_bom() {
    let (code, v) = check("utf16-bom.txt");
    assert_eq!(code, 0);
    assert_eq!(v["issue"]["masthead"]["name"], "简讯");
    assert_eq!(v["issue"]["masthead"]["number"], 2);
    let t = section_titles(&v);
    assert_eq!(t[0], ("一".to_string(), 1, "第一节".to_string()));
}

#[test]
fn fixture_skipped_and_repeated_numerals_warn_with_line() {
    let dir = fixture_dir("skipped-numerals.txt");
    let run = quire(dir.path(), &["check", "skipped-numerals.txt"]);
    assert_eq!(run.code, 0, "warnings only");
    let lines: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains("warning"))
        .collect();
    assert_eq!(lines.len(), 3, "{}", run.stderr);
    assert!(lines[0].starts_with("skipped-numerals.txt:4:18: warning: the masthead says issue Ⅳ (4) but the front matter says issue 5"), "{}", lines[0]);
    assert!(lines[1].starts_with("skipped-numerals.txt:14:1: warning: Roman numeral sequence skips: II (line 12) is followed by IV, expected III"), "{}", lines[1]);
    assert!(
        lines[2].starts_with("skipped-numerals.txt:16:1: warning: Roman numeral IV repeats"),
        "{}",
        lines[2]
    );
}

#[test]
fn fixture_check_many_files_one_json_line_each() {
    let dir = common::temp_with(&[
        "tests/fixtures/parse/bullets.txt",
        "tests/fixtures/parse/no-masthead.txt",
    ]);
    let run = quire(
        dir.path(),
        &["check", "--json", "bullets.txt", "no-masthead.txt"],
    );
    assert_eq!(run.code, 0);
    let files: Vec<String> = run
        .stdout
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["file"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(files, ["bullets.txt", "no-masthead.txt"]);
}

#[test]
fn fixture_chinese_one_paragraph_per_line_without_blank_lines() {
    let (code, v) = check("zh-no-blank-lines.txt");
    assert_eq!(code, 0);
    assert_eq!(v["issue"]["masthead"]["number"], 4);
    assert_eq!(
        v["issue"]["headline"]["text"],
        "中国发布网络空间国际合作战略"
    );
    let s = &blocks(&v, "sections")[0]["sections"];
    assert_eq!(texts(s, "numeral"), ["（一）", "（二）"]);
    assert_eq!(s[0]["style"], "chinese_paren");
    assert_eq!(
        s[0]["body"][0],
        "国际社会要切实遵守《联合国宪章》宗旨与原则。"
    );
    assert_eq!(
        texts(&blocks(&v, "address")[0]["lines"], "text"),
        ["地址：北京市朝阳区三里屯路3号", "电话：010-12345678"]
    );
    assert_eq!(
        texts(&blocks(&v, "closing")[0]["lines"], "text"),
        ["欢迎提出宝贵意见。"]
    );
}

#[test]
fn fixture_korean_masthead_and_address() {
    let (code, v) = check("ko-address.txt");
    assert_eq!(code, 0);
    let m = &v["issue"]["masthead"];
    assert_eq!(
        (m["name"].as_str(), m["number"].as_u64(), m["year"].as_u64()),
        (Some("대사관 소식"), Some(5), Some(2020))
    );
    assert_eq!(v["issue"]["meta"]["language"], "ko");
    assert_eq!(
        texts(&blocks(&v, "address")[0]["lines"], "text"),
        ["주한 중국대사관", "서울특별시 중구 명동2길 27"]
    );
}

#[test]
fn fixture_quire_yaml_in_a_parent_folder_applies() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("quire.yaml"),
        "links: [\"https://example.org/one\"]\npaper: a4\n",
    )
    .unwrap();
    let sub = dir.path().join("2017");
    std::fs::create_dir(&sub).unwrap();
    std::fs::write(
        sub.join("a.txt"),
        "Headline\n\nRead it here:\n\nThe end of the text.\n",
    )
    .unwrap();
    let (code, v) = check_json(dir.path(), "2017/a.txt");
    assert_eq!(code, 0);
    assert_eq!(blocks(&v, "link")[0]["target"], "https://example.org/one");
    assert_eq!(v["config"]["paper"]["name"], "a4");
}

#[test]
fn fixture_explicit_config_replaces_the_nearest_one() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("quire.yaml"), "paper: a4\n").unwrap();
    std::fs::write(dir.path().join("print.yaml"), "paper: legal\ncolumns: 2\n").unwrap();
    std::fs::write(dir.path().join("a.txt"), "Headline\n\nBody text.\n").unwrap();
    let run = quire(
        dir.path(),
        &["check", "--json", "--config", "print.yaml", "a.txt"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let v: Value = serde_json::from_str(run.stdout.trim()).unwrap();
    assert_eq!(v["config"]["paper"]["name"], "legal");
    assert_eq!(v["config"]["columns"], 2);
    let missing = quire(dir.path(), &["check", "--config", "nope.yaml", "a.txt"]);
    assert_eq!(missing.code, 1);
    assert!(
        missing
            .stderr
            .starts_with("nope.yaml: error: no such configuration file"),
        "{}",
        missing.stderr
    );
}

/// `quire check --json` on one of the render fixtures (read, never changed, here).
fn check_render(name: &str) -> (i32, Value) {
    let dir = temp_with(&[&format!("tests/fixtures/render/{name}")]);
    check_json(dir.path(), name)
}

/// The block types in reading order.
fn block_types(v: &Value) -> Vec<String> {
    texts(&v["issue"]["blocks"], "type")
}

#[test]
fn fixture_render_ja_masthead_with_ideographic_space_and_roman_numeral() {
    let (code, v) = check_render("ja.txt");
    assert_eq!(code, 0);
    let m = &v["issue"]["masthead"];
    assert_eq!(
        (
            m["name"].as_str(),
            m["number"].as_u64(),
            m["numeral"].as_str(),
            m["year"].as_u64()
        ),
        (Some("大使館ニュースレター"), Some(9), Some("Ⅸ"), Some(2017))
    );
    assert_eq!(
        v["issue"]["headline"]["text"],
        "日中国交正常化45周年を迎えて"
    );
    assert_eq!(v["issue"]["deck"]["text"], "交流の輪をさらに広げるために");
    assert_eq!(
        block_types(&v),
        ["paragraph", "sections", "paragraph", "address", "closing"]
    );
}

#[test]
fn fixture_render_ja_glued_sections_end_at_the_blank_line() {
    let (_, v) = check_render("ja.txt");
    let s = &blocks(&v, "sections")[0]["sections"];
    assert_eq!(
        texts(s, "title"),
        ["青少年交流", "経済・貿易協力", "文化・観光", "領事サービス"]
    );
    for k in 0..4 {
        assert_eq!(s[k]["body"].as_array().unwrap().len(), 1, "section {k}");
    }
    // The closing paragraph after the last section is the text again.
    let p = blocks(&v, "paragraph");
    assert!(p[1]["text"].as_str().unwrap().starts_with("45年前、"));
}

#[test]
fn fixture_render_ja_organisation_after_the_address_joins_it() {
    let (_, v) = check_render("ja.txt");
    assert_eq!(
        texts(&blocks(&v, "address")[0]["lines"], "text"),
        [
            "〒106-0046",
            "東京都港区元麻布3-4-33",
            "中華人民共和国駐日本国大使館"
        ]
    );
    assert_eq!(
        texts(&blocks(&v, "closing")[0]["lines"], "text"),
        ["ご意見をお寄せください。"]
    );
}

#[test]
fn fixture_render_ko_run_in_titles_and_organisation_after_address() {
    let (code, v) = check_render("ko.txt");
    assert_eq!(code, 0);
    let s = &blocks(&v, "sections")[0]["sections"];
    assert_eq!(
        texts(s, "title"),
        ["경제 협력", "인적 교류", "문화 교류", "영사 서비스"]
    );
    for k in 0..4 {
        assert_eq!(s[k]["run_in"], true, "section {k}");
    }
    assert!(s[0]["body"][0]
        .as_str()
        .unwrap()
        .starts_with("중국은 한국의 최대 교역 상대국이며"));
    assert_eq!(
        texts(&blocks(&v, "address")[0]["lines"], "text"),
        ["서울특별시 중구 명동2길 27", "주한 중국대사관"]
    );
    assert_eq!(
        texts(&blocks(&v, "closing")[0]["lines"], "text"),
        ["의견을 보내 주십시오."]
    );
}

#[test]
fn fixture_render_zh_hans_implicit_list_ends_at_a_longer_paragraph() {
    let (code, v) = check_render("zh-hans.txt");
    assert_eq!(code, 0);
    let items = &blocks(&v, "list")[0]["items"];
    assert_eq!(items.as_array().unwrap().len(), 5);
    assert!(items[4]["text"]
        .as_str()
        .unwrap()
        .starts_with("发挥驻外使领馆的桥梁作用"));
    let p = blocks(&v, "paragraph");
    assert!(p
        .iter()
        .any(|b| b["text"].as_str().unwrap().starts_with("发布会上，")));
    assert_eq!(
        block_types(&v),
        [
            "paragraph",
            "paragraph",
            "sections",
            "paragraph",
            "list",
            "paragraph",
            "paragraph",
            "paragraph",
            "paragraph",
            "paragraph",
            "link",
            "link",
            "address",
            "closing"
        ]
    );
}

#[test]
fn fixture_render_zh_hant_and_long_keep_their_structure() {
    let (code, v) = check_render("zh-hant.txt");
    assert_eq!(code, 0);
    assert_eq!(v["issue"]["masthead"]["number"], 5);
    assert_eq!(
        v["issue"]["headline"]["text"],
        "「墨韻千年」書法展在華盛頓開幕"
    );
    assert_eq!(v["issue"]["deck"], Value::Null);
    assert_eq!(block_types(&v), ["paragraph"; 4]);
    let (code, v) = check_render("long-12-sections.txt");
    assert_eq!(code, 0);
    assert_eq!(section_titles(&v).len(), 12);
    assert_eq!(blocks(&v, "list")[0]["items"].as_array().unwrap().len(), 4);
    assert_eq!(
        texts(&blocks(&v, "address")[0]["lines"], "text"),
        [
            "Embassy of the People's Republic of China",
            "3505, International Place, NW Washington DC, 20008"
        ]
    );
}

#[test]
fn fixture_own_line_titles_with_blank_separated_bodies_keep_them() {
    let (code, v) = check("own-line-titles-blank-bodies.txt");
    assert_eq!(code, 0);
    let s = &blocks(&v, "sections")[0]["sections"];
    assert_eq!(texts(s, "title"), ["Appointments", "Fees"]);
    assert_eq!(s[0]["body"].as_array().unwrap().len(), 2);
    // Not a glued layout: the paragraphs after the last title stay its body.
    assert_eq!(s[1]["body"].as_array().unwrap().len(), 3);
    assert_eq!(
        texts(&blocks(&v, "address")[0]["lines"], "text"),
        [
            "1450 Massachusetts Ave NW, Washington, DC 20005",
            "Consulate General of the People's Republic of China",
            "Tel: 202-555-0100"
        ]
    );
    assert_eq!(
        texts(&blocks(&v, "closing")[0]["lines"], "text"),
        ["Your comments are welcome."]
    );
}

#[test]
fn fixture_korean_run_in_titles_only_for_short_phrases() {
    let (code, v) = check("ko-run-in.txt");
    assert_eq!(code, 0);
    let s = &blocks(&v, "sections")[0]["sections"];
    assert_eq!(s[0]["title"], "무역");
    assert_eq!(s[1]["title"], "관광과 문화");
    assert_eq!(s[1]["run_in"], true);
    // A clause with a comma before the first stop is body text, not a title.
    assert_eq!(s[2]["title"], Value::Null);
    assert_eq!(s[2]["run_in"], false);
}

#[test]
fn fixture_korean_wrapped_lines_join_with_a_space() {
    // The Korean fixture with its long section hard-wrapped, as an e-mail client wraps it:
    // Korean spaces its words (KLREQ §5.2), so the joined text keeps a space at each wrap.
    let text = std::fs::read_to_string(common::root().join("tests/fixtures/parse/ko-run-in.txt"))
        .unwrap()
        .replace("합의했습니다, 구체적인", "합의했습니다,\n구체적인");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("ko-wrapped.txt"), text).unwrap();
    let (code, v) = common::check_json(dir.path(), "ko-wrapped.txt");
    assert_eq!(code, 0);
    let body = blocks(&v, "sections")[0]["sections"][2]["body"][0]
        .as_str()
        .unwrap()
        .to_string();
    assert!(body.contains("합의했습니다, 구체적인"), "{body}");
}
