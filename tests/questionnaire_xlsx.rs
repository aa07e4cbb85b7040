//! XLSX questionnaires: detection on CAIQ- and HECVAT-like look-alikes and
//! on the dev workbooks, and in-place writing that changes only the target
//! cells.

mod questionnaire_support;
mod util;

use std::collections::BTreeMap;
use std::path::Path;

use questionnaire_support as qs;
use vouch::questionnaire::{self, Fill, Questionnaire, ReadOptions, RowStatus, WriteOptions};

fn read(path: &Path) -> Questionnaire {
    questionnaire::read(path, &ReadOptions::default()).expect("read questionnaire")
}

fn rows_of(q: &Questionnaire, sheet: &str) -> Vec<u32> {
    q.questions
        .iter()
        .filter(|x| x.sheet == sheet)
        .map(|x| x.row)
        .collect()
}

fn layout<'a>(q: &'a Questionnaire, sheet: &str) -> &'a questionnaire::SheetLayout {
    q.sheets.iter().find(|s| s.name == sheet).expect("sheet")
}

fn fill(sheet: &str, row: u32, answer: &str, comment: Option<&str>) -> Fill {
    Fill {
        sheet: sheet.into(),
        row,
        answer: Some(answer.into()),
        comment: comment.map(str::to_owned),
    }
}

/// Entries other than `changed` must be byte-identical (compressed bytes
/// and CRC); `changed` must differ.
fn assert_other_entries_identical(before: &Path, after: &Path, changed: &[&str]) {
    let a = qs::zip_raw_entries(before);
    let b = qs::zip_raw_entries(after);
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "same entries"
    );
    for (name, raw) in &a {
        if changed.contains(&name.as_str()) {
            assert_ne!(raw, &b[name], "{name} should have changed");
        } else {
            assert_eq!(raw, &b[name], "{name} must be byte-identical");
        }
    }
}

#[test]
fn caiq_like_detection() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("caiq.xlsx");
    qs::caiq_like(&path);
    let q = read(&path);
    assert_eq!(rows_of(&q, "CAIQv4.0.3"), qs::caiq_rows());
    let s = layout(&q, "CAIQv4.0.3");
    assert_eq!(s.header_row, Some(2));
    assert_eq!(s.id_col.as_deref(), Some("A"));
    assert_eq!(s.question_col.as_deref(), Some("B"));
    assert_eq!(s.answer_col.as_deref(), Some("C"));
    assert_eq!(s.comment_col.as_deref(), Some("E"));
    assert_eq!(s.vocabulary, vec!["Yes", "No", "NA"]);
    assert!(s.protected);
    assert!(layout(&q, "Introduction").skipped_reason.is_some());
    let first = &q.questions[0];
    assert_eq!(first.id.as_deref(), Some("A&A-01.1"));
    assert!(!first.text.contains('\n'), "line breaks are normalised");
    assert!(first.text.ends_with('?'));
}

#[test]
fn caiq_like_fill_in_place_changes_only_targets() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("caiq.xlsx");
    let out = dir.path().join("caiq-filled.xlsx");
    qs::caiq_like(&path);
    let original = std::fs::read(&path).unwrap();
    let q = read(&path);
    let sheet = "CAIQv4.0.3";
    let fills: Vec<Fill> = qs::caiq_rows()
        .iter()
        .enumerate()
        .map(|(i, &r)| {
            let answer = ["Yes", "No", "N/A"][i % 3];
            fill(sheet, r, answer, (i % 2 == 0).then_some("=SUM(1) & <tags>"))
        })
        .collect();
    let summary = questionnaire::write_filled(&q, &fills, &out).unwrap();
    assert_eq!(summary.answers_written, fills.len());
    assert_eq!(summary.comments_written, fills.len().div_ceil(2));
    assert!(summary.skipped.is_empty(), "{:?}", summary.skipped);
    assert_eq!(std::fs::read(&path).unwrap(), original, "input untouched");

    let mut targets = BTreeMap::new();
    for (i, &r) in qs::caiq_rows().iter().enumerate() {
        // N/A is written in the dropdown's own spelling.
        let answer = ["Yes", "No", "NA"][i % 3];
        targets.insert((sheet.to_owned(), r, 2), answer.to_owned());
        if i % 2 == 0 {
            targets.insert((sheet.to_owned(), r, 4), "=SUM(1) & <tags>".to_owned());
        }
    }
    qs::assert_only_targets_changed(&qs::cells(&path), &qs::cells(&out), &targets);
    assert_other_entries_identical(&path, &out, &["xl/worksheets/sheet2.xml"]);

    // The answer cells keep their (unlocked) style and become inline strings.
    let xml = String::from_utf8(qs::zip_entries(&out)["xl/worksheets/sheet2.xml"].clone()).unwrap();
    let before =
        String::from_utf8(qs::zip_entries(&path)["xl/worksheets/sheet2.xml"].clone()).unwrap();
    let style_of = |xml: &str, cell: &str| {
        let at = xml.find(&format!("<c r=\"{cell}\"")).expect("cell");
        let tag = &xml[at..at + xml[at..].find('>').unwrap()];
        tag.split("s=\"")
            .nth(1)
            .map(|s| s.split('"').next().unwrap().to_owned())
    };
    assert_eq!(style_of(&xml, "C3"), style_of(&before, "C3"));
    assert!(
        xml.contains(r#"<c r="C3" s=""#)
            && xml.contains(r#"t="inlineStr"><is><t>Yes</t></is></c>"#)
    );
    qs::assert_well_formed(xml.as_bytes());
    assert!(xml.contains("<sheetProtection"), "protection kept");
    assert!(xml.contains("<mergeCell "), "merges kept");
    assert!(xml.contains("<dataValidation "), "validations kept");

    // Re-reading the output finds the same layout with the answers.
    let again = read(&out);
    assert_eq!(rows_of(&again, sheet), qs::caiq_rows());
    assert_eq!(again.questions[0].existing_answer.as_deref(), Some("Yes"));
}

#[test]
fn existing_answers_are_kept_unless_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("caiq.xlsx");
    let once = dir.path().join("once.xlsx");
    let twice = dir.path().join("twice.xlsx");
    qs::caiq_like(&path);
    let q = read(&path);
    questionnaire::write_filled(&q, &[fill("CAIQv4.0.3", 3, "Yes", None)], &once).unwrap();
    let q1 = read(&once);
    // Neither the answer nor a comment goes next to an existing answer.
    let s = questionnaire::write_filled(
        &q1,
        &[fill(
            "CAIQv4.0.3",
            3,
            "No",
            Some("Not yet: on the roadmap."),
        )],
        &twice,
    )
    .unwrap();
    assert_eq!(s.answers_written, 0);
    assert_eq!(s.comments_written, 0);
    let row = s.rows.iter().find(|o| o.row == 3).unwrap();
    assert_eq!(row.status, RowStatus::Kept);
    assert_eq!(row.existing_answer.as_deref(), Some("Yes"));
    assert!(
        row.reasons.iter().any(|r| r.contains("already holds")),
        "{row:?}"
    );
    assert!(!qs::cells(&twice).contains_key(&("CAIQv4.0.3".to_owned(), 3, 4)));
    let opts = WriteOptions {
        overwrite_existing: true,
        ..WriteOptions::default()
    };
    let s =
        questionnaire::write_filled_with(&q1, &[fill("CAIQv4.0.3", 3, "No", None)], &twice, &opts)
            .unwrap();
    assert_eq!(s.answers_written, 1);
    assert_eq!(qs::cells(&twice)[&("CAIQv4.0.3".to_owned(), 3, 2)], "No");
}

#[test]
fn refuses_to_overwrite_the_input_without_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("caiq.xlsx");
    qs::caiq_like(&path);
    let q = read(&path);
    let fills = [fill("CAIQv4.0.3", 3, "Yes", None)];
    let err = questionnaire::write_filled(&q, &fills, &path).unwrap_err();
    assert!(err.to_string().contains("--in-place"), "{err}");
    let opts = WriteOptions {
        in_place: true,
        ..WriteOptions::default()
    };
    questionnaire::write_filled_with(&q, &fills, &path, &opts).unwrap();
    assert_eq!(qs::cells(&path)[&("CAIQv4.0.3".to_owned(), 3, 2)], "Yes");
}

#[test]
fn locked_answer_cells_make_a_sheet_nobody_answers() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("locked.xlsx");
    let out = dir.path().join("out.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Q").unwrap();
    sheet.write_string(0, 0, "Question").unwrap();
    sheet.write_string(0, 1, "Answer").unwrap();
    sheet
        .write_string(1, 0, "Do you encrypt data at rest?")
        .unwrap();
    sheet.protect();
    book.save(&path).unwrap();
    let err = questionnaire::read(&path, &ReadOptions::default()).unwrap_err();
    let msg = format!("{err:#}");
    assert!(
        msg.contains("protected") && msg.contains("locked") && msg.contains("B2"),
        "{msg}"
    );
    assert!(msg.contains("--sheet"), "{msg}");
    // Named with --sheet, it is read, but the locked cell is never written.
    let opts = ReadOptions {
        sheet: Some("Q".into()),
        ..ReadOptions::default()
    };
    let q = questionnaire::read(&path, &opts).unwrap();
    let s = questionnaire::write_filled(&q, &[fill("Q", 2, "Yes", None)], &out).unwrap();
    assert_eq!(s.answers_written, 0);
    assert_eq!(s.rows[0].status, RowStatus::Skipped);
    assert!(s.rows[0].reasons[0].contains("locked"), "{:?}", s.rows[0]);
    assert_eq!(
        qs::zip_entries(&path),
        qs::zip_entries(&out),
        "nothing changed"
    );
}

#[test]
fn hecvat_like_detection() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hecvat.xlsx");
    qs::hecvat_like(&path);
    let q = read(&path);
    for sheet in ["Organization", "Product"] {
        assert_eq!(rows_of(&q, sheet), qs::hecvat_rows(), "{sheet}");
        let s = layout(&q, sheet);
        assert_eq!(s.question_col.as_deref(), Some("B"), "{sheet}");
        assert_eq!(s.answer_col.as_deref(), Some("C"), "{sheet}");
        assert_eq!(s.comment_col.as_deref(), Some("D"), "{sheet}");
        assert_eq!(s.id_col.as_deref(), Some("A"), "{sheet}");
        assert_eq!(
            s.vocabulary,
            vec!["Yes", "No", "N/A"],
            "{sheet}: dropdown resolved"
        );
    }
    for hidden in ["Questions", "Auto Responses", "Values"] {
        let s = layout(&q, hidden);
        assert!(s.hidden);
        assert_eq!(s.skipped_reason.as_deref(), Some("hidden sheet"));
    }
    assert!(layout(&q, "START HERE").skipped_reason.is_some());
    let analyst = layout(&q, "Institution Evaluation");
    assert_eq!(analyst.answer_col.as_deref(), Some("C"));
    assert!(
        analyst
            .skipped_reason
            .as_deref()
            .unwrap_or("")
            .contains("formulas"),
        "{:?}",
        analyst.skipped_reason
    );
    // Question text comes from the formulas' cached values.
    let texts: Vec<&str> = q
        .questions
        .iter()
        .filter(|x| x.sheet == "Organization")
        .map(|x| x.text.as_str())
        .collect();
    assert_eq!(texts, qs::hecvat_questions());
    assert_eq!(q.questions.len(), 12);

    // A hidden sheet can be named explicitly.
    let opts = ReadOptions {
        sheet: Some("Questions".into()),
        ..ReadOptions::default()
    };
    let master = questionnaire::read(&path, &opts).unwrap();
    assert_eq!(master.questions.len(), 6);
    assert!(master.questions.iter().all(|x| x.sheet == "Questions"));
}

#[test]
fn hecvat_like_fill_keeps_x14_validations_and_formulas() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hecvat.xlsx");
    let out = dir.path().join("hecvat-filled.xlsx");
    qs::hecvat_like(&path);
    let q = read(&path);
    let mut fills = Vec::new();
    let mut targets = BTreeMap::new();
    for sheet in ["Organization", "Product"] {
        for &r in &qs::hecvat_rows() {
            fills.push(fill(sheet, r, "N/A", Some("See our SOC 2 report.")));
            targets.insert((sheet.to_owned(), r, 2), "N/A".to_owned());
            targets.insert((sheet.to_owned(), r, 3), "See our SOC 2 report.".to_owned());
        }
    }
    let summary = questionnaire::write_filled(&q, &fills, &out).unwrap();
    assert_eq!(summary.answers_written, 12);
    qs::assert_only_targets_changed(&qs::cells(&path), &qs::cells(&out), &targets);
    assert_other_entries_identical(
        &path,
        &out,
        &["xl/worksheets/sheet2.xml", "xl/worksheets/sheet3.xml"],
    );
    let xml = String::from_utf8(qs::zip_entries(&out)["xl/worksheets/sheet2.xml"].clone()).unwrap();
    assert!(xml.contains("<xm:f>'Auto Responses'!$J$3:$J$5</xm:f>"));
    assert!(xml.contains("VLOOKUP"), "formulas kept");
    qs::assert_well_formed(xml.as_bytes());
    let again = read(&out);
    assert_eq!(again.questions.len(), 12);
    assert!(again
        .questions
        .iter()
        .all(|x| x.existing_answer.as_deref() == Some("N/A")));
}

fn gold_rows(name: &str) -> Vec<(String, u32)> {
    let path = util::shared().join("eval/dev").join(name);
    let mut reader = csv::Reader::from_path(&path).unwrap();
    let mut out: Vec<(String, u32)> = reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[0].to_owned(), r[1].parse().unwrap())
        })
        .collect();
    out.sort();
    out
}

fn detected_rows(q: &Questionnaire) -> Vec<(String, u32)> {
    let mut out: Vec<(String, u32)> = q
        .questions
        .iter()
        .map(|x| (x.sheet.clone(), x.row))
        .collect();
    out.sort();
    out
}

#[test]
fn dev_questionnaire_a_matches_gold() {
    let path = util::shared().join("eval/dev/dev_questionnaire_a.xlsx");
    let q = read(&path);
    assert_eq!(detected_rows(&q), gold_rows("dev_questionnaire_a.gold.csv"));
    let s = layout(&q, "Security");
    assert_eq!(s.header_row, Some(5));
    assert_eq!(s.question_col.as_deref(), Some("C"));
    assert_eq!(s.answer_col.as_deref(), Some("D"));
    assert_eq!(s.comment_col.as_deref(), Some("E"));
    assert_eq!(s.vocabulary, vec!["Yes", "No", "N/A"]);
    assert!(layout(&q, "Instructions").skipped_reason.is_some());
}

#[test]
fn dev_questionnaire_b_matches_gold_and_avoids_hidden_column() {
    let path = util::shared().join("eval/dev/dev_questionnaire_b.xlsx");
    let q = read(&path);
    assert_eq!(detected_rows(&q), gold_rows("dev_questionnaire_b.gold.csv"));
    for sheet in ["1. Organisation", "2. Technical"] {
        let s = layout(&q, sheet);
        assert_eq!(s.header_row, Some(1));
        assert_eq!(s.answer_col.as_deref(), Some("D"), "{sheet}");
        assert_eq!(s.comment_col.as_deref(), Some("E"), "{sheet}");
    }
}

#[test]
fn dev_questionnaire_b_answers_land_in_column_d_only() {
    let dir = tempfile::tempdir().unwrap();
    let path = util::shared().join("eval/dev/dev_questionnaire_b.xlsx");
    let out = dir.path().join("b.xlsx");
    let q = read(&path);
    let fills: Vec<Fill> = q
        .questions
        .iter()
        .map(|x| fill(&x.sheet, x.row, "Yes", None))
        .collect();
    let summary = questionnaire::write_filled(&q, &fills, &out).unwrap();
    assert_eq!(summary.answers_written, 80);
    let targets: BTreeMap<_, _> = q
        .questions
        .iter()
        .map(|x| ((x.sheet.clone(), x.row, 3), "Yes".to_owned()))
        .collect();
    qs::assert_only_targets_changed(&qs::cells(&path), &qs::cells(&out), &targets);
}

#[test]
fn inspect_json_reports_layout() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hecvat.xlsx");
    qs::hecvat_like(&path);
    let out = util::run_in(dir.path(), &["inspect", "hecvat.xlsx", "--json"]);
    assert!(out.status.success(), "{}", util::stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&util::stdout(&out)).unwrap();
    assert_eq!(v["summary"]["questions"], 12);
    assert_eq!(v["rows"].as_array().unwrap().len(), 12);
    let org = v["sheets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "Organization")
        .unwrap();
    assert_eq!(org["answer_col"], "C");
    assert_eq!(org["answer_header"], "Answer");
    assert_eq!(org["role"], "respondent");
    assert_eq!(org["vocabulary"], serde_json::json!(["Yes", "No", "N/A"]));
    let analyst = v["sheets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "Institution Evaluation")
        .unwrap();
    assert_eq!(analyst["role"], "analyst");
    assert!(!analyst["role_reasons"].as_array().unwrap().is_empty());

    let text = util::run_in(dir.path(), &["inspect", "hecvat.xlsx"]);
    let s = util::stdout(&text);
    assert!(
        s.contains("sheet 'Questions' (hidden)") && s.contains("skipped: hidden sheet"),
        "{s}"
    );
    assert!(s.contains("role:      analyst/scoring ("), "{s}");
}

#[test]
fn overrides_pick_columns_by_letter_or_header() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("caiq.xlsx");
    qs::caiq_like(&path);
    let opts = ReadOptions {
        sheet: Some("CAIQv4.0.3".into()),
        answer_col: Some("SSRM Control Ownership".into()),
        comment_col: Some("F".into()),
        ..ReadOptions::default()
    };
    let q = questionnaire::read(&path, &opts).unwrap();
    let s = layout(&q, "CAIQv4.0.3");
    assert_eq!(s.answer_col.as_deref(), Some("D"));
    assert_eq!(s.comment_col.as_deref(), Some("F"));
    assert_eq!(
        layout(&q, "Introduction").skipped_reason.as_deref(),
        Some("not the selected sheet (--sheet)")
    );
}
