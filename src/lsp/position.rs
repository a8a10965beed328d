//! Positions: byte offsets into a document's text to LSP line and character and back, with
//! characters counted in UTF-16 code units (the protocol's default) or in UTF-8 bytes when
//! the client offers it.
//!
//! Architecture Invariant: every conversion clamps to the text and to a character boundary;
//! a position past the last line is `None`, never a panic.

use crate::source::Span;
use lsp_types::{Position, Range};

/// How the client counts characters in a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Encoding {
    /// UTF-16 code units (the protocol's default).
    #[default]
    Utf16,
    /// UTF-8 bytes.
    Utf8,
}

impl Encoding {
    /// The name the protocol uses.
    pub(crate) fn kind(self) -> lsp_types::PositionEncodingKind {
        match self {
            Encoding::Utf16 => lsp_types::PositionEncodingKind::UTF16,
            Encoding::Utf8 => lsp_types::PositionEncodingKind::UTF8,
        }
    }

    fn width(self, c: char) -> usize {
        match self {
            Encoding::Utf16 => c.len_utf16(),
            Encoding::Utf8 => c.len_utf8(),
        }
    }
}

/// Where each line of a text starts (lines end at LF: the text is a `SourceFile`'s).
#[derive(Debug, Clone)]
pub(crate) struct Lines {
    starts: Vec<usize>,
    encoding: Encoding,
}

impl Lines {
    pub(crate) fn new(text: &str, encoding: Encoding) -> Self {
        let starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        Lines { starts, encoding }
    }

    /// The position of a byte offset (clamped to the text, and down to a character boundary).
    pub(crate) fn position(&self, text: &str, offset: usize) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset).saturating_sub(1);
        let start = self.starts.get(line).copied().unwrap_or(0);
        let character: usize = text.get(start..offset).unwrap_or("").chars().map(|c| self.encoding.width(c)).sum();
        Position { line: clamp_u32(line), character: clamp_u32(character) }
    }

    /// The byte offset of a position: `None` past the last line; a character past the line's
    /// end is the line's end (as the protocol says), and one inside a character (half a
    /// surrogate pair) is that character's start.
    pub(crate) fn offset(&self, text: &str, position: Position) -> Option<usize> {
        let line = usize::try_from(position.line).ok()?;
        let start = *self.starts.get(line)?;
        let end = self.starts.get(line + 1).map_or(text.len(), |&e| e - 1);
        let wanted = usize::try_from(position.character).unwrap_or(usize::MAX);
        let mut units = 0;
        for (i, c) in text.get(start..end).unwrap_or("").char_indices() {
            let w = self.encoding.width(c);
            if units + w > wanted {
                return Some(start + i);
            }
            units += w;
        }
        Some(end)
    }

    /// The range of a span.
    pub(crate) fn range(&self, text: &str, span: Span) -> Range {
        Range { start: self.position(text, span.start as usize), end: self.position(text, span.end as usize) }
    }
}

fn clamp_u32(v: usize) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(line: u32, character: u32) -> Position {
        Position { line, character }
    }

    // Column counts worked by hand: "é" is one UTF-16 unit and two UTF-8 bytes; "𝄞" (U+1D11E)
    // is a surrogate pair (two units) and four bytes.
    #[test]
    fn utf16_columns_count_code_units() {
        let text = "ab\n\"é𝄞\" x\n";
        let lines = Lines::new(text, Encoding::Utf16);
        let x = text.find('x').unwrap_or(0);
        assert_eq!(lines.position(text, x), pos(1, 6));
        assert_eq!(lines.offset(text, pos(1, 6)), Some(x));
        // inside the surrogate pair: the character's start
        let clef = text.find('𝄞').unwrap_or(0);
        assert_eq!(lines.offset(text, pos(1, 3)), Some(clef));
        // past the end of a line: its end; past the last line: none
        assert_eq!(lines.offset(text, pos(0, 99)), Some(2));
        assert_eq!(lines.offset(text, pos(9, 0)), None);
        // an offset inside a character goes down to its start
        assert_eq!(lines.position(text, clef + 1), pos(1, 2));
    }

    #[test]
    fn utf8_columns_count_bytes() {
        let text = "\"é\" x";
        let lines = Lines::new(text, Encoding::Utf8);
        assert_eq!(lines.position(text, 5), pos(0, 5));
        assert_eq!(lines.offset(text, pos(0, 5)), Some(5));
    }
}
