//! A file tree held in memory: `/`-separated relative paths → bytes.
//!
//! The staged Zola project is built as a tree and rendered straight from
//! memory (it only reaches the disk with `--stage` or `--engine zola`), and
//! the rendered site is collected as a tree and written by a few threads at
//! once: creating hundreds of small files one by one dominates build time.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{bail, Context, Result};

/// Writer threads: file creation waits on the disk, not the CPU.
const THREADS: usize = 8;

#[derive(Debug, Clone, Default)]
pub struct Tree {
    files: BTreeMap<String, Vec<u8>>,
}

impl Tree {
    pub fn new() -> Tree {
        Tree::default()
    }

    /// Every file under `dir` (absent is an empty tree). Symlinks must stay
    /// inside `dir`.
    pub fn read_dir(dir: &Path) -> Result<Tree> {
        let mut tree = Tree::new();
        if dir.is_dir() {
            tree.add_dir_within(dir, "", dir)?;
        }
        Ok(tree)
    }

    /// Adds every file of `dir` under `prefix` (e.g. `themes/vouch/`);
    /// symlinks must stay inside `dir`.
    pub fn add_dir(&mut self, dir: &Path, prefix: &str) -> Result<()> {
        self.add_dir_within(dir, prefix, dir)
    }

    /// Adds every file of `dir` under `prefix`, refusing (with an error
    /// naming it) `dir` or any entry that resolves outside `root` through a
    /// symlink: the project's files never pull in files from elsewhere.
    pub fn add_dir_within(&mut self, dir: &Path, prefix: &str, root: &Path) -> Result<()> {
        let shown = |p: &Path| {
            p.strip_prefix(root)
                .unwrap_or(p)
                .to_string_lossy()
                .into_owned()
        };
        crate::guard::resolve_inside(root, dir, &shown(dir))
            .map_err(|msg| anyhow::anyhow!("{}: error: {msg}", shown(dir)))?;
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .with_context(|| format!("cannot read {}", dir.display()))?
            .collect::<std::io::Result<_>>()
            .with_context(|| format!("cannot read {}", dir.display()))?;
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let name = entry.file_name().to_string_lossy().into_owned();
            let rel = format!("{prefix}{name}");
            let path = entry.path();
            let mut kind = entry.file_type()?;
            if kind.is_symlink() {
                crate::guard::resolve_inside(root, &path, &shown(&path))
                    .map_err(|msg| anyhow::anyhow!("{}: error: {msg}", shown(&path)))?;
                kind = std::fs::metadata(&path)?.file_type();
            }
            if kind.is_dir() {
                self.add_dir_within(&path, &format!("{rel}/"), root)?;
            } else if kind.is_file() {
                let bytes = std::fs::read(&path)
                    .with_context(|| format!("cannot read {}", path.display()))?;
                self.files.insert(rel, bytes);
            } else {
                bail!(
                    "{}: error: not a regular file or folder (a FIFO, socket or device is never read)",
                    shown(&path)
                );
            }
        }
        Ok(())
    }

    /// Adds or replaces a file.
    pub fn insert(&mut self, rel: impl Into<String>, bytes: impl Into<Vec<u8>>) {
        self.files.insert(rel.into(), bytes.into());
    }

    pub fn get(&self, rel: &str) -> Option<&[u8]> {
        self.files.get(rel).map(Vec::as_slice)
    }

    pub fn contains(&self, rel: &str) -> bool {
        self.files.contains_key(rel)
    }

    /// A file as UTF-8 text; `None` if absent.
    pub fn text(&self, rel: &str) -> Result<Option<&str>> {
        match self.files.get(rel) {
            None => Ok(None),
            Some(bytes) => match std::str::from_utf8(bytes) {
                Ok(text) => Ok(Some(text)),
                Err(_) => bail!("{rel}: not UTF-8 text"),
            },
        }
    }

    /// Files under `prefix` (which should end with `/`), as (path after the
    /// prefix, bytes), sorted by path.
    pub fn under<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = (&'a str, &'a [u8])> + 'a {
        self.files
            .range::<str, _>((
                std::ops::Bound::Included(prefix),
                std::ops::Bound::Unbounded,
            ))
            .take_while(move |(k, _)| k.starts_with(prefix))
            .map(move |(k, v)| (&k[prefix.len()..], v.as_slice()))
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Relative paths, sorted.
    pub fn paths(&self) -> Vec<String> {
        self.files.keys().cloned().collect()
    }

    /// Writes every file under `dir` (created if needed).
    pub fn write_to(&self, dir: &Path) -> Result<()> {
        let files: Vec<(&String, &Vec<u8>)> = self.files.iter().collect();
        let chunk = files.len().div_ceil(THREADS).max(1);
        std::thread::scope(|scope| -> Result<()> {
            let handles: Vec<_> = files
                .chunks(chunk)
                .map(|part| scope.spawn(move || write_all(dir, part)))
                .collect();
            for handle in handles {
                handle
                    .join()
                    .map_err(|_| anyhow::anyhow!("a writer thread panicked"))??;
            }
            Ok(())
        })
    }
}

fn write_all(root: &Path, files: &[(&String, &Vec<u8>)]) -> Result<()> {
    for (rel, bytes) in files {
        let path = root.join(rel);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
        }
        std::fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn under_lists_a_prefix_only() {
        let mut t = Tree::new();
        t.insert("content/a.md", "a");
        t.insert("content/b/c.md", "c");
        t.insert("contents.txt", "x");
        t.insert("static/s.css", "s");
        let names: Vec<&str> = t.under("content/").map(|(p, _)| p).collect();
        assert_eq!(names, ["a.md", "b/c.md"]);
    }
}
