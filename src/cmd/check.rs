//! `vouch check [--json]`: load and validate `data/` and `answers/`, and
//! report every problem at once, each naming the file, line/row, field and
//! what is wrong.
//!
//! `--json` prints `{"summary": {"errors", "warnings"}, "rows": [findings]}`.
//!
//! Exit codes: 0 clean (warnings alone are fine), 1 errors found, 2 could not
//! run (usage, I/O, no `data/company.toml`).

use serde::Serialize;

use crate::check::{self, count};
use crate::cli::Global;
use crate::diag::{Finding, Severity};
use crate::util::{print_json, EXIT_OK, EXIT_PROBLEMS};

/// Validate data/ and answers/ and report every problem at once.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print the findings as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct Summary {
    errors: usize,
    warnings: usize,
}

#[derive(Serialize)]
struct Report<'a> {
    summary: Summary,
    /// The findings, errors first.
    rows: &'a [Finding],
}

pub fn run(args: &Args, global: &Global) -> anyhow::Result<u8> {
    let findings = check::check_project(&global.project)?;
    let errors = count(&findings, Severity::Error);
    let warnings = count(&findings, Severity::Warning);
    if args.json {
        print_json(&Report {
            summary: Summary { errors, warnings },
            rows: &findings,
        })?;
    } else {
        for f in &findings {
            anstream::println!("{}", f.styled());
        }
        println!("{errors} errors, {warnings} warnings");
    }
    Ok(if errors > 0 { EXIT_PROBLEMS } else { EXIT_OK })
}
