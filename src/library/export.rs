//! `vouch library export`: the library as one table, one row per entry with
//! its variants joined (CSV or XLSX), or as one TOML file.
//!
//! The CSV reads back as a CSV library (`--library FILE.csv`): `controls`
//! holds control ids and TSC ids, `variants` one phrasing per line.

use anyhow::{Context, Result};
use rust_xlsxwriter::{Color, Format, FormatAlign, Workbook};
use serde::Serialize;

use super::edit::{render_entries, NewEntry};
use super::{Entry, Library, Visibility};

/// One exported entry.
#[derive(Debug, Clone, Serialize)]
pub struct ExportRow {
    pub id: String,
    pub question: String,
    pub variants: Vec<String>,
    pub answer: String,
    pub comment: String,
    /// Control ids, then TSC criteria.
    pub controls: Vec<String>,
    pub topic: Option<String>,
    pub tags: Vec<String>,
    pub owner: Option<String>,
    pub reviewed: Option<chrono::NaiveDate>,
    pub review_interval_days: Option<u32>,
    pub visibility: Visibility,
    pub status: super::Status,
    pub draft_variants: Vec<String>,
    pub file: String,
    pub line: usize,
}

/// Column title and width (characters) of the table forms.
const COLUMNS: [(&str, f64); 15] = [
    ("id", 12.0),
    ("question", 60.0),
    ("variants", 50.0),
    ("answer", 10.0),
    ("comment", 60.0),
    ("controls", 18.0),
    ("topic", 16.0),
    ("tags", 18.0),
    ("owner", 16.0),
    ("reviewed", 11.0),
    ("review_interval_days", 10.0),
    ("visibility", 10.0),
    ("status", 9.0),
    ("draft_variants", 40.0),
    ("file", 28.0),
];

/// The rows to export: `internal` entries only when asked for.
pub fn rows(lib: &Library, include_internal: bool) -> Vec<ExportRow> {
    lib.entries
        .iter()
        .filter(|e| include_internal || e.visibility != Visibility::Internal)
        .map(row)
        .collect()
}

fn row(e: &Entry) -> ExportRow {
    let mut controls = e.controls.clone();
    controls.extend(e.criteria.iter().cloned());
    ExportRow {
        id: e.id.clone(),
        question: e.question.clone(),
        variants: e.variants.clone(),
        answer: e.answer.clone(),
        comment: e.comment.clone(),
        controls,
        topic: e.topic.clone(),
        tags: e.tags.clone(),
        owner: e.owner.clone(),
        reviewed: e.reviewed,
        review_interval_days: e.review_interval_days,
        visibility: e.visibility,
        status: e.status,
        draft_variants: e.draft_variants.clone(),
        file: e.source.file.clone(),
        line: e.source.line,
    }
}

/// The cells of a row, in [`COLUMNS`] order.
fn cells(r: &ExportRow) -> [String; 15] {
    let vis = serde_json::to_value(r.visibility)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    [
        r.id.clone(),
        r.question.clone(),
        r.variants.join("\n"),
        r.answer.clone(),
        r.comment.clone(),
        r.controls.join("; "),
        r.topic.clone().unwrap_or_default(),
        r.tags.join("; "),
        r.owner.clone().unwrap_or_default(),
        r.reviewed.map(|d| d.to_string()).unwrap_or_default(),
        r.review_interval_days
            .map(|d| d.to_string())
            .unwrap_or_default(),
        vis,
        r.status.as_str().to_string(),
        r.draft_variants.join("\n"),
        r.file.clone(),
    ]
}

pub fn to_csv(rows: &[ExportRow]) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(COLUMNS.iter().map(|(t, _)| *t))?;
    for r in rows {
        w.write_record(cells(r))?;
    }
    w.into_inner().context("cannot write CSV")
}

/// A workbook with a frozen, filtered header and set column widths.
pub fn to_xlsx(rows: &[ExportRow]) -> Result<Vec<u8>> {
    build_xlsx(rows).context("cannot build the export workbook")
}

fn build_xlsx(rows: &[ExportRow]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Library")?;
    let header = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xD9E1F2))
        .set_text_wrap();
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    for (c, (title, width)) in COLUMNS.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *title, &header)?;
        sheet.set_column_width(c as u16, *width)?;
    }
    for (i, r) in rows.iter().enumerate() {
        for (c, value) in cells(r).iter().enumerate() {
            sheet.write_string_with_format(i as u32 + 1, c as u16, value, &wrap)?;
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, rows.len() as u32, COLUMNS.len() as u16 - 1)?;
    book.save_to_buffer()
}

/// All exported entries as one `answers/*.toml` file (e.g. to move a CSV
/// library into `answers/`).
pub fn to_toml(lib: &Library, include_internal: bool) -> String {
    let entries: Vec<NewEntry> = lib
        .entries
        .iter()
        .filter(|e| include_internal || e.visibility != Visibility::Internal)
        .map(|e| NewEntry {
            entry: e.clone(),
            notes: None,
        })
        .collect();
    render_entries(
        &entries,
        "# Answer library exported by `vouch library export --format toml`.\n",
    )
}
