//! Plausibility warnings: a plan that is arithmetically right but physically implausible
//! says so, with the line to change — a node moving more than a NIC, a stateful tier sized
//! for bytes that dwarf its traffic, stored bytes no tier holds, a tier no request reaches, a
//! cache that beats what a uniform workload allows, a node holding more than a million
//! connections.
//!
//! Architecture Invariant: warnings read the plan and the design; they never change a number
//! and never fail a check (`fermi check --deny-warnings` makes them fail).

use crate::check::{Finding, FindingKind};
use crate::design::{CacheSize, Design, Popularity, TierKind};
use crate::key::{self, Metric};
use crate::model::Plan;
use crate::units::format::{self, Style};
use crate::units::{Dim, Quantity, Value};

/// Bytes per second one node may move before a tier without `network` is implausible:
/// 100 Gbps.
const NIC_BYTES_PER_SECOND: f64 = 100e9 / 8.0;
/// Connections one node may hold before it is implausible.
const MAX_CONNECTIONS: f64 = 1e6;

fn warning(span: crate::source::Span, text: String, message: String, suggestion: String) -> Finding {
    Finding {
        kind: FindingKind::Plausibility,
        passed: true,
        span,
        text,
        actual: String::new(),
        limit: String::new(),
        message,
        suggestion: Some(suggestion),
    }
}

fn show(v: f64, dim: Dim, style: Style) -> String {
    format::human(Value::new(v, dim), style, 4)
}

/// Every plausibility warning of a plan, in the order of the design's lines.
pub fn warnings(design: &Design, plan: &Plan) -> Vec<Finding> {
    let mut out = Vec::new();
    // which tiers some request's path names, and which requests place bytes in each
    let mut named = vec![false; design.tiers.len()];
    let mut placing: Vec<Vec<usize>> = vec![Vec::new(); design.tiers.len()];
    for (i, r) in design.requests.iter().enumerate() {
        for h in &r.path {
            if let Some(x) = named.get_mut(h.tier) {
                *x = true;
            }
        }
        for p in &r.placements {
            if let Some(list) = p.tier.and_then(|k| placing.get_mut(k))
                && list.last() != Some(&i)
            {
                list.push(i);
            }
        }
    }
    for (k, t) in design.tiers.iter().enumerate() {
        let n = &t.name;
        let on_path = named[k];
        if !on_path {
            out.push(warning(
                t.span,
                format!("tier {n}"),
                format!("tier `{n}` is on no request's path: it receives no calls, and its nodes and availability are not part of any request"),
                format!("add `{n}` to a request's `path`, or remove the tier"),
            ));
            continue;
        }
        let nodes = plan.value(&key::of(n, Metric::Nodes)) - t.spare.value.si();
        let bw = plan.defined(&key::of(n, Metric::Bandwidth)).unwrap_or(0.0);
        if t.network.is_none() && nodes > 0.0 && bw / nodes > NIC_BYTES_PER_SECOND {
            out.push(warning(
                t.span,
                format!("tier {n}"),
                format!(
                    "each `{n}` node moves {} at peak, more than a 100 Gbps NIC",
                    show(bw / nodes, Dim::DATA_RATE, Style::DataRate)
                ),
                format!("state the NIC with `network = 25 Gbps` in tier `{n}` so its node count covers the bandwidth"),
            ));
        }
        let held = plan.defined(&key::of(n, Metric::Storage)).unwrap_or(0.0);
        let util = plan.defined(&key::of(n, Metric::Utilization)).unwrap_or(1.0);
        let disk = plan.defined(&key::of(n, Metric::NodesDisk)).unwrap_or(0.0);
        let throughput = plan.defined(&key::of(n, Metric::NodesThroughput)).unwrap_or(0.0);
        if held > 0.0 && util < 0.01 && disk > 10.0 * throughput.max(1.0) {
            let sources: Vec<String> = placing[k]
                .iter()
                .map(|&i| &design.requests[i])
                .flat_map(|r| r.placements.iter().filter(|p| p.tier == Some(k)).map(|p| p.name.clone()))
                .chain(t.data.as_ref().map(|_| key::of(n, Metric::Data)))
                .collect();
            out.push(warning(
                t.span,
                format!("tier {n}"),
                format!(
                    "`{n}` needs {} nodes for the {} it holds ({}) but {} for its traffic: utilisation {}",
                    format::count(disk, 4),
                    show(held, Dim::DATA, Style::Data),
                    if sources.is_empty() { "no named source".to_string() } else { sources.join(" + ") },
                    format::count(throughput, 4),
                    show(util, Dim::NONE, Style::Percent)
                ),
                format!(
                    "check that those bytes belong in `{n}` (`stores = … in TIER`), or give it larger disks (`disk = …`)"
                ),
            ));
        }
        if let Some(c) = &t.connections
            && c.value.si() > MAX_CONNECTIONS
        {
            out.push(warning(
                t.span,
                format!("tier {n}"),
                format!(
                    "`{n}` holds {} connections per node; more than a million per node is beyond what real servers hold",
                    format::count(c.value.si(), 4)
                ),
                format!("lower `connections` in tier `{n}` (100K–500K per node is typical)"),
            ));
        }
        if t.kind == TierKind::Cache
            && let (Some(cache), Popularity::Uniform, Some(keys)) =
                (&t.cache, design.workload.skew, design.workload.keys.as_ref())
        {
            let hit = plan.value(&key::of(n, Metric::HitRatio));
            let objects = match &cache.size {
                Some(CacheSize::Keys(k)) => Some(k.value.si()),
                Some(CacheSize::Bytes(b)) => design.workload.object.as_ref().map(|o| b.value.si() / o.value.si()),
                None => None,
            };
            if let Some(objects) = objects
                && keys.value.si() > 0.0
            {
                let share = (objects / keys.value.si()).min(1.0);
                if hit > share + 1e-9 {
                    out.push(warning(
                        t.span,
                        format!("tier {n}"),
                        format!(
                            "`{n}` hits {} of reads, but under a uniform workload a cache holding {} of the keys hits at most that share",
                            show(hit, Dim::NONE, Style::Percent),
                            show(share, Dim::NONE, Style::Percent)
                        ),
                        format!("lower `hit_ratio` in tier `{n}`, grow its `size`, or state the skew (`skew = zipf(0.9)`)"),
                    ));
                }
            }
        }
    }
    let unplaced = plan.defined("storage.unplaced").unwrap_or(0.0);
    if unplaced > 0.0 {
        for r in &design.requests {
            if let Some(p) = r.placements.iter().find(|p| p.tier.is_none()) {
                out.push(warning(
                    r.span,
                    format!("request {}", r.name),
                    format!(
                        "`{}` stores {} per call but no database, blob or search tier on its path holds them: they count in storage.total, but no tier is sized for them",
                        r.name,
                        show(p.bytes.value.si(), Dim::DATA, Style::Data)
                    ),
                    format!("add the tier that keeps them to `{}`'s path", r.name),
                ));
            }
        }
    }
    out.sort_by_key(|f| f.span);
    out
}
