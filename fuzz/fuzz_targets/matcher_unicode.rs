//! The matcher's analysis of arbitrary Unicode (normalisation, stemming,
//! polarity, option hints, identifiers), through the public API on a small
//! library: `search` and `answer` must not panic, and scores must be
//! finite, confidences in [0, 1], internal entries never chosen.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vouch::library::Visibility;
use vouch::matcher::{MatchConfig, Matcher};
use vouch_fuzz::small_library;

fuzz_target!(|data: &[u8]| {
    let question = String::from_utf8_lossy(data);
    let (lib, thesaurus) = small_library();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
    let matcher = Matcher::new(lib, thesaurus, MatchConfig::new(today));
    for c in matcher.search(&question, 5) {
        assert!(c.score.is_finite() && c.bm25.is_finite(), "{c:?}");
        assert!((0.0..=1.0).contains(&c.confidence), "{c:?}");
        assert_ne!(lib.entries[c.entry].visibility, Visibility::Internal);
    }
    let m = matcher.answer(&question);
    assert!((0.0..=1.0).contains(&m.confidence), "{m:?}");
    if let Some(e) = m.entry {
        assert_ne!(lib.entries[e].visibility, Visibility::Internal);
    }
});
