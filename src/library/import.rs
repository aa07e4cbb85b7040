//! Learning from answered questionnaires and from reviews.
//!
//! [`plan_questionnaire`] turns the answered rows of a past questionnaire into
//! changes of the library:
//! - a wording the library already has, with the same answer: nothing;
//! - a confident match (tier auto) with the same answer: the wording becomes
//!   a draft variant of that entry;
//! - a confident match with another answer, or a known wording with another
//!   answer: a conflict, reported, nothing written;
//! - anything else: a new draft entry.
//!
//! [`plan_review`] does the same for the decisions of a review workbook: the
//! reviewer's word is an approval, so variants are written as approved.
//!
//! Planning works on an in-memory copy of the library and is deterministic;
//! [`apply`] then writes the changes through `toml_edit` ([`super::edit`]).
//! Importing the same file twice changes nothing the second time: every
//! wording it holds is then known.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use anyhow::Result;
use serde::Serialize;

use super::edit::{LibraryFiles, NewEntry};
use super::harvest::{same_answer, squash, Answered};
use super::review_in::{Decision, ReviewDecision};
use super::{Entry, Library, Source, Status};
use crate::matcher::{Match, MatchConfig, Matcher, Thesaurus, Tier};

/// What happens to one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// The library already has this wording with this answer.
    Known,
    /// The wording is added as a variant of `entry`.
    Variant,
    /// A new entry is proposed.
    New,
    /// The library answers this differently: reported, nothing written.
    Conflict,
    /// Nothing to learn (a rejected review row, an accept without entry...).
    Skipped,
}

/// One row of an import report.
#[derive(Debug, Clone, Serialize)]
pub struct ImportRow {
    pub file: String,
    pub sheet: String,
    pub row: u32,
    /// The questionnaire's own question id.
    pub qid: Option<String>,
    pub question: String,
    pub answer: String,
    pub action: Action,
    /// The entry the wording belongs to, is added to, conflicts with, or the
    /// id of the new entry.
    pub entry: Option<String>,
    /// The library's answer, for conflicts.
    pub entry_answer: Option<String>,
    pub confidence: Option<f64>,
    pub note: String,
}

/// One change to the library.
#[derive(Debug, Clone)]
pub enum Change {
    Variant {
        entry: String,
        text: String,
        draft: bool,
    },
    New {
        file: PathBuf,
        entry: Box<NewEntry>,
    },
}

/// Settings of an import.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The library directory (new entries go to files in it).
    pub dir: PathBuf,
    /// Owner of new entries.
    pub owner: Option<String>,
    pub config: MatchConfig,
}

/// The rows and the changes that implement them.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub rows: Vec<ImportRow>,
    pub changes: Vec<Change>,
}

/// Counts for the summary.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportSummary {
    pub rows: usize,
    pub known: usize,
    pub variants: usize,
    pub new: usize,
    pub conflicts: usize,
    pub skipped: usize,
}

impl Plan {
    pub fn summary(&self) -> ImportSummary {
        let count = |a: Action| self.rows.iter().filter(|r| r.action == a).count();
        ImportSummary {
            rows: self.rows.len(),
            known: count(Action::Known),
            variants: count(Action::Variant),
            new: count(Action::New),
            conflicts: count(Action::Conflict),
            skipped: count(Action::Skipped),
        }
    }
}

/// Wordings the library already holds: squashed text -> (entry id, answer).
struct Known {
    texts: HashMap<String, (String, String)>,
    ids: HashSet<String>,
    next_number: usize,
}

impl Known {
    fn of(lib: &Library) -> Self {
        let mut texts = HashMap::new();
        for e in &lib.entries {
            for text in e.phrasings() {
                texts
                    .entry(squash(text))
                    .or_insert_with(|| (e.id.clone(), e.answer.clone()));
            }
        }
        Known {
            texts,
            ids: lib.entries.iter().map(|e| e.id.clone()).collect(),
            next_number: 1,
        }
    }

    fn get(&self, text: &str) -> Option<&(String, String)> {
        self.texts.get(&squash(text))
    }

    fn add(&mut self, text: &str, id: &str, answer: &str) {
        self.texts
            .entry(squash(text))
            .or_insert_with(|| (id.to_string(), answer.to_string()));
    }

    /// The next free `IMP-NNN` id.
    fn new_id(&mut self) -> String {
        loop {
            let id = format!("IMP-{:03}", self.next_number);
            self.next_number += 1;
            if self.ids.insert(id.clone()) {
                return id;
            }
        }
    }
}

/// Plans the import of one answered questionnaire into `lib`, and applies
/// the plan to `lib` in memory (so that the next file sees it).
pub fn plan_questionnaire(
    lib: &mut Library,
    thesaurus: &Thesaurus,
    source: &Path,
    answered: &[Answered],
    opts: &ImportOptions,
) -> Plan {
    let mut known = Known::of(lib);
    let target = opts.dir.join(imported_file_name(source));
    let file = source.display().to_string();
    let mut plan = Plan::default();
    {
        let matcher =
            (!lib.entries.is_empty()).then(|| Matcher::new(lib, thesaurus, opts.config.clone()));
        for a in answered {
            let mut row = ImportRow {
                file: file.clone(),
                sheet: a.sheet.clone(),
                row: a.row,
                qid: a.qid.clone(),
                question: a.question.clone(),
                answer: a.answer.clone(),
                action: Action::New,
                entry: None,
                entry_answer: None,
                confidence: None,
                note: String::new(),
            };
            if let Some((id, answer)) = known.get(&a.question).cloned() {
                row.entry = Some(id);
                if same_answer(&answer, &a.answer) {
                    row.action = Action::Known;
                } else {
                    row.action = Action::Conflict;
                    row.entry_answer = Some(answer);
                    row.note = "the library has this wording with another answer".into();
                }
                plan.rows.push(row);
                continue;
            }
            let confident = matcher
                .as_ref()
                .and_then(|m| confident_match(lib, &m.answer(&a.question)));
            if let Some((idx, confidence, answer)) = confident {
                let entry = &lib.entries[idx];
                row.entry = Some(entry.id.clone());
                row.confidence = Some(round3(confidence));
                if same_answer(&answer, &a.answer) {
                    row.action = Action::Variant;
                    plan.changes.push(Change::Variant {
                        entry: entry.id.clone(),
                        text: a.question.clone(),
                        draft: true,
                    });
                    known.add(&a.question, &entry.id, &entry.answer);
                } else {
                    row.action = Action::Conflict;
                    row.entry_answer = Some(answer);
                    row.note = "a confident match answers differently".into();
                }
                plan.rows.push(row);
                continue;
            }
            let id = known.new_id();
            row.entry = Some(id.clone());
            plan.changes.push(Change::New {
                file: target.clone(),
                entry: Box::new(NewEntry {
                    entry: draft_entry(&id, a, opts.owner.as_deref()),
                    notes: Some(provenance(source, a)),
                }),
            });
            known.add(&a.question, &id, &a.answer);
            plan.rows.push(row);
        }
    }
    apply_in_memory(lib, &plan.changes);
    let before = plan.changes.len();
    rematch_conflicts(lib, thesaurus, opts, &mut plan);
    apply_in_memory(lib, &plan.changes[before..]);
    plan
}

/// The library now holds the file's new entries. A row that conflicted with
/// an older entry may match one of them (a sibling question of the same
/// file) with the same answer: it becomes a variant of it, as it would on a
/// second import, so that a second import changes nothing.
fn rematch_conflicts(lib: &Library, thesaurus: &Thesaurus, opts: &ImportOptions, plan: &mut Plan) {
    let new_ids: HashSet<&str> = plan
        .changes
        .iter()
        .filter_map(|c| match c {
            Change::New { entry, .. } => Some(entry.entry.id.as_str()),
            Change::Variant { .. } => None,
        })
        .collect();
    let fuzzy_conflict = |r: &ImportRow| r.action == Action::Conflict && r.confidence.is_some();
    if new_ids.is_empty() || !plan.rows.iter().any(fuzzy_conflict) {
        return;
    }
    let matcher = Matcher::new(lib, thesaurus, opts.config.clone());
    let mut added = Vec::new();
    for row in plan.rows.iter_mut().filter(|r| fuzzy_conflict(r)) {
        let Some((idx, confidence, answer)) = confident_match(lib, &matcher.answer(&row.question))
        else {
            continue;
        };
        let entry = &lib.entries[idx];
        if new_ids.contains(entry.id.as_str()) && same_answer(&answer, &row.answer) {
            row.action = Action::Variant;
            row.entry = Some(entry.id.clone());
            row.entry_answer = None;
            row.confidence = Some(round3(confidence));
            row.note = String::new();
            added.push(Change::Variant {
                entry: entry.id.clone(),
                text: row.question.clone(),
                draft: true,
            });
        }
    }
    plan.changes.extend(added);
}

/// The entry of an automatic match, its confidence, and the entry's own
/// answer to the question (Yes/No flipped when the question asks the
/// opposite). The entry's `answer` field is compared, not what the matcher
/// would write: for an open question that may be the entry's explanation.
fn confident_match(lib: &Library, found: &Match) -> Option<(usize, f64, String)> {
    let idx = found.entry.filter(|_| found.tier == Tier::Auto)?;
    let answer = &lib.entries[idx].answer;
    let answer = if found.flipped {
        crate::matcher::polarity::flip_answer(answer).unwrap_or_else(|| answer.clone())
    } else {
        answer.clone()
    };
    Some((idx, found.confidence, answer))
}

fn draft_entry(id: &str, a: &Answered, owner: Option<&str>) -> Entry {
    Entry {
        id: id.to_string(),
        question: a.question.clone(),
        answer: a.answer.clone(),
        comment: a.comment.clone(),
        owner: owner.map(str::to_string),
        status: Status::Draft,
        ..Entry::default()
    }
}

/// `imported from FILE, sheet 'S' row 12 (ID-01)`: kept in the entry's
/// internal `notes`, so a reviewer can look the source up.
fn provenance(source: &Path, a: &Answered) -> String {
    let name = source
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let qid = a
        .qid
        .as_deref()
        .map(|q| format!(" ({q})"))
        .unwrap_or_default();
    format!(
        "imported from {name}, sheet '{}' row {}{qid}",
        a.sheet, a.row
    )
}

/// `answers/imported-<questionnaire name>.toml`.
pub fn imported_file_name(source: &Path) -> String {
    let stem = source
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let slug = slug::slugify(&stem);
    if slug.is_empty() {
        "imported.toml".to_string()
    } else {
        format!("imported-{slug}.toml")
    }
}

/// Plans what the decisions of a review workbook teach the library.
pub fn plan_review(
    lib: &mut Library,
    review: &Path,
    decisions: &[ReviewDecision],
    opts: &ImportOptions,
) -> Plan {
    let mut known = Known::of(lib);
    let target = opts.dir.join(imported_file_name(review));
    let file = review.display().to_string();
    let mut plan = Plan::default();
    for d in decisions {
        let mut row = ImportRow {
            file: file.clone(),
            sheet: "Review".into(),
            row: d.review_row,
            qid: d.qid.clone(),
            question: d.question.clone(),
            answer: String::new(),
            action: Action::Skipped,
            entry: None,
            entry_answer: None,
            confidence: d.confidence,
            note: String::new(),
        };
        review_row(
            lib,
            &mut known,
            d,
            &mut row,
            &mut plan.changes,
            opts,
            &target,
        );
        plan.rows.push(row);
    }
    apply_in_memory(lib, &plan.changes);
    plan
}

/// Decides one review row (see `docs/data-format.md`, the review loop).
fn review_row(
    lib: &Library,
    known: &mut Known,
    d: &ReviewDecision,
    row: &mut ImportRow,
    changes: &mut Vec<Change>,
    opts: &ImportOptions,
    target: &Path,
) {
    let kept = d.status.as_deref() == Some("kept");
    let chosen = match &d.decision {
        Decision::Reject => {
            row.note = "rejected: the proposed entry does not answer this question".into();
            row.entry = d.proposed().map(str::to_string);
            return;
        }
        Decision::Override => {
            override_row(lib, known, d, row, changes, opts, target);
            return;
        }
        Decision::Accept => d.proposed(),
        Decision::UseEntry => d.use_entry.as_deref(),
    };
    let Some(id) = chosen else {
        row.note = "accepted, but no entry was proposed: nothing to learn".into();
        return;
    };
    row.entry = Some(id.to_string());
    let Some(entry) = lib.entries.iter().find(|e| e.id == id) else {
        row.note = format!("no library entry has the id {id:?}");
        return;
    };
    // For a kept row the file's own answer is the right one; otherwise the
    // reviewer accepted the entry's answer as it stands.
    let right = if kept {
        d.existing_answer.clone().unwrap_or_default()
    } else {
        d.answer.clone().unwrap_or_else(|| entry.answer.clone())
    };
    row.answer = right.clone();
    if d.flipped && d.decision == Decision::Accept {
        row.note = "the question asks the opposite of the entry: a negated wording is not \
                    added as a variant (it would still be flipped and reviewed)"
            .into();
        return;
    }
    let entry_answer = if d.flipped {
        crate::matcher::polarity::flip_answer(&entry.answer).unwrap_or_else(|| entry.answer.clone())
    } else {
        entry.answer.clone()
    };
    if kept && !right.is_empty() && !same_answer(&right, &entry_answer) {
        row.action = Action::Conflict;
        row.entry_answer = Some(entry_answer);
        row.note = "the questionnaire's answer, accepted as right, differs from the entry".into();
        return;
    }
    if let Some((owner, _)) = known.get(&d.question) {
        if owner == &entry.id {
            row.action = Action::Known;
            return;
        }
        row.note = format!(
            "this wording is also a phrasing of {owner}: remove it there, or the two compete"
        );
    }
    row.action = Action::Variant;
    changes.push(Change::Variant {
        entry: entry.id.clone(),
        text: d.question.clone(),
        draft: false,
    });
    known.texts.insert(
        squash(&d.question),
        (entry.id.clone(), entry.answer.clone()),
    );
}

/// `override`: no entry fits; the reviewer's answer becomes a new draft, and
/// a proposed entry that answered otherwise is reported.
fn override_row(
    lib: &Library,
    known: &mut Known,
    d: &ReviewDecision,
    row: &mut ImportRow,
    changes: &mut Vec<Change>,
    opts: &ImportOptions,
    target: &Path,
) {
    let Some(answer) = d.answer_override.clone() else {
        row.note = "override without an Answer override: nothing to learn".into();
        return;
    };
    row.answer = answer.clone();
    if let Some((owner, owner_answer)) = known.get(&d.question).cloned() {
        row.entry = Some(owner);
        if same_answer(&owner_answer, &answer) {
            row.action = Action::Known;
        } else {
            row.action = Action::Conflict;
            row.entry_answer = Some(owner_answer);
            row.note = "the library has this wording with another answer".into();
        }
        return;
    }
    let proposed = d
        .entry
        .as_deref()
        .and_then(|id| lib.entries.iter().find(|e| e.id == id));
    if let (Some(e), Some(proposal)) = (proposed, d.answer.as_deref()) {
        if !same_answer(proposal, &answer) {
            row.note = format!(
                "{} was proposed with {proposal:?} ({}): check that entry",
                e.id, d.tier
            );
        }
    }
    let id = known.new_id();
    row.entry = Some(id.clone());
    row.action = Action::New;
    let answered = Answered {
        sheet: d.sheet.clone(),
        row: d.row.unwrap_or(0),
        qid: d.qid.clone(),
        question: d.question.clone(),
        answer: answer.clone(),
        comment: d.comment_override.clone().unwrap_or_default(),
    };
    changes.push(Change::New {
        file: target.to_path_buf(),
        entry: Box::new(NewEntry {
            entry: draft_entry(&id, &answered, opts.owner.as_deref()),
            notes: Some(format!(
                "answer set by a reviewer in {}, row {}",
                row.file, d.review_row
            )),
        }),
    });
    known.add(&d.question, &id, &answer);
}

/// Mirrors `changes` in the loaded library (new entries, variants).
fn apply_in_memory(lib: &mut Library, changes: &[Change]) {
    for change in changes {
        match change {
            Change::Variant { entry, text, draft } => {
                if let Some(e) = lib.entries.iter_mut().find(|e| &e.id == entry) {
                    if *draft {
                        e.draft_variants.push(text.clone());
                    } else {
                        e.variants.push(text.clone());
                    }
                }
            }
            Change::New { file, entry } => {
                let mut e = entry.entry.clone();
                e.source = Source {
                    file: file.display().to_string(),
                    line: 0,
                };
                lib.entries.push(e);
            }
        }
    }
}

/// Writes `changes` into the library files; `lib_before` is the library as
/// loaded from disk (to find each entry's file). Returns the files written.
pub fn apply(lib_before: &Library, changes: &[Change], dry_run: bool) -> Result<Vec<PathBuf>> {
    let mut files = LibraryFiles::new();
    let mut new_by_file: Vec<(PathBuf, Vec<NewEntry>)> = Vec::new();
    let mut new_ids: HashMap<String, (usize, usize)> = HashMap::new();
    for change in changes {
        match change {
            Change::Variant { entry, text, draft } => {
                if let Some(e) = lib_before.entries.iter().find(|e| &e.id == entry) {
                    files.add_variant(e, text, *draft)?;
                } else if let Some(&(f, i)) = new_ids.get(entry) {
                    // A variant of an entry created in the same run.
                    let target = &mut new_by_file[f].1[i].entry;
                    if *draft {
                        target.draft_variants.push(text.clone());
                    } else {
                        target.variants.push(text.clone());
                    }
                }
            }
            Change::New { file, entry } => {
                let f = match new_by_file.iter().position(|(p, _)| p == file) {
                    Some(f) => f,
                    None => {
                        new_by_file.push((file.clone(), Vec::new()));
                        new_by_file.len() - 1
                    }
                };
                new_ids.insert(entry.entry.id.clone(), (f, new_by_file[f].1.len()));
                new_by_file[f].1.push(NewEntry::clone(entry));
            }
        }
    }
    for (file, entries) in &new_by_file {
        files.append_entries(file, entries, IMPORTED_HEADER)?;
    }
    if dry_run {
        Ok(files.changed())
    } else {
        files.save()
    }
}

/// The opening comment of a file of imported drafts.
pub const IMPORTED_HEADER: &str = "\
# Drafts imported by `vouch library import`. `vouch answer` does not use a
# draft until it is approved: check the answer and comment, add controls,
# then run `vouch library approve ID` (or set status = \"approved\").

";

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}
