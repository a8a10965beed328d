//! Asserts and SLO verdicts on a plan: each becomes a [`Finding`] with its line, both
//! values and whether it held. `fermi check` exits 1 when any finding failed (a plausibility
//! warning, made by `plausibility`, only with `--deny-warnings`); the fix for a failed
//! availability SLO is found by `whatif::fixes`, which re-estimates modified designs.
//!
//! Architecture Invariant: checks read the plan; they never recompute a model number.

use crate::design::eval::{Evaluated, Scope, eval};
use crate::design::{AssertSpec, Design};
use crate::diagnostic::{Code, Diagnostic};
use crate::key::{self, Metric};
use crate::model::plan::show;
use crate::model::{Plan, View};
use crate::source::Span;
use crate::syntax::ast::Cmp;
use crate::units::format::{self, Style};
use crate::units::{Dim, Value};
use serde::Serialize;

/// What a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// An `assert` statement.
    Assert,
    /// The availability SLO against the composite availability.
    SloAvailability,
    /// A latency SLO against a request's path latency.
    SloLatency,
    /// A plan that is arithmetically right but physically implausible: a warning, which
    /// holds (`passed`) unless `--deny-warnings` makes warnings fail.
    Plausibility,
}

impl Finding {
    /// Whether this finding is a plausibility warning.
    pub fn is_warning(&self) -> bool {
        self.kind == FindingKind::Plausibility
    }
}

/// One verdict.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// What kind.
    pub kind: FindingKind,
    /// Whether it held.
    pub passed: bool,
    /// Where it was stated.
    pub span: Span,
    /// The statement or constraint as text: `assert traffic.peak_rps < 100K rps`.
    pub text: String,
    /// The computed (left) value for people.
    pub actual: String,
    /// The bound (right) value for people.
    pub limit: String,
    /// One sentence for people.
    pub message: String,
    /// For a failed SLO: the smallest change found that would meet it, or what blocks it.
    pub suggestion: Option<String>,
}

/// Significant figures of the values a finding states: the display policy's, so a check
/// shows the very number the tables show.
const SHOWN: usize = format::NORMAL_DIGITS;

/// Both sides of a comparison for people; when they differ but print alike, the left says
/// which side of the bound it is on (`100K rps (just below)`), so no extra figures are needed.
fn shown_pair(l: f64, r: f64, show: impl Fn(f64) -> String) -> (String, String) {
    let (actual, limit) = (show(l), show(r));
    if actual == limit && l != r {
        let side = if l < r { "just below" } else { "just above" };
        (format!("{actual} ({side})"), limit)
    } else {
        (actual, limit)
    }
}

/// The value a check judges: a result's p50 when it varies over Monte Carlo samples (as the
/// tables show it and as asserts read it), else its value.
fn judged(plan: View<'_>, name: &str, d: &crate::model::Derived) -> f64 {
    plan.distribution(name).map_or(d.value.si, |x| x.p50)
}

/// The statistics an assert may ask of a result: `storage.total.p95`.
const STATS: [&str; 4] = ["p5", "p50", "p95", "mean"];

struct PlanScope<'a> {
    plan: View<'a>,
    year_seconds: f64,
    /// The design's requests (a bare request name means its rate).
    requests: &'a [crate::design::Request],
}

impl Scope for PlanScope<'_> {
    /// A result's value: its p50 when it varies over Monte Carlo samples; `NAME.p5`, `.p50`,
    /// `.p95` and `.mean` pick a statistic (the value itself when it does not vary).
    fn lookup(&mut self, name: &str, _: Span) -> Result<Option<Evaluated>, Diagnostic> {
        // only a bare name can be a request's (a dotted name is looked up as written)
        let request = !name.contains('.') && self.requests.iter().any(|r| r.name == name);
        let key = crate::design::resolve::referent(name, request).into_owned();
        let (stem, stat) = match key.rsplit_once('.') {
            Some((stem, stat)) if STATS.contains(&stat) && self.plan.get(&key).is_none() => (stem, stat),
            _ => (key.as_str(), "p50"),
        };
        Ok(self.plan.get(stem).map(|d| {
            let v = self.plan.distribution(stem).and_then(|x| x.stat(stat)).unwrap_or(d.value.si);
            Evaluated::exact(Value::new(v, d.value.dim))
        }))
    }
    fn names(&self) -> Vec<String> {
        let stats = self.plan.names().filter(|n| self.plan.distribution(n).is_some());
        let stats = stats.flat_map(|n| STATS.map(|s| format!("{n}.{s}")));
        self.plan.names().map(str::to_string).chain(stats).collect()
    }
    fn year_seconds(&self) -> f64 {
        self.year_seconds
    }
}

/// Evaluates an expression against a plan (asserts, templates, explain).
pub fn eval_in_plan(design: &Design, plan: View<'_>, expr: &crate::syntax::ast::Expr) -> Result<Value, Diagnostic> {
    use crate::units::Quantity;
    let mut scope = PlanScope { plan, year_seconds: design.year.value.si(), requests: &design.requests };
    eval(expr, &mut scope).map(|e| e.value)
}

/// Every assert and SLO verdict, or the diagnostics of asserts that cannot be evaluated.
/// A failed availability SLO's fix is not found here (that re-estimates modified designs):
/// [`crate::analysis::whatif::fixes::suggest`] adds it.
pub fn check(design: &Design, plan: View<'_>) -> Result<Vec<Finding>, Vec<Diagnostic>> {
    let mut findings = Vec::new();
    let mut errors = Vec::new();
    for a in &design.asserts {
        match assert_finding(design, plan, a) {
            Ok(f) => findings.push(f),
            Err(d) => errors.push(d),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    findings.extend(slo_findings(design, plan));
    Ok(findings)
}

/// Whether an assert's comparison holds for these two sides (base units).
pub fn holds(a: &AssertSpec, l: f64, r: f64) -> bool {
    match a.cmp {
        Cmp::Lt => l < r,
        Cmp::Le => l <= r,
        Cmp::Gt => l > r,
        Cmp::Ge => l >= r,
        Cmp::Eq => (l - r).abs() <= a.within.unwrap_or(1e-9) * r.abs().max(f64::MIN_POSITIVE),
    }
}

fn assert_finding(design: &Design, plan: View<'_>, a: &AssertSpec) -> Result<Finding, Diagnostic> {
    let l = eval_in_plan(design, plan, &a.left)?;
    let r = eval_in_plan(design, plan, &a.right)?;
    if l.dim != r.dim {
        return Err(Diagnostic::error(
            Code::DimensionMismatch,
            format!("cannot compare {} with {}", l.dim.describe(), r.dim.describe()),
            a.left.span,
            l.dim.describe(),
        )
        .with_note(a.right.span, r.dim.describe()));
    }
    let passed = holds(a, l.si, r.si);
    let style = style_for(&plan, &a.left, l.dim);
    let (actual, limit) = shown_pair(l.si, r.si, |x| format::human(Value::new(x, l.dim), style, SHOWN));
    let message = if passed {
        format!("holds: {actual} {} {limit}", a.cmp.symbol())
    } else {
        let within = a.within.map(|w| format!(" within {}%", format::sig(w * 100.0, 4))).unwrap_or_default();
        format!("failed: left side is {actual}, which is not {} {limit}{within}", a.cmp.symbol())
    };
    Ok(Finding {
        kind: FindingKind::Assert,
        passed,
        span: a.span,
        text: a.text.clone(),
        actual,
        limit,
        message,
        suggestion: None,
    })
}

fn style_for(plan: &Plan, e: &crate::syntax::ast::Expr, dim: Dim) -> Style {
    let stem = |n: String| match n.rsplit_once('.') {
        Some((stem, stat)) if STATS.contains(&stat) && plan.get(&n).is_none() => stem.to_string(),
        _ => n,
    };
    e.as_ref_name().and_then(|n| plan.get(&stem(n)).map(|d| d.style)).unwrap_or_else(|| Style::for_dim(dim))
}

/// What blocks a request's latency SLO: the tiers whose latency-SLO node count is undefined.
fn latency_blockers(design: &Design, plan: &Plan, request: &crate::design::Request) -> Option<String> {
    let mut reasons = Vec::new();
    for hop in &request.path {
        let name = &design.tiers[hop.tier].name;
        if let Some(d) = plan.get(&key::of(name, Metric::NodesLatency))
            && let Some(why) = &d.undefined
        {
            reasons.push(format!("tier `{name}`: {why}; lower its service_time or raise the SLO"));
        }
        if let Some(d) = plan.get(&key::of(name, Metric::LatencyMean))
            && let Some(why) = &d.undefined
        {
            reasons.push(format!("tier `{name}`: {why}; add nodes or capacity"));
        }
    }
    reasons.dedup();
    (!reasons.is_empty()).then(|| reasons.join("; "))
}

/// A value of an entry's kind for people (an undefined entry says why).
fn plan_value(d: &crate::model::Derived, x: f64) -> String {
    if d.is_defined() { format::human(Value::new(x, d.value.dim), d.style, SHOWN) } else { show(d, SHOWN) }
}

fn slo_findings(design: &Design, plan: View<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    if let (Some(slo), Some(composite)) = (&design.slo.availability, plan.get("availability.composite")) {
        use crate::units::Quantity;
        let target = slo.value.si();
        let value = judged(plan, "availability.composite", composite);
        let passed = value >= target;
        let span = design.spans.get("slo.availability").copied().unwrap_or_default();
        let (actual, limit) = shown_pair(value, target, |x| plan_value(composite, x));
        let message = if passed {
            format!("the architecture's composite availability {actual} meets the SLO {limit}")
        } else {
            format!("the architecture's composite availability {actual} is below the SLO {limit}")
        };
        out.push(Finding {
            kind: FindingKind::SloAvailability,
            passed,
            span,
            text: format!("slo availability = {limit}"),
            actual,
            limit,
            message,
            suggestion: None,
        });
    }
    for l in &design.slo.latency {
        use crate::units::Quantity;
        let span = design.spans.get(&key::latency("slo", &l.label)).copied().unwrap_or_default();
        let limit = format::human(Value::new(l.target.value.si(), Dim::TIME), Style::Duration, SHOWN);
        for r in &design.requests {
            let name = key::latency(&r.name, &l.label);
            let Some(d) = plan.get(&name) else {
                continue;
            };
            let (passed, actual, message) = if d.is_defined() {
                let value = judged(plan, &name, d);
                let ok = value <= l.target.value.si();
                let (actual, _) = shown_pair(value, l.target.value.si(), |x| plan_value(d, x));
                let verb = if ok { "meets" } else { "exceeds" };
                (
                    ok,
                    actual.clone(),
                    format!("`{}` {} along its path is {actual}, which {verb} the SLO {limit}", r.name, l.label),
                )
            } else {
                (
                    false,
                    show(d, SHOWN),
                    format!("`{}` {} is undefined: {}", r.name, l.label, d.undefined.clone().unwrap_or_default()),
                )
            };
            let suggestion = if passed { None } else { latency_blockers(design, &plan, r) };
            out.push(Finding {
                kind: FindingKind::SloLatency,
                passed,
                span,
                text: format!("slo latency {} = {limit} for {}", l.label, r.name),
                actual,
                limit: limit.clone(),
                message,
                suggestion,
            });
        }
    }
    out
}
