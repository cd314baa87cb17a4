//! The `beraad` binary: a thin shell around the library's CLI.

fn main() -> std::process::ExitCode {
    beraad::cli::main()
}
