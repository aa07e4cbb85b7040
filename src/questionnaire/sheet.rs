//! A neutral grid model shared by every input format: the text of each cell,
//! plus what layout detection and the writers need to know about the sheet
//! (hidden rows/columns, merged ranges, list validations, protection).
//!
//! Rows are 1-based (as in a spreadsheet); columns are 0-based indexes
//! (`0` = column `A`).

use std::collections::{BTreeMap, HashSet};

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

/// One sheet (or the one table of a CSV file).
#[derive(Debug, Clone, Default)]
pub struct Grid {
    pub name: String,
    pub hidden: bool,
    /// `rows[i]` holds the cells of row `i + 1`, trailing empty cells trimmed.
    pub rows: Vec<Vec<String>>,
    /// 1-based rows hidden in the sheet.
    pub hidden_rows: HashSet<u32>,
    /// 0-based columns that are hidden or have zero width.
    pub hidden_cols: HashSet<u32>,
    pub merges: Vec<CellRange>,
    pub validations: Vec<ListValidation>,
    /// `<sheetProtection sheet="1">` is present.
    pub protected: bool,
    /// Cells holding a formula, (row, col). Only known for XLSX/XLSM.
    pub formula_cells: HashSet<(u32, u32)>,
}

impl Grid {
    pub fn new(name: impl Into<String>) -> Self {
        Grid {
            name: name.into(),
            ..Grid::default()
        }
    }

    /// The text of a cell, `""` when empty or out of range.
    pub fn cell(&self, row: u32, col: u32) -> &str {
        if row == 0 {
            return "";
        }
        self.rows
            .get(row as usize - 1)
            .and_then(|r| r.get(col as usize))
            .map(String::as_str)
            .unwrap_or("")
    }

    /// Sets a cell, growing the grid as needed.
    pub fn set(&mut self, row: u32, col: u32, value: String) {
        if row == 0 {
            return;
        }
        let (r, c) = (row as usize - 1, col as usize);
        if self.rows.len() <= r {
            self.rows.resize_with(r + 1, Vec::new);
        }
        let cells = &mut self.rows[r];
        if cells.len() <= c {
            cells.resize(c + 1, String::new());
        }
        cells[c] = value;
    }

    /// The number of rows (the last row holding anything).
    pub fn height(&self) -> u32 {
        self.rows.len() as u32
    }

    /// The number of columns of the widest row.
    pub fn width(&self) -> u32 {
        self.rows.iter().map(Vec::len).max().unwrap_or(0) as u32
    }

    pub fn is_col_hidden(&self, col: u32) -> bool {
        self.hidden_cols.contains(&col)
    }

    pub fn is_row_hidden(&self, row: u32) -> bool {
        self.hidden_rows.contains(&row)
    }

    /// Drops trailing empty cells and rows (formatting often stretches the
    /// used range far beyond the data).
    pub fn trim(&mut self) {
        for row in &mut self.rows {
            while row.last().is_some_and(|c| c.trim().is_empty()) {
                row.pop();
            }
        }
        while self.rows.last().is_some_and(Vec::is_empty) {
            self.rows.pop();
        }
    }

    /// An index over the list validations for fast "which dropdown covers
    /// this cell" look-ups, even with thousands of single-cell ranges.
    pub fn validation_index(&self) -> ValidationIndex {
        ValidationIndex::new(&self.validations)
    }
}

/// Sorted, non-overlapping row intervals (inclusive).
type Intervals = Vec<(u32, u32)>;

/// Per column, the sorted and merged row intervals of each validation.
#[derive(Debug, Default)]
pub struct ValidationIndex {
    by_col: BTreeMap<u32, Vec<(usize, Intervals)>>,
}

impl ValidationIndex {
    fn new(validations: &[ListValidation]) -> Self {
        let mut raw: BTreeMap<(u32, usize), Intervals> = BTreeMap::new();
        for (i, dv) in validations.iter().enumerate() {
            for r in &dv.ranges {
                // Whole-row validations (A1:XFD1) are never a dropdown column.
                let cols = r.c2.saturating_sub(r.c1);
                if cols > 200 {
                    continue;
                }
                for c in r.c1..=r.c2 {
                    raw.entry((c, i)).or_default().push((r.r1, r.r2));
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
    fn validation_index_finds_single_cells() {
        let dv = ListValidation {
            ranges: parse_sqref("D2 D3 D5"),
            ..ListValidation::default()
        };
        let idx = ValidationIndex::new(&[dv]);
        assert_eq!(idx.at(3, 3), Some(0));
        assert_eq!(idx.at(4, 3), None);
        assert_eq!(idx.at(5, 3), Some(0));
        assert_eq!(idx.at(5, 2), None);
    }
}
