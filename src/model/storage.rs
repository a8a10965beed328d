//! Stage 4: storage. daily = Σ daily calls × stored bytes; yearly = daily × days per year;
//! total = yearly × years kept × replication × (1 + overhead), where with growth g per year
//! the years kept become the growth-weighted window ∫ (1+g)^t dt over the last `retention`
//! years before the horizon: ((1+g)^H − (1+g)^(H−R)) ÷ ln(1+g) (R when g = 0).
//!
//! Architecture Invariant: the window formula reduces exactly to `retention` when g = 0.

use super::derivation::Derived;
use super::plan::Plan;
use crate::design::Design;
use crate::units::format::Style;
use crate::units::table::DAY;
use crate::units::{Data, Quantity, Value};

/// Years of data held at the horizon, growth-weighted (years of year-one volume).
pub(super) fn weighted_years(retention_years: f64, horizon_years: f64, growth: f64) -> f64 {
    let start = (horizon_years - retention_years).max(0.0);
    if growth.abs() < 1e-12 {
        return horizon_years - start;
    }
    let k = (1.0 + growth).ln();
    ((k * horizon_years).exp() - (k * start).exp()) / k
}

pub(super) fn add(design: &Design, plan: &mut Plan) {
    let mut daily = Data::from_si(0.0);
    let storing = || design.requests.iter().filter(|r| r.stores.value.si() > 0.0);
    for r in storing() {
        daily += Data::from_si(plan.value(&format!("{}.daily", r.name)) * r.stores.value.si());
    }
    plan.add(daily.si(), || {
        let terms: Vec<String> = storing().map(|r| format!("{0}.daily × {0}.stores", r.name)).collect();
        let inputs = storing().flat_map(|r| [format!("{}.daily", r.name), format!("{}.stores", r.name)]).collect();
        let formula = if terms.is_empty() { "0 (no request stores bytes)".to_string() } else { terms.join(" + ") };
        ("storage.daily".into(), Derived::computed(Value::of(daily), Style::Data, formula, inputs))
    });

    let year = design.year.value.si();
    let days_per_year = year / DAY;
    let yearly = daily * days_per_year;
    plan.add(yearly.si(), || {
        let formula = format!("storage.daily × {} days", crate::units::format::sig(days_per_year, 7));
        let inputs = vec!["storage.daily".into(), "calendar".into()];
        ("storage.yearly".into(), Derived::computed(Value::of(yearly), Style::Data, formula, inputs))
    });

    let s = &design.storage;
    let retention_years = s.retention.value.si() / year;
    let horizon_years = design.users.horizon.as_ref().map_or(retention_years, |h| h.value.si() / year);
    let growth = design.users.growth.value.si();
    let years = weighted_years(retention_years, horizon_years, growth);
    let copies = s.replication.value.si() * (1.0 + s.overhead.value.si());
    let total = yearly * years * copies;
    let growing = growth.abs() >= 1e-12 || (horizon_years - retention_years).abs() >= 1e-12;
    plan.add(years, || {
        let (formula, mut inputs) = if growing {
            (
                "((1 + g)^H − (1 + g)^(H − R)) ÷ ln(1 + g), in years of year-one volume: R = storage.retention, H = users.horizon (the retention when not set), g = users.growth",
                vec!["storage.retention".to_string(), "users.growth".to_string()],
            )
        } else {
            ("storage.retention in years", vec!["storage.retention".to_string()])
        };
        if design.users.horizon.is_some() && growing {
            inputs.push("users.horizon".into());
        }
        ("storage.years".into(), Derived::computed(Value::number(years), Style::Count, formula, inputs))
    });
    plan.add(total.si(), || {
        let inputs =
            ["storage.yearly", "storage.years", "storage.replication", "storage.overhead"].map(String::from).to_vec();
        let formula = "storage.yearly × storage.years × storage.replication × (1 + storage.overhead)";
        ("storage.total".into(), Derived::computed(Value::of(total), Style::Data, formula, inputs))
    });
}

#[cfg(test)]
mod tests {
    use super::weighted_years;

    #[test]
    fn growth_window_reduces_to_retention_without_growth() {
        assert_eq!(weighted_years(5.0, 5.0, 0.0), 5.0);
        // With 10%/year over 1 year: ∫0^1 1.1^t dt = 0.1/ln 1.1.
        assert!((weighted_years(1.0, 1.0, 0.1) - 0.1 / 1.1f64.ln()).abs() < 1e-12);
        // A horizon shorter than the retention keeps only what was written so far.
        assert_eq!(weighted_years(5.0, 2.0, 0.0), 2.0);
    }
}
