//! Shared plumbing: exit codes, atomic writes, terminal progress.

use std::io::{IsTerminal, Write};
use std::path::Path;

use anyhow::{Context, Result};

/// Exit code: everything went fine.
pub const EXIT_OK: u8 = 0;
/// Exit code: the command ran and found problems (e.g. `vouch check` findings).
pub const EXIT_PROBLEMS: u8 = 1;
/// Exit code: the command could not run (usage, I/O, unreadable input).
pub const EXIT_ERROR: u8 = 2;

/// Writes `bytes` to `path` atomically: a temp file in the same directory,
/// then a rename, so a reader never sees a half-written file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create directory {}", dir.display()))?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("cannot create a temp file in {}", dir.display()))?;
    tmp.write_all(bytes)
        .with_context(|| format!("cannot write {}", path.display()))?;
    tmp.as_file().sync_all().ok();
    tmp.persist(path)
        .map_err(|e| e.error)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// Progress messages on stderr, shown only on a terminal and never with `--quiet`.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    enabled: bool,
}

impl Progress {
    pub fn new(quiet: bool) -> Self {
        Progress {
            enabled: !quiet && std::io::stderr().is_terminal(),
        }
    }

    /// Never shows anything (for tests and library callers).
    pub fn silent() -> Self {
        Progress { enabled: false }
    }

    /// Rewrites the current progress line, e.g. `answering 120/300`.
    pub fn update(&self, msg: &str) {
        if self.enabled {
            eprint!("\r\x1b[2K{msg}");
            let _ = std::io::stderr().flush();
        }
    }

    /// Clears the progress line.
    pub fn finish(&self) {
        if self.enabled {
            eprint!("\r\x1b[2K");
            let _ = std::io::stderr().flush();
        }
    }
}

/// Pretty JSON on stdout with a trailing newline.
pub fn print_json<T: serde::Serialize>(value: &T) -> Result<()> {
    let text = serde_json::to_string_pretty(value)?;
    println!("{text}");
    Ok(())
}

/// Today's date, or the date of `SOURCE_DATE_EPOCH` when it is set, so that
/// builds and freshness checks are reproducible.
pub fn today() -> chrono::NaiveDate {
    source_date_epoch()
        .and_then(|secs| chrono::DateTime::from_timestamp(secs, 0))
        .map(|dt| dt.date_naive())
        .unwrap_or_else(|| chrono::Local::now().date_naive())
}

/// `SOURCE_DATE_EPOCH` (seconds since 1970) when set to a valid integer.
pub fn source_date_epoch() -> Option<i64> {
    std::env::var("SOURCE_DATE_EPOCH").ok()?.trim().parse().ok()
}
