//! More layouts: RFPResponder-like (hidden value sheets first, interleaved
//! heading rows, Y/N answers without a dropdown), hidden question rows, an
//! ODS file (read-only: written back as .xlsx), and the review workbook.

mod questionnaire_support;
mod util;

use std::io::{Cursor, Write};
use std::path::Path;

use questionnaire_support as qs;
use vouch::questionnaire::{self, Fill, Format, ReadOptions, ReviewRow, ReviewSummary};

fn fill(sheet: &str, row: u32, answer: &str, comment: Option<&str>) -> Fill {
    Fill {
        sheet: sheet.into(),
        row,
        answer: Some(answer.into()),
        comment: comment.map(str::to_owned),
    }
}

fn rfp_like(path: &Path) {
    let mut book = rust_xlsxwriter::Workbook::new();
    for name in ["Finding Values", "Section Values"] {
        let s = book.add_worksheet();
        s.set_name(name).unwrap();
        s.write_string(0, 0, "Y").unwrap();
        s.write_string(1, 0, "N").unwrap();
        s.set_hidden(true);
    }
    let s = book.add_worksheet();
    s.set_name("sheet1").unwrap();
    s.set_active(true);
    let rows: [[&str; 3]; 9] = [
        ["Ref", "Question", "Answer"],
        ["2.1.", "Information Security Policy", ""],
        ["2.1.00", "Policy Management", ""],
        [
            "2.1.00-01\n\n",
            "Is there an information security policy approved by management?",
            "Y",
        ],
        ["2.1.00-02", "Is the policy reviewed annually?", "N "],
        [
            "2.1.01-01a",
            "How many security incidents occurred last year?",
            "1 to 2 a year",
        ],
        ["2.2.", "Human Resources", ""],
        [
            "2.2.00-01",
            "Are background checks performed on new hires?",
            "",
        ],
        [
            "2.2.00-02",
            "Describe your security awareness training",
            "Don't know",
        ],
    ];
    for (r, cells) in rows.iter().enumerate() {
        for (c, v) in cells.iter().enumerate() {
            if !v.is_empty() {
                s.write_string(r as u32, c as u16, *v).unwrap();
            }
        }
    }
    s.write_string(0, 3, "Comments").unwrap();
    book.save(path).unwrap();
}

#[test]
fn rfp_responder_like() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rfp.xlsx");
    rfp_like(&path);
    let q = questionnaire::read(&path, &ReadOptions::default()).unwrap();
    let rows: Vec<u32> = q.questions.iter().map(|x| x.row).collect();
    assert_eq!(rows, vec![4, 5, 6, 8, 9], "heading rows skipped");
    assert_eq!(
        q.questions[0].id.as_deref(),
        Some("2.1.00-01"),
        "id trimmed"
    );
    assert_eq!(q.questions[1].existing_answer.as_deref(), Some("N"));
    let hidden: Vec<&str> = q
        .sheets
        .iter()
        .filter(|s| s.hidden)
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(hidden, vec!["Finding Values", "Section Values"]);

    // No dropdown: the Y/N spelling already used in the column is kept.
    let out = dir.path().join("out.xlsx");
    let summary = questionnaire::write_filled(
        &q,
        &[fill("sheet1", 8, "Yes", Some("Checks run before day one."))],
        &out,
    )
    .unwrap();
    assert_eq!(summary.answers_written, 1);
    let cells = qs::cells(&out);
    assert_eq!(cells[&("sheet1".to_owned(), 8, 2)], "Y");
    assert_eq!(
        cells[&("sheet1".to_owned(), 8, 3)],
        "Checks run before day one."
    );
}

#[test]
fn hidden_rows_are_skipped_unless_asked() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hidden.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let s = book.add_worksheet();
    s.write_string(0, 0, "Question").unwrap();
    s.write_string(0, 1, "Response").unwrap();
    for r in 1..=4u32 {
        s.write_string(r, 0, format!("Do you run control number {r}?"))
            .unwrap();
    }
    s.set_row_hidden(2).unwrap();
    book.save(&path).unwrap();
    let q = questionnaire::read(&path, &ReadOptions::default()).unwrap();
    let rows: Vec<u32> = q.questions.iter().map(|x| x.row).collect();
    assert_eq!(rows, vec![2, 4, 5]);
    let all = ReadOptions {
        include_hidden: true,
        ..ReadOptions::default()
    };
    let q = questionnaire::read(&path, &all).unwrap();
    assert_eq!(q.questions.len(), 4);
}

/// A minimal OpenDocument spreadsheet.
fn ods(path: &Path) {
    let cell = |v: &str| {
        format!(
            r#"<table:table-cell office:value-type="string"><text:p>{v}</text:p></table:table-cell>"#
        )
    };
    let row = |cells: &[&str]| {
        let inner: String = cells
            .iter()
            .map(|c| {
                if c.is_empty() {
                    "<table:table-cell/>".to_owned()
                } else {
                    cell(c)
                }
            })
            .collect();
        format!("<table:table-row>{inner}</table:table-row>")
    };
    let body = [
        row(&["ID", "Question", "Answer", "Notes"]),
        row(&["Q1", "Do you encrypt data in transit?", "", ""]),
        row(&["Q2", "Do you have a disaster recovery plan?", "", ""]),
    ]
    .concat();
    let content = format!(
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8"?>"#,
            r#"<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" "#,
            r#"xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" "#,
            r#"xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">"#,
            r#"<office:body><office:spreadsheet><table:table table:name="Vendor">{}</table:table>"#,
            r#"</office:spreadsheet></office:body></office:document-content>"#
        ),
        body
    );
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    w.start_file("mimetype", stored).unwrap();
    w.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    let deflated = zip::write::SimpleFileOptions::default();
    w.start_file("META-INF/manifest.xml", deflated).unwrap();
    w.write_all(manifest.as_bytes()).unwrap();
    w.start_file("content.xml", deflated).unwrap();
    w.write_all(content.as_bytes()).unwrap();
    std::fs::write(path, w.finish().unwrap().into_inner()).unwrap();
}

#[test]
fn ods_is_read_and_written_as_xlsx() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vendor.ods");
    ods(&path);
    let q = questionnaire::read(&path, &ReadOptions::default()).unwrap();
    assert_eq!(q.format, Format::Ods);
    assert_eq!(q.questions.len(), 2);
    let s = &q.sheets[0];
    assert_eq!(s.answer_col.as_deref(), Some("C"));
    assert_eq!(s.comment_col.as_deref(), Some("D"));
    let out = dir.path().join("vendor-filled.ods");
    let summary = questionnaire::write_filled(
        &q,
        &[
            fill("Vendor", 2, "Yes", Some("TLS 1.2+")),
            fill("Vendor", 3, "No", None),
        ],
        &out,
    )
    .unwrap();
    assert_eq!(summary.converted_from, Some(Format::Ods));
    assert_eq!(summary.format, Format::Xlsx);
    assert_eq!(summary.output, dir.path().join("vendor-filled.xlsx"));
    assert!(!summary.notes.is_empty(), "says so");
    assert!(!out.exists());
    let cells = qs::cells(&summary.output);
    assert_eq!(cells[&("Vendor".to_owned(), 2, 2)], "Yes");
    assert_eq!(cells[&("Vendor".to_owned(), 2, 3)], "TLS 1.2+");
    assert_eq!(
        cells[&("Vendor".to_owned(), 3, 1)],
        "Do you have a disaster recovery plan?"
    );
}

#[test]
fn review_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("review.xlsx");
    let rows: Vec<ReviewRow> = ["auto", "review", "none"]
        .iter()
        .enumerate()
        .map(|(i, tier)| ReviewRow {
            sheet: "Security".into(),
            row: 7 + i as u32,
            id: Some(format!("IAM-0{i}")),
            question: format!("Question {i}?"),
            answer: (*tier != "none").then(|| "Yes".to_owned()),
            confidence: 0.9 - 0.3 * i as f64,
            tier: tier.to_string(),
            status: ["written", "kept", "left empty"][i].to_owned(),
            existing_answer: (i == 1).then(|| "No".to_owned()),
            agrees: (i == 1).then_some(false),
            entry: (*tier != "none").then(|| format!("ENC-00{i}")),
            flipped: i == 1,
            controls: vec!["C-1".into(), "C-2".into()],
            criteria: vec!["CC6.1".into()],
            ..ReviewRow::default()
        })
        .collect();
    let summary = ReviewSummary {
        questions: 3,
        kept: 1,
        disagree: 1,
        ..ReviewSummary::default()
    };
    questionnaire::write_review_xlsx(&rows, &summary, &path).unwrap();
    let cells = qs::cells(&path);
    let get = |r: u32, c: u32| {
        cells
            .get(&("Review".to_owned(), r, c))
            .cloned()
            .unwrap_or_default()
    };
    // Readers find columns by header name: every contract header is there.
    let headers: Vec<String> = (0..21).map(|c| get(1, c)).collect();
    for h in [
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
        "Decision",
        "Use entry",
        "Answer override",
        "Comment override",
    ] {
        assert!(
            headers.iter().any(|x| x == h),
            "missing header {h}: {headers:?}"
        );
    }
    let col = |h: &str| headers.iter().position(|x| x == h).unwrap() as u32;
    assert_eq!(get(2, col("Question")), "Question 0?");
    assert_eq!(get(2, col("ID")), "IAM-00");
    assert_eq!(get(3, col("Tier")), "review");
    assert_eq!(get(3, col("Status")), "kept");
    assert_eq!(get(3, col("Existing answer")), "No");
    assert_eq!(get(3, col("Flipped")), "yes");
    assert_eq!(get(4, col("Answer")), "");
    assert_eq!(get(2, col("Controls")), "C-1, C-2");
    let xml =
        String::from_utf8(qs::zip_entries(&path)["xl/worksheets/sheet1.xml"].clone()).unwrap();
    assert!(xml.contains("<autoFilter ref=\"A1:U4\""), "autofilter");
    assert!(xml.contains("state=\"frozen\""), "frozen header");
    assert!(xml.contains("<col "), "widths");
    assert!(
        xml.contains("<dataValidation") && xml.contains("accept,reject,use entry,override"),
        "decision dropdown"
    );
    let styles = String::from_utf8(qs::zip_entries(&path)["xl/styles.xml"].clone()).unwrap();
    assert!(
        styles.contains("FFC6EFCE") && styles.contains("FFFFEB9C") && styles.contains("FFFFC7CE")
    );
    // The Summary sheet counts and lists the disagreeing kept row first.
    let summary_cells: Vec<String> = cells
        .iter()
        .filter(|((sheet, _, _), _)| sheet == "Summary")
        .map(|(_, v)| v.clone())
        .collect();
    assert!(summary_cells
        .iter()
        .any(|v| v == "Kept, and the library disagrees"));
    assert!(
        summary_cells
            .iter()
            .any(|v| v.contains("the file says \"No\"")),
        "{summary_cells:?}"
    );
}

/// `tests/fixtures/questionnaire_legacy.xls` was made with Python's xlwt
/// 1.3.0 (no Rust crate writes BIFF8): a hidden sheet `Values` (Yes/No/N/A)
/// and a sheet `Vendor Questionnaire` with a title in A1, the header
/// `Ref | Question | Response | Comments` in row 3, three questions in rows
/// 4–6 and an existing answer `Yes` in C5.
#[test]
fn xls_is_read_and_written_as_xlsx() {
    let path = util::repo_root().join("tests/fixtures/questionnaire_legacy.xls");
    let q = questionnaire::read(&path, &ReadOptions::default()).unwrap();
    assert_eq!(q.format, Format::Xls);
    let rows: Vec<u32> = q.questions.iter().map(|x| x.row).collect();
    assert_eq!(rows, vec![4, 5, 6]);
    assert!(q.sheets.iter().any(|s| s.name == "Values" && s.hidden));
    assert_eq!(q.questions[1].existing_answer.as_deref(), Some("Yes"));
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("filled.xls");
    let sheet = "Vendor Questionnaire";
    let summary = questionnaire::write_filled(
        &q,
        &[
            fill(sheet, 4, "Yes", Some("AES-256")),
            fill(sheet, 5, "No", None),
            fill(sheet, 6, "N/A", None),
        ],
        &out,
    )
    .unwrap();
    assert_eq!(summary.converted_from, Some(Format::Xls));
    assert_eq!(summary.output, dir.path().join("filled.xlsx"));
    assert_eq!(summary.answers_written, 2, "the existing answer is kept");
    let cells = qs::cells(&summary.output);
    let get = |r: u32, c: u32| cells.get(&(sheet.to_owned(), r, c)).cloned();
    assert_eq!(get(4, 2).as_deref(), Some("Yes"));
    assert_eq!(get(4, 3).as_deref(), Some("AES-256"));
    assert_eq!(get(5, 2).as_deref(), Some("Yes"));
    assert_eq!(get(6, 2).as_deref(), Some("N/A"));
    assert_eq!(
        get(1, 0).as_deref(),
        Some("Acme Corp - Vendor Security Questionnaire")
    );
    assert!(
        cells.contains_key(&("Values".to_owned(), 1, 0)),
        "all sheets carried over"
    );
}

#[test]
fn xlsm_is_patched_in_place_like_xlsx() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("macro.xlsm");
    let mut book = rust_xlsxwriter::Workbook::new();
    let s = book.add_worksheet();
    s.write_string(0, 0, "Question").unwrap();
    s.write_string(0, 1, "Answer").unwrap();
    s.write_string(1, 0, "Do you scan containers for vulnerabilities?")
        .unwrap();
    book.save(&path).unwrap();
    let q = questionnaire::read(&path, &ReadOptions::default()).unwrap();
    assert_eq!(q.format, Format::Xlsm);
    let out = dir.path().join("macro-filled.xlsm");
    let summary = questionnaire::write_filled(&q, &[fill("Sheet1", 2, "Yes", None)], &out).unwrap();
    assert_eq!(summary.format, Format::Xlsm);
    assert_eq!(summary.converted_from, None);
    assert_eq!(qs::cells(&out)[&("Sheet1".to_owned(), 2, 1)], "Yes");
}

#[test]
fn cells_covered_by_a_merge_are_not_written() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("merged.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let s = book.add_worksheet();
    for (c, h) in ["Question", "Answer", "Comments"].iter().enumerate() {
        s.write_string(0, c as u16, *h).unwrap();
    }
    s.write_string(1, 0, "Do you rotate encryption keys?")
        .unwrap();
    s.write_string(2, 0, "Do you test backups?").unwrap();
    // The customer merged B3:C3 (the answer spills into the comment cell).
    s.merge_range(2, 1, 2, 2, "", &rust_xlsxwriter::Format::new())
        .unwrap();
    book.save(&path).unwrap();
    let q = questionnaire::read(&path, &ReadOptions::default()).unwrap();
    let out = dir.path().join("out.xlsx");
    let summary = questionnaire::write_filled(
        &q,
        &[
            fill("Sheet1", 2, "Yes", Some("Yearly")),
            fill("Sheet1", 3, "No", Some("Hidden")),
        ],
        &out,
    )
    .unwrap();
    assert_eq!(summary.answers_written, 2);
    assert_eq!(summary.comments_written, 1);
    assert_eq!(summary.skipped.len(), 1);
    assert!(
        summary.skipped[0].reason.contains("merged"),
        "{:?}",
        summary.skipped
    );
    let cells = qs::cells(&out);
    assert_eq!(cells[&("Sheet1".to_owned(), 3, 1)], "No");
    assert!(!cells.contains_key(&("Sheet1".to_owned(), 3, 2)));
}
