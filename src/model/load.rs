//! Loading `data/` into a [`Project`], collecting every problem as a finding.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use anyhow::{Context, Result};

use super::csv_file::{read_records, split_list, Record};
use super::toml_file::{parse_date, Fields, TomlFile};
use super::*;
use crate::diag::Finding;
use crate::tsc;

const COMPANY: &str = "data/company.toml";
const CONTROLS: &str = "data/controls.csv";
const REPORTS: &str = "data/reports.toml";
const DOCUMENTS: &str = "data/documents.toml";
const SUBPROCESSORS: &str = "data/subprocessors.csv";
const UPDATES: &str = "data/updates";

/// The keys of each table, as documented in docs/data-format.md; any other
/// key is an error naming the closest valid one (a typo must never fail
/// open, e.g. a misspelt `visibility` publishing an item).
pub const COMPANY_KEYS: &[&str] = &[
    "name",
    "website",
    "security_contact",
    "logo",
    "description",
    "commitments",
    "requirements",
    "categories",
    "boundaries",
    "trust_center",
];
pub const TRUST_CENTER_KEYS: &[&str] = &[
    "request_access_url",
    "security_txt_lifetime_days",
    "preferred_languages",
    "vulnerability_policy_url",
];
pub const REPORT_KEYS: &[&str] = &[
    "id",
    "kind",
    "title",
    "auditor",
    "opinion",
    "categories",
    "period_start",
    "period_end",
    "as_of",
    "issued",
    "valid_until",
    "file",
    "access",
    "summary",
];
pub const DOCUMENT_KEYS: &[&str] = &[
    "id", "title", "kind", "summary", "updated", "file", "access",
];
pub const UPDATE_KEYS: &[&str] = &["title", "date", "visibility"];
pub const CONTROL_COLUMNS: &[&str] = &[
    "id",
    "title",
    "description",
    "criteria",
    "domain",
    "owner",
    "frequency",
    "status",
    "visibility",
    "last_tested",
    "tags",
];
pub const SUBPROCESSOR_COLUMNS: &[&str] = &[
    "name",
    "purpose",
    "data",
    "location",
    "since",
    "website",
    "visibility",
];

/// Loads the project at `root`. `Err` only when it cannot run (no
/// `data/company.toml`, unreadable files); data problems are findings.
pub fn load(root: &Path) -> Result<(Project, Vec<Finding>)> {
    let mut findings = Vec::new();
    let company_path = root.join(COMPANY);
    anyhow::ensure!(
        company_path.is_file(),
        "{} not found: is {} a vouch project? (use -C DIR to point at one, or `vouch init DIR` to start one)",
        company_path.display(),
        root.display()
    );
    let company = load_company(&read(root, COMPANY)?, &mut findings);
    let controls = match read_optional(root, CONTROLS, &mut findings)? {
        Some(text) => load_controls(&text, &mut findings),
        None if std::fs::symlink_metadata(root.join(CONTROLS)).is_ok() => Vec::new(),
        None => {
            findings.push(Finding::error(CONTROLS, "file not found"));
            Vec::new()
        }
    };
    let reports = read_optional(root, REPORTS, &mut findings)?
        .map(|t| load_reports(&t, &mut findings))
        .unwrap_or_default();
    let documents = read_optional(root, DOCUMENTS, &mut findings)?
        .map(|t| load_documents(&t, &mut findings))
        .unwrap_or_default();
    let subprocessors = read_optional(root, SUBPROCESSORS, &mut findings)?
        .map(|t| load_subprocessors(&t, &mut findings))
        .unwrap_or_default();
    let updates = load_updates(root, &mut findings)?;
    let project = Project {
        root: root.to_path_buf(),
        company,
        controls,
        reports,
        documents,
        subprocessors,
        updates,
    };
    Ok((project, findings))
}

/// Reads a data file through the path guard: a symlink leading outside the
/// project is an error, never read.
fn read(root: &Path, rel: &str) -> Result<String> {
    let path = crate::guard::resolve_file(root, rel)
        .map_err(|msg| anyhow::anyhow!("{rel}: error: {msg}"))?;
    let bytes = std::fs::read(&path).with_context(|| format!("cannot read {rel}"))?;
    String::from_utf8(bytes).map_err(|e| {
        let line = bytes_line(e.as_bytes(), e.utf8_error().valid_up_to());
        anyhow::anyhow!("{rel}:{line}: error: not valid UTF-8 text (save the file as UTF-8)")
    })
}

/// The 1-based line holding byte `offset`.
fn bytes_line(bytes: &[u8], offset: usize) -> usize {
    bytes[..offset].iter().filter(|&&b| b == b'\n').count() + 1
}

/// A data file that may be absent. A file the guard refuses (a symlink out
/// of the project) becomes a finding and is not read.
fn read_optional(root: &Path, rel: &str, findings: &mut Vec<Finding>) -> Result<Option<String>> {
    if std::fs::symlink_metadata(root.join(rel)).is_err() {
        return Ok(None);
    }
    if let Err(msg) = crate::guard::resolve_file(root, rel) {
        findings.push(Finding::error(rel, msg));
        return Ok(None);
    }
    read(root, rel).map(Some)
}

fn load_company(text: &str, findings: &mut Vec<Finding>) -> Company {
    let Some((doc, table)) = TomlFile::parse(COMPANY, text, findings) else {
        return Company::default();
    };
    let mut f = Fields::new(&doc, &table, 0, findings);
    f.deny_unknown(COMPANY_KEYS, &[], "");
    let mut categories: Vec<tsc::Category> = f.enum_list("categories");
    if !table.contains_key("categories") {
        f.error("categories", "missing required field");
    }
    if !categories.contains(&tsc::Category::Security) {
        categories.insert(0, tsc::Category::Security);
    }
    categories.sort();
    categories.dedup();
    let boundaries = f
        .table("boundaries")
        .map(|t| boundaries(&doc, t, f.findings_mut()))
        .unwrap_or_default();
    let company = Company {
        name: f.req_str("name").unwrap_or_default(),
        website: f.req_str("website").unwrap_or_default(),
        security_contact: f.req_str("security_contact").unwrap_or_default(),
        logo: f.opt_str("logo"),
        description: f.req_str("description").unwrap_or_default(),
        boundaries,
        commitments: f.str_list("commitments"),
        requirements: f.str_list("requirements"),
        categories,
        trust_center: TrustCenter::default(),
        origin: Origin {
            file: COMPANY.into(),
            line: 1,
            key_lines: f.key_lines(),
        },
    };
    let trust_center = table
        .get("trust_center")
        .and_then(|v| v.as_table())
        .map(|t| {
            let line = doc.table_line("trust_center");
            let mut f = Fields::new(&doc, t, line, findings);
            f.deny_unknown(
                TRUST_CENTER_KEYS,
                COMPANY_KEYS,
                "at the top level, above [trust_center]",
            );
            TrustCenter {
                request_access_url: f.opt_str("request_access_url"),
                security_txt_lifetime_days: f.opt_int("security_txt_lifetime_days"),
                preferred_languages: f.opt_str("preferred_languages"),
                vulnerability_policy_url: f.opt_str("vulnerability_policy_url"),
            }
        })
        .unwrap_or_default();
    Company {
        trust_center,
        ..company
    }
}

/// `[boundaries]`: one paragraph (a string) per component, any name. A
/// company key written after the header lands here by TOML's rules: say so.
fn boundaries(
    doc: &TomlFile,
    table: &toml::Table,
    findings: &mut Vec<Finding>,
) -> BTreeMap<String, String> {
    let line = doc.table_line("boundaries");
    let mut out = BTreeMap::new();
    for (key, value) in table {
        let key_line = doc.key_line(line, key);
        if COMPANY_KEYS.contains(&key.as_str()) {
            findings.push(
                Finding::error(
                    COMPANY,
                    format!("{key:?} belongs at the top level, above [boundaries] (a key written after a [table] header belongs to that table)"),
                )
                .at(key_line)
                .field(key.as_str()),
            );
            continue;
        }
        match value.as_str() {
            Some(text) => {
                out.insert(key.clone(), text.to_string());
            }
            None => findings.push(
                Finding::error(
                    COMPANY,
                    format!("expected a paragraph of text, found {}", value.type_str()),
                )
                .at(key_line)
                .field(format!("boundaries.{key}")),
            ),
        }
    }
    out
}

/// Records a finding for a missing required CSV value.
fn required<'r>(
    rec: &'r Record<'_>,
    file: &str,
    column: &str,
    findings: &mut Vec<Finding>,
) -> Option<&'r str> {
    let v = rec.get(column);
    // A column missing from the header was reported once, on the header.
    if v.is_none() && rec.has_column(column) {
        findings.push(
            Finding::error(file, "missing required value")
                .at(rec.row)
                .field(column),
        );
    }
    v
}

fn csv_enum<T: std::str::FromStr<Err = String>>(
    rec: &Record<'_>,
    file: &str,
    column: &str,
    findings: &mut Vec<Finding>,
) -> Option<T> {
    let v = rec.get(column)?;
    match v.parse() {
        Ok(x) => Some(x),
        Err(msg) => {
            findings.push(Finding::error(file, msg).at(rec.row).field(column));
            None
        }
    }
}

fn csv_date(
    rec: &Record<'_>,
    file: &str,
    column: &str,
    findings: &mut Vec<Finding>,
) -> Option<chrono::NaiveDate> {
    let v = rec.get(column)?;
    match parse_date(v) {
        Ok(d) => Some(d),
        Err(msg) => {
            findings.push(Finding::error(file, msg).at(rec.row).field(column));
            None
        }
    }
}

fn load_controls(text: &str, findings: &mut Vec<Finding>) -> Vec<Control> {
    let required_columns = &CONTROL_COLUMNS[..9];
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    read_records(
        CONTROLS,
        text,
        required_columns,
        CONTROL_COLUMNS,
        findings,
        |rec, findings| {
            for column in ["title", "description", "domain", "owner", "frequency"] {
                required(&rec, CONTROLS, column, findings);
            }
            let Some(id) = required(&rec, CONTROLS, "id", findings) else {
                return;
            };
            if !seen.insert(id.to_string()) {
                findings.push(
                    Finding::error(CONTROLS, format!("duplicate control id {id:?}"))
                        .at(rec.row)
                        .field("id"),
                );
            }
            let listed = split_list(rec.get("criteria"));
            if listed.is_empty() {
                required(&rec, CONTROLS, "criteria", findings);
            }
            // `cc6.2` is `CC6.2`: ids are kept in their canonical spelling.
            let mut criteria = Vec::new();
            for c in &listed {
                match tsc::canonical(c) {
                    Some(id) => criteria.push(id.to_string()),
                    None => findings.push(
                        Finding::error(CONTROLS, tsc::unknown_message(c))
                            .at(rec.row)
                            .field("criteria"),
                    ),
                }
            }
            let status = csv_enum(&rec, CONTROLS, "status", findings);
            let visibility = csv_enum(&rec, CONTROLS, "visibility", findings);
            if rec.get("status").is_none() {
                required(&rec, CONTROLS, "status", findings);
            }
            if rec.get("visibility").is_none() {
                required(&rec, CONTROLS, "visibility", findings);
            }
            out.push(Control {
                id: id.to_string(),
                title: rec.get("title").unwrap_or_default().to_string(),
                description: rec.get("description").unwrap_or_default().to_string(),
                criteria,
                domain: rec.get("domain").unwrap_or_default().to_string(),
                owner: rec.get("owner").unwrap_or_default().to_string(),
                frequency: csv_enum(&rec, CONTROLS, "frequency", findings),
                // An unreadable status never counts as implemented; an unreadable
                // visibility is treated as internal so it never leaks.
                status: status.unwrap_or(Status::Planned),
                visibility: visibility.unwrap_or(Visibility::Internal),
                last_tested: csv_date(&rec, CONTROLS, "last_tested", findings),
                tags: split_list(rec.get("tags")),
                origin: Origin {
                    file: CONTROLS.into(),
                    line: rec.row,
                    ..Origin::default()
                },
            });
        },
    );
    out
}

/// Reads every `[[name]]` table of a TOML file with its header line.
fn each_item(
    file: &str,
    text: &str,
    name: &str,
    known: &[&str],
    findings: &mut Vec<Finding>,
    mut each: impl FnMut(&mut Fields<'_>, usize),
) {
    let Some((doc, table)) = TomlFile::parse(file, text, findings) else {
        return;
    };
    Fields::new(&doc, &table, 0, findings).deny_unknown(&[name], &[], "");
    let lines = doc.array_lines(name);
    let items = match table.get(name) {
        None => return,
        Some(toml::Value::Array(items)) => items,
        Some(_) => {
            findings.push(Finding::error(file, format!("expected [[{name}]] tables")));
            return;
        }
    };
    for (i, item) in items.iter().enumerate() {
        let line = lines.get(i).copied().unwrap_or(1);
        let Some(t) = item.as_table() else {
            findings.push(Finding::error(file, format!("expected a [[{name}]] table")).at(line));
            continue;
        };
        let mut f = Fields::new(&doc, t, line, findings);
        f.deny_unknown(known, &[], "");
        each(&mut f, line);
    }
}

fn check_duplicate(seen: &mut HashSet<String>, f: &mut Fields<'_>, id: &str) {
    if !seen.insert(id.to_string()) {
        f.error("id", format!("duplicate id {id:?}"));
    }
}

fn load_reports(text: &str, findings: &mut Vec<Finding>) -> Vec<Report> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    each_item(REPORTS, text, "report", REPORT_KEYS, findings, |f, line| {
        let id = f.req_str("id");
        let kind = f.req_enum::<ReportKind>("kind");
        let title = f.req_str("title");
        let access = f.req_enum::<Access>("access");
        let report = Report {
            id: id.clone().unwrap_or_default(),
            kind: kind.unwrap_or(ReportKind::Other),
            title: title.unwrap_or_default(),
            auditor: f.opt_str("auditor"),
            opinion: f.opt_str("opinion"),
            categories: f.enum_list("categories"),
            period_start: f.opt_date("period_start"),
            period_end: f.opt_date("period_end"),
            as_of: f.opt_date("as_of"),
            issued: f.opt_date("issued"),
            valid_until: f.opt_date("valid_until"),
            file: f.opt_str("file"),
            access: access.unwrap_or(Access::Internal),
            summary: f.opt_str("summary"),
            origin: Origin {
                file: REPORTS.into(),
                line,
                key_lines: f.key_lines(),
            },
        };
        if let Some(id) = &id {
            check_duplicate(&mut seen, f, id);
        }
        check_report_dates(f, &report);
        out.push(report);
    });
    out
}

fn check_report_dates(f: &mut Fields<'_>, r: &Report) {
    match r.kind {
        ReportKind::Soc2Type2 => {
            for key in ["period_start", "period_end"] {
                if !f_has(r, key) {
                    f.error(key, "required for a soc2-type2 report");
                }
            }
        }
        ReportKind::Soc2Type1 if r.as_of.is_none() => {
            f.error("as_of", "required for a soc2-type1 report");
        }
        _ => {}
    }
    if let (Some(s), Some(e)) = (r.period_start, r.period_end) {
        if e <= s {
            f.error("period_end", "the period ends before it starts");
        }
    }
}

fn f_has(r: &Report, key: &str) -> bool {
    match key {
        "period_start" => r.period_start.is_some(),
        _ => r.period_end.is_some(),
    }
}

fn load_documents(text: &str, findings: &mut Vec<Finding>) -> Vec<Document> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    each_item(
        DOCUMENTS,
        text,
        "document",
        DOCUMENT_KEYS,
        findings,
        |f, line| {
            let id = f.req_str("id");
            let title = f.req_str("title");
            let kind = f.req_enum::<DocumentKind>("kind");
            let access = f.req_enum::<Access>("access");
            if let Some(id) = &id {
                check_duplicate(&mut seen, f, id);
            }
            out.push(Document {
                id: id.unwrap_or_default(),
                title: title.unwrap_or_default(),
                kind: kind.unwrap_or(DocumentKind::Other),
                summary: f.opt_str("summary"),
                updated: f.opt_date("updated"),
                file: f.opt_str("file"),
                access: access.unwrap_or(Access::Internal),
                origin: Origin {
                    file: DOCUMENTS.into(),
                    line,
                    key_lines: f.key_lines(),
                },
            });
        },
    );
    out
}

fn load_subprocessors(text: &str, findings: &mut Vec<Finding>) -> Vec<Subprocessor> {
    let required_columns = &SUBPROCESSOR_COLUMNS[..5];
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    read_records(
        SUBPROCESSORS,
        text,
        required_columns,
        SUBPROCESSOR_COLUMNS,
        findings,
        |rec, findings| {
            for &column in required_columns {
                required(&rec, SUBPROCESSORS, column, findings);
            }
            let Some(name) = rec.get("name") else { return };
            if !seen.insert(name.to_string()) {
                findings.push(
                    Finding::error(SUBPROCESSORS, format!("duplicate subprocessor {name:?}"))
                        .at(rec.row)
                        .field("name"),
                );
            }
            out.push(Subprocessor {
                name: name.to_string(),
                purpose: rec.get("purpose").unwrap_or_default().to_string(),
                data: rec.get("data").unwrap_or_default().to_string(),
                location: split_list(rec.get("location")),
                since: csv_date(&rec, SUBPROCESSORS, "since", findings),
                website: rec.get("website").map(str::to_string),
                visibility: csv_enum(&rec, SUBPROCESSORS, "visibility", findings).unwrap_or(
                    if rec.get("visibility").is_some() {
                        Visibility::Internal
                    } else {
                        Visibility::Public
                    },
                ),
                origin: Origin {
                    file: SUBPROCESSORS.into(),
                    line: rec.row,
                    ..Origin::default()
                },
            });
        },
    );
    out
}

fn load_updates(root: &Path, findings: &mut Vec<Finding>) -> Result<Vec<Update>> {
    let dir = match crate::guard::resolve_dir(root, UPDATES) {
        Ok(Some(dir)) => dir,
        Ok(None) => return Ok(Vec::new()),
        Err(msg) => {
            findings.push(Finding::error(UPDATES, msg));
            return Ok(Vec::new());
        }
    };
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md"))
        .collect();
    names.sort();
    let mut out = Vec::new();
    for name in names {
        let rel = format!("{UPDATES}/{name}");
        let text = match read_optional(root, &rel, findings)? {
            Some(text) => text,
            None => continue,
        };
        if let Some(update) = parse_update(&rel, &name, &text, findings) {
            out.push(update);
        }
    }
    Ok(out)
}

fn parse_update(rel: &str, name: &str, text: &str, findings: &mut Vec<Finding>) -> Option<Update> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Some(rest) = text.strip_prefix("+++") else {
        findings.push(Finding::error(rel, "expected TOML front matter between +++ lines").at(1));
        return None;
    };
    let Some(end) = rest.find("\n+++") else {
        findings.push(Finding::error(rel, "front matter is not closed with +++").at(1));
        return None;
    };
    let front = &rest[..end];
    let body = rest[end + 4..].trim_start_matches(['\r', '\n']).to_string();
    // Front matter lines start on line 2 of the file: prefix one empty line.
    let front_text = format!("\n{}", front.trim_start_matches(['\r', '\n']));
    let (doc, table) = TomlFile::parse(rel, &front_text, findings)?;
    let mut f = Fields::new(&doc, &table, 0, findings);
    f.deny_unknown(UPDATE_KEYS, &[], "");
    let title = f.req_str("title");
    let date = f.opt_date("date");
    if !table.contains_key("date") {
        f.error("date", "missing required field");
    }
    let visibility =
        f.opt_enum::<Visibility>("visibility")
            .unwrap_or(if table.contains_key("visibility") {
                Visibility::Internal
            } else {
                Visibility::Public
            });
    Some(Update {
        slug: name.trim_end_matches(".md").to_string(),
        title: title.unwrap_or_default(),
        date,
        visibility,
        body,
        origin: Origin {
            file: rel.to_string(),
            line: 1,
            key_lines: f.key_lines(),
        },
    })
}
