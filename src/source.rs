//! Source text with its path and a line table, so byte offsets become `line:column`. Text is
//! taken as the language reads it: a leading UTF-8 byte-order mark is dropped, and CR, LF and
//! CRLF all end a line (CR and CRLF become LF), so every later stage sees one kind of line end.
//!
//! Architecture Invariant: `source` imports nothing from the crate; every other stage
//! refers to text only through [`Span`]s into a [`SourceFile`].

use serde::Serialize;

/// A half-open byte range `[start, end)` into a [`SourceFile`]'s text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub struct Span {
    /// First byte.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
}

impl Span {
    /// A span from two byte offsets.
    pub fn new(start: usize, end: usize) -> Self {
        let clamp = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
        Span { start: clamp(start), end: clamp(end.max(start)) }
    }

    /// The smallest span covering both.
    pub fn join(self, other: Span) -> Span {
        Span { start: self.start.min(other.start), end: self.end.max(other.end) }
    }

    /// Byte range for slicing.
    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// A 1-based line and column (column counted in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LineCol {
    /// Line number, from 1.
    pub line: usize,
    /// Column number in characters, from 1.
    pub column: usize,
}

/// One input file: its display path, its text and where each line starts.
#[derive(Debug, Clone)]
pub struct SourceFile {
    path: String,
    text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    /// Wraps text read from `path` (the path is only used for display), without a leading
    /// byte-order mark and with every line ending in LF.
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> Self {
        let text = normalize(text.into());
        let line_starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        SourceFile { path: path.into(), text, line_starts }
    }

    /// Decodes a file's bytes as UTF-8. On invalid UTF-8, the error carries the text decoded
    /// with U+FFFD in place of bad bytes and the span of the first bad sequence in it, so it
    /// can be reported at its line and column.
    pub fn from_bytes(path: impl Into<String>, bytes: Vec<u8>) -> Result<Self, Box<InvalidUtf8>> {
        match String::from_utf8(bytes) {
            Ok(text) => Ok(SourceFile::new(path, text)),
            Err(e) => {
                let valid = e.utf8_error().valid_up_to();
                let bad_len = e.utf8_error().error_len().unwrap_or(e.as_bytes().len() - valid);
                let bad = e.as_bytes()[valid..valid + bad_len.min(4)].to_vec();
                let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
                let at = normalize(lossy.get(..valid).unwrap_or("").to_string()).len();
                let source = SourceFile::new(path, lossy);
                let span = Span::new(at, at + '\u{FFFD}'.len_utf8());
                Err(Box::new(InvalidUtf8 { source, span, bytes: bad }))
            }
        }
    }

    /// The display path.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The whole text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The text a span covers (empty when the span is out of range).
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.range()).unwrap_or("")
    }

    /// Line and column of a byte offset (clamped to the text).
    pub fn line_col(&self, offset: u32) -> LineCol {
        let offset = (offset as usize).min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset).saturating_sub(1);
        let start = self.line_starts[line];
        let column = self.text.get(start..offset).map_or(0, |s| s.chars().count()) + 1;
        LineCol { line: line + 1, column }
    }

    /// `path:line:column` of a span's start.
    pub fn location(&self, span: Span) -> String {
        let lc = self.line_col(span.start);
        format!("{}:{}:{}", self.path, lc.line, lc.column)
    }

    /// The text of a 1-based line, without its newline.
    pub fn line_text(&self, line: usize) -> &str {
        let Some(&start) = self.line_starts.get(line.wrapping_sub(1)) else {
            return "";
        };
        let end = self.line_starts.get(line).map_or(self.text.len(), |&e| e);
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }
}

/// Drops a leading byte-order mark and turns CRLF and lone CR into LF.
fn normalize(text: String) -> String {
    let text = match text.strip_prefix('\u{FEFF}') {
        Some(rest) => rest.to_string(),
        None => text,
    };
    if !text.contains('\r') {
        return text;
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// A file that is not valid UTF-8.
#[derive(Debug, Clone)]
pub struct InvalidUtf8 {
    /// The file decoded with U+FFFD for each bad sequence.
    pub source: SourceFile,
    /// Where the first bad sequence is in that text.
    pub span: Span,
    /// The first bad bytes (up to four).
    pub bytes: Vec<u8>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one_and_in_characters() {
        let f = SourceFile::new("x.fermi", "ab\nµc d\n");
        assert_eq!(f.line_col(0), LineCol { line: 1, column: 1 });
        assert_eq!(f.line_col(3), LineCol { line: 2, column: 1 });
        // 'µ' is two bytes; 'c' starts at byte 5, column 2.
        assert_eq!(f.line_col(5), LineCol { line: 2, column: 2 });
        assert_eq!(f.line_text(2), "µc d");
        assert_eq!(f.line_col(10_000).line, 3);
    }
}
