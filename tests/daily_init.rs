//! Daily use from a fresh start: `vouch init acme && cd acme && vouch check
//! && vouch build`, site URLs (base_url, --base-url, --relative), the
//! output folder marker, completions, man page, colour and file modes.

mod util;

use std::path::Path;

/// `vouch init NAME` in a fresh temp dir; returns (temp dir, project path).
fn init(extra: &[&str]) -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let mut args = vec!["init", "acme"];
    args.extend_from_slice(extra);
    let out = util::run_in(tmp.path(), &args);
    assert!(out.status.success(), "{}", util::stderr(&out));
    let dir = tmp.path().join("acme");
    (tmp, dir)
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn init_then_check_then_build_links_to_base_url() {
    let tmp = tempfile::tempdir().unwrap();
    let out = util::run_in(
        tmp.path(),
        &["init", "acme", "--company", "Acme Cloud, Inc."],
    );
    assert!(out.status.success(), "{}", util::stderr(&out));
    let said = util::stderr(&out);
    assert!(said.contains("Edit first"), "{said}");
    assert!(said.contains("data/company.toml"), "{said}");
    let acme = tmp.path().join("acme");
    for file in [
        "data/company.toml",
        "data/controls.csv",
        "data/reports.toml",
        "data/documents.toml",
        "data/subprocessors.csv",
        "answers/starter.toml",
        "site/config.toml",
        "site/content/_index.md",
        "site/content/contact.md",
        "README.md",
        ".gitignore",
        ".github/workflows/trust-center.yml",
    ] {
        assert!(acme.join(file).is_file(), "init wrote no {file}");
    }
    assert!(
        !acme.join("themes").exists(),
        "the theme is embedded, not copied"
    );
    assert!(read(&acme.join("data/company.toml")).contains("name = \"Acme Cloud, Inc.\""));
    let workflow = read(&acme.join(".github/workflows/trust-center.yml"));
    assert!(workflow.contains("vouch check") && workflow.contains("vouch build"));

    let check = util::run_in(&acme, &["check"]);
    assert_eq!(check.status.code(), Some(0), "{}", util::stdout(&check));
    assert!(util::stdout(&check).contains("0 errors, 0 warnings"));

    let build = util::run_in(&acme, &["build"]);
    assert_eq!(build.status.code(), Some(0), "{}", util::stderr(&build));
    let public = acme.join("public");
    let home = read(&public.join("index.html"));
    let base = "https://trust.acme-cloud-inc.example";
    assert!(home.contains(&format!("{base}/vouch.css")), "{home}");
    assert!(
        home.contains(&format!("{base}/controls/")),
        "home links to controls"
    );
    assert!(
        !home.contains("file://"),
        "no file:// links in a deployable build"
    );
    assert!(read(&public.join("sitemap.xml")).contains(&format!("{base}/controls/")));
    assert!(
        public.join(".vouch-build").is_file(),
        "the output carries its marker"
    );
    // The starter controls and update are published.
    assert!(read(&public.join("controls/index.html")).contains("Quarterly access reviews"));
    // The answer library of the starter project answers a question.
    let search = util::run_in(&acme, &["search", "Do you encrypt data at rest?", "--json"]);
    assert!(search.status.success(), "{}", util::stderr(&search));
    let v: serde_json::Value = serde_json::from_slice(&search.stdout).unwrap();
    assert_eq!(v["summary"]["entry"], "ENC-001", "{v}");
}

#[test]
fn init_refuses_a_folder_that_is_not_empty() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join("acme")).unwrap();
    std::fs::write(tmp.path().join("acme/notes.txt"), "mine").unwrap();
    let out = util::run_in(tmp.path(), &["init", "acme"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        util::stderr(&out).contains("not empty"),
        "{}",
        util::stderr(&out)
    );
    assert_eq!(read(&tmp.path().join("acme/notes.txt")), "mine");
}

#[test]
fn base_url_flag_must_be_absolute_and_overrides_the_config() {
    let (_tmp, acme) = init(&[]);
    let bad = util::run_in(&acme, &["build", "--base-url", "trust.example.org"]);
    assert_eq!(bad.status.code(), Some(2));
    let err = util::stderr(&bad);
    assert!(err.contains("not an absolute http(s) URL"), "{err}");
    assert!(err.contains("https://trust.example.org"), "{err}");
    assert!(!acme.join("public").exists());

    let good = util::run_in(
        &acme,
        &["build", "--base-url", "https://status.acme.test/trust/"],
    );
    assert!(good.status.success(), "{}", util::stderr(&good));
    let home = read(&acme.join("public/index.html"));
    assert!(
        home.contains("https://status.acme.test/trust/controls/"),
        "{home}"
    );
}

#[test]
fn relative_build_can_be_moved_and_opened_from_disk() {
    let (_tmp, acme) = init(&[]);
    let out = util::run_in(&acme, &["build", "--relative", "--out", "preview"]);
    assert!(out.status.success(), "{}", util::stderr(&out));
    // Move the folder: relative links keep working.
    let moved = tempfile::tempdir().unwrap();
    let site = moved.path().join("site");
    std::fs::rename(acme.join("preview"), &site).unwrap();
    let home = read(&site.join("index.html"));
    assert!(home.contains("href=\"vouch.css\""), "{home}");
    assert!(home.contains("controls/index.html"), "{home}");
    let controls = read(&site.join("controls/index.html"));
    assert!(controls.contains("href=\"../vouch.css\""), "{controls}");
    assert!(controls.contains("../index.html"), "{controls}");
    let mut files = Vec::new();
    util::all_files(&site, &mut files);
    for file in files {
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        assert!(!text.contains("__vouch_relative__"), "{}", file.display());
        if file.extension().is_some_and(|e| e == "html") {
            assert!(!text.contains("file://"), "{}", file.display());
            // Every local link resolves to a file inside the moved folder.
            for link in text.split("href=\"").skip(1) {
                let link = &link[..link.find('"').unwrap()];
                if link.starts_with("http") || link.starts_with('#') || link.starts_with("mailto:")
                {
                    continue;
                }
                let target = link.split(['#', '?']).next().unwrap();
                let target = file.parent().unwrap().join(target);
                assert!(target.exists(), "{}: broken link {link}", file.display());
            }
        }
    }
    // Feeds keep absolute URLs from base_url.
    assert!(read(&site.join("atom.xml")).contains("https://trust.acme.example/"));
}

#[test]
fn out_replaces_only_a_folder_vouch_wrote() {
    let (_tmp, acme) = init(&[]);
    // A folder that looks like a site but has no marker: never replaced.
    let other = acme.join("www");
    std::fs::create_dir(&other).unwrap();
    std::fs::write(other.join("index.html"), "<p>hand-made</p>").unwrap();
    std::fs::write(other.join("config.toml"), "x = 1").unwrap();
    let out = util::run_in(&acme, &["build", "--out", "www"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        util::stderr(&out).contains("not written by vouch"),
        "{}",
        util::stderr(&out)
    );
    assert_eq!(read(&other.join("index.html")), "<p>hand-made</p>");
    // An empty folder is fine, and so is a previous build.
    std::fs::create_dir(acme.join("empty")).unwrap();
    assert!(util::run_in(&acme, &["build", "--out", "empty"])
        .status
        .success());
    std::fs::write(acme.join("empty/stale.html"), "old").unwrap();
    assert!(util::run_in(&acme, &["build", "--out", "empty"])
        .status
        .success());
    assert!(
        !acme.join("empty/stale.html").exists(),
        "a rebuild replaces the folder"
    );
    assert!(acme.join("empty/index.html").is_file());
}

#[test]
#[cfg(unix)]
fn created_files_follow_the_umask() {
    use std::os::unix::fs::PermissionsExt;
    let (_tmp, acme) = init(&[]);
    let out = util::vouch()
        .current_dir(&acme)
        .args(["build", "--quiet"])
        .output()
        .unwrap();
    assert!(out.status.success());
    // The test harness runs with the usual umask 022 (or stricter).
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    // Read, not set: umask is process-wide and tests run in parallel.
    let umask = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            let line = s.lines().find(|l| l.starts_with("Umask:"))?.to_string();
            u32::from_str_radix(line.split_whitespace().nth(1)?, 8).ok()
        })
        .unwrap_or(0o022);
    let expected = 0o666 & !umask;
    assert_eq!(
        mode(&acme.join("data/company.toml")),
        expected,
        "init output"
    );
    assert_eq!(
        mode(&acme.join("public/index.html")),
        expected,
        "site files"
    );
    let man = util::run_in(&acme, &["man", "--dir", "man"]);
    assert!(man.status.success());
    assert_eq!(
        mode(&acme.join("man/vouch.1")),
        expected,
        "write_atomic output"
    );
}

#[test]
fn completions_and_man_page() {
    let tmp = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish"] {
        let out = util::run_in(tmp.path(), &["completions", shell]);
        assert!(out.status.success(), "{shell}");
        let text = util::stdout(&out);
        assert!(
            text.contains("serve") && text.contains("init"),
            "{shell}: {text}"
        );
    }
    let man = util::run_in(tmp.path(), &["man"]);
    assert!(man.status.success());
    let page = util::stdout(&man);
    assert!(page.contains(".TH vouch 1"), "{page}");
    assert!(page.contains("serve"), "{page}");
    let bad = util::run_in(tmp.path(), &["completions", "cmd.exe"]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn findings_have_no_colour_when_piped_or_with_no_color() {
    let (_tmp, acme) = init(&[]);
    let csv = acme.join("data/controls.csv");
    std::fs::write(&csv, read(&csv).replace("CC6.4", "CC6.9")).unwrap();
    for env in [None, Some("1")] {
        let mut cmd = util::vouch();
        cmd.current_dir(&acme).arg("check");
        if let Some(v) = env {
            cmd.env("NO_COLOR", v);
        }
        let out = cmd.output().unwrap();
        assert_eq!(out.status.code(), Some(1));
        let text = util::stdout(&out);
        assert!(
            !text.contains('\u{1b}'),
            "escape codes in piped output: {text:?}"
        );
        assert!(text.contains("data/controls.csv:10: error: criteria: unknown TSC criterion \"CC6.9\" (did you mean \"CC6."), "{text}");
    }
}

#[test]
fn the_embedded_theme_is_overridden_file_by_file() {
    let (_tmp, acme) = init(&[]);
    // One static file of the theme and one template, from the project.
    std::fs::create_dir_all(acme.join("themes/vouch/static")).unwrap();
    std::fs::write(
        acme.join("themes/vouch/static/vouch.css"),
        "/* acme colours */\n",
    )
    .unwrap();
    std::fs::create_dir_all(acme.join("site/templates")).unwrap();
    std::fs::write(
        acme.join("site/templates/404.html"),
        "{% extends \"base.html\" %}{% block content %}<h1>Lost at Acme</h1>{% endblock %}",
    )
    .unwrap();
    let out = util::run_in(&acme, &["build"]);
    assert!(out.status.success(), "{}", util::stderr(&out));
    let public = acme.join("public");
    assert_eq!(read(&public.join("vouch.css")), "/* acme colours */\n");
    assert!(read(&public.join("404.html")).contains("Lost at Acme"));
    // Everything else still comes from the embedded theme.
    assert!(public.join("vouch.js").is_file());
    assert!(read(&public.join("controls/index.html")).contains("Quarterly access reviews"));
}
