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
//! Simpson's rule), whose error is far below the approximation's own.
//!
//! Architecture Invariant: pure and deterministic; no sampling.

/// Ranks summed term by term before switching to the integral.
pub const EXACT_TERMS: u64 = 20_000;
const SIMPSON_INTERVALS: usize = 2_000;

/// Which occupancy law to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Law {
    /// hᵢ = 1 − e^(−pᵢ t) (LRU).
    Lru,
    /// hᵢ = pᵢ t / (1 + pᵢ t) (FIFO, random).
    Fifo,
}

impl Law {
    fn occupancy(self, p: f64, t: f64) -> f64 {
        let x = p * t;
        match self {
            Law::Lru => -(-x).exp_m1(),
            Law::Fifo => x / (1.0 + x),
        }
    }
}

/// A popularity distribution over `n` keys.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Popularity {
    /// pᵢ ∝ i^(−α), i = 1..n.
    Zipf {
        /// Exponent.
        alpha: f64,
        /// Keys.
        n: f64,
    },
    /// pᵢ = 1/n.
    Uniform {
        /// Keys.
        n: f64,
    },
    /// A fraction `hot` of keys receives a fraction `traffic` of requests, uniformly within.
    Hotspot {
        /// Keys.
        n: f64,
        /// Fraction of keys that are hot.
        hot: f64,
        /// Fraction of requests they receive.
        traffic: f64,
    },
}

impl Popularity {
    /// Σᵢ f(pᵢ) over all keys.
    fn sum(&self, f: &dyn Fn(f64) -> f64) -> f64 {
        match *self {
            Popularity::Uniform { n } => n * f(1.0 / n),
            Popularity::Hotspot { n, hot, traffic } => {
                let n_hot = (n * hot).max(1.0);
                let n_cold = (n - n_hot).max(0.0);
                let cold = if n_cold > 0.0 { n_cold * f((1.0 - traffic) / n_cold) } else { 0.0 };
                n_hot * f(traffic / n_hot) + cold
            }
            Popularity::Zipf { alpha, n } => {
                let norm = zipf_norm(alpha, n);
                let exact = (EXACT_TERMS as f64).min(n.floor()) as u64;
                let mut s = 0.0;
                for i in 1..=exact {
                    s += f((i as f64).powf(-alpha) / norm);
                }
                if n.floor() > exact as f64 {
                    let g = |u: f64| f((-alpha * u).exp() / norm) * u.exp();
                    s += simpson(g, (exact as f64 + 0.5).ln(), (n.floor() + 0.5).ln());
                }
                s
            }
        }
    }

    fn keys(&self) -> f64 {
        match *self {
            Popularity::Zipf { n, .. } | Popularity::Uniform { n } | Popularity::Hotspot { n, .. } => n,
        }
    }
}

/// H(n, α) = Σ_{i=1..n} i^(−α): exact for the first ranks, midpoint integral for the rest.
pub fn zipf_norm(alpha: f64, n: f64) -> f64 {
    let exact = (EXACT_TERMS as f64).min(n.floor()) as u64;
    let mut s = 0.0;
    for i in 1..=exact {
        s += (i as f64).powf(-alpha);
    }
    let (a, b) = (exact as f64 + 0.5, n.floor() + 0.5);
    if b > a {
        s += if (alpha - 1.0).abs() < 1e-12 {
            (b / a).ln()
        } else {
            (b.powf(1.0 - alpha) - a.powf(1.0 - alpha)) / (1.0 - alpha)
        };
    }
    s
}

fn simpson(g: impl Fn(f64) -> f64, a: f64, b: f64) -> f64 {
    let n = SIMPSON_INTERVALS;
    let h = (b - a) / n as f64;
    let mut s = g(a) + g(b);
    for k in 1..n {
        let w = if k % 2 == 1 { 4.0 } else { 2.0 };
        s += w * g(a + k as f64 * h);
    }
    s * h / 3.0
}

/// The hit ratio of a cache holding `capacity` objects under `popularity`, by Che's law.
pub fn hit_ratio(popularity: Popularity, capacity: f64, law: Law) -> f64 {
    let n = popularity.keys();
    if capacity <= 0.0 || n <= 0.0 {
        return 0.0;
    }
    if capacity >= n {
        return 1.0;
    }
    let filled = |t: f64| popularity.sum(&|p| law.occupancy(p, t));
    // Σ hᵢ ≤ Σ pᵢ t = t, so t_C ≥ C; grow the upper bound until it holds C objects.
    let (mut lo, mut hi) = (capacity, capacity * 2.0);
    while filled(hi) < capacity {
        lo = hi;
        hi *= 2.0;
        if hi > 1e300 {
            return 1.0;
        }
    }
    for _ in 0..100 {
        let mid = (lo * hi).sqrt();
        if filled(mid) < capacity {
            lo = mid;
        } else {
            hi = mid;
        }
        if hi / lo - 1.0 < 1e-10 {
            break;
        }
    }
    let t = (lo * hi).sqrt();
    popularity.sum(&|p| p * law.occupancy(p, t)).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uniform_popularity_hits_in_proportion_to_size() {
        // Under IRM with equal popularity every policy holds C of N keys: hit = C/N.
        let h = hit_ratio(Popularity::Uniform { n: 1000.0 }, 100.0, Law::Lru);
        assert!((h - 0.1).abs() < 1e-6, "{h}");
    }

    #[test]
    fn zipf_norm_integral_matches_the_exact_sum() {
        let n = 200_000.0;
        let exact: f64 = (1..=200_000u64).map(|i| (i as f64).powf(-0.9)).sum();
        assert!((zipf_norm(0.9, n) / exact - 1.0).abs() < 1e-9);
    }

    #[test]
    fn lru_never_beats_the_static_top_c_bound() {
        // worked-examples.md: no policy beats caching the C most popular objects.
        let (n, c, a): (f64, f64, f64) = (1e6, 1e4, 0.9);
        let top = (1.0 - c.powf(1.0 - a)) / (1.0 - n.powf(1.0 - a));
        let h = hit_ratio(Popularity::Zipf { alpha: a, n }, c, Law::Lru);
        assert!(h < top && h > 0.5 * top, "{h} vs {top}");
        let fifo = hit_ratio(Popularity::Zipf { alpha: a, n }, c, Law::Fifo);
        assert!(fifo < h, "FIFO {fifo} should trail LRU {h}");
    }
}
