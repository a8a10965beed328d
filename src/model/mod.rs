//! The estimation model: a validated [`Design`] (plus cache hit ratios) → a [`Plan`] in which
//! every number is a [`Derived`] with its formula and inputs.
//!
//! Stages, in order (each reads only what earlier stages wrote):
//! 1. `inputs` — every design input becomes a plan entry with its origin;
//! 2. `traffic` — daily calls, average and peak rps per request and in total;
//! 3. `bandwidth` — ingress, egress and origin egress, average and peak;
//! 4. `storage` — bytes per day, per year, and in total with replication, overhead, growth;
//! 5. `tiers` — load along paths, node counts (throughput, memory, disk, network,
//!    connections, latency), utilisation;
//! 6. `latency` — M/M/c queueing per tier and per request;
//! 7. `availability` — per tier, per request, composite; downtime and error budget;
//! 8. `cost` — per tier, compute, storage, network, per month and year, per request and user;
//! 9. `edges` — calls and bytes per second along each edge, and calls at each request's hop.
//!
//! Two helpers the stages share: `paths` (which calls of a request reach each hop) and
//! `queue` (one node's queue, and the latency-SLO node count stage 5 takes from it). Beside
//! them: `plan` (the entries, and a values-only plan for Monte Carlo samples), `derivation`
//! (one entry's value, formula and inputs), `hits` (the hit ratios handed in) and `curves`
//! (plot series made with the stages' own formulas).
//!
//! Architecture Invariant: pure — no I/O, no global state, no calls into `sim`; hit ratios
//! arrive as [`Hits`]. Inputs are read through the typed quantities of `units`.

mod availability;
mod bandwidth;
pub mod cost;
pub mod curves;
pub mod derivation;
pub mod edges;
pub mod hits;
mod inputs;
mod latency;
mod paths;
pub mod plan;
mod queue;
mod storage;
mod tiers;
mod traffic;

pub use availability::{BURN_ALERTS, BurnAlert};
pub use derivation::{Derived, Provenance};
pub use hits::{HitEstimate, Hits};
pub use plan::{Distributions, Edge, Layout, Percentiles, Plan, View};

use crate::design::Design;

/// Computes the plan for a design, given each cache tier's hit ratio.
pub fn estimate(design: &Design, hits: &Hits) -> Plan {
    let mut plan = Plan::default();
    estimate_into(design, hits, &mut plan);
    plan
}

/// Computes the plan into `plan`: a full plan, or a values-only plan (reset between samples)
/// whose layout came from a full plan of the same design.
pub fn estimate_into(design: &Design, hits: &Hits, plan: &mut Plan) {
    inputs::add(design, plan);
    traffic::add(design, plan);
    bandwidth::add(design, plan);
    storage::add(design, plan);
    tiers::add(design, hits, plan);
    latency::add(design, plan);
    availability::add(design, plan);
    cost::add(design, plan);
    edges::add(design, plan);
}
