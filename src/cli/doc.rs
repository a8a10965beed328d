//! `fermi doc FILE [-o DIR] [--templates DIR]`: one design's Markdown doc, printed, or
//! written with its SVG plots to DIR; and the choice of templates `doc` and `build` share
//! (`--templates`, else the nearest fermi.toml's).
//!
//! Architecture Invariant: rendering is the library's; this picks templates, writes through
//! `fermi::files::write::under` (confined to the output folder), and reports.

use super::Outcome;
use super::flags::SamplingArgs;
use super::report::{Rendered, analyze_file, out};
use fermi::analysis::Options;
use fermi::files::project;
use fermi::files::write;
use fermi::render::doc::Templates;
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

/// Templates from `--templates`, else the `templates` folder of the nearest fermi.toml.
pub(super) fn templates(explicit: Option<&Path>, near: &Path) -> anyhow::Result<Templates> {
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

pub(super) fn execute(args: &DocArgs) -> anyhow::Result<Outcome> {
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
