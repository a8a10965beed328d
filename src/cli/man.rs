//! `fermi man [-o DIR]`: manual pages in roff — `fermi.1` on stdout, or with `-o` one page per
//! command in DIR (`fermi.1`, `fermi-estimate.1`, `fermi-sim-cache.1`, …).
//!
//! Architecture Invariant: the pages are generated from the same clap definition that parses
//! the command line, and written through `fermi::files::write::under` (confined to the folder).

use super::report::out;
use super::{Cli, Outcome};
use clap::CommandFactory;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub(super) struct ManArgs {
    /// Write fermi.1, fermi-estimate.1, … (one page per command) into DIR.
    #[arg(short, long, value_name = "DIR")]
    output: Option<PathBuf>,
}

/// Every page: (file name, roff), the top command first, then its subcommands depth-first.
fn pages() -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    fn walk(cmd: clap::Command, pages: &mut Vec<(String, Vec<u8>)>) -> std::io::Result<()> {
        let man = clap_mangen::Man::new(cmd.clone());
        let mut roff = Vec::new();
        man.render(&mut roff)?;
        pages.push((man.get_filename(), roff));
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
            walk(sub.clone(), pages)?;
        }
        Ok(())
    }
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    let mut pages = Vec::new();
    walk(cmd, &mut pages)?;
    Ok(pages)
}

pub(super) fn execute(args: &ManArgs) -> anyhow::Result<Outcome> {
    let pages = pages()?;
    match &args.output {
        None => {
            let top = pages.first().map(|(_, roff)| String::from_utf8_lossy(roff).into_owned()).unwrap_or_default();
            out(&top)?;
        }
        Some(dir) => {
            let paths: Vec<PathBuf> = pages.iter().map(|(name, _)| PathBuf::from(name)).collect();
            let files: Vec<(&std::path::Path, &[u8])> =
                paths.iter().zip(&pages).map(|(p, (_, roff))| (p.as_path(), roff.as_slice())).collect();
            fermi::files::write::under(dir, &files)
                .map_err(|e| anyhow::anyhow!("writing to {}: {e}", dir.display()))?;
            let names: Vec<&str> = pages.iter().map(|(n, _)| n.as_str()).collect();
            super::report::note(&format!("wrote {} man pages to {}: {}", names.len(), dir.display(), names.join(", ")));
        }
    }
    Ok(Outcome::Success)
}
