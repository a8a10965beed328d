//! `fermi completions bash|zsh|fish|powershell|elvish`: a shell completion script for every
//! command, flag and value fermi's parser knows, printed for the shell to load.
//!
//! Architecture Invariant: the script is generated from the same clap definition that parses
//! the command line, so completions cannot drift from the commands.

use super::report::out;
use super::{Cli, Outcome};
use clap::CommandFactory;

#[derive(Debug, clap::Args)]
pub(super) struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    shell: clap_complete::Shell,
}

pub(super) fn execute(args: &CompletionsArgs) -> anyhow::Result<Outcome> {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "fermi", &mut script);
    out(&String::from_utf8(script)?)?;
    Ok(Outcome::Success)
}
