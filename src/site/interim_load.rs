//! INTERIM: the site's own minimal reader of `data/`, used until
//! `crate::model` (foundation branch) is merged; then a
//! `PublicView::from_project(&model::Project)` replaces it. It follows
//! docs/data-format.md and validates only what confidentiality depends on:
//! a visibility/access value outside the documented ones is an error, so a
//! typo can never publish or list an item. Full validation is `vouch check`.

use std::path::Path;

use anyhow::{bail, Context, Result};
use chrono::NaiveDate;
use serde::Deserialize;

use super::public::*;

#[derive(Deserialize)]
struct RawCompany {
    name: String,
    website: String,
    security_contact: String,
    logo: Option<String>,
    categories: Vec<String>,
    description: String,
    #[serde(default)]
    boundaries: toml::Table,
    #[serde(default)]
    commitments: Vec<String>,
    #[serde(default)]
    requirements: Vec<String>,
    #[serde(default)]
    trust_center: RawTrustCenter,
}

#[derive(Deserialize, Default)]
struct RawTrustCenter {
    request_access_url: Option<String>,
    security_txt_lifetime_days: Option<i64>,
    preferred_languages: Option<String>,
    vulnerability_policy_url: Option<String>,
}

#[derive(Deserialize)]
struct RawControl {
    id: String,
    title: String,
    description: String,
    criteria: String,
    domain: String,
    status: String,
    visibility: String,
    #[serde(default)]
    last_tested: String,
    #[serde(default)]
    tags: String,
}

#[derive(Deserialize)]
struct RawReports {
    #[serde(default)]
    report: Vec<RawReport>,
}

#[derive(Deserialize)]
struct RawReport {
    id: String,
    kind: String,
    title: String,
    auditor: Option<String>,
    opinion: Option<String>,
    #[serde(default)]
    categories: Vec<String>,
    period_start: Option<toml::Value>,
    period_end: Option<toml::Value>,
    as_of: Option<toml::Value>,
    issued: Option<toml::Value>,
    valid_until: Option<toml::Value>,
    file: Option<String>,
    access: String,
    summary: Option<String>,
}

#[derive(Deserialize)]
struct RawDocuments {
    #[serde(default)]
    document: Vec<RawDocument>,
}

#[derive(Deserialize)]
struct RawDocument {
    id: String,
    title: String,
    kind: String,
    summary: Option<String>,
    updated: Option<toml::Value>,
    file: Option<String>,
    access: String,
}

#[derive(Deserialize)]
struct RawSubprocessor {
    name: String,
    purpose: String,
    data: String,
    location: String,
    since: String,
    #[serde(default)]
    website: String,
    #[serde(default)]
    visibility: String,
}

#[derive(Deserialize)]
struct RawUpdateFront {
    title: String,
    date: toml::Value,
    #[serde(default)]
    visibility: Option<String>,
}

fn date(v: &toml::Value) -> Option<NaiveDate> {
    let s = match v {
        toml::Value::Datetime(d) => d.to_string(),
        toml::Value::String(s) => s.clone(),
        _ => return None,
    };
    NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()
}

/// Where an item may appear. Anything but the documented spellings is an
/// error: a typo must never publish or list an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shown {
    Public,
    Listed,
    Hidden,
}

fn shown(value: &str, allowed: &[&str], at: &str) -> Result<Shown> {
    let value = value.trim();
    if !allowed.contains(&value) {
        bail!(
            "{at}: invalid value {value:?} (expected one of: {})",
            allowed.join(", ")
        );
    }
    Ok(match value {
        "public" => Shown::Public,
        "internal" => Shown::Hidden,
        _ => Shown::Listed,
    })
}

/// An optional date field; a value that is not a date is an error.
fn opt_date(v: &Option<toml::Value>, at: &str, field: &str) -> Result<Option<NaiveDate>> {
    match v {
        None => Ok(None),
        Some(value) => match date(value) {
            Some(d) => Ok(Some(d)),
            None => bail!("{at}: {field}: {value} is not a date such as 2026-06-30"),
        },
    }
}

fn read(root: &Path, rel: &str) -> Result<String> {
    std::fs::read_to_string(root.join(rel)).with_context(|| format!("cannot read {rel}"))
}

fn nonempty(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_string())
}

pub fn load_view(root: &Path, build_date: NaiveDate) -> Result<PublicView> {
    let c: RawCompany =
        toml::from_str(&read(root, "data/company.toml")?).context("data/company.toml")?;
    let order = ["services", "infrastructure", "people", "procedures", "data"];
    let mut boundaries: Vec<(String, String)> = order
        .iter()
        .filter_map(|k| {
            c.boundaries
                .get(*k)
                .and_then(|v| v.as_str())
                .map(|v| (k.to_string(), v.to_string()))
        })
        .collect();
    for (k, v) in &c.boundaries {
        if !order.contains(&k.as_str()) {
            if let Some(v) = v.as_str() {
                boundaries.push((k.clone(), v.to_string()));
            }
        }
    }
    // docs/data-format.md's example writes these after `[boundaries]`,
    // where TOML puts them inside that table: accept both places.
    let from_boundaries = |key: &str| -> Vec<String> {
        c.boundaries
            .get(key)
            .and_then(|v| v.as_array())
            .map(|items| {
                items
                    .iter()
                    .filter_map(|i| i.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    let commitments = if c.commitments.is_empty() {
        from_boundaries("commitments")
    } else {
        c.commitments.clone()
    };
    let requirements = if c.requirements.is_empty() {
        from_boundaries("requirements")
    } else {
        c.requirements.clone()
    };
    let company = Company {
        name: c.name,
        website: c.website,
        security_contact: c.security_contact,
        logo: c.logo,
        description: c.description,
        boundaries,
        commitments,
        requirements,
        categories: c.categories,
        request_access_url: c.trust_center.request_access_url,
        security_txt_lifetime_days: c.trust_center.security_txt_lifetime_days.unwrap_or(365),
        preferred_languages: c.trust_center.preferred_languages,
        vulnerability_policy_url: c.trust_center.vulnerability_policy_url,
    };
    let mut controls = Vec::new();
    let text = read(root, "data/controls.csv")?;
    for (i, row) in csv::Reader::from_reader(text.as_bytes())
        .deserialize::<RawControl>()
        .enumerate()
    {
        let r = row.context("data/controls.csv")?;
        let at = format!("data/controls.csv:{}: visibility", i + 2);
        let split = |s: &str| s.split(';').filter_map(nonempty).collect::<Vec<_>>();
        let listed_only = match shown(&r.visibility, &["public", "nda", "internal"], &at)? {
            Shown::Public => false,
            Shown::Hidden => continue,
            Shown::Listed => true,
        };
        controls.push(Control {
            id: (!listed_only).then_some(r.id),
            title: r.title,
            description: (!listed_only).then_some(r.description),
            criteria: split(&r.criteria),
            domain: (!listed_only).then_some(r.domain),
            status: r.status,
            last_tested: if listed_only {
                None
            } else {
                NaiveDate::parse_from_str(r.last_tested.trim(), "%Y-%m-%d").ok()
            },
            key_facts: if listed_only {
                vec![]
            } else {
                split(&r.tags)
                    .iter()
                    .filter_map(|t| t.strip_prefix("key-fact:").map(str::to_string))
                    .collect()
            },
            listed_only,
        });
    }
    let mut reports = Vec::new();
    if root.join("data/reports.toml").is_file() {
        let raw: RawReports =
            toml::from_str(&read(root, "data/reports.toml")?).context("data/reports.toml")?;
        for r in raw.report {
            let at = format!("data/reports.toml: report {:?}", r.id);
            let public = match shown(
                &r.access,
                &["public", "nda", "request", "internal"],
                &format!("{at}: access"),
            )? {
                Shown::Hidden => continue,
                other => other == Shown::Public,
            };
            reports.push(Report {
                title: r.title,
                kind: r.kind,
                access: r.access,
                categories: r.categories,
                period_start: opt_date(&r.period_start, &at, "period_start")?,
                period_end: opt_date(&r.period_end, &at, "period_end")?,
                as_of: opt_date(&r.as_of, &at, "as_of")?,
                issued: opt_date(&r.issued, &at, "issued")?,
                valid_until: opt_date(&r.valid_until, &at, "valid_until")?,
                details: public.then_some(ReportDetails {
                    id: r.id,
                    auditor: r.auditor,
                    opinion: r.opinion,
                    summary: r.summary,
                    file: r.file,
                }),
            });
        }
    }
    let mut documents = Vec::new();
    if root.join("data/documents.toml").is_file() {
        let raw: RawDocuments =
            toml::from_str(&read(root, "data/documents.toml")?).context("data/documents.toml")?;
        for d in raw.document {
            let at = format!("data/documents.toml: document {:?}", d.id);
            let public = match shown(
                &d.access,
                &["public", "nda", "request", "internal"],
                &format!("{at}: access"),
            )? {
                Shown::Hidden => continue,
                other => other == Shown::Public,
            };
            documents.push(Document {
                title: d.title,
                kind: d.kind,
                access: d.access,
                updated: opt_date(&d.updated, &at, "updated")?,
                details: public.then_some(DocumentDetails {
                    id: d.id,
                    summary: d.summary,
                    file: d.file,
                }),
            });
        }
    }
    let mut subprocessors = Vec::new();
    if root.join("data/subprocessors.csv").is_file() {
        let text = read(root, "data/subprocessors.csv")?;
        for row in csv::Reader::from_reader(text.as_bytes()).deserialize::<RawSubprocessor>() {
            let s = row.context("data/subprocessors.csv")?;
            let at = format!("data/subprocessors.csv: {:?}: visibility", s.name);
            let value = if s.visibility.trim().is_empty() {
                "public"
            } else {
                s.visibility.as_str()
            };
            // Subprocessors are either published or not at all.
            if shown(value, &["public", "nda", "internal"], &at)? != Shown::Public {
                continue;
            }
            subprocessors.push(Subprocessor {
                name: s.name,
                purpose: s.purpose,
                data: s.data,
                location: s.location,
                since: NaiveDate::parse_from_str(s.since.trim(), "%Y-%m-%d")
                    .context("data/subprocessors.csv: since")?,
                website: nonempty(&s.website),
            });
        }
    }
    let mut updates = Vec::new();
    let dir = root.join("data/updates");
    if dir.is_dir() {
        let mut names: Vec<String> = std::fs::read_dir(&dir)?
            .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
            .filter(|n| n.ends_with(".md"))
            .collect();
        names.sort();
        for name in names {
            let rel = format!("data/updates/{name}");
            let text = read(root, &rel)?;
            let (front, body) =
                super::engine::content::split_front_matter(&text).context(rel.clone())?;
            let f: RawUpdateFront = toml::from_str(front).context(rel.clone())?;
            let value = f.visibility.as_deref().unwrap_or("public");
            if shown(
                value,
                &["public", "internal"],
                &format!("{rel}: visibility"),
            )? != Shown::Public
            {
                continue;
            }
            updates.push(Update {
                slug: name.trim_end_matches(".md").to_string(),
                title: f.title,
                date: date(&f.date).context(format!("{rel}: date"))?,
                body: body.to_string(),
            });
        }
    }
    Ok(PublicView {
        build_date,
        company,
        controls,
        reports,
        documents,
        subprocessors,
        updates,
    })
}
