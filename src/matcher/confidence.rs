//! Confidence: a logistic model over the best candidate's features.
//!
//! The weights were fitted on the dev set (`vouch eval DIR --fit`), which
//! runs plain gradient descent on the log-loss with label 1 when the top
//! candidate is the gold entry and 0 otherwise (wrong entry, or no entry
//! should answer). Refit after changing the features.

use super::rerank::Features;

/// Auto-fill at or above this confidence.
pub const DEFAULT_AUTO: f64 = 0.75;
/// Fill for review at or above this confidence; below, abstain.
pub const DEFAULT_REVIEW: f64 = 0.45;

/// The number of model inputs (see [`vector`]).
pub const N_FEATURES: usize = 13;

/// Intercept then one weight per feature of [`vector`]; the array length
/// ties the weights to the feature vector so a refit cannot drop features.
pub const WEIGHTS: [f64; N_FEATURES + 1] = [
    -2.786, 2.346, 2.865, 2.732, -1.317, 1.161, -1.551, 0.249, 3.125, -0.234, -0.557, -0.966,
    0.633, 0.895,
];

/// The model's inputs, in the order of `WEIGHTS[1..]`.
pub fn vector(f: &Features) -> [f64; N_FEATURES] {
    [
        f.bm25.min(2.0),
        f.cov_q,
        f.cov_e,
        f.dice,
        f.concepts,
        f.unseen,
        f.conflict,
        f.margin,
        f.miss,
        f.distinct_miss,
        f.customer_side,
        f.entry_miss,
        f.cov_q * f.cov_e,
    ]
}

pub fn confidence(f: &Features) -> f64 {
    logistic(&WEIGHTS, &vector(f))
}

pub fn logistic(w: &[f64], x: &[f64]) -> f64 {
    let z = w[0] + w[1..].iter().zip(x).map(|(a, b)| a * b).sum::<f64>();
    1.0 / (1.0 + (-z).exp())
}

/// Fits logistic weights by gradient descent (features are in [0,~2], so no
/// scaling is needed). Returns the intercept followed by one weight per feature.
pub fn fit(xs: &[Vec<f64>], ys: &[f64], l2: f64) -> Vec<f64> {
    let dim = xs.first().map_or(0, Vec::len);
    let mut w = vec![0.0; dim + 1];
    let n = xs.len().max(1) as f64;
    let rate = 0.5;
    for _ in 0..20_000 {
        let mut grad = vec![0.0; dim + 1];
        for (x, y) in xs.iter().zip(ys) {
            let err = logistic(&w, x) - y;
            grad[0] += err;
            for j in 0..dim {
                grad[j + 1] += err * x[j];
            }
        }
        for j in 0..=dim {
            let reg = if j == 0 { 0.0 } else { l2 * w[j] };
            w[j] -= rate * (grad[j] / n + reg);
        }
    }
    w
}
