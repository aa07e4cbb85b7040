//! The answer-library loader on a fuzzed `library.csv` or `library.toml`
//! (the first byte picks which, see `parts::library_file`): findings or an
//! error naming the file, never a panic. A library that loads is then used
//! by the matcher as `vouch answer` uses it (drafts left out).
#![no_main]

use libfuzzer_sys::fuzz_target;
use vouch::matcher::{MatchConfig, Matcher};
use vouch_fuzz::{parts, write_scratch};

fuzz_target!(|data: &[u8]| {
    let Some((name, bytes)) = parts::library_file(data) else {
        return;
    };
    let path = write_scratch(&name, &bytes);
    let (lib, findings) = match vouch::library::load(&path) {
        Ok(loaded) => loaded,
        Err(e) => {
            let msg = format!("{e:#}");
            assert!(msg.contains(&name), "error without the file name: {msg}");
            return;
        }
    };
    for f in &findings {
        assert!(f.file.contains(&name), "finding without the file: {f}");
    }
    let lib = lib.without_drafts();
    let thesaurus = vouch_fuzz::builtin_thesaurus();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
    let matcher = Matcher::new(&lib, thesaurus, MatchConfig::new(today));
    for entry in lib.entries.iter().take(3) {
        let m = matcher.answer(&entry.question);
        assert!((0.0..=1.0).contains(&m.confidence), "{m:?}");
    }
    let _ = matcher.search("Is customer data encrypted at rest?", 5);
});
