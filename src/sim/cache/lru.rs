//! LRU: a hit moves the object to the most-recent end; a miss inserts it there, first evicting
//! least-recent objects until it fits (shared/reference/cache-semantics.md).
//!
//! Architecture Invariant: O(1) per request (amortised, in bytes mode); no allocation after
//! the cache fills; an eviction touches the victim's slot only (the index is never cleared).

use super::Policy;
use super::list::{List, Sizes};

/// Least recently used.
#[derive(Debug, Clone)]
pub struct Lru {
    capacity: u64,
    used: u64,
    list: List,
    sizes: Sizes,
}

impl Lru {
    /// An empty cache of `capacity` units (objects, or bytes).
    pub fn new(capacity: usize) -> Self {
        Lru {
            capacity: capacity as u64,
            used: 0,
            list: List::with_capacity(capacity.min(1 << 24)),
            sizes: Sizes::default(),
        }
    }
}

impl Policy for Lru {
    #[inline]
    fn access(&mut self, key: u32, size: u32) -> bool {
        if let Some(s) = self.list.find(key) {
            self.list.move_to_front(s);
            return true;
        }
        if size == 1 && self.sizes.uniform() && self.used >= self.capacity && self.list.len > 0 {
            // Full of unit objects: exactly the tail goes, and its slot takes the new key.
            self.list.replace_tail(key);
            return false;
        }
        let size = u64::from(size);
        if size > self.capacity {
            return false;
        }
        while self.used + size > self.capacity && self.list.len > 0 {
            let k = self.list.remove(self.list.tail);
            self.used -= self.sizes.get(k);
        }
        self.list.insert_front(key);
        self.sizes.set(key, size as u32);
        self.used += size;
        false
    }

    #[inline]
    fn warm(&self, key: u32) {
        self.list.warm(key);
    }

    #[inline]
    fn warm_slot(&self, key: u32) {
        self.list.warm_slot(key);
    }
}
