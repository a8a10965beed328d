//! `fermi fmt [--check] FILE…`: rewrites design files in the canonical layout (folders are
//! searched for `*.fermi`); `--check` writes nothing and exits 1 naming each file that would
//! change.
//!
//! Architecture Invariant: the layout is `fermi::syntax::fmt`'s; files are written through
//! `fermi::files::write::atomic`, and only when their text changes.

use super::Outcome;
use super::report::{Rendered, note, out};
use fermi::source::SourceFile;
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub(super) struct FmtArgs {
    /// Design files, or folders searched for *.fermi.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Write nothing; exit 1 naming each file that is not formatted.
    #[arg(long)]
    check: bool,
}

fn collect(path: &Path, files: &mut Vec<PathBuf>) -> std::io::Result<()> {
    if !path.is_dir() {
        files.push(path.to_path_buf());
        return Ok(());
    }
    let mut found = Vec::new();
    for entry in std::fs::read_dir(path)? {
        let entry = entry?;
        let p = entry.path();
        if entry.file_type()?.is_dir() {
            collect(&p, &mut found)?;
        } else if p.extension().is_some_and(|e| e == "fermi") {
            found.push(p);
        }
    }
    found.sort();
    files.extend(found);
    Ok(())
}

pub(super) fn execute(args: &FmtArgs) -> anyhow::Result<Outcome> {
    let mut files = Vec::new();
    for p in &args.files {
        collect(p, &mut files).map_err(|e| anyhow::anyhow!("reading {}: {e}", p.display()))?;
    }
    let mut changed = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).map_err(|e| anyhow::anyhow!("reading {}: {e}", file.display()))?;
        let source = SourceFile::new(file.display().to_string(), text);
        let formatted = fermi::syntax::fmt::format(&source).map_err(|d| Rendered(d.render(&source)))?;
        if formatted == source.text() {
            continue;
        }
        changed.push(file.display().to_string());
        if !args.check {
            fermi::files::write::atomic(file, formatted.as_bytes())
                .map_err(|e| anyhow::anyhow!("writing {}: {e}", file.display()))?;
        }
    }
    if args.check {
        let list: String = changed.iter().map(|f| format!("would reformat {f}\n")).collect();
        out(&list)?;
        return Ok(if changed.is_empty() { Outcome::Success } else { Outcome::CheckFailed });
    }
    for f in &changed {
        note(&format!("formatted {f}"));
    }
    Ok(Outcome::Success)
}
