//! List data validations (dropdowns): the three ways a workbook defines the
//! values of a dropdown, resolved to the values themselves.
//!
//! - an inline list: `"Yes,No,NA"`;
//! - a range, possibly on another (hidden) sheet: `Values!$A$4:$A$6`,
//!   `'Auto Responses'!$J$3:$J$5` (the x14 extension form carries it in
//!   `<xm:f>`);
//! - a defined name: `yesna` (workbook.xml `definedNames`).

use std::collections::HashMap;

use super::sheet::{parse_range, parse_sqref, Grid, ListValidation};
use super::xlsx_in::{range_values, sheet_index};

/// A validation as found in the sheet XML, before resolution.
#[derive(Debug, Clone, Default)]
pub struct RawValidation {
    pub is_list: bool,
    pub sqref: String,
    pub formula: String,
}

/// Resolves every sheet's raw list validations into `grid.validations`.
/// `raw[i]` belongs to `grids[i]`.
pub fn resolve_validations(
    grids: &mut [Grid],
    raw: Vec<Vec<RawValidation>>,
    names: &HashMap<String, String>,
) {
    let index = sheet_index(grids);
    let mut resolved: Vec<Vec<ListValidation>> = Vec::with_capacity(grids.len());
    for (i, dvs) in raw.iter().enumerate() {
        let list = dvs
            .iter()
            .filter(|dv| dv.is_list)
            .map(|dv| ListValidation {
                ranges: parse_sqref(&dv.sqref),
                values: list_values(&dv.formula, i, grids, &index, names, 0),
                source: dv.formula.trim().to_owned(),
            })
            .collect();
        resolved.push(list);
    }
    for (grid, list) in grids.iter_mut().zip(resolved) {
        grid.validations = list;
    }
}

/// The values a list formula stands for; empty when it cannot be resolved
/// (e.g. `INDIRECT(...)`).
fn list_values(
    formula: &str,
    own_sheet: usize,
    grids: &[Grid],
    index: &HashMap<String, usize>,
    names: &HashMap<String, String>,
    depth: u8,
) -> Vec<String> {
    let f = formula.trim().trim_start_matches('=').trim();
    if f.is_empty() || depth > 3 {
        return Vec::new();
    }
    if let Some(inner) = f.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
        return inner
            .split(',')
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
            .collect();
    }
    if let Some(target) = names.get(&f.to_lowercase()) {
        return list_values(target, own_sheet, grids, index, names, depth + 1);
    }
    let (sheet, reference) = split_sheet_ref(f);
    let grid_idx = match sheet {
        Some(name) => match index.get(&name.to_lowercase()) {
            Some(&i) => i,
            None => return Vec::new(),
        },
        None => own_sheet,
    };
    match parse_range(reference) {
        Some(range) => range_values(&grids[grid_idx], &range),
        None => Vec::new(),
    }
}

/// `'Auto Responses'!$J$3:$J$5` -> (Some("Auto Responses"), "$J$3:$J$5").
fn split_sheet_ref(f: &str) -> (Option<String>, &str) {
    match f.rsplit_once('!') {
        Some((sheet, reference)) => {
            let sheet = sheet.trim();
            let name = sheet
                .strip_prefix('\'')
                .and_then(|s| s.strip_suffix('\''))
                .map(|s| s.replace("''", "'"))
                .unwrap_or_else(|| sheet.to_owned());
            (Some(name), reference)
        }
        None => (None, f),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grids() -> Vec<Grid> {
        let mut main = Grid::new("Main");
        main.set(1, 0, "x".into());
        let mut values = Grid::new("Auto Responses");
        values.set(3, 9, "Yes".into());
        values.set(4, 9, "No".into());
        values.set(5, 9, "N/A".into());
        vec![main, values]
    }

    #[test]
    fn inline_range_and_named() {
        let g = grids();
        let idx = sheet_index(&g);
        let mut names = HashMap::new();
        names.insert("yesna".to_owned(), "'Auto Responses'!$J$3:$J$5".to_owned());
        assert_eq!(
            list_values("\"Yes,No,NA\"", 0, &g, &idx, &names, 0),
            vec!["Yes", "No", "NA"]
        );
        assert_eq!(
            list_values("'Auto Responses'!$J$3:$J$4", 0, &g, &idx, &names, 0),
            vec!["Yes", "No"]
        );
        assert_eq!(list_values("yesna", 0, &g, &idx, &names, 0).len(), 3);
        assert!(list_values("INDIRECT(A1)", 0, &g, &idx, &names, 0).is_empty());
        assert!(list_values("V+Values!$A$15:$A$19", 0, &g, &idx, &names, 0).is_empty());
    }
}
