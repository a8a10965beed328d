//! `fermi lsp`: the language server on stdin and stdout, for editors (VS Code, Neovim,
//! Helix); it runs until the editor sends `shutdown` and `exit`.
//!
//! Architecture Invariant: the server is `fermi::lsp::serve`; this only connects it to stdio.

use super::Outcome;

#[derive(Debug, clap::Args)]
pub(super) struct LspArgs {
    /// Accepted for clients that pass it (stdio is the only transport).
    #[arg(long, hide = true)]
    stdio: bool,
}

pub(super) fn execute(_: &LspArgs) -> anyhow::Result<Outcome> {
    let (connection, io) = lsp_server::Connection::stdio();
    let served = fermi::lsp::serve(&connection);
    drop(connection);
    io.join().map_err(|e| anyhow::anyhow!("fermi lsp: {e}"))?;
    match served {
        Ok(()) => Ok(Outcome::Success),
        // The protocol asks for exit code 1 when the server stops without `shutdown`.
        Err(e) => {
            eprintln!("fermi lsp: {e}");
            Ok(Outcome::CheckFailed)
        }
    }
}
