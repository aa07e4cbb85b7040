//! In-place writing: an XLSX built from fuzzed parts (see
//! `parts::xlsx_from_parts`) is read, every question gets an answer and a
//! comment (formula-looking text included), the filled workbook is built,
//! and then checked: it reads again, every other zip entry is unchanged,
//! and the only cells that changed were blank cells of question rows that
//! now hold exactly what was written.
#![no_main]

use std::collections::{HashMap, HashSet};
use std::io::{Cursor, Read};

use calamine::Reader;
use libfuzzer_sys::fuzz_target;
use vouch::questionnaire::{plan_fill, read, render_filled, Fill, ReadOptions, WriteOptions};
use vouch_fuzz::{parts, write_scratch};

const ANSWERS: [&str; 4] = ["Yes", "No", "N/A", "=HYPERLINK(\"http://x\") é"];

fuzz_target!(|data: &[u8]| {
    let bytes = parts::xlsx_from_parts(data);
    let input = write_scratch("in.xlsx", &bytes);
    let Ok(q) = read(&input, &ReadOptions::default()) else {
        return;
    };
    let fills: Vec<Fill> = q
        .questions
        .iter()
        .enumerate()
        .map(|(i, question)| Fill {
            sheet: question.sheet.clone(),
            row: question.row,
            answer: Some(ANSWERS[i % ANSWERS.len()].to_owned()),
            comment: Some(format!("+comment {i} ü")),
        })
        .collect();
    let plan = plan_fill(&q, &fills, &WriteOptions::default());
    let output = vouch_fuzz::scratch().join("out.xlsx");
    let rendered = match render_filled(&q, plan, &output, &WriteOptions::default()) {
        Ok(r) => r,
        Err(e) => {
            // Refusing is allowed (a corrupt part found while patching), as
            // a clear error.
            let msg = format!("{e:#}");
            assert!(
                msg.contains("in.xlsx"),
                "error without the file name: {msg}"
            );
            return;
        }
    };
    std::fs::write(&rendered.path, &rendered.bytes).unwrap();
    if let Err(e) = read(&rendered.path, &ReadOptions::default()) {
        panic!("the filled workbook does not read again: {e:#}");
    }

    // Every zip entry but the worksheet is byte-identical.
    let before = entries(&bytes);
    let after = entries(&rendered.bytes);
    assert_eq!(
        before.keys().collect::<HashSet<_>>(),
        after.keys().collect::<HashSet<_>>(),
        "entries added or removed"
    );
    for (name, content) in &before {
        if !name.starts_with("xl/worksheets/") {
            assert!(after[name] == *content, "{name} changed");
        }
    }

    // Only blank cells of question rows changed, to what was written.
    let written: HashMap<(String, u32), Vec<String>> = rendered
        .summary
        .rows
        .iter()
        .map(|o| {
            let mut values: Vec<String> = o.written_answer.iter().cloned().collect();
            if o.comment_written {
                let fill = fills.iter().find(|f| f.sheet == o.sheet && f.row == o.row);
                values.extend(fill.and_then(|f| f.comment.clone()));
            }
            ((o.sheet.clone(), o.row), values)
        })
        .collect();
    let old = cells(&bytes);
    let new = cells(&rendered.bytes);
    for (key, value) in &old {
        let now = new.get(key).map(String::as_str).unwrap_or("");
        if now != value {
            assert!(
                value.trim().is_empty(),
                "non-blank cell {key:?} changed: {value:?} -> {now:?}"
            );
        }
    }
    for (key, value) in &new {
        let was = old.get(key).map(String::as_str).unwrap_or("");
        if was != value {
            let (sheet, row, _) = key;
            let allowed = written.get(&(sheet.clone(), *row));
            assert!(
                allowed.is_some_and(|v| v
                    .iter()
                    .any(|w| w == value || value.starts_with(w.trim_end_matches('…')))),
                "cell {key:?} changed to {value:?}, not an answer of its row ({allowed:?})"
            );
        }
    }
});

/// Every zip entry's uncompressed bytes.
fn entries(bytes: &[u8]) -> HashMap<String, Vec<u8>> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
    let mut out = HashMap::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).expect("entry");
        let mut content = Vec::new();
        // Bounded: the reader already refused anything too large.
        f.read_to_end(&mut content).ok();
        out.insert(f.name().expect("entry name").to_string(), content);
    }
    out
}

/// Every non-empty cell's value (sparse: never a rectangle from A1).
fn cells(bytes: &[u8]) -> HashMap<(String, u32, u32), String> {
    let mut book = calamine::Xlsx::new(Cursor::new(bytes)).expect("calamine opens it");
    let names = book.sheet_names();
    let mut out = HashMap::new();
    for name in names {
        let Ok(mut reader) = book.worksheet_cells_reader(&name) else {
            continue;
        };
        while let Ok(Some(cell)) = reader.next_cell() {
            let (r, c) = cell.get_position();
            let v = calamine::Data::from(cell.get_value().clone()).to_string();
            if !v.is_empty() {
                out.insert((name.clone(), r + 1, c), v);
            }
        }
    }
    out
}
