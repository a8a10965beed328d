//! The design's name space during lowering: every field, default, profile value and `let`
//! by dotted name, evaluated lazily (so fields may refer to each other in any order) with
//! cycle detection.
//!
//! Architecture Invariant: a name is evaluated once; a cycle is an error naming the name,
//! never a stack overflow.

use super::Spread;
use super::eval::{Evaluated, Scope, eval};
use super::uncertain::{Leaf, SampleDef, UncertainInputs};
use crate::diagnostic::{Code, Diagnostic};
use crate::source::{SourceFile, Span};
use crate::syntax::{self, ast::Expr};
use std::collections::{BTreeMap, BTreeSet};

/// What a name stands for.
#[derive(Debug, Clone)]
pub(super) enum Def<'a> {
    /// An expression in the design.
    Expr(&'a Expr),
    /// A default written in the language.
    Default(&'static str),
    /// A value already evaluated (profiles, project config).
    Value(Evaluated),
}

/// Longest chain of names evaluated through one another (`let b = a + 1`, `let c = b + 1`, …)
/// before it is an error: evaluation recurses once per link.
pub(super) const MAX_CHAIN: usize = 256;

/// Lazily evaluated names.
pub(super) struct DesignScope<'a> {
    defs: BTreeMap<String, Def<'a>>,
    memo: BTreeMap<String, Evaluated>,
    /// Names whose evaluation failed for a reason that does not depend on where they were
    /// reached from (an unknown name, a cycle, a type error): the error is kept and given again,
    /// so a broken link in a long chain is evaluated, and reported, once.
    failed: BTreeMap<String, Diagnostic>,
    active: Vec<String>,
    /// The names in `active`, for a membership test that does not scan the chain.
    on_chain: BTreeSet<String>,
    requests: BTreeSet<String>,
    year_seconds: f64,
    /// Uncertain leaves met while evaluating: where written (if in the design), the name
    /// being evaluated, and the spread.
    leaves: Vec<(Option<Span>, String, Spread)>,
}

impl<'a> DesignScope<'a> {
    pub(super) fn new(requests: BTreeSet<String>) -> Self {
        DesignScope {
            defs: BTreeMap::new(),
            memo: BTreeMap::new(),
            failed: BTreeMap::new(),
            active: Vec::new(),
            on_chain: BTreeSet::new(),
            requests,
            year_seconds: crate::units::table::DEFAULT_YEAR,
            leaves: Vec::new(),
        }
    }

    pub(super) fn define(&mut self, name: impl Into<String>, def: Def<'a>) {
        self.defs.insert(name.into(), def);
    }

    pub(super) fn is_defined(&self, name: &str) -> bool {
        self.defs.contains_key(name)
    }

    pub(super) fn def(&self, name: &str) -> Option<&Def<'a>> {
        self.defs.get(name)
    }

    pub(super) fn set_year_seconds(&mut self, s: f64) {
        self.year_seconds = s;
    }

    /// Evaluates a name (must be defined).
    pub(super) fn get(&mut self, name: &str, span: Span) -> Result<Option<Evaluated>, Diagnostic> {
        self.lookup(name, span)
    }
}

/// Parses and evaluates a default written in the language.
pub(super) fn eval_default(text: &'static str, scope: &mut dyn Scope) -> Result<Evaluated, Diagnostic> {
    let source = SourceFile::new("<default>", text);
    let (expr, _) = syntax::parse_calc(&source).map_err(|d| {
        d.0.into_iter().next().unwrap_or_else(|| Diagnostic::error(Code::Internal, "bad default", Span::default(), ""))
    })?;
    eval(&expr, scope)
}

impl Scope for DesignScope<'_> {
    fn lookup(&mut self, name: &str, span: Span) -> Result<Option<Evaluated>, Diagnostic> {
        let key = super::resolve::referent(name, self.requests.contains(name)).into_owned();
        if let Some(v) = self.memo.get(&key) {
            return Ok(Some(*v));
        }
        if let Some(d) = self.failed.get(&key) {
            return Err(d.clone());
        }
        if self.on_chain.contains(&key) {
            let chain = self.active.iter().skip_while(|n| **n != key).cloned().chain([key.clone()]).collect::<Vec<_>>();
            return Err(Diagnostic::error(
                Code::Cycle,
                format!("`{key}` depends on itself: {}", chain.join(" → ")),
                span,
                "refers back here",
            )
            .with_help("break the cycle by writing one of these values directly"));
        }
        let Some(def) = self.defs.get(&key).cloned() else {
            return Ok(None);
        };
        if self.active.len() >= MAX_CHAIN {
            return Err(too_long_chain(&self.active, &key, span));
        }
        self.active.push(key.clone());
        self.on_chain.insert(key.clone());
        let result = match def {
            Def::Expr(e) => eval(e, self),
            Def::Default(text) => eval_default(text, self),
            Def::Value(v) => {
                if let Some(spread) = v.spread {
                    self.leaves.push((None, key.clone(), spread));
                }
                Ok(v)
            }
        };
        self.active.pop();
        self.on_chain.remove(&key);
        let v = match result {
            Ok(v) => v,
            // A chain too long from here may be short from elsewhere: only that error is not kept.
            Err(d) if d.code == Code::TooDeep => return Err(d),
            Err(d) => {
                self.failed.insert(key, d.clone());
                return Err(d);
            }
        };
        self.memo.insert(key, v);
        Ok(Some(v))
    }

    fn names(&self) -> Vec<String> {
        self.defs.keys().cloned().chain(self.requests.iter().cloned()).collect()
    }

    fn year_seconds(&self) -> f64 {
        self.year_seconds
    }

    fn draw(&mut self, span: Span, spread: Spread) -> f64 {
        if let Some(name) = self.active.last()
            && !self.leaves.iter().any(|l| l.0 == Some(span))
        {
            self.leaves.push((Some(span), name.clone(), spread));
        }
        spread.median()
    }
}

/// The error for a chain of names longer than [`MAX_CHAIN`], naming its ends.
fn too_long_chain(active: &[String], key: &str, span: Span) -> Diagnostic {
    let names: Vec<&str> = active.iter().map(String::as_str).chain([key]).collect();
    let shown = match names.as_slice() {
        [a, b, c, .., x, y, z] if names.len() > 6 => format!("{a} → {b} → {c} → … → {x} → {y} → {z}"),
        all => all.join(" → "),
    };
    Diagnostic::error(
        Code::TooDeep,
        format!("`{key}` is reached through a chain of more than {MAX_CHAIN} names: {shown}"),
        span,
        "too far down the chain",
    )
    .with_help("write some of these values directly, or refer to fewer names in a row")
}

impl DesignScope<'_> {
    /// What Monte Carlo needs to draw samples, once every input is evaluated: the leaves
    /// (named by `text` of their spans), how to evaluate each uncertain name again, and every
    /// value at the medians. `None` when nothing is uncertain.
    pub(super) fn uncertain(&self, inputs: Vec<String>, text: impl Fn(Span) -> String) -> Option<UncertainInputs> {
        if self.leaves.is_empty() || inputs.is_empty() {
            return None;
        }
        let mut leaves = Vec::new();
        let mut defs = BTreeMap::new();
        for (name, v) in self.memo.iter().filter(|(_, v)| v.uncertain) {
            let def = match self.defs.get(name) {
                Some(Def::Expr(e)) => SampleDef::Expr((*e).clone()),
                Some(Def::Default(t)) => match syntax::parse_calc(&SourceFile::new("<default>", *t)) {
                    Ok((e, _)) => SampleDef::Expr(e),
                    Err(_) => continue,
                },
                Some(Def::Value(_)) => match v.spread {
                    Some(spread) => {
                        leaves.push(Leaf { name: name.clone(), text: String::new(), spread, span: None });
                        SampleDef::Leaf(leaves.len() - 1)
                    }
                    None => continue,
                },
                None => continue,
            };
            defs.insert(name.clone(), def);
        }
        for (span, name, spread) in &self.leaves {
            if let Some(span) = span {
                leaves.push(Leaf { name: name.clone(), text: text(*span), spread: *spread, span: Some(*span) });
            }
        }
        // Slots in name order, so a sample's memo has one place per uncertain name.
        let defs = defs.into_iter().enumerate().map(|(slot, (name, def))| (name, (slot, def))).collect();
        Some(UncertainInputs {
            leaves,
            defs,
            base: self.memo.iter().map(|(k, v)| (k.clone(), *v)).collect(),
            inputs,
            requests: self.requests.iter().cloned().collect(),
            year_seconds: self.year_seconds,
            correlation: None,
        })
    }
}
