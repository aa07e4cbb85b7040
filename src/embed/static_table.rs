//! The static word-piece embedding table (model2vec style), embedded in the
//! binary: no network, no files at run time.
//!
//! `assets/embed/minilm-l6-static.bin` is written by `scripts/distill_static.py`
//! from all-MiniLM-L6-v2's input embeddings (PCA to 256 dimensions, Zipf/SIF
//! token weights, int8 with a per-row scale). A text's vector is the weighted
//! mean of its word pieces' rows, L2-normalised.
//!
//! Format (little endian):
//! `b"VOUCHEMB"`, u32 version (1), u32 vocabulary size V, u32 dimensions D,
//! u32 byte length of the vocabulary, the vocabulary (tokens in id order,
//! each ending in `\n`), zero padding to a multiple of 4, V f32 row scales
//! (the token weight folded in), V×D i8 rows.

use std::sync::OnceLock;

use anyhow::{bail, ensure, Context, Result};

use super::wordpiece::WordPiece;
use super::{question_parts, Vector};

static TABLE: &[u8] = include_bytes!("../../assets/embed/minilm-l6-static.bin");

const MAGIC: &[u8; 8] = b"VOUCHEMB";

pub struct StaticEmbedder {
    tokenizer: WordPiece,
    dims: usize,
    /// Per-token scale (dequantisation scale times the token's weight); 0 for
    /// special tokens, which never count.
    scales: Vec<f32>,
    rows: &'static [u8],
}

impl StaticEmbedder {
    /// The table shipped in the binary, loaded once (a few milliseconds).
    pub fn get() -> &'static StaticEmbedder {
        static LOADED: OnceLock<StaticEmbedder> = OnceLock::new();
        LOADED.get_or_init(|| {
            // The table is a build input checked by the tests: a failure here
            // is a packaging bug, not a user error.
            StaticEmbedder::from_bytes(TABLE).expect("the embedded embedding table is valid")
        })
    }

    /// Parses a table in the format above.
    pub fn from_bytes(bytes: &'static [u8]) -> Result<Self> {
        ensure!(
            bytes.len() >= 24 && &bytes[..8] == MAGIC,
            "not a vouch embedding table"
        );
        let word = |at: usize| {
            u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
        };
        let (version, vocab, dims, vocab_len) = (
            word(8),
            word(12) as usize,
            word(16) as usize,
            word(20) as usize,
        );
        ensure!(
            version == 1,
            "embedding table version {version} is not supported"
        );
        let vocab_end = 24 + vocab_len;
        let scales_at = vocab_end.next_multiple_of(4);
        let rows_at = scales_at + 4 * vocab;
        ensure!(
            bytes.len() == rows_at + vocab * dims,
            "embedding table is {} bytes, expected {}",
            bytes.len(),
            rows_at + vocab * dims
        );
        let text =
            std::str::from_utf8(&bytes[24..vocab_end]).context("embedding table vocabulary")?;
        let tokens: Vec<&str> = text.split_terminator('\n').collect();
        if tokens.len() != vocab {
            bail!(
                "embedding table lists {} tokens, expected {vocab}",
                tokens.len()
            );
        }
        let tokenizer = WordPiece::new(tokens.iter().enumerate().map(|(i, t)| (*t, i as u32)))?;
        let mut scales: Vec<f32> = bytes[scales_at..rows_at]
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
        for special in [
            tokenizer.unk(),
            tokenizer.cls(),
            tokenizer.sep(),
            tokenizer.pad(),
        ] {
            scales[special as usize] = 0.0;
        }
        Ok(StaticEmbedder {
            tokenizer,
            dims,
            scales,
            rows: &bytes[rows_at..],
        })
    }

    pub fn dims(&self) -> usize {
        self.dims
    }

    pub fn tokenizer(&self) -> &WordPiece {
        &self.tokenizer
    }

    /// The vector of a text: the mean of its word pieces' rows, normalised.
    /// A text with no known word piece gets the zero vector (cosine 0 with
    /// everything).
    pub fn embed(&self, text: &str) -> Vector {
        self.embed_weighted(&[(text, 1.0)])
    }

    /// The weighted sum of each part's mean vector, normalised: a question
    /// sentence can weigh more than its background so that a long preamble
    /// does not dilute it.
    pub fn embed_weighted(&self, parts: &[(&str, f32)]) -> Vector {
        let mut acc = vec![0f32; self.dims];
        let mut part = vec![0f32; self.dims];
        let mut ids = Vec::new();
        for &(text, weight) in parts {
            ids.clear();
            self.tokenizer.encode_into(text, &mut ids);
            if ids.is_empty() || weight == 0.0 {
                continue;
            }
            part.fill(0.0);
            self.add_rows(&ids, &mut part);
            let w = weight / ids.len() as f32;
            for (a, p) in acc.iter_mut().zip(&part) {
                *a += w * p;
            }
        }
        Vector::normalized(acc)
    }

    /// A customer question, split by [`question_parts`]: the first question
    /// sentence weighs most, background least.
    pub fn embed_question(&self, text: &str) -> Vector {
        self.embed_weighted(&question_parts(text))
    }

    /// [`Self::embed`] for many texts, on all cores.
    pub fn embed_batch(&self, texts: &[&str]) -> Vec<Vector> {
        crate::par::map(texts, |t| self.embed(t))
    }

    /// [`Self::embed_question`] for many questions, on all cores.
    pub fn embed_questions(&self, texts: &[&str]) -> Vec<Vector> {
        crate::par::map(texts, |t| self.embed_question(t))
    }

    /// Adds the rows of `ids` to `acc`, each scaled, in order: for every
    /// dimension, `acc[d] += scale * row[d]` one id after the other (ids
    /// whose scale is 0 are skipped).
    fn add_rows(&self, ids: &[u32], acc: &mut [f32]) {
        #[cfg(target_arch = "x86_64")]
        {
            if std::arch::is_x86_feature_detected!("avx2") {
                // SAFETY: AVX2 is present (checked above).
                unsafe { avx2::add_rows(ids, &self.scales, self.rows, self.dims, acc) };
                return;
            }
        }
        add_rows_portable(ids, &self.scales, self.rows, self.dims, acc);
    }
}

/// [`StaticEmbedder::add_rows`] one id at a time, as plain loops: `rows` holds
/// `dims` int8 values per id, `acc` at least `dims` values.
fn add_rows_portable(ids: &[u32], scales: &[f32], rows: &[u8], dims: usize, acc: &mut [f32]) {
    for &id in ids {
        let id = id as usize;
        let scale = scales[id];
        if scale == 0.0 {
            continue;
        }
        let row = &rows[id * dims..(id + 1) * dims];
        for (a, &q) in acc.iter_mut().zip(row) {
            *a += scale * f32::from(q as i8);
        }
    }
}

#[cfg(target_arch = "x86_64")]
mod avx2 {
    use std::arch::x86_64::*;

    /// Dimensions summed together, held in eight registers across all ids.
    const SPAN: usize = 64;
    /// How many ids ahead rows are prefetched.
    const AHEAD: usize = 4;

    /// As [`super::add_rows_portable`], bit for bit: each dimension gets the
    /// same additions in the same order (a multiply, then an add: no FMA);
    /// only the loop order differs (a span of dimensions over all ids, so the
    /// sums stay in registers).
    #[target_feature(enable = "avx2")]
    pub unsafe fn add_rows(ids: &[u32], scales: &[f32], rows: &[u8], dims: usize, acc: &mut [f32]) {
        assert!(acc.len() >= dims);
        for &id in ids {
            // Every id is checked once here, so the loads below stay in bounds.
            assert!((id as usize) < scales.len() && (id as usize + 1) * dims <= rows.len());
        }
        // The rows are spread over a table of several MB: ask for each row a
        // few ids ahead, so the first span does not wait on memory.
        let prefetch = |id: u32| {
            let row = rows.as_ptr().add(id as usize * dims);
            for line in (0..dims).step_by(64) {
                _mm_prefetch::<_MM_HINT_T0>(row.add(line) as *const i8);
            }
        };
        for &id in ids.iter().take(AHEAD) {
            prefetch(id);
        }
        let mut start = 0;
        while start + SPAN <= dims {
            let out = acc.as_mut_ptr().add(start);
            let mut sum = [_mm256_setzero_ps(); SPAN / 8];
            for (k, s) in sum.iter_mut().enumerate() {
                *s = _mm256_loadu_ps(out.add(8 * k));
            }
            for (i, &id) in ids.iter().enumerate() {
                if start == 0 {
                    if let Some(&next) = ids.get(i + AHEAD) {
                        prefetch(next);
                    }
                }
                let id = id as usize;
                let scale = scales[id];
                if scale == 0.0 {
                    continue;
                }
                let scale = _mm256_set1_ps(scale);
                let row = rows.as_ptr().add(id * dims + start);
                for (k, s) in sum.iter_mut().enumerate() {
                    let bytes = _mm_loadl_epi64(row.add(8 * k) as *const __m128i);
                    let values = _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(bytes));
                    *s = _mm256_add_ps(*s, _mm256_mul_ps(scale, values));
                }
            }
            for (k, s) in sum.iter().enumerate() {
                _mm256_storeu_ps(out.add(8 * k), *s);
            }
            start += SPAN;
        }
        if start < dims {
            for &id in ids {
                let id = id as usize;
                let scale = scales[id];
                if scale == 0.0 {
                    continue;
                }
                let row = &rows[id * dims + start..(id + 1) * dims];
                for (a, &q) in acc[start..dims].iter_mut().zip(row) {
                    *a += scale * f32::from(q as i8);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_table_loads() {
        let e = StaticEmbedder::get();
        assert_eq!(e.dims(), 256);
        let v = e.embed("Is customer data encrypted at rest?");
        assert!((v.norm() - 1.0).abs() < 1e-4);
        assert_eq!(e.embed("").norm(), 0.0);
    }

    #[test]
    fn paraphrases_are_closer_than_unrelated_questions() {
        let e = StaticEmbedder::get();
        let q = e.embed("Is customer data encrypted at rest?");
        let para = e.embed("Do you encrypt stored customer information?");
        let other = e.embed("How many employees work in your sales team?");
        assert!(
            q.dot(&para) > q.dot(&other) + 0.1,
            "{} vs {}",
            q.dot(&para),
            q.dot(&other)
        );
    }

    #[test]
    fn the_simd_accumulation_is_bit_identical_to_the_portable_one() {
        let e = StaticEmbedder::get();
        let ids = e
            .tokenizer()
            .encode("Do you rotate encryption keys at least yearly? [CLS] unaffiliated");
        assert!(ids.len() > 5);
        for dims in [e.dims(), 100, 64, 7] {
            let mut simd = vec![0.5f32; dims];
            let mut portable = simd.clone();
            #[cfg(target_arch = "x86_64")]
            if std::arch::is_x86_feature_detected!("avx2") {
                // SAFETY: AVX2 is present.
                unsafe { avx2::add_rows(&ids, &e.scales, e.rows, dims, &mut simd) };
            } else {
                add_rows_portable(&ids, &e.scales, e.rows, dims, &mut simd);
            }
            #[cfg(not(target_arch = "x86_64"))]
            add_rows_portable(&ids, &e.scales, e.rows, dims, &mut simd);
            add_rows_portable(&ids, &e.scales, e.rows, dims, &mut portable);
            let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&simd), bits(&portable), "{dims} dimensions");
        }
    }

    #[test]
    fn a_corrupt_table_is_an_error() {
        assert!(StaticEmbedder::from_bytes(b"not a table at all, really").is_err());
        let mut bad = TABLE[..200].to_vec();
        bad[8] = 9;
        let leaked: &'static [u8] = Box::leak(bad.into_boxed_slice());
        assert!(StaticEmbedder::from_bytes(leaked).is_err());
    }
}
