//! Data series for plots: stored bytes over the planning horizon, downtime against
//! availability. Render only draws these; the numbers are made here.
//!
//! Architecture Invariant: each series uses the same formulas as the plan entries it
//! illustrates (storage uses `storage::weighted_years`), so a plot cannot disagree with a table.

use super::plan::Plan;
use super::queue::Queue;
use super::storage::weighted_years;
use crate::design::Design;
use crate::key::{self, Metric};
use crate::math::availability::{downtime, k_of_n, parallel};
use crate::math::numeric::ceil;
use crate::units::Quantity;

/// A named series of (x, y) points.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Legend text.
    pub name: String,
    /// Points in x order.
    pub points: Vec<(f64, f64)>,
}

/// Bytes stored (all copies, with overhead) at each point in time from 0 to the horizon,
/// x in years. Growth compounds; data older than the retention is deleted. Without a horizon
/// past the retention, the series runs half a retention further, so the level it settles at
/// once deletion keeps pace with writes shows.
pub fn storage_growth(design: &Design, plan: &Plan) -> Series {
    let year = design.year.value.si();
    let retention = design.storage.retention.value.si() / year;
    let horizon = design.users.horizon.as_ref().map_or(0.0, |h| h.value.si() / year);
    let horizon = if horizon > retention { horizon } else { retention * 1.5 };
    let growth = design.users.growth.value.si();
    let copies = design.storage.replication.value.si() * (1.0 + design.storage.overhead.value.si());
    let yearly = plan.value("storage.yearly");
    let steps = 48;
    let points = (0..=steps)
        .map(|k| {
            let t = horizon * k as f64 / steps as f64;
            (t, yearly * weighted_years(retention.min(t), t, growth) * copies)
        })
        .collect();
    Series { name: "stored bytes (all copies)".into(), points }
}

/// Downtime per calendar year against availability, from 90% (one nine) to `to` nines.
pub fn downtime_by_nines(design: &Design, to: f64) -> Series {
    let year = design.year.value.si();
    let steps = (10.0 * (to - 1.0)).ceil().max(1.0) as usize;
    let points = (0..=steps)
        .map(|k| {
            let nines = 1.0 + (to - 1.0) * k as f64 / steps as f64;
            (nines, downtime(1.0 - 10f64.powf(-nines), year))
        })
        .collect();
    Series { name: "downtime per year".into(), points }
}

/// The percentile that latency plots show: the first latency SLO's, else p99, as (label, q).
pub fn latency_percentile(design: &Design) -> (String, f64) {
    design.slo.latency.first().map_or(("p99".into(), 0.99), |l| (l.label.clone(), l.quantile))
}

/// Per queueing tier: its latency percentile against per-node utilisation ρ = λ·s/c (x from
/// 0.02 to 0.98), from the same queue model as the plan; plus the tier's operating point.
pub fn latency_vs_utilization(design: &Design, plan: &Plan) -> Vec<(Series, Option<(f64, f64)>)> {
    let (label, q) = latency_percentile(design);
    design
        .tiers
        .iter()
        .filter_map(|t| {
            let queue = Queue::of(t)?;
            let points = (1..=49)
                .filter_map(|k| {
                    let rho = k as f64 / 50.0;
                    let lambda = rho * queue.c as f64 / queue.s;
                    queue.percentile(lambda, q).map(|y| (rho, y))
                })
                .collect();
            let now = plan.get(&key::of(&t.name, Metric::QueueUtilization)).map(|d| d.value.si);
            let here = now.zip(plan.get(&key::latency(&t.name, &label)).map(|d| d.value.si));
            Some((Series { name: format!("{} {label}", t.name), points }, here))
        })
        .collect()
}

/// Availability (in nines, −log₁₀(1 − A), capped at 9: beyond 1 − 10⁻⁹ the display policy
/// shows a bound) against redundancy for each tier on a path: for a stateless tier, k-of-n
/// with k = ⌈load ÷ capacity⌉ and x = n − k spare nodes from 0 to 6 (or to the design's own);
/// for a stateful one, x = replicas − 1 from 0 to 5 (or the design's). With each, the design's
/// own configuration (x, its `TIER.availability` in nines).
pub fn availability_vs_nodes(design: &Design, plan: &Plan) -> Vec<(Series, Option<(f64, f64)>)> {
    let mut out = Vec::new();
    let nines = |x: f64| if x >= 1.0 { 9.0 } else { (-(1.0 - x).log10()).min(9.0) };
    for (k, t) in design.tiers.iter().enumerate() {
        if !design.requests.iter().any(|r| r.path.iter().any(|h| h.tier == k)) {
            continue;
        }
        let a = t.availability.value.si();
        let here = plan.defined(&key::of(&t.name, Metric::Availability)).map(nines);
        let (points, x): (Vec<(f64, f64)>, Option<f64>) = if t.kind.is_stateful() {
            let own = t.replicas.value.si() - 1.0;
            let last = (own.max(5.0) as u64).min(12);
            ((0..=last).map(|r| (r as f64, nines(parallel(a, (r + 1) as f64)))).collect(), Some(own))
        } else {
            let need = ceil(plan.value(&key::of(&t.name, Metric::Load)) / t.capacity.value.si()).max(1.0) as u64;
            let serving = plan.value(&key::of(&t.name, Metric::Nodes));
            let own = (serving.is_finite() && serving >= need as f64).then_some(serving - need as f64);
            let last = own.map_or(6, |o| (o as u64).clamp(6, 12));
            ((need..=need + last).map(|n| ((n - need) as f64, nines(k_of_n(need, n, a)))).collect(), own)
        };
        let what = if t.kind.is_stateful() { "extra replicas" } else { "spare nodes" };
        let here = x.filter(|x| *x <= 12.0).zip(here);
        out.push((Series { name: format!("{} ({what})", t.name), points }, here));
    }
    out
}

/// A cache tier's miss-ratio curves: x is the cache size as a fraction of the keys, y the
/// miss ratio. Made by the orchestrator (`hit_ratios::curves`), which runs the simulations.
#[derive(Debug, Clone, PartialEq)]
pub struct CacheCurve {
    /// The tier.
    pub tier: String,
    /// Simulated curves (LRU from stack distances; the tier's own policy when it differs)
    /// and Che's approximation at the design's full key count.
    pub series: Vec<Series>,
    /// Keys in the simulated workload behind the curves (fewer than the design's when it has
    /// many; the legend and the doc's text both name this count).
    pub simulated_keys: f64,
    /// The tier's own operating point: (its policy, fraction of keys, miss ratio).
    pub chosen: Option<(String, f64, f64)>,
}
