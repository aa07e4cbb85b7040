//! The AICPA 2017 Trust Services Criteria (points of focus revised 2022),
//! embedded in the binary: every criterion id with its category, group and a
//! short title.
//!
//! The titles are our own brief paraphrases, not the AICPA wording (which is
//! copyrighted); they only help a reader recognise the criterion.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

/// A TSC category. `security` (the common criteria CC1–CC9) is always in scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Security,
    Availability,
    Confidentiality,
    ProcessingIntegrity,
    Privacy,
}

impl Category {
    /// All categories in catalog order.
    pub const ALL: [Category; 5] = [
        Category::Security,
        Category::Availability,
        Category::Confidentiality,
        Category::ProcessingIntegrity,
        Category::Privacy,
    ];

    /// The spelling used in data files and JSON, e.g. `processing_integrity`.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Security => "security",
            Category::Availability => "availability",
            Category::Confidentiality => "confidentiality",
            Category::ProcessingIntegrity => "processing_integrity",
            Category::Privacy => "privacy",
        }
    }

    /// A human label, e.g. `Processing integrity`.
    pub fn label(self) -> &'static str {
        match self {
            Category::Security => "Security",
            Category::Availability => "Availability",
            Category::Confidentiality => "Confidentiality",
            Category::ProcessingIntegrity => "Processing integrity",
            Category::Privacy => "Privacy",
        }
    }

    /// The criteria of this category, in catalog order.
    pub fn criteria(self) -> impl Iterator<Item = &'static Criterion> {
        catalog().iter().filter(move |c| c.category == self)
    }

    /// `security, availability, ...`: for error messages.
    pub fn expected() -> String {
        Category::ALL.map(Category::as_str).join(", ")
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Category {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Category::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| {
                format!(
                    "unknown TSC category {s:?} (expected one of: {})",
                    Category::expected()
                )
            })
    }
}

/// One criterion of the catalog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Criterion {
    /// e.g. `CC6.1`
    pub id: &'static str,
    pub category: Category,
    /// e.g. `CC6`
    pub group: &'static str,
    /// e.g. `Logical and Physical Access Controls`
    pub group_title: &'static str,
    /// Our short paraphrase of what the criterion is about.
    pub title: &'static str,
}

/// The whole catalog (61 criteria) in AICPA order.
pub fn catalog() -> &'static [Criterion] {
    CATALOG
}

/// The criterion with this id, if it exists. Case and surrounding blanks
/// do not matter (`cc6.1` is `CC6.1`): use the returned `id`, the canonical
/// spelling.
pub fn get(id: &str) -> Option<&'static Criterion> {
    let id = id.trim();
    CATALOG.iter().find(|c| c.id.eq_ignore_ascii_case(id))
}

/// The canonical spelling of a criterion id (`cc6.2` -> `CC6.2`).
pub fn canonical(id: &str) -> Option<&'static str> {
    get(id).map(|c| c.id)
}

/// `unknown TSC criterion "CC6.9" (did you mean "CC6.8"?)`: the message for
/// an id that is not in the catalog, with the closest id when there is one.
pub fn unknown_message(id: &str) -> String {
    let ids: Vec<&str> = CATALOG.iter().map(|c| c.id).collect();
    // Suggest within the same group when the group exists (CC6.9 -> CC6.x).
    let upper = id.trim().to_ascii_uppercase();
    let group = upper.split('.').next().unwrap_or("");
    let same_group: Vec<&str> = CATALOG
        .iter()
        .filter(|c| c.group == group)
        .map(|c| c.id)
        .collect();
    let hint = match (same_group.first(), same_group.last()) {
        (Some(first), Some(last)) => {
            let closest = crate::diag::did_you_mean(&upper, &same_group).unwrap_or(last);
            Some(format!(
                " (did you mean {closest:?}? {group} has {first} to {last})"
            ))
        }
        _ => crate::diag::did_you_mean(&upper, &ids).map(|s| format!(" (did you mean {s:?}?)")),
    };
    format!("unknown TSC criterion {id:?}{}", hint.unwrap_or_default())
}

/// Groups in catalog order: `(group, title)`.
pub fn groups() -> Vec<(&'static str, &'static str)> {
    let mut out: Vec<(&str, &str)> = Vec::new();
    for c in CATALOG {
        if out.last().map(|g| g.0) != Some(c.group) {
            out.push((c.group, c.group_title));
        }
    }
    out
}

/// The position of a criterion in the catalog (for sorting), `usize::MAX` if unknown.
pub fn position(id: &str) -> usize {
    CATALOG
        .iter()
        .position(|c| c.id == id)
        .unwrap_or(usize::MAX)
}

macro_rules! criteria {
    ($( $cat:ident $group:literal $gtitle:literal { $( $id:literal => $title:literal ),+ $(,)? } )+) => {
        &[ $( $( Criterion {
            id: $id,
            category: Category::$cat,
            group: $group,
            group_title: $gtitle,
            title: $title,
        }, )+ )+ ]
    };
}

static CATALOG: &[Criterion] = criteria! {
    Security "CC1" "Control Environment" {
        "CC1.1" => "Commitment to integrity and ethical values",
        "CC1.2" => "Board independence and oversight of internal control",
        "CC1.3" => "Management structures, reporting lines and authority",
        "CC1.4" => "Attracting, developing and keeping competent people",
        "CC1.5" => "Holding people accountable for their control duties",
    }
    Security "CC2" "Communication and Information" {
        "CC2.1" => "Producing and using relevant, quality information",
        "CC2.2" => "Internal communication of control objectives and duties",
        "CC2.3" => "Communication with outside parties on control matters",
    }
    Security "CC3" "Risk Assessment" {
        "CC3.1" => "Objectives stated clearly enough to identify risks",
        "CC3.2" => "Identifying and analysing risks to objectives",
        "CC3.3" => "Considering the potential for fraud",
        "CC3.4" => "Identifying and assessing significant changes",
    }
    Security "CC4" "Monitoring Activities" {
        "CC4.1" => "Ongoing and separate evaluations of controls",
        "CC4.2" => "Assessing and reporting control deficiencies in time",
    }
    Security "CC5" "Control Activities" {
        "CC5.1" => "Choosing control activities that reduce risk",
        "CC5.2" => "General controls over technology",
        "CC5.3" => "Putting controls in place through policies and procedures",
    }
    Security "CC6" "Logical and Physical Access Controls" {
        "CC6.1" => "Logical access security over protected information assets",
        "CC6.2" => "Registering and authorising users before granting access",
        "CC6.3" => "Changing and removing access by role and least privilege",
        "CC6.4" => "Restricting physical access to facilities and assets",
        "CC6.5" => "Safe disposal of assets and the data they hold",
        "CC6.6" => "Defences against threats from outside the system boundary",
        "CC6.7" => "Protecting data while it is transmitted or moved",
        "CC6.8" => "Preventing and detecting unauthorised or malicious software",
    }
    Security "CC7" "System Operations" {
        "CC7.1" => "Detecting configuration changes and new vulnerabilities",
        "CC7.2" => "Monitoring components for anomalies and attacks",
        "CC7.3" => "Evaluating security events to spot incidents",
        "CC7.4" => "Responding to security incidents",
        "CC7.5" => "Recovering from security incidents",
    }
    Security "CC8" "Change Management" {
        "CC8.1" => "Authorising, testing and approving system changes",
    }
    Security "CC9" "Risk Mitigation" {
        "CC9.1" => "Reducing the risk of business disruption",
        "CC9.2" => "Managing risk from vendors and business partners",
    }
    Availability "A1" "Additional Criteria for Availability" {
        "A1.1" => "Managing capacity to meet availability commitments",
        "A1.2" => "Environmental safeguards, backups and recovery infrastructure",
        "A1.3" => "Testing the recovery plan",
    }
    Confidentiality "C1" "Additional Criteria for Confidentiality" {
        "C1.1" => "Identifying and protecting confidential information",
        "C1.2" => "Disposing of confidential information",
    }
    ProcessingIntegrity "PI1" "Additional Criteria for Processing Integrity" {
        "PI1.1" => "Information on processing specifications and data definitions",
        "PI1.2" => "Complete and accurate system inputs",
        "PI1.3" => "Complete, accurate and timely processing",
        "PI1.4" => "Complete, accurate and timely delivery of outputs",
        "PI1.5" => "Storing inputs, items in process and outputs accurately",
    }
    Privacy "P1" "Notice and Communication of Objectives Related to Privacy" {
        "P1.1" => "Telling data subjects about privacy practices",
    }
    Privacy "P2" "Choice and Consent" {
        "P2.1" => "Offering choices and obtaining consent",
    }
    Privacy "P3" "Collection" {
        "P3.1" => "Collecting personal information only for stated objectives",
        "P3.2" => "Explicit consent where collection requires it",
    }
    Privacy "P4" "Use, Retention, and Disposal" {
        "P4.1" => "Using personal information only for stated purposes",
        "P4.2" => "Retaining personal information as committed",
        "P4.3" => "Securely disposing of personal information",
    }
    Privacy "P5" "Access" {
        "P5.1" => "Letting data subjects see their personal information",
        "P5.2" => "Correcting and amending personal information on request",
    }
    Privacy "P6" "Disclosure and Notification" {
        "P6.1" => "Disclosing to third parties only with consent",
        "P6.2" => "Keeping records of authorised disclosures",
        "P6.3" => "Keeping records of unauthorised disclosures",
        "P6.4" => "Privacy commitments from vendors and partners",
        "P6.5" => "Vendors reporting unauthorised disclosures to us",
        "P6.6" => "Notifying those affected by a breach",
        "P6.7" => "Accounting to data subjects for information held and shared",
    }
    Privacy "P7" "Quality" {
        "P7.1" => "Keeping personal information accurate and complete",
    }
    Privacy "P8" "Monitoring and Enforcement" {
        "P8.1" => "Handling privacy inquiries, complaints and disputes",
    }
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalog_has_61_unique_ids() {
        let mut ids: Vec<&str> = catalog().iter().map(|c| c.id).collect();
        assert_eq!(ids.len(), 61);
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 61);
    }

    #[test]
    fn counts_per_category() {
        let count = |c: Category| c.criteria().count();
        assert_eq!(count(Category::Security), 33);
        assert_eq!(count(Category::Availability), 3);
        assert_eq!(count(Category::Confidentiality), 2);
        assert_eq!(count(Category::ProcessingIntegrity), 5);
        assert_eq!(count(Category::Privacy), 18);
    }

    #[test]
    fn ids_start_with_their_group() {
        for c in catalog() {
            assert!(c.id.starts_with(&format!("{}.", c.group)), "{}", c.id);
        }
    }

    #[test]
    fn lowercase_ids_are_accepted_and_unknown_ones_get_a_suggestion() {
        assert_eq!(canonical(" cc6.2 "), Some("CC6.2"));
        assert_eq!(canonical("CC6.9"), None);
        let msg = unknown_message("CC6.9");
        assert!(
            msg.contains("did you mean \"CC6.") && msg.contains("CC6.8"),
            "{msg}"
        );
        assert!(unknown_message("A1.9").contains("A1.3"));
    }

    #[test]
    fn lookup_and_parse() {
        assert_eq!(get("CC6.1").map(|c| c.group), Some("CC6"));
        assert!(get("CC10.1").is_none());
        assert_eq!(
            "processing_integrity".parse::<Category>(),
            Ok(Category::ProcessingIntegrity)
        );
        assert!("Security".parse::<Category>().is_err());
    }
}
