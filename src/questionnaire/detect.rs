//! Layout detection: for one sheet, find the header rows, the question,
//! answer, comment and id columns, and the rows that hold questions.
//!
//! General heuristics only, no rules for particular files:
//! - header keywords (question/requirement; answer/response; comment/notes/
//!   evidence; id/ref/#), with analyst/internal/guidance columns penalised;
//! - column text statistics: the question column holds long texts ending in
//!   `?` or starting with an imperative or interrogative word;
//! - a list data validation on a column covering the question rows marks the
//!   answer column (hidden columns never qualify, nor a dropdown of analyst
//!   verdicts such as `Mark as Compliant`);
//! - a sheet may hold several header bands (section headers repeated with
//!   other columns): each band's questions go to that band's answer and
//!   comment columns; question rows above the first band (a general block)
//!   are recognised by an id shaped like the table's ids;
//! - rows that are titles, instructions, section headings, repeated headers,
//!   end markers or copyright notices are skipped ([`super::question_rows`]).

use std::collections::BTreeMap;

use super::keywords::{kw_answer, kw_comment, kw_id, kw_question, negative};
use super::question_rows::{question_rows, Block};
use super::sheet::{col_index, Grid, ValidationIndex};
use super::text_shape::question_weight;
use super::text_shape::{is_end_marker, is_texty, is_yes_no};
use super::vocab::is_answer_like;

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
    /// The main header row (the one the columns were chosen from).
    pub header_row: Option<u32>,
    pub id_col: Option<u32>,
    pub question_col: Option<u32>,
    pub answer_col: Option<u32>,
    pub comment_col: Option<u32>,
    /// Values of the dropdown covering most answer cells.
    pub vocabulary: Vec<String>,
    /// Every header band, in sheet order.
    pub bands: Vec<Block>,
    pub rows: Vec<DetectedRow>,
    pub skipped_reason: Option<String>,
    /// Some header names the answer column (`Answer`, `Vendor Answers`).
    pub answer_named: bool,
    /// Columns passed over because their dropdown offers verdicts, not
    /// answers: (column, its values).
    pub verdict_cols: Vec<(u32, Vec<String>)>,
}

#[derive(Debug, Clone)]
pub struct DetectedRow {
    pub row: u32,
    pub id: Option<String>,
    pub text: String,
    /// The answer already in the file (trimmed), `None` when blank.
    pub existing_answer: Option<String>,
    /// Where this row's answer and comment go (its band's columns).
    pub answer_col: Option<u32>,
    pub comment_col: Option<u32>,
    /// The answer cell holds only spaces (blank for detection, but reported).
    pub answer_spaces: bool,
}

/// How far down the main header row is looked for.
const HEADER_SEARCH_ROWS: u32 = 100;

pub fn detect(grid: &Grid, ov: &Overrides) -> Result<Detection, String> {
    let visible_col = |c: u32| ov.include_hidden || !grid.is_col_hidden(c);
    let headers = header_rows(grid, ov.include_hidden);
    let header_row = match ov.header_row {
        Some(0) => None,
        Some(r) => Some(r),
        None => main_header(&headers),
    };
    if header_row.is_none() && ov.question_col.is_none() {
        return Ok(skipped("no header row found"));
    }
    // Section headers (bands) only make sense around a header.
    let band_rows: Vec<u32> = match header_row {
        None => Vec::new(),
        Some(h) => {
            let mut rows: Vec<u32> = headers
                .iter()
                .filter(|x| x.band || x.row == h)
                .map(|x| x.row)
                .collect();
            if !rows.contains(&h) {
                rows.push(h);
            }
            rows.sort_unstable();
            rows
        }
    };
    let first_data = band_rows.first().map_or(1, |&b| b + 1);
    let header_text = |c: u32| header_row.map_or("", |h| grid.cell(h, c));
    let data_rows: Vec<u32> = grid
        .rows()
        .map(|(r, _)| r)
        .filter(|&r| r >= first_data && band_rows.binary_search(&r).is_err())
        .filter(|&r| ov.include_hidden || !grid.is_row_hidden(r))
        // "End of Standard" and copyright lines are not data.
        .filter(|&r| !grid.row_cells(r).iter().any(|(_, v)| is_end_marker(v)))
        .collect();
    let cols = grid.used_cols();
    let stats = ColStats::collect(grid, &data_rows);
    let content_rows = data_rows
        .iter()
        .filter(|&&r| {
            grid.row_cells(r)
                .iter()
                .any(|(c, v)| visible_col(*c) && !v.trim().is_empty())
        })
        .count()
        .max(1) as f64;
    let ctx = ColumnContext {
        grid,
        stats: &stats,
        content_rows,
        headers: &header_text,
        visible: &visible_col,
    };

    let question_col = match &ov.question_col {
        Some(spec) => Some(resolve_col(grid, header_row, spec, "--question-col")?),
        None => pick_question_col(&ctx, &cols),
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
    let mut verdict_cols = Vec::new();
    let answer_col = match &ov.answer_col {
        Some(spec) => Some(resolve_col(grid, header_row, spec, "--answer-col")?),
        None => pick_answer_col(&ctx, qcol, &candidate_rows, &dv_index, &mut verdict_cols),
    };
    let comment_col = match &ov.comment_col {
        Some(spec) => Some(resolve_col(grid, header_row, spec, "--comment-col")?),
        None => pick_comment_col(&ctx, &cols, qcol, answer_col),
    };
    let id_col = match &ov.id_col {
        Some(spec) => Some(resolve_col(grid, header_row, spec, "id column")?),
        None => pick_id_col(&ctx, &cols, qcol, answer_col, comment_col),
    };
    let main = Block {
        header_row,
        first_row: 1,
        last_row: u32::MAX,
        answer_col,
        comment_col,
    };
    let bands = band_blocks(grid, &band_rows, header_row, &main, qcol, id_col, ov);
    let layout = Layout {
        qcol,
        idcol: id_col,
        main_acol: answer_col,
        include_hidden: ov.include_hidden,
    };
    let rows = question_rows(grid, &layout, &bands, &dv_index);
    let vocabulary = answer_vocabulary(grid, &rows, &dv_index);
    let skipped_reason = rows.is_empty().then(|| "no question rows found".to_owned());
    let answer_named = answer_col.is_some_and(|a| {
        bands
            .iter()
            .filter_map(|b| b.header_row)
            .any(|h| kw_answer(grid.cell(h, a)) >= 0.9 && !negative(grid.cell(h, a)))
    });
    Ok(Detection {
        header_row,
        id_col,
        question_col: Some(qcol),
        answer_col,
        comment_col,
        vocabulary,
        bands,
        rows,
        skipped_reason,
        answer_named,
        verdict_cols,
    })
}

fn skipped(reason: &str) -> Detection {
    Detection {
        skipped_reason: Some(reason.to_owned()),
        ..Detection::default()
    }
}

/// The columns every band shares (from the main detection).
pub struct Layout {
    pub qcol: u32,
    pub idcol: Option<u32>,
    pub main_acol: Option<u32>,
    pub include_hidden: bool,
}

/// A column given as letters (`D`) or as header text (`Response`).
fn resolve_col(grid: &Grid, header: Option<u32>, spec: &str, flag: &str) -> Result<u32, String> {
    let wanted = spec.trim().to_lowercase();
    if let Some(h) = header {
        let cells = grid.row_cells(h);
        let exact = cells
            .iter()
            .find(|(_, v)| v.trim().to_lowercase() == wanted)
            .map(|(c, _)| *c);
        let partial = || {
            cells
                .iter()
                .find(|(_, v)| v.to_lowercase().contains(&wanted))
                .map(|(c, _)| *c)
        };
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

// ---------------------------------------------------------------- header rows

/// A row that reads like a header.
#[derive(Debug, Clone)]
struct HeaderRow {
    row: u32,
    score: f64,
    /// Also good enough to open a band below the main header: short cells,
    /// two or more header words, one of them naming the answer.
    band: bool,
}

/// Every header-like row of the sheet, in order.
fn header_rows(grid: &Grid, include_hidden: bool) -> Vec<HeaderRow> {
    let mut out = Vec::new();
    for (r, cells) in grid.rows() {
        if !include_hidden && grid.is_row_hidden(r) {
            continue;
        }
        let texts: Vec<&str> = cells
            .iter()
            .filter(|(c, _)| include_hidden || !grid.is_col_hidden(*c))
            .map(|(_, v)| v.trim())
            .filter(|t| !t.is_empty())
            .collect();
        if texts.len() < 2
            || texts
                .iter()
                .any(|t| t.len() > 200 || is_question_cell(t) || (is_yes_no(t) && kw_id(t) < 0.8))
        {
            continue;
        }
        let max = |f: fn(&str) -> f64| texts.iter().map(|t| f(t)).fold(0.0, f64::max);
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
        if score < 1.0 {
            continue;
        }
        let keyword_cells = texts
            .iter()
            .filter(|t| {
                kw_question(t) >= 0.8 || kw_answer(t) >= 0.9 || kw_comment(t) >= 0.6 || negative(t)
            })
            .count();
        let short = texts
            .iter()
            .all(|t| t.chars().count() <= 60 && t.split_whitespace().count() <= 6);
        let band = short && keyword_cells >= 2 && a >= 0.9;
        out.push(HeaderRow {
            row: r,
            score,
            band,
        });
    }
    out
}

/// The best header near the top of the sheet (the first one on a tie).
fn main_header(headers: &[HeaderRow]) -> Option<u32> {
    let mut best: Option<(f64, u32)> = None;
    for h in headers.iter().filter(|h| h.row <= HEADER_SEARCH_ROWS) {
        if best.is_none_or(|(s, _)| h.score > s + 1e-9) {
            best = Some((h.score, h.row));
        }
    }
    best.map(|(_, r)| r)
}

/// A cell that asks something (a data row), unlike a `Compliant?` label.
fn is_question_cell(t: &str) -> bool {
    t.ends_with('?') && t.split_whitespace().count() > 3
}

/// The blocks under each band, each with its own answer and comment
/// columns; rows above the first band form a block without a header.
fn band_blocks(
    grid: &Grid,
    band_rows: &[u32],
    main_header: Option<u32>,
    main: &Block,
    qcol: u32,
    idcol: Option<u32>,
    ov: &Overrides,
) -> Vec<Block> {
    let visible = |c: u32| ov.include_hidden || !grid.is_col_hidden(c);
    let mut blocks = Vec::new();
    let Some(&first) = band_rows.first() else {
        blocks.push(main.clone());
        return blocks;
    };
    // Above the first band: the general block, answered in the main
    // answer column; it names no comment column.
    blocks.push(Block {
        header_row: None,
        first_row: 1,
        last_row: first - 1,
        answer_col: main.answer_col,
        comment_col: if ov.comment_col.is_some() {
            main.comment_col
        } else {
            None
        },
    });
    for (i, &h) in band_rows.iter().enumerate() {
        let last_row = band_rows.get(i + 1).map_or(u32::MAX, |&n| n - 1);
        let (answer_col, comment_col) = if Some(h) == main_header {
            (main.answer_col, main.comment_col)
        } else {
            let taken = |c: u32| c == qcol || Some(c) == idcol || !visible(c);
            let cells = grid.row_cells(h);
            let answer = if ov.answer_col.is_some() {
                main.answer_col
            } else {
                nearest(
                    cells
                        .iter()
                        .filter(|(c, t)| !taken(*c) && kw_answer(t) >= 0.9 && !negative(t))
                        .map(|(c, _)| *c),
                    main.answer_col,
                )
                .or(main.answer_col)
            };
            let comment = if ov.comment_col.is_some() {
                main.comment_col
            } else {
                nearest(
                    cells
                        .iter()
                        .filter(|(c, t)| {
                            !taken(*c)
                                && Some(*c) != answer
                                && kw_comment(t) >= 0.6
                                && kw_answer(t) < 1.0
                                && !negative(t)
                        })
                        .map(|(c, _)| *c),
                    answer.map(|a| a + 1),
                )
            };
            (answer, comment)
        };
        blocks.push(Block {
            header_row: Some(h),
            first_row: h + 1,
            last_row,
            answer_col,
            comment_col,
        });
    }
    blocks
}

/// The column closest to `anchor` (the first one without an anchor).
fn nearest(cols: impl Iterator<Item = u32>, anchor: Option<u32>) -> Option<u32> {
    match anchor {
        Some(a) => cols.min_by_key(|&c| (c.abs_diff(a), c)),
        None => cols.min(),
    }
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
    /// The statistics of every column over `rows`, visiting each cell once.
    fn collect(grid: &Grid, rows: &[u32]) -> BTreeMap<u32, ColStats> {
        let mut all: BTreeMap<u32, ColStats> = BTreeMap::new();
        for &r in rows {
            for (col, text) in grid.row_cells(r) {
                let t = text.trim();
                if t.is_empty() {
                    continue;
                }
                let s = all.entry(*col).or_default();
                s.filled += 1;
                s.question_weight += question_weight(t);
                s.total_len += t.chars().take(300).count();
                s.yes_no += usize::from(is_yes_no(t));
                s.short += usize::from(t.chars().nth(24).is_none());
                s.with_digit += usize::from(t.chars().any(|c| c.is_ascii_digit()));
            }
        }
        all
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

/// What the column pickers look at.
struct ColumnContext<'a> {
    grid: &'a Grid,
    stats: &'a BTreeMap<u32, ColStats>,
    content_rows: f64,
    headers: &'a dyn Fn(u32) -> &'a str,
    visible: &'a dyn Fn(u32) -> bool,
}

impl ColumnContext<'_> {
    fn stats(&self, c: u32) -> ColStats {
        self.stats.get(&c).cloned().unwrap_or_default()
    }
}

fn pick_question_col(ctx: &ColumnContext, cols: &[u32]) -> Option<u32> {
    let mut best: Option<(f64, u32)> = None;
    for &c in cols {
        let s = ctx.stats(c);
        let h = (ctx.headers)(c);
        let kq = kw_question(h);
        if !(ctx.visible)(c) || s.filled == 0 || (s.question_weight < 1.0 && kq < 1.0) {
            continue;
        }
        let mut score = 2.0 * kq
            + 4.0 * (s.question_weight / ctx.content_rows).min(1.0)
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

fn pick_answer_col(
    ctx: &ColumnContext,
    qcol: u32,
    rows: &[u32],
    dv: &ValidationIndex,
    verdict_cols: &mut Vec<(u32, Vec<String>)>,
) -> Option<u32> {
    let grid = ctx.grid;
    let n = rows.len().max(1) as f64;
    // Candidates: columns with content, columns with a dropdown (an empty
    // answer column has no cells at all) and the few right of the question.
    let mut candidates: Vec<u32> = grid.used_cols();
    candidates.extend(dv.columns());
    candidates.extend(qcol + 1..=qcol + 4);
    candidates.sort_unstable();
    candidates.dedup();
    let mut best: Option<(f64, u32)> = None;
    for c in candidates {
        if c == qcol || !(ctx.visible)(c) || grid.is_col_hidden(c) {
            continue;
        }
        let h = (ctx.headers)(c);
        let s = ctx.stats(c);
        let covered: Vec<usize> = rows.iter().filter_map(|&r| dv.at(r, c)).collect();
        let list = covered.first().map(|&i| &grid.validations[i].values);
        if let Some(values) = list.filter(|v| !is_answer_like(v)) {
            // `Mark as Compliant`: an analyst's verdict, never the vendor's answer.
            verdict_cols.push((c, values.clone()));
            continue;
        }
        // A column of short numbered labels on most rows, left of the
        // questions, is an id column.
        let id_like = c < qcol
            && s.filled as f64 >= 0.5 * ctx.content_rows
            && s.frac(s.short) >= 0.8
            && s.frac(s.with_digit) >= 0.8
            && covered.is_empty();
        if id_like {
            continue;
        }
        let coverage = covered.len() as f64 / n;
        let yes_no_list = list.is_some_and(|v| v.iter().any(|v| is_yes_no(v)));
        let mut score = 3.0 * kw_answer(h) + 4.0 * coverage;
        if yes_no_list {
            score += 1.0;
        }
        if s.filled >= 3 {
            score += 2.0 * s.frac(s.yes_no);
        }
        score += if c > qcol { 0.5 } else { -0.5 };
        score -= 0.02 * f64::from(c.abs_diff(qcol).min(100));
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

fn pick_comment_col(
    ctx: &ColumnContext,
    cols: &[u32],
    qcol: u32,
    acol: Option<u32>,
) -> Option<u32> {
    let anchor = acol.unwrap_or(qcol);
    let mut best: Option<(f64, u32)> = None;
    for &c in cols {
        if c == qcol || Some(c) == acol || !(ctx.visible)(c) {
            continue;
        }
        let h = (ctx.headers)(c);
        let kc = kw_comment(h);
        if kc < 0.6 {
            continue;
        }
        let s = ctx.stats(c);
        let mut score = 3.0 * kc + if c > anchor { 0.5 } else { 0.0 };
        score -= 0.05 * f64::from(c.abs_diff(anchor).min(100));
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

fn pick_id_col(
    ctx: &ColumnContext,
    cols: &[u32],
    qcol: u32,
    acol: Option<u32>,
    ccol: Option<u32>,
) -> Option<u32> {
    let mut best: Option<(f64, u32)> = None;
    for &c in cols {
        if c == qcol || Some(c) == acol || Some(c) == ccol || !(ctx.visible)(c) {
            continue;
        }
        let s = ctx.stats(c);
        let h = (ctx.headers)(c);
        let filled = s.filled as f64 / ctx.content_rows;
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

/// Most answer cells are formulas: answers are pulled from another sheet
/// (HECVAT's analyst and summary sheets), so this is not where to answer.
pub fn answer_is_computed(grid: &Grid, rows: &[DetectedRow]) -> bool {
    let computed = rows
        .iter()
        .filter(|r| r.answer_col.is_some_and(|a| grid.is_formula(r.row, a)))
        .count();
    let with_col = rows.iter().filter(|r| r.answer_col.is_some()).count();
    with_col > 0 && computed * 2 > with_col
}

/// The values of the dropdown that covers most answer cells.
fn answer_vocabulary(grid: &Grid, rows: &[DetectedRow], dv: &ValidationIndex) -> Vec<String> {
    let mut counts: std::collections::HashMap<usize, usize> = Default::default();
    for row in rows {
        if let Some(i) = row.answer_col.and_then(|a| dv.at(row.row, a)) {
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
