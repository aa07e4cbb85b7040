//! The site half of `vouch check` (and so of the validation `vouch build`
//! runs first): `site/config.toml`, the front matter of every
//! `site/content/**/*.md`, the theme, and symlinks in `site/` and `themes/`
//! that would pull in files from outside the project.

use std::path::Path;

use crate::diag::Finding;
use crate::guard;

use super::engine::content::front_matter_problems;
use super::theme;

const CONFIG: &str = "site/config.toml";

/// The top-level keys of a Zola `config.toml` (Zola 0.19). Others are
/// reported, with the closest valid key, as Zola itself would reject them.
const ZOLA_CONFIG_KEYS: &[&str] = &[
    "base_url",
    "title",
    "description",
    "default_language",
    "theme",
    "output_dir",
    "preserve_dotfiles_in_output",
    "compile_sass",
    "minify_html",
    "ignored_content",
    "ignored_static",
    "generate_feeds",
    "feed_limit",
    "feed_filenames",
    "hard_link_static",
    "taxonomies",
    "author",
    "build_search_index",
    "markdown",
    "link_checker",
    "slugify",
    "search",
    "translations",
    "languages",
    "generate_sitemap",
    "generate_robots_txt",
    "exclude_paginated_pages_in_sitemap",
    "extra",
];

/// Findings about `site/` and the theme; none when the project has no
/// `site/` folder (a project used only to answer questionnaires).
pub fn check_site(root: &Path) -> Vec<Finding> {
    let site = match guard::resolve_dir(root, "site") {
        Ok(Some(dir)) => dir,
        Ok(None) => return Vec::new(),
        Err(msg) => return vec![Finding::error("site", msg)],
    };
    let mut out = Vec::new();
    walk(root, &site, "site", &mut out);
    let theme = check_config(root, &mut out);
    if let Some(theme) = theme {
        if let Ok(Some(dir)) = guard::resolve_dir(root, &format!("themes/{theme}")) {
            walk(root, &dir, &format!("themes/{theme}"), &mut out);
        }
    }
    out
}

/// Checks `site/config.toml`; returns its theme.
fn check_config(root: &Path, out: &mut Vec<Finding>) -> Option<String> {
    let text = match std::fs::read_to_string(root.join(CONFIG)) {
        Ok(text) => text,
        Err(_) => {
            out.push(Finding::error(
                CONFIG,
                "missing: the trust center's Zola project needs it (`vouch init DIR` writes a starter project)",
            ));
            return None;
        }
    };
    let table: toml::Table = match text.parse() {
        Ok(t) => t,
        Err(e) => {
            let line = e
                .span()
                .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1)
                .unwrap_or(1);
            let msg = e.message().lines().next().unwrap_or("invalid TOML").trim();
            out.push(Finding::error(CONFIG, format!("invalid TOML: {msg}")).at(line));
            return None;
        }
    };
    for key in table.keys() {
        if !ZOLA_CONFIG_KEYS.contains(&key.as_str()) {
            let msg = crate::model::unknown_key_message(key, ZOLA_CONFIG_KEYS);
            out.push(
                Finding::error(CONFIG, msg)
                    .at(key_line(&text, key))
                    .field(key.as_str()),
            );
        }
    }
    match table.get("base_url").and_then(|v| v.as_str()) {
        None => out.push(
            Finding::error(
                CONFIG,
                "missing required field: the site's public address, e.g. \"https://trust.example.com\"",
            )
            .at(1)
            .field("base_url"),
        ),
        Some(url) => {
            if let Err(msg) = crate::site::build::check_base_url(url) {
                out.push(
                    Finding::error(CONFIG, msg)
                        .at(key_line(&text, "base_url"))
                        .field("base_url"),
                );
            }
        }
    }
    let theme = table
        .get("theme")
        .and_then(|v| v.as_str())
        .map(str::to_string);
    if let Some(name) = &theme {
        if !theme::exists(root, name) {
            out.push(
                Finding::error(
                    CONFIG,
                    format!(
                        "theme {name:?} not found in themes/{name} (the embedded theme is {:?})",
                        theme::DEFAULT_THEME
                    ),
                )
                .at(key_line(&text, "theme"))
                .field("theme"),
            );
        }
    }
    theme
}

/// The line of a top-level `key = ...`, else 1.
fn key_line(text: &str, key: &str) -> usize {
    for (i, line) in text.lines().enumerate() {
        let t = line.trim_start();
        if t.starts_with('[') {
            break;
        }
        if let Some(rest) = t.strip_prefix(key) {
            if rest.trim_start().starts_with('=') {
                return i + 1;
            }
        }
    }
    1
}

/// Walks a folder of the site or theme: symlinks must stay inside the
/// project, only regular files are read, and content files need valid
/// front matter.
fn walk(root: &Path, dir: &Path, shown: &str, out: &mut Vec<Finding>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        out.push(Finding::error(shown, "cannot read this folder"));
        return;
    };
    let mut entries: Vec<_> = entries.flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        let rel = format!("{shown}/{name}");
        let path = entry.path();
        let real = match guard::resolve_inside(root, &path, &rel) {
            Ok(real) => real,
            Err(msg) => {
                out.push(Finding::error(&rel, msg));
                continue;
            }
        };
        if real.is_dir() {
            walk(root, &path, &rel, out);
        } else if !real.is_file() {
            out.push(Finding::error(
                &rel,
                "not a regular file or folder (a FIFO, socket or device is never read)",
            ));
        } else if rel.starts_with("site/content/") && rel.ends_with(".md") {
            check_content_file(&path, &rel, out);
        }
    }
}

fn check_content_file(path: &Path, rel: &str, out: &mut Vec<Finding>) {
    let text = match std::fs::read(path).map(String::from_utf8) {
        Ok(Ok(text)) => text,
        _ => {
            out.push(Finding::error(rel, "not UTF-8 text").at(1));
            return;
        }
    };
    let section = rel.ends_with("/_index.md");
    for p in front_matter_problems(&text, section) {
        let mut f = Finding::error(rel, p.message).at(p.line);
        if let Some(key) = p.key {
            f = f.field(key);
        }
        out.push(f);
    }
}
