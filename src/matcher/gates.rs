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

/// The key-ask gates: what the question asks that the entry lacks, and what
/// the entry states that the question does not ask.
pub(super) fn key_ask(
    model: &Model,
    analyzer: &Analyzer,
    index: &Index,
    question: &str,
    q: &Analysis,
    entry: &Entry,
    f: &Features,
) -> Vec<String> {
    let mut out = Vec::new();
    if f.main_cov < model.min_question_cov {
        let missing = missing_question_words(analyzer, index, question, q, entry);
        out.push(format!(
            "the entry covers {:.0}% of what the question asks (needs {:.0}%){}",
            100.0 * f.main_cov,
            100.0 * model.min_question_cov,
            named(" - not in the entry: ", &missing)
        ));
    }
    if f.cov_e < model.min_entry_cov {
        let missing = missing_entry_words(analyzer, q, entry);
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
    entry: &Entry,
) -> Vec<String> {
    let entry_stems = stems_of(analyzer, &entry_text(entry));
    let main: std::collections::HashSet<&str> = q
        .terms
        .iter()
        .filter(|(_, w)| *w >= 0.99)
        .map(|(t, _)| &**t)
        .collect();
    let mut words: Vec<(f64, String)> = Vec::new();
    let text = super::analyze::analysed_text(question);
    for t in analyzer.norm.tokens(&fold(&text)) {
        if t.stop || t.negator || !main.contains(&*t.stem) || entry_stems.contains(&*t.stem) {
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
    let in_question: std::collections::HashSet<&str> =
        q.terms.iter().map(|(t, _)| &**t).collect();
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

fn entry_text(e: &Entry) -> String {
    let mut text = e.question.clone();
    for v in &e.variants {
        text.push_str(". ");
        text.push_str(v);
    }
    text.push_str(". ");
    text.push_str(&e.comment);
    text.push(' ');
    text.push_str(&e.tags.join(" "));
    text
}

fn stems_of(analyzer: &Analyzer, text: &str) -> std::collections::HashSet<String> {
    analyzer
        .norm
        .tokens(&fold(&super::analyze::analysed_text(text)))
        .into_iter()
        .map(|t| t.stem.to_string())
        .collect()
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

/// How many questions of one run may share a best entry before it is
/// examined as a possible hub, and how alike their matches must be to
/// count as the same ask.
const HUB_MIN_HITS: usize = 3;

/// The run-level pass: an entry that is the best match for many unrelated
/// questions of one run is suspect. Questions matched to one entry are
/// grouped by what they share with it (the matched terms, idf-weighted):
/// questions that meet the entry on the same terms ask the same thing; an
/// entry met on different terms by several groups is a hub, and only its
/// strongest group keeps the auto tier.
pub(super) fn hubness(index: &Index, lib: &Library, decided: &mut [Decided]) {
    let mut by_entry: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, d) in decided.iter().enumerate() {
        if let (Some(e), Some(_)) = (d.m.entry, &d.features) {
            by_entry.entry(e).or_default().push(i);
        }
    }
    for (entry, hits) in by_entry {
        if hits.len() < HUB_MIN_HITS {
            continue;
        }
        let groups = group_by_shared_terms(index, decided, &hits);
        if groups.len() < HUB_MIN_HITS {
            continue;
        }
        // The group closest to the entry itself keeps its tier.
        let keep = groups
            .iter()
            .enumerate()
            .max_by(|a, b| group_strength(decided, a.1).total_cmp(&group_strength(decided, b.1)))
            .map(|(k, _)| k);
        for (k, group) in groups.iter().enumerate() {
            if Some(k) == keep {
                continue;
            }
            for &i in group {
                let m = &mut decided[i].m;
                m.held_back = true;
                m.reasons.push(format!(
                    "entry {} is the best match for {} questions of this questionnaire that ask different things (a hub): check it",
                    lib.entries[entry].id,
                    hits.len()
                ));
                if m.tier == Tier::Auto {
                    m.tier = Tier::Review;
                }
            }
        }
    }
}

/// Mean entry coverage of a group's matches.
fn group_strength(decided: &[Decided], group: &[usize]) -> f64 {
    let total: f64 = group
        .iter()
        .filter_map(|&i| decided[i].features.as_ref())
        .map(|f| f.cov_e + f.main_cov)
        .sum();
    total / group.len().max(1) as f64
}

/// Groups questions whose matched terms overlap by at least half of the
/// smaller set's idf mass (single-link).
fn group_by_shared_terms(index: &Index, decided: &[Decided], hits: &[usize]) -> Vec<Vec<usize>> {
    let mass = |ids: &[u32]| -> f64 { ids.iter().map(|&t| index.idf[t as usize]).sum() };
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for &i in hits {
        let mine = &decided[i].matched;
        let joins: Vec<usize> = groups
            .iter()
            .enumerate()
            .filter(|(_, g)| {
                g.iter().any(|&j| {
                    let theirs = &decided[j].matched;
                    let shared: Vec<u32> =
                        mine.iter().copied().filter(|t| theirs.contains(t)).collect();
                    let smaller = mass(mine).min(mass(theirs));
                    smaller > 0.0 && mass(&shared) >= 0.5 * smaller
                })
            })
            .map(|(k, _)| k)
            .collect();
        match joins.split_first() {
            None => groups.push(vec![i]),
            Some((&first, rest)) => {
                for &k in rest.iter().rev() {
                    let moved = groups.remove(k);
                    groups[first].extend(moved);
                }
                groups[first].push(i);
            }
        }
    }
    groups
}
