//! `vouch check`, `vouch coverage` and `vouch tsc` on fixture projects, run
//! through the real binary. Invalid cases are made from a copy of the
//! minimal valid fixture with one thing broken, and pin the error text.

mod util;

use std::path::Path;
use std::process::Output;

use serde_json::Value;

/// 2026-11-28: a fixed "today" so freshness checks do not depend on the clock.
const TODAY: &str = "1795824000";

fn fixture(name: &str) -> std::path::PathBuf {
    util::repo_root().join("tests/fixtures/projects").join(name)
}

fn vouch_at(dir: &Path, args: &[&str]) -> Output {
    util::vouch()
        .env("SOURCE_DATE_EPOCH", TODAY)
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .unwrap()
}

/// A copy of the minimal fixture with `edit` applied to one of its files.
fn broken(file: &str, edit: impl FnOnce(String) -> String) -> tempfile::TempDir {
    let tmp = util::copy_to_temp(&fixture("minimal"));
    let path = tmp.path().join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    std::fs::write(&path, edit(text)).unwrap();
    tmp
}

fn check(dir: &Path) -> (Option<i32>, String) {
    let out = vouch_at(dir, &["check"]);
    (out.status.code(), util::stdout(&out))
}

#[test]
fn minimal_fixture_is_clean() {
    let (code, out) = check(&fixture("minimal"));
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("0 errors, 0 warnings"), "{out}");
}

#[test]
fn demo_project_is_clean() {
    let out = vouch_at(&util::repo_root(), &["check", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", util::stdout(&out));
    let v: Value = serde_json::from_str(&util::stdout(&out)).unwrap();
    assert_eq!(v["summary"]["errors"], 0);
}

#[test]
fn unknown_criterion_names_file_row_and_id() {
    let (code, out) = check(&fixture("unknown-criterion"));
    assert_eq!(code, Some(1));
    assert!(
        out.contains("data/controls.csv:7: error: criteria: unknown TSC criterion \"CC10.1\""),
        "{out}"
    );
}

#[test]
fn missing_company_toml_is_a_one_line_error() {
    let tmp = tempfile::tempdir().unwrap();
    let out = vouch_at(tmp.path(), &["check"]);
    assert_eq!(out.status.code(), Some(2));
    let err = util::stderr(&out);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("data/company.toml"), "{err}");
    assert!(!err.contains("panicked"));
}

#[test]
fn duplicate_control_id() {
    let tmp = broken("data/controls.csv", |t| t.replace("COM-01,", "GOV-01,"));
    let (code, out) = check(tmp.path());
    assert_eq!(code, Some(1));
    assert!(
        out.contains("data/controls.csv:3: error: id: duplicate control id \"GOV-01\""),
        "{out}"
    );
}

#[test]
fn bad_date_and_bad_status() {
    let tmp = broken("data/controls.csv", |t| {
        t.replace("2026-01-10", "2026-13-01")
            .replace("on-event,implemented", "on-event,done")
    });
    let (code, out) = check(tmp.path());
    assert_eq!(code, Some(1));
    assert!(
        out.contains("data/controls.csv:2: error: last_tested: invalid date \"2026-13-01\""),
        "{out}"
    );
    assert!(
        out.contains("data/controls.csv:8: error: status: invalid value \"done\""),
        "{out}"
    );
    // The change-management criterion is now without an implemented control.
    assert!(out.contains("in-scope criterion CC8.1"), "{out}");
}

#[test]
fn missing_required_field_in_toml() {
    let tmp = broken("data/reports.toml", |t| {
        t.replace("title = \"SOC 2 Type II\"\n", "")
    });
    let (code, out) = check(tmp.path());
    assert_eq!(code, Some(1));
    assert!(
        out.contains("data/reports.toml:1: error: title: missing required field"),
        "{out}"
    );
}

#[test]
fn file_outside_the_project_or_missing() {
    let tmp = broken("data/reports.toml", |t| {
        t + "\n[[report]]\nid = \"a\"\nkind = \"soc3\"\ntitle = \"SOC 3\"\nfile = \"../secret.pdf\"\naccess = \"public\"\n\
             \n[[report]]\nid = \"b\"\nkind = \"soc3\"\ntitle = \"SOC 3 again\"\nfile = \"data/files/none.pdf\"\naccess = \"public\"\n"
    });
    let (code, out) = check(tmp.path());
    assert_eq!(code, Some(1));
    assert!(
        out.contains(
            "data/reports.toml:17: error: file: \"../secret.pdf\" lies outside the project"
        ),
        "{out}"
    );
    assert!(
        out.contains(
            "data/reports.toml:24: error: file: file \"data/files/none.pdf\" does not exist"
        ),
        "{out}"
    );
}

#[test]
fn short_period_and_stale_report_are_warnings() {
    let tmp = broken("data/reports.toml", |t| {
        t.replace("period_start = 2025-07-01", "period_start = 2025-05-01")
            .replace("period_end = 2026-06-30", "period_end = 2025-06-15")
    });
    let (code, out) = check(tmp.path());
    assert_eq!(code, Some(0), "warnings alone exit 0: {out}");
    assert!(out.contains("data/reports.toml:9: warning: period_end: report \"soc2-2026\": a Type II period of 1.5 months"), "{out}");
    assert!(out.contains("customers treat it as stale"), "{out}");
    assert!(out.contains("0 errors, 2 warnings"), "{out}");
}

#[test]
fn check_json_lists_findings() {
    let out = vouch_at(&fixture("unknown-criterion"), &["check", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_str(&util::stdout(&out)).unwrap();
    assert_eq!(v["summary"]["errors"], 2);
    let f = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["line"] == 7)
        .expect("a finding on row 7");
    assert_eq!(f["file"], "data/controls.csv");
    assert_eq!(f["field"], "criteria");
    assert!(f["message"].as_str().unwrap().contains("CC10.1"));
}

#[test]
fn coverage_lists_uncovered_criteria_first() {
    let tmp = broken("data/controls.csv", |t| {
        t.lines()
            .filter(|l| !l.starts_with("CHG-01"))
            .map(|l| l.replace("OPS-01,Operations,Detection and incident response.,CC7.1;CC7.2;CC7.3;CC7.4;CC7.5,Operations,SRE,continuous,implemented", "OPS-01,Operations,Detection and incident response.,CC7.1;CC7.2;CC7.3;CC7.4;CC7.5,Operations,SRE,continuous,in-progress"))
            .collect::<Vec<_>>()
            .join("\n")
    });
    let out = vouch_at(tmp.path(), &["coverage", "--json"]);
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_str(&util::stdout(&out)).unwrap();
    assert_eq!(v["summary"]["uncovered"], 1);
    assert_eq!(v["summary"]["partial"], 5);
    let rows = v["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 33);
    assert_eq!(rows[0]["criterion"], "CC8.1");
    assert_eq!(rows[0]["state"], "uncovered");
    assert_eq!(rows[1]["criterion"], "CC7.1");
    assert_eq!(rows[1]["state"], "partial");
    assert!(rows[6..].iter().all(|r| r["state"] == "covered"));

    let csv_out = vouch_at(tmp.path(), &["coverage", "--csv"]);
    let mut rdr = csv::Reader::from_reader(csv_out.stdout.as_slice());
    let records: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), 33);
    assert_eq!(&records[0][0], "CC8.1");

    let gaps = vouch_at(tmp.path(), &["coverage", "--fail-on-gaps"]);
    assert_eq!(gaps.status.code(), Some(1));
}

#[test]
fn demo_coverage_has_no_gap() {
    let out = vouch_at(
        &util::repo_root(),
        &["coverage", "--json", "--fail-on-gaps"],
    );
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_str(&util::stdout(&out)).unwrap();
    // security + availability + confidentiality
    assert_eq!(v["rows"].as_array().unwrap().len(), 38);
    assert_eq!(v["summary"]["covered"], 38);
}

#[test]
fn tsc_json_lists_61_unique_criteria() {
    let out = vouch_at(&util::repo_root(), &["tsc", "--json"]);
    assert!(out.status.success());
    let v: Value = serde_json::from_str(&util::stdout(&out)).unwrap();
    assert_eq!(v["summary"]["criteria"], 61);
    let items = v["rows"].as_array().unwrap();
    assert_eq!(items.len(), 61);
    let ids: std::collections::BTreeSet<&str> =
        items.iter().map(|i| i["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 61);
    assert!(ids.contains("CC9.2") && ids.contains("P8.1") && ids.contains("PI1.5"));
    let avail = vouch_at(
        &util::repo_root(),
        &["tsc", "--json", "--category", "availability"],
    );
    let avail: Value = serde_json::from_str(&util::stdout(&avail)).unwrap();
    assert_eq!(avail["rows"].as_array().unwrap().len(), 3);
}
