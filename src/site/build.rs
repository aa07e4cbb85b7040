//! `vouch build` as a library call: stage the Zola project from the public
//! view, render it (builtin engine or a real `zola`), then swap the new
//! output in place of the old one so no reader sees a half-written site.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};
use chrono::NaiveDate;
use serde::Serialize;

use super::engine;
use super::engine::tree::Tree;
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
    /// Base URL of the rendered site, overriding `base_url` of
    /// `site/config.toml`; must be an absolute http(s) URL.
    pub base_url: Option<String>,
    /// Write relative links, so the output folder works from disk and can
    /// be zipped and moved (builtin engine only).
    pub relative: bool,
    /// Build even when the validation (`vouch check`) finds errors.
    pub allow_errors: bool,
    pub build_date: NaiveDate,
}

impl BuildOptions {
    /// Options for building `project` into `out` with the defaults of
    /// `vouch build` (builtin engine, config's base_url, today's date).
    pub fn new(project: impl Into<PathBuf>, out: impl Into<PathBuf>) -> BuildOptions {
        BuildOptions {
            project: project.into(),
            out: out.into(),
            stage_only: None,
            engine: Engine::Builtin,
            base_url: None,
            relative: false,
            allow_errors: false,
            build_date: crate::util::today(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct BuildReport {
    pub engine: Engine,
    /// The output directory, or the stage directory with `--stage`.
    pub out: PathBuf,
    pub staged_only: bool,
    /// The base URL links were built on (`relative` with `--relative`).
    pub base_url: String,
    pub relative: bool,
    pub build_date: String,
    pub sections: usize,
    pub pages: usize,
    pub feeds: usize,
    pub files: usize,
    /// Errors `vouch check` found and `--allow-errors` let through.
    pub errors: usize,
    pub warnings: usize,
    /// Public report and document files copied to the site.
    pub published_files: Vec<String>,
    /// Every file written, relative to `out`, sorted.
    #[serde(skip)]
    pub written: Vec<String>,
}

/// The file that marks a folder as written by `vouch build` (or `--stage`):
/// only such a folder (or an empty one) is ever replaced.
pub const MARKER: &str = ".vouch-build";

/// The base URL a `--relative` build renders with, rewritten afterwards.
const RELATIVE_ROOT: &str = "file:///__vouch_relative__";

/// The build date: `SOURCE_DATE_EPOCH` (seconds) if set, else today (UTC).
pub fn build_date_from_env() -> Result<NaiveDate> {
    crate::util::date_from_env()
}

/// `Ok` when `url` is an absolute http(s) URL with a host, as a site's
/// base URL must be (`trust.example.org` alone gives broken links).
pub fn check_base_url(url: &str) -> std::result::Result<(), String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    let host = rest.map(|r| r.split(['/', '?', '#']).next().unwrap_or(""));
    let host_ok = host.is_some_and(|h| {
        !h.is_empty()
            && h.chars()
                .all(|c| c.is_alphanumeric() || "-.:[]_".contains(c))
    });
    if host_ok && !url.chars().any(char::is_whitespace) {
        Ok(())
    } else {
        let bare = url.trim_start_matches("//");
        Err(format!(
            "{url:?} is not an absolute http(s) URL (write it in full, e.g. \"https://{}\")",
            if bare.is_empty() || bare.contains("://") {
                "trust.example.com"
            } else {
                bare
            }
        ))
    }
}

/// Validates the project (the same validation as `vouch check`), keeps what
/// may be published, builds the site. A project with errors is refused
/// unless `allow_errors`.
pub fn build(opts: &BuildOptions) -> Result<BuildReport> {
    let (project, findings) = crate::check::validate(&opts.project)?;
    let errors: Vec<&crate::diag::Finding> = findings
        .iter()
        .filter(|f| f.severity == crate::diag::Severity::Error)
        .collect();
    // A path outside the project stops the build even with --allow-errors.
    let blocking: Vec<&&crate::diag::Finding> = errors
        .iter()
        .filter(|f| !opts.allow_errors || crate::guard::is_outside(f))
        .collect();
    if !blocking.is_empty() {
        let shown: Vec<String> = blocking.iter().take(10).map(|f| f.to_string()).collect();
        let more = blocking.len().saturating_sub(shown.len());
        let hint = if opts.allow_errors {
            "files outside the project are never published, even with --allow-errors"
        } else {
            "`vouch check` lists them; --allow-errors builds anyway"
        };
        bail!(
            "the project has {} error(s), so it is not published ({hint}):\n  {}{}",
            blocking.len(),
            shown.join("\n  "),
            if more > 0 {
                format!("\n  … and {more} more")
            } else {
                String::new()
            }
        );
    }
    let mut view = super::from_model::public_view(&project, opts.build_date);
    view.faq = super::faq::load(&project)?;
    let mut report = build_view(&view, opts)?;
    report.errors = errors.len();
    report.warnings = findings.len() - errors.len();
    Ok(report)
}

/// Builds the site from an already filtered public view.
pub fn build_view(view: &PublicView, opts: &BuildOptions) -> Result<BuildReport> {
    if let Some(url) = &opts.base_url {
        check_base_url(url).map_err(|msg| anyhow::anyhow!("--base-url: {msg}"))?;
    }
    if opts.relative && opts.engine == Engine::Zola {
        bail!("--relative works with the builtin engine only (zola writes absolute links)");
    }
    let project = absolute(&opts.project)?;
    let (staged_tree, staged) = stage::stage(view, &stage_options(&project, opts))?;
    if let Some(dir) = &opts.stage_only {
        let dir = absolute(dir)?;
        refuse_project_paths(&project, &dir, "--stage")?;
        let written = staged_tree.paths();
        write_output(&dir, |tmp| staged_tree.write_to(tmp))?;
        return Ok(BuildReport {
            engine: opts.engine,
            out: dir,
            staged_only: true,
            base_url: staged.base_url,
            relative: false,
            build_date: view.build_date.to_string(),
            sections: 0,
            pages: 0,
            feeds: 0,
            files: staged.files,
            errors: 0,
            warnings: 0,
            published_files: staged.published_files,
            written,
        });
    }
    let out = absolute(&opts.out)?;
    refuse_project_paths(&project, &out, "--out")?;
    let build_time = view.build_date.and_hms_opt(0, 0, 0).unwrap_or_default();
    let (base_url, rendered) = match opts.engine {
        Engine::Builtin if opts.relative => {
            let (site, report) =
                engine::render::render_tree(staged_tree, Some(RELATIVE_ROOT), build_time)?;
            let site = relativize_tree(site, &staged.base_url);
            write_output(&out, |tmp| site.write_to(tmp))?;
            ("relative".to_string(), report)
        }
        Engine::Builtin => {
            let base_url = opts.base_url.clone().unwrap_or(staged.base_url.clone());
            let (site, report) =
                engine::render::render_tree(staged_tree, Some(&base_url), build_time)?;
            write_output(&out, |tmp| site.write_to(tmp))?;
            (base_url, report)
        }
        Engine::Zola => {
            let base_url = opts.base_url.clone().unwrap_or(staged.base_url.clone());
            let staging = tempfile::tempdir().context("cannot create a staging directory")?;
            staged_tree.write_to(staging.path())?;
            let mut report = engine::RenderReport::default();
            write_output(&out, |tmp| {
                // zola wants to create its output directory itself.
                let inner = tmp.join("site");
                run_zola(staging.path(), &inner, &base_url)?;
                engine::render::collect_files(&inner, "", &mut report.files)?;
                move_children(&inner, tmp)
            })?;
            (base_url, report)
        }
    };
    Ok(BuildReport {
        engine: opts.engine,
        out,
        staged_only: false,
        base_url,
        relative: opts.relative,
        build_date: view.build_date.to_string(),
        sections: rendered.sections,
        pages: rendered.pages,
        feeds: rendered.feeds,
        files: rendered.files.len(),
        errors: 0,
        warnings: 0,
        published_files: staged.published_files,
        written: rendered.files,
    })
}

fn stage_options<'a>(project: &'a Path, opts: &'a BuildOptions) -> StageOptions<'a> {
    StageOptions {
        project,
        base_url: opts.base_url.as_deref(),
    }
}

/// The rendered site with links relative to each page: the root-relative
/// placeholder base URL becomes `../` steps in HTML, and the real base URL
/// in feeds and other text files (which need absolute URLs).
fn relativize_tree(site: Tree, base_url: &str) -> Tree {
    let mut out = Tree::new();
    for rel in site.paths() {
        let bytes = site.get(&rel).unwrap_or_default();
        let Ok(text) = std::str::from_utf8(bytes) else {
            out.insert(rel, bytes.to_vec());
            continue;
        };
        let is_html = rel.ends_with(".html") || rel.ends_with(".htm");
        let text = if is_html {
            relative_links(text, rel.matches('/').count())
        } else {
            absolute_links(text, base_url)
        };
        out.insert(rel, text);
    }
    out
}

/// The placeholder root as written raw and as Tera's autoescape writes it.
const ROOT_FORMS: [&str; 2] = [RELATIVE_ROOT, "file:&#x2F;&#x2F;&#x2F;__vouch_relative__"];

/// Rewrites placeholder URLs in a page `depth` folders deep.
fn relative_links(html: &str, depth: usize) -> String {
    let up = "../".repeat(depth);
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    loop {
        let next = ROOT_FORMS
            .iter()
            .filter_map(|form| rest.find(form).map(|i| (i, form.len())))
            .min();
        let Some((at, len)) = next else {
            out.push_str(rest);
            return out;
        };
        out.push_str(&rest[..at]);
        rest = &rest[at + len..];
        out.push_str(&up);
        match rest
            .strip_prefix('/')
            .or_else(|| rest.strip_prefix("&#x2F;"))
        {
            // The site root itself: name its index.html, as from disk a
            // folder URL shows a listing.
            Some(after)
                if after.is_empty() || after.starts_with(['"', '\'', '#', '?', ' ', '<']) =>
            {
                out.push_str("index.html");
                rest = after;
            }
            Some(after) => rest = after,
            None => out.push_str("index.html"),
        }
    }
}

fn absolute_links(text: &str, base_url: &str) -> String {
    let base = base_url.trim_end_matches('/');
    let mut text = text.to_string();
    for form in ROOT_FORMS {
        text = text.replace(form, base);
    }
    text
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

/// Writes a new version of the folder `target`: `fill` writes into a fresh
/// temp folder beside it (marked with [`MARKER`]), which then takes the
/// place of `target` in one atomic exchange, so at every instant `target`
/// is either the complete old folder or the complete new one. The old one
/// is deleted afterwards. Leftovers of a killed run are removed first; on
/// any error the temp folder is removed.
fn write_output(target: &Path, fill: impl FnOnce(&Path) -> Result<()>) -> Result<()> {
    let parent = target.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent)
        .with_context(|| format!("cannot create {}", parent.display()))?;
    crate::util::remove_stale_siblings(target);
    ensure_replaceable(target)?;
    let tmp = crate::util::TempPath::create_dir(target, "new")
        .with_context(|| format!("cannot create a temp folder in {}", parent.display()))?;
    std::fs::write(
        tmp.path.join(MARKER),
        "Written by `vouch build`: vouch replaces this folder on the next build.\n",
    )
    .with_context(|| format!("cannot write in {}", tmp.path.display()))?;
    fill(&tmp.path)?;
    if std::fs::symlink_metadata(target).is_ok() {
        // After the exchange the temp path holds the old folder; dropping
        // `tmp` deletes it.
        exchange(&tmp.path, target)
            .with_context(|| format!("cannot replace {}", target.display()))?;
    } else {
        std::fs::rename(&tmp.path, target)
            .with_context(|| format!("cannot create {}", target.display()))?;
        tmp.keep();
    }
    Ok(())
}

/// An existing `target` may be replaced only if vouch wrote it (it holds
/// [`MARKER`]) or it is an empty folder.
fn ensure_replaceable(target: &Path) -> Result<()> {
    let Ok(meta) = std::fs::symlink_metadata(target) else {
        return Ok(());
    };
    let empty = || {
        std::fs::read_dir(target)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false)
    };
    if meta.is_dir() && (target.join(MARKER).is_file() || empty()) {
        return Ok(());
    }
    bail!(
        "{} exists and was not written by vouch (no {MARKER} file in it); refusing to replace it: remove it yourself or choose another --out",
        target.display()
    )
}

/// Swaps two paths atomically (Linux `renameat2(RENAME_EXCHANGE)`). Where
/// the file system cannot, falls back to two renames, with a short moment
/// in between where `b` is absent.
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use std::ffi::CString;
        use std::os::unix::ffi::OsStrExt;
        let ca = CString::new(a.as_os_str().as_bytes())?;
        let cb = CString::new(b.as_os_str().as_bytes())?;
        let r = unsafe {
            libc::syscall(
                libc::SYS_renameat2,
                libc::AT_FDCWD,
                ca.as_ptr(),
                libc::AT_FDCWD,
                cb.as_ptr(),
                libc::RENAME_EXCHANGE,
            )
        };
        if r == 0 {
            return Ok(());
        }
        let err = std::io::Error::last_os_error();
        if !matches!(err.raw_os_error(), Some(libc::EINVAL) | Some(libc::ENOSYS)) {
            return Err(err);
        }
    }
    let aside = crate::util::TempPath::create_dir(b, "old")?;
    std::fs::remove_dir(&aside.path)?;
    std::fs::rename(b, &aside.path)?;
    std::fs::rename(a, b)?;
    std::fs::rename(&aside.path, a)?;
    aside.keep();
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
