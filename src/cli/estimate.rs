//! `fermi estimate FILE [--format table|json|markdown] [--rounded]`: prints the whole plan, then
//! exits 1 when an assert or SLO in it failed (the rule `check`, `doc` and `build` share).
//!
//! Architecture Invariant: reads, analyses, renders; no numbers are made here.

use super::Outcome;
use super::flags::{OutputFormat, SamplingArgs};
use super::report::{analyze_file, out};
use fermi::analysis::Options;
use fermi::render::{self, Format};
use fermi::units::format::{NORMAL_DIGITS, ROUNDED_DIGITS};
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub(super) struct EstimateArgs {
    /// The design file (`-` reads standard input).
    file: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    format: OutputFormat,
    /// Interview mode: 100K seconds a day and 2 significant figures.
    #[arg(long)]
    rounded: bool,
    #[command(flatten)]
    sampling: SamplingArgs,
}

pub(super) fn execute(args: &EstimateArgs) -> anyhow::Result<Outcome> {
    let analysis = analyze_file(
        &args.file,
        Options { interview_day: args.rounded, doc_simulations: false, sampling: args.sampling.settings() },
    )?;
    let format = match args.format {
        OutputFormat::Table => Format::Table,
        OutputFormat::Json => Format::Json,
        OutputFormat::Markdown => Format::Markdown,
    };
    let digits = if args.rounded { ROUNDED_DIGITS } else { NORMAL_DIGITS };
    out(&render::plan(&analysis, format, render::Options { digits }))?;
    // The plan is printed in full either way; a failed check only changes the exit code.
    Ok(if analysis.passed() { Outcome::Success } else { Outcome::CheckFailed })
}
