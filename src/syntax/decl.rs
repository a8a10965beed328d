//! Declarations: the `design` block, its statements (fields, blocks, `let`, `assert`),
//! statement separators, and recovery so that several syntax errors are reported at once.
//!
//! Architecture Invariant: the grammar of statements lives here; block keywords and field
//! names are not checked here (that is `design::lower`, which can suggest the right one).

use super::ast::{Assert, Block, Cmp, Correlate, Expr, Field, File, Item, Let, Spanned};
use super::error::SyntaxError;
use super::expr::{cut, expr};
use super::lexeme::{
    In, PResult, at_word, blank, blank_lines, ident, keyword, punct, segment, skip_bytes, span_between, string,
};
use crate::diagnostic::Code;
use crate::source::Span;
use nom::Err;

/// Most syntax errors reported for one file before giving up.
const MAX_ERRORS: usize = 12;

/// `file := design "Name" "{" statement* "}"` surrounded by blank lines and comments.
pub(super) fn file(i: In<'_>) -> Result<File, Vec<SyntaxError>> {
    let (i, _) = blank_lines(i).map_err(one)?;
    let (i, kw) =
        keyword("design")(i).map_err(|e| vec![unwrap_err(e).hint("a design file starts with `design \"Name\" {`")])?;
    let (i, _) = blank(i).map_err(one)?;
    let (i, name) = string(i).map_err(|e| vec![unwrap_err(e).hint("name the design: `design \"URL shortener\" {`")])?;
    let (i, _) = blank(i).map_err(one)?;
    let (i, open) = punct("{", "`{`")(i).map_err(one)?;
    let mut errors = Vec::new();
    let (i, items) = statements(i, open, &mut errors, design_statement);
    let (i, _) = blank_lines(i).map_err(one)?;
    if !i.fragment().is_empty() && errors.is_empty() {
        let message = if at_word(i, "design") {
            "a file holds exactly one design"
        } else {
            "unexpected text after the design's closing `}`"
        };
        let at =
            Span::new(i.location_offset(), i.location_offset() + i.fragment().chars().next().map_or(0, char::len_utf8));
        errors.push(SyntaxError::custom(
            at,
            Code::TrailingText,
            message,
            Some("put every block inside `design \"…\" { … }`".into()),
        ));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(File { name, items, span: kw.join(span_between(i, i)) })
}

fn one(e: Err<SyntaxError>) -> Vec<SyntaxError> {
    vec![unwrap_err(e)]
}

fn unwrap_err(e: Err<SyntaxError>) -> SyntaxError {
    match e {
        Err::Error(e) | Err::Failure(e) => e,
        Err::Incomplete(_) => SyntaxError::custom(Span::default(), Code::Syntax, "incomplete input", None),
    }
}

/// Parses statements until the closing `}`; on an error, records it, skips to the end of
/// the line and goes on. Returns the input after the `}`.
fn statements<'a, T>(
    mut i: In<'a>,
    open: Span,
    errors: &mut Vec<SyntaxError>,
    statement: impl Fn(In<'a>) -> PResult<'a, T>,
) -> (In<'a>, Vec<T>) {
    let mut items = Vec::new();
    loop {
        i = skip_separators(i);
        let f = *i.fragment();
        if f.is_empty() {
            errors.push(
                SyntaxError::custom(open, Code::UnclosedBlock, "this block is never closed", None)
                    .hint("add a closing `}`"),
            );
            return (i, items);
        }
        if f.starts_with('}') {
            let rest = skip_bytes(i, 1);
            return (rest, items);
        }
        if errors.len() >= MAX_ERRORS {
            return (skip_to_end(i), items);
        }
        match statement(i).and_then(|(r, item)| end_of_statement(r).map(|(r, _)| (r, item))) {
            Ok((rest, item)) => {
                items.push(item);
                i = rest;
            }
            Err(e) => {
                errors.push(unwrap_err(e));
                i = skip_line(i);
            }
        }
    }
}

fn skip_separators(mut i: In<'_>) -> In<'_> {
    loop {
        if let Ok((r, _)) = blank_lines(i) {
            i = r;
        }
        if i.fragment().starts_with(';') {
            i = skip_bytes(i, 1);
        } else {
            return i;
        }
    }
}

/// After a failed statement: skip to the next newline, `;` at depth 0, or a `}` that closes
/// the current block (left in place).
fn skip_line(i: In<'_>) -> In<'_> {
    let f = *i.fragment();
    let mut depth = 0i32;
    let mut in_string = false;
    for (k, c) in f.char_indices() {
        match c {
            '"' => in_string = !in_string,
            '\n' if depth <= 0 => return skip_bytes(i, k),
            '{' if !in_string => depth += 1,
            '}' if !in_string => {
                if depth == 0 {
                    return skip_bytes(i, k);
                }
                depth -= 1;
            }
            _ => {}
        }
    }
    skip_bytes(i, f.len())
}

fn skip_to_end(i: In<'_>) -> In<'_> {
    skip_bytes(i, i.fragment().len())
}

/// A statement ends at a newline, `;`, a closing `}` or the end of the file.
fn end_of_statement(i: In<'_>) -> PResult<'_, ()> {
    let (r, _) = blank(i)?;
    match r.fragment().chars().next() {
        None | Some('\n') | Some(';') | Some('}') => Ok((r, ())),
        Some('=') => Err(Err::Failure(
            SyntaxError::expected(r, "end of statement").hint("to compare, use `==` inside an `assert`"),
        )),
        Some('>' | '<') => Err(Err::Failure(
            SyntaxError::expected(r, "a newline or `;`")
                .hint("a path joins its tiers with `->` (`path = api -> db`); comparisons belong in an `assert`"),
        )),
        _ => Err(Err::Failure(
            SyntaxError::expected(r, "a newline or `;`").hint("put one statement per line, or separate them with `;`"),
        )),
    }
}

/// `statement := "let" name "=" expr | "assert" … | name [name] "{" field* "}" | key "=" expr`
fn design_statement(i: In<'_>) -> PResult<'_, Item> {
    if at_word(i, "let") {
        return let_statement(i).map(|(r, l)| (r, Item::Let(l)));
    }
    if at_word(i, "assert") {
        return assert_statement(i).map(|(r, a)| (r, Item::Assert(a)));
    }
    if at_word(i, "correlate") {
        return correlate_statement(i).map(|(r, c)| (r, Item::Correlate(c)));
    }
    if at_word(i, "design") {
        return Err(Err::Failure(SyntaxError::custom(
            span_between(i, skip_bytes(i, 6)),
            Code::NestedDesign,
            "designs do not nest",
            Some("a file holds exactly one `design` block".into()),
        )));
    }
    let (r, first) = cut(|i| ident(i).map_err(|_| Err::Error(SyntaxError::expected(i, "a statement"))), i)?;
    let (r, _) = blank(r)?;
    if r.fragment().starts_with('{') {
        return block_body(i, first, None, r).map(|(r, b)| (r, Item::Block(b)));
    }
    if let Ok((r2, second)) = ident(r) {
        let (r3, _) = blank(r2)?;
        if r3.fragment().starts_with('{') {
            return block_body(i, first, Some(second), r3).map(|(r, b)| (r, Item::Block(b)));
        }
    }
    field_after_key(i, first, r, false).map(|(r, f)| (r, Item::Field(f)))
}

fn block_body<'a>(
    start: In<'a>,
    keyword: Spanned<String>,
    name: Option<Spanned<String>>,
    i: In<'a>,
) -> PResult<'a, Block> {
    let (i, open) = punct("{", "`{`")(i)?;
    let mut errors = Vec::new();
    let (rest, fields) = statements(i, open, &mut errors, field);
    if let Some(first) = errors.into_iter().next() {
        return Err(Err::Failure(first));
    }
    Ok((rest, Block { keyword, name, fields, span: span_between(start, rest) }))
}

/// `field := name ("." segment)* [name] "=" expr` (two words for `latency p99`; dotted keys
/// restate another block's field inside a `scenario`).
fn field(i: In<'_>) -> PResult<'_, Field> {
    let (mut r, mut first) = cut(|i| ident(i).map_err(|_| Err::Error(SyntaxError::expected(i, "a field name"))), i)?;
    while r.fragment().starts_with('.') {
        let (r2, _) = punct(".", "`.`")(r)?;
        let (r2, part) = cut(segment, r2)?;
        first = Spanned::new(format!("{}.{}", first.node, part.node), first.span.join(part.span));
        r = r2;
    }
    let (r, _) = blank(r)?;
    if r.fragment().starts_with('{') {
        return Err(Err::Failure(SyntaxError::custom(
            first.span,
            Code::NestedBlock,
            format!("blocks do not nest: `{}` cannot open a block here", first.node),
            Some("close the current block with `}` first".into()),
        )));
    }
    field_after_key(i, first, r, true)
}

fn field_after_key<'a>(start: In<'a>, first: Spanned<String>, r: In<'a>, in_block: bool) -> PResult<'a, Field> {
    if let Ok((r2, second)) = ident(r) {
        let (r3, _) = blank(r2)?;
        if r3.fragment().starts_with('{') && in_block {
            return Err(Err::Failure(SyntaxError::custom(
                first.span.join(second.span),
                Code::NestedBlock,
                format!("blocks do not nest: `{} {}` opens a block inside another", first.node, second.node),
                Some("is a `}` missing at the end of the block above?".into()),
            )));
        }
    }
    let (r, key) = match ident(r) {
        Ok((mut r2, mut second)) => {
            // `latency p99.9`: a percentile with a fraction
            if r2.fragment().starts_with('.') && r2.fragment()[1..].starts_with(|c: char| c.is_ascii_digit()) {
                let (r3, _) = punct(".", "`.`")(r2)?;
                let (r3, frac) = segment(r3)?;
                second = Spanned::new(format!("{}.{}", second.node, frac.node), second.span.join(frac.span));
                r2 = r3;
            }
            let span = first.span.join(second.span);
            (r2, Spanned::new(format!("{} {}", first.node, second.node), span))
        }
        Err(_) => (r, first),
    };
    let (r, _) = blank(r)?;
    let (r, _) = cut(
        |i| {
            punct("=", "`=`")(i)
                .map_err(|_| Err::Error(SyntaxError::expected(i, "`=`").hint(format!("write `{} = value`", key.node))))
        },
        r,
    )?;
    let (r, _) = blank(r)?;
    let (r, value) = cut(value_expr, r)?;
    Ok((r, Field { key, value, span: span_between(start, r) }))
}

fn value_expr(i: In<'_>) -> PResult<'_, Expr> {
    expr(i).map_err(|e| match e {
        Err::Error(mut err) if err.offset == i.location_offset() => {
            err.expected = vec!["a value"];
            Err::Error(err)
        }
        other => other,
    })
}

/// `let := "let" name "=" expr`
fn let_statement(i: In<'_>) -> PResult<'_, Let> {
    let (r, _) = keyword("let")(i)?;
    let (r, _) = blank(r)?;
    let (r, name) = cut(ident, r)?;
    let (r, _) = blank(r)?;
    let (r, _) = cut(punct("=", "`=`"), r)?;
    let (r, _) = blank(r)?;
    let (r, value) = cut(value_expr, r)?;
    Ok((r, Let { name, value, span: span_between(i, r) }))
}

/// `correlate := "correlate" expr "," expr "=" expr`
fn correlate_statement(i: In<'_>) -> PResult<'_, Correlate> {
    let (r, _) = keyword("correlate")(i)?;
    let (r, _) = blank(r)?;
    let (r, left) = cut(value_expr, r)?;
    let (r, _) = blank(r)?;
    let (r, _) = cut(
        |i| {
            punct(",", "`,`")(i).map_err(|_| {
                Err::Failure(
                    SyntaxError::expected(i, "`,` between the two inputs")
                        .hint("write `correlate users.dau, reads = 0.8`"),
                )
            })
        },
        r,
    )?;
    let (r, _) = blank(r)?;
    let (r, right) = cut(value_expr, r)?;
    let (r, _) = blank(r)?;
    let (r, _) = cut(punct("=", "`=`"), r)?;
    let (r, _) = blank(r)?;
    let (r, coefficient) = cut(value_expr, r)?;
    Ok((r, Correlate { left, right, coefficient, span: span_between(i, r) }))
}

/// `assert := "assert" expr cmp expr ("within" expr)?`, `cmp := < | <= | > | >= | ==`
fn assert_statement(i: In<'_>) -> PResult<'_, Assert> {
    let (r, _) = keyword("assert")(i)?;
    let (r, _) = blank(r)?;
    let (r, left) = cut(value_expr, r)?;
    let (r, _) = blank(r)?;
    let (r, cmp) = cut(comparison, r)?;
    let (r, _) = blank(r)?;
    let (r, right) = cut(value_expr, r)?;
    let (r2, _) = blank(r)?;
    let (r, within) = if at_word(r2, "within") {
        let (r3, _) = keyword("within")(r2)?;
        let (r3, _) = blank(r3)?;
        let (r3, tol) = cut(value_expr, r3)?;
        (r3, Some(tol))
    } else {
        (r, None)
    };
    Ok((r, Assert { left, cmp, right, within, span: span_between(i, r) }))
}

fn comparison(i: In<'_>) -> PResult<'_, Spanned<Cmp>> {
    for (sym, cmp) in [("<=", Cmp::Le), (">=", Cmp::Ge), ("==", Cmp::Eq), ("<", Cmp::Lt), (">", Cmp::Gt)] {
        if let Ok((r, span)) = punct(sym, "a comparison")(i) {
            return Ok((r, Spanned::new(cmp, span)));
        }
    }
    let err = SyntaxError::expected(i, "a comparison (`<`, `<=`, `>`, `>=`, `==`)");
    let err = if i.fragment().starts_with('=') { err.hint("to compare, write `==`") } else { err };
    Err(Err::Error(err))
}
