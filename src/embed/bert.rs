//! The network of full mode: a BERT encoder on plain `f32` arrays, with the
//! `gemm` crate for the matrix products.
//!
//! Why not a tensor library: the texts are short (a few dozen word pieces), so
//! a padded batch wastes much of its work on padding, and a tensor library's
//! small steps (transposes, copies, one kernel per operation) cost as much as
//! the arithmetic. Here the rows of all sequences of a chunk are stacked
//! without padding, so each linear layer is one matrix product over real
//! tokens only, and attention runs per sequence at its own length. The bias
//! (and the residual) are written into the output before the product, which
//! then adds to them. A chunk runs on one thread with a single-threaded
//! product; chunks run on all cores ([`crate::par::map`]).

use anyhow::{bail, ensure, Context, Result};
use gemm::{gemm, Parallelism};
use safetensors::{Dtype, SafeTensors};

use super::quant::{QuantMatrix, QuantRows};

/// How the linear layers multiply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Precision {
    /// `f32` weights and products (the `gemm` crate).
    F32,
    /// Weights and activations rounded to integers ([`super::quant`]:
    /// 10-bit weights, 12-bit activations, 16-bit lanes); the attention and
    /// everything else stay `f32`.
    Int,
}

/// The shape of the network, from `config.json`.
pub struct Shape {
    pub vocab: usize,
    pub hidden: usize,
    pub layers: usize,
    pub heads: usize,
    pub intermediate: usize,
    pub max_positions: usize,
    pub type_vocab: usize,
    pub eps: f32,
}

pub struct Bert {
    words: Vec<f32>,
    positions: Vec<f32>,
    /// Token type 0 (every text is a single segment).
    token_type: Vec<f32>,
    norm: Norm,
    layers: Vec<Layer>,
    hidden: usize,
    heads: usize,
    vocab: usize,
    max_positions: usize,
}

struct Layer {
    /// Query, key and value in one product: (hidden, 3 × hidden).
    qkv: Dense,
    attention_out: Dense,
    attention_norm: Norm,
    intermediate: Dense,
    output: Dense,
    output_norm: Norm,
}

/// A linear layer, its weight stored (inputs, outputs) row-major.
struct Dense {
    weight: Weight,
    bias: Vec<f32>,
    inputs: usize,
    outputs: usize,
}

enum Weight {
    F32(Vec<f32>),
    Int(QuantMatrix),
}

struct Norm {
    gamma: Vec<f32>,
    beta: Vec<f32>,
    eps: f32,
}

/// Reads the weights of a BERT of shape `s` from a safetensors file, with
/// or without the `bert.` prefix of a `BertModel` export.
pub fn load(bytes: &[u8], s: &Shape, precision: Precision) -> Result<Bert> {
    let file = SafeTensors::deserialize(bytes).context("not a safetensors file")?;
    let prefix = if file.names().iter().any(|n| n.starts_with("bert.")) {
        "bert."
    } else {
        ""
    };
    let tensor = |name: &str, shape: &[usize]| -> Result<Vec<f32>> {
        let full = format!("{prefix}{name}");
        let view = file
            .tensor(&full)
            .with_context(|| format!("no tensor {full}"))?;
        ensure!(
            view.shape() == shape,
            "tensor {full} has shape {:?}, config.json says {shape:?}",
            view.shape()
        );
        if view.dtype() != Dtype::F32 {
            bail!(
                "tensor {full} is {:?}; only F32 weights are supported",
                view.dtype()
            );
        }
        Ok(view
            .data()
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect())
    };
    let h = s.hidden;
    let norm = |name: &str| -> Result<Norm> {
        Ok(Norm {
            gamma: tensor(&format!("{name}.weight"), &[h])?,
            beta: tensor(&format!("{name}.bias"), &[h])?,
            eps: s.eps,
        })
    };
    // PyTorch stores a linear layer's weight as (outputs, inputs).
    let dense = |names: &[String], inputs: usize, outputs: usize| -> Result<Dense> {
        let mut weight = vec![0f32; inputs * names.len() * outputs];
        let mut bias = Vec::with_capacity(names.len() * outputs);
        let width = names.len() * outputs;
        for (part, name) in names.iter().enumerate() {
            let w = tensor(&format!("{name}.weight"), &[outputs, inputs])?;
            for o in 0..outputs {
                for i in 0..inputs {
                    weight[i * width + part * outputs + o] = w[o * inputs + i];
                }
            }
            bias.extend(tensor(&format!("{name}.bias"), &[outputs])?);
        }
        let weight = match precision {
            Precision::F32 => Weight::F32(weight),
            Precision::Int => match QuantMatrix::new(&weight, inputs, width) {
                Some(q) => Weight::Int(q),
                None => Weight::F32(weight),
            },
        };
        Ok(Dense {
            weight,
            bias,
            inputs,
            outputs: width,
        })
    };
    let mut layers = Vec::with_capacity(s.layers);
    for l in 0..s.layers {
        let p = |name: &str| format!("encoder.layer.{l}.{name}");
        layers.push(Layer {
            qkv: dense(
                &[
                    p("attention.self.query"),
                    p("attention.self.key"),
                    p("attention.self.value"),
                ],
                h,
                h,
            )?,
            attention_out: dense(&[p("attention.output.dense")], h, h)?,
            attention_norm: norm(&p("attention.output.LayerNorm"))?,
            intermediate: dense(&[p("intermediate.dense")], h, s.intermediate)?,
            output: dense(&[p("output.dense")], s.intermediate, h)?,
            output_norm: norm(&p("output.LayerNorm"))?,
        });
    }
    let token_types = tensor(
        "embeddings.token_type_embeddings.weight",
        &[s.type_vocab, h],
    )?;
    ensure!(s.type_vocab > 0, "type_vocab_size is 0");
    Ok(Bert {
        words: tensor("embeddings.word_embeddings.weight", &[s.vocab, h])?,
        positions: tensor(
            "embeddings.position_embeddings.weight",
            &[s.max_positions, h],
        )?,
        token_type: token_types[..h].to_vec(),
        norm: norm("embeddings.LayerNorm")?,
        layers,
        hidden: h,
        heads: s.heads,
        vocab: s.vocab,
        max_positions: s.max_positions,
    })
}

impl Bert {
    /// The mean of the last hidden states over each sequence's tokens (not
    /// normalised), one row per sequence. All sequences run as one chunk.
    pub fn mean_pooled(&self, seqs: &[&[u32]]) -> Result<Vec<Vec<f32>>> {
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU has AVX2.
            return unsafe { self.mean_pooled_avx2(seqs) };
        }
        self.mean_pooled_here(seqs)
    }

    /// [`Self::mean_pooled`] compiled for AVX2: the element-wise loops
    /// (attention, GELU, layer norm) then work on 8 lanes instead of 4. The
    /// results are the same bit for bit: no loop is reordered, only widened.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    unsafe fn mean_pooled_avx2(&self, seqs: &[&[u32]]) -> Result<Vec<Vec<f32>>> {
        self.mean_pooled_here(seqs)
    }

    #[inline(always)]
    fn mean_pooled_here(&self, seqs: &[&[u32]]) -> Result<Vec<Vec<f32>>> {
        let h = self.hidden;
        let rows: usize = seqs.iter().map(|s| s.len()).sum();
        let mut x = vec![0f32; rows * h];
        let mut r = 0;
        for seq in seqs {
            ensure!(
                seq.len() <= self.max_positions,
                "a text of {} word pieces is longer than the model's {} positions",
                seq.len(),
                self.max_positions
            );
            for (pos, &id) in seq.iter().enumerate() {
                let id = id as usize;
                ensure!(id < self.vocab, "token id {id} is outside the vocabulary");
                let row = &mut x[r * h..(r + 1) * h];
                let word = &self.words[id * h..(id + 1) * h];
                let position = &self.positions[pos * h..(pos + 1) * h];
                for (((y, w), p), t) in row.iter_mut().zip(word).zip(position).zip(&self.token_type)
                {
                    *y = w + p + t;
                }
                r += 1;
            }
        }
        for row in x.chunks_exact_mut(h) {
            self.norm.apply(row);
        }
        let lens: Vec<usize> = seqs.iter().map(|s| s.len()).collect();
        let mut scratch = Scratch::default();
        for layer in &self.layers {
            layer.forward(&mut x, &lens, self.heads, &mut scratch);
        }
        let mut out = Vec::with_capacity(seqs.len());
        let mut start = 0;
        for &len in &lens {
            let mut mean = vec![0f32; h];
            for row in x[start * h..(start + len) * h].chunks_exact(h) {
                for (m, v) in mean.iter_mut().zip(row) {
                    *m += v;
                }
            }
            let n = len.max(1) as f32;
            mean.iter_mut().for_each(|m| *m /= n);
            out.push(mean);
            start += len;
        }
        Ok(out)
    }
}

/// Buffers reused across the layers of one chunk.
#[derive(Default)]
struct Scratch {
    qkv: Vec<f32>,
    context: Vec<f32>,
    attended: Vec<f32>,
    inner: Vec<f32>,
    scores: Vec<f32>,
    keys_t: Vec<f32>,
    quantised: QuantRows,
}

impl Layer {
    /// `x` holds the rows of sequences of lengths `lens`, stacked.
    #[inline(always)]
    fn forward(&self, x: &mut Vec<f32>, lens: &[usize], heads: usize, s: &mut Scratch) {
        let h = self.attention_out.outputs;
        let rows = x.len() / h;
        self.qkv.apply(x, rows, &mut s.qkv, None, &mut s.quantised);
        s.context.resize(rows * h, 0.0);
        let mut start = 0;
        for &len in lens {
            attention(
                &s.qkv[start * 3 * h..(start + len) * 3 * h],
                &mut s.context[start * h..(start + len) * h],
                len,
                h,
                heads,
                &mut s.scores,
                &mut s.keys_t,
            );
            start += len;
        }
        self.attention_out
            .apply(&s.context, rows, &mut s.attended, Some(x), &mut s.quantised);
        for row in s.attended.chunks_exact_mut(h) {
            self.attention_norm.apply(row);
        }
        self.intermediate
            .apply(&s.attended, rows, &mut s.inner, None, &mut s.quantised);
        for v in s.inner.iter_mut() {
            *v = gelu(*v);
        }
        self.output
            .apply(&s.inner, rows, x, Some(&s.attended), &mut s.quantised);
        for row in x.chunks_exact_mut(h) {
            self.output_norm.apply(row);
        }
    }
}

/// Scaled dot-product attention of one sequence of `len` tokens: `qkv` holds
/// its rows of [query | key | value], `context` receives the heads' outputs
/// side by side.
#[inline(always)]
fn attention(
    qkv: &[f32],
    context: &mut [f32],
    len: usize,
    h: usize,
    heads: usize,
    scores: &mut Vec<f32>,
    keys_t: &mut Vec<f32>,
) {
    let d = h / heads;
    let scale = (d as f32).sqrt();
    scores.resize(len * len, 0.0);
    keys_t.resize(d * len, 0.0);
    context.fill(0.0);
    for head in 0..heads {
        let (q0, k0, v0) = (head * d, h + head * d, 2 * h + head * d);
        // Keys transposed, (d, len): each score row is then a sum of
        // scaled key rows, which vectorises.
        // (Each key row is sliced once, so the inner loop has no bounds
        // checks: this copy was 2% of full mode's time.)
        let keys_t = &mut keys_t[..d * len];
        for j in 0..len {
            let key = &qkv[j * 3 * h + k0..j * 3 * h + k0 + d];
            for (column, &k) in keys_t.chunks_exact_mut(len).zip(key) {
                column[j] = k;
            }
        }
        for i in 0..len {
            let row = &mut scores[i * len..(i + 1) * len];
            let q = &qkv[i * 3 * h + q0..i * 3 * h + q0 + d];
            key_scores(q, keys_t, row);
            softmax(row, scale);
            let out = &mut context[i * h + head * d..i * h + head * d + d];
            weighted_values(row, qkv, 3 * h, v0, out);
        }
    }
}

/// `row[j]` = q · key j, where `keys_t` holds the keys transposed (d, len).
/// Blocks of 32, then 8, then single keys, with the sums in registers (not
/// in `row`, loaded and stored once per dimension; four independent
/// registers hide the latency of the additions). Each sum runs in the same
/// order as one at a time: the same bits.
#[inline(always)]
fn key_scores(q: &[f32], keys_t: &[f32], row: &mut [f32]) {
    let len = row.len();
    let mut j = 0;
    j = key_score_blocks::<32>(q, keys_t, row, j, len);
    j = key_score_blocks::<8>(q, keys_t, row, j, len);
    key_score_blocks::<1>(q, keys_t, row, j, len);
}

/// [`key_scores`] for keys `j..` in blocks of `W`; returns where it stopped.
#[inline(always)]
fn key_score_blocks<const W: usize>(
    q: &[f32],
    keys_t: &[f32],
    row: &mut [f32],
    mut j: usize,
    len: usize,
) -> usize {
    while j + W <= len {
        let mut acc = [0f32; W];
        for (column, &qc) in keys_t.chunks_exact(len).zip(q) {
            let keys: &[f32; W] = column[j..j + W].try_into().expect("W keys");
            for (a, k) in acc.iter_mut().zip(keys) {
                *a += qc * k;
            }
        }
        row[j..j + W].copy_from_slice(&acc);
        j += W;
    }
    j
}

/// `out` (zero on entry) = Σ_j p[j] × value row j, where value row j is
/// `qkv[j * stride + v0..][..out.len()]`. Blocks of 32, 8, then single
/// dimensions with the sums in registers; each sum in the order of `j`, as
/// before.
#[inline(always)]
fn weighted_values(p: &[f32], qkv: &[f32], stride: usize, v0: usize, out: &mut [f32]) {
    let mut c = 0;
    c = weighted_value_blocks::<32>(p, qkv, stride, v0, out, c);
    c = weighted_value_blocks::<8>(p, qkv, stride, v0, out, c);
    weighted_value_blocks::<1>(p, qkv, stride, v0, out, c);
}

/// [`weighted_values`] for dimensions `c..` in blocks of `W`; returns where
/// it stopped.
#[inline(always)]
fn weighted_value_blocks<const W: usize>(
    p: &[f32],
    qkv: &[f32],
    stride: usize,
    v0: usize,
    out: &mut [f32],
    mut c: usize,
) -> usize {
    while c + W <= out.len() {
        let mut acc = [0f32; W];
        for (j, &pj) in p.iter().enumerate() {
            let at = j * stride + v0 + c;
            let v: &[f32; W] = qkv[at..at + W].try_into().expect("W values");
            for (a, v) in acc.iter_mut().zip(v) {
                *a += pj * v;
            }
        }
        for (o, a) in out[c..c + W].iter_mut().zip(acc) {
            *o += a;
        }
        c += W;
    }
    c
}

/// Softmax of `row / scale`, in place.
#[inline(always)]
fn softmax(row: &mut [f32], scale: f32) {
    let mut max = f32::NEG_INFINITY;
    for s in row.iter_mut() {
        *s /= scale;
        max = max.max(*s);
    }
    let mut sum = 0f32;
    for s in row.iter_mut() {
        *s = (*s - max).exp();
        sum += *s;
    }
    for s in row.iter_mut() {
        *s /= sum;
    }
}

/// GELU with the error function, as the model was trained (not the tanh
/// approximation).
#[inline(always)]
fn gelu(v: f32) -> f32 {
    (erf(v * std::f32::consts::FRAC_1_SQRT_2) + 1.0) * 0.5 * v
}

/// The error function as a rational function of `x` on [-4, 4] (±1 beyond,
/// where `erf` is 1 to single precision): the approximation of Eigen and XLA,
/// within 5e-7 of the exact value. Unlike `libm::erff` it has no branches,
/// so the GELU loop vectorises; `erff` took 14% of full mode's time.
#[inline(always)]
fn erf(x: f32) -> f32 {
    let x = x.clamp(-4.0, 4.0);
    let x2 = x * x;
    let mut p = x2 * -2.726_142e-10 + 2.770_681_4e-8;
    p = x2 * p - 2.101_024e-6;
    p = x2 * p - 5.692_506_4e-5;
    p = x2 * p - 7.349_906_3e-4;
    p = x2 * p - 2.954_6e-3;
    p = x2 * p - 1.609_603_3e-2;
    let mut q = x2 * -1.456_607_2e-5 - 2.133_740_6e-4;
    q = x2 * q - 1.682_827e-3;
    q = x2 * q - 7.373_329e-3;
    q = x2 * q - 1.426_474e-2;
    x * p / q
}

impl Dense {
    /// `out` = `x` (rows × inputs) · weight + bias (+ `residual`).
    fn apply(
        &self,
        x: &[f32],
        rows: usize,
        out: &mut Vec<f32>,
        residual: Option<&[f32]>,
        quantised: &mut QuantRows,
    ) {
        let n = self.outputs;
        out.clear();
        match residual {
            Some(res) => {
                for r in res.chunks_exact(n) {
                    out.extend(r.iter().zip(&self.bias).map(|(a, b)| a + b));
                }
            }
            None => {
                for _ in 0..rows {
                    out.extend_from_slice(&self.bias);
                }
            }
        }
        debug_assert_eq!(out.len(), rows * n);
        debug_assert_eq!(x.len(), rows * self.inputs);
        let weight = match &self.weight {
            Weight::F32(w) => w,
            Weight::Int(q) => {
                quantised.quantise(x, q);
                q.mul_add(quantised, out);
                return;
            }
        };
        // SAFETY: the slices hold (rows, inputs), (inputs, outputs) and
        // (rows, outputs) row-major f32 values, as the strides say.
        unsafe {
            gemm(
                rows,
                n,
                self.inputs,
                out.as_mut_ptr(),
                1,
                n as isize,
                true,
                x.as_ptr(),
                1,
                self.inputs as isize,
                weight.as_ptr(),
                1,
                n as isize,
                1.0,
                1.0,
                false,
                false,
                false,
                Parallelism::None,
            );
        }
    }
}

impl Norm {
    #[inline(always)]
    fn apply(&self, row: &mut [f32]) {
        let n = row.len() as f32;
        let mean = lane_sum(row, |v| v) / n;
        let var = lane_sum(row, |v| (v - mean) * (v - mean)) / n;
        let inv = 1.0 / (var + self.eps).sqrt();
        for ((v, g), b) in row.iter_mut().zip(&self.gamma).zip(&self.beta) {
            *v = (*v - mean) * inv * g + b;
        }
    }
}

/// The sum of `f` over `row` in 8 lanes: it vectorises, where a plain `f32`
/// sum is one long chain of dependent additions.
#[inline(always)]
fn lane_sum(row: &[f32], f: impl Fn(f32) -> f32) -> f32 {
    let mut lanes = [0f32; 8];
    let chunks = row.chunks_exact(8);
    let rest = chunks.remainder();
    for chunk in chunks {
        for (lane, &v) in lanes.iter_mut().zip(chunk) {
            *lane += f(v);
        }
    }
    lanes.iter().sum::<f32>() + rest.iter().map(|&v| f(v)).sum::<f32>()
}

#[cfg(test)]
mod tests {
    use super::*;
    use safetensors::tensor::TensorView;

    /// A small random BERT (2 layers, 32 wide) as a safetensors file: the
    /// forward pass end to end without the real weights.
    fn tiny_model(s: &Shape) -> Vec<u8> {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut random = |n: usize, scale: f32, offset: f32| -> Vec<u8> {
            (0..n)
                .flat_map(|_| {
                    seed = seed
                        .wrapping_mul(6_364_136_223_846_793_005)
                        .wrapping_add(1_442_695_040_888_963_407);
                    let unit = (seed >> 40) as f32 / (1u64 << 24) as f32 - 0.5;
                    (offset + scale * unit).to_le_bytes()
                })
                .collect()
        };
        let h = s.hidden;
        let mut tensors: Vec<(String, Vec<usize>, Vec<u8>)> = Vec::new();
        let mut add = |name: String, shape: Vec<usize>, scale: f32, offset: f32| {
            let data = random(shape.iter().product(), scale, offset);
            tensors.push((name, shape, data));
        };
        let norm = |add: &mut dyn FnMut(String, Vec<usize>, f32, f32), name: &str| {
            add(format!("{name}.weight"), vec![h], 0.2, 1.0);
            add(format!("{name}.bias"), vec![h], 0.2, 0.0);
        };
        add(
            "embeddings.word_embeddings.weight".into(),
            vec![s.vocab, h],
            2.0,
            0.0,
        );
        add(
            "embeddings.position_embeddings.weight".into(),
            vec![s.max_positions, h],
            0.5,
            0.0,
        );
        add(
            "embeddings.token_type_embeddings.weight".into(),
            vec![s.type_vocab, h],
            0.5,
            0.0,
        );
        norm(&mut add, "embeddings.LayerNorm");
        for l in 0..s.layers {
            let p = |name: &str| format!("encoder.layer.{l}.{name}");
            for (name, outputs, inputs) in [
                ("attention.self.query", h, h),
                ("attention.self.key", h, h),
                ("attention.self.value", h, h),
                ("attention.output.dense", h, h),
                ("intermediate.dense", s.intermediate, h),
                ("output.dense", h, s.intermediate),
            ] {
                add(
                    p(&format!("{name}.weight")),
                    vec![outputs, inputs],
                    0.6,
                    0.0,
                );
                add(p(&format!("{name}.bias")), vec![outputs], 0.2, 0.0);
            }
            norm(&mut add, &p("attention.output.LayerNorm"));
            norm(&mut add, &p("output.LayerNorm"));
        }
        let views: Vec<(String, TensorView)> = tensors
            .iter()
            .map(|(name, shape, data)| {
                let view = TensorView::new(Dtype::F32, shape.clone(), data).unwrap();
                (name.clone(), view)
            })
            .collect();
        safetensors::serialize(views, None).unwrap()
    }

    fn cosine(a: &[f32], b: &[f32]) -> f32 {
        let dot: f32 = a.iter().zip(b).map(|(x, y)| x * y).sum();
        let norm = |v: &[f32]| v.iter().map(|x| x * x).sum::<f32>().sqrt();
        dot / (norm(a) * norm(b))
    }

    /// The integer products are the default of optimised builds, which CI's
    /// debug `cargo test` does not run end to end with the real weights:
    /// this runs the whole quantised forward pass on a small model.
    #[test]
    fn integer_products_keep_the_f32_vectors() {
        let s = Shape {
            vocab: 40,
            hidden: 32,
            layers: 2,
            heads: 4,
            intermediate: 64,
            max_positions: 24,
            type_vocab: 2,
            eps: 1e-12,
        };
        let bytes = tiny_model(&s);
        let f32_model = load(&bytes, &s, Precision::F32).unwrap();
        let int_model = load(&bytes, &s, Precision::Int).unwrap();
        assert!(
            int_model
                .layers
                .iter()
                .flat_map(|l| [&l.qkv, &l.attention_out, &l.intermediate, &l.output])
                .all(|d| matches!(d.weight, Weight::Int(_))),
            "every linear layer of the integer model is quantised"
        );
        let seqs: Vec<Vec<u32>> = vec![
            vec![1, 5, 9, 2],
            (0..20).map(|i| (i * 7 % 40) as u32).collect(),
            vec![3],
        ];
        let seqs: Vec<&[u32]> = seqs.iter().map(Vec::as_slice).collect();
        let want = f32_model.mean_pooled(&seqs).unwrap();
        let got = int_model.mean_pooled(&seqs).unwrap();
        for (w, g) in want.iter().zip(&got) {
            assert_eq!(w.len(), 32);
            let c = cosine(w, g);
            assert!(c >= 0.9995, "cosine {c} between integer and f32 products");
            assert!(w != g, "the integer path was used (some rounding shows)");
        }
    }
}
