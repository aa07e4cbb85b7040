//! Builds the trust center from a hand-made public view (library call) and
//! checks the rendered pages, feeds and machine-readable files.

use std::path::Path;

use chrono::NaiveDate;
use vouch::site::build::{build_view, BuildOptions, Engine};
use vouch::site::public::*;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

pub fn sample_view() -> PublicView {
    PublicView {
        build_date: d("2026-11-28"),
        company: Company {
            name: "Kestrel Test, Inc.".into(),
            website: "https://kestrel.test".into(),
            security_contact: "security@kestrel.test".into(),
            logo: None,
            description: "Kestrel runs a *hosted* scheduling platform.".into(),
            boundaries: vec![
                ("services".into(), "The web app and API.".into()),
                ("infrastructure".into(), "AWS eu-west-1.".into()),
            ],
            commitments: vec!["99.9% availability.".into()],
            requirements: vec!["Least privilege.".into()],
            categories: vec!["security".into(), "availability".into()],
            request_access_url: None,
            security_txt_lifetime_days: 180,
            preferred_languages: Some("en, de".into()),
            vulnerability_policy_url: Some("https://kestrel.test/disclosure".into()),
        },
        controls: vec![
            Control {
                id: Some("CR-01".into()),
                title: "Encryption at rest".into(),
                description: Some(
                    "Data is encrypted with AES-256 <script>alert(1)</script>.".into(),
                ),
                criteria: vec!["CC6.1".into()],
                domain: Some("Cryptography".into()),
                status: "implemented".into(),
                last_tested: Some(d("2026-05-01")),
                key_facts: vec!["encryption".into()],
                listed_only: false,
            },
            Control {
                id: Some("AV-01".into()),
                title: "Daily backups".into(),
                description: Some("Backups every day, restored quarterly.".into()),
                criteria: vec!["A1.2".into(), "CC7.5".into()],
                domain: Some("Resilience".into()),
                status: "in-progress".into(),
                last_tested: None,
                key_facts: vec!["backups".into()],
                listed_only: false,
            },
            Control {
                id: None,
                title: "Vendor reviews".into(),
                description: None,
                criteria: vec!["CC9.2".into()],
                domain: None,
                status: "implemented".into(),
                last_tested: None,
                key_facts: vec![],
                listed_only: true,
            },
        ],
        reports: vec![
            Report {
                title: "SOC 2 Type II report 2026".into(),
                kind: "soc2-type2".into(),
                access: "nda".into(),
                categories: vec!["security".into(), "availability".into()],
                period_start: Some(d("2025-07-01")),
                period_end: Some(d("2026-06-30")),
                as_of: None,
                issued: Some(d("2026-08-14")),
                valid_until: None,
                details: None,
            },
            Report {
                title: "SOC 3 report 2026".into(),
                kind: "soc3".into(),
                access: "public".into(),
                categories: vec!["security".into(), "availability".into()],
                period_start: Some(d("2025-07-01")),
                period_end: Some(d("2026-06-30")),
                as_of: None,
                issued: Some(d("2026-08-14")),
                valid_until: None,
                details: Some(ReportDetails {
                    id: "soc3-2026".into(),
                    auditor: Some("Example & Partners LLP".into()),
                    opinion: Some("unqualified".into()),
                    summary: Some("The public summary.".into()),
                    file: Some("data/files/soc3.pdf".into()),
                }),
            },
        ],
        documents: vec![Document {
            title: "Information Security Policy".into(),
            kind: "policy".into(),
            access: "public".into(),
            updated: Some(d("2026-03-01")),
            details: Some(DocumentDetails {
                id: "infosec".into(),
                summary: Some("The rules.".into()),
                file: Some("data/files/infosec.pdf".into()),
            }),
        }],
        subprocessors: vec![Subprocessor {
            name: "Amazon Web Services".into(),
            purpose: "Cloud hosting".into(),
            data: "All customer data".into(),
            location: "Ireland".into(),
            since: d("2019-04-01"),
            website: Some("https://aws.amazon.com".into()),
        }],
        updates: vec![Update {
            slug: "2026-08-20-soc2".into(),
            title: "SOC 2 Type II report now available".into(),
            date: d("2026-08-20"),
            body: "Our latest report is out.\n".into(),
        }],
        faq: vec![FaqEntry {
            id: "ENC-001".into(),
            topic: "Cryptography".into(),
            question: "Is customer data encrypted at rest?".into(),
            answer: "Yes".into(),
            comment: "AES-256 with AWS KMS.".into(),
            controls: vec!["CR-01".into()],
            criteria: vec!["CC6.1".into()],
        }],
    }
}

/// A project dir with the repo's site/ and themes/ plus the files the view names.
fn project() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    copy_dir(&root.join("site"), &tmp.path().join("site"));
    copy_dir(&root.join("themes"), &tmp.path().join("themes"));
    std::fs::create_dir_all(tmp.path().join("data/files")).unwrap();
    std::fs::write(tmp.path().join("data/files/soc3.pdf"), "%PDF soc3").unwrap();
    std::fs::write(tmp.path().join("data/files/infosec.pdf"), "%PDF infosec").unwrap();
    tmp
}

fn copy_dir(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).unwrap();
    for entry in std::fs::read_dir(src).unwrap() {
        let entry = entry.unwrap();
        let target = dst.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

#[test]
fn renders_every_page() {
    let proj = project();
    let out = proj.path().join("public");
    let report = build_view(
        &sample_view(),
        &BuildOptions {
            project: proj.path().to_path_buf(),
            out: out.clone(),
            stage_only: None,
            engine: Engine::Builtin,
            base_url: None,
            relative: false,
            allow_errors: false,
            build_date: d("2026-11-28"),
        },
    )
    .unwrap();
    for f in [
        "index.html",
        "controls/index.html",
        "reports/index.html",
        "documents/index.html",
        "subprocessors/index.html",
        "subprocessors/atom.xml",
        "updates/atom.xml",
        "updates/soc2/index.html",
        "contact/index.html",
        "soc-reports-explained/index.html",
        "404.html",
        "sitemap.xml",
        "robots.txt",
        "atom.xml",
        "trust.json",
        ".well-known/security.txt",
        "files/soc3.pdf",
        "files/infosec.pdf",
        "vouch.css",
        "vouch.js",
    ] {
        assert!(out.join(f).is_file(), "missing {f}; report {report:?}");
    }
    let controls = std::fs::read_to_string(out.join("controls/index.html")).unwrap();
    assert!(
        controls.contains("&lt;script&gt;alert(1)&lt;&#x2F;script&gt;"),
        "{controls}"
    );
    assert!(!controls.contains("<script>alert(1)"));
}
