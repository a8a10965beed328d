//! `fermi check FILE…`: asserts and SLO verdicts; exit 1 listing each failure with its line
//! and both values; exit 2 when any file is invalid.
//!
//! Architecture Invariant: verdicts come from the library's `check`; this only reports them.

use super::report::{analyze_file, error, out};
use super::{Outcome, SamplingArgs};
use clap::ValueEnum;
use fermi::analysis::Options;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub(super) struct CheckArgs {
    /// Design files (`-` reads standard input).
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: CheckFormat,
    /// Fail (exit 1) on plausibility warnings too, not only on failed asserts and SLOs.
    #[arg(long)]
    deny_warnings: bool,
    #[command(flatten)]
    sampling: SamplingArgs,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum CheckFormat {
    Text,
    Json,
}

pub(super) fn execute(args: &CheckArgs) -> anyhow::Result<Outcome> {
    let mut failed = false;
    let mut invalid = false;
    let mut text = String::new();
    let mut json = Vec::new();
    for file in &args.files {
        let analysis = match analyze_file(file, Options { sampling: args.sampling.settings(), ..Options::default() }) {
            Ok(a) => a,
            Err(e) => {
                error(&e);
                invalid = true;
                continue;
            }
        };
        let fails = |f: &fermi::check::Finding| !f.passed || (args.deny_warnings && f.is_warning());
        let bad: Vec<_> = analysis.findings.iter().filter(|f| fails(f)).collect();
        failed |= !bad.is_empty();
        for f in analysis.findings.iter().filter(|f| fails(f) || f.is_warning()) {
            let lc = analysis.source.line_col(f.span.start);
            let mark = if f.is_warning() { "WARN" } else { "FAIL" };
            text.push_str(&format!(
                "{}:{}:{}: {mark} {}\n  {}\n",
                file.display(),
                lc.line,
                lc.column,
                f.text,
                f.message
            ));
            if let Some(s) = &f.suggestion {
                text.push_str(&format!("  fix: {s}\n"));
            }
        }
        let warnings = analysis.warnings().count();
        let checks = analysis.findings.len() - warnings;
        let failed_checks = analysis.findings.iter().filter(|f| !f.passed).count();
        text.push_str(&format!(
            "{}: {} passed, {failed_checks} failed, {warnings} {}\n",
            file.display(),
            checks - failed_checks,
            if warnings == 1 { "warning" } else { "warnings" }
        ));
        json.push(serde_json::json!({
            "file": file.display().to_string(),
            "passed": bad.is_empty(),
            "warnings": warnings,
            "findings": analysis.findings.iter().map(|f| {
                let lc = analysis.source.line_col(f.span.start);
                serde_json::json!({"kind": f.kind, "passed": f.passed, "line": lc.line, "column": lc.column, "text": f.text, "actual": f.actual, "limit": f.limit, "message": f.message, "suggestion": f.suggestion})
            }).collect::<Vec<_>>(),
        }));
    }
    match args.format {
        CheckFormat::Text => out(&text)?,
        CheckFormat::Json => out(&format!("{}\n", serde_json::to_string_pretty(&json)?))?,
    }
    if invalid {
        anyhow::bail!("{} of {} files could not be checked", args.files.len() - json.len(), args.files.len());
    }
    Ok(if failed { Outcome::CheckFailed } else { Outcome::Success })
}
