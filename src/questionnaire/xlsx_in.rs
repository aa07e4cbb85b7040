//! Reading workbooks. Cell values (cached values of formula cells included)
//! come from calamine for every format; for XLSX/XLSM the worksheet XML is
//! also scanned for what calamine does not expose: hidden rows and columns,
//! zero-width columns, merged ranges, list data validations (classic and
//! x14) and sheet protection.

use std::collections::HashMap;
use std::io::Cursor;
use std::path::Path;
use std::sync::Arc;

use anyhow::{anyhow, Context, Result};
use calamine::{Data, Reader, SheetVisible};
use quick_xml::events::Event;

use super::limits::{GridBuilder, Limits};
use super::ooxml::{read_locked_styles, read_workbook, WorkbookInfo};
use super::sheet::{parse_cell_ref, parse_range, CellRange, Grid, Locks};
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
pub fn read_workbook_bytes(
    path: &Path,
    bytes: &[u8],
    format: Format,
    limits: &Limits,
) -> Result<Workbook> {
    // calamine may panic on malformed files (an assertion in its XLS
    // reader): that is bad input, reported as such.
    let mut grids = crate::contain::contained(|| read_values(path, bytes, format, limits))
        .map_err(|e| {
            anyhow::anyhow!(
                "{}: cannot read the workbook: it is malformed (the {} reader failed: {e})",
                path.display(),
                format.name()
            )
        })??;
    let mut package = None;
    if matches!(format, Format::Xlsx | Format::Xlsm) {
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
            .with_context(|| format!("{}: corrupt zip archive", path.display()))?;
        let info = read_workbook(&mut zip).with_context(|| format!("{}", path.display()))?;
        let mut locked_styles: Option<Arc<Vec<bool>>> = None;
        let mut raw_dvs: Vec<Vec<RawValidation>> = Vec::new();
        for grid in &mut grids {
            let entry = info.sheets.iter().find(|s| s.name == grid.name);
            let mut dvs = Vec::new();
            if let Some(entry) = entry {
                grid.hidden = entry.hidden;
                let xml = read_entry_from(&mut zip, &entry.path)
                    .with_context(|| format!("{}", path.display()))?;
                if let Some(xml) = xml {
                    let protected = contains(&xml, b"sheetProtection");
                    dvs = scan_sheet_meta(&xml, grid, protected).with_context(|| {
                        format!(
                            "{}: sheet '{}': invalid worksheet XML",
                            path.display(),
                            grid.name
                        )
                    })?;
                    if grid.protected {
                        if locked_styles.is_none() {
                            let styles = read_styles(&mut zip, &info)
                                .with_context(|| format!("{}", path.display()))?;
                            locked_styles = Some(Arc::new(styles));
                        }
                        if let (Some(locks), Some(styles)) = (&mut grid.locks, &locked_styles) {
                            locks.locked_styles = styles.clone();
                        }
                    } else {
                        grid.locks = None;
                    }
                }
            }
            raw_dvs.push(dvs);
        }
        resolve_validations(&mut grids, raw_dvs, &info.defined_names);
        package = Some(info);
    }
    Ok(Workbook { grids, package })
}

/// Which cell styles are locked, from the workbook's styles part.
fn read_styles<R: std::io::Read + std::io::Seek>(
    zip: &mut zip::ZipArchive<R>,
    info: &WorkbookInfo,
) -> Result<Vec<bool>> {
    let Some(path) = &info.styles_path else {
        return Ok(Vec::new());
    };
    match read_entry_from(zip, path)? {
        Some(xml) => read_locked_styles(&xml),
        None => Ok(Vec::new()),
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Reads every worksheet of a calamine XLSX or XLSB `book` cell by cell.
/// A macro because the two cell readers share no trait.
macro_rules! read_cells {
    ($book:ident, $path:ident, $limits:ident) => {{
        let metas = sheet_metas(&$book);
        let mut grids = Vec::new();
        for (sheet, hidden) in metas {
            let mut b = GridBuilder::new(Grid::new(sheet.clone()), $limits, $path);
            b.grid.hidden = hidden;
            let cannot = || format!("{}: cannot read sheet '{sheet}'", $path.display());
            let mut cells = $book
                .worksheet_cells_reader(&sheet)
                .map_err(|e| calamine_error($path, e.into()))
                .with_context(cannot)?;
            while let Some(cell) = cells
                .next_cell()
                .map_err(|e| calamine_error($path, e.into()))
                .with_context(cannot)?
            {
                let (r, c) = cell.get_position();
                b.add(r + 1, c, data_ref_to_string(cell.get_value()))?;
            }
            grids.push(b.finish());
        }
        Ok(grids)
    }};
}

/// Cell values of every worksheet. XLSX and XLSB are read cell by cell
/// through calamine, ODS by [`super::ods_in`] (both sparse); XLS comes as a
/// calamine range, whose size the format bounds (65,536 x 256).
fn read_values(path: &Path, bytes: &[u8], format: Format, limits: &Limits) -> Result<Vec<Grid>> {
    let name = path.display();
    match format {
        Format::Xlsx | Format::Xlsm => {
            let mut book = calamine::Xlsx::new(Cursor::new(bytes))
                .map_err(|e| calamine_error(path, e.into()))?;
            read_cells!(book, path, limits)
        }
        Format::Xlsb => {
            let mut book = calamine::Xlsb::new(Cursor::new(bytes))
                .map_err(|e| calamine_error(path, e.into()))?;
            read_cells!(book, path, limits)
        }
        Format::Xls => {
            let book = calamine::Xls::new(Cursor::new(bytes))
                .map_err(|e| calamine_error(path, e.into()))?;
            read_ranges(path, calamine::Sheets::Xls(book), limits)
        }
        Format::Ods => super::ods_in::read_ods(path, bytes, limits),
        Format::Csv | Format::VsaqJson => Err(anyhow!("{name}: not a workbook")),
    }
}

/// (name, hidden) of each worksheet (chart sheets are left out).
fn sheet_metas<RS, R: Reader<RS>>(book: &R) -> Vec<(String, bool)>
where
    RS: std::io::Read + std::io::Seek,
{
    book.sheets_metadata()
        .iter()
        .filter(|s| s.typ == calamine::SheetType::WorkSheet)
        .map(|s| (s.name.clone(), s.visible != SheetVisible::Visible))
        .collect()
}

fn read_ranges<RS>(
    path: &Path,
    mut book: calamine::Sheets<RS>,
    limits: &Limits,
) -> Result<Vec<Grid>>
where
    RS: std::io::Read + std::io::Seek,
{
    let name = path.display();
    let metas = sheet_metas(&book);
    let mut grids = Vec::new();
    for (sheet, hidden) in metas {
        let range = book
            .worksheet_range(&sheet)
            .map_err(|e| calamine_error(path, e))
            .with_context(|| format!("{name}: cannot read sheet '{sheet}'"))?;
        let mut b = GridBuilder::new(Grid::new(sheet), limits, path);
        b.grid.hidden = hidden;
        if let Some((r0, c0)) = range.start() {
            for (r, c, value) in range.used_cells() {
                b.add(r0 + r as u32 + 1, c0 + c as u32, data_to_string(value))?;
            }
        }
        grids.push(b.finish());
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

/// The text of a streamed cell (see [`data_to_string`]).
fn data_ref_to_string(value: &calamine::DataRef) -> String {
    match value {
        calamine::DataRef::String(s) => s.clone(),
        calamine::DataRef::SharedString(s) => (*s).to_owned(),
        other => data_to_string(&Data::from(other.clone())),
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

/// Scans a worksheet XML for hidden rows/columns, merged ranges, protection,
/// list validations, formula cells (and the sheets they read from) and, on
/// a protected sheet (`collect_styles`), the style of every cell.
fn scan_sheet_meta(
    xml: &[u8],
    grid: &mut Grid,
    collect_styles: bool,
) -> Result<Vec<RawValidation>> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut dvs: Vec<RawValidation> = Vec::new();
    let mut current: Option<RawValidation> = None;
    // Which text we are collecting inside a validation: formula1 or sqref.
    let mut collecting: Option<&'static str> = None;
    let mut next_row: u32 = 1;
    let mut next_col: u32 = 0;
    let mut current_cell: (u32, u32) = (0, 0);
    let mut formulas = FormulaRefs::default();
    // The formula being read: its text and, for a shared master, its index.
    let mut formula: Option<(String, Option<String>)> = None;
    let mut locks = Locks::default();
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
                        if collect_styles && is_true(attr(e, "customFormat")) {
                            if let Some(s) = attr(e, "s").and_then(|v| v.parse().ok()) {
                                locks.row_styles.insert(r, s);
                            }
                        }
                    }
                    "c" => {
                        let col = attr(e, "r")
                            .and_then(|r| parse_cell_ref(&r))
                            .map(|(_, c)| c)
                            .unwrap_or(next_col);
                        next_col = col + 1;
                        current_cell = (next_row - 1, col);
                        if collect_styles {
                            let style = attr(e, "s").and_then(|s| s.parse().ok()).unwrap_or(0);
                            locks.cell_styles.insert(current_cell, style);
                        }
                    }
                    "f" if current.is_none() => {
                        grid.formula_cells.insert(current_cell);
                        let shared = attr(e, "t").as_deref() == Some("shared");
                        let si = attr(e, "si").filter(|_| shared);
                        if is_empty {
                            // A follower of a shared formula reads what its master reads.
                            if let Some(set) = si.and_then(|si| formulas.shared.get(&si).copied()) {
                                grid.formula_refs.insert(current_cell, set);
                            }
                        } else {
                            formula = Some((String::new(), si));
                        }
                    }
                    "col" => scan_col(e, grid, collect_styles.then_some(&mut locks)),
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
                if let Some((text, _)) = formula.as_mut() {
                    text.push_str(t);
                } else if let (Some(what), Some(dv)) = (collecting, current.as_mut()) {
                    push_field(dv, what, t);
                }
            }
            Event::GeneralRef(ref r) => {
                if let Some((text, _)) = formula.as_mut() {
                    push_ref(text, r);
                } else if let (Some(what), Some(dv)) = (collecting, current.as_mut()) {
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
                    "f" if formula.is_some() => {
                        if let Some((text, si)) = formula.take() {
                            formulas.record(grid, current_cell, &text, si);
                        }
                    }
                    "formula1" | "f" | "sqref" => collecting = None,
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    grid.locks = collect_styles.then_some(locks);
    Ok(dvs)
}

/// Interned sets of the sheets formulas read from.
#[derive(Default)]
struct FormulaRefs {
    /// Sorted sheet names -> index into `grid.formula_sources`.
    sets: HashMap<Vec<String>, u32>,
    /// Shared formula index (`si`) -> its master's set.
    shared: HashMap<String, u32>,
}

impl FormulaRefs {
    fn record(&mut self, grid: &mut Grid, cell: (u32, u32), text: &str, si: Option<String>) {
        let sheets = referenced_sheets(text);
        if sheets.is_empty() {
            return;
        }
        let next = grid.formula_sources.len() as u32;
        let index = *self.sets.entry(sheets.clone()).or_insert_with(|| {
            grid.formula_sources.push(sheets);
            next
        });
        grid.formula_refs.insert(cell, index);
        if let Some(si) = si {
            self.shared.insert(si, index);
        }
    }
}

/// The sheet names (lower-cased, sorted) a formula refers to:
/// `'START HERE'!$A$13`, `Questions!B3`, `VLOOKUP(A1,'It''s'!A:B,2,0)`.
pub fn referenced_sheets(formula: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let chars: Vec<char> = formula.chars().collect();
    let mut i = 0;
    let mut in_string = false;
    while i < chars.len() {
        let c = chars[i];
        if c == '"' {
            in_string = !in_string;
            i += 1;
            continue;
        }
        if in_string {
            i += 1;
            continue;
        }
        if c == '\'' {
            // A quoted sheet name: up to the closing quote ('' escapes a quote).
            let mut name = String::new();
            let mut j = i + 1;
            while j < chars.len() {
                if chars[j] == '\'' {
                    if chars.get(j + 1) == Some(&'\'') {
                        name.push('\'');
                        j += 2;
                        continue;
                    }
                    break;
                }
                name.push(chars[j]);
                j += 1;
            }
            if chars.get(j + 1) == Some(&'!') {
                out.push(name.to_lowercase());
            }
            i = j + 1;
            continue;
        }
        if c == '!' {
            // An unquoted name: the identifier characters before the `!`.
            let mut j = i;
            while j > 0 && (chars[j - 1].is_alphanumeric() || matches!(chars[j - 1], '_' | '.')) {
                j -= 1;
            }
            if j < i {
                out.push(chars[j..i].iter().collect::<String>().to_lowercase());
            }
        }
        i += 1;
    }
    out.sort();
    out.dedup();
    out
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

fn scan_col(e: &quick_xml::events::BytesStart, grid: &mut Grid, locks: Option<&mut Locks>) {
    let min: u32 = attr(e, "min").and_then(|v| v.parse().ok()).unwrap_or(0);
    let max: u32 = attr(e, "max").and_then(|v| v.parse().ok()).unwrap_or(min);
    if min == 0 || max < min {
        return;
    }
    let zero_width = attr(e, "width")
        .and_then(|w| w.parse::<f64>().ok())
        .is_some_and(|w| w <= 0.01)
        && is_true(attr(e, "customWidth"));
    if is_true(attr(e, "hidden")) || zero_width {
        grid.hidden_cols.push((min - 1, max - 1));
    }
    if let Some(locks) = locks {
        if let Some(style) = attr(e, "style").and_then(|s| s.parse().ok()) {
            locks.col_styles.push((min - 1, max - 1, style));
        }
    }
}

fn is_true(v: Option<String>) -> bool {
    matches!(v.as_deref(), Some("1") | Some("true"))
}

/// The most values a dropdown list is read with (a list range such as
/// `$A$1:$XFD$1048576` must not be walked cell by cell).
const MAX_LIST_VALUES: usize = 1_000;

/// The list values of a range on a grid (row by row), visiting only the
/// cells that exist.
pub fn range_values(grid: &Grid, range: &CellRange) -> Vec<String> {
    let mut out = Vec::new();
    for r in grid.rows_between(range.r1, range.r2) {
        for (c, v) in grid.row_cells(r) {
            if *c < range.c1 || *c > range.c2 {
                continue;
            }
            let v = v.trim();
            if !v.is_empty() {
                out.push(v.to_owned());
                if out.len() >= MAX_LIST_VALUES {
                    return out;
                }
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
