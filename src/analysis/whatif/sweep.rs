//! `fermi sweep`: the headline results across the range of one input (a field or a `let`),
//! the values at which each tier's deciding constraint changes, and the value at which each
//! assert or SLO starts (or stops) failing, found by bisection to within 1%.
//!
//! Each value restates the input the way a scenario does (the file lowered again with the
//! input replaced) and estimates the plan at point values. Cache hit ratios are simulated
//! once, for the design as written; at every other value a cache tier's ratio is Che's
//! approximation there plus the offset between the simulated ratio and Che's at the design's
//! own value — the offset method Monte Carlo uses — so a step costs about one estimate.
//!
//! Architecture Invariant: never simulates per step; every step's plan and verdicts come from
//! the same `model::estimate` and `check::check` as `fermi estimate` and `fermi check`.

use super::diff::bound_of;
use super::headline_names;
use crate::analysis::outcome::Failure;
use crate::check::{Finding, check};
use crate::design::profile::ProjectConfig;
use crate::design::{Design, Restated, lower_restated};
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::key::{self, Metric};
use crate::model::hits::{self, Hits};
use crate::model::{Plan, estimate};
use crate::source::{SourceFile, Span};
use crate::syntax::ast;
use crate::units::format::Style;
use crate::units::{Dim, Value};
use std::collections::BTreeMap;

/// What to sweep.
#[derive(Debug, Clone, PartialEq)]
pub struct Spec {
    /// The input's dotted name: `users.dau`, `api.capacity`, a `let`.
    pub name: String,
    /// The first value (base units).
    pub from: f64,
    /// The last value (base units).
    pub to: f64,
    /// How many values, both ends included (at least 2).
    pub steps: usize,
    /// Space the values evenly on a log scale instead of a linear one.
    pub log: bool,
}

/// The plan at one value.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// The swept input's value (base units).
    pub value: f64,
    /// Each of [`Sweep::names`]'s values (NaN when undefined).
    pub results: Vec<f64>,
    /// Each of [`Sweep::tiers`]'s deciding constraint (`throughput`, `disk`, …).
    pub bounds: Vec<String>,
    /// Each of [`Sweep::checks`]'s verdict: whether it held.
    pub passed: Vec<bool>,
}

/// A tier whose deciding constraint changes within the range.
#[derive(Debug, Clone, PartialEq)]
pub struct BoundChange {
    /// The tier.
    pub tier: String,
    /// The value (base units) at which it changes, to within 1%.
    pub at: f64,
    /// The constraint below that value.
    pub from: String,
    /// The constraint above it.
    pub to: String,
}

/// A check whose verdict changes within the range.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckChange {
    /// The check as text.
    pub text: String,
    /// The value (base units) at which it changes, to within 1%.
    pub at: f64,
    /// Whether it fails above that value (else it fails below it).
    pub fails_above: bool,
}

/// A whole sweep.
#[derive(Debug, Clone, PartialEq)]
pub struct Sweep {
    /// The design's name.
    pub design: String,
    /// The swept input.
    pub input: String,
    /// The input's dimension and style.
    pub dim: Dim,
    /// How to show the input.
    pub style: Style,
    /// The input's value in the design as written.
    pub base: f64,
    /// The results shown at every step.
    pub names: Vec<String>,
    /// Each result's dimension and style.
    pub kinds: Vec<(Dim, Style)>,
    /// Tiers, in design order.
    pub tiers: Vec<String>,
    /// The asserts and SLOs, by text.
    pub checks: Vec<String>,
    /// One step per value.
    pub steps: Vec<Step>,
    /// Where each tier's deciding constraint changes.
    pub bound_changes: Vec<BoundChange>,
    /// Where each check starts or stops failing.
    pub check_changes: Vec<CheckChange>,
}

/// Re-estimates a parsed design at values of one input.
pub struct Evaluator<'a> {
    file: ast::File,
    source: &'a SourceFile,
    config: &'a ProjectConfig,
    name: String,
    dim: Dim,
    /// `--rounded`: lowered with the interview day.
    interview_day: bool,
    /// Simulated minus analytic hit ratio at the base, per cache tier.
    offsets: BTreeMap<String, (f64, String)>,
}

fn failure(source: &SourceFile, diagnostics: Diagnostics) -> Box<Failure> {
    Box::new(Failure { source: source.clone(), diagnostics })
}

/// A point evaluation: the design, its plan and its verdicts.
pub struct Point {
    /// The design with the input restated.
    pub design: Design,
    /// Its plan.
    pub plan: Plan,
    /// Its asserts and SLOs.
    pub findings: Vec<Finding>,
}

impl<'a> Evaluator<'a> {
    /// Prepares a sweep of `name` over `base` (an analysis of the same source): checks that
    /// `name` is an input, and keeps the offsets of its cache tiers' hit ratios.
    pub fn new(
        base: &crate::analysis::outcome::Analysis,
        source: &'a SourceFile,
        config: &'a ProjectConfig,
        name: &str,
        interview_day: bool,
    ) -> Result<Evaluator<'a>, Box<Failure>> {
        let span = Span::new(0, name.len());
        let Some(entry) = base.plan.get(name).filter(|_| base.plan.is_input(name)) else {
            let inputs: Vec<&str> = base.plan.names().filter(|n| base.plan.is_input(n)).collect();
            let near = crate::design::resolve::suggest(name, inputs.iter().copied());
            let help = match (near, base.plan.get(name)) {
                (_, Some(_)) => format!("`{name}` is a result; sweep an input it follows from, e.g. `users.dau`"),
                (Some(s), None) => format!("did you mean `{s}`?"),
                (None, None) => "sweep an input (a field or a `let`): `users.dau`, `api.capacity`".to_string(),
            };
            let message = if base.plan.get(name).is_some() {
                format!("`{name}` is not an input of {}", source.path())
            } else {
                format!("unknown input `{name}` in {}", source.path())
            };
            let d = Diagnostic::error(Code::Sweep, message, span, "not an input").with_help(help);
            return Err(failure(&SourceFile::new("<sweep>", name), d.into()));
        };
        let mut e = Evaluator::for_design(base, source, config, interview_day)?;
        e.name = name.to_string();
        e.dim = entry.value.dim;
        Ok(e)
    }

    /// Prepares re-estimates of `base`'s design (an analysis of `source`) with any inputs
    /// restated or choices edited ([`Evaluator::with`]), keeping its cache tiers' offsets.
    pub fn for_design(
        base: &crate::analysis::outcome::Analysis,
        source: &'a SourceFile,
        config: &'a ProjectConfig,
        interview_day: bool,
    ) -> Result<Evaluator<'a>, Box<Failure>> {
        let file = crate::syntax::parse(source).map_err(|d| failure(source, d))?;
        let analytic = hits::analytic(&base.design);
        let offsets = base
            .hits
            .0
            .iter()
            .filter_map(|(tier, h)| {
                let che = analytic.0.get(tier)?;
                Some((tier.clone(), (h.ratio - che.ratio, h.method.clone())))
            })
            .collect();
        Ok(Evaluator { file, source, config, name: String::new(), dim: Dim::NONE, interview_day, offsets })
    }

    /// The swept input's dimension.
    pub fn dim(&self) -> Dim {
        self.dim
    }

    /// The plan and verdicts with the input at `value` (base units).
    pub fn at(&self, value: f64) -> Result<Point, Box<Failure>> {
        let mut restated = Restated { interview_day: self.interview_day, ..Restated::default() };
        restated.values.insert(self.name.clone(), (Value::new(value, self.dim), Span::new(0, 0)));
        self.with(&restated, |_| {}, &[])
    }

    /// The plan and verdicts with `restated` inputs (and shapes), then `edit` applied to the
    /// lowered design (a choice that is a keyword, such as a cache's eviction policy), and the
    /// hit ratios of `hits_given` in place of the offset estimate for those tiers. A shape
    /// restated for a tier is kept; otherwise the `cheapest(…)` tiers choose again. Each
    /// scenario is re-evaluated too (it reads the restated base), so asserts on its results
    /// (`black_friday.api.nodes`) are checked.
    pub fn with(
        &self,
        restated: &Restated,
        edit: impl FnOnce(&mut Design),
        hits_given: &[(String, crate::model::hits::HitEstimate)],
    ) -> Result<Point, Box<Failure>> {
        let restated = Restated { interview_day: self.interview_day, ..restated.clone() };
        let design =
            lower_restated(&self.file, self.source, self.config, &restated).map_err(|d| failure(self.source, d))?;
        let (mut design, _) = if restated.shapes.is_empty() {
            crate::analysis::shapes::choose(&self.file, self.source, self.config, design, &restated, None)
                .map_err(|d| failure(self.source, d))?
        } else {
            (design, Vec::new())
        };
        edit(&mut design);
        let mut hits = self.hits(&design);
        for (tier, h) in hits_given {
            hits.0.insert(tier.clone(), h.clone());
        }
        let mut plan = estimate(&design, &hits);
        let hit_ratios = |d: &Design| self.hits(d);
        for s in super::scenarios::scenario_plans(&design, &hit_ratios) {
            plan.add_scenario(&s.name, &s.plan);
        }
        let findings =
            check(&design, crate::model::View::point(&plan)).map_err(|d| failure(self.source, Diagnostics(d)))?;
        Ok(Point { design, plan, findings })
    }

    /// Che's hit ratio at this design plus the base design's offset.
    fn hits(&self, design: &Design) -> Hits {
        let mut out = hits::analytic(design);
        for (tier, h) in out.0.iter_mut() {
            if let Some((offset, method)) = self.offsets.get(tier) {
                h.ratio = (h.ratio + offset).clamp(0.0, 1.0);
                h.method = format!("Che's approximation offset by the design's own ({method})");
            }
        }
        out
    }
}

/// The values of a sweep, both ends included.
pub fn values(spec: &Spec) -> Vec<f64> {
    let n = spec.steps.max(2);
    (0..n)
        .map(|i| {
            let t = i as f64 / (n - 1) as f64;
            if spec.log { spec.from * (spec.to / spec.from).powf(t) } else { spec.from + (spec.to - spec.from) * t }
        })
        .collect()
}

/// The midpoint of two values, geometric on a log sweep.
fn middle(a: f64, b: f64, log: bool) -> f64 {
    if log { (a * b).sqrt() } else { (a + b) / 2.0 }
}

/// Narrows `[lo, hi]`, where `state` differs at the two ends, to within 0.5% of the value
/// (so the midpoint is within 1% of every value either side), and returns the midpoint.
fn bisect<T: PartialEq>(
    mut lo: f64,
    mut hi: f64,
    log: bool,
    at_lo: &T,
    state: &mut dyn FnMut(f64) -> Option<T>,
) -> f64 {
    for _ in 0..60 {
        if (hi - lo).abs() <= 0.005 * lo.abs().min(hi.abs()).max(f64::MIN_POSITIVE) {
            break;
        }
        let mid = middle(lo, hi, log);
        match state(mid) {
            Some(s) if s == *at_lo => lo = mid,
            Some(_) => hi = mid,
            None => break,
        }
    }
    middle(lo, hi, log)
}

/// Sweeps `spec` over a design: `base` is the design's analysis, `evaluator` prepared on it.
pub fn sweep(
    base: &crate::analysis::outcome::Analysis,
    evaluator: &Evaluator<'_>,
    spec: &Spec,
) -> Result<Sweep, Box<Failure>> {
    let names = headline_names(&base.design, &base.plan);
    let kinds =
        names.iter().map(|n| base.plan.get(n).map_or((Dim::NONE, Style::Count), |d| (d.value.dim, d.style))).collect();
    let tiers: Vec<String> = base.design.tiers.iter().map(|t| t.name.clone()).collect();
    let mut checks: Vec<String> = Vec::new();
    let mut steps = Vec::new();
    for v in values(spec) {
        let p = evaluator.at(v)?;
        for f in p.findings.iter().filter(|f| !f.is_warning()) {
            if !checks.contains(&f.text) {
                checks.push(f.text.clone());
            }
        }
        steps.push(step(&p, v, &names, &tiers, &checks));
    }
    for s in &mut steps {
        s.passed.resize(checks.len(), true);
    }
    let mut bound_changes = Vec::new();
    let mut check_changes = Vec::new();
    for w in steps.windows(2) {
        let (a, b) = (&w[0], &w[1]);
        for (k, tier) in tiers.iter().enumerate() {
            if a.bounds[k] != b.bounds[k] {
                let mut state =
                    |x: f64| evaluator.at(x).ok().and_then(|p| bound_of(&p.plan, &key::of(tier, Metric::Nodes)));
                let at = bisect(a.value, b.value, spec.log, &a.bounds[k], &mut state);
                bound_changes.push(BoundChange {
                    tier: tier.clone(),
                    at,
                    from: a.bounds[k].clone(),
                    to: b.bounds[k].clone(),
                });
            }
        }
        for (k, text) in checks.iter().enumerate() {
            if a.passed[k] != b.passed[k] {
                let mut state = |x: f64| {
                    evaluator.at(x).ok().map(|p| p.findings.iter().find(|f| f.text == *text).is_none_or(|f| f.passed))
                };
                let at = bisect(a.value, b.value, spec.log, &a.passed[k], &mut state);
                let rising = b.value > a.value;
                check_changes.push(CheckChange { text: text.clone(), at, fails_above: a.passed[k] == rising });
            }
        }
    }
    let base_value = base.plan.value(&spec.name);
    let (dim, style) = base.plan.get(&spec.name).map_or((Dim::NONE, Style::Count), |d| (d.value.dim, d.style));
    Ok(Sweep {
        design: base.design.name.clone(),
        input: spec.name.clone(),
        dim,
        style,
        base: base_value,
        names,
        kinds,
        tiers,
        checks,
        steps,
        bound_changes,
        check_changes,
    })
}

fn step(p: &Point, value: f64, names: &[String], tiers: &[String], checks: &[String]) -> Step {
    Step {
        value,
        results: names.iter().map(|n| p.plan.defined(n).unwrap_or(f64::NAN)).collect(),
        bounds: tiers.iter().map(|t| bound_of(&p.plan, &key::of(t, Metric::Nodes)).unwrap_or_default()).collect(),
        passed: checks.iter().map(|c| p.findings.iter().find(|f| f.text == *c).is_none_or(|f| f.passed)).collect(),
    }
}
