//! Bad input: a clear one-line error and exit 2, never a panic.

mod util;

use std::io::{Cursor, Write};
use std::path::Path;

/// Runs `vouch inspect FILE ARGS` and returns the stderr; asserts exit 2
/// and a single error line without a panic.
fn inspect_fails(dir: &Path, file: &str, extra: &[&str]) -> String {
    let mut args = vec!["inspect", file];
    args.extend_from_slice(extra);
    let out = util::run_in(dir, &args);
    let err = util::stderr(&out);
    assert_eq!(out.status.code(), Some(2), "exit code; stderr: {err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    assert!(err.contains(file), "names the file: {err}");
    err
}

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    std::fs::write(dir.join(name), bytes).unwrap();
}

#[test]
fn not_a_spreadsheet() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "photo.xlsx",
        &[0x89, b'P', b'N', b'G', 0, 0, 1, 2, 3],
    );
    let err = inspect_fails(dir.path(), "photo.xlsx", &[]);
    assert!(err.contains("not a spreadsheet"), "{err}");
    write(dir.path(), "empty.csv", b"");
    assert!(inspect_fails(dir.path(), "empty.csv", &[]).contains("empty"));
}

#[test]
fn corrupt_zip() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = b"PK\x03\x04".to_vec();
    bytes.extend(std::iter::repeat_n(0x41u8, 200));
    write(dir.path(), "broken.xlsx", &bytes);
    let err = inspect_fails(dir.path(), "broken.xlsx", &[]);
    assert!(err.contains("corrupt zip"), "{err}");
}

#[test]
fn encrypted_workbook_vs_plain_xls() {
    let dir = tempfile::tempdir().unwrap();
    let magic = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    let utf16 = |s: &str| -> Vec<u8> { s.encode_utf16().flat_map(u16::to_le_bytes).collect() };
    let mut encrypted = magic.to_vec();
    encrypted.extend(vec![0u8; 504]);
    encrypted.extend(utf16("EncryptionInfo"));
    encrypted.extend(vec![0u8; 50]);
    encrypted.extend(utf16("EncryptedPackage"));
    write(dir.path(), "secret.xlsx", &encrypted);
    let err = inspect_fails(dir.path(), "secret.xlsx", &[]);
    assert!(
        err.contains("encrypted") && err.contains("password"),
        "{err}"
    );

    // A (broken) legacy .xls is also OLE: it must not be called encrypted.
    let mut xls = magic.to_vec();
    xls.extend(vec![0u8; 504]);
    xls.extend(utf16("Workbook"));
    write(dir.path(), "old.xls", &xls);
    let err = inspect_fails(dir.path(), "old.xls", &[]);
    assert!(!err.contains("encrypted"), "{err}");
    assert!(err.contains("cannot read the workbook"), "{err}");
}

#[test]
fn zip_bomb_is_refused_and_limit_can_be_raised() {
    let dir = tempfile::tempdir().unwrap();
    // A valid workbook plus a 3 MiB entry of zeros (a few KiB compressed).
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "Question").unwrap();
    sheet.write_string(0, 1, "Answer").unwrap();
    sheet.write_string(1, 0, "Do you encrypt backups?").unwrap();
    let xlsx = book.save_to_buffer().unwrap();
    let mut src = zip::ZipArchive::new(Cursor::new(xlsx)).unwrap();
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..src.len() {
        w.raw_copy_file(src.by_index_raw(i).unwrap()).unwrap();
    }
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    w.start_file("xl/media/padding.bin", opts).unwrap();
    w.write_all(&vec![0u8; 3 * 1024 * 1024]).unwrap();
    let bytes = w.finish().unwrap().into_inner();
    assert!(bytes.len() < 100 * 1024);
    write(dir.path(), "bomb.xlsx", &bytes);
    let err = inspect_fails(dir.path(), "bomb.xlsx", &["--max-size", "2"]);
    assert!(
        err.contains("zip bomb") && err.contains("--max-size"),
        "{err}"
    );
    let ok = util::run_in(dir.path(), &["inspect", "bomb.xlsx", "--max-size", "4"]);
    assert!(ok.status.success(), "{}", util::stderr(&ok));
}

#[test]
fn no_question_column_lists_headers_and_flags() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "prices.csv",
        b"Product,Price,Currency\nWidget,10,EUR\n",
    );
    let err = inspect_fails(dir.path(), "prices.csv", &[]);
    assert!(err.contains("no question column found"), "{err}");
    assert!(err.contains("Product") && err.contains("Currency"), "{err}");
    assert!(
        err.contains("--question-col") && err.contains("--header-row"),
        "{err}"
    );
}

#[test]
fn unknown_sheet_and_bad_override() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "q.csv",
        b"Question,Answer\nDo you have a CISO?,\n",
    );
    let err = inspect_fails(dir.path(), "q.csv", &["--sheet", "Nope"]);
    assert!(err.contains("no sheet named"), "{err}");
    let err = inspect_fails(dir.path(), "q.csv", &["--answer-col", "Not A Header"]);
    assert!(err.contains("--answer-col"), "{err}");
    let missing = util::run_in(dir.path(), &["inspect", "missing.xlsx"]);
    assert_eq!(missing.status.code(), Some(2));
}
