//! Scoring the matcher on an evaluation set laid out like `shared/eval/dev`:
//! `library.csv` + `questions.csv` (`qid, question, gold_id, gold_answer, kind`).
//!
//! Three ways to run it:
//! - in-sample, with the shipped model (`vouch eval DIR`);
//! - k-fold cross-validation (`--cv K`): the re-ranking weights, the
//!   confidence weights and both thresholds are fitted on K-1 folds of the
//!   questions and the held-out fold is scored, so every figure is out of
//!   fold; this is how settings are chosen;
//! - `--fit`: the model fitted on the whole set (printed as `model.toml`),
//!   scored in-sample.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

use anyhow::Context;
use serde::Serialize;

use super::model::{self, Model, CONF_FEATURES, RANK_FEATURES};
use super::{fit, Candidate, Match, MatchConfig, Matcher, QuestionType, Thesaurus, Tier};
use crate::library::{self, Library};

/// Targets of `vouch eval --check` (sanity floors for CI, not goals: the
/// goals are judged on sets the matcher never saw).
pub const TARGET_TOP1: f64 = 0.80;
pub const TARGET_ABSTAIN_F1: f64 = 0.65;
pub const TARGET_NEGATED: f64 = 0.80;

#[derive(Debug, Clone)]
pub struct Question {
    pub qid: String,
    pub question: String,
    pub gold_id: String,
    pub gold_answer: String,
    pub kind: String,
}

/// One scored row.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub qid: String,
    pub kind: String,
    pub gold_id: String,
    pub gold_answer: String,
    /// Top-1 id (even when abstaining) and its confidence.
    pub top_id: String,
    pub confidence: f64,
    pub tier: Tier,
    /// The Yes/No/N/A the matcher gives (after a flip), whatever the
    /// question type; compared with `gold_answer`.
    pub answer: String,
    pub flipped: bool,
    pub question_type: QuestionType,
    /// A gate kept the match out of the auto tier.
    pub held_back: bool,
    /// The fold that scored this row (cross-validation only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fold: Option<usize>,
    /// The confidence model's inputs for the top candidate, in the order of
    /// `model::CONF_FEATURES` (for curating and refitting).
    pub features: Vec<f64>,
    /// All features of the top candidate, by name.
    pub detail: Option<super::Features>,
    /// Why the match is held back or abstains.
    pub reasons: Vec<String>,
}

impl Row {
    pub fn answerable(&self) -> bool {
        !self.gold_id.is_empty()
    }
    fn picked(&self) -> bool {
        self.tier != Tier::None
    }
    fn id_ok(&self) -> bool {
        self.picked() && self.top_id == self.gold_id
    }
    fn answer_ok(&self) -> bool {
        self.picked() && self.answer.eq_ignore_ascii_case(&self.gold_answer)
    }
    /// Right entry and right answer.
    fn right(&self) -> bool {
        self.answerable() && self.id_ok() && self.answer_ok()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Ratio {
    pub hits: usize,
    pub total: usize,
    pub value: f64,
}

fn ratio(hits: usize, total: usize) -> Ratio {
    Ratio {
        hits,
        total,
        value: if total == 0 {
            0.0
        } else {
            hits as f64 / total as f64
        },
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Abstention {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub abstained: usize,
    pub recall_by_kind: BTreeMap<String, Ratio>,
}

/// The auto tier: how much of a questionnaire is filled without a human,
/// and how often that is right (right entry AND right answer).
#[derive(Debug, Clone, Serialize)]
pub struct AutoTier {
    /// Auto rows among all rows.
    pub share: Ratio,
    /// Right rows among auto rows.
    pub precision: Ratio,
    pub by_kind: BTreeMap<String, AutoKind>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AutoKind {
    pub share: Ratio,
    pub precision: Ratio,
}

/// Polarity flips of one kind: how many answered rows were flipped, and how
/// many of those flips gave the right answer.
#[derive(Debug, Clone, Serialize)]
pub struct Flips {
    pub flipped: usize,
    pub right: usize,
    pub answered: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct SweepPoint {
    pub threshold: f64,
    pub top1: f64,
    pub abstain_precision: f64,
    pub abstain_recall: f64,
    pub abstain_f1: f64,
    pub answer_accuracy: f64,
}

/// Answerable questions asked again with their entry removed from the
/// library: any auto answer is wrong, abstaining is right.
#[derive(Debug, Clone, Serialize)]
pub struct Orphans {
    pub questions: usize,
    /// Auto answers (all wrong): the lower the better.
    pub auto: Ratio,
    pub review: usize,
    /// Abstentions (right).
    pub none: Ratio,
    pub auto_by_kind: BTreeMap<String, Ratio>,
}

/// The thresholds one fold was fitted to.
#[derive(Debug, Clone, Serialize)]
pub struct FoldInfo {
    pub fold: usize,
    pub questions: usize,
    pub auto: f64,
    pub review: f64,
    pub min_entry_cov: f64,
    pub min_question_cov: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct CvInfo {
    pub k: usize,
    pub folds: Vec<FoldInfo>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// `in-sample` (shipped model), `fitted in-sample` (--fit) or
    /// `out-of-fold` (--cv).
    pub mode: String,
    /// Where the meaning signal came from: `lexical` (none), `default` (the
    /// static table) or `full` (the transformer).
    pub meaning: String,
    pub questions: usize,
    pub answerable: usize,
    pub auto_threshold: f64,
    pub review_threshold: f64,
    pub top1: Ratio,
    pub top1_by_kind: BTreeMap<String, Ratio>,
    pub abstention: Abstention,
    pub answer_accuracy: Ratio,
    pub answer_accuracy_negated: Ratio,
    pub answer_accuracy_given_correct_id: Ratio,
    pub auto: AutoTier,
    pub flips_by_kind: BTreeMap<String, Flips>,
    pub orphans: Orphans,
    pub open_questions: usize,
    pub sweep: Vec<SweepPoint>,
    pub index_ms: f64,
    pub questions_per_second: f64,
    pub targets_met: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cv: Option<CvInfo>,
    /// The fitted model as `model.toml` text (`--fit`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fitted_model: Option<String>,
}

/// `{"summary": ..., "rows": [...]}`, as every `--json` output.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub summary: Summary,
    pub rows: Vec<Row>,
    /// The orphan rows (answerable questions asked without their entry).
    pub orphan_rows: Vec<Row>,
}

/// Reads `questions.csv`.
pub fn read_questions(path: &Path) -> anyhow::Result<Vec<Question>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut rdr = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let header: Vec<String> = rdr
        .headers()?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .with_context(|| format!("{}: missing column {name:?}", path.display()))
    };
    let (qid, question, gold_id, gold_answer) = (
        col("qid")?,
        col("question")?,
        col("gold_id")?,
        col("gold_answer")?,
    );
    let kind = header.iter().position(|h| h == "kind");
    let mut out = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.with_context(|| format!("{}:{}: unreadable row", path.display(), i + 2))?;
        let get = |j: usize| rec.get(j).unwrap_or("").trim().to_string();
        out.push(Question {
            qid: get(qid),
            question: get(question),
            gold_id: get(gold_id),
            gold_answer: get(gold_answer),
            kind: kind.map(get).unwrap_or_else(|| "all".into()),
        });
    }
    Ok(out)
}

/// How a model is fitted (the settings `--cv` compares).
#[derive(Debug, Clone)]
pub struct FitSettings {
    /// L2 penalty of the re-ranking weights; None keeps the shipped ones.
    pub l2_rank: Option<f64>,
    /// L2 penalty of the confidence weights.
    pub l2_conf: f64,
    /// The auto threshold is the lowest at which the auto tier of the
    /// training questions reaches this precision.
    pub auto_precision: f64,
    /// Also learn from "orphans": each answerable training question asked
    /// again with its entry removed from the library, where the right
    /// outcome is no auto answer (the commonest failure on questionnaires
    /// nobody tuned for: a question the library does not cover that shares
    /// words with an entry). The auto threshold then counts their auto
    /// answers as wrong.
    pub orphans: bool,
    /// Weight of each orphan, as a negative example, in the confidence fit
    /// (0: the confidence model never sees them).
    pub orphan_weight: f64,
    /// Fixed key-ask gate levels (entry coverage, question coverage); None:
    /// fitted with the auto threshold.
    pub gates: Option<(f64, f64)>,
}

impl Default for FitSettings {
    fn default() -> Self {
        FitSettings {
            l2_rank: Some(0.01),
            l2_conf: 0.003,
            auto_precision: 0.98,
            orphans: true,
            orphan_weight: 0.0,
            gates: Some(DEFAULT_GATES),
        }
    }
}

/// Options of one evaluation run.
#[derive(Default)]
pub struct Options<'m> {
    pub review_threshold: Option<f64>,
    /// "odd" / "even": only questions whose numeric qid has that parity.
    pub half: Option<String>,
    /// Fit the model on the whole set and score it in-sample.
    pub fit: bool,
    /// K-fold cross-validation.
    pub cv: Option<usize>,
    pub settings: FitSettings,
    /// The library (default: `DIR/library.csv`): a CSV file or a folder of TOML files.
    pub library: Option<std::path::PathBuf>,
    /// The meaning signal (default mode: the static table).
    pub embedder: super::Embedder<'m>,
    /// Fit on features computed with this thesaurus (one with some of its
    /// phrases dropped, `--fit-dropout`), score with the real one.
    pub fit_thesaurus: Option<&'m Thesaurus>,
    /// Score this model instead of the shipped one (`--model-file`).
    pub model: Option<Model>,
}

/// Runs the matcher over the set in `dir`.
pub fn run(dir: &Path, thesaurus: &Thesaurus, opts: &Options) -> anyhow::Result<Report> {
    let library_path = opts
        .library
        .clone()
        .unwrap_or_else(|| dir.join("library.csv"));
    let (lib, findings) = library::load(&library_path)?;
    let lib = lib.without_drafts();
    if let Some(err) = findings
        .iter()
        .find(|f| f.severity == crate::diag::Severity::Error)
    {
        anyhow::bail!("{err}");
    }
    let mut questions = read_questions(&dir.join("questions.csv"))?;
    if let Some(half) = &opts.half {
        let want_odd = half == "odd";
        questions.retain(|q| {
            let n: u64 = q
                .qid
                .chars()
                .filter(char::is_ascii_digit)
                .collect::<String>()
                .parse()
                .unwrap_or(0);
            (n % 2 == 1) == want_odd
        });
    }
    let mut cfg = MatchConfig::new(chrono::Local::now().date_naive());
    cfg.include_internal = true;
    cfg.allow_stale = true;
    let started = Instant::now();
    let mut matcher = Matcher::with_embedder(&lib, thesaurus, cfg, opts.embedder)?;
    let index_ms = started.elapsed().as_secs_f64() * 1000.0;
    let started = Instant::now();
    let all: Vec<usize> = (0..questions.len()).collect();
    let texts: Vec<&str> = questions.iter().map(|q| q.question.as_str()).collect();
    matcher.prepare(&texts)?;
    let pre = Precomputed::new(&matcher, &lib, &questions);
    // What the model is fitted with, when not the scoring matcher: a
    // matcher whose thesaurus lacks some wording, and its candidates.
    let mut fitting = match opts.fit_thesaurus {
        Some(t) => {
            let m = Matcher::with_embedder(&lib, t, matcher.config().clone(), opts.embedder)?;
            m.prepare(&texts)?;
            let p = Precomputed::new(&m, &lib, &questions);
            Some((m, p))
        }
        None => None,
    };
    let (mode, rows, orphan_rows, cv, fitted_model) = if let Some(k) = opts.cv {
        anyhow::ensure!(
            k >= 2 && k <= questions.len(),
            "--cv needs 2 to {} folds",
            questions.len()
        );
        let (rows, orphans, cv) = cross_validate(
            &mut matcher,
            fitting.as_mut().map(|(m, p)| (m, &*p)),
            &lib,
            &questions,
            &pre,
            k,
            &opts.settings,
        );
        ("out-of-fold", rows, orphans, Some(cv), None)
    } else if opts.fit {
        let model = match fitting.as_mut() {
            Some((m, p)) => fit_model(m, &lib, &questions, p, &all, &opts.settings),
            None => fit_model(&mut matcher, &lib, &questions, &pre, &all, &opts.settings),
        };
        let text = match opts.embedder {
            super::Embedder::Full(_) => model.to_toml_full(),
            _ => model.to_toml(),
        };
        // Scored as printed (weights rounded to 3 decimals), so that the
        // printed model file reproduces these figures exactly.
        let model = Model::from_fitted_toml(&text).expect("a fitted model reads back");
        use_model(&mut matcher, &model, opts.review_threshold);
        let rows = score(&matcher, &lib, &questions, &all, None);
        let orphans = score_orphans(&matcher, &lib, &questions, &pre, &all, None);
        ("fitted in-sample", rows, orphans, None, Some(text))
    } else {
        let shipped = match &opts.model {
            Some(m) => m.for_mode(opts.embedder).clone(),
            None => Model::for_embedder(opts.embedder).clone(),
        };
        use_model(&mut matcher, &shipped, opts.review_threshold);
        let rows = score(&matcher, &lib, &questions, &all, None);
        let orphans = score_orphans(&matcher, &lib, &questions, &pre, &all, None);
        ("in-sample", rows, orphans, None, None)
    };
    let secs = started.elapsed().as_secs_f64().max(1e-9);
    let cfg = matcher.config();
    let mut summary = summarize(
        &rows,
        &orphan_rows,
        mode,
        (cfg.min_confidence, cfg.review_confidence),
        index_ms,
        questions.len() as f64 / secs,
        cv,
        fitted_model,
    );
    summary.meaning = opts.embedder.mode().to_string();
    Ok(Report {
        summary,
        rows,
        orphan_rows,
    })
}

/// What fitting needs that does not depend on the model: every question's
/// retrieved candidates, with and without its gold entry.
struct Precomputed {
    cands: Vec<Vec<Candidate>>,
    /// The gold entry's index, for answerable questions.
    gold: Vec<Option<usize>>,
    orphan_cands: Vec<Option<Vec<Candidate>>>,
}

impl Precomputed {
    fn new(matcher: &Matcher, lib: &Library, questions: &[Question]) -> Self {
        let gold: Vec<Option<usize>> = questions.iter().map(|q| lib.position(&q.gold_id)).collect();
        Precomputed {
            cands: questions
                .iter()
                .map(|q| matcher.candidates(&q.question))
                .collect(),
            orphan_cands: questions
                .iter()
                .zip(&gold)
                .map(|(q, g)| g.map(|g| matcher.candidates_without(&q.question, Some(g))))
                .collect(),
            gold,
        }
    }
}

/// Answerable questions among `idx`, answered without their entry.
fn score_orphans(
    matcher: &Matcher,
    lib: &Library,
    questions: &[Question],
    pre: &Precomputed,
    idx: &[usize],
    fold: Option<usize>,
) -> Vec<Row> {
    idx.iter()
        .filter_map(|&i| {
            let gold = pre.gold[i]?;
            let m = matcher.answer_without(&questions[i].question, gold);
            let orphan = Question {
                qid: format!("{}~orphan", questions[i].qid),
                gold_id: String::new(),
                gold_answer: String::new(),
                ..questions[i].clone()
            };
            Some(row(matcher, lib, &orphan, m, fold, Some(gold)))
        })
        .collect()
}

fn use_model(matcher: &mut Matcher, model: &Model, review: Option<f64>) {
    matcher.set_model(model.clone());
    let review = review.unwrap_or(model.review);
    // A review threshold above the auto one (`--min-confidence 1.01`) means
    // nothing is filled, automatically or not.
    matcher.set_thresholds(model.auto.max(review), review);
}

/// Scores questions `idx` as one run (the run-level checks see them all).
fn score(
    matcher: &Matcher,
    lib: &Library,
    questions: &[Question],
    idx: &[usize],
    fold: Option<usize>,
) -> Vec<Row> {
    let texts: Vec<&str> = idx
        .iter()
        .map(|&i| questions[i].question.as_str())
        .collect();
    let matches = matcher.answer_all(&texts);
    idx.iter()
        .zip(matches)
        .map(|(&i, m)| row(matcher, lib, &questions[i], m, fold, None))
        .collect()
}

fn row(
    matcher: &Matcher,
    lib: &Library,
    q: &Question,
    m: Match,
    fold: Option<usize>,
    without: Option<usize>,
) -> Row {
    let top = matcher.search_without(&q.question, 1, without);
    let features = top
        .first()
        .map(|c| model::vector(CONF_FEATURES, &c.features))
        .unwrap_or_default();
    let detail = top.first().map(|c| c.features.clone());
    Row {
        qid: q.qid.clone(),
        kind: q.kind.clone(),
        gold_id: q.gold_id.clone(),
        gold_answer: q.gold_answer.clone(),
        top_id: m
            .closest
            .map(|i| lib.entries[i].id.clone())
            .unwrap_or_default(),
        confidence: m.confidence,
        tier: m.tier,
        answer: m.verdict.clone().unwrap_or_default(),
        flipped: m.flipped,
        question_type: m.question_type,
        held_back: m.held_back,
        fold,
        features,
        detail,
        reasons: m.reasons,
    }
}

/// K-fold cross-validation: fold `f` holds the questions `i` with
/// `i % k == f` (the set's row order is already shuffled).
fn cross_validate(
    matcher: &mut Matcher,
    mut fitting: Option<(&mut Matcher, &Precomputed)>,
    lib: &Library,
    questions: &[Question],
    pre: &Precomputed,
    k: usize,
    settings: &FitSettings,
) -> (Vec<Row>, Vec<Row>, CvInfo) {
    let mut rows = Vec::with_capacity(questions.len());
    let mut orphans = Vec::new();
    let mut folds = Vec::with_capacity(k);
    for f in 0..k {
        let train: Vec<usize> = (0..questions.len()).filter(|i| i % k != f).collect();
        let test: Vec<usize> = (0..questions.len()).filter(|i| i % k == f).collect();
        let model = match fitting.as_mut() {
            Some((m, p)) => fit_model(m, lib, questions, p, &train, settings),
            None => fit_model(matcher, lib, questions, pre, &train, settings),
        };
        use_model(matcher, &model, None);
        rows.extend(score(matcher, lib, questions, &test, Some(f)));
        orphans.extend(score_orphans(matcher, lib, questions, pre, &test, Some(f)));
        folds.push(FoldInfo {
            fold: f,
            questions: test.len(),
            auto: model.auto,
            review: model.review,
            min_entry_cov: model.min_entry_cov,
            min_question_cov: model.min_question_cov,
        });
    }
    let order = |qid: &str| {
        questions
            .iter()
            .position(|q| qid.split('~').next() == Some(q.qid.as_str()))
            .unwrap_or(usize::MAX)
    };
    rows.sort_by_key(|r| order(&r.qid));
    orphans.sort_by_key(|r| order(&r.qid));
    (rows, orphans, CvInfo { k, folds })
}

/// Fits a model on questions `train`: re-ranking weights (listwise
/// softmax), then the confidence weights on the re-ranked best candidates
/// (with the orphans' best candidates as negatives), then the review
/// threshold (best top-1 + abstention F1) and the auto threshold (the
/// lowest at which the auto tier, orphans included, reaches the wanted
/// precision).
fn fit_model(
    matcher: &mut Matcher,
    lib: &Library,
    questions: &[Question],
    pre: &Precomputed,
    train: &[usize],
    settings: &FitSettings,
) -> Model {
    let mut model = Model::for_embedder(matcher.embedder()).clone();
    model.full = None;
    if let Some(l2) = settings.l2_rank {
        let groups: Vec<fit::Group> = train
            .iter()
            .filter_map(|&i| {
                let gold = pre.gold[i]?;
                let at = pre.cands[i].iter().position(|c| c.entry == gold)?;
                Some(fit::Group {
                    xs: pre.cands[i]
                        .iter()
                        .map(|c| model::vector(RANK_FEATURES, &c.features))
                        .collect(),
                    gold: at,
                })
            })
            .collect();
        model.rank = fit::softmax_rank(&groups, l2);
    }
    let mut xs = Vec::with_capacity(train.len() * 2);
    let mut ys = Vec::with_capacity(train.len() * 2);
    let mut ws = Vec::with_capacity(train.len() * 2);
    for &i in train {
        let mut sets = vec![(&pre.cands[i], pre.gold[i], 1.0)];
        if settings.orphans && settings.orphan_weight > 0.0 {
            if let Some(orphan) = &pre.orphan_cands[i] {
                sets.push((orphan, None, settings.orphan_weight));
            }
        }
        for (cands, gold, weight) in sets {
            let mut c = cands.clone();
            if c.is_empty() {
                continue;
            }
            super::rank_candidates(&model, &mut c);
            xs.push(model::vector(CONF_FEATURES, &c[0].features));
            ys.push(gold.is_some() && gold == Some(c[0].entry));
            ws.push(weight);
        }
    }
    model.confidence = fit::logistic_weighted(&xs, &ys, &ws, settings.l2_conf);
    // Thresholds from the training questions as answered with this model,
    // the key-ask gates open (they are chosen with the auto threshold).
    model.min_entry_cov = 0.0;
    model.min_question_cov = 0.0;
    matcher.set_model(model.clone());
    // Every gate is checked at thresholds of 0.
    matcher.set_thresholds(0.0, 0.0);
    let rows = score(matcher, lib, questions, train, None);
    model.review = best_review_threshold(&rows);
    let mut all = rows;
    if settings.orphans {
        all.extend(score_orphans(matcher, lib, questions, pre, train, None));
    }
    let (auto, entry_cov, question_cov) =
        best_auto_gates(&all, model.review, settings.auto_precision, settings.gates);
    model.auto = auto;
    model.min_entry_cov = entry_cov;
    model.min_question_cov = question_cov;
    model
}

/// The key-ask gate levels (entry coverage, question coverage), chosen by
/// 5-fold cross-validation on dev (see docs/matcher.md): the best out-of-fold
/// auto precision with no orphan answered automatically.
pub const DEFAULT_GATES: (f64, f64) = (0.75, 0.4);

/// The auto threshold is never below this: an automatic answer needs the
/// model to find it at least as likely right as wrong.
const AUTO_FLOOR: f64 = 0.5;

/// Coverage levels the key-ask gates may require.
const GATE_LEVELS: [f64; 7] = [0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8];

/// The auto threshold and key-ask gate levels that fill the most rows
/// automatically while the auto tier stays right at least `target` of the
/// time (orphans' auto answers count as wrong). Among equals, the stricter
/// setting wins. No feasible setting: no auto tier (threshold 1.0).
fn best_auto_gates(
    rows: &[Row],
    review: f64,
    target: f64,
    fixed: Option<(f64, f64)>,
) -> (f64, f64, f64) {
    let mut best: Option<(usize, f64, f64, f64)> = None;
    let (entry_levels, question_levels) = match fixed {
        Some((e, q)) => (vec![e], vec![q]),
        None => (GATE_LEVELS.to_vec(), GATE_LEVELS.to_vec()),
    };
    for &entry_cov in &entry_levels {
        for &question_cov in &question_levels {
            let open: Vec<&Row> = rows
                .iter()
                .filter(|r| {
                    !r.held_back
                        && r.detail
                            .as_ref()
                            .is_some_and(|f| f.cov_e >= entry_cov && f.main_cov >= question_cov)
                })
                .collect();
            for t in grid().filter(|&t| t >= review.max(AUTO_FLOOR)) {
                let auto: Vec<&&Row> = open.iter().filter(|r| r.confidence >= t).collect();
                let right = auto.iter().filter(|r| is_right_at(r)).count();
                if auto.is_empty() || (right as f64) < target * auto.len() as f64 {
                    continue;
                }
                let better = best.is_none_or(|(n, ..)| right > n);
                if better {
                    best = Some((right, t, entry_cov, question_cov));
                }
                // Higher thresholds only fill fewer rows.
                break;
            }
        }
    }
    let (e, q) = fixed.unwrap_or((0.0, 0.0));
    best.map_or((1.0, e, q), |(_, t, e, q)| (t, e, q))
}

fn grid() -> impl Iterator<Item = f64> {
    (5..=99).map(|i| f64::from(i) / 100.0)
}

/// The abstention threshold with the best top-1 + abstention F1.
fn best_review_threshold(rows: &[Row]) -> f64 {
    let mut best = (f64::NEG_INFINITY, 0.5);
    for t in grid() {
        let p = at_threshold(rows, t);
        let value = p.top1 + p.abstain_f1;
        if value > best.0 + 1e-12 {
            best = (value, t);
        }
    }
    best.1
}

/// Right entry and right answer, were the row answered.
fn is_right_at(r: &Row) -> bool {
    r.answerable() && r.top_id == r.gold_id && r.answer.eq_ignore_ascii_case(&r.gold_answer)
}

/// Metrics at abstention threshold `t` (abstain when confidence < t).
fn at_threshold(rows: &[Row], t: f64) -> SweepPoint {
    let answerable = rows.iter().filter(|r| r.answerable()).count();
    let empty = rows.len() - answerable;
    let abstains = |r: &Row| r.confidence < t;
    let correct = rows
        .iter()
        .filter(|r| r.answerable() && !abstains(r) && r.top_id == r.gold_id)
        .count();
    let answered_right = rows
        .iter()
        .filter(|r| !abstains(r) && is_right_at(r))
        .count();
    let abstained = rows.iter().filter(|r| abstains(r)).count();
    let good_abstain = rows
        .iter()
        .filter(|r| abstains(r) && !r.answerable())
        .count();
    let p = if abstained == 0 {
        0.0
    } else {
        good_abstain as f64 / abstained as f64
    };
    let rec = if empty == 0 {
        0.0
    } else {
        good_abstain as f64 / empty as f64
    };
    SweepPoint {
        threshold: t,
        top1: correct as f64 / answerable.max(1) as f64,
        abstain_precision: p,
        abstain_recall: rec,
        abstain_f1: f1(p, rec),
        answer_accuracy: answered_right as f64 / answerable.max(1) as f64,
    }
}

fn f1(p: f64, r: f64) -> f64 {
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

fn by_kind(rows: &[&Row], hit: impl Fn(&Row) -> bool) -> BTreeMap<String, Ratio> {
    let mut counts: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for r in rows {
        let e = counts.entry(r.kind.clone()).or_default();
        e.1 += 1;
        if hit(r) {
            e.0 += 1;
        }
    }
    counts
        .into_iter()
        .map(|(k, (h, t))| (k, ratio(h, t)))
        .collect()
}

fn auto_tier(rows: &[Row]) -> AutoTier {
    let is_auto = |r: &Row| r.tier == Tier::Auto;
    let auto: Vec<&Row> = rows.iter().filter(|r| is_auto(r)).collect();
    let mut by: BTreeMap<String, AutoKind> = BTreeMap::new();
    let kinds: std::collections::BTreeSet<&str> = rows.iter().map(|r| r.kind.as_str()).collect();
    for kind in kinds {
        let of_kind: Vec<&Row> = rows.iter().filter(|r| r.kind == kind).collect();
        let auto_rows: Vec<&&Row> = of_kind.iter().filter(|r| is_auto(r)).collect();
        by.insert(
            kind.to_string(),
            AutoKind {
                share: ratio(auto_rows.len(), of_kind.len()),
                precision: ratio(
                    auto_rows.iter().filter(|r| r.right()).count(),
                    auto_rows.len(),
                ),
            },
        );
    }
    AutoTier {
        share: ratio(auto.len(), rows.len()),
        precision: ratio(auto.iter().filter(|r| r.right()).count(), auto.len()),
        by_kind: by,
    }
}

fn flips_by_kind(rows: &[Row]) -> BTreeMap<String, Flips> {
    let mut out: BTreeMap<String, Flips> = BTreeMap::new();
    for r in rows.iter().filter(|r| r.picked()) {
        let e = out.entry(r.kind.clone()).or_insert(Flips {
            flipped: 0,
            right: 0,
            answered: 0,
        });
        e.answered += 1;
        if r.flipped {
            e.flipped += 1;
            if r.answerable() && r.answer.eq_ignore_ascii_case(&r.gold_answer) {
                e.right += 1;
            }
        }
    }
    out
}

fn orphans(rows: &[Row]) -> Orphans {
    let auto: Vec<&Row> = rows.iter().filter(|r| r.tier == Tier::Auto).collect();
    let none = rows.iter().filter(|r| r.tier == Tier::None).count();
    let all: Vec<&Row> = rows.iter().collect();
    Orphans {
        questions: rows.len(),
        auto: ratio(auto.len(), rows.len()),
        review: rows.iter().filter(|r| r.tier == Tier::Review).count(),
        none: ratio(none, rows.len()),
        auto_by_kind: by_kind(&all, |r| r.tier == Tier::Auto),
    }
}

#[allow(clippy::too_many_arguments)]
fn summarize(
    rows: &[Row],
    orphan_rows: &[Row],
    mode: &str,
    (auto_threshold, review_threshold): (f64, f64),
    index_ms: f64,
    qps: f64,
    cv: Option<CvInfo>,
    fitted_model: Option<String>,
) -> Summary {
    let answerable: Vec<&Row> = rows.iter().filter(|r| r.answerable()).collect();
    let empty: Vec<&Row> = rows.iter().filter(|r| !r.answerable()).collect();
    let abstained = rows.iter().filter(|r| !r.picked()).count();
    let good = empty.iter().filter(|r| !r.picked()).count();
    let precision = if abstained == 0 {
        0.0
    } else {
        good as f64 / abstained as f64
    };
    let recall = if empty.is_empty() {
        0.0
    } else {
        good as f64 / empty.len() as f64
    };
    let negated: Vec<&&Row> = answerable.iter().filter(|r| r.kind == "negated").collect();
    let correct_id: Vec<&&Row> = answerable.iter().filter(|r| r.id_ok()).collect();
    let sweep = (0..=20)
        .map(|i| at_threshold(rows, f64::from(i) * 0.05))
        .collect();
    let top1 = ratio(correct_id.len(), answerable.len());
    let abstention = Abstention {
        precision,
        recall,
        f1: f1(precision, recall),
        abstained,
        recall_by_kind: by_kind(&empty, |r| !r.picked()),
    };
    let neg = ratio(
        negated.iter().filter(|r| r.answer_ok()).count(),
        negated.len(),
    );
    let targets_met = top1.value >= TARGET_TOP1
        && abstention.f1 >= TARGET_ABSTAIN_F1
        && (negated.is_empty() || neg.value >= TARGET_NEGATED);
    Summary {
        mode: mode.to_string(),
        meaning: String::new(),
        questions: rows.len(),
        answerable: answerable.len(),
        auto_threshold,
        review_threshold,
        top1,
        top1_by_kind: by_kind(&answerable, Row::id_ok),
        abstention,
        answer_accuracy: ratio(
            answerable.iter().filter(|r| r.answer_ok()).count(),
            answerable.len(),
        ),
        answer_accuracy_negated: neg,
        answer_accuracy_given_correct_id: ratio(
            correct_id.iter().filter(|r| r.answer_ok()).count(),
            correct_id.len(),
        ),
        auto: auto_tier(rows),
        flips_by_kind: flips_by_kind(rows),
        orphans: orphans(orphan_rows),
        open_questions: rows
            .iter()
            .filter(|r| r.question_type == QuestionType::Open)
            .count(),
        sweep,
        index_ms,
        questions_per_second: qps,
        targets_met,
        cv,
        fitted_model,
    }
}

/// The human-readable report.
pub fn print(report: &Report, errors: bool) {
    let s = &report.summary;
    let pct = |r: &Ratio| format!("{:5.1}% ({}/{})", 100.0 * r.value, r.hits, r.total);
    println!(
        "questions: {} ({} answerable), {}, {} mode; auto threshold {:.2}, review threshold {:.2}",
        s.questions, s.answerable, s.mode, s.meaning, s.auto_threshold, s.review_threshold
    );
    if let Some(cv) = &s.cv {
        let list: Vec<String> = cv
            .folds
            .iter()
            .map(|f| {
                format!(
                    "{:.2}/{:.2}/{:.2}/{:.2}",
                    f.auto, f.review, f.min_entry_cov, f.min_question_cov
                )
            })
            .collect();
        println!(
            "{}-fold cross-validation; per fold auto/review threshold, entry/question coverage gates: {}",
            cv.k,
            list.join(" ")
        );
    }
    println!("top-1 accuracy (answerable):   {}", pct(&s.top1));
    for (kind, r) in &s.top1_by_kind {
        println!("  {kind:<14} {}", pct(r));
    }
    let a = &s.abstention;
    println!(
        "abstention: precision {:.3} recall {:.3} F1 {:.3} ({} abstained)",
        a.precision, a.recall, a.f1, a.abstained
    );
    for (kind, r) in &a.recall_by_kind {
        println!("  recall {kind:<14} {}", pct(r));
    }
    println!("answer accuracy (end-to-end):  {}", pct(&s.answer_accuracy));
    println!(
        "  negated:                     {}",
        pct(&s.answer_accuracy_negated)
    );
    println!(
        "  given the correct id:        {}",
        pct(&s.answer_accuracy_given_correct_id)
    );
    println!(
        "auto tier: precision {} of auto rows; auto share {}",
        pct(&s.auto.precision),
        pct(&s.auto.share)
    );
    for (kind, k) in &s.auto.by_kind {
        println!(
            "  {kind:<14} precision {}  share {}",
            pct(&k.precision),
            pct(&k.share)
        );
    }
    let flips: Vec<String> = s
        .flips_by_kind
        .iter()
        .filter(|(_, f)| f.flipped > 0)
        .map(|(k, f)| format!("{k} {} ({} right)", f.flipped, f.right))
        .collect();
    println!(
        "flips: {}",
        if flips.is_empty() {
            "none".to_string()
        } else {
            flips.join(", ")
        }
    );
    let o = &s.orphans;
    println!(
        "orphans (answerable questions without their entry): auto {} (wrong), abstained {}",
        pct(&o.auto),
        pct(&o.none)
    );
    println!("open questions: {}", s.open_questions);
    println!("threshold sweep (abstain below t):");
    println!("     t   top1  abst-P abst-R abst-F1 answer");
    for p in &s.sweep {
        println!(
            "  {:.2}  {:.3}  {:.3}  {:.3}  {:.3}  {:.3}",
            p.threshold,
            p.top1,
            p.abstain_precision,
            p.abstain_recall,
            p.abstain_f1,
            p.answer_accuracy
        );
    }
    println!(
        "speed: index {:.1} ms, {:.0} questions/s",
        s.index_ms, s.questions_per_second
    );
    if let Some(m) = &s.fitted_model {
        println!("fitted model (src/matcher/model.toml):\n{m}");
    }
    if errors {
        for r in &report.rows {
            let id_wrong = r.top_id != r.gold_id || r.picked() != r.answerable();
            let ans_wrong = r.answerable() && !r.answer.eq_ignore_ascii_case(&r.gold_answer);
            let auto_wrong = r.tier == Tier::Auto && !r.right();
            if id_wrong || ans_wrong || auto_wrong {
                println!(
                    "MISS {} {:<13} gold={:<8} top={:<8} conf={:.2} tier={:?} ans={} gold_ans={} flipped={} held={}{}",
                    r.qid,
                    r.kind,
                    r.gold_id,
                    r.top_id,
                    r.confidence,
                    r.tier,
                    r.answer,
                    r.gold_answer,
                    r.flipped,
                    r.held_back,
                    if auto_wrong { " AUTO-WRONG" } else { "" }
                );
            }
        }
    }
    if errors {
        for r in report.orphan_rows.iter().filter(|r| r.tier == Tier::Auto) {
            println!(
                "ORPHAN-AUTO {} {:<13} top={:<8} conf={:.2}",
                r.qid, r.kind, r.top_id, r.confidence
            );
        }
    }
    println!(
        "sanity floors (top-1 >= {TARGET_TOP1}, abstention F1 >= {TARGET_ABSTAIN_F1}, negated >= {TARGET_NEGATED}): {}",
        if s.targets_met { "met" } else { "NOT met" }
    );
}
