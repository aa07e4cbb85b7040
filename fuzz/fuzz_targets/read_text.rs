//! The questionnaire readers on raw bytes: CSV (any delimiter, encoding),
//! VSAQ JSON, legacy XLS, and sniffing. The first byte picks the file's
//! extension (see `parts::text_file`). Reading must end in a questionnaire
//! or an error naming the file, never a panic, hang or blow-up.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vouch::questionnaire::{read, ReadOptions};
use vouch_fuzz::{parts, write_scratch};

fuzz_target!(|data: &[u8]| {
    let Some((name, bytes)) = parts::text_file(data) else {
        return;
    };
    let path = write_scratch(&name, &bytes);
    match read(&path, &ReadOptions::default()) {
        Ok(q) => {
            for question in &q.questions {
                assert!(
                    !question.text.trim().is_empty(),
                    "empty question {question:?}"
                );
            }
        }
        Err(e) => {
            let msg = format!("{e:#}");
            assert!(msg.contains(&name), "error without the file name: {msg}");
        }
    }
});
