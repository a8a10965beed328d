//! `profile = cheapest(A, B, …)`: the tier sized on each candidate shape — throughput from
//! `cpu` and the shape's vCPUs, memory, disk, network, connections, whatever it states — and
//! the cheapest that meets every constraint kept, ties broken by fewer nodes. With uncertain
//! inputs each candidate is sized at the provisioning percentile of its Monte Carlo node
//! count (what would be bought), not at the inputs' medians.
//!
//! Architecture Invariant: each candidate is the same design lowered with that shape and
//! estimated by the same model; the choice only compares the plans' own numbers.

use crate::design::profile::ProjectConfig;
use crate::design::{Design, Restated, lower_with};
use crate::diagnostic::Diagnostics;
use crate::key::{self, Metric};
use crate::model::{Derived, Plan, estimate};
use crate::source::SourceFile;
use crate::syntax::ast;
use crate::uncertainty::Settings;
use crate::units::format::{self, Style};
use crate::units::{Dim, Value};

/// One candidate's sizing.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// The shape.
    pub shape: String,
    /// Nodes the tier needs on it.
    pub nodes: f64,
    /// The constraint that decided the count.
    pub bound: String,
    /// The tier's monthly cost on it (NaN when the shape cannot meet a constraint).
    pub monthly: f64,
}

/// The choice for one tier.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    /// The tier.
    pub tier: String,
    /// Every candidate in the order written.
    pub candidates: Vec<Candidate>,
    /// Index of the winner.
    pub winner: usize,
    /// The provisioning percentile the candidates were sized at (0.95 = p95), when the
    /// design is uncertain; `None` when sized at point values.
    pub percentile: Option<f64>,
}

/// Chooses a shape for every `cheapest(…)` tier and returns the design lowered with the
/// winners, with each choice. `base` holds inputs restated for the whole run (a sweep's
/// value); `sampling` sizes uncertain designs at the provisioning percentile.
pub fn choose(
    file: &ast::File,
    source: &SourceFile,
    config: &ProjectConfig,
    design: Design,
    base: &Restated,
    sampling: Option<Settings>,
) -> Result<(Design, Vec<Choice>), Diagnostics> {
    let tiers: Vec<(String, Vec<String>)> = design
        .tiers
        .iter()
        .filter(|t| t.candidates.len() > 1)
        .map(|t| (t.name.clone(), t.candidates.clone()))
        .collect();
    if tiers.is_empty() {
        return Ok((design, Vec::new()));
    }
    let hits = crate::analysis::hit_ratios::hits_for(&design);
    let mut choices = Vec::new();
    let mut shapes = Restated { shapes: Default::default(), ..base.clone() };
    let sampling = sampling.filter(|_| design.uncertain.as_deref().is_some_and(|u| !u.leaves.is_empty()));
    let mut percentile = None;
    for (tier, names) in &tiers {
        let mut candidates = Vec::new();
        for shape in names {
            let mut restated = Restated { shapes: Default::default(), ..base.clone() };
            restated.shapes.insert(tier.clone(), shape.clone());
            let d = lower_with(file, source, config, &restated)?;
            let plan = estimate(&d, &hits);
            let mut nodes = plan.value(&key::of(tier, Metric::Nodes));
            let bound = plan.get(&key::of(tier, Metric::Nodes)).and_then(|e| e.note.clone()).unwrap_or_default();
            let bound = bound.trim_start_matches("bound by ").to_string();
            let mut monthly =
                plan.defined(&key::of(tier, Metric::Cost)).filter(|_| nodes.is_finite()).unwrap_or(f64::NAN);
            if let Some(settings) = sampling
                && let Some(u) = crate::uncertainty::run(&d, &hits, &plan, settings)
            {
                percentile = Some(u.provision);
                // what would be bought: the provisioned count, at the shape's price
                if let Some(range) = u.nodes.iter().find(|r| &r.tier == tier) {
                    let per_node = plan.defined(&key::of(tier, Metric::CostCompute)).map(|c| c / nodes);
                    if let Some(per_node) = per_node.filter(|p| p.is_finite()) {
                        monthly += (range.provision - nodes) * per_node;
                    }
                    nodes = range.provision;
                }
            }
            candidates.push(Candidate { shape: shape.clone(), nodes, bound, monthly });
        }
        let winner = (0..candidates.len())
            .filter(|&k| candidates[k].monthly.is_finite())
            .min_by(|&a, &b| {
                let (x, y) = (&candidates[a], &candidates[b]);
                x.monthly.total_cmp(&y.monthly).then(x.nodes.total_cmp(&y.nodes))
            })
            .unwrap_or(0);
        shapes.shapes.insert(tier.clone(), candidates[winner].shape.clone());
        choices.push(Choice { tier: tier.clone(), candidates, winner, percentile });
    }
    let mut chosen = lower_with(file, source, config, &shapes)?;
    chosen.scenarios = design.scenarios;
    // scenarios keep the shapes the base design chose
    for s in &mut chosen.scenarios {
        let mut values = base.values.clone();
        values.extend(s.overrides.iter().map(|(k, v, span)| (k.clone(), (*v, *span))));
        let restated = Restated { values, shapes: shapes.shapes.clone(), interview_day: base.interview_day };
        let mut d = lower_with(file, source, config, &restated)?;
        d.assumptions.retain(|a| !restated.values.contains_key(&a.name));
        s.design = Some(Box::new(d));
    }
    for c in &choices {
        chosen.assumptions.push(crate::design::Assumption {
            name: key::of(&c.tier, Metric::Profile),
            value: c.candidates[c.winner].shape.clone(),
            why: "the cheapest of the `cheapest(…)` candidates that meets every constraint".into(),
        });
    }
    Ok((chosen, choices))
}

fn dollars(x: f64) -> String {
    if x.is_finite() { format!("{}/month", format::money(x, 4)) } else { "no price".into() }
}

/// Adds `TIER.profile` to the plan: the winner's monthly cost, with every candidate's node
/// count, deciding constraint and cost, and why the winner won.
pub fn explain(choices: &[Choice], plan: &mut Plan) {
    for c in choices {
        let w = &c.candidates[c.winner];
        let runner = (0..c.candidates.len())
            .filter(|&k| k != c.winner && c.candidates[k].monthly.is_finite())
            .min_by(|&a, &b| c.candidates[a].monthly.total_cmp(&c.candidates[b].monthly));
        plan.add(w.monthly, || {
            let formula = c
                .candidates
                .iter()
                .map(|x| {
                    format!("{}: {} nodes ({}) at {}", x.shape, format::count(x.nodes, 4), x.bound, dollars(x.monthly))
                })
                .collect::<Vec<_>>()
                .join("; ");
            let why = match runner {
                Some(r) => {
                    let r = &c.candidates[r];
                    format!(
                        "{} wins at {}; runner-up {} at {} ({} more)",
                        w.shape,
                        dollars(w.monthly),
                        r.shape,
                        dollars(r.monthly),
                        format::money(r.monthly - w.monthly, 4)
                    )
                }
                None => format!("{} is the only candidate with a price", w.shape),
            };
            let d = Derived::computed(
                Value::new(w.monthly, Dim::MONEY),
                Style::Money,
                match c.percentile {
                    Some(q) => format!("cheapest at the p{} node count of {formula}", format::sig(q * 100.0, 4)),
                    None => format!("cheapest of {formula}"),
                },
                vec![key::of(&c.tier, Metric::Cost)],
            )
            .with_note(why);
            (key::of(&c.tier, Metric::Profile), d)
        });
    }
}
