//! The shipped demo company end to end: its trust center never carries
//! anything internal or NDA-only, and its questionnaire answers never use an
//! internal library entry.

mod util;

/// Strings that exist only in internal or nda material of the demo data.
const SECRETS: [&str; 6] = [
    "KESTREL-NDA-SOC2-2026",
    "KESTREL-INTERNAL-PI-READINESS",
    "KESTREL-INTERNAL-RUNBOOK",
    "KESTREL-INTERNAL-UPDATE",
    "Mixpanel",
    "Key custody and deletion procedure",
];

#[test]
fn demo_site_has_no_internal_or_nda_content() {
    let tmp = tempfile::tempdir().unwrap();
    let out_dir = tmp.path().join("public");
    let o = util::vouch()
        .env("SOURCE_DATE_EPOCH", "1795824000")
        .current_dir(util::repo_root())
        .args(["build", "--quiet", "--out"])
        .arg(&out_dir)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", util::stderr(&o));
    let mut files = Vec::new();
    util::all_files(&out_dir, &mut files);
    assert!(files.len() > 20, "site too small: {} files", files.len());
    // The secrets really are in the demo data, so this test can fail.
    let data =
        std::fs::read(util::repo_root().join("data/files/kestrel-soc2-type2-2026.pdf")).unwrap();
    assert!(String::from_utf8_lossy(&data).contains(SECRETS[0]));
    for file in &files {
        let bytes = std::fs::read(file).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        for secret in SECRETS {
            assert!(
                !text.contains(secret),
                "{secret} leaked into {}",
                file.display()
            );
        }
    }
    let index = std::fs::read_to_string(out_dir.join("index.html")).unwrap();
    assert!(index.contains("Kestrel Systems"));
}

#[test]
fn demo_answers_never_use_internal_entries() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("q.csv");
    // Questions worded exactly like the demo's two internal entries.
    let internal: Vec<String> = ["answers/hr.toml", "answers/cryptography.toml"]
        .iter()
        .flat_map(|f| {
            let text = std::fs::read_to_string(util::repo_root().join(f)).unwrap();
            let table: toml::Table = text.parse().unwrap();
            table["entry"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|e| e.get("visibility").and_then(|v| v.as_str()) == Some("internal"))
                .map(|e| e["question"].as_str().unwrap().to_string())
                .collect::<Vec<_>>()
        })
        .collect();
    assert_eq!(internal.len(), 2, "the demo has two internal entries");
    let mut w = csv::Writer::from_path(&input).unwrap();
    w.write_record(["Question", "Answer", "Comment"]).unwrap();
    for q in &internal {
        w.write_record([q.as_str(), "", ""]).unwrap();
    }
    w.flush().unwrap();
    let json = tmp.path().join("r.json");
    let o = util::vouch()
        .current_dir(util::repo_root())
        .arg("answer")
        .arg(&input)
        .arg("-o")
        .arg(tmp.path().join("out.csv"))
        .arg("--json")
        .arg(&json)
        .arg("--fill-review")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", util::stderr(&o));
    let text = std::fs::read_to_string(&json).unwrap()
        + &std::fs::read_to_string(tmp.path().join("out.csv")).unwrap();
    assert!(
        !text.contains("HR-008") && !text.contains("ENC-011"),
        "{text}"
    );
    assert!(!text.contains("Internal only"), "{text}");
}
