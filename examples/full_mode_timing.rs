//! Full mode through the matcher, timed: a 300-question questionnaire
//! against a 1,000-entry library (the matcher bench's synthetic texts), with
//! the library's vectors not yet cached (cold), then cached (warm).
//!
//! Run: `VOUCH_MODEL=DIR cargo run --release --example full_mode_timing`

use std::path::Path;
use std::time::Instant;

use vouch::embed::transformer::{model_dir, NO_MODEL};
use vouch::embed::Transformer;
use vouch::library::{self, Entry, Library};
use vouch::matcher::{Embedder, MatchConfig, Matcher, Thesaurus};

const ENTRIES: usize = 1_000;
const QUESTIONS: usize = 300;

/// SplitMix64, as in `benches/matcher.rs`.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn word(&mut self) -> String {
        let len = 4 + self.below(6);
        (0..len)
            .map(|_| (b'a' + self.below(26) as u8) as char)
            .collect()
    }
}

fn seeds() -> Vec<Vec<String>> {
    let dev = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/shared/eval/dev");
    let mut texts = Vec::new();
    if let Ok((lib, _)) = library::load(&dev.join("library.csv")) {
        texts.extend(lib.entries.into_iter().map(|e| e.question));
    }
    if let Ok(qs) = vouch::matcher::eval::read_questions(&dev.join("questions.csv")) {
        texts.extend(qs.into_iter().map(|q| q.question));
    }
    texts
        .iter()
        .map(|t| {
            t.trim_end_matches('?')
                .split_whitespace()
                .map(str::to_string)
                .collect()
        })
        .filter(|w: &Vec<String>| w.len() >= 2)
        .collect()
}

fn sentence(rng: &mut Rng, seeds: &[Vec<String>]) -> String {
    let a = &seeds[rng.below(seeds.len())];
    let b = &seeds[rng.below(seeds.len())];
    let mut words: Vec<String> = Vec::new();
    let cut = a.len() / 2 + rng.below(a.len() / 2 + 1);
    words.extend(a[..cut.min(a.len())].iter().cloned());
    words.extend(b[b.len() / 2..].iter().cloned());
    for _ in 0..1 + rng.below(3) {
        let at = rng.below(words.len() + 1);
        words.insert(at, rng.word());
    }
    let mut s = words.join(" ");
    s.push('?');
    s
}

fn main() {
    let Some(dir) = model_dir(None) else {
        eprintln!("{NO_MODEL}");
        std::process::exit(2);
    };
    let seeds = seeds();
    let mut rng = Rng(42);
    let answers = ["Yes", "No", "N/A"];
    let lib = Library {
        entries: (0..ENTRIES)
            .map(|i| Entry {
                id: format!("SYN-{i:05}"),
                question: sentence(&mut rng, &seeds),
                answer: answers[rng.below(3)].to_string(),
                comment: sentence(&mut rng, &seeds),
                criteria: vec!["CC6.1".into()],
                ..Entry::default()
            })
            .collect(),
    };
    let questions: Vec<String> = (0..QUESTIONS).map(|_| sentence(&mut rng, &seeds)).collect();
    let texts: Vec<&str> = questions.iter().map(String::as_str).collect();
    let thesaurus = Thesaurus::builtin();
    let cache = tempfile::tempdir().expect("temp dir");
    println!(
        "full mode: {ENTRIES} entries x {QUESTIONS} questions (model load, library, matching)"
    );
    for pass in ["cold cache", "warm cache"] {
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
        println!(
            "  {pass}: load {load:.2} s, library {:.2} s, {QUESTIONS} questions {:.2} s ({answered} answered); total {total:.2} s",
            built - load,
            total - built
        );
    }
}
