//! `fermi sim shard`: place keys on nodes by sharding strategies and measure balance under
//! skew and movement on resize; or, from a design, each database tier's shard plan with the
//! other strategies beside it and the recommended vnode and shard counts.
//!
//! Architecture Invariant: simulation is `fermi::sim`'s and `fermi::analysis::shard_plan`'s; this parses
//! options and prints.

use super::report::{Rendered, analyze_file, out};
use super::{Outcome, SimFormat};
use fermi::analysis::Options;
use fermi::sim::shard::ShardOutcome;
use fermi::units::format;

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

fn row(r: &ShardOutcome) -> serde_json::Value {
    serde_json::json!({"strategy": r.strategy.name(), "nodes": r.nodes, "keys": r.keys, "key_imbalance": r.key_imbalance,
        "load_imbalance": r.load_imbalance, "hottest_node": r.hottest_node, "hottest_share": r.hottest_share,
        "moved_on_add": r.moved_on_add, "ideal_moved_on_add": r.ideal_moved_on_add(),
        "moved_on_remove": r.moved_on_remove, "ideal_moved_on_remove": r.ideal_moved_on_remove()})
}

fn table(results: &[&ShardOutcome]) -> comfy_table::Table {
    let mut table = comfy_table::Table::new();
    fermi::render::table::fit(&mut table);
    table.load_style(comfy_table::presets::UTF8_FULL_CONDENSED).set_header(vec![
        "strategy",
        "keys max/mean",
        "load max/mean",
        "hottest node's share",
        "moved adding a node",
        "moved removing one",
    ]);
    for r in results {
        table.add_row(vec![
            r.strategy.name(),
            format::sig(r.key_imbalance, 4),
            format::sig(r.load_imbalance, 4),
            format!("{} (node {})", pct(r.hottest_share), r.hottest_node),
            pct(r.moved_on_add),
            pct(r.moved_on_remove),
        ]);
    }
    table
}

fn pct(x: f64) -> String {
    format!("{}%", format::sig(x * 100.0, 3))
}

pub(super) fn shard(args: &super::SimShardArgs) -> anyhow::Result<Outcome> {
    use fermi::sim::shard::{Skew, simulate};
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
    let skew = Skew { alpha: if args.uniform { 0.0 } else { zipf } };
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
        let rows: Vec<serde_json::Value> = results.iter().map(row).collect();
        out(&format!("{}\n", serde_json::to_string_pretty(&rows)?))?;
        return Ok(Outcome::Success);
    }
    let skew = if args.uniform { "uniform".to_string() } else { format!("zipf({zipf})") };
    out(&format!(
        "{} keys on {nodes} nodes, popularity {skew}; ideal movement: {} adding a node, {} removing one\n{}\n",
        format::grouped(keys as f64),
        pct(1.0 / f64::from(nodes + 1)),
        pct(1.0 / f64::from(nodes)),
        table(&results.iter().collect::<Vec<_>>())
    ))?;
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
    if json {
        let rows: Vec<serde_json::Value> = plans
            .iter()
            .map(|p| {
                serde_json::json!({"tier": p.tier, "shards": p.shards, "keys": p.keys, "placed": p.placed, "target_imbalance": p.target,
                    "behind_cache": p.behind_cache, "hottest_key_share": p.hottest_key_share, "imbalance_floor": p.floor,
                    "design": row(&p.outcome), "alternatives": p.alternatives.iter().map(row).collect::<Vec<_>>(),
                    "recommended_vnodes": p.vnodes.map(|v| v.0), "load": p.load, "shard_capacity": p.shard_capacity,
                    "hottest_load": p.hottest_load, "recommended_shards": p.shards_needed.map_or(
                        if p.hottest_load <= p.shard_capacity { Some(p.shards) } else { None }, |n| Some(n.0))})
            })
            .collect();
        out(&format!("{}\n", serde_json::to_string_pretty(&rows)?))?;
        return Ok(Outcome::Success);
    }
    let mut text = String::new();
    for p in &plans {
        let v = fermi::render::shards::verdicts(p, format::NORMAL_DIGITS);
        let mut all = vec![&p.outcome];
        all.extend(p.alternatives.iter());
        text.push_str(&format!(
            "tier {}: {} shards ({} first); {}\n{}\n",
            p.tier,
            p.shards,
            p.outcome.strategy.name(),
            v.method,
            table(&all)
        ));
        for l in [Some(&v.balance), v.vnodes.as_ref(), Some(&v.capacity)].into_iter().flatten() {
            text.push_str(&format!("- {l}\n"));
        }
        if let Some(t) = ties(p, &all) {
            text.push_str(&format!("- {}\n", fermi::render::table::wrap(&t)));
        }
        text.push('\n');
    }
    out(&text)?;
    Ok(Outcome::Success)
}

/// Why strategies show the same load max/mean and hottest shard, when two or more do: each
/// gives every shard the same share of the hash space, and (behind a cache) no key left is
/// hot enough to tip one shard, so the hottest named is only the first of equals.
fn ties(p: &fermi::analysis::shard_plan::ShardPlan, all: &[&ShardOutcome]) -> Option<String> {
    let same = |a: &ShardOutcome, b: &ShardOutcome| {
        (a.load_imbalance - b.load_imbalance).abs() < 1e-9 && a.hottest_node == b.hottest_node
    };
    // The largest group of strategies with the same load max/mean and hottest shard.
    let first = *all.iter().max_by_key(|o| all.iter().filter(|b| same(o, b)).count())?;
    let tied: Vec<String> = all.iter().filter(|o| same(first, o)).map(|o| o.strategy.name()).collect();
    if tied.len() < 2 {
        return None;
    }
    let cache = match &p.behind_cache {
        Some(c) => format!(
            ", and `{c}` in front answers the hottest keys: the hottest key left carries {} of the load, less than one shard's {}",
            pct(p.hottest_key_share),
            pct(1.0 / f64::from(p.shards.max(1)))
        ),
        None => String::new(),
    };
    Some(format!(
        "{} tie at load max/mean {} with the same hottest shard (node {}): each gives every shard an equal share of the hash space (1/{}){cache}. \
         So no shard is hotter than another, and node {} is only the first of equals; the strategies differ in keys per shard and in keys moved on resize.",
        tied.join(", "),
        format::sig(first.load_imbalance, 4),
        first.hottest_node,
        p.shards,
        first.hottest_node
    ))
}
