//! Real vendor workbooks hold more than the vendor's questions: analyst and
//! scoring sheets, crosswalks, instructions and change logs, several header
//! bands per sheet, answers already filled in. These tests run vouch on
//! look-alikes of the HECVAT 4.1.4 and of a filled HECVAT 3.04 (built by the
//! tests, see `questionnaire_support::lookalikes`) and check that vouch
//! answers only where the vendor answers.

mod questionnaire_support;
mod util;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use questionnaire_support as qs;
use questionnaire_support::lookalikes as la;
use serde_json::Value;
use vouch::questionnaire::{self, AnswerFormat, Fill, Questionnaire, ReadOptions, Role, RowStatus};

fn read(path: &Path) -> Questionnaire {
    questionnaire::read(path, &ReadOptions::default()).expect("read questionnaire")
}

fn fill(sheet: &str, row: u32, answer: &str, comment: Option<&str>) -> Fill {
    Fill {
        sheet: sheet.into(),
        row,
        answer: Some(answer.into()),
        comment: comment.map(str::to_owned),
    }
}

fn role(q: &Questionnaire, sheet: &str) -> (Role, String) {
    let s = q.sheets.iter().find(|s| s.name == sheet).expect("sheet");
    (s.role, s.role_reasons.join("; "))
}

fn question<'a>(q: &'a Questionnaire, sheet: &str, row: u32) -> &'a questionnaire::Question {
    q.questions
        .iter()
        .find(|x| x.sheet == sheet && x.row == row)
        .unwrap_or_else(|| panic!("no question at {sheet}!{row}"))
}

/// Cells that differ between two workbooks.
fn changed_cells(before: &Path, after: &Path) -> BTreeMap<(String, u32, u32), String> {
    let a = qs::cells(before);
    let b = qs::cells(after);
    let keys: BTreeSet<_> = a.keys().chain(b.keys()).cloned().collect();
    keys.into_iter()
        .filter(|k| a.get(k) != b.get(k))
        .map(|k| {
            let v = b.get(&k).cloned().unwrap_or_default();
            (k, v)
        })
        .collect()
}

/// Zip entries whose compressed bytes or CRC changed.
fn changed_parts(before: &Path, after: &Path) -> Vec<String> {
    let a = qs::zip_raw_entries(before);
    let b = qs::zip_raw_entries(after);
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "same entries in the same order"
    );
    a.iter()
        .filter(|(name, raw)| b[*name] != **raw)
        .map(|(name, _)| name.clone())
        .collect()
}

#[test]
fn hecvat414_like_answers_only_respondent_sheets() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hecvat.xlsx");
    la::hecvat414_like(&path);
    let q = read(&path);
    let rows: Vec<(&str, u32)> = q
        .questions
        .iter()
        .map(|x| (x.sheet.as_str(), x.row))
        .collect();
    // The general block above the first header and the COMP rows count;
    // nothing on the evaluation and reference sheets.
    assert_eq!(rows, la::hecvat414_rows());
    assert_eq!(role(&q, "START HERE").0, Role::Respondent);
    assert_eq!(role(&q, "Organization").0, Role::Respondent);
    let (evaluation, why) = role(&q, "Institution Evaluation");
    assert_eq!(evaluation, Role::Analyst, "{why}");
    for evidence in [
        "DO NOT complete",
        "addressed to analysts",
        "Mark as Compliant",
        "formulas",
    ] {
        assert!(why.contains(evidence), "missing {evidence:?} in: {why}");
    }
    let (reference, why) = role(&q, "Analyst Reference");
    assert_eq!(reference, Role::Analyst, "{why}");
    for hidden in ["Questions", "Auto Responses"] {
        assert_eq!(role(&q, hidden).0, Role::Other);
    }
    // Question text comes from the formulas' cached values.
    assert_eq!(
        question(&q, "Organization", 13).text,
        la::hecvat414_text("DOCU-03")
    );
    assert_eq!(
        question(&q, "START HERE", 10).id.as_deref(),
        Some("GNRL-01")
    );
}

#[test]
fn hecvat414_like_cells_take_only_what_they_accept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hecvat.xlsx");
    let out = dir.path().join("out.xlsx");
    la::hecvat414_like(&path);
    let q = read(&path);
    // Each cell's own vocabulary: Yes/No here, Yes/No/N/A there.
    assert_eq!(question(&q, "Organization", 11).choices, ["Yes", "No"]);
    assert_eq!(
        question(&q, "Organization", 13).choices,
        ["Yes", "No", "N/A"]
    );
    assert_eq!(
        question(&q, "START HERE", 16).answer_format,
        AnswerFormat::FreeText,
        "COMP-02 has no dropdown in a column of dropdowns"
    );
    assert!(question(&q, "Organization", 8).not_writable.is_some());
    let long = "Example Corp is privately held by its two founders.";
    let fills = [
        fill("START HERE", 10, "Example Corp", None),
        fill(
            "START HERE",
            15,
            "Yes",
            Some("A team of four reports to the CTO."),
        ),
        fill("START HERE", 16, "Yes", Some(long)),
        fill("START HERE", 17, "Yes", None),
        fill("Organization", 8, "Example Corp", None),
        fill("Organization", 11, "N/A", Some("Not applicable to us.")),
        fill("Organization", 12, "Yes", Some("Tested twice a year.")),
        fill("Organization", 13, "N/A", None),
        fill("Organization", 14, "No", None),
        fill(
            "Organization",
            16,
            "Yes",
            Some("Every change goes through review."),
        ),
    ];
    let s = questionnaire::write_filled(&q, &fills, &out).unwrap();
    let status = |sheet: &str, row: u32| {
        s.rows
            .iter()
            .find(|o| o.sheet == sheet && o.row == row)
            .map(|o| (o.status, o.reasons.join("; ")))
            .unwrap()
    };
    assert_eq!(
        status("Organization", 8).0,
        RowStatus::Skipped,
        "formula answer cell"
    );
    assert!(status("Organization", 8).1.contains("formula"));
    let (st, why) = status("Organization", 11);
    assert_eq!(st, RowStatus::Skipped, "N/A is not in Yes/No");
    assert!(why.contains("not in the cell's dropdown"), "{why}");
    let start = "START HERE".to_owned();
    let org = "Organization".to_owned();
    let mut expected = BTreeMap::new();
    expected.insert((start.clone(), 10, 2), "Example Corp".to_owned());
    expected.insert((start.clone(), 15, 2), "Yes".to_owned());
    expected.insert(
        (start.clone(), 15, 3),
        "A team of four reports to the CTO.".to_owned(),
    );
    // A "Describe…" cell gets the explanation, never a bare Yes.
    expected.insert((start.clone(), 16, 2), long.to_owned());
    expected.insert((start.clone(), 17, 2), "Yes".to_owned());
    expected.insert((org.clone(), 12, 2), "Yes".to_owned());
    expected.insert((org.clone(), 12, 3), "Tested twice a year.".to_owned());
    expected.insert((org.clone(), 13, 2), "N/A".to_owned());
    expected.insert((org.clone(), 14, 2), "No".to_owned());
    // The Change Management band names no comment column: no comment.
    expected.insert((org.clone(), 16, 2), "Yes".to_owned());
    assert_eq!(changed_cells(&path, &out), expected);
    assert_eq!(
        changed_parts(&path, &out),
        ["xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"]
    );
}

#[test]
fn bare_yes_without_explanation_stays_out_of_free_text() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hecvat.xlsx");
    let out = dir.path().join("out.xlsx");
    la::hecvat414_like(&path);
    let q = read(&path);
    let s = questionnaire::write_filled(&q, &[fill("START HERE", 16, "Yes", None)], &out).unwrap();
    assert_eq!(s.answers_written, 0);
    assert_eq!(
        s.rows
            .iter()
            .find(|o| o.row == 16 && o.sheet == "START HERE")
            .unwrap()
            .status,
        RowStatus::Skipped
    );
    assert!(changed_cells(&path, &out).is_empty());
}

#[test]
fn sheet_flag_overrides_the_role() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hecvat.xlsx");
    la::hecvat414_like(&path);
    let opts = ReadOptions {
        sheet: Some("Analyst Reference".into()),
        ..ReadOptions::default()
    };
    let q = questionnaire::read(&path, &opts).unwrap();
    let (r, why) = role(&q, "Analyst Reference");
    assert_eq!(r, Role::Respondent);
    assert!(why.contains("--sheet"), "{why}");
    assert_eq!(q.questions.len(), 4);
    assert!(q.questions.iter().all(|x| x.sheet == "Analyst Reference"));
}

#[test]
fn hecvat304_like_filled_rows_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hecvat304.xlsx");
    let out = dir.path().join("out.xlsx");
    la::hecvat304_like(&path);
    let q = read(&path);
    let sheet = la::HECVAT304_RESPONSE;
    let rows: Vec<u32> = q.questions.iter().map(|x| x.row).collect();
    // No DATE-01, no GNRL-04 (reserved for the institution).
    assert_eq!(rows, la::hecvat304_rows());
    assert!(q.questions.iter().all(|x| x.sheet == sheet));
    for (name, expected) in [
        ("Instructions", Role::Instructions),
        ("Analyst Report", Role::Analyst),
        ("Summary Report", Role::Analyst),
        ("Standards Crosswalk", Role::Reference),
        ("ChangeLog", Role::Log),
    ] {
        let (r, why) = role(&q, name);
        assert_eq!(r, expected, "{name}: {why}");
    }
    assert!(role(&q, "Analyst Report").1.contains("copying"));
    // A single space counts as blank, and says so.
    let docu02 = question(&q, sheet, 18);
    assert_eq!(docu02.existing_answer, None);
    assert!(docu02.answer_spaces);
    assert_eq!(
        question(&q, sheet, 20).existing_answer.as_deref(),
        Some("No")
    );

    let fills: Vec<Fill> = q
        .questions
        .iter()
        .map(|x| {
            fill(
                &x.sheet,
                x.row,
                "Yes",
                Some("Described in our security overview."),
            )
        })
        .collect();
    let s = questionnaire::write_filled(&q, &fills, &out).unwrap();
    let by_row: BTreeMap<u32, RowStatus> = s.rows.iter().map(|o| (o.row, o.status)).collect();
    for row in [6, 7, 8, 14, 15, 17, 20] {
        assert_eq!(by_row[&row], RowStatus::Kept, "row {row}");
    }
    assert_eq!(by_row[&18], RowStatus::Written);
    assert_eq!(by_row[&19], RowStatus::Written);
    let spaces = s.rows.iter().find(|o| o.row == 18).unwrap();
    assert!(
        spaces.reasons.iter().any(|r| r.contains("only spaces")),
        "{spaces:?}"
    );
    let mut expected = BTreeMap::new();
    for row in [18, 19] {
        expected.insert((sheet.to_owned(), row, 2), "Yes".to_owned());
        expected.insert(
            (sheet.to_owned(), row, 3),
            "Described in our security overview.".to_owned(),
        );
    }
    // C18 held " ": calamine reads it as a changed cell too.
    assert_eq!(changed_cells(&path, &out), expected);
    assert_eq!(changed_parts(&path, &out), ["xl/worksheets/sheet2.xml"]);
}

/// A library whose entries ask exactly the look-alike's questions.
fn library(dir: &Path) -> std::path::PathBuf {
    let answers = dir.join("answers");
    std::fs::create_dir_all(&answers).unwrap();
    std::fs::write(
        answers.join("lib.toml"),
        r#"
[[entry]]
id = "POL-001"
question = "Do you have a documented information security policy?"
answer = "Yes"
comment = "The policy is approved by the CEO and reviewed every year."

[[entry]]
id = "ENC-001"
question = "Do you encrypt customer data at rest?"
answer = "Yes"
comment = "AES-256 on every data store."

[[entry]]
id = "IAM-001"
question = "Do you require multi-factor authentication for administrators?"
answer = "Yes"
comment = "Hardware keys for every administrator."

[[entry]]
id = "SOC-001"
question = "Have you undergone a SOC 2 Type II audit?"
answer = "Yes"
comment = "Yearly, by an independent auditor."
"#,
    )
    .unwrap();
    answers
}

#[test]
fn answering_a_filled_questionnaire_lists_disagreements() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hecvat304.xlsx");
    la::hecvat304_like(&path);
    let answers = library(dir.path());
    let o = util::run_in(
        dir.path(),
        &[
            "answer",
            "hecvat304.xlsx",
            "-o",
            "out.xlsx",
            "--library",
            answers.to_str().unwrap(),
            "--json",
            "r.json",
            "--report",
            "review.xlsx",
        ],
    );
    assert!(o.status.success(), "{}", util::stderr(&o));
    let out = dir.path().join("out.xlsx");
    // Only the respondent sheet changed; every other part is byte-identical.
    let parts = changed_parts(&path, &out);
    assert!(
        parts.iter().all(|p| p == "xl/worksheets/sheet2.xml"),
        "{parts:?}"
    );
    for ((sheet, row, col), _) in changed_cells(&path, &out) {
        assert_eq!(sheet, la::HECVAT304_RESPONSE);
        assert!(
            [18, 19].contains(&row) && [2, 3].contains(&col),
            "{row}/{col}"
        );
    }
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("r.json")).unwrap()).unwrap();
    let rows = json["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 9);
    let row = |n: u64| rows.iter().find(|r| r["row"] == n).unwrap();
    for field in [
        "sheet",
        "row",
        "id",
        "question",
        "question_type",
        "answer",
        "comment",
        "confidence",
        "tier",
        "status",
        "existing_answer",
        "agrees",
        "entry",
        "flipped",
        "controls",
        "criteria",
        "suggestion",
        "notes",
    ] {
        assert!(row(20).get(field).is_some(), "row lacks {field}");
    }
    // DOCU-04: the file says No, the library Yes: kept, and flagged.
    assert_eq!(row(20)["status"], "kept");
    assert_eq!(row(20)["existing_answer"], "No");
    assert_eq!(row(20)["id"], "DOCU-04");
    if !row(20)["answer"].is_null() {
        assert_eq!(row(20)["agrees"], false);
    }
    // DOCU-01 agrees with the library.
    assert_eq!(row(17)["status"], "kept");
    if !row(17)["answer"].is_null() {
        assert_eq!(row(17)["agrees"], true);
    }
    let summary = &json["summary"];
    let statuses: u64 = ["written", "kept", "left_empty", "skipped"]
        .iter()
        .map(|k| summary[*k].as_u64().unwrap())
        .sum();
    assert_eq!(statuses, 9, "{summary}");
    assert_eq!(summary["kept"], 7);
    // The review workbook carries the same statuses, found by header name.
    let cells = qs::cells(&dir.path().join("review.xlsx"));
    let header: BTreeMap<String, u32> = cells
        .iter()
        .filter(|((s, r, _), _)| s == "Review" && *r == 1)
        .map(|((_, _, c), v)| (v.clone(), *c))
        .collect();
    let status_col = header["Status"];
    let existing_col = header["Existing answer"];
    let kept: Vec<&String> = cells
        .iter()
        .filter(|((s, r, c), v)| s == "Review" && *r > 1 && *c == status_col && *v == "kept")
        .map(|(_, v)| v)
        .collect();
    assert_eq!(kept.len(), 7);
    assert!(cells
        .iter()
        .any(|((s, _, c), v)| s == "Review" && *c == existing_col && v == "No"));
    assert!(cells.keys().any(|(s, _, _)| s == "Summary"));
}

#[test]
fn inspect_shows_roles_and_bands() {
    let dir = tempfile::tempdir().unwrap();
    la::hecvat414_like(&dir.path().join("hecvat.xlsx"));
    let o = util::run_in(dir.path(), &["inspect", "hecvat.xlsx"]);
    assert!(o.status.success(), "{}", util::stderr(&o));
    let text = util::stdout(&o);
    assert!(text.contains("role:      respondent"), "{text}");
    assert!(
        text.contains(
            "role:      analyst/scoring ('START HERE' (and 1 other sheet) says: 4. DO NOT complete"
        ),
        "{text}"
    );
    assert!(text.contains("header bands: 10, 15"), "{text}");
    let o = util::run_in(dir.path(), &["inspect", "hecvat.xlsx", "--json"]);
    let v: Value = serde_json::from_str(&util::stdout(&o)).unwrap();
    assert_eq!(v["summary"]["respondent_sheets"], 2);
    let formats: BTreeSet<&str> = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["answer_format"].as_str().unwrap())
        .collect();
    assert_eq!(formats, BTreeSet::from(["choice", "free-text"]));
}

#[test]
fn filled_caiq_like_gets_nothing_beside_its_answers() {
    let dir = tempfile::tempdir().unwrap();
    let blank = dir.path().join("caiq.xlsx");
    let filled = dir.path().join("filled.xlsx");
    let out = dir.path().join("out.xlsx");
    qs::caiq_like(&blank);
    let q = read(&blank);
    assert_eq!(role(&q, "Introduction").0, Role::Instructions);
    assert!(q.questions.iter().all(|x| x.sheet == "CAIQv4.0.3"));
    assert_eq!(q.questions.len(), qs::CAIQ_QUESTIONS as usize);
    // The customer's copy already answers rows 3-10 (row 10: No).
    let answered: Vec<Fill> = (3..=10)
        .map(|r| fill("CAIQv4.0.3", r, if r == 10 { "No" } else { "Yes" }, None))
        .collect();
    questionnaire::write_filled(&q, &answered, &filled).unwrap();
    let q = read(&filled);
    let fills: Vec<Fill> = qs::caiq_rows()
        .iter()
        .map(|&r| {
            fill(
                "CAIQv4.0.3",
                r,
                "Yes",
                Some("Not yet: customer-managed keys are on the roadmap."),
            )
        })
        .collect();
    let s = questionnaire::write_filled(&q, &fills, &out).unwrap();
    let changed = changed_cells(&filled, &out);
    for r in 3..=10 {
        assert!(
            !changed.keys().any(|(_, row, _)| *row == r),
            "row {r} touched: {changed:?}"
        );
        let o = s.rows.iter().find(|o| o.row == r).unwrap();
        assert_eq!(o.status, RowStatus::Kept);
    }
    assert_eq!(s.answers_written, qs::CAIQ_QUESTIONS as usize - 8);
    assert_eq!(s.comments_written, qs::CAIQ_QUESTIONS as usize - 8);
}

#[test]
fn numbered_headings_are_not_questions() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("legacy.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let s = book.add_worksheet();
    let rows: [[&str; 4]; 9] = [
        ["Ref", "Question", "Answer", "Comments"],
        ["2.1.", "System Guidelines", "", ""],
        ["2.1.00", "General System Guidelines", "", ""],
        [
            "2.1.00-01",
            "Are default passwords changed before a system goes live?",
            "Y",
            "",
        ],
        [
            "2.1.00-02\n\n",
            "Is a standard build used for every server?",
            "",
            "",
        ],
        ["3.0.", "Security Systems and Procedures", "", ""],
        [
            "3.2.00-01",
            "Is there a named person responsible for security?",
            "Y",
            "",
        ],
        [
            "3.2.00-02",
            "How many times a year are firewall rules reviewed?",
            "1 to 2 a year",
            "",
        ],
        [
            "3.2.00-03",
            "Are visitors escorted in the data centre?",
            "",
            "",
        ],
    ];
    for (r, cells) in rows.iter().enumerate() {
        for (c, v) in cells.iter().enumerate() {
            if !v.is_empty() {
                s.write_string(r as u32, c as u16, *v).unwrap();
            }
        }
    }
    book.save(&path).unwrap();
    let q = read(&path);
    let found: Vec<u32> = q.questions.iter().map(|x| x.row).collect();
    assert_eq!(
        found,
        vec![4, 5, 7, 8, 9],
        "headings 2.1., 2.1.00 and 3.0. skipped"
    );
    let out = dir.path().join("out.xlsx");
    let fills: Vec<Fill> = q
        .questions
        .iter()
        .map(|x| fill(&x.sheet, x.row, "No", Some("We do not.")))
        .collect();
    questionnaire::write_filled(&q, &fills, &out).unwrap();
    let changed = changed_cells(&path, &out);
    let sheet = q.sheets[0].name.clone();
    let expected: BTreeMap<_, _> = [5, 9]
        .iter()
        .flat_map(|&r| {
            [
                ((sheet.clone(), r, 2), "N".to_owned()),
                ((sheet.clone(), r, 3), "We do not.".to_owned()),
            ]
        })
        .collect();
    assert_eq!(
        changed, expected,
        "answers in the file's own Y/N spelling, only on empty rows"
    );
}
