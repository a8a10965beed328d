//! Benchmark of `fermi build` on a folder of 100 designs (the ten in `designs/`, ten copies
//! each), rendering docs and plots and writing them atomically; and, as a baseline measured in
//! the same run, copying the same 100 design files.
//!
//! Run: `cargo bench --bench build`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use fermi::batch;
use fermi::render::doc::Templates;
use std::path::{Path, PathBuf};

fn main() {
    divan::main();
}

fn hundred_designs() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("fermi-bench-100-{}", std::process::id()));
    let src = dir.join("designs");
    std::fs::create_dir_all(&src).unwrap();
    let designs = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("designs");
    for entry in std::fs::read_dir(&designs).unwrap().flatten() {
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let stem = entry.path().file_stem().unwrap().to_string_lossy().into_owned();
        for k in 0..10 {
            std::fs::write(src.join(format!("{stem}-{k}.fermi")), &text).unwrap();
        }
    }
    dir
}

fn copy_all(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
    }
}

/// Baseline: copying the 100 design files.
#[divan::bench(sample_count = 20)]
fn baseline_copy_100_files(bencher: divan::Bencher) {
    let dir = hundred_designs();
    bencher.bench(|| copy_all(&dir.join("designs"), &dir.join("copy")));
}

/// Build docs and plots for 100 designs and write them.
#[divan::bench(sample_count = 20)]
fn build_100_designs(bencher: divan::Bencher) {
    let dir = hundred_designs();
    let templates = Templates::new(&[]).unwrap();
    bencher.bench(|| {
        let b = batch::build(&dir.join("designs"), &templates, 4, Default::default()).unwrap();
        b.write(&dir.join("out")).unwrap()
    });
}
