//! `vouch completions SHELL`: print a completion script for the shell, e.g.
//! `vouch completions bash > ~/.local/share/bash-completion/completions/vouch`
//! or `vouch completions zsh > ~/.zfunc/_vouch`.

use clap::CommandFactory;

use crate::cli::Cli;
use crate::util::EXIT_OK;

/// Print a shell completion script.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The shell: bash, zsh, fish, elvish or powershell.
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

pub fn run(args: &Args) -> anyhow::Result<u8> {
    let mut command = Cli::command();
    clap_complete::generate(args.shell, &mut command, "vouch", &mut std::io::stdout());
    Ok(EXIT_OK)
}
