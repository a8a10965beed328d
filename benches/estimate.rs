//! Benchmarks of the whole pipeline (parse → lower → hit ratios → estimate → check) for every
#![allow(clippy::unwrap_used, clippy::expect_used)]
//! design in `designs/`, of the model alone on a lowered design, and — as a baseline measured
//! in the same run — of reading the design text into a `SourceFile`.
//!
//! Run: `cargo bench --bench estimate`.

use fermi::analysis::{Options, analyze};
use fermi::design::profile::ProjectConfig;
use fermi::source::SourceFile;
use std::path::PathBuf;

fn main() {
    divan::main();
}

fn designs() -> Vec<(String, String)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("designs");
    let mut out: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("designs/")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "fermi"))
        .map(|p| {
            (
                p.file_stem().unwrap_or_default().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).unwrap_or_default(),
            )
        })
        .collect();
    out.sort();
    out
}

const DESIGNS: &[&str] = &[
    "api-gateway",
    "autocomplete",
    "chat",
    "file-store",
    "key-value-store",
    "news-feed",
    "notifications",
    "rate-limiter",
    "url-shortener",
    "video-platform",
];

fn text_of(name: &str) -> String {
    designs().into_iter().find(|(n, _)| n == name).map(|(_, t)| t).unwrap_or_default()
}

/// Baseline: building the line table of the design text.
#[divan::bench(args = DESIGNS)]
fn baseline_source_file(bencher: divan::Bencher, name: &str) {
    let text = text_of(name);
    bencher.bench(|| SourceFile::new("d.fermi", divan::black_box(text.as_str())));
}

/// The whole pipeline for one design.
#[divan::bench(args = DESIGNS)]
fn parse_and_estimate(bencher: divan::Bencher, name: &str) {
    let text = text_of(name);
    let config = ProjectConfig::built_in();
    bencher.bench(|| {
        let source = SourceFile::new("d.fermi", divan::black_box(text.as_str()));
        analyze(source, &config, Options::default()).map(|a| a.plan.value("traffic.peak_rps")).ok()
    });
}

/// The model alone, given a lowered design and its hit ratios (what Monte Carlo will call).
#[divan::bench(args = DESIGNS)]
fn model_only(bencher: divan::Bencher, name: &str) {
    let text = text_of(name);
    let config = ProjectConfig::built_in();
    let a = analyze(SourceFile::new("d.fermi", text.as_str()), &config, Options::default()).expect("design analyses");
    bencher.bench(|| fermi::model::estimate(divan::black_box(&a.design), &a.hits).value("traffic.peak_rps"));
}

/// Same-run baseline for the cost stage: the model on the same design with every price
/// removed (no `price`, `storage_price` or `cost { … }`), so `model_only ÷ model_unpriced` is
/// what pricing a design adds to the model.
#[divan::bench(args = DESIGNS)]
fn model_unpriced(bencher: divan::Bencher, name: &str) {
    let text = text_of(name);
    let config = ProjectConfig::built_in();
    let a = analyze(SourceFile::new("d.fermi", text.as_str()), &config, Options::default()).expect("design analyses");
    let mut design = a.design.clone();
    for t in &mut design.tiers {
        t.price = None;
        t.storage_price = None;
    }
    design.cost = Default::default();
    assert!(!fermi::model::cost::priced(&design), "{name}: every price removed");
    bencher.bench(|| fermi::model::estimate(divan::black_box(&design), &a.hits).value("traffic.peak_rps"));
}
