//! Reading workbooks. Cell values (cached values of formula cells included)
//! come from calamine for every format; for XLSX/XLSM the worksheet XML is
//! also scanned for what calamine does not expose: hidden rows and columns,
//! zero-width columns, merged ranges, list data validations (classic and
//! x14) and sheet protection.

use std::collections::HashMap;
use std::io::Cursor;
use std::path::Path;

use anyhow::{anyhow, Context, Result};
use calamine::{Data, Reader, SheetVisible};
use quick_xml::events::Event;

use super::ooxml::{read_workbook, WorkbookInfo};
use super::sheet::{parse_cell_ref, parse_range, CellRange, Grid};
use super::validation::{resolve_validations, RawValidation};
use super::xml::{attr, local, push_ref, qname, read_entry_from};
use super::Format;

/// Everything read from a workbook.
pub struct Workbook {
    pub grids: Vec<Grid>,
    /// Present for XLSX/XLSM: where the sheet XML lives.
    pub package: Option<WorkbookInfo>,
}

/// Reads all sheets of a workbook held in `bytes`.
pub fn read_workbook_bytes(path: &Path, bytes: &[u8], format: Format) -> Result<Workbook> {
    let mut grids = read_values(path, bytes, format)?;
    let mut package = None;
    if matches!(format, Format::Xlsx | Format::Xlsm) {
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
            .with_context(|| format!("{}: corrupt zip archive", path.display()))?;
        let info = read_workbook(&mut zip).with_context(|| format!("{}", path.display()))?;
        let mut raw_dvs: Vec<Vec<RawValidation>> = Vec::new();
        for grid in &mut grids {
            let entry = info.sheets.iter().find(|s| s.name == grid.name);
            let mut dvs = Vec::new();
            if let Some(entry) = entry {
                grid.hidden = entry.hidden;
                if let Some(xml) = read_entry_from(&mut zip, &entry.path)? {
                    dvs = scan_sheet_meta(&xml, grid).with_context(|| {
                        format!(
                            "{}: sheet '{}': invalid worksheet XML",
                            path.display(),
                            grid.name
                        )
                    })?;
                }
            }
            raw_dvs.push(dvs);
        }
        resolve_validations(&mut grids, raw_dvs, &info.defined_names);
        package = Some(info);
    }
    for g in &mut grids {
        g.trim();
    }
    Ok(Workbook { grids, package })
}

/// Cell values of every worksheet through calamine.
fn read_values(path: &Path, bytes: &[u8], format: Format) -> Result<Vec<Grid>> {
    let name = path.display();
    let mut book = match format {
        Format::Xlsx | Format::Xlsm => calamine::Sheets::Xlsx(
            calamine::Xlsx::new(Cursor::new(bytes)).map_err(|e| calamine_error(path, e.into()))?,
        ),
        Format::Xlsb => calamine::Sheets::Xlsb(
            calamine::Xlsb::new(Cursor::new(bytes)).map_err(|e| calamine_error(path, e.into()))?,
        ),
        Format::Xls => calamine::Sheets::Xls(
            calamine::Xls::new(Cursor::new(bytes)).map_err(|e| calamine_error(path, e.into()))?,
        ),
        Format::Ods => calamine::Sheets::Ods(
            calamine::Ods::new(Cursor::new(bytes)).map_err(|e| calamine_error(path, e.into()))?,
        ),
        Format::Csv | Format::VsaqJson => return Err(anyhow!("{name}: not a workbook")),
    };
    let metas: Vec<(String, bool, bool)> = book
        .sheets_metadata()
        .iter()
        .map(|s| {
            (
                s.name.clone(),
                s.visible != SheetVisible::Visible,
                s.typ == calamine::SheetType::WorkSheet,
            )
        })
        .collect();
    let mut grids = Vec::new();
    for (sheet, hidden, is_worksheet) in metas {
        if !is_worksheet {
            continue;
        }
        let range = book
            .worksheet_range(&sheet)
            .map_err(|e| calamine_error(path, e))
            .with_context(|| format!("{name}: cannot read sheet '{sheet}'"))?;
        let mut grid = Grid::new(sheet);
        grid.hidden = hidden;
        if let Some((r0, c0)) = range.start() {
            for (r, row) in range.rows().enumerate() {
                for (c, value) in row.iter().enumerate() {
                    let text = data_to_string(value);
                    if !text.is_empty() {
                        grid.set(r0 + r as u32 + 1, c0 + c as u32, text);
                    }
                }
            }
        }
        grids.push(grid);
    }
    Ok(grids)
}

fn calamine_error(path: &Path, e: calamine::Error) -> anyhow::Error {
    let name = path.display();
    let text = e.to_string();
    let lower = text.to_lowercase();
    if lower.contains("password") || lower.contains("encrypt") {
        anyhow!(
            "{name}: the workbook is password-protected; remove the password or save an \
             unprotected copy and run vouch on that copy"
        )
    } else {
        anyhow!("{name}: cannot read the workbook: {text}")
    }
}

/// The text of a cell as a user sees it (numbers without a trailing `.0`).
pub fn data_to_string(value: &Data) -> String {
    match value {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
        // A formula error (#N/A from a failed lookup) carries no text.
        Data::Error(_) => String::new(),
        other => other.to_string(),
    }
}

/// Scans a worksheet XML for hidden rows/columns, merged ranges, protection
/// and list validations. Cell contents are skipped.
fn scan_sheet_meta(xml: &[u8], grid: &mut Grid) -> Result<Vec<RawValidation>> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut dvs: Vec<RawValidation> = Vec::new();
    let mut current: Option<RawValidation> = None;
    // Which text we are collecting inside a validation: formula1 or sqref.
    let mut collecting: Option<&'static str> = None;
    let mut next_row: u32 = 1;
    let mut next_col: u32 = 0;
    let mut current_cell: (u32, u32) = (0, 0);
    loop {
        let event = reader.read_event()?;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let is_empty = matches!(event, Event::Empty(_));
                match local(e).as_str() {
                    "row" => {
                        let r = attr(e, "r")
                            .and_then(|v| v.parse().ok())
                            .unwrap_or(next_row);
                        next_row = r + 1;
                        next_col = 0;
                        if is_true(attr(e, "hidden")) {
                            grid.hidden_rows.insert(r);
                        }
                    }
                    "c" => {
                        let col = attr(e, "r")
                            .and_then(|r| parse_cell_ref(&r))
                            .map(|(_, c)| c)
                            .unwrap_or(next_col);
                        next_col = col + 1;
                        current_cell = (next_row - 1, col);
                    }
                    "f" if current.is_none() => {
                        grid.formula_cells.insert(current_cell);
                    }
                    "col" => scan_col(e, grid),
                    "mergeCell" => {
                        if let Some(r) = attr(e, "ref").as_deref().and_then(parse_range) {
                            grid.merges.push(r);
                        }
                    }
                    "sheetProtection" => {
                        grid.protected = is_true(attr(e, "sheet"));
                    }
                    "dataValidation" => {
                        let kind = attr(e, "type").unwrap_or_default();
                        let dv = RawValidation {
                            is_list: kind == "list",
                            sqref: attr(e, "sqref").unwrap_or_default(),
                            formula: String::new(),
                        };
                        if is_empty {
                            dvs.push(dv);
                        } else {
                            current = Some(dv);
                        }
                    }
                    "formula1" if current.is_some() && qname(e) == "formula1" => {
                        collecting = Some("formula")
                    }
                    "f" if current.is_some() && qname(e).starts_with("xm:") => {
                        collecting = Some("formula")
                    }
                    "sqref" if current.is_some() => collecting = Some("sqref"),
                    _ => {}
                }
            }
            Event::Text(ref t) => {
                if let (Some(what), Some(dv)) = (collecting, current.as_mut()) {
                    push_field(dv, what, t);
                }
            }
            Event::GeneralRef(ref r) => {
                if let (Some(what), Some(dv)) = (collecting, current.as_mut()) {
                    let mut s = String::new();
                    push_ref(&mut s, r);
                    push_field(dv, what, &s);
                }
            }
            Event::End(ref e) => {
                let n = e.name();
                let name: &str = n.as_ref();
                let local_name = name.rsplit(':').next().unwrap_or(name);
                match local_name {
                    "dataValidation" => {
                        if let Some(dv) = current.take() {
                            dvs.push(dv);
                        }
                        collecting = None;
                    }
                    "formula1" | "f" | "sqref" => collecting = None,
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(dvs)
}

fn push_field(dv: &mut RawValidation, what: &str, text: &str) {
    if what == "formula" {
        dv.formula.push_str(text);
    } else {
        if !dv.sqref.is_empty() && !dv.sqref.ends_with(' ') {
            dv.sqref.push(' ');
        }
        dv.sqref.push_str(text);
    }
}

fn scan_col(e: &quick_xml::events::BytesStart, grid: &mut Grid) {
    let min: u32 = attr(e, "min").and_then(|v| v.parse().ok()).unwrap_or(0);
    let max: u32 = attr(e, "max").and_then(|v| v.parse().ok()).unwrap_or(min);
    let zero_width = attr(e, "width")
        .and_then(|w| w.parse::<f64>().ok())
        .is_some_and(|w| w <= 0.01)
        && is_true(attr(e, "customWidth"));
    if (is_true(attr(e, "hidden")) || zero_width) && min >= 1 {
        // A hidden range reaching column XFD marks "everything to the right".
        for c in min..=max.min(min + 4096) {
            grid.hidden_cols.insert(c - 1);
        }
    }
}

fn is_true(v: Option<String>) -> bool {
    matches!(v.as_deref(), Some("1") | Some("true"))
}

/// The list values of a range on a grid (column-wise, then row-wise).
pub fn range_values(grid: &Grid, range: &CellRange) -> Vec<String> {
    let mut out = Vec::new();
    let r2 = range.r2.min(grid.height());
    for r in range.r1..=r2 {
        for c in range.c1..=range.c2 {
            let v = grid.cell(r, c).trim();
            if !v.is_empty() {
                out.push(v.to_owned());
            }
        }
    }
    out
}

/// Sheet name -> index, for resolving references.
pub fn sheet_index(grids: &[Grid]) -> HashMap<String, usize> {
    grids
        .iter()
        .enumerate()
        .map(|(i, g)| (g.name.to_lowercase(), i))
        .collect()
}
