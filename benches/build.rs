//! Benchmark of `fermi build` on a folder of 110 designs (the eleven in `designs/`, ten
//! variants each), rendering docs and plots and writing them atomically; and, as a baseline
//! measured in the same run, copying the same design files.
//!
//! Each variant scales the workload's key count by its own factor (1.00, 1.01, …), so no two
//! designs in the folder ask the simulations the same question: a figure that only holds when
//! designs repeat (a memo across designs) would not show here.
//!
//! Run: `cargo bench --bench build`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use fermi::files::batch;
use fermi::render::doc::Templates;
use std::path::{Path, PathBuf};

fn main() {
    divan::main();
}

fn designs_110() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("fermi-bench-110-{}", std::process::id()));
    let src = dir.join("designs");
    // Process ids are reused: start from an empty folder, not one an earlier run left.
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&src).unwrap();
    let designs = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("designs");
    for entry in std::fs::read_dir(&designs).unwrap().flatten() {
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let stem = entry.path().file_stem().unwrap().to_string_lossy().into_owned();
        for k in 0..10 {
            std::fs::write(src.join(format!("{stem}-{k}.fermi")), scale_keys(&text, 1.0 + f64::from(k) / 100.0))
                .unwrap();
        }
    }
    dir
}

/// The design with its `keys = VALUE` line rewritten as `keys = (VALUE) * factor`.
fn scale_keys(text: &str, factor: f64) -> String {
    text.lines()
        .map(|line| {
            let (code, comment) = line.split_once('#').map_or((line, ""), |(c, r)| (c, r));
            match code.split_once('=') {
                Some((name, value)) if name.trim() == "keys" => {
                    let hash = if comment.is_empty() { "" } else { "#" };
                    format!("{name}= ({}) * {factor} {hash}{comment}", value.trim())
                }
                _ => line.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

fn copy_all(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
    }
}

/// Baseline: copying the 110 design files.
#[divan::bench(sample_count = 20)]
fn baseline_copy_110_files(bencher: divan::Bencher) {
    let dir = designs_110();
    bencher.bench(|| copy_all(&dir.join("designs"), &dir.join("copy")));
}

/// Build docs and plots for 110 designs and write them, each time into an empty folder (a
/// rebuild would skip the files that did not change).
#[divan::bench(sample_count = 20)]
fn build_110_designs(bencher: divan::Bencher) {
    let dir = designs_110();
    let templates = Templates::new(&[]).unwrap();
    let runs = std::sync::atomic::AtomicUsize::new(0);
    bencher
        .with_inputs(|| dir.join(format!("out-{}", runs.fetch_add(1, std::sync::atomic::Ordering::Relaxed))))
        .bench_values(|out| {
            let b = batch::build(&dir.join("designs"), &templates, 4, Default::default()).unwrap();
            b.write(&out).unwrap()
        });
}
