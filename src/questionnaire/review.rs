//! The review report: one row per question with the proposed answer, the
//! confidence and tier, what happened in the file (status, the answer that
//! was already there), the matched library entry, its controls and TSC
//! criteria, and empty decision columns for the reviewer (read back by
//! `vouch library import --from-review`, by header name).
//!
//! The workbook has a `Review` sheet (frozen header, autofilter, a
//! `Decision` dropdown, one colour per tier and status) and a `Summary`
//! sheet (counts per tier and status, and the rows to look at first). It is
//! a vendor-internal working document under the same confidentiality filter
//! as the customer's file: the rows it is given carry no `internal` entry or
//! control and no `nda` answer without `--nda`.

use std::path::Path;

use anyhow::{Context, Result};
use rust_xlsxwriter::{Color, DataValidation, Format, FormatAlign, Workbook, Worksheet};
use serde::Serialize;

use super::plan::{truncate_chars, EXCEL_CELL_LIMIT};

#[derive(Debug, Clone, Default, Serialize)]
pub struct ReviewRow {
    pub sheet: String,
    pub row: u32,
    /// The questionnaire's own question id (`IAM-01.2`).
    pub id: Option<String>,
    pub question: String,
    /// `yes/no` or `open`, when the matcher says.
    pub question_type: Option<String>,
    /// The answer written, or the one vouch proposes for rows it did not
    /// write (kept, skipped, review).
    pub answer: Option<String>,
    pub comment: Option<String>,
    pub confidence: f64,
    /// `auto`, `review` or `none`.
    pub tier: String,
    /// `written`, `kept`, `left empty` or `skipped`.
    pub status: String,
    /// What the answer cell already held.
    pub existing_answer: Option<String>,
    /// For kept rows: whether vouch's answer says the same.
    pub agrees: Option<bool>,
    /// The matched answer-library entry id.
    pub entry: Option<String>,
    /// The answer was flipped (negated question).
    pub flipped: bool,
    pub controls: Vec<String>,
    pub criteria: Vec<String>,
    /// The closest library entry when vouch abstained (tier none): a hint
    /// for the reviewer, never written into the questionnaire.
    pub suggestion: Option<String>,
    /// Why the matcher chose this tier, and what the writer did.
    pub notes: Vec<String>,
}

/// Counts per tier and per status.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ReviewSummary {
    pub questions: usize,
    pub auto: usize,
    pub review: usize,
    pub none: usize,
    pub flipped: usize,
    pub written: usize,
    pub kept: usize,
    /// Kept rows where the file and the library disagree.
    pub disagree: usize,
    pub left_empty: usize,
    pub skipped: usize,
    pub comments_written: usize,
    pub seconds: f64,
}

const COLUMNS: [(&str, f64); 21] = [
    ("Sheet", 16.0),
    ("Row", 6.0),
    ("ID", 10.0),
    ("Question", 60.0),
    ("Question type", 9.0),
    ("Answer", 12.0),
    ("Comment", 45.0),
    ("Confidence", 10.0),
    ("Tier", 8.0),
    ("Status", 10.0),
    ("Existing answer", 14.0),
    ("Entry", 12.0),
    ("Flipped", 8.0),
    ("Controls", 16.0),
    ("Criteria", 16.0),
    ("Suggestion", 12.0),
    ("Notes", 40.0),
    ("Decision", 11.0),
    ("Use entry", 12.0),
    ("Answer override", 14.0),
    ("Comment override", 30.0),
];

/// The values of the `Decision` dropdown.
pub const DECISIONS: [&str; 4] = ["accept", "reject", "use entry", "override"];

fn tier_color(tier: &str) -> Color {
    match tier {
        "auto" => Color::RGB(0xC6EFCE),
        "review" => Color::RGB(0xFFEB9C),
        _ => Color::RGB(0xFFC7CE),
    }
}

fn status_color(status: &str, agrees: Option<bool>) -> Color {
    match (status, agrees) {
        ("written", _) => Color::RGB(0xC6EFCE),
        ("kept", Some(false)) => Color::RGB(0xFFC7CE),
        ("kept", _) => Color::RGB(0xDDEBF7),
        ("skipped", _) => Color::RGB(0xFFEB9C),
        _ => Color::RGB(0xEDEDED),
    }
}

/// Builds and writes the review workbook atomically.
pub fn write_review_xlsx(rows: &[ReviewRow], summary: &ReviewSummary, path: &Path) -> Result<()> {
    let bytes = render_review_xlsx(rows, summary, path)?;
    crate::util::write_atomic(path, &bytes)
}

/// Builds the review workbook in memory (`path` only names it in errors).
pub fn render_review_xlsx(
    rows: &[ReviewRow],
    summary: &ReviewSummary,
    path: &Path,
) -> Result<Vec<u8>> {
    build(rows, summary)
        .with_context(|| format!("{}: cannot build the review workbook", path.display()))
}

fn build(
    rows: &[ReviewRow],
    summary: &ReviewSummary,
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Review")?;
    review_sheet(sheet, rows)?;
    let sheet = book.add_worksheet();
    sheet.set_name("Summary")?;
    summary_sheet(sheet, rows, summary)?;
    book.save_to_buffer()
}

/// A cell's text within Excel's limit; `cut` records which field was cut.
fn fit<'a>(text: &'a str, field: &str, cut: &mut Vec<String>) -> std::borrow::Cow<'a, str> {
    if text.chars().count() > EXCEL_CELL_LIMIT {
        cut.push(format!(
            "{field} truncated to Excel's limit of {EXCEL_CELL_LIMIT} characters (the JSON report has it in full)"
        ));
        std::borrow::Cow::Owned(truncate_chars(text, EXCEL_CELL_LIMIT))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

fn review_sheet(
    sheet: &mut Worksheet,
    rows: &[ReviewRow],
) -> Result<(), rust_xlsxwriter::XlsxError> {
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
        let status_fmt = Format::new()
            .set_background_color(status_color(&row.status, row.agrees))
            .set_align(FormatAlign::Top);
        let mut cut = Vec::new();
        let opt = |v: &Option<String>| v.clone().unwrap_or_default();
        let texts: [(u16, String, &str); 12] = [
            (0, row.sheet.clone(), "sheet name"),
            (2, opt(&row.id), "id"),
            (3, row.question.clone(), "question"),
            (4, opt(&row.question_type), "question type"),
            (5, opt(&row.answer), "answer"),
            (6, opt(&row.comment), "comment"),
            (10, opt(&row.existing_answer), "existing answer"),
            (11, opt(&row.entry), "entry"),
            (
                12,
                if row.flipped { "yes" } else { "" }.to_owned(),
                "flipped",
            ),
            (13, row.controls.join(", "), "controls"),
            (14, row.criteria.join(", "), "criteria"),
            (15, opt(&row.suggestion), "suggestion"),
        ];
        for (c, text, field) in &texts {
            let text = fit(text, field, &mut cut);
            let fmt = if *c == 5 { &tier_fmt } else { &wrap };
            sheet.write_string_with_format(r, *c, text.as_ref(), fmt)?;
        }
        sheet.write_number_with_format(r, 1, f64::from(row.row), &wrap)?;
        sheet.write_number_with_format(r, 7, row.confidence, &percent)?;
        sheet.write_string_with_format(r, 8, &row.tier, &tier_fmt)?;
        sheet.write_string_with_format(r, 9, &row.status, &status_fmt)?;
        let mut notes = row.notes.clone();
        notes.extend(cut);
        let mut ignore = Vec::new();
        let notes = notes.join("; ");
        sheet.write_string_with_format(r, 16, fit(&notes, "notes", &mut ignore).as_ref(), &wrap)?;
    }
    let last = rows.len().max(1) as u32;
    let decision = DataValidation::new()
        .allow_list_strings(&DECISIONS)?
        .set_input_title("Decision")?
        .set_input_message(
            "accept: the entry answers as proposed; reject: it does not; use entry: the entry in \
             'Use entry' does; override: write Answer override instead",
        )?;
    sheet.add_data_validation(1, 17, last, 17, &decision)?;
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, rows.len() as u32, COLUMNS.len() as u16 - 1)?;
    Ok(())
}

/// Counts, then the rows a human should look at first: kept answers the
/// library disagrees with, skipped rows, flipped answers, review rows.
fn summary_sheet(
    sheet: &mut Worksheet,
    rows: &[ReviewRow],
    s: &ReviewSummary,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    sheet.set_column_width(0, 30)?;
    sheet.set_column_width(1, 10)?;
    sheet.set_column_width(2, 10)?;
    sheet.set_column_width(3, 70)?;
    let counts: [(&str, usize); 11] = [
        ("Questions", s.questions),
        ("Tier auto", s.auto),
        ("Tier review", s.review),
        ("Tier none", s.none),
        ("Flipped answers", s.flipped),
        ("Status written", s.written),
        ("Status kept", s.kept),
        ("Kept, and the library disagrees", s.disagree),
        ("Status left empty", s.left_empty),
        ("Status skipped", s.skipped),
        ("Comments written", s.comments_written),
    ];
    sheet.write_string_with_format(0, 0, "Count", &bold)?;
    for (i, (label, n)) in counts.iter().enumerate() {
        sheet.write_string(i as u32 + 1, 0, *label)?;
        sheet.write_number(i as u32 + 1, 1, *n as f64)?;
    }
    let mut r = counts.len() as u32 + 3;
    sheet.write_string_with_format(r, 0, "Look at first", &bold)?;
    r += 1;
    for (c, h) in ["Sheet", "Row", "ID", "Why"].iter().enumerate() {
        sheet.write_string_with_format(r, c as u16, *h, &bold)?;
    }
    let mut first: Vec<(u8, &ReviewRow, String)> = Vec::new();
    for row in rows {
        let why = match (row.status.as_str(), row.agrees) {
            ("kept", Some(false)) => Some((
                0,
                format!(
                    "the file says {:?}, the library {:?}",
                    row.existing_answer.as_deref().unwrap_or(""),
                    row.answer.as_deref().unwrap_or("")
                ),
            )),
            ("skipped", _) => Some((1, format!("not written: {}", row.notes.join("; ")))),
            _ if row.flipped => Some((2, "answer flipped for a negated question".to_owned())),
            _ if row.tier == "review" => Some((3, "review tier: check before sending".to_owned())),
            _ => None,
        };
        if let Some((rank, why)) = why {
            first.push((rank, row, why));
        }
    }
    first.sort_by_key(|(rank, row, _)| (*rank, row.sheet.clone(), row.row));
    let mut ignore = Vec::new();
    for (_, row, why) in first.iter().take(500) {
        r += 1;
        sheet.write_string(r, 0, fit(&row.sheet, "sheet", &mut ignore).as_ref())?;
        sheet.write_number(r, 1, f64::from(row.row))?;
        sheet.write_string(r, 2, row.id.as_deref().unwrap_or(""))?;
        sheet.write_string_with_format(r, 3, fit(why, "why", &mut ignore).as_ref(), &wrap)?;
    }
    Ok(())
}
