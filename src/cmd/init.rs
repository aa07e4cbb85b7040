//! `vouch init DIR [--company NAME]`: write a new trust-center repository.
//!
//! The starter project (`starter/` in vouch's repository, embedded in the
//! binary): `data/` with a control set covering every SOC 2 common
//! criterion, a starter `answers/` library, `site/` using the embedded
//! theme, a README for the company's team, a CI workflow that checks and
//! builds the site, and `.gitignore`. The result passes `vouch check` and
//! `vouch build` as written; the command then says what to edit first.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use crate::cli::Global;
use crate::util::{write_atomic, EXIT_OK};

include!(concat!(env!("OUT_DIR"), "/starter.rs"));

/// Write a new trust-center repository into DIR.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The folder to create (it must not exist, or be empty).
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// The company's name (default: the folder's name, capitalised).
    #[arg(long, value_name = "NAME")]
    pub company: Option<String>,
}

pub fn run(args: &Args, global: &Global) -> Result<u8> {
    let dir = if args.dir.is_absolute() {
        args.dir.clone()
    } else {
        global.project.join(&args.dir)
    };
    let company = match &args.company {
        Some(name) if !name.trim().is_empty() => name.trim().to_string(),
        Some(_) => bail!("--company: the name must not be empty"),
        None => name_from_dir(&dir),
    };
    let written = init(&dir, &company, crate::util::today())?;
    if !global.quiet {
        print_next_steps(&args.dir, &company, written);
    }
    Ok(EXIT_OK)
}

/// Writes the starter project for `company` into `dir`; returns how many
/// files were written.
pub fn init(dir: &Path, company: &str, today: chrono::NaiveDate) -> Result<usize> {
    ensure_empty(dir)?;
    let values = Values {
        company: company.to_string(),
        domain: format!("{}.example", domain_label(company)),
        today: today.to_string(),
    };
    for (rel, bytes) in STARTER {
        let rel = values.fill(rel, false);
        let text = std::str::from_utf8(bytes)
            .with_context(|| format!("starter file {rel} is not UTF-8"))?;
        let text = values.fill(text, rel.ends_with(".toml"));
        write_atomic(&dir.join(&rel), text.as_bytes())?;
    }
    Ok(STARTER.len())
}

struct Values {
    company: String,
    domain: String,
    today: String,
}

impl Values {
    /// Replaces `{{company}}`, `{{domain}}` and `{{today}}`; in TOML files
    /// the company name is escaped for a quoted string.
    fn fill(&self, text: &str, toml: bool) -> String {
        let company = if toml {
            self.company.replace('\\', "\\\\").replace('"', "\\\"")
        } else {
            self.company.clone()
        };
        text.replace("{{company}}", &company)
            .replace("{{domain}}", &self.domain)
            .replace("{{today}}", &self.today)
    }
}

fn ensure_empty(dir: &Path) -> Result<()> {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                bail!(
                    "{}: the folder exists and is not empty; vouch init writes a new project into a new or empty folder",
                    dir.display()
                );
            }
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotADirectory => {
            bail!("{}: exists and is not a folder", dir.display())
        }
        Err(e) => Err(e).with_context(|| format!("cannot read {}", dir.display())),
    }
}

/// `acme-cloud` -> `Acme Cloud`.
fn name_from_dir(dir: &Path) -> String {
    let base = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let words: Vec<String> = base
        .split(['-', '_', ' '])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect(),
                None => String::new(),
            }
        })
        .collect();
    if words.is_empty() {
        "Example Company".to_string()
    } else {
        words.join(" ")
    }
}

/// A DNS label for the placeholder domain (`Acme, Inc.` -> `acme-inc`).
fn domain_label(company: &str) -> String {
    let label: String = slug::slugify(company).chars().take(63).collect();
    if label.is_empty() {
        "example-company".to_string()
    } else {
        label
    }
}

fn print_next_steps(dir: &Path, company: &str, files: usize) {
    let shown = dir.display();
    eprintln!("Created a trust-center repository for {company} in {shown}/ ({files} files).");
    eprintln!();
    eprintln!("Edit first:");
    eprintln!(
        "  1. data/company.toml   the name, website, security contact, description and categories"
    );
    eprintln!("  2. data/controls.csv   your controls (the starter set covers every SOC 2 common criterion)");
    eprintln!(
        "  3. site/config.toml    base_url: the address the trust center will be published at"
    );
    eprintln!("  4. data/reports.toml, data/documents.toml, data/subprocessors.csv, answers/");
    eprintln!();
    eprintln!("Then:");
    eprintln!("  cd {shown} && git init && vouch check && vouch serve --open");
    eprintln!("README.md explains the rest to your team.");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_domains() {
        assert_eq!(name_from_dir(Path::new("/x/acme-cloud")), "Acme Cloud");
        assert_eq!(domain_label("Acme, Inc."), "acme-inc");
        assert_eq!(domain_label("***"), "example-company");
        let v = Values {
            company: "A \"B\"".into(),
            domain: "a-b.example".into(),
            today: "2026-01-02".into(),
        };
        assert_eq!(
            v.fill("name = \"{{company}}\"", true),
            "name = \"A \\\"B\\\"\""
        );
        assert_eq!(v.fill("{{today}}-x.md", false), "2026-01-02-x.md");
    }

    #[test]
    fn the_starter_project_is_embedded() {
        let names: Vec<&str> = STARTER.iter().map(|(f, _)| *f).collect();
        for needed in [
            "data/company.toml",
            "data/controls.csv",
            "answers/starter.toml",
            "site/config.toml",
            "site/content/contact.md",
            "README.md",
            ".gitignore",
            ".github/workflows/trust-center.yml",
        ] {
            assert!(names.contains(&needed), "{needed} missing from {names:?}");
        }
    }
}
