//! Fixes for a failed availability SLO, found by re-estimating modified designs: the
//! cheapest single change (one more spare node on a stateless tier, one or two more replicas
//! on a stateful one), else changes added one node at a time where each gains most; tried on
//! at most the eight weakest tiers, so the cost grows linearly with the design.
//!
//! Architecture Invariant: every candidate is the same design with one field raised,
//! estimated by the same model with the same hit ratios; nothing here changes a verdict, it
//! only fills in the failed finding's suggestion.

use crate::check::{Finding, FindingKind};
use crate::design::Design;
use crate::key::{self, Metric};
use crate::model::{Hits, Plan, estimate};
use crate::units::format::{self, Style};
use crate::units::{Quantity, Value};

/// Adds to each failed availability-SLO finding the change that would meet its target.
pub fn suggest(design: &Design, plan: &Plan, hits: &Hits, findings: &mut [Finding]) {
    let Some(slo) = &design.slo.availability else { return };
    let target = slo.value.si();
    for f in findings.iter_mut().filter(|f| f.kind == FindingKind::SloAvailability && !f.passed) {
        f.suggestion = availability_fix(design, plan, hits, target);
    }
}

/// At most this many tiers are tried as the place of a fix: the weakest on a path (lowest
/// availability), so the search re-estimates the plan a bounded number of times however many
/// tiers there are (a design with this many tiers or fewer on paths tries them all).
const MAX_CANDIDATES: usize = 8;

/// The tiers a fix may change: the [`MAX_CANDIDATES`] on a request's path with the lowest
/// availability, in the design's order.
fn candidates(design: &Design, plan: &Plan) -> Vec<usize> {
    let mut on_path = vec![false; design.tiers.len()];
    for r in &design.requests {
        for h in &r.path {
            if let Some(x) = on_path.get_mut(h.tier) {
                *x = true;
            }
        }
    }
    let mut ks: Vec<usize> = (0..design.tiers.len()).filter(|&k| on_path[k]).collect();
    if ks.len() > MAX_CANDIDATES {
        let availability = |k: usize| plan.value(&key::of(&design.tiers[k].name, Metric::Availability));
        ks.sort_by(|&a, &b| availability(a).total_cmp(&availability(b)).then(a.cmp(&b)));
        ks.truncate(MAX_CANDIDATES);
        ks.sort_unstable();
    }
    ks
}

/// The cheapest single change that lifts the composite availability to `target`: one more
/// spare node (up to 5) on a stateless tier, or one or two more replicas on a stateful one,
/// judged by nodes added, re-estimating the whole plan for each candidate.
fn availability_fix(design: &Design, plan: &Plan, hits: &Hits, target: f64) -> Option<String> {
    use crate::units::Ratio;
    let mut best: Option<(f64, String)> = None;
    for k in candidates(design, plan) {
        let tier = &design.tiers[k];
        let steps: &[f64] = if tier.kind.is_stateful() { &[1.0, 2.0] } else { &[1.0, 2.0, 3.0, 4.0, 5.0] };
        for &step in steps {
            let mut d = design.clone();
            let t = &mut d.tiers[k];
            let (field, value) = if tier.kind.is_stateful() {
                t.replicas.value = Ratio::from_si(t.replicas.value.si() + step);
                ("replicas", t.replicas.value.si())
            } else {
                t.spare.value = Ratio::from_si(t.spare.value.si() + step);
                ("spare", t.spare.value.si())
            };
            let p = estimate(&d, hits);
            let composite = p.value("availability.composite");
            if composite >= target {
                let added =
                    p.value(&key::of(&tier.name, Metric::Nodes)) - plan.value(&key::of(&tier.name, Metric::Nodes));
                let text = format!(
                    "`{field} = {}` on tier `{}` (+{} nodes) gives {}",
                    format::sig(value, 6),
                    tier.name,
                    format::sig(added, 6),
                    format::human(Value::number(composite), Style::Percent, format::NORMAL_DIGITS)
                );
                if best.as_ref().is_none_or(|(b, _)| added < *b) {
                    best = Some((added, text));
                }
                break;
            }
        }
    }
    best.map(|(_, t)| format!("would meet it: {t}")).or_else(|| availability_fixes(design, plan, hits, target))
}

/// When no single change is enough: add one spare node or one replica at a time, each time
/// where it raises the composite availability most per node added, until the target is met
/// (at most [`MAX_STEPS`] steps); the changes together, or `None` if they do not suffice.
fn availability_fixes(design: &Design, plan: &Plan, hits: &Hits, target: f64) -> Option<String> {
    use crate::units::Ratio;
    const MAX_STEPS: usize = 16;
    let tried = candidates(design, plan);
    let bump = |d: &mut Design, k: usize| {
        let t = &mut d.tiers[k];
        let field = if t.kind.is_stateful() { &mut t.replicas } else { &mut t.spare };
        field.value = Ratio::from_si(field.value.si() + 1.0);
    };
    let nodes = |p: &Plan| -> f64 { design.tiers.iter().map(|t| p.value(&key::of(&t.name, Metric::Nodes))).sum() };
    let mut current = design.clone();
    let mut now = estimate(&current, hits);
    for _ in 0..MAX_STEPS {
        if now.value("availability.composite") >= target {
            break;
        }
        let mut best: Option<(f64, Design, Plan)> = None;
        for &k in &tried {
            let mut d = current.clone();
            bump(&mut d, k);
            let p = estimate(&d, hits);
            let gain = p.value("availability.composite") - now.value("availability.composite");
            let per_node = gain / (nodes(&p) - nodes(&now)).max(1.0);
            if gain > 0.0 && best.as_ref().is_none_or(|(b, _, _)| per_node > *b) {
                best = Some((per_node, d, p));
            }
        }
        let (_, d, p) = best?;
        current = d;
        now = p;
    }
    let composite = now.value("availability.composite");
    if composite < target {
        return None;
    }
    let changes: Vec<String> = design
        .tiers
        .iter()
        .zip(&current.tiers)
        .filter_map(|(before, after)| {
            let (field, was, is) = if before.kind.is_stateful() {
                ("replicas", before.replicas.value.si(), after.replicas.value.si())
            } else {
                ("spare", before.spare.value.si(), after.spare.value.si())
            };
            let added =
                now.value(&key::of(&before.name, Metric::Nodes)) - plan.value(&key::of(&before.name, Metric::Nodes));
            (is > was).then(|| {
                format!(
                    "`{field} = {}` on tier `{}` (+{} nodes)",
                    format::sig(is, 6),
                    before.name,
                    format::sig(added, 6)
                )
            })
        })
        .collect();
    Some(format!(
        "would meet it together: {} give {}",
        changes.join(", "),
        format::human(Value::number(composite), Style::Percent, format::NORMAL_DIGITS)
    ))
}
