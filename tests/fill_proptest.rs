//! Property (issue 11): filling a questionnaire and reading it back keeps
//! every cell that is not an answer or comment vouch wrote, values and (for
//! XLSX) formulas alike. Random small XLSX workbooks (rust_xlsxwriter) and
//! CSV files (any delimiter, quoting, formula-looking text, non-ASCII) go
//! through the real fill path (`read`, `plan_fill`, `render_filled`, as
//! `vouch answer` runs it) and are re-read with calamine / csv.

use std::collections::BTreeMap;
use std::io::Cursor;
use std::path::Path;

use calamine::Reader;
use proptest::prelude::*;
use vouch::questionnaire::{
    plan_fill, read, render_filled, Fill, Questionnaire, ReadOptions, WriteOptions,
};

const WORDS: &[&str] = &[
    "encrypt",
    "data",
    "rest",
    "transit",
    "backups",
    "access",
    "reviews",
    "vendor",
    "incident",
    "response",
    "logging",
    "MFA",
    "SSO",
    "audit",
    "policy",
    "données",
    "sécurité",
    "暗号化",
];
const ANSWERS: &[&str] = &[
    "Yes",
    "No",
    "N/A",
    "=HYPERLINK(\"http://x\")",
    "Partly, see policy",
];

/// One cell of a generated sheet.
#[derive(Debug, Clone)]
enum Cell {
    Blank,
    Text(String),
    Number(f64),
    Formula(String),
}

/// A question text: a few words and a question mark.
fn question() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(WORDS), 3..8)
        .prop_map(|w| format!("Do you {}?", w.join(" ")))
}

/// Free text that may look like a formula, hold the delimiter, quotes or
/// line breaks.
fn free_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Zé ,;\"\t]{0,12}",
        Just("=1+1".to_owned()),
        Just("+cmd|' /C calc'!A0".to_owned()),
        Just("line one\nline two".to_owned()),
        Just("  ".to_owned()),
    ]
}

fn side_cell() -> impl Strategy<Value = Cell> {
    prop_oneof![
        Just(Cell::Blank),
        free_text().prop_map(Cell::Text),
        (-1.0e6..1.0e6f64).prop_map(|n| Cell::Number((n * 100.0).round() / 100.0)),
        prop::sample::select(&["=1+1", "=LEN(A1)", "=SUM(A1:A3)", "=\"x\"&\"y\""][..])
            .prop_map(|f| Cell::Formula(f.to_owned())),
    ]
}

/// A question row: id, question, existing answer (or blank), comment,
/// and two more columns of anything.
fn row() -> impl Strategy<Value = Vec<Cell>> {
    (
        prop::option::of("[A-Z]{2}-[0-9]{2}"),
        question(),
        prop_oneof![
            3 => Just(Cell::Blank),
            1 => prop::sample::select(&["Yes", "No", "N/A"][..]).prop_map(|a| Cell::Text(a.to_owned())),
            1 => Just(Cell::Formula("=IF(1,\"Yes\",\"No\")".to_owned())),
        ],
        prop_oneof![3 => Just(Cell::Blank), 1 => free_text().prop_map(Cell::Text)],
        side_cell(),
        side_cell(),
    )
        .prop_map(|(id, q, a, c, x, y)| {
            vec![id.map_or(Cell::Blank, Cell::Text), Cell::Text(q), a, c, x, y]
        })
}

/// A sheet: the header row, then question rows.
fn sheet() -> impl Strategy<Value = Vec<Vec<Cell>>> {
    prop::collection::vec(row(), 1..12).prop_map(|rows| {
        let header = ["ID", "Question", "Answer", "Comment", "Notes", "Owner"]
            .iter()
            .map(|h| Cell::Text((*h).to_owned()))
            .collect();
        std::iter::once(header).chain(rows).collect()
    })
}

fn xlsx_bytes(rows: &[Vec<Cell>], extra_sheet: bool) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    if extra_sheet {
        let s = book.add_worksheet();
        s.set_name("Instructions").unwrap();
        s.write_string(0, 0, "Answer every question; =1 is not a formula here")
            .unwrap();
        s.write_formula(1, 0, "=2*3").unwrap();
    }
    let s = book.add_worksheet();
    s.set_name("Questions").unwrap();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            match cell {
                Cell::Blank => {}
                Cell::Text(t) => {
                    s.write_string(r, c, t).unwrap();
                }
                Cell::Number(n) => {
                    s.write_number(r, c, *n).unwrap();
                }
                Cell::Formula(f) => {
                    s.write_formula(r, c, f.as_str()).unwrap();
                }
            }
        }
    }
    book.save_to_buffer().unwrap()
}

fn csv_bytes(rows: &[Vec<Cell>], delimiter: u8) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .from_writer(Vec::new());
    for row in rows {
        let fields: Vec<String> = row
            .iter()
            .map(|c| match c {
                Cell::Blank => String::new(),
                Cell::Text(t) => t.clone(),
                Cell::Number(n) => n.to_string(),
                Cell::Formula(f) => f.clone(),
            })
            .collect();
        w.write_record(&fields).unwrap();
    }
    w.into_inner().unwrap()
}

/// Fills every question (answers cycling through [`ANSWERS`], a comment
/// each) through the real path and returns the output bytes and the cells
/// vouch may have written: (sheet, 1-based row, 0-based column).
fn fill(q: &Questionnaire, output: &Path) -> (Vec<u8>, Vec<(String, u32, u32)>) {
    let fills: Vec<Fill> = q
        .questions
        .iter()
        .enumerate()
        .map(|(i, question)| Fill {
            sheet: question.sheet.clone(),
            row: question.row,
            answer: Some(ANSWERS[i % ANSWERS.len()].to_owned()),
            comment: Some(format!("Comment {i} ü")),
        })
        .collect();
    let opts = WriteOptions::default();
    let plan = plan_fill(q, &fills, &opts);
    let rendered = render_filled(q, plan, output, &opts).expect("render");
    let mut targets = Vec::new();
    for question in &q.questions {
        let layout = q.sheets.iter().find(|s| s.name == question.sheet).unwrap();
        for col in [&layout.answer_col, &layout.comment_col]
            .into_iter()
            .flatten()
        {
            targets.push((question.sheet.clone(), question.row, col_index(col)));
        }
    }
    (rendered.bytes, targets)
}

/// `B` -> 1.
fn col_index(letters: &str) -> u32 {
    letters
        .bytes()
        .fold(0, |n, b| n * 26 + u32::from(b - b'A' + 1))
        - 1
}

type Cells = BTreeMap<(String, u32, u32), String>;

/// Every non-empty value and every formula of a workbook, sparse.
fn workbook_cells(bytes: &[u8]) -> (Cells, Cells) {
    let mut book = calamine::Xlsx::new(Cursor::new(bytes.to_vec())).unwrap();
    let (mut values, mut formulas) = (Cells::new(), Cells::new());
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).unwrap();
        for (r, c, v) in range.used_cells() {
            let (r0, c0) = range.start().unwrap();
            let text = v.to_string();
            if !text.is_empty() {
                values.insert((name.clone(), r0 + r as u32 + 1, c0 + c as u32), text);
            }
        }
        let range = book.worksheet_formula(&name).unwrap();
        for (r, c, f) in range.used_cells() {
            let (r0, c0) = range.start().unwrap();
            if !f.is_empty() {
                formulas.insert((name.clone(), r0 + r as u32 + 1, c0 + c as u32), f.clone());
            }
        }
    }
    (values, formulas)
}

fn csv_cells(bytes: &[u8], delimiter: u8, sheet: &str) -> Cells {
    let mut out = Cells::new();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(bytes);
    for (r, record) in reader.records().enumerate() {
        for (c, v) in record.unwrap().iter().enumerate() {
            if !v.is_empty() {
                out.insert((sheet.to_owned(), r as u32 + 1, c as u32), v.to_owned());
            }
        }
    }
    out
}

/// Every cell of `before` that is not a target is in `after` unchanged,
/// and `after` has no new cell outside the targets.
fn assert_kept(before: &Cells, after: &Cells, targets: &[(String, u32, u32)], what: &str) {
    for (key, value) in before {
        if !targets.contains(key) {
            assert_eq!(after.get(key), Some(value), "{what}: {key:?} changed");
        }
    }
    for key in after.keys() {
        assert!(
            before.contains_key(key) || targets.contains(key),
            "{what}: {key:?} = {:?} appeared",
            after[key]
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    #[test]
    fn filling_an_xlsx_keeps_every_other_cell(rows in sheet(), extra_sheet in any::<bool>()) {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("q.xlsx");
        let bytes = xlsx_bytes(&rows, extra_sheet);
        std::fs::write(&input, &bytes).unwrap();
        // Named, as with --sheet: a sheet whose answers are mostly formulas
        // is otherwise (rightly) read as an analyst sheet and not answered.
        let opts = ReadOptions { sheet: Some("Questions".to_owned()), ..ReadOptions::default() };
        let q = read(&input, &opts).expect("the questionnaire reads");
        prop_assert!(!q.questions.is_empty());
        let (out, targets) = fill(&q, &dir.path().join("out.xlsx"));
        let (values, formulas) = workbook_cells(&bytes);
        let (new_values, new_formulas) = workbook_cells(&out);
        assert_kept(&values, &new_values, &targets, "value");
        // No formula is added, removed or changed, answer cells included.
        prop_assert_eq!(formulas, new_formulas);
        prop_assert_eq!(std::fs::read(&input).unwrap(), bytes, "input untouched");
    }

    #[test]
    fn filling_a_csv_keeps_every_other_cell(
        rows in sheet(),
        delimiter in prop::sample::select(&[b',', b';', b'\t'][..]),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("q.csv");
        let bytes = csv_bytes(&rows, delimiter);
        std::fs::write(&input, &bytes).unwrap();
        let q = read(&input, &ReadOptions::default()).expect("the questionnaire reads");
        prop_assert!(!q.questions.is_empty());
        let sheet = q.questions[0].sheet.clone();
        let (out, targets) = fill(&q, &dir.path().join("out.csv"));
        assert_kept(
            &csv_cells(&bytes, delimiter, &sheet),
            &csv_cells(&out, delimiter, &sheet),
            &targets,
            "csv field",
        );
        prop_assert_eq!(std::fs::read(&input).unwrap(), bytes, "input untouched");
    }
}
