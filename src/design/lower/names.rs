//! The design's names: sorts the file's items into blocks, checks block keywords, block
//! names and field keys (with "did you mean"), and defines every field, default, profile
//! value, project default and `let` in the name space before anything is evaluated.
//!
//! Architecture Invariant: a name is checked and defined here once; nothing here evaluates
//! a value beyond a profile's capacity from `vcpus` and `cpu`.

use super::lowerer::{BlockFields, Blocks, Lowerer};
use crate::design::eval::Evaluated;
use crate::design::fields::{self, BLOCKS, FieldSpec, Need, RESERVED};
use crate::design::resolve::{list, suggest};
use crate::design::scope::{Def, DesignScope};
use crate::design::*;
use crate::diagnostic::{Code, Diagnostic};
use crate::key::{self, Metric};
use crate::syntax::ast::{self, ExprKind, Item};
use crate::units::Dim;
use std::collections::{BTreeMap, BTreeSet};

impl<'a> Lowerer<'a> {
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
            let diag =
                Diagnostic::error(Code::UnknownBlock, format!("unknown block `{kw}`"), b.keyword.span, "not a block");
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
                        Code::MissingName,
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
                        Code::UnexpectedName,
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
                    Diagnostic::error(Code::ReservedName, format!("`{}` is reserved", n.node), n.span, "reserved name")
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
                            Code::DuplicateBlock,
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
                Code::UnknownField,
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
                        Code::LatencyPercentile,
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
                        Code::LatencyPercentile,
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

    /// The dimension the written field around `at` needs, when it is a plain count, a
    /// duration or a data size.
    pub(super) fn field_dim_at(&self, at: crate::source::Span) -> Option<Dim> {
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
                            Code::Type,
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
                        Diagnostic::error(Code::Type, "`profile` needs a profile name", f.value.span, "not a name")
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
            let diag =
                Diagnostic::error(Code::UnknownProfile, format!("unknown profile `{name}`"), *span, "no such profile");
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
        let capacity = key::of(tier, Metric::Capacity);
        if let (false, Some(vcpus), Some(cpu)) =
            (b.fields.contains_key("capacity"), profile.fields.get("vcpus"), b.fields.get("cpu"))
        {
            let cpu = match self.scope.get(&key::of(tier, Metric::Cpu), cpu.span) {
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
    Diagnostic::error(Code::Duplicate, format!("`{name}` is defined twice"), span, "second definition")
        .with_note(prev, "first defined here")
        .with_help("remove one of them or rename it")
}
