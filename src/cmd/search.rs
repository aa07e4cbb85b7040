//! `vouch search "QUESTION" [-k 5] [--explain] [--library PATH] [--json]`:
//! the best library entries for a question, with scores and the matched
//! terms and concepts. The library defaults to `<project>/answers`.

use std::path::PathBuf;

use crate::cli::Global;
use crate::library;
use crate::matcher::{MatchConfig, Matcher};
use crate::util::{print_json, EXIT_OK};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The question text.
    #[arg(value_name = "QUESTION")]
    pub question: String,
    /// How many candidates to show.
    #[arg(short = 'k', long, default_value_t = 5)]
    pub k: usize,
    /// Show the features behind each score and the answer decision.
    #[arg(long)]
    pub explain: bool,
    /// The answer library: a directory of .toml files or a .csv file
    /// (default: <project>/answers).
    #[arg(long, value_name = "PATH")]
    pub library: Option<PathBuf>,
    /// Include internal entries.
    #[arg(long)]
    pub internal: bool,
    /// Print JSON: {"summary": {...}, "rows": [candidates], "decision": {...}}.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: &Args, global: &Global) -> anyhow::Result<u8> {
    let path = args
        .library
        .clone()
        .unwrap_or_else(|| global.project.join("answers"));
    let (lib, findings) = library::load(&path)?;
    // Drafts are not used for answers, so they are not searched either.
    let lib = lib.without_drafts();
    if !global.quiet {
        for f in findings
            .iter()
            .filter(|f| f.severity == crate::diag::Severity::Error)
        {
            eprintln!("{f}");
        }
    }
    let thesaurus = thesaurus_for(&path)?;
    let mut cfg = MatchConfig::new(chrono::Local::now().date_naive());
    cfg.include_internal = args.internal;
    let matcher = Matcher::new(&lib, &thesaurus, cfg);
    let cands = matcher.search(&args.question, args.k);
    let decision = matcher.answer(&args.question);
    if args.json {
        let out = serde_json::json!({
            "summary": {
                "question": args.question,
                "candidates": cands.len(),
                "entry": decision.entry.map(|i| &lib.entries[i].id),
                "confidence": decision.confidence,
                "tier": decision.tier,
            },
            "rows": cands,
            "decision": {
                "entry": decision.entry.map(|i| &lib.entries[i].id),
                "confidence": decision.confidence,
                "tier": decision.tier,
                "answer": decision.answer,
                "flipped": decision.flipped,
                "reasons": decision.reasons,
            },
        });
        print_json(&out)?;
        return Ok(EXIT_OK);
    }
    for (rank, c) in cands.iter().enumerate() {
        let e = &lib.entries[c.entry];
        println!(
            "{}. {}  score {:.3}  confidence {:.2}  [{}]",
            rank + 1,
            e.id,
            c.score,
            c.confidence,
            e.answer
        );
        println!("   {}", e.question);
        println!("   matched: {}", c.matched.join(", "));
        if args.explain {
            let f = &c.features;
            println!(
                "   bm25 {:.2}  cov_q {:.2}  cov_e {:.2}  dice {:.2}  concepts {:.2}  unseen {:.2}  miss {:.2}  conflict {}  margin {:.3}",
                f.bm25, f.cov_q, f.cov_e, f.dice, f.concepts, f.unseen, f.miss, f.conflict, f.margin
            );
            // The meaning signal: the question against the entry's texts and
            // against its comment.
            println!(
                "   cosine {:.2}  comment_cos {:.2}  agree {}  cos_gap {:.3}",
                f.cosine, f.comment_cos, f.agree, f.cos_gap
            );
        }
    }
    let tier = serde_json::to_value(decision.tier)?;
    println!(
        "decision: {} tier {} confidence {:.2} answer {}{}",
        decision
            .entry
            .map_or("(none)", |i| lib.entries[i].id.as_str()),
        tier.as_str().unwrap_or(""),
        decision.confidence,
        decision.answer.as_deref().unwrap_or("-"),
        if decision.flipped { " (flipped)" } else { "" }
    );
    if args.explain {
        for r in &decision.reasons {
            println!("  - {r}");
        }
    }
    Ok(EXIT_OK)
}

pub use crate::library::thesaurus_for;
