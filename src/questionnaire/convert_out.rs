//! Output for read-only inputs: XLS, XLSB and ODS become an `.xlsx` with the
//! same sheets and values (formatting is not carried over); a VSAQ
//! questionnaire becomes a CSV.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use rust_xlsxwriter::Workbook;

use super::csv_in::{CsvDialect, TextEncoding};
use super::sheet::Grid;
use super::{csv_out, CellEdit, Format, WriteSummary};

/// Writes the converted file and returns its path (the extension is changed
/// to `.xlsx`/`.csv` when `output` says otherwise).
pub fn write_converted(
    input: Format,
    grids: &[Grid],
    edits: &[CellEdit],
    output: &Path,
    summary: &mut WriteSummary,
) -> Result<PathBuf> {
    let ext = input.output_extension();
    let out = if output
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case(ext))
    {
        output.to_path_buf()
    } else {
        output.with_extension(ext)
    };
    summary.converted_from = Some(input);
    summary.format = if ext == "csv" {
        Format::Csv
    } else {
        Format::Xlsx
    };
    if out != output {
        summary.notes.push(format!(
            "{} input cannot be written back; wrote {} instead of {}",
            input.name(),
            out.display(),
            output.display()
        ));
    } else {
        summary.notes.push(format!(
            "{} input cannot be written back; wrote a new {} file",
            input.name(),
            ext.to_uppercase()
        ));
    }
    if ext == "csv" {
        let dialect = CsvDialect {
            delimiter: b',',
            encoding: TextEncoding::Utf8,
            bom: false,
            crlf: true,
            final_newline: true,
        };
        let grid = grids.first().cloned().unwrap_or_default();
        let safe: Vec<CellEdit> = edits
            .iter()
            .map(|e| CellEdit {
                value: csv_out::neutralise_formula(&e.value),
                ..e.clone()
            })
            .collect();
        crate::util::write_atomic(&out, &csv_out::render(&grid, &dialect, &safe))?;
        return Ok(out);
    }
    let bytes = to_xlsx(grids, edits).context("cannot build the output workbook")?;
    crate::util::write_atomic(&out, &bytes)?;
    Ok(out)
}

fn to_xlsx(grids: &[Grid], edits: &[CellEdit]) -> Result<Vec<u8>> {
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
        for (r, row) in grid.rows.iter().enumerate() {
            for (c, value) in row.iter().enumerate() {
                if value.is_empty() || c > u16::MAX as usize {
                    continue;
                }
                sheet.write_string(r as u32, c as u16, value)?;
            }
        }
        for &c in &grid.hidden_cols {
            if c <= u16::MAX as u32 {
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
