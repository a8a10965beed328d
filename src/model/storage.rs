//! Stage 4: storage. daily = Σ daily calls × stored bytes; yearly = daily × days per year;
//! with growth g per year the years kept are the growth-weighted window ∫ (1+g)^t dt over
//! the last `retention` years before the horizon: ((1+g)^H − (1+g)^(H−R)) ÷ ln(1+g) (R when
//! g = 0). Each database, blob or search tier holds one copy of its placed bytes over that
//! window × (1 + overhead), plus its `data` (`TIER.storage`); bytes no tier holds are
//! `storage.unplaced`; total = (Σ TIER.storage + unplaced) × replication.
//!
//! Architecture Invariant: the window formula reduces exactly to `retention` when g = 0.

use super::derivation::Derived;
use super::plan::Plan;
use crate::design::Design;
use crate::key::{self, Metric};
use crate::units::format::Style;
use crate::units::table::DAY;
use crate::units::{Data, Dim, Quantity, Value};

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
        daily += Data::from_si(plan.value(&key::of(&r.name, Metric::Daily)) * r.stores.value.si());
    }
    plan.add(daily.si(), || {
        let terms: Vec<String> = storing().map(|r| format!("{0}.daily × {0}.stores", r.name)).collect();
        let inputs =
            storing().flat_map(|r| [key::of(&r.name, Metric::Daily), key::of(&r.name, Metric::Stores)]).collect();
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
    // A design seen `elapsed` years after its users were counted (the growth timeline) holds
    // the bytes written since then, in volumes of that earlier year.
    let elapsed = design.users.elapsed;
    let years = weighted_years(retention_years, horizon_years, growth) * (1.0 + growth).powf(-elapsed);
    let growing = growth.abs() >= 1e-12 || (horizon_years - retention_years).abs() >= 1e-12;
    plan.add(years, || {
        if elapsed != 0.0 {
            let formula = format!(
                "((1 + g)^H − (1 + g)^(H − R)) ÷ ln(1 + g) ÷ (1 + g)^{}: the bytes held {} years on, in years of that year's volume",
                crate::units::format::sig(elapsed, 4),
                crate::units::format::sig(elapsed, 4)
            );
            let inputs = vec!["storage.retention".to_string(), "users.growth".to_string(), "users.horizon".to_string()];
            return ("storage.years".into(), Derived::computed(Value::number(years), Style::Count, formula, inputs));
        }
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
    // Where the bytes live: each stateful tier's placed bytes over the same window, plus its
    // `data`; what no tier holds is `storage.unplaced`.
    let window = days_per_year * years * (1.0 + s.overhead.value.si());
    let mut held_names: Vec<String> = Vec::new();
    // the requests that place bytes in each tier, in request order, each once
    let mut placing: Vec<Vec<&crate::design::Request>> = vec![Vec::new(); design.tiers.len()];
    for r in &design.requests {
        for k in r.placements.iter().filter_map(|p| p.tier) {
            if let Some(list) = placing.get_mut(k)
                && list.last().is_none_or(|x| !std::ptr::eq(*x, r))
            {
                list.push(r);
            }
        }
    }
    for (k, t) in design.tiers.iter().enumerate() {
        if !crate::design::fields::STATEFUL_STORES.contains(&t.kind.name()) {
            continue;
        }
        let parts: Vec<(&str, &str)> = placing[k]
            .iter()
            .flat_map(|r| {
                r.placements.iter().filter(move |p| p.tier == Some(k)).map(move |p| (r.name.as_str(), p.name.as_str()))
            })
            .collect();
        let placed_daily: f64 = placing[k]
            .iter()
            .flat_map(|r| {
                let daily = plan.value(&key::of(&r.name, Metric::Daily));
                r.placements.iter().filter(move |p| p.tier == Some(k)).map(move |p| daily * p.bytes.value.si())
            })
            .sum();
        let data = t.data.as_ref().map_or(0.0, |d| d.value.si());
        let held = placed_daily * window + data;
        held_names.push(key::of(&t.name, Metric::Storage));
        plan.add(held, || {
            let n = &t.name;
            let mut terms: Vec<String> = parts.iter().map(|(r, p)| format!("{r}.daily × {p}")).collect();
            let mut inputs: Vec<String> =
                parts.iter().flat_map(|(r, p)| [key::of(r, Metric::Daily), p.to_string()]).collect();
            let mut formula = String::new();
            if !terms.is_empty() {
                let sum = if terms.len() == 1 { terms.remove(0) } else { format!("({})", terms.join(" + ")) };
                formula = format!(
                    "{sum} × {} days × storage.years × (1 + storage.overhead)",
                    crate::units::format::sig(days_per_year, 7)
                );
                inputs.extend(["storage.years".to_string(), "storage.overhead".to_string(), "calendar".to_string()]);
            }
            if t.data.is_some() {
                formula = if formula.is_empty() { key::of(n, Metric::Data) } else { format!("{formula} + {n}.data") };
                inputs.push(key::of(n, Metric::Data));
            }
            if formula.is_empty() {
                formula = "0 (no request places bytes here and no `data` is stated)".into();
            }
            let d = Derived::computed(Value::new(held, Dim::DATA), Style::Data, formula, inputs)
                .with_note("one copy, at the end of the planning window");
            (key::of(n, Metric::Storage), d)
        });
    }
    let unplaced_parts: Vec<(&str, &str, f64)> = design
        .requests
        .iter()
        .flat_map(|r| {
            r.placements
                .iter()
                .filter(|p| p.tier.is_none())
                .map(move |p| (r.name.as_str(), p.name.as_str(), p.bytes.value.si()))
        })
        .collect();
    let unplaced: f64 =
        unplaced_parts.iter().map(|(r, _, b)| plan.value(&key::of(r, Metric::Daily)) * b).sum::<f64>() * window;
    plan.add(unplaced, || {
        let terms: Vec<String> = unplaced_parts.iter().map(|(r, p, _)| format!("{r}.daily × {p}")).collect();
        let (formula, inputs) = if terms.is_empty() {
            ("0 (every stored byte has a tier)".to_string(), vec![])
        } else {
            let sum = if terms.len() == 1 { terms[0].clone() } else { format!("({})", terms.join(" + ")) };
            let mut inputs: Vec<String> =
                unplaced_parts.iter().flat_map(|(r, p, _)| [key::of(r, Metric::Daily), p.to_string()]).collect();
            inputs.extend(["storage.years".to_string(), "storage.overhead".to_string(), "calendar".to_string()]);
            (
                format!(
                    "{sum} × {} days × storage.years × (1 + storage.overhead)",
                    crate::units::format::sig(days_per_year, 7)
                ),
                inputs,
            )
        };
        let d = Derived::computed(Value::new(unplaced, Dim::DATA), Style::Data, formula, inputs)
            .with_note("stored bytes on a path with no database, blob or search tier to hold them");
        ("storage.unplaced".into(), d)
    });
    // (Σ TIER.storage + storage.unplaced) × replication, written the classic way: every
    // stored byte over the window, plus the tiers' own `data`.
    let data_tiers: Vec<&str> = design.tiers.iter().filter(|t| t.data.is_some()).map(|t| t.name.as_str()).collect();
    let data: f64 = design.tiers.iter().filter_map(|t| t.data.as_ref()).map(|d| d.value.si()).sum();
    let total = (yearly.si() * years * (1.0 + s.overhead.value.si()) + data) * s.replication.value.si();
    plan.add(total, || {
        let mut inputs =
            ["storage.yearly", "storage.years", "storage.replication", "storage.overhead"].map(String::from).to_vec();
        let mut formula = "storage.yearly × storage.years × storage.replication × (1 + storage.overhead)".to_string();
        if !data_tiers.is_empty() {
            let names: Vec<String> = data_tiers.iter().map(|t| key::of(t, Metric::Data)).collect();
            let sum = if names.len() == 1 { names[0].clone() } else { format!("({})", names.join(" + ")) };
            formula = format!("{formula} + {sum} × storage.replication");
            inputs.extend(names);
        }
        let d = Derived::computed(Value::new(total, Dim::DATA), Style::Data, formula, inputs).with_note(format!(
            "= ({} + storage.unplaced) × storage.replication",
            if held_names.is_empty() { "0".to_string() } else { held_names.join(" + ") }
        ));
        ("storage.total".into(), d)
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
