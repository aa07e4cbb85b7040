//! Reading questionnaires of any layout and writing answers back in place.
//!
//! - [`read`] opens a CSV, XLSX/XLSM, XLS/XLSB, ODS or VSAQ JSON file,
//!   detects the layout of every sheet (header row, question/answer/comment/
//!   id columns, question rows) and returns the questions.
//! - [`write_filled`] gives the customer's own file back with the answers in
//!   place: XLSX/XLSM are patched cell by cell (every other part of the
//!   package stays byte-identical), CSV keeps its delimiter and encoding, and
//!   read-only formats (XLS, XLSB, ODS, VSAQ) are written as `.xlsx`/`.csv`.
//! - [`write_review_xlsx`] writes the review workbook.

mod convert_out;
mod csv_in;
mod csv_out;
pub mod detect;
mod keywords;
mod layout_args;
mod ooxml;
mod review;
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
pub use review::{write_review_xlsx, ReviewRow};

use csv_in::CsvDialect;
use detect::{detect, Overrides};
use sheet::{col_letter, Grid};

/// Default cap on the decompressed size of a workbook (zip bomb guard).
pub const DEFAULT_MAX_DECOMPRESSED_BYTES: u64 = 512 * 1024 * 1024;

/// How to read a questionnaire. Everything is detected when left unset.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// Only this sheet (by name, case-insensitive); a hidden sheet is read
    /// when named here.
    pub sheet: Option<String>,
    /// The 1-based header row (`0` = no header row).
    pub header_row: Option<u32>,
    /// Column letter (`C`) or header text (`Question`).
    pub question_col: Option<String>,
    pub answer_col: Option<String>,
    pub comment_col: Option<String>,
    /// Also read hidden sheets, rows and columns.
    pub include_hidden: bool,
    /// Refuse archives expanding to more than this many bytes.
    pub max_decompressed_bytes: u64,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            sheet: None,
            header_row: None,
            question_col: None,
            answer_col: None,
            comment_col: None,
            include_hidden: false,
            max_decompressed_bytes: DEFAULT_MAX_DECOMPRESSED_BYTES,
        }
    }
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
    pub header_row: Option<u32>,
    pub id_col: Option<String>,
    pub question_col: Option<String>,
    pub answer_col: Option<String>,
    pub comment_col: Option<String>,
    /// Header text of each detected column.
    pub id_header: Option<String>,
    pub question_header: Option<String>,
    pub answer_header: Option<String>,
    pub comment_header: Option<String>,
    /// Dropdown values of the answer column.
    pub vocabulary: Vec<String>,
    pub questions: usize,
    pub skipped_reason: Option<String>,
    /// The sheet is protected (`<sheetProtection sheet="1">`).
    pub protected: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Question {
    pub sheet: String,
    /// 1-based spreadsheet row; for CSV the record number (header = 1).
    pub row: u32,
    pub id: Option<String>,
    pub text: String,
    pub existing_answer: Option<String>,
}

/// A questionnaire as read, with what the writer needs.
#[derive(Debug, Clone)]
pub struct Questionnaire {
    pub path: PathBuf,
    pub format: Format,
    pub sheets: Vec<SheetLayout>,
    pub questions: Vec<Question>,
    source: Source,
    targets: Vec<Target>,
}

#[derive(Debug, Clone)]
enum Source {
    Csv {
        grid: Grid,
        dialect: CsvDialect,
    },
    Xlsx {
        bytes: Arc<Vec<u8>>,
        grids: Vec<Grid>,
        package: ooxml::WorkbookInfo,
    },
    /// XLS, XLSB, ODS, VSAQ: values only.
    Values {
        grids: Vec<Grid>,
    },
}

/// Where answers go on one sheet.
#[derive(Debug, Clone)]
struct Target {
    sheet: String,
    grid: usize,
    answer_col: Option<u32>,
    comment_col: Option<u32>,
    /// The dropdown vocabulary, else one inferred from existing answers.
    vocabulary: Vec<String>,
    rows: std::collections::HashSet<u32>,
}

/// One answer to put into the file.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Fill {
    pub sheet: String,
    pub row: u32,
    /// Canonical `Yes`/`No`/`N/A` (mapped onto the sheet's vocabulary) or
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
    /// Comments given for sheets without a comment column.
    pub comments_without_column: usize,
    pub skipped: Vec<SkippedCell>,
    pub notes: Vec<String>,
}

/// Reads and detects a questionnaire. Errors are one line naming the file.
pub fn read(path: &Path, opts: &ReadOptions) -> Result<Questionnaire> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let format = sniff::sniff(path, &bytes, opts.max_decompressed_bytes)?;
    let (source, fixed_layout) = load_source(path, bytes, format)?;
    let grids = source.grids();
    let selected = select_sheet(path, grids, opts)?;
    let overrides = fixed_layout.unwrap_or_else(|| Overrides {
        header_row: opts.header_row,
        question_col: opts.question_col.clone(),
        answer_col: opts.answer_col.clone(),
        comment_col: opts.comment_col.clone(),
        id_col: None,
        include_hidden: opts.include_hidden,
    });
    let mut sheets = Vec::new();
    let mut questions = Vec::new();
    let mut targets = Vec::new();
    for (i, grid) in grids.iter().enumerate() {
        let (layout, found, target) = detect_sheet(path, grid, i, selected, opts, &overrides)?;
        questions.extend(found);
        targets.extend(target);
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
        targets,
    })
}

/// Parses the file into grids. VSAQ files come with a fixed layout.
fn load_source(path: &Path, bytes: Vec<u8>, format: Format) -> Result<(Source, Option<Overrides>)> {
    Ok(match format {
        Format::Csv => {
            let (grid, dialect) = csv_in::read_csv(path, &bytes)?;
            (Source::Csv { grid, dialect }, None)
        }
        Format::VsaqJson => {
            let grid = vsaq::read_vsaq(path, &bytes)?;
            (
                Source::Values { grids: vec![grid] },
                Some(vsaq::overrides()),
            )
        }
        _ => {
            let wb = xlsx_in::read_workbook_bytes(path, &bytes, format)?;
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
            Source::Csv { grid, .. } => std::slice::from_ref(grid),
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

type SheetResult = (SheetLayout, Vec<Question>, Option<Target>);

fn detect_sheet(
    path: &Path,
    grid: &Grid,
    index: usize,
    selected: Option<usize>,
    opts: &ReadOptions,
    overrides: &Overrides,
) -> Result<SheetResult> {
    let mut layout = SheetLayout {
        name: grid.name.clone(),
        hidden: grid.hidden,
        header_row: None,
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
        skipped_reason: None,
        protected: grid.protected,
    };
    let skip = match selected {
        Some(s) if s != index => Some("not the selected sheet (--sheet)".to_owned()),
        Some(_) => None,
        None if grid.hidden && !opts.include_hidden => Some("hidden sheet".to_owned()),
        None => None,
    };
    if let Some(reason) = skip {
        layout.skipped_reason = Some(reason);
        return Ok((layout, Vec::new(), None));
    }
    if grid.rows.is_empty() {
        layout.skipped_reason = Some("empty sheet".to_owned());
        return Ok((layout, Vec::new(), None));
    }
    let det = detect(grid, overrides)
        .map_err(|e| anyhow::anyhow!("{}: sheet '{}': {e}", path.display(), grid.name))?;
    let header_text =
        |c: Option<u32>| c.and_then(|c| det.header_row.map(|h| grid.cell(h, c).trim().to_owned()));
    layout.header_row = det.header_row;
    layout.id_col = det.id_col.map(col_letter);
    layout.question_col = det.question_col.map(col_letter);
    layout.answer_col = det.answer_col.map(col_letter);
    layout.comment_col = det.comment_col.map(col_letter);
    layout.id_header = header_text(det.id_col);
    layout.question_header = header_text(det.question_col);
    layout.answer_header = header_text(det.answer_col);
    layout.comment_header = header_text(det.comment_col);
    layout.vocabulary = det.vocabulary.clone();
    layout.questions = det.rows.len();
    layout.skipped_reason = det.skipped_reason.clone();
    let questions: Vec<Question> = det
        .rows
        .iter()
        .map(|r| Question {
            sheet: grid.name.clone(),
            row: r.row,
            id: r.id.clone(),
            text: r.text.clone(),
            existing_answer: r.existing_answer.clone(),
        })
        .collect();
    let target = (!det.rows.is_empty()).then(|| {
        let vocabulary = if det.vocabulary.is_empty() {
            vocab::infer_from_answers(det.rows.iter().filter_map(|r| r.existing_answer.as_deref()))
        } else {
            det.vocabulary.clone()
        };
        Target {
            sheet: grid.name.clone(),
            grid: index,
            answer_col: det.answer_col,
            comment_col: det.comment_col,
            vocabulary,
            rows: det.rows.iter().map(|r| r.row).collect(),
        }
    });
    Ok((layout, questions, target))
}

/// "No question column found", with the headers seen and the override flags.
fn no_questions_message(path: &Path, grids: &[Grid], sheets: &[SheetLayout]) -> String {
    let mut seen = Vec::new();
    for (grid, layout) in grids.iter().zip(sheets) {
        if layout.skipped_reason.as_deref() == Some("hidden sheet") {
            continue;
        }
        let row = layout.header_row.or_else(|| {
            (1..=grid.height().min(50)).find(|&r| {
                (0..grid.width())
                    .filter(|&c| !grid.cell(r, c).trim().is_empty())
                    .count()
                    >= 2
            })
        });
        if let Some(r) = row {
            let cells: Vec<String> = (0..grid.width())
                .filter(|&c| !grid.cell(r, c).trim().is_empty())
                .take(12)
                .map(|c| format!("{}={:?}", col_letter(c), clip(grid.cell(r, c).trim(), 40)))
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
    if same_file(&q.path, output) && !opts.in_place {
        bail!(
            "{}: refusing to overwrite the questionnaire itself; choose another output or pass --in-place",
            output.display()
        );
    }
    let mut summary = WriteSummary {
        output: output.to_path_buf(),
        format: q.format,
        converted_from: None,
        answers_written: 0,
        comments_written: 0,
        comments_without_column: 0,
        skipped: Vec::new(),
        notes: Vec::new(),
    };
    let edits = plan_edits(q, fills, opts, &mut summary);
    let planned_skips = summary.skipped.len();
    match &q.source {
        Source::Csv { grid, dialect } => {
            let bytes = csv_out::render(grid, dialect, &edits);
            crate::util::write_atomic(output, &bytes)?;
        }
        Source::Xlsx {
            bytes,
            grids,
            package,
        } => {
            let patched = xlsx_patch::patch(bytes, grids, package, &edits, &mut summary)
                .with_context(|| format!("{}", q.path.display()))?;
            crate::util::write_atomic(output, &patched)?;
        }
        Source::Values { grids } => {
            let out = convert_out::write_converted(q.format, grids, &edits, output, &mut summary)?;
            summary.output = out;
        }
    }
    // Cells the writer refused (formulas, locked comments) were planned
    // edits: they are not written.
    let refused = &summary.skipped[planned_skips..];
    let refused_answers = refused
        .iter()
        .filter(|s| s.reason.starts_with("answer:"))
        .count();
    let refused_comments = refused.len() - refused_answers;
    let answers = edits.iter().filter(|e| e.is_answer).count();
    summary.answers_written = answers.saturating_sub(refused_answers);
    summary.comments_written = (edits.len() - answers).saturating_sub(refused_comments);
    Ok(summary)
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

/// Turns fills into cell edits, applying the vocabulary and the rule that a
/// non-blank customer cell is kept unless overwriting was asked for.
fn plan_edits(
    q: &Questionnaire,
    fills: &[Fill],
    opts: &WriteOptions,
    summary: &mut WriteSummary,
) -> Vec<CellEdit> {
    let grids = q.source.grids();
    let is_csv = matches!(q.source, Source::Csv { .. });
    let mut edits = Vec::new();
    for fill in fills {
        let skip = |summary: &mut WriteSummary, column: String, reason: String| {
            summary.skipped.push(SkippedCell {
                sheet: fill.sheet.clone(),
                row: fill.row,
                column,
                reason,
            })
        };
        let Some(target) = q.targets.iter().find(|t| t.sheet == fill.sheet) else {
            skip(
                summary,
                String::new(),
                "answer: no such question sheet".into(),
            );
            continue;
        };
        if !target.rows.contains(&fill.row) {
            skip(summary, String::new(), "answer: not a question row".into());
            continue;
        }
        let grid = &grids[target.grid];
        let cells = [
            (fill.answer.as_deref(), target.answer_col, true),
            (fill.comment.as_deref(), target.comment_col, false),
        ];
        for (value, col, is_answer) in cells {
            let Some(value) = value.filter(|v| !v.trim().is_empty()) else {
                continue;
            };
            let what = if is_answer { "answer" } else { "comment" };
            let Some(col) = col else {
                if is_answer {
                    skip(
                        summary,
                        String::new(),
                        "answer: the sheet has no answer column (use --answer-col)".into(),
                    );
                } else {
                    summary.comments_without_column += 1;
                }
                continue;
            };
            let hidden_by_merge = grid
                .merges
                .iter()
                .any(|m| m.contains(fill.row, col) && (m.r1, m.c1) != (fill.row, col));
            if hidden_by_merge {
                skip(
                    summary,
                    col_letter(col),
                    format!("{what}: the cell is covered by a merged range"),
                );
                continue;
            }
            let existing = grid.cell(fill.row, col);
            if !existing.trim().is_empty() && !opts.overwrite_existing {
                skip(
                    summary,
                    col_letter(col),
                    format!(
                        "{what}: the cell already holds {:?}",
                        clip(existing.trim(), 40)
                    ),
                );
                continue;
            }
            let mut text = if is_answer {
                vocab::map_answer(value, &target.vocabulary)
            } else {
                value.to_owned()
            };
            if is_answer
                && !target.vocabulary.is_empty()
                && !vocab::in_vocabulary(&text, &target.vocabulary)
            {
                summary.notes.push(format!(
                    "{} row {}: answer {:?} is not in the dropdown ({})",
                    fill.sheet,
                    fill.row,
                    clip(&text, 30),
                    target.vocabulary.join(", ")
                ));
            }
            if is_csv {
                text = csv_out::neutralise_formula(&text);
            }
            edits.push(CellEdit {
                grid: target.grid,
                row: fill.row,
                col,
                value: text,
                is_answer,
            });
        }
    }
    edits
}

impl Questionnaire {
    /// What the file already holds in the comment cell of a question row
    /// (`vouch library import` harvests it with the answer); None when the
    /// sheet has no comment column or the cell is blank.
    pub fn existing_comment(&self, q: &Question) -> Option<String> {
        let target = self.targets.iter().find(|t| t.sheet == q.sheet)?;
        let col = target.comment_col?;
        let text = self
            .source
            .grids()
            .get(target.grid)?
            .cell(q.row, col)
            .trim();
        (!text.is_empty()).then(|| text.to_owned())
    }
}
