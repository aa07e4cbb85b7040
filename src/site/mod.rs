//! The public trust-center site: a Zola project (`site/` + `themes/`) fed
//! with the public view of the project's data, rendered by our own engine.

pub mod build;
pub mod check;
pub mod criteria;
pub mod engine;
pub mod faq;
pub mod faq_page;
pub mod from_model;
pub mod public;
pub mod safe;
pub mod search;
pub mod security_txt;
pub mod serve;
pub mod stage;
pub mod summary;
pub mod theme;
pub mod trust_json;

pub use public::PublicView;
