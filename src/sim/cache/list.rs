//! An intrusive doubly linked list over slot indexes (no allocation per node after warm-up),
//! plus dense key → slot and key → size tables: the building blocks of LRU, SIEVE and LFU.
//!
//! Architecture Invariant: slots are reused through a free list; `NIL` marks no neighbour.

/// No slot.
pub(super) const NIL: u32 = u32::MAX;

/// A list of slots, each holding a key; front is "newest".
#[derive(Debug, Default, Clone)]
pub(super) struct List {
    prev: Vec<u32>,
    next: Vec<u32>,
    pub(super) key: Vec<u32>,
    free: Vec<u32>,
    pub(super) head: u32,
    pub(super) tail: u32,
    pub(super) len: usize,
}

impl List {
    pub(super) fn with_capacity(c: usize) -> Self {
        List {
            prev: Vec::with_capacity(c),
            next: Vec::with_capacity(c),
            key: Vec::with_capacity(c),
            free: Vec::new(),
            head: NIL,
            tail: NIL,
            len: 0,
        }
    }

    /// A slot holding `key`, not yet linked.
    pub(super) fn alloc(&mut self, key: u32) -> u32 {
        match self.free.pop() {
            Some(s) => {
                self.key[s as usize] = key;
                s
            }
            None => {
                self.prev.push(NIL);
                self.next.push(NIL);
                self.key.push(key);
                (self.key.len() - 1) as u32
            }
        }
    }

    /// Returns a slot to the free list (it must be unlinked).
    pub(super) fn release(&mut self, s: u32) {
        self.free.push(s);
    }

    /// Links a slot at the front.
    pub(super) fn push_front(&mut self, s: u32) {
        let i = s as usize;
        self.prev[i] = NIL;
        self.next[i] = self.head;
        if self.head != NIL {
            self.prev[self.head as usize] = s;
        } else {
            self.tail = s;
        }
        self.head = s;
        self.len += 1;
    }

    /// Unlinks a slot.
    pub(super) fn unlink(&mut self, s: u32) {
        let i = s as usize;
        let (p, n) = (self.prev[i], self.next[i]);
        if p != NIL {
            self.next[p as usize] = n;
        } else {
            self.head = n;
        }
        if n != NIL {
            self.prev[n as usize] = p;
        } else {
            self.tail = p;
        }
        self.len -= 1;
    }

    /// The neighbour toward the front (newer), or NIL.
    pub(super) fn prev_of(&self, s: u32) -> u32 {
        self.prev[s as usize]
    }
}

/// Dense key → slot + 1 (0 = absent), grown on demand.
#[derive(Debug, Default, Clone)]
pub(super) struct Table(Vec<u32>);

impl Table {
    pub(super) fn get(&self, key: u32) -> Option<u32> {
        match self.0.get(key as usize) {
            Some(&v) if v != 0 => Some(v - 1),
            _ => None,
        }
    }

    pub(super) fn set(&mut self, key: u32, slot: u32) {
        let k = key as usize;
        if k >= self.0.len() {
            self.0.resize((k + 1).max(self.0.len() * 2), 0);
        }
        self.0[k] = slot + 1;
    }

    pub(super) fn clear(&mut self, key: u32) {
        if let Some(v) = self.0.get_mut(key as usize) {
            *v = 0;
        }
    }
}

/// Dense key → the size its object had when inserted, in the capacity's units (1 per object
/// when capacity counts objects; bytes when it counts bytes). While every size seen is 1 (all
/// of objects mode) it stores nothing and answers 1 without touching memory: the table costs
/// a count-based replay nothing.
#[derive(Debug, Clone)]
pub(super) struct Sizes {
    uniform: bool,
    v: Vec<u32>,
}

impl Default for Sizes {
    fn default() -> Self {
        Sizes { uniform: true, v: Vec::new() }
    }
}

impl Sizes {
    pub(super) fn set(&mut self, key: u32, size: u32) {
        if self.uniform && size == 1 {
            return;
        }
        self.uniform = false;
        let k = key as usize;
        if k >= self.v.len() {
            // Keys set while every size was 1 read back as 1.
            self.v.resize((k + 1).max(self.v.len() * 2), 1);
        }
        self.v[k] = size;
    }

    pub(super) fn get(&self, key: u32) -> u64 {
        if self.uniform { 1 } else { self.v.get(key as usize).map_or(1, |&s| u64::from(s)) }
    }
}
