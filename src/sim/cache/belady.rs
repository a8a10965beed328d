//! Belady's MIN, the offline optimum: on every miss insert, evicting the cached object whose
//! next request is farthest in the future (never again = infinitely far). A lower bound for
//! every policy's misses on the same trace (shared/reference/cache-semantics.md). In bytes
//! mode it evicts the farthest objects until the new one fits: the usual size-blind
//! generalisation, no longer guaranteed optimal when sizes differ.
//!
//! Architecture Invariant: needs the whole trace in memory (it looks ahead); a max-heap with
//! lazy deletion keeps each request O(log C) amortised.

use super::Capacity;
use std::collections::BinaryHeap;

const NEVER: u32 = u32::MAX;

/// Misses and missed bytes of MIN on a trace of dense keys (`sizes` empty when all are 1).
pub(super) fn misses(trace: &[u32], sizes: &[u32], capacity: Capacity) -> (u64, u64) {
    let bytes_of = |i: usize| u64::from(sizes.get(i).copied().unwrap_or(1));
    let charge = |i: usize| if capacity.is_bytes() { bytes_of(i) } else { 1 };
    let cap = capacity.units();
    if cap == 0 {
        return (trace.len() as u64, (0..trace.len()).map(bytes_of).sum());
    }
    let universe = trace.iter().copied().max().map_or(0, |m| m as usize + 1);
    let mut next_use = vec![NEVER; trace.len()];
    let mut seen = vec![NEVER; universe];
    for (i, &k) in trace.iter().enumerate().rev() {
        next_use[i] = seen[k as usize];
        seen[k as usize] = i as u32;
    }
    let mut current = vec![NEVER; universe];
    let mut cached = vec![false; universe];
    let mut held = vec![0u64; universe];
    let mut heap: BinaryHeap<(u32, u32)> = BinaryHeap::with_capacity(trace.len().min(1 << 20));
    let (mut used, mut len, mut misses, mut missed_bytes) = (0u64, 0usize, 0u64, 0u64);
    for (i, &k) in trace.iter().enumerate() {
        let n = next_use[i];
        let ku = k as usize;
        if cached[ku] {
            current[ku] = n;
            heap.push((n, k));
        } else {
            misses += 1;
            missed_bytes += bytes_of(i);
            let need = charge(i);
            if need > cap {
                continue;
            }
            while used + need > cap {
                let Some((far, victim)) = heap.pop() else { break };
                let v = victim as usize;
                if cached[v] && current[v] == far {
                    cached[v] = false;
                    used -= held[v];
                    len -= 1;
                }
            }
            cached[ku] = true;
            current[ku] = n;
            held[ku] = need;
            heap.push((n, k));
            used += need;
            len += 1;
        }
        if heap.len() > 4 * len + 64 {
            let live: Vec<(u32, u32)> =
                heap.drain().filter(|(far, key)| cached[*key as usize] && current[*key as usize] == *far).collect();
            heap = live.into();
        }
    }
    (misses, missed_bytes)
}
