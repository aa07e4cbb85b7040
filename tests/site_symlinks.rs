//! A symlink never publishes a file from outside the project: a public
//! document's file, the logo, a symlinked folder, `data/updates` itself, or
//! a file in `site/static/`. `vouch check` reports each case and `vouch
//! build` stops on it (even with --allow-errors), writing nothing.
#![cfg(unix)]

mod util;

use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};

const SECRET: &str = "root:x:0:0:SECRET-OUTSIDE-THE-PROJECT";

/// A fresh `vouch init` project and a folder outside it with a secret file.
fn setup() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = util::run_in(tmp.path(), &["-q", "init", "acme"]);
    assert!(out.status.success(), "{}", util::stderr(&out));
    let outside = tmp.path().join("outside");
    std::fs::create_dir_all(outside.join("updates")).unwrap();
    std::fs::write(outside.join("passwd"), SECRET).unwrap();
    std::fs::write(
        outside.join("updates/2026-01-01-leak.md"),
        format!("+++\ntitle = \"Leak\"\ndate = 2026-01-01\n+++\n{SECRET}\n"),
    )
    .unwrap();
    std::fs::create_dir_all(tmp.path().join("acme/data/files")).unwrap();
    let dir = tmp.path().join("acme");
    (tmp, dir, outside)
}

fn append(path: &Path, text: &str) {
    let mut t = std::fs::read_to_string(path).unwrap();
    t.push_str(text);
    std::fs::write(path, t).unwrap();
}

fn public_document(dir: &Path, file: &str) {
    append(
        &dir.join("data/documents.toml"),
        &format!("\n[[document]]\nid = \"evil\"\ntitle = \"Evil\"\nkind = \"policy\"\nfile = \"{file}\"\naccess = \"public\"\n"),
    );
}

/// check reports `expected`; build (also with --allow-errors) fails and
/// publishes nothing from outside.
fn assert_refused(dir: &Path, expected: &str) {
    let check = util::run_in(dir, &["check"]);
    let out = util::stdout(&check);
    assert_eq!(check.status.code(), Some(1), "{out}");
    assert!(
        out.contains(expected),
        "check: expected {expected:?} in\n{out}"
    );
    for args in [&["build"][..], &["build", "--allow-errors"][..]] {
        let build = util::run_in(dir, args);
        assert_eq!(
            build.status.code(),
            Some(2),
            "{args:?}: {}",
            util::stderr(&build)
        );
        assert!(
            util::stderr(&build).contains("outside the project"),
            "{args:?}: {}",
            util::stderr(&build)
        );
        assert!(!dir.join("public").exists(), "{args:?} wrote public/");
    }
    let mut leftovers: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".vouch-"))
        .collect();
    leftovers.sort();
    assert!(leftovers.is_empty(), "temp folders left: {leftovers:?}");
}

#[test]
fn a_symlinked_public_file() {
    let (_t, dir, outside) = setup();
    symlink(outside.join("passwd"), dir.join("data/files/evil.pdf")).unwrap();
    public_document(&dir, "data/files/evil.pdf");
    assert_refused(
        &dir,
        "error: file: \"data/files/evil.pdf\" lies outside the project (a symlink to",
    );
}

#[test]
fn a_symlinked_logo() {
    let (_t, dir, outside) = setup();
    symlink(outside.join("passwd"), dir.join("data/files/logo.svg")).unwrap();
    let company = dir.join("data/company.toml");
    let text = std::fs::read_to_string(&company)
        .unwrap()
        .replace("# logo = ", "logo = ");
    std::fs::write(&company, text).unwrap();
    assert_refused(
        &dir,
        "data/company.toml:7: error: logo: \"data/files/logo.svg\" lies outside the project",
    );
}

#[test]
fn a_symlinked_directory() {
    let (_t, dir, outside) = setup();
    symlink(&outside, dir.join("data/files/shared")).unwrap();
    public_document(&dir, "data/files/shared/passwd");
    assert_refused(
        &dir,
        "\"data/files/shared/passwd\" lies outside the project",
    );
}

#[test]
fn data_updates_itself_a_symlink() {
    let (_t, dir, outside) = setup();
    std::fs::remove_dir_all(dir.join("data/updates")).unwrap();
    symlink(outside.join("updates"), dir.join("data/updates")).unwrap();
    assert_refused(
        &dir,
        "data/updates: error: \"data/updates\" lies outside the project",
    );
}

#[test]
fn a_symlink_in_site_static() {
    let (_t, dir, outside) = setup();
    std::fs::create_dir_all(dir.join("site/static")).unwrap();
    symlink(
        outside.join("passwd"),
        dir.join("site/static/robots-extra.txt"),
    )
    .unwrap();
    assert_refused(&dir, "site/static/robots-extra.txt: error:");
}

#[test]
fn a_symlink_inside_the_project_is_fine() {
    let (_t, dir, _outside) = setup();
    std::fs::write(dir.join("data/files/policy-v2.pdf"), "%PDF-1.4 policy").unwrap();
    symlink("policy-v2.pdf", dir.join("data/files/policy.pdf")).unwrap();
    public_document(&dir, "data/files/policy.pdf");
    let build = util::run_in(&dir, &["build"]);
    assert!(build.status.success(), "{}", util::stderr(&build));
    assert_eq!(
        std::fs::read_to_string(dir.join("public/files/policy.pdf")).unwrap(),
        "%PDF-1.4 policy"
    );
}
