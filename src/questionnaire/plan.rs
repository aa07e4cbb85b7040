//! Deciding, row by row, what goes into the customer's file.
//!
//! - A row whose answer cell already holds an answer is kept: neither an
//!   answer nor a comment is written next to it, unless overwriting.
//! - An answer goes only where it fits: never into a formula or a locked
//!   cell, always in the cell's own vocabulary (mapped onto the dropdown's
//!   spelling, else left empty with a flag), and never as a bare Yes/No
//!   into a free-text cell ("Please describe…").
//! - Every question gets a [`RowOutcome`]: written, kept, left empty or
//!   skipped, with the reasons.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::sheet::{col_letter, MergeIndex};
use super::text_shape::word_count;
use super::vocab::{self, kind_of, Kind};
use super::{clip, csv_out, AnswerFormat, CellEdit, Fill, Questionnaire, SkippedCell, Source};
use super::{Slot, WriteOptions};

/// Excel's limit on the characters of one cell.
pub const EXCEL_CELL_LIMIT: usize = 32_767;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum RowStatus {
    /// vouch wrote the answer.
    #[serde(rename = "written")]
    Written,
    /// The file already had an answer; vouch left it.
    #[serde(rename = "kept")]
    Kept,
    /// Nothing to write (tier review/none).
    #[serde(rename = "left empty")]
    LeftEmpty,
    /// Could not be written (formula, locked, outside the vocabulary...).
    #[serde(rename = "skipped")]
    Skipped,
}

impl RowStatus {
    pub fn name(self) -> &'static str {
        match self {
            RowStatus::Written => "written",
            RowStatus::Kept => "kept",
            RowStatus::LeftEmpty => "left empty",
            RowStatus::Skipped => "skipped",
        }
    }
}

/// What happened to one question.
#[derive(Debug, Clone, Serialize)]
pub struct RowOutcome {
    pub sheet: String,
    pub row: u32,
    pub status: RowStatus,
    /// The answer cell's content before (trimmed), if any.
    pub existing_answer: Option<String>,
    /// The value written into the answer cell (in the cell's spelling).
    pub written_answer: Option<String>,
    pub comment_written: bool,
    /// Why (kept, skipped, mapped, truncated...).
    pub reasons: Vec<String>,
}

impl RowOutcome {
    /// The writer refused a planned cell (a formula found while patching).
    pub(super) fn refused(&mut self, reason: &str) {
        if reason.starts_with("answer:") {
            self.status = RowStatus::Skipped;
            self.written_answer = None;
        } else {
            self.comment_written = false;
        }
        self.reasons.push(reason.to_owned());
    }
}

/// The cell edits and the outcome of every question.
#[derive(Debug, Clone, Default)]
pub struct FillPlan {
    pub(super) edits: Vec<CellEdit>,
    /// One per question, in question order.
    pub outcomes: Vec<RowOutcome>,
    pub(super) skipped: Vec<SkippedCell>,
    pub(super) notes: Vec<String>,
    pub(super) comments_without_column: usize,
}

/// Plans what to write for `fills` (at most one per question row).
pub fn plan_fill(q: &Questionnaire, fills: &[Fill], opts: &WriteOptions) -> FillPlan {
    let grids = q.source.grids();
    let ctx = Context {
        grids,
        merges: grids.iter().map(|g| g.merge_index()).collect(),
        is_csv: matches!(q.source, Source::Csv { .. }),
        opts,
    };
    let mut plan = FillPlan::default();
    let by_row: HashMap<(&str, u32), &Fill> = fills
        .iter()
        .map(|f| ((f.sheet.as_str(), f.row), f))
        .collect();
    let questions: HashSet<(&str, u32)> = q
        .questions
        .iter()
        .map(|x| (x.sheet.as_str(), x.row))
        .collect();
    for fill in fills {
        if !questions.contains(&(fill.sheet.as_str(), fill.row)) {
            plan.skipped.push(SkippedCell {
                sheet: fill.sheet.clone(),
                row: fill.row,
                column: String::new(),
                reason: "answer: not a question row of a respondent sheet".into(),
            });
        }
    }
    for (question, slot) in q.questions.iter().zip(&q.slots) {
        let fill = by_row
            .get(&(question.sheet.as_str(), question.row))
            .copied();
        let outcome = plan_row(&mut plan, &ctx, question, slot, fill);
        plan.outcomes.push(outcome);
    }
    plan
}

/// What planning needs besides the plan itself.
struct Context<'a> {
    grids: &'a [super::Grid],
    merges: Vec<MergeIndex>,
    is_csv: bool,
    opts: &'a WriteOptions,
}

/// The outcome of one question, adding its cell edits to the plan.
fn plan_row(
    plan: &mut FillPlan,
    ctx: &Context,
    question: &super::Question,
    slot: &Slot,
    fill: Option<&Fill>,
) -> RowOutcome {
    let mut out = RowOutcome {
        sheet: question.sheet.clone(),
        row: question.row,
        status: RowStatus::LeftEmpty,
        existing_answer: question.existing_answer.clone(),
        written_answer: None,
        comment_written: false,
        reasons: Vec::new(),
    };
    if question.answer_spaces {
        out.reasons
            .push("the answer cell held only spaces (counted as blank)".into());
    }
    if question.existing_answer.is_some() && !ctx.opts.overwrite_existing {
        out.status = RowStatus::Kept;
        if fill.is_some() {
            out.reasons.push(
                "the file already holds an answer: kept, nothing written beside it (--overwrite replaces it)"
                    .into(),
            );
        }
        return out;
    }
    let Some(fill) = fill else {
        // Nothing to write, but the reviewer should know the cell is not
        // the vendor's to type in.
        out.reasons.extend(question.not_writable.clone());
        return out;
    };
    let grid = &ctx.grids[slot.grid];
    let Some(answer) = fill
        .answer
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty())
    else {
        out.reasons.push("no answer to write".into());
        return out;
    };
    let Some(acol) = slot.answer_col else {
        let why = "the sheet has no answer column (use --answer-col)";
        skip(plan, &mut out, None, why.into());
        return out;
    };
    if let Some(why) = &question.not_writable {
        skip(plan, &mut out, Some(acol), why.clone());
        return out;
    }
    let merges = &ctx.merges[slot.grid];
    if covered_by_merge(merges, question.row, acol) {
        let why = "the answer cell is covered by a merged range";
        skip(plan, &mut out, Some(acol), why.into());
        return out;
    }
    let comment = fill
        .comment
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    let (value, comment) = match fit_answer(answer, comment, question.answer_format, slot) {
        Ok(fit) => fit,
        Err(why) => {
            skip(plan, &mut out, Some(acol), why);
            return out;
        }
    };
    if let Some(note) = &value.note {
        out.reasons.push(note.clone());
    } else if value.text != answer {
        out.reasons.push(format!(
            "answer written as {:?}, the cell's own spelling",
            value.text
        ));
    }
    let text = cell_text(&value.text, ctx.is_csv, &mut out.reasons, "answer");
    plan.edits.push(CellEdit {
        grid: slot.grid,
        row: question.row,
        col: acol,
        value: text.clone(),
        is_answer: true,
    });
    out.status = RowStatus::Written;
    out.written_answer = Some(text);
    if let Some(comment) = comment {
        let cell = (grid, merges);
        plan_comment(plan, &mut out, cell, slot, comment, ctx.is_csv, ctx.opts);
    }
    out
}

/// Marks a row skipped, with the cell and the reason.
fn skip(plan: &mut FillPlan, out: &mut RowOutcome, column: Option<u32>, why: String) {
    out.status = RowStatus::Skipped;
    plan.skipped.push(SkippedCell {
        sheet: out.sheet.clone(),
        row: out.row,
        column: column.map(col_letter).unwrap_or_default(),
        reason: format!("answer: {why}"),
    });
    out.reasons.push(why);
}

/// The comment beside a written answer, when its cell can take it.
fn plan_comment(
    plan: &mut FillPlan,
    out: &mut RowOutcome,
    (grid, merges): (&super::Grid, &MergeIndex),
    slot: &Slot,
    comment: &str,
    is_csv: bool,
    opts: &WriteOptions,
) {
    let Some(ccol) = slot.comment_col else {
        plan.comments_without_column += 1;
        return;
    };
    let row = out.row;
    let existing = grid.cell(row, ccol).trim();
    let refusal = if grid.is_formula(row, ccol) {
        Some("the comment cell holds a formula".to_owned())
    } else if grid.is_locked(row, ccol) {
        Some("the comment cell is locked on a protected sheet".to_owned())
    } else if covered_by_merge(merges, row, ccol) {
        Some("the comment cell is covered by a merged range".to_owned())
    } else if !existing.is_empty() && !opts.overwrite_existing {
        Some(format!(
            "the comment cell already holds {:?}",
            clip(existing, 40)
        ))
    } else {
        None
    };
    if let Some(why) = refusal {
        out.reasons.push(format!("comment not written: {why}"));
        plan.skipped.push(SkippedCell {
            sheet: out.sheet.clone(),
            row,
            column: col_letter(ccol),
            reason: format!("comment: {why}"),
        });
        return;
    }
    let text = cell_text(comment, is_csv, &mut out.reasons, "comment");
    plan.edits.push(CellEdit {
        grid: slot.grid,
        row,
        col: ccol,
        value: text,
        is_answer: false,
    });
    out.comment_written = true;
}

/// An answer as it will be written, with a note when it was changed.
struct Fitted {
    text: String,
    note: Option<String>,
}

/// Fits an answer into the cell: the dropdown's own spelling, or the
/// explanation instead of a bare Yes/No in a free-text cell. `Err` says
/// why nothing can be written. Returns the comment still to write.
fn fit_answer<'a>(
    answer: &str,
    comment: Option<&'a str>,
    format: AnswerFormat,
    slot: &Slot,
) -> Result<(Fitted, Option<&'a str>), String> {
    match format {
        AnswerFormat::UnknownChoice => Err(
            "the answer cell has a dropdown whose values could not be read; nothing written".into(),
        ),
        AnswerFormat::Choice => {
            let mapped = vocab::map_answer(answer, &slot.vocabulary);
            if vocab::in_vocabulary(&mapped, &slot.vocabulary) {
                Ok((
                    Fitted {
                        text: mapped,
                        note: None,
                    },
                    comment,
                ))
            } else {
                Err(format!(
                    "{:?} is not in the cell's dropdown ({}); left empty",
                    clip(answer, 40),
                    slot.vocabulary.join(", ")
                ))
            }
        }
        AnswerFormat::FreeText if matches!(kind_of(answer), Some(Kind::Yes | Kind::No)) => {
            match comment {
                // The explanation answers a "Please describe…" question; a bare
                // Yes does not.
                Some(c) if word_count(c) >= 3 => Ok((
                    Fitted {
                        text: c.to_owned(),
                        note: Some(format!(
                        "free-text answer cell: wrote the explanation instead of a bare {answer:?}"
                    )),
                    },
                    None,
                )),
                _ => Err(format!(
                    "a bare {answer:?} does not answer a free-text question; left empty"
                )),
            }
        }
        AnswerFormat::FreeText => Ok((
            Fitted {
                text: answer.to_owned(),
                note: None,
            },
            comment,
        )),
        AnswerFormat::Any => Ok((
            Fitted {
                text: vocab::map_answer(answer, &slot.vocabulary),
                note: None,
            },
            comment,
        )),
    }
}

/// The text as written into a cell: formula-neutralised for CSV, cut to
/// Excel's 32,767 characters (with a note) otherwise too long.
fn cell_text(value: &str, is_csv: bool, reasons: &mut Vec<String>, what: &str) -> String {
    let mut text = if is_csv {
        csv_out::neutralise_formula(value)
    } else {
        value.to_owned()
    };
    if text.chars().count() > EXCEL_CELL_LIMIT {
        text = truncate_chars(&text, EXCEL_CELL_LIMIT);
        reasons.push(format!(
            "{what} truncated to Excel's limit of {EXCEL_CELL_LIMIT} characters"
        ));
    }
    text
}

/// The first `n` characters of `s`, ending with `…` when cut.
pub fn truncate_chars(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        return s.to_owned();
    }
    let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
    t.push('…');
    t
}

/// A cell inside a merged range other than its top-left one.
fn covered_by_merge(merges: &MergeIndex, row: u32, col: u32) -> bool {
    merges
        .at(row, col)
        .is_some_and(|m| (m.r1, m.c1) != (row, col))
}
