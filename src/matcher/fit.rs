//! Fitting the matcher's two linear models with Newton's method:
//!
//! - the confidence model, a logistic regression over the best candidate's
//!   features (label: the best candidate is the right entry);
//! - the re-ranking weights, a listwise softmax over each question's
//!   candidates (the right entry should score highest).
//!
//! Both are convex with an L2 penalty, so Newton's method converges in a few
//! steps and gives the same weights on every run (no learning rate, no seed).

/// Logistic regression: the intercept, then one weight per input.
pub fn logistic(xs: &[Vec<f64>], ys: &[bool], l2: f64) -> Vec<f64> {
    logistic_weighted(xs, ys, &vec![1.0; xs.len()], l2)
}

/// Logistic regression with a weight per example.
pub fn logistic_weighted(xs: &[Vec<f64>], ys: &[bool], weights: &[f64], l2: f64) -> Vec<f64> {
    let dim = xs.first().map_or(0, Vec::len) + 1;
    let rows: Vec<Vec<f64>> = xs
        .iter()
        .map(|x| std::iter::once(1.0).chain(x.iter().copied()).collect())
        .collect();
    let n = weights.iter().sum::<f64>().max(1e-9);
    newton(dim, l2, true, |w, grad, hess| {
        let mut loss = 0.0;
        for ((x, &y), &c) in rows.iter().zip(ys).zip(weights) {
            let z: f64 = dot(w, x);
            let p = sigmoid(z);
            let y = f64::from(u8::from(y));
            let c = c / n;
            loss -= c * (y * p.max(1e-12).ln() + (1.0 - y) * (1.0 - p).max(1e-12).ln());
            let s = c * p * (1.0 - p);
            for j in 0..dim {
                grad[j] += c * (p - y) * x[j];
                for k in 0..dim {
                    hess[j][k] += s * x[j] * x[k];
                }
            }
        }
        loss
    })
}

/// One question's candidates for ranking: their feature vectors and which
/// one is right.
pub struct Group {
    pub xs: Vec<Vec<f64>>,
    pub gold: usize,
}

/// Listwise softmax ranking weights (no intercept: it cancels out).
pub fn softmax_rank(groups: &[Group], l2: f64) -> Vec<f64> {
    let dim = groups.iter().find_map(|g| g.xs.first()).map_or(0, Vec::len);
    let n = groups.len().max(1) as f64;
    newton(dim, l2, false, |w, grad, hess| {
        let mut loss = 0.0;
        for g in groups {
            let scores: Vec<f64> = g.xs.iter().map(|x| dot(w, x)).collect();
            let top = scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let exps: Vec<f64> = scores.iter().map(|s| (s - top).exp()).collect();
            let total: f64 = exps.iter().sum();
            loss -= ((exps[g.gold] / total).max(1e-12)).ln() / n;
            let mut mean = vec![0.0; dim];
            for (x, e) in g.xs.iter().zip(&exps) {
                let p = e / total;
                for j in 0..dim {
                    mean[j] += p * x[j];
                }
            }
            for j in 0..dim {
                grad[j] += (mean[j] - g.xs[g.gold][j]) / n;
            }
            for (x, e) in g.xs.iter().zip(&exps) {
                let p = e / total;
                for j in 0..dim {
                    for k in 0..dim {
                        hess[j][k] += p * (x[j] - mean[j]) * (x[k] - mean[k]) / n;
                    }
                }
            }
        }
        loss
    })
}

/// Minimises `loss(w) + l2/2 |w|^2` (the intercept `w[0]` unpenalised when
/// `intercept`). `eval` adds the loss's gradient and Hessian into the zeroed
/// buffers it gets and returns the loss.
fn newton(
    dim: usize,
    l2: f64,
    intercept: bool,
    mut eval: impl FnMut(&[f64], &mut [f64], &mut [Vec<f64>]) -> f64,
) -> Vec<f64> {
    let penalised = |j: usize| !(intercept && j == 0);
    let mut w = vec![0.0; dim];
    let mut objective = |w: &[f64]| {
        let mut g = vec![0.0; dim];
        let mut h = vec![vec![0.0; dim]; dim];
        let mut total = eval(w, &mut g, &mut h);
        for j in (0..dim).filter(|&j| penalised(j)) {
            total += 0.5 * l2 * w[j] * w[j];
            g[j] += l2 * w[j];
            h[j][j] += l2;
        }
        (total, g, h)
    };
    let (mut value, mut grad, mut hess) = objective(&w);
    for _ in 0..100 {
        for (j, row) in hess.iter_mut().enumerate() {
            // A tiny ridge keeps the system solvable when a feature is constant.
            row[j] += 1e-9;
        }
        let Some(step) = solve(hess.clone(), grad.clone()) else {
            break;
        };
        // Backtracking: Newton steps can overshoot far from the optimum.
        let mut t = 1.0;
        let mut improved = false;
        while t > 1e-6 {
            let cand: Vec<f64> = w.iter().zip(&step).map(|(a, s)| a - t * s).collect();
            let (v, g, h) = objective(&cand);
            if v <= value {
                let gain = value - v;
                w = cand;
                value = v;
                grad = g;
                hess = h;
                improved = gain > 1e-12;
                break;
            }
            t *= 0.5;
        }
        if !improved {
            break;
        }
    }
    w
}

/// Solves `a x = b` by Gaussian elimination with partial pivoting.
#[allow(clippy::needless_range_loop)] // Gaussian elimination reads two rows at once
fn solve(mut a: Vec<Vec<f64>>, mut b: Vec<f64>) -> Option<Vec<f64>> {
    let n = b.len();
    for col in 0..n {
        let pivot = (col..n).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))?;
        if a[pivot][col].abs() < 1e-15 {
            return None;
        }
        a.swap(col, pivot);
        b.swap(col, pivot);
        for row in col + 1..n {
            let f = a[row][col] / a[col][col];
            for k in col..n {
                a[row][k] -= f * a[col][k];
            }
            b[row] -= f * b[col];
        }
    }
    let mut x = vec![0.0; n];
    for row in (0..n).rev() {
        let s: f64 = (row + 1..n).map(|k| a[row][k] * x[k]).sum();
        x[row] = (b[row] - s) / a[row][row];
    }
    Some(x)
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

pub fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logistic_separates_a_threshold() {
        let xs: Vec<Vec<f64>> = (0..40).map(|i| vec![f64::from(i) / 40.0]).collect();
        let ys: Vec<bool> = (0..40).map(|i| i >= 20).collect();
        let w = logistic(&xs, &ys, 0.001);
        assert!(w[1] > 5.0, "{w:?}");
        let at = |x: f64| sigmoid(w[0] + w[1] * x);
        assert!(at(0.1) < 0.2 && at(0.9) > 0.8, "{w:?}");
    }

    #[test]
    fn softmax_rank_prefers_the_informative_feature() {
        // Feature 0 marks the right candidate, feature 1 is noise.
        let groups: Vec<Group> = (0..30)
            .map(|i| Group {
                xs: vec![
                    vec![0.2, f64::from(i % 3)],
                    vec![0.9, f64::from((i + 1) % 3)],
                    vec![0.1, f64::from((i + 2) % 3)],
                ],
                gold: 1,
            })
            .collect();
        let w = softmax_rank(&groups, 0.01);
        assert!(w[0] > 1.0 && w[0] > 5.0 * w[1].abs(), "{w:?}");
    }
}
