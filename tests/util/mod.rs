//! Tiny helpers shared by the integration tests: run the real `vouch` binary
//! in a temp dir, find `../shared`, copy fixture projects.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root (where Cargo.toml lives).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The shared evaluation data and openly licensed questionnaires. The tests
/// use the copies in `tests/fixtures/shared` (see its NOTICE.md), so that
/// `cargo test` passes on a fresh clone with no `../shared` beside it.
pub fn shared() -> PathBuf {
    repo_root().join("tests").join("fixtures").join("shared")
}

/// A path under `../shared` that only CI and developers have (e.g.
/// `eval/val`). `None`, with the reason printed, when it is absent: the
/// calling test then returns early (a skip), as `cargo test` on a fresh
/// clone must pass.
pub fn ci_shared(rel: &str) -> Option<PathBuf> {
    let path = repo_root().join("..").join("shared").join(rel);
    if path.exists() {
        Some(path)
    } else {
        eprintln!(
            "skipped: {} is absent (only CI and developers have ../shared)",
            path.display()
        );
        None
    }
}

/// The binary under test: this build's, or `VOUCH_TEST_BIN` when set (to
/// run the same tests against another build, e.g. the one before a fix:
/// docs/hostile-input.md shows how).
pub fn binary() -> PathBuf {
    std::env::var_os("VOUCH_TEST_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_vouch")))
}

/// A `vouch` command for the binary under test, with a clean environment for
/// output. `VOUCH_MODEL` is removed (CI sets it for the full-mode tests), so
/// that `vouch answer` and `vouch eval` run in the default mode unless a
/// test passes `--model`.
pub fn vouch() -> Command {
    let mut cmd = Command::new(binary());
    cmd.env_remove("SOURCE_DATE_EPOCH");
    cmd.env_remove("VOUCH_MODEL");
    cmd
}

/// Runs `vouch ARGS` in `dir` and returns its output.
pub fn run_in(dir: &Path, args: &[&str]) -> Output {
    vouch()
        .current_dir(dir)
        .args(args)
        .output()
        .expect("failed to start the vouch binary")
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Copies a directory tree into a fresh temp dir and returns the temp dir
/// (the copy is at its root).
pub fn copy_to_temp(src: &Path) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    copy_dir(src, tmp.path());
    tmp
}

pub fn copy_dir(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).unwrap();
    for entry in std::fs::read_dir(src).unwrap() {
        let entry = entry.unwrap();
        let target = dst.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A project with the site fixture's data (`tests/fixtures/site`) and the
/// repository's `site/` and `themes/`, in a fresh temp dir.
pub fn site_fixture_project() -> tempfile::TempDir {
    let tmp = copy_to_temp(&repo_root().join("tests/fixtures/site"));
    copy_dir(&repo_root().join("site"), &tmp.path().join("site"));
    copy_dir(&repo_root().join("themes"), &tmp.path().join("themes"));
    tmp
}

/// `vouch build --quiet EXTRA` in `dir`, with a fixed build date
/// (2026-11-28) so outputs are reproducible.
pub fn build_site(dir: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["build", "--quiet"];
    args.extend_from_slice(extra);
    vouch()
        .current_dir(dir)
        .env("SOURCE_DATE_EPOCH", "1795824000")
        .args(&args)
        .output()
        .unwrap()
}

/// Appends every file below `dir` (recursively) to `out`.
pub fn all_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            all_files(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// The model folder for full mode (`VOUCH_MODEL`), or None with a printed
/// reason (a fresh clone has no weights); `VOUCH_REQUIRE_MODEL=1` (CI) makes
/// a missing model a failure.
pub fn model_or_skip() -> Option<PathBuf> {
    match vouch::embed::transformer::model_dir(None) {
        Some(dir) => Some(dir),
        None if std::env::var_os("VOUCH_REQUIRE_MODEL").is_some_and(|v| v == "1") => {
            panic!("VOUCH_REQUIRE_MODEL=1 but VOUCH_MODEL is not set")
        }
        None => {
            eprintln!("skipped: VOUCH_MODEL is not set (run scripts/fetch_model.sh DIR and export VOUCH_MODEL=DIR)");
            None
        }
    }
}

/// A library entry for matcher tests (criterion CC6.1).
pub fn entry(id: &str, question: &str, answer: &str, comment: &str) -> vouch::library::Entry {
    vouch::library::Entry {
        id: id.into(),
        question: question.into(),
        answer: answer.into(),
        comment: comment.into(),
        criteria: vec!["CC6.1".into()],
        ..vouch::library::Entry::default()
    }
}
