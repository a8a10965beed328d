//! The flags several commands share: Monte Carlo sampling (`--samples`, `--seed`,
//! `--provision`) for every command that analyses a design, the output formats of
//! `estimate`, `diff` and `sweep`, and that of the `sim` commands.
//!
//! Architecture Invariant: clap definitions and their value parsers only; a command flattens
//! or names them in its own `Args`, so a shared flag reads the same in every command's help.

use clap::ValueEnum;

/// The output of the `sim` commands: a table or JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(super) enum SimFormat {
    Table,
    Json,
}

/// Monte Carlo over a design's uncertain inputs (`a to b`, `x ± 10%`, `normal(…)`, `uniform(…)`).
#[derive(Debug, Clone, Copy, clap::Args)]
pub(super) struct SamplingArgs {
    /// Monte Carlo samples for designs with uncertain inputs; 0 evaluates them at their medians.
    #[arg(long, value_name = "N", default_value_t = fermi::uncertainty::DEFAULT_SAMPLES, value_parser = sample_count)]
    samples: usize,
    /// The seed of the samples (the fixed default keeps every run's output identical).
    #[arg(long, value_name = "N", default_value_t = fermi::uncertainty::DEFAULT_SEED)]
    seed: u64,
    /// The node-count percentile the doc recommends provisioning to: p50, p90, p95, p99, p99.9.
    #[arg(long, value_name = "pNN", default_value = "p95", value_parser = percentile)]
    provision: f64,
}

impl SamplingArgs {
    pub(super) fn settings(&self) -> fermi::uncertainty::Settings {
        fermi::uncertainty::Settings {
            samples: self.samples,
            seed: self.seed,
            provision: self.provision,
            ..Default::default()
        }
    }
}

/// `--samples`: a whole number (`2000`, `1e5`) up to the budget.
fn sample_count(text: &str) -> Result<usize, String> {
    let v: f64 = text.trim().parse().map_err(|_| format!("`{text}` is not a number of samples, e.g. 2000"))?;
    if !(v >= 0.0 && v.fract() == 0.0) {
        return Err(format!("`{text}` is not a whole number of samples, e.g. 2000"));
    }
    let max = fermi::uncertainty::MAX_SAMPLES;
    if v > max as f64 {
        return Err(format!(
            "{text} exceeds the budget of {max} samples (memory grows with samples × plan values); give --samples {max} or fewer"
        ));
    }
    Ok(v as usize)
}

/// `p95` → 0.95, `p99.9` → 0.999.
fn percentile(text: &str) -> Result<f64, String> {
    let p = text
        .strip_prefix('p')
        .and_then(|n| n.parse::<f64>().ok())
        .filter(|n| *n > 0.0 && *n < 100.0)
        .ok_or_else(|| format!("`{text}` is not a percentile; write p50, p90, p95, p99 or p99.9"))?;
    Ok(p / 100.0)
}

/// The output of `estimate`, `diff` and `sweep`: terminal tables, JSON or Markdown.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub(super) enum OutputFormat {
    Table,
    Json,
    Markdown,
}
