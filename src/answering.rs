//! Answering a questionnaire: read it, match every question against the
//! answer library, decide what to fill, and collect one review row per
//! question. `vouch answer` is a thin layer over [`answer_questionnaire`].

use std::collections::{HashMap, HashSet};
use std::time::Instant;

use serde::Serialize;

use crate::library::{Entry, Library, Visibility};
use crate::matcher::{Embedder, Match, MatchConfig, Matcher, Thesaurus, Tier};
use crate::questionnaire::vocab::answers_agree;
use crate::questionnaire::{
    Fill, Question, Questionnaire, ReviewRow, ReviewSummary, RowStatus, WriteSummary,
};
use crate::util::Progress;

/// What the user asked for beyond the matcher's own settings.
#[derive(Debug, Clone, Default)]
pub struct AnswerOptions {
    /// Also fill review-tier answers (they stay flagged in the report).
    pub fill_review: bool,
    /// The recipient is under NDA: `nda` entries may be filled automatically.
    /// Without it they are capped at the review tier.
    pub nda: bool,
    /// Control id -> its TSC criteria (from `data/controls.csv`), so each
    /// answer names the criteria it is evidence for.
    pub control_criteria: HashMap<String, Vec<String>>,
    /// Controls marked `internal` in `data/controls.csv`: never named in a
    /// report.
    pub internal_controls: HashSet<String>,
}

/// The outcome of answering every question of a questionnaire.
#[derive(Debug, Clone, Serialize)]
pub struct AnswerRun {
    pub summary: Summary,
    pub rows: Vec<ReviewRow>,
    #[serde(skip)]
    pub fills: Vec<Fill>,
    /// vouch's answer to each question (also where the report withholds
    /// it), to tell whether a kept answer agrees.
    #[serde(skip)]
    proposed: Vec<Option<String>>,
}

/// Counts per tier and per status (the statuses are known once the file is
/// planned, see [`AnswerRun::record_outcomes`]).
pub type Summary = ReviewSummary;

/// Matches every question and decides which answers are written, with the
/// meaning signal of `embedder` (full mode can fail to embed the library).
#[allow(clippy::too_many_arguments)]
pub fn answer_questionnaire(
    q: &Questionnaire,
    library: &Library,
    thesaurus: &Thesaurus,
    config: MatchConfig,
    embedder: Embedder,
    opts: &AnswerOptions,
    progress: Progress,
) -> anyhow::Result<AnswerRun> {
    let started = Instant::now();
    if let Embedder::Full(_) = embedder {
        progress.update("embedding the answer library (full mode, cached)");
    }
    let matcher = Matcher::with_embedder(library, thesaurus, config, embedder)?;
    let total = q.questions.len();
    let mut rows = Vec::with_capacity(total);
    let mut fills = Vec::new();
    let mut summary = Summary {
        questions: total,
        ..Summary::default()
    };
    progress.update(&format!("answering {total} questions"));
    let texts: Vec<&str> = q.questions.iter().map(|x| x.text.as_str()).collect();
    let matches = matcher.answer_all(&texts);
    let mut proposed = Vec::with_capacity(total);
    for (question, m) in q.questions.iter().zip(matches) {
        let m = cap_nda(m, library, opts);
        let entry = m.entry.map(|idx| &library.entries[idx]);
        tally(&mut summary, &m);
        if should_fill(&m, entry, opts) {
            if let Some(e) = entry {
                fills.push(fill_for(question, &m, e));
            }
        }
        proposed.push(m.answer.clone().filter(|_| m.tier != Tier::None));
        let suggestion = m
            .entry
            .is_none()
            .then(|| m.closest.map(|idx| library.entries[idx].id.clone()))
            .flatten();
        rows.push(ReviewRow {
            suggestion,
            ..review_row(question, &m, entry, opts)
        });
    }
    progress.finish();
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(AnswerRun {
        summary,
        rows,
        fills,
        proposed,
    })
}

impl AnswerRun {
    /// Records what the writer did with each question: its status, the
    /// answer that was already in the file and whether vouch agrees with it,
    /// and the writer's reasons; then counts the statuses.
    pub fn record_outcomes(&mut self, written: &WriteSummary) {
        let s = &mut self.summary;
        (s.written, s.kept, s.left_empty, s.skipped, s.disagree) = (0, 0, 0, 0, 0);
        s.comments_written = written.comments_written;
        for ((row, outcome), proposed) in
            self.rows.iter_mut().zip(&written.rows).zip(&self.proposed)
        {
            debug_assert_eq!(
                (row.sheet.as_str(), row.row),
                (outcome.sheet.as_str(), outcome.row)
            );
            row.status = outcome.status.name().to_owned();
            row.existing_answer = outcome.existing_answer.clone();
            row.notes.extend(outcome.reasons.iter().cloned());
            match outcome.status {
                RowStatus::Written => {
                    row.answer = outcome.written_answer.clone();
                    s.written += 1;
                }
                RowStatus::Kept => {
                    row.agrees = match (proposed, &outcome.existing_answer) {
                        (Some(ours), Some(theirs)) => Some(answers_agree(ours, theirs)),
                        _ => None,
                    };
                    s.kept += 1;
                    if row.agrees == Some(false) {
                        s.disagree += 1;
                    }
                }
                RowStatus::LeftEmpty => s.left_empty += 1,
                RowStatus::Skipped => s.skipped += 1,
            }
        }
    }
}

/// An `nda` entry goes to a customer only under NDA: otherwise it needs a human.
fn cap_nda(mut m: Match, library: &Library, opts: &AnswerOptions) -> Match {
    let is_nda = m
        .entry
        .is_some_and(|idx| library.entries[idx].visibility == Visibility::Nda);
    if is_nda && !opts.nda && m.tier == Tier::Auto {
        m.tier = Tier::Review;
        m.reasons
            .push("entry is nda: filled automatically only with --nda".to_string());
    }
    m
}

/// Whether the answer goes into the customer's file. An `nda` entry goes
/// there only with `--nda`, whatever the tier (`--fill-review` included).
fn should_fill(m: &Match, entry: Option<&Entry>, opts: &AnswerOptions) -> bool {
    if entry.is_some_and(|e| e.visibility == Visibility::Nda) && !opts.nda {
        return false;
    }
    match m.tier {
        Tier::Auto => true,
        Tier::Review => opts.fill_review,
        Tier::None => false,
    }
}

fn tally(summary: &mut Summary, m: &Match) {
    match m.tier {
        Tier::Auto => summary.auto += 1,
        Tier::Review => summary.review += 1,
        Tier::None => summary.none += 1,
    }
    if m.flipped {
        summary.flipped += 1;
    }
}

fn fill_for(question: &Question, m: &Match, entry: &Entry) -> Fill {
    Fill {
        sheet: question.sheet.clone(),
        row: question.row,
        answer: m.answer.clone(),
        comment: non_empty(&entry.comment),
    }
}

fn review_row(
    question: &Question,
    m: &Match,
    entry: Option<&Entry>,
    opts: &AnswerOptions,
) -> ReviewRow {
    // Rows left to a human (tier none) carry no answer: vouch never invents one.
    let answered = m.tier != Tier::None;
    // An nda answer is shown only to a recipient under NDA: the report obeys
    // the same filter as the customer's file.
    let withheld = entry.is_some_and(|e| e.visibility == Visibility::Nda) && !opts.nda;
    let shown = answered && !withheld;
    let mut notes = m.reasons.clone();
    if withheld && answered {
        notes.push("entry is nda: its answer is shown and filled only with --nda".to_string());
    }
    let controls: Vec<String> = entry
        .filter(|_| answered)
        .map(|e| {
            e.controls
                .iter()
                .filter(|c| !opts.internal_controls.contains(*c))
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    ReviewRow {
        sheet: question.sheet.clone(),
        row: question.row,
        id: question.id.clone(),
        question: question.text.clone(),
        question_type: Some(m.question_type.to_string()),
        answer: if shown { m.answer.clone() } else { None },
        comment: entry.filter(|_| shown).and_then(|e| non_empty(&e.comment)),
        confidence: round3(m.confidence),
        tier: tier_name(m.tier).to_string(),
        status: RowStatus::LeftEmpty.name().to_string(),
        existing_answer: question.existing_answer.clone(),
        agrees: None,
        entry: entry.filter(|_| answered).map(|e| e.id.clone()),
        flipped: m.flipped,
        controls,
        criteria: entry
            .filter(|_| answered)
            .map(|e| criteria_of(e, &opts.control_criteria))
            .unwrap_or_default(),
        suggestion: None,
        notes,
    }
}

/// The TSC criteria an entry is evidence for: its own `criteria`, the
/// `controls` that are TSC ids (CSV libraries put criteria there), and the
/// criteria of its controls.
fn criteria_of(entry: &Entry, control_criteria: &HashMap<String, Vec<String>>) -> Vec<String> {
    let mut all: Vec<String> = entry.criteria.clone();
    for control in &entry.controls {
        if crate::library::is_tsc_id(control) {
            all.push(control.clone());
        } else if let Some(criteria) = control_criteria.get(control) {
            all.extend(criteria.iter().cloned());
        }
    }
    all.sort_by_key(|id| crate::tsc::position(id));
    all.dedup();
    all
}

pub fn tier_name(t: Tier) -> &'static str {
    match t {
        Tier::Auto => "auto",
        Tier::Review => "review",
        Tier::None => "none",
    }
}

fn non_empty(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}
