//! Which thesaurus phrases fire on which corpus: the tool behind
//! docs/thesaurus-cleanup.md. A phrase that fires only on one evaluation
//! set's questions is a fragment of those questions, not domain vocabulary.
//!
//! Run: `cargo run --release --example thesaurus_audit -- NAME=FILE ...`
//! where each FILE holds one text per line (questions, entries). Prints one
//! tab-separated line per phrase: concept, phrase, then for each corpus the
//! number of its texts the phrase fires on.

use vouch::matcher::normalize::{fold, Normalizer};
use vouch::matcher::Thesaurus;

fn main() -> anyhow::Result<()> {
    let thesaurus = Thesaurus::builtin();
    let norm = Normalizer::default();
    let mut names = Vec::new();
    let mut counts: std::collections::BTreeMap<(String, String), Vec<usize>> = thesaurus
        .phrases()
        .into_iter()
        .map(|(c, p)| ((c.to_string(), p.to_string()), Vec::new()))
        .collect();
    let corpora: Vec<String> = std::env::args().skip(1).collect();
    for (k, arg) in corpora.iter().enumerate() {
        let (name, path) = arg
            .split_once('=')
            .ok_or_else(|| anyhow::anyhow!("expected NAME=FILE, got {arg}"))?;
        names.push(name.to_string());
        for v in counts.values_mut() {
            v.push(0);
        }
        let text = std::fs::read_to_string(path)?;
        for line in text.lines() {
            let mut seen = std::collections::BTreeSet::new();
            for (c, p) in thesaurus.find_phrases(&norm.tokens(&fold(line))) {
                seen.insert((c.to_string(), p.to_string()));
            }
            for key in seen {
                if let Some(v) = counts.get_mut(&key) {
                    v[k] += 1;
                }
            }
        }
    }
    println!("concept\tphrase\t{}", names.join("\t"));
    for ((c, p), v) in counts {
        let v: Vec<String> = v.iter().map(ToString::to_string).collect();
        println!("{c}\t{p}\t{}", v.join("\t"));
    }
    Ok(())
}
