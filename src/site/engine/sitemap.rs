//! `sitemap.xml` and `robots.txt`, from templates of those names when the
//! site or theme has them, else from the defaults below.

use serde_json::{json, Value};

use super::content::Content;

pub const DEFAULT_SITEMAP: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
{%- for entry in entries %}
    <url>
        <loc>{{ entry.permalink | escape_xml | safe }}</loc>
        {%- if entry.updated %}
        <lastmod>{{ entry.updated }}</lastmod>
        {%- endif %}
    </url>
{%- endfor %}
</urlset>
"#;

pub const DEFAULT_ROBOTS: &str =
    "User-agent: *\nDisallow:\nAllow: /\nSitemap: {{ get_url(path=\"sitemap.xml\") }}\n";

/// Every rendered section and page, sorted by permalink.
pub fn entries(content: &Content) -> Vec<Value> {
    let mut entries: Vec<(String, Option<String>)> = content
        .sections
        .values()
        .filter(|s| s.front.render)
        .map(|s| (s.permalink.clone(), None))
        .chain(content.pages.iter().filter(|p| p.front.render).map(|p| {
            let updated = p.updated.clone().or_else(|| p.date.clone());
            (
                p.permalink.clone(),
                updated.map(|d| d.chars().take(10).collect()),
            )
        }))
        .collect();
    entries.sort();
    entries
        .into_iter()
        .map(|(permalink, updated)| json!({ "permalink": permalink, "updated": updated }))
        .collect()
}
