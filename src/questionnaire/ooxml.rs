//! The package structure of an XLSX/XLSM workbook: where each sheet's XML
//! lives, which sheets are hidden, the defined names, and which cell styles
//! are unlocked (for protected sheets).

use std::collections::HashMap;
use std::io::{Read, Seek};

use anyhow::{Context, Result};
use quick_xml::events::Event;
use quick_xml::Reader;

use super::xml::{attr, local, read_entry_from};

/// One `<sheet>` of workbook.xml.
#[derive(Debug, Clone)]
pub struct SheetEntry {
    pub name: String,
    /// The zip entry of the worksheet XML, e.g. `xl/worksheets/sheet2.xml`.
    pub path: String,
    pub hidden: bool,
}

#[derive(Debug, Clone, Default)]
pub struct WorkbookInfo {
    pub sheets: Vec<SheetEntry>,
    /// Defined names (lower-cased) -> formula text (`Values!$A$4:$A$6`).
    pub defined_names: HashMap<String, String>,
    pub styles_path: Option<String>,
}

pub fn read_workbook<R: Read + Seek>(zip: &mut zip::ZipArchive<R>) -> Result<WorkbookInfo> {
    let wb_path = office_document_path(zip)?.unwrap_or_else(|| "xl/workbook.xml".to_owned());
    let wb_xml =
        read_entry_from(zip, &wb_path)?.with_context(|| format!("the archive has no {wb_path}"))?;
    let rels_path = rels_path_for(&wb_path);
    let rels = match read_entry_from(zip, &rels_path)? {
        Some(x) => parse_rels(&x, &dir_of(&wb_path))?,
        None => Vec::new(),
    };
    let rel_target = |id: &str| rels.iter().find(|r| r.id == id).map(|r| r.target.clone());
    let mut info = WorkbookInfo {
        styles_path: rels
            .iter()
            .find(|r| r.kind.ends_with("/styles"))
            .map(|r| r.target.clone()),
        ..WorkbookInfo::default()
    };
    let mut reader = Reader::from_reader(wb_xml.as_slice());
    let mut pending_name: Option<String> = None;
    let mut name_text = String::new();
    loop {
        match reader
            .read_event()
            .context("workbook.xml is not valid XML")?
        {
            Event::Empty(e) | Event::Start(e) if local(&e) == "sheet" => {
                let name = attr(&e, "name").unwrap_or_default();
                let id = attr(&e, "r:id")
                    .or_else(|| {
                        e.attributes().flatten().find_map(|a| {
                            let k: &str = a.key.as_ref();
                            k.ends_with(":id").then(|| a.value.to_string())
                        })
                    })
                    .unwrap_or_default();
                let state = attr(&e, "state").unwrap_or_default();
                if let Some(path) = rel_target(&id) {
                    info.sheets.push(SheetEntry {
                        name,
                        path,
                        hidden: state == "hidden" || state == "veryHidden",
                    });
                }
            }
            Event::Start(e) if local(&e) == "definedName" => {
                pending_name = attr(&e, "name");
                name_text.clear();
            }
            Event::Text(t) if pending_name.is_some() => name_text.push_str(&t),
            Event::GeneralRef(r) if pending_name.is_some() => {
                super::xml::push_ref(&mut name_text, &r)
            }
            Event::End(e)
                if {
                    let n = e.name();
                    let s: &str = n.as_ref();
                    s.ends_with("definedName")
                } =>
            {
                if let Some(name) = pending_name.take() {
                    info.defined_names
                        .insert(name.to_lowercase(), name_text.trim().to_owned());
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(info)
}

struct Rel {
    id: String,
    target: String,
    kind: String,
}

fn office_document_path<R: Read + Seek>(zip: &mut zip::ZipArchive<R>) -> Result<Option<String>> {
    let Some(xml) = read_entry_from(zip, "_rels/.rels")? else {
        return Ok(None);
    };
    let rels = parse_rels(&xml, "")?;
    Ok(rels
        .into_iter()
        .find(|r| r.kind.ends_with("/officeDocument"))
        .map(|r| r.target))
}

fn parse_rels(xml: &[u8], base_dir: &str) -> Result<Vec<Rel>> {
    let mut out = Vec::new();
    let mut reader = Reader::from_reader(xml);
    loop {
        match reader
            .read_event()
            .context("a relationships part is not valid XML")?
        {
            Event::Empty(e) | Event::Start(e) if local(&e) == "Relationship" => {
                let target = attr(&e, "Target").unwrap_or_default();
                out.push(Rel {
                    id: attr(&e, "Id").unwrap_or_default(),
                    target: resolve_target(base_dir, &target),
                    kind: attr(&e, "Type").unwrap_or_default(),
                });
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

/// `xl/workbook.xml` -> `xl/_rels/workbook.xml.rels`.
fn rels_path_for(part: &str) -> String {
    let dir = dir_of(part);
    let file = part.rsplit('/').next().unwrap_or(part);
    if dir.is_empty() {
        format!("_rels/{file}.rels")
    } else {
        format!("{dir}/_rels/{file}.rels")
    }
}

fn dir_of(part: &str) -> String {
    part.rsplit_once('/')
        .map(|(d, _)| d.to_owned())
        .unwrap_or_default()
}

/// Resolves a relationship target against the source part's folder.
fn resolve_target(base_dir: &str, target: &str) -> String {
    if let Some(abs) = target.strip_prefix('/') {
        return abs.to_owned();
    }
    let mut parts: Vec<&str> = base_dir.split('/').filter(|s| !s.is_empty()).collect();
    for seg in target.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// For each cell format (`cellXfs` index), whether it is locked. Cells are
/// locked unless their xf carries `<protection locked="0"/>`.
pub fn read_locked_styles(styles_xml: &[u8]) -> Result<Vec<bool>> {
    let mut out = Vec::new();
    let mut reader = Reader::from_reader(styles_xml);
    let mut in_cell_xfs = false;
    let mut in_xf = false;
    loop {
        match reader.read_event().context("styles.xml is not valid XML")? {
            Event::Start(e) if local(&e) == "cellXfs" => in_cell_xfs = true,
            Event::End(e)
                if {
                    let n = e.name();
                    let s: &str = n.as_ref();
                    s.ends_with("cellXfs")
                } =>
            {
                in_cell_xfs = false
            }
            Event::Start(e) if in_cell_xfs && local(&e) == "xf" => {
                out.push(true);
                in_xf = true;
            }
            Event::Empty(e) if in_cell_xfs && local(&e) == "xf" => out.push(true),
            Event::Empty(e) | Event::Start(e) if in_xf && local(&e) == "protection" => {
                let locked = attr(&e, "locked").unwrap_or_else(|| "1".into());
                if let Some(last) = out.last_mut() {
                    *last = !(locked == "0" || locked == "false");
                }
            }
            Event::End(e)
                if {
                    let n = e.name();
                    let s: &str = n.as_ref();
                    s == "xf" || s.ends_with(":xf")
                } =>
            {
                in_xf = false
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_targets() {
        assert_eq!(
            resolve_target("xl", "worksheets/sheet1.xml"),
            "xl/worksheets/sheet1.xml"
        );
        assert_eq!(
            resolve_target("xl", "/xl/worksheets/sheet1.xml"),
            "xl/worksheets/sheet1.xml"
        );
        assert_eq!(resolve_target("xl/sub", "../styles.xml"), "xl/styles.xml");
        assert_eq!(
            rels_path_for("xl/workbook.xml"),
            "xl/_rels/workbook.xml.rels"
        );
    }

    #[test]
    fn locked_styles() {
        let xml = br#"<styleSheet><cellXfs count="3"><xf numFmtId="0"/><xf applyProtection="1"><protection locked="0"/></xf><xf><alignment wrapText="1"/></xf></cellXfs></styleSheet>"#;
        assert_eq!(read_locked_styles(xml).unwrap(), vec![true, false, true]);
    }
}
