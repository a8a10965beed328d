//! The design's uncertain inputs and their `correlate` statements: the plain data the scope
//! records from the leaves it met, with each correlation checked (two different uncertain
//! leaves, a coefficient strictly between −1 and 1, a consistent matrix).
//!
//! Architecture Invariant: only validated correlations reach the design; an inconsistent
//! set is an error at the last statement, never a failed factorisation when sampling.

use super::lowerer::Lowerer;
use crate::design::uncertain::{Correlation, UncertainInputs};
use crate::diagnostic::{Code, Diagnostic};
use crate::syntax::ast::{self, ExprKind, Item};
use crate::units::Dim;

impl Lowerer<'_> {
    /// The design's uncertain inputs, with its `correlate` statements applied.
    pub(super) fn uncertain_inputs(&mut self, file: &ast::File) -> Option<std::sync::Arc<UncertainInputs>> {
        let text = self.source.text();
        let inputs = std::mem::take(&mut self.uncertain);
        let show = |span: crate::source::Span| {
            text.get(span.start as usize..span.end as usize)
                .unwrap_or("")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        };
        let mut uncertain = self.scope.uncertain(inputs, show);
        let statements: Vec<&ast::Correlate> =
            file.items.iter().filter_map(|i| if let Item::Correlate(c) = i { Some(c) } else { None }).collect();
        let (mut pairs, mut last) = (Vec::new(), None);
        for c in &statements {
            match self.correlation(c, uncertain.as_ref(), &pairs) {
                Ok(pair) => {
                    pairs.push(pair);
                    last = Some(c.span);
                }
                Err(d) => self.errors.push(d),
            }
        }
        if let (Some(u), Some(last)) = (uncertain.as_mut(), last) {
            let correlation = Correlation::new(pairs);
            if correlation.holds() {
                u.correlation = Some(correlation);
            } else {
                self.errors.push(
                    Diagnostic::error(
                        Code::Correlation,
                        "these correlations cannot all hold together",
                        last,
                        "inconsistent with the others",
                    )
                    .with_help("weaken one of them: a, b and c cannot be pairwise this strongly correlated"),
                );
            }
        }
        uncertain.map(std::sync::Arc::new)
    }

    /// One `correlate a, b = ρ`: the two leaves it names and the coefficient.
    fn correlation(
        &mut self,
        c: &ast::Correlate,
        uncertain: Option<&UncertainInputs>,
        earlier: &[(usize, usize, f64)],
    ) -> Result<(usize, usize, f64), Diagnostic> {
        let leaf = |e: &ast::Expr| -> Result<usize, Diagnostic> {
            let ExprKind::Ref(parts) = &e.kind else {
                return Err(Diagnostic::error(
                    Code::Correlation,
                    "`correlate` takes the names of two uncertain inputs",
                    e.span,
                    "not a name",
                )
                .with_help("write `correlate users.dau, reads_per_write = 0.8`"));
            };
            let name = parts.iter().map(|p| p.node.as_str()).collect::<Vec<_>>().join(".");
            let found: Vec<usize> = uncertain
                .map(|u| u.leaves.iter().enumerate().filter(|(_, l)| l.name == name).map(|(k, _)| k).collect())
                .unwrap_or_default();
            match found.as_slice() {
                [k] => Ok(*k),
                [] => Err(Diagnostic::error(
                    Code::Correlation,
                    format!("`{name}` is not an uncertain input"),
                    e.span,
                    "written without a range",
                )
                .with_help(format!(
                    "correlate inputs written as ranges or spreads: `{name} = LOW to HIGH`, `x ± 10%`"
                ))),
                many => Err(Diagnostic::error(
                    Code::Correlation,
                    format!("`{name}` holds {} uncertain values", many.len()),
                    e.span,
                    "which one?",
                )
                .with_help("give the one to correlate its own `let` and correlate that")),
            }
        };
        let (a, b) = (leaf(&c.left)?, leaf(&c.right)?);
        if a == b {
            return Err(Diagnostic::error(
                Code::Correlation,
                "an input cannot be correlated with itself",
                c.right.span,
                "the same input",
            )
            .with_help("name two different uncertain inputs"));
        }
        if earlier.iter().any(|&(x, y, _)| (x, y) == (a, b) || (x, y) == (b, a)) {
            return Err(Diagnostic::error(
                Code::Correlation,
                "these two inputs are already correlated",
                c.span,
                "again",
            )
            .with_help("keep one `correlate` statement per pair"));
        }
        let rho = crate::design::eval::eval(&c.coefficient, &mut self.scope)?;
        if rho.value.dim != Dim::NONE || !(rho.value.si > -1.0 && rho.value.si < 1.0) || rho.uncertain {
            return Err(Diagnostic::error(
                Code::Correlation,
                "a correlation is a number between −1 and 1",
                c.coefficient.span,
                "not strictly between −1 and 1",
            )
            .with_help("write `correlate a, b = 0.8` (or 80%); for a perfect correlation, compute one input from the other with a `let`"));
        }
        Ok((a, b, rho.value.si))
    }
}
