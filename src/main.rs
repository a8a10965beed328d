//! The `fermi` binary: a thin command-line layer over the `fermi` library.
mod cli;

/// Runs the command on a thread with `fermi::threads::STACK` bytes of stack, so a design at
/// the nesting limits parses and evaluates whatever `ulimit -s` says (on the calling thread
/// when no thread can be started).
fn main() -> std::process::ExitCode {
    match std::thread::Builder::new().stack_size(fermi::threads::STACK).spawn(cli::main) {
        Ok(h) => h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)),
        Err(_) => cli::main(),
    }
}
