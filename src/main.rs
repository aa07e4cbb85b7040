//! The `vouch` binary: a thin shell over the library (see `vouch::cli`).

fn main() -> std::process::ExitCode {
    vouch::cli::main()
}
