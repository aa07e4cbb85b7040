//! `vouch library export [--format csv|xlsx|toml] [-o FILE] [--internal] [--json]`
//!
//! The library as one file: CSV or XLSX with one row per entry (variants
//! joined one per line; the XLSX has a frozen, filtered header and set
//! column widths), or TOML (one `[[entry]]` file, e.g. to move a CSV library
//! into `answers/`). `internal` entries are left out unless `--internal`.
//! CSV and TOML go to stdout without `-o`; XLSX needs `-o`.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;
use serde_json::json;

use super::LibraryArg;
use crate::cli::Global;
use crate::library::{self, export};
use crate::util::{print_json, write_atomic, EXIT_OK};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    Csv,
    Xlsx,
    Toml,
}

/// Write the library as one CSV, XLSX or TOML file.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(long, value_enum, default_value = "csv")]
    pub format: ExportFormat,
    /// Where to write [default: stdout; required for xlsx].
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Include `internal` entries.
    #[arg(long)]
    pub internal: bool,
    /// Print the entries as JSON instead.
    #[arg(long, conflicts_with_all = ["output"])]
    pub json: bool,
    #[command(flatten)]
    pub library: LibraryArg,
}

pub fn run(args: &Args, global: &Global) -> Result<u8> {
    let path = args.library.path(global);
    let (lib, _) = library::load(&path)?;
    let rows = export::rows(&lib, args.internal);
    if args.json {
        print_json(&json!({"summary": {"entries": rows.len()}, "rows": rows}))?;
        return Ok(EXIT_OK);
    }
    let bytes = match args.format {
        ExportFormat::Csv => export::to_csv(&rows)?,
        ExportFormat::Xlsx => export::to_xlsx(&rows)?,
        ExportFormat::Toml => export::to_toml(&lib, args.internal).into_bytes(),
    };
    match &args.output {
        Some(out) => {
            write_atomic(out, &bytes)?;
            if !global.quiet {
                eprintln!("exported {} entries to {}", rows.len(), out.display());
            }
        }
        None if args.format == ExportFormat::Xlsx => {
            anyhow::bail!("--format xlsx needs -o FILE (a workbook is not written to a terminal)")
        }
        None => std::io::stdout().write_all(&bytes)?,
    }
    Ok(EXIT_OK)
}
