//! What changed between two analyses of a design — before and after a change, or a file and
//! its version at a git revision: every headline result and tier node count (old, new), the
//! check verdicts that flipped, the inputs that changed (with the line that states each now),
//! and the tiers and requests added or removed.
//!
//! Architecture Invariant: reads two finished analyses and computes nothing but differences;
//! a diff of an analysis with itself is empty.

use super::{differs, headline_names};
use crate::analysis::outcome::Analysis;
use crate::design::Origin;
use crate::model::Plan;
use crate::model::derivation::Provenance;
use crate::units::Dim;
use crate::units::format::Style;

/// One result on both sides.
#[derive(Debug, Clone, PartialEq)]
pub struct ResultChange {
    /// Its dotted name.
    pub name: String,
    /// Its dimension.
    pub dim: Dim,
    /// How to show it.
    pub style: Style,
    /// The old value (base units), when the old plan has it.
    pub old: Option<f64>,
    /// The new value, when the new plan has it.
    pub new: Option<f64>,
    /// The deciding constraint of a tier's node count, old and new (`throughput`, `disk`).
    pub bound: Option<(String, String)>,
    /// The scenario it belongs to (`horizon`, `black_friday`), for `NAME.RESULT` rows.
    pub scenario: Option<String>,
}

impl ResultChange {
    /// Whether the value (or, for a node count, its deciding constraint) changed.
    pub fn changed(&self) -> bool {
        let v = |x: Option<f64>| x.unwrap_or(f64::NAN);
        differs(v(self.old), v(self.new))
            || self.old.is_some() != self.new.is_some()
            || self.bound.as_ref().is_some_and(|(a, b)| a != b)
    }

    /// New minus old (missing counts as zero).
    pub fn delta(&self) -> f64 {
        self.new.unwrap_or(0.0) - self.old.unwrap_or(0.0)
    }

    /// The relative change (a fraction), when both sides are defined.
    pub fn relative(&self) -> Option<f64> {
        super::relative(self.old?, self.new?)
    }
}

/// A check whose verdict differs between the two sides (or that exists on one side only).
#[derive(Debug, Clone, PartialEq)]
pub struct CheckChange {
    /// The check as text: `assert traffic.peak_rps < 100K rps`.
    pub text: String,
    /// Whether it held before (`None`: it did not exist).
    pub old: Option<bool>,
    /// Whether it holds now (`None`: it was removed).
    pub new: Option<bool>,
    /// The newer side's sentence.
    pub message: String,
    /// The newer side's line.
    pub line: usize,
}

/// An input stated differently.
#[derive(Debug, Clone, PartialEq)]
pub struct InputChange {
    /// Its dotted name.
    pub name: String,
    /// Its dimension.
    pub dim: Dim,
    /// How to show it.
    pub style: Style,
    /// The old value, when the old design had it.
    pub old: Option<f64>,
    /// The new value, when the new design has it.
    pub new: Option<f64>,
    /// Where the newer side states it: the line number and its text, when written in the file.
    pub line: Option<(usize, String)>,
    /// Where the newer side's value comes from, when not written: `default`, `profile m5.large`.
    pub origin: Option<String>,
}

/// Everything that changed.
#[derive(Debug, Clone, PartialEq)]
pub struct Diff {
    /// The old file's display name (`designs/a.fermi` or `origin/main:designs/a.fermi`).
    pub old_path: String,
    /// The new file's display name.
    pub new_path: String,
    /// Every headline result of either side, in the newer side's order; then each scenario's
    /// (`horizon.api.nodes`).
    pub results: Vec<ResultChange>,
    /// Flipped, added or removed checks.
    pub checks: Vec<CheckChange>,
    /// Inputs whose values differ.
    pub inputs: Vec<InputChange>,
    /// Tiers only in the new design.
    pub tiers_added: Vec<String>,
    /// Tiers only in the old design.
    pub tiers_removed: Vec<String>,
    /// Requests only in the new design.
    pub requests_added: Vec<String>,
    /// Requests only in the old design.
    pub requests_removed: Vec<String>,
}

impl Diff {
    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        !self.results.iter().any(ResultChange::changed)
            && self.checks.is_empty()
            && self.inputs.is_empty()
            && self.tiers_added.is_empty()
            && self.tiers_removed.is_empty()
            && self.requests_added.is_empty()
            && self.requests_removed.is_empty()
    }

    /// The results that changed.
    pub fn changed(&self) -> impl Iterator<Item = &ResultChange> {
        self.results.iter().filter(|r| r.changed())
    }
}

/// The deciding constraint in a node count's note (`bound by disk` → `disk`).
pub fn bound_of(plan: &Plan, name: &str) -> Option<String> {
    plan.get(name)?.note.as_deref()?.strip_prefix("bound by ").map(str::to_string)
}

/// What changed from `old` to `new`.
pub fn diff(old: &Analysis, new: &Analysis) -> Diff {
    let mut names = headline_names(&new.design, &new.plan);
    for n in headline_names(&old.design, &old.plan) {
        if !names.contains(&n) {
            names.push(n);
        }
    }
    let mut results: Vec<ResultChange> = names.iter().map(|n| result(old, new, n)).collect();
    let mut scenarios: Vec<(&str, Vec<String>)> = Vec::new();
    for s in new.scenarios.iter().chain(&old.scenarios) {
        let rows = headline_names(&s.design, &s.plan).into_iter().map(|n| format!("{}.{n}", s.name));
        match scenarios.iter_mut().find(|(name, _)| *name == s.name) {
            Some((_, list)) => list.extend(rows.filter(|r| !list.contains(r)).collect::<Vec<_>>()),
            None => scenarios.push((s.name.as_str(), rows.collect())),
        }
    }
    for (scenario, rows) in scenarios {
        for n in rows {
            let mut r = result(old, new, &n);
            r.scenario = Some(scenario.to_string());
            results.push(r);
        }
    }
    let names_of = |a: &Analysis, tiers: bool| -> Vec<String> {
        if tiers {
            a.design.tiers.iter().map(|t| t.name.clone()).collect()
        } else {
            a.design.requests.iter().map(|r| r.name.clone()).collect()
        }
    };
    let only = |a: &[String], b: &[String]| a.iter().filter(|n| !b.contains(n)).cloned().collect::<Vec<_>>();
    let (old_tiers, new_tiers) = (names_of(old, true), names_of(new, true));
    let (old_requests, new_requests) = (names_of(old, false), names_of(new, false));
    Diff {
        old_path: old.source.path().to_string(),
        new_path: new.source.path().to_string(),
        results,
        checks: checks(old, new),
        inputs: inputs(old, new),
        tiers_added: only(&new_tiers, &old_tiers),
        tiers_removed: only(&old_tiers, &new_tiers),
        requests_added: only(&new_requests, &old_requests),
        requests_removed: only(&old_requests, &new_requests),
    }
}

fn result(old: &Analysis, new: &Analysis, name: &str) -> ResultChange {
    let (o, n) = (old.plan.get(name), new.plan.get(name));
    let like = n.or(o);
    let value = |d: Option<&crate::model::Derived>| d.filter(|d| d.is_defined()).map(|d| d.value.si);
    let bound = match (bound_of(&old.plan, name), bound_of(&new.plan, name)) {
        (Some(a), Some(b)) => Some((a, b)),
        _ => None,
    };
    ResultChange {
        name: name.to_string(),
        dim: like.map_or(Dim::NONE, |d| d.value.dim),
        style: like.map_or(Style::Count, |d| d.style),
        old: value(o),
        new: value(n),
        bound,
        scenario: None,
    }
}

fn checks(old: &Analysis, new: &Analysis) -> Vec<CheckChange> {
    let line = |a: &Analysis, f: &crate::check::Finding| a.source.line_col(f.span.start).line;
    let before: Vec<&crate::check::Finding> = old.findings.iter().filter(|f| !f.is_warning()).collect();
    let after: Vec<&crate::check::Finding> = new.findings.iter().filter(|f| !f.is_warning()).collect();
    let mut out = Vec::new();
    for f in &after {
        let was = before.iter().find(|b| b.text == f.text).map(|b| b.passed);
        if was != Some(f.passed) && !(was.is_none() && f.passed) {
            out.push(CheckChange {
                text: f.text.clone(),
                old: was,
                new: Some(f.passed),
                message: f.message.clone(),
                line: line(new, f),
            });
        }
    }
    for f in before.iter().filter(|b| !b.passed && !after.iter().any(|a| a.text == b.text)) {
        out.push(CheckChange {
            text: f.text.clone(),
            old: Some(false),
            new: None,
            message: "removed".into(),
            line: line(old, f),
        });
    }
    out
}

/// Plan entries that are inputs of the base design (not of a scenario).
fn input_entries(a: &Analysis) -> Vec<(&str, &crate::model::Derived)> {
    let prefixes: Vec<String> = a.scenarios.iter().map(|s| format!("{}.", s.name)).collect();
    a.plan.iter().filter(|(n, _)| a.plan.is_input(n) && !prefixes.iter().any(|p| n.starts_with(p.as_str()))).collect()
}

fn inputs(old: &Analysis, new: &Analysis) -> Vec<InputChange> {
    let (before, after) = (input_entries(old), input_entries(new));
    let mut out = Vec::new();
    let value = |d: &crate::model::Derived| d.value.si;
    let located = |a: &Analysis, d: &crate::model::Derived| match &d.source {
        Provenance::Input { origin: Origin::Written { span } } => {
            let l = a.source.line_col(span.start).line;
            let line = a.source.line_text(l).trim();
            // A long line (a one-line tier) is shown by the statement itself.
            let text = if line.chars().count() > 72 { a.source.slice(*span).trim() } else { line };
            (Some((l, text.to_string())), None)
        }
        Provenance::Input { origin: Origin::Default { .. } } => (None, Some("default".to_string())),
        Provenance::Input { origin: Origin::Profile { profile, .. } } => (None, Some(format!("profile {profile}"))),
        Provenance::Input { origin: Origin::Config { text } } => (None, Some(format!("config {text}"))),
        Provenance::Computed => (None, None),
    };
    for (name, d) in &after {
        let was = before.iter().find(|(n, _)| n == name).map(|(_, b)| value(b));
        if was.is_some_and(|w| !differs(w, value(d))) {
            continue;
        }
        let (line, origin) = located(new, d);
        out.push(InputChange {
            name: name.to_string(),
            dim: d.value.dim,
            style: d.style,
            old: was,
            new: Some(value(d)),
            line,
            origin,
        });
    }
    for (name, d) in before.iter().filter(|(n, _)| !after.iter().any(|(a, _)| a == n)) {
        let (line, origin) = located(old, d);
        out.push(InputChange {
            name: name.to_string(),
            dim: d.value.dim,
            style: d.style,
            old: Some(value(d)),
            new: None,
            line,
            origin,
        });
    }
    out
}
