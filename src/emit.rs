//! Emit: the `factsift/1` JSON contract.
//!
//! One object per document:
//!
//! ```json
//! {
//!   "schema": "factsift/1",
//!   "document": {"id": "...", "source": "...", "sha256": "...", "date": "2025-06-20",
//!                "chars": 8820, "title": "...", "meta": {...}, "sentences": 56},
//!   "entities": [{"id": "group:ttp", "type": "group", "name": "...", "known": true,
//!                 "attributes": {}, "mentions": [{"text": "TTP", "start": 1203, "end": 1206,
//!                 "sentence": 7, "rule": "rules/groups.toml#ttp"}]}],
//!   "values": [{"id": "v1", "type": "date", "text": "June 19, 2025", "start": 2101, "end": 2114,
//!               "sentence": 20, "value": "2025-06-19", "grain": "day", "rule": "..."}],
//!   "facts": [{"id": "f1", "kind": "count", "sentence": 9, "start": 940, "end": 1060,
//!              "text": "Khyber Pakhtunkhwa experienced ...",
//!              "rule": "rules/facts.toml#place-count-year", "args": {"place": "place:pk-kp"}}],
//!   "diagnostics": [{"kind": "unknown_name", "text": "...", "start": 0, "end": 0}]
//! }
//! ```
//!
//! - `start`/`end` are Unicode code-point offsets into the document text, so
//!   that `text[start:end] == item.text` in Python.
//! - Keys come in the order above; optional keys are absent rather than null.
//!   Value ids are `v1..` in text order, fact ids `f1..` in text order; a fact
//!   argument that is a value is written as that value's id.
//! - `schema/factsift.schema.json` is the JSON Schema of this object;
//!   `tests/schema.rs` validates the output of every corpus document against
//!   it. A change here that is not additive bumps the schema version.
//! - Output is deterministic: maps are ordered, nothing depends on threads,
//!   hashing or time.
//!
//! The serde types here are the wire format only; extraction logic lives in
//! the stages.

use std::collections::BTreeMap;
use std::io::Write;

use serde::Serialize;
use serde_json::Value as Json;
use sha2::{Digest, Sha256};

use crate::document::Document;
use crate::layers::{Arg, Qualifier};
use crate::pipeline::Analysis;
use crate::span::CharIndex;

/// The schema identifier every output carries.
pub const SCHEMA: &str = "factsift/1";

#[derive(Serialize)]
pub struct Output<'a> {
    pub schema: &'static str,
    pub document: DocumentOut<'a>,
    pub entities: Vec<EntityOut<'a>>,
    pub values: Vec<ValueOut<'a>>,
    pub facts: Vec<FactOut<'a>>,
    pub diagnostics: Vec<DiagnosticOut<'a>>,
}

#[derive(Serialize)]
pub struct DocumentOut<'a> {
    pub id: &'a str,
    pub source: &'a str,
    pub sha256: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    pub chars: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<&'a str>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub meta: &'a BTreeMap<String, Json>,
    pub sentences: usize,
}

#[derive(Serialize)]
pub struct EntityOut<'a> {
    pub id: &'a str,
    #[serde(rename = "type")]
    pub etype: &'static str,
    pub name: &'a str,
    pub known: bool,
    pub attributes: &'a BTreeMap<String, Json>,
    pub mentions: Vec<MentionOut<'a>>,
}

#[derive(Serialize)]
pub struct MentionOut<'a> {
    pub text: &'a str,
    pub start: usize,
    pub end: usize,
    pub sentence: usize,
    pub rule: &'a str,
}

#[derive(Serialize)]
pub struct ValueOut<'a> {
    pub id: String,
    #[serde(rename = "type")]
    pub vtype: &'static str,
    pub text: &'a str,
    pub start: usize,
    pub end: usize,
    pub sentence: usize,
    pub value: &'a Json,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grain: Option<&'a str>,
    #[serde(rename = "mod", skip_serializing_if = "Option::is_none")]
    pub modifier: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub qualifier: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<&'a Json>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<&'a Json>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub noun: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<&'a str>,
    #[serde(flatten)]
    pub extra: &'a BTreeMap<String, Json>,
    pub rule: &'a str,
}

#[derive(Serialize)]
pub struct FactOut<'a> {
    pub id: String,
    pub kind: &'a str,
    pub sentence: usize,
    pub start: usize,
    pub end: usize,
    pub text: &'a str,
    pub rule: &'a str,
    pub args: BTreeMap<&'a str, Json>,
}

#[derive(Serialize)]
pub struct DiagnosticOut<'a> {
    pub kind: &'a str,
    pub text: &'a str,
    pub start: usize,
    pub end: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<&'a str>,
}

/// Builds the wire object for one document.
pub fn output<'a>(doc: &'a Document, a: &'a Analysis) -> Output<'a> {
    let text = doc.text.as_str();
    let idx = CharIndex::new(text);
    let c = |b: usize| idx.chars(b);
    let sha = Sha256::digest(text.as_bytes());
    let sha256 = hex(&sha);
    let entities = a
        .entities
        .iter()
        .map(|e| EntityOut {
            id: &e.id,
            etype: e.etype.as_str(),
            name: &e.name,
            known: e.known,
            attributes: &e.attributes,
            mentions: e
                .mentions
                .iter()
                .map(|m| MentionOut {
                    text: m.span.slice(text),
                    start: c(m.span.start),
                    end: c(m.span.end),
                    sentence: m.sentence,
                    rule: &m.rule,
                })
                .collect(),
        })
        .collect();
    let values = a
        .values
        .iter()
        .enumerate()
        .map(|(i, v)| ValueOut {
            id: value_id(i),
            vtype: v.vtype.as_str(),
            text: v.span.slice(text),
            start: c(v.span.start),
            end: c(v.span.end),
            sentence: v.sentence,
            value: &v.value,
            grain: v.grain.as_deref(),
            modifier: v.modifier.as_deref(),
            qualifier: v.qualifier.map(Qualifier::as_str),
            min: v.min.as_ref(),
            max: v.max.as_ref(),
            unit: v.unit.as_deref(),
            noun: v.noun.as_deref(),
            currency: v.currency.as_deref(),
            extra: &v.extra,
            rule: &v.rule,
        })
        .collect();
    let facts = a
        .facts
        .iter()
        .enumerate()
        .map(|(i, f)| FactOut {
            id: format!("f{}", i + 1),
            kind: &f.kind,
            sentence: f.sentence,
            start: c(f.span.start),
            end: c(f.span.end),
            text: f.span.slice(text),
            rule: &f.rule,
            args: f
                .args
                .iter()
                .map(|(k, v)| (k.as_str(), arg_json(v)))
                .collect(),
        })
        .collect();
    let diagnostics = a
        .diagnostics
        .iter()
        .map(|d| DiagnosticOut {
            kind: &d.kind,
            text: d.span.slice(text),
            start: c(d.span.start),
            end: c(d.span.end),
            message: d.message.as_deref(),
        })
        .collect();
    Output {
        schema: SCHEMA,
        document: DocumentOut {
            id: &doc.id,
            source: &doc.source,
            sha256,
            date: doc.date.map(|d| d.format("%Y-%m-%d").to_string()),
            chars: c(text.len()),
            title: doc.title.as_deref(),
            meta: &doc.meta,
            sentences: a.seg.sentences.len(),
        },
        entities,
        values,
        facts,
        diagnostics,
    }
}

/// Lowercase hexadecimal digits of `bytes`.
fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(2 * bytes.len());
    for &b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    s
}

fn value_id(i: usize) -> String {
    format!("v{}", i + 1)
}

fn arg_json(arg: &Arg) -> Json {
    match arg {
        Arg::Entity(id) => Json::String(id.clone()),
        Arg::Value(i) => Json::String(value_id(*i)),
        Arg::Text(s) => Json::String(s.clone()),
        Arg::List(items) => Json::Array(items.iter().map(arg_json).collect()),
    }
}

/// The output as a JSON value (for tests and library users).
pub fn to_json(doc: &Document, a: &Analysis) -> Json {
    serde_json::to_value(output(doc, a)).unwrap_or(Json::Null)
}

/// Writes one document: pretty (two-space indent) or compact on one line,
/// followed by a newline.
pub fn write(
    out: &mut dyn Write,
    doc: &Document,
    a: &Analysis,
    pretty: bool,
) -> std::io::Result<()> {
    let o = output(doc, a);
    // Serialize into a buffer first: serde_json writes many small pieces,
    // and through `dyn Write` each would be a dynamic call.
    let mut buf = Vec::with_capacity(doc.text.len() / 2 + 1024);
    if pretty {
        serde_json::to_writer_pretty(&mut buf, &o)?;
    } else {
        serde_json::to_writer(&mut buf, &o)?;
    }
    buf.push(b'\n');
    out.write_all(&buf)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layers::{Value, ValueType};
    use crate::span::Span;

    #[test]
    fn offsets_are_code_points_and_slice_the_text() {
        let doc = Document::new("d", "Naqvi’s visit on “June 19, 2025”.");
        let start = doc.text.find("June").unwrap();
        let span = Span::new(start, start + "June 19, 2025".len());
        let mut a = Analysis::default();
        a.values.push(Value::new(
            span,
            ValueType::Date,
            Json::from("2025-06-19"),
            "test",
        ));
        let j = to_json(&doc, &a);
        let v = &j["values"][0];
        let (s, e) = (
            v["start"].as_u64().unwrap() as usize,
            v["end"].as_u64().unwrap() as usize,
        );
        let chars: Vec<char> = doc.text.chars().collect();
        assert_eq!(chars[s..e].iter().collect::<String>(), "June 19, 2025");
        assert_eq!(v["id"], "v1");
        assert_eq!(j["document"]["chars"], doc.text.chars().count());
    }
}
