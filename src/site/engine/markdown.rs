//! Markdown → HTML with pulldown-cmark, the way Zola renders content:
//! tables, footnotes, strikethrough and task lists on; headings get an
//! `id` slugified from their text; `@/path.md` links resolve to permalinks.

use std::collections::BTreeSet;

use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag, TagEnd};

/// Resolves an internal link target (`controls/_index.md`, without `@/`)
/// to a permalink; `None` when no such file exists.
pub type LinkResolver<'a> = &'a dyn Fn(&str) -> Option<String>;

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
}

/// Renders page or section content. Unresolvable `@/` links are errors,
/// as in Zola, reported with the missing target.
pub fn render_content(text: &str, resolve: LinkResolver) -> Result<String, String> {
    let events = resolve_links(Parser::new_ext(text, options()), resolve)?;
    let events = add_heading_ids(events);
    let mut out = String::with_capacity(text.len() * 3 / 2);
    html::push_html(&mut out, events.into_iter());
    Ok(out)
}

/// Zola's `markdown` filter: `inline = true` drops the surrounding `<p>`.
pub fn render_filter(text: &str, inline: bool) -> String {
    let mut out = String::with_capacity(text.len() * 3 / 2);
    html::push_html(&mut out, Parser::new_ext(text, options()));
    if inline {
        let trimmed = out.trim_end();
        if let Some(inner) = trimmed
            .strip_prefix("<p>")
            .and_then(|s| s.strip_suffix("</p>"))
        {
            if !inner.contains("<p>") {
                return inner.to_string();
            }
        }
    }
    out
}

/// The part before `<!-- more -->`, if the marker is present.
pub fn summary_source(text: &str) -> Option<&str> {
    text.find("<!-- more -->").map(|at| &text[..at])
}

fn resolve_links<'a>(parser: Parser<'a>, resolve: LinkResolver) -> Result<Vec<Event<'a>>, String> {
    let mut events = Vec::new();
    for event in parser {
        let event = match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) if dest_url.starts_with("@/") => {
                let target = &dest_url[2..];
                let (file, anchor) = match target.split_once('#') {
                    Some((f, a)) => (f, Some(a)),
                    None => (target, None),
                };
                let mut url = resolve(file)
                    .ok_or_else(|| format!("internal link to a missing file: @/{target}"))?;
                if let Some(anchor) = anchor {
                    url = format!("{url}#{anchor}");
                }
                Event::Start(Tag::Link {
                    link_type,
                    dest_url: CowStr::from(url),
                    title,
                    id,
                })
            }
            other => other,
        };
        events.push(event);
    }
    Ok(events)
}

/// Gives every heading without an explicit id a unique slug id.
fn add_heading_ids(mut events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let mut used = BTreeSet::new();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { id: None, .. }) = &events[i] {
            let text = heading_text(&events[i + 1..]);
            let id = unique_slug(&text, &mut used);
            if let Event::Start(Tag::Heading {
                level,
                classes,
                attrs,
                ..
            }) = std::mem::replace(&mut events[i], Event::Text(CowStr::Borrowed("")))
            {
                events[i] = Event::Start(Tag::Heading {
                    level,
                    id: Some(CowStr::from(id)),
                    classes,
                    attrs,
                });
            }
        }
        i += 1;
    }
    events
}

fn heading_text(rest: &[Event<'_>]) -> String {
    let mut text = String::new();
    for event in rest {
        match event {
            Event::End(TagEnd::Heading(_)) => break,
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            _ => {}
        }
    }
    text
}

fn unique_slug(text: &str, used: &mut BTreeSet<String>) -> String {
    let base = match slug::slugify(text) {
        s if s.is_empty() => "section".to_string(),
        s => s,
    };
    let mut candidate = base.clone();
    let mut n = 1;
    while used.contains(&candidate) {
        candidate = format!("{base}-{n}");
        n += 1;
    }
    used.insert(candidate.clone());
    candidate
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_get_unique_ids_and_links_resolve() {
        let html = render_content(
            "# Hi there\n\n# Hi there\n\n[c](@/controls/_index.md#x)",
            &|p| (p == "controls/_index.md").then(|| "https://x.test/controls/".to_string()),
        )
        .unwrap();
        assert!(html.contains("<h1 id=\"hi-there\">"), "{html}");
        assert!(html.contains("<h1 id=\"hi-there-1\">"), "{html}");
        assert!(
            html.contains("href=\"https://x.test/controls/#x\""),
            "{html}"
        );
    }

    #[test]
    fn missing_internal_link_is_an_error() {
        assert!(render_content("[c](@/nope.md)", &|_| None).is_err());
    }

    #[test]
    fn inline_filter_drops_paragraph() {
        assert_eq!(render_filter("*a*", true), "<em>a</em>");
        assert_eq!(render_filter("<script>", false).trim(), "<script>");
    }
}
