//! Completion: at the start of a statement, the block keywords (at the design's top level)
//! or the fields of the block the cursor is in; after `=`, the words a field takes (`kind =
//! cache`), unit words and the names in scope. Worked out from the text before the cursor,
//! so it works while the text does not parse.
//!
//! Architecture Invariant: the words come from the field table (`design::fields`), the unit
//! table (`units::table`) and the document's own names; none is written here.

use super::documents::Document;
use crate::design::fields::{self, FieldSpec, Need};
use lsp_types::{CompletionItem, CompletionItemKind, CompletionTextEdit, Range, TextEdit};

/// Where the cursor is.
#[derive(Debug, Clone, PartialEq)]
struct Context {
    /// The keywords of the open blocks, outermost first (`design`, `tier`).
    blocks: Vec<String>,
    /// The statement before the cursor, from its start.
    statement: String,
}

/// Reads the text before the cursor: open blocks and the current statement (comments and
/// strings skipped).
fn context(before: &str) -> Context {
    let mut blocks = Vec::new();
    let mut statement = String::new();
    let mut chars = before.chars().peekable();
    let mut parens = 0usize;
    while let Some(c) = chars.next() {
        match c {
            '#' => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        statement.clear();
                        break;
                    }
                }
            }
            '"' => {
                statement.push('"');
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => {
                            chars.next();
                        }
                        '"' => {
                            statement.push('"');
                            break;
                        }
                        _ => {}
                    }
                }
            }
            '(' => {
                parens += 1;
                statement.push(c);
            }
            ')' => {
                parens = parens.saturating_sub(1);
                statement.push(c);
            }
            '{' if parens == 0 => {
                let keyword = statement.split_whitespace().next().unwrap_or("").to_string();
                blocks.push(keyword);
                statement.clear();
            }
            '}' if parens == 0 => {
                blocks.pop();
                statement.clear();
            }
            ';' | '\n' if parens == 0 => statement.clear(),
            _ => statement.push(c),
        }
    }
    Context { blocks, statement }
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '.')
}

fn item(label: &str, kind: CompletionItemKind, detail: Option<String>, range: Range) -> CompletionItem {
    CompletionItem {
        label: label.to_string(),
        kind: Some(kind),
        detail,
        text_edit: Some(CompletionTextEdit::Edit(TextEdit { range, new_text: label.to_string() })),
        ..CompletionItem::default()
    }
}

fn field_items(specs: &[FieldSpec], range: Range, out: &mut Vec<CompletionItem>) {
    for s in specs {
        let default = s.default.map(|d| format!(" (default {d})")).unwrap_or_default();
        out.push(item(s.name, CompletionItemKind::FIELD, Some(format!("{}{default}", s.doc)), range));
    }
}

fn specs_of(keyword: &str) -> &'static [FieldSpec] {
    fields::BLOCKS.iter().find(|(k, _)| *k == keyword).map_or(&[][..], |(_, s)| *s)
}

/// The completions at a byte offset.
pub(crate) fn at(doc: &Document, offset: usize) -> Vec<CompletionItem> {
    let text = doc.text();
    let before = text.get(..offset).unwrap_or(text);
    let cx = context(before);
    let prefix_len: usize = before.chars().rev().take_while(|c| is_word(*c)).map(char::len_utf8).sum();
    let range = Range { start: doc.lines.position(text, offset - prefix_len), end: doc.lines.position(text, offset) };
    let mut out = Vec::new();
    let block = cx.blocks.last().map(String::as_str);
    let first = cx.statement.split_whitespace().next().unwrap_or("");
    let value = cx.statement.contains('=') || matches!(first, "assert" | "correlate");
    if !value {
        match (cx.blocks.len(), block) {
            (0, _) => out.push(item("design", CompletionItemKind::KEYWORD, Some("the design's block".into()), range)),
            (1, _) => {
                for (k, _) in fields::BLOCKS {
                    out.push(item(k, CompletionItemKind::KEYWORD, Some("block".into()), range));
                }
                for k in ["let", "assert", "correlate"] {
                    out.push(item(k, CompletionItemKind::KEYWORD, Some("statement".into()), range));
                }
                field_items(fields::TOP, range, &mut out);
            }
            (_, Some("scenario")) => names(doc, range, &mut out),
            (_, Some(k)) => field_items(specs_of(k), range, &mut out),
            (_, None) => {}
        }
        return out;
    }
    let key = cx.statement.split('=').next().unwrap_or("").trim();
    let specs = if cx.blocks.len() == 1 { fields::TOP } else { block.map_or(&[][..], specs_of) };
    let need = fields::spec(specs, key).map(|s| s.need);
    let words: &[&str] = match need {
        Some(Need::Word(words)) => words,
        Some(Need::Skew) => &["zipf(0.9)", "uniform", "hotspot(1%, 50%)"],
        Some(Need::Sharding) => &["hash", "range", "consistent(vnodes = 256)", "rendezvous", "jump"],
        _ => &[],
    };
    for w in words {
        out.push(item(w, CompletionItemKind::ENUM_MEMBER, None, range));
    }
    if words.is_empty() {
        let mut seen = std::collections::BTreeSet::new();
        for u in crate::units::table::unit_words().filter(|u| seen.insert(*u)) {
            out.push(item(u, CompletionItemKind::UNIT, Some("unit".into()), range));
        }
        names(doc, range, &mut out);
    }
    out
}

/// The names in scope: declarations and every result of the last plan.
fn names(doc: &Document, range: Range, out: &mut Vec<CompletionItem>) {
    for n in &doc.known {
        out.push(item(n, CompletionItemKind::VARIABLE, None, range));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_blocks_and_statement() {
        let cx = context("design \"a { b\" {\n  # tier x {\n  tier api { kind = service; capa");
        assert_eq!(cx.blocks, ["design", "tier"]);
        assert_eq!(cx.statement.trim(), "capa");
        let cx = context("design \"d\" {\n  tier db { sharding = consistent(vnodes = 2");
        assert_eq!(cx.blocks, ["design", "tier"]);
        assert!(cx.statement.contains('='));
    }
}
