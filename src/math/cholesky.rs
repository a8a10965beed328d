//! The Cholesky factor of a symmetric matrix, C = L·Lᵀ (Golub & Van Loan, Matrix
//! Computations, 4th ed., Algorithm 4.2.1): how correlated normal draws are made from
//! independent ones (z = L·ε has correlation C).
//!
//! Architecture Invariant: pure `f64` functions; a matrix that is not positive definite has no
//! factor (`None`), never a NaN-filled one.

/// The lower-triangular L (row-major, n × n) with C = L·Lᵀ, or `None` when `c` (row-major,
/// symmetric) is not positive definite.
pub fn cholesky(c: &[f64], n: usize) -> Option<Vec<f64>> {
    if c.len() != n * n {
        return None;
    }
    let mut l = vec![0.0; n * n];
    for j in 0..n {
        let diagonal = c[j * n + j] - (0..j).map(|k| l[j * n + k] * l[j * n + k]).sum::<f64>();
        if diagonal.is_nan() || diagonal <= 1e-12 {
            return None;
        }
        let d = diagonal.sqrt();
        l[j * n + j] = d;
        for i in j + 1..n {
            let dot: f64 = (0..j).map(|k| l[i * n + k] * l[j * n + k]).sum();
            l[i * n + j] = (c[i * n + j] - dot) / d;
        }
    }
    Some(l)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The factor of [[4, 12, −16], [12, 37, −43], [−16, −43, 98]] is
    /// [[2, 0, 0], [6, 1, 0], [−8, 5, 3]] (the textbook example on Wikipedia's "Cholesky
    /// decomposition" page).
    #[test]
    fn factors_the_textbook_example_and_rejects_an_indefinite_matrix() {
        let l = cholesky(&[4.0, 12.0, -16.0, 12.0, 37.0, -43.0, -16.0, -43.0, 98.0], 3).unwrap();
        let want = [2.0, 0.0, 0.0, 6.0, 1.0, 0.0, -8.0, 5.0, 3.0];
        assert!(l.iter().zip(want).all(|(a, b)| (a - b).abs() < 1e-12), "{l:?}");
        // Correlations 0.9, 0.9 and −0.9 among three inputs cannot hold together.
        assert!(cholesky(&[1.0, 0.9, -0.9, 0.9, 1.0, 0.9, -0.9, 0.9, 1.0], 3).is_none());
    }
}
