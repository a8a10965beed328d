//! Text → spanned syntax tree. The grammar, in brief:
//!
//! ```text
//! file       := design STRING "{" statement* "}"
//! statement  := "let" NAME "=" expr | "assert" expr CMP expr ["within" expr]
//!             | "correlate" expr "," expr "=" expr
//!             | NAME [NAME] "{" field* "}" | field          (ends at newline, ";" or "}")
//! field      := NAME [NAME] "=" expr                        (two words: `latency p99`)
//! expr       := range ("->" range)*                         (a path when "->" appears)
//! range      := additive ["to" additive]
//! additive   := mult (("+" | "-") mult)*
//! mult       := unary (("*" | "/" | "x" | "of") unary)*
//! unary      := "-" unary | primary
//! primary    := quantity | STRING | "(" expr ")" | NAME "(" args ")" | NAME ("." NAME)*
//! quantity   := NUMBER [glued letters] [" " unit] ("/" unit | "per" unit)*
//! ```
//!
//! Architecture Invariant: syntax knows no units and no field meanings; it never panics,
//! whatever the input (property-tested and fuzzed).

pub mod ast;
mod decl;
mod error;
mod expr;
pub mod fmt;
mod lexeme;

pub use error::SyntaxError;
pub use expr::{MAX_HEIGHT, MAX_NESTING};

use crate::diagnostic::{Code, Diagnostics};
use crate::source::SourceFile;
use lexeme::In;

/// Reads a file's bytes as a design language text (UTF-8, a leading byte-order mark
/// ignored); bytes that are not UTF-8 are an error at the line and column of the first one.
pub fn decode(path: impl Into<String>, bytes: Vec<u8>) -> Result<SourceFile, (SourceFile, Diagnostics)> {
    SourceFile::from_bytes(path, bytes).map_err(|e| {
        let hex: Vec<String> = e.bytes.iter().map(|b| format!("0x{b:02X}")).collect();
        let what = if hex.len() == 1 { "byte" } else { "bytes" };
        let diag = crate::diagnostic::Diagnostic::error(
            Code::InvalidUtf8,
            format!("this file is not valid UTF-8: {what} {} cannot be read as text", hex.join(" ")),
            e.span,
            "not UTF-8",
        )
        .with_help("save the file as UTF-8 (in most editors: Save with Encoding → UTF-8)");
        (e.source, Diagnostics::from(diag))
    })
}

/// Parses a design file; on failure returns every syntax error found (recovering at
/// statement boundaries), as diagnostics.
pub fn parse(source: &SourceFile) -> Result<ast::File, Diagnostics> {
    decl::file(In::new(source.text()))
        .map_err(|errors| Diagnostics(errors.iter().map(|e| e.to_diagnostic(source.text())).collect()))
}

/// Parses a standalone expression (the calculator), optionally followed by `-> unit`
/// naming the unit to show the result in. Returns the expression and the target unit text.
pub fn parse_calc(source: &SourceFile) -> Result<(ast::Expr, Option<ast::Expr>), Diagnostics> {
    let fail = |e: SyntaxError| Diagnostics::from(e.to_diagnostic(source.text()));
    let unwrap = |e: nom::Err<SyntaxError>| match e {
        nom::Err::Error(e) | nom::Err::Failure(e) => e,
        nom::Err::Incomplete(_) => SyntaxError::expected(In::new(""), "more input"),
    };
    let i = In::new(source.text());
    let (i, _) = lexeme::blank_lines(i).map_err(|e| fail(unwrap(e)))?;
    let (i, e) = expr::expr(i).map_err(|e| fail(unwrap(e)))?;
    let (i, _) = lexeme::blank_lines(i).map_err(|e| fail(unwrap(e)))?;
    if !i.fragment().is_empty() {
        return Err(fail(SyntaxError::expected(i, "an operator or the end of the expression")));
    }
    // `a -> unit` arrives as a two-element path whose last element names a unit.
    match e.kind {
        ast::ExprKind::Path(mut parts) if parts.len() == 2 => {
            let target = parts.pop();
            let value = parts.pop();
            match (value, target) {
                (Some(v), Some(t)) => Ok((v, Some(t))),
                _ => Err(fail(SyntaxError::expected(i, "an expression"))),
            }
        }
        ast::ExprKind::Path(parts) => Err(fail(SyntaxError::custom(
            parts[2].span,
            Code::Syntax,
            "a conversion takes one `->`",
            Some("write `EXPR -> UNIT`, e.g. `500M * 100 * 200 B -> TB`".into()),
        ))),
        kind => Ok((ast::Expr { kind, span: e.span }, None)),
    }
}
