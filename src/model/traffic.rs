//! Stage 2: traffic. Per request: daily calls = rate × 1 day; average rps = daily ÷
//! `seconds_per_day`; peak rps = average × `users.peak`. Totals are sums. On the interview
//! day (`seconds_per_day` ≠ 86,400) a rate written per second, minute or hour keeps its value
//! and its daily calls are rate × `seconds_per_day`.
//!
//! Architecture Invariant: a day here is a calendar day (86,400 s); `seconds_per_day` only
//! converts what was stated per day or longer, which is what the 100K-seconds interview
//! shortcut means.

use super::derivation::Derived;
use super::plan::Plan;
use crate::design::Design;
use crate::key::{self, Metric};
use crate::units::format::Style;
use crate::units::table::DAY;
use crate::units::{Duration, Quantity, Rate, Ratio, Value};

/// Daily calls of a request: rate × one calendar day.
pub(super) fn daily(rate: Rate) -> Ratio {
    rate * Duration::from_si(DAY)
}

/// Average rps: daily calls ÷ seconds per day.
pub(super) fn avg_rps(daily: Ratio, seconds_per_day: Duration) -> Rate {
    daily / seconds_per_day
}

/// Peak rps: average × peak factor.
pub(super) fn peak_rps(avg: Rate, peak: Ratio) -> Rate {
    avg * peak
}

pub(super) fn add(design: &Design, plan: &mut Plan) {
    let spd = design.seconds_per_day.value;
    let peak = design.users.peak.value;
    let (mut total_daily, mut total_avg, mut total_peak) = (0.0, 0.0, 0.0);
    let interview = (spd.si() - DAY).abs() > 1e-9;
    for r in &design.requests {
        let n = &r.name;
        // A rate written per second, minute or hour keeps its value on the interview day;
        // one stated per day or longer is converted with `seconds_per_day`.
        let keeps = r.per_second && interview;
        let (d, a) = if keeps {
            (Ratio::from_si(r.rate.value.si() * spd.si()), r.rate.value)
        } else {
            let d = daily(r.rate.value);
            (d, avg_rps(d, spd))
        };
        let p = peak_rps(a, peak);
        plan.add(d.si(), || {
            let (formula, inputs) = if keeps {
                (format!("{n}.rate × seconds_per_day"), vec![key::of(n, Metric::Rate), "seconds_per_day".into()])
            } else {
                (format!("{n}.rate × 1 day"), vec![key::of(n, Metric::Rate)])
            };
            (key::of(n, Metric::Daily), Derived::computed(Value::of(d), Style::Count, formula, inputs))
        });
        plan.add(a.si(), || {
            if keeps {
                let d = Derived::computed(
                    Value::of(a),
                    Style::Rate,
                    key::of(n, Metric::Rate),
                    vec![key::of(n, Metric::Rate)],
                )
                .with_note("stated per second, so the interview day keeps it as written");
                return (key::of(n, Metric::AvgRps), d);
            }
            let inputs = vec![key::of(n, Metric::Daily), "seconds_per_day".into()];
            let formula = format!("{n}.daily ÷ seconds_per_day");
            (key::of(n, Metric::AvgRps), Derived::computed(Value::of(a), Style::Rate, formula, inputs))
        });
        plan.add(p.si(), || {
            let inputs = vec![key::of(n, Metric::AvgRps), "users.peak".into()];
            let formula = format!("{n}.avg_rps × users.peak");
            (key::of(n, Metric::PeakRps), Derived::computed(Value::of(p), Style::Rate, formula, inputs))
        });
        total_daily += d.si();
        total_avg += a.si();
        total_peak += p.si();
    }
    let sum = |name: &str, field: Metric, value: Value, style: Style| {
        let names: Vec<String> = design.requests.iter().map(|r| key::of(&r.name, field)).collect();
        let formula = if names.is_empty() { "0".to_string() } else { names.join(" + ") };
        (name.to_string(), Derived::computed(value, style, formula, names))
    };
    plan.add(total_daily, || sum("traffic.daily", Metric::Daily, Value::number(total_daily), Style::Count));
    plan.add(total_avg, || sum("traffic.avg_rps", Metric::AvgRps, Value::new(total_avg, Rate::DIM), Style::Rate));
    plan.add(total_peak, || sum("traffic.peak_rps", Metric::PeakRps, Value::new(total_peak, Rate::DIM), Style::Rate));
}
