//! The shape of cell text: question-like sentences, yes/no values, end
//! markers and copyright lines.

use super::keywords::norm;

const LEAD_WORDS: &[&str] = &[
    "describe",
    "provide",
    "list",
    "explain",
    "please",
    "confirm",
    "indicate",
    "state",
    "specify",
    "identify",
    "attach",
    "outline",
    "detail",
    "summarize",
    "summarise",
    "upload",
    "include",
    "share",
    "document",
    "how",
    "what",
    "who",
    "when",
    "where",
    "which",
    "why",
    "do",
    "does",
    "did",
    "is",
    "are",
    "can",
    "could",
    "will",
    "would",
    "has",
    "have",
    "was",
    "were",
    "should",
    "may",
    "must",
    "shall",
    "if",
];

/// Strips a leading reference such as `4.2.1`, `AM-1.`, `BCM-01:` or `Q17)`.
fn strip_reference(t: &str) -> &str {
    let mut words = t.splitn(2, char::is_whitespace);
    let first = words.next().unwrap_or("");
    let rest = words.next().unwrap_or("");
    let looks_like_ref = first.chars().any(|c| c.is_ascii_digit())
        && first
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".-:)(_/".contains(c));
    if looks_like_ref && !rest.is_empty() {
        rest.trim_start()
    } else {
        t
    }
}

/// How much a cell reads like a question: 1.0 for `...?`, 0.6 for an
/// imperative/interrogative start or a long sentence, else 0.
pub fn question_weight(text: &str) -> f64 {
    let t = text.trim().trim_end_matches(['*', ' ', '\n']);
    if t.len() < 6 {
        return 0.0;
    }
    if t.ends_with('?') {
        return 1.0;
    }
    let body = strip_reference(t);
    let first = body
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("")
        .to_lowercase();
    if LEAD_WORDS.contains(&first.as_str()) || body.split_whitespace().count() >= 8 {
        0.6
    } else {
        0.0
    }
}

pub fn is_texty(t: &str) -> bool {
    let t = t.trim();
    t.chars().filter(|c| c.is_alphabetic()).count() >= 2
}

pub fn is_yes_no(v: &str) -> bool {
    if v.trim().len() > 16 {
        return false;
    }
    matches!(
        norm(v).as_str(),
        "yes"
            | "no"
            | "y"
            | "n"
            | "n/a"
            | "na"
            | "n a"
            | "not applicable"
            | "true"
            | "false"
            | "partial"
            | "partially"
            | "yes/no"
    )
}

pub fn is_end_marker(t: &str) -> bool {
    let t = t.trim();
    let starts_with_end = t.get(..6).is_some_and(|p| p.eq_ignore_ascii_case("end of"));
    (starts_with_end && t.split_whitespace().count() <= 6)
        || t.contains('©')
        || contains_ignore_case(t, "copyright")
        || contains_ignore_case(t, "all rights reserved")
}

/// ASCII case-insensitive substring test without allocating.
fn contains_ignore_case(haystack: &str, needle: &str) -> bool {
    let n = needle.as_bytes();
    haystack
        .as_bytes()
        .windows(n.len())
        .any(|w| w.eq_ignore_ascii_case(n))
}

/// Words that open a question asking for a description rather than a
/// yes/no: its answer cell takes free text.
const OPEN_WORDS: &[&str] = &[
    "describe",
    "explain",
    "list",
    "provide",
    "outline",
    "detail",
    "summarize",
    "summarise",
    "specify",
    "identify",
    "share",
    "attach",
    "upload",
    "name",
    "enter",
    "what",
    "how",
    "which",
    "who",
    "when",
    "where",
    "why",
];

/// A question asking for a description, a list or a value (`Describe…`,
/// `Please list…`, `How many…`), as opposed to a yes/no question.
pub fn is_open_question(text: &str) -> bool {
    let body = strip_reference(text.trim());
    let mut words = body
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase);
    let Some(first) = words.next() else {
        return false;
    };
    let first = if first == "please" || first == "kindly" {
        match words.next() {
            Some(w) => w,
            None => return false,
        }
    } else {
        first
    };
    OPEN_WORDS.contains(&first.as_str())
}

/// The shape of an id: letters become `A`, digits `9`, runs collapse and
/// punctuation stays (`GNRL-01` -> `A-9`, `2.1.00-01a` -> `9.9.9-9A`,
/// `3.0.` -> `9.9.`), so that question ids and section numbers differ.
pub fn id_shape(id: &str) -> String {
    let mut out = String::new();
    for c in id.trim().chars() {
        let k = if c.is_ascii_digit() {
            '9'
        } else if c.is_alphabetic() {
            'A'
        } else if c.is_whitespace() {
            ' '
        } else {
            c
        };
        if (k == '9' || k == 'A' || k == ' ') && out.ends_with(k) {
            continue;
        }
        out.push(k);
    }
    out
}

/// The number of words in a text.
pub fn word_count(t: &str) -> usize {
    t.split_whitespace().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_questions() {
        assert!(is_open_question("Please describe your backup process."));
        assert!(is_open_question("4.2 Describe how keys are rotated"));
        assert!(is_open_question("How many staff work in security?"));
        assert!(!is_open_question("Do you encrypt data at rest?"));
        assert!(!is_open_question("Please confirm that MFA is enforced."));
    }

    #[test]
    fn shapes() {
        assert_eq!(id_shape("GNRL-01"), "A-9");
        assert_eq!(id_shape("2.1.00-01a"), "9.9.9-9A");
        assert_eq!(id_shape("3.0."), "9.9.");
        assert_eq!(id_shape("A&A-01.1"), "A&A-9.9");
    }
}
