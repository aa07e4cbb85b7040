//! The one path guard: every file or folder the project names (a report's
//! `file`, the logo, `data/updates/`, the site's and theme's files) is read
//! only if it resolves, symlinks followed, to a place inside the project.
//! `vouch check` reports what it refuses; `vouch build` stops on it, so a
//! symlink can never publish a file from elsewhere on the machine.

use std::path::{Component, Path, PathBuf};

/// Why a path was refused, as the message of a finding or an error.
pub type Refusal = String;

/// The phrase every refusal of a path outside the project carries.
const OUTSIDE: &str = "lies outside the project";

/// Whether a finding is the guard refusing a path outside the project: such
/// a finding stops `vouch build` even with `--allow-errors`.
pub fn is_outside(finding: &crate::diag::Finding) -> bool {
    finding.severity == crate::diag::Severity::Error && finding.message.contains(OUTSIDE)
}

/// The real path of the regular file `rel` (relative to `root`), if it
/// exists and stays inside the project once symlinks are resolved.
pub fn resolve_file(root: &Path, rel: &str) -> Result<PathBuf, Refusal> {
    let full = join_relative(root, rel)?;
    if std::fs::symlink_metadata(&full).is_err() {
        return Err(format!("file {rel:?} does not exist"));
    }
    let real = resolve_inside(root, &full, rel)?;
    if !real.is_file() {
        return Err(format!("{rel:?} is not a regular file"));
    }
    Ok(real)
}

/// The real path of the folder `rel`, `Ok(None)` when it does not exist;
/// refused when it (or a symlink on the way) leads outside the project.
pub fn resolve_dir(root: &Path, rel: &str) -> Result<Option<PathBuf>, Refusal> {
    let full = join_relative(root, rel)?;
    if std::fs::symlink_metadata(&full).is_err() {
        return Ok(None);
    }
    let real = resolve_inside(root, &full, rel)?;
    if !real.is_dir() {
        return Err(format!("{rel:?} is not a folder"));
    }
    Ok(Some(real))
}

/// Checks that `path` (anywhere below `root`, e.g. found while walking a
/// folder) resolves inside `root`; `shown` names it in the refusal.
pub fn resolve_inside(root: &Path, path: &Path, shown: &str) -> Result<PathBuf, Refusal> {
    let real_root = root
        .canonicalize()
        .map_err(|e| format!("cannot resolve the project folder {}: {e}", root.display()))?;
    let real = path
        .canonicalize()
        .map_err(|_| format!("{shown:?} is a broken symlink or cannot be resolved"))?;
    if real.starts_with(&real_root) {
        Ok(real)
    } else {
        Err(format!(
            "{shown:?} {OUTSIDE} (a symlink to {}); vouch never reads or publishes files from outside the project",
            real.display()
        ))
    }
}

/// `root/rel` when `rel` is relative and has no `..`: the spelling alone
/// must already stay inside the project.
fn join_relative(root: &Path, rel: &str) -> Result<PathBuf, Refusal> {
    let path = Path::new(rel);
    let escapes = rel.is_empty()
        || path
            .components()
            .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir));
    if escapes {
        return Err(format!(
            "{rel:?} {OUTSIDE} (use a path relative to the project root, without ..)"
        ));
    }
    Ok(root.join(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_escapes_and_outside_symlinks() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret"), "s").unwrap();
        let root = tempfile::tempdir().unwrap();
        let root = root.path();
        std::fs::create_dir_all(root.join("data/files")).unwrap();
        std::fs::write(root.join("data/files/ok.pdf"), "x").unwrap();
        assert!(resolve_file(root, "data/files/ok.pdf").is_ok());
        assert!(resolve_file(root, "../x").unwrap_err().contains("outside"));
        assert!(resolve_file(root, "/etc/passwd")
            .unwrap_err()
            .contains("outside"));
        assert!(resolve_file(root, "data/files/none.pdf")
            .unwrap_err()
            .contains("does not exist"));
        #[cfg(unix)]
        {
            let link = root.join("data/files/evil.pdf");
            std::os::unix::fs::symlink(outside.path().join("secret"), &link).unwrap();
            assert!(resolve_file(root, "data/files/evil.pdf")
                .unwrap_err()
                .contains("symlink"));
            std::os::unix::fs::symlink(outside.path(), root.join("data/updates")).unwrap();
            assert!(resolve_dir(root, "data/updates").is_err());
            std::os::unix::fs::symlink(root.join("data/files/ok.pdf"), root.join("in.pdf"))
                .unwrap();
            assert!(resolve_file(root, "in.pdf").is_ok(), "inside is fine");
        }
        assert_eq!(resolve_dir(root, "data/nothing"), Ok(None));
    }
}
