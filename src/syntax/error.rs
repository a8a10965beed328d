//! The parser's error type: the furthest position reached, the set of things that would
//! have been accepted there, and an optional hint; converted to a [`Diagnostic`] once.
//!
//! Architecture Invariant: syntax errors become diagnostics here and nowhere else.

use crate::diagnostic::{Code, Diagnostic};
use crate::source::Span;
use nom::error::{ErrorKind, ParseError};
use nom_locate::LocatedSpan;

/// The parser's input: text that knows its offset in the file.
pub(super) type In<'a> = LocatedSpan<&'a str>;

/// A parse failure at a byte offset.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    /// Where the problem starts.
    pub offset: usize,
    /// How many bytes to underline (at least one caret is drawn).
    pub len: usize,
    /// What would have been accepted, e.g. "`=`", "a number".
    pub expected: Vec<&'static str>,
    /// A stable code for the diagnostic.
    pub code: Code,
    /// A message that replaces "expected …" when set.
    pub message: Option<String>,
    /// A suggestion.
    pub hint: Option<String>,
}

impl SyntaxError {
    /// "expected `what`" at the input's position.
    pub(super) fn expected(at: In<'_>, what: &'static str) -> Self {
        SyntaxError {
            offset: at.location_offset(),
            len: 0,
            expected: vec![what],
            code: Code::Syntax,
            message: None,
            hint: None,
        }
    }

    /// A custom message at a span.
    pub fn custom(span: Span, code: Code, message: impl Into<String>, hint: Option<String>) -> Self {
        SyntaxError {
            offset: span.start as usize,
            len: (span.end - span.start) as usize,
            expected: Vec::new(),
            code,
            message: Some(message.into()),
            hint,
        }
    }

    /// Adds a hint, unless a more specific one is already there.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        if self.hint.is_none() {
            self.hint = Some(hint.into());
        }
        self
    }

    /// The diagnostic for this error, quoting what was found at the position.
    pub fn to_diagnostic(&self, text: &str) -> Diagnostic {
        let found = describe_found(text, self.offset);
        let message = match &self.message {
            Some(m) => m.clone(),
            None => format!("expected {}, found {found}", join_expected(&self.expected)),
        };
        let label = match &self.message {
            Some(_) => String::new(),
            None => format!("expected {}", join_expected(&self.expected)),
        };
        let end = if self.len == 0 { self.offset + next_char_len(text, self.offset) } else { self.offset + self.len };
        let diag = Diagnostic::error(self.code, message, Span::new(self.offset, end), label);
        match &self.hint {
            Some(h) => diag.with_help(h.clone()),
            None => diag,
        }
    }
}

fn next_char_len(text: &str, offset: usize) -> usize {
    text.get(offset..).and_then(|s| s.chars().next()).map_or(0, |c| if c == '\n' { 0 } else { c.len_utf8() })
}

fn describe_found(text: &str, offset: usize) -> String {
    let rest = text.get(offset..).unwrap_or("");
    match rest.chars().next() {
        None => "end of file".to_string(),
        Some('\n') | Some('\r') => "end of line".to_string(),
        Some(c) if c.is_alphanumeric() || c == '_' => {
            let word: String =
                rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '.').take(24).collect();
            format!("`{word}`")
        }
        Some(c) => format!("`{c}`"),
    }
}

fn join_expected(items: &[&'static str]) -> String {
    let mut items: Vec<&str> = items.to_vec();
    items.sort_unstable();
    items.dedup();
    match items.as_slice() {
        [] => "something else".to_string(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

impl<'a> ParseError<In<'a>> for SyntaxError {
    fn from_error_kind(input: In<'a>, kind: ErrorKind) -> Self {
        let what = match kind {
            ErrorKind::Eof => "end of input",
            ErrorKind::Digit => "a digit",
            _ => "valid syntax",
        };
        SyntaxError::expected(input, what)
    }

    fn append(_: In<'a>, _: ErrorKind, other: Self) -> Self {
        other
    }

    fn or(self, other: Self) -> Self {
        use std::cmp::Ordering;
        match self.offset.cmp(&other.offset) {
            Ordering::Greater => self,
            Ordering::Less => other,
            Ordering::Equal if self.message.is_some() => self,
            Ordering::Equal if other.message.is_some() => other,
            Ordering::Equal => {
                let mut merged = self;
                merged.expected.extend(other.expected);
                merged.hint = merged.hint.or(other.hint);
                merged
            }
        }
    }
}
