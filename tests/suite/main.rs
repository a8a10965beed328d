//! fermi's integration tests: one binary, one module per concern.
#![allow(clippy::unwrap_used, clippy::expect_used)]

// Running the real `fermi` binary and comparing its output.
mod support;

// The CLI's commands, exit codes and output contracts.
mod cli;
// Every design in designs/: checks clean, and its estimate matches the golden files.
mod designs;
// Alternatives, quantified: each choice beside the design re-run with its alternative.
mod alternatives;
// Diagrams at GitHub's width: layout by shape, labels, hops, the Mermaid CLI check.
mod diagrams;
// Design docs: fermi doc, fermi build, --check, templates, Mermaid validity.
mod docs;
// Writes confined to the output folder and landing whole; links; `-` as stdin.
mod io;
// Design text escaped once per output language: Markdown text, code spans, Mermaid.
mod escaping;
// Every command in the README and in --help, run on a fresh copy of the repository.
mod readme;
// Cache simulation: reference traces, Che, Belady, the CLI.
mod sim;
// Inputs that once crashed: analysed, or rejected with a located error.
mod regressions;
// Text: every character kept, BOM and line ends.
mod text;
// Same input, same bytes.
mod determinism;
// SLO export: Prometheus rules checked by promtool, sloth and OpenSLO specs.
mod export;
// fermi fmt: same plan, fixed point, comments kept, --check.
mod format;
// What-if: fermi diff (files, git revisions, thresholds, the CI script) and fermi sweep.
mod whatif;
// Malformed inputs: exit 2, file:line:column, message and hint.
mod errors;
// fermi lsp over stdio: diagnostics, hover, definition, references, completion, formatting.
mod lsp;
// Astronomical counts and over-budget inputs: quick answers or errors naming the limit.
mod limits;
// Interview practice: worksheets, answer keys, grading, drills.
mod practice;
// Parser and model properties under random input.
mod properties;
// The display policy: four figures, nines and bounds, one value per result; invocation-free docs.
mod display;
// The version-2 model against independent figures: bytes, edge, network, hops, money.
mod resources;
// The pipeline stage by stage: parser tree, lowered design, model numbers by hand, check findings.
mod stages;
// Shell completions loaded in bash, man pages rendered by man.
mod shell;
// Terminal conventions: colour on a terminal, none when piped or with NO_COLOR.
mod terminal;
// Risks and bottlenecks: each kind from a small design, with what to change.
mod risks;
// House rules of the source tree: module docs, import directions, golden coverage.
mod tidy;
// Monte Carlo over uncertain inputs: percentiles, sensitivity, determinism.
mod uncertainty;
// The reference cases R1–R7 of shared/reference/worked-examples.md.
mod worked_examples;
