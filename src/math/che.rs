//! Che's approximation of cache hit ratios under the independent reference model.
//!
//! Source: H. Che, Y. Tung, Z. Wang, "Hierarchical Web caching systems: modeling, design and
//! experimental results", IEEE JSAC 20(7), 2002; and for FIFO, V. Martina, M. Garetto,
//! E. Leonardi, "A unified approach to the performance analysis of caching systems",
//! INFOCOM 2014. For LRU, object i (request probability pᵢ) is in the cache with
//! probability hᵢ = 1 − e^(−pᵢ·t_C), where the characteristic time t_C solves Σᵢ hᵢ = C; for
//! FIFO (and random), hᵢ = pᵢ·t_C / (1 + pᵢ·t_C). The hit ratio is Σᵢ pᵢ·hᵢ.
//!
//! Zipf key spaces far too large to sum (36.5 billion keys) are handled exactly for the
//! first [`EXACT_TERMS`] ranks and by an integral over the rest (substituting x = eᵘ and
//! Simpson's rule), whose error is far below the approximation's own. The population is
//! discretised once into weighted points, and t_C is found by safeguarded Newton steps.
//!
//! Architecture Invariant: pure and deterministic; no sampling.

use super::popularity::{EXACT_TERMS, Popularity, zipf_norm};

const SIMPSON_INTERVALS: usize = 512;

/// Which occupancy law to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Law {
    /// hᵢ = 1 − e^(−pᵢ t) (LRU).
    Lru,
    /// hᵢ = pᵢ t / (1 + pᵢ t) (FIFO, random).
    Fifo,
}

impl Law {
    /// Occupancy h(x) and its derivative h'(x) at x = p·t.
    fn occupancy(self, x: f64) -> (f64, f64) {
        match self {
            // One transcendental per point: h = −(e^(−x) − 1) keeps its precision for small x,
            // and h' = e^(−x) = 1 + (e^(−x) − 1) only feeds the Newton slope.
            Law::Lru => {
                let m = (-x).exp_m1();
                (-m, 1.0 + m)
            }
            Law::Fifo => (x / (1.0 + x), 1.0 / ((1.0 + x) * (1.0 + x))),
        }
    }
}

/// The key population as weighted points: Σᵢ f(pᵢ) ≈ Σₖ wₖ·f(pₖ). Exact ranks have weight 1;
/// the Zipf tail becomes Simpson nodes in u = ln x with weight (Simpson coefficient × eᵘ).
struct Points {
    p: Vec<f64>,
    w: Vec<f64>,
}

impl Points {
    fn of(pop: Popularity, n: f64) -> Points {
        let (mut p, mut w) = (Vec::new(), Vec::new());
        match pop {
            Popularity::Zipf { alpha } => {
                let norm = zipf_norm(alpha, n);
                let exact = (EXACT_TERMS as f64).min(n.floor()) as u64;
                for i in 1..=exact {
                    p.push(pop.weight(i, n) / norm);
                    w.push(1.0);
                }
                if n.floor() > exact as f64 {
                    let (a, b) = ((exact as f64 + 0.5).ln(), (n.floor() + 0.5).ln());
                    let m = SIMPSON_INTERVALS;
                    let h = (b - a) / m as f64;
                    for k in 0..=m {
                        let u = a + k as f64 * h;
                        let coefficient = if k == 0 || k == m {
                            1.0
                        } else if k % 2 == 1 {
                            4.0
                        } else {
                            2.0
                        };
                        p.push((-alpha * u).exp() / norm);
                        w.push(coefficient * h / 3.0 * u.exp());
                    }
                }
            }
            // Uniform and hotspot: one point per level, weighted by its keys.
            levels => {
                for (share, keys) in levels.levels(n).unwrap_or_default() {
                    p.push(share);
                    w.push(keys);
                }
            }
        }
        Points { p, w }
    }

    /// (Σ w·h(p t), Σ w·p·h'(p t)): objects held, and its derivative in t.
    fn filled(&self, law: Law, t: f64) -> (f64, f64) {
        let (mut held, mut slope) = (0.0, 0.0);
        for (p, w) in self.p.iter().zip(&self.w) {
            let (h, dh) = law.occupancy(p * t);
            held += w * h;
            slope += w * p * dh;
        }
        (held, slope)
    }

    fn hit_ratio(&self, law: Law, t: f64) -> f64 {
        self.p.iter().zip(&self.w).map(|(p, w)| w * p * law.occupancy(p * t).0).sum()
    }
}

/// The hit ratio of a cache holding `capacity` objects of `n` keys under `popularity`, by
/// Che's law.
///
/// Solves Σ h(pᵢ t) = C for the characteristic time t by Newton's method, safeguarded by a
/// bracket [lo, hi] (Σ h is increasing in t; Σ h ≤ t, so t ≥ C).
pub fn hit_ratio(popularity: Popularity, n: f64, capacity: f64, law: Law) -> f64 {
    hit_ratios(popularity, n, &[capacity], law)[0]
}

/// [`hit_ratio`] at several capacities of one population: the population is discretised once,
/// and the capacities are solved in ascending order, each bracket starting from the previous
/// characteristic time (t grows with the capacity), so a curve costs little more than a point.
pub fn hit_ratios(popularity: Popularity, n: f64, capacities: &[f64], law: Law) -> Vec<f64> {
    let mut order: Vec<usize> = (0..capacities.len()).collect();
    order.sort_by(|&a, &b| capacities[a].total_cmp(&capacities[b]));
    let mut out = vec![0.0; capacities.len()];
    let (mut points, mut from) = (None, 0.0);
    for i in order {
        let capacity = capacities[i];
        out[i] = if capacity.is_nan() {
            f64::NAN
        } else if capacity <= 0.0 || n <= 0.0 {
            0.0
        } else if capacity >= n {
            1.0
        } else {
            let points = points.get_or_insert_with(|| Points::of(popularity, n));
            match solve(points, capacity, law, from) {
                Some(t) => {
                    from = t;
                    points.hit_ratio(law, t).clamp(0.0, 1.0)
                }
                None => 1.0,
            }
        };
    }
    out
}

/// The characteristic time t_C (in requests) of a cache of `capacity` objects of `n` keys: object i is
/// cached with probability 1 − e^(−pᵢ·t_C) (LRU) or pᵢt_C/(1 + pᵢt_C) (FIFO). `None` when the
/// cache holds every key (or none).
pub fn characteristic_time(popularity: Popularity, n: f64, capacity: f64, law: Law) -> Option<f64> {
    if capacity <= 0.0 || n <= 0.0 || capacity >= n {
        return None;
    }
    solve(&Points::of(popularity, n), capacity, law, 0.0)
}

/// The characteristic time of `capacity`, searched upward from `from` (a characteristic time
/// of a smaller capacity, or 0).
fn solve(points: &Points, capacity: f64, law: Law, from: f64) -> Option<f64> {
    let start = capacity.max(from);
    let (mut lo, mut hi) = (start, start * 2.0);
    while points.filled(law, hi).0 < capacity {
        lo = hi;
        hi *= 2.0;
        if hi > 1e300 {
            return None;
        }
    }
    let mut t = (lo * hi).sqrt();
    for _ in 0..200 {
        let (held, slope) = points.filled(law, t);
        let gap = held - capacity;
        if gap.abs() <= 1e-12 * capacity {
            break;
        }
        if gap < 0.0 {
            lo = t
        } else {
            hi = t
        }
        let newton = t - gap / slope;
        t = if slope > 0.0 && newton > lo && newton < hi { newton } else { (lo * hi).sqrt() };
        if hi / lo - 1.0 < 1e-12 {
            break;
        }
    }
    Some(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uniform_popularity_hits_in_proportion_to_size() {
        // Under IRM with equal popularity every policy holds C of N keys: hit = C/N.
        let h = hit_ratio(Popularity::Uniform, 1000.0, 100.0, Law::Lru);
        assert!((h - 0.1).abs() < 1e-6, "{h}");
    }

    #[test]
    fn lru_never_beats_the_static_top_c_bound() {
        // worked-examples.md: no policy beats caching the C most popular objects.
        let (n, c, a): (f64, f64, f64) = (1e6, 1e4, 0.9);
        let top = (1.0 - c.powf(1.0 - a)) / (1.0 - n.powf(1.0 - a));
        let h = hit_ratio(Popularity::Zipf { alpha: a }, n, c, Law::Lru);
        assert!(h < top && h > 0.5 * top, "{h} vs {top}");
        let fifo = hit_ratio(Popularity::Zipf { alpha: a }, n, c, Law::Fifo);
        assert!(fifo < h, "FIFO {fifo} should trail LRU {h}");
    }
}

#[cfg(test)]
mod against_exact_sums {
    use super::*;

    /// Che's equations solved by plain summation over every key, for a small population.
    fn brute(alpha: f64, n: usize, c: f64) -> f64 {
        let norm: f64 = (1..=n).map(|i| (i as f64).powf(-alpha)).sum();
        let p: Vec<f64> = (1..=n).map(|i| (i as f64).powf(-alpha) / norm).collect();
        let filled = |t: f64| p.iter().map(|p| 1.0 - (-p * t).exp()).sum::<f64>();
        let (mut lo, mut hi) = (c, c);
        while filled(hi) < c {
            hi *= 2.0;
        }
        for _ in 0..200 {
            let mid = 0.5 * (lo + hi);
            if filled(mid) < c { lo = mid } else { hi = mid }
        }
        p.iter().map(|p| p * (1.0 - (-p * lo).exp())).sum()
    }

    #[test]
    fn the_integral_tail_matches_summing_every_key() {
        for (alpha, n, c) in [(0.9, 200_000, 2_000.0), (0.7, 50_000, 500.0), (1.2, 100_000, 10_000.0)] {
            let fast = hit_ratio(Popularity::Zipf { alpha }, n as f64, c, Law::Lru);
            let exact = brute(alpha, n, c);
            assert!((fast - exact).abs() < 1e-5, "α={alpha} n={n} C={c}: {fast} vs {exact}");
        }
    }
}
