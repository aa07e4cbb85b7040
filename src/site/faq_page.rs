//! `data/faq.json` for the `/faq/` page: the public library entries grouped
//! by topic, each with its answer, explanation, and the controls and
//! criteria it rests on (linked).

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::criteria::Catalog;
use super::public::{FaqEntry, PublicView};

/// The anchor of an entry on the FAQ page: `IAM-001` → `iam-001`.
pub fn anchor(entry: &FaqEntry) -> String {
    match slug::slugify(&entry.id) {
        s if s.is_empty() => "question".to_string(),
        s => format!("q-{s}"),
    }
}

/// `yes`, `no`, `na` or `text`: how the answer is shown.
pub fn answer_kind(answer: &str) -> &'static str {
    match answer.trim().to_ascii_lowercase().as_str() {
        "yes" | "y" => "yes",
        "no" | "n" => "no",
        "n/a" | "na" | "not applicable" => "na",
        _ => "text",
    }
}

/// The FAQ as one flat list of rows in display order (topics in
/// alphabetical order); the first row of a topic carries `topic`, the last
/// one `topic_end`, so the template renders it in a single loop.
pub fn faq_json(view: &PublicView, catalog: &Catalog) -> Value {
    let control_pages: BTreeMap<&str, String> = view
        .controls
        .iter()
        .enumerate()
        .filter_map(|(i, c)| Some((c.id.as_deref()?, catalog.control_page(i)?)))
        .collect();
    let mut topics: Vec<Value> = Vec::new();
    let mut rows: Vec<Value> = Vec::new();
    let entries = &view.faq;
    for (i, e) in entries.iter().enumerate() {
        let first = i == 0 || entries[i - 1].topic != e.topic;
        let last = i + 1 == entries.len() || entries[i + 1].topic != e.topic;
        if first {
            let count = entries[i..]
                .iter()
                .take_while(|x| x.topic == e.topic)
                .count();
            topics.push(json!({
                "id": topic_id(&e.topic),
                "label": e.topic,
                "count": count,
            }));
        }
        rows.push(json!({
            "topic": first.then(|| topics.last().cloned()).flatten(),
            "topic_end": last,
            "id": e.id,
            "anchor": anchor(e),
            "question": e.question,
            "answer": e.answer,
            "answer_kind": answer_kind(&e.answer),
            "comment": e.comment,
            "controls": e.controls.iter().map(|id| json!({
                "id": id,
                "page": control_pages.get(id.as_str()),
            })).collect::<Vec<_>>(),
            "criteria": catalog.chips(&e.criteria),
        }));
    }
    json!({ "total": entries.len(), "topics": topics, "rows": rows })
}

pub fn topic_id(topic: &str) -> String {
    format!("topic-{}", slug::slugify(topic))
}

/// The FAQ entries naming each public control.
pub fn by_control(view: &PublicView) -> BTreeMap<&str, Vec<&FaqEntry>> {
    let mut out: BTreeMap<&str, Vec<&FaqEntry>> = BTreeMap::new();
    for e in &view.faq {
        for id in &e.controls {
            out.entry(id.as_str()).or_default().push(e);
        }
    }
    out
}

/// An entry as a link from a criterion or control page: question, answer
/// and its anchor on `/faq/`.
pub fn link_table(e: &FaqEntry) -> toml::Table {
    let mut t = toml::Table::new();
    t.insert("id".into(), e.id.clone().into());
    t.insert("question".into(), e.question.clone().into());
    t.insert("answer".into(), e.answer.clone().into());
    t.insert("answer_kind".into(), answer_kind(&e.answer).into());
    t.insert("anchor".into(), anchor(e).into());
    t
}
