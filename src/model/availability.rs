//! Stage 7: availability. A stateless tier is up while at least the nodes its load needs
//! (⌈load ÷ capacity⌉) are up, k of n (binomial); in a stateful tier a request is served while
//! its shard has one live replica, 1 − (1 − a)^replicas (a request touches one shard, so this
//! is the expected fraction of requests served, whatever the shard count). A request is up when every tier on its
//! path is (series); the composite is weighted by peak traffic. Downtime per period and the
//! error budget follow from the SLO (or, without one, from the composite).
//!
//! Architecture Invariant: no availability here exceeds the availability of its parts.

use super::derivation::Derived;
use super::plan::Plan;
use crate::design::Design;
use crate::key::{self, Metric};
use crate::math::availability::{downtime, k_of_n, parallel, series};
use crate::math::numeric::ceil;
use crate::units::format::Style;
use crate::units::table::DAY;
use crate::units::{Dim, Quantity, Value};

/// A computed entry.
fn entry(name: String, value: Value, style: Style, formula: String, inputs: Vec<String>) -> (String, Derived) {
    (name, Derived::computed(value, style, formula, inputs))
}

pub(super) fn add(design: &Design, plan: &mut Plan) {
    for t in &design.tiers {
        let n = &t.name;
        let a = t.availability.value.si();
        if t.kind.is_stateful() {
            let v = parallel(a, t.replicas.value.si());
            plan.add(v, || {
                let (name, d) = entry(
                    key::of(n, Metric::Availability),
                    Value::number(v),
                    Style::Percent,
                    format!("1 − (1 − {n}.node_availability)^{n}.replicas"),
                    vec![key::of(n, Metric::NodeAvailability), key::of(n, Metric::Replicas)],
                );
                let note =
                    "stateful: a request's shard is up while one of its replicas is (each request touches one shard)";
                (name, d.with_note(note))
            });
        } else {
            let total = plan.value(&key::of(n, Metric::Nodes));
            let needed = ceil(plan.value(&key::of(n, Metric::Load)) / t.capacity.value.si()).max(1.0);
            let v = k_of_n(needed as u64, total.max(0.0) as u64, a);
            plan.add(v, || {
                let formula = format!(
                    "P(at least ⌈{n}.load ÷ {n}.capacity⌉ = {needed} of {n}.nodes up), binomial in {n}.node_availability"
                );
                let inputs = [Metric::Load, Metric::Capacity, Metric::Nodes, Metric::NodeAvailability].map(|m| key::of(n, m)).to_vec();
                let (name, d) = entry(key::of(n, Metric::Availability), Value::number(v), Style::Percent, formula, inputs);
                (name, d.with_note("stateless: up while the nodes its load needs are up (k of n)"))
            });
        }
    }
    let (mut weighted, mut weight) = (0.0, 0.0);
    for r in &design.requests {
        // tiers a request's calls never reach (a write-around cache on a write's path) are
        // not part of its availability
        let mut tiers: Vec<&str> =
            super::paths::reached(design, r, plan).into_iter().map(|k| design.tiers[k].name.as_str()).collect();
        tiers.sort_unstable();
        tiers.dedup();
        let v = series(tiers.iter().map(|t| plan.value(&key::of(t, Metric::Availability))));
        plan.add(v, || {
            let parts: Vec<String> = tiers.iter().map(|t| key::of(t, Metric::Availability)).collect();
            let formula = if parts.is_empty() { "1 (no tiers on the path)".to_string() } else { parts.join(" × ") };
            entry(key::of(&r.name, Metric::Availability), Value::number(v), Style::Percent, formula, parts)
        });
        let peak = plan.value(&key::of(&r.name, Metric::PeakRps));
        weighted += peak * v;
        weight += peak;
    }
    let composite = if weight > 0.0 { weighted / weight } else { 1.0 };
    plan.add(composite, || {
        let names: Vec<&str> = design.requests.iter().map(|r| r.name.as_str()).collect();
        let formula = format!("Σ(R.peak_rps × R.availability) ÷ Σ R.peak_rps over {}", names.join(", "));
        let inputs =
            names.iter().flat_map(|n| [key::of(n, Metric::PeakRps), key::of(n, Metric::Availability)]).collect();
        entry("availability.composite".into(), Value::number(composite), Style::Percent, formula, inputs)
    });
    let year = design.year.value.si();
    let down = downtime(composite, year);
    plan.add(down, || {
        let formula = "(1 − availability.composite) × calendar".into();
        let inputs = vec!["availability.composite".into(), "calendar".into()];
        let name = "availability.composite_downtime_year".into();
        entry(name, Value::new(down, Dim::TIME), Style::Duration, formula, inputs)
    });
    let (basis, a) = match &design.slo.availability {
        Some(slo) => ("slo.availability", slo.value.si()),
        None => ("availability.composite", composite),
    };
    for (period, seconds, text) in [
        ("year", year, "calendar"),
        ("quarter", year / 4.0, "calendar ÷ 4"),
        ("month", year / 12.0, "calendar ÷ 12"),
        ("week", 7.0 * DAY, "7 days"),
        ("day", DAY, "1 day"),
    ] {
        let down = downtime(a, seconds);
        plan.add(down, || {
            let (formula, inputs) = (format!("(1 − {basis}) × {text}"), vec![basis.into(), "calendar".into()]);
            entry(
                format!("availability.downtime_{period}"),
                Value::new(down, Dim::TIME),
                Style::Duration,
                formula,
                inputs,
            )
        });
    }
    let window = design.slo.error_budget_window.value.si();
    let budget = downtime(a, window);
    plan.add(budget, || {
        let formula = format!("(1 − {basis}) × slo.error_budget_window");
        let inputs = vec![basis.into(), "slo.error_budget_window".into()];
        entry("slo.error_budget".into(), Value::new(budget, Dim::TIME), Style::Duration, formula, inputs)
    });
    burn_rates(basis, a, window, plan);
    // the calls made in the window: daily calls × days, which agrees with either day length
    let requests = (1.0 - a) * plan.value("traffic.daily") * window / DAY;
    plan.add(requests, || {
        let formula = format!("(1 − {basis}) × traffic.daily × slo.error_budget_window in days");
        let inputs = vec![basis.into(), "traffic.daily".into(), "slo.error_budget_window".into()];
        entry("slo.error_budget_requests".into(), Value::number(requests), Style::Count, formula, inputs)
    });
}

/// Multiwindow, multi-burn-rate alerts (Google SRE Workbook, "Alerting on SLOs", table 5-8):
/// page when 2% of the budget burns in 1 h or 5% in 6 h; open a ticket when 10% burns in 1 d
/// or in 3 d; each with a short window of 1/12 of the long one. For a 30-day window these are
/// burn rates 14.4, 6, 3 and 1. Burn rate = budget share × budget window ÷ alert window; the
/// error-rate threshold is burn rate × (1 − availability).
pub const BURN_ALERTS: &[BurnAlert] = &[
    BurnAlert { severity: "page", label: "1h", share: 0.02, long: 3600.0, short: 300.0 },
    BurnAlert { severity: "page", label: "6h", share: 0.05, long: 6.0 * 3600.0, short: 1800.0 },
    BurnAlert { severity: "ticket", label: "1d", share: 0.10, long: DAY, short: 2.0 * 3600.0 },
    BurnAlert { severity: "ticket", label: "3d", share: 0.10, long: 3.0 * DAY, short: 6.0 * 3600.0 },
];

/// One multiwindow burn-rate alert.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BurnAlert {
    /// `page` or `ticket`.
    pub severity: &'static str,
    /// The long window as a name: `1h`.
    pub label: &'static str,
    /// Share of the error budget consumed in the long window.
    pub share: f64,
    /// Long window, seconds.
    pub long: f64,
    /// Short window, seconds (1/12 of the long one).
    pub short: f64,
}

fn burn_rates(basis: &str, a: f64, window: f64, plan: &mut Plan) {
    for BurnAlert { label, share, long, .. } in BURN_ALERTS {
        let rate = share * window / long;
        plan.add(rate, || {
            let formula = format!("{}% of the budget × slo.error_budget_window ÷ {label}", share * 100.0);
            let inputs = vec!["slo.error_budget_window".into()];
            entry(format!("slo.burn_rate.{label}"), Value::number(rate), Style::Multiplier, formula, inputs)
        });
        let threshold = rate * (1.0 - a);
        plan.add(threshold, || {
            let formula = format!("slo.burn_rate.{label} × (1 − {basis})");
            let inputs = vec![format!("slo.burn_rate.{label}"), basis.into()];
            entry(format!("slo.burn_threshold.{label}"), Value::number(threshold), Style::Percent, formula, inputs)
        });
    }
}
