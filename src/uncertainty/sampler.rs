//! Monte Carlo samples of a design. Lowering finds the uncertain leaves (`a to b`,
//! `normal(m, sd)`, `uniform(a, b)`, `x ± d`, a profile's range); a sample puts each leaf at a
//! quantile and evaluates again only the names that depend on a leaf, through the same
//! evaluator and the same expressions, so a sample means exactly what the design says
//! (`users.dau` drawn once feeds every `per user` rate and every `let` that reads it).
//! Subexpressions no leaf reaches are evaluated once, at lowering; leaves the design
//! correlates (`correlate a, b = 0.8`) are drawn together through a Gaussian copula.
//!
//! Architecture Invariant: a sample changes only the values of uncertain inputs and lets;
//! the design's structure (tiers, requests, paths, policies) is the same in every sample.

use super::eval::{Evaluated, Scope, eval};
use super::fields::valid_range;
use super::resolve::referent;
use super::{CacheSize, Design, Input, Spread};
use crate::diagnostic::Diagnostic;
use crate::source::Span;
use crate::syntax::ast::Expr;
use crate::units::{Quantity, Value};
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
    pub(super) span: Option<Span>,
}

impl Leaf {
    /// `users.dau (100M to 300M)`: how tables and charts name the leaf.
    pub fn label(&self) -> String {
        if self.text.is_empty() { self.name.clone() } else { format!("{} ({})", self.name, self.text) }
    }
}

/// How an uncertain name is evaluated again in a sample.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum SampleDef {
    /// Its expression (in the design, or a parsed default).
    Expr(Expr),
    /// A leaf of its own (a profile's or project default's range), by index.
    Leaf(usize),
}

/// The valid range of an input by its dotted name: a field's bounds (`users.dau` ≥ 0,
/// `api.availability` in (0, 1]); a `let` (a name without a dot) is unbounded.
pub(super) fn bounds(name: &str) -> (f64, f64) {
    let field = match name.rsplit_once('.') {
        Some((_, field)) => field,
        None if name == "calendar" => name,
        None => return (f64::NEG_INFINITY, f64::INFINITY),
    };
    valid_range(field).unwrap_or((f64::NEG_INFINITY, f64::INFINITY))
}

/// Everything needed to draw samples of one design, kept from its lowering.
#[derive(Debug, Clone, PartialEq)]
pub struct Sampler {
    pub(super) leaves: Vec<Leaf>,
    /// Uncertain names and how to evaluate them.
    pub(super) defs: FxHashMap<String, (usize, SampleDef)>,
    /// Every name's value at the medians (certain names keep theirs in every sample).
    pub(super) base: FxHashMap<String, Evaluated>,
    /// The design's uncertain inputs and lets, which a sample sets.
    pub(super) inputs: Vec<String>,
    /// The valid range of each input (a `let` has none).
    pub(super) bounds: Vec<(f64, f64)>,
    pub(super) requests: FxHashSet<String>,
    pub(super) year_seconds: f64,
    /// Subexpressions of `defs` that no leaf reaches, by address, with their values: a sample
    /// reads them instead of evaluating them again (unit words, `per user` with a certain
    /// user count, arithmetic on constants).
    pub(super) constants: FxHashMap<usize, Evaluated>,
    /// Leaves drawn together (`correlate a, b = 0.8`), by a Gaussian copula.
    pub(super) copula: Option<Copula>,
}

/// Correlated leaves: their indexes, the Cholesky factor of their correlation matrix, and the
/// pairs as written (for docs).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Copula {
    leaves: Vec<usize>,
    factor: Vec<f64>,
    pairs: Vec<(usize, usize, f64)>,
}

impl Sampler {
    /// Correlates leaves: each pair (leaf, leaf, coefficient) sets the correlation of their
    /// normal scores. `Err` when the pairs cannot hold together (the matrix they make is not
    /// positive definite).
    pub(super) fn set_correlations(&mut self, pairs: Vec<(usize, usize, f64)>) -> Result<(), ()> {
        let mut leaves: Vec<usize> = pairs.iter().flat_map(|&(a, b, _)| [a, b]).collect();
        leaves.sort_unstable();
        leaves.dedup();
        let n = leaves.len();
        let at = |leaf: usize| leaves.iter().position(|&l| l == leaf).unwrap_or(0);
        let mut c = vec![0.0; n * n];
        for i in 0..n {
            c[i * n + i] = 1.0;
        }
        for &(a, b, rho) in &pairs {
            let (i, j) = (at(a), at(b));
            c[i * n + j] = rho;
            c[j * n + i] = rho;
        }
        let factor = crate::math::cholesky::cholesky(&c, n).ok_or(())?;
        self.copula = Some(Copula { leaves, factor, pairs });
        Ok(())
    }

    /// Correlates a sample's independent quantiles in place: the correlated leaves' normal
    /// scores z become L·z (L the Cholesky factor of their correlation matrix), and each goes
    /// back to a quantile through Φ. Leaves without a correlation are left as drawn.
    pub fn correlate(&self, u: &mut [f64]) {
        let Some(c) = &self.copula else { return };
        let n = c.leaves.len();
        let z: Vec<f64> = c.leaves.iter().map(|&l| crate::math::normal::inverse_cdf(u[l])).collect();
        for (i, &leaf) in c.leaves.iter().enumerate() {
            let zi: f64 = (0..=i).map(|k| c.factor[i * n + k] * z[k]).sum();
            u[leaf] = crate::math::normal::cdf(zi).clamp(f64::MIN_POSITIVE, 1.0 - f64::EPSILON);
        }
    }

    /// The correlations as written: (leaf, leaf, coefficient).
    pub fn correlations(&self) -> &[(usize, usize, f64)] {
        self.copula.as_ref().map_or(&[], |c| &c.pairs)
    }

    /// The uncertain leaves, in the order a sample's quantiles are given.
    pub fn leaves(&self) -> &[Leaf] {
        &self.leaves
    }

    /// The design's uncertain inputs and lets, by dotted name.
    pub fn inputs(&self) -> &[String] {
        &self.inputs
    }

    /// The value of each of [`Self::inputs`] (base units) when leaf `k` sits at quantile
    /// `u[k]`, into `out`.
    pub fn evaluate(&self, u: &[f64], out: &mut [f64]) {
        let mut scope = SampleScope { sampler: self, u, memo: vec![None; self.defs.len()] };
        for (name, o) in self.inputs.iter().zip(out.iter_mut()) {
            // Lowering evaluated these same expressions without error, so a failure here
            // cannot happen; were it to, the input keeps its median.
            *o = match scope.lookup(name, Span::default()) {
                Ok(Some(v)) => v.value.si,
                _ => self.base.get(name).map_or(f64::NAN, |v| v.value.si),
            };
        }
    }

    /// Sets each of [`Self::inputs`] in `design` to the matching value of `values`, clamped
    /// to the field's valid range (a normal's tail can reach a negative size, a range of
    /// availabilities near 100% can pass it).
    pub fn set(&self, values: &[f64], design: &mut Design) {
        for ((name, v), (lo, hi)) in self.inputs.iter().zip(values).zip(&self.bounds) {
            if !v.is_finite() {
                continue;
            }
            set_input(design, name, v.clamp(*lo, *hi));
        }
    }
}

/// A name space for one sample: uncertain names evaluated afresh, the rest at their medians.
struct SampleScope<'s> {
    sampler: &'s Sampler,
    u: &'s [f64],
    /// Each uncertain name's value in this sample, by its slot in `defs`.
    memo: Vec<Option<Evaluated>>,
}

impl Scope for SampleScope<'_> {
    fn lookup(&mut self, name: &str, _span: Span) -> Result<Option<Evaluated>, Diagnostic> {
        let s = self.sampler;
        let key = referent(name, s.requests.contains(name));
        let base = s.base.get(&*key).copied();
        let Some((slot, def)) = s.defs.get(&*key) else { return Ok(base) };
        if let Some(v) = self.memo[*slot] {
            return Ok(Some(v));
        }
        let v = match def {
            SampleDef::Expr(e) => eval(e, self)?,
            SampleDef::Leaf(k) => match base {
                Some(b) => Evaluated { value: Value::new(s.leaves[*k].spread.quantile(self.u[*k]), b.value.dim), ..b },
                None => return Ok(None),
            },
        };
        self.memo[*slot] = Some(v);
        Ok(Some(v))
    }

    fn names(&self) -> Vec<String> {
        Vec::new()
    }

    fn year_seconds(&self) -> f64 {
        self.sampler.year_seconds
    }

    fn draw(&mut self, span: Span, spread: Spread) -> f64 {
        match self.sampler.leaves.iter().position(|l| l.span == Some(span)) {
            Some(k) => spread.quantile(self.u[k]),
            None => spread.median(),
        }
    }

    fn known(&self, e: &Expr) -> Option<Evaluated> {
        self.sampler.constants.get(&(e as *const Expr as usize)).copied()
    }
}

impl Sampler {
    /// Finds the subexpressions of `defs` that no leaf reaches (evaluating each with a probe
    /// scope that notes any draw or uncertain name) and keeps their values. Call once the
    /// sampler is built: the expressions must stay where they are.
    pub(super) fn fold_constants(&mut self) {
        let mut constants = FxHashMap::default();
        for (_, def) in self.defs.values() {
            if let SampleDef::Expr(e) = def {
                self.fold(e, &mut constants);
            }
        }
        self.constants = constants;
    }

    fn fold(&self, e: &Expr, out: &mut FxHashMap<usize, Evaluated>) {
        let mut probe = Probe { sampler: self, touched: false };
        match eval(e, &mut probe) {
            Ok(v) if !probe.touched => {
                out.insert(e as *const Expr as usize, v);
            }
            _ => children(e).into_iter().for_each(|c| self.fold(c, out)),
        }
    }
}

/// The direct subexpressions of an expression.
fn children(e: &Expr) -> Vec<&Expr> {
    use crate::syntax::ast::ExprKind;
    match &e.kind {
        ExprKind::Neg(x) => vec![x],
        ExprKind::Binary { left, right, .. } => vec![left, right],
        ExprKind::Range(a, b) | ExprKind::PlusMinus(a, b) => vec![a, b],
        ExprKind::Call { args, .. } => args.iter().map(|a| &a.value).collect(),
        ExprKind::Path(parts) => parts.iter().collect(),
        ExprKind::Quantity(_) | ExprKind::Str(_) | ExprKind::Ref(_) => Vec::new(),
    }
}

/// Evaluates at the medians and notes whether anything uncertain was reached.
struct Probe<'s> {
    sampler: &'s Sampler,
    touched: bool,
}

impl Scope for Probe<'_> {
    fn lookup(&mut self, name: &str, _span: Span) -> Result<Option<Evaluated>, Diagnostic> {
        let s = self.sampler;
        let key = referent(name, s.requests.contains(name));
        self.touched |= s.defs.contains_key(&*key);
        Ok(s.base.get(&*key).copied())
    }

    fn names(&self) -> Vec<String> {
        Vec::new()
    }

    fn year_seconds(&self) -> f64 {
        self.sampler.year_seconds
    }

    fn draw(&mut self, _span: Span, spread: Spread) -> f64 {
        self.touched = true;
        spread.median()
    }
}

fn set<T: Quantity>(input: &mut Input<T>, si: f64) {
    input.value = T::from_si(si);
}

/// Sets the input or `let` called `name` (the language's dotted name) to `si` base units.
fn set_input(design: &mut Design, name: &str, si: f64) {
    if let Some(l) = design.lets.iter_mut().find(|l| l.name == name) {
        l.value.value.si = si;
        return;
    }
    let (head, field) = name.split_once('.').unwrap_or((name, ""));
    match (head, field) {
        ("calendar", "") => set(&mut design.year, si),
        ("seconds_per_day", "") => set(&mut design.seconds_per_day, si),
        ("users", "dau") => design.users.dau.iter_mut().for_each(|i| set(i, si)),
        ("users", "peak") => set(&mut design.users.peak, si),
        ("users", "growth") => set(&mut design.users.growth, si),
        ("users", "horizon") => design.users.horizon.iter_mut().for_each(|i| set(i, si)),
        ("users", "concurrent") => design.users.concurrent.iter_mut().for_each(|i| set(i, si)),
        ("hop", "") => set(&mut design.hop, si),
        ("cost", "egress") => design.cost.egress.iter_mut().for_each(|i| set(i, si)),
        ("cost", "cdn") => design.cost.cdn.iter_mut().for_each(|i| set(i, si)),
        ("storage", "retention") => set(&mut design.storage.retention, si),
        ("storage", "replication") => set(&mut design.storage.replication, si),
        ("storage", "overhead") => set(&mut design.storage.overhead, si),
        ("slo", "availability") => design.slo.availability.iter_mut().for_each(|i| set(i, si)),
        ("slo", "error_budget_window") => set(&mut design.slo.error_budget_window, si),
        ("slo", latency) => {
            let label = latency.trim_start_matches("latency.");
            design.slo.latency.iter_mut().filter(|l| l.label == label).for_each(|l| set(&mut l.target, si));
        }
        ("workload", "keys") => design.workload.keys.iter_mut().for_each(|i| set(i, si)),
        ("workload", "object") => design.workload.object.iter_mut().for_each(|i| set(i, si)),
        (owner, field) => {
            if let Some(r) = design.requests.iter_mut().find(|r| r.name == owner) {
                match field {
                    "rate" => set(&mut r.rate, si),
                    "request" => set(&mut r.request, si),
                    "response" => set(&mut r.response, si),
                    "stores" => {
                        set(&mut r.stores, si);
                        let placed: f64 = r
                            .placements
                            .iter()
                            .filter(|p| p.name != format!("{owner}.stores.rest") && p.name != format!("{owner}.stores"))
                            .map(|p| p.bytes.value.si())
                            .sum();
                        for p in &mut r.placements {
                            if p.name == format!("{owner}.stores") {
                                set(&mut p.bytes, si);
                            } else if p.name == format!("{owner}.stores.rest") {
                                set(&mut p.bytes, si - placed);
                            }
                        }
                    }
                    placed if placed.starts_with("stores.") => {
                        let full = format!("{owner}.{placed}");
                        r.placements.iter_mut().filter(|p| p.name == full).for_each(|p| set(&mut p.bytes, si));
                    }
                    "cdn" => set(&mut r.cdn, si),
                    _ => {}
                }
            } else if let Some(rec) = design.records.iter_mut().find(|r| r.name == owner) {
                if field == "size" {
                    set(&mut rec.size, si);
                } else {
                    rec.fields.iter_mut().filter(|f| f.name == field).for_each(|f| set(&mut f.size, si));
                }
            } else if let Some(t) = design.tiers.iter_mut().find(|t| t.name == owner) {
                match field {
                    "capacity" => set(&mut t.capacity, si),
                    "headroom" => set(&mut t.headroom, si),
                    "replicas" => set(&mut t.replicas, si),
                    "spare" => set(&mut t.spare, si),
                    "availability" => set(&mut t.availability, si),
                    "memory" => t.memory.iter_mut().for_each(|i| set(i, si)),
                    "disk" => t.disk.iter_mut().for_each(|i| set(i, si)),
                    "service_time" => t.service_time.iter_mut().for_each(|i| set(i, si)),
                    "concurrency" => t.concurrency.iter_mut().for_each(|i| set(i, si)),
                    "service_cv" => t.service_cv.iter_mut().for_each(|i| set(i, si)),
                    "shards" => t.shards.iter_mut().for_each(|i| set(i, si)),
                    "imbalance" => t.imbalance.iter_mut().for_each(|i| set(i, si)),
                    "data" => t.data.iter_mut().for_each(|i| set(i, si)),
                    "network" => t.network.iter_mut().for_each(|i| set(i, si)),
                    "connections" => t.connections.iter_mut().for_each(|i| set(i, si)),
                    "latency" => set(&mut t.latency, si),
                    "price" => t.price.iter_mut().for_each(|i| set(i, si)),
                    "storage_price" => t.storage_price.iter_mut().for_each(|i| set(i, si)),
                    "cpu" => t.cpu.iter_mut().for_each(|i| set(i, si)),
                    "size" => match t.cache.as_mut().and_then(|c| c.size.as_mut()) {
                        Some(CacheSize::Bytes(b)) => set(b, si),
                        Some(CacheSize::Keys(k)) => set(k, si),
                        None => {}
                    },
                    "hit_ratio" => {
                        t.cache.iter_mut().flat_map(|c| c.hit_ratio.iter_mut()).for_each(|i| set(i, si));
                        t.edge_hit_ratio.iter_mut().for_each(|i| set(i, si));
                    }
                    _ => {}
                }
            }
        }
    }
}
