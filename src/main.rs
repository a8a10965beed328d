//! The `fermi` binary: a thin command-line layer over the `fermi` library.
mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
