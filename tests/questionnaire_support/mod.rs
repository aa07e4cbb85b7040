//! Look-alike questionnaires built by the tests themselves (the real CAIQ and
//! HECVAT files are not redistributable; their layouts are described in
//! ../shared/questionnaires/SOURCES.md), plus helpers to compare workbooks.
#![allow(dead_code)]

pub mod lookalikes;

use std::collections::BTreeMap;
use std::io::{Cursor, Read, Write};
use std::path::Path;

use calamine::Reader;
use rust_xlsxwriter::{DataValidation, Format, Formula, Workbook};

pub const CAIQ_QUESTIONS: u32 = 24;

/// CAIQ v4-like: Introduction sheet, then `CAIQv4.0.3` with a title row,
/// the header in row 2, a protected sheet with unlocked C–F, inline list
/// `Yes,No,NA` on C, a second dropdown on D, vertically merged I–L, zero-
/// width G/H (G hidden), questions with hard line breaks, an
/// `End of Standard` row and a merged © row.
pub fn caiq_like(path: &Path) {
    let mut book = Workbook::new();
    let intro = book.add_worksheet();
    intro.set_name("Introduction").unwrap();
    // A title row that reads like a header ("...QUESTIONNAIRE") above
    // instruction sentences: none of them is a question.
    intro.write_string(0, 0, "v4.0.3").unwrap();
    intro
        .write_string(
            0,
            1,
            "CONSENSUS ASSESSMENTS INITIATIVE QUESTIONNAIRE v4.0.3",
        )
        .unwrap();
    intro.write_string(1, 0, "Introduction").unwrap();
    let lines = [
        "This tab describes the questionnaire and how each column is meant to be completed by the provider.",
        "Each question is identified by a domain prefix and a number, such as A&A-01.1 for the first one.",
        "The provider must respond with Yes, No or NA in the answer column for every question listed.",
        "A Yes answer indicates that the portion of the control in question is met by the provider.",
        "A No answer indicates that the portion of the control in question is not met by the provider.",
        "A NA answer indicates that the portion of the control in question does not apply at all.",
        "Describe the implementation in the implementation description column where it helps the reader.",
        "Control ownership is chosen from the list offered in the ownership column of each question.",
    ];
    for (i, line) in lines.iter().enumerate() {
        intro.write_string(3 + i as u32, 0, *line).unwrap();
    }
    intro.write_string(12, 0, "End of Introduction").unwrap();
    intro.protect();

    let sheet = book.add_worksheet();
    sheet.set_name("CAIQv4.0.3").unwrap();
    let unlocked = Format::new().set_unlocked();
    sheet.write_string(0, 0, "v4.0.3").unwrap();
    sheet
        .write_string(
            0,
            1,
            "CONSENSUS ASSESSMENTS INITIATIVE QUESTIONNAIRE v4.0.3",
        )
        .unwrap();
    let headers = [
        "Question ID",
        "Question",
        "CSP CAIQ Answer",
        "SSRM Control Ownership",
        "CSP Implementation Description (Optional/Recommended)",
        "CSC Responsibilities (Optional/Recommended)",
        "",
        "",
        "CCM Control ID",
        "CCM Control Specification",
        "CCM Control Title",
        "CCM Domain Title",
    ];
    for (c, h) in headers.iter().enumerate() {
        if !h.is_empty() {
            sheet.write_string(1, c as u16, *h).unwrap();
        }
    }
    let first = 2u32; // 0-based row of the first question (spreadsheet row 3)
    for i in 0..CAIQ_QUESTIONS {
        let r = first + i;
        let control = i / 3 + 1;
        let sub = i % 3 + 1;
        sheet
            .write_string(r, 0, format!("A&A-{control:02}.{sub}"))
            .unwrap();
        sheet
            .write_string(
                r,
                1,
                format!(
                    "Are audit and assurance policies and procedures for control {control}\nestablished, documented and reviewed (part {sub})?\n"
                ),
            )
            .unwrap();
        for c in 2..=5 {
            sheet.write_blank(r, c, &unlocked).unwrap();
        }
        if sub == 1 {
            let spec = format!(
                "Establish, document, approve, communicate, apply, evaluate and maintain audit policies for control {control}."
            );
            let fmt = Format::new();
            sheet
                .merge_range(r, 8, r + 2, 8, &format!("A&A-{control:02}"), &fmt)
                .unwrap();
            sheet.merge_range(r, 9, r + 2, 9, &spec, &fmt).unwrap();
            sheet
                .merge_range(r, 10, r + 2, 10, "Audit and Assurance Policy", &fmt)
                .unwrap();
            sheet
                .merge_range(r, 11, r + 2, 11, "Audit & Assurance", &fmt)
                .unwrap();
        }
    }
    let last = first + CAIQ_QUESTIONS - 1;
    let yes_no = DataValidation::new()
        .allow_list_strings(&["Yes", "No", "NA"])
        .unwrap();
    sheet
        .add_data_validation(first, 2, last, 2, &yes_no)
        .unwrap();
    let ownership = DataValidation::new()
        .allow_list_strings(&["CSP-owned", "CSC-owned", "3rd-party outsourced"])
        .unwrap();
    sheet
        .add_data_validation(first, 3, last, 3, &ownership)
        .unwrap();
    sheet.set_column_width(6, 0).unwrap();
    sheet.set_column_hidden(6).unwrap();
    sheet.set_column_width(7, 0).unwrap();
    sheet.write_string(last + 1, 0, "End of Standard").unwrap();
    sheet
        .merge_range(
            last + 2,
            0,
            last + 2,
            3,
            "© Copyright 2021-2022 Cloud Security Alliance - All rights reserved.",
            &Format::new(),
        )
        .unwrap();
    sheet.set_freeze_panes(2, 4).unwrap();
    sheet.protect();
    book.save(path).unwrap();
}

/// The spreadsheet rows of the CAIQ-like questions.
pub fn caiq_rows() -> Vec<u32> {
    (3..3 + CAIQ_QUESTIONS).collect()
}

/// HECVAT-like: a visible START HERE sheet, two respondent sheets with a
/// hidden note row, a title row with a formula, instruction rows, section
/// header rows repeated per section, ids in A, question text held in
/// formulas (cached values) in B, answers in C, additional information in
/// D, guidance formulas in E, analyst notes in F, hidden columns H–I;
/// hidden sheets `Questions`, `Auto Responses` and `Values`.
/// `Organization` uses an x14 dropdown pointing at `'Auto Responses'!$J$3:$J$5`
/// (written by post-processing the sheet XML), `Product` a classic dropdown
/// on the defined name `yesna` (= `Values!$A$4:$A$6`).
pub fn hecvat_like(path: &Path) {
    let mut book = Workbook::new();
    let start = book.add_worksheet();
    start.set_name("START HERE").unwrap();
    start
        .write_string(0, 0, "Higher Education Community Vendor Assessment Toolkit")
        .unwrap();
    start
        .write_string(
            2,
            0,
            "Complete every respondent sheet. Use the dropdowns in the Answer column.",
        )
        .unwrap();

    let questions = hecvat_questions();
    for (sheet_name, prefix) in [("Organization", "DOCU"), ("Product", "APPL")] {
        let sheet = book.add_worksheet();
        sheet.set_name(sheet_name).unwrap();
        sheet
            .write_string(0, 0, "Note: answers must be chosen from the dropdowns.")
            .unwrap();
        sheet.set_row_hidden(0).unwrap();
        sheet
            .write_string(
                1,
                0,
                "HECVAT - Higher Education Community Vendor Assessment Toolkit",
            )
            .unwrap();
        sheet
            .write_formula(
                1,
                5,
                Formula::new("=\"Version \"&\"4.1.4\"").set_result("Version 4.1.4"),
            )
            .unwrap();
        for (i, line) in [
            "Instructions: answer each question.",
            "Use Additional Information to explain your answer.",
        ]
        .iter()
        .enumerate()
        {
            sheet
                .write_formula(
                    3 + i as u32,
                    0,
                    Formula::new(format!("=\"{line}\"")).set_result(*line),
                )
                .unwrap();
        }
        let mut r = 6u32;
        for (section, items) in [(" General", 0..3), (" Documentation", 3..6)] {
            for (c, h) in [
                section,
                "Answer",
                "Additional Information",
                "Guidance",
                "Analyst Notes",
            ]
            .iter()
            .enumerate()
            {
                sheet.write_string(r, c as u16 + 1, *h).unwrap();
            }
            r += 1;
            for k in items {
                let id = format!("{prefix}-{:02}", k + 1);
                sheet.write_string(r, 0, &id).unwrap();
                let text = &questions[k];
                sheet
                    .write_formula(
                        r,
                        1,
                        Formula::new(format!(
                            "=VLOOKUP($A{},Questions!$A$2:$B$20,2,0)&\"\"",
                            r + 1
                        ))
                        .set_result(text.as_str()),
                    )
                    .unwrap();
                sheet
                    .write_formula(
                        r,
                        4,
                        Formula::new(
                            "=IF(C1=\"No\",\"Explain the compensating controls in place.\",\"\")",
                        )
                        .set_result(
                            "Explain the compensating controls in place for this requirement.",
                        ),
                    )
                    .unwrap();
                sheet.write_string(r, 7, "1").unwrap();
                sheet.write_string(r, 8, "Yes").unwrap();
                r += 1;
            }
        }
        sheet.set_column_hidden(7).unwrap();
        sheet.set_column_hidden(8).unwrap();
        if sheet_name == "Product" {
            let dv = DataValidation::new().allow_list_formula(Formula::new("=yesna"));
            sheet.add_data_validation(7, 2, 9, 2, &dv).unwrap();
            sheet.add_data_validation(11, 2, 13, 2, &dv).unwrap();
        }
    }
    // An analyst sheet: the answers are pulled in by formulas.
    let analyst = book.add_worksheet();
    analyst.set_name("Institution Evaluation").unwrap();
    for (c, h) in ["ID", "Question", "Vendor Answer", "Score"]
        .iter()
        .enumerate()
    {
        analyst.write_string(0, c as u16, *h).unwrap();
    }
    for (k, q) in questions.iter().enumerate() {
        let r = k as u32 + 1;
        analyst
            .write_string(r, 0, format!("DOCU-{:02}", k + 1))
            .unwrap();
        analyst.write_string(r, 1, q).unwrap();
        analyst
            .write_formula(
                r,
                2,
                Formula::new(format!("=Organization!C{}", 8 + k)).set_result(""),
            )
            .unwrap();
        analyst
            .write_formula(r, 3, Formula::new("=IF(C2=\"Yes\",1,0)").set_result("0"))
            .unwrap();
    }
    let master = book.add_worksheet();
    master.set_name("Questions").unwrap();
    master.write_string(0, 0, "New ID").unwrap();
    master.write_string(0, 1, "Question").unwrap();
    for (k, q) in questions.iter().enumerate() {
        master
            .write_string(k as u32 + 1, 0, format!("DOCU-{:02}", k + 1))
            .unwrap();
        master.write_string(k as u32 + 1, 1, q).unwrap();
    }
    master.set_hidden(true);
    let auto = book.add_worksheet();
    auto.set_name("Auto Responses").unwrap();
    for (i, v) in ["Yes", "No", "N/A"].iter().enumerate() {
        auto.write_string(2 + i as u32, 9, *v).unwrap();
    }
    auto.set_hidden(true);
    let values = book.add_worksheet();
    values.set_name("Values").unwrap();
    for (i, v) in ["Yes", "No", "N/A"].iter().enumerate() {
        values.write_string(3 + i as u32, 0, *v).unwrap();
    }
    values.set_hidden(true);
    book.define_name("yesna", "=Values!$A$4:$A$6").unwrap();
    book.save(path).unwrap();
    add_x14_validation(
        path,
        "xl/worksheets/sheet2.xml",
        "'Auto Responses'!$J$3:$J$5",
        "C8:C10 C12:C14",
    );
}

pub fn hecvat_questions() -> Vec<String> {
    [
        "Do you have a dedicated information security officer?*",
        "Describe your organization's security governance structure.",
        "Has your company experienced a data breach in the last three years?",
        "Do you maintain documented information security policies?",
        "Are your policies reviewed at least annually?",
        "Provide a copy of your most recent SOC 2 Type II report.",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

/// Question rows of each HECVAT-like respondent sheet.
pub fn hecvat_rows() -> Vec<u32> {
    vec![8, 9, 10, 12, 13, 14]
}

/// Appends an x14 list validation (the extension form Excel uses for lists
/// on another sheet) to a worksheet of an existing file.
pub fn add_x14_validation(path: &Path, sheet_xml: &str, formula: &str, sqref: &str) {
    let mut entries = zip_entries(path);
    let xml = String::from_utf8(entries[sheet_xml].clone()).unwrap();
    let ext = format!(
        concat!(
            r#"<extLst><ext uri="{{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}}" xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">"#,
            r#"<x14:dataValidations count="1" xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">"#,
            r#"<x14:dataValidation type="list" allowBlank="1" showInputMessage="1" showErrorMessage="1">"#,
            r#"<x14:formula1><xm:f>{}</xm:f></x14:formula1><xm:sqref>{}</xm:sqref>"#,
            r#"</x14:dataValidation></x14:dataValidations></ext></extLst></worksheet>"#
        ),
        formula.replace('&', "&amp;"),
        sqref
    );
    let xml = xml.replace("</worksheet>", &ext);
    entries.insert(sheet_xml.to_owned(), xml.into_bytes());
    write_zip(path, &entries);
}

/// Every entry of a zip, decompressed.
pub fn zip_entries(path: &Path) -> BTreeMap<String, Vec<u8>> {
    let bytes = std::fs::read(path).unwrap();
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut out = BTreeMap::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let mut buf = Vec::new();
        f.read_to_end(&mut buf).unwrap();
        out.insert(f.name().unwrap().to_string(), buf);
    }
    out
}

/// The raw (compressed) bytes and CRC of every entry.
pub fn zip_raw_entries(path: &Path) -> BTreeMap<String, (u32, Vec<u8>)> {
    let bytes = std::fs::read(path).unwrap();
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut out = BTreeMap::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index_raw(i).unwrap();
        let mut buf = Vec::new();
        f.read_to_end(&mut buf).unwrap();
        out.insert(f.name().unwrap().to_string(), (f.crc32(), buf));
    }
    out
}

pub fn write_zip(path: &Path, entries: &BTreeMap<String, Vec<u8>>) {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    // [Content_Types].xml first, as Office expects.
    let mut names: Vec<&String> = entries.keys().collect();
    names.sort_by_key(|n| (n.as_str() != "[Content_Types].xml", n.to_string()));
    for name in names {
        w.start_file(name.as_str(), opts).unwrap();
        w.write_all(&entries[name]).unwrap();
    }
    std::fs::write(path, w.finish().unwrap().into_inner()).unwrap();
}

/// Every non-empty cell of every sheet, read with calamine:
/// (sheet, 1-based row, 0-based col) -> text.
pub fn cells(path: &Path) -> BTreeMap<(String, u32, u32), String> {
    let mut book = calamine::open_workbook_auto(path).unwrap();
    let mut out = BTreeMap::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).unwrap();
        let Some((r0, c0)) = range.start() else {
            continue;
        };
        for (r, row) in range.rows().enumerate() {
            for (c, v) in row.iter().enumerate() {
                let text = v.to_string();
                if !text.is_empty() {
                    out.insert((name.clone(), r0 + r as u32 + 1, c0 + c as u32), text);
                }
            }
        }
    }
    out
}

/// Asserts that `after` differs from `before` exactly in `targets`, where
/// it holds the given values.
pub fn assert_only_targets_changed(
    before: &BTreeMap<(String, u32, u32), String>,
    after: &BTreeMap<(String, u32, u32), String>,
    targets: &BTreeMap<(String, u32, u32), String>,
) {
    for (key, value) in targets {
        assert_eq!(after.get(key), Some(value), "target cell {key:?}");
    }
    let keys: std::collections::BTreeSet<_> = before.keys().chain(after.keys()).collect();
    for key in keys {
        if targets.contains_key(key) {
            continue;
        }
        assert_eq!(before.get(key), after.get(key), "cell {key:?} changed");
    }
}

/// Parses an XML document fully (end names checked); panics when it is not
/// well-formed.
pub fn assert_well_formed(xml: &[u8]) {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut depth = 0i64;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Start(_)) => depth += 1,
            Ok(quick_xml::events::Event::End(_)) => depth -= 1,
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("not well-formed at {}: {e}", reader.buffer_position()),
        }
    }
    assert_eq!(depth, 0, "unbalanced elements");
}
