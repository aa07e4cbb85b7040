//! One file per subcommand. Each starts with its usage text (the clap `Args`
//! doc comments) and is a thin layer over library code.

pub mod answer;
pub mod build;
pub mod check;
pub mod completions;
pub mod coverage;
pub mod eval;
pub mod init;
pub mod inspect;
pub mod library;
pub mod man;
pub mod search;
pub mod serve;
pub mod tsc;
