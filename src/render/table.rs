//! Sections as terminal tables (comfy-table, UTF-8 borders) or as Markdown tables.
//!
//! Architecture Invariant: both renderers take the same sections; neither reads the plan.

use super::sections::Section;
use comfy_table::{ContentArrangement, Table, presets};

fn build(s: &Section, preset: comfy_table::TableStyle) -> Table {
    let mut t = Table::new();
    t.load_style(preset).set_content_arrangement(ContentArrangement::Disabled).set_header(s.headers.clone());
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
            out.push_str(n);
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
