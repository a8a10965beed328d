//! Monte Carlo over the model: a design with uncertain inputs (`a to b`, `normal(m, sd)`,
//! `uniform(a, b)`, `x ± d`) is sampled N times (seeded, split across cores), every plan entry
//! gets its p5, p50, p95 and mean, node counts get the percentile to provision to, and each
//! headline result's variance is attributed to the inputs by Spearman rank correlation.
//!
//! Each sample draws every leaf at a uniform quantile from a Latin hypercube ([`Quantiles`]:
//! each leaf's N draws fall one in each of N equal strata, so 2,000 samples pin percentiles
//! closer than 10,000 independent ones; seeded, and fixed before samples are split across
//! threads, so the split never changes a byte; leaves the design correlates are then drawn
//! together through a Gaussian copula),
//! re-evaluates the design's uncertain inputs, and runs the model into a values-only plan.
//! Cache hit ratios cannot be simulated thousands of times: when a cache's size or the key
//! space is uncertain, each sample re-estimates them with Che's approximation, offset so that
//! at the medians it agrees with the ratio the design used (simulated or analytic).
//!
//! Sensitivity: for a result Y and input Xᵢ, ρᵢ is Spearman's rank correlation between them
//! over the samples; an input's share of Y's variance is ρᵢ² ÷ Σⱼ ρⱼ² (the rank-correlation
//! decomposition that Crystal Ball and @RISK report as "contribution to variance"). For
//! independent inputs the shares are exact for a monotone additive model and a fair guide
//! otherwise; correlated inputs share credit for each other's influence.
//!
//! All of Monte Carlo lives here. The vocabulary of spreads (`spread`) sits below the design,
//! which holds them, and its uncertain inputs, as plain data (`design::uncertain`); `sampler`
//! draws a design's samples from that data (per-sample evaluation, correlated leaves through
//! `copula`); a lone expression (`fermi calc`) is sampled by `expression` with the same draws.
//!
//! Architecture Invariant: the model runs unchanged on each sample (no second model); a design
//! without uncertain inputs is not sampled at all; the same seed gives the same numbers.

use crate::key::{self, Metric};
mod che_grid;
mod copula;
pub mod expression;
mod quantiles;
pub mod sampler;
pub mod spread;
pub mod stats;

pub use quantiles::Quantiles;

use crate::design::Design;
use crate::design::uncertain::Leaf;
use crate::model::{Hits, Percentiles, Plan, estimate_into, hits};
use crate::units::Quantity;
use sampler::Sampler;
use std::collections::BTreeMap;

/// The default number of samples.
pub const DEFAULT_SAMPLES: usize = 2_000;
/// The most samples a run draws: every sample holds every plan value (and the ranks for
/// sensitivity), so memory grows with samples × values; 200K samples of a 100-value plan are
/// about 160 MB, and percentiles are then exact to far better than their printed digits.
/// [`run`] draws at most this many; the CLI refuses more with the flag to change.
pub const MAX_SAMPLES: usize = 200_000;
/// The default seed: any fixed value makes runs reproducible.
pub const DEFAULT_SEED: u64 = 2026;
/// The default node-count percentile to provision to.
pub const DEFAULT_PROVISION: f64 = 0.95;

/// How to sample.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    /// Samples to draw (0 turns sampling off).
    pub samples: usize,
    /// The seed.
    pub seed: u64,
    /// The node-count percentile to provision to (0.95 = p95).
    pub provision: f64,
    /// Threads to use (0 = one per core).
    pub threads: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { samples: DEFAULT_SAMPLES, seed: DEFAULT_SEED, provision: DEFAULT_PROVISION, threads: 0 }
    }
}

/// One input's part in a result's spread.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Driver {
    /// The input: `users.dau (100M to 300M)`.
    pub input: String,
    /// Spearman's rank correlation with the result (its sign is the direction).
    pub rho: f64,
    /// ρ² ÷ Σρ²: the input's share of the result's variance.
    pub share: f64,
}

/// What drives one headline result, strongest first.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Sensitivity {
    /// The result: `storage.total`.
    pub output: String,
    /// The inputs, by |ρ| descending.
    pub drivers: Vec<Driver>,
}

/// The smallest share of a result's variance worth naming an input for (1%).
pub const NOTABLE_SHARE: f64 = 0.01;

impl Sensitivity {
    /// The inputs worth naming, strongest first: those with at least [`NOTABLE_SHARE`].
    pub fn notable(&self) -> impl Iterator<Item = &Driver> {
        self.drivers.iter().filter(|d| d.share >= NOTABLE_SHARE)
    }
}

/// A tier's node count over the samples.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct NodeRange {
    /// The tier.
    pub tier: String,
    /// The median node count.
    pub p50: f64,
    /// The 95th percentile.
    pub p95: f64,
    /// The count at the provisioning percentile, rounded up.
    pub provision: f64,
    /// What that count costs a month at the tier's `price` (none when unpriced).
    pub provision_cost: Option<f64>,
}

/// The outcome of a Monte Carlo run: each varying result's distribution and the summary.
#[derive(Debug, Clone, PartialEq)]
pub struct Uncertainty {
    /// Each varying plan entry's distribution over the samples.
    pub distributions: crate::model::Distributions,
    /// Samples drawn.
    pub samples: usize,
    /// The seed.
    pub seed: u64,
    /// The provisioning percentile (0.95 = p95).
    pub provision: f64,
    /// The uncertain inputs as written.
    pub leaves: Vec<Leaf>,
    /// Headline results and what drives them.
    pub sensitivity: Vec<Sensitivity>,
    /// Node counts per tier that vary.
    pub nodes: Vec<NodeRange>,
    /// How cache hit ratios were treated in the samples, when any cache input varied.
    pub caches: Option<String>,
    /// Inputs drawn together: (input, input, coefficient), as written.
    pub correlations: Vec<(String, String, f64)>,
    /// The month's compute bill when every priced tier is provisioned to the percentile
    /// (tiers whose count does not vary at their one count); none when no tier is priced.
    pub provision_compute: Option<f64>,
}

/// Samples the design around `plan` (its point estimate) and returns each varying entry's
/// distribution with the run's summary; `None` when nothing is uncertain or sampling is off.
pub fn run(design: &Design, hits: &Hits, plan: &Plan, settings: Settings) -> Option<Uncertainty> {
    let sampler = &Sampler::new(design)?;
    if settings.samples == 0 || sampler.leaves().is_empty() {
        return None;
    }
    let settings = Settings { samples: settings.samples.min(MAX_SAMPLES), ..settings };
    let n = settings.samples;
    let k = sampler.leaves().len();
    let cache_inputs = cache_inputs_vary(design, sampler);
    let Drawn { rows, draws, che_tiers } = sample(design, hits, plan, sampler, settings, cache_inputs);
    let names = plan.layout().names().to_vec();
    let width = names.len();
    let column = |j: usize| (0..n).map(|i| rows[i * width + j]).collect::<Vec<f64>>();
    let threads = thread_count(settings);
    // Each column's statistics, computed in parallel across columns.
    let per_thread = width.div_ceil(threads).max(1);
    let stats: Vec<Option<(Percentiles, f64)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..width)
            .step_by(per_thread)
            .map(|start| {
                let column = &column;
                crate::threads::spawn(scope, move || {
                    (start..(start + per_thread).min(width))
                        .map(|j| column_stats(column(j), settings.provision))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect()
    });
    let mut distributions = BTreeMap::new();
    let mut columns: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    let mut nodes = Vec::new();
    for (j, (name, st)) in names.iter().zip(stats).enumerate() {
        let Some((d, provision)) = st else { continue };
        if is_headline(design, name) {
            columns.insert(name.clone(), column(j));
        }
        if let Some(tier) = key::owner(name, Metric::Nodes).filter(|t| design.tier(t).is_some()) {
            let provision_cost = node_month(design, tier).map(|p| p * provision);
            nodes.push(NodeRange { tier: tier.to_string(), p50: d.p50, p95: d.p95, provision, provision_cost });
        }
        distributions.insert(name.clone(), d);
    }
    let sensitivity = sensitivity(sampler, &draws, n, k, &names, &columns, &distributions);
    let provision_compute = provision_compute(design, plan, &nodes);
    Some(Uncertainty {
        distributions,
        samples: n,
        seed: settings.seed,
        provision: settings.provision,
        leaves: sampler.leaves().to_vec(),
        sensitivity,
        nodes,
        correlations: sampler
            .correlations()
            .iter()
            .map(|&(a, b, rho)| (sampler.leaves()[a].label(), sampler.leaves()[b].label(), rho))
            .collect(),
        provision_compute,
        caches: (che_tiers > 0).then(|| {
            "Cache hit ratios are re-estimated in each sample by Che's approximation, offset to agree with the design's ratio at the medians".to_string()
        }),
    })
}

/// A node's price for one month (the calendar year ÷ 12), when the tier states a price.
fn node_month(design: &Design, tier: &str) -> Option<f64> {
    let price = design.tier(tier)?.price.as_ref()?;
    Some(price.value.si() * design.year.value.si() / 12.0)
}

/// Σ over priced tiers of (the provisioned count, or the one count when it does not vary)
/// × a node's monthly price.
fn provision_compute(design: &Design, plan: &Plan, nodes: &[NodeRange]) -> Option<f64> {
    let priced: Vec<(f64, f64)> = design
        .tiers
        .iter()
        .filter_map(|t| {
            let month = node_month(design, &t.name)?;
            let count = nodes
                .iter()
                .find(|r| r.tier == t.name)
                .map_or_else(|| plan.value(&key::of(&t.name, Metric::Nodes)), |r| r.provision);
            Some((count, month))
        })
        .collect();
    (!priced.is_empty()).then(|| priced.iter().map(|(n, m)| n * m).sum())
}

/// A column's distribution and its value at the provisioning percentile (rounded up), or
/// `None` when every sample is equal.
fn column_stats(mut column: Vec<f64>, provision: f64) -> Option<(Percentiles, f64)> {
    let integral = column.iter().all(|v| !v.is_finite() || v.fract() == 0.0);
    let mut d = stats::distribution(&mut column)?;
    if integral {
        // Counts (nodes, shards): a percentile between two counts rounds up to a count.
        for p in [&mut d.p5, &mut d.p50, &mut d.p95] {
            *p = crate::math::numeric::ceil(*p);
        }
    }
    Some((d, crate::math::numeric::ceil(stats::percentile(&mut column, provision))))
}

/// Threads to use: the setting, or one per core.
fn thread_count(settings: Settings) -> usize {
    match settings.threads {
        0 => std::thread::available_parallelism().map_or(1, |c| c.get()),
        t => t,
    }
}

/// The headline results sensitivity is reported for.
fn is_headline(design: &Design, name: &str) -> bool {
    matches!(
        name,
        "traffic.peak_rps" | "storage.total" | "bandwidth.egress_peak" | "availability.composite" | "cost.monthly"
    ) || key::owner(name, Metric::Nodes).is_some_and(|t| design.tier(t).is_some())
}

/// Whether a sample can change a cache tier's analytic hit ratio.
fn cache_inputs_vary(design: &Design, sampler: &Sampler) -> bool {
    sampler.inputs().iter().any(|name| {
        matches!(name.as_str(), "workload.keys" | "workload.object")
            || key::owner(name, Metric::Size).and_then(|t| design.tier(t)).is_some_and(|t| t.cache.is_some())
    })
}

/// Runs `work(sample index, row of a, row of b)` over every sample, split into contiguous
/// chunks across `threads` (each thread gets its own `state`).
fn par_rows<S>(
    threads: usize,
    (a, wa): (&mut [f64], usize),
    (b, wb): (&mut [f64], usize),
    state: impl Fn() -> S + Sync,
    work: impl Fn(&mut S, usize, &mut [f64], &mut [f64]) + Sync,
) {
    let (wa, wb) = (wa.max(1), wb.max(1));
    let n = (a.len() / wa).max(b.len() / wb);
    let chunk = n.div_ceil(threads.max(1)).max(1);
    let (state, work) = (&state, &work);
    std::thread::scope(|scope| {
        for (c, (a, b)) in a.chunks_mut(chunk * wa).zip(b.chunks_mut(chunk * wb)).enumerate() {
            crate::threads::spawn(scope, move || {
                let mut s = state();
                for (j, (ra, rb)) in a.chunks_mut(wa).zip(b.chunks_mut(wb)).enumerate() {
                    work(&mut s, c * chunk + j, ra, rb);
                }
            });
        }
    });
}

/// Every sample drawn.
struct Drawn {
    /// The plan values, sample-major: one row of the layout's width per sample.
    rows: Vec<f64>,
    /// The leaf quantiles, sample-major: one row of `k` per sample.
    draws: Vec<f64>,
    /// Cache tiers whose hit ratio moved with the samples (Che's grid).
    che_tiers: usize,
}

/// Draws every sample.
fn sample(
    design: &Design,
    hits: &Hits,
    plan: &Plan,
    sampler: &Sampler,
    settings: Settings,
    cache_inputs: bool,
) -> Drawn {
    let n = settings.samples;
    // Rows are at least one wide, so that both sides of `par_rows` have n rows.
    let (k, m) = (sampler.leaves().len().max(1), sampler.inputs().len().max(1));
    let threads = thread_count(settings).clamp(1, n.div_ceil(500).max(1));

    // 1. Each sample's quantiles and the uncertain inputs' values.
    let quantiles = Quantiles::new(settings.seed, n, k);
    let mut draws = vec![0.0; n * k];
    let mut inputs = vec![0.0; n * m];
    par_rows(
        threads,
        (&mut draws, k),
        (&mut inputs, m),
        || (),
        |_, i, u, values| {
            quantiles.fill(i, u);
            sampler.correlate(u);
            sampler.evaluate(u, values);
        },
    );

    // 2. Cache tiers whose analytic hit ratio moves: Che tabulated over the samples' range.
    let grids = if cache_inputs { che_grids(design, hits, sampler, &mut inputs, m, threads) } else { Vec::new() };

    // 3. The model on every sample, into values-only plans.
    let layout = plan.layout();
    let width = layout.names().len();
    let mut rows = vec![0.0; n * width];
    par_rows(
        threads,
        (&mut rows, width),
        (&mut inputs, m),
        || (design.clone(), Plan::values_only(layout.clone()), hits.clone()),
        |(d, values, sample_hits), _, row, input| {
            sampler.set(input, d);
            for (tier, grid) in &grids {
                if let (Some((objects, keys)), Some(h)) = (cache_point(d, tier), sample_hits.0.get_mut(tier)) {
                    h.ratio = grid.ratio(objects, keys);
                }
            }
            values.reset();
            estimate_into(d, sample_hits, values);
            row.copy_from_slice(values.sampled());
        },
    );
    Drawn { rows, draws, che_tiers: grids.len() }
}

/// A cache tier's (objects held, keys) in a design, when both are known.
fn cache_point(design: &Design, tier: &str) -> Option<(f64, f64)> {
    use crate::units::Quantity;
    let size = design.tier(tier)?.cache.as_ref()?.size.as_ref()?;
    Some((hits::cache_objects(design, size)?, design.workload.keys.as_ref()?.value.si()))
}

/// One grid per cache tier whose hit ratio is estimated (not given), over the range of
/// (objects, keys) the samples reach (`inputs` holds each sample's `m` input values).
fn che_grids(
    design: &Design,
    hits: &Hits,
    sampler: &Sampler,
    inputs: &mut [f64],
    m: usize,
    threads: usize,
) -> Vec<(String, che_grid::CheGrid)> {
    let tiers: Vec<(&str, crate::design::CachePolicy)> = design
        .tiers
        .iter()
        .filter_map(|t| t.cache.as_ref().filter(|c| c.hit_ratio.is_none()).map(|c| (t.name.as_str(), c.policy)))
        .filter(|(t, _)| hits.0.contains_key(*t) && cache_point(design, t).is_some())
        .collect();
    if tiers.is_empty() {
        return Vec::new();
    }
    let width = tiers.len() * 2;
    let n = inputs.len() / m;
    let mut points = vec![0.0; n * width];
    par_rows(
        threads,
        (&mut points, width),
        (inputs, m),
        || design.clone(),
        |d, _, out, input| {
            sampler.set(input, d);
            for (t, (tier, _)) in tiers.iter().enumerate() {
                let (o, k) = cache_point(d, tier).unwrap_or((f64::NAN, f64::NAN));
                out[2 * t] = o;
                out[2 * t + 1] = k;
            }
        },
    );
    let medians = hits::analytic(design);
    let mut out = Vec::new();
    for (t, (tier, policy)) in tiers.iter().enumerate() {
        let samples: Vec<(f64, f64)> = points.chunks(width).map(|row| (row[2 * t], row[2 * t + 1])).collect();
        let (Some(used), Some(che)) = (hits.0.get(*tier), medians.0.get(*tier)) else { continue };
        if let Some(grid) = che_grid::CheGrid::new(design, *policy, &samples, used.ratio - che.ratio, threads) {
            out.push((tier.to_string(), grid));
        }
    }
    out
}

/// Rank correlations of each headline result with each leaf.
fn sensitivity(
    sampler: &Sampler,
    draws: &[f64],
    n: usize,
    k: usize,
    names: &[String],
    columns: &BTreeMap<String, Vec<f64>>,
    distributions: &BTreeMap<String, Percentiles>,
) -> Vec<Sensitivity> {
    // A leaf's value is monotone in its quantile, so the quantiles' ranks are the values'.
    let leaf_ranks: Vec<Vec<f64>> =
        (0..k).map(|l| stats::ranks(&(0..n).map(|i| draws[i * k + l]).collect::<Vec<_>>())).collect();
    let mut out = Vec::new();
    for name in names.iter().filter(|n| distributions.contains_key(*n)) {
        let Some(column) = columns.get(name) else { continue };
        let y = stats::ranks(column);
        let rhos: Vec<f64> = leaf_ranks.iter().map(|x| stats::correlation(x, &y)).collect();
        let total: f64 = rhos.iter().map(|r| r * r).sum();
        if total <= 0.0 {
            continue;
        }
        let mut drivers: Vec<Driver> = sampler
            .leaves()
            .iter()
            .zip(&rhos)
            .map(|(leaf, &rho)| Driver { input: leaf.label(), rho, share: rho * rho / total })
            .collect();
        drivers.sort_by(|a, b| b.rho.abs().total_cmp(&a.rho.abs()).then_with(|| a.input.cmp(&b.input)));
        out.push(Sensitivity { output: name.clone(), drivers });
    }
    out
}
