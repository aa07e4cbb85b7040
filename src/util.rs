//! Shared plumbing: exit codes, atomic writes and tidy temp files, terminal
//! progress, JSON output, the build date.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// Exit code: everything went fine.
pub const EXIT_OK: u8 = 0;
/// Exit code: the command ran and found problems (e.g. `vouch check` findings).
pub const EXIT_PROBLEMS: u8 = 1;
/// Exit code: the command could not run (usage, I/O, unreadable input).
pub const EXIT_ERROR: u8 = 2;

/// Writes `bytes` to `path` atomically: a temp file in the same directory,
/// then a rename, so a reader never sees a half-written file. The file is
/// created with mode 0666 less the umask, like any other tool's output. The
/// temp file is removed on every error path; one left behind by a killed run
/// (`.NAME.vouch-tmp-PID-N`) is removed by the next write to the same path.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create directory {}", dir.display()))?;
    remove_stale_siblings(path);
    let tmp = TempPath::create_file(path)
        .with_context(|| format!("cannot create a temp file in {}", dir.display()))?;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .open(&tmp.path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    file.write_all(bytes)
        .with_context(|| format!("cannot write {}", path.display()))?;
    file.sync_all().ok();
    drop(file);
    std::fs::rename(&tmp.path, path).with_context(|| format!("cannot write {}", path.display()))?;
    tmp.keep();
    Ok(())
}

/// A file or folder beside a target, named `.TARGET.vouch-TAG-PID-N`, that is
/// removed when dropped unless [`TempPath::keep`] was called. The name lets
/// the next run recognise and remove what a killed run left behind.
#[derive(Debug)]
pub struct TempPath {
    pub path: PathBuf,
    armed: bool,
}

impl TempPath {
    /// A new empty file beside `target` (mode 0666 less the umask).
    pub fn create_file(target: &Path) -> std::io::Result<TempPath> {
        loop {
            let path = sibling_temp_name(target, "tmp");
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o666);
            match options.open(&path) {
                Ok(_) => return Ok(TempPath { path, armed: true }),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        }
    }

    /// A new empty folder beside `target`; `tag` tells what it is for.
    pub fn create_dir(target: &Path, tag: &str) -> std::io::Result<TempPath> {
        loop {
            let path = sibling_temp_name(target, tag);
            match std::fs::create_dir(&path) {
                Ok(()) => return Ok(TempPath { path, armed: true }),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        }
    }

    /// The path stays: it was renamed into place (or is wanted).
    pub fn keep(mut self) -> PathBuf {
        self.armed = false;
        std::mem::take(&mut self.path)
    }
}

impl Drop for TempPath {
    fn drop(&mut self) {
        if self.armed {
            if self.path.is_dir() {
                let _ = std::fs::remove_dir_all(&self.path);
            } else {
                let _ = std::fs::remove_file(&self.path);
            }
        }
    }
}

/// `.NAME.vouch-TAG-PID-N` in the folder of `target`.
fn sibling_temp_name(target: &Path, tag: &str) -> PathBuf {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let name = format!(
        ".{}.vouch-{tag}-{}-{n}{nanos:x}",
        file_name_of(target),
        std::process::id()
    );
    target.with_file_name(name)
}

fn file_name_of(target: &Path) -> String {
    target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".to_string())
}

/// Removes the temp files and folders beside `target` (see [`TempPath`])
/// whose process is gone: leftovers of a run killed mid-write.
pub fn remove_stale_siblings(target: &Path) {
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let prefix = format!(".{}.vouch-", file_name_of(target));
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = name.strip_prefix(&prefix) else {
            continue;
        };
        // rest = TAG-PID-N
        let pid = rest.split('-').nth(1).and_then(|p| p.parse::<u32>().ok());
        let Some(pid) = pid else { continue };
        if pid != std::process::id() && !process_alive(pid) {
            let path = entry.path();
            let is_dir = entry.file_type().map(|t| t.is_dir()).unwrap_or(false);
            let _ = if is_dir {
                std::fs::remove_dir_all(&path)
            } else {
                std::fs::remove_file(&path)
            };
        }
    }
}

/// Whether a process with this id still runs (so its temp files are live).
fn process_alive(pid: u32) -> bool {
    #[cfg(unix)]
    {
        let Ok(pid) = libc::pid_t::try_from(pid) else {
            return false;
        };
        // Signal 0 checks existence; EPERM means it exists but is not ours.
        let r = unsafe { libc::kill(pid, 0) };
        r == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        true
    }
}

/// Progress on stderr: an indicatif spinner or bar, shown only on a terminal
/// and never with `--quiet`. Cheap to copy; all copies draw the same line.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    enabled: bool,
}

/// The one progress line of the process.
static BAR: std::sync::Mutex<Option<indicatif::ProgressBar>> = std::sync::Mutex::new(None);

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

    /// Shows a spinner with `msg`, e.g. `reading the workbook…`.
    pub fn update(&self, msg: &str) {
        if !self.enabled {
            return;
        }
        with_bar(|bar| {
            bar.set_message(msg.to_string());
            if bar.length().is_some() {
                bar.unset_length();
                bar.set_style(spinner_style());
            }
        });
    }

    /// Shows a bar at `done` of `total`, with `msg` beside it, e.g.
    /// `progress.step(120, 300, "answering")`.
    pub fn step(&self, done: u64, total: u64, msg: &str) {
        if !self.enabled {
            return;
        }
        with_bar(|bar| {
            if bar.message() != msg {
                bar.set_message(msg.to_string());
            }
            if bar.length() != Some(total) {
                bar.set_length(total);
                bar.set_style(bar_style());
                bar.reset_eta();
            }
            bar.set_position(done);
        });
    }

    /// Clears the progress line.
    pub fn finish(&self) {
        Progress::clear();
    }

    /// Clears any progress line of the process, e.g. before printing an
    /// error that ended a command early.
    pub fn clear() {
        if let Some(bar) = BAR.lock().unwrap_or_else(|e| e.into_inner()).take() {
            bar.finish_and_clear();
        }
    }
}

fn with_bar(f: impl FnOnce(&indicatif::ProgressBar)) {
    let mut slot = BAR.lock().unwrap_or_else(|e| e.into_inner());
    let bar = slot.get_or_insert_with(|| {
        let bar = indicatif::ProgressBar::with_draw_target(
            None,
            indicatif::ProgressDrawTarget::stderr_with_hz(10),
        );
        bar.set_style(spinner_style());
        bar.enable_steady_tick(std::time::Duration::from_millis(100));
        bar
    });
    f(bar);
}

fn spinner_style() -> indicatif::ProgressStyle {
    indicatif::ProgressStyle::with_template("{spinner} {msg} {elapsed}")
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner())
}

fn bar_style() -> indicatif::ProgressStyle {
    indicatif::ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} ({eta} left)")
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
        .progress_chars("=> ")
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The id of a process that has exited (its temp files are stale).
    fn dead_pid() -> u32 {
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let pid = child.id();
        child.wait().unwrap();
        pid
    }

    #[test]
    fn write_atomic_replaces_and_removes_stale_temp_files() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.csv");
        let stale = dir
            .path()
            .join(format!(".out.csv.vouch-tmp-{}-1", dead_pid()));
        std::fs::write(&stale, "half-written by a killed run").unwrap();
        let live = dir
            .path()
            .join(format!(".out.csv.vouch-tmp-{}-1", std::process::id()));
        std::fs::write(&live, "ours").unwrap();
        let other = dir.path().join(".other.csv.vouch-tmp-1-1");
        std::fs::write(&other, "another file's").unwrap();
        write_atomic(&target, b"a,b\n").unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"a,b\n");
        assert!(!stale.exists(), "stale temp file removed");
        assert!(live.exists(), "a live process's temp file is kept");
        assert!(other.exists(), "another target's files are not touched");
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            names.len(),
            3,
            "no temp file of this write is left: {names:?}"
        );
    }

    #[test]
    #[cfg(unix)]
    fn write_atomic_follows_the_umask() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("x.txt");
        write_atomic(&target, b"x").unwrap();
        // Read, not set: umask is process-wide and tests run in parallel.
        let umask = std::fs::read_to_string("/proc/self/status")
            .ok()
            .and_then(|s| {
                let line = s.lines().find(|l| l.starts_with("Umask:"))?.to_string();
                u32::from_str_radix(line.split_whitespace().nth(1)?, 8).ok()
            })
            .unwrap_or(0o022);
        let mode = std::fs::metadata(&target).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o666 & !umask);
        assert_ne!(mode, 0o600, "not tempfile's private mode");
    }

    #[test]
    fn temp_path_is_removed_on_drop_unless_kept() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("site");
        let tmp = TempPath::create_dir(&target, "new").unwrap();
        std::fs::write(tmp.path.join("f"), "x").unwrap();
        let path = tmp.path.clone();
        drop(tmp);
        assert!(!path.exists());
        let kept = TempPath::create_dir(&target, "new").unwrap().keep();
        assert!(kept.is_dir());
    }
}
