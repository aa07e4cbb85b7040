//! Renders a Zola project directory into an output directory: templates
//! (theme first, site overrides), sections, pages, 404, feeds, sitemap,
//! robots.txt and static files.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use anyhow::{anyhow, bail, Context, Result};
use serde::Serialize;
use serde_json::{json, Value};
use tera::Tera;

use super::config::Config;
use super::content::{section_dir, Content};
use super::features::{self, Kind};
use super::functions::{self, SiteView};
use super::tree::Tree;
use super::{feeds, filters, sitemap};
use chrono::NaiveDateTime;

/// What a render produced.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RenderReport {
    pub sections: usize,
    pub pages: usize,
    pub feeds: usize,
    pub static_files: usize,
    /// Every file written, relative to the output directory, sorted.
    pub files: Vec<String>,
}

/// Renders the Zola project directory `root` into `out` (created if
/// needed). `base_url` overrides the one in config.toml; `build_time` is
/// what the `now()` template function returns.
pub fn render_site(
    root: &Path,
    out: &Path,
    base_url: Option<&str>,
    build_time: NaiveDateTime,
) -> Result<RenderReport> {
    let project = Tree::read_dir(root)?;
    let (site, report) = render_tree(project, base_url, build_time)?;
    site.write_to(out)?;
    Ok(report)
}

/// Renders a Zola project held in memory; returns the site's files.
pub fn render_tree(
    project: Tree,
    base_url: Option<&str>,
    build_time: NaiveDateTime,
) -> Result<(Tree, RenderReport)> {
    let mut config = Config::load(&project)?;
    if let Some(url) = base_url {
        config.base_url = url.trim_end_matches('/').to_string();
    }
    let content = Content::load(&project, &config)?;
    let site = Arc::new(SiteView::new(project, config, content));
    let tera = load_templates(&site, build_time)?;
    let mut writer = Writer {
        out: Tree::new(),
        report: RenderReport::default(),
    };
    let config_value = site.config.to_template_value();
    render_sections(&tera, &site, &config_value, &mut writer)?;
    render_pages(&tera, &site, &config_value, &mut writer)?;
    render_extras(&tera, &site, &config_value, &mut writer)?;
    copy_static(&site, &mut writer);
    let mut report = writer.report;
    report.files = writer.out.paths();
    Ok((writer.out, report))
}

struct Writer {
    out: Tree,
    report: RenderReport,
}

impl Writer {
    fn write(&mut self, rel: &str, text: String) -> Result<()> {
        self.out.insert(rel, text);
        Ok(())
    }
}

/// Template name → (file shown in errors, source). The theme's come first;
/// the site's `templates/` replace them by name.
fn template_sources(site: &SiteView) -> Result<BTreeMap<String, (String, String)>> {
    let mut sources = BTreeMap::new();
    let mut dirs = Vec::new();
    if let Some(theme) = &site.config.theme {
        let dir = format!("themes/{theme}/");
        if site.tree.under(&dir).next().is_none() {
            bail!("config.toml: theme {theme:?} not found in themes/{theme}");
        }
        dirs.push(format!("themes/{theme}/templates/"));
    }
    dirs.push("templates/".to_string());
    for dir in &dirs {
        for (rel, bytes) in site.tree.under(dir) {
            let text =
                std::str::from_utf8(bytes).map_err(|_| anyhow!("{dir}{rel}: not UTF-8 text"))?;
            sources.insert(rel.to_string(), (format!("{dir}{rel}"), text.to_string()));
        }
    }
    Ok(sources)
}

fn load_templates(site: &Arc<SiteView>, build_time: NaiveDateTime) -> Result<Tera> {
    let mut sources = template_sources(site)?;
    for (name, text) in [
        ("atom.xml", feeds::DEFAULT_ATOM),
        ("sitemap.xml", sitemap::DEFAULT_SITEMAP),
        ("robots.txt", sitemap::DEFAULT_ROBOTS),
    ] {
        sources
            .entry(name.to_string())
            .or_insert_with(|| (format!("(builtin {name})"), text.to_string()));
    }
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html", ".htm", ".xml"]);
    functions::register(&mut tera, site);
    filters::register(&mut tera, build_time);
    check_features(&tera, &sources)?;
    tera.add_raw_templates(
        sources
            .iter()
            .map(|(name, (_, text))| (name.as_str(), text.as_str())),
    )
    .map_err(|e| anyhow!("{}", error_chain(&e)))
    .context("cannot load the templates")?;
    Ok(tera)
}

/// Rejects templates calling a function, filter or test the engine lacks,
/// naming the file, the line and the feature.
fn check_features(tera: &Tera, sources: &BTreeMap<String, (String, String)>) -> Result<()> {
    for (shown, text) in sources.values() {
        for used in features::scan(text) {
            let known = match used.kind {
                Kind::Function => tera.get_function(&used.name).is_ok(),
                // `safe` and `default` are built into the renderer, not registered.
                Kind::Filter => {
                    matches!(used.name.as_str(), "safe" | "default")
                        || tera.get_filter(&used.name).is_ok()
                }
                Kind::Test => tera.get_tester(&used.name).is_ok(),
            };
            if !known {
                bail!(
                    "{shown}:{}: unsupported {} `{}`: the builtin engine supports the Zola subset listed in docs/site.md (or build with --engine zola)",
                    used.line,
                    used.kind.noun(),
                    used.name
                );
            }
        }
    }
    Ok(())
}

/// A Tera error with its causes, which hold the useful part.
fn error_chain(err: &tera::Error) -> String {
    let mut text = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

fn render(tera: &Tera, template: &str, context: Value, what: &str) -> Result<String> {
    if tera.get_template_names().all(|n| n != template) {
        bail!("{what}: template {template:?} not found in templates/ or the theme");
    }
    let context =
        tera::Context::from_value(context).map_err(|e| anyhow!("{what}: {}", error_chain(&e)))?;
    tera.render(template, &context)
        .map_err(|e| anyhow!("{what}: {}", error_chain(&e)))
}

fn output_rel(path: &str) -> String {
    let dir = path.trim_matches('/');
    if dir.is_empty() {
        "index.html".to_string()
    } else {
        format!("{dir}/index.html")
    }
}

/// Runs `f` over `items` on a few threads (rendering is CPU-bound and
/// every page is independent), keeping the items' order in the results.
fn parallel_map<T: Sync, R: Send>(
    items: &[T],
    f: impl Fn(&T) -> Result<R> + Sync,
) -> Result<Vec<R>> {
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 8);
    if threads == 1 || items.len() < 2 {
        return items.iter().map(&f).collect();
    }
    let chunk = items.len().div_ceil(threads);
    let f = &f;
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(f).collect::<Result<Vec<R>>>()))
            .collect();
        let mut out = Vec::with_capacity(items.len());
        for handle in handles {
            let part = handle
                .join()
                .map_err(|_| anyhow!("a render thread panicked"))??;
            out.extend(part);
        }
        Ok(out)
    })
}

fn render_sections(tera: &Tera, site: &SiteView, config: &Value, w: &mut Writer) -> Result<()> {
    let sections: Vec<_> = site
        .content
        .sections
        .values()
        .filter(|s| s.front.render)
        .collect();
    let rendered = parallel_map(&sections, |section| {
        let template = section.front.template.clone().unwrap_or_else(|| {
            if section_dir(&section.rel).is_empty() {
                "index.html".to_string()
            } else {
                "section.html".to_string()
            }
        });
        let context = json!({
            "config": config,
            "section": site.section_values[&section.rel],
            "current_path": section.path,
            "current_url": section.permalink,
            "lang": site.config.default_language,
        });
        let html = render(
            tera,
            &template,
            context,
            &format!("content/{}", section.rel),
        )?;
        Ok((output_rel(&section.path), html))
    })?;
    for (rel, html) in rendered {
        w.write(&rel, html)?;
        w.report.sections += 1;
    }
    Ok(())
}

fn render_pages(tera: &Tera, site: &SiteView, config: &Value, w: &mut Writer) -> Result<()> {
    let pages: Vec<usize> = (0..site.content.pages.len())
        .filter(|&i| site.content.pages[i].front.render)
        .collect();
    let rendered = parallel_map(&pages, |&i| {
        let page = &site.content.pages[i];
        let template = page
            .front
            .template
            .clone()
            .or_else(|| {
                site.content
                    .sections
                    .get(&page.section)
                    .and_then(|s| s.front.page_template.clone())
            })
            .unwrap_or_else(|| "page.html".to_string());
        let context = json!({
            "config": config,
            "page": site.page_values[i],
            "current_path": page.path,
            "current_url": page.permalink,
            "lang": site.config.default_language,
        });
        let html = render(tera, &template, context, &format!("content/{}", page.rel))?;
        Ok((output_rel(&page.path), html))
    })?;
    for (rel, html) in rendered {
        w.write(&rel, html)?;
        w.report.pages += 1;
    }
    Ok(())
}

/// 404.html, feeds, sitemap.xml and robots.txt.
fn render_extras(tera: &Tera, site: &SiteView, config: &Value, w: &mut Writer) -> Result<()> {
    let has = |name: &str| tera.get_template_names().any(|n| n == name);
    // As in Zola: the 404 page knows no current path or URL.
    let base = json!({
        "config": config,
        "lang": site.config.default_language,
    });
    if has("404.html") {
        let html = render(tera, "404.html", base, "404.html")?;
        w.write("404.html", html)?;
    }
    for job in feeds::jobs(&site.content, &site.config, &site.page_values, config) {
        let xml = render(tera, &job.template, job.context, &job.out_rel)?;
        w.write(&job.out_rel, xml)?;
        w.report.feeds += 1;
    }
    if site.config.generate_sitemap {
        let context = json!({ "config": config, "entries": sitemap::entries(&site.content) });
        let xml = render(tera, "sitemap.xml", context, "sitemap.xml")?;
        w.write("sitemap.xml", xml)?;
    }
    if site.config.generate_robots_txt {
        let txt = render(
            tera,
            "robots.txt",
            json!({ "config": config }),
            "robots.txt",
        )?;
        w.write("robots.txt", txt)?;
    }
    Ok(())
}

/// The theme's `static/` then the site's (which wins on a clash).
fn copy_static(site: &SiteView, w: &mut Writer) {
    let mut dirs = Vec::new();
    if let Some(theme) = &site.config.theme {
        dirs.push(format!("themes/{theme}/static/"));
    }
    dirs.push("static/".to_string());
    let mut files: BTreeMap<&str, &[u8]> = BTreeMap::new();
    for dir in &dirs {
        for (rel, bytes) in site.tree.under(dir) {
            files.insert(rel, bytes);
        }
    }
    for (rel, bytes) in files {
        w.out.insert(rel, bytes);
        w.report.static_files += 1;
    }
}

/// Every file under `dir`, as `/`-separated relative paths, sorted.
pub fn collect_files(dir: &Path, prefix: &str, out: &mut Vec<String>) -> Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .collect::<std::io::Result<_>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        let rel = if prefix.is_empty() {
            name
        } else {
            format!("{prefix}/{name}")
        };
        if entry.file_type()?.is_dir() {
            collect_files(&entry.path(), &rel, out)?;
        } else {
            out.push(rel);
        }
    }
    Ok(())
}
