//! Belady's MIN, the offline optimum: on every miss insert, evicting the cached object whose
//! next request is farthest in the future (never again = infinitely far). A lower bound for
//! every policy's misses on the same trace (shared/reference/cache-semantics.md).
//!
//! Architecture Invariant: needs the whole trace in memory (it looks ahead); a max-heap with
//! lazy deletion keeps each request O(log C) amortised.

use std::collections::BinaryHeap;

const NEVER: u32 = u32::MAX;

/// Misses of MIN with `capacity` objects on a trace of dense keys.
pub(super) fn misses(trace: &[u32], capacity: usize) -> u64 {
    if capacity == 0 {
        return trace.len() as u64;
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
    let mut heap: BinaryHeap<(u32, u32)> = BinaryHeap::with_capacity(capacity * 2);
    let (mut len, mut misses) = (0usize, 0u64);
    for (i, &k) in trace.iter().enumerate() {
        let n = next_use[i];
        let ku = k as usize;
        if cached[ku] {
            current[ku] = n;
            heap.push((n, k));
        } else {
            misses += 1;
            if len >= capacity {
                while let Some((far, victim)) = heap.pop() {
                    if cached[victim as usize] && current[victim as usize] == far {
                        cached[victim as usize] = false;
                        len -= 1;
                        break;
                    }
                }
            }
            cached[ku] = true;
            current[ku] = n;
            heap.push((n, k));
            len += 1;
        }
        if heap.len() > 4 * capacity + 64 {
            let live: Vec<(u32, u32)> =
                heap.drain().filter(|(far, key)| cached[*key as usize] && current[*key as usize] == *far).collect();
            heap = live.into();
        }
    }
    misses
}
