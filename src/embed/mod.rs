//! Meaning signals for the matcher: sentence vectors whose cosine says how
//! close two texts are in meaning, even when they share no word.
//!
//! - [`StaticEmbedder`]: the default mode. A static word-piece table distilled
//!   from all-MiniLM-L6-v2 (`scripts/distill_static.py`), embedded in the
//!   binary; tens of thousands of texts a second, no model files.
//! - [`Transformer`]: the full mode. all-MiniLM-L6-v2 itself, run on the CPU
//!   (`bert.rs`: plain arrays and the `gemm` crate) from a model folder
//!   (`--model DIR` / `VOUCH_MODEL`), with library vectors cached by content
//!   hash.
//! - [`VectorIndex`]: exact nearest neighbours over library vectors (int16
//!   dot products), one query or a whole questionnaire at a time.
//!
//! See `docs/embeddings.md` for the API and the measured figures.

mod bert;
pub mod cache;
pub mod index;
mod mode_args;
mod quant;
pub mod static_table;
pub mod transformer;
pub mod wordpiece;

pub use bert::Precision;
pub use index::{Hit, VectorIndex};
pub use mode_args::ModeArgs;
pub use static_table::StaticEmbedder;
pub use transformer::Transformer;

/// The weight of the first question sentence of a customer question.
pub const QUESTION_WEIGHT: f32 = 1.0;
/// The weight of later question sentences.
pub const LATER_QUESTION_WEIGHT: f32 = 0.6;
/// The weight of background sentences and follow-up instructions.
pub const BACKGROUND_WEIGHT: f32 = 0.3;

/// An L2-normalised sentence vector (or the zero vector for a text with no
/// known word piece). The cosine of two vectors is their dot product.
#[derive(Debug, Clone, PartialEq)]
pub struct Vector(Vec<f32>);

impl Vector {
    /// Scales `values` to unit length (leaves the zero vector as it is).
    pub fn normalized(mut values: Vec<f32>) -> Self {
        let norm = values.iter().map(|x| x * x).sum::<f32>().sqrt();
        if norm > 0.0 {
            values.iter_mut().for_each(|x| *x /= norm);
        }
        Vector(values)
    }

    pub fn as_slice(&self) -> &[f32] {
        &self.0
    }

    pub fn dims(&self) -> usize {
        self.0.len()
    }

    pub fn norm(&self) -> f32 {
        self.0.iter().map(|x| x * x).sum::<f32>().sqrt()
    }

    /// The cosine similarity with `other` (both are normalised).
    pub fn dot(&self, other: &Vector) -> f32 {
        self.0.iter().zip(&other.0).map(|(a, b)| a * b).sum()
    }

    /// [`Vector::dot`] with `N` vectors at once: each sum is taken in the
    /// same order as `dot` takes it (the results are bit-identical), but the
    /// `N` chains of additions are interleaved, so their latencies overlap.
    pub fn dots<const N: usize>(&self, others: [&Vector; N]) -> [f32; N] {
        let n = others.iter().fold(self.0.len(), |n, o| n.min(o.0.len()));
        let rows = others.map(|o| &o.0[..n]);
        // -0.0: where f32's `Sum` starts.
        let mut acc = [-0.0f32; N];
        for (i, &x) in self.0[..n].iter().enumerate() {
            for (acc, row) in acc.iter_mut().zip(&rows) {
                *acc += x * row[i];
            }
        }
        acc
    }
}

/// Splits a customer question into weighted parts for
/// [`StaticEmbedder::embed_weighted`]: the first sentence ending in `?` weighs
/// [`QUESTION_WEIGHT`], later questions [`LATER_QUESTION_WEIGHT`], background
/// sentences and "If yes, …" follow-ups [`BACKGROUND_WEIGHT`]. A text with no
/// question mark is one part of weight 1 (requests such as "Describe …").
pub fn question_parts(text: &str) -> Vec<(&str, f32)> {
    let sentences = split_sentences(text);
    let first_question = sentences
        .iter()
        .position(|s| s.trim_end().ends_with('?') && !is_follow_up(s));
    let Some(first) = first_question else {
        return vec![(text, 1.0)];
    };
    sentences
        .into_iter()
        .enumerate()
        .map(|(i, s)| {
            let weight = if i == first {
                QUESTION_WEIGHT
            } else if s.trim_end().ends_with('?') && !is_follow_up(s) {
                LATER_QUESTION_WEIGHT
            } else {
                BACKGROUND_WEIGHT
            };
            (s, weight)
        })
        .collect()
}

/// Sentences end at `.`, `?`, `!` or `;` followed by whitespace, or at a line break.
fn split_sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next_is_space = chars.peek().is_none_or(|&(_, n)| n.is_whitespace());
        if c == '\n' || (matches!(c, '.' | '?' | '!' | ';') && next_is_space) {
            let end = i + c.len_utf8();
            if !text[start..end].trim().is_empty() {
                out.push(text[start..end].trim());
            }
            start = end;
        }
    }
    if !text[start..].trim().is_empty() {
        out.push(text[start..].trim());
    }
    out
}

/// "If yes, please describe…", "If not, why?": instructions, not the ask.
fn is_follow_up(sentence: &str) -> bool {
    const FOLLOW_UPS: [&str; 7] = [
        "if yes",
        "if no",
        "if so",
        "if not",
        "if applicable",
        "if available",
        "where applicable",
    ];
    let lower = sentence.trim_start().to_lowercase();
    FOLLOW_UPS.iter().any(|p| lower.starts_with(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_question_sentence_weighs_most() {
        let parts = question_parts(
            "We are a bank regulated by the OCC. Our auditors ask about keys. Do you rotate encryption keys? If yes, how often?",
        );
        let weights: Vec<f32> = parts.iter().map(|p| p.1).collect();
        assert_eq!(weights, vec![0.3, 0.3, 1.0, 0.3]);
        assert_eq!(parts[2].0, "Do you rotate encryption keys?");
    }

    #[test]
    fn a_request_without_question_mark_is_one_part() {
        assert_eq!(
            question_parts("Describe your backup process. Include frequency."),
            vec![("Describe your backup process. Include frequency.", 1.0)]
        );
    }

    #[test]
    fn vectors_are_normalised() {
        let v = Vector::normalized(vec![3.0, 4.0]);
        assert!((v.dot(&v) - 1.0).abs() < 1e-6);
        assert_eq!(Vector::normalized(vec![0.0; 3]).norm(), 0.0);
    }

    #[test]
    fn four_dot_products_at_once_are_bit_identical_to_one_at_a_time() {
        let v = |seed: u32| {
            Vector::normalized(
                (0..257)
                    .map(|i| ((i * 7919 + seed * 104_729) % 1000) as f32 / 999.0 - 0.5)
                    .collect(),
            )
        };
        let q = v(1);
        let rows = [v(2), v(3), v(4), Vector::normalized(vec![0.0; 257])];
        let four = q.dots([&rows[0], &rows[1], &rows[2], &rows[3]]);
        for (row, got) in rows.iter().zip(four) {
            assert_eq!(q.dot(row).to_bits(), got.to_bits());
        }
        assert_ne!(four[0], four[1]);
        let eight = q.dots([
            &rows[0], &rows[1], &rows[2], &rows[3], &rows[3], &rows[2], &rows[1], &rows[0],
        ]);
        for (row, got) in rows.iter().chain(rows.iter().rev()).zip(eight) {
            assert_eq!(q.dot(row).to_bits(), got.to_bits());
        }
    }
}
