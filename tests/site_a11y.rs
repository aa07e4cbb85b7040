//! Accessibility: axe-core (from the npm registry) runs in headless
//! Chromium over every page of the demo site, plus mobile and dark-mode runs
//! of one page per template; there must be no serious or critical
//! violation. Desktop, mobile and dark screenshots and the full axe results
//! are kept in target/a11y/ as test artefacts.
//!
//! Needs `/usr/bin/chromium`, `node` and axe-core's `axe.min.js`, found at
//! `$VOUCH_AXE_CORE`, else under `$VOUCH_NPM_DIR` (default
//! `~/.cache/vouch-npm`) in `node_modules/axe-core/` (`.ci/run` installs
//! all three). Without them the test fails when CI is set, else skips with
//! the reason.

mod util;

use std::path::{Path, PathBuf};
use std::process::Command;

const CHROMIUM: &str = "/usr/bin/chromium";

fn axe_core() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("VOUCH_AXE_CORE") {
        return Some(PathBuf::from(p));
    }
    let dir = std::env::var_os("VOUCH_NPM_DIR")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cache/vouch-npm")))?;
    Some(dir.join("node_modules/axe-core/axe.min.js"))
}

/// (chromium, axe.min.js) when everything is there; else a skip (or, on
/// CI, a failure) with the reason.
fn tools() -> Option<PathBuf> {
    let mut missing = Vec::new();
    if !Path::new(CHROMIUM).exists() {
        missing.push(format!("{CHROMIUM} (apt-get install chromium)"));
    }
    let node = Command::new("node").arg("--version").output();
    if !node.map(|o| o.status.success()).unwrap_or(false) {
        missing.push("node (apt-get install nodejs)".to_string());
    }
    let axe = axe_core().filter(|p| p.is_file());
    if axe.is_none() {
        missing.push(
            "axe-core (npm install --prefix ~/.cache/vouch-npm axe-core, or set VOUCH_AXE_CORE)"
                .to_string(),
        );
    }
    if missing.is_empty() {
        return axe;
    }
    let reason = format!("the accessibility check needs {}", missing.join(", "));
    if std::env::var_os("CI").is_some() {
        panic!("{reason}; .ci/run installs them");
    }
    eprintln!("skipped: {reason}");
    None
}

#[test]
fn demo_site_has_no_serious_or_critical_axe_violations() {
    let Some(axe) = tools() else {
        return;
    };
    let site = tempfile::tempdir().unwrap();
    let public = site.path().join("public");
    let out = util::vouch()
        .env("SOURCE_DATE_EPOCH", "1795824000")
        .current_dir(util::repo_root())
        .args(["build", "--quiet", "--relative", "--out"])
        .arg(&public)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", util::stderr(&out));

    let artefacts = util::repo_root().join("target/a11y");
    let _ = std::fs::remove_dir_all(&artefacts);
    std::fs::create_dir_all(&artefacts).unwrap();
    let run = Command::new("node")
        .arg(util::repo_root().join("tests/a11y/axe-run.mjs"))
        .arg(CHROMIUM)
        .arg(&axe)
        .arg(&public)
        .arg(&artefacts)
        .output()
        .expect("cannot start node");
    let stdout = util::stdout(&run);
    assert!(
        run.status.success(),
        "axe-run failed: {stdout}{}",
        util::stderr(&run)
    );
    println!("{}", stdout.trim());

    let results: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(artefacts.join("axe-results.json")).unwrap())
            .unwrap();
    let mut pages = Vec::new();
    util::all_files(&public, &mut pages);
    let html_pages = pages
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .count();
    assert!(html_pages > 150, "the demo site has {html_pages} pages");
    assert_eq!(
        results["summary"]["pages"].as_u64(),
        Some(html_pages as u64),
        "every page was checked"
    );
    let mut serious = Vec::new();
    for r in results["results"].as_array().unwrap() {
        for v in r["violations"].as_array().unwrap() {
            if matches!(v["impact"].as_str(), Some("serious" | "critical")) {
                serious.push(format!(
                    "{} ({}): {} [{}] {}",
                    r["page"], r["view"], v["id"], v["impact"], v["nodes"]
                ));
            }
        }
    }
    assert!(
        serious.is_empty(),
        "serious or critical axe violations:\n{}",
        serious.join("\n")
    );
    for shot in [
        "home-desktop.png",
        "home-mobile.png",
        "controls-desktop.png",
        "faq-mobile.png",
    ] {
        let len = std::fs::metadata(artefacts.join("screenshots").join(shot))
            .map(|m| m.len())
            .unwrap_or(0);
        assert!(len > 10_000, "screenshot {shot} ({len} bytes)");
    }
}
