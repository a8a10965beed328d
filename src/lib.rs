//! fermi: capacity estimation and design docs for system design.
//!
//! The pipeline, one stage per module, data flowing forward only:
//!
//! ```text
//! text ─source─▶ SourceFile ─syntax─▶ AST (spans) ─design─▶ Design (typed, validated)
//!    ─shapes─▶ cheapest(…) shapes chosen ─hit_ratios─▶ cache hit ratios
//!    ─model─▶ Plan (every number a Derived: value + formula + inputs)
//!    ─uncertainty─▶ p5/p50/p95 per result when inputs are uncertain (Monte Carlo)
//!    ─timeline─▶ the plan per year to the horizon, and each scenario
//!    ─check, plausibility─▶ findings ─render─▶ table / JSON / Markdown / explanations
//! analysis = the orchestrator of parse → lower → shapes → hit ratios → estimate →
//!            uncertainty → timeline and scenarios → check, with its simulator bridges
//!            and the what-ifs (analysis::whatif) that re-run it on changed designs;
//!            files = the file system
//! ```
//!
//! Start with [`analysis::analyze`] for a design file and [`calc::calc`] for an expression.
#![deny(clippy::print_stdout, clippy::print_stderr)]

pub mod analysis;
pub mod calc;
pub mod check;
pub mod design;
pub mod diagnostic;
pub mod files;
pub mod key;
pub mod lsp;
pub mod math;
pub mod model;
pub mod plausibility;
pub mod practice;
pub mod render;
pub mod sim;
pub mod source;
pub mod syntax;
pub mod threads;
pub mod uncertainty;
pub mod units;
