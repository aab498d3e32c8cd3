//! Plain text to the document model: front matter, structure detection, checks. Never panics.
pub mod decode;
pub mod detect;
pub mod numeral;
