//! LRU: a hit moves the object to the most-recent end; a miss inserts it there, first evicting
//! least-recent objects until it fits (shared/reference/cache-semantics.md).
//!
//! Architecture Invariant: O(1) per request (amortised, in bytes mode); no allocation after
//! the cache fills.

use super::Policy;
use super::list::{List, Sizes, Table};

/// Least recently used.
#[derive(Debug, Clone)]
pub struct Lru {
    capacity: u64,
    used: u64,
    list: List,
    table: Table,
    sizes: Sizes,
}

impl Lru {
    /// An empty cache of `capacity` units (objects, or bytes).
    pub fn new(capacity: usize) -> Self {
        Lru {
            capacity: capacity as u64,
            used: 0,
            list: List::with_capacity(capacity.min(1 << 24)),
            table: Table::default(),
            sizes: Sizes::default(),
        }
    }
}

impl Policy for Lru {
    fn access(&mut self, key: u32, size: u32) -> bool {
        if let Some(s) = self.table.get(key) {
            if self.list.head != s {
                self.list.unlink(s);
                self.list.push_front(s);
            }
            return true;
        }
        let size = u64::from(size);
        if size > self.capacity {
            return false;
        }
        while self.used + size > self.capacity && self.list.len > 0 {
            let victim = self.list.tail;
            let k = self.list.key[victim as usize];
            self.list.unlink(victim);
            self.table.clear(k);
            self.list.release(victim);
            self.used -= self.sizes.get(k);
        }
        let s = self.list.alloc(key);
        self.list.push_front(s);
        self.table.set(key, s);
        self.sizes.set(key, size as u32);
        self.used += size;
        false
    }
}
