//! Constant-expression evaluation with runtime dimension checks: `+ - * / x of`, ranges,
//! references through a [`Scope`], and literals with units.
//!
//! Architecture Invariant: one evaluator serves design fields, `let`s, asserts and the
//! calculator; what a name means is the scope's business, not the evaluator's.

use super::quantity::literal;
use super::resolve::suggest;
use crate::diagnostic::{Code, Diagnostic};
use crate::key::{self, Metric};
use crate::source::Span;
use crate::syntax::ast::{BinOp, Expr, ExprKind};
use crate::uncertainty::spread::{Spread, Z95};
use crate::units::{Dim, Value};

/// Where names come from.
pub trait Scope {
    /// The value of a dotted name; `Ok(None)` when the name is unknown.
    fn lookup(&mut self, name: &str, span: Span) -> Result<Option<Evaluated>, Diagnostic>;
    /// Every name the scope knows (for suggestions).
    fn names(&self) -> Vec<String>;
    /// The calendar year in seconds (for `month` and `year`).
    fn year_seconds(&self) -> f64;
    /// The value an uncertain expression written at `span` takes: its median, unless the
    /// scope is drawing a Monte Carlo sample.
    fn draw(&mut self, span: Span, spread: Spread) -> f64 {
        let _ = span;
        spread.median()
    }
    /// The value of `e` when the scope already knows it (a Monte Carlo sample's constant
    /// subexpressions); `None` evaluates it.
    fn known(&self, e: &Expr) -> Option<Evaluated> {
        let _ = e;
        None
    }
}

/// An evaluated expression.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Evaluated {
    /// The point value (a range's median).
    pub value: Value,
    /// The spread, when the expression is itself uncertain: `lo to hi`, `normal(m, sd)`,
    /// `uniform(a, b)` or `x ± d`.
    pub spread: Option<Spread>,
    /// Whether any range took part (so the value is a median, not exact).
    pub uncertain: bool,
}

impl Evaluated {
    /// An exact value.
    pub fn exact(value: Value) -> Self {
        Evaluated { value, spread: None, uncertain: false }
    }
}

/// Deepest evaluation on one thread, counting every subexpression and every name reached
/// through another (a `let` whose value names a `let` …). The parser bounds one tree's height
/// at [`crate::syntax::MAX_HEIGHT`]; this bounds what chains of names add on top, so that
/// evaluation stays well inside a thread's stack whatever the input.
pub const MAX_EVAL_DEPTH: usize = 1536;

thread_local! {
    /// How deep evaluation is on this thread.
    static DEPTH: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// One level of evaluation; leaving it (by return or `?`) gives the level back.
struct Level;

impl Level {
    fn enter(span: Span) -> Result<Level, Diagnostic> {
        let depth = DEPTH.with(|d| {
            d.set(d.get() + 1);
            d.get()
        });
        let level = Level;
        if depth > MAX_EVAL_DEPTH {
            return Err(Diagnostic::error(
                Code::TooDeep,
                format!("this value is nested too deeply to evaluate (more than {MAX_EVAL_DEPTH} levels, counting the names it refers to)"),
                span,
                "too deep",
            )
            .with_help("write some of the values it refers to directly, or split it into fewer, flatter `let`s"));
        }
        Ok(level)
    }
}

impl Drop for Level {
    fn drop(&mut self) {
        DEPTH.with(|d| d.set(d.get().saturating_sub(1)));
    }
}

/// Evaluates an expression.
pub fn eval(e: &Expr, scope: &mut dyn Scope) -> Result<Evaluated, Diagnostic> {
    let _level = Level::enter(e.span)?;
    eval_level(e, scope)
}

fn eval_level(e: &Expr, scope: &mut dyn Scope) -> Result<Evaluated, Diagnostic> {
    if let Some(v) = scope.known(e) {
        return Ok(v);
    }
    match &e.kind {
        ExprKind::Quantity(q) => {
            let lit = literal(q, scope.year_seconds())?;
            if !lit.per_user {
                return Ok(Evaluated::exact(lit.value));
            }
            let dau = lookup(scope, "users.dau", e.span)?.ok_or_else(|| {
                Diagnostic::error(
                    Code::MissingDau,
                    "`per user` needs the number of daily users",
                    e.span,
                    "per user",
                )
                .with_help("add `users { dau = 100M }` to the design")
            })?;
            Ok(Evaluated {
                value: Value::new(lit.value.si * dau.value.si, lit.value.dim),
                spread: None,
                uncertain: dau.uncertain,
            })
        }
        ExprKind::Ref(parts) => {
            let name = parts.iter().map(|p| p.node.as_str()).collect::<Vec<_>>().join(".");
            match lookup(scope, &name, e.span)? {
                Some(v) => Ok(Evaluated { spread: None, ..v }),
                None => Err(unknown_name(&name, e.span, scope)),
            }
        }
        ExprKind::Neg(inner) => {
            let v = eval(inner, scope)?;
            Ok(Evaluated { value: Value::new(-v.value.si, v.value.dim), spread: None, uncertain: v.uncertain })
        }
        ExprKind::Binary { op, left, right } => binary(*op, left, right, scope),
        ExprKind::Range(lo, hi) => {
            let h = eval(hi, scope)?;
            let l = match borrow_unit(lo, hi) {
                Some(with_unit) if eval(lo, scope)?.value.dim != h.value.dim => eval(&with_unit, scope)?,
                _ => eval(lo, scope)?,
            };
            if l.value.dim != h.value.dim {
                return Err(mismatch("a range", lo, l.value.dim, hi, h.value.dim)
                    .with_help("write units on both ends: `1 KB to 2 KB`"));
            }
            if l.value.si > h.value.si {
                return Err(Diagnostic::error(
                    Code::RangeOrder,
                    "a range goes from low to high",
                    e.span,
                    "low end is larger",
                )
                .with_help("write `low to high`"));
            }
            Ok(uncertain(Spread::Interval90 { lo: l.value.si, hi: h.value.si }, l.value.dim, e.span, scope))
        }
        ExprKind::PlusMinus(x, d) => plus_minus(x, d, e.span, scope),
        ExprKind::Call { name, args } if name.node == "normal" || name.node == "uniform" => {
            distribution(&name.node, args, e, scope)
        }
        ExprKind::Str(_) => {
            Err(Diagnostic::error(Code::Type, "expected a number, found a string", e.span, "a string"))
        }
        ExprKind::Call { name, .. } => {
            Err(Diagnostic::error(Code::Type, format!("`{}(…)` is not a number", name.node), e.span, "not a number")
                .with_help("numbers may be `normal(mean, sd)` or `uniform(low, high)`; `zipf(0.9)` and the like are only for `skew` and `sharding`"))
        }
        ExprKind::Path(_) => Err(Diagnostic::error(Code::Type, "a path is not a number", e.span, "a path")
            .with_help("`a -> b` is only for a request's `path`")),
    }
}

fn uncertain(spread: Spread, dim: Dim, span: Span, scope: &mut dyn Scope) -> Evaluated {
    Evaluated { value: Value::new(scope.draw(span, spread), dim), spread: Some(spread), uncertain: true }
}

/// Whether an expression is written as a percentage (`10%`, `12.5 %`).
fn is_percent(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Quantity(q) => {
            q.suffix.as_ref().is_some_and(|s| s.node == "%") || q.units.last().is_some_and(|u| u.word.node == "%")
        }
        _ => false,
    }
}

/// `x ± d`: a normal with mean x whose 90% interval is x − d to x + d; `d` is either in x's
/// unit or, written as a percent, a share of x (`100M ± 10%`).
fn plus_minus(x: &Expr, d: &Expr, span: Span, scope: &mut dyn Scope) -> Result<Evaluated, Diagnostic> {
    let vx = eval(x, scope)?;
    let vd = eval(d, scope)?;
    let half = if is_percent(d) {
        vd.value.si * vx.value.si.abs()
    } else if vd.value.dim == vx.value.dim {
        vd.value.si
    } else {
        return Err(Diagnostic::error(
            Code::DimensionMismatch,
            format!(
                "the spread after ± must be {} or a percent; this is {}",
                vx.value.dim.describe(),
                vd.value.dim.describe()
            ),
            d.span,
            vd.value.dim.describe(),
        )
        .with_note(x.span, vx.value.dim.describe())
        .with_help("write `x ± 10%` or `x ± d` with d in x's unit"));
    };
    if half < 0.0 {
        return Err(Diagnostic::error(Code::NegativeSpread, "a ± spread cannot be negative", d.span, "negative")
            .with_help("write `100M ± 20%`"));
    }
    Ok(uncertain(Spread::Normal { mean: vx.value.si, sd: half / Z95 }, vx.value.dim, span, scope))
}

/// `normal(mean, sd)` or `uniform(low, high)`: two positional arguments of one dimension.
fn distribution(
    name: &str,
    args: &[crate::syntax::ast::Arg],
    e: &Expr,
    scope: &mut dyn Scope,
) -> Result<Evaluated, Diagnostic> {
    let usage = if name == "normal" {
        "`normal(mean, sd)`, e.g. `normal(100M, 10M)`"
    } else {
        "`uniform(low, high)`, e.g. `uniform(1 ms, 3 ms)`"
    };
    let [a, b] = args else {
        return Err(Diagnostic::error(Code::Arguments, format!("`{name}` takes two numbers"), e.span, "two arguments")
            .with_help(format!("write {usage}")));
    };
    if let Some(n) = a.name.as_ref().or(b.name.as_ref()) {
        return Err(Diagnostic::error(Code::Arguments, format!("`{name}` takes no named arguments"), n.span, "named")
            .with_help(format!("write {usage}")));
    }
    let (va, vb) = (eval(&a.value, scope)?, eval(&b.value, scope)?);
    if va.value.dim != vb.value.dim {
        return Err(
            mismatch("combine", &a.value, va.value.dim, &b.value, vb.value.dim).with_help(format!("write {usage}"))
        );
    }
    let (x, y) = (va.value.si, vb.value.si);
    let spread = if name == "normal" {
        if y < 0.0 {
            return Err(Diagnostic::error(
                Code::NegativeSpread,
                "a standard deviation cannot be negative",
                b.value.span,
                "negative",
            )
            .with_help(format!("write {usage}")));
        }
        Spread::Normal { mean: x, sd: y }
    } else {
        if x > y {
            return Err(Diagnostic::error(
                Code::RangeOrder,
                "`uniform` goes from low to high",
                e.span,
                "low end is larger",
            )
            .with_help(format!("write {usage}")));
        }
        Spread::Uniform { lo: x, hi: y }
    };
    Ok(uncertain(spread, va.value.dim, e.span, scope))
}

/// `1K to 10K rps`: a bare low end takes the high end's unit words (and its glued unit,
/// when the low end has no glued letters), as people write ranges.
fn borrow_unit(lo: &Expr, hi: &Expr) -> Option<Expr> {
    let (ExprKind::Quantity(l), ExprKind::Quantity(h)) = (&lo.kind, &hi.kind) else {
        return None;
    };
    if !l.units.is_empty() {
        return None;
    }
    let mut q = l.clone();
    q.units = h.units.clone();
    let glued_unit = h.suffix.as_ref().filter(|s| crate::units::table::scale(&s.node).is_none());
    match (&l.suffix, glued_unit) {
        (None, Some(s)) => q.suffix = Some(s.clone()),
        (Some(_), Some(_)) => return None,
        _ => {}
    }
    Some(Expr { kind: ExprKind::Quantity(q), span: lo.span })
}

fn lookup(scope: &mut dyn Scope, name: &str, span: Span) -> Result<Option<Evaluated>, Diagnostic> {
    scope.lookup(name, span)
}

fn unknown_name(name: &str, span: Span, scope: &dyn Scope) -> Diagnostic {
    let names = scope.names();
    let diag = Diagnostic::error(Code::UnknownName, format!("unknown name `{name}`"), span, "not defined");
    // a record's name alone: its size is `NAME.size`
    let size = key::of(name, Metric::Size);
    if !name.contains('.') && names.contains(&size) {
        return diag.with_help(format!("did you mean `{size}`? a record's bytes are `{size}`, the sum of its fields"));
    }
    match suggest(name, names.iter().map(String::as_str)) {
        Some(s) => diag.with_help(format!("did you mean `{s}`?")),
        None if name.contains('.') => {
            diag.with_help("names are `block.field` (users.dau, storage.retention) or `request.field`")
        }
        None => diag.with_help("define it with `let` above, or refer to a field as `block.field`"),
    }
}

fn binary(op: BinOp, left: &Expr, right: &Expr, scope: &mut dyn Scope) -> Result<Evaluated, Diagnostic> {
    let l = eval(left, scope)?;
    if op == BinOp::In {
        // `500 KB in blob` is worth its bytes; where they live is the business of the
        // `stores` field's lowering, which reads the tier name from the tree.
        return Ok(l);
    }
    let r = if op == BinOp::Of && right.as_ref_name().as_deref() == Some("keys") {
        lookup(scope, "workload.keys", right.span)?.ok_or_else(|| {
            Diagnostic::error(Code::MissingKeys, "`of keys` needs `workload.keys`", right.span, "keys")
                .with_help("add `workload { keys = 36.5B }` to the design")
        })?
    } else {
        eval(right, scope)?
    };
    let (a, b) = (l.value, r.value);
    let value = match op {
        BinOp::Add | BinOp::Sub => {
            if a.dim != b.dim {
                let verb = if op == BinOp::Add { "add" } else { "subtract" };
                return Err(mismatch(verb, left, a.dim, right, b.dim));
            }
            Value::new(if op == BinOp::Add { a.si + b.si } else { a.si - b.si }, a.dim)
        }
        BinOp::Mul | BinOp::Times => Value::new(a.si * b.si, a.dim.times(b.dim)),
        BinOp::In => a,
        BinOp::Of => {
            if a.dim != Dim::NONE {
                return Err(Diagnostic::error(
                    Code::DimensionMismatch,
                    "`of` takes a fraction on its left",
                    left.span,
                    a.dim.describe(),
                )
                .with_help("write `1% of keys`"));
            }
            Value::new(a.si * b.si, b.dim)
        }
        BinOp::Div => {
            if b.si == 0.0 {
                return Err(Diagnostic::error(Code::DivisionByZero, "division by zero", right.span, "this is zero"));
            }
            Value::new(a.si / b.si, a.dim.per(b.dim))
        }
    };
    if !value.si.is_finite() {
        return Err(Diagnostic::error(
            Code::Overflow,
            "this value is too large to compute",
            left.span.join(right.span),
            "overflows",
        ));
    }
    Ok(Evaluated { value, spread: None, uncertain: l.uncertain || r.uncertain })
}

fn mismatch(verb: &str, left: &Expr, ld: Dim, right: &Expr, rd: Dim) -> Diagnostic {
    let message = if verb == "a range" {
        format!("the ends of a range differ: {} and {}", ld.describe(), rd.describe())
    } else {
        format!("cannot {verb} {} and {}", ld.describe(), rd.describe())
    };
    Diagnostic::error(Code::DimensionMismatch, message, left.span, ld.describe()).with_note(right.span, rd.describe())
}

/// Checks that a value has the dimension a field needs; names both.
pub fn expect_dim(v: &Evaluated, want: Dim, field: &str, e: &Expr, source_text: &str) -> Result<(), Diagnostic> {
    if v.value.dim == want {
        return Ok(());
    }
    let written = source_text.get(e.span.range()).unwrap_or("");
    Err(Diagnostic::error(
        Code::DimensionMismatch,
        format!("`{field}` needs {}; `{written}` is {}", want.describe(), v.value.dim.describe()),
        e.span,
        format!("{}, expected {}", v.value.dim.describe(), want.describe()),
    )
    .with_help(example_for(want)))
}

fn example_for(dim: Dim) -> String {
    match (dim.money, dim.data, dim.time) {
        (1, 0, 0) => "write an amount of money such as `$140` or `140 USD`".into(),
        (1, 0, -1) => "write money per time, with its `$`, such as `$0.192/h` or `$140 per month`".into(),
        (1, -1, 0) => "write money per byte, with its `$`, such as `$0.09 per GB`".into(),
        (1, -1, -1) => "write money per byte per time, with its `$`, such as `$0.023 per GB per month`".into(),
        (_, 1, 0) => "write a data size such as `200 B`, `1 KB` or `64 GB`".into(),
        (_, 0, 1) => "write a duration such as `5 ms`, `30 days` or `5 years`".into(),
        (0, 0, -1) => "write a rate such as `5K rps`, `100M per day` or `1 per user per day`".into(),
        (0, 1, -1) => "write a data rate such as `10 Gbps` or `100 MB/s`".into(),
        _ => "write a plain number, a percentage or a multiplier such as `3`, `20%` or `2x`".into(),
    }
}
