//! The domain thesaurus: phrases of security vocabulary mapped to concept ids.
//! A recognised concept is indexed as an extra term (`#mfa`), so "2FA",
//! "two-factor authentication" and "multi-factor authentication" meet.
//!
//! The default lives in `thesaurus.toml` beside this file (embedded at build
//! time); users add their own in `answers/thesaurus.toml` with the same format:
//!
//! ```toml
//! [concepts]
//! mfa = ["mfa", "2fa", "multi-factor authentication"]
//!
//! [[opposite]]          # polarity: a question using one side asks the
//! a = "encrypted"       # opposite of an entry using the other side
//! b = "plaintext"
//! ```

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;

use anyhow::Context;
use serde::Deserialize;

use super::normalize::{fold, Normalizer};

const BUILTIN: &str = include_str!("thesaurus.toml");

/// Concepts that features read by name (src/matcher/rerank.rs): never
/// dropped by [`Thesaurus::with_dropout`].
const KEPT_BY_DROPOUT: [&str; 2] = ["customer_side", "customers"];

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    concepts: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    opposite: Vec<Opposite>,
}

/// Two concepts with opposite meaning (encrypted / plaintext).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Opposite {
    pub a: String,
    pub b: String,
    /// Index both sides as one retrieval term (default true).
    #[serde(default = "yes")]
    pub merge: bool,
    /// The two sides are states ("disabled" / "enabled"): they are opposite
    /// only where both texts ask what is the case, not what can be done
    /// ("Can customers disable AI?" does not ask the opposite of "Is AI
    /// enabled?"). Default false.
    #[serde(default)]
    pub states: bool,
    /// `b` is the contrary of `a` (plaintext, standing access, voluntary):
    /// a question naming it against an entry naming neither side is held
    /// from auto. False where neither side is a contrary (single-tenant /
    /// multi-tenant). Default true.
    #[serde(default = "yes")]
    pub contrary: bool,
}

fn yes() -> bool {
    true
}

/// A compiled phrase.
#[derive(Debug, Clone)]
struct Phrase {
    stems: Vec<String>,
    /// The numbers of `stems` ([`Stem::id`]): matching compares numbers,
    /// not strings.
    ids: Vec<u32>,
    concept: Arc<str>,
    /// Matched on content words only (skipping stop words).
    on_content: bool,
    /// As written in the thesaurus (for audits).
    text: Arc<str>,
}

/// The number of a stem no phrase uses.
const NO_STEM: u32 = u32::MAX;

/// A stem used by the thesaurus's phrases.
#[derive(Debug, Clone, Default)]
struct Stem {
    /// A number of its own (stems are compared by number when matching).
    id: u32,
    /// The phrases it starts, longest first.
    starts: Vec<Phrase>,
}

/// Concept phrases, compiled for matching on stem sequences.
#[derive(Debug, Clone, Default)]
pub struct Thesaurus {
    /// Every stem of a phrase -> its number, and the phrases it starts
    /// (all stems, concept id, matched on content words only), longest
    /// phrases first.
    phrases: super::fxhash::FxMap<String, Stem>,
    pub opposites: Vec<Opposite>,
    /// Concept ids that are named frameworks (`lexicon/frameworks.toml`),
    /// with their display names.
    pub frameworks: super::fxhash::FxMap<Arc<str>, String>,
    /// Every concept of an `[[opposite]]` pair.
    opposite_concepts: super::fxhash::FxSet<String>,
    /// For retrieval, both sides of an opposite pair index as side `a`.
    retrieval_alias: HashMap<String, String>,
    /// Concept id -> its `#term`, built once.
    retrieval_terms: super::fxhash::FxMap<Arc<str>, Arc<str>>,
    concept_count: usize,
}

impl Thesaurus {
    /// The embedded default thesaurus.
    pub fn builtin() -> Self {
        let file: File = toml::from_str(BUILTIN).expect("the embedded thesaurus.toml is valid");
        let mut t = Thesaurus::default();
        t.add(file);
        t.add_frameworks();
        t
    }

    /// The default thesaurus extended with a user file (`answers/thesaurus.toml`).
    pub fn with_user_file(path: &Path) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let file: File = toml::from_str(&text).map_err(|e| {
            let line = e
                .span()
                .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1)
                .unwrap_or(1);
            anyhow::anyhow!(
                "{}:{line}: invalid thesaurus: {}",
                path.display(),
                e.message()
            )
        })?;
        let mut t = Thesaurus::builtin();
        t.add(file);
        Ok(t)
    }

    /// A copy with a share `share` of its phrases dropped, chosen by a hash
    /// of (`seed`, concept, phrase): a thesaurus that does not know some of
    /// the wording. Used only for fitting (`vouch eval --fit-dropout`), so
    /// the model is not fitted on features the thesaurus inflates on the
    /// questions its vocabulary was written against. Framework names (a
    /// catalogue, not wording) and the concepts a feature reads by name
    /// (`customer_side`, `customers`) are kept.
    pub fn with_dropout(&self, share: f64, seed: u64) -> Thesaurus {
        use std::hash::{Hash, Hasher};
        let mut t = self.clone();
        for stem in t.phrases.values_mut() {
            stem.starts.retain(|p| {
                if t.frameworks.contains_key(&p.concept) || KEPT_BY_DROPOUT.contains(&&*p.concept) {
                    return true;
                }
                // std's SipHash with fixed keys: the same draw on every run
                // and machine; std does not promise it across Rust releases,
                // so proxy figures are reproducible per toolchain.
                let mut h = std::collections::hash_map::DefaultHasher::new();
                (seed, &*p.concept, &*p.text).hash(&mut h);
                (h.finish() as f64 / u64::MAX as f64) >= share
            });
        }
        t
    }

    /// Number of concept groups.
    pub fn len(&self) -> usize {
        self.concept_count
    }

    pub fn is_empty(&self) -> bool {
        self.concept_count == 0
    }

    /// The catalogue of named frameworks: each family is a concept.
    fn add_frameworks(&mut self) {
        let mut concepts = BTreeMap::new();
        for f in &super::lexicon::Lexicon::get().frameworks {
            concepts.insert(f.id.clone(), f.names.clone());
            self.frameworks
                .insert(Arc::from(f.id.as_str()), f.label.clone());
        }
        self.add(File {
            concepts,
            opposite: Vec::new(),
        });
    }

    /// The number of a phrase's stem (a new one for a new stem).
    fn stem_id(&mut self, stem: &str) -> u32 {
        if let Some(s) = self.phrases.get(stem) {
            return s.id;
        }
        let id = self.phrases.len() as u32;
        self.phrases.insert(
            stem.to_string(),
            Stem {
                id,
                starts: Vec::new(),
            },
        );
        id
    }

    /// True when `concept` is one side of an `[[opposite]]` pair.
    pub fn in_opposite(&self, concept: &str) -> bool {
        self.opposite_concepts.contains(concept)
    }

    /// True when `concept` is the contrary side of an `[[opposite]]` pair
    /// ("plaintext", "direct_deploy", "persistent_session").
    pub fn is_contrary(&self, concept: &str) -> bool {
        self.opposites
            .iter()
            .any(|op| op.contrary && op.b == concept)
    }

    /// True when `concept` is a named framework.
    pub fn is_framework(&self, concept: &str) -> bool {
        self.frameworks.contains_key(concept)
    }

    fn add(&mut self, file: File) {
        let norm = Normalizer::default();
        for (concept, phrases) in file.concepts {
            self.concept_count += 1;
            let concept: Arc<str> = Arc::from(concept);
            for phrase in phrases {
                let tokens = norm.tokens(&fold(&phrase));
                let content: Vec<String> = tokens
                    .iter()
                    .filter(|t| !t.stop)
                    .map(|t| t.stem.to_string())
                    .collect();
                // Phrases of two or more content words match across stop words
                // ("access to production" = "production access" is NOT implied,
                // but "review of access" matches "review access"); a phrase
                // that is one content word plus stop words ("at rest") must
                // match exactly.
                let on_content = content.len() >= 2;
                let stems: Vec<String> = if on_content {
                    content
                } else {
                    tokens.iter().map(|t| t.stem.to_string()).collect()
                };
                let Some(first) = stems.first().cloned() else {
                    continue;
                };
                let ids = stems.iter().map(|s| self.stem_id(s)).collect();
                let list = &mut self
                    .phrases
                    .get_mut(&first)
                    .expect("stem_id added the first stem")
                    .starts;
                if !list.iter().any(|p| {
                    p.stems == stems && *p.concept == *concept && p.on_content == on_content
                }) {
                    list.push(Phrase {
                        stems,
                        ids,
                        concept: concept.clone(),
                        on_content,
                        text: Arc::from(phrase.as_str()),
                    });
                }
                list.sort_by_key(|p| std::cmp::Reverse(p.stems.len()));
            }
        }
        for op in file.opposite.iter().filter(|op| op.merge) {
            self.retrieval_alias.insert(op.b.clone(), op.a.clone());
        }
        for op in &file.opposite {
            self.opposite_concepts.insert(op.a.clone());
            self.opposite_concepts.insert(op.b.clone());
        }
        self.opposites.extend(file.opposite);
        let concepts: Vec<Arc<str>> = self
            .phrases
            .values()
            .flat_map(|s| &s.starts)
            .map(|p| p.concept.clone())
            .collect();
        for c in concepts {
            let id = self.retrieval_alias.get(&*c).map_or(&*c, String::as_str);
            let term: Arc<str> = Arc::from(format!("#{id}"));
            self.retrieval_terms.insert(c, term);
        }
    }

    /// Concepts found in a token sequence, with the token span each covers.
    /// Overlapping phrases are all reported (a phrase may belong to several concepts).
    pub fn find_tokens(
        &self,
        tokens: &[super::normalize::Token],
    ) -> Vec<(Arc<str>, std::ops::Range<usize>)> {
        let mut out = Vec::new();
        self.scan(tokens, |p, span| out.push((p.concept.clone(), span)));
        out
    }

    /// Every phrase found in a token sequence: (concept, phrase as written).
    pub fn find_phrases(&self, tokens: &[super::normalize::Token]) -> Vec<(Arc<str>, Arc<str>)> {
        let mut out = Vec::new();
        self.scan(tokens, |p, _| out.push((p.concept.clone(), p.text.clone())));
        out
    }

    /// Every (concept, phrase as written) of the thesaurus.
    pub fn phrases(&self) -> Vec<(Arc<str>, Arc<str>)> {
        let mut out: Vec<(Arc<str>, Arc<str>)> = self
            .phrases
            .values()
            .flat_map(|s| &s.starts)
            .map(|p| (p.concept.clone(), p.text.clone()))
            .collect();
        out.sort();
        out
    }

    /// Calls `found` for each phrase matching in `tokens`, with its span.
    /// One hash lookup per token: exact phrases are matched on all stems,
    /// content-word phrases on the stems of non-stop tokens.
    fn scan(
        &self,
        tokens: &[super::normalize::Token],
        mut found: impl FnMut(&Phrase, std::ops::Range<usize>),
    ) {
        // Positions of non-stop tokens, and each token's rank among them.
        let content_pos: Vec<usize> = (0..tokens.len()).filter(|&i| !tokens[i].stop).collect();
        // Each token's stem, looked up once: phrases then compare numbers.
        let stems: Vec<Option<&Stem>> = tokens.iter().map(|t| self.phrases.get(&*t.stem)).collect();
        let id = |i: usize| stems[i].map_or(NO_STEM, |s| s.id);
        let mut content_rank = 0;
        for (i, token) in tokens.iter().enumerate() {
            let Some(stem) = stems[i] else {
                content_rank += usize::from(!token.stop);
                continue;
            };
            for p in &stem.starts {
                if !p.on_content {
                    let end = i + p.ids.len();
                    if end <= tokens.len() && p.ids.iter().zip(i..end).all(|(&a, j)| a == id(j)) {
                        found(p, i..end);
                    }
                } else if !token.stop {
                    let end = content_rank + p.ids.len();
                    if end <= content_pos.len()
                        && p.ids
                            .iter()
                            .zip(&content_pos[content_rank..end])
                            .all(|(&a, &q)| a == id(q))
                    {
                        found(p, i..content_pos[end - 1] + 1);
                    }
                }
            }
            content_rank += usize::from(!token.stop);
        }
    }

    /// The term a concept is indexed under for retrieval.
    pub fn retrieval_term(&self, concept: &Arc<str>) -> Arc<str> {
        if let Some(t) = self.retrieval_terms.get(concept) {
            return t.clone();
        }
        let id = self
            .retrieval_alias
            .get(&**concept)
            .map_or(&**concept, String::as_str);
        Arc::from(format!("#{id}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn concepts(t: &Thesaurus, text: &str) -> Vec<String> {
        let norm = Normalizer::default();
        let toks = norm.tokens(&fold(text));
        t.find_tokens(&toks)
            .into_iter()
            .map(|(c, _)| c.to_string())
            .collect()
    }

    #[test]
    fn dropout_drops_a_share_of_wording_and_keeps_catalogue_and_feature_concepts() {
        let t = Thesaurus::builtin();
        let all = t.phrases().len();
        let half = t.with_dropout(0.5, 7);
        let kept = half.phrases().len();
        assert!(
            kept > all * 3 / 10 && kept < all * 7 / 10,
            "{kept} of {all}"
        );
        // The same seed drops the same phrases; another seed others.
        assert_eq!(half.phrases(), t.with_dropout(0.5, 7).phrases());
        assert_ne!(half.phrases(), t.with_dropout(0.5, 8).phrases());
        let nearly_none = t.with_dropout(0.999, 7);
        assert!(concepts(&nearly_none, "Are you SOC 2 certified?").contains(&"soc2".to_string()));
        assert!(concepts(&nearly_none, "Do our own employees need MFA?")
            .contains(&"customer_side".to_string()));
        assert!(!concepts(&nearly_none, "Is 2FA enforced?").contains(&"mfa".to_string()));
    }

    #[test]
    fn builtin_parses_and_expands_acronyms() {
        let t = Thesaurus::builtin();
        assert!(t.len() > 100);
        assert!(concepts(&t, "Is 2FA enforced?").contains(&"mfa".to_string()));
        assert!(concepts(&t, "multi-factor authentication").contains(&"mfa".to_string()));
        assert!(concepts(&t, "Do you have a BCP?").contains(&"business_continuity".to_string()));
    }
}
