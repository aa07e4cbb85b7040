//! Harvesting past answers: the question / answer / comment triples of a
//! questionnaire that was already filled in, read through the same layout
//! detection as `vouch answer`.

use std::path::Path;

use anyhow::Result;
use serde::Serialize;

use crate::questionnaire::{self, vocab, ReadOptions};

/// One answered question of a past questionnaire.
#[derive(Debug, Clone, Serialize)]
pub struct Answered {
    pub sheet: String,
    pub row: u32,
    /// The questionnaire's own question id, when detected.
    pub qid: Option<String>,
    pub question: String,
    /// `Yes`, `No`, `N/A` (whatever the sheet's spelling) or free text.
    pub answer: String,
    pub comment: String,
}

/// What a questionnaire yields.
#[derive(Debug, Clone, Default)]
pub struct Harvest {
    pub answered: Vec<Answered>,
    /// Question rows with no answer (nothing to learn from them).
    pub unanswered: usize,
    /// Rows whose "answer" is a reference such as `APPL-01`, not an answer.
    pub not_answers: usize,
}

/// Reads `path` and keeps every question that has an answer.
pub fn harvest(path: &Path, opts: &ReadOptions) -> Result<Harvest> {
    let q = questionnaire::read(path, opts)?;
    let mut out = Harvest::default();
    for question in &q.questions {
        let answer = question
            .existing_answer
            .as_deref()
            .map(canonical_answer)
            .unwrap_or_default();
        if answer.is_empty() || question.text.trim().is_empty() {
            out.unanswered += 1;
            continue;
        }
        // A crosswalk or analyst sheet read as a questionnaire holds question
        // ids (`APPL-01`) where answers would be: they teach nothing.
        if looks_like_reference(&answer) || question.id.as_deref() == Some(answer.as_str()) {
            out.not_answers += 1;
            continue;
        }
        out.answered.push(Answered {
            sheet: question.sheet.clone(),
            row: question.row,
            qid: question.id.clone(),
            question: question.text.trim().to_string(),
            answer,
            comment: q.existing_comment(question).unwrap_or_default(),
        });
    }
    Ok(out)
}

/// An identifier such as `APPL-01`, `CC6.1` or `A.12.4.1`: letters, then
/// digits in dot- or dash-separated groups.
fn looks_like_reference(text: &str) -> bool {
    let t = text.trim();
    let letters = t.chars().take_while(char::is_ascii_alphabetic).count();
    let rest = t[letters..].trim_start_matches(['-', '_', '.', ' ']);
    (1..=8).contains(&letters)
        && !rest.is_empty()
        && rest.starts_with(|c: char| c.is_ascii_digit())
        && rest
            .split(['.', '-'])
            .all(|g| !g.is_empty() && g.len() <= 4 && g.chars().all(|c| c.is_ascii_digit()))
}

/// `Yes`, `No` or `N/A` for any spelling of them (`Y`, `NA`, `yes `), else
/// the text itself, trimmed.
pub fn canonical_answer(answer: &str) -> String {
    // Numbered dropdown options ("1) Yes", "b) No") are Yes/No all the same.
    let unnumbered = answer
        .trim()
        .split_once(") ")
        .filter(|(n, _)| n.len() <= 2 && n.chars().all(|c| c.is_ascii_alphanumeric()))
        .map(|(_, rest)| rest)
        .filter(|rest| vocab::kind_of(rest).is_some());
    match vocab::kind_of(unnumbered.unwrap_or(answer)) {
        Some(vocab::Kind::Yes) => "Yes".to_string(),
        Some(vocab::Kind::No) => "No".to_string(),
        Some(vocab::Kind::NotApplicable) => "N/A".to_string(),
        None => answer.trim().to_string(),
    }
}

/// Whether two answers say the same thing: the same Yes/No/N/A, or the same
/// text up to case and spacing.
pub fn same_answer(a: &str, b: &str) -> bool {
    squash(&canonical_answer(a)) == squash(&canonical_answer(b))
}

/// The Yes/No kind of an answer, if it is one.
pub fn yes_no(answer: &str) -> Option<bool> {
    match vocab::kind_of(answer) {
        Some(vocab::Kind::Yes) => Some(true),
        Some(vocab::Kind::No) => Some(false),
        _ => None,
    }
}

/// Lowercase, with runs of whitespace as one space and no trailing
/// punctuation: the key under which two phrasings count as the same text.
pub fn squash(text: &str) -> String {
    let words: Vec<String> = text.split_whitespace().map(str::to_lowercase).collect();
    words
        .join(" ")
        .trim_end_matches(['.', '?', '!', ':', ';', ' ', '*'])
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_compare_by_meaning_not_spelling() {
        assert_eq!(canonical_answer(" y "), "Yes");
        assert_eq!(canonical_answer("NA"), "N/A");
        assert_eq!(canonical_answer("Quarterly\n"), "Quarterly");
        assert_eq!(canonical_answer("1) Yes"), "Yes");
        assert_eq!(
            canonical_answer("3) Both modes available"),
            "3) Both modes available"
        );
        assert!(same_answer("Yes", "Y"));
        assert!(same_answer("Quarterly", "quarterly "));
        assert!(!same_answer("Yes", "No"));
        assert!(!same_answer("N/A", "No"));
        assert_eq!(yes_no("N"), Some(false));
        assert_eq!(yes_no("N/A"), None);
    }

    #[test]
    fn references_are_not_answers() {
        for r in ["APPL-01", "CC6.1", "A.12.4.1", "VULN-05", "IAM-01.2"] {
            assert!(looks_like_reference(r), "{r}");
        }
        for a in [
            "Yes",
            "N/A",
            "24x7",
            "Quarterly",
            "1) Yes",
            "ISO 27001 certified",
            "AES-256 everywhere",
        ] {
            assert!(!looks_like_reference(a), "{a}");
        }
    }

    #[test]
    fn squash_ignores_case_spacing_and_end_punctuation() {
        assert_eq!(
            squash("Do you  encrypt\ndata at rest?"),
            squash("do you encrypt data at rest")
        );
        assert_ne!(squash("Do you encrypt data"), squash("Do you encrypt logs"));
    }
}
