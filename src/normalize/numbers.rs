//! Numbers, counts, quantities, money and percents, from `rules/counts.toml`.

use crate::document::Document;
use crate::layers::Value;
use crate::rules::{RuleError, RulePack};
use crate::segment::Segmentation;

/// The compiled number, unit and count-noun rules.
#[derive(Debug, Default)]
pub struct NumberRules {}

impl NumberRules {
    /// The examples the pack's entries for this stage carry (run by
    /// `factsift check`).
    pub fn examples(_pack: &RulePack) -> Vec<crate::pipeline::Example> {
        Vec::new()
    }

    pub fn compile(_pack: &RulePack) -> Result<NumberRules, Vec<RuleError>> {
        Ok(NumberRules {})
    }

    /// Appends every count, quantity, money and percent value to `out`.
    /// `temporal` holds the temporal values already found: numbers inside
    /// them (years, days) are not counts.
    pub fn find(
        &self,
        _doc: &Document,
        _seg: &Segmentation,
        _temporal: &[Value],
        _out: &mut Vec<Value>,
    ) {
    }
}
