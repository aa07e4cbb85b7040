//! The plain CSV library: `id, question, answer, comment, controls` and the
//! optional `variants`, `topic`, `tags`, `owner`, `reviewed`, `visibility`,
//! `status`.

use chrono::NaiveDate;

use super::{is_tsc_id, split_list, Entry, Library, Source, Status, Visibility};
use crate::diag::Finding;

const REQUIRED: [&str; 5] = ["id", "question", "answer", "comment", "controls"];

/// Parses CSV text; `file` names the file in findings. Rows are numbered with the
/// header as row 1.
pub fn parse(text: &str, file: &str) -> (Library, Vec<Finding>) {
    let mut findings = Vec::new();
    let mut lib = Library::default();
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = match rdr.headers() {
        Ok(h) => h.iter().map(|s| s.trim().to_ascii_lowercase()).collect(),
        Err(e) => {
            findings.push(Finding::error(file, format!("cannot read the header: {e}")).at(1));
            return (lib, findings);
        }
    };
    let col = |name: &str| header.iter().position(|h| h == name);
    let missing: Vec<&str> = REQUIRED
        .iter()
        .copied()
        .filter(|c| col(c).is_none())
        .collect();
    if !missing.is_empty() {
        findings
            .push(Finding::error(file, format!("missing column(s): {}", missing.join(", "))).at(1));
        return (lib, findings);
    }
    for (i, record) in rdr.records().enumerate() {
        let row = i + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                findings.push(Finding::error(file, format!("unreadable row: {e}")).at(row));
                continue;
            }
        };
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let cell = |name: &str| {
            col(name)
                .and_then(|i| record.get(i))
                .map(str::trim)
                .unwrap_or("")
                .to_string()
        };
        let mut entry = Entry {
            id: cell("id"),
            question: cell("question"),
            answer: cell("answer"),
            comment: cell("comment"),
            variants: split_list(&cell("variants")),
            tags: split_list(&cell("tags")),
            topic: Some(cell("topic")).filter(|s| !s.is_empty()),
            owner: Some(cell("owner")).filter(|s| !s.is_empty()),
            source: Source {
                file: file.to_string(),
                line: row,
            },
            ..Entry::default()
        };
        for id in split_list(&cell("controls")) {
            if is_tsc_id(&id) || looks_like_tsc_id(&id) {
                entry.criteria.push(id);
            } else {
                entry.controls.push(id);
            }
        }
        let reviewed = cell("reviewed");
        if !reviewed.is_empty() {
            match NaiveDate::parse_from_str(&reviewed, "%Y-%m-%d") {
                Ok(d) => entry.reviewed = Some(d),
                Err(_) => findings.push(
                    Finding::error(file, format!("not a YYYY-MM-DD date: {reviewed:?}"))
                        .at(row)
                        .field("reviewed"),
                ),
            }
        }
        let vis = cell("visibility");
        if !vis.is_empty() {
            match Visibility::parse(&vis) {
                Some(v) => entry.visibility = v,
                None => findings.push(
                    Finding::error(
                        file,
                        format!("must be public, nda or internal, not {vis:?}"),
                    )
                    .at(row)
                    .field("visibility"),
                ),
            }
        }
        let status = cell("status");
        if !status.is_empty() {
            match Status::parse(&status) {
                Some(s) => entry.status = s,
                None => findings.push(
                    Finding::error(file, format!("must be approved or draft, not {status:?}"))
                        .at(row)
                        .field("status"),
                ),
            }
        }
        lib.entries.push(entry);
    }
    (lib, findings)
}

/// `CC99.1`, `PI9.9`: shaped like a TSC id (so it is checked as one).
fn looks_like_tsc_id(id: &str) -> bool {
    let letters = id.chars().take_while(char::is_ascii_uppercase).count();
    let rest = &id[letters..];
    matches!(&id[..letters], "CC" | "A" | "C" | "PI" | "P")
        && rest.split_once('.').is_some_and(|(a, b)| {
            !a.is_empty()
                && !b.is_empty()
                && a.chars().all(|c| c.is_ascii_digit())
                && b.chars().all(|c| c.is_ascii_digit())
        })
}
