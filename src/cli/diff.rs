//! `fermi diff OLD NEW` and `fermi diff FILE --base REV` (the file as of a git revision, read
//! with `git show` from the file's repository), with `--fail-on` thresholds.
//!
//! Architecture Invariant: reads files (and git), analyses, diffs, renders; exit 1 only when a
//! threshold is crossed.

use super::Outcome;
use super::flags::{OutputFormat, SamplingArgs};
use super::report::{Rendered, failure, out};
use anyhow::{Context, bail};
use fermi::analysis::Options;
use fermi::analysis::whatif::threshold::Threshold;
use fermi::design::profile::ProjectConfig;
use fermi::files::project::{self, ConfigError};
use fermi::source::SourceFile;
use std::path::{Path, PathBuf};
use std::process::Command;

#[derive(Debug, clap::Args)]
pub(super) struct DiffArgs {
    /// The old design file; with --base, the design file to compare with its version at REV.
    old: PathBuf,
    /// The new design file.
    #[arg(required_unless_present = "base", conflicts_with = "base")]
    new: Option<PathBuf>,
    /// Compare the file with its version at a git revision (`HEAD`, `origin/main`).
    #[arg(long, value_name = "REV")]
    base: Option<String>,
    /// Output format (markdown: a pull-request comment).
    #[arg(long, value_enum, default_value = "table")]
    format: OutputFormat,
    /// Exit 1 when a change crosses a threshold: `cost.monthly > +10%`, `store.nodes > +20%`,
    /// `traffic.peak_rps > +5K rps` (repeatable).
    #[arg(long = "fail-on", value_name = "THRESHOLD")]
    fail_on: Vec<String>,
    #[command(flatten)]
    sampling: SamplingArgs,
}

/// The project settings for a design file (its nearest fermi.toml, or the built-in ones).
pub(super) fn config_for(path: &Path) -> anyhow::Result<ProjectConfig> {
    match project::load_for(path) {
        Ok(c) => Ok(c),
        Err(ConfigError::Io(p, e)) => bail!("reading {}: {e}", p.display()),
        Err(ConfigError::Invalid(source, d)) => Err(Rendered(d.render(&source)).into()),
    }
}

/// A design file's text under its display name.
pub(super) fn read(path: &Path) -> anyhow::Result<SourceFile> {
    let text = std::fs::read_to_string(path).map_err(|e| anyhow::anyhow!("reading {}: {e}", path.display()))?;
    Ok(SourceFile::new(path.display().to_string(), text))
}

fn git(dir: &Path, args: &[&str]) -> anyhow::Result<std::process::Output> {
    Command::new("git").arg("-C").arg(dir).args(args).output().context("running git (is it installed and on PATH?)")
}

/// The file as of revision `rev` of its repository: `git show REV:PATH`, the path taken
/// relative to the repository's top.
fn at_revision(path: &Path, rev: &str) -> anyhow::Result<SourceFile> {
    let absolute = std::fs::canonicalize(path).map_err(|e| anyhow::anyhow!("reading {}: {e}", path.display()))?;
    let dir = absolute.parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let top = git(&dir, &["rev-parse", "--show-toplevel"])?;
    if !top.status.success() {
        bail!(
            "{} is not in a git repository, so `--base {rev}` has nothing to compare with\n  \
             help: run it inside a git checkout, or compare two files: `fermi diff OLD NEW`",
            path.display()
        );
    }
    let top = PathBuf::from(String::from_utf8_lossy(&top.stdout).trim());
    let top = std::fs::canonicalize(&top).unwrap_or(top);
    let relative = absolute
        .strip_prefix(&top)
        .with_context(|| format!("{} is outside its repository's top folder {}", path.display(), top.display()))?;
    let relative = relative.to_string_lossy().replace('\\', "/");
    let commit = git(&top, &["rev-parse", "--verify", "--quiet", &format!("{rev}^{{commit}}")])?;
    if !commit.status.success() {
        bail!(
            "unknown revision `{rev}` in {}\n  help: name a commit, branch or tag (`HEAD`, `HEAD~1`, `origin/main`; \
             a remote branch needs `git fetch` first)",
            top.display()
        );
    }
    let shown = git(&top, &["show", &format!("{rev}:{relative}")])?;
    if !shown.status.success() {
        bail!(
            "{relative} does not exist at `{rev}` (a design added since?)\n  help: a new design has nothing to \
             compare with; `fermi estimate {}` shows its plan",
            path.display()
        );
    }
    let text = String::from_utf8(shown.stdout).with_context(|| format!("{relative} at `{rev}` is not UTF-8"))?;
    Ok(SourceFile::new(format!("{rev}:{relative}"), text))
}

pub(super) fn execute(args: &DiffArgs) -> anyhow::Result<Outcome> {
    let thresholds = args
        .fail_on
        .iter()
        .map(|t| Threshold::parse(t).map_err(|f| failure(&f)))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let (old, new_path) = match (&args.new, &args.base) {
        (Some(new), None) => (read(&args.old)?, new.clone()),
        (None, Some(rev)) => (at_revision(&args.old, rev)?, args.old.clone()),
        _ => bail!("give two files (`fermi diff OLD NEW`) or one file and `--base REV`"),
    };
    let new = read(&new_path)?;
    let config = config_for(&new_path)?;
    let options = Options { interview_day: false, doc_simulations: false, sampling: args.sampling.settings() };
    let (a, b, diff) = fermi::analysis::diff_sources(old, new, &config, options).map_err(|f| failure(&f))?;
    let mut crossed = Vec::new();
    for t in &thresholds {
        if let Some(c) = t.check(&a.plan, &b.plan).map_err(|f| failure(&f))? {
            crossed.push(c);
        }
    }
    let text = match args.format {
        OutputFormat::Table => fermi::render::diff::table(&diff, &crossed),
        OutputFormat::Markdown => fermi::render::diff::markdown(&diff, &crossed),
        OutputFormat::Json => fermi::render::diff::json(&diff, &crossed),
    };
    out(&text)?;
    Ok(if crossed.is_empty() { Outcome::Success } else { Outcome::CheckFailed })
}
