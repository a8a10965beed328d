//! Several intrusive doubly linked lists over one slot arena, with a dense key → slot table:
//! the building block of policies that move objects between lists (ARC's T1/T2/B1/B2,
//! W-TinyLFU's window/probation/protected). A move between lists relinks a slot; nothing is
//! allocated or freed on a hit.
//!
//! Architecture Invariant: a key has at most one slot, on exactly one list; `used[l]` is the
//! sum of the sizes of list l's slots; a freed slot holds `NIL`, so a key's stale table entry
//! is never believed.

use super::list::{NIL, Table};

/// One slot: neighbours, key, size and list, together so a relink touches one cache line per
/// slot.
#[derive(Debug, Clone, Copy)]
struct Node {
    prev: u32,
    next: u32,
    key: u32,
    size: u32,
    on: u8,
}

/// `N` lists sharing one arena; front is "most recent".
#[derive(Debug, Clone)]
pub(super) struct Lists<const N: usize> {
    nodes: Vec<Node>,
    free: Vec<u32>,
    head: [u32; N],
    tail: [u32; N],
    /// Units (objects or bytes) on each list.
    used: [u64; N],
    table: Table,
}

impl<const N: usize> Lists<N> {
    pub(super) fn with_capacity(c: usize) -> Self {
        Lists {
            nodes: Vec::with_capacity(c),
            free: Vec::new(),
            head: [NIL; N],
            tail: [NIL; N],
            used: [0; N],
            table: Table::default(),
        }
    }

    /// The list and slot of `key`, if it is on one.
    pub(super) fn find(&self, key: u32) -> Option<(usize, u32)> {
        let s = self.table.get(key)?;
        let n = self.nodes.get(s as usize)?;
        (n.key == key).then_some((usize::from(n.on), s))
    }

    /// Prefetches `key`'s index entry so a later [`Lists::find`] finds it in cache.
    #[inline]
    pub(super) fn warm(&self, key: u32) {
        self.table.warm(key);
    }

    /// Brings in the slot `key`'s (already warmed) table entry names.
    #[inline]
    pub(super) fn warm_slot(&self, key: u32) {
        super::prefetch(&self.nodes, self.table.peek(key) as usize);
    }

    /// Units on list `l`.
    pub(super) fn used(&self, l: usize) -> u64 {
        self.used[l]
    }

    /// The size of the object in slot `s`.
    pub(super) fn size_of(&self, s: u32) -> u64 {
        u64::from(self.nodes[s as usize].size)
    }

    /// The key in slot `s`.
    pub(super) fn key_of(&self, s: u32) -> u32 {
        self.nodes[s as usize].key
    }

    /// The least recent slot of list `l`.
    pub(super) fn lru(&self, l: usize) -> Option<u32> {
        (self.tail[l] != NIL).then_some(self.tail[l])
    }

    /// Adds `key` of `size` at the front of list `l`.
    pub(super) fn insert(&mut self, l: usize, key: u32, size: u32) {
        let s = match self.free.pop() {
            Some(s) => {
                let n = &mut self.nodes[s as usize];
                n.key = key;
                n.size = size;
                s
            }
            None => {
                self.nodes.push(Node { prev: NIL, next: NIL, key, size, on: 0 });
                (self.nodes.len() - 1) as u32
            }
        };
        self.link(l, s);
        self.table.set(key, s);
    }

    /// Moves slot `s` to the front of list `l` (from wherever it is).
    pub(super) fn move_to_front(&mut self, l: usize, s: u32) {
        self.unlink(s);
        self.link(l, s);
    }

    /// Removes slot `s` and its key (the key's table entry is left: the slot no longer
    /// holds the key, so it is not believed).
    pub(super) fn remove(&mut self, s: u32) {
        self.unlink(s);
        self.nodes[s as usize].key = NIL;
        self.free.push(s);
    }

    #[inline]
    fn link(&mut self, l: usize, s: u32) {
        let head = self.head[l];
        let n = &mut self.nodes[s as usize];
        n.on = l as u8;
        n.prev = NIL;
        n.next = head;
        let size = n.size;
        if head != NIL {
            self.nodes[head as usize].prev = s;
        } else {
            self.tail[l] = s;
        }
        self.head[l] = s;
        self.used[l] += u64::from(size);
    }

    #[inline]
    fn unlink(&mut self, s: u32) {
        let Node { prev: p, next: n, size, on, .. } = self.nodes[s as usize];
        let l = usize::from(on);
        if p != NIL {
            self.nodes[p as usize].next = n;
        } else {
            self.head[l] = n;
        }
        if n != NIL {
            self.nodes[n as usize].prev = p;
        } else {
            self.tail[l] = p;
        }
        self.used[l] -= u64::from(size);
    }
}
