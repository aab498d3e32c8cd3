//! From the walk's results to the jobs: each issue's output name (clashes found up front), the
//! quire.yaml in force for it (loaded once per folder) and the font book that configuration
//! asks for (loaded once per distinct font list).

use super::cache::hex;
use super::walk;
use crate::cli::io;
use quire::config::Config;
use quire::diag::Diagnostic;
use quire::fonts::FontBook;
use quire::pdf::Attachment;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One issue to export.
pub struct Job {
    pub found: walk::Found,
    /// The relative source as shown ('/' separators).
    pub source: String,
    pub out_rel: PathBuf,
    /// Index into `Setup::configs`.
    pub config: usize,
    /// Set when the job cannot run (two sources with one output name).
    pub clash: Option<String>,
}

/// A quire.yaml in force (with the hash of its effective contents and fonts) and the font
/// book it asks for.
pub struct ConfigInUse {
    pub config: Result<(Config, String), Diagnostic>,
    pub book: Result<Arc<FontBook>, Diagnostic>,
    /// The quire.yaml's path and bytes as a PDF/A-3b attaches them; `None` for the defaults.
    pub yaml: Option<(PathBuf, Attachment)>,
}

/// The jobs in source order, with the configurations they use.
pub fn plan(dir: &Path, found: Vec<walk::Found>) -> (Vec<Job>, Vec<ConfigInUse>) {
    let mut configs = Configs::new();
    let mut outputs: HashMap<PathBuf, String> = HashMap::new();
    let mut jobs = Vec::with_capacity(found.len());
    for f in found {
        let folder = dir.join(f.rel.parent().unwrap_or(Path::new("")));
        let config = configs.for_folder(folder);
        let source = slash(&f.rel);
        let (out_rel, clash) = output_of(&mut outputs, &f.rel, &source);
        jobs.push(Job {
            found: f,
            source,
            out_rel,
            config,
            clash,
        });
    }
    (jobs, configs.list)
}

/// The output path of the issue at `rel` (named `source`) and, when it cannot be written, why:
/// an earlier issue in `outputs` already has that output, or the path is not plain.
fn output_of(
    outputs: &mut HashMap<PathBuf, String>,
    rel: &Path,
    source: &str,
) -> (PathBuf, Option<String>) {
    let Some(o) = walk::output_rel(rel) else {
        return (
            PathBuf::new(),
            Some("its path is not a plain relative path".to_string()),
        );
    };
    let clash = outputs.get(&o).map(|other| {
        format!(
            "its PDF would be {} like {other}'s; rename one of them",
            slash(&o)
        )
    });
    outputs
        .entry(o.clone())
        .or_insert_with(|| source.to_string());
    (o, clash)
}

/// The configurations loaded so far, each once, and the font books they ask for.
struct Configs {
    by_folder: HashMap<PathBuf, usize>,
    by_yaml: HashMap<Option<PathBuf>, usize>,
    books: HashMap<Vec<String>, Result<Arc<FontBook>, Diagnostic>>,
    bundled: Arc<FontBook>,
    list: Vec<ConfigInUse>,
}

impl Configs {
    fn new() -> Configs {
        Configs {
            by_folder: HashMap::new(),
            by_yaml: HashMap::new(),
            books: HashMap::new(),
            bundled: Arc::new(FontBook::bundled()),
            list: Vec::new(),
        }
    }

    /// The index in `list` of the configuration for the issues in `folder`: the nearest
    /// quire.yaml's (or the defaults), loaded the first time it is asked for.
    fn for_folder(&mut self, folder: PathBuf) -> usize {
        if let Some(&i) = self.by_folder.get(&folder) {
            return i;
        }
        let yaml = io::find_config(&folder.join(io::CONFIG_NAME));
        let i = match self.by_yaml.get(&yaml) {
            Some(&i) => i,
            None => {
                let loaded = self.load(yaml.as_deref());
                self.list.push(loaded);
                self.by_yaml.insert(yaml, self.list.len() - 1);
                self.list.len() - 1
            }
        };
        self.by_folder.insert(folder, i);
        i
    }

    /// Load a quire.yaml (`None`: the defaults), its hash and its font book.
    fn load(&mut self, yaml: Option<&Path>) -> ConfigInUse {
        let loaded = match yaml {
            Some(p) => io::load_config(p),
            None => Ok(Config::default()),
        };
        let book = match &loaded {
            Ok(c) => {
                let fonts: Vec<String> = c.fonts.clone().unwrap_or_default();
                let bundled = &self.bundled;
                self.books
                    .entry(fonts.clone())
                    .or_insert_with(|| load_book(bundled, &fonts))
                    .clone()
            }
            Err(d) => Err(d.clone()),
        };
        // Read again for PDF/A-3b, which attaches it as it is (comments and all).
        let attached = yaml.and_then(|p| {
            crate::cli::attach::config(p, None)
                .ok()
                .map(|a| (p.to_path_buf(), a))
        });
        let config = loaded.map(|c| {
            let json = serde_json::to_string(&c).unwrap_or_default();
            let fonts = match &book {
                Ok(_) => font_hashes(c.fonts.as_deref().unwrap_or(&[])),
                Err(_) => String::new(),
            };
            (c, hex(&Sha256::digest(format!("{json}\n{fonts}"))))
        });
        ConfigInUse {
            config,
            book,
            yaml: attached,
        }
    }
}

/// The bundled faces plus quire.yaml's `fonts`.
fn load_book(bundled: &Arc<FontBook>, fonts: &[String]) -> Result<Arc<FontBook>, Diagnostic> {
    if fonts.is_empty() {
        return Ok(bundled.clone());
    }
    let mut book = FontBook::clone(bundled);
    let paths: Vec<PathBuf> = fonts.iter().map(PathBuf::from).collect();
    io::add_fonts(&mut book, &paths, None)?;
    Ok(Arc::new(book))
}

/// The fonts' contents as hashes, so replacing a font file re-renders its issues.
pub fn font_hashes(fonts: &[String]) -> String {
    fonts
        .iter()
        .map(|f| {
            fs::read(f)
                .map(|b| hex(&Sha256::digest(b)))
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// `book` with `fonts` added (the same book when there are none); errors name `listed_in`.
pub fn with_fonts(
    book: &Arc<FontBook>,
    fonts: &[PathBuf],
    listed_in: &str,
) -> Result<Arc<FontBook>, Diagnostic> {
    if fonts.is_empty() {
        return Ok(book.clone());
    }
    let mut b = FontBook::clone(book);
    io::add_fonts(&mut b, fonts, Some(listed_in))?;
    Ok(Arc::new(b))
}

/// A relative path with '/' between its parts, whatever the platform.
pub fn slash(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}
