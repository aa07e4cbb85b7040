//! The `content/` tree: sections (`_index.md`) and pages (`*.md`) with TOML
//! front matter between `+++` lines, their URLs, sorting and rendering.

use std::collections::BTreeMap;

use anyhow::{bail, Context, Result};
use serde::Deserialize;
use serde_json::{json, Value};

use super::config::{toml_to_json, Config};
use super::markdown;
use super::tree::Tree;

#[derive(Debug, Clone, Default, Deserialize)]
pub struct SectionFront {
    pub title: Option<String>,
    pub description: Option<String>,
    #[serde(default)]
    pub sort_by: Option<String>,
    #[serde(default)]
    pub weight: i64,
    pub template: Option<String>,
    pub page_template: Option<String>,
    #[serde(default = "yes")]
    pub render: bool,
    #[serde(default)]
    pub generate_feeds: bool,
    pub paginate_by: Option<usize>,
    #[serde(default)]
    pub extra: toml::Table,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct PageFront {
    pub title: Option<String>,
    pub description: Option<String>,
    pub date: Option<toml::Value>,
    pub updated: Option<toml::Value>,
    pub weight: Option<i64>,
    pub slug: Option<String>,
    pub path: Option<String>,
    pub template: Option<String>,
    #[serde(default)]
    pub draft: bool,
    #[serde(default = "yes")]
    pub render: bool,
    #[serde(default)]
    pub extra: toml::Table,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone)]
pub struct Section {
    /// Relative to `content/`, e.g. `controls/_index.md`.
    pub rel: String,
    pub front: SectionFront,
    pub body: String,
    pub path: String,
    pub permalink: String,
    pub content: String,
    /// Indices into [`Content::pages`], sorted per `sort_by`.
    pub pages: Vec<usize>,
    /// Relative paths of direct subsections, sorted.
    pub subsections: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Page {
    pub rel: String,
    pub front: PageFront,
    pub body: String,
    pub slug: String,
    pub date: Option<String>,
    pub updated: Option<String>,
    pub path: String,
    pub permalink: String,
    pub content: String,
    pub summary: Option<String>,
    /// Relative path of the section holding the page.
    pub section: String,
}

/// Every section and page of a site, with URLs and rendered Markdown.
#[derive(Debug, Default)]
pub struct Content {
    pub sections: BTreeMap<String, Section>,
    pub pages: Vec<Page>,
    pub page_by_rel: BTreeMap<String, usize>,
}

/// Page front matter keys: Zola's, less those the engine does not support.
pub const PAGE_KEYS: &[&str] = &[
    "title",
    "description",
    "date",
    "updated",
    "weight",
    "slug",
    "path",
    "template",
    "draft",
    "render",
    "extra",
    "authors",
    "in_search_index",
];

/// Section front matter keys: Zola's, less those the engine does not support.
pub const SECTION_KEYS: &[&str] = &[
    "title",
    "description",
    "sort_by",
    "weight",
    "template",
    "page_template",
    "render",
    "generate_feeds",
    "extra",
    "in_search_index",
    "insert_anchor_links",
];

/// Zola keys the builtin engine does not implement: an error that says so,
/// rather than a silently different site.
const UNSUPPORTED_KEYS: &[&str] = &[
    "aliases",
    "taxonomies",
    "redirect_to",
    "transparent",
    "paginate_by",
    "paginate_path",
    "paginate_reversed",
];

/// A problem in a content file's front matter: 1-based line in the file,
/// the key (if any) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrontProblem {
    pub line: usize,
    pub key: Option<String>,
    pub message: String,
}

/// Every problem in the front matter of a content file (`section`: an
/// `_index.md`): TOML syntax, unknown keys (with the closest valid key),
/// keys the builtin engine does not support. Zola too rejects unknown keys.
pub fn front_matter_problems(text: &str, section: bool) -> Vec<FrontProblem> {
    let problem = |line, key: Option<&str>, message: String| FrontProblem {
        line,
        key: key.map(str::to_string),
        message,
    };
    let front = match split_front_matter(text) {
        Ok((front, _)) => front,
        Err(e) => return vec![problem(1, None, e.to_string())],
    };
    // The front matter starts on line 2, after the opening +++.
    let table: toml::Table = match toml::from_str(front) {
        Ok(t) => t,
        Err(e) => {
            let line = e
                .span()
                .map(|s| front[..s.start.min(front.len())].matches('\n').count() + 2)
                .unwrap_or(1);
            let msg = e.message().lines().next().unwrap_or("invalid TOML").trim();
            return vec![problem(line, None, format!("invalid front matter: {msg}"))];
        }
    };
    let known = if section { SECTION_KEYS } else { PAGE_KEYS };
    let mut out = Vec::new();
    for key in table.keys() {
        if known.contains(&key.as_str()) {
            continue;
        }
        let line = front_key_line(front, key);
        let message = if UNSUPPORTED_KEYS.contains(&key.as_str()) {
            "not supported by the builtin engine (see docs/site.md; or build with --engine zola)"
                .to_string()
        } else {
            match crate::diag::did_you_mean(key, known) {
                Some(s) => format!("unknown key (did you mean {s:?}?)"),
                None => format!("unknown key (expected one of: {})", known.join(", ")),
            }
        };
        out.push(problem(line, Some(key), message));
    }
    for key in ["date", "updated"] {
        if let Some(value) = table.get(key) {
            if let Err(e) = date_string(value) {
                out.push(problem(
                    front_key_line(front, key),
                    Some(key),
                    e.to_string(),
                ));
            }
        }
    }
    out.sort_by_key(|p| p.line);
    out
}

/// The line in the file of a top-level `key = ...` of the front matter.
fn front_key_line(front: &str, key: &str) -> usize {
    for (i, line) in front.lines().enumerate() {
        let t = line.trim_start();
        if t.starts_with('[') {
            break;
        }
        let bare = t.trim_start_matches(['"', '\'']);
        if let Some(rest) = bare.strip_prefix(key) {
            if rest
                .trim_start_matches(['"', '\''])
                .trim_start()
                .starts_with('=')
            {
                return i + 2;
            }
        }
    }
    1
}

/// Splits `+++\nTOML\n+++\nbody`; a file without front matter is all body.
pub fn split_front_matter(text: &str) -> Result<(&str, &str)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Some(rest) = text
        .strip_prefix("+++\n")
        .or_else(|| text.strip_prefix("+++\r\n"))
    else {
        if text.starts_with("---") {
            bail!("YAML front matter (---) is not supported; use TOML between +++ lines");
        }
        return Ok(("", text));
    };
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "+++" {
            return Ok((&rest[..offset], &rest[offset + line.len()..]));
        }
        offset += line.len();
    }
    bail!("front matter opened with +++ is never closed")
}

impl Content {
    /// Reads `content/` of a project tree (absent is fine: an empty site).
    pub fn load(tree: &Tree, config: &Config) -> Result<Content> {
        let mut content = Content::default();
        for (rel, bytes) in tree.under("content/") {
            if !rel.ends_with(".md") {
                continue;
            }
            let text = std::str::from_utf8(bytes)
                .map_err(|_| anyhow::anyhow!("content/{rel}: error: not UTF-8 text"))?;
            let section = rel == "_index.md" || rel.ends_with("/_index.md");
            if let Some(p) = front_matter_problems(text, section).first() {
                let key = p
                    .key
                    .as_deref()
                    .map(|k| format!("{k}: "))
                    .unwrap_or_default();
                bail!("content/{rel}:{}: error: {key}{}", p.line, p.message);
            }
            content
                .add_file(rel, text)
                .with_context(|| format!("content/{rel}"))?;
        }
        content.add_implicit_sections();
        content.assign_urls(config)?;
        content.link_tree();
        content.render_markdown()?;
        Ok(content)
    }

    fn add_file(&mut self, rel: &str, text: &str) -> Result<()> {
        let (front, body) = split_front_matter(text)?;
        if rel == "_index.md" || rel.ends_with("/_index.md") {
            let front: SectionFront = toml::from_str(front).context("invalid front matter")?;
            if front.paginate_by.is_some() {
                bail!("paginate_by: pagination is not supported by the builtin engine");
            }
            self.sections
                .insert(rel.to_string(), Section::new(rel, front, body));
        } else {
            let front: PageFront = toml::from_str(front).context("invalid front matter")?;
            if front.draft {
                return Ok(());
            }
            self.page_by_rel.insert(rel.to_string(), self.pages.len());
            self.pages.push(Page::new(rel, front, body)?);
        }
        Ok(())
    }

    /// Every directory holding pages gets a section, rendered or not, and
    /// the root section always exists.
    fn add_implicit_sections(&mut self) {
        let mut needed = vec!["_index.md".to_string()];
        for page in &self.pages {
            needed.push(page.section.clone());
        }
        let mut starts: Vec<String> = self.sections.keys().cloned().collect();
        starts.extend(needed.iter().cloned());
        for rel in &starts {
            let mut dir = section_dir(rel).to_string();
            while !dir.is_empty() {
                dir = match dir.rsplit_once('/') {
                    Some((parent, _)) => parent.to_string(),
                    None => String::new(),
                };
                needed.push(section_rel(&dir));
            }
        }
        for rel in needed {
            self.sections.entry(rel.clone()).or_insert_with(|| {
                let front = SectionFront {
                    render: rel == "_index.md",
                    ..SectionFront::default()
                };
                Section::new(&rel, front, "")
            });
        }
    }

    fn assign_urls(&mut self, config: &Config) -> Result<()> {
        for section in self.sections.values_mut() {
            let dir = section_dir(&section.rel);
            section.path = if dir.is_empty() {
                "/".to_string()
            } else {
                format!("/{dir}/")
            };
            section.permalink = permalink(config, &section.path);
        }
        let mut seen: BTreeMap<String, String> = BTreeMap::new();
        for page in &mut self.pages {
            page.path = match &page.front.path {
                Some(p) => format!("/{}/", p.trim_matches('/')),
                None => {
                    let dir = section_dir(&page.section);
                    if dir.is_empty() {
                        format!("/{}/", page.slug)
                    } else {
                        format!("/{dir}/{}/", page.slug)
                    }
                }
            };
            if let Some(other) = seen.insert(page.path.clone(), page.rel.clone()) {
                bail!(
                    "content/{} and content/{other} both render to {}",
                    page.rel,
                    page.path
                );
            }
            page.permalink = permalink(config, &page.path);
        }
        Ok(())
    }

    fn link_tree(&mut self) {
        let rels: Vec<String> = self.sections.keys().cloned().collect();
        for rel in &rels {
            if rel == "_index.md" {
                continue;
            }
            let parent = parent_section(section_dir(rel));
            if let Some(p) = self.sections.get_mut(&parent) {
                p.subsections.push(rel.clone());
            }
        }
        for (i, page) in self.pages.iter().enumerate() {
            if let Some(s) = self.sections.get_mut(&page.section) {
                s.pages.push(i);
            }
        }
        let pages = &self.pages;
        for section in self.sections.values_mut() {
            section.subsections.sort();
            sort_pages(&mut section.pages, pages, section.front.sort_by.as_deref());
        }
    }

    fn render_markdown(&mut self) -> Result<()> {
        let links: BTreeMap<String, String> = self
            .sections
            .values()
            .map(|s| (s.rel.clone(), s.permalink.clone()))
            .chain(
                self.pages
                    .iter()
                    .map(|p| (p.rel.clone(), p.permalink.clone())),
            )
            .collect();
        let resolve = |target: &str| links.get(target.trim_start_matches('/')).cloned();
        for section in self.sections.values_mut() {
            section.content = markdown::render_content(&section.body, &resolve)
                .map_err(|e| anyhow::anyhow!("content/{}: {e}", section.rel))?;
        }
        for page in &mut self.pages {
            page.content = markdown::render_content(&page.body, &resolve)
                .map_err(|e| anyhow::anyhow!("content/{}: {e}", page.rel))?;
            if let Some(src) = markdown::summary_source(&page.body) {
                page.summary = Some(
                    markdown::render_content(src, &resolve)
                        .map_err(|e| anyhow::anyhow!("content/{}: {e}", page.rel))?,
                );
            }
        }
        Ok(())
    }

    /// The `page` variable of templates.
    pub fn page_value(&self, i: usize) -> Value {
        let p = &self.pages[i];
        let words = p.body.split_whitespace().count();
        let (year, month, day) = date_parts(p.date.as_deref());
        json!({
            "relative_path": p.rel,
            "title": p.front.title,
            "description": p.front.description,
            "date": p.date,
            "updated": p.updated,
            "year": year, "month": month, "day": day,
            "slug": p.slug,
            "path": p.path,
            "permalink": p.permalink,
            "components": components(&p.path),
            "ancestors": self.ancestors(&p.section, true),
            "content": p.content,
            "summary": p.summary,
            "weight": p.front.weight,
            "draft": p.front.draft,
            "extra": toml_to_json(&toml::Value::Table(p.front.extra.clone())),
            "word_count": words,
            "reading_time": words.div_ceil(200),
            "lang": "en",
            "toc": [],
            "assets": [],
            "taxonomies": {},
            "translations": [],
        })
    }

    /// The `section` variable of templates; `with_pages = false` is
    /// `get_section(metadata_only=true)`.
    pub fn section_value(&self, rel: &str, page_values: Option<&[Value]>) -> Option<Value> {
        let s = self.sections.get(rel)?;
        let words = s.body.split_whitespace().count();
        let pages: Vec<Value> = match page_values {
            Some(values) => s.pages.iter().map(|&i| values[i].clone()).collect(),
            None => Vec::new(),
        };
        Some(json!({
            "relative_path": s.rel,
            "title": s.front.title,
            "description": s.front.description,
            "path": s.path,
            "permalink": s.permalink,
            "components": components(&s.path),
            "ancestors": if rel == "_index.md" { Vec::new() } else {
                self.ancestors(&parent_section(section_dir(rel)), true) },
            "content": s.content,
            "extra": toml_to_json(&toml::Value::Table(s.front.extra.clone())),
            "pages": pages,
            "subsections": s.subsections,
            "generate_feeds": s.front.generate_feeds,
            "word_count": words,
            "reading_time": words.div_ceil(200),
            "lang": "en",
            "toc": [],
            "assets": [],
            "translations": [],
        }))
    }

    /// Relative paths of the sections from the root down to `rel`.
    fn ancestors(&self, rel: &str, include_self: bool) -> Vec<String> {
        let mut out = Vec::new();
        let mut dir = section_dir(rel).to_string();
        if include_self {
            out.push(rel.to_string());
        }
        while !dir.is_empty() {
            let parent = parent_section(&dir);
            dir = section_dir(&parent).to_string();
            out.push(parent);
        }
        out.reverse();
        out.dedup();
        out
    }
}

impl Section {
    fn new(rel: &str, front: SectionFront, body: &str) -> Section {
        Section {
            rel: rel.to_string(),
            front,
            body: body.to_string(),
            path: String::new(),
            permalink: String::new(),
            content: String::new(),
            pages: Vec::new(),
            subsections: Vec::new(),
        }
    }
}

impl Page {
    fn new(rel: &str, front: PageFront, body: &str) -> Result<Page> {
        let (dir, file) = match rel.rsplit_once('/') {
            Some((d, f)) => (d, f),
            None => ("", rel),
        };
        let stem = file.strip_suffix(".md").unwrap_or(file);
        let (file_date, stem) = split_date_prefix(stem);
        let date = match &front.date {
            Some(v) => Some(date_string(v).context("date")?),
            None => file_date,
        };
        let updated = match &front.updated {
            Some(v) => Some(date_string(v).context("updated")?),
            None => None,
        };
        let slug = match &front.slug {
            Some(s) => s.clone(),
            None => slug::slugify(stem),
        };
        Ok(Page {
            rel: rel.to_string(),
            front,
            body: body.to_string(),
            slug,
            date,
            updated,
            path: String::new(),
            permalink: String::new(),
            content: String::new(),
            summary: None,
            section: section_rel(dir),
        })
    }
}

/// `controls/_index.md` → `controls`; `_index.md` → ``.
pub fn section_dir(rel: &str) -> &str {
    rel.strip_suffix("_index.md")
        .unwrap_or(rel)
        .trim_end_matches('/')
}

fn section_rel(dir: &str) -> String {
    if dir.is_empty() {
        "_index.md".to_string()
    } else {
        format!("{dir}/_index.md")
    }
}

fn parent_section(dir: &str) -> String {
    match dir.rsplit_once('/') {
        Some((parent, _)) => section_rel(parent),
        None => section_rel(""),
    }
}

/// The absolute URL of a site path. In local mode (a `file://` base URL)
/// directory URLs name their `index.html` so that links work from disk.
pub fn permalink(config: &Config, path: &str) -> String {
    let mut url = format!("{}{}", config.base_url, path);
    if config.is_local() && url.ends_with('/') {
        url.push_str("index.html");
    }
    url
}

fn components(path: &str) -> Vec<&str> {
    path.split('/').filter(|c| !c.is_empty()).collect()
}

fn date_string(value: &toml::Value) -> Result<String> {
    let s = match value {
        toml::Value::Datetime(d) => d.to_string(),
        toml::Value::String(s) => s.clone(),
        _ => bail!("expected a date such as 2026-08-20"),
    };
    // `get` rather than slicing: a non-ASCII character may straddle byte 10.
    let head = s.get(..10).unwrap_or("");
    if chrono::NaiveDate::parse_from_str(head, "%Y-%m-%d").is_err() {
        bail!("{s:?} is not a date such as 2026-08-20");
    }
    Ok(s)
}

fn split_date_prefix(stem: &str) -> (Option<String>, &str) {
    // A date is ASCII: when byte 10 is not a character boundary there is none.
    if let (Some(head), Some(rest)) = (stem.get(..10), stem.get(10..)) {
        if rest.len() > 1
            && chrono::NaiveDate::parse_from_str(head, "%Y-%m-%d").is_ok()
            && (rest.starts_with('-') || rest.starts_with('_'))
        {
            return (Some(head.to_string()), &rest[1..]);
        }
    }
    (None, stem)
}

fn date_parts(date: Option<&str>) -> (Option<i32>, Option<u32>, Option<u32>) {
    use chrono::Datelike;
    match date.and_then(|d| chrono::NaiveDate::parse_from_str(d.get(..10)?, "%Y-%m-%d").ok()) {
        Some(d) => (Some(d.year()), Some(d.month()), Some(d.day())),
        None => (None, None, None),
    }
}

/// Zola's orders: `date` newest first, `weight` lightest first, `title`
/// alphabetical; pages missing the key go last; ties by path.
fn sort_pages(indices: &mut [usize], pages: &[Page], sort_by: Option<&str>) {
    indices.sort_by(|&a, &b| {
        let (pa, pb) = (&pages[a], &pages[b]);
        let primary = match sort_by {
            Some("date") => cmp_missing_last(pb.date.as_ref(), pa.date.as_ref(), true),
            Some("update_date") => cmp_missing_last(
                pb.updated.as_ref().or(pb.date.as_ref()),
                pa.updated.as_ref().or(pa.date.as_ref()),
                true,
            ),
            Some("weight") => {
                cmp_missing_last(pa.front.weight.as_ref(), pb.front.weight.as_ref(), false)
            }
            Some("title") => {
                cmp_missing_last(pa.front.title.as_ref(), pb.front.title.as_ref(), false)
            }
            _ => std::cmp::Ordering::Equal,
        };
        primary.then_with(|| pa.path.cmp(&pb.path))
    });
}

/// Compares two optional keys, `None` last. `reversed` means the
/// arguments were swapped for a descending order, so `None` handling flips.
fn cmp_missing_last<T: Ord>(a: Option<&T>, b: Option<&T>, reversed: bool) -> std::cmp::Ordering {
    use std::cmp::Ordering::*;
    match (a, b) {
        (Some(x), Some(y)) => x.cmp(y),
        (None, None) => Equal,
        (None, Some(_)) => {
            if reversed {
                Less
            } else {
                Greater
            }
        }
        (Some(_), None) => {
            if reversed {
                Greater
            } else {
                Less
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_split() {
        let (f, b) = split_front_matter("+++\ntitle = \"x\"\n+++\nbody\n").unwrap();
        assert_eq!(f, "title = \"x\"\n");
        assert_eq!(b, "body\n");
        assert!(split_front_matter("+++\ntitle = 1\n").is_err());
        assert_eq!(split_front_matter("plain").unwrap(), ("", "plain"));
    }

    #[test]
    fn date_prefix_becomes_date() {
        assert_eq!(
            split_date_prefix("2026-08-20-hello"),
            (Some("2026-08-20".to_string()), "hello")
        );
        assert_eq!(split_date_prefix("hello"), (None, "hello"));
        // Non-ASCII names and dates never panic (byte 10 inside a character).
        assert_eq!(
            split_date_prefix("aéééééxyz-note"),
            (None, "aéééééxyz-note")
        );
        assert!(date_string(&toml::Value::String("2026-03-0€x".into())).is_err());
    }
}
