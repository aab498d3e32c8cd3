//! The e-mail edition of an issue: `quire mail` sends the PDF attached to a message whose
//! bodies are the same issue as plain text and as e-mail-safe HTML.
//!
//! ```text
//! Issue model (parse)            the PDF bytes (render)
//!   -> text   : text/plain body, lines <= 78 columns, every URL written out
//!   -> html   : text/html body, one 600 px column, inline CSS, live links
//!   -> template: the subject and the unsubscribe link from `{placeholders}`
//!   -> message: RFC 5322 / MIME bytes (lettre's builder): multipart/mixed holding
//!               multipart/alternative (text, html) and the PDF; deterministic ids
//! readers.csv -> list: the readers (email, name, language, other columns), with the
//!               rows skipped and why
//! ```
//!
//! Like the rest of the library this module does no I/O: the CLI (`src/cli/mail/`) reads the
//! files, renders each edition once, and sends or writes the bytes built here.
//!
//! Body contract (both bodies are built once per edition; a reader's own unsubscribe note is
//! added per message):
//! - `text::plain_text(issue)`: masthead, headline, deck, paragraphs, headings, sections with
//!   their numerals (hanging indent), lists with their markers, each "…here:" line followed by
//!   its URL, the address, the closing; lines of at most [`TEXT_WIDTH`] display columns (East
//!   Asian wide characters count two), a URL longer than that stands whole on its own line.
//! - `html::html_body(issue, accent)`: a complete HTML document (`lang` set) whose
//!   `render(Some(note))` places the unsubscribe note at the foot.

mod html;
mod list;
mod message;
mod template;
mod text;

pub use html::{html_body, HtmlBody};
pub use list::{check_address, parse_readers, Reader, Readers};
pub use message::{
    build_message, content_disposition, Built, Edition, MailError, Recipients, Settings,
};
pub use template::{normalise, url_escape, Template, TemplateError};
pub use text::{plain_text, text_footer};

/// The longest line of the text/plain body, in display columns (RFC 5322 §2.1.1 asks for
/// at most 78 characters a line).
pub const TEXT_WIDTH: usize = 78;
