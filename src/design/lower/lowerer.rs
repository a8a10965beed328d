//! The lowering's state and its one way of reading a value: every name's definition and
//! origin, the assumptions made so far, and `num`, which evaluates a name to a typed input
//! with its dimension and bounds checked and records the default, profile or project value
//! it came from as an assumption.
//!
//! Architecture Invariant: every input of a design is read through `Lowerer::num` or
//! `Lowerer::input`, so each default, profile and spread is listed once under Assumptions.

use crate::design::eval::{Evaluated, expect_dim};
use crate::design::fields::valid_range;
use crate::design::profile::ProjectConfig;
use crate::design::scope::{Def, DesignScope};
use crate::design::*;
use crate::diagnostic::{Code, Diagnostic};
use crate::source::SourceFile;
use crate::syntax::ast;
use crate::units::{Dim, Quantity, format};
use std::collections::{BTreeMap, BTreeSet};

/// What a lowering replaces: input values (a scenario), chosen shapes (`cheapest`) and the
/// day length (`--rounded`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Restated {
    /// The interview day: 100K seconds a day whatever the design says (`--rounded`).
    pub interview_day: bool,
    /// Values that replace inputs, by dotted name, with where they were written.
    pub values: BTreeMap<String, (crate::units::Value, crate::source::Span)>,
    /// The shape a `profile = cheapest(…)` tier takes, by tier name.
    pub shapes: BTreeMap<String, String>,
}

/// A block's fields by key, after duplicate and unknown-name checks.
pub(super) struct BlockFields<'a> {
    pub(super) name: Option<String>,
    pub(super) span: crate::source::Span,
    pub(super) fields: BTreeMap<String, &'a ast::Field>,
}

#[derive(Default)]
pub(super) struct Blocks<'a> {
    pub(super) top: BTreeMap<String, &'a ast::Field>,
    pub(super) singles: BTreeMap<&'static str, BlockFields<'a>>,
    pub(super) requests: Vec<BlockFields<'a>>,
    pub(super) tiers: Vec<BlockFields<'a>>,
    /// `record` and `scenario` blocks: their field keys are the design's own names.
    pub(super) records: Vec<&'a ast::Block>,
    pub(super) scenarios: Vec<&'a ast::Block>,
}

pub(super) struct Lowerer<'a> {
    pub(super) source: &'a SourceFile,
    pub(super) config: &'a ProjectConfig,
    pub(super) errors: Vec<Diagnostic>,
    pub(super) scope: DesignScope<'a>,
    pub(super) origins: BTreeMap<String, Origin>,
    pub(super) assumptions: Vec<Assumption>,
    /// The assumptions already listed, to keep each once without scanning the list (that scan
    /// made lowering quadratic in tiers: 10,000 tiers took 55 s).
    pub(super) assumed: std::collections::BTreeSet<(String, String, String)>,
    /// Inputs and lets whose values depend on an uncertain leaf, in lowering order.
    pub(super) uncertain: Vec<String>,
    /// Values that replace inputs (a scenario being lowered), by dotted name.
    pub(super) overrides: &'a Restated,
    /// Record sizes: the sum of each record's fields, as expressions, by record name.
    pub(super) record_sums: &'a BTreeMap<String, ast::Expr>,
}

impl<'a> Lowerer<'a> {
    pub(super) fn new(
        source: &'a SourceFile,
        config: &'a ProjectConfig,
        overrides: &'a Restated,
        record_sums: &'a BTreeMap<String, ast::Expr>,
    ) -> Self {
        Lowerer {
            source,
            config,
            errors: Vec::new(),
            scope: DesignScope::new(BTreeSet::new()),
            origins: BTreeMap::new(),
            assumptions: Vec::new(),
            assumed: std::collections::BTreeSet::new(),
            uncertain: Vec::new(),
            overrides,
            record_sums,
        }
    }

    /// Evaluates a defined name to a typed input, checking its dimension. Records an error
    /// and returns `None` when it fails or is undefined.
    pub(super) fn num<T: Quantity>(&mut self, name: &str, want: Dim) -> Option<Input<T>> {
        let span = match self.origins.get(name) {
            Some(Origin::Written { span }) => *span,
            _ => crate::source::Span::default(),
        };
        let def = self.scope.def(name).cloned()?;
        let v = match self.scope.get(name, span) {
            Ok(Some(v)) => v,
            Ok(None) => return None,
            Err(d) => {
                self.errors.push(d);
                return None;
            }
        };
        if let Def::Expr(e) = def {
            let field = name.rsplit('.').next().unwrap_or(name);
            if let Err(d) = expect_dim(&v, want, field, e, self.source.text()) {
                self.errors.push(d);
                return None;
            }
        } else if v.value.dim != want {
            return None;
        }
        if let Err(d) = check_bounds(name, v.value.si, &def, span, self.source) {
            self.errors.push(d);
            return None;
        }
        Some(self.input(name, v, want))
    }

    /// Like [`Self::num`] for a field that always has a default.
    pub(super) fn num_or_default<T: Quantity>(&mut self, name: &str, want: Dim) -> Input<T> {
        self.num(name, want).unwrap_or_else(|| Input::default(T::from_si(0.0), "(invalid)"))
    }

    pub(super) fn input<T: Quantity>(&mut self, name: &str, v: Evaluated, _want: Dim) -> Input<T> {
        let origin = self.origins.get(name).cloned().unwrap_or(Origin::Default { text: "" });
        let shown = format::human(v.value, format::Style::for_dim(v.value.dim), format::NORMAL_DIGITS);
        match &origin {
            Origin::Default { text } => self.assume(name, text, "fermi default"),
            Origin::Profile { profile, source } => {
                let why = format!("profile `{profile}` ({source})");
                let text = self
                    .config
                    .profiles
                    .get(profile)
                    .and_then(|p| p.fields.get(name.rsplit('.').next().unwrap_or("")))
                    .map_or(shown.clone(), |pv| pv.text.clone());
                self.assume(name, &text, &why)
            }
            Origin::Config { text } => self.assume(name, text, "project default (fermi.toml)"),
            Origin::Written { .. } => {}
        }
        if let (Some(spread), false) = (v.spread, matches!(origin, Origin::Default { .. })) {
            let show =
                |x| format::human(crate::units::Value::new(x, v.value.dim), format::Style::for_dim(v.value.dim), 4);
            self.assume(name, &shown, &format!("{}; Monte Carlo samples the spread", spread.describe(show)));
        } else if v.uncertain {
            self.assume(name, &shown, "depends on uncertain inputs (shown at their medians); Monte Carlo samples it");
        }
        if v.uncertain && !self.uncertain.iter().any(|n| n == name) {
            self.uncertain.push(name.to_string());
        }
        Input { value: T::from_si(v.value.si), spread: v.spread, uncertain: v.uncertain, origin }
    }

    pub(super) fn assume(&mut self, name: &str, value: &str, why: &str) {
        let a = Assumption { name: name.to_string(), value: value.to_string(), why: why.to_string() };
        if self.assumed.insert((a.name.clone(), a.value.clone(), a.why.clone())) {
            self.assumptions.push(a);
        }
    }

    /// Replaces inputs by the values a scenario gives them.
    pub(super) fn apply_overrides(&mut self) {
        for (name, (value, span)) in self.overrides.values.iter() {
            self.scope.define(name.clone(), Def::Value(Evaluated::exact(*value)));
            self.origins.insert(name.clone(), Origin::Written { span: *span });
        }
    }
}

fn check_bounds(
    name: &str,
    v: f64,
    def: &Def<'_>,
    span: crate::source::Span,
    source: &SourceFile,
) -> Result<(), Diagnostic> {
    let field = name.rsplit('.').next().unwrap_or(name);
    let problem = match valid_range(field) {
        Some((lo, hi)) if !(lo..=hi).contains(&v) => Some(match field {
            "availability" if v == 0.0 => "must be above 0%",
            "availability" | "hit_ratio" | "cdn" => "must be between 0% and 100%",
            _ if lo == 1.0 => "must be at least 1",
            _ if lo > 0.0 => "must be positive",
            _ => "cannot be negative",
        }),
        _ => None,
    };
    let percent = matches!(field, "availability" | "hit_ratio" | "cdn") && v > 1.0 && v <= 100.0;
    match (problem, def) {
        (Some(p), Def::Expr(e)) if percent => {
            let written = source.slice(e.span);
            Err(Diagnostic::error(
                Code::OutOfRange,
                format!("`{field}` {p}; `{written}` is not"),
                e.span,
                p.to_string(),
            )
            .with_help(format!("did you mean `{written}%`? a bare number is a fraction (0.9995 = 99.95%)")))
        }
        (Some(p), Def::Expr(e)) => Err(Diagnostic::error(
            Code::OutOfRange,
            format!("`{field}` {p}; `{}` is not", source.slice(e.span)),
            e.span,
            p.to_string(),
        )),
        (Some(p), _) => Err(Diagnostic::error(Code::OutOfRange, format!("`{name}` {p}"), span, p.to_string())),
        (None, _) => Ok(()),
    }
}
