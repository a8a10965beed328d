//! AST → [`Design`]: checks block keywords and field names (with "did you mean"), builds the
//! name space, evaluates every field with its dimension checked, applies defaults and
//! profiles (recording each as an assumption), and resolves paths. Collects all errors.
//!
//! Architecture Invariant: every diagnostic about a design's meaning is produced here or in
//! the evaluator it calls; the model receives only a valid design.

use super::eval::{Evaluated, Scope, expect_dim};
use super::fields::{self, BLOCKS, FieldSpec, Need, RESERVED, valid_range};
use super::profile::ProjectConfig;
use super::resolve::{list, suggest};
use super::scope::{Def, DesignScope};
use super::*;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::source::SourceFile;
use crate::syntax::ast::{self, ExprKind, Item};
use crate::units::{Dim, Quantity, format};
use std::collections::{BTreeMap, BTreeSet};

/// Lowers a parsed file into a validated design, or returns every error found.
pub fn lower(file: &ast::File, source: &SourceFile, config: &ProjectConfig) -> Result<Design, Diagnostics> {
    lower_restated(file, source, config, &Restated::default())
}

/// Lowers a parsed file with some inputs restated for the whole run (a sweep's value), its
/// scenarios included: each scenario reads the restated base and restates its own inputs on
/// top.
pub fn lower_restated(
    file: &ast::File,
    source: &SourceFile,
    config: &ProjectConfig,
    base: &Restated,
) -> Result<Design, Diagnostics> {
    let mut design = lower_with(file, source, config, base)?;
    design.scenarios = super::extras::scenarios(file, source, config, &design, base)?;
    Ok(design)
}

/// Lowers a parsed file with some inputs replaced by given values: a scenario of the design.
pub fn lower_with(
    file: &ast::File,
    source: &SourceFile,
    config: &ProjectConfig,
    overrides: &Restated,
) -> Result<Design, Diagnostics> {
    let record_sums = super::extras::record_sums(file);
    let mut cx = Lowerer::new(source, config, overrides, &record_sums);
    let blocks = cx.collect(file);
    let design = cx.build(file, &blocks);
    if cx.errors.is_empty() {
        Ok(design)
    } else {
        // An ambiguous `m` is retold for the field it is written in (a count, a duration, a size).
        let mut errors = std::mem::take(&mut cx.errors);
        for e in errors.iter_mut().filter(|e| e.code == "fermi::ambiguous-suffix") {
            if let Some(want) = cx.field_dim_at(e.primary_span()) {
                *e = super::quantity::ambiguous_m_for_field(e.clone(), want);
            }
        }
        cx.errors = errors;
        cx.errors.sort_by_key(|d| d.primary_span());
        cx.errors.dedup();
        Err(Diagnostics(cap(cx.errors)))
    }
}

/// The most errors one lowering reports; the rest are counted in a last, located error.
pub(crate) const MAX_ERRORS: usize = 50;

/// The first [`MAX_ERRORS`] errors in source order, then one that counts the rest and points
/// at the first of them: a broken chain of thousands of names would otherwise print
/// thousands of screens (and take seconds to render).
fn cap(mut errors: Vec<Diagnostic>) -> Vec<Diagnostic> {
    if errors.len() <= MAX_ERRORS {
        return errors;
    }
    let rest = errors.split_off(MAX_ERRORS);
    let span = rest.first().map_or(crate::source::Span::default(), Diagnostic::primary_span);
    errors.push(
        Diagnostic::error(
            "fermi::too-many-errors",
            format!("{} more errors from here on are not shown (the first {MAX_ERRORS} are above)", rest.len()),
            span,
            "the next error",
        )
        .with_help("fix the errors above and run again; later ones often follow from them"),
    );
    errors
}

/// What a lowering replaces: input values (a scenario), chosen shapes (`cheapest`) and the
/// day length (`--rounded`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Restated {
    /// The interview day: 100K seconds a day whatever the design says (`--rounded`).
    pub interview_day: bool,
    /// Values that replace inputs, by dotted name, with where they were written.
    pub values: BTreeMap<String, (crate::units::Value, crate::source::Span)>,
    /// The shape a `profile = cheapest(…)` tier takes, by tier name.
    pub shapes: BTreeMap<String, String>,
}

/// A block's fields by key, after duplicate and unknown-name checks.
pub(super) struct BlockFields<'a> {
    pub(super) name: Option<String>,
    pub(super) span: crate::source::Span,
    pub(super) fields: BTreeMap<String, &'a ast::Field>,
}

#[derive(Default)]
pub(super) struct Blocks<'a> {
    pub(super) top: BTreeMap<String, &'a ast::Field>,
    pub(super) singles: BTreeMap<&'static str, BlockFields<'a>>,
    pub(super) requests: Vec<BlockFields<'a>>,
    pub(super) tiers: Vec<BlockFields<'a>>,
    /// `record` and `scenario` blocks: their field keys are the design's own names.
    pub(super) records: Vec<&'a ast::Block>,
    pub(super) scenarios: Vec<&'a ast::Block>,
}

pub(super) struct Lowerer<'a> {
    pub(super) source: &'a SourceFile,
    pub(super) config: &'a ProjectConfig,
    pub(super) errors: Vec<Diagnostic>,
    pub(super) scope: DesignScope<'a>,
    pub(super) origins: BTreeMap<String, Origin>,
    pub(super) assumptions: Vec<Assumption>,
    /// The assumptions already listed, to keep each once without scanning the list (that scan
    /// made lowering quadratic in tiers: 10,000 tiers took 55 s).
    assumed: std::collections::BTreeSet<(String, String, String)>,
    /// Inputs and lets whose values depend on an uncertain leaf, in lowering order.
    uncertain: Vec<String>,
    /// Values that replace inputs (a scenario being lowered), by dotted name.
    pub(super) overrides: &'a Restated,
    /// Record sizes: the sum of each record's fields, as expressions, by record name.
    pub(super) record_sums: &'a BTreeMap<String, ast::Expr>,
}

impl<'a> Lowerer<'a> {
    pub(super) fn new(
        source: &'a SourceFile,
        config: &'a ProjectConfig,
        overrides: &'a Restated,
        record_sums: &'a BTreeMap<String, ast::Expr>,
    ) -> Self {
        Lowerer {
            source,
            config,
            errors: Vec::new(),
            scope: DesignScope::new(BTreeSet::new()),
            origins: BTreeMap::new(),
            assumptions: Vec::new(),
            assumed: std::collections::BTreeSet::new(),
            uncertain: Vec::new(),
            overrides,
            record_sums,
        }
    }

    /// Sorts items into blocks, checking keywords, names and field keys.
    pub(super) fn collect(&mut self, file: &'a ast::File) -> Blocks<'a> {
        let mut blocks = Blocks::default();
        let mut names: BTreeMap<String, crate::source::Span> = BTreeMap::new();
        for item in &file.items {
            match item {
                Item::Field(f) => {
                    if let Some(fields) = self.check_field(f, fields::TOP, "the design's top level", &blocks.top) {
                        blocks.top.insert(fields, f);
                    }
                }
                Item::Block(b) => self.collect_block(b, &mut blocks, &mut names),
                Item::Let(l) => {
                    if let Some(prev) = names.insert(l.name.node.clone(), l.name.span) {
                        self.errors.push(duplicate(&l.name.node, l.name.span, prev));
                    }
                }
                Item::Assert(_) | Item::Correlate(_) => {}
            }
        }
        let requests: BTreeSet<String> = blocks.requests.iter().filter_map(|b| b.name.clone()).collect();
        self.scope = DesignScope::new(requests);
        blocks
    }

    fn collect_block(
        &mut self,
        b: &'a ast::Block,
        blocks: &mut Blocks<'a>,
        names: &mut BTreeMap<String, crate::source::Span>,
    ) {
        let kw = b.keyword.node.as_str();
        let Some((keyword, specs)) = BLOCKS.iter().find(|(k, _)| *k == kw) else {
            let diag = Diagnostic::error(
                "fermi::unknown-block",
                format!("unknown block `{kw}`"),
                b.keyword.span,
                "not a block",
            );
            let help = match suggest(kw, BLOCKS.iter().map(|(k, _)| *k)) {
                Some(s) => format!("did you mean `{s}`?"),
                None => "blocks are users, request NAME, storage, slo, tier NAME and workload".to_string(),
            };
            self.errors.push(diag.with_help(help));
            return;
        };
        let named = matches!(*keyword, "request" | "tier" | "scenario" | "record");
        match (&b.name, named) {
            (None, true) => {
                self.errors.push(
                    Diagnostic::error(
                        "fermi::missing-name",
                        format!("a `{kw}` block needs a name"),
                        b.keyword.span,
                        "name missing",
                    )
                    .with_help(format!("write `{kw} NAME {{ … }}`")),
                );
                return;
            }
            (Some(n), false) => {
                self.errors.push(
                    Diagnostic::error(
                        "fermi::unexpected-name",
                        format!("a `{kw}` block takes no name"),
                        n.span,
                        "remove this",
                    )
                    .with_help(format!("write `{kw} {{ … }}`")),
                );
                return;
            }
            _ => {}
        }
        if let Some(n) = &b.name {
            if RESERVED.contains(&n.node.as_str()) {
                self.errors.push(
                    Diagnostic::error(
                        "fermi::reserved-name",
                        format!("`{}` is reserved", n.node),
                        n.span,
                        "reserved name",
                    )
                    .with_help("choose another name; block and result names cannot name a request or tier"),
                );
            } else if let Some(prev) = names.insert(n.node.clone(), n.span) {
                self.errors.push(duplicate(&n.node, n.span, prev));
            }
        }
        if matches!(*keyword, "scenario" | "record") {
            let mut seen: BTreeMap<&str, crate::source::Span> = BTreeMap::new();
            for f in &b.fields {
                if let Some(prev) = seen.insert(f.key.node.as_str(), f.key.span) {
                    self.errors.push(duplicate(&f.key.node, f.key.span, prev));
                }
            }
            if *keyword == "scenario" {
                blocks.scenarios.push(b);
            } else {
                blocks.records.push(b);
            }
            return;
        }
        let mut fields: BTreeMap<String, &'a ast::Field> = BTreeMap::new();
        let context = match &b.name {
            Some(n) => format!("{kw} `{}`", n.node),
            None => format!("`{kw}`"),
        };
        for f in &b.fields {
            if let Some(key) = self.check_field(f, specs, &context, &fields) {
                fields.insert(key, f);
            }
        }
        let head = b.name.as_ref().map_or(b.keyword.span, |n| b.keyword.span.join(n.span));
        let bf = BlockFields { name: b.name.as_ref().map(|n| n.node.clone()), span: head, fields };
        match *keyword {
            "request" => blocks.requests.push(bf),
            "tier" => blocks.tiers.push(bf),
            single => {
                if let Some(prev) = blocks.singles.get(single) {
                    self.errors.push(
                        Diagnostic::error(
                            "fermi::duplicate-block",
                            format!("`{single}` is written twice"),
                            b.keyword.span,
                            "second one",
                        )
                        .with_note(prev.span, "first one")
                        .with_help("merge the two blocks into one"),
                    );
                } else {
                    blocks.singles.insert(single, bf);
                }
            }
        }
    }

    /// Checks a field's key; returns the key to store it under.
    fn check_field(
        &mut self,
        f: &ast::Field,
        specs: &[FieldSpec],
        context: &str,
        seen: &BTreeMap<String, &ast::Field>,
    ) -> Option<String> {
        let key = f.key.node.as_str();
        let Some(spec) = fields::spec(specs, key) else {
            let diag = Diagnostic::error(
                "fermi::unknown-field",
                format!("unknown field `{key}` in {context}"),
                f.key.span,
                "not a field here",
            );
            // words people reach for that the language spells otherwise
            let synonym = match key {
                "cost" | "costs" => Some("price"),
                "rps" | "qps" | "throughput" => Some("capacity"),
                "ram" => Some("memory"),
                "storage" => Some("disk"),
                _ => None,
            }
            .filter(|s| specs.iter().any(|x| x.name == *s));
            let help = match synonym.or_else(|| suggest(key, specs.iter().map(|s| s.name))) {
                Some(s) => format!("did you mean `{s}`?"),
                None if key.contains('.') => {
                    "a dotted name restates another block's input only inside `scenario NAME { … }`".to_string()
                }
                None => format!("fields here: {}", specs.iter().map(|s| s.name).collect::<Vec<_>>().join(", ")),
            };
            self.errors.push(diag.with_help(help));
            return None;
        };
        let stored = if spec.name == "latency" && std::ptr::eq(specs.as_ptr(), fields::SLO.as_ptr()) {
            let Some(label) = key.strip_prefix("latency ") else {
                self.errors.push(
                    Diagnostic::error(
                        "fermi::latency-percentile",
                        "`latency` needs a percentile",
                        f.key.span,
                        "which percentile?",
                    )
                    .with_help("write `latency p99 = 100 ms`"),
                );
                return None;
            };
            if quantile(label).is_none() {
                self.errors.push(
                    Diagnostic::error(
                        "fermi::latency-percentile",
                        format!("`{label}` is not a percentile"),
                        f.key.span,
                        "expected pNN",
                    )
                    .with_help(if label == "p100" || label == "p0" {
                        "p0 and p100 are the minimum and maximum, not percentiles a latency SLO can hold: write p99 or p999"
                    } else {
                        "percentiles are written p1 to p99.9999: p50, p90, p95, p99, p999 (99.9%), p9999"
                    }),
                );
                return None;
            }
            format!("latency.{label}")
        } else {
            key.to_string()
        };
        if let Some(prev) = seen.get(&stored) {
            self.errors.push(duplicate(key, f.key.span, prev.key.span));
            return None;
        }
        Some(stored)
    }

    /// Defines every name, then evaluates the design.
    fn build(&mut self, file: &'a ast::File, blocks: &Blocks<'a>) -> Design {
        self.define_all(file, blocks);
        self.apply_overrides();
        let year = self.num_or_default::<Duration>("calendar", Dim::TIME);
        if year.value.si() > 0.0 {
            self.scope.set_year_seconds(year.value.si());
        }
        let seconds_per_day = self.seconds_per_day();
        let users = self.users(blocks.singles.contains_key("users"));
        let tier_index = super::blocks::TierIndex::of(&blocks.tiers);
        let mut requests = blocks.requests.iter().map(|b| self.request(b, &tier_index)).collect::<Vec<_>>();
        let storage = Storage {
            retention: self.num_or_default("storage.retention", Dim::TIME),
            replication: self.num_or_default("storage.replication", Dim::NONE),
            overhead: self.num_or_default("storage.overhead", Dim::NONE),
        };
        let slo = self.slo(blocks.singles.get("slo"));
        let tiers = blocks.tiers.iter().map(|b| self.tier(b)).collect::<Vec<_>>();
        for (r, b) in requests.iter_mut().zip(&blocks.requests) {
            r.placements = self.placements(r, b, &tiers);
            r.per_second = self.per_second(b, &blocks.requests);
        }
        if users.concurrent.is_none() && self.scope.def("users.concurrent").is_none() {
            for (t, b) in tiers.iter().zip(&blocks.tiers) {
                if let (Some(_), Some(f)) = (&t.connections, b.fields.get("connections")) {
                    self.errors.push(
                        Diagnostic::error(
                            "fermi::missing-field",
                            format!(
                                "tier `{}` holds connections, but the design does not say how many users hold one",
                                t.name
                            ),
                            f.key.span,
                            "connections of whom?",
                        )
                        .with_help("add `users { concurrent = 10% of users.dau }` (peak concurrent users)"),
                    );
                }
            }
        }
        let workload = self.workload(blocks.singles.get("workload"));
        let records = self.records(&blocks.records);
        let cost = self.cost();
        let hop = self.num_or_default("hop", Dim::TIME);
        let priced = tiers.iter().any(|t| t.price.is_some() || t.storage_price.is_some())
            || cost.egress.is_some()
            || cost.cdn.is_some();
        if priced {
            for t in tiers.iter().filter(|t| t.price.is_none() && t.storage_price.is_none()) {
                self.assume(
                    &format!("{}.price", t.name),
                    "unpriced",
                    "no `price` or `storage_price` stated: this tier adds nothing to cost.monthly",
                );
            }
            if cost.egress.is_none() {
                self.assume(
                    "cost.egress",
                    "unpriced",
                    "no `cost { egress = … }`: origin egress adds nothing to cost.monthly",
                );
            }
        }
        let lets = self.lets(file);
        let asserts = self.asserts(file);
        let summary = match blocks.top.get("summary").map(|f| &f.value.kind) {
            Some(ExprKind::Str(s)) => s.clone(),
            Some(_) => {
                if let Some(f) = blocks.top.get("summary") {
                    self.errors.push(
                        Diagnostic::error("fermi::type", "`summary` needs a string", f.value.span, "not a string")
                            .with_help("write `summary = \"What this system does.\"`"),
                    );
                }
                String::new()
            }
            None => String::new(),
        };
        let spans = self
            .origins
            .iter()
            .filter_map(|(k, o)| match o {
                Origin::Written { span } => Some((k.clone(), *span)),
                _ => None,
            })
            .collect();
        if self.overrides.interview_day {
            self.assumptions.push(Assumption {
                name: "seconds_per_day".into(),
                value: "100K".into(),
                why: "interview shortcut (--rounded)".into(),
            });
        }
        Design {
            name: file.name.node.clone(),
            summary,
            seconds_per_day,
            year,
            hop,
            cost,
            records,
            scenarios: Vec::new(),
            users,
            requests,
            storage,
            slo,
            tiers,
            workload,
            lets,
            asserts,
            assumptions: std::mem::take(&mut self.assumptions),
            spans,
            sampler: self.sampler(file),
        }
    }

    /// How to sample the design, with its `correlate` statements applied.
    fn sampler(&mut self, file: &ast::File) -> Option<std::sync::Arc<super::sample::Sampler>> {
        let text = self.source.text();
        let inputs = std::mem::take(&mut self.uncertain);
        let show = |span: crate::source::Span| {
            text.get(span.start as usize..span.end as usize)
                .unwrap_or("")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        };
        let mut sampler = self.scope.sampler(inputs, show);
        let statements: Vec<&ast::Correlate> =
            file.items.iter().filter_map(|i| if let Item::Correlate(c) = i { Some(c) } else { None }).collect();
        let (mut pairs, mut last) = (Vec::new(), None);
        for c in &statements {
            match self.correlation(c, sampler.as_ref(), &pairs) {
                Ok(pair) => {
                    pairs.push(pair);
                    last = Some(c.span);
                }
                Err(d) => self.errors.push(d),
            }
        }
        if let (Some(s), Some(last)) = (sampler.as_mut(), last)
            && s.set_correlations(pairs).is_err()
        {
            self.errors.push(
                Diagnostic::error(
                    "fermi::correlation",
                    "these correlations cannot all hold together",
                    last,
                    "inconsistent with the others",
                )
                .with_help("weaken one of them: a, b and c cannot be pairwise this strongly correlated"),
            );
        }
        sampler.map(std::sync::Arc::new)
    }

    /// One `correlate a, b = ρ`: the two leaves it names and the coefficient.
    fn correlation(
        &mut self,
        c: &ast::Correlate,
        sampler: Option<&super::sample::Sampler>,
        earlier: &[(usize, usize, f64)],
    ) -> Result<(usize, usize, f64), Diagnostic> {
        let leaf = |e: &ast::Expr| -> Result<usize, Diagnostic> {
            let ExprKind::Ref(parts) = &e.kind else {
                return Err(Diagnostic::error(
                    "fermi::correlation",
                    "`correlate` takes the names of two uncertain inputs",
                    e.span,
                    "not a name",
                )
                .with_help("write `correlate users.dau, reads_per_write = 0.8`"));
            };
            let name = parts.iter().map(|p| p.node.as_str()).collect::<Vec<_>>().join(".");
            let found: Vec<usize> = sampler
                .map(|s| s.leaves().iter().enumerate().filter(|(_, l)| l.name == name).map(|(k, _)| k).collect())
                .unwrap_or_default();
            match found.as_slice() {
                [k] => Ok(*k),
                [] => Err(Diagnostic::error(
                    "fermi::correlation",
                    format!("`{name}` is not an uncertain input"),
                    e.span,
                    "written without a range",
                )
                .with_help(format!(
                    "correlate inputs written as ranges or spreads: `{name} = LOW to HIGH`, `x ± 10%`"
                ))),
                many => Err(Diagnostic::error(
                    "fermi::correlation",
                    format!("`{name}` holds {} uncertain values", many.len()),
                    e.span,
                    "which one?",
                )
                .with_help("give the one to correlate its own `let` and correlate that")),
            }
        };
        let (a, b) = (leaf(&c.left)?, leaf(&c.right)?);
        if a == b {
            return Err(Diagnostic::error(
                "fermi::correlation",
                "an input cannot be correlated with itself",
                c.right.span,
                "the same input",
            )
            .with_help("name two different uncertain inputs"));
        }
        if earlier.iter().any(|&(x, y, _)| (x, y) == (a, b) || (x, y) == (b, a)) {
            return Err(Diagnostic::error(
                "fermi::correlation",
                "these two inputs are already correlated",
                c.span,
                "again",
            )
            .with_help("keep one `correlate` statement per pair"));
        }
        let rho = super::eval::eval(&c.coefficient, &mut self.scope)?;
        if rho.value.dim != Dim::NONE || !(rho.value.si > -1.0 && rho.value.si < 1.0) || rho.uncertain {
            return Err(Diagnostic::error(
                "fermi::correlation",
                "a correlation is a number between −1 and 1",
                c.coefficient.span,
                "not strictly between −1 and 1",
            )
            .with_help("write `correlate a, b = 0.8` (or 80%); for a perfect correlation, compute one input from the other with a `let`"));
        }
        Ok((a, b, rho.value.si))
    }

    /// The dimension the written field around `at` needs, when it is a plain count, a
    /// duration or a data size.
    fn field_dim_at(&self, at: crate::source::Span) -> Option<Dim> {
        let (name, _) = self
            .origins
            .iter()
            .find(|(_, o)| matches!(o, Origin::Written { span } if span.start <= at.start && at.end <= span.end))?;
        let key = name.rsplit('.').next().unwrap_or(name);
        let spec = std::iter::once(fields::TOP)
            .chain(BLOCKS.iter().map(|(_, s)| *s))
            .find_map(|specs| specs.iter().find(|s| s.name == key))?;
        match spec.need {
            Need::Number | Need::CountOrAuto => Some(Dim::NONE),
            Need::Time | Need::Seconds => Some(Dim::TIME),
            Need::Data | Need::Size => Some(Dim::DATA),
            _ => None,
        }
    }

    pub(super) fn define_all(&mut self, file: &'a ast::File, blocks: &Blocks<'a>) {
        self.define_block("", &blocks.top, fields::TOP);
        for (kw, specs) in BLOCKS.iter().filter(|(k, _)| !matches!(*k, "request" | "tier")) {
            let empty = BTreeMap::new();
            let fields = blocks.singles.get(kw).map_or(&empty, |b| &b.fields);
            self.define_block(&format!("{kw}."), fields, specs);
        }
        for b in &blocks.requests {
            let prefix = format!("{}.", b.name.clone().unwrap_or_default());
            self.define_block(&prefix, &b.fields, fields::REQUEST);
        }
        for b in &blocks.tiers {
            let name = b.name.clone().unwrap_or_default();
            self.define_block(&format!("{name}."), &b.fields, fields::TIER);
            self.define_profile(&name, b);
        }
        for (key, pv) in &self.config.defaults {
            let name = if key == "peak" { "users.peak".to_string() } else { key.clone() };
            if !matches!(self.origins.get(&name), Some(Origin::Written { .. })) {
                self.scope.define(name.clone(), Def::Value(pv.value));
                self.origins.insert(name, Origin::Config { text: pv.text.clone() });
            }
        }
        for item in &file.items {
            if let Item::Let(l) = item {
                self.scope.define(l.name.node.clone(), Def::Expr(&l.value));
                self.origins.insert(l.name.node.clone(), Origin::Written { span: l.span });
            }
        }
        self.define_records(&blocks.records);
        self.define_placements(&blocks.requests);
    }

    fn define_block(&mut self, prefix: &str, written: &BTreeMap<String, &'a ast::Field>, specs: &[FieldSpec]) {
        for (key, f) in written {
            if is_numeric(fields::spec(specs, &key.replace('.', " ")).map(|s| s.need)) {
                let name = format!("{prefix}{key}");
                self.scope.define(name.clone(), Def::Expr(&f.value));
                self.origins.insert(name, Origin::Written { span: f.span });
            }
        }
        for spec in specs {
            let name = format!("{prefix}{}", spec.name);
            if let (Some(default), true) = (spec.default, is_numeric(Some(spec.need)))
                && !self.scope.is_defined(&name)
            {
                self.scope.define(name.clone(), Def::Default(default));
                self.origins.insert(name, Origin::Default { text: default });
            }
        }
    }

    fn define_profile(&mut self, tier: &str, b: &BlockFields<'a>) {
        let Some(f) = b.fields.get("profile") else {
            return;
        };
        let names: Vec<(String, crate::source::Span)> = match &f.value.kind {
            ExprKind::Call { name, args } if name.node == "cheapest" => {
                let names: Vec<(String, crate::source::Span)> =
                    args.iter().filter_map(|a| a.value.as_ref_name().map(|n| (n, a.value.span))).collect();
                if names.is_empty() || names.len() != args.len() {
                    self.errors.push(
                        Diagnostic::error(
                            "fermi::type",
                            "`cheapest` takes the names of the shapes to choose from",
                            f.value.span,
                            "not a list of profile names",
                        )
                        .with_help("write `profile = cheapest(m7i.xlarge, c7i.xlarge, r7i.xlarge)`"),
                    );
                    return;
                }
                names
            }
            _ => match f.value.as_ref_name() {
                Some(n) => vec![(n, f.value.span)],
                None => {
                    self.errors.push(
                        Diagnostic::error("fermi::type", "`profile` needs a profile name", f.value.span, "not a name")
                            .with_help("write `profile = redis` or `profile = cheapest(m7i.xlarge, c7i.xlarge)`"),
                    );
                    return;
                }
            },
        };
        let mut found = Vec::new();
        for (name, span) in &names {
            if self.config.profiles.get(name).is_some() {
                found.push(name.clone());
                continue;
            }
            let known: Vec<String> = self.config.profiles.0.keys().cloned().collect();
            let diag = Diagnostic::error(
                "fermi::unknown-profile",
                format!("unknown profile `{name}`"),
                *span,
                "no such profile",
            );
            let help = match suggest(name, known.iter().map(String::as_str)) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("profiles are {}; define more in fermi.toml under [profile.NAME]", list(&known)),
            };
            self.errors.push(diag.with_help(help));
        }
        let chosen = self.overrides.shapes.get(tier).cloned().or_else(|| found.first().cloned());
        let Some(profile) = chosen.and_then(|n| self.config.profiles.get(&n)) else {
            return;
        };
        for (field, pv) in &profile.fields {
            let key = format!("{tier}.{field}");
            if !b.fields.contains_key(field) {
                self.scope.define(key.clone(), Def::Value(pv.value));
                self.origins
                    .insert(key, Origin::Profile { profile: profile.name.clone(), source: profile.source.clone() });
            }
        }
        // A shape states vCPUs; with `cpu` (CPU time per call) they give the capacity.
        let capacity = format!("{tier}.capacity");
        if let (false, Some(vcpus), Some(cpu)) =
            (b.fields.contains_key("capacity"), profile.fields.get("vcpus"), b.fields.get("cpu"))
        {
            let cpu = match self.scope.get(&format!("{tier}.cpu"), cpu.span) {
                Ok(Some(v)) if v.value.dim == Dim::TIME && v.value.si > 0.0 => v.value.si,
                _ => return,
            };
            let rate = crate::units::Value::new(vcpus.value.value.si / cpu, Dim::RATE);
            self.scope.define(capacity.clone(), Def::Value(Evaluated { value: rate, spread: None, uncertain: false }));
            self.origins.insert(
                capacity,
                Origin::Profile {
                    profile: profile.name.clone(),
                    source: format!("{tier}.vcpus ÷ {tier}.cpu = {} vCPUs ÷ cpu per call", vcpus.text),
                },
            );
        }
    }

    /// Evaluates a defined name to a typed input, checking its dimension. Records an error
    /// and returns `None` when it fails or is undefined.
    pub(super) fn num<T: Quantity>(&mut self, name: &str, want: Dim) -> Option<Input<T>> {
        let span = match self.origins.get(name) {
            Some(Origin::Written { span }) => *span,
            _ => crate::source::Span::default(),
        };
        let def = self.scope.def(name).cloned()?;
        let v = match self.scope.get(name, span) {
            Ok(Some(v)) => v,
            Ok(None) => return None,
            Err(d) => {
                self.errors.push(d);
                return None;
            }
        };
        if let Def::Expr(e) = def {
            let field = name.rsplit('.').next().unwrap_or(name);
            if let Err(d) = expect_dim(&v, want, field, e, self.source.text()) {
                self.errors.push(d);
                return None;
            }
        } else if v.value.dim != want {
            return None;
        }
        if let Err(d) = check_bounds(name, v.value.si, &def, span, self.source) {
            self.errors.push(d);
            return None;
        }
        Some(self.input(name, v, want))
    }

    /// Like [`Self::num`] for a field that always has a default.
    pub(super) fn num_or_default<T: Quantity>(&mut self, name: &str, want: Dim) -> Input<T> {
        self.num(name, want).unwrap_or_else(|| Input::default(T::from_si(0.0), "(invalid)"))
    }

    pub(super) fn input<T: Quantity>(&mut self, name: &str, v: Evaluated, _want: Dim) -> Input<T> {
        let origin = self.origins.get(name).cloned().unwrap_or(Origin::Default { text: "" });
        let shown = format::human(v.value, format::Style::for_dim(v.value.dim), format::NORMAL_DIGITS);
        match &origin {
            Origin::Default { text } => self.assume(name, text, "fermi default"),
            Origin::Profile { profile, source } => {
                let why = format!("profile `{profile}` ({source})");
                let text = self
                    .config
                    .profiles
                    .get(profile)
                    .and_then(|p| p.fields.get(name.rsplit('.').next().unwrap_or("")))
                    .map_or(shown.clone(), |pv| pv.text.clone());
                self.assume(name, &text, &why)
            }
            Origin::Config { text } => self.assume(name, text, "project default (fermi.toml)"),
            Origin::Written { .. } => {}
        }
        if let (Some(spread), false) = (v.spread, matches!(origin, Origin::Default { .. })) {
            let show =
                |x| format::human(crate::units::Value::new(x, v.value.dim), format::Style::for_dim(v.value.dim), 4);
            self.assume(name, &shown, &format!("{}; Monte Carlo samples the spread", spread.describe(show)));
        } else if v.uncertain {
            self.assume(name, &shown, "depends on uncertain inputs (shown at their medians); Monte Carlo samples it");
        }
        if v.uncertain && !self.uncertain.iter().any(|n| n == name) {
            self.uncertain.push(name.to_string());
        }
        Input { value: T::from_si(v.value.si), spread: v.spread, uncertain: v.uncertain, origin }
    }

    pub(super) fn assume(&mut self, name: &str, value: &str, why: &str) {
        let a = Assumption { name: name.to_string(), value: value.to_string(), why: why.to_string() };
        if self.assumed.insert((a.name.clone(), a.value.clone(), a.why.clone())) {
            self.assumptions.push(a);
        }
    }

    fn seconds_per_day(&mut self) -> Input<Duration> {
        let name = "seconds_per_day";
        let v = match self.scope.get(name, crate::source::Span::default()) {
            Ok(Some(v)) => v,
            Ok(None) => Evaluated::exact(crate::units::Value::number(86_400.0)),
            Err(d) => {
                self.errors.push(d);
                Evaluated::exact(crate::units::Value::number(86_400.0))
            }
        };
        let v = match v.value.dim {
            d if d == Dim::NONE || d == Dim::TIME => {
                Evaluated { value: crate::units::Value::new(v.value.si, Dim::TIME), ..v }
            }
            d => {
                let span = self
                    .origins
                    .get(name)
                    .and_then(|o| if let Origin::Written { span } = o { Some(*span) } else { None })
                    .unwrap_or_default();
                self.errors.push(
                    Diagnostic::error(
                        "fermi::dimension-mismatch",
                        format!("`seconds_per_day` needs a number of seconds; this is {}", d.describe()),
                        span,
                        "not seconds",
                    )
                    .with_help("write `seconds_per_day = 100K` for the interview shortcut"),
                );
                Evaluated::exact(crate::units::Value::new(86_400.0, Dim::TIME))
            }
        };
        if v.value.si <= 0.0 {
            let span = self
                .origins
                .get(name)
                .and_then(|o| if let Origin::Written { span } = o { Some(*span) } else { None })
                .unwrap_or_default();
            self.errors.push(Diagnostic::error(
                "fermi::out-of-range",
                "`seconds_per_day` must be positive",
                span,
                "not positive",
            ));
        }
        let written = self.input(name, v, Dim::TIME);
        if !self.overrides.interview_day {
            return written;
        }
        Input {
            value: Duration::from_si(100_000.0),
            spread: None,
            uncertain: false,
            origin: Origin::Config { text: "100K (--rounded)".into() },
        }
    }

    fn users(&mut self, _present: bool) -> Users {
        let dau = if self.origins.contains_key("users.dau") { self.num("users.dau", Dim::NONE) } else { None };
        let growth = match self.scope.get("users.growth", crate::source::Span::default()) {
            Ok(Some(v)) if v.value.dim == Dim::RATE => {
                let per_year = v.value.si * self.scope.year_seconds();
                self.input("users.growth", Evaluated { value: crate::units::Value::number(per_year), ..v }, Dim::NONE)
            }
            Ok(Some(v)) if v.value.dim == Dim::NONE => self.input("users.growth", v, Dim::NONE),
            Ok(Some(v)) => {
                let span = self
                    .origins
                    .get("users.growth")
                    .and_then(|o| if let Origin::Written { span } = o { Some(*span) } else { None })
                    .unwrap_or_default();
                self.errors.push(
                    Diagnostic::error(
                        "fermi::dimension-mismatch",
                        format!("`growth` needs a fraction per year; this is {}", v.value.dim.describe()),
                        span,
                        "not a growth rate",
                    )
                    .with_help("write `growth = 20% per year`"),
                );
                Input::default(Ratio::from_si(0.0), "0% per year")
            }
            Ok(None) => Input::default(Ratio::from_si(0.0), "0% per year"),
            Err(d) => {
                self.errors.push(d);
                Input::default(Ratio::from_si(0.0), "0% per year")
            }
        };
        let horizon =
            if self.origins.contains_key("users.horizon") { self.num("users.horizon", Dim::TIME) } else { None };
        if growth.value.si() <= -1.0 {
            let span = match self.origins.get("users.growth") {
                Some(Origin::Written { span }) => *span,
                _ => crate::source::Span::default(),
            };
            self.errors.push(
                Diagnostic::error(
                    "fermi::out-of-range",
                    "`growth` must be above −100% per year: at −100% every user is gone after a year",
                    span,
                    "at or below −100%",
                )
                .with_help("write a shrink as `growth = -20% per year`"),
            );
        }
        let concurrent = match self.scope.def("users.concurrent") {
            // `10%` alone is a share of nothing: 0.1 users
            Some(super::scope::Def::Expr(e)) if super::blocks::bare_percentage(e) => {
                let written = self.source.slice(e.span).to_string();
                self.errors.push(
                    Diagnostic::error(
                        "fermi::bare-percentage",
                        format!("`concurrent = {written}` is a share of nothing: concurrent users are a count"),
                        e.span,
                        "a bare percentage",
                    )
                    .with_help(format!("did you mean `concurrent = {written} of users.dau`?")),
                );
                None
            }
            Some(_) => self.num("users.concurrent", Dim::NONE),
            None => None,
        };
        let elapsed = self.overrides.values.get("users.elapsed").map_or(0.0, |(v, _)| v.si);
        Users { dau, peak: self.num_or_default("users.peak", Dim::NONE), growth, horizon, concurrent, elapsed }
    }

    fn lets(&mut self, file: &ast::File) -> Vec<LetValue> {
        let mut out = Vec::new();
        for item in &file.items {
            if let Item::Let(l) = item {
                match self.scope.get(&l.name.node, l.span) {
                    Ok(Some(v)) => {
                        if v.uncertain {
                            self.uncertain.push(l.name.node.clone());
                        }
                        out.push(LetValue { name: l.name.node.clone(), value: v, span: l.span })
                    }
                    Ok(None) => {}
                    Err(d) => self.errors.push(d),
                }
            }
        }
        out
    }

    fn asserts(&mut self, file: &ast::File) -> Vec<AssertSpec> {
        let mut out = Vec::new();
        for item in &file.items {
            let Item::Assert(a) = item else { continue };
            let within = match &a.within {
                None => None,
                Some(e) => match super::eval::eval(e, &mut self.scope) {
                    Ok(v) if v.value.dim == Dim::NONE && v.value.si >= 0.0 => Some(v.value.si),
                    Ok(_) => {
                        self.errors.push(Diagnostic::error(
                            "fermi::type",
                            "`within` needs a tolerance such as `5%`",
                            e.span,
                            "not a tolerance",
                        ));
                        None
                    }
                    Err(d) => {
                        self.errors.push(d);
                        None
                    }
                },
            };
            if within.is_some() && a.cmp.node != ast::Cmp::Eq {
                self.errors.push(
                    Diagnostic::error("fermi::type", "`within` goes with `==`", a.cmp.span, "not `==`")
                        .with_help("write `assert a == b within 5%`"),
                );
            }
            out.push(AssertSpec {
                left: a.left.clone(),
                cmp: a.cmp.node,
                right: a.right.clone(),
                within,
                span: a.span,
                text: self.source.slice(a.span).to_string(),
            });
        }
        out
    }
}

/// Whether a field's value is a number the scope evaluates (not a word, path or text).
fn is_numeric(need: Option<Need>) -> bool {
    matches!(
        need,
        Some(
            Need::Number
                | Need::Data
                | Need::Time
                | Need::Rate
                | Need::Size
                | Need::Growth
                | Need::Seconds
                | Need::DataRate
                | Need::Price
                | Need::PricePerData
                | Need::PricePerDataTime
        )
    )
}

/// `p99` → 0.99, `p999` → 0.999, `p50` → 0.5, `p5` → 0.05, `p99.9` → 0.999: p1 to p99.9999
/// as written; p0 and p100 are not percentiles.
pub fn percentile(label: &str) -> Option<f64> {
    let digits = label.strip_prefix('p')?;
    let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let all_digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty() || !all_digits(whole) || !all_digits(frac) || whole.starts_with('0') {
        return None;
    }
    let percent: f64 = if !frac.is_empty() {
        if whole.len() > 2 || frac.len() > 4 {
            return None;
        }
        format!("{whole}.{frac}").parse().ok()?
    } else if whole.len() <= 2 {
        whole.parse().ok()?
    } else if whole.starts_with("99") && whole.len() <= 6 {
        format!("{}.{}", &whole[..2], &whole[2..]).parse().ok()?
    } else {
        return None;
    };
    (percent > 0.0 && percent < 100.0).then_some(percent / 100.0)
}

pub(super) fn quantile(label: &str) -> Option<f64> {
    percentile(label)
}

fn duplicate(name: &str, span: crate::source::Span, prev: crate::source::Span) -> Diagnostic {
    Diagnostic::error("fermi::duplicate", format!("`{name}` is defined twice"), span, "second definition")
        .with_note(prev, "first defined here")
        .with_help("remove one of them or rename it")
}

fn check_bounds(
    name: &str,
    v: f64,
    def: &Def<'_>,
    span: crate::source::Span,
    source: &SourceFile,
) -> Result<(), Diagnostic> {
    let field = name.rsplit('.').next().unwrap_or(name);
    let problem = match valid_range(field) {
        Some((lo, hi)) if !(lo..=hi).contains(&v) => Some(match field {
            "availability" if v == 0.0 => "must be above 0%",
            "availability" | "hit_ratio" | "cdn" => "must be between 0% and 100%",
            _ if lo == 1.0 => "must be at least 1",
            _ if lo > 0.0 => "must be positive",
            _ => "cannot be negative",
        }),
        _ => None,
    };
    let percent = matches!(field, "availability" | "hit_ratio" | "cdn") && v > 1.0 && v <= 100.0;
    match (problem, def) {
        (Some(p), Def::Expr(e)) if percent => {
            let written = source.slice(e.span);
            Err(Diagnostic::error(
                "fermi::out-of-range",
                format!("`{field}` {p}; `{written}` is not"),
                e.span,
                p.to_string(),
            )
            .with_help(format!("did you mean `{written}%`? a bare number is a fraction (0.9995 = 99.95%)")))
        }
        (Some(p), Def::Expr(e)) => Err(Diagnostic::error(
            "fermi::out-of-range",
            format!("`{field}` {p}; `{}` is not", source.slice(e.span)),
            e.span,
            p.to_string(),
        )),
        (Some(p), _) => Err(Diagnostic::error("fermi::out-of-range", format!("`{name}` {p}"), span, p.to_string())),
        (None, _) => Ok(()),
    }
}
