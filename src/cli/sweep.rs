//! `fermi sweep FILE NAME=FROM..TO [--steps N] [--log] [--format …] [--plot FILE.svg]`.
//!
//! Architecture Invariant: parses the range, runs the library's sweep, renders; no numbers
//! are made here.

use super::Outcome;
use super::diff::{config_for, read};
use super::flags::OutputFormat;
use super::report::{failure, out};
use anyhow::bail;
use fermi::analysis::whatif::sweep::{Evaluator, Spec, sweep};
use fermi::analysis::{Options, analyze};
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub(super) struct SweepArgs {
    /// The design file.
    file: PathBuf,
    /// NAME=FROM..TO: an input (a field or a `let`) and its range, e.g. `users.dau=100M..1B`.
    range: String,
    /// How many values, both ends included.
    #[arg(long, default_value_t = 11)]
    steps: usize,
    /// Space the values evenly on a log scale.
    #[arg(long)]
    log: bool,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    format: OutputFormat,
    /// Also write nodes per tier against the swept value as an SVG line chart.
    #[arg(long, value_name = "FILE.svg")]
    plot: Option<PathBuf>,
    /// Interview mode: 100K seconds a day.
    #[arg(long)]
    rounded: bool,
}

/// `users.dau=100M..1B` → (`users.dau`, `100M`, `1B`).
fn split(range: &str) -> anyhow::Result<(&str, &str, &str)> {
    let hint = "write NAME=FROM..TO, e.g. `users.dau=100M..1B` or `api.capacity=\"1K rps..10K rps\"`";
    let Some((name, span)) = range.split_once('=') else { bail!("`{range}` has no `=`\n  help: {hint}") };
    let Some((from, to)) = span.split_once("..") else { bail!("`{span}` is not a range FROM..TO\n  help: {hint}") };
    let (name, from, to) = (name.trim(), from.trim(), to.trim());
    if name.is_empty() || from.is_empty() || to.is_empty() {
        bail!("`{range}` needs a name, a first and a last value\n  help: {hint}");
    }
    Ok((name, from, to))
}

pub(super) fn execute(args: &SweepArgs) -> anyhow::Result<Outcome> {
    let (name, from, to) = split(&args.range)?;
    if args.steps < 2 {
        bail!("--steps {} is too few: a sweep needs at least 2 values", args.steps);
    }
    let source = read(&args.file)?;
    let config = config_for(&args.file)?;
    let options = Options {
        interview_day: args.rounded,
        doc_simulations: false,
        sampling: fermi::uncertainty::Settings { samples: 0, ..Default::default() },
    };
    let base = analyze(source.clone(), &config, options).map_err(|f| failure(&f))?;
    let evaluator = Evaluator::new(&base, &source, &config, name, args.rounded).map_err(|f| failure(&f))?;
    let quantity = |text: &str| -> anyhow::Result<f64> {
        let v = fermi::calc::calc(text).map_err(|f| failure(&f))?.value;
        if v.dim != evaluator.dim() {
            bail!(
                "`{text}` is {}, but `{name}` is {}\n  help: state both ends in the input's unit",
                v.dim.describe(),
                evaluator.dim().describe()
            );
        }
        Ok(v.si)
    };
    let (from, to) = (quantity(from)?, quantity(to)?);
    if args.log && (from <= 0.0 || to <= 0.0) {
        bail!("--log needs both ends above zero");
    }
    let spec = Spec { name: name.to_string(), from, to, steps: args.steps, log: args.log };
    let result = sweep(&base, &evaluator, &spec).map_err(|f| failure(&f))?;
    if let Some(path) = &args.plot {
        let Some(svg) = fermi::render::sweep::plot(&result, args.log) else {
            bail!("nothing to plot: the design has no tiers, or the range is a single value");
        };
        fermi::files::write::atomic(path, svg.as_bytes())
            .map_err(|e| anyhow::anyhow!("writing {}: {e}", path.display()))?;
    }
    let text = match args.format {
        OutputFormat::Table => fermi::render::sweep::table(&result),
        OutputFormat::Markdown => fermi::render::sweep::markdown(&result),
        OutputFormat::Json => fermi::render::sweep::json(&result),
    };
    out(&text)?;
    Ok(Outcome::Success)
}
