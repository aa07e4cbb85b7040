//! Matcher behaviour on a small library: thesaurus, polarity, abstention,
//! stale and internal entries, and `vouch search`.
mod util;

use chrono::NaiveDate;
use vouch::library::{Entry, Library, Visibility};
use vouch::matcher::{MatchConfig, Matcher, Thesaurus, Tier};

/// An entry without an explanation.
fn entry(id: &str, question: &str, answer: &str) -> Entry {
    util::entry(id, question, answer, "")
}

fn library() -> Library {
    Library {
        entries: vec![
            entry(
                "IAM-003",
                "Is MFA enforced for all workforce access to production systems?",
                "Yes",
            ),
            entry("ENC-001", "Is customer data encrypted at rest?", "Yes"),
            entry(
                "CMP-001",
                "Do you have a current SOC 2 Type II report?",
                "Yes",
            ),
            entry(
                "BCP-002",
                "Have recovery time (RTO) and recovery point (RPO) objectives been defined?",
                "Yes",
            ),
            entry(
                "SDL-002",
                "Is all code peer reviewed before it is merged into the main branch?",
                "Yes",
            ),
            entry(
                "IAM-010",
                "Are shared or generic accounts permitted for production access?",
                "No",
            ),
            entry(
                "NET-002",
                "Is a web application firewall deployed in front of the application?",
                "Yes",
            ),
            entry(
                "HR-003",
                "Do all personnel complete security awareness training annually?",
                "Yes",
            ),
        ],
    }
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 6, 1).unwrap()
}

fn id_of(lib: &Library, m: &vouch::matcher::Match) -> Option<String> {
    m.entry.map(|i| lib.entries[i].id.clone())
}

#[test]
fn password_only_login_flips_the_mfa_answer() {
    let lib = library();
    let th = Thesaurus::builtin();
    let m = Matcher::new(&lib, &th, MatchConfig::new(today()));
    let r = m.answer("Can staff log in with just a password?");
    assert_eq!(id_of(&lib, &r).as_deref(), Some("IAM-003"));
    assert_eq!(r.answer.as_deref(), Some("No"));
    assert!(r.flipped);
    assert_eq!(r.tier, Tier::Review, "a flipped answer is never auto");
}

#[test]
fn acronyms_and_jargon_reach_the_spelled_out_entry() {
    let lib = library();
    let th = Thesaurus::builtin();
    let m = Matcher::new(&lib, &th, MatchConfig::new(today()));
    for (q, want) in [
        ("Is 2FA required for your engineers?", "IAM-003"),
        (
            "Is the four-eyes principle applied to code changes?",
            "SDL-002",
        ),
        ("What are your RTO/RPO values?", "BCP-002"),
        ("Is there a WAF?", "NET-002"),
        ("Are stored data sets scrambled with AES-256?", "ENC-001"),
    ] {
        let top = m.search(q, 1);
        assert_eq!(lib.entries[top[0].entry].id, want, "{q}");
        assert!(!top[0].matched.is_empty());
    }
}

#[test]
fn house_styles_do_not_change_the_answer() {
    let lib = library();
    let th = Thesaurus::builtin();
    let m = Matcher::new(&lib, &th, MatchConfig::new(today()));
    let plain = m.answer("Is customer data encrypted at rest?");
    assert_eq!(id_of(&lib, &plain).as_deref(), Some("ENC-001"));
    for q in [
        // Answer-option hints carry a "No" that is no negation.
        "Is customer data encrypted at rest? (Yes/No/N/A)",
        "4.2.1 Confirm customer data is encrypted at rest (Yes/No)",
        "Customer data is encrypted at rest [Y | N]",
        // Follow-up instructions that depend on the answer.
        "Is customer data encrypted at rest? If no, please explain why not.",
        // The respondent named in the third person is not a vendor question.
        "Is the Supplier's customer data encrypted at rest by the Supplier?",
        "Confirm the Supplier encrypts all customer data at rest.",
        // All capitals are not acronyms.
        "IS CUSTOMER DATA ENCRYPTED AT REST?",
    ] {
        let r = m.answer(q);
        assert_eq!(id_of(&lib, &r).as_deref(), Some("ENC-001"), "{q}");
        assert_eq!(r.answer.as_deref(), Some("Yes"), "{q}");
        assert!(!r.flipped, "{q}");
        assert_eq!(r.tier, Tier::Auto, "{q}: {r:?}");
    }
}

#[test]
fn non_ascii_questions_with_option_hints_are_answered() {
    let lib = library();
    let th = Thesaurus::builtin();
    let m = Matcher::new(&lib, &th, MatchConfig::new(today()));
    let r = m.answer("Is customer data encrypted at rest – für alle Kunden? (Yes/No)");
    assert_eq!(id_of(&lib, &r).as_deref(), Some("ENC-001"));
    assert_eq!(r.answer.as_deref(), Some("Yes"));
    // Nothing to match, but no panic on multi-byte text next to a hint.
    let r = m.answer("Les données sont-elles chiffrées ? (Oui/Non)");
    assert_ne!(r.tier, Tier::Auto);
}

#[test]
fn plain_negations_flip_and_plain_questions_do_not() {
    let lib = library();
    let th = Thesaurus::builtin();
    let m = Matcher::new(&lib, &th, MatchConfig::new(today()));
    let r = m.answer("Is any customer data stored unencrypted?");
    assert_eq!(r.answer.as_deref(), Some("No"));
    let r = m.answer("Can code be merged to the main branch without a second person approving it?");
    assert_eq!(r.answer.as_deref(), Some("No"));
    let r = m.answer("Does every engineer have their own unique named account for production?");
    assert_eq!(
        r.answer.as_deref(),
        Some("Yes"),
        "unique vs shared accounts flips No"
    );
    let r = m.answer("Is customer data encrypted at rest?");
    assert_eq!(r.answer.as_deref(), Some("Yes"));
    assert!(!r.flipped);
    assert_eq!(r.tier, Tier::Auto);
}

#[test]
fn distractors_and_unrelated_questions_abstain() {
    let lib = library();
    let th = Thesaurus::builtin();
    let m = Matcher::new(&lib, &th, MatchConfig::new(today()));
    for q in [
        "What was your revenue in the last fiscal year?",
        "Is the user interface available in French?",
        "Do you hold CMMC Level 2 certification?",
    ] {
        let r = m.answer(q);
        assert_eq!(r.tier, Tier::None, "{q}: {:?}", r);
        assert!(r.answer.is_none());
    }
    let soc1 = m.answer("Do you have a SOC 1 Type II report?");
    let soc2 = m.answer("Do you have a SOC 2 Type II report?");
    assert!(
        soc1.confidence < soc2.confidence,
        "{} vs {}",
        soc1.confidence,
        soc2.confidence
    );
}

#[test]
fn stale_entries_are_never_auto_and_internal_ones_never_used() {
    let mut lib = library();
    lib.entries[1].reviewed = NaiveDate::from_ymd_opt(2020, 1, 1);
    lib.entries[0].visibility = Visibility::Internal;
    let th = Thesaurus::builtin();
    let m = Matcher::new(&lib, &th, MatchConfig::new(today()));
    let r = m.answer("Is customer data encrypted at rest?");
    assert_eq!(id_of(&lib, &r).as_deref(), Some("ENC-001"));
    assert_eq!(r.tier, Tier::Review);
    assert!(r.reasons.iter().any(|x| x.contains("stale")));
    let r = m.answer("Is MFA enforced for all workforce access to production systems?");
    assert_ne!(id_of(&lib, &r).as_deref(), Some("IAM-003"));

    let mut cfg = MatchConfig::new(today());
    cfg.allow_stale = true;
    cfg.include_internal = true;
    let m = Matcher::new(&lib, &th, cfg);
    assert_eq!(
        m.answer("Is customer data encrypted at rest?").tier,
        Tier::Auto
    );
    let r = m.answer("Is MFA enforced for all workforce access to production systems?");
    assert_eq!(id_of(&lib, &r).as_deref(), Some("IAM-003"));
}

#[test]
fn user_thesaurus_extends_the_builtin() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("thesaurus.toml");
    std::fs::write(&path, "[concepts]\nmfa = [\"frobnicator token\"]\n").unwrap();
    let th = Thesaurus::with_user_file(&path).unwrap();
    let lib = library();
    let m = Matcher::new(&lib, &th, MatchConfig::new(today()));
    let top = m.search("Do you require a frobnicator token?", 1);
    assert_eq!(lib.entries[top[0].entry].id, "IAM-003");
    std::fs::write(&path, "[concepts\n").unwrap();
    let err = Thesaurus::with_user_file(&path).unwrap_err().to_string();
    assert!(err.contains("thesaurus.toml:1"), "{err}");
}

#[test]
fn search_command_prints_candidates_as_json() {
    let dev = util::shared().join("eval/dev/library.csv");
    let out = util::run_in(
        &util::repo_root(),
        &[
            "search",
            "Is RBAC available in the app?",
            "--library",
            dev.to_str().unwrap(),
            "-k",
            "3",
            "--json",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", util::stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["rows"].as_array().unwrap().len(), 3);
    assert_eq!(v["rows"][0]["id"], "IAM-005");
    assert!(v["rows"][0]["matched"]
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m == "#rbac"));
    let out = util::run_in(
        &util::repo_root(),
        &["search", "x", "--library", "/nonexistent.csv"],
    );
    assert_eq!(out.status.code(), Some(2));
}

/// Negations beyond "not": verbs of omission ("lack", "skip", "bypass",
/// "fail to"), a question looking for exceptions ("are there any ... that
/// are not"), "without" before a gerund, privative words ("untested")
/// against their base, opposite states ("disabled" / "enabled"),
/// reversible passwords against hashed ones, and steps put the other way
/// round ("onboarded before assessed").
/// Each flips the entry's answer and is never filled automatically; the
/// plain question, and a privative naming a handled threat, do not flip.
#[test]
fn negations_beyond_not_flip_the_answer() {
    let lib = Library {
        entries: vec![
            entry(
                "IR-001",
                "Do you have a documented incident response plan?",
                "Yes",
            ),
            entry(
                "HR-001",
                "Do you perform background checks on contractors?",
                "Yes",
            ),
            entry("IAM-001", "Is MFA required for all employees?", "Yes"),
            entry(
                "CHG-005",
                "Are changes tested before deployment to production?",
                "Yes",
            ),
            entry(
                "BCP-005",
                "Are backup restores tested every quarter?",
                "Yes",
            ),
            entry(
                "END-002",
                "Is disk encryption enabled on every laptop?",
                "Yes",
            ),
            entry(
                "END-005",
                "Is unapproved software blocked on company laptops?",
                "Yes",
            ),
            entry(
                "IR-003",
                "Will you notify customers of a breach affecting their data?",
                "Yes",
            ),
            entry(
                "ENC-010",
                "Are passwords hashed with a salted algorithm such as bcrypt?",
                "Yes",
            ),
            entry(
                "VND-001",
                "Do you assess the security of vendors before onboarding them?",
                "Yes",
            ),
        ],
    };
    let th = Thesaurus::builtin();
    let m = Matcher::new(&lib, &th, MatchConfig::new(today()));
    for (q, id) in [
        ("Do you lack a documented incident response plan?", "IR-001"),
        ("Do you skip background checks for contractors?", "HR-001"),
        (
            "Are there any employees who are not required to use MFA?",
            "IAM-001",
        ),
        (
            "Can changes be deployed to production without testing?",
            "CHG-005",
        ),
        ("Are backup restores left untested for months?", "BCP-005"),
        ("Is disk encryption disabled on some laptops?", "END-002"),
        (
            "Do you ever fail to notify customers of a breach affecting their data?",
            "IR-003",
        ),
        (
            "Are user passwords stored in a reversible format?",
            "ENC-010",
        ),
        (
            "Are vendors onboarded before their security is assessed?",
            "VND-001",
        ),
        (
            "Is vendor security assessed after vendors are onboarded?",
            "VND-001",
        ),
    ] {
        let r = m.answer(q);
        assert_eq!(id_of(&lib, &r).as_deref(), Some(id), "{q}");
        assert!(r.flipped, "{q}: {:?}", r.reasons);
        assert_eq!(r.answer.as_deref(), Some("No"), "{q}");
        assert_ne!(r.tier, Tier::Auto, "{q}");
    }
    for (q, id) in [
        (
            "Do you maintain a written incident response plan?",
            "IR-001",
        ),
        (
            "Are changes tested before they are deployed to production?",
            "CHG-005",
        ),
        ("Do you block unapproved software on laptops?", "END-005"),
        ("Is disk encryption enabled on all laptops?", "END-002"),
        (
            "Are user passwords stored in a non-reversible format?",
            "ENC-010",
        ),
        (
            "Is vendor security assessed prior to onboarding?",
            "VND-001",
        ),
        (
            "Are vendors onboarded after their security is assessed?",
            "VND-001",
        ),
    ] {
        let r = m.answer(q);
        assert_eq!(id_of(&lib, &r).as_deref(), Some(id), "{q}");
        assert!(!r.flipped, "{q}: {:?}", r.reasons);
    }
}

/// A question naming the contrary side of an opposite pair ("voluntary",
/// "disabled", "ad hoc") against an entry naming neither side cannot be
/// flipped or trusted: it is held from auto with the reason named. Asking
/// what can be done ("Can ... be disabled?") is no contrary.
#[test]
fn a_contrary_the_entry_does_not_address_is_never_auto() {
    let lib = Library {
        entries: vec![
            entry(
                "HR-004",
                "Do you run phishing simulation exercises for staff?",
                "Yes",
            ),
            entry(
                "AVL-002",
                "Do you publish a status page with current service health?",
                "Yes",
            ),
            entry("AI-003", "Can customers turn AI features off?", "Yes"),
        ],
    };
    let th = Thesaurus::builtin();
    let m = Matcher::new(&lib, &th, MatchConfig::new(today()));
    let contrary = |r: &vouch::matcher::Match| {
        r.reasons
            .iter()
            .any(|w| w.contains("neither states nor denies"))
    };
    for q in [
        "Is phishing simulation for staff voluntary?",
        "Do you run phishing simulation exercises for staff only occasionally?",
        "Is the status page disabled?",
    ] {
        let r = m.answer(q);
        assert!(r.entry.is_some(), "{q}");
        assert!(contrary(&r), "{q}: {:?}", r.reasons);
        assert_ne!(r.tier, Tier::Auto, "{q}");
    }
    for q in [
        "Do you run phishing simulations for your staff?",
        "Can AI features be disabled by customers?",
    ] {
        let r = m.answer(q);
        assert!(!contrary(&r), "{q}: {:?}", r.reasons);
    }
}

/// A second indirect question joined to the first ("..., and whether that
/// rule can be bypassed") negates that ask, not the question: the answer to
/// the first is not flipped, and the row is held so that each part is
/// answered.
#[test]
fn a_negated_second_ask_does_not_flip_the_first() {
    let lib = library();
    let th = Thesaurus::builtin();
    let m = Matcher::new(&lib, &th, MatchConfig::new(today()));
    let q = "We want to know whether all code is peer reviewed before it is merged into the main \
             branch, and whether that rule can be bypassed.";
    let r = m.answer(q);
    assert_eq!(id_of(&lib, &r).as_deref(), Some("SDL-002"));
    assert!(!r.flipped, "{:?}", r.reasons);
    assert_eq!(r.answer.as_deref(), Some("Yes"));
    assert_ne!(r.tier, Tier::Auto);
    assert!(
        r.reasons.iter().any(|w| w.contains("second, negated")),
        "{:?}",
        r.reasons
    );
}
