//! `vouch library stats [--json]`: entries per status, topic, answer, owner
//! and visibility, and how old the review dates are; one line per owner
//! with drafts, stale entries and the next review due.

use anyhow::Result;
use serde_json::json;

use super::LibraryArg;
use crate::cli::Global;
use crate::library::{self, stats};
use crate::util::{print_json, today, EXIT_OK};

/// Counts per topic, answer, owner and status; age of review dates.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub library: LibraryArg,
}

pub fn run(args: &Args, global: &Global) -> Result<u8> {
    let path = args.library.path(global);
    let (lib, _) = library::load(&path)?;
    let today = today();
    let s = stats::stats(&lib, today);
    let owners = stats::owners(&lib, today);
    if args.json {
        print_json(&json!({"summary": s, "rows": owners}))?;
        return Ok(EXIT_OK);
    }
    println!(
        "{} entries, {} variants, {} draft variants",
        s.entries, s.variants, s.draft_variants
    );
    for (title, counts) in [
        ("status", &s.by_status),
        ("answer", &s.by_answer),
        ("visibility", &s.by_visibility),
        ("topic", &s.by_topic),
    ] {
        let parts: Vec<String> = counts.iter().map(|(k, v)| format!("{k} {v}")).collect();
        println!("{title:<11} {}", parts.join(", "));
    }
    let a = &s.review_age;
    println!(
        "reviewed    <90 days {}, 90-179 {}, 180-364 {}, >=365 {}, never {}; stale {}",
        a.under_90_days,
        a.from_90_to_179_days,
        a.from_180_to_364_days,
        a.a_year_or_more,
        a.never_reviewed,
        a.stale
    );
    if let (Some(old), Some(new)) = (a.oldest, a.newest) {
        println!(
            "            oldest {old}, newest {new}, median age {} days",
            a.median_age_days.unwrap_or(0)
        );
    }
    println!();
    println!(
        "{:<24} {:>7} {:>6} {:>6} {:>6} {:>8}  {:<10}  next due",
        "owner", "entries", "drafts", "never", "stale", "due 30d", "oldest"
    );
    for o in &owners {
        println!(
            "{:<24} {:>7} {:>6} {:>6} {:>6} {:>8}  {:<10}  {}",
            o.owner,
            o.entries,
            o.drafts,
            o.never_reviewed,
            o.stale,
            o.due_within_30_days,
            o.oldest_review.map(|d| d.to_string()).unwrap_or("-".into()),
            o.next_due.map(|d| d.to_string()).unwrap_or("-".into())
        );
    }
    Ok(EXIT_OK)
}
