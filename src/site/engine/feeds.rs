//! Atom feeds: the site-wide feed (`generate_feeds = true` in config.toml)
//! and one per section whose front matter says `generate_feeds = true`.

use serde_json::{json, Value};

use super::config::Config;
use super::content::{section_dir, Content};

/// The template used when neither the site nor its theme has `atom.xml`.
pub const DEFAULT_ATOM: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{{ lang }}">
  <title>{% if config.title %}{{ config.title | escape_xml | safe }}{% endif %}{% if section and section.title %} - {{ section.title | escape_xml | safe }}{% endif %}</title>
  <link rel="self" type="application/atom+xml" href="{{ feed_url | escape_xml | safe }}"/>
  <updated>{{ last_updated | date(format="%+") }}</updated>
  <id>{{ feed_url | escape_xml | safe }}</id>
  {%- for page in pages %}
  <entry>
    <title>{% if page.title %}{{ page.title | escape_xml | safe }}{% endif %}</title>
    <updated>{% if page.updated %}{{ page.updated | date(format="%+") }}{% else %}{{ page.date | date(format="%+") }}{% endif %}</updated>
    <link rel="alternate" href="{{ page.permalink | escape_xml | safe }}"/>
    <id>{{ page.permalink | escape_xml | safe }}</id>
    <content type="html">{{ page.content | escape_xml | safe }}</content>
  </entry>
  {%- endfor %}
</feed>
"#;

/// One feed to write.
pub struct FeedJob {
    /// Output path relative to the output directory, e.g. `updates/atom.xml`.
    pub out_rel: String,
    /// The feed template name (= the feed file name).
    pub template: String,
    pub context: Value,
}

/// Every feed of the site with its template context.
pub fn jobs(
    content: &Content,
    config: &Config,
    page_values: &[Value],
    config_value: &Value,
) -> Vec<FeedJob> {
    let mut jobs = Vec::new();
    let dated = |indices: &mut dyn Iterator<Item = usize>| -> Vec<usize> {
        indices
            .filter(|&i| content.pages[i].date.is_some())
            .collect()
    };
    for filename in &config.feed_filenames {
        if config.generate_feeds {
            let mut all = dated(&mut (0..content.pages.len()));
            sort_newest_first(&mut all, content);
            jobs.push(job(
                content,
                config,
                page_values,
                config_value,
                filename,
                "",
                None,
                all,
            ));
        }
        for section in content.sections.values() {
            if !section.front.generate_feeds {
                continue;
            }
            let mut pages = dated(&mut section.pages.iter().copied());
            sort_newest_first(&mut pages, content);
            let dir = section_dir(&section.rel);
            jobs.push(job(
                content,
                config,
                page_values,
                config_value,
                filename,
                dir,
                Some(&section.rel),
                pages,
            ));
        }
    }
    jobs
}

fn sort_newest_first(pages: &mut [usize], content: &Content) {
    pages.sort_by(|&a, &b| {
        let (pa, pb) = (&content.pages[a], &content.pages[b]);
        pb.date.cmp(&pa.date).then_with(|| pa.path.cmp(&pb.path))
    });
}

#[allow(clippy::too_many_arguments)]
fn job(
    content: &Content,
    config: &Config,
    page_values: &[Value],
    config_value: &Value,
    filename: &str,
    dir: &str,
    section: Option<&str>,
    mut pages: Vec<usize>,
) -> FeedJob {
    if let Some(limit) = config.feed_limit {
        pages.truncate(limit);
    }
    let out_rel = if dir.is_empty() {
        filename.to_string()
    } else {
        format!("{dir}/{filename}")
    };
    // The feed URL is a file, never an index.html, even in local mode.
    let feed_url = format!("{}/{}", config.base_url, out_rel);
    let last_updated = pages
        .iter()
        .filter_map(|&i| {
            let p = &content.pages[i];
            p.updated.clone().or_else(|| p.date.clone())
        })
        .max()
        .unwrap_or_else(|| "1970-01-01".to_string());
    let section_value = section.and_then(|rel| content.section_value(rel, None));
    FeedJob {
        out_rel,
        template: filename.to_string(),
        context: json!({
            "config": config_value,
            "feed_url": feed_url,
            "last_updated": last_updated,
            "lang": config.default_language,
            "pages": pages.iter().map(|&i| page_values[i].clone()).collect::<Vec<_>>(),
            "section": section_value,
        }),
    }
}
