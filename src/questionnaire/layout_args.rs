//! The layout override flags and reading caps shared by `vouch inspect` and
//! `vouch answer` (`#[command(flatten)]`).

use super::limits::{self, Limits};
use super::ReadOptions;

#[derive(Debug, Clone, Default, clap::Args)]
pub struct LayoutArgs {
    /// Read only this sheet (by name), answered whatever its role looks like;
    /// hidden sheets can be named here.
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// The 1-based header row (0 = the sheet has no header row).
    #[arg(long, value_name = "N")]
    pub header_row: Option<u32>,
    /// The question column: a letter (C) or header text ("Question").
    #[arg(long, value_name = "COL")]
    pub question_col: Option<String>,
    /// The answer column: a letter (D) or header text ("Response").
    #[arg(long, value_name = "COL")]
    pub answer_col: Option<String>,
    /// The comment/explanation column: a letter (E) or header text.
    #[arg(long, value_name = "COL")]
    pub comment_col: Option<String>,
    /// Also read hidden sheets, rows and columns.
    #[arg(long)]
    pub include_hidden: bool,
    /// Refuse workbooks that expand to more than this many MiB (zip bomb guard) [default: 200].
    #[arg(long, value_name = "MIB")]
    pub max_size: Option<u64>,
    /// Refuse input files larger than this many MiB [default: 100].
    #[arg(long, value_name = "MIB")]
    pub max_file_size: Option<u64>,
    /// Refuse sheets with more rows holding content [default: 100000].
    #[arg(long, value_name = "N")]
    pub max_rows: Option<usize>,
    /// Refuse sheets with more columns holding content [default: 1000].
    #[arg(long, value_name = "N")]
    pub max_cols: Option<usize>,
    /// Refuse cells holding more characters [default: 100000].
    #[arg(long, value_name = "N")]
    pub max_cell_chars: Option<usize>,
}

impl LayoutArgs {
    pub fn read_options(&self) -> ReadOptions {
        let mib = |m: u64| m.saturating_mul(1024 * 1024);
        ReadOptions {
            sheet: self.sheet.clone(),
            header_row: self.header_row,
            question_col: self.question_col.clone(),
            answer_col: self.answer_col.clone(),
            comment_col: self.comment_col.clone(),
            include_hidden: self.include_hidden,
            limits: Limits {
                max_file_bytes: self
                    .max_file_size
                    .map_or(limits::DEFAULT_MAX_FILE_BYTES, mib),
                max_decompressed_bytes: self
                    .max_size
                    .map_or(limits::DEFAULT_MAX_DECOMPRESSED_BYTES, mib),
                max_rows: self.max_rows.unwrap_or(limits::DEFAULT_MAX_ROWS),
                max_cols: self.max_cols.unwrap_or(limits::DEFAULT_MAX_COLS),
                max_cell_chars: self
                    .max_cell_chars
                    .unwrap_or(limits::DEFAULT_MAX_CELL_CHARS),
            },
        }
    }
}
