//! Checks on a loaded library: required fields, duplicate ids, unknown controls
//! and criteria, stale entries. A draft (imported, not yet approved) may still
//! lack its comment and controls: that is a warning until it is approved.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use super::{Entry, Library};
use crate::diag::Finding;

/// True for an id of the embedded TSC catalog (`CC6.1`, `A1.2`, ...).
pub fn is_tsc_id(id: &str) -> bool {
    crate::tsc::get(id).is_some()
}

/// Every problem in `lib`. `known_controls` are the ids of `data/controls.csv`;
/// when it is empty, control ids are not checked (a bare CSV library).
pub fn validate(lib: &Library, known_controls: &HashSet<String>, today: NaiveDate) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut seen: HashMap<&str, &Entry> = HashMap::new();
    for e in &lib.entries {
        let at = |f: Finding| f.at(e.source.line);
        let file = e.source.file.as_str();
        for (field, value) in [
            ("id", &e.id),
            ("question", &e.question),
            ("answer", &e.answer),
            ("comment", &e.comment),
        ] {
            if value.trim().is_empty() {
                let finding = if e.is_draft() && field == "comment" {
                    Finding::warning(file, "draft has no comment: add one before approving")
                } else {
                    Finding::error(file, "required field is missing or empty")
                };
                out.push(at(finding).field(field));
            }
        }
        if e.controls.is_empty() && e.criteria.is_empty() {
            let finding = if e.is_draft() {
                Finding::warning(
                    file,
                    format!(
                        "draft {:?} has no controls / criteria: add them before approving",
                        e.id
                    ),
                )
            } else {
                Finding::error(file, "at least one of controls / criteria is required")
            };
            out.push(at(finding).field("controls"));
        }
        if !e.id.is_empty() {
            if let Some(first) = seen.get(e.id.as_str()) {
                out.push(
                    at(Finding::error(
                        file,
                        format!(
                            "duplicate id {:?} (first at {}:{})",
                            e.id, first.source.file, first.source.line
                        ),
                    ))
                    .field("id"),
                );
            } else {
                seen.insert(&e.id, e);
            }
        }
        for c in &e.criteria {
            if !is_tsc_id(c) {
                out.push(
                    at(Finding::error(file, format!("unknown TSC criterion {c:?}")))
                        .field("criteria"),
                );
            }
        }
        for c in &e.controls {
            let known = known_controls.contains(c) || is_tsc_id(c);
            if !known_controls.is_empty() && !known {
                out.push(
                    at(Finding::error(file, format!("unknown control {c:?}"))).field("controls"),
                );
            }
        }
        if e.is_stale(today) {
            let reviewed = e.reviewed.map(|d| d.to_string()).unwrap_or_default();
            out.push(
                at(Finding::warning(
                    file,
                    format!(
                        "entry {:?} is stale: last reviewed {reviewed}, due {} (owner: {})",
                        e.id,
                        e.review_due().map(|d| d.to_string()).unwrap_or_default(),
                        e.owner.as_deref().unwrap_or("none")
                    ),
                ))
                .field("reviewed"),
            );
        }
    }
    out
}
