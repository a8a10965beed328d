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
    pub code: &'static str,
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
    pub fn error(code: &'static str, message: impl Into<String>, span: Span, label: impl Into<String>) -> Self {
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
                let range = clamp_range(l.span, source.text().len());
                let label = if l.primary { CsLabel::primary((), range) } else { CsLabel::secondary((), range) };
                label.with_message(l.message.clone())
            })
            .collect();
        let base = match self.severity {
            Severity::Error => CsDiagnostic::error(),
            Severity::Warning => CsDiagnostic::warning(),
        };
        let mut diag = base.with_code(self.code).with_message(&self.message).with_labels(labels);
        if let Some(help) = &self.help {
            diag = diag.with_notes(vec![format!("help: {help}")]);
        }
        let fallback = || format!("{}: {}", source.location(self.primary_span()), self.message);
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
            "message": self.message,
            "file": source.path(),
            "line": lc.line,
            "column": lc.column,
            "help": self.help,
            "labels": self.labels.iter().map(|l| {
                let lc = source.line_col(l.span.start);
                serde_json::json!({"line": lc.line, "column": lc.column, "message": l.message, "primary": l.primary})
            }).collect::<Vec<_>>(),
        })
    }
}

/// `text` in the style of a diagnostic's `error` header (bold red) when colour is on.
pub fn error_label(text: &str) -> String {
    if color() { format!("\x1b[1m\x1b[31m{text}\x1b[0m") } else { text.to_string() }
}

fn clamp_range(span: Span, len: usize) -> std::ops::Range<usize> {
    let start = (span.start as usize).min(len);
    let end = (span.end as usize).clamp(start, len);
    start..end
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
