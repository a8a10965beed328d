//! What the client shows as problems: the diagnostics `fermi estimate` prints (errors with
//! their ranges, the hint in the message, secondary labels as related information), and the
//! failed checks and plausibility warnings `fermi check` prints, as warnings.
//!
//! Architecture Invariant: the messages are the library's own; this only places them.

use super::documents::{Document, Outcome};
use crate::check::Finding;
use crate::diagnostic::{self, Code, Severity};
use lsp_types::{
    Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString, Position, Range, Uri,
};

const SOURCE: &str = "fermi";

/// Every diagnostic of a document, in the order of its lines.
pub(crate) fn of(doc: &Document, uri: &Uri) -> Vec<Diagnostic> {
    match &doc.outcome {
        Outcome::Analysed(a) => {
            a.findings.iter().filter(|f| !f.passed || f.is_warning()).map(|f| finding(doc, f)).collect()
        }
        Outcome::Failed(failure) => {
            let here = failure.source.path() == doc.source.path();
            failure
                .diagnostics
                .0
                .iter()
                .map(|d| {
                    if here {
                        error(doc, uri, d)
                    } else {
                        // a diagnostic in another file (the project's fermi.toml): shown at the
                        // top of the design, with where it is in its message
                        let mut out = error(doc, uri, d);
                        out.range = Range::default();
                        out.related_information = None;
                        out.message = format!("{}: {}", failure.source.location(d.primary_span()), out.message);
                        out
                    }
                })
                .collect()
        }
        Outcome::Unreadable(why) => vec![Diagnostic {
            range: Range::default(),
            severity: Some(DiagnosticSeverity::ERROR),
            source: Some(SOURCE.into()),
            message: why.clone(),
            ..Diagnostic::default()
        }],
    }
}

fn error(doc: &Document, uri: &Uri, d: &diagnostic::Diagnostic) -> Diagnostic {
    let range = doc.lines.range(doc.text(), d.primary_span());
    let primary = d.labels.iter().find(|l| l.primary).map(|l| l.message.as_str()).unwrap_or("");
    let mut message = d.message.clone();
    if !primary.is_empty() && primary != d.message {
        message.push_str(&format!(" ({primary})"));
    }
    if let Some(help) = &d.help {
        message.push_str(&format!("\nhelp: {help}"));
    }
    let related: Vec<DiagnosticRelatedInformation> = d
        .labels
        .iter()
        .filter(|l| !l.primary)
        .map(|l| DiagnosticRelatedInformation {
            location: Location { uri: uri.clone(), range: doc.lines.range(doc.text(), l.span) },
            message: l.message.clone(),
        })
        .collect();
    Diagnostic {
        range,
        severity: Some(match d.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
        }),
        code: Some(NumberOrString::String(d.code.to_string())),
        source: Some(SOURCE.into()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        ..Diagnostic::default()
    }
}

/// A failed assert or SLO, or a plausibility warning, as `fermi check` words it.
fn finding(doc: &Document, f: &Finding) -> Diagnostic {
    let mark = if f.is_warning() { "warning" } else { "failed" };
    let mut message = format!("{mark}: {}\n{}", f.text, f.message);
    if let Some(s) = &f.suggestion {
        message.push_str(&format!("\nfix: {s}"));
    }
    let code = if f.is_warning() { Code::Plausibility } else { Code::CheckFailed };
    Diagnostic {
        range: first_line(doc, doc.lines.range(doc.text(), f.span)),
        severity: Some(DiagnosticSeverity::WARNING),
        code: Some(NumberOrString::String(code.to_string())),
        source: Some(SOURCE.into()),
        message,
        ..Diagnostic::default()
    }
}

/// A range cut to its first line (a finding on a whole block underlines its header only).
fn first_line(doc: &Document, r: Range) -> Range {
    if r.end.line == r.start.line {
        return r;
    }
    let next = doc.lines.offset(doc.text(), Position { line: r.start.line + 1, character: 0 });
    let end = next.map_or(r.end, |o| doc.lines.position(doc.text(), o.saturating_sub(1)));
    Range { start: r.start, end }
}
