//! Design text in docs: hostile names and API strings render as their text in Markdown
//! (no links, no early-closed code spans, no entities shown literally) and in Mermaid (decoded
//! the way Mermaid's renderer decodes, the label comes back whole); diagrams too large for
//! Mermaid are replaced by a note that says why.

use crate::support::{design, fermi_in, scratch};

const HOSTILE: &str = r#"design "[link](javascript:x) a|b <i> &amp; *em*" {
  summary = "- a list? `code` \\| &lt; #59;"
  users { dau = 1M }
  request get { rate = 1 per user per day; api = "GET /a`b|c\"d#124;<x>&y;z:w"; response = 1 KB; path = api }
  tier api { capacity = 5K rps }
}
"#;

/// What Mermaid shows for message or label text: `encodeEntities` (`#name;`, `#123;` →
/// placeholders), drawing, `decodeEntities` (→ `&name;`, `&#123;`), then the browser decodes
/// the HTML entities (mermaid 11, src/mermaidAPI.ts).
fn mermaid_shows(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(k) = rest.find('#') {
        out.push_str(&rest[..k]);
        let tail = &rest[k + 1..];
        let end = tail.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(tail.len());
        if end > 0 && tail[end..].starts_with(';') {
            let name = &tail[..end];
            out.push(match name {
                "quot" => '"',
                "lt" => '<',
                "gt" => '>',
                "amp" => '&',
                n => n.parse::<u32>().ok().and_then(char::from_u32).unwrap_or('\u{fffd}'),
            });
            rest = &tail[end + 1..];
        } else {
            // A `#` that is no entity starts a comment in a sequence diagram: the text ends.
            return out;
        }
    }
    out.push_str(rest);
    out
}

#[test]
fn sequence_messages_draw_as_the_api_string() {
    let dir = design("h.fermi", HOSTILE);
    let run = fermi_in(&dir, &["doc", "h.fermi"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let line = run.stdout.lines().find(|l| l.trim_start().starts_with("C->>t0: ")).expect("a first call");
    let line = line.trim_start().trim_start_matches("C->>t0: ");
    // the API string, then the request's rate and size on a second line
    let (text, rate) = line.split_once("<br/>").expect("two lines");
    assert_eq!(rate, "23.15\u{a0}rps peak · 0\u{a0}B in");
    // What Mermaid's parser sees once entity codes are placeholders: none of the characters
    // that end a message or start markup.
    let parsed: String = text
        .split('#')
        .enumerate()
        .map(|(k, part)| if k == 0 { part } else { part.split_once(';').map_or(part, |(_, after)| after) })
        .collect();
    for c in ['"', '<', '>', '&', '|', '`', ';', '#', '\n'] {
        assert!(!parsed.contains(c), "{c:?} would end or change the message: {text}");
    }
    assert_eq!(mermaid_shows(text), "GET /a`b|c\"d#124;<x>&y;z:w");
}

#[test]
fn names_and_api_strings_are_text_in_markdown() {
    let dir = design("h.fermi", HOSTILE);
    let run = fermi_in(&dir, &["doc", "h.fermi"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc = &run.stdout;
    assert!(doc.starts_with("# \\[link\\](javascript\\:x) a\\|b \\<i\\> \\&amp; \\*em\\*\n"), "{doc:.80}");
    assert!(doc.contains("\n\\- a list? \\`code\\` \\\\\\| \\&lt; \\#59;\n"), "the summary is a paragraph");
    // The API string has a backtick: the code span's fence is two backticks, and inside
    // code spans nothing is entity-encoded or backslash-escaped (a table cell escapes `|`).
    assert!(doc.contains("- **get** — ``GET /a`b|c\"d#124;<x>&y;z:w`` (read)"), "{doc}");
    assert!(doc.contains("### get — ``GET /a`b|c\"d#124;<x>&y;z:w``\n"));
    assert!(doc.contains("| get | ``GET /a`b\\|c\"d#124;<x>&y;z:w`` | read |"));
    assert!(!doc.contains("&lt;") || doc.contains("\\&lt;"), "no entity shown literally");
}

#[test]
fn the_index_does_not_link_a_design_name() {
    let dir = scratch();
    std::fs::create_dir(dir.join("designs")).unwrap();
    std::fs::write(dir.join("designs/h.fermi"), HOSTILE).unwrap();
    let run = fermi_in(&dir, &["build", "designs", "-o", "out"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let index = std::fs::read_to_string(dir.join("out/index.md")).unwrap();
    assert!(index.contains("| [\\[link\\](javascript\\:x) a\\|b \\<i\\> \\&amp; \\*em\\*](h.md) |"), "{index}");
}

#[test]
fn a_flowchart_over_mermaids_limits_is_replaced_by_a_note() {
    let n = 520;
    let mut text = String::from("design \"wide\" {\n  users { dau = 1M }\n");
    let path: Vec<String> = (0..n).map(|k| format!("t{k}")).collect();
    text.push_str(&format!("  request get {{ rate = 1 per user per day; path = {} }}\n", path.join(" -> ")));
    for k in 0..n {
        text.push_str(&format!("  tier t{k} {{ capacity = 5K rps }}\n"));
    }
    text.push_str("}\n");
    let dir = design("wide.fermi", &text);
    let run = fermi_in(&dir, &["doc", "wide.fermi"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stdout.contains("flowchart"), "no unrenderable flowchart");
    assert!(!run.stdout.contains("sequenceDiagram"), "no unrenderable sequence diagram");
    assert!(
        run.stdout.contains("The architecture diagram is omitted: it has 520 edges"),
        "the doc says why: {}",
        &run.stdout[run.stdout.find("## High-level").unwrap_or(0)..][..400]
    );
    assert!(run.stdout.contains("Tiers by kind: 520 service"));
    assert!(run.stdout.contains("The sequence diagram is omitted"));
    // Every diagram that is emitted stays within Mermaid's limits.
    let small = fermi_in(&crate::support::root(), &["doc", "designs/video-platform.fermi"]);
    for block in small.stdout.split("```mermaid\n").skip(1) {
        let code = &block[..block.find("```").unwrap()];
        assert!(code.len() <= 50_000 && code.matches("-->").count() <= 500);
    }
}
