//! `/trust.json`: a machine-readable summary of the trust center, built
//! from the public view only. The schema is documented in docs/trust-json.md.

use serde_json::{json, Value};

use super::public::{self, PublicView};

/// Bumped on any incompatible change of the shape below.
pub const SCHEMA_VERSION: &str = "1.1";

pub fn build(view: &PublicView, base_url: &str) -> Value {
    let base = base_url.trim_end_matches('/');
    let c = &view.company;
    json!({
        "schema_version": SCHEMA_VERSION,
        "generated": view.build_date.to_string(),
        "url": format!("{base}/"),
        "company": {
            "name": c.name,
            "website": c.website,
            "security_contact": c.security_contact,
            "description": c.description,
        },
        "categories": c.categories,
        "reports": view.reports.iter().map(|r| {
            let mut item = json!({
                "title": r.title,
                "kind": r.kind,
                "access": r.access,
                "categories": r.categories,
                "period_start": r.period_start.map(|d| d.to_string()),
                "period_end": r.period_end.map(|d| d.to_string()),
                "as_of": r.as_of.map(|d| d.to_string()),
                "issued": r.issued.map(|d| d.to_string()),
                "valid_until": r.valid_until.map(|d| d.to_string()),
            });
            if let Some(d) = &r.details {
                item["auditor"] = json!(d.auditor);
                item["opinion"] = json!(d.opinion);
                item["url"] = json!(d.file.as_deref().map(|f| file_url(base, f)));
            }
            item
        }).collect::<Vec<_>>(),
        "documents": view.documents.iter().map(|d| {
            let mut item = json!({
                "title": d.title,
                "kind": d.kind,
                "access": d.access,
                "updated": d.updated.map(|x| x.to_string()),
            });
            if let Some(details) = &d.details {
                item["url"] = json!(details.file.as_deref().map(|f| file_url(base, f)));
            }
            item
        }).collect::<Vec<_>>(),
        "controls": view.controls.iter().filter(|c| !c.listed_only).map(|c| json!({
            "id": c.id,
            "title": c.title,
            "description": c.description,
            "criteria": c.criteria,
            "categories": categories_of(&c.criteria),
            "domain": c.domain,
            "status": c.status,
            "last_tested": c.last_tested.map(|d| d.to_string()),
        })).collect::<Vec<_>>(),
        "subprocessors": view.subprocessors.iter().map(|s| json!({
            "name": s.name,
            "purpose": s.purpose,
            "data": s.data,
            "location": s.location,
            "since": s.since.to_string(),
            "website": s.website,
        })).collect::<Vec<_>>(),
        // Public answer-library entries only (since 1.1).
        "faq": view.faq.iter().map(|e| json!({
            "id": e.id,
            "topic": e.topic,
            "question": e.question,
            "answer": e.answer,
            "explanation": e.comment,
            "controls": e.controls,
            "criteria": e.criteria,
            "url": format!("{base}/faq/#{}", super::faq_page::anchor(e)),
        })).collect::<Vec<_>>(),
    })
}

/// Where staging publishes a file (see `stage::Stager::publish`).
fn file_url(base: &str, rel: &str) -> String {
    format!(
        "{base}/files/{}",
        rel.strip_prefix("data/files/").unwrap_or(rel)
    )
}

fn categories_of(criteria: &[String]) -> Vec<&'static str> {
    let mut cats: Vec<&'static str> = criteria
        .iter()
        .map(|c| public::criterion_category(c))
        .collect();
    cats.sort();
    cats.dedup();
    cats
}
