//! Rounding that forgives floating-point noise, so ⌈3.0000000001⌉ is 3, not 4.
//!
//! Architecture Invariant: every node count in fermi is rounded up through [`ceil`].

/// Relative tolerance below which a value counts as the integer beneath it.
pub const TOLERANCE: f64 = 1e-9;

/// ⌈x⌉, treating values within a relative 1e-9 of an integer as that integer.
pub fn ceil(x: f64) -> f64 {
    if !x.is_finite() {
        return x;
    }
    let r = x.round();
    if (x - r).abs() <= TOLERANCE * x.abs().max(1.0) { r } else { x.ceil() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ceil_forgives_noise_but_not_real_fractions() {
        assert_eq!(ceil(3.000_000_000_1), 3.0);
        assert_eq!(ceil(2.5), 3.0);
        assert_eq!(ceil(100.0), 100.0);
        assert_eq!(ceil(0.1 + 0.2 - 0.3), 0.0);
    }
}
