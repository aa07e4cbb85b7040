//! Turns a question (or an entry's text) into weighted matching terms, the
//! concepts it mentions and its polarity cues.
//!
//! A customer question may carry a preamble ("We are a regional bank ...")
//! before the actual question and may ask several things. The text is split
//! into sentences; the first interrogative sentence weighs most, further
//! sub-questions a little less and background sentences least.

use std::collections::BTreeSet;
use std::sync::Arc;

use super::lexicon::{has_pair, Lexicon, PolarityWords};
use super::normalize::{
    fold, privative_base_word, second_person, strip_answer_options, strip_boilerplate,
    strip_numbering, Normalizer, Token,
};
use super::shape::QuestionType;
use super::thesaurus::Thesaurus;

/// At most this much of a text is analysed: a questionnaire cell can hold
/// megabytes (a pasted document), and nothing past a few pages is a question.
/// The head and the tail are kept (the question usually opens or closes the
/// cell); the report still shows the full text.
pub const MAX_ANALYSED_BYTES: usize = 8 * 1024;
/// Of [`MAX_ANALYSED_BYTES`], this much comes from the end of the text.
const ANALYSED_TAIL_BYTES: usize = 2 * 1024;

/// The part of `text` that is analysed: all of it up to
/// [`MAX_ANALYSED_BYTES`], else its head and tail (cut at characters).
pub fn analysed_text(text: &str) -> std::borrow::Cow<'_, str> {
    if text.len() <= MAX_ANALYSED_BYTES {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut head = MAX_ANALYSED_BYTES - ANALYSED_TAIL_BYTES - 5;
    while !text.is_char_boundary(head) {
        head -= 1;
    }
    let mut tail = text.len() - ANALYSED_TAIL_BYTES;
    while !text.is_char_boundary(tail) {
        tail += 1;
    }
    std::borrow::Cow::Owned(format!("{} ... {}", &text[..head], &text[tail..]))
}

/// Weight of the first interrogative sentence, of later ones, and of background.
pub const W_MAIN: f64 = 1.0;
pub const W_SUB: f64 = 0.6;
pub const W_BACKGROUND: f64 = 0.3;

/// Extra weight of a concept per additional content word of its phrase.
const PHRASE_BOOST: f64 = 1.0;

/// Sentences at or above this weight count for polarity.
const POLARITY_MIN_WEIGHT: f64 = 0.6;

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
    /// Privative words asserted ("left unpatched"): the hash of the base's
    /// stem ([`Token::privative_base`]) and the word.
    pub privatives: Vec<(u64, Arc<str>)>,
    /// Privative words inside a concept phrase ("unencrypted" in
    /// `plaintext`): the base's stem hash, the word and the concept. The
    /// concept's opposite pair judges them; where the other text names
    /// neither side of it, their base does.
    pub concept_privatives: Vec<(u64, Arc<str>, Arc<str>)>,
    /// Negators inside a phrase of an opposite pair's concept ("not" in
    /// "not encrypted", `plaintext`): the concept of each. The concept
    /// already says what the negator does, so they count as negations only
    /// where the other text names neither side of the concept's pairs.
    pub concept_negations: Vec<Arc<str>>,
    /// The text opens with a modal ("Can ..."): it asks what can be done.
    pub asks_ability: bool,
    /// Negations (and privatives) in a second indirect question joined to
    /// the first ("... whether every change is reviewed, and whether that
    /// rule can be bypassed"): they negate that ask, not the question's.
    pub second_ask_negations: usize,
    /// Temporal order, where the main sentences say "before" or "after":
    /// hashes of the content stems of what happens first and what happens
    /// next, each sorted ("A after B" is stored as B, A).
    pub order: Option<(Vec<u64>, Vec<u64>)>,
    /// The first bound on a quantity in the main sentences ("at least one
    /// year", "less than a year").
    pub bound: Option<Bound>,
    /// Hashes of the content stems of the main sentences, sorted: what a
    /// privative word of the other text is compared with.
    pub stems: Vec<u64>,
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
    /// Concepts of the main sentences (the question itself, not background).
    pub main_concepts: BTreeSet<Arc<str>>,
    /// Named frameworks (SOC 2, GDPR ...) among `concepts`.
    pub frameworks: BTreeSet<Arc<str>>,
    /// Identifiers made of a name and a number: ("soc", "2"), ("iso", "27001").
    pub identifiers: Vec<(String, String)>,
    pub polarity: Polarity,
    /// Stems of acronyms and identifiers written in capitals in the main
    /// sentences (CMMC, ISO 9001 -> `iso9001`): distinctive, so an entry that
    /// lacks one is probably about something else.
    pub distinctive: Vec<String>,
    /// Space-joined stems of the main sentences (for character similarity).
    pub stem_text: String,
    /// Whether a question asks yes/no or for an explanation.
    pub question_type: QuestionType,
}

/// Byte ranges inside matched round brackets (a bracket never closed
/// encloses nothing: it may be a list marker like "a)" or a typo).
fn bracketed_bytes(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut spans = Vec::new();
    let mut open = Vec::new();
    for (at, c) in text.char_indices() {
        match c {
            '(' => open.push(at),
            ')' => {
                if let Some(start) = open.pop() {
                    if open.is_empty() {
                        spans.push(start..at);
                    }
                }
            }
            _ => {}
        }
    }
    spans
}

/// Splits text into sentences at `?`, and at `.`/`!`/`;` followed by a space,
/// except inside brackets ("(e.g. an app store)" explains; it ends nothing).
pub fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut start = 0;
    let brackets = if text.contains('(') {
        bracketed_bytes(text)
    } else {
        Vec::new()
    };
    let mut iter = text.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        let next_space = iter.peek().is_none_or(|&(_, n)| n.is_whitespace());
        let stop = c == '?' || (matches!(c, '.' | '!' | ';') && next_space);
        if stop && !brackets.iter().any(|b| b.contains(&i)) {
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
    Lexicon::get().question.question_starts.contains(first)
}

/// Weighted sentences of a question: (folded text without boilerplate, weight).
pub fn weighted_sentences(question: &str) -> Vec<(String, f64)> {
    split_question(question).0
}

/// The weighted sentences of a question and the shape of the answer it
/// expects (read from the same sentences, before boilerplate goes).
pub(crate) fn split_question(question: &str) -> (Vec<(String, f64)>, QuestionType) {
    let numbered = fold(strip_numbering(question));
    let hinted = super::shape::has_yes_no_hint(&numbered);
    let folded = second_person(&strip_answer_options(&numbered));
    let parts = sentences(&folded);
    let question_type = if hinted {
        QuestionType::YesNo
    } else {
        super::shape::classify_parts(&parts)
    };
    let any_question = parts
        .iter()
        .any(|s| is_interrogative(s) && !is_follow_up(s));
    let mut seen_main = false;
    let weighted = parts
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
        .collect();
    (weighted, question_type)
}

/// "If yes, please describe ...", "If not, explain why": an instruction that
/// depends on the answer, not a question of its own (and its "no" or "not"
/// is no negation of the question).
pub(crate) fn is_follow_up(sentence: &str) -> bool {
    let mut words = sentence
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty());
    words.next() == Some("if")
        && words
            .next()
            .is_some_and(|w| Lexicon::get().question.follow_up_after_if.contains(w))
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

    /// True when `word` (lowercase) is part of the respondent's own name.
    pub fn own_names_contain(&self, word: &str) -> bool {
        self.own_names
            .iter()
            .any(|n| n.split(' ').any(|w| w.eq_ignore_ascii_case(word)))
    }

    /// Analyses a question with sentence weighting.
    pub fn question(&self, text: &str) -> Analysis {
        let text = analysed_text(text);
        let text = self.as_second_person(&text);
        let (parts, question_type) = split_question(&text);
        let mut a = self.weighted(&parts);
        a.question_type = question_type;
        a.distinctive = self.distinctive(&text, &a);
        a
    }

    /// `text` with the respondent's own name replaced by "you" / "your".
    pub(crate) fn as_second_person<'x>(&self, text: &'x str) -> std::borrow::Cow<'x, str> {
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
        let text = analysed_text(text);
        self.weighted(&[(fold(&self.as_second_person(&text)), W_MAIN)])
    }

    /// Only the terms of a secondary field (comment, tags): no polarity or
    /// similarity text, which keeps index building fast.
    pub fn side_field(&self, text: &str) -> Analysis {
        let text = analysed_text(text);
        self.weighted(&[(fold(&self.as_second_person(&text)), W_BACKGROUND)])
    }

    fn weighted(&self, parts: &[(String, f64)]) -> Analysis {
        let mut out = Analysis::default();
        let mut terms = Terms::default();
        let mut stem_parts: Vec<&str> = Vec::new();
        let token_lists: Vec<Vec<Token>> = parts.iter().map(|(t, _)| self.norm.tokens(t)).collect();
        for ((text, weight), tokens) in parts.iter().zip(&token_lists) {
            let weight = *weight;
            for t in tokens {
                if !t.stop && !t.negator {
                    terms.add(&t.stem, weight);
                }
            }
            for (name, num) in identifiers(tokens) {
                terms.add(&Arc::from(format!("{name}{num}")), weight);
                out.identifiers.push((name, num));
            }
            let found = longest_matches(self.thesaurus.find_tokens(tokens));
            for (concept, span) in &found {
                // A recognised phrase of several content words ("data-loss
                // tolerance") is stronger evidence than any one of its words.
                let content = tokens[span.clone()].iter().filter(|t| !t.stop).count();
                let boost = 1.0 + PHRASE_BOOST * (content.max(1) - 1).min(2) as f64;
                terms.add(&self.thesaurus.retrieval_term(concept), weight * boost);
                if !out.concepts.contains(concept) {
                    out.concepts.insert(concept.clone());
                    if self.thesaurus.is_framework(concept) {
                        out.frameworks.insert(concept.clone());
                    }
                }
                if weight >= POLARITY_MIN_WEIGHT && !out.main_concepts.contains(concept) {
                    out.main_concepts.insert(concept.clone());
                }
                for t in &tokens[span.clone()] {
                    if !out.covered.contains(&*t.stem) {
                        out.covered.insert(t.stem.clone());
                    }
                }
            }
            if weight >= POLARITY_MIN_WEIGHT {
                if !is_open_question(tokens) {
                    add_polarity(&mut out.polarity, tokens, text, &found, self.thesaurus);
                }
                stem_parts.extend(tokens.iter().filter(|t| !t.stop).map(|t| &*t.stem));
            }
        }
        out.terms = terms.list;
        out.polarity.stems.sort_unstable();
        out.polarity.stems.dedup();
        out.stem_text = stem_parts.join(" ");
        out
    }
}

/// Where each clause of a sentence starts, as token positions: a clause ends
/// at a comma, semicolon, colon or bracket.
fn clause_starts(text: &str) -> Vec<usize> {
    let mut starts = vec![0];
    let mut count = 0;
    for piece in text.split([',', ';', ':', '(', ')']) {
        count += super::normalize::words(piece).len();
        if starts.last() != Some(&count) {
            starts.push(count);
        }
    }
    starts
}

/// Word positions inside round brackets: "(i.e., with no human review)",
/// "(e.g. any company not owned by you)".
fn parenthesised(text: &str) -> Vec<std::ops::Range<usize>> {
    let count = |from: usize, to: usize| super::normalize::words(&text[from..to]).len();
    let (mut at, mut words) = (0, 0);
    let mut spans = Vec::new();
    // Brackets split no word, so the counts of the pieces add up.
    for span in bracketed_bytes(text) {
        let start = words + count(at, span.start);
        words = start + count(span.start, span.end);
        at = span.end;
        spans.push(start..words);
    }
    spans
}

/// Distinct terms with their highest weight, in order of first appearance.
/// Short texts scan a vector (faster than hashing); long ones switch to a
/// map so that analysis stays linear in the text's length.
#[derive(Default)]
struct Terms {
    list: Vec<(Arc<str>, f64)>,
    positions: Option<super::fxhash::FxMap<Arc<str>, usize>>,
}

/// Above this many distinct terms, [`Terms`] indexes them in a map.
const TERMS_SCAN_LIMIT: usize = 64;

impl Terms {
    fn add(&mut self, term: &Arc<str>, weight: f64) {
        if let Some(positions) = &mut self.positions {
            match positions.get(term) {
                Some(&i) => self.list[i].1 = self.list[i].1.max(weight),
                None => {
                    positions.insert(term.clone(), self.list.len());
                    self.list.push((term.clone(), weight));
                }
            }
            return;
        }
        // Cached words share their `Arc`, so most hits are pointer-equal.
        match self
            .list
            .iter_mut()
            .find(|(t, _)| Arc::ptr_eq(t, term) || **t == **term)
        {
            Some(existing) => existing.1 = existing.1.max(weight),
            None => {
                self.list.push((term.clone(), weight));
                if self.list.len() > TERMS_SCAN_LIMIT {
                    let map = self
                        .list
                        .iter()
                        .enumerate()
                        .map(|(i, (t, _))| (t.clone(), i))
                        .collect();
                    self.positions = Some(map);
                }
            }
        }
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

/// Keeps the longest phrase at each place: "zero standing privileges" hides
/// the "standing privileges" inside it. Phrases of equal span are all kept.
/// (A sort and one sweep: a phrase is hidden when an earlier-starting or
/// longer phrase reaches at least as far.)
pub(crate) fn longest_matches(
    mut found: Vec<(Arc<str>, std::ops::Range<usize>)>,
) -> Vec<(Arc<str>, std::ops::Range<usize>)> {
    found.sort_by(|a, b| a.1.start.cmp(&b.1.start).then(b.1.end.cmp(&a.1.end)));
    let mut kept = Vec::with_capacity(found.len());
    let mut reach_before: Option<usize> = None;
    let mut i = 0;
    while i < found.len() {
        let span = found[i].1.clone();
        let group_end = i + found[i..].iter().take_while(|f| f.1 == span).count();
        if reach_before.is_none_or(|r| r < span.end) {
            kept.extend(found[i..group_end].iter().cloned());
        }
        reach_before = Some(reach_before.map_or(span.end, |r| r.max(span.end)));
        i = group_end;
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
    let q = &Lexicon::get().question;
    tokens.first().is_some_and(|t| {
        q.open_starts.contains(&t.word) && q.yes_no_requests.at(&[&t.word], 0).is_none()
    })
}

/// The last word before `that`, skipping adverbs ("test specifically that"),
/// is a verb taking a complement clause.
fn follows_complement_verb(before: &[Token]) -> bool {
    before
        .iter()
        .rev()
        .find(|t| !t.word.ends_with("ly"))
        .is_some_and(|t| Lexicon::get().polarity.complement_verbs.contains(&t.word))
}

/// Whether the negator at `i` is the subject of a relative clause with no
/// "that" ("firewall rules nobody needs"): a negative subject straight after
/// a content word that takes no clause of its own ("make sure nobody ...").
fn opens_contact_clause(tokens: &[Token], i: usize) -> bool {
    if i == 0 || tokens[i - 1].stop || follows_complement_verb(&tokens[..i]) {
        return false;
    }
    // "nobody", or two words: "no one", "none of".
    let next = tokens.get(i + 1).map_or("", |t| &*t.word);
    let words = [&*tokens[i].word, next];
    let len = if next.is_empty() { 1 } else { 2 };
    Lexicon::get()
        .polarity
        .negative_subjects
        .at(&words[..len], 0)
        .is_some()
}

/// Negators that negate nothing: inside fixed phrases ("including but not
/// limited to", "whether or not"), conditions ("if it is not destroyed"),
/// leading scopes ("For customers not using SSO, ..."), reduced relative
/// clauses ("for users not enrolled"), before privative adjectives ("not
/// recoverable" = "unrecoverable"), inside brackets, which explain or
/// give examples rather than ask ("(i.e., with no human review)"), "without"
/// before a harm ("without data loss") and a purpose ("to prevent").
#[allow(clippy::needless_range_loop)] // `i` also looks at neighbouring words
fn inert_negators(
    words: &[&str],
    clause_starts: &[usize],
    brackets: &[std::ops::Range<usize>],
) -> Vec<bool> {
    let lex = &Lexicon::get().polarity;
    let n = words.len();
    let mut inert = vec![false; n];
    for span in brackets {
        inert[span.start.min(n)..span.end.min(n)]
            .iter_mut()
            .for_each(|x| *x = true);
    }
    let clause_end = |i: usize| {
        clause_starts
            .iter()
            .copied()
            .find(|&s| s > i)
            .unwrap_or(n)
            .min(n)
    };
    let mut i = 0;
    while i < n {
        if let Some(len) = lex.not_negations.at(words, i) {
            inert[i..i + len].iter_mut().for_each(|x| *x = true);
            i += len;
            continue;
        }
        if lex.condition_openers.at(words, i).is_some()
            || lex.purpose_openers.at(words, i).is_some()
        {
            let end = clause_end(i);
            inert[i..end].iter_mut().for_each(|x| *x = true);
        }
        i += 1;
    }
    // A leading scope set off by a comma, before the clause that asks.
    let clauses: Vec<usize> = clause_starts.iter().copied().filter(|&s| s < n).collect();
    for (k, &start) in clauses.iter().enumerate() {
        let is_last = k + 1 == clauses.len();
        if !is_last && lex.scope_openers.at(words, start).is_some() {
            let end = clause_end(start);
            inert[start..end].iter_mut().for_each(|x| *x = true);
        }
    }
    for i in 0..n {
        let next = words.get(i + 1).copied().unwrap_or("");
        if lex.privative_adjectives.contains(next) {
            inert[i] = true;
        }
        if words[i] == "without"
            && words[i + 1..n.min(i + 3)]
                .iter()
                .any(|w| lex.harms.contains(w))
        {
            inert[i] = true;
        }
        if i > 0 && words[i - 1] == "to" && lex.purpose_negators.contains(words[i]) {
            inert[i] = true;
        }
        // Before or after: "prevents attacks", "is data leakage prevented?".
        if lex.purpose_negators.contains(words[i])
            && words[i.saturating_sub(3)..n.min(i + 4)]
                .iter()
                .any(|w| lex.harms.contains(w) || privative_base_word(w).is_some())
        {
            inert[i] = true;
        }
        let participle = next.len() > 4 && (next.ends_with("ing") || next.ends_with("ed"));
        let after_preposition = (i.saturating_sub(3)..i.saturating_sub(1))
            .any(|j| lex.reduced_relative_prepositions.contains(words[j]));
        let after_subject = i >= 2 && lex.non_progressive_auxiliaries.contains(words[0]);
        // "without" before a participle is no reduced relative clause:
        // "deployed without testing" is not tested; nor is a verb of
        // abstaining before its object ("do you avoid storing card numbers?").
        if participle
            && (after_preposition || after_subject)
            && words[i] != "without"
            && !lex.abstaining_verbs.contains(words[i])
        {
            inert[i] = true;
        }
    }
    inert
}

/// Whether a concept on the contrary side of an opposite pair ends before
/// token `i` (the sentence's "without"): then the "without" phrase spells
/// out that practice rather than negating the question.
fn restates_contrary(
    found: &[(Arc<str>, std::ops::Range<usize>)],
    i: usize,
    thesaurus: &Thesaurus,
) -> bool {
    found
        .iter()
        .any(|(concept, span)| span.end <= i && thesaurus.is_contrary(concept))
}

/// The token where a purpose clause opens ("so that", "in order that"),
/// or `usize::MAX`.
fn purpose_clause_start(tokens: &[Token], lex: &PolarityWords) -> usize {
    // Openers are two to four words: a window of words at each token whose
    // word starts one, with no allocation (this runs for every sentence).
    (0..tokens.len())
        .find(|&i| {
            lex.purpose_openers.starts_with(&tokens[i].word) && {
                let (words, len) = word_window(tokens, i);
                lex.purpose_openers.at(&words[..len], 0).is_some()
            }
        })
        .unwrap_or(usize::MAX)
}

/// The words of up to four tokens from `start`, and how many there are.
fn word_window(tokens: &[Token], start: usize) -> ([&str; 4], usize) {
    let mut words = [""; 4];
    let rest = tokens.get(start..).unwrap_or(&[]);
    for (w, t) in words.iter_mut().zip(rest) {
        *w = &t.word;
    }
    (words, rest.len().min(4))
}

/// Whether the privative word at `i` names a threat that is handled ("is
/// unapproved software blocked?", "protected against unauthorised access")
/// rather than a property of what is asked ("are backups left untested?").
fn privative_handled(tokens: &[Token], i: usize) -> bool {
    let lex = &Lexicon::get().polarity;
    // Three words either side (the word itself, an "un-" word, is no blocker).
    tokens[i.saturating_sub(3)..(i + 4).min(tokens.len())]
        .iter()
        .any(|t| lex.privative_blockers.contains(&t.word))
}

fn add_polarity(
    p: &mut Polarity,
    tokens: &[Token],
    text: &str,
    found: &[(Arc<str>, std::ops::Range<usize>)],
    thesaurus: &Thesaurus,
) {
    use super::normalize::flags;
    let lex = &Lexicon::get().polarity;
    let has = |i: usize, flag: u8| tokens[i].flags & flag != 0;
    let next_word = |i: usize| tokens.get(i + 1).map_or("", |t| &*t.word);
    let negates_at = |i: usize| {
        tokens[i].negator
            || has(i, flags::NEGATING_WORD)
            || (has(i, flags::PAIR_START)
                && has_pair(&lex.negating_pairs, &tokens[i].word, next_word(i)))
    };
    let privative_at = |i: usize| tokens[i].privative_base != 0;
    // Most texts hold no negator: only then are inert ones looked for.
    let inert = if (0..tokens.len()).any(|i| negates_at(i) || privative_at(i)) {
        let words: Vec<&str> = tokens.iter().map(|t| &*t.word).collect();
        inert_negators(&words, &clause_starts(text), &parenthesised(text))
    } else {
        Vec::new()
    };
    // "Can customers restrict access to IP ranges?" asks whether
    // restricting is possible: after a sentence-opening modal a deny word
    // names the ability, not a prohibition, so the axis stays "permit".
    let asks_ability = tokens.first().is_some_and(|t| t.flags & flags::MODAL != 0);
    p.asks_ability |= asks_ability;
    let second_ask = second_ask_start(tokens);
    // "Are there any accounts that do not use MFA?": the relative clause
    // holds what is asked.
    let (opening, len) = word_window(tokens, 0);
    let looks_for_exceptions = lex.existential_openers.at(&opening[..len], 0).is_some();
    let mut rejected_from = usize::MAX;
    // A purpose clause ("protected so that no one can alter them") names
    // the harm guarded against: its concepts ("alter or delete") are no
    // side of an opposite pair, as its negators are inert.
    let purpose_from = purpose_clause_start(tokens, lex);
    let mut restated_from: Vec<usize> = Vec::new();
    for i in 0..tokens.len() {
        let w = &*tokens[i].word;
        let next = next_word(i);
        if !tokens[i].stop {
            p.stems.push(tokens[i].stem_hash);
        }
        if (negates_at(i) || privative_at(i)) && !inert[i] {
            let start = i.saturating_sub(3);
            let in_relative = (start..i)
                .any(|j| has(j, flags::RELATIVE) && !follows_complement_verb(&tokens[..j]))
                || opens_contact_clause(tokens, i);
            if in_relative && !looks_for_exceptions {
                // "accounts that do not use SSO" names which accounts.
            } else if i > second_ask {
                p.second_ask_negations += 1;
            } else if &*tokens[i].word == "without" && restates_contrary(found, i, thesaurus) {
                // "deploy straight to production without review", "stay
                // logged in without re-authenticating": the question has
                // named the contrary practice, and "without" spells it out;
                // what it lacks ("a second reviewer") is no concept it has.
                restated_from.push(i);
            } else if negates_at(i) {
                match found
                    .iter()
                    .find(|(c, span)| span.contains(&i) && thesaurus.in_opposite(c))
                {
                    None => p.negations += 1,
                    Some((concept, _)) => p.concept_negations.push(concept.clone()),
                }
            } else if !privative_handled(tokens, i) {
                match found.iter().find(|(_, span)| span.contains(&i)) {
                    None => p
                        .privatives
                        .push((tokens[i].privative_base, tokens[i].word.clone())),
                    Some((concept, _)) => p.concept_privatives.push((
                        tokens[i].privative_base,
                        tokens[i].word.clone(),
                        concept.clone(),
                    )),
                }
            }
        }
        if has(i, flags::PAIR_START)
            && has_pair(&lex.contrast, w, next)
            && rejected_from == usize::MAX
        {
            rejected_from = i;
        }
        let limits_to = next == "to" && lex.limiting_words.contains(w);
        if has(i, flags::DENY) && !asks_ability && !limits_to {
            p.axis = Axis::Deny;
        } else if p.axis == Axis::Neutral
            && (has(i, flags::PERMIT)
                || (w == "able" && next == "to")
                || (i == 0 && has(i, flags::MODAL)))
        {
            p.axis = Axis::Permit;
        }
    }
    for (concept, span) in found {
        let lacked = restated_from
            .iter()
            .any(|&w| span.start > w && span.start <= w + 3);
        if span.start < rejected_from && span.start < purpose_from && !lacked {
            p.concepts.insert(concept.clone());
        }
    }
    if p.order.is_none() {
        p.order = temporal_order(tokens, found);
    }
    if p.bound.is_none() {
        p.bound = first_bound(tokens);
    }
}

/// Where a second indirect question starts: "and whether" / "or whether"
/// after an earlier "whether" in the same sentence; `usize::MAX` if none.
fn second_ask_start(tokens: &[Token]) -> usize {
    let mut seen = false;
    for (i, t) in tokens.iter().enumerate() {
        if &*t.word == "whether" {
            let joined = i > 0 && matches!(&*tokens[i - 1].word, "and" | "or");
            if seen && joined {
                return i;
            }
            seen = true;
        }
    }
    usize::MAX
}

/// A bound on a quantity: the minimum or maximum a text states, or a value
/// below or above one it asks about, and the unit it bounds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bound {
    pub kind: BoundKind,
    /// The unit of the bounded quantity ("year" for "at least one year" and
    /// for "at least annually"), or None when the text names none.
    pub unit: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BoundKind {
    /// "at least one year", "12 months or more".
    AtLeast,
    /// "within 72 hours", "no more than 30 days".
    AtMost,
    /// "less than a year": short of a minimum.
    Below,
    /// "more than 72 hours": past a maximum.
    Above,
}

impl Bound {
    /// One text asks for less than the other's minimum, or more than its
    /// maximum, of a quantity in the same unit: "at least 12 characters"
    /// says nothing against "in less than 30 minutes".
    pub fn contradicts(&self, other: &Bound) -> bool {
        use BoundKind::*;
        self.unit.is_some()
            && self.unit == other.unit
            && matches!(
                (self.kind, other.kind),
                (Below, AtLeast) | (AtLeast, Below) | (Above, AtMost) | (AtMost, Above)
            )
    }
}

/// The first bound beside a quantity ("at least annually", "less than 30
/// days", "12 months or more"); "within the EU" or "under NDA" bound
/// nothing.
fn first_bound(tokens: &[Token]) -> Option<Bound> {
    use super::normalize::flags;
    use BoundKind::*;
    // Most sentences bound nothing.
    let starts = |i: usize| tokens[i].flags & flags::BOUND != 0;
    if !(0..tokens.len()).any(starts) {
        return None;
    }
    let lex = &Lexicon::get().polarity;
    let words: Vec<&str> = tokens.iter().map(|t| &*t.word).collect();
    let quantity = |i: usize| {
        words.get(i).is_some_and(|w| {
            w.bytes().any(|b| b.is_ascii_digit()) || lex.quantity_words.contains(w)
        })
    };
    // The unit among the three words from `at` ("a year", "30 days",
    // "once a year", "annually").
    let unit_from = |at: usize| {
        (at..(at + 3).min(words.len())).find_map(|j| lex.quantity_units.get(words[j]).cloned())
    };
    let before: [(&super::lexicon::Phrases, BoundKind); 4] = [
        (&lex.bound_at_least, AtLeast),
        (&lex.bound_at_most, AtMost),
        (&lex.bound_below, Below),
        (&lex.bound_above, Above),
    ];
    let after: [(&super::lexicon::Phrases, BoundKind); 2] = [
        (&lex.bound_at_least_after, AtLeast),
        (&lex.bound_at_most_after, AtMost),
    ];
    (0..words.len()).filter(|&i| starts(i)).find_map(|i| {
        let longest = |list: &[(&super::lexicon::Phrases, BoundKind)]| {
            list.iter()
                .filter_map(|(phrases, kind)| phrases.at(&words, i).map(|len| (len, *kind)))
                .max_by_key(|(len, _)| *len)
        };
        if let Some((len, kind)) = longest(&before) {
            if quantity(i + len) || quantity(i + len + 1) {
                let unit = unit_from(i + len);
                return Some(Bound { kind, unit });
            }
        }
        longest(&after)
            .filter(|_| i > 0 && (quantity(i - 1) || (i > 1 && quantity(i - 2))))
            .map(|(_, kind)| Bound {
                kind,
                unit: unit_from(i.saturating_sub(2)),
            })
    })
}

/// What happens first and what happens next, by the first "before" or
/// "after" of a sentence (see [`Polarity::order`]).
fn temporal_order(
    tokens: &[Token],
    found: &[(Arc<str>, std::ops::Range<usize>)],
) -> Option<(Vec<u64>, Vec<u64>)> {
    let lex = &Lexicon::get().polarity;
    // Most sentences say neither "before" nor "after".
    if !tokens
        .iter()
        .any(|t| t.flags & super::normalize::flags::ORDER != 0)
    {
        return None;
    }
    let words: Vec<&str> = tokens.iter().map(|t| &*t.word).collect();
    let (at, len, after) = (0..words.len()).find_map(|i| {
        if let Some(len) = lex.order_before.at(&words, i) {
            Some((i, len, false))
        } else {
            lex.order_after.at(&words, i).map(|len| (i, len, true))
        }
    })?;
    // Each step's content stems and the concepts wholly inside it, so that
    // "screening" and "background checks" (`background_check`) are one step.
    let stems = |part: std::ops::Range<usize>| {
        let mut v: Vec<u64> = tokens[part.clone()]
            .iter()
            .filter(|t| !t.stop)
            .map(|t| t.stem_hash)
            .collect();
        v.extend(
            found
                .iter()
                .filter(|(_, span)| part.start <= span.start && span.end <= part.end)
                .map(|(concept, _)| super::normalize::stem_hash(&format!("#{concept}"))),
        );
        v.sort_unstable();
        v.dedup();
        v
    };
    let (head, tail) = (stems(0..at), stems(at + len..tokens.len()));
    if head.is_empty() || tail.is_empty() {
        return None;
    }
    Some(if after { (tail, head) } else { (head, tail) })
}
/// The respondent's own name as the library writes it: runs of title-case
/// words (not first words, not acronyms) found inside many of the library's
/// questions, as in "Does Northwind Cloud carry cyber insurance?". Longest
/// first.
pub fn own_names<'a>(questions: impl Iterator<Item = &'a str>) -> Vec<String> {
    let questions: Vec<&str> = questions.collect();
    // Each question's distinct runs, found on all cores, then counted.
    let runs = crate::par::map(&questions, |q| {
        let mut runs = title_case_runs(q);
        runs.sort_unstable();
        runs.dedup();
        runs
    });
    let mut counts: super::fxhash::FxMap<String, usize> = Default::default();
    for run in runs.into_iter().flatten() {
        *counts.entry(run).or_default() += 1;
    }
    let min = (questions.len() / 20).max(3);
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
    fn conditions_scopes_and_fixed_phrases_are_no_negations() {
        let t = Thesaurus::builtin();
        let an = Analyzer::new(&t);
        // A negator inside a concept phrase ("not encrypted") is kept apart
        // for the concept's pair to judge; it is a negator all the same.
        let negations = |q: &str| {
            let p = an.question(q).polarity;
            p.negations + p.concept_negations.len()
        };
        for q in [
            "For customers not using SSO, is MFA available?",
            "Can customers not using SSO enforce MFA?",
            "Is MFA available to accounts not enrolled in SSO?",
            "If equipment is not physically destroyed, is it wiped?",
            "Is equipment wiped if it is not destroyed?",
            "Are all logs, including but not limited to audit logs, retained?",
            "Is data deleted whether or not the customer asks?",
            "Is deleted data rendered not recoverable?",
            "Are incidents reported no later than 72 hours after discovery?",
            "Is data deleted when no longer needed?",
            "Are decisions fully automated (i.e. with no human review)?",
            "Is data shared with any third party (a company not owned by you counts as one)?",
            "Must passwords be changed at intervals no greater than 60 days?",
            "Are keys at least 128 bits long (not counting check bits)?",
            "Which of these apply: encryption at rest; key rotation; none of the above?",
            "Do offline changes synchronise without data loss?",
            "Has the service run without unplanned outages this year?",
            "Is MFA enforced for all staff without exception?",
            "Are there controls to prevent unauthorised access to the data centre?",
            "Does your web application firewall prevent attacks?",
            "Do controls prevent unauthorized access to production?",
            "Do your controls prevent data leakage?",
            "Does the platform prevent unusual login attempts?",
            "We ask whether every change is reviewed, and whether that rule can be bypassed.",
        ] {
            assert_eq!(negations(q), 0, "{q}");
        }
        for q in [
            "Is data not encrypted at rest?",
            "Is the system not using TLS?",
            "Do you operate without a firewall?",
            "Are any accounts exempt from MFA?",
            "Is data (at rest) not encrypted?",
            "Is data not encrypted (at rest or in transit)?",
            "a) Is data not encrypted?",
            "Is data not encrypted (at rest?",
            "Can staff log in without MFA?",
            "Does anything prevent customers from exporting their data?",
            // "until" and "unique" are no "un-" words: they guard nothing.
            "Does anything prevent access until a manager approves it?",
            "Does anything prevent unique IDs from being reused?",
            "Do you lack a documented plan?",
            "Can users skip MFA?",
            "Is it possible to bypass the review?",
            "Do you ever fail to notify customers?",
            "Are there any accounts that do not use MFA?",
            "Can changes be deployed without testing?",
            "Do you refuse to sign a data processing agreement?",
            "Would you decline to share the penetration test report?",
            "Are security alerts ignored outside business hours?",
        ] {
            assert_eq!(negations(q), 1, "{q}");
        }
    }

    #[test]
    fn privative_words_are_kept_unless_they_name_a_handled_threat() {
        let t = Thesaurus::builtin();
        let an = Analyzer::new(&t);
        let privatives = |q: &str| -> Vec<String> {
            an.question(q)
                .polarity
                .privatives
                .iter()
                .map(|(_, w)| w.to_string())
                .collect()
        };
        assert_eq!(privatives("Are backups left untested?"), ["untested"]);
        assert_eq!(
            privatives("Is access to customer data unlogged?"),
            ["unlogged"]
        );
        // A threat that is handled, a concept with its own opposite, a
        // condition, and words that only start with "un".
        for q in [
            "Is unapproved software blocked?",
            "Are logs protected against unauthorised access?",
            "Are unpatched systems detected?",
            "Is customer data stored unencrypted?",
            "If a laptop is unmanaged, is it blocked?",
            "Is there a unique account for each user under this policy?",
        ] {
            assert!(privatives(q).is_empty(), "{q}");
        }
    }

    #[test]
    fn a_full_stop_inside_brackets_ends_no_sentence() {
        let parts = sentences("Is it sold in a trusted store (e.g. an app store)? Name it (a) (b?");
        assert_eq!(
            parts,
            vec![
                "Is it sold in a trusted store (e.g. an app store)?",
                " Name it (a) (b?"
            ]
        );
    }

    #[test]
    fn the_longest_phrase_hides_the_ones_inside_it() {
        let kept = longest_matches(vec![
            (Arc::from("a"), 2..4),
            (Arc::from("b"), 1..5),
            (Arc::from("c"), 1..5),
            (Arc::from("d"), 6..7),
            (Arc::from("e"), 5..7),
        ]);
        let names: Vec<&str> = kept.iter().map(|(c, _)| &**c).collect();
        assert_eq!(names, vec!["b", "c", "e"]);
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

    #[test]
    fn a_negative_subject_after_a_noun_opens_a_relative_clause() {
        let t = Thesaurus::builtin();
        let an = Analyzer::new(&t);
        let negations = |q: &str| an.question(q).polarity.negations;
        // "rules nobody needs" = "rules that nobody needs": which rules.
        assert_eq!(
            negations("Do you remove firewall rules nobody needs any more?"),
            0
        );
        assert_eq!(
            negations("Are user accounts no one has used for 90 days disabled?"),
            0
        );
        // After a complement word, or as the question's own subject, it
        // negates; after "are there any" it is what is asked.
        assert_eq!(negations("Do you make sure nobody shares accounts?"), 1);
        assert_eq!(negations("Does no one review access?"), 1);
        assert_eq!(negations("Are there any systems nobody owns?"), 1);
    }

    #[test]
    fn a_deny_word_after_an_opening_modal_names_an_ability() {
        let t = Thesaurus::builtin();
        let an = Analyzer::new(&t);
        let axis = |q: &str| an.question(q).polarity.axis;
        // Asking whether restricting is possible is asking for a capability.
        assert_eq!(
            axis("Can customers restrict access to specific IP ranges?"),
            Axis::Permit
        );
        assert_eq!(
            axis("Can access be limited to our IP ranges?"),
            Axis::Permit
        );
        // A state of prohibition stays one.
        assert_eq!(
            axis("Is access from personal devices prohibited?"),
            Axis::Deny
        );
        assert_eq!(axis("Are USB drives blocked on laptops?"), Axis::Deny);
    }

    /// The polarity cues of `q` with the built-in thesaurus.
    fn polarity_of(q: &str) -> Polarity {
        let t = Thesaurus::builtin();
        Analyzer::new(&t).question(q).polarity
    }

    #[test]
    fn a_purpose_clause_names_the_harm_guarded_against() {
        let p =
            polarity_of("Are your log archives protected so that no one can alter or delete them?");
        assert_eq!(p.negations, 0);
        assert!(!p.concepts.contains("log_tampering"), "{:?}", p.concepts);
        let p = polarity_of("Are laptops configured so that users cannot install software?");
        assert_eq!(p.negations, 0);
        // Without the purpose clause the negation counts.
        assert_eq!(polarity_of("Can users not install software?").negations, 1);
    }

    #[test]
    fn names_of_properties_and_removed_things_negate_nothing() {
        for q in [
            "Is there no single point of failure in your architecture?",
            "Do you apply a never trust, always verify approach?",
            "Do you have uninterruptible power supplies in the data center?",
            "Are unused accounts disabled after 90 days?",
            "Is least functionality enforced by disabling unneeded ports?",
            "Is segregation of duties enforced so no single person can deploy and approve?",
            "Is dual control required so nobody acts alone on keys?",
        ] {
            let p = polarity_of(q);
            assert_eq!(p.negations, 0, "{q}");
            assert!(p.privatives.is_empty(), "{q}: {:?}", p.privatives);
        }
        // The same words elsewhere still negate.
        assert_eq!(
            polarity_of("Are unused accounts left active?")
                .privatives
                .len(),
            1
        );
    }

    #[test]
    fn verbs_of_abstaining_negate_their_object() {
        for q in [
            "Do you refrain from training models on customer data?",
            "Do you avoid storing card numbers?",
            "Do you withhold production access from contractors?",
            "Do you eliminate standing admin access?",
            "Do you rule out the use of shared accounts?",
        ] {
            assert_eq!(polarity_of(q).negations, 1, "{q}");
        }
        // Before a harm they guard against it, as "prevent" does.
        for q in [
            "Are backups designed to avoid data loss?",
            "Does the architecture eliminate single points of failure?",
        ] {
            assert_eq!(polarity_of(q).negations, 0, "{q}");
        }
    }

    #[test]
    fn restricted_to_names_what_stays_allowed() {
        let axis = |q: &str| polarity_of(q).axis;
        assert_eq!(
            axis("Is access to customer data restricted to company-managed devices only?"),
            Axis::Neutral
        );
        // Without "to" the restriction is a prohibition, and "prohibited
        // to" still denies.
        assert_eq!(axis("Is the use of USB storage restricted?"), Axis::Deny);
        assert_eq!(axis("Is it prohibited to share passwords?"), Axis::Deny);
    }
}
