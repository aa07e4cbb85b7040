//! A neutral grid model shared by every input format: the text of each cell,
//! plus what layout detection and the writers need to know about the sheet
//! (hidden rows/columns, merged ranges, list validations, protection).
//!
//! Rows are 1-based (as in a spreadsheet); columns are 0-based indexes
//! (`0` = column `A`).

use std::collections::{BTreeMap, HashMap, HashSet};

/// A rectangular range, inclusive, rows 1-based and columns 0-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CellRange {
    pub r1: u32,
    pub c1: u32,
    pub r2: u32,
    pub c2: u32,
}

impl CellRange {
    pub fn contains(&self, row: u32, col: u32) -> bool {
        row >= self.r1 && row <= self.r2 && col >= self.c1 && col <= self.c2
    }
}

/// A list data validation (a dropdown) with its values resolved.
#[derive(Debug, Clone, Default)]
pub struct ListValidation {
    pub ranges: Vec<CellRange>,
    /// The dropdown values, empty when the source could not be resolved.
    pub values: Vec<String>,
    /// The formula as written (`"Yes,No,NA"`, `Values!$A$4:$A$6`, `yesna`).
    pub source: String,
}

/// One sheet (or the one table of a CSV file), stored sparsely: only cells
/// holding text are kept, so a lone cell at `XFD1048576` costs one entry,
/// never a rectangle from `A1`.
#[derive(Debug, Clone, Default)]
pub struct Grid {
    pub name: String,
    pub hidden: bool,
    /// Rows holding at least one cell, sorted by row number.
    rows: Vec<GridRow>,
    /// 1-based rows hidden in the sheet.
    pub hidden_rows: HashSet<u32>,
    /// 0-based column intervals (inclusive) that are hidden or have zero width.
    pub hidden_cols: Vec<(u32, u32)>,
    pub merges: Vec<CellRange>,
    pub validations: Vec<ListValidation>,
    /// `<sheetProtection sheet="1">` is present.
    pub protected: bool,
    /// Cells holding a formula, (row, col). Only known for XLSX/XLSM.
    pub formula_cells: HashSet<(u32, u32)>,
    /// The other sheets a formula cell reads from: (row, col) -> an index
    /// into `formula_sources`.
    pub formula_refs: HashMap<(u32, u32), u32>,
    /// Distinct sets of sheet names read by formulas (lower-cased).
    pub formula_sources: Vec<Vec<String>>,
    /// Which cells are locked, known for protected XLSX sheets only.
    pub locks: Option<Locks>,
}

/// One row of a [`Grid`]: its cells sorted by column.
#[derive(Debug, Clone, Default)]
struct GridRow {
    r: u32,
    cells: Vec<(u32, String)>,
}

/// The style of each cell of a protected sheet and which styles are locked,
/// so that a locked answer cell is known before anything is written.
#[derive(Debug, Clone, Default)]
pub struct Locks {
    /// Style index of each `<c>` element, (row, col) -> style.
    pub cell_styles: HashMap<(u32, u32), u32>,
    /// Default style of rows with `customFormat`.
    pub row_styles: HashMap<u32, u32>,
    /// `<col min max style>`, 0-based inclusive.
    pub col_styles: Vec<(u32, u32, u32)>,
    /// For each style (`cellXfs` index): locked?
    pub locked_styles: std::sync::Arc<Vec<bool>>,
}

impl Locks {
    /// Whether the cell is locked (cells are locked unless their style says
    /// otherwise; an unknown style counts as locked).
    pub fn is_locked(&self, row: u32, col: u32) -> bool {
        let style = self
            .cell_styles
            .get(&(row, col))
            .copied()
            .or_else(|| self.row_styles.get(&row).copied())
            .or_else(|| {
                self.col_styles
                    .iter()
                    .find(|&&(a, b, _)| col >= a && col <= b)
                    .map(|&(_, _, s)| s)
            })
            .unwrap_or(0);
        self.locked_styles
            .get(style as usize)
            .copied()
            .unwrap_or(true)
    }
}

impl Grid {
    pub fn new(name: impl Into<String>) -> Self {
        Grid {
            name: name.into(),
            ..Grid::default()
        }
    }

    fn row_index(&self, row: u32) -> Result<usize, usize> {
        self.rows.binary_search_by_key(&row, |r| r.r)
    }

    /// The text of a cell, `""` when empty or out of range.
    pub fn cell(&self, row: u32, col: u32) -> &str {
        let Ok(i) = self.row_index(row) else {
            return "";
        };
        let cells = &self.rows[i].cells;
        match cells.binary_search_by_key(&col, |(c, _)| *c) {
            Ok(j) => &cells[j].1,
            Err(_) => "",
        }
    }

    /// Sets a cell; an empty value removes it. Appending in reading order
    /// (row by row, left to right) is the fast path.
    pub fn set(&mut self, row: u32, col: u32, value: String) {
        if row == 0 {
            return;
        }
        let i = match self.rows.last() {
            Some(last) if last.r == row => self.rows.len() - 1,
            Some(last) if last.r < row => {
                if value.is_empty() {
                    return;
                }
                self.rows.push(GridRow {
                    r: row,
                    cells: Vec::new(),
                });
                self.rows.len() - 1
            }
            None if value.is_empty() => return,
            None => {
                self.rows.push(GridRow {
                    r: row,
                    cells: Vec::new(),
                });
                0
            }
            Some(_) => match self.row_index(row) {
                Ok(i) => i,
                Err(_) if value.is_empty() => return,
                Err(i) => {
                    self.rows.insert(
                        i,
                        GridRow {
                            r: row,
                            cells: Vec::new(),
                        },
                    );
                    i
                }
            },
        };
        let cells = &mut self.rows[i].cells;
        let pos = match cells.last() {
            Some((c, _)) if *c < col => Err(cells.len()),
            _ => cells.binary_search_by_key(&col, |(c, _)| *c),
        };
        match (pos, value.is_empty()) {
            (Ok(j), true) => {
                cells.remove(j);
            }
            (Ok(j), false) => cells[j].1 = value,
            (Err(_), true) => {}
            (Err(j), false) => cells.insert(j, (col, value)),
        }
        if cells.is_empty() {
            self.rows.remove(i);
        }
    }

    /// Every row holding a cell, in order, with its cells (sorted by column).
    pub fn rows(&self) -> impl Iterator<Item = (u32, &[(u32, String)])> + '_ {
        self.rows.iter().map(|r| (r.r, r.cells.as_slice()))
    }

    /// The cells of one row (sorted by column), empty when the row has none.
    pub fn row_cells(&self, row: u32) -> &[(u32, String)] {
        match self.row_index(row) {
            Ok(i) => &self.rows[i].cells,
            Err(_) => &[],
        }
    }

    /// Rows holding a cell within `first..=last`.
    pub fn rows_between(&self, first: u32, last: u32) -> impl Iterator<Item = u32> + '_ {
        let start = self.rows.partition_point(|r| r.r < first);
        self.rows[start..]
            .iter()
            .take_while(move |r| r.r <= last)
            .map(|r| r.r)
    }

    /// The number of rows holding a cell.
    pub fn row_count(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The last row holding anything (0 for an empty sheet).
    pub fn height(&self) -> u32 {
        self.rows.last().map_or(0, |r| r.r)
    }

    /// One past the rightmost column holding anything.
    pub fn width(&self) -> u32 {
        self.rows
            .iter()
            .filter_map(|r| r.cells.last().map(|(c, _)| c + 1))
            .max()
            .unwrap_or(0)
    }

    /// The columns holding at least one cell, sorted.
    pub fn used_cols(&self) -> Vec<u32> {
        let mut cols: Vec<u32> = self
            .rows
            .iter()
            .flat_map(|r| r.cells.iter().map(|(c, _)| *c))
            .collect();
        cols.sort_unstable();
        cols.dedup();
        cols
    }

    pub fn is_col_hidden(&self, col: u32) -> bool {
        self.hidden_cols.iter().any(|&(a, b)| col >= a && col <= b)
    }

    pub fn is_row_hidden(&self, row: u32) -> bool {
        self.hidden_rows.contains(&row)
    }

    /// Whether the cell holds a formula.
    pub fn is_formula(&self, row: u32, col: u32) -> bool {
        self.formula_cells.contains(&(row, col))
    }

    /// The sheets (lower-cased names) the formula in a cell reads from.
    pub fn formula_sheets(&self, row: u32, col: u32) -> &[String] {
        self.formula_refs
            .get(&(row, col))
            .and_then(|&i| self.formula_sources.get(i as usize))
            .map_or(&[], Vec::as_slice)
    }

    /// Whether the cell is locked on a protected sheet.
    pub fn is_locked(&self, row: u32, col: u32) -> bool {
        self.protected && self.locks.as_ref().is_some_and(|l| l.is_locked(row, col))
    }

    /// An index over the merged ranges.
    pub fn merge_index(&self) -> MergeIndex {
        MergeIndex::new(&self.merges)
    }

    /// An index over the list validations for fast "which dropdown covers
    /// this cell" look-ups, even with thousands of single-cell ranges.
    /// Ranges are clamped to the used range of the sheet (plus a margin for
    /// empty answer columns), so `$A$1:$XFD$1048576` costs nothing.
    pub fn validation_index(&self) -> ValidationIndex {
        let bounds = CellRange {
            r1: 1,
            c1: 0,
            r2: self.height().max(1),
            c2: self.width() + VALIDATION_COL_MARGIN,
        };
        ValidationIndex::new(&self.validations, bounds)
    }
}

/// The merged ranges of a sheet, sorted for "which merges cover this row"
/// look-ups that stay fast with thousands of merges.
#[derive(Debug, Default)]
pub struct MergeIndex {
    /// Merges sorted by first row.
    merges: Vec<CellRange>,
    /// `reach[i]`: the last row any of `merges[..=i]` covers.
    reach: Vec<u32>,
}

impl MergeIndex {
    pub fn new(merges: &[CellRange]) -> Self {
        let mut merges = merges.to_vec();
        merges.sort_by_key(|m| (m.r1, m.c1));
        let mut reach = Vec::with_capacity(merges.len());
        let mut max = 0;
        for m in &merges {
            max = max.max(m.r2);
            reach.push(max);
        }
        MergeIndex { merges, reach }
    }

    /// The merges covering some cell of `row`.
    pub fn covering(&self, row: u32) -> impl Iterator<Item = &CellRange> + '_ {
        let end = self.merges.partition_point(|m| m.r1 <= row);
        (0..end)
            .rev()
            .take_while(move |&i| self.reach[i] >= row)
            .map(move |i| &self.merges[i])
            .filter(move |m| m.r2 >= row)
    }

    /// The merge covering the cell, if any.
    pub fn at(&self, row: u32, col: u32) -> Option<&CellRange> {
        self.covering(row).find(|m| m.contains(row, col))
    }
}

/// How far right of the last used column a dropdown still counts: an empty
/// answer column that only has a dropdown holds no cell at all.
const VALIDATION_COL_MARGIN: u32 = 8;

/// Sorted, non-overlapping row intervals (inclusive).
type Intervals = Vec<(u32, u32)>;

/// Per column, the sorted and merged row intervals of each validation.
#[derive(Debug, Default)]
pub struct ValidationIndex {
    by_col: BTreeMap<u32, Vec<(usize, Intervals)>>,
}

impl ValidationIndex {
    fn new(validations: &[ListValidation], bounds: CellRange) -> Self {
        let mut raw: BTreeMap<(u32, usize), Intervals> = BTreeMap::new();
        for (i, dv) in validations.iter().enumerate() {
            for r in &dv.ranges {
                // Whole-row validations (A1:XFD1) are never a dropdown column.
                if r.c2.saturating_sub(r.c1) > 200 {
                    continue;
                }
                let (c1, c2) = (r.c1.max(bounds.c1), r.c2.min(bounds.c2));
                let (r1, r2) = (r.r1.max(bounds.r1), r.r2.min(bounds.r2));
                if c1 > c2 || r1 > r2 {
                    continue;
                }
                for c in c1..=c2 {
                    raw.entry((c, i)).or_default().push((r1, r2));
                }
            }
        }
        let mut by_col: BTreeMap<u32, Vec<(usize, Intervals)>> = BTreeMap::new();
        for ((col, dv), mut ivs) in raw {
            ivs.sort_unstable();
            let mut merged: Intervals = Vec::with_capacity(ivs.len());
            for (a, b) in ivs {
                match merged.last_mut() {
                    Some(last) if a <= last.1.saturating_add(1) => last.1 = last.1.max(b),
                    _ => merged.push((a, b)),
                }
            }
            by_col.entry(col).or_default().push((dv, merged));
        }
        ValidationIndex { by_col }
    }

    /// The columns some dropdown covers.
    pub fn columns(&self) -> impl Iterator<Item = u32> + '_ {
        self.by_col.keys().copied()
    }

    /// The index of the first validation covering the cell.
    pub fn at(&self, row: u32, col: u32) -> Option<usize> {
        let list = self.by_col.get(&col)?;
        list.iter().find_map(|(dv, ivs)| {
            let i = ivs.partition_point(|&(a, _)| a <= row);
            (i > 0 && ivs[i - 1].1 >= row).then_some(*dv)
        })
    }
}

/// `0` -> `A`, `25` -> `Z`, `26` -> `AA`.
pub fn col_letter(mut col: u32) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// `A` -> `0`, `aa` -> `26`; `None` unless 1–3 letters.
pub fn col_index(letters: &str) -> Option<u32> {
    let letters = letters.trim();
    if letters.is_empty() || letters.len() > 3 || !letters.chars().all(|c| c.is_ascii_alphabetic())
    {
        return None;
    }
    let mut n: u32 = 0;
    for b in letters.bytes() {
        n = n * 26 + u32::from(b.to_ascii_uppercase() - b'A' + 1);
    }
    Some(n - 1)
}

/// Parses `D7` or `$D$7` into (row, col). A reference without a row
/// (`D`) gives row 0.
pub fn parse_cell_ref(s: &str) -> Option<(u32, u32)> {
    let s = s.trim().replace('$', "");
    let split = s.find(|c: char| c.is_ascii_digit()).unwrap_or(s.len());
    let (letters, digits) = s.split_at(split);
    let col = col_index(letters)?;
    let row = if digits.is_empty() {
        0
    } else {
        digits.parse::<u32>().ok()?
    };
    Some((row, col))
}

/// Parses `A1`, `A1:B5`, `$D:$D` into a range (whole columns span all rows).
pub fn parse_range(s: &str) -> Option<CellRange> {
    let (a, b) = match s.split_once(':') {
        Some((a, b)) => (a, b),
        None => (s, s),
    };
    let (r1, c1) = parse_cell_ref(a)?;
    let (r2, c2) = parse_cell_ref(b)?;
    let (r1, r2) = if r1 == 0 && r2 == 0 {
        (1, 1_048_576)
    } else {
        (r1.min(r2).max(1), r1.max(r2))
    };
    Some(CellRange {
        r1,
        c1: c1.min(c2),
        r2,
        c2: c1.max(c2),
    })
}

/// Parses a space-separated `sqref` (`D2 D3 F1:F9`).
pub fn parse_sqref(s: &str) -> Vec<CellRange> {
    s.split_whitespace().filter_map(parse_range).collect()
}

/// `CellRef` text for (row, col): `D7`.
pub fn cell_name(row: u32, col: u32) -> String {
    format!("{}{}", col_letter(col), row)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_round_trip() {
        for (i, s) in [
            (0, "A"),
            (25, "Z"),
            (26, "AA"),
            (51, "AZ"),
            (701, "ZZ"),
            (702, "AAA"),
        ] {
            assert_eq!(col_letter(i), s);
            assert_eq!(col_index(s), Some(i));
        }
        assert_eq!(col_index("a1"), None);
    }

    #[test]
    fn ranges() {
        assert_eq!(
            parse_range("$C$3:$C$263"),
            Some(CellRange {
                r1: 3,
                c1: 2,
                r2: 263,
                c2: 2
            })
        );
        assert_eq!(
            parse_range("D:D").map(|r| (r.r1, r.r2)),
            Some((1, 1_048_576))
        );
        assert_eq!(parse_sqref("D2 D3 E1:E4").len(), 3);
    }

    #[test]
    fn merge_index_finds_covering_ranges() {
        let merges = parse_sqref("I3:I5 A10:D10 J1:J100 C4:D4");
        let idx = MergeIndex::new(&merges);
        let rows = |r: u32| {
            let mut v: Vec<String> = idx
                .covering(r)
                .map(|m| format!("{}{}", col_letter(m.c1), m.r1))
                .collect();
            v.sort();
            v
        };
        assert_eq!(rows(4), ["C4", "I3", "J1"]);
        assert_eq!(rows(10), ["A10", "J1"]);
        assert!(rows(101).is_empty());
        assert_eq!(idx.at(4, 3).map(|m| m.c1), Some(2));
        assert!(idx.at(6, 2).is_none());
    }

    #[test]
    fn validation_index_finds_single_cells() {
        let dv = ListValidation {
            ranges: parse_sqref("D2 D3 D5"),
            ..ListValidation::default()
        };
        let bounds = CellRange {
            r1: 1,
            c1: 0,
            r2: 100,
            c2: 10,
        };
        let idx = ValidationIndex::new(&[dv], bounds);
        assert_eq!(idx.at(3, 3), Some(0));
        assert_eq!(idx.at(4, 3), None);
        assert_eq!(idx.at(5, 3), Some(0));
        assert_eq!(idx.at(5, 2), None);
    }
}
