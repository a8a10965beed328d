//! The uniform quantiles each Monte Carlo sample draws its leaves at: a Latin hypercube.
//!
//! For N samples of k leaves, each leaf's axis is cut into N equal strata and every stratum
//! holds exactly one sample: sample i draws leaf d at (π_d(i) + v) ÷ N, where π_d is a seeded
//! random permutation of 0..N and v is uniform in (0, 1). The samples still have the leaves'
//! exact distributions and independent leaves stay independent, but no stretch of any input's
//! range is over- or under-sampled by chance, so percentiles of results settle with far fewer
//! samples.
//!
//! Source: M. D. McKay, R. J. Beckman, W. J. Conover, "A comparison of three methods for
//! selecting values of input variables in the analysis of output from a computer code",
//! Technometrics 21(2), 1979; M. Stein, "Large sample properties of simulations using Latin
//! hypercube sampling", Technometrics 29(2), 1987 (the variance of a mean is never more than
//! that of N independent samples, up to N/(N − 1), and far less for additive models).
//! Measured here on `designs/url-shortener-uncertain.fermi` and `video-platform.fermi`
//! (30 and 20 seeds against 1M and 400K independent samples): at 2,000 samples the median
//! relative RMS error of results' p5, p50 and p95 was 0.03–0.13%, against 0.19–0.79% for
//! 10,000 independent samples.
//!
//! Architecture Invariant: a pure function of (seed, N, k) computed before any thread starts,
//! so how samples are split across threads never changes a value.

use crate::math::rng::SplitMix64;

/// Every sample's quantiles for a run.
#[derive(Debug, Clone)]
pub struct Quantiles {
    seed: u64,
    samples: usize,
    /// Leaf-major: `strata[d * samples + i]` is the stratum of sample i on leaf d.
    strata: Vec<u32>,
}

impl Quantiles {
    /// The Latin hypercube for `samples` samples of `leaves` leaves.
    pub fn new(seed: u64, samples: usize, leaves: usize) -> Self {
        let samples = samples.min(u32::MAX as usize);
        let mut strata = Vec::with_capacity(samples * leaves);
        for d in 0..leaves {
            let mut rng = SplitMix64::new(seed ^ SplitMix64::new(!(d as u64)).next_u64());
            let start = strata.len();
            strata.extend(0..samples as u32);
            // Fisher–Yates, with Lemire's multiply-shift for an index in 0..=i.
            let axis = &mut strata[start..];
            for i in (1..samples).rev() {
                let j = ((u128::from(rng.next_u64()) * (i as u128 + 1)) >> 64) as usize;
                axis.swap(i, j);
            }
        }
        Quantiles { seed, samples, strata }
    }

    /// Sample `i`'s quantile for each leaf, into `u` (one per leaf): in (0, 1), never 0 or 1.
    /// The offset within each stratum comes from SplitMix64 seeded by the run's seed and `i`.
    pub fn fill(&self, i: usize, u: &mut [f64]) {
        let mut rng = SplitMix64::new(self.seed ^ SplitMix64::new(i as u64).next_u64());
        let n = self.samples as f64;
        for (d, x) in u.iter_mut().enumerate() {
            let offset = ((rng.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64;
            let stratum = self.strata.get(d * self.samples + i).map_or(0.0, |&s| f64::from(s));
            *x = ((stratum + offset) / n).min(1.0 - f64::EPSILON / 2.0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_stratum_of_every_leaf_holds_exactly_one_sample() {
        let (n, k) = (1_000, 3);
        let q = Quantiles::new(7, n, k);
        let mut seen = vec![vec![0u32; n]; k];
        let mut u = vec![0.0; k];
        for i in 0..n {
            q.fill(i, &mut u);
            for (d, &x) in u.iter().enumerate() {
                assert!(x > 0.0 && x < 1.0);
                seen[d][(x * n as f64) as usize] += 1;
            }
        }
        assert!(seen.iter().all(|axis| axis.iter().all(|&c| c == 1)));
    }

    #[test]
    fn leaves_are_shuffled_independently() {
        // Two leaves with the same permutation would be perfectly rank-correlated.
        let n = 2_000;
        let q = Quantiles::new(2026, n, 2);
        let (mut a, mut b) = (Vec::new(), Vec::new());
        let mut u = [0.0; 2];
        for i in 0..n {
            q.fill(i, &mut u);
            a.push(u[0]);
            b.push(u[1]);
        }
        use crate::uncertainty::stats::{correlation, ranks};
        let rho = correlation(&ranks(&a), &ranks(&b));
        // Independent: ρ ~ N(0, 1/(n − 1)); 4 standard errors.
        assert!(rho.abs() < 4.0 / ((n - 1) as f64).sqrt(), "ρ = {rho}");
    }
}
