//! The review workbook: one row per question with the proposed answer, the
//! confidence and tier, the matched library entry, its controls and TSC
//! criteria. Frozen header, autofilter, one colour per tier.

use std::path::Path;

use anyhow::{Context, Result};
use rust_xlsxwriter::{Color, Format, FormatAlign, Workbook};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct ReviewRow {
    pub sheet: String,
    pub row: u32,
    pub question: String,
    pub answer: Option<String>,
    pub comment: Option<String>,
    pub confidence: f64,
    /// `auto`, `review` or `none`.
    pub tier: String,
    /// The matched answer-library entry id.
    pub entry: Option<String>,
    /// The answer was flipped (negated question).
    pub flipped: bool,
    pub controls: Vec<String>,
    pub criteria: Vec<String>,
    /// The closest library entry when vouch abstained (tier none): a hint
    /// for the reviewer, never written into the questionnaire.
    pub suggestion: Option<String>,
    /// Why the matcher chose this tier (flip, nda, stale, weak match...).
    pub notes: Vec<String>,
}

const COLUMNS: [(&str, f64); 13] = [
    ("Sheet", 16.0),
    ("Row", 6.0),
    ("Question", 70.0),
    ("Answer", 10.0),
    ("Comment", 50.0),
    ("Confidence", 11.0),
    ("Tier", 8.0),
    ("Entry", 12.0),
    ("Flipped", 8.0),
    ("Controls", 18.0),
    ("Criteria", 18.0),
    ("Suggestion", 12.0),
    ("Notes", 40.0),
];

fn tier_color(tier: &str) -> Color {
    match tier {
        "auto" => Color::RGB(0xC6EFCE),
        "review" => Color::RGB(0xFFEB9C),
        _ => Color::RGB(0xFFC7CE),
    }
}

/// Writes the review workbook atomically.
pub fn write_review_xlsx(rows: &[ReviewRow], path: &Path) -> Result<()> {
    let bytes = build(rows).context("cannot build the review workbook")?;
    crate::util::write_atomic(path, &bytes)
}

fn build(rows: &[ReviewRow]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Review")?;
    let header = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xD9E1F2))
        .set_text_wrap();
    for (c, (title, width)) in COLUMNS.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *title, &header)?;
        sheet.set_column_width(c as u16, *width)?;
    }
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let percent = Format::new()
        .set_num_format("0%")
        .set_align(FormatAlign::Top);
    for (i, row) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        let tier_fmt = Format::new()
            .set_background_color(tier_color(&row.tier))
            .set_align(FormatAlign::Top);
        sheet.write_string_with_format(r, 0, &row.sheet, &wrap)?;
        sheet.write_number_with_format(r, 1, f64::from(row.row), &wrap)?;
        sheet.write_string_with_format(r, 2, &row.question, &wrap)?;
        sheet.write_string_with_format(r, 3, row.answer.as_deref().unwrap_or(""), &tier_fmt)?;
        sheet.write_string_with_format(r, 4, row.comment.as_deref().unwrap_or(""), &wrap)?;
        sheet.write_number_with_format(r, 5, row.confidence, &percent)?;
        sheet.write_string_with_format(r, 6, &row.tier, &tier_fmt)?;
        sheet.write_string_with_format(r, 7, row.entry.as_deref().unwrap_or(""), &wrap)?;
        sheet.write_string_with_format(r, 8, if row.flipped { "yes" } else { "" }, &wrap)?;
        sheet.write_string_with_format(r, 9, row.controls.join(", "), &wrap)?;
        sheet.write_string_with_format(r, 10, row.criteria.join(", "), &wrap)?;
        let suggestion = row.suggestion.as_deref().unwrap_or("");
        sheet.write_string_with_format(r, 11, suggestion, &wrap)?;
        sheet.write_string_with_format(r, 12, row.notes.join("; "), &wrap)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, rows.len() as u32, COLUMNS.len() as u16 - 1)?;
    book.save_to_buffer()
}
