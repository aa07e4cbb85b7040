//! `vouch library import` / `approve` end to end: past questionnaires made
//! here (CSV and XLSX) become draft entries and draft variants; conflicts
//! are reported and write nothing; a second import changes nothing; edits
//! keep the library's comments and order; drafts are never used to answer.

mod util;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// A hand-written library file with comments, as a team would keep it.
const ACCESS: &str = r#"# Identity and access management (kept by IT)

[[entry]]
id = "IAM-001"   # the MFA answer everyone asks for
question = "Is multi-factor authentication enforced for all workforce access?"
variants = [
  "Do you enforce MFA for employees?",
]
answer = "Yes"
comment = "Okta with FIDO2 keys for every employee."
controls = ["CC6.1"]
owner = "IT"
reviewed = 2026-01-10

# Encryption lives here too for now.
[[entry]]
id = "ENC-001"
question = "Is customer data encrypted at rest?"
answer = "Yes"
comment = "AES-256 with keys in AWS KMS."
criteria = ["CC6.1"]
"#;

/// A past questionnaire: one known wording, one rewording of IAM-001 with the
/// same answer, one rewording of ENC-001 with the opposite answer, and two
/// questions the library has nothing for (one answered, one not).
const PAST: &str = "\
Question,Response,Notes
Is customer data encrypted at rest?,Yes,
Is MFA enforced for all workforce access?,Y,Okta everywhere
Is all customer data encrypted at rest?,No,Legacy exports are not
Do you carry cyber liability insurance?,Yes,Policy with a 5M limit
Do you have an office in Antarctica?,,
";

fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("answers")).unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

fn json_of(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", util::stdout(out)))
}

/// Every file of `answers/` with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = Vec::new();
    util::all_files(&dir.join("answers"), &mut files);
    files
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect()
}

fn rows_by_question(report: &Value) -> BTreeMap<String, Value> {
    report["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["question"].as_str().unwrap().to_string(), r.clone()))
        .collect()
}

#[test]
fn import_sorts_rows_into_known_variant_conflict_and_new_and_keeps_comments() {
    let dir = project(&[("answers/access.toml", ACCESS), ("past.csv", PAST)]);
    let out = util::run_in(
        dir.path(),
        &[
            "library", "import", "past.csv", "--owner", "Security", "--json",
        ],
    );
    // A conflict was found: exit 1, but the rest is written.
    assert_eq!(out.status.code(), Some(1), "{}", util::stderr(&out));
    let report = json_of(&out);
    let rows = rows_by_question(&report);
    let action = |q: &str| rows[q]["action"].as_str().unwrap().to_string();
    assert_eq!(action("Is customer data encrypted at rest?"), "known");
    assert_eq!(
        action("Is MFA enforced for all workforce access?"),
        "variant"
    );
    assert_eq!(
        rows["Is MFA enforced for all workforce access?"]["entry"],
        "IAM-001"
    );
    assert_eq!(
        action("Is all customer data encrypted at rest?"),
        "conflict"
    );
    assert_eq!(
        rows["Is all customer data encrypted at rest?"]["entry"],
        "ENC-001"
    );
    assert_eq!(
        rows["Is all customer data encrypted at rest?"]["entry_answer"],
        "Yes"
    );
    assert_eq!(action("Do you carry cyber liability insurance?"), "new");
    assert!(!rows.contains_key("Do you have an office in Antarctica?"));
    assert_eq!(report["summary"]["unanswered"], 1);
    assert_eq!(report["summary"]["conflicts"], 1);

    // The hand-written file: comments and order kept, one draft variant added.
    let access = std::fs::read_to_string(dir.path().join("answers/access.toml")).unwrap();
    assert!(access.starts_with("# Identity and access management (kept by IT)\n"));
    assert!(access.contains("id = \"IAM-001\"   # the MFA answer everyone asks for\n"));
    assert!(access.contains("# Encryption lives here too for now.\n[[entry]]\nid = \"ENC-001\""));
    assert!(access.contains("draft_variants = ["));
    assert!(access.contains("\"Is MFA enforced for all workforce access?\""));
    // The conflicting wording is written nowhere.
    let all: String = snapshot(dir.path())
        .values()
        .map(|b| String::from_utf8_lossy(b).into_owned())
        .collect();
    assert!(!all.contains("Is all customer data encrypted at rest?"));
    // The new entry is a draft with the harvested answer, comment and owner.
    let imported = std::fs::read_to_string(dir.path().join("answers/imported-past.toml")).unwrap();
    assert!(imported.contains("question = \"Do you carry cyber liability insurance?\""));
    assert!(imported.contains("comment = \"Policy with a 5M limit\""));
    assert!(imported.contains("status = \"draft\""));
    assert!(imported.contains("owner = \"Security\""));

    // The text report names the conflict with both answers.
    let again = util::run_in(dir.path(), &["library", "import", "past.csv", "--dry-run"]);
    let text = util::stdout(&again);
    assert!(
        text.contains("conflict: \"Is all customer data encrypted at rest?\" is answered \"No\" here; entry ENC-001 says \"Yes\""),
        "{text}"
    );
}

#[test]
fn a_second_import_of_the_same_file_changes_nothing() {
    let dir = project(&[("answers/access.toml", ACCESS), ("past.csv", PAST)]);
    util::run_in(dir.path(), &["library", "import", "past.csv"]);
    let first = snapshot(dir.path());
    assert!(
        first.len() == 2,
        "the import wrote a file of drafts: {first:?}"
    );
    let out = util::run_in(dir.path(), &["library", "import", "past.csv", "--json"]);
    let report = json_of(&out);
    assert_eq!(report["summary"]["variants"], 0);
    assert_eq!(report["summary"]["new"], 0);
    assert_eq!(report["summary"]["known"], 3);
    assert_eq!(report["files"].as_array().unwrap().len(), 0);
    assert_eq!(
        snapshot(dir.path()),
        first,
        "the second import changed a file"
    );
}

#[test]
fn dry_run_writes_nothing() {
    let dir = project(&[("answers/access.toml", ACCESS), ("past.csv", PAST)]);
    let before = snapshot(dir.path());
    let out = util::run_in(dir.path(), &["library", "import", "past.csv", "--dry-run"]);
    assert!(
        util::stdout(&out).contains("would change"),
        "{}",
        util::stdout(&out)
    );
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn drafts_are_never_used_until_approved() {
    let dir = project(&[("past.csv", PAST)]);
    let out = util::run_in(dir.path(), &["library", "import", "past.csv", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", util::stderr(&out));
    let rows = rows_by_question(&json_of(&out));
    let cyber = rows["Do you carry cyber liability insurance?"]["entry"]
        .as_str()
        .unwrap()
        .to_string();
    // Only drafts: answer refuses, naming the way out.
    let q = "Question,Answer\nDo you carry cyber liability insurance?,\n";
    std::fs::write(dir.path().join("new.csv"), q).unwrap();
    let answer = [
        "answer",
        "new.csv",
        "-o",
        "new.answered.csv",
        "--json",
        "r.json",
    ];
    let out = util::run_in(dir.path(), &answer);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        util::stderr(&out).contains("drafts: approve them"),
        "{}",
        util::stderr(&out)
    );
    // search does not show drafts either.
    let out = util::run_in(
        dir.path(),
        &["search", "cyber liability insurance", "--json"],
    );
    let found = json_of(&out);
    assert_eq!(found["rows"].as_array().unwrap().len(), 0, "{found}");

    // Approving a draft without controls is refused unless --force.
    let out = util::run_in(dir.path(), &["library", "approve", "--all"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        util::stdout(&out).contains("no controls / criteria (or pass --force)"),
        "{}",
        util::stdout(&out)
    );
    let out = util::run_in(
        dir.path(),
        &["library", "approve", &cyber, "--force", "--json"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", util::stderr(&out));
    assert_eq!(json_of(&out)["summary"]["approved"], 1);
    let text = std::fs::read_to_string(dir.path().join("answers/imported-past.toml")).unwrap();
    assert!(text.contains("status = \"approved\""));
    assert!(text.contains(&format!("reviewed = {}", chrono::Utc::now().date_naive())));

    let out = util::run_in(dir.path(), &answer);
    assert_eq!(out.status.code(), Some(0), "{}", util::stderr(&out));
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("r.json")).unwrap()).unwrap();
    let rows = report.get("rows").unwrap_or(&report);
    assert_eq!(rows[0]["entry"], cyber.as_str());
    assert_eq!(rows[0]["tier"], "auto");
}

#[test]
fn approving_a_draft_variant_makes_it_a_variant() {
    let dir = project(&[("answers/access.toml", ACCESS), ("past.csv", PAST)]);
    util::run_in(dir.path(), &["library", "import", "past.csv"]);
    let out = util::run_in(dir.path(), &["library", "approve", "IAM-001"]);
    assert_eq!(out.status.code(), Some(0), "{}", util::stdout(&out));
    let access = std::fs::read_to_string(dir.path().join("answers/access.toml")).unwrap();
    assert!(!access.contains("draft_variants"), "{access}");
    assert!(access.contains("  \"Do you enforce MFA for employees?\",\n  \"Is MFA enforced for all workforce access?\",\n]"), "{access}");
    // An approved entry keeps its review date: approving variants is no review of the answer.
    assert!(access.contains("reviewed = 2026-01-10"));
    // Unknown ids are an error with a suggestion.
    let out = util::run_in(dir.path(), &["library", "approve", "IAM-01"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        util::stderr(&out).contains("did you mean \"IAM-001\""),
        "{}",
        util::stderr(&out)
    );
}

#[test]
fn xlsx_questionnaires_are_harvested_with_their_comments() {
    let dir = project(&[]);
    let path = dir.path().join("past.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Security").unwrap();
    for (c, h) in ["ID", "Question", "Answer", "Comments"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    let rows = [
        (
            "SEC-1",
            "Do you perform annual penetration tests?",
            "Yes",
            "By an external firm",
        ),
        ("SEC-2", "Is there a bug bounty program?", "No", ""),
        (
            "SEC-3",
            "Do you have a disaster recovery plan?",
            "Yes",
            "Tested twice a year",
        ),
    ];
    for (r, (id, q, a, c)) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        sheet.write_string(r, 0, *id).unwrap();
        sheet.write_string(r, 1, *q).unwrap();
        sheet.write_string(r, 2, *a).unwrap();
        sheet.write_string(r, 3, *c).unwrap();
    }
    book.save(&path).unwrap();
    let out = util::run_in(dir.path(), &["library", "import", "past.xlsx", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", util::stderr(&out));
    let report = json_of(&out);
    assert_eq!(report["summary"]["new"], 3);
    assert_eq!(report["rows"][0]["qid"], "SEC-1");
    let (lib, findings) = vouch::library::load(&dir.path().join("answers")).unwrap();
    assert!(
        findings
            .iter()
            .all(|f| f.severity != vouch::diag::Severity::Error),
        "{findings:?}"
    );
    let by_q: BTreeMap<&str, &vouch::library::Entry> = lib
        .entries
        .iter()
        .map(|e| (e.question.as_str(), e))
        .collect();
    let dr = by_q["Do you have a disaster recovery plan?"];
    assert_eq!(dr.answer, "Yes");
    assert_eq!(dr.comment, "Tested twice a year");
    assert!(dr.is_draft());
    assert_eq!(by_q["Is there a bug bounty program?"].answer, "No");
}

#[test]
fn an_unreadable_file_stops_the_import_before_anything_is_written() {
    let dir = project(&[("answers/access.toml", ACCESS), ("past.csv", PAST)]);
    std::fs::write(dir.path().join("broken.xlsx"), b"not a workbook").unwrap();
    let before = snapshot(dir.path());
    let out = util::run_in(
        dir.path(),
        &["library", "import", "past.csv", "broken.xlsx"],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = util::stderr(&out);
    assert!(err.contains("broken.xlsx"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn importing_into_a_csv_library_is_refused() {
    let dir = project(&[("past.csv", PAST)]);
    let lib = util::shared().join("eval/dev/library.csv");
    let out = util::run_in(
        dir.path(),
        &[
            "library",
            "import",
            "past.csv",
            "--library",
            lib.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(util::stderr(&out).contains("only a directory of .toml files can be edited"));
}
