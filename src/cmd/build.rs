//! `vouch build`: render the public trust-center site.
//!
//! Validates the project exactly as `vouch check` does (a project with
//! errors is refused unless `--allow-errors`), keeps only what may be
//! published, writes the staged Zola project (site/ + theme + data/*.json +
//! generated pages) and renders it with the builtin engine (or a real `zola`
//! with `--engine zola`). Links use `base_url` of `site/config.toml`, or
//! `--base-url`, or are relative with `--relative`. `--stage DIR` writes the
//! staged Zola project and stops.

use std::path::PathBuf;

use serde_json::json;

use crate::cli::Global;
use crate::site::build::{self, BuildOptions, Engine};
use crate::util::{self, Progress, EXIT_OK};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Output directory of the rendered site. Replaced on success, and only
    /// if vouch wrote it (it holds a .vouch-build marker) or it is empty.
    #[arg(long, value_name = "DIR", default_value = "public")]
    pub out: PathBuf,
    /// Write the staged Zola project to DIR and stop (run `zola build` there).
    #[arg(long, value_name = "DIR")]
    pub stage: Option<PathBuf>,
    /// Renderer: our builtin Zola-compatible engine, or `zola` from PATH.
    #[arg(long, value_enum, default_value = "builtin")]
    pub engine: Engine,
    /// Base URL of the site, an absolute http(s) URL (default: base_url in
    /// site/config.toml).
    #[arg(long, value_name = "URL", value_parser = parse_base_url, conflicts_with = "relative")]
    pub base_url: Option<String>,
    /// Write relative links, so the folder works from disk and can be
    /// zipped and moved (a preview; feeds keep the absolute base_url).
    #[arg(long)]
    pub relative: bool,
    /// Build even if `vouch check` finds errors (unreadable visibilities
    /// count as internal; files outside the project still stop the build).
    #[arg(long)]
    pub allow_errors: bool,
    /// Print {"summary": {...}, "rows": [files written]} as JSON.
    #[arg(long)]
    pub json: bool,
}

fn parse_base_url(url: &str) -> Result<String, String> {
    build::check_base_url(url).map(|()| url.to_string())
}

pub fn run(args: &Args, global: &Global) -> anyhow::Result<u8> {
    let progress = Progress::new(global.quiet);
    progress.update("building the trust center");
    let opts = BuildOptions {
        project: global.project.clone(),
        out: resolve(&global.project, &args.out),
        stage_only: args.stage.as_ref().map(|s| resolve(&global.project, s)),
        engine: args.engine,
        base_url: args.base_url.clone(),
        relative: args.relative,
        allow_errors: args.allow_errors,
        build_date: build::build_date_from_env()?,
    };
    let report = build::build(&opts);
    progress.finish();
    let report = report?;
    if args.json {
        util::print_json(&json!({ "summary": &report, "rows": &report.written }))?;
    } else if !global.quiet {
        print_summary(&report);
    }
    Ok(EXIT_OK)
}

fn print_summary(report: &build::BuildReport) {
    if report.errors > 0 {
        eprintln!(
            "warning: built despite {} error(s) (--allow-errors)",
            report.errors
        );
    }
    if report.staged_only {
        eprintln!("staged the Zola project in {}", report.out.display());
        return;
    }
    eprintln!(
        "built {} pages, {} sections and {} feeds ({} files) in {}",
        report.pages,
        report.sections,
        report.feeds,
        report.files,
        report.out.display()
    );
    if report.relative {
        eprintln!(
            "links are relative: open {} (or zip the folder)",
            report.out.join("index.html").display()
        );
    } else {
        eprintln!(
            "links use {}/ (deploy the folder there; `vouch serve` previews it, `--relative` builds a folder to open from disk)",
            report.base_url.trim_end_matches('/')
        );
    }
}

/// Relative output paths are relative to the project (`-C DIR`).
fn resolve(project: &std::path::Path, path: &std::path::Path) -> PathBuf {
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        project.join(path)
    }
}
