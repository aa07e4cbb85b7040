//! `vouch library import FILE... [--dry-run] [--owner NAME] [--json]`
//! `vouch library import --from-review review.xlsx [--dry-run] [--json]`
//!
//! Harvests the question / answer / comment of every answered row of past
//! questionnaires (CSV, XLSX, XLS, ODS, VSAQ; the layout is detected as for
//! `vouch answer`). A confident match with the same answer adds the wording
//! as a draft variant of that entry; a confident match with another answer
//! is a conflict (reported, nothing written); anything else becomes a new
//! draft entry in `answers/imported-<file>.toml`. With `--from-review`, the
//! reviewer's decisions in a review workbook become variants (approved:
//! the reviewer approved them), conflicts and new drafts.
//!
//! Importing the same file twice changes nothing the second time. Exit 1
//! when conflicts were found, 2 when a file cannot be read (nothing is
//! written then).

use std::path::PathBuf;

use anyhow::Result;
use serde_json::json;

use super::{load_or_empty, require_dir, unknown_ids, LibraryArg};
use crate::cli::Global;
use crate::library::import::{self, Action, ImportOptions, ImportRow, Plan};
use crate::library::review_in::{self, Decision};
use crate::library::{harvest, thesaurus_for};
use crate::matcher::MatchConfig;
use crate::questionnaire::LayoutArgs;
use crate::util::{print_json, today, EXIT_ERROR, EXIT_OK, EXIT_PROBLEMS};

/// Learn from answered questionnaires or a review workbook.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Answered questionnaires (CSV, XLSX, XLSM, XLS, ODS, VSAQ JSON).
    #[arg(value_name = "FILE", required_unless_present = "from_review")]
    pub files: Vec<PathBuf>,
    /// Read the reviewer's decisions from a review workbook instead.
    #[arg(long, value_name = "REVIEW.xlsx", conflicts_with = "files")]
    pub from_review: Option<PathBuf>,
    /// Show what would change; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Owner of the new draft entries.
    #[arg(long, value_name = "NAME")]
    pub owner: Option<String>,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub library: LibraryArg,
    #[command(flatten)]
    pub layout: LayoutArgs,
}

pub fn run(args: &Args, global: &Global) -> Result<u8> {
    let dir = args.library.path(global);
    require_dir(&dir)?;
    let (before, _findings) = load_or_empty(&dir)?;
    let thesaurus = thesaurus_for(&dir)?;
    let mut config = MatchConfig::new(today());
    // Import compares with every entry, whatever its use for customers.
    config.include_internal = true;
    config.allow_stale = true;
    let opts = ImportOptions {
        dir: dir.clone(),
        owner: args.owner.clone(),
        config,
    };
    let mut lib = before.clone();
    let mut plan = Plan::default();
    // Question rows without an answer, and rows whose answer is a reference.
    let (mut unanswered, mut not_answers) = (0, 0);
    if let Some(review) = &args.from_review {
        let (decisions, problems) = review_in::read_review(review)?;
        let mut problems: Vec<String> = problems.iter().map(ToString::to_string).collect();
        let ids: Vec<&str> = decisions
            .iter()
            .filter(|d| d.decision == Decision::UseEntry)
            .filter_map(|d| d.use_entry.as_deref())
            .collect();
        problems.extend(unknown_ids(&lib, &ids, &dir));
        if !problems.is_empty() {
            for p in &problems {
                eprintln!("{p}");
            }
            eprintln!("vouch: error: nothing imported: fix the review workbook first");
            return Ok(EXIT_ERROR);
        }
        plan = import::plan_review(&mut lib, review, &decisions, &opts);
    } else {
        // Read every file first: one unreadable file stops the import
        // before anything is written.
        let mut harvests = Vec::new();
        for file in &args.files {
            harvests.push((file, harvest::harvest(file, &args.layout.read_options())?));
        }
        for (file, h) in harvests {
            unanswered += h.unanswered;
            not_answers += h.not_answers;
            let p = import::plan_questionnaire(&mut lib, &thesaurus, file, &h.answered, &opts);
            plan.rows.extend(p.rows);
            plan.changes.extend(p.changes);
        }
    }
    let written = import::apply(&before, &plan.changes, args.dry_run)?;
    let summary = plan.summary();
    if args.json {
        let mut counts = serde_json::to_value(&summary)?;
        counts["unanswered"] = json!(unanswered);
        counts["not_answers"] = json!(not_answers);
        print_json(&json!({
            "summary": counts,
            "dry_run": args.dry_run,
            "files": written,
            "rows": plan.rows,
        }))?;
    } else {
        print_text(&plan, &written, args.dry_run, global.quiet);
        if unanswered + not_answers > 0 && !global.quiet {
            eprintln!(
                "({unanswered} question rows without an answer and {not_answers} holding a reference such as APPL-01 were left out)"
            );
        }
    }
    Ok(if summary.conflicts > 0 {
        EXIT_PROBLEMS
    } else {
        EXIT_OK
    })
}

fn print_text(plan: &Plan, written: &[PathBuf], dry_run: bool, quiet: bool) {
    for row in plan.rows.iter().filter(|r| r.action == Action::Conflict) {
        println!("{}", conflict_line(row));
    }
    if !quiet {
        for row in plan
            .rows
            .iter()
            .filter(|r| !r.note.is_empty() && r.action != Action::Conflict)
        {
            eprintln!("{}: note: {}", place(row), row.note);
        }
    }
    let s = plan.summary();
    let verb = if dry_run { "would change" } else { "changed" };
    println!(
        "{} rows: {} already known, {} new variants, {} new draft entries, {} conflicts, {} skipped",
        s.rows, s.known, s.variants, s.new, s.conflicts, s.skipped
    );
    if written.is_empty() {
        println!("nothing to write: the library is unchanged");
    } else {
        for f in written {
            println!("{verb} {}", f.display());
        }
        if !dry_run && s.new > 0 {
            println!(
                "new entries are drafts: review them, add controls, then `vouch library approve ID...`"
            );
        }
    }
}

fn place(row: &ImportRow) -> String {
    let qid = row
        .qid
        .as_deref()
        .map(|q| format!(" ({q})"))
        .unwrap_or_default();
    format!("{}: '{}' row {}{qid}", row.file, row.sheet, row.row)
}

/// `file: 'Sheet' row 12 (ID): conflict: "question" is answered No here; IAM-003 says Yes`
fn conflict_line(row: &ImportRow) -> String {
    let q: String = row.question.chars().take(80).collect();
    let ellipsis = if row.question.chars().count() > 80 {
        "…"
    } else {
        ""
    };
    let confidence = row
        .confidence
        .map(|c| format!(", confidence {c:.2}"))
        .unwrap_or_default();
    format!(
        "{}: conflict: \"{q}{ellipsis}\" is answered {:?} here; entry {} says {:?}{confidence} ({}): nothing written",
        place(row),
        row.answer,
        row.entry.as_deref().unwrap_or("?"),
        row.entry_answer.as_deref().unwrap_or(""),
        row.note
    )
}
