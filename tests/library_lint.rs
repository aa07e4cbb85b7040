//! `vouch library lint` and `vouch check` on libraries made here: a
//! contradiction is an error naming both ids, near-duplicates and stale
//! entries are warnings with owners and review dates, coverage gaps and
//! unused thesaurus phrases are reported, and answers/*.toml is strict.

mod util;

use serde_json::Value;

/// A copy of the minimal project with `answers/` files added.
fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = util::copy_to_temp(&util::repo_root().join("tests/fixtures/projects/minimal"));
    std::fs::create_dir_all(dir.path().join("answers")).unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join("answers").join(name), text).unwrap();
    }
    dir
}

fn encryption(second_answer: &str) -> String {
    format!(
        r#"[[entry]]
id = "ENC-001"
question = "Is customer data encrypted at rest?"
answer = "Yes"
comment = "AES-256 with keys in KMS."
controls = ["PLN-01"]
owner = "Platform"
reviewed = 2026-01-15

[[entry]]
id = "ENC-007"
question = "Is all customer data encrypted at rest?"
answer = "{second_answer}"
comment = "Written by someone else."
controls = ["PLN-01"]
owner = "Sales Engineering"
"#
    )
}

fn lint_json(dir: &std::path::Path) -> (Option<i32>, Value) {
    let out = util::run_in(dir, &["library", "lint", "--json"]);
    let v = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", util::stdout(&out)));
    (out.status.code(), v)
}

#[test]
fn near_identical_questions_answered_yes_and_no_fail_lint_and_check_naming_both() {
    let dir = project(&[("encryption.toml", &encryption("No"))]);
    let out = util::run_in(dir.path(), &["library", "lint"]);
    assert_eq!(out.status.code(), Some(1));
    let text = util::stdout(&out);
    let line = text
        .lines()
        .find(|l| l.contains(": error: "))
        .unwrap_or_else(|| panic!("no error line: {text}"));
    assert!(
        line.contains("ENC-001") && line.contains("ENC-007"),
        "{line}"
    );
    assert!(line.contains("answer Yes and No"), "{line}");
    assert!(
        line.contains("owner Platform, reviewed 2026-01-15"),
        "{line}"
    );
    assert!(
        line.contains("owner Sales Engineering, never reviewed"),
        "{line}"
    );
    assert!(
        line.starts_with("answers/encryption.toml:1: error: answer:"),
        "{line}"
    );

    let check = util::run_in(dir.path(), &["check"]);
    assert_eq!(check.status.code(), Some(1), "{}", util::stdout(&check));
    let text = util::stdout(&check);
    assert!(
        text.lines().any(|l| l
            .starts_with("answers/encryption.toml:1: error: answer: entries ENC-001 and ENC-007")),
        "{text}"
    );

    let (code, v) = lint_json(dir.path());
    assert_eq!(code, Some(1));
    assert_eq!(v["summary"]["errors"], 1);
    let conflict = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["kind"] == "conflict")
        .unwrap();
    assert_eq!(
        conflict["entries"],
        serde_json::json!(["ENC-001", "ENC-007"])
    );
    assert_eq!(
        conflict["owners"],
        serde_json::json!(["Platform", "Sales Engineering"])
    );
    assert!(
        conflict["similarity"].as_f64().unwrap() >= 0.85,
        "{conflict}"
    );
    assert_eq!(conflict["severity"], "error");
}

#[test]
fn the_same_pair_with_the_same_answer_is_a_near_duplicate_warning() {
    let dir = project(&[("encryption.toml", &encryption("Yes"))]);
    let (code, v) = lint_json(dir.path());
    assert_eq!(code, Some(0), "{v}");
    let rows = v["rows"].as_array().unwrap();
    let dup = rows
        .iter()
        .find(|r| r["kind"] == "near-duplicate")
        .expect("a near-duplicate");
    assert_eq!(dup["entries"], serde_json::json!(["ENC-001", "ENC-007"]));
    assert_eq!(dup["severity"], "warning");
    assert!(dup["message"].as_str().unwrap().contains("similarity"));
    // `check` passes with the same warning.
    let check = util::run_in(dir.path(), &["check"]);
    assert_eq!(check.status.code(), Some(0), "{}", util::stdout(&check));
    assert!(util::stdout(&check).contains("are near-duplicates"));
}

#[test]
fn stale_entries_coverage_gaps_unknown_controls_and_unused_phrases_are_reported() {
    let lib = r#"[[entry]]
id = "ENC-001"
question = "Is customer data encrypted at rest?"
answer = "Yes"
comment = "AES-256."
controls = ["PLN-01"]
owner = "Platform"
reviewed = 2020-01-01

[[entry]]
id = "IAM-001"
question = "Is multi-factor authentication enforced for workforce access?"
answer = "Yes"
comment = "Okta."
controls = ["ACC-99"]
owner = "IT"
reviewed = 2026-02-01
"#;
    let thesaurus = r#"[concepts]
mfa = ["okta verify push"]
quantum_safe = ["post-quantum cryptography", "kyber"]
"#;
    let dir = project(&[("lib.toml", lib), ("thesaurus.toml", thesaurus)]);
    let (code, v) = lint_json(dir.path());
    // The unknown control is an error.
    assert_eq!(code, Some(1), "{v}");
    let rows = v["rows"].as_array().unwrap();
    let messages = |kind: &str| -> Vec<String> {
        rows.iter()
            .filter(|r| r["kind"] == kind)
            .map(|r| r["message"].as_str().unwrap().to_string())
            .collect()
    };
    let stale = messages("stale");
    assert_eq!(stale.len(), 1, "{stale:?}");
    assert!(
        stale[0].contains("ENC-001")
            && stale[0].contains("last reviewed 2020-01-01")
            && stale[0].contains("owner: Platform")
    );
    assert!(messages("controls")
        .iter()
        .any(|m| m.contains("unknown control \"ACC-99\"")));
    // Only PLN-01 (CC6.1) is referenced: CC7.2 is in scope and unspoken for.
    let uncovered = messages("uncovered-criterion");
    assert!(
        uncovered.iter().any(|m| m.contains("CC7.2")),
        "{uncovered:?}"
    );
    assert!(
        !uncovered.iter().any(|m| m.contains("CC6.1 ")),
        "{uncovered:?}"
    );
    let unreferenced = messages("unreferenced-control");
    assert!(unreferenced.iter().any(|m| m.contains("control GOV-01")));
    assert!(!unreferenced.iter().any(|m| m.contains("control PLN-01")));
    // A phrase for a concept no entry mentions reaches nothing; one that
    // extends a concept the entries use is fine.
    let unused = messages("unused-phrase");
    assert_eq!(unused.len(), 2, "{unused:?}");
    assert!(unused.iter().all(|m| m.contains("quantum_safe")));
    let phrase = rows.iter().find(|r| r["kind"] == "unused-phrase").unwrap();
    assert_eq!(phrase["line"], 3);
}

#[test]
fn answers_toml_is_strict_with_suggestions() {
    let lib = r#"title = "my answers"

[[entry]]
id = "ENC-001"
question = "Is customer data encrypted at rest?"
answer = "Yes"
comment = "AES-256."
controls = ["PLN-01"]
visiblity = "public"
status = "maybe"
"#;
    let dir = project(&[("lib.toml", lib)]);
    let out = util::run_in(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1));
    let text = util::stdout(&out);
    assert!(
        text.contains(
            "answers/lib.toml:9: error: visiblity: unknown field (did you mean \"visibility\"?)"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "answers/lib.toml:10: error: status: must be approved or draft, not \"maybe\""
        ),
        "{text}"
    );
    assert!(
        text.contains("answers/lib.toml:1: error: title: unknown top-level key \"title\""),
        "{text}"
    );
}

#[test]
fn a_draft_may_lack_controls_and_comment_until_it_is_approved() {
    let lib = r#"[[entry]]
id = "IMP-001"
question = "Do you carry cyber insurance?"
answer = "Yes"
comment = ""
status = "draft"
"#;
    let dir = project(&[("imported.toml", lib)]);
    let (code, v) = lint_json(dir.path());
    assert_eq!(code, Some(0), "{v}");
    let texts: Vec<&str> = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["message"].as_str().unwrap())
        .collect();
    assert!(
        texts
            .iter()
            .any(|m| m.contains("draft \"IMP-001\" has no controls / criteria")),
        "{texts:?}"
    );
    assert!(
        texts.iter().any(|m| m.contains("draft has no comment")),
        "{texts:?}"
    );
    // Approved, the same entry is an error.
    std::fs::write(
        dir.path().join("answers/imported.toml"),
        lib.replace("status = \"draft\"", "status = \"approved\""),
    )
    .unwrap();
    let (code, _) = lint_json(dir.path());
    assert_eq!(code, Some(1));
}
