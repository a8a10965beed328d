//! In-cache LFU: the count starts at 1 on insert, +1 per hit, and is forgotten on eviction;
//! evict the lowest count, and among equal counts the least recently accessed
//! (shared/reference/cache-semantics.md). O(1) per request with frequency buckets, each an
//! intrusive list ordered by recency.
//!
//! Architecture Invariant: `min_freq` never exceeds the lowest non-empty bucket (eviction scans
//! up from it, which in bytes mode may pass buckets its own evictions emptied); a free slot
//! holds `NIL`, and a key's table entry is believed only while its slot holds the key.

use super::Policy;
use super::list::{NIL, Sizes, Table};

/// One slot: its neighbours in its frequency bucket, its key (`NIL` when free) and its count,
/// together so that a relink touches one cache line per slot.
#[derive(Debug, Clone, Copy)]
struct Node {
    prev: u32,
    next: u32,
    key: u32,
    freq: u32,
}

/// Least frequently used.
#[derive(Debug, Clone)]
pub struct Lfu {
    capacity: u64,
    used: u64,
    sizes: Sizes,
    nodes: Vec<Node>,
    free: Vec<u32>,
    table: Table,
    /// Indexed by freq: (most recent, least recent); (NIL, NIL) when empty.
    buckets: Vec<(u32, u32)>,
    min_freq: u32,
    len: usize,
}

impl Lfu {
    /// An empty cache of `capacity` units (objects, or bytes).
    pub fn new(capacity: usize) -> Self {
        Lfu {
            capacity: capacity as u64,
            used: 0,
            sizes: Sizes::default(),
            nodes: Vec::with_capacity(capacity.min(1 << 24)),
            free: Vec::new(),
            table: Table::default(),
            buckets: Vec::new(),
            min_freq: 0,
            len: 0,
        }
    }

    #[inline]
    fn push_front(&mut self, s: u32, f: u32) {
        if f as usize >= self.buckets.len() {
            self.buckets.resize((f as usize + 1).max(self.buckets.len() * 2), (NIL, NIL));
        }
        let bucket = &mut self.buckets[f as usize];
        let head = bucket.0;
        if head != NIL {
            self.nodes[head as usize].prev = s;
        } else {
            bucket.1 = s;
        }
        bucket.0 = s;
        let n = &mut self.nodes[s as usize];
        n.freq = f;
        n.prev = NIL;
        n.next = head;
    }

    /// Unlinks a slot from its bucket; returns whether the bucket became empty.
    #[inline]
    fn unlink(&mut self, s: u32) -> bool {
        let Node { prev: p, next: n, freq: f, .. } = self.nodes[s as usize];
        if p != NIL {
            self.nodes[p as usize].next = n;
        }
        if n != NIL {
            self.nodes[n as usize].prev = p;
        }
        let Some(bucket) = self.buckets.get_mut(f as usize) else { return true };
        if bucket.0 == s {
            bucket.0 = n;
        }
        if bucket.1 == s {
            bucket.1 = p;
        }
        bucket.0 == NIL
    }
}

impl Policy for Lfu {
    #[inline]
    fn warm(&self, key: u32) {
        self.table.warm(key);
    }

    #[inline]
    fn warm_slot(&self, key: u32) {
        super::prefetch(&self.nodes, self.table.peek(key) as usize);
    }

    #[inline]
    fn access(&mut self, key: u32, size: u32) -> bool {
        if let Some(s) = self.table.get(key).filter(|&s| self.nodes[s as usize].key == key) {
            let f = self.nodes[s as usize].freq;
            if self.unlink(s) && self.min_freq == f {
                self.min_freq = f + 1;
            }
            self.push_front(s, f + 1);
            return true;
        }
        let size = u64::from(size);
        if size > self.capacity {
            return false;
        }
        while self.used + size > self.capacity && self.len > 0 {
            // After an eviction empties the lowest bucket, the next lowest is further up.
            while self.buckets.get(self.min_freq as usize).is_some_and(|b| b.1 == NIL) {
                self.min_freq += 1;
            }
            let Some(&(_, victim)) = self.buckets.get(self.min_freq as usize) else { break };
            self.unlink(victim);
            let k = std::mem::replace(&mut self.nodes[victim as usize].key, NIL);
            self.free.push(victim);
            self.len -= 1;
            self.used -= self.sizes.get(k);
        }
        let s = match self.free.pop() {
            Some(s) => {
                self.nodes[s as usize].key = key;
                s
            }
            None => {
                self.nodes.push(Node { prev: NIL, next: NIL, key, freq: 0 });
                (self.nodes.len() - 1) as u32
            }
        };
        self.push_front(s, 1);
        self.min_freq = 1;
        self.table.set(key, s);
        self.sizes.set(key, size as u32);
        self.used += size;
        self.len += 1;
        false
    }
}
