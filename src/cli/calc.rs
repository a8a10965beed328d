//! `fermi calc "EXPR"` and `fermi nines AVAILABILITY`.
//!
//! Architecture Invariant: the numbers come from `fermi::calc`; this lays them out.

use super::report::{failure, out};
use super::{CalcArgs, Calendar, NinesArgs, Outcome};
use fermi::calc::{self, CalendarKind};
use fermi::units::format::{self, Style};

pub(super) fn execute(args: &CalcArgs) -> anyhow::Result<Outcome> {
    let text = args.expression.join(" ");
    let r = calc::calc(&text).map_err(|f| failure(&f))?;
    let exact = if r.exact.trim() != r.shown.trim() { format!("  ({})", r.exact.trim()) } else { String::new() };
    let note = r.note.as_ref().map_or(String::new(), |n| format!("  ({n})\n"));
    out(&format!("{}{exact}\n{note}", r.shown))?;
    Ok(Outcome::Success)
}

pub(super) fn nines(args: &NinesArgs) -> anyhow::Result<Outcome> {
    let calendar = match args.calendar {
        Calendar::Days365 => CalendarKind::Days365,
        Calendar::Gregorian => CalendarKind::Gregorian,
        Calendar::Months30 => CalendarKind::Months30,
    };
    let (a, rows) = calc::nines(&args.availability, calendar).map_err(|f| failure(&f))?;
    let mut table = comfy_table::Table::new();
    fermi::render::table::fit(&mut table);
    table.load_style(comfy_table::presets::UTF8_FULL_CONDENSED).set_header(vec![
        "period",
        "allowed downtime",
        "seconds",
    ]);
    for r in &rows {
        table.add_row(vec![
            r.period.to_string(),
            format::human(r.downtime, Style::Duration, 4),
            format::grouped(r.downtime.si),
        ]);
    }
    let nines = fermi::math::availability::nines(a);
    out(&format!(
        "availability {} ({} nines); calendar: {}\n{table}\n",
        format::human(fermi::units::Value::number(a), Style::Percent, 6),
        format::sig(nines, 4),
        calendar.describe()
    ))?;
    Ok(Outcome::Success)
}
