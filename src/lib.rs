//! quire: the plain text of a newsletter issue in, a print-ready paginated PDF out.
//!
//! The pipeline, one module per stage:
//!
//! ```text
//! issue text (+ front matter, quire.yaml)
//!   -> parse      : Issue model (masthead, headline, blocks, address, closing)
//!   -> compose    : styled paragraphs from the theme (fonts, sizes, spacing)
//!   -> inline     : itemize, shape, break, linebreak -> lines
//!   -> paginate   : pages (keep-with-next, widows/orphans, unsplittable blocks)
//!   -> pdf        : bytes (printpdf; the only module that imports it)
//! ```
//!
//! `mail` makes the e-mail edition (text and HTML bodies, the MIME message) from the same
//! model and the rendered PDF.
//!
//! `print` decides the print editions — a booklet imposed for folding (half-sheet pages,
//! saddle order, blanks, signatures, creep), a print shop's bleed and marks, PDF/X-4, grey
//! proofs — from quire.yaml's `print:` and the flags; `pdf::press` carries them out on the
//! finished PDF objects, so a booklet costs no second typesetting.
//!
//! `volume` binds several issues' pages into one annual volume (title page, contents,
//! continuous page numbers, nested outline) from the same stages, via `compose_issue`.
//!
//! No I/O happens below `src/cli/`: the library takes text and font bytes and returns
//! diagnostics and bytes.
//!
//! The other modules hold facts every stage asks for, each decided once: `lang` (a language
//! tag read into its CJK convention and face region), `l10n` (the words quire prints on a
//! page, one table of languages), `date` (calendar dates), `script`
//! (character classes), `cjk` (the CJK typesetting rules, with their CLREQ/JLREQ/KLREQ
//! clauses), `model` (the issue and its accessors), `config` and `theme` (quire.yaml and the
//! page design), `fonts` (the bundled faces), `layout` (the pages the PDF writer draws), `diag`.
//! `mem` is below all of them: the `memcpy`, `memmove` and `memcmp` of the musl build (C,
//! compiled by `src/build.rs`), which replace musl's slow short copies.
//!
//! Stage modules keep their parts private and re-export the few items callers need (as
//! typst's `typst-layout` and parley do): `inline` exports the paragraph layout, not its six
//! stages; `compose` exports `compose` and the margin setter that volumes share.
//!
//! Lint policy: every public item is documented (`missing_docs`), and `cargo clippy -- -D
//! warnings` is clean with clippy's default set. Exceptions are local, each with its reason
//! beside the `#[allow]`: `too_many_arguments` on three functions (a paragraph setter, the
//! shaper's hot path, the line assembler) where a struct would only rename the arguments.
#![warn(missing_docs)]

pub mod cjk;
pub mod compose;
pub mod config;
pub mod date;
pub mod diag;
pub mod fonts;
pub mod inline;
pub mod l10n;
pub mod lang;
pub mod layout;
pub mod mail;
mod mem;
pub mod model;
pub mod paginate;
pub mod parse;
pub mod pdf;
pub mod print;
pub mod script;
pub mod theme;
pub mod volume;

use diag::Diagnostic;

/// What `render` needs besides the text: the configuration and the command line's overrides.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// Paper size in pt, overriding quire.yaml and front matter (`--paper`).
    pub paper: Option<(f32, f32)>,
    /// Number of columns (`--columns`).
    pub columns: Option<u8>,
    /// Language of the text (`--lang`).
    pub lang: Option<String>,
    /// Seconds since the epoch for the PDF's dates when SOURCE_DATE_EPOCH is set; otherwise
    /// the issue's date is used, or `now` when the issue has none.
    pub source_date_epoch: Option<i64>,
    /// The current time, used only when neither SOURCE_DATE_EPOCH nor an issue date is known.
    pub now: i64,
    /// Also return the text dump of every set line (`--dump-lines`).
    pub dump_lines: bool,
    /// Write PDF/A at this level (`--pdfa`), over the configuration's `pdfa:`.
    pub pdfa: Option<pdf::PdfA>,
    /// The files a PDF/A-3b attaches as its source (the issue's text as read, the quire.yaml
    /// in force); any other PDF leaves them out.
    pub attachments: Vec<pdf::Attachment>,
    /// The print edition asked for on the command line (`--booklet`, `--print-shop`,
    /// `--pdfx`, `--grey`), over quire.yaml's `print:`.
    pub print: print::PrintFlags,
}

/// A rendered issue.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// The PDF file's bytes.
    pub pdf: Vec<u8>,
    /// The SHA-256 of `pdf`.
    pub pdf_sha256: [u8; 32],
    /// How many pages it has.
    pub pages: usize,
    /// Warnings (errors make `render` return `Err`).
    pub diagnostics: Vec<Diagnostic>,
    /// The parsed issue, its metadata resolved (front matter over text over quire.yaml).
    pub issue: model::Issue,
    /// The page design the issue was set in (its accent colour styles the e-mail edition).
    pub theme: theme::Theme,
    /// `dump_lines` output when asked for.
    pub dump: Option<String>,
    /// The PDF/A level the PDF claims (the command line's, else the configuration's).
    pub pdfa: Option<pdf::PdfA>,
    /// The booklet (sheets in saddle-stitch order), when one was asked for.
    pub booklet: Option<Vec<u8>>,
    /// The print edition the PDF was made as.
    pub print: print::PrintSetup,
}

/// Render one issue's decoded text to PDF bytes: the whole pipeline.
///
/// `name` names the file in diagnostics; `base` is the quire.yaml in force (or the default).
/// Returns every diagnostic as `Err` when any of them is an error; nothing is half-done.
pub fn render(
    name: &str,
    text: &str,
    base: &config::Config,
    book: &fonts::FontBook,
    opts: &RenderOptions,
) -> Result<Rendered, Vec<Diagnostic>> {
    // parse + compose + inline + paginate: text -> pages of set lines
    let composed = compose_issue(name, text, base, book, opts, &PageNumbers::default())?;
    let pages = composed.doc.pages.len();
    // pdf: pages -> bytes, PDF/A when the command line or the configuration asks
    let pdfa = opts.pdfa.or(composed.pdfa);
    let archive = pdfa.map(|level| pdf::Archive {
        level,
        attachments: &opts.attachments,
    });
    let written =
        pdf::write_print(composed.doc, book, archive.as_ref(), &composed.print).map_err(|e| {
            vec![Diagnostic::error(
                name,
                0,
                0,
                format!("cannot write the PDF: {e}"),
            )]
        })?;
    Ok(Rendered {
        pdf: written.pdf,
        pdf_sha256: written.pdf_sha256,
        booklet: written.booklet,
        print: composed.print,
        pages,
        diagnostics: composed.diagnostics,
        issue: composed.issue,
        theme: composed.theme,
        dump: composed.dump,
        pdfa,
    })
}

/// How the running footer numbers an issue's pages: stand-alone (the default) or as part of
/// a volume, where the issue starts after `offset` pages of a `total`-page book.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PageNumbers {
    /// Pages before the issue's first page.
    pub offset: usize,
    /// The book's page count; `None` for the issue's own count.
    pub total: Option<usize>,
}

/// An issue laid out into pages, not yet written as PDF.
#[derive(Debug, Clone)]
pub struct Composed {
    /// The pages, ready for the PDF writer.
    pub doc: layout::Document,
    /// The parsed issue, its metadata resolved.
    pub issue: model::Issue,
    /// The page design the issue was set in (a volume sets its title and contents pages in it).
    pub theme: theme::Theme,
    /// Warnings (errors make `compose_issue` return `Err`).
    pub diagnostics: Vec<Diagnostic>,
    /// `dump_lines` output when asked for.
    pub dump: Option<String>,
    /// The PDF/A level the configuration asks for (`pdfa:`, front matter over quire.yaml);
    /// `RenderOptions::pdfa` wins over it.
    pub pdfa: Option<pdf::PdfA>,
    /// The print edition (booklet, print shop, greys), from quire.yaml and the command line.
    pub print: print::PrintSetup,
}

/// Parse and lay out one issue's decoded text: every stage of `render` but the PDF writer.
///
/// `numbers` places the issue's pages in a larger book (see `volume`). Returns every
/// diagnostic as `Err` when any of them is an error.
pub fn compose_issue(
    name: &str,
    text: &str,
    base: &config::Config,
    book: &fonts::FontBook,
    opts: &RenderOptions,
    numbers: &PageNumbers,
) -> Result<Composed, Vec<Diagnostic>> {
    // parse: text -> model (front matter over text over quire.yaml)
    let mut parsed = parse::parse_issue(name, text, base);
    if diag::has_errors(&parsed.diagnostics) {
        return Err(parsed.diagnostics);
    }
    if let Some(lang) = &opts.lang {
        parsed.issue.meta.language = lang.clone();
    }
    let mut diagnostics = parsed.diagnostics;
    // theme: the page design from quire.yaml, front matter and the command line
    // User faces are those loaded from `fonts:`.
    let user_faces: Vec<(fonts::FaceId, String)> = book
        .faces()
        .filter(|(_, f)| f.user)
        .map(|(id, f)| (id, f.postscript_name.clone()))
        .collect();
    let names: Vec<String> = user_faces.iter().map(|(_, n)| n.clone()).collect();
    let mut theme = theme::Theme::from_config(&parsed.config, &parsed.issue.meta.language, &names)
        .map_err(|e| vec![Diagnostic::error(name, 0, 0, e.to_string())])?;
    // A user face named in the theme replaces the bundled face of its role.
    let custom = theme::user_font_keys(&parsed.config, &theme);
    let own_book;
    let book = if custom.is_empty() {
        book
    } else {
        let mut b = book.clone();
        for (font, key) in custom {
            if let Some((id, _)) = user_faces
                .iter()
                .find(|(_, n)| n.eq_ignore_ascii_case(&font))
            {
                b.assign(*id, key);
            }
        }
        own_book = b;
        &own_book
    };
    if let Some(p) = opts.paper {
        theme.paper = p;
    }
    if let Some(c) = opts.columns {
        theme.columns = c.clamp(1, 2);
    }
    // print: a booklet is set at half the paper it is printed on
    let pdfa = opts.pdfa.or(parsed.config.pdfa).is_some();
    let print = print::resolve(parsed.config.print.as_ref(), &opts.print, pdfa)
        .map_err(|e| vec![Diagnostic::error(name, 0, 0, e)])?;
    if print.booklet.is_some() {
        theme.paper = print::booklet_page(theme.paper);
    }
    if theme.text_width() < 72.0 || theme.text_height() < 72.0 {
        let e = theme::ThemeError::NoRoom {
            w: theme.paper.0,
            h: theme.paper.1,
        };
        return Err(vec![Diagnostic::error(name, 0, 0, e.to_string())]);
    }
    let timestamp = opts
        .source_date_epoch
        .or_else(|| parsed.issue.meta.date.map(date::IsoDate::epoch_seconds))
        .unwrap_or(opts.now);
    let copts = compose::ComposeOptions {
        omit: parsed
            .config
            .print
            .as_ref()
            .and_then(|p| p.omit.clone())
            .unwrap_or_default(),
        timestamp,
        dump_lines: opts.dump_lines,
        page_offset: numbers.offset,
        page_total: numbers.total,
    };
    // compose + inline + paginate: model -> pages of set lines
    let (doc, dump) = compose::compose(&parsed.issue, &theme, book, name, &copts, &mut diagnostics);
    if diag::has_errors(&diagnostics) {
        return Err(diagnostics);
    }
    Ok(Composed {
        doc,
        issue: parsed.issue,
        theme,
        diagnostics,
        dump,
        pdfa: parsed.config.pdfa,
        print,
    })
}
