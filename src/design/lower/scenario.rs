//! `scenario` blocks and the built-in `horizon`: which inputs a scenario may restate, and
//! each restated value evaluated against the base design (as restated for the run) and
//! checked for its dimension.
//!
//! Architecture Invariant: a scenario is the same file lowered again with some inputs
//! replaced by values evaluated against the base design (`lower_restated` lowers it);
//! nothing here estimates a plan.

use super::lowerer::{Lowerer, Restated};
use super::records::record_sums;
use crate::design::eval::eval;
use crate::design::fields;
use crate::design::profile::ProjectConfig;
use crate::design::resolve::suggest;
use crate::design::*;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::key::{self, Metric};
use crate::source::SourceFile;
use crate::syntax::ast::{self, Item};
use crate::units::{Quantity, Value};

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
                inputs.push(key::latency("slo", label));
            }
        }
    }
    (inputs, owners)
}

/// The design's scenarios: each `scenario` block with its right sides evaluated against the
/// base design, then the built-in `horizon` when `users.growth` is set; each is returned
/// without its design, which `lower_restated` lowers so that a bad value is reported at its
/// line.
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
                    Code::ReservedName,
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
                let (message, label, help) = if known_owner && key::owner(&key, Metric::Rate).is_none() {
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
                errors.push(Diagnostic::error(Code::Scenario, message, f.key.span, label).with_help(help));
                continue;
            }
            match eval(&f.value, &mut cx.scope) {
                Ok(v) => {
                    let was = cx.scope.get(&key, f.span).ok().flatten().map(|b| b.value.dim);
                    match was {
                        Some(dim) if dim != v.value.dim => errors.push(
                            Diagnostic::error(
                                Code::DimensionMismatch,
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
    Ok(out)
}
