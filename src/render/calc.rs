//! The views of `fermi calc` and `fermi nines`: an expression's value as shown (with its
//! exact form and any note), and an availability's allowed downtime per period as a table.
//!
//! Architecture Invariant: the values come from `calc::calc` and `calc::nines`; this only
//! lays them out.

use crate::calc::{CalcResult, CalendarKind, DowntimeRow};
use crate::units::Value;
use crate::units::format::{self, Style};

/// `36.5 TB  (36500000000000 B)` and a note line when the calculator adds one.
pub fn result(r: &CalcResult) -> String {
    let exact = if r.exact.trim() != r.shown.trim() { format!("  ({})", r.exact.trim()) } else { String::new() };
    let note = r.note.as_ref().map_or(String::new(), |n| format!("  ({n})\n"));
    format!("{}{exact}\n{note}", r.shown)
}

/// The availability with its count of nines and calendar, then one row per period.
pub fn nines(availability: f64, nines: f64, calendar: CalendarKind, rows: &[DowntimeRow]) -> String {
    let mut table = super::table::headed(vec!["period", "allowed downtime", "seconds"]);
    for r in rows {
        table.add_row(vec![
            r.period.to_string(),
            format::human(r.downtime, Style::Duration, 4),
            format::grouped(r.downtime.si),
        ]);
    }
    format!(
        "availability {} ({} nines); calendar: {}\n{table}\n",
        format::human(Value::number(availability), Style::Percent, 6),
        format::sig(nines, 4),
        calendar.describe()
    )
}
