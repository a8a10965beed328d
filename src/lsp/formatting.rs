//! Formatting: the whole document in `fermi fmt`'s layout, as one edit (none when it is
//! already formatted or does not parse — its diagnostics already say why).
//!
//! Architecture Invariant: the layout is `syntax::fmt::format`'s.

use super::documents::Document;
use lsp_types::{Position, Range, TextEdit};

/// The edits that format a document.
pub(crate) fn edits(doc: &Document) -> Option<Vec<TextEdit>> {
    let formatted = crate::syntax::fmt::format(&doc.source).ok()?;
    if formatted == doc.text() {
        return Some(Vec::new());
    }
    let end = doc.lines.position(doc.text(), doc.text().len());
    Some(vec![TextEdit { range: Range { start: Position::default(), end }, new_text: formatted }])
}
