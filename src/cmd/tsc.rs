//! `vouch tsc [--json] [--category NAME]`: the embedded AICPA 2017 Trust
//! Services Criteria (points of focus revised 2022): id, category, group and
//! a short title and a plain description in our own words.

use serde::Serialize;

use crate::cli::Global;
use crate::tsc::{self, Category};
use crate::util::{print_json, EXIT_OK};

/// List the embedded AICPA Trust Services Criteria.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print JSON: {"summary": {criteria}, "rows": [...]}.
    #[arg(long)]
    pub json: bool,
    /// Only this category: security, availability, confidentiality,
    /// processing_integrity or privacy.
    #[arg(long, value_name = "NAME")]
    pub category: Option<String>,
}

#[derive(Serialize)]
struct Item {
    id: &'static str,
    category: Category,
    group: &'static str,
    group_title: &'static str,
    title: &'static str,
    /// What the criterion asks for, in our own plain words.
    description: &'static str,
}

pub fn run(args: &Args, _global: &Global) -> anyhow::Result<u8> {
    let only: Option<Category> = match &args.category {
        Some(name) => Some(
            name.parse()
                .map_err(|e: String| anyhow::anyhow!("--category: {e}"))?,
        ),
        None => None,
    };
    let items: Vec<Item> = tsc::catalog()
        .iter()
        .filter(|c| only.is_none_or(|cat| c.category == cat))
        .map(|c| Item {
            id: c.id,
            category: c.category,
            group: c.group,
            group_title: c.group_title,
            title: c.title,
            description: c.description,
        })
        .collect();
    if args.json {
        print_json(&serde_json::json!({
            "summary": { "criteria": items.len() },
            "rows": items,
        }))?;
        return Ok(EXIT_OK);
    }
    let mut group = "";
    for item in &items {
        if item.group != group {
            group = item.group;
            println!(
                "{} {} ({})",
                item.group,
                item.group_title,
                item.category.as_str()
            );
        }
        println!("  {:<7} {}", item.id, item.title);
    }
    println!("{} criteria", items.len());
    Ok(EXIT_OK)
}
