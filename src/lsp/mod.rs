//! `fermi lsp`: a language server for design files over the Language Server Protocol —
//! diagnostics as you type, hover with a number's derivation, go to definition, find
//! references, completion and formatting.
//!
//! One job per file: [`server`] runs the message loop and dispatches; `documents` keeps the
//! open files and their analyses; `position` converts byte offsets to LSP positions;
//! `diagnostics` turns diagnostics and findings into LSP diagnostics; `symbols` finds the
//! declarations and references of names; `hover`, `completion` and `formatting` answer those
//! requests.
//!
//! Architecture Invariant: the server only calls the library's public stages (analysis,
//! `syntax::parse`, `syntax::fmt`, `render::explain`); it computes no number of its own, and a
//! request it cannot answer gets an error response, never a panic.

mod completion;
mod diagnostics;
mod documents;
mod formatting;
mod hover;
mod position;
pub mod server;
mod symbols;

pub use server::serve;
