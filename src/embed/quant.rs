//! Quantised matrix products for full mode's linear layers: weights as
//! integers with one scale per output column (symmetric), activations as
//! integers with one scale per row (token), computed at run time. The sums
//! of products are exact integers; only the two roundings to integers
//! change the result.
//!
//! Why 16-bit lanes and not int8: AVX2 has no int8 dot product that is
//! both safe from saturation at full range and cheap (`vpmaddubsw` needs a
//! `vpsignb` first), and on this machine class (Zen 3, AVX2+FMA, no VNNI)
//! `vpmaddwd` (16 products of 16-bit values, summed in pairs into 32-bit
//! lanes) does about 1.65 times the multiply-adds per cycle of f32 FMA, as
//! many as the int8 sign trick (1.68 times, measured). With 16-bit lanes the
//! number of levels costs nothing: it is bounded only by the 32-bit sums.
//! With 127 levels each (int8), sentence vectors kept a cosine of 0.9942 to
//! f32 at worst on the dev and val texts; with the levels below, 0.99995.

/// Weights are rounded to integers in [-WEIGHT_LEVELS, WEIGHT_LEVELS] (10 bits).
pub const WEIGHT_LEVELS: f32 = 511.0;
/// Activations are rounded to integers in [-ACTIVATION_LEVELS,
/// ACTIVATION_LEVELS] (12 bits): most of int8's error came from them.
pub const ACTIVATION_LEVELS: f32 = 2047.0;
/// Part of the cache key of vectors made with these levels.
pub const LEVELS_TAG: &str = "int 511 2047";
/// The most inputs a layer may have so that no 32-bit sum can overflow:
/// |sum| <= inputs × WEIGHT_LEVELS × ACTIVATION_LEVELS (2,053 inputs).
const MAX_INPUTS: usize =
    (i32::MAX as f64 / (WEIGHT_LEVELS as f64 * ACTIVATION_LEVELS as f64)) as usize;
// MiniLM's widest layer has 1,536 inputs.
const _: () = assert!(MAX_INPUTS >= 1536);

/// Output columns per packed panel (two AVX2 registers of 32-bit sums).
const PANEL: usize = 16;
/// Rows per register tile.
const TILE_ROWS: usize = 4;
/// Rows per cache block: a block's quantised rows stay in L2 while every
/// panel passes over them.
const BLOCK_ROWS: usize = 64;

/// A weight matrix (inputs × outputs), quantised and packed in panels of
/// [`PANEL`] columns: for each pair of inputs (k, k + 1), the panel's
/// columns in order, each as (w[k][c], w[k + 1][c]).
pub struct QuantMatrix {
    packed: Vec<i16>,
    /// One scale per output column: weight ≈ integer × scale.
    scales: Vec<f32>,
    inputs: usize,
    outputs: usize,
}

/// Rows of activations, quantised: row r ≈ values[r] × scales[r].
#[derive(Default)]
pub struct QuantRows {
    values: Vec<i16>,
    scales: Vec<f32>,
}

impl QuantMatrix {
    /// Quantises `weight` (inputs × outputs, row-major). `None` when the
    /// shape does not suit the packing (outputs not a multiple of 16, or so
    /// many inputs that a 32-bit sum could overflow).
    pub fn new(weight: &[f32], inputs: usize, outputs: usize) -> Option<Self> {
        if !outputs.is_multiple_of(PANEL) || inputs > MAX_INPUTS || weight.len() != inputs * outputs
        {
            return None;
        }
        let scales: Vec<f32> = (0..outputs)
            .map(|c| {
                let max = (0..inputs).fold(0f32, |m, k| m.max(weight[k * outputs + c].abs()));
                if max > 0.0 {
                    max / WEIGHT_LEVELS
                } else {
                    1.0
                }
            })
            .collect();
        let pairs = inputs.div_ceil(2);
        let mut packed = vec![0i16; outputs * pairs * 2];
        for panel in 0..outputs / PANEL {
            for pair in 0..pairs {
                for c in 0..PANEL {
                    for t in 0..2 {
                        let k = 2 * pair + t;
                        let col = panel * PANEL + c;
                        if k < inputs {
                            packed[((panel * pairs + pair) * PANEL + c) * 2 + t] =
                                (weight[k * outputs + col] / scales[col]).round() as i16;
                        }
                    }
                }
            }
        }
        Some(QuantMatrix {
            packed,
            scales,
            inputs,
            outputs,
        })
    }

    /// Input pairs per row (inputs rounded up to even, halved).
    fn pairs(&self) -> usize {
        self.inputs.div_ceil(2)
    }

    /// `out` (rows × outputs) += `x` · weight, where `x` holds the quantised
    /// rows of [`QuantRows::quantise`].
    pub fn mul_add(&self, x: &QuantRows, out: &mut [f32]) {
        let rows = x.scales.len();
        assert_eq!(out.len(), rows * self.outputs);
        assert_eq!(x.values.len(), rows * self.pairs() * 2);
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU has AVX2, and the asserts above bound every access.
            unsafe { avx2::mul_add(self, x, out) };
            return;
        }
        self.mul_add_portable(x, out);
    }

    /// The same sums in plain Rust, with the same final rounding: the
    /// result is identical bit for bit.
    pub fn mul_add_portable(&self, x: &QuantRows, out: &mut [f32]) {
        let pairs = self.pairs();
        for (r, out_row) in out.chunks_exact_mut(self.outputs).enumerate() {
            let row = &x.values[r * pairs * 2..(r + 1) * pairs * 2];
            for (c, o) in out_row.iter_mut().enumerate() {
                let (panel, lane) = (c / PANEL, c % PANEL);
                let mut sum = 0i32;
                for pair in 0..pairs {
                    let at = ((panel * pairs + pair) * PANEL + lane) * 2;
                    sum += i32::from(row[2 * pair]) * i32::from(self.packed[at])
                        + i32::from(row[2 * pair + 1]) * i32::from(self.packed[at + 1]);
                }
                *o += sum as f32 * (x.scales[r] * self.scales[c]);
            }
        }
    }
}

impl QuantRows {
    /// Quantises `x` (rows of `matrix.inputs()` values), replacing what was here.
    pub fn quantise(&mut self, x: &[f32], matrix: &QuantMatrix) {
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU has AVX2.
            self.quantise_rows(x, matrix, |row, q, inv| unsafe {
                round_row_avx2(row, q, inv)
            });
            return;
        }
        self.quantise_rows(x, matrix, round_row);
    }

    /// Each row's scale, and its values divided by it and rounded by
    /// `round_row(row, out, 1 / scale)`.
    #[inline(always)]
    fn quantise_rows(
        &mut self,
        x: &[f32],
        matrix: &QuantMatrix,
        round_row: impl Fn(&[f32], &mut [i16], f32),
    ) {
        let inputs = matrix.inputs;
        let width = matrix.pairs() * 2;
        self.start(x.len() / inputs, width);
        for (row, q) in x
            .chunks_exact(inputs)
            .zip(self.values.chunks_exact_mut(width))
        {
            let scale = row_scale(row);
            round_row(row, q, 1.0 / scale);
            self.scales.push(scale);
        }
    }

    /// Room for `rows` rows of `width` values, zeroed (an odd last input
    /// pairs with a 0).
    fn start(&mut self, rows: usize, width: usize) {
        self.values.clear();
        self.values.resize(rows * width, 0);
        self.scales.clear();
    }
}

/// `row` times `inv`, rounded to the nearest integer (ties to even).
fn round_row(row: &[f32], out: &mut [i16], inv: f32) {
    for (q, v) in out.iter_mut().zip(row) {
        *q = (v * inv).round_ties_even() as i16;
    }
}

/// [`round_row`] with AVX2: 16 values at a time, rounded to the nearest
/// (ties to even, as the portable path) by `vcvtps2dq`. Scalar code spent
/// 7-20% of full mode's time here (`rintf` is not inlined).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn round_row_avx2(row: &[f32], out: &mut [i16], inv: f32) {
    use std::arch::x86_64::*;
    let mut chunks = row.chunks_exact(16);
    let mut outs = out.chunks_exact_mut(16);
    let scale = _mm256_set1_ps(inv);
    for (v, q) in (&mut chunks).zip(&mut outs) {
        let a = _mm256_cvtps_epi32(_mm256_mul_ps(_mm256_loadu_ps(v.as_ptr()), scale));
        let b = _mm256_cvtps_epi32(_mm256_mul_ps(_mm256_loadu_ps(v.as_ptr().add(8)), scale));
        // packs works within 128-bit halves: put the quarters back in order.
        let packed = _mm256_permute4x64_epi64(_mm256_packs_epi32(a, b), 0b11_01_10_00);
        _mm256_storeu_si256(q.as_mut_ptr() as *mut __m256i, packed);
    }
    round_row(chunks.remainder(), outs.into_remainder(), inv);
}

/// The scale of a row of activations: its largest absolute value maps to
/// [`ACTIVATION_LEVELS`].
#[inline(always)]
fn row_scale(row: &[f32]) -> f32 {
    let max = max_abs(row);
    if max > 0.0 {
        max / ACTIVATION_LEVELS
    } else {
        1.0
    }
}

/// The largest absolute value of `row`, in 8 lanes so that it vectorises.
#[inline(always)]
fn max_abs(row: &[f32]) -> f32 {
    let mut lanes = [0f32; 8];
    let chunks = row.chunks_exact(8);
    let rest = chunks.remainder();
    for chunk in chunks {
        for (lane, v) in lanes.iter_mut().zip(chunk) {
            *lane = lane.max(v.abs());
        }
    }
    lanes.iter().chain(rest).fold(0f32, |m, v| m.max(v.abs()))
}

#[cfg(target_arch = "x86_64")]
mod avx2 {
    use super::{QuantMatrix, QuantRows, BLOCK_ROWS, PANEL, TILE_ROWS};
    use std::arch::x86_64::*;

    /// Blocks of rows; in each, every panel; in each, tiles of 4 rows.
    #[target_feature(enable = "avx2")]
    pub(super) unsafe fn mul_add(m: &QuantMatrix, x: &QuantRows, out: &mut [f32]) {
        let rows = x.scales.len();
        let pairs = m.pairs();
        for block in (0..rows).step_by(BLOCK_ROWS) {
            let end = (block + BLOCK_ROWS).min(rows);
            for panel in 0..m.outputs / PANEL {
                let weights = m.packed.as_ptr().add(panel * pairs * PANEL * 2);
                let scales = m.scales.as_ptr().add(panel * PANEL);
                let mut r = block;
                while r < end {
                    let t = Tile {
                        values: x.values.as_ptr().add(r * pairs * 2),
                        row_scales: x.scales.as_ptr().add(r),
                        weights,
                        scales,
                        pairs,
                        out: out.as_mut_ptr().add(r * m.outputs + panel * PANEL),
                        stride: m.outputs,
                    };
                    match end - r {
                        1 => t.run::<1>(),
                        2 => t.run::<2>(),
                        3 => t.run::<3>(),
                        _ => t.run::<TILE_ROWS>(),
                    }
                    r += TILE_ROWS;
                }
            }
        }
    }

    struct Tile {
        values: *const i16,
        row_scales: *const f32,
        weights: *const i16,
        scales: *const f32,
        pairs: usize,
        out: *mut f32,
        stride: usize,
    }

    impl Tile {
        /// `R` rows × 16 columns: per input pair, two loads of weights, one
        /// broadcast per row, two `vpmaddwd` per row.
        #[inline(always)]
        unsafe fn run<const R: usize>(&self) {
            let mut acc = [[_mm256_setzero_si256(); 2]; R];
            let row_len = self.pairs * 2;
            for pair in 0..self.pairs {
                let w = self.weights.add(pair * PANEL * 2);
                let w0 = _mm256_loadu_si256(w as *const __m256i);
                let w1 = _mm256_loadu_si256(w.add(PANEL) as *const __m256i);
                for (i, acc) in acc.iter_mut().enumerate() {
                    let v =
                        (self.values.add(i * row_len + pair * 2) as *const i32).read_unaligned();
                    let v = _mm256_set1_epi32(v);
                    acc[0] = _mm256_add_epi32(acc[0], _mm256_madd_epi16(v, w0));
                    acc[1] = _mm256_add_epi32(acc[1], _mm256_madd_epi16(v, w1));
                }
            }
            let s0 = _mm256_loadu_ps(self.scales);
            let s1 = _mm256_loadu_ps(self.scales.add(8));
            for (i, acc) in acc.iter().enumerate() {
                let rs = _mm256_set1_ps(*self.row_scales.add(i));
                for (half, (sum, s)) in [(acc[0], s0), (acc[1], s1)].into_iter().enumerate() {
                    let o = self.out.add(i * self.stride + half * 8);
                    let add = _mm256_mul_ps(_mm256_cvtepi32_ps(sum), _mm256_mul_ps(rs, s));
                    _mm256_storeu_ps(o, _mm256_add_ps(_mm256_loadu_ps(o), add));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matrix(rows: usize, cols: usize, seed: u32) -> Vec<f32> {
        let mut s = seed;
        (0..rows * cols)
            .map(|_| {
                s = s.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                (s >> 8) as f32 / (1u32 << 24) as f32 - 0.5
            })
            .collect()
    }

    #[test]
    fn products_are_close_to_f32_and_simd_equals_portable() {
        // Odd inputs and row counts that are not multiples of the tile.
        for (rows, inputs, outputs) in [(1, 7, 16), (7, 33, 32), (70, 384, 48), (5, 40, 16)] {
            let x = matrix(rows, inputs, 1);
            let w = matrix(inputs, outputs, 2);
            let m = QuantMatrix::new(&w, inputs, outputs).unwrap();
            let mut q = QuantRows::default();
            q.quantise(&x, &m);
            let mut plain = QuantRows::default();
            plain.quantise_rows(&x, &m, round_row);
            assert_eq!(q.values, plain.values);
            assert_eq!(q.scales, plain.scales);
            let bias = matrix(rows, outputs, 3);
            let mut fast = bias.clone();
            m.mul_add(&q, &mut fast);
            let mut slow = bias.clone();
            m.mul_add_portable(&q, &mut slow);
            assert_eq!(fast, slow, "{rows}x{inputs}x{outputs}");
            let max = |v: &mut dyn Iterator<Item = f32>| v.fold(0f32, |m, v| m.max(v.abs()));
            for r in 0..rows {
                let sx = max(&mut (0..inputs).map(|k| x[r * inputs + k])) / ACTIVATION_LEVELS;
                for c in 0..outputs {
                    let sw = max(&mut (0..inputs).map(|k| w[k * outputs + c])) / WEIGHT_LEVELS;
                    let exact: f32 = (0..inputs)
                        .map(|k| x[r * inputs + k] * w[k * outputs + c])
                        .sum::<f32>()
                        + bias[r * outputs + c];
                    // Each factor is off by at most half a level.
                    let bound: f32 = (0..inputs)
                        .map(|k| {
                            let (xk, wk) = (x[r * inputs + k].abs(), w[k * outputs + c].abs());
                            xk * sw / 2.0 + wk * sx / 2.0 + sx * sw / 4.0
                        })
                        .sum::<f32>()
                        + 1e-4;
                    let got = fast[r * outputs + c];
                    assert!(
                        (got - exact).abs() <= bound,
                        "{rows}x{inputs}x{outputs} [{r}][{c}]: {got} vs {exact}"
                    );
                }
            }
        }
    }

    #[test]
    fn the_cache_tag_names_the_levels() {
        assert_eq!(
            LEVELS_TAG,
            format!("int {WEIGHT_LEVELS} {ACTIVATION_LEVELS}")
        );
    }

    #[test]
    fn unsuitable_shapes_are_refused() {
        assert!(QuantMatrix::new(&[0.0; 10 * 15], 10, 15).is_none());
        assert!(QuantMatrix::new(&[0.0; 10 * 16], 10, 16).is_some());
    }
}
