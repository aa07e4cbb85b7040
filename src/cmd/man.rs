//! `vouch man [--dir DIR]`: the man page in roff, generated from the same
//! clap definitions as `--help`. Without `--dir` it prints `vouch(1)` (try
//! `vouch man | man -l -`); with `--dir` it writes `vouch.1` and one
//! `vouch-COMMAND.1` per subcommand.

use std::path::PathBuf;

use anyhow::Result;
use clap::CommandFactory;

use crate::cli::Cli;
use crate::util::{write_atomic, EXIT_OK};

/// Print the man page, or write every page into a folder.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Write vouch.1 and vouch-COMMAND.1 pages into DIR.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

pub fn run(args: &Args) -> Result<u8> {
    let command = Cli::command();
    let Some(dir) = &args.dir else {
        let mut out = Vec::new();
        clap_mangen::Man::new(command).render(&mut out)?;
        std::io::Write::write_all(&mut std::io::stdout(), &out)?;
        return Ok(EXIT_OK);
    };
    write_page(dir, "vouch", command.clone())?;
    for sub in command.get_subcommands() {
        // clap names are &'static str; the process ends right after.
        let name: &'static str = Box::leak(format!("vouch-{}", sub.get_name()).into_boxed_str());
        write_page(dir, name, sub.clone().name(name))?;
    }
    Ok(EXIT_OK)
}

fn write_page(dir: &std::path::Path, name: &str, command: clap::Command) -> Result<()> {
    let mut out = Vec::new();
    clap_mangen::Man::new(command).render(&mut out)?;
    write_atomic(&dir.join(format!("{name}.1")), &out)
}
