//! What keeps a match out of the auto tier, the shape of the answer, and
//! polarity: gates (key ask both ways, named frameworks, contradictions,
//! hubs), yes/no vs open questions, conditions and scopes that are not
//! negations, and huge question cells.
mod util;

use chrono::NaiveDate;
use util::entry;
use vouch::library::Library;
use vouch::matcher::{Match, MatchConfig, Matcher, QuestionType, Thesaurus, Tier};

fn library() -> Library {
    Library {
        entries: vec![
            entry(
                "BCP-002",
                "Have recovery time (RTO) and recovery point (RPO) objectives been defined?",
                "Yes",
                "RTO is 4 hours and RPO is 15 minutes for the production service.",
            ),
            entry(
                "IAM-004",
                "Is access removed within 24 hours when an employee leaves?",
                "Yes",
                "HR offboarding disables the identity account the same day.",
            ),
            entry(
                "IAM-006",
                "Are user access rights reviewed at least quarterly?",
                "Yes",
                "",
            ),
            entry(
                "ENC-010",
                "Are passwords hashed with a salted algorithm?",
                "Yes",
                "bcrypt with a per-user salt.",
            ),
            entry(
                "IAM-010",
                "Can customers enforce MFA for their users?",
                "Yes",
                "Tenant administrators can require MFA for every user.",
            ),
            entry(
                "AST-004",
                "Are hard drives securely wiped before disposal?",
                "Yes",
                "Drives are wiped to NIST 800-88 or shredded.",
            ),
            entry(
                "CMP-001",
                "Do you have a current SOC 2 Type II report?",
                "Yes",
                "The report covers security and availability.",
            ),
            entry(
                "CMP-002",
                "Are you certified to ISO 27001?",
                "Yes",
                "Certified since 2021.",
            ),
            entry(
                "GOV-002",
                "Are information security policies reviewed and approved at least annually?",
                "Yes",
                "Every policy has an owner and is reviewed once a year.",
            ),
            entry(
                "PRV-003",
                "Do you sell personal information as defined by the CCPA?",
                "No",
                "",
            ),
        ],
    }
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 6, 1).unwrap()
}

fn id_of(lib: &Library, m: &Match) -> Option<String> {
    m.entry.or(m.closest).map(|i| lib.entries[i].id.clone())
}

#[test]
fn open_questions_get_the_explanation_never_a_bare_yes() {
    let lib = library();
    let th = Thesaurus::builtin();
    let m = Matcher::new(&lib, &th, MatchConfig::new(today()));
    for (q, id) in [
        ("What are your RTO and RPO?", "BCP-002"),
        (
            "When someone leaves, how quickly are accounts deprovisioned?",
            "IAM-004",
        ),
    ] {
        let r = m.answer(q);
        assert_eq!(r.question_type, QuestionType::Open, "{q}");
        assert_eq!(id_of(&lib, &r).as_deref(), Some(id), "{q}: {r:?}");
        let answer = r.answer.clone().unwrap_or_default();
        assert!(
            !answer.eq_ignore_ascii_case("yes") && !answer.eq_ignore_ascii_case("no"),
            "{q}: {r:?}"
        );
        let comment = lib.entries[lib.position(id).unwrap()].comment.clone();
        if r.tier != Tier::None {
            assert_eq!(answer, comment, "{q}");
            // The Yes/No a dropdown would hold is still known.
            assert_eq!(r.verdict.as_deref(), Some("Yes"));
        }
    }
    // No explanation to give: never auto, and no bare Yes either.
    let r = m.answer("How often do you recertify user access rights?");
    assert_eq!(r.question_type, QuestionType::Open);
    assert_ne!(r.tier, Tier::Auto, "{r:?}");
    assert_ne!(r.answer.as_deref(), Some("Yes"));
    assert!(r.reasons.iter().any(|x| x.contains("explanation")), "{r:?}");
    // A yes/no question keeps the short answer.
    let r = m.answer("Have RTO and RPO objectives been defined?");
    assert_eq!(r.question_type, QuestionType::YesNo);
    assert_eq!(r.answer.as_deref(), Some("Yes"));
}

#[test]
fn a_question_pointing_back_at_an_earlier_row_is_never_auto() {
    let lib = library();
    let th = Thesaurus::builtin();
    let m = Matcher::new(&lib, &th, MatchConfig::new(today()));
    // The same ask with its own subject is answered automatically ...
    let r = m.answer("Are passwords hashed with a salted algorithm?");
    assert_eq!(id_of(&lib, &r).as_deref(), Some("ENC-010"), "{r:?}");
    assert_eq!(r.tier, Tier::Auto, "{r:?}");
    // ... but "they" depends on the rows before it.
    let r = m.answer("Are they hashed with a salted algorithm?");
    assert_eq!(id_of(&lib, &r).as_deref(), Some("ENC-010"), "{r:?}");
    assert_ne!(r.tier, Tier::Auto, "{r:?}");
    assert!(r.reasons.iter().any(|x| x.contains("refers back")), "{r:?}");
}

#[test]
fn plaintext_passwords_are_never_a_confident_yes() {
    let lib = library();
    let th = Thesaurus::builtin();
    let m = Matcher::new(&lib, &th, MatchConfig::new(today()));
    let r = m.answer("Are you storing any passwords in plaintext?");
    assert_eq!(id_of(&lib, &r).as_deref(), Some("ENC-010"), "{r:?}");
    assert!(
        r.tier != Tier::Auto && r.answer.as_deref() != Some("Yes"),
        "{r:?}"
    );
    if r.tier == Tier::Review {
        assert_eq!(r.answer.as_deref(), Some("No"));
        assert!(r.flipped);
    }
}

#[test]
fn conditions_and_scopes_are_not_negations() {
    let lib = library();
    let th = Thesaurus::builtin();
    let m = Matcher::new(&lib, &th, MatchConfig::new(today()));
    for (q, id) in [
        ("For customers not using SSO, can MFA be enforced?", "IAM-010"),
        ("Can customers not using SSO enforce MFA for their users?", "IAM-010"),
        (
            "If hard drives are not physically destroyed, are they securely wiped before disposal?",
            "AST-004",
        ),
        (
            "Are all storage media, including but not limited to hard drives, securely wiped before disposal?",
            "AST-004",
        ),
        (
            "Are hard drives wiped before disposal so that data is not recoverable?",
            "AST-004",
        ),
        (
            "Are security policies reviewed at least annually, whether or not they changed?",
            "GOV-002",
        ),
        // Brackets explain; bounds are limits: neither negates the question.
        (
            "Are hard drives securely wiped before disposal (i.e. not merely deleted)?",
            "AST-004",
        ),
        (
            "Are user access rights reviewed at intervals no greater than 90 days?",
            "IAM-006",
        ),
    ] {
        let r = m.answer(q);
        assert_eq!(id_of(&lib, &r).as_deref(), Some(id), "{q}: {r:?}");
        assert!(!r.flipped, "{q}: {r:?}");
        assert!(
            !r.reasons.iter().any(|x| x.contains("opposite")),
            "{q}: {r:?}"
        );
    }
    // Real negations still flip.
    let r = m.answer("Are hard drives disposed of without being wiped?");
    assert_eq!(id_of(&lib, &r).as_deref(), Some("AST-004"), "{r:?}");
    assert!(r.reasons.iter().any(|x| x.contains("opposite")), "{r:?}");
}

#[test]
fn a_different_framework_is_never_answered_automatically() {
    let lib = library();
    let th = Thesaurus::builtin();
    let m = Matcher::new(&lib, &th, MatchConfig::new(today()));
    for (q, asked) in [
        ("Do you have a current SOC 1 Type II report?", "SOC 1"),
        ("Are you HITRUST certified?", "HITRUST"),
        ("Are you certified to ISO 27017?", "ISO/IEC 27017"),
        ("Do you hold a current ISO 9001 certificate?", "ISO 9001"),
        ("Are you FedRAMP authorized?", "FedRAMP"),
    ] {
        let r = m.answer(q);
        assert_ne!(r.tier, Tier::Auto, "{q}: {r:?}");
        assert!(
            r.tier == Tier::None || r.reasons.iter().any(|x| x.contains(asked)),
            "{q}: {r:?}"
        );
    }
    // Two names of one family do not conflict.
    let r = m.answer("Do you sell personal information as defined by the CPRA?");
    assert_eq!(id_of(&lib, &r).as_deref(), Some("PRV-003"));
    assert!(
        !r.reasons.iter().any(|x| x.contains("names")),
        "{:?}",
        r.reasons
    );
}

#[test]
fn the_key_ask_must_be_covered_both_ways() {
    let lib = library();
    let th = Thesaurus::builtin();
    let m = Matcher::new(&lib, &th, MatchConfig::new(today()));
    let r =
        m.answer("Are firewall rule sets and network configurations reviewed at least annually?");
    assert_ne!(r.tier, Tier::Auto, "{r:?}");
    // Either direction may be the one that names the gap first.
    assert!(
        r.tier == Tier::None || r.reasons.iter().any(|x| x.contains("not in the")),
        "{r:?}"
    );
    // The same question as the entry passes the gates.
    let r = m.answer("Are information security policies reviewed and approved at least annually?");
    assert!(!r.held_back, "{r:?}");
    assert_eq!(r.tier, Tier::Auto, "{r:?}");
}

#[test]
fn a_question_largely_in_words_no_entry_uses_is_never_auto() {
    let lib = library();
    let th = Thesaurus::builtin();
    let m = Matcher::new(&lib, &th, MatchConfig::new(today()));
    let r = m.answer("Are hard drives securely wiped before disposal?");
    assert_eq!(r.tier, Tier::Auto, "{r:?}");
    // The whole entry is in the question, but so is a party the library
    // never mentions: what it asks about that party is not in the entry.
    let r = m.answer(
        "Are hard drives securely wiped before disposal by the consultant's offshore subcontractors?",
    );
    assert_eq!(id_of(&lib, &r).as_deref(), Some("AST-004"), "{r:?}");
    assert_ne!(r.tier, Tier::Auto, "{r:?}");
    assert!(
        r.reasons
            .iter()
            .any(|x| x.contains("words the library never uses")),
        "{r:?}"
    );
}

#[test]
fn contradicting_entries_are_named_and_never_auto() {
    let mut lib = library();
    lib.entries.push(entry(
        "ENC-099",
        "Are passwords hashed with a salted algorithm?",
        "No",
        "Legacy accounts.",
    ));
    let th = Thesaurus::builtin();
    let m = Matcher::new(&lib, &th, MatchConfig::new(today()));
    let r = m.answer("Are passwords hashed with a salted algorithm?");
    assert_ne!(r.tier, Tier::Auto, "{r:?}");
    let why = r
        .reasons
        .iter()
        .find(|x| x.contains("oppositely"))
        .unwrap_or_else(|| panic!("{r:?}"));
    assert!(why.contains("ENC-010") && why.contains("ENC-099"), "{why}");
}

#[test]
fn an_entry_matching_many_unrelated_questions_is_a_hub() {
    let lib = library();
    let th = Thesaurus::builtin();
    let m = Matcher::new(&lib, &th, MatchConfig::new(today()));
    let questions = [
        "Are information security policies reviewed at least annually?",
        "Are firewall configurations reviewed and approved at least annually?",
        "Are supplier contracts reviewed and approved at least annually?",
        "Is the data flow diagram reviewed and approved at least annually?",
        "Are insurance limits reviewed and approved at least annually?",
    ];
    let all = m.answer_all(&questions);
    assert_eq!(all.len(), questions.len());
    let gov = lib.position("GOV-002").unwrap();
    let hubbed: Vec<&Match> = all
        .iter()
        .filter(|r| r.reasons.iter().any(|x| x.contains("hub")))
        .collect();
    assert!(hubbed.len() >= 3, "{all:#?}");
    assert!(hubbed
        .iter()
        .all(|r| r.entry == Some(gov) && r.tier != Tier::Auto));
    // The question the entry covers fully is not held back as a hub.
    assert!(
        !all[0].reasons.iter().any(|x| x.contains("hub")),
        "{:?}",
        all[0]
    );
    // One question on its own is no hub.
    let one = m.answer(questions[1]);
    assert!(!one.reasons.iter().any(|x| x.contains("hub")));
}

#[test]
fn a_huge_question_is_read_within_a_bounded_prefix_and_suffix() {
    use vouch::matcher::analyze::{analysed_text, MAX_ANALYSED_BYTES};
    let filler = "Background about our environment, which is long. ".repeat(220_000);
    let big = format!("Is customer data encrypted at rest? {filler}Thank you.");
    assert!(big.len() > 10_000_000);
    let part = analysed_text(&big);
    assert!(part.len() <= MAX_ANALYSED_BYTES, "{}", part.len());
    assert!(part.starts_with("Is customer data encrypted at rest?"));
    assert!(part.ends_with("Thank you."));
    // Multi-byte characters at the cut points are never split.
    let wide = "é".repeat(3 * MAX_ANALYSED_BYTES);
    assert!(analysed_text(&wide).len() <= MAX_ANALYSED_BYTES);
    let th = Thesaurus::builtin();
    let an = vouch::matcher::Analyzer::new(&th);
    let a = an.question(&big);
    assert!(a.stem_text.len() <= MAX_ANALYSED_BYTES);
}

#[test]
fn a_ten_megabyte_question_cell_is_answered_and_reported_in_full() {
    let tmp = tempfile::tempdir().unwrap();
    let question = format!(
        "Is customer data encrypted at rest? {}",
        "Background about our environment, which is long. ".repeat(210_000)
    );
    assert!(question.len() > 10_000_000);
    let csv = tmp.path().join("big.csv");
    std::fs::write(&csv, format!("Question,Answer\n\"{question}\",\n")).unwrap();
    // The reader's cell cap (100,000 characters) is raised: this test is
    // about the matcher staying linear in question length.
    let rows = answer_rows(&csv, &["--max-cell-chars", "20000000"]);
    assert_eq!(rows.len(), 1);
    assert_eq!(
        rows[0]["question"].as_str().unwrap().trim().len(),
        question.trim().len(),
        "the report keeps the full question"
    );
    let notes = rows[0]["notes"].to_string();
    assert!(notes.contains("bytes long"), "{notes}");
}

#[test]
fn the_demo_library_does_not_auto_answer_revenue() {
    let tmp = tempfile::tempdir().unwrap();
    let csv = tmp.path().join("q.csv");
    std::fs::write(
        &csv,
        "Question,Answer\nWhat was your annual revenue last year?,\nDo you use a web application firewall?,\n",
    )
    .unwrap();
    let rows = answer_rows(&csv, &[]);
    let revenue = rows
        .iter()
        .find(|r| r["question"].as_str().unwrap().contains("revenue"))
        .unwrap();
    assert_ne!(revenue["tier"], "auto", "{revenue}");
    let waf = rows
        .iter()
        .find(|r| r["question"].as_str().unwrap().contains("firewall"))
        .unwrap();
    assert_eq!(waf["tier"], "auto", "{waf}");
}

/// Runs `vouch answer CSV` (demo library) with `extra` flags and returns the
/// JSON report's rows.
fn answer_rows(csv: &std::path::Path, extra: &[&str]) -> Vec<serde_json::Value> {
    let dir = csv.parent().unwrap();
    let json = dir.join("report.json");
    let out_csv = dir.join("out.csv");
    let mut args = vec![
        "answer",
        csv.to_str().unwrap(),
        "-o",
        out_csv.to_str().unwrap(),
        "--json",
        json.to_str().unwrap(),
        "-q",
    ];
    args.extend_from_slice(extra);
    let out = util::run_in(&util::repo_root(), &args);
    assert_eq!(out.status.code(), Some(0), "{}", util::stderr(&out));
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    report["rows"].as_array().expect("a rows array").clone()
}
