//! Bytes to text: UTF-8 (with or without BOM), UTF-16 with BOM, or a named legacy encoding.
//!
//! Never mojibake, never a silent U+FFFD: bytes that do not decode are an error naming the
//! byte offset, with a hint naming the legacy encodings the file does decode as.

use crate::diag::Diagnostic;
use encoding_rs::{DecoderResult, Encoding, BIG5, GB18030, SHIFT_JIS, WINDOWS_1252};

/// Decode an issue file's bytes to text with `\n` line ends and no BOM.
///
/// `name` is the file name used in diagnostics; `encoding` is an encoding label
/// (`gb18030`, `big5`, `shift_jis`, `windows-1252`, `utf-16le` …) that overrides detection.
pub fn decode(name: &str, bytes: &[u8], encoding: Option<&str>) -> Result<String, Diagnostic> {
    let text = match encoding {
        Some(label) => {
            let enc = Encoding::for_label(label.trim().as_bytes()).ok_or_else(|| {
                Diagnostic::error(name, 0, 0, format!("unknown encoding `{label}`"))
                    .with_hint("use a WHATWG label such as utf-8, utf-16le, gb18030, big5, shift_jis, euc-kr or windows-1252")
            })?;
            let (enc, body) = match Encoding::for_bom(bytes) {
                Some((bom_enc, len)) if bom_enc == enc => (enc, &bytes[len..]),
                _ => (enc, bytes),
            };
            decode_strict(name, enc, body, bytes.len() - body.len())?
        }
        None => detect(name, bytes)?,
    };
    Ok(normalize_newlines(&text))
}

fn detect(name: &str, bytes: &[u8]) -> Result<String, Diagnostic> {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        return decode_strict(name, enc, &bytes[bom_len..], bom_len);
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => {
            if let Some(offset) = s.find('\0') {
                let (line, column) = position(bytes, offset);
                let guess = if offset % 2 == 0 {
                    "utf-16be"
                } else {
                    "utf-16le"
                };
                return Err(Diagnostic::error(
                    name,
                    line,
                    column,
                    format!("NUL byte at byte offset {offset}: this is not a text file in UTF-8"),
                )
                .with_hint(format!(
                    "if it is UTF-16 without a byte-order mark, use --encoding {guess} \
                     (or `encoding: {guess}` in quire.yaml)"
                )));
            }
            Ok(s.to_string())
        }
        Err(e) => {
            let offset = e.valid_up_to();
            let (line, column) = position(bytes, offset);
            let clean: Vec<&str> = [GB18030, BIG5, SHIFT_JIS, WINDOWS_1252]
                .into_iter()
                .filter(|enc| plausible(enc, bytes))
                .map(|enc| enc.name())
                .collect();
            let diag = Diagnostic::error(
                name,
                line,
                column,
                format!("invalid UTF-8 at byte offset {offset}"),
            );
            Err(match clean.first() {
                Some(first) => diag.with_hint(format!(
                    "the file decodes cleanly as {}; to read it that way use --encoding {} \
                     (or `encoding: {}` in quire.yaml)",
                    clean.join(", "),
                    first.to_ascii_lowercase(),
                    first.to_ascii_lowercase()
                )),
                None => diag.with_hint(
                    "convert the file to UTF-8, or name its encoding with --encoding NAME \
                     (or `encoding: NAME` in quire.yaml)",
                ),
            })
        }
    }
}

/// True when `bytes` decode under `enc` with no errors and every non-ASCII character is one
/// that encoding is used for (CJK text for the CJK encodings, Latin text for Windows-1252),
/// so a Latin-1 "café" is not offered as GB18030.
fn plausible(enc: &'static Encoding, bytes: &[u8]) -> bool {
    let Some(text) = enc.decode_without_bom_handling_and_without_replacement(bytes) else {
        return false;
    };
    if enc == WINDOWS_1252 {
        // Latin text has accented letters here and there; three in a row is CJK bytes misread.
        let mut run = 0;
        for c in text.chars() {
            run = if c.is_ascii() { 0 } else { run + 1 };
            if run >= 3 {
                return false;
            }
        }
    }
    text.chars().filter(|c| !c.is_ascii()).all(|c| {
        let cp = c as u32;
        let cjk = matches!(cp, 0x2E80..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF | 0x2000..=0x206F | 0x00B7);
        if enc == WINDOWS_1252 {
            // Latin-1 letters and the typographic punctuation of 0x80..0x9F, no C1 controls.
            matches!(cp, 0xA0..=0x24F | 0x2010..=0x203A | 0x20AC | 0x2122 | 0x02C6 | 0x02DC)
        } else {
            cjk || c.is_alphabetic() && enc != SHIFT_JIS && cp < 0x0250
        }
    })
}

fn decode_strict(
    name: &str,
    enc: &'static Encoding,
    body: &[u8],
    skipped: usize,
) -> Result<String, Diagnostic> {
    let mut decoder = enc.new_decoder_without_bom_handling();
    let cap = decoder
        .max_utf8_buffer_length_without_replacement(body.len())
        .unwrap_or(body.len().saturating_mul(3));
    let mut out = String::with_capacity(cap);
    let mut read = 0usize;
    loop {
        let (result, n) =
            decoder.decode_to_string_without_replacement(&body[read..], &mut out, true);
        read += n;
        match result {
            DecoderResult::InputEmpty => break,
            DecoderResult::OutputFull => out.reserve(body.len().max(16)),
            DecoderResult::Malformed(bad, after) => {
                let offset = (skipped + read).saturating_sub(after as usize + bad as usize);
                // Where the text decoded so far ends: the line and character column the
                // diagnostic's source line (decoded the same way) shows.
                let (line, column) = text_position(&out);
                return Err(Diagnostic::error(
                    name,
                    line,
                    column,
                    format!("invalid {} at byte offset {offset}", enc.name()),
                )
                .with_hint("the bytes there do not decode; check the encoding, or convert the file to UTF-8"));
            }
        }
    }
    Ok(out
        .strip_prefix('\u{FEFF}')
        .map(str::to_string)
        .unwrap_or(out))
}

/// 1-based line and column of `offset` in UTF-8 `bytes` valid up to it, counting `\n` line
/// ends; the column in characters, as every diagnostic counts it.
fn position(bytes: &[u8], offset: usize) -> (u32, u32) {
    let before = &bytes[..offset.min(bytes.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let col = match std::str::from_utf8(&before[start..]) {
        Ok(s) => s.chars().count(),
        Err(_) => before.len() - start,
    } + 1;
    (
        u32::try_from(line).unwrap_or(u32::MAX),
        u32::try_from(col).unwrap_or(u32::MAX),
    )
}

/// 1-based line and character column just after `decoded`, the text read so far.
fn text_position(decoded: &str) -> (u32, u32) {
    let line = decoded.matches('\n').count() + 1;
    let col = decoded.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (
        u32::try_from(line).unwrap_or(u32::MAX),
        u32::try_from(col).unwrap_or(u32::MAX),
    )
}

/// CRLF and lone CR become LF.
fn normalize_newlines(text: &str) -> String {
    if !text.contains('\r') {
        return text.to_string();
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_utf8_plain_and_bom() {
        assert_eq!(
            decode("a", "Ⅳ of 2017".as_bytes(), None).unwrap(),
            "Ⅳ of 2017"
        );
        let mut b = vec![0xEF, 0xBB, 0xBF];
        b.extend_from_slice("héllo".as_bytes());
        assert_eq!(decode("a", &b, None).unwrap(), "héllo");
    }

    #[test]
    fn decode_crlf_and_cr_become_lf() {
        assert_eq!(decode("a", b"a\r\nb\rc\n", None).unwrap(), "a\nb\nc\n");
    }

    #[test]
    fn decode_utf16_with_bom_both_orders() {
        let text = "简讯 2017年第四期\r\nⅠ．";
        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        for u in text.encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
            be.extend_from_slice(&u.to_be_bytes());
        }
        assert_eq!(decode("a", &le, None).unwrap(), "简讯 2017年第四期\nⅠ．");
        assert_eq!(decode("a", &be, None).unwrap(), "简讯 2017年第四期\nⅠ．");
    }

    #[test]
    fn decode_invalid_utf8_names_offset_and_gb18030() {
        let (gbk, _, _) = GB18030.encode("第一\n简讯");
        let mut bytes = b"ok\n".to_vec();
        bytes.extend_from_slice(&gbk);
        let err = decode("x.txt", &bytes, None).unwrap_err();
        assert!(err.message.contains("byte offset 3"), "{}", err.message);
        assert_eq!((err.line, err.column), (2, 1));
        let hint = err.hint.unwrap_or_default();
        assert!(hint.contains("--encoding gb18030"), "{hint}");
        assert_eq!(
            decode("x.txt", &bytes, Some("gb18030")).unwrap(),
            "ok\n第一\n简讯"
        );
    }

    #[test]
    fn decode_error_columns_count_characters_not_bytes() {
        // "café ☕ " is 7 characters and 10 bytes: the bad byte is in column 8.
        let err = decode("x.txt", "ok\ncafé ☕ \u{0}".as_bytes(), None).unwrap_err();
        assert_eq!((err.line, err.column), (2, 8), "{}", err.message);
        let mut bytes = "ok\ncafé ☕ ".as_bytes().to_vec();
        bytes.push(0xFF);
        let err = decode("x.txt", &bytes, None).unwrap_err();
        assert_eq!((err.line, err.column), (2, 8), "{}", err.message);
        // Shift_JIS: "日本" decodes, then a lone lead byte; UTF-16: an unpaired surrogate.
        let (sjis, _, _) = SHIFT_JIS.encode("a\n日本");
        let mut bytes = sjis.into_owned();
        bytes.push(0x81);
        let err = decode("x.txt", &bytes, Some("shift_jis")).unwrap_err();
        assert_eq!((err.line, err.column), (2, 3), "{}", err.message);
        let err = decode(
            "x.txt",
            &[0xFF, 0xFE, 0x41, 0x00, 0x0A, 0x00, 0x42, 0x00, 0x00, 0xD8],
            None,
        )
        .unwrap_err();
        assert_eq!((err.line, err.column), (2, 2), "{}", err.message);
    }

    #[test]
    fn decode_latin1_suggests_windows_1252_only() {
        let err = decode("x.txt", b"caf\xe9 au lait", None).unwrap_err();
        let hint = err.hint.unwrap_or_default();
        assert!(hint.contains("--encoding windows-1252"), "{hint}");
        assert!(!hint.contains("GB18030"), "{hint}");
    }

    #[test]
    fn decode_utf16_unpaired_surrogate_is_error() {
        let bytes = [0xFF, 0xFE, 0x41, 0x00, 0x00, 0xD8, 0x41, 0x00];
        let err = decode("x.txt", &bytes, None).unwrap_err();
        assert!(err.message.contains("UTF-16LE"), "{}", err.message);
    }

    #[test]
    fn decode_nul_bytes_hint_utf16() {
        let err = decode("x.txt", b"a\0b\0", None).unwrap_err();
        assert!(err.hint.unwrap_or_default().contains("utf-16le"));
    }

    #[test]
    fn decode_unknown_label_is_error() {
        let err = decode("x.txt", b"abc", Some("klingon")).unwrap_err();
        assert!(err.message.contains("klingon"));
    }
}
