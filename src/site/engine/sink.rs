//! Buffered output: files are collected while rendering, then written by a
//! few threads at once, because creating hundreds of small files and
//! directories one by one dominates the build time.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// Writer threads: file creation waits on the disk, not the CPU.
const THREADS: usize = 8;

#[derive(Debug)]
pub struct FileSink {
    root: PathBuf,
    files: Vec<(String, Vec<u8>)>,
}

impl FileSink {
    pub fn new(root: &Path) -> FileSink {
        FileSink {
            root: root.to_path_buf(),
            files: Vec::new(),
        }
    }

    /// Queues `bytes` for `root/rel` (a later file with the same path wins).
    pub fn add(&mut self, rel: &str, bytes: Vec<u8>) {
        self.files.push((rel.to_string(), bytes));
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Writes every queued file; returns their relative paths, sorted and
    /// without duplicates.
    pub fn flush(self) -> Result<Vec<String>> {
        // Keep the last version of each path, then write in path order.
        let mut latest: std::collections::BTreeMap<String, Vec<u8>> = Default::default();
        for (rel, bytes) in self.files {
            latest.insert(rel, bytes);
        }
        let files: Vec<(String, Vec<u8>)> = latest.into_iter().collect();
        let root = &self.root;
        let chunk = files.len().div_ceil(THREADS).max(1);
        std::thread::scope(|scope| -> Result<()> {
            let handles: Vec<_> = files
                .chunks(chunk)
                .map(|part| scope.spawn(move || write_all(root, part)))
                .collect();
            for handle in handles {
                handle
                    .join()
                    .map_err(|_| anyhow::anyhow!("a writer thread panicked"))??;
            }
            Ok(())
        })?;
        Ok(files.into_iter().map(|(rel, _)| rel).collect())
    }
}

fn write_all(root: &Path, files: &[(String, Vec<u8>)]) -> Result<()> {
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
