//! fermi: capacity estimation and design docs for system design.
//!
//! The pipeline, one stage per module, data flowing forward only:
//!
//! ```text
//! text ─source─▶ SourceFile ─syntax─▶ AST (spans) ─design─▶ Design (typed, validated)
//!    ─model::hits─▶ cache hit ratios ─model─▶ Plan (every number a Derived: value + formula + inputs)
//!    ─uncertainty─▶ distributions (Monte Carlo: the same model on values-only plans)
//!    ─check─▶ findings ─render─▶ table / JSON / Markdown / explanations
//! analysis = the orchestrator of parse → lower → hit ratios → estimate → sample → check,
//!            with its simulator bridges and the what-ifs; files = the file system
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
