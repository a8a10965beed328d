//! `fermi calc "EXPR"`: one expression of the fermi language, evaluated.
//!
//! Architecture Invariant: the number comes from `fermi::calc`, its layout from
//! `fermi::render::calc`; this only parses arguments and prints.

use super::Outcome;
use super::report::{failure, out};
use fermi::calc;

#[derive(Debug, clap::Args)]
pub(super) struct CalcArgs {
    /// The expression; `-> UNIT` at the end chooses the unit shown.
    expression: Vec<String>,
}

pub(super) fn execute(args: &CalcArgs) -> anyhow::Result<Outcome> {
    let text = args.expression.join(" ");
    let r = calc::calc(&text).map_err(|f| failure(&f))?;
    out(&fermi::render::calc::result(&r))?;
    Ok(Outcome::Success)
}
