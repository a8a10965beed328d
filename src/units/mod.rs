//! The quantity vocabulary: runtime dimensions for the language ([`Dim`], [`Value`]) and
//! the compile-time uom quantities the model computes with ([`Rate`], [`Data`], …).
//!
//! Architecture Invariant: this is the only module that names `uom`; dimensions checked at
//! run time stop at `design`, and the model works on the typed aliases below.

pub mod format;
pub mod table;

use serde::Serialize;
use uom::si::f64 as q;
use uom::si::{frequency::hertz, information::byte, information_rate::byte_per_second, ratio::ratio, time::second};

/// Requests (or any count) per second.
pub type Rate = q::Frequency;
/// Bytes.
pub type Data = q::Information;
/// Bytes per second.
pub type DataRate = q::InformationRate;
/// Seconds.
pub type Duration = q::Time;
/// A pure number: counts, ratios, multipliers.
pub type Ratio = q::Ratio;

/// A typed quantity that converts to and from its SI base value (bytes, seconds, 1/s).
pub trait Quantity: Copy {
    /// The runtime dimension of this type.
    const DIM: Dim;
    /// The value in base units.
    fn si(self) -> f64;
    /// From a value in base units.
    fn from_si(v: f64) -> Self;
}

macro_rules! quantity {
    ($t:ty, $unit:ty, $dim:expr) => {
        impl Quantity for $t {
            const DIM: Dim = $dim;
            fn si(self) -> f64 {
                self.get::<$unit>()
            }
            fn from_si(v: f64) -> Self {
                <$t>::new::<$unit>(v)
            }
        }
    };
}

quantity!(Rate, hertz, Dim::RATE);
quantity!(Data, byte, Dim::DATA);
quantity!(DataRate, byte_per_second, Dim::DATA_RATE);
quantity!(Duration, second, Dim::TIME);
quantity!(Ratio, ratio, Dim::NONE);

/// Bytes per second from a call rate and bytes per call (the one place a rate times a size
/// becomes a data rate; uom cannot tell 1/s from B/s in a product, so it is named here).
pub fn data_rate(rate: Rate, per_call: Data) -> DataRate {
    DataRate::from_si(rate.si() * per_call.si())
}

/// A dimension as exponents of data (bytes) and time (seconds). Counts are dimensionless.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Dim {
    /// Exponent of data.
    pub data: i8,
    /// Exponent of time.
    pub time: i8,
}

impl Dim {
    /// A pure number.
    pub const NONE: Dim = Dim { data: 0, time: 0 };
    /// Bytes.
    pub const DATA: Dim = Dim { data: 1, time: 0 };
    /// Seconds.
    pub const TIME: Dim = Dim { data: 0, time: 1 };
    /// Per second.
    pub const RATE: Dim = Dim { data: 0, time: -1 };
    /// Bytes per second.
    pub const DATA_RATE: Dim = Dim { data: 1, time: -1 };

    /// The dimension of a product.
    pub fn times(self, o: Dim) -> Dim {
        Dim { data: self.data.saturating_add(o.data), time: self.time.saturating_add(o.time) }
    }

    /// The dimension of a quotient.
    pub fn per(self, o: Dim) -> Dim {
        Dim { data: self.data.saturating_sub(o.data), time: self.time.saturating_sub(o.time) }
    }

    /// "a data size", "a duration", … for error messages.
    pub fn describe(self) -> String {
        match (self.data, self.time) {
            (0, 0) => "a number".into(),
            (1, 0) => "a data size".into(),
            (0, 1) => "a duration".into(),
            (0, -1) => "a rate".into(),
            (1, -1) => "a data rate".into(),
            _ => format!("a quantity of dimension {}", self.symbol()),
        }
    }

    /// The base-unit symbol: `1`, `B`, `s`, `1/s`, `B/s`, `B^2`, ….
    pub fn symbol(self) -> String {
        let part = |name: &str, e: i8| match e {
            0 => None,
            1 => Some(name.to_string()),
            e => Some(format!("{name}^{e}")),
        };
        let num: Vec<String> =
            [part("B", self.data.max(0)), part("s", self.time.max(0))].into_iter().flatten().collect();
        let den: Vec<String> =
            [part("B", -self.data.min(0)), part("s", -self.time.min(0))].into_iter().flatten().collect();
        let num = if num.is_empty() { "1".to_string() } else { num.join("·") };
        if den.is_empty() { num } else { format!("{num}/{}", den.join("·")) }
    }
}

/// A number with a dimension, in base units (bytes, seconds).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Value {
    /// The magnitude in base units.
    pub si: f64,
    /// Its dimension.
    pub dim: Dim,
}

impl Value {
    /// A value in base units.
    pub fn new(si: f64, dim: Dim) -> Self {
        Value { si, dim }
    }

    /// A pure number.
    pub fn number(v: f64) -> Self {
        Value { si: v, dim: Dim::NONE }
    }

    /// Converts to a typed quantity when the dimension matches.
    pub fn to<T: Quantity>(self) -> Option<T> {
        (self.dim == T::DIM).then(|| T::from_si(self.si))
    }

    /// From a typed quantity.
    pub fn of<T: Quantity>(q: T) -> Self {
        Value { si: q.si(), dim: T::DIM }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_quantities_round_trip_through_base_units() {
        let r = Rate::from_si(1157.4);
        assert_eq!(Value::of(r), Value::new(1157.4, Dim::RATE));
        assert!(Value::new(1.0, Dim::DATA).to::<Rate>().is_none());
        let bw = data_rate(Rate::from_si(100_000.0), Data::from_si(200_000.0));
        assert_eq!(bw.si(), 2e10);
    }

    #[test]
    fn dimension_symbols_read_as_units() {
        assert_eq!(Dim::DATA_RATE.symbol(), "B/s");
        assert_eq!(Dim::RATE.symbol(), "1/s");
        assert_eq!(Dim::DATA.times(Dim::DATA).symbol(), "B^2");
    }
}
