//! `parse`: arbitrary bytes as an issue file, as `quire check` reads one: decode (encoding
//! detection), front matter, structure detection; then the `--json` report.
#![no_main]

use libfuzzer_sys::fuzz_target;
use quire::config::Config;
use quire::parse::{decode::decode, parse_issue};
use std::sync::LazyLock;

static BASE: LazyLock<Config> = LazyLock::new(Config::default);

fuzz_target!(|data: &[u8]| {
    // No --encoding: detection (BOMs, UTF-8, the NUL and invalid-byte diagnostics).
    let text = match decode("fuzz.txt", data, None) {
        Ok(t) => t,
        Err(d) => {
            assert!(d.is_error(), "an undecodable file is an error");
            return;
        }
    };
    let parsed = parse_issue("fuzz.txt", &text, &BASE);
    // Every diagnostic points into the text it was given (the CLI prints that line).
    let body = text.strip_prefix('\u{FEFF}').unwrap_or(&text);
    let lines = body.split('\n').count() as u32;
    for d in &parsed.diagnostics {
        assert!(
            d.line <= lines,
            "diagnostic line {} of {lines}: {d:?}",
            d.line
        );
    }
    // `quire check --json` serialises the model and the configuration.
    serde_json::to_string(&parsed.issue).expect("the issue serialises");
    serde_json::to_string(&parsed.config).expect("the configuration serialises");
});
