//! The synthetic questionnaire data shared by `benches/matcher.rs`,
//! `benches/embed.rs` and `examples/full_mode_timing.rs`: the dev set's
//! wording recombined with random words, deterministically (SplitMix64), so
//! every timing is taken on the same texts.

use std::path::{Path, PathBuf};

use vouch::library;

/// A small deterministic generator (SplitMix64).
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    pub fn word(&mut self) -> String {
        let len = 4 + self.below(6);
        (0..len)
            .map(|_| (b'a' + self.below(26) as u8) as char)
            .collect()
    }
}

/// The in-repo copy of the dev set.
pub fn dev_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/shared/eval/dev")
}

/// The words of the dev library's and questions' texts (the vocabulary
/// source), one list per text of at least two words.
pub fn seeds() -> Vec<Vec<String>> {
    let mut texts = Vec::new();
    if let Ok((lib, _)) = library::load(&dev_dir().join("library.csv")) {
        texts.extend(lib.entries.into_iter().map(|e| e.question));
    }
    if let Ok(qs) = vouch::matcher::eval::read_questions(&dev_dir().join("questions.csv")) {
        texts.extend(qs.into_iter().map(|q| q.question));
    }
    if texts.is_empty() {
        texts.push("Is customer data encrypted at rest and in transit with strong keys?".into());
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

/// A sentence mixing the words of two seed texts and a few random words.
pub fn sentence(rng: &mut Rng, seeds: &[Vec<String>]) -> String {
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

/// A synthetic library of `n` entries: a question and a comment from
/// [`sentence`], a random Yes / No / N/A answer.
#[allow(dead_code)] // benches/embed.rs needs no library
pub fn library(rng: &mut Rng, seeds: &[Vec<String>], n: usize) -> library::Library {
    let answers = ["Yes", "No", "N/A"];
    let entries = (0..n)
        .map(|i| library::Entry {
            id: format!("SYN-{i:05}"),
            question: sentence(rng, seeds),
            answer: answers[rng.below(3)].to_string(),
            comment: sentence(rng, seeds),
            criteria: vec!["CC6.1".into()],
            ..library::Entry::default()
        })
        .collect();
    library::Library { entries }
}
