//! Reading TOML files field by field with line numbers, so that each problem
//! names the file, the line and the field, and reading goes on after it.

use std::str::FromStr;

use chrono::NaiveDate;
use toml::{Table, Value};

use crate::diag::Finding;

/// A parsed TOML file with what is needed to find the line of a key.
pub struct TomlFile {
    pub file: String,
    lines: Vec<String>,
    line_starts: Vec<usize>,
}

impl TomlFile {
    /// Parses `text`; a syntax error becomes a finding at its line.
    pub fn parse(file: &str, text: &str, findings: &mut Vec<Finding>) -> Option<(Self, Table)> {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        let doc = TomlFile {
            file: file.to_string(),
            lines: text.lines().map(str::to_string).collect(),
            line_starts,
        };
        match text.parse::<Table>() {
            Ok(table) => Some((doc, table)),
            Err(e) => {
                let msg = e.message().lines().next().unwrap_or("invalid TOML").trim();
                let mut f = Finding::error(file, format!("invalid TOML: {msg}"));
                if let Some(span) = e.span() {
                    f = f.at(doc.line_of_offset(span.start));
                }
                findings.push(f);
                None
            }
        }
    }

    fn line_of_offset(&self, offset: usize) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(i) => i + 1,
            Err(i) => i,
        }
    }

    /// The 1-based lines of the `[[name]]` headers, in order.
    pub fn array_lines(&self, name: &str) -> Vec<usize> {
        let header = format!("[[{name}]]");
        self.lines
            .iter()
            .enumerate()
            .filter(|(_, l)| l.trim_start().starts_with(&header))
            .map(|(i, _)| i + 1)
            .collect()
    }

    /// The 1-based line of the `[name]` header, or 0 when absent.
    pub fn table_line(&self, name: &str) -> usize {
        let header = format!("[{name}]");
        // The header may carry a trailing comment: `[trust_center]  # optional`.
        self.lines
            .iter()
            .position(|l| {
                l.trim_start()
                    .strip_prefix(&header)
                    .is_some_and(|rest| rest.trim().is_empty() || rest.trim().starts_with('#'))
            })
            .map_or(0, |i| i + 1)
    }

    /// The line of `key = ...` in the table whose header is on
    /// `table_line` (0 for the top level), or `table_line` when not found.
    pub fn key_line(&self, table_line: usize, key: &str) -> usize {
        for (i, line) in self.lines.iter().enumerate().skip(table_line) {
            let t = line.trim_start();
            if t.starts_with('[') {
                break; // the next table begins
            }
            if let Some(rest) = t.strip_prefix(key) {
                if rest.trim_start().starts_with('=') {
                    return i + 1;
                }
            }
        }
        // A key that is itself a table: its `[key]` or `[[key]]` header.
        if table_line == 0 {
            let headers = [format!("[{key}]"), format!("[[{key}]]"), format!("[{key}.")];
            if let Some(i) = self.lines.iter().position(|l| {
                let t = l.trim_start();
                headers.iter().any(|h| t.starts_with(h.as_str()))
            }) {
                return i + 1;
            }
        }
        table_line.max(1)
    }
}

/// Reads the fields of one table, recording problems as findings.
pub struct Fields<'a> {
    doc: &'a TomlFile,
    table: &'a Table,
    line: usize,
    findings: &'a mut Vec<Finding>,
}

impl<'a> Fields<'a> {
    pub fn new(
        doc: &'a TomlFile,
        table: &'a Table,
        line: usize,
        findings: &'a mut Vec<Finding>,
    ) -> Self {
        Fields {
            doc,
            table,
            line,
            findings,
        }
    }

    /// The line of every key of this table.
    pub fn key_lines(&self) -> std::collections::BTreeMap<String, usize> {
        self.table
            .keys()
            .map(|k| (k.clone(), self.doc.key_line(self.line, k)))
            .collect()
    }

    /// The findings this reader adds to (for helpers reading a sub-table).
    pub fn findings_mut(&mut self) -> &mut Vec<Finding> {
        self.findings
    }

    /// Records an error on `key`.
    pub fn error(&mut self, key: &str, msg: impl Into<String>) {
        let line = self.doc.key_line(self.line, key);
        self.findings
            .push(Finding::error(&self.doc.file, msg).at(line).field(key));
    }

    /// Reports every key of this table that is not in `known`, with the
    /// closest known key. `elsewhere` lists keys that are valid in another
    /// table of the file, with where they belong (TOML puts a key written
    /// after a `[table]` header into that table).
    pub fn deny_unknown(&mut self, known: &[&str], elsewhere: &[&str], place: &str) {
        let unknown: Vec<String> = self
            .table
            .keys()
            .filter(|k| !known.contains(&k.as_str()))
            .cloned()
            .collect();
        for key in unknown {
            let msg = if elsewhere.contains(&key.as_str()) {
                format!(
                    "unknown key in this table: {key:?} belongs {place} (a key written after a [table] header belongs to that table)"
                )
            } else {
                unknown_key_message(&key, known)
            };
            self.error(&key, msg);
        }
    }

    fn missing(&mut self, key: &str) {
        let finding = Finding::error(&self.doc.file, "missing required field")
            .at(self.line.max(1))
            .field(key);
        self.findings.push(finding);
    }

    pub fn opt_str(&mut self, key: &str) -> Option<String> {
        match self.table.get(key)? {
            Value::String(s) if s.trim().is_empty() => None,
            Value::String(s) => Some(s.clone()),
            other => {
                self.error(
                    key,
                    format!("expected a string, found {}", other.type_str()),
                );
                None
            }
        }
    }

    pub fn req_str(&mut self, key: &str) -> Option<String> {
        match self.table.get(key) {
            None => {
                self.missing(key);
                None
            }
            Some(Value::String(v)) if v.trim().is_empty() => {
                self.error(key, "must not be empty");
                None
            }
            Some(_) => self.opt_str(key),
        }
    }

    pub fn str_list(&mut self, key: &str) -> Vec<String> {
        match self.table.get(key) {
            None => Vec::new(),
            Some(Value::Array(items)) => {
                let mut out = Vec::new();
                for item in items {
                    match item.as_str() {
                        Some(s) => out.push(s.to_string()),
                        None => self.error(key, "expected a list of strings"),
                    }
                }
                out
            }
            Some(_) => {
                self.error(key, "expected a list of strings");
                Vec::new()
            }
        }
    }

    pub fn opt_int(&mut self, key: &str) -> Option<i64> {
        match self.table.get(key)? {
            Value::Integer(i) => Some(*i),
            _ => {
                self.error(key, "expected a whole number");
                None
            }
        }
    }

    pub fn opt_date(&mut self, key: &str) -> Option<NaiveDate> {
        let value = self.table.get(key)?;
        let parsed = match value {
            Value::String(s) => parse_date(s),
            Value::Datetime(dt) => match (dt.date, dt.time) {
                (Some(d), None) => {
                    NaiveDate::from_ymd_opt(d.year.into(), d.month.into(), d.day.into())
                        .ok_or_else(|| format!("invalid date {dt}"))
                }
                _ => Err(format!("expected a date YYYY-MM-DD, found {dt}")),
            },
            other => Err(format!(
                "expected a date YYYY-MM-DD, found {}",
                other.type_str()
            )),
        };
        match parsed {
            Ok(d) => Some(d),
            Err(msg) => {
                self.error(key, msg);
                None
            }
        }
    }

    pub fn opt_enum<T: FromStr<Err = String>>(&mut self, key: &str) -> Option<T> {
        let s = self.opt_str(key)?;
        match s.trim().parse::<T>() {
            Ok(v) => Some(v),
            Err(msg) => {
                self.error(key, msg);
                None
            }
        }
    }

    pub fn req_enum<T: FromStr<Err = String>>(&mut self, key: &str) -> Option<T> {
        if !self.table.contains_key(key) {
            self.missing(key);
            return None;
        }
        self.opt_enum(key)
    }

    /// A list of enum values (e.g. TSC categories).
    pub fn enum_list<T: FromStr<Err = String>>(&mut self, key: &str) -> Vec<T> {
        let mut out = Vec::new();
        for s in self.str_list(key) {
            match s.trim().parse::<T>() {
                Ok(v) => out.push(v),
                Err(msg) => self.error(key, msg),
            }
        }
        out
    }

    pub fn table(&mut self, key: &str) -> Option<&'a Table> {
        match self.table.get(key)? {
            Value::Table(t) => Some(t),
            _ => {
                self.error(key, "expected a table");
                None
            }
        }
    }
}

/// Parses `YYYY-MM-DD` strictly.
pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    let t = s.trim();
    if t.len() != 10 {
        return Err(format!("invalid date {t:?} (expected YYYY-MM-DD)"));
    }
    NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .map_err(|_| format!("invalid date {t:?} (expected YYYY-MM-DD)"))
}

/// `unknown key (did you mean "auditor"?)`, or the list of valid keys when
/// none is close.
pub fn unknown_key_message(key: &str, known: &[&str]) -> String {
    match crate::diag::did_you_mean(key, known) {
        Some(s) => format!("unknown key (did you mean {s:?}?)"),
        None => format!("unknown key (expected one of: {})", known.join(", ")),
    }
}
