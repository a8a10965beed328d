//! An intrusive doubly linked list over slot indexes (no allocation per node after warm-up)
//! with its own dense key → slot index, plus dense key → slot and key → size tables: the
//! building blocks of LRU, SIEVE, LFU, ARC and W-TinyLFU.
//!
//! Architecture Invariant: slots are reused through a free list; `NIL` marks no neighbour.
//! The list's index is never cleared: an entry is believed only while the slot it names holds
//! that key, so evicting an object touches its slot alone, not the key's entry.

/// No slot.
pub(super) const NIL: u32 = u32::MAX;

/// One slot: its neighbours and its key (`NIL` when free), together so that a move touches
/// one cache line per slot.
#[derive(Debug, Clone, Copy)]
struct Node {
    prev: u32,
    next: u32,
    key: u32,
}

/// A list of slots, each holding a key; front is "newest".
#[derive(Debug, Default, Clone)]
pub(super) struct List {
    nodes: Vec<Node>,
    free: Vec<u32>,
    /// Dense key → the slot it was last given (`NIL` if never); see the invariant.
    slot_of: Vec<u32>,
    pub(super) head: u32,
    pub(super) tail: u32,
    pub(super) len: usize,
}

impl List {
    pub(super) fn with_capacity(c: usize) -> Self {
        List { nodes: Vec::with_capacity(c), free: Vec::new(), slot_of: Vec::new(), head: NIL, tail: NIL, len: 0 }
    }

    /// The slot holding `key`, if it is on the list.
    #[inline]
    pub(super) fn find(&self, key: u32) -> Option<u32> {
        let s = *self.slot_of.get(key as usize)?;
        match self.nodes.get(s as usize) {
            Some(n) if n.key == key => Some(s),
            _ => None,
        }
    }

    /// Prefetches `key`'s index entry so a later [`List::find`] finds it in cache.
    #[inline]
    pub(super) fn warm(&self, key: u32) {
        super::prefetch(&self.slot_of, key as usize);
    }

    /// Brings in the slot `key`'s (already warmed) index entry names.
    #[inline]
    pub(super) fn warm_slot(&self, key: u32) {
        if let Some(&s) = self.slot_of.get(key as usize) {
            super::prefetch(&self.nodes, s as usize);
        }
    }

    /// A slot holding `key` at the front, indexed.
    #[inline]
    pub(super) fn insert_front(&mut self, key: u32) -> u32 {
        let s = match self.free.pop() {
            Some(s) => {
                self.nodes[s as usize].key = key;
                s
            }
            None => {
                self.nodes.push(Node { prev: NIL, next: NIL, key });
                (self.nodes.len() - 1) as u32
            }
        };
        let k = key as usize;
        if k >= self.slot_of.len() {
            self.slot_of.resize((k + 1).max(self.slot_of.len() * 2), NIL);
        }
        self.slot_of[k] = s;
        self.push_front(s);
        s
    }

    /// Gives the tail's slot to `key` and moves it to the front: an eviction and an insert in
    /// one relink, with no trip through the free list. The list must not be empty.
    #[inline]
    pub(super) fn replace_tail(&mut self, key: u32) {
        let s = self.tail;
        self.nodes[s as usize].key = key;
        let k = key as usize;
        if k >= self.slot_of.len() {
            self.slot_of.resize((k + 1).max(self.slot_of.len() * 2), NIL);
        }
        self.slot_of[k] = s;
        self.move_to_front(s);
    }

    /// Unlinks slot `s` and frees it; returns the key it held.
    #[inline]
    pub(super) fn remove(&mut self, s: u32) -> u32 {
        self.unlink(s);
        let key = std::mem::replace(&mut self.nodes[s as usize].key, NIL);
        self.free.push(s);
        key
    }

    /// Moves a linked slot to the front.
    #[inline]
    pub(super) fn move_to_front(&mut self, s: u32) {
        if self.head != s {
            self.unlink(s);
            self.push_front(s);
        }
    }

    /// Links a slot at the front.
    #[inline]
    fn push_front(&mut self, s: u32) {
        let head = self.head;
        let n = &mut self.nodes[s as usize];
        n.prev = NIL;
        n.next = head;
        if head != NIL {
            self.nodes[head as usize].prev = s;
        } else {
            self.tail = s;
        }
        self.head = s;
        self.len += 1;
    }

    /// Unlinks a slot.
    #[inline]
    fn unlink(&mut self, s: u32) {
        let Node { prev: p, next: n, .. } = self.nodes[s as usize];
        if p != NIL {
            self.nodes[p as usize].next = n;
        } else {
            self.head = n;
        }
        if n != NIL {
            self.nodes[n as usize].prev = p;
        } else {
            self.tail = p;
        }
        self.len -= 1;
    }

    /// The neighbour toward the front (newer), or NIL.
    #[inline]
    pub(super) fn prev_of(&self, s: u32) -> u32 {
        self.nodes[s as usize].prev
    }
}

/// Dense key → the slot it was last given (`NIL` if never), grown on demand. Never cleared:
/// its owner believes an entry only while the slot it names still holds the key, so evicting
/// an object touches the victim's slot alone, not the key's entry (a miss to memory per
/// eviction saved).
#[derive(Debug, Default, Clone)]
pub(super) struct Table(Vec<u32>);

impl Table {
    /// The slot `key` was last given, which may since hold another key: check it.
    #[inline]
    pub(super) fn get(&self, key: u32) -> Option<u32> {
        match self.0.get(key as usize) {
            Some(&v) if v != NIL => Some(v),
            _ => None,
        }
    }

    /// Brings `key`'s entry into cache ahead of a later [`Table::get`].
    #[inline]
    pub(super) fn warm(&self, key: u32) {
        super::prefetch(&self.0, key as usize);
    }

    /// The entry of `key` as it stands (`NIL` if none), for warming the slot it names.
    #[inline]
    pub(super) fn peek(&self, key: u32) -> u32 {
        self.0.get(key as usize).copied().unwrap_or(NIL)
    }

    pub(super) fn set(&mut self, key: u32, slot: u32) {
        let k = key as usize;
        if k >= self.0.len() {
            self.0.resize((k + 1).max(self.0.len() * 2), NIL);
        }
        self.0[k] = slot;
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
    #[inline]
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

    /// Whether every size set so far was 1 (objects mode, or bytes with unit objects).
    #[inline]
    pub(super) fn uniform(&self) -> bool {
        self.uniform
    }

    #[inline]
    pub(super) fn get(&self, key: u32) -> u64 {
        if self.uniform { 1 } else { self.v.get(key as usize).map_or(1, |&s| u64::from(s)) }
    }
}
