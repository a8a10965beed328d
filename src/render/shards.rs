//! The simulated shard plan as the doc shows it: balance and movement figures, verdicts
//! against the tier's imbalance target and per-node capacity with the recommended vnode and
//! shard counts, and an SVG of load per shard (hottest first) against the mean and target.
//!
//! Architecture Invariant: formats what `shard_plan` computed; computes nothing itself.

use super::style::{GREY, PALETTE, RED, SIZE, legend};
use super::table::escape;
use crate::analysis::shard_plan::ShardPlan;
use crate::units::format::{self, Style};
use crate::units::{Dim, Value};
use plotters::prelude::*;
use serde_json::{Value as Json, json};

fn pct(x: f64) -> String {
    if x > 0.0 && x < 1e-4 { "< 0.01%".into() } else { format::human(Value::new(x, Dim::NONE), Style::Percent, 3) }
}

fn rps(x: f64, digits: usize) -> String {
    format::human(Value::new(x, Dim::RATE), Style::Rate, digits)
}

fn times(x: f64) -> String {
    format!("{}x", format::sig(x, 3))
}

/// The shard plan in words, for a terminal or (escaped) for a doc.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdicts {
    /// How the simulation was set up.
    pub method: String,
    /// Whether the imbalance target holds.
    pub balance: String,
    /// The recommended vnode count (consistent hashing only).
    pub vnodes: Option<String>,
    /// The recommended shard count.
    pub capacity: String,
}

/// The verdicts and recommendations of one tier's simulated shard plan.
pub fn verdicts(s: &ShardPlan, digits: usize) -> Verdicts {
    let o = &s.outcome;
    let method = format!(
        "the {} most popular of {} keys placed one by one by {}, the rest shared by each shard's share of the hash space{}",
        format::grouped(s.placed as f64),
        format::human(Value::new(s.keys, Dim::NONE), Style::Count, 4),
        o.strategy.name(),
        s.behind_cache.as_ref().map_or(String::new(), |c| format!(
            "; read load per key after `{c}`'s hits (Che's approximation, e^(−p·t_C))"
        )),
    );
    let balance = if o.load_imbalance <= s.target {
        format!(
            "Meets the imbalance target of {}: the hottest shard carries {} the mean load.",
            times(s.target),
            times(o.load_imbalance)
        )
    } else {
        format!(
            "Misses the imbalance target of {}: the hottest shard carries {} the mean load.",
            times(s.target),
            times(o.load_imbalance)
        )
    };
    let vnodes = match (o.strategy, s.vnodes) {
        (crate::sim::shard::Strategy::Consistent { vnodes }, Some((v, i))) => Some(format!(
            "Recommended vnodes: {v} per node, the fewest that meets {} (max/mean {}); the design uses {vnodes}.",
            times(s.target),
            times(i)
        )),
        (crate::sim::shard::Strategy::Consistent { .. }, None) => Some(format!(
            "No vnode count up to 2048 meets {}: the hottest key alone carries {} of the load, {} a shard's mean — cache it or split it.",
            times(s.target),
            pct(s.hottest_key_share),
            times(s.floor)
        )),
        _ => None,
    };
    let capacity = match s.shards_needed {
        _ if s.hottest_load <= s.shard_capacity => format!(
            "Recommended shards: {} as planned — the hottest shard's peak, {}, is within one node's capacity ÷ headroom, {}.",
            s.shards,
            rps(s.hottest_load, digits),
            rps(s.shard_capacity, digits)
        ),
        Some((count, hot)) => format!(
            "Recommended shards: {count}, not {} — at {} the hottest shard's peak, {}, exceeds one node's capacity ÷ headroom, {}; at {count} it is {}.",
            s.shards,
            s.shards,
            rps(s.hottest_load, digits),
            rps(s.shard_capacity, digits),
            rps(hot, digits)
        ),
        None => format!(
            "No shard count up to {} keeps the hottest shard within {}: the hottest key alone carries {} of the load — cache it or split it.",
            s.shards.saturating_mul(4),
            rps(s.shard_capacity, digits),
            pct(s.hottest_key_share)
        ),
    };
    Verdicts { method, balance, vnodes, capacity }
}

/// The view of one tier's simulated shard plan.
pub fn view(s: &ShardPlan, digits: usize, plot: Option<String>) -> Json {
    let o = &s.outcome;
    let Verdicts { method, balance, vnodes, capacity } = verdicts(s, digits);
    json!({
        "tier": escape(&s.tier),
        "method": escape(&method),
        "key_imbalance": times(o.key_imbalance),
        "load_imbalance": times(o.load_imbalance),
        "hottest": format!("shard {} ({} of the load)", o.hottest_node, pct(o.hottest_share)),
        "hottest_key": pct(s.hottest_key_share),
        "moved_on_add": pct(o.moved_on_add),
        "ideal_add": pct(o.ideal_moved_on_add()),
        "moved_on_remove": pct(o.moved_on_remove),
        "ideal_remove": pct(o.ideal_moved_on_remove()),
        "balance": escape(&balance),
        "vnodes": vnodes.map(|t| escape(&t)),
        "capacity": escape(&capacity),
        "plot": plot,
    })
}

/// Load per shard, hottest first, as a multiple of the mean, with the target drawn.
pub fn plot(design_name: &str, s: &ShardPlan) -> Option<String> {
    let n = s.outcome.load_per_node.len();
    if n == 0 {
        return None;
    }
    let mean = 1.0 / n as f64;
    let mut loads: Vec<f64> = s.outcome.load_per_node.iter().map(|l| l / mean).collect();
    loads.sort_by(|a, b| b.total_cmp(a));
    let y_max = loads.first().copied().unwrap_or(1.0).max(s.target) * 1.15;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        root.fill(&WHITE).ok()?;
        let mut chart = ChartBuilder::on(&root)
            .caption(format!("{design_name}: load per shard of {}", s.tier), ("sans-serif", 18))
            .margin(12)
            .margin_right(24)
            .x_label_area_size(36)
            .y_label_area_size(64)
            .build_cartesian_2d(0.0f64..n as f64, 0.0f64..y_max)
            .ok()?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_desc("shards, hottest first")
            .y_desc("load ÷ mean load")
            .y_label_formatter(&|y| times(*y))
            .x_label_formatter(&|x| format::sig(*x, 3))
            .draw()
            .ok()?;
        let color = PALETTE[0];
        chart
            .draw_series(
                loads.iter().enumerate().map(|(k, &l)| {
                    Rectangle::new([(k as f64 + 0.1, 0.0), (k as f64 + 0.9, l)], color.mix(0.7).filled())
                }),
            )
            .ok()?
            .label(format!("{} (simulated)", s.outcome.strategy.name()))
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 12, y + 5)], color.mix(0.7).filled()));
        for (y, label, c) in [(1.0, "mean".to_string(), GREY), (s.target, format!("target {}", times(s.target)), RED)] {
            chart
                .draw_series(std::iter::once(PathElement::new(vec![(0.0, y), (n as f64, y)], c.stroke_width(2))))
                .ok()?
                .label(label)
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], c.stroke_width(2)));
        }
        legend(&mut chart, SeriesLabelPosition::UpperRight)?;
        root.present().ok()?;
    }
    Some(svg)
}
