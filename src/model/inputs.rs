//! Stage 1: every input of the design becomes a plan entry, with its origin, so formulas can
//! name inputs and `fermi explain` can trace any result back to a line of the design.
//!
//! Architecture Invariant: values are copied, never recomputed; names follow the language's
//! dotted names (per-node `memory`/`disk` become `TIER.node_memory`/`TIER.node_disk`, since
//! `TIER.memory` is the cache tier's computed memory).

use super::derivation::Derived;
use super::plan::Plan;
use crate::design::{CacheSize, Design, Input};
use crate::key::{self, Metric};
use crate::units::format::Style;
use crate::units::{Quantity, Value};

fn put<T: Quantity>(plan: &mut Plan, name: impl FnOnce() -> String, input: &Input<T>, style: Style) {
    plan.add(input.value.si(), || {
        let mut d = Derived::input(Value::of(input.value), style, input.origin.clone());
        if let Some(spread) = input.spread {
            d = d.with_note(spread.describe(|v| crate::units::format::human(Value::new(v, T::DIM), style, 4)));
        } else if input.uncertain {
            d = d.with_note("computed from uncertain inputs at their medians");
        }
        (name(), d)
    });
}

pub(super) fn add(design: &Design, plan: &mut Plan) {
    put(plan, || "seconds_per_day".into(), &design.seconds_per_day, Style::Seconds);
    put(plan, || "calendar".into(), &design.year, Style::Duration);
    put(plan, || "hop".into(), &design.hop, Style::Duration);
    if let Some(dau) = &design.users.dau {
        put(plan, || "users.dau".into(), dau, Style::Count);
    }
    put(plan, || "users.peak".into(), &design.users.peak, Style::Multiplier);
    put(plan, || "users.growth".into(), &design.users.growth, Style::Percent);
    if let Some(h) = &design.users.horizon {
        put(plan, || "users.horizon".into(), h, Style::Duration);
    }
    if let Some(c) = &design.users.concurrent {
        put(plan, || "users.concurrent".into(), c, Style::Count);
    }
    for r in &design.requests {
        let n = &r.name;
        put(plan, || key::of(n, Metric::Rate), &r.rate, Style::Rate);
        put(plan, || key::of(n, Metric::Request), &r.request, Style::Data);
        put(plan, || key::of(n, Metric::Response), &r.response, Style::Data);
        put(plan, || key::of(n, Metric::Stores), &r.stores, Style::Data);
        put(plan, || key::of(n, Metric::Cdn), &r.cdn, Style::Percent);
        for p in r.placements.iter().filter(|p| p.name != key::of(n, Metric::Stores)) {
            put(plan, || p.name.clone(), &p.bytes, Style::Data);
        }
    }
    let s = &design.storage;
    put(plan, || "storage.retention".into(), &s.retention, Style::Duration);
    put(plan, || "storage.replication".into(), &s.replication, Style::Count);
    put(plan, || "storage.overhead".into(), &s.overhead, Style::Percent);
    if let Some(a) = &design.slo.availability {
        put(plan, || "slo.availability".into(), a, Style::Percent);
    }
    for l in &design.slo.latency {
        put(plan, || key::latency("slo", &l.label), &l.target, Style::Duration);
    }
    put(plan, || "slo.error_budget_window".into(), &design.slo.error_budget_window, Style::Duration);
    for t in &design.tiers {
        let n = &t.name;
        put(plan, || key::of(n, Metric::Capacity), &t.capacity, Style::Rate);
        put(plan, || key::of(n, Metric::Headroom), &t.headroom, Style::Multiplier);
        put(plan, || key::of(n, Metric::Replicas), &t.replicas, Style::Count);
        put(plan, || key::of(n, Metric::Spare), &t.spare, Style::Count);
        put(plan, || key::of(n, Metric::NodeAvailability), &t.availability, Style::Percent);
        if let Some(m) = &t.memory {
            put(plan, || key::of(n, Metric::NodeMemory), m, Style::Data);
        }
        if let Some(d) = &t.disk {
            put(plan, || key::of(n, Metric::NodeDisk), d, Style::Data);
        }
        if let Some(s) = &t.service_time {
            put(plan, || key::of(n, Metric::ServiceTime), s, Style::Duration);
        }
        if let Some(c) = &t.concurrency {
            put(plan, || key::of(n, Metric::Concurrency), c, Style::Count);
        }
        if let Some(cv) = &t.service_cv {
            put(plan, || key::of(n, Metric::ServiceCv), cv, Style::Count);
        }
        if let Some(s) = &t.shards {
            put(plan, || key::of(n, Metric::ShardsGiven), s, Style::Count);
        }
        if let Some(d) = &t.data {
            put(plan, || key::of(n, Metric::Data), d, Style::Data);
        }
        if let Some(x) = &t.network {
            put(plan, || key::of(n, Metric::Network), x, Style::DataRate);
        }
        if let Some(c) = &t.connections {
            put(plan, || key::of(n, Metric::Connections), c, Style::Count);
        }
        put(plan, || key::of(n, Metric::Latency), &t.latency, Style::Duration);
        if let Some(h) = &t.edge_hit_ratio {
            put(plan, || key::of(n, Metric::HitRatio), h, Style::Percent);
        }
        if let Some(x) = &t.price {
            put(plan, || key::of(n, Metric::Price), x, Style::MoneyRate);
        }
        if let Some(x) = &t.storage_price {
            put(plan, || key::of(n, Metric::StoragePrice), x, Style::MoneyPerDataTime);
        }
        if let Some(x) = &t.cpu {
            put(plan, || key::of(n, Metric::Cpu), x, Style::Duration);
        }
        if let Some(cache) = &t.cache {
            match &cache.size {
                Some(CacheSize::Bytes(b)) => put(plan, || key::of(n, Metric::Size), b, Style::Data),
                Some(CacheSize::Keys(k)) => put(plan, || key::of(n, Metric::Size), k, Style::Count),
                None => {}
            }
        }
    }
    if let Some(k) = &design.workload.keys {
        put(plan, || "workload.keys".into(), k, Style::Count);
    }
    if let Some(o) = &design.workload.object {
        put(plan, || "workload.object".into(), o, Style::Data);
    }
    if let Some(x) = &design.cost.egress {
        put(plan, || "cost.egress".into(), x, Style::MoneyPerData);
    }
    if let Some(x) = &design.cost.cdn {
        put(plan, || "cost.cdn".into(), x, Style::MoneyPerData);
    }
    for r in &design.records {
        for f in &r.fields {
            put(plan, || format!("{}.{}", r.name, f.name), &f.size, Style::Data);
        }
        put(plan, || key::of(&r.name, Metric::Size), &r.size, Style::Data);
    }
    for l in &design.lets {
        plan.add(l.value.value.si, || {
            let style = Style::for_dim(l.value.value.dim);
            let mut d = Derived::input(l.value.value, style, crate::design::Origin::Written { span: l.span });
            if l.value.uncertain {
                d = d.with_note("computed from ranges at their medians");
            }
            (l.name.clone(), d)
        });
    }
}
