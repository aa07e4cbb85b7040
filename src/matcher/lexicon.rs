//! The matcher's word lists, kept as reviewable data in `lexicon/*.toml`
//! (embedded at build time) instead of constants in code: stop words and
//! spelling, how questionnaires name the respondent, polarity cues, what
//! makes a question yes/no or open, and the catalogue of named frameworks.
//!
//! Everything here must hold for any questionnaire: wording of a particular
//! question belongs in a library entry's `variants`, never in these lists.

use super::fxhash::{FxMap, FxSet};
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
    pub spelling: Spellings,
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
    pub negating_words: WordSet,
    pub purpose_negators: WordSet,
    pub abstaining_verbs: WordSet,
    pub negating_pairs: Vec<(String, String)>,
    pub not_negations: Phrases,
    pub privative_adjectives: WordSet,
    pub privative_blockers: WordSet,
    pub harms: WordSet,
    pub condition_openers: Phrases,
    pub purpose_openers: Phrases,
    pub scope_openers: Phrases,
    pub reduced_relative_prepositions: WordSet,
    pub non_progressive_auxiliaries: WordSet,
    pub contrast: Vec<(String, String)>,
    pub relative: WordSet,
    pub existential_openers: Phrases,
    pub complement_verbs: WordSet,
    pub negative_subjects: Phrases,
    pub order_before: Phrases,
    pub order_after: Phrases,
    pub bound_at_least: Phrases,
    pub bound_at_most: Phrases,
    pub bound_below: Phrases,
    pub bound_above: Phrases,
    pub bound_at_least_after: Phrases,
    pub bound_at_most_after: Phrases,
    pub quantity_words: WordSet,
    pub quantity_units: Spellings,
    pub deny_words: WordSet,
    pub permit_words: WordSet,
    pub limiting_words: WordSet,
    pub modals: WordSet,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionWords {
    pub question_starts: WordSet,
    pub follow_up_after_if: WordSet,
    pub yes_no_starts: WordSet,
    pub yes_no_requests: Phrases,
    pub open_starts: WordSet,
    pub request_modals: WordSet,
    pub modal_open_verbs: WordSet,
    pub request_verbs: WordSet,
    pub document_nouns: WordSet,
    pub subordinators: WordSet,
    pub back_references: WordSet,
    pub expletive_it_followers: WordSet,
}

/// A list of words, looked up by hashing (they are checked for every word
/// of every text).
#[derive(Debug, Default, Deserialize)]
#[serde(from = "Vec<String>")]
pub struct WordSet(FxSet<String>);

impl From<Vec<String>> for WordSet {
    fn from(words: Vec<String>) -> Self {
        WordSet(words.into_iter().collect())
    }
}

impl WordSet {
    pub fn contains(&self, word: &str) -> bool {
        self.0.contains(word)
    }
}

/// British spellings and their American forms, looked up by hashing (a word
/// the normaliser has not seen yet is looked up; listed first wins).
#[derive(Debug, Default, Deserialize)]
#[serde(from = "Vec<(String, String)>")]
pub struct Spellings(FxMap<String, String>);

impl From<Vec<(String, String)>> for Spellings {
    fn from(pairs: Vec<(String, String)>) -> Self {
        let mut map = FxMap::default();
        for (uk, us) in pairs {
            map.entry(uk).or_insert(us);
        }
        Spellings(map)
    }
}

impl Spellings {
    pub fn get(&self, word: &str) -> Option<&String> {
        self.0.get(word)
    }
}

/// A list of phrases, split into words once.
#[derive(Debug, Default, Deserialize)]
#[serde(from = "Vec<String>")]
pub struct Phrases {
    phrases: Vec<Vec<String>>,
    first_words: FxSet<String>,
}

impl From<Vec<String>> for Phrases {
    fn from(list: Vec<String>) -> Self {
        let phrases: Vec<Vec<String>> = list
            .iter()
            .map(|p| p.split(' ').map(str::to_string).collect())
            .collect();
        let first_words = phrases.iter().filter_map(|p| p.first().cloned()).collect();
        Phrases {
            phrases,
            first_words,
        }
    }
}

impl Phrases {
    /// Whether some phrase starts with `word` (a cheap test before [`Phrases::at`]).
    pub fn may_start(&self, word: &str) -> bool {
        self.first_words.contains(word)
    }

    /// The length in words of the longest phrase starting at `words[i]`.
    /// Whether some phrase starts with `word`.
    pub fn starts_with(&self, word: &str) -> bool {
        self.first_words.contains(word)
    }

    pub fn at(&self, words: &[&str], i: usize) -> Option<usize> {
        if !words.get(i).is_some_and(|w| self.first_words.contains(*w)) {
            return None;
        }
        self.phrases
            .iter()
            .filter(|p| {
                i + p.len() <= words.len() && p.iter().zip(&words[i..]).all(|(a, b)| a == b)
            })
            .map(Vec::len)
            .max()
    }
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
    stop: FxSet<String>,
    negators: FxSet<String>,
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

/// True when `list` holds the pair (`a`, `b`).
pub fn has_pair(list: &[(String, String)], a: &str, b: &str) -> bool {
    list.iter().any(|(x, y)| x == a && y == b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

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
        let phrases = Phrases::from(vec!["or not".to_string(), "whether or not".to_string()]);
        let words = ["whether", "or", "not", "x"];
        assert_eq!(phrases.at(&words, 0), Some(3));
        assert_eq!(phrases.at(&words, 1), Some(2));
        assert_eq!(phrases.at(&words, 2), None);
    }
}
