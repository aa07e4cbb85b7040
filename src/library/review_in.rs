//! Reading the reviewer's decisions back from a review workbook (written by
//! `vouch answer --report`; the layout is contract §2 in `docs/data-format.md`):
//! sheet `Review`, header in row 1, columns found by header text.

use std::path::Path;

use anyhow::{bail, Context, Result};
use calamine::{Data, Reader};

use crate::diag::{did_you_mean, Finding};

/// What the reviewer decided for one question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// The proposed entry answers the question (for a `kept` row: the
    /// answer already in the file is right).
    Accept,
    /// The proposed entry does not answer the question.
    Reject,
    /// The entry named in `Use entry` answers it.
    UseEntry,
    /// The right answer is `Answer override`; no entry fits.
    Override,
}

const DECISIONS: [&str; 4] = ["accept", "reject", "use entry", "override"];

/// One decided row of the review sheet.
#[derive(Debug, Clone)]
pub struct ReviewDecision {
    /// The row of the review sheet (1-based; the header is row 1).
    pub review_row: u32,
    pub sheet: String,
    /// The questionnaire row.
    pub row: Option<u32>,
    pub qid: Option<String>,
    pub question: String,
    /// vouch's proposed answer.
    pub answer: Option<String>,
    pub confidence: Option<f64>,
    pub tier: String,
    /// `written`, `kept`, `left empty`, `skipped`.
    pub status: Option<String>,
    pub existing_answer: Option<String>,
    pub entry: Option<String>,
    pub flipped: bool,
    pub suggestion: Option<String>,
    pub decision: Decision,
    pub use_entry: Option<String>,
    pub answer_override: Option<String>,
    pub comment_override: Option<String>,
}

impl ReviewDecision {
    /// The entry vouch proposed: the matched one, else the closest.
    pub fn proposed(&self) -> Option<&str> {
        self.entry.as_deref().or(self.suggestion.as_deref())
    }
}

/// The decided rows of `path`, and the problems of rows that cannot be
/// read (a decision that is not one of the four, `use entry` without an id,
/// `override` without an answer). Undecided rows are skipped.
pub fn read_review(path: &Path) -> Result<(Vec<ReviewDecision>, Vec<Finding>)> {
    // calamine may panic on a malformed workbook: bad input, not a crash.
    crate::contain::contained(|| read_review_workbook(path)).map_err(|e| {
        anyhow::anyhow!(
            "{}: not a readable workbook, it is malformed (the reader failed: {e})",
            path.display()
        )
    })?
}

fn read_review_workbook(path: &Path) -> Result<(Vec<ReviewDecision>, Vec<Finding>)> {
    let mut book = calamine::open_workbook_auto(path)
        .with_context(|| format!("{}: not a readable workbook", path.display()))?;
    let name = book
        .sheet_names()
        .into_iter()
        .find(|n| n.eq_ignore_ascii_case("Review"));
    let Some(name) = name else {
        bail!(
            "{}: no sheet named \"Review\" (is this a review workbook written by `vouch answer --report`?)",
            path.display()
        );
    };
    let range = book
        .worksheet_range(&name)
        .with_context(|| format!("{}: sheet '{name}': unreadable", path.display()))?;
    let rows: Vec<Vec<String>> = range
        .rows()
        .map(|r| r.iter().map(cell_text).collect())
        .collect();
    // Row numbers as the user sees them (the used range may not start at A1).
    let first_row = range.start().map_or(0, |(r, _)| r) + 1;
    let Some(header) = rows.first() else {
        bail!("{}: sheet '{name}' is empty", path.display());
    };
    let columns = Columns::find(header);
    let file = path.display().to_string();
    for required in ["question", "decision"] {
        if columns.get(required).is_none() {
            bail!(
                "{}: sheet '{name}' row {first_row}: no {:?} column (the header has: {})",
                path.display(),
                title(required),
                header
                    .iter()
                    .filter(|h| !h.is_empty())
                    .map(|h| format!("{h:?}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
    }
    let mut out = Vec::new();
    let mut findings = Vec::new();
    for (i, cells) in rows.iter().enumerate().skip(1) {
        let review_row = first_row + i as u32;
        let get = |key: &str| -> Option<String> {
            let c = columns.get(key)?;
            let text = cells.get(c)?.trim();
            (!text.is_empty()).then(|| text.to_string())
        };
        let Some(raw) = get("decision") else {
            continue;
        };
        let at = |msg: String, field: &str| {
            Finding::error(&file, msg)
                .at(review_row as usize)
                .field(field)
        };
        let (decision, inline_id) = match parse_decision(&raw) {
            Ok(d) => d,
            Err(msg) => {
                findings.push(at(msg, "Decision"));
                continue;
            }
        };
        let question = get("question").unwrap_or_default();
        if question.is_empty() {
            findings.push(at(
                "a decision on a row without a question".into(),
                "Question",
            ));
            continue;
        }
        let use_entry = get("use entry").or(inline_id);
        if decision == Decision::UseEntry && use_entry.is_none() {
            findings.push(at(
                "\"use entry\" needs the entry id in the Use entry column".into(),
                "Use entry",
            ));
            continue;
        }
        let answer_override = get("answer override");
        if decision == Decision::Override && answer_override.is_none() {
            findings.push(at(
                "\"override\" needs the right answer in the Answer override column".into(),
                "Answer override",
            ));
            continue;
        }
        out.push(ReviewDecision {
            review_row,
            sheet: get("sheet").unwrap_or_default(),
            row: get("row")
                .and_then(|r| r.parse::<f64>().ok())
                .map(|r| r as u32),
            qid: get("id"),
            question,
            answer: get("answer"),
            confidence: get("confidence").and_then(|c| c.trim_end_matches('%').parse().ok()),
            tier: get("tier").unwrap_or_default(),
            status: get("status").map(|s| s.to_lowercase()),
            existing_answer: get("existing answer"),
            entry: get("entry"),
            flipped: get("flipped").is_some_and(|f| {
                matches!(f.to_lowercase().as_str(), "yes" | "true" | "y" | "1" | "x")
            }),
            suggestion: get("suggestion"),
            decision,
            use_entry,
            answer_override,
            comment_override: get("comment override"),
        });
    }
    Ok((out, findings))
}

/// `accept`, `reject`, `use entry` (optionally `use entry IAM-001`),
/// `override`; case and spacing do not matter.
fn parse_decision(raw: &str) -> Result<(Decision, Option<String>), String> {
    let text = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    let lower = text.to_lowercase();
    let decision = match lower.as_str() {
        "accept" | "accepted" => Decision::Accept,
        "reject" | "rejected" => Decision::Reject,
        "use entry" => Decision::UseEntry,
        "override" | "answer override" => Decision::Override,
        _ => {
            if lower.starts_with("use entry ") {
                let id = text["use entry ".len()..].trim().to_string();
                return Ok((Decision::UseEntry, Some(id)));
            }
            let hint = did_you_mean(&lower, &DECISIONS)
                .map(|d| format!(" (did you mean {d:?}?)"))
                .unwrap_or_default();
            return Err(format!(
                "unknown decision {raw:?}{hint}: use accept, reject, use entry or override"
            ));
        }
    };
    Ok((decision, None))
}

/// Header positions by lowercase header text.
struct Columns(Vec<String>);

impl Columns {
    fn find(header: &[String]) -> Self {
        Columns(
            header
                .iter()
                .map(|h| {
                    h.split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" ")
                        .to_lowercase()
                })
                .collect(),
        )
    }

    fn get(&self, key: &str) -> Option<usize> {
        self.0.iter().position(|h| h == key)
    }
}

fn title(key: &str) -> String {
    let mut c = key.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decisions_parse_with_suggestions() {
        assert_eq!(parse_decision(" Accept ").unwrap().0, Decision::Accept);
        assert_eq!(
            parse_decision("use  entry").unwrap(),
            (Decision::UseEntry, None)
        );
        assert_eq!(
            parse_decision("Use entry IAM-001").unwrap(),
            (Decision::UseEntry, Some("IAM-001".into()))
        );
        let err = parse_decision("acept").unwrap_err();
        assert!(err.contains("did you mean \"accept\""), "{err}");
    }
}
