//! Builds the [`PublicView`] from the loaded project. Confidentiality is
//! decided here, once: `internal` items are dropped, `nda`/`request` reports
//! and documents keep only title, kind, access and dates, `nda` controls keep
//! only title, criteria and status.

use chrono::NaiveDate;

use super::public::*;
use super::safe;
use crate::model::{self, Project, Visibility};

/// The order in which the system's components are shown.
const BOUNDARY_ORDER: [&str; 5] = ["services", "infrastructure", "people", "procedures", "data"];

/// The public view of a loaded project. `vouch build` validates the project
/// first (`check::validate`): a project with errors is never published
/// unless `--allow-errors`, and then unreadable visibilities count as internal.
pub fn public_view(p: &Project, build_date: NaiveDate) -> PublicView {
    PublicView {
        build_date,
        company: company(p),
        controls: p.controls.iter().filter_map(control).collect(),
        reports: p.reports.iter().filter_map(report).collect(),
        documents: p.documents.iter().filter_map(document).collect(),
        subprocessors: p.subprocessors.iter().filter_map(subprocessor).collect(),
        updates: p.updates.iter().filter_map(update).collect(),
        // Filled by the build from `answers/` (see `faq::load`).
        faq: Vec::new(),
    }
}

fn company(p: &Project) -> Company {
    let c = &p.company;
    let mut boundaries: Vec<(String, String)> = BOUNDARY_ORDER
        .iter()
        .filter_map(|k| Some((k.to_string(), c.boundaries.get(*k)?.clone())))
        .collect();
    boundaries.extend(
        c.boundaries
            .iter()
            .filter(|(k, _)| !BOUNDARY_ORDER.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone())),
    );
    Company {
        name: c.name.clone(),
        website: safe::allowed(&Some(c.website.clone())).unwrap_or_default(),
        security_contact: safe_contact(&c.security_contact),
        logo: c.logo.clone(),
        description: c.description.clone(),
        boundaries,
        commitments: c.commitments.clone(),
        requirements: c.requirements.clone(),
        categories: c
            .categories
            .iter()
            .map(|k| k.as_str().to_string())
            .collect(),
        // A link scheme other than https/http/mailto is never published
        // (`vouch check` reports it).
        request_access_url: safe::allowed(&c.trust_center.request_access_url),
        security_txt_lifetime_days: c.trust_center.security_txt_lifetime_days.unwrap_or(365),
        preferred_languages: c.trust_center.preferred_languages.clone(),
        vulnerability_policy_url: safe::allowed(&c.trust_center.vulnerability_policy_url),
    }
}

fn control(c: &model::Control) -> Option<Control> {
    let listed_only = match c.visibility {
        Visibility::Public => false,
        Visibility::Internal => return None,
        Visibility::Nda | Visibility::Request => true,
    };
    let public = |v: &String| (!listed_only).then(|| v.clone());
    Some(Control {
        id: public(&c.id),
        title: c.title.clone(),
        description: public(&c.description),
        criteria: c.criteria.clone(),
        domain: public(&c.domain),
        status: c.status.as_str().to_string(),
        last_tested: c.last_tested.filter(|_| !listed_only),
        key_facts: if listed_only {
            Vec::new()
        } else {
            c.tags
                .iter()
                .filter_map(|t| t.strip_prefix("key-fact:").map(str::to_string))
                .collect()
        },
        listed_only,
    })
}

fn report(r: &model::Report) -> Option<Report> {
    if r.access == Visibility::Internal {
        return None;
    }
    let public = r.access.is_public();
    Some(Report {
        title: r.title.clone(),
        kind: r.kind.as_str().to_string(),
        access: r.access.as_str().to_string(),
        categories: r
            .categories
            .iter()
            .map(|k| k.as_str().to_string())
            .collect(),
        period_start: r.period_start,
        period_end: r.period_end,
        as_of: r.as_of,
        issued: r.issued,
        valid_until: r.valid_until,
        details: public.then(|| ReportDetails {
            id: r.id.clone(),
            auditor: r.auditor.clone(),
            opinion: r.opinion.clone(),
            summary: r.summary.clone(),
            file: r.file.clone(),
        }),
    })
}

fn document(d: &model::Document) -> Option<Document> {
    if d.access == Visibility::Internal {
        return None;
    }
    let public = d.access.is_public();
    Some(Document {
        title: d.title.clone(),
        kind: d.kind.as_str().to_string(),
        access: d.access.as_str().to_string(),
        updated: d.updated,
        details: public.then(|| DocumentDetails {
            id: d.id.clone(),
            summary: d.summary.clone(),
            file: d.file.clone(),
        }),
    })
}

/// Subprocessors are either published or not at all.
fn subprocessor(s: &model::Subprocessor) -> Option<Subprocessor> {
    if !s.visibility.is_public() {
        return None;
    }
    Some(Subprocessor {
        name: s.name.clone(),
        purpose: s.purpose.clone(),
        data: s.data.clone(),
        location: s.location.join("; "),
        since: s.since?,
        website: safe::allowed(&s.website),
    })
}

fn update(u: &model::Update) -> Option<Update> {
    if !u.visibility.is_public() {
        return None;
    }
    Some(Update {
        slug: u.slug.clone(),
        title: u.title.clone(),
        date: u.date?,
        body: u.body.clone(),
    })
}

/// The security contact: an email address, or a URL with an allowed scheme
/// (anything else is dropped; `vouch check` reports it).
fn safe_contact(contact: &str) -> String {
    let is_email = contact.contains('@') && safe::scheme(contact).is_none();
    if is_email || safe::is_allowed_url(contact) && safe::scheme(contact).is_some() {
        contact.to_string()
    } else {
        String::new()
    }
}
