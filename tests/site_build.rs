//! `vouch build` on the fixture project: pages, escaping, request-access
//! listings, security.txt, trust.json, staging, determinism and errors.

mod util;

use std::path::{Path, PathBuf};

fn fixture_project() -> tempfile::TempDir {
    util::site_fixture_project()
}

fn build(dir: &Path, extra: &[&str]) -> std::process::Output {
    util::build_site(dir, extra)
}

fn read(path: PathBuf) -> String {
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn all_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(all_files(&path));
        } else {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// Headings start at h1 and never skip a level going down.
fn assert_heading_order(page: &str, html: &str) {
    let levels: Vec<u32> = html
        .match_indices("<h")
        .filter_map(|(i, _)| html[i + 2..].chars().next()?.to_digit(10))
        .filter(|l| (1..=6).contains(l))
        .collect();
    assert_eq!(levels.first(), Some(&1), "{page}: first heading is h1");
    for pair in levels.windows(2) {
        assert!(
            pair[1] <= pair[0] + 1,
            "{page}: heading h{} follows h{}",
            pair[1],
            pair[0]
        );
    }
}

#[test]
fn builds_every_page_of_the_theme() {
    let proj = fixture_project();
    // Relative links: the offline check below looks for any http resource.
    let out = build(proj.path(), &["--relative"]);
    assert!(out.status.success(), "{}", util::stderr(&out));
    let public = proj.path().join("public");
    for page in [
        "index.html",
        "controls/index.html",
        "reports/index.html",
        "documents/index.html",
        "subprocessors/index.html",
        "subprocessors/postmark/index.html",
        "updates/index.html",
        "updates/soc2/index.html",
        "contact/index.html",
        "soc-reports-explained/index.html",
        "404.html",
    ] {
        let html = read(public.join(page));
        assert_eq!(html.matches("<h1").count(), 1, "{page}: exactly one h1");
        assert_heading_order(page, &html);
        assert!(
            !html.contains("<img")
                || !html
                    .split("<img")
                    .skip(1)
                    .any(|t| !t[..t.find('>').unwrap()].contains("alt=")),
            "{page}: img without alt"
        );
        for landmark in [
            "<header",
            "<nav",
            "<main",
            "<footer",
            "class=\"skip-link\" href=\"#main\"",
        ] {
            assert!(html.contains(landmark), "{page}: missing {landmark}");
        }
        // Works offline: no script, style or font from the network.
        for external in [
            "<script src=\"http",
            "<link rel=\"stylesheet\" href=\"http",
            "@import",
            "url(http",
        ] {
            assert!(
                !html.contains(external),
                "{page}: external resource {external}"
            );
        }
    }
    for file in [
        "sitemap.xml",
        "robots.txt",
        "atom.xml",
        "updates/atom.xml",
        "subprocessors/atom.xml",
        "trust.json",
        ".well-known/security.txt",
        "vouch.css",
        "vouch.js",
    ] {
        assert!(public.join(file).is_file(), "missing {file}");
    }
}

#[test]
fn links_use_base_url_by_default_and_work_from_disk_with_relative() {
    let proj = fixture_project();
    assert!(build(proj.path(), &[]).status.success());
    let public = proj.path().join("public");
    let home = read(public.join("index.html"));
    assert!(
        home.contains("https://trust.example.com/controls/"),
        "{home}"
    );
    assert!(!home.contains("file://"));
    assert!(build(proj.path(), &["--relative"]).status.success());
    let home = read(public.join("index.html"));
    assert!(home.contains("href=\"controls/index.html\""), "{home}");
    assert!(home.contains("href=\"vouch.css\""), "{home}");
}

#[test]
fn data_is_escaped_and_summary_is_complete() {
    let proj = fixture_project();
    assert!(build(
        proj.path(),
        &["--base-url", "https://trust.fixture.example"]
    )
    .status
    .success());
    let public = proj.path().join("public");
    let controls = read(public.join("controls/index.html"));
    assert!(!controls.contains("<script>alert"), "raw script from data");
    assert!(controls.contains("&lt;script&gt;alert("), "escaped as text");
    assert!(controls.contains("id=\"control-filter\""));
    assert!(controls.contains("data-filter-row"));
    let home = read(public.join("index.html"));
    assert!(!home.contains("<script>alert"));
    for needle in [
        "SOC 2 Type II",
        "Example &amp; Partners LLP",
        "badge-current",
        "Encryption",
        "SSO &amp; MFA",
        "Backups",
        "Penetration testing",
        "Confidentiality",
        "System boundaries",
        "99.9% monthly availability",
        "https://trust.fixture.example/controls/",
    ] {
        assert!(home.contains(needle), "home lacks {needle}");
    }
}

#[test]
fn gated_items_are_listed_with_request_access_and_never_copied() {
    let proj = fixture_project();
    assert!(build(proj.path(), &[]).status.success());
    let public = proj.path().join("public");
    let reports = read(public.join("reports/index.html"));
    assert!(reports.contains("SOC 2 Type II report 2025-2026"));
    assert!(reports.contains("mailto:security@fixture.example?subject=Access%20request%3A%20SOC%202%20Type%20II%20report%202025-2026"));
    assert!(reports.contains("Request access"));
    assert!(
        public.join("files/soc3-2026.pdf").is_file(),
        "public file copied"
    );
    assert!(
        !public.join("files/soc2-type2-2026.pdf").exists(),
        "nda file never copied"
    );
    assert!(
        !public.join("files/bcp.pdf").exists(),
        "nda document never copied"
    );
    let docs = read(public.join("documents/index.html"));
    assert!(docs.contains("Business Continuity Plan") && docs.contains("Under NDA"));
}

#[test]
fn security_txt_and_trust_json() {
    let proj = fixture_project();
    assert!(build(
        proj.path(),
        &["--base-url", "https://trust.fixture.example"]
    )
    .status
    .success());
    let public = proj.path().join("public");
    let txt = read(public.join(".well-known/security.txt"));
    assert!(
        txt.contains("Contact: mailto:security@fixture.example\n"),
        "{txt}"
    );
    // 2026-11-28 + 180 days
    assert!(txt.contains("Expires: 2027-05-27T00:00:00Z\n"), "{txt}");
    assert!(txt.contains("Policy: https://fixture.example/security/disclosure\n"));
    assert!(txt.contains("Canonical: https://trust.fixture.example/.well-known/security.txt\n"));
    assert!(txt.contains("Preferred-Languages: en, de\n"));
    let json: serde_json::Value = serde_json::from_str(&read(public.join("trust.json"))).unwrap();
    assert_eq!(json["schema_version"], "1.1");
    assert_eq!(json["company"]["name"], "Fixture Cloud, Inc.");
    assert_eq!(json["categories"].as_array().unwrap().len(), 3);
    let controls = json["controls"].as_array().unwrap();
    assert_eq!(controls.len(), 5, "public controls only");
    let reports = json["reports"].as_array().unwrap();
    let soc2 = reports.iter().find(|r| r["kind"] == "soc2-type2").unwrap();
    assert_eq!(soc2["access"], "nda");
    assert!(soc2.get("auditor").is_none() && soc2.get("url").is_none());
    let soc3 = reports.iter().find(|r| r["kind"] == "soc3").unwrap();
    assert_eq!(
        soc3["url"],
        "https://trust.fixture.example/files/soc3-2026.pdf"
    );
}

#[test]
fn feeds_and_sitemap_use_the_base_url() {
    let proj = fixture_project();
    assert!(build(
        proj.path(),
        &["--base-url", "https://trust.fixture.example/"]
    )
    .status
    .success());
    let public = proj.path().join("public");
    let feed = read(public.join("subprocessors/atom.xml"));
    assert!(feed.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\""));
    assert!(feed.contains("<title>Postmark</title>"), "{feed}");
    assert!(feed.contains("https://trust.fixture.example/subprocessors/postmark/"));
    let updates = read(public.join("updates/atom.xml"));
    assert!(
        updates.find("SOC 2 Type II report for 2025-2026").unwrap()
            < updates.find("New subprocessor: Postmark").unwrap(),
        "newest first"
    );
    let sitemap = read(public.join("sitemap.xml"));
    assert!(sitemap.contains("<loc>https://trust.fixture.example/controls/</loc>"));
    let robots = read(public.join("robots.txt"));
    assert!(robots.contains("Sitemap: https://trust.fixture.example/sitemap.xml"));
}

#[test]
fn output_is_deterministic() {
    let proj = fixture_project();
    let args = ["--base-url", "https://trust.fixture.example", "--out", "a"];
    assert!(build(proj.path(), &args).status.success());
    let first: Vec<(PathBuf, Vec<u8>)> = all_files(&proj.path().join("a"))
        .into_iter()
        .map(|p| {
            (
                p.strip_prefix(proj.path()).unwrap().to_path_buf(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    assert!(build(proj.path(), &args).status.success());
    let second: Vec<(PathBuf, Vec<u8>)> = all_files(&proj.path().join("a"))
        .into_iter()
        .map(|p| {
            (
                p.strip_prefix(proj.path()).unwrap().to_path_buf(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    assert_eq!(first.len(), second.len());
    for ((pa, a), (pb, b)) in first.iter().zip(&second) {
        assert_eq!(pa, pb);
        assert!(a == b, "{} differs between two builds", pa.display());
    }
}

#[test]
fn stage_writes_a_zola_project() {
    let proj = fixture_project();
    let out = build(
        proj.path(),
        &[
            "--stage",
            "staged",
            "--base-url",
            "https://trust.fixture.example",
        ],
    );
    assert!(out.status.success(), "{}", util::stderr(&out));
    let staged = proj.path().join("staged");
    let config = read(staged.join("config.toml"));
    assert!(config.contains("base_url = \"https://trust.fixture.example\""));
    assert!(config.contains("theme = \"vouch\""));
    for f in [
        "data/controls.json",
        "data/company.json",
        "data/summary.json",
        "content/controls/_index.md",
        "content/updates/2026-08-20-soc2.md",
        "themes/vouch/templates/index.html",
        "static/trust.json",
        "static/.well-known/security.txt",
    ] {
        assert!(staged.join(f).is_file(), "staged {f}");
    }
    assert!(
        !proj.path().join("public").exists(),
        "--stage stops before rendering"
    );
}

#[test]
fn zola_engine_without_zola_is_a_clear_error() {
    let proj = fixture_project();
    let out = util::vouch()
        .current_dir(proj.path())
        .env("PATH", "/nonexistent")
        .args(["build", "--engine", "zola"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        util::stderr(&out).contains("no `zola` program found on PATH"),
        "{}",
        util::stderr(&out)
    );
}

#[test]
fn unsupported_template_feature_names_template_line_and_feature() {
    let proj = fixture_project();
    let templates = proj.path().join("site/templates");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::write(
        templates.join("404.html"),
        "{% extends \"base.html\" %}\n{% block content %}\n<h1>Lost</h1>\n{{ 1000 | num_format }}\n{% endblock content %}\n",
    )
    .unwrap();
    let out = build(proj.path(), &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = util::stderr(&out);
    assert!(
        err.contains("templates/404.html:4: unsupported filter `num_format`"),
        "{err}"
    );
    assert!(!err.contains("panicked"));
    assert!(
        !proj.path().join("public").exists(),
        "no half-written output"
    );
}

#[test]
fn site_templates_override_the_theme() {
    let proj = fixture_project();
    let templates = proj.path().join("site/templates");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::write(
        templates.join("contact.html"),
        "{% extends \"base.html\" %}{% block content %}<h1>Write to us</h1>{{ super() }}{% endblock content %}",
    )
    .unwrap();
    assert!(build(proj.path(), &[]).status.success());
    let html = read(proj.path().join("public/contact/index.html"));
    assert!(html.contains("<h1>Write to us</h1>"));
    assert!(
        html.contains("Fixture Cloud, Inc."),
        "still extends the theme's base.html"
    );
}

#[test]
fn never_replaces_the_project_inputs() {
    let proj = fixture_project();
    for args in [
        ["--out", "site"],
        ["--stage", "site"],
        ["--out", "."],
        ["--stage", "data/x"],
    ] {
        let out = build(proj.path(), &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            util::stderr(&out).contains("refusing"),
            "{}",
            util::stderr(&out)
        );
    }
    assert!(proj.path().join("site/config.toml").is_file());
    assert!(proj.path().join("data/company.toml").is_file());
}

/// `--engine zola` runs `zola --root STAGE build --base-url URL --output-dir DIR`
/// on a staged project; a stand-in `zola` script checks the call.
#[test]
fn zola_engine_runs_zola_on_the_staged_project() {
    let proj = fixture_project();
    let bin = proj.path().join("fakebin");
    std::fs::create_dir_all(&bin).unwrap();
    let script = bin.join("zola");
    std::fs::write(
        &script,
        "#!/bin/sh\n# args: --root R build --base-url U --output-dir O\n\
         test \"$3\" = build || exit 3\n\
         test -f \"$2/config.toml\" && test -f \"$2/data/controls.json\" && test -f \"$2/themes/vouch/theme.toml\" || exit 4\n\
         mkdir \"$7\" && echo \"zola $5\" > \"$7/index.html\"\n",
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = util::vouch()
        .current_dir(proj.path())
        .env("PATH", path)
        .args([
            "build",
            "--engine",
            "zola",
            "--base-url",
            "https://z.example",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", util::stderr(&out));
    assert_eq!(
        read(proj.path().join("public/index.html")),
        "zola https://z.example\n"
    );
    let report: serde_json::Value = serde_json::from_str(&util::stdout(&out)).unwrap();
    assert_eq!(report["summary"]["engine"], "zola");
}

/// A visibility typo is an error naming the file and row, never a listing.
#[test]
fn unknown_visibility_is_an_error_not_a_listing() {
    let proj = fixture_project();
    let csv = proj.path().join("data/controls.csv");
    let text = std::fs::read_to_string(&csv).unwrap();
    std::fs::write(
        &csv,
        format!("{text}SEC-99,Secret thing,Hidden,CC6.1,X,Y,monthly,implemented,internl,,\n"),
    )
    .unwrap();
    let out = build(proj.path(), &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = util::stderr(&out);
    assert!(
        err.contains("data/controls.csv:9: error: visibility: invalid value \"internl\""),
        "{err}"
    );
    assert!(!proj.path().join("public").exists());
}
