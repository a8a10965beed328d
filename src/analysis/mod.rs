//! The orchestrator: parse → lower (with `--rounded`'s day length as an input) → choose
//! `cheapest(…)` shapes (`shapes`) → estimate cache hit ratios (`hit_ratios`) → estimate the
//! plan → sample uncertain inputs (Monte Carlo) → the growth timeline (`timeline`) and
//! scenarios → check, availability fixes and plausibility warnings; for docs, the miss-ratio
//! curves and shard plans (`shard_plan`) and each choice's alternative (`whatif`).
//! `hit_ratios` and `shard_plan` are the two bridges between a design and the simulators;
//! `whatif` evaluates modified designs (fixes, scenarios, sweeps, diffs, alternatives).
//!
//! Architecture Invariant: the only module that calls every stage; it hands the model hit
//! ratios (the model never calls a simulator or estimator itself), and only its bridges
//! import `sim`.

pub mod hit_ratios;
pub mod shapes;
pub mod shard_plan;
pub mod timeline;
pub mod whatif;

pub(crate) mod outcome;

pub use outcome::{Analysis, Failure, Options};
pub use whatif::scenarios::{ScenarioPlan, scenario_plans};

use crate::check::check;
use crate::design::profile::ProjectConfig;
use crate::design::{Restated, lower_restated};
use crate::diagnostic::Diagnostics;
use crate::model::estimate;
use crate::source::SourceFile;
use crate::syntax::parse;

/// Runs the whole pipeline on a design's text.
pub fn analyze(source: SourceFile, config: &ProjectConfig, options: Options) -> Result<Analysis, Box<Failure>> {
    let fail = |source: &SourceFile, diagnostics| Box::new(Failure { source: source.clone(), diagnostics });
    let file = parse(&source).map_err(|d| fail(&source, d))?;
    // `--rounded` is an input to lowering, like a scenario's restated values
    let restated = Restated { interview_day: options.interview_day, ..Restated::default() };
    let design = lower_restated(&file, &source, config, &restated).map_err(|d| fail(&source, d))?;
    let (design, shape_choices) =
        crate::analysis::shapes::choose(&file, &source, config, design, &restated, Some(options.sampling))
            .map_err(|d| fail(&source, d))?;
    let hits = crate::analysis::hit_ratios::hits_for(&design);
    let mut plan = estimate(&design, &hits);
    let uncertainty = crate::uncertainty::run(&design, &hits, &plan, options.sampling);
    crate::analysis::shapes::explain(&shape_choices, &mut plan);
    let timeline = crate::analysis::timeline::build(&file, &source, config, &restated, &design, &hits, &plan);
    let scenarios = crate::analysis::whatif::scenarios::scenario_plans(&design, &crate::analysis::hit_ratios::hits_for);
    for s in &scenarios {
        plan.add_scenario(&s.name, &s.plan);
    }
    let mut findings = check(&design, crate::model::View::new(&plan, uncertainty.as_ref().map(|u| &u.distributions)))
        .map_err(|d| fail(&source, Diagnostics(d)))?;
    crate::analysis::whatif::fixes::suggest(&design, &plan, &hits, &mut findings);
    findings.extend(crate::plausibility::warnings(&design, &plan));
    // in the order of the design's lines (a stable sort keeps an SLO's requests together)
    findings.sort_by_key(|f| f.span.start);
    let (cache_curves, shard_plans) = if options.doc_simulations {
        // each database's main alternative strategy runs beside its own, for the alternatives
        let mut others: Vec<crate::sim::shard::Strategy> = Vec::new();
        for t in design.tiers.iter().filter(|t| t.kind == crate::design::TierKind::Database) {
            let s = crate::analysis::whatif::alternatives::sharding_alternative(t.sharding);
            if !others.contains(&s) {
                others.push(s);
            }
        }
        (
            crate::analysis::hit_ratios::curves(&design, &hits),
            crate::analysis::shard_plan::plans_with(&design, &plan, &others),
        )
    } else {
        (Vec::new(), Vec::new())
    };
    let mut analysis = Analysis {
        source,
        design,
        hits,
        plan,
        findings,
        cache_curves,
        shard_plans,
        uncertainty,
        scenarios,
        timeline,
        alternatives: Vec::new(),
    };
    if options.doc_simulations {
        analysis.alternatives = alternatives(&analysis, config, options);
    }
    Ok(analysis)
}

/// Each choice of the design re-run with its main alternative (the what-if evaluator, with
/// eviction alternatives' hit ratios from the hit-ratio bridge); none when it cannot re-run.
fn alternatives(
    a: &Analysis,
    config: &ProjectConfig,
    options: Options,
) -> Vec<crate::analysis::whatif::alternatives::Alternative> {
    let source = a.source.clone();
    let Ok(evaluator) =
        crate::analysis::whatif::sweep::Evaluator::for_design(a, &source, config, options.interview_day)
    else {
        return Vec::new();
    };
    let hits = |tier: &str, policy| crate::analysis::hit_ratios::alternative(&a.design, &a.hits, tier, policy);
    crate::analysis::whatif::alternatives::run(a, &evaluator, &hits)
}

/// Analyses two versions of a design side by side (two threads: they are independent) and
/// diffs them; the first failure, the old file's first, when either does not analyse.
pub fn diff_sources(
    old: crate::source::SourceFile,
    new: crate::source::SourceFile,
    config: &crate::design::profile::ProjectConfig,
    options: Options,
) -> Result<(Analysis, Analysis, whatif::diff::Diff), Box<Failure>> {
    let (a, b) = std::thread::scope(|s| {
        let old = crate::threads::spawn(s, || analyze(old, config, options));
        let b = analyze(new, config, options);
        (old.join().unwrap_or_else(|e| std::panic::resume_unwind(e)), b)
    });
    let (a, b) = (a?, b?);
    let d = whatif::diff::diff(&a, &b);
    Ok((a, b, d))
}
