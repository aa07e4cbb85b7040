//! Bounds on what a questionnaire may cost to read. A questionnaire comes
//! from a stranger: a 5 KB file must not be able to exhaust memory or time.
//! Each cap has a flag to raise it (`--max-file-size`, `--max-size`,
//! `--max-rows`, `--max-cols`, `--max-cell-chars`), and the input must be a
//! regular file (a FIFO would block, `/dev/zero` never ends).

use std::collections::HashSet;
use std::io::Read;
use std::path::Path;

use anyhow::{bail, Context, Result};

use super::sheet::Grid;

/// The caps applied while reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Size of the file itself.
    pub max_file_bytes: u64,
    /// What a zip package (XLSX, ODS) may expand to.
    pub max_decompressed_bytes: u64,
    /// Rows holding content, per sheet.
    pub max_rows: usize,
    /// Columns holding content, per sheet.
    pub max_cols: usize,
    /// Characters in one cell.
    pub max_cell_chars: usize,
}

pub const DEFAULT_MAX_FILE_BYTES: u64 = 100 * 1024 * 1024;
pub const DEFAULT_MAX_DECOMPRESSED_BYTES: u64 = 200 * 1024 * 1024;
pub const DEFAULT_MAX_ROWS: usize = 100_000;
pub const DEFAULT_MAX_COLS: usize = 1_000;
pub const DEFAULT_MAX_CELL_CHARS: usize = 100_000;

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: DEFAULT_MAX_FILE_BYTES,
            max_decompressed_bytes: DEFAULT_MAX_DECOMPRESSED_BYTES,
            max_rows: DEFAULT_MAX_ROWS,
            max_cols: DEFAULT_MAX_COLS,
            max_cell_chars: DEFAULT_MAX_CELL_CHARS,
        }
    }
}

/// Reads the whole file, refusing anything but a regular file and anything
/// larger than the cap. The file is opened without blocking (a FIFO would
/// otherwise wait forever for a writer) and checked after opening, so it
/// cannot be swapped for something else in between.
pub fn read_input(path: &Path, limits: &Limits) -> Result<Vec<u8>> {
    let name = path.display();
    let file = open_nonblocking(path).with_context(|| format!("cannot read {name}"))?;
    let meta = file
        .metadata()
        .with_context(|| format!("cannot read {name}"))?;
    if !meta.is_file() {
        bail!(
            "{name}: not a regular file ({}); vouch reads questionnaires from regular files only",
            file_kind(&meta)
        );
    }
    if meta.len() > limits.max_file_bytes {
        return Err(file_too_big(path, limits));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(limits.max_file_bytes + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("cannot read {name}"))?;
    if bytes.len() as u64 > limits.max_file_bytes {
        return Err(file_too_big(path, limits));
    }
    Ok(bytes)
}

fn file_too_big(path: &Path, limits: &Limits) -> anyhow::Error {
    anyhow::anyhow!(
        "{}: refusing to read: the file is larger than {} MiB; pass --max-file-size to raise the limit",
        path.display(),
        limits.max_file_bytes / (1024 * 1024)
    )
}

#[cfg(unix)]
fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::File::open(path)
}

fn file_kind(meta: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if meta.is_dir() {
        "a directory"
    } else {
        "not a plain file"
    }
}

/// Adds cells to a grid while enforcing the row, column and cell-length
/// caps, so that reading stops as soon as a cap is passed. Cells may come in
/// any order (a hostile file can list its rows backwards): they are sorted
/// once at the end.
pub struct GridBuilder<'a> {
    pub grid: Grid,
    limits: &'a Limits,
    file: &'a Path,
    cells: Vec<(u32, u32, String)>,
    rows: HashSet<u32>,
    cols: HashSet<u32>,
}

impl<'a> GridBuilder<'a> {
    pub fn new(grid: Grid, limits: &'a Limits, file: &'a Path) -> Self {
        GridBuilder {
            grid,
            limits,
            file,
            cells: Vec::new(),
            rows: HashSet::new(),
            cols: HashSet::new(),
        }
    }

    /// Adds a non-empty cell (1-based row, 0-based column).
    pub fn add(&mut self, row: u32, col: u32, text: String) -> Result<()> {
        if text.is_empty() || row == 0 {
            return Ok(());
        }
        if text.len() > self.limits.max_cell_chars
            && text.chars().count() > self.limits.max_cell_chars
        {
            bail!(
                "{}: sheet '{}' {}: a cell holds more than {} characters; pass --max-cell-chars to raise the limit",
                self.file.display(),
                self.grid.name,
                super::sheet::cell_name(row, col),
                self.limits.max_cell_chars
            );
        }
        if self.rows.insert(row) && self.rows.len() > self.limits.max_rows {
            bail!(
                "{}: sheet '{}': more than {} rows hold content; pass --max-rows to raise the limit",
                self.file.display(),
                self.grid.name,
                self.limits.max_rows
            );
        }
        if self.cols.insert(col) && self.cols.len() > self.limits.max_cols {
            bail!(
                "{}: sheet '{}': more than {} columns hold content; pass --max-cols to raise the limit",
                self.file.display(),
                self.grid.name,
                self.limits.max_cols
            );
        }
        self.cells.push((row, col, text));
        Ok(())
    }

    /// The grid, its cells in order (a cell given twice keeps its last value).
    pub fn finish(mut self) -> Grid {
        // Stable: of two values for one cell, the later stays last.
        self.cells.sort_by_key(|(r, c, _)| (*r, *c));
        for (r, c, text) in self.cells {
            self.grid.set(r, c, text);
        }
        self.grid
    }
}
