//! Interpreting a number literal's glued suffix and unit words: `100M`, `1.5K rps`,
//! `2M req/day`, `1 per user per day`, `4 nines`, with errors that suggest what was meant.
//!
//! Architecture Invariant: all unit meaning comes from `units::table`; this module only
//! applies it and explains failures.

use crate::diagnostic::{Code, Diagnostic};
use crate::syntax::ast::{Quantity, Spanned, UnitOp};
use crate::units::table::{self, UnitMeaning};
use crate::units::{Dim, Value};

/// A literal's value, and whether it was written `per user` (to be multiplied by DAU).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Literal {
    /// The value in base units.
    pub value: Value,
    /// `per user` appeared.
    pub per_user: bool,
}

/// Evaluates a literal given the calendar year in seconds.
pub(super) fn literal(q: &Quantity, year_seconds: f64) -> Result<Literal, Diagnostic> {
    let mut si = q.number;
    let mut dim = Dim::NONE;
    let mut per_user = false;
    let mut nines = false;
    if let Some(suffix) = &q.suffix {
        match glued(suffix, q.number)? {
            Glued::Scale(f) => si *= f,
            Glued::Unit(UnitMeaning::Nines) => nines = true,
            Glued::Unit(m) => {
                let (f, d) = table::resolve(m, year_seconds);
                si *= f;
                dim = d;
            }
        }
    }
    for term in &q.units {
        let word = &term.word;
        if term.op == UnitOp::Per && matches!(word.node.as_str(), "user" | "users") {
            if per_user {
                return Err(Diagnostic::error(Code::Unit, "`per user` is written twice", word.span, "again here"));
            }
            per_user = true;
            continue;
        }
        let meaning = table::unit(&word.node).ok_or_else(|| unknown_unit(word))?;
        if meaning == UnitMeaning::Nines {
            if term.op != UnitOp::Mul || q.units.len() != 1 || q.suffix.is_some() {
                return Err(Diagnostic::error(Code::Unit, "`nines` stands alone after a number", word.span, "here")
                    .with_help("write `4 nines` for 99.99%"));
            }
            nines = true;
            continue;
        }
        // a price may be per data size: `$0.09 per GB`, `$0.023 per GB per month`
        let price_per_data =
            dim.money != 0 && matches!(meaning, UnitMeaning::Factor(_, d) if d == crate::units::Dim::DATA);
        if term.op != UnitOp::Mul && !table::is_time(&word.node) && meaning != UnitMeaning::Label && !price_per_data {
            return Err(Diagnostic::error(
                Code::Unit,
                format!(
                    "`{}` after `{}` must be a unit of time",
                    word.node,
                    if term.op == UnitOp::Per { "per" } else { "/" }
                ),
                word.span,
                "not a time unit",
            )
            .with_help("rates are written `per day`, `/s`, `per user per day`"));
        }
        let (f, d) = table::resolve(meaning, year_seconds);
        match term.op {
            UnitOp::Mul => {
                si *= f;
                dim = dim.times(d);
            }
            UnitOp::Div | UnitOp::Per => {
                si /= f;
                dim = dim.per(d);
            }
        }
    }
    if nines {
        si = 1.0 - 10f64.powf(-si);
    }
    Ok(Literal { value: Value::new(si, dim), per_user })
}

/// The ambiguous-`m` error retold for the field it was written in: a count offers only
/// `M` (million), a duration only `min` and `ms`, a data size `MB`; other fields keep every
/// reading.
pub(super) fn ambiguous_m_for_field(mut d: Diagnostic, want: Dim) -> Diagnostic {
    let Some(n) = d.message.strip_prefix('`').and_then(|m| m.strip_suffix("m` is ambiguous")).map(str::to_string)
    else {
        return d;
    };
    let (label, help) = if want == Dim::NONE {
        ("a count: lower-case `m` is not million", format!("write `{n}M` for {n} million"))
    } else if want == Dim::TIME {
        (
            "a duration: lower-case `m` is not a unit of time",
            format!("write `{n} min` for minutes or `{n} ms` for milliseconds"),
        )
    } else if want == Dim::DATA {
        ("a data size: lower-case `m` is not a unit", format!("write `{n} MB` for megabytes"))
    } else {
        return d;
    };
    if let Some(l) = d.labels.iter_mut().find(|l| l.primary) {
        l.message = label.to_string();
    }
    d.with_help(help)
}

enum Glued {
    Scale(f64),
    Unit(UnitMeaning),
}

fn glued(suffix: &Spanned<String>, number: f64) -> Result<Glued, Diagnostic> {
    let s = suffix.node.as_str();
    if let Some(f) = table::scale(s) {
        return Ok(Glued::Scale(f));
    }
    if s == "m" {
        let n = crate::units::format::sig(number, 6);
        return Err(Diagnostic::error(
            Code::AmbiguousSuffix,
            format!("`{n}m` is ambiguous"),
            suffix.span,
            "lower-case `m` is neither million nor minutes here",
        )
        .with_help(format!("did you mean `{n}M` (million), `{n} min` (minutes) or `{n} ms` (milliseconds)?")));
    }
    if let Some(m) = table::unit(s) {
        return Ok(Glued::Unit(m));
    }
    // `1.5Krps`: a scale glued to a unit word.
    let (head, tail) = s.split_at(s.chars().next().map_or(0, char::len_utf8));
    if table::scale(head).is_some() && table::unit(tail).is_some() {
        let n = crate::units::format::sig(number, 6);
        return Err(Diagnostic::error(Code::UnknownUnit, format!("unknown unit `{s}`"), suffix.span, "not a unit")
            .with_help(format!("put a space between the scale and the unit: `{n}{head} {tail}`")));
    }
    Err(unknown_unit(suffix))
}

fn unknown_unit(word: &Spanned<String>) -> Diagnostic {
    let diag = Diagnostic::error(Code::UnknownUnit, format!("unknown unit `{}`", word.node), word.span, "not a unit");
    // Units that differ from the word only in case (`mb`: `MB` and `Mb`) are all offered,
    // bytes before bits: payloads and storage are sized in bytes far more often.
    let mut same: Vec<&str> = table::unit_words().filter(|u| u.eq_ignore_ascii_case(&word.node)).collect();
    same.sort_by_key(|u| (!u.ends_with('B'), *u));
    if same.len() > 1 {
        let named: Vec<String> = same.iter().map(|u| format!("`{u}`{}", data_kind(u))).collect();
        return diag.with_help(format!("did you mean {}?", named.join(" or ")));
    }
    // a scale letter alone (`64 G`): the byte and bit units it begins
    if let [c] = word.node.as_bytes()
        && b"KMGTPkgtp".contains(c)
    {
        let c = c.to_ascii_uppercase() as char;
        return diag.with_help(format!("did you mean `{c}B` (bytes) or `{c}b` (bits)?"));
    }
    match super::resolve::suggest(&word.node, table::unit_words()) {
        Some(s) => diag.with_help(format!("did you mean `{s}`?")),
        None => diag.with_help("units include B, KB, GB, ms, s, min, day, rps, Gbps, %, x"),
    }
}

/// " (bytes)" or " (bits)" for a data unit word, to tell `MB` from `Mb`.
fn data_kind(word: &str) -> &'static str {
    match table::unit(word) {
        Some(UnitMeaning::Factor(_, d)) if d == Dim::DATA && word.ends_with('B') => " (bytes)",
        Some(UnitMeaning::Factor(_, d)) if d == Dim::DATA && word.ends_with('b') => " (bits)",
        _ => "",
    }
}
