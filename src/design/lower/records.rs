//! `record` blocks: each field a named data size, `REC.size` their sum, and `key` naming
//! one of the fields.
//!
//! Architecture Invariant: a record's size is the sum of its fields as one expression, so it
//! is evaluated, explained and sampled like any written input.

use super::lowerer::Lowerer;
use crate::design::resolve::suggest;
use crate::design::scope::Def;
use crate::design::*;
use crate::diagnostic::{Code, Diagnostic};
use crate::key::{self, Metric};
use crate::syntax::ast::{self, BinOp, ExprKind, Item};
use crate::units::{Data, Dim, Quantity};
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

impl<'a> Lowerer<'a> {
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
                let key = key::of(&name.node, Metric::Size);
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
                            Code::UnknownField,
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
                            Code::ReservedName,
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
                        Code::MissingField,
                        format!("record `{}` has no fields", name.node),
                        b.span,
                        "empty",
                    )
                    .with_help("write `record message { id = 16 B; body = 100 B }`"),
                );
                continue;
            }
            let size = self
                .num::<Data>(&key::of(&name.node, Metric::Size), Dim::DATA)
                .unwrap_or_else(|| Input::default(Data::from_si(0.0), "(invalid)"));
            out.push(Record { name: name.node.clone(), span: b.span, fields: fields_out, key, size });
        }
        out
    }
}
