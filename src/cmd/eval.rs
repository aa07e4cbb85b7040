//! `vouch eval DIR [--cv K] [--fit]`: score the matcher on an evaluation set
//! (library.csv + questions.csv with gold_id, gold_answer, kind): top-1
//! accuracy by kind, abstention precision/recall/F1, answer accuracy (incl.
//! negated rows), auto-tier precision and share by kind, polarity flips by
//! kind, a threshold sweep and matching speed. `--cv K` fits the model on
//! K-1 folds and scores the held-out fold (out-of-fold figures: choose
//! settings by these); `--fit` prints the model fitted on the whole set.
//! `--model DIR` (or `VOUCH_MODEL`) scores full mode; `--lexical` the
//! matcher without its meaning signal.

use std::path::PathBuf;

use anyhow::Context;

use crate::cli::Global;
use crate::matcher::{eval, Embedder, Thesaurus};
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
    /// Exit 1 when a sanity floor is missed (top-1 >= 0.80, abstention F1 >=
    /// 0.65, negated answer accuracy >= 0.80).
    #[arg(long)]
    pub check: bool,
    /// The answer library (default: DIR/library.csv): a CSV file or a folder
    /// of TOML files.
    #[arg(long, value_name = "PATH")]
    pub library: Option<PathBuf>,
    /// Extra thesaurus file (same format as answers/thesaurus.toml).
    #[arg(long, value_name = "FILE")]
    pub thesaurus: Option<PathBuf>,
    /// Only the questions with an odd or even numeric qid (for held-out checks).
    #[arg(long, value_parser = ["odd", "even"])]
    pub half: Option<String>,
    /// List every wrong row (and every wrong auto row).
    #[arg(long)]
    pub errors: bool,
    /// K-fold cross-validation: fit on K-1 folds, score the held-out one.
    #[arg(long, value_name = "K", conflicts_with = "fit")]
    pub cv: Option<usize>,
    /// Fit the model (weights and thresholds) on the whole set, print it as
    /// model.toml and score it in-sample.
    #[arg(long)]
    pub fit: bool,
    /// Fitting: L2 penalty of the re-ranking weights ("keep": the shipped ones).
    #[arg(long, value_name = "X", default_value = "0.01")]
    pub l2_rank: String,
    /// Fitting: L2 penalty of the confidence weights.
    #[arg(long, value_name = "X", default_value_t = 0.003)]
    pub l2_conf: f64,
    /// Fitting: the auto threshold is the lowest reaching this precision on
    /// the training questions.
    #[arg(long, value_name = "P", default_value_t = 0.98)]
    pub auto_precision: f64,
    /// Fitting: do not learn from orphans (answerable questions asked again
    /// with their entry removed, where no auto answer is right).
    #[arg(long)]
    pub no_orphans: bool,
    /// Fitting: weight of each orphan as a negative example of the confidence model.
    #[arg(long, value_name = "W", default_value_t = 0.0)]
    pub orphan_weight: f64,
    /// Fitting: key-ask gate levels "ENTRY,QUESTION" (the share of the entry
    /// the question must mention, and of the question the entry must cover),
    /// or "fit" to fit them with the auto threshold.
    #[arg(long, value_name = "E,Q", default_value = "0.75,0.4")]
    pub gates: String,
    #[command(flatten)]
    pub mode: crate::embed::ModeArgs,
    /// Fitting: compute the training features with a thesaurus missing
    /// this share of its phrases (the model then does not lean on wording
    /// the thesaurus was written against); scoring uses the whole thesaurus.
    #[arg(long, value_name = "SHARE", default_value_t = 0.0)]
    pub fit_dropout: f64,
    /// Score with a thesaurus missing this share of its phrases (another
    /// draw than `--fit-dropout`'s): a proxy, on the set the thesaurus was
    /// written against, for wording it has never seen.
    #[arg(long, value_name = "SHARE", default_value_t = 0.0)]
    pub score_dropout: f64,
    /// Fitting: the seed choosing which phrases `--fit-dropout` drops.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub fit_seed: u64,
    /// Score the model in this file (a model.toml printed by `--fit`)
    /// instead of the shipped one.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["fit", "cv"])]
    pub model_file: Option<PathBuf>,
    /// No meaning signal: the lexical matcher alone (for comparisons).
    #[arg(long, conflicts_with_all = ["model", "full"])]
    pub lexical: bool,
}

fn parse_gates(text: &str) -> anyhow::Result<Option<(f64, f64)>> {
    if text == "fit" {
        return Ok(None);
    }
    let bad =
        || anyhow::anyhow!("--gates: expected \"fit\" or two numbers like 0.7,0.4, got {text:?}");
    let (e, q) = text.split_once(',').ok_or_else(bad)?;
    Ok(Some((
        e.trim().parse().map_err(|_| bad())?,
        q.trim().parse().map_err(|_| bad())?,
    )))
}

pub fn run(args: &Args, _global: &Global) -> anyhow::Result<u8> {
    let thesaurus = match &args.thesaurus {
        Some(path) => Thesaurus::with_user_file(path)?,
        None => Thesaurus::builtin(),
    };
    let l2_rank =
        match args.l2_rank.as_str() {
            "keep" => None,
            x => Some(x.parse::<f64>().map_err(|_| {
                anyhow::anyhow!("--l2-rank: expected a number or \"keep\", got {x:?}")
            })?),
        };
    let transformer = if args.lexical {
        None
    } else {
        args.mode.load()?
    };
    let embedder = match (&transformer, args.lexical) {
        (_, true) => Embedder::None,
        (Some(t), _) => Embedder::Full(t),
        (None, _) => Embedder::Static,
    };
    anyhow::ensure!(
        (0.0..1.0).contains(&args.fit_dropout),
        "--fit-dropout: expected a share from 0 to below 1, got {}",
        args.fit_dropout
    );
    anyhow::ensure!(
        (0.0..1.0).contains(&args.score_dropout),
        "--score-dropout: expected a share from 0 to below 1, got {}",
        args.score_dropout
    );
    let fitting = args.fit || args.cv.is_some();
    anyhow::ensure!(
        args.fit_dropout == 0.0 || fitting,
        "--fit-dropout applies to fitting: add --fit or --cv K"
    );
    // Fitting sees the whole thesaurus unless `--fit-dropout` says otherwise,
    // also when scoring does not.
    let fit_thesaurus = if !fitting {
        None
    } else if args.fit_dropout > 0.0 {
        Some(thesaurus.with_dropout(args.fit_dropout, args.fit_seed))
    } else if args.score_dropout > 0.0 {
        Some(thesaurus.clone())
    } else {
        None
    };
    let thesaurus = if args.score_dropout > 0.0 {
        // Another draw than fitting's, so the two do not lack the same words.
        thesaurus.with_dropout(args.score_dropout, args.fit_seed.wrapping_add(1_000))
    } else {
        thesaurus
    };
    let model = match &args.model_file {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            Some(
                crate::matcher::Model::from_fitted_toml(&text)
                    .with_context(|| format!("{}: invalid model", path.display()))?,
            )
        }
        None => None,
    };
    let opts = eval::Options {
        model,
        embedder,
        fit_thesaurus: fit_thesaurus.as_ref(),
        review_threshold: args.min_confidence,
        half: args.half.clone(),
        fit: args.fit,
        cv: args.cv,
        library: args.library.clone(),
        settings: eval::FitSettings {
            l2_rank,
            l2_conf: args.l2_conf,
            auto_precision: args.auto_precision,
            orphans: !args.no_orphans,
            orphan_weight: args.orphan_weight,
            gates: parse_gates(&args.gates)?,
        },
    };
    let report = eval::run(&args.dir, &thesaurus, &opts)?;
    if args.json {
        print_json(&report)?;
    } else {
        eval::print(&report, args.errors);
    }
    Ok(if args.check && !report.summary.targets_met {
        EXIT_PROBLEMS
    } else {
        EXIT_OK
    })
}
