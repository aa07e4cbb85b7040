//! Re-ranking features of a candidate: how much of the question the entry
//! covers (idf-weighted), how much of the entry the question covers,
//! character similarity, concept agreement and identifier conflicts.

use serde::Serialize;

use std::sync::Arc;

use super::analyze::Analysis;
use super::index::Index;

/// Weights of the re-ranking score (tuned on dev, see `vouch eval`).
const W_BM25: f64 = 0.35;
const W_COV_Q: f64 = 0.35;
const W_COV_E: f64 = 0.2;
const W_DICE: f64 = 0.1;
/// A question term found only in the comment / tags counts this much.
const SIDE_CREDIT: f64 = 0.5;
/// A typo-corrected term counts this much.
const FUZZY_CREDIT: f64 = 0.8;

/// A question resolved against the index vocabulary.
pub struct Query {
    /// (term id, weight) for BM25.
    pub terms: Vec<(u32, f64)>,
    /// idf * weight of every question term, known or not.
    pub mass: f64,
    /// The part of `mass` from terms no entry uses.
    pub unseen_mass: f64,
    /// The idf of an unseen word in a main sentence, or 0.
    pub unseen_main_max: f64,
    /// Character bigrams of the main sentences' stems.
    pub bigrams: Vec<u32>,
    /// The term ids of `terms`, sorted.
    pub sorted_ids: Vec<u32>,
    /// The most specific term of the main sentences that the library knows
    /// (a word no entry uses may be any rare word: "once", "given"; those
    /// count in `unseen` and `main_cov` instead): (term id, its idf).
    pub key_term: Option<(Option<u32>, f64)>,
    /// That term as analysed (a stem or `#concept`).
    pub key_name: Option<Arc<str>>,
    /// idf mass of the main sentences' terms, and the part no entry uses.
    pub main_mass: f64,
}

/// Terms of at least this weight come from the main question sentences.
const MAIN_WEIGHT: f64 = 0.99;

pub fn resolve_query(index: &Index, q: &Analysis) -> Query {
    let mut terms: Vec<(u32, f64)> = Vec::new();
    let mut mass = 0.0;
    let mut unseen = 0.0;
    let mut unseen_main_max: f64 = 0.0;
    let mut key_term: Option<(Option<u32>, f64)> = None;
    let mut key_name: Option<Arc<str>> = None;
    let mut main_mass = 0.0;
    let mut consider_key = |id: Option<u32>, idf: f64, name: &Arc<str>| {
        if key_term.is_none_or(|(_, best)| idf > best) {
            key_term = Some((id, idf));
            key_name = Some(name.clone());
        }
    };
    for (t, w) in &q.terms {
        let main = *w >= MAIN_WEIGHT;
        match index.resolve(t) {
            Some((id, fuzzy)) => {
                let w = if fuzzy { w * FUZZY_CREDIT } else { *w };
                mass += w * index.idf[id as usize];
                if main {
                    main_mass += index.idf[id as usize];
                    consider_key(Some(id), index.idf[id as usize], t);
                }
                match terms.iter_mut().find(|(i, _)| *i == id) {
                    Some(existing) => existing.1 = existing.1.max(w),
                    None => terms.push((id, w)),
                }
            }
            None if q.covered.contains(t) => {}
            None => {
                mass += w * index.max_idf;
                unseen += w * index.max_idf;
                if main && !t.starts_with('#') {
                    unseen_main_max = index.max_idf;
                    main_mass += index.max_idf;
                }
            }
        }
    }
    let mut sorted_ids: Vec<u32> = terms.iter().map(|(t, _)| *t).collect();
    sorted_ids.sort_unstable();
    Query {
        key_term,
        key_name,
        main_mass,
        sorted_ids,
        terms,
        mass,
        unseen_mass: unseen,
        unseen_main_max,
        bigrams: super::index::bigrams(&q.stem_text),
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Features {
    /// BM25F score relative to the question's total idf mass.
    pub bm25: f64,
    /// Share of the question's idf mass found in the entry.
    pub cov_q: f64,
    /// Share of the entry question's idf mass found in the question.
    pub cov_e: f64,
    /// Sørensen-Dice similarity of the stemmed texts.
    pub dice: f64,
    /// Share of the question's concepts the entry also has.
    pub concepts: f64,
    /// Share of the question's idf mass from words no entry uses.
    pub unseen: f64,
    /// The question names an identifier (SOC 1, ISO 9001) the entry names with
    /// another number.
    pub conflict: f64,
    /// idf of the most distinctive question word (main sentences) the entry
    /// lacks, relative to the idf of a word no entry uses.
    pub miss: f64,
    /// A capitalised acronym or identifier of the question (CMMC, SOC 1) that
    /// the entry does not have.
    pub distinct_miss: f64,
    /// The question is about the customer's own people or systems ("our own
    /// employees") and the entry says nothing about customers.
    pub customer_side: f64,
    /// idf of the most distinctive word of the entry's question that the
    /// question lacks, relative to the idf of an unseen word.
    pub entry_miss: f64,
    /// Score gap to the second candidate (set for the first candidate only).
    pub margin: f64,
    /// The question's most specific main-sentence term that the library
    /// knows (highest idf) is missing from the entry: its idf relative to an
    /// unseen word's, else 0.
    pub key_miss: f64,
    /// Share of the main sentences' idf mass that the entry covers.
    pub main_cov: f64,
    /// Every phrasing of the entry has a most specific term that the
    /// question lacks: the smallest such idf (relative), else 0.
    pub entry_key_miss: f64,
    /// The question names a framework (SOC 2, HIPAA ...) and the entry names
    /// only others.
    pub framework_conflict: f64,
    /// The question names a framework the entry never mentions.
    pub framework_missing: f64,
    /// The meaning signal (0 in lexical mode): the best cosine between the
    /// question's vector and the entry's texts (question, variants).
    pub cosine: f64,
    /// 1 when the entry is also the embedding ranker's top-1.
    pub agree: f64,
    /// The entry's cosine minus the best cosine of any other entry.
    pub cos_gap: f64,
    /// The cosine between the question's vector and the entry's comment
    /// (`cosine` when it has none; 0 in lexical mode).
    pub comment_cos: f64,
}

impl Features {
    pub fn rank_score(&self) -> f64 {
        W_BM25 * self.bm25.min(1.5)
            + W_COV_Q * self.cov_q
            + W_COV_E * self.cov_e
            + W_DICE * self.dice
            - 0.3 * self.conflict
    }
}

/// Features of entry `d` for question `q`, and the matched terms.
pub fn features(
    index: &Index,
    q: &Analysis,
    query: &Query,
    d: usize,
    bm25: f64,
) -> (Features, Vec<u32>) {
    let doc = &index.docs[d];
    let mut covered = 0.0;
    let mut matched = Vec::new();
    let mut miss: f64 = query.unseen_main_max;
    let mut main_covered = 0.0;
    for &(t, w) in &query.terms {
        let idf = index.idf[t as usize];
        let main = w >= MAIN_WEIGHT;
        if doc.main_terms.binary_search(&t).is_ok() {
            covered += w * idf;
            matched.push(t);
            if main {
                main_covered += idf;
            }
        } else if doc.side_terms.binary_search(&t).is_ok() {
            covered += SIDE_CREDIT * w * idf;
            matched.push(t);
            if main {
                main_covered += SIDE_CREDIT * idf;
            }
        } else if main {
            miss = miss.max(idf);
        }
    }
    let has_term = |t: u32| {
        doc.main_terms.binary_search(&t).is_ok() || doc.side_terms.binary_search(&t).is_ok()
    };
    let key_miss = match query.key_term {
        Some((Some(t), idf)) if !has_term(t) => idf / index.max_idf,
        Some((None, _)) => 1.0,
        _ => 0.0,
    };
    let mass = query.mass.max(1e-9);
    let q_ids = &query.sorted_ids;
    let mut cov_e: f64 = 0.0;
    let mut dice: f64 = 0.0;
    let mut entry_miss: f64 = 1.0;
    let mut entry_key_miss: f64 = 1.0;
    for (terms, grams) in doc.phrasing_terms.iter().zip(&doc.phrasing_bigrams) {
        let mut total = 0.0;
        let mut hit = 0.0;
        let mut worst: f64 = 0.0;
        // The phrasing's most specific term, and whether the question has it.
        let mut key: (f64, bool) = (0.0, true);
        for &id in terms {
            let idf = index.idf[id as usize];
            total += idf;
            let present = q_ids.binary_search(&id).is_ok();
            if present {
                hit += idf;
            } else {
                worst = worst.max(idf);
            }
            if idf > key.0 {
                key = (idf, present);
            }
        }
        entry_key_miss = entry_key_miss.min(if key.1 { 0.0 } else { key.0 / index.max_idf });
        if total > 0.0 {
            cov_e = cov_e.max(hit / total);
        }
        dice = dice.max(super::index::dice(&query.bigrams, grams));
        entry_miss = entry_miss.min(worst / index.max_idf);
    }
    let e_concepts = &doc.concepts;
    let concepts = if q.concepts.is_empty() {
        0.0
    } else {
        q.concepts.intersection(e_concepts).count() as f64 / q.concepts.len() as f64
    };
    let features = Features {
        bm25: bm25 / mass,
        cov_q: covered / mass,
        cov_e,
        dice,
        concepts,
        unseen: query.unseen_mass / mass,
        conflict: conflict(q, doc),
        miss: miss / index.max_idf,
        entry_miss,
        distinct_miss: distinct_miss(index, q, doc),
        customer_side: customer_side(q, doc),
        margin: 0.0,
        key_miss,
        main_cov: if query.main_mass > 0.0 {
            main_covered / query.main_mass
        } else {
            0.0
        },
        entry_key_miss: if doc.phrasing_terms.is_empty() {
            0.0
        } else {
            entry_key_miss
        },
        framework_conflict: framework_conflict(q, doc),
        framework_missing: framework_missing(q, doc),
        cosine: 0.0,
        agree: 0.0,
        cos_gap: 0.0,
        comment_cos: 0.0,
    };
    (features, matched)
}

/// The terms of the question's main sentences (concept terms stand for
/// the words they cover).
pub fn main_terms(q: &Analysis) -> Vec<Arc<str>> {
    q.terms
        .iter()
        .filter(|(t, w)| *w >= MAIN_WEIGHT && !q.covered.contains(t))
        .map(|(t, _)| t.clone())
        .collect()
}

/// Of `terms`, those entry `d` lacks, sorted.
pub fn remainder(index: &Index, terms: &[Arc<str>], d: usize) -> Vec<String> {
    let doc = &index.docs[d];
    let mut out: Vec<String> = terms
        .iter()
        .filter(|t| match index.terms.get(&***t) {
            Some(id) => {
                doc.main_terms.binary_search(id).is_err()
                    && doc.side_terms.binary_search(id).is_err()
            }
            None => true,
        })
        .map(|t| t.to_string())
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Names of matched term ids.
pub fn term_names(index: &Index, ids: &[u32]) -> Vec<String> {
    ids.iter()
        .map(|&t| index.term_names[t as usize].clone())
        .collect()
}

fn customer_side(q: &Analysis, doc: &super::index::DocInfo) -> f64 {
    let e = &doc.concepts;
    let asks = q.concepts.contains("customer_side");
    f64::from(u8::from(
        asks && !e.contains("customers") && !e.contains("customer_side"),
    ))
}

fn distinct_miss(index: &Index, q: &Analysis, doc: &super::index::DocInfo) -> f64 {
    let missing = q.distinctive.iter().any(|t| match index.terms.get(t) {
        Some(id) => {
            doc.main_terms.binary_search(id).is_err() && doc.side_terms.binary_search(id).is_err()
        }
        None => true,
    });
    f64::from(u8::from(missing))
}

/// Frameworks named in the question's main sentences.
fn question_frameworks(q: &Analysis) -> impl Iterator<Item = &Arc<str>> {
    q.frameworks.iter().filter(|c| q.main_concepts.contains(*c))
}

/// 1 when the question names a framework, the entry names others, and
/// none of the question's.
fn framework_conflict(q: &Analysis, doc: &super::index::DocInfo) -> f64 {
    if q.frameworks.is_empty() || doc.frameworks_named.is_empty() {
        return 0.0;
    }
    let mut asked = question_frameworks(q).peekable();
    let conflict = asked.peek().is_some() && !asked.any(|f| doc.frameworks_mentioned.contains(f));
    f64::from(u8::from(conflict))
}

/// 1 when the question names a framework that the entry never mentions.
fn framework_missing(q: &Analysis, doc: &super::index::DocInfo) -> f64 {
    if q.frameworks.is_empty() {
        return 0.0;
    }
    let missing = question_frameworks(q).any(|f| !doc.frameworks_mentioned.contains(f));
    f64::from(u8::from(missing))
}

/// 1 when the question names `name N` and the entry names `name M` (M != N)
/// but never `name N`: SOC 1 vs SOC 2, ISO 9001 vs ISO 27001.
fn conflict(q: &Analysis, doc: &super::index::DocInfo) -> f64 {
    for (name, num) in &q.identifiers {
        let mut other = false;
        let mut same = false;
        for (n, m) in &doc.identifiers {
            if n == name {
                if m == num {
                    same = true;
                } else {
                    other = true;
                }
            }
        }
        if other && !same {
            return 1.0;
        }
    }
    0.0
}

/// Human-readable reasons for a candidate.
pub fn explain(c: &super::Candidate) -> Vec<String> {
    let f = &c.features;
    let mut out = vec![format!(
        "matched {} (question coverage {:.0}%, entry coverage {:.0}%, similarity {:.2})",
        if c.matched.is_empty() {
            "nothing".to_string()
        } else {
            c.matched.join(", ")
        },
        100.0 * f.cov_q,
        100.0 * f.cov_e,
        f.dice
    )];
    if f.conflict > 0.0 {
        out.push(
            "the question names a different version or number than the entry (e.g. SOC 1 vs SOC 2)"
                .into(),
        );
    }
    if f.unseen > 0.3 {
        out.push(format!(
            "{:.0}% of the question uses words no entry uses",
            100.0 * f.unseen
        ));
    }
    out
}
