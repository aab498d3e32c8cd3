//! quire: the plain text of a newsletter issue in, a print-ready paginated PDF out.
//!
//! The pipeline, one module per stage (see `../shared/DESIGN.md`):
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
//! No I/O happens below `src/cli/`: the library takes text and font bytes and returns
//! diagnostics and bytes.

pub mod cjk;
pub mod diag;
pub mod fonts;
pub mod layout;
pub mod model;
pub mod paginate;
pub mod pdf;
