//! Unit words and scale suffixes: the one table that says what `KB`, `Gbps`, `ms`, `day`,
//! `rps` or `K` mean. Data sizes are decimal (1 KB = 1000 B); binary units are exact.
//!
//! Architecture Invariant: no other module knows a unit's factor.

use super::Dim;

/// Seconds in a day (a calendar day; `seconds_per_day` only changes the traffic average).
pub const DAY: f64 = 86_400.0;
/// The default year: 365 days.
pub const DEFAULT_YEAR: f64 = 365.0 * DAY;

/// What a unit word means.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum UnitMeaning {
    /// A factor to base units with a dimension.
    Factor(f64, Dim),
    /// A fraction of the calendar year (`month` = 1/12, `year` = 1).
    Years(f64),
    /// `N nines` = 1 − 10^−N.
    Nines,
    /// A label on a count (`users`, `req`, `keys`): factor 1.
    Label,
}

const B: Dim = Dim::DATA;
const T: Dim = Dim::TIME;
const R: Dim = Dim::RATE;
const BR: Dim = Dim::DATA_RATE;
const N: Dim = Dim::NONE;

/// Every unit word, case-sensitive.
const UNITS: &[(&str, UnitMeaning)] = {
    use UnitMeaning::*;
    &[
        // data: bits and bytes, decimal and binary
        ("b", Factor(0.125, B)),
        ("Kb", Factor(125.0, B)),
        ("Mb", Factor(125e3, B)),
        ("Gb", Factor(125e6, B)),
        ("Tb", Factor(125e9, B)),
        ("B", Factor(1.0, B)),
        ("KB", Factor(1e3, B)),
        ("MB", Factor(1e6, B)),
        ("GB", Factor(1e9, B)),
        ("TB", Factor(1e12, B)),
        ("PB", Factor(1e15, B)),
        ("EB", Factor(1e18, B)),
        ("KiB", Factor(1024.0, B)),
        ("MiB", Factor(1_048_576.0, B)),
        ("GiB", Factor(1_073_741_824.0, B)),
        ("TiB", Factor(1_099_511_627_776.0, B)),
        ("PiB", Factor(1_125_899_906_842_624.0, B)),
        ("EiB", Factor(1_152_921_504_606_846_976.0, B)),
        // time
        ("ns", Factor(1e-9, T)),
        ("us", Factor(1e-6, T)),
        ("µs", Factor(1e-6, T)),
        ("ms", Factor(1e-3, T)),
        ("s", Factor(1.0, T)),
        ("sec", Factor(1.0, T)),
        ("second", Factor(1.0, T)),
        ("seconds", Factor(1.0, T)),
        ("min", Factor(60.0, T)),
        ("minute", Factor(60.0, T)),
        ("minutes", Factor(60.0, T)),
        ("h", Factor(3600.0, T)),
        ("hour", Factor(3600.0, T)),
        ("hours", Factor(3600.0, T)),
        ("day", Factor(DAY, T)),
        ("days", Factor(DAY, T)),
        ("week", Factor(7.0 * DAY, T)),
        ("weeks", Factor(7.0 * DAY, T)),
        ("month", Years(1.0 / 12.0)),
        ("months", Years(1.0 / 12.0)),
        ("year", Years(1.0)),
        ("years", Years(1.0)),
        ("yr", Years(1.0)),
        // rates
        ("rps", Factor(1.0, R)),
        ("qps", Factor(1.0, R)),
        ("bps", Factor(0.125, BR)),
        ("Kbps", Factor(125.0, BR)),
        ("Mbps", Factor(125e3, BR)),
        ("Gbps", Factor(125e6, BR)),
        ("Tbps", Factor(125e9, BR)),
        // ratios
        ("%", Factor(0.01, N)),
        ("x", Factor(1.0, N)),
        ("nines", Nines),
        // money: `$140` is read as `140 USD`
        ("USD", Factor(1.0, Dim::MONEY)),
        // scale words on counts (`1.1 billion`)
        ("thousand", Factor(1e3, N)),
        ("million", Factor(1e6, N)),
        ("billion", Factor(1e9, N)),
        ("trillion", Factor(1e12, N)),
        // labels on counts
        ("user", Label),
        ("users", Label),
        ("req", Label),
        ("request", Label),
        ("requests", Label),
        ("call", Label),
        ("calls", Label),
        ("key", Label),
        ("keys", Label),
        ("obj", Label),
        ("objects", Label),
        ("msg", Label),
        ("msgs", Label),
        ("messages", Label),
        ("X", Label),
    ]
};

/// Looks up a unit word.
pub fn unit(word: &str) -> Option<UnitMeaning> {
    UNITS.iter().find(|(w, _)| *w == word).map(|(_, m)| *m)
}

/// Every unit word (for suggestions and docs).
pub fn unit_words() -> impl Iterator<Item = &'static str> {
    UNITS.iter().map(|(w, _)| *w)
}

/// A scale suffix glued to a number: `K`/`k` 10^3, `M` 10^6, `B` 10^9, `T` 10^12.
pub fn scale(suffix: &str) -> Option<f64> {
    match suffix {
        "K" | "k" => Some(1e3),
        "M" => Some(1e6),
        "B" => Some(1e9),
        "T" => Some(1e12),
        _ => None,
    }
}

/// The factor and dimension of a unit word given the calendar year in seconds.
pub fn resolve(meaning: UnitMeaning, year_seconds: f64) -> (f64, Dim) {
    match meaning {
        UnitMeaning::Factor(f, d) => (f, d),
        UnitMeaning::Years(f) => (f * year_seconds, Dim::TIME),
        UnitMeaning::Nines | UnitMeaning::Label => (1.0, Dim::NONE),
    }
}

/// Whether a word is a unit of time (for `per day`, `/s`).
pub fn is_time(word: &str) -> bool {
    matches!(unit(word), Some(UnitMeaning::Years(_)))
        || matches!(unit(word), Some(UnitMeaning::Factor(_, d)) if d == Dim::TIME)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_and_binary_data_units_have_exact_factors() {
        assert_eq!(unit("KB"), Some(UnitMeaning::Factor(1e3, Dim::DATA)));
        assert_eq!(unit("KiB"), Some(UnitMeaning::Factor(1024.0, Dim::DATA)));
        // 160 Gbps = 20 GB/s (worked-examples.md, R3)
        let Some(UnitMeaning::Factor(f, _)) = unit("Gbps") else { panic!() };
        assert_eq!(160.0 * f, 20e9);
    }

    #[test]
    fn months_follow_the_calendar_year() {
        let (f, d) = resolve(UnitMeaning::Years(1.0 / 12.0), DEFAULT_YEAR);
        assert_eq!(d, Dim::TIME);
        assert!((f - 2_628_000.0).abs() < 1e-6);
    }

    #[test]
    fn unit_words_are_unique() {
        let mut words: Vec<_> = unit_words().collect();
        let n = words.len();
        words.sort_unstable();
        words.dedup();
        assert_eq!(words.len(), n);
    }
}
