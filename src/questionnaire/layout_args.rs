//! The layout override flags shared by `vouch inspect` and `vouch answer`
//! (`#[command(flatten)]`).

use super::{ReadOptions, DEFAULT_MAX_DECOMPRESSED_BYTES};

#[derive(Debug, Clone, Default, clap::Args)]
pub struct LayoutArgs {
    /// Read only this sheet (by name); hidden sheets can be named here.
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
    /// Refuse workbooks that expand to more than this many MiB (zip bomb guard).
    #[arg(long, value_name = "MIB")]
    pub max_size: Option<u64>,
}

impl LayoutArgs {
    pub fn read_options(&self) -> ReadOptions {
        ReadOptions {
            sheet: self.sheet.clone(),
            header_row: self.header_row,
            question_col: self.question_col.clone(),
            answer_col: self.answer_col.clone(),
            comment_col: self.comment_col.clone(),
            include_hidden: self.include_hidden,
            max_decompressed_bytes: self
                .max_size
                .map(|m| m.saturating_mul(1024 * 1024))
                .unwrap_or(DEFAULT_MAX_DECOMPRESSED_BYTES),
        }
    }
}
