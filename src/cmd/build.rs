//! `vouch build`: not implemented yet.

use crate::cli::Global;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

pub fn run(_args: &Args, _global: &Global) -> anyhow::Result<u8> {
    anyhow::bail!("`vouch build` is not implemented yet")
}
