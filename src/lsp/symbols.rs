//! Names in a syntax tree: where each tier, request, record, scenario and `let` is declared,
//! every place an expression (or a scenario's field) refers to one, and what lies under a
//! cursor — for go to definition, find references, hover and completion.
//!
//! Architecture Invariant: read off the parser's spans only; a word that a field takes as a
//! keyword (`kind = cache`, `policy = lru`, `profile = m7i.xlarge`) is not a reference, as it
//! is not one to the language.

use crate::design::fields::{self, Need};
use crate::source::Span;
use crate::syntax::ast::{Block, Expr, ExprKind, Field, File, Item};

/// What kind of thing a name declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Tier,
    Request,
    Record,
    Scenario,
    Let,
}

/// One declaration: `tier api`, `let codes = …`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Decl {
    pub(crate) kind: Kind,
    pub(crate) name: String,
    /// The name's span.
    pub(crate) span: Span,
}

/// A dotted reference: its parts with their spans.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Ref {
    pub(crate) parts: Vec<(String, Span)>,
}

/// What is under the cursor.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Target<'a> {
    /// A declared name.
    Decl(&'a Decl),
    /// Part `index` of a reference.
    Ref(&'a Ref, usize),
    /// A field's key, with the block it is in (`None` at the top level).
    Field { block: Option<&'a Block>, field: &'a Field },
}

/// The declarations and references of one file.
#[derive(Debug, Clone, Default)]
pub(crate) struct Symbols<'a> {
    pub(crate) decls: Vec<Decl>,
    pub(crate) refs: Vec<Ref>,
    fields: Vec<(Option<&'a Block>, &'a Field)>,
}

/// Whether a field's value is a keyword of its own rather than an expression of names.
fn takes_words(block: Option<&Block>, key: &str) -> bool {
    let specs = match block {
        None => fields::TOP,
        Some(b) if b.keyword.node == "record" => return key == "key",
        Some(b) => fields::BLOCKS.iter().find(|(k, _)| *k == b.keyword.node).map_or(&[][..], |(_, s)| *s),
    };
    fields::spec(specs, key)
        .is_some_and(|s| matches!(s.need, Need::Word(_) | Need::Skew | Need::Sharding | Need::Profile))
}

fn walk(e: &Expr, out: &mut Vec<Ref>) {
    match &e.kind {
        ExprKind::Ref(parts) => out.push(Ref { parts: parts.iter().map(|p| (p.node.clone(), p.span)).collect() }),
        ExprKind::Call { args, .. } => args.iter().for_each(|a| walk(&a.value, out)),
        ExprKind::Neg(x) => walk(x, out),
        ExprKind::Binary { left, right, .. } | ExprKind::Range(left, right) | ExprKind::PlusMinus(left, right) => {
            walk(left, out);
            walk(right, out);
        }
        ExprKind::Path(hops) => hops.iter().for_each(|h| walk(h, out)),
        ExprKind::Quantity(_) | ExprKind::Str(_) => {}
    }
}

/// A dotted key (a scenario's `api.capacity`) as a reference.
fn key_ref(f: &Field) -> Ref {
    let mut at = f.key.span.start as usize;
    let parts = f
        .key
        .node
        .split('.')
        .map(|p| {
            let span = Span::new(at, at + p.len());
            at += p.len() + 1;
            (p.to_string(), span)
        })
        .collect();
    Ref { parts }
}

impl<'a> Symbols<'a> {
    /// Every declaration and reference in the file, in source order.
    pub(crate) fn of(file: &'a File) -> Self {
        let mut s = Symbols::default();
        for item in &file.items {
            match item {
                Item::Field(f) => {
                    s.fields.push((None, f));
                    if !takes_words(None, &f.key.node) {
                        walk(&f.value, &mut s.refs);
                    }
                }
                Item::Block(b) => {
                    let kind = match b.keyword.node.as_str() {
                        "tier" => Some(Kind::Tier),
                        "request" => Some(Kind::Request),
                        "record" => Some(Kind::Record),
                        "scenario" => Some(Kind::Scenario),
                        _ => None,
                    };
                    if let (Some(kind), Some(name)) = (kind, &b.name) {
                        s.decls.push(Decl { kind, name: name.node.clone(), span: name.span });
                    }
                    for f in &b.fields {
                        s.fields.push((Some(b), f));
                        if b.keyword.node == "scenario" {
                            s.refs.push(key_ref(f));
                        }
                        if !takes_words(Some(b), &f.key.node) {
                            walk(&f.value, &mut s.refs);
                        }
                    }
                }
                Item::Let(l) => {
                    s.decls.push(Decl { kind: Kind::Let, name: l.name.node.clone(), span: l.name.span });
                    walk(&l.value, &mut s.refs);
                }
                Item::Assert(a) => {
                    walk(&a.left, &mut s.refs);
                    walk(&a.right, &mut s.refs);
                    if let Some(w) = &a.within {
                        walk(w, &mut s.refs);
                    }
                }
                Item::Correlate(c) => {
                    walk(&c.left, &mut s.refs);
                    walk(&c.right, &mut s.refs);
                    walk(&c.coefficient, &mut s.refs);
                }
            }
        }
        s
    }

    /// The declaration of a name.
    pub(crate) fn decl(&self, name: &str) -> Option<&Decl> {
        self.decls.iter().find(|d| d.name == name)
    }

    /// What is at a byte offset (a cursor just after a word is still on it).
    pub(crate) fn at(&self, offset: usize) -> Option<Target<'_>> {
        let on = |span: Span| (span.start as usize) <= offset && offset <= span.end as usize;
        if let Some(d) = self.decls.iter().find(|d| on(d.span)) {
            return Some(Target::Decl(d));
        }
        for r in &self.refs {
            if let Some(k) = r.parts.iter().position(|(_, span)| on(*span)) {
                return Some(Target::Ref(r, k));
            }
        }
        self.fields.iter().find(|(_, f)| on(f.key.span)).map(|(block, field)| Target::Field { block: *block, field })
    }

    /// The declaration a target names: itself, or the first part of a reference.
    pub(crate) fn declaration_of<'s>(&'s self, target: &Target<'s>) -> Option<&'s Decl> {
        match target {
            Target::Decl(d) => Some(d),
            Target::Ref(r, _) => r.parts.first().and_then(|(name, _)| self.decl(name)),
            Target::Field { .. } => None,
        }
    }

    /// Every reference to a declared name (the spans of their first parts).
    pub(crate) fn references(&self, name: &str) -> Vec<Span> {
        self.refs.iter().filter_map(|r| r.parts.first().filter(|(n, _)| n == name).map(|(_, s)| *s)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    #[test]
    fn keywords_in_fields_are_not_references() {
        let text = "design \"d\" {\n  tier cache { kind = cache; capacity = 1K rps }\n  request r { rate = 1 rps; path = cache }\n  let x = r.peak_rps\n}\n";
        let source = SourceFile::new("t.fermi", text);
        let file = crate::syntax::parse(&source).unwrap();
        let s = Symbols::of(&file);
        let names: Vec<&str> = s.decls.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, ["cache", "r", "x"]);
        // `path = cache` refers to the tier; `kind = cache` does not
        let refs = s.references("cache");
        assert_eq!(refs.len(), 1);
        assert_eq!(source.slice(refs[0]), "cache");
        assert_eq!(source.line_col(refs[0].start).line, 3);
        assert_eq!(s.references("r").len(), 1);
    }
}
