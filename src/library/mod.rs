//! The answer library: the entries `vouch answer` fills questionnaires from.
//!
//! Two on-disk forms (see `docs/data-format.md`): a directory of `answers/*.toml`
//! files (`thesaurus.toml` is skipped, it belongs to the matcher) or one plain CSV
//! file. Loading never stops at the first problem: every problem becomes a
//! [`Finding`] naming the file and line, and the entries that could be read are kept.

mod csv_lib;
pub mod edit;
pub mod export;
pub mod harvest;
pub mod import;
pub mod lint;
pub mod review_in;
pub mod stats;
mod toml_lib;
mod validate;

use std::path::Path;

use anyhow::Context;
use chrono::NaiveDate;
use serde::Serialize;

use crate::diag::Finding;

pub use toml_lib::{KNOWN_KEYS, THESAURUS_FILE};
pub use validate::{is_tsc_id, validate};

/// Default review interval when an entry does not set `review_interval_days`.
pub const DEFAULT_REVIEW_INTERVAL_DAYS: u32 = 365;

/// Where an entry may be used (`internal` never reaches a customer).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Visibility {
    #[default]
    Public,
    Nda,
    Internal,
}

impl Visibility {
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "public" => Some(Visibility::Public),
            "nda" => Some(Visibility::Nda),
            "internal" => Some(Visibility::Internal),
            _ => None,
        }
    }
}

/// Whether `vouch answer`, `search` and `eval` may use an entry. Imported
/// entries start as drafts; `vouch library approve` (or editing the field)
/// makes them usable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    #[default]
    Approved,
    Draft,
}

impl Status {
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "approved" => Some(Status::Approved),
            "draft" => Some(Status::Draft),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Approved => "approved",
            Status::Draft => "draft",
        }
    }
}

/// The file and 1-based line (TOML) or row (CSV, header = row 1) of an entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Source {
    pub file: String,
    pub line: usize,
}

/// One answer: a canonical question, its other phrasings and the answer.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Entry {
    pub id: String,
    pub question: String,
    pub variants: Vec<String>,
    /// Phrasings proposed by `vouch library import` and not yet approved:
    /// the matcher does not see them.
    pub draft_variants: Vec<String>,
    /// `Yes`, `No`, `N/A` or free text; it answers `question` exactly as worded.
    pub answer: String,
    pub comment: String,
    pub controls: Vec<String>,
    pub criteria: Vec<String>,
    pub tags: Vec<String>,
    pub topic: Option<String>,
    pub owner: Option<String>,
    pub reviewed: Option<NaiveDate>,
    pub review_interval_days: Option<u32>,
    pub visibility: Visibility,
    pub status: Status,
    pub source: Source,
}

impl Entry {
    /// True when `reviewed + review_interval_days` is before `today`.
    /// An entry that was never reviewed is not stale (CSV libraries carry no dates).
    pub fn is_stale(&self, today: NaiveDate) -> bool {
        let Some(reviewed) = self.reviewed else {
            return false;
        };
        let days = self
            .review_interval_days
            .unwrap_or(DEFAULT_REVIEW_INTERVAL_DAYS);
        reviewed + chrono::Duration::days(i64::from(days)) < today
    }

    /// The date the entry is due for review again (None if never reviewed).
    pub fn review_due(&self) -> Option<NaiveDate> {
        let days = self
            .review_interval_days
            .unwrap_or(DEFAULT_REVIEW_INTERVAL_DAYS);
        self.reviewed
            .map(|d| d + chrono::Duration::days(i64::from(days)))
    }

    pub fn is_draft(&self) -> bool {
        self.status == Status::Draft
    }

    /// The question and every phrasing (approved or draft) of the entry.
    pub fn phrasings(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.question.as_str())
            .chain(self.variants.iter().map(String::as_str))
            .chain(self.draft_variants.iter().map(String::as_str))
    }
}

/// All entries, in file order.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Library {
    pub entries: Vec<Entry>,
}

impl Library {
    /// Index of the entry with this id.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.entries.iter().position(|e| e.id == id)
    }

    /// The library `vouch answer`, `search` and `eval` use: draft entries
    /// are left out (and draft variants are never matched).
    pub fn without_drafts(mut self) -> Library {
        self.entries.retain(|e| !e.is_draft());
        self
    }

    pub fn drafts(&self) -> usize {
        self.entries.iter().filter(|e| e.is_draft()).count()
    }
}

/// The built-in thesaurus plus `thesaurus.toml` beside a library directory.
pub fn thesaurus_for(library: &Path) -> anyhow::Result<crate::matcher::Thesaurus> {
    let user = library.join(THESAURUS_FILE);
    if library.is_dir() && user.is_file() {
        crate::matcher::Thesaurus::with_user_file(&user)
    } else {
        Ok(crate::matcher::Thesaurus::builtin())
    }
}

/// Loads a library from a directory of `*.toml` files or from a `.csv` file.
/// Problems in the data come back as findings; `Err` only when nothing can be read
/// (missing path, unreadable directory).
pub fn load(path: &Path) -> anyhow::Result<(Library, Vec<Finding>)> {
    let meta = std::fs::metadata(path)
        .with_context(|| format!("cannot read the answer library {}", path.display()))?;
    if meta.is_dir() {
        toml_lib::load_dir(path)
    } else if has_extension(path, "csv") {
        let text = read_text(path)?;
        Ok(csv_lib::parse(&text, &display_name(path)))
    } else if has_extension(path, "toml") {
        let text = read_text(path)?;
        let mut lib = Library::default();
        let findings = toml_lib::parse_into(&text, &display_name(path), &mut lib);
        Ok((lib, findings))
    } else {
        anyhow::bail!(
            "{}: an answer library is a directory of .toml files or a .csv file",
            path.display()
        )
    }
}

fn has_extension(path: &Path, ext: &str) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case(ext))
}

fn read_text(path: &Path) -> anyhow::Result<String> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| anyhow::anyhow!("{}: not UTF-8 text", path.display()))?;
    Ok(text.trim_start_matches('\u{feff}').to_string())
}

fn display_name(path: &Path) -> String {
    path.display().to_string()
}

/// Splits a multi-valued cell on `;` (and newlines), trimming and dropping empties.
pub(crate) fn split_list(cell: &str) -> Vec<String> {
    cell.split([';', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}
