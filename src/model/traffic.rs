//! Stage 2: traffic. Per request: daily calls = rate × 1 day; average rps = daily ÷
//! `seconds_per_day`; peak rps = average × `users.peak`. Totals are sums.
//!
//! Architecture Invariant: a day here is a calendar day (86,400 s); `seconds_per_day` only
//! divides, which is what the 100K-seconds interview shortcut means.

use super::derivation::Derived;
use super::plan::Plan;
use crate::design::Design;
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
    for r in &design.requests {
        let n = &r.name;
        let d = daily(r.rate.value);
        let a = avg_rps(d, spd);
        let p = peak_rps(a, peak);
        plan.insert(
            format!("{n}.daily"),
            Derived::computed(Value::of(d), Style::Count, format!("{n}.rate × 1 day"), vec![format!("{n}.rate")]),
        );
        plan.insert(
            format!("{n}.avg_rps"),
            Derived::computed(
                Value::of(a),
                Style::Rate,
                format!("{n}.daily ÷ seconds_per_day"),
                vec![format!("{n}.daily"), "seconds_per_day".into()],
            ),
        );
        plan.insert(
            format!("{n}.peak_rps"),
            Derived::computed(
                Value::of(p),
                Style::Rate,
                format!("{n}.avg_rps × users.peak"),
                vec![format!("{n}.avg_rps"), "users.peak".into()],
            ),
        );
        total_daily += d.si();
        total_avg += a.si();
        total_peak += p.si();
    }
    let sum = |field: &str| {
        let names: Vec<String> = design.requests.iter().map(|r| format!("{}.{field}", r.name)).collect();
        let formula = if names.is_empty() { "0".to_string() } else { names.join(" + ") };
        (formula, names)
    };
    let (f, i) = sum("daily");
    plan.insert("traffic.daily", Derived::computed(Value::number(total_daily), Style::Count, f, i));
    let (f, i) = sum("avg_rps");
    plan.insert("traffic.avg_rps", Derived::computed(Value::new(total_avg, Rate::DIM), Style::Rate, f, i));
    let (f, i) = sum("peak_rps");
    plan.insert("traffic.peak_rps", Derived::computed(Value::new(total_peak, Rate::DIM), Style::Rate, f, i));
}
