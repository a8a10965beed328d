//! Quick calculators: the language's expressions as a calculator (`500M * 100 * 200 B -> TB`)
//! and the downtime table of an availability (`fermi nines 99.95%`).
//!
//! Architecture Invariant: the calculator uses the same parser, unit table and evaluator as
//! design files, so a number means the same thing everywhere.

use crate::analysis::Failure;
use crate::design::eval::eval;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::Percentiles;
use crate::source::{SourceFile, Span};
use crate::syntax::parse_calc;
use crate::uncertainty::expression::{ExpressionScope, sample};
use crate::units::format::{self, Style};
use crate::units::table::DAY;
use crate::units::{Dim, Value};

/// A calculator result.
#[derive(Debug, Clone, PartialEq)]
pub struct CalcResult {
    /// The value in base units.
    pub value: Value,
    /// For people: `36.5 TB`, or in the requested unit: `36500 GB`.
    pub shown: String,
    /// The exact base-unit value: `36,500,000,000,000 B`.
    pub exact: String,
    /// How an uncertain value was reduced to one number (a spread's median), if it was.
    pub note: Option<String>,
    /// An uncertain value's distribution over Monte Carlo samples.
    pub distribution: Option<Percentiles>,
}

/// Evaluates an expression, optionally `-> UNIT` to choose the unit shown.
pub fn calc(text: &str) -> Result<CalcResult, Box<Failure>> {
    let source = SourceFile::new("<expression>", text);
    let fail = |d: Diagnostics| Box::new(Failure { source: source.clone(), diagnostics: d });
    let (expr, target) = parse_calc(&source).map_err(fail)?;
    let mut scope = ExpressionScope::new();
    let evaluated = eval(&expr, &mut scope).map_err(|d| fail(d.into()))?;
    let v = evaluated.value;
    let show = |x: f64| format::human(Value::new(x, v.dim), Style::for_dim(v.dim), 4);
    let distribution = if evaluated.uncertain { sample(&expr, scope.into_leaves()) } else { None };
    let note = match evaluated.spread {
        Some(spread) => Some(spread.describe(show)),
        None => evaluated.uncertain.then(|| "computed from uncertain inputs at their medians".to_string()),
    }
    .map(|n| match &distribution {
        Some(x) => format!(
            "{n}; over {} Latin hypercube samples: p50 {} [p5 {} – p95 {}], mean {}",
            format::grouped(crate::uncertainty::DEFAULT_SAMPLES as f64),
            show(x.p50),
            show(x.p5),
            show(x.p95),
            show(x.mean)
        ),
        None => n,
    });
    let digits = if v.si != 0.0 && v.si.abs() < 1.0 { format::sig(v.si, 6) } else { format::grouped(v.si) };
    let exact = format!("{digits} {}", base_symbol(v.dim));
    let shown = match target {
        None => format::human(v, Style::for_dim(v.dim), 6),
        Some(t) => {
            let unit_text = source.slice(t.span).to_string();
            let unit_source = SourceFile::new("<unit>", format!("1 {unit_text}"));
            let unit = parse_calc(&unit_source)
                .ok()
                .and_then(|(e, _)| eval(&e, &mut ExpressionScope::new()).ok())
                .map(|e| e.value);
            match unit {
                Some(u) if u.dim == v.dim && u.si != 0.0 => {
                    format!("{} {unit_text}", format::sig(v.si / u.si, 6))
                }
                Some(u) => {
                    return Err(fail(
                        Diagnostic::error(
                            Code::DimensionMismatch,
                            format!("cannot show {} in `{unit_text}`, which is {}", v.dim.describe(), u.dim.describe()),
                            t.span,
                            u.dim.describe(),
                        )
                        .with_note(expr.span, v.dim.describe())
                        .into(),
                    ));
                }
                None => {
                    return Err(fail(
                        Diagnostic::error(
                            Code::UnknownUnit,
                            format!("`{unit_text}` is not a unit"),
                            t.span,
                            "not a unit",
                        )
                        .with_help("write a unit after `->`, e.g. `-> TB`, `-> Gbps`, `-> rps`")
                        .into(),
                    ));
                }
            }
        }
    };
    Ok(CalcResult { value: v, shown, exact, note, distribution })
}

fn base_symbol(dim: Dim) -> String {
    if dim == Dim::NONE { String::new() } else { dim.symbol() }
}

/// One row of a downtime table.
#[derive(Debug, Clone, PartialEq)]
pub struct DowntimeRow {
    /// "year", "quarter", "month", "week", "day".
    pub period: &'static str,
    /// The period's length.
    pub period_seconds: f64,
    /// Allowed downtime in that period.
    pub downtime: Value,
}

/// Calendars users meet in practice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CalendarKind {
    /// 365-day year, month = year ÷ 12 (the default).
    Days365,
    /// Gregorian mean year of 365.2425 days, month = year ÷ 12.
    Gregorian,
    /// 30-day months, 360-day year.
    Months30,
}

impl CalendarKind {
    /// (year, month) in seconds.
    pub fn lengths(self) -> (f64, f64) {
        match self {
            CalendarKind::Days365 => (365.0 * DAY, 365.0 * DAY / 12.0),
            CalendarKind::Gregorian => (365.2425 * DAY, 365.2425 * DAY / 12.0),
            CalendarKind::Months30 => (360.0 * DAY, 30.0 * DAY),
        }
    }

    /// Stated in every table.
    pub fn describe(self) -> &'static str {
        match self {
            CalendarKind::Days365 => "365-day year, month = year ÷ 12",
            CalendarKind::Gregorian => "365.2425-day year, month = year ÷ 12",
            CalendarKind::Months30 => "30-day months, 360-day year",
        }
    }
}

/// Parses an availability (`99.95%`, `4 nines`, `0.999`) and returns its downtime table.
pub fn nines(text: &str, calendar: CalendarKind) -> Result<(f64, Vec<DowntimeRow>), Box<Failure>> {
    let r = calc(text)?;
    let source = SourceFile::new("<availability>", text);
    if r.value.dim != Dim::NONE || !(0.0..=1.0).contains(&r.value.si) {
        return Err(Box::new(Failure {
            diagnostics: Diagnostic::error(
                Code::OutOfRange,
                "an availability is a fraction from 0% to 100%",
                Span::new(0, text.len()),
                "not an availability",
            )
            .with_help("write `99.95%`, `4 nines` or `0.9995`")
            .into(),
            source,
        }));
    }
    let a = r.value.si;
    let (year, month) = calendar.lengths();
    let rows = [("year", year), ("quarter", year / 4.0), ("month", month), ("week", 7.0 * DAY), ("day", DAY)]
        .into_iter()
        .map(|(period, s)| DowntimeRow {
            period,
            period_seconds: s,
            downtime: Value::new(crate::math::availability::downtime(a, s), Dim::TIME),
        })
        .collect();
    Ok((a, rows))
}
