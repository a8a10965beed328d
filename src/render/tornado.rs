//! The tornado chart of a Monte Carlo run (plotters, SVG): for each headline result, a bar per
//! uncertain input of its Spearman rank correlation with the result, strongest first, from −1
//! to 1, so the inputs that drive a number stand out at a glance.
//!
//! Architecture Invariant: draws the correlations `uncertainty` computed; computes nothing
//! beyond the layout.

use super::style::{GREY, PALETTE};
use crate::uncertainty::Sensitivity;
use crate::units::format;
use plotters::coord::ranged1d::{IntoSegmentedCoord, SegmentValue};
use plotters::prelude::*;

/// Inputs shown per result: the strongest ones whose share of the variance is at least 1%.
const PER_RESULT: usize = 4;

/// The chart, or `None` when there is nothing to draw.
pub fn plot(design_name: &str, sensitivity: &[Sensitivity]) -> Option<String> {
    // (result index, result, input, ρ), top to bottom.
    let rows: Vec<(usize, &str, &str, f64)> = sensitivity
        .iter()
        .enumerate()
        .flat_map(|(g, s)| s.notable().take(PER_RESULT).map(move |d| (g, s.output.as_str(), d.input.as_str(), d.rho)))
        .collect();
    if rows.is_empty() {
        return None;
    }
    let n = rows.len();
    let height = 90 + 24 * n as u32;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (900, height)).into_drawing_area();
        root.fill(&WHITE).ok()?;
        let mut chart = ChartBuilder::on(&root)
            .caption(format!("{design_name}: what drives each result"), ("sans-serif", 18))
            .margin(12)
            .margin_right(24)
            .x_label_area_size(36)
            .y_label_area_size(420)
            .build_cartesian_2d(-1.0f64..1.0f64, (0..n - 1).into_segmented())
            .ok()?;
        // Row k (from the top) sits at segment n − 1 − k.
        let at = |k: usize| n - 1 - k;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .x_labels(11)
            .light_line_style(WHITE)
            .x_desc("Spearman rank correlation with the result (ρ² ÷ Σρ² is the input's share)")
            .x_label_formatter(&|x| format::sig(*x, 2))
            .y_labels(n)
            .y_label_formatter(&|v| match v {
                SegmentValue::CenterOf(k) | SegmentValue::Exact(k) if *k < n => {
                    let (_, result, input, _) = rows[n - 1 - k];
                    format!("{result} ← {input}")
                }
                _ => String::new(),
            })
            .draw()
            .ok()?;
        // Each result's bars share a colour; the labels name result and input.
        for (k, &(g, _, _, rho)) in rows.iter().enumerate() {
            let color = PALETTE[g % PALETTE.len()];
            let mut bar = Rectangle::new(
                [(0.0, SegmentValue::Exact(at(k))), (rho, SegmentValue::Exact(at(k) + 1))],
                color.mix(0.75).filled(),
            );
            bar.set_margin(3, 3, 0, 0);
            chart.draw_series(std::iter::once(bar)).ok()?;
        }
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(0.0, SegmentValue::Exact(0)), (0.0, SegmentValue::Last)],
                GREY.stroke_width(1),
            )))
            .ok()?;
        root.present().ok()?;
    }
    Some(svg)
}
