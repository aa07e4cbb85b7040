//! Exact nearest-neighbour search over library vectors.
//!
//! Vectors are quantised to int8 values with one f32 scale each and kept as
//! int16 lanes, so that a dot product is a chain of `pmaddwd`s (AVX2, 16
//! products an instruction). A whole questionnaire is scored as a blocked
//! matrix product: a tile of entries small enough for the L2 cache is scanned
//! by blocks of 4 questions, and groups of questions are shared out to all cores. The
//! scores differ from the exact f32 cosines by about 0.005, which only
//! reorders near-ties.

use super::Vector;

/// Quantisation range of a value (int8).
const LEVELS: f32 = 127.0;
/// Lanes of one AVX2 register of int16.
const LANES: usize = 16;
/// Entries per tile: 256 × 256 dims × 2 bytes = 128 KB, well inside L2.
const TILE: usize = 256;
/// Questions scored together against a tile.
const BLOCK: usize = 4;
/// Questions searched together by one thread.
const QUERY_GROUP: usize = 128;

/// One nearest neighbour: the entry's position and its (approximate) cosine.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    pub entry: usize,
    pub score: f32,
}

pub struct VectorIndex {
    /// Dimensions rounded up to a multiple of [`LANES`] (zero padding).
    stride: usize,
    dims: usize,
    rows: Vec<i16>,
    scales: Vec<f32>,
}

/// A vector quantised like the index rows.
struct Quantized {
    values: Vec<i16>,
    scale: f32,
}

fn quantize(v: &[f32], stride: usize) -> Quantized {
    let max = v.iter().fold(0f32, |m, x| m.max(x.abs()));
    let scale = if max > 0.0 { max / LEVELS } else { 1.0 };
    let mut values = vec![0i16; stride];
    for (q, x) in values.iter_mut().zip(v) {
        *q = round_small(x / scale) as i16;
    }
    Quantized { values, scale }
}

/// `y.round()` (halves away from zero) for |y| < 2^23, without the libm call
/// that `round` is on baseline x86-64: truncation is one instruction, and the
/// fraction `y - trunc(y)` is exact, so the result is the same (and the loop
/// can vectorise).
fn round_small(y: f32) -> i32 {
    let t = y as i32;
    let frac = y - t as f32;
    t + i32::from(frac >= 0.5) - i32::from(frac <= -0.5)
}

impl VectorIndex {
    /// Indexes `vectors` (all of one dimension); entry `i` is `vectors[i]`.
    pub fn build(vectors: &[Vector]) -> Self {
        let dims = vectors.first().map_or(0, Vector::dims);
        let stride = dims.next_multiple_of(LANES).max(LANES);
        let mut rows = Vec::with_capacity(vectors.len() * stride);
        let mut scales = Vec::with_capacity(vectors.len());
        for v in vectors {
            assert_eq!(
                v.dims(),
                dims,
                "every indexed vector has the same dimension"
            );
            let q = quantize(v.as_slice(), stride);
            rows.extend_from_slice(&q.values);
            scales.push(q.scale);
        }
        VectorIndex {
            stride,
            dims,
            rows,
            scales,
        }
    }

    pub fn len(&self) -> usize {
        self.scales.len()
    }

    pub fn is_empty(&self) -> bool {
        self.scales.is_empty()
    }

    pub fn dims(&self) -> usize {
        self.dims
    }

    /// The (approximate) cosine of `query` with entry `entry`: for scoring
    /// candidates that another ranker found.
    pub fn cosine(&self, query: &Vector, entry: usize) -> f32 {
        let q = quantize(query.as_slice(), self.stride);
        let row = &self.rows[entry * self.stride..(entry + 1) * self.stride];
        let dot: i32 = q
            .values
            .iter()
            .zip(row)
            .map(|(&a, &b)| i32::from(a) * i32::from(b))
            .sum();
        dot as f32 * q.scale * self.scales[entry]
    }

    /// The `k` entries closest to `query` among those `filter` accepts, best
    /// first (ties: lower entry first).
    pub fn top_k(&self, query: &Vector, k: usize, filter: impl Fn(usize) -> bool) -> Vec<Hit> {
        let allowed: Vec<bool> = (0..self.len()).map(filter).collect();
        self.search_block(std::slice::from_ref(query), k, &allowed)
            .pop()
            .unwrap_or_default()
    }

    /// [`Self::top_k`] for many queries at once (a questionnaire), on all
    /// cores: far faster than one query at a time.
    pub fn top_k_batch(
        &self,
        queries: &[Vector],
        k: usize,
        filter: impl Fn(usize) -> bool,
    ) -> Vec<Vec<Hit>> {
        let allowed: Vec<bool> = (0..self.len()).map(filter).collect();
        // Groups of queries are shared out to the threads as they come free
        // (a fixed half each would leave one waiting on a busy machine); a
        // group is large enough that each tile is read from memory once for
        // many queries.
        let groups: Vec<&[Vector]> = queries.chunks(QUERY_GROUP).collect();
        crate::par::map(&groups, |group| self.search_block(group, k, &allowed))
            .into_iter()
            .flatten()
            .collect()
    }

    /// Scores `queries` against every entry, tile by tile, keeping each
    /// query's best `k`.
    fn search_block(&self, queries: &[Vector], k: usize, allowed: &[bool]) -> Vec<Vec<Hit>> {
        #[cfg(target_arch = "x86_64")]
        {
            if std::arch::is_x86_feature_detected!("avx2") {
                // SAFETY: AVX2 is present (checked above).
                return unsafe { self.search_block_avx2(queries, k, allowed) };
            }
        }
        self.search_block_portable(queries, k, allowed)
    }

    /// [`Self::search_block`] compiled for AVX2, so that the scoring of
    /// whole runs of entries is 8 wide (the same operations, so the same
    /// scores: Rust never fuses a multiply and an add on its own).
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    unsafe fn search_block_avx2(
        &self,
        queries: &[Vector],
        k: usize,
        allowed: &[bool],
    ) -> Vec<Vec<Hit>> {
        self.search_block_portable(queries, k, allowed)
    }

    #[inline(always)]
    fn search_block_portable(
        &self,
        queries: &[Vector],
        k: usize,
        allowed: &[bool],
    ) -> Vec<Vec<Hit>> {
        let mut tops: Vec<TopK> = queries.iter().map(|_| TopK::new(k)).collect();
        if k == 0 || self.is_empty() {
            return tops.into_iter().map(TopK::into_sorted).collect();
        }
        let quantized: Vec<Quantized> = queries
            .iter()
            .map(|q| quantize(q.as_slice(), self.stride))
            .collect();
        // The queries laid out block by block once (a short last block padded
        // with zeros), rather than copied again for every tile.
        let block_len = BLOCK * self.stride;
        let mut blocks = vec![0i16; quantized.len().div_ceil(BLOCK) * block_len];
        for (q, slot) in quantized.iter().zip(blocks.chunks_exact_mut(self.stride)) {
            slot.copy_from_slice(&q.values);
        }
        let mut dots = vec![0i32; BLOCK * TILE];
        for tile_start in (0..self.len()).step_by(TILE) {
            let tile_len = TILE.min(self.len() - tile_start);
            let tile = &self.rows[tile_start * self.stride..(tile_start + tile_len) * self.stride];
            for (b, (chunk, block)) in quantized
                .chunks(BLOCK)
                .zip(blocks.chunks_exact(block_len))
                .enumerate()
            {
                dot_block(block, tile, self.stride, &mut dots[..BLOCK * tile_len]);
                let scales = &self.scales[tile_start..tile_start + tile_len];
                for (slot, q) in chunk.iter().enumerate() {
                    let row = &dots[slot * tile_len..(slot + 1) * tile_len];
                    tops[b * BLOCK + slot].offer(row, q.scale, scales, tile_start, allowed);
                }
            }
        }
        tops.into_iter().map(TopK::into_sorted).collect()
    }
}

/// The best `k` hits seen so far, kept sorted (k is small).
struct TopK {
    k: usize,
    /// The score to beat, kept here rather than read from `hits`: a tile is
    /// offered to every query in turn, and their hits would not all stay in
    /// the cache.
    threshold: f32,
    hits: Vec<Hit>,
}

impl TopK {
    fn new(k: usize) -> Self {
        TopK {
            k,
            threshold: f32::NEG_INFINITY,
            hits: Vec::with_capacity(k + 1),
        }
    }

    fn threshold(&self) -> f32 {
        self.threshold
    }

    /// Inserts a hit that beats the threshold; entries arrive in increasing
    /// order, so an equal score stays behind the earlier entry.
    fn push(&mut self, hit: Hit) {
        let at = self.hits.partition_point(|h| h.score >= hit.score);
        self.hits.insert(at, hit);
        self.hits.truncate(self.k);
        if self.hits.len() == self.k {
            self.threshold = self.hits[self.k - 1].score;
        }
    }

    /// Offers the entries of a tile, `dots[j]` being entry `first + j`'s
    /// integer dot product with the query. Most entries score below the
    /// threshold: a run of them is scored and tested at once (a loop the
    /// compiler vectorises), and only a run with a better score is looked
    /// into. The scores are computed exactly as one at a time.
    #[inline(always)]
    fn offer(&mut self, dots: &[i32], scale: f32, scales: &[f32], first: usize, allowed: &[bool]) {
        const RUN: usize = 16;
        let mut scores = [0f32; RUN];
        for (r, (dots, scales)) in dots.chunks(RUN).zip(scales.chunks(RUN)).enumerate() {
            let threshold = self.threshold();
            let any = match (
                <&[i32; RUN]>::try_from(dots),
                <&[f32; RUN]>::try_from(scales),
            ) {
                // A whole run: fixed lengths once inlined, so the loop is
                // unrolled and vectorised without length checks.
                (Ok(dots), Ok(scales)) => score_run(dots, scales, scale, &mut scores, threshold),
                _ => score_run(dots, scales, scale, &mut scores, threshold),
            };
            if !any {
                continue;
            }
            for (j, &score) in scores[..dots.len()].iter().enumerate() {
                let entry = first + r * RUN + j;
                if score > self.threshold() && allowed[entry] {
                    self.push(Hit { entry, score });
                }
            }
        }
    }

    fn into_sorted(self) -> Vec<Hit> {
        self.hits
    }
}

/// Scores a run of entries (`dots[j] * scale * scales[j]`, as one at a
/// time) into `scores`; whether any beats `threshold`.
#[inline(always)]
fn score_run(dots: &[i32], scales: &[f32], scale: f32, scores: &mut [f32], threshold: f32) -> bool {
    let mut any = false;
    for ((s, &dot), &entry_scale) in scores.iter_mut().zip(dots).zip(scales) {
        *s = dot as f32 * scale * entry_scale;
        any |= *s > threshold;
    }
    any
}

/// `out[q * tile_len + e] = block[q] · tile[e]` for the [`BLOCK`] queries of
/// `block` and every entry of `tile`.
fn dot_block(block: &[i16], tile: &[i16], stride: usize, out: &mut [i32]) {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: AVX2 is present (checked above); the slices have the
            // lengths `dot_block_avx2` documents.
            unsafe { avx2::dot_block(block, tile, stride, out) };
            return;
        }
    }
    dot_block_portable(block, tile, stride, out);
}

fn dot_block_portable(block: &[i16], tile: &[i16], stride: usize, out: &mut [i32]) {
    let tile_len = tile.len() / stride;
    for (qi, q) in block.chunks_exact(stride).enumerate() {
        for (e, row) in tile.chunks_exact(stride).enumerate() {
            out[qi * tile_len + e] = q
                .iter()
                .zip(row)
                .map(|(&a, &b)| i32::from(a) * i32::from(b))
                .sum();
        }
    }
}

#[cfg(target_arch = "x86_64")]
mod avx2 {
    use std::arch::x86_64::*;

    use super::{BLOCK, LANES};

    /// As [`super::dot_block_portable`]: `block` holds [`BLOCK`] rows of
    /// `stride` lanes, `tile` whole rows of `stride` lanes (`stride` a
    /// multiple of 16), `out` at least `BLOCK * tile rows` values.
    #[target_feature(enable = "avx2")]
    pub unsafe fn dot_block(block: &[i16], tile: &[i16], stride: usize, out: &mut [i32]) {
        debug_assert_eq!(block.len(), BLOCK * stride);
        debug_assert_eq!(stride % LANES, 0);
        let tile_len = tile.len() / stride;
        assert!(out.len() >= BLOCK * tile_len);
        let qp = block.as_ptr();
        let tp = tile.as_ptr();
        let mut e = 0;
        // Two entries by four queries: 8 accumulators, 6 loads per 16 lanes.
        while e + 2 <= tile_len {
            let e0 = tp.add(e * stride);
            let e1 = tp.add((e + 1) * stride);
            let mut acc = [_mm256_setzero_si256(); 8];
            let mut d = 0;
            while d < stride {
                let a = _mm256_loadu_si256(e0.add(d) as *const __m256i);
                let b = _mm256_loadu_si256(e1.add(d) as *const __m256i);
                for q in 0..BLOCK {
                    let x = _mm256_loadu_si256(qp.add(q * stride + d) as *const __m256i);
                    acc[2 * q] = _mm256_add_epi32(acc[2 * q], _mm256_madd_epi16(x, a));
                    acc[2 * q + 1] = _mm256_add_epi32(acc[2 * q + 1], _mm256_madd_epi16(x, b));
                }
                d += LANES;
            }
            let sums = hsum8(acc);
            let op = out.as_mut_ptr();
            for q in 0..BLOCK {
                // In bounds: `out` holds BLOCK * tile_len values (asserted).
                *op.add(q * tile_len + e) = sums[2 * q];
                *op.add(q * tile_len + e + 1) = sums[2 * q + 1];
            }
            e += 2;
        }
        if e < tile_len {
            let e0 = tp.add(e * stride);
            let mut acc = [_mm256_setzero_si256(); BLOCK];
            let mut d = 0;
            while d < stride {
                let a = _mm256_loadu_si256(e0.add(d) as *const __m256i);
                for (q, acc) in acc.iter_mut().enumerate() {
                    let x = _mm256_loadu_si256(qp.add(q * stride + d) as *const __m256i);
                    *acc = _mm256_add_epi32(*acc, _mm256_madd_epi16(x, a));
                }
                d += LANES;
            }
            for (q, acc) in acc.iter().enumerate() {
                out[q * tile_len + e] = hsum(*acc);
            }
        }
    }

    /// The lane sums of eight accumulators at once, in their order (integer
    /// additions: the order of the additions does not change the sums).
    #[target_feature(enable = "avx2")]
    unsafe fn hsum8(acc: [__m256i; 8]) -> [i32; 8] {
        let t0 = _mm256_hadd_epi32(acc[0], acc[1]);
        let t1 = _mm256_hadd_epi32(acc[2], acc[3]);
        let t2 = _mm256_hadd_epi32(acc[4], acc[5]);
        let t3 = _mm256_hadd_epi32(acc[6], acc[7]);
        // Each 128-bit half of u0 holds partial sums of acc[0..4], of u1 of acc[4..8].
        let u0 = _mm256_hadd_epi32(t0, t1);
        let u1 = _mm256_hadd_epi32(t2, t3);
        let low = _mm256_permute2x128_si256::<0x20>(u0, u1);
        let high = _mm256_permute2x128_si256::<0x31>(u0, u1);
        let mut sums = [0i32; 8];
        _mm256_storeu_si256(
            sums.as_mut_ptr() as *mut __m256i,
            _mm256_add_epi32(low, high),
        );
        sums
    }

    #[target_feature(enable = "avx2")]
    unsafe fn hsum(v: __m256i) -> i32 {
        let s = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256::<1>(v));
        let s = _mm_add_epi32(s, _mm_shuffle_epi32::<0b01_00_11_10>(s));
        let s = _mm_add_epi32(s, _mm_shuffle_epi32::<0b10_11_00_01>(s));
        _mm_cvtsi128_si32(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn random_vectors(n: usize, dims: usize, seed: u64) -> Vec<Vector> {
        let mut state = seed;
        let mut next = move || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((state >> 33) as f32 / (1u64 << 31) as f32) - 0.5
        };
        (0..n)
            .map(|_| Vector::normalized((0..dims).map(|_| next()).collect()))
            .collect()
    }

    fn exact_top(vectors: &[Vector], q: &Vector, k: usize) -> Vec<usize> {
        let mut scored: Vec<(usize, f32)> = vectors.iter().map(|v| v.dot(q)).enumerate().collect();
        scored.sort_by(|a, b| b.1.total_cmp(&a.1));
        scored.into_iter().take(k).map(|p| p.0).collect()
    }

    #[test]
    fn batch_and_single_searches_find_the_exact_neighbours() {
        let lib = random_vectors(1_000, 40, 7);
        let queries = random_vectors(130, 40, 8);
        let index = VectorIndex::build(&lib);
        let batch = index.top_k_batch(&queries, 5, |_| true);
        let mut agree = 0;
        for (q, hits) in queries.iter().zip(&batch) {
            assert_eq!(hits, &index.top_k(q, 5, |_| true));
            assert!(hits.windows(2).all(|w| w[0].score >= w[1].score));
            let exact = exact_top(&lib, q, 5);
            assert!((hits[0].score - q.dot(&lib[hits[0].entry])).abs() < 0.02);
            agree += usize::from(hits[0].entry == exact[0]);
        }
        // Quantisation may swap near-ties only.
        assert!(agree >= 125, "top-1 agreed on {agree} of 130");
    }

    #[test]
    fn the_filter_excludes_entries() {
        let lib = random_vectors(300, 16, 3);
        let index = VectorIndex::build(&lib);
        let hits = index.top_k(&lib[10], 3, |e| e != 10);
        assert_eq!(hits.len(), 3);
        assert!(hits.iter().all(|h| h.entry != 10));
        assert_eq!(index.top_k(&lib[10], 1, |_| true)[0].entry, 10);
    }

    #[test]
    fn the_portable_kernel_matches_the_simd_one() {
        let lib = random_vectors(37, 256, 11);
        let queries = random_vectors(BLOCK, 256, 12);
        let index = VectorIndex::build(&lib);
        let block: Vec<i16> = queries
            .iter()
            .flat_map(|q| quantize(q.as_slice(), index.stride).values)
            .collect();
        let mut simd = vec![0; BLOCK * lib.len()];
        let mut portable = vec![0; BLOCK * lib.len()];
        dot_block(&block, &index.rows, index.stride, &mut simd);
        dot_block_portable(&block, &index.rows, index.stride, &mut portable);
        assert_eq!(simd, portable);
    }

    #[test]
    fn the_avx2_search_finds_what_the_portable_one_does() {
        #[cfg(target_arch = "x86_64")]
        {
            if !std::arch::is_x86_feature_detected!("avx2") {
                eprintln!("skipped: this CPU has no AVX2");
                return;
            }
            let lib = random_vectors(700, 256, 21);
            let queries = random_vectors(9, 256, 22);
            let index = VectorIndex::build(&lib);
            let allowed: Vec<bool> = (0..lib.len()).map(|e| e % 7 != 3).collect();
            let portable = index.search_block_portable(&queries, 12, &allowed);
            // SAFETY: AVX2 is present (checked above).
            let simd = unsafe { index.search_block_avx2(&queries, 12, &allowed) };
            assert_eq!(simd, portable);
            assert!(portable.iter().all(|hits| hits.len() == 12));
        }
    }

    #[test]
    fn round_small_rounds_as_round_does() {
        let mut cases = vec![0.5f32, -0.5, 1.5, -1.5, 2.5, 126.5, -126.5, 127.0, -0.0];
        cases.extend([0.5f32, 1.5, 2.5].map(|x| x.next_down()));
        cases.extend([0.5f32, 1.5, 2.5].map(|x| -x.next_down()));
        cases.extend((-1300..=1300).map(|i| i as f32 / 10.0 + 0.003));
        for y in cases {
            assert_eq!(round_small(y), y.round() as i32, "{y}");
        }
    }

    #[test]
    fn empty_inputs_give_no_hits() {
        let index = VectorIndex::build(&[]);
        assert!(index
            .top_k(&Vector::normalized(vec![1.0; 4]), 3, |_| true)
            .is_empty());
        let lib = random_vectors(4, 8, 1);
        let index = VectorIndex::build(&lib);
        assert!(index.top_k(&lib[0], 0, |_| true).is_empty());
    }
}
