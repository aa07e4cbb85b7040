//! The `vouch` binary: a thin shell over the library (see `vouch::cli`).

/// mimalloc rather than glibc's malloc: matching allocates and frees many
/// small strings and vectors, and glibc's free lists cost ~15% of a large run.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    // Behave like other Unix tools when the reader of stdout goes away
    // (`vouch tsc | head`): end quietly instead of panicking on EPIPE.
    #[cfg(unix)]
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    vouch::cli::main()
}
