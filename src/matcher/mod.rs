//! The matcher: finds the library entry that answers a customer question,
//! with a calibrated confidence, an abstention tier and polarity handling.
//!
//! Pipeline: normalise and analyse the question ([`analyze`]), retrieve
//! candidates with BM25F over the library ([`index`]), re-rank them with
//! coverage and character similarity ([`rerank`]), turn the features of the
//! best candidate into a confidence ([`confidence`]) and flip a Yes/No answer
//! when the question asks the opposite of the entry ([`polarity`]).

pub mod analyze;
pub mod confidence;
pub mod eval;
mod fxhash;
pub mod index;
pub mod normalize;
pub mod polarity;
pub mod rerank;
pub mod thesaurus;

use chrono::NaiveDate;
use serde::Serialize;

use crate::library::{Library, Visibility};
pub use analyze::{Analysis, Analyzer};
pub use rerank::Features;
pub use thesaurus::Thesaurus;

/// How many BM25 candidates are re-ranked.
const RERANK_DEPTH: usize = 10;

/// Thresholds and policy for answering.
#[derive(Debug, Clone, Serialize)]
pub struct MatchConfig {
    /// At or above: filled automatically (tier auto).
    pub min_confidence: f64,
    /// At or above (and below `min_confidence`): filled for review (tier review).
    pub review_confidence: f64,
    /// Stale entries may be auto-filled.
    pub allow_stale: bool,
    pub today: NaiveDate,
    /// Internal entries may be used (false for every customer-facing output).
    pub include_internal: bool,
}

impl MatchConfig {
    /// The operating thresholds picked on the dev set (see `vouch eval`).
    pub fn new(today: NaiveDate) -> Self {
        MatchConfig {
            min_confidence: confidence::DEFAULT_AUTO,
            review_confidence: confidence::DEFAULT_REVIEW,
            allow_stale: false,
            today,
            include_internal: false,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Tier {
    Auto,
    Review,
    None,
}

/// The answer to one question.
#[derive(Debug, Clone, Serialize)]
pub struct Match {
    /// The chosen entry (None when the tier is none).
    pub entry: Option<usize>,
    /// The best candidate even when abstaining (for the review report).
    pub closest: Option<usize>,
    pub confidence: f64,
    pub tier: Tier,
    /// The entry's answer, after a polarity flip.
    pub answer: Option<String>,
    pub flipped: bool,
    pub reasons: Vec<String>,
}

/// A ranked candidate with its scores and what matched.
#[derive(Debug, Clone, Serialize)]
pub struct Candidate {
    pub entry: usize,
    pub id: String,
    /// Re-ranking score (orders candidates).
    pub score: f64,
    pub bm25: f64,
    pub features: Features,
    /// Confidence if this candidate were chosen.
    pub confidence: f64,
    /// Stems, identifiers and `#concepts` shared by question and entry.
    pub matched: Vec<String>,
    #[serde(skip)]
    matched_ids: Vec<u32>,
}

pub struct Matcher<'a> {
    lib: &'a Library,
    analyzer: Analyzer<'a>,
    index: index::Index,
    cfg: MatchConfig,
    /// Some entries may not be used (internal ones for customer output).
    has_hidden: bool,
}

impl<'a> Matcher<'a> {
    /// Builds the index over `lib`.
    pub fn new(lib: &'a Library, thesaurus: &'a Thesaurus, cfg: MatchConfig) -> Self {
        let mut analyzer = Analyzer::new(thesaurus);
        analyzer.own_names = analyze::own_names(lib.entries.iter().map(|e| e.question.as_str()));
        let index = index::Index::build(lib, &analyzer);
        let has_hidden = !cfg.include_internal
            && lib
                .entries
                .iter()
                .any(|e| e.visibility == Visibility::Internal);
        Matcher {
            lib,
            analyzer,
            index,
            cfg,
            has_hidden,
        }
    }

    pub fn config(&self) -> &MatchConfig {
        &self.cfg
    }

    /// The best `k` candidates, best first.
    pub fn search(&self, question: &str, k: usize) -> Vec<Candidate> {
        let q = self.analyzer.question(question);
        self.rank(&q, k.max(1))
    }

    fn usable(&self, entry: usize) -> bool {
        self.cfg.include_internal || self.lib.entries[entry].visibility != Visibility::Internal
    }

    fn rank(&self, q: &Analysis, k: usize) -> Vec<Candidate> {
        let query = rerank::resolve_query(&self.index, q);
        let keep = RERANK_DEPTH.max(k);
        let hits = if self.has_hidden {
            self.index.top(&query.terms, keep, |d| self.usable(d))
        } else {
            self.index.top(&query.terms, keep, |_| true)
        };
        let mut cands: Vec<Candidate> = hits
            .into_iter()
            .map(|(d, bm25)| {
                let (features, matched) = rerank::features(&self.index, q, &query, d, bm25);
                Candidate {
                    entry: d,
                    id: self.lib.entries[d].id.clone(),
                    score: features.rank_score(),
                    bm25,
                    features,
                    confidence: 0.0,
                    matched: Vec::new(),
                    matched_ids: matched,
                }
            })
            .collect();
        cands.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.entry.cmp(&b.entry)));
        let second = cands.get(1).map_or(0.0, |c| c.score);
        for (i, c) in cands.iter_mut().enumerate() {
            let margin = if i == 0 { c.score - second } else { 0.0 };
            c.features.margin = margin;
            c.confidence = confidence::confidence(&c.features);
        }
        cands.truncate(k);
        for c in &mut cands {
            c.matched = rerank::term_names(&self.index, &c.matched_ids);
        }
        cands
    }

    /// Answers one question.
    pub fn answer(&self, question: &str) -> Match {
        let q = self.analyzer.question(question);
        let cands = self.rank(&q, 2);
        let Some(best) = cands.first() else {
            return Match {
                entry: None,
                closest: None,
                confidence: 0.0,
                tier: Tier::None,
                answer: None,
                flipped: false,
                reasons: vec!["no library entry shares a term with the question".into()],
            };
        };
        let entry = &self.lib.entries[best.entry];
        let mut reasons = rerank::explain(best);
        let doc = &self.index.docs[best.entry];
        let flip = polarity::opposite(&q.polarity, &doc.polarity, &self.analyzer);
        let (answer, flipped) = match (&flip, polarity::flip_answer(&entry.answer)) {
            (Some(_), Some(flipped)) => (flipped, true),
            _ => (entry.answer.clone(), false),
        };
        if let Some(why) = &flip {
            reasons.push(format!(
                "the question asks the opposite of the entry ({why})"
            ));
            if !flipped {
                reasons.push(format!("answer {:?} cannot be flipped", entry.answer));
            }
        }
        let mut tier = if best.confidence >= self.cfg.min_confidence {
            Tier::Auto
        } else if best.confidence >= self.cfg.review_confidence {
            Tier::Review
        } else {
            Tier::None
        };
        if tier == Tier::Auto && flip.is_some() {
            tier = Tier::Review;
        }
        if tier == Tier::Auto && asks_beyond_entry(&best.features) {
            tier = Tier::Review;
            reasons.push(
                "much of the question is about words the library never uses: check it".into(),
            );
        }
        if tier == Tier::Auto && entry.is_stale(self.cfg.today) && !self.cfg.allow_stale {
            tier = Tier::Review;
            reasons.push("the entry is stale (past its review interval)".into());
        }
        let chosen = (tier != Tier::None).then_some(best.entry);
        if tier == Tier::None {
            reasons.push(format!(
                "confidence {:.2} is below the review threshold {:.2}",
                best.confidence, self.cfg.review_confidence
            ));
        }
        Match {
            entry: chosen,
            closest: Some(best.entry),
            confidence: best.confidence,
            tier,
            answer: chosen.map(|_| answer),
            flipped: flipped && chosen.is_some(),
            reasons,
        }
    }
}

/// A question whose words are largely unknown to the library while the entry
/// is only thinly covered is likely asking something else ("annual revenue"
/// vs "annual pen test"): never fill it without a human.
fn asks_beyond_entry(f: &rerank::Features) -> bool {
    f.unseen > 0.25 && f.cov_e < 0.4
}
