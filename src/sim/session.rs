//! One simulation session: a request source (a trace file or a generated workload), a set of
//! policies and sizes (objects, bytes, or a share of the distinct objects). Streams the source
//! through every online policy in one streaming pass (two when a size in percent of the distinct
//! objects needs their count first); holds the (dense) trace in memory only for Belady, which
//! looks ahead, and then runs configurations in parallel. LRU at three or more object counts
//! is one stack-distance pass (exact by LRU's inclusion property) instead of one per size. A caller may watch progress through
//! a callback.
//!
//! Architecture Invariant: results come back in (policy, size) order, whatever ran where.

use super::cache::{CacheOutcome, Capacity, PolicyKind, Replayer, Request, run_all};
use super::workload::{Densifier, Generator, TraceError, TraceFormat, TraceReader};
use crate::math::popularity::Popularity;
use std::path::PathBuf;

/// Where requests come from.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    /// A trace file (`-` for stdin) in the auto-detected format: text `KEY [SIZE]` lines,
    /// plain, gzip or zstd.
    Trace(PathBuf),
    /// A trace file (`-` for stdin) in a stated format.
    TraceAs(PathBuf, TraceFormat),
    /// A seeded generated workload.
    Generated {
        /// Popularity.
        popularity: Popularity,
        /// Distinct ids (1..=objects).
        objects: u64,
        /// Requests to generate.
        requests: u64,
        /// Seed.
        seed: u64,
        /// Every object's size in bytes.
        object_size: u32,
    },
}

/// A cache size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Size {
    /// A number of objects.
    Objects(usize),
    /// A number of bytes (each request counts its object's size).
    Bytes(u64),
    /// A fraction of the distinct objects in the stream.
    Fraction(f64),
}

/// What the source held.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceStats {
    /// Requests.
    pub requests: u64,
    /// Distinct ids.
    pub distinct: usize,
    /// Bytes requested (each request its object's size; 1 when sizes are unknown).
    pub bytes: u64,
    /// Bytes of the distinct objects (each at its first-seen size): the working set.
    pub footprint: u64,
    /// With spatial sampling: what was kept and the error measured (the counts above are then
    /// of the kept requests).
    pub sampled: Option<Sampled>,
}

/// Called with the requests read so far, every [`CHUNK`] requests.
pub type Progress<'a> = &'a (dyn Fn(u64) + Sync);

/// Ids handed from the reading thread to the replaying thread at a time.
const CHUNK: usize = 1 << 16;

/// Batches in flight between the reading and the replaying thread.
const BATCHES: usize = 8;

type Stream = Box<dyn Iterator<Item = Result<(u64, Option<u32>), TraceError>> + Send>;

/// A request source for the reading stage: a trace reader (whose plain text lines are parsed
/// a buffer at a time) or any other stream.
enum Reading {
    Trace(TraceReader),
    Other(Stream),
}

impl Reading {
    /// Fills `chunk` up to `max` requests; `false` at the end of the source.
    fn fill(&mut self, chunk: &mut Vec<(u64, Option<u32>)>, max: usize) -> Result<bool, TraceError> {
        while chunk.len() < max {
            if let Reading::Trace(t) = self {
                t.next_batch(chunk, max)?;
                if chunk.len() >= max {
                    break;
                }
            }
            let next = match self {
                Reading::Trace(t) => t.next(),
                Reading::Other(s) => s.next(),
            };
            match next {
                None => return Ok(false),
                Some(r) => chunk.push(r?),
            }
        }
        Ok(true)
    }
}

/// The format a source's trace is read in: the one stated (`TraceAs`), else detected.
fn format_of(source: &Source) -> TraceFormat {
    match source {
        Source::TraceAs(_, f) => f.clone(),
        _ => TraceFormat::Auto,
    }
}

/// The reading stage's source.
fn reading(source: &Source, sizes_required: bool) -> Result<Reading, TraceError> {
    Ok(match source {
        Source::Trace(path) | Source::TraceAs(path, _) => {
            let reader = TraceReader::open_as(path, &format_of(source))?;
            Reading::Trace(if sizes_required { reader.requiring_sizes() } else { reader })
        }
        Source::Generated { .. } => Reading::Other(requests(source, sizes_required)?),
    })
}

fn requests(source: &Source, sizes_required: bool) -> Result<Stream, TraceError> {
    Ok(match source {
        Source::Trace(path) | Source::TraceAs(path, _) => {
            let reader = TraceReader::open_as(path, &format_of(source))?;
            if sizes_required { Box::new(reader.requiring_sizes()) } else { Box::new(reader) }
        }
        Source::Generated { popularity, objects, requests, seed, object_size } => {
            let mut g = Generator::new(*popularity, *objects, *seed);
            let size = *object_size;
            Box::new((0..*requests).map(move |_| Ok((g.next_id(), Some(size)))))
        }
    })
}

/// Requests handed from the reading stage to the replaying one: dense requests and, when
/// sampling, each one's group (see [`SAMPLE_GROUPS`]).
struct Batch {
    requests: Vec<Request>,
    groups: Vec<u8>,
}

/// Dense keys with sizes, and the running statistics.
struct Densify {
    dense: Densifier,
    bytes: u64,
    footprint: u64,
}

impl Densify {
    /// The dense request of an id (size 1 when the source gives none).
    fn request(&mut self, id: u64, size: Option<u32>) -> Request {
        let size = size.unwrap_or(1);
        let before = self.dense.distinct();
        let key = self.dense.key(id);
        if self.dense.distinct() > before {
            self.footprint += u64::from(size);
        }
        self.bytes += u64::from(size);
        (key, size)
    }
}

/// Spatial sampling (SHARDS: Waldspurger, Park, Garthwaite & Ahmad, "Efficient MRC
/// Construction with SHARDS", FAST '15): a request is kept when the hash of its key falls in
/// the lowest `rate` of the hash space — every request of a kept key, none of the others — and
/// each cache is scaled by `rate`, so a sampled cache sees the kept keys as the full cache sees
/// all of them. Fixed-rate SHARDS with the `adj` correction (see [`finish_sampled`]).
///
/// The error is measured in the same pass by random groups: the kept keys are split by hash
/// into [`SAMPLE_GROUPS`] disjoint samples at `rate / G`, each replayed with caches scaled by
/// `rate / G`; the standard error of the full sample's miss ratio is that of the groups' mean,
/// sd / √G.
pub const SAMPLE_GROUPS: usize = 4;

/// Salts the sampling hash so it is independent of shard placement's `mix64(id)`.
const SAMPLE_SALT: u64 = 0x5AD5_4A2D_5EED_0F15;

/// What spatial sampling kept, and the error it measured.
#[derive(Debug, Clone, PartialEq)]
pub struct Sampled {
    /// The share of the key hash space kept (0 < rate < 1).
    pub rate: f64,
    /// Requests read from the source (kept or not).
    pub read: u64,
    /// Requests kept and simulated.
    pub kept: u64,
    /// Per outcome, in the same order: the measured standard error of its miss ratio (random
    /// groups), `None` when fewer than two groups held requests.
    pub errors: Vec<Option<f64>>,
}

/// Which keys a sampled run keeps, and the group of each kept one.
#[derive(Debug, Clone, Copy)]
struct Sampler {
    threshold: u64,
}

impl Sampler {
    /// `None` for a full replay (rate 1 or more).
    fn new(rate: f64) -> Option<Sampler> {
        (rate < 1.0).then(|| Sampler { threshold: ((rate.max(0.0) * TWO_64) as u64).max(1) })
    }

    /// The group of a kept id, `None` for an id not sampled.
    fn group(&self, id: u64) -> Option<usize> {
        let h = super::shard::mix64(id ^ SAMPLE_SALT);
        (h < self.threshold).then(|| ((u128::from(h) * SAMPLE_GROUPS as u128) / u128::from(self.threshold)) as usize)
    }
}

/// 2⁶⁴.
const TWO_64: f64 = 18_446_744_073_709_551_616.0;

/// A capacity scaled by a sampling factor (at least one unit).
fn scaled(c: Capacity, factor: f64) -> Capacity {
    if factor >= 1.0 {
        return c;
    }
    match c {
        Capacity::Objects(n) => Capacity::Objects(((n as f64 * factor).round() as usize).max(1)),
        Capacity::Bytes(b) => Capacity::Bytes(((b as f64 * factor).round() as u64).max(1)),
    }
}

/// One streaming replay of every configuration: LRU at several object counts by one
/// stack-distance pass, the rest through a [`Replayer`].
struct Pass {
    all: Vec<(PolicyKind, Capacity)>,
    online: Replayer,
    lru: Option<super::mrc::LruSizes>,
    requests: u64,
    bytes: u64,
}

fn is_stacked(&(p, c): &(PolicyKind, Capacity)) -> bool {
    p == PolicyKind::Lru && matches!(c, Capacity::Objects(_))
}

/// The object counts of the configurations one stack-distance pass answers (LRU by count).
fn stacked_sizes(configs: &[(PolicyKind, Capacity)]) -> Vec<usize> {
    configs
        .iter()
        .filter(|c| is_stacked(c))
        .map(|&(_, c)| match c {
            Capacity::Objects(n) => n,
            Capacity::Bytes(_) => 0,
        })
        .collect()
}

impl Pass {
    fn new(all: Vec<(PolicyKind, Capacity)>) -> Pass {
        let stacked = stacked_sizes(&all);
        let stacking = stacked.len() >= STACK_FROM;
        let online: Vec<(PolicyKind, Capacity)> =
            if stacking { all.iter().copied().filter(|c| !is_stacked(c)).collect() } else { all.clone() };
        Pass {
            online: Replayer::new(&online),
            lru: stacking.then(|| super::mrc::LruSizes::new(&stacked)),
            all,
            requests: 0,
            bytes: 0,
        }
    }

    fn access(&mut self, r: Request) {
        self.requests += 1;
        self.bytes += u64::from(r.1);
        self.online.access(r);
        if let Some(l) = self.lru.as_mut() {
            l.access(r.0, r.1);
        }
    }

    /// [`Pass::access`] on each request of a batch, each cache running over the whole batch.
    fn access_batch(&mut self, batch: &[Request]) {
        self.requests += batch.len() as u64;
        self.bytes += batch.iter().map(|&(_, s)| u64::from(s)).sum::<u64>();
        self.online.access_batch(batch);
        if let Some(l) = self.lru.as_mut() {
            batch.iter().for_each(|&(k, s)| l.access(k, s));
        }
    }

    fn finish(self) -> Vec<CacheOutcome> {
        let Some(l) = self.lru else { return self.online.finish() };
        merge_stacked(&self.all, self.online.finish(), l.hits(), self.requests, self.bytes)
    }
}

/// The outcomes in `configs`' order: LRU-by-count configurations from the stack-distance
/// pass's `hits` (hits and hit bytes, in order), every other from `others` (in order).
fn merge_stacked(
    configs: &[(PolicyKind, Capacity)],
    others: Vec<CacheOutcome>,
    hits: Vec<(u64, u64)>,
    requests: u64,
    bytes: u64,
) -> Vec<CacheOutcome> {
    let mut others = others.into_iter();
    let mut hits = hits.into_iter();
    configs
        .iter()
        .filter_map(|&(policy, capacity)| {
            if is_stacked(&(policy, capacity)) {
                let (h, hb) = hits.next()?;
                Some(CacheOutcome { policy, capacity, requests, misses: requests - h, bytes, missed_bytes: bytes - hb })
            } else {
                others.next()
            }
        })
        .collect()
}

/// Runs every (policy, size) on the source.
pub fn simulate(
    source: &Source,
    policies: &[PolicyKind],
    sizes: &[Size],
    progress: Option<Progress<'_>>,
) -> Result<(Vec<CacheOutcome>, SourceStats), TraceError> {
    simulate_sampled(source, policies, sizes, 1.0, progress)
}

/// Runs every (policy, size) on the source, sampled by key at `rate` (SHARDS, see
/// [`SAMPLE_GROUPS`]; a rate of 1 or more replays every request). The outcomes carry the
/// sizes asked for and the counts of the kept requests; [`SourceStats::sampled`] says what was
/// kept and the error measured.
pub fn simulate_sampled(
    source: &Source,
    policies: &[PolicyKind],
    sizes: &[Size],
    rate: f64,
    progress: Option<Progress<'_>>,
) -> Result<(Vec<CacheOutcome>, SourceStats), TraceError> {
    let sampler = Sampler::new(rate);
    let rate = if sampler.is_some() { rate } else { 1.0 };
    let groups = if sampler.is_some() { SAMPLE_GROUPS } else { 0 };
    let needs_sizes = sizes.iter().any(|s| matches!(s, Size::Bytes(_)));
    let mut d = Densify { dense: Densifier::default(), bytes: 0, footprint: 0 };
    let tick = |n: u64| {
        if let Some(p) = progress
            && n.is_multiple_of(CHUNK as u64)
        {
            p(n);
        }
    };
    let keep = |id: u64| -> Option<Option<usize>> {
        match &sampler {
            None => Some(None),
            Some(s) => s.group(id).map(Some),
        }
    };
    let (mut read, mut read_bytes) = (0u64, 0u64);
    if policies.contains(&PolicyKind::Belady) {
        let (mut keys, mut lengths) = (Vec::new(), Vec::new());
        let mut grouped: Vec<(Vec<u32>, Vec<u32>)> = vec![(Vec::new(), Vec::new()); groups];
        for r in requests(source, needs_sizes)? {
            let (id, size) = r?;
            read += 1;
            read_bytes += u64::from(size.unwrap_or(1));
            tick(read);
            let Some(g) = keep(id) else { continue };
            let (key, size) = d.request(id, size);
            keys.push(key);
            lengths.push(size);
            if let Some(g) = g {
                grouped[g].0.push(key);
                grouped[g].1.push(size);
            }
        }
        let distinct = d.dense.distinct();
        let shown = configs(policies, sizes, (distinct as f64 / rate).round() as usize);
        let stats = SourceStats {
            requests: keys.len() as u64,
            distinct,
            bytes: d.bytes,
            footprint: d.footprint,
            sampled: None,
        };
        if read == 0 {
            return Err(no_requests());
        }
        if keys.is_empty() {
            return Err(none_sampled(rate, read));
        }
        let main: Vec<_> = shown.iter().map(|&(p, c)| (p, scaled(c, rate))).collect();
        let out = run_held(&main, &keys, &lengths);
        let parts: Vec<Vec<CacheOutcome>> = grouped
            .iter()
            .map(|(k, l)| {
                let cs: Vec<_> = shown.iter().map(|&(p, c)| (p, scaled(c, rate / groups as f64))).collect();
                if k.is_empty() { Vec::new() } else { run_held(&cs, k, l) }
            })
            .collect();
        return Ok(finish_sampled(out, &shown, &parts, stats, rate, (read, read_bytes)));
    }
    // A size in percent of the distinct objects needs their count first: one more pass over
    // the source (cheaper than holding the trace, and memory stays with the distinct ids).
    let distinct = if sizes.iter().any(|s| matches!(s, Size::Fraction(_))) {
        if matches!(source, Source::Trace(p) | Source::TraceAs(p, _) if p.as_os_str() == "-") {
            return Err(TraceError {
                line: 0,
                column: 0,
                message: "a size in % of the distinct objects reads the trace twice, and stdin can be read once: give sizes as object counts or bytes, or a file".into(),
            });
        }
        let mut first = Densifier::default();
        for r in requests(source, needs_sizes)? {
            let id = r?.0;
            if keep(id).is_some() {
                first.key(id);
            }
        }
        (first.distinct() as f64 / rate).round() as usize
    } else {
        0
    };
    let shown = configs(policies, sizes, distinct);
    let mut main = Pass::new(shown.iter().map(|&(p, c)| (p, scaled(c, rate))).collect());
    let mut parts: Vec<Pass> = (0..groups)
        .map(|_| Pass::new(shown.iter().map(|&(p, c)| (p, scaled(c, rate / groups as f64))).collect()))
        .collect();
    // Two stages on two threads: read (decompress, parse) and replay, joined by a bounded
    // channel of request chunks, so memory stays a few chunks whatever the stream's length.
    let mut stream = reading(source, needs_sizes)?;
    // Two stages on two threads, joined by a bounded channel of batches, so memory stays a few
    // batches whatever the stream's length: reading (decompress, parse, sample, map ids to
    // dense keys) and replay, which then does nothing but simulate. Each stage runs in
    // stream order, so results are the same whatever runs where.
    let (tx, rx) = std::sync::mpsc::sync_channel::<Result<Batch, TraceError>>(BATCHES);
    // Replayed batches go back to the reading stage to be filled again: after the first few,
    // no batch is allocated.
    let (give_back, given_back) = std::sync::mpsc::sync_channel::<Batch>(BATCHES + 2);
    let mut error = None;
    let reader = std::thread::scope(|s| {
        let reader = s.spawn(move || {
            let mut raw = Vec::with_capacity(CHUNK);
            loop {
                raw.clear();
                let filled = stream.fill(&mut raw, CHUNK);
                let mut batch = given_back
                    .try_recv()
                    .unwrap_or_else(|_| Batch { requests: Vec::with_capacity(CHUNK), groups: Vec::new() });
                batch.requests.clear();
                batch.groups.clear();
                read += raw.len() as u64;
                read_bytes += raw.iter().map(|&(_, size)| u64::from(size.unwrap_or(1))).sum::<u64>();
                match &sampler {
                    None => batch.requests.extend(raw.iter().map(|&(id, size)| d.request(id, size))),
                    Some(sampler) => {
                        for &(id, size) in &raw {
                            let Some(g) = sampler.group(id) else { continue };
                            batch.requests.push(d.request(id, size));
                            batch.groups.push(g as u8);
                        }
                    }
                }
                tick(read);
                match filled {
                    Ok(more) => {
                        if tx.send(Ok(batch)).is_err() || !more {
                            break;
                        }
                    }
                    Err(e) => {
                        let _ = tx.send(Ok(batch));
                        let _ = tx.send(Err(e));
                        break;
                    }
                }
            }
            (d, read, read_bytes)
        });
        for batch in rx.iter() {
            let batch = match batch {
                Ok(b) => b,
                Err(e) => {
                    error = Some(e);
                    break;
                }
            };
            if batch.groups.is_empty() {
                main.access_batch(&batch.requests);
            } else {
                for (&r, &g) in batch.requests.iter().zip(&batch.groups) {
                    main.access(r);
                    parts[usize::from(g)].access(r);
                }
            }
            let _ = give_back.try_send(batch);
        }
        drop(rx);
        reader.join()
    });
    let Ok((d, read, read_bytes)) = reader else {
        return Err(TraceError { line: 0, column: 0, message: "the trace-reading thread failed".into() });
    };
    if let Some(e) = error {
        return Err(e);
    }
    if read == 0 {
        return Err(no_requests());
    }
    if main.requests == 0 {
        return Err(none_sampled(rate, read));
    }
    let stats = SourceStats {
        requests: main.requests,
        distinct: d.dense.distinct(),
        bytes: d.bytes,
        footprint: d.footprint,
        sampled: None,
    };
    let parts: Vec<Vec<CacheOutcome>> =
        parts.into_iter().map(|p| if p.requests == 0 { Vec::new() } else { p.finish() }).collect();
    Ok(finish_sampled(main.finish(), &shown, &parts, stats, rate, (read, read_bytes)))
}

/// The outcomes at the sizes asked for; with sampling, SHARDS-adj counts (below), the rate,
/// and each outcome's measured error (random groups).
///
/// SHARDS-adj (the paper's §4.2): the kept requests A differ from the expected rate × read E,
/// mostly because a few hot keys fall in or out of the sample; the difference is counted as
/// hits at the smallest reuse distance, so an outcome reports E requests and its misses
/// (likewise bytes), and a miss ratio of misses ÷ E (at most 1).
fn finish_sampled(
    out: Vec<CacheOutcome>,
    shown: &[(PolicyKind, Capacity)],
    parts: &[Vec<CacheOutcome>],
    mut stats: SourceStats,
    rate: f64,
    (read, read_bytes): (u64, u64),
) -> (Vec<CacheOutcome>, SourceStats) {
    let adjust = |o: CacheOutcome, r: f64| {
        if r >= 1.0 {
            return o;
        }
        let requests = ((read as f64 * r).round() as u64).max(o.misses).max(1);
        let bytes = ((read_bytes as f64 * r).round() as u64).max(o.missed_bytes).max(1);
        CacheOutcome { requests, bytes, ..o }
    };
    let out: Vec<CacheOutcome> =
        out.into_iter().zip(shown).map(|(o, &(_, capacity))| CacheOutcome { capacity, ..adjust(o, rate) }).collect();
    if rate < 1.0 {
        let part_rate = rate / parts.len().max(1) as f64;
        let errors = (0..out.len())
            .map(|i| {
                let m: Vec<f64> =
                    parts.iter().filter_map(|p| p.get(i)).map(|&o| adjust(o, part_rate).miss_ratio()).collect();
                let g = m.len() as f64;
                (m.len() >= 2).then(|| {
                    let mean = m.iter().sum::<f64>() / g;
                    (m.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (g * (g - 1.0))).sqrt()
                })
            })
            .collect();
        stats.sampled = Some(Sampled { rate, read, kept: stats.requests, errors });
    }
    (out, stats)
}

/// LRU at this many object-count sizes or more runs by one stack-distance pass.
const STACK_FROM: usize = 3;

/// Every configuration on a trace held in memory: LRU at object counts by one stack-distance
/// pass ([`super::mrc::lru_hits`], exact by LRU's inclusion property), the rest in parallel.
fn run_held(configs: &[(PolicyKind, Capacity)], keys: &[u32], lengths: &[u32]) -> Vec<CacheOutcome> {
    let stacked = stacked_sizes(configs);
    if stacked.len() < STACK_FROM {
        return run_all(configs, keys, lengths, 0);
    }
    let rest: Vec<(PolicyKind, Capacity)> = configs.iter().copied().filter(|c| !is_stacked(c)).collect();
    let others = run_all(&rest, keys, lengths, 0);
    let hits = super::mrc::lru_hits(keys, lengths, &stacked);
    let bytes: u64 = lengths.iter().map(|&l| u64::from(l)).sum();
    merge_stacked(configs, others, hits, keys.len() as u64, bytes)
}

/// A source without a single request has no hit ratio to report.
fn no_requests() -> TraceError {
    TraceError {
        line: 0,
        column: 0,
        message: "the trace holds no requests (only blank or `#` lines): no hit ratio to report".into(),
    }
}

/// A sample that kept no key has nothing to replay.
fn none_sampled(rate: f64, read: u64) -> TraceError {
    TraceError {
        line: 0,
        column: 0,
        message: format!(
            "sampling at rate {rate} kept none of the {read} requests' keys: give a larger --sample (or --sample 1 to replay every request)"
        ),
    }
}

fn configs(policies: &[PolicyKind], sizes: &[Size], distinct: usize) -> Vec<(PolicyKind, Capacity)> {
    let mut out = Vec::new();
    for &p in policies {
        for s in sizes {
            let c = match *s {
                Size::Objects(n) => Capacity::Objects(n),
                Size::Bytes(b) => Capacity::Bytes(b),
                Size::Fraction(f) => Capacity::Objects(((distinct as f64) * f).round() as usize),
            };
            out.push((p, c));
        }
    }
    out
}
