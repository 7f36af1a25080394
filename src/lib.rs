//! factsift reads English policy and security texts and turns them into
//! structured, reviewable JSON facts: who (groups, officials, organizations,
//! places), when (TIMEX3 dates), how many (counts, quantities, money) and what
//! happened (meetings, attacks, arrests, training, statements, trends).
//!
//! The pipeline runs one way, one module per stage:
//!
//! ```text
//! ingest -> segment -> matcher -> normalize -> resolve -> facts -> emit
//! ```
//!
//! - [`document::Document`] holds the exact original text; every later layer
//!   refers to it by byte [`span::Span`]s.
//! - [`rules::RulePack`] is the plain-TOML rule pack; [`pipeline::Pipeline`]
//!   is compiled from it once, is immutable and `Send + Sync`, and serves every
//!   worker thread.
//! - [`emit`] turns a document and its [`pipeline::Analysis`] into the
//!   `factsift/1` JSON object, with code-point offsets computed once.
//!
//! ```
//! use factsift::{document::Document, pipeline::Pipeline, rules::RulePack};
//!
//! let pipeline = Pipeline::new(&RulePack::embedded().expect("default rules parse")).expect("default rules compile");
//! let doc = Document::new("example", "Talks were held in Islamabad. The U.S. Secretary spoke.");
//! let analysis = pipeline.analyze(&doc);
//! assert_eq!(analysis.seg.sentences.len(), 2);
//! let json = factsift::emit::to_json(&doc, &analysis);
//! assert_eq!(json["schema"], "factsift/1");
//! ```

pub mod document;
pub mod emit;
pub mod eval;
pub mod facts;
pub mod ingest;
pub mod layers;
pub mod matcher;
pub mod normalize;
pub mod pipeline;
pub mod resolve;
pub mod review;
pub mod rules;
pub mod segment;
pub mod span;

pub use document::Document;
pub use pipeline::{Analysis, Pipeline};
pub use rules::RulePack;
