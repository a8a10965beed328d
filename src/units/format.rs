//! Human display of quantities: readable scales (`1.157K rps`, `547.5 TB`, `160 Gbps`,
//! `52.56 min`, `99.99%`) with a chosen number of significant figures.
//!
//! Architecture Invariant: every string printed here parses back through the language to
//! the same value within its rounding (a property test holds it to that).

use super::{Dim, Value};
use serde::Serialize;

/// How a value should be shown; the dimension alone cannot tell a count from a ratio.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Style {
    /// A count with a scale suffix: `25B`, `1.157K`.
    Count,
    /// Requests per second: `1.157K rps`.
    Rate,
    /// Bytes, decimal: `547.5 TB`.
    Data,
    /// Bits per second: `160 Gbps`.
    DataRate,
    /// A duration in the largest readable unit: `52.56 min`.
    Duration,
    /// A ratio as a percentage: `99.99%`.
    Percent,
    /// A multiplier: `1.5x`.
    Multiplier,
    /// A number of seconds: `86.4K s`.
    Seconds,
    /// US dollars: `$147.2`, `$12.3K`.
    Money,
    /// Dollars per period, shown per month: `$140.2/month`.
    MoneyRate,
    /// Dollars per byte, shown per GB: `$0.09 per GB`.
    MoneyPerData,
    /// Dollars per byte per period, shown per GB per month: `$0.023 per GB per month`.
    MoneyPerDataTime,
}

impl Style {
    /// The natural style for a dimension (dimensionless values default to counts).
    pub fn for_dim(dim: Dim) -> Style {
        match (dim.data, dim.time, dim.money) {
            (1, 0, 0) => Style::Data,
            (0, 1, 0) => Style::Duration,
            (0, -1, 0) => Style::Rate,
            (1, -1, 0) => Style::DataRate,
            (0, 0, 1) => Style::Money,
            (0, -1, 1) => Style::MoneyRate,
            (-1, 0, 1) => Style::MoneyPerData,
            (-1, -1, 1) => Style::MoneyPerDataTime,
            _ => Style::Count,
        }
    }

    /// The unit string JSON carries with the base-unit value.
    pub fn base_unit(self) -> &'static str {
        match self {
            Style::Count => "1",
            Style::Rate => "1/s",
            Style::Data => "B",
            Style::DataRate => "B/s",
            Style::Duration => "s",
            Style::Percent | Style::Multiplier => "ratio",
            Style::Seconds => "s",
            Style::Money => "USD",
            Style::MoneyRate => "USD/s",
            Style::MoneyPerData => "USD/B",
            Style::MoneyPerDataTime => "USD/B/s",
        }
    }
}

/// Significant figures in normal output.
pub const NORMAL_DIGITS: usize = 4;
/// Significant figures in interview mode (`--rounded`).
pub const ROUNDED_DIGITS: usize = 2;

/// Rounds to `digits` significant figures.
pub fn round_sig(x: f64, digits: usize) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let magnitude = x.abs().log10().floor() as i32;
    let factor = 10f64.powi(digits as i32 - 1 - magnitude);
    (x * factor).round() / factor
}

/// A number with `digits` significant figures, trailing zeros trimmed: `1.157`, `36.5`, `100`.
pub fn sig(x: f64, digits: usize) -> String {
    if !x.is_finite() {
        return if x.is_nan() {
            "NaN".into()
        } else if x > 0.0 {
            "∞".into()
        } else {
            "-∞".into()
        };
    }
    let r = round_sig(x, digits);
    if r == 0.0 {
        return "0".into();
    }
    let magnitude = r.abs().log10().floor() as i32;
    let decimals = (digits as i32 - 1 - magnitude).clamp(0, 15) as usize;
    let s = format!("{r:.decimals$}");
    if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').to_string() } else { s }
}

/// A count with a scale suffix: `999`, `1.157K`, `100M`, `25B`, `3.5T`.
pub fn count(x: f64, digits: usize) -> String {
    let r = round_sig(x, digits);
    let a = r.abs();
    for (limit, suffix) in [(1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")] {
        if a >= limit {
            if a >= 1e15 {
                return format!("{}e{}", sig(r / 10f64.powi(a.log10().floor() as i32), digits), a.log10().floor());
            }
            return format!("{}{suffix}", sig(r / limit, digits));
        }
    }
    sig(r, digits)
}

fn scaled(x: f64, digits: usize, units: &[(f64, &str)], space: &str) -> String {
    let a = x.abs();
    let (factor, name) = units.iter().rev().find(|(f, _)| a >= *f * 0.999_999_999).copied().unwrap_or(units[0]);
    let number = sig(x / factor, digits);
    let name = match (number.as_str(), name) {
        ("1", "days") => "day",
        ("1", "years") => "year",
        _ => name,
    };
    format!("{number}{space}{name}")
}

const DATA_UNITS: &[(f64, &str)] =
    &[(1.0, "B"), (1e3, "KB"), (1e6, "MB"), (1e9, "GB"), (1e12, "TB"), (1e15, "PB"), (1e18, "EB")];
const BIT_RATE_UNITS: &[(f64, &str)] = &[(1.0, "bps"), (1e3, "Kbps"), (1e6, "Mbps"), (1e9, "Gbps"), (1e12, "Tbps")];
const BYTE_RATE_UNITS: &[(f64, &str)] =
    &[(1.0, "B/s"), (1e3, "KB/s"), (1e6, "MB/s"), (1e9, "GB/s"), (1e12, "TB/s"), (1e15, "PB/s")];
const TIME_UNITS: &[(f64, &str)] = &[
    (1e-9, "ns"),
    (1e-6, "µs"),
    (1e-3, "ms"),
    (1.0, "s"),
    (60.0, "min"),
    (3600.0, "h"),
    (86_400.0, "days"),
    (365.0 * 86_400.0, "years"),
];

/// Seconds in the month prices are shown per: a 365-day year ÷ 12 (730 hours), the convention
/// cloud price lists use for hourly-to-monthly figures.
const MONTH_SECONDS: f64 = super::table::DEFAULT_YEAR / 12.0;

/// Dollars with the count's scale suffixes: `$147.2`, `$12.3K`, `-$4.1M`.
pub fn money(x: f64, digits: usize) -> String {
    let body = count(x.abs(), digits);
    if x < 0.0 && body != "0" { format!("-${body}") } else { format!("${body}") }
}

/// A value in its style with `digits` significant figures.
pub fn human(v: Value, style: Style, digits: usize) -> String {
    let x = v.si;
    match style {
        Style::Count => count(x, digits),
        Style::Rate => format!("{} rps", count(x, digits)),
        Style::Data => scaled(x, digits, DATA_UNITS, " "),
        Style::DataRate => scaled(x * 8.0, digits, BIT_RATE_UNITS, " "),
        Style::Duration => duration(x, digits),
        Style::Percent => percent(x, digits),
        Style::Multiplier => format!("{}x", sig(x, digits)),
        Style::Seconds => format!("{} s", count(x, digits)),
        Style::Money => money(x, digits),
        Style::MoneyRate => format!("{}/month", money(x * MONTH_SECONDS, digits)),
        Style::MoneyPerData => format!("{} per GB", money(x * 1e9, digits)),
        Style::MoneyPerDataTime => format!("{} per GB per month", money(x * 1e9 * MONTH_SECONDS, digits)),
    }
}

/// Below this a probability or share is shown as a bound (`< 10⁻⁹`), and within it of 1 as
/// `> 99.9999999%`: nothing a capacity plan decides turns on the tenth nine.
pub const PROBABILITY_FLOOR: f64 = 1e-9;

/// A ratio as a percentage under the display policy: `digits` significant figures, except
/// within 10^−digits of 1, where the distance to 1 keeps two significant figures so every
/// nine shows and nothing rounds up to 100% (`99.999908%`); within [`PROBABILITY_FLOOR`] of 0
/// or 1 the value is a bound (`< 10⁻⁹`, `> 99.9999999%`).
pub fn percent(x: f64, digits: usize) -> String {
    if !x.is_finite() || x <= 0.0 || x >= 1.0 {
        return format!("{}%", sig(x * 100.0, digits));
    }
    // A hair under the floor still counts as at it (1 − 10⁻⁹ is not exact in binary).
    let floor = PROBABILITY_FLOOR * (1.0 - 1e-6);
    if x < floor {
        return "< 10⁻⁹".into();
    }
    let gap = 1.0 - x;
    if gap < floor {
        return "> 99.9999999%".into();
    }
    if gap < 10f64.powi(-(digits as i32)) {
        let gap = round_sig(gap * 100.0, 2.min(digits));
        let decimals = (1 - gap.log10().floor() as i32).clamp(0, 15) as usize;
        let s = format!("{:.decimals$}", 100.0 - gap);
        return format!("{}%", s.trim_end_matches('0').trim_end_matches('.'));
    }
    format!("{}%", sig(x * 100.0, digits))
}

/// A duration under the display policy: below a microsecond (queueing waits of a lightly
/// loaded tier) it is `< 1 µs`, which is what a latency budget can tell apart; zero is `0 s`.
fn duration(x: f64, digits: usize) -> String {
    if x == 0.0 {
        "0 s".into()
    } else if x > 0.0 && x < 1e-6 && round_sig(x, digits) < 1e-6 {
        "< 1 µs".into()
    } else {
        scaled(x, digits, TIME_UNITS, " ")
    }
}

/// Bytes per second, for showing beside bits per second: `20 GB/s`.
pub fn byte_rate(bytes_per_second: f64, digits: usize) -> String {
    scaled(bytes_per_second, digits, BYTE_RATE_UNITS, " ")
}

/// A whole count such as a node count: exact with separators below 10,000 (`1,234`), else
/// with a scale suffix and four significant figures (`12.35K`) under the display policy.
pub fn whole(x: f64) -> String {
    if x.is_finite() && x.abs() < 10_000.0 { grouped(x.round()) } else { count(x, NORMAL_DIGITS) }
}

/// A number with thousands separators and two decimals at most: `25,462.96`.
pub fn grouped(x: f64) -> String {
    if !x.is_finite() {
        return sig(x, 4);
    }
    let s = format!("{:.2}", x.abs());
    let (int, frac) = s.split_once('.').unwrap_or((&s, "00"));
    let mut out = String::new();
    for (k, c) in int.chars().enumerate() {
        if k > 0 && (int.len() - k) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    let frac = frac.trim_end_matches('0');
    let sign = if x < 0.0 && (int != "0" || !frac.is_empty()) { "-" } else { "" };
    if frac.is_empty() { format!("{sign}{out}") } else { format!("{sign}{out}.{frac}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_readable_scales() {
        assert_eq!(human(Value::new(1157.407, Dim::RATE), Style::Rate, 4), "1.157K rps");
        assert_eq!(human(Value::new(547.5e12, Dim::DATA), Style::Data, 4), "547.5 TB");
        assert_eq!(human(Value::new(20e9, Dim::DATA_RATE), Style::DataRate, 4), "160 Gbps");
        assert_eq!(human(Value::new(3153.6, Dim::TIME), Style::Duration, 4), "52.56 min");
        assert_eq!(human(Value::number(0.9999), Style::Percent, 4), "99.99%");
        assert_eq!(human(Value::number(0.999_994), Style::Percent, 4), "99.9994%");
        assert_eq!(human(Value::number(0.636_574), Style::Percent, 4), "63.66%");
        assert_eq!(human(Value::number(1.0 - 4.6e-8), Style::Percent, 4), "99.9999954%");
        assert_eq!(human(Value::number(1.0 - 9.19e-7), Style::Percent, 4), "99.999908%");
        assert_eq!(human(Value::number(0.999_982_5), Style::Percent, 4), "99.9982%");
        assert_eq!(human(Value::number(0.999_667), Style::Percent, 4), "99.97%");
        assert_eq!(human(Value::number(1.0 - 1e-9), Style::Percent, 4), "99.9999999%");
        assert_eq!(human(Value::number(1.0 - 1.25e-10), Style::Percent, 4), "> 99.9999999%");
        assert_eq!(human(Value::number(3.83e-15), Style::Percent, 4), "< 10⁻⁹");
        assert_eq!(human(Value::number(2.537e-7), Style::Percent, 4), "0.00002537%");
        assert_eq!(human(Value::new(1.975e-7, Dim::TIME), Style::Duration, 4), "< 1 µs");
        assert_eq!(human(Value::new(0.0, Dim::TIME), Style::Duration, 4), "0 s");
        assert_eq!(human(Value::new(1e-6, Dim::TIME), Style::Duration, 4), "1 µs");
        assert_eq!(human(Value::number(25e9), Style::Count, 4), "25B");
        assert_eq!(human(Value::number(999.96), Style::Count, 4), "1K");
    }

    #[test]
    fn money_reads_as_dollars_with_scale_suffixes() {
        assert_eq!(human(Value::new(147.168, Dim::MONEY), Style::Money, 4), "$147.2");
        assert_eq!(human(Value::new(12_300.0, Dim::MONEY), Style::Money, 4), "$12.3K");
        assert_eq!(human(Value::new(-4.1e6, Dim::MONEY), Style::Money, 4), "-$4.1M");
        // $0.192 per hour is $140.16 per 730-hour month (shared/reference/prices.md)
        assert_eq!(human(Value::new(0.192 / 3600.0, Dim::MONEY_RATE), Style::MoneyRate, 5), "$140.16/month");
        assert_eq!(human(Value::new(0.09e-9, Dim::MONEY_PER_DATA), Style::MoneyPerData, 4), "$0.09 per GB");
    }

    #[test]
    fn rounded_mode_keeps_two_significant_figures() {
        assert_eq!(human(Value::new(1157.407, Dim::RATE), Style::Rate, 2), "1.2K rps");
        assert_eq!(sig(0.000123456, 2), "0.00012");
    }

    #[test]
    fn grouped_numbers_have_separators() {
        assert_eq!(grouped(25_462.962_96), "25,462.96");
        assert_eq!(grouped(3_521_614_606_208.0), "3,521,614,606,208");
        assert_eq!(grouped(-0.5), "-0.5");
    }
}
