//! The public trust-center site: a Zola project (`site/` + `themes/`) fed
//! with the public view of the project's data, rendered by our own engine.

pub mod engine;
