//! `config.toml` of a Zola project: the subset the engine understands.
//!
//! Unknown top-level keys are accepted (Zola has many we ignore, e.g.
//! `compile_sass`), so a real Zola config works unchanged.

use anyhow::{Context, Result};
use serde::Deserialize;
use serde_json::{json, Value};

use super::tree::Tree;

#[derive(Debug, Clone, Deserialize)]
pub struct Config {
    pub base_url: String,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub theme: Option<String>,
    #[serde(default = "default_language")]
    pub default_language: String,
    #[serde(default)]
    pub generate_feeds: bool,
    #[serde(default = "default_feed_filenames")]
    pub feed_filenames: Vec<String>,
    #[serde(default)]
    pub feed_limit: Option<usize>,
    #[serde(default = "yes")]
    pub generate_sitemap: bool,
    #[serde(default = "yes")]
    pub generate_robots_txt: bool,
    #[serde(default)]
    pub extra: toml::Table,
}

fn default_language() -> String {
    "en".to_string()
}

fn default_feed_filenames() -> Vec<String> {
    vec!["atom.xml".to_string()]
}

fn yes() -> bool {
    true
}

impl Config {
    /// Reads `config.toml` of a project tree.
    pub fn load(tree: &Tree) -> Result<Config> {
        let text = tree
            .text("config.toml")?
            .context("config.toml not found: not a Zola project")?;
        Config::parse(text).context("config.toml: invalid config")
    }

    pub fn parse(text: &str) -> Result<Config> {
        let mut config: Config = toml::from_str(text)?;
        // Like Zola: base_url never ends with a slash.
        while config.base_url.ends_with('/') {
            config.base_url.pop();
        }
        Ok(config)
    }

    /// Local mode: the site is meant to be opened from disk, so links
    /// to sections and pages name `index.html` explicitly.
    pub fn is_local(&self) -> bool {
        self.base_url.starts_with("file://")
    }

    /// The `config` variable of every template.
    pub fn to_template_value(&self) -> Value {
        json!({
            "base_url": self.base_url,
            "title": self.title,
            "description": self.description,
            "theme": self.theme,
            "default_language": self.default_language,
            "generate_feeds": self.generate_feeds,
            "feed_filenames": self.feed_filenames,
            "extra": toml_to_json(&toml::Value::Table(self.extra.clone())),
        })
    }
}

/// TOML → JSON for templates; dates become `YYYY-MM-DD` strings like Zola's.
pub fn toml_to_json(value: &toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::String(s.clone()),
        toml::Value::Integer(i) => json!(i),
        toml::Value::Float(f) => json!(f),
        toml::Value::Boolean(b) => json!(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(items) => Value::Array(items.iter().map(toml_to_json).collect()),
        toml::Value::Table(table) => Value::Object(
            table
                .iter()
                .map(|(k, v)| (k.clone(), toml_to_json(v)))
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailing_slash_is_trimmed_and_extra_kept() {
        let c = Config::parse("base_url = \"https://x.test/\"\n[extra]\nk = 1\n").unwrap();
        assert_eq!(c.base_url, "https://x.test");
        assert_eq!(c.to_template_value()["extra"]["k"], json!(1));
        assert!(!c.is_local());
    }
}
