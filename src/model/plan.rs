//! `Plan`: every input and derived number by dotted name, in the order the model produced
//! them (which is the order tables and docs show), with lookup and explanation helpers.
//!
//! Architecture Invariant: iteration order is deterministic (insertion order of a pure
//! function); no hash maps.

use super::derivation::{Derived, Provenance, substitute};
use crate::units::format::{self, Style};
use std::collections::BTreeMap;
use std::sync::Arc;

/// One edge of the architecture and the plan entries that say what flows along it at peak.
#[derive(Debug, Clone, PartialEq)]
pub struct Edge {
    /// The caller: a tier name, or `None` for clients.
    pub from: Option<String>,
    /// The callee tier.
    pub to: String,
    /// The plan entry of its peak calls per second.
    pub rps: String,
    /// The plan entry of its peak bytes per second, both directions (request + response bytes).
    pub bandwidth: String,
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
    /// Each entry's position in `order` (a replaced entry keeps its place).
    position: rustc_hash::FxHashMap<String, usize>,
    /// For each call of [`Plan::add`], the slot (position in `order`) it wrote.
    slots: Vec<usize>,
    /// The architecture's edges, in first-use order (a full plan only).
    pub edges: Vec<Edge>,
    /// For each request, the tiers of its path its calls reach, in path order (the model's
    /// own bookkeeping: loads write it once, latency and availability read it).
    pub(crate) reached: Vec<Vec<usize>>,
    /// For each tier, the requests whose calls reach it, in request order (from `reached`).
    pub(crate) through: Vec<Vec<usize>>,
    /// For each request, each tier of its path that receives it, in path order, with the
    /// plan entry of its peak calls per second there (a full plan only: what diagrams label
    /// each hop with).
    pub hop_calls: Vec<Vec<(usize, String)>>,
    values: Option<Values>,
}

/// A result's distribution over Monte Carlo samples, summarised: three percentiles and the
/// mean (base units), and the share of samples in which it had no value (an unstable queue).
/// A percentile that falls among the undefined samples is infinite. Named for the statistics
/// it holds (what asserts read as `p5`, `p50`, `p95`, `mean`), not for a distribution: an
/// input's is an `uncertainty::spread::Spread`, a key popularity a `math::popularity::Popularity`.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Percentiles {
    /// 5th percentile.
    pub p5: f64,
    /// Median.
    pub p50: f64,
    /// 95th percentile.
    pub p95: f64,
    /// Mean (NaN when any sample is undefined).
    pub mean: f64,
    /// Share of samples without a value.
    pub undefined: f64,
}

impl Percentiles {
    /// A statistic by its assert suffix: `p5`, `p50`, `p95` or `mean`.
    pub fn stat(&self, which: &str) -> Option<f64> {
        match which {
            "p5" => Some(self.p5),
            "p50" => Some(self.p50),
            "p95" => Some(self.p95),
            "mean" => Some(self.mean),
            _ => None,
        }
    }
}

/// Each varying result's distribution over Monte Carlo samples, by plan entry name.
pub type Distributions = BTreeMap<String, Percentiles>;

/// A plan read together with the distributions a Monte Carlo run found for it (none for a
/// point estimate): what tables, checks and docs read. It derefs to the plan.
#[derive(Debug, Clone, Copy)]
pub struct View<'a> {
    /// The plan.
    pub plan: &'a Plan,
    /// Its entries' distributions, when it was sampled.
    pub distributions: Option<&'a Distributions>,
}

impl<'a> View<'a> {
    /// A plan with its distributions.
    pub fn new(plan: &'a Plan, distributions: Option<&'a Distributions>) -> Self {
        View { plan, distributions }
    }

    /// A plan that was not sampled.
    pub fn point(plan: &'a Plan) -> Self {
        View { plan, distributions: None }
    }

    /// An entry's distribution over Monte Carlo samples, when it varies.
    pub fn distribution(&self, name: &str) -> Option<&'a Percentiles> {
        self.distributions.and_then(|d| d.get(name))
    }

    /// Whether any entry has a distribution.
    pub fn is_uncertain(&self) -> bool {
        self.distributions.is_some_and(|d| !d.is_empty())
    }

    /// An entry's value for people, with `digits` significant figures: `p50 [p5 – p95]`
    /// when it varies over Monte Carlo samples.
    pub fn show(&self, name: &str, digits: usize) -> String {
        match (self.plan.get(name), self.distribution(name)) {
            (Some(d), Some(dist)) => show_distribution(d, dist, digits),
            (Some(d), None) => show(d, digits),
            (None, _) => "—".to_string(),
        }
    }

    /// One statistic of an entry for people (`p95`, …); the point value when it does not vary.
    pub fn show_stat(&self, name: &str, which: &str, digits: usize) -> String {
        match (self.plan.get(name), self.distribution(name).and_then(|x| x.stat(which))) {
            (Some(d), Some(v)) => show_value(d, v, digits),
            (Some(d), None) => show(d, digits),
            (None, _) => "—".to_string(),
        }
    }
}

impl std::ops::Deref for View<'_> {
    type Target = Plan;
    fn deref(&self) -> &Plan {
        self.plan
    }
}

/// Where each entry of a design's plan lives, shared by the values-only plans that sample it.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    names: Vec<String>,
    index: rustc_hash::FxHashMap<String, usize>,
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
        self.reached.clear();
        self.through.clear();
        self.hop_calls.clear();
    }

    /// Whether this plan keeps formulas (a full plan) or only values (a Monte Carlo sample).
    pub fn is_full(&self) -> bool {
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
                let slot = self.position.get(&name).copied().unwrap_or(0);
                self.slots.push(slot);
            }
            None => {
                self.slots.push(self.order.len());
                self.position.insert(name.clone(), self.order.len());
                self.order.push(name.clone());
                self.entries.insert(name, d);
            }
        }
    }

    /// Adds every entry of a scenario's plan as `PREFIX.NAME`, with the names in its formula
    /// and inputs prefixed the same way, so a scenario's results are explained within it.
    pub fn add_scenario(&mut self, prefix: &str, other: &Plan) {
        if !self.is_full() {
            return;
        }
        let rename = |n: &str| other.get(n).map(|_| format!("{prefix}.{n}"));
        for (name, d) in other.iter() {
            let mut d = d.clone();
            d.formula = super::derivation::substitute(&d.formula, rename);
            d.inputs = d.inputs.iter().map(|i| rename(i).unwrap_or_else(|| i.clone())).collect();
            self.insert(format!("{prefix}.{name}"), d);
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

    /// An entry's point value for people, with `digits` significant figures (a plan holds
    /// no Monte Carlo distributions: [`View::show`] shows them).
    pub fn show(&self, name: &str, digits: usize) -> String {
        self.entries.get(name).map_or_else(|| "—".to_string(), |d| show(d, digits))
    }

    /// The formula with numbers: `100M ÷ 86.4K s`.
    pub fn substituted(&self, d: &Derived, digits: usize) -> String {
        substitute(&d.formula, |n| self.entries.get(n).map(|e| show(e, digits)))
    }

    /// Whether an entry is an input.
    pub fn is_input(&self, name: &str) -> bool {
        matches!(self.entries.get(name).map(|d| &d.source), Some(Provenance::Input { .. }))
    }
}

/// A derived value for people (undefined values say why).
pub fn show(d: &Derived, digits: usize) -> String {
    match &d.undefined {
        Some(why) => format!("undefined ({why})"),
        None => format::human(d.value, d.style, digits),
    }
}

/// A value of an entry's kind for people; an infinite or missing one says it is undefined.
/// A sample of exactly 1 beside a point value within 10⁻⁴ of it is a probability that
/// rounded to 1 in binary (a k-of-n tier with many spare nodes), not a certainty.
fn show_value(d: &Derived, v: f64, digits: usize) -> String {
    if !v.is_finite() {
        return "undefined".to_string();
    }
    let v = if d.style == Style::Percent && v >= 1.0 && d.value.si < 1.0 && d.value.si > 1.0 - 1e-4 {
        1.0 - f64::EPSILON
    } else {
        v
    };
    format::human(crate::units::Value::new(v, d.value.dim), d.style, digits)
}

/// `p50 [p5 – p95]`, or just the p50 when the three agree to one figure fewer than shown
/// (`9.211 ms`, not `9.211 ms [9.21 ms – 9.211 ms]`); a share of samples without a value
/// (an unstable queue) is said: `24 ms [9.4 ms – 93 ms; 4% undefined]`.
fn show_distribution(d: &Derived, x: &Percentiles, digits: usize) -> String {
    let [p5, p50, p95] = [x.p5, x.p50, x.p95].map(|v| show_value(d, v, digits));
    let undefined =
        if x.undefined > 0.0 { format!("; {}% undefined", format::sig(x.undefined * 100.0, 2)) } else { String::new() };
    let coarse = [x.p5, x.p50, x.p95].map(|v| show_value(d, v, digits.saturating_sub(1).max(1)));
    let same = (p5 == p50 && p50 == p95) || (digits > 2 && coarse[0] == coarse[1] && coarse[1] == coarse[2]);
    if same && undefined.is_empty() { p50 } else { format!("{p50} [{p5} – {p95}{undefined}]") }
}

/// Keeps `Style` reachable for callers that build displays from a plan.
pub fn style_of(plan: &Plan, name: &str) -> Option<Style> {
    plan.get(name).map(|d| d.style)
}
