//! How an uncertain input is spread, in base units — a 90% interval (`a to b`, lognormal when
//! both ends are positive), a normal (`normal(m, sd)`, `x ± d`) or a uniform — with its
//! median (the point value a design uses), its quantile function (what a Monte Carlo sample
//! draws) and how it is described to people.
//!
//! Architecture Invariant: the vocabulary of uncertain values, below the design that holds it
//! as data: this file imports nothing of fermi but `math`.

/// z of the 95th percentile of the standard normal: `x ± d` is a 90% interval.
pub const Z95: f64 = 1.644_853_626_951_472_2;

/// The median of a 90% interval: lognormal (geometric mean) for positive ends, else normal.
pub fn range_median(lo: f64, hi: f64) -> f64 {
    if lo > 0.0 && hi > 0.0 { (lo * hi).sqrt() } else { (lo + hi) / 2.0 }
}

/// How an uncertain input is spread, in base units: the distribution Monte Carlo will sample.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Spread {
    /// `lo to hi`: a 90% interval; lognormal when both ends are positive, else normal.
    Interval90 {
        /// The 5th percentile.
        lo: f64,
        /// The 95th percentile.
        hi: f64,
    },
    /// `normal(mean, sd)`, or `x ± d` (sd = d ÷ 1.645, so x ± d is a 90% interval).
    Normal {
        /// The mean.
        mean: f64,
        /// The standard deviation.
        sd: f64,
    },
    /// `uniform(lo, hi)`.
    Uniform {
        /// The lower bound.
        lo: f64,
        /// The upper bound.
        hi: f64,
    },
}

impl Spread {
    /// The point value a design uses until Monte Carlo samples the spread: the median.
    pub fn median(self) -> f64 {
        match self {
            Spread::Interval90 { lo, hi } => range_median(lo, hi),
            Spread::Normal { mean, .. } => mean,
            Spread::Uniform { lo, hi } => (lo + hi) / 2.0,
        }
    }

    /// The value at quantile `u` (0 < u < 1) of the distribution: a 90% interval is
    /// lognormal (both ends positive) or normal with its ends at the 5th and 95th percentiles.
    pub fn quantile(self, u: f64) -> f64 {
        let z = || crate::math::normal::inverse_cdf(u);
        match self {
            Spread::Interval90 { lo, hi } if lo > 0.0 && hi > 0.0 => {
                let (a, b) = (lo.ln(), hi.ln());
                ((a + b) / 2.0 + (b - a) / (2.0 * Z95) * z()).exp()
            }
            Spread::Interval90 { lo, hi } => (lo + hi) / 2.0 + (hi - lo) / (2.0 * Z95) * z(),
            Spread::Normal { mean, sd } => mean + sd * z(),
            Spread::Uniform { lo, hi } => lo + (hi - lo) * u,
        }
    }

    /// The distribution's family in words: how Monte Carlo reads what was written.
    pub fn family(self) -> &'static str {
        match self {
            Spread::Interval90 { lo, hi } if lo > 0.0 && hi > 0.0 => {
                "lognormal; the ends are its 5th and 95th percentiles"
            }
            Spread::Interval90 { .. } => "normal; the ends are its 5th and 95th percentiles",
            Spread::Normal { .. } => "normal (x ± d: d is 1.645 standard deviations)",
            Spread::Uniform { .. } => "uniform",
        }
    }

    /// How the point value was chosen, with values shown by `show`.
    pub fn describe(self, show: impl Fn(f64) -> String) -> String {
        match self {
            Spread::Interval90 { lo, hi } if lo > 0.0 && hi > 0.0 => {
                format!("median of the 90% range {} to {} (lognormal)", show(lo), show(hi))
            }
            Spread::Interval90 { lo, hi } => format!("median of the 90% range {} to {} (normal)", show(lo), show(hi)),
            Spread::Normal { mean, sd } => format!("mean of normal({}, {})", show(mean), show(sd)),
            Spread::Uniform { lo, hi } => format!("midpoint of uniform({}, {})", show(lo), show(hi)),
        }
    }
}
