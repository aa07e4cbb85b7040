//! What the fuzz targets under `fuzz/` found (issue 11), kept as
//! regression tests: CI runs these, not the fuzzer. Each input is rebuilt
//! here the way the fuzz target builds it (`fuzz/src/parts.rs`, included
//! below), reduced by hand to what triggers the finding, and run through
//! the real binary. docs/hostile-input.md lists the findings.

#[path = "../fuzz/src/parts.rs"]
mod parts;
mod util;

use std::path::Path;
use std::process::Output;

const SHEET_HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#;

/// A sheet with a header row and one question (inline strings), `extra`
/// appended after the sheet data (protection, validations...).
fn sheet(extra: &str) -> String {
    format!(
        "{SHEET_HEAD}<sheetData>\
         <row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>Question</t></is></c><c r=\"B1\" t=\"inlineStr\"><is><t>Answer</t></is></c></row>\
         <row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>Do you keep audit logs for a year?</t></is></c><c r=\"B2\" s=\"1\"/></row>\
         </sheetData>{extra}</worksheet>"
    )
}

/// Runs `vouch ARGS` in `dir`.
fn run(dir: &Path, args: &[&str]) -> Output {
    util::run_in(dir, args)
}

/// Exit 2, one line, naming `file`, no panic.
fn assert_one_line_error(o: &Output, file: &str) -> String {
    let err = util::stderr(o);
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.contains(file), "the error names {file}: {err}");
    err
}

// read_zip, 2026-11-30: a protected sheet's styles part that is not XML
// was reported as "styles.xml is not valid XML" without the file's name.
#[test]
fn invalid_styles_of_a_protected_sheet_name_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let styles = br#"<?xml version="1.0"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><cellXfs count="2"><xf numFmtId="0"/><xf(numFmtId="0" applyProtection="1"><protection locked="0"/></xf></cellXfs></styleSheet>"#;
    let xlsx = parts::xlsx(
        sheet(r#"<sheetProtection sheet="1"/>"#).as_bytes(),
        None,
        Some(styles),
        None,
    );
    std::fs::write(dir.path().join("q.xlsx"), xlsx).unwrap();
    let o = run(dir.path(), &["inspect", "q.xlsx"]);
    let err = assert_one_line_error(&o, "q.xlsx");
    assert!(err.contains("styles.xml"), "{err}");
}

// read_text, 2026-11-30: a legacy XLS (CFB) file one byte past its
// header, whose directory names a Workbook stream, made calamine's reader
// panic (`assert_eq!(s.len() % 4, 0)` on the cut FAT sector). The input is
// the fuzzer's, minimised (513 bytes, mostly zeros).
#[test]
fn a_truncated_xls_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = vec![0u8; 513];
    let runs: [(usize, &[u8]); 17] = [
        (0, b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"),
        (
            12,
            b"\x6E\x00\x00\xFF\xFF\xFF\xFF\xFF\xFF\xFF\x02\x00\x3E\x00\x03\x00\xFE\xFF\x09\x00\x06",
        ),
        (59, b"\xFE\xFF\xFF\xFF"),
        (83, b"\x01"),
        (
            116,
            b"\x57\x00\x6F\x00\x72\x00\x6B\x00\x62\x00\x6F\x00\x6F\x00\x6B",
        ),
        (164, b"\x01\x00\xFF\xFF\xFF"),
        (212, b"\x01\x00\xFF\xFF\xFF"),
        (253, b"\xFE\xFF\xFF\xFF"),
        (267, b"\xFE\xFF\xFF\xFF"),
        (292, b"\xFF"),
        (332, b"\x01\x00\xFF\xFF\xFF"),
        (373, b"\xFE\xFF\xFF\xFF"),
        (387, b"\xFE\xFF\xFF\xFF"),
        (424, b"\x01\x00\xFF\xFF\xFF"),
        (465, b"\xFE\xFF\xFF\xFF"),
        (479, b"\xFE\xFF\xFF\xFF"),
        (501, b"\xFE\xFF\xFF\xFF"),
    ];
    for (at, run) in runs {
        bytes[at..at + run.len()].copy_from_slice(run);
    }
    std::fs::write(dir.path().join("legacy.xls"), bytes).unwrap();
    let o = run(dir.path(), &["inspect", "legacy.xls"]);
    let err = assert_one_line_error(&o, "legacy.xls");
    assert!(err.contains("malformed"), "{err}");
}

/// Runs `vouch ARGS` in `dir` under `ulimit -v` (1 GiB) and a 60 s bound.
fn run_bounded(dir: &Path, args: &[&str]) -> Output {
    let mut child = std::process::Command::new("sh")
        .arg("-c")
        .arg("ulimit -v 1048576 && exec \"$0\" \"$@\"")
        .arg(util::binary())
        .args(args)
        .current_dir(dir)
        // Default mode, as util::vouch(): CI sets VOUCH_MODEL for full-mode tests.
        .env_remove("VOUCH_MODEL")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > std::time::Duration::from_secs(60) {
            child.kill().ok();
            child.wait().ok();
            panic!("vouch {args:?} did not finish within 60 s");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

// read_text, 2026-11-30 (a timeout, 20 GB resident): a legacy XLS whose
// directory chain loops back on itself made calamine append the same
// sector forever. Rebuilt by hand: FAT in sector 0, the directory in
// sector 1, and the FAT says sector 1 follows sector 1.
#[cfg(unix)]
#[test]
fn an_xls_whose_directory_chain_loops_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut b = vec![0u8; 512 + 2 * 512];
    b[..8].copy_from_slice(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1");
    b[24..26].copy_from_slice(&0x3Eu16.to_le_bytes());
    b[26..28].copy_from_slice(&3u16.to_le_bytes());
    b[28..30].copy_from_slice(&0xFFFEu16.to_le_bytes());
    b[30..32].copy_from_slice(&9u16.to_le_bytes()); // 512-byte sectors
    b[32..34].copy_from_slice(&6u16.to_le_bytes());
    b[44..48].copy_from_slice(&1u32.to_le_bytes()); // one FAT sector
    b[48..52].copy_from_slice(&1u32.to_le_bytes()); // directory at sector 1
    b[60..64].copy_from_slice(&0xFFFF_FFFEu32.to_le_bytes());
    b[68..72].copy_from_slice(&0xFFFF_FFFEu32.to_le_bytes());
    for slot in b[76..512].chunks_mut(4) {
        slot.copy_from_slice(&0xFFFF_FFFFu32.to_le_bytes());
    }
    b[76..80].copy_from_slice(&0u32.to_le_bytes()); // the FAT is sector 0
    b[512..516].copy_from_slice(&0xFFFF_FFFDu32.to_le_bytes()); // sector 0: FAT
    b[516..520].copy_from_slice(&1u32.to_le_bytes()); // sector 1 -> sector 1
    let name: Vec<u8> = "Workbook"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    b[1024..1024 + name.len()].copy_from_slice(&name);
    std::fs::write(dir.path().join("loop.xls"), b).unwrap();
    let o = run_bounded(dir.path(), &["inspect", "loop.xls"]);
    let err = assert_one_line_error(&o, "loop.xls");
    assert!(err.contains("malformed"), "{err}");
}
