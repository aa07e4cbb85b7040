//! Canonical answers (`Yes`, `No`, `N/A`) and a sheet's own spelling of
//! them (`NA`, `Y`/`N`, `Yes - fully implemented`).

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Yes,
    No,
    NotApplicable,
}

fn norm(v: &str) -> String {
    v.trim()
        .to_lowercase()
        .chars()
        .filter(|c| !matches!(c, '.' | ' ' | '-' | '_'))
        .collect()
}

/// The kind of a whole answer (`Y`, `yes`, `N/A`, `not applicable`).
pub fn kind_of(v: &str) -> Option<Kind> {
    match norm(v).as_str() {
        "yes" | "y" | "true" | "oui" | "ja" | "si" => Some(Kind::Yes),
        "no" | "n" | "false" | "non" | "nein" => Some(Kind::No),
        "n/a" | "na" | "notapplicable" | "n/ a" | "nonapplicable" => Some(Kind::NotApplicable),
        _ => None,
    }
}

/// The kind of a dropdown entry, also when it carries a qualifier
/// (`Yes - fully implemented`, `No (planned)`).
fn kind_of_entry(v: &str) -> Option<Kind> {
    kind_of(v).or_else(|| {
        let first = v
            .split(|c: char| !(c.is_alphanumeric() || c == '/'))
            .find(|w| !w.is_empty())?;
        kind_of(first)
    })
}

/// Writes `answer` in the sheet's vocabulary when it has one: an exact
/// (case-insensitive) entry first, then an entry of the same kind.
pub fn map_answer(answer: &str, vocabulary: &[String]) -> String {
    if vocabulary.is_empty() {
        return answer.to_owned();
    }
    let trimmed = answer.trim();
    if let Some(v) = vocabulary
        .iter()
        .find(|v| v.trim().eq_ignore_ascii_case(trimmed))
    {
        return v.clone();
    }
    if let Some(kind) = kind_of(trimmed) {
        if let Some(v) = vocabulary.iter().find(|v| kind_of(v) == Some(kind)) {
            return v.clone();
        }
        if let Some(v) = vocabulary.iter().find(|v| kind_of_entry(v) == Some(kind)) {
            return v.clone();
        }
    }
    answer.to_owned()
}

/// Whether `value` is one of the vocabulary entries.
pub fn in_vocabulary(value: &str, vocabulary: &[String]) -> bool {
    vocabulary.iter().any(|v| v.trim() == value.trim())
}

/// A vocabulary inferred from answers already in the column (a filled
/// questionnaire without a dropdown: `Y`/`N`).
pub fn infer_from_answers<'a>(answers: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for a in answers {
        let a = a.trim();
        if let Some(kind) = kind_of(a) {
            if !out.iter().any(|v| kind_of(v) == Some(kind)) {
                out.push(a.to_owned());
            }
        }
    }
    // A column answered in single letters (`Y`) is answered `N` for no.
    let letters = [("Y", "N"), ("N", "Y"), ("y", "n"), ("n", "y")];
    if let Some((_, other)) = letters
        .iter()
        .find(|(one, _)| out.len() == 1 && out[0] == *one)
    {
        out.push(other.to_string());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn maps_onto_sheet_vocabulary() {
        assert_eq!(map_answer("N/A", &v(&["Yes", "No", "NA"])), "NA");
        assert_eq!(map_answer("Yes", &v(&["Y", "N"])), "Y");
        assert_eq!(map_answer("yes", &v(&["Yes", "No"])), "Yes");
        assert_eq!(
            map_answer("No", &v(&["Yes - fully", "No - not in place"])),
            "No - not in place"
        );
        assert_eq!(map_answer("Partially", &v(&["Yes", "No"])), "Partially");
        assert_eq!(map_answer("N/A", &[]), "N/A");
    }

    #[test]
    fn infers() {
        assert_eq!(
            infer_from_answers(["Y", "N ", "Y", "x"].into_iter()),
            v(&["Y", "N"])
        );
        assert_eq!(infer_from_answers(["Y", "Y"].into_iter()), v(&["Y", "N"]));
    }
}

/// Whether a dropdown offers a vendor's answers, as opposed to an analyst's
/// verdicts (`Mark as Compliant`, `Critical Importance`, `Override`): most
/// of its values must not read as an instruction to a reviewer or a score.
pub fn is_answer_like(values: &[String]) -> bool {
    if values.is_empty() {
        return true;
    }
    let verdicts = values.iter().filter(|v| is_verdict(v)).count();
    verdicts * 2 < values.len()
}

fn is_verdict(v: &str) -> bool {
    let n = v.trim().to_lowercase();
    const OPENERS: &[&str] = &["mark as", "mark ", "set as", "flag as", "override"];
    const WORDS: &[&str] = &[
        "importance",
        "score",
        "weight",
        "do not score",
        "non-negotiable",
    ];
    OPENERS.iter().any(|o| n.starts_with(o)) || WORDS.iter().any(|w| n.contains(w))
}

/// Whether vouch's answer says the same as the answer already in the file:
/// the same kind of yes/no answer (`Y` = `Yes`, `No - not in place` = `No`),
/// else the same text ignoring case and spacing.
pub fn answers_agree(ours: &str, theirs: &str) -> bool {
    match (kind_of_entry(ours), kind_of_entry(theirs)) {
        (Some(a), Some(b)) => a == b,
        (None, None) => {
            let flat = |s: &str| {
                s.split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .to_lowercase()
            };
            flat(ours) == flat(theirs)
        }
        _ => false,
    }
}

#[cfg(test)]
mod shape_tests {
    use super::*;

    fn v(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn verdict_lists_are_not_answers() {
        assert!(!is_answer_like(&v(&[
            "Mark as Compliant",
            "Mark as Non-Compliant"
        ])));
        assert!(!is_answer_like(&v(&[
            "Critical Importance",
            "Standard Importance",
            "Minor Importance"
        ])));
        assert!(is_answer_like(&v(&["Yes", "No", "N/A"])));
        assert!(is_answer_like(&v(&["Quarterly", "Annually", "Other"])));
        assert!(is_answer_like(&v(&[
            "Compliant",
            "Partially compliant",
            "Non-compliant"
        ])));
    }

    #[test]
    fn agreement() {
        assert!(answers_agree("Yes", "Y"));
        assert!(answers_agree("No", "No - not in place"));
        assert!(!answers_agree("Yes", "No"));
        assert!(!answers_agree("Yes", "Instructure"));
        assert!(answers_agree("Kestrel  Systems", "kestrel systems"));
    }
}
