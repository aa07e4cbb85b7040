//! Confidentiality: a unique marker is planted in every free-text field of
//! every non-public item (internal controls, reports, documents,
//! subprocessors, updates; nda/request reports and documents: every field
//! except title/date/kind, and their files' contents; nda and internal
//! answer-library entries, the id of an internal control a public entry
//! cites, and an entry whose `visibility` key is misspelt). No output file,
//! staged file, feed, sitemap, search index or trust.json may contain any
//! of them.

mod util;

use std::fmt::Write as _;
use std::path::Path;

struct Markers {
    next: usize,
    all: Vec<String>,
}

impl Markers {
    /// A fresh marker; letters and digits only so that slugify, case
    /// changes or URL encoding cannot hide it from a case-insensitive search.
    fn fresh(&mut self) -> String {
        self.next += 1;
        let m = format!("Zqxsecret{:03}", self.next);
        self.all.push(m.clone());
        m
    }
}

fn append(path: &Path, text: &str) {
    let mut old = std::fs::read_to_string(path).unwrap();
    if !old.ends_with('\n') {
        old.push('\n');
    }
    old.push_str(text);
    std::fs::write(path, old).unwrap();
}

/// A marked file: its path and its contents both carry markers.
fn marked_file(root: &Path, m: &mut Markers) -> String {
    let rel = format!("data/files/{}.pdf", m.fresh());
    std::fs::write(root.join(&rel), format!("%PDF-1.4 {}\n", m.fresh())).unwrap();
    rel
}

fn plant(root: &Path, m: &mut Markers) -> Vec<String> {
    let mut listed_titles = Vec::new();
    // Controls: internal ones entirely, nda ones except title/criteria/status.
    let mut csv = String::new();
    for visibility in ["internal", "nda"] {
        let title = if visibility == "internal" {
            m.fresh()
        } else {
            "Listed NDA control".to_string()
        };
        writeln!(
            csv,
            "{},{},{} <b>x</b>,CC6.1;CC7.2,{},{},monthly,implemented,{visibility},2026-01-01,key-fact:{};{}",
            m.fresh(), title, m.fresh(), m.fresh(), m.fresh(), m.fresh(), m.fresh()
        )
        .unwrap();
    }
    append(&root.join("data/controls.csv"), &csv);

    // Reports: internal (everything marked), nda and request (all but title/dates/kind).
    let mut reports = String::new();
    for access in ["internal", "nda", "request"] {
        let title = if access == "internal" {
            m.fresh()
        } else {
            format!("Listed {access} report")
        };
        if access != "internal" {
            listed_titles.push(title.clone());
        }
        let file = marked_file(root, m);
        write!(
            reports,
            "\n[[report]]\nid = \"{}\"\nkind = \"soc2-type2\"\ntitle = \"{title}\"\nauditor = \"{}\"\nopinion = \"{}\"\ncategories = [\"security\"]\nperiod_start = 2024-01-01\nperiod_end = 2024-12-31\nissued = 2025-02-01\nfile = \"{file}\"\naccess = \"{access}\"\nsummary = \"{}\"\n",
            m.fresh(), m.fresh(), m.fresh(), m.fresh()
        )
        .unwrap();
    }
    append(&root.join("data/reports.toml"), &reports);

    let mut documents = String::new();
    for access in ["internal", "nda", "request"] {
        let title = if access == "internal" {
            m.fresh()
        } else {
            format!("Listed {access} document")
        };
        if access != "internal" {
            listed_titles.push(title.clone());
        }
        let file = marked_file(root, m);
        write!(
            documents,
            "\n[[document]]\nid = \"{}\"\ntitle = \"{title}\"\nkind = \"policy\"\nsummary = \"{}\"\nupdated = 2026-01-01\nfile = \"{file}\"\naccess = \"{access}\"\n",
            m.fresh(), m.fresh()
        )
        .unwrap();
    }
    append(&root.join("data/documents.toml"), &documents);

    append(
        &root.join("data/subprocessors.csv"),
        &format!(
            "{},{},{},{},2025-01-01,https://{}.example,internal\n",
            m.fresh(),
            m.fresh(),
            m.fresh(),
            m.fresh(),
            m.fresh()
        ),
    );

    // The answer library: nda and internal entries entirely; a public entry
    // citing an internal control (whose id is a marker) and an nda control;
    // an entry whose misspelt `visiblity` key must not make it public.
    let internal_control = {
        let csv = std::fs::read_to_string(root.join("data/controls.csv")).unwrap();
        let line = csv.lines().find(|l| l.contains(",internal,")).unwrap();
        line.split(',').next().unwrap().to_string()
    };
    let mut answers = String::new();
    for visibility in ["nda", "internal"] {
        write!(
            answers,
            "\n[[entry]]\nid = \"{}\"\nquestion = \"{}?\"\nvariants = [\"{}\"]\nanswer = \"{}\"\ncomment = \"{}\"\ncontrols = [\"AC-01\"]\ntags = [\"{}\"]\ntopic = \"{}\"\nowner = \"{}\"\nvisibility = \"{visibility}\"\n",
            m.fresh(), m.fresh(), m.fresh(), m.fresh(), m.fresh(), m.fresh(), m.fresh(), m.fresh()
        )
        .unwrap();
    }
    write!(
        answers,
        "\n[[entry]]\nid = \"PUB-777\"\nquestion = \"Is the public answer published?\"\nanswer = \"Yes\"\ncomment = \"It is.\"\ncontrols = [\"{internal_control}\", \"VR-01\"]\nvisibility = \"public\"\n\
         \n[[entry]]\nid = \"{}\"\nquestion = \"{}?\"\nanswer = \"Yes\"\ncomment = \"{}\"\ncontrols = [\"AC-01\"]\nvisiblity = \"internal\"\n",
        m.fresh(), m.fresh(), m.fresh()
    )
    .unwrap();
    append(&root.join("answers/security.toml"), &answers);

    std::fs::write(
        root.join(format!(
            "data/updates/2026-09-01-{}.md",
            m.fresh().to_lowercase()
        )),
        format!(
            "+++\ntitle = \"{}\"\ndate = 2026-09-01\nvisibility = \"internal\"\n+++\n{}\n",
            m.fresh(),
            m.fresh()
        ),
    )
    .unwrap();
    listed_titles
}

#[test]
fn non_public_items_never_reach_any_output_file() {
    let proj = util::site_fixture_project();
    let mut markers = Markers {
        next: 0,
        all: Vec::new(),
    };
    let listed = plant(proj.path(), &mut markers);
    assert!(
        markers.all.len() > 40,
        "planted {} markers",
        markers.all.len()
    );

    // The planted misspelt `visiblity` is an error, so the build is forced
    // (--allow-errors): even then nothing non-public may be published.
    for args in [
        vec!["build", "--quiet", "--allow-errors", "--out", "public"],
        vec![
            "build",
            "--quiet",
            "--allow-errors",
            "--out",
            "public-web",
            "--base-url",
            "https://trust.example",
        ],
        vec!["build", "--quiet", "--allow-errors", "--stage", "staged"],
    ] {
        let out = util::run_in(proj.path(), &args);
        assert!(out.status.success(), "{args:?}: {}", util::stderr(&out));
        let stdout = util::stdout(&out).to_lowercase();
        for m in &markers.all {
            assert!(!stdout.contains(&m.to_lowercase()), "{m} on stdout");
        }
    }

    let mut files = Vec::new();
    for dir in ["public", "public-web", "staged"] {
        util::all_files(&proj.path().join(dir), &mut files);
    }
    assert!(files.len() > 50, "scanned {} files", files.len());
    for file in &files {
        let text = String::from_utf8_lossy(&std::fs::read(file).unwrap()).to_lowercase();
        let name = file.to_string_lossy().to_lowercase();
        for m in &markers.all {
            let m = m.to_lowercase();
            assert!(!text.contains(&m), "{} contains marker {m}", file.display());
            assert!(
                !name.contains(&m),
                "file name {} contains marker {m}",
                file.display()
            );
        }
    }

    // The gated items are still listed by title, with a request action.
    let reports = std::fs::read_to_string(proj.path().join("public/reports/index.html")).unwrap();
    let documents =
        std::fs::read_to_string(proj.path().join("public/documents/index.html")).unwrap();
    for title in &listed {
        assert!(
            reports.contains(title.as_str()) || documents.contains(title.as_str()),
            "{title} is listed"
        );
    }
    assert!(reports.contains("Request access"));
    let controls = std::fs::read_to_string(proj.path().join("public/controls/index.html")).unwrap();
    assert!(controls.contains("Listed NDA control"));
    // The public entry is published, without the ids of the internal and
    // nda controls it cites.
    let faq = std::fs::read_to_string(proj.path().join("public/faq/index.html")).unwrap();
    assert!(faq.contains("Is the public answer published?"));
    assert!(!faq.contains("VR-01"));
}
