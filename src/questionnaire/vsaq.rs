//! VSAQ (Google's Vendor Security Assessment Questionnaire) JSON files.
//! They are not strict JSON: `//` comment lines and `"..." +` string joins
//! are removed first. Answerable items (radiogroup, checkgroup, line, box)
//! become rows of a one-sheet grid:
//! `id | type | section | question | choices | answer | comment`.

use std::path::Path;

use anyhow::{Context, Result};
use serde_json::Value;

use super::detect::Overrides;
use super::limits::{GridBuilder, Limits};
use super::sheet::Grid;

const HEADER: [&str; 7] = [
    "id", "type", "section", "question", "choices", "answer", "comment",
];
const ANSWERABLE: [&str; 4] = ["radiogroup", "checkgroup", "line", "box"];

/// The fixed layout of the grid built here.
pub fn overrides() -> Overrides {
    Overrides {
        header_row: Some(1),
        question_col: Some("D".into()),
        answer_col: Some("F".into()),
        comment_col: Some("G".into()),
        id_col: Some("A".into()),
        include_hidden: true,
    }
}

pub fn read_vsaq(path: &Path, bytes: &[u8], limits: &Limits) -> Result<Grid> {
    let text = String::from_utf8_lossy(bytes);
    let json = to_strict_json(&text);
    let value: Value = serde_json::from_str(&json)
        .with_context(|| format!("{}: not a valid VSAQ questionnaire", path.display()))?;
    let items = value
        .get("questionnaire")
        .with_context(|| format!("{}: no \"questionnaire\" array", path.display()))?;
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "vsaq".into());
    let mut rows: Vec<[String; 5]> = Vec::new();
    walk(items, "", &mut rows);
    let mut grid = GridBuilder::new(Grid::new(name), limits, path);
    for (c, h) in HEADER.iter().enumerate() {
        grid.add(1, c as u32, h.to_string())?;
    }
    for (i, cells) in rows.into_iter().enumerate() {
        for (c, v) in cells.into_iter().enumerate() {
            grid.add(i as u32 + 2, c as u32, v)?;
        }
    }
    Ok(grid.finish())
}

/// Drops `//` comment lines and joins `"a" +\n "b"` into `"ab"`.
fn to_strict_json(text: &str) -> String {
    let kept: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect();
    let joined = kept.join("\n");
    let mut out = String::with_capacity(joined.len());
    let mut rest = joined.as_str();
    // A string join is `"` + spaces + `+` + a line break + `"`.
    while let Some(i) = rest.find('"') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let trimmed = after.trim_start_matches([' ', '\t']);
        if let Some(plus) = trimmed.strip_prefix('+') {
            let next = plus.trim_start();
            let gap = &plus[..plus.len() - next.len()];
            if let Some(cont) = next.strip_prefix('"').filter(|_| gap.contains('\n')) {
                rest = cont;
                continue;
            }
        }
        out.push('"');
        rest = after;
    }
    out.push_str(rest);
    out
}

/// One answerable item: id, type, section, question, choices.
type Item = [String; 5];

fn walk(value: &Value, section: &str, rows: &mut Vec<Item>) {
    match value {
        Value::Array(items) => items.iter().for_each(|v| walk(v, section, rows)),
        Value::Object(map) => {
            let kind = map.get("type").and_then(Value::as_str).unwrap_or("");
            let text = map.get("text").and_then(Value::as_str).unwrap_or("");
            if ANSWERABLE.contains(&kind) {
                let choices = map
                    .get("choices")
                    .and_then(Value::as_array)
                    .map(|cs| {
                        cs.iter()
                            .filter_map(Value::as_object)
                            .flat_map(|o| o.values().filter_map(Value::as_str))
                            .collect::<Vec<_>>()
                            .join(" | ")
                    })
                    .unwrap_or_default();
                let id = map
                    .get("id")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
                    .unwrap_or_else(|| choice_stem(map.get("choices")));
                rows.push([
                    id,
                    kind.to_owned(),
                    section.to_owned(),
                    // A checkgroup may carry no text: its choices are the question.
                    if text.trim().is_empty() {
                        strip_html(&choices)
                    } else {
                        strip_html(text)
                    },
                    strip_html(&choices),
                ]);
            }
            let inner_section = if kind == "block" && !text.is_empty() {
                strip_html(text)
            } else {
                section.to_owned()
            };
            if let Some(items) = map.get("items") {
                walk(items, &inner_section, rows);
            }
        }
        _ => {}
    }
}

/// An id for an item that has none: the common stem of its choice ids
/// (`application_custom_auth_storage_plain`, `..._hashed` ->
/// `application_custom_auth_storage`).
fn choice_stem(choices: Option<&Value>) -> String {
    let ids: Vec<&str> = choices
        .and_then(Value::as_array)
        .map(|cs| {
            cs.iter()
                .filter_map(Value::as_object)
                .flat_map(|o| o.keys().map(String::as_str))
                .collect()
        })
        .unwrap_or_default();
    let Some(first) = ids.first() else {
        return String::new();
    };
    let mut len = first.len();
    for id in &ids[1..] {
        len = first
            .bytes()
            .zip(id.bytes())
            .take(len)
            .take_while(|(a, b)| a == b)
            .count();
    }
    // The common prefix may end inside a multi-byte character
    // (`sécurité_é` / `sécurité_è` share the first byte of `é`).
    while !first.is_char_boundary(len) {
        len -= 1;
    }
    let prefix = &first[..len];
    if ids.len() == 1 {
        return prefix.to_owned();
    }
    match prefix.rfind('_') {
        Some(i) => prefix[..i].to_owned(),
        None => prefix.to_owned(),
    }
}

fn strip_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let decoded = out
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&");
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choice_stem_never_splits_a_character() {
        let choices: Value =
            serde_json::from_str(r#"[{"sécurité_é": "A"}, {"sécurité_è": "B"}]"#).unwrap();
        assert_eq!(choice_stem(Some(&choices)), "sécurité");
    }

    #[test]
    fn joins_strings_and_drops_comments() {
        let src = "// licence\n{\"a\": \"one \" +\n   \"two\", \"b\": \"x+y\"}";
        let v: Value = serde_json::from_str(&to_strict_json(src)).unwrap();
        assert_eq!(v["a"], "one two");
        assert_eq!(v["b"], "x+y");
        assert_eq!(
            strip_html("<p>Is <code>TLS</code> used?</p>"),
            "Is TLS used?"
        );
    }
}
