//! `cargo bench --bench questionnaire`: a 20,000-row questionnaire is
//! generated (rust_xlsxwriter, in a temp dir), then read + detected and
//! rewritten with an answer and a comment on every row. Prints the wall time
//! of each phase and the peak RSS (VmHWM). Targets: < 1 s and < 200 MB.

use std::time::Instant;

use rust_xlsxwriter::{DataValidation, Format, Workbook};
use vouch::questionnaire::{self, Fill, ReadOptions};

const ROWS: u32 = 20_000;

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("big.xlsx");
    let output = dir.path().join("big-filled.xlsx");

    let t = Instant::now();
    generate(&input);
    let generate_time = t.elapsed();
    let size = std::fs::metadata(&input).map(|m| m.len()).unwrap_or(0);

    let t = Instant::now();
    let q = questionnaire::read(&input, &ReadOptions::default()).expect("read");
    let read_time = t.elapsed();
    assert_eq!(q.questions.len(), ROWS as usize, "every row detected");

    let fills: Vec<Fill> = q
        .questions
        .iter()
        .enumerate()
        .map(|(i, x)| Fill {
            sheet: x.sheet.clone(),
            row: x.row,
            answer: Some(["Yes", "No", "N/A"][i % 3].to_owned()),
            comment: Some(format!("Covered by control {i}; see the SOC 2 report.")),
        })
        .collect();
    let t = Instant::now();
    let summary = questionnaire::write_filled(&q, &fills, &output).expect("write");
    let write_time = t.elapsed();
    assert_eq!(summary.answers_written, ROWS as usize);

    let t = Instant::now();
    let again = questionnaire::read(&output, &ReadOptions::default()).expect("re-read");
    let reread_time = t.elapsed();
    assert!(again.questions.iter().all(|x| x.existing_answer.is_some()));

    println!(
        "questionnaire bench: {ROWS} question rows, input {:.1} MiB",
        size as f64 / 1048576.0
    );
    println!(
        "  generate (rust_xlsxwriter)   {:>8.1} ms",
        ms(generate_time)
    );
    println!("  read + detect                {:>8.1} ms", ms(read_time));
    println!("  write answers in place       {:>8.1} ms", ms(write_time));
    println!(
        "  read + detect + write        {:>8.1} ms",
        ms(read_time + write_time)
    );
    println!("  re-read filled file          {:>8.1} ms", ms(reread_time));
    match peak_rss_kib() {
        Some(kib) => println!(
            "  peak RSS (VmHWM)             {:>8.1} MB",
            kib as f64 / 1024.0
        ),
        None => println!("  peak RSS (VmHWM)             unavailable"),
    }
}

fn ms(d: std::time::Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn generate(path: &std::path::Path) {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Security").unwrap();
    let bold = Format::new().set_bold();
    sheet
        .write_string_with_format(0, 0, "Vendor Security Questionnaire", &bold)
        .unwrap();
    let headers = ["Ref", "Question", "Response", "Comments"];
    for (c, h) in headers.iter().enumerate() {
        sheet
            .write_string_with_format(2, c as u16, *h, &bold)
            .unwrap();
    }
    for i in 0..ROWS {
        let r = 3 + i;
        sheet
            .write_string(r, 0, format!("{}.{}", i / 50 + 1, i % 50 + 1))
            .unwrap();
        sheet
            .write_string(
                r,
                1,
                format!("Do you review access rights for system {i} at least quarterly and keep evidence of the review?"),
            )
            .unwrap();
    }
    let dv = DataValidation::new()
        .allow_list_strings(&["Yes", "No", "N/A"])
        .unwrap();
    sheet.add_data_validation(3, 2, 2 + ROWS, 2, &dv).unwrap();
    sheet.set_column_width(1, 80).unwrap();
    book.save(path).unwrap();
}

/// Peak resident set size in KiB, from /proc/self/status.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
