//! `Plan`: every input and derived number by dotted name, in the order the model produced
//! them (which is the order tables and docs show), with lookup and explanation helpers.
//!
//! Architecture Invariant: iteration order is deterministic (insertion order of a pure
//! function); no hash maps.

use super::derivation::{Derived, Source, substitute};
use crate::units::format::{self, Style};
use std::collections::BTreeMap;

/// Calls and bytes flowing along one edge of the architecture at peak.
#[derive(Debug, Clone, PartialEq)]
pub struct Edge {
    /// The caller: a tier name, or `None` for clients.
    pub from: Option<String>,
    /// The callee tier.
    pub to: String,
    /// Peak calls per second along the edge.
    pub rps: f64,
    /// Peak bytes per second along the edge, both directions (request + response bytes).
    pub bytes_per_second: f64,
    /// The requests that use the edge, in source order.
    pub requests: Vec<String>,
}

/// All results of one estimate.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Plan {
    entries: BTreeMap<String, Derived>,
    order: Vec<String>,
    /// The architecture's edges with their peak traffic, in first-use order.
    pub edges: Vec<Edge>,
}

impl Plan {
    /// Adds or replaces an entry.
    pub fn insert(&mut self, name: impl Into<String>, d: Derived) {
        let name = name.into();
        if self.entries.insert(name.clone(), d).is_none() {
            self.order.push(name);
        }
    }

    /// An entry by name.
    pub fn get(&self, name: &str) -> Option<&Derived> {
        self.entries.get(name)
    }

    /// The base-unit value of an entry (NaN when absent or undefined).
    pub fn value(&self, name: &str) -> f64 {
        self.entries.get(name).map_or(f64::NAN, |d| d.value.si)
    }

    /// Entries in model order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Derived)> {
        self.order.iter().filter_map(|n| self.entries.get(n).map(|d| (n.as_str(), d)))
    }

    /// Entry names in model order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.order.iter().map(String::as_str)
    }

    /// An entry's value for people, with `digits` significant figures.
    pub fn show(&self, name: &str, digits: usize) -> String {
        match self.entries.get(name) {
            Some(d) => show(d, digits),
            None => "—".to_string(),
        }
    }

    /// The formula with numbers: `100M ÷ 86.4K s`.
    pub fn substituted(&self, d: &Derived, digits: usize) -> String {
        substitute(&d.formula, |n| self.entries.get(n).map(|e| show(e, digits)))
    }

    /// Whether an entry is an input.
    pub fn is_input(&self, name: &str) -> bool {
        matches!(self.entries.get(name).map(|d| &d.source), Some(Source::Input { .. }))
    }
}

/// A derived value for people (undefined values say why).
pub fn show(d: &Derived, digits: usize) -> String {
    match &d.undefined {
        Some(why) => format!("undefined ({why})"),
        None => format::human(d.value, d.style, digits),
    }
}

/// Keeps `Style` reachable for callers that build displays from a plan.
pub fn style_of(plan: &Plan, name: &str) -> Option<Style> {
    plan.get(name).map(|d| d.style)
}
