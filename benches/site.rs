//! `cargo bench --bench site`: builds a large generated trust center
//! (1,000 controls, 200 documents, 300 subprocessors, 100 updates) with the
//! library call behind `vouch build`, and prints wall time and peak RSS.
//! Targets: under 300 ms and under 150 MB.

use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

use vouch::site::build::{build, BuildOptions, Engine};

const CRITERIA: &[&str] = &[
    "CC1.1", "CC2.1", "CC3.2", "CC4.1", "CC5.2", "CC6.1", "CC6.2", "CC6.6", "CC7.2", "CC7.4",
    "CC8.1", "CC9.2", "A1.2", "C1.1", "PI1.3", "P4.2",
];

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn generate(root: &Path) {
    write(
        root,
        "data/company.toml",
        "name = \"Bench Corp\"\nwebsite = \"https://bench.example\"\nsecurity_contact = \"security@bench.example\"\n\
         categories = [\"security\", \"availability\", \"confidentiality\", \"processing_integrity\", \"privacy\"]\n\
         description = \"A **benchmark** company.\"\ncommitments = [\"Uptime.\"]\nrequirements = [\"Care.\"]\n\
         [boundaries]\nservices = \"Everything.\"\n",
    );
    let mut controls = String::from(
        "id,title,description,criteria,domain,owner,frequency,status,visibility,last_tested,tags\n",
    );
    for i in 0..1000 {
        let c1 = CRITERIA[i % CRITERIA.len()];
        let c2 = CRITERIA[(i * 7 + 3) % CRITERIA.len()];
        let visibility = ["public", "public", "public", "nda", "internal"][i % 5];
        let tag = if i < 4 {
            [
                "key-fact:encryption",
                "key-fact:sso-mfa",
                "key-fact:backups",
                "key-fact:pen-test",
            ][i]
        } else {
            ""
        };
        writeln!(
            controls,
            "C-{i:04},Control number {i} for encryption and access,\"The organization operates control {i}, which protects customer data with reviews, logging and encryption as described in policy {}.\",{c1};{c2},Domain {},Owner,monthly,implemented,{visibility},2026-05-01,{tag}",
            i % 40,
            i % 12
        )
        .unwrap();
    }
    write(root, "data/controls.csv", &controls);
    let mut reports = String::new();
    for (i, (kind, access)) in [
        ("soc2-type2", "nda"),
        ("soc3", "public"),
        ("pentest", "request"),
    ]
    .iter()
    .enumerate()
    {
        write(
            root,
            &format!("data/files/report-{i}.pdf"),
            "%PDF-1.4 bench\n",
        );
        write!(
            reports,
            "[[report]]\nid = \"r{i}\"\nkind = \"{kind}\"\ntitle = \"Report {i}\"\nauditor = \"Audit LLP\"\nopinion = \"unqualified\"\ncategories = [\"security\"]\nperiod_start = 2025-07-01\nperiod_end = 2026-06-30\nas_of = 2026-06-30\nissued = 2026-08-01\nfile = \"data/files/report-{i}.pdf\"\naccess = \"{access}\"\n\n"
        )
        .unwrap();
    }
    write(root, "data/reports.toml", &reports);
    let mut documents = String::new();
    for i in 0..200 {
        let access = ["public", "nda", "request", "internal"][i % 4];
        let kind = ["policy", "whitepaper", "legal", "other"][i % 4];
        write(
            root,
            &format!("data/files/doc-{i}.pdf"),
            "%PDF-1.4 bench document\n",
        );
        write!(
            documents,
            "[[document]]\nid = \"d{i}\"\ntitle = \"Document {i}\"\nkind = \"{kind}\"\nsummary = \"Summary of document {i}.\"\nupdated = 2026-03-01\nfile = \"data/files/doc-{i}.pdf\"\naccess = \"{access}\"\n\n"
        )
        .unwrap();
    }
    write(root, "data/documents.toml", &documents);
    let mut subs = String::from("name,purpose,data,location,since,website,visibility\n");
    for i in 0..300 {
        writeln!(
            subs,
            "Vendor {i},Purpose {i},Customer data class {},Region {},20{:02}-0{}-1{},https://vendor{i}.example,public",
            i % 9,
            i % 5,
            15 + i % 11,
            1 + i % 9,
            i % 10
        )
        .unwrap();
    }
    write(root, "data/subprocessors.csv", &subs);
    for i in 0..100 {
        write(
            root,
            &format!("data/updates/2026-{:02}-{:02}-update-{i}.md", 1 + i % 12, 1 + i % 28),
            &format!("+++\ntitle = \"Update {i}\"\ndate = 2026-{:02}-{:02}\n+++\nThe text of update {i} with **some** Markdown.\n\n- one\n- two\n", 1 + i % 12, 1 + i % 28),
        );
    }
}

fn copy_dir(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).unwrap();
    for entry in std::fs::read_dir(src).unwrap() {
        let entry = entry.unwrap();
        let target = dst.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn main() {
    // Cargo's per-target temp dir: on this machine /tmp is a much slower
    // file system; set VOUCH_BENCH_DIR to measure elsewhere.
    let base = std::env::var("VOUCH_BENCH_DIR")
        .unwrap_or_else(|_| env!("CARGO_TARGET_TMPDIR").to_string());
    std::fs::create_dir_all(&base).unwrap();
    let tmp = tempfile::tempdir_in(&base).unwrap();
    let root = tmp.path();
    generate(root);
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    copy_dir(&repo.join("site"), &root.join("site"));
    copy_dir(&repo.join("themes"), &root.join("themes"));
    let opts = BuildOptions {
        project: root.to_path_buf(),
        out: root.join("public"),
        stage_only: None,
        engine: Engine::Builtin,
        base_url: Some("https://trust.bench.example".to_string()),
        relative: false,
        // The generated data is not a complete SOC 2 project; the build
        // still validates it (part of the measured time).
        allow_errors: true,
        build_date: chrono::NaiveDate::from_ymd_opt(2026, 11, 28).unwrap(),
    };
    let start = Instant::now();
    let report = build(&opts).expect("build failed");
    let elapsed = start.elapsed();
    let rss = peak_rss_mb().unwrap_or(f64::NAN);
    println!(
        "site build: 1000 controls, 200 documents, 300 subprocessors, 100 updates -> {} pages, {} sections, {} feeds, {} files",
        report.pages, report.sections, report.feeds, report.files
    );
    println!(
        "wall time: {:.1} ms (target < 300 ms)",
        elapsed.as_secs_f64() * 1000.0
    );
    println!("peak RSS (VmHWM): {rss:.1} MB (target < 150 MB)");
    println!("output in a temp dir under {base}");
}
