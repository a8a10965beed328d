//! Data series for plots: stored bytes over the planning horizon, downtime against
//! availability. Render only draws these; the numbers are made here.
//!
//! Architecture Invariant: each series uses the same formulas as the plan entries it
//! illustrates (storage uses `storage::weighted_years`), so a plot cannot disagree with a table.

use super::plan::Plan;
use super::storage::weighted_years;
use crate::design::Design;
use crate::math::availability::downtime;
use crate::units::Quantity;

/// A named series of (x, y) points.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Legend text.
    pub name: String,
    /// Points in x order.
    pub points: Vec<(f64, f64)>,
}

/// Bytes stored (all copies, with overhead) at each point in time from 0 to the horizon,
/// x in years. Growth compounds; data older than the retention is deleted.
pub fn storage_growth(design: &Design, plan: &Plan) -> Series {
    let year = design.year.value.si();
    let retention = design.storage.retention.value.si() / year;
    let horizon = design.users.horizon.as_ref().map_or(retention, |h| h.value.si() / year);
    let growth = design.users.growth.value.si();
    let copies = design.storage.replication.value.si() * (1.0 + design.storage.overhead.value.si());
    let yearly = plan.value("storage.yearly");
    let steps = 48;
    let points = (0..=steps)
        .map(|k| {
            let t = horizon * k as f64 / steps as f64;
            (t, yearly * weighted_years(retention.min(t), t, growth) * copies)
        })
        .collect();
    Series { name: "stored bytes (all copies)".into(), points }
}

/// Downtime per calendar year against availability, for 90% … 99.9999%, x in nines.
pub fn downtime_by_nines(design: &Design) -> Series {
    let year = design.year.value.si();
    let points = (0..=50)
        .map(|k| {
            let nines = 1.0 + 5.0 * k as f64 / 50.0;
            (nines, downtime(1.0 - 10f64.powf(-nines), year))
        })
        .collect();
    Series { name: "downtime per year".into(), points }
}
