//! Diagnostics: one error or warning with labelled spans, a help line and a stable code,
//! rendered for the terminal (with the source line and a caret) or as JSON.
//!
//! Colour (ANSI escapes, codespan's default styles) is off unless the binary turns it on with
//! [`set_color`] for a run — it does when stderr is a terminal and `NO_COLOR` is unset, or with
//! `--color always`.
//!
//! Architecture Invariant: this is the only module that names `codespan-reporting`.
//! Library code never prints; callers decide where a rendered diagnostic goes.

use crate::source::{SourceFile, Span};
use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label as CsLabel};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, Config};
use serde::Serialize;
use std::sync::atomic::{AtomicBool, Ordering};

mod code;
pub use code::Code;

static COLOR: AtomicBool = AtomicBool::new(false);

/// Whether [`Diagnostic::render`] writes ANSI colours from now on in this process (off by
/// default; the binary decides from `--color`, the terminal and `NO_COLOR`).
pub fn set_color(on: bool) {
    COLOR.store(on, Ordering::Relaxed);
}

/// Whether diagnostics are rendered in colour.
pub fn color() -> bool {
    COLOR.load(Ordering::Relaxed)
}

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Stops the run (exit 2).
    Error,
    /// Reported, does not stop the run.
    Warning,
}

/// A span with a short message under it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Label {
    /// Where.
    pub span: Span,
    /// What to say under the caret.
    pub message: String,
    /// The primary label gets the caret; secondary ones are context.
    pub primary: bool,
}

/// One problem found in a source file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnostic {
    /// A stable identifier such as `fermi::unknown-name`, for tests, JSON and docs.
    pub code: Code,
    /// Error or warning.
    pub severity: Severity,
    /// One sentence: what went wrong or what was expected.
    pub message: String,
    /// Spans in the source; the first primary one decides the reported location.
    pub labels: Vec<Label>,
    /// A suggestion, when one helps.
    pub help: Option<String>,
}

impl Diagnostic {
    /// A new error with a primary label.
    pub fn error(code: Code, message: impl Into<String>, span: Span, label: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: Severity::Error,
            message: message.into(),
            labels: vec![Label { span, message: label.into(), primary: true }],
            help: None,
        }
    }

    /// Adds a help line.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds a secondary label.
    pub fn with_note(mut self, span: Span, message: impl Into<String>) -> Self {
        self.labels.push(Label { span, message: message.into(), primary: false });
        self
    }

    /// The primary span (or an empty span at the start).
    pub fn primary_span(&self) -> Span {
        self.labels.iter().find(|l| l.primary).or(self.labels.first()).map_or(Span::default(), |l| l.span)
    }

    /// Renders as text: `error[code]: message`, then `--> file:line:col`, the source line
    /// with a caret under the problem, and the help line; in colour when [`set_color`] is on.
    pub fn render(&self, source: &SourceFile) -> String {
        self.render_styled(source, color())
    }

    /// [`Diagnostic::render`] with colour chosen by the caller.
    pub fn render_styled(&self, source: &SourceFile, colored: bool) -> String {
        let file = SimpleFile::new(source.path(), source.text());
        let labels = self
            .labels
            .iter()
            .map(|l| {
                let range = underline(l.span, source.text());
                let label = if l.primary { CsLabel::primary((), range) } else { CsLabel::secondary((), range) };
                label.with_message(shown(&l.message))
            })
            .collect();
        let base = match self.severity {
            Severity::Error => CsDiagnostic::error(),
            Severity::Warning => CsDiagnostic::warning(),
        };
        let mut diag = base.with_code(self.code.as_str()).with_message(shown(&self.message)).with_labels(labels);
        if let Some(help) = &self.help {
            diag = diag.with_notes(vec![format!("help: {}", shown(help))]);
        }
        let fallback = || format!("{}: {}", source.location(self.primary_span()), shown(&self.message));
        if !colored {
            return term::emit_into_string(&Config::default(), &file, &diag).unwrap_or_else(|_| fallback());
        }
        let styles = term::Styles::default();
        let mut ansi = term::termcolor::Ansi::new(Vec::new());
        let emitted = term::emit_to_write_style(
            &mut term::StylesWriter::new(&mut ansi, &styles),
            &Config::default(),
            &file,
            &diag,
        );
        match emitted {
            Ok(()) => String::from_utf8(ansi.into_inner()).unwrap_or_else(|_| fallback()),
            Err(_) => fallback(),
        }
    }

    /// A JSON value with the location resolved to line and column.
    pub fn to_json(&self, source: &SourceFile) -> serde_json::Value {
        let span = self.primary_span();
        let lc = source.line_col(span.start);
        serde_json::json!({
            "code": self.code,
            "severity": self.severity,
            "message": shown(&self.message),
            "file": source.path(),
            "line": lc.line,
            "column": lc.column,
            "help": self.help.as_deref().map(shown),
            "labels": self.labels.iter().map(|l| {
                let lc = source.line_col(l.span.start);
                serde_json::json!({"line": lc.line, "column": lc.column, "message": shown(&l.message), "primary": l.primary})
            }).collect::<Vec<_>>(),
        })
    }
}

/// `text` in the style of a diagnostic's `error` header (bold red) when colour is on.
pub fn error_label(text: &str) -> String {
    if color() { format!("\x1b[1m\x1b[31m{text}\x1b[0m") } else { text.to_string() }
}

/// Longest name shown whole inside backticks; longer ones keep their start and end with `…`
/// between (a 200,000-character name is otherwise printed whole in the message, its label and
/// its hint).
const LONGEST_NAME: usize = 40;

/// A message as shown: names in backticks elided to [`LONGEST_NAME`] characters (examples
/// with spaces up to four times that stay whole), and
/// characters that do not show (controls, combining marks, zero-width and direction marks)
/// written as `<U+0301>`, so that what is quoted can be told apart and typed.
fn shown(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(1_024));
    for (k, part) in text.split('`').enumerate() {
        if k > 0 {
            out.push('`');
        }
        let chars: Vec<char> = part.chars().collect();
        let quoted = k % 2 == 1;
        // A written example in a hint (`correlate users.dau, reads_per_write = 0.8`) has
        // spaces and stays whole; a name has none, and anything far longer is not an example.
        let long =
            chars.len() > LONGEST_NAME && (chars.len() > 4 * LONGEST_NAME || !chars.iter().any(|c| c.is_whitespace()));
        let kept: Vec<char> = if quoted && long {
            let head = LONGEST_NAME * 3 / 4;
            let tail = LONGEST_NAME - head - 1;
            chars[..head].iter().chain(['…'].iter()).chain(chars[chars.len() - tail..].iter()).copied().collect()
        } else {
            chars
        };
        for c in kept {
            if invisible(c) && (quoted || c != '\n') {
                out.push_str(&format!("<U+{:04X}>", c as u32));
            } else {
                out.push(c);
            }
        }
    }
    out
}

/// Characters that print as nothing, or change what is around them.
fn invisible(c: char) -> bool {
    c.is_control()
        || matches!(c as u32,
            0x00AD | 0x034F | 0x061C | 0x115F | 0x1160 | 0x17B4 | 0x17B5 | 0x180B..=0x180F
            | 0x0300..=0x036F | 0x0483..=0x0489 | 0x0591..=0x05BD | 0x0610..=0x061A | 0x064B..=0x065F
            | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x200B..=0x200F | 0x2028..=0x202E | 0x2060..=0x206F
            | 0x20D0..=0x20FF | 0x3164 | 0xFE00..=0xFE0F | 0xFE20..=0xFE2F | 0xFEFF | 0xFFA0 | 0xFFF9..=0xFFFB
            | 0xE0000..=0xE007F)
}

fn clamp_range(span: Span, len: usize) -> std::ops::Range<usize> {
    let start = (span.start as usize).min(len);
    let end = (span.end as usize).clamp(start, len);
    start..end
}

/// At most this many bytes of a label are underlined: the carets under a 200,000-character
/// name say no more than the first hundred do.
const LONGEST_UNDERLINE: usize = 160;

/// A label's range in `text`, underlining no more than [`LONGEST_UNDERLINE`] bytes.
fn underline(span: Span, text: &str) -> std::ops::Range<usize> {
    let r = clamp_range(span, text.len());
    let mut end = r.end.min(r.start + LONGEST_UNDERLINE);
    while !text.is_char_boundary(end) {
        end += 1;
    }
    r.start..end
}

/// Diagnostics for one file, in source order.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Renders each, separated by blank lines.
    pub fn render(&self, source: &SourceFile) -> String {
        self.0.iter().map(|d| d.render(source)).collect::<Vec<_>>().join("")
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics(vec![d])
    }
}
