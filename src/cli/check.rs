//! `fermi check FILE…`: asserts and SLO verdicts; exit 1 listing each failure with its line
//! and both values; exit 2 when any file is invalid.
//!
//! Architecture Invariant: verdicts come from the library's `check`, their layout from
//! `fermi::render::check`; this only reports them and maps them to an exit code.

use super::Outcome;
use super::flags::SamplingArgs;
use super::report::{analyze_file, error, out};
use clap::ValueEnum;
use fermi::analysis::Options;
use fermi::render::check as view;
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
        failed |= analysis.findings.iter().any(|f| view::fails(f, args.deny_warnings));
        text.push_str(&view::text(file, &analysis, args.deny_warnings));
        json.push(view::entry(file, &analysis, args.deny_warnings));
    }
    match args.format {
        CheckFormat::Text => out(&text)?,
        CheckFormat::Json => out(&view::json(&json))?,
    }
    if invalid {
        anyhow::bail!("{} of {} files could not be checked", args.files.len() - json.len(), args.files.len());
    }
    Ok(if failed { Outcome::CheckFailed } else { Outcome::Success })
}
