//! Resolve: settle overlapping candidates by priority and group mentions into
//! entities (aliases, abbreviations defined in the text, surname-only
//! mentions); unknown capitalized names become diagnostics.

use crate::document::Document;
use crate::layers::{Diagnostic, Entity, Value};
use crate::matcher::Candidate;
use crate::segment::Segmentation;

/// Entities in order of first mention, and diagnostics.
pub fn resolve(
    _doc: &Document,
    _seg: &Segmentation,
    _candidates: Vec<Candidate>,
    _values: &[Value],
) -> (Vec<Entity>, Vec<Diagnostic>) {
    (Vec::new(), Vec::new())
}
