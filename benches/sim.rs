//! Cache-simulation throughput. In memory: every policy over the 10M-request Zipf(0.9) trace
//! over 1M objects (generated bit for bit like shared/data's reference trace) at 10,000
//! objects. End to end: the gzip reference trace through LRU, against decompressing and
//! parsing it alone as the baseline in the same run (skipped without ../shared/data).
//!
//! Run: `cargo bench --bench sim` (`FERMI_DATA_DIR` names another folder of the reference traces). Requests per second = 10M ÷ the median time.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use fermi::math::popularity::Popularity;
use fermi::sim::cache::{PolicyKind, run};
use fermi::sim::session::{Size, Source, simulate};
use fermi::sim::workload::{Densifier, Generator, TraceReader};
use std::path::PathBuf;
use std::sync::OnceLock;

fn main() {
    divan::main();
}

fn trace() -> &'static [u32] {
    static TRACE: OnceLock<Vec<u32>> = OnceLock::new();
    TRACE.get_or_init(|| {
        let mut g = Generator::new(Popularity::Zipf { alpha: 0.9 }, 1_000_000, 42);
        let mut d = Densifier::default();
        (0..10_000_000).map(|_| d.key(g.next_id())).collect()
    })
}

const POLICIES: &[&str] = &["lru", "fifo", "clock", "sieve", "lfu", "s3fifo", "arc", "tinylfu", "belady"];

/// 10M requests from memory through one policy at 10,000 objects.
#[divan::bench(args = POLICIES, sample_count = 5)]
fn in_memory_10m(bencher: divan::Bencher, policy: &str) {
    let t = trace();
    let p = PolicyKind::parse(policy).unwrap();
    bencher.bench(|| run(p, 10_000, t).misses);
}

/// The 10M-request gzip reference trace: in `$FERMI_DATA_DIR`, else `../shared/data`.
fn gz() -> Option<PathBuf> {
    let name = "zipf_a0.9_m1M_n10M_seed42.txt.gz";
    let dirs = [
        std::env::var_os("FERMI_DATA_DIR").map(PathBuf::from),
        Some(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data")),
    ];
    dirs.into_iter().flatten().map(|d| d.join(name)).find(|p| p.is_file())
}

/// Baseline: decompress and parse the 10M-line gzip trace, nothing else.
#[divan::bench(sample_count = 5)]
fn baseline_gunzip_and_parse_10m() -> u64 {
    let Some(p) = gz() else { return 0 };
    TraceReader::open(&p).unwrap().map(|r| r.unwrap().0).fold(0, |a, b| a ^ b)
}

/// Baseline of the target: `gzip -dc` of the same file to /dev/null, in the same run
/// (the replay should take at most 1.3× this; skipped without gzip or the trace).
#[divan::bench(sample_count = 5)]
fn baseline_gzip_dc_10m() -> bool {
    let Some(p) = gz() else { return false };
    std::process::Command::new("gzip")
        .arg("-dc")
        .arg(&p)
        .stdout(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// End to end: the gzip trace streamed through LRU at 10,000 objects.
#[divan::bench(sample_count = 5)]
fn end_to_end_gzip_lru_10m() -> u64 {
    let Some(p) = gz() else { return 0 };
    let (out, _) = simulate(&Source::Trace(p), &[PolicyKind::Lru], &[Size::Objects(10_000)], None).unwrap();
    out[0].misses
}

/// 10M keys placed on 1,000 nodes × 256 vnodes (one placement, one thread).
#[divan::bench(sample_count = 5)]
fn shard_place_10m_on_1000x256(bencher: divan::Bencher) {
    use fermi::sim::shard::{Placer, Strategy};
    let p = Placer::new(Strategy::Consistent { vnodes: 256 }, 1000, 10_000_000);
    bencher.bench(|| (1..=10_000_000u64).fold(0u64, |acc, k| acc.wrapping_add(u64::from(p.node(k)))));
}

/// The same trace sampled at 1% (SHARDS), LRU at 10,000 objects: reading dominates.
#[divan::bench(sample_count = 5)]
fn end_to_end_gzip_lru_10m_sampled_1pct() -> u64 {
    let Some(p) = gz() else { return 0 };
    let (out, _) = fermi::sim::session::simulate_sampled(
        &Source::Trace(p),
        &[PolicyKind::Lru],
        &[Size::Objects(10_000)],
        0.01,
        None,
    )
    .unwrap();
    out[0].misses
}

/// Rendezvous placement with movement: 1M keys on 100 nodes (every node scored per key).
#[divan::bench(sample_count = 5)]
fn shard_rendezvous_1m_on_100() -> f64 {
    use fermi::sim::shard::{Strategy, simulate};
    simulate(Strategy::Rendezvous, 100, 1_000_000, Popularity::Zipf { alpha: 0.9 }).moved_on_add
}

/// LRU's miss ratio at the ten curve sizes of a design doc (0.1% to 100% of 1M objects) from
/// one pass over the 10M-request trace; compare with `in_memory_10m(lru)`, one size.
#[divan::bench(sample_count = 5)]
fn lru_curve_10_sizes_10m(bencher: divan::Bencher) {
    let t = trace();
    let sizes: Vec<usize> = fermi::analysis::hit_ratios::CURVE_FRACTIONS.iter().map(|f| (1e6 * f) as usize).collect();
    bencher.bench(|| fermi::sim::mrc::lru_miss_ratios(t, t.len() / 2, &sizes));
}

/// Drawing 1M ids of Zipf(0.9) over 100K keys: the workload of a design's hit-ratio
/// simulation, without the cache.
#[divan::bench(sample_count = 10)]
fn generate_zipf_1m_over_100k(bencher: divan::Bencher) {
    bencher.bench(|| {
        let mut g = Generator::new(Popularity::Zipf { alpha: 0.9 }, 100_000, 42);
        (0..1_000_000).fold(0u64, |a, _| a ^ g.next_id())
    });
}

/// The same 1M ids, drawn a block at a time (`Generator::fill`).
#[divan::bench(sample_count = 10)]
fn generate_zipf_1m_over_100k_in_blocks(bencher: divan::Bencher) {
    let mut ids = vec![0u64; 1_000_000];
    bencher.bench_local(|| {
        let mut g = Generator::new(Popularity::Zipf { alpha: 0.9 }, 100_000, 42);
        g.fill(&mut ids);
        ids.iter().fold(0u64, |a, &b| a ^ b)
    });
}

/// One design's hit-ratio simulation: LRU at 1,000 objects over 100K keys (warm-up and
/// measured requests as `fermi::analysis::hit_ratios` runs them).
#[divan::bench(sample_count = 10)]
fn design_hit_ratio_lru_1k_of_100k() -> f64 {
    fermi::analysis::hit_ratios::simulate(PolicyKind::Lru, Popularity::Zipf { alpha: 0.9 }, 100_000, 1_000)
}
