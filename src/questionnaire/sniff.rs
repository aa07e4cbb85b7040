//! What kind of file is this? Decided from the bytes, not the extension,
//! so that a renamed file, an encrypted workbook or a zip bomb gets a clear
//! message instead of a confusing parser error.

use std::io::{Cursor, Read};
use std::path::Path;

use anyhow::{bail, Context, Result};

use super::Format;

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Decides the format of `bytes` read from `path`.
pub fn sniff(path: &Path, bytes: &[u8], max_decompressed: u64) -> Result<Format> {
    let name = path.display();
    if bytes.is_empty() {
        bail!("{name}: the file is empty");
    }
    if bytes.starts_with(OLE_MAGIC) {
        return sniff_ole(path, bytes);
    }
    if bytes.starts_with(ZIP_MAGIC) || bytes.starts_with(b"PK\x05\x06") {
        return sniff_zip(path, bytes, max_decompressed);
    }
    if looks_like_vsaq(bytes) {
        return Ok(Format::VsaqJson);
    }
    if looks_like_text(bytes) {
        return Ok(Format::Csv);
    }
    bail!(
        "{name}: not a spreadsheet (expected CSV, XLSX, XLSM, XLS, ODS or a VSAQ JSON questionnaire)"
    )
}

/// An OLE/CFB container is either a legacy `.xls` or an encrypted OOXML
/// workbook (Office keeps the encrypted zip in an `EncryptedPackage` stream).
fn sniff_ole(path: &Path, bytes: &[u8]) -> Result<Format> {
    if contains_utf16(bytes, "EncryptedPackage") || contains_utf16(bytes, "EncryptionInfo") {
        bail!(
            "{}: the workbook is encrypted (password-protected); open it in Excel, remove the \
             password (File > Info > Protect Workbook > Encrypt with Password) or save an \
             unprotected copy, and run vouch on that copy",
            path.display()
        );
    }
    if contains_utf16(bytes, "Workbook") || contains_utf16(bytes, "Book") {
        super::cfb_check::check(path, bytes)?;
        return Ok(Format::Xls);
    }
    bail!(
        "{}: an OLE compound file that holds no workbook (is it a Word or Outlook file?)",
        path.display()
    )
}

/// Directory entry names in a CFB file are UTF-16LE.
fn contains_utf16(haystack: &[u8], needle: &str) -> bool {
    let pattern: Vec<u8> = needle.encode_utf16().flat_map(u16::to_le_bytes).collect();
    haystack
        .windows(pattern.len())
        .any(|w| w == pattern.as_slice())
}

fn sniff_zip(path: &Path, bytes: &[u8], max_decompressed: u64) -> Result<Format> {
    let name = path.display();
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
        anyhow::anyhow!("{name}: not a valid spreadsheet: corrupt zip archive ({e})")
    })?;
    check_decompressed_size(path, &mut zip, max_decompressed)?;
    let names: Vec<String> = zip
        .file_names()
        .filter_map(|n| n.ok().map(|n| n.into_owned()))
        .collect();
    let has = |n: &str| names.iter().any(|x| x.eq_ignore_ascii_case(n));
    if has("xl/workbook.xml") || names.iter().any(|n| n.ends_with("workbook.xml")) {
        let macro_enabled = has("xl/vbaProject.bin")
            || path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("xlsm"));
        return Ok(if macro_enabled {
            Format::Xlsm
        } else {
            Format::Xlsx
        });
    }
    if has("xl/workbook.bin") {
        return Ok(Format::Xlsb);
    }
    if has("content.xml") && has("mimetype") {
        return Ok(Format::Ods);
    }
    if has("word/document.xml") {
        bail!("{name}: this is a Word document, not a spreadsheet");
    }
    bail!("{name}: a zip archive but not a spreadsheet (no xl/workbook.xml or content.xml)")
}

/// Decompresses every entry once into a sink, counting bytes, so that a zip
/// bomb is refused before any parser allocates for it. The declared sizes
/// are checked first (cheap), then the real ones (declared sizes can lie).
pub fn check_decompressed_size<R: Read + std::io::Seek>(
    path: &Path,
    zip: &mut zip::ZipArchive<R>,
    max: u64,
) -> Result<()> {
    let name = path.display();
    let too_big = || {
        anyhow::anyhow!(
            "{name}: refusing to read: the archive expands to more than {} MiB (a zip bomb?); \
             pass --max-size to raise the limit",
            max / (1024 * 1024)
        )
    };
    let declared: u64 = (0..zip.len())
        .filter_map(|i| zip.by_index_raw(i).ok().map(|f| f.size()))
        .fold(0u64, u64::saturating_add);
    if declared > max {
        return Err(too_big());
    }
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let mut entry = zip
            .by_index(i)
            .with_context(|| format!("{name}: corrupt zip archive"))?;
        if entry.encrypted() {
            bail!("{name}: the archive is encrypted; save an unprotected copy and use that");
        }
        let budget = max.saturating_sub(total).saturating_add(1);
        let n = std::io::copy(&mut (&mut entry).take(budget), &mut std::io::sink())
            .with_context(|| format!("{name}: corrupt zip archive (entry {i})"))?;
        total = total.saturating_add(n);
        if total > max {
            return Err(too_big());
        }
    }
    Ok(())
}

fn looks_like_vsaq(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(64 * 1024)];
    let text = String::from_utf8_lossy(head);
    let first = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with("//"));
    first.is_some_and(|l| l.starts_with('{')) && text.contains("\"questionnaire\"")
}

/// Text has no NUL bytes (UTF-16 with a BOM is text too).
fn looks_like_text(bytes: &[u8]) -> bool {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return true;
    }
    let head = &bytes[..bytes.len().min(8192)];
    !head.contains(&0)
}
