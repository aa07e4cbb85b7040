//! Renders the built site in headless Chromium: the home page and the
//! controls page, whose filter must narrow the list when opened with
//! `?q=encrypt`. Screenshots go to target/screenshots/.
//!
//! Without /usr/bin/chromium the test fails when CI is set, else skips.

mod util;

use std::path::{Path, PathBuf};
use std::process::Command;

const CHROMIUM: &str = "/usr/bin/chromium";

fn chromium_available() -> bool {
    if Path::new(CHROMIUM).exists() {
        return true;
    }
    if std::env::var_os("CI").is_some() {
        panic!("{CHROMIUM} is required on CI (apt-get install chromium)");
    }
    eprintln!("skipping: {CHROMIUM} not found");
    false
}

fn chromium(profile: &Path, extra: &[&str], url: &str) -> String {
    let out = Command::new(CHROMIUM)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(url)
        .output()
        .expect("cannot start chromium");
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn screenshot(profile: &Path, name: &str, url: &str, extra: &[&str]) -> PathBuf {
    let dir = util::repo_root().join("target/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    let _ = std::fs::remove_file(&path);
    let arg = format!("--screenshot={}", path.display());
    let mut args = vec![arg.as_str(), "--window-size=1280,2000"];
    args.extend_from_slice(extra);
    chromium(profile, &args, url);
    assert!(
        std::fs::metadata(&path)
            .map(|m| m.len() > 10_000)
            .unwrap_or(false),
        "screenshot {name}"
    );
    path
}

/// Distinct controls in a dumped DOM (a control is listed under every
/// category and group it maps to): (all, visible).
fn control_rows(dom: &str) -> (usize, usize) {
    let rows: Vec<&str> = dom
        .split("<li class=\"control\"")
        .skip(1)
        .map(|rest| &rest[..rest.find('>').unwrap_or(0)])
        .collect();
    let key = |attrs: &str| {
        let at = attrs.find("data-key=\"").map(|i| i + 10).unwrap_or(0);
        attrs[at..].split('"').next().unwrap_or("").to_string()
    };
    let all: std::collections::BTreeSet<String> = rows.iter().map(|a| key(a)).collect();
    let visible: std::collections::BTreeSet<String> = rows
        .iter()
        .filter(|attrs| !attrs.contains("hidden"))
        .map(|a| key(a))
        .collect();
    (all.len(), visible.len())
}

#[test]
fn home_and_controls_render_and_the_filter_narrows_the_list() {
    if !chromium_available() {
        return;
    }
    let proj = util::site_fixture_project();
    let out = util::run_in(proj.path(), &["build", "--quiet", "--relative"]);
    assert!(out.status.success(), "{}", util::stderr(&out));
    let public = proj.path().join("public");
    let profile = tempfile::tempdir().unwrap();
    let home_url = format!("file://{}/index.html", public.display());
    let controls_url = format!("file://{}/controls/index.html", public.display());

    let home = chromium(profile.path(), &["--dump-dom"], &home_url);
    assert!(home.contains("Security at Fixture Cloud, Inc."), "{home}");
    assert!(home.contains("Latest audit") && home.contains("SOC 2 Type II"));
    assert_eq!(home.matches("<h1").count(), 1);
    assert!(!home.contains("<script>alert"));

    let all = chromium(profile.path(), &["--dump-dom"], &controls_url);
    let (total, visible) = control_rows(&all);
    assert_eq!(total, 6, "every listed control is on the page");
    assert_eq!(visible, total, "no filter, nothing hidden");
    assert!(all.contains("6 controls"));
    let box_tag = &all[all.find("id=\"control-filter-box\"").expect("filter box")..];
    assert!(
        !box_tag[..box_tag.find('>').unwrap()].contains("hidden"),
        "the script reveals the filter box"
    );

    let filtered = chromium(
        profile.path(),
        &["--dump-dom"],
        &format!("{controls_url}?q=encrypt"),
    );
    let (total, visible) = control_rows(&filtered);
    assert_eq!(total, 6);
    assert!(
        visible >= 1 && visible < total,
        "filter narrowed to {visible} of {total}"
    );
    assert!(
        filtered.contains("value=\"encrypt\"") || filtered.contains("of 6 controls match"),
        "query read into the box"
    );
    let nothing = chromium(
        profile.path(),
        &["--dump-dom"],
        &format!("{controls_url}#q=zzzz-no-match"),
    );
    assert_eq!(control_rows(&nothing).1, 0);
    assert!(
        nothing.contains("id=\"filter-empty\" class=\"empty\">"),
        "empty notice shown"
    );

    screenshot(profile.path(), "home.png", &home_url, &[]);
    screenshot(profile.path(), "controls.png", &controls_url, &[]);
    screenshot(
        profile.path(),
        "controls-filtered.png",
        &format!("{controls_url}?q=encrypt"),
        &[],
    );
    screenshot(
        profile.path(),
        "reports.png",
        &format!("file://{}/reports/index.html", public.display()),
        &[],
    );
    screenshot(
        profile.path(),
        "home-dark.png",
        &home_url,
        &[
            "--force-dark-mode",
            "--blink-settings=preferredColorScheme=0",
        ],
    );
    screenshot(
        profile.path(),
        "home-mobile.png",
        &home_url,
        &["--window-size=390,1600"],
    );
}

/// Searching "backup" in the home page's search box (opened with `?q=`)
/// lists the backup controls, FAQ entries and documents of the demo site,
/// from disk, under the pages' Content-Security-Policy.
#[test]
fn demo_home_search_finds_backup_controls_faq_and_documents() {
    if !chromium_available() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let public = tmp.path().join("public");
    let out = util::vouch()
        .env("SOURCE_DATE_EPOCH", "1795824000")
        .current_dir(util::repo_root())
        .args(["build", "--quiet", "--relative", "--out"])
        .arg(&public)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", util::stderr(&out));
    let size = std::fs::metadata(public.join("search-index.js"))
        .unwrap()
        .len();
    assert!(size < 100_000, "search index is {size} bytes");
    let profile = tempfile::tempdir().unwrap();
    let dom = chromium(
        profile.path(),
        &["--dump-dom", "--virtual-time-budget=5000"],
        &format!("file://{}/index.html?q=backup", public.display()),
    );
    let results = &dom[dom
        .find("id=\"home-search-results\"")
        .expect("results list")..];
    let results = &results[..results.find("</ul>").unwrap()];
    for (kind, example) in [
        ("Control", "Automated backups"),
        ("Question", "Are backups encrypted?"),
        ("Document", "Data Retention and Deletion Policy"),
    ] {
        assert!(
            results.contains(&format!("<span class=\"result-kind\">{kind}</span>")),
            "no {kind} result: {results}"
        );
        assert!(results.contains(example), "{example} not found: {results}");
    }
    assert!(dom.contains("results for “backup”"), "status announced");
}
