//! Editing `answers/*.toml` without disturbing it: every change goes through
//! `toml_edit`, so comments, key order, blank lines and the layout of arrays
//! stay as the author wrote them. Changes are collected per file and written
//! atomically at the end; a file whose text did not change is not rewritten.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use chrono::NaiveDate;
use toml_edit::{Array, ArrayOfTables, DocumentMut, Item, Table, Value};

use super::{Entry, Status};

/// The open files of a library directory, edited in memory.
#[derive(Debug, Default)]
pub struct LibraryFiles {
    /// Path -> (text as read, document being edited).
    docs: BTreeMap<PathBuf, (String, DocumentMut)>,
}

/// A new entry to append: the entry and an internal note (where it came
/// from). The note is never shown to customers.
#[derive(Debug, Clone)]
pub struct NewEntry {
    pub entry: Entry,
    pub notes: Option<String>,
}

impl LibraryFiles {
    pub fn new() -> Self {
        LibraryFiles::default()
    }

    fn doc(&mut self, path: &Path) -> Result<&mut DocumentMut> {
        if !self.docs.contains_key(path) {
            let text = if path.exists() {
                std::fs::read_to_string(path)
                    .with_context(|| format!("cannot read {}", path.display()))?
            } else {
                String::new()
            };
            let doc: DocumentMut = text
                .parse()
                .map_err(|e| anyhow::anyhow!("{}: invalid TOML: {e}", path.display()))?;
            self.docs.insert(path.to_path_buf(), (text, doc));
        }
        Ok(&mut self.docs.get_mut(path).expect("inserted above").1)
    }

    /// The `[[entry]]` table of `entry` in its own file.
    fn table(&mut self, entry: &Entry) -> Result<&mut Table> {
        let path = PathBuf::from(&entry.source.file);
        let doc = self.doc(&path)?;
        let Some(tables) = doc.get_mut("entry").and_then(Item::as_array_of_tables_mut) else {
            bail!("{}: no [[entry]] tables", path.display());
        };
        let found = tables
            .iter_mut()
            .find(|t| t.get("id").and_then(Item::as_str).map(str::trim) == Some(&entry.id));
        match found {
            Some(t) => Ok(t),
            None => bail!(
                "{}: no [[entry]] with id {:?} (it changed since it was read)",
                path.display(),
                entry.id
            ),
        }
    }

    /// Adds a phrasing to `variants` (or, for a draft, `draft_variants`).
    pub fn add_variant(&mut self, entry: &Entry, text: &str, draft: bool) -> Result<()> {
        let key = if draft { "draft_variants" } else { "variants" };
        let table = self.table(entry)?;
        push_string(table, key, text);
        Ok(())
    }

    /// Appends new entries to `path` (created with `header` as its opening
    /// comment when it does not exist yet).
    pub fn append_entries(
        &mut self,
        path: &Path,
        entries: &[NewEntry],
        header: &str,
    ) -> Result<()> {
        if entries.is_empty() {
            return Ok(());
        }
        let doc = self.doc(path)?;
        let fresh = doc.as_table().is_empty();
        let item = doc
            .entry("entry")
            .or_insert_with(|| Item::ArrayOfTables(ArrayOfTables::new()));
        let Some(tables) = item.as_array_of_tables_mut() else {
            bail!("{}: `entry` must be an array of tables", path.display());
        };
        for (i, new) in entries.iter().enumerate() {
            let mut table = entry_table(new);
            if fresh && i == 0 {
                table.decor_mut().set_prefix(header);
            }
            tables.push(table);
        }
        Ok(())
    }

    /// Makes a draft usable: `status = "approved"`, `reviewed` = today (the
    /// approval is a review), and draft variants become variants. Returns
    /// whether anything changed.
    pub fn approve(&mut self, entry: &Entry, today: NaiveDate) -> Result<bool> {
        let table = self.table(entry)?;
        let mut changed = false;
        if entry.is_draft() {
            set_value(table, "status", Value::from(Status::Approved.as_str()));
            set_value(table, "reviewed", date_value(today));
            changed = true;
        }
        if let Some(drafts) = table.remove("draft_variants") {
            let texts: Vec<String> = match &drafts {
                Item::Value(Value::Array(a)) => a
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect(),
                Item::Value(Value::String(s)) => super::split_list(s.value()),
                _ => Vec::new(),
            };
            for text in texts {
                push_string(table, "variants", &text);
            }
            changed = true;
        }
        Ok(changed)
    }

    /// Writes every file whose text changed; returns their paths.
    pub fn save(self) -> Result<Vec<PathBuf>> {
        let mut written = Vec::new();
        for (path, (before, doc)) in self.docs {
            let after = doc.to_string();
            if after != before {
                crate::util::write_atomic(&path, after.as_bytes())?;
                written.push(path);
            }
        }
        Ok(written)
    }

    /// The paths that would change, without writing (`--dry-run`).
    pub fn changed(&self) -> Vec<PathBuf> {
        self.docs
            .iter()
            .filter(|(_, (before, doc))| doc.to_string() != *before)
            .map(|(p, _)| p.clone())
            .collect()
    }
}

/// Renders entries as the text of one `answers/*.toml` file.
pub fn render_entries(entries: &[NewEntry], header: &str) -> String {
    let mut doc = DocumentMut::new();
    let mut tables = ArrayOfTables::new();
    for (i, new) in entries.iter().enumerate() {
        let mut table = entry_table(new);
        if i == 0 {
            table.decor_mut().set_prefix(header);
        }
        tables.push(table);
    }
    doc.insert("entry", Item::ArrayOfTables(tables));
    doc.to_string()
}

/// An `[[entry]]` table in the order of `docs/data-format.md`, with a blank
/// line before it and multi-line arrays for phrasings.
fn entry_table(new: &NewEntry) -> Table {
    let e = &new.entry;
    let mut t = Table::new();
    t.decor_mut().set_prefix("\n");
    t.insert("id", toml_edit::value(e.id.as_str()));
    t.insert("question", toml_edit::value(e.question.as_str()));
    for (key, list) in [
        ("variants", &e.variants),
        ("draft_variants", &e.draft_variants),
    ] {
        for text in list {
            push_string(&mut t, key, text);
        }
    }
    t.insert("answer", toml_edit::value(e.answer.as_str()));
    t.insert("comment", toml_edit::value(e.comment.as_str()));
    for (key, list) in [
        ("controls", &e.controls),
        ("criteria", &e.criteria),
        ("tags", &e.tags),
    ] {
        if !list.is_empty() {
            let array: Array = list.iter().map(String::as_str).collect();
            t.insert(key, toml_edit::value(array));
        }
    }
    if let Some(topic) = &e.topic {
        t.insert("topic", toml_edit::value(topic.as_str()));
    }
    if let Some(owner) = &e.owner {
        t.insert("owner", toml_edit::value(owner.as_str()));
    }
    if let Some(reviewed) = e.reviewed {
        t.insert("reviewed", Item::Value(date_value(reviewed)));
    }
    if let Some(days) = e.review_interval_days {
        t.insert("review_interval_days", toml_edit::value(i64::from(days)));
    }
    if e.visibility != super::Visibility::Public {
        let v = serde_json::to_value(e.visibility).ok();
        let name = v.as_ref().and_then(|v| v.as_str()).unwrap_or("public");
        t.insert("visibility", toml_edit::value(name));
    }
    if e.status != Status::Approved {
        t.insert("status", toml_edit::value(e.status.as_str()));
    }
    if let Some(notes) = &new.notes {
        t.insert("notes", toml_edit::value(notes.as_str()));
    }
    t
}

fn date_value(d: NaiveDate) -> Value {
    let datetime: toml_edit::Datetime = d
        .format("%Y-%m-%d")
        .to_string()
        .parse()
        .expect("a formatted date is a TOML date");
    Value::from(datetime)
}

/// Replaces the value of `key` (keeping its place in the table) or adds it.
fn set_value(table: &mut Table, key: &str, value: Value) {
    match table.get_mut(key) {
        Some(Item::Value(old)) => {
            let decor = old.decor().clone();
            *old = value;
            *old.decor_mut() = decor;
        }
        _ => {
            table.insert(key, Item::Value(value));
        }
    }
}

/// Appends `text` to the string list `key`, creating it one item per line
/// when it does not exist, and following the layout of an existing list.
fn push_string(table: &mut Table, key: &str, text: &str) {
    let item = table
        .entry(key)
        .or_insert_with(|| toml_edit::value(multiline_array()));
    // A list written as one `;`-separated string becomes a real list.
    if let Some(s) = item.as_str() {
        let mut array = multiline_array();
        for part in super::split_list(s) {
            push_on_own_line(&mut array, &part);
        }
        *item = toml_edit::value(array);
    }
    match item.as_array_mut() {
        Some(array) => push_on_own_line(array, text),
        None => {
            let mut array = multiline_array();
            push_on_own_line(&mut array, text);
            *item = toml_edit::value(array);
        }
    }
}

fn multiline_array() -> Array {
    let mut a = Array::new();
    a.set_trailing_comma(true);
    a.set_trailing("\n");
    a
}

/// Pushes a string with the same leading whitespace as the last item (so a
/// one-per-line list stays one-per-line, an inline list stays inline).
fn push_on_own_line(array: &mut Array, text: &str) {
    let prefix = match array.iter().last() {
        Some(last) => {
            let p = last.decor().prefix().and_then(|p| p.as_str()).unwrap_or("");
            // The first item of an inline list has no leading space.
            if p.is_empty() { " " } else { p }.to_string()
        }
        None => "\n  ".to_string(),
    };
    let was_empty = array.is_empty();
    let mut value = Value::from(text);
    value.decor_mut().set_prefix(prefix);
    value.decor_mut().set_suffix("");
    array.push_formatted(value);
    if was_empty {
        array.set_trailing_comma(true);
        array.set_trailing("\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc_with(text: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lib.toml");
        std::fs::write(&path, text).unwrap();
        (dir, path)
    }

    fn entry_at(path: &Path, id: &str, status: Status) -> Entry {
        Entry {
            id: id.into(),
            status,
            source: super::super::Source {
                file: path.display().to_string(),
                line: 1,
            },
            ..Entry::default()
        }
    }

    const TEXT: &str = r#"# Access control (a comment that must survive)

[[entry]]
id = "IAM-001"   # the first entry
question = "Is MFA enforced?"
variants = [
  "Do you enforce MFA?",
  "2FA required?",
]
answer = "Yes"

[[entry]]
id = "IAM-002"
question = "Is SSO used?"
variants = ["Workforce SSO?"]
answer = "Yes"
status = "draft"
draft_variants = ["Central IdP?"]
"#;

    #[test]
    fn adding_a_variant_keeps_comments_and_layout() {
        let (_dir, path) = doc_with(TEXT);
        let mut files = LibraryFiles::new();
        let e1 = entry_at(&path, "IAM-001", Status::Approved);
        let e2 = entry_at(&path, "IAM-002", Status::Draft);
        files
            .add_variant(&e1, "Is two-step login on?", false)
            .unwrap();
        files.add_variant(&e2, "Okta?", true).unwrap();
        files.save().unwrap();
        let after = std::fs::read_to_string(&path).unwrap();
        assert!(after.starts_with("# Access control (a comment that must survive)\n"));
        assert!(after.contains("id = \"IAM-001\"   # the first entry\n"));
        assert!(after.contains("  \"2FA required?\",\n  \"Is two-step login on?\",\n]"));
        assert!(after.contains("draft_variants = [\"Central IdP?\", \"Okta?\"]"));
        // The rest is untouched.
        assert_eq!(
            after
                .replace("  \"Is two-step login on?\",\n", "")
                .replace(", \"Okta?\"", ""),
            TEXT
        );
    }

    #[test]
    fn approving_moves_draft_variants_and_sets_status_and_date() {
        let (_dir, path) = doc_with(TEXT);
        let mut files = LibraryFiles::new();
        let e2 = entry_at(&path, "IAM-002", Status::Draft);
        let today = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        assert!(files.approve(&e2, today).unwrap());
        files.save().unwrap();
        let after = std::fs::read_to_string(&path).unwrap();
        assert!(after.contains("variants = [\"Workforce SSO?\", \"Central IdP?\"]"));
        assert!(after.contains("status = \"approved\""));
        assert!(after.contains("reviewed = 2026-03-01"));
        assert!(!after.contains("draft_variants"));
        let (lib, findings) = super::super::load(&path).unwrap();
        assert!(
            findings
                .iter()
                .all(|f| f.severity != crate::diag::Severity::Error),
            "{findings:?}"
        );
        assert_eq!(lib.entries[1].status, Status::Approved);
    }

    #[test]
    fn new_entries_read_back_as_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("imported.toml");
        let entry = Entry {
            id: "IMP-001".into(),
            question: "Do you have a \"DR\" plan?".into(),
            answer: "Yes".into(),
            comment: "Tested yearly.\nSecond line.".into(),
            owner: Some("Security".into()),
            status: Status::Draft,
            ..Entry::default()
        };
        let mut files = LibraryFiles::new();
        let new = NewEntry {
            entry,
            notes: Some("imported from x.xlsx".into()),
        };
        files.append_entries(&path, &[new], "# imported\n").unwrap();
        let written = files.save().unwrap();
        assert_eq!(written, vec![path.clone()]);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.starts_with("# imported\n"), "{text}");
        let (lib, findings) = super::super::load(&path).unwrap();
        assert!(
            findings
                .iter()
                .all(|f| f.severity != crate::diag::Severity::Error),
            "{findings:?}"
        );
        let e = &lib.entries[0];
        assert_eq!(e.question, "Do you have a \"DR\" plan?");
        assert_eq!(e.comment, "Tested yearly.\nSecond line.");
        assert_eq!(e.status, Status::Draft);
        assert_eq!(e.owner.as_deref(), Some("Security"));
    }

    #[test]
    fn nothing_changed_writes_nothing() {
        let (_dir, path) = doc_with(TEXT);
        let mut files = LibraryFiles::new();
        let e1 = entry_at(&path, "IAM-001", Status::Approved);
        assert!(!files
            .approve(&e1, NaiveDate::from_ymd_opt(2026, 1, 1).unwrap())
            .unwrap());
        assert!(files.changed().is_empty());
        assert!(files.save().unwrap().is_empty());
    }
}
