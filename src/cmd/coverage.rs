//! `vouch coverage [--json | --csv] [--fail-on-gaps]`: for each criterion of
//! the TSC categories in scope, the controls that address it and their
//! status; uncovered criteria first. The gap analysis before an audit.

use crate::cli::Global;
use crate::coverage::{self, Row, State};
use crate::model;
use crate::util::{print_json, EXIT_OK, EXIT_PROBLEMS};

/// Criteria x controls matrix for the TSC categories in scope.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print JSON: {"summary": {criteria, covered, partial, uncovered}, "rows": [...]}.
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,
    /// Print CSV (one row per criterion).
    #[arg(long)]
    pub csv: bool,
    /// Exit 1 when an in-scope criterion has no implemented control.
    #[arg(long)]
    pub fail_on_gaps: bool,
}

pub fn run(args: &Args, global: &Global) -> anyhow::Result<u8> {
    let (project, _findings) = model::load(&global.project)?;
    let rows = coverage::matrix(&project);
    if args.json {
        let count = |state: State| rows.iter().filter(|r| r.state == state).count();
        print_json(&serde_json::json!({
            "summary": {
                "criteria": rows.len(),
                "covered": count(State::Covered),
                "partial": count(State::Partial),
                "uncovered": count(State::Uncovered),
            },
            "rows": rows,
        }))?;
    } else if args.csv {
        print_csv(&rows)?;
    } else {
        print_table(&rows);
    }
    let gaps = rows.iter().filter(|r| r.state != State::Covered).count();
    Ok(if args.fail_on_gaps && gaps > 0 {
        EXIT_PROBLEMS
    } else {
        EXIT_OK
    })
}

fn state_name(s: State) -> &'static str {
    match s {
        State::Uncovered => "UNCOVERED",
        State::Partial => "partial",
        State::Covered => "covered",
    }
}

fn controls_cell(row: &Row) -> String {
    row.controls
        .iter()
        .map(|c| format!("{} ({})", c.id, c.status))
        .collect::<Vec<_>>()
        .join(", ")
}

fn print_table(rows: &[Row]) {
    println!("{:<7} {:<10} {:<55} controls", "crit.", "state", "title");
    for r in rows {
        println!(
            "{:<7} {:<10} {:<55} {}",
            r.criterion,
            state_name(r.state),
            truncate(r.title, 55),
            controls_cell(r)
        );
    }
    let gaps = rows.iter().filter(|r| r.state != State::Covered).count();
    println!(
        "{} criteria in scope, {} covered, {gaps} not covered by an implemented control",
        rows.len(),
        rows.len() - gaps
    );
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let cut: String = s.chars().take(max - 1).collect();
        format!("{cut}…")
    }
}

fn print_csv(rows: &[Row]) -> anyhow::Result<()> {
    let mut w = csv::Writer::from_writer(std::io::stdout());
    w.write_record([
        "criterion",
        "category",
        "group",
        "title",
        "state",
        "controls",
    ])?;
    for r in rows {
        let ids: Vec<String> = r
            .controls
            .iter()
            .map(|c| format!("{}:{}", c.id, c.status))
            .collect();
        w.write_record([
            r.criterion,
            r.category.as_str(),
            r.group,
            r.title,
            state_name(r.state).to_ascii_lowercase().as_str(),
            ids.join(";").as_str(),
        ])?;
    }
    w.flush()?;
    Ok(())
}
