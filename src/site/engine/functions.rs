//! Zola's global template functions (`load_data`, `get_section`, `get_page`,
//! `get_url`) and its `markdown` filter, registered on a Tera instance.

use std::collections::{BTreeMap, HashMap};
use std::path::{Component, Path};
use std::sync::{Arc, Mutex};

use serde_json::Value;
use tera::{Function, Tera};

use super::config::{toml_to_json, Config};
use super::content::Content;
use super::markdown;
use super::tree::Tree;

/// What the functions can see: the site's files, config and content.
pub struct SiteView {
    /// The project's files.
    pub tree: Tree,
    pub config: Config,
    pub content: Content,
    /// `page` values, by index into `content.pages`.
    pub page_values: Vec<Value>,
    /// `section` values with their pages, by relative path.
    pub section_values: BTreeMap<String, Value>,
    /// Parsed `load_data` files, so a template called per page reads once.
    data_cache: Mutex<BTreeMap<String, Value>>,
}

impl SiteView {
    pub fn new(tree: Tree, config: Config, content: Content) -> SiteView {
        let page_values: Vec<Value> = (0..content.pages.len())
            .map(|i| content.page_value(i))
            .collect();
        let section_values = content
            .sections
            .keys()
            .filter_map(|rel| {
                content
                    .section_value(rel, Some(&page_values))
                    .map(|v| (rel.clone(), v))
            })
            .collect();
        SiteView {
            tree,
            config,
            content,
            page_values,
            section_values,
            data_cache: Mutex::new(BTreeMap::new()),
        }
    }

    /// The permalink of `content/<rel>`, a section or a page.
    pub fn content_permalink(&self, rel: &str) -> Option<String> {
        let rel = rel.trim_start_matches('/');
        if let Some(s) = self.content.sections.get(rel) {
            return Some(s.permalink.clone());
        }
        self.content
            .page_by_rel
            .get(rel)
            .map(|&i| self.content.pages[i].permalink.clone())
    }

    /// Zola's file searching logic, restricted to the project directory:
    /// the tree path of the file, if found.
    fn find_file(&self, path: &str) -> tera::Result<Option<String>> {
        let path = match path.strip_prefix("@/") {
            Some(rest) => format!("content/{rest}"),
            None => path.trim_start_matches('/').to_string(),
        };
        let rel = Path::new(&path);
        if rel
            .components()
            .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir))
        {
            return Err(format!("path {path:?} must stay inside the site directory").into());
        }
        let path = rel
            .components()
            .filter_map(|c| match c {
                Component::Normal(part) => part.to_str(),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join("/");
        let mut bases = vec![String::new(), "static/".to_string(), "content/".to_string()];
        if let Some(theme) = &self.config.theme {
            bases.push(format!("themes/{theme}/static/"));
        }
        Ok(bases
            .into_iter()
            .map(|b| format!("{b}{path}"))
            .find(|p| self.tree.contains(p)))
    }
}

pub fn register(tera: &mut Tera, site: &Arc<SiteView>) {
    tera.register_function("load_data", LoadData(site.clone()));
    tera.register_function("get_section", GetSection(site.clone()));
    tera.register_function("get_page", GetPage(site.clone()));
    tera.register_function("get_url", GetUrl(site.clone()));
    tera.register_filter("markdown", markdown_filter);
}

fn markdown_filter(value: &Value, args: &HashMap<String, Value>) -> tera::Result<Value> {
    let text = value
        .as_str()
        .ok_or("the markdown filter expects a string")?;
    let inline = args.get("inline").and_then(Value::as_bool).unwrap_or(false);
    Ok(Value::String(markdown::render_filter(text, inline)))
}

fn str_arg<'a>(args: &'a HashMap<String, Value>, name: &str, func: &str) -> tera::Result<&'a str> {
    args.get(name)
        .and_then(Value::as_str)
        .ok_or_else(|| format!("{func}: the `{name}` argument (a string) is required").into())
}

fn bool_arg(args: &HashMap<String, Value>, name: &str, default: bool) -> bool {
    args.get(name).and_then(Value::as_bool).unwrap_or(default)
}

struct LoadData(Arc<SiteView>);

impl Function for LoadData {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        if args.contains_key("url") {
            return Err(
                "load_data(url=...) is not supported: the builtin engine never uses the network"
                    .into(),
            );
        }
        let format = args.get("format").and_then(Value::as_str);
        if let Some(literal) = args.get("literal").and_then(Value::as_str) {
            return parse_data(literal, format.unwrap_or("plain"), "literal");
        }
        let path = str_arg(args, "path", "load_data")?;
        let Some(file) = self.0.find_file(path)? else {
            if bool_arg(args, "required", true) {
                return Err(format!("load_data: file {path:?} not found").into());
            }
            return Ok(Value::Null);
        };
        let format = match format {
            Some(f) => f.to_string(),
            None => Path::new(&file)
                .extension()
                .and_then(|e| e.to_str())
                .unwrap_or("plain")
                .to_ascii_lowercase(),
        };
        let key = format!("{file}\u{0}{format}");
        let cached = self
            .0
            .data_cache
            .lock()
            .ok()
            .and_then(|c| c.get(&key).cloned());
        if let Some(v) = cached {
            return Ok(v);
        }
        let text = self
            .0
            .tree
            .get(&file)
            .and_then(|b| std::str::from_utf8(b).ok())
            .ok_or_else(|| format!("load_data: {path:?} is not UTF-8 text"))?;
        let value = parse_data(text, &format, path)?;
        if let Ok(mut cache) = self.0.data_cache.lock() {
            cache.insert(key, value.clone());
        }
        Ok(value)
    }

    fn is_safe(&self) -> bool {
        false
    }
}

fn parse_data(text: &str, format: &str, what: &str) -> tera::Result<Value> {
    match format {
        "json" => serde_json::from_str(text)
            .map_err(|e| format!("load_data: {what}: invalid JSON: {e}").into()),
        "toml" => toml::from_str::<toml::Value>(text)
            .map(|v| toml_to_json(&v))
            .map_err(|e| format!("load_data: {what}: invalid TOML: {e}").into()),
        "csv" => parse_csv(text).map_err(|e| format!("load_data: {what}: invalid CSV: {e}").into()),
        "plain" | "txt" | "md" | "html" => Ok(Value::String(text.to_string())),
        other => Err(format!(
            "load_data: format {other:?} is not supported by the builtin engine (json, toml, csv, plain)"
        )
        .into()),
    }
}

/// Zola's CSV shape: `{"headers": [...], "records": [[...], ...]}`.
fn parse_csv(text: &str) -> Result<Value, csv::Error> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.as_bytes());
    let headers: Vec<Value> = reader
        .headers()?
        .iter()
        .map(|h| Value::String(h.to_string()))
        .collect();
    let mut records = Vec::new();
    for record in reader.records() {
        let record = record?;
        records.push(Value::Array(
            record
                .iter()
                .map(|f| Value::String(f.to_string()))
                .collect(),
        ));
    }
    Ok(serde_json::json!({ "headers": headers, "records": records }))
}

struct GetSection(Arc<SiteView>);

impl Function for GetSection {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let path = str_arg(args, "path", "get_section")?.trim_start_matches("@/");
        let mut value = self
            .0
            .section_values
            .get(path)
            .cloned()
            .ok_or_else(|| format!("get_section: no section content/{path}"))?;
        if bool_arg(args, "metadata_only", false) {
            value["pages"] = Value::Array(Vec::new());
        }
        Ok(value)
    }
}

struct GetPage(Arc<SiteView>);

impl Function for GetPage {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let path = str_arg(args, "path", "get_page")?.trim_start_matches("@/");
        self.0
            .content
            .page_by_rel
            .get(path)
            .map(|&i| self.0.page_values[i].clone())
            .ok_or_else(|| format!("get_page: no page content/{path}").into())
    }
}

struct GetUrl(Arc<SiteView>);

impl Function for GetUrl {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let path = str_arg(args, "path", "get_url")?;
        if bool_arg(args, "cachebust", false) {
            return Err("get_url: cachebust is not supported by the builtin engine".into());
        }
        if let Some(target) = path.strip_prefix("@/") {
            let (file, anchor) = match target.split_once('#') {
                Some((f, a)) => (f, Some(a)),
                None => (target, None),
            };
            let mut url = self
                .0
                .content_permalink(file)
                .ok_or_else(|| format!("get_url: no content file @/{file}"))?;
            if let Some(a) = anchor {
                url = format!("{url}#{a}");
            }
            return Ok(Value::String(url));
        }
        let config = &self.0.config;
        let mut url = format!("{}/{}", config.base_url, path.trim_start_matches('/'));
        if bool_arg(args, "trailing_slash", false) && !url.ends_with('/') {
            url.push('/');
        }
        if config.is_local() && url.ends_with('/') {
            url.push_str("index.html");
        }
        Ok(Value::String(url))
    }

    /// URLs are not HTML-escaped, as in Zola (which marks `get_url` safe).
    fn is_safe(&self) -> bool {
        true
    }
}
