//! `vouch library approve ID... | --all [--force] [--dry-run] [--json]`
//!
//! Makes draft entries and draft variants usable by `vouch answer`: sets
//! `status = "approved"` and `reviewed` to today (approving is a review),
//! and moves `draft_variants` into `variants`. A draft without a comment or
//! without controls / criteria is refused (exit 1) unless `--force`: once
//! approved, `vouch check` requires them.

use anyhow::Result;
use serde::Serialize;
use serde_json::json;

use super::{require_dir, unknown_ids, LibraryArg};
use crate::cli::Global;
use crate::library::edit::LibraryFiles;
use crate::library::{self, Entry};
use crate::util::{print_json, today, EXIT_OK, EXIT_PROBLEMS};

/// Approve draft entries and draft variants.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Ids of the entries to approve.
    #[arg(value_name = "ID", required_unless_present = "all")]
    pub ids: Vec<String>,
    /// Approve every draft entry and draft variant.
    #[arg(long, conflicts_with = "ids")]
    pub all: bool,
    /// Approve drafts even without a comment or controls.
    #[arg(long)]
    pub force: bool,
    /// Show what would be approved; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub library: LibraryArg,
}

#[derive(Serialize)]
struct Row<'a> {
    id: &'a str,
    file: &'a str,
    line: usize,
    /// `approved`, `refused` or `unchanged`.
    result: &'static str,
    draft_variants: usize,
    reason: Option<String>,
}

pub fn run(args: &Args, global: &Global) -> Result<u8> {
    let dir = args.library.path(global);
    require_dir(&dir)?;
    let (lib, _) = library::load(&dir)?;
    if let Some(err) = unknown_ids(
        &lib,
        &args.ids.iter().map(String::as_str).collect::<Vec<_>>(),
        &dir,
    ) {
        anyhow::bail!(err);
    }
    let targets: Vec<&Entry> = lib
        .entries
        .iter()
        .filter(|e| {
            if args.all {
                e.is_draft() || !e.draft_variants.is_empty()
            } else {
                args.ids.contains(&e.id)
            }
        })
        .collect();
    let mut files = LibraryFiles::new();
    let mut rows = Vec::new();
    for e in targets {
        let missing = incomplete(e);
        let (result, reason) = if e.is_draft() && !missing.is_empty() && !args.force {
            (
                "refused",
                Some(format!("no {} (or pass --force)", missing.join(" and no "))),
            )
        } else if files.approve(e, today())? {
            ("approved", None)
        } else {
            (
                "unchanged",
                Some("already approved, no draft variants".into()),
            )
        };
        rows.push(Row {
            id: &e.id,
            file: &e.source.file,
            line: e.source.line,
            result,
            draft_variants: e.draft_variants.len(),
            reason,
        });
    }
    let written = if args.dry_run {
        files.changed()
    } else {
        files.save()?
    };
    let count = |r: &str| rows.iter().filter(|x| x.result == r).count();
    let (approved, refused) = (count("approved"), count("refused"));
    if args.json {
        print_json(&json!({
            "summary": {"approved": approved, "refused": refused, "unchanged": count("unchanged"), "dry_run": args.dry_run},
            "files": written,
            "rows": rows,
        }))?;
    } else {
        for r in rows.iter().filter(|r| r.result == "refused") {
            println!(
                "{}:{}: error: {} not approved: {}",
                r.file,
                r.line,
                r.id,
                r.reason.as_deref().unwrap_or("")
            );
        }
        let verb = if args.dry_run {
            "would approve"
        } else {
            "approved"
        };
        println!("{verb} {approved}, refused {refused}");
    }
    Ok(if refused > 0 { EXIT_PROBLEMS } else { EXIT_OK })
}

/// What `vouch check` requires of an approved entry that `e` lacks.
fn incomplete(e: &Entry) -> Vec<&'static str> {
    let mut out = Vec::new();
    if e.comment.trim().is_empty() {
        out.push("comment");
    }
    if e.controls.is_empty() && e.criteria.is_empty() {
        out.push("controls / criteria");
    }
    out
}
