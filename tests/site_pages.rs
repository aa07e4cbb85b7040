//! The pages a prospect reads beyond the summary: the security FAQ, a page
//! per criterion and per control, the controls matrix, the site search
//! index, the honest audit card and the polish of feeds, cards and links;
//! and data text that can never run script (raw HTML, `javascript:` links).

mod util;

use std::path::{Path, PathBuf};

fn fixture_project() -> tempfile::TempDir {
    util::site_fixture_project()
}

fn build(dir: &Path, extra: &[&str]) -> std::process::Output {
    util::build_site(dir, extra)
}

fn built(proj: &tempfile::TempDir) -> PathBuf {
    let out = build(
        proj.path(),
        &["--base-url", "https://trust.fixture.example"],
    );
    assert!(out.status.success(), "{}", util::stderr(&out));
    proj.path().join("public")
}

fn read(path: PathBuf) -> String {
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn append(path: &Path, text: &str) {
    let mut old = std::fs::read_to_string(path).unwrap();
    old.push_str(text);
    std::fs::write(path, old).unwrap();
}

/// The HTML between the element with `id="ID"` and the end of the page.
fn from_id<'a>(html: &'a str, id: &str) -> &'a str {
    let at = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no element with id {id}"));
    &html[at..]
}

/// Tera's HTML escaping, for comparing data with rendered pages.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#x27;")
        .replace('/', "&#x2F;")
}

#[test]
fn faq_lists_exactly_the_public_entries_grouped_by_topic() {
    let proj = fixture_project();
    let public = built(&proj);
    let faq = read(public.join("faq/index.html"));
    for q in [
        "Do you back up customer data every day?",
        "Is customer data encrypted at rest?",
    ] {
        assert!(faq.contains(q), "FAQ lacks {q}");
    }
    for secret in ["NDA-001", "key management vendor", "INT-001", "break-glass"] {
        assert!(!faq.contains(secret), "FAQ shows {secret}");
    }
    assert_eq!(faq.matches("data-filter-row").count(), 2);
    // Topics: the entry's own, else the file's heading comment.
    assert!(faq.contains(">Encryption</h2>") && faq.contains(">Security basics</h2>"));
    // Answer, explanation, linked controls and criteria (title as tooltip).
    assert!(faq.contains("AES-256 with keys in KMS"));
    assert!(faq.contains("href=\"https://trust.fixture.example/controls/cr-01/\">CR-01</a>"));
    assert!(faq.contains(
        "href=\"https://trust.fixture.example/criteria/c1-1/\" title=\"Identifying and protecting confidential information\">C1.1</a>"
    ));
    // VR-01 is an nda control: its criteria may show, its id never.
    assert!(!faq.contains("VR-01"));
    assert!(faq.contains(">CC9.2</a>"));
    assert!(faq.contains("id=\"faq-filter\""), "offline filter box");

    let json: serde_json::Value = serde_json::from_str(&read(public.join("trust.json"))).unwrap();
    let ids: Vec<&str> = json["faq"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["ENC-001", "BCK-001"]);
    let enc = &json["faq"][0];
    assert_eq!(enc["controls"], serde_json::json!(["CR-01"]));
    assert_eq!(enc["answer"], "Yes");
    assert_eq!(enc["url"], "https://trust.fixture.example/faq/#q-enc-001");
}

#[test]
fn a_misspelt_visibility_never_publishes_an_entry() {
    let proj = fixture_project();
    append(
        &proj.path().join("answers/security.toml"),
        "\n[[entry]]\nid = \"TYPO-001\"\nquestion = \"Zqx typo question?\"\nanswer = \"Yes\"\ncomment = \"x\"\ncontrols = [\"AC-01\"]\nvisiblity = \"internal\"\n",
    );
    let out = build(proj.path(), &[]);
    // Whether the typo stops the build or only holds the entry back, it is
    // never published.
    if out.status.success() {
        for f in [
            "public/faq/index.html",
            "public/trust.json",
            "public/search-index.js",
        ] {
            assert!(!read(proj.path().join(f)).contains("Zqx typo"), "{f}");
        }
    } else {
        assert_eq!(out.status.code(), Some(2));
    }
}

#[test]
fn every_in_scope_criterion_has_a_page_with_its_controls_and_questions() {
    let proj = fixture_project();
    let public = built(&proj);
    let mut pages = 0;
    for c in vouch::tsc::catalog() {
        let in_scope = matches!(
            c.category.as_str(),
            "security" | "availability" | "confidentiality"
        );
        let path = public.join(format!(
            "criteria/{}/index.html",
            c.id.to_lowercase().replace('.', "-")
        ));
        if !in_scope {
            assert!(!path.exists(), "{} is out of scope", c.id);
            continue;
        }
        let html = read(path);
        assert!(html.contains(&escape(c.title)), "{}: title", c.id);
        assert!(
            html.contains(&escape(c.description)),
            "{}: description",
            c.id
        );
        pages += 1;
    }
    assert_eq!(pages, 33 + 3 + 2);
    let cc61 = read(public.join("criteria/cc6-1/index.html"));
    assert!(cc61.contains("Workforce") || cc61.contains("Single sign-on for workforce"));
    assert!(cc61.contains("href=\"https://trust.fixture.example/controls/cr-01/\""));
    assert!(cc61.contains("Is customer data encrypted at rest?"));
    assert!(cc61.contains("href=\"https://trust.fixture.example/faq/#q-enc-001\""));
    // An nda control is listed by title, without id or link.
    let cc92 = read(public.join("criteria/cc9-2/index.html"));
    assert!(cc92.contains("Vendor") || cc92.contains("Details available under NDA"));
    assert!(!cc92.contains("VR-01"));
    let index = read(public.join("criteria/index.html"));
    assert!(index.contains("href=\"https://trust.fixture.example/criteria/c1-2/\""));
    // The nav marks Controls as current on criteria pages.
    assert!(cc61.contains("/controls/\" aria-current=\"true\""), "nav");
}

#[test]
fn controls_show_under_every_category_with_linked_chips_matrix_and_detail_pages() {
    let proj = fixture_project();
    let public = built(&proj);
    let controls = read(public.join("controls/index.html"));
    // CR-01 maps to CC6.1 and C1.1: it is listed under Security and under
    // Confidentiality.
    let confidentiality = from_id(&controls, "confidentiality");
    let confidentiality = &confidentiality[..confidentiality
        .find("</section>\n</section>")
        .unwrap_or(confidentiality.len())];
    assert!(
        confidentiality.contains("CR-01"),
        "CR-01 under Confidentiality"
    );
    let security = from_id(&controls, "security");
    assert!(security[..security.find("id=\"availability\"").unwrap()].contains("CR-01"));
    // Chips link to the criterion page with its title as tooltip.
    assert!(controls.contains(
        "<a class=\"criterion\" href=\"https://trust.fixture.example/criteria/cc6-1/\" title=\"Logical access security over protected information assets\">CC6.1</a>"
    ));
    // The summary matrix: categories × status.
    let matrix = from_id(&controls, "matrix-title");
    assert!(matrix.contains("Confidentiality") && matrix.contains("In progress"));
    // Collapsible groups.
    assert!(controls.contains("<details data-filter-details>"));
    // Detail pages for public controls only.
    let cr01 = read(public.join("controls/cr-01/index.html"));
    assert!(cr01.contains("Encryption at rest"));
    assert!(cr01.contains("&lt;script&gt;"), "escaped description");
    assert!(cr01.contains(">C1.1</a>") && cr01.contains("Confidentiality"));
    assert!(cr01.contains("Is customer data encrypted at rest?"));
    assert!(cr01.contains("/controls/\" aria-current=\"true\""), "nav");
    assert!(
        !public.join("controls/vr-01").exists(),
        "no page for an nda control"
    );
    assert!(controls.contains("href=\"https://trust.fixture.example/controls/ac-01/\""));
}

#[test]
fn search_index_covers_every_kind_and_finds_backups() {
    let proj = fixture_project();
    let public = built(&proj);
    let js = read(public.join("search-index.js"));
    let json = js
        .strip_prefix("window.VOUCH_SEARCH=")
        .and_then(|s| s.trim_end().strip_suffix(';'))
        .expect("search-index.js assigns window.VOUCH_SEARCH");
    let index: serde_json::Value = serde_json::from_str(json).unwrap();
    let kinds: Vec<&str> = index["kinds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_str().unwrap())
        .collect();
    let docs = index["docs"].as_array().unwrap();
    let mut seen = std::collections::BTreeSet::new();
    for d in docs {
        seen.insert(kinds[d[0].as_u64().unwrap() as usize]);
    }
    for kind in [
        "Control",
        "Criterion",
        "Question",
        "Report",
        "Document",
        "Subprocessor",
        "Update",
    ] {
        assert!(seen.contains(kind), "no {kind} in the index");
    }
    // What the search box matches: a query word starts a word of the item.
    let hits: Vec<(&str, &str)> = docs
        .iter()
        .filter(|d| {
            format!("{} {}", d[1].as_str().unwrap(), d[3].as_str().unwrap())
                .to_lowercase()
                .split(|c: char| !(c.is_alphanumeric() || c == '.' || c == '-'))
                .any(|w| w.starts_with("backup"))
        })
        .map(|d| {
            (
                kinds[d[0].as_u64().unwrap() as usize],
                d[2].as_str().unwrap(),
            )
        })
        .collect();
    assert!(hits.contains(&("Control", "controls/av-01/")), "{hits:?}");
    assert!(hits.contains(&("Question", "faq/#q-bck-001")), "{hits:?}");
    // Nothing gated or internal is indexed.
    assert!(!js.contains("NDA-001") && !js.contains("break-glass"));
    // Every path in the index is a real page (or anchor on one).
    for d in docs {
        let path = d[2].as_str().unwrap();
        let page = path.split(['#', '?']).next().unwrap();
        assert!(public.join(page).join("index.html").is_file(), "{path}");
    }
}

#[test]
fn audit_card_is_honest_and_bridge_letters_sit_under_their_report() {
    let proj = fixture_project();
    // No public auditor or opinion anywhere for the latest period.
    let reports = proj.path().join("data/reports.toml");
    let text = read(reports.clone());
    let text = text
        .replace("auditor = \"Example & Partners LLP\"\n", "")
        .replace("opinion = \"unqualified\"\n", "");
    std::fs::write(&reports, format!("{text}\n[[report]]\nid = \"bridge-2026\"\nkind = \"bridge-letter\"\ntitle = \"Bridge letter July-November 2026\"\nperiod_start = 2026-07-01\nperiod_end = 2026-11-15\nissued = 2026-11-20\naccess = \"request\"\n")).unwrap();
    // `check` calls a SOC report without auditor and opinion an error, so
    // the build refuses it...
    let refused = build(proj.path(), &[]);
    assert_eq!(refused.status.code(), Some(2), "{}", util::stderr(&refused));
    assert!(util::stderr(&refused).contains("auditor"));
    // ...and when forced, the card still never calls it current.
    let out = build(
        proj.path(),
        &[
            "--allow-errors",
            "--base-url",
            "https://trust.fixture.example",
        ],
    );
    assert!(out.status.success(), "{}", util::stderr(&out));
    let public = proj.path().join("public");
    let home = read(public.join("index.html"));
    let card = &home[home.find("class=\"audit-card\"").unwrap()..];
    let card = &card[..card.find("</aside>").unwrap()];
    assert!(!card.contains(">Current<"), "{card}");
    assert!(
        card.contains("Auditor&#x27;s opinion not published")
            || card.contains("opinion not published"),
        "{card}"
    );
    assert!(card.contains("Bridge letter"), "{card}");
    let page = read(public.join("reports/index.html"));
    let soc2 = page.find("SOC 2 Type II report 2025-2026").unwrap();
    let bridge = page.find("Bridge letter July-November 2026").unwrap();
    assert!(
        soc2 < bridge,
        "the bridge letter follows the report it extends"
    );
    assert!(
        page[soc2..bridge].contains("class=\"bridge-list\""),
        "nested under it"
    );

    // A qualified opinion with exceptions says so.
    let proj = fixture_project();
    let reports = proj.path().join("data/reports.toml");
    let text = read(reports.clone()).replace(
        "opinion = \"unqualified\"",
        "opinion = \"qualified, exceptions noted\"",
    );
    std::fs::write(&reports, text).unwrap();
    let public = built(&proj);
    let home = read(public.join("index.html"));
    assert!(home.contains(">Qualified opinion<") && home.contains(">Exception noted<"));
    assert!(home.contains("badge-current"), "qualified is still current");
}

#[test]
fn feeds_cards_links_and_social_tags_are_polished() {
    let proj = fixture_project();
    let dir = proj.path();
    append(
        &dir.join("data/company.toml"),
        "request_access_url = \"https://fixture.example/trust/request\"\n",
    );
    let public = built(&proj);
    let feed = read(public.join("updates/atom.xml"));
    assert!(
        feed.contains("<title>Fixture Cloud, Inc. Trust Center – Updates</title>"),
        "{feed}"
    );
    assert!(feed.contains("<name>Fixture Cloud, Inc.</name>"));
    assert!(!feed.contains("<name>Trust Center</name>"));
    let reports = read(public.join("reports/index.html"));
    assert!(
        reports.contains("request?document=SOC%202%20Type%20II%20report%202025-2026\""),
        "the request link names the document"
    );
    let home = read(public.join("index.html"));
    for tag in [
        "<meta property=\"og:title\"",
        "<meta property=\"og:description\"",
        "<meta property=\"og:image\" content=\"https://trust.fixture.example/social.png\">",
        "<meta property=\"og:url\" content=\"https://trust.fixture.example/\">",
        "<meta name=\"twitter:card\" content=\"summary_large_image\">",
    ] {
        assert!(home.contains(tag), "home lacks {tag}");
    }
    let png = std::fs::read(public.join("social.png")).unwrap();
    assert!(
        png.starts_with(b"\x89PNG\r\n\x1a\n"),
        "social image is a PNG"
    );
    // A key-fact card never repeats its heading as the control title.
    let cards = &home[home.find("id=\"facts-title\"").unwrap()..];
    let cards = &cards[..cards.find("</section>").unwrap()];
    for card in cards.split("<li class=\"card\">").skip(1) {
        let heading = &card[card.find("<h3>").unwrap() + 4..card.find("</h3>").unwrap()];
        assert!(
            !card.contains(&format!("<p class=\"card-title\">{heading}</p>")),
            "{heading} repeated"
        );
    }
    // Detail pages highlight their section in the navigation.
    for (page, nav) in [
        (
            "subprocessors/postmark/index.html",
            "/subprocessors/\" aria-current=\"true\"",
        ),
        (
            "updates/soc2/index.html",
            "/updates/\" aria-current=\"true\"",
        ),
    ] {
        assert!(read(public.join(page)).contains(nav), "{page}");
    }
    // The subprocessor table labels its cells for the stacked mobile layout.
    let subs = read(public.join("subprocessors/index.html"));
    assert!(subs.contains("data-label=\"Location\"") && subs.contains("data-label=\"Since\""));
}

/// Every page carries the Content-Security-Policy and runs no inline code:
/// scripts come from files, no event-handler attributes, no inline styles.
#[test]
fn pages_have_a_strict_csp_and_no_inline_script() {
    let proj = fixture_project();
    let public = built(&proj);
    let mut files = Vec::new();
    util::all_files(&public, &mut files);
    let pages: Vec<&PathBuf> = files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    assert!(pages.len() > 40, "{} pages", pages.len());
    for page in pages {
        let html = read(page.clone());
        assert!(
            html.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; script-src 'self';"),
            "{}: CSP",
            page.display()
        );
        for script in html.split("<script").skip(1) {
            let tag = &script[..script.find('>').unwrap()];
            assert!(tag.contains(" src="), "{}: inline script", page.display());
            assert!(script[script.find('>').unwrap() + 1..].starts_with("</script>"));
        }
        let lower = html.to_lowercase();
        assert!(
            !lower.contains(" style="),
            "{}: inline style",
            page.display()
        );
        for handler in [" onerror=", " onload=", " onclick=", "javascript:"] {
            assert!(!lower.contains(handler), "{}: {handler}", page.display());
        }
    }
}

/// Raw HTML in update Markdown is shown as text, and links with a scheme
/// other than https/http/mailto are never published; `vouch check` names them.
#[test]
fn data_text_never_runs_script_and_bad_link_schemes_are_reported() {
    let proj = fixture_project();
    let dir = proj.path();
    std::fs::write(
        dir.join("data/updates/2026-09-01-hostile.md"),
        "+++\ntitle = \"Hostile\"\ndate = 2026-09-01\n+++\nHello <script>alert(1)</script> <img src=x onerror=alert(2)>\n\n\
         <iframe src=\"javascript:alert(3)\"></iframe>\n\n[click](javascript:alert(4)) [data](data:text/html,x) \
         [ok](https://fixture.example/ok) {{ not_a_shortcode() }}\n",
    )
    .unwrap();
    let csv = dir.join("data/subprocessors.csv");
    append(
        &csv,
        "Evil Corp,Analytics,Usage data,Ireland,2025-01-01,javascript:alert(5),public\n",
    );
    append(
        &dir.join("data/company.toml"),
        "request_access_url = \"data:text/html,<script>alert(6)</script>\"\n",
    );
    let check = util::run_in(dir, &["check"]);
    let report = util::stdout(&check) + &util::stderr(&check);
    assert!(
        report.contains("data/updates/2026-09-01-hostile.md:")
            && report.contains("only https, http and mailto"),
        "{report}"
    );
    assert!(
        report.contains("data/subprocessors.csv:4: error: website:"),
        "{report}"
    );
    assert!(
        report.contains("data/company.toml:") && report.contains("request_access_url"),
        "{report}"
    );

    let out = build(dir, &[]);
    // The shared validation may refuse the build; if it builds, it is safe.
    if !out.status.success() {
        return;
    }
    let mut files = Vec::new();
    util::all_files(&dir.join("public"), &mut files);
    // Pages and feeds (JSON files hold data as strings, for consumers to escape).
    for f in files
        .into_iter()
        .filter(|f| f.extension().is_some_and(|e| e == "html" || e == "xml"))
    {
        let text = String::from_utf8_lossy(&std::fs::read(&f).unwrap()).to_lowercase();
        // As markup in a page; in a feed, as markup escaped once (a feed
        // reader decodes the content once and renders it as HTML).
        let bad: &[&str] = if f.extension().is_some_and(|e| e == "html") {
            &[
                "<script>alert",
                "<img src=x",
                "<iframe",
                "href=\"javascript:",
                "href=\"data:",
            ]
        } else {
            &[
                "&lt;script&gt;alert",
                "&lt;iframe",
                "&lt;img",
                "href=&quot;javascript:",
                "href=&quot;data:",
            ]
        };
        for pattern in bad {
            assert!(
                !text.contains(pattern),
                "{} contains {pattern}",
                f.display()
            );
        }
    }
    let page = read(dir.join("public/updates/hostile/index.html"));
    assert!(
        page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{page}"
    );
    assert!(page.contains("href=\"https://fixture.example/ok\""));
    assert!(page.contains("click") && page.contains("not_a_shortcode"));
}
