//! `fermi fmt`: the canonical layout of a design file, worked out from its text so that every
//! comment survives. Blocks are indented by two spaces with one statement per line and the
//! `=` of consecutive fields aligned; a block written on one line stays on one line while it
//! fits in 100 columns, and consecutive one-line blocks of one kind align their `{` and their
//! second statement (`tier edge   { kind = lb;       capacity = …`); comments keep their column when
//! there is room, blank lines between statements stay (one at most), and every expression —
//! numbers, units, spacing — is kept exactly as written.
//!
//! Architecture Invariant: only whitespace, line breaks and `;` between statements change;
//! a file that does not parse is not formatted (its diagnostics are returned instead).

use crate::diagnostic::Diagnostics;
use crate::source::SourceFile;

/// The widest line a one-line block may make.
pub const MAX_WIDTH: usize = 100;

/// The canonical layout of a design file, or its syntax errors.
pub fn format(source: &SourceFile) -> Result<String, Diagnostics> {
    super::parse(source)?;
    Ok(layout(source.text()))
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Text(String),
    Open,
    Close,
    Semi,
    /// A `#` comment and the column (in characters) it started at.
    Comment(usize, String),
    Newline,
}

/// Splits text into code pieces, braces, semicolons, comments and line ends, never looking
/// inside strings; braces and `;` inside parentheses stay part of the code.
fn tokens(text: &str) -> Vec<Tok> {
    let mut out = Vec::new();
    for line in text.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        let mut piece = String::new();
        let (mut in_string, mut escaped, mut parens) = (false, false, 0usize);
        let flush = |piece: &mut String, out: &mut Vec<Tok>| {
            if !piece.trim().is_empty() {
                out.push(Tok::Text(piece.trim().to_string()));
            }
            piece.clear();
        };
        for (col, c) in line.chars().enumerate() {
            if in_string {
                piece.push(c);
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == '"' {
                    in_string = false;
                }
                continue;
            }
            match c {
                '"' => {
                    in_string = true;
                    piece.push(c);
                }
                '#' => {
                    flush(&mut piece, &mut out);
                    let rest: String = line.chars().skip(col).collect();
                    out.push(Tok::Comment(col, rest.trim_end().to_string()));
                    break;
                }
                '(' => {
                    parens += 1;
                    piece.push(c);
                }
                ')' => {
                    parens = parens.saturating_sub(1);
                    piece.push(c);
                }
                '{' | '}' | ';' if parens == 0 => {
                    flush(&mut piece, &mut out);
                    out.push(match c {
                        '{' => Tok::Open,
                        '}' => Tok::Close,
                        _ => Tok::Semi,
                    });
                }
                c => piece.push(c),
            }
        }
        flush(&mut piece, &mut out);
        out.push(Tok::Newline);
    }
    out
}

type Comment = Option<(usize, String)>;

#[derive(Debug, Clone, PartialEq)]
enum Entry {
    Blank,
    /// A comment on a line of its own.
    Comment(String),
    Stmt(String, Comment),
    Block {
        header: String,
        children: Vec<Entry>,
        /// Opened and closed on one line, with only statements inside.
        one_line: bool,
        /// A comment after `{` (multi-line) or after `}` (one line).
        comment: Comment,
        /// A comment after the closing `}` of a multi-line block.
        close_comment: Comment,
    },
}

struct Open {
    header: String,
    line: usize,
    children: Vec<Entry>,
    comment: Comment,
    plain: bool,
}

/// Builds the entry tree. Unbalanced braces cannot reach here (the file parsed).
fn tree(toks: Vec<Tok>) -> Vec<Entry> {
    let mut stack: Vec<Open> =
        vec![Open { header: String::new(), line: 0, children: vec![], comment: None, plain: true }];
    let mut line = 0;
    // What the current line has produced so far: a statement, a block opened, a block closed.
    let mut produced = false;
    let mut pending: Option<String> = None;
    let mut last_closed_here = false;
    // Whether the `}` just closed came straight after a statement on its line.
    let mut closed_after_stmt = false;
    for tok in toks {
        match tok {
            Tok::Text(t) => {
                if let Some(p) = pending.take() {
                    push(&mut stack, Entry::Stmt(p, None));
                }
                pending = Some(t);
                produced = true;
            }
            Tok::Open => {
                let header = pending.take().unwrap_or_default();
                stack.push(Open { header, line, children: vec![], comment: None, plain: true });
                produced = true;
                last_closed_here = false;
            }
            Tok::Semi => {
                if let Some(p) = pending.take() {
                    push(&mut stack, Entry::Stmt(p, None));
                }
            }
            Tok::Close => {
                closed_after_stmt = pending.is_some();
                if let Some(p) = pending.take() {
                    push(&mut stack, Entry::Stmt(p, None));
                }
                if stack.len() > 1 {
                    let Some(open) = stack.pop() else { break };
                    let one_line = open.line == line && open.plain;
                    let block = Entry::Block {
                        header: open.header,
                        children: open.children,
                        one_line,
                        comment: open.comment,
                        close_comment: None,
                    };
                    push(&mut stack, block);
                    last_closed_here = true;
                }
                produced = true;
            }
            Tok::Comment(col, text) => {
                let first = !produced;
                produced = true;
                if let Some(p) = pending.take() {
                    push(&mut stack, Entry::Stmt(p, Some((col, text))));
                } else if first {
                    push(&mut stack, Entry::Comment(text));
                } else if last_closed_here {
                    attach_close(&mut stack, (col, text), closed_after_stmt);
                } else if let Some(top) = stack.last_mut().filter(|o| o.line == line && o.children.is_empty()) {
                    top.comment = Some((col, text));
                    top.plain = false;
                } else {
                    attach_last(&mut stack, (col, text));
                }
            }
            Tok::Newline => {
                if let Some(p) = pending.take() {
                    push(&mut stack, Entry::Stmt(p, None));
                }
                if !produced {
                    push(&mut stack, Entry::Blank);
                }
                line += 1;
                produced = false;
                last_closed_here = false;
            }
        }
    }
    while stack.len() > 1 {
        if let Some(open) = stack.pop() {
            let block = Entry::Block {
                header: open.header,
                children: open.children,
                one_line: false,
                comment: open.comment,
                close_comment: None,
            };
            push(&mut stack, block);
        }
    }
    stack.pop().map(|o| o.children).unwrap_or_default()
}

fn push(stack: &mut [Open], entry: Entry) {
    if let Some(top) = stack.last_mut() {
        if matches!(entry, Entry::Block { .. } | Entry::Comment(_)) {
            top.plain = false;
        }
        top.children.push(entry);
    }
}

/// A comment after a `}`: on a one-line block it trails the line; after a multi-line block's
/// `}` that followed a statement on its line (`price = $0.2/h }  # why`) it stays with that
/// statement, which is what it annotates; after a `}` on a line of its own it trails the `}`.
fn attach_close(stack: &mut [Open], comment: (usize, String), after_stmt: bool) {
    if let Some(Entry::Block { one_line, children, comment: c, close_comment, .. }) =
        stack.last_mut().and_then(|top| top.children.last_mut())
    {
        if *one_line {
            *c = Some(comment);
        } else if let (true, Some(Entry::Stmt(_, last @ None))) = (after_stmt, children.last_mut()) {
            *last = Some(comment);
        } else {
            *close_comment = Some(comment);
        }
    }
}

fn attach_last(stack: &mut [Open], comment: (usize, String)) {
    let Some(top) = stack.last_mut() else { return };
    match top.children.last_mut() {
        Some(Entry::Stmt(_, c)) if c.is_none() => *c = Some(comment),
        _ => top.children.push(Entry::Comment(comment.1)),
    }
}

/// Runs of whitespace outside strings become one space.
fn squeeze(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let (mut in_string, mut escaped) = (false, false);
    for c in text.trim().chars() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if c.is_whitespace() {
            if !out.ends_with(' ') {
                out.push(' ');
            }
        } else {
            if c == '"' {
                in_string = true;
            }
            out.push(c);
        }
    }
    out
}

/// A field statement as (key, value): `latency p99 = 100 ms` → (`latency p99`, `100 ms`). The
/// key is one or two names before a lone `=` (not `==`, `<=`, `>=`, `!=`); `let`, `assert` and
/// `correlate` statements are not fields.
fn field(stmt: &str) -> Option<(String, String)> {
    let at = stmt.find('=')?;
    let bytes = stmt.as_bytes();
    if bytes.get(at + 1) == Some(&b'=') || (at > 0 && matches!(bytes[at - 1], b'<' | b'>' | b'!' | b'=')) {
        return None;
    }
    let key = stmt[..at].trim();
    let words: Vec<&str> = key.split_whitespace().collect();
    let name = |w: &&str| w.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '.');
    if words.is_empty()
        || words.len() > 2
        || !words.iter().all(name)
        || ["let", "assert", "correlate"].contains(&words[0])
    {
        return None;
    }
    Some((words.join(" "), stmt[at + 1..].trim().to_string()))
}

fn width(s: &str) -> usize {
    s.chars().count()
}

/// A statement as written on one line: fields as `key = value`, others with spacing squeezed
/// outside the expression (kept verbatim).
fn statement(stmt: &str, key_width: usize) -> String {
    match field(stmt) {
        Some((key, value)) => format!("{key:<key_width$} = {value}"),
        None => stmt.trim().to_string(),
    }
}

fn one_line_cells(children: &[Entry]) -> Vec<String> {
    children
        .iter()
        .filter_map(|c| match c {
            Entry::Stmt(s, _) => Some(statement(s, 0)),
            _ => None,
        })
        .collect()
}

fn one_line_text(header: &str, cells: &[String], header_width: usize, first_width: usize) -> String {
    if cells.is_empty() {
        return format!("{header:<header_width$} {{}}");
    }
    let mut body = String::new();
    for (i, cell) in cells.iter().enumerate() {
        if i == 0 && cells.len() > 1 {
            body.push_str(&format!("{:<first_width$}", format!("{cell};")));
            body.push(' ');
        } else if i + 1 < cells.len() {
            body.push_str(&format!("{cell}; "));
        } else {
            body.push_str(cell);
        }
    }
    format!("{header:<header_width$} {{ {body} }}")
}

/// Adds a trailing comment at its old column when the code leaves room, else one space after.
fn with_comment(out: &mut String, code: &str, comment: &Comment) {
    out.push_str(code);
    if let Some((col, text)) = comment {
        let used = width(code.rsplit('\n').next().unwrap_or(code));
        let gap = if *col > used { col - used } else { 1 };
        out.extend(std::iter::repeat_n(' ', gap));
        out.push_str(text);
    }
    out.push('\n');
}

fn fits_one_line(e: &Entry, indent: usize) -> bool {
    match e {
        Entry::Block { header, children, one_line: true, comment, .. } => {
            let text = one_line_text(&squeeze(header), &one_line_cells(children), 0, 0);
            let comment = comment.as_ref().map_or(0, |(_, c)| width(c) + 1);
            indent + width(&text) + comment <= MAX_WIDTH
        }
        _ => false,
    }
}

fn render(entries: &[Entry], depth: usize, out: &mut String) {
    let indent = "  ".repeat(depth);
    let mut i = 0;
    // Skip blank lines at the start and end of a block.
    let end = entries.iter().rposition(|e| *e != Entry::Blank).map_or(0, |p| p + 1);
    while i < end {
        match &entries[i] {
            Entry::Blank => {
                if i > 0 && entries[i - 1] != Entry::Blank {
                    out.push('\n');
                }
                i += 1;
            }
            Entry::Comment(_) | Entry::Stmt(..) => {
                // A run of statements and comment lines: fields align their `=`.
                let run_end =
                    (i..end).find(|&j| !matches!(&entries[j], Entry::Stmt(..) | Entry::Comment(_))).unwrap_or(end);
                let key_width = entries[i..run_end]
                    .iter()
                    .filter_map(|e| match e {
                        Entry::Stmt(s, _) => field(s).map(|(k, _)| width(&k)),
                        _ => None,
                    })
                    .max()
                    .filter(|_| depth >= 2)
                    .unwrap_or(0);
                for e in &entries[i..run_end] {
                    match e {
                        Entry::Stmt(s, c) => with_comment(out, &format!("{indent}{}", statement(s, key_width)), c),
                        Entry::Comment(text) => out.push_str(&format!("{indent}{text}\n")),
                        _ => {}
                    }
                }
                i = run_end;
            }
            Entry::Block { .. } if fits_one_line(&entries[i], indent.len()) => {
                // A run of one-line blocks aligns `{` and the second statement.
                let keyword = |e: &Entry| match e {
                    Entry::Block { header, .. } => header.split_whitespace().next().map(str::to_string),
                    _ => None,
                };
                let kind = keyword(&entries[i]);
                let run_end = (i..end)
                    .find(|&j| !fits_one_line(&entries[j], indent.len()) || keyword(&entries[j]) != kind)
                    .unwrap_or(end);
                let run = &entries[i..run_end];
                let cells: Vec<(String, Vec<String>, &Comment)> = run
                    .iter()
                    .filter_map(|e| match e {
                        Entry::Block { header, children, comment, .. } => {
                            Some((squeeze(header), one_line_cells(children), comment))
                        }
                        _ => None,
                    })
                    .collect();
                let header_width = cells.iter().map(|(h, _, _)| width(h)).max().unwrap_or(0);
                let first_width =
                    cells.iter().filter(|(_, c, _)| c.len() > 1).map(|(_, c, _)| width(&c[0]) + 1).max().unwrap_or(0);
                let aligned: Vec<String> =
                    cells.iter().map(|(h, c, _)| one_line_text(h, c, header_width, first_width)).collect();
                let fits = aligned.iter().zip(&cells).all(|(t, (_, _, comment))| {
                    indent.len() + width(t) + comment.as_ref().map_or(0, |(_, c)| width(c) + 1) <= MAX_WIDTH
                });
                for (k, (h, c, comment)) in cells.iter().enumerate() {
                    let text = if fits { aligned[k].clone() } else { one_line_text(h, c, 0, 0) };
                    with_comment(out, &format!("{indent}{text}"), comment);
                }
                i = run_end;
            }
            Entry::Block { header, children, comment, close_comment, .. } => {
                let open = if header.is_empty() { "{".to_string() } else { format!("{} {{", squeeze(header)) };
                with_comment(out, &format!("{indent}{open}"), comment);
                render(children, depth + 1, out);
                with_comment(out, &format!("{indent}}}"), close_comment);
                i += 1;
            }
        }
    }
}

/// The canonical layout of (parsed) design text.
fn layout(text: &str) -> String {
    let entries = tree(tokens(text));
    let mut out = String::with_capacity(text.len());
    render(&entries, 0, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(text: &str) -> String {
        format(&SourceFile::new("t.fermi", text)).unwrap_or_else(|d| panic!("{d:?}"))
    }

    #[test]
    fn statements_go_one_per_line_with_equals_aligned() {
        let text = "design \"x\" {\nusers { dau = 1M\n peak=2x }\n  request get {\n    rate = 1 per user per day; response   =  2 KB\n path = api }\n  tier api { capacity = 1K rps }\n}\n";
        assert_eq!(
            fmt(text),
            "design \"x\" {\n  users {\n    dau  = 1M\n    peak = 2x\n  }\n  request get {\n    rate     = 1 per user per day\n    response = 2 KB\n    path     = api\n  }\n  tier api { capacity = 1K rps }\n}\n"
        );
    }

    #[test]
    fn a_comment_after_a_continued_blocks_brace_stays_with_its_last_statement() {
        let text = "design \"x\" {\n  tier db { kind = database; capacity = 1K rps; disk = 4 TB\n            price = $0.2016/h }   # the shape\n}\n";
        assert_eq!(
            fmt(text),
            "design \"x\" {\n  tier db {\n    kind     = database\n    capacity = 1K rps\n    disk     = 4 TB\n    price    = $0.2016/h          # the shape\n  }\n}\n"
        );
    }

    #[test]
    fn comments_blank_lines_and_one_line_blocks_survive() {
        let text = "# top\ndesign \"x # not a comment\" {\n\n\n  users { dau = 1M }   # trailing\n  # own line\n  tier a { kind = lb; capacity = 1K rps }\n  tier bb { kind = database; capacity = 2K rps }\n\n  request r { rate = 1 per user per day; path = a -> bb }\n}\n";
        assert_eq!(
            fmt(text),
            "# top\ndesign \"x # not a comment\" {\n  users { dau = 1M }   # trailing\n  # own line\n  tier a  { kind = lb;       capacity = 1K rps }\n  tier bb { kind = database; capacity = 2K rps }\n\n  request r { rate = 1 per user per day; path = a -> bb }\n}\n"
        );
    }

    #[test]
    fn a_one_line_block_past_100_columns_opens_up() {
        let long = "design \"x\" {\n  users { dau = 1M }\n  tier api { capacity = 1K rps; headroom = 1.5x; service_time = 2 ms; concurrency = 16; replicas = 2; spare = 1 }\n  request r { rate = 1 per user per day; path = api }\n}\n";
        let out = fmt(long);
        assert!(out.contains("  tier api {\n    capacity     = 1K rps\n"), "{out}");
        assert!(out.lines().all(|l| l.chars().count() <= MAX_WIDTH), "{out}");
    }

    #[test]
    fn fields_are_told_from_comparisons_and_lets() {
        assert_eq!(field("latency p99  = 100 ms"), Some(("latency p99".into(), "100 ms".into())));
        assert_eq!(
            field("sharding = consistent(vnodes = 256)"),
            Some(("sharding".into(), "consistent(vnodes = 256)".into()))
        );
        assert_eq!(field("assert a == b"), None);
        assert_eq!(field("let x = 3"), None);
        assert_eq!(field("assert a <= b"), None);
    }
}
