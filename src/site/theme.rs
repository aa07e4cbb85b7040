//! The default theme, `themes/vouch/`, embedded in the binary (every file
//! under it, found at compile time by `build.rs`), so a company's repository
//! needs no copy of it and gets theme updates with each vouch release. A
//! project's own `themes/vouch/` overrides it file by file; `site/templates/`
//! overrides templates by name, as in Zola.

use std::path::Path;

use anyhow::{bail, Result};

use super::engine::tree::Tree;

include!(concat!(env!("OUT_DIR"), "/embedded_theme.rs"));

/// The name of the embedded theme.
pub const DEFAULT_THEME: &str = "vouch";

/// Adds the theme `name` to a staged tree under `themes/NAME/`: the embedded
/// files for the default theme, then the project's `themes/NAME/` over them.
pub fn add_theme(tree: &mut Tree, project: &Path, name: &str) -> Result<()> {
    let rel = format!("themes/{name}");
    let own = crate::guard::resolve_dir(project, &rel)
        .map_err(|msg| anyhow::anyhow!("{rel}: error: {msg}"))?;
    if name == DEFAULT_THEME {
        for (file, bytes) in EMBEDDED {
            tree.insert(format!("{rel}/{file}"), *bytes);
        }
    }
    match own {
        Some(dir) => tree.add_dir_within(&dir, &format!("{rel}/"), project),
        None if name == DEFAULT_THEME => Ok(()),
        None => bail!(
            "site/config.toml: error: theme: theme {name:?} not found in {} (the embedded theme is {DEFAULT_THEME:?})",
            project.join(&rel).display()
        ),
    }
}

/// Whether `name` can be used: the embedded theme or a folder in `themes/`.
pub fn exists(project: &Path, name: &str) -> bool {
    name == DEFAULT_THEME || project.join("themes").join(name).is_dir()
}

/// One embedded file, e.g. `templates/base.html`.
pub fn embedded(file: &str) -> Option<&'static [u8]> {
    EMBEDDED.iter().find(|(f, _)| *f == file).map(|(_, b)| *b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_theme_file_is_embedded() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/vouch");
        let mut on_disk = Vec::new();
        crate::site::engine::render::collect_files(&root, "", &mut on_disk).unwrap();
        let names: Vec<&str> = EMBEDDED.iter().map(|(f, _)| *f).collect();
        assert_eq!(names, on_disk);
        assert!(names.contains(&"templates/base.html"));
        assert_eq!(
            embedded("theme.toml"),
            Some(std::fs::read(root.join("theme.toml")).unwrap().as_slice())
        );
    }
}
