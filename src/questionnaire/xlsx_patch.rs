//! Writing answers into an XLSX/XLSM in place.
//!
//! Only the targeted `<c>` elements of the changed worksheets are replaced
//! or inserted (byte-level splicing at positions found with quick-xml); all
//! other bytes of the worksheet stay as they were, and every other zip entry
//! is copied raw (still compressed), so styles, validations (all forms),
//! merged cells, comments, defined names, hidden state, widths, protection,
//! formulas and calcChain are untouched. Strings are written as inline
//! strings, so sharedStrings.xml is untouched too. Each cell keeps its style.
//!
//! On a protected sheet only unlocked cells are written; a locked answer
//! cell is an error.

use std::collections::{BTreeMap, HashMap};
use std::io::{Cursor, Write};

use anyhow::{anyhow, bail, Context, Result};
use quick_xml::events::{BytesStart, Event};

use super::ooxml::{read_locked_styles, WorkbookInfo};
use super::sheet::{cell_name, col_letter, parse_cell_ref, Grid};
use super::xml::{attr, escape_text, local, qname, read_entry};
use super::{CellEdit, SkippedCell, WriteSummary};

/// Returns the patched workbook bytes.
pub fn patch(
    bytes: &[u8],
    grids: &[Grid],
    package: &WorkbookInfo,
    edits: &[CellEdit],
    summary: &mut WriteSummary,
) -> Result<Vec<u8>> {
    let mut by_sheet: BTreeMap<usize, Vec<&CellEdit>> = BTreeMap::new();
    for e in edits {
        by_sheet.entry(e.grid).or_default().push(e);
    }
    let mut locked: Option<Vec<bool>> = None;
    let mut changed: HashMap<String, Vec<u8>> = HashMap::new();
    for (g, sheet_edits) in by_sheet {
        let grid = &grids[g];
        let entry = package
            .sheets
            .iter()
            .find(|s| s.name == grid.name)
            .ok_or_else(|| anyhow!("sheet '{}' has no worksheet part", grid.name))?;
        let xml = read_entry(bytes, &entry.path)?
            .ok_or_else(|| anyhow!("the archive has no {}", entry.path))?;
        if grid.protected && locked.is_none() {
            locked = Some(match &package.styles_path {
                Some(p) => match read_entry(bytes, p)? {
                    Some(styles) => read_locked_styles(&styles)?,
                    None => Vec::new(),
                },
                None => Vec::new(),
            });
        }
        let protection = Protection {
            protected: grid.protected,
            locked: locked.as_deref().unwrap_or(&[]),
        };
        let (patched, refused) = patch_sheet(&xml, &sheet_edits, &protection)
            .with_context(|| format!("sheet '{}'", grid.name))?;
        for (row, col, reason) in refused {
            summary.skipped.push(SkippedCell {
                sheet: grid.name.clone(),
                row,
                column: col_letter(col),
                reason,
            });
        }
        if patched != xml {
            changed.insert(entry.path.clone(), patched);
        }
    }
    rebuild_zip(bytes, &changed)
}

struct Protection<'a> {
    protected: bool,
    locked: &'a [bool],
}

impl Protection<'_> {
    fn is_locked(&self, style: u32) -> bool {
        self.protected && self.locked.get(style as usize).copied().unwrap_or(true)
    }
}

/// Copies every entry raw except the changed ones, in the original order.
fn rebuild_zip(bytes: &[u8], changed: &HashMap<String, Vec<u8>>) -> Result<Vec<u8>> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).context("corrupt zip archive")?;
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::with_capacity(bytes.len() + 4096)));
    for i in 0..archive.len() {
        let file = archive.by_index_raw(i).context("corrupt zip archive")?;
        let name = file.name().context("corrupt zip entry name")?.into_owned();
        match changed.get(&name) {
            Some(new_bytes) => {
                let options = file.options();
                drop(file);
                writer.start_file(name.as_str(), options)?;
                writer.write_all(new_bytes)?;
            }
            None => writer.raw_copy_file(file)?,
        }
    }
    Ok(writer.finish()?.into_inner())
}

#[derive(Debug)]
struct CellPos {
    col: u32,
    start: usize,
    end: usize,
    style: u32,
    has_formula: bool,
}

#[derive(Debug)]
struct RowPos {
    r: u32,
    start: usize,
    /// Just after the start tag's `>`.
    tag_end: usize,
    /// Start of `</row>` (== end for `<row/>`).
    close_start: usize,
    end: usize,
    empty: bool,
    spans: Option<(u32, u32)>,
    style: Option<u32>,
    cells: Vec<CellPos>,
}

#[derive(Debug, Default)]
struct SheetPos {
    /// Element-name prefix of the main namespace (`x:`), usually empty.
    prefix: String,
    /// (after `<sheetData>`, start of `</sheetData>`) or the span of `<sheetData/>`.
    data_open_end: usize,
    data_close_start: usize,
    data_empty: Option<(usize, usize)>,
    rows: Vec<RowPos>,
    /// `<col min max style>` default styles, 0-based columns.
    col_styles: Vec<(u32, u32, u32)>,
}

/// Finds the byte positions of rows (and, for the rows in `wanted`, their
/// cells) inside `<sheetData>`.
fn scan(xml: &[u8], wanted: &BTreeMap<u32, Vec<&CellEdit>>) -> Result<SheetPos> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut pos = SheetPos::default();
    let mut next_row = 1u32;
    let mut next_col = 0u32;
    let mut in_data = false;
    let mut current_row: Option<RowPos> = None;
    let mut current_cell: Option<CellPos> = None;
    loop {
        let before = reader.buffer_position() as usize;
        let event = reader.read_event().context("invalid worksheet XML")?;
        let after = reader.buffer_position() as usize;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                match local(e).as_str() {
                    "sheetData" => {
                        let q = qname(e);
                        pos.prefix = q[..q.len() - "sheetData".len()].to_owned();
                        if empty {
                            pos.data_empty = Some((before, after));
                        } else {
                            in_data = true;
                            pos.data_open_end = after;
                        }
                    }
                    "col" => {
                        if let Some(style) = attr(e, "style").and_then(|s| s.parse().ok()) {
                            let min: u32 = attr(e, "min").and_then(|v| v.parse().ok()).unwrap_or(1);
                            let max: u32 =
                                attr(e, "max").and_then(|v| v.parse().ok()).unwrap_or(min);
                            pos.col_styles.push((min.max(1) - 1, max.max(1) - 1, style));
                        }
                    }
                    "row" if in_data => {
                        let row = row_pos(e, before, after, empty, next_row);
                        next_row = row.r + 1;
                        next_col = 0;
                        if empty {
                            pos.rows.push(row);
                        } else {
                            current_row = Some(row);
                        }
                    }
                    "c" if in_data && current_row.is_some() => {
                        let col = attr(e, "r")
                            .and_then(|r| parse_cell_ref(&r))
                            .map(|(_, c)| c)
                            .unwrap_or(next_col);
                        next_col = col + 1;
                        let wanted_row = current_row
                            .as_ref()
                            .is_some_and(|r| wanted.contains_key(&r.r));
                        if wanted_row {
                            let cell = CellPos {
                                col,
                                start: before,
                                end: after,
                                style: attr(e, "s").and_then(|s| s.parse().ok()).unwrap_or(0),
                                has_formula: false,
                            };
                            if empty {
                                if let Some(row) = current_row.as_mut() {
                                    row.cells.push(cell);
                                }
                            } else {
                                current_cell = Some(cell);
                            }
                        }
                    }
                    "f" => {
                        if let Some(cell) = current_cell.as_mut() {
                            cell.has_formula = true;
                        }
                    }
                    _ => {}
                }
            }
            Event::End(ref e) => {
                let n = e.name();
                let name: &str = n.as_ref();
                let local_name = name.rsplit(':').next().unwrap_or(name);
                match local_name {
                    "c" => {
                        if let (Some(mut cell), Some(row)) =
                            (current_cell.take(), current_row.as_mut())
                        {
                            cell.end = after;
                            row.cells.push(cell);
                        }
                    }
                    "row" => {
                        if let Some(mut row) = current_row.take() {
                            row.close_start = before;
                            row.end = after;
                            pos.rows.push(row);
                        }
                    }
                    "sheetData" => {
                        in_data = false;
                        pos.data_close_start = before;
                    }
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if pos.data_empty.is_none() && pos.data_open_end == 0 {
        bail!("the worksheet has no <sheetData>");
    }
    Ok(pos)
}

fn row_pos(e: &BytesStart, before: usize, after: usize, empty: bool, next_row: u32) -> RowPos {
    let r = attr(e, "r")
        .and_then(|v| v.parse().ok())
        .unwrap_or(next_row);
    let spans = attr(e, "spans").and_then(|s| {
        let (a, b) = s.split_once(':')?;
        Some((a.trim().parse().ok()?, b.trim().parse().ok()?))
    });
    let custom = matches!(attr(e, "customFormat").as_deref(), Some("1" | "true"));
    let style = if custom {
        attr(e, "s").and_then(|s| s.parse().ok())
    } else {
        None
    };
    RowPos {
        r,
        start: before,
        tag_end: after,
        close_start: after,
        end: after,
        empty,
        spans,
        style,
        cells: Vec::new(),
    }
}

/// One byte splice: replace `start..end` with `bytes` (an insertion when
/// `start == end`).
struct Splice {
    start: usize,
    end: usize,
    bytes: Vec<u8>,
}

type Refused = (u32, u32, String);

fn patch_sheet(
    xml: &[u8],
    edits: &[&CellEdit],
    prot: &Protection,
) -> Result<(Vec<u8>, Vec<Refused>)> {
    let mut by_row: BTreeMap<u32, Vec<&CellEdit>> = BTreeMap::new();
    for e in edits {
        by_row.entry(e.row).or_default().push(e);
    }
    for list in by_row.values_mut() {
        list.sort_by_key(|e| e.col);
        list.dedup_by_key(|e| e.col);
    }
    let pos = scan(xml, &by_row)?;
    let row_index: HashMap<u32, usize> =
        pos.rows.iter().enumerate().map(|(i, r)| (r.r, i)).collect();
    let mut splices: Vec<Splice> = Vec::new();
    let mut refused: Vec<Refused> = Vec::new();
    let mut new_rows_for_empty_data: Vec<u8> = Vec::new();
    for (&r, row_edits) in &by_row {
        match row_index.get(&r) {
            Some(&i) => patch_row(
                &pos,
                &pos.rows[i],
                xml,
                row_edits,
                prot,
                &mut splices,
                &mut refused,
            )?,
            None => {
                let cells = new_cells(&pos, None, r, row_edits, prot, &mut refused)?;
                if cells.is_empty() {
                    continue;
                }
                let p = &pos.prefix;
                let mut bytes = format!("<{p}row r=\"{r}\">").into_bytes();
                bytes.extend_from_slice(&cells);
                bytes.extend_from_slice(format!("</{p}row>").as_bytes());
                if pos.data_empty.is_some() {
                    new_rows_for_empty_data.extend_from_slice(&bytes);
                } else {
                    let at = pos
                        .rows
                        .iter()
                        .find(|row| row.r > r)
                        .map_or(pos.data_close_start, |row| row.start);
                    splices.push(Splice {
                        start: at,
                        end: at,
                        bytes,
                    });
                }
            }
        }
    }
    if let Some((start, end)) = pos.data_empty {
        if !new_rows_for_empty_data.is_empty() {
            let p = &pos.prefix;
            let mut bytes = format!("<{p}sheetData>").into_bytes();
            bytes.extend_from_slice(&new_rows_for_empty_data);
            bytes.extend_from_slice(format!("</{p}sheetData>").as_bytes());
            splices.push(Splice { start, end, bytes });
        }
    }
    Ok((apply(xml, splices), refused))
}

fn patch_row(
    pos: &SheetPos,
    row: &RowPos,
    xml: &[u8],
    edits: &[&CellEdit],
    prot: &Protection,
    splices: &mut Vec<Splice>,
    refused: &mut Vec<Refused>,
) -> Result<()> {
    if row.empty {
        let cells = new_cells(pos, Some(row), row.r, edits, prot, refused)?;
        if cells.is_empty() {
            return Ok(());
        }
        let tag = &xml[row.start..row.end];
        let tag = std::str::from_utf8(tag).context("invalid UTF-8 in a row")?;
        let open = tag.trim_end_matches('>').trim_end().trim_end_matches('/');
        let open = widen_spans(open, row.spans, edits);
        let p = &pos.prefix;
        let mut bytes = format!("{open}>").into_bytes();
        bytes.extend_from_slice(&cells);
        bytes.extend_from_slice(format!("</{p}row>").as_bytes());
        splices.push(Splice {
            start: row.start,
            end: row.end,
            bytes,
        });
        return Ok(());
    }
    let mut any_new = false;
    for edit in edits {
        match row.cells.iter().find(|c| c.col == edit.col) {
            Some(cell) => {
                if cell.has_formula {
                    refused.push(refusal(edit, "the cell holds a formula"));
                    continue;
                }
                if !check_locked(edit, cell.style, prot, refused)? {
                    continue;
                }
                splices.push(Splice {
                    start: cell.start,
                    end: cell.end,
                    bytes: cell_xml(&pos.prefix, edit, cell.style),
                });
            }
            None => {
                let style = default_style(pos, Some(row), edit.col);
                if !check_locked(edit, style, prot, refused)? {
                    continue;
                }
                let at = row
                    .cells
                    .iter()
                    .find(|c| c.col > edit.col)
                    .map_or(row.close_start, |c| c.start);
                splices.push(Splice {
                    start: at,
                    end: at,
                    bytes: cell_xml(&pos.prefix, edit, style),
                });
                any_new = true;
            }
        }
    }
    if any_new {
        let tag =
            std::str::from_utf8(&xml[row.start..row.tag_end]).context("invalid UTF-8 in a row")?;
        let widened = widen_spans(tag, row.spans, edits);
        if widened != tag {
            splices.push(Splice {
                start: row.start,
                end: row.tag_end,
                bytes: widened.into_bytes(),
            });
        }
    }
    Ok(())
}

/// The cells for a row that has none yet.
fn new_cells(
    pos: &SheetPos,
    row: Option<&RowPos>,
    r: u32,
    edits: &[&CellEdit],
    prot: &Protection,
    refused: &mut Vec<Refused>,
) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    for edit in edits {
        debug_assert_eq!(edit.row, r);
        let style = default_style(pos, row, edit.col);
        if check_locked(edit, style, prot, refused)? {
            out.extend_from_slice(&cell_xml(&pos.prefix, edit, style));
        }
    }
    Ok(out)
}

/// A new cell takes the row's style (custom row format) or the column's.
fn default_style(pos: &SheetPos, row: Option<&RowPos>, col: u32) -> u32 {
    row.and_then(|r| r.style)
        .or_else(|| {
            pos.col_styles
                .iter()
                .find(|&&(a, b, _)| col >= a && col <= b)
                .map(|&(_, _, s)| s)
        })
        .unwrap_or(0)
}

/// `Ok(true)` when the cell may be written; a locked answer cell on a
/// protected sheet is an error, a locked comment cell is skipped.
fn check_locked(
    edit: &CellEdit,
    style: u32,
    prot: &Protection,
    refused: &mut Vec<Refused>,
) -> Result<bool> {
    if !prot.is_locked(style) {
        return Ok(true);
    }
    if edit.is_answer {
        bail!(
            "the sheet is protected and answer cell {} is locked; ask for a copy with unlocked \
             answer cells or remove the sheet protection, then run again",
            cell_name(edit.row, edit.col)
        );
    }
    refused.push(refusal(edit, "locked cell on a protected sheet"));
    Ok(false)
}

fn refusal(edit: &CellEdit, why: &str) -> Refused {
    let what = if edit.is_answer { "answer" } else { "comment" };
    (edit.row, edit.col, format!("{what}: {why}"))
}

/// `<c r="D7" s="8" t="inlineStr"><is><t>Yes</t></is></c>`
fn cell_xml(prefix: &str, edit: &CellEdit, style: u32) -> Vec<u8> {
    let p = prefix;
    let r = cell_name(edit.row, edit.col);
    let s = if style != 0 {
        format!(" s=\"{style}\"")
    } else {
        String::new()
    };
    let v = &edit.value;
    let space = if v.starts_with(char::is_whitespace)
        || v.ends_with(char::is_whitespace)
        || v.contains('\n')
    {
        " xml:space=\"preserve\""
    } else {
        ""
    };
    format!(
        "<{p}c r=\"{r}\"{s} t=\"inlineStr\"><{p}is><{p}t{space}>{}</{p}t></{p}is></{p}c>",
        escape_text(v)
    )
    .into_bytes()
}

/// Widens a row's `spans="a:b"` hint when a new cell falls outside it.
fn widen_spans(tag: &str, spans: Option<(u32, u32)>, edits: &[&CellEdit]) -> String {
    let Some((a, b)) = spans else {
        return tag.to_owned();
    };
    let lo = edits.iter().map(|e| e.col + 1).min().unwrap_or(a).min(a);
    let hi = edits.iter().map(|e| e.col + 1).max().unwrap_or(b).max(b);
    if (lo, hi) == (a, b) {
        return tag.to_owned();
    }
    tag.replacen(
        &format!("spans=\"{a}:{b}\""),
        &format!("spans=\"{lo}:{hi}\""),
        1,
    )
}

fn apply(xml: &[u8], mut splices: Vec<Splice>) -> Vec<u8> {
    // Insertions before a replacement at the same position; otherwise keep
    // the order they were planned in (ascending rows and columns).
    splices.sort_by_key(|s| (s.start, s.end != s.start));
    let extra: usize = splices.iter().map(|s| s.bytes.len()).sum();
    let mut out = Vec::with_capacity(xml.len() + extra);
    let mut cursor = 0;
    for s in splices {
        if s.start < cursor {
            continue;
        }
        out.extend_from_slice(&xml[cursor..s.start]);
        out.extend_from_slice(&s.bytes);
        cursor = s.end;
    }
    out.extend_from_slice(&xml[cursor..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(row: u32, col: u32, value: &str, is_answer: bool) -> CellEdit {
        CellEdit {
            grid: 0,
            row,
            col,
            value: value.into(),
            is_answer,
        }
    }

    const SHEET: &str = r#"<worksheet xmlns="x"><cols><col min="4" max="4" style="3"/></cols><sheetData><row r="1" spans="1:2"><c r="A1" t="s"><v>0</v></c><c r="B1" s="2"/></row><row r="3"/><row r="5"><c r="A5"><f>1+1</f><v>2</v></c><c r="C5" s="1"/></row></sheetData></worksheet>"#;

    fn run(edits: &[CellEdit], prot: &Protection) -> Result<(String, Vec<Refused>)> {
        let refs: Vec<&CellEdit> = edits.iter().collect();
        let (out, refused) = patch_sheet(SHEET.as_bytes(), &refs, prot)?;
        Ok((String::from_utf8(out).unwrap(), refused))
    }

    const OPEN: Protection = Protection {
        protected: false,
        locked: &[],
    };

    #[test]
    fn replaces_inserts_and_creates() {
        let edits = [
            edit(1, 1, "Yes", true),
            edit(1, 3, "a & b", false),
            edit(2, 3, "No", true),
            edit(3, 0, "N/A", true),
            edit(5, 0, "x", true),
            edit(5, 1, "y", true),
            edit(9, 3, "z", true),
        ];
        let (out, refused) = run(&edits, &OPEN).unwrap();
        assert!(out.contains(r#"<row r="1" spans="1:4"><c r="A1" t="s"><v>0</v></c><c r="B1" s="2" t="inlineStr"><is><t>Yes</t></is></c><c r="D1" s="3" t="inlineStr"><is><t>a &amp; b</t></is></c></row>"#), "{out}");
        assert!(out.contains(r#"<row r="2"><c r="D2" s="3" t="inlineStr"><is><t>No</t></is></c></row><row r="3">"#), "{out}");
        assert!(
            out.contains(r#"<row r="3"><c r="A3" t="inlineStr"><is><t>N/A</t></is></c></row>"#),
            "{out}"
        );
        assert!(out.contains(r#"<c r="A5"><f>1+1</f><v>2</v></c><c r="B5" t="inlineStr"><is><t>y</t></is></c><c r="C5" s="1"/>"#), "{out}");
        assert!(out.contains(r#"</row><row r="9"><c r="D9" s="3" t="inlineStr"><is><t>z</t></is></c></row></sheetData>"#), "{out}");
        assert_eq!(refused.len(), 1);
        assert!(refused[0].2.contains("formula"));
    }

    #[test]
    fn protected_sheet() {
        let locked = [true, false, true, false];
        let prot = Protection {
            protected: true,
            locked: &locked,
        };
        // C5 has style 1 (unlocked): fine.
        assert!(run(&[edit(5, 2, "Yes", true)], &prot).is_ok());
        // B1 has style 2 (locked): an answer is an error, a comment is skipped.
        assert!(run(&[edit(1, 1, "Yes", true)], &prot).is_err());
        let (_, refused) = run(&[edit(1, 1, "note", false)], &prot).unwrap();
        assert_eq!(refused.len(), 1);
    }
}
