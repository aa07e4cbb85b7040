//! The public view of a project: exactly what the trust center may show.
//!
//! Confidentiality is decided here, once: `internal` items are dropped,
//! `nda`/`request` reports and documents keep only title, kind, access and
//! dates, `nda` controls keep only title, criteria and status. Staging,
//! `trust.json` and `security.txt` only ever see this struct.

use chrono::NaiveDate;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct PublicView {
    /// The day the site is built (from `SOURCE_DATE_EPOCH` or the clock).
    pub build_date: NaiveDate,
    pub company: Company,
    pub controls: Vec<Control>,
    pub reports: Vec<Report>,
    pub documents: Vec<Document>,
    pub subprocessors: Vec<Subprocessor>,
    pub updates: Vec<Update>,
    /// The security FAQ: the answer library's public entries.
    pub faq: Vec<FaqEntry>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Company {
    pub name: String,
    pub website: String,
    /// An email address or an https URL.
    pub security_contact: String,
    /// Project-relative path of the logo file.
    pub logo: Option<String>,
    /// Markdown.
    pub description: String,
    /// `(component, paragraph)` in the documented order.
    pub boundaries: Vec<(String, String)>,
    pub commitments: Vec<String>,
    pub requirements: Vec<String>,
    /// TSC category ids, `security` first.
    pub categories: Vec<String>,
    pub request_access_url: Option<String>,
    pub security_txt_lifetime_days: i64,
    pub preferred_languages: Option<String>,
    pub vulnerability_policy_url: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Control {
    /// `None` for nda controls (listed by title only).
    pub id: Option<String>,
    pub title: String,
    pub description: Option<String>,
    pub criteria: Vec<String>,
    pub domain: Option<String>,
    pub status: String,
    pub last_tested: Option<NaiveDate>,
    /// Names from `key-fact:<name>` tags (public controls only).
    pub key_facts: Vec<String>,
    pub listed_only: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub title: String,
    pub kind: String,
    pub access: String,
    pub categories: Vec<String>,
    pub period_start: Option<NaiveDate>,
    pub period_end: Option<NaiveDate>,
    pub as_of: Option<NaiveDate>,
    pub issued: Option<NaiveDate>,
    pub valid_until: Option<NaiveDate>,
    /// Only for public reports.
    pub details: Option<ReportDetails>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReportDetails {
    pub id: String,
    pub auditor: Option<String>,
    pub opinion: Option<String>,
    pub summary: Option<String>,
    /// Project-relative path of the file to publish.
    pub file: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Document {
    pub title: String,
    pub kind: String,
    pub access: String,
    pub updated: Option<NaiveDate>,
    /// Only for public documents.
    pub details: Option<DocumentDetails>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DocumentDetails {
    pub id: String,
    pub summary: Option<String>,
    pub file: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Subprocessor {
    pub name: String,
    pub purpose: String,
    pub data: String,
    pub location: String,
    pub since: NaiveDate,
    pub website: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Update {
    /// From the file name, e.g. `2026-08-20-soc2` for `data/updates/2026-08-20-soc2.md`.
    pub slug: String,
    pub title: String,
    pub date: NaiveDate,
    /// Markdown.
    pub body: String,
}

/// A public answer-library entry, as the FAQ shows it.
#[derive(Debug, Clone, Serialize)]
pub struct FaqEntry {
    pub id: String,
    /// The entry's `topic`, else a label from its file name.
    pub topic: String,
    pub question: String,
    /// `Yes`, `No`, `N/A` or free text.
    pub answer: String,
    /// The explanation (the entry's `comment`).
    pub comment: String,
    /// Ids of the public controls it rests on (nda and internal ones are
    /// never named).
    pub controls: Vec<String>,
    /// Its TSC criteria and those of its public and nda controls, in
    /// catalog order.
    pub criteria: Vec<String>,
}

impl Report {
    /// The date shown for a listed report: issue date, else the end of
    /// what it covers.
    pub fn date(&self) -> Option<NaiveDate> {
        self.issued
            .or(self.period_end)
            .or(self.as_of)
            .or(self.valid_until)
    }

    /// The date the assurance refers to (period end or point in time).
    pub fn covered_until(&self) -> Option<NaiveDate> {
        self.period_end.or(self.as_of).or(self.issued)
    }

    pub fn is_soc(&self) -> bool {
        matches!(self.kind.as_str(), "soc2-type1" | "soc2-type2" | "soc3")
    }
}

/// `security` → `Security`, `processing_integrity` → `Processing integrity`.
pub fn category_label(id: &str) -> &str {
    match id {
        "security" => "Security",
        "availability" => "Availability",
        "confidentiality" => "Confidentiality",
        "processing_integrity" => "Processing integrity",
        "privacy" => "Privacy",
        other => other,
    }
}

/// What each category covers, in plain words for prospects.
pub fn category_blurb(id: &str) -> &'static str {
    match id {
        "security" => "The system is protected against unauthorized access, use or modification.",
        "availability" => "The system is available for operation and use as committed or agreed.",
        "confidentiality" => "Information designated as confidential is protected as committed or agreed.",
        "processing_integrity" => "System processing is complete, valid, accurate, timely and authorized.",
        "privacy" => "Personal information is collected, used, retained, disclosed and disposed of as committed.",
        _ => "",
    }
}

/// The TSC category of a criterion id (`CC6.1` → security, `A1.2` → availability).
pub fn criterion_category(id: &str) -> &'static str {
    if id.starts_with("CC") {
        "security"
    } else if id.starts_with("PI") {
        "processing_integrity"
    } else if id.starts_with('A') {
        "availability"
    } else if id.starts_with('C') {
        "confidentiality"
    } else {
        "privacy"
    }
}

/// The criterion group of an id: `CC6.1` → `CC6`.
pub fn criterion_group(id: &str) -> &str {
    id.split('.').next().unwrap_or(id)
}

/// The AICPA title of a criterion group.
pub fn group_title(group: &str) -> &'static str {
    match group {
        "CC1" => "Control environment",
        "CC2" => "Communication and information",
        "CC3" => "Risk assessment",
        "CC4" => "Monitoring activities",
        "CC5" => "Control activities",
        "CC6" => "Logical and physical access controls",
        "CC7" => "System operations",
        "CC8" => "Change management",
        "CC9" => "Risk mitigation",
        "A1" => "Additional criteria for availability",
        "C1" => "Additional criteria for confidentiality",
        "PI1" => "Additional criteria for processing integrity",
        "P1" => "Notice and communication of objectives related to privacy",
        "P2" => "Choice and consent",
        "P3" => "Collection",
        "P4" => "Use, retention and disposal",
        "P5" => "Access",
        "P6" => "Disclosure and notification",
        "P7" => "Quality",
        "P8" => "Monitoring and enforcement",
        _ => "Other criteria",
    }
}

/// Sort key of a criterion or group id in catalog order (CC1.1 < CC1.2 < CC10 …).
pub fn criterion_order(id: &str) -> (usize, Vec<u32>) {
    let prefix_end = id.find(|c: char| c.is_ascii_digit()).unwrap_or(id.len());
    let rank = ["CC", "A", "C", "PI", "P"]
        .iter()
        .position(|p| *p == &id[..prefix_end])
        .unwrap_or(9);
    let numbers = id[prefix_end..]
        .split('.')
        .map(|n| n.parse().unwrap_or(0))
        .collect();
    (rank, numbers)
}

/// `soc2-type2` → `SOC 2 Type II`.
pub fn report_kind_label(kind: &str) -> &str {
    match kind {
        "soc2-type1" => "SOC 2 Type I",
        "soc2-type2" => "SOC 2 Type II",
        "soc3" => "SOC 3",
        "iso27001" => "ISO/IEC 27001",
        "pentest" => "Penetration test",
        "bridge-letter" => "Bridge letter",
        "policy" => "Policy",
        "whitepaper" => "Whitepaper",
        "certificate" => "Certificate",
        "legal" => "Legal",
        "other" => "Other",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn criteria_sort_in_catalog_order() {
        let mut ids = vec!["P1.1", "CC10.1", "A1.2", "CC2.1", "PI1.1", "C1.1", "CC6.1"];
        ids.sort_by_key(|id| criterion_order(id));
        assert_eq!(
            ids,
            ["CC2.1", "CC6.1", "CC10.1", "A1.2", "C1.1", "PI1.1", "P1.1"]
        );
        assert_eq!(criterion_category("PI1.1"), "processing_integrity");
        assert_eq!(criterion_category("C1.2"), "confidentiality");
        assert_eq!(criterion_group("CC6.1"), "CC6");
    }
}
