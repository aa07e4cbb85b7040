//! `vouch library lint [--json]`: the library's problems across entries:
//! near-duplicates (with their similarity), near-duplicates whose answers
//! contradict each other (an error naming both ids), entries past their
//! review date, entries without or with unknown controls, in-scope criteria
//! no entry speaks to, controls no entry references, thesaurus phrases that
//! reach no entry and "hub" entries, plus every field problem `vouch check`
//! reports. Owners and review dates are shown. Exit 1 on errors, so it can
//! guard a pull request.

use anyhow::Result;
use serde_json::json;

use super::LibraryArg;
use crate::cli::Global;
use crate::diag::Severity;
use crate::library::lint::{self, LintInput};
use crate::library::{self, thesaurus_for};
use crate::util::{print_json, today, EXIT_OK, EXIT_PROBLEMS};

/// Find contradictions, near-duplicates, stale entries and coverage gaps.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print the findings as JSON.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub library: LibraryArg,
}

pub fn run(args: &Args, global: &Global) -> Result<u8> {
    let path = args.library.path(global);
    let (lib, load_findings) = library::load(&path)?;
    let thesaurus = thesaurus_for(&path)?;
    // Controls and criteria in scope come from the project's data/ when the
    // library is the project's own answers/ (not another one, --library).
    let project = (args.library.library.is_none()
        && global.project.join("data/company.toml").is_file())
    .then(|| crate::model::load(&global.project).ok().map(|(p, _)| p))
    .flatten();
    let mut findings = lint::lint(&LintInput {
        lib: &lib,
        load_findings: &load_findings,
        thesaurus: &thesaurus,
        dir: path.is_dir().then_some(path.as_path()),
        project: project.as_ref(),
        today: today(),
    });
    // Name files relative to the project, as `vouch check` does.
    let prefix = format!("{}/", global.project.display());
    for f in &mut findings {
        if let Some(rest) = f.finding.file.strip_prefix(&prefix) {
            f.finding.file = rest.to_string();
        }
    }
    let errors = lint::count(&findings, Severity::Error);
    let warnings = lint::count(&findings, Severity::Warning);
    if args.json {
        print_json(&json!({
            "summary": {"entries": lib.entries.len(), "errors": errors, "warnings": warnings},
            "rows": findings,
        }))?;
    } else {
        for f in &findings {
            println!("{}", f.finding);
        }
        println!(
            "{} entries: {errors} errors, {warnings} warnings",
            lib.entries.len()
        );
    }
    Ok(if errors > 0 { EXIT_PROBLEMS } else { EXIT_OK })
}
