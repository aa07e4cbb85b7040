//! `vouch answer` end to end: the real binary on the dev workbook, the demo
//! questionnaire and small libraries made here.

mod questionnaire_support;
mod util;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use questionnaire_support as qs;
use serde_json::Value;

/// The `rows` of a `{"summary": ..., "rows": [...]}` JSON report.
fn report(path: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(path).expect("json report");
    let value = serde_json::from_str::<Value>(&text).expect("valid json");
    assert!(value["summary"].is_object(), "a summary object: {value}");
    value["rows"]
        .as_array()
        .expect("an array of question rows")
        .clone()
}

fn gold_rows(file: &str) -> BTreeSet<(String, u32)> {
    let mut rdr = csv::Reader::from_path(util::shared().join("eval/dev").join(file)).unwrap();
    rdr.records()
        .map(|r| {
            let r = r.unwrap();
            (r[0].to_string(), r[1].parse().unwrap())
        })
        .collect()
}

#[test]
fn dev_workbook_a_gets_auto_answers_in_column_d_and_nowhere_else() {
    let input = util::shared().join("eval/dev/dev_questionnaire_a.xlsx");
    let library = util::shared().join("eval/dev/library.csv");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.xlsx");
    let json = dir.path().join("r.json");
    let input_before = std::fs::read(&input).unwrap();

    let o = util::run_in(
        dir.path(),
        &[
            "answer",
            input.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--library",
            library.to_str().unwrap(),
            "--json",
            json.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "stderr: {}", util::stderr(&o));
    assert_eq!(
        std::fs::read(&input).unwrap(),
        input_before,
        "input modified"
    );

    // The report lists exactly the 120 question rows.
    let rows = report(&json);
    let listed: BTreeSet<(String, u32)> = rows
        .iter()
        .map(|r| {
            (
                r["sheet"].as_str().unwrap().to_string(),
                r["row"].as_u64().unwrap() as u32,
            )
        })
        .collect();
    assert_eq!(rows.len(), 120);
    assert_eq!(listed, gold_rows("dev_questionnaire_a.gold.csv"));

    // Answers (column D = 3) and comments (E = 4) only on auto rows.
    let mut targets = BTreeMap::new();
    for r in rows.iter().filter(|r| r["tier"] == "auto") {
        let row = r["row"].as_u64().unwrap() as u32;
        let answer = r["answer"].as_str().expect("auto rows carry an answer");
        targets.insert(("Security".to_string(), row, 3), answer.to_string());
        if let Some(comment) = r["comment"].as_str() {
            targets.insert(("Security".to_string(), row, 4), comment.to_string());
        }
    }
    assert!(
        targets.len() >= 20,
        "too few auto answers: {}",
        targets.len()
    );
    qs::assert_only_targets_changed(&qs::cells(&input), &qs::cells(&out), &targets);

    // Every zip entry but the answered sheet is byte-identical.
    let before = qs::zip_entries(&input);
    let after = qs::zip_entries(&out);
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>()
    );
    let changed: Vec<&String> = before
        .iter()
        .filter(|(name, bytes)| after[*name] != **bytes)
        .map(|(name, _)| name)
        .collect();
    assert_eq!(changed.len(), 1, "changed parts: {changed:?}");
    assert!(changed[0].starts_with("xl/worksheets/"));
}

#[test]
fn review_answers_are_filled_only_with_fill_review() {
    let input = util::shared().join("eval/dev/dev_questionnaire_b.xlsx");
    let library = util::shared().join("eval/dev/library.csv");
    let dir = tempfile::tempdir().unwrap();
    let run = |extra: &[&str], name: &str| {
        let out = dir.path().join(format!("{name}.xlsx"));
        let json = dir.path().join(format!("{name}.json"));
        let mut args = vec![
            "answer",
            input.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--library",
            library.to_str().unwrap(),
            "--json",
            json.to_str().unwrap(),
            "--quiet",
        ];
        args.extend_from_slice(extra);
        let o = util::run_in(dir.path(), &args);
        assert!(o.status.success(), "stderr: {}", util::stderr(&o));
        (qs::cells(&out), report(&json))
    };
    let (plain, rows) = run(&[], "plain");
    let (with_review, review_report) = run(&["--fill-review"], "review");
    assert_eq!(rows.len(), 80);
    let answer_cell = |cells: &BTreeMap<(String, u32, u32), String>, r: &Value| {
        let key = (
            r["sheet"].as_str().unwrap().to_string(),
            r["row"].as_u64().unwrap() as u32,
            3,
        );
        cells.get(&key).cloned()
    };
    let mut review_rows = 0;
    for (r, filled) in rows.iter().zip(&review_report) {
        match r["tier"].as_str().unwrap() {
            "auto" => assert!(answer_cell(&plain, r).is_some()),
            "review" => {
                review_rows += 1;
                assert_eq!(answer_cell(&plain, r), None, "review row filled: {r}");
                // An explanation is never forced into a Yes/No dropdown cell:
                // such a row is reported as skipped instead.
                if filled["status"] == "skipped" {
                    assert_eq!(answer_cell(&with_review, r), None, "{filled}");
                } else {
                    assert!(answer_cell(&with_review, r).is_some(), "{filled}");
                }
            }
            _ => {
                assert_eq!(answer_cell(&with_review, r), None, "none row filled: {r}");
                assert!(r["answer"].is_null() && r["entry"].is_null());
            }
        }
    }
    assert!(review_rows > 0, "no review row to test");
}

#[test]
fn demo_questionnaire_csv_keeps_its_shape() {
    let root = util::repo_root();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("answered.csv");
    let json = dir.path().join("r.json");
    let input = root.join("examples/prospect-questionnaire.csv");
    let o = util::run_in(
        &root,
        &[
            "answer",
            input.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--json",
            json.to_str().unwrap(),
            "--report",
            dir.path().join("review.xlsx").to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "stderr: {}", util::stderr(&o));
    let count = |p: &Path| csv::Reader::from_path(p).unwrap().records().count();
    assert_eq!(count(&input), count(&out));
    let rows = report(&json);
    assert_eq!(rows.len(), count(&input));
    let auto = rows.iter().filter(|r| r["tier"] == "auto").count();
    // Precision first: most demo rows go to review (the gates hold back
    // any match whose key ask is not plainly in the entry), but a demo that
    // fills nothing would show nothing.
    assert!(auto >= rows.len() / 4, "only {auto} auto answers");
    // Every answer is traceable to controls and through them to TSC criteria.
    for r in rows.iter().filter(|r| r["tier"] == "auto") {
        assert!(!r["controls"].as_array().unwrap().is_empty(), "{r}");
        assert!(!r["criteria"].as_array().unwrap().is_empty(), "{r}");
    }
    // Company facts are not in the library: never filled automatically.
    let mut filled = csv::Reader::from_path(&out).unwrap();
    for (r, record) in rows.iter().zip(filled.records()) {
        let question = r["question"].as_str().unwrap();
        if question.contains("revenue") || question.contains("full-time employees") {
            assert_ne!(r["tier"], "auto", "{r}");
            assert_eq!(&record.unwrap()[3], "", "{question}");
        }
    }
    assert!(dir.path().join("review.xlsx").is_file());
}

#[test]
fn internal_entries_never_reach_the_customer() {
    let dir = tempfile::tempdir().unwrap();
    let answers = dir.path().join("answers");
    std::fs::create_dir(&answers).unwrap();
    std::fs::write(
        answers.join("lib.toml"),
        r#"
[[entry]]
id = "SEC-INT"
question = "Do you keep an incident response retainer with an outside forensics firm?"
answer = "Yes"
comment = "MARKER-INTERNAL-7731 retainer with a named firm"
criteria = ["CC7.4"]
visibility = "internal"

[[entry]]
id = "ENC-001"
question = "Is customer data encrypted at rest?"
answer = "Yes"
comment = "AES-256 with managed keys."
criteria = ["CC6.1"]
"#,
    )
    .unwrap();
    let input = dir.path().join("q.csv");
    std::fs::write(
        &input,
        "Question,Answer,Comment\n\
         Do you keep an incident response retainer with an outside forensics firm?,,\n\
         Is customer data encrypted at rest?,,\n",
    )
    .unwrap();
    let out = dir.path().join("out.csv");
    let json = dir.path().join("r.json");
    let review = dir.path().join("review.xlsx");
    let o = util::run_in(
        dir.path(),
        &[
            "answer",
            "q.csv",
            "-o",
            "out.csv",
            "--json",
            "r.json",
            "--report",
            "review.xlsx",
            "--fill-review",
        ],
    );
    assert!(o.status.success(), "stderr: {}", util::stderr(&o));
    for path in [&out, &json] {
        let text = std::fs::read_to_string(path).unwrap();
        assert!(!text.contains("MARKER-INTERNAL-7731"), "{}", path.display());
        assert!(!text.contains("SEC-INT"), "{}", path.display());
    }
    let cells = qs::cells(&review);
    assert!(cells.values().all(|v| !v.contains("MARKER-INTERNAL-7731")));
    let rows = report(&json);
    assert_eq!(rows[1]["entry"], "ENC-001");
    assert_eq!(rows[1]["tier"], "auto");
}

#[test]
fn missing_library_is_a_one_line_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("q.csv"), "Question,Answer\nIs MFA on?,\n").unwrap();
    let o = util::run_in(dir.path(), &["answer", "q.csv", "--library", "nope"]);
    assert_eq!(o.status.code(), Some(2));
    let err = util::stderr(&o);
    assert!(err.contains("nope"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(!dir.path().join("q.answered.csv").exists());
}
