//! The criteria x controls matrix for the categories in scope: which controls
//! address each criterion, and the criteria nothing implemented covers yet.
//! This is the gap analysis a team does before its audit.

use serde::Serialize;

use crate::model::{Project, Status, Visibility};
use crate::tsc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    /// No control addresses it.
    Uncovered,
    /// Only planned or in-progress controls.
    Partial,
    /// At least one implemented control.
    Covered,
}

#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub criterion: &'static str,
    pub category: tsc::Category,
    pub group: &'static str,
    pub title: &'static str,
    pub state: State,
    pub controls: Vec<ControlRef>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ControlRef {
    pub id: String,
    pub title: String,
    pub status: Status,
    pub visibility: Visibility,
}

/// One row per in-scope criterion: uncovered first, then partial, then
/// covered, each in catalog order.
pub fn matrix(project: &Project) -> Vec<Row> {
    let mut rows: Vec<Row> = project
        .in_scope_criteria()
        .into_iter()
        .map(|c| row_for(project, c))
        .collect();
    // Stable sort keeps catalog order within each state.
    rows.sort_by_key(|r| r.state);
    rows
}

fn row_for(project: &Project, c: &'static tsc::Criterion) -> Row {
    let controls: Vec<ControlRef> = project
        .controls
        .iter()
        .filter(|ctl| ctl.criteria.iter().any(|id| id == c.id))
        .map(|ctl| ControlRef {
            id: ctl.id.clone(),
            title: ctl.title.clone(),
            status: ctl.status,
            visibility: ctl.visibility,
        })
        .collect();
    let state = if controls.iter().any(|c| c.status == Status::Implemented) {
        State::Covered
    } else if controls.is_empty() {
        State::Uncovered
    } else {
        State::Partial
    };
    Row {
        criterion: c.id,
        category: c.category,
        group: c.group,
        title: c.title,
        state,
        controls,
    }
}
