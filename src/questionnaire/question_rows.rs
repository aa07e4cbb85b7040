//! Which rows of a sheet hold a question the vendor answers.
//!
//! Not questions: titles, instructions, section headings (numbered titles
//! without a question), repeated headers, end markers and copyright lines,
//! one-word labels (`Date`), and rows a note reserves for someone else
//! ("GNRL-11 and GNRL-12; populated by the Institution").

use std::collections::HashSet;

use super::detect::{DetectedRow, Layout};
use super::keywords::{kw_answer, kw_comment, norm};
use super::sheet::{Grid, ValidationIndex};
use super::text_shape::{
    id_shape, is_end_marker, is_texty, is_yes_no, question_weight, word_count,
};

/// A band of rows sharing one header, with its own answer and comment
/// columns. The block above the first header has no header row.
#[derive(Debug, Clone)]
pub struct Block {
    pub header_row: Option<u32>,
    pub first_row: u32,
    pub last_row: u32,
    pub answer_col: Option<u32>,
    pub comment_col: Option<u32>,
}

impl Block {
    fn contains(&self, row: u32) -> bool {
        row >= self.first_row && row <= self.last_row
    }
}

fn clean(t: &str) -> String {
    t.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub fn question_rows(
    grid: &Grid,
    layout: &Layout,
    blocks: &[Block],
    dv: &ValidationIndex,
) -> Vec<DetectedRow> {
    let visible_col = |c: u32| layout.include_hidden || !grid.is_col_hidden(c);
    let headers: HashSet<u32> = blocks.iter().filter_map(|b| b.header_row).collect();
    let rows: Vec<u32> = grid
        .rows()
        .map(|(r, _)| r)
        .filter(|&r| layout.include_hidden || !grid.is_row_hidden(r))
        .filter(|r| !headers.contains(r))
        .collect();
    let merges = grid.merge_index();
    // Blocks are in row order: the one holding a row is found by bisection.
    let block_of = |r: u32| {
        let i = blocks.partition_point(|b| b.first_row <= r);
        (i > 0 && blocks[i - 1].contains(r)).then(|| i - 1)
    };
    let id_of = |r: u32| {
        layout
            .idcol
            .map(|c| grid.cell(r, c).trim().to_owned())
            .filter(|s| !s.is_empty())
    };
    let banded = |r: u32| block_of(r).is_some_and(|i| blocks[i].header_row.is_some());
    // The shapes of the ids of rows that clearly ask something: a row with
    // another id shape (`3.0.` among `2.1.00-01`) is a section number.
    let question_shapes: HashSet<String> = rows
        .iter()
        .filter(|&&r| question_weight(grid.cell(r, layout.qcol)) >= 0.6)
        .filter_map(|&r| id_of(r))
        .map(|id| id_shape(&id))
        .collect();
    // Ids seen under a header: a row above the first header is a question
    // only when its id is shaped like them (`GNRL-01` like `DOCU-01`).
    let table_shapes: HashSet<String> = rows
        .iter()
        .filter(|&&r| banded(r))
        .filter(|&&r| is_texty(grid.cell(r, layout.qcol)))
        .filter_map(|&r| id_of(r))
        .map(|id| id_shape(&id))
        .collect();
    // Whether the answer column's dropdown covers most question-like rows.
    let dv_on_answer = layout.main_acol.is_some_and(|a| {
        let texty: Vec<u32> = rows
            .iter()
            .copied()
            .filter(|&r| is_texty(grid.cell(r, layout.qcol)))
            .collect();
        let covered = texty.iter().filter(|&&r| dv.at(r, a).is_some()).count();
        !texty.is_empty() && covered * 2 >= texty.len()
    });
    let mut reserved = false;
    let mut current_block = None;
    let mut out = Vec::new();
    for (i, &r) in rows.iter().enumerate() {
        let Some(b) = block_of(r) else {
            continue;
        };
        let block = &blocks[b];
        if current_block != Some(b) {
            // A new header gives the rows back to the vendor.
            current_block = Some(b);
            reserved = false;
        }
        let text = grid.cell(r, layout.qcol).trim();
        let filled: Vec<u32> = grid
            .row_cells(r)
            .iter()
            .filter(|(c, v)| visible_col(*c) && !v.trim().is_empty())
            .map(|(c, _)| *c)
            .collect();
        if !is_texty(text) {
            // A note between rows may reserve the rows below for someone else.
            if let Some(note) = note_text(grid, r, &filled) {
                reserved = reserves_for_others(note);
            }
            continue;
        }
        if filled.iter().any(|&c| is_end_marker(grid.cell(r, c))) {
            continue;
        }
        let acol = block.answer_col;
        if is_header_like(grid, r, layout.qcol, acol, block.comment_col) {
            continue;
        }
        let covered = acol.is_some_and(|a| dv.at(r, a).is_some());
        let weight = question_weight(text);
        let question_merge = merges.at(r, layout.qcol);
        let merged_over_answer =
            acol.is_some_and(|a| question_merge.is_some_and(|m| m.contains(r, a)));
        if merged_over_answer {
            continue;
        }
        let id = id_of(r);
        if block.header_row.is_none() && blocks.len() > 1 {
            // Above the first header: only rows with an id shaped like the
            // table's (titles and instructions have none).
            let shaped = id
                .as_ref()
                .is_some_and(|id| table_shapes.contains(&id_shape(id)));
            if !shaped {
                continue;
            }
        }
        if reserved {
            continue;
        }
        // An instruction line under the header: no id where the others have
        // one, not a `?` question, and outside the answer dropdown (or alone
        // on its row).
        let id_missing = layout.idcol.is_some() && id.is_none();
        if !covered && weight < 1.0 && id_missing && (filled.len() == 1 || dv_on_answer) {
            continue;
        }
        if !covered && weight == 0.0 {
            let only_cell = filled.len() == 1;
            let merged_across = question_merge.is_some_and(|m| m.c2 > m.c1);
            let next_id = rows.get(i + 1).and_then(|&n| id_of(n));
            let section_id = match (&id, &next_id) {
                (Some(a), Some(b)) => {
                    let stem = a.trim_end_matches(['.', ' ']);
                    b.len() > a.len() && b.starts_with(stem)
                }
                _ => false,
            };
            // A numbered title (`3.0. Security Systems`) among questions
            // numbered otherwise (`3.2.00-01`).
            let section_number = id.as_ref().is_some_and(|id| {
                !question_shapes.is_empty() && !question_shapes.contains(&id_shape(id))
            }) && acol.is_none_or(|a| grid.cell(r, a).trim().is_empty());
            if only_cell || merged_across || section_id || section_number {
                continue;
            }
        }
        // A one-word label (`Date`) is a form field, not a question.
        if word_count(text) < 2 && !text.ends_with('?') {
            continue;
        }
        let raw_answer = acol.map_or("", |c| grid.cell(r, c));
        let existing_answer = Some(raw_answer.trim())
            .filter(|s| !s.is_empty())
            .map(str::to_owned);
        out.push(DetectedRow {
            row: r,
            id,
            text: clean(text),
            answer_spaces: !raw_answer.is_empty() && existing_answer.is_none(),
            existing_answer,
            answer_col: acol,
            comment_col: block.comment_col,
        });
    }
    out
}

/// The text of a note row: a sentence in some column other than the
/// question's, on a row without a question.
fn note_text<'a>(grid: &'a Grid, r: u32, filled: &[u32]) -> Option<&'a str> {
    filled
        .iter()
        .map(|&c| grid.cell(r, c).trim())
        .find(|t| word_count(t) >= 4)
}

/// "populated by the Institution", "to be completed by the customer": the
/// rows that follow are not the vendor's to answer. A note naming the
/// vendor ("populated by the Vendor") gives them back.
fn reserves_for_others(note: &str) -> bool {
    let n = norm(note);
    const VERBS: &[&str] = &[
        "populated by",
        "completed by",
        "filled in by",
        "filled out by",
        "answered by",
    ];
    const OTHERS: &[&str] = &[
        "institution",
        "customer",
        "client",
        "university",
        "college",
        "requester",
        "analyst",
        "assessor",
        "reviewer",
        "buyer",
    ];
    VERBS.iter().any(|v| {
        n.match_indices(v).any(|(i, _)| {
            let rest = n[i + v.len()..].trim_start();
            let rest = rest.strip_prefix("the ").unwrap_or(rest);
            OTHERS.iter().any(|o| rest.starts_with(o))
        })
    }) || n.contains("for institution use")
        || n.contains("for internal use")
        || n.contains("for office use")
}

/// A section header row that was not recognised as a band: a heading where
/// the question would be and header words ("Answer", "Additional
/// Information") in the answer and comment columns. A real answer
/// ("Response time is 4h") is longer or sits next to a question.
fn is_header_like(grid: &Grid, r: u32, qcol: u32, acol: Option<u32>, ccol: Option<u32>) -> bool {
    let Some(a) = acol else {
        return false;
    };
    let answer_cell = grid.cell(r, a);
    if question_weight(grid.cell(r, qcol)) > 0.0 {
        return false;
    }
    let header_like = |t: &str, kw: f64| kw >= 1.0 && t.split_whitespace().count() <= 3;
    let answer_is_header =
        header_like(answer_cell, kw_answer(answer_cell)) && !is_yes_no(answer_cell);
    let comment_is_header = ccol.is_some_and(|c| {
        let t = grid.cell(r, c);
        header_like(t, kw_comment(t))
    });
    answer_is_header || (comment_is_header && kw_answer(answer_cell) > 0.0)
}
