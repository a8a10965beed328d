//! AST → [`Design`]: lowering, one file per job — the lowering's state and its way of
//! reading a value (`lowerer`), the name space (`names`), the top level and the design's
//! assembly (`top`), requests, tiers, the SLO, the workload and cost (`blocks`), where stored
//! bytes live and how a rate was stated (`stores`), records (`records`), uncertain inputs and
//! their correlations (`correlate`) and scenarios (`scenario`). Collects all errors.
//!
//! Architecture Invariant: every diagnostic about a design's meaning is produced here or in
//! the evaluator it calls; the model receives only a valid design.

mod blocks;
mod correlate;
mod lowerer;
mod names;
mod records;
mod scenario;
mod stores;
mod top;

pub use lowerer::Restated;
pub use names::percentile;

use crate::design::Design;
use crate::design::profile::ProjectConfig;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::source::SourceFile;
use crate::syntax::ast;
use lowerer::Lowerer;
use std::collections::BTreeMap;

/// Lowers a parsed file into a validated design, or returns every error found.
pub fn lower(file: &ast::File, source: &SourceFile, config: &ProjectConfig) -> Result<Design, Diagnostics> {
    lower_restated(file, source, config, &Restated::default())
}

/// Lowers a parsed file with some inputs restated for the whole run (a sweep's value), its
/// scenarios included: each scenario reads the restated base and restates its own inputs on
/// top.
pub fn lower_restated(
    file: &ast::File,
    source: &SourceFile,
    config: &ProjectConfig,
    base: &Restated,
) -> Result<Design, Diagnostics> {
    let mut design = lower_with(file, source, config, base)?;
    design.scenarios = scenario::scenarios(file, source, config, &design, base)?;
    // each scenario is the file lowered again with its own inputs restated on the base's
    for s in &mut design.scenarios {
        let own: BTreeMap<_, _> = s.overrides.iter().map(|(k, v, span)| (k.clone(), (*v, *span))).collect();
        let mut values = base.values.clone();
        values.extend(own.clone());
        let map = Restated { values, shapes: base.shapes.clone(), interview_day: base.interview_day };
        let mut lowered = lower_with(file, source, config, &map)?;
        lowered.assumptions.retain(|a| !own.contains_key(&a.name));
        s.design = Some(Box::new(lowered));
    }
    Ok(design)
}

/// Lowers a parsed file with some inputs replaced by given values: a scenario of the design.
pub fn lower_with(
    file: &ast::File,
    source: &SourceFile,
    config: &ProjectConfig,
    overrides: &Restated,
) -> Result<Design, Diagnostics> {
    let record_sums = records::record_sums(file);
    let mut cx = Lowerer::new(source, config, overrides, &record_sums);
    let blocks = cx.collect(file);
    let design = cx.build(file, &blocks);
    if cx.errors.is_empty() {
        Ok(design)
    } else {
        // An ambiguous `m` is retold for the field it is written in (a count, a duration, a size).
        let mut errors = std::mem::take(&mut cx.errors);
        for e in errors.iter_mut().filter(|e| e.code == Code::AmbiguousSuffix) {
            if let Some(want) = cx.field_dim_at(e.primary_span()) {
                *e = crate::design::quantity::ambiguous_m_for_field(e.clone(), want);
            }
        }
        cx.errors = errors;
        cx.errors.sort_by_key(|d| d.primary_span());
        cx.errors.dedup();
        Err(Diagnostics(cap(cx.errors)))
    }
}

/// The most errors one lowering reports; the rest are counted in a last, located error.
pub(crate) const MAX_ERRORS: usize = 50;

/// The first [`MAX_ERRORS`] errors in source order, then one that counts the rest and points
/// at the first of them: a broken chain of thousands of names would otherwise print
/// thousands of screens (and take seconds to render).
fn cap(mut errors: Vec<Diagnostic>) -> Vec<Diagnostic> {
    if errors.len() <= MAX_ERRORS {
        return errors;
    }
    let rest = errors.split_off(MAX_ERRORS);
    let span = rest.first().map_or(crate::source::Span::default(), Diagnostic::primary_span);
    errors.push(
        Diagnostic::error(
            Code::TooManyErrors,
            format!("{} more errors from here on are not shown (the first {MAX_ERRORS} are above)", rest.len()),
            span,
            "the next error",
        )
        .with_help("fix the errors above and run again; later ones often follow from them"),
    );
    errors
}
