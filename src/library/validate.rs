//! Checks on a loaded library: required fields, duplicate ids, unknown controls
//! and criteria, stale entries.

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
                out.push(
                    at(Finding::error(file, "required field is missing or empty")).field(field),
                );
            }
        }
        if e.controls.is_empty() && e.criteria.is_empty() {
            out.push(
                at(Finding::error(
                    file,
                    "at least one of controls / criteria is required",
                ))
                .field("controls"),
            );
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
                    format!("entry {:?} is stale: last reviewed {reviewed}", e.id),
                ))
                .field("reviewed"),
            );
        }
    }
    out
}
