//! The design's top level: the calendar, the day length (`--rounded` replaces it), users,
//! storage, `let`s, asserts and the summary, and the assembly of the whole [`Design`] from
//! its blocks in the order each depends on the last.
//!
//! Architecture Invariant: `build` is the one place that decides the order in which a
//! design's parts are lowered; each part is lowered by the file that owns its job.

use super::lowerer::{Blocks, Lowerer};
use crate::design::eval::{Evaluated, Scope};
use crate::design::*;
use crate::diagnostic::{Code, Diagnostic};
use crate::key::{self, Metric};
use crate::syntax::ast::{self, ExprKind, Item};
use crate::units::{Dim, Quantity};

impl<'a> Lowerer<'a> {
    /// Defines every name, then evaluates the design.
    pub(super) fn build(&mut self, file: &'a ast::File, blocks: &Blocks<'a>) -> Design {
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
                            Code::MissingField,
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
                    &key::of(&t.name, Metric::Price),
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
                        Diagnostic::error(Code::Type, "`summary` needs a string", f.value.span, "not a string")
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
            uncertain: self.uncertain_inputs(file),
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
                        Code::DimensionMismatch,
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
                Code::OutOfRange,
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
                        Code::DimensionMismatch,
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
                    Code::OutOfRange,
                    "`growth` must be above −100% per year: at −100% every user is gone after a year",
                    span,
                    "at or below −100%",
                )
                .with_help("write a shrink as `growth = -20% per year`"),
            );
        }
        let concurrent = match self.scope.def("users.concurrent") {
            // `10%` alone is a share of nothing: 0.1 users
            Some(crate::design::scope::Def::Expr(e)) if super::blocks::bare_percentage(e) => {
                let written = self.source.slice(e.span).to_string();
                self.errors.push(
                    Diagnostic::error(
                        Code::BarePercentage,
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
                Some(e) => match crate::design::eval::eval(e, &mut self.scope) {
                    Ok(v) if v.value.dim == Dim::NONE && v.value.si >= 0.0 => Some(v.value.si),
                    Ok(_) => {
                        self.errors.push(Diagnostic::error(
                            Code::Type,
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
                    Diagnostic::error(Code::Type, "`within` goes with `==`", a.cmp.span, "not `==`")
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
