//! The growth timeline: with `users.growth` set, the design a year at a time from now to the
//! horizon — users, peak rps, storage held, nodes per tier, cost when priced — and the year
//! each tier first needs more nodes than it is given today, with the constraint that asks.
//!
//! Architecture Invariant: year Y is the same file lowered with `users.dau × (1 + g)^Y`, a
//! horizon of Y years and Y years elapsed since the users were counted (so storage holds
//! what was written until then), estimated by the same model with the base design's hit
//! ratios (the key count does not grow with users); nothing here has formulas of its own.

use crate::design::profile::ProjectConfig;
use crate::design::{Design, Restated, lower_with};
use crate::key::{self, Metric};
use crate::model::{Hits, Plan, estimate};
use crate::source::SourceFile;
use crate::syntax::ast;
use crate::units::{Dim, Quantity, Value};

/// One year of the timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct Year {
    /// Years from now.
    pub year: u32,
    /// Its plan.
    pub plan: Plan,
}

/// A tier that outgrows what it is given today.
#[derive(Debug, Clone, PartialEq)]
pub struct Outgrown {
    /// The tier.
    pub tier: String,
    /// The first year it needs more nodes than today.
    pub year: u32,
    /// The constraint that asks for them (`disk`, `throughput`, …).
    pub bound: String,
    /// Nodes it needs that year.
    pub nodes: f64,
}

/// The timeline of a growing design.
#[derive(Debug, Clone, PartialEq)]
pub struct Timeline {
    /// Year 0 (now) to the horizon.
    pub years: Vec<Year>,
    /// Tiers that outgrow today's nodes, in the order of the design.
    pub outgrown: Vec<Outgrown>,
}

/// The longest timeline drawn, in years.
const MAX_YEARS: f64 = 50.0;

/// The timeline, when the design grows and states its users.
pub fn build(
    file: &ast::File,
    source: &SourceFile,
    config: &ProjectConfig,
    base: &Restated,
    design: &Design,
    hits: &Hits,
    today: &Plan,
) -> Option<Timeline> {
    let growth = design.users.growth.value.si();
    let dau = design.users.dau.as_ref()?.value.si();
    if growth == 0.0 {
        return None;
    }
    let year = design.year.value.si();
    let horizon = design.users.horizon.as_ref().map_or(design.storage.retention.value.si(), |h| h.value.si()) / year;
    let last = horizon.min(MAX_YEARS).ceil().max(1.0) as u32;
    let mut years = Vec::new();
    for y in 0..=last {
        let mut restated = Restated { shapes: Default::default(), ..base.clone() };
        let span = file.name.span;
        restated.values.insert("users.dau".into(), (Value::number(dau * (1.0 + growth).powi(y as i32)), span));
        restated.values.insert("users.horizon".into(), (Value::new(f64::from(y) * year, Dim::TIME), span));
        restated.values.insert("users.elapsed".into(), (Value::number(f64::from(y)), span));
        for a in &design.assumptions {
            if let Some(tier) = key::owner(&a.name, Metric::Profile) {
                restated.shapes.insert(tier.to_string(), a.value.clone());
            }
        }
        let d = lower_with(file, source, config, &restated).ok()?;
        years.push(Year { year: y, plan: estimate(&d, hits) });
    }
    let mut outgrown = Vec::new();
    for t in &design.tiers {
        let name = key::of(&t.name, Metric::Nodes);
        let now = today.value(&name);
        if let Some(y) = years.iter().find(|y| y.plan.value(&name) > now + 1e-9) {
            let bound = y.plan.get(&name).and_then(|e| e.note.clone()).unwrap_or_default();
            outgrown.push(Outgrown {
                tier: t.name.clone(),
                year: y.year,
                bound: bound.trim_start_matches("bound by ").to_string(),
                nodes: y.plan.value(&name),
            });
        }
    }
    Some(Timeline { years, outgrown })
}
