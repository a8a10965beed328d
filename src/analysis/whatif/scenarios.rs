//! Scenarios evaluated: each `scenario` block's design (lowered with its inputs restated)
//! estimated at point values, with the base design's asserts judged in it.
//!
//! Architecture Invariant: a scenario's plan comes from the same model as the base plan;
//! its hit ratios come from the estimator the caller passes (simulated for the base run,
//! Che's approximation in a sweep).

use crate::design::Design;
use crate::model::{Hits, Plan, estimate};

/// The plan of each scenario of a design (its inputs restated, its hit ratios re-estimated
/// by `hit_ratios`), at point values.
pub fn scenario_plans(design: &Design, hit_ratios: &dyn Fn(&Design) -> Hits) -> Vec<ScenarioPlan> {
    design
        .scenarios
        .iter()
        .filter_map(|s| {
            let d = (**s.design.as_ref()?).clone();
            let hits = hit_ratios(&d);
            let plan = estimate(&d, &hits);
            // the base design's asserts, evaluated in the scenario (those naming another
            // scenario's results cannot be, and are left out)
            let failed = design
                .asserts
                .iter()
                .filter(|x| {
                    let l = crate::check::eval_in_plan(&d, crate::model::View::point(&plan), &x.left);
                    let r = crate::check::eval_in_plan(&d, crate::model::View::point(&plan), &x.right);
                    matches!((l, r), (Ok(l), Ok(r)) if l.dim == r.dim && !crate::check::holds(x, l.si, r.si))
                })
                .map(|x| x.span)
                .collect();
            Some(ScenarioPlan { name: s.name.clone(), built_in: s.built_in, design: d, plan, failed })
        })
        .collect()
}

/// A scenario's design and plan.
#[derive(Debug, Clone)]
pub struct ScenarioPlan {
    /// The scenario's name (`horizon` for the growth scenario).
    pub name: String,
    /// Whether fermi made it.
    pub built_in: bool,
    /// The design with the scenario's inputs in place.
    pub design: Design,
    /// Its plan.
    pub plan: Plan,
    /// Where the design's asserts that fail in this scenario were written.
    pub failed: Vec<crate::source::Span>,
}
