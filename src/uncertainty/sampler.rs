//! Monte Carlo samples of a design. Lowering records the uncertain leaves (`a to b`,
//! `normal(m, sd)`, `uniform(a, b)`, `x ± d`, a profile's range) and which names depend on
//! them ([`UncertainInputs`]); a sample puts each leaf at a quantile and evaluates again only
//! the names that depend on a leaf, through the same evaluator and the same expressions, so a
//! sample means exactly what the design says (`users.dau` drawn once feeds every `per user`
//! rate and every `let` that reads it). Subexpressions no leaf reaches are evaluated once,
//! when the sampler is built; leaves the design correlates (`correlate a, b = 0.8`) are drawn
//! together through a Gaussian copula (`copula`). Each value goes back into the design at
//! the place the field table names, found once per input.
//!
//! Architecture Invariant: a sample changes only the values of uncertain inputs and lets;
//! the design's structure (tiers, requests, paths, policies) is the same in every sample.

use super::copula::Copula;
use crate::design::eval::{Evaluated, Scope, eval};
use crate::design::fields::bounds;
use crate::design::resolve::referent;
use crate::design::uncertain::{Leaf, SampleDef, Target, UncertainInputs};
use crate::design::{Design, Spread};
use crate::diagnostic::Diagnostic;
use crate::source::Span;
use crate::syntax::ast::Expr;
use crate::units::Value;
use rustc_hash::FxHashMap;

/// Everything needed to draw samples of one design: its uncertain inputs as lowering recorded
/// them, and what is worked out once before any sample (each input's place and valid range,
/// the subexpressions no leaf reaches, the copula).
#[derive(Debug, Clone)]
pub struct Sampler<'d> {
    data: &'d UncertainInputs,
    /// Where each input goes in the design.
    targets: Vec<Target>,
    /// The valid range of each input (a `let` has none).
    bounds: Vec<(f64, f64)>,
    /// Subexpressions of `defs` that no leaf reaches, by address, with their values: a sample
    /// reads them instead of evaluating them again (unit words, `per user` with a certain
    /// user count, arithmetic on constants).
    constants: FxHashMap<usize, Evaluated>,
    /// Leaves drawn together (`correlate a, b = 0.8`).
    copula: Option<Copula>,
}

impl<'d> Sampler<'d> {
    /// The sampler of `design`; `None` when nothing in it is uncertain.
    pub fn new(design: &'d Design) -> Option<Sampler<'d>> {
        let data = design.uncertain.as_deref()?;
        let mut sampler = Sampler {
            data,
            targets: data.inputs.iter().map(|n| Target::of(design, n)).collect(),
            bounds: data.inputs.iter().map(|n| bounds(n)).collect(),
            constants: FxHashMap::default(),
            copula: data.correlation.as_ref().and_then(Copula::new),
        };
        sampler.fold_constants();
        Some(sampler)
    }

    /// Correlates a sample's independent quantiles in place (a Gaussian copula);
    /// leaves without a correlation are left as drawn.
    pub fn correlate(&self, u: &mut [f64]) {
        if let Some(c) = &self.copula {
            c.correlate(u);
        }
    }

    /// The correlations as written: (leaf, leaf, coefficient).
    pub fn correlations(&self) -> &'d [(usize, usize, f64)] {
        self.data.correlation.as_ref().map_or(&[], |c| &c.pairs)
    }

    /// The uncertain leaves, in the order a sample's quantiles are given.
    pub fn leaves(&self) -> &'d [Leaf] {
        &self.data.leaves
    }

    /// The design's uncertain inputs and lets, by dotted name.
    pub fn inputs(&self) -> &'d [String] {
        &self.data.inputs
    }

    /// The value of each of [`Self::inputs`] (base units) when leaf `k` sits at quantile
    /// `u[k]`, into `out`.
    pub fn evaluate(&self, u: &[f64], out: &mut [f64]) {
        let mut scope = SampleScope { sampler: self, u, memo: vec![None; self.data.defs.len()] };
        for (name, o) in self.data.inputs.iter().zip(out.iter_mut()) {
            // Lowering evaluated these same expressions without error, so a failure here
            // cannot happen; were it to, the input keeps its median.
            *o = match scope.lookup(name, Span::default()) {
                Ok(Some(v)) => v.value.si,
                _ => self.data.base.get(name).map_or(f64::NAN, |v| v.value.si),
            };
        }
    }

    /// Sets each of [`Self::inputs`] in `design` to the matching value of `values`, clamped
    /// to the field's valid range (a normal's tail can reach a negative size, a range of
    /// availabilities near 100% can pass it).
    pub fn set(&self, values: &[f64], design: &mut Design) {
        for ((target, v), (lo, hi)) in self.targets.iter().zip(values).zip(&self.bounds) {
            if !v.is_finite() {
                continue;
            }
            target.put(design, v.clamp(*lo, *hi));
        }
    }
}

/// A name space for one sample: uncertain names evaluated afresh, the rest at their medians.
struct SampleScope<'s> {
    sampler: &'s Sampler<'s>,
    u: &'s [f64],
    /// Each uncertain name's value in this sample, by its slot in `defs`.
    memo: Vec<Option<Evaluated>>,
}

impl Scope for SampleScope<'_> {
    fn lookup(&mut self, name: &str, _span: Span) -> Result<Option<Evaluated>, Diagnostic> {
        let s = self.sampler;
        let key = referent(name, s.data.requests.contains(name));
        let base = s.data.base.get(&*key).copied();
        let Some((slot, def)) = s.data.defs.get(&*key) else { return Ok(base) };
        if let Some(v) = self.memo[*slot] {
            return Ok(Some(v));
        }
        let v = match def {
            SampleDef::Expr(e) => eval(e, self)?,
            SampleDef::Leaf(k) => match base {
                Some(b) => {
                    Evaluated { value: Value::new(s.data.leaves[*k].spread.quantile(self.u[*k]), b.value.dim), ..b }
                }
                None => return Ok(None),
            },
        };
        self.memo[*slot] = Some(v);
        Ok(Some(v))
    }

    fn names(&self) -> Vec<String> {
        Vec::new()
    }

    fn year_seconds(&self) -> f64 {
        self.sampler.data.year_seconds
    }

    fn draw(&mut self, span: Span, spread: Spread) -> f64 {
        match self.sampler.data.leaves.iter().position(|l| l.span == Some(span)) {
            Some(k) => spread.quantile(self.u[k]),
            None => spread.median(),
        }
    }

    fn known(&self, e: &Expr) -> Option<Evaluated> {
        self.sampler.constants.get(&(e as *const Expr as usize)).copied()
    }
}

impl Sampler<'_> {
    /// Finds the subexpressions of `defs` that no leaf reaches (evaluating each with a probe
    /// scope that notes any draw or uncertain name) and keeps their values; the expressions
    /// are the design's, borrowed for the sampler's life, so their addresses hold.
    fn fold_constants(&mut self) {
        let mut constants = FxHashMap::default();
        for (_, def) in self.data.defs.values() {
            if let SampleDef::Expr(e) = def {
                self.fold(e, &mut constants);
            }
        }
        self.constants = constants;
    }

    fn fold(&self, e: &Expr, out: &mut FxHashMap<usize, Evaluated>) {
        let mut probe = Probe { sampler: self, touched: false };
        match eval(e, &mut probe) {
            Ok(v) if !probe.touched => {
                out.insert(e as *const Expr as usize, v);
            }
            _ => children(e).into_iter().for_each(|c| self.fold(c, out)),
        }
    }
}

/// The direct subexpressions of an expression.
fn children(e: &Expr) -> Vec<&Expr> {
    use crate::syntax::ast::ExprKind;
    match &e.kind {
        ExprKind::Neg(x) => vec![x],
        ExprKind::Binary { left, right, .. } => vec![left, right],
        ExprKind::Range(a, b) | ExprKind::PlusMinus(a, b) => vec![a, b],
        ExprKind::Call { args, .. } => args.iter().map(|a| &a.value).collect(),
        ExprKind::Path(parts) => parts.iter().collect(),
        ExprKind::Quantity(_) | ExprKind::Str(_) | ExprKind::Ref(_) => Vec::new(),
    }
}

/// Evaluates at the medians and notes whether anything uncertain was reached.
struct Probe<'s> {
    sampler: &'s Sampler<'s>,
    touched: bool,
}

impl Scope for Probe<'_> {
    fn lookup(&mut self, name: &str, _span: Span) -> Result<Option<Evaluated>, Diagnostic> {
        let s = self.sampler;
        let key = referent(name, s.data.requests.contains(name));
        self.touched |= s.data.defs.contains_key(&*key);
        Ok(s.data.base.get(&*key).copied())
    }

    fn names(&self) -> Vec<String> {
        Vec::new()
    }

    fn year_seconds(&self) -> f64 {
        self.sampler.data.year_seconds
    }

    fn draw(&mut self, _span: Span, spread: Spread) -> f64 {
        self.touched = true;
        spread.median()
    }
}
