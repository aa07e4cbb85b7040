//! Scoring the matcher on an evaluation set laid out like `shared/eval/dev`:
//! `library.csv` + `questions.csv` (`qid, question, gold_id, gold_answer, kind`).

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

use anyhow::Context;
use serde::Serialize;

use super::{confidence, MatchConfig, Matcher, Thesaurus, Tier};
use crate::library::{self, Library};

/// Targets of `vouch eval --check`.
pub const TARGET_TOP1: f64 = 0.90;
pub const TARGET_ABSTAIN_F1: f64 = 0.70;
pub const TARGET_NEGATED: f64 = 0.80;

#[derive(Debug, Clone)]
pub struct Question {
    pub qid: String,
    pub question: String,
    pub gold_id: String,
    pub gold_answer: String,
    pub kind: String,
}

/// One scored row.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub qid: String,
    pub kind: String,
    pub gold_id: String,
    pub gold_answer: String,
    /// Top-1 id (even when abstaining) and its confidence.
    pub top_id: String,
    pub confidence: f64,
    pub tier: Tier,
    pub answer: String,
    pub flipped: bool,
    /// The confidence model's inputs for the top candidate, in the order of
    /// `confidence::vector` (for curating and refitting).
    pub features: Vec<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Ratio {
    pub hits: usize,
    pub total: usize,
    pub value: f64,
}

fn ratio(hits: usize, total: usize) -> Ratio {
    Ratio {
        hits,
        total,
        value: if total == 0 {
            0.0
        } else {
            hits as f64 / total as f64
        },
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Abstention {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub abstained: usize,
    pub recall_by_kind: BTreeMap<String, Ratio>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SweepPoint {
    pub threshold: f64,
    pub top1: f64,
    pub abstain_precision: f64,
    pub abstain_recall: f64,
    pub abstain_f1: f64,
    pub answer_accuracy: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub questions: usize,
    pub answerable: usize,
    pub review_threshold: f64,
    pub top1: Ratio,
    pub top1_by_kind: BTreeMap<String, Ratio>,
    pub abstention: Abstention,
    pub answer_accuracy: Ratio,
    pub answer_accuracy_negated: Ratio,
    pub answer_accuracy_given_correct_id: Ratio,
    pub sweep: Vec<SweepPoint>,
    pub index_ms: f64,
    pub questions_per_second: f64,
    pub targets_met: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fitted_weights: Option<Vec<f64>>,
    pub rows: Vec<Row>,
}

/// Reads `questions.csv`.
pub fn read_questions(path: &Path) -> anyhow::Result<Vec<Question>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut rdr = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let header: Vec<String> = rdr
        .headers()?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .with_context(|| format!("{}: missing column {name:?}", path.display()))
    };
    let (qid, question, gold_id, gold_answer) = (
        col("qid")?,
        col("question")?,
        col("gold_id")?,
        col("gold_answer")?,
    );
    let kind = header.iter().position(|h| h == "kind");
    let mut out = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.with_context(|| format!("{}:{}: unreadable row", path.display(), i + 2))?;
        let get = |j: usize| rec.get(j).unwrap_or("").trim().to_string();
        out.push(Question {
            qid: get(qid),
            question: get(question),
            gold_id: get(gold_id),
            gold_answer: get(gold_answer),
            kind: kind.map(get).unwrap_or_else(|| "all".into()),
        });
    }
    Ok(out)
}

/// Options of one evaluation run.
pub struct Options {
    pub review_threshold: Option<f64>,
    /// "odd" / "even": only questions whose numeric qid has that parity.
    pub half: Option<String>,
    pub fit: bool,
}

/// Runs the matcher over the set in `dir`.
pub fn run(dir: &Path, thesaurus: &Thesaurus, opts: &Options) -> anyhow::Result<Report> {
    let (lib, findings) = library::load(&dir.join("library.csv"))?;
    let lib = lib.without_drafts();
    if let Some(err) = findings
        .iter()
        .find(|f| f.severity == crate::diag::Severity::Error)
    {
        anyhow::bail!("{err}");
    }
    let mut questions = read_questions(&dir.join("questions.csv"))?;
    if let Some(half) = &opts.half {
        let want_odd = half == "odd";
        questions.retain(|q| {
            let n: u64 = q
                .qid
                .chars()
                .filter(char::is_ascii_digit)
                .collect::<String>()
                .parse()
                .unwrap_or(0);
            (n % 2 == 1) == want_odd
        });
    }
    let mut cfg = MatchConfig::new(chrono::Local::now().date_naive());
    cfg.include_internal = true;
    cfg.allow_stale = true;
    if let Some(t) = opts.review_threshold {
        cfg.review_confidence = t;
    }
    let started = Instant::now();
    let matcher = Matcher::new(&lib, thesaurus, cfg.clone());
    let index_ms = started.elapsed().as_secs_f64() * 1000.0;
    let started = Instant::now();
    let rows: Vec<Row> = questions
        .iter()
        .map(|q| score_one(&matcher, &lib, q))
        .collect();
    let secs = started.elapsed().as_secs_f64().max(1e-9);
    let fitted_weights = opts.fit.then(|| fit(&rows));
    Ok(summarize(
        rows,
        cfg.review_confidence,
        index_ms,
        questions.len() as f64 / secs,
        fitted_weights,
    ))
}

fn score_one(matcher: &Matcher, lib: &Library, q: &Question) -> Row {
    let m = matcher.answer(&q.question);
    let top = matcher.search(&q.question, 1);
    let features = top
        .first()
        .map(|c| confidence::vector(&c.features).to_vec())
        .unwrap_or_default();
    Row {
        qid: q.qid.clone(),
        kind: q.kind.clone(),
        gold_id: q.gold_id.clone(),
        gold_answer: q.gold_answer.clone(),
        top_id: m
            .closest
            .map(|i| lib.entries[i].id.clone())
            .unwrap_or_default(),
        confidence: m.confidence,
        tier: m.tier,
        answer: m.answer.unwrap_or_default(),
        flipped: m.flipped,
        features,
    }
}

fn fit(rows: &[Row]) -> Vec<f64> {
    let xs: Vec<Vec<f64>> = rows.iter().map(|r| r.features.clone()).collect();
    let ys: Vec<f64> = rows
        .iter()
        .map(|r| f64::from(u8::from(!r.gold_id.is_empty() && r.top_id == r.gold_id)))
        .collect();
    confidence::fit(&xs, &ys, 0.001)
}

/// Metrics at abstention threshold `t` (abstain when confidence < t).
fn at_threshold(rows: &[Row], t: f64) -> SweepPoint {
    let answerable = rows.iter().filter(|r| !r.gold_id.is_empty()).count();
    let empty = rows.len() - answerable;
    let abstains = |r: &Row| r.confidence < t;
    let correct = rows
        .iter()
        .filter(|r| !r.gold_id.is_empty() && !abstains(r) && r.top_id == r.gold_id)
        .count();
    let abstained = rows.iter().filter(|r| abstains(r)).count();
    let good_abstain = rows
        .iter()
        .filter(|r| abstains(r) && r.gold_id.is_empty())
        .count();
    let p = if abstained == 0 {
        0.0
    } else {
        good_abstain as f64 / abstained as f64
    };
    let rec = if empty == 0 {
        0.0
    } else {
        good_abstain as f64 / empty as f64
    };
    SweepPoint {
        threshold: t,
        top1: correct as f64 / answerable.max(1) as f64,
        abstain_precision: p,
        abstain_recall: rec,
        abstain_f1: f1(p, rec),
        answer_accuracy: f64::NAN,
    }
}

fn f1(p: f64, r: f64) -> f64 {
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

fn summarize(
    rows: Vec<Row>,
    threshold: f64,
    index_ms: f64,
    qps: f64,
    fitted_weights: Option<Vec<f64>>,
) -> Report {
    let answerable: Vec<&Row> = rows.iter().filter(|r| !r.gold_id.is_empty()).collect();
    let picked = |r: &Row| r.tier != Tier::None;
    let id_ok = |r: &Row| picked(r) && r.top_id == r.gold_id;
    let ans_ok = |r: &Row| picked(r) && r.answer.eq_ignore_ascii_case(&r.gold_answer);
    let mut by_kind: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for r in &answerable {
        let e = by_kind.entry(r.kind.clone()).or_default();
        e.1 += 1;
        if id_ok(r) {
            e.0 += 1;
        }
    }
    let empty: Vec<&Row> = rows.iter().filter(|r| r.gold_id.is_empty()).collect();
    let abstained = rows.iter().filter(|r| !picked(r)).count();
    let good = empty.iter().filter(|r| !picked(r)).count();
    let precision = if abstained == 0 {
        0.0
    } else {
        good as f64 / abstained as f64
    };
    let recall = if empty.is_empty() {
        0.0
    } else {
        good as f64 / empty.len() as f64
    };
    let mut recall_by_kind: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for r in &empty {
        let e = recall_by_kind.entry(r.kind.clone()).or_default();
        e.1 += 1;
        if !picked(r) {
            e.0 += 1;
        }
    }
    let negated: Vec<&&Row> = answerable.iter().filter(|r| r.kind == "negated").collect();
    let correct_id: Vec<&&Row> = answerable.iter().filter(|r| id_ok(r)).collect();
    let sweep = (0..=20)
        .map(|i| {
            let t = f64::from(i) * 0.05;
            let mut p = at_threshold(&rows, t);
            let acc = answerable
                .iter()
                .filter(|r| {
                    r.confidence >= t
                        && r.top_id == r.gold_id
                        && r.answer.eq_ignore_ascii_case(&r.gold_answer)
                })
                .count();
            p.answer_accuracy = acc as f64 / answerable.len().max(1) as f64;
            p
        })
        .collect();
    let top1 = ratio(correct_id.len(), answerable.len());
    let abstention = Abstention {
        precision,
        recall,
        f1: f1(precision, recall),
        abstained,
        recall_by_kind: recall_by_kind
            .into_iter()
            .map(|(k, (h, t))| (k, ratio(h, t)))
            .collect(),
    };
    let neg = ratio(negated.iter().filter(|r| ans_ok(r)).count(), negated.len());
    let targets_met = top1.value >= TARGET_TOP1
        && abstention.f1 >= TARGET_ABSTAIN_F1
        && (negated.is_empty() || neg.value >= TARGET_NEGATED);
    Report {
        questions: rows.len(),
        answerable: answerable.len(),
        review_threshold: threshold,
        top1,
        top1_by_kind: by_kind
            .into_iter()
            .map(|(k, (h, t))| (k, ratio(h, t)))
            .collect(),
        abstention,
        answer_accuracy: ratio(
            answerable.iter().filter(|r| ans_ok(r)).count(),
            answerable.len(),
        ),
        answer_accuracy_negated: neg,
        answer_accuracy_given_correct_id: ratio(
            correct_id.iter().filter(|r| ans_ok(r)).count(),
            correct_id.len(),
        ),
        sweep,
        index_ms,
        questions_per_second: qps,
        targets_met,
        fitted_weights,
        rows,
    }
}

/// The human-readable report.
pub fn print(report: &Report, errors: bool) {
    let pct = |r: &Ratio| format!("{:5.1}% ({}/{})", 100.0 * r.value, r.hits, r.total);
    println!(
        "questions: {} ({} answerable), review threshold {:.2}",
        report.questions, report.answerable, report.review_threshold
    );
    println!("top-1 accuracy (answerable):   {}", pct(&report.top1));
    for (kind, r) in &report.top1_by_kind {
        println!("  {kind:<14} {}", pct(r));
    }
    let a = &report.abstention;
    println!(
        "abstention: precision {:.3} recall {:.3} F1 {:.3} ({} abstained)",
        a.precision, a.recall, a.f1, a.abstained
    );
    for (kind, r) in &a.recall_by_kind {
        println!("  recall {kind:<14} {}", pct(r));
    }
    println!(
        "answer accuracy (end-to-end):  {}",
        pct(&report.answer_accuracy)
    );
    println!(
        "  negated:                     {}",
        pct(&report.answer_accuracy_negated)
    );
    println!(
        "  given the correct id:        {}",
        pct(&report.answer_accuracy_given_correct_id)
    );
    println!("threshold sweep (abstain below t):");
    println!("     t   top1  abst-P abst-R abst-F1 answer");
    for p in &report.sweep {
        println!(
            "  {:.2}  {:.3}  {:.3}  {:.3}  {:.3}  {:.3}",
            p.threshold,
            p.top1,
            p.abstain_precision,
            p.abstain_recall,
            p.abstain_f1,
            p.answer_accuracy
        );
    }
    println!(
        "speed: index {:.1} ms, {:.0} questions/s",
        report.index_ms, report.questions_per_second
    );
    if let Some(w) = &report.fitted_weights {
        let list: Vec<String> = w.iter().map(|x| format!("{x:.3}")).collect();
        println!("fitted confidence weights: [{}]", list.join(", "));
    }
    if errors {
        for r in &report.rows {
            let id_wrong = r.top_id != r.gold_id || (r.tier == Tier::None) != r.gold_id.is_empty();
            let ans_wrong = !r.gold_id.is_empty() && !r.answer.eq_ignore_ascii_case(&r.gold_answer);
            if id_wrong || ans_wrong {
                println!("MISS {} {:<13} gold={:<8} top={:<8} conf={:.2} tier={:?} ans={} gold_ans={} flipped={}", r.qid, r.kind, r.gold_id, r.top_id, r.confidence, r.tier, r.answer, r.gold_answer, r.flipped);
            }
        }
    }
    println!("targets (top-1 >= {TARGET_TOP1}, abstention F1 >= {TARGET_ABSTAIN_F1}, negated >= {TARGET_NEGATED}): {}", if report.targets_met { "met" } else { "NOT met" });
}
