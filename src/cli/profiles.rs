//! `fermi profiles [PATH]`: node profiles known at a path.
//!
//! Architecture Invariant: profiles are loaded by `fermi::files::project` and laid out by
//! `fermi::render::profiles`; this only finds the path and prints.

use super::Outcome;
use super::report::{Rendered, out};
use fermi::files::project::{self, ConfigError};
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub(super) struct ProfilesArgs {
    /// A design file or folder whose nearest fermi.toml to read (default: the current folder).
    path: Option<PathBuf>,
}

pub(super) fn execute(args: &ProfilesArgs) -> anyhow::Result<Outcome> {
    let path = args.path.clone().unwrap_or_else(|| PathBuf::from("."));
    // A path that names nothing would fall back to the built-in profiles without a word.
    if !path.exists() {
        anyhow::bail!(
            "{}: no such file or folder; give a design file or a folder to look for fermi.toml from",
            path.display()
        );
    }
    let probe = if path.is_dir() { path.join("_") } else { path };
    let config = match project::load_for(&probe) {
        Ok(c) => c,
        Err(ConfigError::Io(p, e)) => anyhow::bail!("reading {}: {e}", p.display()),
        Err(ConfigError::Invalid(source, d)) => return Err(Rendered(d.render(&source)).into()),
    };
    let found = project::find_config(&probe);
    out(&fermi::render::profiles::table(&config.profiles, found.as_deref()))?;
    Ok(Outcome::Success)
}
