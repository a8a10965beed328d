//! Monte Carlo over a lone expression (`fermi calc "100M to 300M * 2 KB"`): the leaves met on
//! a first evaluation at the medians, then the same expression evaluated at each sample's
//! quantiles — the same Latin hypercube, seed and sample count as designs.
//!
//! Architecture Invariant: the expression is evaluated by the design's evaluator, unchanged;
//! only the scope's draws differ between samples.

use crate::design::Spread;
use crate::design::eval::{Evaluated, Scope, eval};
use crate::diagnostic::Diagnostic;
use crate::model::Percentiles;
use crate::source::Span;
use crate::units::table::DEFAULT_YEAR;

/// A name space for a lone expression: no names, the default calendar, and — for uncertain
/// expressions — the leaves found on the first evaluation, drawn at `u` on later ones.
pub struct ExpressionScope {
    year: f64,
    leaves: Vec<Span>,
    u: Option<Vec<f64>>,
}

impl ExpressionScope {
    /// A scope that finds leaves and evaluates them at their medians.
    pub fn new() -> Self {
        ExpressionScope { year: DEFAULT_YEAR, leaves: Vec::new(), u: None }
    }
}

impl Default for ExpressionScope {
    fn default() -> Self {
        Self::new()
    }
}

impl ExpressionScope {
    /// The uncertain leaves met so far, by where they are written.
    pub fn into_leaves(self) -> Vec<Span> {
        self.leaves
    }
}

impl Scope for ExpressionScope {
    fn lookup(&mut self, _: &str, _: Span) -> Result<Option<Evaluated>, Diagnostic> {
        Ok(None)
    }
    fn names(&self) -> Vec<String> {
        Vec::new()
    }
    fn year_seconds(&self) -> f64 {
        self.year
    }
    fn draw(&mut self, span: Span, spread: Spread) -> f64 {
        match (self.leaves.iter().position(|s| *s == span), &self.u) {
            (Some(k), Some(u)) => spread.quantile(u[k]),
            (None, _) => {
                self.leaves.push(span);
                spread.median()
            }
            (Some(_), None) => spread.median(),
        }
    }
}

/// The distribution of an uncertain expression over Monte Carlo samples (the same draws as
/// designs: [`super::Quantiles`] with the default seed and sample count).
pub fn sample(expr: &crate::syntax::ast::Expr, leaves: Vec<Span>) -> Option<Percentiles> {
    let n = super::DEFAULT_SAMPLES;
    let mut scope = ExpressionScope { leaves, ..ExpressionScope::new() };
    let mut u = vec![0.0; scope.leaves.len()];
    let mut values = Vec::with_capacity(n);
    let quantiles = super::Quantiles::new(super::DEFAULT_SEED, n, u.len());
    for i in 0..n {
        quantiles.fill(i, &mut u);
        scope.u = Some(std::mem::take(&mut u));
        values.push(eval(expr, &mut scope).map_or(f64::NAN, |e| e.value.si));
        u = scope.u.take().unwrap_or_default();
    }
    super::stats::distribution(&mut values)
}
