//! The matcher meets its targets on the dev evaluation set, run through the
//! real binary like the integrator's CI does.
mod util;

use serde_json::Value;

#[test]
fn eval_on_dev_meets_the_targets() {
    let dev = util::shared().join("eval/dev");
    let out = util::run_in(
        &util::repo_root(),
        &["eval", dev.to_str().unwrap(), "--check", "--json"],
    );
    let report: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", util::stderr(&out)));
    let top1 = report["top1"]["value"].as_f64().unwrap();
    let f1 = report["abstention"]["f1"].as_f64().unwrap();
    let negated = report["answer_accuracy_negated"]["value"].as_f64().unwrap();
    assert_eq!(report["questions"], 320);
    assert_eq!(report["answerable"], 270);
    assert!(top1 >= 0.90, "top-1 {top1}");
    assert!(f1 >= 0.70, "abstention F1 {f1}");
    assert!(negated >= 0.80, "negated answer accuracy {negated}");
    assert_eq!(out.status.code(), Some(0), "--check must pass");
    for kind in [
        "near-verbatim",
        "paraphrase",
        "acronym",
        "jargon-shift",
        "negated",
        "compound",
        "long-context",
    ] {
        assert!(
            report["top1_by_kind"][kind]["total"].as_u64().unwrap() > 0,
            "{kind}"
        );
    }
}

#[test]
fn check_fails_when_targets_are_missed() {
    let dev = util::shared().join("eval/dev");
    // Abstaining on everything cannot reach top-1 0.90.
    let out = util::run_in(
        &util::repo_root(),
        &[
            "eval",
            dev.to_str().unwrap(),
            "--check",
            "--json",
            "--min-confidence",
            "1.01",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", util::stderr(&out));
}

#[test]
fn eval_of_a_missing_dir_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    let out = util::run_in(tmp.path(), &["eval", "nope"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        util::stderr(&out).contains("library.csv"),
        "{}",
        util::stderr(&out)
    );
}
