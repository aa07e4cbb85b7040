//! Header keywords: how much a header cell reads like the question, answer,
//! comment or id column, and which headers belong to someone else's columns
//! (analyst notes, internal scoring).

/// Lower-cased header text with punctuation turned into spaces (`#` and `/`
/// kept, they carry meaning in headers).
pub fn norm(h: &str) -> String {
    let mapped: String = h
        .to_lowercase()
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '#' || c == '/' {
                c
            } else {
                ' '
            }
        })
        .collect();
    mapped.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn has_word(n: &str, words: &[&str]) -> bool {
    n.split(' ').any(|w| words.contains(&w))
}

pub fn kw_id(h: &str) -> f64 {
    let n = norm(h);
    const EXACT: &[&str] = &[
        "#",
        "id",
        "ref",
        "no",
        "number",
        "reference",
        "qid",
        "item",
        "item #",
        "item no",
        "s/n",
        "sl no",
        "sr no",
        "question #",
        "question no",
        "q #",
        "ref #",
        "ref no",
        "nr",
    ];
    if EXACT.contains(&n.as_str()) {
        1.0
    } else if has_word(&n, &["id", "ref", "#", "number", "no", "identifier"]) {
        0.8
    } else {
        0.0
    }
}

pub fn kw_question(h: &str) -> f64 {
    let n = norm(h);
    if n.is_empty() {
        return 0.0;
    }
    if kw_id(h) >= 0.8 {
        return 0.1;
    }
    if n.contains("question") || n.contains("requirement") || n.contains("query") {
        1.0
    } else if has_word(&n, &["control", "controls"])
        && has_word(&n, &["description", "statement", "text", "objective"])
    {
        0.8
    } else if has_word(
        &n,
        &[
            "description",
            "criteria",
            "criterion",
            "control",
            "item",
            "topic",
            "request",
            "ask",
        ],
    ) {
        0.4
    } else {
        0.0
    }
}

/// Topics that contain an answer word without naming an answer column.
const ANSWER_WORD_TOPICS: &[&str] = &[
    "incident response",
    "emergency response",
    "breach response",
    "response time",
    "response plan",
    "response team",
];

pub fn kw_answer(h: &str) -> f64 {
    let n = norm(h);
    if ANSWER_WORD_TOPICS.iter().any(|t| n.contains(t)) && !n.contains("answer") {
        return 0.0;
    }
    if n.contains("answer")
        || n.contains("response")
        || n.contains("reply")
        || n.contains("yes/no")
        || n.contains("y/n")
        || n.contains("yes no")
    {
        if kw_comment(h) >= 1.0 {
            0.5
        } else {
            1.0
        }
    } else if is_short_yes_no_label(h) {
        // "Compliant?", "In place?", "Implemented (Y/N)?"
        0.9
    } else if has_word(&n, &["compliant", "compliance", "implemented", "selection"]) {
        0.5
    } else {
        0.0
    }
}

pub fn kw_comment(h: &str) -> f64 {
    let n = norm(h);
    const STRONG: &[&str] = &[
        "comment",
        "notes",
        "note",
        "explanation",
        "additional information",
        "additional info",
        "additional detail",
        "evidence",
        "remark",
        "details",
        "justification",
        "elaboration",
        "explain",
        "supporting",
        "citation",
        "clarification",
    ];
    if STRONG.iter().any(|k| n.contains(k)) {
        1.0
    } else if has_word(&n, &["description", "context", "rationale"]) {
        0.6
    } else {
        0.0
    }
}

/// Columns meant for the customer's own analysts, or for bookkeeping: never
/// the vendor's answer or comment.
pub fn negative(h: &str) -> bool {
    let n = norm(h);
    const BAD: &[&str] = &[
        "analyst",
        "internal",
        "guidance",
        "scoring",
        "score",
        "weight",
        "weighting",
        "reviewer",
        "evaluator",
        "assessor",
        "office",
        "csc",
        "auditor",
        "owner",
        "verified",
        "date",
        "risk",
        "institution",
        "customer use",
    ];
    BAD.iter()
        .any(|b| has_word(&n, &[b]) || (b.contains(' ') && n.contains(b)))
}

/// A short header that asks for a yes/no: `Compliant?`, `In place?`.
fn is_short_yes_no_label(h: &str) -> bool {
    let t = h.trim();
    t.ends_with('?') && t.split_whitespace().count() <= 3 && !norm(t).contains("question")
}
