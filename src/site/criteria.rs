//! Controls and criteria as the site shows them: a page per TSC criterion
//! (in scope, or cited by a listed control or FAQ entry), a page per public
//! control, and the controls page grouped by category and criterion group,
//! with each control under **every** category and group it maps to.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Value};

use super::public::{self, Control, FaqEntry, PublicView};
use super::summary::status_label;

/// Where a criterion or control page lives in the staged content tree.
pub fn criterion_slug(id: &str) -> String {
    slug::slugify(id)
}

/// One criterion with a page.
pub struct Criterion<'a> {
    pub id: String,
    pub slug: String,
    pub title: String,
    pub description: String,
    pub category: &'static str,
    pub group: String,
    pub group_title: String,
    pub in_scope: bool,
    pub controls: Vec<&'a Control>,
    pub faq: Vec<&'a FaqEntry>,
}

impl Criterion<'_> {
    /// `covered` (an implemented control), `partial` (only planned or
    /// in-progress ones) or `none`.
    pub fn coverage(&self) -> &'static str {
        if self.controls.iter().any(|c| c.status == "implemented") {
            "covered"
        } else if self.controls.is_empty() {
            "none"
        } else {
            "partial"
        }
    }
}

pub fn coverage_label(coverage: &str) -> &'static str {
    match coverage {
        "covered" => "Covered",
        "partial" => "Partly covered",
        _ => "No control yet",
    }
}

/// The site's view of controls and criteria, computed once per build.
pub struct Catalog<'a> {
    /// Criteria with a page, in catalog order.
    pub criteria: Vec<Criterion<'a>>,
    by_id: BTreeMap<String, usize>,
    /// Page slug of each public control, by index into `view.controls`.
    pub control_slugs: Vec<Option<String>>,
}

impl<'a> Catalog<'a> {
    pub fn new(view: &'a PublicView) -> Catalog<'a> {
        let in_scope: BTreeSet<&str> = view.company.categories.iter().map(String::as_str).collect();
        let mut ids: BTreeSet<(usize, Vec<u32>, String)> = BTreeSet::new();
        let mut add = |id: &str| {
            if crate::tsc::get(id).is_some() {
                let (rank, numbers) = public::criterion_order(id);
                ids.insert((rank, numbers, id.to_string()));
            }
        };
        for c in crate::tsc::catalog() {
            if in_scope.contains(c.category.as_str()) {
                add(c.id);
            }
        }
        for c in &view.controls {
            c.criteria.iter().for_each(|id| add(id));
        }
        for e in &view.faq {
            e.criteria.iter().for_each(|id| add(id));
        }
        let mut criteria: Vec<Criterion<'a>> = ids
            .into_iter()
            .filter_map(|(_, _, id)| {
                let tsc = crate::tsc::get(&id)?;
                Some(Criterion {
                    slug: criterion_slug(&id),
                    title: tsc.title.to_string(),
                    description: tsc.description.to_string(),
                    category: public::criterion_category(&id),
                    group: tsc.group.to_string(),
                    group_title: public::group_title(tsc.group).to_string(),
                    in_scope: in_scope.contains(tsc.category.as_str()),
                    controls: Vec::new(),
                    faq: Vec::new(),
                    id,
                })
            })
            .collect();
        let by_id: BTreeMap<String, usize> = criteria
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.clone(), i))
            .collect();
        for c in &view.controls {
            let mut seen = BTreeSet::new();
            for id in &c.criteria {
                if let Some(&i) = by_id.get(id) {
                    if seen.insert(i) {
                        criteria[i].controls.push(c);
                    }
                }
            }
        }
        for e in &view.faq {
            for id in &e.criteria {
                if let Some(&i) = by_id.get(id) {
                    criteria[i].faq.push(e);
                }
            }
        }
        for c in &mut criteria {
            c.controls
                .sort_by(|a, b| a.id.cmp(&b.id).then_with(|| a.title.cmp(&b.title)));
        }
        let mut used = BTreeSet::new();
        let control_slugs = view
            .controls
            .iter()
            .map(|c| c.id.as_deref().map(|id| unique_slug(id, &mut used)))
            .collect();
        Catalog {
            criteria,
            by_id,
            control_slugs,
        }
    }

    pub fn get(&self, id: &str) -> Option<&Criterion<'a>> {
        self.by_id.get(id).map(|&i| &self.criteria[i])
    }

    /// A criterion chip: id, title (the tooltip) and its page, if it has one.
    pub fn chip(&self, id: &str) -> Value {
        match self.get(id) {
            Some(c) => json!({
                "id": id,
                "title": c.title,
                "page": format!("@/criteria/{}.md", c.slug),
            }),
            None => json!({
                "id": id,
                "title": crate::tsc::get(id).map(|t| t.title),
                "page": null,
            }),
        }
    }

    /// Chips for a list of criteria, in catalog order.
    pub fn chips(&self, ids: &[String]) -> Vec<Value> {
        let mut ids: Vec<&String> = ids.iter().collect();
        ids.sort_by_key(|id| public::criterion_order(id));
        ids.dedup();
        ids.into_iter().map(|id| self.chip(id)).collect()
    }

    /// The content path of a public control's page.
    pub fn control_page(&self, index: usize) -> Option<String> {
        self.control_slugs[index]
            .as_ref()
            .map(|s| format!("@/controls/{s}.md"))
    }
}

fn unique_slug(id: &str, used: &mut BTreeSet<String>) -> String {
    let base = match slug::slugify(id) {
        s if s.is_empty() => "control".to_string(),
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

/// Categories in display order: the ones in scope (as the company lists
/// them), then any other category a control maps to.
fn display_categories(view: &PublicView) -> Vec<(&'static str, bool)> {
    let mut out: Vec<(&'static str, bool)> = Vec::new();
    for cat in crate::tsc::Category::ALL {
        if view.company.categories.iter().any(|c| c == cat.as_str()) {
            out.push((cat.as_str(), true));
        }
    }
    for cat in crate::tsc::Category::ALL {
        let used = view.controls.iter().any(|c| {
            c.criteria
                .iter()
                .any(|id| public::criterion_category(id) == cat.as_str())
        });
        if used && !out.iter().any(|(c, _)| *c == cat.as_str()) {
            out.push((cat.as_str(), false));
        }
    }
    out
}

/// `data/controls.json`: the summary matrix (categories × status) and the
/// controls grouped by category then criterion group, as one flat list of
/// `rows` in display order. A control appears under every category and
/// group it maps to. The first row of a category or group carries
/// `category` / `group`, the last one `group_end` / `category_end`:
/// templates render it with a single loop, which Tera does much faster than
/// nested loops over data from `load_data`.
pub fn controls_json(view: &PublicView, catalog: &Catalog) -> Value {
    let categories = display_categories(view);
    let mut matrix = Vec::new();
    let mut toc = Vec::new();
    let mut rows: Vec<Value> = Vec::new();
    for &(category, in_scope) in &categories {
        let members: Vec<usize> = (0..view.controls.len())
            .filter(|&i| {
                view.controls[i]
                    .criteria
                    .iter()
                    .any(|id| public::criterion_category(id) == category)
            })
            .collect();
        if members.is_empty() && !in_scope {
            continue;
        }
        let count = |status: &str| {
            members
                .iter()
                .filter(|&&i| view.controls[i].status == status)
                .count()
        };
        matrix.push(json!({
            "id": category,
            "label": public::category_label(category),
            "in_scope": in_scope,
            "implemented": count("implemented"),
            "in_progress": count("in-progress"),
            "planned": count("planned"),
            "total": members.len(),
        }));
        toc.push(json!({
            "id": category,
            "label": public::category_label(category),
            "count": members.len(),
        }));
        let groups = groups_of(view, &members, category);
        let first_row = rows.len();
        let group_count = groups.len();
        for (g, (group, items)) in groups.into_iter().enumerate() {
            let implemented = items
                .iter()
                .filter(|&&i| view.controls[i].status == "implemented")
                .count();
            let n = items.len();
            for (k, &i) in items.iter().enumerate() {
                let c = &view.controls[i];
                rows.push(json!({
                    "category": null,
                    "group": (k == 0).then(|| json!({
                        "id": group,
                        "title": public::group_title(&group),
                        "count": n,
                        "implemented": implemented,
                    })),
                    "group_end": k + 1 == n,
                    "category_end": k + 1 == n && g + 1 == group_count,
                    "key": control_key(c, i),
                    "id": c.id,
                    "page": catalog.control_page(i),
                    "title": c.title,
                    "description": c.description,
                    "criteria": catalog.chips(&c.criteria),
                    "status": c.status,
                    "status_label": status_label(&c.status),
                    "listed_only": c.listed_only,
                }));
            }
        }
        if let Some(first) = rows.get_mut(first_row) {
            first["category"] = json!({
                "id": category,
                "label": public::category_label(category),
                "in_scope": in_scope,
                "count": members.len(),
            });
        }
    }
    let count = |status: &str| view.controls.iter().filter(|c| c.status == status).count();
    json!({
        "total": view.controls.len(),
        "implemented": count("implemented"),
        "in_progress": count("in-progress"),
        "planned": count("planned"),
        "matrix": matrix,
        "categories": toc,
        "rows": rows,
    })
}

/// The criterion groups of one category with their controls (indices), in
/// catalog order; a control sits in every group of the category it maps to.
fn groups_of(view: &PublicView, members: &[usize], category: &str) -> Vec<(String, Vec<usize>)> {
    type Key = (usize, Vec<u32>);
    let mut groups: BTreeMap<Key, (String, Vec<usize>)> = BTreeMap::new();
    for &i in members {
        let mut seen = BTreeSet::new();
        for id in &view.controls[i].criteria {
            if public::criterion_category(id) != category {
                continue;
            }
            let group = public::criterion_group(id).to_string();
            if seen.insert(group.clone()) {
                groups
                    .entry(public::criterion_order(&group))
                    .or_insert_with(|| (group, Vec::new()))
                    .1
                    .push(i);
            }
        }
    }
    groups
        .into_values()
        .map(|(g, mut items)| {
            items.sort_by(|&a, &b| display_order(&view.controls[a], &view.controls[b]));
            (g, items)
        })
        .collect()
}

/// Public controls by id, then the ones listed by title only.
fn display_order(a: &Control, b: &Control) -> std::cmp::Ordering {
    (a.listed_only, &a.id, &a.title).cmp(&(b.listed_only, &b.id, &b.title))
}

/// What identifies a control across its repeated rows (the filter counts
/// each control once).
fn control_key(c: &Control, index: usize) -> String {
    match &c.id {
        Some(id) => id.clone(),
        None => format!("listed-{index}"),
    }
}

/// `data/criteria.json`: every criterion with a page, grouped by category,
/// for the criteria index page.
pub fn criteria_json(catalog: &Catalog) -> Value {
    let mut categories: Vec<Value> = Vec::new();
    for c in &catalog.criteria {
        let new = categories
            .last()
            .map(|cat| cat["id"] != json!(c.category))
            .unwrap_or(true);
        if new {
            categories.push(json!({
                "id": c.category,
                "label": public::category_label(c.category),
                "in_scope": c.in_scope,
                "criteria": [],
            }));
        }
        if let Some(Value::Array(items)) = categories.last_mut().map(|cat| &mut cat["criteria"]) {
            items.push(json!({
                "id": c.id,
                "title": c.title,
                "description": c.description,
                "page": format!("@/criteria/{}.md", c.slug),
                "controls": c.controls.len(),
                "faq": c.faq.len(),
                "coverage": c.coverage(),
                "coverage_label": coverage_label(c.coverage()),
            }));
        }
    }
    json!({ "total": catalog.criteria.len(), "categories": categories })
}
