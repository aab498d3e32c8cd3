//! `quire init [DIR]`: a new newsletter folder — a quire.yaml listing every key (commented
//! out, at its default), a sample issue, a .gitignore for the PDFs. Never replaces a file.

use super::args::InitArgs;
use super::io;
use quire::diag::Diagnostic;
use std::path::{Path, PathBuf};

/// quire.yaml: every key of `quire::config::Config`, commented out, each at its built-in
/// default (or an example where there is none). Checked against the schema by the tests.
pub const CONFIG_TEMPLATE: &str = include_str!("init/quire.yaml");

/// A short issue in every shape quire reads: masthead, headline and deck, paragraphs,
/// Roman-numeral sections, a lead-in and its list, a "… here:" link, an address, closings.
pub const SAMPLE_ISSUE: &str = include_str!("init/issue.txt");

/// The sample issue's file name.
pub const SAMPLE_NAME: &str = "2027-01.txt";

/// Keeps what quire makes out of git: the PDFs (made again from the text at will) and the
/// temporary files a killed run leaves.
const GITIGNORE: &str = "\
# The PDFs are made from the issues' text: `quire render`, `quire export`.
*.pdf
# Temporary files of a quire run that was killed while writing.
.*.quire-tmp-*
";

/// The files `quire init` makes, in the order it lists them, with what each is for.
fn files() -> [(&'static str, &'static str, &'static str); 3] {
    [
        (
            io::CONFIG_NAME,
            CONFIG_TEMPLATE,
            "settings: every key listed, commented out",
        ),
        (SAMPLE_NAME, SAMPLE_ISSUE, "a sample issue to edit or copy"),
        (".gitignore", GITIGNORE, "keeps the PDFs out of git"),
    ]
}

/// Make the folder's files; returns the exit code (0 made, 1 a file exists already or
/// cannot be written: then nothing is made).
pub fn run(args: &InitArgs) -> i32 {
    match init(&args.dir) {
        Ok(made) => {
            let shown = |p: &Path| p.display().to_string();
            let width = made.iter().map(|(p, _)| shown(p).len()).max().unwrap_or(0);
            println!("Made a newsletter folder:");
            for (path, what) in &made {
                println!("  {:width$}  {what}", shown(path));
            }
            let issue = args.dir.join(SAMPLE_NAME);
            let issue = issue.strip_prefix(".").unwrap_or(&issue);
            println!("Next: quire render {}", issue.display());
            println!(
                "  (or `quire watch {}` to render it again at every save)",
                issue.display()
            );
            0
        }
        Err(diags) => {
            for d in diags {
                super::report::emit(&d);
            }
            1
        }
    }
}

/// Check that none of the files exists, then write each atomically; the paths written and
/// what each is for. Any file already there is an error naming it, and nothing is written.
fn init(dir: &Path) -> Result<Vec<(PathBuf, &'static str)>, Vec<Diagnostic>> {
    let files = files();
    let mut taken: Vec<Diagnostic> = files
        .iter()
        .map(|(name, _, _)| dir.join(name))
        .filter(|p| p.symlink_metadata().is_ok())
        .map(|p| {
            Diagnostic::error(
                &p.display().to_string(),
                0,
                0,
                "exists already: quire init never replaces a file",
            )
        })
        .collect();
    if let Some(last) = taken.pop() {
        taken.push(last.with_hint("nothing was written; choose another folder: quire init DIR"));
        return Err(taken);
    }
    let shown = dir.display().to_string();
    if dir.exists() && !dir.is_dir() {
        return Err(vec![Diagnostic::error(
            &shown,
            0,
            0,
            "is a file, not a folder",
        )]);
    }
    std::fs::create_dir_all(dir).map_err(|e| {
        vec![Diagnostic::error(
            &shown,
            0,
            0,
            format!("cannot make the folder: {e}"),
        )]
    })?;
    let mut made = Vec::with_capacity(files.len());
    for (name, text, what) in files {
        let path = dir.join(name);
        io::write_atomic(&path, text.as_bytes()).map_err(|e| {
            vec![Diagnostic::error(
                &path.display().to_string(),
                0,
                0,
                format!("cannot write: {e}"),
            )]
        })?;
        made.push((path, what));
    }
    Ok(made)
}

#[cfg(test)]
mod tests {
    use super::*;
    use quire::config::Config;
    use quire::theme::{Style, Theme};
    use serde_yaml::Value;

    /// The template with its `#key: value` lines uncommented and its prose dropped: what a
    /// user gets by setting every key.
    fn uncommented() -> String {
        CONFIG_TEMPLATE
            .lines()
            .filter_map(|l| {
                let rest = l.strip_prefix('#')?;
                // `#key: value` and `#  nested: value` are settings; `# text` is prose.
                let setting = rest.starts_with("  ") || !rest.starts_with(' ') && !rest.is_empty();
                setting.then_some(rest)
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The keys serde accepts at `path` (`[]` for the top level, `["theme", "body"]` …), read
    /// from its "unknown field" error, so the list is the schema's own.
    fn schema_keys(path: &[String]) -> Vec<String> {
        let mut yaml = "{zzz_unknown: 1}".to_string();
        for key in path.iter().rev() {
            yaml = format!("{{{key}: {yaml}}}");
        }
        let e = serde_yaml::from_str::<Config>(&yaml)
            .unwrap_err()
            .to_string();
        assert!(e.contains("unknown field `zzz_unknown`"), "{path:?}: {e}");
        let listed = &e[e.find("expected").unwrap_or(e.len())..];
        let mut keys: Vec<String> = listed
            .split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect();
        keys.sort();
        keys
    }

    /// Every mapping of the uncommented template has exactly the keys the schema has there.
    fn check_keys(value: &Value, path: &mut Vec<String>, seen: &mut usize) {
        let Value::Mapping(map) = value else { return };
        let mut keys: Vec<String> = map
            .keys()
            .map(|k| k.as_str().expect("string keys").to_string())
            .collect();
        keys.sort();
        assert_eq!(
            keys,
            schema_keys(path),
            "keys of quire.yaml template at {path:?}"
        );
        *seen += keys.len();
        for (k, v) in map {
            path.push(k.as_str().unwrap_or_default().to_string());
            check_keys(v, path, seen);
            path.pop();
        }
    }

    #[test]
    fn init_template_is_all_comments_so_it_sets_nothing() {
        let c = Config::from_yaml("quire.yaml", CONFIG_TEMPLATE).unwrap();
        assert_eq!(c, Config::default());
    }

    #[test]
    fn init_template_lists_every_key_of_the_schema() {
        let text = uncommented();
        // Every value is valid: the template's examples load as they are.
        Config::from_yaml("quire.yaml", &text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        let value: Value = serde_yaml::from_str(&text).unwrap();
        let mut seen = 0;
        check_keys(&value, &mut Vec::new(), &mut seen);
        // Top level, margins, theme and its eight roles, print, export, mail.
        assert!(seen > 80, "{seen} keys");
    }

    #[test]
    fn init_template_values_are_the_defaults() {
        let c = Config::from_yaml("quire.yaml", &uncommented()).unwrap();
        let set = Theme::from_config(&c, "en", &[]).unwrap();
        let built_in = Theme::default_for("en");
        let near = |a: f32, b: f32, tol: f32| (a - b).abs() <= tol;
        assert!(
            near(set.paper.0, built_in.paper.0, 0.01) && near(set.paper.1, built_in.paper.1, 0.01)
        );
        for (a, b) in [
            (set.margin_top, built_in.margin_top),
            (set.margin_bottom, built_in.margin_bottom),
            (set.margin_left, built_in.margin_left),
            (set.margin_right, built_in.margin_right),
        ] {
            assert!(near(a, b, 0.01), "margin {a} vs {b}");
        }
        assert_eq!(set.columns, built_in.columns);
        let colour = |a: &quire::layout::Rgb, b: &quire::layout::Rgb| {
            let tol = 0.5 / 255.0;
            near(a.0, b.0, tol) && near(a.1, b.1, tol) && near(a.2, b.2, tol)
        };
        let same = |role: &str, a: &Style, b: &Style| {
            assert_eq!(
                (a.family, a.bold, a.italic),
                (b.family, b.bold, b.italic),
                "{role}"
            );
            assert!(
                near(a.size, b.size, 1e-4),
                "{role} size {} vs {}",
                a.size,
                b.size
            );
            assert!(
                near(a.leading, b.leading, 1e-4),
                "{role} leading {} vs {}",
                a.leading,
                b.leading
            );
            assert!(
                colour(&a.color, &b.color),
                "{role} colour {:?} vs {:?}",
                a.color,
                b.color
            );
        };
        for (role, a, b) in [
            ("body", &set.body, &built_in.body),
            ("masthead", &set.masthead, &built_in.masthead),
            // Not the masthead line: `Theme::from_config` gives it the masthead's family
            // whenever any `theme:` key is set (serif, where the built-in line is sans).
            ("headline", &set.headline, &built_in.headline),
            ("deck", &set.deck, &built_in.deck),
            ("heading", &set.heading, &built_in.heading),
            ("run-in", &set.run_in, &built_in.run_in),
            ("list", &set.list, &built_in.list),
            ("link url", &set.link_url, &built_in.link_url),
            ("address", &set.address, &built_in.address),
            ("closing", &set.closing, &built_in.closing),
            ("footer", &set.footer, &built_in.footer),
        ] {
            same(role, a, b);
        }
        assert!(colour(&set.accent, &built_in.accent));
        // What the template says of Chinese and Japanese text.
        let zh = Theme::default_for("zh-Hans");
        assert!(near(zh.body.leading, 1.6, 1e-6) && !zh.deck.italic);
    }

    #[test]
    fn init_sample_issue_reads_cleanly_in_every_shape() {
        let parsed = quire::parse::parse_issue(SAMPLE_NAME, SAMPLE_ISSUE, &Config::default());
        assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
        let json = serde_json::to_value(&parsed.issue).unwrap();
        assert!(json["masthead"]["number"] == 1, "{}", json["masthead"]);
        assert!(json["headline"].is_object() && json["deck"].is_object());
        let kinds: Vec<&str> = json["blocks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["type"].as_str().unwrap())
            .collect();
        for kind in [
            "paragraph",
            "sections",
            "list",
            "link",
            "address",
            "closing",
        ] {
            assert!(kinds.contains(&kind), "{kind} missing from {kinds:?}");
        }
    }

    #[test]
    fn init_refuses_any_existing_file_and_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(".gitignore"), "mine\n").unwrap();
        let e = init(dir.path()).unwrap_err();
        assert_eq!(e.len(), 1);
        assert!(e[0].to_string().contains(".gitignore"), "{}", e[0]);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        let sub = dir.path().join("new").join("letter");
        let made = init(&sub).unwrap();
        assert_eq!(made.len(), 3);
        assert_eq!(
            std::fs::read_to_string(sub.join(SAMPLE_NAME)).unwrap(),
            SAMPLE_ISSUE
        );
    }
}
