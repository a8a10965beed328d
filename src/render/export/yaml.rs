//! A small YAML writer for the export formats: block mappings and sequences of strings,
//! numbers and booleans. A string is written plain only when no YAML 1.1 or 1.2 reader can
//! take it for anything else (a number, a boolean, null, a flow collection, a comment),
//! single-quoted when it is printable on one line, a literal block when it is several clean
//! lines, and double-quoted with escapes otherwise.
//!
//! Architecture Invariant: every string reaches the output through [`scalar`] or the block
//! writer beside it, so a value always reads back as exactly the text it was.

/// A YAML value.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// A string.
    Str(String),
    /// A number, already formatted (`0.9999`, `14.4`).
    Num(String),
    /// `true` or `false`.
    Bool(bool),
    /// A mapping, keys in the order given.
    Map(Vec<(String, Node)>),
    /// A sequence.
    List(Vec<Node>),
}

impl Node {
    /// A string node.
    pub fn str(text: impl Into<String>) -> Node {
        Node::Str(text.into())
    }

    /// A mapping from (key, value) pairs.
    pub fn map<K: Into<String>>(entries: impl IntoIterator<Item = (K, Node)>) -> Node {
        Node::Map(entries.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }
}

/// One YAML document (without the `---` separator), ending in a newline.
pub fn document(node: &Node) -> String {
    let mut out = String::new();
    match node {
        Node::Map(entries) if !entries.is_empty() => map(&mut out, entries, 0),
        Node::List(items) if !items.is_empty() => list(&mut out, items, 0),
        other => {
            inline(&mut out, other, 0);
            out.push('\n');
        }
    }
    out
}

fn pad(out: &mut String, indent: usize) {
    out.extend(std::iter::repeat_n(' ', indent));
}

fn is_block(node: &Node) -> bool {
    matches!(node, Node::Map(e) if !e.is_empty()) || matches!(node, Node::List(i) if !i.is_empty())
}

/// A value that fits after `key: ` or `- ` (a scalar, an empty collection, or a block string
/// whose lines go below at `indent + 2`).
fn inline(out: &mut String, node: &Node, indent: usize) {
    match node {
        Node::Str(s) => match block_literal(s, indent + 2) {
            Some(block) => out.push_str(&block),
            None => out.push_str(&scalar(s)),
        },
        Node::Num(n) => out.push_str(n),
        Node::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Node::Map(_) => out.push_str("{}"),
        Node::List(_) => out.push_str("[]"),
    }
}

fn map(out: &mut String, entries: &[(String, Node)], indent: usize) {
    for (i, (key, value)) in entries.iter().enumerate() {
        // The first entry of a mapping inside a sequence follows the `- ` already written.
        if i > 0 || !out.ends_with("- ") {
            pad(out, indent);
        }
        out.push_str(&scalar(key));
        out.push(':');
        if is_block(value) {
            out.push('\n');
            match value {
                Node::Map(e) => map(out, e, indent + 2),
                Node::List(items) => list(out, items, indent + 2),
                _ => {}
            }
        } else {
            out.push(' ');
            inline(out, value, indent);
            out.push('\n');
        }
    }
}

fn list(out: &mut String, items: &[Node], indent: usize) {
    for item in items {
        pad(out, indent);
        match item {
            Node::Map(e) if !e.is_empty() => {
                out.push_str("- ");
                map(out, e, indent + 2);
            }
            Node::List(inner) if !inner.is_empty() => {
                out.push_str("-\n");
                list(out, inner, indent + 2);
            }
            other => {
                out.push_str("- ");
                inline(out, other, indent);
                out.push('\n');
            }
        }
    }
}

/// Words that some YAML reader resolves to a boolean or null when written plain.
const RESERVED: &[&str] = &["y", "n", "yes", "no", "true", "false", "on", "off", "null"];

/// A character YAML allows in a stream and no reader treats as a line break or a byte-order
/// mark: printable ASCII and the printable non-ASCII ranges of YAML 1.2 §5.1, less NEL, the
/// line and paragraph separators (line breaks in YAML 1.1) and U+FEFF.
fn quotable(c: char) -> bool {
    matches!(c, ' '..='~')
        || (c >= '\u{A0}' && !matches!(c, '\u{2028}' | '\u{2029}' | '\u{FEFF}' | '\u{FFFE}' | '\u{FFFF}'))
}

/// Whether a string can be written plain: starts with a letter or `_`, holds only letters,
/// digits and `_ . / -` (and single inner spaces), and is not a reserved word.
fn plain(s: &str) -> bool {
    let mut chars = s.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    first_ok
        && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '/' | '-' | ' '))
        && !s.ends_with(' ')
        && !s.contains("  ")
        && !RESERVED.iter().any(|w| s.eq_ignore_ascii_case(w))
}

/// A string as a one-line YAML scalar that reads back as exactly `s`.
pub fn scalar(s: &str) -> String {
    if plain(s) {
        return s.to_string();
    }
    if s.chars().all(quotable) {
        return format!("'{}'", s.replace('\'', "''"));
    }
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if quotable(c) => out.push(c),
            c if (c as u32) < 0x100 => out.push_str(&format!("\\x{:02X}", c as u32)),
            c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push_str(&format!("\\U{:08X}", c as u32)),
        }
    }
    out.push('"');
    out
}

/// A multi-line string as a literal block (`|-`, lines indented by `indent`), when every line
/// is printable, the first starts with a non-space, none ends in a space, and the text does
/// not end in a line break; `None` otherwise (the caller quotes it).
fn block_literal(s: &str, indent: usize) -> Option<String> {
    if !s.contains('\n') || s.ends_with('\n') || s.starts_with([' ', '\t', '\n']) {
        return None;
    }
    let clean = |line: &str| line.chars().all(|c| quotable(c) || c == '\t') && !line.ends_with([' ', '\t']);
    if !s.split('\n').all(clean) {
        return None;
    }
    let mut out = String::from("|-");
    for line in s.split('\n') {
        out.push('\n');
        if !line.is_empty() {
            pad(&mut out, indent);
            out.push_str(line);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use yaml_rust2::{Yaml, YamlLoader};

    fn read(text: &str) -> Yaml {
        let docs = YamlLoader::load_from_str(text).unwrap_or_else(|e| panic!("not YAML ({e}):\n{text}"));
        docs.into_iter().next().unwrap_or(Yaml::Null)
    }

    /// The node as the reader should give it back.
    fn expected(node: &Node) -> Yaml {
        match node {
            Node::Str(s) => Yaml::String(s.clone()),
            Node::Num(n) => read(n),
            Node::Bool(b) => Yaml::Boolean(*b),
            Node::Map(e) => Yaml::Hash(e.iter().map(|(k, v)| (Yaml::String(k.clone()), expected(v))).collect()),
            Node::List(i) => Yaml::Array(i.iter().map(expected).collect()),
        }
    }

    fn any_text() -> impl Strategy<Value = String> {
        prop_oneof![
            any::<String>(),
            "[a-zA-Z_][a-zA-Z0-9_ ./-]{0,12}",
            "[ -~]{0,16}",
            "[a-z{}\\[\\]:#'\"\\\\ ,&*!|>%@`-]{0,12}",
            "([a-z ]{0,6}\n){1,3}[a-z(){}\"]{0,6}",
            prop::sample::select(vec![
                "yes", "No", "ON", "null", "~", "true", "1e3", "0x1F", ".inf", "1:20", "- a", "a: b", "#c", ""
            ])
            .prop_map(String::from),
        ]
    }

    fn any_node() -> impl Strategy<Value = Node> {
        let leaf = prop_oneof![
            any_text().prop_map(Node::Str),
            any::<bool>().prop_map(Node::Bool),
            (0u32..10_000).prop_map(|n| Node::Num(format!("{}", f64::from(n) / 100.0))),
        ];
        leaf.prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                prop::collection::vec((any_text(), inner.clone()), 0..4).prop_map(|entries| {
                    // Keys of a mapping are distinct.
                    let mut seen = std::collections::BTreeSet::new();
                    Node::Map(entries.into_iter().filter(|(k, _)| seen.insert(k.clone())).collect())
                }),
                prop::collection::vec(inner, 0..4).prop_map(Node::List),
            ]
        })
    }

    proptest! {
        #[test]
        fn every_string_reads_back_as_itself(s in any_text()) {
            let doc = format!("k: {}\n", scalar(&s));
            prop_assert_eq!(read(&doc)["k"].clone(), Yaml::String(s.clone()), "{}", doc);
            let doc = format!("{}: v\n", scalar(&s));
            prop_assert_eq!(read(&doc)[s.as_str()].clone(), Yaml::String("v".into()), "{}", doc);
        }

        #[test]
        fn every_document_reads_back_as_its_tree(node in any_node()) {
            let text = document(&node);
            prop_assert_eq!(read(&text), expected(&node), "{}", text);
        }
    }

    #[test]
    fn strings_a_reader_would_retype_are_quoted() {
        for s in [
            "yes",
            "Off",
            "null",
            "~",
            "123",
            "1e3",
            "0.9999",
            ".nan",
            "",
            " x",
            "x ",
            "a: b",
            "#x",
            "[a]",
            "{{.window}}",
        ] {
            assert_ne!(scalar(s), s, "`{s}` must be quoted");
        }
        assert_eq!(scalar("http_requests_total"), "http_requests_total");
        assert_eq!(scalar("openslo/v1"), "openslo/v1");
        assert_eq!(scalar(r#"sum(rate(x{code=~"5.."}[5m]))"#), r#"'sum(rate(x{code=~"5.."}[5m]))'"#);
        assert_eq!(scalar("it's\u{85}"), "\"it's\\x85\"");
    }
}
