//! Keeping the library true: `vouch library lint` (and `vouch check`).
//!
//! Beyond the field checks of [`super::validate`], lint looks across entries:
//! - near-duplicates (two entries a question could equally match), with
//!   their similarity; near-duplicates whose Yes/No answers contradict each
//!   other (after the matcher's polarity handling) are an **error** naming
//!   both ids;
//! - entries past their review date;
//! - in-scope TSC criteria no entry speaks to, and implemented controls no
//!   entry references (when the project has `data/`);
//! - phrases of `answers/thesaurus.toml` whose concept no entry mentions (a
//!   question using them can never reach an entry through them);
//! - "hub" entries: the closest entry for the questions of several other,
//!   unrelated entries, a sign that their wording is too generic.
//!
//! Similarity is the matcher's confidence that one entry's phrasing would be
//! answered by the other entry, with the runner-up margin left out (both
//! entries are in the library, so the margin says nothing).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::Path;

use chrono::NaiveDate;
use serde::Serialize;

use super::harvest::yes_no;
use super::{Entry, Library, THESAURUS_FILE};
use crate::diag::{Finding, Severity};
use crate::matcher::analyze::{own_names, Analyzer};
use crate::matcher::{polarity, Features, MatchConfig, Matcher, Thesaurus};
use crate::model::Project;

/// At or above: two entries are near-duplicates.
pub const NEAR_DUPLICATE: f64 = 0.80;
/// At or above, near-duplicates with opposite Yes/No answers are an error
/// (below, a warning): a higher bar, as an error blocks a pull request.
pub const CONTRADICTION: f64 = 0.85;
/// At or above: an entry is a plausible (review-tier) match for a question.
const PLAUSIBLE: f64 = 0.45;
/// An entry closest to this many unrelated entries' questions is a hub.
const HUB_MIN: usize = 4;
/// ... when the matcher would fill them from it without a human.
const HUB_CONFIDENCE: f64 = 0.75;
/// How many candidates are looked at per phrasing.
const DEPTH: usize = 4;

/// One lint finding with what it is about.
#[derive(Debug, Clone, Serialize)]
pub struct LintFinding {
    #[serde(flatten)]
    pub finding: Finding,
    /// `invalid`, `controls`, `conflict`, `near-duplicate`, `stale`,
    /// `uncovered-criterion`, `unreferenced-control`, `unused-phrase`, `hub`.
    pub kind: &'static str,
    /// The entries concerned (both ids for a pair).
    pub entries: Vec<String>,
    /// Their owners and last review dates, in the same order.
    pub owners: Vec<Option<String>>,
    pub reviewed: Vec<Option<NaiveDate>>,
    pub similarity: Option<f64>,
}

impl LintFinding {
    fn new(kind: &'static str, finding: Finding, entries: &[&Entry]) -> Self {
        LintFinding {
            finding,
            kind,
            entries: entries.iter().map(|e| e.id.clone()).collect(),
            owners: entries.iter().map(|e| e.owner.clone()).collect(),
            reviewed: entries.iter().map(|e| e.reviewed).collect(),
            similarity: None,
        }
    }
}

/// What lint looks at.
pub struct LintInput<'a> {
    pub lib: &'a Library,
    /// The library's load findings (bad fields, unknown keys).
    pub load_findings: &'a [Finding],
    pub thesaurus: &'a Thesaurus,
    /// The library directory (for `thesaurus.toml`), None for a CSV library.
    pub dir: Option<&'a Path>,
    /// The project, when there is a `data/` beside the library.
    pub project: Option<&'a Project>,
    pub today: NaiveDate,
}

/// Every finding, errors first, then by file and line.
pub fn lint(input: &LintInput) -> Vec<LintFinding> {
    let mut out: Vec<LintFinding> = input
        .load_findings
        .iter()
        .cloned()
        .map(|f| plain(f, input.lib))
        .collect();
    let known: HashSet<String> = input
        .project
        .map(|p| p.controls.iter().map(|c| c.id.clone()).collect())
        .unwrap_or_default();
    out.extend(
        super::validate(input.lib, &known, input.today)
            .into_iter()
            .map(|f| plain(f, input.lib)),
    );
    out.extend(across_entries(input));
    sort(&mut out);
    out
}

/// The checks across entries only (what `vouch check` adds to validation).
pub fn across_entries(input: &LintInput) -> Vec<LintFinding> {
    let mut out = Vec::new();
    if !input.lib.entries.is_empty() {
        let pairs = similar_pairs(input.lib, input.thesaurus);
        out.extend(pair_findings(input.lib, input.thesaurus, &pairs));
        out.extend(hubs(input.lib, &pairs));
    }
    if let Some(project) = input.project {
        out.extend(uncovered_criteria(input.lib, project));
        out.extend(unreferenced_controls(input.lib, project));
    }
    if let Some(dir) = input.dir {
        out.extend(unused_phrases(input.lib, input.thesaurus, dir));
    }
    out
}

pub fn sort(findings: &mut [LintFinding]) {
    findings.sort_by(|a, b| {
        let key = |f: &LintFinding| {
            (
                f.finding.severity,
                f.finding.file.clone(),
                f.finding.line.unwrap_or(0),
            )
        };
        key(a).cmp(&key(b))
    });
}

/// A finding of the loader or of validation, tied to the entry on its line.
fn plain(f: Finding, lib: &Library) -> LintFinding {
    let entry = lib
        .entries
        .iter()
        .find(|e| Some(e.source.line) == f.line && e.source.file == f.file);
    let kind = match f.field.as_deref() {
        Some("controls") | Some("criteria") => "controls",
        Some("reviewed") if f.message.contains("stale") => "stale",
        _ => "invalid",
    };
    let entries: Vec<&Entry> = entry.into_iter().collect();
    LintFinding::new(kind, f, &entries)
}

/// `IT, reviewed 2026-01-02` / `no owner, never reviewed`.
pub fn who(e: &Entry) -> String {
    let owner = e
        .owner
        .as_deref()
        .map_or("no owner".to_string(), |o| format!("owner {o}"));
    let reviewed = e
        .reviewed
        .map_or("never reviewed".to_string(), |d| format!("reviewed {d}"));
    format!("{owner}, {reviewed}")
}

/// One entry's phrasing against another entry.
#[derive(Debug, Clone)]
struct Pair {
    /// Symmetric similarity (see [`pair_similarity`]).
    similarity: f64,
    /// The matcher's confidence that the other entry answers the phrasing,
    /// without the runner-up margin (the phrasing's own entry is the
    /// runner-up here): how the matcher would see it as a customer question.
    confidence: f64,
    /// The phrasing of `a` that matched `b` best.
    text: String,
}

/// For each entry, the entries its phrasings match at least plausibly, with
/// the best similarity: (i, j) -> pair, i != j, directed (i's phrasing, j).
fn similar_pairs(lib: &Library, thesaurus: &Thesaurus) -> BTreeMap<(usize, usize), Pair> {
    let mut cfg = MatchConfig::new(NaiveDate::MIN);
    cfg.include_internal = true;
    cfg.allow_stale = true;
    let matcher = Matcher::new(lib, thesaurus, cfg);
    let mut out: BTreeMap<(usize, usize), Pair> = BTreeMap::new();
    for (i, e) in lib.entries.iter().enumerate() {
        for text in e.phrasings() {
            for c in matcher.search(text, DEPTH) {
                if c.entry == i {
                    continue;
                }
                let similarity = pair_similarity(&c.features);
                // Ranked below the phrasing's own entry, a candidate has no
                // runner-up margin: its confidence is as if it stood alone.
                let confidence = c.confidence;
                if similarity < PLAUSIBLE && confidence < PLAUSIBLE {
                    continue;
                }
                let slot = out.entry((i, c.entry)).or_insert(Pair {
                    similarity,
                    confidence,
                    text: text.to_string(),
                });
                if similarity > slot.similarity {
                    slot.similarity = similarity;
                    slot.text = text.to_string();
                }
                slot.confidence = slot.confidence.max(confidence);
            }
        }
    }
    out
}

/// How alike a phrasing and an entry are, in [0, 1]: the share of each
/// covered by the other (the smaller of the two, so a short phrasing inside
/// a longer question is not a duplicate of it) averaged with the character
/// similarity of the stemmed texts. The matcher's confidence is not used:
/// it is calibrated for the best candidate of a customer question, with the
/// runner-up margin as its main evidence.
fn pair_similarity(f: &Features) -> f64 {
    let coverage = f.cov_q.min(f.cov_e).min(1.0);
    (0.5 * coverage + 0.5 * f.dice - 0.5 * f.conflict).clamp(0.0, 1.0)
}

/// Near-duplicates, and contradictions among them.
fn pair_findings(
    lib: &Library,
    thesaurus: &Thesaurus,
    pairs: &BTreeMap<(usize, usize), Pair>,
) -> Vec<LintFinding> {
    let mut analyzer = Analyzer::new(thesaurus);
    analyzer.own_names = own_names(lib.entries.iter().map(|e| e.question.as_str()));
    // Undirected: the stronger direction of each pair.
    let mut best: BTreeMap<(usize, usize), (usize, &Pair)> = BTreeMap::new();
    for (&(i, j), pair) in pairs {
        if pair.similarity < NEAR_DUPLICATE {
            continue;
        }
        let key = (i.min(j), i.max(j));
        let slot = best.entry(key).or_insert((i, pair));
        if pair.similarity > slot.1.similarity {
            *slot = (i, pair);
        }
    }
    let mut out = Vec::new();
    for (&(x, y), &(from, pair)) in &best {
        let (a, b) = (&lib.entries[x], &lib.entries[y]);
        let (asker, answerer) = if from == x { (a, b) } else { (b, a) };
        // The answer `answerer` gives to `asker`'s phrasing, after the
        // matcher's polarity rule ("Can staff log in with just a password?"
        // against "Is MFA enforced?" flips Yes to No).
        let question = analyzer.question(&pair.text);
        let entry = analyzer.field(&answerer.question);
        let flip = polarity::opposite(&question.polarity, &entry.polarity, &analyzer);
        let given = match &flip {
            Some(_) => polarity::flip_answer(&answerer.answer).unwrap_or(answerer.answer.clone()),
            None => answerer.answer.clone(),
        };
        let similarity = (pair.similarity * 1000.0).round() / 1000.0;
        let opposite =
            matches!((yes_no(&asker.answer), yes_no(&given)), (Some(p), Some(q)) if p != q);
        let contradict = opposite && pair.similarity >= CONTRADICTION;
        let flipped = if flip.is_some() {
            " once the negation is taken into account"
        } else {
            ""
        };
        let mut finding = if contradict {
            let f = Finding::error(
                &a.source.file,
                format!(
                    "entries {} and {} ask the same thing (similarity {similarity:.2}) but answer {} and {}{flipped}: \
                     fix the wrong one or make the questions distinct ({}: {}; {}: {})",
                    a.id, b.id, a.answer, b.answer, a.id, who(a), b.id, who(b)
                ),
            );
            LintFinding::new("conflict", f.at(a.source.line).field("answer"), &[a, b])
        } else {
            let differ = if crate::library::harvest::same_answer(&asker.answer, &given) {
                String::new()
            } else {
                format!(" (answers {:?} and {:?})", a.answer, b.answer)
            };
            let f =
                Finding::warning(
                    &a.source.file,
                    format!(
                    "entries {} and {} are near-duplicates (similarity {similarity:.2}){differ}: \
                     merge them, keeping the other's question as a variant ({}: {}; {}: {})",
                    a.id, b.id, a.id, who(a), b.id, who(b)
                ),
                );
            LintFinding::new(
                "near-duplicate",
                f.at(a.source.line).field("question"),
                &[a, b],
            )
        };
        finding.similarity = Some(similarity);
        out.push(finding);
    }
    out
}

/// Entries that are the closest other entry for the questions of several
/// unrelated entries (neither near-duplicates of it nor of each other).
fn hubs(lib: &Library, pairs: &BTreeMap<(usize, usize), Pair>) -> Vec<LintFinding> {
    let near = |i: usize, j: usize| {
        let s = |a, b| pairs.get(&(a, b)).map_or(0.0, |p: &Pair| p.similarity);
        s(i, j).max(s(j, i)) >= NEAR_DUPLICATE
    };
    // The other entry the matcher would pick for each entry's phrasings.
    let mut closest: HashMap<usize, (usize, f64)> = HashMap::new();
    for (&(i, j), pair) in pairs.iter().filter(|(_, p)| p.confidence >= HUB_CONFIDENCE) {
        let slot = closest.entry(i).or_insert((j, pair.confidence));
        if pair.confidence > slot.1 || (pair.confidence == slot.1 && j < slot.0) {
            *slot = (j, pair.confidence);
        }
    }
    let mut sources: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (&i, &(j, _)) in &closest {
        if !near(i, j) {
            sources.entry(j).or_default().push(i);
        }
    }
    let links: usize = sources.values().map(Vec::len).sum();
    let min_sources = hub_threshold(lib.entries.len(), links);
    let mut out = Vec::new();
    for (hub, mut from) in sources {
        from.sort_unstable();
        // Keep only sources unrelated to each other.
        let mut unrelated: Vec<usize> = Vec::new();
        for s in from {
            if unrelated.iter().all(|&u| !near(u, s)) {
                unrelated.push(s);
            }
        }
        if unrelated.len() < min_sources {
            continue;
        }
        let e = &lib.entries[hub];
        let ids: Vec<&str> = unrelated
            .iter()
            .map(|&s| lib.entries[s].id.as_str())
            .collect();
        let f = Finding::warning(
            &e.source.file,
            format!(
                "entry {} is the closest match for the questions of {} unrelated entries ({}): \
                 its wording is generic and it may catch questions it does not answer; make it more specific ({})",
                e.id,
                ids.len(),
                ids.join(", "),
                who(e)
            ),
        )
        .at(e.source.line)
        .field("question");
        let mut entries = vec![e];
        entries.extend(unrelated.iter().map(|&s| &lib.entries[s]));
        out.push(LintFinding::new("hub", f, &entries));
    }
    out
}

/// How many sources make a hub in a library of `n` entries with `links`
/// closest-entry links: at least [`HUB_MIN`], and more than chance would give
/// any entry (the smallest `k` with `n * P(X >= k) < 1` for a Poisson count
/// of mean `links / n`), so a large library does not flag its ordinary
/// neighbourhoods.
fn hub_threshold(n: usize, links: usize) -> usize {
    let n = n.max(1) as f64;
    let lambda = links as f64 / n;
    let mut below = 0.0; // P(X < k)
    let mut term = (-lambda).exp(); // P(X = i)
    for k in 0..10_000usize {
        if k >= HUB_MIN && n * (1.0 - below) < 1.0 {
            return k;
        }
        below += term;
        term *= lambda / (k + 1) as f64;
    }
    usize::MAX
}

/// The TSC criteria an entry speaks to: its own, the TSC ids among its
/// controls, and those of its controls.
fn criteria_of(e: &Entry, controls: &HashMap<&str, &Vec<String>>) -> Vec<String> {
    let mut out = e.criteria.clone();
    for c in &e.controls {
        if super::is_tsc_id(c) {
            out.push(c.clone());
        } else if let Some(criteria) = controls.get(c.as_str()) {
            out.extend(criteria.iter().cloned());
        }
    }
    out
}

fn uncovered_criteria(lib: &Library, project: &Project) -> Vec<LintFinding> {
    let controls: HashMap<&str, &Vec<String>> = project
        .controls
        .iter()
        .map(|c| (c.id.as_str(), &c.criteria))
        .collect();
    let spoken: HashSet<String> = lib
        .entries
        .iter()
        .flat_map(|e| criteria_of(e, &controls))
        .collect();
    project
        .in_scope_criteria()
        .into_iter()
        .filter(|c| !spoken.contains(c.id))
        .map(|c| {
            let f = Finding::warning(
                "data/company.toml",
                format!(
                    "in-scope criterion {} ({}): no answer-library entry speaks to it (directly or through its controls)",
                    c.id, c.title
                ),
            )
            .field("categories");
            LintFinding::new("uncovered-criterion", f, &[])
        })
        .collect()
}

fn unreferenced_controls(lib: &Library, project: &Project) -> Vec<LintFinding> {
    let referenced: HashSet<&str> = lib
        .entries
        .iter()
        .flat_map(|e| e.controls.iter().map(String::as_str))
        .collect();
    project
        .controls
        .iter()
        .filter(|c| c.status.is_implemented() && !referenced.contains(c.id.as_str()))
        .map(|c| {
            let f = Finding::warning(
                &c.origin.file,
                format!(
                    "control {} ({}) is referenced by no answer-library entry (owner {})",
                    c.id, c.title, c.owner
                ),
            )
            .at(c.origin.line)
            .field("id");
            LintFinding::new("unreferenced-control", f, &[])
        })
        .collect()
}

/// Phrases of the user's thesaurus whose concept no entry mentions.
fn unused_phrases(lib: &Library, thesaurus: &Thesaurus, dir: &Path) -> Vec<LintFinding> {
    let path = dir.join(THESAURUS_FILE);
    let Ok(text) = std::fs::read_to_string(&path) else {
        return Vec::new();
    };
    let Ok(doc) = text.parse::<toml::Table>() else {
        return Vec::new(); // the thesaurus loader reports a broken file
    };
    let Some(concepts) = doc.get("concepts").and_then(|c| c.as_table()) else {
        return Vec::new();
    };
    let mut analyzer = Analyzer::new(thesaurus);
    analyzer.own_names = own_names(lib.entries.iter().map(|e| e.question.as_str()));
    let mut mentioned: BTreeSet<String> = BTreeSet::new();
    for e in &lib.entries {
        let fields = e
            .phrasings()
            .chain([e.comment.as_str()])
            .chain(e.tags.iter().map(String::as_str));
        for text in fields {
            mentioned.extend(analyzer.field(text).concepts.iter().map(|c| c.to_string()));
        }
    }
    let file = path.display().to_string();
    let mut out = Vec::new();
    for (concept, phrases) in concepts {
        if mentioned.contains(concept) {
            continue;
        }
        for phrase in phrases
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|p| p.as_str())
        {
            let line = text
                .lines()
                .position(|l| l.contains(&format!("{phrase:?}")) || l.contains(phrase))
                .map_or(1, |i| i + 1);
            let f = Finding::warning(
                &file,
                format!(
                    "phrase {phrase:?} (concept {concept}) matches no entry: no entry mentions {concept}, \
                     so a question using it reaches nothing through it"
                ),
            )
            .at(line)
            .field("concepts");
            out.push(LintFinding::new("unused-phrase", f, &[]));
        }
    }
    out
}

/// Counts by severity.
pub fn count(findings: &[LintFinding], severity: Severity) -> usize {
    findings
        .iter()
        .filter(|f| f.finding.severity == severity)
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str, question: &str, answer: &str) -> Entry {
        Entry {
            id: id.into(),
            question: question.into(),
            answer: answer.into(),
            criteria: vec!["CC6.1".into()],
            ..Entry::default()
        }
    }

    fn pair(similarity: f64, confidence: f64, text: &str) -> Pair {
        Pair {
            similarity,
            confidence,
            text: text.into(),
        }
    }

    #[test]
    fn opposite_answers_to_an_opposite_question_agree() {
        let thesaurus = Thesaurus::builtin();
        let lib = Library {
            entries: vec![
                entry("ENC-001", "Is customer data encrypted at rest?", "Yes"),
                entry(
                    "ENC-002",
                    "Is any customer data left unencrypted at rest?",
                    "No",
                ),
                entry("ENC-003", "Is all customer data encrypted at rest?", "No"),
            ],
        };
        let mut pairs = BTreeMap::new();
        pairs.insert((1, 0), pair(0.9, 0.9, &lib.entries[1].question));
        pairs.insert((2, 0), pair(0.9, 0.9, &lib.entries[2].question));
        let found = pair_findings(&lib, &thesaurus, &pairs);
        let kinds: Vec<(&str, Vec<String>)> =
            found.iter().map(|f| (f.kind, f.entries.clone())).collect();
        assert_eq!(
            kinds,
            [
                (
                    "near-duplicate",
                    vec!["ENC-001".to_string(), "ENC-002".to_string()]
                ),
                (
                    "conflict",
                    vec!["ENC-001".to_string(), "ENC-003".to_string()]
                ),
            ]
        );
        assert!(found[1].finding.message.contains("answer Yes and No"));
        // Below the contradiction bar, opposite answers are only a warning.
        pairs.insert((2, 0), pair(0.82, 0.9, &lib.entries[2].question));
        let found = pair_findings(&lib, &thesaurus, &pairs);
        assert!(found
            .iter()
            .all(|f| f.finding.severity == Severity::Warning));
    }

    #[test]
    fn the_hub_bar_rises_with_library_size_only_as_chance_requires() {
        assert_eq!(hub_threshold(6, 4), HUB_MIN);
        assert_eq!(hub_threshold(200, 60), HUB_MIN);
        let big = hub_threshold(3000, 2000);
        assert!(big > HUB_MIN && big < 12, "{big}");
    }

    #[test]
    fn a_hub_is_closest_to_several_unrelated_entries() {
        let lib = Library {
            entries: (0..6)
                .map(|i| entry(&format!("E-{i}"), "q", "Yes"))
                .collect(),
        };
        // E-0 is what the matcher would pick for E-1..E-4.
        let mut pairs = BTreeMap::new();
        for i in 1..=4 {
            pairs.insert((i, 0), pair(0.5, 0.9, "q"));
        }
        let hubs_of = |pairs: &BTreeMap<(usize, usize), Pair>| -> Vec<Vec<String>> {
            hubs(&lib, pairs).into_iter().map(|f| f.entries).collect()
        };
        assert_eq!(hubs_of(&pairs), [["E-0", "E-1", "E-2", "E-3", "E-4"]]);
        // Two of the four are near-duplicates of each other: not unrelated.
        let mut related = pairs.clone();
        related.insert((1, 2), pair(0.9, 0.5, "q"));
        assert!(hubs_of(&related).is_empty());
        // A weak match (review tier) does not count.
        let mut weak = pairs.clone();
        weak.insert((4, 0), pair(0.5, 0.6, "q"));
        assert!(hubs_of(&weak).is_empty());
    }
}
