//! `--fail-on` thresholds of `fermi diff`: `cost.monthly > +10%`, `store.nodes > +20%`,
//! `traffic.peak_rps > +5K rps`. Grammar: `NAME (> | <) [+|-]NUMBER(% | a quantity with its
//! unit)`. A `%` amount compares the relative change; anything else, the absolute change
//! (new − old, a missing side counting as zero), which must have the result's dimension.
//!
//! Architecture Invariant: a threshold reads the two plans; crossing is the signed change
//! compared with the signed amount by the threshold's operator.

use crate::analysis::outcome::Failure;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::Plan;
use crate::source::{SourceFile, Span};
use crate::units::Value;
use crate::units::format::{self, Style};

/// `>` or `<`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// The change is larger than the amount.
    Above,
    /// The change is smaller than the amount.
    Below,
}

/// How much change a threshold allows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Amount {
    /// A relative change, as a signed fraction (`+10%` → 0.1).
    Relative(f64),
    /// An absolute change in base units.
    Absolute(Value),
}

/// One parsed threshold.
#[derive(Debug, Clone, PartialEq)]
pub struct Threshold {
    /// As the user wrote it.
    pub text: String,
    /// The result it watches.
    pub name: String,
    /// `>` or `<`.
    pub direction: Direction,
    /// The amount.
    pub amount: Amount,
}

/// A threshold the change crossed, for people.
#[derive(Debug, Clone, PartialEq)]
pub struct Crossed {
    /// The threshold as written.
    pub text: String,
    /// What the change was: `cost.monthly changed +12% ($10.2K → $11.4K)`.
    pub message: String,
}

fn failure(text: &str, d: Diagnostic) -> Box<Failure> {
    Box::new(Failure { source: SourceFile::new("--fail-on", text), diagnostics: Diagnostics(vec![d]) })
}

impl Threshold {
    /// Parses `NAME > +10%`.
    pub fn parse(text: &str) -> Result<Threshold, Box<Failure>> {
        let whole = Span::new(0, text.len());
        let hint = "write NAME > +PERCENT% or NAME < -QUANTITY, e.g. `cost.monthly > +10%` or `api.nodes > +5`";
        let Some(at) = text.find(['>', '<']) else {
            return Err(failure(
                text,
                Diagnostic::error(Code::Threshold, "a threshold needs `>` or `<`", whole, "no comparison")
                    .with_help(hint),
            ));
        };
        let direction = if text[at..].starts_with('>') { Direction::Above } else { Direction::Below };
        let name = text[..at].trim().to_string();
        if name.is_empty() {
            return Err(failure(
                text,
                Diagnostic::error(Code::Threshold, "a threshold names a result first", Span::new(0, at), "no name")
                    .with_help(hint),
            ));
        }
        let rest = text[at + 1..].trim();
        let rest_span = Span::new(at + 1, text.len());
        let (sign, body) = match rest.strip_prefix('-') {
            Some(b) => (-1.0, b.trim()),
            None => (1.0, rest.strip_prefix('+').unwrap_or(rest).trim()),
        };
        let amount = if let Some(number) = body.strip_suffix('%') {
            let n = crate::calc::calc(number.trim()).ok().map(|c| c.value).filter(|v| v.dim == crate::units::Dim::NONE);
            match n {
                Some(v) => Amount::Relative(sign * v.si / 100.0),
                None => {
                    return Err(failure(
                        text,
                        Diagnostic::error(
                            Code::Threshold,
                            format!("`{body}` is not a percentage"),
                            rest_span,
                            "expected a number before `%`",
                        )
                        .with_help(hint),
                    ));
                }
            }
        } else {
            match crate::calc::calc(body) {
                Ok(c) => Amount::Absolute(Value::new(sign * c.value.si, c.value.dim)),
                Err(_) => {
                    return Err(failure(
                        text,
                        Diagnostic::error(
                            Code::Threshold,
                            format!("`{body}` is neither a percentage nor a quantity"),
                            rest_span,
                            "expected `10%` or a quantity such as `5K rps`",
                        )
                        .with_help(hint),
                    ));
                }
            }
        };
        Ok(Threshold { text: text.trim().to_string(), name, direction, amount })
    }

    /// Whether the change from `old` to `new` crosses the threshold (`Some` says how), or an
    /// error when neither plan has the result or the amount's dimension is not the result's.
    pub fn check(&self, old: &Plan, new: &Plan) -> Result<Option<Crossed>, Box<Failure>> {
        let whole = Span::new(0, self.text.len());
        let Some(like) = new.get(&self.name).or_else(|| old.get(&self.name)) else {
            let near = crate::design::resolve::suggest(&self.name, new.names().chain(old.names()));
            let help = match near {
                Some(s) => format!("did you mean `{s}`?"),
                None => "name a result of the plan, e.g. `traffic.peak_rps`, `api.nodes`, `cost.monthly`".into(),
            };
            return Err(failure(
                &self.text,
                Diagnostic::error(
                    Code::Threshold,
                    format!("no result `{}` in either design", self.name),
                    whole,
                    "unknown result",
                )
                .with_help(help),
            ));
        };
        let (dim, style) = (like.value.dim, like.style);
        let side = |p: &Plan| p.defined(&self.name);
        let (o, n) = (side(old), side(new));
        let show = |v: Option<f64>| v.map_or("—".to_string(), |v| format::human(Value::new(v, dim), style, 4));
        let (change, shown) = match self.amount {
            Amount::Relative(limit) => {
                let Some(rel) = super::relative(o.unwrap_or(0.0), n.unwrap_or(0.0)) else { return Ok(None) };
                (compare(self.direction, rel, limit), percent(rel))
            }
            Amount::Absolute(limit) => {
                if limit.dim != dim {
                    return Err(failure(
                        &self.text,
                        Diagnostic::error(
                            Code::DimensionMismatch,
                            format!("`{}` is {}; the amount is {}", self.name, dim.describe(), limit.dim.describe()),
                            whole,
                            limit.dim.describe(),
                        )
                        .with_help("state the amount in the result's unit, or as a percentage"),
                    ));
                }
                let delta = n.unwrap_or(0.0) - o.unwrap_or(0.0);
                (compare(self.direction, delta, limit.si), signed(Value::new(delta, dim), style))
            }
        };
        Ok(change.then(|| Crossed {
            text: self.text.clone(),
            message: format!("{} changed {shown} ({} → {})", self.name, show(o), show(n)),
        }))
    }
}

fn compare(direction: Direction, change: f64, limit: f64) -> bool {
    match direction {
        Direction::Above => change > limit,
        Direction::Below => change < limit,
    }
}

/// `+18%`, `-3.2%`, `+∞%` (from nothing).
pub fn percent(fraction: f64) -> String {
    if fraction.is_infinite() {
        return if fraction > 0.0 { "new".into() } else { "gone".into() };
    }
    let p = fraction * 100.0;
    let digits = if p.abs() >= 10.0 { 3 } else { 2 };
    let text = format::sig(p, digits);
    if p > 0.0 {
        format!("+{text}%")
    } else if p < 0.0 {
        format!("{text}%")
    } else {
        "0%".into()
    }
}

/// A signed change for people: `+81`, `-$1.2K`, `+2.5 TB`.
pub fn signed(v: Value, style: Style) -> String {
    let text = format::human(Value::new(v.si.abs(), v.dim), style, 4);
    if v.si > 0.0 {
        format!("+{text}")
    } else if v.si < 0.0 {
        format!("-{text}")
    } else {
        text
    }
}
