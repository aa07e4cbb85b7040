//! What the templates show, derived from the public view: the latest audit
//! and its freshness, framework badges, key facts, the grouped controls
//! and the subprocessor list, as the JSON staged in `data/`.

use serde_json::{json, Value};

use super::public::{self, PublicView};
use super::stage::title_case;

/// Days after the end of the audited period until a report is "ageing" /
/// "stale": 12 and 18 months.
pub const AGEING_AFTER_DAYS: i64 = 365;
pub const STALE_AFTER_DAYS: i64 = 548;

/// The most recent SOC audit that may be listed, with auditor and opinion
/// from itself if public, else from a public SOC report of the same period
/// (typically the SOC 3 of the same engagement).
pub fn latest_audit(view: &PublicView) -> Value {
    let Some(latest) = view
        .reports
        .iter()
        .filter(|r| r.is_soc() && r.covered_until().is_some())
        .max_by(|a, b| {
            a.covered_until()
                .cmp(&b.covered_until())
                .then_with(|| soc_rank(&a.kind).cmp(&soc_rank(&b.kind)))
                .then_with(|| b.title.cmp(&a.title))
        })
    else {
        return Value::Null;
    };
    let source = latest.details.as_ref().or_else(|| {
        view.reports
            .iter()
            .filter(|r| r.is_soc() && r.covered_until() == latest.covered_until())
            .find_map(|r| r.details.as_ref())
    });
    let auditor = source.and_then(|d| d.auditor.clone());
    let opinion = source.and_then(|d| d.opinion.clone());
    let until = latest.covered_until().unwrap_or(view.build_date);
    let age = (view.build_date - until).num_days();
    let (freshness, freshness_label) = if age < AGEING_AFTER_DAYS {
        ("fresh", "Current")
    } else if age < STALE_AFTER_DAYS {
        ("ageing", "Ageing")
    } else {
        ("stale", "Out of date")
    };
    let reading = opinion.as_deref().map(read_opinion);
    // Current only with an auditor, an opinion that is not adverse or a
    // disclaimer, and a period that ended less than 12 months ago.
    let (status, status_label) = match (&auditor, &reading) {
        (_, Some(o)) if o.kind == "adverse" => ("adverse", "Adverse opinion"),
        (_, Some(o)) if o.kind == "disclaimer" => ("adverse", "Disclaimer of opinion"),
        _ if freshness != "fresh" => (freshness, freshness_label),
        (Some(_), Some(_)) => ("current", "Current"),
        _ => ("unverified", "Auditor's opinion not published"),
    };
    let mut notes: Vec<&str> = Vec::new();
    if let Some(o) = &reading {
        if o.kind == "qualified" {
            notes.push("Qualified opinion");
        }
        if o.exceptions {
            notes.push("Exception noted");
        }
    }
    let latest_index = view
        .reports
        .iter()
        .position(|r| std::ptr::eq(r, latest))
        .unwrap_or(0);
    let bridge = bridges_of(view, latest_index)
        .into_iter()
        .filter_map(|i| {
            let b = &view.reports[i];
            Some((b.period_end.or(b.valid_until).or(b.issued)?, b))
        })
        .max_by_key(|(d, _)| *d);
    json!({
        "title": latest.title,
        "kind": latest.kind,
        "kind_label": public::report_kind_label(&latest.kind),
        "access": latest.access,
        "period_start": latest.period_start.map(|d| d.to_string()),
        "period_end": latest.period_end.map(|d| d.to_string()),
        "as_of": latest.as_of.map(|d| d.to_string()),
        "issued": latest.issued.map(|d| d.to_string()),
        "categories": latest.categories.iter().map(|c| public::category_label(c)).collect::<Vec<_>>(),
        "auditor": auditor,
        "opinion": opinion,
        "opinion_kind": reading.as_ref().map(|o| o.kind),
        "opinion_notes": notes,
        "age_days": age,
        "freshness": freshness,
        "freshness_label": freshness_label,
        "current": status == "current",
        "status": status,
        "status_label": status_label,
        "bridge": bridge.map(|(until, b)| json!({
            "title": b.title,
            "until": until.to_string(),
        })),
    })
}

/// How an auditor's opinion reads: its kind and whether it notes exceptions.
pub struct OpinionReading {
    /// `unqualified`, `qualified`, `adverse`, `disclaimer` or `other`.
    pub kind: &'static str,
    pub exceptions: bool,
}

/// Reads free-text opinions such as "unqualified", "Qualified (CC6.2)",
/// "Unqualified, exceptions noted" or "no exceptions".
pub fn read_opinion(opinion: &str) -> OpinionReading {
    let text = opinion.to_lowercase();
    let kind = if text.contains("unqualified") || text.contains("unmodified") {
        "unqualified"
    } else if text.contains("qualified") || text.contains("modified") {
        "qualified"
    } else if text.contains("adverse") {
        "adverse"
    } else if text.contains("disclaim") {
        "disclaimer"
    } else {
        "other"
    };
    let exceptions = text.contains("exception")
        && !text.contains("no exception")
        && !text.contains("without exception");
    OpinionReading { kind, exceptions }
}

/// The bridge letters that extend the report at `index`: each bridge
/// letter extends the latest SOC report (SOC 2 Type II first) whose
/// period ends on or before the letter's own period starts.
pub fn bridges_of(view: &PublicView, index: usize) -> Vec<usize> {
    (0..view.reports.len())
        .filter(|&b| bridged_report(view, b) == Some(index))
        .collect()
}

/// The report a bridge letter extends, if it is one and one is listed.
pub fn bridged_report(view: &PublicView, bridge: usize) -> Option<usize> {
    let letter = &view.reports[bridge];
    if letter.kind != "bridge-letter" {
        return None;
    }
    let starts = letter.period_start.or(letter.as_of).or(letter.issued)?;
    view.reports
        .iter()
        .enumerate()
        .filter(|(_, r)| r.is_soc())
        .filter_map(|(i, r)| Some((i, r, r.period_end.or(r.as_of)?)))
        .filter(|(_, _, end)| *end <= starts)
        .max_by(|(_, a, ea), (_, b, eb)| {
            ea.cmp(eb)
                .then_with(|| soc_rank(&a.kind).cmp(&soc_rank(&b.kind)))
                .then_with(|| b.title.cmp(&a.title))
        })
        .map(|(i, _, _)| i)
}

/// SOC 2 Type II outranks Type I outranks SOC 3 for the same period.
fn soc_rank(kind: &str) -> u8 {
    match kind {
        "soc2-type2" => 3,
        "soc2-type1" => 2,
        _ => 1,
    }
}

/// One badge per listed framework (SOC 2, SOC 3, ISO 27001), newest date.
pub fn frameworks(view: &PublicView) -> Vec<Value> {
    let mut out = Vec::new();
    for kind in ["soc2-type2", "soc2-type1", "soc3", "iso27001"] {
        let latest = view
            .reports
            .iter()
            .filter(|r| r.kind == kind)
            .max_by_key(|r| r.date());
        if let Some(r) = latest {
            out.push(json!({
                "kind": kind,
                "label": public::report_kind_label(kind),
                "date": r.date().map(|d| d.to_string()),
                "access": r.access,
            }));
        }
    }
    out
}

pub fn key_fact_label(name: &str) -> String {
    match name {
        "encryption" => "Encryption".into(),
        "sso-mfa" => "SSO & MFA".into(),
        "backups" => "Backups".into(),
        "pen-test" => "Penetration testing".into(),
        "logging" => "Logging & monitoring".into(),
        "incident-response" => "Incident response".into(),
        "vulnerability-management" => "Vulnerability management".into(),
        other => title_case(other),
    }
}

/// Key facts from public controls tagged `key-fact:<name>`, one per name
/// (with every control carrying it), the well-known names first.
pub fn key_facts(view: &PublicView) -> Vec<Value> {
    use std::collections::BTreeMap;
    let order = ["encryption", "sso-mfa", "backups", "pen-test"];
    let mut facts: BTreeMap<(usize, &str), Vec<&public::Control>> = BTreeMap::new();
    for c in view.controls.iter().filter(|c| !c.listed_only) {
        for name in &c.key_facts {
            let rank = order.iter().position(|o| o == name).unwrap_or(order.len());
            facts.entry((rank, name.as_str())).or_default().push(c);
        }
    }
    facts
        .into_iter()
        .map(|((_, name), mut controls)| {
            controls.sort_by(|a, b| a.id.cmp(&b.id));
            json!({
                "name": name,
                "label": key_fact_label(name),
                "items": controls.iter().map(|c| json!({
                    "title": c.title,
                    "text": c.description,
                    "control": c.id,
                })).collect::<Vec<_>>(),
            })
        })
        .collect()
}

pub fn status_label(status: &str) -> &str {
    match status {
        "implemented" => "Implemented",
        "in-progress" => "In progress",
        "planned" => "Planned",
        other => other,
    }
}

pub fn subprocessors_json(view: &PublicView) -> Value {
    let mut subs: Vec<_> = view.subprocessors.iter().collect();
    subs.sort_by(|a, b| {
        a.name
            .to_lowercase()
            .cmp(&b.name.to_lowercase())
            .then_with(|| a.name.cmp(&b.name))
    });
    Value::Array(
        subs.into_iter()
            .map(|s| {
                json!({
                    "name": s.name,
                    "purpose": s.purpose,
                    "data": s.data,
                    "location": s.location,
                    "since": s.since.to_string(),
                    "website": s.website,
                })
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::public::{Company, Report, ReportDetails};
    use chrono::{Duration, NaiveDate};

    fn view(build_date: NaiveDate, reports: Vec<Report>) -> PublicView {
        PublicView {
            build_date,
            company: Company {
                name: "X".into(),
                website: "https://x.test".into(),
                security_contact: "s@x.test".into(),
                logo: None,
                description: String::new(),
                boundaries: vec![],
                commitments: vec![],
                requirements: vec![],
                categories: vec!["security".into()],
                request_access_url: None,
                security_txt_lifetime_days: 365,
                preferred_languages: None,
                vulnerability_policy_url: None,
            },
            controls: vec![],
            reports,
            documents: vec![],
            subprocessors: vec![],
            updates: vec![],
            faq: vec![],
        }
    }

    fn report(kind: &str, access: &str, end: NaiveDate, auditor: Option<&str>) -> Report {
        Report {
            title: kind.into(),
            kind: kind.into(),
            access: access.into(),
            categories: vec!["security".into()],
            period_start: Some(end - Duration::days(365)),
            period_end: Some(end),
            as_of: None,
            issued: Some(end + Duration::days(40)),
            valid_until: None,
            details: auditor.map(|a| ReportDetails {
                id: "r".into(),
                auditor: Some(a.into()),
                opinion: Some("unqualified".into()),
                summary: None,
                file: None,
            }),
        }
    }

    #[test]
    fn freshness_counts_from_the_end_of_the_period() {
        let end = NaiveDate::from_ymd_opt(2026, 6, 30).unwrap();
        for (days, expected) in [
            (100, "fresh"),
            (364, "fresh"),
            (365, "ageing"),
            (547, "ageing"),
            (548, "stale"),
        ] {
            let v = view(
                end + Duration::days(days),
                vec![report("soc2-type2", "nda", end, None)],
            );
            assert_eq!(latest_audit(&v)["freshness"], expected, "{days} days");
        }
    }

    #[test]
    fn gated_soc2_borrows_auditor_from_the_public_soc3_of_the_same_period() {
        let end = NaiveDate::from_ymd_opt(2026, 6, 30).unwrap();
        let v = view(
            end + Duration::days(30),
            vec![
                report("soc3", "public", end, Some("Audit LLP")),
                report("soc2-type2", "nda", end, None),
            ],
        );
        let audit = latest_audit(&v);
        assert_eq!(audit["kind"], "soc2-type2");
        assert_eq!(audit["auditor"], "Audit LLP");
        let older = view(end, vec![report("soc2-type2", "nda", end, None)]);
        assert_eq!(latest_audit(&older)["auditor"], Value::Null);
    }

    #[test]
    fn opinions_are_read_honestly() {
        let r = read_opinion("Unqualified");
        assert_eq!((r.kind, r.exceptions), ("unqualified", false));
        let r = read_opinion("qualified, exceptions noted");
        assert_eq!((r.kind, r.exceptions), ("qualified", true));
        assert!(!read_opinion("unqualified, no exceptions noted").exceptions);
        assert_eq!(read_opinion("Adverse").kind, "adverse");
        assert_eq!(read_opinion("Disclaimer of opinion").kind, "disclaimer");
    }

    #[test]
    fn current_needs_auditor_opinion_and_a_fresh_period() {
        let end = NaiveDate::from_ymd_opt(2026, 6, 30).unwrap();
        let gated = view(
            end + Duration::days(30),
            vec![report("soc2-type2", "nda", end, None)],
        );
        let audit = latest_audit(&gated);
        assert_eq!(audit["status"], "unverified");
        assert_eq!(audit["current"], false);
        let public = view(
            end + Duration::days(30),
            vec![report("soc2-type2", "public", end, Some("Audit LLP"))],
        );
        assert_eq!(latest_audit(&public)["status"], "current");
        let old = view(
            end + Duration::days(400),
            vec![report("soc2-type2", "public", end, Some("Audit LLP"))],
        );
        assert_eq!(latest_audit(&old)["status"], "ageing");
    }

    #[test]
    fn a_bridge_letter_extends_the_report_that_ends_before_it() {
        let end = NaiveDate::from_ymd_opt(2026, 6, 30).unwrap();
        let mut bridge = report("bridge-letter", "request", end + Duration::days(120), None);
        bridge.period_start = Some(end + Duration::days(1));
        let older = report("soc2-type2", "nda", end - Duration::days(365), None);
        let v = view(
            end + Duration::days(130),
            vec![
                report("soc3", "public", end, Some("Audit LLP")),
                report("soc2-type2", "nda", end, None),
                older,
                bridge,
            ],
        );
        assert_eq!(
            bridged_report(&v, 3),
            Some(1),
            "the SOC 2 of the period before"
        );
        assert_eq!(bridges_of(&v, 1), vec![3]);
        assert_eq!(bridged_report(&v, 0), None, "not a bridge letter");
        assert_eq!(
            latest_audit(&v)["bridge"]["until"],
            (end + Duration::days(120)).to_string()
        );
    }
}
