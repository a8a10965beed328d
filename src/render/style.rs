//! The house style of every plot: size, colours, legend and axis-label formatting, so the
//! doc's plots, `fermi sim cache --plot` and `fermi sweep --plot` look alike.
//!
//! Architecture Invariant: style only — no plot is made here and no number is computed;
//! labels go through `units::format`, the display policy of every other number.

use crate::units::format::{self, Style};
use crate::units::{Dim, Value};
use plotters::prelude::*;

/// Every plot's size in pixels.
pub const SIZE: (u32, u32) = (720, 400);
/// The first series and bars.
pub const BLUE: RGBColor = RGBColor(30, 136, 229);
/// Targets and marked points.
pub const RED: RGBColor = RGBColor(229, 57, 53);
/// Legend borders, limits and the design's own operating point.
pub const GREY: RGBColor = RGBColor(97, 97, 97);
/// Faint grid lines (one per labelled tick, never one per pixel).
pub const GRID: RGBColor = RGBColor(224, 224, 224);

/// Line colours, in series order.
pub const PALETTE: [RGBColor; 6] = [
    RGBColor(30, 136, 229),
    RGBColor(67, 160, 71),
    RGBColor(251, 140, 0),
    RGBColor(142, 36, 170),
    RGBColor(0, 172, 193),
    RGBColor(216, 27, 96),
];

/// Draws the legend at `position` in the house style (grey border, white ground).
pub fn legend<'a, CT: plotters::coord::CoordTranslate>(
    chart: &mut ChartContext<'a, SVGBackend<'a>, CT>,
    position: SeriesLabelPosition,
) -> Option<()> {
    chart.configure_series_labels().position(position).border_style(GREY).background_style(WHITE).draw().ok()
}

/// An axis label: the value in its style with three significant figures.
pub fn label(v: f64, dim: Dim, style: Style) -> String {
    format::human(Value::new(v, dim), style, 3)
}

/// A log axis label: only at 1, 2 and 5 times a power of ten, so no two ticks read alike
/// (`100 ms` twice) and the labels stay sparse.
pub fn log_label(v: f64, dim: Dim, style: Style) -> String {
    if v.is_nan() || v <= 0.0 {
        return String::new();
    }
    let mantissa = v / 10f64.powf(v.log10().floor());
    if [1.0, 2.0, 5.0, 10.0].iter().any(|m| (mantissa - m).abs() < 0.02 * m) {
        label(v, dim, style)
    } else {
        String::new()
    }
}
