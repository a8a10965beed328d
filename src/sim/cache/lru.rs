//! LRU: a hit moves the object to the most-recent end; a miss inserts it there, first evicting
//! the least-recent object when the cache is full (shared/reference/cache-semantics.md).
//!
//! Architecture Invariant: O(1) per request; no allocation after the cache fills.

use super::Policy;
use super::list::{List, Table};

/// Least recently used.
#[derive(Debug, Clone)]
pub struct Lru {
    capacity: usize,
    list: List,
    table: Table,
}

impl Lru {
    /// An empty cache of `capacity` objects.
    pub fn new(capacity: usize) -> Self {
        Lru { capacity, list: List::with_capacity(capacity), table: Table::default() }
    }
}

impl Policy for Lru {
    fn access(&mut self, key: u32) -> bool {
        if let Some(s) = self.table.get(key) {
            if self.list.head != s {
                self.list.unlink(s);
                self.list.push_front(s);
            }
            return true;
        }
        if self.capacity == 0 {
            return false;
        }
        if self.list.len >= self.capacity {
            let victim = self.list.tail;
            self.list.unlink(victim);
            self.table.clear(self.list.key[victim as usize]);
            self.list.release(victim);
        }
        let s = self.list.alloc(key);
        self.list.push_front(s);
        self.table.set(key, s);
        false
    }
}
