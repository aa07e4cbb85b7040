//! Loading the answer library: TOML directories and CSV files, with errors
//! that name the file and line.
mod util;

use std::collections::HashSet;

use chrono::NaiveDate;
use vouch::diag::Severity;
use vouch::library::{self, Visibility};

fn write(dir: &std::path::Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

const GOOD: &str = r#"
[[entry]]
id = "ENC-001"
question = "Is customer data encrypted at rest?"
variants = ["Do you encrypt stored data?"]
answer = "Yes"
comment = "AES-256 with AWS KMS."
criteria = ["CC6.1"]
tags = ["encryption"]
reviewed = 2026-01-10
visibility = "public"

[[entry]]
id = "IAM-003"
question = "Is MFA enforced for workforce access?"
answer = "Yes"
comment = "Phishing-resistant MFA."
controls = ["AC-01"]
reviewed = "2024-01-01"
review_interval_days = 30
visibility = "internal"
"#;

#[test]
fn loads_a_toml_directory_and_skips_the_thesaurus() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "a.toml", GOOD);
    write(
        tmp.path(),
        "thesaurus.toml",
        "[concepts]\nfoo = [\"bar\"]\n",
    );
    let (lib, findings) = library::load(tmp.path()).unwrap();
    assert!(findings.is_empty(), "{findings:?}");
    assert_eq!(lib.entries.len(), 2);
    let e = &lib.entries[0];
    assert_eq!(e.variants, vec!["Do you encrypt stored data?"]);
    assert_eq!(e.source.line, 2);
    assert_eq!(lib.entries[1].source.line, 13);
    assert_eq!(lib.entries[1].visibility, Visibility::Internal);
    let today = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
    assert!(!e.is_stale(today));
    assert!(lib.entries[1].is_stale(today));
    let known: HashSet<String> = ["AC-01".to_string()].into();
    let problems = library::validate(&lib, &known, today);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].severity, Severity::Warning);
    assert!(problems[0].message.contains("stale"));
}

#[test]
fn toml_errors_name_file_and_line() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        "bad.toml",
        "[[entry]]\nid = \"X\"\nquestion = \n",
    );
    let (_, findings) = library::load(tmp.path()).unwrap();
    let text = findings[0].to_string();
    assert!(text.contains("bad.toml:3"), "{text}");

    write(
        tmp.path(),
        "bad.toml",
        "[[entry]]\nid = \"X\"\nanswer = \"Yes\"\nvisibility = \"secret\"\n",
    );
    let (lib, findings) = library::load(tmp.path()).unwrap();
    assert!(
        findings
            .iter()
            .any(|f| f.to_string().contains("bad.toml:4: error: visibility")),
        "{findings:?}"
    );
    let problems = library::validate(
        &lib,
        &HashSet::new(),
        NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
    );
    let all: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert!(
        all.iter().any(|p| p.contains("question: required")),
        "{all:?}"
    );
    assert!(all.iter().any(|p| p.contains("controls")), "{all:?}");
}

#[test]
fn csv_library_and_its_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("lib.csv");
    std::fs::write(
        &path,
        "id,question,answer,comment,controls,topic\r\nA-1,Is data encrypted?,Yes,AES,CC6.1;AC-01,encryption\r\nA-1,Dup?,No,x,CC99.1,\r\n",
    )
    .unwrap();
    let (lib, findings) = library::load(&path).unwrap();
    assert!(findings.is_empty(), "{findings:?}");
    assert_eq!(lib.entries.len(), 2);
    assert_eq!(lib.entries[0].criteria, vec!["CC6.1"]);
    assert_eq!(lib.entries[0].controls, vec!["AC-01"]);
    assert_eq!(lib.entries[1].source.line, 3);
    let problems = library::validate(
        &lib,
        &HashSet::new(),
        NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
    );
    let all: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert!(
        all.iter()
            .any(|p| p.contains("lib.csv:3: error: id: duplicate id")),
        "{all:?}"
    );
    assert!(
        all.iter()
            .any(|p| p.contains("lib.csv:3: error: controls") || p.contains("CC99.1")),
        "{all:?}"
    );

    std::fs::write(&path, "id,question\nA,B\n").unwrap();
    let (_, findings) = library::load(&path).unwrap();
    assert!(
        findings[0]
            .to_string()
            .contains("lib.csv:1: error: missing column"),
        "{:?}",
        findings
    );
}

#[test]
fn a_missing_library_is_an_error() {
    assert!(library::load(std::path::Path::new("/nonexistent/answers")).is_err());
}
