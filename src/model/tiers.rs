//! Stage 5: tiers. Load = Σ over requests of peak rps × the share of its calls reaching the
//! tier (`paths`: hop multipliers, the edge, cache hits; writes pass caches and a
//! write-around cache does not see them); bandwidth = Σ those calls × (request + response
//! bytes). Nodes = max(⌈load × headroom ÷ capacity⌉, ⌈cache memory ÷ memory⌉,
//! ⌈TIER.storage ÷ disk⌉, ⌈bandwidth × headroom ÷ network⌉, ⌈users.concurrent × headroom ÷
//! connections⌉, latency-SLO count) × replicas + spare. Utilisation = load ÷ (serving nodes
//! × capacity).
//!
//! Architecture Invariant: every node count goes through `math::numeric::ceil`; the
//! constraint that decided each count is recorded in its note.

use super::derivation::Derived;
use super::hits::{Hits, cache_objects};
use super::paths;
use super::plan::Plan;
use super::queue;
use crate::design::{CacheSize, Design, Tier, TierKind};
use crate::key::{self, Metric};
use crate::math::numeric::ceil;
use crate::units::format::Style;
use crate::units::{Dim, Quantity, Rate, Value};

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
        let estimate = hits.0.get(n);
        let ratio = match (&cache.hit_ratio, estimate) {
            (Some(given), _) => given.value.si(),
            (None, Some(h)) => h.ratio,
            (None, None) => 0.0,
        };
        plan.add(ratio, || {
            let d = match (&cache.hit_ratio, estimate) {
                (Some(given), _) => Derived::input(Value::number(ratio), Style::Percent, given.origin.clone()),
                (None, Some(h)) => {
                    Derived::computed(Value::number(ratio), Style::Percent, h.method.clone(), size_inputs(n, design))
                }
                (None, None) => {
                    Derived::computed(Value::number(ratio), Style::Percent, "no estimate available; assumed 0", vec![])
                }
            };
            (key::of(n, Metric::HitRatio), d)
        });
        if let (None, Some(che)) = (&cache.hit_ratio, estimate.and_then(|h| h.analytic)) {
            plan.add(che, || {
                let formula = "Che's approximation for the same cache and workload";
                let d = Derived::computed(Value::number(che), Style::Percent, formula, size_inputs(n, design));
                (key::of(n, Metric::HitRatioChe), d)
            });
        }
        // The memory a cache needs: its size in bytes, or keys × object size.
        match &cache.size {
            Some(CacheSize::Bytes(b)) => plan.add(b.value.si(), || {
                let d = Derived::computed(
                    Value::of(b.value),
                    Style::Data,
                    key::of(n, Metric::Size),
                    vec![key::of(n, Metric::Size)],
                );
                (key::of(n, Metric::Memory), d)
            }),
            Some(size @ CacheSize::Keys(_)) => {
                if let (Some(o), Some(objects)) = (&design.workload.object, cache_objects(design, size)) {
                    let bytes = objects * o.value.si();
                    plan.add(bytes, || {
                        let inputs = vec![key::of(n, Metric::Size), "workload.object".into()];
                        let formula = format!("{n}.size × workload.object");
                        let d = Derived::computed(Value::new(bytes, Dim::DATA), Style::Data, formula, inputs);
                        (key::of(n, Metric::Memory), d)
                    });
                }
            }
            None => {}
        }
    }
}

fn size_inputs(n: &str, design: &Design) -> Vec<String> {
    let mut v = vec![key::of(n, Metric::Size)];
    if design.workload.keys.is_some() {
        v.push("workload.keys".into());
    }
    v
}

fn loads(design: &Design, plan: &mut Plan) {
    let mut load = vec![0.0f64; design.tiers.len()];
    let mut bandwidth = vec![0.0f64; design.tiers.len()];
    let mut terms: Vec<Vec<String>> = vec![Vec::new(); design.tiers.len()];
    let mut inputs: Vec<Vec<String>> = vec![Vec::new(); design.tiers.len()];
    let mut bytes_terms: Vec<Vec<String>> = vec![Vec::new(); design.tiers.len()];
    // Formula terms are for people; a values-only plan skips them.
    let explain = plan.is_full();
    let mut reached: Vec<Vec<usize>> = Vec::with_capacity(design.requests.len());
    for r in &design.requests {
        let peak = plan.value(&key::of(&r.name, Metric::PeakRps));
        let bytes = r.request.value.si() + r.response.value.si();
        let steps = paths::walk(design, r, plan, explain);
        reached.push(steps.iter().filter(|s| s.share > 0.0).map(|s| s.tier).collect());
        for step in steps {
            let tier = &design.tiers[step.tier];
            if step.share <= 0.0 && !(explain && paths::receives(r.kind, tier)) {
                continue;
            }
            let calls = peak * step.share;
            load[step.tier] += calls;
            bandwidth[step.tier] += calls * bytes;
            if explain && paths::receives(r.kind, tier) {
                let mut term = vec![key::of(&r.name, Metric::PeakRps)];
                term.extend(step.factors.iter().cloned());
                terms[step.tier].push(term.join(" × "));
                bytes_terms[step.tier].push(format!("{} × ({1}.request + {1}.response)", term.join(" × "), r.name));
                inputs[step.tier].push(key::of(&r.name, Metric::PeakRps));
                inputs[step.tier].extend(step.inputs.iter().cloned());
            }
        }
    }
    let mut through: Vec<Vec<usize>> = vec![Vec::new(); design.tiers.len()];
    for (i, tiers) in reached.iter().enumerate() {
        for &k in tiers {
            if through[k].last() != Some(&i) {
                through[k].push(i);
            }
        }
    }
    plan.through = through;
    plan.reached = reached;
    // the requests whose path names each tier, in request order, each once
    let mut on_path: Vec<Vec<usize>> = vec![Vec::new(); design.tiers.len()];
    for (i, r) in design.requests.iter().enumerate() {
        for h in &r.path {
            if let Some(list) = on_path.get_mut(h.tier)
                && list.last() != Some(&i)
            {
                list.push(i);
            }
        }
    }
    for (k, tier) in design.tiers.iter().enumerate() {
        plan.add(load[k], || {
            let formula = if terms[k].is_empty() {
                "0 (no request path reaches this tier)".to_string()
            } else {
                terms[k].join(" + ")
            };
            let mut ins = inputs[k].clone();
            ins.sort();
            ins.dedup();
            (
                key::of(&tier.name, Metric::Load),
                Derived::computed(Value::new(load[k], Rate::DIM), Style::Rate, formula, ins),
            )
        });
        plan.add(bandwidth[k], || {
            let formula = if bytes_terms[k].is_empty() {
                "0 (no request path reaches this tier)".to_string()
            } else {
                bytes_terms[k].join(" + ")
            };
            let mut ins = std::mem::take(&mut inputs[k]);
            for r in on_path[k].iter().map(|&i| &design.requests[i]) {
                ins.push(key::of(&r.name, Metric::Request));
                ins.push(key::of(&r.name, Metric::Response));
            }
            ins.sort();
            ins.dedup();
            let d = Derived::computed(Value::new(bandwidth[k], Dim::DATA_RATE), Style::DataRate, formula, ins)
                .with_note(
                    "peak bytes per second through the tier: request plus response bytes of the calls that reach it",
                );
            (key::of(&tier.name, Metric::Bandwidth), d)
        });
    }
}

fn nodes(design: &Design, tier: &Tier, plan: &mut Plan) {
    let n = &tier.name;
    let load = plan.value(&key::of(n, Metric::Load));
    let capacity = tier.capacity.value.si();
    let headroom = tier.headroom.value.si();
    // (what bounds the count, the entry holding it, the count)
    let mut candidates: Vec<(&str, Metric, f64)> = Vec::new();
    let count = |name: String, value: f64, formula: String, inputs: Vec<String>| {
        (name, Derived::computed(Value::number(value), Style::Count, formula, inputs))
    };

    let throughput = if capacity > 0.0 { ceil(load * headroom / capacity) } else { 0.0 };
    plan.add(throughput, || {
        let inputs = vec![key::of(n, Metric::Load), key::of(n, Metric::Headroom), key::of(n, Metric::Capacity)];
        count(
            key::of(n, Metric::NodesThroughput),
            throughput,
            format!("⌈{n}.load × {n}.headroom ÷ {n}.capacity⌉"),
            inputs,
        )
    });
    candidates.push(("throughput", Metric::NodesThroughput, throughput));

    if let (Some(mem), Some(per_node)) = (plan.defined(&key::of(n, Metric::Memory)), tier.memory.as_ref()) {
        let nodes = ceil(mem / per_node.value.si());
        plan.add(nodes, || {
            let inputs = vec![key::of(n, Metric::Memory), key::of(n, Metric::NodeMemory)];
            count(key::of(n, Metric::NodesMemory), nodes, format!("⌈{n}.memory ÷ {n}.node_memory⌉"), inputs)
        });
        candidates.push(("memory", Metric::NodesMemory, nodes));
    }
    if let (Some(held), Some(disk)) = (plan.defined(&key::of(n, Metric::Storage)), tier.disk.as_ref()) {
        let nodes = ceil(held / disk.value.si());
        plan.add(nodes, || {
            let inputs = vec![key::of(n, Metric::Storage), key::of(n, Metric::NodeDisk)];
            count(key::of(n, Metric::NodesDisk), nodes, format!("⌈{n}.storage ÷ {n}.node_disk⌉"), inputs)
        });
        candidates.push(("disk", Metric::NodesDisk, nodes));
    }
    if let Some(nic) = tier.network.as_ref() {
        let bw = plan.value(&key::of(n, Metric::Bandwidth));
        let nodes = if nic.value.si() > 0.0 { ceil(bw * headroom / nic.value.si()) } else { 0.0 };
        plan.add(nodes, || {
            let inputs = vec![key::of(n, Metric::Bandwidth), key::of(n, Metric::Headroom), key::of(n, Metric::Network)];
            let formula = format!("⌈{n}.bandwidth × {n}.headroom ÷ {n}.network⌉");
            count(key::of(n, Metric::NodesNetwork), nodes, formula, inputs)
        });
        candidates.push(("network", Metric::NodesNetwork, nodes));
    }
    if let (Some(per_node), Some(users)) = (tier.connections.as_ref(), design.users.concurrent.as_ref()) {
        let nodes =
            if per_node.value.si() > 0.0 { ceil(users.value.si() * headroom / per_node.value.si()) } else { 0.0 };
        plan.add(nodes, || {
            let inputs = vec!["users.concurrent".into(), key::of(n, Metric::Headroom), key::of(n, Metric::Connections)];
            let formula = format!("⌈users.concurrent × {n}.headroom ÷ {n}.connections⌉");
            count(key::of(n, Metric::NodesConnections), nodes, formula, inputs)
        });
        candidates.push(("connections", Metric::NodesConnections, nodes));
    }
    if let Some(nodes) = queue::slo_nodes(design, tier, load, plan) {
        candidates.push(("latency", Metric::NodesLatency, nodes));
    }
    if let Some(given) = &tier.shards {
        candidates.push(("shards", Metric::ShardsGiven, ceil(given.value.si())));
    }
    let (bound, base) =
        candidates.iter().fold(("throughput", 0.0f64), |best, c| if c.2 > best.1 { (c.0, c.2) } else { best });
    let holds = plan.defined(&key::of(n, Metric::Storage)).is_some_and(|b| b > 0.0);
    let base = if load > 0.0 || holds || tier.connections.is_some() { base.max(1.0) } else { base };
    let label = if tier.kind == TierKind::Database { Metric::Shards } else { Metric::NodesBase };
    plan.add(base, || {
        let names: Vec<String> = candidates.iter().map(|(_, m, _)| key::of(n, *m)).collect();
        let (name, d) = count(key::of(n, label), base, format!("max({})", names.join(", ")), names);
        (name, d.with_note(format!("bound by {bound}")))
    });
    let replicas = tier.replicas.value.si();
    let spare = tier.spare.value.si();
    let total = base * replicas + spare;
    plan.add(total, || {
        let inputs = vec![key::of(n, label), key::of(n, Metric::Replicas), key::of(n, Metric::Spare)];
        let (name, d) =
            count(key::of(n, Metric::Nodes), total, format!("{n}.{label} × {n}.replicas + {n}.spare"), inputs);
        (name, d.with_note(format!("bound by {bound}")))
    });
    let serving = total - spare;
    let rate = |name: String, value: f64, formula: String, inputs: Vec<String>| {
        (name, Derived::computed(Value::new(value, Rate::DIM), Style::Rate, formula, inputs))
    };
    plan.add(serving * capacity, || {
        let inputs = vec![key::of(n, Metric::Nodes), key::of(n, Metric::Spare), key::of(n, Metric::Capacity)];
        rate(
            key::of(n, Metric::CapacityTotal),
            serving * capacity,
            format!("({n}.nodes − {n}.spare) × {n}.capacity"),
            inputs,
        )
    });
    let per_node = if serving > 0.0 { load / serving } else { 0.0 };
    plan.add(per_node, || {
        let inputs = vec![key::of(n, Metric::Load), key::of(n, Metric::Nodes), key::of(n, Metric::Spare)];
        rate(key::of(n, Metric::LoadPerNode), per_node, format!("{n}.load ÷ ({n}.nodes − {n}.spare)"), inputs)
    });
    let util = if serving > 0.0 && capacity > 0.0 { load / (serving * capacity) } else { 0.0 };
    plan.add(util, || {
        let inputs = vec![
            key::of(n, Metric::Load),
            key::of(n, Metric::Nodes),
            key::of(n, Metric::Spare),
            key::of(n, Metric::Capacity),
        ];
        let formula = format!("{n}.load ÷ (({n}.nodes − {n}.spare) × {n}.capacity)");
        (key::of(n, Metric::Utilization), Derived::computed(Value::number(util), Style::Percent, formula, inputs))
    });
}
