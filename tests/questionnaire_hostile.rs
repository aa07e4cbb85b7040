//! Questionnaires from strangers (issue 11): bounded reading, outputs that
//! never replace the input or each other, Excel's cell limit, formula
//! neutralisation of VSAQ output, the confidentiality filter of the report,
//! and non-ASCII VSAQ ids. Each case: a one-line error naming the file and
//! exit 2 (or success), no panic, bounded time, the input untouched.

mod questionnaire_support;
mod util;

use std::io::Write;
use std::path::Path;
use std::process::Output;
use std::time::{Duration, Instant};

use questionnaire_support as qs;
use serde_json::Value;

/// Runs `vouch ARGS` in `dir`, killing it after `secs` seconds (a hang is a
/// failure, not a stuck test run).
fn run_bounded(dir: &Path, args: &[&str], secs: u64) -> Output {
    let mut child = util::vouch()
        .current_dir(dir)
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start vouch");
    let started = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            return child.wait_with_output().unwrap();
        }
        if started.elapsed() > Duration::from_secs(secs) {
            child.kill().ok();
            child.wait().ok();
            panic!("vouch {args:?} did not finish within {secs} s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Asserts exit 2 with one error line naming `file` and no panic; returns it.
fn one_line_error(o: &Output, file: &str) -> String {
    let err = util::stderr(o);
    assert_eq!(o.status.code(), Some(2), "exit code; stderr: {err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    assert!(err.contains(file), "names the file: {err}");
    err
}

fn small_questionnaire(book: &mut rust_xlsxwriter::Workbook) -> &mut rust_xlsxwriter::Worksheet {
    let s = book.add_worksheet();
    s.write_string(0, 0, "Question").unwrap();
    s.write_string(0, 1, "Answer").unwrap();
    s.write_string(1, 0, "Do you encrypt customer data at rest?")
        .unwrap();
    s.write_string(2, 0, "Do you enforce multi-factor authentication?")
        .unwrap();
    s
}

#[test]
fn a_lone_cell_at_xfd1048576_costs_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut book = rust_xlsxwriter::Workbook::new();
    let s = small_questionnaire(&mut book);
    s.write_string(1_048_575, 16_383, "x").unwrap();
    book.save(dir.path().join("far.xlsx")).unwrap();
    let o = run_bounded(dir.path(), &["inspect", "far.xlsx", "--json"], 30);
    assert!(o.status.success(), "{}", util::stderr(&o));
    let v: Value = serde_json::from_str(&util::stdout(&o)).unwrap();
    assert_eq!(v["summary"]["questions"], 2);
}

#[test]
fn a_dropdown_over_the_whole_sheet_is_clamped() {
    let dir = tempfile::tempdir().unwrap();
    let mut book = rust_xlsxwriter::Workbook::new();
    let s = small_questionnaire(&mut book);
    // Content in the last row makes the used range a million rows tall.
    s.write_string(1_048_575, 0, "end").unwrap();
    let dv = rust_xlsxwriter::DataValidation::new()
        .allow_list_formula(rust_xlsxwriter::Formula::new("=$A$1:$XFD$1048576"));
    s.add_data_validation(1, 1, 1_048_575, 1, &dv).unwrap();
    s.add_data_validation(1, 3, 1_048_575, 16_383, &dv).unwrap();
    book.save(dir.path().join("dv.xlsx")).unwrap();
    let o = run_bounded(dir.path(), &["inspect", "dv.xlsx", "--json"], 30);
    assert!(o.status.success(), "{}", util::stderr(&o));
    let v: Value = serde_json::from_str(&util::stdout(&o)).unwrap();
    assert_eq!(v["summary"]["questions"], 2);
}

#[test]
fn a_million_row_csv_is_refused_by_the_row_cap() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.csv");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    writeln!(f, "Question,Answer").unwrap();
    for i in 0..1_000_000 {
        writeln!(f, "Is control {i} in place?,").unwrap();
    }
    f.flush().unwrap();
    drop(f);
    for command in ["inspect", "answer"] {
        let o = run_bounded(dir.path(), &[command, "big.csv"], 60);
        let err = one_line_error(&o, "big.csv");
        assert!(err.contains("--max-rows"), "{err}");
    }
    assert!(!dir.path().join("big.answered.csv").exists());
}

#[test]
fn special_files_are_refused_without_blocking() {
    let dir = tempfile::tempdir().unwrap();
    let o = run_bounded(dir.path(), &["inspect", "/dev/zero"], 10);
    let err = one_line_error(&o, "/dev/zero");
    assert!(err.contains("not a regular file"), "{err}");
    let fifo = dir.path().join("pipe.csv");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if made.is_ok_and(|s| s.success()) {
        let o = run_bounded(dir.path(), &["inspect", "pipe.csv"], 10);
        let err = one_line_error(&o, "pipe.csv");
        assert!(err.contains("FIFO"), "{err}");
    }
    let o = run_bounded(dir.path(), &["inspect", "."], 10);
    assert!(one_line_error(&o, ".").contains("not a regular file"));
}

#[test]
fn caps_name_the_flag_that_raises_them() {
    let dir = tempfile::tempdir().unwrap();
    // File size.
    let mut text = String::from("Question,Answer\n");
    while text.len() < 2 * 1024 * 1024 {
        text.push_str("Do you keep an inventory of every production system?,\n");
    }
    std::fs::write(dir.path().join("size.csv"), &text).unwrap();
    let o = run_bounded(
        dir.path(),
        &["inspect", "size.csv", "--max-file-size", "1"],
        30,
    );
    assert!(one_line_error(&o, "size.csv").contains("--max-file-size"));
    let o = run_bounded(
        dir.path(),
        &["inspect", "size.csv", "--max-file-size", "3"],
        30,
    );
    assert!(o.status.success(), "{}", util::stderr(&o));
    // Cell length.
    let long = format!("Do you {}?", "really ".repeat(30_000));
    std::fs::write(
        dir.path().join("long.csv"),
        format!("Question,Answer\n{long},\nIs data encrypted?,\n"),
    )
    .unwrap();
    let o = run_bounded(dir.path(), &["inspect", "long.csv"], 30);
    assert!(one_line_error(&o, "long.csv").contains("--max-cell-chars"));
    let o = run_bounded(
        dir.path(),
        &["inspect", "long.csv", "--max-cell-chars", "300000"],
        30,
    );
    assert!(o.status.success(), "{}", util::stderr(&o));
    // Columns.
    let header: Vec<String> = (0..1500).map(|i| format!("c{i}")).collect();
    std::fs::write(
        dir.path().join("wide.csv"),
        format!("Question,Answer,{}\nIs MFA on?,,\n", header.join(",")),
    )
    .unwrap();
    let o = run_bounded(dir.path(), &["inspect", "wide.csv"], 30);
    assert!(one_line_error(&o, "wide.csv").contains("--max-cols"));
    let o = run_bounded(
        dir.path(),
        &["inspect", "wide.csv", "--max-cols", "2000"],
        30,
    );
    assert!(o.status.success(), "{}", util::stderr(&o));
}

/// A one-entry library in `dir/answers`.
fn library(dir: &Path, comment: &str) {
    let answers = dir.join("answers");
    std::fs::create_dir_all(&answers).unwrap();
    std::fs::write(
        answers.join("lib.toml"),
        format!(
            "[[entry]]\nid = \"ENC-001\"\nquestion = \"Is customer data encrypted at rest?\"\n\
             answer = \"Yes\"\ncomment = \"{comment}\"\n"
        ),
    )
    .unwrap();
}

#[test]
fn text_over_excel_cell_limit_is_cut_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    library(dir.path(), "AES-256 everywhere.");
    let question = format!(
        "Is customer data encrypted at rest? {}",
        "Context. ".repeat(5_000)
    );
    assert!(question.chars().count() > 40_000);
    std::fs::write(
        dir.path().join("q.csv"),
        format!(
            "Question,Answer,Comment\n\"{question}\",,\nIs customer data encrypted at rest?,,\n"
        ),
    )
    .unwrap();
    let o = run_bounded(
        dir.path(),
        &[
            "answer",
            "q.csv",
            "-o",
            "out.csv",
            "--report",
            "review.xlsx",
            "--json",
            "r.json",
        ],
        60,
    );
    assert!(o.status.success(), "{}", util::stderr(&o));
    let cells = qs::cells(&dir.path().join("review.xlsx"));
    let longest = cells.values().map(|v| v.chars().count()).max().unwrap();
    assert!(longest <= 32_767, "{longest}");
    assert!(
        cells.values().any(|v| v.contains("question truncated")),
        "a note says the question was cut"
    );
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("r.json")).unwrap()).unwrap();
    let full = json["rows"][0]["question"].as_str().unwrap();
    assert!(
        full.chars().count() > 40_000,
        "the JSON keeps the full text"
    );

    // An answer longer than a cell is cut in the customer's workbook too.
    let long_comment = "Encrypted. ".repeat(4_000);
    library(dir.path(), &long_comment);
    let mut book = rust_xlsxwriter::Workbook::new();
    let s = book.add_worksheet();
    for (c, h) in ["Question", "Answer", "Comment"].iter().enumerate() {
        s.write_string(0, c as u16, *h).unwrap();
    }
    s.write_string(1, 0, "Is customer data encrypted at rest?")
        .unwrap();
    book.save(dir.path().join("q.xlsx")).unwrap();
    let o = run_bounded(
        dir.path(),
        &["answer", "q.xlsx", "-o", "out.xlsx", "--json", "r2.json"],
        60,
    );
    assert!(o.status.success(), "{}", util::stderr(&o));
    let out = qs::cells(&dir.path().join("out.xlsx"));
    let comment = &out[&("Sheet1".to_owned(), 2, 2)];
    assert!(comment.chars().count() <= 32_767 && comment.starts_with("Encrypted."));
    let json = std::fs::read_to_string(dir.path().join("r2.json")).unwrap();
    assert!(json.contains("truncated to Excel's limit"), "{json}");
}

#[test]
fn no_output_replaces_the_input_or_another_output() {
    let dir = tempfile::tempdir().unwrap();
    library(dir.path(), "AES-256.");
    let csv = "Question,Answer\nIs customer data encrypted at rest?,\n";
    std::fs::write(dir.path().join("q.csv"), csv).unwrap();
    let mut book = rust_xlsxwriter::Workbook::new();
    small_questionnaire(&mut book);
    book.save(dir.path().join("q.xlsx")).unwrap();
    let xlsx = std::fs::read(dir.path().join("q.xlsx")).unwrap();
    let cases: [(&str, &[&str]); 5] = [
        ("q.csv", &["answer", "q.csv", "--json", "q.csv"]),
        ("q.xlsx", &["answer", "q.xlsx", "--report", "q.xlsx"]),
        ("q.xlsx", &["answer", "q.xlsx", "--json", "./q.xlsx"]),
        (
            "out.xlsx",
            &["answer", "q.xlsx", "-o", "out.xlsx", "--report", "out.xlsx"],
        ),
        (
            "r.json",
            &[
                "answer", "q.csv", "-o", "o.csv", "--json", "r.json", "--report", "r.json",
            ],
        ),
    ];
    for (named, args) in cases {
        let o = run_bounded(dir.path(), args, 30);
        let err = one_line_error(&o, named);
        assert!(
            err.contains("refusing") || err.contains("same file"),
            "{err}"
        );
    }
    assert_eq!(
        std::fs::read_to_string(dir.path().join("q.csv")).unwrap(),
        csv
    );
    assert_eq!(std::fs::read(dir.path().join("q.xlsx")).unwrap(), xlsx);
    for never in [
        "out.xlsx",
        "r.json",
        "o.csv",
        "q.answered.csv",
        "q.answered.xlsx",
    ] {
        assert!(!dir.path().join(never).exists(), "{never} was written");
    }
}

const VSAQ: &str = r#"// A hostile VSAQ.
{"questionnaire": [{"type": "block", "text": "Application", "items": [
  {"type": "line", "id": "app_name", "text": "=HYPERLINK(\"http://evil.example\",\"click\") Name of the application?"},
  {"type": "radiogroup", "text": "Do you encrypt data at rest?",
   "choices": [{"sécurité_é": "Yes"}, {"sécurité_è": "No"}]},
  {"type": "line", "id": "app_url", "text": "@SUM(1+1) What is the public URL?"}
]}]}"#;

#[test]
fn vsaq_with_non_ascii_ids_and_formulas_is_safe() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("app.json"), VSAQ).unwrap();
    let o = run_bounded(dir.path(), &["inspect", "app.json", "--json"], 30);
    assert!(o.status.success(), "{}", util::stderr(&o));
    let v: Value = serde_json::from_str(&util::stdout(&o)).unwrap();
    assert_eq!(v["summary"]["questions"], 3);
    assert_eq!(v["rows"][1]["id"], "sécurité");
    library(dir.path(), "AES-256.");
    let o = run_bounded(dir.path(), &["answer", "app.json", "-o", "app.csv"], 30);
    assert!(o.status.success(), "{}", util::stderr(&o));
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(dir.path().join("app.csv"))
        .unwrap();
    let cells: Vec<String> = reader
        .records()
        .flat_map(|r| r.unwrap().iter().map(str::to_owned).collect::<Vec<_>>())
        .collect();
    assert!(
        cells.iter().any(|c| c.starts_with("'=HYPERLINK")),
        "{cells:?}"
    );
    assert!(cells.iter().any(|c| c.starts_with("'@SUM")), "{cells:?}");
    for c in &cells {
        assert!(!c.starts_with(['=', '+', '-', '@']), "live formula: {c}");
    }
}

#[test]
fn review_obeys_the_confidentiality_filter() {
    // A copy of the demo project: data/controls.csv marks HR-07 internal.
    let project = tempfile::tempdir().unwrap();
    util::copy_dir(
        &util::repo_root().join("data"),
        &project.path().join("data"),
    );
    let answers = project.path().join("answers");
    std::fs::create_dir_all(&answers).unwrap();
    std::fs::write(
        answers.join("lib.toml"),
        r#"
[[entry]]
id = "ENC-001"
question = "Is customer data encrypted at rest?"
answer = "Yes"
comment = "AES-256 on every data store."
controls = ["AC-01", "HR-07"]

[[entry]]
id = "IR-NDA"
question = "Do you keep a digital forensics firm on retainer?"
answer = "Yes"
comment = "MARKER-NDA-5521 retainer with a named firm."
visibility = "nda"
"#,
    )
    .unwrap();
    std::fs::write(
        project.path().join("q.csv"),
        "Question,Answer,Comment\n\
         Is customer data encrypted at rest?,,\n\
         Do you keep a digital forensics firm on retainer?,,\n",
    )
    .unwrap();
    let run = |extra: &[&str]| {
        let mut args = vec![
            "answer",
            "q.csv",
            "-o",
            "out.csv",
            "--json",
            "r.json",
            "--report",
            "review.xlsx",
            "--fill-review",
        ];
        args.extend_from_slice(extra);
        let o = run_bounded(project.path(), &args, 60);
        assert!(o.status.success(), "{}", util::stderr(&o));
        let read = |name: &str| std::fs::read_to_string(project.path().join(name)).unwrap();
        let review: String = qs::cells(&project.path().join("review.xlsx"))
            .into_values()
            .collect::<Vec<_>>()
            .join("\n");
        (read("out.csv"), read("r.json"), review)
    };
    let (out, json, review) = run(&[]);
    let records: Vec<Vec<String>> = csv::Reader::from_reader(out.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    assert_eq!(
        records[1][1], "",
        "no nda answer in the customer's file without --nda"
    );
    for text in [&out, &json, &review] {
        assert!(!text.contains("MARKER-NDA-5521"), "nda text leaked: {text}");
        assert!(!text.contains("HR-07"), "internal control id leaked");
    }
    assert!(
        json.contains("AC-01") && review.contains("AC-01"),
        "public controls stay"
    );
    let (out, json, review) = run(&["--nda"]);
    assert!(
        out.contains("MARKER-NDA-5521"),
        "with --nda the answer is filled"
    );
    assert!(json.contains("MARKER-NDA-5521") && review.contains("MARKER-NDA-5521"));
    assert!(!json.contains("HR-07") && !review.contains("HR-07"));
}

/// An ODS file whose table body is `rows` (table:table-row elements).
fn ods_with_rows(path: &Path, rows: &str) {
    let content = format!(
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8"?>"#,
            r#"<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" "#,
            r#"xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" "#,
            r#"xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">"#,
            r#"<office:body><office:spreadsheet><table:table table:name="Vendor">{}</table:table>"#,
            r#"</office:spreadsheet></office:body></office:document-content>"#
        ),
        rows
    );
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    w.start_file("mimetype", stored).unwrap();
    w.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    w.start_file("content.xml", zip::write::SimpleFileOptions::default())
        .unwrap();
    w.write_all(content.as_bytes()).unwrap();
    std::fs::write(path, w.finish().unwrap().into_inner()).unwrap();
}

fn ods_cell(v: &str) -> String {
    format!(
        r#"<table:table-cell office:value-type="string"><text:p>{v}</text:p></table:table-cell>"#
    )
}

#[test]
fn ods_repeats_cost_only_what_they_hold() {
    let dir = tempfile::tempdir().unwrap();
    let table = [
        format!("<table:table-row>{}{}</table:table-row>", ods_cell("Question"), ods_cell("Answer")),
        format!("<table:table-row>{}</table:table-row>", ods_cell("Do you encrypt backups?")),
        // A million empty rows and a far corner cell: a few bytes of XML.
        r#"<table:table-row table:number-rows-repeated="1048000"><table:table-cell table:number-columns-repeated="16000"/></table:table-row>"#.to_owned(),
        format!(
            r#"<table:table-row><table:table-cell table:number-columns-repeated="16000"/>{}</table:table-row>"#,
            ods_cell("far")
        ),
    ]
    .concat();
    ods_with_rows(&dir.path().join("far.ods"), &table);
    let o = run_bounded(dir.path(), &["inspect", "far.ods", "--json"], 30);
    assert!(o.status.success(), "{}", util::stderr(&o));
    let v: Value = serde_json::from_str(&util::stdout(&o)).unwrap();
    assert_eq!(v["summary"]["questions"], 1);
    // Repeated content is content: the caps stop it.
    let wide = r#"<table:table-row><table:table-cell table:number-columns-repeated="16000" office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>"#;
    ods_with_rows(&dir.path().join("wide.ods"), wide);
    let o = run_bounded(dir.path(), &["inspect", "wide.ods"], 30);
    assert!(one_line_error(&o, "wide.ods").contains("--max-cols"));
    let tall = format!(
        r#"<table:table-row table:number-rows-repeated="1000000">{}</table:table-row>"#,
        ods_cell("Do you encrypt backups?")
    );
    ods_with_rows(&dir.path().join("tall.ods"), &tall);
    let o = run_bounded(dir.path(), &["inspect", "tall.ods"], 30);
    assert!(one_line_error(&o, "tall.ods").contains("--max-rows"));
}
