//! What changed in a stale doc, in one line, for `fermi build --check`: the headline numbers
//! of the design's row in the index, old → new ("peak traffic 2.315K rps → 2.546K rps, nodes
//! 5 → 6"); for the index, the designs whose rows changed; otherwise the first line that
//! differs and how many do.
//!
//! Architecture Invariant: compares the text on disk with the text a build would write; it
//! reads no design and computes no number.

/// The cells of the index row that links to `doc` (`url-shortener.md`), with the headers.
fn row<'a>(index: &'a str, doc: &str) -> Option<(Vec<&'a str>, Vec<&'a str>)> {
    let cells = |l: &'a str| l.trim().trim_matches('|').split(" | ").map(str::trim).collect::<Vec<_>>();
    let header = index.lines().find(|l| l.starts_with("| design |"))?;
    let link = format!("]({doc})");
    let line = index.lines().find(|l| l.starts_with("| [") && l.contains(&link))?;
    Some((cells(header), cells(line)))
}

/// The design's name in an index row's first cell: `[Chat](chat.md)` → `Chat`.
fn name(cell: &str) -> &str {
    cell.strip_prefix('[').and_then(|c| c.split_once("](")).map_or(cell, |(n, _)| n)
}

fn clip(s: &str) -> String {
    let s = s.trim();
    if s.chars().count() > 60 { format!("{}…", s.chars().take(59).collect::<String>()) } else { s.to_string() }
}

/// One line saying what changed in the doc at `path` (relative to the output folder) from
/// `old` (on disk) to `new` (what the build renders); `old_index` and `new_index` are the
/// index pages on disk and rendered.
pub fn describe(path: &str, old: &str, new: &str, old_index: Option<&str>, new_index: &str) -> String {
    if path == "index.md" {
        let rows = |t: &str| t.lines().filter(|l| l.starts_with("| [")).map(str::to_string).collect::<Vec<_>>();
        let before = old_index.map(rows).unwrap_or_default();
        let changed: Vec<String> = rows(new_index)
            .iter()
            .filter(|r| !before.contains(r))
            .filter_map(|r| r.trim().trim_matches('|').split(" | ").next().map(|c| name(c.trim()).to_string()))
            .collect();
        if !changed.is_empty() {
            return format!("rows changed: {}", changed.join(", "));
        }
    } else if path.ends_with(".md")
        && let (Some((headers, a)), Some((_, b))) = (old_index.and_then(|i| row(i, path)), row(new_index, path))
    {
        let parts: Vec<String> = headers
            .iter()
            .zip(a.iter().zip(&b))
            .skip(1)
            .filter(|(_, (x, y))| x != y)
            .map(|(h, (x, y))| format!("{h} {x} → {y}"))
            .collect();
        if !parts.is_empty() {
            return parts.join(", ");
        }
    }
    if !path.ends_with(".md") {
        return "the plot differs".into();
    }
    let (a, b): (Vec<&str>, Vec<&str>) = (old.lines().collect(), new.lines().collect());
    let differing = (0..a.len().max(b.len())).filter(|&i| a.get(i) != b.get(i)).count();
    match (0..a.len().max(b.len())).find(|&i| a.get(i) != b.get(i)) {
        Some(i) => format!(
            "line {}: `{}` → `{}` ({differing} line{} differ{})",
            i + 1,
            clip(a.get(i).unwrap_or(&"")),
            clip(b.get(i).unwrap_or(&"")),
            if differing == 1 { "" } else { "s" },
            if differing == 1 { "s" } else { "" }
        ),
        None => "line endings differ".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OLD: &str = "| design | peak traffic | nodes |\n| --- | --- | --- |\n| [Chat](chat.md) | 1K rps | 5 |\n| [Feed](feed.md) | 2K rps | 7 |\n";

    #[test]
    fn a_doc_is_described_by_its_index_row() {
        let new = OLD.replace("| 1K rps | 5 |", "| 1.2K rps | 6 |");
        assert_eq!(describe("chat.md", "a", "b", Some(OLD), &new), "peak traffic 1K rps → 1.2K rps, nodes 5 → 6");
        assert_eq!(describe("index.md", OLD, &new, Some(OLD), &new), "rows changed: Chat");
        // Same row: the first differing line.
        assert_eq!(describe("feed.md", "x\ny\n", "x\nz\n", Some(OLD), &new), "line 2: `y` → `z` (1 line differs)");
        assert_eq!(describe("feed/plot.svg", "<a/>", "<b/>", Some(OLD), &new), "the plot differs");
    }
}
