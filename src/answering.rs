//! Answering a questionnaire: read it, match every question against the
//! answer library, decide what to fill, and collect one review row per
//! question. `vouch answer` is a thin layer over [`answer_questionnaire`].

use std::collections::HashMap;
use std::time::Instant;

use serde::Serialize;

use crate::library::{Entry, Library, Visibility};
use crate::matcher::{Match, MatchConfig, Matcher, Thesaurus, Tier};
use crate::questionnaire::{Fill, Question, Questionnaire, ReviewRow};
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
}

/// The outcome of answering every question of a questionnaire.
#[derive(Debug, Clone, Serialize)]
pub struct AnswerRun {
    pub rows: Vec<ReviewRow>,
    #[serde(skip)]
    pub fills: Vec<Fill>,
    pub summary: Summary,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub questions: usize,
    pub auto: usize,
    pub review: usize,
    pub none: usize,
    pub flipped: usize,
    pub filled: usize,
    pub seconds: f64,
}

/// Matches every question and decides which answers are written.
pub fn answer_questionnaire(
    q: &Questionnaire,
    library: &Library,
    thesaurus: &Thesaurus,
    config: MatchConfig,
    opts: &AnswerOptions,
    progress: Progress,
) -> AnswerRun {
    let started = Instant::now();
    let matcher = Matcher::new(library, thesaurus, config);
    let total = q.questions.len();
    let mut rows = Vec::with_capacity(total);
    let mut fills = Vec::new();
    let mut summary = Summary {
        questions: total,
        ..Summary::default()
    };
    for (i, question) in q.questions.iter().enumerate() {
        if i % 25 == 0 {
            progress.step(i as u64, total as u64, "answering");
        }
        let m = cap_nda(matcher.answer(&question.text), library, opts);
        let entry = m.entry.map(|idx| &library.entries[idx]);
        tally(&mut summary, &m);
        let filled = should_fill(&m, opts);
        if filled {
            if let Some(e) = entry {
                fills.push(fill_for(question, &m, e));
                summary.filled += 1;
            }
        }
        let suggestion = m
            .entry
            .is_none()
            .then(|| m.closest.map(|idx| library.entries[idx].id.clone()))
            .flatten();
        rows.push(ReviewRow {
            suggestion,
            ..review_row(question, &m, entry, &opts.control_criteria)
        });
    }
    progress.finish();
    summary.seconds = started.elapsed().as_secs_f64();
    AnswerRun {
        rows,
        fills,
        summary,
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

fn should_fill(m: &Match, opts: &AnswerOptions) -> bool {
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
    control_criteria: &HashMap<String, Vec<String>>,
) -> ReviewRow {
    // Rows left to a human (tier none) carry no answer: vouch never invents one.
    let answered = m.tier != Tier::None;
    ReviewRow {
        sheet: question.sheet.clone(),
        row: question.row,
        question: question.text.clone(),
        answer: if answered { m.answer.clone() } else { None },
        comment: entry
            .filter(|_| answered)
            .and_then(|e| non_empty(&e.comment)),
        confidence: round3(m.confidence),
        tier: tier_name(m.tier).to_string(),
        entry: entry.filter(|_| answered).map(|e| e.id.clone()),
        flipped: m.flipped,
        controls: entry
            .filter(|_| answered)
            .map(|e| e.controls.clone())
            .unwrap_or_default(),
        criteria: entry
            .filter(|_| answered)
            .map(|e| criteria_of(e, control_criteria))
            .unwrap_or_default(),
        suggestion: None,
        notes: m.reasons.clone(),
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
