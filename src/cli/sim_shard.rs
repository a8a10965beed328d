//! `fermi sim shard`: place keys on nodes by sharding strategies and measure balance under
//! skew and movement on resize; or, from a design, each database tier's shard plan with the
//! other strategies beside it and the recommended vnode and shard counts.
//!
//! Architecture Invariant: simulation is `fermi::sim`'s and `fermi::analysis::shard_plan`'s,
//! the layout `fermi::render::sim_shard`'s; this parses options and prints.

use super::Outcome;
use super::flags::SimFormat;
use super::report::{Rendered, analyze_file, out};
use fermi::analysis::Options;
use fermi::render::sim_shard;
use fermi::units::format;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub(super) struct SimShardArgs {
    /// A design file: simulate each database tier's shard plan (its strategy, shard count and
    /// load), compare the other strategies, and recommend vnode and shard counts.
    #[arg(conflicts_with_all = ["nodes", "keys", "zipf", "uniform"])]
    file: Option<PathBuf>,
    /// Strategies, comma-separated: hash, range, consistent, rendezvous, jump, or all.
    #[arg(long, default_value = "all")]
    strategy: String,
    /// Virtual nodes per node, for consistent hashing.
    #[arg(long, default_value_t = 256)]
    vnodes: u32,
    /// Nodes (shards). [default: 100]
    #[arg(long)]
    nodes: Option<String>,
    /// Keys (ids 1..=K, popularity rank = id). [default: 1M]
    #[arg(long)]
    keys: Option<String>,
    /// Zipf exponent of key popularity. [default: 0.9]
    #[arg(long, conflicts_with = "uniform")]
    zipf: Option<f64>,
    /// Uniform key popularity instead.
    #[arg(long)]
    uniform: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = SimFormat::Table)]
    format: SimFormat,
    /// Same as --format json.
    #[arg(long, hide = true, conflicts_with = "format")]
    json: bool,
}

/// The most nodes a placement may have (each costs per-node counters and, on a ring, vnodes).
const NODE_BUDGET: u32 = 1 << 22;

fn strategies(text: &str, vnodes: u32) -> anyhow::Result<Vec<fermi::sim::shard::Strategy>> {
    use fermi::sim::shard::Strategy;
    let all = ["hash", "range", "consistent", "rendezvous", "jump"];
    let names: Vec<&str> = if text == "all" { all.to_vec() } else { text.split(',').map(str::trim).collect() };
    names
        .into_iter()
        .map(|n| match n {
            "hash" | "mod" => Ok(Strategy::ModN),
            "range" => Ok(Strategy::Range),
            "consistent" => Ok(Strategy::Consistent { vnodes }),
            "rendezvous" => Ok(Strategy::Rendezvous),
            "jump" => Ok(Strategy::Jump),
            other => anyhow::bail!("unknown strategy `{other}`; strategies are {} (or all)", all.join(", ")),
        })
        .collect()
}

pub(super) fn execute(args: &SimShardArgs) -> anyhow::Result<Outcome> {
    use fermi::math::popularity::Popularity;
    use fermi::sim::shard::simulate;
    let json = args.json || args.format == SimFormat::Json;
    anyhow::ensure!(args.vnodes >= 1, "--vnodes 0 gives a ring without points; give 1 or more, e.g. --vnodes 256");
    if let Some(file) = &args.file {
        return design(file, &strategies(&args.strategy, args.vnodes)?, json);
    }
    let count = |s: &str| -> anyhow::Result<f64> {
        let r = fermi::calc::calc(s).map_err(|f| Rendered(f.render()))?;
        anyhow::ensure!(
            r.value.dim == fermi::units::Dim::NONE && r.value.si >= 1.0 && r.value.si.is_finite(),
            "`{s}` is not a count"
        );
        Ok(r.value.si.round())
    };
    let nodes = count(args.nodes.as_deref().unwrap_or("100"))?;
    anyhow::ensure!(
        nodes <= f64::from(NODE_BUDGET),
        "--nodes {} exceeds the budget of {} nodes; give fewer --nodes",
        format::grouped(nodes),
        format::grouped(f64::from(NODE_BUDGET))
    );
    let nodes = nodes as u32;
    let keys = count(args.keys.as_deref().unwrap_or("1M"))?.min(u64::MAX as f64) as u64;
    let zipf = args.zipf.unwrap_or(0.9);
    anyhow::ensure!(
        zipf.is_finite() && (0.0..=100.0).contains(&zipf),
        "--zipf {zipf} is not a Zipf exponent: give a number from 0 (uniform) to 100, e.g. 0.9"
    );
    let skew = if args.uniform { Popularity::Uniform } else { Popularity::Zipf { alpha: zipf } };
    let strategies = strategies(&args.strategy, args.vnodes)?;
    for &s in &strategies {
        fermi::sim::shard::check_budget(s, nodes, keys).map_err(|e| {
            let flags = match s {
                fermi::sim::shard::Strategy::Consistent { .. } => "--vnodes, --nodes or --keys",
                fermi::sim::shard::Strategy::Rendezvous => "--nodes or --keys",
                _ => "--keys",
            };
            let word = match s {
                fermi::sim::shard::Strategy::Consistent { .. } => "consistent",
                fermi::sim::shard::Strategy::Rendezvous => "rendezvous",
                fermi::sim::shard::Strategy::ModN => "hash",
                fermi::sim::shard::Strategy::Range => "range",
                fermi::sim::shard::Strategy::Jump => "jump",
            };
            anyhow::anyhow!("{}: {e}; give smaller {flags} (or leave {word} out of --strategy)", s.name())
        })?;
    }
    let results: Vec<_> = strategies.into_iter().map(|s| simulate(s, nodes, keys, skew)).collect();
    if json {
        out(&sim_shard::placements_json(&results))?;
    } else {
        out(&sim_shard::placements(&results, keys, nodes, (!args.uniform).then_some(zipf)))?;
    }
    Ok(Outcome::Success)
}

/// Each database tier's simulated shard plan, the other strategies beside it.
fn design(file: &std::path::Path, others: &[fermi::sim::shard::Strategy], json: bool) -> anyhow::Result<Outcome> {
    let analysis = analyze_file(file, Options::default())?;
    let plans = fermi::analysis::shard_plan::plans_with(&analysis.design, &analysis.plan, others);
    anyhow::ensure!(
        !plans.is_empty(),
        "{} has no database tier with two or more shards and a `workload {{ keys = … }}` to place",
        file.display()
    );
    out(&if json { sim_shard::plans_json(&plans) } else { sim_shard::plans(&plans) })?;
    Ok(Outcome::Success)
}
