//! Expressions: paths (`a -> b`), ranges (`a to b`, `x ± d`), `+ -`, `* / x of`, unary minus,
//! and operands (quantities with units, strings, references, calls, parentheses).
//!
//! Architecture Invariant: precedence lives here only; `design` sees a tree.

use super::ast::{Arg, BinOp, Expr, ExprKind, Quantity, UnitOp, UnitTerm};
use super::error::SyntaxError;
use super::lexeme::{
    In, PResult, STOP_WORDS, at_word, blank, glued_suffix, ident, keyword, number, punct, segment, span_between,
    string, unit_word,
};
use nom::{Err, Parser};

/// `expr := range ("->" range)*` — more than one element makes a path.
pub(super) fn expr(i: In<'_>) -> PResult<'_, Expr> {
    let (mut rest, first) = range(i)?;
    let mut hops = vec![first];
    loop {
        let (r, _) = blank(rest)?;
        if !r.fragment().starts_with("->") {
            break;
        }
        let (r, _) = punct("->", "`->`")(r)?;
        let (r, _) = blank(r)?;
        let (r, next) = cut(range, r)?;
        hops.push(next);
        rest = r;
    }
    if hops.len() == 1 {
        return Ok((rest, hops.remove(0)));
    }
    let span = hops[0].span.join(hops[hops.len() - 1].span);
    Ok((rest, Expr { kind: ExprKind::Path(hops), span }))
}

/// `range := additive (("to" | "±" | "+/-") additive)?`
fn range(i: In<'_>) -> PResult<'_, Expr> {
    let (rest, lo) = additive(i)?;
    let (r, _) = blank(rest)?;
    let f = *r.fragment();
    if let Some(width) = ["±", "+/-"].iter().find(|t| f.starts_with(**t)).map(|t| t.len()) {
        let (r, _) = nom::bytes::complete::take(width).parse(r)?;
        let (r, _) = blank(r)?;
        let (r, spread) = cut(additive, r)?;
        let span = lo.span.join(spread.span);
        return Ok((r, Expr { kind: ExprKind::PlusMinus(Box::new(lo), Box::new(spread)), span }));
    }
    if !at_word(r, "to") {
        return Ok((rest, lo));
    }
    let (r, _) = keyword("to")(r)?;
    let (r, _) = blank(r)?;
    let (r, hi) = cut(additive, r)?;
    let span = lo.span.join(hi.span);
    Ok((r, Expr { kind: ExprKind::Range(Box::new(lo), Box::new(hi)), span }))
}

/// `additive := placed (("+" | "-") placed)*`
fn additive(i: In<'_>) -> PResult<'_, Expr> {
    let (mut rest, mut left) = placed(i)?;
    loop {
        let (r, _) = blank(rest)?;
        let f = r.fragment();
        let op = if f.starts_with('+') && !f.starts_with("+/-") {
            BinOp::Add
        } else if f.starts_with('-') && !f.starts_with("->") {
            BinOp::Sub
        } else {
            return Ok((rest, left));
        };
        let (r, _) = nom::bytes::complete::take(1usize).parse(r)?;
        let (r, _) = blank(r)?;
        let (r, right) = cut(placed, r)?;
        left = binary(op, left, right);
        rest = r;
    }
}

/// `placed := multiplicative ("in" name)?` — `500 KB in blob`: where stored bytes live.
fn placed(i: In<'_>) -> PResult<'_, Expr> {
    let (rest, left) = multiplicative(i)?;
    let (r, _) = blank(rest)?;
    if !at_word(r, "in") {
        return Ok((rest, left));
    }
    let (r, _) = keyword("in")(r)?;
    let (r, _) = blank(r)?;
    let (r, tier) = cut(
        |i| {
            ident(i).map_err(|_| {
                Err::Error(SyntaxError::expected(i, "a tier name").hint("write `stores = 500 KB in blob`"))
            })
        },
        r,
    )?;
    let right = Expr { span: tier.span, kind: ExprKind::Ref(vec![tier]) };
    Ok((r, binary(BinOp::In, left, right)))
}

/// `multiplicative := unary (("*" | "/" | "x" | "of") unary)*`
fn multiplicative(i: In<'_>) -> PResult<'_, Expr> {
    let (mut rest, mut left) = unary(i)?;
    loop {
        let (r, _) = blank(rest)?;
        let f = *r.fragment();
        let (op, width) = if f.starts_with('*') {
            (BinOp::Mul, 1)
        } else if f.starts_with('/') {
            (BinOp::Div, 1)
        } else if at_word(r, "x") && operand_follows(&f[1..]) {
            (BinOp::Times, 1)
        } else if at_word(r, "of") {
            (BinOp::Of, 2)
        } else {
            return Ok((rest, left));
        };
        let (r, _) = nom::bytes::complete::take(width as usize).parse(r)?;
        let (r, _) = blank(r)?;
        let (r, right) = cut(unary, r)?;
        left = binary(op, left, right);
        rest = r;
    }
}

fn binary(op: BinOp, left: Expr, right: Expr) -> Expr {
    let span = left.span.join(right.span);
    Expr { kind: ExprKind::Binary { op, left: Box::new(left), right: Box::new(right) }, span }
}

/// Whether, after optional blanks, an operand starts (used to tell `10 x shorten` from `2 x`).
fn operand_follows(text: &str) -> bool {
    let t = text.trim_start_matches([' ', '\t']);
    t.starts_with(|c: char| c.is_alphanumeric() || c == '_' || c == '(')
        && !STOP_WORDS.iter().any(|w| t.starts_with(w) && !t[w.len()..].starts_with(|c: char| c.is_alphanumeric()))
}

/// Whether, after optional blanks, `=` (not `==`) follows: the word before it is a field
/// name that lost its separator (`dau = 1M peak = 2x`), not a unit.
fn starts_assignment(text: &str) -> bool {
    let t = text.trim_start_matches([' ', '\t']);
    t.starts_with('=') && !t.starts_with("==")
}

/// `unary := "-" unary | primary`
fn unary(i: In<'_>) -> PResult<'_, Expr> {
    if i.fragment().starts_with('-') && !i.fragment().starts_with("->") {
        let (r, minus) = punct("-", "`-`")(i)?;
        let (r, _) = blank(r)?;
        let (r, inner) = cut(unary, r)?;
        let span = minus.join(inner.span);
        return Ok((r, Expr { kind: ExprKind::Neg(Box::new(inner)), span }));
    }
    primary(i)
}

/// `primary := quantity | string | "(" expr ")" | name "(" args ")" | name ("." name)*`
fn primary(i: In<'_>) -> PResult<'_, Expr> {
    let f = i.fragment();
    match f.chars().next() {
        Some(c) if c.is_ascii_digit() || c == '.' => quantity(i),
        Some('$') => money(i),
        Some('"') => {
            let (r, s) = string(i)?;
            Ok((r, Expr { kind: ExprKind::Str(s.node), span: s.span }))
        }
        Some('(') => {
            let (r, _) = punct("(", "`(`")(i)?;
            let (r, _) = blank(r)?;
            let (r, inner) = cut(expr, r)?;
            let (r, _) = blank(r)?;
            let (r, close) = cut(punct(")", "`)`"), r)?;
            Ok((r, Expr { kind: inner.kind, span: span_between(i, r).join(close) }))
        }
        Some(c) if c.is_alphabetic() || c == '_' => reference_or_call(i),
        _ => Err(Err::Error(SyntaxError::expected(i, "a value"))),
    }
}

fn reference_or_call(i: In<'_>) -> PResult<'_, Expr> {
    let (mut rest, first) = ident(i)?;
    if rest.fragment().starts_with('(') {
        let (r, args) = call_args(rest)?;
        return Ok((r, Expr { span: span_between(i, r), kind: ExprKind::Call { name: first, args } }));
    }
    let mut parts = vec![first];
    while rest.fragment().starts_with('.') {
        let (r, _) = punct(".", "`.`")(rest)?;
        let (r, part) = cut(segment, r)?;
        parts.push(part);
        rest = r;
    }
    Ok((rest, Expr { span: span_between(i, rest), kind: ExprKind::Ref(parts) }))
}

/// `args := "(" (arg ("," arg)*)? ")"`, `arg := name "=" expr | expr`
fn call_args(i: In<'_>) -> PResult<'_, Vec<Arg>> {
    let (mut rest, _) = punct("(", "`(`")(i)?;
    let mut args = Vec::new();
    loop {
        let (r, _) = blank(rest)?;
        if r.fragment().starts_with(')') {
            let (r, _) = punct(")", "`)`")(r)?;
            return Ok((r, args));
        }
        if !args.is_empty() {
            let (r2, _) = cut(punct(",", "`,` or `)`"), r)?;
            let (r2, _) = blank(r2)?;
            rest = r2;
        } else {
            rest = r;
        }
        let named = (ident, blank, punct("=", "`=`")).parse(rest);
        let (r, name) = match named {
            Ok((r, (name, _, _))) if !r.fragment().starts_with('=') => {
                let (r, _) = blank(r)?;
                (r, Some(name))
            }
            _ => (rest, None),
        };
        let (r, value) = cut(expr, r)?;
        args.push(Arg { name, value });
        rest = r;
    }
}

/// `quantity := number glued-suffix? unit-term*`
///
/// Unit terms: one word after a space (`200 B`), then `/word` or `per word` any number of
/// times (`2M req/day`, `1 per user per day`). `x` followed by an operand is left for the
/// `x` operator (`10 x shorten`); `to`, `of`, `within` end the quantity.
pub(super) fn quantity(i: In<'_>) -> PResult<'_, Expr> {
    let (mut rest, (value, number_span)) = number(i)?;
    let mut suffix = None;
    if let Ok((r, s)) = glued_suffix(rest) {
        let leave_for_times = s.node == "x" && operand_follows(r.fragment());
        if !leave_for_times {
            suffix = Some(s);
            rest = r;
        }
    }
    let mut units: Vec<UnitTerm> = Vec::new();
    loop {
        let f = *rest.fragment();
        if f.starts_with('/') && f[1..].starts_with(|c: char| c.is_alphabetic()) {
            let (r, _) = punct("/", "`/`")(rest)?;
            let (r, word) = cut(unit_word, r)?;
            units.push(UnitTerm { op: UnitOp::Div, word });
            rest = r;
            continue;
        }
        let (r, _) = blank(rest)?;
        if at_word(r, "per") {
            let (r2, _) = keyword("per")(r)?;
            let (r2, _) = blank(r2)?;
            let (r2, word) = cut(unit_word, r2)?;
            units.push(UnitTerm { op: UnitOp::Per, word });
            rest = r2;
            continue;
        }
        let first_word_allowed = units.is_empty() && r.location_offset() > rest.location_offset();
        if !first_word_allowed {
            break;
        }
        let Ok((r2, word)) = unit_word(r) else { break };
        let stop = match word.node.as_str() {
            "x" => operand_follows(r2.fragment()),
            w => STOP_WORDS.contains(&w) || starts_assignment(r2.fragment()),
        };
        if stop {
            break;
        }
        units.push(UnitTerm { op: UnitOp::Mul, word });
        rest = r2;
    }
    let span = span_between(i, rest);
    Ok((rest, Expr { kind: ExprKind::Quantity(Quantity { number: value, number_span, suffix, units }), span }))
}

/// `money := "$" quantity` — `$0.192/h`, `$1.5K`, `$140 per month`: the quantity with the
/// unit word `USD` in front of its unit terms.
fn money(i: In<'_>) -> PResult<'_, Expr> {
    let (r, dollar) = punct("$", "`$`")(i)?;
    if !r.fragment().starts_with(|c: char| c.is_ascii_digit()) {
        return Err(Err::Failure(SyntaxError::expected(r, "an amount").hint("write `$0.192/h` or `$140 per month`")));
    }
    let (r, mut e) = quantity(r)?;
    if let ExprKind::Quantity(q) = &mut e.kind {
        q.units.insert(0, UnitTerm { op: UnitOp::Mul, word: super::ast::Spanned::new("USD".to_string(), dollar) });
    }
    e.span = dollar.join(e.span);
    Ok((r, e))
}

/// Runs a parser and turns its recoverable error into a committed one.
pub(super) fn cut<'a, T>(p: impl Fn(In<'a>) -> PResult<'a, T>, i: In<'a>) -> PResult<'a, T> {
    match p(i) {
        Err(Err::Error(e)) => Err(Err::Failure(e)),
        other => other,
    }
}
