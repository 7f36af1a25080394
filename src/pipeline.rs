//! The compiled pipeline: built once from a rule pack, immutable, shared by
//! every worker thread.

use chrono::NaiveDate;
use serde_json::Value as Json;

use crate::document::Document;
use crate::facts::FactRules;
use crate::layers::{Diagnostic, Entity, Fact, Value, ValueType};
use crate::matcher::EntityMatcher;
use crate::normalize::numbers::NumberRules;
use crate::normalize::temporal::TemporalRules;
use crate::resolve;
use crate::rules::{PackError, RuleError, RulePack};
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

/// Documents the command line gives [`Pipeline::analyze_batch`] at a time
/// (per worker thread).
pub const BATCH: usize = 16;

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
        self.run(std::slice::from_ref(doc), |_| {})
            .pop()
            .unwrap_or_default()
    }

    /// Runs every stage on each document, stage by stage over the batch:
    /// each stage's tables and code stay in the processor's caches from
    /// one document to the next instead of being pushed out by the other
    /// stages'. Gives exactly what [`Pipeline::analyze`] gives each one.
    pub fn analyze_batch(&self, docs: &[Document]) -> Vec<Analysis> {
        self.run(docs, |_| {})
    }

    /// [`Pipeline::analyze_batch`], adding each stage's time to `times` as
    /// `clock` (nanoseconds) tells it: wall time, or the thread's CPU time
    /// on a busy machine (for `benches/pipeline.rs` and anyone asking
    /// where the time goes).
    pub fn analyze_timed(
        &self,
        docs: &[Document],
        times: &mut StageTimes,
        mut clock: impl FnMut() -> u64,
    ) -> Vec<Analysis> {
        let mut last = clock();
        self.run(docs, |stage| {
            let now = clock();
            times.nanos[stage as usize] += now.saturating_sub(last);
            last = now;
        })
    }

    /// The stages in order, each over every document; `lap(stage)` is
    /// called as each one ends.
    #[inline(always)]
    fn run(&self, docs: &[Document], mut lap: impl FnMut(Stage)) -> Vec<Analysis> {
        let segs: Vec<Segmentation> = docs
            .iter()
            .map(|doc| self.segmenter.segment(&doc.text))
            .collect();
        lap(Stage::Segment);
        let candidates: Vec<_> = docs
            .iter()
            .zip(&segs)
            .map(|(doc, seg)| self.entities.find(doc, seg))
            .collect();
        lap(Stage::Entities);
        let mut values: Vec<Vec<Value>> = docs
            .iter()
            .zip(&segs)
            .map(|(doc, seg)| {
                let mut values = Vec::new();
                self.temporal.find(doc, seg, &mut values);
                values
            })
            .collect();
        lap(Stage::Dates);
        for ((doc, seg), values) in docs.iter().zip(&segs).zip(&mut values) {
            let temporal_count = values.len();
            let mut numeric = Vec::new();
            self.numbers
                .find(doc, seg, &values[..temporal_count], &mut numeric);
            values.extend(numeric);
            for v in values.iter_mut() {
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
        }
        lap(Stage::Numbers);
        let resolved: Vec<_> = docs
            .iter()
            .zip(&segs)
            .zip(candidates)
            .zip(&values)
            .map(|(((doc, seg), candidates), values)| {
                resolve::resolve(doc, seg, candidates, values)
            })
            .collect();
        lap(Stage::Resolve);
        let facts: Vec<Vec<Fact>> = docs
            .iter()
            .zip(&segs)
            .zip(&resolved)
            .zip(&values)
            .map(|(((doc, seg), (entities, _)), values)| {
                let mut facts = self.facts.find(doc, seg, entities, values);
                facts.sort_by(|a, b| {
                    (a.span.start, a.span.end, &a.kind, &a.rule).cmp(&(
                        b.span.start,
                        b.span.end,
                        &b.kind,
                        &b.rule,
                    ))
                });
                facts
            })
            .collect();
        lap(Stage::Facts);
        segs.into_iter()
            .zip(resolved)
            .zip(values)
            .zip(facts)
            .map(
                |(((seg, (entities, diagnostics)), values), facts)| Analysis {
                    seg,
                    entities,
                    values,
                    facts,
                    diagnostics,
                },
            )
            .collect()
    }
}

/// The stages of [`Pipeline::analyze`], in the order they run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Segment,
    Entities,
    /// Temporal expressions (`dates.toml`).
    Dates,
    /// Counts, quantities, money and percents (`counts.toml`, `units.toml`).
    Numbers,
    Resolve,
    /// Events and claims (`facts.toml`, `claims.toml`).
    Facts,
}

impl Stage {
    pub const ALL: [Stage; 6] = [
        Stage::Segment,
        Stage::Entities,
        Stage::Dates,
        Stage::Numbers,
        Stage::Resolve,
        Stage::Facts,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Stage::Segment => "segment",
            Stage::Entities => "entities",
            Stage::Dates => "dates",
            Stage::Numbers => "numbers",
            Stage::Resolve => "resolve",
            Stage::Facts => "facts",
        }
    }
}

/// Wall time spent in each [`Stage`], summed over documents.
#[derive(Debug, Clone, Default)]
pub struct StageTimes {
    /// Nanoseconds, indexed by `Stage as usize`.
    pub nanos: [u64; 6],
}

impl StageTimes {
    pub fn get(&self, stage: Stage) -> u64 {
        self.nanos[stage as usize]
    }

    pub fn total(&self) -> u64 {
        self.nanos.iter().sum()
    }
}

/// An example a rule carries: a text and what the pipeline must find in it.
/// `factsift check` runs every example of the pack.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// The rule file's path, as in [`crate::rules::RuleFile::path`].
    pub file: String,
    /// The entry's local id.
    pub id: String,
    pub text: String,
    /// The document date the example is read with.
    pub date: Option<NaiveDate>,
    pub expect: Expect,
}

/// What an [`Example`] must produce.
#[derive(Debug, Clone, PartialEq)]
pub enum Expect {
    /// An entity with this id.
    Entity { id: String },
    /// A value of this type whose text is `text` (when given) and whose
    /// normalized value is `value`.
    Value {
        vtype: ValueType,
        text: Option<String>,
        value: Json,
    },
    /// A fact of this kind made by the example's rule, with at least these
    /// arguments (entity ids, value texts or normalized values, strings).
    Fact {
        kind: String,
        args: Vec<(String, Json)>,
    },
}

impl Pipeline {
    /// Runs examples; returns one error for each that does not hold.
    pub fn check_examples(&self, pack: &RulePack, examples: &[Example]) -> Vec<RuleError> {
        let mut errors = Vec::new();
        for ex in examples {
            let mut doc = Document::new(format!("example:{}", ex.id), ex.text.clone());
            doc.date = ex.date;
            let a = self.analyze(&doc);
            let problem = match &ex.expect {
                Expect::Entity { id } => (!a.entities.iter().any(|e| &e.id == id)).then(|| {
                    let found: Vec<&str> = a.entities.iter().map(|e| e.id.as_str()).collect();
                    format!(
                        "example {:?} does not give entity {id} (found: {})",
                        ex.text,
                        found.join(", ")
                    )
                }),
                Expect::Value { vtype, text, value } => {
                    let ok = a.values.iter().any(|v| {
                        v.vtype == *vtype
                            && &v.value == value
                            && text.as_ref().is_none_or(|t| v.span.slice(&doc.text) == t)
                    });
                    (!ok).then(|| {
                        let found: Vec<String> = a
                            .values
                            .iter()
                            .map(|v| {
                                format!(
                                    "{} {:?}={}",
                                    v.vtype.as_str(),
                                    v.span.slice(&doc.text),
                                    v.value
                                )
                            })
                            .collect();
                        format!(
                            "example {:?} does not give {} {}{} (found: {})",
                            ex.text,
                            vtype.as_str(),
                            value,
                            text.as_ref()
                                .map(|t| format!(" for {t:?}"))
                                .unwrap_or_default(),
                            found.join(", ")
                        )
                    })
                }
                Expect::Fact { kind, args } => {
                    let rule_suffix = format!("#{}", ex.id);
                    let ok = a.facts.iter().any(|f| {
                        &f.kind == kind
                            && f.rule.ends_with(&rule_suffix)
                            && args.iter().all(|(k, want)| {
                                f.args
                                    .get(k)
                                    .is_some_and(|got| arg_matches(got, want, &a, &doc.text))
                            })
                    });
                    (!ok).then(|| {
                        format!(
                            "example {:?} does not give the expected {kind} fact",
                            ex.text
                        )
                    })
                }
            };
            if let Some(message) = problem {
                let err = match pack.files.iter().find(|f| f.path == ex.file) {
                    Some(file) => file.error(Some(&ex.id), Some(&ex.text), message),
                    None => RuleError::whole_file(&ex.file, message),
                };
                errors.push(err);
            }
        }
        errors
    }
}

/// Whether a fact argument matches an expected JSON value: an entity id, a
/// value's text or normalized value, a string, or a list of them.
fn arg_matches(got: &crate::layers::Arg, want: &Json, a: &Analysis, text: &str) -> bool {
    use crate::layers::Arg;
    match (got, want) {
        (Arg::Entity(id), Json::String(w)) => id == w,
        (Arg::Value(i), w) => a
            .values
            .get(*i)
            .is_some_and(|v| &v.value == w || w.as_str().is_some_and(|w| v.span.slice(text) == w)),
        (Arg::Text(s), Json::String(w)) => s == w,
        (Arg::List(items), Json::Array(ws)) => ws
            .iter()
            .all(|w| items.iter().any(|g| arg_matches(g, w, a, text))),
        _ => false,
    }
}

/// Every example of the pack, from every stage.
pub fn examples(pack: &RulePack) -> Vec<Example> {
    let mut out = Vec::new();
    out.extend(EntityMatcher::examples(pack));
    out.extend(TemporalRules::examples(pack));
    out.extend(NumberRules::examples(pack));
    out.extend(FactRules::examples(pack));
    out
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
