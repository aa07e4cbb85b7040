//! The full-mode flags shared by `vouch answer` and `vouch eval`
//! (`#[command(flatten)]`): which model folder, if any, replaces the static
//! table with the transformer.

use std::path::PathBuf;

use anyhow::Result;

use super::transformer::{self, Transformer};

#[derive(Debug, Clone, Default, clap::Args)]
pub struct ModeArgs {
    /// Full mode: the folder of the sentence-embedding model
    /// (model.safetensors, tokenizer.json, config.json; scripts/fetch_model.sh
    /// makes one) [env: VOUCH_MODEL].
    #[arg(long, value_name = "DIR")]
    pub model: Option<PathBuf>,
    /// Ask for full mode with the model of VOUCH_MODEL; without one, say so
    /// and use the default mode.
    #[arg(long)]
    pub full: bool,
}

impl ModeArgs {
    /// The transformer when a model folder is given (`--model`, else
    /// `VOUCH_MODEL`); None for the default mode. A folder that is given but
    /// missing or broken is an error naming it. Asking for full mode
    /// (`--full`) without a folder prints one line and uses the default mode.
    pub fn load(&self) -> Result<Option<Transformer>> {
        match transformer::model_dir(self.model.as_deref()) {
            Some(dir) => Ok(Some(Transformer::load(&dir)?)),
            None => {
                if self.full {
                    eprintln!("{}", transformer::NO_MODEL);
                }
                Ok(None)
            }
        }
    }
}
