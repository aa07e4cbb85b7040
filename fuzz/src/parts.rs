//! How a fuzz input becomes files: shared by the fuzz targets (`fuzz/`) and
//! the regression tests (`tests/fuzz_regressions.rs` includes this file with
//! `#[path]`), so a kept input is replayed exactly as the fuzzer ran it.
//! Depends on `std` and `zip` only.
#![allow(dead_code)]

use std::io::Write;

/// Separates the parts of a multi-file input (sheet XML, shared strings...).
pub const SEP: &[u8] = b"\n--8<--\n";

/// The parts of `data` split on [`SEP`].
pub fn split(data: &[u8]) -> Vec<&[u8]> {
    let mut parts = Vec::new();
    let mut rest = data;
    while let Some(at) = find(rest, SEP) {
        parts.push(&rest[..at]);
        rest = &rest[at + SEP.len()..];
    }
    parts.push(rest);
    parts
}

/// The parts joined with [`SEP`] (the inverse of [`split`]).
pub fn join(parts: &[&[u8]]) -> Vec<u8> {
    let mut out = Vec::new();
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(SEP);
        }
        out.extend_from_slice(p);
    }
    out
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The extensions `read_text` gives its raw input, chosen by the first byte.
pub const TEXT_EXTENSIONS: [&str; 4] = ["csv", "json", "xls", "txt"];

/// The file a `read_text` input becomes: (file name, bytes).
pub fn text_file(data: &[u8]) -> Option<(String, Vec<u8>)> {
    let (&first, rest) = data.split_first()?;
    let ext = TEXT_EXTENSIONS[first as usize % TEXT_EXTENSIONS.len()];
    Some((format!("q.{ext}"), rest.to_vec()))
}

/// The file a `read_zip` (or `fill_xlsx`) input becomes. The first byte
/// picks the mode: 0 an XLSX built from parts (sheet XML, shared strings,
/// styles, workbook XML; see [`xlsx`]), 1 an ODS built around a
/// `content.xml`, 2 the raw bytes as `.xlsx`, 3 the raw bytes as `.ods`.
pub fn zip_file(data: &[u8]) -> Option<(String, Vec<u8>)> {
    let (&first, rest) = data.split_first()?;
    Some(match first % 4 {
        0 => ("q.xlsx".to_owned(), xlsx_from_parts(rest)),
        1 => ("q.ods".to_owned(), ods(rest)),
        2 => ("q.xlsx".to_owned(), rest.to_vec()),
        _ => ("q.ods".to_owned(), rest.to_vec()),
    })
}

/// An XLSX from `sheet1.xml` [SEP `sharedStrings.xml` [SEP `styles.xml`
/// [SEP `workbook.xml`]]]; an empty or missing part is left out (the
/// workbook part gets a default naming one sheet, `Sheet1`).
pub fn xlsx_from_parts(data: &[u8]) -> Vec<u8> {
    let parts = split(data);
    let part = |i: usize| parts.get(i).copied().filter(|p| !p.is_empty());
    xlsx(part(0).unwrap_or(b""), part(1), part(2), part(3))
}

pub const DEFAULT_WORKBOOK: &[u8] = br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#;

/// A minimal XLSX package around the given parts.
pub fn xlsx(
    sheet: &[u8],
    shared: Option<&[u8]>,
    styles: Option<&[u8]>,
    workbook: Option<&[u8]>,
) -> Vec<u8> {
    let mut types = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#,
    );
    let mut rels = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>"#,
    );
    if shared.is_some() {
        types.push_str(r#"<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>"#);
        rels.push_str(r#"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>"#);
    }
    if styles.is_some() {
        types.push_str(r#"<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>"#);
        rels.push_str(r#"<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>"#);
    }
    types.push_str("</Types>");
    rels.push_str("</Relationships>");
    let root_rels = br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
    let mut files: Vec<(&str, &[u8])> = vec![
        ("[Content_Types].xml", types.as_bytes()),
        ("_rels/.rels", root_rels),
        ("xl/workbook.xml", workbook.unwrap_or(DEFAULT_WORKBOOK)),
        ("xl/_rels/workbook.xml.rels", rels.as_bytes()),
        ("xl/worksheets/sheet1.xml", sheet),
    ];
    if let Some(s) = shared {
        files.push(("xl/sharedStrings.xml", s));
    }
    if let Some(s) = styles {
        files.push(("xl/styles.xml", s));
    }
    zip_of(&files)
}

/// An ODS package around `content.xml`.
pub fn ods(content: &[u8]) -> Vec<u8> {
    let manifest = br#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
    zip_of(&[
        (
            "mimetype",
            b"application/vnd.oasis.opendocument.spreadsheet",
        ),
        ("content.xml", content),
        ("META-INF/manifest.xml", manifest),
    ])
}

fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (i, (name, bytes)) in files.iter().enumerate() {
        // The first entry (mimetype of an ODS) is stored, as the format asks.
        let method = if i == 0 {
            zip::CompressionMethod::Stored
        } else {
            zip::CompressionMethod::Deflated
        };
        let opts = zip::write::SimpleFileOptions::default().compression_method(method);
        w.start_file(*name, opts).expect("zip entry");
        w.write_all(bytes).expect("zip write");
    }
    w.finish().expect("zip finish").into_inner()
}

/// The files of a `load_project` input, in part order. An empty part is an
/// absent file, except `data/company.toml` (always written: without it the
/// loader only says "not a vouch project").
pub const PROJECT_FILES: [&str; 7] = [
    "data/company.toml",
    "data/controls.csv",
    "data/reports.toml",
    "data/documents.toml",
    "data/subprocessors.csv",
    "data/updates/2026-01-15-update.md",
    "answers/library.toml",
];

/// (relative path, bytes) of each file of a `load_project` input.
pub fn project_files(data: &[u8]) -> Vec<(&'static str, &[u8])> {
    let parts = split(data);
    PROJECT_FILES
        .iter()
        .enumerate()
        .filter_map(|(i, rel)| {
            let part = parts.get(i).copied().unwrap_or(b"");
            (i == 0 || !part.is_empty()).then_some((*rel, part))
        })
        .collect()
}

/// The file a `load_library` input becomes: the first byte picks CSV or
/// TOML.
pub fn library_file(data: &[u8]) -> Option<(String, Vec<u8>)> {
    let (&first, rest) = data.split_first()?;
    let ext = if first % 2 == 0 { "csv" } else { "toml" };
    Some((format!("library.{ext}"), rest.to_vec()))
}
