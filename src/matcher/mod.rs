//! The matcher: finds the library entry that answers a customer question,
//! with a calibrated confidence, an abstention tier and polarity handling.
//!
//! Pipeline: normalise and analyse the question ([`analyze`]), retrieve
//! candidates with BM25F over the library ([`index`]), re-rank them with
//! coverage and character similarity ([`rerank`]), turn the features of the
//! best candidate into a confidence ([`confidence`]) and flip a Yes/No answer
//! when the question asks the opposite of the entry ([`polarity`]).

pub mod analyze;
pub mod eval;
pub mod fit;
mod fxhash;
mod gates;
pub mod index;
pub mod lexicon;
pub mod meaning;
pub mod model;
pub mod normalize;
pub mod polarity;
pub mod rerank;
pub mod shape;
pub mod thesaurus;

use chrono::NaiveDate;
use serde::Serialize;

use crate::library::{Library, Visibility};
pub use analyze::{Analysis, Analyzer};
pub use meaning::Embedder;
pub use model::Model;
pub use rerank::Features;
pub use shape::QuestionType;
pub use thesaurus::Thesaurus;

/// How many BM25 candidates are re-ranked.
pub const RERANK_DEPTH: usize = 10;

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
    /// The operating thresholds of the shipped model (see `vouch eval --cv`).
    pub fn new(today: NaiveDate) -> Self {
        let model = Model::shipped();
        MatchConfig {
            min_confidence: model.auto,
            review_confidence: model.review,
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
    /// What to write as the answer: for a yes/no question the entry's
    /// Yes/No/N/A (after a polarity flip); for an open question the entry's
    /// explanation (its comment), never a bare Yes/No. None when nothing fits.
    pub answer: Option<String>,
    /// The entry's Yes/No/N/A for this question as worded (after a flip),
    /// whatever the question type: what a Yes/No/N/A column would hold.
    pub verdict: Option<String>,
    pub flipped: bool,
    /// Whether the question asks yes/no or asks for an explanation.
    pub question_type: QuestionType,
    /// A gate (polarity flip, stale entry, uncovered key ask, conflicting
    /// framework, contradicting near-duplicate, hub entry, answer shape)
    /// keeps this match out of the auto tier whatever its confidence.
    pub held_back: bool,
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
    model: Model,
    /// Some entries may not be used (internal ones for customer output).
    has_hidden: bool,
    /// Sentence vectors of the library (None: lexical matching only).
    meaning: Option<meaning::Meaning<'a>>,
}

/// What the run-level pass (hubness) needs to know about one decision.
struct Decided {
    m: Match,
    /// The terms of the question's main sentences (when an entry is
    /// chosen), for what it asks beyond the entry.
    main_terms: Vec<std::sync::Arc<str>>,
}

impl<'a> Matcher<'a> {
    /// Builds the index over `lib`, with the shipped model, in the default
    /// mode (the static embedding table as the meaning signal).
    pub fn new(lib: &'a Library, thesaurus: &'a Thesaurus, cfg: MatchConfig) -> Self {
        let (meaning, m) = Self::build(lib, thesaurus, cfg, Embedder::Static);
        Self {
            meaning: meaning.unwrap_or(None),
            ..m
        }
    }

    /// Embeds the library and builds the lexical index at the same time
    /// (each on all cores too: the sequential parts of one overlap the
    /// other); the matcher comes back without its meaning signal.
    fn build(
        lib: &'a Library,
        thesaurus: &'a Thesaurus,
        cfg: MatchConfig,
        embedder: Embedder<'a>,
    ) -> (anyhow::Result<Option<meaning::Meaning<'a>>>, Self) {
        std::thread::scope(|s| {
            let meaning = s.spawn(|| meaning::Meaning::build(lib, embedder));
            let m = Self::assemble(lib, thesaurus, cfg);
            (meaning.join().expect("embedding thread panicked"), m)
        })
    }

    /// [`Matcher::new`] with the meaning signal of `embedder`: full mode
    /// embeds the library with the transformer (cached on disk) and uses the
    /// `[full]` model of `model.toml`, thresholds included unless the config
    /// set its own.
    pub fn with_embedder(
        lib: &'a Library,
        thesaurus: &'a Thesaurus,
        mut cfg: MatchConfig,
        embedder: Embedder<'a>,
    ) -> anyhow::Result<Self> {
        let model = Model::for_embedder(embedder);
        let shipped = Model::shipped();
        if cfg.min_confidence == shipped.auto {
            cfg.min_confidence = model.auto;
        }
        if cfg.review_confidence == shipped.review {
            cfg.review_confidence = model.review;
        }
        let (meaning, m) = Self::build(lib, thesaurus, cfg, embedder);
        Ok(Self {
            meaning: meaning?,
            model: model.clone(),
            ..m
        })
    }

    /// The lexical matcher (no meaning signal yet).
    fn assemble(lib: &'a Library, thesaurus: &'a Thesaurus, cfg: MatchConfig) -> Self {
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
            model: Model::shipped().clone(),
            has_hidden,
            meaning: None,
        }
    }

    /// "lexical", "default" or "full": where the meaning signal comes from.
    pub fn mode(&self) -> &'static str {
        self.meaning
            .as_ref()
            .map_or("lexical", |m| m.embedder().mode())
    }

    /// Where the meaning signal comes from.
    pub fn embedder(&self) -> Embedder<'a> {
        self.meaning
            .as_ref()
            .map_or(Embedder::None, |m| m.embedder())
    }

    /// Full mode: embeds a run's questions in one batch ahead of matching
    /// them one by one (default mode: nothing to do).
    pub fn prepare(&self, questions: &[&str]) -> anyhow::Result<()> {
        match &self.meaning {
            Some(m) => m.prepare(questions),
            None => Ok(()),
        }
    }

    /// The meaning signal of one question (None in lexical mode).
    fn meaning_of(
        &self,
        question: &str,
        without: Option<usize>,
    ) -> Option<meaning::QuestionMeaning> {
        let m = self.meaning.as_ref()?;
        Some(m.question(question, |e| self.usable(e) && Some(e) != without))
    }

    /// The same matcher with other weights (thresholds stay those of the config).
    pub fn with_model(mut self, model: Model) -> Self {
        self.model = model;
        self
    }

    /// Replaces the weights (thresholds stay those of the config).
    pub fn set_model(&mut self, model: Model) {
        self.model = model;
    }

    pub fn config(&self) -> &MatchConfig {
        &self.cfg
    }

    pub fn set_thresholds(&mut self, auto: f64, review: f64) {
        self.cfg.min_confidence = auto;
        self.cfg.review_confidence = review;
    }

    /// The best `k` candidates, best first.
    pub fn search(&self, question: &str, k: usize) -> Vec<Candidate> {
        self.search_without(question, k, None)
    }

    /// [`Matcher::search`] as if entry `without` were not in the library.
    pub fn search_without(
        &self,
        question: &str,
        k: usize,
        without: Option<usize>,
    ) -> Vec<Candidate> {
        let q = self.analyzer.question(question);
        let qm = self.meaning_of(question, without);
        let mut cands = self.rank(&q, k.max(1), without, qm.as_ref()).0;
        self.name_matches(&mut cands);
        self.name_entries(&mut cands);
        cands
    }

    /// The retrieved candidates with their features, before any weighting
    /// (for fitting: none of this depends on the model).
    pub fn candidates(&self, question: &str) -> Vec<Candidate> {
        self.candidates_without(question, None)
    }

    /// [`Matcher::candidates`] as if entry `without` were not in the library
    /// (for evaluating questions whose entry is missing).
    pub fn candidates_without(&self, question: &str, without: Option<usize>) -> Vec<Candidate> {
        let q = self.analyzer.question(question);
        let qm = self.meaning_of(question, without);
        let mut cands = self.retrieve(&q, RERANK_DEPTH, without, qm.as_ref()).0;
        self.name_entries(&mut cands);
        cands
    }

    fn usable(&self, entry: usize) -> bool {
        self.cfg.include_internal || self.lib.entries[entry].visibility != Visibility::Internal
    }

    fn retrieve(
        &self,
        q: &Analysis,
        keep: usize,
        without: Option<usize>,
        qm: Option<&meaning::QuestionMeaning>,
    ) -> (Vec<Candidate>, rerank::Query) {
        let query = rerank::resolve_query(&self.index, q);
        let mut hits = if self.has_hidden || without.is_some() {
            self.index
                .top(&query.terms, keep, |d| self.usable(d) && Some(d) != without)
        } else {
            self.index.top(&query.terms, keep, |_| true)
        };
        // Recall: the entries closest in meaning are candidates too, even
        // when they share no word with the question (`nearest` holds only
        // usable entries).
        if let Some(qm) = qm {
            for &(e, _) in qm.nearest.iter().take(meaning::RECALL_DEPTH) {
                if !hits.iter().any(|(d, _)| *d == e) {
                    hits.push((e, 0.0));
                }
            }
        }
        let entries: Vec<usize> = hits.iter().map(|&(d, _)| d).collect();
        self.index.prefetch(&entries);
        let signals = match (&self.meaning, qm) {
            (Some(m), Some(qm)) => m.signals(qm, &entries),
            _ => Vec::new(),
        };
        let mut cands: Vec<Candidate> = hits
            .into_iter()
            .enumerate()
            .map(|(i, (d, bm25))| {
                let (mut features, matched) = rerank::features(&self.index, q, &query, d, bm25);
                if let Some(signal) = signals.get(i) {
                    features.cosine = signal.cosine;
                    features.agree = signal.agree;
                    features.cos_gap = signal.cos_gap;
                    features.comment_cos = signal.comment_cos;
                }
                Candidate {
                    entry: d,
                    // Filled by `name_entries` where candidates leave the
                    // matcher: answering a question never reads it, and
                    // copying every candidate's id cost about 1.5% of a run.
                    id: String::new(),
                    score: 0.0,
                    bm25,
                    features,
                    confidence: 0.0,
                    matched: Vec::new(),
                    matched_ids: matched,
                }
            })
            .collect();
        cands.sort_by(|a, b| b.bm25.total_cmp(&a.bm25).then(a.entry.cmp(&b.entry)));
        (cands, query)
    }

    fn rank(
        &self,
        q: &Analysis,
        k: usize,
        without: Option<usize>,
        qm: Option<&meaning::QuestionMeaning>,
    ) -> (Vec<Candidate>, rerank::Query) {
        let (mut cands, query) = self.retrieve(q, RERANK_DEPTH.max(k), without, qm);
        rank_candidates(&self.model, &mut cands);
        cands.truncate(k);
        (cands, query)
    }

    /// Fills in each candidate's entry id.
    fn name_entries(&self, cands: &mut [Candidate]) {
        for c in cands {
            c.id = self.lib.entries[c.entry].id.clone();
        }
    }

    /// Fills in the names of the terms each candidate matched.
    fn name_matches(&self, cands: &mut [Candidate]) {
        for c in cands {
            c.matched = rerank::term_names(&self.index, &c.matched_ids);
        }
    }

    /// Answers one question on its own (no run-level checks: use
    /// [`Matcher::answer_all`] for a questionnaire).
    pub fn answer(&self, question: &str) -> Match {
        let qm = self.meaning_of(question, None);
        self.decide(question, None, qm.as_ref()).m
    }

    /// [`Matcher::answer`] as if entry `without` were not in the library.
    pub fn answer_without(&self, question: &str, without: usize) -> Match {
        let qm = self.meaning_of(question, Some(without));
        self.decide(question, Some(without), qm.as_ref()).m
    }

    /// Answers every question of one run (a questionnaire), then applies the
    /// run-level checks: an entry that is the best match for many unrelated
    /// questions is suspect (a "hub"), and its matches go to review.
    pub fn answer_all(&self, questions: &[&str]) -> Vec<Match> {
        // The meaning signal of a whole questionnaire at once: far faster
        // than one question at a time.
        let meanings: Vec<Option<meaning::QuestionMeaning>> = match &self.meaning {
            Some(m) => m
                .questions(questions, |e| self.usable(e))
                .into_iter()
                .map(Some)
                .collect(),
            None => questions.iter().map(|_| None).collect(),
        };
        // Questions are decided independently (on all cores, in order); only
        // the hub check below looks at the run as a whole.
        let pairs: Vec<(&str, Option<meaning::QuestionMeaning>)> =
            questions.iter().copied().zip(meanings).collect();
        let mut decided: Vec<Decided> =
            crate::par::map(&pairs, |(q, qm)| self.decide(q, None, qm.as_ref()));
        gates::hubness(&self.index, self.lib, &mut decided);
        decided.into_iter().map(|d| d.m).collect()
    }

    fn decide(
        &self,
        question: &str,
        without: Option<usize>,
        qm: Option<&meaning::QuestionMeaning>,
    ) -> Decided {
        let q = self.analyzer.question(question);
        let question_type = q.question_type;
        let (mut cands, query) = self.rank(&q, RERANK_DEPTH, without, qm);
        if let Some(best) = cands.first_mut() {
            best.matched = rerank::term_names(&self.index, &best.matched_ids);
        }
        let Some(best) = cands.first() else {
            return Decided {
                m: Match {
                    entry: None,
                    closest: None,
                    confidence: 0.0,
                    tier: Tier::None,
                    answer: None,
                    verdict: None,
                    flipped: false,
                    question_type,
                    held_back: false,
                    reasons: vec!["no library entry shares a term with the question".into()],
                },
                main_terms: Vec::new(),
            };
        };
        let entry = &self.lib.entries[best.entry];
        let mut reasons = rerank::explain(best);
        if question.len() > analyze::MAX_ANALYSED_BYTES {
            reasons.push(format!(
                "the question is {} bytes long: only its first and last few KiB ({} bytes in all) were read",
                question.len(),
                analyze::MAX_ANALYSED_BYTES
            ));
        }
        let doc = &self.index.docs[best.entry];
        let flip = polarity::opposite(&q.polarity, &doc.polarity, &self.analyzer);
        let (verdict, flipped) = match (&flip, polarity::flip_answer(&entry.answer)) {
            (Some(_), Some(flipped)) => (flipped, true),
            _ => (entry.answer.clone(), false),
        };
        let mut held: Vec<String> = Vec::new();
        if flip.is_none() {
            held.extend(polarity::unanswered_contrary(
                &q.polarity,
                &doc.polarity,
                &self.analyzer,
            ));
        }
        if q.polarity.second_ask_negations > 0 {
            held.push(
                "the question asks a second, negated thing (\"and whether ... not\"): answer each part"
                    .into(),
            );
        }
        if let Some(why) = &flip {
            held.push(format!(
                "the question asks the opposite of the entry ({why})"
            ));
            if !flipped {
                held.push(format!("answer {:?} cannot be flipped", entry.answer));
            }
        }
        // Gates matter only for a match that is used; the costlier ones
        // only for a match that would be filled automatically.
        // Missing words are named (which costs a second look at the texts)
        // where a gate keeps a match from being filled automatically.
        let name_words = best.confidence >= self.cfg.min_confidence;
        if best.confidence >= self.cfg.review_confidence {
            held.extend(gates::key_ask(
                &self.model,
                &self.analyzer,
                &self.index,
                question,
                &q,
                (entry, best.entry),
                &best.features,
                name_words,
            ));
            if let Some(why) =
                gates::key_term(&self.analyzer, question, &query, &best.features, name_words)
            {
                held.push(why);
            }
            if let Some(why) = gates::frameworks(&self.analyzer, &q, doc) {
                held.push(why);
            }
            if let Some(why) = gates::contradiction(
                self.lib,
                &self.index,
                &self.analyzer,
                &q,
                &cands,
                &verdict,
                self.cfg.review_confidence,
            ) {
                held.push(why);
            }
        }
        if best.confidence >= self.cfg.min_confidence && held.is_empty() {
            if let Some(why) = gates::substitution(&self.analyzer, &self.index, question, entry) {
                held.push(why);
            }
        }
        if best.confidence >= self.cfg.min_confidence {
            if let Some(why) = qm.and_then(|qm| gates::disagreement(self.lib, qm, best)) {
                held.push(why);
            }
        }
        if asks_beyond_entry(&best.features) {
            held.push(
                "much of the question is about words the library never uses: check it".into(),
            );
        }
        if shape::is_form_field(question) {
            // A label such as "Contact Email" asks for a fact about the
            // respondent (name, address, contact), which an entry written for
            // a question states only by chance: a human checks the value.
            held.push("a form field (a label, not a question): check the proposed value".into());
        }
        if shape::refers_back(question) {
            held.push(
                "the question refers back to an earlier one (\"it\", \"these\"): answer it with that context"
                    .into(),
            );
        }
        if entry.is_stale(self.cfg.today) && !self.cfg.allow_stale {
            held.push("the entry is stale (past its review interval)".into());
        }
        let answer = match question_type {
            QuestionType::YesNo => Some(verdict.clone()),
            QuestionType::Open => {
                let text = entry.comment.trim();
                if text.is_empty() {
                    held.push(format!(
                        "an open question needs an explanation, and the entry has none (its answer is {:?})",
                        entry.answer
                    ));
                    None
                } else {
                    Some(text.to_string())
                }
            }
        };
        let mut tier = if best.confidence >= self.cfg.min_confidence {
            Tier::Auto
        } else if best.confidence >= self.cfg.review_confidence {
            Tier::Review
        } else {
            Tier::None
        };
        let held_back = !held.is_empty();
        if tier == Tier::Auto && held_back {
            tier = Tier::Review;
        }
        reasons.extend(held);
        let chosen = (tier != Tier::None).then_some(best.entry);
        if tier == Tier::None {
            reasons.push(format!(
                "confidence {:.2} is below the review threshold {:.2}",
                best.confidence, self.cfg.review_confidence
            ));
        }
        Decided {
            m: Match {
                entry: chosen,
                closest: Some(best.entry),
                confidence: best.confidence,
                tier,
                answer: chosen.and(answer),
                verdict: chosen.map(|_| verdict),
                flipped: flipped && chosen.is_some(),
                question_type,
                held_back,
                reasons,
            },
            main_terms: if chosen.is_some() {
                rerank::main_terms(&q)
            } else {
                Vec::new()
            },
        }
    }
}

/// Scores, orders and sets the confidence of retrieved candidates.
pub fn rank_candidates(model: &Model, cands: &mut [Candidate]) {
    for c in cands.iter_mut() {
        c.score = model.rank_score(&c.features);
    }
    cands.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.entry.cmp(&b.entry)));
    let second = cands.get(1).map_or(0.0, |c| c.score);
    for (i, c) in cands.iter_mut().enumerate() {
        c.features.margin = if i == 0 { c.score - second } else { 0.0 };
        c.confidence = model.confidence(&c.features);
    }
}

/// Above this share of a question's idf mass in words no entry uses, the
/// match is never filled without a human.
const UNSEEN_FOR_REVIEW: f64 = 0.25;

/// A question whose words are largely unknown to the library is likely
/// asking something the library does not cover ("annual revenue" vs "annual
/// pen test"; "encrypted while in the consultant's possession" vs "encrypted
/// at rest"), even when it mentions most of the entry: never fill it without
/// a human. (Until stop 21 this also required the entry to be thinly
/// covered, under 40%; dropping that changed no dev answer, in-sample, out
/// of fold or on the unseen-wording proxy, in any mode: no dev auto answer
/// has more than 17% unseen.)
fn asks_beyond_entry(f: &rerank::Features) -> bool {
    f.unseen > UNSEEN_FOR_REVIEW
}
