//! Every output validates against `schema/factsift.schema.json`: each corpus
//! document, the reference seed, and a hand-built analysis that fills every
//! layer (so the schema is checked on entities, values and facts even before
//! the stages find them).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use factsift::document::Document;
use factsift::ingest::{expand, Documents};
use factsift::layers::{
    Arg, Diagnostic, Entity, EntityType, Fact, Mention, Qualifier, Value, ValueType,
};
use factsift::span::Span;
use factsift::{emit, Analysis, Pipeline, RulePack};
use serde_json::{json, Value as Json};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(root().join("schema/factsift.schema.json"))
        .expect("schema/factsift.schema.json exists");
    let schema: Json = serde_json::from_str(&text).expect("the schema is JSON");
    jsonschema::draft202012::new(&schema).expect("the schema is a valid draft 2020-12 schema")
}

fn problems(v: &jsonschema::Validator, instance: &Json) -> Vec<String> {
    v.iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

fn assert_valid(v: &jsonschema::Validator, name: &str, instance: &Json) {
    let p = problems(v, instance);
    assert!(
        p.is_empty(),
        "{name} does not match the schema:\n{}",
        p.join("\n")
    );
}

fn pipeline() -> Pipeline {
    Pipeline::new(&RulePack::embedded().expect("default rules parse"))
        .expect("default rules compile")
}

#[test]
fn every_corpus_document_and_the_seed_validate() {
    let v = validator();
    let p = pipeline();
    let mut inputs = Vec::new();
    let seed = root().join("../shared/seeds/000_709fc2afe86d52ab.txt");
    if seed.exists() {
        inputs.push(seed);
    }
    let corpus = root().join("corpus");
    if corpus.is_dir() {
        inputs.push(corpus);
    }
    let inputs: Vec<String> = inputs.iter().map(|p| p.display().to_string()).collect();
    let (sources, errors) = expand(&inputs);
    assert!(errors.is_empty(), "{errors:?}");
    let mut n = 0;
    for doc in Documents::new(sources, None) {
        let doc = doc.expect("corpus documents ingest");
        let a = p.analyze(&doc);
        // The JSON as written (compact and pretty), not just the value.
        for pretty in [false, true] {
            let mut buf = Vec::new();
            emit::write(&mut buf, &doc, &a, pretty).expect("write");
            let j: Json = serde_json::from_slice(&buf).expect("output is JSON");
            assert_valid(&v, &doc.source, &j);
        }
        n += 1;
    }
    assert!(n >= 1);
}

/// An analysis with one of everything, as the stages will produce.
fn full_example() -> (Document, Analysis) {
    let text = "On June 19, 2025, the TTP carried out almost 300 attacks in Peshawar. “We will act,” Naqvi said.";
    let doc = Document::new("full", text)
        .with_source("mem")
        .with_date(chrono::NaiveDate::from_ymd_opt(2025, 6, 20).expect("valid date"));
    let p = pipeline();
    let mut a = p.analyze(&doc);
    let span = |s: &str| {
        let i = text.find(s).expect("in text");
        Span::new(i, i + s.len())
    };
    let mut attrs = BTreeMap::new();
    attrs.insert("country".to_string(), json!("place:pk"));
    a.entities = vec![
        Entity {
            id: "group:ttp".into(),
            etype: EntityType::Group,
            name: "Tehrik-i-Taliban Pakistan".into(),
            known: true,
            attributes: attrs,
            mentions: vec![Mention {
                span: span("TTP"),
                sentence: 0,
                rule: "rules/groups.toml#ttp".into(),
            }],
        },
        Entity {
            id: "place:pk-peshawar".into(),
            etype: EntityType::Place,
            name: "Peshawar".into(),
            known: true,
            attributes: BTreeMap::new(),
            mentions: vec![Mention {
                span: span("Peshawar"),
                sentence: 0,
                rule: "rules/places.toml#pk-peshawar".into(),
            }],
        },
        Entity {
            id: "person:naqvi".into(),
            etype: EntityType::Person,
            name: "Naqvi".into(),
            known: false,
            attributes: BTreeMap::new(),
            mentions: vec![Mention {
                span: span("Naqvi"),
                sentence: 1,
                rule: "rules/persons.toml#pattern".into(),
            }],
        },
    ];
    let mut date = Value::new(
        span("June 19, 2025"),
        ValueType::Date,
        json!("2025-06-19"),
        "rules/dates.toml#month-day-year",
    );
    date.grain = Some("day".into());
    let mut count = Value::new(
        span("almost 300 attacks"),
        ValueType::Count,
        json!(300),
        "rules/counts.toml#count",
    );
    count.qualifier = Some(Qualifier::Approx);
    count.unit = Some("attack".into());
    count.noun = Some("attacks".into());
    a.values = vec![date, count];
    let mut args = BTreeMap::new();
    args.insert("count".into(), Arg::Value(1));
    args.insert("time".into(), Arg::Value(0));
    args.insert("perpetrator".into(), Arg::Entity("group:ttp".into()));
    args.insert(
        "place".into(),
        Arg::List(vec![Arg::Entity("place:pk-peshawar".into())]),
    );
    args.insert("means".into(), Arg::Text("IED".into()));
    a.facts = vec![Fact {
        kind: "attack".into(),
        span: span("the TTP carried out almost 300 attacks in Peshawar"),
        sentence: 0,
        rule: "rules/facts.toml#attack".into(),
        args,
    }];
    a.diagnostics = vec![Diagnostic {
        kind: "unknown_name".into(),
        span: span("Naqvi"),
        message: Some("capitalized name no rule placed".into()),
    }];
    (doc, a)
}

#[test]
fn a_full_analysis_validates() {
    let (doc, a) = full_example();
    assert_valid(&validator(), "full example", &emit::to_json(&doc, &a));
}

type Breaker = Box<dyn Fn(&mut Json)>;

#[test]
fn the_schema_rejects_what_breaks_the_contract() {
    let v = validator();
    let (doc, a) = full_example();
    let good = emit::to_json(&doc, &a);
    let broken: Vec<(&str, Breaker)> = vec![
        (
            "wrong schema",
            Box::new(|j| j["schema"] = json!("factsift/2")),
        ),
        (
            "unknown entity type",
            Box::new(|j| j["entities"][0]["type"] = json!("militia")),
        ),
        (
            "unknown value type",
            Box::new(|j| j["values"][0]["type"] = json!("datetime")),
        ),
        (
            "unknown qualifier",
            Box::new(|j| j["values"][1]["qualifier"] = json!("roughly")),
        ),
        (
            "count with a string value",
            Box::new(|j| j["values"][1]["value"] = json!("300")),
        ),
        (
            "date with a number value",
            Box::new(|j| j["values"][0]["value"] = json!(2025)),
        ),
        (
            "fact kind that is not a lowercase name",
            Box::new(|j| j["facts"][0]["kind"] = json!("Party Split")),
        ),
        (
            "negative offset",
            Box::new(|j| j["values"][0]["start"] = json!(-1)),
        ),
        (
            "bad value id",
            Box::new(|j| j["values"][0]["id"] = json!("x1")),
        ),
        (
            "missing sha256",
            Box::new(|j| {
                if let Some(d) = j["document"].as_object_mut() {
                    d.remove("sha256");
                }
            }),
        ),
        ("unknown top-level key", Box::new(|j| j["extra"] = json!(1))),
        (
            "numeric fact arg",
            Box::new(|j| j["facts"][0]["args"]["count"] = json!(300)),
        ),
    ];
    for (name, breaker) in broken {
        let mut j = good.clone();
        breaker(&mut j);
        assert!(!problems(&v, &j).is_empty(), "the schema accepts: {name}");
    }
}

/// DESIGN.md: "New kinds are additive": a rule pack's own fact kind
/// (`kind = "kidnapping"`) still gives valid factsift/1.
#[test]
fn the_schema_accepts_new_fact_kinds() {
    let v = validator();
    let (doc, a) = full_example();
    let mut j = emit::to_json(&doc, &a);
    j["facts"][0]["kind"] = json!("kidnapping");
    assert_valid(&v, "new fact kind", &j);
}

/// The JSON Schema file stays beside the code that writes the contract.
#[test]
fn schema_file_names_the_contract() {
    let path: PathBuf = root().join("schema/factsift.schema.json");
    let j: Json =
        serde_json::from_str(&std::fs::read_to_string(path).expect("exists")).expect("JSON");
    assert_eq!(j["properties"]["schema"]["const"], emit::SCHEMA);
}
