//! `fermi doc FILE [-o DIR] [--templates DIR]`, `fermi build DIR -o OUT [--check]` and
//! `fermi templates export DIR`.
//!
//! Architecture Invariant: rendering and building are the library's; this picks templates,
//! writes through `fermi::files::write::under` (confined to the output folder), and reports.

use super::report::{Rendered, analyze_file, out};
use super::{Outcome, SamplingArgs};
use fermi::analysis::Options;
use fermi::files::batch;
use fermi::files::project;
use fermi::files::write;
use fermi::render::doc::{BUILT_IN, Templates};
use fermi::units::format::{NORMAL_DIGITS, ROUNDED_DIGITS};
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub(super) struct DocArgs {
    /// The design file (`-` reads standard input).
    file: PathBuf,
    /// Write DIR/<stem>.md and plots in DIR/<stem>/ instead of printing the doc.
    #[arg(short, long, value_name = "DIR")]
    output: Option<PathBuf>,
    /// A folder of templates overriding the built-in ones by name.
    #[arg(long, value_name = "DIR")]
    templates: Option<PathBuf>,
    /// Interview mode: 100K seconds a day and 2 significant figures.
    #[arg(long)]
    rounded: bool,
    #[command(flatten)]
    sampling: SamplingArgs,
}

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

#[derive(Debug, clap::Args)]
pub(super) struct TemplatesArgs {
    #[command(subcommand)]
    command: TemplatesCommand,
}

#[derive(Debug, clap::Subcommand)]
enum TemplatesCommand {
    /// Write the built-in templates to DIR as a starting point for your own.
    Export {
        /// The folder to write to.
        dir: PathBuf,
    },
}

/// Templates from `--templates`, else the `templates` folder of the nearest fermi.toml.
fn templates(explicit: Option<&Path>, near: &Path) -> anyhow::Result<Templates> {
    let dir = match explicit {
        Some(d) => Some(d.to_path_buf()),
        None => match (project::find_config(near), project::load_for(near)) {
            (Some(cfg), Ok(c)) => c.templates.map(|t| cfg.parent().map_or(PathBuf::from(&t), |p| p.join(&t))),
            _ => None,
        },
    };
    let overrides = match &dir {
        Some(d) => {
            project::read_templates(d).map_err(|e| anyhow::anyhow!("reading templates from {}: {e}", d.display()))?
        }
        None => Vec::new(),
    };
    Templates::new(&overrides).map_err(|e| Rendered(format!("error: templates: {e}\n")).into())
}

pub(super) fn doc(args: &DocArgs) -> anyhow::Result<Outcome> {
    let analysis = analyze_file(
        &args.file,
        Options { interview_day: args.rounded, doc_simulations: true, sampling: args.sampling.settings() },
    )?;
    let t = templates(args.templates.as_deref(), &args.file)?;
    let digits = if args.rounded { ROUNDED_DIGITS } else { NORMAL_DIGITS };
    // The doc's name comes from the file's, made a safe single name: `...fermi` or `-` (stdin)
    // must not put files outside the output folder.
    let stem = match args.file.file_stem() {
        _ if args.file.as_os_str() == "-" => "stdin".to_string(),
        Some(s) => write::safe_name(&s.to_string_lossy()),
        None => "design".to_string(),
    };
    match &args.output {
        None => {
            let d = t.render(&analysis, digits, None).map_err(|e| Rendered(format!("error: template: {e}\n")))?;
            out(&d.markdown)?;
        }
        Some(dir) => {
            let d =
                t.render(&analysis, digits, Some(&stem)).map_err(|e| Rendered(format!("error: template: {e}\n")))?;
            let doc = PathBuf::from(format!("{stem}.md"));
            let plots: Vec<PathBuf> = d.plots.iter().map(|p| Path::new(&stem).join(&p.file)).collect();
            // Plots first, the doc that links them last.
            let files: Vec<(&Path, &[u8])> = plots
                .iter()
                .zip(&d.plots)
                .map(|(path, p)| (path.as_path(), p.svg.as_bytes()))
                .chain([(doc.as_path(), d.markdown.as_bytes())])
                .collect();
            write::under(dir, &files)?;
            eprintln_safe(&format!("wrote {} and {} plots", dir.join(&doc).display(), d.plots.len()));
        }
    }
    Ok(if analysis.passed() { Outcome::Success } else { Outcome::CheckFailed })
}

fn eprintln_safe(text: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr().lock(), "{text}");
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

pub(super) fn build(args: &BuildArgs) -> anyhow::Result<Outcome> {
    let output = output_dir(args)?;
    let t = templates(args.templates.as_deref(), &args.dir.join("_"))?;
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

pub(super) fn templates_command(args: &TemplatesArgs) -> anyhow::Result<Outcome> {
    match &args.command {
        TemplatesCommand::Export { dir } => {
            let files: Vec<(&Path, &[u8])> =
                BUILT_IN.iter().map(|(name, text)| (Path::new(*name), text.as_bytes())).collect();
            write::under(dir, &files)?;
            out(&format!(
                "wrote {} templates to {}; use them with --templates {}\n",
                BUILT_IN.len(),
                dir.display(),
                dir.display()
            ))?;
            Ok(Outcome::Success)
        }
    }
}
