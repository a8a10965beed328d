//! Benchmarks of the what-if commands against one estimate of the same design in the same
//! run: a 100-step sweep of `designs/url-shortener.fermi` (users.dau from 10M to 1B, log
//! spaced) and a diff of two versions of `designs/news-feed.fermi` (as written, and with 20%
//! more daily users). The budget: each under 0.5 s.
//!
//! Run: `cargo bench --bench whatif`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use fermi::analysis::whatif::sweep::{Evaluator, Spec, sweep};
use fermi::analysis::{Options, analyze};
use fermi::design::profile::ProjectConfig;
use fermi::source::SourceFile;
use std::path::PathBuf;

fn main() {
    divan::main();
}

fn text_of(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("designs").join(format!("{name}.fermi"));
    std::fs::read_to_string(path).expect("design")
}

fn point() -> Options {
    Options { sampling: fermi::uncertainty::Settings { samples: 0, ..Default::default() }, ..Options::default() }
}

/// Baseline: one `fermi estimate` of the URL shortener.
#[divan::bench(sample_count = 10)]
fn estimate_url_shortener() {
    let source = SourceFile::new("url-shortener.fermi", text_of("url-shortener"));
    divan::black_box(analyze(source, &ProjectConfig::built_in(), Options::default()).unwrap());
}

/// A 100-step sweep of the URL shortener's daily users, as `fermi sweep` runs it.
#[divan::bench(sample_count = 10)]
fn sweep_url_shortener_100_steps() {
    let source = SourceFile::new("url-shortener.fermi", text_of("url-shortener"));
    let config = ProjectConfig::built_in();
    let base = analyze(source.clone(), &config, point()).unwrap();
    let evaluator = Evaluator::new(&base, &source, &config, "users.dau", false).unwrap();
    let spec = Spec { name: "users.dau".into(), from: 1e7, to: 1e9, steps: 100, log: true };
    divan::black_box(sweep(&base, &evaluator, &spec).unwrap());
}

/// Baseline: one `fermi estimate` of the news feed.
#[divan::bench(sample_count = 10)]
fn estimate_news_feed() {
    let source = SourceFile::new("news-feed.fermi", text_of("news-feed"));
    divan::black_box(analyze(source, &ProjectConfig::built_in(), Options::default()).unwrap());
}

/// A diff of two versions of the news feed, as `fermi diff` runs it.
#[divan::bench(sample_count = 10)]
fn diff_news_feed() {
    let text = text_of("news-feed");
    let changed = text.replace("dau  = 500M", "dau  = 600M");
    assert_ne!(text, changed, "the second version differs");
    let (old, new) = (SourceFile::new("old.fermi", text), SourceFile::new("new.fermi", changed));
    let (_, _, d) = fermi::analysis::diff_sources(old, new, &ProjectConfig::built_in(), Options::default()).unwrap();
    assert!(!d.is_empty());
    divan::black_box(d);
}
