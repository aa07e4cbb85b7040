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

/// Today's date (UTC), or the date of `SOURCE_DATE_EPOCH` when it is set, so
/// that builds and freshness checks are reproducible. An unreadable value
/// falls back to the clock; [`date_from_env`] reports it instead.
pub fn today() -> chrono::NaiveDate {
    date_from_env().unwrap_or_else(|_| chrono::Utc::now().date_naive())
}

/// The date of `SOURCE_DATE_EPOCH` (seconds since 1970) if set, else today
/// (UTC); an unreadable value is an error naming it.
pub fn date_from_env() -> Result<chrono::NaiveDate> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(text) => {
            let secs: i64 = text.trim().parse().with_context(|| {
                format!("SOURCE_DATE_EPOCH={text:?} is not a number of seconds")
            })?;
            chrono::DateTime::from_timestamp(secs, 0)
                .map(|t| t.date_naive())
                .with_context(|| format!("SOURCE_DATE_EPOCH={text:?} is out of range"))
        }
        Err(_) => Ok(chrono::Utc::now().date_naive()),
    }
}
