//! `fermi build DIR [-o OUT] [--check]`: the docs of every design in a folder and their
//! index, written to OUT (or the nearest fermi.toml's `output`); with `--check`, nothing is
//! written and each stale or missing doc is named with what changed in it.
//!
//! Architecture Invariant: building is `fermi::files::batch`'s and staleness
//! `fermi::analysis::whatif::stale`'s; this picks the output folder and templates, writes,
//! and reports.

use super::Outcome;
use super::flags::SamplingArgs;
use super::report::{Rendered, out};
use fermi::files::batch;
use fermi::files::project;
use fermi::units::format::NORMAL_DIGITS;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub(super) struct BuildArgs {
    /// The folder of designs (searched recursively for *.fermi).
    dir: PathBuf,
    /// The output folder (default: `output` in the nearest fermi.toml's [project]).
    #[arg(short, long, value_name = "OUT")]
    output: Option<PathBuf>,
    /// Write nothing; exit 1 if a doc is stale or missing or an assert fails.
    #[arg(long)]
    check: bool,
    /// A folder of templates overriding the built-in ones by name.
    #[arg(long, value_name = "DIR")]
    templates: Option<PathBuf>,
    #[command(flatten)]
    sampling: SamplingArgs,
}

/// `-o`, else the `output` setting of the nearest fermi.toml (relative to that file).
fn output_dir(args: &BuildArgs) -> anyhow::Result<PathBuf> {
    if let Some(o) = &args.output {
        return Ok(o.clone());
    }
    let probe = args.dir.join("_");
    match (project::find_config(&probe), project::load_for(&probe)) {
        (Some(cfg), Ok(c)) if c.output.is_some() => {
            let o = c.output.unwrap_or_default();
            Ok(cfg.parent().map_or(PathBuf::from(&o), |p| p.join(&o)))
        }
        _ => anyhow::bail!("no output folder: pass -o OUT, or set `output` under [project] in fermi.toml"),
    }
}

pub(super) fn execute(args: &BuildArgs) -> anyhow::Result<Outcome> {
    let output = output_dir(args)?;
    let t = super::doc::templates(args.templates.as_deref(), &args.dir.join("_"))?;
    let b = batch::build(&args.dir, &t, NORMAL_DIGITS, args.sampling.settings())
        .map_err(|e| anyhow::anyhow!("reading {}: {e}", args.dir.display()))?;
    let errors: Vec<&String> = b.designs.iter().filter_map(|d| d.outputs.as_ref().err()).collect();
    if !errors.is_empty() {
        let text = errors.iter().map(|e| e.trim_end().to_string()).collect::<Vec<_>>().join("\n\n");
        return Err(Rendered(format!(
            "{text}\n\nerror: {} of {} designs are invalid; nothing was written\n",
            errors.len(),
            b.designs.len()
        ))
        .into());
    }
    let mut report = String::new();
    for d in &b.designs {
        for f in &d.failures {
            report.push_str(&format!("FAIL {f}\n"));
        }
    }
    let failed = b.designs.iter().any(|d| !d.passed);
    if args.check {
        let stale = b.stale(&output);
        let old_index = std::fs::read_to_string(output.join("index.md")).ok();
        let new_index = String::from_utf8_lossy(&b.index.bytes).into_owned();
        for (path, why) in &stale {
            // A stale doc says what changed in it: the index row's numbers, or its first changed line.
            let rel = path.strip_prefix(&output).unwrap_or(path);
            let what = match (*why, b.outputs().find(|o| o.path == rel)) {
                ("stale", Some(o)) => {
                    let old = std::fs::read_to_string(path).unwrap_or_default();
                    let rel = rel.to_string_lossy().replace('\\', "/");
                    let new = String::from_utf8_lossy(&o.bytes);
                    format!(
                        ": {}",
                        fermi::analysis::whatif::stale::describe(&rel, &old, &new, old_index.as_deref(), &new_index)
                    )
                }
                _ => String::new(),
            };
            report.push_str(&format!("{why}: {}{what}\n", path.display()));
        }
        if stale.is_empty() {
            report.push_str(&format!("{} designs: docs in {} are up to date\n", b.designs.len(), output.display()));
        } else {
            report.push_str(&format!(
                "{} files are stale or missing; run `fermi build {} -o {}`\n",
                stale.len(),
                args.dir.display(),
                output.display()
            ));
        }
        out(&report)?;
        return Ok(if stale.is_empty() && !failed { Outcome::Success } else { Outcome::CheckFailed });
    }
    // The error names the file; nothing of this build is left in place.
    let (written, unchanged) = b
        .write(&output)
        .map_err(|e| anyhow::anyhow!("{e}; the previous docs in {} are unchanged", output.display()))?;
    report.push_str(&format!(
        "{} designs → {} files in {} ({written} written, {unchanged} unchanged)\n",
        b.designs.len(),
        written + unchanged,
        output.display()
    ));
    out(&report)?;
    Ok(if failed { Outcome::CheckFailed } else { Outcome::Success })
}
