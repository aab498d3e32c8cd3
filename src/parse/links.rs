//! Links inside running text: the URLs and e-mail addresses a reader can click.
//!
//! [`find_links`] finds them in any text the issue sets (paragraphs, list items, section
//! bodies, headings, address and closing lines, a URL on a line of its own); compose makes
//! each a live link annotation and the HTML mail an `<a href>`. What counts:
//!
//! - `http://…`, `https://…` and `mailto:…`, linked to themselves as written;
//! - `www.example.org…` (no scheme), linked to `https://www.example.org…`: every site that
//!   prints a `www.` address today answers on https, and a reader's browser would add the
//!   scheme the same way; a bare domain without `www.` (`example.org`, `Node.js`) is not
//!   linked, as it cannot be told from prose;
//! - a bare e-mail address `press@embassy.example`, linked to `mailto:press@embassy.example`
//!   (ASCII local part and domain, the domain with a dot and a top-level label of letters).
//!
//! A link starts at a word boundary (after a space, an opening bracket or quote, or a CJK
//! character) and ends before a space, a character no URL holds (`<>"`, `“”«»`, CJK text and
//! punctuation), and then gives back the punctuation that ends the sentence around it:
//! trailing `.,;:!?'*` and a closing bracket `)` `]` `}` that has no opening partner inside
//! the link. So `(see https://example.org/a).` links `https://example.org/a`, and the
//! Wikipedia style `https://en.wikipedia.org/wiki/Foo_(bar)` keeps its balanced parentheses.
//! Only http, https and mailto targets are made: `ftp://` or `javascript:` are left as text.

use std::ops::Range;

/// One link found in a text: where it is (byte range, the text printed as written) and
/// where it goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InlineLink {
    /// Byte range of the link's text in the searched string.
    pub range: Range<usize>,
    /// The URI it opens: the URL as written, `https://` + a `www.` address, or `mailto:` +
    /// an e-mail address.
    pub target: String,
}

/// The schemes a link may have as written, in lower case.
const SCHEMES: [&str; 3] = ["https://", "http://", "mailto:"];

/// Every link in `text`, in order, not overlapping.
pub fn find_links(text: &str) -> Vec<InlineLink> {
    let mut out = Vec::new();
    // Fast path: most paragraphs hold neither a scheme, "www." nor "@" (looked for in place:
    // a lowered copy of every paragraph, made twice per paragraph, was 3 % of a long issue's
    // serial time).
    if !(text.contains('@')
        || contains_ignore_ascii_case(text, "http")
        || contains_ignore_ascii_case(text, "mailto:")
        || contains_ignore_ascii_case(text, "www."))
    {
        return out;
    }
    let lower = text.to_ascii_lowercase();
    let mut i = 0;
    while i < text.len() {
        let rest = &lower[i..];
        let at_boundary = text[..i].chars().next_back().is_none_or(starts_after);
        let www = rest.starts_with("www.");
        let scheme = SCHEMES.iter().find(|s| rest.starts_with(**s));
        if at_boundary && (www || scheme.is_some()) {
            let end = i + url_extent(&text[i..]);
            let url = &text[i..end];
            let head = scheme.map_or(4, |s| s.len());
            if url.len() > head
                && valid_after_scheme(&url[head..], www || scheme == Some(&"mailto:"))
            {
                let target = if www {
                    format!("https://{url}")
                } else {
                    url.to_string()
                };
                out.push(InlineLink {
                    range: i..end,
                    target,
                });
                i = end;
                continue;
            }
        }
        i += text[i..].chars().next().map_or(1, char::len_utf8);
    }
    let mut emails = find_emails(text, &out);
    if !emails.is_empty() {
        out.append(&mut emails);
        out.sort_by_key(|l| l.range.start);
    }
    out
}

/// True when `needle` (ASCII, lower case) occurs in `text` in any ASCII case: what
/// `text.to_ascii_lowercase().contains(needle)` says, without the copy.
fn contains_ignore_ascii_case(text: &str, needle: &str) -> bool {
    let (hay, needle) = (text.as_bytes(), needle.as_bytes());
    let Some((&first, rest)) = needle.split_first() else {
        return true;
    };
    let mut from = 0;
    while let Some(k) = memchr::memchr2(first, first.to_ascii_uppercase(), &hay[from..]) {
        let at = from + k;
        if hay
            .get(at + 1..at + needle.len())
            .is_some_and(|tail| tail.eq_ignore_ascii_case(rest))
        {
            return true;
        }
        from = at + 1;
    }
    false
}

/// True when a link may start right after `c`: a space, an opening bracket or quote, or a CJK
/// character (CJK text sets URLs without spaces around them).
fn starts_after(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '(' | '['
                | '{'
                | '<'
                | '"'
                | '\''
                | '“'
                | '‘'
                | '«'
                | '‹'
                | '„'
                | '‚'
                | '>'
                | '—'
                | '–'
        )
        || crate::script::is_east_asian(c)
        || (!c.is_ascii() && !c.is_alphanumeric() && c != '\u{AD}')
}

/// True for a character a URL can hold (printed as written: non-ASCII letters of an IRI
/// such as `https://ru.wikipedia.org/wiki/Москва` included; CJK text is not).
fn url_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_graphic() && !matches!(c, '<' | '>' | '"' | '`' | '\\' | '^' | '|')
    } else {
        c.is_alphanumeric() && !crate::script::is_east_asian(c) || matches!(c, '\u{AD}')
    }
}

/// Length in bytes of the URL at the start of `s`: up to the first character no URL holds,
/// less the sentence's trailing punctuation and unbalanced closing brackets.
fn url_extent(s: &str) -> usize {
    let mut end = s
        .char_indices()
        .find(|&(_, c)| !url_char(c))
        .map_or(s.len(), |(i, _)| i);
    loop {
        let t = &s[..end];
        let Some(last) = t.chars().next_back() else {
            return 0;
        };
        let drop = match last {
            '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '*' | '\u{AD}' => true,
            ')' => t.matches('(').count() < t.matches(')').count(),
            ']' => t.matches('[').count() < t.matches(']').count(),
            '}' => t.matches('{').count() < t.matches('}').count(),
            _ => false,
        };
        if !drop {
            return end;
        }
        end -= last.len_utf8();
    }
}

/// The part after the scheme (or after "www.") makes a link: a host with a letter or digit,
/// and for "www." or "mailto:" a dot in it.
fn valid_after_scheme(rest: &str, needs_dot: bool) -> bool {
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    host.chars().any(char::is_alphanumeric) && (!needs_dot || host.contains('.'))
}

/// Bare e-mail addresses in `text` outside the links already found.
fn find_emails(text: &str, urls: &[InlineLink]) -> Vec<InlineLink> {
    let local_char =
        |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-');
    let domain_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-');
    let mut out = Vec::new();
    for (at, _) in text.match_indices('@') {
        if urls.iter().any(|u| u.range.contains(&at)) {
            continue;
        }
        let start = text[..at]
            .char_indices()
            .rev()
            .take_while(|&(_, c)| local_char(c))
            .last()
            .map_or(at, |(i, _)| i);
        // The local part neither starts nor ends with a dot.
        let start = start + text[start..at].len() - text[start..at].trim_start_matches('.').len();
        let local = &text[start..at];
        if local.is_empty() || local.ends_with('.') {
            continue;
        }
        if text[..start]
            .chars()
            .next_back()
            .is_some_and(|c| !starts_after(c))
        {
            continue; // part of a longer word ("a/b@c.d", "x:y@z.org")
        }
        let after = &text[at + 1..];
        let len = after
            .char_indices()
            .find(|&(_, c)| !domain_char(c))
            .map_or(after.len(), |(i, _)| i);
        let domain = after[..len].trim_end_matches(['.', '-']);
        let labels: Vec<&str> = domain.split('.').collect();
        let tld_ok = labels
            .last()
            .is_some_and(|t| t.len() >= 2 && t.chars().all(|c| c.is_ascii_alphabetic()));
        if labels.len() < 2 || !tld_ok || labels.iter().any(|l| l.is_empty()) {
            continue;
        }
        let end = at + 1 + domain.len();
        // "a@b.org@c" or "x@y.com/path" is no address.
        if text[end..].starts_with(['@', '/']) {
            continue;
        }
        out.push(InlineLink {
            range: start..end,
            target: format!("mailto:{}", &text[start..end]),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (text as printed, target) of each link.
    fn links(text: &str) -> Vec<(&str, String)> {
        find_links(text)
            .into_iter()
            .map(|l| (&text[l.range], l.target))
            .collect()
    }

    fn one(text: &str) -> (String, String) {
        let l = links(text);
        assert_eq!(l.len(), 1, "{text}: {l:?}");
        (l[0].0.to_string(), l[0].1.clone())
    }

    #[test]
    fn links_fast_path_search_ignores_ascii_case_only() {
        for (text, needle) in [
            ("see HTTPS://x", "http"),
            ("Www.Example.org", "www."),
            ("write MailTo:a@b.c", "mailto:"),
            ("hhttp", "http"),
            ("ending in htt", "http"),
            ("wwW.", "www."),
            ("中文http", "http"),
            ("", "http"),
            ("İhttp", "http"),
            ("no link here", "http"),
            ("ẞ www", "www."),
        ] {
            assert_eq!(
                contains_ignore_ascii_case(text, needle),
                text.to_ascii_lowercase().contains(needle),
                "{text:?} {needle:?}"
            );
        }
        assert_eq!(find_links("Visit WWW.EXAMPLE.ORG today").len(), 1);
        assert!(find_links("Nothing to see here.").is_empty());
    }

    #[test]
    fn links_trailing_punctuation_is_the_sentence_s() {
        for (text, url) in [
            ("(see https://example.org/a).", "https://example.org/a"),
            ("Read https://example.org/a.", "https://example.org/a"),
            ("At https://example.org/a, then", "https://example.org/a"),
            ("Is it https://example.org/?", "https://example.org/"),
            (
                "Go: https://example.org/a?x=1&y=2!",
                "https://example.org/a?x=1&y=2",
            ),
            ("“https://example.org/q”", "https://example.org/q"),
            ("'https://example.org/q';", "https://example.org/q"),
            ("[https://example.org/b]", "https://example.org/b"),
            ("https://example.org/a.html", "https://example.org/a.html"),
            (
                "«\u{a0}https://example.org/fr\u{a0}»",
                "https://example.org/fr",
            ),
        ] {
            assert_eq!(one(text), (url.to_string(), url.to_string()), "{text}");
        }
    }

    #[test]
    fn links_keep_balanced_parentheses() {
        let url = "https://en.wikipedia.org/wiki/Foo_(bar)";
        assert_eq!(one(url).0, url);
        assert_eq!(one(&format!("See {url}.")).0, url);
        assert_eq!(one(&format!("(see {url})")).0, url);
        assert_eq!(one(&format!("(see {url}).")).0, url);
    }

    #[test]
    fn links_emails_www_and_mailto() {
        assert_eq!(
            one("Write to press@embassy.example."),
            (
                "press@embassy.example".to_string(),
                "mailto:press@embassy.example".to_string()
            )
        );
        assert_eq!(
            one("mailto:press@embassy.example?subject=Hi"),
            (
                "mailto:press@embassy.example?subject=Hi".to_string(),
                "mailto:press@embassy.example?subject=Hi".to_string()
            )
        );
        assert_eq!(
            one("Visit www.example.org/news."),
            (
                "www.example.org/news".to_string(),
                "https://www.example.org/news".to_string()
            )
        );
        assert_eq!(
            one("E-mail: first.last+news@mail.example.co.uk"),
            (
                "first.last+news@mail.example.co.uk".to_string(),
                "mailto:first.last+news@mail.example.co.uk".to_string()
            )
        );
        // A user in a URL is part of the URL, not an address of its own.
        assert_eq!(
            one("https://user@example.org/x").0,
            "https://user@example.org/x"
        );
    }

    #[test]
    fn links_in_cjk_text_and_iris() {
        assert_eq!(
            one("详见https://example.cn/a。更多内容").0,
            "https://example.cn/a"
        );
        assert_eq!(one("請來信press@example.tw。").0, "press@example.tw");
        let iri = "https://ru.wikipedia.org/wiki/Москва";
        assert_eq!(one(&format!("См. {iri}.")).0, iri);
    }

    #[test]
    fn links_three_urls_and_an_email() {
        let l = links("See https://a.example/1, http://b.example/2 (or https://c.example/3). Mail x@d.example.");
        let shown: Vec<&str> = l.iter().map(|(t, _)| *t).collect();
        assert_eq!(
            shown,
            [
                "https://a.example/1",
                "http://b.example/2",
                "https://c.example/3",
                "x@d.example"
            ]
        );
    }

    #[test]
    fn links_not_made() {
        for text in [
            "No link here.",
            "ftp://example.org/file and javascript:alert(1)",
            "@home and user@ and @example.org",
            "a@b",
            "user@localhost",
            "the www. prefix",
            "https:// alone",
            "wwww.example.org",
            "xhttps://example.org",
            "http.example.org",
            "1@2.34",
            "Node.js and example.org",
        ] {
            assert!(links(text).is_empty(), "{text}: {:?}", links(text));
        }
    }
}
