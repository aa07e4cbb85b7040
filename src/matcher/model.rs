//! The matcher's fitted model: the re-ranking weights, the confidence
//! weights and the two operating thresholds, kept as data in `model.toml`
//! (embedded at build time) rather than as constants in code.
//!
//! Every input is a named function of a candidate's [`Features`]: adding a
//! signal (say, an embedding similarity) means adding a field to
//! `Features`, naming it in [`RANK_FEATURES`] and/or [`CONF_FEATURES`], and
//! refitting with `vouch eval DIR --cv K` (to choose settings on
//! out-of-fold figures) then `--fit` (to print the model fitted on the whole
//! set). A model that lacks a weight for a listed feature does not load, so
//! a refit cannot silently drop one.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::rerank::Features;

/// A model input: its name (the key in `model.toml`) and how it is computed.
pub type Feature = (&'static str, fn(&Features) -> f64);

/// Inputs of the re-ranking score (a linear score; no intercept).
pub const RANK_FEATURES: &[Feature] = &[
    ("bm25", |f| f.bm25.min(1.5)),
    ("cov_q", |f| f.cov_q),
    ("cov_e", |f| f.cov_e),
    ("dice", |f| f.dice),
    ("conflict", |f| f.conflict),
    ("cosine", |f| f.cosine),
    ("comment_cos", |f| f.comment_cos),
];

/// Inputs of the confidence model (logistic, with an intercept).
pub const CONF_FEATURES: &[Feature] = &[
    ("bm25", |f| f.bm25.min(2.0)),
    ("cov_q", |f| f.cov_q),
    ("cov_e", |f| f.cov_e),
    ("dice", |f| f.dice),
    ("concepts", |f| f.concepts),
    ("unseen", |f| f.unseen),
    ("conflict", |f| f.conflict),
    ("margin", |f| f.margin),
    ("miss", |f| f.miss),
    ("distinct_miss", |f| f.distinct_miss),
    ("customer_side", |f| f.customer_side),
    ("entry_miss", |f| f.entry_miss),
    ("cov_qe", |f| f.cov_q * f.cov_e),
    ("main_cov", |f| f.main_cov),
    ("key_miss", |f| f.key_miss),
    ("entry_key_miss", |f| f.entry_key_miss),
    ("framework_conflict", |f| f.framework_conflict),
    ("framework_missing", |f| f.framework_missing),
    ("cosine", |f| f.cosine),
    ("agree", |f| f.agree),
    ("cos_gap", |f| f.cos_gap),
    ("comment_cos", |f| f.comment_cos),
];

const SHIPPED: &str = include_str!("model.toml");

/// Weights and thresholds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Model {
    /// One weight per [`RANK_FEATURES`] entry.
    pub rank: Vec<f64>,
    /// The intercept, then one weight per [`CONF_FEATURES`] entry.
    pub confidence: Vec<f64>,
    /// Auto-fill at or above this confidence.
    pub auto: f64,
    /// Fill for review at or above this confidence; below, abstain.
    pub review: f64,
    /// Auto only when the question covers at least this share of what the
    /// entry states (`cov_e`: the entry's defining terms are asked about).
    pub min_entry_cov: f64,
    /// Auto only when the entry covers at least this share of what the
    /// question's main sentences ask (`main_cov`: the key ask is answered).
    pub min_question_cov: f64,
    /// The model used in full mode (the transformer's cosines), when
    /// `model.toml` has a `[full]` section.
    pub full: Option<Box<Model>>,
}

/// `model.toml` as written.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct File {
    auto: f64,
    review: f64,
    min_entry_cov: f64,
    min_question_cov: f64,
    rank: BTreeMap<String, f64>,
    confidence: BTreeMap<String, f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    full: Option<Box<File>>,
}

impl Model {
    /// The model shipped with vouch (fitted on the dev set).
    pub fn shipped() -> &'static Model {
        static MODEL: OnceLock<Model> = OnceLock::new();
        MODEL.get_or_init(|| Model::from_toml(SHIPPED).expect("the embedded model.toml is valid"))
    }

    /// The shipped model for a mode: the `[full]` section for full mode
    /// (the default model when there is none).
    pub fn for_embedder(embedder: super::Embedder) -> &'static Model {
        Model::shipped().for_mode(embedder)
    }

    /// This model's section for a mode: `[full]` in full mode, when present.
    pub fn for_mode(&self, embedder: super::Embedder) -> &Model {
        match embedder {
            super::Embedder::Full(_) => self.full.as_deref().unwrap_or(self),
            _ => self,
        }
    }

    pub fn from_toml(text: &str) -> anyhow::Result<Model> {
        let file: File = toml::from_str(text)?;
        Model::from_file(file)
    }

    /// A model file as `--fit` prints it: a whole model, or only its
    /// `[full]` section (which is then the model of every mode).
    pub fn from_fitted_toml(text: &str) -> anyhow::Result<Model> {
        let table: toml::Table = toml::from_str(text)?;
        match table.get("full") {
            Some(toml::Value::Table(full)) if table.len() == 1 => {
                let file: File = full.clone().try_into()?;
                Model::from_file(file)
            }
            _ => Model::from_toml(text),
        }
    }

    fn from_file(file: File) -> anyhow::Result<Model> {
        let full = match file.full {
            Some(f) => Some(Box::new(
                Model::from_file(*f).map_err(|e| anyhow::anyhow!("[full]: {e}"))?,
            )),
            None => None,
        };
        let pick = |map: &BTreeMap<String, f64>, list: &[Feature], what: &str| {
            if let Some(extra) = map
                .keys()
                .find(|k| k.as_str() != "intercept" && !list.iter().any(|(n, _)| n == k))
            {
                anyhow::bail!("model: [{what}] has no feature {extra:?}");
            }
            list.iter()
                .map(|(name, _)| {
                    map.get(*name).copied().ok_or_else(|| {
                        anyhow::anyhow!("model: [{what}] lacks a weight for {name:?}")
                    })
                })
                .collect::<anyhow::Result<Vec<f64>>>()
        };
        let rank = pick(&file.rank, RANK_FEATURES, "rank")?;
        let mut confidence = vec![*file
            .confidence
            .get("intercept")
            .ok_or_else(|| anyhow::anyhow!("model: [confidence] lacks the intercept"))?];
        confidence.extend(pick(&file.confidence, CONF_FEATURES, "confidence")?);
        Ok(Model {
            rank,
            confidence,
            auto: file.auto,
            review: file.review,
            min_entry_cov: file.min_entry_cov,
            min_question_cov: file.min_question_cov,
            full,
        })
    }

    /// The model as `model.toml` text (what `vouch eval --fit` prints).
    pub fn to_toml(&self) -> String {
        toml::to_string(&self.to_file()).unwrap_or_default()
    }

    /// The model as the `[full]` section of `model.toml` (what `vouch eval
    /// --fit --model DIR` prints).
    pub fn to_toml_full(&self) -> String {
        #[derive(Serialize)]
        struct Section {
            full: File,
        }
        let mut file = self.to_file();
        file.full = None;
        toml::to_string(&Section { full: file }).unwrap_or_default()
    }

    fn to_file(&self) -> File {
        let round = |x: f64| (x * 1000.0).round() / 1000.0;
        let named = |list: &[Feature], w: &[f64]| -> BTreeMap<String, f64> {
            list.iter()
                .zip(w)
                .map(|((n, _), w)| ((*n).to_string(), round(*w)))
                .collect()
        };
        let mut confidence = named(CONF_FEATURES, &self.confidence[1..]);
        confidence.insert("intercept".into(), round(self.confidence[0]));
        File {
            auto: round(self.auto),
            review: round(self.review),
            min_entry_cov: round(self.min_entry_cov),
            min_question_cov: round(self.min_question_cov),
            rank: named(RANK_FEATURES, &self.rank),
            confidence,
            full: self.full.as_ref().map(|m| Box::new(m.to_file())),
        }
    }

    pub fn rank_score(&self, f: &Features) -> f64 {
        RANK_FEATURES
            .iter()
            .zip(&self.rank)
            .map(|((_, get), w)| w * get(f))
            .sum()
    }

    pub fn confidence(&self, f: &Features) -> f64 {
        let z = self.confidence[0]
            + CONF_FEATURES
                .iter()
                .zip(&self.confidence[1..])
                .map(|((_, get), w)| w * get(f))
                .sum::<f64>();
        super::fit::sigmoid(z)
    }
}

/// The inputs of a feature list for one candidate.
pub fn vector(list: &[Feature], f: &Features) -> Vec<f64> {
    list.iter().map(|(_, get)| get(f)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_model_loads_and_round_trips() {
        let m = Model::shipped();
        assert_eq!(m.rank.len(), RANK_FEATURES.len());
        assert_eq!(m.confidence.len(), CONF_FEATURES.len() + 1);
        assert!(m.review < m.auto && m.auto <= 1.0);
        let again = Model::from_toml(&m.to_toml()).unwrap();
        assert_eq!(&again, m);
    }

    #[test]
    fn a_model_missing_a_feature_does_not_load() {
        let text = Model::shipped().to_toml().replace("dice =", "dicey =");
        let err = Model::from_toml(&text).unwrap_err().to_string();
        assert!(err.contains("dice"), "{err}");
    }
}
