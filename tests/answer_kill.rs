//! `vouch answer` killed with SIGKILL at random moments: the answered file
//! is always the complete previous one (never half-written), and the next
//! run removes the temp file a killed write left behind.
#![cfg(unix)]

mod util;

use std::path::Path;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

fn temp_files(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".vouch-") || n.starts_with(".tmp"))
        .collect()
}

#[test]
fn killed_answer_runs_never_leave_a_partial_output_or_leftovers() {
    let dir = tempfile::tempdir().unwrap();
    // A questionnaire of a few hundred rows from the demo one.
    let demo =
        std::fs::read_to_string(util::repo_root().join("examples/prospect-questionnaire.csv"))
            .unwrap();
    let mut lines = demo.lines();
    let mut text = format!("{}\n", lines.next().unwrap());
    let rows: Vec<&str> = lines.collect();
    for copy in 0..20 {
        for row in &rows {
            text.push_str(&format!("{copy}-{row}\n"));
        }
    }
    let input = dir.path().join("prospect.csv");
    std::fs::write(&input, &text).unwrap();
    let output = dir.path().join("prospect.answered.csv");
    let answer = |out: &Path| {
        let mut cmd = util::vouch();
        cmd.current_dir(util::repo_root())
            .arg("answer")
            .arg(&input)
            .arg("-o")
            .arg(out)
            .arg("-q");
        cmd
    };

    let started = Instant::now();
    let first = answer(&output).output().unwrap();
    assert!(first.status.success(), "{}", util::stderr(&first));
    let window = started.elapsed().as_millis() as u64 * 3 / 2;
    let expected = std::fs::read(&output).unwrap();

    let mut seed = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    eprintln!("seed {seed}");
    let mut killed_mid_run = 0;
    for round in 0..12 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let delay = Duration::from_millis(seed % window.max(1));
        let mut child = answer(&output)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        if child.try_wait().unwrap().is_none() {
            killed_mid_run += 1;
        }
        let _ = child.kill();
        let _ = child.wait();
        assert_eq!(
            std::fs::read(&output).unwrap(),
            expected,
            "round {round} ({delay:?}): the answered file is not the complete one"
        );
        assert_eq!(
            std::fs::read_to_string(&input).unwrap(),
            text,
            "input untouched"
        );
    }
    assert!(
        killed_mid_run > 0,
        "no run was interrupted: widen the window"
    );
    let last = answer(&output).output().unwrap();
    assert!(last.status.success());
    assert_eq!(temp_files(dir.path()), Vec::<String>::new(), "leftovers");
}
