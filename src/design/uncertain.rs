//! What lowering records about a design's uncertain inputs, as plain data for Monte Carlo to
//! draw from: the uncertain leaves (`a to b`, `normal(m, sd)`, `uniform(a, b)`, `x ± d`, a
//! profile's range), which names depend on a leaf and the expression each is evaluated again
//! by, every name's value at the medians, the correlations as stated (`correlate a, b = 0.8`),
//! and — through the field table's slots — where in a [`Design`] each uncertain input lives.
//!
//! Architecture Invariant: plain data and look-ups only; nothing here draws or evaluates a
//! sample (that is `uncertainty::sampler`'s job), and the place a value goes is read off the
//! field table, never a second list of field names.

use super::eval::Evaluated;
use super::fields::{COST, FieldSpec, Put, REQUEST, SLO, STORAGE, Slot, TIER, TOP, USERS, WORKLOAD};
use super::{Design, Request, Spread, Tier};
use crate::source::Span;
use crate::syntax::ast::Expr;
use rustc_hash::{FxHashMap, FxHashSet};

/// One uncertain value as written: what Monte Carlo draws.
#[derive(Debug, Clone, PartialEq)]
pub struct Leaf {
    /// The field or `let` it is written in: `users.dau`.
    pub name: String,
    /// Its text: `100M to 300M` (or the profile that supplied it).
    pub text: String,
    /// Its distribution, in base units.
    pub spread: Spread,
    /// Where it is written (`None` for a profile's or project default's value).
    pub span: Option<Span>,
}

impl Leaf {
    /// `users.dau (100M to 300M)`: how tables and charts name the leaf.
    pub fn label(&self) -> String {
        if self.text.is_empty() { self.name.clone() } else { format!("{} ({})", self.name, self.text) }
    }
}

/// How an uncertain name is evaluated again in a sample.
#[derive(Debug, Clone, PartialEq)]
pub enum SampleDef {
    /// Its expression (in the design, or a parsed default).
    Expr(Expr),
    /// A leaf of its own (a profile's or project default's range), by index.
    Leaf(usize),
}

/// A design's uncertain inputs, kept from its lowering.
#[derive(Debug, Clone, PartialEq)]
pub struct UncertainInputs {
    /// The uncertain leaves, in the order a sample's quantiles are given.
    pub leaves: Vec<Leaf>,
    /// The names that depend on a leaf, each with its slot (in name order) and how to
    /// evaluate it again.
    pub defs: FxHashMap<String, (usize, SampleDef)>,
    /// Every name's value at the medians (certain names keep theirs in every sample).
    pub base: FxHashMap<String, Evaluated>,
    /// The design's uncertain inputs and lets, which a sample sets, in lowering order.
    pub inputs: Vec<String>,
    /// The design's request names (a bare request name stands for its rate).
    pub requests: FxHashSet<String>,
    /// The length of the design's year, in seconds.
    pub year_seconds: f64,
    /// Leaves the design correlates, when it does.
    pub correlation: Option<Correlation>,
}

/// The `correlate` statements of a design: the leaves they name and their correlation
/// matrix as stated.
#[derive(Debug, Clone, PartialEq)]
pub struct Correlation {
    /// The correlated leaves' indexes, ascending.
    pub leaves: Vec<usize>,
    /// Their correlation matrix, row-major (`leaves.len()` square, ones on the diagonal).
    pub matrix: Vec<f64>,
    /// The pairs as written: (leaf, leaf, coefficient).
    pub pairs: Vec<(usize, usize, f64)>,
}

impl Correlation {
    /// The matrix that pairs of (leaf, leaf, coefficient) state, unstated pairs at zero.
    pub fn new(pairs: Vec<(usize, usize, f64)>) -> Correlation {
        let mut leaves: Vec<usize> = pairs.iter().flat_map(|&(a, b, _)| [a, b]).collect();
        leaves.sort_unstable();
        leaves.dedup();
        let n = leaves.len();
        let at = |leaf: usize| leaves.iter().position(|&l| l == leaf).unwrap_or(0);
        let mut matrix = vec![0.0; n * n];
        for i in 0..n {
            matrix[i * n + i] = 1.0;
        }
        for &(a, b, rho) in &pairs {
            let (i, j) = (at(a), at(b));
            matrix[i * n + j] = rho;
            matrix[j * n + i] = rho;
        }
        Correlation { leaves, matrix, pairs }
    }

    /// Whether the pairs can hold together: their matrix is positive definite.
    pub fn holds(&self) -> bool {
        crate::math::cholesky::cholesky(&self.matrix, self.leaves.len()).is_some()
    }
}

/// Where an uncertain input or `let` lives in a [`Design`], found once by its dotted name.
#[derive(Debug, Clone, Copy)]
pub enum Target {
    /// The `let` at this index.
    Let(usize),
    /// A field of the design as a whole (the field table's slot).
    Design(fn(&mut Design, f64)),
    /// A field of the request at this index.
    Request(usize, fn(&mut Request, f64)),
    /// A field of the tier at this index.
    Tier(usize, fn(&mut Tier, f64)),
    /// The SLO's latency target at this index (`slo.latency.p99`).
    Latency(usize),
    /// A placed part of a request's `stores` (`REQ.stores.TIER`): request, placement.
    Placement(usize, usize),
    /// A record's size (`REC.size`).
    RecordSize(usize),
    /// A record's field: record, field.
    RecordField(usize, usize),
    /// Nothing a sample sets.
    Nowhere,
}

impl Target {
    /// Where the input or `let` called `name` (the language's dotted name) lives in `design`.
    pub fn of(design: &Design, name: &str) -> Target {
        if let Some(k) = design.lets.iter().position(|l| l.name == name) {
            return Target::Let(k);
        }
        let (head, field) = name.split_once('.').unwrap_or((name, ""));
        let single = match head {
            "" => None,
            _ if field.is_empty() => Some(TOP),
            "users" => Some(USERS),
            "storage" => Some(STORAGE),
            "slo" => Some(SLO),
            "cost" => Some(COST),
            "workload" => Some(WORKLOAD),
            _ => None,
        };
        let key = if field.is_empty() { head } else { field };
        if let Some(Slot::Design(put)) = single.map(|specs| slot(specs, key)) {
            return Target::Design(put);
        }
        if head == "slo" {
            let label = field.trim_start_matches("latency.");
            return design.slo.latency.iter().position(|l| l.label == label).map_or(Target::Nowhere, Target::Latency);
        }
        if let Some(r) = design.requests.iter().position(|r| r.name == head) {
            if field.starts_with("stores.") {
                let placed = design.requests[r].placements.iter().position(|p| p.name == name);
                return placed.map_or(Target::Nowhere, |p| Target::Placement(r, p));
            }
            return match slot(REQUEST, field) {
                Slot::Request(put) => Target::Request(r, put),
                _ => Target::Nowhere,
            };
        }
        if let Some(k) = design.records.iter().position(|r| r.name == head) {
            if field == "size" {
                return Target::RecordSize(k);
            }
            let at = design.records[k].fields.iter().position(|f| f.name == field);
            return at.map_or(Target::Nowhere, |f| Target::RecordField(k, f));
        }
        match (design.tiers.iter().position(|t| t.name == head), slot(TIER, field)) {
            (Some(t), Slot::Tier(put)) => Target::Tier(t, put),
            _ => Target::Nowhere,
        }
    }

    /// Sets the value at this place in `design` to `si` base units.
    pub fn put(self, design: &mut Design, si: f64) {
        match self {
            Target::Let(k) => {
                if let Some(l) = design.lets.get_mut(k) {
                    l.value.value.si = si;
                }
            }
            Target::Design(put) => put(design, si),
            Target::Request(r, put) => design.requests.get_mut(r).into_iter().for_each(|r| put(r, si)),
            Target::Tier(t, put) => design.tiers.get_mut(t).into_iter().for_each(|t| put(t, si)),
            Target::Latency(k) => design.slo.latency.get_mut(k).into_iter().for_each(|l| l.target.put(si)),
            Target::Placement(r, p) => {
                let part = design.requests.get_mut(r).and_then(|r| r.placements.get_mut(p));
                part.into_iter().for_each(|p| p.bytes.put(si));
            }
            Target::RecordSize(k) => design.records.get_mut(k).into_iter().for_each(|r| r.size.put(si)),
            Target::RecordField(k, f) => {
                let field = design.records.get_mut(k).and_then(|r| r.fields.get_mut(f));
                field.into_iter().for_each(|f| f.size.put(si));
            }
            Target::Nowhere => {}
        }
    }
}

/// The slot of the row called `key` in a block's field table.
fn slot(specs: &[FieldSpec], key: &str) -> Slot {
    specs.iter().find(|s| s.name == key).map_or(Slot::None, |s| s.slot)
}
