//! S3-FIFO (Yang et al., SOSP 2023) exactly as shared/reference/cache-semantics.md states it:
//! small S = ⌊0.1·C⌋, main = C − S, a FIFO ghost of 0.9·C ids, promotion after 2 hits. A hit
//! increments freq; a miss removes the id from the ghost and inserts with freq 0 into main if
//! it was there, else into small; while small + main + 1 > C, evict from main when main is
//! over its size or small is empty, else from small. From small: the oldest moves to main
//! with freq 0 when freq ≥ 2 (eviction continues), else is dropped into the ghost. From main:
//! the oldest with freq ≥ 1 is reinserted as newest with freq = min(freq, 3) − 1, else dropped.
//!
//! Architecture Invariant: ghost entries are stamped, so removing an id from the ghost is
//! O(1); stale queue entries are skipped and compacted.

use super::Policy;
use super::list::Sizes;
use std::collections::VecDeque;

const ABSENT: u8 = 0;
const SMALL: u8 = 1;
const MAIN: u8 = 2;

/// S3-FIFO.
#[derive(Debug, Clone)]
pub struct S3Fifo {
    capacity: u64,
    main_size: u64,
    ghost_size: u64,
    small: VecDeque<u32>,
    main: VecDeque<u32>,
    small_used: u64,
    main_used: u64,
    sizes: Sizes,
    ghost: VecDeque<(u32, u32)>,
    ghost_len: u64,
    seq: u32,
    /// Per key: where it is and its freq, side by side (one memory access per request), and
    /// its ghost stamp (0 = not in the ghost).
    meta: Vec<(u8, u8)>,
    stamp: Vec<u32>,
}

impl S3Fifo {
    /// An empty cache of `capacity` units (objects, or bytes; the ghost then remembers ids of
    /// up to 0.9·C bytes of objects).
    pub fn new(capacity: usize) -> Self {
        let capacity = capacity as u64;
        let small = capacity / 10;
        S3Fifo {
            capacity,
            main_size: capacity - small,
            ghost_size: capacity * 9 / 10,
            small: VecDeque::new(),
            main: VecDeque::new(),
            small_used: 0,
            main_used: 0,
            sizes: Sizes::default(),
            ghost: VecDeque::new(),
            ghost_len: 0,
            seq: 0,
            meta: Vec::new(),
            stamp: Vec::new(),
        }
    }

    fn grow(&mut self, key: u32) {
        let k = key as usize;
        if k >= self.meta.len() {
            let n = (k + 1).max(self.meta.len() * 2);
            self.meta.resize(n, (ABSENT, 0));
            self.stamp.resize(n, 0);
        }
    }

    fn remember_in_ghost(&mut self, key: u32) {
        let size = self.sizes.get(key);
        if self.ghost_size == 0 || size > self.ghost_size {
            return;
        }
        while self.ghost_len + size > self.ghost_size {
            let Some((id, st)) = self.ghost.pop_front() else { break };
            if self.stamp[id as usize] == st {
                self.stamp[id as usize] = 0;
                self.ghost_len -= self.sizes.get(id);
            }
        }
        self.seq = self.seq.wrapping_add(1).max(1);
        self.stamp[key as usize] = self.seq;
        self.ghost.push_back((key, self.seq));
        self.ghost_len += size;
        if self.ghost.len() as u64 > 2 * self.ghost_size.min(1 << 32) + 16 {
            let stamp = &self.stamp;
            self.ghost.retain(|(id, st)| stamp[*id as usize] == *st);
        }
    }

    /// One eviction step; returns whether an object left the cache.
    fn evict_one(&mut self) {
        if self.main_used > self.main_size || self.small.is_empty() {
            if let Some(t) = self.main.pop_front() {
                let f = self.meta[t as usize].1;
                if f >= 1 {
                    self.meta[t as usize].1 = f.min(3) - 1;
                    self.main.push_back(t);
                } else {
                    self.meta[t as usize].0 = ABSENT;
                    self.main_used -= self.sizes.get(t);
                }
            }
        } else if let Some(t) = self.small.pop_front() {
            let size = self.sizes.get(t);
            self.small_used -= size;
            if self.meta[t as usize].1 >= 2 {
                self.meta[t as usize].1 = 0;
                self.meta[t as usize].0 = MAIN;
                self.main.push_back(t);
                self.main_used += size;
            } else {
                self.meta[t as usize].0 = ABSENT;
                self.remember_in_ghost(t);
            }
        }
    }
}

impl Policy for S3Fifo {
    #[inline]
    fn warm(&self, key: u32) {
        super::prefetch(&self.meta, key as usize);
        super::prefetch(&self.stamp, key as usize);
    }

    #[inline]
    fn access(&mut self, key: u32, size: u32) -> bool {
        self.grow(key);
        let k = key as usize;
        if self.meta[k].0 != ABSENT {
            self.meta[k].1 = self.meta[k].1.saturating_add(1);
            return true;
        }
        let size = u64::from(size);
        if size > self.capacity {
            return false;
        }
        let was_ghost = self.stamp[k] != 0;
        if was_ghost {
            self.stamp[k] = 0;
            self.ghost_len -= self.sizes.get(key);
        }
        while self.small_used + self.main_used + size > self.capacity
            && !(self.small.is_empty() && self.main.is_empty())
        {
            self.evict_one();
        }
        self.meta[k].1 = 0;
        self.sizes.set(key, size as u32);
        if was_ghost {
            self.meta[k].0 = MAIN;
            self.main.push_back(key);
            self.main_used += size;
        } else {
            self.meta[k].0 = SMALL;
            self.small.push_back(key);
            self.small_used += size;
        }
        false
    }
}
