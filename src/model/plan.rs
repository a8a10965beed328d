//! `Plan`: every input and derived number by dotted name, in the order the model produced
//! them (which is the order tables and docs show), with lookup and explanation helpers.
//!
//! Architecture Invariant: iteration order is deterministic (insertion order of a pure
//! function); no hash maps.

use super::derivation::{Derived, Source, substitute};
use crate::units::format::{self, Style};
use std::collections::BTreeMap;
use std::sync::Arc;

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
///
/// A plan is either full (every entry a [`Derived`] with its formula — what people read) or
/// values-only (one `f64` per entry, in the slots a full plan of the same design laid out —
/// what Monte Carlo samples, since it needs no formula text).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Plan {
    entries: BTreeMap<String, Derived>,
    order: Vec<String>,
    /// For each call of [`Plan::add`], the slot (position in `order`) it wrote.
    slots: Vec<usize>,
    /// The architecture's edges with their peak traffic, in first-use order.
    pub edges: Vec<Edge>,
    values: Option<Values>,
}

/// Where each entry of a design's plan lives, shared by the values-only plans that sample it.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    names: Vec<String>,
    index: BTreeMap<String, usize>,
    slots: Vec<usize>,
}

impl Layout {
    /// Entry names in model order.
    pub fn names(&self) -> &[String] {
        &self.names
    }
}

/// A values-only plan's state: one value per slot and the next `add` call's number.
#[derive(Debug, Clone, PartialEq)]
struct Values {
    layout: Arc<Layout>,
    values: Vec<f64>,
    next: usize,
}

impl Plan {
    /// A values-only plan for a design whose full plan had this layout.
    pub fn values_only(layout: Arc<Layout>) -> Self {
        let values = vec![f64::NAN; layout.names.len()];
        Plan { values: Some(Values { layout, values, next: 0 }), ..Plan::default() }
    }

    /// This full plan's layout, for values-only plans of the same design.
    pub fn layout(&self) -> Arc<Layout> {
        let index = self.order.iter().enumerate().map(|(i, n)| (n.clone(), i)).collect();
        Arc::new(Layout { names: self.order.clone(), index, slots: self.slots.clone() })
    }

    /// A values-only plan's values, one per entry of the layout; empty for a full plan.
    pub fn sampled(&self) -> &[f64] {
        self.values.as_ref().map_or(&[], |v| &v.values)
    }

    /// Clears a values-only plan for the next sample.
    pub fn reset(&mut self) {
        if let Some(v) = &mut self.values {
            v.values.fill(f64::NAN);
            v.next = 0;
        }
        self.edges.clear();
    }

    /// Whether this plan keeps formulas (a full plan) or only values (a Monte Carlo sample).
    pub fn explains(&self) -> bool {
        self.values.is_none()
    }

    /// Adds or replaces an entry whose value is `value` (base units; NaN when undefined).
    /// `entry` names and explains it, and runs only for a full plan.
    pub fn add(&mut self, value: f64, entry: impl FnOnce() -> (String, Derived)) {
        match &mut self.values {
            Some(v) => {
                let slot = v.layout.slots[v.next];
                v.values[slot] = value;
                v.next += 1;
                #[cfg(debug_assertions)]
                {
                    let name = entry().0;
                    debug_assert_eq!(name, v.layout.names[slot], "values-only plan out of step with its layout");
                }
            }
            None => {
                let (name, d) = entry();
                debug_assert!(
                    d.value.si.to_bits() == value.to_bits() || (d.value.si.is_nan() && value.is_nan()),
                    "{name}: value {value} given, {} explained",
                    d.value.si
                );
                self.insert(name, d);
            }
        }
    }

    fn insert(&mut self, name: String, d: Derived) {
        match self.entries.get_mut(&name) {
            Some(old) => {
                *old = d;
                let slot = self.order.iter().position(|n| *n == name).unwrap_or(0);
                self.slots.push(slot);
            }
            None => {
                self.slots.push(self.order.len());
                self.order.push(name.clone());
                self.entries.insert(name, d);
            }
        }
    }

    /// An entry by name (full plans only).
    pub fn get(&self, name: &str) -> Option<&Derived> {
        self.entries.get(name)
    }

    /// The base-unit value of an entry (NaN when absent or undefined).
    pub fn value(&self, name: &str) -> f64 {
        match &self.values {
            Some(v) => v.layout.index.get(name).map_or(f64::NAN, |&i| v.values[i]),
            None => self.entries.get(name).map_or(f64::NAN, |d| d.value.si),
        }
    }

    /// The value of an entry that exists and is defined.
    pub fn defined(&self, name: &str) -> Option<f64> {
        match &self.values {
            Some(_) => Some(self.value(name)).filter(|v| v.is_finite()),
            None => self.entries.get(name).filter(|d| d.is_defined()).map(|d| d.value.si),
        }
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
