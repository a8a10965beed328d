//! Threads with a stack sized for the deepest design the language's limits allow: the
//! parser and evaluators recurse once per nesting level (256 parentheses, 256 names in a
//! chain, 1,024 operations), and a worker's default 2 MiB (or whatever `RUST_MIN_STACK` says)
//! is not enough for all of them at once, while the main thread's depends on `ulimit -s`.
//!
//! Architecture Invariant: every thread that parses, lowers, evaluates or renders a design is
//! started here, so no thread's stack depends on the platform's defaults.

use std::thread::{Builder, Scope, ScopedJoinHandle};

/// The stack of every such thread: 16× the default worker stack; only the pages touched are
/// ever backed by memory.
pub const STACK: usize = 32 << 20;

/// Starts a scoped worker with [`STACK`] bytes of stack.
///
/// # Panics
/// When the operating system cannot start a thread, as [`Scope::spawn`] does.
pub fn spawn<'scope, 'env, T: Send + 'scope>(
    scope: &'scope Scope<'scope, 'env>,
    f: impl FnOnce() -> T + Send + 'scope,
) -> ScopedJoinHandle<'scope, T> {
    match Builder::new().stack_size(STACK).spawn_scoped(scope, f) {
        Ok(h) => h,
        Err(e) => panic!("cannot start a worker thread: {e}"),
    }
}
