//! Benchmarks of Monte Carlo over uncertain inputs: the default 2,000 samples (a Latin
//! hypercube) of
//! `designs/url-shortener-uncertain.fermi` (five uncertain inputs, one cache tier whose hit
//! ratio moves with the key count) on every core and on one, against a baseline measured in
//! the same run: one full estimate of the same design (the model with its formulas).
//!
//! Run: `cargo bench --bench uncertainty`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use fermi::design::lower;
use fermi::design::profile::ProjectConfig;
use fermi::model::estimate;
use fermi::source::SourceFile;
use fermi::uncertainty::{Settings, run};

fn main() {
    divan::main();
}

fn design() -> (fermi::design::Design, fermi::model::Hits) {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/designs/url-shortener-uncertain.fermi");
    let source = SourceFile::new(path, std::fs::read_to_string(path).expect("design"));
    let file = fermi::syntax::parse(&source).expect("parses");
    let design = lower(&file, &source, &ProjectConfig::built_in()).expect("lowers");
    let hits = fermi::analysis::hit_ratios::hits_for(&design);
    (design, hits)
}

/// Baseline: one full estimate (every entry with its formula).
#[divan::bench]
fn baseline_one_full_estimate(bencher: divan::Bencher) {
    let (design, hits) = design();
    bencher.bench(|| estimate(divan::black_box(&design), &hits));
}

/// The default 2,000 samples, percentiles of every entry and sensitivity, on `threads`
/// threads (0 = all).
#[divan::bench(args = [0, 1], sample_count = 20)]
fn monte_carlo_default(bencher: divan::Bencher, threads: usize) {
    let (design, hits) = design();
    let plan = estimate(&design, &hits);
    let settings = Settings { threads, ..Settings::default() };
    bencher.bench(|| run(divan::black_box(&design), &hits, &plan, settings));
}
