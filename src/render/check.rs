//! The view of `fermi check`: per file, each failed check and each plausibility warning with
//! its `file:line:column`, message and fix, then the file's tally; or per file a JSON object
//! with every finding and where it was stated.
//!
//! Architecture Invariant: lays out the findings `check` and `plausibility` made; judges
//! nothing itself (with `deny_warnings`, a warning is reported as failing, as the command
//! exits).

use crate::analysis::Analysis;
use crate::check::Finding;
use std::path::Path;

/// Whether a finding fails the check: a failed assert or SLO, or a warning when warnings are
/// denied.
pub fn fails(f: &Finding, deny_warnings: bool) -> bool {
    !f.passed || (deny_warnings && f.is_warning())
}

/// The failures and warnings of `file`, then `FILE: N passed, M failed, W warnings`.
pub fn text(file: &Path, a: &Analysis, deny_warnings: bool) -> String {
    let mut text = String::new();
    for f in a.findings.iter().filter(|f| fails(f, deny_warnings) || f.is_warning()) {
        let lc = a.source.line_col(f.span.start);
        let mark = if f.is_warning() { "WARN" } else { "FAIL" };
        text.push_str(&format!("{}:{}:{}: {mark} {}\n  {}\n", file.display(), lc.line, lc.column, f.text, f.message));
        if let Some(s) = &f.suggestion {
            text.push_str(&format!("  fix: {s}\n"));
        }
    }
    let warnings = a.warnings().count();
    let checks = a.findings.len() - warnings;
    let failed_checks = a.findings.iter().filter(|f| !f.passed).count();
    text.push_str(&format!(
        "{}: {} passed, {failed_checks} failed, {warnings} {}\n",
        file.display(),
        checks - failed_checks,
        if warnings == 1 { "warning" } else { "warnings" }
    ));
    text
}

/// One file's entry of the JSON list: whether it passed, its warning count and every finding
/// with its line and column.
pub fn entry(file: &Path, a: &Analysis, deny_warnings: bool) -> serde_json::Value {
    serde_json::json!({
        "file": file.display().to_string(),
        "passed": !a.findings.iter().any(|f| fails(f, deny_warnings)),
        "warnings": a.warnings().count(),
        "findings": a.findings.iter().map(|f| {
            let lc = a.source.line_col(f.span.start);
            serde_json::json!({"kind": f.kind, "passed": f.passed, "line": lc.line, "column": lc.column, "text": f.text, "actual": f.actual, "limit": f.limit, "message": f.message, "suggestion": f.suggestion})
        }).collect::<Vec<_>>(),
    })
}

/// The entries of every file checked as one pretty JSON list.
pub fn json(entries: &[serde_json::Value]) -> String {
    let mut text = serde_json::to_string_pretty(entries).unwrap_or_default();
    text.push('\n');
    text
}
