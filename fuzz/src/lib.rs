//! Helpers shared by the fuzz targets: a scratch folder per process, the
//! input formats ([`parts`]), a small library for the matcher, and an
//! independent check that HTML built from data is safe.

pub mod parts;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use vouch::library::Library;
use vouch::matcher::Thesaurus;

/// A folder that lives as long as the fuzzing process.
pub fn scratch() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| tempfile::tempdir().expect("scratch dir"))
        .path()
}

/// Writes `bytes` to `name` in the scratch folder and returns its path.
pub fn write_scratch(name: &str, bytes: &[u8]) -> PathBuf {
    let path = scratch().join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("scratch subdir");
    }
    std::fs::write(&path, bytes).expect("scratch write");
    path
}

/// The built-in thesaurus, parsed once.
pub fn builtin_thesaurus() -> &'static Thesaurus {
    static THESAURUS: OnceLock<Thesaurus> = OnceLock::new();
    THESAURUS.get_or_init(Thesaurus::builtin)
}

/// A small answer library (a few entries of every kind) and the built-in
/// thesaurus, loaded once.
pub fn small_library() -> &'static (Library, Thesaurus) {
    static LIB: OnceLock<(Library, Thesaurus)> = OnceLock::new();
    LIB.get_or_init(|| {
        let path = write_scratch("matcher-library.toml", SMALL_LIBRARY.as_bytes());
        let (lib, findings) = vouch::library::load(&path).expect("library");
        assert!(
            findings
                .iter()
                .all(|f| f.severity != vouch::diag::Severity::Error),
            "{findings:?}"
        );
        (lib, Thesaurus::builtin())
    })
}

pub const SMALL_LIBRARY: &str = r#"
[[entry]]
id = "ENC-001"
question = "Is customer data encrypted at rest?"
variants = ["Do you encrypt stored data?", "Is data at rest encrypted (AES-256)?"]
answer = "Yes"
comment = "AES-256 on every data store."
controls = ["CR-01"]

[[entry]]
id = "MFA-001"
question = "Do you enforce multi-factor authentication for all staff?"
answer = "Yes"
comment = "Hardware keys for production access."

[[entry]]
id = "PEN-001"
question = "Do you perform annual third-party penetration tests?"
answer = "Yes"

[[entry]]
id = "DR-001"
question = "Describe your disaster recovery plan."
answer = "Backups every hour, restored quarterly; RTO 4 h, RPO 1 h."

[[entry]]
id = "INT-001"
question = "Which vendor runs the internal SIEM?"
answer = "Internal only."
visibility = "internal"

[[entry]]
id = "NDA-001"
question = "Do you keep a forensics firm on retainer?"
answer = "Yes"
visibility = "nda"
"#;

/// The tags safe Markdown may produce (pulldown-cmark's output, plus the
/// `div` that wraps data in content files).
const MARKDOWN_TAGS: &[&str] = &[
    "a",
    "p",
    "em",
    "strong",
    "code",
    "pre",
    "ul",
    "ol",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "hr",
    "br",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "del",
    "div",
    "input",
    "sup",
    "section",
    "span",
];
const MARKDOWN_ATTRIBUTES: &[&str] = &[
    "href", "title", "id", "class", "style", "start", "type", "checked", "disabled", "align",
];

/// One start tag as a browser reads it: its name and attributes (values
/// with character references decoded).
#[derive(Debug)]
pub struct Tag {
    pub name: String,
    pub attributes: Vec<(String, String)>,
}

/// Every start tag of `html`, and whether a markup declaration, comment or
/// processing instruction (`<!`, `<?`) appears. Text is expected escaped:
/// `<` starts a tag only before a letter or `/`.
pub fn scan_tags(html: &str) -> (Vec<Tag>, bool) {
    let bytes = html.as_bytes();
    let mut tags = Vec::new();
    let mut declaration = false;
    let mut i = 0;
    while let Some(off) = html[i..].find('<') {
        let start = i + off;
        i = start + 1;
        match bytes.get(start + 1) {
            Some(b'!') | Some(b'?') => {
                declaration = true;
                continue;
            }
            Some(b'/') => continue,
            Some(b) if b.is_ascii_alphabetic() => {}
            _ => continue,
        }
        let name_len = bytes[start + 1..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        let name = html[start + 1..start + 1 + name_len].to_ascii_lowercase();
        let (attributes, end) = attributes(html, start + 1 + name_len);
        tags.push(Tag { name, attributes });
        i = end;
    }
    (tags, declaration)
}

/// The attributes from `at` to the end of the tag, and where it ends.
fn attributes(html: &str, mut at: usize) -> (Vec<(String, String)>, usize) {
    let bytes = html.as_bytes();
    let mut out = Vec::new();
    loop {
        while at < bytes.len() && (bytes[at].is_ascii_whitespace() || bytes[at] == b'/') {
            at += 1;
        }
        if at >= bytes.len() || bytes[at] == b'>' {
            return (out, at + 1);
        }
        let name_start = at;
        while at < bytes.len()
            && !matches!(bytes[at], b'=' | b'>' | b'/')
            && !bytes[at].is_ascii_whitespace()
        {
            at += 1;
        }
        let name = html[name_start..at].to_ascii_lowercase();
        let mut value = String::new();
        if bytes.get(at) == Some(&b'=') {
            at += 1;
            match bytes.get(at) {
                Some(&q) if q == b'"' || q == b'\'' => {
                    let close = html[at + 1..]
                        .find(q as char)
                        .map_or(bytes.len(), |c| at + 1 + c);
                    value = decode_entities(&html[at + 1..close]);
                    at = close + 1;
                }
                _ => {
                    let s = at;
                    while at < bytes.len() && bytes[at] != b'>' && !bytes[at].is_ascii_whitespace()
                    {
                        at += 1;
                    }
                    value = decode_entities(&html[s..at]);
                }
            }
        }
        out.push((name, value));
    }
}

/// Panics unless `html` holds only the tags and attributes safe Markdown
/// produces, and every link is http(s), mailto or relative. This check is
/// independent of `vouch::site::safe`: it reads the HTML as a browser would.
pub fn assert_safe_markdown_html(html: &str, source: &str) {
    let (tags, declaration) = scan_tags(html);
    assert!(
        !declaration,
        "markup declaration or comment in {html:?} from {source:?}"
    );
    for tag in tags {
        assert!(
            MARKDOWN_TAGS.contains(&tag.name.as_str()),
            "tag <{}> in {html:?} from {source:?}",
            tag.name
        );
        for (name, value) in &tag.attributes {
            assert!(
                MARKDOWN_ATTRIBUTES.contains(&name.as_str()),
                "attribute {name:?} in {html:?} from {source:?}"
            );
            if name == "href" {
                assert!(
                    safe_link(value),
                    "unsafe link {value:?} in {html:?} from {source:?}"
                );
            }
        }
    }
}

/// Panics unless a page of the rendered site runs no script but the
/// theme's own (`<script src=...>` on the site), has no event handler
/// attribute, no frame or object, and links only to http(s), mailto or
/// within the site.
pub fn assert_safe_page(html: &str, page: &str) {
    let (tags, _) = scan_tags(html);
    for tag in tags {
        assert!(
            !["iframe", "frame", "object", "embed", "base", "applet"].contains(&tag.name.as_str()),
            "{page}: <{}>",
            tag.name
        );
        if tag.name == "script" {
            let src = tag.attributes.iter().find(|(n, _)| n == "src");
            assert!(
                src.is_some_and(|(_, v)| v.ends_with("/vouch.js") || v == "vouch.js"),
                "{page}: a script that is not the theme's: {:?}",
                tag.attributes
            );
        }
        for (name, value) in &tag.attributes {
            assert!(
                !name.starts_with("on"),
                "{page}: event handler {name}={value:?}"
            );
            if ["href", "src", "action", "formaction", "poster", "srcset"].contains(&name.as_str())
            {
                assert!(safe_link(value), "{page}: unsafe {name}={value:?}");
            }
        }
    }
}

/// A URL a browser would follow only to an http(s) or mailto target, or
/// within the site.
pub fn safe_link(url: &str) -> bool {
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_ascii_control() && !c.is_ascii_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    match cleaned.find([':', '/', '?', '#']) {
        Some(at) if cleaned[at..].starts_with(':') => {
            ["http", "https", "mailto"].contains(&&cleaned[..at])
        }
        _ => true,
    }
}

/// Decodes the character references a browser decodes in an attribute.
pub fn decode_entities(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest.find(';').filter(|e| *e < 12);
        let decoded = end.and_then(|e| {
            let body = &rest[1..e];
            let c = match body {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "colon" => Some(':'),
                "Tab" => Some('\t'),
                "NewLine" => Some('\n'),
                _ => body
                    .strip_prefix("#x")
                    .or_else(|| body.strip_prefix("#X"))
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| body.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}
