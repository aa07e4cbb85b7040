//! `vouch build` as a library call: stage the Zola project from the public
//! view, render it (builtin engine or a real `zola`), then swap the new
//! output in place of the old one so no reader sees a half-written site.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};
use chrono::NaiveDate;
use serde::Serialize;

use super::engine;
use super::public::PublicView;
use super::stage::{self, StageOptions};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Engine {
    /// Our tera + pulldown-cmark renderer.
    Builtin,
    /// A `zola` binary found on PATH.
    Zola,
}

#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub project: PathBuf,
    pub out: PathBuf,
    /// Write the staged Zola project here and stop.
    pub stage_only: Option<PathBuf>,
    pub engine: Engine,
    /// Base URL of the rendered site. Default for the builtin engine: the
    /// output directory as a `file://` URL, so the site works from disk.
    pub base_url: Option<String>,
    pub build_date: NaiveDate,
}

#[derive(Debug, Clone, Serialize)]
pub struct BuildReport {
    pub engine: Engine,
    /// The output directory, or the stage directory with `--stage`.
    pub out: PathBuf,
    pub staged_only: bool,
    pub base_url: String,
    pub build_date: String,
    pub sections: usize,
    pub pages: usize,
    pub feeds: usize,
    pub files: usize,
    /// Public report and document files copied to the site.
    pub published_files: Vec<String>,
}

/// The build date: `SOURCE_DATE_EPOCH` (seconds) if set, else today (UTC).
pub fn build_date_from_env() -> Result<NaiveDate> {
    crate::util::date_from_env()
}

/// Loads the project, keeps what may be published, builds the site.
pub fn build(opts: &BuildOptions) -> Result<BuildReport> {
    let view = super::from_model::load_view(&opts.project, opts.build_date)?;
    build_view(&view, opts)
}

/// Builds the site from an already filtered public view.
pub fn build_view(view: &PublicView, opts: &BuildOptions) -> Result<BuildReport> {
    let project = absolute(&opts.project)?;
    let (staged_tree, staged) = stage::stage(view, &stage_options(&project, opts))?;
    if let Some(dir) = &opts.stage_only {
        let dir = absolute(dir)?;
        refuse_project_paths(&project, &dir, "--stage")?;
        let tmp = fresh_sibling(&dir)?;
        staged_tree.write_to(tmp.path())?;
        replace_dir(tmp, &dir)?;
        return Ok(BuildReport {
            engine: opts.engine,
            out: dir,
            staged_only: true,
            base_url: staged.base_url,
            build_date: view.build_date.to_string(),
            sections: 0,
            pages: 0,
            feeds: 0,
            files: staged.files,
            published_files: staged.published_files,
        });
    }
    let out = absolute(&opts.out)?;
    refuse_project_paths(&project, &out, "--out")?;
    let tmp_out = fresh_sibling(&out)?;
    let (base_url, rendered) = match opts.engine {
        Engine::Builtin => {
            let base_url = opts.base_url.clone().unwrap_or_else(|| file_url(&out));
            let build_time = view.build_date.and_hms_opt(0, 0, 0).unwrap_or_default();
            let (site, report) =
                engine::render::render_tree(staged_tree, Some(&base_url), build_time)?;
            site.write_to(tmp_out.path())?;
            (base_url, report)
        }
        Engine::Zola => {
            let base_url = opts.base_url.clone().unwrap_or(staged.base_url.clone());
            let staging = tempfile::tempdir().context("cannot create a staging directory")?;
            staged_tree.write_to(staging.path())?;
            run_zola(staging.path(), &tmp_out.path().join("site"), &base_url)?;
            // zola wants to create its output directory itself.
            let inner = tmp_out.path().join("site");
            let mut files = Vec::new();
            engine::render::collect_files(&inner, "", &mut files)?;
            let report = engine::RenderReport {
                files,
                ..Default::default()
            };
            move_children(&inner, tmp_out.path())?;
            (base_url, report)
        }
    };
    replace_dir(tmp_out, &out)?;
    Ok(BuildReport {
        engine: opts.engine,
        out,
        staged_only: false,
        base_url,
        build_date: view.build_date.to_string(),
        sections: rendered.sections,
        pages: rendered.pages,
        feeds: rendered.feeds,
        files: rendered.files.len(),
        published_files: staged.published_files,
    })
}

fn stage_options<'a>(project: &'a Path, opts: &'a BuildOptions) -> StageOptions<'a> {
    StageOptions {
        project,
        // Only a real URL belongs in the staged config.toml.
        base_url: opts.base_url.as_deref().filter(|u| !u.starts_with("file:")),
    }
}

/// An absolute path without `.` or `..` components (it appears in URLs).
/// The output replaces its directory, so it must never be the project, a
/// folder holding it, or anything inside its input folders.
fn refuse_project_paths(project: &Path, target: &Path, flag: &str) -> Result<()> {
    if project.starts_with(target) {
        bail!(
            "{flag} {}: refusing to replace a folder that holds the project",
            target.display()
        );
    }
    for input in ["data", "site", "themes", "answers"] {
        if target.starts_with(project.join(input)) {
            bail!(
                "{flag} {}: refusing to write inside the project's {input}/ folder",
                target.display()
            );
        }
    }
    Ok(())
}

fn absolute(path: &Path) -> Result<PathBuf> {
    use std::path::Component;
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()?.join(path)
    };
    let mut out = PathBuf::new();
    for part in joined.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    Ok(out)
}

/// `file:///abs/out` with the characters a URL path cannot hold escaped.
fn file_url(dir: &Path) -> String {
    let mut url = String::from("file://");
    for b in dir.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"/-_.~".contains(&b) {
            url.push(b as char);
        } else {
            url.push_str(&format!("%{b:02X}"));
        }
    }
    url
}

/// A new empty directory beside `target`, so the final rename stays on
/// one file system.
fn fresh_sibling(target: &Path) -> Result<tempfile::TempDir> {
    let parent = target.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent)
        .with_context(|| format!("cannot create {}", parent.display()))?;
    tempfile::Builder::new()
        .prefix(".vouch-build-")
        .tempdir_in(parent)
        .with_context(|| format!("cannot create a temp directory in {}", parent.display()))
}

/// Moves the finished `tmp` to `target`, replacing a previous build. An
/// existing directory is only replaced if it looks like a site (or is empty).
fn replace_dir(tmp: tempfile::TempDir, target: &Path) -> Result<()> {
    if target.exists() {
        let looks_built = target.join("index.html").is_file()
            || target.join("config.toml").is_file()
            || std::fs::read_dir(target)
                .map(|mut d| d.next().is_none())
                .unwrap_or(false);
        if !looks_built {
            bail!(
                "{} exists and is not a previous build (no index.html or config.toml); refusing to replace it",
                target.display()
            );
        }
        let old = target.with_extension("vouch-old");
        if old.exists() {
            std::fs::remove_dir_all(&old).ok();
        }
        std::fs::rename(target, &old)
            .with_context(|| format!("cannot move {} aside", target.display()))?;
        let path = tmp.keep();
        std::fs::rename(&path, target)
            .with_context(|| format!("cannot create {}", target.display()))?;
        std::fs::remove_dir_all(&old)
            .with_context(|| format!("cannot remove {}", old.display()))?;
    } else {
        let path = tmp.keep();
        std::fs::rename(&path, target)
            .with_context(|| format!("cannot create {}", target.display()))?;
    }
    Ok(())
}

fn move_children(from: &Path, to: &Path) -> Result<()> {
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        std::fs::rename(entry.path(), to.join(entry.file_name()))?;
    }
    std::fs::remove_dir(from)?;
    Ok(())
}

fn run_zola(stage: &Path, out: &Path, base_url: &str) -> Result<()> {
    let status = Command::new("zola")
        .arg("--root")
        .arg(stage)
        .arg("build")
        .arg("--base-url")
        .arg(base_url)
        .arg("--output-dir")
        .arg(out)
        .status();
    match status {
        Ok(s) if s.success() => Ok(()),
        Ok(s) => bail!(
            "zola build failed ({s}) on the staged project {}",
            stage.display()
        ),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            bail!("--engine zola: no `zola` program found on PATH (install Zola, or use --engine builtin)")
        }
        Err(e) => bail!("cannot run zola: {e}"),
    }
}
