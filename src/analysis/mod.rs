//! The orchestrator: parse → lower (with `--rounded`'s day length as an input) → choose
//! `cheapest(…)` shapes → estimate cache hit ratios → estimate the plan → sample uncertain
//! inputs (Monte Carlo) → the growth timeline and scenarios → check.
//!
//! Architecture Invariant: the only module that calls every stage; it hands the model hit
//! ratios (the model never calls a simulator or estimator itself).

use crate::check::{Finding, check};
use crate::design::profile::ProjectConfig;
use crate::design::{Design, Restated, lower_restated};
use crate::diagnostic::Diagnostics;
use crate::model::{Hits, Plan, estimate};
use crate::source::SourceFile;
use crate::syntax::parse;

/// Run-time choices that change the numbers.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Options {
    /// Interview mode: 100K seconds a day (display rounding is the renderer's business).
    pub interview_day: bool,
    /// Run the simulations only docs show: miss-ratio curves of cache tiers and the shard
    /// plans of database tiers (estimates do not need them).
    pub doc_simulations: bool,
    /// Monte Carlo over uncertain inputs: samples, seed, provisioning percentile.
    pub sampling: crate::uncertainty::Settings,
}

/// Everything known about one design after a run.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// The design file.
    pub source: SourceFile,
    /// The validated design.
    pub design: Design,
    /// Cache hit ratios used.
    pub hits: Hits,
    /// Every number.
    pub plan: Plan,
    /// Assert and SLO verdicts.
    pub findings: Vec<Finding>,
    /// Miss-ratio curves of cache tiers, when asked for.
    pub cache_curves: Vec<crate::model::curves::CacheCurve>,
    /// Simulated shard plans of database tiers, when asked for.
    pub shard_plans: Vec<crate::shard_plan::ShardPlan>,
    /// The Monte Carlo run over uncertain inputs, when the design has any.
    pub uncertainty: Option<crate::uncertainty::Uncertainty>,
    /// Each scenario's plan, in the design's order (its entries are also in `plan` as
    /// `NAME.RESULT`).
    pub scenarios: Vec<ScenarioPlan>,
    /// The design year by year to the horizon, when its users grow.
    pub timeline: Option<crate::timeline::Timeline>,
    /// Each choice the design makes re-run with its main alternative, when docs are made.
    pub alternatives: Vec<crate::whatif::alternatives::Alternative>,
}

impl Analysis {
    /// Whether every assert and SLO holds.
    pub fn passed(&self) -> bool {
        self.findings.iter().all(|f| f.passed)
    }

    /// The plausibility warnings.
    pub fn warnings(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.is_warning())
    }
}

/// A failed analysis: the file and its diagnostics.
#[derive(Debug, Clone)]
pub struct Failure {
    /// The file the diagnostics point into.
    pub source: SourceFile,
    /// What went wrong.
    pub diagnostics: Diagnostics,
}

impl Failure {
    /// Rendered diagnostics.
    pub fn render(&self) -> String {
        self.diagnostics.render(&self.source)
    }
}

/// Runs the whole pipeline on a design's text.
pub fn analyze(source: SourceFile, config: &ProjectConfig, options: Options) -> Result<Analysis, Box<Failure>> {
    let fail = |source: &SourceFile, diagnostics| Box::new(Failure { source: source.clone(), diagnostics });
    let file = parse(&source).map_err(|d| fail(&source, d))?;
    // `--rounded` is an input to lowering, like a scenario's restated values
    let restated = Restated { interview_day: options.interview_day, ..Restated::default() };
    let design = lower_restated(&file, &source, config, &restated).map_err(|d| fail(&source, d))?;
    let (design, shape_choices) =
        crate::shapes::choose(&file, &source, config, design, &restated, Some(options.sampling))
            .map_err(|d| fail(&source, d))?;
    let hits = crate::hit_ratios::estimate(&design);
    let mut plan = estimate(&design, &hits);
    let uncertainty = crate::uncertainty::run(&design, &hits, &mut plan, options.sampling);
    crate::shapes::explain(&shape_choices, &mut plan);
    let timeline = crate::timeline::build(&file, &source, config, &restated, &design, &hits, &plan);
    let scenarios = scenario_plans(&design, &crate::hit_ratios::estimate);
    for s in &scenarios {
        plan.add_scenario(&s.name, &s.plan);
    }
    let mut findings = check(&design, &plan).map_err(|d| fail(&source, Diagnostics(d)))?;
    crate::whatif::fixes::suggest(&design, &plan, &hits, &mut findings);
    findings.extend(crate::plausibility::warnings(&design, &plan));
    // in the order of the design's lines (a stable sort keeps an SLO's requests together)
    findings.sort_by_key(|f| f.span.start);
    let (cache_curves, shard_plans) = if options.doc_simulations {
        // each database's main alternative strategy runs beside its own, for the alternatives
        let mut others: Vec<crate::sim::shard::Strategy> = Vec::new();
        for t in design.tiers.iter().filter(|t| t.kind == crate::design::TierKind::Database) {
            let s = crate::whatif::alternatives::sharding_alternative(t.sharding);
            if !others.contains(&s) {
                others.push(s);
            }
        }
        (crate::hit_ratios::curves(&design, &hits), crate::shard_plan::plans_with(&design, &plan, &others))
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
) -> Vec<crate::whatif::alternatives::Alternative> {
    let source = a.source.clone();
    let Ok(evaluator) = crate::whatif::sweep::Evaluator::for_design(a, &source, config, options.interview_day) else {
        return Vec::new();
    };
    let hits = |tier: &str, policy| crate::hit_ratios::alternative(&a.design, &a.hits, tier, policy);
    crate::whatif::alternatives::run(a, &evaluator, &hits)
}

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
                    let l = crate::check::eval_in_plan(&d, &plan, &x.left);
                    let r = crate::check::eval_in_plan(&d, &plan, &x.right);
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
