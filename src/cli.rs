//! The command line, defined in one place with clap derive. Each subcommand's
//! arguments and usage text live in its own file under `src/cmd/`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::cmd;
use crate::util::EXIT_ERROR;

#[derive(Debug, Parser)]
#[command(
    name = "vouch",
    version,
    about = "Publish a SOC 2 trust center and answer security questionnaires from data kept in git",
    propagate_version = true
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every subcommand understands.
#[derive(Debug, Clone, clap::Args)]
pub struct Global {
    /// Project root holding data/, answers/, site/ and themes/.
    #[arg(
        short = 'C',
        long = "project",
        global = true,
        default_value = ".",
        value_name = "DIR"
    )]
    pub project: PathBuf,
    /// No progress or summary on stderr.
    #[arg(short, long, global = true)]
    pub quiet: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate data/ and answers/ and report every problem at once.
    Check(cmd::check::Args),
    /// Criteria x controls matrix for the TSC categories in scope (gap analysis).
    Coverage(cmd::coverage::Args),
    /// List the embedded AICPA Trust Services Criteria.
    Tsc(cmd::tsc::Args),
    /// Show what vouch detects in a questionnaire: sheets, header row, columns.
    Inspect(cmd::inspect::Args),
    /// Fill a questionnaire from the answer library and write a review report.
    Answer(cmd::answer::Args),
    /// Search the answer library for a question, with scores.
    Search(cmd::search::Args),
    /// Score the matcher on an evaluation set (library.csv + questions.csv).
    Eval(cmd::eval::Args),
    /// Build the public trust-center site.
    Build(cmd::build::Args),
    /// Look after the answer library: import, approve, lint, export, stats, due.
    Library(cmd::library::Args),
    /// Serve the site on 127.0.0.1, rebuilding and reloading on every change.
    Serve(cmd::serve::Args),
    /// Write a new trust-center repository (data, answers, site, CI).
    Init(cmd::init::Args),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(cmd::completions::Args),
    /// Print the man page (roff), or write one page per command with --dir.
    Man(cmd::man::Args),
}

/// Parses the command line, runs the subcommand and maps errors to exit code 2.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            crate::util::Progress::clear();
            crate::diag::print_error(&format!("{err:#}"));
            ExitCode::from(EXIT_ERROR)
        }
    }
}

pub fn run(cli: &Cli) -> anyhow::Result<u8> {
    let g = &cli.global;
    match &cli.command {
        Command::Check(a) => cmd::check::run(a, g),
        Command::Coverage(a) => cmd::coverage::run(a, g),
        Command::Tsc(a) => cmd::tsc::run(a, g),
        Command::Inspect(a) => cmd::inspect::run(a, g),
        Command::Answer(a) => cmd::answer::run(a, g),
        Command::Search(a) => cmd::search::run(a, g),
        Command::Eval(a) => cmd::eval::run(a, g),
        Command::Build(a) => cmd::build::run(a, g),
        Command::Library(a) => cmd::library::run(a, g),
        Command::Serve(a) => cmd::serve::run(a, g),
        Command::Init(a) => cmd::init::run(a, g),
        Command::Completions(a) => cmd::completions::run(a),
        Command::Man(a) => cmd::man::run(a),
    }
}
