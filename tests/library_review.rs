//! The review loop end to end: `vouch answer --report` writes a review
//! workbook, a reviewer fills in the Decision column, and
//! `vouch library import --from-review` teaches the library; the next run
//! answers the same wording automatically. Review workbooks are also made
//! here from scratch following the layout of contract §2 (columns found by
//! header text, in any order).

mod util;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use calamine::{Data, Reader};
use serde_json::Value;

const DECISION_COLUMNS: [&str; 4] = [
    "Decision",
    "Use entry",
    "Answer override",
    "Comment override",
];

/// The cells of the `Review` sheet, one map per row (header -> text).
fn read_review(path: &Path) -> (Vec<String>, Vec<BTreeMap<String, String>>) {
    let mut book = calamine::open_workbook_auto(path).unwrap();
    let range = book.worksheet_range("Review").unwrap();
    let mut rows = range.rows();
    let header: Vec<String> = rows.next().unwrap().iter().map(text).collect();
    let body = rows
        .map(|r| header.iter().cloned().zip(r.iter().map(text)).collect())
        .collect();
    (header, body)
}

fn text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::Float(f) if f.fract() == 0.0 => format!("{}", *f as i64),
        other => other.to_string(),
    }
}

/// Writes a review workbook with `header` (the decision columns added when
/// missing) and `rows`.
fn write_review(path: &Path, header: &[String], rows: &[BTreeMap<String, String>]) {
    let mut header = header.to_vec();
    for c in DECISION_COLUMNS {
        if !header.iter().any(|h| h == c) {
            header.push(c.to_string());
        }
    }
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Review").unwrap();
    for (c, h) in header.iter().enumerate() {
        sheet.write_string(0, c as u16, h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, h) in header.iter().enumerate() {
            if let Some(v) = row.get(h) {
                sheet.write_string(r as u32 + 1, c as u16, v).unwrap();
            }
        }
    }
    book.save(path).unwrap();
}

fn rows_of(json: &Path) -> Vec<Value> {
    let v: Value = serde_json::from_str(&std::fs::read_to_string(json).unwrap()).unwrap();
    // `vouch answer --json` is {"summary", "rows"} (contract §1); older: an array.
    v.get("rows").unwrap_or(&v).as_array().unwrap().clone()
}

fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = Vec::new();
    util::all_files(&dir.join("answers"), &mut files);
    files
        .into_iter()
        .map(|p| {
            let b = std::fs::read(&p).unwrap();
            (p, b)
        })
        .collect()
}

/// A project whose answers/ is the dev library, moved to TOML with
/// `vouch library export --format toml`.
fn dev_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let csv = util::shared().join("eval/dev/library.csv");
    let out = util::run_in(
        dir.path(),
        &[
            "library",
            "export",
            "--format",
            "toml",
            "--library",
            csv.to_str().unwrap(),
            "-o",
            "answers/library.toml",
        ],
    );
    assert!(out.status.success(), "{}", util::stderr(&out));
    dir
}

fn answer(dir: &Path, input: &Path, report: &str, json: &str) -> Vec<Value> {
    let out = util::run_in(
        dir,
        &[
            "answer",
            input.to_str().unwrap(),
            "-o",
            "out.xlsx",
            "--overwrite",
            "--report",
            report,
            "--json",
            json,
        ],
    );
    assert!(out.status.success(), "{}", util::stderr(&out));
    rows_of(&dir.join(json))
}

fn auto_count(rows: &[Value]) -> usize {
    rows.iter().filter(|r| r["tier"] == "auto").count()
}

#[test]
fn accepted_and_corrected_review_rows_are_answered_automatically_next_time() {
    let dir = dev_project();
    let input = util::shared().join("eval/dev/dev_questionnaire_a.xlsx");
    let first = answer(dir.path(), &input, "review.xlsx", "r1.json");

    // The reviewer corrects one answer: the first row (auto or review)
    // whose entry is not the gold one gets "use entry" with the gold id.
    let mut gold = BTreeMap::new();
    let mut rdr =
        csv::Reader::from_path(util::shared().join("eval/dev/dev_questionnaire_a.gold.csv"))
            .unwrap();
    for r in rdr.records() {
        let r = r.unwrap();
        gold.insert(r[1].to_string(), r[4].to_string());
    }
    let wrong = first
        .iter()
        .filter(|r| r["tier"] != "none")
        .find(|r| {
            let g = &gold[&r["row"].to_string()];
            !g.is_empty() && r["entry"].as_str() != Some(g.as_str())
        })
        .expect("a row whose proposed entry is not the gold one");
    let fixed_row = wrong["row"].to_string();
    let corrected = gold[&fixed_row].clone();

    let (header, mut rows) = read_review(&dir.path().join("review.xlsx"));
    assert_eq!(rows.len(), first.len());
    for row in &mut rows {
        if row["Row"] == fixed_row {
            row.insert("Decision".into(), "use entry".into());
            row.insert("Use entry".into(), corrected.clone());
        } else {
            row.insert("Decision".into(), "accept".into());
        }
    }
    write_review(&dir.path().join("decided.xlsx"), &header, &rows);

    let out = util::run_in(
        dir.path(),
        &[
            "library",
            "import",
            "--from-review",
            "decided.xlsx",
            "--json",
        ],
    );
    assert!(
        out.status.code() == Some(0),
        "{}\n{}",
        util::stdout(&out),
        util::stderr(&out)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        report["summary"]["variants"].as_u64().unwrap() > 0,
        "{report}"
    );
    let taught = snapshot(dir.path());

    let second = answer(dir.path(), &input, "review2.xlsx", "r2.json");
    assert!(
        auto_count(&second) > auto_count(&first),
        "auto rows: {} then {}",
        auto_count(&first),
        auto_count(&second)
    );
    let fixed = second
        .iter()
        .find(|r| r["row"].as_u64().map(|n| n.to_string()) == Some(fixed_row.clone()))
        .unwrap();
    assert_eq!(fixed["entry"].as_str(), Some(corrected.as_str()), "{fixed}");

    // Importing the same review again changes nothing.
    let out = util::run_in(
        dir.path(),
        &["library", "import", "--from-review", "decided.xlsx"],
    );
    assert!(out.status.success(), "{}", util::stderr(&out));
    assert!(util::stdout(&out).contains("the library is unchanged"));
    assert_eq!(snapshot(dir.path()), taught);
}

const LIBRARY: &str = r#"[[entry]]
id = "ENC-001"
question = "Is customer data encrypted at rest?"
answer = "Yes"
comment = "AES-256."
criteria = ["CC6.1"]

[[entry]]
id = "IAM-001"
question = "Is multi-factor authentication enforced for workforce access?"
answer = "Yes"
comment = "Okta."
criteria = ["CC6.1"]
"#;

/// One review row: (column, value) pairs.
fn row(cells: &[(&str, &str)]) -> BTreeMap<String, String> {
    cells
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// Contract §2 headers, in a shuffled order (readers go by header text).
fn contract_header() -> Vec<String> {
    [
        "Decision",
        "Sheet",
        "Row",
        "ID",
        "Question",
        "Question type",
        "Answer",
        "Comment",
        "Confidence",
        "Tier",
        "Status",
        "Existing answer",
        "Entry",
        "Flipped",
        "Controls",
        "Criteria",
        "Suggestion",
        "Notes",
        "Use entry",
        "Answer override",
        "Comment override",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

fn small_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("answers")).unwrap();
    std::fs::write(dir.path().join("answers/lib.toml"), LIBRARY).unwrap();
    dir
}

#[test]
fn every_decision_of_a_contract_review_workbook_is_applied() {
    let dir = small_project();
    let rows = vec![
        row(&[
            ("Sheet", "S"),
            ("Row", "2"),
            ("Question", "Do you encrypt customer data stored on disk?"),
            ("Answer", "Yes"),
            ("Tier", "review"),
            ("Status", "left empty"),
            ("Entry", "ENC-001"),
            ("Decision", "accept"),
        ]),
        row(&[
            ("Row", "3"),
            ("Question", "Do you rotate encryption keys?"),
            ("Answer", "Yes"),
            ("Tier", "auto"),
            ("Status", "written"),
            ("Entry", "ENC-001"),
            ("Decision", "reject"),
        ]),
        row(&[
            ("Row", "4"),
            ("Question", "Is 2FA mandatory for all staff logins?"),
            ("Tier", "none"),
            ("Status", "left empty"),
            ("Suggestion", "ENC-001"),
            ("Decision", "Use entry"),
            ("Use entry", "IAM-001"),
        ]),
        row(&[
            ("Row", "5"),
            ("Question", "Do you offer an on-premises deployment?"),
            ("Tier", "none"),
            ("Status", "left empty"),
            ("Decision", "override"),
            ("Answer override", "No"),
            ("Comment override", "SaaS only."),
        ]),
        row(&[
            ("Row", "6"),
            ("Question", "Is stored customer data encrypted?"),
            ("Answer", "Yes"),
            ("Tier", "auto"),
            ("Status", "kept"),
            ("Existing answer", "No"),
            ("Entry", "ENC-001"),
            ("Decision", "accept"),
        ]),
        row(&[
            ("Row", "7"),
            ("Question", "Is customer data at rest encrypted with AES?"),
            ("Answer", "Yes"),
            ("Tier", "auto"),
            ("Status", "kept"),
            ("Existing answer", "Y"),
            ("Entry", "ENC-001"),
            ("Decision", "accept"),
        ]),
        row(&[
            ("Row", "8"),
            ("Question", "Can staff log in with only a password?"),
            ("Answer", "No"),
            ("Tier", "review"),
            ("Status", "left empty"),
            ("Entry", "IAM-001"),
            ("Flipped", "yes"),
            ("Decision", "accept"),
        ]),
        row(&[
            ("Row", "9"),
            ("Question", "Undecided question?"),
            ("Tier", "none"),
        ]),
    ];
    write_review(&dir.path().join("review.xlsx"), &contract_header(), &rows);
    let out = util::run_in(
        dir.path(),
        &[
            "library",
            "import",
            "--from-review",
            "review.xlsx",
            "--json",
        ],
    );
    // Row 6 is a conflict (the file's "No", accepted, against ENC-001's Yes).
    assert_eq!(out.status.code(), Some(1), "{}", util::stderr(&out));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let actions: Vec<(u64, String)> = report["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["row"].as_u64().unwrap(),
                r["action"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expect: Vec<(u64, String)> = [
        (2, "variant"),
        (3, "skipped"),
        (4, "variant"),
        (5, "new"),
        (6, "conflict"),
        (7, "variant"),
        (8, "skipped"),
    ]
    .iter()
    .map(|(r, a)| (*r, a.to_string()))
    .collect();
    assert_eq!(actions, expect, "{report}");

    let (lib, _) = vouch::library::load(&dir.path().join("answers")).unwrap();
    let entry = |id: &str| lib.entries.iter().find(|e| e.id == id).unwrap().clone();
    // Reviewed wordings are approved variants, not drafts.
    assert_eq!(
        entry("ENC-001").variants,
        [
            "Do you encrypt customer data stored on disk?",
            "Is customer data at rest encrypted with AES?"
        ]
    );
    assert_eq!(
        entry("IAM-001").variants,
        ["Is 2FA mandatory for all staff logins?"]
    );
    let new = lib
        .entries
        .iter()
        .find(|e| e.question == "Do you offer an on-premises deployment?")
        .unwrap();
    assert_eq!(
        (new.answer.as_str(), new.comment.as_str()),
        ("No", "SaaS only.")
    );
    assert!(new.is_draft());
    let text: String = snapshot(dir.path())
        .values()
        .map(|b| String::from_utf8_lossy(b).into_owned())
        .collect();
    assert!(
        !text.contains("Is stored customer data encrypted?"),
        "a conflict wrote something"
    );
    assert!(
        !text.contains("Can staff log in with only a password?"),
        "a flipped wording was added"
    );

    // The next questionnaire with the accepted wording is answered automatically.
    std::fs::write(
        dir.path().join("next.csv"),
        "Question,Answer\nDo you encrypt customer data stored on disk?,\nIs 2FA mandatory for all staff logins?,\n",
    )
    .unwrap();
    let out = util::run_in(
        dir.path(),
        &[
            "answer",
            "next.csv",
            "-o",
            "next.out.csv",
            "--json",
            "n.json",
        ],
    );
    assert!(out.status.success(), "{}", util::stderr(&out));
    let next = rows_of(&dir.path().join("n.json"));
    assert_eq!(
        (next[0]["entry"].as_str(), next[0]["tier"].as_str()),
        (Some("ENC-001"), Some("auto"))
    );
    assert_eq!(
        (next[1]["entry"].as_str(), next[1]["tier"].as_str()),
        (Some("IAM-001"), Some("auto"))
    );
}

#[test]
fn bad_decisions_are_reported_by_row_and_nothing_is_written() {
    let dir = small_project();
    let rows = vec![
        row(&[
            ("Question", "Do you encrypt backups?"),
            ("Entry", "ENC-001"),
            ("Decision", "acept"),
        ]),
        row(&[
            ("Question", "Is SSO supported?"),
            ("Decision", "use entry"),
            ("Use entry", "IAM-01"),
        ]),
        row(&[
            ("Question", "Do you have a SOC 2?"),
            ("Decision", "override"),
        ]),
        row(&[
            ("Question", "Is data encrypted?"),
            ("Entry", "ENC-001"),
            ("Decision", "accept"),
        ]),
    ];
    write_review(&dir.path().join("review.xlsx"), &contract_header(), &rows);
    let before = snapshot(dir.path());
    let out = util::run_in(
        dir.path(),
        &["library", "import", "--from-review", "review.xlsx"],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = util::stderr(&out);
    assert!(
        err.contains(
            "review.xlsx:2: error: Decision: unknown decision \"acept\" (did you mean \"accept\"?)"
        ),
        "{err}"
    );
    assert!(
        err.contains("review.xlsx:4: error: Answer override:"),
        "{err}"
    );
    assert!(
        err.contains("\"IAM-01\" (did you mean \"IAM-001\"?)"),
        "{err}"
    );
    assert_eq!(snapshot(dir.path()), before);

    // A workbook that is not a review workbook: one line, exit 2.
    let mut book = rust_xlsxwriter::Workbook::new();
    book.add_worksheet().set_name("Answers").unwrap();
    book.save(dir.path().join("other.xlsx")).unwrap();
    let out = util::run_in(
        dir.path(),
        &["library", "import", "--from-review", "other.xlsx"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        util::stderr(&out).contains("other.xlsx: no sheet named \"Review\""),
        "{}",
        util::stderr(&out)
    );
}
