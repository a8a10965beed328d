//! Stage 6: latency. Each node of a tier with a `service_time` is an M/M/c queue (c =
//! `concurrency`, 1 when not stated) fed by load ÷ serving nodes. Per tier: wait
//! probability (Erlang C), mean wait, and mean and percentile latency, each the tier's fixed
//! `latency` plus the queue's response time (the fixed latency alone for a tier without a
//! queue); per request, a `hop` plus each reached tier's percentile along the path (an upper
//! bound: percentiles do not add exactly). p50, p90, p99 and p999 always, and every
//! percentile an SLO or assert names.
//!
//! The queue of one node and the latency-SLO node count (which stage 5 needs) are in
//! [`super::queue`].
//!
//! Architecture Invariant: an unstable queue (ρ ≥ 1) is reported as undefined with ρ, never
//! as a number.

use super::derivation::Derived;
use super::plan::Plan;
use super::queue::Queue;
use crate::design::Design;
use crate::key::{self, Metric};
use crate::units::format::{Style, sig};
use crate::units::{Dim, Quantity, Value};

/// The percentiles every tier and request reports: p50, p90, p99 and p999, every one an
/// SLO states and every one an assert names, in ascending order.
fn labels(design: &Design) -> Vec<(String, f64)> {
    let mut labels: Vec<(String, f64)> = design.slo.latency.iter().map(|l| (l.label.clone(), l.quantile)).collect();
    for a in &design.asserts {
        let mut rest = a.text.as_str();
        while let Some(at) = rest.find("latency.p") {
            let tail = &rest[at + "latency.".len()..];
            let label: String = tail.chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
            if let Some(q) = crate::design::percentile(&label) {
                labels.push((label.clone(), q));
            }
            rest = &tail[label.len().max(1).min(tail.len())..];
        }
    }
    for (l, q) in [("p50", 0.5), ("p90", 0.9), ("p99", 0.99), ("p999", 0.999)] {
        labels.push((l.to_string(), q));
    }
    labels.sort_by(|a, b| a.1.total_cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
    labels.dedup_by(|a, b| a.0 == b.0);
    labels
}

pub(super) fn add(design: &Design, plan: &mut Plan) {
    let labels = labels(design);
    for tier in &design.tiers {
        let n = &tier.name;
        let fixed = tier.latency.value.si();
        let Some(queue) = Queue::of(tier) else {
            // no queueing model (no service_time): every statistic is the tier's fixed latency
            let fixed_only = |stat: &str| {
                let d = Derived::computed(
                    Value::new(fixed, Dim::TIME),
                    Style::Duration,
                    key::of(n, Metric::Latency),
                    vec![key::of(n, Metric::Latency)],
                );
                (key::latency(n, stat), d.with_note("no queueing model (no service_time): the tier's fixed latency"))
            };
            plan.add(fixed, || fixed_only("mean"));
            for (label, _) in &labels {
                plan.add(fixed, || fixed_only(label));
            }
            continue;
        };
        let (s, c) = (queue.s, queue.c);
        let serving = plan.value(&key::of(n, Metric::Nodes)) - tier.spare.value.si();
        let lambda = if serving > 0.0 { plan.value(&key::of(n, Metric::Load)) / serving } else { 0.0 };
        let inputs = || {
            vec![
                key::of(n, Metric::Load),
                key::of(n, Metric::Nodes),
                key::of(n, Metric::ServiceTime),
                key::of(n, Metric::Concurrency),
            ]
        };
        let rho = lambda * s / c as f64;
        let model = queue;
        let queue = || format!("{}, λ = {n}.load ÷ serving nodes, service {n}.service_time", model.name());
        let solved = model.solve(lambda);
        // The same entries whether or not the queue is stable, so every sample of a design
        // has the same layout; an unstable queue's times are undefined, with ρ saying why.
        plan.add(rho, || {
            let formula = format!("ρ = λ × {n}.service_time ÷ c ({})", queue());
            (
                key::of(n, Metric::QueueUtilization),
                Derived::computed(Value::number(rho), Style::Percent, formula, inputs()),
            )
        });
        let why = || format!("unstable: utilisation ρ = {} ≥ 1", sig(rho, 3));
        let time = |name: String, value: Option<f64>, formula: String, inputs: Vec<String>| {
            let d = match value {
                Some(t) => Derived::computed(Value::new(t, Dim::TIME), Style::Duration, formula, inputs),
                None => Derived::undefined(Style::Duration, formula, inputs, why()),
            };
            (name, d)
        };
        let value = |v: Option<f64>| v.unwrap_or(f64::NAN);
        let wait_p = solved.as_ref().map(|r| r.wait_probability);
        plan.add(value(wait_p), || {
            let formula = format!("Erlang C ({})", queue());
            let d = match wait_p {
                Some(p) => Derived::computed(Value::number(p), Style::Percent, formula, inputs()),
                None => Derived::undefined(Style::Percent, formula, inputs(), why()),
            };
            (key::of(n, Metric::WaitProbability), d)
        });
        let wait = solved.as_ref().map(|r| r.mean_wait);
        plan.add(value(wait), || {
            time(key::of(n, Metric::WaitMean), wait, format!("C ÷ (cμ − λ) ({})", queue()), inputs())
        });
        let mean = solved.as_ref().map(|r| r.mean_response + fixed);
        plan.add(value(mean), || {
            let inputs =
                vec![key::of(n, Metric::Latency), key::of(n, Metric::WaitMean), key::of(n, Metric::ServiceTime)];
            time(
                key::of(n, Metric::LatencyMean),
                mean,
                format!("{n}.latency + {n}.wait.mean + {n}.service_time"),
                inputs,
            )
        });
        for (label, q) in &labels {
            let t = solved.as_ref().and_then(|_| model.percentile(lambda, *q)).map(|t| t + fixed);
            plan.add(value(t), || {
                let name = key::latency(n, label);
                match (&solved, t) {
                    (None, _) => time(name, None, queue(), inputs()),
                    (Some(_), Some(t)) => {
                        let formula =
                            format!("{n}.latency + {label} of the {} response time (wait + service)", model.name());
                        let mut ins = inputs();
                        ins.push(key::of(n, Metric::Latency));
                        time(name, Some(t), formula, ins)
                    }
                    (Some(_), None) => {
                        (name, Derived::undefined(Style::Duration, queue(), inputs(), "no finite percentile"))
                    }
                }
            });
        }
    }
    let hop = design.hop.value.si();
    for r in design.requests.iter().filter(|r| !r.path.is_empty()) {
        let reached = super::paths::reached(design, r, plan);
        for (label, _) in &labels {
            let names: Vec<String> = reached.iter().map(|&k| key::latency(&design.tiers[k].name, label)).collect();
            let queued = names.iter().map(|x| plan.defined(x)).sum::<Option<f64>>();
            let total = queued.map(|q| q + hop * reached.len() as f64);
            plan.add(total.unwrap_or(f64::NAN), || {
                let mut parts = Vec::new();
                if !reached.is_empty() {
                    parts.push(if reached.len() == 1 {
                        "hop".to_string()
                    } else {
                        format!("{} × hop", reached.len())
                    });
                }
                parts.extend(names.iter().cloned());
                let formula = if parts.is_empty() {
                    "0 (no tier on the path receives its calls)".into()
                } else {
                    parts.join(" + ")
                };
                let mut inputs = names.clone();
                inputs.push("hop".into());
                let d = match total {
                    Some(total) => Derived::computed(Value::new(total, Dim::TIME), Style::Duration, formula, inputs)
                        .with_note("a hop plus each reached tier's percentile along the path: an upper bound"),
                    None => {
                        Derived::undefined(Style::Duration, formula, inputs, "a tier on the path has an unstable queue")
                    }
                };
                (key::latency(&r.name, label), d)
            });
        }
    }
}
