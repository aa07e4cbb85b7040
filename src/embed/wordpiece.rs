//! BERT's uncased tokenisation, as `tokenizer.json` of all-MiniLM-L6-v2
//! configures it (`BertNormalizer` with lowercasing and accent stripping,
//! `BertPreTokenizer`, `WordPiece` with `##` continuations and at most 100
//! characters a word), hand-rolled for speed: the static table embeds tens of
//! thousands of texts per run. `tests/embed_tokenizer.rs` checks that it gives
//! the same ids as the `tokenizers` crate on thousands of real strings.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use unicode_general_category::{get_general_category, GeneralCategory as Cat};
use unicode_normalization::UnicodeNormalization;

/// Words longer than this (in characters) become `[UNK]`, as in BERT.
const MAX_WORD_CHARS: usize = 100;

/// The vocabulary split for greedy longest-match lookups without allocating:
/// word-initial pieces and `##` continuation pieces (stored without `##`).
pub struct WordPiece {
    initial: HashMap<Box<str>, u32, FxBuild>,
    continuation: HashMap<Box<str>, u32, FxBuild>,
    unk: u32,
    cls: u32,
    sep: u32,
    pad: u32,
}

impl WordPiece {
    /// Builds the tokenizer from the vocabulary in id order (one token a line
    /// of `vocab.txt`, or the `model.vocab` map of `tokenizer.json`).
    pub fn new<'a>(tokens: impl IntoIterator<Item = (&'a str, u32)>) -> anyhow::Result<Self> {
        let mut initial = HashMap::default();
        let mut continuation = HashMap::default();
        for (tok, id) in tokens {
            match tok.strip_prefix("##") {
                Some(rest) if !rest.is_empty() => continuation.insert(rest.into(), id),
                _ => initial.insert(tok.into(), id),
            };
        }
        let special = |name: &str| {
            initial
                .get(name)
                .copied()
                .ok_or_else(|| anyhow::anyhow!("the vocabulary has no {name} token"))
        };
        Ok(WordPiece {
            unk: special("[UNK]")?,
            cls: special("[CLS]")?,
            sep: special("[SEP]")?,
            pad: special("[PAD]")?,
            initial,
            continuation,
        })
    }

    /// Reads the vocabulary of a Hugging Face `tokenizer.json` (WordPiece model).
    pub fn from_tokenizer_json(text: &str) -> anyhow::Result<Self> {
        let json: serde_json::Value = serde_json::from_str(text)?;
        let vocab = json
            .pointer("/model/vocab")
            .and_then(|v| v.as_object())
            .ok_or_else(|| anyhow::anyhow!("tokenizer.json has no model.vocab map"))?;
        let mut pairs = Vec::with_capacity(vocab.len());
        for (tok, id) in vocab {
            let id = id
                .as_u64()
                .and_then(|i| u32::try_from(i).ok())
                .ok_or_else(|| anyhow::anyhow!("tokenizer.json: bad id for token {tok:?}"))?;
            pairs.push((tok.as_str(), id));
        }
        Self::new(pairs)
    }

    pub fn unk(&self) -> u32 {
        self.unk
    }
    pub fn cls(&self) -> u32 {
        self.cls
    }
    pub fn sep(&self) -> u32 {
        self.sep
    }
    pub fn pad(&self) -> u32 {
        self.pad
    }

    /// The token ids of `text`, without `[CLS]`/`[SEP]`, appended to `out`.
    pub fn encode_into(&self, text: &str, out: &mut Vec<u32>) {
        let mut word = String::new();
        if text.is_ascii() {
            // The fast path: no accents, no CJK, ASCII lowercasing.
            for &b in text.as_bytes() {
                let c = b as char;
                if is_control(c) || b == 0 {
                    // BertNormalizer drops control characters without splitting.
                    continue;
                }
                if is_whitespace(c) {
                    self.flush(&mut word, out);
                } else if c.is_ascii_punctuation() {
                    self.flush(&mut word, out);
                    word.push(c);
                    self.flush(&mut word, out);
                } else {
                    word.push(c.to_ascii_lowercase());
                }
            }
        } else {
            for c in normalize(text).chars() {
                if is_whitespace(c) {
                    self.flush(&mut word, out);
                } else if is_punctuation(c) {
                    self.flush(&mut word, out);
                    word.push(c);
                    self.flush(&mut word, out);
                } else {
                    word.push(c);
                }
            }
        }
        self.flush(&mut word, out);
    }

    /// The token ids of `text`, without `[CLS]`/`[SEP]`.
    pub fn encode(&self, text: &str) -> Vec<u32> {
        let mut out = Vec::new();
        self.encode_into(text, &mut out);
        out
    }

    fn flush(&self, word: &mut String, out: &mut Vec<u32>) {
        if !word.is_empty() {
            self.word_pieces(word, out);
            word.clear();
        }
    }

    /// Greedy longest-match WordPiece: a word with an unmatched piece is
    /// `[UNK]` as a whole.
    fn word_pieces(&self, word: &str, out: &mut Vec<u32>) {
        if word.chars().count() > MAX_WORD_CHARS {
            out.push(self.unk);
            return;
        }
        let before = out.len();
        let mut start = 0;
        while start < word.len() {
            let map = if start == 0 {
                &self.initial
            } else {
                &self.continuation
            };
            let mut end = word.len();
            let mut found = None;
            while end > start {
                if word.is_char_boundary(end) {
                    if let Some(&id) = map.get(&word[start..end]) {
                        found = Some(id);
                        break;
                    }
                }
                end -= 1;
            }
            match found {
                Some(id) => {
                    out.push(id);
                    start = end;
                }
                None => {
                    out.truncate(before);
                    out.push(self.unk);
                    return;
                }
            }
        }
    }
}

/// `BertNormalizer` for non-ASCII text: drop control characters, map
/// whitespace to a space, pad CJK ideographs with spaces, strip accents (NFD,
/// drop non-spacing marks) and lowercase.
fn normalize(text: &str) -> String {
    let mut cleaned = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c == '\0' || c == '\u{FFFD}' || is_control(c) {
            continue;
        }
        if is_whitespace(c) {
            cleaned.push(' ');
        } else if is_chinese_char(c) {
            cleaned.push(' ');
            cleaned.push(c);
            cleaned.push(' ');
        } else {
            cleaned.push(c);
        }
    }
    let stripped: String = cleaned
        .nfd()
        .filter(|&c| get_general_category(c) != Cat::NonspacingMark)
        .collect();
    // Character by character, as BertNormalizer does: `str::to_lowercase`
    // would turn a word-final capital sigma into ς, BERT into σ.
    stripped.chars().flat_map(char::to_lowercase).collect()
}

fn is_whitespace(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r') || c.is_whitespace()
}

fn is_control(c: char) -> bool {
    if matches!(c, '\t' | '\n' | '\r') {
        return false;
    }
    matches!(
        get_general_category(c),
        Cat::Control | Cat::Format | Cat::Unassigned | Cat::PrivateUse | Cat::Surrogate
    )
}

fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(
            get_general_category(c),
            Cat::ConnectorPunctuation
                | Cat::DashPunctuation
                | Cat::OpenPunctuation
                | Cat::ClosePunctuation
                | Cat::InitialPunctuation
                | Cat::FinalPunctuation
                | Cat::OtherPunctuation
        )
}

/// The CJK Unified Ideograph blocks BERT splits into single characters.
fn is_chinese_char(c: char) -> bool {
    matches!(c as u32,
        0x4E00..=0x9FFF
        | 0x3400..=0x4DBF
        | 0x20000..=0x2A6DF
        | 0x2A700..=0x2B73F
        | 0x2B740..=0x2B81F
        | 0x2B820..=0x2CEAF
        | 0xF900..=0xFAFF
        | 0x2F800..=0x2FA1F)
}

/// FxHash (as in rustc) for the vocabulary maps: lookups dominate tokenising.
#[derive(Default, Clone, Copy)]
pub struct FxHasher(u64);

type FxBuild = BuildHasherDefault<FxHasher>;

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let word = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
            self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(SEED);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(SEED);
        }
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny() -> WordPiece {
        let vocab = [
            "[PAD]", "[UNK]", "[CLS]", "[SEP]", "is", "data", "en", "##cr", "##yp", "##ted", "?",
            "-", "cafe", "un", "##aff", "##able",
        ];
        WordPiece::new(vocab.iter().enumerate().map(|(i, t)| (*t, i as u32))).unwrap()
    }

    #[test]
    fn greedy_longest_match_and_punctuation() {
        let wp = tiny();
        assert_eq!(wp.encode("Is data encrypted?"), vec![4, 5, 6, 7, 8, 9, 10]);
        assert_eq!(wp.encode("un-affable"), vec![13, 11, 1]);
        assert_eq!(wp.encode("unaffable"), vec![13, 14, 15]);
    }

    #[test]
    fn accents_and_case_are_folded() {
        let wp = tiny();
        assert_eq!(wp.encode("CAFÉ\u{200B}"), vec![12]);
        assert_eq!(wp.encode("  "), Vec::<u32>::new());
    }

    #[test]
    fn unknown_and_overlong_words_are_unk() {
        let wp = tiny();
        assert_eq!(wp.encode("zebra"), vec![1]);
        assert_eq!(wp.encode(&"is".repeat(60)), vec![1]);
    }
}
