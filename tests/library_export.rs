//! `vouch library export`, `stats` and `due` on a library made here.

mod util;

use std::io::Read;

use serde_json::Value;

/// Three approved entries (one internal, one long overdue) and one draft.
fn library(today: chrono::NaiveDate) -> String {
    let recent = today - chrono::Duration::days(10);
    let soon = today - chrono::Duration::days(350); // due in 15 days
    format!(
        r#"# Library for the export tests

[[entry]]
id = "ENC-001"
question = "Is customer data encrypted at rest?"
variants = ["Do you encrypt stored data?", "Is data at rest protected with AES-256?"]
answer = "Yes"
comment = "AES-256, keys in KMS."
controls = ["CR-01"]
criteria = ["CC6.1"]
topic = "cryptography"
owner = "Platform"
reviewed = {soon}

[[entry]]
id = "IAM-001"
question = "Is MFA enforced for employees?"
answer = "Yes"
comment = "Okta with FIDO2."
controls = ["AC-01"]
topic = "access"
owner = "IT"
reviewed = 2020-01-01

[[entry]]
id = "INT-001"
question = "Which SIEM rules detect lateral movement?"
answer = "See runbook RB-7."
comment = "Internal only."
criteria = ["CC7.2"]
owner = "IT"
reviewed = {recent}
visibility = "internal"

[[entry]]
id = "IMP-001"
question = "Do you carry cyber insurance?"
draft_variants = ["Cyber liability coverage?"]
answer = "Yes"
comment = "5M limit."
status = "draft"
"#
    )
}

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("answers")).unwrap();
    let today = chrono::Utc::now().date_naive();
    std::fs::write(dir.path().join("answers/lib.toml"), library(today)).unwrap();
    dir
}

fn json(out: &std::process::Output) -> Value {
    assert!(out.status.success(), "{}", util::stderr(out));
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", util::stdout(out)))
}

#[test]
fn csv_export_has_one_row_per_entry_and_reads_back_as_a_library() {
    let dir = project();
    let out = util::run_in(
        dir.path(),
        &["library", "export", "--format", "csv", "-o", "lib.csv"],
    );
    assert!(out.status.success(), "{}", util::stderr(&out));
    let mut rdr = csv::Reader::from_path(dir.path().join("lib.csv")).unwrap();
    let header: Vec<String> = rdr.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(
        &header[..6],
        ["id", "question", "variants", "answer", "comment", "controls"]
    );
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    // The internal entry is left out without --internal.
    let ids: Vec<&str> = rows.iter().map(|r| &r[0]).collect();
    assert_eq!(ids, ["ENC-001", "IAM-001", "IMP-001"]);
    assert_eq!(
        &rows[0][2],
        "Do you encrypt stored data?\nIs data at rest protected with AES-256?"
    );
    assert_eq!(&rows[0][5], "CR-01; CC6.1");

    // The CSV is itself a library: the same entries, variants and controls.
    let (lib, findings) = vouch::library::load(&dir.path().join("lib.csv")).unwrap();
    assert!(findings.is_empty(), "{findings:?}");
    let enc = &lib.entries[0];
    assert_eq!(enc.variants.len(), 2);
    assert_eq!(
        (enc.controls.clone(), enc.criteria.clone()),
        (vec!["CR-01".to_string()], vec!["CC6.1".to_string()])
    );
    assert!(lib.entries[2].is_draft(), "status survives the round trip");

    let all = util::run_in(dir.path(), &["library", "export", "--internal"]);
    assert!(util::stdout(&all).contains("INT-001"));
}

#[test]
fn xlsx_export_has_a_frozen_filtered_header_and_widths() {
    let dir = project();
    let out = util::run_in(
        dir.path(),
        &["library", "export", "--format", "xlsx", "-o", "lib.xlsx"],
    );
    assert!(out.status.success(), "{}", util::stderr(&out));
    let file = std::fs::File::open(dir.path().join("lib.xlsx")).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut xml = String::new();
    zip.by_name("xl/worksheets/sheet1.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    assert!(
        xml.contains("ySplit=\"1\"") && xml.contains("state=\"frozen\""),
        "no frozen header"
    );
    assert!(xml.contains("<autoFilter ref=\"A1:"), "no filter");
    assert!(xml.contains("customWidth=\"1\""), "no widths");
    use calamine::Reader;
    let mut book = calamine::open_workbook_auto(dir.path().join("lib.xlsx")).unwrap();
    let range = book.worksheet_range("Library").unwrap();
    assert_eq!(range.height(), 4, "header + 3 entries");
    // A workbook is never written to a terminal.
    let out = util::run_in(dir.path(), &["library", "export", "--format", "xlsx"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn stats_count_per_status_answer_topic_owner_and_review_age() {
    let dir = project();
    let v = json(&util::run_in(dir.path(), &["library", "stats", "--json"]));
    let s = &v["summary"];
    assert_eq!(s["entries"], 4);
    assert_eq!(s["variants"], 2);
    assert_eq!(s["draft_variants"], 1);
    assert_eq!(
        s["by_status"],
        serde_json::json!({"approved": 3, "draft": 1})
    );
    assert_eq!(s["by_answer"], serde_json::json!({"Yes": 3, "text": 1}));
    assert_eq!(s["by_owner"]["IT"], 2);
    assert_eq!(s["by_owner"]["(no owner)"], 1);
    assert_eq!(s["by_topic"]["cryptography"], 1);
    assert_eq!(s["review_age"]["never_reviewed"], 1);
    assert_eq!(s["review_age"]["stale"], 1);
    assert_eq!(s["review_age"]["oldest"], "2020-01-01");
    let it = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["owner"] == "IT")
        .unwrap();
    assert_eq!(
        (it["entries"].as_u64(), it["stale"].as_u64()),
        (Some(2), Some(1))
    );
    let text = util::stdout(&util::run_in(dir.path(), &["library", "stats"]));
    assert!(text.contains("status      approved 3, draft 1"), "{text}");
}

#[test]
fn due_lists_each_owners_reviews_within_the_period() {
    let dir = project();
    let v = json(&util::run_in(dir.path(), &["library", "due", "--json"]));
    let ids: Vec<(&str, &str)> = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["owner"].as_str().unwrap(), r["id"].as_str().unwrap()))
        .collect();
    // IAM-001 is overdue, ENC-001 due in 15 days; the draft is not listed.
    assert_eq!(ids, [("IT", "IAM-001"), ("Platform", "ENC-001")]);
    assert_eq!(v["summary"]["overdue"], 1);
    assert_eq!(v["rows"][1]["days_left"], 15);
    let v = json(&util::run_in(
        dir.path(),
        &["library", "due", "--within", "1w", "--json"],
    ));
    assert_eq!(v["rows"].as_array().unwrap().len(), 1);
    let out = util::run_in(dir.path(), &["library", "due", "--within", "soon"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(util::stderr(&out).contains("--within \"soon\""));
}
