//! Stage 6: latency. Each node of a tier with a `service_time` is an M/M/c queue (c =
//! `concurrency`, 1 when not stated) fed by load ÷ serving nodes. Per tier: wait
//! probability (Erlang C), mean wait, mean latency and percentiles; per request, the sum of
//! its tiers' percentiles along the path (an upper bound: percentiles do not add exactly).
//!
//! Latency-SLO node count: the path's target is split across its queueing tiers in
//! proportion to their service times; a tier needs the fewest nodes whose percentile meets
//! the tightest budget of any request through it.
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

/// (label, quantile, budget seconds, request) for every latency target through this tier.
fn budgets<'d>(design: &'d Design, tier: &Tier) -> Vec<(&'d str, f64, f64, &'d str)> {
    let Some(s) = tier.service_time.as_ref().map(|s| s.value.si()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for r in &design.requests {
        let mut tiers: Vec<usize> = r.path.iter().map(|h| h.tier).collect();
        tiers.sort_unstable();
        tiers.dedup();
        if !tiers.iter().any(|&k| design.tiers[k].name == tier.name) {
            continue;
        }
        let total: f64 =
            tiers.iter().filter_map(|&k| design.tiers[k].service_time.as_ref().map(|s| s.value.si())).sum();
        if total <= 0.0 {
            continue;
        }
        for l in &design.slo.latency {
            out.push((l.label.as_str(), l.quantile, l.target.value.si() * s / total, r.name.as_str()));
        }
    }
    out
}

/// The latency-SLO node count of a tier, when the design states a latency SLO and the tier
/// has a service time: added to the plan as `TIER.nodes.latency` and returned (NaN when even
/// an idle node misses the budget).
pub(super) fn slo_nodes(design: &Design, tier: &Tier, load: f64, plan: &mut Plan) -> Option<f64> {
    let queue = Queue::of(tier)?;
    let budgets = budgets(design, tier);
    if budgets.is_empty() {
        return None;
    }
    let n = &tier.name;
    let inputs = || vec![format!("{n}.load"), format!("{n}.service_time"), format!("{n}.concurrency")];
    let mut need = 0.0f64;
    let mut deciding = None;
    for (k, (_, q, budget, _)) in budgets.iter().enumerate() {
        if !queue.meets(0.0, *q, *budget) {
            plan.add(f64::NAN, || {
                let (label, q, budget, request) = &budgets[k];
                let idle = queue.idle(*q);
                let formula = format!("smallest n with {} {label}({n}.load ÷ n) ≤ budget", queue.name());
                let why = format!(
                    "infeasible: even an idle node's {label} is {} but {request}'s share of slo.latency.{label} is {}",
                    fmt_s(idle),
                    fmt_s(*budget)
                );
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
        if let Some((label, _, budget, request)) = deciding.map(|k| &budgets[k]) {
            d = d.with_note(format!(
                "{label} budget {} (share of slo.latency.{label} for {request}, split by service time)",
                fmt_s(*budget)
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

pub(super) fn add(design: &Design, plan: &mut Plan) {
    let mut labels: Vec<(&str, f64)> = design.slo.latency.iter().map(|l| (l.label.as_str(), l.quantile)).collect();
    for (l, q) in [("p50", 0.5), ("p99", 0.99)] {
        if !labels.iter().any(|(x, _)| *x == l) {
            labels.push((l, q));
        }
    }
    labels.sort_by(|a, b| a.1.total_cmp(&b.1));
    for tier in &design.tiers {
        let Some(queue) = Queue::of(tier) else {
            continue;
        };
        let (s, c) = (queue.s, queue.c);
        let n = &tier.name;
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
        let mean = solved.as_ref().map(|r| r.mean_response);
        plan.add(value(mean), || {
            let inputs = vec![format!("{n}.wait.mean"), format!("{n}.service_time")];
            time(format!("{n}.latency.mean"), mean, format!("{n}.wait.mean + {n}.service_time"), inputs)
        });
        for (label, q) in &labels {
            let t = solved.as_ref().and_then(|_| model.percentile(lambda, *q));
            plan.add(value(t), || {
                let name = format!("{n}.latency.{label}");
                match (&solved, t) {
                    (None, _) => time(name, None, queue(), inputs()),
                    (Some(_), Some(t)) => {
                        let formula = format!("{label} of the {} response time (wait + service)", model.name());
                        time(name, Some(t), formula, inputs())
                    }
                    (Some(_), None) => {
                        (name, Derived::undefined(Style::Duration, queue(), inputs(), "no finite percentile"))
                    }
                }
            });
        }
    }
    for r in &design.requests {
        let mut tiers: Vec<&str> = r.path.iter().map(|h| design.tiers[h.tier].name.as_str()).collect();
        tiers.dedup();
        let queued: Vec<&str> =
            tiers.into_iter().filter(|t| design.tier(t).is_some_and(|t| t.service_time.is_some())).collect();
        if queued.is_empty() {
            continue;
        }
        for (label, _) in &labels {
            let names: Vec<String> = queued.iter().map(|t| format!("{t}.latency.{label}")).collect();
            let total = names.iter().map(|x| plan.defined(x)).sum::<Option<f64>>();
            plan.add(total.unwrap_or(f64::NAN), || {
                let formula = names.join(" + ");
                let d = match total {
                    Some(total) => Derived::computed(Value::new(total, Dim::TIME), Style::Duration, formula, names)
                        .with_note("sum of per-tier percentiles along the path: an upper bound"),
                    None => {
                        Derived::undefined(Style::Duration, formula, names, "a tier on the path has an unstable queue")
                    }
                };
                (format!("{}.latency.{label}", r.name), d)
            });
        }
    }
}
