//! Markdown from data fields rendered for the site: `safe::markdown_html`
//! (document, report and update text), and the same text carried through a
//! content file (`markdown_as_content`) and rendered again by the site
//! engine, as `vouch build` does. Both must hold only the tags and
//! attributes Markdown produces, links only to http(s), mailto or the site,
//! and the content form must contain no `{` or `}` (Zola shortcodes).
#![no_main]

use libfuzzer_sys::fuzz_target;
use vouch::site::engine::markdown::render_content;
use vouch::site::safe::{bad_links, markdown_as_content, markdown_html};
use vouch_fuzz::assert_safe_markdown_html;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let html = markdown_html(&text);
    assert_safe_markdown_html(&html, &text);
    let content = markdown_as_content(&text);
    assert!(!content.contains(['{', '}']), "{content:?}");
    assert_eq!(content.matches('\n').count(), 1, "one line: {content:?}");
    let resolve = |_: &str| None;
    let rendered = render_content(&content, &resolve).expect("no @/ link in data content");
    assert_safe_markdown_html(&rendered, &text);
    for link in bad_links(&text) {
        assert!(!vouch::site::safe::is_allowed_url(&link), "{link:?}");
    }
});
