//! Output for read-only inputs: XLS, XLSB and ODS become an `.xlsx` with the
//! same sheets and values (formatting is not carried over); a VSAQ
//! questionnaire becomes a CSV, every cell of it formula-neutralised (its
//! text comes from a stranger's file and a spreadsheet would run
//! `=HYPERLINK(...)` as a formula).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use rust_xlsxwriter::Workbook;

use super::csv_in::{CsvDialect, TextEncoding};
use super::plan::{truncate_chars, EXCEL_CELL_LIMIT};
use super::sheet::{cell_name, Grid};
use super::{csv_out, CellEdit, Format, WriteSummary};

/// The path of the converted file: `output` with the extension changed to
/// `.xlsx`/`.csv` when it says otherwise.
pub fn converted_path(input: Format, output: &Path) -> PathBuf {
    let ext = input.output_extension();
    if output
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case(ext))
    {
        output.to_path_buf()
    } else {
        output.with_extension(ext)
    }
}

/// Builds the converted file (see [`converted_path`] for where it goes).
pub fn render_converted(
    input: Format,
    grids: &[Grid],
    edits: &[CellEdit],
    summary: &mut WriteSummary,
) -> Result<Vec<u8>> {
    let ext = input.output_extension();
    summary.converted_from = Some(input);
    summary.format = if ext == "csv" {
        Format::Csv
    } else {
        Format::Xlsx
    };
    summary.notes.push(format!(
        "{} input cannot be written back; wrote a new {} file ({})",
        input.name(),
        ext.to_uppercase(),
        summary.output.display()
    ));
    if ext == "csv" {
        let dialect = CsvDialect {
            delimiter: b',',
            encoding: TextEncoding::Utf8,
            bom: false,
            crlf: true,
            final_newline: true,
        };
        let grid = grids.first().cloned().unwrap_or_default();
        let records = neutralised_records(&grid);
        let safe: Vec<CellEdit> = edits
            .iter()
            .map(|e| CellEdit {
                value: csv_out::neutralise_formula(&e.value),
                ..e.clone()
            })
            .collect();
        return Ok(csv_out::render(&records, &dialect, &safe));
    }
    to_xlsx(grids, edits, summary).context("cannot build the output workbook")
}

/// The grid as CSV records (every row up to the last, every column up to
/// the widest), each cell formula-neutralised.
fn neutralised_records(grid: &Grid) -> Vec<Vec<String>> {
    let width = grid.width() as usize;
    (1..=grid.height())
        .map(|r| {
            let mut record = vec![String::new(); width];
            for (c, v) in grid.row_cells(r) {
                record[*c as usize] = csv_out::neutralise_formula(v);
            }
            record
        })
        .collect()
}

fn to_xlsx(grids: &[Grid], edits: &[CellEdit], summary: &mut WriteSummary) -> Result<Vec<u8>> {
    let mut grids: Vec<Grid> = grids.to_vec();
    for e in edits {
        if let Some(g) = grids.get_mut(e.grid) {
            g.set(e.row, e.col, e.value.clone());
        }
    }
    let mut book = Workbook::new();
    for grid in &grids {
        let sheet = book.add_worksheet();
        sheet.set_name(&grid.name)?;
        for (r, cells) in grid.rows() {
            for (c, value) in cells {
                if *c > u32::from(u16::MAX) || r > 1_048_576 {
                    continue;
                }
                let value = if value.chars().count() > EXCEL_CELL_LIMIT {
                    summary.notes.push(format!(
                        "'{}'!{}: cut to Excel's limit of {EXCEL_CELL_LIMIT} characters",
                        grid.name,
                        cell_name(r, *c)
                    ));
                    truncate_chars(value, EXCEL_CELL_LIMIT)
                } else {
                    value.clone()
                };
                sheet.write_string(r - 1, *c as u16, value)?;
            }
        }
        for &(a, b) in &grid.hidden_cols {
            for c in a..=b.min(a + 1024).min(u32::from(u16::MAX)) {
                sheet.set_column_hidden(c as u16)?;
            }
        }
        for &r in &grid.hidden_rows {
            sheet.set_row_hidden(r.saturating_sub(1))?;
        }
        if grid.hidden {
            sheet.set_hidden(true);
        }
    }
    // Excel will not show a workbook whose active sheet is hidden.
    if let Some(first_visible) = grids.iter().position(|g| !g.hidden) {
        book.worksheet_from_index(first_visible)?.set_active(true);
    }
    Ok(book.save_to_buffer()?)
}
