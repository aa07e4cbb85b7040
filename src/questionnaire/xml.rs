//! Small helpers over quick-xml for the OOXML parts we read ourselves
//! (workbook.xml, relationships, styles.xml and worksheet metadata).

use std::io::{Cursor, Read};

use anyhow::{Context, Result};
use quick_xml::events::{BytesRef, BytesStart};

/// The unescaped value of attribute `name` (matched on the local name, so
/// `r:id` is found as `id` only when asked for `r:id` exactly).
pub fn attr(e: &BytesStart, name: &str) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        let key: &str = a.key.as_ref();
        (key == name).then(|| {
            quick_xml::escape::unescape(&a.value)
                .map(|v| v.into_owned())
                .unwrap_or_else(|_| a.value.to_string())
        })
    })
}

/// The local name of an element (`x14:dataValidation` -> `dataValidation`).
pub fn local(e: &BytesStart) -> String {
    let name = e.name();
    let full: &str = name.as_ref();
    full.rsplit(':').next().unwrap_or(full).to_owned()
}

/// The full (prefixed) name of an element.
pub fn qname(e: &BytesStart) -> String {
    let name = e.name();
    let full: &str = name.as_ref();
    full.to_owned()
}

/// Appends the character an entity reference stands for.
pub fn push_ref(out: &mut String, r: &BytesRef) {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        out.push(c);
        return;
    }
    let name: &str = r;
    match name {
        "amp" => out.push('&'),
        "lt" => out.push('<'),
        "gt" => out.push('>'),
        "quot" => out.push('"'),
        "apos" => out.push('\''),
        other => {
            out.push('&');
            out.push_str(other);
            out.push(';');
        }
    }
}

/// Escapes text for element content.
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            // Characters XML 1.0 cannot carry at all are dropped.
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// Reads one zip entry fully, or `None` when it does not exist.
pub fn read_entry(bytes: &[u8], name: &str) -> Result<Option<Vec<u8>>> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).context("corrupt zip archive")?;
    read_entry_from(&mut zip, name)
}

pub fn read_entry_from<R: Read + std::io::Seek>(
    zip: &mut zip::ZipArchive<R>,
    name: &str,
) -> Result<Option<Vec<u8>>> {
    let mut entry = match zip.by_name(name) {
        Ok(e) => e,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(e).with_context(|| format!("cannot read {name} in the archive")),
    };
    let mut buf = Vec::with_capacity(entry.size().min(64 << 20) as usize);
    entry
        .read_to_end(&mut buf)
        .with_context(|| format!("cannot read {name} in the archive"))?;
    Ok(Some(buf))
}
