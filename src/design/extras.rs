//! Lowering of the language's version-2 statements: where a request's stored bytes live
//! (`stores = 500 KB in blob + 1 KB in meta`), whether its rate was stated per second or per
//! day (the interview day converts only the latter), `record` blocks, the `cost` block, and
//! `scenario` blocks with the built-in `horizon`.
//!
//! Architecture Invariant: a scenario is the same file lowered again with some inputs
//! replaced by values evaluated against the base design; nothing here estimates a plan.

use super::eval::{Evaluated, eval};
use super::fields::{self, STATEFUL_STORES};
use super::lower::{BlockFields, Lowerer, Restated, lower_with};
use super::profile::ProjectConfig;
use super::resolve::{list, suggest};
use super::scope::Def;
use super::*;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::source::SourceFile;
use crate::syntax::ast::{self, BinOp, ExprKind, Item, UnitOp};
use crate::units::{Dim, Quantity, Value};
use std::collections::BTreeMap;

/// Each record's size as one expression: the sum of its fields (its `key` names a field).
pub(super) fn record_sums(file: &ast::File) -> BTreeMap<String, ast::Expr> {
    let mut out = BTreeMap::new();
    for item in &file.items {
        let Item::Block(b) = item else { continue };
        let (true, Some(name)) = (b.keyword.node == "record", &b.name) else { continue };
        let mut sum: Option<ast::Expr> = None;
        for f in b.fields.iter().filter(|f| f.key.node != "key") {
            sum = Some(match sum {
                None => f.value.clone(),
                Some(left) => {
                    let span = left.span.join(f.value.span);
                    ast::Expr {
                        kind: ExprKind::Binary {
                            op: BinOp::Add,
                            left: Box::new(left),
                            right: Box::new(f.value.clone()),
                        },
                        span,
                    }
                }
            });
        }
        if let Some(sum) = sum {
            out.insert(name.node.clone(), sum);
        }
    }
    out
}

/// The top-level `+` terms of an expression, left to right.
fn terms(e: &ast::Expr) -> Vec<&ast::Expr> {
    match &e.kind {
        ExprKind::Binary { op: BinOp::Add, left, right } => {
            let mut v = terms(left);
            v.push(right);
            v
        }
        _ => vec![e],
    }
}

/// Whether an expression places bytes anywhere below its top-level sum (`in` nested inside
/// a product or parentheses is not a placement).
fn nested_in(e: &ast::Expr) -> Option<crate::source::Span> {
    match &e.kind {
        ExprKind::Binary { op: BinOp::In, .. } => Some(e.span),
        ExprKind::Binary { left, right, .. } | ExprKind::Range(left, right) | ExprKind::PlusMinus(left, right) => {
            nested_in(left).or_else(|| nested_in(right))
        }
        ExprKind::Neg(inner) => nested_in(inner),
        ExprKind::Call { args, .. } => args.iter().find_map(|a| nested_in(&a.value)),
        ExprKind::Path(hops) => hops.iter().find_map(nested_in),
        _ => None,
    }
}

impl<'a> Lowerer<'a> {
    /// Defines `REQ.stores.TIER` for every `… in TIER` part of a `stores` field, so each part
    /// is a named input (explained, sampled) like any other.
    pub(super) fn define_placements(&mut self, requests: &[BlockFields<'a>]) {
        for b in requests {
            let Some(f) = b.fields.get("stores") else { continue };
            let name = b.name.clone().unwrap_or_default();
            let mut seen: BTreeMap<String, crate::source::Span> = BTreeMap::new();
            for term in terms(&f.value) {
                if let ExprKind::Binary { op: BinOp::In, left, right } = &term.kind {
                    let tier = right.as_ref_name().unwrap_or_default();
                    if let Some(prev) = seen.insert(tier.clone(), right.span) {
                        self.errors.push(
                            Diagnostic::error(
                                "fermi::duplicate",
                                format!("bytes are placed in `{tier}` twice"),
                                right.span,
                                "again here",
                            )
                            .with_note(prev, "first here")
                            .with_help(format!("add the sizes: `(a + b) in {tier}`")),
                        );
                        continue;
                    }
                    let key = format!("{name}.stores.{tier}");
                    self.scope.define(key.clone(), Def::Expr(left));
                    self.origins.insert(key, Origin::Written { span: term.span });
                } else if let Some(span) = nested_in(term) {
                    self.errors.push(
                        Diagnostic::error(
                            "fermi::placement",
                            "`in TIER` places a part of the stored bytes; it stands at the top of `stores`",
                            span,
                            "inside another expression",
                        )
                        .with_help("write `stores = 500 KB in blob + 1 KB in meta`"),
                    );
                }
            }
        }
    }

    /// Where a request's stored bytes live (contract v2, "Where stored bytes live").
    pub(super) fn placements(&mut self, r: &Request, b: &BlockFields<'a>, tiers: &[Tier]) -> Vec<Placement> {
        let stateful_on_path = |k: usize| STATEFUL_STORES.contains(&tiers[k].kind.name());
        let mut on_path: Vec<usize> = r.path.iter().map(|h| h.tier).filter(|&k| stateful_on_path(k)).collect();
        on_path.sort_unstable();
        on_path.dedup();
        let Some(f) = b.fields.get("stores") else {
            return Vec::new();
        };
        if r.stores.value.si() <= 0.0 && !r.stores.uncertain {
            return Vec::new();
        }
        let mut out = Vec::new();
        let mut plain = false;
        for term in terms(&f.value) {
            let ExprKind::Binary { op: BinOp::In, right, .. } = &term.kind else {
                plain = true;
                continue;
            };
            let tier_name = right.as_ref_name().unwrap_or_default();
            // on the path (the usual place, found in the path's length), else anywhere
            let found = r.path.iter().map(|h| h.tier).find(|&k| tiers.get(k).is_some_and(|t| t.name == tier_name));
            let Some(k) = found.or_else(|| tiers.iter().position(|t| t.name == tier_name)) else {
                let names: Vec<String> = tiers.iter().map(|t| t.name.clone()).collect();
                let diag = Diagnostic::error(
                    "fermi::unknown-tier",
                    format!("unknown tier `{tier_name}`; tiers are {}", list(&names)),
                    right.span,
                    "no such tier",
                );
                self.errors.push(match suggest(&tier_name, names.iter().map(String::as_str)) {
                    Some(s) => diag.with_help(format!("did you mean `{s}`?")),
                    None => diag.with_help("bytes live in a database, blob or search tier on the request's path"),
                });
                continue;
            };
            if !stateful_on_path(k) {
                self.errors.push(
                    Diagnostic::error(
                        "fermi::placement",
                        format!(
                            "`{tier_name}` is a {} tier; stored bytes live in a database, blob or search tier",
                            tiers[k].kind.name()
                        ),
                        right.span,
                        "cannot hold stored bytes",
                    )
                    .with_help(if on_path.is_empty() {
                        format!(
                            "no tier on `{}`'s path can hold them: add one such as `tier db {{ kind = database }}` to its `path` and write `in db`",
                            r.name
                        )
                    } else {
                        format!(
                            "place them in one of: {}",
                            list(&on_path.iter().map(|&k| tiers[k].name.clone()).collect::<Vec<_>>())
                        )
                    }),
                );
                continue;
            }
            if !r.path.iter().any(|h| h.tier == k) {
                self.errors.push(
                    Diagnostic::error(
                        "fermi::placement",
                        format!("`{tier_name}` is not on `{}`'s path", r.name),
                        right.span,
                        "not on the path",
                    )
                    .with_help(format!("add `{tier_name}` to the path, or place the bytes in a tier on it")),
                );
                continue;
            }
            let name = format!("{}.stores.{tier_name}", r.name);
            if let Some(bytes) = self.num::<Data>(&name, Dim::DATA) {
                out.push(Placement { tier: Some(k), name, bytes });
            }
        }
        if !plain {
            return out;
        }
        // The bytes not placed with `in`: the path's one stateful tier holds them.
        let rest_name = if out.is_empty() { format!("{}.stores", r.name) } else { format!("{}.stores.rest", r.name) };
        let rest = Input {
            value: Data::from_si(r.stores.value.si() - out.iter().map(|p| p.bytes.value.si()).sum::<f64>()),
            spread: None,
            uncertain: r.stores.uncertain,
            origin: r.stores.origin.clone(),
        };
        match on_path.as_slice() {
            [k] => out.push(Placement { tier: Some(*k), name: rest_name, bytes: rest }),
            [] => out.push(Placement { tier: None, name: rest_name, bytes: rest }),
            many => {
                let names: Vec<String> = many.iter().map(|&k| tiers[k].name.clone()).collect();
                self.errors.push(
                    Diagnostic::error(
                        "fermi::placement",
                        format!(
                            "`{}` stores bytes and its path has {} stateful tiers: which holds them?",
                            r.name,
                            many.len()
                        ),
                        f.value.span,
                        "where do these bytes live?",
                    )
                    .with_help(format!(
                        "say where with `in`: `stores = … in {} + … in {}`",
                        names[0],
                        names[names.len() - 1]
                    )),
                );
            }
        }
        out
    }

    /// Whether a request's rate was stated per second, minute or hour (kept as written on the
    /// interview day) rather than per day or longer (converted with `seconds_per_day`).
    pub(super) fn per_second(&self, b: &BlockFields<'a>, requests: &[BlockFields<'a>]) -> bool {
        let Some(f) = b.fields.get("rate") else { return false };
        rate_basis(&f.value, requests, self, 0).unwrap_or(false)
    }

    /// `cost { egress = …; cdn = … }`.
    pub(super) fn cost(&mut self) -> Cost {
        let opt = |cx: &mut Self, name: &str| {
            if cx.scope.def(name).is_some() { cx.num(name, Dim::MONEY_PER_DATA) } else { None }
        };
        Cost { egress: opt(self, "cost.egress"), cdn: opt(self, "cost.cdn") }
    }

    /// Defines `REC.FIELD` for each field of each record and `REC.size`, their sum.
    pub(super) fn define_records(&mut self, records: &[&'a ast::Block]) {
        for b in records {
            let Some(name) = &b.name else { continue };
            for f in b.fields.iter().filter(|f| f.key.node != "key") {
                let key = format!("{}.{}", name.node, f.key.node);
                self.scope.define(key.clone(), Def::Expr(&f.value));
                self.origins.insert(key, Origin::Written { span: f.span });
            }
            if let Some(sum) = self.record_sums.get(&name.node) {
                let key = format!("{}.size", name.node);
                self.scope.define(key.clone(), Def::Expr(sum));
                self.origins.insert(key, Origin::Written { span: b.span });
            }
        }
    }

    /// The records, each field a data size.
    pub(super) fn records(&mut self, records: &[&'a ast::Block]) -> Vec<Record> {
        let mut out = Vec::new();
        for b in records {
            let Some(name) = &b.name else { continue };
            let mut fields_out = Vec::new();
            let mut key = None;
            for f in &b.fields {
                if f.key.node == "key" {
                    let field = f.value.as_ref_name().unwrap_or_default();
                    if b.fields.iter().any(|g| g.key.node == field && g.key.node != "key") {
                        key = Some(field);
                    } else {
                        let names: Vec<&str> =
                            b.fields.iter().map(|g| g.key.node.as_str()).filter(|k| *k != "key").collect();
                        let diag = Diagnostic::error(
                            "fermi::unknown-field",
                            format!(
                                "`key` names a field of `{}`; `{}` is not one",
                                name.node,
                                self.source.slice(f.value.span)
                            ),
                            f.value.span,
                            "not a field of this record",
                        );
                        self.errors.push(match suggest(&field, names.iter().copied()) {
                            Some(s) => diag.with_help(format!("did you mean `{s}`?")),
                            None => diag.with_help(format!("the fields are {}", names.join(", "))),
                        });
                    }
                    continue;
                }
                if f.key.node == "size" {
                    self.errors.push(
                        Diagnostic::error(
                            "fermi::reserved-name",
                            "`size` is the record's total; a field cannot take that name",
                            f.key.span,
                            "reserved",
                        )
                        .with_help("rename the field, e.g. `size_bytes`"),
                    );
                    continue;
                }
                if let Some(size) = self.num::<Data>(&format!("{}.{}", name.node, f.key.node), Dim::DATA) {
                    fields_out.push(RecordField { name: f.key.node.clone(), size });
                }
            }
            if fields_out.is_empty() && !b.fields.iter().any(|f| f.key.node != "key") {
                self.errors.push(
                    Diagnostic::error(
                        "fermi::missing-field",
                        format!("record `{}` has no fields", name.node),
                        b.span,
                        "empty",
                    )
                    .with_help("write `record message { id = 16 B; body = 100 B }`"),
                );
                continue;
            }
            let size = self
                .num::<Data>(&format!("{}.size", name.node), Dim::DATA)
                .unwrap_or_else(|| Input::default(Data::from_si(0.0), "(invalid)"));
            out.push(Record { name: name.node.clone(), span: b.span, fields: fields_out, key, size });
        }
        out
    }

    /// Replaces inputs by the values a scenario gives them.
    pub(super) fn apply_overrides(&mut self) {
        for (name, (value, span)) in self.overrides.values.iter() {
            self.scope.define(name.clone(), Def::Value(Evaluated::exact(*value)));
            self.origins.insert(name.clone(), Origin::Written { span: *span });
        }
    }
}

/// Whether an expression states a rate per second (`Some(true)`), per day or longer
/// (`Some(false)`), or says nothing about it (`None`).
fn rate_basis(e: &ast::Expr, requests: &[BlockFields<'_>], cx: &Lowerer<'_>, depth: usize) -> Option<bool> {
    if depth > 64 {
        return None;
    }
    match &e.kind {
        ExprKind::Quantity(q) => {
            let words = q.suffix.iter().map(|s| (UnitOp::Mul, s.node.as_str()));
            let terms = q.units.iter().map(|t| (t.op, t.word.node.as_str()));
            for (op, word) in words.chain(terms) {
                if matches!(word, "rps" | "qps") || word.ends_with("rps") || word.ends_with("qps") {
                    return Some(true);
                }
                if op != UnitOp::Mul
                    && let Some(meaning) = crate::units::table::unit(word)
                {
                    let (seconds, dim) = crate::units::table::resolve(meaning, crate::units::table::DEFAULT_YEAR);
                    if dim == Dim::TIME {
                        return Some(seconds < crate::units::table::DAY);
                    }
                }
            }
            None
        }
        ExprKind::Ref(_) => {
            let name = e.as_ref_name()?;
            let owner = name.strip_suffix(".rate").unwrap_or(&name);
            if let Some(b) = requests.iter().find(|b| b.name.as_deref() == Some(owner)) {
                return b.fields.get("rate").and_then(|f| rate_basis(&f.value, requests, cx, depth + 1));
            }
            match cx.scope.def(&name) {
                Some(Def::Expr(inner)) => rate_basis(inner, requests, cx, depth + 1),
                _ => None,
            }
        }
        ExprKind::Binary { left, right, .. } => {
            rate_basis(left, requests, cx, depth + 1).or_else(|| rate_basis(right, requests, cx, depth + 1))
        }
        ExprKind::Range(a, b) | ExprKind::PlusMinus(a, b) => {
            rate_basis(b, requests, cx, depth + 1).or_else(|| rate_basis(a, requests, cx, depth + 1))
        }
        ExprKind::Neg(inner) => rate_basis(inner, requests, cx, depth + 1),
        ExprKind::Call { args, .. } => args.iter().find_map(|a| rate_basis(&a.value, requests, cx, depth + 1)),
        _ => None,
    }
}

/// The inputs a scenario may restate — every field of a block, request or tier (written or
/// defaulted), every record field, every `let` and every SLO latency target — and the names
/// of the design's requests and tiers.
fn input_names(file: &ast::File) -> (Vec<String>, Vec<String>) {
    let mut inputs = Vec::new();
    let mut owners = Vec::new();
    inputs.extend(fields::TOP.iter().map(|f| f.name.to_string()));
    for (kw, specs) in fields::BLOCKS.iter().filter(|(k, _)| !matches!(*k, "request" | "tier" | "scenario" | "record"))
    {
        for s in *specs {
            if s.name == "latency" {
                continue;
            }
            inputs.push(format!("{kw}.{}", s.name));
        }
    }
    for item in &file.items {
        match item {
            Item::Let(l) => inputs.push(l.name.node.clone()),
            Item::Block(b) => {
                let Some(name) = &b.name else { continue };
                let specs: &[fields::FieldSpec] = match b.keyword.node.as_str() {
                    "request" => fields::REQUEST,
                    "tier" => fields::TIER,
                    "record" => {
                        for f in b.fields.iter().filter(|f| f.key.node != "key") {
                            inputs.push(format!("{}.{}", name.node, f.key.node));
                        }
                        continue;
                    }
                    _ => continue,
                };
                owners.push(name.node.clone());
                for s in specs {
                    if !matches!(
                        s.need,
                        fields::Need::Word(_)
                            | fields::Need::Path
                            | fields::Need::Text
                            | fields::Need::Profile
                            | fields::Need::Skew
                            | fields::Need::Sharding
                    ) {
                        inputs.push(format!("{}.{}", name.node, s.name));
                    }
                }
            }
            _ => {}
        }
    }
    if let Some(slo) = file.items.iter().find_map(|i| match i {
        Item::Block(b) if b.keyword.node == "slo" => Some(b),
        _ => None,
    }) {
        for f in &slo.fields {
            if let Some(label) = f.key.node.strip_prefix("latency ") {
                inputs.push(format!("slo.latency.{label}"));
            }
        }
    }
    (inputs, owners)
}

/// The design's scenarios: each `scenario` block with its right sides evaluated against the
/// base design, then the built-in `horizon` when `users.growth` is set; every scenario is
/// lowered once here so that a bad value is reported at its line.
pub(super) fn scenarios(
    file: &ast::File,
    source: &SourceFile,
    config: &ProjectConfig,
    base: &Design,
    restated: &Restated,
) -> Result<Vec<Scenario>, Diagnostics> {
    let blocks: Vec<&ast::Block> = file
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Block(b) if b.keyword.node == "scenario" => Some(b),
            _ => None,
        })
        .collect();
    let growth = base.users.growth.value.si();
    let horizon = growth != 0.0 && base.users.dau.is_some();
    if blocks.is_empty() && !horizon {
        return Ok(Vec::new());
    }
    let record_sums = record_sums(file);
    let mut cx = Lowerer::new(source, config, restated, &record_sums);
    let collected = cx.collect(file);
    cx.define_all(file, &collected);
    // the right sides read the base as restated (a sweep's value)
    cx.apply_overrides();
    let (inputs, owners) = input_names(file);
    let mut errors = Vec::new();
    let mut out = Vec::new();
    for b in &blocks {
        let Some(name) = &b.name else { continue };
        if name.node == "horizon" {
            errors.push(
                Diagnostic::error(
                    "fermi::reserved-name",
                    "`horizon` is the built-in growth scenario",
                    name.span,
                    "reserved",
                )
                .with_help(
                    "choose another name; `horizon` is the design at the horizon's users when `users.growth` is set",
                ),
            );
            continue;
        }
        let mut overrides = Vec::new();
        for f in &b.fields {
            let key = f.key.node.replace(' ', ".");
            if !inputs.contains(&key) {
                let owner = key.split('.').next().unwrap_or("");
                let known_owner = owners.iter().any(|o| o == owner)
                    || fields::BLOCKS.iter().any(|(k, _)| *k == owner)
                    || matches!(owner, "traffic" | "bandwidth" | "storage" | "availability" | "slo" | "cost");
                let (message, label, help) = if known_owner && !key.ends_with(".rate") {
                    // a near name among the same owner's inputs (`api.nodes` is not a typo of
                    // `api.disk`: it is a result)
                    let field = key.split_once('.').map_or("", |(_, f)| f);
                    let own: Vec<&str> =
                        inputs.iter().filter_map(|i| i.strip_prefix(owner).and_then(|r| r.strip_prefix('.'))).collect();
                    let near = suggest(field, own.iter().copied());
                    let shown: Vec<String> = own.iter().take(6).map(|f| format!("`{owner}.{f}`")).collect();
                    (
                        format!("`{key}` is not an input a scenario can restate"),
                        "not an input",
                        match near {
                            Some(s) => format!("did you mean `{owner}.{s}`? a scenario restates inputs; results follow from them"),
                            None if !shown.is_empty() => format!(
                                "a scenario restates inputs and results such as nodes and loads follow from them: restate one of {}{}",
                                shown.join(", "),
                                if own.len() > shown.len() { ", …" } else { "" }
                            ),
                            None => "a scenario restates inputs (fields, lets); results such as nodes and loads follow from them".to_string(),
                        },
                    )
                } else {
                    (
                        format!("unknown input `{key}`"),
                        "not defined",
                        match suggest(&key, inputs.iter().map(String::as_str)) {
                            Some(s) => format!("did you mean `{s}`?"),
                            None => "write `users.dau = 3 * users.dau` or `api.capacity = 3K rps`".to_string(),
                        },
                    )
                };
                errors.push(Diagnostic::error("fermi::scenario", message, f.key.span, label).with_help(help));
                continue;
            }
            match eval(&f.value, &mut cx.scope) {
                Ok(v) => {
                    let was = cx.scope.get(&key, f.span).ok().flatten().map(|b| b.value.dim);
                    match was {
                        Some(dim) if dim != v.value.dim => errors.push(
                            Diagnostic::error(
                                "fermi::dimension-mismatch",
                                format!("`{key}` is {}; this is {}", dim.describe(), v.value.dim.describe()),
                                f.value.span,
                                v.value.dim.describe(),
                            )
                            .with_help(format!("restate `{key}` with a value of the same kind as the design's")),
                        ),
                        _ => overrides.push((key, v.value, f.span)),
                    }
                }
                Err(d) => errors.push(d),
            }
        }
        out.push(Scenario { name: name.node.clone(), span: b.span, overrides, built_in: false, design: None });
    }
    if horizon && let Some(dau) = &base.users.dau {
        let year = base.year.value.si();
        let years = base.users.horizon.as_ref().map_or(base.storage.retention.value.si(), |h| h.value.si()) / year;
        let users = dau.value.si() * (1.0 + growth).powf(years);
        out.push(Scenario {
            name: "horizon".into(),
            span: file.name.span,
            // the horizon's users, and the bytes held by then: storage is already planned to
            // the horizon, so it is not grown a second time
            overrides: vec![
                ("users.dau".into(), Value::number(users), file.name.span),
                ("users.elapsed".into(), Value::number(years), file.name.span),
            ],
            built_in: true,
            design: None,
        });
    }
    if !errors.is_empty() {
        return Err(Diagnostics(errors));
    }
    for s in &mut out {
        let own: BTreeMap<_, _> = s.overrides.iter().map(|(k, v, span)| (k.clone(), (*v, *span))).collect();
        let mut values = restated.values.clone();
        values.extend(own.clone());
        let map = Restated { values, shapes: restated.shapes.clone(), interview_day: restated.interview_day };
        let mut design = lower_with(file, source, config, &map)?;
        design.assumptions.retain(|a| !own.contains_key(&a.name));
        s.design = Some(Box::new(design));
    }
    Ok(out)
}
