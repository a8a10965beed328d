//! `fermi explain FILE NAME`: the derivation of one number.
//!
//! Architecture Invariant: the explanation text comes from `render::explain`.

use super::Outcome;
use super::flags::SamplingArgs;
use super::report::{Rendered, analyze_file, out};
use fermi::analysis::Options;
use fermi::render::explain;
use fermi::units::format::{NORMAL_DIGITS, ROUNDED_DIGITS};
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub(super) struct ExplainArgs {
    /// The design file (`-` reads standard input).
    file: PathBuf,
    /// The result to explain, e.g. `storage.total`, `api.nodes`, `traffic.peak_rps`.
    name: String,
    /// Interview mode: 100K seconds a day and 2 significant figures.
    #[arg(long)]
    rounded: bool,
    #[command(flatten)]
    sampling: SamplingArgs,
}

pub(super) fn execute(args: &ExplainArgs) -> anyhow::Result<Outcome> {
    let analysis = analyze_file(
        &args.file,
        Options { interview_day: args.rounded, doc_simulations: false, sampling: args.sampling.settings() },
    )?;
    let digits = if args.rounded { ROUNDED_DIGITS } else { NORMAL_DIGITS };
    match explain::explain(&analysis, &args.name, digits) {
        Some(text) => {
            out(&text)?;
            Ok(Outcome::Success)
        }
        None => {
            let mut near = explain::suggestions(&analysis, &args.name);
            // Each name once, in the order suggested (the closest match may also be listed
            // among the names under the same prefix).
            let mut seen = std::collections::BTreeSet::new();
            near.retain(|n| seen.insert(n.clone()));
            let help = if near.is_empty() {
                "try traffic.peak_rps, storage.total, TIER.nodes, REQUEST.peak_rps (`fermi estimate --format json` lists every name)".to_string()
            } else {
                format!("did you mean: {}", near.join(", "))
            };
            Err(Rendered(format!(
                "error: `{}` is not a result of {}\n  help: {help}\n",
                args.name,
                args.file.display()
            ))
            .into())
        }
    }
}
