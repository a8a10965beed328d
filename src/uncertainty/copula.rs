//! A Gaussian copula: leaves a design correlates (`correlate a, b = 0.8`) drawn together. A
//! sample's independent uniform quantiles become normal scores z, the correlated ones become
//! L·z (L the Cholesky factor of the correlation matrix as stated), and each goes back to a
//! quantile through Φ — so every leaf keeps its own spread and the pairs get the stated
//! correlation of their normal scores.
//!
//! Architecture Invariant: the matrix is the design's, as lowering validated it; this file
//! only factors it and applies it, and leaves without a correlation are never moved.

use crate::design::uncertain::Correlation;
use crate::math::normal;

/// Correlated leaves: their indexes and the Cholesky factor of their correlation matrix.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Copula {
    leaves: Vec<usize>,
    factor: Vec<f64>,
}

impl Copula {
    /// The copula of a design's correlations; `None` when the matrix is not positive definite
    /// (lowering refuses such a design, so this does not happen for a lowered one).
    pub(super) fn new(correlation: &Correlation) -> Option<Copula> {
        let factor = crate::math::cholesky::cholesky(&correlation.matrix, correlation.leaves.len())?;
        Some(Copula { leaves: correlation.leaves.clone(), factor })
    }

    /// Correlates a sample's independent quantiles in place: the correlated leaves' normal
    /// scores z become L·z, and each goes back to a quantile through Φ. Leaves without a
    /// correlation are left as drawn.
    pub(super) fn correlate(&self, u: &mut [f64]) {
        let n = self.leaves.len();
        let z: Vec<f64> = self.leaves.iter().map(|&l| normal::inverse_cdf(u[l])).collect();
        for (i, &leaf) in self.leaves.iter().enumerate() {
            let zi: f64 = (0..=i).map(|k| self.factor[i * n + k] * z[k]).sum();
            u[leaf] = normal::cdf(zi).clamp(f64::MIN_POSITIVE, 1.0 - f64::EPSILON);
        }
    }
}
