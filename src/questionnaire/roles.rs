//! The role of each sheet, decided from the sheet's own evidence: only a
//! respondent sheet is written to. A workbook such as the HECVAT holds,
//! next to the vendor's sheets, the institution's evaluation and scoring
//! sheets, a crosswalk, instructions and a change log, several of which
//! look like questionnaires (an id, a question and an answer column).
//!
//! Evidence against a sheet being the vendor's:
//! - instructions elsewhere in the workbook ("DO NOT complete any fields in
//!   the "Evaluation" sheets") or on the sheet itself ("Instructions for
//!   Analysts");
//! - a dropdown of verdicts rather than answers (`Mark as Compliant`);
//! - answer cells that are formulas (answers pulled from elsewhere);
//! - questions that are formulas copying a sheet where answers are typed (an
//!   echo of the respondent sheet);
//! - a protected sheet whose answer cells are locked;
//! - a name (Evaluation, Analyst, Scoring, Summary, Crosswalk, Reference,
//!   ChangeLog, Instructions...), which a clear answer column outweighs.

use std::collections::HashSet;

use serde::Serialize;

use super::detect::{answer_is_computed, Detection};
use super::keywords::norm;
use super::sheet::{col_letter, Grid};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// The vendor answers here.
    Respondent,
    /// The customer's analysts evaluate or score the answers here.
    Analyst,
    /// A crosswalk, reference list or glossary.
    Reference,
    Instructions,
    /// A change log.
    Log,
    /// No questions (empty, hidden or no layout found).
    Other,
}

impl Role {
    pub fn name(self) -> &'static str {
        match self {
            Role::Respondent => "respondent",
            Role::Analyst => "analyst/scoring",
            Role::Reference => "reference/crosswalk",
            Role::Instructions => "instructions",
            Role::Log => "log",
            Role::Other => "other",
        }
    }
}

/// What the whole workbook says about its sheets.
#[derive(Debug, Default)]
pub struct WorkbookEvidence {
    /// "Do not complete" instructions: (quoted sheet phrase, lower-cased;
    /// the sheet saying it; the sentence).
    pub do_not_complete: Vec<(String, String, String)>,
    /// Sheets (lower-cased) where answers are typed: question rows whose
    /// answer cells are mostly not formulas.
    pub typed_sheets: HashSet<String>,
}

impl WorkbookEvidence {
    /// Collects the workbook-level evidence from every readable sheet and
    /// its detection.
    pub fn collect<'a>(sheets: impl Iterator<Item = (&'a Grid, Option<&'a Detection>)>) -> Self {
        let mut out = WorkbookEvidence::default();
        for (grid, det) in sheets {
            if grid.hidden {
                continue;
            }
            for (_, cells) in grid.rows().take_while(|(r, _)| *r <= 200) {
                for (_, text) in cells {
                    for phrase in do_not_complete_phrases(text) {
                        out.do_not_complete.push((
                            phrase,
                            grid.name.clone(),
                            clip(text.trim(), 120),
                        ));
                    }
                }
            }
            if let Some(det) = det {
                if !det.rows.is_empty() && !answer_is_computed(grid, &det.rows) {
                    out.typed_sheets.insert(grid.name.to_lowercase());
                }
            }
        }
        out
    }
}

/// The role of a sheet and why.
#[derive(Debug, Clone)]
pub struct RoleDecision {
    pub role: Role,
    pub reasons: Vec<String>,
    /// Only the sheet's name speaks against it (weak evidence: when no sheet
    /// of the workbook is a respondent sheet, such a sheet is answered).
    pub name_only: bool,
}

impl RoleDecision {
    fn new(role: Role, reasons: Vec<String>) -> Self {
        RoleDecision {
            role,
            reasons,
            name_only: false,
        }
    }

    /// Promotes a sheet rejected only for its name.
    pub fn promote(&mut self) {
        self.role = Role::Respondent;
        self.reasons =
            vec!["the only sheet with questions: its name alone does not rule it out".to_owned()];
        self.name_only = false;
    }
}

/// Decides the role of a sheet whose layout was detected. `selected`: the
/// user named it with `--sheet` (or the format fixes the layout), which
/// overrides the evidence. `use_name`: the name is a sheet's (a CSV file's
/// name says nothing about its role).
pub fn classify(
    grid: &Grid,
    det: &Detection,
    wb: &WorkbookEvidence,
    selected: bool,
    use_name: bool,
) -> RoleDecision {
    let by_name = if use_name {
        name_role(&grid.name)
    } else {
        None
    };
    let mut against: Vec<String> = Vec::new();
    let mut content_role = Role::Analyst;
    // The same instruction usually stands on every respondent sheet: say
    // it once, with how many sheets repeat it.
    let mut said: Vec<(&str, &str, usize)> = Vec::new();
    for (phrase, source, sentence) in &wb.do_not_complete {
        if source != &grid.name && grid.name.to_lowercase().contains(phrase.as_str()) {
            match said.iter_mut().find(|(_, s, _)| s == sentence) {
                Some(entry) => entry.2 += 1,
                None => said.push((source, sentence, 0)),
            }
        }
    }
    for (source, sentence, others) in said {
        let also = match others {
            0 => String::new(),
            1 => " (and 1 other sheet)".to_owned(),
            n => format!(" (and {n} other sheets)"),
        };
        against.push(format!("'{source}'{also} says: {sentence}"));
    }
    if addressed_to_analysts(grid) {
        against.push("its instructions are addressed to analysts".to_owned());
    }
    for (col, values) in &det.verdict_cols {
        against.push(format!(
            "column {} offers {:?}, an analyst's verdict, not an answer",
            col_letter(*col),
            values.join(" / ")
        ));
    }
    if answer_is_computed(grid, &det.rows) {
        against.push("its answer column holds formulas (answers pulled from elsewhere)".to_owned());
    }
    if let Some(source) = echo_of(grid, det, wb) {
        against.push(format!(
            "its questions are formulas copying '{source}', where the answers are typed"
        ));
        if by_name.is_none() {
            content_role = Role::Analyst;
        }
    }
    if let Some(first) = answers_locked(grid, det) {
        against.push(format!(
            "it is protected and its answer cells are locked ({first}…)"
        ));
    }
    let name_reason = by_name.map(|(_, word)| format!("its name says '{word}'"));
    if selected {
        let mut reasons = vec!["chosen with --sheet".to_owned()];
        reasons.extend(against.into_iter().map(|r| format!("(overrides: {r})")));
        return RoleDecision::new(Role::Respondent, reasons);
    }
    if det.rows.is_empty() {
        let reason = det
            .skipped_reason
            .clone()
            .unwrap_or_else(|| "no question rows found".to_owned());
        let mut reasons = vec![reason];
        reasons.extend(name_reason);
        return RoleDecision::new(by_name.map_or(Role::Other, |(r, _)| r), reasons);
    }
    if !against.is_empty() {
        against.extend(name_reason);
        return RoleDecision::new(by_name.map_or(content_role, |(r, _)| r), against);
    }
    let support = answer_support(grid, det);
    match (by_name, support) {
        (Some((role, _)), None) => RoleDecision {
            role,
            reasons: vec![
                name_reason.unwrap_or_default(),
                "no answer header or answer dropdown says otherwise".to_owned(),
            ],
            name_only: true,
        },
        (by_name, support) => {
            let mut reasons = vec![support.unwrap_or_else(|| {
                format!("{} question rows with an answer column", det.rows.len())
            })];
            if let Some(name) = name_reason.filter(|_| by_name.is_some()) {
                reasons.push(format!("{name}, but the answer column outweighs it"));
            }
            RoleDecision::new(Role::Respondent, reasons)
        }
    }
}

/// Positive evidence: the answer column is named by a header, or a
/// dropdown of answers covers most of its cells.
fn answer_support(grid: &Grid, det: &Detection) -> Option<String> {
    let a = det.answer_col?;
    let dv = grid.validation_index();
    let covered = det
        .rows
        .iter()
        .filter(|r| r.answer_col.is_some_and(|c| dv.at(r.row, c).is_some()))
        .count();
    let header = det
        .header_row
        .map(|h| grid.cell(h, a).trim().replace('\n', " "))
        .filter(|h| !h.is_empty());
    if covered * 2 >= det.rows.len() && covered > 0 {
        return Some(format!(
            "a dropdown ({}) covers {covered} of {} answer cells in column {}",
            det.vocabulary.join(" / "),
            det.rows.len(),
            col_letter(a)
        ));
    }
    if det.answer_named {
        return Some(format!(
            "column {} is headed {:?}",
            col_letter(a),
            header.unwrap_or_default()
        ));
    }
    None
}

/// The sheet whose typed answers this sheet's question formulas copy.
fn echo_of(grid: &Grid, det: &Detection, wb: &WorkbookEvidence) -> Option<String> {
    let q = det.question_col?;
    let own = grid.name.to_lowercase();
    let mut counts: std::collections::HashMap<&str, usize> = Default::default();
    for row in &det.rows {
        for sheet in grid.formula_sheets(row.row, q) {
            if *sheet != own && wb.typed_sheets.contains(sheet) {
                *counts.entry(sheet.as_str()).or_default() += 1;
            }
        }
    }
    let (sheet, n) = counts
        .into_iter()
        .max_by_key(|&(s, n)| (n, std::cmp::Reverse(s)))?;
    (n * 2 > det.rows.len()).then(|| sheet.to_owned())
}

/// A protected sheet where most answer cells are locked: nobody types
/// there. Returns the first locked answer cell.
fn answers_locked(grid: &Grid, det: &Detection) -> Option<String> {
    if !grid.protected || grid.locks.is_none() {
        return None;
    }
    let with_col: Vec<(u32, u32)> = det
        .rows
        .iter()
        .filter_map(|r| r.answer_col.map(|a| (r.row, a)))
        .collect();
    let locked: Vec<&(u32, u32)> = with_col
        .iter()
        .filter(|&&(r, a)| grid.is_locked(r, a))
        .collect();
    (!with_col.is_empty() && locked.len() * 2 > with_col.len())
        .then(|| super::sheet::cell_name(locked[0].0, locked[0].1))
}

/// "Instructions for Analysts", "Analysts: use columns G and I...".
fn addressed_to_analysts(grid: &Grid) -> bool {
    const AUDIENCES: &[&str] = &[
        "analyst",
        "reviewer",
        "evaluator",
        "assessor",
        "institution",
        "the institution",
    ];
    grid.rows()
        .take_while(|(r, _)| *r <= 80)
        .flat_map(|(_, cells)| cells.iter())
        .any(|(_, text)| {
            let n = norm(text);
            let to = |prefix: &str| {
                n.match_indices(prefix).any(|(i, _)| {
                    let rest = &n[i + prefix.len()..];
                    AUDIENCES.iter().any(|a| rest.starts_with(a))
                })
            };
            to("instructions for ") || n.starts_with("analysts ") || n.starts_with("for analyst")
        })
}

/// The quoted sheet names in a "do not complete / fill / edit" sentence,
/// lower-cased: `DO NOT complete any fields in the "Evaluation" sheets or
/// the "Analyst Notes" column` -> `["evaluation"]` (a quoted name followed by
/// "column" names a column, not a sheet).
pub fn do_not_complete_phrases(text: &str) -> Vec<String> {
    let lower = text.to_lowercase();
    const VERBS: &[&str] = &[
        "do not complete",
        "do not fill",
        "do not edit",
        "do not enter",
        "do not modify",
        "do not change",
        "do not answer",
        "don't complete",
        "don't fill",
        "not to be completed",
    ];
    let Some(start) = VERBS.iter().filter_map(|v| lower.find(v)).min() else {
        return Vec::new();
    };
    let rest = &text[start..];
    let sentence_end = rest.find(['.', '\n']).map_or(rest.len(), |i| i);
    let sentence = &rest[..sentence_end];
    let mut out = Vec::new();
    let mut chars = sentence.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let close = match c {
            '"' => '"',
            '\u{201C}' => '\u{201D}',
            _ => continue,
        };
        let after = &sentence[i + c.len_utf8()..];
        let Some(end) = after.find(close) else {
            break;
        };
        let phrase = after[..end].trim();
        let following = after[end + close.len_utf8()..].trim_start().to_lowercase();
        if !phrase.is_empty() && !following.starts_with("column") {
            out.push(phrase.to_lowercase());
        }
        // Skip past the closing quote.
        let skip_to = i + c.len_utf8() + end + close.len_utf8();
        while chars.peek().is_some_and(|&(j, _)| j < skip_to) {
            chars.next();
        }
    }
    out
}

/// The role a sheet's name suggests, with the word that says it.
fn name_role(name: &str) -> Option<(Role, &'static str)> {
    let lower = name.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let has = |w: &str| words.contains(&w);
    const TABLE: &[(Role, &[&str])] = &[
        (Role::Log, &["changelog", "changes", "revisions", "history"]),
        (
            Role::Analyst,
            &[
                "evaluation",
                "analyst",
                "analysts",
                "scoring",
                "score",
                "scores",
                "scorecard",
                "summary",
            ],
        ),
        (
            Role::Reference,
            &[
                "crosswalk",
                "reference",
                "references",
                "mapping",
                "glossary",
                "definitions",
                "acknowledgments",
                "acknowledgements",
                "lookup",
            ],
        ),
        (
            Role::Instructions,
            &["instructions", "instruction", "introduction", "readme"],
        ),
    ];
    if lower.contains("change log") {
        return Some((Role::Log, "change log"));
    }
    if lower.contains("read me") {
        return Some((Role::Instructions, "read me"));
    }
    for (role, keywords) in TABLE {
        if let Some(word) = keywords.iter().find(|k| has(k)) {
            return Some((*role, word));
        }
    }
    None
}

fn clip(s: &str, n: usize) -> String {
    let flat = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= n {
        flat
    } else {
        let mut t: String = flat.chars().take(n).collect();
        t.push('…');
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases() {
        assert_eq!(
            do_not_complete_phrases(
                "4. DO NOT complete any fields in the \"Evaluation\" sheets or the \"Analyst Notes\" column."
            ),
            vec!["evaluation"]
        );
        assert_eq!(
            do_not_complete_phrases("Please do not edit the \u{201C}Scoring\u{201D} tab."),
            vec!["scoring"]
        );
        assert!(do_not_complete_phrases("Complete the \"Start Here\" tab.").is_empty());
    }

    #[test]
    fn names() {
        assert_eq!(
            name_role("Institution Evaluation").map(|r| r.0),
            Some(Role::Analyst)
        );
        assert_eq!(name_role("ChangeLog").map(|r| r.0), Some(Role::Log));
        assert_eq!(
            name_role("Standards Crosswalk").map(|r| r.0),
            Some(Role::Reference)
        );
        assert_eq!(
            name_role("Introduction").map(|r| r.0),
            Some(Role::Instructions)
        );
        assert_eq!(name_role("START HERE"), None);
        assert_eq!(name_role("HECVAT - Full | Vendor Response"), None);
    }
}
