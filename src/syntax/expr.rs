//! Expressions: paths (`a -> b`), ranges (`a to b`, `x ± d`), `+ -`, `* / x of`, unary minus,
//! and operands (quantities with units, strings, references, calls, parentheses).
//!
//! Architecture Invariant: precedence lives here only; `design` sees a tree.

use super::ast::{Arg, BinOp, Expr, ExprKind, Quantity, UnitOp, UnitTerm};
use super::error::SyntaxError;
use super::lexeme::{
    In, PResult, STOP_WORDS, at_word, blank, glued_suffix, ident, keyword, number, punct, segment, skip_bytes,
    span_between, string, unit_word,
};
use crate::diagnostic::Code;
use nom::{Err, Parser};

/// Deepest nesting of parentheses, unary minus signs and call arguments in one expression
/// (the contract asks for at least 256). Parsing recurses once per level.
pub const MAX_NESTING: usize = 256;

/// Tallest expression tree (a chain of `n` operators is `n` deep): every stage that walks a
/// tree recursively (evaluation, sampling, `Clone`, `Drop`) stays well inside a thread's
/// stack below it.
pub const MAX_HEIGHT: usize = 1024;

/// A parsed expression and the height of its tree (a leaf is 1).
type Tree = (Expr, usize);

/// `expr := range ("->" range)*` — more than one element makes a path.
pub(super) fn expr(i: In<'_>) -> PResult<'_, Expr> {
    expr_at(i, 0).map(|(r, (e, _))| (r, e))
}

/// [`expr`] at nesting `depth`.
fn expr_at(i: In<'_>, depth: usize) -> PResult<'_, Tree> {
    let (mut rest, (first, mut height)) = range(i, depth)?;
    let mut hops = vec![first];
    loop {
        let (r, _) = blank(rest)?;
        if !r.fragment().starts_with("->") {
            break;
        }
        let (r, _) = punct("->", "`->`")(r)?;
        let (r, _) = blank(r)?;
        let (r, (next, h)) = cut(|i| range(i, depth), r)?;
        height = height.max(h);
        hops.push(next);
        rest = r;
    }
    if hops.len() == 1 {
        return Ok((rest, (hops.remove(0), height)));
    }
    let span = hops[0].span.join(hops[hops.len() - 1].span);
    Ok((rest, (Expr { kind: ExprKind::Path(hops), span }, tall(height + 1, span)?)))
}

/// `height` when it is within [`MAX_HEIGHT`], else the error at `at`.
fn tall(height: usize, at: crate::source::Span) -> Result<usize, Err<SyntaxError>> {
    if height > MAX_HEIGHT { Err(too_long(at)) } else { Ok(height) }
}

fn too_long(at: crate::source::Span) -> Err<SyntaxError> {
    Err::Failure(SyntaxError::custom(
        at,
        Code::TooDeep,
        format!("this expression is too long: more than {MAX_HEIGHT} operations deep"),
        Some("split it into named parts: `let part = …` above, then use `part`".into()),
    ))
}

/// The error for nesting past [`MAX_NESTING`] at `at` (the `(`, `-` or call that opens the
/// level too many).
fn too_deep(at: crate::source::Span) -> Err<SyntaxError> {
    Err::Failure(SyntaxError::custom(
        at,
        Code::TooDeep,
        format!("expressions nest at most {MAX_NESTING} deep"),
        Some("name an inner part with `let part = …` and use `part` here".into()),
    ))
}

/// `range := additive (("to" | "±" | "+/-") additive)?`
fn range(i: In<'_>, depth: usize) -> PResult<'_, Tree> {
    let (rest, (lo, lh)) = additive(i, depth)?;
    let (r, _) = blank(rest)?;
    let f = *r.fragment();
    if let Some(width) = ["±", "+/-"].iter().find(|t| f.starts_with(**t)).map(|t| t.len()) {
        let r = skip_bytes(r, width);
        let (r, _) = blank(r)?;
        let (r, (spread, sh)) = cut(|i| additive(i, depth), r)?;
        let span = lo.span.join(spread.span);
        let height = tall(1 + lh.max(sh), span)?;
        return Ok((r, (Expr { kind: ExprKind::PlusMinus(Box::new(lo), Box::new(spread)), span }, height)));
    }
    if !at_word(r, "to") {
        return Ok((rest, (lo, lh)));
    }
    let (r, _) = keyword("to")(r)?;
    let (r, _) = blank(r)?;
    let (r, (hi, hh)) = cut(|i| additive(i, depth), r)?;
    let span = lo.span.join(hi.span);
    let height = tall(1 + lh.max(hh), span)?;
    Ok((r, (Expr { kind: ExprKind::Range(Box::new(lo), Box::new(hi)), span }, height)))
}

/// `additive := placed (("+" | "-") placed)*`
fn additive(i: In<'_>, depth: usize) -> PResult<'_, Tree> {
    let (mut rest, (mut left, mut height)) = placed(i, depth)?;
    loop {
        let (r, _) = blank(rest)?;
        let f = r.fragment();
        let op = if f.starts_with('+') && !f.starts_with("+/-") {
            BinOp::Add
        } else if f.starts_with('-') && !f.starts_with("->") {
            BinOp::Sub
        } else {
            return Ok((rest, (left, height)));
        };
        let at = span_between(r, skip_bytes(r, 1));
        let r = skip_bytes(r, 1);
        let (r, _) = blank(r)?;
        let (r, (right, rh)) = cut(|i| placed(i, depth), r)?;
        height = tall(1 + height.max(rh), at)?;
        left = binary(op, left, right);
        rest = r;
    }
}

/// `placed := multiplicative ("in" name)?` — `500 KB in blob`: where stored bytes live.
fn placed(i: In<'_>, depth: usize) -> PResult<'_, Tree> {
    let (rest, (left, height)) = multiplicative(i, depth)?;
    let (r, _) = blank(rest)?;
    if !at_word(r, "in") {
        return Ok((rest, (left, height)));
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
    let height = tall(1 + height, tier.span)?;
    let right = Expr { span: tier.span, kind: ExprKind::Ref(vec![tier]) };
    Ok((r, (binary(BinOp::In, left, right), height)))
}

/// `multiplicative := unary (("*" | "/" | "x" | "of") unary)*`
fn multiplicative(i: In<'_>, depth: usize) -> PResult<'_, Tree> {
    let (mut rest, (mut left, mut height)) = unary(i, depth)?;
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
            return Ok((rest, (left, height)));
        };
        let at = span_between(r, skip_bytes(r, width));
        let r = skip_bytes(r, width);
        let (r, _) = blank(r)?;
        let (r, (right, rh)) = cut(|i| unary(i, depth), r)?;
        height = tall(1 + height.max(rh), at)?;
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

/// `unary := "-" unary | primary` — read as a loop over the minus signs, so a long run of
/// them costs no recursion; each still counts as a level of nesting.
fn unary(i: In<'_>, depth: usize) -> PResult<'_, Tree> {
    let mut minuses = Vec::new();
    let mut r = i;
    while r.fragment().starts_with('-') && !r.fragment().starts_with("->") {
        let (r2, minus) = punct("-", "`-`")(r)?;
        if depth + minuses.len() + 1 > MAX_NESTING {
            return Err(too_deep(minus));
        }
        minuses.push(minus);
        let (r2, _) = blank(r2)?;
        r = r2;
    }
    let (r, (mut e, mut height)) =
        if minuses.is_empty() { primary(i, depth)? } else { cut(|i| primary(i, depth + minuses.len()), r)? };
    for minus in minuses.into_iter().rev() {
        let span = minus.join(e.span);
        height = tall(height + 1, minus)?;
        e = Expr { kind: ExprKind::Neg(Box::new(e)), span };
    }
    Ok((r, (e, height)))
}

/// `primary := quantity | string | "(" expr ")" | name "(" args ")" | name ("." name)*`
fn primary(i: In<'_>, depth: usize) -> PResult<'_, Tree> {
    let f = i.fragment();
    let leaf = |(r, e)| (r, (e, 1));
    match f.chars().next() {
        Some(c) if c.is_ascii_digit() || c == '.' => quantity(i).map(leaf),
        Some('$') => money(i).map(leaf),
        Some('"') => {
            let (r, s) = string(i)?;
            Ok((r, (Expr { kind: ExprKind::Str(s.node), span: s.span }, 1)))
        }
        Some('(') => {
            let (r, open) = punct("(", "`(`")(i)?;
            if depth + 1 > MAX_NESTING {
                return Err(too_deep(open));
            }
            let (r, _) = blank(r)?;
            let (r, (inner, height)) = cut(|i| expr_at(i, depth + 1), r)?;
            let (r, _) = blank(r)?;
            let (r, close) = cut(punct(")", "`)`"), r)?;
            Ok((r, (Expr { kind: inner.kind, span: span_between(i, r).join(close) }, height)))
        }
        Some(c) if c.is_alphabetic() || c == '_' => reference_or_call(i, depth),
        _ => Err(Err::Error(SyntaxError::expected(i, "a value"))),
    }
}

fn reference_or_call(i: In<'_>, depth: usize) -> PResult<'_, Tree> {
    let (mut rest, first) = ident(i)?;
    if rest.fragment().starts_with('(') {
        if depth + 1 > MAX_NESTING {
            return Err(too_deep(first.span));
        }
        let (r, (args, height)) = call_args(rest, depth + 1)?;
        let span = span_between(i, r);
        return Ok((r, (Expr { span, kind: ExprKind::Call { name: first, args } }, tall(height + 1, span)?)));
    }
    let mut parts = vec![first];
    while rest.fragment().starts_with('.') {
        let (r, _) = punct(".", "`.`")(rest)?;
        let (r, part) = cut(segment, r)?;
        parts.push(part);
        rest = r;
    }
    Ok((rest, (Expr { span: span_between(i, rest), kind: ExprKind::Ref(parts) }, 1)))
}

/// `args := "(" (arg ("," arg)*)? ")"`, `arg := name "=" expr | expr`
fn call_args(i: In<'_>, depth: usize) -> PResult<'_, (Vec<Arg>, usize)> {
    let (mut rest, _) = punct("(", "`(`")(i)?;
    let mut args = Vec::new();
    let mut height = 0;
    loop {
        let (r, _) = blank(rest)?;
        if r.fragment().starts_with(')') {
            let (r, _) = punct(")", "`)`")(r)?;
            return Ok((r, (args, height)));
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
        let (r, (value, h)) = cut(|i| expr_at(i, depth), r)?;
        height = height.max(h);
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
