//! `vouch library import|approve|lint|export|stats|due`: look after the
//! answer library: learn from answered questionnaires and reviews, approve
//! drafts, find contradictions and stale entries, export and count.
//! One file per subcommand below.

pub mod approve;
pub mod due;
pub mod export;
pub mod import;
pub mod lint;
pub mod stats;

use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::cli::Global;
use crate::library::{self, Library};

/// Look after the answer library.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Learn from answered questionnaires (or a review workbook): new
    /// wordings become variants, new questions draft entries.
    Import(Box<import::Args>),
    /// Approve draft entries and draft variants so `vouch answer` uses them.
    Approve(approve::Args),
    /// Near-duplicates, contradictions, stale entries, coverage gaps.
    Lint(lint::Args),
    /// The library as one CSV, XLSX or TOML file.
    Export(export::Args),
    /// Counts per topic, answer, owner and status; age of review dates.
    Stats(stats::Args),
    /// What each owner must re-review soon.
    Due(due::Args),
}

pub fn run(args: &Args, global: &Global) -> Result<u8> {
    match &args.command {
        Command::Import(a) => import::run(a, global),
        Command::Approve(a) => approve::run(a, global),
        Command::Lint(a) => lint::run(a, global),
        Command::Export(a) => export::run(a, global),
        Command::Stats(a) => stats::run(a, global),
        Command::Due(a) => due::run(a, global),
    }
}

/// `--library PATH`, shared by the subcommands.
#[derive(Debug, Clone, clap::Args)]
pub struct LibraryArg {
    /// The answer library: a directory of .toml files or a .csv file
    /// [default: <project>/answers].
    #[arg(long, value_name = "PATH")]
    pub library: Option<PathBuf>,
}

impl LibraryArg {
    pub fn path(&self, global: &Global) -> PathBuf {
        self.library
            .clone()
            .unwrap_or_else(|| global.project.join("answers"))
    }
}

/// Loads the library; an empty library when a directory to import into does
/// not exist yet.
pub fn load_or_empty(path: &Path) -> Result<(Library, Vec<crate::diag::Finding>)> {
    if path.exists() {
        library::load(path)
    } else {
        Ok((Library::default(), Vec::new()))
    }
}

/// The error for ids that are not in the library, with a suggestion.
pub fn unknown_ids(lib: &Library, ids: &[&str], path: &Path) -> Option<String> {
    let known: Vec<&str> = lib.entries.iter().map(|e| e.id.as_str()).collect();
    let missing: Vec<String> = ids
        .iter()
        .filter(|id| !known.contains(id))
        .map(|id| match crate::diag::did_you_mean(id, &known) {
            Some(s) => format!("{id:?} (did you mean {s:?}?)"),
            None => format!("{id:?}"),
        })
        .collect();
    (!missing.is_empty()).then(|| {
        format!(
            "{}: no entry with the id {}",
            path.display(),
            missing.join(", ")
        )
    })
}

/// Commands that write need a directory of TOML files.
pub fn require_dir(path: &Path) -> Result<()> {
    anyhow::ensure!(
        !path.exists() || path.is_dir(),
        "{}: only a directory of .toml files can be edited (a CSV library can be moved there with `vouch library export --format toml`)",
        path.display()
    );
    Ok(())
}
