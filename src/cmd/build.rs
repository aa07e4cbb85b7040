//! `vouch build`: render the public trust-center site.
//!
//! Reads `data/`, keeps only what may be published, writes the staged Zola
//! project (site/ + themes/ + data/*.json + generated pages) and renders it
//! with the builtin engine (or a real `zola` with `--engine zola`).
//! `--stage DIR` writes the staged Zola project and stops.

use std::path::PathBuf;

use crate::cli::Global;
use crate::site::build::{self, BuildOptions, Engine};
use crate::util::{self, Progress, EXIT_OK};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Output directory of the rendered site (replaced on success).
    #[arg(long, value_name = "DIR", default_value = "public")]
    pub out: PathBuf,
    /// Write the staged Zola project to DIR and stop (run `zola build` there).
    #[arg(long, value_name = "DIR")]
    pub stage: Option<PathBuf>,
    /// Renderer: our builtin Zola-compatible engine, or `zola` from PATH.
    #[arg(long, value_enum, default_value = "builtin")]
    pub engine: Engine,
    /// Base URL of the site. Default with the builtin engine: the output
    /// directory as a file:// URL, so the site works when opened from disk;
    /// with zola or --stage: base_url from site/config.toml.
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Print a JSON summary instead of text.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: &Args, global: &Global) -> anyhow::Result<u8> {
    let progress = Progress::new(global.quiet);
    progress.update("building the trust center…");
    let opts = BuildOptions {
        project: global.project.clone(),
        out: resolve(&global.project, &args.out),
        stage_only: args.stage.as_ref().map(|s| resolve(&global.project, s)),
        engine: args.engine,
        base_url: args.base_url.clone(),
        build_date: build::build_date_from_env()?,
    };
    let report = build::build(&opts);
    progress.finish();
    let report = report?;
    if args.json {
        util::print_json(&report)?;
    } else if !global.quiet {
        if report.staged_only {
            eprintln!("staged the Zola project in {}", report.out.display());
        } else {
            eprintln!(
                "built {} pages, {} sections and {} feeds ({} files) in {}",
                report.pages,
                report.sections,
                report.feeds,
                report.files,
                report.out.display()
            );
            eprintln!("open {}/index.html", report.base_url.trim_end_matches('/'));
        }
    }
    Ok(EXIT_OK)
}

/// Relative output paths are relative to the project (`-C DIR`).
fn resolve(project: &std::path::Path, path: &std::path::Path) -> PathBuf {
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        project.join(path)
    }
}
