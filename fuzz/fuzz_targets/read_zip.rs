//! The workbook readers: XLSX (calamine plus vouch's own scan of sheet XML,
//! validations, styles, merged cells) and ODS (vouch's streaming reader),
//! on packages built from fuzzed parts or on raw fuzzed zip bytes (see
//! `parts::zip_file`). Reading must end in a questionnaire or an error
//! naming the file, never a panic, hang or blow-up.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vouch::questionnaire::{read, ReadOptions};
use vouch_fuzz::{parts, write_scratch};

fuzz_target!(|data: &[u8]| {
    let Some((name, bytes)) = parts::zip_file(data) else {
        return;
    };
    let path = write_scratch(&name, &bytes);
    if let Err(e) = read(&path, &ReadOptions::default()) {
        let msg = format!("{e:#}");
        assert!(msg.contains(&name), "error without the file name: {msg}");
    }
});
