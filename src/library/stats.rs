//! Counts for `vouch library stats` and the review schedule for
//! `vouch library due`: who owns what, and what each owner must re-review.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::harvest::canonical_answer;
use super::{Entry, Library};

/// Shown for entries without an owner.
pub const NO_OWNER: &str = "(no owner)";

/// Library-wide counts.
#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    pub entries: usize,
    pub variants: usize,
    pub draft_variants: usize,
    pub by_status: BTreeMap<String, usize>,
    pub by_topic: BTreeMap<String, usize>,
    /// `Yes`, `No`, `N/A`, or `text` for free-text answers.
    pub by_answer: BTreeMap<String, usize>,
    pub by_owner: BTreeMap<String, usize>,
    pub by_visibility: BTreeMap<String, usize>,
    pub review_age: ReviewAge,
}

/// How long ago entries were last reviewed.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ReviewAge {
    pub never_reviewed: usize,
    /// Days since the last review, by bucket.
    pub under_90_days: usize,
    pub from_90_to_179_days: usize,
    pub from_180_to_364_days: usize,
    pub a_year_or_more: usize,
    /// Past `reviewed + review_interval_days`.
    pub stale: usize,
    pub oldest: Option<NaiveDate>,
    pub newest: Option<NaiveDate>,
    pub median_age_days: Option<i64>,
}

/// Per-owner counts (the rows of `stats --json`).
#[derive(Debug, Clone, Serialize)]
pub struct OwnerRow {
    pub owner: String,
    pub entries: usize,
    pub drafts: usize,
    pub never_reviewed: usize,
    pub stale: usize,
    pub due_within_30_days: usize,
    pub oldest_review: Option<NaiveDate>,
    pub next_due: Option<NaiveDate>,
}

pub fn owner_of(e: &Entry) -> String {
    e.owner.clone().unwrap_or_else(|| NO_OWNER.to_string())
}

fn answer_kind(answer: &str) -> String {
    match canonical_answer(answer).as_str() {
        a @ ("Yes" | "No" | "N/A") => a.to_string(),
        _ => "text".to_string(),
    }
}

pub fn stats(lib: &Library, today: NaiveDate) -> Stats {
    let mut s = Stats {
        entries: lib.entries.len(),
        variants: 0,
        draft_variants: 0,
        by_status: BTreeMap::new(),
        by_topic: BTreeMap::new(),
        by_answer: BTreeMap::new(),
        by_owner: BTreeMap::new(),
        by_visibility: BTreeMap::new(),
        review_age: ReviewAge::default(),
    };
    let mut ages = Vec::new();
    for e in &lib.entries {
        s.variants += e.variants.len();
        s.draft_variants += e.draft_variants.len();
        *s.by_status.entry(e.status.as_str().into()).or_default() += 1;
        let topic = e.topic.clone().unwrap_or_else(|| "(no topic)".into());
        *s.by_topic.entry(topic).or_default() += 1;
        *s.by_answer.entry(answer_kind(&e.answer)).or_default() += 1;
        *s.by_owner.entry(owner_of(e)).or_default() += 1;
        let vis = serde_json::to_value(e.visibility)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        *s.by_visibility.entry(vis).or_default() += 1;
        let age = &mut s.review_age;
        match e.reviewed {
            None => age.never_reviewed += 1,
            Some(d) => {
                let days = (today - d).num_days();
                ages.push(days);
                match days {
                    ..=89 => age.under_90_days += 1,
                    90..=179 => age.from_90_to_179_days += 1,
                    180..=364 => age.from_180_to_364_days += 1,
                    _ => age.a_year_or_more += 1,
                }
                age.oldest = Some(age.oldest.map_or(d, |o| o.min(d)));
                age.newest = Some(age.newest.map_or(d, |n| n.max(d)));
            }
        }
        if e.is_stale(today) {
            s.review_age.stale += 1;
        }
    }
    ages.sort_unstable();
    s.review_age.median_age_days = ages.get(ages.len() / 2).copied();
    s
}

pub fn owners(lib: &Library, today: NaiveDate) -> Vec<OwnerRow> {
    let mut by: BTreeMap<String, OwnerRow> = BTreeMap::new();
    let soon = today + chrono::Duration::days(30);
    for e in &lib.entries {
        let owner = owner_of(e);
        let row = by.entry(owner.clone()).or_insert_with(|| OwnerRow {
            owner,
            entries: 0,
            drafts: 0,
            never_reviewed: 0,
            stale: 0,
            due_within_30_days: 0,
            oldest_review: None,
            next_due: None,
        });
        row.entries += 1;
        row.drafts += usize::from(e.is_draft());
        row.never_reviewed += usize::from(e.reviewed.is_none());
        row.stale += usize::from(e.is_stale(today));
        if let Some(due) = e.review_due() {
            row.due_within_30_days += usize::from(due <= soon);
            row.next_due = Some(row.next_due.map_or(due, |n| n.min(due)));
        }
        if let Some(d) = e.reviewed {
            row.oldest_review = Some(row.oldest_review.map_or(d, |o| o.min(d)));
        }
    }
    by.into_values().collect()
}

/// An entry due for review.
#[derive(Debug, Clone, Serialize)]
pub struct DueRow {
    pub owner: String,
    pub id: String,
    pub question: String,
    pub reviewed: Option<NaiveDate>,
    /// `reviewed + review_interval_days`; None when never reviewed.
    pub due: Option<NaiveDate>,
    /// Days until due (negative: overdue); None when never reviewed.
    pub days_left: Option<i64>,
    pub file: String,
    pub line: usize,
}

/// Approved entries due within `within_days` of `today` (overdue ones
/// included) and those never reviewed, by owner, then due date.
pub fn due(lib: &Library, today: NaiveDate, within_days: i64) -> Vec<DueRow> {
    let limit = today + chrono::Duration::days(within_days);
    let mut rows: Vec<DueRow> = lib
        .entries
        .iter()
        .filter(|e| !e.is_draft())
        .filter(|e| e.review_due().is_none_or(|d| d <= limit))
        .map(|e| DueRow {
            owner: owner_of(e),
            id: e.id.clone(),
            question: e.question.clone(),
            reviewed: e.reviewed,
            due: e.review_due(),
            days_left: e.review_due().map(|d| (d - today).num_days()),
            file: e.source.file.clone(),
            line: e.source.line,
        })
        .collect();
    // Never-reviewed entries first within an owner: they have no date at all.
    rows.sort_by(|a, b| (&a.owner, a.due, &a.id).cmp(&(&b.owner, b.due, &b.id)));
    rows
}

/// `30d`, `6w`, `3m` (30 days each), `1y`, or a bare number of days.
pub fn parse_within(text: &str) -> Result<i64, String> {
    let t = text.trim().to_ascii_lowercase();
    let (digits, unit) = match t.find(|c: char| !c.is_ascii_digit()) {
        Some(i) => t.split_at(i),
        None => (t.as_str(), "d"),
    };
    let n: i64 = digits
        .parse()
        .map_err(|_| format!("--within {text:?}: expected a duration such as 30d, 6w, 3m or 1y"))?;
    let days = match unit.trim() {
        "d" | "day" | "days" => 1,
        "w" | "week" | "weeks" => 7,
        "m" | "month" | "months" => 30,
        "y" | "year" | "years" => 365,
        _ => {
            return Err(format!(
                "--within {text:?}: unknown unit {unit:?} (use d, w, m or y)"
            ))
        }
    };
    Ok(n * days)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_within("30d"), Ok(30));
        assert_eq!(parse_within("2w"), Ok(14));
        assert_eq!(parse_within("1y"), Ok(365));
        assert_eq!(parse_within("45"), Ok(45));
        assert!(parse_within("soon").is_err());
        assert!(parse_within("3x").is_err());
    }

    #[test]
    fn due_lists_overdue_and_soon_by_owner() {
        let today = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
        let e = |id: &str, owner: &str, reviewed: Option<NaiveDate>| Entry {
            id: id.into(),
            owner: Some(owner.into()),
            reviewed,
            ..Entry::default()
        };
        let lib = Library {
            entries: vec![
                e("A", "IT", NaiveDate::from_ymd_opt(2025, 5, 1)), // overdue
                e("B", "IT", NaiveDate::from_ymd_opt(2025, 6, 20)), // due in 19 days
                e("C", "IT", NaiveDate::from_ymd_opt(2026, 1, 1)), // not due
                e("D", "HR", None),                                // never reviewed
            ],
        };
        let rows = due(&lib, today, 30);
        let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["D", "A", "B"]);
        assert_eq!(rows[1].days_left, Some(-31));
        let s = stats(&lib, today);
        assert_eq!(s.review_age.stale, 1);
        assert_eq!(s.review_age.never_reviewed, 1);
        assert_eq!(s.by_owner["IT"], 3);
    }
}
