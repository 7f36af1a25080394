//! Table tests for the number stage, in the regex crate's testdata style:
//! `tests/data/numbers.toml` lists texts and the exact numeric values
//! (count, quantity, money, percent) the pipeline must give, in text order.
//!
//! For each expected value, `type`, `text` and `value` must match, and so
//! must `qualifier`, `unit`, `currency`, `min` and `max` (absent means the
//! value has none); `noun` and `role` are checked when given. `values = []`
//! means no numeric value at all.

use factsift::{Document, Pipeline, RulePack};
use serde_json::Value as Json;

#[derive(serde::Deserialize)]
struct Table {
    test: Vec<Case>,
}

#[derive(serde::Deserialize)]
struct Case {
    name: String,
    text: String,
    values: Vec<toml::Table>,
}

fn field(v: &factsift::layers::Value, key: &str, text: &str) -> Option<Json> {
    match key {
        "type" => Some(Json::from(v.vtype.as_str())),
        "text" => Some(Json::from(v.span.slice(text))),
        "value" => Some(v.value.clone()),
        "qualifier" => v.qualifier.map(|q| Json::from(q.as_str())),
        "unit" => v.unit.clone().map(Json::from),
        "currency" => v.currency.clone().map(Json::from),
        "noun" => v.noun.clone().map(Json::from),
        "min" => v.min.clone(),
        "max" => v.max.clone(),
        other => v.extra.get(other).cloned(),
    }
}

/// Numbers compare by value: 300 == 300.0.
fn same(a: &Json, b: &Json) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => (x - y).abs() < 1e-9 * x.abs().max(1.0),
        _ => a == b,
    }
}

#[test]
fn numbers_table() {
    let src = include_str!("data/numbers.toml");
    let table: Table = toml::from_str(src).expect("tests/data/numbers.toml parses");
    let pipeline = Pipeline::new(&RulePack::embedded().expect("pack parses")).expect("compiles");
    let mut failures = Vec::new();
    for case in &table.test {
        let doc = Document::new(case.name.clone(), case.text.clone());
        let a = pipeline.analyze(&doc);
        let got: Vec<_> = a.values.iter().filter(|v| !v.vtype.is_temporal()).collect();
        let shown: Vec<String> = got
            .iter()
            .map(|v| {
                format!(
                    "{} {:?}={} q={:?} unit={:?} cur={:?} min={:?} max={:?} noun={:?} extra={:?}",
                    v.vtype.as_str(),
                    v.span.slice(&doc.text),
                    v.value,
                    v.qualifier.map(|q| q.as_str()),
                    v.unit,
                    v.currency,
                    v.min,
                    v.max,
                    v.noun,
                    v.extra
                )
            })
            .collect();
        for v in &got {
            assert_eq!(&doc.text[v.span.range()], v.span.slice(&doc.text));
        }
        if got.len() != case.values.len() {
            failures.push(format!(
                "{}: {} values expected, got {}:\n    {}",
                case.name,
                case.values.len(),
                got.len(),
                shown.join("\n    ")
            ));
            continue;
        }
        for (k, (want, v)) in case.values.iter().zip(&got).enumerate() {
            let mut keys: Vec<&str> = vec!["qualifier", "unit", "currency", "min", "max"];
            keys.extend(want.keys().map(String::as_str));
            keys.sort();
            keys.dedup();
            for key in keys {
                let w = want
                    .get(key)
                    .map(|w| serde_json::to_value(w).expect("toml to json"));
                let g = field(v, key, &doc.text);
                let ok = match (&w, &g) {
                    (Some(w), Some(g)) => same(w, g),
                    (None, None) => true,
                    _ => false,
                };
                if !ok {
                    failures.push(format!(
                        "{} value {k}: {key} expected {w:?}, got {g:?}\n    {}",
                        case.name, shown[k]
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases fail:\n{}",
        failures.len(),
        table.test.len(),
        failures.join("\n")
    );
    assert!(table.test.len() >= 100, "at least 100 cases");
}
