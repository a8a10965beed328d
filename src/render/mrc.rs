//! Miss-ratio curve plots (plotters, SVG): miss ratio against cache size on a log axis, one
//! line per policy or model, and an optional marked operating point. Used by the design doc's
//! cache plan (x = fraction of the keys) and by `fermi sim cache --plot` (x = objects).
//!
//! Architecture Invariant: draws the series it is handed; computes nothing beyond axis ranges.

use super::style::{PALETTE, RED, SIZE, legend};
use crate::model::curves::{CacheCurve, Series};
use crate::units::format::{self, Style};
use crate::units::{Dim, Value};
use plotters::coord::combinators::IntoLogRange;
use plotters::prelude::*;

/// What the x axis counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Axis {
    /// Cache size as a fraction of the distinct keys.
    FractionOfKeys,
    /// Cache size in objects.
    Objects,
    /// Cache size in bytes.
    Bytes,
}

/// The doc's plot of one cache tier's curves.
pub fn tier_svg(design_name: &str, curve: &CacheCurve) -> Option<String> {
    let point = curve.chosen.as_ref().map(|(policy, x, y)| {
        (
            format!(
                "{} ({policy}): miss ratio {}",
                curve.tier,
                format::human(Value::new(*y, Dim::NONE), Style::Percent, 3)
            ),
            *x,
            *y,
        )
    });
    plot(&format!("{design_name}: miss-ratio curve of {}", curve.tier), Axis::FractionOfKeys, &curve.series, point)
}

/// Miss ratio against cache size for each series (x > 0), with an optional labelled point.
pub fn plot(title: &str, axis: Axis, series: &[Series], point: Option<(String, f64, f64)>) -> Option<String> {
    let xs = series.iter().flat_map(|s| s.points.iter().map(|p| p.0)).chain(point.as_ref().map(|p| p.1));
    let (x_min, x_max) = xs.filter(|x| *x > 0.0).fold((f64::INFINITY, 0.0f64), |(lo, hi), x| (lo.min(x), hi.max(x)));
    if !x_min.is_finite() || x_max <= 0.0 {
        return None;
    }
    let (x_min, x_max) = (x_min / 1.5, x_max * 1.5);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        root.fill(&WHITE).ok()?;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 18))
            .margin(12)
            .margin_right(24)
            .x_label_area_size(36)
            .y_label_area_size(64)
            .build_cartesian_2d((x_min..x_max).log_scale(), 0.0f64..1.0)
            .ok()?;
        let x_desc = match axis {
            Axis::FractionOfKeys => "cache size, share of the keys (log)",
            Axis::Objects => "cache size, objects (log)",
            Axis::Bytes => "cache size, bytes (log)",
        };
        chart
            .configure_mesh()
            .x_desc(x_desc)
            .y_desc("miss ratio")
            .x_label_formatter(&|x| match axis {
                Axis::FractionOfKeys => format::human(Value::new(*x, Dim::NONE), Style::Percent, 2),
                Axis::Objects => format::human(Value::new(*x, Dim::NONE), Style::Count, 3),
                Axis::Bytes => format::human(Value::new(*x, Dim::DATA), Style::Data, 3),
            })
            .y_label_formatter(&|y| format::human(Value::new(*y, Dim::NONE), Style::Percent, 3))
            .draw()
            .ok()?;
        for (k, s) in series.iter().enumerate() {
            let color = PALETTE[k % PALETTE.len()];
            let points: Vec<(f64, f64)> = s.points.iter().copied().filter(|p| p.0 > 0.0).collect();
            chart
                .draw_series(LineSeries::new(points.iter().copied(), color.stroke_width(2)))
                .ok()?
                .label(s.name.clone())
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], color.stroke_width(2)));
            chart.draw_series(points.iter().map(|p| Circle::new(*p, 3, color.filled()))).ok()?;
        }
        if let Some((label, x, y)) = point.filter(|p| p.1 > 0.0) {
            chart
                .draw_series(std::iter::once(Circle::new((x, y), 6, RED.filled())))
                .ok()?
                .label(label)
                .legend(|(x, y)| Circle::new((x + 8, y), 4, RED.filled()));
        }
        legend(&mut chart, SeriesLabelPosition::UpperRight)?;
        root.present().ok()?;
    }
    Some(svg)
}
