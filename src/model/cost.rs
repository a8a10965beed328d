//! Stage 8: cost, per month (a month is the calendar year ÷ 12). Per tier: nodes × `price`
//! plus `storage_price` × `TIER.storage` × `storage.replication` (storage billed by the
//! byte, on every stored copy). Network: origin egress × `cost.egress` plus bytes served at
//! the edge × `cost.cdn`. Then the month's total, the year's, per million requests and per
//! daily user.
//!
//! Architecture Invariant: a design that states no price has no cost entries at all, and a
//! tier without a price adds nothing (lowering lists it as unpriced), so a partial bill
//! never passes for a complete one.

use super::derivation::Derived;
use super::plan::Plan;
use crate::design::Design;
use crate::key::{self, Metric};
use crate::units::format::Style;
use crate::units::table::DAY;
use crate::units::{Dim, Quantity, Value};

/// Whether the design prices anything.
pub fn priced(design: &Design) -> bool {
    design.tiers.iter().any(|t| t.price.is_some() || t.storage_price.is_some())
        || design.cost.egress.is_some()
        || design.cost.cdn.is_some()
}

fn money(name: String, value: f64, formula: String, inputs: Vec<String>) -> (String, Derived) {
    (name, Derived::computed(Value::new(value, Dim::MONEY), Style::Money, formula, inputs))
}

pub(super) fn add(design: &Design, plan: &mut Plan) {
    if !priced(design) {
        return;
    }
    let month = design.year.value.si() / 12.0;
    let replication = design.storage.replication.value.si();
    let (mut compute, mut storage) = (0.0, 0.0);
    let mut compute_names = Vec::new();
    let mut storage_names = Vec::new();
    for t in &design.tiers {
        let n = &t.name;
        let mut parts: Vec<String> = Vec::new();
        let mut inputs: Vec<String> = Vec::new();
        let mut total = 0.0;
        if let Some(price) = &t.price {
            let nodes = plan.value(&key::of(n, Metric::Nodes));
            let v = nodes * price.value.si() * month;
            plan.add(v, || {
                let inputs = vec![key::of(n, Metric::Nodes), key::of(n, Metric::Price), "calendar".into()];
                money(key::of(n, Metric::CostCompute), v, format!("{n}.nodes × {n}.price × 1 month"), inputs)
            });
            compute += v;
            total += v;
            compute_names.push(key::of(n, Metric::CostCompute));
            parts.push(key::of(n, Metric::CostCompute));
            inputs.push(key::of(n, Metric::CostCompute));
        }
        if let (Some(price), Some(held)) = (&t.storage_price, plan.defined(&key::of(n, Metric::Storage))) {
            let v = held * replication * price.value.si() * month;
            plan.add(v, || {
                let inputs =
                    vec![key::of(n, Metric::Storage), "storage.replication".into(), key::of(n, Metric::StoragePrice)];
                let formula = format!("{n}.storage × storage.replication × {n}.storage_price × 1 month");
                money(key::of(n, Metric::CostStorage), v, formula, inputs)
            });
            storage += v;
            total += v;
            storage_names.push(key::of(n, Metric::CostStorage));
            parts.push(key::of(n, Metric::CostStorage));
            inputs.push(key::of(n, Metric::CostStorage));
        }
        if parts.is_empty() {
            continue;
        }
        plan.add(total, || money(key::of(n, Metric::Cost), total, parts.join(" + "), inputs.clone()));
    }
    let sum = |names: &[String]| if names.is_empty() { "0 (nothing priced)".to_string() } else { names.join(" + ") };
    plan.add(compute, || money("cost.compute".into(), compute, sum(&compute_names), compute_names.clone()));
    plan.add(storage, || money("cost.storage".into(), storage, sum(&storage_names), storage_names.clone()));

    let origin = plan.value("bandwidth.origin_egress");
    let edge = (plan.value("bandwidth.egress") - origin).max(0.0);
    let egress_price = design.cost.egress.as_ref().map_or(0.0, |p| p.value.si());
    let cdn_price = design.cost.cdn.as_ref().map_or(0.0, |p| p.value.si());
    let network = (origin * egress_price + edge * cdn_price) * month;
    plan.add(network, || {
        let mut parts = Vec::new();
        let mut inputs = Vec::new();
        if design.cost.egress.is_some() {
            parts.push("bandwidth.origin_egress × 1 month × cost.egress".to_string());
            inputs.extend(["bandwidth.origin_egress".to_string(), "cost.egress".to_string()]);
        }
        if design.cost.cdn.is_some() {
            parts.push("(bandwidth.egress − bandwidth.origin_egress) × 1 month × cost.cdn".to_string());
            inputs.extend([
                "bandwidth.egress".to_string(),
                "bandwidth.origin_egress".to_string(),
                "cost.cdn".to_string(),
            ]);
        }
        let formula =
            if parts.is_empty() { "0 (no `cost { egress … }` prices)".to_string() } else { parts.join(" + ") };
        money("cost.network".into(), network, formula, inputs)
    });
    let monthly = compute + storage + network;
    plan.add(monthly, || {
        let inputs = ["cost.compute", "cost.storage", "cost.network"].map(String::from).to_vec();
        money("cost.monthly".into(), monthly, "cost.compute + cost.storage + cost.network".into(), inputs)
    });
    let yearly = monthly * 12.0;
    plan.add(yearly, || money("cost.yearly".into(), yearly, "cost.monthly × 12".into(), vec!["cost.monthly".into()]));
    let calls = plan.value("traffic.daily") * month / DAY;
    let per_million = if calls > 0.0 { monthly / calls * 1e6 } else { f64::NAN };
    plan.add(per_million, || {
        let inputs = vec!["cost.monthly".into(), "traffic.daily".into(), "calendar".into()];
        let formula = "cost.monthly ÷ (traffic.daily × days in a month) × 1M".to_string();
        if calls > 0.0 {
            money("cost.per_million_requests".into(), per_million, formula, inputs)
        } else {
            let d = Derived::undefined(Style::Money, formula, inputs, "no calls to spread the cost over");
            ("cost.per_million_requests".into(), d)
        }
    });
    let users = design.users.dau.as_ref().map(|d| d.value.si()).filter(|u| *u > 0.0);
    let per_user = users.map_or(f64::NAN, |u| monthly / u);
    plan.add(per_user, || {
        let inputs = vec!["cost.monthly".into(), "users.dau".into()];
        let formula = "cost.monthly ÷ users.dau (per daily user per month)".to_string();
        if users.is_some() {
            money("cost.per_user".into(), per_user, formula, inputs)
        } else {
            let d = Derived::undefined(Style::Money, formula, inputs, "the design states no users.dau");
            ("cost.per_user".into(), d)
        }
    });
}
