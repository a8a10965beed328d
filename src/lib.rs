//! fermi: capacity estimation and design docs for system design.
#![deny(clippy::print_stdout, clippy::print_stderr)]
pub mod design;
pub mod diagnostic;
pub mod math;
pub mod source;
pub mod syntax;
pub mod units;
