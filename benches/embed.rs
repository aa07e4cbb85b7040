//! Embedding benchmark, on the same synthetic data as `benches/matcher.rs`
//! (10,000 library entries and 5,000 questions recombined from the dev set's
//! wording), so the figures say what the static table adds to that run:
//!
//! - loading the embedded table;
//! - embedding the 15,000 texts (two threads, and one);
//! - indexing the 10,000 entry vectors and finding each question's top 10
//!   (two threads, and one);
//! - with `VOUCH_MODEL` set, full mode: a 300-question questionnaire against
//!   a 1,000-entry library with a cold cache, then warm.
//!
//! Run: `cargo bench --bench embed`

use std::path::Path;
use std::time::Instant;

use vouch::embed::{StaticEmbedder, Transformer, VectorIndex};

mod synth;
use synth::{seeds, sentence, Rng};

const ENTRIES: usize = 10_000;
const QUESTIONS: usize = 5_000;

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

/// CPU time (user + system, all threads) used by the process so far, in ms:
/// on a shared machine, wall time also counts other people's builds.
fn cpu_ms() -> f64 {
    // SAFETY: getrusage only writes the struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    let tv = |t: libc::timeval| t.tv_sec as f64 * 1000.0 + t.tv_usec as f64 / 1000.0;
    tv(usage.ru_utime) + tv(usage.ru_stime)
}

/// Wall and CPU time of `f`.
fn timed<R>(f: impl FnOnce() -> R) -> (R, f64, f64) {
    let (t, c) = (Instant::now(), cpu_ms());
    let r = f();
    (r, ms(t), cpu_ms() - c)
}

fn main() {
    let seeds = seeds();
    assert!(!seeds.is_empty(), "the dev set fixture is missing");
    let mut rng = Rng(42);
    // The same draw order as the matcher bench: question, then comment, per entry.
    let mut entries = Vec::with_capacity(ENTRIES);
    for _ in 0..ENTRIES {
        let question = sentence(&mut rng, &seeds);
        rng.below(3);
        let _comment = sentence(&mut rng, &seeds);
        entries.push(question);
    }
    let questions: Vec<String> = (0..QUESTIONS).map(|_| sentence(&mut rng, &seeds)).collect();
    let entry_refs: Vec<&str> = entries.iter().map(String::as_str).collect();
    let question_refs: Vec<&str> = questions.iter().map(String::as_str).collect();

    println!("vouch embeddings: {ENTRIES} entries x {QUESTIONS} questions");
    let (table, wall, cpu) = timed(StaticEmbedder::get);
    println!("  (wall ms / CPU ms, all threads)");
    println!(
        "  table load ({} dims):                    {wall:7.1} / {cpu:7.1}",
        table.dims()
    );
    let ((entry_vecs, question_vecs), embed_ms, embed_cpu) = timed(|| {
        (
            table.embed_batch(&entry_refs),
            table.embed_questions(&question_refs),
        )
    });
    println!("  embed 15,000 texts (2 threads):         {embed_ms:7.1} / {embed_cpu:7.1}");
    let (single, wall, cpu) = timed(|| {
        entry_refs
            .iter()
            .map(|e| table.embed(e).dims())
            .chain(question_refs.iter().map(|q| table.embed_question(q).dims()))
            .sum::<usize>()
    });
    println!("  embed 15,000 texts (1 thread):          {wall:7.1} / {cpu:7.1} ({single} values)");
    let (index, build_ms, build_cpu) = timed(|| VectorIndex::build(&entry_vecs));
    println!("  index build:                            {build_ms:7.1} / {build_cpu:7.1}");
    let (hits, search_ms, search_cpu) = timed(|| index.top_k_batch(&question_vecs, 10, |_| true));
    println!("  top-10 for 5,000 questions (2 threads): {search_ms:7.1} / {search_cpu:7.1}");
    let (one_thread, wall, cpu) = timed(|| {
        let mut out = Vec::new();
        for chunk in question_vecs.chunks(32) {
            out.extend(index.top_k_batch(chunk, 10, |_| true));
        }
        out
    });
    println!("  top-10 for 5,000 questions (1 thread):  {wall:7.1} / {cpu:7.1}");
    assert_eq!(hits, one_thread);
    // Quantisation check: the int16 top-1 against exact f32 cosines, on a sample.
    let sample = 500;
    let agree = question_vecs
        .iter()
        .zip(&hits)
        .take(sample)
        .filter(|(q, h)| {
            let exact = entry_vecs
                .iter()
                .enumerate()
                .max_by(|a, b| q.dot(a.1).total_cmp(&q.dot(b.1)))
                .map(|p| p.0);
            exact == Some(h[0].entry)
        })
        .count();
    println!("  int16 top-1 = exact f32 top-1 on {agree} of {sample} questions");
    println!(
        "  added to the matcher run (embed + index + search): {:.3} s wall, {:.3} s CPU",
        (embed_ms + build_ms + search_ms) / 1000.0,
        (embed_cpu + build_cpu + search_cpu) / 1000.0
    );

    match vouch::embed::transformer::model_dir(None) {
        Some(dir) => full_mode(&dir, &entries[..1_000], &questions[..300]),
        None => println!(
            "  full mode: skipped ({})",
            vouch::embed::transformer::NO_MODEL
        ),
    }
}

fn full_mode(dir: &Path, entries: &[String], questions: &[String]) {
    let cache = tempfile::tempdir().expect("temp dir");
    let entry_refs: Vec<&str> = entries.iter().map(String::as_str).collect();
    let question_refs: Vec<&str> = questions.iter().map(String::as_str).collect();
    let load = || {
        Transformer::load(dir)
            .expect("model loads")
            .with_cache_dir(Some(cache.path().to_path_buf()))
    };
    let (model, load_ms, load_cpu) = timed(load);
    let (lib, lib_ms, lib_cpu) = timed(|| model.embed_batch(&entry_refs).expect("library"));
    let (hits, q_ms, q_cpu) = timed(|| {
        let qs = model.embed_uncached(&question_refs).expect("questions");
        VectorIndex::build(&lib).top_k_batch(&qs, 10, |_| true)
    });
    println!(
        "  full mode, {} entries x {} questions (wall ms / CPU ms):",
        entries.len(),
        questions.len()
    );
    println!("    model load:                 {load_ms:8.0} / {load_cpu:8.0}");
    println!("    library, cold cache:        {lib_ms:8.0} / {lib_cpu:8.0}");
    println!(
        "    questions + search:         {q_ms:8.0} / {q_cpu:8.0} ({} answered)",
        hits.len()
    );
    println!(
        "    total, cold cache:          {:8.2} s / {:.2} s CPU",
        (load_ms + lib_ms + q_ms) / 1000.0,
        (load_cpu + lib_cpu + q_cpu) / 1000.0
    );
    let ((), wall, cpu) = timed(|| {
        let again = load().embed_batch(&entry_refs).expect("library");
        assert_eq!(again, lib);
    });
    println!("    model load + library, warm: {wall:8.0} / {cpu:8.0}");
}
