//! Writes the staged Zola project: a copy of `site/` and the theme, plus the
//! public view of the data as `data/*.json`, generated content pages
//! (`content/updates/*.md`, `content/subprocessors/*.md`, section
//! `_index.md` files the site does not provide), the public files, and
//! `static/trust.json` and `static/.well-known/security.txt`.
//!
//! A real `zola build` run on the staged directory renders the same site.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use serde_json::{json, Value};

use super::criteria::{self, Catalog};
use super::engine::config::Config;
use super::engine::tree::Tree;
use super::public::{self, PublicView, Report};
use super::summary::{frameworks, key_facts, latest_audit, subprocessors_json};
use super::{faq_page, safe, search, security_txt, summary, trust_json};

/// Where staging reads from.
pub struct StageOptions<'a> {
    /// The project root: `site/`, `themes/`, and the files reports point at.
    pub project: &'a Path,
    /// A real base URL written into the staged config.toml (else the site's).
    pub base_url: Option<&'a str>,
}

/// What staging wrote, for `--json` and tests.
#[derive(Debug, Clone, serde::Serialize)]
pub struct StageReport {
    pub base_url: String,
    pub files: usize,
    pub published_files: Vec<String>,
}

/// Builds the staged Zola project in memory.
pub fn stage(view: &PublicView, opts: &StageOptions) -> Result<(Tree, StageReport)> {
    let site = opts.project.join("site");
    if !site.join("config.toml").is_file() {
        bail!(
            "{}: missing site/config.toml (the Zola project of the trust center)",
            opts.project.display()
        );
    }
    let mut tree = Tree::new();
    tree.add_dir_within(&site, "", opts.project)?;
    let config_path = site.join("config.toml");
    let mut config_text = std::fs::read_to_string(&config_path)
        .with_context(|| format!("cannot read {}", config_path.display()))?;
    if let Some(url) = opts.base_url {
        config_text = replace_base_url(&config_text, url);
        tree.insert("config.toml", config_text.clone());
    }
    let config = Config::parse(&config_text).context("site/config.toml")?;
    if let Some(theme) = &config.theme {
        super::theme::add_theme(&mut tree, opts.project, theme)?;
    }
    let catalog = Catalog::new(view);
    let mut stager = Stager {
        view,
        catalog: &catalog,
        project: opts.project,
        site_content: site.join("content"),
        base_url: config.base_url.clone(),
        tree,
        published: Vec::new(),
    };
    stager.write_data()?;
    stager.write_content()?;
    stager.write_catalog_pages()?;
    stager.write_search_index()?;
    stager.write_well_known()?;
    let report = StageReport {
        base_url: stager.base_url,
        files: stager.tree.len(),
        published_files: stager.published,
    };
    Ok((stager.tree, report))
}

struct Stager<'a> {
    view: &'a PublicView,
    catalog: &'a Catalog<'a>,
    project: &'a Path,
    /// `site/content`, whose section files take precedence over generated ones.
    site_content: PathBuf,
    base_url: String,
    tree: Tree,
    published: Vec<String>,
}

impl Stager<'_> {
    fn write(&mut self, rel: &str, bytes: &[u8]) -> Result<()> {
        self.tree.insert(rel, bytes);
        Ok(())
    }

    fn write_json(&mut self, rel: &str, value: &Value) -> Result<()> {
        let mut text = serde_json::to_string_pretty(value)?;
        text.push('\n');
        self.write(rel, text.as_bytes())
    }

    /// Copies a public file into `static/files/` and returns its site path.
    fn publish(&mut self, rel: &str) -> Result<String> {
        let src = crate::guard::resolve_file(self.project, rel)
            .map_err(|msg| anyhow::anyhow!("{rel}: error: {msg}"))?;
        let bytes = std::fs::read(&src).with_context(|| format!("cannot read {rel}"))?;
        let site_path = format!("files/{}", rel.strip_prefix("data/files/").unwrap_or(rel));
        self.write(&format!("static/{site_path}"), &bytes)?;
        self.published.push(site_path.clone());
        Ok(site_path)
    }

    /// Where to ask for a gated item. A request form's URL gets
    /// `?document=<title>` so the request names what is asked for.
    fn request_url(&self, title: &str) -> String {
        let company = &self.view.company;
        if let Some(url) = &company.request_access_url {
            let sep = if url.contains('?') { '&' } else { '?' };
            let (base, fragment) = match url.split_once('#') {
                Some((b, f)) => (b, format!("#{f}")),
                None => (url.as_str(), String::new()),
            };
            return format!("{base}{sep}document={}{fragment}", percent_encode(title));
        }
        if company.security_contact.starts_with("https://") {
            return company.security_contact.clone();
        }
        let subject = format!("Access request: {title}");
        format!(
            "mailto:{}?subject={}",
            company.security_contact,
            percent_encode(&subject)
        )
    }

    fn write_data(&mut self) -> Result<()> {
        let company = self.company_json()?;
        self.write_json("data/company.json", &company)?;
        let summary = self.summary_json();
        self.write_json("data/summary.json", &summary)?;
        let controls = criteria::controls_json(self.view, self.catalog);
        self.write_json("data/controls.json", &controls)?;
        let criteria = criteria::criteria_json(self.catalog);
        self.write_json("data/criteria.json", &criteria)?;
        let faq = faq_page::faq_json(self.view, self.catalog);
        self.write_json("data/faq.json", &faq)?;
        let reports = self.reports_json()?;
        self.write_json("data/reports.json", &reports)?;
        let documents = self.documents_json()?;
        self.write_json("data/documents.json", &documents)?;
        let subprocessors = subprocessors_json(self.view);
        self.write_json("data/subprocessors.json", &subprocessors)
    }

    fn company_json(&mut self) -> Result<Value> {
        let c = &self.view.company;
        let logo = match &c.logo {
            Some(rel) => Some(self.publish(rel)?),
            None => None,
        };
        let c = &self.view.company;
        let (contact_url, contact_label) =
            if c.security_contact.contains('@') && !c.security_contact.starts_with("http") {
                (
                    format!("mailto:{}", c.security_contact),
                    c.security_contact.clone(),
                )
            } else {
                (c.security_contact.clone(), c.security_contact.clone())
            };
        Ok(json!({
            "name": c.name,
            "website": c.website,
            "security_contact": c.security_contact,
            "contact_url": contact_url,
            "contact_label": contact_label,
            "request_access_url": c.request_access_url.clone().unwrap_or_else(|| self.request_url("documents")),
            "vulnerability_policy_url": c.vulnerability_policy_url,
            "logo": logo,
            "description_html": markdown_html(&c.description),
            "boundaries": c.boundaries.iter().map(|(name, text)| json!({
                "name": name,
                "label": title_case(name),
                "html": markdown_html(text),
            })).collect::<Vec<_>>(),
            "commitments": c.commitments,
            "requirements": c.requirements,
            "categories": c.categories.iter().map(|id| json!({
                "id": id,
                "label": public::category_label(id),
                "blurb": public::category_blurb(id),
            })).collect::<Vec<_>>(),
        }))
    }

    fn summary_json(&self) -> Value {
        let view = self.view;
        let public_controls = view.controls.iter().filter(|c| !c.listed_only).count();
        let implemented = view
            .controls
            .iter()
            .filter(|c| c.status == "implemented")
            .count();
        let criteria: BTreeSet<&str> = view
            .controls
            .iter()
            .flat_map(|c| c.criteria.iter().map(String::as_str))
            .collect();
        json!({
            "build_date": view.build_date.to_string(),
            "latest_audit": latest_audit(view),
            "frameworks": frameworks(view),
            "key_facts": key_facts(view),
            "counts": {
                "controls": view.controls.len(),
                "public_controls": public_controls,
                "implemented": implemented,
                "criteria": criteria.len(),
                "subprocessors": view.subprocessors.len(),
                "documents": view.documents.len(),
                "reports": view.reports.len(),
            },
        })
    }

    fn reports_json(&mut self) -> Result<Value> {
        let view = self.view;
        let anchors = report_anchors(view);
        let mut order: Vec<usize> = (0..view.reports.len()).collect();
        order.sort_by(|&a, &b| {
            let (ra, rb) = (&view.reports[a], &view.reports[b]);
            rb.date()
                .cmp(&ra.date())
                .then_with(|| ra.title.cmp(&rb.title))
        });
        let mut out = Vec::new();
        for &i in &order {
            // A bridge letter is shown under the report it extends.
            if summary::bridged_report(view, i).is_some() {
                continue;
            }
            let mut item = self.report_item(i, &anchors[i])?;
            let mut bridges = Vec::new();
            for &b in order
                .iter()
                .filter(|&&b| summary::bridged_report(view, b) == Some(i))
            {
                bridges.push(self.report_item(b, &anchors[b])?);
            }
            item["bridges"] = Value::Array(bridges);
            out.push(item);
        }
        Ok(Value::Array(out))
    }

    fn report_item(&mut self, index: usize, anchor: &str) -> Result<Value> {
        let r: &Report = &self.view.reports[index];
        let mut item = json!({
            "title": r.title,
            "anchor": anchor,
            "kind": r.kind,
            "kind_label": public::report_kind_label(&r.kind),
            "access": r.access,
            "date": r.date().map(|d| d.to_string()),
            "period_start": r.period_start.map(|d| d.to_string()),
            "period_end": r.period_end.map(|d| d.to_string()),
            "as_of": r.as_of.map(|d| d.to_string()),
            "valid_until": r.valid_until.map(|d| d.to_string()),
            "categories": r.categories.iter().map(|c| public::category_label(c)).collect::<Vec<_>>(),
            "auditor": null, "opinion": null, "opinion_notes": [], "summary_html": null, "url": null, "request_url": null,
        });
        match &r.details {
            Some(d) => {
                item["auditor"] = json!(d.auditor);
                item["opinion"] = json!(d.opinion);
                if r.is_soc() {
                    let reading = d.opinion.as_deref().map(summary::read_opinion);
                    let mut notes = Vec::new();
                    if let Some(o) = reading {
                        if o.kind == "qualified" {
                            notes.push("Qualified opinion");
                        }
                        if o.exceptions {
                            notes.push("Exception noted");
                        }
                    }
                    item["opinion_notes"] = json!(notes);
                }
                item["summary_html"] = json!(d.summary.as_deref().map(markdown_html));
                if let Some(file) = &d.file {
                    item["url"] = json!(self.publish(file)?);
                }
            }
            None => item["request_url"] = json!(self.request_url(&r.title)),
        }
        Ok(item)
    }

    fn documents_json(&mut self) -> Result<Value> {
        let order = ["policy", "whitepaper", "certificate", "legal", "other"];
        let anchors = document_anchors(self.view);
        let mut docs: Vec<(usize, &public::Document)> =
            self.view.documents.iter().enumerate().collect();
        docs.sort_by(|(_, a), (_, b)| {
            let rank = |k: &str| order.iter().position(|o| *o == k).unwrap_or(order.len());
            rank(&a.kind)
                .cmp(&rank(&b.kind))
                .then_with(|| a.kind.cmp(&b.kind))
                .then_with(|| a.title.cmp(&b.title))
        });
        let mut groups: Vec<Value> = Vec::new();
        for (i, d) in docs {
            let mut item = json!({
                "title": d.title,
                "anchor": anchors[i],
                "kind": d.kind,
                "access": d.access,
                "updated": d.updated.map(|x| x.to_string()),
                "summary_html": null, "url": null, "request_url": null,
            });
            match &d.details {
                Some(details) => {
                    item["summary_html"] = json!(details.summary.as_deref().map(markdown_html));
                    if let Some(file) = &details.file {
                        item["url"] = json!(self.publish(file)?);
                    }
                }
                None => item["request_url"] = json!(self.request_url(&d.title)),
            }
            let same_kind = groups.last().is_some_and(|g| g["kind"] == json!(d.kind));
            if !same_kind {
                groups.push(json!({
                    "kind": d.kind,
                    "label": plural_label(&d.kind),
                    "items": [],
                }));
            }
            if let Some(Value::Array(items)) = groups.last_mut().map(|g| &mut g["items"]) {
                items.push(item);
            }
        }
        Ok(json!({ "groups": groups }))
    }

    fn write_content(&mut self) -> Result<()> {
        let sections = [
            (
                "controls",
                "Controls",
                "controls.html",
                None,
                false,
                "Every control we operate, mapped to the AICPA Trust Services Criteria.",
            ),
            (
                "reports",
                "Reports",
                "reports.html",
                None,
                false,
                "Audit reports, certificates and test summaries.",
            ),
            (
                "documents",
                "Policies & documents",
                "documents.html",
                None,
                false,
                "Our security policies and other documents.",
            ),
            (
                "subprocessors",
                "Subprocessors",
                "subprocessors.html",
                Some("subprocessor.html"),
                true,
                "Third parties that process customer data on our behalf.",
            ),
            (
                "updates",
                "Updates",
                "updates.html",
                Some("update.html"),
                true,
                "Notices about our security program, reports and subprocessors.",
            ),
            (
                "faq",
                "Security FAQ",
                "faq.html",
                None,
                false,
                "Answers to the security questions customers ask us most.",
            ),
            (
                "criteria",
                "Trust Services Criteria",
                "criteria.html",
                Some("criterion.html"),
                false,
                "The AICPA Trust Services Criteria in our audit scope, in plain words, with the controls that meet each one.",
            ),
            (
                "search",
                "Search",
                "search.html",
                None,
                false,
                "Search controls, criteria, questions, documents, subprocessors and updates.",
            ),
        ];
        for (dir, title, template, page_template, feeds, description) in sections {
            let rel = format!("content/{dir}/_index.md");
            if self.site_content.join(dir).join("_index.md").exists() {
                continue;
            }
            let mut front = toml::Table::new();
            front.insert("title".into(), title.into());
            front.insert("description".into(), description.into());
            front.insert("template".into(), template.into());
            if let Some(p) = page_template {
                front.insert("page_template".into(), p.into());
                if feeds {
                    front.insert("sort_by".into(), "date".into());
                }
            }
            if feeds {
                front.insert("generate_feeds".into(), true.into());
            }
            self.write(&rel, front_matter(&front, "")?.as_bytes())?;
        }
        for update in &self.view.updates {
            let mut front = toml::Table::new();
            front.insert("title".into(), update.title.clone().into());
            front.insert("date".into(), update.date.to_string().into());
            // Pre-rendered: raw HTML escaped, unsafe links dropped, the
            // same for Zola and the builtin engine.
            let text = front_matter(&front, &safe::markdown_as_content(&update.body))?;
            self.write(
                &format!("content/updates/{}.md", update.slug),
                text.as_bytes(),
            )?;
        }
        let slugs = subprocessor_slugs(self.view);
        for (sub, slug) in self.view.subprocessors.iter().zip(slugs) {
            let mut front = toml::Table::new();
            front.insert("title".into(), sub.name.clone().into());
            front.insert("description".into(), sub.purpose.clone().into());
            front.insert("date".into(), sub.since.to_string().into());
            let mut extra = toml::Table::new();
            extra.insert("purpose".into(), sub.purpose.clone().into());
            extra.insert("data".into(), sub.data.clone().into());
            extra.insert("location".into(), sub.location.clone().into());
            if let Some(w) = &sub.website {
                extra.insert("website".into(), w.clone().into());
            }
            front.insert("extra".into(), extra.into());
            let body = format!(
                "{} processes {} for {}, from {}.\n",
                escape_markdown(&sub.name),
                escape_markdown(&lowercase_first(&sub.data)),
                escape_markdown(&lowercase_first(&sub.purpose)),
                escape_markdown(&sub.location)
            );
            let text = front_matter(&front, &body)?;
            self.write(&format!("content/subprocessors/{slug}.md"), text.as_bytes())?;
        }
        Ok(())
    }

    /// A page per criterion with a page and per public control; their data
    /// rides in the front matter's `extra`, so templates need no lookups.
    fn write_catalog_pages(&mut self) -> Result<()> {
        let control_pages = self.control_pages();
        for c in &self.catalog.criteria {
            let text = front_matter(&criterion_front(c, &control_pages), "")?;
            self.write(&format!("content/criteria/{}.md", c.slug), text.as_bytes())?;
        }
        let faq_by_control = faq_page::by_control(self.view);
        for (i, c) in self.view.controls.iter().enumerate() {
            let (Some(id), Some(slug)) = (&c.id, &self.catalog.control_slugs[i]) else {
                continue;
            };
            let front = control_front(self.catalog, c, id, faq_by_control.get(id.as_str()));
            let text = front_matter(&front, "")?;
            self.write(&format!("content/controls/{slug}.md"), text.as_bytes())?;
        }
        Ok(())
    }

    /// Content path of each public control's page, by control id.
    fn control_pages(&self) -> std::collections::BTreeMap<String, String> {
        self.view
            .controls
            .iter()
            .enumerate()
            .filter_map(|(i, c)| Some((c.id.clone()?, self.catalog.control_page(i)?)))
            .collect()
    }

    fn write_search_index(&mut self) -> Result<()> {
        let index = search::index_js(self.view, self.catalog)?;
        self.write("static/search-index.js", index.as_bytes())
    }

    fn write_well_known(&mut self) -> Result<()> {
        let txt = security_txt::render(self.view, &self.base_url);
        self.write("static/.well-known/security.txt", txt.as_bytes())?;
        let trust = trust_json::build(self.view, &self.base_url);
        self.write_json("static/trust.json", &trust)
    }
}

fn table(pairs: Vec<(&str, toml::Value)>) -> toml::Table {
    pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}

fn chip_table(chip: &Value) -> toml::Value {
    let mut t = toml::Table::new();
    for key in ["id", "title", "page"] {
        if let Some(s) = chip[key].as_str() {
            t.insert(key.into(), s.into());
        }
    }
    t.into()
}

fn criterion_front(
    c: &criteria::Criterion,
    control_pages: &std::collections::BTreeMap<String, String>,
) -> toml::Table {
    let controls: Vec<toml::Value> = c
        .controls
        .iter()
        .map(|ctl| {
            let mut t = table(vec![
                ("title", ctl.title.clone().into()),
                ("status", ctl.status.clone().into()),
                (
                    "status_label",
                    super::summary::status_label(&ctl.status).into(),
                ),
            ]);
            if let Some(id) = &ctl.id {
                t.insert("id".into(), id.clone().into());
                if let Some(page) = control_pages.get(id) {
                    t.insert("page".into(), page.clone().into());
                }
            }
            if let Some(d) = &ctl.description {
                t.insert("description".into(), d.clone().into());
            }
            t.into()
        })
        .collect();
    let faq: Vec<toml::Value> = c
        .faq
        .iter()
        .map(|e| faq_page::link_table(e).into())
        .collect();
    let extra = table(vec![
        ("id", c.id.clone().into()),
        ("name", c.title.clone().into()),
        ("summary", c.description.clone().into()),
        ("category", c.category.into()),
        ("category_label", public::category_label(c.category).into()),
        ("group", c.group.clone().into()),
        ("group_title", c.group_title.clone().into()),
        ("in_scope", c.in_scope.into()),
        ("coverage", c.coverage().into()),
        (
            "coverage_label",
            criteria::coverage_label(c.coverage()).into(),
        ),
        ("controls", controls.into()),
        ("faq", faq.into()),
    ]);
    table(vec![
        ("title", format!("{} {}", c.id, c.title).into()),
        ("description", c.description.clone().into()),
        ("template", "criterion.html".into()),
        ("extra", extra.into()),
    ])
}

fn control_front(
    catalog: &Catalog,
    c: &public::Control,
    id: &str,
    faq: Option<&Vec<&public::FaqEntry>>,
) -> toml::Table {
    let chips: Vec<toml::Value> = catalog.chips(&c.criteria).iter().map(chip_table).collect();
    let mut categories: Vec<&str> = Vec::new();
    for cat in crate::tsc::Category::ALL {
        if c.criteria
            .iter()
            .any(|cr| public::criterion_category(cr) == cat.as_str())
        {
            categories.push(cat.label());
        }
    }
    let faq: Vec<toml::Value> = faq
        .map(|entries| {
            entries
                .iter()
                .map(|e| faq_page::link_table(e).into())
                .collect()
        })
        .unwrap_or_default();
    let mut extra = table(vec![
        ("id", id.into()),
        ("name", c.title.clone().into()),
        ("status", c.status.clone().into()),
        (
            "status_label",
            super::summary::status_label(&c.status).into(),
        ),
        ("criteria", chips.into()),
        (
            "categories",
            categories
                .into_iter()
                .map(toml::Value::from)
                .collect::<Vec<_>>()
                .into(),
        ),
        ("faq", faq.into()),
    ]);
    if let Some(d) = &c.domain {
        extra.insert("domain".into(), d.clone().into());
    }
    if let Some(d) = c.last_tested {
        extra.insert("last_tested".into(), d.to_string().into());
    }
    if let Some(d) = &c.description {
        extra.insert("summary".into(), d.clone().into());
    }
    table(vec![
        ("title", format!("{id} {}", c.title).into()),
        (
            "description",
            c.description.clone().unwrap_or_default().into(),
        ),
        ("template", "control.html".into()),
        ("extra", extra.into()),
    ])
}

/// The page slug of each subprocessor (by index into `view.subprocessors`).
pub(crate) fn subprocessor_slugs(view: &PublicView) -> Vec<String> {
    let mut used = BTreeSet::new();
    view.subprocessors
        .iter()
        .map(|s| unique_slug(&s.name, &mut used))
        .collect()
}

/// The anchor of each report on `/reports/` (by index into `view.reports`).
pub(crate) fn report_anchors(view: &PublicView) -> Vec<String> {
    let mut used = BTreeSet::new();
    view.reports
        .iter()
        .map(|r| format!("report-{}", unique_slug(&r.title, &mut used)))
        .collect()
}

/// The anchor of each document on `/documents/`.
pub(crate) fn document_anchors(view: &PublicView) -> Vec<String> {
    let mut used = BTreeSet::new();
    view.documents
        .iter()
        .map(|d| format!("doc-{}", unique_slug(&d.title, &mut used)))
        .collect()
}

/// Replaces the top-level `base_url = ...` line, keeping the rest verbatim.
fn replace_base_url(config: &str, url: &str) -> String {
    let line = format!("base_url = {}", toml::Value::String(url.to_string()));
    let mut done = false;
    let mut out: Vec<String> = config
        .lines()
        .map(|l| {
            if !done && l.trim_start().starts_with("base_url") {
                done = true;
                line.clone()
            } else {
                l.to_string()
            }
        })
        .collect();
    if !done {
        out.insert(0, line);
    }
    out.join("\n") + "\n"
}

fn front_matter(front: &toml::Table, body: &str) -> Result<String> {
    let toml = toml::to_string(front)?;
    Ok(format!("+++\n{toml}+++\n{body}"))
}

pub use super::safe::markdown_html;

/// Markdown-inert text: HTML-significant and emphasis characters escaped.
fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '!' | '|' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match (chars.next(), chars.clone().next()) {
        // Keep acronyms such as "AWS" or "PII".
        (Some(first), Some(second)) if first.is_uppercase() && !second.is_uppercase() => {
            first.to_lowercase().chain(chars).collect()
        }
        _ => text.to_string(),
    }
}

fn unique_slug(name: &str, used: &mut BTreeSet<String>) -> String {
    let base = match slug::slugify(name) {
        s if s.is_empty() => "item".to_string(),
        s => s,
    };
    let mut slug = base.clone();
    let mut n = 2;
    while !used.insert(slug.clone()) {
        slug = format!("{base}-{n}");
        n += 1;
    }
    slug
}

pub fn percent_encode(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub(crate) fn title_case(name: &str) -> String {
    let mut chars = name.replace(['_', '-'], " ").chars().collect::<Vec<_>>();
    if let Some(first) = chars.first_mut() {
        *first = first.to_ascii_uppercase();
    }
    chars.into_iter().collect()
}

fn plural_label(kind: &str) -> &str {
    match kind {
        "policy" => "Policies",
        "whitepaper" => "Whitepapers",
        "certificate" => "Certificates",
        "legal" => "Legal",
        _ => "Other documents",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_line_is_replaced() {
        let c = replace_base_url("title = \"x\"\nbase_url = \"https://a\"\n", "https://b");
        assert!(c.contains("base_url = \"https://b\"") && !c.contains("https://a"));
    }

    #[test]
    fn helpers() {
        assert_eq!(
            percent_encode("Access request: SOC 2"),
            "Access%20request%3A%20SOC%202"
        );
        assert_eq!(lowercase_first("Customer data"), "customer data");
        assert_eq!(lowercase_first("PII"), "PII");
        assert_eq!(escape_markdown("a<b>*c*"), "a&lt;b&gt;\\*c\\*");
    }
}
