//! Renders a Zola project directory into an output directory: templates
//! (theme first, site overrides), sections, pages, 404, feeds, sitemap,
//! robots.txt and static files.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{anyhow, bail, Context, Result};
use serde::Serialize;
use serde_json::{json, Value};
use tera::Tera;

use super::config::Config;
use super::content::{section_dir, Content};
use super::features::{self, Kind};
use super::functions::{self, SiteView};
use super::sink::FileSink;
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

/// Renders the Zola project at `root` into `out` (created if needed).
/// `base_url` overrides the one in config.toml; `build_time` is what the
/// `now()` template function returns.
pub fn render_site(
    root: &Path,
    out: &Path,
    base_url: Option<&str>,
    build_time: NaiveDateTime,
) -> Result<RenderReport> {
    let mut config = Config::load(root)?;
    if let Some(url) = base_url {
        config.base_url = url.trim_end_matches('/').to_string();
    }
    let content = Content::load(root, &config)?;
    let site = Arc::new(SiteView::new(root.to_path_buf(), config, content));
    let tera = load_templates(root, &site, build_time)?;
    let mut writer = Writer {
        sink: FileSink::new(out),
        report: RenderReport::default(),
    };
    let config_value = site.config.to_template_value();
    render_sections(&tera, &site, &config_value, &mut writer)?;
    render_pages(&tera, &site, &config_value, &mut writer)?;
    render_extras(&tera, &site, &config_value, &mut writer)?;
    copy_static(root, &site.config, &mut writer)?;
    let mut report = writer.report;
    report.files = writer.sink.flush()?;
    Ok(report)
}

struct Writer {
    sink: FileSink,
    report: RenderReport,
}

impl Writer {
    fn write(&mut self, rel: &str, bytes: &[u8]) -> Result<()> {
        self.sink.add(rel, bytes.to_vec());
        Ok(())
    }
}

/// Template name → (file shown in errors, source). The theme's come first;
/// the site's `templates/` replace them by name.
fn template_sources(root: &Path, config: &Config) -> Result<BTreeMap<String, (String, String)>> {
    let mut sources = BTreeMap::new();
    let mut dirs = Vec::new();
    if let Some(theme) = &config.theme {
        let dir = root.join("themes").join(theme);
        if !dir.is_dir() {
            bail!(
                "config.toml: theme {theme:?} not found in {}",
                dir.display()
            );
        }
        dirs.push((dir.join("templates"), format!("themes/{theme}/templates")));
    }
    dirs.push((root.join("templates"), "templates".to_string()));
    for (dir, shown) in dirs {
        let mut files = Vec::new();
        if dir.is_dir() {
            collect_files(&dir, "", &mut files)?;
        }
        for rel in files {
            let path = dir.join(&rel);
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            sources.insert(rel.clone(), (format!("{shown}/{rel}"), text));
        }
    }
    Ok(sources)
}

fn load_templates(root: &Path, site: &Arc<SiteView>, build_time: NaiveDateTime) -> Result<Tera> {
    let mut sources = template_sources(root, &site.config)?;
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
    let context = tera::Context::from_value(context)
        .map_err(|e| anyhow!("{what}: {}", error_chain(&e)))?;
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

fn render_sections(tera: &Tera, site: &SiteView, config: &Value, w: &mut Writer) -> Result<()> {
    for section in site.content.sections.values() {
        if !section.front.render {
            continue;
        }
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
        w.write(&output_rel(&section.path), html.as_bytes())?;
        w.report.sections += 1;
    }
    Ok(())
}

fn render_pages(tera: &Tera, site: &SiteView, config: &Value, w: &mut Writer) -> Result<()> {
    for (i, page) in site.content.pages.iter().enumerate() {
        if !page.front.render {
            continue;
        }
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
        w.write(&output_rel(&page.path), html.as_bytes())?;
        w.report.pages += 1;
    }
    Ok(())
}

/// 404.html, feeds, sitemap.xml and robots.txt.
fn render_extras(tera: &Tera, site: &SiteView, config: &Value, w: &mut Writer) -> Result<()> {
    let has = |name: &str| tera.get_template_names().any(|n| n == name);
    let base = json!({
        "config": config,
        "lang": site.config.default_language,
        "current_path": "/404.html",
        "current_url": format!("{}/404.html", site.config.base_url),
    });
    if has("404.html") {
        let html = render(tera, "404.html", base, "404.html")?;
        w.write("404.html", html.as_bytes())?;
    }
    for job in feeds::jobs(&site.content, &site.config, &site.page_values, config) {
        let xml = render(tera, &job.template, job.context, &job.out_rel)?;
        w.write(&job.out_rel, xml.as_bytes())?;
        w.report.feeds += 1;
    }
    if site.config.generate_sitemap {
        let context = json!({ "config": config, "entries": sitemap::entries(&site.content) });
        let xml = render(tera, "sitemap.xml", context, "sitemap.xml")?;
        w.write("sitemap.xml", xml.as_bytes())?;
    }
    if site.config.generate_robots_txt {
        let txt = render(
            tera,
            "robots.txt",
            json!({ "config": config }),
            "robots.txt",
        )?;
        w.write("robots.txt", txt.as_bytes())?;
    }
    Ok(())
}

/// The theme's `static/` then the site's (which wins on a clash).
fn copy_static(root: &Path, config: &Config, w: &mut Writer) -> Result<()> {
    let mut dirs = Vec::new();
    if let Some(theme) = &config.theme {
        dirs.push(root.join("themes").join(theme).join("static"));
    }
    dirs.push(root.join("static"));
    let mut files: BTreeMap<String, PathBuf> = BTreeMap::new();
    for dir in dirs {
        let mut rels = Vec::new();
        if dir.is_dir() {
            collect_files(&dir, "", &mut rels)?;
        }
        for rel in rels {
            files.insert(rel.clone(), dir.join(rel));
        }
    }
    for (rel, src) in files {
        let bytes =
            std::fs::read(&src).with_context(|| format!("cannot read {}", src.display()))?;
        w.write(&rel, &bytes)?;
        w.report.static_files += 1;
    }
    Ok(())
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
