//! `vouch answer INPUT [-o OUTPUT] [--library PATH] [--report review.xlsx]
//! [--json report.json] [--min-confidence X] [--fill-review] [--nda]
//! [--allow-stale] [--overwrite] [--in-place] [--model DIR | --full] [layout flags]
//! [reading caps]`
//!
//! Fills a customer's questionnaire (CSV, XLSX/XLSM; XLS/ODS are written back
//! as .xlsx) from the answer library, on its respondent sheets only. Only
//! answers at tier `auto` are written unless `--fill-review`; a row that
//! already holds an answer is kept (nothing is written beside it) unless
//! `--overwrite`. Every question gets a row in the review report with its
//! confidence, tier, status (written, kept, left empty, skipped), the answer
//! already in the file, the matched entry, controls and TSC criteria. Every
//! output is built and checked before any is written; the input is never
//! modified unless `--in-place`. `--model DIR` (or `VOUCH_MODEL`) matches in
//! full mode: the sentence-embedding transformer replaces the static table.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::answering::{self, AnswerOptions, AnswerRun};
use crate::cli::Global;
use crate::cmd::search::thesaurus_for;
use crate::library;
use crate::matcher::{Embedder, MatchConfig};
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
    #[command(flatten)]
    pub mode: crate::embed::ModeArgs,
}

pub fn run(args: &Args, global: &Global) -> Result<u8> {
    let progress = Progress::new(global.quiet);
    progress.update(&format!("reading {}", args.input.display()));
    let q = questionnaire::read(&args.input, &args.layout.read_options())?;
    let output = q.output_path_for(&output_path(args)?);
    check_outputs(args, &output)?;
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
    let (control_criteria, internal_controls) = project_controls(&global.project);
    let opts = AnswerOptions {
        fill_review: args.fill_review,
        nda: args.nda,
        control_criteria,
        internal_controls,
    };
    let transformer = args.mode.load()?;
    let embedder = match &transformer {
        Some(t) => Embedder::Full(t),
        None => Embedder::Static,
    };
    let mut run = answering::answer_questionnaire(
        &q, &library, &thesaurus, config, embedder, &opts, progress,
    )?;

    // Build every output in memory first: nothing is written unless all of
    // them can be.
    let write_opts = WriteOptions {
        overwrite_existing: args.overwrite,
        in_place: args.in_place,
    };
    progress.update("writing the answers");
    let plan = questionnaire::plan_fill(&q, &run.fills, &write_opts);
    let filled = questionnaire::render_filled(&q, plan, &output, &write_opts)?;
    run.record_outcomes(&filled.summary);
    let report = match &args.report {
        Some(path) => Some(questionnaire::render_review_xlsx(
            &run.rows,
            &run.summary,
            path,
        )?),
        None => None,
    };
    let json = match &args.json {
        Some(_) => Some(json_report(args, &filled.path, &run)?),
        None => None,
    };
    write_atomic(&filled.path, &filled.bytes)?;
    if let (Some(path), Some(bytes)) = (&args.report, &report) {
        write_atomic(path, bytes)?;
    }
    if let (Some(path), Some(text)) = (&args.json, &json) {
        if path == Path::new("-") {
            print!("{text}");
        } else {
            write_atomic(path, text.as_bytes())?;
        }
    }
    progress.finish();
    if !global.quiet {
        print_summary(&run, &filled.summary);
        print_sheets_left_alone(&q.sheets);
    }
    Ok(EXIT_OK)
}

/// Refuses an output that is the questionnaire itself (unless `--in-place`
/// for the filled file) or the same file as another output, before anything
/// is written.
fn check_outputs(args: &Args, filled: &Path) -> Result<()> {
    let input = comparable(&args.input);
    let mut outputs: Vec<(&str, PathBuf)> =
        vec![("the filled questionnaire", filled.to_path_buf())];
    if let Some(p) = &args.report {
        outputs.push(("--report", p.clone()));
    }
    if let Some(p) = args.json.as_ref().filter(|p| p.as_os_str() != "-") {
        outputs.push(("--json", p.clone()));
    }
    for (i, (what, path)) in outputs.iter().enumerate() {
        let here = comparable(path);
        let allowed_in_place = i == 0 && args.in_place;
        if here == input && !allowed_in_place {
            let hint = if i == 0 {
                "choose another output or pass --in-place"
            } else {
                "choose another file"
            };
            anyhow::bail!(
                "{}: refusing to overwrite the questionnaire itself with {what}; {hint}",
                path.display()
            );
        }
        if let Some((other, _)) = outputs[..i].iter().find(|(_, p)| comparable(p) == here) {
            anyhow::bail!(
                "{}: {what} and {other} would be the same file; choose different paths",
                path.display()
            );
        }
    }
    Ok(())
}

/// A path that compares equal for the same file: canonical when it exists,
/// else its canonical folder joined with its name.
fn comparable(path: &Path) -> PathBuf {
    if let Ok(p) = path.canonicalize() {
        return p;
    }
    let name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    match dir.canonicalize() {
        Ok(d) => d.join(name),
        Err(_) => std::env::current_dir()
            .map(|cwd| cwd.join(path))
            .unwrap_or_else(|_| path.to_path_buf()),
    }
}

/// `{"summary": {...}, "rows": [...]}` with the input and output files.
fn json_report(args: &Args, output: &Path, run: &AnswerRun) -> Result<String> {
    let value = serde_json::json!({
        "file": args.input.display().to_string(),
        "output": output.display().to_string(),
        "summary": run.summary,
        "rows": run.rows,
    });
    Ok(serde_json::to_string_pretty(&value)? + "\n")
}

/// Control id -> criteria, and the internal controls, from the project's
/// `data/controls.csv` when the project has one (a bare CSV library works
/// without it).
fn project_controls(root: &Path) -> (HashMap<String, Vec<String>>, HashSet<String>) {
    match crate::model::load(root) {
        Ok((project, _)) => {
            let internal = project
                .controls
                .iter()
                .filter(|c| c.visibility == crate::model::Visibility::Internal)
                .map(|c| c.id.clone())
                .collect();
            let criteria = project
                .controls
                .into_iter()
                .map(|c| (c.id, c.criteria))
                .collect();
            (criteria, internal)
        }
        Err(_) => Default::default(),
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

/// Sheets that look like questionnaires but are not the vendor's.
fn print_sheets_left_alone(sheets: &[questionnaire::SheetLayout]) {
    for s in sheets
        .iter()
        .filter(|s| s.question_rows > 0 && s.role != questionnaire::Role::Respondent)
    {
        eprintln!(
            "note: sheet '{}' left alone: {} ({}); --sheet answers it anyway",
            s.name,
            s.role.name(),
            s.role_reasons.first().map(String::as_str).unwrap_or("")
        );
    }
}

fn print_summary(run: &AnswerRun, written: &WriteSummary) {
    let s = &run.summary;
    eprintln!(
        "{} questions: {} auto, {} review, {} none ({} flipped); {} answers written, {} kept \
         ({} where the file and the library disagree), {} skipped, {} left empty; wrote {} in {:.2}s",
        s.questions,
        s.auto,
        s.review,
        s.none,
        s.flipped,
        s.written,
        s.kept,
        s.disagree,
        s.skipped,
        s.left_empty,
        written.output.display(),
        s.seconds
    );
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
