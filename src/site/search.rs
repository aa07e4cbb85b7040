//! The site's own search index, built at staging time and published as
//! `search-index.js` (a script, so that it loads from `file://` too, where
//! browsers refuse to fetch JSON). It covers controls, criteria, FAQ
//! entries, reports, documents, subprocessors and updates.
//!
//! The index is compact JSON assigned to `window.VOUCH_SEARCH`:
//!
//! ```text
//! {"v":1,"kinds":["Control",...],"docs":[[kind, title, path, words, note?], ...]}
//! ```
//!
//! `path` is relative to the site root (`controls/ac-01/`, `faq/#q-iam-001`);
//! `words` holds each distinct searchable word of the item's text that is
//! not already in its title (lower case, stop words left out); `note` is a
//! short line shown under the title (a FAQ answer, a status).

use std::collections::BTreeSet;

use anyhow::Result;
use serde_json::{json, Value};

use super::criteria::Catalog;
use super::faq_page;
use super::public::{self, PublicView};
use super::stage;
use super::summary::status_label;

const KINDS: [&str; 7] = [
    "Control",
    "Criterion",
    "Question",
    "Report",
    "Document",
    "Subprocessor",
    "Update",
];

/// Words too common to help a search.
const STOP_WORDS: &[&str] = &[
    "the", "and", "for", "are", "with", "that", "this", "from", "our", "your", "you", "not", "all",
    "any", "its", "has", "have", "was", "were", "will", "can", "use", "used", "uses", "each",
    "which", "who", "into", "per", "via", "also", "but", "than", "then", "they", "them", "their",
    "there", "these", "those", "such", "when", "where", "what", "how", "does", "did", "been",
    "being", "more", "most", "only", "other", "over", "under", "within", "without", "about",
    "after", "before", "both", "every", "once", "must", "may", "should", "would", "could", "one",
    "two", "out", "off", "own", "same", "some", "very", "just", "yes",
];

/// The index as the JavaScript file the theme loads.
pub fn index_js(view: &PublicView, catalog: &Catalog) -> Result<String> {
    let index = index(view, catalog);
    Ok(format!(
        "window.VOUCH_SEARCH={};\n",
        serde_json::to_string(&index)?
    ))
}

pub fn index(view: &PublicView, catalog: &Catalog) -> Value {
    let mut docs: Vec<Value> = Vec::new();
    let mut push = |kind: usize, title: &str, path: String, text: &str, note: Option<&str>| {
        let mut doc = vec![
            json!(kind),
            json!(title),
            json!(path),
            json!(words(text, title)),
        ];
        if let Some(n) = note.filter(|n| !n.is_empty()) {
            doc.push(json!(n));
        }
        docs.push(Value::Array(doc));
    };
    for (i, c) in view.controls.iter().enumerate() {
        let note = status_label(&c.status);
        match (&c.id, &catalog.control_slugs[i]) {
            (Some(id), Some(slug)) => push(
                0,
                &format!("{id} {}", c.title),
                format!("controls/{slug}/"),
                &format!(
                    "{} {} {}",
                    c.description.as_deref().unwrap_or(""),
                    c.domain.as_deref().unwrap_or(""),
                    c.criteria.join(" ")
                ),
                Some(note),
            ),
            // Listed by title only: the controls page, filtered to it.
            _ => push(
                0,
                &c.title,
                format!("controls/?q={}", stage::percent_encode(&c.title)),
                &c.criteria.join(" "),
                Some(note),
            ),
        }
    }
    for c in &catalog.criteria {
        push(
            1,
            &format!("{} {}", c.id, c.title),
            format!("criteria/{}/", c.slug),
            &format!("{} {}", c.description, c.group_title),
            Some(public::category_label(c.category)),
        );
    }
    for e in &view.faq {
        let note: String = e.answer.chars().take(80).collect();
        push(
            2,
            &e.question,
            format!("faq/#{}", faq_page::anchor(e)),
            &format!("{} {} {}", e.comment, e.topic, e.controls.join(" ")),
            Some(&note),
        );
    }
    let report_anchors = stage::report_anchors(view);
    for (r, anchor) in view.reports.iter().zip(&report_anchors) {
        let summary = r
            .details
            .as_ref()
            .and_then(|d| d.summary.as_deref())
            .map(plain_text)
            .unwrap_or_default();
        push(
            3,
            &r.title,
            format!("reports/#{anchor}"),
            &format!("{} {summary}", public::report_kind_label(&r.kind)),
            Some(access_note(&r.access)),
        );
    }
    let document_anchors = stage::document_anchors(view);
    for (d, anchor) in view.documents.iter().zip(&document_anchors) {
        let summary = d
            .details
            .as_ref()
            .and_then(|x| x.summary.as_deref())
            .map(plain_text)
            .unwrap_or_default();
        push(
            4,
            &d.title,
            format!("documents/#{anchor}"),
            &format!("{} {summary}", d.kind),
            Some(access_note(&d.access)),
        );
    }
    for (s, slug) in view
        .subprocessors
        .iter()
        .zip(stage::subprocessor_slugs(view))
    {
        push(
            5,
            &s.name,
            format!("subprocessors/{slug}/"),
            &format!("{} {} {}", s.purpose, s.data, s.location),
            Some(&s.purpose),
        );
    }
    for u in &view.updates {
        push(
            6,
            &u.title,
            format!("updates/{}/", update_slug(&u.slug)),
            &plain_text(&u.body),
            Some(&u.date.to_string()),
        );
    }
    json!({ "v": 1, "kinds": KINDS, "docs": docs })
}

fn access_note(access: &str) -> &'static str {
    match access {
        "public" => "Public",
        "nda" => "Under NDA",
        _ => "On request",
    }
}

/// The URL slug Zola (and the builtin engine) give `content/updates/<stem>.md`:
/// a `YYYY-MM-DD-` or `YYYY-MM-DD_` prefix is dropped, the rest slugified.
pub fn update_slug(stem: &str) -> String {
    let rest = match (stem.get(..10), stem.get(10..11), stem.get(11..)) {
        (Some(date), Some("-" | "_"), Some(rest))
            if !rest.is_empty() && chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").is_ok() =>
        {
            rest
        }
        _ => stem,
    };
    slug::slugify(rest)
}

/// The text of Markdown, without markup.
pub fn plain_text(markdown: &str) -> String {
    use pulldown_cmark::{Event, Parser};
    let mut out = String::new();
    for event in Parser::new(markdown) {
        match event {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                out.push_str(&t);
                out.push(' ');
            }
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            _ => {}
        }
    }
    out
}

/// The distinct searchable words of `text` that `title` does not already
/// hold, in order of appearance, space-separated.
pub fn words(text: &str, title: &str) -> String {
    let mut seen: BTreeSet<String> = split_words(title).collect();
    let mut out: Vec<String> = Vec::new();
    for w in split_words(text) {
        let keep = (w.chars().count() >= 3 || w.chars().all(|c| c.is_ascii_digit()))
            && !STOP_WORDS.contains(&w.as_str());
        if keep && seen.insert(w.clone()) {
            out.push(w);
        }
    }
    out.join(" ")
}

/// Lower-case words: letters and digits, keeping inner `.` and `-` of ids
/// such as `CC6.1` or `AC-01` as one word.
fn split_words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !(c.is_alphanumeric() || c == '.' || c == '-'))
        .map(|w| w.trim_matches(|c: char| c == '.' || c == '-'))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_distinct_and_skip_the_title() {
        assert_eq!(
            words(
                "Backups are encrypted; backups are tested (CC6.1, A1.2).",
                "Daily backups"
            ),
            "encrypted tested cc6.1 a1.2"
        );
    }

    #[test]
    fn update_slugs_match_zola() {
        assert_eq!(update_slug("2026-08-20-soc2"), "soc2");
        assert_eq!(update_slug("2026-08-20_New thing"), "new-thing");
        assert_eq!(update_slug("notes"), "notes");
        assert_eq!(update_slug("2026-08-2é-x"), "2026-08-2e-x");
    }
}
