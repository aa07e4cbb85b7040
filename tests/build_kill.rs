//! `vouch build` killed with SIGKILL at random moments: the output folder is
//! always there and complete (the previous build or the new one, never a
//! mix, never missing), and the next build leaves no temp folder behind.
#![cfg(unix)]

mod util;

use std::path::Path;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// The sorted relative paths of every file below `dir`.
fn listing(dir: &Path) -> Vec<String> {
    let mut files = Vec::new();
    util::all_files(dir, &mut files);
    let mut rel: Vec<String> = files
        .iter()
        .map(|f| f.strip_prefix(dir).unwrap().to_string_lossy().into_owned())
        .collect();
    rel.sort();
    rel
}

/// A small pseudo-random generator (xorshift), seeded from the clock; the
/// seed is printed so a failure can be replayed with VOUCH_KILL_SEED.
struct Rng(u64);

impl Rng {
    fn new() -> Rng {
        let seed = std::env::var("VOUCH_KILL_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .unwrap()
                    .as_nanos() as u64
                    | 1
            });
        eprintln!("VOUCH_KILL_SEED={seed}");
        Rng(seed)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".vouch-"))
        .collect()
}

#[test]
fn killed_builds_leave_the_old_or_the_new_site_and_no_leftovers() {
    let tmp = tempfile::tempdir().unwrap();
    assert!(util::run_in(tmp.path(), &["-q", "init", "acme"])
        .status
        .success());
    let dir = tmp.path().join("acme");
    let public = dir.join("public");

    // The previous build, and how long a build takes here.
    let started = Instant::now();
    let first = util::run_in(&dir, &["-q", "build"]);
    assert!(first.status.success(), "{}", util::stderr(&first));
    let build_time = started.elapsed();
    let files = listing(&public);
    assert!(files.contains(&".vouch-build".to_string()));

    // The new build differs in content, not in its list of files.
    let company = dir.join("data/company.toml");
    let text = std::fs::read_to_string(&company).unwrap();
    std::fs::write(
        &company,
        text.replace("name = \"Acme\"", "name = \"Acme Renamed\""),
    )
    .unwrap();

    let mut rng = Rng::new();
    let window = (build_time.as_millis() as u64 * 3 / 2).max(20);
    let mut killed_mid_build = 0;
    for round in 0..25 {
        let mut child = util::vouch()
            .current_dir(&dir)
            .args(["-q", "build"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let delay = Duration::from_millis(rng.below(window));
        std::thread::sleep(delay);
        let finished = child.try_wait().unwrap().is_some();
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        if !finished {
            killed_mid_build += 1;
        }
        // At every kill the output is a complete site: old or new.
        assert!(
            public.is_dir(),
            "round {round} ({delay:?}): public/ is missing"
        );
        assert_eq!(
            listing(&public),
            files,
            "round {round} ({delay:?}): incomplete site"
        );
        let home = std::fs::read_to_string(public.join("index.html")).unwrap();
        assert!(home.contains("Acme"), "round {round}: {home}");
    }
    assert!(
        killed_mid_build > 0,
        "no build was interrupted: widen the window"
    );

    // The next build cleans every leftover of the killed ones.
    let last = util::run_in(&dir, &["-q", "build"]);
    assert!(last.status.success(), "{}", util::stderr(&last));
    assert_eq!(
        leftovers(&dir),
        Vec::<String>::new(),
        "temp folders left behind"
    );
    assert_eq!(listing(&public), files);
    let home = std::fs::read_to_string(public.join("index.html")).unwrap();
    assert!(home.contains("Acme Renamed"), "the last build is complete");
}

#[test]
fn a_failed_build_leaves_the_previous_site_and_no_temp_folder() {
    let tmp = tempfile::tempdir().unwrap();
    assert!(util::run_in(tmp.path(), &["-q", "init", "acme"])
        .status
        .success());
    let dir = tmp.path().join("acme");
    assert!(util::run_in(&dir, &["-q", "build"]).status.success());
    let before = listing(&dir.join("public"));
    // A template error stops the build.
    std::fs::create_dir_all(dir.join("site/templates")).unwrap();
    std::fs::write(
        dir.join("site/templates/page.html"),
        "{{ page.title | no_such_filter }}",
    )
    .unwrap();
    let out = util::run_in(&dir, &["-q", "build"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(listing(&dir.join("public")), before);
    assert_eq!(leftovers(&dir), Vec::<String>::new());
}
