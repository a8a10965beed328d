//! Sections as terminal tables (comfy-table, UTF-8 borders) or as Markdown tables. Terminal
//! tables and their notes fit a width the command line chooses ([`set_width`]): comfy-table's
//! dynamic arrangement wraps cells, notes wrap at spaces.
//!
//! Architecture Invariant: both renderers take the same sections; neither reads the plan.

use super::sections::Section;
use comfy_table::{ContentArrangement, Table, presets};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The width terminal tables fit, in columns; 0 for no limit (the library's default).
static WIDTH: AtomicUsize = AtomicUsize::new(0);

/// Fits every terminal table and note rendered from now on to `width` columns (`None`: as
/// wide as their content). Set once by the command line, like the colour choice.
pub fn set_width(width: Option<usize>) {
    WIDTH.store(width.unwrap_or(0), Ordering::Relaxed);
}

/// The width set by [`set_width`], if any.
pub fn width() -> Option<usize> {
    Some(WIDTH.load(Ordering::Relaxed)).filter(|w| *w > 0)
}

/// Applies the width to a table built elsewhere (the CLI's own tables).
pub fn fit(t: &mut Table) {
    match width() {
        Some(w) => t.set_content_arrangement(ContentArrangement::Dynamic).set_width(w.min(u16::MAX as usize) as u16),
        None => t.set_content_arrangement(ContentArrangement::Disabled),
    };
}

/// An empty terminal table in the house style (UTF-8 borders) with `header`, fitted to the
/// width: the start of every command's own table.
pub fn headed(header: impl Into<comfy_table::Row>) -> Table {
    let mut t = Table::new();
    t.load_style(presets::UTF8_FULL_CONDENSED).set_header(header);
    fit(&mut t);
    t
}

/// `text` with each line wrapped at spaces to the width set by [`set_width`] (a word longer
/// than the width keeps its own line).
pub fn wrap(text: &str) -> String {
    let Some(w) = width() else {
        return text.to_string();
    };
    let mut out = String::new();
    for (k, line) in text.split('\n').enumerate() {
        if k > 0 {
            out.push('\n');
        }
        let mut used = 0;
        for word in line.split(' ') {
            let n = word.chars().count();
            if used > 0 && used + 1 + n > w {
                out.push('\n');
                used = 0;
            } else if used > 0 {
                out.push(' ');
                used += 1;
            }
            out.push_str(word);
            used += n;
        }
    }
    out
}

fn build(s: &Section, preset: comfy_table::TableStyle) -> Table {
    let mut t = Table::new();
    t.load_style(preset).set_header(s.headers.clone());
    fit(&mut t);
    for r in &s.rows {
        t.add_row(r.clone());
    }
    t
}

/// Terminal tables with titles.
pub fn terminal(sections: &[Section]) -> String {
    let mut out = String::new();
    for s in sections {
        out.push_str(&s.title);
        out.push('\n');
        out.push_str(&build(s, presets::UTF8_FULL_CONDENSED).to_string());
        out.push('\n');
        if let Some(n) = &s.note {
            out.push_str(&wrap(n));
            out.push('\n');
        }
        out.push('\n');
    }
    out
}

/// Markdown: a heading per section and a pipe table.
pub fn markdown(title: &str, sections: &[Section]) -> String {
    let mut out = format!("# {}\n\n", escape(title));
    for s in sections {
        out.push_str(&format!("## {}\n\n", s.title));
        out.push_str("| ");
        out.push_str(&s.headers.iter().map(|h| escape(h)).collect::<Vec<_>>().join(" | "));
        out.push_str(" |\n|");
        out.push_str(&s.headers.iter().map(|_| " --- |").collect::<String>());
        out.push('\n');
        for r in &s.rows {
            out.push_str("| ");
            out.push_str(&r.iter().map(|c| escape(c)).collect::<Vec<_>>().join(" | "));
            out.push_str(" |\n");
        }
        if let Some(n) = &s.note {
            out.push_str(&format!("\n{}\n", escape(n)));
        }
        out.push('\n');
    }
    out
}

/// Escapes fermi's own text (code marked by backticks) for a Markdown table cell or any
/// Markdown text: [`super::escape::markdown_with_code`].
pub fn escape(s: &str) -> String {
    super::escape::markdown_with_code(s)
}
