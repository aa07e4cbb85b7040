//! Matcher benchmark: a synthetic 10,000-entry library and 5,000 questions,
//! built deterministically from the dev set's vocabulary recombined with
//! random words; the index build and the matching use all cores, as `vouch
//! answer` does.
//! Prints wall time, peak RSS (VmHWM) and a digest of the results, and writes the data to
//! `target/bench-data/{library,questions}.csv` for `benches/baseline_rapidfuzz.py`.
//!
//! Run: `cargo bench --bench matcher` (the default mode: lexical matching
//! plus the static embedding table); `VOUCH_BENCH_LEXICAL=1 cargo bench
//! --bench matcher` times the lexical matcher alone, for comparison.

/// The allocator of the `vouch` binary (src/main.rs), so that the bench
/// times what the command does.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::Path;
use std::time::Instant;

use vouch::library::Library;

mod synth;
use synth::{seeds, sentence, Rng};
use vouch::matcher::{Embedder, MatchConfig, Matcher, Thesaurus};

const ENTRIES: usize = 10_000;
const QUESTIONS: usize = 5_000;

fn main() {
    let started = Instant::now();
    let seeds = seeds();
    let mut rng = Rng(42);
    let lib = synth::library(&mut rng, &seeds, ENTRIES);
    let questions: Vec<String> = (0..QUESTIONS).map(|_| sentence(&mut rng, &seeds)).collect();
    write_data(&lib, &questions);
    let synth_ms = started.elapsed().as_secs_f64() * 1000.0;

    let t0 = Instant::now();
    let thesaurus = Thesaurus::builtin();
    let embedder = if std::env::var_os("VOUCH_BENCH_LEXICAL").is_some() {
        Embedder::None
    } else {
        Embedder::Static
    };
    let matcher = Matcher::with_embedder(
        &lib,
        &thesaurus,
        MatchConfig::new(chrono::Local::now().date_naive()),
        embedder,
    )
    .expect("the static table needs no files");
    let index_ms = t0.elapsed().as_secs_f64() * 1000.0;
    let t1 = Instant::now();
    // One run, as `vouch answer` matches a questionnaire (the run-level
    // hub check included).
    let texts: Vec<&str> = questions.iter().map(String::as_str).collect();
    let matches = matcher.answer_all(&texts);
    let match_ms = t1.elapsed().as_secs_f64() * 1000.0;
    let answered = matches.iter().filter(|m| m.entry.is_some()).count();
    println!(
        "vouch matcher, {} mode: {ENTRIES} entries x {QUESTIONS} questions",
        matcher.mode()
    );
    println!("  synthesis + CSV writing: {synth_ms:.0} ms (not part of matching)");
    println!("  index build:  {index_ms:.0} ms");
    println!(
        "  matching:     {match_ms:.0} ms ({:.0} questions/s, {answered} answered)",
        QUESTIONS as f64 / (match_ms / 1000.0)
    );
    println!(
        "  index + matching wall time: {:.3} s",
        (index_ms + match_ms) / 1000.0
    );
    println!(
        "  whole process wall time:    {:.3} s",
        started.elapsed().as_secs_f64()
    );
    println!(
        "  peak RSS (VmHWM): {}",
        peak_rss().unwrap_or_else(|| "unknown".into())
    );
    println!("  results digest: {:016x}", digest(&matches));
}

/// A hash of every match (entry, tier, confidence, answer, reasons): a speed
/// change must leave it as it was.
fn digest(matches: &[vouch::matcher::Match]) -> u64 {
    use std::hash::{Hash, Hasher};
    let json = serde_json::to_string(matches).expect("matches serialise");
    let mut h = std::hash::DefaultHasher::new();
    json.hash(&mut h);
    h.finish()
}

fn write_data(lib: &Library, questions: &[String]) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    if std::fs::create_dir_all(&dir).is_err() {
        return;
    }
    if let Ok(mut w) = csv::Writer::from_path(dir.join("library.csv")) {
        let _ = w.write_record(["id", "question", "answer", "comment", "controls"]);
        for e in &lib.entries {
            let _ = w.write_record([&e.id, &e.question, &e.answer, &e.comment, "CC6.1"]);
        }
    }
    if let Ok(mut w) = csv::Writer::from_path(dir.join("questions.csv")) {
        let _ = w.write_record(["qid", "question"]);
        for (i, q) in questions.iter().enumerate() {
            let _ = w.write_record([format!("B{i:05}").as_str(), q]);
        }
    }
}

fn peak_rss() -> Option<String> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .map(|l| l.trim_start_matches("VmHWM:").trim().to_string())
}
