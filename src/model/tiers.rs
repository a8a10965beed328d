//! Stage 5: tiers. Load = Σ over requests of peak rps × hop multipliers × (1 − hit ratio)
//! of each cache earlier on the path (writes pass caches; a write-around cache does not see
//! them). Nodes = max(⌈load × headroom ÷ capacity⌉, ⌈data ÷ memory or disk⌉, latency-SLO
//! count) × replicas + spare. Utilisation = load ÷ (serving nodes × capacity).
//!
//! Architecture Invariant: every node count goes through `math::numeric::ceil`; the
//! constraint that decided each count is recorded in its note.

use super::derivation::Derived;
use super::hits::{Hits, cache_objects};
use super::latency;
use super::plan::{Edge, Plan};
use crate::design::{CacheSize, Design, RequestKind, Tier, TierKind, WritePolicy};
use crate::math::numeric::ceil;
use crate::units::format::Style;
use crate::units::{Dim, Quantity, Rate, Value};

/// Whether a request of this kind lands on this tier (write-around caches skip writes).
fn receives(kind: RequestKind, tier: &Tier) -> bool {
    match (&tier.cache, kind) {
        (Some(c), RequestKind::Write) => c.write != WritePolicy::Around,
        _ => true,
    }
}

pub(super) fn add(design: &Design, hits: &Hits, plan: &mut Plan) {
    hit_ratios(design, hits, plan);
    loads(design, plan);
    for tier in &design.tiers {
        nodes(design, tier, plan);
    }
}

fn hit_ratios(design: &Design, hits: &Hits, plan: &mut Plan) {
    for t in design.tiers.iter().filter(|t| t.kind == TierKind::Cache) {
        let Some(cache) = &t.cache else { continue };
        let n = &t.name;
        let d = match (&cache.hit_ratio, hits.0.get(n)) {
            (Some(given), _) => Derived::input(Value::number(given.value.si()), Style::Percent, given.origin.clone()),
            (None, Some(h)) => {
                Derived::computed(Value::number(h.ratio), Style::Percent, h.method.clone(), size_inputs(n, design))
            }
            (None, None) => {
                Derived::computed(Value::number(0.0), Style::Percent, "no estimate available; assumed 0", vec![])
            }
        };
        plan.insert(format!("{n}.hit_ratio"), d);
        if let (None, Some(che)) = (&cache.hit_ratio, hits.0.get(n).and_then(|h| h.analytic)) {
            plan.insert(
                format!("{n}.hit_ratio_che"),
                Derived::computed(
                    Value::number(che),
                    Style::Percent,
                    "Che's approximation for the same cache and workload",
                    size_inputs(n, design),
                ),
            );
        }
        // The memory a cache needs: its size in bytes, or keys × object size.
        let memory = match &cache.size {
            Some(CacheSize::Bytes(b)) => {
                Some(Derived::computed(Value::of(b.value), Style::Data, format!("{n}.size"), vec![format!("{n}.size")]))
            }
            Some(size @ CacheSize::Keys(_)) => design.workload.object.as_ref().and_then(|o| {
                cache_objects(design, size).map(|objects| {
                    Derived::computed(
                        Value::new(objects * o.value.si(), Dim::DATA),
                        Style::Data,
                        format!("{n}.size × workload.object"),
                        vec![format!("{n}.size"), "workload.object".into()],
                    )
                })
            }),
            None => None,
        };
        if let Some(m) = memory {
            plan.insert(format!("{n}.memory"), m);
        }
    }
}

fn size_inputs(n: &str, design: &Design) -> Vec<String> {
    let mut v = vec![format!("{n}.size")];
    if design.workload.keys.is_some() {
        v.push("workload.keys".into());
    }
    v
}

/// Adds `rps` and bytes to the edge `from → to`, creating it on first use.
fn add_edge(edges: &mut Vec<Edge>, from: Option<&str>, to: &str, rps: f64, bytes: f64, request: &str) {
    let from = from.map(str::to_string);
    match edges.iter_mut().find(|e| e.from == from && e.to == to) {
        Some(e) => {
            e.rps += rps;
            e.bytes_per_second += rps * bytes;
            if !e.requests.iter().any(|r| r == request) {
                e.requests.push(request.to_string());
            }
        }
        None => edges.push(Edge {
            from,
            to: to.to_string(),
            rps,
            bytes_per_second: rps * bytes,
            requests: vec![request.to_string()],
        }),
    }
}

fn loads(design: &Design, plan: &mut Plan) {
    let mut edges: Vec<Edge> = Vec::new();
    let mut load = vec![0.0f64; design.tiers.len()];
    let mut terms: Vec<Vec<String>> = vec![Vec::new(); design.tiers.len()];
    let mut inputs: Vec<Vec<String>> = vec![Vec::new(); design.tiers.len()];
    for r in &design.requests {
        let peak = plan.value(&format!("{}.peak_rps", r.name));
        let mut mult = 1.0;
        let mut factors: Vec<String> = Vec::new();
        let mut pass = 1.0;
        let mut pass_terms: Vec<String> = Vec::new();
        let bytes = r.request.value.si() + r.response.value.si();
        let mut caller: Option<&str> = None;
        for hop in &r.path {
            let tier = &design.tiers[hop.tier];
            if hop.multiplier != 1.0 {
                mult *= hop.multiplier;
                factors.push(crate::units::format::sig(hop.multiplier, 6));
            }
            if receives(r.kind, tier) {
                load[hop.tier] += peak * mult * pass;
                add_edge(&mut edges, caller, &tier.name, peak * mult * pass, bytes, &r.name);
                caller = Some(&tier.name);
                let mut term = vec![format!("{}.peak_rps", r.name)];
                term.extend(factors.iter().cloned());
                term.extend(pass_terms.iter().cloned());
                terms[hop.tier].push(term.join(" × "));
                inputs[hop.tier].push(format!("{}.peak_rps", r.name));
                inputs[hop.tier]
                    .extend(pass_terms.iter().map(|t| t.trim_start_matches("(1 − ").trim_end_matches(')').to_string()));
            }
            if tier.kind == TierKind::Cache && r.kind == RequestKind::Read {
                let h = plan.value(&format!("{}.hit_ratio", tier.name));
                let h = if h.is_finite() { h } else { 0.0 };
                pass *= 1.0 - h;
                pass_terms.push(format!("(1 − {}.hit_ratio)", tier.name));
            }
        }
    }
    plan.edges = edges;
    for (k, tier) in design.tiers.iter().enumerate() {
        let formula = if terms[k].is_empty() {
            "0 (no request path reaches this tier)".to_string()
        } else {
            terms[k].join(" + ")
        };
        let mut ins = std::mem::take(&mut inputs[k]);
        ins.dedup();
        plan.insert(
            format!("{}.load", tier.name),
            Derived::computed(Value::new(load[k], Rate::DIM), Style::Rate, formula, ins),
        );
    }
}

fn nodes(design: &Design, tier: &Tier, plan: &mut Plan) {
    let n = &tier.name;
    let load = plan.value(&format!("{n}.load"));
    let capacity = tier.capacity.value.si();
    let headroom = tier.headroom.value.si();
    let mut candidates: Vec<(&str, f64)> = Vec::new();

    let throughput = if capacity > 0.0 { ceil(load * headroom / capacity) } else { 0.0 };
    plan.insert(
        format!("{n}.nodes.throughput"),
        Derived::computed(
            Value::number(throughput),
            Style::Count,
            format!("⌈{n}.load × {n}.headroom ÷ {n}.capacity⌉"),
            vec![format!("{n}.load"), format!("{n}.headroom"), format!("{n}.capacity")],
        ),
    );
    candidates.push(("throughput", throughput));

    if let (Some(mem), Some(per_node)) = (plan.get(&format!("{n}.memory")).map(|d| d.value.si), tier.memory.as_ref()) {
        let count = ceil(mem / per_node.value.si());
        plan.insert(
            format!("{n}.nodes.memory"),
            Derived::computed(
                Value::number(count),
                Style::Count,
                format!("⌈{n}.memory ÷ {n}.node_memory⌉"),
                vec![format!("{n}.memory"), format!("{n}.node_memory")],
            ),
        );
        candidates.push(("memory", count));
    }
    if let (true, Some(disk)) =
        (matches!(tier.kind, TierKind::Database | TierKind::Blob | TierKind::Search), tier.disk.as_ref())
    {
        let one_copy = plan.value("storage.total") / design.storage.replication.value.si();
        let count = ceil(one_copy / disk.value.si());
        plan.insert(
            format!("{n}.nodes.disk"),
            Derived::computed(
                Value::number(count),
                Style::Count,
                format!("⌈storage.total ÷ storage.replication ÷ {n}.node_disk⌉"),
                vec!["storage.total".into(), "storage.replication".into(), format!("{n}.node_disk")],
            ),
        );
        candidates.push(("disk", count));
    }
    if let Some(d) = latency::slo_nodes(design, tier, load, plan) {
        candidates.push(("latency", d.value.si));
        plan.insert(format!("{n}.nodes.latency"), d);
    }
    if let Some(given) = &tier.shards {
        candidates.push(("shards", ceil(given.value.si())));
    }
    let (bound, base) = candidates.iter().fold(("throughput", 0.0f64), |best, c| if c.1 > best.1 { *c } else { best });
    let base = if load > 0.0 { base.max(1.0) } else { base };
    let names: Vec<String> = candidates
        .iter()
        .map(|(k, _)| if *k == "shards" { format!("{n}.shards_given") } else { format!("{n}.nodes.{k}") })
        .collect();
    let label = if tier.kind == TierKind::Database { "shards" } else { "nodes.base" };
    plan.insert(
        format!("{n}.{label}"),
        Derived::computed(Value::number(base), Style::Count, format!("max({})", names.join(", ")), names.clone())
            .with_note(format!("bound by {bound}")),
    );
    let replicas = tier.replicas.value.si();
    let spare = tier.spare.value.si();
    let total = base * replicas + spare;
    plan.insert(
        format!("{n}.nodes"),
        Derived::computed(
            Value::number(total),
            Style::Count,
            format!("{n}.{label} × {n}.replicas + {n}.spare"),
            vec![format!("{n}.{label}"), format!("{n}.replicas"), format!("{n}.spare")],
        )
        .with_note(format!("bound by {bound}")),
    );
    let serving = total - spare;
    plan.insert(
        format!("{n}.capacity_total"),
        Derived::computed(
            Value::new(serving * capacity, Rate::DIM),
            Style::Rate,
            format!("({n}.nodes − {n}.spare) × {n}.capacity"),
            vec![format!("{n}.nodes"), format!("{n}.spare"), format!("{n}.capacity")],
        ),
    );
    plan.insert(
        format!("{n}.load_per_node"),
        Derived::computed(
            Value::new(if serving > 0.0 { load / serving } else { 0.0 }, Rate::DIM),
            Style::Rate,
            format!("{n}.load ÷ ({n}.nodes − {n}.spare)"),
            vec![format!("{n}.load"), format!("{n}.nodes"), format!("{n}.spare")],
        ),
    );
    let util = if serving > 0.0 && capacity > 0.0 { load / (serving * capacity) } else { 0.0 };
    plan.insert(
        format!("{n}.utilization"),
        Derived::computed(
            Value::number(util),
            Style::Percent,
            format!("{n}.load ÷ (({n}.nodes − {n}.spare) × {n}.capacity)"),
            vec![format!("{n}.load"), format!("{n}.nodes"), format!("{n}.spare"), format!("{n}.capacity")],
        ),
    );
}
