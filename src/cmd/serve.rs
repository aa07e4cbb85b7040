//! `vouch serve [--port 1111] [--open]`: a live preview of the trust center.
//!
//! Builds the site into a temporary folder with base URL
//! `http://127.0.0.1:PORT`, serves it on 127.0.0.1, watches `data/`,
//! `answers/`, `site/` and `themes/`, rebuilds on every change and reloads
//! the open pages. A build error is shown in the page and in the terminal.
//! Ctrl-C stops the server and removes the temporary folder.

use crate::cli::Global;
use crate::site::serve::{self, ServeOptions};
use crate::util::EXIT_OK;

/// Serve the site locally, rebuilding and reloading on every change.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// Open the site in the default browser.
    #[arg(long)]
    pub open: bool,
}

pub fn run(args: &Args, global: &Global) -> anyhow::Result<u8> {
    serve::serve(&ServeOptions {
        project: global.project.clone(),
        port: args.port,
        open: args.open,
        quiet: global.quiet,
        build_date: crate::site::build::build_date_from_env()?,
    })?;
    Ok(EXIT_OK)
}
