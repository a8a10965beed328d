//! One node's queue (M/M/c, or M/G/c when the tier states `service_cv`) and the latency-SLO
//! node count built on it: the path's target less its hops and fixed latencies is split
//! across its queueing tiers in proportion to their service times; a tier needs the fewest
//! nodes whose percentile meets the tightest budget of any request through it. Stage 5
//! (tiers) takes the count into `TIER.nodes`; stage 6 (latency) reports the queue's times.
//!
//! Architecture Invariant: a budget no node count can meet is an undefined count with the
//! reason, never a number.

use super::derivation::Derived;
use super::plan::Plan;
use crate::design::{Design, Tier};
use crate::key::{self, Metric};
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

    pub(super) fn name(&self) -> String {
        match self.cv {
            None => format!("M/M/{}", self.c),
            Some(cv) => format!("M/G/{} (Allen–Cunneen, service cv {})", self.c, sig(cv, 3)),
        }
    }

    pub(super) fn solve(&self, lambda: f64) -> Option<MmcResult> {
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
    // the requests that reach this tier, as the load stage listed them (every request else)
    let through = super::paths::index_in(&design.tiers, tier).and_then(|k| plan.through.get(k));
    let requests: Vec<&crate::design::Request> = match through {
        Some(list) => list.iter().map(|&i| &design.requests[i]).collect(),
        None => design.requests.iter().collect(),
    };
    for r in requests {
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
    let inputs = || vec![key::of(n, Metric::Load), key::of(n, Metric::ServiceTime), key::of(n, Metric::Concurrency)];
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
                (key::of(n, Metric::NodesLatency), Derived::undefined(Style::Count, formula, inputs(), why))
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
        (key::of(n, Metric::NodesLatency), d)
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
