//! Full mode through the matcher, timed: a 300-question questionnaire
//! against a 1,000-entry library (the matcher bench's synthetic texts), with
//! the library's vectors not yet cached (cold), then cached (warm).
//!
//! Run: `VOUCH_MODEL=DIR cargo run --release --example full_mode_timing`
//! (each pass prints its wall time and the process's CPU time, all threads).

use std::time::Instant;

use vouch::embed::transformer::{model_dir, NO_MODEL};
use vouch::embed::Transformer;

#[path = "../benches/synth/mod.rs"]
mod synth;
use synth::{seeds, sentence, Rng};
use vouch::matcher::{Embedder, MatchConfig, Matcher, Thesaurus};

const ENTRIES: usize = 1_000;
const QUESTIONS: usize = 300;

fn main() {
    let Some(dir) = model_dir(None) else {
        eprintln!("{NO_MODEL}");
        std::process::exit(2);
    };
    let seeds = seeds();
    let mut rng = Rng(42);
    let lib = synth::library(&mut rng, &seeds, ENTRIES);
    let questions: Vec<String> = (0..QUESTIONS).map(|_| sentence(&mut rng, &seeds)).collect();
    let texts: Vec<&str> = questions.iter().map(String::as_str).collect();
    let thesaurus = Thesaurus::builtin();
    let cache = tempfile::tempdir().expect("temp dir");
    println!(
        "full mode: {ENTRIES} entries x {QUESTIONS} questions (model load, library, matching)"
    );
    for pass in ["cold cache", "warm cache"] {
        let cpu_before = cpu_seconds();
        let started = Instant::now();
        let model = Transformer::load(&dir)
            .expect("the model loads")
            .with_cache_dir(Some(cache.path().to_path_buf()));
        let load = started.elapsed().as_secs_f64();
        let cfg = MatchConfig::new(chrono::Local::now().date_naive());
        let matcher = Matcher::with_embedder(&lib, &thesaurus, cfg, Embedder::Full(&model))
            .expect("the library embeds");
        let built = started.elapsed().as_secs_f64();
        let answered = matcher
            .answer_all(&texts)
            .iter()
            .filter(|m| m.entry.is_some())
            .count();
        let total = started.elapsed().as_secs_f64();
        let cpu = cpu_seconds() - cpu_before;
        println!(
            "  {pass}: load {load:.2} s, library {:.2} s, {QUESTIONS} questions {:.2} s ({answered} answered); total {total:.2} s, CPU {cpu:.2} s",
            built - load,
            total - built
        );
    }
}

/// User + system CPU time of this process so far, all threads: on a shared
/// machine the wall time depends on the load, the CPU time much less.
fn cpu_seconds() -> f64 {
    // SAFETY: getrusage only writes the struct it is given.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    };
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    secs(usage.ru_utime) + secs(usage.ru_stime)
}
