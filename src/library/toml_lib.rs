//! `answers/*.toml`: `[[entry]]` tables (see `docs/data-format.md`).

use std::path::Path;

use anyhow::Context;
use chrono::NaiveDate;
use toml::Value;

use super::{Entry, Library, Source, Status, Visibility};
use crate::diag::{did_you_mean, Finding};

/// The matcher's thesaurus lives beside the entries but is not an entry file.
pub const THESAURUS_FILE: &str = "thesaurus.toml";

/// Every key an `[[entry]]` may hold; anything else is an error (a typo
/// would otherwise silently drop data).
pub const KNOWN_KEYS: [&str; 16] = [
    "id",
    "question",
    "variants",
    "draft_variants",
    "answer",
    "comment",
    "controls",
    "criteria",
    "tags",
    "topic",
    "owner",
    "reviewed",
    "review_interval_days",
    "visibility",
    "status",
    "notes",
];

/// Reads every `*.toml` in `dir` (sorted, not recursive) except the thesaurus.
pub fn load_dir(dir: &Path) -> anyhow::Result<(Library, Vec<Finding>)> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read the directory {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .filter(|p| p.file_name().is_some_and(|n| n != THESAURUS_FILE))
        .collect();
    files.sort();
    let mut lib = Library::default();
    let mut findings = Vec::new();
    for path in files {
        let name = path.display().to_string();
        match std::fs::read_to_string(&path) {
            Ok(text) => findings.extend(parse_into(&text, &name, &mut lib)),
            Err(e) => findings.push(Finding::error(name, format!("cannot read: {e}"))),
        }
    }
    Ok((lib, findings))
}

/// Parses one TOML file's entries into `lib`.
pub fn parse_into(text: &str, file: &str, lib: &mut Library) -> Vec<Finding> {
    let mut findings = Vec::new();
    let doc: toml::Table = match text.parse() {
        Ok(t) => t,
        Err(e) => {
            let line = e.span().map(|s| line_of(text, s.start)).unwrap_or(1);
            let msg = e.message().to_string();
            findings.push(Finding::error(file, format!("invalid TOML: {msg}")).at(line));
            return findings;
        }
    };
    let lines = entry_lines(text);
    for key in doc.keys().filter(|k| *k != "entry") {
        findings.push(
            Finding::error(
                file,
                format!(
                    "unknown top-level key {key:?}{}",
                    suggestion(key, &["entry"])
                ),
            )
            .at(top_level_line(text, key))
            .field(key.as_str()),
        );
    }
    let Some(entries) = doc.get("entry") else {
        findings.push(Finding::warning(file, "no [[entry]] tables"));
        return findings;
    };
    let Some(entries) = entries.as_array() else {
        findings.push(Finding::error(
            file,
            "`entry` must be an array of tables ([[entry]])",
        ));
        return findings;
    };
    for (i, value) in entries.iter().enumerate() {
        let line = lines.get(i).copied().unwrap_or(1);
        let end = lines.get(i + 1).copied().unwrap_or(usize::MAX);
        let Some(table) = value.as_table() else {
            findings.push(Finding::error(file, "an [[entry]] must be a table").at(line));
            continue;
        };
        let mut ctx = Ctx {
            file,
            text,
            line,
            end,
            findings: &mut findings,
        };
        lib.entries.push(ctx.entry(table));
    }
    findings
}

struct Ctx<'a> {
    file: &'a str,
    text: &'a str,
    /// The line of the entry's `[[entry]]` header, and of the next one.
    line: usize,
    end: usize,
    findings: &'a mut Vec<Finding>,
}

impl Ctx<'_> {
    fn entry(&mut self, t: &toml::Table) -> Entry {
        let mut entry = self.read_entry(t);
        // Fail closed: an entry with any error (a misspelt `visiblity`, a bad
        // visibility value...) may have meant to be internal, so it is
        // treated as internal: never used for answers, never published.
        if self.has_errors() {
            entry.visibility = Visibility::Internal;
        }
        entry
    }

    /// Whether a finding was recorded for this entry's lines.
    fn has_errors(&self) -> bool {
        self.findings.iter().any(|f| {
            f.file == self.file
                && f.severity == crate::diag::Severity::Error
                && f.line.is_some_and(|l| l >= self.line && l < self.end)
        })
    }

    fn read_entry(&mut self, t: &toml::Table) -> Entry {
        for key in t.keys() {
            if !KNOWN_KEYS.contains(&key.as_str()) {
                let msg = format!("unknown field{}", suggestion(key, &KNOWN_KEYS));
                self.error(key, &msg);
            }
        }
        let status = match self.opt_string(t, "status") {
            None => Status::Approved,
            Some(v) => Status::parse(&v).unwrap_or_else(|| {
                self.error("status", &format!("must be approved or draft, not {v:?}"));
                Status::Approved
            }),
        };
        let visibility = match self.opt_string(t, "visibility") {
            None => Visibility::Public,
            Some(v) => Visibility::parse(&v).unwrap_or_else(|| {
                self.error(
                    "visibility",
                    &format!("must be public, nda or internal, not {v:?}"),
                );
                Visibility::Public
            }),
        };
        Entry {
            id: self.opt_string(t, "id").unwrap_or_default(),
            question: self.opt_string(t, "question").unwrap_or_default(),
            variants: self.list(t, "variants"),
            draft_variants: self.list(t, "draft_variants"),
            answer: self.opt_string(t, "answer").unwrap_or_default(),
            comment: self.opt_string(t, "comment").unwrap_or_default(),
            controls: self.list(t, "controls"),
            criteria: self.list(t, "criteria"),
            tags: self.list(t, "tags"),
            topic: self.opt_string(t, "topic"),
            owner: self.opt_string(t, "owner"),
            reviewed: self.date(t, "reviewed"),
            review_interval_days: self.days(t, "review_interval_days"),
            visibility,
            status,
            source: Source {
                file: self.file.to_string(),
                line: self.line,
            },
        }
    }

    fn error(&mut self, field: &str, msg: &str) {
        let line = key_line(self.text, self.line, self.end, field).unwrap_or(self.line);
        self.findings
            .push(Finding::error(self.file, msg).at(line).field(field));
    }

    fn opt_string(&mut self, t: &toml::Table, key: &str) -> Option<String> {
        match t.get(key)? {
            Value::String(s) => Some(s.trim().to_string()),
            Value::Integer(i) => Some(i.to_string()),
            _ => {
                self.error(key, "must be a string");
                None
            }
        }
    }

    fn list(&mut self, t: &toml::Table, key: &str) -> Vec<String> {
        match t.get(key) {
            None => Vec::new(),
            Some(Value::String(s)) => super::split_list(s),
            Some(Value::Array(items)) => {
                let mut out = Vec::new();
                for item in items {
                    match item.as_str() {
                        Some(s) if !s.trim().is_empty() => out.push(s.trim().to_string()),
                        Some(_) => {}
                        None => self.error(key, "must be a list of strings"),
                    }
                }
                out
            }
            Some(_) => {
                self.error(key, "must be a list of strings");
                Vec::new()
            }
        }
    }

    fn date(&mut self, t: &toml::Table, key: &str) -> Option<NaiveDate> {
        let text = match t.get(key)? {
            Value::Datetime(d) => d.to_string(),
            Value::String(s) => s.trim().to_string(),
            _ => {
                self.error(key, "must be a date (YYYY-MM-DD)");
                return None;
            }
        };
        match NaiveDate::parse_from_str(&text, "%Y-%m-%d") {
            Ok(d) => Some(d),
            Err(_) => {
                self.error(key, &format!("not a YYYY-MM-DD date: {text:?}"));
                None
            }
        }
    }

    fn days(&mut self, t: &toml::Table, key: &str) -> Option<u32> {
        match t.get(key)? {
            Value::Integer(i) if *i > 0 && *i <= i64::from(u32::MAX) => Some(*i as u32),
            _ => {
                self.error(key, "must be a positive number of days");
                None
            }
        }
    }
}

/// ` (did you mean "visibility"?)`, or nothing.
fn suggestion(key: &str, known: &[&str]) -> String {
    did_you_mean(key, known)
        .map(|k| format!(" (did you mean {k:?}?)"))
        .unwrap_or_default()
}

/// The line of `key = ...` between an entry's header line and the next
/// entry's (both 1-based), when it is written on a line of its own.
fn key_line(text: &str, from: usize, to: usize, key: &str) -> Option<usize> {
    text.lines()
        .enumerate()
        .skip(from)
        .take(to.saturating_sub(from + 1))
        .find(|(_, l)| starts_with_key(l, key))
        .map(|(i, _)| i + 1)
}

/// The line of a top-level `key = ...` (before the first table), else 1.
fn top_level_line(text: &str, key: &str) -> usize {
    text.lines()
        .take_while(|l| !l.trim_start().starts_with('['))
        .position(|l| starts_with_key(l, key))
        .map_or(1, |i| i + 1)
}

fn starts_with_key(line: &str, key: &str) -> bool {
    let l = line.trim_start();
    let l = l
        .strip_prefix(key)
        .or_else(|| l.strip_prefix(&format!("\"{key}\"")));
    l.is_some_and(|rest| rest.trim_start().starts_with('='))
}

/// 1-based line number of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// The line of each `[[entry]]` header, in order.
fn entry_lines(text: &str) -> Vec<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| {
            let l = l.trim_start();
            l.starts_with("[[") && l[2..].trim_start().starts_with("entry") && {
                let rest = l[2..].trim_start()["entry".len()..].trim_start();
                rest.starts_with("]]")
            }
        })
        .map(|(i, _)| i + 1)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Library {
        let mut lib = Library::default();
        parse_into(text, "answers/x.toml", &mut lib);
        lib
    }

    #[test]
    fn an_entry_with_an_error_fails_closed_as_internal() {
        let lib = load(
            "[[entry]]\nid = \"A\"\nquestion = \"q?\"\nanswer = \"Yes\"\nvisiblity = \"internal\"\n\
             [[entry]]\nid = \"B\"\nquestion = \"q?\"\nanswer = \"Yes\"\nvisibility = \"secret\"\n\
             [[entry]]\nid = \"C\"\nquestion = \"q?\"\nanswer = \"Yes\"\nvisibility = \"public\"\n",
        );
        let vis: Vec<Visibility> = lib.entries.iter().map(|e| e.visibility).collect();
        assert_eq!(
            vis,
            [
                Visibility::Internal,
                Visibility::Internal,
                Visibility::Public
            ]
        );
    }
}
