//! Our Zola-compatible renderer on tera + pulldown-cmark. It renders a Zola
//! project directory (config.toml, content/, templates/, static/, themes/)
//! the way `zola build` would, for the subset documented in docs/site.md.

pub mod config;
pub mod content;
pub mod features;
pub mod feeds;
pub mod filters;
pub mod functions;
pub mod markdown;
pub mod render;
pub mod sitemap;
pub mod tree;

pub use render::{render_site, RenderReport};
