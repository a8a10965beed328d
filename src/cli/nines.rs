//! `fermi nines AVAILABILITY`: the downtime an availability allows per period.
//!
//! Architecture Invariant: the numbers come from `fermi::calc::nines`, the table from
//! `fermi::render::calc`; this only parses arguments and prints.

use super::Outcome;
use super::report::{failure, out};
use clap::ValueEnum;
use fermi::calc::{self, CalendarKind};

#[derive(Debug, clap::Args)]
pub(super) struct NinesArgs {
    /// An availability: `99.95%`, `4 nines`, `0.999`.
    availability: String,
    /// Calendar for year and month lengths.
    #[arg(long, value_enum, default_value = "365")]
    calendar: Calendar,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Calendar {
    /// 365-day year, month = year ÷ 12.
    #[value(name = "365")]
    Days365,
    /// 365.2425-day (Gregorian mean) year, month = year ÷ 12.
    Gregorian,
    /// 30-day months, 360-day year.
    #[value(name = "30-day-months")]
    Months30,
}

pub(super) fn execute(args: &NinesArgs) -> anyhow::Result<Outcome> {
    let calendar = match args.calendar {
        Calendar::Days365 => CalendarKind::Days365,
        Calendar::Gregorian => CalendarKind::Gregorian,
        Calendar::Months30 => CalendarKind::Months30,
    };
    let (a, rows) = calc::nines(&args.availability, calendar).map_err(|f| failure(&f))?;
    let nines = fermi::math::availability::nines(a);
    out(&fermi::render::calc::nines(a, nines, calendar, &rows))?;
    Ok(Outcome::Success)
}
