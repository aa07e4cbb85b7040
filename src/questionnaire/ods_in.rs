//! Reading OpenDocument spreadsheets (`.ods`) cell by cell.
//!
//! calamine materialises each sheet as a rectangle, and an ODS file can ask
//! for any rectangle in a few bytes (`table:number-rows-repeated`,
//! `table:number-columns-repeated`). Here `content.xml` is streamed: empty
//! repeats only move the cursor, repeated content counts towards the row and
//! column caps, so a hostile repeat stops reading at once. Hidden sheets,
//! rows and columns and merged ranges are kept; validations are not read.

use std::collections::HashSet;
use std::io::Cursor;
use std::path::Path;

use anyhow::{Context, Result};
use quick_xml::events::{BytesStart, Event};

use super::limits::{GridBuilder, Limits};
use super::sheet::{CellRange, Grid};
use super::xml::{attr, local, push_ref, read_entry_from};

/// The furthest row and column an ODS cursor may reach (the XLSX limits).
const MAX_ROW: u32 = 1_048_576;
const MAX_COL: u32 = 16_384;

pub fn read_ods(path: &Path, bytes: &[u8], limits: &Limits) -> Result<Vec<Grid>> {
    let name = path.display();
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .with_context(|| format!("{name}: corrupt zip archive"))?;
    let xml = read_entry_from(&mut zip, "content.xml")?
        .with_context(|| format!("{name}: the archive has no content.xml"))?;
    parse(path, &xml, limits).with_context(|| format!("{name}: invalid content.xml"))
}

/// The cell being read.
#[derive(Default)]
struct Cell {
    text: String,
    /// Paragraphs seen (joined with line breaks).
    paragraphs: usize,
    /// `office:value` and friends, for cells without text.
    value: Option<String>,
    repeat: u32,
    span: (u32, u32),
}

fn parse(path: &Path, xml: &[u8], limits: &Limits) -> Result<Vec<Grid>> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut grids = Vec::new();
    let mut hidden_styles: HashSet<String> = HashSet::new();
    let mut style: Option<String> = None;
    let mut sheet: Option<GridBuilder> = None;
    let mut row: u32 = 0;
    let mut row_repeat: u32 = 1;
    let mut row_cells: Vec<(u32, String)> = Vec::new();
    let mut col: u32 = 0;
    let mut table_col: u32 = 0;
    let mut cell: Option<Cell> = None;
    let mut in_paragraph = false;
    loop {
        let event = reader.read_event()?;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                match local(e).as_str() {
                    "style" => style = attr(e, "style:name"),
                    "table-properties" if attr(e, "table:display").as_deref() == Some("false") => {
                        hidden_styles.extend(style.clone());
                    }
                    "table" => {
                        let name = attr(e, "table:name").unwrap_or_else(|| "Sheet".into());
                        let mut b = GridBuilder::new(Grid::new(name), limits, path);
                        b.grid.hidden =
                            attr(e, "table:style-name").is_some_and(|s| hidden_styles.contains(&s));
                        sheet = Some(b);
                        row = 1;
                        table_col = 0;
                        if empty {
                            grids.extend(sheet.take().map(GridBuilder::finish));
                        }
                    }
                    "table-column" => {
                        let repeat = repeat_of(e, "table:number-columns-repeated");
                        if let Some(b) = sheet.as_mut() {
                            if attr(e, "table:visibility").is_some_and(|v| v != "visible") {
                                let last = table_col.saturating_add(repeat - 1).min(MAX_COL);
                                b.grid.hidden_cols.push((table_col, last));
                            }
                        }
                        table_col = table_col.saturating_add(repeat).min(MAX_COL);
                    }
                    "table-row" => {
                        row_repeat = repeat_of(e, "table:number-rows-repeated");
                        col = 0;
                        row_cells.clear();
                        if let Some(b) = sheet.as_mut() {
                            if attr(e, "table:visibility").is_some_and(|v| v != "visible") {
                                let last = row.saturating_add(row_repeat.min(100) - 1);
                                b.grid.hidden_rows.extend(row..=last);
                            }
                        }
                        if empty {
                            row = row.saturating_add(row_repeat).min(MAX_ROW + 1);
                        }
                    }
                    "table-cell" | "covered-table-cell" => {
                        let c = Cell {
                            repeat: repeat_of(e, "table:number-columns-repeated"),
                            span: (
                                repeat_of(e, "table:number-rows-spanned"),
                                repeat_of(e, "table:number-columns-spanned"),
                            ),
                            value: [
                                "office:value",
                                "office:date-value",
                                "office:time-value",
                                "office:boolean-value",
                            ]
                            .iter()
                            .find_map(|a| attr(e, a)),
                            ..Cell::default()
                        };
                        if empty {
                            end_cell(c, &mut sheet, row, &mut col, &mut row_cells);
                        } else {
                            cell = Some(c);
                        }
                    }
                    "p" if cell.is_some() => {
                        if let Some(c) = cell.as_mut() {
                            if c.paragraphs > 0 {
                                c.text.push('\n');
                            }
                            c.paragraphs += 1;
                        }
                        in_paragraph = !empty;
                    }
                    "s" if in_paragraph => {
                        let n = repeat_of(e, "text:c").min(1_000);
                        if let Some(c) = cell.as_mut() {
                            c.text.extend(std::iter::repeat_n(' ', n as usize));
                        }
                    }
                    "tab" if in_paragraph => {
                        if let Some(c) = cell.as_mut() {
                            c.text.push('\t');
                        }
                    }
                    "line-break" if in_paragraph => {
                        if let Some(c) = cell.as_mut() {
                            c.text.push('\n');
                        }
                    }
                    _ => {}
                }
            }
            Event::Text(ref t) if in_paragraph => {
                if let Some(c) = cell.as_mut() {
                    c.text.push_str(t);
                }
            }
            Event::GeneralRef(ref r) if in_paragraph => {
                if let Some(c) = cell.as_mut() {
                    push_ref(&mut c.text, r);
                }
            }
            Event::End(ref e) => {
                let n = e.name();
                let full: &str = n.as_ref();
                match full.rsplit(':').next().unwrap_or(full) {
                    "p" => in_paragraph = false,
                    "table-cell" | "covered-table-cell" => {
                        if let Some(c) = cell.take() {
                            end_cell(c, &mut sheet, row, &mut col, &mut row_cells);
                        }
                    }
                    "table-row" => {
                        end_row(&mut sheet, row, row_repeat, &row_cells)?;
                        row = row.saturating_add(row_repeat).min(MAX_ROW + 1);
                    }
                    "table" => grids.extend(sheet.take().map(GridBuilder::finish)),
                    "style" => style = None,
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(grids)
}

/// `table:number-...-repeated` (at least 1).
fn repeat_of(e: &BytesStart, name: &str) -> u32 {
    attr(e, name)
        .and_then(|v| v.trim().parse::<u32>().ok())
        .unwrap_or(1)
        .max(1)
}

/// Records a finished cell on the current row and moves the cursor.
fn end_cell(
    c: Cell,
    sheet: &mut Option<GridBuilder>,
    row: u32,
    col: &mut u32,
    row_cells: &mut Vec<(u32, String)>,
) {
    let text = if c.text.is_empty() {
        c.value.unwrap_or_default()
    } else {
        c.text
    };
    if let Some(b) = sheet.as_mut() {
        if c.span.0 > 1 || c.span.1 > 1 {
            b.grid.merges.push(CellRange {
                r1: row,
                c1: *col,
                r2: row.saturating_add(c.span.0 - 1),
                c2: col.saturating_add(c.span.1 - 1),
            });
        }
    }
    if !text.is_empty() {
        // Repeated content is real content: the column cap bounds it.
        for k in 0..c.repeat.min(MAX_COL) {
            row_cells.push((col.saturating_add(k), text.clone()));
        }
    }
    *col = col.saturating_add(c.repeat).min(MAX_COL);
}

/// Adds a finished row (and its repeats, which the row cap bounds).
fn end_row(
    sheet: &mut Option<GridBuilder>,
    row: u32,
    repeat: u32,
    cells: &[(u32, String)],
) -> Result<()> {
    let Some(b) = sheet.as_mut() else {
        return Ok(());
    };
    if cells.is_empty() {
        return Ok(());
    }
    for k in 0..repeat {
        let r = row.saturating_add(k);
        if r > MAX_ROW {
            break;
        }
        for (c, text) in cells {
            if *c < MAX_COL {
                b.add(r, *c, text.clone())?;
            }
        }
    }
    Ok(())
}
