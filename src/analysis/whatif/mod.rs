//! What-if questions over analyses — the orchestrator's one place for modified designs: what
//! a change did to the plan (`diff`), how the plan moves across the range of one input
//! (`sweep`), what change would meet a failed availability SLO (`fixes`), each scenario's
//! plan (`scenarios`) and each choice's main alternative re-run (`alternatives`). Diffs,
//! sweeps and alternatives compare the same headline results:
//! peak traffic, egress, storage, availability, each request's p99, the monthly cost when
//! priced, and every tier's node count.
//!
//! Architecture Invariant: pure functions over analyses and plans (a diff's two sides are
//! analysed by the orchestrator); a sweep re-lowers and re-estimates at each value, and the
//! availability fixes re-estimate modified designs, but neither ever simulates — its cache
//! hit ratios come from Che's approximation offset to the base design's simulated ratio.

use crate::key::{self, Metric};
pub mod alternatives;
pub mod diff;
pub mod fixes;
pub mod scenarios;
pub mod stale;
pub mod sweep;
pub mod threshold;

use crate::design::Design;
use crate::model::Plan;

/// The design-wide results every what-if shows, before the per-request and per-tier ones.
pub const HEADLINE: [&str; 5] = [
    "traffic.peak_rps",
    "bandwidth.egress_peak",
    "bandwidth.origin_egress_peak",
    "storage.total",
    "availability.composite",
];

/// The headline result names of a design's plan, in display order: [`HEADLINE`], each
/// request's `NAME.latency.p99`, `cost.monthly` when the design is priced, then each tier's
/// `TIER.nodes`. Names the plan does not hold are left out.
pub fn headline_names(design: &Design, plan: &Plan) -> Vec<String> {
    let mut out: Vec<String> = HEADLINE.iter().map(|s| s.to_string()).collect();
    out.extend(design.requests.iter().map(|r| format!("{}.latency.p99", r.name)));
    if priced(plan) {
        out.push("cost.monthly".into());
    }
    out.extend(design.tiers.iter().map(|t| key::of(&t.name, Metric::Nodes)));
    out.retain(|n| plan.get(n).is_some() || (!plan.is_full() && plan.value(n).is_finite()));
    out
}

/// Whether a plan has a monthly cost worth showing (some price was stated).
pub fn priced(plan: &Plan) -> bool {
    plan.defined("cost.monthly").is_some_and(|c| c > 0.0)
}

/// The relative change from `old` to `new` as a fraction (`0.18` for +18%): `None` when
/// either is undefined, infinite when `old` is zero and `new` is not.
pub fn relative(old: f64, new: f64) -> Option<f64> {
    if !(old.is_finite() && new.is_finite()) {
        return None;
    }
    if old == 0.0 {
        return Some(if new == 0.0 { 0.0 } else { f64::INFINITY.copysign(new) });
    }
    Some((new - old) / old.abs())
}

/// Whether two values of a result differ beyond floating-point noise (both undefined: same).
pub fn differs(old: f64, new: f64) -> bool {
    match (old.is_finite(), new.is_finite()) {
        (true, true) => (new - old).abs() > 1e-9 * old.abs().max(new.abs()).max(f64::MIN_POSITIVE),
        (false, false) => false,
        _ => true,
    }
}
