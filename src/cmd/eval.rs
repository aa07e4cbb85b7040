//! `vouch eval DIR`: score the matcher on an evaluation set (library.csv +
//! questions.csv with gold_id, gold_answer, kind): top-1 accuracy by kind,
//! abstention precision/recall/F1, answer accuracy (incl. negated rows), a
//! threshold sweep and matching speed.

use std::path::PathBuf;

use crate::cli::Global;
use crate::matcher::{eval, Thesaurus};
use crate::util::{print_json, EXIT_OK, EXIT_PROBLEMS};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The evaluation set: a folder with library.csv and questions.csv.
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Abstention (review) threshold: below it the matcher abstains.
    #[arg(long, value_name = "X")]
    pub min_confidence: Option<f64>,
    /// Exit 1 when a target is missed (top-1 >= 0.90, abstention F1 >= 0.70,
    /// negated answer accuracy >= 0.80).
    #[arg(long)]
    pub check: bool,
    /// Extra thesaurus file (same format as answers/thesaurus.toml).
    #[arg(long, value_name = "FILE")]
    pub thesaurus: Option<PathBuf>,
    /// Only the questions with an odd or even numeric qid (for held-out checks).
    #[arg(long, value_parser = ["odd", "even"])]
    pub half: Option<String>,
    /// List every wrong row.
    #[arg(long)]
    pub errors: bool,
    /// Refit the confidence model on this set and print its weights.
    #[arg(long)]
    pub fit: bool,
}

pub fn run(args: &Args, _global: &Global) -> anyhow::Result<u8> {
    let thesaurus = match &args.thesaurus {
        Some(path) => Thesaurus::with_user_file(path)?,
        None => Thesaurus::builtin(),
    };
    let opts = eval::Options {
        review_threshold: args.min_confidence,
        half: args.half.clone(),
        fit: args.fit,
    };
    let report = eval::run(&args.dir, &thesaurus, &opts)?;
    if args.json {
        // The report's own keys stay at the top level, beside the shared
        // {"summary", "rows"} shape.
        let mut value = serde_json::to_value(&report)?;
        value["summary"] = serde_json::json!({
            "questions": report.questions,
            "answerable": report.answerable,
            "top1": report.top1,
            "abstention": report.abstention,
            "answer_accuracy": report.answer_accuracy,
            "targets_met": report.targets_met,
        });
        print_json(&value)?;
    } else {
        eval::print(&report, args.errors);
    }
    Ok(if args.check && !report.targets_met {
        EXIT_PROBLEMS
    } else {
        EXIT_OK
    })
}
