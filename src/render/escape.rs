//! Escapers, one per output language fermi writes text into: Markdown inline text
//! ([`markdown`]), Markdown code spans ([`code`], [`code_in_table`]) and Mermaid labels and
//! messages ([`mermaid`]). Each takes arbitrary text (design names, API strings, summaries)
//! and returns text that the language's renderer shows as exactly that text, on one line.
//!
//! fermi emits no HTML of its own (Mermaid's `<br/>` line breaks are written by the diagram
//! code, never built from design text), so there is no HTML-attribute escaper.
//!
//! Architecture Invariant: design text reaches a document only through one of these
//! functions; each is property-tested against a decoder that follows its renderer's rules.

/// Escapes text for Markdown inline content (paragraphs, headings, list items, table cells):
/// every character that could start markup (emphasis, links, images, code, raw HTML,
/// entities, table cells, strikethrough, math) is backslash-escaped, as CommonMark allows for
/// any ASCII punctuation; a leading character that would start a block (list, heading, quote,
/// thematic break) is escaped too. Line breaks become spaces.
pub fn markdown(text: &str) -> String {
    text_part(&one_line(text), true)
}

/// Line breaks as spaces; no leading or trailing spaces (a renderer shows none, and four
/// would start a code block).
fn one_line(text: &str) -> String {
    let mapped: String = text.chars().map(|c| if c == '\n' || c == '\r' { ' ' } else { c }).collect();
    mapped.trim_matches([' ', '\t']).to_string()
}

/// Escapes one stretch of text; `line_start` when it begins a line (block markers count).
fn text_part(text: &str, line_start: bool) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(chars.len() + 8);
    let word = |c: Option<&char>| c.is_some_and(|c| c.is_alphanumeric());
    for (k, &c) in chars.iter().enumerate() {
        let next = chars.get(k + 1);
        let active = match c {
            // `]` too: inside a link's text (the index links each design's name) an unescaped
            // one would close it early. `!` needs none: without `[` there is no image.
            '\\' | '`' | '*' | '[' | ']' | '<' | '>' | '&' | '|' | '~' | '#' | '$' => true,
            // An underscore between two letters or digits can neither open nor close emphasis.
            '_' => !(k > 0 && word(chars.get(k - 1)) && word(next)),
            // `:name:` is an emoji on GitHub.
            ':' => next.is_some_and(|n| n.is_alphanumeric() || "_+-".contains(*n)),
            // Block starts at the start of a line: `- x`, `---`, `+ x`, `===`, `1. x`, `1) x`.
            '-' | '+' | '=' => line_start && k == 0,
            '.' | ')' => {
                line_start
                    && k > 0
                    && chars[..k].iter().all(char::is_ascii_digit)
                    && next.is_none_or(|n| *n == ' ' || *n == '\t')
            }
            _ => false,
        };
        if active {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Text that marks code with paired backticks (as fermi's own messages do: "`api` p99 …"):
/// each backticked part becomes a [`code`] span, the rest [`markdown`] text. With an odd
/// number of backticks, all of it is text. Safe for any input: a code span shows its
/// content verbatim and starts no other markup.
pub fn markdown_with_code(text: &str) -> String {
    let text = one_line(text);
    let parts: Vec<&str> = text.split('`').collect();
    if parts.len().is_multiple_of(2) {
        return markdown(&text);
    }
    let mut out = String::new();
    for (k, part) in parts.iter().enumerate() {
        if k % 2 == 1 {
            out.push_str(&code_in_table(part));
        } else {
            out.push_str(&text_part(part, k == 0));
        }
    }
    out
}

/// A Markdown code span showing `text` verbatim: the fence is one backtick longer than the
/// longest run of backticks inside, and a space pads each side when the text starts or ends
/// with a backtick or a space (CommonMark strips one such pair). No entities: code spans show
/// them literally. Line breaks become spaces. Empty text gives an empty string.
pub fn code(text: &str) -> String {
    span(text, false)
}

/// [`code`] for a GFM table cell, where `|` ends the cell even inside a code span unless it
/// is written `\|` (the table, not the span, removes the backslash).
pub fn code_in_table(text: &str) -> String {
    span(text, true)
}

fn span(text: &str, in_table: bool) -> String {
    let text: String = text.chars().map(|c| if c == '\n' || c == '\r' { ' ' } else { c }).collect();
    if text.is_empty() {
        return String::new();
    }
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = text.starts_with('`')
        || text.ends_with('`')
        || (text.starts_with(' ') && text.ends_with(' ') && !text.chars().all(|c| c == ' '));
    let body = if in_table { text.replace('|', "\\|") } else { text };
    let space = if pad { " " } else { "" };
    format!("{fence}{space}{body}{space}{fence}")
}

/// Escapes text for a Mermaid label (`["…"]`, `|"…"|`) or a sequence-diagram message, alias
/// or note, in one pass: every character that ends or changes such text (`"`, `#`, `;`, `:`,
/// `<`, `>`, `&`, `|`, backtick, `{`, `}`) becomes a Mermaid entity code (`#quot;`, `#35;`,
/// …), which Mermaid turns into an HTML entity when it draws the diagram. Line breaks become
/// spaces.
pub fn mermaid(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '#' | ';' | ':' | '|' | '`' | '{' | '}' | '\\' => out.push_str(&format!("#{};", u32::from(c))),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// CommonMark's backslash escapes undone: `\` before ASCII punctuation is dropped.
    fn unescape_markdown(s: &str) -> String {
        let mut out = String::new();
        let mut it = s.chars().peekable();
        while let Some(c) = it.next() {
            if c == '\\' && it.peek().is_some_and(|n| n.is_ascii_punctuation()) {
                out.extend(it.next());
            } else {
                out.push(c);
            }
        }
        out
    }

    /// The characters of `s` that are not backslash-escaped.
    fn unescaped(s: &str) -> Vec<(usize, char)> {
        let mut out = Vec::new();
        let mut it = s.chars().enumerate();
        while let Some((k, c)) = it.next() {
            if c == '\\' {
                it.next();
            } else {
                out.push((k, c));
            }
        }
        out
    }

    /// What a CommonMark renderer shows for a code span written as `s` (with `\|` removed
    /// first in a table cell): the fence stripped, one padding space each side stripped.
    fn decode_span(s: &str, in_table: bool) -> String {
        let s = if in_table { s.replace("\\|", "|") } else { s.to_string() };
        let n = s.chars().take_while(|&c| c == '`').count();
        let closing = s.chars().rev().take_while(|&c| c == '`').count();
        assert_eq!(n, closing, "fences differ in {s:?}");
        let body: String = s.chars().skip(n).take(s.chars().count() - 2 * n).collect();
        // The body must not hold a backtick run as long as the fence (it would close it).
        let mut run = 0;
        for c in body.chars() {
            run = if c == '`' { run + 1 } else { 0 };
            assert!(run < n, "a run of {run} backticks closes the {n}-backtick fence in {s:?}");
        }
        if body.len() >= 2 && body.starts_with(' ') && body.ends_with(' ') && !body.chars().all(|c| c == ' ') {
            body[1..body.len() - 1].to_string()
        } else {
            body
        }
    }

    /// What Mermaid shows for label text: its `encodeEntities` (`#name;`/`#123;` → markers),
    /// the diagram drawn, `decodeEntities` (markers → `&name;`/`&#123;`), then the browser's
    /// HTML entity decoding. Also returns the text the diagram parser sees between markers.
    fn decode_mermaid(s: &str) -> (String, String) {
        let mut parsed = String::new();
        let mut shown = String::new();
        let mut rest = s;
        while let Some(start) = rest.find('#') {
            let tail = &rest[start + 1..];
            let end = tail.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'));
            match end {
                Some(e) if e > 0 && tail[e..].starts_with(';') => {
                    parsed.push_str(&rest[..start]);
                    shown.push_str(&rest[..start]);
                    let name = &tail[..e];
                    let c = match name {
                        "quot" => '"',
                        "lt" => '<',
                        "gt" => '>',
                        "amp" => '&',
                        n => n.parse::<u32>().ok().and_then(char::from_u32).unwrap_or('\u{fffd}'),
                    };
                    shown.push(c);
                    rest = &tail[e + 1..];
                }
                _ => {
                    parsed.push_str(&rest[..=start]);
                    shown.push_str(&rest[..=start]);
                    rest = tail;
                }
            }
        }
        parsed.push_str(rest);
        shown.push_str(rest);
        (parsed, shown)
    }

    fn one_line(s: &str) -> String {
        s.replace(['\n', '\r'], " ")
    }

    proptest! {
        #[test]
        fn markdown_text_reads_back_and_leaves_no_markup(s in any::<String>()) {
            let e = markdown(&s);
            let line = one_line(&s);
            prop_assert_eq!(unescape_markdown(&e), line.trim_matches([' ', '\t']));
            let chars: Vec<char> = e.chars().collect();
            for (k, c) in unescaped(&e) {
                prop_assert!(!"\\`*[]<>&|~#$".contains(c), "unescaped {c:?} in {e:?}");
                prop_assert!(!(c == ':' && chars.get(k + 1).is_some_and(|n| n.is_alphanumeric())), "emoji in {e:?}");
                prop_assert!(!(k == 0 && "-+=".contains(c)), "a block starts at {e:?}");
            }
            prop_assert!(!e.contains('\n'));
        }

        #[test]
        fn markdown_text_of_punctuation_reads_back(s in "[-_*`\\[\\]()<>&|#!$~\\\\ a1.]{0,12}") {
            let e = markdown(&s);
            prop_assert_eq!(unescape_markdown(&e), s.trim_matches(' '));
        }

        #[test]
        fn code_spans_show_their_text_verbatim(s in any::<String>(), ticks in "[` a]{0,8}") {
            for text in [s.clone(), ticks.clone(), format!("{ticks}{s}{ticks}")] {
                let e = code(&text);
                if one_line(&text).is_empty() {
                    prop_assert!(e.is_empty());
                    continue;
                }
                prop_assert_eq!(decode_span(&e, false), one_line(&text));
                let t = code_in_table(&text);
                prop_assert_eq!(decode_span(&t, true), one_line(&text));
                // No cell break in a table: every `|` is escaped.
                prop_assert!(!t.replace("\\|", "").contains('|'));
            }
        }

        #[test]
        fn mermaid_labels_draw_as_their_text(s in any::<String>()) {
            let e = mermaid(&s);
            let (parsed, shown) = decode_mermaid(&e);
            prop_assert_eq!(shown, one_line(&s));
            for c in ['"', '#', ';', ':', '<', '>', '&', '|', '`', '\n', '{', '}'] {
                prop_assert!(!parsed.contains(c), "{c:?} reaches Mermaid's parser in {e:?}");
            }
        }
    }

    #[test]
    fn examples() {
        assert_eq!(markdown("[link](javascript:x)"), "\\[link\\](javascript\\:x)");
        assert_eq!(markdown_with_code("`api` p99 < 5"), "`api` p99 \\< 5");
        assert_eq!(markdown_with_code("a ` b"), "a \\` b");
        assert_eq!(markdown("peak_rps *x* a<b>"), "peak_rps \\*x\\* a\\<b\\>");
        assert_eq!(markdown("1. x"), "1\\. x");
        assert_eq!(code("GET /a`b"), "``GET /a`b``");
        assert_eq!(code("`x`"), "`` `x` ``");
        assert_eq!(code_in_table("a|b"), "`a\\|b`");
        assert_eq!(mermaid("a|b; #1"), "a#124;b#59; #35;1");
    }
}
