//! fermi's integration tests: one binary, one module per concern.
#![allow(clippy::unwrap_used, clippy::expect_used)]

// Running the real `fermi` binary and comparing its output.
mod support;

// The CLI's commands, exit codes and output contracts.
mod cli;
// Every design in designs/: checks clean, and its estimate matches the golden files.
mod designs;
// Design docs: fermi doc, fermi build, --check, templates, Mermaid validity.
mod docs;
// Cache simulation: reference traces, Che, Belady, the CLI.
mod sim;
// Inputs that once crashed: analysed, or rejected with a located error.
mod regressions;
// Text: every character kept, BOM and line ends.
mod text;
// Same input, same bytes.
mod determinism;
// Malformed inputs: exit 2, file:line:column, message and hint.
mod errors;
// Interview practice: worksheets, answer keys, grading, drills.
mod practice;
// Parser and model properties under random input.
mod properties;
// House rules of the source tree: module docs, import directions, golden coverage.
mod tidy;
// Monte Carlo over uncertain inputs: percentiles, sensitivity, determinism.
mod uncertainty;
// The reference cases R1–R7 of shared/reference/worked-examples.md.
mod worked_examples;
