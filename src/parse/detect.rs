//! Line-level detectors for the shape of a line (short, prose, mostly CJK) and for link
//! lines, bare URLs, addresses, contact, organisation and closing lines.
//!
//! Each function looks at one trimmed line and says what it is, without context; the
//! assembly in `parse::build` decides with context (runs, neighbours, position). The masthead
//! and the marker lines have their own recognisers (`masthead`, `markers`).

use super::numeral::is_decimal_digit;
use crate::script::is_east_asian as is_cjk;

/// Latin prose lines longer than this are paragraphs, not headlines, headings or address lines.
pub const SHORT_LATIN: usize = 100;

/// True when the text is mostly CJK (counting letters only).
pub fn mostly_cjk(s: &str) -> bool {
    let (mut cjk, mut other) = (0usize, 0usize);
    // CJK first: ideographs are alphanumeric too, and asking that of each was the slow part.
    for (at, c) in s.char_indices() {
        if is_cjk(c) {
            cjk += 1;
        } else if c.is_alphanumeric() {
            other += 1;
            // Every CJK character takes at least three bytes: once even an all-CJK rest could
            // not make up for the letters so far, the answer is no (a Latin paragraph is read
            // about half way, not to its end).
            if other > 2 * (cjk + (s.len() - at) / 3) {
                return false;
            }
        }
    }
    cjk > 0 && cjk * 2 >= other
}

/// True when the line is short enough to be a title, heading, address or closing line.
pub fn is_short(s: &str, latin_limit: usize) -> bool {
    // A CJK character is about two Latin ones wide, so CJK limits are half the Latin ones.
    // Counted only as far as the Latin limit: a paragraph is answered without reading all of
    // it for its script (which was 1.5 % of an export).
    let count = s.chars().take(latin_limit.saturating_add(1)).count();
    if count > latin_limit {
        return false;
    }
    count <= latin_limit / 2 || !mostly_cjk(s)
}

/// True when the line ends a sentence or a clause (so it is prose, not a title).
pub fn ends_like_prose(s: &str) -> bool {
    s.ends_with(['.', ',', ';', ':', '。', '，', '；', '：', '、'])
}

/// True for a bare URL on its own line.
pub fn is_url_line(s: &str) -> bool {
    let t = s.trim();
    (t.starts_with("http://") || t.starts_with("https://") || t.starts_with("www."))
        && !t.contains(char::is_whitespace)
}

/// The words and phrases that end a link line before its colon, by language; compared in
/// lower case, as whole words (the character before the phrase is no letter or digit, so
/// "there:" is not "here:" and "voici :" is not "ici :").
const LINK_PHRASES: [&str; 20] = [
    // English
    "here",
    "below",
    "link",
    "at",
    "online",
    // French (the colon after a space, a no-break space, a narrow no-break space or none)
    "ici",
    "en ligne",
    "ce lien",
    "à cette adresse",
    // German ("unter folgendem Link:", "online:" end in "link", "online")
    "hier",
    // Spanish
    "aquí",
    "en este enlace",
    // Portuguese ("neste link:" ends in "link")
    "aqui",
    "neste link",
    // Italian ("a questo link:" ends in "link")
    "qui",
    "a questo link",
    // Russian
    "здесь",
    "по ссылке",
    // Arabic
    "هنا",
    "الرابط",
];

/// The colons that end a link line: ASCII (also what Arabic text uses: Unicode has no Arabic
/// colon), full-width (CJK), and the small and vertical presentation forms.
const LINK_COLONS: [char; 4] = [':', '：', '﹕', '︓'];

/// A link line: "… here:", "… ici :", "… hier:", "… aquí:", "… здесь:", "… هنا:", "全文链接：",
/// "こちら：" … with an optional URL that follows on the same line. Returns (text without the
/// URL, URL). The phrases are [`LINK_PHRASES`] (any case, as whole words) before a colon of
/// [`LINK_COLONS`], with any space before it (French sets a no-break space); or, before a
/// full-width or ASCII colon, a CJK word for link, here or full text. Whether a line that
/// reads so but leads a list is one is decided with context (`parse::build`).
pub fn link_line(line: &str) -> Option<(String, Option<String>)> {
    let (text, url) = match line.find("http://").or_else(|| line.find("https://")) {
        Some(i) if !line[i..].contains(char::is_whitespace) && i > 0 => {
            (line[..i].trim_end(), Some(line[i..].to_string()))
        }
        _ => (line, None),
    };
    // Right-to-left text may end with a direction mark after its colon.
    let text_end = text.trim_end_matches(['\u{200F}', '\u{200E}', '\u{061C}']);
    // No colon at the end, none after lower-casing (a colon lower-cases to itself and no
    // other character to a colon): answered before the line is copied.
    if !text_end.ends_with(LINK_COLONS) {
        return None;
    }
    let lower = text_end.to_lowercase();
    let stem = lower.trim_end_matches(LINK_COLONS).trim_end();
    let cjk = [
        "链接",
        "鏈接",
        "全文",
        "点击",
        "點擊",
        "这里",
        "這裡",
        "此处",
        "此處",
        "网址",
        "網址",
        "こちら",
        "リンク",
        "여기",
        "링크",
    ];
    let hit = LINK_PHRASES.iter().any(|w| {
        stem.ends_with(w)
            && stem[..stem.len() - w.len()]
                .chars()
                .last()
                .is_none_or(|c| !c.is_alphanumeric())
    }) || cjk.iter().any(|w| stem.contains(w));
    hit.then(|| (text.to_string(), url))
}

/// True for a line that carries a postal code or the shape of a postal address in the US,
/// UK, French, German, Spanish, Italian, Chinese, Japanese (〒) or Korean conventions.
pub fn is_postal_line(line: &str) -> bool {
    let t = line.trim();
    if t.is_empty() || !is_short(t, SHORT_LATIN) {
        return false;
    }
    has_postal_label(t) || ends_with_postcode(t) || is_postcode_town(t) || is_east_asian_address(t)
}

/// Words that may stand inside a town's name in lower case ("Frankfurt am Main",
/// "Boulogne-sur-Mer" is one word, "Saint-Denis de la Réunion", "Castel di Sangro").
const TOWN_PARTICLES: [&str; 18] = [
    "am", "an", "der", "den", "im", "in", "bei", "ob", "sur", "sous", "en", "de", "du", "des",
    "la", "le", "di", "del",
];

/// A continental postcode line: the postcode starts it and the town, capitalised, ends it —
/// "69006 Lyon", "10117 Berlin", "75007 Paris CEDEX 07", "60311 Frankfurt am Main", "28001
/// Madrid", "00187 Roma"; with a country prefix "D-10117 Berlin", "F-75007 Paris" (then also
/// four digits: "CH-3003 Bern", "A-1010 Wien"). Also after a street on the same line ("Unter
/// den Linden 1, 10117 Berlin": the part after the last comma, when the part before has a
/// number). Not prose: a four-digit number without a prefix (a year: "2017 Berlin …") is no
/// postcode, every word after the town's first must be capitalised, a particle or CEDEX, and
/// the line ends with the town (no stop).
fn is_postcode_town(t: &str) -> bool {
    postcode_town_line(t, false)
}

/// A postcode and its town alone (`postcode_town_with`), or after a numbered street and a
/// comma; four-digit codes without a country prefix when `four` is set.
fn postcode_town_line(t: &str, four: bool) -> bool {
    if postcode_town_with(t, four) {
        return true;
    }
    let Some((street, last)) = t.rsplit_once(',') else {
        return false;
    };
    let words: Vec<&str> = street
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    let numbered = words.first().is_some_and(|w| house_number(w))
        || words.last().is_some_and(|w| house_number(w));
    numbered && postcode_town_with(last, four)
}

/// A house number: one to three digits, then letters, a range or a slash ("1", "12a",
/// "3-5", "110bis"); not a year.
fn house_number(w: &str) -> bool {
    number_with_suffix(w, 3, 8)
}

/// A number of one to `digits` digits, then letters, a range or a slash, `chars` characters
/// at most in all.
fn number_with_suffix(w: &str, digits: usize, chars: usize) -> bool {
    let n = w.chars().take_while(char::is_ascii_digit).count();
    (1..=digits).contains(&n)
        && w.chars().count() <= chars
        && w.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '/'))
}

/// A town after a four-digit postcode, as Austria, Switzerland, Belgium, Denmark, Norway,
/// Hungary and others write it ("1010 Wien", "3003 Bern", "1000 Bruxelles"), alone on its line
/// or after a numbered street ("Bundesplatz 3, 3003 Bern"). Such a line is also the shape of
/// a year and a word ("2017 Berlin"): `build` takes it as a postal line only next to another
/// address line.
pub fn is_four_digit_postcode_town(line: &str) -> bool {
    let t = line.trim();
    // Asked of every line: the cheap test first (a digit in it).
    t.len() <= 4 * 60 && t.contains(|c: char| c.is_ascii_digit()) && postcode_town_line(t, true)
}

/// The whole of `s` a postcode, then the town (the form alone, without a street before it):
/// five digits, or four or five after a country prefix ("A-1010"); four without one too when
/// `four` is set.
fn postcode_town_with(s: &str, four: bool) -> bool {
    let mut words = s.split_whitespace();
    let (Some(code), Some(town)) = (words.next(), words.next()) else {
        return false;
    };
    let digits = |d: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&d.len()) && d.chars().all(|c| c.is_ascii_digit())
    };
    let code_ok = match code.split_once('-') {
        Some((country, d)) => {
            (1..=2).contains(&country.len())
                && country.chars().all(|c| c.is_ascii_uppercase())
                && digits(d, 4..=5)
        }
        None => digits(code, if four { 4..=5 } else { 5..=5 }),
    };
    if !code_ok || !name_word(town) || town.ends_with('.') {
        return false;
    }
    let rest: Vec<&str> = words.collect();
    if rest.len() > 4 {
        return false;
    }
    let mut cedex = false;
    for (k, w) in rest.iter().enumerate() {
        let last = k + 1 == rest.len();
        let ok = if cedex {
            last && digits(w, 1..=2)
        } else if w.eq_ignore_ascii_case("cedex") {
            cedex = true;
            true
        } else {
            let paren = w.strip_prefix('(').and_then(|x| x.strip_suffix(')'));
            (name_word(w) && !(last && w.ends_with('.')))
                || paren.is_some_and(name_word)
                || (!last && TOWN_PARTICLES.contains(w))
        };
        if !ok {
            return false;
        }
    }
    true
}

/// A postal mark or label: "〒", "地址", "邮编", "우편번호", "(우)".
fn has_postal_label(t: &str) -> bool {
    t.contains('〒')
        || t.starts_with("地址")
        || t.contains("邮编")
        || t.contains("郵編")
        || t.contains("郵遞區號")
        || t.contains("우편번호")
        || t.contains("(우)")
}

/// A US state and ZIP code ("… DC 20008", "Washington, DC 20008-1234") or a UK postcode
/// ("London SW1A 2AA") at the end of the line.
fn ends_with_postcode(t: &str) -> bool {
    let tokens: Vec<&str> = t
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|s| !s.is_empty())
        .collect();
    if tokens.len() < 3 {
        return false;
    }
    let (before, last) = (tokens[tokens.len() - 2], tokens[tokens.len() - 1]);
    // The state code must precede the ZIP: a number at the end of prose is not a ZIP.
    let us = is_us_zip(last) && before.len() == 2 && before.chars().all(|c| c.is_ascii_uppercase());
    us || is_uk_postcode(before, last)
}

/// "20008" or "20008-1234".
fn is_us_zip(s: &str) -> bool {
    let (a, b) = s.split_once('-').unwrap_or((s, ""));
    a.len() == 5
        && a.chars().all(|c| c.is_ascii_digit())
        && (b.is_empty() || (b.len() == 4 && b.chars().all(|c| c.is_ascii_digit())))
}

/// The outward and inward codes of a UK postcode: "SW1A" "2AA".
fn is_uk_postcode(out: &str, inw: &str) -> bool {
    let out_ok = (2..=4).contains(&out.len())
        && out.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && out
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        && out.chars().any(|c| c.is_ascii_digit());
    let b = inw.as_bytes();
    let in_ok = b.len() == 3
        && b[0].is_ascii_digit()
        && b[1].is_ascii_uppercase()
        && b[2].is_ascii_uppercase();
    out_ok && in_ok
}

/// The shape of a Chinese (北京市朝阳区三里屯路3号; 臺北市信義區…號), Japanese (東京都港区赤坂1-2-3)
/// or Korean (서울특별시 중구 세종대로 110) address.
fn is_east_asian_address(t: &str) -> bool {
    // Single characters are looked for as a set, in one pass (a substring search per
    // character was 2 % of parsing a Chinese issue: every short line is asked).
    let has = |set: &[&str]| set.iter().any(|w| t.contains(w));
    let has_digit = || t.chars().any(is_decimal_digit);
    let chinese = t.contains(['省', '市'])
        && t.contains(['区', '區', '路', '街', '道', '县', '縣'])
        && (t.ends_with(['号', '號', '楼', '樓', '室', '層', '层'])
            || has_digit() && t.contains(['号', '號']));
    let japanese = || {
        t.contains(['都', '道', '府', '県'])
            && t.contains(['区', '市', '町', '村'])
            && has_digit()
            && t.contains(['-', '－', '丁'])
    };
    let korean = || has(&["특별시", "광역시", "도 "]) && has(&["로 ", "길 ", "구 "]) && has_digit();
    chinese || japanese() || korean()
}

/// Street words written after the street's name ("45 Riverside Avenue", "10 Downing Street",
/// "1600 Pennsylvania Avenue NW"), compared in lower case.
const STREET_WORDS_AFTER: [&str; 38] = [
    "street",
    "st",
    "st.",
    "avenue",
    "ave",
    "ave.",
    "road",
    "rd",
    "rd.",
    "boulevard",
    "blvd",
    "blvd.",
    "lane",
    "drive",
    "dr",
    "dr.",
    "place",
    "square",
    "terrace",
    "way",
    "court",
    "crescent",
    "parade",
    "highway",
    "quay",
    "row",
    "close",
    "gardens",
    "grove",
    "mews",
    "walk",
    "circle",
    "plaza",
    "esplanade",
    "embankment",
    "strasse",
    "straße",
    "weg",
];

/// Street words written before the street's name ("2 rue de l'Élysée", "12 Via Nazionale"),
/// compared in lower case.
const STREET_WORDS_BEFORE: [&str; 15] = [
    "rue",
    "avenue",
    "boulevard",
    "bd",
    "place",
    "quai",
    "chemin",
    "allée",
    "impasse",
    "cours",
    "via",
    "viale",
    "piazza",
    "calle",
    "avenida",
];

/// Words naming a part of a building before its number ("Level 3", "Suite 200", "Unit 5B"),
/// compared in lower case.
const BUILDING_WORDS: [&str; 12] = [
    "level",
    "floor",
    "suite",
    "unit",
    "room",
    "flat",
    "apartment",
    "block",
    "building",
    "tower",
    "étage",
    "piano",
];

/// Lower-case words that stand inside a street's or a town's name ("2 rue de l'Élysée",
/// "5 Avenue des Champs-Élysées", "Frankfurt am Main").
fn name_particle(w: &str) -> bool {
    TOWN_PARTICLES.contains(&w)
        || w.starts_with("l'")
        || w.starts_with("d'")
        || w.starts_with("l’")
        || w.starts_with("d’")
}

/// A word of a name: capitalised, letters and the marks names carry.
fn name_word(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
        && w.chars()
            .all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '’' | '.'))
}

/// True for a street line standing alone: a house number, then the street's name with its
/// street word after it ("45 Riverside Avenue", "1600 Pennsylvania Avenue NW", "10 Downing
/// Street") or before it ("2 rue de l'Élysée", "12 Via Nazionale"); also after a floor or
/// building part ("Level 3, 45 Riverside Avenue"), and with the town, its postcode and the
/// country after it ("38 Nino Chkheidze Street, Tbilisi 0102, Georgia", "1 American Avenue
/// 0082 Yerevan, Armenia"). Not a postal line by itself: `build` takes it as one next to
/// another address line (a postcode, a town with its code, a contact line).
pub fn is_street_line(line: &str) -> bool {
    let t = line.trim();
    // Asked of every line: the cheap tests first (its length, a digit somewhere in it).
    if t.len() > 4 * 60 {
        return false;
    }
    if !t.contains(|c: char| c.is_ascii_digit())
        || t.chars().count() > 60
        || t.ends_with(['.', ',', ';', ':', '!', '?']) && !t.ends_with(" St.")
    {
        return false;
    }
    // The street is one part of the line; the others name a floor, suite or building
    // ("Level 3, 45 Riverside Avenue", "12 Harbour Road, Second Floor").
    let parts: Vec<&str> = t.split(',').map(str::trim).collect();
    let Some(k) = parts
        .iter()
        .position(|p| p.starts_with(|c: char| c.is_ascii_digit()))
    else {
        return false;
    };
    let building = |p: &str| {
        let words: Vec<&str> = p.split_whitespace().collect();
        (1..=4).contains(&words.len())
            && words
                .iter()
                .all(|w| name_word(w) || street_number(w) || name_particle(w))
            && name_word(words[0])
            // A number only after a building word ("Level 3", "Suite 200"), not "Since 2019".
            && (!p.contains(|c: char| c.is_ascii_digit())
                || words.iter().any(|w| BUILDING_WORDS.contains(&w.to_lowercase().as_str())))
    };
    // The town with its postcode may follow on the same line ("…, Tbilisi 0102, Georgia").
    let town = |p: &str| is_town_postcode(p) || postcode_town_with(p, true);
    if !parts
        .iter()
        .enumerate()
        .all(|(j, p)| j == k || building(p) || (j > k && town(p)))
    {
        return false;
    }
    let words: Vec<&str> = parts[k].split_whitespace().collect();
    if words.len() < 3 || words.len() > 8 || !street_number(words[0]) {
        return false;
    }
    let rest = &words[1..];
    // A compass point may follow the street word (US: "Avenue NW").
    let rest = match rest.split_last() {
        Some((last, before))
            if matches!(*last, "N" | "S" | "E" | "W" | "NE" | "NW" | "SE" | "SW") =>
        {
            before
        }
        _ => rest,
    };
    let lower = |w: &str| w.to_lowercase();
    // The postcode and the town may follow the street word in the same part ("1 American
    // Avenue 0082 Yerevan"): a code of four to six digits, then one to three name words.
    let rest = match rest
        .iter()
        .position(|w| w.bytes().all(|b| b.is_ascii_digit()))
    {
        Some(c)
            if c >= 2
                && (4..=6).contains(&rest[c].len())
                && (1..=3).contains(&(rest.len() - c - 1))
                && rest[c + 1..]
                    .iter()
                    .all(|w| name_word(w) && !w.ends_with('.')) =>
        {
            &rest[..c]
        }
        _ => rest,
    };
    let after = rest.len() >= 2
        && rest
            .last()
            .is_some_and(|w| STREET_WORDS_AFTER.contains(&lower(w).as_str()))
        && rest[..rest.len() - 1]
            .iter()
            .all(|w| name_word(w) || name_particle(w))
        && name_word(rest[0]);
    let before = rest.len() >= 2
        && STREET_WORDS_BEFORE.contains(&lower(rest[0]).as_str())
        && rest[1..].iter().all(|w| name_word(w) || name_particle(w))
        && rest[1..]
            .iter()
            .any(|w| name_word(w) || w.contains(['\'', '’']));
    after || before
}

/// A street number: up to five digits ("1600 Pennsylvania Avenue"), then letters or a range
/// ("12a", "3-5").
fn street_number(w: &str) -> bool {
    number_with_suffix(w, 5, 9)
}

/// True for a town followed by its postcode, as New Zealand, Australia and others write it
/// ("Wellington 6011", "Sydney NSW 2000", "Singapore 258508", "Lower Hutt 5010"). Such a line
/// is also a heading's shape ("Vision 2030", "Expo 2020"): `build` takes it as a postal line
/// only next to another address line.
pub fn is_town_postcode(line: &str) -> bool {
    let t = line.trim();
    // Asked of every line: the cheap tests first (a digit ends it, a few words long).
    if !t.ends_with(|c: char| c.is_ascii_digit()) || t.len() > 80 {
        return false;
    }
    let words: Vec<&str> = t.split_whitespace().collect();
    let Some((code, names)) = words.split_last() else {
        return false;
    };
    if !(4..=6).contains(&code.len()) || !code.chars().all(|c| c.is_ascii_digit()) {
        return false;
    }
    // An Australian state or territory may stand between the town and the code.
    let names = match names.split_last() {
        Some((state, before))
            if !before.is_empty()
                && (2..=3).contains(&state.len())
                && state.chars().all(|c| c.is_ascii_uppercase()) =>
        {
            before
        }
        _ => names,
    };
    (1..=4).contains(&names.len())
        && name_word(names[0])
        && !names[0].ends_with('.')
        && names.iter().all(|w| name_word(w) || name_particle(w))
}

/// Words and phrases of a valediction ("With best regards,", "Yours sincerely,", "Mit
/// freundlichen Grüßen", "此致"), compared in lower case.
const VALEDICTIONS: [&str; 22] = [
    "regards",
    "best wishes",
    "warm wishes",
    "sincerely",
    "faithfully",
    "yours truly",
    "respectfully",
    "cordially",
    "many thanks",
    "grüßen",
    "grüssen",
    "grüße",
    "cordialement",
    "salutations",
    "saluti",
    "saludos",
    "atentamente",
    "с уважением",
    "此致",
    "敬具",
    "敬上",
    "谨上",
];

/// True for a valediction on a line of its own ("With best regards,", "Yours sincerely,",
/// "Cordialement"): the closing lines start there, and the signature on the next line is not
/// the same sentence.
pub fn is_valediction(line: &str) -> bool {
    let t = line.trim().trim_end_matches([',', '!', '，', '！']);
    // Asked of every line: a long one is answered by its length in bytes.
    if t.is_empty()
        || t.len() > 4 * 40
        || t.chars().count() > 40
        || t.split_whitespace().count() > 7
    {
        return false;
    }
    if t.ends_with(['.', ':', ';', '?', '。', '：']) {
        return false;
    }
    let lower = t.to_lowercase();
    VALEDICTIONS.iter().any(|v| lower.contains(v))
}

/// True for the contact lines that continue an address (telephone, fax, e-mail, web).
pub fn is_contact_line(line: &str) -> bool {
    // Only the start is compared: the longest label ("téléphone") and the character after it
    // fit in 12 characters, lower-cased one by one (as `str::to_lowercase` does but for a
    // word-final Σ, which no label has).
    let lower: String = line
        .trim()
        .chars()
        .take(12)
        .flat_map(char::to_lowercase)
        .collect();
    [
        "tel",
        "phone",
        "fax",
        "e-mail",
        "email",
        "web",
        "电话",
        "電話",
        "传真",
        "傳真",
        "邮箱",
        "網址",
        "网址",
        "전화",
        "팩스",
        "tél",
        "téléphone",
        "courriel",
        "telefon",
        "teléfono",
        "telefono",
        "телефон",
        "тел",
    ]
    .iter()
    .any(|p| {
        lower.starts_with(p)
            && lower[p.len()..]
                .chars()
                .next()
                .is_some_and(|c| matches!(c, ':' | '：' | '.' | ' ' | '\u{a0}' | '\u{202f}'))
    })
        // Labels that are also words of prose ("Website of the embassy") count with a colon.
        || ["telephone", "mobile", "hotline", "website"].iter().any(|p| {
            lower.starts_with(p)
                && lower[p.len()..]
                    .trim_start_matches([' ', '\u{a0}', '\u{202f}'])
                    .starts_with([':', '：'])
        })
}

/// Words naming a diplomatic or government office: a line with one, next to an address, is
/// the address's organisation line ("Embassy of …", "中華人民共和国駐日本国大使館", "주한 중국대사관").
const ORGANISATION_WORDS: [&str; 26] = [
    "embassy",
    "consulate",
    "high commission",
    "permanent mission",
    "delegation of",
    "office of",
    "ambassade",
    "botschaft",
    "大使馆",
    "大使館",
    "领事馆",
    "領事館",
    "使馆",
    "使館",
    "代表处",
    "代表處",
    "办事处",
    "辦事處",
    "代表部",
    "대사관",
    "영사관",
    "대표부",
    "대표처",
    "사무소",
    "consulado",
    "embajada",
];

/// True for a short line that names an organisation such as an embassy or consulate.
pub fn is_organisation_line(line: &str) -> bool {
    let t = line.trim();
    if t.is_empty() || !is_short(t, SHORT_LATIN) || ends_like_prose(t) {
        return false;
    }
    let lower = t.to_lowercase();
    ORGANISATION_WORDS.iter().any(|w| lower.contains(w))
}

/// Phrases that mark closing lines of a newsletter when there is no address to anchor them.
const CLOSING_PHRASES: [&str; 22] = [
    "welcome",
    "unsubscribe",
    "subscribe",
    "suggest to a friend",
    "forward",
    "follow us",
    "contact us",
    "thank you",
    "feedback",
    "欢迎",
    "歡迎",
    "订阅",
    "訂閱",
    "退订",
    "转发",
    "轉發",
    "ご意見",
    "配信",
    "購読",
    "구독",
    "의견",
    "感想",
];

/// True when the line reads like a closing line ("Your comments are welcome.").
pub fn is_closing_phrase(line: &str) -> bool {
    let lower = line.to_lowercase();
    CLOSING_PHRASES.iter().any(|p| lower.contains(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `mostly_cjk` read to the end, without the early answer.
    fn mostly_cjk_whole(s: &str) -> bool {
        let cjk = s.chars().filter(|&c| is_cjk(c)).count();
        let other = s
            .chars()
            .filter(|&c| !is_cjk(c) && c.is_alphanumeric())
            .count();
        cjk > 0 && cjk * 2 >= other
    }

    proptest::proptest! {
        #[test]
        fn detect_mostly_cjk_early_answer_is_the_whole_answer(
            s in "[a-zA-Z0-9 .,é中文한글かな。，ａ]{0,80}"
        ) {
            proptest::prop_assert_eq!(mostly_cjk(&s), mostly_cjk_whole(&s));
        }
    }

    #[test]
    fn detect_mostly_cjk_near_the_balance() {
        // Two letters per CJK character is still CJK; one more letter is not, wherever it is.
        for s in ["ab中", "中ab", "a中b", "abcd中文", "中文abcd", "ab中cd文"] {
            assert!(mostly_cjk(s), "{s}");
            assert_eq!(mostly_cjk(s), mostly_cjk_whole(s));
        }
        for s in [
            "abc中",
            "中abc",
            "a中bc",
            "abcde中文",
            "中文abcde",
            "abc中de文",
            "abc",
        ] {
            assert!(!mostly_cjk(s), "{s}");
            assert_eq!(mostly_cjk(s), mostly_cjk_whole(s));
        }
    }

    #[test]
    fn detect_contact_lines_by_their_label_in_any_case() {
        for yes in [
            "Tel: +49 30 1234",
            "  TÉLÉPHONE : 01 23 45 67 89",
            "Téléphone\u{a0}: 01 23 45 67 89",
            "E-Mail: press@example.org",
            "ТЕЛЕФОН: +7 495 123",
            "电话：010-1234",
            "전화: 02-123",
            "Telephone: +64 4 555 0199",
            "Mobile : +64 21 555 0199",
            "Website: https://example.org",
        ] {
            assert!(is_contact_line(yes), "{yes}");
        }
        let long = format!("Fax. {}", "0123456789 ".repeat(200));
        assert!(is_contact_line(&long));
        for no in [
            "Telefonnummern stehen unten.",
            "Website of the embassy",
            "Telephone calls are free",
            "Mobile clinics opened",
            "Tele",
            "",
            "电话号码：010-1234",
        ] {
            assert!(!is_contact_line(no), "{no}");
        }
    }

    #[test]
    fn detect_link_lines() {
        assert!(link_line("You can read the full text of the Strategy here:").is_some());
        let (text, url) = link_line("Read it here: https://example.org/a").unwrap();
        assert_eq!(
            (text.as_str(), url.as_deref()),
            ("Read it here:", Some("https://example.org/a"))
        );
        assert!(link_line("全文链接：").is_some());
        assert!(link_line("The basic principles and approaches of the Strategy are:").is_none());
        assert!(link_line("We were there:").is_none());
    }

    #[test]
    fn detect_link_lines_in_other_languages() {
        for yes in [
            // French: a space, a no-break space, a narrow no-break space or none before the colon
            "Vous pouvez lire le texte intégral ici :",
            "Vous pouvez lire le texte intégral ici\u{a0}:",
            "Vous pouvez lire le texte intégral ici\u{202f}:",
            "Vous pouvez lire le texte intégral ici:",
            "Le rapport est disponible en ligne :",
            "Inscrivez-vous via ce lien :",
            "Le programme est à cette adresse :",
            "À cette adresse :",
            // German
            "Den vollständigen Bericht finden Sie hier:",
            "Mehr dazu unter folgendem Link:",
            "Das Programm steht online:",
            // Spanish, Portuguese, Italian
            "Puede leer el texto completo aquí:",
            "Más información en este enlace:",
            "Leia o texto completo aqui:",
            "Inscreva-se neste link:",
            "Il testo integrale è disponibile qui:",
            "Iscrivetevi a questo link:",
            // Russian, Arabic (with a right-to-left mark after the colon too)
            "Полный текст доклада можно прочитать здесь:",
            "Регистрация по ссылке:",
            "يمكنكم قراءة النص الكامل هنا:",
            "يمكنكم قراءة النص الكامل هنا:\u{200f}",
        ] {
            assert!(link_line(yes).is_some(), "{yes}");
        }
        let (text, url) = link_line("Lire le rapport ici : https://example.fr/rapport").unwrap();
        assert_eq!(
            (text.as_str(), url.as_deref()),
            ("Lire le rapport ici :", Some("https://example.fr/rapport"))
        );
        for no in [
            "Voici :",
            "Les priorités sont les suivantes :",
            "Ein Beispiel dafür:",
            "Wir sind hier", // no colon
            "Aquí está la lista.",
            "Antiqui:",
            "Здесь мы были.",
        ] {
            assert!(link_line(no).is_none(), "{no}");
        }
    }

    #[test]
    fn detect_organisation_lines() {
        for yes in [
            "Embassy of the People's Republic of China",
            "Consulate General of China in New York",
            "中華人民共和国駐日本国大使館",
            "中华人民共和国驻美利坚合众国大使馆",
            "中国驻大阪总领事馆",
            "주한 중국대사관",
            "주부산 중국총영사관",
        ] {
            assert!(is_organisation_line(yes), "{yes}");
        }
        for no in [
            "The embassy held a reception for two hundred guests last Friday.",
            "大使館では毎月セミナーを開催しています。",
            "Your comments are welcome.",
            "3505, International Place, NW Washington DC, 20008",
        ] {
            assert!(!is_organisation_line(no), "{no}");
        }
    }

    #[test]
    fn detect_street_lines() {
        for yes in [
            "45 Riverside Avenue",
            "10 Downing Street",
            "1600 Pennsylvania Avenue NW",
            "12a Queen's Road",
            "Level 3, 45 Riverside Avenue",
            "12 Harbour Road, Second Floor",
            "Suite 200, 1 Market Square, Civic Tower",
            "221B Baker St.",
            "2 rue de l'Élysée",
            "5 Avenue des Champs-Élysées",
            "12 Via Nazionale",
            "8 Tiergarten Straße",
            // With the town, its postcode and the country on the same line.
            "38 Nino Chkheidze Street, Tbilisi 0102, Georgia",
            "1 American Avenue 0082 Yerevan, Armenia",
            "45 Riverside Avenue, Wellington 6011",
            "12 Harbour Road, 10117 Berlin",
            "12 Main Street, 1010 Vienna",
            "12 Main Street, 1010 Vienna, Austria",
        ] {
            assert!(is_street_line(yes), "{yes}");
        }
        for no in [
            "Trade Section",
            "Riverside Avenue",
            "45 Avenue",
            "10 ways to trade",
            "3 new members joined the council",
            "In 2017, 45 Riverside Avenue became a museum",
            "45 Riverside Avenue.",
            "45 Riverside Avenue, where the office moved in 2019",
            "Since 2019, 45 Riverside Avenue",
            "100 Days of Reform",
            "2017 Berlin",
            "123456 Riverside Avenue",
            "Wellington 6011, 45 Riverside Avenue",
            "45 Riverside Avenue 2017 was a year",
            "3 Main Street 2017",
        ] {
            assert!(!is_street_line(no), "{no}");
        }
    }

    #[test]
    fn detect_towns_with_their_postcode_after_them() {
        for yes in [
            "Wellington 6011",
            "Lower Hutt 5010",
            "Sydney NSW 2000",
            "Canberra ACT 2600",
            "Singapore 258508",
        ] {
            assert!(is_town_postcode(yes), "{yes}");
        }
        for no in [
            "Wellington",
            "6011 Wellington",
            "wellington 6011",
            "Wellington 60",
            "Wellington 6011.",
            "Visitors numbered 6011",
            "The Fair Opens in Town 2024 x",
            "Singapore 2585081",
        ] {
            assert!(!is_town_postcode(no), "{no}");
        }
    }

    #[test]
    fn detect_towns_after_a_four_digit_postcode() {
        for yes in [
            "1010 Vienna",
            "1010 Wien",
            "3003 Bern",
            "1000 Bruxelles",
            "1050 København K",
            "Bundesplatz 3, 3003 Bern",
            "Main Street 12, 1010 Vienna",
            // Five digits too (a weaker test than `is_postal_line`'s, which takes them alone).
            "10117 Berlin",
        ] {
            assert!(is_four_digit_postcode_town(yes), "{yes}");
        }
        for no in [
            "1010",
            "Vienna 1010",
            "101 Vienna",
            "1010 vienna",
            "1010 Vienna.",
            "2017 was a good year",
            "In 2017 Berlin grew",
            "Since May, 2017 Berlin",
            "1010 Vienna and Graz and Linz and Salzburg and Innsbruck",
        ] {
            assert!(!is_four_digit_postcode_town(no), "{no}");
        }
        // A year and a town's name has the same shape: `build` decides by the lines around it.
        assert!(is_four_digit_postcode_town("2017 Berlin"));
        assert!(!is_postal_line("1010 Vienna"));
    }

    #[test]
    fn detect_valedictions() {
        for yes in [
            "With best regards,",
            "Kind regards",
            "Yours sincerely,",
            "Yours faithfully,",
            "Best wishes!",
            "With best wishes for the season,",
            "Mit freundlichen Grüßen",
            "Cordialement,",
            "Distinti saluti",
            "С уважением,",
            "此致",
        ] {
            assert!(is_valediction(yes), "{yes}");
        }
        for no in [
            "He sent his regards.",
            "Regards to the delegation were conveyed by the minister at length,",
            "We thank you sincerely for the many letters you sent us over the year,",
            "Trade Section",
            "",
        ] {
            assert!(!is_valediction(no), "{no}");
        }
    }

    #[test]
    fn detect_postal_lines() {
        for yes in [
            "3505, International Place, NW Washington DC, 20008",
            "Washington, DC 20008-1234",
            "49-51 Portland Place, London W1B 1JL",
            "北京市朝阳区三里屯路3号",
            "〒106-0046 東京都港区元麻布3-4-33",
            "서울특별시 중구 명동2길 27",
            "邮编：100600",
        ] {
            assert!(is_postal_line(yes), "{yes}");
        }
        for yes in [
            "69006 Lyon",
            "10117 Berlin",
            "75007 Paris CEDEX 07",
            "75700 Paris Cedex",
            "D-10117 Berlin",
            "F-75007 Paris",
            "CH-3003 Bern",
            "60311 Frankfurt am Main",
            "06108 Halle (Saale)",
            "42000 Saint-Étienne",
            "28001 Madrid",
            "00187 Roma",
            "Unter den Linden 1, 10117 Berlin",
            "2, rue de l'Élysée, 75008 Paris",
            "Via Nazionale 12a, 00184 Roma",
        ] {
            assert!(is_postal_line(yes), "{yes}");
        }
        for no in [
            "Embassy of the People's Republic of China",
            "In 2017 Berlin hosted the summit.",
            "In 2017 Berlin hosted the summit",
            "2017 Berlin hosted the summit",
            "2017 Berlin",
            "1990 Paris",
            "10117 Berlin.",
            "10117 Berlin hosted the summit",
            "12000 visitors came",
            "Im Jahr 2017, 12000 Besucher",
            "Wir erwarten, 12000 Besucher",
            "10117 berlin",
            "123456 Berlin",
            "Berlin 10117",
            "DE-10117x Berlin",
            "In 2017 over 20008 people came",
            "In March, attendance reached 10500",
            "Your comments are welcome.",
        ] {
            assert!(!is_postal_line(no), "{no}");
        }
    }
}
