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

    /// Whether the header has this column (a missing column is reported
    /// once, on the header, not on every row).
    pub fn has_column(&self, column: &str) -> bool {
        self.columns.contains_key(column)
    }
}

/// Parses `text`, checks the header against the `known` columns (an unknown
/// column is an error naming the closest known one, and a misspelt column is
/// read as the one it was meant to be, so one typo gives one error, not a
/// cascade) and that the `required` ones exist, then calls `each` for every
/// record. Problems become findings on `file`.
pub fn read_records(
    file: &str,
    text: &str,
    required: &[&str],
    known: &[&str],
    findings: &mut Vec<Finding>,
    mut each: impl FnMut(Record<'_>, &mut Vec<Finding>),
) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|n| n.trim().to_ascii_lowercase()).collect(),
        Err(e) => {
            findings.push(Finding::error(file, format!("cannot read the header: {e}")).at(1));
            return;
        }
    };
    let columns = header_columns(file, &header, known, findings);
    let missing: Vec<&str> = required
        .iter()
        .copied()
        .filter(|c| !columns.contains_key(*c))
        .collect();
    if !missing.is_empty() {
        findings.push(
            Finding::error(
                file,
                format!("missing required column(s): {}", missing.join(", ")),
            )
            .at(1),
        );
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

/// Column name -> position, reporting unknown, duplicate and unnamed columns.
fn header_columns(
    file: &str,
    header: &[String],
    known: &[&str],
    findings: &mut Vec<Finding>,
) -> HashMap<String, usize> {
    let mut columns: HashMap<String, usize> = HashMap::new();
    let mut unknown = Vec::new();
    for (i, name) in header.iter().enumerate() {
        if name.is_empty() {
            // A trailing comma on the header line is harmless; a gap is not.
            if i + 1 < header.len() {
                findings.push(Finding::error(file, format!("column {} has no name", i + 1)).at(1));
            }
        } else if !known.contains(&name.as_str()) {
            unknown.push((i, name));
        } else if columns.insert(name.clone(), i).is_some() {
            findings.push(
                Finding::error(file, "the column appears twice in the header")
                    .at(1)
                    .field(name.as_str()),
            );
        }
    }
    for (i, name) in unknown {
        let closest = crate::diag::did_you_mean(name, known);
        let message = match closest {
            Some(s) => format!("unknown column (did you mean {s:?}?)"),
            None => format!("unknown column (expected: {})", known.join(", ")),
        };
        findings.push(Finding::error(file, message).at(1).field(name.as_str()));
        // Read it as the column it was meant to be, unless that one exists too.
        if let Some(s) = closest {
            columns.entry(s.to_string()).or_insert(i);
        }
    }
    columns
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
