//! Writing a CSV questionnaire back: the same records, columns and order,
//! the same delimiter, line ending and encoding (BOM kept), with the answers
//! in place.

use super::csv_in::{CsvDialect, TextEncoding};
use super::CellEdit;

/// Values a spreadsheet would run as a formula get a leading `'`.
pub fn neutralise_formula(value: &str) -> String {
    match value.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{value}"),
        _ => value.to_owned(),
    }
}

/// Renders the records with `edits` applied, encoded like the input.
pub fn render(records: &[Vec<String>], dialect: &CsvDialect, edits: &[CellEdit]) -> Vec<u8> {
    let mut rows = records.to_vec();
    for e in edits {
        let Some(record) = rows.get_mut(e.row as usize - 1) else {
            continue;
        };
        if record.len() <= e.col as usize {
            record.resize(e.col as usize + 1, String::new());
        }
        record[e.col as usize] = e.value.clone();
    }
    let text = to_text(&rows, dialect);
    encode(&text, dialect)
}

fn to_text(rows: &[Vec<String>], dialect: &CsvDialect) -> String {
    let terminator = if dialect.crlf {
        csv::Terminator::CRLF
    } else {
        csv::Terminator::Any(b'\n')
    };
    let mut writer = csv::WriterBuilder::new()
        .delimiter(dialect.delimiter)
        .terminator(terminator)
        .flexible(true)
        .from_writer(Vec::new());
    for row in rows {
        // A record with a single empty field would be written as an empty
        // line, which a reader skips; quote it to keep the record count.
        if row.len() == 1 && row[0].is_empty() {
            let _ = writer.write_record([""]);
        } else {
            let _ = writer.write_record(row);
        }
    }
    let bytes = writer.into_inner().unwrap_or_default();
    let mut text = String::from_utf8(bytes).unwrap_or_default();
    if !dialect.final_newline {
        while text.ends_with('\n') || text.ends_with('\r') {
            text.pop();
        }
    }
    text
}

fn encode(text: &str, dialect: &CsvDialect) -> Vec<u8> {
    match dialect.encoding {
        TextEncoding::Utf8 => {
            let mut out = Vec::with_capacity(text.len() + 3);
            if dialect.bom {
                out.extend_from_slice(&[0xEF, 0xBB, 0xBF]);
            }
            out.extend_from_slice(text.as_bytes());
            out
        }
        TextEncoding::Windows1252 => {
            let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(text);
            bytes.into_owned()
        }
        TextEncoding::Utf16Le | TextEncoding::Utf16Be => {
            let le = dialect.encoding == TextEncoding::Utf16Le;
            let mut out = Vec::with_capacity(text.len() * 2 + 2);
            for unit in std::iter::once(0xFEFF).chain(text.encode_utf16()) {
                let b = if le {
                    unit.to_le_bytes()
                } else {
                    unit.to_be_bytes()
                };
                out.extend_from_slice(&b);
            }
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neutralises() {
        assert_eq!(neutralise_formula("=1+1"), "'=1+1");
        assert_eq!(neutralise_formula("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise_formula("Yes"), "Yes");
    }
}
