//! Reading CSV questionnaires: encoding (UTF-8 with or without BOM, UTF-16
//! with BOM, else Windows-1252), delimiter sniffing among `,` `;` tab and
//! `|`, quoted fields with embedded newlines. Each record becomes one grid
//! row, so the header record is row 1 however many physical lines a quoted
//! field spans.

use std::path::Path;

use anyhow::{Context, Result};

use super::limits::{GridBuilder, Limits};
use super::sheet::Grid;

/// The text encoding a CSV file was read in (and will be written back in).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum TextEncoding {
    Utf8,
    Utf16Le,
    Utf16Be,
    Windows1252,
}

/// What the CSV writer needs to give the file back in its own dialect.
#[derive(Debug, Clone)]
pub struct CsvDialect {
    pub delimiter: u8,
    pub encoding: TextEncoding,
    pub bom: bool,
    pub crlf: bool,
    /// The file ends with a line break.
    pub final_newline: bool,
}

/// A CSV file as read: its records exactly as they are (for writing back)
/// and the grid detection works on.
pub struct CsvFile {
    pub records: Vec<Vec<String>>,
    pub grid: Grid,
    pub dialect: CsvDialect,
}

/// Reads a CSV file into a one-sheet grid named after the file. Reading
/// stops at the first record past the row, column or cell-length cap.
pub fn read_csv(path: &Path, bytes: &[u8], limits: &Limits) -> Result<CsvFile> {
    let (text, encoding, bom) = decode(bytes);
    let delimiter = sniff_delimiter(&text);
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "csv".into());
    let mut grid = GridBuilder::new(Grid::new(name), limits, path);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut records = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record
            .with_context(|| format!("{}: record {}: malformed CSV", path.display(), i + 1))?;
        let row = i as u32 + 1;
        for (c, field) in record.iter().enumerate() {
            grid.add(row, c as u32, field.to_owned())?;
        }
        if records.len() >= limits.max_rows {
            // Blank records do not count towards the row cap; still bound them.
            anyhow::bail!(
                "{}: more than {} records; pass --max-rows to raise the limit",
                path.display(),
                limits.max_rows
            );
        }
        records.push(record.iter().map(str::to_owned).collect());
    }
    let crlf = text.contains("\r\n");
    let final_newline = text.ends_with('\n') || text.ends_with('\r');
    Ok(CsvFile {
        records,
        grid: grid.finish(),
        dialect: CsvDialect {
            delimiter,
            encoding,
            bom,
            crlf,
            final_newline,
        },
    })
}

/// Decodes the bytes: a BOM decides; otherwise valid UTF-8 is UTF-8 and
/// anything else is taken as Windows-1252 (what Excel writes on Windows).
pub fn decode(bytes: &[u8]) -> (String, TextEncoding, bool) {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return (
            String::from_utf8_lossy(rest).into_owned(),
            TextEncoding::Utf8,
            true,
        );
    }
    if bytes.starts_with(&[0xFF, 0xFE]) {
        let (text, _) = encoding_rs::UTF_16LE.decode_with_bom_removal(bytes);
        return (text.into_owned(), TextEncoding::Utf16Le, true);
    }
    if bytes.starts_with(&[0xFE, 0xFF]) {
        let (text, _) = encoding_rs::UTF_16BE.decode_with_bom_removal(bytes);
        return (text.into_owned(), TextEncoding::Utf16Be, true);
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_owned(), TextEncoding::Utf8, false),
        Err(_) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            (text.into_owned(), TextEncoding::Windows1252, false)
        }
    }
}

/// Picks the delimiter that splits the first records into the most
/// consistent number of fields (more than one).
pub fn sniff_delimiter(text: &str) -> u8 {
    let sample: String = text.chars().take(64 * 1024).collect();
    let mut best = (b',', 0.0f64);
    for delim in [b',', b';', b'\t', b'|'] {
        let score = delimiter_score(&sample, delim);
        if score > best.1 {
            best = (delim, score);
        }
    }
    best.0
}

fn delimiter_score(sample: &str, delim: u8) -> f64 {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delim)
        .from_reader(sample.as_bytes());
    let counts: Vec<usize> = reader
        .records()
        .take(50)
        .filter_map(|r| r.ok())
        .map(|r| r.len())
        .collect();
    if counts.is_empty() {
        return 0.0;
    }
    let mut freq = std::collections::HashMap::new();
    for &c in &counts {
        *freq.entry(c).or_insert(0usize) += 1;
    }
    let (mode, n) = freq
        .into_iter()
        .max_by_key(|&(c, n)| (n, c))
        .unwrap_or((1, 0));
    if mode < 2 {
        return 0.0;
    }
    let consistency = n as f64 / counts.len() as f64;
    consistency * (1.0 + (mode as f64).ln())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_semicolon_and_tab() {
        assert_eq!(sniff_delimiter("a;b;c\n1;2,5;3\n"), b';');
        assert_eq!(sniff_delimiter("a\tb\n1\t2\n"), b'\t');
        assert_eq!(sniff_delimiter("a,b\n\"x;y\",2\n"), b',');
    }

    #[test]
    fn decodes_windows_1252() {
        let (text, enc, bom) = decode(b"caf\xe9");
        assert_eq!(text, "café");
        assert_eq!(enc, TextEncoding::Windows1252);
        assert!(!bom);
    }
}
