//! The builtin Zola-compatible engine on small hand-written Zola projects:
//! sections, pages, sorting, inheritance, overrides, the global functions,
//! feeds, sitemap, static files and error reporting.

use std::path::Path;

use vouch::site::engine::render_site;

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn time() -> chrono::NaiveDateTime {
    chrono::NaiveDate::from_ymd_opt(2026, 1, 2)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap()
}

/// A small blog-like site with a theme and one site override.
fn project() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let r = tmp.path();
    write(r, "config.toml", "base_url = \"https://ex.test/\"\ntitle = \"Ex & Co\"\ntheme = \"t\"\ngenerate_feeds = true\n[extra]\ntagline = \"Hello <world>\"\n");
    write(r, "themes/t/templates/base.html", "<title>{% block title %}{{ config.title }}{% endblock title %}</title><main>{% block content %}{% endblock content %}</main>{{ config.extra.tagline }}");
    write(r, "themes/t/templates/index.html", "{% extends \"base.html\" %}{% block content %}HOME {{ section.content | safe }}{% for s in section.subsections %}[{{ s }}]{% endfor %}{% set blog = get_section(path=\"blog/_index.md\") %}{% for p in blog.pages %}<{{ p.title }}>{% endfor %} {{ get_url(path=\"@/blog/b.md\") }} {{ get_url(path=\"style.css\") }} {% set d = load_data(path=\"data/d.csv\") %}{{ d.headers | join(sep=\"|\") }}:{{ d.records | length }} {% set t = load_data(path=\"data/t.toml\") %}{{ t.k }} {{ now() }}{% endblock content %}");
    write(r, "themes/t/templates/section.html", "{% extends \"base.html\" %}{% block content %}SECTION {{ section.title }}{% for p in section.pages %}({{ p.title }}:{{ p.date }}){% endfor %}{% endblock content %}");
    write(r, "themes/t/templates/page.html", "{% extends \"base.html\" %}{% block title %}{{ page.title }} - {{ super() }}{% endblock title %}{% block content %}THEME PAGE {{ page.content | safe }}{% endblock content %}");
    write(r, "themes/t/templates/special.html", "{% extends \"base.html\" %}{% block content %}SPECIAL {{ page.extra.color }} {{ \"*hi*\" | markdown(inline=true) | safe }} {{ page.title | slugify }} {{ page.date | date(format=\"%d/%m/%Y\") }}{% endblock content %}");
    write(r, "themes/t/static/style.css", "theme css");
    write(r, "themes/t/static/keep.txt", "theme keep");
    write(r, "static/style.css", "site css");
    write(r, "templates/page.html", "{% extends \"base.html\" %}{% block title %}{{ page.title }} - {{ super() }}{% endblock title %}{% block content %}SITE PAGE {{ page.content | safe }}{% endblock content %}");
    write(r, "data/d.csv", "a,b\n1,2\n3,4\n");
    write(r, "data/t.toml", "k = \"toml value\"\n");
    write(
        r,
        "content/_index.md",
        "+++\ntitle = \"Home\"\n+++\nWelcome to [the blog](@/blog/_index.md).\n",
    );
    write(
        r,
        "content/blog/_index.md",
        "+++\ntitle = \"Blog\"\nsort_by = \"date\"\ngenerate_feeds = true\n+++\n",
    );
    write(
        r,
        "content/blog/a.md",
        "+++\ntitle = \"Older\"\ndate = 2025-01-01\n+++\n# Title\n\nText <!-- more --> rest.\n",
    );
    write(r, "content/blog/b.md", "+++\ntitle = \"Newer\"\ndate = 2025-06-01\ntemplate = \"special.html\"\n[extra]\ncolor = \"red\"\n+++\nB\n");
    write(
        r,
        "content/blog/draft.md",
        "+++\ntitle = \"Draft\"\ndraft = true\n+++\n",
    );
    write(
        r,
        "content/docs/_index.md",
        "+++\ntitle = \"Docs\"\nsort_by = \"weight\"\n+++\n",
    );
    write(
        r,
        "content/docs/z.md",
        "+++\ntitle = \"Z first\"\nweight = 1\n+++\n",
    );
    write(
        r,
        "content/docs/a.md",
        "+++\ntitle = \"A second\"\nweight = 2\n+++\n",
    );
    tmp
}

fn read(dir: &Path, rel: &str) -> String {
    std::fs::read_to_string(dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn renders_a_zola_project() {
    let proj = project();
    let out = proj.path().join("public");
    let report = render_site(proj.path(), &out, None, time()).unwrap();
    assert_eq!(report.pages, 4, "drafts skipped");

    let home = read(&out, "index.html");
    assert!(
        home.contains("HOME <p>Welcome to <a href=\"https://ex.test/blog/\">the blog</a>.</p>"),
        "{home}"
    );
    assert!(
        home.contains("[blog&#x2F;_index.md][docs&#x2F;_index.md]"),
        "{home}"
    );
    assert!(
        home.contains("<Newer><Older>"),
        "date sort newest first: {home}"
    );
    assert!(
        home.contains(" https://ex.test/blog/b/ ") && !home.contains("https:&#x2F;"),
        "get_url output is not escaped, as in Zola: {home}"
    );
    assert!(home.contains("a|b:2"), "csv load_data: {home}");
    assert!(home.contains("toml value"));
    assert!(
        home.contains("2026-01-02T00:00:00+00:00"),
        "now() is the build time"
    );
    assert!(
        home.contains("Hello &lt;world&gt;"),
        "config.extra autoescaped"
    );

    let docs = read(&out, "docs/index.html");
    assert!(
        docs.contains("(Z first:)(A second:)"),
        "weight sort: {docs}"
    );

    let a = read(&out, "blog/a/index.html");
    assert!(
        a.starts_with("<title>Older - Ex &amp; Co</title>"),
        "block + super(): {a}"
    );
    assert!(
        a.contains("SITE PAGE"),
        "site template overrides the theme's"
    );
    assert!(
        a.contains("<h1 id=\"title\">Title</h1>"),
        "heading ids: {a}"
    );

    let b = read(&out, "blog/b/index.html");
    assert!(
        b.contains("SPECIAL red <em>hi</em> newer 01&#x2F;06&#x2F;2025"),
        "{b}"
    );

    assert_eq!(read(&out, "style.css"), "site css", "site static wins");
    assert_eq!(read(&out, "keep.txt"), "theme keep");

    let feed = read(&out, "blog/atom.xml");
    assert!(feed.find("Newer").unwrap() < feed.find("Older").unwrap());
    assert!(
        feed.contains("<id>https://ex.test/blog/atom.xml</id>"),
        "{feed}"
    );
    assert!(read(&out, "atom.xml").contains("Newer"), "site-wide feed");
    let sitemap = read(&out, "sitemap.xml");
    assert!(sitemap.contains("<loc>https://ex.test/blog/a/</loc>"));
    assert!(sitemap.contains("<lastmod>2025-01-01</lastmod>"));
    assert!(!sitemap.contains("draft"));
    assert!(read(&out, "robots.txt").contains("Sitemap: https://ex.test/sitemap.xml"));
}

#[test]
fn local_base_url_links_to_index_html() {
    let proj = project();
    let out = proj.path().join("public");
    render_site(proj.path(), &out, Some("file:///srv/site"), time()).unwrap();
    let home = read(&out, "index.html");
    assert!(
        home.contains("href=\"file:///srv/site/blog/index.html\""),
        "{home}"
    );
}

#[test]
fn unknown_function_filter_and_test_name_the_template_and_line() {
    for (snippet, expected) in [
        (
            "{{ get_taxonomy_url(kind=\"tags\", term=\"x\") }}",
            "unsupported function `get_taxonomy_url`",
        ),
        ("{{ 5 | num_format }}", "unsupported filter `num_format`"),
        ("{% if x is prime %}{% endif %}", "unsupported test `prime`"),
    ] {
        let proj = project();
        write(
            proj.path(),
            "templates/section.html",
            &format!("line one\nline two\n{snippet}\n"),
        );
        let err = render_site(proj.path(), &proj.path().join("public"), None, time()).unwrap_err();
        let text = format!("{err:#}");
        assert!(
            text.contains(&format!("templates/section.html:3: {expected}")),
            "{text}"
        );
    }
}

#[test]
fn errors_name_the_file() {
    let proj = project();
    write(proj.path(), "content/blog/bad.md", "+++\ntitle = \n+++\n");
    let err = format!(
        "{:#}",
        render_site(proj.path(), &proj.path().join("p"), None, time()).unwrap_err()
    );
    assert!(err.contains("content/blog/bad.md"), "{err}");

    let proj = project();
    write(
        proj.path(),
        "content/blog/link.md",
        "+++\ntitle = \"L\"\n+++\n[x](@/nowhere.md)\n",
    );
    let err = format!(
        "{:#}",
        render_site(proj.path(), &proj.path().join("p"), None, time()).unwrap_err()
    );
    assert!(
        err.contains("content/blog/link.md") && err.contains("@/nowhere.md"),
        "{err}"
    );

    let proj = project();
    write(
        proj.path(),
        "templates/section.html",
        "{% block content %}\n{{ missing_variable.x }}{% endblock content %}",
    );
    let err = format!(
        "{:#}",
        render_site(proj.path(), &proj.path().join("p"), None, time()).unwrap_err()
    );
    assert!(
        err.contains("section.html") && err.contains("missing_variable"),
        "{err}"
    );

    let proj = project();
    write(
        proj.path(),
        "templates/index.html",
        "{{ load_data(path=\"../../etc/passwd\") }}",
    );
    let err = format!(
        "{:#}",
        render_site(proj.path(), &proj.path().join("p"), None, time()).unwrap_err()
    );
    assert!(err.contains("must stay inside the site directory"), "{err}");

    let proj = project();
    write(proj.path(), "templates/index.html", "{% block x %}");
    let err = format!(
        "{:#}",
        render_site(proj.path(), &proj.path().join("p"), None, time()).unwrap_err()
    );
    assert!(err.contains("index.html"), "{err}");
}
