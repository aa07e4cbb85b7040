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
pub mod sink;
pub mod sitemap;

pub use render::{render_site, RenderReport};
