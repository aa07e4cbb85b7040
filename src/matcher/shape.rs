//! The shape of the answer a question expects: a yes/no ("Do you encrypt
//! backups?") or an explanation, value or list ("What are your RTO and RPO?",
//! "How often are access rights recertified?", "Describe your leaver
//! process"). A bare Yes/No only answers the first kind.
//!
//! The main question sentence is found as for matching (a preamble and "If
//! yes, describe ..." follow-ups do not count), a leading clause set off by a
//! comma ("When someone leaves, how quickly ...") is skipped, and the first
//! words decide. The word lists are in `lexicon/question.toml`.

use serde::{Serialize, Serializer};

use super::analyze::{analysed_text, is_follow_up};
use super::lexicon::Lexicon;
use super::normalize::words;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum QuestionType {
    /// Answered by Yes, No or N/A (plus an optional comment).
    #[default]
    YesNo,
    /// Asks for an explanation, a value or a list.
    Open,
}

impl QuestionType {
    pub fn as_str(self) -> &'static str {
        match self {
            QuestionType::YesNo => "yes/no",
            QuestionType::Open => "open",
        }
    }
}

impl Serialize for QuestionType {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl std::fmt::Display for QuestionType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Classifies a question as yes/no or open.
pub fn classify(question: &str) -> QuestionType {
    super::analyze::split_question(&analysed_text(question)).1
}

/// The shape of a question from its sentences (folded): the main one is the
/// first asking something, follow-ups aside.
pub(crate) fn classify_parts(parts: &[String]) -> QuestionType {
    let main = parts
        .iter()
        .find(|s| s.trim_end().ends_with('?') && !is_follow_up(s))
        .or_else(|| parts.iter().find(|s| !is_follow_up(s)))
        .or(parts.first());
    main.map_or(QuestionType::YesNo, |s| classify_sentence(s))
}

/// At most this many words, no question mark and no full stop: a form
/// field ("Contact Email", "Company Name"), which asks for a value.
const FIELD_MAX_WORDS: usize = 6;

/// True when the whole question is a form field: a short label with no
/// question mark and no verb that asks ("Solution Provider Contact Email").
pub fn is_form_field(question: &str) -> bool {
    let text = analysed_text(question);
    let text = text.trim().trim_end_matches('*').trim_end();
    !text.contains(['\n', '?']) && is_field_label(text)
}

/// How far after "it" a word may show that "it" stands for what follows.
const EXPLETIVE_WINDOW: usize = 5;

/// True when the question's subject points back at an earlier question
/// ("Is it encrypted while in the consultant's possession?", "Are these logs
/// kept for a year?"): what it asks depends on rows the matcher does not see.
/// An "it" that stands for a clause after it ("Is it possible to ...") does
/// not count. The words are in `lexicon/question.toml`.
pub fn refers_back(question: &str) -> bool {
    let lex = &Lexicon::get().question;
    let text = analysed_text(question);
    // Only the first words matter: the whole question is not lowercased.
    let head: Vec<String> = words(&text)
        .into_iter()
        .take(2 + EXPLETIVE_WINDOW)
        .map(str::to_lowercase)
        .collect();
    let [aux, subject, rest @ ..] = head.as_slice() else {
        return false;
    };
    let anticipatory =
        subject == "it" && rest.iter().any(|w| lex.expletive_it_followers.contains(w));
    lex.yes_no_starts.contains(aux) && lex.back_references.contains(subject) && !anticipatory
}

fn is_field_label(sentence: &str) -> bool {
    let lex = &Lexicon::get().question;
    let all = words(sentence);
    let trimmed = sentence.trim_end();
    all.len() <= FIELD_MAX_WORDS
        && !trimmed.ends_with(['?', '.', '!', ':'])
        && all.first().is_some_and(|w| {
            !lex.yes_no_starts.contains(w)
                && !lex.open_starts.contains(w)
                && !lex.request_modals.contains(w)
                && lex.yes_no_requests.at(&all, 0).is_none()
        })
}

fn classify_sentence(sentence: &str) -> QuestionType {
    let lex = &Lexicon::get().question;
    let all = words(sentence);
    if is_field_label(sentence) {
        return QuestionType::Open;
    }
    let mut ws: &[&str] = &all;
    // "When someone leaves, how quickly ...": the clause after the comma asks.
    if ws.first().is_some_and(|w| lex.subordinators.contains(w)) {
        if let Some(comma) = sentence.find(',') {
            let rest = words(&sentence[comma + 1..]);
            let asks = rest.first().is_some_and(|w| {
                lex.yes_no_starts.contains(w)
                    || lex.open_starts.contains(w)
                    || lex.request_modals.contains(w)
            });
            if asks {
                return classify_words(&rest);
            }
        }
    }
    while ws
        .first()
        .is_some_and(|w| matches!(*w, "please" | "kindly"))
    {
        ws = &ws[1..];
    }
    classify_words(ws)
}

fn classify_words(ws: &[&str]) -> QuestionType {
    let lex = &Lexicon::get().question;
    let mut ws = ws;
    while ws
        .first()
        .is_some_and(|w| matches!(*w, "please" | "kindly"))
    {
        ws = &ws[1..];
    }
    let Some(first) = ws.first() else {
        return QuestionType::YesNo;
    };
    if lex.yes_no_requests.at(ws, 0).is_some() {
        return QuestionType::YesNo;
    }
    if lex.request_modals.contains(first) {
        // "Can you (please) describe ...", "Could you walk us through ...".
        let verb = ws[1..]
            .iter()
            .take(3)
            .find(|w| !matches!(**w, "you" | "please" | "kindly" | "also" | "briefly"));
        if verb.is_some_and(|v| lex.modal_open_verbs.contains(v)) {
            return QuestionType::Open;
        }
        // "Can you provide (us) documentation of ...": a document request.
        let asks_document = ws
            .iter()
            .position(|w| lex.request_verbs.contains(w))
            .is_some_and(|at| {
                at <= 3
                    && ws[at + 1..]
                        .iter()
                        .take(4)
                        .any(|w| lex.document_nouns.contains(w))
            });
        if asks_document {
            return QuestionType::Open;
        }
    }
    if lex.yes_no_starts.contains(first) {
        return QuestionType::YesNo;
    }
    if lex.open_starts.contains(first) {
        return QuestionType::Open;
    }
    QuestionType::YesNo
}

/// "(Yes/No)", "[Y | N]": the questionnaire itself expects a yes/no.
pub(crate) fn has_yes_no_hint(folded: &str) -> bool {
    super::normalize::answer_option_hints(folded)
        .iter()
        .any(|hint| words(hint).iter().any(|w| matches!(*w, "yes" | "y")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_questions_ask_for_values_and_explanations() {
        for q in [
            "What are your RTO and RPO?",
            "How often do you recertify entitlements?",
            "When someone leaves, how quickly are accounts deprovisioned?",
            "Describe your leaver process.",
            "Please provide your incident response plan.",
            "4.2.1 Describe how backups are protected",
            "Which regions host customer data?",
            "Can you describe how keys are rotated?",
            "We are a bank. How do you segregate tenants?",
            "List the subprocessors that handle our data.",
            "Can you provide documentation of your log retention?",
            "Could you share a copy of the penetration test summary?",
            "Solution Provider Contact Email",
        ] {
            assert_eq!(classify(q), QuestionType::Open, "{q}");
        }
    }

    #[test]
    fn form_fields_are_labels_not_questions() {
        for q in [
            "Solution Provider Contact Email",
            "Company Name*",
            "Primary contact phone",
        ] {
            assert!(is_form_field(q), "{q}");
        }
        for q in [
            "Do you encrypt backups?",
            "Describe your leaver process.",
            "Encryption at rest",
            "We are a bank.\nIs data encrypted?",
        ] {
            assert_eq!(is_form_field(q), q == "Encryption at rest", "{q}");
        }
    }

    #[test]
    fn a_subject_pointing_back_at_an_earlier_row_is_found() {
        for (q, back) in [
            ("Is it encrypted while in the contractor's hands?", true),
            ("Are these logs kept for a year?", true),
            ("Do they undergo background checks?", true),
            (
                "Is it possible for one tenant to read another tenant's data?",
                false,
            ),
            ("Is it documented how long records are kept?", false),
            ("Is data encrypted at rest?", false),
            ("Does this product support SSO?", false),
            ("It is encrypted.", false),
        ] {
            assert_eq!(refers_back(q), back, "{q}");
        }
    }

    #[test]
    fn yes_no_questions_stay_yes_no() {
        for q in [
            "Do you encrypt data at rest?",
            "Is MFA enforced? If yes, describe the factors.",
            "Confirm that backups are encrypted.",
            "Can you provide SSO?",
            "When an employee leaves, do you revoke access within 24 hours?",
            "The vendor maintains an incident response plan.",
            "Please indicate whether penetration tests are performed",
            "What is your RPO? (Yes/No)",
            "Are you storing any passwords in plaintext?",
            "Can you provide SSO for our staff?",
            "MFA enforced for admins.",
            "",
        ] {
            assert_eq!(classify(q), QuestionType::YesNo, "{q}");
        }
    }
}
