//! Text from data files reaches the site safe by construction: Markdown is
//! rendered with raw HTML shown as text, and only `https:`, `http:` and
//! `mailto:` links (or links within the site) are published. `vouch check`
//! reports every other link scheme with [`check_links`].

use pulldown_cmark::{html, Event, LinkType, Options, Parser, Tag, TagEnd};

use crate::diag::Finding;
use crate::model::Project;

/// The link schemes the site may publish.
pub const ALLOWED_SCHEMES: [&str; 3] = ["https", "http", "mailto"];

/// The scheme of a URL as a browser reads it (lower case, with the tabs,
/// newlines and leading spaces browsers strip removed), or `None` for a
/// relative URL (`/controls/`, `#faq`, `files/a.pdf`).
pub fn scheme(url: &str) -> Option<String> {
    let cleaned: String = url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let end = cleaned.find([':', '/', '?', '#'])?;
    if !cleaned[end..].starts_with(':') {
        return None;
    }
    let name = &cleaned[..end];
    // Anything before the colon that is not a valid scheme name still makes
    // browsers guess; treat it as a scheme so it is refused, not published.
    Some(name.to_ascii_lowercase())
}

/// True for `https:`, `http:`, `mailto:` and same-site relative URLs.
pub fn is_allowed_url(url: &str) -> bool {
    match scheme(url) {
        None => true,
        Some(s) => ALLOWED_SCHEMES.contains(&s.as_str()),
    }
}

/// `url` if it may be published, else `None`.
pub fn allowed(url: &Option<String>) -> Option<String> {
    url.clone().filter(|u| is_allowed_url(u))
}

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

/// Markdown from the data files → HTML. Raw HTML is shown as text (data
/// reaches the site escaped, never as markup); a link or image whose scheme
/// is not allowed keeps its text and loses its target; images become links
/// (the site loads nothing it did not publish itself).
pub fn markdown_html(text: &str) -> String {
    let mut events: Vec<Event> = Vec::new();
    // For each open link or image: whether it was kept (a dropped one keeps
    // its text, as plain text, and loses its closing tag too).
    let mut open: Vec<bool> = Vec::new();
    for event in Parser::new_ext(text, options()) {
        match event {
            Event::Html(raw) | Event::InlineHtml(raw) => events.push(Event::Text(raw)),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                if is_allowed_url(&dest_url) {
                    open.push(true);
                    events.push(Event::Start(Tag::Link {
                        link_type,
                        dest_url,
                        title,
                        id,
                    }));
                } else {
                    open.push(false);
                }
            }
            Event::End(TagEnd::Link) => {
                if open.pop() == Some(true) {
                    events.push(Event::End(TagEnd::Link));
                }
            }
            Event::Start(Tag::Image {
                dest_url,
                title,
                id,
                ..
            }) => {
                if is_allowed_url(&dest_url) {
                    open.push(true);
                    events.push(Event::Start(Tag::Link {
                        link_type: LinkType::Inline,
                        dest_url,
                        title,
                        id,
                    }));
                } else {
                    open.push(false);
                }
            }
            Event::End(TagEnd::Image) => {
                if open.pop() == Some(true) {
                    events.push(Event::End(TagEnd::Link));
                }
            }
            other => events.push(other),
        }
    }
    let mut out = String::with_capacity(text.len() * 3 / 2);
    html::push_html(&mut out, events.into_iter());
    out
}

/// [`markdown_html`] as the body of a Zola content file: one line inside a
/// `<div>` (an HTML block neither Zola nor the builtin engine re-reads as
/// Markdown), with `{` and `}` as character references so that Zola never
/// sees a shortcode in data.
pub fn markdown_as_content(text: &str) -> String {
    let html = markdown_html(text);
    let mut out = String::with_capacity(html.len() + 64);
    out.push_str("<div class=\"data-text\">");
    for c in html.trim_end().chars() {
        match c {
            '\n' => out.push_str("&#10;"),
            '\r' => {}
            '{' => out.push_str("&#123;"),
            '}' => out.push_str("&#125;"),
            c => out.push(c),
        }
    }
    out.push_str("</div>\n");
    out
}

/// The link and image targets in Markdown `text` whose scheme is not allowed.
pub fn bad_links(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for event in Parser::new_ext(text, options()) {
        if let Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) = event {
            if !is_allowed_url(&dest_url) {
                out.push(dest_url.to_string());
            }
        }
    }
    out
}

/// One finding per link in data text or URL field whose scheme may not be
/// published: only https, http and mailto links reach the site.
pub fn check_links(p: &Project) -> Vec<Finding> {
    let mut out = Vec::new();
    let company_text =
        std::fs::read_to_string(p.root.join("data/company.toml")).unwrap_or_default();
    let company_line = |key: &str| {
        company_text
            .lines()
            .position(|l| {
                let l = l.trim_start();
                l.starts_with(key) && l[key.len()..].trim_start().starts_with('=')
            })
            .map_or(1, |i| i + 1)
    };
    let mut url_field = |file: &str, line: usize, field: &str, url: &Option<String>| {
        if let Some(u) = url {
            if !is_allowed_url(u) {
                out.push(bad_scheme(file, line, field, u));
            }
        }
    };
    let c = &p.company;
    url_field(
        "data/company.toml",
        company_line("website"),
        "website",
        &Some(c.website.clone()),
    );
    url_field(
        "data/company.toml",
        company_line("security_contact"),
        "security_contact",
        &Some(c.security_contact.clone()),
    );
    url_field(
        "data/company.toml",
        company_line("request_access_url"),
        "request_access_url",
        &c.trust_center.request_access_url,
    );
    url_field(
        "data/company.toml",
        company_line("vulnerability_policy_url"),
        "vulnerability_policy_url",
        &c.trust_center.vulnerability_policy_url,
    );
    for s in &p.subprocessors {
        url_field(&s.origin.file, s.origin.line, "website", &s.website);
    }
    let mut text_field = |file: &str, line: usize, field: &str, text: &str| {
        for url in bad_links(text) {
            out.push(bad_scheme(file, line, field, &url));
        }
    };
    text_field(
        "data/company.toml",
        company_line("description"),
        "description",
        &c.description,
    );
    for (name, text) in &c.boundaries {
        text_field("data/company.toml", company_line(name), name, text);
    }
    for r in &p.reports {
        if let Some(s) = &r.summary {
            text_field(&r.origin.file, r.origin.line_of("summary"), "summary", s);
        }
    }
    for d in &p.documents {
        if let Some(s) = &d.summary {
            text_field(&d.origin.file, d.origin.line_of("summary"), "summary", s);
        }
    }
    for u in &p.updates {
        text_field(&u.origin.file, u.origin.line, "body", &u.body);
    }
    out
}

fn bad_scheme(file: &str, line: usize, field: &str, url: &str) -> Finding {
    let shown: String = url.chars().take(60).collect();
    Finding::error(
        file,
        format!(
            "link {shown:?}: only https, http and mailto links are published (scheme {:?})",
            scheme(url).unwrap_or_default()
        ),
    )
    .at(line)
    .field(field)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes_are_read_like_a_browser() {
        assert_eq!(scheme("javascript:alert(1)").as_deref(), Some("javascript"));
        assert_eq!(scheme(" JaVa\tScript:x").as_deref(), Some("javascript"));
        assert_eq!(scheme("data:text/html,x").as_deref(), Some("data"));
        assert_eq!(scheme("/controls/"), None);
        assert_eq!(scheme("a/b:c"), None);
        assert_eq!(scheme("#x:y"), None);
        assert!(is_allowed_url("https://x.test"));
        assert!(is_allowed_url("MAILTO:a@b.test"));
        assert!(is_allowed_url("files/a.pdf"));
        assert!(!is_allowed_url("vbscript:x"));
        assert!(!is_allowed_url("java\nscript:alert(1)"));
    }

    #[test]
    fn raw_html_is_text_and_bad_links_lose_their_target() {
        let html = markdown_html(
            "Hi <script>alert(1)</script> **b** <img src=x onerror=alert(1)>\n\n\
             [ok](https://x.test) [bad](javascript:alert(1)) [enc](jav&#x61;script:alert(1)) \
             <data:text/html,x> ![pic](data:image/png;base64,AA) ![logo](https://x.test/l.png)",
        );
        assert!(!html.contains("<script>"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(html.contains("<strong>b</strong>"));
        assert!(html.contains("<a href=\"https://x.test\">ok</a>"), "{html}");
        assert!(!html.to_lowercase().contains("javascript:"), "{html}");
        assert!(!html.contains("href=\"data:"), "{html}");
        assert!(html.contains("bad") && html.contains("enc"), "{html}");
        assert!(
            html.contains("<a href=\"https://x.test/l.png\">logo</a>"),
            "{html}"
        );
    }

    #[test]
    fn content_body_is_one_inert_line() {
        let body = markdown_as_content("Para {{ shortcode() }}\n\n```\ncode\n\nmore\n```\n");
        assert_eq!(body.lines().count(), 1, "{body}");
        assert!(!body.contains("{{"), "{body}");
        assert!(body.starts_with("<div class=\"data-text\">"));
    }

    #[test]
    fn bad_links_are_listed() {
        let bad = bad_links("[a](javascript:x) [b](https://ok.test) <data:x>");
        assert_eq!(bad, ["javascript:x", "data:x"]);
    }
}
