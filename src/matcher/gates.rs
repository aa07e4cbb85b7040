//! Gates before the auto tier: checks that hold a confident match back for
//! a human when something it needs is missing or conflicting.

use super::index::Index;
use super::Decided;
use crate::library::Library;

/// The run-level pass: an entry that is the best match for many unrelated
/// questions of one run is suspect.
pub(super) fn hubness(_index: &Index, _lib: &Library, _decided: &mut [Decided]) {}
