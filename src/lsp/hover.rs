//! Hover: over a name or a field, the number it stands for as `fermi explain` prints it —
//! value, formula, the formula with numbers, its inputs and, when it is uncertain, its
//! percentiles — and, over a field's key, what the field means.
//!
//! Architecture Invariant: the text is `render::explain`'s; which plan name a word stands
//! for follows the language (a bare request name is its rate).

use super::documents::Document;
use super::symbols::{Kind, Symbols, Target};
use crate::analysis::Analysis;
use crate::design::fields;
use crate::key::{self, Metric};
use crate::units::format::NORMAL_DIGITS;
use lsp_types::{Hover, HoverContents, MarkupContent, MarkupKind};

/// The plan name a declaration stands for when hovered: a tier's node count, a request's
/// peak rate, a record's size, a `let`'s value.
fn declared(kind: Kind, name: &str) -> Option<String> {
    match kind {
        Kind::Tier => Some(key::of(name, Metric::Nodes)),
        Kind::Request => Some(key::of(name, Metric::PeakRps)),
        Kind::Record => Some(key::of(name, Metric::Size)),
        Kind::Let => Some(name.to_string()),
        Kind::Scenario => None,
    }
}

/// Plan names a target may stand for, best first.
fn candidates(symbols: &Symbols<'_>, target: &Target<'_>) -> Vec<String> {
    match target {
        Target::Decl(d) => declared(d.kind, &d.name).into_iter().collect(),
        Target::Ref(r, k) => {
            let names: Vec<&str> = r.parts.iter().map(|(n, _)| n.as_str()).collect();
            let upto = names[..=*k].join(".");
            let mut out = Vec::new();
            if *k == 0
                && let Some(d) = symbols.decl(names[0])
            {
                if names.len() == 1 && d.kind == Kind::Request {
                    out.push(crate::design::resolve::referent(&upto, true).into_owned());
                }
                out.push(upto.clone());
                out.extend(declared(d.kind, &d.name));
            } else {
                out.push(upto);
            }
            out.push(names.join("."));
            out
        }
        Target::Field { block, field } => {
            let key = field.key.node.replace(' ', ".");
            match block {
                None => vec![key],
                Some(b) => {
                    let owner = b.name.as_ref().map_or(b.keyword.node.as_str(), |n| n.node.as_str());
                    vec![format!("{owner}.{key}"), format!("{}.{key}", b.keyword.node), key]
                }
            }
        }
    }
}

/// What a field's key means, from the field table.
fn field_doc(target: &Target<'_>) -> Option<String> {
    let Target::Field { block, field } = target else { return None };
    let specs = match block {
        None => fields::TOP,
        Some(b) => fields::BLOCKS.iter().find(|(k, _)| *k == b.keyword.node).map(|(_, s)| *s)?,
    };
    let spec = fields::spec(specs, &field.key.node)?;
    let default = spec.default.map(|d| format!(" (default `{d}`)")).unwrap_or_default();
    Some(format!("`{}`: {}{default}", spec.name, spec.doc))
}

fn explained(a: &Analysis, names: &[String]) -> Option<String> {
    names.iter().find_map(|n| crate::render::explain::explain(a, n, NORMAL_DIGITS))
}

/// The hover at a byte offset, or `None` when nothing there has a value or a meaning.
pub(crate) fn at(doc: &Document, offset: usize) -> Option<Hover> {
    let file = doc.ast.as_ref()?;
    let symbols = Symbols::of(file);
    let target = symbols.at(offset)?;
    let span = match &target {
        Target::Decl(d) => d.span,
        Target::Ref(r, k) => r.parts.get(*k)?.1,
        Target::Field { field, .. } => field.key.span,
    };
    let mut parts = Vec::new();
    if let Some(text) = doc.analysis().and_then(|a| explained(a, &candidates(&symbols, &target))) {
        parts.push(format!("```text\n{text}```"));
    }
    parts.extend(field_doc(&target));
    if parts.is_empty() {
        return None;
    }
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent { kind: MarkupKind::Markdown, value: parts.join("\n\n") }),
        range: Some(doc.lines.range(doc.text(), span)),
    })
}
