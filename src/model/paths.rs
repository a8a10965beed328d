//! Which calls of a request reach each hop of its path: hop multipliers (`x 300`), the edge
//! (a request's `cdn` share, or a `kind = cdn` tier's absorption), cache hits on reads, and
//! write-around caches that writes skip. Loads, per-tier bandwidth, latency and availability
//! all read this one walk, so they agree on what a request reaches.
//!
//! Architecture Invariant: a hop's share is calls reaching it per call of the request; a
//! tier a request's calls never reach has share 0 and is left out of that request's latency
//! and availability.

use super::plan::Plan;
use crate::design::{Design, Request, RequestKind, Tier, TierKind, WritePolicy};
use crate::key::{self, Metric};

/// Whether a request of this kind lands on this tier (write-around caches skip writes).
pub(super) fn receives(kind: RequestKind, tier: &Tier) -> bool {
    match (&tier.cache, kind) {
        (Some(c), RequestKind::Write) => c.write != WritePolicy::Around,
        _ => true,
    }
}

/// One hop of a request's walk.
#[derive(Debug, Clone)]
pub(super) struct Step {
    /// Index into the design's tiers.
    pub(super) tier: usize,
    /// Calls reaching this hop per call of the request (0 when it receives none).
    pub(super) share: f64,
    /// The factors of `share` as plan names and numbers, for formulas: `x 300`,
    /// `(1 − cache.hit_ratio)`, `(1 − view.cdn)`.
    pub(super) factors: Vec<String>,
    /// Names the factors read.
    pub(super) inputs: Vec<String>,
}

/// The share of a request's calls the edge answers, and the plan name it comes from: a cdn
/// tier's `hit_ratio` on a read's path, else the request's own `cdn`.
pub(super) fn edge(design: &Design, r: &Request, plan: &Plan) -> (f64, String) {
    let edge_tier = r.path.iter().map(|h| &design.tiers[h.tier]).find(|t| t.kind == TierKind::Cdn);
    match edge_tier {
        Some(t) if t.edge_hit_ratio.is_some() && r.kind == RequestKind::Read => {
            (plan.value(&key::of(&t.name, Metric::HitRatio)), key::of(&t.name, Metric::HitRatio))
        }
        _ => (plan.value(&key::of(&r.name, Metric::Cdn)), key::of(&r.name, Metric::Cdn)),
    }
}

/// The walk of one request along its path.
pub(super) fn walk(design: &Design, r: &Request, plan: &Plan, explain: bool) -> Vec<Step> {
    let (absorb, absorb_name) = edge(design, r, plan);
    let absorb = if absorb.is_finite() { absorb.clamp(0.0, 1.0) } else { 0.0 };
    let has_edge_tier = r.path.iter().any(|h| design.tiers[h.tier].kind == TierKind::Cdn);
    let mut pass = 1.0;
    let mut factors: Vec<String> = Vec::new();
    let mut inputs: Vec<String> = Vec::new();
    let mut edge_passed = false;
    if !has_edge_tier && absorb > 0.0 {
        // a managed edge outside the design answers its share before the first tier
        pass *= 1.0 - absorb;
        edge_passed = true;
        if explain {
            factors.push(format!("(1 − {absorb_name})"));
            inputs.push(absorb_name.clone());
        }
    }
    let mut out = Vec::with_capacity(r.path.len());
    for hop in &r.path {
        let tier = &design.tiers[hop.tier];
        if hop.multiplier != 1.0 {
            pass *= hop.multiplier;
            if explain {
                factors.push(crate::units::format::sig(hop.multiplier, 6));
            }
        }
        let share = if receives(r.kind, tier) { pass } else { 0.0 };
        out.push(Step {
            tier: hop.tier,
            share,
            factors: if explain { factors.clone() } else { Vec::new() },
            inputs: if explain { inputs.clone() } else { Vec::new() },
        });
        if tier.kind == TierKind::Cdn && !edge_passed {
            edge_passed = true;
            pass *= 1.0 - absorb;
            if explain {
                factors.push(format!("(1 − {absorb_name})"));
                inputs.push(absorb_name.clone());
            }
        }
        if tier.kind == TierKind::Cache && r.kind == RequestKind::Read {
            let h = plan.value(&key::of(&tier.name, Metric::HitRatio));
            let h = if h.is_finite() { h } else { 0.0 };
            pass *= 1.0 - h;
            if explain {
                factors.push(format!("(1 − {}.hit_ratio)", tier.name));
                inputs.push(key::of(&tier.name, Metric::HitRatio));
            }
        }
    }
    out
}

/// The hops of a request that its calls reach (share > 0), in path order: as the load stage
/// recorded them, or walked afresh before it has.
pub(super) fn reached(design: &Design, r: &Request, plan: &Plan) -> Vec<usize> {
    match index_of(design, r).and_then(|k| plan.reached.get(k)) {
        Some(tiers) => tiers.clone(),
        None => walk(design, r, plan, false).into_iter().filter(|s| s.share > 0.0).map(|s| s.tier).collect(),
    }
}

/// The position of `r` among the design's requests, found from its address (in constant
/// time: latency, availability and the latency-SLO budgets ask for every request).
fn index_of(design: &Design, r: &Request) -> Option<usize> {
    index_in(&design.requests, r)
}

/// The position of `x` in `items` when it is one of them (by address, in constant time).
pub(super) fn index_in<T>(items: &[T], x: &T) -> Option<usize> {
    let size = std::mem::size_of::<T>().max(1);
    let offset = (x as *const T as usize).checked_sub(items.as_ptr() as usize)?;
    let k = offset / size;
    items.get(k).filter(|y| offset % size == 0 && std::ptr::eq(*y, x)).map(|_| k)
}
