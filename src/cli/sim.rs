//! `fermi sim cache`: replay a trace file or a generated workload through cache policies at
//! several sizes; a table or JSON with policy, size, requests, misses and miss ratio.
//!
//! Architecture Invariant: simulation is `fermi::sim`'s; this parses options and prints.

use super::report::{Rendered, out};
use super::{Outcome, SimCacheArgs};
use fermi::sim::cache::PolicyKind;
use fermi::sim::session::{Size, Source, simulate};
use fermi::sim::workload::Distribution;
use fermi::units::format;

fn sizes(text: &str) -> anyhow::Result<Vec<Size>> {
    text.split(',')
        .map(|s| {
            let s = s.trim();
            if let Some(p) = s.strip_suffix('%') {
                let v: f64 = p.trim().parse().map_err(|_| anyhow::anyhow!("`{s}` is not a percentage"))?;
                return Ok(Size::Fraction(v / 100.0));
            }
            let r = fermi::calc::calc(s).map_err(|f| Rendered(f.render()))?;
            if r.value.dim != fermi::units::Dim::NONE || r.value.si < 0.0 {
                anyhow::bail!("`{s}` is not an object count (byte-based sizes are not simulated yet)");
            }
            Ok(Size::Objects(r.value.si.round() as usize))
        })
        .collect()
}

fn policies(text: &str) -> anyhow::Result<Vec<PolicyKind>> {
    if text == "all" {
        return Ok(PolicyKind::ALL.to_vec());
    }
    text.split(',')
        .map(|p| {
            PolicyKind::parse(p.trim()).ok_or_else(|| {
                let names: Vec<&str> = PolicyKind::ALL.iter().map(|k| k.name()).collect();
                anyhow::anyhow!("unknown policy `{}`; policies are {} (or all)", p.trim(), names.join(", "))
            })
        })
        .collect()
}

pub(super) fn cache(args: &SimCacheArgs) -> anyhow::Result<Outcome> {
    let distribution = match (&args.hotspot, args.uniform) {
        (Some(h), _) => {
            let parts: Vec<f64> =
                h.split(',').filter_map(|x| x.trim().trim_end_matches('%').parse::<f64>().ok()).collect();
            let [k, t] = parts.as_slice() else {
                anyhow::bail!("--hotspot takes HOT_KEYS%,HOT_TRAFFIC%, e.g. 10%,90%")
            };
            Distribution::Hotspot { hot_keys: k / 100.0, hot_traffic: t / 100.0 }
        }
        (None, true) => Distribution::Uniform,
        (None, false) => Distribution::Zipf { alpha: args.zipf },
    };
    let source = match &args.trace {
        Some(path) => Source::Trace(path.clone()),
        None => Source::Generated { distribution, objects: args.objects, requests: args.requests, seed: args.seed },
    };
    let (results, stats) = simulate(&source, &policies(&args.policy)?, &sizes(&args.size)?).map_err(|e| {
        let at = if e.line > 0 { format!(":{}", e.line) } else { String::new() };
        let file = args.trace.as_ref().map_or(String::new(), |p| p.display().to_string());
        anyhow::anyhow!("{file}{at}: {}", e.message)
    })?;
    if args.json {
        let rows: Vec<serde_json::Value> = results
            .iter()
            .map(|r| serde_json::json!({"policy": r.policy.name(), "size": r.capacity, "requests": r.requests, "misses": r.misses, "miss_ratio": r.miss_ratio()}))
            .collect();
        out(&format!("{}\n", serde_json::to_string_pretty(&rows)?))?;
        return Ok(Outcome::Success);
    }
    let mut table = comfy_table::Table::new();
    table.load_style(comfy_table::presets::UTF8_FULL_CONDENSED).set_header(vec![
        "policy",
        "size",
        "requests",
        "misses",
        "miss ratio",
        "hit ratio",
    ]);
    for r in &results {
        table.add_row(vec![
            r.policy.name().to_string(),
            format::grouped(r.capacity as f64),
            format::grouped(r.requests as f64),
            format::grouped(r.misses as f64),
            format!("{:.4}", r.miss_ratio()),
            format!("{:.4}", 1.0 - r.miss_ratio()),
        ]);
    }
    let what = match &source {
        Source::Trace(p) => format!("trace {}", p.display()),
        Source::Generated { distribution, objects, requests, seed } => {
            format!("generated {distribution:?} over {objects} objects, {requests} requests, seed {seed}")
        }
    };
    out(&format!(
        "{what}: {} requests, {} distinct objects\n{table}\n",
        format::grouped(stats.requests as f64),
        format::grouped(stats.distinct as f64)
    ))?;
    Ok(Outcome::Success)
}

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

pub(super) fn shard(args: &super::SimShardArgs) -> anyhow::Result<Outcome> {
    use fermi::sim::shard::{Skew, simulate};
    let count = |s: &str| -> anyhow::Result<f64> {
        let r = fermi::calc::calc(s).map_err(|f| Rendered(f.render()))?;
        anyhow::ensure!(r.value.dim == fermi::units::Dim::NONE && r.value.si >= 1.0, "`{s}` is not a count");
        Ok(r.value.si.round())
    };
    let nodes = count(&args.nodes)? as u32;
    let keys = count(&args.keys)? as u64;
    let skew = Skew { alpha: if args.uniform { 0.0 } else { args.zipf } };
    let results: Vec<_> =
        strategies(&args.strategy, args.vnodes)?.into_iter().map(|s| simulate(s, nodes, keys, skew)).collect();
    if args.json {
        let rows: Vec<serde_json::Value> = results
            .iter()
            .map(|r| {
                serde_json::json!({"strategy": r.strategy.name(), "nodes": r.nodes, "keys": r.keys, "key_imbalance": r.key_imbalance,
                    "load_imbalance": r.load_imbalance, "hottest_node": r.hottest_node, "hottest_share": r.hottest_share,
                    "moved_on_add": r.moved_on_add, "ideal_moved_on_add": 1.0 / f64::from(r.nodes + 1),
                    "moved_on_remove": r.moved_on_remove, "ideal_moved_on_remove": 1.0 / f64::from(r.nodes)})
            })
            .collect();
        out(&format!("{}\n", serde_json::to_string_pretty(&rows)?))?;
        return Ok(Outcome::Success);
    }
    let mut table = comfy_table::Table::new();
    table.load_style(comfy_table::presets::UTF8_FULL_CONDENSED).set_header(vec![
        "strategy",
        "keys max/mean",
        "load max/mean",
        "hottest node's share",
        "moved adding a node",
        "moved removing one",
    ]);
    let pct = |x: f64| format!("{}%", format::sig(x * 100.0, 3));
    for r in &results {
        table.add_row(vec![
            r.strategy.name(),
            format::sig(r.key_imbalance, 4),
            format::sig(r.load_imbalance, 4),
            format!("{} (node {})", pct(r.hottest_share), r.hottest_node),
            pct(r.moved_on_add),
            pct(r.moved_on_remove),
        ]);
    }
    let skew = if args.uniform { "uniform".to_string() } else { format!("zipf({})", args.zipf) };
    out(&format!(
        "{} keys on {nodes} nodes, popularity {skew}; ideal movement: {} adding a node, {} removing one\n{table}\n",
        format::grouped(keys as f64),
        pct(1.0 / f64::from(nodes + 1)),
        pct(1.0 / f64::from(nodes))
    ))?;
    Ok(Outcome::Success)
}
