//! The project's data (`data/`): company, controls, reports, documents,
//! subprocessors and updates, as documented in `docs/data-format.md`.
//!
//! [`load`] never stops at the first problem: every problem in the data
//! becomes a [`Finding`] naming the file, line/row and field, and the items
//! that could be read are kept. It fails only when it cannot run at all.

mod csv_file;
mod load;
mod toml_file;
pub mod types;

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::NaiveDate;
use serde::Serialize;

pub use load::{
    load, COMPANY_KEYS, CONTROL_COLUMNS, DOCUMENT_KEYS, REPORT_KEYS, SUBPROCESSOR_COLUMNS,
    TRUST_CENTER_KEYS, UPDATE_KEYS,
};
pub use toml_file::unknown_key_message;
pub use types::{Access, DocumentKind, Frequency, ReportKind, Status, Visibility};

use crate::tsc::Category;

#[derive(Debug, Clone, Serialize)]
pub struct Project {
    pub root: PathBuf,
    pub company: Company,
    pub controls: Vec<Control>,
    pub reports: Vec<Report>,
    pub documents: Vec<Document>,
    pub subprocessors: Vec<Subprocessor>,
    pub updates: Vec<Update>,
}

/// Where an item was read: file relative to the root and 1-based line/row.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Origin {
    pub file: String,
    pub line: usize,
    /// The line of each key of a TOML item, for findings about a field.
    #[serde(skip)]
    pub key_lines: BTreeMap<String, usize>,
}

impl Origin {
    /// The line of `key` in this item, else the item's own line.
    pub fn line_of(&self, key: &str) -> usize {
        self.key_lines.get(key).copied().unwrap_or(self.line)
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Company {
    pub name: String,
    pub website: String,
    pub security_contact: String,
    pub logo: Option<String>,
    pub description: String,
    /// Components of the system (services, infrastructure, people, procedures, data).
    pub boundaries: BTreeMap<String, String>,
    pub commitments: Vec<String>,
    pub requirements: Vec<String>,
    /// Categories in scope; `security` is always included.
    pub categories: Vec<Category>,
    pub trust_center: TrustCenter,
    /// `data/company.toml` and the line of each key.
    pub origin: Origin,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct TrustCenter {
    pub request_access_url: Option<String>,
    pub security_txt_lifetime_days: Option<i64>,
    pub preferred_languages: Option<String>,
    pub vulnerability_policy_url: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Control {
    pub id: String,
    pub title: String,
    pub description: String,
    pub criteria: Vec<String>,
    pub domain: String,
    pub owner: String,
    pub frequency: Option<Frequency>,
    pub status: Status,
    pub visibility: Visibility,
    pub last_tested: Option<NaiveDate>,
    pub tags: Vec<String>,
    pub origin: Origin,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub id: String,
    pub kind: ReportKind,
    pub title: String,
    pub auditor: Option<String>,
    pub opinion: Option<String>,
    pub categories: Vec<Category>,
    pub period_start: Option<NaiveDate>,
    pub period_end: Option<NaiveDate>,
    pub as_of: Option<NaiveDate>,
    pub issued: Option<NaiveDate>,
    pub valid_until: Option<NaiveDate>,
    pub file: Option<String>,
    pub access: Access,
    pub summary: Option<String>,
    pub origin: Origin,
}

impl Report {
    /// The date the report speaks for: end of period, else as-of, else issue date.
    pub fn covered_until(&self) -> Option<NaiveDate> {
        self.period_end.or(self.as_of).or(self.issued)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Document {
    pub id: String,
    pub title: String,
    pub kind: DocumentKind,
    pub summary: Option<String>,
    pub updated: Option<NaiveDate>,
    pub file: Option<String>,
    pub access: Access,
    pub origin: Origin,
}

#[derive(Debug, Clone, Serialize)]
pub struct Subprocessor {
    pub name: String,
    pub purpose: String,
    pub data: String,
    pub location: Vec<String>,
    pub since: Option<NaiveDate>,
    pub website: Option<String>,
    pub visibility: Visibility,
    pub origin: Origin,
}

#[derive(Debug, Clone, Serialize)]
pub struct Update {
    /// File name without `.md`, used as the slug.
    pub slug: String,
    pub title: String,
    pub date: Option<NaiveDate>,
    pub visibility: Visibility,
    /// Markdown body.
    pub body: String,
    pub origin: Origin,
}

impl Project {
    /// The TSC criteria of a control, empty when the id is unknown.
    pub fn criteria_of_control(&self, id: &str) -> &[String] {
        self.controls
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.criteria.as_slice())
            .unwrap_or(&[])
    }

    /// Every criterion of the categories in scope, in catalog order.
    pub fn in_scope_criteria(&self) -> Vec<&'static crate::tsc::Criterion> {
        crate::tsc::catalog()
            .iter()
            .filter(|c| self.company.categories.contains(&c.category))
            .collect()
    }
}
