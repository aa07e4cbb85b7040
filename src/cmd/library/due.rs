//! `vouch library due [--within 30d] [--json]`: per owner, the approved
//! entries whose review falls due within the period (overdue ones first)
//! and those never reviewed.

use anyhow::Result;
use serde_json::json;

use super::LibraryArg;
use crate::cli::Global;
use crate::library::{self, stats};
use crate::util::{print_json, today, EXIT_OK};

/// What each owner must re-review soon.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The period: 30d, 6w, 3m, 1y or a number of days.
    #[arg(long, value_name = "PERIOD", default_value = "30d")]
    pub within: String,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub library: LibraryArg,
}

pub fn run(args: &Args, global: &Global) -> Result<u8> {
    let days = stats::parse_within(&args.within).map_err(anyhow::Error::msg)?;
    let path = args.library.path(global);
    let (lib, _) = library::load(&path)?;
    let today = today();
    let rows = stats::due(&lib, today, days);
    if args.json {
        let overdue = rows
            .iter()
            .filter(|r| r.days_left.is_some_and(|d| d < 0))
            .count();
        let never = rows.iter().filter(|r| r.reviewed.is_none()).count();
        print_json(&json!({
            "summary": {"due": rows.len(), "overdue": overdue, "never_reviewed": never, "within_days": days, "today": today},
            "rows": rows,
        }))?;
        return Ok(EXIT_OK);
    }
    let mut owner = "";
    for r in &rows {
        if r.owner != owner {
            owner = &r.owner;
            println!("{owner}");
        }
        let when = match (r.due, r.days_left) {
            (Some(d), Some(n)) if n < 0 => format!("overdue since {d} ({} days)", -n),
            (Some(d), Some(n)) => format!("due {d} (in {n} days)"),
            _ => "never reviewed".to_string(),
        };
        let q: String = r.question.chars().take(70).collect();
        println!("  {:<12} {:<34} {q}", r.id, when);
    }
    println!("{} entries due within {days} days", rows.len());
    Ok(EXIT_OK)
}
