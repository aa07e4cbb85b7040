//! `vouch check`: every problem in the project at once.
//!
//! Item-level problems (required fields, enums, dates, unknown criteria,
//! duplicates) come from the loaders; this module adds the checks that look
//! across items: referenced files, report periods and freshness, in-scope
//! criteria without an implemented control, and the answer library.

use std::collections::HashSet;
use std::path::Path;

use anyhow::Result;
use chrono::NaiveDate;

use crate::diag::{Finding, Severity};
use crate::model::{self, Project, ReportKind};
use crate::{coverage, library};

/// A SOC 2 report older than this (days after its period end) is stale.
const STALE_AFTER_DAYS: i64 = 365;

/// Loads and validates the project at `root`; `Err` only when it cannot run.
pub fn check_project(root: &Path) -> Result<Vec<Finding>> {
    validate(root).map(|(_, findings)| findings)
}

/// The one validation shared by `vouch check` and `vouch build`: the loaded
/// project and every finding about it (data, referenced files, reports,
/// coverage, the answer library, the site's config and content).
pub fn validate(root: &Path) -> Result<(Project, Vec<Finding>)> {
    let today = crate::util::today();
    let (project, mut findings) = model::load(root)?;
    findings.extend(check_files(&project));
    findings.extend(check_reports(&project, today));
    // A broken controls.csv header already explains missing controls: no
    // cascade of "criterion without a control" on top of it.
    let controls_header_broken = findings.iter().any(|f| {
        f.file == "data/controls.csv"
            && f.severity == Severity::Error
            && f.line.is_none_or(|l| l == 1)
    });
    if !controls_header_broken {
        findings.extend(check_coverage(&project));
    }
    findings.extend(check_library(&project, today)?);
    findings.extend(crate::site::check::check_site(root));
    findings.extend(crate::site::safe::check_links(&project));
    sort(&mut findings);
    Ok((project, findings))
}

/// Errors first, then by file and line; the order is stable.
pub fn sort(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        (a.severity, &a.file, a.line.unwrap_or(0)).cmp(&(b.severity, &b.file, b.line.unwrap_or(0)))
    });
}

pub fn count(findings: &[Finding], severity: Severity) -> usize {
    findings.iter().filter(|f| f.severity == severity).count()
}

/// Every `file`/`logo` must exist and stay inside the project.
fn check_files(p: &Project) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut check = |file: &str, line: usize, field: &str, rel: &Option<String>| {
        if let Some(rel) = rel {
            if let Err(msg) = check_file(&p.root, rel) {
                out.push(Finding::error(file, msg).at(line).field(field));
            }
        }
    };
    let company = &p.company.origin;
    check(
        "data/company.toml",
        company.line_of("logo"),
        "logo",
        &p.company.logo,
    );
    for r in &p.reports {
        check(&r.origin.file, r.origin.line_of("file"), "file", &r.file);
    }
    for d in &p.documents {
        check(&d.origin.file, d.origin.line_of("file"), "file", &d.file);
    }
    out
}

/// `Ok` when `rel` names an existing regular file inside `root`, symlinks
/// resolved (the same guard the build applies: see [`crate::guard`]).
pub fn check_file(root: &Path, rel: &str) -> Result<(), String> {
    crate::guard::resolve_file(root, rel).map(|_| ())
}

/// How an auditor's opinion on a SOC report is worded.
const SOC_OPINIONS: &[&str] = &["unqualified", "qualified", "adverse", "disclaimer"];

/// A SOC report is only worth showing with the firm that issued it and its
/// opinion: without them the site would claim an audit it cannot name.
fn check_soc_opinion(r: &crate::model::Report) -> Vec<Finding> {
    let is_soc = r.kind.is_soc2() || r.kind == ReportKind::Soc3;
    if !is_soc || r.access.is_internal() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let at = |key: &str| r.origin.line_of(key);
    if r.auditor.is_none() {
        out.push(
            Finding::error(
                &r.origin.file,
                format!(
                    "report {:?}: a SOC report needs the audit firm that issued it",
                    r.id
                ),
            )
            .at(at("auditor"))
            .field("auditor"),
        );
    }
    match r.opinion.as_deref().map(str::trim) {
        None => out.push(
            Finding::error(
                &r.origin.file,
                format!(
                    "report {:?}: a SOC report needs the auditor's opinion ({})",
                    r.id,
                    SOC_OPINIONS.join(", ")
                ),
            )
            .at(at("opinion"))
            .field("opinion"),
        ),
        // An unusual wording is worth a look, not a refusal.
        Some(o) if !SOC_OPINIONS.contains(&o.to_ascii_lowercase().as_str()) => {
            let hint = crate::diag::did_you_mean(o, SOC_OPINIONS)
                .map(|s| format!("did you mean {s:?}? "))
                .unwrap_or_default();
            out.push(
                Finding::warning(
                    &r.origin.file,
                    format!(
                        "unusual opinion {o:?} for a SOC report ({hint}expected one of: {})",
                        SOC_OPINIONS.join(", ")
                    ),
                )
                .at(at("opinion"))
                .field("opinion"),
            );
        }
        Some(_) => {}
    }
    out
}

fn check_reports(p: &Project, today: NaiveDate) -> Vec<Finding> {
    let mut out = Vec::new();
    for r in &p.reports {
        out.extend(check_soc_opinion(r));
    }
    for r in &p.reports {
        if r.kind != ReportKind::Soc2Type2 {
            continue;
        }
        if let (Some(s), Some(e)) = (r.period_start, r.period_end) {
            let months = months_between(s, e);
            if !(3.0..=12.1).contains(&months) {
                out.push(
                    Finding::warning(
                        &r.origin.file,
                        format!(
                            "report {:?}: a Type II period of {months:.1} months (expected 3 to 12)",
                            r.id
                        ),
                    )
                    .at(r.origin.line_of("period_end"))
                    .field("period_end"),
                );
            }
        }
    }
    let latest = p
        .reports
        .iter()
        .filter(|r| r.kind.is_soc2())
        .filter_map(|r| Some((r.covered_until()?, r)))
        .max_by_key(|(d, _)| *d);
    if let Some((until, r)) = latest {
        let age = (today - until).num_days();
        let field = if r.period_end.is_some() {
            "period_end"
        } else {
            "as_of"
        };
        if age > STALE_AFTER_DAYS {
            out.push(
                Finding::warning(
                    &r.origin.file,
                    format!(
                        "the latest SOC 2 report {:?} covers up to {until}, {age} days ago: customers treat it as stale",
                        r.id
                    ),
                )
                .at(r.origin.line_of(field))
                .field(field),
            );
        }
    }
    out
}

/// Months between two dates, as a fraction (a full year is 12.0).
fn months_between(start: NaiveDate, end: NaiveDate) -> f64 {
    ((end - start).num_days() + 1) as f64 / (365.25 / 12.0)
}

fn check_coverage(p: &Project) -> Vec<Finding> {
    coverage::matrix(p)
        .into_iter()
        .filter(|row| row.state != coverage::State::Covered)
        .map(|row| {
            let what = match row.state {
                coverage::State::Partial => "only planned or in-progress controls",
                _ => "no control",
            };
            Finding::error(
                "data/controls.csv",
                format!(
                    "in-scope criterion {} ({}) has {what}: add an implemented control",
                    row.criterion, row.title
                ),
            )
            .field("criteria")
        })
        .collect()
}

/// Validates `answers/` when the project has one.
fn check_library(p: &Project, today: NaiveDate) -> Result<Vec<Finding>> {
    let dir = p.root.join("answers");
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let (lib, mut findings) = library::load(&dir)?;
    let known: HashSet<String> = p.controls.iter().map(|c| c.id.clone()).collect();
    findings.extend(library::validate(&lib, &known, today));
    // The checks across entries of `vouch library lint` (contradictions,
    // near-duplicates, coverage of criteria and controls, hubs).
    match library::thesaurus_for(&dir) {
        Ok(thesaurus) => {
            let input = library::lint::LintInput {
                lib: &lib,
                load_findings: &[],
                thesaurus: &thesaurus,
                dir: Some(&dir),
                project: Some(p),
                today,
            };
            findings.extend(
                library::lint::across_entries(&input)
                    .into_iter()
                    .map(|f| f.finding),
            );
        }
        Err(e) => findings.push(Finding::error(
            format!("answers/{}", library::THESAURUS_FILE),
            format!("{e:#}"),
        )),
    }
    // Name library files relative to the project, like the data files.
    let prefix = format!("{}/", p.root.display());
    for f in &mut findings {
        if let Some(rest) = f.file.strip_prefix(&prefix) {
            f.file = rest.to_string();
        }
    }
    Ok(findings)
}
