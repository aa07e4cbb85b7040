//! Reading the project's CSV files: a header row, then one record per item.
//! Rows are numbered like a spreadsheet: the header is row 1, so a quoted
//! field with an embedded newline does not shift later rows.

use std::collections::HashMap;

use crate::diag::Finding;

/// One data record with its row number and the header's column positions.
pub struct Record<'a> {
    pub row: usize,
    columns: &'a HashMap<String, usize>,
    values: csv::StringRecord,
}

impl Record<'_> {
    /// The trimmed value of a column, `None` when the column is absent or empty.
    pub fn get(&self, column: &str) -> Option<&str> {
        let idx = *self.columns.get(column)?;
        let v = self.values.get(idx)?.trim();
        (!v.is_empty()).then_some(v)
    }
}

/// Parses `text`, checks that the `required` columns exist, and calls `each`
/// for every record. Problems become findings on `file`.
pub fn read_records(
    file: &str,
    text: &str,
    required: &[&str],
    findings: &mut Vec<Finding>,
    mut each: impl FnMut(Record<'_>, &mut Vec<Finding>),
) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let columns: HashMap<String, usize> = match reader.headers() {
        Ok(h) => h
            .iter()
            .enumerate()
            .map(|(i, name)| (name.trim().to_ascii_lowercase(), i))
            .collect(),
        Err(e) => {
            findings.push(Finding::error(file, format!("cannot read the header: {e}")).at(1));
            return;
        }
    };
    let missing: Vec<&str> = required
        .iter()
        .copied()
        .filter(|c| !columns.contains_key(*c))
        .collect();
    if !missing.is_empty() {
        findings
            .push(Finding::error(file, format!("missing column(s): {}", missing.join(", "))).at(1));
        return;
    }
    for (i, record) in reader.records().enumerate() {
        let row = i + 2;
        match record {
            Ok(values) => {
                if values.iter().all(|v| v.trim().is_empty()) {
                    continue;
                }
                each(
                    Record {
                        row,
                        columns: &columns,
                        values,
                    },
                    findings,
                )
            }
            Err(e) => findings.push(Finding::error(file, format!("invalid CSV: {e}")).at(row)),
        }
    }
}

/// Splits a `;`-separated cell.
pub fn split_list(cell: Option<&str>) -> Vec<String> {
    cell.unwrap_or("")
        .split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}
