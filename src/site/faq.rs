//! The security FAQ: the answer library's public entries, as prospects read
//! them on `/faq/` and in `trust.json`.
//!
//! Confidentiality is decided here, once: only entries whose visibility is
//! `public` are kept; an entry with any error, or with an unknown key (a
//! misspelt `visiblity` must never publish it), is held back; the controls
//! an entry names are kept only when they are public, so an nda or
//! internal control id never appears.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use anyhow::Result;

use super::public::{criterion_order, FaqEntry};
use crate::diag::{Finding, Severity};
use crate::library::{self, Entry, Library, Visibility};
use crate::model::{self, Project};

/// The public entries of `answers/` (none when the project has no library).
/// The build has already refused a library with errors unless
/// `--allow-errors`; entries with errors are held back either way.
pub fn load(project: &Project) -> Result<Vec<FaqEntry>> {
    let dir = project.root.join("answers");
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let (lib, findings) = library::load(&dir)?;
    Ok(public_entries(&lib, &findings, project))
}

/// Whether an entry may be published: public and approved (a draft from
/// `vouch library import` is never shown).
fn publishable(entry: &Entry) -> bool {
    entry.visibility == Visibility::Public && entry.status == library::Status::Approved
}

/// The FAQ from a loaded library, in topic order then file order.
pub fn public_entries(lib: &Library, findings: &[Finding], project: &Project) -> Vec<FaqEntry> {
    let held_back: BTreeSet<(&str, usize)> = findings
        .iter()
        .filter(|f| f.severity == Severity::Error || f.message.contains("unknown field"))
        .filter_map(|f| Some((f.file.as_str(), f.line?)))
        .collect();
    let controls: BTreeMap<&str, &model::Control> = project
        .controls
        .iter()
        .map(|c| (c.id.as_str(), c))
        .collect();
    let mut topics = FileTopics::default();
    let mut out: Vec<FaqEntry> = lib
        .entries
        .iter()
        .filter(|e| publishable(e))
        .filter(|e| !held_back.contains(&(e.source.file.as_str(), e.source.line)))
        .map(|e| entry(e, &controls, &mut topics))
        .collect();
    // Stable: entries keep their file order inside a topic.
    out.sort_by_key(|e| e.topic.to_lowercase());
    out
}

fn entry(
    e: &Entry,
    controls: &BTreeMap<&str, &model::Control>,
    topics: &mut FileTopics,
) -> FaqEntry {
    let mut public_ids = Vec::new();
    let mut criteria: BTreeSet<String> = BTreeSet::new();
    for id in e.controls.iter().chain(&e.criteria) {
        if crate::library::is_tsc_id(id) {
            criteria.insert(id.clone());
            continue;
        }
        let Some(c) = controls.get(id.as_str()) else {
            continue;
        };
        match c.visibility {
            model::Visibility::Public => {
                public_ids.push(c.id.clone());
                criteria.extend(c.criteria.iter().cloned());
            }
            // Listed by title only on the site: its criteria are public, its id is not.
            model::Visibility::Nda | model::Visibility::Request => {
                criteria.extend(c.criteria.iter().cloned());
            }
            model::Visibility::Internal => {}
        }
    }
    public_ids.sort();
    public_ids.dedup();
    let mut criteria: Vec<String> = criteria.into_iter().collect();
    criteria.sort_by_key(|id| criterion_order(id));
    FaqEntry {
        id: e.id.clone(),
        topic: e
            .topic
            .clone()
            .filter(|t| !t.trim().is_empty())
            .unwrap_or_else(|| topics.of(&e.source.file)),
        question: e.question.clone(),
        answer: e.answer.clone(),
        comment: e.comment.clone(),
        controls: public_ids,
        criteria,
    }
}

/// The topic of an entry without `topic`: its file's first line when that
/// is a `# Title` comment, else a label from the file name
/// (`access-control.toml` → `Access control`).
#[derive(Default)]
struct FileTopics {
    cache: BTreeMap<String, String>,
}

impl FileTopics {
    fn of(&mut self, file: &str) -> String {
        if let Some(t) = self.cache.get(file) {
            return t.clone();
        }
        let text = std::fs::read_to_string(file).unwrap_or_default();
        let topic = heading_comment(&text).unwrap_or_else(|| label_from_file_name(file));
        self.cache.insert(file.to_string(), topic.clone());
        topic
    }
}

/// `# Processing integrity (not in scope)` → `Processing integrity`.
fn heading_comment(text: &str) -> Option<String> {
    let first = text.trim_start_matches('\u{feff}').lines().next()?;
    let title = first.strip_prefix('#')?.trim();
    let title = match title.find(" (") {
        Some(at) => title[..at].trim(),
        None => title,
    };
    let title = title.trim_end_matches(['.', ':']);
    (!title.is_empty() && title.chars().count() <= 80).then(|| title.to_string())
}

/// `access-control.toml` → `Access control`, `ai.toml` → `AI`.
fn label_from_file_name(file: &str) -> String {
    let stem = Path::new(file)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let words: Vec<String> = stem
        .split(['-', '_', ' '])
        .filter(|w| !w.is_empty())
        .enumerate()
        .map(|(i, w)| {
            if w.len() <= 2 {
                w.to_uppercase()
            } else if i == 0 {
                let mut c = w.chars();
                c.next()
                    .map(|f| f.to_uppercase().chain(c).collect())
                    .unwrap_or_default()
            } else {
                w.to_string()
            }
        })
        .collect();
    if words.is_empty() {
        "General".to_string()
    } else {
        words.join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topics_from_files() {
        assert_eq!(
            heading_comment("# Processing integrity (not in scope)\n[[entry]]").as_deref(),
            Some("Processing integrity")
        );
        assert_eq!(heading_comment("[[entry]]\n"), None);
        assert_eq!(
            label_from_file_name("answers/access-control.toml"),
            "Access control"
        );
        assert_eq!(label_from_file_name("answers/ai.toml"), "AI");
    }
}
