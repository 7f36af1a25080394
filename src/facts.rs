//! Facts: claims from the fact patterns in `rules/facts.toml`, each with its
//! evidence span, its arguments (entity ids, value indices, strings) and the
//! rule that made it.

use crate::document::Document;
use crate::layers::{Entity, Fact, Value};
use crate::rules::{RuleError, RulePack};
use crate::segment::Segmentation;

/// The compiled fact patterns.
#[derive(Debug, Default)]
pub struct FactRules {}

impl FactRules {
    /// The examples the pack's entries for this stage carry (run by
    /// `factsift check`).
    pub fn examples(_pack: &RulePack) -> Vec<crate::pipeline::Example> {
        Vec::new()
    }

    pub fn compile(_pack: &RulePack) -> Result<FactRules, Vec<RuleError>> {
        Ok(FactRules {})
    }

    /// Every fact of the document. `values` is sorted by span; an
    /// [`crate::layers::Arg::Value`] indexes into it.
    pub fn find(
        &self,
        _doc: &Document,
        _seg: &Segmentation,
        _entities: &[Entity],
        _values: &[Value],
    ) -> Vec<Fact> {
        Vec::new()
    }
}
