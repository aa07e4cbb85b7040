//! vouch: publish a SOC 2 trust center and answer security questionnaires
//! from control, report and answer data kept in git.
//!
//! The binary is a thin layer over this library: every subcommand in
//! [`cmd`] parses its arguments and calls into the modules below, which
//! tests can call directly.

pub mod cli;
pub mod cmd;
pub mod contain;
pub mod diag;
pub mod guard;
pub mod par;
pub mod util;

// Foundation: the TSC catalog, the project data model, validation, coverage.
pub mod check;
pub mod coverage;
pub mod model;
pub mod tsc;

// Questionnaires: reading any layout, writing answers in place.
pub mod questionnaire;

// Answering: the answer library and the matcher.
pub mod answering;
pub mod embed;
pub mod library;
pub mod matcher;

// The trust-center site.
pub mod site;
