//! `config`: arbitrary bytes as a quire.yaml and as an issue's front matter, then the page
//! design built from them (`Theme::from_config`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use quire::config::Config;
use quire::parse::{front, parse_issue};
use quire::theme::Theme;

/// Faces a `font:` key may name (as if loaded from `fonts:`).
const USER_FACES: &[&str] = &["UserSerif-Regular", "NotoSerif-Regular"];

fn theme(cfg: &Config, lang: &str) {
    let names: Vec<String> = USER_FACES.iter().map(|s| s.to_string()).collect();
    if let Ok(t) = Theme::from_config(cfg, lang, &names) {
        // The geometry render checks before setting text.
        let _ = (
            t.text_width(),
            t.text_height(),
            t.column_width(),
            t.body.line_height(),
        );
        let _ = quire::theme::user_font_keys(cfg, &t);
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(yaml) = std::str::from_utf8(data) else {
        return;
    };
    // As quire.yaml.
    let _ = Config::empty_colour_warnings("quire.yaml", yaml);
    if let Ok(cfg) = Config::from_yaml("quire.yaml", yaml) {
        serde_json::to_string(&cfg).expect("a configuration serialises");
        theme(&cfg, "en");
        let merged = Config::default().merged_over(&cfg);
        theme(&merged, "ja");
    }
    // As front matter: split, then the effective configuration parse_issue resolves.
    let text = format!("---\n{yaml}\n---\nThe body.\n");
    let split = front::split("fuzz.txt", &text);
    if let Some(Ok(cfg)) = &split.front {
        theme(cfg, "en");
    }
    let parsed = parse_issue("fuzz.txt", &text, &Config::default());
    theme(&parsed.config, &parsed.issue.meta.language);
});
