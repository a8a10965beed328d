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

/// A generated design with `n` tiers and `n` requests, each request's path three hops
/// (`t{i} -> t{i+1} -> db`) through service tiers with service times (so latency budgets,
/// queues and availability all run per tier and per request), under a latency SLO.
fn generated(n: usize) -> String {
    let mut s = String::from("design \"generated\" {\n  users {\n    dau = 100M\n  }\n");
    for i in 0..n {
        let next = (i + 1) % n;
        let kind = if i == 0 { "write\n    stores = 1 KB" } else { "read" };
        s.push_str(&format!(
            "  request r{i} {{\n    kind = {kind}\n    rate = 1 per user per day\n    request = 200 B\n    response = 500 B\n    path = t{i} -> t{next} -> db\n  }}\n"
        ));
    }
    s.push_str("  storage {\n    retention = 1 year\n    replication = 3\n  }\n");
    s.push_str("  slo {\n    availability = 1%\n    latency p99 = 100 ms\n  }\n");
    for i in 0..n {
        s.push_str(&format!("  tier t{i} {{\n    capacity = 5K rps\n    service_time = 2 ms\n  }}\n"));
    }
    s.push_str("  tier db {\n    kind = database\n    capacity = 5K rps\n    disk = 4 TB\n  }\n}\n");
    s
}

/// The whole pipeline on the generated design at 100 and at 10,000 tiers (and as many
/// requests, three hops each): linear cost makes the second about 100× the first.
#[divan::bench(args = [100, 10_000], sample_count = 3, sample_size = 1)]
fn scale_parse_and_estimate(bencher: divan::Bencher, tiers: usize) {
    let text = generated(tiers);
    let config = ProjectConfig::built_in();
    bencher.bench(|| {
        let source = SourceFile::new("g.fermi", divan::black_box(text.as_str()));
        analyze(source, &config, Options::default()).map(|a| a.plan.value("traffic.peak_rps")).ok()
    });
}

/// The model alone on the generated design at 100 and at 10,000 tiers.
#[divan::bench(args = [100, 10_000], sample_count = 3, sample_size = 1)]
fn scale_model_only(bencher: divan::Bencher, tiers: usize) {
    let text = generated(tiers);
    let config = ProjectConfig::built_in();
    let a = analyze(SourceFile::new("g.fermi", text.as_str()), &config, Options::default()).expect("design analyses");
    bencher.bench(|| fermi::model::estimate(divan::black_box(&a.design), &a.hits).value("traffic.peak_rps"));
}
