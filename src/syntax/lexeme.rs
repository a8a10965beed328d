//! Leaf parsers: blanks and comments, identifiers, strings, numbers with glued suffixes,
//! keywords and punctuation.
//!
//! Architecture Invariant: lexemes know characters, not meanings; a glued suffix such as
//! `M` or `KB` is returned as written and interpreted later by `design`.

use super::ast::Spanned;
use super::error::SyntaxError;
use crate::diagnostic::Code;
use crate::source::Span;
use nom::bytes::complete::{tag, take_while, take_while1};
use nom::character::complete::{char, satisfy};
use nom::combinator::{opt, recognize};
use nom::{Err, IResult, Parser};

/// The parser's input (defined beside the error type that locates itself in it).
pub(super) use super::error::In;
/// A parser result with fermi's error type.
pub(super) type PResult<'a, T> = IResult<In<'a>, T, SyntaxError>;

/// Words that end a unit or cannot be a name where an operand is expected.
pub(super) const STOP_WORDS: &[&str] = &["to", "of", "within", "per", "x", "in"];

/// The span from `start` to the current position of `end`.
pub(super) fn span_between(start: In<'_>, end: In<'_>) -> Span {
    Span::new(start.location_offset(), end.location_offset())
}

/// Turns a recoverable error into a committed one (no backtracking past it).
pub(super) fn fail<T>(e: SyntaxError) -> PResult<'static, T> {
    Err(Err::Failure(e))
}

/// Spaces, tabs, carriage returns and comments, but not newlines: statements end at a newline.
pub(super) fn blank(i: In<'_>) -> PResult<'_, ()> {
    let mut i = i;
    loop {
        let (rest, _) = take_while(|c: char| c == ' ' || c == '\t' || c == '\r').parse(i)?;
        i = rest;
        if i.fragment().starts_with('#') {
            let (rest, _) = take_while(|c: char| c != '\n').parse(i)?;
            i = rest;
        } else {
            return Ok((i, ()));
        }
    }
}

/// Blanks, comments and newlines.
pub(super) fn blank_lines(i: In<'_>) -> PResult<'_, ()> {
    let mut i = i;
    loop {
        let (rest, _) = blank(i)?;
        i = rest;
        match i.fragment().chars().next() {
            Some('\n') => {
                let (rest, _) = char('\n').parse(i)?;
                i = rest;
            }
            _ => return Ok((i, ())),
        }
    }
}

/// Whether a character may continue an identifier.
pub(super) fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// `ident`: a letter or `_`, then letters, digits, `_`, or `-` between word characters.
pub(super) fn ident(i: In<'_>) -> PResult<'_, Spanned<String>> {
    let start = i;
    let (mut rest, _) = satisfy(|c: char| c.is_alphabetic() || c == '_')
        .parse(i)
        .map_err(|_: Err<SyntaxError>| Err::Error(SyntaxError::expected(i, "a name")))?;
    loop {
        let (r, _) = take_while(is_ident_char).parse(rest)?;
        rest = r;
        let frag = rest.fragment();
        let mut chars = frag.chars();
        if chars.next() == Some('-') && chars.next().is_some_and(|c| c.is_alphanumeric()) {
            let (r, _) = char('-').parse(rest)?;
            rest = r;
        } else {
            break;
        }
    }
    let text = &start.fragment()[..rest.location_offset() - start.location_offset()];
    Ok((rest, Spanned::new(text.to_string(), span_between(start, rest))))
}

/// A segment of a dotted name after a `.`: a name, or letters and digits starting with a
/// digit (`slo.burn_rate.1h`).
pub(super) fn segment(i: In<'_>) -> PResult<'_, Spanned<String>> {
    if i.fragment().starts_with(|c: char| c.is_ascii_digit()) {
        let (rest, text) = take_while1(is_ident_char).parse(i)?;
        return Ok((rest, Spanned::new(text.fragment().to_string(), span_between(i, rest))));
    }
    ident(i)
}

/// A given keyword as a whole word.
pub(super) fn keyword<'a>(word: &'static str) -> impl Fn(In<'a>) -> PResult<'a, Span> {
    move |i: In<'a>| {
        let (rest, id) = ident(i).map_err(|_| Err::Error(SyntaxError::expected(i, word)))?;
        if id.node == word { Ok((rest, id.span)) } else { Err(Err::Error(SyntaxError::expected(i, word))) }
    }
}

/// Whether the input starts with a given whole word.
pub(super) fn at_word(i: In<'_>, word: &str) -> bool {
    let f = i.fragment();
    f.starts_with(word) && !f[word.len()..].starts_with(|c: char| is_ident_char(c) || c == '-')
}

/// A punctuation string, with its span.
pub(super) fn punct<'a>(symbol: &'static str, expected: &'static str) -> impl Fn(In<'a>) -> PResult<'a, Span> {
    move |i: In<'a>| {
        let (rest, _) =
            tag(symbol).parse(i).map_err(|_: Err<SyntaxError>| Err::Error(SyntaxError::expected(i, expected)))?;
        Ok((rest, span_between(i, rest)))
    }
}

/// `"…"` with `\"`, `\\` and `\n` escapes.
pub(super) fn string(i: In<'_>) -> PResult<'_, Spanned<String>> {
    let start = i;
    let (mut rest, _) =
        char('"').parse(i).map_err(|_: Err<SyntaxError>| Err::Error(SyntaxError::expected(i, "a string")))?;
    let mut out = String::new();
    loop {
        let frag = rest.fragment();
        let mut chars = frag.char_indices();
        match chars.next() {
            None | Some((_, '\n')) => {
                return fail(SyntaxError::custom(
                    Span::new(start.location_offset(), start.location_offset() + 1),
                    Code::UnterminatedString,
                    "this string is not closed",
                    Some("add a closing `\"` before the end of the line".into()),
                ));
            }
            Some((_, '"')) => {
                let (r, _) = char('"').parse(rest)?;
                return Ok((r, Spanned::new(out, span_between(start, r))));
            }
            Some((_, '\\')) => {
                let escaped = chars.next().map(|(_, c)| c);
                let value = match escaped {
                    Some('"') => '"',
                    Some('\\') => '\\',
                    Some('n') => '\n',
                    _ => {
                        let at = rest.location_offset();
                        return fail(SyntaxError::custom(
                            Span::new(at, at + 1 + escaped.map_or(0, char::len_utf8)),
                            Code::BadEscape,
                            "unknown escape in string",
                            Some("strings know `\\\"`, `\\\\` and `\\n`".into()),
                        ));
                    }
                };
                out.push(value);
                rest = skip_bytes(rest, 1 + escaped.map_or(0, char::len_utf8));
            }
            Some((_, c)) => {
                out.push(c);
                rest = skip_bytes(rest, c.len_utf8());
            }
        }
    }
}

/// The input after its first `bytes` bytes (rounded up to a character boundary).
///
/// Every length in the parser is a byte length (`str::len`, `char::len_utf8`, offsets);
/// nom's `take` counts *characters* on text, so it must not be given one. This is the one
/// way the parser moves forward by a length.
pub(super) fn skip_bytes(i: In<'_>, bytes: usize) -> In<'_> {
    let f = *i.fragment();
    let mut at = bytes.min(f.len());
    while !f.is_char_boundary(at) {
        at += 1;
    }
    nom::Input::take_from(&i, at)
}

/// A number: `123`, `1.5`, `1_000_000`, `1e6`. Returns its value and span.
pub(super) fn number(i: In<'_>) -> PResult<'_, (f64, Span)> {
    if i.fragment().starts_with('.') && i.fragment()[1..].starts_with(|c: char| c.is_ascii_digit()) {
        let digits: String = i.fragment()[1..].chars().take_while(char::is_ascii_digit).collect();
        let at = i.location_offset();
        return fail(SyntaxError::custom(
            Span::new(at, at + 1 + digits.len()),
            Code::LeadingDot,
            "a number must start with a digit",
            Some(format!("write 0.{digits}")),
        ));
    }
    let digits = |i| {
        recognize((satisfy(|c: char| c.is_ascii_digit()), take_while(|c: char| c.is_ascii_digit() || c == '_')))
            .parse(i)
    };
    let fraction = recognize((char('.'), take_while1(|c: char| c.is_ascii_digit())));
    let exponent =
        recognize((char('e'), opt(satisfy(|c| c == '+' || c == '-')), take_while1(|c: char| c.is_ascii_digit())));
    let (rest, text) = recognize((digits, opt(fraction), opt(exponent)))
        .parse(i)
        .map_err(|_: Err<SyntaxError>| Err::Error(SyntaxError::expected(i, "a number")))?;
    let span = span_between(i, rest);
    let clean: String = text.fragment().chars().filter(|&c| c != '_').collect();
    match clean.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok((rest, (v, span))),
        _ => fail(SyntaxError::custom(span, Code::BadNumber, "this number is out of range", None)),
    }
}

/// Letters glued to a number (`M`, `KB`, `ms`, `%`, `µs`).
pub(super) fn glued_suffix(i: In<'_>) -> PResult<'_, Spanned<String>> {
    let (rest, text) = take_while1(|c: char| c.is_alphabetic() || c == '%').parse(i)?;
    Ok((rest, Spanned::new(text.fragment().to_string(), span_between(i, rest))))
}

/// A unit word after a space or slash: letters only (`rps`, `KB`, `µs`, `day`).
pub(super) fn unit_word(i: In<'_>) -> PResult<'_, Spanned<String>> {
    let (rest, text) = take_while1(|c: char| c.is_alphabetic() || c == '%')
        .parse(i)
        .map_err(|_: Err<SyntaxError>| Err::Error(SyntaxError::expected(i, "a unit")))?;
    if rest.fragment().starts_with(|c: char| c.is_ascii_digit() || c == '_' || c == '.' || c == '(') {
        return Err(Err::Error(SyntaxError::expected(i, "a unit")));
    }
    Ok((rest, Spanned::new(text.fragment().to_string(), span_between(i, rest))))
}
