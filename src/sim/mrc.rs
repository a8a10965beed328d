//! Miss-ratio curves: LRU's miss ratio at every cache size from one pass over a trace, by
//! stack distances (Mattson, Gecsei, Slutz & Traiger, "Evaluation techniques for storage
//! hierarchies", IBM Systems Journal 9(2), 1970). A request's stack distance is the number of
//! distinct keys used since its previous request (plus one); it hits in every LRU cache at
//! least that large. Distinct keys in a window are counted with a Fenwick tree over time
//! positions marking each key's latest use, so a pass costs O(N log N).
//!
//! Architecture Invariant: exact — the curve equals direct LRU simulation at every size.

/// A Fenwick (binary indexed) tree of counts.
struct Fenwick(Vec<i64>);

impl Fenwick {
    fn add(&mut self, mut i: usize, v: i64) {
        i += 1;
        while i < self.0.len() {
            self.0[i] += v;
            i += i & i.wrapping_neg();
        }
    }

    /// Sum of positions 0..=i.
    fn prefix(&self, mut i: usize) -> i64 {
        i += 1;
        let mut s = 0;
        while i > 0 {
            s += self.0[i];
            i -= i & i.wrapping_neg();
        }
        s
    }
}

/// LRU miss ratios at `sizes`, counting only requests from position `measure_from` on (the
/// cache state still builds from the start: a warm-up).
pub fn lru_miss_ratios(trace: &[u32], measure_from: usize, sizes: &[usize]) -> Vec<f64> {
    let n = trace.len();
    let universe = trace.iter().copied().max().map_or(0, |m| m as usize + 1);
    let mut last = vec![usize::MAX; universe];
    let mut tree = Fenwick(vec![0; n + 1]);
    // hist[d] = measured requests with stack distance d (1-based); first uses always miss.
    let mut hist: Vec<u64> = vec![0; universe + 2];
    for (t, &k) in trace.iter().enumerate() {
        let prev = last[k as usize];
        if prev != usize::MAX {
            // Distinct keys used in (prev, t): markers at positions prev+1 ..= t−1.
            let distance = (tree.prefix(t.saturating_sub(1)) - tree.prefix(prev)) as usize + 1;
            if t >= measure_from {
                hist[distance] += 1;
            }
            tree.add(prev, -1);
        }
        tree.add(t, 1);
        last[k as usize] = t;
    }
    let measured = (n.saturating_sub(measure_from)).max(1) as f64;
    let mut cumulative = vec![0u64; hist.len()];
    let mut acc = 0u64;
    for (d, h) in hist.iter().enumerate() {
        acc += h;
        cumulative[d] = acc;
    }
    sizes
        .iter()
        .map(|&c| {
            let hits = cumulative.get(c.min(cumulative.len() - 1)).copied().unwrap_or(0);
            1.0 - hits as f64 / measured
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::math::rng::SplitMix64;
    use crate::sim::cache::{Lru, Policy};

    #[test]
    fn the_stack_distance_curve_equals_direct_lru_simulation() {
        let mut r = SplitMix64::new(5);
        let trace: Vec<u32> = (0..50_000).map(|_| (r.next_f64().powi(3) * 5_000.0) as u32).collect();
        let sizes = [1usize, 10, 100, 500, 1_000, 4_000, 10_000];
        let warm = 20_000;
        let curve = lru_miss_ratios(&trace, warm, &sizes);
        for (&c, &m) in sizes.iter().zip(&curve) {
            let mut lru = Lru::new(c);
            let mut misses = 0;
            for (t, &k) in trace.iter().enumerate() {
                if !lru.access(k, 1) && t >= warm {
                    misses += 1;
                }
            }
            let direct = misses as f64 / (trace.len() - warm) as f64;
            assert!((m - direct).abs() < 1e-12, "C = {c}: {m} vs {direct}");
        }
    }
}
