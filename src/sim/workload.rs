//! Request streams: seeded generators (Zipf, uniform, hotspot) and trace files (read by
//! [`super::trace`]), with ids mapped to dense keys as they are first seen.
//!
//! The Zipf generator follows shared/data/README.md bit for bit (SplitMix64, a CDF summed in
//! order, the smallest k with F_k ≥ u), so it reproduces the reference traces exactly.
//!
//! Architecture Invariant: streaming — memory grows with distinct ids, never with the
//! number of requests.

use crate::math::popularity::{Popularity, hot_ids};
use crate::math::rng::SplitMix64;
use rustc_hash::FxHashMap;

/// A seeded generator of object ids 1..=m.
#[derive(Debug, Clone)]
pub struct Generator {
    rng: SplitMix64,
    m: u64,
    popularity: Popularity,
    table: std::sync::Arc<ZipfTable>,
}

/// A Zipf CDF and its guide table (Chen & Asau, 1974): `guide[j]` is the first index whose
/// CDF value is at least j/G, so a draw searches only between two neighbouring entries — the
/// same index a search of the whole CDF finds, in a few steps instead of log₂ m.
#[derive(Debug, Default)]
struct ZipfTable {
    cdf: Vec<f64>,
    guide: Vec<u32>,
}

impl ZipfTable {
    fn new(alpha: f64, m: u64) -> Self {
        let mut cdf = Vec::with_capacity(m as usize);
        let mut sum = 0.0f64;
        for k in 1..=m {
            sum += Popularity::Zipf { alpha }.weight(k, m as f64);
            cdf.push(sum);
        }
        let total = sum;
        cdf.iter_mut().for_each(|x| *x /= total);
        let guide = (0..=GUIDE).map(|j| cdf.partition_point(|&f| f < j as f64 / GUIDE as f64) as u32).collect();
        // Padding above every u ∈ [0, 1), so a fixed window may run past the last key.
        cdf.extend([2.0; WINDOW]);
        ZipfTable { cdf, guide }
    }

    /// The smallest index k in `lo..=last` with cdf[k] ≥ u (or `last + 1`). Every entry
    /// before `lo` is below u and every entry after `last` at or above it, so when the range
    /// fits in a fixed window, counting the window's entries below u finds k without a
    /// data-dependent branch (a mispredicted branch per draw cost more than the search).
    fn search(&self, lo: usize, last: usize, u: f64) -> usize {
        if last - lo < WINDOW {
            let window: &[f64; WINDOW] = self.cdf[lo..lo + WINDOW].try_into().unwrap_or(&[2.0; WINDOW]);
            lo + window.iter().map(|&f| usize::from(f < u)).sum::<usize>()
        } else {
            lo + self.cdf[lo..=last].partition_point(|&f| f < u)
        }
    }

    /// The table for (alpha, m), shared with earlier generators of the same shape: a pure
    /// function of its inputs, kept for the last few shapes (designs in one build mostly share
    /// the default skew and the simulated key counts).
    fn shared(alpha: f64, m: u64) -> std::sync::Arc<Self> {
        type Memo = Vec<((u64, u64), std::sync::Arc<ZipfTable>)>;
        static MEMO: std::sync::Mutex<Memo> = std::sync::Mutex::new(Vec::new());
        let key = (alpha.to_bits(), m);
        if let Ok(memo) = MEMO.lock()
            && let Some((_, t)) = memo.iter().find(|(k, _)| *k == key)
        {
            return t.clone();
        }
        let table = std::sync::Arc::new(ZipfTable::new(alpha, m));
        if let Ok(mut memo) = MEMO.lock() {
            if memo.len() >= 8 {
                memo.remove(0);
            }
            memo.push((key, table.clone()));
        }
        table
    }
}

/// Buckets of the guide table (a power of two, so u·G is exact).
const GUIDE: usize = 1 << 16;
/// The guide bucket of a quantile u ∈ [0, 1): the j with u ∈ [j/G, (j+1)/G), so the answer
/// lies in guide[j] ..= guide[j + 1].
fn bucket(u: f64) -> usize {
    ((u * GUIDE as f64) as usize).min(GUIDE - 1)
}

/// Entries a draw compares at once (most guide buckets span fewer keys).
const WINDOW: usize = 16;

impl Generator {
    /// A generator over `m` ids, id k drawn with the popularity of rank k.
    pub fn new(popularity: Popularity, m: u64, seed: u64) -> Self {
        let table = match popularity {
            Popularity::Zipf { alpha } => ZipfTable::shared(alpha, m),
            _ => std::sync::Arc::default(),
        };
        Generator { rng: SplitMix64::new(seed), m, popularity, table }
    }

    /// The next `out.len()` ids, exactly those `next_id` would return one by one, into `out`.
    ///
    /// Zipf draws are bound by two dependent table reads (the guide, then the CDF), which miss
    /// the cache once the tables and a simulated cache share it. Drawn a block at a time in
    /// three passes (quantiles, then guide entries, then CDF windows), each pass's reads are
    /// independent of each other, so the processor overlaps their misses instead of waiting on
    /// each in turn.
    pub fn fill(&mut self, out: &mut [u64]) {
        if !matches!(self.popularity, Popularity::Zipf { .. }) {
            out.iter_mut().for_each(|id| *id = self.next_id());
            return;
        }
        const BLOCK: usize = 256;
        let (mut u, mut bounds) = ([0.0f64; BLOCK], [(0u32, 0u32); BLOCK]);
        let t = &*self.table;
        for chunk in out.chunks_mut(BLOCK) {
            let u = &mut u[..chunk.len()];
            u.iter_mut().for_each(|x| *x = self.rng.next_f64());
            for (b, &x) in bounds.iter_mut().zip(u.iter()) {
                let j = bucket(x);
                *b = (t.guide[j], t.guide[j + 1]);
            }
            for ((id, &(lo, last)), &x) in chunk.iter_mut().zip(&bounds).zip(u.iter()) {
                *id = (t.search(lo as usize, last as usize, x) as u64 + 1).min(self.m);
            }
        }
    }

    /// The probability of each id 1..=m (index 0 is id 1) as this generator draws them: for
    /// Zipf the steps of its CDF (the last id also takes what rounding leaves above it).
    pub fn probabilities(&self) -> Vec<f64> {
        let m = self.m as usize;
        match self.popularity {
            Popularity::Zipf { .. } => {
                let cdf = &self.table.cdf[..m];
                let mut p: Vec<f64> = cdf.iter().scan(0.0, |prev, &f| Some(f - std::mem::replace(prev, f))).collect();
                if let Some(last) = p.last_mut() {
                    *last = 1.0 - cdf.get(m.wrapping_sub(2)).copied().unwrap_or(0.0);
                }
                p
            }
            other => (1..=self.m).map(|k| other.id_share(k, self.m).unwrap_or(0.0)).collect(),
        }
    }

    /// The next id, in 1..=m.
    pub fn next_id(&mut self) -> u64 {
        let u = self.rng.next_f64();
        match self.popularity {
            Popularity::Zipf { .. } => {
                let j = bucket(u);
                let guide = &self.table.guide;
                let k = self.table.search(guide[j] as usize, guide[j + 1] as usize, u);
                (k as u64 + 1).min(self.m)
            }
            Popularity::Uniform => ((u * self.m as f64) as u64).min(self.m - 1) + 1,
            Popularity::Hotspot { hot_keys, hot_traffic } => {
                let hot = hot_ids(hot_keys, self.m);
                let v = self.rng.next_f64();
                if u < hot_traffic || hot == self.m {
                    ((v * hot as f64) as u64).min(hot - 1) + 1
                } else {
                    let cold = self.m - hot;
                    hot + ((v * cold as f64) as u64).min(cold - 1) + 1
                }
            }
        }
    }
}

/// Ids below this bound are their own keys (policies index arrays by key, so a trace of small
/// ids needs no remapping; a bit set counts the distinct ones); larger ids are remapped to
/// keys from this bound upward, in order of first appearance. Keeping ids as keys avoids a
/// lookup per request (measured: the remapping was 38% of a 10M-request LRU replay).
const DIRECT_BOUND: u64 = 1 << 22;

/// Maps ids to the dense-enough keys the policies index by.
#[derive(Debug, Default, Clone)]
pub struct Densifier {
    seen: Vec<u64>,
    map: FxHashMap<u64, u32>,
    distinct: usize,
}

impl Densifier {
    /// The key of an id.
    pub fn key(&mut self, id: u64) -> u32 {
        if id < DIRECT_BOUND {
            let (word, bit) = ((id >> 6) as usize, 1u64 << (id & 63));
            if word >= self.seen.len() {
                self.seen.resize((word + 1).max(self.seen.len() * 2), 0);
            }
            if self.seen[word] & bit == 0 {
                self.seen[word] |= bit;
                self.distinct += 1;
            }
            return id as u32;
        }
        let next = DIRECT_BOUND as u32 + self.map.len() as u32;
        let key = *self.map.entry(id).or_insert(next);
        if key == next {
            self.distinct += 1;
        }
        key
    }

    /// Distinct ids seen.
    pub fn distinct(&self) -> usize {
        self.distinct
    }
}

pub use super::trace::{TraceError, TraceFormat, TraceReader};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zipf_ids_are_in_range_and_skewed() {
        let mut g = Generator::new(Popularity::Zipf { alpha: 0.9 }, 1000, 42);
        let ids: Vec<u64> = (0..10_000).map(|_| g.next_id()).collect();
        assert!(ids.iter().all(|&i| (1..=1000).contains(&i)));
        let ones = ids.iter().filter(|&&i| i == 1).count();
        let last = ids.iter().filter(|&&i| i == 1000).count();
        assert!(ones > 20 * last.max(1), "{ones} vs {last}");
    }

    #[test]
    fn the_guide_table_finds_the_same_id_as_a_search_of_the_whole_cdf() {
        for (alpha, m) in [(0.9, 1_000u64), (0.6, 200_000), (1.2, 77), (2.5, 5_000)] {
            let mut g = Generator::new(Popularity::Zipf { alpha }, m, 3);
            let mut r = SplitMix64::new(3);
            for _ in 0..200_000 {
                let u = r.next_f64();
                let full = (g.table.cdf.partition_point(|&f| f < u) as u64 + 1).min(m);
                assert_eq!(g.next_id(), full, "alpha {alpha}, m {m}, u {u}");
            }
        }
    }

    #[test]
    fn probabilities_match_the_frequencies_drawn() {
        let shapes = [
            Popularity::Zipf { alpha: 0.9 },
            Popularity::Uniform,
            Popularity::Hotspot { hot_keys: 0.1, hot_traffic: 0.7 },
        ];
        for d in shapes {
            let (m, n) = (200u64, 400_000usize);
            let mut g = Generator::new(d, m, 5);
            let p = g.probabilities();
            assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-12, "{d:?}");
            let mut count = vec![0usize; m as usize];
            let mut ids = vec![0u64; n];
            g.fill(&mut ids);
            ids.iter().for_each(|&id| count[(id - 1) as usize] += 1);
            for (k, (&c, &pk)) in count.iter().zip(&p).enumerate() {
                // Binomial: within 5 standard deviations.
                let sd = (n as f64 * pk * (1.0 - pk)).sqrt();
                assert!(
                    (c as f64 - n as f64 * pk).abs() <= 5.0 * sd + 1.0,
                    "{d:?} id {}: {c} vs {}",
                    k + 1,
                    n as f64 * pk
                );
            }
        }
    }

    #[test]
    fn filling_a_block_draws_the_same_ids_as_drawing_one_by_one() {
        let shapes = [
            Popularity::Zipf { alpha: 0.9 },
            Popularity::Zipf { alpha: 1.3 },
            Popularity::Uniform,
            Popularity::Hotspot { hot_keys: 0.2, hot_traffic: 0.8 },
        ];
        for d in shapes {
            let (mut one, mut block) = (Generator::new(d, 50_000, 9), Generator::new(d, 50_000, 9));
            // Lengths that end mid-block, then carry on from where the last one stopped.
            for len in [1, 255, 256, 257, 10_000] {
                let mut ids = vec![0; len];
                block.fill(&mut ids);
                let expected: Vec<u64> = (0..len).map(|_| one.next_id()).collect();
                assert_eq!(ids, expected, "{d:?}, {len}");
            }
        }
    }

    #[test]
    fn hotspot_sends_its_share_to_hot_ids() {
        let mut g = Generator::new(Popularity::Hotspot { hot_keys: 0.1, hot_traffic: 0.9 }, 1000, 1);
        let hot = (0..100_000).filter(|_| g.next_id() <= 100).count();
        assert!((hot as f64 / 100_000.0 - 0.9).abs() < 0.01, "{hot}");
    }

    #[test]
    fn small_ids_are_their_own_keys_and_large_ones_are_remapped_above_them() {
        let mut d = Densifier::default();
        let ids = [7u64, 1 << 40, 7, 3, 1 << 40, u64::MAX, 3];
        let keys: Vec<u32> = ids.iter().map(|&i| d.key(i)).collect();
        let b = DIRECT_BOUND as u32;
        assert_eq!(keys, vec![7, b, 7, 3, b, b + 1, 3]);
        assert_eq!(d.distinct(), 4);
    }

    #[test]
    fn traces_report_bad_lines_with_their_number() {
        let r = TraceReader::from_reader(std::io::Cursor::new("1\n2 4096\n\n# comment\nx7 1 2\n"));
        let items: Vec<_> = r.collect();
        assert_eq!(items[0], Ok((1, None)));
        assert_eq!(items[1], Ok((2, Some(4096))));
        assert_eq!(items[2].as_ref().unwrap_err().line, 5);
    }

    #[test]
    fn a_size_column_is_read_after_a_space_tab_or_comma() {
        let r = TraceReader::from_reader(std::io::Cursor::new("7 100\n8\t200\r\n9,300\n10 big\n"));
        let items: Vec<_> = r.collect();
        assert_eq!(items[..3], [Ok((7, Some(100))), Ok((8, Some(200))), Ok((9, Some(300)))]);
        let e = items[3].as_ref().unwrap_err();
        assert_eq!(e.line, 4);
        assert!(e.message.contains("expected a size in bytes"), "{}", e.message);
    }
}
