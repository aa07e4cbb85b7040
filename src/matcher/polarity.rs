//! Polarity: does the question ask the opposite of the entry?
//!
//! "Can staff log in with just a password?" against the entry "Is MFA enforced
//! for workforce access?" = Yes: the answer is No. Three kinds of cue are
//! compared between the question's main sentences and the entry's question:
//! the parity of negations, the permission axis (prohibited vs. allowed) and
//! opposite concepts from the thesaurus (encrypted vs. plaintext).

use super::analyze::{Analyzer, Axis, Polarity};

/// Why the question is the opposite of the entry, or None.
pub fn opposite(q: &Polarity, e: &Polarity, analyzer: &Analyzer) -> Option<String> {
    let mut flips = 0;
    let mut why = Vec::new();
    let (q_negations, e_negations) = (negations(q, e, analyzer), negations(e, q, analyzer));
    if q_negations % 2 != e_negations % 2 {
        flips += 1;
        why.push(
            if q_negations > e_negations {
                "the question is negated"
            } else {
                "the entry is negated"
            }
            .to_string(),
        );
    }
    if matches!(
        (q.axis, e.axis),
        (Axis::Deny, Axis::Permit) | (Axis::Permit, Axis::Deny)
    ) {
        flips += 1;
        why.push(
            "one asks whether something is allowed, the other whether it is prohibited".into(),
        );
    }
    if let Some(word) = privative_against(q, e, analyzer) {
        flips += 1;
        why.push(format!("the question says {word}, the entry does not"));
    } else if let Some(word) = privative_against(e, q, analyzer) {
        flips += 1;
        why.push(format!("the entry says {word}, the question does not"));
    }
    if let (Some(qb), Some(eb)) = (&q.bound, &e.bound) {
        if qb.contradicts(eb) {
            flips += 1;
            why.push(
                "one states a minimum or maximum, the other asks for less or more than it".into(),
            );
        }
    }
    if order_reversed(q, e) {
        flips += 1;
        why.push("the question puts the steps the other way round (before / after)".into());
    }
    // Most texts name no concept of an opposite pair.
    let paired = |p: &Polarity| p.concepts.iter().any(|c| analyzer.thesaurus.in_opposite(c));
    if !paired(q) || !paired(e) {
        return (flips % 2 == 1).then(|| why.join("; "));
    }
    for op in &analyzer.thesaurus.opposites {
        if op.states && (q.asks_ability || e.asks_ability) {
            continue;
        }
        for (x, y) in [(&op.a, &op.b), (&op.b, &op.a)] {
            let q_x = q.concepts.contains(x.as_str()) && !q.concepts.contains(y.as_str());
            let e_y = e.concepts.contains(y.as_str()) && !e.concepts.contains(x.as_str());
            if q_x && e_y {
                flips += 1;
                why.push(format!("the question says {x}, the entry {y}"));
            }
        }
    }
    (flips % 2 == 1).then(|| why.join("; "))
}

/// The question names the contrary side of an opposite pair ("voluntary",
/// "standing access", "plaintext") and the entry names neither side: no
/// flip can be judged, so a Yes/No taken from the entry may answer the
/// opposite of what is asked, and the match is not filled automatically.
pub fn unanswered_contrary(q: &Polarity, e: &Polarity, analyzer: &Analyzer) -> Option<String> {
    // Most questions name no concept of an opposite pair.
    if !q.concepts.iter().any(|c| analyzer.thesaurus.in_opposite(c)) {
        return None;
    }
    analyzer.thesaurus.opposites.iter().find_map(|op| {
        if !op.contrary || (op.states && q.asks_ability) {
            // "Can AI features be disabled?" asks for an ability, which
            // an entry on turning them off answers.
            return None;
        }
        let says = |p: &Polarity, c: &str| p.concepts.contains(c);
        let contrary = says(q, &op.b) && !says(q, &op.a);
        (contrary && !says(e, &op.a) && !says(e, &op.b)).then(|| {
            format!(
                "the question says {}, which the entry neither states nor denies: check the answer",
                op.b
            )
        })
    })
}

/// Both texts order two steps, and what one puts first the other puts
/// next: "are vendors onboarded before their security is assessed?"
/// against "do you assess vendors' security before onboarding them?". The
/// words shared across the order must outnumber those shared in the same
/// place, and both steps must cross.
fn order_reversed(q: &Polarity, e: &Polarity) -> bool {
    let (Some((q1, q2)), Some((e1, e2))) = (&q.order, &e.order) else {
        return false;
    };
    let shared = |a: &[u64], b: &[u64]| a.iter().filter(|x| b.binary_search(x).is_ok()).count();
    let (crossed_first, crossed_next) = (shared(q1, e2), shared(q2, e1));
    crossed_first > 0
        && crossed_next > 0
        && crossed_first + crossed_next > shared(q1, e1) + shared(q2, e2)
}

/// The negations of `a` compared with `b`: a negator inside a concept
/// phrase ("not encrypted") counts only where `b` names neither side of
/// the concept's opposite pairs; otherwise the pair judges it.
fn negations(a: &Polarity, b: &Polarity, analyzer: &Analyzer) -> usize {
    a.negations
        + a.concept_negations
            .iter()
            .filter(|c| !pair_judges(c, b, analyzer))
            .count()
}

/// `other` names `concept` or its opposite in some pair: the pair, not a
/// negator or privative inside the concept's phrase, decides the polarity.
fn pair_judges(concept: &str, other: &Polarity, analyzer: &Analyzer) -> bool {
    other.concepts.contains(concept)
        || analyzer.thesaurus.opposites.iter().any(|op| {
            (op.a == concept && other.concepts.contains(op.b.as_str()))
                || (op.b == concept && other.concepts.contains(op.a.as_str()))
        })
}

/// A privative word of `a` ("untested") whose base `b` uses ("tested"),
/// where `b` does not say the privative itself and `a` not the base. A privative inside a
/// concept phrase ("unencrypted", `plaintext`) counts only where `b` names
/// neither side of the concept's opposite pairs ("Is disk encryption on?"
/// has no `encryption` of its own): otherwise the pair judges it.
fn privative_against<'a>(a: &'a Polarity, b: &Polarity, analyzer: &Analyzer) -> Option<&'a str> {
    let says_privative = |base: &u64| {
        b.privatives.iter().any(|(x, _)| x == base)
            || b.concept_privatives.iter().any(|(x, _, _)| x == base)
    };
    // "unauthenticated and authenticated scans" names both sides: no flip.
    let uses_base = |base: &u64| {
        b.stems.binary_search(base).is_ok()
            && !says_privative(base)
            && a.stems.binary_search(base).is_err()
    };
    let plain = a.privatives.iter().find(|(base, _)| uses_base(base));
    if let Some((_, word)) = plain {
        return Some(word);
    }
    a.concept_privatives
        .iter()
        .find(|(base, _, concept)| uses_base(base) && !pair_judges(concept, b, analyzer))
        .map(|(_, word, _)| &**word)
}

/// Yes <-> No; None for anything else (N/A and free text never flip).
pub fn flip_answer(answer: &str) -> Option<String> {
    match answer.trim().to_ascii_lowercase().as_str() {
        "yes" => Some("No".into()),
        "no" => Some("Yes".into()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matcher::Thesaurus;

    /// Whether question `q` asks the opposite of entry `e` (built-in thesaurus).
    fn flips(q: &str, e: &str) -> bool {
        let t = Thesaurus::builtin();
        let an = Analyzer::new(&t);
        opposite(&an.question(q).polarity, &an.question(e).polarity, &an).is_some()
    }

    #[test]
    fn a_negator_inside_a_concept_phrase_counts_once() {
        let encrypted = "Is customer data encrypted at rest?";
        // "not encrypted" is `plaintext`, the opposite of the entry's
        // `encryption`: the pair flips it, and its "not" does not flip it back.
        assert!(flips("Is customer data at rest not encrypted?", encrypted));
        assert!(flips(
            "Is customer data stored without encryption?",
            encrypted
        ));
        assert!(flips(
            "Is customer data at rest stored unencrypted?",
            encrypted
        ));
        // Where the entry names neither side of the pair, the negator counts.
        assert!(flips(
            "Is customer data at rest not encrypted?",
            "Is customer data protected at rest?"
        ));
        assert!(!flips("Is customer data at rest encrypted?", encrypted));
    }

    #[test]
    fn less_than_a_minimum_or_more_than_a_maximum_is_the_opposite() {
        let kept = "Are security logs retained for at least one year?";
        assert!(flips(
            "Do you retain security logs for less than a year?",
            kept
        ));
        assert!(flips("Are security logs kept for under a year?", kept));
        // Bounds on quantities in other units are not compared.
        assert!(!flips(
            "Are security logs kept for fewer than 365 days?",
            kept
        ));
        assert!(!flips(
            "Must passwords be at least 12 characters, and sessions end in less than a year?",
            "Do sessions end in less than 30 minutes?"
        ));
        assert!(!flips(
            "Are security logs kept for 12 months or more?",
            kept
        ));
        assert!(!flips("Are security logs kept for more than a year?", kept));
        let fixed = "Are critical vulnerabilities remediated within 30 days?";
        assert!(flips(
            "Do critical vulnerabilities stay open for more than 30 days?",
            fixed
        ));
        assert!(!flips(
            "Are critical vulnerabilities fixed in under 30 days?",
            fixed
        ));
        let tested = "Is the disaster recovery plan tested at least annually?";
        assert!(flips(
            "Is the disaster recovery plan tested less often than annually?",
            tested
        ));
        // "within" and "under" bound nothing without a quantity.
        assert!(!flips(
            "Are security logs stored under the customer's control for a year?",
            kept
        ));
        assert!(!flips(
            "Is customer data processed within the EU?",
            "Is customer data processed in more than one region?"
        ));
    }

    #[test]
    fn steps_named_by_a_concept_cross_the_order_too() {
        // "screening" and "background checks" are one concept.
        let entry = "Are background checks performed on new personnel before they are granted access to systems?";
        assert!(flips(
            "Are new hires given system access before their screening is complete?",
            entry
        ));
        assert!(!flips(
            "Is screening complete before new hires are given system access?",
            entry
        ));
    }

    #[test]
    fn a_privative_beside_its_own_base_is_no_opposite() {
        let t = Thesaurus::builtin();
        let an = Analyzer::new(&t);
        let entry = an
            .question("Do you run authenticated vulnerability scans?")
            .polarity;
        let opposite_of = |q: &str| opposite(&an.question(q).polarity, &entry, &an);
        assert!(opposite_of("Do you run unauthenticated vulnerability scans?").is_some());
        assert_eq!(
            opposite_of("Do you run unauthenticated and authenticated vulnerability scans?"),
            None
        );
    }
}
