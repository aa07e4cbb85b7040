//! The data loaders and the site built from them: a `vouch init` project
//! whose data files (company.toml, controls.csv, reports.toml,
//! documents.toml, subprocessors.csv, one update, the answer library) come
//! from the fuzz input (see `parts::project_files`). Loading and validating
//! must end in findings or an error, never a panic; the site is then built
//! in memory as `vouch build --allow-errors` would, and every page must run
//! no script but the theme's and link only to http(s), mailto or the site.
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use vouch::site::engine::render::render_tree;
use vouch::site::stage::{stage, StageOptions};
use vouch_fuzz::{assert_safe_page, parts, scratch};

const BASE_URL: &str = "https://trust.example.com";

/// The project folder, made once with `vouch init`.
fn project() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = scratch().join("acme");
        let today = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
        vouch::cmd::init::init(&dir, "Acme", today).expect("init");
        dir
    })
}

fuzz_target!(|data: &[u8]| {
    let root = project();
    for rel in parts::PROJECT_FILES {
        let _ = std::fs::remove_file(root.join(rel));
    }
    let _ = std::fs::remove_dir_all(root.join("data/updates"));
    std::fs::create_dir_all(root.join("data/updates")).unwrap();
    for (rel, bytes) in parts::project_files(data) {
        std::fs::write(root.join(rel), bytes).unwrap();
    }
    let Ok((project, findings)) = vouch::check::validate(root) else {
        return;
    };
    for f in &findings {
        let line = f.to_string();
        assert!(!line.contains('\n') || f.message.contains('\n'), "{line}");
    }
    if findings.iter().any(vouch::guard::is_outside) {
        return;
    }
    let date = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
    let mut view = vouch::site::from_model::public_view(&project, date);
    let Ok(faq) = vouch::site::faq::load(&project) else {
        return;
    };
    view.faq = faq;
    let opts = StageOptions {
        project: root,
        base_url: Some(BASE_URL),
    };
    let Ok((tree, _)) = stage(&view, &opts) else {
        return;
    };
    let build_time = date.and_hms_opt(0, 0, 0).unwrap();
    let Ok((site, _)) = render_tree(tree, Some(BASE_URL), build_time) else {
        return;
    };
    for page in site.paths() {
        if page.ends_with(".html") {
            let html = String::from_utf8_lossy(site.get(&page).unwrap());
            assert_safe_page(&html, &page);
        }
    }
});
