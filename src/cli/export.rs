//! `fermi export FILE --to FORMAT [-o FILE]`: the design's SLOs as Prometheus rules
//! (`prometheus`), a sloth spec (`sloth`) or OpenSLO documents (`openslo`), with the metric names
//! of the nearest fermi.toml.
//!
//! Architecture Invariant: reads, analyses, renders through `fermi::render::export`; no numbers
//! are made here.

use super::Outcome;
use super::report::{Rendered, failure, out};
use clap::ValueEnum;
use fermi::analysis::{Options, analyze};
use fermi::files::project::{self, ConfigError};
use fermi::render::export::{self, Target};
use fermi::source::SourceFile;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub(super) struct ExportArgs {
    /// The design file.
    file: PathBuf,
    /// The format: Prometheus recording and burn-rate alerting rules, a sloth spec
    /// (prometheus/v1), or OpenSLO v1 documents. Metric names come from fermi.toml's [metrics].
    #[arg(long, value_enum)]
    to: ExportTarget,
    /// Write to FILE instead of printing.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ExportTarget {
    Prometheus,
    Sloth,
    Openslo,
}

pub(super) fn execute(args: &ExportArgs) -> anyhow::Result<Outcome> {
    let path = &args.file;
    let text = std::fs::read_to_string(path).map_err(|e| anyhow::anyhow!("reading {}: {e}", path.display()))?;
    let config = match project::load_for(path) {
        Ok(c) => c,
        Err(ConfigError::Io(p, e)) => anyhow::bail!("reading {}: {e}", p.display()),
        Err(ConfigError::Invalid(source, d)) => return Err(Rendered(d.render(&source)).into()),
    };
    let source = SourceFile::new(path.display().to_string(), text);
    let analysis = analyze(source, &config, Options::default()).map_err(|f| failure(&f))?;
    let unknown = export::unknown_requests(&analysis, &config.metrics);
    if let (false, Some(toml)) = (unknown.is_empty(), project::find_config(path)) {
        let text = std::fs::read_to_string(&toml).map_err(|e| anyhow::anyhow!("reading {}: {e}", toml.display()))?;
        let toml = SourceFile::new(toml.display().to_string(), text);
        return Err(Rendered(fermi::diagnostic::Diagnostics(unknown).render(&toml)).into());
    }
    let target = match args.to {
        ExportTarget::Prometheus => Target::Prometheus,
        ExportTarget::Sloth => Target::Sloth,
        ExportTarget::Openslo => Target::OpenSlo,
    };
    let text = export::export(&analysis, &config.metrics, target)
        .map_err(|d| anyhow::Error::from(Rendered(d.render(&analysis.source))))?;
    match &args.output {
        Some(file) => fermi::files::write::atomic(file, text.as_bytes())
            .map_err(|e| anyhow::anyhow!("writing {}: {e}", file.display()))?,
        None => out(&text)?,
    }
    Ok(Outcome::Success)
}
