//! Gates before the auto tier: checks that hold a confident match back for
//! a human, with a reason naming what is missing or conflicting.
//!
//! - **Key ask, both ways**: the entry must cover enough of what the
//!   question's main sentences ask (`main_cov`), and the question must
//!   mention enough of what the entry states (`cov_e`): "Are network
//!   configurations reviewed annually?" is not answered by "Are security
//!   policies reviewed annually?", nor "Do you have an incident response
//!   plan?" by "Is the incident response plan tested annually?".
//! - **Named frameworks**: a question naming one framework (HITRUST) is not
//!   answered by an entry naming another (SOC 2), nor automatically by one
//!   that never mentions it.
//! - **Contradictions**: another candidate about as good gives the opposite
//!   answer.
//! - **Hubs** (run-level): an entry that is the best match for many
//!   unrelated questions of one questionnaire.

use std::collections::BTreeMap;

use super::analyze::Analysis;
use super::index::{DocInfo, Index};
use super::model::Model;
use super::normalize::fold;
use super::rerank::Features;
use super::{polarity, Analyzer, Candidate, Decided, Tier};
use crate::library::{Entry, Library};

/// At most this many missing words are named in a reason.
const NAMED: usize = 3;

/// The question's most specific term (the highest idf among its main
/// sentences' terms that the library knows) must be in the entry: it is the
/// key of what is asked.
pub(super) fn key_term(
    analyzer: &Analyzer,
    question: &str,
    query: &super::rerank::Query,
    f: &Features,
    name_words: bool,
) -> Option<String> {
    if f.key_miss <= 0.0 {
        return None;
    }
    let name = query.key_name.as_deref()?;
    let shown = if name_words {
        surface(analyzer, question, name)
    } else {
        name.trim_start_matches('#').replace('_', " ")
    };
    Some(format!(
        "the question's most specific term, \"{shown}\", is not in the entry"
    ))
}

/// How the question writes a term: the first word with that stem, or a
/// concept's name.
fn surface(analyzer: &Analyzer, text: &str, term: &str) -> String {
    if let Some(concept) = term.strip_prefix('#') {
        return concept.replace('_', " ");
    }
    analyzer
        .norm
        .tokens(&fold(&super::analyze::analysed_text(text)))
        .into_iter()
        .find(|t| &*t.stem == term)
        .map_or_else(|| term.to_string(), |t| t.word.to_string())
}

/// A content word of a text: its matching key (a `#concept` for words a
/// thesaurus phrase covers, else the stem) and how the text writes it.
type Keyed = (String, String);

/// The content words of a text in order, words of one concept phrase
/// merged into the concept.
fn keyed(analyzer: &Analyzer, folded: &str) -> Vec<Keyed> {
    let tokens = analyzer.norm.tokens(folded);
    let spans = super::analyze::longest_matches(analyzer.thesaurus.find_tokens(&tokens));
    let mut out: Vec<Keyed> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        if let Some((concept, span)) = spans.iter().find(|(_, r)| r.start == i) {
            let words: Vec<&str> = tokens[span.clone()].iter().map(|t| &*t.word).collect();
            out.push((format!("#{concept}"), words.join(" ")));
            i = span.end.max(i + 1);
            continue;
        }
        let t = &tokens[i];
        if !t.stop && !t.negator && !spans.iter().any(|(_, r)| r.contains(&i)) {
            out.push((t.stem.to_string(), t.word.to_string()));
        }
        i += 1;
    }
    out
}

/// A different qualifier of the same thing: the question asks about
/// "privacy awareness training" and the entry states "security awareness
/// training" ("product liability" vs "cyber liability", "accessibility
/// contact" vs "security contact"). Found where a word both texts share is
/// preceded, in each, by a content word the other text lacks. Synonyms the
/// thesaurus knows are one word here.
pub(super) fn substitution(
    analyzer: &Analyzer,
    index: &Index,
    question: &str,
    entry: &Entry,
) -> Option<String> {
    let text = super::analyze::analysed_text(question);
    let text = analyzer.as_second_person(&text);
    let q: Vec<Keyed> = super::analyze::weighted_sentences(&text)
        .into_iter()
        .filter(|(_, w)| *w >= super::analyze::W_SUB)
        .flat_map(|(s, _)| keyed(analyzer, &s))
        .collect();
    let phrasings = std::iter::once(&entry.question).chain(&entry.variants);
    let shared = |e: &[Keyed]| {
        e.iter()
            .filter(|(k, _)| q.iter().any(|(x, _)| x == k))
            .count()
    };
    let best = phrasings
        .map(|p| keyed(analyzer, &fold(&analyzer.as_second_person(p))))
        .max_by_key(|e| shared(e))?;
    let in_q = |k: &str| q.iter().any(|(x, _)| x == k);
    let in_e = |k: &str| best.iter().any(|(x, _)| x == k);
    for j in 1..best.len() {
        let (head, head_word) = &best[j];
        let (e_prev, e_prev_word) = &best[j - 1];
        if in_q(e_prev) || !in_q(head) {
            continue;
        }
        if !is_modifier(index, e_prev, e_prev_word) {
            continue;
        }
        for i in 1..q.len() {
            let (q_prev, q_prev_word) = &q[i - 1];
            let differs = !in_e(q_prev)
                && q_prev != e_prev
                && !shares_word(q_prev_word, e_prev_word)
                && is_modifier(index, q_prev, q_prev_word);
            if q[i].0 == *head && differs {
                return Some(format!(
                    "the question asks about \"{q_prev_word} {}\", the entry states \"{e_prev_word} {head_word}\"",
                    q[i].1
                ));
            }
        }
    }
    None
}

/// A word that can qualify a noun: a single word the library knows, not a
/// participle or a number ("given", "granted", "256" are not).
fn is_modifier(index: &Index, key: &str, word: &str) -> bool {
    index.terms.contains_key(key)
        && !key.starts_with('#')
        && !word.contains(' ')
        && word.chars().all(char::is_alphabetic)
        && word.len() > 2
        && !word.ends_with("ed")
        && !word.ends_with("ing")
        && !word.ends_with("en")
}

fn shares_word(a: &str, b: &str) -> bool {
    a.split(' ').any(|w| b.split(' ').any(|x| x == w))
}

/// The key-ask gates: what the question asks that the entry lacks, and what
/// the entry states that the question does not ask.
#[allow(clippy::too_many_arguments)] // the gate reads every view of the match
pub(super) fn key_ask(
    model: &Model,
    analyzer: &Analyzer,
    index: &Index,
    question: &str,
    q: &Analysis,
    (entry, d): (&Entry, usize),
    f: &Features,
    name_words: bool,
) -> Vec<String> {
    let mut out = Vec::new();
    if f.main_cov < model.min_question_cov {
        let missing = if name_words {
            missing_question_words(analyzer, index, question, q, d)
        } else {
            Vec::new()
        };
        out.push(format!(
            "the entry covers {:.0}% of what the question asks (needs {:.0}%){}",
            100.0 * f.main_cov,
            100.0 * model.min_question_cov,
            named(" - not in the entry: ", &missing)
        ));
    }
    if f.cov_e < model.min_entry_cov {
        let missing = if name_words {
            missing_entry_words(analyzer, q, entry)
        } else {
            Vec::new()
        };
        out.push(format!(
            "the question mentions {:.0}% of what the entry states (needs {:.0}%){}",
            100.0 * f.cov_e,
            100.0 * model.min_entry_cov,
            named(" - not in the question: ", &missing)
        ));
    }
    out
}

fn named(prefix: &str, words: &[String]) -> String {
    if words.is_empty() {
        String::new()
    } else {
        format!("{prefix}{}", words.join(", "))
    }
}

/// Words of the question's main sentences (most specific first) that the
/// entry does not use anywhere, as the question writes them.
fn missing_question_words(
    analyzer: &Analyzer,
    index: &Index,
    question: &str,
    q: &Analysis,
    d: usize,
) -> Vec<String> {
    let doc = &index.docs[d];
    let in_entry = |stem: &str| {
        index.terms.get(stem).is_some_and(|id| {
            doc.main_terms.binary_search(id).is_ok() || doc.side_terms.binary_search(id).is_ok()
        })
    };
    let main: std::collections::HashSet<&str> = q
        .terms
        .iter()
        .filter(|(_, w)| *w >= 0.99)
        .map(|(t, _)| &**t)
        .collect();
    let mut words: Vec<(f64, String)> = Vec::new();
    let text = super::analyze::analysed_text(question);
    for t in analyzer.norm.tokens(&fold(&text)) {
        if t.stop || t.negator || !main.contains(&*t.stem) || in_entry(&t.stem) {
            continue;
        }
        if words.iter().any(|(_, w)| **w == *t.word) {
            continue;
        }
        let idf = index
            .terms
            .get(&*t.stem)
            .map_or(index.max_idf, |&id| index.idf[id as usize]);
        words.push((idf, t.word.to_string()));
    }
    words.sort_by(|a, b| b.0.total_cmp(&a.0));
    words.into_iter().take(NAMED).map(|(_, w)| w).collect()
}

/// Words of the entry's question that the question lacks, as the entry
/// writes them.
fn missing_entry_words(analyzer: &Analyzer, q: &Analysis, entry: &Entry) -> Vec<String> {
    let in_question: std::collections::HashSet<&str> = q.terms.iter().map(|(t, _)| &**t).collect();
    let mut out: Vec<String> = Vec::new();
    for t in analyzer.norm.tokens(&fold(&entry.question)) {
        if t.stop || t.negator || in_question.contains(&*t.stem) {
            continue;
        }
        if !out.iter().any(|w| **w == *t.word) && !analyzer.own_names_contain(&t.word) {
            out.push(t.word.to_string());
        }
    }
    out.truncate(NAMED);
    out
}

/// A framework named by the question that the entry contradicts or lacks.
pub(super) fn frameworks(analyzer: &Analyzer, q: &Analysis, doc: &DocInfo) -> Option<String> {
    let names = |ids: &mut dyn Iterator<Item = &std::sync::Arc<str>>| -> String {
        ids.map(|id| {
            analyzer
                .thesaurus
                .frameworks
                .get(id)
                .cloned()
                .unwrap_or_else(|| id.to_string())
        })
        .collect::<Vec<_>>()
        .join(", ")
    };
    let asked: Vec<&std::sync::Arc<str>> = q
        .main_concepts
        .iter()
        .filter(|c| q.frameworks.contains(*c))
        .collect();
    if asked.is_empty() {
        return None;
    }
    let missing: Vec<&std::sync::Arc<str>> = asked
        .iter()
        .copied()
        .filter(|f| !doc.frameworks_mentioned.contains(f))
        .collect();
    if missing.is_empty() {
        return None;
    }
    let entry_names: Vec<&std::sync::Arc<str>> = doc
        .frameworks_named
        .iter()
        .filter(|f| !asked.contains(f))
        .collect();
    Some(if entry_names.is_empty() {
        format!(
            "the question names {}; the entry never mentions it",
            names(&mut missing.into_iter())
        )
    } else {
        format!(
            "the question names {}; the entry is about {}",
            names(&mut missing.into_iter()),
            names(&mut entry_names.into_iter())
        )
    })
}

/// Another candidate nearly as good as the best gives the opposite Yes/No
/// for this question: the library contradicts itself, or the question sits
/// between two entries. Names both.
pub(super) fn contradiction(
    lib: &Library,
    index: &Index,
    analyzer: &Analyzer,
    q: &Analysis,
    cands: &[Candidate],
    verdict: &str,
    review: f64,
) -> Option<String> {
    let best = cands.first()?;
    let mine = yes_no(verdict)?;
    for c in &cands[1..] {
        let close = c.confidence >= review && c.confidence >= best.confidence - 0.2;
        if !close {
            continue;
        }
        let e = &lib.entries[c.entry];
        let flip = polarity::opposite(&q.polarity, &index.docs[c.entry].polarity, analyzer);
        let theirs = match (flip, polarity::flip_answer(&e.answer)) {
            (Some(_), Some(flipped)) => flipped,
            _ => e.answer.clone(),
        };
        if yes_no(&theirs).is_some_and(|t| t != mine) {
            return Some(format!(
                "entries {} ({}) and {} ({}) both match and answer this question oppositely",
                lib.entries[best.entry].id, verdict, e.id, theirs
            ));
        }
    }
    None
}

fn yes_no(answer: &str) -> Option<bool> {
    match answer.trim().to_ascii_lowercase().as_str() {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    }
}

/// An entry that is the best match for at least this many questions of one
/// run, about at least this many different things, is a hub.
const HUB_MIN_HITS: usize = 3;
const HUB_MIN_SUBJECTS: usize = 3;

/// The run-level pass: an entry that is the best match for many unrelated
/// questions of one run is suspect ("Are network configurations reviewed
/// annually?", "Are supplier agreements reviewed annually?" and "Is the
/// scope reviewed annually?" all meeting "Are security policies reviewed
/// annually?" on "reviewed annually"). What a question asks beyond its
/// entry (its main-sentence terms the entry lacks) is its own subject;
/// questions with overlapping subjects ask the same thing. When an entry's
/// questions have several different subjects, each question with a subject
/// of its own goes to review; questions the entry covers fully keep their
/// tier.
pub(super) fn hubness(index: &Index, lib: &Library, decided: &mut [Decided]) {
    let mut by_entry: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, d) in decided.iter().enumerate() {
        if let Some(e) = d.m.entry {
            by_entry.entry(e).or_default().push(i);
        }
    }
    for (entry, hits) in by_entry {
        if hits.len() < HUB_MIN_HITS {
            continue;
        }
        let remainders: Vec<Vec<String>> = hits
            .iter()
            .map(|&i| super::rerank::remainder(index, &decided[i].main_terms, entry))
            .collect();
        let subjects = subjects(&remainders, hits.len());
        let with_subject: Vec<(usize, Vec<String>)> = hits
            .iter()
            .copied()
            .zip(subjects)
            .filter(|(_, s)| !s.is_empty())
            .collect();
        let groups = group_by_overlap(index, &with_subject);
        if groups < HUB_MIN_SUBJECTS {
            continue;
        }
        for (i, subject) in with_subject {
            let m = &mut decided[i].m;
            m.held_back = true;
            m.reasons.push(format!(
                "entry {} is the best match for {} questions of this questionnaire about {groups} different subjects (a hub); this one is also about: {}",
                lib.entries[entry].id,
                hits.len(),
                subject.join(", ")
            ));
            if m.tier == Tier::Auto {
                m.tier = Tier::Review;
            }
        }
    }
}

/// Each hit's own subject: its remainder without the terms that most of
/// the entry's questions share ("procedures", "updated" in "policies and
/// procedures reviewed and updated").
fn subjects(remainders: &[Vec<String>], hits: usize) -> Vec<Vec<String>> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for r in remainders {
        for t in r {
            *counts.entry(t.as_str()).or_default() += 1;
        }
    }
    let common = |t: &str| hits >= 4 && 2 * counts.get(t).copied().unwrap_or(0) > hits;
    remainders
        .iter()
        .map(|r| r.iter().filter(|t| !common(t)).cloned().collect())
        .collect()
}

/// The number of distinct subjects: a subject joins a group when it
/// overlaps the group's first subject by at least half of the smaller one's
/// idf mass.
fn group_by_overlap(index: &Index, subjects: &[(usize, Vec<String>)]) -> usize {
    let idf = |t: &str| {
        index
            .terms
            .get(t)
            .map_or(index.max_idf, |&id| index.idf[id as usize])
    };
    let mass = |ts: &[String]| -> f64 { ts.iter().map(|t| idf(t)).sum() };
    let same = |a: &[String], b: &[String]| {
        let shared: f64 = a.iter().filter(|t| b.contains(t)).map(|t| idf(t)).sum();
        let smaller = mass(a).min(mass(b));
        smaller > 0.0 && shared >= 0.5 * smaller
    };
    let mut seeds: Vec<&[String]> = Vec::new();
    for (_, subject) in subjects {
        if !seeds.iter().any(|seed| same(seed, subject)) {
            seeds.push(subject);
        }
    }
    seeds.len()
}

/// The two rankers disagree: the entry closest in meaning (the embedding
/// ranker's top-1) is another one. Where they agree they are nearly always
/// right; where they do not, one of them is wrong, and an answer nobody
/// reads must not depend on which.
pub fn disagreement(
    lib: &Library,
    qm: &super::meaning::QuestionMeaning,
    best: &super::Candidate,
) -> Option<String> {
    let &(other, cosine) = qm.nearest.first()?;
    (other != best.entry).then(|| {
        format!(
            "the entry closest in meaning is {} (cosine {cosine:.2}), not this one: check which fits",
            lib.entries[other].id
        )
    })
}
