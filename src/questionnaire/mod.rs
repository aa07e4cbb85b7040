//! Reading questionnaires of any layout and writing answers back in place.
//!
//! - [`read`] opens a CSV, XLSX/XLSM, XLS/XLSB, ODS or VSAQ JSON file
//!   (bounded: see [`Limits`]), decides the role of every sheet (only
//!   respondent sheets are answered, see [`roles`]), detects the layout of
//!   each (header bands, question/answer/comment/id columns, question rows)
//!   and returns the questions.
//! - [`plan_fill`] decides, row by row, what goes into the file: an answer
//!   is written only into an empty answer cell, inside the cell's own
//!   vocabulary, never into a formula or a locked cell; a row that already
//!   holds an answer is kept (answer and comment) unless overwriting.
//! - [`render_filled`] builds the customer's own file with the answers in
//!   place: XLSX/XLSM are patched cell by cell (every other part of the
//!   package stays byte-identical), CSV keeps its delimiter and encoding, and
//!   read-only formats (XLS, XLSB, ODS, VSAQ) are written as `.xlsx`/`.csv`.
//!   [`write_filled`] plans, renders and writes in one go.
//! - [`render_review_xlsx`] builds the review workbook.

mod cfb_check;
mod convert_out;
mod csv_in;
mod csv_out;
pub mod detect;
mod keywords;
mod layout_args;
pub mod limits;
mod ods_in;
mod ooxml;
mod plan;
mod question_rows;
mod review;
pub mod roles;
pub mod sheet;
mod sniff;
mod text_shape;
mod validation;
pub mod vocab;
mod vsaq;
mod xlsx_in;
mod xlsx_patch;
mod xml;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{bail, Context, Result};
use serde::Serialize;

pub use csv_in::TextEncoding;
pub use layout_args::LayoutArgs;
pub use limits::Limits;
pub use plan::{plan_fill, FillPlan, RowOutcome, RowStatus};
pub use review::{render_review_xlsx, write_review_xlsx, ReviewRow, ReviewSummary};
pub use roles::Role;

use csv_in::CsvDialect;
use detect::{detect, Detection, Overrides};
use roles::{classify, RoleDecision, WorkbookEvidence};
use sheet::{cell_name, col_letter, Grid};

/// Default cap on the decompressed size of a workbook (zip bomb guard).
pub const DEFAULT_MAX_DECOMPRESSED_BYTES: u64 = limits::DEFAULT_MAX_DECOMPRESSED_BYTES;

/// How to read a questionnaire. Everything is detected when left unset.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// Only this sheet (by name, case-insensitive), answered whatever its
    /// role looks like; a hidden sheet is read when named here.
    pub sheet: Option<String>,
    /// The 1-based header row (`0` = no header row).
    pub header_row: Option<u32>,
    /// Column letter (`C`) or header text (`Question`).
    pub question_col: Option<String>,
    pub answer_col: Option<String>,
    pub comment_col: Option<String>,
    /// Also read hidden sheets, rows and columns.
    pub include_hidden: bool,
    /// Caps on file size, expansion, rows, columns and cell length.
    pub limits: Limits,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Csv,
    Xlsx,
    Xlsm,
    Xls,
    Xlsb,
    Ods,
    #[serde(rename = "vsaq-json")]
    VsaqJson,
}

impl Format {
    /// Whether [`write_filled`] can give the same format back.
    pub fn writable_in_place(self) -> bool {
        matches!(self, Format::Csv | Format::Xlsx | Format::Xlsm)
    }

    pub fn name(self) -> &'static str {
        match self {
            Format::Csv => "CSV",
            Format::Xlsx => "XLSX",
            Format::Xlsm => "XLSM",
            Format::Xls => "XLS",
            Format::Xlsb => "XLSB",
            Format::Ods => "ODS",
            Format::VsaqJson => "VSAQ JSON",
        }
    }

    /// The extension of the file [`write_filled`] produces for this input.
    pub fn output_extension(self) -> &'static str {
        match self {
            Format::Csv | Format::VsaqJson => "csv",
            Format::Xlsm => "xlsm",
            _ => "xlsx",
        }
    }
}

/// What was detected on one sheet.
#[derive(Debug, Clone, Serialize)]
pub struct SheetLayout {
    pub name: String,
    pub hidden: bool,
    /// What the sheet is for; only respondent sheets are answered.
    pub role: Role,
    /// The evidence the role was decided on.
    pub role_reasons: Vec<String>,
    /// The main header row (the columns were chosen from it).
    pub header_row: Option<u32>,
    /// Every header band (section headers), main header included.
    pub header_rows: Vec<u32>,
    pub id_col: Option<String>,
    pub question_col: Option<String>,
    pub answer_col: Option<String>,
    pub comment_col: Option<String>,
    /// Header text of each detected column.
    pub id_header: Option<String>,
    pub question_header: Option<String>,
    pub answer_header: Option<String>,
    pub comment_header: Option<String>,
    /// Dropdown values of the answer column (the most common dropdown).
    pub vocabulary: Vec<String>,
    /// Questions answered on this sheet (0 unless respondent).
    pub questions: usize,
    /// Question-shaped rows found, answered or not.
    pub question_rows: usize,
    pub skipped_reason: Option<String>,
    /// The sheet is protected (`<sheetProtection sheet="1">`).
    pub protected: bool,
}

/// What an answer cell accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AnswerFormat {
    /// A dropdown: only its values.
    Choice,
    /// A dropdown whose values could not be read: nothing is written.
    UnknownChoice,
    /// Free text ("Please describe…"): never a bare Yes/No.
    FreeText,
    /// No constraint known (no dropdown anywhere in the column).
    Any,
}

#[derive(Debug, Clone, Serialize)]
pub struct Question {
    pub sheet: String,
    /// 1-based spreadsheet row; for CSV the record number (header = 1).
    pub row: u32,
    pub id: Option<String>,
    pub text: String,
    /// The answer already in the file (trimmed); `None` when blank.
    pub existing_answer: Option<String>,
    /// The answer cell holds only spaces (counts as blank).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub answer_spaces: bool,
    /// Where the answer goes (`C13`), `None` without an answer column.
    pub answer_cell: Option<String>,
    pub answer_format: AnswerFormat,
    /// The values the answer cell accepts (its dropdown), if any.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<String>,
    /// Why vouch cannot write this answer cell (formula, locked).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_writable: Option<String>,
}

/// A questionnaire as read, with what the writer needs.
#[derive(Debug, Clone)]
pub struct Questionnaire {
    pub path: PathBuf,
    pub format: Format,
    pub sheets: Vec<SheetLayout>,
    pub questions: Vec<Question>,
    source: Source,
    /// Where each question's answer goes, aligned with `questions`.
    slots: Vec<Slot>,
}

#[derive(Debug, Clone)]
enum Source {
    Csv {
        records: Vec<Vec<String>>,
        grid: Box<Grid>,
        dialect: CsvDialect,
    },
    Xlsx {
        bytes: Arc<Vec<u8>>,
        grids: Vec<Grid>,
        package: ooxml::WorkbookInfo,
    },
    /// XLS, XLSB, ODS, VSAQ: values only.
    Values { grids: Vec<Grid> },
}

/// Where one question's answer goes.
#[derive(Debug, Clone)]
struct Slot {
    grid: usize,
    answer_col: Option<u32>,
    comment_col: Option<u32>,
    /// The dropdown of the answer cell, else the spelling already used in
    /// the column (`Y`/`N`).
    vocabulary: Vec<String>,
}

/// One answer to put into the file.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Fill {
    pub sheet: String,
    pub row: u32,
    /// Canonical `Yes`/`No`/`N/A` (mapped onto the cell's vocabulary) or
    /// free text.
    pub answer: Option<String>,
    pub comment: Option<String>,
}

/// How to write.
#[derive(Debug, Clone, Default)]
pub struct WriteOptions {
    /// Replace answers/comments the customer already filled in.
    pub overwrite_existing: bool,
    /// Allow `output` to be the input file itself (`--in-place`).
    pub in_place: bool,
}

/// A cell that was planned but not written, and why.
#[derive(Debug, Clone, Serialize)]
pub struct SkippedCell {
    pub sheet: String,
    pub row: u32,
    pub column: String,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct WriteSummary {
    pub output: PathBuf,
    pub format: Format,
    /// Set when the input format cannot be written back (XLS, ODS...).
    pub converted_from: Option<Format>,
    pub answers_written: usize,
    pub comments_written: usize,
    /// Comments given for rows without a comment column.
    pub comments_without_column: usize,
    pub skipped: Vec<SkippedCell>,
    pub notes: Vec<String>,
    /// What happened to each question, in question order.
    pub rows: Vec<RowOutcome>,
}

/// Reads and detects a questionnaire. Errors are one line naming the file.
pub fn read(path: &Path, opts: &ReadOptions) -> Result<Questionnaire> {
    let bytes = limits::read_input(path, &opts.limits)?;
    let format = sniff::sniff(path, &bytes, opts.limits.max_decompressed_bytes)?;
    let (source, fixed_layout) = load_source(path, bytes, format, &opts.limits)?;
    let grids = source.grids();
    let selected = select_sheet(path, grids, opts)?;
    let fixed = fixed_layout.is_some();
    let overrides = fixed_layout.unwrap_or_else(|| Overrides {
        header_row: opts.header_row,
        question_col: opts.question_col.clone(),
        answer_col: opts.answer_col.clone(),
        comment_col: opts.comment_col.clone(),
        id_col: None,
        include_hidden: opts.include_hidden,
    });
    // Pass 1: the layout of every sheet that may be read.
    let mut detections: Vec<Result<Detection, String>> = Vec::with_capacity(grids.len());
    for (i, grid) in grids.iter().enumerate() {
        detections.push(match skip_reason(grid, i, selected, opts) {
            Some(reason) => Err(reason),
            None => Ok(detect(grid, &overrides)
                .map_err(|e| anyhow::anyhow!("{}: sheet '{}': {e}", path.display(), grid.name))?),
        });
    }
    // Pass 2: the role of each sheet, from its own and the workbook's evidence.
    let evidence = WorkbookEvidence::collect(
        grids
            .iter()
            .zip(&detections)
            .map(|(g, d)| (g, d.as_ref().ok())),
    );
    let use_names = grids.len() > 1;
    let mut decisions: Vec<Option<RoleDecision>> = grids
        .iter()
        .zip(&detections)
        .enumerate()
        .map(|(i, (grid, det))| {
            det.as_ref().ok().map(|det| {
                let chosen = fixed || selected == Some(i);
                classify(grid, det, &evidence, chosen, use_names)
            })
        })
        .collect();
    if !decisions
        .iter()
        .flatten()
        .any(|d| d.role == Role::Respondent)
    {
        for d in decisions.iter_mut().flatten().filter(|d| d.name_only) {
            d.promote();
        }
    }
    let mut sheets = Vec::new();
    let mut questions = Vec::new();
    let mut slots = Vec::new();
    for (i, grid) in grids.iter().enumerate() {
        let layout = match (&detections[i], &decisions[i]) {
            (Ok(det), Some(decision)) => {
                let respondent = decision.role == Role::Respondent;
                if respondent {
                    add_questions(grid, i, det, &mut questions, &mut slots);
                }
                sheet_layout(grid, Some(det), decision, respondent)
            }
            _ => {
                let reason = match &detections[i] {
                    Err(r) => r.clone(),
                    Ok(_) => "not read".to_owned(),
                };
                let decision = RoleDecision {
                    role: Role::Other,
                    reasons: vec![reason],
                    name_only: false,
                };
                sheet_layout(grid, None, &decision, false)
            }
        };
        sheets.push(layout);
    }
    if questions.is_empty() {
        bail!("{}", no_questions_message(path, grids, &sheets));
    }
    Ok(Questionnaire {
        path: path.to_path_buf(),
        format,
        sheets,
        questions,
        source,
        slots,
    })
}

/// Why a sheet is not read at all (another sheet was chosen, hidden, empty).
fn skip_reason(
    grid: &Grid,
    index: usize,
    selected: Option<usize>,
    opts: &ReadOptions,
) -> Option<String> {
    match selected {
        Some(s) if s != index => Some("not the selected sheet (--sheet)".to_owned()),
        Some(_) => None,
        None if grid.hidden && !opts.include_hidden => Some("hidden sheet".to_owned()),
        None if grid.is_empty() => Some("empty sheet".to_owned()),
        None => None,
    }
}

/// Parses the file into grids. VSAQ files come with a fixed layout.
fn load_source(
    path: &Path,
    bytes: Vec<u8>,
    format: Format,
    limits: &Limits,
) -> Result<(Source, Option<Overrides>)> {
    Ok(match format {
        Format::Csv => {
            let csv = csv_in::read_csv(path, &bytes, limits)?;
            (
                Source::Csv {
                    records: csv.records,
                    grid: Box::new(csv.grid),
                    dialect: csv.dialect,
                },
                None,
            )
        }
        Format::VsaqJson => {
            let grid = vsaq::read_vsaq(path, &bytes, limits)?;
            (
                Source::Values { grids: vec![grid] },
                Some(vsaq::overrides()),
            )
        }
        _ => {
            let wb = xlsx_in::read_workbook_bytes(path, &bytes, format, limits)?;
            let source = match wb.package {
                Some(package) => Source::Xlsx {
                    bytes: Arc::new(bytes),
                    grids: wb.grids,
                    package,
                },
                None => Source::Values { grids: wb.grids },
            };
            (source, None)
        }
    })
}

impl Source {
    fn grids(&self) -> &[Grid] {
        match self {
            Source::Csv { grid, .. } => std::slice::from_ref(grid.as_ref()),
            Source::Xlsx { grids, .. } | Source::Values { grids } => grids,
        }
    }
}

fn select_sheet(path: &Path, grids: &[Grid], opts: &ReadOptions) -> Result<Option<usize>> {
    let Some(name) = &opts.sheet else {
        return Ok(None);
    };
    match grids
        .iter()
        .position(|g| g.name.eq_ignore_ascii_case(name.trim()))
    {
        Some(i) => Ok(Some(i)),
        None => bail!(
            "{}: no sheet named {:?}; the sheets are: {}",
            path.display(),
            name,
            grids
                .iter()
                .map(|g| format!("{:?}", g.name))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// The questions of a respondent sheet, with where each answer goes.
fn add_questions(
    grid: &Grid,
    index: usize,
    det: &Detection,
    questions: &mut Vec<Question>,
    slots: &mut Vec<Slot>,
) {
    let dv = grid.validation_index();
    // A column that offers dropdowns on some rows and none on others leaves
    // the others for free text.
    let dropdown_cols: std::collections::HashSet<u32> = det
        .rows
        .iter()
        .filter_map(|r| r.answer_col.filter(|&a| dv.at(r.row, a).is_some()))
        .collect();
    let inferred =
        vocab::infer_from_answers(det.rows.iter().filter_map(|r| r.existing_answer.as_deref()));
    for r in &det.rows {
        let list = r.answer_col.and_then(|a| dv.at(r.row, a));
        let (format, choices) = match list {
            Some(i) if grid.validations[i].values.is_empty() => {
                (AnswerFormat::UnknownChoice, Vec::new())
            }
            Some(i) => (AnswerFormat::Choice, grid.validations[i].values.clone()),
            None if r.answer_col.is_some_and(|a| dropdown_cols.contains(&a)) => {
                (AnswerFormat::FreeText, Vec::new())
            }
            None if text_shape::is_open_question(&r.text) => (AnswerFormat::FreeText, Vec::new()),
            None => (AnswerFormat::Any, Vec::new()),
        };
        let not_writable = r.answer_col.and_then(|a| {
            if grid.is_formula(r.row, a) {
                Some("the answer cell holds a formula (it is filled from elsewhere)".to_owned())
            } else if grid.is_locked(r.row, a) {
                Some("the answer cell is locked on a protected sheet".to_owned())
            } else {
                None
            }
        });
        let vocabulary = match format {
            AnswerFormat::Choice => choices.clone(),
            AnswerFormat::Any => inferred.clone(),
            _ => Vec::new(),
        };
        questions.push(Question {
            sheet: grid.name.clone(),
            row: r.row,
            id: r.id.clone(),
            text: r.text.clone(),
            existing_answer: r.existing_answer.clone(),
            answer_spaces: r.answer_spaces,
            answer_cell: r.answer_col.map(|a| cell_name(r.row, a)),
            answer_format: format,
            choices,
            not_writable,
        });
        slots.push(Slot {
            grid: index,
            answer_col: r.answer_col,
            comment_col: r.comment_col,
            vocabulary,
        });
    }
}

fn sheet_layout(
    grid: &Grid,
    det: Option<&Detection>,
    decision: &RoleDecision,
    respondent: bool,
) -> SheetLayout {
    let mut layout = SheetLayout {
        name: grid.name.clone(),
        hidden: grid.hidden,
        role: decision.role,
        role_reasons: decision.reasons.clone(),
        header_row: None,
        header_rows: Vec::new(),
        id_col: None,
        question_col: None,
        answer_col: None,
        comment_col: None,
        id_header: None,
        question_header: None,
        answer_header: None,
        comment_header: None,
        vocabulary: Vec::new(),
        questions: 0,
        question_rows: 0,
        skipped_reason: None,
        protected: grid.protected,
    };
    let Some(det) = det else {
        layout.skipped_reason = decision.reasons.first().cloned();
        return layout;
    };
    let header_text =
        |c: Option<u32>| c.and_then(|c| det.header_row.map(|h| grid.cell(h, c).trim().to_owned()));
    layout.header_row = det.header_row;
    layout.header_rows = det.bands.iter().filter_map(|b| b.header_row).collect();
    layout.id_col = det.id_col.map(col_letter);
    layout.question_col = det.question_col.map(col_letter);
    layout.answer_col = det.answer_col.map(col_letter);
    layout.comment_col = det.comment_col.map(col_letter);
    layout.id_header = header_text(det.id_col);
    layout.question_header = header_text(det.question_col);
    layout.answer_header = header_text(det.answer_col);
    layout.comment_header = header_text(det.comment_col);
    layout.vocabulary = det.vocabulary.clone();
    layout.question_rows = det.rows.len();
    layout.questions = if respondent { det.rows.len() } else { 0 };
    layout.skipped_reason = if respondent || det.rows.is_empty() {
        det.skipped_reason.clone()
    } else {
        Some(format!(
            "not a respondent sheet ({}): {}",
            decision.role.name(),
            decision.reasons.join("; ")
        ))
    };
    layout
}

/// "No question column found", with the headers seen and the override
/// flags, or the sheets that look like questionnaires but are not the
/// vendor's.
fn no_questions_message(path: &Path, grids: &[Grid], sheets: &[SheetLayout]) -> String {
    let declined: Vec<String> = sheets
        .iter()
        .filter(|s| s.question_rows > 0 && s.role != Role::Respondent)
        .map(|s| {
            format!(
                "'{}' is {} ({})",
                s.name,
                s.role.name(),
                s.role_reasons.join("; ")
            )
        })
        .collect();
    if !declined.is_empty() {
        return format!(
            "{}: no respondent sheet: {}; pass --sheet NAME to answer a sheet anyway",
            path.display(),
            declined.join("; ")
        );
    }
    let mut seen = Vec::new();
    for (grid, layout) in grids.iter().zip(sheets) {
        if layout.skipped_reason.as_deref() == Some("hidden sheet") {
            continue;
        }
        let visible =
            |cells: &[(u32, String)]| cells.iter().filter(|(_, v)| !v.trim().is_empty()).count();
        let row = layout.header_row.or_else(|| {
            grid.rows()
                .take_while(|(r, _)| *r <= 50)
                .find(|(_, cells)| visible(cells) >= 2)
                .map(|(r, _)| r)
        });
        if let Some(r) = row {
            let cells: Vec<String> = grid
                .row_cells(r)
                .iter()
                .filter(|(_, v)| !v.trim().is_empty())
                .take(12)
                .map(|(c, v)| format!("{}={:?}", col_letter(*c), clip(v.trim(), 40)))
                .collect();
            seen.push(format!("'{}' row {}: {}", grid.name, r, cells.join(", ")));
        }
    }
    let seen = if seen.is_empty() {
        "none".to_owned()
    } else {
        seen.join("; ")
    };
    format!(
        "{}: no question column found (headers seen: {seen}); use --sheet, --header-row, \
         --question-col, --answer-col or --comment-col to point at the layout",
        path.display()
    )
}

fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(n).collect();
        t.push('…');
        t
    }
}

/// One cell to write.
#[derive(Debug, Clone)]
struct CellEdit {
    grid: usize,
    row: u32,
    col: u32,
    value: String,
    is_answer: bool,
}

/// A filled questionnaire built in memory, not yet written.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// Where it goes (the extension changes for XLS/ODS/VSAQ inputs).
    pub path: PathBuf,
    pub bytes: Vec<u8>,
    pub summary: WriteSummary,
}

impl Questionnaire {
    /// The file [`render_filled`] produces for `output`: XLS, XLSB and ODS
    /// inputs become `.xlsx`, VSAQ becomes `.csv`.
    pub fn output_path_for(&self, output: &Path) -> PathBuf {
        match self.source {
            Source::Values { .. } => convert_out::converted_path(self.format, output),
            _ => output.to_path_buf(),
        }
    }
}

/// Writes the answers into a copy of the questionnaire at `output`.
pub fn write_filled(q: &Questionnaire, fills: &[Fill], output: &Path) -> Result<WriteSummary> {
    write_filled_with(q, fills, output, &WriteOptions::default())
}

/// [`write_filled`] with options (overwrite existing cells, in place).
pub fn write_filled_with(
    q: &Questionnaire,
    fills: &[Fill],
    output: &Path,
    opts: &WriteOptions,
) -> Result<WriteSummary> {
    let plan = plan_fill(q, fills, opts);
    let rendered = render_filled(q, plan, output, opts)?;
    crate::util::write_atomic(&rendered.path, &rendered.bytes)?;
    Ok(rendered.summary)
}

/// Builds the filled questionnaire in memory. Nothing is written, so every
/// output can be checked before any of them is.
pub fn render_filled(
    q: &Questionnaire,
    plan: FillPlan,
    output: &Path,
    opts: &WriteOptions,
) -> Result<Rendered> {
    let path = q.output_path_for(output);
    if same_file(&q.path, &path) && !opts.in_place {
        bail!(
            "{}: refusing to overwrite the questionnaire itself; choose another output or pass --in-place",
            path.display()
        );
    }
    let FillPlan {
        edits,
        mut outcomes,
        mut skipped,
        mut notes,
        comments_without_column,
    } = plan;
    let mut summary = WriteSummary {
        output: path.clone(),
        format: q.format,
        converted_from: None,
        answers_written: 0,
        comments_written: 0,
        comments_without_column,
        skipped: Vec::new(),
        notes: Vec::new(),
        rows: Vec::new(),
    };
    let bytes = match &q.source {
        Source::Csv {
            records, dialect, ..
        } => csv_out::render(records, dialect, &edits),
        Source::Xlsx {
            bytes,
            grids,
            package,
        } => xlsx_patch::patch(bytes, grids, package, &edits, &mut summary)
            .with_context(|| format!("{}", q.path.display()))?,
        Source::Values { grids } => {
            convert_out::render_converted(q.format, grids, &edits, &mut summary)?
        }
    };
    // Cells the writer refused (formulas, locked comments) were planned
    // edits: they are not written, and their rows say so.
    let refused = std::mem::take(&mut summary.skipped);
    let mut refused_edits = std::collections::HashSet::new();
    for cell in &refused {
        refused_edits.insert((cell.sheet.clone(), cell.row, cell.column.clone()));
        if let Some(o) = outcomes
            .iter_mut()
            .find(|o| o.sheet == cell.sheet && o.row == cell.row)
        {
            o.refused(&cell.reason);
        }
    }
    let grids = q.source.grids();
    let written = |e: &&CellEdit| {
        !refused_edits.contains(&(grids[e.grid].name.clone(), e.row, col_letter(e.col)))
    };
    summary.answers_written = edits.iter().filter(|e| e.is_answer).filter(written).count();
    summary.comments_written = edits
        .iter()
        .filter(|e| !e.is_answer)
        .filter(written)
        .count();
    skipped.extend(refused);
    notes.append(&mut summary.notes);
    summary.skipped = skipped;
    summary.notes = notes;
    summary.rows = outcomes;
    Ok(Rendered {
        path,
        bytes,
        summary,
    })
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

impl Questionnaire {
    /// What the file already holds in the comment cell of a question row
    /// (`vouch library import` harvests it with the answer); None when the
    /// row has no comment column or the cell is blank.
    pub fn existing_comment(&self, q: &Question) -> Option<String> {
        let i = self
            .questions
            .iter()
            .position(|x| x.sheet == q.sheet && x.row == q.row)?;
        let slot = self.slots.get(i)?;
        let col = slot.comment_col?;
        let text = self.source.grids().get(slot.grid)?.cell(q.row, col).trim();
        (!text.is_empty()).then(|| text.to_owned())
    }
}
