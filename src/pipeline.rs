//! The compiled pipeline: built once from a rule pack, immutable, shared by
//! every worker thread.

use crate::document::Document;
use crate::facts::FactRules;
use crate::layers::{Diagnostic, Entity, Fact, Value};
use crate::matcher::EntityMatcher;
use crate::normalize::numbers::NumberRules;
use crate::normalize::temporal::TemporalRules;
use crate::resolve;
use crate::rules::{PackError, RulePack};
use crate::segment::{Segmentation, Segmenter};

/// Every layer the pipeline produced for one document.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    pub seg: Segmentation,
    /// In order of first mention.
    pub entities: Vec<Entity>,
    /// Sorted by span; fact arguments index into this.
    pub values: Vec<Value>,
    pub facts: Vec<Fact>,
    pub diagnostics: Vec<Diagnostic>,
}

/// The compiled rule pack and stages.
pub struct Pipeline {
    segmenter: Segmenter,
    entities: EntityMatcher,
    temporal: TemporalRules,
    numbers: NumberRules,
    facts: FactRules,
}

impl Pipeline {
    /// Compiles every stage's rules; reports every problem at once.
    pub fn new(pack: &RulePack) -> Result<Pipeline, PackError> {
        let mut errors = Vec::new();
        let entities = EntityMatcher::compile(pack)
            .map_err(|e| errors.extend(e))
            .ok();
        let temporal = TemporalRules::compile(pack)
            .map_err(|e| errors.extend(e))
            .ok();
        let numbers = NumberRules::compile(pack)
            .map_err(|e| errors.extend(e))
            .ok();
        let facts = FactRules::compile(pack).map_err(|e| errors.extend(e)).ok();
        match (entities, temporal, numbers, facts) {
            (Some(entities), Some(temporal), Some(numbers), Some(facts)) if errors.is_empty() => {
                Ok(Pipeline {
                    segmenter: Segmenter::new(),
                    entities,
                    temporal,
                    numbers,
                    facts,
                })
            }
            _ => Err(PackError { errors }),
        }
    }

    /// Runs every stage on one document.
    pub fn analyze(&self, doc: &Document) -> Analysis {
        let seg = self.segmenter.segment(&doc.text);
        let candidates = self.entities.find(doc, &seg);
        let mut values = Vec::new();
        self.temporal.find(doc, &seg, &mut values);
        let temporal_count = values.len();
        let mut numeric = Vec::new();
        self.numbers
            .find(doc, &seg, &values[..temporal_count], &mut numeric);
        values.extend(numeric);
        for v in &mut values {
            v.sentence = seg.sentence_at(v.span.start).unwrap_or(0);
        }
        values.sort_by(|a, b| {
            (a.span.start, a.span.end, a.vtype, &a.rule).cmp(&(
                b.span.start,
                b.span.end,
                b.vtype,
                &b.rule,
            ))
        });
        let (entities, diagnostics) = resolve::resolve(doc, &seg, candidates, &values);
        let mut facts = self.facts.find(doc, &seg, &entities, &values);
        facts.sort_by(|a, b| {
            (a.span.start, a.span.end, &a.kind, &a.rule).cmp(&(
                b.span.start,
                b.span.end,
                &b.kind,
                &b.rule,
            ))
        });
        Analysis {
            seg,
            entities,
            values,
            facts,
            diagnostics,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pipeline_is_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<Pipeline>();
    }
}
