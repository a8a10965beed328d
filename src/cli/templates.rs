//! `fermi templates export DIR`: the built-in doc templates written to DIR, a starting point
//! for a folder of one's own (`--templates DIR`).
//!
//! Architecture Invariant: the templates are `fermi::render::doc::BUILT_IN`; they are written
//! through `fermi::files::write::under` (confined to DIR).

use super::Outcome;
use super::report::out;
use fermi::files::write;
use fermi::render::doc::BUILT_IN;
use std::path::{Path, PathBuf};

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

pub(super) fn execute(args: &TemplatesArgs) -> anyhow::Result<Outcome> {
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
