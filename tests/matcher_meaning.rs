//! The matcher's meaning signal (`src/matcher/meaning.rs`): an entry that
//! shares no word with a question is still found (recall through the
//! embedding index), `--model` with a missing folder is a clear error, and
//! full mode (gated on the model being present) answers end to end.
mod util;

use std::path::{Path, PathBuf};

use vouch::library::Library;
use vouch::matcher::{Embedder, MatchConfig, Matcher, Thesaurus};

/// The paraphrase and the entry it means; they share no content word.
const PARAPHRASE: &str = "Can the team operate from home offices?";
const ENTRY_ID: &str = "HR-009";

fn entries() -> Vec<(&'static str, &'static str, &'static str)> {
    vec![
        ("ENC-001", "Is customer data encrypted at rest?", "Yes"),
        (
            "IAM-003",
            "Is MFA enforced for all administrative access?",
            "Yes",
        ),
        (
            "CMP-001",
            "Do you have a current SOC 2 Type II report?",
            "Yes",
        ),
        (
            "BCP-002",
            "Are backups tested by restoring them at least yearly?",
            "Yes",
        ),
        (
            "SDL-002",
            "Is all code peer reviewed before it is merged?",
            "Yes",
        ),
        ("NET-002", "Is a web application firewall deployed?", "Yes"),
        (
            "HR-003",
            "Do all personnel complete security awareness training annually?",
            "Yes",
        ),
        (ENTRY_ID, "Is remote working permitted?", "Yes"),
        (
            "VUL-001",
            "Are vulnerability scans run against production weekly?",
            "Yes",
        ),
        (
            "LOG-001",
            "Are audit logs retained for at least one year?",
            "Yes",
        ),
    ]
}

fn library() -> Library {
    Library {
        entries: entries()
            .into_iter()
            .map(|(id, q, a)| util::entry(id, q, a, ""))
            .collect(),
    }
}

/// A one-question questionnaire, `dir/q.csv`.
fn write_questions_csv(dir: &Path) -> PathBuf {
    let path = dir.join("q.csv");
    std::fs::write(
        &path,
        "Question,Answer\nIs customer data encrypted at rest?,\n",
    )
    .unwrap();
    path
}

fn write_library_csv(dir: &Path) -> PathBuf {
    let path = dir.join("library.csv");
    let mut w = csv::Writer::from_path(&path).unwrap();
    w.write_record(["id", "question", "answer", "comment", "controls"])
        .unwrap();
    for (id, q, a) in entries() {
        w.write_record([id, q, a, "", "CC6.1"]).unwrap();
    }
    w.flush().unwrap();
    path
}

fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap()
}

#[test]
fn the_lexical_matcher_alone_cannot_find_the_paraphrase() {
    // The premise of the next test: no word of the question (after
    // stemming and the thesaurus) is in the entry.
    let lib = library();
    let th = Thesaurus::builtin();
    let m = Matcher::with_embedder(&lib, &th, MatchConfig::new(today()), Embedder::None).unwrap();
    let found: Vec<String> = m.search(PARAPHRASE, 10).into_iter().map(|c| c.id).collect();
    assert!(!found.contains(&ENTRY_ID.to_string()), "{found:?}");
}

#[test]
fn a_paraphrase_sharing_no_word_is_retrieved_end_to_end() {
    let tmp = tempfile::tempdir().unwrap();
    let lib = write_library_csv(tmp.path());
    let out = util::run_in(
        tmp.path(),
        &[
            "search",
            PARAPHRASE,
            "--library",
            lib.to_str().unwrap(),
            "-k",
            "3",
            "--json",
        ],
    );
    assert!(out.status.success(), "{}", util::stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&util::stdout(&out)).unwrap();
    let rows = json["rows"].as_array().unwrap();
    let hit = rows
        .iter()
        .find(|r| r["id"] == ENTRY_ID)
        .unwrap_or_else(|| panic!("{ENTRY_ID} not among the candidates: {rows:?}"));
    let f = &hit["features"];
    assert_eq!(f["bm25"].as_f64(), Some(0.0), "shares a word: {hit}");
    assert!(f["cosine"].as_f64().unwrap() > 0.2, "{hit}");
}

#[test]
fn a_missing_model_folder_is_an_error_naming_it() {
    let tmp = tempfile::tempdir().unwrap();
    let lib = write_library_csv(tmp.path());
    let questions = write_questions_csv(tmp.path());
    let missing = tmp.path().join("no-such-model");
    let out = util::run_in(
        tmp.path(),
        &[
            "answer",
            questions.to_str().unwrap(),
            "--library",
            lib.to_str().unwrap(),
            "--model",
            missing.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", util::stderr(&out));
    let err = util::stderr(&out);
    assert!(
        err.contains("no-such-model") && err.contains("model folder not found"),
        "{err}"
    );
    assert!(
        !tmp.path().join("q.answered.csv").exists(),
        "no output on error"
    );
}

#[test]
fn asking_for_full_mode_without_a_model_says_so_once() {
    let tmp = tempfile::tempdir().unwrap();
    let lib = write_library_csv(tmp.path());
    let questions = write_questions_csv(tmp.path());
    let run = |extra: &[&str]| {
        let mut args = vec![
            "answer",
            questions.to_str().unwrap(),
            "--library",
            lib.to_str().unwrap(),
            "--overwrite",
        ];
        args.extend_from_slice(extra);
        util::run_in(tmp.path(), &args)
    };
    let asked = run(&["--full"]);
    assert!(asked.status.success(), "{}", util::stderr(&asked));
    assert_eq!(
        util::stderr(&asked)
            .matches("no model: using the default mode")
            .count(),
        1
    );
    let plain = run(&[]);
    assert!(plain.status.success(), "{}", util::stderr(&plain));
    assert!(
        !util::stderr(&plain).contains("no model"),
        "{}",
        util::stderr(&plain)
    );
}

#[test]
fn full_mode_scores_the_dev_set_with_the_transformer() {
    let Some(dir) = util::model_or_skip() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let dev = util::shared().join("eval/dev");
    let out = util::vouch()
        .current_dir(tmp.path())
        .env("VOUCH_CACHE_DIR", tmp.path().join("cache"))
        .args([
            "eval",
            dev.to_str().unwrap(),
            "--json",
            "--model",
            dir.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", util::stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&util::stdout(&out)).unwrap();
    let s = &json["summary"];
    assert_eq!(s["meaning"], "full");
    // Sanity floors, not targets (see tests/matcher_eval.rs).
    assert!(s["top1"]["value"].as_f64().unwrap() >= 0.80, "{s}");
    assert!(
        s["auto"]["precision"]["value"].as_f64().unwrap_or(1.0) >= 0.9,
        "{s}"
    );
}

/// A question worded like an entry's comment ("someone available at night to
/// respond when a security alarm fires" against "Are alerts monitored?",
/// whose comment names an on-call engineer) is ranked first: the comment's
/// vector is compared with the question's (`comment_cos`). Without it, the
/// default mode ranks 9 of these 10 first.
#[test]
fn a_question_worded_like_the_comment_finds_its_entry() {
    let dir = util::repo_root().join("tests/fixtures/comment_paraphrases");
    let out = util::vouch()
        .args(["eval", "--json", "--quiet", "--min-confidence", "0"])
        .arg(&dir)
        .output()
        .expect("vouch runs");
    assert!(out.status.success(), "{}", util::stderr(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let wrong: Vec<String> = report["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .filter(|r| r["top_id"] != r["gold_id"])
        .map(|r| format!("{} -> {}", r["qid"], r["top_id"]))
        .collect();
    assert_eq!(report["rows"].as_array().map(Vec::len), Some(10));
    assert!(wrong.is_empty(), "ranked wrong: {wrong:?}");

    // `vouch search --explain` shows the comment's cosine beside the others.
    let out = util::run_in(
        &dir,
        &[
            "search",
            "Is there someone available at night to respond when a security alarm fires?",
            "--library",
            "library.csv",
            "-k",
            "2",
            "--explain",
        ],
    );
    assert!(out.status.success(), "{}", util::stderr(&out));
    let text = util::stdout(&out);
    assert!(text.starts_with("1. LOG-002"), "{text}");
    assert!(text.contains("comment_cos 0."), "{text}");
}
