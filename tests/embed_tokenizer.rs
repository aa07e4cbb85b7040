//! The hand-rolled WordPiece tokeniser of the static table
//! (`src/embed/wordpiece.rs`) must give exactly the ids that the
//! `tokenizers` crate gives from all-MiniLM-L6-v2's `tokenizer.json`, on
//! thousands of real strings (every line of the repo's docs, answer library
//! and the dev set, the openly licensed questionnaires) and on awkward
//! Unicode.

mod util;

use std::path::Path;

use vouch::embed::wordpiece::WordPiece;
use vouch::embed::StaticEmbedder;

fn reference() -> tokenizers::Tokenizer {
    let path = util::repo_root().join("assets/embed/tokenizer.json");
    let mut tok =
        tokenizers::Tokenizer::from_file(&path).expect("assets/embed/tokenizer.json loads");
    tok.with_padding(None);
    tok.with_truncation(None).unwrap();
    tok
}

/// Every non-empty line of the text files under `dir` with one of `exts`.
fn lines_under(dir: &Path, exts: &[&str], out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            lines_under(&path, exts, out);
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| exts.contains(&e))
        {
            if let Ok(text) = std::fs::read_to_string(&path) {
                out.extend(
                    text.lines()
                        .filter(|l| !l.trim().is_empty())
                        .map(str::to_string),
                );
            }
        }
    }
}

fn real_strings() -> Vec<String> {
    let root = util::repo_root();
    let mut out = Vec::new();
    lines_under(&util::shared(), &["csv", "json", "md"], &mut out);
    lines_under(&root.join("docs"), &["md"], &mut out);
    lines_under(&root.join("answers"), &["toml"], &mut out);
    lines_under(&root.join("data"), &["toml", "csv", "md"], &mut out);
    out
}

fn awkward_strings() -> Vec<String> {
    [
        "Café RÉSUMÉ naïve façade Ångström Œuvre ß straße",
        "“Smart quotes” — em dash – en dash … ellipsis • bullet ‘single’",
        "ISO/IEC 27001:2022 §4.2 (a)–(c) 99.9% SLA; $1,000,000 USD €5 £3 ¥7",
        "数据加密 データ暗号化 데이터 암호화 шифрование данных التشفير",
        "emoji 🔒🔑 and ZWJ 👩‍💻 zero\u{200B}width soft\u{00AD}hyphen",
        "tabs\tand\nnew\r\nlines\u{000B}vt\u{000C}ff\u{0085}nel\u{00A0}nbsp\u{3000}ideo",
        "control\u{0007}bell\u{001F}unit\u{007F}del and nul\u{0000}inside",
        "™ ® © ° ± × ÷ µ ¶ · ¿ ¡ « » ‹ › † ‡ ‰ ′ ″",
        "supercalifragilisticexpialidocious-antidisestablishmentarianism_x2",
        "ﬁ ligature ﬂ, full-width ＡＢＣ１２３！, ⅷ roman, ² superscript, ½",
        "İstanbul DİKKAT ǅ titlecase Σίσυφος ΌΣΟΣ",
        "a-very-long-token-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "éaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "",
        "   ",
        "MFA/2FA, SSO (SAML 2.0), RBAC & PAM; AES-256-GCM @ rest + TLS1.3 in-transit?",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

#[test]
fn hand_rolled_wordpiece_matches_the_tokenizers_crate() {
    let reference = reference();
    let json =
        std::fs::read_to_string(util::repo_root().join("assets/embed/tokenizer.json")).unwrap();
    let from_json = WordPiece::from_tokenizer_json(&json).unwrap();
    let embedded = StaticEmbedder::get().tokenizer();
    // Every other line keeps the debug-profile test quick (all ~9,500 lines
    // matched when this was written).
    let strings: Vec<String> = real_strings()
        .into_iter()
        .step_by(2)
        .chain(awkward_strings())
        .collect();
    assert!(
        strings.len() >= 2_000,
        "only {} strings to compare",
        strings.len()
    );
    let mut mismatches = Vec::new();
    for s in &strings {
        let want = reference
            .encode(s.as_str(), false)
            .unwrap()
            .get_ids()
            .to_vec();
        let got = from_json.encode(s);
        assert_eq!(
            got,
            embedded.encode(s),
            "the table's vocabulary differs from tokenizer.json"
        );
        if got != want {
            mismatches.push(format!(
                "{s:?}\n  tokenizers: {want:?}\n  vouch:      {got:?}"
            ));
        }
    }
    assert!(
        mismatches.is_empty(),
        "{} of {} strings tokenise differently, e.g.:\n{}",
        mismatches.len(),
        strings.len(),
        mismatches[..mismatches.len().min(5)].join("\n")
    );
}
