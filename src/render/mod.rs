//! Pure formatting of an [`Analysis`]: the estimate as terminal tables, Markdown or JSON,
//! explanations of single numbers, docs, diagrams and plots; and every command's view, so the
//! CLI lays out no table, JSON or report line itself (`check`, `practice`, `sim_cache`,
//! `sim_shard`, `sim_trace`, …).
//!
//! Architecture Invariant: render never computes a number; it only chooses how to show the
//! ones the model made (unit scaling for display at most).

pub mod calc;
pub mod check;
pub mod diff;
pub mod doc;
pub mod docview;
pub mod escape;
pub mod explain;
pub mod export;
pub mod growth;
pub mod json;
pub mod mermaid;
pub mod mrc;
pub mod plot;
pub mod practice;
pub mod profiles;
pub mod risks;
pub mod sections;
pub mod shards;
pub mod sim_cache;
pub mod sim_shard;
pub mod sim_trace;
pub mod style;
pub mod sweep;
pub mod table;
pub mod tornado;
pub mod tradeoffs;

use crate::analysis::Analysis;

/// Output format of `fermi estimate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Terminal tables.
    Table,
    /// A JSON document (schema in docs/json.md).
    Json,
    /// Markdown tables.
    Markdown,
}

/// Display choices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Significant figures.
    pub digits: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options { digits: crate::units::format::NORMAL_DIGITS }
    }
}

/// The plan of `fermi estimate` in a format: terminal tables, Markdown tables or JSON.
pub fn plan(a: &Analysis, format: Format, options: Options) -> String {
    match format {
        Format::Table => table::terminal(&sections::plan_tables(a, options)),
        Format::Markdown => table::markdown(&a.design.name, &sections::plan_tables(a, options)),
        Format::Json => json::document(a, options),
    }
}
