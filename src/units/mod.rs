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
/// US dollars (uom has no currency; a dollar amount is a plain number with its own type).
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default)]
pub struct Money(pub f64);
/// US dollars per second: a price per node.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default)]
pub struct MoneyRate(pub f64);
/// US dollars per byte: a transfer price.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default)]
pub struct MoneyPerData(pub f64);
/// US dollars per byte per second: a storage price.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default)]
pub struct MoneyPerDataTime(pub f64);
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

macro_rules! money {
    ($t:ident, $dim:expr) => {
        impl Quantity for $t {
            const DIM: Dim = $dim;
            fn si(self) -> f64 {
                self.0
            }
            fn from_si(v: f64) -> Self {
                $t(v)
            }
        }
    };
}

money!(Money, Dim::MONEY);
money!(MoneyRate, Dim::MONEY_RATE);
money!(MoneyPerData, Dim::MONEY_PER_DATA);
money!(MoneyPerDataTime, Dim::MONEY_PER_DATA_TIME);

/// Bytes per second from a call rate and bytes per call (the one place a rate times a size
/// becomes a data rate; uom cannot tell 1/s from B/s in a product, so it is named here).
pub fn data_rate(rate: Rate, per_call: Data) -> DataRate {
    DataRate::from_si(rate.si() * per_call.si())
}

/// A dimension as exponents of data (bytes), time (seconds) and money (US dollars). Counts
/// are dimensionless.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Dim {
    /// Exponent of data.
    pub data: i8,
    /// Exponent of time.
    pub time: i8,
    /// Exponent of money.
    pub money: i8,
}

impl Dim {
    /// A pure number.
    pub const NONE: Dim = Dim { data: 0, time: 0, money: 0 };
    /// Bytes.
    pub const DATA: Dim = Dim { data: 1, time: 0, money: 0 };
    /// Seconds.
    pub const TIME: Dim = Dim { data: 0, time: 1, money: 0 };
    /// Per second.
    pub const RATE: Dim = Dim { data: 0, time: -1, money: 0 };
    /// Bytes per second.
    pub const DATA_RATE: Dim = Dim { data: 1, time: -1, money: 0 };
    /// US dollars.
    pub const MONEY: Dim = Dim { data: 0, time: 0, money: 1 };
    /// Dollars per second (a price per node, per period).
    pub const MONEY_RATE: Dim = Dim { data: 0, time: -1, money: 1 };
    /// Dollars per byte (a transfer price).
    pub const MONEY_PER_DATA: Dim = Dim { data: -1, time: 0, money: 1 };
    /// Dollars per byte per second (a storage price).
    pub const MONEY_PER_DATA_TIME: Dim = Dim { data: -1, time: -1, money: 1 };

    /// The dimension of a product.
    pub fn times(self, o: Dim) -> Dim {
        Dim {
            data: self.data.saturating_add(o.data),
            time: self.time.saturating_add(o.time),
            money: self.money.saturating_add(o.money),
        }
    }

    /// The dimension of a quotient.
    pub fn per(self, o: Dim) -> Dim {
        Dim {
            data: self.data.saturating_sub(o.data),
            time: self.time.saturating_sub(o.time),
            money: self.money.saturating_sub(o.money),
        }
    }

    /// "a data size", "a duration", … for error messages.
    pub fn describe(self) -> String {
        match (self.data, self.time, self.money) {
            (0, 0, 0) => "a number".into(),
            (1, 0, 0) => "a data size".into(),
            (0, 1, 0) => "a duration".into(),
            (0, -1, 0) => "a rate".into(),
            (1, -1, 0) => "a data rate".into(),
            (0, 0, 1) => "money".into(),
            (0, -1, 1) => "money per time".into(),
            (-1, 0, 1) => "money per data size".into(),
            (-1, -1, 1) => "money per data size per time".into(),
            (0, 1, 1) => "money times time".into(),
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
            [part("USD", self.money.max(0)), part("B", self.data.max(0)), part("s", self.time.max(0))]
                .into_iter()
                .flatten()
                .collect();
        let den: Vec<String> =
            [part("USD", -self.money.min(0)), part("B", -self.data.min(0)), part("s", -self.time.min(0))]
                .into_iter()
                .flatten()
                .collect();
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
