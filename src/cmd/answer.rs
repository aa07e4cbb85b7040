//! `vouch answer INPUT [-o OUTPUT] [--library PATH] [--report review.xlsx]
//! [--json report.json] [--min-confidence X] [--fill-review]`
//!
//! Fills a customer's questionnaire (CSV, XLSX/XLSM; XLS/ODS are written back
//! as .xlsx) from the answer library. Only answers at tier `auto` are written
//! unless `--fill-review`; every question gets a row in the review report with
//! its confidence, tier, matched entry, controls and TSC criteria. The input
//! is never modified unless `--in-place`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::answering::{self, AnswerOptions, AnswerRun};
use crate::cli::Global;
use crate::cmd::search::thesaurus_for;
use crate::library;
use crate::matcher::MatchConfig;
use crate::questionnaire::{self, LayoutArgs, WriteOptions, WriteSummary};
use crate::util::{today, write_atomic, Progress, EXIT_OK};

/// Fill a questionnaire from the answer library and write a review report.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The customer's questionnaire (CSV, XLSX, XLSM, XLS, ODS, VSAQ JSON).
    pub input: PathBuf,
    /// Where to write the filled questionnaire [default: INPUT.answered.EXT].
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Answer library: a directory of .toml files or a .csv file [default: answers/].
    #[arg(long, value_name = "PATH")]
    pub library: Option<PathBuf>,
    /// Write the review workbook (.xlsx) here.
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// Write the review report as JSON here (`-` for stdout).
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// Confidence needed to fill an answer automatically (0-1).
    #[arg(long, value_name = "X")]
    pub min_confidence: Option<f64>,
    /// Also fill answers of the review tier (they stay flagged in the report).
    #[arg(long)]
    pub fill_review: bool,
    /// Use library entries past their review date for automatic answers.
    #[arg(long)]
    pub allow_stale: bool,
    /// The recipient is under NDA: entries marked `nda` may be filled automatically.
    #[arg(long)]
    pub nda: bool,
    /// Replace answers and comments already present in the questionnaire.
    #[arg(long)]
    pub overwrite: bool,
    /// Write the answers into INPUT itself.
    #[arg(long, conflicts_with = "output")]
    pub in_place: bool,
    #[command(flatten)]
    pub layout: LayoutArgs,
}

pub fn run(args: &Args, global: &Global) -> Result<u8> {
    let progress = Progress::new(global.quiet);
    progress.update(&format!("reading {}", args.input.display()));
    let q = questionnaire::read(&args.input, &args.layout.read_options())?;
    let library_path = args
        .library
        .clone()
        .unwrap_or_else(|| global.project.join("answers"));
    progress.update("loading the answer library");
    let (library, findings) = library::load(&library_path)?;
    let drafts = library.drafts();
    // Drafts (imported, not yet approved) are never used (contract §3).
    let library = library.without_drafts();
    anyhow::ensure!(
        !library.entries.is_empty(),
        "{}: the answer library has no usable entry{}{}",
        library_path.display(),
        if drafts > 0 {
            format!(" ({drafts} drafts: approve them with `vouch library approve`)")
        } else {
            String::new()
        },
        first_problem(&findings)
    );
    let thesaurus = thesaurus_for(&library_path)?;
    let mut config = MatchConfig::new(today());
    config.allow_stale = args.allow_stale;
    if let Some(x) = args.min_confidence {
        anyhow::ensure!(
            (0.0..=1.0).contains(&x),
            "--min-confidence must be between 0 and 1"
        );
        config.min_confidence = x;
    }
    let opts = AnswerOptions {
        fill_review: args.fill_review,
        nda: args.nda,
        control_criteria: control_criteria(&global.project),
    };
    let run = answering::answer_questionnaire(&q, &library, &thesaurus, config, &opts, progress);

    progress.update("writing the answers");
    let output = output_path(args)?;
    let written = questionnaire::write_filled_with(
        &q,
        &run.fills,
        &output,
        &WriteOptions {
            overwrite_existing: args.overwrite,
            in_place: args.in_place,
        },
    )?;
    write_reports(args, &run)?;
    progress.finish();
    if !global.quiet {
        print_summary(&run, &written);
    }
    Ok(EXIT_OK)
}

/// Control id -> criteria from the project's `data/controls.csv`, when the
/// project has one (a bare CSV library works without it).
fn control_criteria(root: &Path) -> HashMap<String, Vec<String>> {
    match crate::model::load(root) {
        Ok((project, _)) => project
            .controls
            .into_iter()
            .map(|c| (c.id, c.criteria))
            .collect(),
        Err(_) => HashMap::new(),
    }
}

fn first_problem(findings: &[crate::diag::Finding]) -> String {
    findings
        .first()
        .map(|f| format!(" (first problem: {f})"))
        .unwrap_or_default()
}

/// `-o`, or the input itself with `--in-place`, or `NAME.answered.EXT` beside it.
fn output_path(args: &Args) -> Result<PathBuf> {
    if args.in_place {
        return Ok(args.input.clone());
    }
    if let Some(out) = &args.output {
        return Ok(out.clone());
    }
    let stem = args
        .input
        .file_stem()
        .and_then(|s| s.to_str())
        .context("the input file has no name")?;
    let ext = args
        .input
        .extension()
        .and_then(|s| s.to_str())
        .unwrap_or("csv");
    Ok(args.input.with_file_name(format!("{stem}.answered.{ext}")))
}

fn write_reports(args: &Args, run: &AnswerRun) -> Result<()> {
    if let Some(path) = &args.report {
        questionnaire::write_review_xlsx(&run.rows, path)?;
    }
    if let Some(path) = &args.json {
        let text = serde_json::to_string_pretty(&run.rows)? + "\n";
        if path == Path::new("-") {
            print!("{text}");
        } else {
            write_atomic(path, text.as_bytes())?;
        }
    }
    Ok(())
}

fn print_summary(run: &AnswerRun, written: &WriteSummary) {
    let s = &run.summary;
    eprintln!(
        "{} questions: {} auto, {} review, {} none ({} flipped); {} answers written to {} in {:.2}s",
        s.questions,
        s.auto,
        s.review,
        s.none,
        s.flipped,
        written.answers_written,
        written.output.display(),
        s.seconds
    );
    if let Some(from) = written.converted_from {
        eprintln!(
            "note: {} files cannot be written back; wrote an .xlsx copy instead",
            from.name()
        );
    }
    for note in &written.notes {
        eprintln!("note: {note}");
    }
    for cell in &written.skipped {
        eprintln!(
            "skipped {}!{}{}: {}",
            cell.sheet, cell.column, cell.row, cell.reason
        );
    }
}
