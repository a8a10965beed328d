//! `Derived`: a value with the formula that made it, the names of its inputs, and — for
//! inputs — where the design stated it. The explain graph behind `fermi explain`.
//!
//! Architecture Invariant: a formula's text is produced by the code that computes its value,
//! in the same call, so the two cannot drift apart.

use crate::design::Origin;
use crate::units::Value;
use crate::units::format::Style;
use serde::Serialize;

/// Where a number in the plan comes from.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Provenance {
    /// Computed by a formula from other entries.
    Computed,
    /// An input of the design (written, defaulted, or from a profile).
    Input {
        /// Its origin.
        origin: Origin,
    },
}

/// One number in the plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Derived {
    /// The value in base units.
    pub value: Value,
    /// How to show it.
    pub style: Style,
    /// The formula in names: `shorten.daily ÷ seconds_per_day`.
    pub formula: String,
    /// The names the formula reads.
    pub inputs: Vec<String>,
    /// Computed, or an input.
    pub source: Provenance,
    /// A caveat: an unstable queue, a range evaluated at its median, the deciding constraint.
    pub note: Option<String>,
    /// When the value could not be computed (an unstable queue): why.
    pub undefined: Option<String>,
}

impl Derived {
    /// A computed value.
    pub fn computed(value: Value, style: Style, formula: impl Into<String>, inputs: Vec<String>) -> Self {
        Derived {
            value,
            style,
            formula: formula.into(),
            inputs,
            source: Provenance::Computed,
            note: None,
            undefined: None,
        }
    }

    /// An input value.
    pub fn input(value: Value, style: Style, origin: Origin) -> Self {
        Derived {
            value,
            style,
            formula: String::new(),
            inputs: Vec::new(),
            source: Provenance::Input { origin },
            note: None,
            undefined: None,
        }
    }

    /// A result that has no value, with the reason (e.g. "unstable: ρ = 1.2 ≥ 1").
    pub fn undefined(style: Style, formula: impl Into<String>, inputs: Vec<String>, why: impl Into<String>) -> Self {
        Derived { undefined: Some(why.into()), ..Derived::computed(Value::number(f64::NAN), style, formula, inputs) }
    }

    /// Adds a note.
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }

    /// Whether the value exists.
    pub fn is_defined(&self) -> bool {
        self.undefined.is_none() && self.value.si.is_finite()
    }
}

/// The formula with each input name replaced by its value, using `show` to format values.
/// Names are matched as whole tokens (letters, digits, `_`, `.`, `-`).
pub fn substitute(formula: &str, lookup: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::new();
    let mut token = String::new();
    let is_tok = |c: char| c.is_alphanumeric() || c == '_' || c == '.' || c == '-';
    let flush = |token: &mut String, out: &mut String| {
        if !token.is_empty() {
            match lookup(token) {
                Some(v) => out.push_str(&v),
                None => out.push_str(token),
            }
            token.clear();
        }
    };
    for c in formula.chars() {
        if is_tok(c) {
            token.push(c);
        } else {
            flush(&mut token, &mut out);
            out.push(c);
        }
    }
    flush(&mut token, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn substitution_replaces_whole_names_only() {
        let s = substitute("shorten.daily ÷ seconds_per_day", |n| match n {
            "shorten.daily" => Some("100M".into()),
            "seconds_per_day" => Some("86.4K s".into()),
            _ => None,
        });
        assert_eq!(s, "100M ÷ 86.4K s");
        assert_eq!(substitute("a.b × a", |n| (n == "a").then(|| "2".into())), "a.b × 2");
    }
}
