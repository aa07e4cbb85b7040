//! Turns a question (or an entry's text) into weighted matching terms, the
//! concepts it mentions and its polarity cues.
//!
//! A customer question may carry a preamble ("We are a regional bank ...")
//! before the actual question and may ask several things. The text is split
//! into sentences; the first interrogative sentence weighs most, further
//! sub-questions a little less and background sentences least.

use std::collections::BTreeSet;
use std::sync::Arc;

use super::normalize::{
    fold, second_person, strip_answer_options, strip_boilerplate, strip_numbering, Normalizer,
    Token, NEGATORS,
};
use super::thesaurus::Thesaurus;

/// Weight of the first interrogative sentence, of later ones, and of background.
pub const W_MAIN: f64 = 1.0;
pub const W_SUB: f64 = 0.6;
pub const W_BACKGROUND: f64 = 0.3;

/// Extra weight of a concept per additional content word of its phrase.
const PHRASE_BOOST: f64 = 1.0;

/// Sentences at or above this weight count for polarity.
const POLARITY_MIN_WEIGHT: f64 = 0.6;

/// How much of a question is analysed, in bytes (issue 11, finding 6):
/// analysis costs grow faster than linearly with the number of distinct
/// words, so a 10 MB cell would never finish. The longest real questions
/// are a few hundred words; reports keep the full text.
pub const MAX_ANALYSED_BYTES: usize = 8 * 1024;

/// The first [`MAX_ANALYSED_BYTES`] of `text`, cut at a character boundary.
pub fn analysed_part(text: &str) -> &str {
    if text.len() <= MAX_ANALYSED_BYTES {
        return text;
    }
    let mut end = MAX_ANALYSED_BYTES;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Permission axis of a text: "is X prohibited?" against "can X be done?".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Axis {
    #[default]
    Neutral,
    Permit,
    Deny,
}

/// Polarity cues of the main sentences of a text.
#[derive(Debug, Clone, Default)]
pub struct Polarity {
    /// Negations (`not`, `never`, `without`, `exempt from`, `free of` ...), outside
    /// relative clauses ("accounts that do not use SSO" is not a negated question).
    pub negations: usize,
    pub axis: Axis,
    /// Concepts asserted (not those after "rather than" / "instead of").
    pub concepts: BTreeSet<Arc<str>>,
}

/// An analysed text.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    /// Distinct terms (stems, `#concept`, identifiers like `soc2`) and weights.
    /// Shared strings (`Arc<str>`): the same stem comes from the word cache
    /// for every text, so building an analysis allocates little.
    pub terms: Vec<(Arc<str>, f64)>,
    /// Stems that are part of a recognised concept phrase: when no entry uses
    /// them, the concept stands for them ("BBP" is unseen, `#vdp` is not).
    pub covered: BTreeSet<Arc<str>>,
    /// All concepts mentioned (for explanations and agreement).
    pub concepts: BTreeSet<Arc<str>>,
    /// Identifiers made of a name and a number: ("soc", "2"), ("iso", "27001").
    pub identifiers: Vec<(String, String)>,
    pub polarity: Polarity,
    /// Stems of acronyms and identifiers written in capitals in the main
    /// sentences (CMMC, ISO 9001 -> `iso9001`): distinctive, so an entry that
    /// lacks one is probably about something else.
    pub distinctive: Vec<String>,
    /// Space-joined stems of the main sentences (for character similarity).
    pub stem_text: String,
}

const QUESTION_STARTS: &[&str] = &[
    "is", "are", "do", "does", "did", "can", "could", "will", "would", "have", "has", "how",
    "what", "which", "who", "when", "where", "why", "please", "describe", "provide", "explain",
    "list", "state", "confirm", "indicate", "specify", "tell", "was", "were", "may", "should",
    "must", "outline", "detail", "share", "any", "if", "in",
];

const DENY_WORDS: &[&str] = &[
    "prohibited",
    "prohibit",
    "prohibits",
    "forbidden",
    "forbid",
    "forbids",
    "barred",
    "banned",
    "disallowed",
    "disallow",
    "blocked",
];
const PERMIT_WORDS: &[&str] = &["allowed", "permitted", "allow", "permit", "possible"];
const MODALS: &[&str] = &["can", "may", "could"];
/// Single words that negate what follows.
const NEGATING_WORDS: &[&str] = &["exempt", "exempted", "prevent", "prevents", "preventing"];
/// Two-word negations.
const NEGATING_PAIRS: &[(&str, &str)] = &[("free", "of"), ("kept", "out"), ("excluded", "from")];
/// Words after which the mentioned concept is the rejected alternative.
const CONTRAST: &[(&str, &str)] = &[("rather", "than"), ("instead", "of")];
const RELATIVE: &[&str] = &["that", "which", "who", "whom", "where"];
/// "test that ...", "so that ...": `that` opens a complement, not a relative clause.
const COMPLEMENT_VERBS: &[&str] = &[
    "so",
    "test",
    "tested",
    "ensure",
    "confirm",
    "verify",
    "check",
    "guarantee",
    "commit",
    "prove",
    "demonstrate",
    "show",
    "state",
    "certify",
    "attest",
    "assure",
    "warrant",
    "agree",
];

/// Splits text into sentences at `?`, and at `.`/`!`/`;` followed by a space.
pub fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut iter = text.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        let next_space = iter.peek().is_none_or(|&(_, n)| n.is_whitespace());
        if c == '?' || (matches!(c, '.' | '!' | ';') && next_space) {
            let end = i + c.len_utf8();
            let part = &text[start..end];
            if !part.trim().is_empty() {
                out.push(part.to_string());
            }
            start = end;
        }
    }
    let rest = &text[start..];
    if !rest.trim().is_empty() {
        out.push(rest.to_string());
    }
    out
}

fn is_interrogative(sentence: &str) -> bool {
    let s = sentence.trim();
    if s.ends_with('?') {
        return true;
    }
    let first = s
        .split(|c: char| !c.is_alphanumeric())
        .find(|w| !w.is_empty())
        .unwrap_or("");
    QUESTION_STARTS.contains(&first)
}

/// Weighted sentences of a question: (folded text without boilerplate, weight).
pub fn weighted_sentences(question: &str) -> Vec<(String, f64)> {
    let folded = second_person(&strip_answer_options(&fold(strip_numbering(question))));
    let parts = sentences(&folded);
    let any_question = parts
        .iter()
        .any(|s| is_interrogative(s) && !is_follow_up(s));
    let mut seen_main = false;
    parts
        .into_iter()
        .map(|s| {
            let weight = if !any_question {
                W_MAIN
            } else if is_follow_up(&s) {
                W_BACKGROUND
            } else if is_interrogative(&s) {
                if seen_main {
                    W_SUB
                } else {
                    seen_main = true;
                    W_MAIN
                }
            } else {
                W_BACKGROUND
            };
            (strip_boilerplate(&s), weight)
        })
        .collect()
}

/// "If yes, please describe ...", "If not, explain why": an instruction that
/// depends on the answer, not a question of its own (and its "no" or "not"
/// is no negation of the question).
fn is_follow_up(sentence: &str) -> bool {
    let mut words = sentence
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty());
    words.next() == Some("if")
        && matches!(
            words.next(),
            Some("yes" | "no" | "not" | "so" | "applicable" | "answered" | "the")
        )
        && !sentence.trim_end().ends_with('?')
}

/// The analyser: a normaliser and a thesaurus.
pub struct Analyzer<'t> {
    pub norm: Normalizer,
    pub thesaurus: &'t Thesaurus,
    /// The respondent's own name as the library writes it ("Northwind
    /// Cloud"), longest first: read as "you", because questions say "you"
    /// where the library names the company.
    pub own_names: Vec<String>,
}

impl<'t> Analyzer<'t> {
    pub fn new(thesaurus: &'t Thesaurus) -> Self {
        Analyzer {
            norm: Normalizer::default(),
            thesaurus,
            own_names: Vec::new(),
        }
    }

    /// Analyses a question with sentence weighting.
    pub fn question(&self, text: &str) -> Analysis {
        let text = self.as_second_person(analysed_part(text));
        let mut a = self.weighted(&weighted_sentences(&text));
        a.distinctive = self.distinctive(&text, &a);
        a
    }

    /// `text` with the respondent's own name replaced by "you" / "your".
    fn as_second_person<'x>(&self, text: &'x str) -> std::borrow::Cow<'x, str> {
        let mut out = std::borrow::Cow::Borrowed(text);
        for name in &self.own_names {
            if out.contains(name.as_str()) {
                let possessive = format!("{name}'s");
                out = out.replace(&possessive, "your").replace(name, "you").into();
            }
        }
        out
    }

    /// Capitalised acronyms and name+number identifiers of the main sentences
    /// that no concept phrase accounts for.
    fn distinctive(&self, text: &str, a: &Analysis) -> Vec<String> {
        let mut out = Vec::new();
        let original = strip_numbering(text);
        // In text written in capitals, capitals mark nothing.
        let letters = original.chars().filter(|c| c.is_alphabetic()).count();
        let upper = original.chars().filter(|c| c.is_uppercase()).count();
        if upper * 2 > letters {
            return identifier_terms(a);
        }
        let parts = sentences(original);
        let any_question = parts.iter().any(|s| is_interrogative(&s.to_lowercase()));
        for part in parts {
            if any_question && !is_interrogative(&part.to_lowercase()) {
                continue;
            }
            for w in part.split(|c: char| !c.is_alphanumeric()) {
                let upper = w.chars().filter(char::is_ascii_uppercase).count();
                let lower = w.chars().filter(|c| c.is_lowercase()).count();
                if upper >= 2 && lower == 0 {
                    let stem = self.norm.stem(&w.to_lowercase());
                    if !a.covered.contains(stem.as_str()) {
                        out.push(stem);
                    }
                }
            }
        }
        out.extend(identifier_terms(a));
        out.sort();
        out.dedup();
        out
    }

    /// Analyses a library field: every sentence weighs the same.
    pub fn field(&self, text: &str) -> Analysis {
        self.weighted(&[(fold(&self.as_second_person(analysed_part(text))), W_MAIN)])
    }

    /// Only the terms of a secondary field (comment, tags): no polarity or
    /// similarity text, which keeps index building fast.
    pub fn side_field(&self, text: &str) -> Analysis {
        self.weighted(&[(
            fold(&self.as_second_person(analysed_part(text))),
            W_BACKGROUND,
        )])
    }

    fn weighted(&self, parts: &[(String, f64)]) -> Analysis {
        let mut out = Analysis::default();
        let mut stem_parts: Vec<&str> = Vec::new();
        let token_lists: Vec<Vec<Token>> = parts.iter().map(|(t, _)| self.norm.tokens(t)).collect();
        for ((_, weight), tokens) in parts.iter().zip(&token_lists) {
            let weight = *weight;
            for t in tokens {
                if !t.stop && !t.negator {
                    add_term(&mut out.terms, &t.stem, weight);
                }
            }
            for (name, num) in identifiers(tokens) {
                add_term(&mut out.terms, &Arc::from(format!("{name}{num}")), weight);
                out.identifiers.push((name, num));
            }
            let found = longest_matches(self.thesaurus.find_tokens(tokens));
            for (concept, span) in &found {
                // A recognised phrase of several content words ("data-loss
                // tolerance") is stronger evidence than any one of its words.
                let content = tokens[span.clone()].iter().filter(|t| !t.stop).count();
                let boost = 1.0 + PHRASE_BOOST * (content.max(1) - 1).min(2) as f64;
                add_term(
                    &mut out.terms,
                    &self.thesaurus.retrieval_term(concept),
                    weight * boost,
                );
                if !out.concepts.contains(concept) {
                    out.concepts.insert(concept.clone());
                }
                for t in &tokens[span.clone()] {
                    if !out.covered.contains(&*t.stem) {
                        out.covered.insert(t.stem.clone());
                    }
                }
            }
            if weight >= POLARITY_MIN_WEIGHT {
                if !is_open_question(tokens) {
                    add_polarity(&mut out.polarity, tokens, &found);
                }
                stem_parts.extend(tokens.iter().filter(|t| !t.stop).map(|t| &*t.stem));
            }
        }
        out.stem_text = stem_parts.join(" ");
        out
    }
}

/// Name + number identifiers (SOC 1, ISO 9001) no concept phrase accounts for.
fn identifier_terms(a: &Analysis) -> Vec<String> {
    let mut out: Vec<String> = a
        .identifiers
        .iter()
        .filter(|(name, _)| !a.covered.contains(name.as_str()))
        .map(|(name, num)| format!("{name}{num}"))
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Adds a term or raises its weight (texts are short: a linear scan beats
/// hashing; cached words share their `Arc`, so most hits are pointer-equal).
fn add_term(terms: &mut Vec<(Arc<str>, f64)>, term: &Arc<str>, weight: f64) {
    match terms
        .iter_mut()
        .find(|(t, _)| Arc::ptr_eq(t, term) || **t == **term)
    {
        Some(existing) => existing.1 = existing.1.max(weight),
        None => terms.push((term.clone(), weight)),
    }
}

/// Keeps the longest phrase at each place: "zero standing privileges" hides
/// the "standing privileges" inside it. Phrases of equal span are all kept.
fn longest_matches(
    mut found: Vec<(Arc<str>, std::ops::Range<usize>)>,
) -> Vec<(Arc<str>, std::ops::Range<usize>)> {
    found.sort_by(|a, b| (b.1.len(), a.1.start).cmp(&(a.1.len(), b.1.start)));
    let mut kept: Vec<(Arc<str>, std::ops::Range<usize>)> = Vec::new();
    for (c, r) in found {
        let inside_longer = kept
            .iter()
            .any(|(_, k)| k.start <= r.start && r.end <= k.end && k.len() > r.len());
        if !inside_longer {
            kept.push((c, r));
        }
    }
    kept
}

/// Name + number pairs: "SOC 2", "ISO 27001", "TLS 1.2", "Sev-1", "SOC2".
fn identifiers(tokens: &[Token]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        let w = &*t.word;
        let is_name = w.len() <= 6 && w.chars().all(|c| c.is_ascii_alphabetic()) && !t.stop;
        if let (true, Some(next)) = (is_name, tokens.get(i + 1)) {
            if is_number(&next.word) {
                out.push((w.to_string(), roman(&next.word)));
            }
        }
        // Glued forms such as "soc2" or "iso27001".
        let letters = w.chars().take_while(char::is_ascii_alphabetic).count();
        if letters >= 2 && letters < w.len() && is_number(&w[letters..]) {
            out.push((w[..letters].to_string(), w[letters..].to_string()));
        }
    }
    out
}

fn is_number(w: &str) -> bool {
    matches!(w, "ii" | "iii")
        || (!w.is_empty()
            && w.chars().next().is_some_and(|c| c.is_ascii_digit())
            && w.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

fn roman(w: &str) -> String {
    match w {
        "ii" => "2".into(),
        "iii" => "3".into(),
        _ => w.to_string(),
    }
}

/// "How do you prevent X?" asks for a description, not a yes/no about the
/// opposite of X: open questions carry no polarity.
fn is_open_question(tokens: &[Token]) -> bool {
    const OPEN: &[&str] = &[
        "how", "what", "which", "when", "where", "who", "why", "describe", "explain", "list",
        "outline",
    ];
    tokens.first().is_some_and(|t| OPEN.contains(&&*t.word))
}

/// The last word before `that`, skipping adverbs ("test specifically that"),
/// is a verb taking a complement clause.
fn follows_complement_verb(before: &[&str]) -> bool {
    before
        .iter()
        .rev()
        .find(|w| !w.ends_with("ly"))
        .is_some_and(|w| COMPLEMENT_VERBS.contains(w))
}

fn add_polarity(p: &mut Polarity, tokens: &[Token], found: &[(Arc<str>, std::ops::Range<usize>)]) {
    let words: Vec<&str> = tokens.iter().map(|t| &*t.word).collect();
    let mut rejected_from = usize::MAX;
    for i in 0..words.len() {
        let w = words[i];
        let next = words.get(i + 1).copied().unwrap_or("");
        let start = i.saturating_sub(3);
        let in_relative = (start..i)
            .any(|j| RELATIVE.contains(&words[j]) && !follows_complement_verb(&words[..j]));
        let negates = NEGATORS.contains(&w)
            || NEGATING_WORDS.contains(&w)
            || NEGATING_PAIRS.contains(&(w, next));
        if negates && !in_relative {
            p.negations += 1;
        }
        if CONTRAST.contains(&(w, next)) && rejected_from == usize::MAX {
            rejected_from = i;
        }
        if DENY_WORDS.contains(&w) {
            p.axis = Axis::Deny;
        } else if p.axis == Axis::Neutral
            && (PERMIT_WORDS.contains(&w)
                || (w == "able" && next == "to")
                || (i == 0 && MODALS.contains(&w)))
        {
            p.axis = Axis::Permit;
        }
    }
    for (concept, span) in found {
        if span.start < rejected_from {
            p.concepts.insert(concept.clone());
        }
    }
}

/// The respondent's own name as the library writes it: runs of title-case
/// words (not first words, not acronyms) found inside many of the library's
/// questions, as in "Does Northwind Cloud carry cyber insurance?". Longest
/// first.
pub fn own_names<'a>(questions: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut counts: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut n = 0usize;
    for q in questions {
        n += 1;
        let mut seen = BTreeSet::new();
        for run in title_case_runs(q) {
            if seen.insert(run.clone()) {
                *counts.entry(run).or_default() += 1;
            }
        }
    }
    let min = (n / 20).max(3);
    let mut out: Vec<String> = counts
        .into_iter()
        .filter(|(_, c)| *c >= min)
        .map(|(run, _)| run)
        .collect();
    out.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    out
}

/// Runs of consecutive title-case words ("Northwind Cloud"), skipping a
/// sentence's first word.
fn title_case_runs(text: &str) -> Vec<String> {
    let mut runs = Vec::new();
    let mut cur: Vec<&str> = Vec::new();
    for (i, w) in text.split(' ').enumerate() {
        let word = w.trim_end_matches(|c: char| !c.is_alphanumeric());
        let word = word.strip_suffix("'s").unwrap_or(word);
        let mut chars = word.chars();
        let title = i > 0
            && chars.next().is_some_and(char::is_uppercase)
            && word.chars().count() > 1
            && chars.all(char::is_lowercase);
        if title {
            cur.push(word);
        }
        // Punctuation or a possessive ends a name.
        if (!title || word.len() != w.len()) && !cur.is_empty() {
            runs.push(cur.join(" "));
            cur.clear();
        }
    }
    if !cur.is_empty() {
        runs.push(cur.join(" "));
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn analysed_part_cuts_long_text_at_a_character_boundary() {
        assert_eq!(analysed_part("short"), "short");
        let text = "é".repeat(MAX_ANALYSED_BYTES);
        let part = analysed_part(&text);
        assert!(part.len() <= MAX_ANALYSED_BYTES && part.len() > MAX_ANALYSED_BYTES - 2);
        assert!(text.starts_with(part));
    }

    #[test]
    fn finds_the_question_after_a_preamble() {
        let parts = weighted_sentences(
            "We are a bank. Our team reviews vendors. Is data encrypted at rest? Which algorithm?",
        );
        let weights: Vec<f64> = parts.iter().map(|p| p.1).collect();
        assert_eq!(weights, vec![W_BACKGROUND, W_BACKGROUND, W_MAIN, W_SUB]);
    }

    #[test]
    fn finds_the_respondents_own_name() {
        let qs = [
            "Does Northwind Cloud carry cyber insurance?",
            "Has Northwind Cloud's board approved the policy?",
            "Is Northwind Cloud hosted on AWS?",
            "Does Northwind Cloud use Okta?",
            "Is SAML supported?",
        ];
        assert_eq!(
            own_names(qs.into_iter()),
            vec!["Northwind Cloud".to_string()]
        );
        let t = Thesaurus::builtin();
        let mut an = Analyzer::new(&t);
        an.own_names = vec!["Northwind Cloud".into()];
        let a = an.field("Does Northwind Cloud's cloud provider encrypt backups?");
        assert!(!a.terms.iter().any(|(t, _)| &**t == "northwind"));
        assert!(a.terms.iter().any(|(t, _)| &**t == "cloud"));
    }

    #[test]
    fn identifiers_join_name_and_number() {
        let t = Thesaurus::builtin();
        let a = Analyzer::new(&t).question("Do you have a SOC 1 Type II report?");
        assert!(a.identifiers.contains(&("soc".into(), "1".into())));
        assert!(a.terms.iter().any(|(t, _)| &**t == "soc1"));
    }

    #[test]
    fn negation_in_a_relative_clause_is_ignored() {
        let t = Thesaurus::builtin();
        let an = Analyzer::new(&t);
        assert_eq!(
            an.field("Lockout for accounts that do not use SSO?")
                .polarity
                .negations,
            0
        );
        assert_eq!(an.question("Is data never deleted?").polarity.negations, 1);
    }
}
