//! Where a request's stored bytes live (`stores = 500 KB in blob + 1 KB in meta`): each
//! part defined as a named input, then placed on a stateful tier of the request's path; and
//! whether a request's rate was stated per second or per day (the interview day converts
//! only the latter).
//!
//! Architecture Invariant: every placed part is a named input (`REQ.stores.TIER`), explained
//! and sampled like any other; nothing here estimates a plan.

use super::lowerer::{BlockFields, Lowerer};
use crate::design::fields::STATEFUL_STORES;
use crate::design::resolve::{list, suggest};
use crate::design::scope::Def;
use crate::design::*;
use crate::diagnostic::{Code, Diagnostic};
use crate::key::{self, Metric};
use crate::syntax::ast::{self, BinOp, ExprKind, UnitOp};
use crate::units::{Dim, Quantity};
use std::collections::BTreeMap;

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
                                Code::Duplicate,
                                format!("bytes are placed in `{tier}` twice"),
                                right.span,
                                "again here",
                            )
                            .with_note(prev, "first here")
                            .with_help(format!("add the sizes: `(a + b) in {tier}`")),
                        );
                        continue;
                    }
                    let key = key::stored_in(&name, &tier);
                    self.scope.define(key.clone(), Def::Expr(left));
                    self.origins.insert(key, Origin::Written { span: term.span });
                } else if let Some(span) = nested_in(term) {
                    self.errors.push(
                        Diagnostic::error(
                            Code::Placement,
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
                    Code::UnknownTier,
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
                        Code::Placement,
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
                        Code::Placement,
                        format!("`{tier_name}` is not on `{}`'s path", r.name),
                        right.span,
                        "not on the path",
                    )
                    .with_help(format!("add `{tier_name}` to the path, or place the bytes in a tier on it")),
                );
                continue;
            }
            let name = key::stored_in(&r.name, &tier_name);
            if let Some(bytes) = self.num::<Data>(&name, Dim::DATA) {
                out.push(Placement { tier: Some(k), name, bytes });
            }
        }
        if !plain {
            return out;
        }
        // The bytes not placed with `in`: the path's one stateful tier holds them.
        let rest_name =
            if out.is_empty() { key::of(&r.name, Metric::Stores) } else { key::of(&r.name, Metric::StoresRest) };
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
                        Code::Placement,
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
            let owner = key::owner(&name, Metric::Rate).unwrap_or(&name);
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
