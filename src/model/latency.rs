//! Stage 6: latency. Each node of a tier with a `service_time` is an M/M/c queue (c =
//! `concurrency`, 1 when not stated) fed by load ÷ serving nodes. Per tier: wait
//! probability (Erlang C), mean wait, and mean and percentile latency, each the tier's fixed
//! `latency` plus the queue's response time (the fixed latency alone for a tier without a
//! queue); per request, a `hop` plus each reached tier's percentile along the path (an upper
//! bound: percentiles do not add exactly). p50, p90, p99 and p999 always, and every
//! percentile an SLO or assert names.
//!
//! Latency-SLO node count: the path's target less its hops and fixed latencies is split
//! across its queueing tiers in proportion to their service times; a tier needs the fewest
//! nodes whose percentile meets the tightest budget of any request through it.
//!
//! Architecture Invariant: an unstable queue (ρ ≥ 1) is reported as undefined with ρ, never
//! as a number.

use super::derivation::Derived;
use super::plan::Plan;
use crate::design::{Design, Tier};
use crate::math::queueing::{
    MmcResult, mgc, mgc_response_cdf, mgc_response_quantile, mmc, response_quantile, response_survival,
};
use crate::units::format::{Style, sig};
use crate::units::{Dim, Quantity, Value};

fn workers(tier: &Tier) -> u64 {
    tier.concurrency.as_ref().map_or(1, |c| c.value.si().round().max(1.0) as u64)
}

/// One node's queue: exact M/M/c, or M/G/c (Allen–Cunneen, gamma-fitted percentiles) when the
/// tier states `service_cv`.
#[derive(Debug, Clone, Copy)]
pub(super) struct Queue {
    pub(super) c: u64,
    pub(super) s: f64,
    cv: Option<f64>,
}

impl Queue {
    pub(super) fn of(tier: &Tier) -> Option<Queue> {
        let s = tier.service_time.as_ref()?.value.si();
        Some(Queue {
            c: workers(tier),
            s,
            cv: tier.service_cv.as_ref().map(|cv| cv.value.si()).filter(|cv| (cv - 1.0).abs() > 1e-12),
        })
    }

    fn name(&self) -> String {
        match self.cv {
            None => format!("M/M/{}", self.c),
            Some(cv) => format!("M/G/{} (Allen–Cunneen, service cv {})", self.c, sig(cv, 3)),
        }
    }

    fn solve(&self, lambda: f64) -> Option<MmcResult> {
        match self.cv {
            None => mmc(lambda, self.c, self.s),
            Some(cv) => mgc(lambda, self.c, self.s, cv),
        }
    }

    pub(super) fn percentile(&self, lambda: f64, q: f64) -> Option<f64> {
        match self.cv {
            None => response_quantile(lambda, self.c, self.s, q),
            Some(cv) => mgc_response_quantile(lambda, self.c, self.s, cv, q),
        }
    }

    /// Whether the q-percentile at arrival rate λ is within `budget`: P(T ≤ budget) ≥ q, one
    /// evaluation of the distribution instead of solving for the percentile.
    fn meets(&self, lambda: f64, q: f64, budget: f64) -> bool {
        match self.cv {
            None => response_survival(lambda, self.c, self.s, budget).is_some_and(|p| p <= 1.0 - q),
            Some(cv) => mgc_response_cdf(lambda, self.c, self.s, cv, budget).is_some_and(|p| p >= q),
        }
    }

    /// The percentile of an idle node: the service time's own percentile.
    fn idle(&self, q: f64) -> f64 {
        self.percentile(0.0, q).unwrap_or(f64::INFINITY)
    }
}

/// (label, quantile, budget seconds, request, fixed seconds) for every latency target
/// through this tier: the target less the path's fixed time (a `hop` and the tier's own
/// `latency` for every tier the request's calls reach), split across the queueing tiers it
/// reaches in proportion to their service times.
fn budgets<'d>(design: &'d Design, tier: &Tier, plan: &Plan) -> Vec<(&'d str, f64, f64, &'d str, f64)> {
    let Some(s) = tier.service_time.as_ref().map(|s| s.value.si()) else {
        return Vec::new();
    };
    let hop = design.hop.value.si();
    let mut out = Vec::new();
    for r in &design.requests {
        let reached = super::paths::reached(design, r, plan);
        if !reached.iter().any(|&k| design.tiers[k].name == tier.name) {
            continue;
        }
        let fixed: f64 = reached.iter().map(|&k| hop + design.tiers[k].latency.value.si()).sum();
        let mut queued = reached.clone();
        queued.sort_unstable();
        queued.dedup();
        let total: f64 =
            queued.iter().filter_map(|&k| design.tiers[k].service_time.as_ref().map(|s| s.value.si())).sum();
        if total <= 0.0 {
            continue;
        }
        for l in &design.slo.latency {
            let budget = (l.target.value.si() - fixed) * s / total;
            out.push((l.label.as_str(), l.quantile, budget, r.name.as_str(), fixed));
        }
    }
    out
}

/// The latency-SLO node count of a tier, when the design states a latency SLO and the tier
/// has a service time: added to the plan as `TIER.nodes.latency` and returned (NaN when even
/// an idle node misses the budget).
pub(super) fn slo_nodes(design: &Design, tier: &Tier, load: f64, plan: &mut Plan) -> Option<f64> {
    let queue = Queue::of(tier)?;
    let budgets = budgets(design, tier, plan);
    if budgets.is_empty() {
        return None;
    }
    let n = &tier.name;
    let inputs = || vec![format!("{n}.load"), format!("{n}.service_time"), format!("{n}.concurrency")];
    let mut need = 0.0f64;
    let mut deciding = None;
    for (k, (_, q, budget, _, _)) in budgets.iter().enumerate() {
        if *budget <= 0.0 || !queue.meets(0.0, *q, *budget) {
            plan.add(f64::NAN, || {
                let (label, q, budget, request, fixed) = &budgets[k];
                let idle = queue.idle(*q);
                let formula = format!("smallest n with {} {label}({n}.load ÷ n) ≤ budget", queue.name());
                let why = if *budget <= 0.0 {
                    format!(
                        "infeasible: {request}'s hops and fixed latencies alone take {}, over slo.latency.{label}",
                        fmt_s(*fixed)
                    )
                } else {
                    format!(
                        "infeasible: even an idle node's {label} is {} but {request}'s share of slo.latency.{label} is {}",
                        fmt_s(idle),
                        fmt_s(*budget)
                    )
                };
                (format!("{n}.nodes.latency"), Derived::undefined(Style::Count, formula, inputs(), why))
            });
            return Some(f64::NAN);
        }
        let count = smallest_nodes(load, &queue, *q, *budget);
        if count > need {
            need = count;
            deciding = Some(k);
        }
    }
    plan.add(need, || {
        let formula = format!("smallest n with {} latency at {n}.load ÷ n within budget", queue.name());
        let mut d = Derived::computed(Value::number(need), Style::Count, formula, inputs());
        if let Some((label, _, budget, request, fixed)) = deciding.map(|k| &budgets[k]) {
            d = d.with_note(format!(
                "{label} budget {} (slo.latency.{label} less {request}'s {} of hops and fixed latencies, split by service time)",
                fmt_s(*budget),
                fmt_s(*fixed)
            ));
        }
        (format!("{n}.nodes.latency"), d)
    });
    Some(need)
}

fn fmt_s(seconds: f64) -> String {
    crate::units::format::human(Value::new(seconds, Dim::TIME), Style::Duration, 4)
}

fn smallest_nodes(load: f64, queue: &Queue, q: f64, budget: f64) -> f64 {
    if load <= 0.0 {
        return 1.0;
    }
    let ok = |n: f64| queue.meets(load / n, q, budget);
    let mut lo = (load * queue.s / queue.c as f64).floor().max(0.0);
    let mut hi = (lo + 1.0).max(1.0);
    while !ok(hi) {
        lo = hi;
        hi *= 2.0;
        if hi > 1e9 {
            return f64::INFINITY;
        }
    }
    while hi - lo > 1.0 {
        let mid = ((lo + hi) / 2.0).floor();
        if ok(mid) { hi = mid } else { lo = mid }
    }
    hi
}

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
                    format!("{n}.latency"),
                    vec![format!("{n}.latency")],
                );
                (
                    format!("{n}.latency.{stat}"),
                    d.with_note("no queueing model (no service_time): the tier's fixed latency"),
                )
            };
            plan.add(fixed, || fixed_only("mean"));
            for (label, _) in &labels {
                plan.add(fixed, || fixed_only(label));
            }
            continue;
        };
        let (s, c) = (queue.s, queue.c);
        let serving = plan.value(&format!("{n}.nodes")) - tier.spare.value.si();
        let lambda = if serving > 0.0 { plan.value(&format!("{n}.load")) / serving } else { 0.0 };
        let inputs =
            || vec![format!("{n}.load"), format!("{n}.nodes"), format!("{n}.service_time"), format!("{n}.concurrency")];
        let rho = lambda * s / c as f64;
        let model = queue;
        let queue = || format!("{}, λ = {n}.load ÷ serving nodes, service {n}.service_time", model.name());
        let solved = model.solve(lambda);
        // The same entries whether or not the queue is stable, so every sample of a design
        // has the same layout; an unstable queue's times are undefined, with ρ saying why.
        plan.add(rho, || {
            let formula = format!("ρ = λ × {n}.service_time ÷ c ({})", queue());
            (format!("{n}.queue.utilization"), Derived::computed(Value::number(rho), Style::Percent, formula, inputs()))
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
            (format!("{n}.wait.probability"), d)
        });
        let wait = solved.as_ref().map(|r| r.mean_wait);
        plan.add(value(wait), || time(format!("{n}.wait.mean"), wait, format!("C ÷ (cμ − λ) ({})", queue()), inputs()));
        let mean = solved.as_ref().map(|r| r.mean_response + fixed);
        plan.add(value(mean), || {
            let inputs = vec![format!("{n}.latency"), format!("{n}.wait.mean"), format!("{n}.service_time")];
            time(format!("{n}.latency.mean"), mean, format!("{n}.latency + {n}.wait.mean + {n}.service_time"), inputs)
        });
        for (label, q) in &labels {
            let t = solved.as_ref().and_then(|_| model.percentile(lambda, *q)).map(|t| t + fixed);
            plan.add(value(t), || {
                let name = format!("{n}.latency.{label}");
                match (&solved, t) {
                    (None, _) => time(name, None, queue(), inputs()),
                    (Some(_), Some(t)) => {
                        let formula =
                            format!("{n}.latency + {label} of the {} response time (wait + service)", model.name());
                        let mut ins = inputs();
                        ins.push(format!("{n}.latency"));
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
            let names: Vec<String> =
                reached.iter().map(|&k| format!("{}.latency.{label}", design.tiers[k].name)).collect();
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
                (format!("{}.latency.{label}", r.name), d)
            });
        }
    }
}
