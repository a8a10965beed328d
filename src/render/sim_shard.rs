//! The view of `fermi sim shard`: the placement of a key space by each strategy — balance of
//! keys and load, the hottest node, keys moved on resize against the ideal — as a table or
//! JSON; and, from a design, each database tier's shard plan with the other strategies
//! beside it, the verdicts and recommendations, and why strategies tie when they do.
//!
//! Architecture Invariant: lays out what `sim::shard` and `analysis::shard_plan` computed;
//! computes nothing but the ideal movement shares it states beside the measured ones.

use crate::analysis::shard_plan::ShardPlan;
use crate::sim::shard::ShardOutcome;
use crate::units::format;

fn pct(x: f64) -> String {
    format!("{}%", format::sig(x * 100.0, 3))
}

fn json_text(value: &serde_json::Value) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

fn row(r: &ShardOutcome) -> serde_json::Value {
    serde_json::json!({"strategy": r.strategy.name(), "nodes": r.nodes, "keys": r.keys, "key_imbalance": r.key_imbalance,
        "load_imbalance": r.load_imbalance, "hottest_node": r.hottest_node, "hottest_share": r.hottest_share,
        "moved_on_add": r.moved_on_add, "ideal_moved_on_add": r.ideal_moved_on_add(),
        "moved_on_remove": r.moved_on_remove, "ideal_moved_on_remove": r.ideal_moved_on_remove()})
}

fn table(results: &[&ShardOutcome]) -> comfy_table::Table {
    let mut table = super::table::headed(vec![
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

/// Each strategy's placement as one pretty JSON list.
pub fn placements_json(results: &[ShardOutcome]) -> String {
    json_text(&serde_json::Value::Array(results.iter().map(row).collect()))
}

/// `keys` on `nodes` with their popularity (a Zipf exponent, or `None` for uniform) and the
/// ideal movement on resize, then a table of each strategy's placement.
pub fn placements(results: &[ShardOutcome], keys: u64, nodes: u32, zipf: Option<f64>) -> String {
    let skew = zipf.map_or("uniform".to_string(), |a| format!("zipf({a})"));
    format!(
        "{} keys on {nodes} nodes, popularity {skew}; ideal movement: {} adding a node, {} removing one\n{}\n",
        format::grouped(keys as f64),
        pct(1.0 / f64::from(nodes + 1)),
        pct(1.0 / f64::from(nodes)),
        table(&results.iter().collect::<Vec<_>>())
    )
}

/// Each tier's shard plan as one pretty JSON list: the plan, the design's strategy and the
/// alternatives, and the recommended vnode and shard counts.
pub fn plans_json(plans: &[ShardPlan]) -> String {
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
    json_text(&serde_json::Value::Array(rows))
}

/// Each tier's shard plan: a heading with how it was simulated, the table of its strategy
/// and the others, then the verdicts as a list.
pub fn plans(plans: &[ShardPlan]) -> String {
    let mut text = String::new();
    for p in plans {
        let v = super::shards::verdicts(p, format::NORMAL_DIGITS);
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
            text.push_str(&format!("- {}\n", super::table::wrap(&t)));
        }
        text.push('\n');
    }
    text
}

/// Why strategies show the same load max/mean and hottest shard, when two or more do: each
/// gives every shard the same share of the hash space, and (behind a cache) no key left is
/// hot enough to tip one shard, so the hottest named is only the first of equals.
fn ties(p: &ShardPlan, all: &[&ShardOutcome]) -> Option<String> {
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
