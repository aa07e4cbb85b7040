//! The matcher's word lists, kept as reviewable data in `lexicon/*.toml`
//! (embedded at build time) instead of constants in code: stop words and
//! spelling, how questionnaires name the respondent, polarity cues, what
//! makes a question yes/no or open, and the catalogue of named frameworks.
//!
//! Everything here must hold for any questionnaire: wording of a particular
//! question belongs in a library entry's `variants`, never in these lists.

use std::collections::HashSet;
use std::sync::OnceLock;

use serde::Deserialize;

const WORDS: &str = include_str!("lexicon/words.toml");
const RESPONDENT: &str = include_str!("lexicon/respondent.toml");
const POLARITY: &str = include_str!("lexicon/polarity.toml");
const QUESTION: &str = include_str!("lexicon/question.toml");
pub const FRAMEWORKS: &str = include_str!("lexicon/frameworks.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Words {
    pub stop: Vec<String>,
    pub answer_options: Vec<String>,
    pub spelling: Vec<(String, String)>,
    pub ise_keep: Vec<String>,
    pub our_words: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Respondent {
    pub names: Vec<String>,
    pub boilerplate: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolarityWords {
    pub negators: Vec<String>,
    pub negating_words: Vec<String>,
    pub negating_pairs: Vec<(String, String)>,
    pub not_negations: Vec<String>,
    pub privative_adjectives: Vec<String>,
    pub condition_openers: Vec<String>,
    pub scope_openers: Vec<String>,
    pub reduced_relative_prepositions: Vec<String>,
    pub non_progressive_auxiliaries: Vec<String>,
    pub contrast: Vec<(String, String)>,
    pub relative: Vec<String>,
    pub complement_verbs: Vec<String>,
    pub deny_words: Vec<String>,
    pub permit_words: Vec<String>,
    pub modals: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionWords {
    pub question_starts: Vec<String>,
    pub follow_up_after_if: Vec<String>,
    pub yes_no_starts: Vec<String>,
    pub yes_no_requests: Vec<String>,
    pub open_starts: Vec<String>,
    pub request_modals: Vec<String>,
    pub modal_open_verbs: Vec<String>,
    pub request_verbs: Vec<String>,
    pub document_nouns: Vec<String>,
    pub subordinators: Vec<String>,
}

/// One family of named frameworks (SOC 2; CCPA/CPRA).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Framework {
    pub id: String,
    pub label: String,
    pub names: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FrameworkFile {
    framework: Vec<Framework>,
}

/// All word lists, parsed once.
#[derive(Debug)]
pub struct Lexicon {
    pub words: Words,
    pub respondent: Respondent,
    pub polarity: PolarityWords,
    pub question: QuestionWords,
    pub frameworks: Vec<Framework>,
    stop: HashSet<String>,
    negators: HashSet<String>,
}

impl Lexicon {
    pub fn get() -> &'static Lexicon {
        static LEXICON: OnceLock<Lexicon> = OnceLock::new();
        LEXICON.get_or_init(|| Lexicon::parse().expect("the embedded lexicon files are valid"))
    }

    fn parse() -> anyhow::Result<Lexicon> {
        let words: Words = toml::from_str(WORDS)?;
        let mut respondent: Respondent = toml::from_str(RESPONDENT)?;
        // Longest boilerplate first, so "please confirm whether" wins over "please confirm".
        respondent
            .boilerplate
            .sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        let polarity: PolarityWords = toml::from_str(POLARITY)?;
        let question: QuestionWords = toml::from_str(QUESTION)?;
        let frameworks = toml::from_str::<FrameworkFile>(FRAMEWORKS)?.framework;
        Ok(Lexicon {
            stop: words.stop.iter().cloned().collect(),
            negators: polarity.negators.iter().cloned().collect(),
            words,
            respondent,
            polarity,
            question,
            frameworks,
        })
    }

    pub fn is_stop(&self, word: &str) -> bool {
        self.stop.contains(word)
    }

    pub fn is_negator(&self, word: &str) -> bool {
        self.negators.contains(word)
    }
}

/// True when `list` holds `word`.
pub fn has(list: &[String], word: &str) -> bool {
    list.iter().any(|w| w == word)
}

/// True when `list` holds the pair (`a`, `b`).
pub fn has_pair(list: &[(String, String)], a: &str, b: &str) -> bool {
    list.iter().any(|(x, y)| x == a && y == b)
}

/// The length in words of the longest phrase of `phrases` that starts at
/// `words[i]`, if any.
pub fn phrase_at(phrases: &[String], words: &[&str], i: usize) -> Option<usize> {
    phrases
        .iter()
        .filter_map(|p| {
            let n = p.split(' ').count();
            let fits = i + n <= words.len() && p.split(' ').zip(&words[i..i + n]).all(|(a, b)| a == *b);
            fits.then_some(n)
        })
        .max()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexicon_files_parse_and_hold_no_duplicates() {
        let lex = Lexicon::get();
        assert!(lex.is_stop("the") && !lex.is_stop("encryption"));
        assert!(lex.is_negator("not") && !lex.is_negator("nothingness"));
        let mut ids = HashSet::new();
        let mut names = HashSet::new();
        for f in &lex.frameworks {
            assert!(ids.insert(f.id.clone()), "framework id {} twice", f.id);
            for n in &f.names {
                assert!(names.insert(n.clone()), "framework name {n} twice");
            }
        }
        assert!(lex.frameworks.len() >= 30);
    }

    #[test]
    fn phrases_are_found_at_a_word() {
        let phrases = vec!["or not".to_string(), "whether or not".to_string()];
        let words = ["whether", "or", "not", "x"];
        assert_eq!(phrase_at(&phrases, &words, 0), Some(3));
        assert_eq!(phrase_at(&phrases, &words, 1), Some(2));
        assert_eq!(phrase_at(&phrases, &words, 2), None);
    }
}
