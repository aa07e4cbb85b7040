//! `vouch inspect FILE [--json]`: show what vouch detects in a
//! questionnaire: each sheet (or why it is skipped), the header row, the id,
//! question, answer and comment columns (letter and header text), the
//! number of questions and the answer column's dropdown values.

use std::path::PathBuf;

use serde::Serialize;

use crate::cli::Global;
use crate::questionnaire::{self, LayoutArgs, Question, SheetLayout};
use crate::util::{print_json, EXIT_OK};

/// Show the detected layout of a questionnaire (CSV, XLSX, XLSM, XLS, ODS, VSAQ JSON).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The questionnaire file.
    pub file: PathBuf,
    #[command(flatten)]
    pub layout: LayoutArgs,
    /// Also list every question row (sheet, row, id, text).
    #[arg(long)]
    pub questions: bool,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct Report<'a> {
    file: String,
    format: questionnaire::Format,
    questions: usize,
    sheets: &'a [SheetLayout],
    #[serde(skip_serializing_if = "Option::is_none")]
    rows: Option<&'a [Question]>,
}

pub fn run(args: &Args, _global: &Global) -> anyhow::Result<u8> {
    let q = questionnaire::read(&args.file, &args.layout.read_options())?;
    if args.json {
        print_json(&Report {
            file: args.file.display().to_string(),
            format: q.format,
            questions: q.questions.len(),
            sheets: &q.sheets,
            rows: args.questions.then_some(q.questions.as_slice()),
        })?;
        return Ok(EXIT_OK);
    }
    println!(
        "{}: {} questionnaire, {} questions",
        args.file.display(),
        q.format.name(),
        q.questions.len()
    );
    for sheet in &q.sheets {
        print_sheet(sheet);
    }
    if args.questions {
        println!();
        for question in &q.questions {
            println!(
                "{}!{}\t{}\t{}",
                question.sheet,
                question.row,
                question.id.as_deref().unwrap_or(""),
                question.text
            );
        }
    }
    Ok(EXIT_OK)
}

fn print_sheet(s: &SheetLayout) {
    let hidden = if s.hidden { " (hidden)" } else { "" };
    let protected = if s.protected { " (protected)" } else { "" };
    println!();
    println!("sheet '{}'{hidden}{protected}", s.name);
    if let Some(reason) = &s.skipped_reason {
        println!("  skipped: {reason}");
        if s.question_col.is_none() {
            return;
        }
    }
    match s.header_row {
        Some(r) => println!("  header row: {r}"),
        None => println!("  header row: none"),
    }
    let col = |label: &str, letter: &Option<String>, header: &Option<String>| match letter {
        Some(l) => println!(
            "  {label:<9} {l}  {}",
            header
                .as_deref()
                .map(|h| format!("{:?}", h.replace('\n', " ")))
                .unwrap_or_default()
        ),
        None => println!("  {label:<9} -"),
    };
    col("id", &s.id_col, &s.id_header);
    col("question", &s.question_col, &s.question_header);
    col("answer", &s.answer_col, &s.answer_header);
    col("comment", &s.comment_col, &s.comment_header);
    println!("  questions: {}", s.questions);
    if !s.vocabulary.is_empty() {
        println!("  dropdown:  {}", s.vocabulary.join(" / "));
    }
}
