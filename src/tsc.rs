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
    /// What the criterion asks for, in our own plain words (one or two
    /// sentences for prospects; not the AICPA text).
    pub description: &'static str,
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
    ($( $cat:ident $group:literal $gtitle:literal { $( $id:literal => $title:literal ; $desc:literal ),+ $(,)? } )+) => {
        &[ $( $( Criterion {
            id: $id,
            category: Category::$cat,
            group: $group,
            group_title: $gtitle,
            title: $title,
            description: $desc,
        }, )+ )+ ]
    };
}

static CATALOG: &[Criterion] = criteria! {
    Security "CC1" "Control Environment" {
        "CC1.1" => "Commitment to integrity and ethical values" ; "The organisation sets the tone at the top: leaders show and expect honest, ethical conduct, people confirm they follow a code of conduct, and departures from it are dealt with.",
        "CC1.2" => "Board independence and oversight of internal control" ; "A board or equivalent body that is independent of management oversees how internal control is designed and run, and is told about risks and incidents.",
        "CC1.3" => "Management structures, reporting lines and authority" ; "Management sets up the structures, reporting lines, roles and authority needed to meet the system's objectives, with the board's oversight.",
        "CC1.4" => "Attracting, developing and keeping competent people" ; "The organisation hires, trains, develops and keeps people who are competent for their security duties, and checks backgrounds where the role calls for it.",
        "CC1.5" => "Holding people accountable for their control duties" ; "People are held accountable for their part in internal control through clear responsibilities, performance measures and consequences.",
    }
    Security "CC2" "Communication and Information" {
        "CC2.1" => "Producing and using relevant, quality information" ; "The organisation gathers and produces the relevant, good-quality information it needs for its controls to work, such as asset inventories and logs.",
        "CC2.2" => "Internal communication of control objectives and duties" ; "Security objectives and responsibilities are communicated inside the organisation, including how staff report concerns and incidents.",
        "CC2.3" => "Communication with outside parties on control matters" ; "The organisation tells customers, vendors and other outside parties what they need to know about the system, its commitments and how to raise problems.",
    }
    Security "CC3" "Risk Assessment" {
        "CC3.1" => "Objectives stated clearly enough to identify risks" ; "Objectives are written clearly enough that the risks to them can be identified and assessed.",
        "CC3.2" => "Identifying and analysing risks to objectives" ; "Risks to the objectives are identified across the organisation, analysed and answered, including risks from vendors and partners.",
        "CC3.3" => "Considering the potential for fraud" ; "The risk assessment considers how fraud could happen, such as misuse of access, manipulation of data or pressure to cut corners.",
        "CC3.4" => "Identifying and assessing significant changes" ; "The organisation spots and assesses changes, in the business, technology, vendors or leadership, that could weaken its controls.",
    }
    Security "CC4" "Monitoring Activities" {
        "CC4.1" => "Ongoing and separate evaluations of controls" ; "Controls are checked on an ongoing basis and by separate evaluations, such as internal audits, scans and penetration tests, to confirm they are present and working.",
        "CC4.2" => "Assessing and reporting control deficiencies in time" ; "Control weaknesses are reported in time to the people who can fix them, including senior management and the board, and their correction is followed up.",
    }
    Security "CC5" "Control Activities" {
        "CC5.1" => "Choosing control activities that reduce risk" ; "The organisation chooses and builds control activities that bring risks down to an acceptable level.",
        "CC5.2" => "General controls over technology" ; "General controls over technology, such as access, change management and infrastructure security, support the objectives.",
        "CC5.3" => "Putting controls in place through policies and procedures" ; "Controls are put in place through written policies that say what is expected and procedures that put them into action.",
    }
    Security "CC6" "Logical and Physical Access Controls" {
        "CC6.1" => "Logical access security over protected information assets" ; "Access to data, systems and infrastructure is protected by logical security: identity and authentication, network segmentation, encryption and an inventory of what is protected.",
        "CC6.2" => "Registering and authorising users before granting access" ; "New users, inside and outside the organisation, are registered and their access is approved before they get credentials; access is removed when no longer needed.",
        "CC6.3" => "Changing and removing access by role and least privilege" ; "Access is granted, changed and removed by role, following least privilege and separation of duties, and is reviewed regularly.",
        "CC6.4" => "Restricting physical access to facilities and assets" ; "Physical access to offices, data centres, backup media and other sensitive places is limited to authorised people.",
        "CC6.5" => "Safe disposal of assets and the data they hold" ; "Before hardware or media is disposed of or reused, the data on it is removed so it cannot be recovered.",
        "CC6.6" => "Defences against threats from outside the system boundary" ; "The system is defended against threats from outside its boundary, for example with firewalls, web application firewalls, secure remote access and strong authentication.",
        "CC6.7" => "Protecting data while it is transmitted or moved" ; "Data is protected while it moves: across networks, to and from customers and vendors, and on removable media, usually by encryption.",
        "CC6.8" => "Preventing and detecting unauthorised or malicious software" ; "Unauthorised or malicious software is prevented or detected, for example with anti-malware, software allow-lists and integrity checks.",
    }
    Security "CC7" "System Operations" {
        "CC7.1" => "Detecting configuration changes and new vulnerabilities" ; "Configuration changes and newly discovered vulnerabilities are detected, using configuration standards, monitoring and vulnerability scanning.",
        "CC7.2" => "Monitoring components for anomalies and attacks" ; "System components are monitored for anomalies that may point to attacks, errors or failures, and alerts are raised.",
        "CC7.3" => "Evaluating security events to spot incidents" ; "Security events are evaluated to decide whether they are incidents that need a response.",
        "CC7.4" => "Responding to security incidents" ; "Confirmed security incidents are handled under a defined response programme: contained, remediated and communicated.",
        "CC7.5" => "Recovering from security incidents" ; "After an incident, the organisation restores normal operations, learns from what happened and improves its controls.",
    }
    Security "CC8" "Change Management" {
        "CC8.1" => "Authorising, testing and approving system changes" ; "Changes to infrastructure, data, software and procedures are authorised, designed, tested, approved and documented before they reach production.",
    }
    Security "CC9" "Risk Mitigation" {
        "CC9.1" => "Reducing the risk of business disruption" ; "The organisation plans for and reduces the risk of business disruption, for example with continuity plans and insurance.",
        "CC9.2" => "Managing risk from vendors and business partners" ; "Risks from vendors and business partners are assessed before working with them and managed throughout the relationship.",
    }
    Availability "A1" "Additional Criteria for Availability" {
        "A1.1" => "Managing capacity to meet availability commitments" ; "Current use of capacity is measured and future demand forecast, so that the system can keep meeting its availability commitments.",
        "A1.2" => "Environmental safeguards, backups and recovery infrastructure" ; "Environmental protections, software, data backup and recovery infrastructure are designed, run and monitored to keep the system available.",
        "A1.3" => "Testing the recovery plan" ; "The recovery plan, including restoring from backups, is tested regularly and the results are used to improve it.",
    }
    Confidentiality "C1" "Additional Criteria for Confidentiality" {
        "C1.1" => "Identifying and protecting confidential information" ; "Confidential information is identified and protected as committed or agreed, from the moment it is received or created until it is deleted.",
        "C1.2" => "Disposing of confidential information" ; "Confidential information is disposed of securely once it is no longer needed or when retention periods end.",
    }
    ProcessingIntegrity "PI1" "Additional Criteria for Processing Integrity" {
        "PI1.1" => "Information on processing specifications and data definitions" ; "The organisation obtains or produces, and shares, the definitions and specifications of the data it processes, so that processing can be checked for completeness and accuracy.",
        "PI1.2" => "Complete and accurate system inputs" ; "Inputs to the system are checked so that they are complete and accurate before processing.",
        "PI1.3" => "Complete, accurate and timely processing" ; "Data is processed completely, accurately and on time, as specified, with errors detected and corrected.",
        "PI1.4" => "Complete, accurate and timely delivery of outputs" ; "Outputs are delivered completely, accurately and on time, only to the intended recipients.",
        "PI1.5" => "Storing inputs, items in process and outputs accurately" ; "Inputs, data being processed and outputs are stored completely and accurately and protected from unauthorised change.",
    }
    Privacy "P1" "Notice and Communication of Objectives Related to Privacy" {
        "P1.1" => "Telling data subjects about privacy practices" ; "People whose personal information is collected are told, in a privacy notice, how it is collected, used, kept, shared and disposed of.",
    }
    Privacy "P2" "Choice and Consent" {
        "P2.1" => "Offering choices and obtaining consent" ; "People are offered choices about how their personal information is collected, used and shared, and their consent is obtained and recorded where needed.",
    }
    Privacy "P3" "Collection" {
        "P3.1" => "Collecting personal information only for stated objectives" ; "Personal information is collected only as needed for the purposes stated in the privacy notice.",
        "P3.2" => "Explicit consent where collection requires it" ; "Where the law or a commitment requires explicit consent to collect personal information, it is obtained and recorded.",
    }
    Privacy "P4" "Use, Retention, and Disposal" {
        "P4.1" => "Using personal information only for stated purposes" ; "Personal information is used only for the purposes stated in the privacy notice and agreed to.",
        "P4.2" => "Retaining personal information as committed" ; "Personal information is kept only as long as the stated purposes and commitments require.",
        "P4.3" => "Securely disposing of personal information" ; "Personal information is disposed of securely when it is no longer needed.",
    }
    Privacy "P5" "Access" {
        "P5.1" => "Letting data subjects see their personal information" ; "People can ask to see the personal information held about them, and receive it once their identity is verified.",
        "P5.2" => "Correcting and amending personal information on request" ; "People can ask for their personal information to be corrected or amended, and the change reaches those it was shared with.",
    }
    Privacy "P6" "Disclosure and Notification" {
        "P6.1" => "Disclosing to third parties only with consent" ; "Personal information is disclosed to third parties only for the stated purposes and with the person's consent where needed.",
        "P6.2" => "Keeping records of authorised disclosures" ; "A complete and accurate record is kept of the personal information that was disclosed with authorisation.",
        "P6.3" => "Keeping records of unauthorised disclosures" ; "A record is kept of unauthorised disclosures of personal information, such as breaches.",
        "P6.4" => "Privacy commitments from vendors and partners" ; "Vendors and partners that receive personal information commit to protecting it as the organisation does, and this is checked.",
        "P6.5" => "Vendors reporting unauthorised disclosures to us" ; "Vendors and partners must report unauthorised disclosures of personal information to the organisation.",
        "P6.6" => "Notifying those affected by a breach" ; "People affected by a breach of their personal information, and the authorities where required, are notified in time.",
        "P6.7" => "Accounting to data subjects for information held and shared" ; "People can learn what personal information is held about them and with whom it was shared.",
    }
    Privacy "P7" "Quality" {
        "P7.1" => "Keeping personal information accurate and complete" ; "Personal information is kept accurate, complete and relevant for the purposes it is used for.",
    }
    Privacy "P8" "Monitoring and Enforcement" {
        "P8.1" => "Handling privacy inquiries, complaints and disputes" ; "Privacy inquiries, complaints and disputes are received, handled and resolved, and compliance with privacy commitments is monitored.",
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
