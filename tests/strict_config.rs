//! Strict, helpful config: every misspelling named in the issues is an
//! error naming the file, the line and the closest valid key; a typo never
//! fails open; `check` and `build` share one validation.

mod util;

use std::path::{Path, PathBuf};

/// A fresh `vouch init` project.
fn project() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = util::run_in(tmp.path(), &["-q", "init", "acme"]);
    assert!(out.status.success(), "{}", util::stderr(&out));
    let dir = tmp.path().join("acme");
    (tmp, dir)
}

fn edit(path: &Path, f: impl FnOnce(String) -> String) {
    let text = std::fs::read_to_string(path).unwrap();
    std::fs::write(path, f(text)).unwrap();
}

fn append(path: &Path, text: &str) {
    edit(path, |t| t + text);
}

/// `vouch check` output (exit code, stdout).
fn check(dir: &Path) -> (Option<i32>, String) {
    let out = util::run_in(dir, &["check"]);
    (out.status.code(), util::stdout(&out))
}

/// The line number of the first line of `file` containing `needle`.
fn line_of(file: &Path, needle: &str) -> usize {
    std::fs::read_to_string(file)
        .unwrap()
        .lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("{needle} not in {}", file.display()))
        + 1
}

/// Asserts that check fails with exactly this finding among its errors,
/// and that build refuses the project naming it too.
fn assert_error(dir: &Path, expected: &str) {
    let (code, out) = check(dir);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains(expected), "expected {expected:?} in:\n{out}");
    let build = util::run_in(dir, &["build"]);
    assert_eq!(build.status.code(), Some(2), "build must refuse");
    let err = util::stderr(&build);
    assert!(err.contains(expected), "build names the error: {err}");
    assert!(!dir.join("public").exists(), "nothing published");
}

#[test]
fn misspelt_report_key_auditr() {
    let (_t, dir) = project();
    let file = dir.join("data/reports.toml");
    append(
        &file,
        "\n[[report]]\nid = \"soc2\"\nkind = \"soc2-type2\"\ntitle = \"SOC 2 Type II\"\nauditr = \"Example LLP\"\nopinion = \"unqualified\"\nperiod_start = 2025-07-01\nperiod_end = 2026-06-30\naccess = \"nda\"\n",
    );
    let line = line_of(&file, "auditr");
    assert_error(
        &dir,
        &format!(
            "data/reports.toml:{line}: error: auditr: unknown key (did you mean \"auditor\"?)"
        ),
    );
    // And the report, having no auditor, is reported on its own too.
    assert!(check(&dir).1.contains("a SOC report needs the audit firm"));
}

#[test]
fn misspelt_request_access_url() {
    let (_t, dir) = project();
    let file = dir.join("data/company.toml");
    edit(&file, |t| {
        t.replace("# request_access_url = ", "request_acess_url = ")
    });
    let line = line_of(&file, "request_acess_url");
    assert_error(
        &dir,
        &format!("data/company.toml:{line}: error: request_acess_url: unknown key (did you mean \"request_access_url\"?)"),
    );
}

#[test]
fn logo_after_the_trust_center_table() {
    let (_t, dir) = project();
    let file = dir.join("data/company.toml");
    std::fs::create_dir_all(dir.join("data/files")).unwrap();
    std::fs::write(dir.join("data/files/logo.svg"), "<svg/>").unwrap();
    append(&file, "logo = \"data/files/logo.svg\"\n");
    // The appended line is the last one.
    let line = std::fs::read_to_string(&file).unwrap().lines().count();
    assert_error(
        &dir,
        &format!("data/company.toml:{line}: error: logo: unknown key in this table: \"logo\" belongs at the top level, above [trust_center]"),
    );
}

#[test]
fn titel_in_update_and_content_front_matter() {
    let (_t, dir) = project();
    let update = std::fs::read_dir(dir.join("data/updates"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let name = update.file_name().unwrap().to_string_lossy().into_owned();
    edit(&update, |t| t.replace("title =", "titel ="));
    let (code, out) = check(&dir);
    assert_eq!(code, Some(1));
    assert!(
        out.contains(&format!(
            "data/updates/{name}:2: error: titel: unknown key (did you mean \"title\"?)"
        )),
        "{out}"
    );

    let (_t2, dir) = project();
    edit(&dir.join("site/content/contact.md"), |t| {
        t.replace("title =", "titel =")
    });
    assert_error(
        &dir,
        "site/content/contact.md:2: error: titel: unknown key (did you mean \"title\"?)",
    );
    let (_t3, dir) = project();
    edit(&dir.join("site/content/_index.md"), |t| {
        t.replace("+++\n", "+++\nsort_bye = \"date\"\n")
    });
    assert_error(
        &dir,
        "site/content/_index.md:2: error: sort_bye: unknown key (did you mean \"sort_by\"?)",
    );
}

#[test]
fn misspelt_visibility_never_publishes_an_internal_update() {
    let (_t, dir) = project();
    std::fs::write(
        dir.join("data/updates/2026-01-05-secret.md"),
        "+++\ntitle = \"Secret acquisition talks\"\ndate = 2026-01-05\nvisiblity = \"internal\"\n+++\nConfidential.\n",
    )
    .unwrap();
    assert_error(
        &dir,
        "data/updates/2026-01-05-secret.md:4: error: visiblity: unknown key (did you mean \"visibility\"?)",
    );
}

#[test]
fn misspelt_csv_header_is_one_error_and_no_cascade() {
    let (_t, dir) = project();
    let file = dir.join("data/subprocessors.csv");
    edit(&file, |t| t.replacen("visibility", "visiblity", 1));
    append(
        &file,
        "Hidden Analytics,Product analytics,Usage data,Germany,2025-01-01,https://hidden.example,internal\n",
    );
    let (code, out) = check(&dir);
    assert_eq!(code, Some(1));
    assert!(
        out.contains("data/subprocessors.csv:1: error: visiblity: unknown column (did you mean \"visibility\"?)"),
        "{out}"
    );
    assert!(
        out.contains("1 errors, 0 warnings"),
        "one typo, one error: {out}"
    );
    // With --allow-errors the misspelt column is still read as visibility:
    // the internal subprocessor is not published.
    let build = util::run_in(&dir, &["build", "--allow-errors"]);
    assert!(build.status.success(), "{}", util::stderr(&build));
    assert!(util::stderr(&build).contains("despite 1 error"));
    let mut files = Vec::new();
    util::all_files(&dir.join("public"), &mut files);
    for f in files {
        let text = std::fs::read(&f).unwrap();
        assert!(
            !String::from_utf8_lossy(&text).contains("Hidden Analytics"),
            "{} publishes the internal subprocessor",
            f.display()
        );
    }

    // The same for controls.csv: no cascade of "criterion without control".
    let (_t2, dir) = project();
    edit(&dir.join("data/controls.csv"), |t| {
        t.replacen("criteria", "critera", 1)
    });
    let (code, out) = check(&dir);
    assert_eq!(code, Some(1));
    assert!(
        out.contains(
            "data/controls.csv:1: error: critera: unknown column (did you mean \"criteria\"?)"
        ),
        "{out}"
    );
    assert!(out.contains("1 errors, 0 warnings"), "{out}");
}

#[test]
fn missing_csv_column_is_reported_once() {
    let (_t, dir) = project();
    edit(&dir.join("data/controls.csv"), |t| {
        t.lines()
            // Drop the last column, `tags`.
            .map(|l| l.rsplit_once(',').map_or(l, |(head, _)| head).to_string())
            .collect::<Vec<_>>()
            .join("\n")
    });
    let (_, out) = check(&dir);
    // `tags` is optional: dropping it is fine.
    assert!(out.contains("0 errors"), "{out}");
    edit(&dir.join("data/controls.csv"), |t| {
        t.lines()
            .map(|l| {
                let cols: Vec<&str> = l.split(',').collect();
                let n = cols.len();
                // drop the owner column (6th) where rows have no quoted commas
                if cols[0] == "id" || !l.contains('"') {
                    cols[..5]
                        .iter()
                        .chain(&cols[6..n])
                        .copied()
                        .collect::<Vec<_>>()
                        .join(",")
                } else {
                    l.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
    });
    let (code, out) = check(&dir);
    assert_eq!(code, Some(1));
    assert!(
        out.contains("data/controls.csv:1: error: missing required column(s): owner"),
        "{out}"
    );
    assert_eq!(out.matches("owner").count(), 1, "reported once: {out}");
}

#[test]
fn tsc_ids_suggest_and_accept_lowercase() {
    let (_t, dir) = project();
    let file = dir.join("data/controls.csv");
    edit(&file, |t| t.replace("CC6.1;CC6.2,", "cc6.1; cc6.2,"));
    let (code, out) = check(&dir);
    assert_eq!(code, Some(0), "lowercase ids are accepted: {out}");
    let cov = util::run_in(&dir, &["coverage", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&cov.stdout).unwrap();
    let cc62 = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["criterion"] == "CC6.2")
        .unwrap();
    assert!(
        cc62["controls"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["id"] == "AC-01"),
        "cc6.2 counts as CC6.2: {cc62}"
    );

    edit(&file, |t| t.replace("CC6.4,", "CC6.9,"));
    let line = line_of(&file, "CC6.9");
    assert_error(
        &dir,
        &format!("data/controls.csv:{line}: error: criteria: unknown TSC criterion \"CC6.9\" (did you mean \"CC6."),
    );
}

#[test]
fn soc_report_without_auditor_or_opinion_is_an_error() {
    let (_t, dir) = project();
    let file = dir.join("data/reports.toml");
    append(
        &file,
        "\n[[report]]\nid = \"soc2\"\nkind = \"soc2-type2\"\ntitle = \"SOC 2 Type II\"\nperiod_start = 2025-07-01\nperiod_end = 2026-06-30\naccess = \"nda\"\n",
    );
    let (code, out) = check(&dir);
    assert_eq!(code, Some(1));
    assert!(
        out.contains("error: auditor: report \"soc2\": a SOC report needs the audit firm"),
        "{out}"
    );
    assert!(
        out.contains("error: opinion: report \"soc2\": a SOC report needs the auditor's opinion"),
        "{out}"
    );
    edit(&file, |t| {
        t.replace(
            "id = \"soc2\"",
            "id = \"soc2\"\nauditor = \"X LLP\"\nopinion = \"unqualifed\"",
        )
    });
    let (_, out) = check(&dir);
    assert!(out.contains("did you mean \"unqualified\""), "{out}");
}

#[test]
fn build_refuses_what_check_calls_erroneous_unless_allowed() {
    let (_t, dir) = project();
    edit(&dir.join("data/controls.csv"), |t| {
        t.replace(",implemented,public,", ",done,public,")
    });
    let (code, out) = check(&dir);
    assert_eq!(code, Some(1));
    let errors: usize = out
        .lines()
        .last()
        .and_then(|l| l.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap();
    let build = util::run_in(&dir, &["build"]);
    assert_eq!(build.status.code(), Some(2));
    let err = util::stderr(&build);
    assert!(
        err.contains(&format!("the project has {errors} error(s)")),
        "{err}"
    );
    assert!(err.contains("--allow-errors"), "{err}");
    let allowed = util::run_in(&dir, &["build", "--allow-errors", "--json"]);
    assert!(allowed.status.success(), "{}", util::stderr(&allowed));
    let v: serde_json::Value = serde_json::from_slice(&allowed.stdout).unwrap();
    assert_eq!(v["summary"]["errors"], errors);
    assert!(v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f == "index.html"));
}

#[test]
fn unknown_top_level_keys_in_every_data_file() {
    let (_t, dir) = project();
    append(
        &dir.join("data/documents.toml"),
        "\n[[documnet]]\nid = \"x\"\n",
    );
    edit(&dir.join("data/company.toml"), |t| {
        t.replace("website =", "webiste =")
    });
    edit(&dir.join("site/config.toml"), |t| {
        t.replace("generate_feeds", "generate_feed")
    });
    let (code, out) = check(&dir);
    assert_eq!(code, Some(1));
    let doc_line = line_of(&dir.join("data/documents.toml"), "[[documnet]]");
    assert!(
        out.contains(&format!("data/documents.toml:{doc_line}: error: documnet: unknown key (did you mean \"document\"?)")),
        "{out}"
    );
    assert!(
        out.contains(
            "data/company.toml:5: error: webiste: unknown key (did you mean \"website\"?)"
        ),
        "{out}"
    );
    assert!(
        out.contains("data/company.toml:1: error: website: missing required field"),
        "{out}"
    );
    let cfg_line = line_of(&dir.join("site/config.toml"), "generate_feed");
    assert!(
        out.contains(&format!("site/config.toml:{cfg_line}: error: generate_feed: unknown key (did you mean \"generate_feeds\"?)")),
        "{out}"
    );
}

#[test]
fn non_ascii_content_names_and_dates_never_panic() {
    let (_t, dir) = project();
    std::fs::write(
        dir.join("site/content/aéééééxyz-note.md"),
        "+++\ntitle = \"Note\"\n+++\nHello.\n",
    )
    .unwrap();
    let ok = util::run_in(&dir, &["build"]);
    assert!(ok.status.success(), "{}", util::stderr(&ok));
    assert!(!util::stderr(&ok).contains("panicked"));
    std::fs::write(
        dir.join("site/content/dated.md"),
        "+++\ntitle = \"Dated\"\ndate = \"2026-03-0€x\"\n+++\nHello.\n",
    )
    .unwrap();
    let (code, out) = check(&dir);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("site/content/dated.md:3: error: date:"),
        "{out}"
    );
    let build = util::run_in(&dir, &["build", "--allow-errors"]);
    assert_eq!(build.status.code(), Some(2));
    let err = util::stderr(&build);
    assert!(!err.contains("panicked"), "{err}");
    assert!(err.contains("content/dated.md:3: error: date:"), "{err}");
}

#[test]
fn an_error_naming_its_file_is_printed_as_a_finding() {
    let (_t, dir) = project();
    std::fs::write(dir.join("data/reports.toml"), b"title = \"caf\xe9\"\n").unwrap();
    let out = util::run_in(&dir, &["check"]);
    assert_eq!(out.status.code(), Some(2));
    let err = util::stderr(&out);
    assert_eq!(
        err.trim(),
        "data/reports.toml:1: error: not valid UTF-8 text (save the file as UTF-8)"
    );
}
