//! What the embeddings add to the lexical matcher, on an eval set laid out
//! like `../shared/eval/dev` (library.csv + questions.csv with gold_id).
//!
//! ```sh
//! cargo run --release --example embed_eval -- DEV_DIR [--report VAL_DIR] [--model DIR] [--folds 5] [--no-thesaurus]
//! ```
//!
//! For the static table (and the transformer with `--model`) it prints, on
//! answerable rows: embedding-only top-1; recall@10 of the matcher's top-10
//! versus the union with the embedding top-10; a fused ranking
//! (`matcher score + w × cosine` over that union) with `w` chosen by k-fold
//! cross-validation on DEV_DIR (out-of-fold figures); and how often the
//! lexical and embedding top-1 are right when they agree. `--report` scores
//! another set with `w` fitted on all of DEV_DIR: report only, nothing is
//! chosen there.

use std::path::{Path, PathBuf};

use vouch::embed::{StaticEmbedder, Transformer, Vector, VectorIndex};
use vouch::library::{self, Library};
use vouch::matcher::eval::{read_questions, Question};
use vouch::matcher::{MatchConfig, Matcher, Thesaurus};

const DEPTH: usize = 10;
/// Lexical candidates scored for the fused ranking.
const LEXICAL_POOL: usize = 30;
const WEIGHTS: [f64; 16] = [
    0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0, 1.25, 1.5, 2.0, 2.5, 3.0, 4.0, 6.0,
];

/// One question's candidates: entry, lexical score (None = not retrieved), cosine.
struct Row {
    gold: Option<usize>,
    kind: String,
    lexical: Vec<(usize, f64)>,
    embedding: Vec<(usize, f64)>,
    union: Vec<(usize, Option<f64>, f64)>,
}

struct Set {
    lib: Library,
    questions: Vec<Question>,
}

fn load(dir: &Path) -> anyhow::Result<Set> {
    let (lib, _) = library::load(&dir.join("library.csv"))?;
    let questions = read_questions(&dir.join("questions.csv"))?;
    Ok(Set { lib, questions })
}

trait Embedder {
    fn name(&self) -> String;
    fn library(&self, lib: &Library) -> Vec<Vector>;
    fn questions(&self, qs: &[&str]) -> Vec<Vector>;
}

struct Static {
    question_parts: bool,
}

impl Embedder for Static {
    fn name(&self) -> String {
        format!(
            "static table (question weighting {})",
            if self.question_parts { "on" } else { "off" }
        )
    }
    fn library(&self, lib: &Library) -> Vec<Vector> {
        let texts: Vec<&str> = lib.entries.iter().map(|e| e.question.as_str()).collect();
        StaticEmbedder::get().embed_batch(&texts)
    }
    fn questions(&self, qs: &[&str]) -> Vec<Vector> {
        if self.question_parts {
            StaticEmbedder::get().embed_questions(qs)
        } else {
            StaticEmbedder::get().embed_batch(qs)
        }
    }
}

struct Full(Transformer);

impl Embedder for Full {
    fn name(&self) -> String {
        "transformer (full mode)".into()
    }
    fn library(&self, lib: &Library) -> Vec<Vector> {
        let texts: Vec<&str> = lib.entries.iter().map(|e| e.question.as_str()).collect();
        self.0.embed_batch(&texts).expect("embedding the library")
    }
    fn questions(&self, qs: &[&str]) -> Vec<Vector> {
        self.0.embed_uncached(qs).expect("embedding the questions")
    }
}

fn rows(set: &Set, embedder: &dyn Embedder, no_thesaurus: bool) -> Vec<Row> {
    // The ablation: the built-in thesaurus holds phrases of single dev
    // questions (issue 9), so fusion weights fitted on dev with it are
    // fitted to a lexical ranker that has memorised dev.
    let thesaurus = if no_thesaurus {
        Thesaurus::default()
    } else {
        Thesaurus::builtin()
    };
    let matcher = Matcher::new(
        &set.lib,
        &thesaurus,
        MatchConfig::new(chrono::Local::now().date_naive()),
    );
    let lib_vectors = embedder.library(&set.lib);
    let index = VectorIndex::build(&lib_vectors);
    let texts: Vec<&str> = set.questions.iter().map(|q| q.question.as_str()).collect();
    let q_vectors = embedder.questions(&texts);
    let hits = index.top_k_batch(&q_vectors, DEPTH, |_| true);
    set.questions
        .iter()
        .zip(q_vectors.iter().zip(hits))
        .map(|(q, (qv, hits))| {
            let lexical: Vec<(usize, f64)> = matcher
                .search(&q.question, LEXICAL_POOL)
                .into_iter()
                .map(|c| (c.entry, c.score))
                .collect();
            let embedding: Vec<(usize, f64)> =
                hits.iter().map(|h| (h.entry, f64::from(h.score))).collect();
            let mut union: Vec<(usize, Option<f64>, f64)> = Vec::new();
            for &(e, _) in lexical.iter().take(DEPTH).chain(embedding.iter()) {
                if union.iter().all(|u| u.0 != e) {
                    let lex = lexical.iter().find(|l| l.0 == e).map(|l| l.1);
                    union.push((e, lex, f64::from(qv.dot(&lib_vectors[e]))));
                }
            }
            Row {
                gold: set
                    .lib
                    .position(&q.gold_id)
                    .filter(|_| !q.gold_id.is_empty()),
                kind: q.kind.clone(),
                lexical,
                embedding,
                union,
            }
        })
        .collect()
}

/// The fused top-1: matcher score (0 when the matcher did not retrieve the
/// entry) plus `w` × cosine.
fn fused_top(row: &Row, w: f64) -> Option<usize> {
    row.union
        .iter()
        .map(|&(e, lex, cos)| (e, lex.unwrap_or(0.0) + w * cos))
        .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
        .map(|p| p.0)
}

fn accuracy(rows: &[&Row], pick: impl Fn(&Row) -> Option<usize>) -> f64 {
    let answerable: Vec<&&Row> = rows.iter().filter(|r| r.gold.is_some()).collect();
    let right = answerable.iter().filter(|r| pick(r) == r.gold).count();
    right as f64 / answerable.len().max(1) as f64
}

fn best_weight(rows: &[&Row]) -> f64 {
    let mut best = (f64::MIN, 0.0);
    for &w in &WEIGHTS {
        let acc = accuracy(rows, |r| fused_top(r, w));
        if acc > best.0 + 1e-12 {
            best = (acc, w);
        }
    }
    best.1
}

struct Figures {
    lexical_top1: f64,
    embedding_top1: f64,
    recall_lexical: f64,
    recall_union: f64,
    fused_top1: f64,
    paraphrase: (f64, f64),
    agree_rate: f64,
    agree_right: f64,
    agree_right_all: f64,
}

fn figures(rows: &[Row], fused: &[Option<usize>]) -> Figures {
    let all: Vec<&Row> = rows.iter().collect();
    let answerable: Vec<&Row> = rows.iter().filter(|r| r.gold.is_some()).collect();
    let n = answerable.len().max(1) as f64;
    let recall = |f: &dyn Fn(&Row) -> bool| answerable.iter().filter(|r| f(r)).count() as f64 / n;
    let fused_right = rows
        .iter()
        .zip(fused)
        .filter(|(r, pick)| r.gold.is_some() && **pick == r.gold)
        .count() as f64
        / n;
    let para: Vec<usize> = (0..rows.len())
        .filter(|&i| rows[i].gold.is_some() && rows[i].kind == "paraphrase")
        .collect();
    let share = |f: &dyn Fn(usize) -> bool| {
        para.iter().filter(|&&i| f(i)).count() as f64 / para.len().max(1) as f64
    };
    let agree: Vec<&Row> = all
        .iter()
        .copied()
        .filter(|r| {
            r.lexical.first().map(|l| l.0).is_some()
                && r.lexical.first().map(|l| l.0) == r.embedding.first().map(|e| e.0)
        })
        .collect();
    let agree_answerable = agree.iter().filter(|r| r.gold.is_some()).count();
    let agree_right = agree
        .iter()
        .filter(|r| r.gold.is_some() && r.gold == r.lexical.first().map(|l| l.0))
        .count();
    Figures {
        lexical_top1: accuracy(&all, |r| r.lexical.first().map(|l| l.0)),
        embedding_top1: accuracy(&all, |r| r.embedding.first().map(|e| e.0)),
        recall_lexical: recall(&|r| r.lexical.iter().take(DEPTH).any(|l| Some(l.0) == r.gold)),
        recall_union: recall(&|r| r.union.iter().any(|u| Some(u.0) == r.gold)),
        fused_top1: fused_right,
        paraphrase: (
            share(&|i| rows[i].lexical.first().map(|l| l.0) == rows[i].gold),
            share(&|i| fused[i] == rows[i].gold),
        ),
        agree_rate: agree.len() as f64 / all.len().max(1) as f64,
        agree_right: agree_right as f64 / agree_answerable.max(1) as f64,
        agree_right_all: agree_right as f64 / agree.len().max(1) as f64,
    }
}

fn print(label: &str, f: &Figures) {
    println!("  {label}");
    println!(
        "    lexical top-1 (matcher search):      {:.3}",
        f.lexical_top1
    );
    println!(
        "    embedding-only top-1:                {:.3}",
        f.embedding_top1
    );
    println!(
        "    recall@10 lexical:                   {:.3}",
        f.recall_lexical
    );
    println!(
        "    recall union(lexical10, embed10):    {:.3}",
        f.recall_union
    );
    println!(
        "    fused top-1:                         {:.3}",
        f.fused_top1
    );
    println!(
        "    paraphrase top-1 lexical -> fused:   {:.3} -> {:.3}",
        f.paraphrase.0, f.paraphrase.1
    );
    println!(
        "    lexical and embedding top-1 agree on {:.1}% of rows; then right {:.3} of answerable, {:.3} of all (gold-empty rows count as wrong)",
        100.0 * f.agree_rate,
        f.agree_right,
        f.agree_right_all
    );
}

fn evaluate(
    embedder: &dyn Embedder,
    dev: &Set,
    report: Option<&Set>,
    folds: usize,
    no_thesaurus: bool,
) {
    println!(
        "{}{}",
        embedder.name(),
        if no_thesaurus {
            ", lexical side WITHOUT the built-in thesaurus"
        } else {
            ""
        }
    );
    let dev_rows = rows(dev, embedder, no_thesaurus);
    // k-fold: choose w on k-1 folds, score the held-out fold.
    let mut oof_pick: Vec<Option<usize>> = vec![None; dev_rows.len()];
    let mut chosen = Vec::new();
    for fold in 0..folds {
        let train: Vec<&Row> = dev_rows
            .iter()
            .enumerate()
            .filter(|(i, _)| i % folds != fold)
            .map(|p| p.1)
            .collect();
        let w = best_weight(&train);
        chosen.push(w);
        for (i, r) in dev_rows
            .iter()
            .enumerate()
            .filter(|(i, _)| i % folds == fold)
        {
            oof_pick[i] = fused_top(r, w);
        }
    }
    println!("  weights chosen per fold: {chosen:?}");
    let all: Vec<&Row> = dev_rows.iter().collect();
    let curve: Vec<String> = WEIGHTS
        .iter()
        .map(|&w| format!("{w}:{:.3}", accuracy(&all, |r| fused_top(r, w))))
        .collect();
    println!(
        "  dev curve, fused top-1 by w (all rows, in-sample): {}",
        curve.join(" ")
    );
    let dev_figures = figures(&dev_rows, &oof_pick);
    print(
        &format!("dev ({folds}-fold CV, fused figures out-of-fold)"),
        &dev_figures,
    );
    if let Some(set) = report {
        let all: Vec<&Row> = dev_rows.iter().collect();
        let w = best_weight(&all);
        let rows = rows(set, embedder, no_thesaurus);
        let picks: Vec<Option<usize>> = rows.iter().map(|r| fused_top(r, w)).collect();
        let f = figures(&rows, &picks);
        print(
            &format!("report-only set (w = {w} fitted on all of dev)"),
            &f,
        );
    }
}

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let mut dev = None;
    let mut report = None;
    let mut model = None;
    let mut folds = 5;
    let mut no_thesaurus = false;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--report" => report = args.next().map(PathBuf::from),
            "--model" => model = args.next().map(PathBuf::from),
            "--no-thesaurus" => no_thesaurus = true,
            "--folds" => folds = args.next().and_then(|v| v.parse().ok()).unwrap_or(5),
            _ => dev = Some(PathBuf::from(a)),
        }
    }
    let dev = load(&dev.ok_or_else(|| {
        anyhow::anyhow!("usage: embed_eval DEV_DIR [--report DIR] [--model DIR]")
    })?)?;
    let report = report.map(|d| load(&d)).transpose()?;
    for question_parts in [false, true] {
        evaluate(
            &Static { question_parts },
            &dev,
            report.as_ref(),
            folds,
            no_thesaurus,
        );
    }
    match vouch::embed::transformer::model_dir(model.as_deref()) {
        Some(dir) => {
            let t = std::time::Instant::now();
            let full = Full(Transformer::load(&dir)?);
            evaluate(&full, &dev, report.as_ref(), folds, no_thesaurus);
            println!("  (full mode total {:.1} s)", t.elapsed().as_secs_f64());
        }
        None => println!("{}", vouch::embed::transformer::NO_MODEL),
    }
    Ok(())
}
