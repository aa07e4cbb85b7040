//! Layout detection: for one sheet, find the header row, the question,
//! answer, comment and id columns, and the rows that hold questions.
//!
//! General heuristics only, no rules for particular files:
//! - header keywords (question/requirement; answer/response; comment/notes/
//!   evidence; id/ref/#), with analyst/internal/guidance columns penalised;
//! - column text statistics: the question column holds long texts ending in
//!   `?` or starting with an imperative or interrogative word;
//! - a list data validation on a column covering the question rows marks the
//!   answer column (hidden columns never qualify);
//! - rows that are titles, instructions, section headings, repeated headers,
//!   end markers or copyright notices are skipped.

use super::keywords::{kw_answer, kw_comment, kw_id, kw_question, negative, norm};
use super::sheet::{col_index, Grid, ValidationIndex};
use super::text_shape::question_weight;
use super::text_shape::{is_end_marker, is_texty, is_yes_no};

/// User overrides (`--header-row`, `--question-col`, ...).
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub header_row: Option<u32>,
    pub question_col: Option<String>,
    pub answer_col: Option<String>,
    pub comment_col: Option<String>,
    /// Only used by fixed layouts (VSAQ); users never need it.
    pub id_col: Option<String>,
    pub include_hidden: bool,
}

/// What was found on one sheet.
#[derive(Debug, Clone, Default)]
pub struct Detection {
    pub header_row: Option<u32>,
    pub id_col: Option<u32>,
    pub question_col: Option<u32>,
    pub answer_col: Option<u32>,
    pub comment_col: Option<u32>,
    /// Values of the dropdown on the answer column.
    pub vocabulary: Vec<String>,
    pub rows: Vec<DetectedRow>,
    pub skipped_reason: Option<String>,
}

#[derive(Debug, Clone)]
pub struct DetectedRow {
    pub row: u32,
    pub id: Option<String>,
    pub text: String,
    pub existing_answer: Option<String>,
}

/// How far down a header row is looked for.
const HEADER_SEARCH_ROWS: u32 = 100;

pub fn detect(grid: &Grid, ov: &Overrides) -> Result<Detection, String> {
    let header_row = match ov.header_row {
        Some(0) => None,
        Some(r) => Some(r),
        None => find_header_row(grid, ov.include_hidden),
    };
    if header_row.is_none() && ov.question_col.is_none() {
        return Ok(skipped("no header row found"));
    }
    let first_data = header_row.map_or(1, |h| h + 1);
    let headers = |c: u32| header_row.map_or("", |h| grid.cell(h, c));
    let visible = |c: u32| ov.include_hidden || !grid.is_col_hidden(c);
    let width = grid.width();
    let data_rows: Vec<u32> = (first_data..=grid.height())
        .filter(|&r| ov.include_hidden || !grid.is_row_hidden(r))
        .collect();
    let stats: Vec<ColStats> = (0..width)
        .map(|c| ColStats::collect(grid, c, &data_rows))
        .collect();
    let content_rows = data_rows
        .iter()
        .filter(|&&r| (0..width).any(|c| visible(c) && !grid.cell(r, c).trim().is_empty()))
        .count()
        .max(1) as f64;

    let question_col = match &ov.question_col {
        Some(spec) => Some(resolve_col(grid, header_row, spec, "--question-col")?),
        None => pick_question_col(width, &stats, content_rows, headers, visible),
    };
    let Some(qcol) = question_col else {
        return Ok(Detection {
            header_row,
            ..skipped("no question column found")
        });
    };
    let candidate_rows: Vec<u32> = data_rows
        .iter()
        .copied()
        .filter(|&r| is_texty(grid.cell(r, qcol)))
        .collect();
    let dv_index = grid.validation_index();
    let answer_col = match &ov.answer_col {
        Some(spec) => Some(resolve_col(grid, header_row, spec, "--answer-col")?),
        None => pick_answer_col(
            grid,
            qcol,
            &candidate_rows,
            &stats,
            &dv_index,
            headers,
            visible,
        ),
    };
    let comment_col = match &ov.comment_col {
        Some(spec) => Some(resolve_col(grid, header_row, spec, "--comment-col")?),
        None => pick_comment_col(width, qcol, answer_col, &stats, headers, visible),
    };
    let id_col = match &ov.id_col {
        Some(spec) => Some(resolve_col(grid, header_row, spec, "id column")?),
        None => pick_id_col(
            width,
            qcol,
            answer_col,
            comment_col,
            &stats,
            content_rows,
            headers,
            visible,
        ),
    };
    let layout = Layout {
        header_row,
        qcol,
        acol: answer_col,
        ccol: comment_col,
        idcol: id_col,
    };
    let rows = question_rows(grid, &layout, &data_rows, &dv_index, &visible);
    let vocabulary = answer_vocabulary(grid, answer_col, &rows, &dv_index);
    let mut rows = rows;
    let mut skipped_reason = rows.is_empty().then(|| "no question rows found".to_owned());
    if answer_is_computed(grid, answer_col, &rows) {
        rows.clear();
        skipped_reason =
            Some("the answer column holds formulas (a summary or analyst sheet)".to_owned());
    }
    Ok(Detection {
        header_row,
        id_col,
        question_col: Some(qcol),
        answer_col,
        comment_col,
        vocabulary,
        rows,
        skipped_reason,
    })
}

fn skipped(reason: &str) -> Detection {
    Detection {
        skipped_reason: Some(reason.to_owned()),
        ..Detection::default()
    }
}

/// A column given as letters (`D`) or as header text (`Response`).
fn resolve_col(grid: &Grid, header: Option<u32>, spec: &str, flag: &str) -> Result<u32, String> {
    let wanted = spec.trim().to_lowercase();
    if let Some(h) = header {
        let width = grid.width();
        let exact = (0..width).find(|&c| grid.cell(h, c).trim().to_lowercase() == wanted);
        let partial = || (0..width).find(|&c| grid.cell(h, c).to_lowercase().contains(&wanted));
        if let Some(c) = exact {
            return Ok(c);
        }
        if let Some(c) = col_index(spec) {
            return Ok(c);
        }
        if let Some(c) = partial() {
            return Ok(c);
        }
    } else if let Some(c) = col_index(spec) {
        return Ok(c);
    }
    Err(format!(
        "{flag} {spec:?}: neither a column letter nor a header of sheet '{}'",
        grid.name
    ))
}

// ---------------------------------------------------------------- header row

fn find_header_row(grid: &Grid, include_hidden: bool) -> Option<u32> {
    let mut best: Option<(f64, u32)> = None;
    for r in 1..=grid.height().min(HEADER_SEARCH_ROWS) {
        if !include_hidden && grid.is_row_hidden(r) {
            continue;
        }
        let cells: Vec<&str> = (0..grid.width())
            .filter(|&c| include_hidden || !grid.is_col_hidden(c))
            .map(|c| grid.cell(r, c).trim())
            .filter(|t| !t.is_empty())
            .collect();
        if cells.len() < 2
            || cells
                .iter()
                .any(|t| t.len() > 200 || is_question_cell(t) || (is_yes_no(t) && kw_id(t) < 0.8))
        {
            continue;
        }
        let max = |f: fn(&str) -> f64| cells.iter().map(|t| f(t)).fold(0.0, f64::max);
        let (q, a, c, id) = (
            max(kw_question),
            max(kw_answer),
            max(kw_comment),
            max(kw_id),
        );
        if q < 0.8 && a < 0.8 {
            continue;
        }
        let score = q + a + 0.5 * c + 0.5 * id;
        if score >= 1.0 && best.is_none_or(|(s, _)| score > s + 1e-9) {
            best = Some((score, r));
        }
    }
    best.map(|(_, r)| r)
}

/// A cell that asks something (a data row), unlike a `Compliant?` label.
fn is_question_cell(t: &str) -> bool {
    t.ends_with('?') && t.split_whitespace().count() > 3
}

// ---------------------------------------------------------------- columns

#[derive(Debug, Default, Clone)]
struct ColStats {
    filled: usize,
    question_weight: f64,
    total_len: usize,
    yes_no: usize,
    short: usize,
    with_digit: usize,
}

impl ColStats {
    fn collect(grid: &Grid, col: u32, rows: &[u32]) -> Self {
        let mut s = ColStats::default();
        for &r in rows {
            let t = grid.cell(r, col).trim();
            if t.is_empty() {
                continue;
            }
            s.filled += 1;
            s.question_weight += question_weight(t);
            s.total_len += t.chars().count().min(300);
            s.yes_no += usize::from(is_yes_no(t));
            s.short += usize::from(t.chars().count() <= 24);
            s.with_digit += usize::from(t.chars().any(|c| c.is_ascii_digit()));
        }
        s
    }

    fn avg_len(&self) -> f64 {
        if self.filled == 0 {
            0.0
        } else {
            self.total_len as f64 / self.filled as f64
        }
    }

    fn frac(&self, n: usize) -> f64 {
        if self.filled == 0 {
            0.0
        } else {
            n as f64 / self.filled as f64
        }
    }
}

fn pick_question_col<'a>(
    width: u32,
    stats: &[ColStats],
    content_rows: f64,
    headers: impl Fn(u32) -> &'a str,
    visible: impl Fn(u32) -> bool,
) -> Option<u32> {
    let mut best: Option<(f64, u32)> = None;
    for c in 0..width {
        let s = &stats[c as usize];
        let h = headers(c);
        let kq = kw_question(h);
        if !visible(c) || s.filled == 0 || (s.question_weight < 1.0 && kq < 1.0) {
            continue;
        }
        let mut score = 2.0 * kq
            + 4.0 * (s.question_weight / content_rows).min(1.0)
            + s.avg_len().min(150.0) / 150.0;
        if kw_id(h) >= 0.8 {
            score -= 2.0;
        }
        if negative(h) {
            score -= 1.0;
        }
        if best.is_none_or(|(b, _)| score > b + 1e-9) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| c)
}

fn pick_answer_col<'a>(
    grid: &Grid,
    qcol: u32,
    rows: &[u32],
    stats: &[ColStats],
    dv: &ValidationIndex,
    headers: impl Fn(u32) -> &'a str,
    visible: impl Fn(u32) -> bool,
) -> Option<u32> {
    let n = rows.len().max(1) as f64;
    // Look a little beyond the used range: an empty answer column with
    // only a dropdown has no cells at all.
    let width = grid.width().max(qcol + 1) + 4;
    let mut best: Option<(f64, u32)> = None;
    for c in 0..width {
        if c == qcol || !visible(c) || grid.is_col_hidden(c) {
            continue;
        }
        let h = headers(c);
        let s = stats.get(c as usize).cloned().unwrap_or_default();
        let covered: Vec<usize> = rows.iter().filter_map(|&r| dv.at(r, c)).collect();
        let coverage = covered.len() as f64 / n;
        let yes_no_list = covered
            .first()
            .map(|&i| grid.validations[i].values.iter().any(|v| is_yes_no(v)))
            .unwrap_or(false);
        let mut score = 3.0 * kw_answer(h) + 4.0 * coverage;
        if yes_no_list {
            score += 1.0;
        }
        if s.filled >= 3 {
            score += 2.0 * s.frac(s.yes_no);
        }
        score += if c > qcol { 0.5 } else { -0.5 };
        score -= 0.02 * f64::from(c.abs_diff(qcol));
        if negative(h) {
            score -= 3.0;
        }
        if kw_answer(h) < 1.0 {
            score -= 1.5 * kw_comment(h);
        }
        if kw_id(h) >= 0.8 {
            score -= 2.0;
        }
        score -= 3.0 * (s.question_weight / n).min(1.0);
        if score >= 1.5 && best.is_none_or(|(b, _)| score > b + 1e-9) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| c)
}

fn pick_comment_col<'a>(
    width: u32,
    qcol: u32,
    acol: Option<u32>,
    stats: &[ColStats],
    headers: impl Fn(u32) -> &'a str,
    visible: impl Fn(u32) -> bool,
) -> Option<u32> {
    let anchor = acol.unwrap_or(qcol);
    let mut best: Option<(f64, u32)> = None;
    for c in 0..width.max(anchor + 1) {
        if c == qcol || Some(c) == acol || !visible(c) {
            continue;
        }
        let h = headers(c);
        let kc = kw_comment(h);
        if kc < 0.6 {
            continue;
        }
        let s = stats.get(c as usize).cloned().unwrap_or_default();
        let mut score = 3.0 * kc + if c > anchor { 0.5 } else { 0.0 };
        score -= 0.05 * f64::from(c.abs_diff(anchor));
        if negative(h) {
            score -= 3.0;
        }
        if s.filled > 0 && s.question_weight / s.filled as f64 > 0.8 {
            score -= 1.0;
        }
        if score > 1.0 && best.is_none_or(|(b, _)| score > b + 1e-9) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| c)
}

#[allow(clippy::too_many_arguments)]
fn pick_id_col<'a>(
    width: u32,
    qcol: u32,
    acol: Option<u32>,
    ccol: Option<u32>,
    stats: &[ColStats],
    content_rows: f64,
    headers: impl Fn(u32) -> &'a str,
    visible: impl Fn(u32) -> bool,
) -> Option<u32> {
    let mut best: Option<(f64, u32)> = None;
    for c in 0..width {
        if c == qcol || Some(c) == acol || Some(c) == ccol || !visible(c) {
            continue;
        }
        let s = &stats[c as usize];
        let h = headers(c);
        let filled = s.filled as f64 / content_rows;
        let short = s.frac(s.short);
        let digits = s.frac(s.with_digit);
        if filled < 0.5 || short < 0.8 || (kw_id(h) < 0.8 && digits < 0.8) {
            continue;
        }
        let mut score = 2.0 * kw_id(h) + 2.0 * short * filled.min(1.0) + digits;
        if c < qcol {
            score += 0.5;
        }
        if best.is_none_or(|(b, _)| score > b + 1e-9) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| c)
}

// ---------------------------------------------------------------- rows

struct Layout {
    header_row: Option<u32>,
    qcol: u32,
    acol: Option<u32>,
    ccol: Option<u32>,
    idcol: Option<u32>,
}

fn clean(t: &str) -> String {
    t.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn question_rows(
    grid: &Grid,
    layout: &Layout,
    data_rows: &[u32],
    dv: &ValidationIndex,
    visible: &dyn Fn(u32) -> bool,
) -> Vec<DetectedRow> {
    let width = grid.width();
    let header_cells: Vec<String> = match layout.header_row {
        Some(h) => (0..width).map(|c| norm(grid.cell(h, c))).collect(),
        None => Vec::new(),
    };
    let id_of = |r: u32| {
        layout
            .idcol
            .map(|c| grid.cell(r, c).trim().to_owned())
            .filter(|s| !s.is_empty())
    };
    // Whether the answer column's dropdown covers most question-like rows.
    let dv_on_answer = layout.acol.is_some_and(|a| {
        let texty: Vec<u32> = data_rows
            .iter()
            .copied()
            .filter(|&r| is_texty(grid.cell(r, layout.qcol)))
            .collect();
        let covered = texty.iter().filter(|&&r| dv.at(r, a).is_some()).count();
        !texty.is_empty() && covered * 2 >= texty.len()
    });
    let mut out = Vec::new();
    for (i, &r) in data_rows.iter().enumerate() {
        let text = grid.cell(r, layout.qcol).trim();
        if !is_texty(text) {
            continue;
        }
        let filled: Vec<u32> = (0..width)
            .filter(|&c| visible(c) && !grid.cell(r, c).trim().is_empty())
            .collect();
        if filled.iter().any(|&c| is_end_marker(grid.cell(r, c))) {
            continue;
        }
        if is_repeated_header(grid, r, layout, &header_cells) {
            continue;
        }
        let covered = layout.acol.is_some_and(|a| dv.at(r, a).is_some());
        let weight = question_weight(text);
        let merged_over_answer = layout.acol.is_some_and(|a| {
            grid.merges
                .iter()
                .any(|m| m.contains(r, layout.qcol) && m.contains(r, a))
        });
        if merged_over_answer {
            continue;
        }
        let id = id_of(r);
        // An instruction line under the header: no id where the others have
        // one, not a `?` question, and outside the answer dropdown (or alone
        // on its row).
        let id_missing = layout.idcol.is_some() && id.is_none();
        if !covered && weight < 1.0 && id_missing && (filled.len() == 1 || dv_on_answer) {
            continue;
        }
        if !covered && weight == 0.0 {
            let only_cell = filled.len() == 1;
            let merged_across = grid
                .merges
                .iter()
                .any(|m| m.contains(r, layout.qcol) && m.c2 > m.c1);
            let next_id = data_rows.get(i + 1).and_then(|&n| id_of(n));
            let section_id = match (&id, &next_id) {
                (Some(a), Some(b)) => {
                    let stem = a.trim_end_matches(['.', ' ']);
                    b.len() > a.len() && b.starts_with(stem)
                }
                _ => false,
            };
            if only_cell || merged_across || section_id {
                continue;
            }
        }
        let existing_answer = layout
            .acol
            .map(|c| grid.cell(r, c).trim())
            .filter(|s| !s.is_empty())
            .map(str::to_owned);
        out.push(DetectedRow {
            row: r,
            id,
            text: clean(text),
            existing_answer,
        });
    }
    out
}

/// A row that repeats the header (or a section header in the header's
/// shape: "Documentation | Answer | Additional Information").
fn is_repeated_header(grid: &Grid, r: u32, layout: &Layout, header_cells: &[String]) -> bool {
    let same_as_header = header_cells
        .iter()
        .enumerate()
        .filter(|(c, h)| {
            let cell = grid.cell(r, *c as u32);
            // Cheap length test first: most cells are far from any header.
            !h.is_empty() && cell.len() <= 2 * h.len() + 8 && norm(cell) == **h
        })
        .count();
    if same_as_header >= 2 {
        return true;
    }
    let Some(a) = layout.acol else {
        return false;
    };
    let answer_cell = grid.cell(r, a);
    // A section header row: a heading where the question would be and
    // header words ("Answer", "Additional Information") in the answer and
    // comment columns. A real answer ("Response time is 4h") is longer or
    // sits next to a question.
    if question_weight(grid.cell(r, layout.qcol)) > 0.0 {
        return false;
    }
    let header_like = |t: &str, kw: f64| kw >= 1.0 && t.split_whitespace().count() <= 3;
    let answer_is_header =
        header_like(answer_cell, kw_answer(answer_cell)) && !is_yes_no(answer_cell);
    let comment_is_header = layout.ccol.is_some_and(|c| {
        let t = grid.cell(r, c);
        header_like(t, kw_comment(t))
    });
    answer_is_header || (comment_is_header && kw_answer(answer_cell) > 0.0)
}

/// Most answer cells are formulas: answers are pulled from another sheet
/// (HECVAT's analyst and summary sheets), so this is not where to answer.
fn answer_is_computed(grid: &Grid, acol: Option<u32>, rows: &[DetectedRow]) -> bool {
    let Some(a) = acol else {
        return false;
    };
    let computed = rows
        .iter()
        .filter(|r| grid.formula_cells.contains(&(r.row, a)))
        .count();
    !rows.is_empty() && computed * 2 > rows.len()
}

/// The values of the dropdown that covers most question rows of the answer
/// column.
fn answer_vocabulary(
    grid: &Grid,
    acol: Option<u32>,
    rows: &[DetectedRow],
    dv: &ValidationIndex,
) -> Vec<String> {
    let Some(a) = acol else {
        return Vec::new();
    };
    let mut counts: std::collections::HashMap<usize, usize> = Default::default();
    for row in rows {
        if let Some(i) = dv.at(row.row, a) {
            *counts.entry(i).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .max_by_key(|&(i, n)| (n, std::cmp::Reverse(i)))
        .map(|(i, _)| grid.validations[i].values.clone())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords() {
        assert!(kw_question("Question") > 0.9);
        assert!(kw_question("Question ID") < 0.5);
        assert!(kw_id("Question ID") >= 0.8);
        assert!(kw_answer("Response (Yes/No/N/A)") > 0.9);
        assert!(kw_answer("CSP CAIQ Answer") > 0.9);
        assert!(kw_comment("Supporting Comments") > 0.9);
        assert!(negative("Analyst Notes"));
        assert!(negative("Risk Weighting (internal)"));
        assert!(!negative("Additional Information"));
    }

    fn grid(rows: &[&[&str]]) -> Grid {
        let mut g = Grid::new("S");
        for (r, cells) in rows.iter().enumerate() {
            for (c, v) in cells.iter().enumerate() {
                if !v.is_empty() {
                    g.set(r as u32 + 1, c as u32, v.to_string());
                }
            }
        }
        g
    }

    fn letters(d: &Detection) -> [Option<String>; 4] {
        use crate::questionnaire::sheet::col_letter;
        [d.id_col, d.question_col, d.answer_col, d.comment_col].map(|c| c.map(col_letter))
    }

    #[test]
    fn requirement_style_headers() {
        let g = grid(&[
            &["Supplier security requirements"],
            &[],
            &["No.", "Requirement", "Compliance (Y/N)", "Remarks"],
            &[
                "1",
                "The supplier shall encrypt data at rest using strong algorithms.",
                "",
                "",
            ],
            &["2", "Describe how privileged access is reviewed.", "", ""],
            &["3", "Is there a documented incident response plan?", "", ""],
        ]);
        let d = detect(&g, &Overrides::default()).unwrap();
        assert_eq!(d.header_row, Some(3));
        let l = letters(&d);
        assert_eq!(
            l,
            [
                Some("A".into()),
                Some("B".into()),
                Some("C".into()),
                Some("D".into())
            ]
        );
        assert_eq!(d.rows.len(), 3);
    }

    #[test]
    fn control_description_headers() {
        let g = grid(&[
            &[
                "Control Domain",
                "Control ID",
                "Control Description",
                "Vendor Response",
                "Evidence",
            ],
            &[
                "Access",
                "AC-1",
                "Access to production is reviewed quarterly by system owners.",
                "",
                "",
            ],
            &[
                "Access",
                "AC-2",
                "Multi-factor authentication is enforced for all administrators.",
                "",
                "",
            ],
            &[
                "Access",
                "AC-3",
                "Do you remove access within one day of termination?",
                "",
                "",
            ],
        ]);
        let d = detect(&g, &Overrides::default()).unwrap();
        let l = letters(&d);
        assert_eq!(
            l,
            [
                Some("B".into()),
                Some("C".into()),
                Some("D".into()),
                Some("E".into())
            ]
        );
        assert_eq!(d.rows.len(), 3);
    }

    #[test]
    fn section_rows_and_end_rows_are_skipped() {
        let g = grid(&[
            &["#", "Question", "Answer", "Comments"],
            &["", "Access Control"],
            &["1", "Do you enforce MFA for administrators?", "", ""],
            &["", "Encryption"],
            &["2", "Is data encrypted at rest?", "", ""],
            &["#", "Question", "Answer", "Comments"],
            &["3", "Are keys rotated yearly?", "", ""],
            &["End of Questionnaire"],
            &["© 2024 Example Corp. All rights reserved."],
        ]);
        let d = detect(&g, &Overrides::default()).unwrap();
        let rows: Vec<u32> = d.rows.iter().map(|r| r.row).collect();
        assert_eq!(rows, vec![3, 5, 7]);
    }

    #[test]
    fn instruction_rows_under_the_header_are_skipped() {
        let g = grid(&[
            &["Ref", "Question", "Response", "Comments"],
            &[
                "",
                "Please answer every question below and explain any No answers.",
            ],
            &["1.1", "Do you enforce MFA for administrators?", "", ""],
            &[
                "1.2",
                "Describe your backup process.",
                "Response time is 4h",
                "",
            ],
            &["1.3", "Is data encrypted at rest?", "Yes", ""],
        ]);
        let d = detect(&g, &Overrides::default()).unwrap();
        let rows: Vec<u32> = d.rows.iter().map(|r| r.row).collect();
        assert_eq!(rows, vec![3, 4, 5]);
    }

    #[test]
    fn compliant_question_mark_header() {
        let g = grid(&[
            &["Vendor controls review"],
            &["ID", "Control", "Compliant?", "Notes"],
            &[
                "C1",
                "Production access requires multi-factor authentication for all staff.",
                "",
                "",
            ],
            &[
                "C2",
                "Backups are encrypted and restore-tested every quarter by operations.",
                "",
                "",
            ],
        ]);
        let d = detect(&g, &Overrides::default()).unwrap();
        assert_eq!(d.header_row, Some(2));
        let l = letters(&d);
        assert_eq!(
            l,
            [
                Some("A".into()),
                Some("B".into()),
                Some("C".into()),
                Some("D".into())
            ]
        );
        assert_eq!(d.rows.len(), 2);
    }

    #[test]
    fn question_shapes() {
        assert_eq!(question_weight("Do you encrypt data at rest?"), 1.0);
        assert_eq!(question_weight("Do you encrypt data at rest?*"), 1.0);
        assert!(question_weight("4.2.1 Describe your backup process.") > 0.5);
        assert_eq!(question_weight("Access Control"), 0.0);
        assert!(is_end_marker("End of Standard"));
        assert!(is_end_marker("© Copyright 2021 Cloud Security Alliance"));
    }
}
