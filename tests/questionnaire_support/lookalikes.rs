//! Workbooks that reproduce the traits of real vendor questionnaires that
//! may not be redistributed (HECVAT 4.1.4, HECVAT 3.04 filled by a vendor,
//! a filled CAIQ, a legacy numbered questionnaire), built here with our own
//! wording. Each trait that once made vouch write in the wrong place is
//! here: analyst and scoring sheets beside the respondent sheets, section
//! headers with other columns, a general block above the first header,
//! per-row dropdowns, formula answer cells, cells holding a single space,
//! filled answers, numbered headings and change-log rows.
#![allow(dead_code)]

use std::path::Path;

use rust_xlsxwriter::{DataValidation, Formula, Workbook, Worksheet};

use super::{write_zip, zip_entries};

/// Stands for an empty cached result until [`blank_cached_results`] runs
/// (rust_xlsxwriter writes an empty result as the number 0).
const EMPTY_RESULT: &str = "__EMPTY_RESULT__";

/// A cell holding a formula with its cached value.
fn formula(sheet: &mut Worksheet, r: u32, c: u16, f: &str, cached: &str) {
    let cached = if cached.is_empty() {
        EMPTY_RESULT
    } else {
        cached
    };
    sheet
        .write_formula(r, c, Formula::new(f).set_result(cached))
        .unwrap();
}

/// Turns the placeholders into empty string results, as Excel saves a
/// formula that evaluates to "".
fn blank_cached_results(path: &Path) {
    let mut entries = zip_entries(path);
    for (name, bytes) in entries.iter_mut() {
        if name.starts_with("xl/worksheets/") {
            let xml = String::from_utf8(bytes.clone()).unwrap();
            *bytes = xml
                .replace(&format!("<v>{EMPTY_RESULT}</v>"), "<v></v>")
                .into_bytes();
        }
    }
    write_zip(path, &entries);
}

fn text(sheet: &mut Worksheet, r: u32, c: u16, v: &str) {
    sheet.write_string(r, c, v).unwrap();
}

/// Several x14 list validations (Excel's form for lists on another sheet)
/// appended to one worksheet of an existing file.
pub fn add_x14_validations(path: &Path, sheet_xml: &str, lists: &[(&str, &str)]) {
    let mut entries = zip_entries(path);
    let xml = String::from_utf8(entries[sheet_xml].clone()).unwrap();
    let mut dvs = String::new();
    for (formula, sqref) in lists {
        dvs.push_str(&format!(
            concat!(
                r#"<x14:dataValidation type="list" allowBlank="1" showInputMessage="1" showErrorMessage="1">"#,
                r#"<x14:formula1><xm:f>{}</xm:f></x14:formula1><xm:sqref>{}</xm:sqref>"#,
                r#"</x14:dataValidation>"#
            ),
            formula.replace('&', "&amp;"),
            sqref
        ));
    }
    let ext = format!(
        concat!(
            r#"<extLst><ext uri="{{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}}" xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">"#,
            r#"<x14:dataValidations count="{}" xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">{}"#,
            r#"</x14:dataValidations></ext></extLst></worksheet>"#
        ),
        lists.len(),
        dvs
    );
    let xml = xml.replace("</worksheet>", &ext);
    entries.insert(sheet_xml.to_owned(), xml.into_bytes());
    write_zip(path, &entries);
}

/// The HECVAT 4.1.4 instruction that names the sheets not to complete.
pub const DO_NOT_COMPLETE: &str =
    "4. DO NOT complete any fields in the \"Evaluation\" sheets or the \"Analyst Notes\" column.";

/// Question text of each id of the 4.1.4-like workbook.
pub fn hecvat414_text(id: &str) -> &'static str {
    match id {
        "GNRL-01" => "Vendor name",
        "GNRL-02" => "Product name",
        "GNRL-03" => "Product description",
        "GNRL-04" => "Security contact email",
        "COMP-01" => "Do you have a dedicated security team?",
        "COMP-02" => "Describe your company's ownership structure.",
        "COMP-03" => "Have you operated without an unplanned outage in the last year?",
        "DOCU-01" => "Do you have a documented business continuity plan?",
        "DOCU-02" => "Do you have a documented disaster recovery plan?",
        "DOCU-03" => "Do you host customer data outside your home country?",
        "DOCU-04" => "Do you use subcontractors to process customer data?",
        "CHNG-01" => "Do you have a documented change management process?",
        "CHNG-02" => "Are emergency changes documented and approved afterwards?",
        _ => panic!("unknown id {id}"),
    }
}

/// The question rows a vendor answers in [`hecvat414_like`].
pub fn hecvat414_rows() -> Vec<(&'static str, u32)> {
    let mut rows: Vec<(&'static str, u32)> = Vec::new();
    rows.extend([10, 11, 12, 13, 15, 16, 17].map(|r| ("START HERE", r)));
    rows.extend([8, 9, 11, 12, 13, 14, 16, 17].map(|r| ("Organization", r)));
    rows
}

/// HECVAT 4.1.4-like:
/// - `START HERE`: a hidden note row, a title with a formula version,
///   instructions (formulas) including "DO NOT complete any fields in the
///   "Evaluation" sheets", a general block GNRL-01..04 *above* the first
///   header (free-text answers), then a `Company Information` band with
///   COMP-01..03 (COMP-02 "Describe…" has no dropdown), an `End Table Data`
///   marker and a copyright line;
/// - `Organization`: GNRL rows whose answers are formulas copying START
///   HERE, a `Documentation` band (Yes/No on DOCU-01..02, Yes/No/N/A on
///   DOCU-03..04, both x14 lists on a hidden sheet) and a `Change
///   Management` band whose header has no `Additional Information` column;
/// - `Institution Evaluation`: instructions for analysts, questions and
///   answers echoed by formulas, a `Mark as Compliant` dropdown on H;
/// - `Analyst Reference`: question formulas on the hidden master list and
///   formula answers;
/// - hidden `Questions` and `Auto Responses`.
pub fn hecvat414_like(path: &Path) {
    let mut book = Workbook::new();
    let questions = |id: &str, row: u32| {
        (
            format!("=VLOOKUP($A{row},Questions!$A$2:$B$40,2,0)&\"\""),
            hecvat414_text(id).to_owned(),
        )
    };
    // START HERE
    let s = book.add_worksheet();
    s.set_name("START HERE").unwrap();
    text(s, 0, 0, "Cells in this worksheet may hold dropdown lists.");
    s.set_row_hidden(0).unwrap();
    text(s, 1, 0, "Vendor Assessment Toolkit - Start Here");
    formula(s, 1, 5, "=\"Version \"&\"4.1\"", "Version 4.1");
    text(s, 2, 0, "Date Completed");
    text(s, 3, 0, "Instructions for Solution Providers");
    let lines = [
        "1. Complete this tab first: it decides which other tabs apply.",
        "2. Answer the applicable questions on every other tab.",
        DO_NOT_COMPLETE,
        "5. Return the completed file to the institution.",
    ];
    for (i, line) in lines.iter().enumerate() {
        formula(
            s,
            4 + i as u32,
            0,
            &format!("=\"{}\"", line.replace('"', "\"\"")),
            line,
        );
    }
    formula(s, 8, 0, "=\" General Information\"", " General Information");
    for (i, id) in ["GNRL-01", "GNRL-02", "GNRL-03", "GNRL-04"]
        .iter()
        .enumerate()
    {
        let r = 9 + i as u32;
        text(s, r, 0, id);
        let (f, v) = questions(id, r + 1);
        formula(s, r, 1, &f, &v);
    }
    formula(
        s,
        13,
        0,
        "=\" Company Information\"",
        " Company Information",
    );
    for (c, h) in [
        "Answer",
        "Additional Information",
        "Guidance",
        "Analyst Notes",
    ]
    .iter()
    .enumerate()
    {
        text(s, 13, 2 + c as u16, h);
    }
    for (i, id) in ["COMP-01", "COMP-02", "COMP-03"].iter().enumerate() {
        let r = 14 + i as u32;
        text(s, r, 0, id);
        let (f, v) = questions(id, r + 1);
        formula(s, r, 1, &f, &v);
        formula(
            s,
            r,
            5,
            &format!(
                "=VLOOKUP($A{},'Institution Evaluation'!$A$8:$F$20,6,0)&\"\"",
                r + 1
            ),
            "",
        );
    }
    text(s, 16, 6, "End Table Data");
    text(s, 17, 0, "Copyright © 2025 Example Consortium");
    for c in 7..=12 {
        s.set_column_hidden(c).unwrap();
    }
    let prompt = DataValidation::new()
        .allow_any_value()
        .set_input_message("Editing this cell can break the tool.")
        .unwrap();
    s.add_data_validation(9, 3, 12, 5, &prompt).unwrap();

    // Organization
    let s = book.add_worksheet();
    s.set_name("Organization").unwrap();
    text(s, 0, 0, "Cells in this worksheet may hold dropdown lists.");
    s.set_row_hidden(0).unwrap();
    text(s, 1, 0, "Vendor Assessment Toolkit - Organization");
    text(s, 2, 0, "Date Completed");
    formula(s, 2, 2, "='START HERE'!$C$3", "");
    formula(
        s,
        4,
        0,
        &format!("=\"{}\"", DO_NOT_COMPLETE.replace('"', "\"\"")),
        DO_NOT_COMPLETE,
    );
    formula(s, 6, 0, "=\" General Information\"", " General Information");
    text(s, 6, 2, "Answer");
    for (i, id) in ["GNRL-01", "GNRL-02"].iter().enumerate() {
        let r = 7 + i as u32;
        text(s, r, 0, id);
        let (f, v) = questions(id, r + 1);
        formula(s, r, 1, &f, &v);
        formula(
            s,
            r,
            2,
            &format!("=VLOOKUP($A{},'START HERE'!$A$10:$C$13,3,0)&\"\"", r + 1),
            "",
        );
    }
    let band = |s: &mut Worksheet, r: u32, name: &str, cols: &[(u16, &str)]| {
        formula(s, r, 0, &format!("=\"{name}\""), name);
        for (c, h) in cols {
            text(s, r, *c, h);
        }
    };
    band(
        s,
        9,
        " Documentation",
        &[
            (2, "Answer"),
            (3, "Additional Information"),
            (4, "Guidance"),
            (5, "Analyst Notes"),
        ],
    );
    for (i, id) in ["DOCU-01", "DOCU-02", "DOCU-03", "DOCU-04"]
        .iter()
        .enumerate()
    {
        let r = 10 + i as u32;
        text(s, r, 0, id);
        let (f, v) = questions(id, r + 1);
        formula(s, r, 1, &f, &v);
    }
    // A section whose header names no comment column.
    band(
        s,
        14,
        " Change Management",
        &[(2, "Answer"), (4, "Guidance"), (5, "Analyst Notes")],
    );
    for (i, id) in ["CHNG-01", "CHNG-02"].iter().enumerate() {
        let r = 15 + i as u32;
        text(s, r, 0, id);
        let (f, v) = questions(id, r + 1);
        formula(s, r, 1, &f, &v);
    }
    text(s, 17, 0, "Copyright © 2025 Example Consortium");

    // Institution Evaluation
    let s = book.add_worksheet();
    s.set_name("Institution Evaluation").unwrap();
    text(
        s,
        0,
        0,
        "Cells in this worksheet are filled from the other tabs.",
    );
    text(s, 1, 0, "Institution Evaluation");
    text(s, 3, 0, "Instructions for Analysts");
    text(
        s,
        4,
        0,
        "1. Review each answer and mark it compliant or not.",
    );
    for (c, h) in [
        "ID",
        "Question",
        "Answer",
        "Additional Information",
        "Guidance",
        "Analyst Notes",
        "Compliant Response",
        "Compliant Override",
    ]
    .iter()
    .enumerate()
    {
        text(s, 6, c as u16, h);
    }
    for (i, id) in [
        "DOCU-01", "DOCU-02", "DOCU-03", "DOCU-04", "CHNG-01", "CHNG-02",
    ]
    .iter()
    .enumerate()
    {
        let r = 7 + i as u32;
        let source = if i < 4 { 11 + i } else { 12 + i };
        formula(s, r, 0, &format!("=Organization!$A${source}"), id);
        formula(
            s,
            r,
            1,
            &format!("=VLOOKUP($A{},Organization!$A$11:$B$17,2,0)&\"\"", r + 1),
            hecvat414_text(id),
        );
        formula(
            s,
            r,
            2,
            &format!("=VLOOKUP($A{},Organization!$A$11:$C$17,3,0)&\"\"", r + 1),
            "",
        );
        formula(s, r, 6, "=\"Yes\"", "Yes");
    }

    // Analyst Reference
    let s = book.add_worksheet();
    s.set_name("Analyst Reference").unwrap();
    for (c, h) in [
        "ID",
        "Question",
        "Reason for Question",
        "Follow-Up Inquiries/Responses",
    ]
    .iter()
    .enumerate()
    {
        text(s, 1, c as u16, h);
    }
    for (i, id) in ["DOCU-01", "DOCU-02", "DOCU-03", "DOCU-04"]
        .iter()
        .enumerate()
    {
        let r = 2 + i as u32;
        text(s, r, 0, id);
        formula(
            s,
            r,
            1,
            &format!("=VLOOKUP($A{},Questions!$A$2:$C$40,2,0)&\"\"", r + 1),
            hecvat414_text(id),
        );
        formula(
            s,
            r,
            2,
            &format!("=VLOOKUP($A{},Questions!$A$2:$C$40,3,0)&\"\"", r + 1),
            "Shows whether the vendor can keep operating after a disruption.",
        );
        formula(
            s,
            r,
            3,
            &format!("=VLOOKUP($A{},Questions!$A$2:$D$40,4,0)&\"\"", r + 1),
            "Ask for the date of the last test.",
        );
    }

    // Hidden master list and dropdown values.
    let s = book.add_worksheet();
    s.set_name("Questions").unwrap();
    text(s, 0, 0, "New ID");
    text(s, 0, 1, "Question");
    let ids = [
        "GNRL-01", "GNRL-02", "GNRL-03", "GNRL-04", "COMP-01", "COMP-02", "COMP-03", "DOCU-01",
        "DOCU-02", "DOCU-03", "DOCU-04", "CHNG-01", "CHNG-02",
    ];
    for (i, id) in ids.iter().enumerate() {
        text(s, 1 + i as u32, 0, id);
        text(s, 1 + i as u32, 1, hecvat414_text(id));
    }
    s.set_hidden(true);
    let s = book.add_worksheet();
    s.set_name("Auto Responses").unwrap();
    text(s, 1, 9, "DROPDOWN OPTIONS");
    for (r, v) in [
        (2, "Yes"),
        (3, "No"),
        (4, "N/A"),
        (6, "Mark as Compliant"),
        (7, "Mark as Non-Compliant"),
    ] {
        text(s, r, 9, v);
    }
    s.set_hidden(true);
    book.save(path).unwrap();
    blank_cached_results(path);
    add_x14_validations(
        path,
        "xl/worksheets/sheet1.xml",
        &[("'Auto Responses'!$J$3:$J$4", "C15 C17")],
    );
    add_x14_validations(
        path,
        "xl/worksheets/sheet2.xml",
        &[
            ("'Auto Responses'!$J$3:$J$4", "C11:C12 C16:C17"),
            ("'Auto Responses'!$J$3:$J$5", "C13:C14"),
        ],
    );
    add_x14_validations(
        path,
        "xl/worksheets/sheet3.xml",
        &[("'Auto Responses'!$J$7:$J$8", "H8:H13")],
    );
}

/// The question rows a vendor answers in [`hecvat304_like`].
pub fn hecvat304_rows() -> Vec<u32> {
    vec![6, 7, 8, 14, 15, 17, 18, 19, 20]
}

pub const HECVAT304_RESPONSE: &str = "HECVAT - Full | Vendor Response";

/// HECVAT 3.04-like, already filled by a vendor:
/// - `Instructions`: text only;
/// - the respondent sheet: a title with the version, `DATE-01 | Date`, a
///   general block (GNRL-01..03, answered) above the first header, a note
///   reserving GNRL-04 for the institution, `Qualifiers` and `Documentation`
///   bands headed `Vendor Answers | Additional Information | Guidance |
///   Analyst Notes`, a dropdown on the named range `yesna`; DOCU-01 answered
///   `Yes` with a comment, DOCU-02 holding a single space, DOCU-03 empty,
///   DOCU-04 answered `No`; analyst-note formulas caching a single space;
/// - `Analyst Report`: instructions, questions and answers echoed by
///   formulas, a `Compliant Override` column with a Yes/No dropdown whose
///   cells hold a single space;
/// - `Summary Report` (answers echoed by formulas), `Standards Crosswalk`
///   (questions looked up on the respondent sheet), `ChangeLog`;
/// - hidden `Values`.
pub fn hecvat304_like(path: &Path) {
    let mut book = Workbook::new();
    let s = book.add_worksheet();
    s.set_name("Instructions").unwrap();
    text(s, 0, 0, "Instructions");
    text(
        s,
        2,
        0,
        "Vendors answer the Vendor Response tab. Analysts use the Analyst Report tab.",
    );

    let s = book.add_worksheet();
    s.set_name(HECVAT304_RESPONSE).unwrap();
    text(s, 0, 0, HECVAT304_RESPONSE);
    text(s, 0, 4, "Version 3.04");
    text(s, 1, 0, "Vendor Response");
    text(s, 2, 0, "DATE-01");
    text(s, 2, 1, "Date");
    text(s, 2, 2, "5/20/2024");
    text(s, 3, 0, "General Information");
    text(s, 4, 0, "GNRL-01 through GNRL-03; populated by the Vendor");
    let general = [
        ("GNRL-01", "Vendor Name", "Example Corp"),
        ("GNRL-02", "Product Name", "Example Desk"),
        (
            "GNRL-03",
            "Product Description",
            "A hosted help desk for universities.",
        ),
    ];
    for (i, (id, q, a)) in general.iter().enumerate() {
        let r = 5 + i as u32;
        text(s, r, 0, id);
        formula(
            s,
            r,
            1,
            &format!("=VLOOKUP(A{},Values!$C$2:$D$9,2,FALSE)", r + 1),
            q,
        );
        text(s, r, 2, a);
    }
    text(
        s,
        8,
        0,
        "GNRL-04; populated by the Institution's Security Office",
    );
    text(s, 9, 0, "GNRL-04");
    text(s, 9, 1, "Institution's Security Analyst");
    text(s, 10, 0, "Instructions");
    text(s, 11, 0, "Step 1: Complete the Qualifiers section first.");
    let band = |s: &mut Worksheet, r: u32, name: &str| {
        text(s, r, 0, name);
        for (c, h) in [
            "Vendor Answers",
            "Additional Information",
            "Guidance",
            "Analyst Notes",
        ]
        .iter()
        .enumerate()
        {
            text(s, r, 2 + c as u16, h);
        }
    };
    band(s, 12, "Qualifiers");
    let rows: [(u32, &str, &str, &str, &str); 6] = [
        (
            13,
            "QUAL-01",
            "Does your product process protected health information?",
            "No",
            "",
        ),
        (
            14,
            "QUAL-02",
            "Will institution data be shared with any third party?",
            "Yes",
            "",
        ),
        (
            16,
            "DOCU-01",
            "Have you undergone a SOC 2 Type II audit?",
            "Yes",
            "Report available under NDA.",
        ),
        (
            17,
            "DOCU-02",
            "Do you have a documented information security policy?",
            " ",
            "",
        ),
        (
            18,
            "DOCU-03",
            "Do you encrypt customer data at rest?",
            "",
            "",
        ),
        (
            19,
            "DOCU-04",
            "Do you require multi-factor authentication for administrators?",
            "No",
            "",
        ),
    ];
    band(s, 15, "Documentation");
    for (r, id, q, a, comment) in rows {
        text(s, r, 0, id);
        formula(
            s,
            r,
            1,
            &format!("=VLOOKUP(A{},Values!$C$2:$D$20,2,FALSE)", r + 1),
            q,
        );
        if !a.is_empty() {
            text(s, r, 2, a);
        }
        if !comment.is_empty() {
            text(s, r, 3, comment);
        }
        formula(
            s,
            r,
            4,
            &format!("=IF(C{}=\"No\",\"Explain why.\",\" \")", r + 1),
            " ",
        );
        formula(s, r, 5, &format!("='Analyst Report'!E{}", r - 6), " ");
    }
    let dv = DataValidation::new().allow_list_formula(Formula::new("=yesna"));
    s.add_data_validation(13, 2, 14, 2, &dv).unwrap();
    s.add_data_validation(16, 2, 19, 2, &dv).unwrap();

    let s = book.add_worksheet();
    s.set_name("Analyst Report").unwrap();
    text(s, 0, 0, "HECVAT - Full | Analyst Report");
    text(s, 2, 0, "Instructions");
    text(
        s,
        3,
        0,
        "Step 1: Select the security framework used at your institution.",
    );
    for (c, h) in [
        "ID",
        "Question",
        "Vendor Answer",
        "Additional Information",
        "Analyst Notes",
        "Preferred Response",
        "Compliant Override",
    ]
    .iter()
    .enumerate()
    {
        text(s, 5, c as u16, h);
    }
    let echoed = [
        (
            13,
            "QUAL-01",
            "Does your product process protected health information?",
            "No",
        ),
        (
            14,
            "QUAL-02",
            "Will institution data be shared with any third party?",
            "Yes",
        ),
        (
            16,
            "DOCU-01",
            "Have you undergone a SOC 2 Type II audit?",
            "Yes",
        ),
        (
            17,
            "DOCU-02",
            "Do you have a documented information security policy?",
            " ",
        ),
        (18, "DOCU-03", "Do you encrypt customer data at rest?", ""),
        (
            19,
            "DOCU-04",
            "Do you require multi-factor authentication for administrators?",
            "No",
        ),
    ];
    let source = format!("'{HECVAT304_RESPONSE}'");
    for (i, (src, id, q, a)) in echoed.iter().enumerate() {
        let r = 6 + i as u32;
        formula(s, r, 0, &format!("={source}!A{}", src + 1), id);
        formula(s, r, 1, &format!("={source}!B{}", src + 1), q);
        formula(s, r, 2, &format!("={source}!C{}", src + 1), a);
        text(s, r, 4, " ");
        formula(s, r, 5, "=\"Yes\"", "Yes");
        text(s, r, 6, " ");
    }
    let yes_no = DataValidation::new()
        .allow_list_strings(&["Yes", "No"])
        .unwrap();
    s.add_data_validation(6, 6, 11, 6, &yes_no).unwrap();

    let s = book.add_worksheet();
    s.set_name("Summary Report").unwrap();
    for (c, h) in ["ID", "Question", "Vendor Answer", "Additional Info"]
        .iter()
        .enumerate()
    {
        text(s, 1, c as u16, h);
    }
    for (i, (src, id, q, a)) in echoed.iter().enumerate() {
        let r = 2 + i as u32;
        formula(s, r, 0, &format!("={source}!A{}", src + 1), id);
        formula(s, r, 1, &format!("={source}!B{}", src + 1), q);
        formula(s, r, 2, &format!("={source}!C{}", src + 1), a);
    }

    let s = book.add_worksheet();
    s.set_name("Standards Crosswalk").unwrap();
    for (c, h) in [
        "Documentation",
        "",
        "ISO 27002:2013",
        "NIST Cybersecurity Framework",
    ]
    .iter()
    .enumerate()
    {
        if !h.is_empty() {
            text(s, 1, c as u16, h);
        }
    }
    for (i, (_, id, q, _)) in echoed.iter().enumerate() {
        let r = 2 + i as u32;
        text(s, r, 0, id);
        formula(
            s,
            r,
            1,
            &format!("=VLOOKUP(A{},{source}!A$14:B$20,2,FALSE)", r + 1),
            q,
        );
        formula(s, r, 2, "=\"15.2.1\"", "15.2.1");
        formula(s, r, 3, "=\"ID.GV-3\"", "ID.GV-3");
    }

    let s = book.add_worksheet();
    s.set_name("ChangeLog").unwrap();
    for (c, h) in ["Version", "Date", "Change"].iter().enumerate() {
        text(s, 0, c as u16, h);
    }
    let log = [
        (
            "v1.01",
            "2019-03-01",
            "Corrections for grammar, conditional formatting, and question clarification.",
        ),
        (
            "v2.00",
            "2020-01-15",
            "Added the accessibility section and reworded several documentation questions.",
        ),
        (
            "v3.00",
            "2022-06-30",
            "Restructured the qualifiers so that sections apply to each product type.",
        ),
    ];
    for (i, (v, d, change)) in log.iter().enumerate() {
        text(s, 1 + i as u32, 0, v);
        text(s, 1 + i as u32, 1, d);
        text(s, 1 + i as u32, 2, change);
    }

    let s = book.add_worksheet();
    s.set_name("Values").unwrap();
    for (i, v) in ["Yes", "No", "N/A"].iter().enumerate() {
        text(s, 3 + i as u32, 0, v);
    }
    s.set_hidden(true);
    book.define_name("yesna", "=Values!$A$4:$A$6").unwrap();
    book.save(path).unwrap();
    blank_cached_results(path);
}
