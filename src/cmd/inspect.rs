//! `vouch inspect FILE [--json] [--questions] [layout flags] [reading caps]`:
//! show what vouch detects in a questionnaire: each sheet with its role
//! (respondent, analyst/scoring, reference/crosswalk, instructions, log) and
//! the evidence for it, the header rows, the id, question, answer and comment
//! columns (letter and header text), the number of questions and the answer
//! column's dropdown values. `--json` prints
//! `{"summary": {...}, "sheets": [...], "rows": [questions...]}`.

use std::path::PathBuf;

use serde::Serialize;

use crate::cli::Global;
use crate::questionnaire::{self, LayoutArgs, Question, Role, SheetLayout};
use crate::util::{print_json, EXIT_OK};

/// Show the detected layout of a questionnaire (CSV, XLSX, XLSM, XLS, ODS, VSAQ JSON).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The questionnaire file.
    pub file: PathBuf,
    #[command(flatten)]
    pub layout: LayoutArgs,
    /// Also list every question row (sheet, row, id, text, existing answer).
    #[arg(long)]
    pub questions: bool,
    /// Print JSON instead of a table (question rows included).
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct Summary {
    file: String,
    format: questionnaire::Format,
    questions: usize,
    sheets: usize,
    respondent_sheets: usize,
    /// Questions whose answer cell already holds an answer.
    answered: usize,
    /// Questions whose answer cell vouch cannot write (formula, locked).
    not_writable: usize,
}

#[derive(Serialize)]
struct Report<'a> {
    summary: Summary,
    sheets: &'a [SheetLayout],
    rows: &'a [Question],
}

pub fn run(args: &Args, _global: &Global) -> anyhow::Result<u8> {
    let q = questionnaire::read(&args.file, &args.layout.read_options())?;
    if args.json {
        print_json(&Report {
            summary: Summary {
                file: args.file.display().to_string(),
                format: q.format,
                questions: q.questions.len(),
                sheets: q.sheets.len(),
                respondent_sheets: q
                    .sheets
                    .iter()
                    .filter(|s| s.role == Role::Respondent)
                    .count(),
                answered: q
                    .questions
                    .iter()
                    .filter(|x| x.existing_answer.is_some())
                    .count(),
                not_writable: q
                    .questions
                    .iter()
                    .filter(|x| x.not_writable.is_some())
                    .count(),
            },
            sheets: &q.sheets,
            rows: &q.questions,
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
            let mut extra = String::new();
            if let Some(a) = &question.existing_answer {
                extra.push_str(&format!("\t[answered: {}]", clip(a, 40)));
            }
            if let Some(why) = &question.not_writable {
                extra.push_str(&format!("\t[not writable: {why}]"));
            }
            println!(
                "{}!{}\t{}\t{}{extra}",
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
    println!(
        "  role:      {} ({})",
        s.role.name(),
        s.role_reasons.join("; ")
    );
    if s.question_col.is_none() {
        if let Some(reason) = &s.skipped_reason {
            println!("  skipped: {reason}");
        }
        return;
    }
    match s.header_row {
        Some(r) => println!("  header row: {r}"),
        None => println!("  header row: none"),
    }
    if s.header_rows.len() > 1 {
        let rows: Vec<String> = s.header_rows.iter().map(u32::to_string).collect();
        println!("  header bands: {}", rows.join(", "));
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
    if s.role == Role::Respondent {
        println!("  questions: {}", s.questions);
    } else {
        println!(
            "  questions: 0 ({} question-like rows, not answered: not a respondent sheet)",
            s.question_rows
        );
    }
    if !s.vocabulary.is_empty() {
        println!("  dropdown:  {}", s.vocabulary.join(" / "));
    }
}

fn clip(s: &str, n: usize) -> String {
    let flat = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= n {
        flat
    } else {
        let mut t: String = flat.chars().take(n).collect();
        t.push('…');
        t
    }
}
