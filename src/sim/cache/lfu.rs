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

/// Least frequently used.
#[derive(Debug, Clone)]
pub struct Lfu {
    capacity: u64,
    used: u64,
    sizes: Sizes,
    prev: Vec<u32>,
    next: Vec<u32>,
    key: Vec<u32>,
    freq: Vec<u32>,
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
            prev: Vec::new(),
            next: Vec::new(),
            key: Vec::new(),
            freq: Vec::new(),
            free: Vec::new(),
            table: Table::default(),
            buckets: Vec::new(),
            min_freq: 0,
            len: 0,
        }
    }

    fn push_front(&mut self, s: u32, f: u32) {
        let i = s as usize;
        self.freq[i] = f;
        if f as usize >= self.buckets.len() {
            self.buckets.resize((f as usize + 1).max(self.buckets.len() * 2), (NIL, NIL));
        }
        let bucket = &mut self.buckets[f as usize];
        self.prev[i] = NIL;
        self.next[i] = bucket.0;
        if bucket.0 != NIL {
            self.prev[bucket.0 as usize] = s;
        } else {
            bucket.1 = s;
        }
        bucket.0 = s;
    }

    /// Unlinks a slot from its bucket; returns whether the bucket became empty.
    fn unlink(&mut self, s: u32) -> bool {
        let i = s as usize;
        let f = self.freq[i];
        let (p, n) = (self.prev[i], self.next[i]);
        if p != NIL {
            self.next[p as usize] = n;
        }
        if n != NIL {
            self.prev[n as usize] = p;
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
    fn access(&mut self, key: u32, size: u32) -> bool {
        if let Some(s) = self.table.get(key).filter(|&s| self.key[s as usize] == key) {
            let f = self.freq[s as usize];
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
            let k = std::mem::replace(&mut self.key[victim as usize], NIL);
            self.free.push(victim);
            self.len -= 1;
            self.used -= self.sizes.get(k);
        }
        let s = match self.free.pop() {
            Some(s) => {
                self.key[s as usize] = key;
                s
            }
            None => {
                self.prev.push(NIL);
                self.next.push(NIL);
                self.key.push(key);
                self.freq.push(0);
                (self.key.len() - 1) as u32
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
