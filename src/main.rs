//! The `vouch` binary: a thin shell over the library (see `vouch::cli`).

fn main() -> std::process::ExitCode {
    // Behave like other Unix tools when the reader of stdout goes away
    // (`vouch tsc | head`): end quietly instead of panicking on EPIPE.
    #[cfg(unix)]
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    vouch::cli::main()
}
