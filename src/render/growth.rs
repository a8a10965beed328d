//! The growth timeline as a plot (plotters, SVG): nodes per tier a year at a time from now to
//! the horizon, one line per tier, so the tier that climbs fastest stands out.
//!
//! Architecture Invariant: draws the timeline's own plan values; computes nothing beyond the
//! axis range.

use super::style::{PALETTE, SIZE, legend};
use crate::analysis::Analysis;
use crate::key::{self, Metric};
use plotters::prelude::*;

/// Nodes per tier over the years to the horizon, when the design grows.
pub fn nodes_over_time(a: &Analysis) -> Option<String> {
    let tl = a.timeline.as_ref()?;
    let last = f64::from(tl.years.last()?.year);
    let series: Vec<(String, Vec<(f64, f64)>)> = a
        .design
        .tiers
        .iter()
        .map(|t| {
            let name = key::of(&t.name, Metric::Nodes);
            let points = tl
                .years
                .iter()
                .map(|y| (f64::from(y.year), y.plan.value(&name)))
                .filter(|(_, n)| n.is_finite())
                .collect();
            (t.name.clone(), points)
        })
        .collect();
    let y_max = series.iter().flat_map(|(_, p)| p.iter().map(|q| q.1)).fold(1.0, f64::max) * 1.1;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        root.fill(&WHITE).ok()?;
        let mut chart = ChartBuilder::on(&root)
            .caption(
                format!("{}: nodes per tier from now to year {}", a.design.name, tl.years.last()?.year),
                ("sans-serif", 18),
            )
            .margin(12)
            .x_label_area_size(36)
            .y_label_area_size(60)
            .build_cartesian_2d(0.0..last.max(1.0), 0.0..y_max)
            .ok()?;
        chart
            .configure_mesh()
            .x_desc("years from now")
            .y_desc("nodes")
            .x_labels(tl.years.len().min(12))
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_label_formatter(&|y| crate::units::format::count(*y, 3))
            .light_line_style(WHITE)
            .draw()
            .ok()?;
        for (k, (name, points)) in series.iter().enumerate() {
            let color = PALETTE[k % PALETTE.len()];
            chart
                .draw_series(LineSeries::new(points.iter().copied(), color.stroke_width(2)))
                .ok()?
                .label(name.clone())
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], color.stroke_width(2)));
        }
        legend(&mut chart, SeriesLabelPosition::UpperLeft)?;
        root.present().ok()?;
    }
    Some(svg)
}
