//! Match: candidate entity mentions from the dictionaries (aho-corasick over
//! folded tokens) and from patterns.

use crate::document::Document;
use crate::layers::EntityType;
use crate::rules::{RuleError, RulePack};
use crate::segment::Segmentation;
use crate::span::Span;

/// A candidate mention, before overlaps are settled and mentions grouped.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub span: Span,
    pub etype: EntityType,
    /// Entity id: `group:ttp`.
    pub id: String,
    pub name: String,
    pub known: bool,
    pub rule: String,
    /// Higher wins when candidates overlap.
    pub priority: i32,
}

/// The compiled entity dictionaries and patterns.
#[derive(Debug, Default)]
pub struct EntityMatcher {}

impl EntityMatcher {
    /// The examples the pack's entries for this stage carry (run by
    /// `factsift check`).
    pub fn examples(_pack: &RulePack) -> Vec<crate::pipeline::Example> {
        Vec::new()
    }

    pub fn compile(_pack: &RulePack) -> Result<EntityMatcher, Vec<RuleError>> {
        Ok(EntityMatcher {})
    }

    /// Every candidate mention in the document.
    pub fn find(&self, _doc: &Document, _seg: &Segmentation) -> Vec<Candidate> {
        Vec::new()
    }
}
